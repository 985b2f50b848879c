//! The SQLite store against a real database file.

use tiendo_core::model::Dataset;
use tiendo_exchange::import::{SourceFile, plan};
use tiendo_exchange::records::Entity;
use tiendo_store::sqlite::SqliteStore;
use tiendo_store::{Store, StoreError};

fn source(entity: &str, text: &str) -> SourceFile {
    SourceFile { name: format!("{entity}.csv"), entity: Entity::by_name(entity).unwrap(), text: text.to_string() }
}

const AGENCIES: &str = "id,code,name,short_name,kind,valid_from,valid_to,sort_order,confidence,note,provenance\n\
BTTTT,BTTTT,Bộ Thông tin và Truyền thông,Bộ TT&TT,ministry,,2025-02-28,130,official,,test\n\
yen-bai,15,Tỉnh Yên Bái,Yên Bái,province,,2025-06-30,1015,official,,test\n\
lao-cai-2025,15,Tỉnh Lào Cai,Lào Cai,province,2025-07-01,,1015,official,,test\n";

#[tokio::test]
async fn writes_are_journaled_versioned_and_the_journal_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();

    let first = plan(&[source("agencies", AGENCIES)], &Dataset::default()).unwrap();
    let applied = store.apply(&first.changes, "tester", "nạp").await.unwrap();
    assert_eq!((applied.inserted, applied.updated), (3, 0));
    let data = store.load().await.unwrap();
    assert_eq!(data.agencies.len(), 3, "code 15 is reused by two agencies valid in different eras");

    let renamed = AGENCIES.replace("Bộ TT&TT,ministry", "Bộ Thông tin,ministry");
    let second = plan(&[source("agencies", &renamed)], &data).unwrap();
    assert_eq!((second.inserted(), second.updated(), second.unchanged), (0, 1, 2));
    store.apply(&second.changes, "tester", "đổi tên").await.unwrap();

    let journal = store.journal(Some("agencies"), Some("BTTTT")).await.unwrap();
    assert_eq!(journal.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["insert", "update"]);
    assert_eq!(journal[1].before.as_ref().unwrap()["short_name"], "Bộ TT&TT");
    assert_eq!(journal[1].after.as_ref().unwrap()["short_name"], "Bộ Thông tin");
    assert_eq!(journal[1].reason, "đổi tên");
    store.close().await;

    let reopened = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    assert_eq!(reopened.load().await.unwrap().agencies.iter().find(|a| a.id == "BTTTT").unwrap().short_name, "Bộ Thông tin");
    reopened.close().await;

    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let version: i64 = sqlx::query_scalar("SELECT version FROM agencies WHERE id = 'BTTTT'").fetch_one(&pool).await.unwrap();
    assert_eq!(version, 2);
    assert!(sqlx::query("UPDATE journal SET actor = 'x'").execute(&pool).await.is_err(), "journal rows cannot be changed");
    assert!(sqlx::query("DELETE FROM journal").execute(&pool).await.is_err(), "journal rows cannot be deleted");
}

#[tokio::test]
async fn overlapping_reuse_of_a_code_is_refused() {
    let overlapping = AGENCIES.replace("lao-cai-2025,15,Tỉnh Lào Cai,Lào Cai,province,2025-07-01", "lao-cai-2025,15,Tỉnh Lào Cai,Lào Cai,province,2025-06-01");
    let errors = plan(&[source("agencies", &overlapping)], &Dataset::default()).unwrap_err();
    assert!(errors.iter().any(|e| e.field.as_deref() == Some("code") && e.line == Some(3)), "{errors:?}");
}

#[tokio::test]
async fn migrated_schema_matches_the_exchange_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.db");
    SqliteStore::open(path.to_str().unwrap()).await.unwrap().close().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    for entity in tiendo_exchange::records::ENTITIES.iter().chain(&tiendo_store::workflow::WORKFLOW_ENTITIES) {
        let mut columns: Vec<String> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT name FROM pragma_table_info('{}') WHERE name != 'version'", entity.name))).fetch_all(&pool).await.unwrap();
        let mut expected: Vec<String> = entity.column_names().map(str::to_string).collect();
        columns.sort();
        expected.sort();
        assert_eq!(columns, expected, "table {}", entity.name);
    }
}

#[tokio::test]
async fn a_stale_update_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("t.db").to_str().unwrap()).await.unwrap();
    let first = plan(&[source("agencies", AGENCIES)], &Dataset::default()).unwrap();
    store.apply(&first.changes, "tester", "").await.unwrap();
    let read_by_both = store.load().await.unwrap();

    let alice = plan(&[source("agencies", &AGENCIES.replace("Bộ TT&TT,ministry", "Bộ TTTT (An),ministry"))], &read_by_both).unwrap();
    let bob = plan(&[source("agencies", &AGENCIES.replace("Bộ TT&TT,ministry", "Bộ TTTT (Bình),ministry"))], &read_by_both).unwrap();
    store.apply(&alice.changes, "an", "").await.unwrap();
    match store.apply(&bob.changes, "binh", "").await {
        Err(StoreError::Conflict { entity, key, current: Some(current) }) => {
            assert_eq!((entity, key.as_str(), current.version), ("agencies", "BTTTT", 2));
            assert_eq!(current.row[3].as_deref(), Some("Bộ TTTT (An)"));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.get(&tiendo_exchange::records::AGENCIES, "BTTTT").await.unwrap().unwrap().row[3].as_deref(), Some("Bộ TTTT (An)"));
    assert_eq!(store.journal(Some("agencies"), Some("BTTTT")).await.unwrap().len(), 2, "the refused change left no journal entry");
    assert!(matches!(store.apply(&first.changes[..1], "an", "").await, Err(StoreError::Conflict { .. })), "inserting an existing record is a conflict");
}

#[tokio::test]
async fn workflow_records_blobs_and_sessions() {
    use tiendo_exchange::import::Change;
    use tiendo_store::workflow::ACCOUNTS;
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("t.db").to_str().unwrap()).await.unwrap();
    let row = |name: &str| -> Vec<Option<String>> {
        ["an", name, "reporter", "yen-bai", "", "$argon2id$secret", "true", "2026-11-23T00:00:00Z"].iter().map(|v| (!v.is_empty()).then(|| v.to_string())).collect()
    };
    store.apply(&[Change { entity: &ACCOUNTS, key: "an".into(), before: None, after: row("An") }], "admin", "tạo").await.unwrap();
    store.apply(&[Change { entity: &ACCOUNTS, key: "an".into(), before: Some(row("An")), after: row("Nguyễn An") }], "admin", "đổi tên").await.unwrap();
    let stored = store.rows(&ACCOUNTS).await.unwrap();
    assert_eq!((stored.len(), stored[0].version, stored[0].row[1].as_deref()), (1, 2, Some("Nguyễn An")));
    let journal = store.journal(Some("accounts"), None).await.unwrap();
    assert_eq!(journal[1].after.as_ref().unwrap()["password_hash"], "***", "hashes never reach the journal");

    store.put_blob("abc", b"evidence").await.unwrap();
    store.put_blob("abc", b"evidence").await.unwrap();
    assert_eq!(store.blob("abc").await.unwrap().as_deref(), Some(&b"evidence"[..]));
    assert_eq!(store.blob("def").await.unwrap(), None);

    let record = tiendo_store::SessionRecord { data: "{}".into(), expires_at: 100 };
    store.session_save("s1", &record).await.unwrap();
    store.session_save("s2", &tiendo_store::SessionRecord { data: "{}".into(), expires_at: 300 }).await.unwrap();
    assert_eq!(store.session_load("s1").await.unwrap(), Some(record));
    store.session_delete_expired(200).await.unwrap();
    assert_eq!(store.session_load("s1").await.unwrap(), None);
    store.session_delete("s2").await.unwrap();
    assert_eq!(store.session_load("s2").await.unwrap(), None);
}

#[tokio::test]
async fn a_database_of_the_first_schema_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    std::fs::create_dir(&first).unwrap();
    std::fs::write(first.join("0001_initial.sql"), include_str!("../migrations/sqlite/0001_initial.sql")).unwrap();
    let path = dir.path().join("old.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
    sqlx::migrate::Migrator::new(first.as_path()).await.unwrap().run(&pool).await.unwrap();
    sqlx::query("INSERT INTO lineage (from_agency, to_agency, kind, effective, confidence) VALUES ('BTTTT', 'BKHCN', 'split_into', '2025-03-01', 'official')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    let data = store.load().await.unwrap();
    assert_eq!(data.lineage.len(), 1);
    assert!(!data.lineage[0].principal, "the added column reads as empty");
    store.close().await;
}
