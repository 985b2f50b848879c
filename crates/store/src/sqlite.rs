//! The SQLite store: the embedded default.

use std::str::FromStr;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
// Statements are built only from the static names of entities and columns.
use sqlx::{AssertSqlSafe, Row as _, Sqlite};
use tiendo_core::model::Dataset;
use tiendo_exchange::import::Change;
use tiendo_exchange::records::{ColumnType, ENTITIES, Entity, Row, RowSet, from_rows};

use crate::{Applied, JournalEntry, Result, Store, StoreError, row_json};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// A tiendo database in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Open (creating it if absent) the database at a path or `sqlite:` URL and bring
    /// its schema up to date.
    pub async fn open(location: &str) -> Result<SqliteStore> {
        let url = if location.starts_with("sqlite:") { location.to_string() } else { format!("sqlite://{location}") };
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        MIGRATOR.run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn quoted(entity: &Entity) -> String {
    entity.column_names().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
}

fn read_cell(row: &SqliteRow, index: usize, ty: ColumnType) -> std::result::Result<Option<String>, sqlx::Error> {
    Ok(match ty {
        ColumnType::Text | ColumnType::Date => row.try_get::<Option<String>, _>(index)?.filter(|s| !s.is_empty()),
        ColumnType::Number => row.try_get::<Option<f64>, _>(index)?.map(|v| format!("{v}")),
        ColumnType::Integer => row.try_get::<Option<i64>, _>(index)?.map(|v| v.to_string()),
        ColumnType::Bool => row.try_get::<Option<bool>, _>(index)?.map(|v| v.to_string()),
    })
}

fn bind_cell<'q>(
    query: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments>,
    value: Option<&str>,
    ty: ColumnType,
    key: bool,
) -> std::result::Result<sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments>, StoreError> {
    let bad = |v: &str| StoreError::Corrupt(format!("giá trị \"{v}\" không đúng kiểu {ty:?}"));
    Ok(match (ty, value) {
        (ColumnType::Text | ColumnType::Date, v) => query.bind(v.map(str::to_string).or_else(|| key.then(String::new))),
        (ColumnType::Number, Some(v)) => query.bind(v.parse::<f64>().map_err(|_| bad(v))?),
        (ColumnType::Integer, Some(v)) => query.bind(v.parse::<i64>().map_err(|_| bad(v))?),
        (ColumnType::Bool, Some(v)) => query.bind(v.parse::<bool>().map_err(|_| bad(v))?),
        (ColumnType::Number, None) => query.bind(None::<f64>),
        (ColumnType::Integer, None) => query.bind(None::<i64>),
        (ColumnType::Bool, None) => query.bind(None::<bool>),
    })
}

impl Store for SqliteStore {
    async fn load(&self) -> Result<Dataset> {
        let mut set = RowSet::new();
        for entity in ENTITIES {
            let sql = format!("SELECT {} FROM {}", quoted(entity), entity.name);
            let mut rows = std::collections::BTreeMap::new();
            for r in sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await? {
                let row: Row = entity.columns.iter().enumerate().map(|(i, c)| read_cell(&r, i, c.ty)).collect::<std::result::Result<_, _>>()?;
                rows.insert(entity.key(&row), row);
            }
            set.insert(entity.name, rows);
        }
        from_rows(&set).map_err(|errors| {
            StoreError::Corrupt(errors.iter().map(|(e, k, f)| format!("{e} {k} {}: {}", f.field, f.reason)).collect::<Vec<_>>().join("; "))
        })
    }

    async fn apply(&self, changes: &[Change], actor: &str, reason: &str) -> Result<Applied> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut applied = Applied::default();
        for change in changes {
            let entity = change.entity;
            let (sql, action) = match &change.before {
                None => {
                    let params = (1..=entity.columns.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
                    (format!("INSERT INTO {} ({}) VALUES ({params})", entity.name, quoted(entity)), "insert")
                }
                Some(_) => {
                    let mut n = 0;
                    let mut next = || {
                        n += 1;
                        format!("${n}")
                    };
                    let sets: Vec<String> = entity.columns.iter().map(|c| format!("\"{}\" = {}", c.name, next())).collect();
                    let wheres: Vec<String> = entity.columns.iter().filter(|c| c.key).map(|c| format!("\"{}\" = {}", c.name, next())).collect();
                    (format!("UPDATE {} SET {}, version = version + 1 WHERE {}", entity.name, sets.join(", "), wheres.join(" AND ")), "update")
                }
            };
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for (column, value) in entity.columns.iter().zip(&change.after) {
                query = bind_cell(query, value.as_deref(), column.ty, column.key)?;
            }
            if change.before.is_some() {
                for (column, value) in entity.columns.iter().zip(&change.after).filter(|(c, _)| c.key) {
                    query = bind_cell(query, value.as_deref(), column.ty, true)?;
                }
            }
            let result = query.execute(&mut *tx).await?;
            if result.rows_affected() != 1 {
                return Err(StoreError::Corrupt(format!("{} {}: không tìm thấy bản ghi để cập nhật", entity.name, change.key)));
            }
            sqlx::query("INSERT INTO journal (at, actor, action, entity, record_key, before, after, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(&at)
                .bind(actor)
                .bind(action)
                .bind(entity.name)
                .bind(&change.key)
                .bind(change.before.as_ref().map(|b| row_json(entity, b).to_string()))
                .bind(row_json(entity, &change.after).to_string())
                .bind(reason)
                .execute(&mut *tx)
                .await?;
            if change.before.is_none() { applied.inserted += 1 } else { applied.updated += 1 }
        }
        tx.commit().await?;
        Ok(applied)
    }

    async fn journal(&self, entity: Option<&str>, key: Option<&str>) -> Result<Vec<JournalEntry>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, entity, record_key, before, after, reason FROM journal \
             WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR record_key = $2) ORDER BY seq",
        )
        .bind(entity)
        .bind(key)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let json = |column: &str| -> Result<Option<serde_json::Value>> {
                    r.try_get::<Option<String>, _>(column)?
                        .map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string())))
                        .transpose()
                };
                Ok(JournalEntry {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    record_key: r.try_get("record_key")?,
                    before: json("before")?,
                    after: json("after")?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect()
    }
}
