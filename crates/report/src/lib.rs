//! The periodic progress report (báo cáo tình hình thực hiện), computed from stored
//! records in the structure of the seeds: I. results (indicators by theme, checklists,
//! tasks, target classification), II. shortcomings (overdue tasks by cohort, laggard
//! agencies), III. next tasks, IV. recommendations, and appendices (indicator table,
//! task table, target classification). Every figure carries the records it came from.

pub mod doc;
mod progress;

pub use doc::{Block, Chart, ChartKind, Document, Inline, Letterhead, Series, TableRow, to_html, to_markdown};
pub use progress::{ReportError, ReportRequest, progress_report};
