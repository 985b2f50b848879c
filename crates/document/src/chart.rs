//! Charts as hand-written SVG in Liberation Serif: lines over periods (indicators against
//! their targets) and horizontal stacked bars (agencies side by side). The PDF embeds the
//! SVG as vector graphics; the DOCX gets a PNG rasterised with resvg from the same SVG
//! and the same built-in fonts.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};
use tiendo_core::format;
use tiendo_report::{Chart, ChartKind};

use crate::DocumentError;
use crate::fonts;

/// The width of every chart in SVG user units (1 unit = 1/96 inch; 600 ≈ 15,9 cm).
pub const WIDTH: f64 = 600.0;

const FONT_SIZE: f64 = 12.0;
const PALETTE: [&str; 8] = [
    "#548235", "#2e75b6", "#c00000", "#a6a6a6", "#7030a0", "#c55a11", "#1f3864", "#bf9000",
];
const AXIS: &str = "#404040";
const GRID: &str = "#d9d9d9";

/// An SVG drawing and its size in user units.
#[derive(Debug, Clone, PartialEq)]
pub struct Svg {
    pub text: String,
    pub width: f64,
    pub height: f64,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The width of a text in Liberation Serif at `size` user units, from the font's own
/// advances.
fn text_width(s: &str, size: f64) -> f64 {
    fonts::width_pt(s, size, false)
}

/// A label broken between words into lines no wider than `max` (a word wider than that
/// stays whole on its own line): labels and legends are wrapped, never cut.
fn wrap(s: &str, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), FONT_SIZE) <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The height of a line of text, and the space between two legend entries.
const LINE_HEIGHT: f64 = FONT_SIZE + 3.0;
const ENTRY_GAP: f64 = 4.0;

/// A round step for an axis from 0 to `max` with about five ticks.
fn nice_step(max: f64) -> f64 {
    let raw = (max / 5.0).max(f64::MIN_POSITIVE);
    let magnitude = 10f64.powf(raw.log10().floor());
    let n = raw / magnitude;
    let nice = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 2.5 {
        2.5
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// The axis maximum (a multiple of the step) and the step for values up to `max`.
fn axis(max: f64) -> (f64, f64) {
    let max = if max > 0.0 { max } else { 1.0 };
    let step = nice_step(max);
    ((max / step).ceil() * step, step)
}

fn tick_label(v: f64, decimals: usize) -> String {
    format::decimal(v, decimals)
}

fn svg_open(width: f64, height: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"{}\" font-size=\"{FONT_SIZE}\">\n<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n",
        fonts::FAMILY
    )
}

/// Draw a chart as SVG.
pub fn svg(chart: &Chart) -> Svg {
    match chart.kind {
        ChartKind::Lines => lines(chart),
        ChartKind::StackedBars => bars(chart),
    }
}

/// The legend's entries, each name wrapped to the width left of the key.
fn legend_lines(chart: &Chart, left: f64) -> Vec<Vec<String>> {
    chart
        .series
        .iter()
        .map(|series| wrap(&series.name, WIDTH - left - 24.0 - 8.0))
        .collect()
}

fn legend_height(entries: &[Vec<String>]) -> f64 {
    entries
        .iter()
        .map(|lines| lines.len() as f64 * LINE_HEIGHT + ENTRY_GAP)
        .sum()
}

fn legend(out: &mut String, entries: &[Vec<String>], top: f64, left: f64, line: bool) {
    let mut y = top;
    for (i, lines) in entries.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        if line {
            writeln!(out, "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"/>", y - 4.0, left + 18.0, y - 4.0).expect("write");
            writeln!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{colour}\"/>",
                left + 9.0,
                y - 4.0
            )
            .expect("write");
        } else {
            writeln!(
                out,
                "<rect x=\"{left}\" y=\"{}\" width=\"18\" height=\"9\" fill=\"{colour}\"/>",
                y - 9.0
            )
            .expect("write");
        }
        for text in lines {
            writeln!(
                out,
                "<text x=\"{}\" y=\"{y}\">{}</text>",
                left + 24.0,
                esc(text)
            )
            .expect("write");
            y += LINE_HEIGHT;
        }
        y += ENTRY_GAP;
    }
}

fn lines(chart: &Chart) -> Svg {
    let values: Vec<f64> = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .collect();
    let top_value = values
        .iter()
        .copied()
        .fold(chart.reference.as_ref().map_or(0.0, |(v, _)| *v), f64::max);
    let (max, step) = axis(top_value * 1.05);
    let (left, right, top, plot_h) = (56.0, 24.0, 16.0, 220.0);
    let plot_w = WIDTH - left - right;
    let legend_top = top + plot_h + 44.0;
    let entries = legend_lines(chart, left);
    let height = legend_top + legend_height(&entries);
    let y_of = |v: f64| top + plot_h - v / max * plot_h;
    let n = chart.labels.len().max(1);
    let x_of = |i: usize| {
        if n == 1 {
            left + plot_w / 2.0
        } else {
            left + 30.0 + i as f64 * (plot_w - 60.0) / (n - 1) as f64
        }
    };
    let mut out = svg_open(WIDTH, height);
    let mut tick = 0.0;
    while tick <= max + step / 2.0 {
        let y = y_of(tick);
        writeln!(out, "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"{GRID}\" stroke-width=\"0.8\"/>", left + plot_w).expect("write");
        writeln!(
            out,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + 4.0,
            tick_label(tick, 2)
        )
        .expect("write");
        tick += step;
    }
    writeln!(out, "<text x=\"12\" y=\"{:.1}\" transform=\"rotate(-90 12 {:.1})\" text-anchor=\"middle\">{}</text>", top + plot_h / 2.0, top + plot_h / 2.0, esc(&chart.unit)).expect("write");
    writeln!(
        out,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>",
        top + plot_h,
        left + plot_w,
        top + plot_h
    )
    .expect("write");
    for (i, label) in chart.labels.iter().enumerate() {
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x_of(i),
            top + plot_h + 18.0,
            esc(label)
        )
        .expect("write");
    }
    if let Some((value, label)) = &chart.reference {
        let y = y_of(*value);
        writeln!(out, "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"{AXIS}\" stroke-width=\"1.2\" stroke-dasharray=\"6 4\"/>", left + plot_w).expect("write");
        writeln!(
            out,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-style=\"italic\">{} ({})</text>",
            left + plot_w,
            y - 5.0,
            esc(label),
            tick_label(*value, chart.decimals)
        )
        .expect("write");
    }
    for (s, series) in chart.series.iter().enumerate() {
        let colour = PALETTE[s % PALETTE.len()];
        let points: Vec<(f64, f64)> = series
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (x_of(i), y_of(v))))
            .collect();
        let path: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
            path.join(" ")
        )
        .expect("write");
        for (x, y) in &points {
            writeln!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{colour}\"/>"
            )
            .expect("write");
        }
    }
    legend(&mut out, &entries, legend_top, left, true);
    out.push_str("</svg>\n");
    Svg {
        text: out,
        width: WIDTH,
        height,
    }
}

fn bars(chart: &Chart) -> Svg {
    let totals: Vec<f64> = (0..chart.labels.len())
        .map(|i| {
            chart
                .series
                .iter()
                .filter_map(|s| s.values.get(i).copied().flatten())
                .sum()
        })
        .collect();
    let top_value = totals
        .iter()
        .copied()
        .fold(chart.reference.as_ref().map_or(0.0, |(v, _)| *v), f64::max);
    let (max, step) = axis(top_value * 1.05);
    // Labels take what they need up to 40 % of the width, wrapped between words beyond it.
    let label_w = chart
        .labels
        .iter()
        .map(|l| text_width(l, FONT_SIZE))
        .fold(40.0, f64::max)
        .min(WIDTH * 0.4);
    let labels: Vec<Vec<String>> = chart.labels.iter().map(|l| wrap(l, label_w)).collect();
    let (left, right, top, bar_h, gap): (f64, f64, f64, f64, f64) =
        (label_w + 10.0, 48.0, 20.0, 13.0, 6.0);
    let plot_w = WIDTH - left - right;
    let row_h: Vec<f64> = labels
        .iter()
        .map(|lines| bar_h.max(lines.len() as f64 * LINE_HEIGHT - 3.0))
        .collect();
    let row_top: Vec<f64> = row_h
        .iter()
        .scan(top + gap, |y, h| {
            let at = *y;
            *y += h + gap;
            Some(at)
        })
        .collect();
    let plot_h = row_h.iter().map(|h| h + gap).sum::<f64>() + gap;
    let with_legend = chart.series.len() > 1;
    // Tick labels at +16 and the unit at +31 below the plot; the legend starts under them.
    let legend_top = top + plot_h + 54.0;
    let entries = legend_lines(chart, left);
    let height = if with_legend {
        legend_top + legend_height(&entries)
    } else {
        top + plot_h + 40.0
    };
    let x_of = |v: f64| left + v / max * plot_w;
    let mut out = svg_open(WIDTH, height);
    let mut tick = 0.0;
    while tick <= max + step / 2.0 {
        let x = x_of(tick);
        writeln!(out, "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"{GRID}\" stroke-width=\"0.8\"/>", top + plot_h).expect("write");
        writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            top + plot_h + 16.0,
            tick_label(tick, 2)
        )
        .expect("write");
        tick += step;
    }
    writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        left + plot_w / 2.0,
        top + plot_h + 31.0,
        esc(&chart.unit)
    )
    .expect("write");
    writeln!(out, "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>", top + plot_h).expect("write");
    for (i, lines) in labels.iter().enumerate() {
        let y = row_top[i] + (row_h[i] - bar_h) / 2.0;
        let first_baseline =
            row_top[i] + (row_h[i] - lines.len() as f64 * LINE_HEIGHT) / 2.0 + FONT_SIZE;
        for (n, text) in lines.iter().enumerate() {
            writeln!(
                out,
                "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                left - 6.0,
                first_baseline + n as f64 * LINE_HEIGHT,
                esc(text)
            )
            .expect("write");
        }
        let mut x = left;
        for (s, series) in chart.series.iter().enumerate() {
            let value = series.values.get(i).copied().flatten().unwrap_or(0.0);
            if value <= 0.0 {
                continue;
            }
            let w = value / max * plot_w;
            writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{bar_h}\" fill=\"{}\"/>",
                PALETTE[s % PALETTE.len()]
            )
            .expect("write");
            x += w;
        }
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + 4.0,
            y + bar_h - 2.5,
            tick_label(totals[i], chart.decimals)
        )
        .expect("write");
    }
    if let Some((value, label)) = &chart.reference {
        let x = x_of(*value);
        writeln!(out, "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"{AXIS}\" stroke-width=\"1.2\" stroke-dasharray=\"6 4\"/>", top - 6.0, top + plot_h).expect("write");
        writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" font-style=\"italic\">{}</text>",
            top - 9.0,
            esc(label)
        )
        .expect("write");
    }
    if with_legend {
        legend(&mut out, &entries, legend_top, left, false);
    }
    out.push_str("</svg>\n");
    Svg {
        text: out,
        width: WIDTH,
        height,
    }
}

fn font_database() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for data in fonts::ALL {
            db.load_font_data(data.to_vec());
        }
        db.set_serif_family(fonts::FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Rasterise an SVG at `scale` pixels per user unit, with the built-in fonts only.
pub fn png(svg: &Svg, scale: f32) -> Result<Vec<u8>, DocumentError> {
    let options = usvg::Options {
        fontdb: font_database(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg.text, &options)
        .map_err(|e| DocumentError::Chart(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| DocumentError::Chart("kích thước không hợp lệ".to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| DocumentError::Chart("kích thước không hợp lệ".to_string()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| DocumentError::Chart(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_report::Series;

    fn chart(kind: ChartKind) -> Chart {
        Chart {
            kind,
            title: "Biểu đồ".into(),
            unit: "% mục tiêu".into(),
            labels: vec!["tháng 4/2024".into(), "tháng 5/2024".into()],
            series: vec![
                Series {
                    name: "1.1. Tỷ lệ hồ sơ".into(),
                    values: vec![Some(40.0), Some(85.5)],
                },
                Series {
                    name: "Quá hạn".into(),
                    values: vec![None, Some(3.0)],
                },
            ],
            reference: Some((100.0, "Mục tiêu".into())),
            decimals: 1,
        }
    }

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(axis(105.0), (125.0, 25.0));
        assert_eq!(axis(90.0), (100.0, 20.0));
        assert_eq!(axis(7.0), (8.0, 2.0));
        assert_eq!(axis(0.0), (1.0, 0.2));
    }

    #[test]
    fn line_chart_has_points_reference_and_legend_in_the_built_in_font() {
        let s = svg(&chart(ChartKind::Lines));
        assert!(s.text.contains("font-family=\"Liberation Serif\""));
        assert_eq!(
            s.text.matches("<circle").count(),
            3 + 2,
            "three points and two legend marks"
        );
        assert!(s.text.contains("stroke-dasharray"));
        assert!(s.text.contains("Mục tiêu (100)"));
        assert!(s.text.contains("tháng 5/2024"));
    }

    #[test]
    fn bars_stack_series_and_print_totals() {
        let s = svg(&chart(ChartKind::StackedBars));
        assert_eq!(
            s.text.matches("<rect x=").count(),
            3 + 2,
            "three segments and two legend keys"
        );
        assert!(s.text.contains(">88,5<"), "total of the second bar");
    }

    #[test]
    fn rasterises_with_the_built_in_fonts() {
        let s = svg(&chart(ChartKind::Lines));
        let png = png(&s, 2.0).expect("png");
        assert_eq!(&png[1..4], b"PNG");
        let decoded = tiny_skia::Pixmap::decode_png(&png).expect("decode");
        assert_eq!(decoded.width(), (WIDTH * 2.0) as u32);
    }

    #[test]
    fn long_labels_and_legends_are_wrapped_never_cut() {
        assert_eq!(wrap("Cơ quan", 200.0), vec!["Cơ quan"]);
        let lines = wrap(
            "Tỷ lệ hồ sơ giải quyết thủ tục hành chính được số hóa kết quả giải quyết",
            150.0,
        );
        assert!(
            lines.len() > 1 && lines.iter().all(|l| text_width(l, FONT_SIZE) <= 150.0),
            "{lines:?}"
        );
        assert_eq!(
            lines.join(" "),
            "Tỷ lệ hồ sơ giải quyết thủ tục hành chính được số hóa kết quả giải quyết"
        );
        let mut long = chart(ChartKind::Lines);
        long.series[0].name = "1.1. Tỷ lệ hồ sơ giải quyết thủ tục hành chính được số hóa, cấp kết quả điện tử và tái sử dụng dữ liệu đã số hóa trên Cổng Dịch vụ công quốc gia, kết nối với hệ thống thông tin giải quyết thủ tục hành chính của các bộ, ngành, địa phương".into();
        let s = svg(&long);
        assert!(!s.text.contains('…'), "nothing is cut");
        assert!(s.text.contains("phương<"), "the end of the name is drawn");
    }

    #[test]
    fn the_legend_of_bars_starts_below_the_unit_label() {
        let s = svg(&chart(ChartKind::StackedBars));
        let y_of = |needle: &str| -> f64 {
            let at = s.text.find(needle).unwrap_or_else(|| panic!("no {needle}"));
            let tag = &s.text[s.text[..at].rfind("<text").expect("text tag")..at];
            tag.split("y=\"")
                .nth(1)
                .expect("y")
                .split('"')
                .next()
                .expect("value")
                .parse()
                .expect("number")
        };
        assert!(
            y_of(">1.1. Tỷ lệ hồ sơ<") - y_of(">% mục tiêu<") >= LINE_HEIGHT,
            "unit label and legend do not overlap"
        );
    }
}
