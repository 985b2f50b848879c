//! Issue 17: the QĐ 766 and measured-indicator SQL over the same Parquet files gives the
//! same figures on an Apache DataFusion Ballista cluster (a scheduler and an executor
//! started in this process) as on DataFusion in this process. Built only with the
//! `ballista` feature: `cargo test -p tiendo-events --features ballista --test ballista`.
#![cfg(feature = "ballista")]

use chrono::NaiveDate;
use tiendo_core::period::{Period, ReportingRegime};
use tiendo_events::EventStore;
use tiendo_events::calendar::Calendar;
use tiendo_events::generate::{Part, Spec, generate};
use tiendo_events::index::{Counts, IndexConfig};
use tiendo_events::observe;
use tiendo_events::query::{Cluster, Engine};
use tiendo_events::store::parse_ndjson;

#[test]
fn a_ballista_cluster_gives_every_measured_figure_of_the_in_process_engine() {
    let calendar = Calendar::vietnam();
    let spec = Spec {
        dossiers: 20_000,
        seed: 17,
        from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        agencies: ["BTTTT", "BCA", "ha-noi", "yen-bai", "lao-cai", "ca-mau"]
            .map(String::from)
            .to_vec(),
        part: Part::WHOLE,
    };
    let mut body = Vec::new();
    generate(&spec, &calendar, &mut body).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = EventStore::open(dir.path(), calendar).unwrap();
    let lines = parse_ndjson(&body, 1);
    store.ingest_parsed_ndjson(None, &body, lines).unwrap();
    store.compact().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(compare(dir.path(), spec.agencies.len()));
}

async fn compare(root: &std::path::Path, agencies: usize) {
    let local = Engine::open_on(root, &Cluster::InProcess).await.unwrap();
    let cluster = Engine::open_on(root, &Cluster::BallistaStandalone)
        .await
        .unwrap();
    let (year_start, year_end) = (
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
    );
    assert_eq!(
        cluster.plan_root(year_start, year_end).await.unwrap(),
        "DistributedQueryExec",
        "the query is planned for the cluster"
    );
    assert_ne!(
        local.plan_root(year_start, year_end).await.unwrap(),
        "DistributedQueryExec"
    );
    let config = IndexConfig::builtin();
    for code in ["2024-05", "2024-Q2", "2024-H1", "2024"] {
        let period: Period = code.parse().unwrap();
        let (start, end) = period.bounds(ReportingRegime::CalendarMonth);
        let expected = local.counts(start, end).await.unwrap();
        let got = cluster.counts(start, end).await.unwrap();
        assert_eq!(
            expected.len(),
            agencies,
            "{code}: every agency has dossiers"
        );
        assert!(expected.iter().all(|(_, c)| c.received > 0), "{code}");
        assert_eq!(got, expected, "{code}: the same counts on Ballista");
        let with_nation = |counts: &[(String, Counts)]| -> Vec<(Option<String>, Counts)> {
            counts
                .iter()
                .map(|(a, c)| (Some(a.clone()), *c))
                .chain([(None, observe::national(counts))])
                .collect()
        };
        let measured_here =
            observe::observations(&config, period, (start, end), &with_nation(&expected));
        let measured_there =
            observe::observations(&config, period, (start, end), &with_nation(&got));
        assert!(
            measured_here.len() > 50,
            "{code}: {} observations",
            measured_here.len()
        );
        assert_eq!(
            measured_there, measured_here,
            "{code}: the same measured indicators"
        );
    }
    let total: i64 = local
        .counts(year_start, year_end)
        .await
        .unwrap()
        .iter()
        .map(|(_, c)| c.received)
        .sum();
    assert_eq!(total, 20_000, "every dossier of the year is received once");
}
