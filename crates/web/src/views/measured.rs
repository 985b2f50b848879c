//! The measured indicators page: the QĐ 766 ranking, the national measured indicators
//! and the reconciliation with declared values.

use serde::Serialize;
use tiendo_core::model::{Dataset, Indicator, Observation};
use tiendo_core::period::Period;
use tiendo_core::{format, structure};
use utoipa::ToSchema;

use super::{number, period_label};
use crate::i18n::Lang;

/// A period that has measured values, for the period switch.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodChoice {
    pub code: String,
    pub label: String,
}

/// One agency in the QĐ 766 ranking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankedAgency {
    /// 1 = best; ties share a rank.
    pub rank: usize,
    pub agency_id: String,
    pub agency: String,
    /// `ministries` or `provinces`.
    pub scope: String,
    /// Points of each group, in the order of [`MeasuredPage::groups`] ("–" when not scored).
    pub groups: Vec<String>,
    /// Total restated on 100 over the items that events can measure.
    pub total: f64,
    pub total_text: String,
    /// Rating band (Tốt, Khá, Trung bình, Yếu), read from the configured thresholds.
    pub band: String,
    /// How the total was computed (raw points over the measurable maximum).
    pub note: String,
    /// The agency's online submission rate and on-time rate, with their counts.
    pub online_text: String,
    pub on_time_text: String,
}

/// A measured indicator for the nation (sum of all agencies' counts).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasuredValue {
    pub indicator_id: String,
    pub name: String,
    pub value: f64,
    pub value_text: String,
    /// "1.234/5.678" hồ sơ: the numerator and denominator the rate was computed from.
    pub parts_text: String,
}

/// A declared (or imported) value that disagrees with the measured one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DifferenceLine {
    pub indicator_id: String,
    pub indicator: String,
    pub agency_id: Option<String>,
    pub agency: String,
    pub declared_text: String,
    pub declared_source: String,
    pub measured_text: String,
    pub difference_text: String,
}

/// The measured indicators page: the QĐ 766 ranking of agencies, the national measured
/// indicators and the reconciliation with declared values, for one period. Everything
/// comes from stored observations of source `measured` (written by `tiendo measure`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasuredPage {
    pub programme_id: String,
    pub programme: String,
    pub period: Option<String>,
    pub period_label: Option<String>,
    /// Newest first.
    pub periods: Vec<PeriodChoice>,
    /// `all`, `ministries` or `provinces`.
    pub scope: String,
    /// The group columns of the ranking.
    pub groups: Vec<String>,
    pub ranking: Vec<RankedAgency>,
    /// Agencies per rating band, in the order of the bands.
    pub bands: Vec<(String, usize)>,
    pub national: Vec<MeasuredValue>,
    pub differences: Vec<DifferenceLine>,
    pub tolerance_text: String,
}

fn measured_at<'a>(
    data: &'a Dataset,
    indicator_id: &str,
    agency: Option<&str>,
    period: Period,
) -> Option<&'a Observation> {
    data.observations.iter().find(|o| {
        o.source == tiendo_core::model::SourceKind::Measured
            && o.indicator_id == indicator_id
            && o.agency_id.as_deref() == agency
            && o.period == period
    })
}

fn rate_text(o: Option<&Observation>, lang: Lang) -> String {
    match o {
        None => "–".to_string(),
        Some(o) => match (o.numerator, o.denominator) {
            (Some(n), Some(d)) => format!(
                "{}% ({}/{})",
                number(o.value, lang),
                count_text(n, lang),
                count_text(d, lang)
            ),
            _ => format!("{}%", number(o.value, lang)),
        },
    }
}

fn count_text(n: f64, lang: Lang) -> String {
    if lang == Lang::Vi {
        format::count(n as u64)
    } else {
        format::en_number(n, 0)
    }
}

/// The measured page for a period (default: the latest with a QĐ 766 score) and a scope
/// (`ministries`, `provinces`, anything else: all). `None` when no measured programme is
/// stored.
pub fn measured_page(
    data: &Dataset,
    period: Option<Period>,
    scope: Option<&str>,
    tolerance: f64,
    lang: Lang,
) -> Option<MeasuredPage> {
    use tiendo_events::index::Measure;
    use tiendo_events::observe::{PROGRAMME_ID, TOTAL_INDICATOR, measure_indicator};
    let programme = data.programme(PROGRAMME_ID)?;
    let mut periods: Vec<Period> = data
        .observations
        .iter()
        .filter(|o| {
            o.indicator_id == TOTAL_INDICATOR
                && o.source == tiendo_core::model::SourceKind::Measured
        })
        .map(|o| o.period)
        .collect();
    periods.sort();
    periods.dedup();
    periods.reverse();
    let scope = match scope {
        Some("ministries") => "ministries",
        Some("provinces") => "provinces",
        _ => "all",
    };
    let mut page = MeasuredPage {
        programme_id: programme.id.clone(),
        programme: programme.short_name.clone(),
        period: None,
        period_label: None,
        periods: periods
            .iter()
            .map(|p| PeriodChoice {
                code: p.code(),
                label: period_label(*p, lang),
            })
            .collect(),
        scope: scope.to_string(),
        groups: Vec::new(),
        ranking: Vec::new(),
        bands: Vec::new(),
        national: Vec::new(),
        differences: Vec::new(),
        tolerance_text: number(tolerance, lang),
    };
    let Some(period) = period.or_else(|| periods.first().copied()) else {
        return Some(page);
    };
    page.period = Some(period.code());
    page.period_label = Some(period_label(period, lang));
    // The groups that events can score in this period, in the order of their codes.
    let mut group_indicators: Vec<&Indicator> = data
        .indicators
        .iter()
        .filter(|i| i.programme_id == programme.id && !i.is_rate() && i.id != TOTAL_INDICATOR)
        .filter(|i| {
            data.observations.iter().any(|o| {
                o.indicator_id == i.id
                    && o.period == period
                    && o.source == tiendo_core::model::SourceKind::Measured
            })
        })
        .collect();
    group_indicators.sort_by(|a, b| a.code.cmp(&b.code));
    page.groups = group_indicators.iter().map(|i| i.name.clone()).collect();
    if let Some(total) = data.indicators.iter().find(|i| i.id == TOTAL_INDICATOR) {
        let date = period.bounds(programme.regime).1;
        let ranking = structure::ranking(data, total, period, None, date);
        let online = measure_indicator(Measure::Online);
        let on_time = measure_indicator(Measure::OnTime);
        let in_scope =
            ranking.ranked.iter().map(|(_, u)| u.agency).filter(|a| {
                scope == "all" || (scope == "ministries") == a.kind.is_ministry_level()
            });
        for (position, agency) in in_scope.enumerate() {
            let Some(observed) = measured_at(data, TOTAL_INDICATOR, Some(&agency.id), period)
            else {
                continue;
            };
            let (band, note) = observed
                .note
                .split_once(';')
                .map_or((observed.note.as_str(), ""), |(b, n)| (b.trim(), n.trim()));
            let rank = match page.ranking.last() {
                Some(previous) if previous.total == observed.value => previous.rank,
                _ => position + 1,
            };
            page.ranking.push(RankedAgency {
                rank,
                agency_id: agency.id.clone(),
                agency: agency.short_name.clone(),
                scope: if agency.kind.is_ministry_level() {
                    "ministries"
                } else {
                    "provinces"
                }
                .to_string(),
                groups: group_indicators
                    .iter()
                    .map(|g| {
                        measured_at(data, &g.id, Some(&agency.id), period)
                            .map_or_else(|| "–".to_string(), |o| number(o.value, lang))
                    })
                    .collect(),
                total: observed.value,
                total_text: number(observed.value, lang),
                band: band.to_string(),
                note: note.to_string(),
                online_text: rate_text(measured_at(data, &online, Some(&agency.id), period), lang),
                on_time_text: rate_text(
                    measured_at(data, &on_time, Some(&agency.id), period),
                    lang,
                ),
            });
        }
        let mut bands: Vec<(String, usize)> = Vec::new();
        for r in &page.ranking {
            match bands.iter_mut().find(|(b, _)| *b == r.band) {
                Some((_, n)) => *n += 1,
                None => bands.push((r.band.clone(), 1)),
            }
        }
        page.bands = bands;
    }
    page.national = data
        .indicators
        .iter()
        .filter(|i| i.programme_id == programme.id && i.is_rate())
        .filter_map(|i| {
            let o = measured_at(data, &i.id, None, period)?;
            Some(MeasuredValue {
                indicator_id: i.id.clone(),
                name: format!("{} {}", i.code, i.name),
                value: o.value,
                value_text: format!("{}%", number(o.value, lang)),
                parts_text: match (o.numerator, o.denominator) {
                    (Some(n), Some(d)) => {
                        format!("{}/{}", count_text(n, lang), count_text(d, lang))
                    }
                    _ => String::new(),
                },
            })
        })
        .collect();
    page.differences = tiendo_core::reconcile::reconcile(data, tolerance)
        .into_iter()
        .filter(|d| d.declared.period == period)
        .map(|d| {
            let indicator = data
                .indicators
                .iter()
                .find(|i| i.id == d.declared.indicator_id);
            let show = |o: &Observation| {
                indicator.map_or_else(
                    || number(o.value, lang),
                    |i| tiendo_core::figure::value(i, o.value, lang),
                )
            };
            DifferenceLine {
                indicator_id: d.declared.indicator_id.clone(),
                indicator: indicator.map_or_else(
                    || d.declared.indicator_id.clone(),
                    |i| format!("{} {}", i.code, i.name),
                ),
                agency_id: d.declared.agency_id.clone(),
                agency: d.declared.agency_id.as_deref().map_or_else(
                    || lang.pick("Toàn quốc", "Nation").to_string(),
                    |id| {
                        data.agency(id)
                            .map_or_else(|| id.to_string(), |a| a.short_name.clone())
                    },
                ),
                declared_text: show(d.declared),
                declared_source: match d.declared.source {
                    tiendo_core::model::SourceKind::Declared => {
                        lang.pick("cơ quan tự khai", "declared by the agency")
                    }
                    _ => lang.pick("trích từ báo cáo", "from a report"),
                }
                .to_string(),
                measured_text: show(d.measured),
                difference_text: format::change(
                    d.difference,
                    2,
                    if indicator.is_some_and(|i| i.is_rate()) {
                        lang.pick("điểm phần trăm", "percentage points")
                    } else {
                        ""
                    },
                ),
            }
        })
        .collect();
    Some(page)
}
