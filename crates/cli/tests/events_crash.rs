//! Crash and idempotency of event ingestion.
//!
//! - `tiendo ingest` is killed with SIGKILL in the middle of a file, restarted with the
//!   tail it had not acknowledged (and some lines it had, as a client re-sending a batch
//!   would), and the store must then hold every event exactly once.
//! - `tiendo ingest` is stopped by a fail point (`TIENDO_FAILPOINT`, an abort as sudden
//!   as `kill -9`) at every step of ingestion and compaction, once or twice in a row, and
//!   a clean rerun must leave the same events, the same rollups and the same measured
//!   index as an ingestion that was never interrupted.

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tiendo_events::columnar::{self, Rollups};

fn tiendo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(args)
        .env_remove("TIENDO_FAILPOINT")
        .output()
        .expect("tiendo runs")
}

fn stored_events(stdout: &str) -> usize {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Kho sự kiện"))
        .unwrap_or_else(|| panic!("no store line in: {stdout}"));
    let n = line
        .rsplit(": ")
        .next()
        .unwrap()
        .trim_end_matches(" sự kiện.")
        .replace('.', "");
    n.parse().unwrap()
}

#[test]
fn kill_during_ingestion_loses_nothing_acknowledged_and_counts_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (db, events, data) = (path("t.db"), path("events"), path("events.ndjson"));
    let out = tiendo(&[
        "gen-events",
        "--dossiers",
        "3000",
        "--seed",
        "9",
        "--from",
        "2024-05-01",
        "--to",
        "2024-05-31",
        "-o",
        &data,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<String> = std::fs::read_to_string(&data)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let total = lines.len();
    assert!(total > 2 * 3000, "several events per dossier: {total}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args([
            "--database",
            &db,
            "ingest",
            &data,
            "--batch",
            "50",
            "--ack",
            "--no-compact",
            "--events-dir",
            &events,
        ])
        .env_remove("TIENDO_FAILPOINT")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut acked = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if let Some(n) = line.unwrap().strip_prefix("ack ") {
            acked = n.parse().unwrap();
            if acked >= total / 4 {
                break;
            }
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "ingestion was killed before it finished");
    assert!(acked >= total / 4 && acked < total);

    // Re-send from a little before the last acknowledgement we saw to the end.
    let resend_from = acked - 200;
    let tail = path("tail.ndjson");
    std::fs::write(&tail, lines[resend_from..].join("\n")).unwrap();
    let out = tiendo(&["--database", &db, "ingest", &tail, "--events-dir", &events]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stored_events(&stdout),
        total,
        "every event exactly once:\n{stdout}"
    );

    // Re-sending the whole file changes nothing.
    let out = tiendo(&["--database", &db, "ingest", &data, "--events-dir", &events]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stored_events(&stdout), total, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "nhận 0 sự kiện mới (đã ghi bền vững), {} trùng",
            tiendo_format(total)
        )),
        "every line a duplicate at ingestion (issue 17): {stdout}"
    );
    assert!(
        stdout.contains("0 sự kiện từ nhật ký, 0 mới, 0 trùng"),
        "compaction agrees: nothing new: {stdout}"
    );
    assert!(Path::new(&events).join("daily").is_dir());
}

/// The count as the CLI prints it (Vietnamese grouping).
fn tiendo_format(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Where each scenario aborts: `step:n` for each run of `tiendo ingest` before the clean
/// one. Every step of [`tiendo_events::failpoint::STEPS`] appears (checked), most at their
/// first time and at a later one; the data set (3 months × 32 buckets, about 12 batches of
/// 500 lines) reaches every `n` here.
const SCENARIOS: &[&[&str]] = &[
    // Ingestion: a batch written but not yet durable, durable but not yet acknowledged.
    &["wal-written:1"],
    &["wal-written:7"],
    &["wal-synced:1"],
    &["wal-synced:7"],
    // Compaction.
    &["compact-sealed:1"],
    &["scratch-appended:1"],
    &["scratch-appended:50"],
    &["scratch-written:1"],
    &["parquet-written:1"],
    &["parquet-written:150"],
    &["bucket-events:1"],
    // Issue 17: the 10th bucket events file of a month renamed into place, with only nine
    // rollup parts beside it.
    &["bucket-events:10"],
    &["bucket-events:96"],
    &["bucket-daily:1"],
    &["bucket-daily:50"],
    &["bucket-overdue:1"],
    &["bucket-overdue:50"],
    &["bucket-merged:1"],
    &["bucket-merged:95"],
    &["month-daily:1"],
    &["month-daily:3"],
    &["month-monthly:1"],
    &["month-monthly:3"],
    &["month-overdue:1"],
    &["month-overdue:2"],
    &["segments-removing:1"],
    &["segment-removed:1"],
    &["segments-removed:1"],
    &["compacted:1"],
    // Twice in a row: the rerun stops too, while it repairs or goes on from the first stop.
    &["bucket-events:10", "bucket-events:5"],
    &["bucket-events:10", "bucket-daily:1"],
    &["bucket-events:10", "bucket-repaired:1"],
    &["bucket-events:10", "parquet-written:40"],
    &["bucket-events:10", "month-daily:2"],
    &["bucket-daily:40", "bucket-repaired:1"],
    &["bucket-overdue:30", "segments-removing:1"],
    &["parquet-written:150", "month-overdue:1"],
    &["wal-synced:7", "bucket-events:20"],
    &["month-daily:2", "bucket-merged:50"],
    &["month-daily:2", "month-monthly:1"],
    &["scratch-written:1", "scratch-appended:10"],
];

/// What an ingestion left: the events stored and the month rollups the queries read.
struct Snapshot {
    events: usize,
    rollups: Rollups,
}

impl Snapshot {
    fn read(root: &Path, ingest_stdout: &str) -> Snapshot {
        let mut rollups = Rollups::default();
        for (table, add) in [
            (
                columnar::DAILY,
                Rollups::add_daily_batch as fn(&mut Rollups, &_) -> Result<(), String>,
            ),
            (columnar::OVERDUE, Rollups::add_overdue_batch),
        ] {
            for month in std::fs::read_dir(root.join(table)).unwrap() {
                for batch in
                    columnar::read_parquet(&month.unwrap().path().join("data.parquet")).unwrap()
                {
                    add(&mut rollups, &batch).unwrap();
                }
            }
        }
        Snapshot {
            events: stored_events(ingest_stdout),
            rollups,
        }
    }

    /// The totals worth printing when two snapshots differ: events, dossiers received,
    /// finished, on time, and overdue.
    fn totals(&self) -> (usize, i64, i64, i64, i64) {
        let sum =
            |f: fn(&columnar::DailyCounts) -> i64| self.rollups.daily.values().map(f).sum::<i64>();
        (
            self.events,
            sum(|c| c.received),
            sum(|c| c.finished),
            sum(|c| c.on_time),
            self.rollups.overdue.values().sum(),
        )
    }
}

/// Files a crash may leave: temporary Parquet files and the compaction's scratch directory.
fn leftovers(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "compacting")
                || path.to_string_lossy().ends_with(".tmp")
            {
                found.push(path.clone());
            }
            if path.is_dir() {
                dirs.push(path);
            }
        }
    }
    found
}

/// `tiendo` run in `dir` (where a core dump would go, if the machine writes them) with the
/// fail point `failpoint`.
fn tiendo_in(dir: &Path, failpoint: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tiendo"));
    command
        .current_dir(dir)
        .args(args)
        .env_remove("TIENDO_FAILPOINT");
    if let Some(point) = failpoint {
        command.env("TIENDO_FAILPOINT", point);
    }
    command.output().expect("tiendo runs")
}

/// The measured QĐ 766 table of 2024 as `tiendo measure` prints it, without its timings.
fn measured(dir: &Path, events: &str) -> String {
    let out = tiendo_in(
        dir,
        None,
        &[
            "measure",
            "--period",
            "2024",
            "--no-store",
            "--events-dir",
            events,
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|l| l.split(", thời gian (ms)").next().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_crash_at_any_step_of_ingestion_and_compaction_is_repaired_by_the_next_run() {
    let steps: std::collections::BTreeSet<&str> = SCENARIOS
        .iter()
        .flat_map(|s| s.iter())
        .map(|p| p.split(':').next().unwrap())
        .collect();
    for step in tiendo_events::failpoint::STEPS {
        assert!(steps.contains(step), "no scenario stops at {step}");
    }

    let dir = tempfile::tempdir().unwrap();
    let data = dir
        .path()
        .join("events.ndjson")
        .to_str()
        .unwrap()
        .to_string();
    let out = tiendo(&[
        "gen-events",
        "--dossiers",
        "2000",
        "--seed",
        "17",
        "--from",
        "2024-04-20",
        "--to",
        "2024-06-10",
        "-o",
        &data,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ingest = |work: &Path, failpoint: Option<&str>| {
        let events = work.join("events").to_str().unwrap().to_string();
        tiendo_in(
            work,
            failpoint,
            &["ingest", &data, "--batch", "500", "--events-dir", &events],
        )
    };

    // The reference: one ingestion, never interrupted.
    let clean = dir.path().join("clean");
    std::fs::create_dir(&clean).unwrap();
    let out = ingest(&clean, None);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = Snapshot::read(&clean.join("events"), &stdout);
    let reference_measured = measured(&clean, clean.join("events").to_str().unwrap());
    assert!(
        reference.totals().1 == 2000,
        "every dossier received: {:?}",
        reference.totals()
    );

    // Scenarios two at a time (a run is mostly waiting for fsync and for the process).
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut failures = Vec::new();
                    while let Some(kills) = SCENARIOS.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                        let work = tempfile::tempdir_in(dir.path()).unwrap();
                        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            for point in *kills {
                                let out = ingest(work.path(), Some(point));
                                assert_eq!(out.status.signal(), Some(6), "did not abort at {point}:\n{}", String::from_utf8_lossy(&out.stdout));
                            }
                            let out = ingest(work.path(), None);
                            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
                            assert!(out.status.success(), "clean rerun failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
                            let events = work.path().join("events");
                            let got = Snapshot::read(&events, &stdout);
                            assert_eq!(got.totals(), reference.totals(), "(events, received, finished, on time, overdue) after the rerun:\n{stdout}");
                            assert!(got.rollups.daily == reference.rollups.daily && got.rollups.overdue == reference.rollups.overdue, "the rollups differ");
                            assert_eq!(leftovers(&events), Vec::<PathBuf>::new(), "left behind");
                            assert_eq!(measured(work.path(), events.to_str().unwrap()), reference_measured, "tiendo measure");
                        }));
                        if let Err(panic) = result {
                            let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
                            failures.push(format!("{kills:?}: {message}"));
                        }
                    }
                    failures
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        SCENARIOS.len(),
        failures.join("\n\n")
    );
}

/// Issue 16: on a terminal, ingestion shows what it has read, its rate and the time left;
/// in a pipe it draws nothing.
#[test]
fn ingestion_shows_its_progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let data = path("events.ndjson");
    let out = tiendo(&[
        "gen-events",
        "--dossiers",
        "3000",
        "--seed",
        "3",
        "--from",
        "2024-05-01",
        "--to",
        "2024-05-31",
        "-o",
        &data,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `script` (util-linux) runs the command on a pseudo-terminal and copies what it shows.
    let command = format!(
        "{} ingest {data} --batch 100 --events-dir {}",
        env!("CARGO_BIN_EXE_tiendo"),
        path("a")
    );
    let shown = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("TIENDO_FAILPOINT")
        .output()
        .expect("script runs");
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("Đang nhập")
            && shown.contains("MB/giây")
            && shown.contains("sự kiện/giây")
            && shown.contains("còn "),
        "{shown}"
    );
    let piped = tiendo(&[
        "ingest",
        &data,
        "--batch",
        "100",
        "--events-dir",
        &path("b"),
    ]);
    assert!(piped.status.success());
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(
        !stderr.contains("Đang nhập"),
        "nothing drawn in a pipe: {stderr}"
    );
}
