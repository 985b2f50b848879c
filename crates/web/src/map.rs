//! A choropleth of the provinces as inline SVG, drawn from the simplified boundaries in
//! `data/maps/` (Natural Earth, public domain): 63 provinces before 01/7/2025, 34 after.
//! Equirectangular projection scaled by the cosine of the mid latitude; no tiles, no
//! network, no script.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde_json::Value;

const MAP_63: &str = include_str!("../../../data/maps/vn-provinces-63.geojson");
const MAP_34: &str = include_str!("../../../data/maps/vn-provinces-34.geojson");

/// A province outline: its code, name and rings of (lon, lat).
struct Province {
    code: String,
    name: String,
    rings: Vec<Vec<(f64, f64)>>,
}

fn parse(text: &str) -> Vec<Province> {
    let doc: Value = serde_json::from_str(text).expect("the bundled map is valid GeoJSON");
    let ring = |r: &Value| -> Vec<(f64, f64)> {
        r.as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
            .collect()
    };
    doc["features"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let g = &f["geometry"];
            let rings = match g["type"].as_str() {
                Some("Polygon") => g["coordinates"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(ring)
                    .collect(),
                Some("MultiPolygon") => g["coordinates"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|poly| poly.as_array().into_iter().flatten().map(ring))
                    .collect(),
                _ => Vec::new(),
            };
            Province {
                code: f["properties"]["code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                name: f["properties"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                rings,
            }
        })
        .collect()
}

fn provinces(date: NaiveDate) -> &'static [Province] {
    static P63: OnceLock<Vec<Province>> = OnceLock::new();
    static P34: OnceLock<Vec<Province>> = OnceLock::new();
    if date < NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date") {
        P63.get_or_init(|| parse(MAP_63))
    } else {
        P34.get_or_init(|| parse(MAP_34))
    }
}

/// Colour from light to dark blue for a share in [0, 1].
fn shade(t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        lerp(222.0, 8.0),
        lerp(235.0, 69.0),
        lerp(247.0, 148.0)
    )
}

/// The words of the map's legend, in the page's language.
pub struct Legend<'a> {
    /// What the colours measure, e.g. the indicator's unit ("%").
    pub measure: &'a str,
    /// The grey swatch: "Chưa có số liệu" / "No data".
    pub no_data: &'a str,
    /// The archipelagos' names: ("Quần đảo Hoàng Sa", "Quần đảo Trường Sa").
    pub archipelagos: (&'a str, &'a str),
}

/// The islands of the Hoàng Sa (Đà Nẵng, code 48) and Trường Sa (Khánh Hòa, code 56)
/// archipelagos: the rings of those provinces lying east of the given longitude.
const ARCHIPELAGOS: [(&str, f64); 2] = [("48", 110.5), ("56", 112.0)];

const NO_DATA_FILL: &str = "#e5e5e5";

/// Draw the provinces valid on `date`, coloured by `values` (province code → (value,
/// label)); provinces without a value are grey. Each archipelago is framed and named, its
/// islands marked in their province's colour so they can be seen at any size. The legend
/// gives the scale with the lowest and highest values and the "no data" colour. Returns SVG.
pub fn choropleth(
    date: NaiveDate,
    values: &HashMap<String, (f64, String)>,
    legend: &Legend,
) -> String {
    let provinces = provinces(date);
    let points = provinces.iter().flat_map(|p| p.rings.iter().flatten());
    let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) =
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (lon, lat) in points {
        min_lon = min_lon.min(*lon);
        max_lon = max_lon.max(*lon);
        min_lat = min_lat.min(*lat);
        max_lat = max_lat.max(*lat);
    }
    let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
    let height = 520.0;
    let scale = height / (max_lat - min_lat);
    // A margin on the right for the frame of the Trường Sa archipelago, the easternmost land.
    let width = ((max_lon - min_lon) * k * scale).ceil() + 10.0;
    let project = |(lon, lat): (f64, f64)| ((lon - min_lon) * k * scale, (max_lat - lat) * scale);
    let lowest = values.values().min_by(|a, b| a.0.total_cmp(&b.0));
    let highest = values.values().max_by(|a, b| a.0.total_cmp(&b.0));
    let (lo, hi) = (lowest.map_or(0.0, |v| v.0), highest.map_or(0.0, |v| v.0));
    let fill_of = |code: &str| match values.get(code) {
        Some((v, _)) => shade(if hi > lo { (v - lo) / (hi - lo) } else { 1.0 }),
        None => NO_DATA_FILL.to_string(),
    };
    let mut svg = format!(
        r#"<svg class="map" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">"#
    );
    for p in provinces {
        let mut d = String::new();
        for ring in &p.rings {
            for (i, point) in ring.iter().enumerate() {
                let (x, y) = project(*point);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let title = match values.get(&p.code) {
            Some((_, label)) => format!("{}: {}", p.name, label),
            None => format!("{}: {}", p.name, legend.no_data),
        };
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="{}" stroke="#fff" stroke-width="0.6" data-code="{}"><title>{}</title></path>"##,
            fill_of(&p.code),
            p.code,
            crate::chart::escape(&title)
        );
    }
    for ((code, east_of), name) in ARCHIPELAGOS
        .iter()
        .zip([legend.archipelagos.0, legend.archipelagos.1])
    {
        let Some(province) = provinces.iter().find(|p| p.code == *code) else {
            continue;
        };
        let islands: Vec<(f64, f64)> = province
            .rings
            .iter()
            .filter(|ring| ring.iter().all(|(lon, _)| lon > east_of))
            .map(|ring| {
                project((
                    ring.iter().map(|p| p.0).sum::<f64>() / ring.len() as f64,
                    ring.iter().map(|p| p.1).sum::<f64>() / ring.len() as f64,
                ))
            })
            .collect();
        if islands.is_empty() {
            continue;
        }
        let (x0, x1) = islands.iter().fold((f64::MAX, f64::MIN), |(a, b), (x, _)| {
            (a.min(*x), b.max(*x))
        });
        let (y0, y1) = islands.iter().fold((f64::MAX, f64::MIN), |(a, b), (_, y)| {
            (a.min(*y), b.max(*y))
        });
        let title = crate::chart::escape(&format!("{name} ({})", province.name));
        let _ = write!(
            svg,
            r##"<g class="archipelago" data-code="{code}"><title>{title}</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="6" fill="none" stroke="#8a99ad" stroke-dasharray="3 2"/>"##,
            x0 - 7.0,
            y0 - 7.0,
            x1 - x0 + 14.0,
            y1 - y0 + 14.0
        );
        for (x, y) in &islands {
            let _ = write!(
                svg,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="2.4" fill="{}" stroke="#51606f" stroke-width="0.6"/>"##,
                fill_of(code)
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#333">{}</text></g>"##,
            x1 + 7.0,
            y1 + 20.0,
            crate::chart::escape(name)
        );
    }
    svg.push_str(&scale_legend(width - 150.0, lowest, highest, legend));
    svg.push_str("</svg>");
    svg
}

/// The legend in the map's upper right corner, over the sea east of the Red River delta: a
/// gradient from the lowest to the highest value with their labels, and the grey "no
/// data" swatch.
fn scale_legend(
    x: f64,
    lowest: Option<&(f64, String)>,
    highest: Option<&(f64, String)>,
    legend: &Legend,
) -> String {
    let y = 16.0;
    let mut out = format!(
        r##"<g class="legend" font-size="11" fill="#333"><text x="{x}" y="{y}">{}</text>"##,
        crate::chart::escape(legend.measure)
    );
    if let (Some(low), Some(high)) = (lowest, highest) {
        out.push_str(r##"<defs><linearGradient id="map-scale"><stop offset="0" stop-color="#deebf7"/><stop offset="1" stop-color="#084594"/></linearGradient></defs>"##);
        let _ = write!(
            out,
            r##"<rect x="{x}" y="{:.1}" width="120" height="10" fill="url(#map-scale)" stroke="#999" stroke-width="0.5"/>"##,
            y + 6.0
        );
        let _ = write!(
            out,
            r##"<text class="low" x="{x}" y="{:.1}">{}</text>"##,
            y + 30.0,
            crate::chart::escape(&low.1)
        );
        let _ = write!(
            out,
            r##"<text class="high" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            x + 120.0,
            y + 30.0,
            crate::chart::escape(&high.1)
        );
    }
    let _ = write!(
        out,
        r##"<rect x="{x}" y="{:.1}" width="14" height="10" fill="{NO_DATA_FILL}" stroke="#999" stroke-width="0.5"/><text x="{:.1}" y="{:.1}">{}</text></g>"##,
        y + 40.0,
        x + 20.0,
        y + 49.0,
        crate::chart::escape(legend.no_data)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEGEND: Legend = Legend {
        measure: "%",
        no_data: "Chưa có số liệu",
        archipelagos: ("Quần đảo Hoàng Sa", "Quần đảo Trường Sa"),
    };

    #[test]
    fn the_map_follows_the_date() {
        let before = choropleth(
            NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(),
            &HashMap::new(),
            &LEGEND,
        );
        let after = choropleth(
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            &HashMap::new(),
            &LEGEND,
        );
        assert_eq!(before.matches("<path").count(), 63);
        assert_eq!(after.matches("<path").count(), 34);
    }

    #[test]
    fn provinces_with_values_are_coloured_and_labelled() {
        let values = HashMap::from([
            ("15".to_string(), (90.0, "90%".to_string())),
            ("01".to_string(), (10.0, "10%".to_string())),
        ]);
        let svg = choropleth(
            NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(),
            &values,
            &LEGEND,
        );
        assert!(svg.contains("Tỉnh Yên Bái: 90%"));
        assert!(svg.contains(&format!(
            r##"fill="{}" stroke="#fff" stroke-width="0.6" data-code="15""##,
            shade(1.0)
        )));
        assert!(svg.contains(&format!(
            r##"fill="{}" stroke="#fff" stroke-width="0.6" data-code="01""##,
            shade(0.0)
        )));
    }

    #[test]
    fn the_legend_gives_the_scale_and_no_data() {
        let values = HashMap::from([
            ("15".to_string(), (90.0, "90%".to_string())),
            ("01".to_string(), (10.0, "10%".to_string())),
        ]);
        let svg = choropleth(
            NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(),
            &values,
            &LEGEND,
        );
        assert!(
            svg.contains(r#"<text class="low" x="324" y="46.0">10%</text>"#),
            "lowest value under the scale: {svg}"
        );
        assert!(svg.contains(">90%</text>"), "highest value under the scale");
        assert!(svg.contains(">Chưa có số liệu</text>"));
        assert!(
            svg.contains("Tỉnh Lai Châu: Chưa có số liệu"),
            "a grey province says why"
        );
        let empty = choropleth(
            NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(),
            &HashMap::new(),
            &LEGEND,
        );
        assert!(!empty.contains("map-scale"), "no scale without values");
    }

    #[test]
    fn both_archipelagos_are_framed_named_and_marked() {
        for date in [
            NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
        ] {
            let values = HashMap::from([("56".to_string(), (50.0, "50%".to_string()))]);
            let svg = choropleth(date, &values, &LEGEND);
            let hoang_sa = svg
                .split(r#"<g class="archipelago" data-code="48">"#)
                .nth(1)
                .expect("Hoàng Sa drawn");
            assert!(hoang_sa.contains("Quần đảo Hoàng Sa (Thành phố Đà Nẵng)"));
            assert_eq!(
                hoang_sa
                    .split("</g>")
                    .next()
                    .unwrap()
                    .matches("<circle")
                    .count(),
                3
            );
            let truong_sa = svg
                .split(r#"<g class="archipelago" data-code="56">"#)
                .nth(1)
                .expect("Trường Sa drawn");
            assert!(truong_sa.contains(">Quần đảo Trường Sa</text>"));
            assert_eq!(
                truong_sa
                    .split("</g>")
                    .next()
                    .unwrap()
                    .matches("<circle cx")
                    .count(),
                10
            );
            assert!(
                truong_sa.contains(&format!(r#"fill="{}""#, shade(1.0))),
                "islands in their province's colour"
            );
        }
    }
}
