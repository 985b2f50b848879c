//! The reports page: reports to draw in every format, issued editions, issuing one
//! (`/reports`).

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect};
use minijinja::{Value, context};
use serde::Deserialize;
use tiendo_core::access::Action;
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;

use crate::editions::{self, EditionDetail, EditionView, IssueBody};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::page::{Page, PageResult, v};
use crate::params::{parse_date, parse_period};

/// Every (programme, period) with data, newest first.
fn periods_with_data(data: &Dataset, lang: Lang) -> Vec<Value> {
    let mut out = Vec::new();
    for p in data.programmes.iter().filter(|p| p.parent_id.is_none()) {
        let family = data.programme_family(&p.id);
        let ids: Vec<&str> = family.iter().map(|p| p.id.as_str()).collect();
        let mut periods: Vec<Period> = data
            .observations
            .iter()
            .filter(|o| {
                data.indicators
                    .iter()
                    .any(|i| i.id == o.indicator_id && ids.contains(&i.programme_id.as_str()))
            })
            .map(|o| o.period)
            .chain(
                data.task_updates
                    .iter()
                    .filter(|u| {
                        data.tasks
                            .iter()
                            .any(|t| t.id == u.task_id && ids.contains(&t.programme_id.as_str()))
                    })
                    .map(|u| u.period),
            )
            .collect();
        periods.sort();
        periods.dedup();
        for period in periods.into_iter().rev() {
            out.push(context! { programme_id => &p.id, programme => &p.name, period => period.code(), label => lang.pick(&period.label_vi(), &period.label_en()).to_string() });
        }
    }
    out
}

pub(super) async fn reports(page: Page) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let issued: Vec<EditionView> = tiendo_store::edition::editions(&page.app.store, None)
        .await
        .map_err(|e| page.fail(e))?
        .iter()
        .rev()
        .map(EditionView::of)
        .collect();
    let auth = &page.auth;
    let may_issue: Vec<&tiendo_core::model::Programme> = data
        .programmes
        .iter()
        .filter(|p| {
            p.parent_id.is_none()
                && auth
                    .may(&Action::Issue {
                        programme_id: &p.id,
                    })
                    .is_ok()
        })
        .collect();
    let may_write = data.programmes.iter().any(|p| {
        auth.may(&Action::Edit {
            programme_id: &p.id,
        })
        .is_ok()
    });
    page.ok(
        "reports.html",
        "reports",
        context! { programmes => v(&data.programmes), periods => periods_with_data(&data, page.lang), issued => v(&issued), may_issue => v(&may_issue), may_write => may_write, today => tiendo_core::clock::today_in_vietnam().to_string(), formats => v(tiendo_app::editions::FORMATS) },
    )
}

#[derive(Deserialize)]
pub(super) struct IssueForm {
    csrf: Option<String>,
    programme: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    number: String,
    date: Option<String>,
    #[serde(default)]
    signer_name: String,
    /// One per line.
    #[serde(default)]
    recipients: String,
    #[serde(default)]
    replaces: String,
    public_from: Option<String>,
}

/// "Ban hành": issue an edition from the reports page (and publish it when a day is
/// given), then show it.
pub(super) async fn issue_edition(
    page: Page,
    headers: HeaderMap,
    Form(f): Form<IssueForm>,
) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref())
        .map_err(|e| page.fail(e))?;
    a.may(&Action::Issue {
        programme_id: &f.programme,
    })
    .map_err(|e| page.fail(e))?;
    let date = parse_date(f.date.as_ref()).map_err(|e| page.fail(e))?;
    let public_from = parse_date(f.public_from.as_ref()).map_err(|e| page.fail(e))?;
    let body = IssueBody {
        programme: f.programme,
        period: Some(f.period),
        number: Some(f.number),
        date,
        signer_name: Some(f.signer_name),
        recipients: f.recipients.lines().map(str::to_string).collect(),
        replaces: Some(f.replaces),
        public_from,
        ..Default::default()
    };
    let drawn = tiendo_app::editions::issue(
        &page.app.store,
        body.request().map_err(|e| page.fail(e))?,
        &a.account.id,
    )
    .await
    .map_err(|e| page.fail(e))?;
    if let Some(day) = public_from {
        tiendo_store::publication::publish(&page.app.store, &drawn.edition.id, day, &a.account.id)
            .await
            .map_err(|e| page.fail(AppError::from(e)))?;
        page.app.public.invalidate();
    }
    Ok(Redirect::to(&format!("/reports/editions/{}", drawn.edition.id)).into_response())
}

/// An issued edition: its record, its files with their SHA-256, and what changed since the
/// edition before it.
pub(super) async fn edition_page(page: Page, Path(id): Path<String>) -> PageResult {
    let drawn = tiendo_app::editions::draw_again(&page.app.store, &id)
        .await
        .map_err(|e| page.fail(e))?;
    page.ok(
        "edition.html",
        "reports",
        context! { detail => v(EditionDetail::of(&drawn)) },
    )
}

pub(super) async fn render_report(
    page: Page,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let programme_id = q.get("programme").cloned().unwrap_or_default();
    let period = parse_period(q.get("period"))
        .map_err(|e| page.fail(e))?
        .ok_or_else(|| {
            page.fail(AppError::invalid(
                "period",
                "Cần chọn kỳ báo cáo.",
                "Choose a period.",
            ))
        })?;
    let doc = editions::report(&page.app, &data, &programme_id, period)
        .await
        .map_err(|e| page.fail(e))?;
    let format = q.get("format").map_or("html", String::as_str);
    let (body, kind) =
        tiendo_app::editions::render_format(&page.app.store, &data, &doc, &programme_id, format)
            .await
            .map_err(|e| page.fail(e))?
            .ok_or_else(|| {
                page.fail(AppError::invalid(
                    "format",
                    format!("Không có định dạng \"{format}\" (html, md, docx, pdf, xlsx)."),
                    format!("No format \"{format}\" (html, md, docx, pdf, xlsx)."),
                ))
            })?;
    let shown_inline = matches!(format, "html" | "md");
    let disposition = format!(
        "{}; filename=\"bao-cao-{programme_id}-{}.{format}\"",
        if shown_inline { "inline" } else { "attachment" },
        period.code()
    );
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .map_err(|e| page.fail(AppError::internal(e)))?,
            ),
        ],
        body,
    )
        .into_response())
}
