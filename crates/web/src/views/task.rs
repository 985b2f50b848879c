//! A task's page: its row, programme, legal basis and reported updates.

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::model::Dataset;
use tiendo_core::{clock, format, status};
use utoipa::ToSchema;

use super::{TaskRow, period_label, reported_status_text, task_row};
use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UpdateRow {
    pub period: String,
    pub period_label: String,
    pub reported_on: String,
    pub status: String,
    /// The status as reported, in words.
    pub status_text: String,
    pub completed_on: Option<String>,
    pub result: String,
    pub provenance: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskDetail {
    pub task: TaskRow,
    pub programme: String,
    pub coordinating: Vec<String>,
    pub legal_basis: Vec<String>,
    pub provenance: String,
    pub updates: Vec<UpdateRow>,
}

/// A task at `as_of`, or at its programme's dates ([`clock`]).
pub fn task_detail(
    data: &Dataset,
    id: &str,
    as_of: Option<NaiveDate>,
    lang: Lang,
) -> Option<TaskDetail> {
    let task = data.tasks.iter().find(|t| t.id == id)?;
    let views = status::task_views_dated(
        data,
        &[task.programme_id.as_str()],
        as_of,
        clock::today_in_vietnam(),
    );
    let view = views.iter().find(|v| v.task.id == id)?;
    let mut updates: Vec<UpdateRow> = data
        .task_updates
        .iter()
        .filter(|u| u.task_id == id)
        .map(|u| UpdateRow {
            period: u.period.code(),
            period_label: period_label(u.period, lang),
            reported_on: format::date(u.reported_on),
            status: u.status.code().to_string(),
            status_text: reported_status_text(u.status, lang).to_string(),
            completed_on: u.completed_on.map(format::date),
            result: u.result.clone(),
            provenance: u.provenance.clone(),
        })
        .collect();
    updates.reverse();
    Some(TaskDetail {
        task: task_row(data, view, lang),
        programme: data
            .programme(&task.programme_id)
            .map_or_else(|| task.programme_id.clone(), |p| p.name.clone()),
        coordinating: data
            .coordinating_of(task)
            .iter()
            .map(|a| data.assignee_name(a))
            .collect(),
        legal_basis: task
            .legal_basis
            .iter()
            .map(|d| {
                data.legal_document(d)
                    .map_or_else(|| d.clone(), |d| format!("{} {}", d.number, d.title))
            })
            .collect(),
        provenance: task.provenance.clone(),
        updates,
    })
}
