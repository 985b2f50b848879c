//! Progress on the terminal for long work (`indicatif`): generation, ingestion and
//! compaction show what is done, the rate and, when the total is known, the time left, in
//! Vietnamese number formats. Nothing is drawn when stderr is not a terminal (a pipe, a
//! log file, the tests).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use tiendo_core::format;

/// "1 phút 05 giây", "45 giây".
fn duration_vi(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, s) => format!("{s} giây"),
        (0, m, s) => format!("{m} phút {s:02} giây"),
        (h, m, _) => format!("{h} giờ {m:02} phút"),
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .expect("a valid template")
        .with_key("mb", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{} MB", format::decimal(s.pos() as f64 / 1e6, 1));
        })
        .with_key("total_mb", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{} MB", format::decimal(s.len().unwrap_or_default() as f64 / 1e6, 1));
        })
        .with_key("mb_per_s", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{} MB/giây", format::decimal(s.per_sec() / 1e6, 1));
        })
        .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "còn {}", duration_vi(s.eta()));
        })
        .with_key("took", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", duration_vi(s.elapsed()));
        })
}

/// Bytes of a file read (its size known), with a message for the records.
pub fn reading(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total).with_style(style("{prefix} [{bar:30}] {mb}/{total_mb} · {mb_per_s} · {left} · {msg}")).with_prefix(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// Bytes written, the total not known.
pub fn writing(what: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner().with_style(style("{spinner} {prefix}: {mb} · {mb_per_s} · {took} · {msg}")).with_prefix(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// Work without a measure, showing the time it has taken.
pub fn working(what: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner().with_style(style("{spinner} {prefix}… {took}")).with_prefix(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_words() {
        assert_eq!(duration_vi(Duration::from_secs(45)), "45 giây");
        assert_eq!(duration_vi(Duration::from_secs(65)), "1 phút 05 giây");
        assert_eq!(duration_vi(Duration::from_secs(3725)), "1 giờ 02 phút");
    }
}
