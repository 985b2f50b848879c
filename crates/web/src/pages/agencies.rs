//! The agency index and an agency's page (`/agencies`).

use std::collections::HashMap;

use axum::extract::{Path, Query};
use minijinja::context;

use crate::error::AppError;
use crate::page::{Page, PageResult, v};
use crate::params::parse_date;
use crate::views;

pub(super) async fn agencies(page: Page) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    page.ok("agencies.html", "agencies", context! { index => views::agency_index(&data, tiendo_core::clock::today_in_vietnam()) })
}

pub(super) async fn agency(page: Page, Path(id): Path<String>, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let as_of = parse_date(q.get("as_of")).map_err(|e| page.fail(e))?;
    let view = views::agency_page(&data, &id, as_of, page.lang).ok_or_else(|| page.fail(AppError::not_found("cơ quan", "Agency")))?;
    page.ok("agency.html", "agencies", context! { page => v(view) })
}
