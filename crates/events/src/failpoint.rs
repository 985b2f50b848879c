//! Fail points: `TIENDO_FAILPOINT=<step>[:<n>]` makes the process abort
//! ([`std::process::abort`], as sudden as `kill -9`) the `n`-th time (1 by default) it
//! reaches `step`, one of [`STEPS`]. The crash tests use it to stop ingestion and
//! compaction at every step and check that a rerun repairs everything.
//!
//! The variable is read once; without it a check is a load and a branch.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Every step at which a fail point can stop the process, in the order a run of
/// `tiendo ingest` reaches them.
pub const STEPS: &[&str] = &[
    // A group of log frames written, before its `fsync`.
    "wal-written",
    // The group durable, before the answer to its batches.
    "wal-synced",
    // Compaction: the log sealed, nothing else done.
    "compact-sealed",
    // The frames of one bucket appended to its scratch file.
    "scratch-appended",
    // Every scratch file written, before the first bucket is merged.
    "scratch-written",
    // A Parquet file written and synced under its temporary name, before the rename.
    "parquet-written",
    // A bucket's events file renamed into place.
    "bucket-events",
    // A bucket's daily rollup part renamed into place.
    "bucket-daily",
    // A bucket's overdue rollup part renamed into place.
    "bucket-overdue",
    // A bucket done (merged, or found to hold nothing new), before the next one.
    "bucket-merged",
    // A bucket's rollups computed again because they did not match its events file.
    "bucket-repaired",
    // A month's daily rollup renamed into place.
    "month-daily",
    // A month's monthly rollup renamed into place.
    "month-monthly",
    // A month's overdue rollup renamed into place (the month is summed).
    "month-overdue",
    // Every month summed, before the first sealed segment is removed.
    "segments-removing",
    // One sealed segment removed.
    "segment-removed",
    // Every sealed segment removed, before the scratch directory is.
    "segments-removed",
    // The scratch directory removed, before the pending events are forgotten.
    "compacted",
];

struct FailPoint {
    step: String,
    at: u64,
    reached: AtomicU64,
}

fn configured() -> Option<&'static FailPoint> {
    static POINT: OnceLock<Option<FailPoint>> = OnceLock::new();
    POINT
        .get_or_init(|| {
            let spec = std::env::var("TIENDO_FAILPOINT")
                .ok()
                .filter(|s| !s.is_empty())?;
            let (step, at) = match spec.split_once(':') {
                Some((step, n)) => (
                    step,
                    n.parse().unwrap_or_else(|_| {
                        panic!("TIENDO_FAILPOINT={spec}: lần thứ \"{n}\" không phải số")
                    }),
                ),
                None => (spec.as_str(), 1),
            };
            assert!(
                STEPS.contains(&step),
                "TIENDO_FAILPOINT={spec}: bước \"{step}\" không có (các bước: {})",
                STEPS.join(", ")
            );
            Some(FailPoint {
                step: step.to_string(),
                at,
                reached: AtomicU64::new(0),
            })
        })
        .as_ref()
}

/// The process reached `step`: abort if the fail point names it and this is the chosen time.
pub fn reached(step: &str) {
    debug_assert!(STEPS.contains(&step), "unknown fail point {step}");
    if let Some(point) = configured()
        && point.step == step
        && point.reached.fetch_add(1, Ordering::SeqCst) + 1 == point.at
    {
        eprintln!("TIENDO_FAILPOINT: dừng tại {step}:{}", point.at);
        std::process::abort();
    }
}
