//! The PostgreSQL store: one server shared by many users.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions, PgQueryResult};
use sqlx::{AssertSqlSafe, Connection, Postgres};

use crate::Result;
use crate::sql::{Backend, SqlStore};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A tiendo database in a PostgreSQL schema.
pub type PostgresStore = SqlStore<Postgres>;

/// Writers run at READ COMMITTED and lock each row they are about to change
/// (`SELECT … FOR UPDATE`): a writer that waited for the lock reads the row as the other
/// writer committed it, so the compare-and-set sees every committed change. Two inserts
/// of the same new key meet at the primary key (`ON CONFLICT DO NOTHING`), and the one
/// that finds it taken is refused. Reads see one snapshot (REPEATABLE READ).
impl Backend for Postgres {
    const BEGIN_WRITE: &'static str = "BEGIN ISOLATION LEVEL READ COMMITTED";
    const BEGIN_READ: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    const LOCK_ROW: &'static str = " FOR UPDATE";
    fn rows_affected(result: &PgQueryResult) -> u64 {
        result.rows_affected()
    }
}

impl PostgresStore {
    /// Open the database at a `postgres://` or `postgresql://` URL and bring its schema up
    /// to date. The tables live in the first schema of the connection's `search_path`,
    /// which the URL may set (`?options=-csearch_path%3Dtiendo`); that schema is created
    /// if it does not exist.
    pub async fn open(url: &str) -> Result<PostgresStore> {
        let options = PgConnectOptions::from_str(url)?;
        let mut conn = PgConnection::connect_with(&options).await?;
        let (current, search_path): (Option<String>, String) =
            sqlx::query_as("SELECT current_schema(), current_setting('search_path')")
                .fetch_one(&mut conn)
                .await?;
        if current.is_none()
            && let Some(schema) = first_schema(&search_path)
        {
            let sql = format!(
                "CREATE SCHEMA IF NOT EXISTS \"{}\"",
                schema.replace('"', "\"\"")
            );
            sqlx::query(AssertSqlSafe(sql)).execute(&mut conn).await?;
        }
        conn.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(SqlStore { pool })
    }
}

/// The first schema that a `search_path` setting names, as PostgreSQL reads it: a quoted
/// name as written, an unquoted one in lower case; `$user` names no fixed schema.
fn first_schema(search_path: &str) -> Option<String> {
    let first = search_path.split(',').next()?.trim();
    let name = match first.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => first.to_lowercase(),
    };
    (!name.is_empty() && name != "$user").then_some(name)
}

#[cfg(test)]
mod tests {
    use super::first_schema;

    #[test]
    fn the_first_schema_of_a_search_path() {
        assert_eq!(first_schema("tiendo").as_deref(), Some("tiendo"));
        assert_eq!(
            first_schema("Tiendo_Test, public").as_deref(),
            Some("tiendo_test")
        );
        assert_eq!(
            first_schema("\"Dự án\"\"X\", public").as_deref(),
            Some("Dự án\"X")
        );
        assert_eq!(first_schema("\"$user\", public"), None);
        assert_eq!(first_schema(""), None);
    }
}
