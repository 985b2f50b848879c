//! The task list and its filters.

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::model::Dataset;
use tiendo_core::status::{self, TaskStatus};
use tiendo_core::{clock, format};
use utoipa::ToSchema;

use super::{TaskRow, assignee_id, status_code, task_row};
use crate::i18n::Lang;

/// Filters of the task list; every field is optional.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    /// Programme id (its sub-programmes are included).
    pub programme: Option<String>,
    /// Lead agency or group id.
    pub lead: Option<String>,
    /// Derived status code, e.g. `overdue`, `in_progress`, `done_on_time`; `done` matches every done status.
    pub status: Option<String>,
    /// Only overdue tasks.
    pub overdue: Option<bool>,
    /// Due on or after (YYYY-MM-DD).
    pub due_from: Option<NaiveDate>,
    /// Due on or before (YYYY-MM-DD).
    pub due_to: Option<NaiveDate>,
    /// As-of date for derived statuses (default: for each task, the end of its programme's
    /// latest reporting period).
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskList {
    /// The as-of date of the statuses: the one asked or the one every listed task
    /// shares; none when the tasks' programmes are at different dates (each row has its own).
    pub as_of: Option<String>,
    /// The same in words: "trạng thái tính đến ngày 31/5/2024", or "trạng thái của mỗi
    /// nhiệm vụ tính đến cuối kỳ báo cáo gần nhất của chương trình".
    pub as_of_text: String,
    pub total: usize,
    pub tasks: Vec<TaskRow>,
}

pub fn task_list(data: &Dataset, filter: &TaskFilter, lang: Lang) -> TaskList {
    let programme_ids: Vec<&str> = match &filter.programme {
        Some(p) if !p.is_empty() => data
            .programme_family(p)
            .iter()
            .map(|p| p.id.as_str())
            .collect(),
        _ => data.programmes.iter().map(|p| p.id.as_str()).collect(),
    };
    let views = status::task_views_dated(
        data,
        &programme_ids,
        filter.as_of,
        clock::today_in_vietnam(),
    );
    let dates: std::collections::BTreeSet<NaiveDate> = views.iter().map(|v| v.as_of).collect();
    let as_of = match (filter.as_of, dates.len()) {
        (Some(date), _) => Some(date),
        (None, 1) => dates.first().copied(),
        _ => None,
    };
    let as_of_text = match as_of {
        Some(date) => format!(
            "{} {}",
            lang.pick("trạng thái tính đến ngày", "status as of"),
            format::date(date)
        ),
        None => lang
            .pick(
                "trạng thái của mỗi nhiệm vụ tính đến cuối kỳ báo cáo gần nhất của chương trình",
                "each task's status as of the end of its programme's latest reporting period",
            )
            .to_string(),
    };
    let as_of = as_of.map(format::date);
    let tasks: Vec<TaskRow> = views
        .iter()
        .filter(|v| {
            filter.lead.as_deref().is_none_or(|l| {
                l.is_empty() || data.leads_of(v.task).iter().any(|a| assignee_id(a) == l)
            })
        })
        .filter(|v| match filter.status.as_deref() {
            None | Some("") => true,
            Some("done") => v.status.is_done(),
            Some(code) => status_code(v.status) == code,
        })
        .filter(|v| filter.overdue != Some(true) || v.status == TaskStatus::Overdue)
        .filter(|v| {
            filter
                .due_from
                .is_none_or(|f| v.due.is_some_and(|d| d >= f))
        })
        .filter(|v| filter.due_to.is_none_or(|t| v.due.is_some_and(|d| d <= t)))
        .map(|v| task_row(data, v, lang))
        .collect();
    TaskList {
        as_of,
        as_of_text,
        total: tasks.len(),
        tasks,
    }
}
