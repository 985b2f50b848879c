//! Measured indicators as records of the exchange format: the QĐ 766 programme and its
//! indicators, and observations of source `measured` per agency (and for the nation)
//! and period. They enter the store through the same all-or-nothing import plan as any
//! other data, so every value is journaled.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use tiendo_core::model::{
    Aggregation, Dataset, Direction, Indicator, IndicatorScope, LegalDocument, LegalDocumentKind,
    Observation, Programme, SourceKind,
};
use tiendo_core::period::{Period, ReportingRegime};
use tiendo_exchange::export::csv_text;
use tiendo_exchange::import::SourceFile;
use tiendo_exchange::records::{ENTITIES, to_rows};

use crate::index::{Counts, IndexConfig, IndexScore, Measure};

pub const PROGRAMME_ID: &str = "qd766";
pub const LEGAL_DOCUMENT_ID: &str = "qd-766-2022";
/// The indicator of the total score (restated on 100).
pub const TOTAL_INDICATOR: &str = "qd766-diem";

pub fn measure_indicator(m: Measure) -> String {
    format!("qd766-{}", m.code().replace('_', "-"))
}

pub fn group_indicator(group_id: &str) -> String {
    format!("qd766-nhom-{group_id}")
}

const PROVENANCE: &str =
    "tiendo: đo từ sự kiện hồ sơ (crates/events), cấu hình data/config/qd766.json";

/// The programme, its legal basis and its indicators.
pub fn reference_records(config: &IndexConfig, owner_agency: &str) -> Dataset {
    let heading = "Chỉ số đo từ dữ liệu hồ sơ";
    let mut indicators: Vec<Indicator> = Measure::ALL
        .iter()
        .enumerate()
        .map(|(i, m)| Indicator {
            id: measure_indicator(*m),
            programme_id: PROGRAMME_ID.to_string(),
            code: format!("1.{}", i + 1),
            heading: heading.to_string(),
            name: m.name_vi().to_string(),
            unit: "%".to_string(),
            direction: Direction::HigherIsBetter,
            aggregation: Aggregation::Ratio,
            restatement: None,
            scope: IndicatorScope::Measured,
            scope_groups: Vec::new(),
            provenance: PROVENANCE.to_string(),
        })
        .collect();
    for (i, g) in config.groups.iter().enumerate() {
        indicators.push(Indicator {
            id: group_indicator(&g.id),
            programme_id: PROGRAMME_ID.to_string(),
            code: format!("2.{}", i + 1),
            heading: "Bộ chỉ số QĐ 766: điểm theo nhóm".to_string(),
            name: format!(
                "{} (tối đa {} điểm)",
                g.name,
                tiendo_core::format::decimal(g.max, 1)
            ),
            unit: "điểm".to_string(),
            direction: Direction::HigherIsBetter,
            aggregation: Aggregation::Mean,
            restatement: None,
            scope: IndicatorScope::Measured,
            scope_groups: Vec::new(),
            provenance: PROVENANCE.to_string(),
        });
    }
    indicators.push(Indicator {
        id: TOTAL_INDICATOR.to_string(),
        programme_id: PROGRAMME_ID.to_string(),
        code: "3".to_string(),
        heading: "Bộ chỉ số QĐ 766: tổng điểm".to_string(),
        name: "Điểm Bộ chỉ số phục vụ người dân, doanh nghiệp (quy về thang 100 trên các tiêu chí đo được)".to_string(),
        unit: "điểm".to_string(),
        direction: Direction::HigherIsBetter,
        aggregation: Aggregation::Mean,
        restatement: None,
        scope: IndicatorScope::Measured,
        scope_groups: Vec::new(),
        provenance: PROVENANCE.to_string(),
    });
    Dataset {
        legal_documents: vec![LegalDocument {
            id: LEGAL_DOCUMENT_ID.to_string(),
            kind: LegalDocumentKind::Decision,
            number: "766/QĐ-TTg".to_string(),
            date: NaiveDate::from_ymd_opt(2022, 6, 23),
            issuer: "Thủ tướng Chính phủ".to_string(),
            title: "Phê duyệt Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử".to_string(),
            provenance: "shared/DOMAIN.md §4".to_string(),
        }],
        programmes: vec![Programme {
            id: PROGRAMME_ID.to_string(),
            parent_id: None,
            name: "Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp (đo từ dữ liệu hồ sơ)".to_string(),
            short_name: "Bộ chỉ số QĐ 766".to_string(),
            legal_basis: vec![LEGAL_DOCUMENT_ID.to_string()],
            owner_agency: owner_agency.to_string(),
            start: NaiveDate::from_ymd_opt(2022, 6, 23),
            end: None,
            regime: ReportingRegime::CalendarMonth,
            provenance: "shared/DOMAIN.md §4".to_string(),
        }],
        indicators,
        ..Dataset::default()
    }
}

fn observation(
    indicator_id: String,
    agency: Option<&str>,
    period: Period,
    value: f64,
    parts: Option<(i64, i64)>,
    note: String,
    provenance: &str,
) -> Observation {
    Observation {
        indicator_id,
        agency_id: agency.map(str::to_string),
        period,
        value: (value * 100.0).round() / 100.0,
        numerator: parts.map(|(n, _)| n as f64),
        denominator: parts.map(|(_, d)| d as f64),
        source: SourceKind::Measured,
        states: None,
        note,
        provenance: provenance.to_string(),
    }
}

/// The measured observations of one period: for each agency (and `None`, the nation:
/// the sum of all agencies' counts) every measure with a denominator, and for each
/// agency its QĐ 766 group points and total. `bounds` is the span of days measured.
pub fn observations(
    config: &IndexConfig,
    period: Period,
    bounds: (NaiveDate, NaiveDate),
    counts: &[(Option<String>, Counts)],
) -> Vec<Observation> {
    let provenance = format!("{PROVENANCE}; sự kiện từ {} đến {}", bounds.0, bounds.1);
    let mut out = Vec::new();
    for (agency, c) in counts {
        let agency = agency.as_deref();
        for m in Measure::ALL {
            if let Some(r) = m.ratio(c) {
                out.push(observation(
                    measure_indicator(m),
                    agency,
                    period,
                    r,
                    Some(m.parts(c)),
                    String::new(),
                    &provenance,
                ));
                for p in config
                    .programme_indicators
                    .iter()
                    .filter(|p| p.measure == m)
                {
                    out.push(observation(
                        p.indicator_id.clone(),
                        agency,
                        period,
                        r,
                        Some(m.parts(c)),
                        format!("đo từ sự kiện hồ sơ ({})", m.code()),
                        &provenance,
                    ));
                }
            }
        }
        if agency.is_none() {
            continue;
        }
        let score: IndexScore = config.score(c);
        let Some(on_100) = score.on_100 else { continue };
        for g in score.groups.iter().filter(|g| g.scored_max > 0.0) {
            let note = format!(
                "điểm trên tối đa {} của các tiêu chí đo được (nhóm tối đa {})",
                tiendo_core::format::decimal(g.scored_max, 2),
                tiendo_core::format::decimal(g.max, 2)
            );
            out.push(observation(
                group_indicator(&g.id),
                agency,
                period,
                g.points,
                None,
                note,
                &provenance,
            ));
        }
        let note = format!(
            "{}; {} điểm trên {} điểm đo được",
            score.band.clone().unwrap_or_default(),
            tiendo_core::format::decimal(score.points, 2),
            tiendo_core::format::decimal(score.scored_max, 2)
        );
        out.push(observation(
            TOTAL_INDICATOR.to_string(),
            agency,
            period,
            on_100,
            None,
            note,
            &provenance,
        ));
    }
    out
}

/// The records that measuring writes: the measured programme's reference records (owned
/// by `owner_agency`, reported under `regime`) and, for each measured period, the
/// observations of every agency `existing` knows and of the nation. Returns them with the
/// number of agency codes in the events that `existing` does not know (left out).
pub fn measured_records(
    config: &IndexConfig,
    existing: &Dataset,
    owner_agency: &str,
    regime: ReportingRegime,
    measured: &[(Period, Vec<(String, Counts)>)],
) -> (Dataset, usize) {
    let usable = IndexConfig {
        programme_indicators: config
            .programme_indicators
            .iter()
            .filter(|p| existing.indicators.iter().any(|i| i.id == p.indicator_id))
            .cloned()
            .collect(),
        ..config.clone()
    };
    let mut records = Dataset::default();
    let mut unknown = 0;
    for (period, counts) in measured {
        let known: Vec<(Option<String>, Counts)> = counts
            .iter()
            .filter(|(a, _)| existing.agency(a).is_some())
            .map(|(a, c)| (Some(a.clone()), *c))
            .chain(std::iter::once((None, national(counts))))
            .collect();
        unknown += counts.len() + 1 - known.len();
        records.observations.extend(observations(
            &usable,
            *period,
            period.bounds(regime),
            &known,
        ));
    }
    let mut reference = reference_records(config, owner_agency);
    reference.programmes[0].regime = regime;
    records.legal_documents = reference.legal_documents;
    records.programmes = reference.programmes;
    records.indicators = reference.indicators;
    (records, unknown)
}

/// The national counts: the sum over agencies.
pub fn national(counts: &[(String, Counts)]) -> Counts {
    let mut t = Counts::default();
    for (_, c) in counts {
        t.received += c.received;
        t.online += c.online;
        t.eligible_full += c.eligible_full;
        t.full_online += c.full_online;
        t.fee += c.fee;
        t.paid_online += c.paid_online;
        t.digitised += c.digitised;
        t.reused += c.reused;
        t.eid += c.eid;
        t.finished += c.finished;
        t.on_time += c.on_time;
        t.electronic_result += c.electronic_result;
        t.rated += c.rated;
        t.satisfied += c.satisfied;
        t.fee_procedures += c.fee_procedures;
        t.paid_procedures += c.paid_procedures;
        t.open_overdue += c.open_overdue;
    }
    t
}

/// A dataset as import sources (one CSV text per non-empty entity).
pub fn as_sources(data: &Dataset) -> Vec<SourceFile> {
    let rows = to_rows(data);
    let by_name: BTreeMap<&str, _> = rows.iter().map(|(k, v)| (*k, v)).collect();
    ENTITIES
        .iter()
        .filter(|e| !by_name[e.name].is_empty())
        .map(|e| SourceFile {
            name: format!("tiendo measure/{}.csv", e.name),
            entity: e,
            text: String::from_utf8(
                csv_text(e.column_names(), by_name[e.name].values()).expect("CSV in memory"),
            )
            .expect("UTF-8"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_exchange::import::plan;

    #[test]
    fn measured_records_pass_the_import_plan() {
        let config = IndexConfig::builtin();
        let mut existing = Dataset::default();
        existing.agencies.push(tiendo_core::model::Agency {
            id: "VPCP".to_string(),
            code: "VPCP".to_string(),
            name: "Văn phòng Chính phủ".to_string(),
            short_name: "VPCP".to_string(),
            kind: tiendo_core::model::AgencyKind::GovernmentAgency,
            valid_from: None,
            valid_to: None,
            sort_order: 1,
            confidence: tiendo_core::model::Confidence::Official,
            note: String::new(),
            provenance: String::new(),
        });
        let mut data = reference_records(
            &IndexConfig {
                programme_indicators: Vec::new(),
                ..config.clone()
            },
            "VPCP",
        );
        let counts = Counts {
            received: 10,
            online: 5,
            finished: 8,
            on_time: 6,
            open_overdue: 2,
            ..Counts::default()
        };
        let period = Period::month(2024, 5);
        let bounds = period.bounds(ReportingRegime::CalendarMonth);
        let config = IndexConfig {
            programme_indicators: Vec::new(),
            ..config
        };
        data.observations = observations(
            &config,
            period,
            bounds,
            &[(Some("VPCP".to_string()), counts), (None, counts)],
        );
        let online = data
            .observations
            .iter()
            .find(|o| o.indicator_id == "qd766-online" && o.agency_id.is_none())
            .unwrap();
        assert_eq!(
            (online.value, online.numerator, online.denominator),
            (50.0, Some(5.0), Some(10.0))
        );
        let total = data
            .observations
            .iter()
            .find(|o| o.indicator_id == TOTAL_INDICATOR)
            .unwrap();
        // Scored: on time 6/10 = 60 % → 15 of 20; electronic result 0/8 → 0 of 6;
        // digitised, reused, e-ID 0/10 → 0 of 8: 15 of 34 points, 44,12 on 100.
        assert_eq!(total.value, 44.12);
        assert!(total.note.starts_with("Yếu"));
        let planned = plan(&as_sources(&data), &existing).unwrap();
        assert_eq!(
            planned.inserted(),
            1 + 1 + data.indicators.len() + data.observations.len()
        );
    }
}
