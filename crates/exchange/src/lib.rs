//! The tiendo exchange format, version 1 (`docs/exchange-format.md`): one CSV file per
//! kind of record. [`import`] validates files against a dataset and yields the changes
//! to apply, or every error it found with file, line, field and reason; [`export`]
//! writes a dataset in the same format; [`workbook`] reads a filled Excel data request
//! into the same import plan.

pub mod export;
pub mod import;
pub mod records;
pub mod validate;
pub mod workbook;

/// The format's name in `tiendo.json`.
pub const FORMAT_NAME: &str = "tiendo-exchange";
/// The format's version.
pub const FORMAT_VERSION: u64 = 1;
/// The manifest file written beside the CSV files.
pub const MANIFEST: &str = "tiendo.json";
