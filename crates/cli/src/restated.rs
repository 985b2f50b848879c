//! Demo reports shown in the structure of another date (`tiendo report --structure-date`):
//! the 2024 data in the structure after the 2025 reorganisation, and the first half of
//! 2025 (63 provinces) in the structure of the second half (34).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_report::ReportRequest;

/// Programme, period, structure date, file stem.
const RESTATED_DEMO_REPORTS: [(&str, &str, &str, &str); 2] = [
    (
        "cdsqg",
        "2024-05",
        "2025-07-01",
        "cdsqg-2024-05-co-cau-2025-07-01",
    ),
    (
        "mh2025",
        "2025-H1",
        "2025-12-31",
        "mh2025-2025-H1-co-cau-2025-12-31",
    ),
];

/// Write the restated demo reports (Markdown and HTML) into `dir`; returns the files.
pub fn write_demo_reports(data: &Dataset, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (programme, period, structure_date, stem) in RESTATED_DEMO_REPORTS {
        let request = ReportRequest {
            programme_id: programme.to_string(),
            period: Some(period.parse::<Period>()?),
            as_of: None,
            known_on: None,
            structure_date: Some(structure_date.parse::<NaiveDate>()?),
        };
        let doc = tiendo_report::progress_report(data, &request)?;
        for (ext, text) in [
            ("md", tiendo_report::to_markdown(&doc)),
            ("html", tiendo_report::to_html(&doc)),
        ] {
            let path = dir.join(format!("{stem}.{ext}"));
            std::fs::write(&path, text)
                .with_context(|| format!("không ghi được {}", path.display()))?;
            written.push(path);
        }
    }
    Ok(written)
}
