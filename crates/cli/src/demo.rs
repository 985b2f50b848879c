//! `tiendo demo`: the demo database from the 2024 reports, and the demo reports.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use include_dir::{Dir, include_dir};
use tiendo_core::period::Period;
use tiendo_exchange::import::{SourceFile, plan};
use tiendo_exchange::records::Entity;
use tiendo_report::ReportRequest;
use tiendo_store::Store;
use tiendo_store::report_settings::{self, DocumentSettings};

/// Where the demo database lives, and the default database of every command.
pub const DEFAULT_DATABASE: &str = "tiendo-demo/tiendo.db";

/// The demo data set (`data/demo`), built into the binary.
static DEMO: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../data/demo");

/// The demo data as import sources.
pub fn demo_sources() -> Result<Vec<SourceFile>> {
    let mut sources = Vec::new();
    for dir in DEMO.dirs() {
        for file in dir
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "csv"))
        {
            let stem = file
                .path()
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let entity = Entity::by_name(stem)
                .ok_or_else(|| anyhow!("tệp mẫu không rõ loại: {}", file.path().display()))?;
            let text = file
                .contents_utf8()
                .ok_or_else(|| anyhow!("tệp mẫu không phải UTF-8: {}", file.path().display()))?;
            sources.push(SourceFile {
                name: format!("data/demo/{}", file.path().display()),
                entity,
                text: text.to_string(),
            });
        }
    }
    Ok(sources)
}

/// The demo programmes' document settings (`data/demo/report_settings.csv`: signer,
/// recipients, "Kính gửi" from the 2024 reports), saved where none are stored yet, so a
/// rerun never undoes what someone changed.
async fn save_demo_settings<S: Store>(store: &S) -> Result<()> {
    let file = DEMO
        .get_file("report_settings.csv")
        .context("thiếu data/demo/report_settings.csv")?;
    let mut reader = csv::Reader::from_reader(file.contents());
    let headers = reader.headers()?.clone();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.with_context(|| format!("data/demo/report_settings.csv, dòng {}", i + 2))?;
        let cell = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|c| record.get(c))
                .unwrap_or_default()
                .to_string()
        };
        let settings = DocumentSettings::from_cells(cell);
        if report_settings::get(store, &settings.programme_id).await?.1 == 0 {
            report_settings::save(store, &settings, 0, "tiendo demo").await?;
        }
    }
    Ok(())
}

/// The reports the demo writes: programme, period, file stem.
const DEMO_REPORTS: [(&str, &str, &str); 6] = [
    ("kh2024", "2024-05", "kh2024-2024-05"),
    ("cdsqg", "2024-05", "cdsqg-2024-05"),
    ("cl942", "2023", "cl942-2023"),
    ("tb2024", "2024-H2", "tb2024-2024-H2"),
    ("mh2025", "2025-H2", "mh2025-2025-H2"),
    ("pc2024", "2024", "pc2024-2024"),
];

pub async fn run<S: Store>(store: &S, database: &str, reports: &Path) -> Result<()> {
    let existing = store.load().await?;
    let plan = plan(&demo_sources()?, &existing).map_err(|errors| {
        anyhow!(
            "dữ liệu mẫu không hợp lệ:\n{}",
            errors
                .iter()
                .map(|e| format!("  {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    let applied = store
        .apply(
            &plan.changes,
            "tiendo demo",
            "Nạp dữ liệu mẫu từ các báo cáo năm 2024",
        )
        .await?;
    println!(
        "Cơ sở dữ liệu: {} (thêm {} bản ghi, cập nhật {}, {} không đổi)",
        tiendo_store::database::redacted(database),
        applied.inserted,
        applied.updated,
        plan.unchanged
    );
    save_demo_settings(store).await?;
    let data = store.load().await?;
    std::fs::create_dir_all(reports)
        .with_context(|| format!("không tạo được {}", reports.display()))?;
    let mut written: Vec<PathBuf> = Vec::new();
    for (programme, period, stem) in DEMO_REPORTS {
        let period: Period = period.parse()?;
        let doc = tiendo_report::progress_report(
            &data,
            &ReportRequest {
                programme_id: programme.to_string(),
                period: Some(period),
                as_of: None,
                known_on: None,
                structure_date: None,
            },
        )?;
        for (ext, text) in [
            ("md", tiendo_report::to_markdown(&doc)),
            ("html", tiendo_report::to_html(&doc)),
        ] {
            let path = reports.join(format!("{stem}.{ext}"));
            std::fs::write(&path, text)
                .with_context(|| format!("không ghi được {}", path.display()))?;
            written.push(path);
        }
        written.extend(
            crate::documents::demo_files(store, &data, &doc, programme, reports, stem).await?,
        );
    }
    written.extend(crate::restated::write_demo_reports(&data, reports)?);
    written.extend(crate::events::demo_events(database, reports).await?);
    println!("Báo cáo mẫu:");
    for path in &written {
        println!("  {}", path.display());
    }
    let problems = tiendo_core::check::check(&data);
    println!(
        "Kiểm tra dữ liệu: {} vấn đề (xem bằng `tiendo check`).",
        problems.len()
    );
    Ok(())
}
