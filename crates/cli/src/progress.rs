//! Progress on the terminal for long work (`indicatif`): generation, ingestion and
//! compaction show what is done, the rate and, when the total is known, the time left, in
//! Vietnamese number formats. Nothing is drawn when stderr is not a terminal (a pipe, a
//! log file, the tests).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use tiendo_core::format;
use tiendo_events::CompactStep;

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
        .with_key(
            "total_mb",
            |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(
                    w,
                    "{} MB",
                    format::decimal(s.len().unwrap_or_default() as f64 / 1e6, 1)
                );
            },
        )
        .with_key(
            "mb_per_s",
            |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{} MB/giây", format::decimal(s.per_sec() / 1e6, 1));
            },
        )
        .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "còn {}", duration_vi(s.eta()));
        })
        .with_key("took", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", duration_vi(s.elapsed()));
        })
}

/// Bytes of a file read (its size known), with a message for the records.
pub fn reading(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total)
        .with_style(style(
            "{prefix} [{bar:30}] {mb}/{total_mb} · {mb_per_s} · {left} · {msg}",
        ))
        .with_prefix(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// Bytes written, the total not known.
pub fn writing(what: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner()
        .with_style(style(
            "{spinner} {prefix}: {mb} · {mb_per_s} · {took} · {msg}",
        ))
        .with_prefix(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// A compaction of the event store: the step, its counts, the rate and the time left of
/// the step ([`show_compaction`] moves it).
pub fn compacting() -> ProgressBar {
    let bar = ProgressBar::new(0)
        .with_style(style("{prefix} [{bar:30}] {msg} · {left}"))
        .with_prefix("Đang nén vào Parquet");
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// What a compaction step has done, in words: "đọc nhật ký 3/12 đoạn, 1.234.567 sự kiện
/// (410.000 sự kiện/giây)", "gộp vào bảng 120/384 nhóm hồ sơ", "kiểm tra tổng hợp 5/13 tháng".
fn compaction_words(step: CompactStep, seconds: f64) -> (usize, usize, String) {
    match step {
        CompactStep::Reading {
            segments,
            of,
            events,
        } => {
            let rate = format::number((events as f64 / seconds.max(1e-3)).floor(), 0);
            (
                segments,
                of,
                format!(
                    "đọc nhật ký {}/{} đoạn, {} sự kiện ({rate} sự kiện/giây)",
                    format::number(segments as f64, 0),
                    format::number(of as f64, 0),
                    format::number(events as f64, 0)
                ),
            )
        }
        CompactStep::Merging { buckets, of } => (
            buckets,
            of,
            format!(
                "gộp vào bảng {}/{} nhóm hồ sơ",
                format::number(buckets as f64, 0),
                format::number(of as f64, 0)
            ),
        ),
        CompactStep::Settling { months, of } => (
            months,
            of,
            format!(
                "kiểm tra tổng hợp {}/{} tháng",
                format::number(months as f64, 0),
                format::number(of as f64, 0)
            ),
        ),
    }
}

/// Move the compaction bar to `step`; the estimate of the time left starts again with
/// each step.
pub fn show_compaction(bar: &ProgressBar, step: CompactStep) {
    let (done, of, words) = compaction_words(step, bar.elapsed().as_secs_f64());
    if bar.length() != Some(of as u64) || bar.position() > done as u64 {
        bar.set_length(of as u64);
        bar.reset_eta();
    }
    bar.set_position(done as u64);
    bar.set_message(words);
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

    #[test]
    fn compaction_steps_in_words() {
        let (_, _, reading) = compaction_words(
            CompactStep::Reading {
                segments: 3,
                of: 12,
                events: 1_234_567,
            },
            2.0,
        );
        assert_eq!(
            reading,
            "đọc nhật ký 3/12 đoạn, 1.234.567 sự kiện (617.283 sự kiện/giây)"
        );
        let (done, of, merging) = compaction_words(
            CompactStep::Merging {
                buckets: 120,
                of: 1384,
            },
            1.0,
        );
        assert_eq!(
            (done, of, merging.as_str()),
            (120, 1384, "gộp vào bảng 120/1.384 nhóm hồ sơ")
        );
        assert_eq!(
            compaction_words(CompactStep::Settling { months: 5, of: 13 }, 1.0).2,
            "kiểm tra tổng hợp 5/13 tháng"
        );
    }
}
