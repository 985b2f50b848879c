//! Review of the agencies' submissions and the periods open for entry (`/review`).

use axum::Form;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use minijinja::{Value, context};
use serde::Deserialize;
use tiendo_core::access::{Action, authorize};
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_store::Store;

use super::entry::EntryQuery;
use crate::error::{AppError, AppResult};
use crate::i18n::{Labels, Lang};
use crate::page::{Page, PageResult, v};
use crate::params::parse_period;
use tiendo_app::entry;

pub(super) async fn review_page(page: Page, Query(q): Query<EntryQuery>) -> PageResult {
    let a = &page.auth;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let may_review =
        |programme_id: &str| authorize(&a.principal, &Action::Review { programme_id }).is_ok();
    let programmes: Vec<_> = data
        .programmes
        .iter()
        .filter(|p| may_review(&p.id))
        .collect();
    if programmes.is_empty() {
        return Err(page.fail(tiendo_core::access::Denied::Role));
    }
    let mut periods = Vec::new();
    for v in page
        .app
        .store
        .rows(&tiendo_store::workflow::PERIOD_LOCKS)
        .await
        .map_err(|e| page.fail(e))?
    {
        let lock = tiendo_store::workflow::PeriodLock::from_row(&v.row);
        let Ok(period) = lock.period.parse::<Period>() else {
            continue;
        };
        let programme_id = lock.programme_id;
        if !may_review(&programme_id) {
            continue;
        }
        let state = if lock.locked { "locked" } else { "open" };
        let name = data
            .programme(&programme_id)
            .map_or(programme_id.clone(), |p| p.short_name.clone());
        let state_text = if state == "locked" {
            page.lang.pick("Đã khóa", "Locked")
        } else {
            page.lang.pick("Đang mở để nhập", "Open for entry")
        };
        periods.push(context! { programme_id => programme_id, programme => name, period => period.code(), label => page.lang.pick(&period.label_vi(), &period.label_en()).to_string(), state => state, state_text => state_text });
    }
    let chosen = match (
        &q.programme,
        parse_period(q.period.as_ref()).map_err(|e| page.fail(e))?,
    ) {
        (Some(p), Some(period)) => Some((p.clone(), period)),
        _ => entry::open_periods(&page.app.store)
            .await
            .map_err(|e| page.fail(e))?
            .into_iter()
            .find(|(p, _)| may_review(p)),
    };
    let Some((programme_id, period)) = chosen else {
        return page.ok(
            "review.html",
            "review",
            context! { periods => periods, programmes => v(&programmes) },
        );
    };
    a.may(&Action::Review {
        programme_id: &programme_id,
    })
    .map_err(|e| page.fail(e))?;
    let family: Vec<&str> = data
        .programme_family(&programme_id)
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let sent = tiendo_store::reminder::submissions_sent(&page.app.store, &programme_id, period)
        .await
        .map_err(|e| page.fail(e))?;
    let today = tiendo_core::clock::today_in_vietnam();
    let obligations = tiendo_core::obligation::obligations(&data, &family, period, &sent, today);
    let counted = tiendo_core::obligation::Completeness::of(&obligations);
    let (received, on_time) = (counted.sent, counted.on_time);
    let completeness: Vec<Value> = obligations
        .iter()
        .map(|o| {
            let status_text = page.lang.pick(o.state.label_vi(), o.state.label_en()).to_string();
            context! { agency_id => o.agency.id.clone(), agency => o.agency.short_name.clone(), expected => o.items.len(), status_text => status_text, submitted_on => o.submitted_on.map(tiendo_core::format::date), on_time => o.on_time(), deadline => tiendo_core::format::date(o.deadline) }
        })
        .collect();
    let mut submissions = Vec::new();
    for (agency_id, _, _) in &sent {
        let view = entry::submission(&page.app.store, agency_id, &programme_id, period, page.lang)
            .await
            .map_err(|e| page.fail(e))?;
        let name = data
            .agency(agency_id)
            .map_or(agency_id.clone(), |a| a.short_name.clone());
        let mut items = Vec::new();
        for item in &view.items {
            items.push(
                staged_item_view(&page.app.store, &data, item, page.lang)
                    .await
                    .map_err(|e| page.fail(e))?,
            );
        }
        submissions.push(context! { agency => name, items => items, ..v(&view) });
    }
    page.ok(
        "review.html",
        "review",
        context! { periods => periods, programmes => v(&programmes), programme_id => programme_id, period => period.code(), period_label => page.lang.pick(&period.label_vi(), &period.label_en()).to_string(),
            completeness => completeness, received => received, on_time => on_time, submissions => submissions },
    )
}

/// A staged entry as the reviewer reads it: what it is about by name (the indicator, the
/// task, the requirement), and each field in words with the value stored now and the value
/// entered.
async fn staged_item_view<S: Store>(
    store: &S,
    data: &Dataset,
    item: &entry::StagedItem,
    lang: Lang,
) -> AppResult<Value> {
    let entity = tiendo_store::workflow::entity(&item.entity);
    let stored = match entity {
        Some(e) => store
            .get(e, &item.record_key)
            .await?
            .map(|v| tiendo_app::records::row_object(e, &v.row)),
        None => None,
    };
    let first = item.record_key.split('|').next().unwrap_or_default();
    let subject = match item.entity.as_str() {
        "observations" | "targets" => data
            .indicators
            .iter()
            .find(|i| i.id == first)
            .map(|i| format!("{} {}", i.code, i.name)),
        "task_updates" | "assignment_updates" => {
            data.tasks.iter().find(|t| t.id == first).map(|t| {
                format!(
                    "{} {}: {}",
                    lang.pick("Nhiệm vụ", "Task"),
                    t.number,
                    t.title
                )
            })
        }
        "checklist_items" => data
            .checklist_requirements
            .iter()
            .find(|r| r.id == first)
            .map(|r| r.title.clone()),
        _ => None,
    }
    .unwrap_or_else(|| item.record_key.clone());
    let keys: Vec<&str> = entity
        .map(|e| e.columns.iter().filter(|c| c.key).map(|c| c.name).collect())
        .unwrap_or_default();
    let text = |v: Option<&serde_json::Value>, column: &str| {
        v.and_then(|v| v.as_str())
            .map(|s| lang.value_word(column, s).to_string())
            .unwrap_or_default()
    };
    let fields: Vec<(String, String, String)> = item
        .after
        .as_object()
        .map(|after| {
            after
                .iter()
                .filter(|(k, v)| {
                    k.as_str() != "provenance"
                        && !keys.contains(&k.as_str())
                        && v.as_str().is_some_and(|s| !s.is_empty())
                })
                .map(|(k, v)| {
                    (
                        lang.word(k).to_string(),
                        text(stored.as_ref().and_then(|s| s.get(k)), k),
                        text(Some(v), k),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(
        context! { entity => lang.word(&item.entity), subject => subject, fields => fields, edited_by => item.edited_by.clone(), edited_at => item.edited_at.as_deref().map(|t| lang.local_time(t)) },
    )
}

#[derive(Deserialize)]
pub(super) struct DecisionForm {
    csrf: Option<String>,
    programme: String,
    period: String,
    agency: String,
    decision: String,
    #[serde(default)]
    comment: String,
}

pub(super) async fn review_decide(
    page: Page,
    headers: HeaderMap,
    Form(f): Form<DecisionForm>,
) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref())
        .map_err(|e| page.fail(e))?;
    let period = parse_period(Some(&f.period))
        .map_err(|e| page.fail(e))?
        .ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    entry::review(
        &page.app,
        a,
        &f.agency,
        &f.programme,
        period,
        f.decision == "accept",
        &f.comment,
    )
    .await
    .map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!(
        "/review?programme={}&period={}",
        f.programme,
        period.code()
    ))
    .into_response())
}

#[derive(Deserialize)]
pub(super) struct SetPeriodForm {
    csrf: Option<String>,
    programme: String,
    period: String,
    locked: bool,
    #[serde(default)]
    reason: String,
}

pub(super) async fn set_period(
    page: Page,
    headers: HeaderMap,
    Form(f): Form<SetPeriodForm>,
) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref())
        .map_err(|e| page.fail(e))?;
    let period = parse_period(Some(&f.period))
        .map_err(|e| page.fail(e))?
        .ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    entry::set_period(&page.app, a, &f.programme, period, f.locked, &f.reason)
        .await
        .map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!(
        "/review?programme={}&period={}",
        f.programme,
        period.code()
    ))
    .into_response())
}
