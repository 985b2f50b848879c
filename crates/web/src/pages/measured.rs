//! The measured indicators page (`/measured`).

use std::collections::HashMap;

use axum::extract::Query;
use minijinja::context;

use crate::error::AppError;
use crate::page::{Page, PageResult, v};
use crate::params::parse_period;
use crate::views;

pub(super) async fn measured(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let view = views::measured_page(
        &data,
        period,
        q.get("scope").map(String::as_str),
        page.app.settings.measured_tolerance,
        page.lang,
    )
    .ok_or_else(|| {
        page.fail(AppError::not_found(
            "chương trình đo lường",
            "Measured programme",
        ))
    })?;
    page.ok("measured.html", "measured", context! { page => v(view) })
}
