//! The periodic progress report (báo cáo tình hình thực hiện), computed from stored
//! records in the structure of the seeds: I. results (indicators by theme, checklists,
//! tasks, target classification), II. shortcomings (overdue tasks by cohort, laggard
//! agencies), III. next tasks, IV. recommendations, and appendices (indicator table,
//! task table, target classification). Every figure carries the records it came from.
//! The report of measured indicators ([`measured_report`]) ranks agencies on the QĐ 766
//! index and reconciles declared with measured values. [`changes`] compares the figures
//! of two editions of a report.

pub mod changes;
pub mod doc;
mod measured;
mod progress;
pub mod urge;

pub use doc::{Block, Chart, ChartKind, Document, Inline, Letterhead, Series, TableRow, to_html, to_markdown};
pub use measured::{MeasuredRequest, measured_report};
pub use progress::{ReportError, ReportRequest, progress_report};
