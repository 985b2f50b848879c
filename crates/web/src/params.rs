//! Request parameters read the same way by the pages and the API: periods and dates,
//! refused with an error that names the field.

use tiendo_core::period::Period;

use crate::error::{AppError, AppResult};

/// A period code (2024-05, 2024-Q2, 2024-H1, 2024-9M, 2024); none when absent or blank.
pub fn parse_period(text: Option<impl AsRef<str>>) -> AppResult<Option<Period>> {
    match text
        .as_ref()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(t) => t
            .parse::<Period>()
            .map(Some)
            .map_err(|e| AppError::invalid("period", e.0, format!("Invalid period: {t}"))),
    }
}

/// A date (YYYY-MM-DD) of the pages' forms; none when absent or blank.
pub fn parse_date(text: Option<impl AsRef<str>>) -> AppResult<Option<chrono::NaiveDate>> {
    match text
        .as_ref()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(t) => tiendo_core::limits::parse_record_date(t)
            .map(Some)
            .map_err(|reason| {
                AppError::invalid(
                    "structure",
                    format!("{reason}."),
                    format!("Invalid date \"{t}\" (YYYY-MM-DD, years 1900 to 2199)."),
                )
            }),
    }
}
