//! The domain core of tiendo: concepts, rules and computations, with no I/O.
//!
//! Each concept lives in one module:
//! - [`model`]: agencies, groups, lineage, legal documents, programmes, indicators,
//!   targets, observations, tasks, checklists, and the [`model::Dataset`] that holds them;
//! - [`clock`]: the one rule for the dates a figure depends on (period, as-of date,
//!   knowledge date) and the day from which a report about a task counts;
//! - [`period`]: reporting periods and the cut-off rules of reporting regimes;
//! - [`deadline`]: the parser for Vietnamese deadline expressions;
//! - [`status`]: derived task status, task counts and overdue cohorts;
//! - [`assignment`]: who must do a task (groups expanded, exclusions), and the task's
//!   status from its assignees' by the task's rule;
//! - [`indicator`]: attainment, change, aggregation and target classification;
//! - [`check`]: data problems for a person to review;
//! - [`checklist`]: "x/N" results of checklist requirements;
//! - [`access`]: roles and the authorisation rule;
//! - [`submission`]: what is due from an agency, and the life of its submission;
//! - [`obligation`]: what each agency owes for a period, by when, and in what state;
//! - [`structure`]: the structure on a date, codes resolved by date, lineage, restated
//!   checklists, indicator values and rankings, task lead succession;
//! - [`reconcile`]: declared values that disagree with measured ones;
//! - [`stated`]: stated figures compared with what the records compute;
//! - [`figure`]: the figures a report or page states, computed and worded once;
//! - [`format`]: Vietnamese number, percentage and date formatting;
//! - [`lang`]: the two languages of every surface;
//! - [`limits`]: the bounds of every input from outside (dates, sizes, work).

pub mod access;
pub mod assignment;
pub mod check;
pub mod checklist;
pub mod clock;
pub mod deadline;
pub mod figure;
pub mod format;
pub mod indicator;
pub mod lang;
pub mod limits;
pub mod model;
pub mod obligation;
pub mod period;
pub mod reconcile;
pub mod stated;
pub mod status;
pub mod structure;
pub mod submission;
pub mod urge;
