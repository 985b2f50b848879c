//! The `tiendo` command.

mod demo;
mod documents;
mod editions;
mod events;
mod narrative;
mod progress;
mod restated;
mod serve;
mod urge;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use tiendo_core::period::Period;
use tiendo_store::{Database, Store};

/// mimalloc instead of the system allocator: ingestion and compaction allocate a few
/// strings per event, and glibc's malloc and free took a fifth of ingestion time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Theo dõi tiến độ chuyển đổi số: chỉ tiêu, nhiệm vụ, báo cáo.
#[derive(Parser)]
#[command(name = "tiendo", version, about)]
struct Cli {
    /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL (sqlite:…, postgres://…).
    #[arg(long, global = true, env = "TIENDO_DATABASE", default_value = demo::DEFAULT_DATABASE)]
    database: String,
    /// Dạng nhật ký hoạt động (stderr): text hoặc json. Mức chi tiết: biến TIENDO_LOG
    /// (mặc định info).
    #[arg(
        long,
        global = true,
        env = "TIENDO_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tạo cơ sở dữ liệu mới (trống) tại --database; các lệnh khác chỉ mở cơ sở dữ liệu đã có.
    Init,
    /// Tạo cơ sở dữ liệu mẫu từ các báo cáo năm 2024 và xuất các báo cáo mẫu.
    Demo {
        /// Thư mục ghi báo cáo.
        #[arg(long, default_value = "tiendo-demo/reports")]
        reports: PathBuf,
        /// Chỉ tạo dữ liệu và báo cáo, không chạy máy chủ web.
        #[arg(long)]
        no_serve: bool,
        /// Địa chỉ và cổng máy chủ web.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        #[command(flatten)]
        events: events::EventsDir,
        /// Tự động nén kho sự kiện và đo lại các tháng thay đổi sau mỗi số giây này (0: không).
        #[arg(long, env = "TIENDO_COMPACT_EVERY", default_value_t = 60)]
        compact_every: u64,
    },
    /// Chạy ứng dụng web và API.
    Serve {
        /// Địa chỉ và cổng máy chủ web.
        #[arg(long, env = "TIENDO_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Đánh dấu cookie `Secure` (khi phục vụ qua HTTPS, ví dụ sau một reverse proxy).
        #[arg(long, env = "TIENDO_SECURE_COOKIES")]
        secure_cookies: bool,
        #[command(flatten)]
        events: events::EventsDir,
        /// Tự động nén kho sự kiện và đo lại các tháng thay đổi sau mỗi số giây này (0: không).
        #[arg(long, env = "TIENDO_COMPACT_EVERY", default_value_t = 60)]
        compact_every: u64,
        #[command(flatten)]
        mail: urge::ServeMailArgs,
    },
    /// In tài liệu OpenAPI 3 của API (JSON).
    Openapi,
    /// Tạo tài khoản (mật khẩu lấy từ biến môi trường TIENDO_PASSWORD).
    Account {
        id: String,
        /// administrator, secretariat, reporter, viewer.
        #[arg(long)]
        role: tiendo_core::access::Role,
        /// Tên hiển thị (mặc định: mã tài khoản).
        #[arg(long)]
        name: Option<String>,
        /// Cơ quan của cán bộ báo cáo.
        #[arg(long)]
        agency: Option<String>,
        /// Chương trình mà tài khoản thư ký được giao (mặc định: tất cả).
        #[arg(long)]
        programme: Option<String>,
    },
    /// Tạo mã truy cập API cho một tài khoản (in ra một lần).
    Token {
        /// Mã tài khoản được cấp mã truy cập.
        #[arg(long)]
        account: String,
        /// Tên gợi nhớ của mã truy cập (ví dụ: cổng DVC tỉnh).
        #[arg(long)]
        name: String,
        /// Các phạm vi, cách nhau bằng dấu cách: read, write, events:<nguồn>.
        #[arg(long, default_value = "read")]
        scopes: String,
    },
    /// Nhập dữ liệu (tệp CSV hoặc thư mục) theo định dạng trao đổi, toàn bộ hoặc không gì
    /// cả; biểu mẫu Excel đã điền (.xlsx) vào báo cáo của cơ quan để cơ quan tổng hợp duyệt.
    Import {
        /// Tệp CSV, thư mục dữ liệu, hoặc các biểu mẫu Excel đã điền (.xlsx).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Người thực hiện, ghi vào nhật ký thay đổi.
        #[arg(long, default_value = "tiendo import")]
        actor: String,
        /// Lý do, ghi vào nhật ký thay đổi.
        #[arg(long, default_value = "")]
        reason: String,
        /// Chỉ kiểm tra, không ghi.
        #[arg(long)]
        dry_run: bool,
    },
    /// Xuất toàn bộ dữ liệu theo định dạng trao đổi vào một thư mục.
    Export { dir: PathBuf },
    /// Lập báo cáo tình hình thực hiện của một chương trình cho một kỳ.
    Report {
        /// Mã chương trình (ví dụ: cdsqg, kh2024).
        #[arg(long, required_unless_present = "edition")]
        programme: Option<String>,
        /// Kỳ báo cáo: 2024-05, 2024-Q2, 2024-H1, 2024-9M, 2024 (mặc định: kỳ báo cáo gần
        /// nhất của chương trình, theo ngày cuối kỳ).
        #[arg(long)]
        period: Option<Period>,
        /// Ngày chốt số liệu (mặc định: ngày cuối kỳ).
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// Cơ cấu tổ chức theo ngày (mặc định: ngày chốt số liệu): "x/N", xếp hạng và cơ
        /// quan chủ trì được quy đổi sang các cơ quan, đơn vị có tại ngày này.
        #[arg(long, value_parser = date_arg)]
        structure_date: Option<NaiveDate>,
        /// Lập lại báo cáo theo dữ liệu hệ thống đã nhận đến hết ngày này (từ nhật ký thay đổi).
        #[arg(long, conflicts_with = "edition", value_parser = date_arg)]
        as_known_on: Option<NaiveDate>,
        /// Lập lại một bản đã ban hành (từ nhật ký thay đổi) và đối chiếu với tệp đã lưu.
        #[arg(long, conflicts_with_all = ["programme", "period", "as_of", "structure_date"])]
        edition: Option<String>,
        /// Định dạng: md, html, docx, pdf, xlsx.
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
        /// Tệp ghi kết quả (mặc định: in ra màn hình; bắt buộc với docx, pdf, xlsx).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        official: documents::OfficialArgs,
    },
    /// Ban hành một bản báo cáo: đóng băng số liệu, số, ngày, người ký, nơi nhận và các tệp
    /// (md, html, docx, pdf, xlsx) kèm SHA-256; bản đã ban hành không bao giờ bị sửa.
    Issue {
        /// Mã chương trình (ví dụ: kh2024).
        #[arg(long)]
        programme: String,
        /// Kỳ báo cáo (mặc định: kỳ báo cáo gần nhất của chương trình).
        #[arg(long)]
        period: Option<Period>,
        /// Bản bị thay thế (đính chính): mã bản, ví dụ kh2024-2024-05-1.
        #[arg(long)]
        replaces: Option<String>,
        /// Người ban hành, ghi vào nhật ký thay đổi.
        #[arg(long, default_value = "tiendo issue")]
        actor: String,
        /// Công bố bản này trên trang công khai từ ngày này (hôm nay: ngay khi ban hành);
        /// không có: chưa công bố.
        #[arg(long, value_parser = date_arg)]
        public_from: Option<NaiveDate>,
        #[command(flatten)]
        official: documents::OfficialArgs,
    },
    /// Công bố một bản đã ban hành trên trang công khai (/cong-khai), ngay hoặc từ một ngày
    /// (hết hạn chế công bố); --withdraw: thu hồi công bố, ghi lý do vào nhật ký.
    Publish {
        /// Mã bản đã ban hành, ví dụ kh2024-2024-05-1.
        edition: String,
        /// Ngày bắt đầu công khai (mặc định: hôm nay).
        #[arg(long, value_parser = date_arg, conflicts_with = "withdraw")]
        from: Option<NaiveDate>,
        /// Thu hồi công bố.
        #[arg(long, requires = "reason")]
        withdraw: bool,
        /// Lý do thu hồi.
        #[arg(long)]
        reason: Option<String>,
        /// Người thực hiện, ghi vào nhật ký thay đổi.
        #[arg(long, default_value = "tiendo publish")]
        actor: String,
    },
    /// Xem hoặc sửa thiết lập văn bản của một chương trình (cơ quan ban hành, kính gửi,
    /// người ký, nơi nhận…), dùng cho mọi báo cáo và bản ban hành sau đó; không có tham số
    /// sửa thì in thiết lập hiện có.
    Settings {
        /// Mã chương trình (ví dụ: kh2024).
        #[arg(long)]
        programme: String,
        /// Người sửa, ghi vào nhật ký thay đổi.
        #[arg(long, default_value = "tiendo settings")]
        actor: String,
        #[command(flatten)]
        official: documents::OfficialArgs,
    },
    /// Viết phần nhận định của báo cáo một kỳ (Markdown, có tham chiếu số liệu
    /// {{loại:mã}}, xem docs/narrative.md); không có --section: in phần nhận định đã lưu.
    /// Các tham chiếu không hợp lệ được liệt kê (mã thoát 1): báo cáo chưa ban hành được.
    Narrative {
        /// Mã chương trình (ví dụ: kh2024).
        #[arg(long)]
        programme: String,
        /// Kỳ báo cáo: 2024-05, 2024-Q2, 2024-H1, 2024-9M, 2024.
        #[arg(long)]
        period: Period,
        /// Mục: highlights (nổi bật), results (kết quả theo lĩnh vực), shortcomings (tồn tại,
        /// hạn chế), next_tasks (nhiệm vụ thời gian tới), recommendations (đề xuất, kiến nghị).
        #[arg(long, requires = "file")]
        section: Option<tiendo_report::Section>,
        /// Tệp Markdown của mục ("-": đọc từ stdin).
        #[arg(long, requires = "section")]
        file: Option<PathBuf>,
        /// Người viết, ghi vào nhật ký thay đổi.
        #[arg(long, default_value = "tiendo narrative")]
        actor: String,
    },
    /// Liệt kê các bản báo cáo đã ban hành.
    Editions {
        /// Mã chương trình (mặc định: mọi chương trình).
        #[arg(long)]
        programme: Option<String>,
    },
    /// Tạo biểu mẫu Excel để một cơ quan báo cáo một kỳ (nhập lại bằng `tiendo import`).
    Template {
        /// Mã cơ quan (id).
        #[arg(long)]
        agency: String,
        /// Kỳ báo cáo: 2024-05, 2024-Q2, 2024-H1, 2024-9M, 2024.
        #[arg(long)]
        period: Period,
        /// Chương trình (mặc định: mọi chương trình đang thực hiện trong kỳ).
        #[arg(long)]
        programme: Option<String>,
        /// Tệp Excel ghi biểu mẫu (.xlsx).
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Liệt kê các vấn đề dữ liệu cần xem lại.
    Check,
    /// Nhập sự kiện hồ sơ (NDJSON, CSV, Parquet): ghi bền vững, không đếm trùng, rồi nén vào Parquet.
    Ingest(events::IngestArgs),
    /// Sinh sự kiện hồ sơ tổng hợp (NDJSON), tất định theo hạt giống.
    GenEvents(events::GenArgs),
    /// Tính chỉ số đo lường và Bộ chỉ số QĐ 766 từ sự kiện; ghi thành số liệu nguồn "measured".
    Measure(events::MeasureArgs),
    /// Viết công văn đôn đốc cho từng cơ quan còn nhiệm vụ quá hạn, yêu cầu chưa hoàn
    /// thành hoặc báo cáo chưa gửi, gửi muộn trong một kỳ.
    Urge(urge::UrgeArgs),
    /// Gửi thư nhắc việc qua e-mail (một lượt, chạy hằng ngày): trước thời hạn, ngày quá
    /// hạn và thư tổng hợp thứ Hai; không gửi trùng, thư lỗi được gửi lại ở lượt sau.
    Remind(urge::RemindArgs),
    /// Địa chỉ e-mail nhận nhắc việc của các cơ quan.
    Contacts {
        #[command(subcommand)]
        command: urge::ContactsCommand,
        /// Người thực hiện, ghi vào nhật ký thay đổi.
        #[arg(long, default_value = "tiendo contacts")]
        actor: String,
    },
    /// Xem nhật ký thay đổi.
    Journal {
        /// Chỉ các thay đổi của loại bản ghi này (ví dụ: task_updates).
        #[arg(long)]
        entity: Option<String>,
        /// Chỉ các thay đổi của bản ghi có khóa này (ví dụ: kh2024-t03|2024-05).
        #[arg(long)]
        key: Option<String>,
    },
}

/// A date argument: "31/5/2024" or "2024-05-31", with the error in words.
pub fn date_arg(text: &str) -> Result<NaiveDate, String> {
    tiendo_core::format::parse_typed_date(text)
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Logs of the web server and the background jobs (one line per request, security events,
/// errors with their cause) to stderr, filtered by `TIENDO_LOG` (default: tiendo's own at
/// `info`, the libraries' errors only).
fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TIENDO_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("error,tiendo=info,tiendo_web=info,tiendo_events=info")
    });
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Md,
    Html,
    Docx,
    Pdf,
    Xlsx,
}

/// The file of a SQLite database location (`None` for PostgreSQL).
fn sqlite_file(database: &str) -> Option<PathBuf> {
    (!tiendo_store::database::is_postgres(database)).then(|| {
        PathBuf::from(
            database
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:"),
        )
    })
}

/// Open an existing database: a SQLite file that does not exist is an error naming it (a
/// mistyped `--database` must not silently become an empty database).
async fn open(database: &str) -> Result<Database> {
    if let Some(file) = sqlite_file(database)
        && !file.exists()
    {
        bail!(
            "không có cơ sở dữ liệu {}: kiểm tra --database (hoặc TIENDO_DATABASE); tạo cơ sở dữ liệu mới bằng `tiendo init` (hoặc `tiendo demo` cho dữ liệu mẫu)",
            file.display()
        );
    }
    create(database).await
}

/// Open a database, creating it (and its folder) if it does not exist.
async fn create(database: &str) -> Result<Database> {
    if let Some(file) = sqlite_file(database)
        && let Some(parent) = file.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("không tạo được thư mục {}", parent.display()))?;
    }
    Database::open(database).await.with_context(|| {
        format!(
            "không mở được cơ sở dữ liệu {}",
            tiendo_store::database::redacted(database)
        )
    })
}

fn render(format: ReportFormat, doc: &tiendo_report::Document) -> String {
    match format {
        ReportFormat::Md => tiendo_report::to_markdown(doc),
        ReportFormat::Html => tiendo_report::to_html(doc),
        ReportFormat::Docx | ReportFormat::Pdf | ReportFormat::Xlsx => {
            unreachable!("binary formats are written by documents::render_binary")
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Demo {
            reports,
            no_serve,
            listen,
            events,
            compact_every,
        } => {
            let store = create(&cli.database).await?;
            demo::run(&store, &cli.database, &reports).await?;
            serve::demo_accounts(&store).await?;
            if no_serve {
                Ok(ExitCode::SUCCESS)
            } else {
                serve::serve(
                    store,
                    listen,
                    false,
                    &events.resolve(&cli.database),
                    std::time::Duration::from_secs(compact_every),
                    None,
                    0,
                )
                .await
            }
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &<tiendo_web::api::ApiDoc as utoipa::OpenApi>::openapi()
                )?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            listen,
            secure_cookies,
            events,
            compact_every,
            mail,
        } => {
            let (settings, days_before) = (mail.settings()?, mail.days_before);
            serve::serve(
                open(&cli.database).await?,
                listen,
                secure_cookies,
                &events.resolve(&cli.database),
                std::time::Duration::from_secs(compact_every),
                settings,
                days_before,
            )
            .await
        }
        Command::Account {
            id,
            role,
            name,
            agency,
            programme,
        } => {
            let account = tiendo_app::accounts::Account {
                display_name: name.unwrap_or_else(|| id.clone()),
                id,
                role,
                agency_id: agency,
                programme_id: programme,
                password_hash: String::new(),
                active: true,
            };
            serve::add_account(&open(&cli.database).await?, account).await
        }
        Command::Token {
            account,
            name,
            scopes,
        } => serve::add_token(&open(&cli.database).await?, &account, &name, &scopes).await,
        Command::Import {
            paths,
            actor,
            reason,
            dry_run,
        } => {
            let store = open(&cli.database).await?;
            let (workbooks, files): (Vec<PathBuf>, Vec<PathBuf>) =
                paths.into_iter().partition(|p| documents::is_workbook(p));
            if !workbooks.is_empty() {
                if !files.is_empty() || dry_run {
                    bail!(
                        "biểu mẫu Excel (.xlsx) được nhập riêng, không cùng tệp CSV và không với --dry-run: mỗi biểu mẫu vào báo cáo của cơ quan đã điền nó để cơ quan tổng hợp duyệt"
                    );
                }
                let all = documents::send_templates(store, &workbooks, &actor).await?;
                return Ok(if all {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                });
            }
            let existing = store.load().await?;
            let result = tiendo_exchange::import::read_sources(&files)
                .and_then(|sources| tiendo_exchange::import::plan(&sources, &existing));
            let plan = match result {
                Ok(plan) => plan,
                Err(errors) => {
                    eprintln!(
                        "Không nhập được: {} lỗi; cơ sở dữ liệu không thay đổi.",
                        errors.len()
                    );
                    for e in &errors {
                        eprintln!("  {e}");
                    }
                    return Ok(ExitCode::FAILURE);
                }
            };
            if dry_run {
                println!(
                    "Kiểm tra xong: sẽ thêm {} và cập nhật {} bản ghi ({} không đổi).",
                    plan.inserted(),
                    plan.updated(),
                    plan.unchanged
                );
                return Ok(ExitCode::SUCCESS);
            }
            let applied = store.apply(&plan.changes, &actor, &reason).await?;
            println!(
                "Đã nhập: thêm {} và cập nhật {} bản ghi ({} không đổi).",
                applied.inserted, applied.updated, plan.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { dir } => {
            let store = open(&cli.database).await?;
            let data = store.load().await?;
            let files = tiendo_exchange::export::export(&data, &dir)
                .with_context(|| format!("không ghi được vào {}", dir.display()))?;
            println!("Đã xuất {} tệp vào {}.", files.len(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            edition: Some(id),
            format,
            output,
            ..
        } => editions::redraw(&open(&cli.database).await?, &id, format, output.as_deref()).await,
        Command::Report {
            programme,
            period,
            as_of,
            structure_date,
            as_known_on,
            edition: None,
            format,
            output,
            official,
        } => {
            let store = open(&cli.database).await?;
            let programme = programme.context("cần --programme")?;
            let (data, known) = match as_known_on {
                Some(day) => {
                    let (data, seq) = editions::load_as_known_on(&store, day).await?;
                    (data, Some((day, seq)))
                }
                None => (store.load().await?, None),
            };
            let known_on = known.map(|(day, _)| day);
            if let (Some(p), Some(period)) = (data.programme(&programme), period)
                && let Some(warning) = tiendo_core::clock::period_outside_programme(p, period)
            {
                eprintln!("Cảnh báo: {warning}.");
            }
            let text = narrative::for_report(&store, &data, &programme, period, known).await?;
            let doc = tiendo_report::narrated_report(
                &data,
                &tiendo_report::ReportRequest {
                    programme_id: programme.clone(),
                    period,
                    as_of,
                    known_on,
                    structure_date,
                },
                &text,
            )?;
            if let Some(bytes) =
                documents::render_binary(format, &store, &data, &doc, &programme, official).await?
            {
                documents::write_binary(&bytes, output.as_deref())?;
                return Ok(ExitCode::SUCCESS);
            }
            let text = render(format, &doc);
            match output {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("không ghi được {}", path.display()))?;
                    println!("Đã ghi báo cáo: {}", path.display());
                }
                None => print!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Issue {
            programme,
            period,
            replaces,
            actor,
            public_from,
            official,
        } => {
            editions::issue(
                &open(&cli.database).await?,
                programme,
                period,
                replaces,
                official.overrides(),
                public_from,
                &actor,
            )
            .await
        }
        Command::Publish {
            edition,
            from,
            withdraw,
            reason,
            actor,
        } => {
            let store = open(&cli.database).await?;
            if withdraw {
                editions::withdraw(&store, &edition, reason.as_deref().unwrap_or(""), &actor).await
            } else {
                editions::publish(&store, &edition, from, &actor).await
            }
        }
        Command::Settings {
            programme,
            actor,
            official,
        } => documents::settings(&open(&cli.database).await?, &programme, official, &actor).await,
        Command::Narrative {
            programme,
            period,
            section,
            file,
            actor,
        } => {
            narrative::run(
                &open(&cli.database).await?,
                &programme,
                period,
                section.zip(file.as_deref()),
                &actor,
            )
            .await
        }
        Command::Editions { programme } => {
            editions::list(&open(&cli.database).await?, programme.as_deref()).await
        }
        Command::Template {
            agency,
            period,
            programme,
            output,
        } => {
            let store = open(&cli.database).await?;
            let data = store.load().await?;
            let regime = programme
                .as_deref()
                .and_then(|p| data.programme(p))
                .map(|p| p.regime)
                .unwrap_or_default();
            if let Some(warning) =
                tiendo_core::clock::agency_outside_period(&data, &agency, period, regime)
            {
                eprintln!("Cảnh báo: {warning}.");
            }
            if let Some(warning) = programme
                .as_deref()
                .and_then(|p| data.programme(p))
                .and_then(|p| tiendo_core::clock::period_outside_programme(p, period))
            {
                eprintln!("Cảnh báo: {warning}.");
            }
            documents::template(&data, agency, period, programme, &output)
        }
        Command::Init => {
            let existed = sqlite_file(&cli.database).is_some_and(|f| f.exists());
            create(&cli.database).await?.close().await;
            println!(
                "{} cơ sở dữ liệu {}.",
                if existed { "Đã có" } else { "Đã tạo" },
                tiendo_store::database::redacted(&cli.database)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let store = open(&cli.database).await?;
            let data = store.load().await?;
            let problems = tiendo_core::check::check(&data);
            for p in &problems {
                println!("[{}] {}: {}", p.kind, p.record, p.message);
            }
            println!("{} vấn đề dữ liệu.", problems.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest(args) => events::ingest(&cli.database, args).await,
        Command::GenEvents(args) => events::gen_events(args),
        Command::Measure(args) => events::measure(&cli.database, args).await,
        Command::Urge(args) => urge::urge(&open(&cli.database).await?, args).await,
        Command::Remind(args) => urge::remind(&open(&cli.database).await?, args).await,
        Command::Contacts { command, actor } => {
            urge::contacts(&open(&cli.database).await?, command, &actor).await
        }
        Command::Journal { entity, key } => {
            let store = open(&cli.database).await?;
            for e in store.journal(entity.as_deref(), key.as_deref()).await? {
                println!("{}", serde_json::to_string(&e)?);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_format);
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}
