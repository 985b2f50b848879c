//! The bounds of what tiendo accepts from outside: every input that a caller sends has a
//! size and a work limit here, so that nothing one caller sends can stop the service for
//! others, and whatever a write path accepts every reader can load. `docs/limits.md`
//! lists them with the surface each applies to.

use chrono::{Datelike, NaiveDate};

/// The years a date in a record may fall in (a due date, a completion date, a validity
/// date, a report's date). The programmes monitored start in the 2000s; lineage reaches
/// back to the provinces of 1976 and deadlines run to 2045 at most; dates outside these
/// years are typing mistakes, and refusing them keeps every date arithmetic in range.
pub const RECORD_YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// Why a record's date is out of range, if it is.
pub fn record_date_reason(date: NaiveDate) -> Option<String> {
    (!RECORD_YEARS.contains(&date.year())).then(|| {
        format!(
            "ngày {date} nằm ngoài khoảng cho phép (năm {} đến {})",
            RECORD_YEARS.start(),
            RECORD_YEARS.end()
        )
    })
}

/// Read a record's date in ISO form (`YYYY-MM-DD`, exactly ten characters), within
/// [`RECORD_YEARS`]. The one rule for every write path (API, forms, imports, templates)
/// and the loader.
pub fn parse_record_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| format!("ngày \"{text}\" không hợp lệ (định dạng YYYY-MM-DD)"))?;
    match record_date_reason(date) {
        Some(reason) => Err(reason),
        None => Ok(date),
    }
}

/// The years the events of a dossier may fall in (received, each event's time, its due
/// date): electronic procedure systems started after 2000.
pub const EVENT_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// How long after its receipt a dossier's statutory due date may fall. The longest time
/// limits of administrative procedures are some months; three years leaves room for
/// every extension while bounding the working-day arithmetic and the months an event
/// makes the server measure again.
pub const EVENT_DUE_DAYS_AFTER_RECEIPT: i64 = 3 * 366;

/// How long after its receipt an event of a dossier may happen (a dossier waiting for
/// the applicant, or finished late, is still recorded).
pub const EVENT_DAYS_AFTER_RECEIPT: i64 = 5 * 366;

/// The largest evidence file a reporter may upload with a checklist entry.
pub const EVIDENCE_BYTES: usize = 20 * 1024 * 1024;

/// The longest narrative section a secretariat may write, in bytes (the longest section of
/// the seed reports is about 20 KB).
pub const NARRATIVE_BYTES: usize = 200_000;

/// The largest sheet of an uploaded workbook: rows and columns of its dimension (the
/// templates tiendo writes have a few hundred rows and fewer than 20 columns).
pub const WORKBOOK_ROWS: u32 = 20_000;
pub const WORKBOOK_COLUMNS: u32 = 64;

/// The most journal entries one page of the journal returns.
pub const JOURNAL_PAGE: usize = 500;

/// The most bytes a Parquet file of dossier events from outside (`tiendo ingest
/// FILE.parquet`) may decode to, or [`PARQUET_EXPANSION`] times its own size when that is
/// more: counted on what its pages declare once uncompressed (before each is
/// decompressed) and on the record batches decoded. A 518 KB file once took 1,44 GB of
/// memory; a file of real events decodes to a few times its size.
pub const PARQUET_DECODED_BYTES: u64 = 256 << 20;

/// How many times its own size a Parquet file of events from outside may decode to (see
/// [`PARQUET_DECODED_BYTES`]).
pub const PARQUET_EXPANSION: u64 = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_dates_are_iso_and_within_the_years() {
        assert_eq!(
            parse_record_date("2024-06-30"),
            Ok(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap())
        );
        for bad in [
            "-0001-01-01",
            "+10000-01-01",
            "0001-01-01",
            "2200-01-01",
            "1899-12-31",
            "2024-6-30",
            "30/6/2024",
            "",
        ] {
            assert!(parse_record_date(bad).is_err(), "{bad} accepted");
        }
        assert!(parse_record_date("1900-01-01").is_ok());
        assert!(parse_record_date("2199-12-31").is_ok());
    }
}
