//! A programme's page (`/programmes/{id}`).

use std::collections::HashMap;

use axum::extract::{Path, Query};
use minijinja::context;

use crate::error::AppError;
use crate::page::{Page, PageResult, v};
use crate::params::parse_period;
use crate::views;

pub(super) async fn programme(
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let view = views::programme_page(&data, &id, period, page.lang)
        .ok_or_else(|| page.fail(AppError::not_found("chương trình", "Programme")))?;
    page.ok("programme.html", "overview", context! { page => v(view) })
}
