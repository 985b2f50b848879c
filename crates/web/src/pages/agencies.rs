//! The agency index, an agency's page (`/agencies`) and a group's (`/groups`).

use std::collections::HashMap;

use axum::extract::{Path, Query};
use minijinja::context;

use crate::error::AppError;
use crate::page::{Page, PageResult, v};
use crate::params::parse_date;
use crate::views;

/// The agencies that existed on `?date=` (default today), with the reorganisations'
/// dates one tap away.
pub(super) async fn agencies(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let date = parse_date(q.get("date"))
        .map_err(|e| page.fail(e))?
        .unwrap_or_else(tiendo_core::clock::today_in_vietnam);
    page.ok(
        "agencies.html",
        "agencies",
        context! { directory => v(views::agency_directory(&data, date, page.lang)) },
    )
}

pub(super) async fn agency(
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let as_of = parse_date(q.get("as_of")).map_err(|e| page.fail(e))?;
    let view = views::agency_page(&data, &id, as_of, page.lang)
        .ok_or_else(|| page.fail(AppError::not_found("cơ quan", "Agency")))?;
    let owed = owed_now(&page, &data, &id).await?;
    page.ok(
        "agency.html",
        "agencies",
        context! { page => v(view), owed => owed },
    )
}

/// A group's page (`/groups/{id}`): its members and each member's part of the tasks
/// given to the group.
pub(super) async fn group(
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let date = parse_date(q.get("date")).map_err(|e| page.fail(e))?;
    let view = views::group_page(&data, &id, date, page.lang)
        .ok_or_else(|| page.fail(AppError::not_found("nhóm cơ quan", "Group")))?;
    page.ok("group.html", "agencies", context! { page => v(view) })
}

/// What the agency owes in the periods open for reporting, in what state: the same
/// obligations the entry page, the template, the review page and the chasing page read.
async fn owed_now(
    page: &Page,
    data: &tiendo_core::model::Dataset,
    agency_id: &str,
) -> Result<Vec<minijinja::Value>, crate::page::PageError> {
    let today = tiendo_core::clock::today_in_vietnam();
    let mut owed = Vec::new();
    for (programme_id, period) in &data.open_periods {
        let family: Vec<&str> = data
            .programme_family(programme_id)
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        let sent = tiendo_store::reminder::submissions_sent(&page.app.store, programme_id, *period)
            .await
            .map_err(|e| page.fail(e))?;
        let Some(o) =
            tiendo_core::obligation::obligation_of(data, &family, agency_id, *period, &sent, today)
        else {
            continue;
        };
        let programme = data
            .programme(programme_id)
            .map_or(programme_id.as_str(), |p| p.short_name.as_str());
        let lang = page.lang;
        owed.push(context! {
            key => format!("{programme_id}|{}", period.code()),
            programme => programme,
            period => lang.pick(&period.label_vi(), &period.label_en()).to_string(),
            tasks => o.items.tasks.len(),
            indicators => o.items.indicators.len(),
            requirements => o.items.requirements.len(),
            items => o.items.len(),
            deadline => tiendo_core::format::date(o.deadline),
            state => o.state.code(),
            state_text => lang.pick(o.state.label_vi(), o.state.label_en()),
        });
    }
    Ok(owed)
}
