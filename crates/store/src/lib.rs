//! Storage of tiendo records.
//!
//! [`Store`] is the storage interface; [`sqlite::SqliteStore`] is the embedded default
//! (one file, WAL, `synchronous=FULL`, writers take the lock with `BEGIN IMMEDIATE`) and
//! [`postgres::PostgresStore`] the server (rows locked with `SELECT … FOR UPDATE`); both
//! run the same statements ([`sql`]), and [`Database`] is whichever one a location names.
//! Tables mirror the exchange format's records one to one (the schema is in
//! `migrations/`, one directory per backend), each row carries a `version` that every
//! update increments, and every change is written in the same transaction to an
//! append-only `journal` (who, when, what, before, after, why).

pub mod database;
pub mod edition;
pub mod narrative;
pub mod postgres;
pub mod publication;
pub mod reminder;
pub mod report_settings;
pub mod sql;
pub mod sqlite;
pub mod workflow;

pub use database::Database;

use std::future::Future;

use serde::Serialize;
use tiendo_core::model::Dataset;
use tiendo_exchange::import::Change;
use tiendo_exchange::records::{Entity, Row};

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
    /// The record changed (or appeared) since the caller read it: nothing was written.
    #[error("{entity} {key}: bản ghi đã được người khác thay đổi; không ghi đè")]
    Conflict {
        entity: &'static str,
        key: String,
        current: Option<Versioned>,
    },
    /// A text that no backend can keep alike (a NUL byte, other control characters):
    /// nothing was written.
    #[error("{entity} {key}, cột {column}: {reason}")]
    Unprintable {
        entity: &'static str,
        key: String,
        column: String,
        reason: String,
    },
    /// A value the loader would refuse (a date out of range, a code not in its list, a
    /// missing required field): nothing was written.
    #[error("{entity} {key}, cột {column}: {reason}")]
    Invalid {
        entity: &'static str,
        key: String,
        column: String,
        reason: String,
    },
    /// A record that is written once (an issued edition) was to be changed: nothing was
    /// written.
    #[error("{entity} {key}: bản ghi đã ban hành không được sửa; hãy ban hành bản thay thế")]
    Immutable { entity: &'static str, key: String },
    /// The record a write is about does not exist: nothing was written.
    #[error("không có {0}")]
    NotFound(String),
}

/// Refuse changes to records that are written once ([`workflow::IMMUTABLE`]).
pub(crate) fn check_mutable(changes: &[Change]) -> Result<()> {
    match changes
        .iter()
        .find(|c| c.before.is_some() && workflow::IMMUTABLE.contains(&c.entity.name))
    {
        Some(c) => Err(StoreError::Immutable {
            entity: c.entity.name,
            key: c.key.clone(),
        }),
        None => Ok(()),
    }
}

/// Refuse changes whose rows the loader would not read, before anything is written: the
/// one validation of typed values behind every write path (API, forms, imports,
/// templates, acceptance of a submission), with the loader's own rules.
pub(crate) fn check_storable(
    changes: &[&Change],
    ctx: &tiendo_exchange::records::Context,
) -> Result<()> {
    for change in changes {
        if let Err(errors) =
            tiendo_exchange::records::check_storable(change.entity, &change.after, ctx)
            && let Some(first) = errors.into_iter().next()
        {
            return Err(StoreError::Invalid {
                entity: change.entity.name,
                key: change.key.clone(),
                column: first.field,
                reason: first.reason,
            });
        }
    }
    Ok(())
}

/// Refuse changes whose texts cannot be stored alike by every backend, before anything
/// is written: a NUL byte is an error on PostgreSQL and kept on SQLite.
pub(crate) fn check_printable(changes: &[Change], actor: &str, reason: &str) -> Result<()> {
    for change in changes {
        let cells = change
            .entity
            .column_names()
            .zip(&change.after)
            .filter_map(|(c, v)| Some((c.to_string(), v.as_deref()?)));
        let meta = [
            ("actor".to_string(), actor),
            ("reason".to_string(), reason),
            ("key".to_string(), change.key.as_str()),
        ];
        for (column, text) in cells.chain(meta) {
            if let Some(why) = tiendo_exchange::records::unprintable_reason(text) {
                return Err(StoreError::Unprintable {
                    entity: change.entity.name,
                    key: change.key.clone(),
                    column,
                    reason: why,
                });
            }
        }
    }
    Ok(())
}

/// A stored row with its version, which every update increments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned {
    pub row: Row,
    pub version: i64,
}

/// A web session as the session layer stores it: opaque data and its expiry (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub data: String,
    pub expires_at: i64,
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
    ///
    /// Each change is checked against what is stored, under the write lock: an insert
    /// needs the record to be absent and an update needs it to equal `before`;
    /// otherwise nothing is written and [`StoreError::Conflict`] names the record and
    /// gives its current state. So two people editing the same record never silently
    /// overwrite each other.
    fn apply(
        &self,
        changes: &[Change],
        actor: &str,
        reason: &str,
    ) -> impl Future<Output = Result<Applied>> + Send;
    /// The journal, oldest first, optionally for one entity and record key.
    fn journal(
        &self,
        entity: Option<&str>,
        key: Option<&str>,
    ) -> impl Future<Output = Result<Vec<JournalEntry>>> + Send;
    /// At most `limit` journal entries after the sequence number `after_seq`, oldest
    /// first, optionally for one entity and record key.
    fn journal_page(
        &self,
        entity: Option<&str>,
        key: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<JournalEntry>>> + Send;
    /// Every row of one entity (programme data or workflow) with its version, by key.
    fn rows(&self, entity: &'static Entity) -> impl Future<Output = Result<Vec<Versioned>>> + Send;
    /// One row by key.
    fn get(
        &self,
        entity: &'static Entity,
        key: &str,
    ) -> impl Future<Output = Result<Option<Versioned>>> + Send;
    /// Keep bytes under their SHA-256 (hex); storing the same bytes twice is a no-op.
    fn put_blob(&self, sha256: &str, bytes: &[u8]) -> impl Future<Output = Result<()>> + Send;
    fn blob(&self, sha256: &str) -> impl Future<Output = Result<Option<Vec<u8>>>> + Send;
    fn session_load(&self, id: &str) -> impl Future<Output = Result<Option<SessionRecord>>> + Send;
    fn session_save(
        &self,
        id: &str,
        record: &SessionRecord,
    ) -> impl Future<Output = Result<()>> + Send;
    fn session_delete(&self, id: &str) -> impl Future<Output = Result<()>> + Send;
    /// Remove sessions that expired before `now` (Unix seconds).
    fn session_delete_expired(&self, now: i64) -> impl Future<Output = Result<()>> + Send;
}

/// A row as a JSON object of column → value, for the journal.
/// Secret columns (password and token hashes) are written as `"***"`.
pub(crate) fn row_json(entity: &Entity, row: &Row) -> serde_json::Value {
    serde_json::Value::Object(
        entity
            .column_names()
            .zip(row)
            .map(|(c, v)| {
                let value = match v {
                    None => serde_json::Value::Null,
                    Some(_) if workflow::SECRET_COLUMNS.contains(&c) => {
                        serde_json::Value::String("***".into())
                    }
                    Some(v) => serde_json::Value::String(v.clone()),
                };
                (c.to_string(), value)
            })
            .collect(),
    )
}
