//! `tiendo ingest`, `tiendo gen-events`, `tiendo measure`: dossier events, the measured
//! indicators and the QĐ 766 index (crates/events).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use tiendo_core::format;
use tiendo_core::model::{AgencyKind, Dataset};
use tiendo_core::period::{Period, ReportingRegime};
use tiendo_events::calendar::Calendar;
use tiendo_events::event::{self, Event};
use tiendo_events::generate::{Part, Spec, generate};
use tiendo_events::index::{Counts, IndexConfig};
use tiendo_events::query::{Activity, Cluster, Engine, qd766_sql};
use tiendo_events::store::ParsedLine;
use tiendo_events::{EventStore, IngestReport, columnar, observe};
use tiendo_exchange::import::plan;
use tiendo_store::Store;

/// Where the event store is: `--events-dir`, `TIENDO_EVENTS_DIR`, or `events/` next to
/// the SQLite file.
#[derive(Args, Clone)]
pub struct EventsDir {
    /// Thư mục kho sự kiện (mặc định: thư mục events/ cạnh tệp SQLite; tiendo-events/ khi dùng PostgreSQL).
    #[arg(long, env = "TIENDO_EVENTS_DIR")]
    events_dir: Option<PathBuf>,
}

impl EventsDir {
    pub fn resolve(&self, database: &str) -> PathBuf {
        self.events_dir.clone().unwrap_or_else(|| {
            if database.starts_with("postgres://") || database.starts_with("postgresql://") {
                return PathBuf::from("tiendo-events");
            }
            let file = PathBuf::from(
                database
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:"),
            );
            file.parent().unwrap_or(Path::new("")).join("events")
        })
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum InputFormat {
    Ndjson,
    Csv,
    Parquet,
}

#[derive(Args)]
pub struct IngestArgs {
    /// Tệp sự kiện (NDJSON, CSV hoặc Parquet; "-" là đầu vào chuẩn, NDJSON).
    file: PathBuf,
    /// Định dạng (mặc định: theo đuôi tệp).
    #[arg(long, value_enum)]
    format: Option<InputFormat>,
    /// Số dòng mỗi lô ghi bền vững.
    #[arg(long, default_value_t = 20_000)]
    batch: usize,
    /// In "ack N" sau mỗi lô đã ghi bền vững (N: dòng cuối của lô).
    #[arg(long)]
    ack: bool,
    /// Không nén nhật ký vào Parquet sau khi nhập.
    #[arg(long)]
    no_compact: bool,
    #[command(flatten)]
    dir: EventsDir,
}

#[derive(Args)]
pub struct GenArgs {
    /// Số hồ sơ.
    #[arg(long)]
    dossiers: u64,
    /// Hạt giống: cùng hạt giống cho cùng sự kiện.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Ngày đầu (tiếp nhận).
    #[arg(long, default_value = "2024-01-01", value_parser = crate::date_arg)]
    from: NaiveDate,
    /// Ngày cuối: sự kiện sau ngày này chưa xảy ra.
    #[arg(long, default_value = "2024-12-31", value_parser = crate::date_arg)]
    to: NaiveDate,
    /// Chỉ ghi phần K trong P phần bằng nhau (theo thứ tự ngày tiếp nhận), ví dụ 3/10:
    /// các phần ghép lại đúng bằng toàn bộ.
    #[arg(long, default_value = "1/1")]
    part: Part,
    /// Tệp NDJSON (mặc định: đầu ra chuẩn).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DocFormat {
    Md,
    Html,
}

#[derive(Args)]
pub struct MeasureArgs {
    /// Kỳ: 2024-05, 2024-Q2, 2024-H1, 2024-9M, 2024 (lặp lại được).
    #[arg(long, required = true)]
    period: Vec<Period>,
    /// Chế độ kỳ báo cáo của Bộ chỉ số (calendar hoặc nd09-2019: từ ngày 15 tháng trước đến ngày 14).
    #[arg(long, default_value = "calendar", value_parser = parse_regime)]
    regime: ReportingRegime,
    /// Chỉ tính và in, không ghi số liệu vào cơ sở dữ liệu.
    #[arg(long)]
    no_store: bool,
    /// Chạy truy vấn N lần và in thời gian từng lần (lần đầu: phiên mới).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// In câu SQL của bảng QĐ 766 rồi thoát.
    #[arg(long)]
    print_sql: bool,
    /// Nơi chạy truy vấn: datafusion (mặc định, trong tiến trình), ballista://MÁY:CỔNG (cụm
    /// Ballista đọc cùng các tệp Parquet) hoặc ballista:standalone (cụm Ballista trong tiến trình).
    #[arg(long, env = "TIENDO_ENGINE", default_value = "datafusion", value_parser = parse_cluster)]
    engine: Cluster,
    /// Tệp cấu hình điểm, ngưỡng, xếp loại (mặc định: data/config/qd766.json có sẵn).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Ghi báo cáo chỉ số đo lường của kỳ (cuối cùng) vào tệp.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Định dạng báo cáo: md hoặc html.
    #[arg(long, value_enum, default_value = "md")]
    format: DocFormat,
    #[command(flatten)]
    dir: EventsDir,
}

fn parse_regime(s: &str) -> Result<ReportingRegime, String> {
    s.parse()
}

fn parse_cluster(s: &str) -> Result<Cluster, String> {
    s.parse()
}

fn print_report(report: &IngestReport) {
    println!(
        "Đã đọc {} dòng: nhận {} sự kiện mới (đã ghi bền vững), {} trùng (đã có, không tính lại), {} bị từ chối.",
        format::count(report.lines as u64),
        format::count(report.accepted as u64),
        format::count(report.duplicates as u64),
        format::count(report.rejected.len() as u64)
    );
    for r in report.rejected.iter().take(50) {
        println!("  dòng {}: {}", r.line, r.reason);
    }
    if report.rejected.len() > 50 {
        println!(
            "  … và {} dòng khác bị từ chối.",
            report.rejected.len() - 50
        );
    }
}

fn detect(path: &Path, format: Option<InputFormat>) -> InputFormat {
    format.unwrap_or_else(|| match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => InputFormat::Csv,
        Some("parquet") => InputFormat::Parquet,
        _ => InputFormat::Ndjson,
    })
}

type Lines = Vec<(usize, Result<Event, String>)>;

/// A batch of input lines: NDJSON keeps its text, so that each valid line is logged as it came.
enum Batch {
    Ndjson(Vec<u8>, Vec<ParsedLine>),
    Records(Lines),
}

impl Batch {
    fn last_line(&self) -> usize {
        match self {
            Batch::Ndjson(_, lines) => lines.last().map_or(0, |l| l.line),
            Batch::Records(lines) => lines.last().map_or(0, |(l, _)| *l),
        }
    }
}

/// Threads that parse NDJSON chunks (the reader deals the chunks to them in turn, and they
/// are taken back in the same order).
const PARSERS: usize = 2;

/// Read the input as numbered, parsed batches (NDJSON: on a reader thread and
/// [`PARSERS`] parser threads), and hand each to `sink` in input order.
fn read_batches(
    path: &Path,
    format: InputFormat,
    batch: usize,
    sink: &mut dyn FnMut(Batch) -> Result<()>,
) -> Result<()> {
    match format {
        InputFormat::Ndjson => {
            let input: Box<dyn Read + Send> = if path == Path::new("-") {
                Box::new(io::stdin())
            } else {
                Box::new(
                    File::open(path)
                        .with_context(|| format!("không mở được {}", path.display()))?,
                )
            };
            let (chunk_tx, chunk_rx): (Vec<_>, Vec<_>) = (0..PARSERS)
                .map(|_| std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(2))
                .unzip();
            let (parsed_tx, parsed_rx): (Vec<_>, Vec<_>) = (0..PARSERS)
                .map(|_| std::sync::mpsc::sync_channel::<Batch>(2))
                .unzip();
            std::thread::scope(|scope| -> Result<()> {
                let reader = scope.spawn(move || -> io::Result<()> {
                    let mut reader = BufReader::with_capacity(1 << 20, input);
                    let mut line_no = 1;
                    for turn in 0.. {
                        let mut chunk = Vec::with_capacity(batch * 420);
                        let mut lines = 0;
                        while lines < batch {
                            let n = reader.read_until(b'\n', &mut chunk)?;
                            if n == 0 {
                                break;
                            }
                            lines += 1;
                        }
                        if lines == 0 || chunk_tx[turn % PARSERS].send((line_no, chunk)).is_err() {
                            return Ok(());
                        }
                        line_no += lines;
                    }
                    Ok(())
                });
                let parsers: Vec<_> = chunk_rx
                    .into_iter()
                    .zip(parsed_tx)
                    .map(|(rx, tx)| {
                        scope.spawn(move || {
                            for (first, chunk) in rx {
                                let lines = tiendo_events::store::parse_ndjson(&chunk, first);
                                if tx.send(Batch::Ndjson(chunk, lines)).is_err() {
                                    break;
                                }
                            }
                        })
                    })
                    .collect();
                for turn in 0.. {
                    let Ok(batch) = parsed_rx[turn % PARSERS].recv() else {
                        break;
                    };
                    sink(batch)?;
                }
                drop(parsed_rx);
                reader
                    .join()
                    .map_err(|_| anyhow!("luồng đọc dừng bất thường"))??;
                for parser in parsers {
                    parser
                        .join()
                        .map_err(|_| anyhow!("luồng phân tích dừng bất thường"))?;
                }
                Ok(())
            })
        }
        InputFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_path(path)
                .with_context(|| format!("không mở được {}", path.display()))?;
            let header: Vec<String> = reader
                .headers()?
                .iter()
                .map(|h| h.trim().to_string())
                .collect();
            event::check_csv_header(&header)
                .map_err(|e| anyhow!("{}, dòng 1: {e}", path.display()))?;
            let mut lines = Vec::new();
            for record in reader.records() {
                let (line, parsed) = match record {
                    Ok(r) => (
                        r.position().map_or(0, |p| p.line() as usize),
                        event::from_csv_record(&header, &r),
                    ),
                    Err(e) => (
                        e.position().map_or(0, |p| p.line() as usize),
                        Err(format!("dòng CSV hỏng: {e}")),
                    ),
                };
                lines.push((line, parsed));
                if lines.len() >= batch {
                    sink(Batch::Records(std::mem::take(&mut lines)))?;
                }
            }
            if !lines.is_empty() {
                sink(Batch::Records(lines))?;
            }
            Ok(())
        }
        InputFormat::Parquet => {
            let mut row = 1;
            for b in columnar::read_parquet_input(path).map_err(|e| anyhow!(e))? {
                let events = columnar::events_from_batch(&b)
                    .map_err(|e| anyhow!("{}: {e}", path.display()))?;
                let lines: Lines = events
                    .into_iter()
                    .enumerate()
                    .map(|(i, e)| (row + i, e))
                    .collect();
                row += lines.len();
                sink(Batch::Records(lines))?;
            }
            Ok(())
        }
    }
}

pub async fn ingest(database: &str, args: IngestArgs) -> Result<ExitCode> {
    let root = args.dir.resolve(database);
    let store = EventStore::open(&root, Calendar::vietnam())
        .with_context(|| format!("không mở được kho sự kiện {}", root.display()))?;
    if store.torn_bytes() > 0 {
        println!(
            "Khôi phục nhật ký: đã cắt {} byte ghi dở ở cuối (chưa được xác nhận).",
            store.torn_bytes()
        );
    }
    let format = detect(&args.file, args.format);
    let started = std::time::Instant::now();
    let mut total = IngestReport::default();
    let ack = args.ack;
    let size = if args.file == Path::new("-") {
        0
    } else {
        std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0)
    };
    let bar = crate::progress::reading(size, "Đang nhập");
    tokio::task::block_in_place(|| {
        read_batches(&args.file, format, args.batch.max(1), &mut |batch| {
            let last = batch.last_line();
            if let Batch::Ndjson(text, _) = &batch {
                bar.inc(text.len() as u64);
            }
            let report = match batch {
                Batch::Ndjson(text, lines) => store.ingest_parsed_ndjson(None, &text, lines)?,
                Batch::Records(lines) => store.ingest_parsed(None, lines)?,
            };
            total.add(&report);
            bar.set_message(format!(
                "{} sự kiện, {} sự kiện/giây",
                format::count(total.lines as u64),
                format::count(
                    (total.lines as f64 / started.elapsed().as_secs_f64().max(1e-9)) as u64
                )
            ));
            if ack {
                println!("ack {last}");
                io::stdout().flush()?;
            }
            Ok(())
        })
    })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    print_report(&total);
    println!(
        "Thời gian: {} giây ({} sự kiện/giây, ghi bền vững).",
        format::decimal(elapsed.as_secs_f64(), 2),
        format::count((total.lines as f64 / elapsed.as_secs_f64().max(1e-9)) as u64)
    );
    if !args.no_compact {
        let started = std::time::Instant::now();
        let bar = crate::progress::compacting();
        let c = tokio::task::block_in_place(|| {
            store.compact_with_progress(&|step| crate::progress::show_compaction(&bar, step))
        })?;
        bar.finish_and_clear();
        println!(
            "Nén vào Parquet: {} sự kiện từ nhật ký, {} mới, {} trùng; {} phân vùng tháng ghi lại trong {} giây.",
            format::count(c.read as u64),
            format::count(c.added as u64),
            format::count(c.duplicates as u64),
            c.partitions.len(),
            format::decimal(started.elapsed().as_secs_f64(), 2)
        );
        if c.repaired > 0 {
            println!(
                "Đã tính lại rollup của {} nhóm hồ sơ mà lần nén trước dừng giữa chừng chưa ghi xong.",
                c.repaired
            );
        }
        if !c.affected_months.is_empty() {
            println!(
                "Các tháng cần tính lại (tiendo measure): {}",
                c.affected_months.join(", ")
            );
        }
        println!(
            "Kho sự kiện {}: {} sự kiện.",
            root.display(),
            format::count(store.stored_events().map_err(|e| anyhow!(e))? as u64)
        );
    }
    Ok(if total.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The agencies that run procedure systems in 2024 (ministries, ministerial-level
/// agencies and provinces) from the built-in reference data, in list order.
pub fn agencies_2024() -> Result<Vec<String>> {
    let reference: Vec<_> = crate::demo::demo_sources()?
        .into_iter()
        .filter(|s| s.name.starts_with("data/demo/reference/"))
        .collect();
    let data = plan(&reference, &Dataset::default())
        .map_err(|e| anyhow!("dữ liệu tham chiếu không hợp lệ: {}", e.len()))?
        .result;
    let day = NaiveDate::from_ymd_opt(2024, 6, 30).expect("valid date");
    let mut agencies: Vec<_> = data
        .agencies
        .iter()
        .filter(|a| {
            matches!(
                a.kind,
                AgencyKind::Ministry | AgencyKind::MinisterialAgency | AgencyKind::Province
            ) && a.valid_on(day)
        })
        .collect();
    agencies.sort_by(|a, b| tiendo_core::model::agency_order(a, b));
    Ok(agencies.into_iter().map(|a| a.id.clone()).collect())
}

pub fn gen_events(args: GenArgs) -> Result<ExitCode> {
    let spec = Spec {
        dossiers: args.dossiers,
        seed: args.seed,
        from: args.from,
        to: args.to,
        agencies: agencies_2024()?,
        part: args.part,
    };
    let calendar = Calendar::vietnam();
    let generated = match &args.output {
        Some(path) => {
            let bar = crate::progress::writing("Đang sinh sự kiện");
            bar.set_message(format!("{} hồ sơ", format::count(spec.dossiers)));
            let mut out = BufWriter::with_capacity(
                1 << 20,
                bar.wrap_write(
                    File::create(path)
                        .with_context(|| format!("không tạo được {}", path.display()))?,
                ),
            );
            let g = generate(&spec, &calendar, &mut out)?;
            out.flush()?;
            bar.finish_and_clear();
            g
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
            let g = generate(&spec, &calendar, &mut out)?;
            out.flush()?;
            g
        }
    };
    eprintln!(
        "Đã sinh {} hồ sơ, {} sự kiện ({} cơ quan, {} đến {}, hạt giống {}, phần {}/{}).",
        format::count(generated.dossiers),
        format::count(generated.events),
        spec.agencies.len(),
        format::date(spec.from),
        format::date(spec.to),
        spec.seed,
        spec.part.index + 1,
        spec.part.count
    );
    Ok(ExitCode::SUCCESS)
}

/// Measure one period: the counts of every agency under `regime`.
async fn counts_for(
    engine: &Engine,
    period: Period,
    regime: ReportingRegime,
    repeat: usize,
) -> Result<(Vec<(String, Counts)>, Vec<std::time::Duration>)> {
    let (start, end) = period.bounds(regime);
    Ok(engine.timed(start, end, repeat).await?)
}

pub async fn measure(database: &str, args: MeasureArgs) -> Result<ExitCode> {
    let config = match &args.config {
        Some(path) => IndexConfig::from_json(
            &std::fs::read_to_string(path)
                .with_context(|| format!("không đọc được {}", path.display()))?,
        )
        .map_err(|e| anyhow!(e))?,
        None => IndexConfig::builtin(),
    };
    let root = args.dir.resolve(database);
    if args.print_sql {
        // What the engine runs on this store; without a store, as on one whose rollups
        // are current.
        let engine = if root.exists() {
            Some(Engine::open(&root).await?)
        } else {
            None
        };
        for period in &args.period {
            let (start, end) = period.bounds(args.regime);
            let sql = engine.as_ref().map_or_else(
                || qd766_sql(start, end, Activity::for_period(start, end, true)),
                |e| e.sql(start, end),
            );
            println!("-- {} ({} – {})\n{};", period.code(), start, end, sql);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !root.exists() {
        bail!(
            "chưa có kho sự kiện {} (nhập bằng `tiendo ingest` hoặc chạy `tiendo demo`)",
            root.display()
        );
    }
    let bar = crate::progress::compacting();
    let c = tokio::task::block_in_place(|| -> io::Result<_> {
        EventStore::open(&root, Calendar::vietnam())?
            .compact_with_progress(&|step| crate::progress::show_compaction(&bar, step))
    })?;
    bar.finish_and_clear();
    if c.added > 0 {
        println!(
            "Đã nén {} sự kiện mới từ nhật ký vào Parquet.",
            format::count(c.added as u64)
        );
    }
    let engine = Engine::open_on(&root, &args.engine).await?;
    let store = if args.no_store {
        None
    } else {
        Some(crate::open(database).await?)
    };
    let existing = match &store {
        Some(s) => s.load().await?,
        None => Dataset::default(),
    };
    let name = |id: &str| {
        existing
            .agency(id)
            .map_or_else(|| id.to_string(), |a| a.short_name.clone())
    };
    let mut measured = Vec::new();
    for period in &args.period {
        let (counts, times) = counts_for(&engine, *period, args.regime, args.repeat).await?;
        if args.repeat > 1 || args.no_store {
            let ms: Vec<String> = times
                .iter()
                .map(|t| format::decimal(t.as_secs_f64() * 1000.0, 1))
                .collect();
            let received: i64 = counts.iter().map(|(_, c)| c.received).sum();
            println!(
                "Truy vấn QĐ 766 {} trên {}: {} cơ quan, {} hồ sơ tiếp nhận, thời gian (ms): {}",
                period.code(),
                args.engine,
                counts.len(),
                format::count(received as u64),
                ms.join(" ")
            );
        }
        let mut scored: Vec<(String, f64, String)> = counts
            .iter()
            .filter_map(|(a, c)| {
                let s = config.score(c);
                s.on_100.map(|v| (a.clone(), v, s.band.unwrap_or_default()))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        println!(
            "Bộ chỉ số QĐ 766, {} ({} cơ quan có số liệu):",
            period.label_vi(),
            scored.len()
        );
        for (i, (agency, score, band)) in
            scored
                .iter()
                .enumerate()
                .take(if args.no_store { usize::MAX } else { 10 })
        {
            println!(
                "  {:>3}. {:<28} {:>6} {}",
                i + 1,
                name(agency),
                format::decimal(*score, 2),
                band
            );
        }
        measured.push((*period, counts));
    }
    let Some(store) = store else {
        return Ok(ExitCode::SUCCESS);
    };
    let owner = if existing.agency("VPCP").is_some() {
        "VPCP"
    } else {
        bail!(
            "cần cơ quan VPCP (Văn phòng Chính phủ) trong cơ sở dữ liệu: chạy `tiendo demo` hoặc nhập dữ liệu tham chiếu"
        )
    };
    let (records, unknown) =
        observe::measured_records(&config, &existing, owner, args.regime, &measured);
    if unknown > 0 {
        println!(
            "({unknown} mã cơ quan trong sự kiện không có trong cơ sở dữ liệu: không ghi số liệu cho các mã này)"
        );
    }
    let planned = plan(&observe::as_sources(&records), &existing).map_err(|errors| {
        anyhow!(
            "số liệu đo lường không nhập được:\n{}",
            errors
                .iter()
                .take(20)
                .map(|e| format!("  {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    let periods: Vec<String> = args.period.iter().map(Period::code).collect();
    let applied = store
        .apply(
            &planned.changes,
            "tiendo measure",
            &format!("Đo từ sự kiện hồ sơ, kỳ {}", periods.join(", ")),
        )
        .await?;
    println!(
        "Đã ghi số liệu đo lường: thêm {}, cập nhật {}, {} không đổi (nhật ký: tiendo journal).",
        applied.inserted, applied.updated, planned.unchanged
    );
    if let Some(path) = &args.output {
        let data = store.load().await?;
        write_report(
            &data,
            *args.period.last().expect("at least one period"),
            &config,
            path,
            args.format,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Write the report of measured indicators for a period.
fn write_report(
    data: &Dataset,
    period: Period,
    config: &IndexConfig,
    path: &Path,
    format: DocFormat,
) -> Result<()> {
    let request = tiendo_report::MeasuredRequest {
        programme_id: observe::PROGRAMME_ID.to_string(),
        total_indicator: observe::TOTAL_INDICATOR.to_string(),
        period,
        tolerance: config.tolerance_points,
    };
    let doc = tiendo_report::measured_report(data, &request)?;
    let text = match format {
        DocFormat::Md => tiendo_report::to_markdown(&doc),
        DocFormat::Html => tiendo_report::to_html(&doc),
    };
    std::fs::write(path, text).with_context(|| format!("không ghi được {}", path.display()))?;
    println!("Đã ghi báo cáo: {}", path.display());
    Ok(())
}

/// The demo's dossier events: `DEMO_DOSSIERS` synthetic dossiers received in May 2024 by
/// the 2024 ministries and provinces (seed 2024), ingested into the event store next to
/// the database, measured, and reported. Running it again adds nothing (same event ids).
pub const DEMO_DOSSIERS: u64 = 20_000;

pub async fn demo_events(database: &str, reports: &Path) -> Result<Vec<PathBuf>> {
    let dir = EventsDir {
        events_dir: std::env::var_os("TIENDO_EVENTS_DIR").map(PathBuf::from),
    };
    let root = dir.resolve(database);
    let spec = Spec {
        dossiers: DEMO_DOSSIERS,
        seed: 2024,
        from: NaiveDate::from_ymd_opt(2024, 5, 1).expect("valid date"),
        to: NaiveDate::from_ymd_opt(2024, 5, 31).expect("valid date"),
        agencies: agencies_2024()?,
        part: Part::WHOLE,
    };
    let calendar = Calendar::vietnam();
    let mut body = Vec::new();
    let generated = generate(&spec, &calendar, &mut body)?;
    let (report, compacted) = tokio::task::block_in_place(|| -> io::Result<_> {
        let store = EventStore::open(&root, calendar.clone())?;
        let report = store.ingest_parsed_ndjson(
            None,
            &body,
            tiendo_events::store::parse_ndjson(&body, 1),
        )?;
        Ok((report, store.compact()?))
    })?;
    if !report.rejected.is_empty() {
        bail!("sự kiện mẫu bị từ chối: {:?}", report.rejected.first());
    }
    println!(
        "Sự kiện hồ sơ mẫu tháng 5/2024: {} hồ sơ, {} sự kiện ({} mới) trong {}",
        format::count(generated.dossiers),
        format::count(generated.events),
        format::count(compacted.added as u64),
        root.display()
    );
    let md = reports.join("qd766-2024-05.md");
    let html = reports.join("qd766-2024-05.html");
    let args = MeasureArgs {
        period: vec![Period::month(2024, 5)],
        regime: ReportingRegime::CalendarMonth,
        no_store: false,
        repeat: 1,
        print_sql: false,
        engine: Cluster::InProcess,
        config: None,
        output: Some(md.clone()),
        format: DocFormat::Md,
        dir,
    };
    measure(database, args).await?;
    let data = crate::open(database).await?.load().await?;
    write_report(
        &data,
        Period::month(2024, 5),
        &IndexConfig::builtin(),
        &html,
        DocFormat::Html,
    )?;
    Ok(vec![md, html])
}
