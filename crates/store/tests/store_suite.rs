//! The store against real databases: every case runs on SQLite (a file in a temporary
//! directory) and on PostgreSQL (a schema of its own, see `support/postgres.rs`),
//! through the backend-independent [`Database`].

#[path = "support/postgres.rs"]
mod support;

use std::sync::Arc;

use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};
use support::TestSchema;
use tempfile::TempDir;
use tiendo_core::model::Dataset;
use tiendo_exchange::import::{Change, SourceFile, plan};
use tiendo_exchange::records::Entity;
use tiendo_store::sqlite::SqliteStore;
use tiendo_store::workflow::ACCOUNTS;
use tiendo_store::{Database, SessionRecord, Store, StoreError};
use tokio::sync::Barrier;

/// Where one test's database lives.
enum Fixture {
    Sqlite(TempDir),
    Postgres(TestSchema),
}

impl Fixture {
    async fn sqlite() -> Option<Fixture> {
        Some(Fixture::Sqlite(TempDir::new().unwrap()))
    }

    async fn postgres() -> Option<Fixture> {
        TestSchema::new().await.map(Fixture::Postgres)
    }

    /// What `Database::open` (and `tiendo --database`) takes.
    fn location(&self) -> String {
        match self {
            Fixture::Sqlite(dir) => dir.path().join("t.db").to_str().unwrap().to_string(),
            Fixture::Postgres(schema) => schema.url(),
        }
    }

    async fn open(&self) -> Database {
        Database::open(&self.location())
            .await
            .unwrap_or_else(|e| panic!("open {}: {e}", self.location()))
    }

    /// Run one statement directly on the database, not through the store; returns the
    /// first column of the first row, if it is an integer.
    async fn raw(&self, sql: &str) -> Result<Option<i64>, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_string());
        match self {
            Fixture::Sqlite(_) => {
                let mut conn =
                    SqliteConnection::connect(&format!("sqlite://{}", self.location())).await?;
                sqlx::query_scalar(sql).fetch_optional(&mut conn).await
            }
            Fixture::Postgres(schema) => {
                sqlx::query_scalar(sql)
                    .fetch_optional(&mut PgConnection::connect(&schema.url()).await?)
                    .await
            }
        }
    }
}

/// Each case as one test per backend: `sqlite::case` and `postgres::case`.
macro_rules! on_each_backend {
    ($($case:ident),+ $(,)?) => {
        on_each_backend!(@backend sqlite, $($case),+);
        on_each_backend!(@backend postgres, $($case),+);
    };
    (@backend $backend:ident, $($case:ident),+) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    if let Some(fixture) = super::Fixture::$backend().await {
                        super::$case(fixture).await;
                    }
                }
            )+
        }
    };
}

on_each_backend!(
    writes_are_journaled_versioned_and_the_journal_is_append_only,
    a_stale_update_is_refused_and_nothing_is_written,
    workflow_records_blobs_and_sessions,
    concurrent_read_modify_write_has_one_winner_per_round,
    document_settings_are_versioned_and_a_stale_save_is_refused,
    narratives_are_versioned_and_replayed_from_the_journal,
    a_value_the_loader_refuses_is_never_written,
    a_bad_stored_record_is_a_finding_not_a_failure_of_the_whole_data,
    keys_with_a_nul_byte_name_nothing,
);

fn source(entity: &str, text: &str) -> SourceFile {
    SourceFile {
        name: format!("{entity}.csv"),
        entity: Entity::by_name(entity).unwrap(),
        text: text.to_string(),
    }
}

const AGENCIES: &str = "id,code,name,short_name,kind,valid_from,valid_to,sort_order,confidence,note,provenance\n\
BTTTT,BTTTT,Bộ Thông tin và Truyền thông,Bộ TT&TT,ministry,,2025-02-28,130,official,,test\n\
yen-bai,15,Tỉnh Yên Bái,Yên Bái,province,,2025-06-30,1015,official,,test\n\
lao-cai-2025,15,Tỉnh Lào Cai,Lào Cai,province,2025-07-01,,1015,official,,test\n";

async fn writes_are_journaled_versioned_and_the_journal_is_append_only(fixture: Fixture) {
    let store = fixture.open().await;

    let first = plan(&[source("agencies", AGENCIES)], &Dataset::default()).unwrap();
    let applied = store.apply(&first.changes, "tester", "nạp").await.unwrap();
    assert_eq!((applied.inserted, applied.updated), (3, 0));
    let data = store.load().await.unwrap();
    assert_eq!(
        data.agencies.len(),
        3,
        "code 15 is reused by two agencies valid in different eras"
    );

    let renamed = AGENCIES.replace("Bộ TT&TT,ministry", "Bộ Thông tin,ministry");
    let second = plan(&[source("agencies", &renamed)], &data).unwrap();
    assert_eq!(
        (second.inserted(), second.updated(), second.unchanged),
        (0, 1, 2)
    );
    store
        .apply(&second.changes, "tester", "đổi tên")
        .await
        .unwrap();

    let journal = store
        .journal(Some("agencies"), Some("BTTTT"))
        .await
        .unwrap();
    assert_eq!(
        journal
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        vec!["insert", "update"]
    );
    assert_eq!(
        journal[1].before.as_ref().unwrap()["short_name"],
        "Bộ TT&TT"
    );
    assert_eq!(
        journal[1].after.as_ref().unwrap()["short_name"],
        "Bộ Thông tin"
    );
    assert_eq!(journal[1].reason, "đổi tên");
    assert_eq!(
        store
            .journal(None, None)
            .await
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    store.close().await;

    let reopened = fixture.open().await;
    assert_eq!(
        reopened
            .load()
            .await
            .unwrap()
            .agencies
            .iter()
            .find(|a| a.id == "BTTTT")
            .unwrap()
            .short_name,
        "Bộ Thông tin"
    );
    reopened.close().await;

    assert_eq!(
        fixture
            .raw("SELECT version FROM agencies WHERE id = 'BTTTT'")
            .await
            .unwrap(),
        Some(2)
    );
    assert!(
        fixture.raw("UPDATE journal SET actor = 'x'").await.is_err(),
        "journal rows cannot be changed"
    );
    assert!(
        fixture.raw("DELETE FROM journal").await.is_err(),
        "journal rows cannot be deleted"
    );
    assert_eq!(
        fixture.raw("SELECT count(*) FROM journal").await.unwrap(),
        Some(4)
    );
}

async fn a_stale_update_is_refused_and_nothing_is_written(fixture: Fixture) {
    let store = fixture.open().await;
    let first = plan(&[source("agencies", AGENCIES)], &Dataset::default()).unwrap();
    store.apply(&first.changes, "tester", "").await.unwrap();
    let read_by_both = store.load().await.unwrap();

    let alice = plan(
        &[source(
            "agencies",
            &AGENCIES.replace("Bộ TT&TT,ministry", "Bộ TTTT (An),ministry"),
        )],
        &read_by_both,
    )
    .unwrap();
    let bob = plan(
        &[source(
            "agencies",
            &AGENCIES.replace("Bộ TT&TT,ministry", "Bộ TTTT (Bình),ministry"),
        )],
        &read_by_both,
    )
    .unwrap();
    store.apply(&alice.changes, "an", "").await.unwrap();
    match store.apply(&bob.changes, "binh", "").await {
        Err(StoreError::Conflict {
            entity,
            key,
            current: Some(current),
        }) => {
            assert_eq!(
                (entity, key.as_str(), current.version),
                ("agencies", "BTTTT", 2)
            );
            assert_eq!(current.row[3].as_deref(), Some("Bộ TTTT (An)"));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        store
            .get(&tiendo_exchange::records::AGENCIES, "BTTTT")
            .await
            .unwrap()
            .unwrap()
            .row[3]
            .as_deref(),
        Some("Bộ TTTT (An)")
    );
    assert_eq!(
        store
            .journal(Some("agencies"), Some("BTTTT"))
            .await
            .unwrap()
            .len(),
        2,
        "the refused change left no journal entry"
    );
    assert!(
        matches!(
            store.apply(&first.changes[..1], "an", "").await,
            Err(StoreError::Conflict { .. })
        ),
        "inserting an existing record is a conflict"
    );

    // A refused change takes back the changes before it in the same call.
    let yen_bai = AGENCIES
        .lines()
        .filter(|l| !l.starts_with("BTTTT") && !l.starts_with("lao-cai"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut both = plan(
        &[source(
            "agencies",
            &yen_bai.replace("Tỉnh Yên Bái", "Tỉnh Yên Bái (cũ)"),
        )],
        &store.load().await.unwrap(),
    )
    .unwrap()
    .changes;
    assert_eq!(both.len(), 1);
    both.extend(bob.changes);
    assert!(
        matches!(store.apply(&both, "binh", "").await, Err(StoreError::Conflict { ref key, .. }) if key == "BTTTT")
    );
    assert_eq!(
        store
            .get(&tiendo_exchange::records::AGENCIES, "yen-bai")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    assert_eq!(store.journal(None, None).await.unwrap().len(), 4);
}

async fn workflow_records_blobs_and_sessions(fixture: Fixture) {
    let store = fixture.open().await;
    let row = |name: &str| -> Vec<Option<String>> {
        [
            "an",
            name,
            "reporter",
            "yen-bai",
            "",
            "$argon2id$secret",
            "true",
            "2026-11-23T00:00:00Z",
        ]
        .iter()
        .map(|v| (!v.is_empty()).then(|| v.to_string()))
        .collect()
    };
    store
        .apply(
            &[Change {
                entity: &ACCOUNTS,
                key: "an".into(),
                before: None,
                after: row("An"),
            }],
            "admin",
            "tạo",
        )
        .await
        .unwrap();
    store
        .apply(
            &[Change {
                entity: &ACCOUNTS,
                key: "an".into(),
                before: Some(row("An")),
                after: row("Nguyễn An"),
            }],
            "admin",
            "đổi tên",
        )
        .await
        .unwrap();
    let stored = store.rows(&ACCOUNTS).await.unwrap();
    assert_eq!(
        (stored.len(), stored[0].version, stored[0].row[1].as_deref()),
        (1, 2, Some("Nguyễn An"))
    );
    assert_eq!(
        stored[0].row[6].as_deref(),
        Some("true"),
        "a flag reads back as it was written"
    );
    let journal = store.journal(Some("accounts"), None).await.unwrap();
    assert_eq!(
        journal[1].after.as_ref().unwrap()["password_hash"],
        "***",
        "hashes never reach the journal"
    );

    store.put_blob("abc", b"evidence").await.unwrap();
    store.put_blob("abc", b"evidence").await.unwrap();
    assert_eq!(
        store.blob("abc").await.unwrap().as_deref(),
        Some(&b"evidence"[..])
    );
    assert_eq!(store.blob("def").await.unwrap(), None);

    let record = SessionRecord {
        data: "{}".into(),
        expires_at: 100,
    };
    store.session_save("s1", &record).await.unwrap();
    store
        .session_save(
            "s2",
            &SessionRecord {
                data: "{}".into(),
                expires_at: 300,
            },
        )
        .await
        .unwrap();
    assert_eq!(store.session_load("s1").await.unwrap(), Some(record));
    store.session_delete_expired(200).await.unwrap();
    assert_eq!(store.session_load("s1").await.unwrap(), None);
    store.session_delete("s2").await.unwrap();
    assert_eq!(store.session_load("s2").await.unwrap(), None);
}

async fn document_settings_are_versioned_and_a_stale_save_is_refused(fixture: Fixture) {
    use tiendo_store::report_settings::{DocumentSettings, get, save};
    let store = fixture.open().await;
    let (empty, version) = get(&store, "cdsqg").await.unwrap();
    assert_eq!((empty.programme_id.as_str(), version), ("cdsqg", 0));
    let settings = DocumentSettings {
        signer_authority: "KT. BỘ TRƯỞNG".into(),
        signer_name: "Phạm Đức Long".into(),
        recipients: vec![
            "Thủ tướng Chính phủ (để b/c);".into(),
            " ".into(),
            "Văn phòng Chính phủ".into(),
        ],
        ..empty
    };
    save(&store, &settings, 0, "thuky").await.unwrap();
    let (stored, version) = get(&store, "cdsqg").await.unwrap();
    assert_eq!(version, 1);
    assert_eq!(
        stored.recipients,
        vec!["Thủ tướng Chính phủ (để b/c);", "Văn phòng Chính phủ"],
        "blank lines are dropped"
    );
    assert_eq!(
        (stored.signer_name.as_str(), stored.updated_by.as_str()),
        ("Phạm Đức Long", "thuky")
    );
    save(&store, &stored, 1, "thuky").await.unwrap();
    assert_eq!(
        get(&store, "cdsqg").await.unwrap().1,
        1,
        "saving the same settings writes nothing"
    );
    let other = DocumentSettings {
        signer_name: "Nguyễn Huy Dũng".into(),
        ..stored.clone()
    };
    save(&store, &other, 1, "quantri").await.unwrap();
    let stale = DocumentSettings {
        place: "Đà Nẵng".into(),
        ..stored
    };
    assert!(
        matches!(
            save(&store, &stale, 1, "thuky").await,
            Err(StoreError::Conflict { .. })
        ),
        "a save over a version someone replaced is refused"
    );
    let (now, version) = get(&store, "cdsqg").await.unwrap();
    assert_eq!(
        (now.signer_name.as_str(), now.place.as_str(), version),
        ("Nguyễn Huy Dũng", "", 2)
    );
    assert_eq!(
        store
            .journal(Some("report_settings"), Some("cdsqg"))
            .await
            .unwrap()
            .len(),
        2
    );
}

/// `TASKS` tasks at a time read the same agency, change it each in its own way and write
/// it back: the first round inserts it, the others update it. In every round exactly one
/// write wins and every other is refused as a conflict, and the journal holds exactly
/// the winners.
async fn concurrent_read_modify_write_has_one_winner_per_round(fixture: Fixture) {
    const TASKS: usize = 8;
    const ROUNDS: usize = 6;
    let store = fixture.open().await;
    let barrier = Arc::new(Barrier::new(TASKS));
    let mut winners = Vec::new();
    for round in 0..ROUNDS {
        let handles: Vec<_> = (0..TASKS)
            .map(|task| {
                let (store, barrier) = (store.clone(), barrier.clone());
                tokio::spawn(async move {
                    let data = store.load().await.unwrap();
                    let name = format!("Bộ TT&TT vòng {round} người {task}");
                    let csv = AGENCIES
                        .lines()
                        .take(2)
                        .collect::<Vec<_>>()
                        .join("\n")
                        .replace("Bộ TT&TT,", &format!("{name},"));
                    let plan = plan(&[source("agencies", &csv)], &data).unwrap();
                    assert_eq!(plan.changes.len(), 1);
                    barrier.wait().await;
                    (
                        name,
                        store
                            .apply(&plan.changes, &format!("người {task}"), "")
                            .await,
                    )
                })
            })
            .collect();
        let mut won = Vec::new();
        for handle in handles {
            match handle.await.unwrap() {
                (name, Ok(_)) => won.push(name),
                (
                    _,
                    Err(StoreError::Conflict {
                        entity: "agencies",
                        key,
                        current: Some(_),
                    }),
                ) if key == "BTTTT" => {}
                (_, other) => panic!("round {round}: expected a win or a conflict, got {other:?}"),
            }
        }
        assert_eq!(won.len(), 1, "round {round}: winners {won:?}");
        winners.extend(won);
    }
    let journal = store.journal(None, None).await.unwrap();
    let written: Vec<&str> = journal
        .iter()
        .map(|e| e.after.as_ref().unwrap()["short_name"].as_str().unwrap())
        .collect();
    assert_eq!(written, winners);
    assert_eq!(
        journal
            .iter()
            .map(|e| e.action.as_str())
            .filter(|a| *a == "insert")
            .count(),
        1
    );
    let stored = store
        .get(&tiendo_exchange::records::AGENCIES, "BTTTT")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.version, stored.row[3].as_deref()),
        (ROUNDS as i64, winners.last().map(String::as_str))
    );
}

/// Two people write the same report's narrative from the same version: the second is
/// refused and nothing is overwritten; the narrative as of an earlier journal entry is
/// the one written then.
async fn narratives_are_versioned_and_replayed_from_the_journal(fixture: Fixture) {
    use tiendo_report::{Narrative, Section};
    use tiendo_store::narrative;
    let store = fixture.open().await;
    let empty = narrative::narrative(&store, "kh2024", "2024-05")
        .await
        .unwrap();
    assert_eq!((empty.version, empty.narrative.is_empty()), (0, true));
    let mut first = Narrative::default();
    first.set(
        Section::Highlights,
        "Trên 53,88 triệu tài khoản; {{chi_tieu:1}}.",
    );
    assert_eq!(
        narrative::save(&store, "kh2024", "2024-05", &first, 0, "an")
            .await
            .unwrap(),
        1
    );
    let seq_first = store.journal(None, None).await.unwrap().last().unwrap().seq;

    let mut an = first.clone();
    an.set(Section::Recommendations, "Đề nghị của An.");
    let mut binh = first.clone();
    binh.set(Section::Recommendations, "Đề nghị của Bình.");
    assert_eq!(
        narrative::save(&store, "kh2024", "2024-05", &an, 1, "an")
            .await
            .unwrap(),
        2
    );
    match narrative::save(&store, "kh2024", "2024-05", &binh, 1, "binh").await {
        Err(StoreError::Conflict {
            entity: "narratives",
            key,
            current: Some(current),
        }) => assert_eq!((key.as_str(), current.version), ("kh2024|2024-05", 2)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored = narrative::narrative(&store, "kh2024", "2024-05")
        .await
        .unwrap();
    assert_eq!(
        (
            stored.version,
            stored.narrative.text(Section::Recommendations),
            stored.updated_by.as_str()
        ),
        (2, "Đề nghị của An.", "an")
    );
    assert_eq!(
        narrative::save(&store, "kh2024", "2024-05", &an, 2, "an")
            .await
            .unwrap(),
        2,
        "saving the same text again writes nothing"
    );

    let journal = store.journal(Some("narratives"), None).await.unwrap();
    assert_eq!(
        journal
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        vec!["insert", "update"]
    );
    let all = store.journal(None, None).await.unwrap();
    assert_eq!(
        narrative::narrative_from_journal(&all, seq_first, "kh2024", "2024-05"),
        first
    );
    assert_eq!(
        narrative::narrative_from_journal(&all, i64::MAX, "kh2024", "2024-05"),
        an
    );
    assert!(narrative::narrative_from_journal(&all, 0, "kh2024", "2024-05").is_empty());
    assert!(narrative::narrative_from_journal(&all, i64::MAX, "kh2024", "2024-06").is_empty());
}

#[test]
fn overlapping_reuse_of_a_code_is_refused() {
    let overlapping = AGENCIES.replace(
        "lao-cai-2025,15,Tỉnh Lào Cai,Lào Cai,province,2025-07-01",
        "lao-cai-2025,15,Tỉnh Lào Cai,Lào Cai,province,2025-06-01",
    );
    let errors = plan(&[source("agencies", &overlapping)], &Dataset::default()).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.field.as_deref() == Some("code") && e.line == Some(3)),
        "{errors:?}"
    );
}

/// The columns of each table as a migration directory creates them: those of its
/// `CREATE TABLE` in order, then those added by `ALTER TABLE … ADD COLUMN`.
fn migration_columns(dir: &str) -> Vec<(String, Vec<String>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let sql: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let mut tables: Vec<(String, Vec<String>)> = sql
        .split("CREATE TABLE ")
        .skip(1)
        .map(|table| {
            let name = table.split(' ').next().unwrap().to_string();
            let body = &table[..table.find("\n)").unwrap()];
            (
                name,
                body.lines()
                    .skip(1)
                    .filter_map(|l| l.split_whitespace().next())
                    .map(|c| c.trim_matches('"').to_string())
                    .collect(),
            )
        })
        .collect();
    for line in sql.lines().filter_map(|l| l.strip_prefix("ALTER TABLE ")) {
        let mut words = line.split_whitespace();
        let (table, column) = (
            words.next().unwrap(),
            words.nth(2).unwrap().trim_matches('"'),
        );
        tables
            .iter_mut()
            .find(|(name, _)| name == table)
            .unwrap()
            .1
            .push(column.to_string());
    }
    tables
}

#[test]
fn both_schemas_match_the_exchange_format_and_each_other() {
    let sqlite = migration_columns("sqlite");
    assert_eq!(
        migration_columns("postgres"),
        sqlite,
        "the PostgreSQL migrations mirror the SQLite ones"
    );
    for entity in tiendo_exchange::records::ENTITIES
        .iter()
        .chain(&tiendo_store::workflow::WORKFLOW_ENTITIES)
    {
        let (_, columns) = sqlite
            .iter()
            .find(|(name, _)| name == entity.name)
            .unwrap_or_else(|| panic!("no table {}", entity.name));
        let mut expected: Vec<String> = entity
            .column_names()
            .chain(["version", "PRIMARY"])
            .map(str::to_string)
            .collect();
        let mut columns = columns.clone();
        expected.sort();
        columns.sort();
        assert_eq!(columns, expected, "table {}", entity.name);
    }
    let names = |dir: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(dir),
        )
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
        names.sort();
        names
    };
    assert_eq!(
        names("postgres"),
        names("sqlite"),
        "one PostgreSQL migration per SQLite migration"
    );
}
#[tokio::test]
async fn a_database_of_the_first_schema_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    std::fs::create_dir(&first).unwrap();
    std::fs::write(
        first.join("0001_initial.sql"),
        include_str!("../migrations/sqlite/0001_initial.sql"),
    )
    .unwrap();
    let path = dir.path().join("old.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(first.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO lineage (from_agency, to_agency, kind, effective, confidence) VALUES ('BTTTT', 'BKHCN', 'split_into', '2025-03-01', 'official')").execute(&pool).await.unwrap();
    pool.close().await;

    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    let data = store.load().await.unwrap();
    assert_eq!(data.lineage.len(), 1);
    assert!(
        !data.lineage[0].principal,
        "the added column reads as empty"
    );
    store.close().await;
}

/// A task update as stored, with `completed_on` as given.
fn task_update(completed_on: &str) -> Change {
    Change {
        entity: &tiendo_exchange::records::TASK_UPDATES,
        key: "t1|2024-06".to_string(),
        before: None,
        after: vec![
            Some("t1".into()),
            Some("2024-06".into()),
            Some("2024-06-30".into()),
            Some("done".into()),
            Some(completed_on.into()),
            None,
            Some("test".into()),
        ],
    }
}

/// Issue 26, H1: a date the loader refuses (`-0001-01-01`, `+10000-01-01`) was stored by
/// the API and then stopped every page. The store now checks every row with the loader's
/// own rules before writing.
async fn a_value_the_loader_refuses_is_never_written(fixture: Fixture) {
    let store = fixture.open().await;
    for bad in ["-0001-01-01", "+10000-01-01", "0001-01-01", "2024-02-30"] {
        match store.apply(&[task_update(bad)], "tester", "thử").await {
            Err(StoreError::Invalid { column, .. }) => assert_eq!(column, "completed_on"),
            other => panic!("{bad} written: {other:?}"),
        }
    }
    assert_eq!(
        fixture
            .raw("SELECT count(*) FROM task_updates")
            .await
            .unwrap(),
        Some(0)
    );
    assert_eq!(
        fixture.raw("SELECT count(*) FROM journal").await.unwrap(),
        Some(0)
    );
    store
        .apply(&[task_update("2024-06-11")], "tester", "thử")
        .await
        .unwrap();
    assert_eq!(store.load().await.unwrap().task_updates.len(), 1);
    store.close().await;
}

/// Issue 26, H1: a record written before the rule (or by hand) that the loader cannot
/// read is left out and listed, and every other record still loads.
async fn a_bad_stored_record_is_a_finding_not_a_failure_of_the_whole_data(fixture: Fixture) {
    let store = fixture.open().await;
    let agencies = plan(&[source("agencies", AGENCIES)], &Dataset::default()).unwrap();
    store
        .apply(&agencies.changes, "tester", "nạp")
        .await
        .unwrap();
    fixture
        .raw(
            "INSERT INTO task_updates (task_id, period, reported_on, status, completed_on, provenance) \
             VALUES ('t1', '2024-06', '2024-06-30', 'done', '-0001-01-01', 'test')",
        )
        .await
        .unwrap();
    let data = store.load().await.expect("the data loads");
    assert_eq!(data.agencies.len(), 3);
    assert!(data.task_updates.is_empty());
    assert_eq!(data.unreadable.len(), 1, "{:?}", data.unreadable);
    assert_eq!(
        (
            data.unreadable[0].entity.as_str(),
            data.unreadable[0].key.as_str(),
            data.unreadable[0].field.as_str()
        ),
        ("task_updates", "t1|2024-06", "completed_on")
    );
    let problems = tiendo_core::check::check(&data);
    assert!(
        problems
            .iter()
            .any(|p| p.kind == "unreadable_record" && p.record == "task_updates t1|2024-06"),
        "{problems:?}"
    );
    // The bad record can be corrected through the store: its replacement is checked.
    let stored = store
        .get(&tiendo_exchange::records::TASK_UPDATES, "t1|2024-06")
        .await
        .unwrap()
        .unwrap();
    let mut fixed = task_update("2024-06-11");
    fixed.before = Some(stored.row);
    store.apply(&[fixed], "tester", "sửa").await.unwrap();
    let data = store.load().await.unwrap();
    assert!(data.unreadable.is_empty());
    assert_eq!(data.task_updates.len(), 1);
    store.close().await;
}

/// Issue 26 (low): a NUL byte in a key read from a request made PostgreSQL fail (500);
/// no stored key has one, so such a key names nothing, on both backends.
async fn keys_with_a_nul_byte_name_nothing(fixture: Fixture) {
    let store = fixture.open().await;
    assert!(store.get(&ACCOUNTS, "quan\0tri").await.unwrap().is_none());
    assert!(store.blob("ab\0cd").await.unwrap().is_none());
    assert!(
        store
            .journal(Some("accounts"), Some("quan\0tri"))
            .await
            .unwrap()
            .is_empty()
    );
    store.close().await;
}
