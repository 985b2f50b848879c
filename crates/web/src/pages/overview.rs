//! The overview page (`/`).

use std::collections::HashMap;

use axum::extract::Query;
use minijinja::context;

use crate::page::{Page, PageResult, v};
use crate::params::parse_period;
use crate::views;

pub(super) async fn overview(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let overview = views::cached_overview(&page.app, period, page.lang)
        .await
        .map_err(|e| page.fail(e))?;
    page.ok(
        "overview.html",
        "overview",
        context! { overview => v(&*overview) },
    )
}
