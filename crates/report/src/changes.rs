//! What changed between two editions of a report: the figures that differ, and for each
//! the records it is drawn from, so that the journal entries that changed them (who, when,
//! why) can be listed beside it.
//!
//! The figures compared are those the report states, as the core lists and words them
//! ([`tiendo_core::figure::figures`]): an edition's "what changed" compares two such
//! lists, so it cannot miss a figure the report states.

use serde::Serialize;
use tiendo_core::clock;
use tiendo_core::model::Dataset;

pub use tiendo_core::figure::{Figure, RecordRef};

use crate::doc::{Block, Document, TableRow, text};
use crate::progress::{ReportError, ReportRequest};

/// The figures of the report a request would give ([`tiendo_core::figure::figures`]).
pub fn figures(data: &Dataset, request: &ReportRequest) -> Result<Vec<Figure>, ReportError> {
    let programme = data
        .programme(&request.programme_id)
        .ok_or_else(|| ReportError::UnknownProgramme(request.programme_id.clone()))?;
    let dates = clock::programme_dates(
        data,
        programme,
        request.period,
        request.as_of,
        request.known_on.unwrap_or_else(clock::today_in_vietnam),
    );
    Ok(tiendo_core::figure::figures(data, programme, &dates))
}

/// A figure that differs between two editions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureChange {
    pub id: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub records: Vec<RecordRef>,
}

/// The figures that differ, in the order of the newer edition (then those it no longer has).
pub fn changed(before: &[Figure], after: &[Figure]) -> Vec<FigureChange> {
    let mut out: Vec<FigureChange> = after
        .iter()
        .filter_map(|a| {
            let old = before.iter().find(|b| b.id == a.id).map(|b| b.text.clone());
            (old.as_deref() != Some(a.text.as_str())).then(|| FigureChange {
                id: a.id.clone(),
                label: a.label.clone(),
                before: old,
                after: Some(a.text.clone()),
                records: a.records.clone(),
            })
        })
        .collect();
    out.extend(
        before
            .iter()
            .filter(|b| after.iter().all(|a| a.id != b.id))
            .map(|b| FigureChange {
                id: b.id.clone(),
                label: b.label.clone(),
                before: Some(b.text.clone()),
                after: None,
                records: b.records.clone(),
            }),
    );
    out
}

/// A journal entry that changed a record, as the changes section shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRecord {
    pub entity: String,
    pub key: String,
    pub actor: String,
    /// When, already in words (Vietnam's time).
    pub at: String,
    pub reason: String,
}

/// The journal entries behind a changed figure.
pub fn records_of<'a>(change: &FigureChange, journal: &'a [ChangeRecord]) -> Vec<&'a ChangeRecord> {
    journal
        .iter()
        .filter(|r| change.records.iter().any(|f| f.covers(&r.entity, &r.key)))
        .collect()
}

/// Append "Những thay đổi so với bản trước" to a report: one row per changed figure, with
/// the journal entries that changed its records.
pub fn append_changes_section(
    doc: &mut Document,
    previous: &str,
    changes: &[FigureChange],
    journal: &[ChangeRecord],
) {
    doc.blocks.push(Block::Heading(
        2,
        format!("Những thay đổi so với bản {previous}"),
    ));
    if changes.is_empty() {
        doc.blocks.push(Block::Paragraph(vec![text(
            "Không có số liệu nào thay đổi.",
        )]));
        return;
    }
    let rows = changes
        .iter()
        .map(|c| {
            let by: Vec<String> = records_of(c, journal)
                .iter()
                .map(|r| {
                    format!(
                        "{} ({}, {}): {}",
                        r.actor,
                        r.at,
                        r.entity,
                        if r.reason.is_empty() {
                            "không ghi lý do"
                        } else {
                            &r.reason
                        }
                    )
                })
                .collect();
            let cells = [
                c.label.clone(),
                c.before.clone().unwrap_or_else(|| "—".into()),
                c.after.clone().unwrap_or_else(|| "—".into()),
                if by.is_empty() {
                    "(do thay đổi ngày tính hoặc số liệu liên quan)".into()
                } else {
                    by.join("; ")
                },
            ];
            TableRow {
                anchor: None,
                cells: cells.into_iter().map(|c| vec![text(c)]).collect(),
            }
        })
        .collect();
    doc.blocks.push(Block::Table {
        header: vec![
            "Số liệu".into(),
            "Bản trước".into(),
            "Bản này".into(),
            "Thay đổi bởi".into(),
        ],
        rows,
    });
}
