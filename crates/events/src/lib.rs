//! Measured indicators from dossier events (DOMAIN §4).
//!
//! - [`event`]: the event model (JSON Schema in `docs/dossier-events.schema.json`);
//! - [`wal`]: the write-ahead log (CRC32C frames, group commit, torn-tail recovery);
//! - [`store`]: durable, idempotent ingestion and compaction into Parquet;
//! - [`columnar`]: the Parquet tables (`events`, and the rollups `daily`, `overdue`);
//! - [`calendar`]: the working-day clock over the holiday calendar (data);
//! - [`dossier`]: the rules from a dossier's events to its facts (finish, pauses, on time);
//! - [`query`]: the QĐ 766 query with DataFusion (plain SQL over plain Parquet);
//! - [`index`]: measured indicators and QĐ 766 scoring from configuration;
//! - [`observe`]: measured values as observations for the import plan;
//! - [`generate`]: synthetic events for demos and benchmarks;
//! - [`failpoint`]: `TIENDO_FAILPOINT`, aborting at a chosen step (crash tests).

pub mod calendar;
pub mod columnar;
pub mod dossier;
pub mod event;
pub mod failpoint;
pub mod generate;
pub mod index;
pub mod observe;
mod parquet_guard;
pub mod query;
pub mod store;
pub mod wal;

pub use store::{CompactReport, CompactStep, EventStore, IngestReport, Rejected};
