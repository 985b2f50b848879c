//! An indicator's page: its series by source and the agencies' values, restated to a
//! structure when asked.

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::model::{Agency, Dataset, Observation, SourceKind};
use tiendo_core::period::Period;
use tiendo_core::{clock, indicator, structure};
use utoipa::ToSchema;

use super::{IndicatorLine, indicator_line, period_label, source_text};
use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeriesPoint {
    pub period: String,
    pub label: String,
    /// The last day of the period (YYYY-MM-DD): where the point sits in time.
    pub date: String,
    /// The value the headline and the report use: a stated figure that the records
    /// compute differently gives way to the computed one (see `stated`).
    pub value: f64,
    pub value_text: String,
    /// `declared`, `measured`, `imported`, `estimated`, or `aggregated` (summed from the
    /// agencies' values): each source is its own series, never joined to another.
    pub source: String,
    pub source_text: String,
    /// What the source stated, when it differs from the computed value.
    pub stated: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyValue {
    pub agency_id: String,
    pub agency: String,
    pub code: String,
    /// None when the value cannot be restated to the chosen structure (see `note`).
    pub value: Option<f64>,
    pub value_text: String,
    /// For a restated unit: the units it was made of, an estimate, or why it has no value.
    pub note: Option<String>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorPage {
    pub line: IndicatorLine,
    pub programme_id: String,
    pub period: Option<String>,
    pub period_label: Option<String>,
    pub target_value: Option<f64>,
    pub series: Vec<SeriesPoint>,
    pub agencies: Vec<AgencyValue>,
    /// Periods with agency values, newest first, for the period switch.
    pub agency_periods: Vec<String>,
    /// The date whose structure the agencies are shown in (default: the period's end).
    pub structure_date: String,
    /// Whether the per-agency values are restated to another structure.
    pub restated: bool,
    /// The order of the per-agency rows: `official` (the government's order of agencies,
    /// the default), `name` (alphabetical) or `value` (highest first).
    pub sort: String,
}

/// How the per-agency table is sorted: `value` (best first), `name`, or the agency order.
pub fn indicator_page(
    data: &Dataset,
    id: &str,
    period: Option<Period>,
    structure_date: Option<NaiveDate>,
    sort: Option<&str>,
    lang: Lang,
) -> Option<IndicatorPage> {
    let ind = data.indicators.iter().find(|i| i.id == id)?;
    let mut stated: Vec<(Period, SourceKind, String)> = Vec::new();
    let mut series: Vec<(Period, f64, Option<SourceKind>)> = data
        .observations
        .iter()
        .filter(|o| o.indicator_id == id && o.agency_id.is_none())
        .map(|o| match tiendo_core::stated::contradiction(data, o) {
            Some(c) => {
                stated.push((o.period, o.source, c.stated));
                (o.period, c.computed_value, Some(o.source))
            }
            None => (o.period, o.value, Some(o.source)),
        })
        .collect();
    let agency_obs: Vec<&Observation> = data
        .observations
        .iter()
        .filter(|o| o.indicator_id == id && o.agency_id.is_some())
        .collect();
    let mut agency_periods: Vec<Period> = agency_obs.iter().map(|o| o.period).collect();
    agency_periods.sort();
    agency_periods.dedup();
    for p in &agency_periods {
        if !series.iter().any(|(sp, _, _)| sp == p)
            && let Some((v, _)) = indicator::national_value(data, ind, *p)
        {
            series.push((*p, v, None));
        }
    }
    series.sort_by_key(|(p, _, source)| (*p, source.map(SourceKind::code)));
    series.dedup_by_key(|(p, _, source)| (*p, *source));
    // The latest period by its last day (the rule of `clock`), agency values first.
    let regime = clock::regime_of_programme(data, &ind.programme_id);
    let by_end = |p: &Period| (p.end(regime), p.start(regime));
    let period = period
        .or_else(|| agency_periods.iter().copied().max_by_key(by_end))
        .or_else(|| series.iter().map(|(p, _, _)| *p).max_by_key(by_end));
    let data_date = period.map(|p| structure::data_date(data, ind, p));
    let structure_date = structure_date
        .or(data_date)
        .unwrap_or_else(clock::today_in_vietnam);
    let restated = data_date.is_some_and(|d| d != structure_date);
    let mut agencies: Vec<(&Agency, AgencyValue)> = match period {
        Some(p) if restated => structure::restate_indicator(data, ind, p, structure_date)
            .into_iter()
            .map(|u| {
                let (value, numerator, denominator, estimate, note) = match &u.value {
                    structure::RestatedValue::Value {
                        value,
                        numerator,
                        denominator,
                        estimate,
                        ..
                    } => (Some(*value), *numerator, *denominator, *estimate, None),
                    structure::RestatedValue::NotRestatable(reason) => (
                        None,
                        None,
                        None,
                        false,
                        Some(format!(
                            "{}: {reason}",
                            lang.pick("không quy đổi được", "not restatable")
                        )),
                    ),
                };
                let parts: Vec<&str> = u
                    .parts
                    .iter()
                    .filter(|p| !p.is_same_unit())
                    .map(|p| p.agency.short_name.as_str())
                    .collect();
                let note = note.or_else(|| {
                    (!parts.is_empty()).then(|| {
                        format!(
                            "{}: {}{}",
                            lang.pick("gồm", "from"),
                            parts.join(", "),
                            if estimate {
                                lang.pick(" (ước tính)", " (estimate)")
                            } else {
                                ""
                            }
                        )
                    })
                });
                let row = AgencyValue {
                    agency_id: u.agency.id.clone(),
                    agency: u.agency.short_name.clone(),
                    code: u.agency.code.clone(),
                    value,
                    value_text: value.map_or_else(
                        || "—".to_string(),
                        |v| tiendo_core::figure::value(ind, v, lang),
                    ),
                    numerator,
                    denominator,
                    source: lang.pick("quy đổi", "restated").to_string(),
                    note,
                };
                (u.agency, row)
            })
            .collect(),
        _ => agency_obs
            .iter()
            .filter(|o| Some(o.period) == period)
            .filter_map(|o| {
                data.agency(o.agency_id.as_deref().unwrap_or_default())
                    .map(|a| (a, *o))
            })
            .map(|(a, o)| {
                let row = AgencyValue {
                    agency_id: a.id.clone(),
                    agency: a.short_name.clone(),
                    code: a.code.clone(),
                    value: Some(o.value),
                    value_text: tiendo_core::figure::value(ind, o.value, lang),
                    numerator: o.numerator,
                    denominator: o.denominator,
                    source: source_text(Some(o.source), lang).to_string(),
                    note: None,
                };
                (a, row)
            })
            .collect(),
    };
    let sort = match sort {
        Some("value") => {
            agencies.sort_by(|a, b| {
                b.1.value
                    .unwrap_or(f64::MIN)
                    .total_cmp(&a.1.value.unwrap_or(f64::MIN))
            });
            "value"
        }
        Some("name") => {
            agencies.sort_by(|a, b| {
                tiendo_core::format::vietnamese_order(&a.0.short_name, &b.0.short_name)
            });
            "name"
        }
        _ => {
            agencies.sort_by(|a, b| tiendo_core::model::agency_order(a.0, b.0));
            "official"
        }
    };
    let target = data
        .targets
        .iter()
        .find(|t| t.indicator_id == id && t.agency_id.is_none());
    Some(IndicatorPage {
        line: indicator_line(data, ind, period.unwrap_or_else(|| Period::year(1)), lang),
        programme_id: ind.programme_id.clone(),
        period: period.map(|p| p.code()),
        period_label: period.map(|p| period_label(p, lang)),
        target_value: target.map(|t| t.value),
        series: series
            .iter()
            .map(|(p, v, source)| SeriesPoint {
                period: p.code(),
                label: period_label(*p, lang),
                date: p.end(regime).to_string(),
                value: *v,
                value_text: tiendo_core::figure::value(ind, *v, lang),
                source: source.map_or("aggregated", SourceKind::code).to_string(),
                source_text: source_text(*source, lang).to_string(),
                stated: stated
                    .iter()
                    .find(|(sp, sk, _)| sp == p && Some(*sk) == *source)
                    .map(|(_, _, text)| text.clone()),
            })
            .collect(),
        agencies: agencies.into_iter().map(|(_, row)| row).collect(),
        agency_periods: agency_periods.iter().rev().map(|p| p.code()).collect(),
        structure_date: structure_date.to_string(),
        restated,
        sort: sort.to_string(),
    })
}
