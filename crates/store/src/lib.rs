//! Storage of tiendo records.
//!
//! [`Store`] is the storage interface; [`sqlite::SqliteStore`] is the embedded default
//! (one file, WAL, `synchronous=FULL`, writers take the lock with `BEGIN IMMEDIATE`).
//! Tables mirror the exchange format's records one to one (the schema is in
//! `migrations/`), each row carries a `version` that every update increments, and every
//! change is written in the same transaction to an append-only `journal` (who, when,
//! what, before, after, why).

pub mod sqlite;

use std::future::Future;

use serde::Serialize;
use tiendo_core::model::Dataset;
use tiendo_exchange::import::Change;

/// A storage error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    #[error("lỗi nâng cấp lược đồ cơ sở dữ liệu: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("dữ liệu lưu trữ không hợp lệ: {0}")]
    Corrupt(String),
    #[error("địa chỉ cơ sở dữ liệu không được hỗ trợ: {0}")]
    UnsupportedUrl(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// One entry of the change journal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JournalEntry {
    pub seq: i64,
    /// RFC 3339 timestamp (UTC).
    pub at: String,
    pub actor: String,
    /// `insert`, `update` or `delete`.
    pub action: String,
    pub entity: String,
    pub record_key: String,
    /// The record before the change, as a JSON object of column → value.
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: String,
}

/// What was written by [`Store::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Applied {
    pub inserted: usize,
    pub updated: usize,
}

/// The storage interface that every backend satisfies.
pub trait Store {
    /// Every stored record.
    fn load(&self) -> impl Future<Output = Result<Dataset>> + Send;
    /// Apply changes in one transaction, journaling each one; all or nothing.
    fn apply(&self, changes: &[Change], actor: &str, reason: &str) -> impl Future<Output = Result<Applied>> + Send;
    /// The journal, oldest first, optionally for one entity and record key.
    fn journal(&self, entity: Option<&str>, key: Option<&str>) -> impl Future<Output = Result<Vec<JournalEntry>>> + Send;
}

/// A row as a JSON object of column → value, for the journal.
pub(crate) fn row_json(entity: &tiendo_exchange::records::Entity, row: &tiendo_exchange::records::Row) -> serde_json::Value {
    serde_json::Value::Object(
        entity
            .column_names()
            .zip(row)
            .map(|(c, v)| (c.to_string(), v.clone().map_or(serde_json::Value::Null, serde_json::Value::String)))
            .collect(),
    )
}
