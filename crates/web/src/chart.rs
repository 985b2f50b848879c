//! A time-series chart as inline SVG: the series as a line with points, the target as a
//! dashed line. No script, so it prints and works with scripts disabled.

use std::fmt::Write;

/// Render `points` (label, value) with an optional target line.
pub fn line_chart(points: &[(String, f64)], target: Option<f64>, unit: &str) -> String {
    let (width, height, left, right, top, bottom) = (640.0, 220.0, 56.0, 24.0, 16.0, 40.0);
    let values = points.iter().map(|(_, v)| *v).chain(target);
    let max = values.clone().fold(f64::MIN, f64::max).max(0.0);
    let min = values.fold(f64::MAX, f64::min).min(0.0);
    let span = if max > min { max - min } else { 1.0 };
    let top_value = max + span * 0.05;
    let x = |i: usize| left + (width - left - right) * if points.len() > 1 { i as f64 / (points.len() - 1) as f64 } else { 0.5 };
    let y = |v: f64| top + (height - top - bottom) * (1.0 - (v - min) / (top_value - min));
    let mut svg = format!(r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">"#);
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
            r##"<line class="target" x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#c0392b" stroke-dasharray="6 4"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11" fill="#c0392b">{}{unit}</text>"##,
            width - right,
            width - right,
            y(t) - 4.0,
            tiendo_core::format::decimal(t, 2),
            y = y(t)
        );
    }
    let path: Vec<String> = points.iter().enumerate().map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v))).collect();
    if points.len() > 1 {
        let _ = write!(svg, r##"<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="{}"/>"##, path.join(" "));
    }
    for (i, (label, v)) in points.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="#1f5fa8"><title>{}: {}{unit}</title></circle><text x="{:.1}" y="{}" text-anchor="{}" font-size="11">{}</text>"##,
            x(i),
            y(*v),
            escape(label),
            tiendo_core::format::decimal(*v, 2),
            x(i),
            height - bottom + 18.0,
            if points.len() > 1 && i == 0 {
                "start"
            } else if points.len() > 1 && i == points.len() - 1 {
                "end"
            } else {
                "middle"
            },
            escape(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_a_point_per_period_and_the_target_line() {
        let svg = line_chart(&[("T3/2024".into(), 40.0), ("T4/2024".into(), 45.5), ("T5/2024".into(), 50.0)], Some(80.0), "%");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(r#"class="target""#) && svg.contains("80%"));
        assert!(svg.contains("45,5%"), "values are written the Vietnamese way");
    }
}
