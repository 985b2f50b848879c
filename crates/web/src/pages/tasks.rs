//! The task list with its filters (`/tasks`).

use std::collections::HashMap;

use axum::extract::Query;
use minijinja::context;
use tiendo_core::model::Dataset;
use tiendo_core::status::TaskStatus;

use crate::error::AppError;
use crate::i18n::{Labels, Lang};
use crate::page::{Page, PageResult, v};
use crate::views;

fn status_options(lang: Lang) -> Vec<(String, String)> {
    let mut out = vec![("done".to_string(), lang.label("done").to_string())];
    for s in [
        TaskStatus::DoneEarly,
        TaskStatus::DoneOnTime,
        TaskStatus::DoneLate,
        TaskStatus::InProgress,
        TaskStatus::NotStarted,
        TaskStatus::Overdue,
        TaskStatus::NoDueDate,
        TaskStatus::NotApplicable,
        TaskStatus::NoReport,
    ] {
        out.push((
            views::status_code(s).to_string(),
            lang.pick(s.label_vi(), s.label_en()).to_string(),
        ));
    }
    out
}

fn lead_options(data: &Dataset) -> Vec<(String, String)> {
    let mut leads: Vec<(String, String)> = data
        .tasks
        .iter()
        .flat_map(|t| data.leads_of(t))
        .map(|lead| {
            let name = data.assignee_name(&lead);
            match lead {
                tiendo_core::model::Assignee::Agency(id)
                | tiendo_core::model::Assignee::Group(id) => (id, name),
            }
        })
        .collect();
    leads.sort_by(|a, b| a.1.cmp(&b.1));
    leads.dedup();
    leads
}

pub(super) async fn tasks(page: Page, Query(mut q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    // The filter form sends every field; an empty one means "any".
    q.retain(|_, value| !value.trim().is_empty());
    let query = serde_urlencoded::to_string(&q).unwrap_or_default();
    let filter: views::TaskFilter = serde_urlencoded::from_str::<views::TaskFilter>(&query)
        .map_err(|e| {
            page.fail(AppError::invalid(
                "filter",
                format!("Bộ lọc không hợp lệ: {e}"),
                format!("Invalid filter: {e}"),
            ))
        })?;
    let list = views::task_list(&data, &filter, page.lang);
    let leads = lead_options(&data);
    let statuses = status_options(page.lang);
    let named = |options: &[(String, String)], chosen: &Option<String>| {
        chosen
            .as_ref()
            .and_then(|c| options.iter().find(|(id, _)| id == c))
            .map(|(_, name)| name.clone())
    };
    let programme_options: Vec<(String, String)> = data
        .programmes
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                if p.short_name.is_empty() {
                    p.name.clone()
                } else {
                    p.short_name.clone()
                },
            )
        })
        .collect();
    let due = match (filter.due_from, filter.due_to) {
        (None, None) => None,
        (from, to) => Some(format!(
            "{} {} {}",
            page.lang.pick("hạn", "due"),
            from.map_or_else(String::new, |d| format!(
                "{} {}",
                page.lang.pick("từ", "from"),
                tiendo_core::format::date(d)
            )),
            to.map_or_else(String::new, |d| format!(
                "{} {}",
                page.lang.pick("đến", "to"),
                tiendo_core::format::date(d)
            ))
        )),
    };
    // What the folded filter panel says it holds, so nobody has to open it to know.
    let active: Vec<String> = [
        named(&programme_options, &filter.programme),
        named(&leads, &filter.lead),
        named(&statuses, &filter.status),
        due,
    ]
    .into_iter()
    .flatten()
    .map(|text| text.trim().to_string())
    .collect();
    let filter_ctx = context! { programme => filter.programme, lead => filter.lead, status => filter.status, due_from => filter.due_from.map(|d| d.to_string()), due_to => filter.due_to.map(|d| d.to_string()) };
    page.ok("tasks.html", "tasks", context! { list => v(list), filter => filter_ctx, programmes => v(&data.programmes), leads => leads, statuses => statuses, active => active })
}
