//! The application layer: the use cases that the command line (`tiendo`) and the web
//! application (`tiendo-web`) both call, over the domain core, the store and the
//! renderers, with no HTTP in them.
//!
//! - [`records`]: the database and the in-memory copy of its records, reloaded after a
//!   write;
//! - [`accounts`]: accounts, passwords and API tokens, and the [`accounts::Caller`] every
//!   use case is asked by;
//! - [`entry`]: reporting: periods opened and locked, an agency's submission, its entries
//!   staged from the form, the API or an Excel template, sent, withdrawn, and reviewed;
//! - [`reminders`]: the daily pass of e-mail reminders in `tiendo serve`;
//! - [`editions`]: issuing an edition of a report, drawing one again from the journal,
//!   what changed since the one before, and a programme's document settings.
//! - [`publication`]: the public site's content, the issued editions public on a day;
//! - [`urge`]: what a programme's agencies owe for a period, who is behind, and their
//!   urging letters.
//!
//! The use cases answer an [`error::Error`] (or, for the older ones, an error type of
//! their own); the web maps it to an HTTP answer, the command line to a message and an
//! exit code.

pub mod accounts;
pub mod editions;
pub mod entry;
pub mod error;
pub mod publication;
pub mod records;
pub mod reminders;
pub mod urge;
