//! A time-series chart as inline SVG: each series (declared, measured, …) its own line
//! with points placed by the date its period ends, so a 2022 and a 2023 annual value and
//! a May 2024 monthly value are spaced as time spaces them; the target as a dashed line;
//! the unit on the value axis and a legend. No script, so it prints and works with
//! scripts disabled.

use std::fmt::Write;

use chrono::NaiveDate;

/// One point: where it sits in time (the last day of its period), its label and value.
#[derive(Debug, Clone, PartialEq)]
pub struct TimePoint {
    pub date: NaiveDate,
    pub label: String,
    pub value: f64,
}

/// A named series of points, drawn as one line.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeries {
    pub name: String,
    pub points: Vec<TimePoint>,
}

const COLOURS: [&str; 4] = ["#1f5fa8", "#d35400", "#27ae60", "#8e44ad"];

/// Render the series with an optional target line; `unit` is written on the value axis
/// ("%", "hồ sơ").
pub fn line_chart(series: &[TimeSeries], target: Option<f64>, unit: &str) -> String {
    let (width, height, left, right, top, bottom) = (640.0, 240.0, 56.0, 24.0, 28.0, 56.0);
    let points = || series.iter().flat_map(|s| s.points.iter());
    let values = points().map(|p| p.value).chain(target);
    let max = values.clone().fold(f64::MIN, f64::max).max(0.0);
    let min = values.fold(f64::MAX, f64::min).min(0.0);
    let span = if max > min { max - min } else { 1.0 };
    let top_value = max + span * 0.05;
    let first = points().map(|p| p.date).min();
    let last = points().map(|p| p.date).max();
    let days = match (first, last) {
        (Some(a), Some(b)) => (b - a).num_days() as f64,
        _ => 0.0,
    };
    let x = |date: NaiveDate| {
        left + (width - left - right)
            * if days > 0.0 {
                (date - first.expect("a point")).num_days() as f64 / days
            } else {
                0.5
            }
    };
    let y = |v: f64| top + (height - top - bottom) * (1.0 - (v - min) / (top_value - min));
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">"#
    );
    if !unit.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="4" y="14" font-size="11">Đơn vị: {}</text>"##,
            escape(unit)
        );
    }
    for step in 0..=4 {
        let v = min + (top_value - min) * step as f64 / 4.0;
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11">{}</text>"##,
            width - right,
            left - 6.0,
            y(v) + 4.0,
            tiendo_core::format::decimal(v, 1),
            y = y(v)
        );
    }
    if let Some(t) = target {
        let _ = write!(
            svg,
            r##"<line class="target" x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#c0392b" stroke-dasharray="6 4"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11" fill="#c0392b">{}{}</text>"##,
            width - right,
            width - right,
            y(t) - 4.0,
            tiendo_core::format::decimal(t, 2),
            if unit == "%" { "%" } else { "" },
            y = y(t)
        );
    }
    let mut labelled: Vec<NaiveDate> = Vec::new();
    for (n, s) in series.iter().enumerate() {
        let colour = COLOURS[n % COLOURS.len()];
        let mut sorted: Vec<&TimePoint> = s.points.iter().collect();
        sorted.sort_by_key(|p| p.date);
        if sorted.len() > 1 {
            let path: Vec<String> = sorted
                .iter()
                .map(|p| format!("{:.1},{:.1}", x(p.date), y(p.value)))
                .collect();
            let _ = write!(
                svg,
                r##"<polyline class="series" fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"##,
                path.join(" ")
            );
        }
        for p in sorted {
            let _ = write!(
                svg,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}"><title>{}, {}: {}</title></circle>"##,
                x(p.date),
                y(p.value),
                escape(&s.name),
                escape(&p.label),
                tiendo_core::format::decimal(p.value, 2)
            );
            if !labelled.contains(&p.date) {
                labelled.push(p.date);
                let _ = write!(
                    svg,
                    r##"<text x="{:.1}" y="{}" text-anchor="middle" font-size="11">{}</text>"##,
                    x(p.date),
                    height - bottom + 16.0,
                    escape(&p.label)
                );
            }
        }
        let _ = write!(
            svg,
            r##"<rect x="{}" y="{}" width="10" height="10" fill="{colour}"/><text x="{}" y="{}" font-size="11">{}</text>"##,
            left + 150.0 * n as f64,
            height - 16.0,
            left + 14.0 + 150.0 * n as f64,
            height - 7.0,
            escape(&s.name)
        );
    }
    svg.push_str("</svg>");
    svg
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn point(date: NaiveDate, label: &str, value: f64) -> TimePoint {
        TimePoint {
            date,
            label: label.into(),
            value,
        }
    }

    #[test]
    fn points_are_placed_by_their_dates_and_series_are_kept_apart() {
        let declared = TimeSeries {
            name: "Báo cáo".into(),
            points: vec![
                point(d(2022, 12, 31), "2022", 40.0),
                point(d(2023, 12, 31), "2023", 45.5),
            ],
        };
        let measured = TimeSeries {
            name: "Đo lường".into(),
            points: vec![point(d(2024, 5, 31), "T5/2024", 50.0)],
        };
        let svg = line_chart(&[declared, measured], Some(80.0), "%");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(
            svg.matches(r#"class="series""#).count(),
            1,
            "one line for the declared values; the measured value is a point of its own"
        );
        assert!(
            svg.contains(r#"class="target""#) && svg.contains("80%") && svg.contains("Đơn vị: %")
        );
        assert!(
            svg.contains("45,5"),
            "values are written the Vietnamese way"
        );
        let xs: Vec<f64> = svg
            .split("<circle cx=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().parse().unwrap())
            .collect();
        let (gap_years, gap_to_may) = (xs[1] - xs[0], xs[2] - xs[1]);
        assert!(
            (gap_years / gap_to_may - 365.0 / 152.0).abs() < 0.01,
            "spaced by time: {xs:?}"
        );
        assert!(
            svg.contains("Báo cáo") && svg.contains("Đo lường"),
            "a legend"
        );
    }
}
