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

use crate::{Applied, JournalEntry, Result, SessionRecord, Store, StoreError, Versioned, key_condition, key_parts, row_json};

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

fn read_versioned(entity: &Entity, r: &SqliteRow) -> std::result::Result<Versioned, sqlx::Error> {
    let row: Row = entity.columns.iter().enumerate().map(|(i, c)| read_cell(r, i, c.ty)).collect::<std::result::Result<_, _>>()?;
    Ok(Versioned { row, version: r.try_get(entity.columns.len())? })
}

fn select_one(entity: &Entity) -> String {
    format!("SELECT {}, version FROM {} WHERE {}", quoted(entity), entity.name, key_condition(entity, 1))
}

async fn get_in<'e, E: sqlx::Executor<'e, Database = Sqlite>>(executor: E, entity: &Entity, key: &str) -> Result<Option<Versioned>> {
    let sql = select_one(entity);
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for part in key_parts(entity, key) {
        query = query.bind(part);
    }
    Ok(query.fetch_optional(executor).await?.map(|r| read_versioned(entity, &r)).transpose()?)
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
            let rows = self.rows(entity).await?.into_iter().map(|v| (entity.key(&v.row), v.row)).collect();
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
            let current = get_in(&mut *tx, entity, &change.key).await?;
            if current.as_ref().map(|c| &c.row) != change.before.as_ref() {
                return Err(StoreError::Conflict { entity: entity.name, key: change.key.clone(), current });
            }
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
            query.execute(&mut *tx).await?;
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

    async fn rows(&self, entity: &'static Entity) -> Result<Vec<Versioned>> {
        let keys = entity.columns.iter().filter(|c| c.key).map(|c| format!("\"{}\"", c.name)).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT {}, version FROM {} ORDER BY {keys}", quoted(entity), entity.name);
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(|r| read_versioned(entity, r)).collect::<std::result::Result<_, _>>()?)
    }

    async fn get(&self, entity: &'static Entity, key: &str) -> Result<Option<Versioned>> {
        get_in(&self.pool, entity, key).await
    }

    async fn put_blob(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        sqlx::query("INSERT INTO blobs (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING")
            .bind(sha256)
            .bind(bytes)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Ok(sqlx::query_scalar("SELECT bytes FROM blobs WHERE sha256 = $1").bind(sha256).fetch_optional(&self.pool).await?)
    }

    async fn session_load(&self, id: &str) -> Result<Option<SessionRecord>> {
        let row = sqlx::query("SELECT data, expires_at FROM sessions WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| Ok::<_, sqlx::Error>(SessionRecord { data: r.try_get(0)?, expires_at: r.try_get(1)? })).transpose()?)
    }

    async fn session_save(&self, id: &str, record: &SessionRecord) -> Result<()> {
        sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at")
            .bind(id)
            .bind(&record.data)
            .bind(record.expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session_delete(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    async fn session_delete_expired(&self, now: i64) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(&self.pool).await?;
        Ok(())
    }
}
