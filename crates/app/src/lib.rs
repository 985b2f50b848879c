//! The application layer: the use cases that the command line (`tiendo`) and the web
//! application (`tiendo-web`) both call, over the domain core, the store and the
//! renderers, with no HTTP in them.
//!
//! - [`accounts`]: accounts, passwords and API tokens.
//! - [`editions`]: issuing an edition of a report, drawing one again from the journal,
//!   what changed since the one before, and a programme's document settings.
//! - [`urge`]: what a programme's agencies owe for a period, who is behind, and their
//!   urging letters.
//!
//! Each use case has its own error type; the web maps it to an HTTP answer, the command
//! line to a message and an exit code.

pub mod accounts;
pub mod editions;
pub mod urge;
