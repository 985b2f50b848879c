//! Data entry by an agency's reporter (`/entry`) and the evidence files (`/evidence`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use tiendo_core::access::{Action, authorize};
use tiendo_core::model::{Dataset, ReportedStatus};
use tiendo_core::submission::{self, SubmissionStatus};
use tiendo_exchange::records::{CHECKLIST_ITEMS, Entity, OBSERVATIONS};
use tiendo_store::Store;

use crate::auth::{self, Auth, MaybeAuth};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::page::{Page, PageResult, v};
use crate::params::parse_period;
use crate::state::App;
use crate::views;
use tiendo_app::entry::{self, Entry, PeriodState};

use super::conflict::{Stale, conflict_page};

#[derive(Deserialize)]
pub(super) struct EntryQuery {
    pub(super) programme: Option<String>,
    pub(super) period: Option<String>,
}

/// The reporter's open periods with labels.
async fn open_period_views<S: Store>(
    store: &S,
    data: &Dataset,
    lang: Lang,
) -> Result<Vec<Value>, AppError> {
    Ok(entry::open_periods(store)
        .await?
        .into_iter()
        .map(|(programme_id, period)| {
            let name = data.programme(&programme_id).map_or(programme_id.clone(), |p| p.short_name.clone());
            context! { programme_id => programme_id, programme => name, period => period.code(), label => lang.pick(&period.label_vi(), &period.label_en()).to_string() }
        })
        .collect())
}

fn staged<'a>(
    sub: &'a entry::SubmissionView,
    entity: &Entity,
    key: &str,
) -> Option<&'a entry::StagedItem> {
    sub.items
        .iter()
        .find(|i| i.entity == entity.name && i.record_key == key)
}

pub(super) async fn entry_page(page: Page, Query(q): Query<EntryQuery>) -> PageResult {
    let a = &page.auth;
    let agency_id = reporter_agency(a).map_err(|e| page.fail(e))?;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    // The entry page is the agency's own submission: whoever may read it in a programme.
    if !data.programmes.iter().any(|p| {
        authorize(
            &a.principal,
            &Action::ReadSubmission {
                agency_id: &agency_id,
                programme_id: &p.id,
            },
        )
        .is_ok()
    }) {
        return Err(page.fail(tiendo_core::access::Denied::Role));
    }
    let periods = open_period_views(&page.app.store, &data, page.lang)
        .await
        .map_err(|e| page.fail(e))?;
    let chosen = match (
        &q.programme,
        parse_period(q.period.as_ref()).map_err(|e| page.fail(e))?,
    ) {
        (Some(p), Some(period)) => Some((p.clone(), period)),
        _ => entry::open_periods(&page.app.store)
            .await
            .map_err(|e| page.fail(e))?
            .into_iter()
            .next(),
    };
    let agency_name = data
        .agency(&agency_id)
        .map_or(agency_id.clone(), |a| a.name.clone());
    let Some((programme_id, period)) = chosen else {
        return page.ok(
            "entry.html",
            "entry",
            context! { agency_name => agency_name, periods => periods },
        );
    };
    let family: Vec<&str> = data
        .programme_family(&programme_id)
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let due = submission::due_items(&data, &family, &agency_id, period);
    let sub = entry::submission(
        &page.app.store,
        &agency_id,
        &programme_id,
        period,
        page.lang,
    )
    .await
    .map_err(|e| page.fail(e))?;
    let state = entry::period_state(&page.app.store, &programme_id, period)
        .await
        .map_err(|e| page.fail(e))?;
    let editable = state == PeriodState::Open
        && sub
            .status
            .parse::<SubmissionStatus>()
            .is_ok_and(|s| s.editable());
    let version = |entity: &'static Entity, key: String| {
        let store = &page.app.store;
        async move {
            store
                .get(entity, &key)
                .await
                .map(|v| v.map_or(0, |v| v.version))
        }
    };
    let text = |item: Option<&entry::StagedItem>, field: &str| {
        item.and_then(|i| i.after.get(field))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let as_of = tiendo_core::clock::today_in_vietnam().min(
        period.end(
            data.programme(&programme_id)
                .map(|p| p.regime)
                .unwrap_or_default(),
        ),
    );
    let mut tasks = Vec::new();
    for t in &due.tasks {
        // Where the agency's report goes: its own part of a shared task, or the task's
        // update; the staged item and the version are looked up where it was written.
        let (entity, key) =
            entry::task_record(&data, t, &agency_id, period, as_of).map_err(|e| page.fail(e))?;
        let item = staged(&sub, entity, &key);
        let base = version(entity, key.clone())
            .await
            .map_err(|e| page.fail(e))?;
        tasks.push(context! { id => &t.id, number => &t.number, title => &t.title, deadline => &t.deadline.text, base_version => item.map_or(base, |i| i.base_version), item_version => item.map_or(0, |i| i.version), staged => item.is_some(), status => text(item, "status"), completed_on => text(item, "completed_on"), result => text(item, "result") });
    }
    let mut indicators = Vec::new();
    for i in &due.indicators {
        let key = format!("{}|{}|{}|declared", i.id, agency_id, period.code());
        let item = staged(&sub, &OBSERVATIONS, &key);
        let base = version(&OBSERVATIONS, key.clone())
            .await
            .map_err(|e| page.fail(e))?;
        let stored = data.observations.iter().find(|o| {
            o.indicator_id == i.id
                && o.agency_id.as_deref() == Some(agency_id.as_str())
                && o.period == period
        });
        // Numbers in Vietnamese writing, whether staged (stored as "85.5") or accepted.
        let fmt = |v: Option<f64>| v.map(|v| tiendo_core::format::decimal(v, 4));
        let staged_number =
            |field: &str| fmt(text(item, field).and_then(|t| t.parse::<f64>().ok()));
        indicators.push(context! { id => &i.id, code => &i.code, name => &i.name, unit => &i.unit, ratio => i.aggregation == tiendo_core::model::Aggregation::Ratio, base_version => item.map_or(base, |i| i.base_version), item_version => item.map_or(0, |i| i.version), staged => item.is_some(),
            value => staged_number("value").or_else(|| fmt(stored.map(|o| o.value))), numerator => staged_number("numerator").or_else(|| fmt(stored.and_then(|o| o.numerator))), denominator => staged_number("denominator").or_else(|| fmt(stored.and_then(|o| o.denominator))) });
    }
    let mut requirements = Vec::new();
    for r in &due.requirements {
        let key = format!("{}|{}|{}", r.id, agency_id, as_of);
        let item = staged(&sub, &CHECKLIST_ITEMS, &key);
        let base = version(&CHECKLIST_ITEMS, key.clone())
            .await
            .map_err(|e| page.fail(e))?;
        requirements.push(context! { id => &r.id, title => &r.title, base_version => item.map_or(base, |i| i.base_version), item_version => item.map_or(0, |i| i.version), staged => item.is_some(), done => text(item, "done").as_deref() == Some("true"), done_on => text(item, "done_on"), evidence => text(item, "evidence") });
    }
    let task_statuses: Vec<(&str, &str)> = ReportedStatus::ALL
        .iter()
        .map(|s| (s.code(), views::reported_status_text(*s, page.lang)))
        .collect();
    page.ok(
        "entry.html",
        "entry",
        context! { agency_name => agency_name, periods => periods, programme_id => programme_id, period => period.code(), sub => v(&sub), editable => editable,
        due => context! { tasks => tasks, indicators => indicators, requirements => requirements }, task_statuses => task_statuses },
    )
}

#[derive(Deserialize)]
pub(super) struct EntryForm {
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
    a.account
        .agency_id
        .clone()
        .ok_or_else(|| tiendo_core::access::Denied::Role.into())
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
    /// An evidence file sent with a checklist entry.
    upload: Option<entry::Upload<'a>>,
}

async fn stage_and_return(page: &Page, headers: &HeaderMap, post: EntryPost<'_>) -> PageResult {
    let a = &page.auth;
    a.check_csrf(headers, post.csrf).map_err(|e| page.fail(e))?;
    let period = parse_period(Some(post.period))
        .map_err(|e| page.fail(e))?
        .ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    let agency = reporter_agency(a).map_err(|e| page.fail(e))?;
    let staged = entry::stage(
        &page.app,
        a,
        &agency,
        post.programme,
        period,
        &post.entry,
        post.base_version,
        post.item_version,
        post.upload,
    )
    .await;
    if let Err(e) = staged {
        let stale = Stale {
            programme: post.programme,
            period,
            entry: &post.entry,
            base_version: post.base_version,
            item_version: post.item_version,
        };
        return Err(conflict_page(page, stale, e.into()).await);
    }
    Ok(Redirect::to(&format!(
        "/entry?programme={}&period={}",
        post.programme,
        period.code()
    ))
    .into_response())
}

pub(super) async fn entry_task(
    page: Page,
    headers: HeaderMap,
    Form(f): Form<EntryForm>,
) -> PageResult {
    let entry = Entry::Task {
        task_id: f.task_id.unwrap_or_default(),
        status: f.status.unwrap_or_default(),
        completed_on: f.completed_on,
        result: f.result.unwrap_or_default(),
    };
    stage_and_return(
        &page,
        &headers,
        EntryPost {
            csrf: f.csrf.as_deref(),
            programme: &f.programme,
            period: &f.period,
            entry,
            base_version: f.base_version,
            item_version: f.item_version,
            upload: None,
        },
    )
    .await
}

pub(super) async fn entry_indicator(
    page: Page,
    headers: HeaderMap,
    Form(f): Form<EntryForm>,
) -> PageResult {
    let entry = Entry::Indicator {
        indicator_id: f.indicator_id.unwrap_or_default(),
        value: f.value,
        numerator: f.numerator,
        denominator: f.denominator,
        note: String::new(),
    };
    stage_and_return(
        &page,
        &headers,
        EntryPost {
            csrf: f.csrf.as_deref(),
            programme: &f.programme,
            period: &f.period,
            entry,
            base_version: f.base_version,
            item_version: f.item_version,
            upload: None,
        },
    )
    .await
}

/// A multipart body that could not be read: too large (413), or malformed.
fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::too_large(entry::EVIDENCE_LIMIT)
    } else {
        AppError::invalid(
            "file",
            format!("Không đọc được tệp gửi lên: {}", e.body_text()),
            format!("Could not read the upload: {}", e.body_text()),
        )
    }
}

pub(super) async fn entry_checklist(
    page: Page,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> PageResult {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| page.fail(multipart_error(e)))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| page.fail(multipart_error(e)))?;
            if !bytes.is_empty() {
                file = Some((file_name, bytes.to_vec()));
            }
        } else {
            fields.insert(
                name,
                field
                    .text()
                    .await
                    .map_err(|e| page.fail(multipart_error(e)))?,
            );
        }
    }
    let a = &page.auth;
    a.check_csrf(&headers, fields.get("csrf").map(String::as_str))
        .map_err(|e| page.fail(e))?;
    let mut evidence = fields.get("evidence").cloned().unwrap_or_default();
    let programme = fields.get("programme").cloned().unwrap_or_default();
    let period = fields.get("period").cloned().unwrap_or_default();
    let upload = file.as_ref().map(|(name, bytes)| entry::Upload {
        file_name: name,
        bytes,
    });
    if let Some(upload) = &upload {
        evidence = [
            evidence.trim(),
            &format!("{} {}", upload.reference(), upload.file_name),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("; ");
    }
    let entry = Entry::Checklist {
        requirement_id: fields.get("requirement_id").cloned().unwrap_or_default(),
        done: fields.get("done").is_some_and(|d| d == "true"),
        done_on: fields.get("done_on").cloned(),
        evidence,
    };
    let number = |k: &str| fields.get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
    let post = EntryPost {
        csrf: fields.get("csrf").map(String::as_str),
        programme: &programme,
        period: &period,
        entry,
        base_version: number("base_version"),
        item_version: number("item_version"),
        upload,
    };
    stage_and_return(&page, &headers, post).await
}

/// The programme and period of a request, both required.
fn programme_and_period(
    programme: Option<&str>,
    period: Option<&str>,
) -> Result<(String, tiendo_core::period::Period), AppError> {
    let programme = programme.filter(|p| !p.is_empty()).ok_or_else(|| {
        AppError::invalid("programme", "Thiếu chương trình.", "Missing programme.")
    })?;
    let period = parse_period(period)?
        .ok_or_else(|| AppError::invalid("period", "Thiếu kỳ.", "Missing period."))?;
    Ok((programme.to_string(), period))
}

/// The Excel template of what the reporter's agency owes for the programme and period:
/// the same items as the entry form.
pub(super) async fn entry_template(page: Page, Query(q): Query<EntryQuery>) -> PageResult {
    let agency = reporter_agency(&page.auth).map_err(|e| page.fail(e))?;
    let (programme, period) = programme_and_period(q.programme.as_deref(), q.period.as_deref())
        .map_err(|e| page.fail(e))?;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    if data.programme(&programme).is_none() {
        return Err(page.fail(AppError::not_found("chương trình", "Programme")));
    }
    let request = tiendo_document::template::TemplateRequest {
        agency_id: agency.clone(),
        period,
        programme_id: Some(programme.clone()),
    };
    let bytes = tiendo_document::template::template(&data, &request)
        .map_err(|e| page.fail(AppError::internal(e)))?;
    let disposition = format!(
        "attachment; filename=\"bieu-mau-{programme}-{}-{agency}.xlsx\"",
        period.code()
    );
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(tiendo_document::edition::content_type("xlsx")),
        ),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).map_err(|e| page.fail(AppError::internal(e)))?,
        ),
    ];
    Ok((headers, bytes).into_response())
}

/// A filled template sent back from the entry page: read, each row staged in the
/// agency's submission through the same checks as the form, all or nothing; the errors
/// name the file, the sheet, the row or cell and the reason.
pub(super) async fn entry_template_upload(
    page: Page,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> PageResult {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| page.fail(multipart_error(e)))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| page.fail(multipart_error(e)))?;
            file = Some((file_name, bytes.to_vec()));
        } else {
            let text = field
                .text()
                .await
                .map_err(|e| page.fail(multipart_error(e)))?;
            fields.insert(name, text);
        }
    }
    let a = &page.auth;
    a.check_csrf(&headers, fields.get("csrf").map(String::as_str))
        .map_err(|e| page.fail(e))?;
    let agency = reporter_agency(a).map_err(|e| page.fail(e))?;
    let (programme, period) = programme_and_period(
        fields.get("programme").map(String::as_str),
        fields.get("period").map(String::as_str),
    )
    .map_err(|e| page.fail(e))?;
    entry::may_enter(&page.app, a, &agency, &programme, period)
        .await
        .map_err(|e| page.fail(e))?;
    let (file_name, bytes) = file.filter(|(_, b)| !b.is_empty()).ok_or_else(|| {
        page.fail(AppError::invalid(
            "file",
            "Chưa chọn tệp biểu mẫu Excel.",
            "No Excel template was chosen.",
        ))
    })?;
    entry::stage_template(
        &page.app,
        a,
        &file_name,
        &bytes,
        Some((&agency, &programme, period)),
    )
    .await
    .map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!(
        "/entry?programme={programme}&period={}",
        period.code()
    ))
    .into_response())
}

#[derive(Deserialize)]
pub(super) struct PeriodForm {
    csrf: Option<String>,
    programme: String,
    period: String,
}

pub(super) async fn entry_submit(
    page: Page,
    headers: HeaderMap,
    Form(f): Form<PeriodForm>,
) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref())
        .map_err(|e| page.fail(e))?;
    let period = parse_period(Some(&f.period))
        .map_err(|e| page.fail(e))?
        .ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    let agency = reporter_agency(a).map_err(|e| page.fail(e))?;
    entry::submit(&page.app, a, &agency, &f.programme, period)
        .await
        .map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!(
        "/entry?programme={}&period={}",
        f.programme,
        period.code()
    ))
    .into_response())
}

/// The reporter takes back what it sent, to change it.
pub(super) async fn entry_withdraw(
    page: Page,
    headers: HeaderMap,
    Form(f): Form<PeriodForm>,
) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref())
        .map_err(|e| page.fail(e))?;
    let period = parse_period(Some(&f.period))
        .map_err(|e| page.fail(e))?
        .ok_or_else(|| page.fail(AppError::invalid("period", "Thiếu kỳ.", "Missing period.")))?;
    let agency = reporter_agency(a).map_err(|e| page.fail(e))?;
    entry::withdraw(&page.app, a, &agency, &f.programme, period)
        .await
        .map_err(|e| page.fail(e))?;
    Ok(Redirect::to(&format!(
        "/entry?programme={}&period={}",
        f.programme,
        period.code()
    ))
    .into_response())
}

pub(super) async fn evidence(
    State(app): State<Arc<App>>,
    auth: MaybeAuth,
    Path(sha): Path<String>,
) -> Response {
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
            let name: String = tiendo_store::workflow::EvidenceRecord::from_row(&meta.row)
                .file_name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                .collect();
            let headers = [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(entry::EVIDENCE_CONTENT_TYPE),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                        .unwrap_or(HeaderValue::from_static("attachment")),
                ),
            ];
            (headers, bytes).into_response()
        }
        Ok(None) => AppError::not_found("tệp minh chứng", "Evidence file").into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}
