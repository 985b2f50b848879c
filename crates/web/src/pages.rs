//! The server-rendered pages. Each handler builds a view model ([`crate::views`]) or calls
//! an operation ([`crate::entry`]) and renders a template from `templates/`, which are
//! compiled into the binary.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use serde::Deserialize;
use tiendo_core::access::{Action, Role};
use tiendo_core::model::{Dataset, ReportedStatus};
use tiendo_core::period::Period;
use tiendo_core::status::TaskStatus;
use tiendo_core::submission::{self, SubmissionStatus};
use tiendo_exchange::records::{CHECKLIST_ITEMS, Entity, OBSERVATIONS, TASK_UPDATES};
use tiendo_store::workflow::SUBMISSIONS;
use tiendo_store::{JournalEntry, Store};

use crate::auth::{self, Auth, MaybeAuth};
use crate::editions::{self, EditionDetail, EditionView, IssueBody};
use crate::entry::{self, Entry, PeriodState};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::page::{Guest, Page, PageResult, v};
use crate::params::{parse_date, parse_period};
use crate::state::App;
use crate::views;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(overview))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/lang/{code}", get(set_lang))
        .route("/programmes/{id}", get(programme))
        .route("/tasks", get(tasks))
        .route("/tasks/{id}", get(task))
        .route("/history", get(history))
        .route("/indicators/{id}", get(indicator))
        .route("/agencies", get(agencies))
        .route("/agencies/{id}", get(agency))
        .route("/measured", get(measured))
        .route("/reports", get(reports))
        .route("/reports/render", get(render_report))
        .route("/reports/issue", post(issue_edition))
        .route("/reports/settings", get(settings_page).post(save_settings))
        .route("/reports/editions/{id}", get(edition_page))
        .route("/narratives", get(narrative_page).post(narrative_post))
        .route("/entry", get(entry_page))
        .route("/entry/task", post(entry_task))
        .route("/entry/indicator", post(entry_indicator))
        .route("/entry/checklist", post(entry_checklist).layer(axum::extract::DefaultBodyLimit::max(entry::EVIDENCE_LIMIT + (1 << 20))))
        .route("/entry/submit", post(entry_submit))
        .route("/evidence/{sha}", get(evidence))
        .route("/review", get(review_page))
        .route("/review/decide", post(review_decide))
        .route("/periods", post(set_period))
        .merge(crate::urge::routes())
}

async fn overview(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let overview = views::cached_overview(&page.app, period, page.lang).await.map_err(|e| page.fail(e))?;
    page.ok("overview.html", "overview", context! { overview => v(&*overview) })
}

async fn login_form(guest: Guest) -> PageResult {
    guest.ok("login.html", "login", context! { username => "" })
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

async fn login(guest: Guest, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let Ok(form) = serde_urlencoded::from_bytes::<LoginForm>(&bytes) else {
        return guest.fail(AppError::invalid("username", "Thiếu tên đăng nhập hoặc mật khẩu.", "Missing user name or password.")).into_response();
    };
    let old = auth::cookie(&parts.headers, auth::SESSION_COOKIE);
    match auth::sign_in(&guest.app, &auth::peer(&parts), form.username.trim(), &form.password, old).await {
        Ok(token) => {
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().insert(header::SET_COOKIE, auth::session_cookie(&guest.app, &token));
            response
        }
        Err(e) => {
            let message = guest.lang.pick(&e.body.message_vi, &e.body.message_en).to_string();
            match guest.render("login.html", "login", context! { error => message, username => form.username }) {
                Ok(html) => (e.status, Html(html)).into_response(),
                Err(e) => e.into_response(),
            }
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(State(app): State<Arc<App>>, auth: MaybeAuth, headers: HeaderMap, Form(form): Form<CsrfForm>) -> Response {
    if let (Some(a), Some(token)) = (&auth.0, auth::cookie(&headers, auth::SESSION_COOKIE)) {
        if let Err(e) = a.check_csrf(&headers, form.csrf.as_deref()) {
            return e.into_response();
        }
        if let Err(e) = auth::sign_out(&app, token).await {
            return e.into_response();
        }
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(header::SET_COOKIE, auth::clear_session_cookie());
    response
}

/// The path of a referring address on this site, to go back to; never another site
/// (`//host`, `/\\host` and anything not starting with one `/` give the home page).
fn local_path(referer: &str) -> String {
    let path = referer.find("://").map_or(referer, |i| referer[i + 3..].find('/').map_or("/", |j| &referer[i + 3 + j..]));
    let safe = path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") && !path.chars().any(|c| c.is_control());
    if safe { path.to_string() } else { "/".to_string() }
}

async fn set_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::from_code(&code).unwrap_or_default();
    let back = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).map_or_else(|| "/".to_string(), local_path);
    let mut response = Redirect::to(&back).into_response();
    let cookie = format!("lang={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code());
    response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("ASCII"));
    response
}

async fn programme(page: Page, Path(id): Path<String>, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let view = views::programme_page(&data, &id, period, page.lang).ok_or_else(|| page.fail(AppError::not_found("chương trình", "Programme")))?;
    page.ok("programme.html", "overview", context! { page => v(view) })
}

fn status_options(lang: Lang) -> Vec<(String, String)> {
    let mut out = vec![("done".to_string(), lang.label("done").to_string())];
    for s in [
        TaskStatus::DoneEarly,
        TaskStatus::DoneOnTime,
        TaskStatus::DoneLate,
        TaskStatus::InProgress,
        TaskStatus::NotStarted,
        TaskStatus::Overdue,
        TaskStatus::NoDueDate,
        TaskStatus::NotApplicable,
        TaskStatus::NoReport,
    ] {
        out.push((views::status_code(s).to_string(), lang.pick(s.label_vi(), s.label_en()).to_string()));
    }
    out
}

fn lead_options(data: &Dataset) -> Vec<(String, String)> {
    let mut leads: Vec<(String, String)> = data
        .tasks
        .iter()
        .flat_map(|t| data.leads_of(t))
        .map(|lead| {
            let name = data.assignee_name(&lead);
            match lead {
                tiendo_core::model::Assignee::Agency(id) | tiendo_core::model::Assignee::Group(id) => (id, name),
            }
        })
        .collect();
    leads.sort_by(|a, b| a.1.cmp(&b.1));
    leads.dedup();
    leads
}

async fn tasks(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let query = serde_urlencoded::to_string(&q).unwrap_or_default();
    let filter: views::TaskFilter =
        serde_urlencoded::from_str::<views::TaskFilter>(&query).map_err(|e| page.fail(AppError::invalid("filter", format!("Bộ lọc không hợp lệ: {e}"), format!("Invalid filter: {e}"))))?;
    let list = views::task_list(&data, &filter, page.lang);
    let filter_ctx =
        context! { programme => filter.programme, lead => filter.lead, status => filter.status, due_from => filter.due_from.map(|d| d.to_string()), due_to => filter.due_to.map(|d| d.to_string()) };
    page.ok("tasks.html", "tasks", context! { list => v(list), filter => filter_ctx, programmes => v(&data.programmes), leads => lead_options(&data), statuses => status_options(page.lang) })
}

/// A journal entry for display: only the columns that changed.
/// Journal entries as people read them: newest first, the time in Vietnam's time, the
/// table, the action and every column in words, coded values in words.
fn journal_view(entries: Vec<JournalEntry>, lang: Lang) -> Vec<Value> {
    entries
        .into_iter()
        .rev()
        .map(|e| {
            let empty = serde_json::Map::new();
            let before = e.before.as_ref().and_then(|b| b.as_object()).unwrap_or(&empty);
            let after = e.after.as_ref().and_then(|a| a.as_object()).unwrap_or(&empty);
            let text = |column: &str, v: Option<&serde_json::Value>| lang.value_word(column, v.and_then(|v| v.as_str()).unwrap_or("")).to_string();
            let changed: Vec<(String, String, String)> = after.keys().filter(|k| before.get(*k) != after.get(*k)).map(|k| (lang.word(k).to_string(), text(k, before.get(k)), text(k, after.get(k)))).collect();
            context! { at => lang.local_time(&e.at), actor => e.actor, action => lang.word(&e.action), entity => lang.word(&e.entity), record_key => e.record_key, reason => e.reason, changed => changed }
        })
        .collect()
}

async fn task(page: Page, Path(id): Path<String>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let detail = views::task_detail(&data, &id, None, page.lang).ok_or_else(|| page.fail(AppError::not_found("nhiệm vụ", "Task")))?;
    let mut journal = page.app.store.journal(Some("tasks"), Some(&id)).await.map_err(|e| page.fail(e))?;
    let updates = page.app.store.journal(Some("task_updates"), None).await.map_err(|e| page.fail(e))?;
    journal.extend(updates.into_iter().filter(|e| e.record_key.split('|').next() == Some(id.as_str())));
    let own_parts = page.app.store.journal(Some("assignment_updates"), None).await.map_err(|e| page.fail(e))?;
    journal.extend(own_parts.into_iter().filter(|e| e.record_key.split('|').next() == Some(id.as_str())));
    journal.sort_by_key(|e| e.seq);
    page.ok("task.html", "tasks", context! { d => v(detail), journal => journal_view(journal, page.lang) })
}

/// The journal of one record (`?entity=…&key=…`), or of every record whose key starts
/// with `prefix` (e.g. all observations of an indicator).
async fn history(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let entity = q.get("entity").cloned().unwrap_or_default();
    if tiendo_store::workflow::entity(&entity).is_none() {
        return Err(page.fail(AppError::invalid("entity", format!("Không có loại bản ghi \"{entity}\"."), format!("No record kind \"{entity}\"."))));
    }
    let key = q.get("key").filter(|k| !k.is_empty());
    let prefix = q.get("prefix").filter(|p| !p.is_empty());
    let entries = page.app.store.journal(Some(&entity), key.map(String::as_str)).await.map_err(|e| page.fail(e))?;
    let entries: Vec<_> = entries.into_iter().filter(|e| prefix.is_none_or(|p| e.record_key.starts_with(p.as_str()))).collect();
    let entries = auth::readable_journal(&page.app, &page.auth, entries).await.map_err(|e| page.fail(e))?;
    page.ok("history.html", "", context! { entity => page.lang.word(&entity), key => key.or(prefix), journal => journal_view(entries, page.lang) })
}

async fn indicator(page: Page, Path(id): Path<String>, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let sort = q.get("sort").map(String::as_str);
    let structure_date = parse_date(q.get("structure")).map_err(|e| page.fail(e))?;
    let view = views::indicator_page(&data, &id, period, structure_date, sort, page.lang).ok_or_else(|| page.fail(AppError::not_found("chỉ tiêu", "Indicator")))?;
    let unit = views::unit_text(&view.line.unit, page.lang);
    let mut series: Vec<crate::chart::TimeSeries> = Vec::new();
    for p in &view.series {
        let point = crate::chart::TimePoint { date: p.date.parse().map_err(|e| page.fail(AppError::internal(e)))?, label: p.label.clone(), value: p.value };
        match series.iter_mut().find(|s| s.name == p.source_text) {
            Some(s) => s.points.push(point),
            None => series.push(crate::chart::TimeSeries { name: p.source_text.clone(), points: vec![point] }),
        }
    }
    let chart = crate::chart::line_chart(&series, view.target_value, &unit);
    let map_date = view.structure_date.parse().unwrap_or_else(|_| tiendo_core::clock::today_in_vietnam());
    let values: HashMap<String, (f64, String)> = view.agencies.iter().filter_map(|a| Some((a.code.clone(), (a.value?, a.value_text.clone())))).collect();
    let map = crate::map::choropleth(map_date, &values);
    page.ok("indicator.html", "overview", context! { page => v(view), chart => chart, map => map, sort => sort.unwrap_or("") })
}

async fn agencies(page: Page) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    page.ok("agencies.html", "agencies", context! { index => views::agency_index(&data, tiendo_core::clock::today_in_vietnam()) })
}

async fn agency(page: Page, Path(id): Path<String>, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let as_of = parse_date(q.get("as_of")).map_err(|e| page.fail(e))?;
    let view = views::agency_page(&data, &id, as_of, page.lang).ok_or_else(|| page.fail(AppError::not_found("cơ quan", "Agency")))?;
    page.ok("agency.html", "agencies", context! { page => v(view) })
}

async fn measured(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let view = views::measured_page(&data, period, q.get("scope").map(String::as_str), page.app.settings.measured_tolerance, page.lang)
        .ok_or_else(|| page.fail(AppError::not_found("chương trình đo lường", "Measured programme")))?;
    page.ok("measured.html", "measured", context! { page => v(view) })
}

/// Every (programme, period) with data, newest first.
fn periods_with_data(data: &Dataset, lang: Lang) -> Vec<Value> {
    let mut out = Vec::new();
    for p in data.programmes.iter().filter(|p| p.parent_id.is_none()) {
        let family = data.programme_family(&p.id);
        let ids: Vec<&str> = family.iter().map(|p| p.id.as_str()).collect();
        let mut periods: Vec<Period> = data
            .observations
            .iter()
            .filter(|o| data.indicators.iter().any(|i| i.id == o.indicator_id && ids.contains(&i.programme_id.as_str())))
            .map(|o| o.period)
            .chain(data.task_updates.iter().filter(|u| data.tasks.iter().any(|t| t.id == u.task_id && ids.contains(&t.programme_id.as_str()))).map(|u| u.period))
            .collect();
        periods.sort();
        periods.dedup();
        for period in periods.into_iter().rev() {
            out.push(context! { programme_id => &p.id, programme => &p.name, period => period.code(), label => lang.pick(&period.label_vi(), &period.label_en()).to_string() });
        }
    }
    out
}

async fn reports(page: Page) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let issued: Vec<EditionView> = tiendo_store::edition::editions(&page.app.store, None).await.map_err(|e| page.fail(e))?.iter().rev().map(EditionView::of).collect();
    let auth = &page.auth;
    let may_issue: Vec<&tiendo_core::model::Programme> = data.programmes.iter().filter(|p| p.parent_id.is_none() && auth.may(&Action::Issue { programme_id: &p.id }).is_ok()).collect();
    let may_write = data.programmes.iter().any(|p| auth.may(&Action::Edit { programme_id: &p.id }).is_ok());
    page.ok(
        "reports.html",
        "reports",
        context! { programmes => v(&data.programmes), periods => periods_with_data(&data, page.lang), issued => v(&issued), may_issue => v(&may_issue), may_write => may_write, today => tiendo_core::clock::today_in_vietnam().to_string(), formats => v(editions::FORMATS) },
    )
}

#[derive(Deserialize)]
struct SettingsQuery {
    programme: String,
}

/// A programme's document settings: what its reports say beyond the data (issuing body,
/// "Kính gửi", signer, "Nơi nhận"), for those who may issue its reports.
async fn settings_page(page: Page, Query(q): Query<SettingsQuery>) -> PageResult {
    page.auth.may(&Action::Issue { programme_id: &q.programme }).map_err(|e| page.fail(e))?;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let programme = data.programme(&q.programme).ok_or_else(|| page.fail(AppError::not_found("chương trình", "Programme")))?;
    let (stored, version) = tiendo_store::report_settings::get(&page.app.store, &q.programme).await.map_err(|e| page.fail(e))?;
    page.ok("settings.html", "reports", context! { programme => v(programme), settings => v(&stored), version => version, saved => false })
}

#[derive(Deserialize)]
struct SettingsForm {
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
async fn save_settings(page: Page, headers: HeaderMap, Form(f): Form<SettingsForm>) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref()).map_err(|e| page.fail(e))?;
    a.may(&Action::Issue { programme_id: &f.programme }).map_err(|e| page.fail(e))?;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let programme = data.programme(&f.programme).ok_or_else(|| page.fail(AppError::not_found("chương trình", "Programme")))?;
    let lines = |text: &str| text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect::<Vec<_>>();
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
    tiendo_store::report_settings::save(&page.app.store, &settings, f.version, &a.account.id).await.map_err(|e| page.fail(e))?;
    let (stored, version) = tiendo_store::report_settings::get(&page.app.store, &f.programme).await.map_err(|e| page.fail(e))?;
    page.ok("settings.html", "reports", context! { programme => v(programme), settings => v(&stored), version => version, saved => true })
}

#[derive(Deserialize)]
struct IssueForm {
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
}

/// "Ban hành": issue an edition from the reports page, then show it.
async fn issue_edition(page: Page, headers: HeaderMap, Form(f): Form<IssueForm>) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref()).map_err(|e| page.fail(e))?;
    a.may(&Action::Issue { programme_id: &f.programme }).map_err(|e| page.fail(e))?;
    let date = parse_date(f.date.as_ref()).map_err(|e| page.fail(e))?;
    let body = IssueBody {
        programme: f.programme,
        period: Some(f.period),
        number: Some(f.number),
        date,
        signer_name: Some(f.signer_name),
        recipients: f.recipients.lines().map(str::to_string).collect(),
        replaces: Some(f.replaces),
        ..Default::default()
    };
    let drawn = editions::issue(&page.app.store, body.request().map_err(|e| page.fail(e))?, &a.account.id).await.map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!("/reports/editions/{}", drawn.edition.id)).into_response())
}

/// An issued edition: its record, its files with their SHA-256, and what changed since the
/// edition before it.
async fn edition_page(page: Page, Path(id): Path<String>) -> PageResult {
    let drawn = editions::draw_again(&page.app.store, &id).await.map_err(|e| page.fail(e))?;
    page.ok("edition.html", "reports", context! { detail => v(EditionDetail::of(&drawn)) })
}

async fn render_report(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let programme_id = q.get("programme").cloned().unwrap_or_default();
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?.ok_or_else(|| page.fail(AppError::invalid("period", "Cần chọn kỳ báo cáo.", "Choose a period.")))?;
    let doc = editions::report(&page.app, &data, &programme_id, period).await.map_err(|e| page.fail(e))?;
    let format = q.get("format").map_or("html", String::as_str);
    let (body, kind) = editions::render_format(&page.app.store, &data, &doc, &programme_id, format).await.map_err(|e| page.fail(e))?.ok_or_else(|| {
        page.fail(AppError::invalid("format", format!("Không có định dạng \"{format}\" (html, md, docx, pdf, xlsx)."), format!("No format \"{format}\" (html, md, docx, pdf, xlsx).")))
    })?;
    let shown_inline = matches!(format, "html" | "md");
    let disposition = format!("{}; filename=\"bao-cao-{programme_id}-{}.{format}\"", if shown_inline { "inline" } else { "attachment" }, period.code());
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(kind)), (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(|e| page.fail(AppError::internal(e)))?)], body)
        .into_response())
}

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
async fn narrative_view(page: &Page, target: Option<(String, Period)>, edited: Option<(tiendo_report::Narrative, i64)>, state: NarrativeState) -> PageResult {
    let a = &page.auth;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let editable: Vec<&tiendo_core::model::Programme> = data.programmes.iter().filter(|p| a.may(&Action::Edit { programme_id: &p.id }).is_ok()).collect();
    if editable.is_empty() {
        return Err(page.fail(tiendo_core::access::Denied::Role));
    }
    let Some((programme_id, period)) = target else {
        return page.ok("narrative.html", "reports", context! { programmes => v(&editable) });
    };
    a.may(&Action::Edit { programme_id: &programme_id }).map_err(|e| page.fail(e))?;
    let programme = data.programme(&programme_id).ok_or_else(|| page.fail(AppError::not_found("chương trình", "Programme")))?;
    let stored = tiendo_store::narrative::narrative(&page.app.store, &programme_id, &period.code()).await.map_err(|e| page.fail(e))?;
    let (narrative, version) = edited.unwrap_or_else(|| (stored.narrative.clone(), stored.version));
    let preview = crate::narratives::preview(&data, &programme_id, period, &narrative, page.lang).map_err(|e| page.fail(e))?;
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
async fn narrative_page(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let target = q.get("programme").filter(|p| !p.is_empty()).cloned().zip(period);
    narrative_view(&page, target, None, NarrativeState { saved: q.contains_key("saved"), conflict: None }).await
}

#[derive(Deserialize)]
struct NarrativeForm {
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
async fn narrative_post(page: Page, headers: HeaderMap, Form(f): Form<NarrativeForm>) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref()).map_err(|e| page.fail(e))?;
    a.may(&Action::Edit { programme_id: &f.programme }).map_err(|e| page.fail(e))?;
    let period = parse_period(Some(&f.period)).map_err(|e| page.fail(e))?.ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
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
        return narrative_view(&page, target, Some((narrative, f.version)), NarrativeState::default()).await;
    }
    if page.app.data().await.map_err(|e| page.fail(e))?.programme(&f.programme).is_none() {
        return Err(page.fail(AppError::not_found("chương trình", "Programme")));
    }
    match tiendo_store::narrative::save(&page.app.store, &f.programme, &period.code(), &narrative, f.version, &a.account.id).await {
        Ok(_) => Ok(Redirect::to(&format!("/narratives?programme={}&period={}&saved=1", f.programme, period.code())).into_response()),
        Err(tiendo_store::StoreError::Conflict { .. }) => {
            let current = tiendo_store::narrative::narrative(&page.app.store, &f.programme, &period.code()).await.map_err(|e| page.fail(e))?;
            let version = current.version;
            let response = narrative_view(&page, target, Some((narrative, version)), NarrativeState { saved: false, conflict: Some(current) }).await?;
            Ok((StatusCode::CONFLICT, response).into_response())
        }
        Err(e) => Err(page.fail(e)),
    }
}

#[derive(Deserialize)]
struct EntryQuery {
    programme: Option<String>,
    period: Option<String>,
}

/// The reporter's open periods with labels.
async fn open_period_views<S: Store>(store: &S, data: &Dataset, lang: Lang) -> Result<Vec<Value>, AppError> {
    Ok(entry::open_periods(store)
        .await?
        .into_iter()
        .map(|(programme_id, period)| {
            let name = data.programme(&programme_id).map_or(programme_id.clone(), |p| p.short_name.clone());
            context! { programme_id => programme_id, programme => name, period => period.code(), label => lang.pick(&period.label_vi(), &period.label_en()).to_string() }
        })
        .collect())
}

fn staged<'a>(sub: &'a entry::SubmissionView, entity: &Entity, key: &str) -> Option<&'a entry::StagedItem> {
    sub.items.iter().find(|i| i.entity == entity.name && i.record_key == key)
}

async fn entry_page(page: Page, Query(q): Query<EntryQuery>) -> PageResult {
    let a = &page.auth;
    let Some(agency_id) = a.account.agency_id.clone().filter(|_| a.account.role == Role::Reporter) else {
        return Err(page.fail(tiendo_core::access::Denied::Role));
    };
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let periods = open_period_views(&page.app.store, &data, page.lang).await.map_err(|e| page.fail(e))?;
    let chosen = match (&q.programme, parse_period(q.period.as_ref()).map_err(|e| page.fail(e))?) {
        (Some(p), Some(period)) => Some((p.clone(), period)),
        _ => entry::open_periods(&page.app.store).await.map_err(|e| page.fail(e))?.into_iter().next(),
    };
    let agency_name = data.agency(&agency_id).map_or(agency_id.clone(), |a| a.name.clone());
    let Some((programme_id, period)) = chosen else {
        return page.ok("entry.html", "entry", context! { agency_name => agency_name, periods => periods });
    };
    let family: Vec<&str> = data.programme_family(&programme_id).iter().map(|p| p.id.as_str()).collect();
    let due = submission::due_items(&data, &family, &agency_id, period);
    let sub = entry::submission(&page.app.store, &agency_id, &programme_id, period, page.lang).await.map_err(|e| page.fail(e))?;
    let state = entry::period_state(&page.app.store, &programme_id, period).await.map_err(|e| page.fail(e))?;
    let editable = state == PeriodState::Open && sub.status.parse::<SubmissionStatus>().is_ok_and(|s| s.editable());
    let version = |entity: &'static Entity, key: String| {
        let store = &page.app.store;
        async move { store.get(entity, &key).await.map(|v| v.map_or(0, |v| v.version)) }
    };
    let text = |item: Option<&entry::StagedItem>, field: &str| item.and_then(|i| i.after.get(field)).and_then(|v| v.as_str()).map(str::to_string);
    let mut tasks = Vec::new();
    for t in &due.tasks {
        let key = format!("{}|{}", t.id, period.code());
        let item = staged(&sub, &TASK_UPDATES, &key);
        let base = version(&TASK_UPDATES, key.clone()).await.map_err(|e| page.fail(e))?;
        tasks.push(context! { id => &t.id, number => &t.number, title => &t.title, deadline => &t.deadline.text, base_version => item.map_or(base, |i| i.base_version), item_version => item.map_or(0, |i| i.version), staged => item.is_some(), status => text(item, "status"), completed_on => text(item, "completed_on"), result => text(item, "result") });
    }
    let mut indicators = Vec::new();
    for i in &due.indicators {
        let key = format!("{}|{}|{}|declared", i.id, agency_id, period.code());
        let item = staged(&sub, &OBSERVATIONS, &key);
        let base = version(&OBSERVATIONS, key.clone()).await.map_err(|e| page.fail(e))?;
        let stored = data.observations.iter().find(|o| o.indicator_id == i.id && o.agency_id.as_deref() == Some(agency_id.as_str()) && o.period == period);
        let fmt = |v: Option<f64>| v.map(|v| tiendo_core::format::decimal(v, 4));
        indicators.push(context! { id => &i.id, code => &i.code, name => &i.name, unit => &i.unit, ratio => i.aggregation == tiendo_core::model::Aggregation::Ratio, base_version => item.map_or(base, |i| i.base_version), item_version => item.map_or(0, |i| i.version), staged => item.is_some(),
            value => text(item, "value").or_else(|| fmt(stored.map(|o| o.value))), numerator => text(item, "numerator").or_else(|| fmt(stored.and_then(|o| o.numerator))), denominator => text(item, "denominator").or_else(|| fmt(stored.and_then(|o| o.denominator))) });
    }
    let as_of = tiendo_core::clock::today_in_vietnam().min(period.end(data.programme(&programme_id).map(|p| p.regime).unwrap_or_default()));
    let mut requirements = Vec::new();
    for r in &due.requirements {
        let key = format!("{}|{}|{}", r.id, agency_id, as_of);
        let item = staged(&sub, &CHECKLIST_ITEMS, &key);
        let base = version(&CHECKLIST_ITEMS, key.clone()).await.map_err(|e| page.fail(e))?;
        requirements.push(context! { id => &r.id, title => &r.title, base_version => item.map_or(base, |i| i.base_version), item_version => item.map_or(0, |i| i.version), staged => item.is_some(), done => text(item, "done").as_deref() == Some("true"), done_on => text(item, "done_on"), evidence => text(item, "evidence") });
    }
    let task_statuses: Vec<(&str, &str)> = ReportedStatus::ALL.iter().map(|s| (s.code(), views::reported_status_text(*s, page.lang))).collect();
    page.ok(
        "entry.html",
        "entry",
        context! { agency_name => agency_name, periods => periods, programme_id => programme_id, period => period.code(), sub => v(&sub), editable => editable,
        due => context! { tasks => tasks, indicators => indicators, requirements => requirements }, task_statuses => task_statuses },
    )
}

#[derive(Deserialize)]
struct EntryForm {
    csrf: Option<String>,
    programme: String,
    period: String,
    #[serde(default)]
    base_version: i64,
    #[serde(default)]
    item_version: i64,
    task_id: Option<String>,
    status: Option<String>,
    completed_on: Option<String>,
    result: Option<String>,
    indicator_id: Option<String>,
    value: Option<String>,
    numerator: Option<String>,
    denominator: Option<String>,
}

fn reporter_agency(a: &Auth) -> Result<String, AppError> {
    a.account.agency_id.clone().ok_or_else(|| tiendo_core::access::Denied::Role.into())
}

/// What an entry form sent: the record entered and where it goes.
struct EntryPost<'a> {
    csrf: Option<&'a str>,
    programme: &'a str,
    period: &'a str,
    entry: Entry,
    /// The version of the stored record the entry was based on (0: new).
    base_version: i64,
    /// The version of the staged item it replaces (0: none).
    item_version: i64,
}

async fn stage_and_return(page: &Page, headers: &HeaderMap, post: EntryPost<'_>) -> PageResult {
    let a = &page.auth;
    a.check_csrf(headers, post.csrf).map_err(|e| page.fail(e))?;
    let period = parse_period(Some(post.period)).map_err(|e| page.fail(e))?.ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    let agency = reporter_agency(a).map_err(|e| page.fail(e))?;
    entry::stage(&page.app, a, &agency, post.programme, period, &post.entry, post.base_version, post.item_version).await.map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!("/entry?programme={}&period={}", post.programme, period.code())).into_response())
}

async fn entry_task(page: Page, headers: HeaderMap, Form(f): Form<EntryForm>) -> PageResult {
    let entry = Entry::Task { task_id: f.task_id.unwrap_or_default(), status: f.status.unwrap_or_default(), completed_on: f.completed_on, result: f.result.unwrap_or_default() };
    stage_and_return(&page, &headers, EntryPost { csrf: f.csrf.as_deref(), programme: &f.programme, period: &f.period, entry, base_version: f.base_version, item_version: f.item_version }).await
}

async fn entry_indicator(page: Page, headers: HeaderMap, Form(f): Form<EntryForm>) -> PageResult {
    let entry = Entry::Indicator { indicator_id: f.indicator_id.unwrap_or_default(), value: f.value, numerator: f.numerator, denominator: f.denominator, note: String::new() };
    stage_and_return(&page, &headers, EntryPost { csrf: f.csrf.as_deref(), programme: &f.programme, period: &f.period, entry, base_version: f.base_version, item_version: f.item_version }).await
}

/// A multipart body that could not be read: too large (413), or malformed.
fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::too_large(entry::EVIDENCE_LIMIT)
    } else {
        AppError::invalid("file", format!("Không đọc được tệp gửi lên: {}", e.body_text()), format!("Could not read the upload: {}", e.body_text()))
    }
}

async fn entry_checklist(page: Page, headers: HeaderMap, mut multipart: Multipart) -> PageResult {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| page.fail(multipart_error(e)))? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|e| page.fail(multipart_error(e)))?;
            if !bytes.is_empty() {
                file = Some((file_name, bytes.to_vec()));
            }
        } else {
            fields.insert(name, field.text().await.map_err(|e| page.fail(multipart_error(e)))?);
        }
    }
    let a = &page.auth;
    a.check_csrf(&headers, fields.get("csrf").map(String::as_str)).map_err(|e| page.fail(e))?;
    let mut evidence = fields.get("evidence").cloned().unwrap_or_default();
    let programme = fields.get("programme").cloned().unwrap_or_default();
    let period = fields.get("period").cloned().unwrap_or_default();
    if let Some((name, bytes)) = file {
        let chosen = parse_period(Some(&period)).map_err(|e| page.fail(e))?.ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
        let agency = reporter_agency(a).map_err(|e| page.fail(e))?;
        let reference = entry::upload_evidence(&page.app, a, &agency, &programme, chosen, &name, &bytes).await.map_err(|e| page.fail(e))?;
        evidence = [evidence.trim(), &format!("{reference} {name}")].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("; ");
    }
    let entry = Entry::Checklist {
        requirement_id: fields.get("requirement_id").cloned().unwrap_or_default(),
        done: fields.get("done").is_some_and(|d| d == "true"),
        done_on: fields.get("done_on").cloned(),
        evidence,
    };
    let number = |k: &str| fields.get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
    let post = EntryPost { csrf: fields.get("csrf").map(String::as_str), programme: &programme, period: &period, entry, base_version: number("base_version"), item_version: number("item_version") };
    stage_and_return(&page, &headers, post).await
}

#[derive(Deserialize)]
struct PeriodForm {
    csrf: Option<String>,
    programme: String,
    period: String,
}

async fn entry_submit(page: Page, headers: HeaderMap, Form(f): Form<PeriodForm>) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref()).map_err(|e| page.fail(e))?;
    let period = parse_period(Some(&f.period)).map_err(|e| page.fail(e))?.ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    let agency = reporter_agency(a).map_err(|e| page.fail(e))?;
    entry::submit(&page.app, a, &agency, &f.programme, period).await.map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!("/entry?programme={}&period={}", f.programme, period.code())).into_response())
}

async fn evidence(State(app): State<Arc<App>>, auth: MaybeAuth, Path(sha): Path<String>) -> Response {
    let Some(a) = &auth.0 else {
        return AppError::unauthenticated().into_response();
    };
    if let Err(e) = auth::may_read_evidence(&app, a, &sha).await {
        return e.into_response();
    }
    let meta = match app.store.get(&tiendo_store::workflow::EVIDENCE, &sha).await {
        Ok(Some(m)) => m,
        Ok(None) => return AppError::not_found("tệp minh chứng", "Evidence file").into_response(),
        Err(e) => return AppError::from(e).into_response(),
    };
    match app.store.blob(&sha).await {
        Ok(Some(bytes)) => {
            let name: String = tiendo_store::workflow::EvidenceRecord::from_row(&meta.row).file_name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
            let headers = [
                (header::CONTENT_TYPE, HeaderValue::from_static(entry::EVIDENCE_CONTENT_TYPE)),
                (header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(HeaderValue::from_static("attachment"))),
            ];
            (headers, bytes).into_response()
        }
        Ok(None) => AppError::not_found("tệp minh chứng", "Evidence file").into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

async fn review_page(page: Page, Query(q): Query<EntryQuery>) -> PageResult {
    let a = &page.auth;
    if !matches!(a.account.role, Role::Secretariat | Role::Administrator) {
        return Err(page.fail(tiendo_core::access::Denied::Role));
    }
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let mut periods = Vec::new();
    for v in page.app.store.rows(&tiendo_store::workflow::PERIOD_LOCKS).await.map_err(|e| page.fail(e))? {
        let lock = tiendo_store::workflow::PeriodLock::from_row(&v.row);
        let Ok(period) = lock.period.parse::<Period>() else {
            continue;
        };
        let programme_id = lock.programme_id;
        let state = if lock.locked { "locked" } else { "open" };
        let name = data.programme(&programme_id).map_or(programme_id.clone(), |p| p.short_name.clone());
        let state_text = if state == "locked" { page.lang.pick("Đã khóa", "Locked") } else { page.lang.pick("Đang mở để nhập", "Open for entry") };
        periods.push(context! { programme_id => programme_id, programme => name, period => period.code(), label => page.lang.pick(&period.label_vi(), &period.label_en()).to_string(), state => state, state_text => state_text });
    }
    let chosen = match (&q.programme, parse_period(q.period.as_ref()).map_err(|e| page.fail(e))?) {
        (Some(p), Some(period)) => Some((p.clone(), period)),
        _ => entry::open_periods(&page.app.store).await.map_err(|e| page.fail(e))?.into_iter().next(),
    };
    let programmes: Vec<_> = data.programmes.iter().filter(|p| a.principal.programme_id.as_deref().is_none_or(|only| only == p.id)).collect();
    let Some((programme_id, period)) = chosen else {
        return page.ok("review.html", "review", context! { periods => periods, programmes => v(&programmes) });
    };
    let family: Vec<&str> = data.programme_family(&programme_id).iter().map(|p| p.id.as_str()).collect();
    let subs = page.app.store.rows(&SUBMISSIONS).await.map_err(|e| page.fail(e))?;
    let subs: Vec<tiendo_store::workflow::SubmissionRecord> =
        subs.iter().map(|v| tiendo_store::workflow::SubmissionRecord::from_row(&v.row)).filter(|r| r.programme_id == programme_id && r.period == period.code()).collect();
    let sent: Vec<(String, SubmissionStatus, Option<chrono::NaiveDate>)> = subs
        .iter()
        .filter_map(|r| {
            let status = r.status.as_deref()?.parse().ok()?;
            let on = r.submitted_at.as_deref().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()).map(|d| d.date_naive());
            Some((r.agency_id.clone(), status, on))
        })
        .collect();
    let completeness = submission::completeness(&data, &family, period, &sent);
    let received = completeness.iter().filter(|c| c.submitted_on.is_some()).count();
    let on_time = completeness.iter().filter(|c| c.on_time == Some(true)).count();
    let completeness: Vec<Value> = completeness
        .iter()
        .map(|c| {
            let status_text = c.status.map_or(page.lang.label("not_received").to_string(), |s| page.lang.pick(s.label_vi(), s.label_en()).to_string());
            context! { agency => data.agency(&c.agency_id).map_or(c.agency_id.clone(), |a| a.short_name.clone()), expected => c.expected, status_text => status_text, submitted_on => c.submitted_on.map(tiendo_core::format::date), on_time => c.on_time }
        })
        .collect();
    let mut submissions = Vec::new();
    for (agency_id, _, _) in &sent {
        let view = entry::submission(&page.app.store, agency_id, &programme_id, period, page.lang).await.map_err(|e| page.fail(e))?;
        let name = data.agency(agency_id).map_or(agency_id.clone(), |a| a.short_name.clone());
        let mut items = Vec::new();
        for item in &view.items {
            items.push(staged_item_view(&page.app.store, &data, item, page.lang).await.map_err(|e| page.fail(e))?);
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
async fn staged_item_view<S: Store>(store: &S, data: &Dataset, item: &entry::StagedItem, lang: Lang) -> AppResult<Value> {
    let entity = tiendo_store::workflow::entity(&item.entity);
    let stored = match entity {
        Some(e) => store.get(e, &item.record_key).await?.map(|v| crate::record::row_object(e, &v.row)),
        None => None,
    };
    let first = item.record_key.split('|').next().unwrap_or_default();
    let subject = match item.entity.as_str() {
        "observations" | "targets" => data.indicators.iter().find(|i| i.id == first).map(|i| format!("{} {}", i.code, i.name)),
        "task_updates" | "assignment_updates" => data.tasks.iter().find(|t| t.id == first).map(|t| format!("{} {}: {}", lang.pick("Nhiệm vụ", "Task"), t.number, t.title)),
        "checklist_items" => data.checklist_requirements.iter().find(|r| r.id == first).map(|r| r.title.clone()),
        _ => None,
    }
    .unwrap_or_else(|| item.record_key.clone());
    let keys: Vec<&str> = entity.map(|e| e.columns.iter().filter(|c| c.key).map(|c| c.name).collect()).unwrap_or_default();
    let text = |v: Option<&serde_json::Value>, column: &str| v.and_then(|v| v.as_str()).map(|s| lang.value_word(column, s).to_string()).unwrap_or_default();
    let fields: Vec<(String, String, String)> = item
        .after
        .as_object()
        .map(|after| {
            after
                .iter()
                .filter(|(k, v)| k.as_str() != "provenance" && !keys.contains(&k.as_str()) && v.as_str().is_some_and(|s| !s.is_empty()))
                .map(|(k, v)| (lang.word(k).to_string(), text(stored.as_ref().and_then(|s| s.get(k)), k), text(Some(v), k)))
                .collect()
        })
        .unwrap_or_default();
    Ok(context! { entity => lang.word(&item.entity), subject => subject, fields => fields, edited_by => item.edited_by.clone(), edited_at => item.edited_at.as_deref().map(|t| lang.local_time(t)) })
}

#[derive(Deserialize)]
struct DecisionForm {
    csrf: Option<String>,
    programme: String,
    period: String,
    agency: String,
    decision: String,
    #[serde(default)]
    comment: String,
}

async fn review_decide(page: Page, headers: HeaderMap, Form(f): Form<DecisionForm>) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref()).map_err(|e| page.fail(e))?;
    let period = parse_period(Some(&f.period)).map_err(|e| page.fail(e))?.ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    entry::review(&page.app, a, &f.agency, &f.programme, period, f.decision == "accept", &f.comment).await.map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!("/review?programme={}&period={}", f.programme, period.code())).into_response())
}

#[derive(Deserialize)]
struct SetPeriodForm {
    csrf: Option<String>,
    programme: String,
    period: String,
    locked: bool,
    #[serde(default)]
    reason: String,
}

async fn set_period(page: Page, headers: HeaderMap, Form(f): Form<SetPeriodForm>) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref()).map_err(|e| page.fail(e))?;
    let period = parse_period(Some(&f.period)).map_err(|e| page.fail(e))?.ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    entry::set_period(&page.app, a, &f.programme, period, f.locked, &f.reason).await.map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!("/review?programme={}&period={}", f.programme, period.code())).into_response())
}
