//! [`Database`]: whichever backend a location names.

use tiendo_core::model::Dataset;
use tiendo_exchange::import::Change;
use tiendo_exchange::records::Entity;

use crate::postgres::PostgresStore;
use crate::sqlite::SqliteStore;
use crate::{Applied, JournalEntry, Result, SessionRecord, Store, Versioned};

/// Call the same method on whichever store `self` holds.
macro_rules! delegate {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self {
            Database::Sqlite(s) => s.$method($($arg),*).await,
            Database::Postgres(s) => s.$method($($arg),*).await,
        }
    };
}

/// A tiendo database on SQLite or PostgreSQL, chosen by [`Database::open`].
/// Cloning shares the connection pool.
#[derive(Debug, Clone)]
pub enum Database {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Database {
    /// Open a `postgres://` or `postgresql://` URL on PostgreSQL, anything else (a path
    /// or a `sqlite:` URL) on SQLite, and bring the schema up to date.
    pub async fn open(location: &str) -> Result<Database> {
        Ok(if is_postgres(location) {
            Database::Postgres(PostgresStore::open(location).await?)
        } else {
            Database::Sqlite(SqliteStore::open(location).await?)
        })
    }

    /// Close every connection.
    pub async fn close(&self) {
        delegate!(self.close())
    }
}

/// Whether a database location is a PostgreSQL URL.
pub fn is_postgres(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A database location fit to print: the password of a URL, in its user information or
/// in a query parameter (`?password=…`, `sslpassword=…`), as `***`.
pub fn redacted(location: &str) -> String {
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_string();
    };
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let without_user_password = match authority
        .rsplit_once('@')
        .and_then(|(user_info, _)| user_info.split_once(':'))
    {
        Some((user, password)) => format!(
            "{scheme}://{user}:***{}",
            &rest[user.len() + 1 + password.len()..]
        ),
        None => location.to_string(),
    };
    match without_user_password.split_once('?') {
        Some((base, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.to_ascii_lowercase().ends_with("password") => {
                        format!("{key}=***")
                    }
                    _ => pair.to_string(),
                })
                .collect();
            format!("{base}?{}", query.join("&"))
        }
        None => without_user_password,
    }
}

impl Store for Database {
    async fn load(&self) -> Result<Dataset> {
        delegate!(self.load())
    }
    async fn apply(&self, changes: &[Change], actor: &str, reason: &str) -> Result<Applied> {
        delegate!(self.apply(changes, actor, reason))
    }
    async fn journal(&self, entity: Option<&str>, key: Option<&str>) -> Result<Vec<JournalEntry>> {
        delegate!(self.journal(entity, key))
    }
    async fn journal_page(
        &self,
        entity: Option<&str>,
        key: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<JournalEntry>> {
        delegate!(self.journal_page(entity, key, after_seq, limit))
    }
    async fn rows(&self, entity: &'static Entity) -> Result<Vec<Versioned>> {
        delegate!(self.rows(entity))
    }
    async fn get(&self, entity: &'static Entity, key: &str) -> Result<Option<Versioned>> {
        delegate!(self.get(entity, key))
    }
    async fn put_blob(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        delegate!(self.put_blob(sha256, bytes))
    }
    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        delegate!(self.blob(sha256))
    }
    async fn session_load(&self, id: &str) -> Result<Option<SessionRecord>> {
        delegate!(self.session_load(id))
    }
    async fn session_save(&self, id: &str, record: &SessionRecord) -> Result<()> {
        delegate!(self.session_save(id, record))
    }
    async fn session_delete(&self, id: &str) -> Result<()> {
        delegate!(self.session_delete(id))
    }
    async fn session_delete_expired(&self, now: i64) -> Result<()> {
        delegate!(self.session_delete_expired(now))
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            redacted("postgres://an:bí-mật@db:5432/tiendo?options=x"),
            "postgres://an:***@db:5432/tiendo?options=x"
        );
        assert_eq!(
            redacted("postgresql://an:p@ss@db/tiendo"),
            "postgresql://an:***@db/tiendo"
        );
        assert_eq!(
            redacted("postgres://an@db/tiendo"),
            "postgres://an@db/tiendo"
        );
        assert_eq!(
            redacted("postgres://db/tiendo?user=an"),
            "postgres://db/tiendo?user=an"
        );
        assert_eq!(
            redacted("postgres://db/tiendo?user=an&password=bí-mật&sslmode=disable"),
            "postgres://db/tiendo?user=an&password=***&sslmode=disable"
        );
        assert_eq!(redacted("tiendo-demo/tiendo.db"), "tiendo-demo/tiendo.db");
    }
}
