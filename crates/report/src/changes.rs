//! What changed between two editions of a report: the figures that differ, and for each
//! the records it is drawn from, so that the journal entries that changed them (who, when,
//! why) can be listed beside it.
//!
//! The figures compared are those the report states: the task summary, the overdue tasks
//! by the month they fell due, each task's status (with its days late and, for a shared
//! task, its "x/N"), each indicator's national value for the period and each checklist
//! requirement's "x/N", group by group when it spans several.

use serde::Serialize;
use tiendo_core::clock;
use tiendo_core::model::Dataset;
use tiendo_core::status::{self, TaskCounts};
use tiendo_core::{checklist, format, indicator};

use crate::doc::{Block, Document, TableRow, text};
use crate::progress::{ReportError, ReportRequest, counts_line};

/// The records a figure is drawn from: an entity and the start of their keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordRef {
    pub entity: &'static str,
    pub key_prefix: String,
}

impl RecordRef {
    fn new(entity: &'static str, key_prefix: impl Into<String>) -> RecordRef {
        RecordRef {
            entity,
            key_prefix: key_prefix.into(),
        }
    }

    /// Whether a journal entry about (`entity`, `key`) touched these records.
    pub fn covers(&self, entity: &str, key: &str) -> bool {
        self.entity == entity
            && (key == self.key_prefix || key.starts_with(&format!("{}|", self.key_prefix)))
    }
}

/// A figure of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Stable across editions: `tasks`, `task:<id>`, `indicator:<id>`, `requirement:<id>`.
    pub id: String,
    pub label: String,
    pub value: String,
    pub records: Vec<RecordRef>,
}

/// The figures of the report a request would give.
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
    let family = data.programme_family(&programme.id);
    let ids: Vec<&str> = family.iter().map(|p| p.id.as_str()).collect();
    let views = status::task_views(data, &ids, dates.as_of);
    let mut out = vec![Figure {
        id: "tasks".into(),
        label: "Tổng hợp nhiệm vụ".into(),
        value: counts_line(&TaskCounts::of(&views)),
        records: Vec::new(),
    }];
    for (due_in, overdue) in status::overdue_cohorts(&views, dates.as_of) {
        out.push(Figure {
            id: format!("cohort:{}", due_in.code()),
            label: format!("Nhiệm vụ quá hạn, đến hạn trong {}", due_in.label_vi()),
            value: format::count(overdue.len() as u64),
            records: overdue
                .iter()
                .flat_map(|v| {
                    [
                        RecordRef::new("task_updates", &v.task.id),
                        RecordRef::new("assignment_updates", &v.task.id),
                    ]
                })
                .collect(),
        });
    }
    let mut tasks: Vec<_> = views.iter().collect();
    tasks.sort_by(|a, b| {
        (&a.task.programme_id, status::natural_key(&a.task.number))
            .cmp(&(&b.task.programme_id, status::natural_key(&b.task.number)))
    });
    for v in tasks {
        let mut value = v.status.label_vi().to_string();
        if let Some(days) = v.days_late {
            value.push_str(&format!(", {days} ngày"));
        }
        if v.reports_per_assignee(data) {
            let parts = tiendo_core::assignment::progress_phrase(&v.progress(data));
            value.push_str(&format!("; đã hoàn thành {parts}"));
        }
        let id = &v.task.id;
        out.push(Figure {
            id: format!("task:{id}"),
            label: format!("Nhiệm vụ {}: {}", v.task.number, v.task.title),
            value,
            records: vec![
                RecordRef::new("task_updates", id),
                RecordRef::new("assignment_updates", id),
                RecordRef::new("tasks", id),
                RecordRef::new("task_assignments", id),
            ],
        });
    }
    for ind in data
        .indicators
        .iter()
        .filter(|i| ids.contains(&i.programme_id.as_str()))
    {
        let value = indicator::national_value(data, ind, dates.period).map_or_else(
            || "chưa có số liệu".to_string(),
            |(v, _)| {
                if ind.unit == "%" {
                    format::percent(v, 2)
                } else {
                    format!("{} {}", format::decimal(v, 2), ind.unit)
                }
            },
        );
        out.push(Figure {
            id: format!("indicator:{}", ind.id),
            label: format!("Chỉ tiêu {} {}", ind.code, ind.name),
            value,
            records: vec![
                RecordRef::new("observations", &ind.id),
                RecordRef::new("indicators", &ind.id),
            ],
        });
    }
    for requirement in data
        .checklist_requirements
        .iter()
        .filter(|r| ids.contains(&r.programme_id.as_str()))
    {
        let result = checklist::evaluate(data, requirement, dates.as_of);
        let mut value = format!(
            "{}/{}",
            format::count(result.numerator() as u64),
            format::count(result.denominator() as u64)
        );
        if result.groups.len() > 1 {
            let parts: Vec<String> = result
                .groups
                .iter()
                .map(|g| format::of_total(g.numerator(), g.denominator(), &g.counted_as))
                .collect();
            value.push_str(&format!(" ({})", format::list_vi(&parts)));
        }
        out.push(Figure {
            id: format!("requirement:{}", requirement.id),
            label: requirement.title.clone(),
            value,
            records: vec![
                RecordRef::new("checklist_items", &requirement.id),
                RecordRef::new("exclusions", &requirement.id),
            ],
        });
    }
    Ok(out)
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
            let old = before
                .iter()
                .find(|b| b.id == a.id)
                .map(|b| b.value.clone());
            (old.as_deref() != Some(a.value.as_str())).then(|| FigureChange {
                id: a.id.clone(),
                label: a.label.clone(),
                before: old,
                after: Some(a.value.clone()),
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
                before: Some(b.value.clone()),
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
