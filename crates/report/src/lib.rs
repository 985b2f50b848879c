//! The periodic progress report (báo cáo tình hình thực hiện), computed from stored
//! records in the structure of the seeds: I. results (indicators by theme, checklists,
//! tasks, target classification), II. shortcomings (overdue tasks by cohort, laggard
//! agencies), III. next tasks, IV. recommendations, and appendices (indicator table,
//! task table, target classification). Every figure carries the records it came from.
//! The report of measured indicators ([`measured_report`]) ranks agencies on the QĐ 766
//! index and reconciles declared with measured values. [`changes`] compares the figures
//! of two editions of a report. [`narrative`] is the secretariat's text beside the figures,
//! with references to them ([`narrated_report`]).

pub mod changes;
pub mod doc;
mod measured;
pub mod narrative;
mod progress;
mod references;
pub mod urge;

pub use doc::{
    Block, Chart, ChartKind, Document, Inline, Letterhead, Series, TableRow, blocks_to_html,
    to_html, to_html_linked, to_markdown,
};
pub use measured::{MeasuredRequest, measured_report};
pub use narrative::{Narrative, NarrativeError, Section};
pub use progress::{
    ReportError, ReportRequest, narrated_report, progress_report, render_narrative, subject_of,
};
