//! A PostgreSQL schema of its own for one test, in the database named by
//! `TIENDO_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`), dropped
//! when the test ends. Without a server the test is skipped with a notice, unless `CI`
//! is `true`: then a missing server fails it.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{AssertSqlSafe, Connection, PgConnection};

pub struct TestSchema {
    server: String,
    name: String,
}

fn server() -> String {
    std::env::var("TIENDO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

async fn run(server: &str, sql: String) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect(server).await?;
    sqlx::query(AssertSqlSafe(sql)).execute(&mut conn).await?;
    conn.close().await
}

impl TestSchema {
    /// A unique schema name, not yet created: opening [`TestSchema::url`] creates it.
    /// `None` when no server answers and this is not CI.
    pub async fn new() -> Option<TestSchema> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let server = server();
        match PgConnection::connect(&server).await {
            Ok(probe) => probe.close().await.expect("the probe connection closes"),
            Err(e) => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "PostgreSQL is required under CI: {server}: {e}"
                );
                #[expect(clippy::explicit_write, reason = "straight to stderr, past the test harness's capture, so that the skip shows")]
                writeln!(std::io::stderr(), "NOTICE: PostgreSQL test skipped, no server at {server} ({e}); set TIENDO_TEST_POSTGRES").unwrap();
                return None;
            }
        }
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "tiendo_test_{}_{}_{nanos}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        Some(TestSchema { server, name })
    }

    /// The server URL with this schema as the search path.
    pub fn url(&self) -> String {
        let separator = if self.server.contains('?') { '&' } else { '?' };
        format!(
            "{}{separator}options=-csearch_path%3D{}",
            self.server, self.name
        )
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let (server, sql) = (
            self.server.clone(),
            format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
        // Drop may run inside the test's runtime, which cannot block: use a thread of its own.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(run(&server, sql))
        })
        .join()
        .expect("the schema-dropping thread ran");
        if let Err(e) = dropped {
            eprintln!("NOTICE: could not drop schema {}: {e}", self.name);
        }
    }
}
