//! Whatever the store accepts, the loader reads (issue 26, H1). Every write of every
//! surface (the API, the entry forms, the review's acceptance, `tiendo import`, the Excel
//! template) goes through [`Store::apply`]; here random values are written through it,
//! into real rows of the demo with one to three cells replaced, and after every batch the
//! whole data set must load with no unreadable record.

use std::path::PathBuf;

use proptest::prelude::*;
use tiendo_exchange::import::{Change, plan, read_sources};
use tiendo_exchange::records::{ColumnType, ENTITIES, Row};
use tiendo_store::sqlite::SqliteStore;
use tiendo_store::{Store, StoreError};

/// The demo's records, as `tiendo import data/demo/*` writes them.
fn demo_changes() -> Vec<Change> {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    plan(&read_sources(&dirs).unwrap(), &Default::default())
        .unwrap()
        .changes
}

/// A value for a cell of a column of this type: valid ones and the kinds of invalid ones
/// an attacker or a typing mistake sends.
fn value(ty: ColumnType) -> BoxedStrategy<Option<String>> {
    let texts = |values: &'static [&'static str]| {
        prop::sample::select(values).prop_map(|v| Some(v.to_string()))
    };
    let typed = match ty {
        ColumnType::Date => texts(&[
            "2024-06-11",
            "2024-12-31",
            "2199-12-31",
            "1900-01-01",
            "-0001-01-01",
            "+10000-01-01",
            "0001-01-01",
            "2200-01-01",
            "2024-02-30",
            "30/6/2024",
            "2024-6-1",
        ])
        .boxed(),
        ColumnType::Number => texts(&["1.5", "-3", "0", "NaN", "inf", "1e400", "1,5", "x"]).boxed(),
        ColumnType::Integer => texts(&["1", "-1", "99999999999999999999", "1.5", "x"]).boxed(),
        ColumnType::Bool => texts(&["true", "false", "yes", ""]).boxed(),
        ColumnType::Text => prop_oneof![
            texts(&[
                "done",
                "in_progress",
                "not_started",
                "lead",
                "coordinating",
                "declared",
                "measured",
                "ministry",
                "province",
                "2024-06",
                "2024-Q2",
                "2024-13",
                "0222",
                "Tháng 5",
                "Quý II/2024",
                "30/4/2024",
                "Hàng năm",
                "Trước ngày 15/4",
                "BTTTT",
                "yen-bai",
                "kh2024",
                "code:15",
                "code:15@2024-05-01",
                "a b",
                "x;y;;z",
            ]),
            "\\PC{0,12}".prop_map(Some),
        ]
        .boxed(),
    };
    prop_oneof![1 => Just(None), 6 => typed].boxed()
}

/// A demo row with `count` of its cells replaced by random values of their type.
fn mutation(
    rows: &'static [Change],
) -> impl Strategy<Value = (usize, Vec<(usize, Option<String>)>)> {
    (0..rows.len()).prop_flat_map(move |index| {
        let columns = rows[index].entity.columns;
        let cell = (0..columns.len())
            .prop_flat_map(move |column| value(columns[column].ty).prop_map(move |v| (column, v)));
        (Just(index), prop::collection::vec(cell, 1..=3))
    })
}

#[test]
fn whatever_the_store_accepts_loads() {
    let rows: &'static [Change] = Box::leak(demo_changes().into_boxed_slice());
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = runtime.block_on(async {
        let store = SqliteStore::open(dir.path().join("t.db").to_str().unwrap())
            .await
            .unwrap();
        store.apply(rows, "test", "demo").await.unwrap();
        store
    });
    let config = ProptestConfig {
        cases: 96,
        ..ProptestConfig::default()
    };
    let accepted = std::cell::Cell::new(0);
    proptest!(config, |(batch in prop::collection::vec(mutation(rows), 1..=8))| {
        runtime.block_on(async {
            for (index, cells) in &batch {
                let base = &rows[*index];
                let mut after: Row = base.after.clone();
                for (column, value) in cells {
                    after[*column] = value.clone();
                }
                let key = base.entity.key(&after);
                let before = store.get(base.entity, &key).await.unwrap().map(|v| v.row);
                let change = Change { entity: base.entity, key, before, after };
                match store.apply(&[change], "proptest", "thử").await {
                    Ok(_) => accepted.set(accepted.get() + 1),
                    Err(StoreError::Invalid { .. } | StoreError::Unprintable { .. }) => {}
                    Err(e) => panic!("unexpected error: {e}"),
                }
            }
            let data = store.load().await.unwrap();
            prop_assert!(data.unreadable.is_empty(), "accepted but unreadable: {:?}", data.unreadable);
            Ok(())
        })?;
    });
    assert!(accepted.get() > 0, "some changes were accepted");
    let covered = ENTITIES
        .iter()
        .filter(|e| rows.iter().any(|r| r.entity.name == e.name))
        .count();
    assert!(
        covered >= 12,
        "the demo's rows cover {covered} kinds of record"
    );
}
