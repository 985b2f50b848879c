//! The tiendo web application: server-rendered pages for the secretariat, agency
//! reporters and leaders, and the JSON API under `/api/v1` for machines.
//!
//! Every page and every API endpoint is built from the same view models ([`views`]) and
//! the same use cases ([`tiendo_app`]: entry and review, editions, accounts, chasing);
//! every state change is authorised by [`tiendo_core::access::authorize`] in the server
//! and written through the journaled, versioned [`tiendo_store::Store`]. The application state ([`state`]) depends on no
//! other module of the crate; the modules depend on each other without a circle
//! (`tests/structure.rs`).

pub mod api;
pub mod app;
pub mod auth;
pub mod chart;
pub mod compaction;
pub mod editions;
pub mod error;
pub mod i18n;
pub mod map;
pub mod narratives;
pub mod page;
pub mod pages;
pub mod params;
pub mod public;
pub mod request_log;
pub mod state;
pub mod views;

pub use app::{router, serve};
pub use state::{App, Settings};
