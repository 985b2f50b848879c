//! The agency index and an agency's page (`/agencies`).

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
    page.ok("agency.html", "agencies", context! { page => v(view) })
}
