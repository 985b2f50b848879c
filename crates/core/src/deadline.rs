//! Deadline expressions (thời hạn) as written in the reports, and their normalised due
//! dates. See the parser's documentation for the accepted forms.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The form a deadline expression took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeadlineKind {
    /// A calendar day: "30/4/2024", "Trước ngày 15/4".
    Date,
    /// A month: "Tháng 5", "Tháng 6/2024".
    Month,
    /// A quarter: "Quý II/2024", "Quý III".
    Quarter,
    /// A half year: "6 tháng đầu năm 2024".
    HalfYear,
    /// A year or a span of years: "Năm 2022", "2025", "2021-2025".
    Year,
    /// A recurring deadline: "Hàng năm", "Hàng tháng", "Hàng quý".
    Recurring,
    /// Continuous work with no due date: "Thường xuyên".
    Continuous,
    /// Text the parser could not read; kept as written and flagged, never guessed.
    Unparsed,
}

/// How often a recurring deadline falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Recurrence {
    Monthly,
    Quarterly,
    Yearly,
}

/// A deadline: the text as written, and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The expression exactly as written.
    pub text: String,
    pub kind: DeadlineKind,
    /// The normalised due date: the last day of the named period.
    pub due: Option<NaiveDate>,
    /// The first day of the named period (a task done before it is "done early").
    pub window_start: Option<NaiveDate>,
    pub recurrence: Option<Recurrence>,
    /// The text says the work is under way ("Đang thực hiện/2025").
    pub in_progress_mark: bool,
}
