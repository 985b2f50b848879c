//! `tiendo serve`, the demo accounts, and account and token administration.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use tiendo_app::accounts::{Account, create_account, create_token};
use tiendo_core::access::Role;
use tiendo_core::period::Period;
use tiendo_store::workflow::{ACCOUNTS, PERIOD_LOCKS};
use tiendo_store::{Database, Store};
use tiendo_web::{App, Settings};

/// Run the web application; compact the event store and measure again every
/// `compact_every` (never when zero).
/// With a mail server, send the e-mail reminders once a day.
pub async fn serve(
    store: Database,
    listen: SocketAddr,
    secure_cookies: bool,
    events_dir: &std::path::Path,
    compact_every: std::time::Duration,
    mail: Option<tiendo_remind::MailSettings>,
    remind_days_before: i64,
) -> Result<ExitCode> {
    let events = tiendo_events::store::EventStore::open(
        events_dir,
        tiendo_events::calendar::Calendar::vietnam(),
    )
    .map_err(|e| anyhow!("không mở được kho sự kiện {}: {e}", events_dir.display()))?;
    let app = App::new(
        store,
        Settings {
            secure_cookies,
            mail: mail.clone(),
            remind_days_before,
            ..Settings::default()
        },
        Some(events),
    );
    if let Some(mail) = &mail {
        tokio::spawn(tiendo_app::reminders::run_daily(
            app.records.clone(),
            mail.clone(),
            remind_days_before,
        ));
        println!(
            "Gửi thư nhắc việc mỗi ngày qua máy chủ SMTP {}:{} (nhắc trước hạn {remind_days_before} ngày).",
            mail.host, mail.port
        );
    }
    println!(
        "Kho sự kiện hồ sơ (POST /api/v1/events): {}",
        events_dir.display()
    );
    if compact_every.is_zero() {
        println!("Không tự động nén kho sự kiện (--compact-every 0).");
    } else {
        tiendo_web::compaction::spawn(app.clone(), compact_every);
        println!(
            "Tự động nén kho sự kiện và đo lại mỗi {} giây (GET /api/v1/events/status).",
            compact_every.as_secs()
        );
    }
    println!("tiendo đang chạy tại http://{listen}/ (Ctrl-C để dừng)");
    tiendo_web::serve(app, listen).await?;
    Ok(ExitCode::SUCCESS)
}

/// The password of every demo account (printed when the demo starts; demo only).
pub const DEMO_PASSWORD: &str = "tiendo-demo-2024";

/// A demo account.
struct DemoAccount {
    id: &'static str,
    name: &'static str,
    role: Role,
    agency: Option<&'static str>,
}

const DEMO_ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        id: "quantri",
        name: "Quản trị hệ thống",
        role: Role::Administrator,
        agency: None,
    },
    DemoAccount {
        id: "thuky",
        name: "Thư ký Ủy ban Quốc gia về chuyển đổi số",
        role: Role::Secretariat,
        agency: None,
    },
    DemoAccount {
        id: "bo-tttt",
        name: "Cán bộ báo cáo Bộ TT&TT",
        role: Role::Reporter,
        agency: Some("BTTTT"),
    },
    DemoAccount {
        id: "yen-bai",
        name: "Cán bộ báo cáo tỉnh Yên Bái",
        role: Role::Reporter,
        agency: Some("yen-bai"),
    },
    DemoAccount {
        id: "lanhdao",
        name: "Lãnh đạo (chỉ xem)",
        role: Role::Viewer,
        agency: None,
    },
];

/// The period the demo opens for reporting: the month after the May 2024 report.
const DEMO_OPEN_PERIOD: (&str, &str) = ("cdsqg", "2024-06");

/// Create the demo accounts that do not exist yet and open the demo period.
pub async fn demo_accounts<S: Store>(store: &S) -> Result<()> {
    for DemoAccount {
        id,
        name,
        role,
        agency,
    } in DEMO_ACCOUNTS
    {
        if store.get(&ACCOUNTS, id).await?.is_none() {
            let account = Account {
                id: id.into(),
                display_name: name.into(),
                role,
                agency_id: agency.map(Into::into),
                programme_id: None,
                password_hash: String::new(),
                active: true,
            };
            create_account(store, &account, DEMO_PASSWORD, "tiendo demo").await?;
        }
    }
    let (programme, period) = DEMO_OPEN_PERIOD;
    let period: Period = period.parse()?;
    let key = format!("{programme}|{}", period.code());
    if store.get(&PERIOD_LOCKS, &key).await?.is_none() {
        let row = vec![
            Some(programme.into()),
            Some(period.code()),
            Some("false".into()),
            Some(tiendo_app::accounts::now_rfc3339()),
            Some("tiendo demo".into()),
        ];
        store
            .apply(
                &[tiendo_exchange::import::Change {
                    entity: &PERIOD_LOCKS,
                    key,
                    before: None,
                    after: row,
                }],
                "tiendo demo",
                "mở kỳ báo cáo mẫu",
            )
            .await?;
    }
    println!("Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):");
    for DemoAccount { id, name, role, .. } in DEMO_ACCOUNTS {
        println!("  {id:<8} {} — {name}", role.label_vi());
    }
    println!(
        "Kỳ đang mở để nhập số liệu: {programme} {}",
        period.label_vi()
    );
    Ok(())
}

/// `tiendo account add`: the password comes from `TIENDO_PASSWORD`.
pub async fn add_account<S: Store>(store: &S, account: Account) -> Result<ExitCode> {
    let password = std::env::var("TIENDO_PASSWORD")
        .map_err(|_| anyhow!("đặt mật khẩu trong biến môi trường TIENDO_PASSWORD"))?;
    if password.chars().count() < 12 {
        return Err(anyhow!("mật khẩu cần ít nhất 12 ký tự"));
    }
    create_account(store, &account, &password, "tiendo account").await?;
    println!(
        "Đã tạo tài khoản {} ({}).",
        account.id,
        account.role.label_vi()
    );
    Ok(ExitCode::SUCCESS)
}

/// `tiendo token create`: prints the token once.
pub async fn add_token<S: Store>(
    store: &S,
    account_id: &str,
    name: &str,
    scopes: &str,
) -> Result<ExitCode> {
    if store.get(&ACCOUNTS, account_id).await?.is_none() {
        return Err(anyhow!("không có tài khoản {account_id}"));
    }
    let token = create_token(store, account_id, name, scopes, "tiendo token").await?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}
