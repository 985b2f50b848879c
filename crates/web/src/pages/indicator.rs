//! An indicator's page with its chart and map (`/indicators/{id}`).

use std::collections::HashMap;

use axum::extract::{Path, Query};
use minijinja::context;

use crate::error::AppError;
use crate::i18n::Labels;
use crate::page::{Page, PageResult, v};
use crate::params::{parse_date, parse_period};
use crate::views;

pub(super) async fn indicator(
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let sort = q.get("sort").map(String::as_str);
    let structure_date = parse_date(q.get("structure")).map_err(|e| page.fail(e))?;
    let view = views::indicator_page(&data, &id, period, structure_date, sort, page.lang)
        .ok_or_else(|| page.fail(AppError::not_found("chỉ tiêu", "Indicator")))?;
    let unit = views::unit_text(&view.line.unit, page.lang);
    let mut series: Vec<crate::chart::TimeSeries> = Vec::new();
    for p in &view.series {
        let point = crate::chart::TimePoint {
            date: p
                .date
                .parse()
                .map_err(|e| page.fail(AppError::internal(e)))?,
            label: p.label.clone(),
            value: p.value,
        };
        match series.iter_mut().find(|s| s.name == p.source_text) {
            Some(s) => s.points.push(point),
            None => series.push(crate::chart::TimeSeries {
                name: p.source_text.clone(),
                points: vec![point],
            }),
        }
    }
    let chart = crate::chart::line_chart(&series, view.target_value, &unit);
    let map_date = view
        .structure_date
        .parse()
        .unwrap_or_else(|_| tiendo_core::clock::today_in_vietnam());
    let values: HashMap<String, (f64, String)> = view
        .agencies
        .iter()
        .filter_map(|a| Some((a.code.clone(), (a.value?, a.value_text.clone()))))
        .collect();
    let measure = if unit.is_empty() {
        page.lang.pick("Giá trị", "Value").to_string()
    } else {
        format!("{}: {unit}", page.lang.pick("Đơn vị", "Unit"))
    };
    let legend = crate::map::Legend {
        measure: &measure,
        no_data: page.lang.label("no_data"),
        archipelagos: (
            page.lang
                .pick("Quần đảo Hoàng Sa", "Hoang Sa (Paracel) Islands"),
            page.lang
                .pick("Quần đảo Trường Sa", "Truong Sa (Spratly) Islands"),
        ),
    };
    let map = crate::map::choropleth(map_date, &values, &legend);
    page.ok(
        "indicator.html",
        "overview",
        context! { page => v(view), chart => chart, map => map },
    )
}
