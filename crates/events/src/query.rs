//! The QĐ 766 query over the rollups, with Apache DataFusion. The SQL is plain (filters,
//! aggregates, one join) over plain Parquet tables, so the same text runs on DuckDB (the
//! benchmark does) or on a distributed engine that reads the same files.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use datafusion::arrow::array::{Array, Int64Array, StringArray};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::DataFusionError;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

use crate::columnar::{self, DAILY, DAILY_COUNTS, MONTHLY, OVERDUE};
use crate::index::Counts;

/// The rollup the activity of a period is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// `daily`, filtered on `day`: any period.
    Daily,
    /// `monthly`, filtered on `month`: a period of whole calendar months (a month, a
    /// quarter, a year), about thirty times fewer rows to read than `daily`.
    Monthly,
}

impl Activity {
    /// `Monthly` for a period of whole calendar months when the store's `monthly` rollup
    /// is current, `Daily` otherwise.
    pub fn for_period(start: NaiveDate, end: NaiveDate, monthly_current: bool) -> Activity {
        let whole_months =
            start <= end && start.day() == 1 && end.succ_opt().is_some_and(|next| next.day() == 1);
        if monthly_current && whole_months {
            Activity::Monthly
        } else {
            Activity::Daily
        }
    }
}

/// The per-agency counts of the QĐ 766 table for the days `start..=end`: activity of the
/// period from `daily` or `monthly` (first per agency and procedure, so that the
/// procedures with fees and with online payments are counted by a plain sum rather than a
/// `COUNT(DISTINCT)`), and the dossiers still overdue at its end from `overdue`.
pub fn qd766_sql(start: NaiveDate, end: NaiveDate, activity: Activity) -> String {
    let sums: Vec<String> = DAILY_COUNTS
        .iter()
        .map(|c| format!("SUM({c}) AS {c}"))
        .collect();
    let outer: Vec<String> = DAILY_COUNTS
        .iter()
        .map(|c| format!("COALESCE(d.{c}, 0) AS {c}"))
        .collect();
    let (table, column) = match activity {
        Activity::Daily => (DAILY, "day"),
        Activity::Monthly => (MONTHLY, "month"),
    };
    format!(
        "WITH p AS (\n  SELECT agency_id, procedure_code, {sums}\n  FROM {table}\n  WHERE {column} BETWEEN DATE '{start}' AND DATE '{end}'\n  GROUP BY agency_id, procedure_code\n), d AS (\n  SELECT agency_id, {sums},\n    SUM(CASE WHEN fee > 0 THEN 1 ELSE 0 END) AS fee_procedures,\n    SUM(CASE WHEN paid_online > 0 THEN 1 ELSE 0 END) AS paid_procedures\n  FROM p\n  GROUP BY agency_id\n), o AS (\n  SELECT agency_id, SUM(n) AS open_overdue\n  FROM overdue\n  WHERE due_day <= DATE '{end}' AND (finish_day IS NULL OR finish_day > DATE '{end}')\n  GROUP BY agency_id\n)\nSELECT COALESCE(d.agency_id, o.agency_id) AS agency_id, {outer},\n  COALESCE(d.fee_procedures, 0) AS fee_procedures, COALESCE(d.paid_procedures, 0) AS paid_procedures,\n  COALESCE(o.open_overdue, 0) AS open_overdue\nFROM d FULL OUTER JOIN o ON d.agency_id = o.agency_id\nORDER BY agency_id",
        sums = sums.join(", "),
        outer = outer.join(", "),
    )
}

/// Whether every month's `monthly` rollup records the content of its `daily` one, so that
/// both give the same counts (not so in a store written before `monthly` existed, until
/// its next compaction, or after a crash between the two files).
fn monthly_is_current(root: &Path) -> bool {
    let content = |table, month: &str| {
        columnar::recorded_content(&columnar::partition_file(root, table, month)).ok()
    };
    columnar::rollup_months(root).is_ok_and(|months| {
        months.iter().all(|month| {
            let daily = content(DAILY, month);
            daily.is_some() && content(MONTHLY, month) == daily
        })
    })
}

/// Where the SQL runs: Apache DataFusion in this process (the default), or a Apache
/// DataFusion Ballista cluster whose executors read the same Parquet files (the same path
/// on a shared file system). Written `datafusion`, `ballista://HOST:PORT` or
/// `ballista:standalone` (a scheduler and an executor started in this process, for trials
/// and tests). Ballista needs a build with the `ballista` feature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Cluster {
    #[default]
    InProcess,
    Ballista {
        host: String,
        port: u16,
    },
    BallistaStandalone,
}

/// The port a Ballista scheduler listens on unless told otherwise.
pub const BALLISTA_DEFAULT_PORT: u16 = 50050;

impl FromStr for Cluster {
    type Err = String;

    fn from_str(text: &str) -> Result<Cluster, String> {
        let text = text.trim();
        let wrong = || {
            format!(
                "máy truy vấn \"{text}\" không hợp lệ: dùng \"datafusion\" (mặc định, chạy trong tiến trình), \"ballista://MÁY:CỔNG\" (bộ lập lịch Ballista, ví dụ ballista://10.0.0.5:{BALLISTA_DEFAULT_PORT}) hoặc \"ballista:standalone\""
            )
        };
        if text.is_empty() || text.eq_ignore_ascii_case("datafusion") {
            return Ok(Cluster::InProcess);
        }
        if text.eq_ignore_ascii_case("ballista:standalone") {
            return Ok(Cluster::BallistaStandalone);
        }
        let address = text
            .strip_prefix("ballista://")
            .ok_or_else(wrong)?
            .trim_end_matches('/');
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) if !host.contains(']') || host.ends_with(']') => {
                (host, port.parse::<u16>().map_err(|_| wrong())?)
            }
            _ => (address, BALLISTA_DEFAULT_PORT),
        };
        if host.is_empty() || host.contains(['/', '@', ' ']) {
            return Err(wrong());
        }
        Ok(Cluster::Ballista {
            host: host.to_string(),
            port,
        })
    }
}

impl fmt::Display for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cluster::InProcess => f.write_str("datafusion"),
            Cluster::Ballista { host, port } => write!(f, "ballista://{host}:{port}"),
            Cluster::BallistaStandalone => f.write_str("ballista:standalone"),
        }
    }
}

/// A DataFusion session over an event store's rollups.
pub struct Engine {
    ctx: SessionContext,
    /// Whether the rollup tables exist yet.
    has_tables: bool,
    /// Whether `monthly` is registered: it exists and agrees with `daily`.
    monthly: bool,
}

impl Engine {
    /// A session in this process.
    pub async fn open(root: &Path) -> Result<Engine, DataFusionError> {
        Engine::open_on(root, &Cluster::InProcess).await
    }

    /// A session on the given cluster: the same tables and the same SQL; only where the
    /// plan runs differs.
    pub async fn open_on(root: &Path, cluster: &Cluster) -> Result<Engine, DataFusionError> {
        // DataFusion's options can be tuned from the environment (DATAFUSION_EXECUTION_…).
        // Unless set there, the partitions follow the cores, and the day filters are
        // applied while the Parquet pages are decoded (a month's query then decodes about
        // a twelfth of the rows: measured 100 ms against 150 ms on 10 million dossiers).
        let unset = |name: &str| std::env::var_os(name).is_none();
        let mut config = SessionConfig::from_env()?;
        if unset("DATAFUSION_EXECUTION_TARGET_PARTITIONS") {
            config = config.with_target_partitions(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            );
        }
        if unset("DATAFUSION_EXECUTION_PARQUET_PUSHDOWN_FILTERS") {
            config = config.set_bool("datafusion.execution.parquet.pushdown_filters", true);
        }
        let ctx = session(config, cluster).await?;
        let daily = root.join(DAILY);
        let overdue = root.join(OVERDUE);
        let has_tables = daily.is_dir() && overdue.is_dir();
        let monthly = has_tables && root.join(MONTHLY).is_dir() && monthly_is_current(root);
        if has_tables {
            let options = ParquetReadOptions::default();
            ctx.register_parquet(DAILY, &format!("{}/", daily.display()), options.clone())
                .await?;
            ctx.register_parquet(OVERDUE, &format!("{}/", overdue.display()), options)
                .await?;
        }
        if monthly {
            ctx.register_parquet(
                MONTHLY,
                &format!("{}/", root.join(MONTHLY).display()),
                ParquetReadOptions::default(),
            )
            .await?;
        }
        Ok(Engine {
            ctx,
            has_tables,
            monthly,
        })
    }

    /// The SQL of the QĐ 766 table for `start..=end` on this store.
    pub fn sql(&self, start: NaiveDate, end: NaiveDate) -> String {
        qd766_sql(start, end, Activity::for_period(start, end, self.monthly))
    }

    /// Run the QĐ 766 query: agency id and counts, ordered by agency id.
    pub async fn counts(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<(String, Counts)>, DataFusionError> {
        if !self.has_tables {
            return Ok(Vec::new());
        }
        let batches = self.ctx.sql(&self.sql(start, end)).await?.collect().await?;
        let mut out = Vec::new();
        for batch in &batches {
            out.extend(read_counts(batch)?);
        }
        Ok(out)
    }

    /// The name of the root of the QĐ 766 query's physical plan: where it runs
    /// (`DistributedQueryExec` on a Ballista cluster, a local operator otherwise).
    pub async fn plan_root(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<String, DataFusionError> {
        if !self.has_tables {
            return Ok(String::new());
        }
        let plan = self
            .ctx
            .sql(&self.sql(start, end))
            .await?
            .create_physical_plan()
            .await?;
        Ok(plan.name().to_string())
    }

    /// Run the query `repeat` times and time each run (the first on a fresh session is
    /// the cold run).
    pub async fn timed(
        &self,
        start: NaiveDate,
        end: NaiveDate,
        repeat: usize,
    ) -> Result<(Vec<(String, Counts)>, Vec<Duration>), DataFusionError> {
        let mut times = Vec::new();
        let mut last = Vec::new();
        for _ in 0..repeat.max(1) {
            let t = Instant::now();
            last = self.counts(start, end).await?;
            times.push(t.elapsed());
        }
        Ok((last, times))
    }
}

async fn session(
    config: SessionConfig,
    cluster: &Cluster,
) -> Result<SessionContext, DataFusionError> {
    match cluster {
        Cluster::InProcess => Ok(SessionContext::new_with_config(config)),
        #[cfg(feature = "ballista")]
        Cluster::Ballista { host, port } => {
            use ballista::prelude::SessionContextExt;
            let state = datafusion::execution::SessionStateBuilder::new()
                .with_config(config)
                .with_default_features()
                .build();
            SessionContext::remote_with_state(&format!("df://{host}:{port}"), state).await
        }
        #[cfg(feature = "ballista")]
        Cluster::BallistaStandalone => {
            use ballista::prelude::SessionContextExt;
            let state = datafusion::execution::SessionStateBuilder::new()
                .with_config(config)
                .with_default_features()
                .build();
            SessionContext::standalone_with_state(state).await
        }
        #[cfg(not(feature = "ballista"))]
        other => Err(DataFusionError::Configuration(format!(
            "bản dựng này không có Ballista nên không chạy được trên {other}: dựng lại với `cargo build --release --features ballista`"
        ))),
    }
}

fn read_counts(batch: &RecordBatch) -> Result<Vec<(String, Counts)>, DataFusionError> {
    let err = |name: &str| {
        DataFusionError::Internal(format!("QĐ 766 query: column {name} missing or not Int64"))
    };
    let agency = batch
        .column_by_name("agency_id")
        .and_then(|c| c.as_any().downcast_ref::<StringArray>().cloned())
        .or_else(|| {
            batch.column_by_name("agency_id").and_then(|c| {
                datafusion::arrow::compute::cast(c, &datafusion::arrow::datatypes::DataType::Utf8)
                    .ok()
                    .and_then(|a| a.as_any().downcast_ref::<StringArray>().cloned())
            })
        })
        .ok_or_else(|| err("agency_id"))?;
    let int = |name: &str| -> Result<Int64Array, DataFusionError> {
        batch
            .column_by_name(name)
            .and_then(|c| c.as_any().downcast_ref::<Int64Array>().cloned())
            .ok_or_else(|| err(name))
    };
    let cols: Vec<Int64Array> = DAILY_COUNTS
        .iter()
        .copied()
        .chain(["fee_procedures", "paid_procedures", "open_overdue"])
        .map(int)
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        if agency.is_null(i) {
            continue;
        }
        let v = |k: usize| cols[k].value(i);
        out.push((
            agency.value(i).to_string(),
            Counts {
                received: v(0),
                online: v(1),
                eligible_full: v(2),
                full_online: v(3),
                fee: v(4),
                paid_online: v(5),
                digitised: v(6),
                reused: v(7),
                eid: v(8),
                finished: v(9),
                on_time: v(10),
                electronic_result: v(11),
                rated: v(12),
                satisfied: v(13),
                fee_procedures: v(14),
                paid_procedures: v(15),
                open_overdue: v(16),
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    #[test]
    fn clusters_are_read_from_their_addresses() {
        assert_eq!("datafusion".parse(), Ok(Cluster::InProcess));
        assert_eq!("".parse(), Ok(Cluster::InProcess));
        assert_eq!(
            "ballista:standalone".parse(),
            Ok(Cluster::BallistaStandalone)
        );
        assert_eq!(
            "ballista://10.0.0.5:50051".parse(),
            Ok(Cluster::Ballista {
                host: "10.0.0.5".into(),
                port: 50051
            })
        );
        assert_eq!(
            "ballista://scheduler".parse(),
            Ok(Cluster::Ballista {
                host: "scheduler".into(),
                port: BALLISTA_DEFAULT_PORT
            })
        );
        assert_eq!(
            "ballista://[::1]:50050".parse(),
            Ok(Cluster::Ballista {
                host: "[::1]".into(),
                port: 50050
            })
        );
        for wrong in [
            "duckdb",
            "ballista://",
            "ballista://host:cổng",
            "ballista://a/b:1",
            "http://host:1",
        ] {
            let error = wrong.parse::<Cluster>().unwrap_err();
            assert!(error.contains("ballista://MÁY:CỔNG"), "{wrong}: {error}");
        }
        for cluster in [
            Cluster::InProcess,
            Cluster::BallistaStandalone,
            Cluster::Ballista {
                host: "h".into(),
                port: 7,
            },
        ] {
            assert_eq!(cluster.to_string().parse(), Ok(cluster));
        }
    }
    #[test]
    fn only_whole_calendar_months_are_read_from_the_monthly_rollup() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        for (start, end) in [
            (d(2024, 5, 1), d(2024, 5, 31)),
            (d(2024, 2, 1), d(2024, 2, 29)),
            (d(2024, 4, 1), d(2024, 6, 30)),
            (d(2024, 1, 1), d(2024, 12, 31)),
        ] {
            assert_eq!(
                Activity::for_period(start, end, true),
                Activity::Monthly,
                "{start}..{end}"
            );
            assert_eq!(
                Activity::for_period(start, end, false),
                Activity::Daily,
                "{start}..{end}: monthly not current"
            );
        }
        for (start, end) in [
            (d(2024, 5, 1), d(2024, 5, 30)),
            (d(2024, 5, 2), d(2024, 5, 31)),
            (d(2024, 2, 1), d(2024, 2, 28)),
            (d(2024, 6, 1), d(2024, 5, 31)),
        ] {
            assert_eq!(
                Activity::for_period(start, end, true),
                Activity::Daily,
                "{start}..{end}"
            );
        }
        assert!(
            qd766_sql(d(2024, 4, 1), d(2024, 6, 30), Activity::Monthly).contains(
                "FROM monthly\n  WHERE month BETWEEN DATE '2024-04-01' AND DATE '2024-06-30'"
            )
        );
        assert!(
            qd766_sql(d(2024, 4, 1), d(2024, 6, 30), Activity::Daily).contains(
                "FROM daily\n  WHERE day BETWEEN DATE '2024-04-01' AND DATE '2024-06-30'"
            )
        );
    }

    use crate::calendar::Calendar;
    use crate::dossier::{DossierFacts, fold};
    use crate::event::{Channel, Event};
    use crate::generate::{Spec, generate};
    use crate::store::{EventStore, parse_ndjson};

    /// The counts of one agency for `start..=end` computed directly from the dossiers,
    /// without rollups or SQL: the oracle of the query.
    fn oracle(dossiers: &[DossierFacts], agency: &str, start: NaiveDate, end: NaiveDate) -> Counts {
        let inside = |d: NaiveDate| start <= d && d <= end;
        let mine: Vec<&DossierFacts> = dossiers.iter().filter(|f| f.agency_id == agency).collect();
        let received: Vec<&&DossierFacts> = mine.iter().filter(|f| inside(f.received)).collect();
        let finished: Vec<&&DossierFacts> = mine
            .iter()
            .filter(|f| f.finished.is_some_and(|(d, _)| inside(d)))
            .collect();
        let count = |it: &mut dyn Iterator<Item = bool>| it.filter(|b| *b).count() as i64;
        let procedures = |pick: &dyn Fn(&DossierFacts) -> bool| {
            received
                .iter()
                .filter(|f| pick(f))
                .map(|f| f.procedure_code.clone())
                .collect::<BTreeSet<_>>()
                .len() as i64
        };
        Counts {
            received: received.len() as i64,
            online: count(&mut received.iter().map(|f| f.channel == Channel::Online)),
            fee: count(&mut received.iter().map(|f| f.fee)),
            paid_online: count(&mut received.iter().map(|f| f.fee && f.paid_online)),
            finished: finished.len() as i64,
            on_time: count(&mut finished.iter().map(|f| f.on_time() == Some(true))),
            fee_procedures: procedures(&|f| f.fee),
            paid_procedures: procedures(&|f| f.fee && f.paid_online),
            open_overdue: count(&mut mine.iter().map(|f| {
                f.late_finish_or_open()
                    && f.effective_due <= end
                    && f.finished.is_none_or(|(d, _)| d > end)
            })),
            ..Counts::default()
        }
    }

    /// Whole months read from `monthly` give the counts `daily` gives; a store whose
    /// `monthly` is missing (written before it existed) or behind `daily` (a crash between
    /// the two) is read from `daily` until its next compaction writes `monthly` again.
    #[test]
    fn the_monthly_rollup_gives_the_counts_of_the_daily_one_or_is_not_read() {
        let calendar = Calendar::vietnam();
        let spec = Spec {
            dossiers: 2_000,
            seed: 5,
            from: NaiveDate::from_ymd_opt(2024, 4, 10).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 6, 20).unwrap(),
            agencies: vec!["BTTTT".to_string(), "HNI".to_string()],
            part: crate::generate::Part::WHOLE,
        };
        let mut body = Vec::new();
        generate(&spec, &calendar, &mut body).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = EventStore::open(dir.path(), calendar.clone()).unwrap();
        store
            .ingest_parsed_ndjson(None, &body, parse_ndjson(&body, 1))
            .unwrap();
        store.compact().unwrap();
        drop(store);
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        let periods = [
            (d(5, 1), d(5, 31)),
            (d(4, 1), d(6, 30)),
            (d(1, 1), d(12, 31)),
            (d(6, 1), d(6, 30)),
        ];
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let counts = |monthly: bool| {
            let engine = rt.block_on(Engine::open(dir.path())).unwrap();
            periods
                .iter()
                .map(|&(start, end)| {
                    let from = if monthly {
                        "FROM monthly"
                    } else {
                        "FROM daily"
                    };
                    assert!(
                        engine.sql(start, end).contains(from),
                        "{start}..{end}: {from}"
                    );
                    rt.block_on(engine.counts(start, end)).unwrap()
                })
                .collect::<Vec<_>>()
        };
        let from_monthly = counts(true);
        assert!(
            from_monthly
                .iter()
                .all(|c| c.len() == 2 && c.iter().any(|(_, c)| c.received > 0))
        );
        let monthly = dir.path().join(MONTHLY);
        let may = columnar::partition_file(dir.path(), MONTHLY, "2024-05");
        let june = columnar::partition_file(dir.path(), MONTHLY, "2024-06");
        std::fs::copy(&june, &may).unwrap();
        assert_eq!(
            counts(false),
            from_monthly,
            "May's monthly rollup is June's: not read"
        );
        std::fs::remove_dir_all(&monthly).unwrap();
        assert_eq!(counts(false), from_monthly, "no monthly rollup");
        let store = EventStore::open(dir.path(), calendar).unwrap();
        let c = store.compact().unwrap();
        assert_eq!((c.read, c.added, c.repaired), (0, 0, 0));
        assert!(
            may.exists() && june.exists(),
            "compaction writes the monthly rollup of every month"
        );
        assert_eq!(counts(true), from_monthly);
    }

    #[test]
    fn the_query_agrees_with_the_dossiers_folded_directly() {
        let calendar = Calendar::vietnam();
        let spec = Spec {
            dossiers: 3_000,
            seed: 11,
            from: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 6, 30).unwrap(),
            agencies: vec![
                "BTTTT".to_string(),
                "HNI".to_string(),
                "yen-bai".to_string(),
            ],
            part: crate::generate::Part::WHOLE,
        };
        let mut body = Vec::new();
        generate(&spec, &calendar, &mut body).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = EventStore::open(dir.path(), calendar.clone()).unwrap();
        let lines = parse_ndjson(&body, 1);
        let mut by_dossier: BTreeMap<String, Vec<Event>> = BTreeMap::new();
        for l in &lines {
            let e = l.event.clone().unwrap();
            by_dossier.entry(e.dossier_id.clone()).or_default().push(e);
        }
        store.ingest_parsed_ndjson(None, &body, lines).unwrap();
        store.compact().unwrap();
        let dossiers: Vec<DossierFacts> = by_dossier
            .into_values()
            .map(|mut events| fold(&mut events, &calendar))
            .collect();

        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let engine = rt.block_on(Engine::open(dir.path())).unwrap();
        for (start, end) in [
            ((2024, 5, 1), (2024, 5, 31)),
            ((2024, 4, 15), (2024, 5, 14)),
            ((2024, 4, 1), (2024, 6, 30)),
        ] {
            let start = NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap();
            let end = NaiveDate::from_ymd_opt(end.0, end.1, end.2).unwrap();
            let counts = rt.block_on(engine.counts(start, end)).unwrap();
            assert_eq!(
                counts.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
                vec!["BTTTT", "HNI", "yen-bai"]
            );
            for (agency, c) in &counts {
                let expected = oracle(&dossiers, agency, start, end);
                let got = Counts {
                    eligible_full: 0,
                    full_online: 0,
                    digitised: 0,
                    reused: 0,
                    eid: 0,
                    electronic_result: 0,
                    rated: 0,
                    satisfied: 0,
                    ..*c
                };
                assert_eq!(got, expected, "{agency} {start}..{end}");
                assert!(c.fee_procedures > 0 && c.fee_procedures >= c.paid_procedures);
            }
        }
    }
}
