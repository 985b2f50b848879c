//! The narrative of a programme's report for a period (`/narratives`).

use std::collections::HashMap;

use axum::Form;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use minijinja::{Value, context};
use serde::Deserialize;
use tiendo_core::access::Action;
use tiendo_core::period::Period;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::page::{Page, PageResult, v};
use crate::params::parse_period;

/// What the narrative page shows besides the texts.
#[derive(Default)]
struct NarrativeState {
    saved: bool,
    /// The record someone else saved meanwhile, when a save was refused.
    conflict: Option<tiendo_store::narrative::StoredNarrative>,
}

/// The sections of a narrative for the template: code, label and text.
fn section_views(narrative: &tiendo_report::Narrative, lang: Lang) -> Vec<Value> {
    tiendo_report::Section::ALL.iter().map(|s| context! { code => s.code(), label => lang.pick(s.label_vi(), s.label_en()), text => narrative.text(*s) }).collect()
}

/// The narrative page of a programme's period: the texts being edited (`edited`, or those
/// stored), the version they are based on, and the preview against the current records.
async fn narrative_view(
    page: &Page,
    target: Option<(String, Period)>,
    edited: Option<(tiendo_report::Narrative, i64)>,
    state: NarrativeState,
) -> PageResult {
    let a = &page.auth;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let editable: Vec<&tiendo_core::model::Programme> = data
        .programmes
        .iter()
        .filter(|p| {
            a.may(&Action::Edit {
                programme_id: &p.id,
            })
            .is_ok()
        })
        .collect();
    if editable.is_empty() {
        return Err(page.fail(tiendo_core::access::Denied::Role));
    }
    let Some((programme_id, period)) = target else {
        return page.ok(
            "narrative.html",
            "reports",
            context! { programmes => v(&editable) },
        );
    };
    a.may(&Action::Edit {
        programme_id: &programme_id,
    })
    .map_err(|e| page.fail(e))?;
    let programme = data
        .programme(&programme_id)
        .ok_or_else(|| page.fail(AppError::not_found("chương trình", "Programme")))?;
    let stored = tiendo_store::narrative::narrative(&page.app.store, &programme_id, &period.code())
        .await
        .map_err(|e| page.fail(e))?;
    let (narrative, version) = edited.unwrap_or_else(|| (stored.narrative.clone(), stored.version));
    let preview = crate::narratives::preview(&data, &programme_id, period, &narrative, page.lang)
        .map_err(|e| page.fail(e))?;
    let conflict = state.conflict.map(|c| context! { sections => section_views(&c.narrative, page.lang), updated_by => c.updated_by, updated_at => page.lang.local_time(&c.updated_at) });
    page.ok(
        "narrative.html",
        "reports",
        context! {
            programmes => v(&editable),
            programme_id => &programme_id,
            programme_name => &programme.name,
            period => period.code(),
            period_label => page.lang.pick(&period.label_vi(), &period.label_en()).to_string(),
            version => version,
            updated_by => &stored.updated_by,
            updated_at => page.lang.local_time(&stored.updated_at),
            sections => section_views(&narrative, page.lang),
            preview => preview.html,
            problems => preview.problems,
            saved => state.saved,
            conflict => conflict,
        },
    )
}

/// "Phần nhận định": the secretariat writes the narrative of a programme's report for a period.
pub(super) async fn narrative_page(
    page: Page,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let target = q
        .get("programme")
        .filter(|p| !p.is_empty())
        .cloned()
        .zip(period);
    narrative_view(
        &page,
        target,
        None,
        NarrativeState {
            saved: q.contains_key("saved"),
            conflict: None,
        },
    )
    .await
}

#[derive(Deserialize)]
pub(super) struct NarrativeForm {
    csrf: Option<String>,
    programme: String,
    period: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    action: String,
    #[serde(default)]
    highlights: String,
    #[serde(default)]
    results: String,
    #[serde(default)]
    shortcomings: String,
    #[serde(default)]
    next_tasks: String,
    #[serde(default)]
    recommendations: String,
}

/// Preview the texts, or save them with the version they were based on; a stale version
/// keeps the writer's texts on the page beside the record saved meanwhile.
pub(super) async fn narrative_post(
    page: Page,
    headers: HeaderMap,
    Form(f): Form<NarrativeForm>,
) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref())
        .map_err(|e| page.fail(e))?;
    a.may(&Action::Edit {
        programme_id: &f.programme,
    })
    .map_err(|e| page.fail(e))?;
    let period = parse_period(Some(&f.period))
        .map_err(|e| page.fail(e))?
        .ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    // Browsers send a textarea's lines ended by CR LF.
    let lines = |text: String| text.replace("\r\n", "\n");
    let narrative = tiendo_report::Narrative {
        highlights: lines(f.highlights),
        results: lines(f.results),
        shortcomings: lines(f.shortcomings),
        next_tasks: lines(f.next_tasks),
        recommendations: lines(f.recommendations),
    };
    let target = Some((f.programme.clone(), period));
    if f.action != "save" {
        return narrative_view(
            &page,
            target,
            Some((narrative, f.version)),
            NarrativeState::default(),
        )
        .await;
    }
    if page
        .app
        .data()
        .await
        .map_err(|e| page.fail(e))?
        .programme(&f.programme)
        .is_none()
    {
        return Err(page.fail(AppError::not_found("chương trình", "Programme")));
    }
    match tiendo_store::narrative::save(
        &page.app.store,
        &f.programme,
        &period.code(),
        &narrative,
        f.version,
        &a.account.id,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/narratives?programme={}&period={}&saved=1",
            f.programme,
            period.code()
        ))
        .into_response()),
        Err(tiendo_store::StoreError::Conflict { .. }) => {
            let current =
                tiendo_store::narrative::narrative(&page.app.store, &f.programme, &period.code())
                    .await
                    .map_err(|e| page.fail(e))?;
            let version = current.version;
            let response = narrative_view(
                &page,
                target,
                Some((narrative, version)),
                NarrativeState {
                    saved: false,
                    conflict: Some(current),
                },
            )
            .await?;
            Ok((StatusCode::CONFLICT, response).into_response())
        }
        Err(e) => Err(page.fail(e)),
    }
}
