//! Chasing agencies: `tiendo urge` writes an urging letter (công văn đôn đốc) to every
//! agency behind on a programme's period; `tiendo remind` runs one pass of e-mail
//! reminders; `tiendo contacts` keeps the agencies' e-mail addresses.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use tiendo_core::clock::today_in_vietnam;
use tiendo_core::format;
use tiendo_core::period::Period;
use tiendo_core::urge::is_digest_day;
use tiendo_remind::{MailSettings, PassOptions};
use tiendo_store::reminder::{self, Contact};
use tiendo_store::{Database, Store};

/// `tiendo urge`.
#[derive(Args)]
pub struct UrgeArgs {
    /// Mã chương trình (ví dụ: cdsqg, kh2024); gồm cả các chương trình thành phần.
    #[arg(long)]
    programme: String,
    /// Kỳ báo cáo: 2024-05, 2024-Q2, 2024-H1, 2024 (mặc định: kỳ báo cáo gần nhất của chương trình).
    #[arg(long)]
    period: Option<Period>,
    /// Chỉ viết công văn cho cơ quan này (mã cơ quan, ví dụ: yen-bai).
    #[arg(long)]
    agency: Option<String>,
    /// Ngày chốt số liệu, cũng là ngày của công văn (mặc định: ngày cuối kỳ).
    #[arg(long, value_parser = crate::date_arg)]
    as_of: Option<NaiveDate>,
    /// Nêu thêm các nội dung đến hạn trong số ngày này kể từ ngày chốt.
    #[arg(long, default_value_t = 7)]
    days: i64,
    /// Hạn đề nghị cơ quan hoàn thành và báo cáo (mặc định: 10 ngày sau ngày chốt).
    #[arg(long, value_parser = crate::date_arg)]
    reply_by: Option<NaiveDate>,
    /// Đơn vị soạn thảo: ký hiệu sau mã cơ quan ban hành (BTTTT-CĐSQG) và sau "Lưu: VT,"
    /// (mặc định: đơn vị soạn thảo trong thiết lập văn bản của chương trình).
    #[arg(long)]
    unit: Option<String>,
    /// Thư mục ghi công văn (một tệp cho mỗi cơ quan).
    #[arg(long, short)]
    output: PathBuf,
    /// Định dạng: docx, pdf, md, html.
    #[arg(long, value_enum, default_value = "docx")]
    format: LetterFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LetterFormat {
    Docx,
    Pdf,
    Md,
    Html,
}

impl LetterFormat {
    fn extension(self) -> &'static str {
        match self {
            LetterFormat::Docx => "docx",
            LetterFormat::Pdf => "pdf",
            LetterFormat::Md => "md",
            LetterFormat::Html => "html",
        }
    }
}

/// Write the letters and say what they list.
pub async fn urge(store: &Database, args: UrgeArgs) -> Result<ExitCode> {
    let data = store.load().await?;
    let programme = data
        .programme(&args.programme)
        .with_context(|| format!("không có chương trình {}", args.programme))?;
    if let Some(agency) = &args.agency
        && data.agency(agency).is_none()
    {
        bail!("không có cơ quan {agency}");
    }
    let chase =
        tiendo_app::urge::chase(store, &data, programme, args.period, args.as_of, args.days)
            .await?;
    let dates = &chase.dates;
    let behind: Vec<_> = chase
        .behind(&data)
        .filter(|o| args.agency.as_deref().is_none_or(|a| a == o.agency.id))
        .collect();
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("không tạo được thư mục {}", args.output.display()))?;
    let mut lines = Vec::new();
    for o in &behind {
        let bytes = chase.letter(
            &data,
            o,
            args.unit.as_deref(),
            args.reply_by,
            args.format.extension(),
        )?;
        let path = args.output.join(format!(
            "cong-van-{}-{}-{}.{}",
            programme.id,
            dates.period.code(),
            o.agency.id,
            args.format.extension()
        ));
        std::fs::write(&path, bytes)
            .with_context(|| format!("không ghi được {}", path.display()))?;
        let report = match &o.report {
            Some(r) if r.submitted_on.is_some() => ", báo cáo gửi muộn",
            Some(_) => ", chưa gửi báo cáo",
            None => "",
        };
        lines.push(format!(
            "  {}: {} nhiệm vụ quá hạn, {} yêu cầu chưa hoàn thành{report} → {}",
            o.agency.short_name,
            format::count(o.overdue.len() as u64),
            format::count(o.missing_items.len() as u64),
            path.display()
        ));
    }
    println!(
        "Đã viết {} công văn đôn đốc ({}, {}, tính đến ngày {}){}",
        format::count(behind.len() as u64),
        programme.short_name,
        dates.period.label_vi(),
        format::date(dates.as_of),
        if lines.is_empty() { "." } else { ":" }
    );
    for line in lines {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `tiendo remind`.
#[derive(Args)]
pub struct RemindArgs {
    /// Ngày của lượt nhắc (mặc định: hôm nay, giờ Việt Nam).
    #[arg(long, value_parser = crate::date_arg)]
    as_of: Option<NaiveDate>,
    /// Máy chủ SMTP: smtp://máy:cổng (không mã hóa, ví dụ máy chủ chuyển tiếp nội bộ).
    #[arg(long, env = "TIENDO_SMTP")]
    smtp: String,
    /// Địa chỉ người gửi, ví dụ "Hệ thống theo dõi tiến độ <tiendo@mic.gov.vn>".
    #[arg(long, env = "TIENDO_SMTP_FROM")]
    from: String,
    /// Nhắc trước thời hạn số ngày này.
    #[arg(long, env = "TIENDO_REMIND_DAYS", default_value_t = 3)]
    days_before: i64,
    /// Gửi thư tổng hợp hằng tuần cả khi ngày nhắc không phải thứ Hai.
    #[arg(long)]
    digest: bool,
    /// Người thực hiện, ghi vào nhật ký thay đổi.
    #[arg(long, default_value = "tiendo remind")]
    actor: String,
}

/// One reminder pass; fails (exit code 1) when a message could not be sent: it is
/// recorded and sent again by the next pass.
pub async fn remind(store: &Database, args: RemindArgs) -> Result<ExitCode> {
    let data = store.load().await?;
    let mail = MailSettings::new(&args.smtp, &args.from)?;
    let day = args.as_of.unwrap_or_else(today_in_vietnam);
    let options = PassOptions {
        day,
        days_before: args.days_before,
        digest: args.digest || is_digest_day(day),
    };
    let outcome = tiendo_remind::run_pass(store, &data, &mail, &options, &args.actor).await?;
    let name = |id: &str| {
        data.agency(id)
            .map_or_else(|| id.to_string(), |a| a.short_name.clone())
    };
    let sent: Vec<_> = outcome.sent().collect();
    let failed: Vec<_> = outcome.failed().collect();
    println!(
        "Lượt nhắc việc ngày {}: đã gửi {} thư, {} thư không gửi được.",
        format::date(day),
        sent.len(),
        failed.len()
    );
    for m in &sent {
        let again = if m.retry { " (gửi lại)" } else { "" };
        println!(
            "  đã gửi{again} {} – {} ({} mục) → {}",
            name(&m.agency_id),
            m.kind.label_vi(),
            m.items,
            m.recipients.join(", ")
        );
    }
    for m in &failed {
        println!(
            "  KHÔNG GỬI ĐƯỢC {} – {}: {} (sẽ gửi lại ở lượt sau)",
            name(&m.agency_id),
            m.kind.label_vi(),
            m.error.as_deref().unwrap_or_default()
        );
    }
    if !outcome.without_address.is_empty() {
        println!(
            "  Chưa có địa chỉ e-mail (dùng `tiendo contacts set`): {}",
            outcome.without_address.join(", ")
        );
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The reminders `tiendo serve` sends once a day.
#[derive(Args)]
pub struct ServeMailArgs {
    /// Máy chủ SMTP để gửi thư nhắc việc mỗi ngày: smtp://máy:cổng (mặc định: không gửi).
    #[arg(long = "smtp", env = "TIENDO_SMTP", requires = "from")]
    smtp: Option<String>,
    /// Địa chỉ người gửi thư nhắc việc.
    #[arg(long = "from", env = "TIENDO_SMTP_FROM")]
    from: Option<String>,
    /// Nhắc trước thời hạn số ngày này.
    #[arg(
        long = "remind-days-before",
        env = "TIENDO_REMIND_DAYS",
        default_value_t = 3
    )]
    pub days_before: i64,
}

impl ServeMailArgs {
    /// The mail server, when one is given.
    pub fn settings(&self) -> Result<Option<MailSettings>> {
        match (&self.smtp, &self.from) {
            (Some(smtp), Some(from)) => Ok(Some(MailSettings::new(smtp, from)?)),
            _ => Ok(None),
        }
    }
}

/// `tiendo contacts`.
#[derive(Subcommand)]
pub enum ContactsCommand {
    /// Đặt địa chỉ e-mail nhận nhắc việc của một cơ quan (thay các địa chỉ cũ).
    Set {
        /// Mã cơ quan (ví dụ: yen-bai).
        agency: String,
        /// Địa chỉ e-mail (lặp lại cho nhiều địa chỉ; bỏ trống để xóa).
        #[arg(long = "email")]
        emails: Vec<String>,
        /// Người hoặc bộ phận nhận (ví dụ: Văn phòng UBND tỉnh).
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Nhập địa chỉ từ tệp CSV có các cột agency_id,email,name (mỗi dòng một địa chỉ).
    Import {
        /// Tệp CSV.
        file: PathBuf,
    },
    /// Liệt kê địa chỉ của các cơ quan.
    List,
}

/// Set, import or list the agencies' addresses.
pub async fn contacts(store: &Database, command: ContactsCommand, actor: &str) -> Result<ExitCode> {
    let data = store.load().await?;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut set = Vec::new();
    match command {
        ContactsCommand::List => {
            for c in reminder::contacts(store).await? {
                let name = data
                    .agency(&c.agency_id)
                    .map_or_else(|| c.agency_id.clone(), |a| a.short_name.clone());
                println!(
                    "{}\t{name}\t{}\t{}",
                    c.agency_id,
                    c.emails.join(", "),
                    c.name
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        ContactsCommand::Set {
            agency,
            emails,
            name,
        } => set.push(Contact {
            agency_id: agency,
            emails,
            name,
            updated_at: now,
        }),
        ContactsCommand::Import { file } => set = read_contacts(&file, &now)?,
    }
    for c in &set {
        if data.agency(&c.agency_id).is_none() {
            bail!("không có cơ quan {}", c.agency_id);
        }
        if let Some(bad) = c.emails.iter().find(|e| !tiendo_remind::valid_address(e)) {
            bail!("{}: địa chỉ e-mail không hợp lệ: \"{bad}\"", c.agency_id);
        }
    }
    for c in &set {
        reminder::set_contact(store, c, actor).await?;
    }
    println!(
        "Đã lưu địa chỉ e-mail của {} cơ quan.",
        format::count(set.len() as u64)
    );
    Ok(ExitCode::SUCCESS)
}

/// Contacts from a CSV file of agency_id,email,name; the rows of one agency together.
fn read_contacts(path: &Path, now: &str) -> Result<Vec<Contact>> {
    let mut reader = csv::Reader::from_path(path)
        .with_context(|| format!("không đọc được {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: thiếu cột {name}", path.display()))
    };
    let (agency, email, name) = (column("agency_id")?, column("email")?, column("name").ok());
    let mut out: Vec<Contact> = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{}: dòng {}", path.display(), line + 2))?;
        let id = record.get(agency).unwrap_or_default().trim().to_string();
        let address = record.get(email).unwrap_or_default().trim().to_string();
        let who = name
            .and_then(|i| record.get(i))
            .unwrap_or_default()
            .trim()
            .to_string();
        match out.iter_mut().find(|c| c.agency_id == id) {
            Some(c) => c.emails.push(address),
            None => out.push(Contact {
                agency_id: id,
                emails: vec![address],
                name: who,
                updated_at: now.to_string(),
            }),
        }
    }
    Ok(out)
}
