//! The [`Store`] implementation that every SQL backend shares: the same statements and
//! the same compare-and-set logic, over any sqlx driver that implements [`Backend`].
//!
//! The backends differ only in how a transaction starts and how a row about to change is
//! locked; the statements themselves are the common subset of SQLite and PostgreSQL
//! (`$n` parameters, `ON CONFLICT`). Statements are built only from the static names of
//! entities and columns; every value is a bound parameter.

use std::future::Future;

use chrono::{SecondsFormat, Utc};
use sqlx::{
    AssertSqlSafe, ColumnIndex, Connection, Database, Decode, Encode, Executor, IntoArguments,
    Pool, Type,
};
use tiendo_core::model::Dataset;
use tiendo_exchange::import::Change;
use tiendo_exchange::records::{
    CONTEXT_DEPENDENT, CONTEXT_GIVING, ColumnType, Context, ENTITIES, Entity, Row, RowSet,
    check_storable, from_stored_rows,
};

use crate::{Applied, JournalEntry, Result, SessionRecord, Store, StoreError, Versioned, row_json};

/// A value bound to a statement parameter, as tiendo stores it.
pub enum Value {
    Text(Option<String>),
    Number(Option<f64>),
    Integer(Option<i64>),
    Flag(Option<bool>),
    Bytes(Vec<u8>),
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(Some(text.to_string()))
    }
}

/// The cells of a result row, by position, as the types tiendo stores.
pub trait Cells {
    fn text(&self, index: usize) -> sqlx::Result<Option<String>>;
    fn number(&self, index: usize) -> sqlx::Result<Option<f64>>;
    fn integer(&self, index: usize) -> sqlx::Result<Option<i64>>;
    fn flag(&self, index: usize) -> sqlx::Result<Option<bool>>;
    fn bytes(&self, index: usize) -> sqlx::Result<Option<Vec<u8>>>;
}

impl<R: sqlx::Row> Cells for R
where
    usize: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> f64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> bool: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Vec<u8>: Decode<'r, R::Database> + Type<R::Database>,
{
    fn text(&self, index: usize) -> sqlx::Result<Option<String>> {
        self.try_get(index)
    }
    fn number(&self, index: usize) -> sqlx::Result<Option<f64>> {
        self.try_get(index)
    }
    fn integer(&self, index: usize) -> sqlx::Result<Option<i64>> {
        self.try_get(index)
    }
    fn flag(&self, index: usize) -> sqlx::Result<Option<bool>> {
        self.try_get(index)
    }
    fn bytes(&self, index: usize) -> sqlx::Result<Option<Vec<u8>>> {
        self.try_get(index)
    }
}

/// A connection that runs a statement with [`Value`] parameters.
pub trait Run: Connection {
    fn select(
        &mut self,
        sql: &str,
        values: Vec<Value>,
    ) -> impl Future<Output = sqlx::Result<Vec<<Self::Database as Database>::Row>>> + Send;
    fn select_one(
        &mut self,
        sql: &str,
        values: Vec<Value>,
    ) -> impl Future<Output = sqlx::Result<Option<<Self::Database as Database>::Row>>> + Send;
    fn run(
        &mut self,
        sql: &str,
        values: Vec<Value>,
    ) -> impl Future<Output = sqlx::Result<<Self::Database as Database>::QueryResult>> + Send;
}

fn statement<'q, DB: Database>(
    sql: &str,
    values: Vec<Value>,
) -> sqlx::query::Query<'q, DB, DB::Arguments>
where
    for<'v> Option<String>: Encode<'v, DB> + Type<DB>,
    for<'v> Option<f64>: Encode<'v, DB> + Type<DB>,
    for<'v> Option<i64>: Encode<'v, DB> + Type<DB>,
    for<'v> Option<bool>: Encode<'v, DB> + Type<DB>,
    for<'v> Vec<u8>: Encode<'v, DB> + Type<DB>,
{
    values.into_iter().fold(
        sqlx::query(AssertSqlSafe(sql)),
        |query, value| match value {
            Value::Text(v) => query.bind(v),
            Value::Number(v) => query.bind(v),
            Value::Integer(v) => query.bind(v),
            Value::Flag(v) => query.bind(v),
            Value::Bytes(v) => query.bind(v),
        },
    )
}

impl<C: Connection> Run for C
where
    for<'c> &'c mut C: Executor<'c, Database = C::Database>,
    <C::Database as Database>::Arguments: IntoArguments<C::Database>,
    for<'v> Option<String>: Encode<'v, C::Database> + Type<C::Database>,
    for<'v> Option<f64>: Encode<'v, C::Database> + Type<C::Database>,
    for<'v> Option<i64>: Encode<'v, C::Database> + Type<C::Database>,
    for<'v> Option<bool>: Encode<'v, C::Database> + Type<C::Database>,
    for<'v> Vec<u8>: Encode<'v, C::Database> + Type<C::Database>,
{
    fn select(
        &mut self,
        sql: &str,
        values: Vec<Value>,
    ) -> impl Future<Output = sqlx::Result<Vec<<C::Database as Database>::Row>>> + Send {
        statement(sql, values).fetch_all(self)
    }
    fn select_one(
        &mut self,
        sql: &str,
        values: Vec<Value>,
    ) -> impl Future<Output = sqlx::Result<Option<<C::Database as Database>::Row>>> + Send {
        statement(sql, values).fetch_optional(self)
    }
    fn run(
        &mut self,
        sql: &str,
        values: Vec<Value>,
    ) -> impl Future<Output = sqlx::Result<<C::Database as Database>::QueryResult>> + Send {
        statement(sql, values).execute(self)
    }
}

/// What distinguishes one SQL backend from another.
pub trait Backend: Database<Connection: Run, Row: Cells> {
    /// Starts a transaction that writes: it must see every committed change.
    const BEGIN_WRITE: &'static str;
    /// Starts a transaction that reads one consistent snapshot.
    const BEGIN_READ: &'static str;
    /// Appended to the `SELECT` of a row about to change, to lock it until commit.
    const LOCK_ROW: &'static str;
    fn rows_affected(result: &Self::QueryResult) -> u64;
}

/// A tiendo database behind an sqlx pool; see [`crate::sqlite::SqliteStore`] and
/// [`crate::postgres::PostgresStore`]. Cloning shares the pool.
#[derive(Debug)]
pub struct SqlStore<DB: Database> {
    pub(crate) pool: Pool<DB>,
}

impl<DB: Database> Clone for SqlStore<DB> {
    fn clone(&self) -> Self {
        SqlStore {
            pool: self.pool.clone(),
        }
    }
}

impl<DB: Database> SqlStore<DB> {
    /// Close every connection of the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Column names, quoted, as a list.
fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_columns(entity: &Entity) -> impl Iterator<Item = &'static str> + '_ {
    entity.columns.iter().filter(|c| c.key).map(|c| c.name)
}

/// The key of a row as a condition: each key column compared with a parameter, in
/// column order, starting at parameter `$first`.
fn key_condition(entity: &Entity, first: usize) -> String {
    key_columns(entity)
        .enumerate()
        .map(|(i, c)| format!("\"{c}\" = ${}", first + i))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The values of a composite key, as [`Entity::key`] joined them.
fn key_values(entity: &Entity, key: &str) -> Vec<Value> {
    let count = key_columns(entity).count();
    let mut parts: Vec<Value> = key.splitn(count, '|').map(Value::from).collect();
    parts.resize_with(count, || Value::from(""));
    parts
}

/// A value that a NOT NULL column of `table` holds.
fn present<T>(value: Option<T>, table: &str) -> Result<T> {
    value.ok_or_else(|| StoreError::Corrupt(format!("{table}: thiếu giá trị bắt buộc")))
}

fn read_cell(row: &impl Cells, index: usize, ty: ColumnType) -> sqlx::Result<Option<String>> {
    Ok(match ty {
        ColumnType::Text | ColumnType::Date => row.text(index)?.filter(|s| !s.is_empty()),
        ColumnType::Number => row.number(index)?.map(|v| format!("{v}")),
        ColumnType::Integer => row.integer(index)?.map(|v| v.to_string()),
        ColumnType::Bool => row.flag(index)?.map(|v| v.to_string()),
    })
}

fn read_versioned(entity: &Entity, r: &impl Cells) -> Result<Versioned> {
    let row: Row = entity
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| read_cell(r, i, c.ty))
        .collect::<sqlx::Result<_>>()?;
    Ok(Versioned {
        row,
        version: present(r.integer(entity.columns.len())?, entity.name)?,
    })
}

/// A cell's text as the value of its column's type; an absent key cell is "".
fn cell_value(value: Option<&str>, ty: ColumnType, key: bool) -> Result<Value> {
    let bad = |v: &str| StoreError::Corrupt(format!("giá trị \"{v}\" không đúng kiểu {ty:?}"));
    // A typed cell is read as the loader reads it: trimmed, empty meaning absent.
    let typed = value.map(str::trim).filter(|v| !v.is_empty());
    Ok(match ty {
        ColumnType::Text | ColumnType::Date => {
            Value::Text(value.map(str::to_string).or_else(|| key.then(String::new)))
        }
        ColumnType::Number => {
            Value::Number(typed.map(|v| v.parse().map_err(|_| bad(v))).transpose()?)
        }
        ColumnType::Integer => {
            Value::Integer(typed.map(|v| v.parse().map_err(|_| bad(v))).transpose()?)
        }
        ColumnType::Bool => Value::Flag(typed.map(|v| v.parse().map_err(|_| bad(v))).transpose()?),
    })
}

fn row_values<'a>(
    entity: &Entity,
    row: &'a Row,
    keys_only: bool,
) -> impl Iterator<Item = Result<Value>> + 'a {
    let columns = entity.columns;
    columns
        .iter()
        .zip(row)
        .filter(move |(c, _)| !keys_only || c.key)
        .map(|(c, v)| cell_value(v.as_deref(), c.ty, c.key))
}

/// One row by key, locked until commit when `lock` is given.
async fn get_in<DB: Backend>(
    conn: &mut DB::Connection,
    entity: &Entity,
    key: &str,
    lock: &str,
) -> Result<Option<Versioned>> {
    // No stored key holds a NUL byte (writes refuse it), and PostgreSQL refuses one in a
    // parameter: a key read from a request that has one names nothing.
    if key.contains('\0') {
        return Ok(None);
    }
    let sql = format!(
        "SELECT {}, version FROM {} WHERE {}{lock}",
        quoted(entity.column_names()),
        entity.name,
        key_condition(entity, 1)
    );
    conn.select_one(&sql, key_values(entity, key))
        .await?
        .map(|r| read_versioned(entity, &r))
        .transpose()
}

async fn rows_in<DB: Backend>(
    conn: &mut DB::Connection,
    entity: &Entity,
) -> Result<Vec<Versioned>> {
    let sql = format!(
        "SELECT {}, version FROM {} ORDER BY {}",
        quoted(entity.column_names()),
        entity.name,
        quoted(key_columns(entity))
    );
    conn.select(&sql, Vec::new())
        .await?
        .iter()
        .map(|r| read_versioned(entity, r))
        .collect()
}

/// Write one change whose `before` was checked; `false` if an insert found the key taken
/// (by a transaction that committed after the check).
async fn write<DB: Backend>(conn: &mut DB::Connection, change: &Change) -> Result<bool> {
    let entity = change.entity;
    let mut values = row_values(entity, &change.after, false).collect::<Result<Vec<_>>>()?;
    let sql = match change.before {
        None => {
            let params = (1..=entity.columns.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let (columns, keys) = (quoted(entity.column_names()), quoted(key_columns(entity)));
            format!(
                "INSERT INTO {} ({columns}) VALUES ({params}) ON CONFLICT ({keys}) DO NOTHING",
                entity.name
            )
        }
        Some(_) => {
            let sets = entity
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| format!("\"{}\" = ${}", c.name, i + 1))
                .collect::<Vec<_>>()
                .join(", ");
            values.extend(row_values(entity, &change.after, true).collect::<Result<Vec<_>>>()?);
            format!(
                "UPDATE {} SET {sets}, version = version + 1 WHERE {}",
                entity.name,
                key_condition(entity, entity.columns.len() + 1)
            )
        }
    };
    Ok(DB::rows_affected(&conn.run(&sql, values).await?) == 1)
}

/// Check the changed rows as the loader will read them, before anything is written (see
/// [`crate::check_storable`]). Rows whose reading depends on other records (a deadline is
/// read in its programme's year) are read with the stored programmes and indicators and
/// the changed ones; a change to a programme or an indicator is refused if it would make
/// a stored row that reads today unreadable.
async fn check_rows<DB: Backend>(conn: &mut DB::Connection, changes: &[&Change]) -> Result<()> {
    let touches = |names: &[&str]| changes.iter().any(|c| names.contains(&c.entity.name));
    let (dependent, giving) = (touches(&CONTEXT_DEPENDENT), touches(&CONTEXT_GIVING));
    if !dependent && !giving {
        return crate::check_storable(changes, &Context::default());
    }
    let (mut before, mut after) = (RowSet::new(), RowSet::new());
    for entity in ENTITIES.iter().filter(|e| CONTEXT_GIVING.contains(&e.name)) {
        let stored: std::collections::BTreeMap<String, Row> = rows_in::<DB>(conn, entity)
            .await?
            .into_iter()
            .map(|v| (entity.key(&v.row), v.row))
            .collect();
        let mut changed = stored.clone();
        for change in changes.iter().filter(|c| c.entity.name == entity.name) {
            changed.insert(change.key.clone(), change.after.clone());
        }
        before.insert(entity.name, stored);
        after.insert(entity.name, changed);
    }
    let context = |set: &RowSet| {
        let mut ctx = Context::default();
        ctx.learn(&from_stored_rows(set));
        ctx
    };
    let (old_ctx, new_ctx) = (context(&before), context(&after));
    crate::check_storable(changes, &new_ctx)?;
    if !giving {
        return Ok(());
    }
    for entity in ENTITIES
        .iter()
        .filter(|e| CONTEXT_DEPENDENT.contains(&e.name))
    {
        for stored in rows_in::<DB>(conn, entity).await? {
            let key = entity.key(&stored.row);
            if changes
                .iter()
                .any(|c| c.entity.name == entity.name && c.key == key)
                || check_storable(entity, &stored.row, &old_ctx).is_err()
            {
                continue;
            }
            if let Err(errors) = check_storable(entity, &stored.row, &new_ctx)
                && let Some(first) = errors.into_iter().next()
            {
                return Err(StoreError::Invalid {
                    entity: entity.name,
                    key,
                    column: first.field,
                    reason: format!("{} (sau thay đổi này)", first.reason),
                });
            }
        }
    }
    Ok(())
}

impl<DB: Backend> Store for SqlStore<DB> {
    async fn load(&self) -> Result<Dataset> {
        let mut tx = self.pool.begin_with(DB::BEGIN_READ).await?;
        let mut set = RowSet::new();
        for entity in ENTITIES {
            let rows = rows_in::<DB>(&mut tx, entity)
                .await?
                .into_iter()
                .map(|v| (entity.key(&v.row), v.row))
                .collect();
            set.insert(entity.name, rows);
        }
        let locks = rows_in::<DB>(&mut tx, &crate::workflow::PERIOD_LOCKS).await?;
        tx.commit().await?;
        let mut data = from_stored_rows(&set);
        data.open_periods = locks
            .iter()
            .map(|v| crate::workflow::PeriodLock::from_row(&v.row))
            .filter(|lock| !lock.locked)
            .filter_map(|lock| Some((lock.programme_id, lock.period.parse().ok()?)))
            .collect();
        Ok(data)
    }

    async fn apply(&self, changes: &[Change], actor: &str, reason: &str) -> Result<Applied> {
        crate::check_printable(changes, actor, reason)?;
        crate::check_mutable(changes)?;
        // A change that changes nothing writes nothing: no new version, no journal entry
        // (identical retries of one edit all see the same version).
        let changes: Vec<&Change> = changes
            .iter()
            .filter(|c| c.before.as_ref() != Some(&c.after))
            .collect();
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        check_rows::<DB>(&mut tx, &changes).await?;
        let mut applied = Applied::default();
        for &change in &changes {
            let entity = change.entity;
            let current = get_in::<DB>(&mut tx, entity, &change.key, DB::LOCK_ROW).await?;
            let refused = if current.as_ref().map(|c| &c.row) != change.before.as_ref() {
                Some(current)
            } else if !write::<DB>(&mut tx, change).await? {
                Some(get_in::<DB>(&mut tx, entity, &change.key, "").await?)
            } else {
                None
            };
            if let Some(current) = refused {
                return Err(StoreError::Conflict {
                    entity: entity.name,
                    key: change.key.clone(),
                    current,
                });
            }
            if change.before.is_none() {
                applied.inserted += 1
            } else {
                applied.updated += 1
            }
        }
        // Journaled once every change is written, so that a refused change takes no
        // sequence number.
        let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        for change in &changes {
            let values = vec![
                Value::from(at.as_str()),
                Value::from(actor),
                Value::from(if change.before.is_none() {
                    "insert"
                } else {
                    "update"
                }),
                Value::from(change.entity.name),
                Value::from(change.key.as_str()),
                Value::Text(
                    change
                        .before
                        .as_ref()
                        .map(|b| row_json(change.entity, b).to_string()),
                ),
                Value::Text(Some(row_json(change.entity, &change.after).to_string())),
                Value::from(reason),
            ];
            tx.run("INSERT INTO journal (at, actor, action, entity, record_key, before, after, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", values).await?;
        }
        tx.commit().await?;
        Ok(applied)
    }

    async fn journal(&self, entity: Option<&str>, key: Option<&str>) -> Result<Vec<JournalEntry>> {
        self.journal_page(entity, key, 0, i64::MAX).await
    }

    async fn journal_page(
        &self,
        entity: Option<&str>,
        key: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<JournalEntry>> {
        if entity.is_some_and(|e| e.contains('\0')) || key.is_some_and(|k| k.contains('\0')) {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.acquire().await?;
        let rows = conn
            .select(
                "SELECT seq, at, actor, action, entity, record_key, before, after, reason FROM journal \
                 WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR record_key = $2) AND seq > $3 \
                 ORDER BY seq LIMIT $4",
                vec![
                    Value::Text(entity.map(str::to_string)),
                    Value::Text(key.map(str::to_string)),
                    Value::Integer(Some(after_seq)),
                    Value::Integer(Some(limit)),
                ],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let text = |index: usize| present(r.text(index)?, "journal");
                let json = |index: usize| -> Result<Option<serde_json::Value>> {
                    r.text(index)?
                        .map(|s| {
                            serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string()))
                        })
                        .transpose()
                };
                Ok(JournalEntry {
                    seq: present(r.integer(0)?, "journal")?,
                    at: text(1)?,
                    actor: text(2)?,
                    action: text(3)?,
                    entity: text(4)?,
                    record_key: text(5)?,
                    before: json(6)?,
                    after: json(7)?,
                    reason: text(8)?,
                })
            })
            .collect()
    }

    async fn rows(&self, entity: &'static Entity) -> Result<Vec<Versioned>> {
        rows_in::<DB>(&mut *self.pool.acquire().await?, entity).await
    }

    async fn get(&self, entity: &'static Entity, key: &str) -> Result<Option<Versioned>> {
        get_in::<DB>(&mut *self.pool.acquire().await?, entity, key, "").await
    }

    async fn put_blob(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        conn.run(
            "INSERT INTO blobs (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
            vec![Value::from(sha256), Value::Bytes(bytes.to_vec())],
        )
        .await?;
        Ok(())
    }

    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        if sha256.contains('\0') {
            return Ok(None);
        }
        let mut conn = self.pool.acquire().await?;
        let row = conn
            .select_one(
                "SELECT bytes FROM blobs WHERE sha256 = $1",
                vec![Value::from(sha256)],
            )
            .await?;
        Ok(row.map(|r| r.bytes(0)).transpose()?.flatten())
    }

    async fn session_load(&self, id: &str) -> Result<Option<SessionRecord>> {
        let mut conn = self.pool.acquire().await?;
        let row = conn
            .select_one(
                "SELECT data, expires_at FROM sessions WHERE id = $1",
                vec![Value::from(id)],
            )
            .await?;
        row.map(|r| {
            Ok(SessionRecord {
                data: present(r.text(0)?, "sessions")?,
                expires_at: present(r.integer(1)?, "sessions")?,
            })
        })
        .transpose()
    }

    async fn session_save(&self, id: &str, record: &SessionRecord) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        conn.run(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            vec![Value::from(id), Value::from(record.data.as_str()), Value::Integer(Some(record.expires_at))],
        )
        .await?;
        Ok(())
    }

    async fn session_delete(&self, id: &str) -> Result<()> {
        self.pool
            .acquire()
            .await?
            .run("DELETE FROM sessions WHERE id = $1", vec![Value::from(id)])
            .await?;
        Ok(())
    }

    async fn session_delete_expired(&self, now: i64) -> Result<()> {
        self.pool
            .acquire()
            .await?
            .run(
                "DELETE FROM sessions WHERE expires_at < $1",
                vec![Value::Integer(Some(now))],
            )
            .await?;
        Ok(())
    }
}
