//! The JSON API under `/api/v1`: the same view models and operations as the pages, for
//! machines, with an OpenAPI 3 document generated from this code at
//! `/api/v1/openapi.json`. Authentication: a bearer token (`Authorization: Bearer
//! tdo_…`) or a browser session (then with the `X-CSRF-Token` header on writes).
//! Errors are [`ErrorBody`] with the HTTP status.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use tiendo_core::access::Action;
use tiendo_core::period::Period;
use tiendo_exchange::import::Change;
use tiendo_exchange::records::TASK_UPDATES;
use tiendo_store::Store;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::auth::{Auth, Reader, RequestLang, readable_journal};
use crate::editions::{self, EditionDetail, EditionView, IssueBody};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::i18n::Lang;
use crate::narratives::{self, NarrativeRecord};
use crate::params;
use crate::state::{App, CompactionStatus};
use crate::views::{
    self, AgencyPage, GroupPage, IndicatorPage, MeasuredPage, Overview, ProgrammePage, TaskDetail,
    TaskFilter, TaskList,
};
use tiendo_app::entry::{self, Entry, PeriodState, StagedItem, SubmissionView};

#[derive(OpenApi)]
#[openapi(
    info(title = "tiendo API", version = "1", description = "Theo dõi tiến độ chuyển đổi số: chỉ tiêu, nhiệm vụ, báo cáo của bộ, ngành, địa phương. Monitoring a national digital-transformation programme."),
    paths(
        overview, programme, tasks, task, indicator, agency, group, measured, journal, report,
        get_task_update, put_task_update,
        get_submission, post_entry, post_submit, post_withdraw, post_review, put_period, post_token, delete_token, post_events,
        list_editions, get_edition, get_edition_file, post_edition, events_status,
        get_narrative, put_narrative
    ),
    components(schemas(ErrorBody, Entry, EntryRequest, ReviewRequest, PeriodRequest, PeriodState, TokenRequest, TokenCreated, JournalRow, TaskUpdateRecord, IssueBody, EditionView, EditionDetail, NarrativeRecord)),
    modifiers(&Security),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

type AppState = State<Arc<App>>;

/// A JSON body whose rejection is an [`ErrorBody`] like every other error.
pub struct Body<T>(pub T);

impl<T: serde::de::DeserializeOwned, St: Send + Sync> axum::extract::FromRequest<St> for Body<T> {
    type Rejection = AppError;

    async fn from_request(request: axum::extract::Request, state: &St) -> Result<Self, AppError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(e) => Err(AppError::new(
                e.status(),
                "invalid_body",
                format!("Nội dung yêu cầu không hợp lệ: {}", e.body_text()),
                format!("Invalid request body: {}", e.body_text()),
            )
            .field("body")),
        }
    }
}

/// Query parameters whose rejection is an [`ErrorBody`].
pub struct Params<T>(pub T);

impl<T: serde::de::DeserializeOwned, St: Send + Sync> axum::extract::FromRequestParts<St>
    for Params<T>
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &St,
    ) -> Result<Self, AppError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Params(value)),
            Err(e) => Err(AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_query",
                format!("Tham số không hợp lệ: {}", e.body_text()),
                format!("Invalid query parameters: {}", e.body_text()),
            )
            .field("query")),
        }
    }
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/overview", get(overview))
        .route("/programmes/{id}", get(programme))
        .route("/tasks", get(tasks))
        .route("/tasks/{id}", get(task))
        .route("/indicators/{id}", get(indicator))
        .route("/agencies/{id}", get(agency))
        .route("/groups/{id}", get(group))
        .route("/measured", get(measured))
        .route("/journal", get(journal))
        .route("/reports/{programme}/{period}", get(report))
        .route(
            "/task-updates/{task}/{period}",
            get(get_task_update).put(put_task_update),
        )
        .route(
            "/submissions/{programme}/{period}/{agency}",
            get(get_submission),
        )
        .route(
            "/submissions/{programme}/{period}/{agency}/entries",
            post(post_entry),
        )
        .route(
            "/submissions/{programme}/{period}/{agency}/submit",
            post(post_submit),
        )
        .route(
            "/submissions/{programme}/{period}/{agency}/withdraw",
            post(post_withdraw),
        )
        .route(
            "/submissions/{programme}/{period}/{agency}/review",
            post(post_review),
        )
        .route("/periods/{programme}/{period}", put(put_period))
        .route("/events", post(post_events))
        .route("/events/status", get(events_status))
        .route("/tokens", post(post_token))
        .route("/tokens/{id}", axum::routing::delete(delete_token))
        .route("/editions", get(list_editions).post(post_edition))
        .route("/editions/{id}", get(get_edition))
        .route("/editions/{id}/files/{format}", get(get_edition_file))
        .route(
            "/narratives/{programme}/{period}",
            get(get_narrative).put(put_narrative),
        )
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// `?lang=en` for English labels in answers (default Vietnamese).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// `vi` (default) or `en`.
    pub lang: Option<String>,
    /// Reporting period code: 2024-05, 2024-Q2, 2024-H1, 2024-9M, 2024.
    pub period: Option<String>,
}

impl LangQuery {
    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or_default()
    }
    fn period(&self) -> AppResult<Option<Period>> {
        params::parse_period(self.period.as_deref())
    }
}

fn parse_period(text: &str) -> AppResult<Period> {
    params::parse_period(Some(text))?
        .ok_or_else(|| AppError::invalid("period", "Thiếu kỳ báo cáo.", "Missing period."))
}

fn csrf(auth: &Auth, headers: &HeaderMap) -> AppResult<()> {
    auth.check_csrf(headers, None)
}

#[utoipa::path(get, path = "/api/v1/overview", params(LangQuery), responses((status = 200, description = "Thành công (OK)", body = Overview), (status = 401, description = "Chưa đăng nhập (unauthenticated)", body = ErrorBody)), tag = "dashboards")]
async fn overview(
    State(app): AppState,
    _auth: Reader,
    Params(q): Params<LangQuery>,
) -> AppResult<Json<Overview>> {
    Ok(Json(
        views::cached_overview(&app, q.period()?, q.lang())
            .await?
            .as_ref()
            .clone(),
    ))
}

#[utoipa::path(get, path = "/api/v1/programmes/{id}", params(("id" = String, Path, description = "Programme id"), LangQuery), responses((status = 200, description = "Thành công (OK)", body = ProgrammePage), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody)), tag = "dashboards")]
async fn programme(
    State(app): AppState,
    _auth: Reader,
    Path(id): Path<String>,
    Params(q): Params<LangQuery>,
) -> AppResult<Json<ProgrammePage>> {
    let data = app.data().await?;
    views::programme_page(&data, &id, q.period()?, q.lang())
        .map(Json)
        .ok_or_else(|| AppError::not_found("chương trình", "Programme"))
}

#[utoipa::path(get, path = "/api/v1/tasks", params(TaskFilter), responses((status = 200, description = "Thành công (OK)", body = TaskList), (status = 401, description = "Chưa đăng nhập (unauthenticated)", body = ErrorBody)), tag = "tasks")]
async fn tasks(
    State(app): AppState,
    _auth: Reader,
    RequestLang(lang): RequestLang,
    Params(filter): Params<TaskFilter>,
) -> AppResult<Json<TaskList>> {
    let data = app.data().await?;
    Ok(Json(views::task_list(&data, &filter, lang)))
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}", params(("id" = String, Path, description = "Task id")), responses((status = 200, description = "Thành công (OK)", body = TaskDetail), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody)), tag = "tasks")]
async fn task(
    State(app): AppState,
    _auth: Reader,
    RequestLang(lang): RequestLang,
    Path(id): Path<String>,
) -> AppResult<Json<TaskDetail>> {
    let data = app.data().await?;
    views::task_detail(&data, &id, None, lang)
        .map(Json)
        .ok_or_else(|| AppError::not_found("nhiệm vụ", "Task"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorQuery {
    /// Period of the per-agency values (default: the latest).
    pub period: Option<String>,
    /// `value` (best first) or `name`; default: the standard agency order.
    pub sort: Option<String>,
    /// Show the agencies in the structure of this date (YYYY-MM-DD), restating values.
    pub structure: Option<chrono::NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/indicators/{id}", params(("id" = String, Path, description = "Indicator id"), IndicatorQuery), responses((status = 200, description = "Thành công (OK)", body = IndicatorPage), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody)), tag = "dashboards")]
async fn indicator(
    State(app): AppState,
    _auth: Reader,
    RequestLang(lang): RequestLang,
    Path(id): Path<String>,
    Params(q): Params<IndicatorQuery>,
) -> AppResult<Json<IndicatorPage>> {
    let data = app.data().await?;
    views::indicator_page(
        &data,
        &id,
        params::parse_period(q.period.as_deref())?,
        q.structure,
        q.sort.as_deref(),
        lang,
    )
    .map(Json)
    .ok_or_else(|| AppError::not_found("chỉ tiêu", "Indicator"))
}

/// The date an agency's tasks and requirements are seen at.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgencyQuery {
    /// YYYY-MM-DD; default: each programme's latest reporting period, as the page.
    pub as_of: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/agencies/{id}", params(("id" = String, Path, description = "Agency id"), AgencyQuery), responses((status = 200, description = "Thành công (OK)", body = AgencyPage), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "dashboards")]
async fn agency(
    State(app): AppState,
    _auth: Reader,
    RequestLang(lang): RequestLang,
    Path(id): Path<String>,
    Params(q): Params<AgencyQuery>,
) -> AppResult<Json<AgencyPage>> {
    let data = app.data().await?;
    let as_of = params::parse_date(q.as_of.as_deref())?;
    views::agency_page(&data, &id, as_of, lang)
        .map(Json)
        .ok_or_else(|| AppError::not_found("cơ quan", "Agency"))
}

/// The date a group's members are listed on and its tasks seen at.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupQuery {
    /// YYYY-MM-DD; default: today for the members, each programme's dates for the tasks.
    pub date: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/groups/{id}", params(("id" = String, Path, description = "Group id"), GroupQuery), responses((status = 200, description = "Thành công (OK)", body = GroupPage), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "dashboards")]
async fn group(
    State(app): AppState,
    _auth: Reader,
    RequestLang(lang): RequestLang,
    Path(id): Path<String>,
    Params(q): Params<GroupQuery>,
) -> AppResult<Json<GroupPage>> {
    let data = app.data().await?;
    let date = params::parse_date(q.date.as_deref())?;
    views::group_page(&data, &id, date, lang)
        .map(Json)
        .ok_or_else(|| AppError::not_found("nhóm cơ quan", "Group"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeasuredQuery {
    /// `vi` (default) or `en`.
    pub lang: Option<String>,
    /// Period (default: the latest with a QĐ 766 score).
    pub period: Option<String>,
    /// `ministries`, `provinces` or `all` (default).
    pub scope: Option<String>,
}

/// The QĐ 766 ranking of agencies, the national measured indicators and the declared
/// values that disagree with the measured ones, for a period.
#[utoipa::path(get, path = "/api/v1/measured", params(MeasuredQuery), responses((status = 200, description = "Thành công (OK)", body = MeasuredPage), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "dashboards")]
async fn measured(
    State(app): AppState,
    _auth: Reader,
    Params(q): Params<MeasuredQuery>,
) -> AppResult<Json<MeasuredPage>> {
    let data = app.data().await?;
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_default();
    views::measured_page(
        &data,
        params::parse_period(q.period.as_deref())?,
        q.scope.as_deref(),
        app.settings.measured_tolerance,
        lang,
    )
    .map(Json)
    .ok_or_else(|| AppError::not_found("chương trình đo lường", "Measured programme"))
}

/// One change of the journal.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub record_key: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// Record kind (table), e.g. `tasks`, `task_updates`, `observations`.
    pub entity: Option<String>,
    /// Record key (key columns joined by `|`).
    pub key: Option<String>,
    /// Only entries after this sequence number (the `seq` of the last entry of the
    /// previous page).
    pub after: Option<i64>,
    /// At most this many entries (default and maximum 500). When the page is full, the
    /// `Link` header gives the next page.
    pub limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/v1/journal", params(JournalQuery), responses((status = 200, description = "Thành công (OK)", body = Vec<JournalRow>, headers(("Link" = String, description = "The next page (rel=\"next\"), when this one is full")))), tag = "history")]
async fn journal(
    State(app): AppState,
    Reader(auth): Reader,
    Params(q): Params<JournalQuery>,
) -> AppResult<Response> {
    let limit = q
        .limit
        .unwrap_or(tiendo_core::limits::JOURNAL_PAGE)
        .clamp(1, tiendo_core::limits::JOURNAL_PAGE);
    let page = app
        .store
        .journal_page(
            q.entity.as_deref(),
            q.key.as_deref(),
            q.after.unwrap_or(0),
            limit as i64,
        )
        .await?;
    let next = (page.len() == limit)
        .then(|| page.last().map(|e| e.seq))
        .flatten();
    let entries = readable_journal(&app, &auth, page).await?;
    let mut headers = HeaderMap::new();
    if let Some(after) = next {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(entity) = &q.entity {
            pairs.push(("entity", entity.clone()));
        }
        if let Some(key) = &q.key {
            pairs.push(("key", key.clone()));
        }
        pairs.push(("after", after.to_string()));
        pairs.push(("limit", limit.to_string()));
        if let Ok(query) = serde_urlencoded::to_string(&pairs)
            && let Ok(link) =
                HeaderValue::from_str(&format!("</api/v1/journal?{query}>; rel=\"next\""))
        {
            headers.insert(header::LINK, link);
        }
    }
    let rows: Vec<JournalRow> = entries
        .into_iter()
        .map(|e| JournalRow {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            record_key: e.record_key,
            before: e.before,
            after: e.after,
            reason: e.reason,
        })
        .collect();
    Ok((headers, Json(rows)).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `html` (default), `md`, `docx`, `pdf` or `xlsx`; DOCX and PDF with the programme's
    /// document settings.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reports/{programme}/{period}", params(("programme" = String, Path), ("period" = String, Path, example = "2024-05"), ReportQuery),
    responses((status = 200, description = "The report", content_type = "text/html"), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "reports")]
async fn report(
    State(app): AppState,
    _auth: Reader,
    Path((programme, period)): Path<(String, String)>,
    Params(q): Params<ReportQuery>,
) -> AppResult<Response> {
    let data = app.data().await?;
    let period = parse_period(&period)?;
    let doc = editions::report(&app, &data, &programme, period).await?;
    let format = q.format.as_deref().unwrap_or("html");
    let (bytes, kind) =
        tiendo_app::editions::render_format(&app.store, &data, &doc, &programme, format)
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "format",
                    format!("Không có định dạng \"{format}\" (html, md, docx, pdf, xlsx)."),
                    format!("No format \"{format}\" (html, md, docx, pdf, xlsx)."),
                )
            })?;
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
        bytes,
    )
        .into_response())
}

/// A task's update for a period as stored, with its version (also the `ETag`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TaskUpdateRecord {
    pub status: String,
    pub completed_on: Option<String>,
    #[serde(default)]
    pub result: String,
    /// Read only: the stored version.
    #[serde(default)]
    pub version: i64,
}

/// The version an edit was based on, from `If-Match` (428 without it).
fn if_match(headers: &HeaderMap) -> AppResult<i64> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .parse()
                .ok()
        })
        .ok_or_else(|| {
            AppError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "if_match_required",
                "Cần gửi kèm If-Match với phiên bản đã đọc.",
                "Send If-Match with the version you read.",
            )
        })
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).expect("ASCII")
}

#[utoipa::path(get, path = "/api/v1/task-updates/{task}/{period}", params(("task" = String, Path), ("period" = String, Path)),
    responses((status = 200, description = "Thành công (OK)", body = TaskUpdateRecord, headers(("ETag" = String, description = "The record's version"))), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody)), tag = "tasks")]
async fn get_task_update(
    State(app): AppState,
    _auth: Reader,
    Path((task, period)): Path<(String, String)>,
) -> AppResult<Response> {
    let period = parse_period(&period)?;
    let stored = app
        .store
        .get(&TASK_UPDATES, &format!("{task}|{}", period.code()))
        .await?
        .ok_or_else(|| AppError::not_found("báo cáo nhiệm vụ", "Task update"))?;
    let cell = |name: &str| {
        TASK_UPDATES
            .index(name)
            .and_then(|i| stored.row.get(i).cloned().flatten())
    };
    let record = TaskUpdateRecord {
        status: cell("status").unwrap_or_default(),
        completed_on: cell("completed_on"),
        result: cell("result").unwrap_or_default(),
        version: stored.version,
    };
    Ok(([(header::ETAG, etag(stored.version))], Json(record)).into_response())
}

/// Edit a task's update directly (secretariat). `If-Match` must carry the version read;
/// a stale version is refused with 409 and the current record.
#[utoipa::path(put, path = "/api/v1/task-updates/{task}/{period}", params(("task" = String, Path), ("period" = String, Path), ("If-Match" = String, Header, description = "Version read (ETag); \"0\" to create")),
    request_body = TaskUpdateRecord,
    responses((status = 200, description = "Thành công (OK)", body = TaskUpdateRecord), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 409, description = "Bản ghi đã bị thay đổi (conflict)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody), (status = 428, description = "Thiếu If-Match (precondition required)", body = ErrorBody)), tag = "tasks")]
async fn put_task_update(
    State(app): AppState,
    auth: Auth,
    headers: HeaderMap,
    Path((task_id, period)): Path<(String, String)>,
    Body(body): Body<TaskUpdateRecord>,
) -> AppResult<Response> {
    csrf(&auth, &headers)?;
    let period = parse_period(&period)?;
    let data = app.data().await?;
    let task = data
        .tasks
        .iter()
        .find(|t| t.id == task_id)
        .ok_or_else(|| AppError::not_found("nhiệm vụ", "Task"))?;
    auth.may(&Action::Edit {
        programme_id: &task.programme_id,
    })?;
    let expected = if_match(&headers)?;
    let key = format!("{task_id}|{}", period.code());
    let stored = app.store.get(&TASK_UPDATES, &key).await?;
    if stored.as_ref().map_or(0, |v| v.version) != expected {
        return Err(stored.map_or_else(
            || AppError::conflict(None),
            |c| {
                AppError::from(tiendo_store::StoreError::Conflict {
                    entity: "task_updates",
                    key: key.clone(),
                    current: Some(c),
                })
            },
        ));
    }
    let status: tiendo_core::model::ReportedStatus = body
        .status
        .parse()
        .map_err(|e: String| AppError::invalid("status", e.clone(), e))?;
    let completed_on = match body.completed_on.as_deref().filter(|s| !s.is_empty()) {
        Some(d) => Some(
            tiendo_core::limits::parse_record_date(d)
                .map_err(|reason| {
                    AppError::invalid(
                        "completed_on",
                        format!("{reason}."),
                        format!("Invalid date \"{d}\" (YYYY-MM-DD, years 1900 to 2199)."),
                    )
                })?
                .to_string(),
        ),
        None => None,
    };
    let today = tiendo_core::clock::today_in_vietnam();
    let as_of = today.min(
        period.end(
            data.programme(&task.programme_id)
                .map(|p| p.regime)
                .unwrap_or_default(),
        ),
    );
    let after = vec![
        Some(task_id.clone()),
        Some(period.code()),
        Some(as_of.to_string()),
        Some(status.code().into()),
        completed_on.clone(),
        Some(body.result.trim().to_string()).filter(|r| !r.is_empty()),
        Some(format!(
            "sửa qua API bởi {}, {}",
            auth.account.id,
            tiendo_core::format::date(today)
        )),
    ];
    let before = stored.map(|v| v.row);
    let changed = before.as_ref() != Some(&after);
    app.store
        .apply(
            &[Change {
                entity: &TASK_UPDATES,
                key: key.clone(),
                before,
                after,
            }],
            &auth.account.id,
            "sửa trực tiếp",
        )
        .await?;
    app.invalidate();
    // The version now stored: one more when this request changed the record, the same
    // when it changed nothing (an identical retry).
    let version = if changed { expected + 1 } else { expected };
    Ok((
        [(header::ETAG, etag(version))],
        Json(TaskUpdateRecord {
            status: status.code().into(),
            completed_on,
            result: body.result.trim().into(),
            version,
        }),
    )
        .into_response())
}

/// The narrative of a programme's report for a period, with its version (0 when nothing
/// is written) and the figure references that do not resolve against the current records.
#[utoipa::path(get, path = "/api/v1/narratives/{programme}/{period}", params(("programme" = String, Path), ("period" = String, Path, example = "2024-05")),
    responses((status = 200, description = "Thành công (OK)", body = NarrativeRecord, headers(("ETag" = String, description = "The record's version"))), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "reports")]
async fn get_narrative(
    State(app): AppState,
    _auth: Reader,
    Path((programme, period)): Path<(String, String)>,
) -> AppResult<Response> {
    let period = parse_period(&period)?;
    let data = app.data().await?;
    let stored = tiendo_store::narrative::narrative(&app.store, &programme, &period.code()).await?;
    let problems =
        narratives::preview(&data, &programme, period, &stored.narrative, Lang::Vi)?.problems;
    Ok((
        [(header::ETAG, etag(stored.version))],
        Json(NarrativeRecord::of(&stored, problems)),
    )
        .into_response())
}

/// Write the narrative of a programme's report for a period (secretariat of the programme,
/// administrator). `If-Match` must carry the version read ("0" when nothing was stored); a
/// stale version is refused with 409 and the current record. References that do not
/// resolve are saved and listed in `problems`: they block issuing, not writing.
#[utoipa::path(put, path = "/api/v1/narratives/{programme}/{period}", params(("programme" = String, Path), ("period" = String, Path, example = "2024-05"), ("If-Match" = String, Header, description = "Version read (ETag); \"0\" to create")),
    request_body = NarrativeRecord,
    responses((status = 200, description = "Thành công (OK)", body = NarrativeRecord), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 409, description = "Bản ghi đã bị thay đổi (conflict)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody), (status = 428, description = "Thiếu If-Match (precondition required)", body = ErrorBody)), tag = "reports")]
async fn put_narrative(
    State(app): AppState,
    auth: Auth,
    headers: HeaderMap,
    Path((programme, period)): Path<(String, String)>,
    Body(body): Body<NarrativeRecord>,
) -> AppResult<Response> {
    csrf(&auth, &headers)?;
    let period = parse_period(&period)?;
    auth.may(&Action::Edit {
        programme_id: &programme,
    })?;
    let data = app.data().await?;
    if data.programme(&programme).is_none() {
        return Err(AppError::not_found("chương trình", "Programme"));
    }
    let expected = if_match(&headers)?;
    tiendo_store::narrative::save(
        &app.store,
        &programme,
        &period.code(),
        &body.narrative(),
        expected,
        &auth.account.id,
    )
    .await?;
    let stored = tiendo_store::narrative::narrative(&app.store, &programme, &period.code()).await?;
    let problems =
        narratives::preview(&data, &programme, period, &stored.narrative, Lang::Vi)?.problems;
    Ok((
        [(header::ETAG, etag(stored.version))],
        Json(NarrativeRecord::of(&stored, problems)),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/submissions/{programme}/{period}/{agency}", params(("programme" = String, Path), ("period" = String, Path), ("agency" = String, Path)),
    responses((status = 200, description = "Thành công (OK)", body = SubmissionView), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody)), tag = "entry")]
async fn get_submission(
    State(app): AppState,
    auth: Auth,
    RequestLang(lang): RequestLang,
    Path((programme, period, agency)): Path<(String, String, String)>,
) -> AppResult<Json<SubmissionView>> {
    auth.may(&Action::ReadSubmission {
        agency_id: &agency,
        programme_id: &programme,
    })?;
    Ok(Json(
        entry::submission(
            &app.store,
            &agency,
            &programme,
            parse_period(&period)?,
            lang,
        )
        .await?,
    ))
}

/// One entry with the versions it is based on.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EntryRequest {
    pub entry: Entry,
    /// Version of the stored record the entry is based on (0: none).
    #[serde(default)]
    pub base_version: i64,
    /// Version of the already staged entry being replaced (0: none).
    #[serde(default)]
    pub item_version: i64,
}

#[utoipa::path(post, path = "/api/v1/submissions/{programme}/{period}/{agency}/entries", params(("programme" = String, Path), ("period" = String, Path), ("agency" = String, Path)), request_body = EntryRequest,
    responses((status = 201, description = "Đã tạo (created)", body = StagedItem), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 409, description = "Bản ghi đã bị thay đổi (conflict)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "entry")]
async fn post_entry(
    State(app): AppState,
    auth: Auth,
    headers: HeaderMap,
    Path((programme, period, agency)): Path<(String, String, String)>,
    Body(body): Body<EntryRequest>,
) -> AppResult<(StatusCode, Json<StagedItem>)> {
    csrf(&auth, &headers)?;
    let item = entry::stage(
        &app,
        &auth,
        &agency,
        &programme,
        parse_period(&period)?,
        &body.entry,
        body.base_version,
        body.item_version,
        None,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(item)))
}

#[utoipa::path(post, path = "/api/v1/submissions/{programme}/{period}/{agency}/submit", params(("programme" = String, Path), ("period" = String, Path), ("agency" = String, Path)),
    responses((status = 200, description = "Thành công (OK)", body = SubmissionView), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 409, description = "Bản ghi đã bị thay đổi (conflict)", body = ErrorBody)), tag = "entry")]
async fn post_submit(
    State(app): AppState,
    auth: Auth,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path((programme, period, agency)): Path<(String, String, String)>,
) -> AppResult<Json<SubmissionView>> {
    csrf(&auth, &headers)?;
    let period = parse_period(&period)?;
    entry::submit(&app, &auth, &agency, &programme, period).await?;
    Ok(Json(
        entry::submission(&app.store, &agency, &programme, period, lang).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/submissions/{programme}/{period}/{agency}/withdraw", params(("programme" = String, Path), ("period" = String, Path), ("agency" = String, Path)),
    responses((status = 200, description = "Thành công (OK)", body = SubmissionView), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 409, description = "Không rút lại được (not withdrawable)", body = ErrorBody)), tag = "entry")]
async fn post_withdraw(
    State(app): AppState,
    auth: Auth,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path((programme, period, agency)): Path<(String, String, String)>,
) -> AppResult<Json<SubmissionView>> {
    csrf(&auth, &headers)?;
    let period = parse_period(&period)?;
    entry::withdraw(&app, &auth, &agency, &programme, period).await?;
    Ok(Json(
        entry::submission(&app.store, &agency, &programme, period, lang).await?,
    ))
}

/// A review decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    pub accept: bool,
    #[serde(default)]
    pub comment: String,
}

#[utoipa::path(post, path = "/api/v1/submissions/{programme}/{period}/{agency}/review", params(("programme" = String, Path), ("period" = String, Path), ("agency" = String, Path)), request_body = ReviewRequest,
    responses((status = 200, description = "Thành công (OK)", body = SubmissionView), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 409, description = "Bản ghi đã bị thay đổi (conflict)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "entry")]
async fn post_review(
    State(app): AppState,
    auth: Auth,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    Path((programme, period, agency)): Path<(String, String, String)>,
    Body(body): Body<ReviewRequest>,
) -> AppResult<Json<SubmissionView>> {
    csrf(&auth, &headers)?;
    let period = parse_period(&period)?;
    entry::review(
        &app,
        &auth,
        &agency,
        &programme,
        period,
        body.accept,
        &body.comment,
    )
    .await?;
    Ok(Json(
        entry::submission(&app.store, &agency, &programme, period, lang).await?,
    ))
}

/// Open (`locked: false`), lock, or reopen (with a reason) a period.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PeriodRequest {
    pub locked: bool,
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(put, path = "/api/v1/periods/{programme}/{period}", params(("programme" = String, Path), ("period" = String, Path)), request_body = PeriodRequest,
    responses((status = 200, description = "Thành công (OK)", body = PeriodState), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "entry")]
async fn put_period(
    State(app): AppState,
    auth: Auth,
    headers: HeaderMap,
    Path((programme, period)): Path<(String, String)>,
    Body(body): Body<PeriodRequest>,
) -> AppResult<Json<PeriodState>> {
    csrf(&auth, &headers)?;
    Ok(Json(
        entry::set_period(
            &app,
            &auth,
            &programme,
            parse_period(&period)?,
            body.locked,
            &body.reason,
        )
        .await?,
    ))
}

/// A new API token for an account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    pub account_id: String,
    pub name: String,
    /// Space-separated: `read`, `write`, `events:<source>`.
    pub scopes: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    /// Shown once; only its hash is kept.
    pub token: String,
}

#[utoipa::path(post, path = "/api/v1/tokens", request_body = TokenRequest, responses((status = 201, description = "Đã tạo (created)", body = TokenCreated), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "accounts")]
async fn post_token(
    State(app): AppState,
    auth: Auth,
    headers: HeaderMap,
    Body(body): Body<TokenRequest>,
) -> AppResult<(StatusCode, Json<TokenCreated>)> {
    csrf(&auth, &headers)?;
    auth.may(&Action::Administer)?;
    if app
        .store
        .get(&tiendo_store::workflow::ACCOUNTS, &body.account_id)
        .await?
        .is_none()
    {
        return Err(AppError::invalid(
            "account_id",
            "Không có tài khoản này.",
            "No such account.",
        ));
    }
    if tiendo_core::access::TokenScopes::parse(&body.scopes).is_none() {
        return Err(AppError::invalid(
            "scopes",
            "Phạm vi hợp lệ: read, write, events:<nguồn>.",
            "Valid scopes: read, write, events:<source>.",
        ));
    }
    let token = tiendo_app::accounts::create_token(
        &app.store,
        &body.account_id,
        &body.name,
        &body.scopes,
        &auth.account.id,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { token })))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", params(("id" = String, Path)), responses((status = 204, description = "Đã thu hồi (revoked)"), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody)), tag = "accounts")]
async fn delete_token(
    State(app): AppState,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    csrf(&auth, &headers)?;
    auth.may(&Action::Administer)?;
    let stored = app
        .store
        .get(&tiendo_store::workflow::API_TOKENS, &id)
        .await?
        .ok_or_else(|| AppError::not_found("mã truy cập", "Token"))?;
    let mut after = stored.row.clone();
    let revoked_at = tiendo_store::workflow::API_TOKENS
        .index("revoked_at")
        .ok_or_else(|| AppError::internal("api_tokens has no revoked_at"))?;
    after[revoked_at] = Some(tiendo_app::accounts::now_rfc3339());
    app.store
        .apply(
            &[Change {
                entity: &tiendo_store::workflow::API_TOKENS,
                key: id,
                before: Some(stored.row),
                after,
            }],
            &auth.account.id,
            "thu hồi mã truy cập",
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which source a batch of events is for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// The source system; needed only when the token may write for several sources.
    pub source: Option<String>,
}

/// Receive a batch of dossier events (NDJSON, one event per line; schema in
/// `docs/dossier-events.schema.json`) from a source system, with a token scoped
/// `events:<source>`. The answer comes once the accepted events are durable (written and
/// fsynced): every line is accounted for as accepted, duplicate (already received: never
/// counted twice) or rejected with its line number and reason; valid lines are kept even
/// when others are rejected. Re-send anything not acknowledged.
#[utoipa::path(post, path = "/api/v1/events", params(EventsQuery), request_body(content = String, content_type = "application/x-ndjson"),
    responses((status = 200, description = "Lines accepted, duplicates and rejected lines with their reasons (IngestReport)", content_type = "application/json"),
        (status = 401, description = "Chưa đăng nhập (unauthenticated)", body = ErrorBody), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody), (status = 503, description = "Chưa cấu hình kho sự kiện (no event store)", body = ErrorBody)), tag = "events")]
async fn post_events(
    State(app): AppState,
    auth: Auth,
    Params(q): Params<EventsQuery>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let source = match (q.source.as_deref(), auth.event_sources()) {
        (Some(s), _) => s.to_string(),
        (None, [only]) => only.clone(),
        (None, []) => String::new(),
        (None, _) => {
            return Err(AppError::invalid(
                "source",
                "Mã truy cập dùng cho nhiều nguồn: chọn nguồn bằng ?source=.",
                "The token serves several sources: choose one with ?source=.",
            ));
        }
    };
    auth.may(&Action::Ingest { source: &source })?;
    let events = app.events.as_ref().ok_or_else(|| {
        AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_event_store",
            "Máy chủ chưa được cấu hình kho sự kiện.",
            "The server has no event store configured.",
        )
    })?;
    let report = events
        .ingest_ndjson(&source, &body)
        .await
        .map_err(AppError::internal)?;
    Ok(Json(report).into_response())
}

/// Which editions to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EditionsQuery {
    /// Programme id (default: every programme).
    pub programme: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/editions", params(EditionsQuery), responses((status = 200, description = "Thành công (OK)", body = Vec<EditionView>)), tag = "reports")]
async fn list_editions(
    State(app): AppState,
    _auth: Reader,
    Params(q): Params<EditionsQuery>,
) -> AppResult<Json<Vec<EditionView>>> {
    let all = tiendo_store::edition::editions(
        &app.store,
        q.programme.as_deref().filter(|p| !p.is_empty()),
    )
    .await?;
    Ok(Json(all.iter().map(EditionView::of).collect()))
}

#[utoipa::path(get, path = "/api/v1/editions/{id}", params(("id" = String, Path)), responses((status = 200, description = "Thành công (OK)", body = EditionDetail), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody)), tag = "reports")]
async fn get_edition(
    State(app): AppState,
    _auth: Reader,
    Path(id): Path<String>,
) -> AppResult<Json<EditionDetail>> {
    Ok(Json(EditionDetail::of(
        &tiendo_app::editions::draw_again(&app.store, &id).await?,
    )))
}

#[utoipa::path(get, path = "/api/v1/editions/{id}/files/{format}", params(("id" = String, Path), ("format" = String, Path, example = "docx")),
    responses((status = 200, description = "The file as issued"), (status = 404, description = "Không tìm thấy (not found)", body = ErrorBody)), tag = "reports")]
async fn get_edition_file(
    State(app): AppState,
    _auth: Reader,
    Path((id, format)): Path<(String, String)>,
) -> AppResult<Response> {
    let edition = tiendo_store::edition::edition(&app.store, &id)
        .await?
        .ok_or_else(|| AppError::not_found("bản báo cáo", "Edition"))?;
    let file = edition
        .file(&format)
        .ok_or_else(|| AppError::not_found("tệp", "File"))?;
    let bytes = app
        .store
        .blob(&file.sha256)
        .await?
        .ok_or_else(|| AppError::not_found("tệp", "File"))?;
    let name = format!("attachment; filename=\"{}.{}\"", edition.id, file.format);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(tiendo_document::edition::content_type(&file.format)),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&name).map_err(AppError::internal)?,
            ),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/editions", request_body = IssueBody,
    responses((status = 201, description = "Đã ban hành (issued)", body = EditionDetail), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody), (status = 422, description = "Dữ liệu không hợp lệ (invalid)", body = ErrorBody)), tag = "reports")]
async fn post_edition(
    State(app): AppState,
    auth: Auth,
    headers: HeaderMap,
    Body(body): Body<IssueBody>,
) -> AppResult<(StatusCode, Json<EditionDetail>)> {
    csrf(&auth, &headers)?;
    auth.may(&Action::Issue {
        programme_id: &body.programme,
    })?;
    let public_from = body.public_from;
    let drawn = tiendo_app::editions::issue(&app.store, body.request()?, &auth.account.id).await?;
    if let Some(day) = public_from {
        tiendo_store::publication::publish(&app.store, &drawn.edition.id, day, &auth.account.id)
            .await?;
        app.public.invalidate();
    }
    Ok((StatusCode::CREATED, Json(EditionDetail::of(&drawn))))
}

/// The event store as the administrator sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventsStatus {
    /// Whether the server has an event store.
    pub configured: bool,
    /// Events received and durable, not yet compacted into Parquet.
    pub pending: usize,
    pub compaction: CompactionStatus,
}

#[utoipa::path(get, path = "/api/v1/events/status", responses((status = 200, description = "Thành công (OK)", body = EventsStatus), (status = 403, description = "Không có quyền (forbidden)", body = ErrorBody)), tag = "events")]
async fn events_status(State(app): AppState, auth: Auth) -> AppResult<Json<EventsStatus>> {
    auth.may(&Action::Administer)?;
    Ok(Json(EventsStatus {
        configured: app.events.is_some(),
        pending: app.events.as_ref().map_or(0, |e| e.pending_events()),
        compaction: app.compaction.lock().expect("status lock").clone(),
    }))
}
