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
    let ring = |r: &Value| -> Vec<(f64, f64)> { r.as_array().into_iter().flatten().filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?))).collect() };
    doc["features"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let g = &f["geometry"];
            let rings = match g["type"].as_str() {
                Some("Polygon") => g["coordinates"].as_array().into_iter().flatten().map(ring).collect(),
                Some("MultiPolygon") => g["coordinates"].as_array().into_iter().flatten().flat_map(|poly| poly.as_array().into_iter().flatten().map(ring)).collect(),
                _ => Vec::new(),
            };
            Province { code: f["properties"]["code"].as_str().unwrap_or_default().to_string(), name: f["properties"]["name"].as_str().unwrap_or_default().to_string(), rings }
        })
        .collect()
}

fn provinces(date: NaiveDate) -> &'static [Province] {
    static P63: OnceLock<Vec<Province>> = OnceLock::new();
    static P34: OnceLock<Vec<Province>> = OnceLock::new();
    if date < NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date") { P63.get_or_init(|| parse(MAP_63)) } else { P34.get_or_init(|| parse(MAP_34)) }
}

/// Colour from light to dark blue for a share in [0, 1].
fn shade(t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", lerp(222.0, 8.0), lerp(235.0, 69.0), lerp(247.0, 148.0))
}

/// Draw the provinces valid on `date`, coloured by `values` (province code → (value,
/// label)); provinces without a value are grey. Returns SVG.
pub fn choropleth(date: NaiveDate, values: &HashMap<String, (f64, String)>) -> String {
    let provinces = provinces(date);
    let points = provinces.iter().flat_map(|p| p.rings.iter().flatten());
    let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (lon, lat) in points {
        min_lon = min_lon.min(*lon);
        max_lon = max_lon.max(*lon);
        min_lat = min_lat.min(*lat);
        max_lat = max_lat.max(*lat);
    }
    let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
    let height = 520.0;
    let scale = height / (max_lat - min_lat);
    let width = ((max_lon - min_lon) * k * scale).ceil();
    let (lo, hi) = values.values().fold((f64::MAX, f64::MIN), |(lo, hi), (v, _)| (lo.min(*v), hi.max(*v)));
    let mut svg = format!(r#"<svg class="map" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">"#);
    for p in provinces {
        let mut d = String::new();
        for ring in &p.rings {
            for (i, (lon, lat)) in ring.iter().enumerate() {
                let _ = write!(d, "{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, (lon - min_lon) * k * scale, (max_lat - lat) * scale);
            }
            d.push('Z');
        }
        let (fill, title) = match values.get(&p.code) {
            Some((v, label)) => (shade(if hi > lo { (v - lo) / (hi - lo) } else { 1.0 }), format!("{}: {}", p.name, label)),
            None => ("#e5e5e5".to_string(), p.name.clone()),
        };
        let _ = write!(svg, r##"<path d="{d}" fill="{fill}" stroke="#fff" stroke-width="0.6" data-code="{}"><title>{}</title></path>"##, p.code, crate::chart::escape(&title));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_follows_the_date() {
        let before = choropleth(NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(), &HashMap::new());
        let after = choropleth(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), &HashMap::new());
        assert_eq!(before.matches("<path").count(), 63);
        assert_eq!(after.matches("<path").count(), 34);
    }

    #[test]
    fn provinces_with_values_are_coloured_and_labelled() {
        let values = HashMap::from([("15".to_string(), (90.0, "90%".to_string())), ("01".to_string(), (10.0, "10%".to_string()))]);
        let svg = choropleth(NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(), &values);
        assert!(svg.contains("Tỉnh Yên Bái: 90%"));
        assert!(svg.contains(&format!(r##"fill="{}" stroke="#fff" stroke-width="0.6" data-code="15""##, shade(1.0))));
        assert!(svg.contains(&format!(r##"fill="{}" stroke="#fff" stroke-width="0.6" data-code="01""##, shade(0.0))));
    }
}
