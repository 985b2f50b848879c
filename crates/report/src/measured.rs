//! The report of measured indicators (báo cáo chỉ số đo lường): the QĐ 766 ranking of
//! agencies, the measured indicators per agency, and the reconciliation of declared
//! against measured values. Everything is read from stored observations of source
//! `measured` (written by `tiendo measure`), so the report needs no access to events.

use tiendo_core::format;
use tiendo_core::model::{Dataset, Indicator, Observation, SourceKind, agency_order};
use tiendo_core::period::Period;
use tiendo_core::reconcile::reconcile;

use crate::doc::{Block, Document, Inline, Source, TableRow, figure, text};
use crate::progress::ReportError;

/// What to report on.
#[derive(Debug, Clone)]
pub struct MeasuredRequest {
    /// The programme of the measured indicators (`qd766`).
    pub programme_id: String,
    /// The indicator holding each agency's total score (`qd766-diem`).
    pub total_indicator: String,
    pub period: Period,
    /// Reconciliation tolerance, in the indicators' units (percentage points for rates).
    pub tolerance: f64,
}

fn source(o: &Observation) -> Source {
    Source {
        anchor: None,
        label: format!(
            "{} {} {}: {}",
            o.indicator_id,
            o.agency_id.as_deref().unwrap_or("toàn quốc"),
            o.period,
            o.provenance
        ),
    }
}

/// A measured value as every surface words it ([`tiendo_core::figure::value`]), with the
/// counts of a rate: "90% (90/100)".
fn value_text(indicator: &Indicator, o: &Observation) -> String {
    let value = tiendo_core::figure::value(indicator, o.value, tiendo_core::lang::Lang::Vi);
    match (o.numerator, o.denominator) {
        (Some(n), Some(d)) if indicator.is_rate() => format!(
            "{value} ({}/{})",
            format::count(n as u64),
            format::count(d as u64)
        ),
        _ => value,
    }
}

/// Build the report of measured indicators for a period.
pub fn measured_report(data: &Dataset, request: &MeasuredRequest) -> Result<Document, ReportError> {
    let programme = data
        .programme(&request.programme_id)
        .ok_or_else(|| ReportError::UnknownProgramme(request.programme_id.clone()))?;
    let period = request.period;
    let measured = |indicator_id: &str, agency: Option<&str>| {
        data.observations.iter().find(|o| {
            o.source == SourceKind::Measured
                && o.indicator_id == indicator_id
                && o.agency_id.as_deref() == agency
                && o.period == period
        })
    };
    let indicators: Vec<&Indicator> = data
        .indicators
        .iter()
        .filter(|i| i.programme_id == programme.id)
        .collect();
    let rates: Vec<&Indicator> = indicators.iter().copied().filter(|i| i.is_rate()).collect();
    let groups: Vec<&Indicator> = indicators
        .iter()
        .copied()
        .filter(|i| !i.is_rate() && i.id != request.total_indicator)
        .collect();
    let mut blocks = vec![Block::Paragraph(vec![text(format!(
        "Số liệu {} tính từ dữ liệu hồ sơ thủ tục hành chính do các hệ thống giải quyết thủ tục hành chính gửi về (nguồn: đo lường), không do cơ quan tự khai; căn cứ: {}.",
        period.label_vi(),
        programme
            .legal_basis
            .iter()
            .filter_map(|id| data.legal_document(id))
            .map(|d| d.number.clone())
            .collect::<Vec<_>>()
            .join(", ")
    ))])];

    // I. Ranking.
    blocks.push(Block::Heading(
        2,
        format!("I. Xếp hạng {} {}", programme.short_name, period.label_vi()),
    ));
    let mut ranked: Vec<(&tiendo_core::model::Agency, &Observation)> = data
        .agencies
        .iter()
        .filter_map(|a| measured(&request.total_indicator, Some(&a.id)).map(|o| (a, o)))
        .collect();
    ranked.sort_by(|(a, x), (b, y)| y.value.total_cmp(&x.value).then_with(|| agency_order(a, b)));
    if ranked.is_empty() {
        blocks.push(Block::Paragraph(vec![text(
            "Chưa có số liệu đo lường cho kỳ này (chạy `tiendo measure`).",
        )]));
    } else {
        let mut header = vec!["Hạng".to_string(), "Cơ quan".to_string()];
        header.extend(groups.iter().map(|g| g.name.clone()));
        header.extend(["Tổng (thang 100)".to_string(), "Xếp loại".to_string()]);
        let rows = ranked
            .iter()
            .enumerate()
            .map(|(i, (agency, total))| {
                let mut cells = vec![
                    vec![text(format!("{:02}", i + 1))],
                    vec![text(agency.short_name.clone())],
                ];
                for g in &groups {
                    cells.push(match measured(&g.id, Some(&agency.id)) {
                        Some(o) => vec![figure(format::decimal(o.value, 2), vec![source(o)])],
                        None => vec![text("–")],
                    });
                }
                cells.push(vec![figure(
                    format::decimal(total.value, 2),
                    vec![source(total)],
                )]);
                cells.push(vec![text(
                    total.note.split(';').next().unwrap_or_default().to_string(),
                )]);
                TableRow {
                    anchor: None,
                    cells,
                }
            })
            .collect();
        blocks.push(Block::Table { header, rows });
        let n = ranked.len();
        blocks.push(Block::Paragraph(vec![
            text("Cao nhất: "),
            Inline::Bold(ranked[0].0.short_name.clone()),
            text(format!(
                " ({} điểm); thấp nhất: ",
                format::decimal(ranked[0].1.value, 2)
            )),
            Inline::Bold(ranked[n - 1].0.short_name.clone()),
            text(format!(
                " ({} điểm); {} cơ quan có số liệu.",
                format::decimal(ranked[n - 1].1.value, 2),
                format::count(n as u64)
            )),
        ]));
    }

    // II. Measured indicators.
    blocks.push(Block::Heading(
        2,
        "II. Chỉ số đo lường theo cơ quan".to_string(),
    ));
    let mut header = vec!["Chỉ số".to_string(), "Toàn quốc".to_string()];
    header.extend(ranked.iter().take(10).map(|(a, _)| a.short_name.clone()));
    let rows = rates
        .iter()
        .map(|i| {
            let mut cells = vec![vec![text(format!("{} {}", i.code, i.name))]];
            for agency in std::iter::once(None)
                .chain(ranked.iter().take(10).map(|(a, _)| Some(a.id.as_str())))
            {
                cells.push(match measured(&i.id, agency) {
                    Some(o) => vec![figure(value_text(i, o), vec![source(o)])],
                    None => vec![text("–")],
                });
            }
            TableRow {
                anchor: None,
                cells,
            }
        })
        .collect();
    blocks.push(Block::Table { header, rows });
    if ranked.len() > 10 {
        blocks.push(Block::Paragraph(vec![text(format!("Bảng nêu 10 cơ quan đứng đầu; số liệu của cả {} cơ quan có trong cơ sở dữ liệu (`tiendo export`).", ranked.len()))]));
    }

    // III. Reconciliation.
    blocks.push(Block::Heading(
        2,
        "III. Đối chiếu số liệu tự khai với số liệu đo lường".to_string(),
    ));
    let found: Vec<_> = reconcile(data, request.tolerance)
        .into_iter()
        .filter(|d| d.declared.period == period)
        .collect();
    if found.is_empty() {
        blocks.push(Block::Paragraph(vec![text(format!(
            "Không có chỉ tiêu nào trong {} mà số liệu tự khai (hoặc trích từ báo cáo) lệch số liệu đo lường quá {} điểm.",
            period.label_vi(),
            format::decimal(request.tolerance, 2)
        ))]));
    } else {
        let header = [
            "Chỉ tiêu",
            "Cơ quan",
            "Tự khai / báo cáo",
            "Đo lường",
            "Chênh lệch",
        ]
        .map(str::to_string)
        .to_vec();
        let rows = found
            .iter()
            .map(|d| {
                let indicator = data
                    .indicators
                    .iter()
                    .find(|i| i.id == d.declared.indicator_id);
                let name = indicator.map_or_else(
                    || d.declared.indicator_id.clone(),
                    |i| format!("{} ({})", i.name, i.id),
                );
                let agency = d.declared.agency_id.as_deref().map_or_else(
                    || "Toàn quốc".to_string(),
                    |id| {
                        data.agency(id)
                            .map_or_else(|| id.to_string(), |a| a.short_name.clone())
                    },
                );
                let show = |o: &Observation| {
                    indicator.map_or_else(|| format::decimal(o.value, 2), |i| value_text(i, o))
                };
                TableRow {
                    anchor: None,
                    cells: vec![
                        vec![text(name)],
                        vec![text(agency)],
                        vec![figure(show(d.declared), vec![source(d.declared)])],
                        vec![figure(show(d.measured), vec![source(d.measured)])],
                        vec![text(format::change(
                            d.difference,
                            2,
                            if indicator.is_some_and(|i| i.is_rate()) {
                                "điểm phần trăm"
                            } else {
                                ""
                            },
                        ))],
                    ],
                }
            })
            .collect();
        blocks.push(Block::Table { header, rows });
    }
    Ok(Document {
        title: format!(
            "Chỉ số đo lường từ dữ liệu hồ sơ và {} {}",
            programme.short_name,
            period.label_vi()
        ),
        dates: format!("kỳ {}", period.label_vi()),
        letterhead: None,
        blocks,
    })
}
