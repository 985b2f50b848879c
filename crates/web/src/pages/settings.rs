//! A programme's document settings (`/reports/settings`).

use axum::Form;
use axum::extract::Query;
use axum::http::HeaderMap;
use minijinja::context;
use serde::Deserialize;
use tiendo_core::access::Action;

use crate::error::AppError;
use crate::page::{Page, PageResult, v};

#[derive(Deserialize)]
pub(super) struct SettingsQuery {
    programme: String,
}

/// A programme's document settings: what its reports say beyond the data (issuing body,
/// "Kính gửi", signer, "Nơi nhận"), for those who may issue its reports.
pub(super) async fn settings_page(page: Page, Query(q): Query<SettingsQuery>) -> PageResult {
    page.auth
        .may(&Action::Issue {
            programme_id: &q.programme,
        })
        .map_err(|e| page.fail(e))?;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let programme = data
        .programme(&q.programme)
        .ok_or_else(|| page.fail(AppError::not_found("chương trình", "Programme")))?;
    let (stored, version) = tiendo_store::report_settings::get(&page.app.store, &q.programme)
        .await
        .map_err(|e| page.fail(e))?;
    page.ok("settings.html", "reports", context! { programme => v(programme), settings => v(&stored), version => version, saved => false })
}

#[derive(Deserialize)]
pub(super) struct SettingsForm {
    csrf: Option<String>,
    programme: String,
    version: i64,
    #[serde(default)]
    parent_body: String,
    #[serde(default)]
    issuing_body: String,
    #[serde(default)]
    symbol: String,
    #[serde(default)]
    place: String,
    /// One per line.
    #[serde(default)]
    addressees: String,
    #[serde(default)]
    signer_authority: String,
    #[serde(default)]
    signer_title: String,
    #[serde(default)]
    signer_name: String,
    /// One per line.
    #[serde(default)]
    recipients: String,
    #[serde(default)]
    archive_unit: String,
}

/// Save a programme's document settings over the version the form was read at: a save
/// over someone else's is refused and says so.
pub(super) async fn save_settings(
    page: Page,
    headers: HeaderMap,
    Form(f): Form<SettingsForm>,
) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref())
        .map_err(|e| page.fail(e))?;
    a.may(&Action::Issue {
        programme_id: &f.programme,
    })
    .map_err(|e| page.fail(e))?;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let programme = data
        .programme(&f.programme)
        .ok_or_else(|| page.fail(AppError::not_found("chương trình", "Programme")))?;
    let lines = |text: &str| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let settings = tiendo_store::report_settings::DocumentSettings {
        programme_id: f.programme.clone(),
        parent_body: f.parent_body,
        issuing_body: f.issuing_body,
        symbol: f.symbol,
        place: f.place,
        addressees: lines(&f.addressees),
        signer_authority: f.signer_authority,
        signer_title: f.signer_title,
        signer_name: f.signer_name,
        recipients: lines(&f.recipients),
        archive_unit: f.archive_unit,
        updated_by: String::new(),
        updated_at: String::new(),
    };
    tiendo_store::report_settings::save(&page.app.store, &settings, f.version, &a.account.id)
        .await
        .map_err(|e| page.fail(e))?;
    let (stored, version) = tiendo_store::report_settings::get(&page.app.store, &f.programme)
        .await
        .map_err(|e| page.fail(e))?;
    page.ok("settings.html", "reports", context! { programme => v(programme), settings => v(&stored), version => version, saved => true })
}
