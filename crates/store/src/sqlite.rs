//! The SQLite store: the embedded default.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult,
    SqliteSynchronous,
};

use crate::Result;
use crate::sql::{Backend, SqlStore};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// A tiendo database in one SQLite file.
pub type SqliteStore = SqlStore<Sqlite>;

/// Writers take the database lock when they begin (`BEGIN IMMEDIATE`), so a row read in a
/// writing transaction cannot change before it commits; a plain `BEGIN` reads one
/// snapshot (WAL).
impl Backend for Sqlite {
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    const BEGIN_READ: &'static str = "BEGIN";
    const LOCK_ROW: &'static str = "";
    fn rows_affected(result: &SqliteQueryResult) -> u64 {
        result.rows_affected()
    }
}

impl SqliteStore {
    /// Open (creating it if absent) the database at a path or `sqlite:` URL and bring
    /// its schema up to date.
    pub async fn open(location: &str) -> Result<SqliteStore> {
        let url = if location.starts_with("sqlite:") {
            location.to_string()
        } else {
            format!("sqlite://{location}")
        };
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(SqlStore { pool })
    }
}
