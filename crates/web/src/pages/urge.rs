//! The secretariat's chasing page (`/urge`): for a programme, period and date, what each
//! agency owes ([`tiendo_core::urge`]), its urging letter to download (DOCX, PDF,
//! Markdown, HTML), and the journal of e-mail reminders with their errors and a button
//! that sends the failed ones again. The server may also run the reminder pass once a
//! day ([`tiendo_app::reminders`]).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::Deserialize;
use tiendo_app::urge::{Chase, LetterError};
use tiendo_core::access::Action;
use tiendo_core::format;
use tiendo_core::model::{Dataset, Programme};
use tiendo_store::reminder;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::page::{Page, PageResult, v};
use crate::params::{parse_date, parse_period};
use crate::state::App;

/// Items due within this many days are shown beside what is owed.
const DUE_SOON_DAYS: i64 = 7;

pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/urge", get(urge_page))
        .route("/urge/letter", get(letter))
        .route("/urge/retry", post(retry))
}

/// The programmes (top level) whose agencies this account may chase.
fn chaseable<'a>(data: &'a Dataset, auth: &Auth) -> Vec<&'a Programme> {
    data.programmes
        .iter()
        .filter(|p| {
            p.parent_id.is_none()
                && auth
                    .may(&Action::Review {
                        programme_id: &p.id,
                    })
                    .is_ok()
        })
        .collect()
}

/// What is owed, from the query (defaults: the first programme the account may chase,
/// its latest period, the end of that period).
async fn owed_for<'a>(
    page: &Page,
    data: &'a Dataset,
    q: &HashMap<String, String>,
) -> AppResult<Chase<'a>> {
    let auth = &page.auth;
    let programmes = chaseable(data, auth);
    if programmes.is_empty() {
        return Err(tiendo_core::access::Denied::Role.into());
    }
    let programme = match q.get("programme").filter(|p| !p.is_empty()) {
        Some(id) => {
            let p = data
                .programme(id)
                .ok_or_else(|| AppError::not_found("chương trình", "programme"))?;
            auth.may(&Action::Review {
                programme_id: &p.id,
            })?;
            p
        }
        None => programmes[0],
    };
    Ok(tiendo_app::urge::chase(
        &page.app.store,
        data,
        programme,
        parse_period(q.get("period"))?,
        parse_date(q.get("as_of"))?,
        DUE_SOON_DAYS,
    )
    .await?)
}

async fn urge_page(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let chase = owed_for(&page, &data, &q).await.map_err(|e| page.fail(e))?;
    let (programme, dates, owed) = (chase.programme, &chase.dates, &chase.owed);
    let behind: Vec<&str> = chase.behind(&data).map(|o| o.agency.id.as_str()).collect();
    let lang = page.lang;
    let agencies: Vec<_> = owed
        .iter()
        .map(|o| {
            let report = o.report.as_ref().map(|r| match r.submitted_on {
                Some(sent) => format!("{} {}", lang.pick("gửi muộn ngày", "sent late on"), format::date(sent)),
                None => format!("{} {}", lang.pick("chưa gửi, hạn", "not sent, due"), format::date(r.due)),
            });
            context! {
                id => o.agency.id.clone(),
                name => o.agency.short_name.clone(),
                behind => behind.contains(&o.agency.id.as_str()),
                overdue => o.overdue.iter().map(|t| context! { id => t.task.id.clone(), number => t.task.number.clone(), title => t.task.title.clone(), deadline => t.task.deadline.text.clone(), due => format::date(t.due), days => t.days }).collect::<Vec<_>>(),
                missing => o.missing_items.iter().map(|m| context! { title => m.requirement.title.clone(), due => format::date(m.due), days => m.days }).collect::<Vec<_>>(),
                report => report,
                due_soon => o.tasks_due_soon.len() + o.items_due_soon.len() + usize::from(o.report_due_soon.is_some()),
            }
        })
        .collect();
    let journal: Vec<_> = reminder::reminders(&page.app.store)
        .await
        .map_err(|e| page.fail(e))?
        .into_iter()
        .take(200)
        .map(|r| {
            let agency = data.agency(&r.agency_id).map_or_else(|| r.agency_id.clone(), |a| a.short_name.clone());
            context! {
                agency => agency, item => item_words(&data, &r.item, lang), kind => lang.pick(r.kind.label_vi(), r.kind.label_en()), day => format::date(r.day), subject => r.subject.clone(),
                recipients => r.recipients.join(", "), status => r.status.code(), attempts => r.attempts, error => r.last_error.clone(),
                when => lang.local_time(if r.sent_at.is_empty() { &r.updated_at } else { &r.sent_at }), retryable => r.retryable(),
            }
        })
        .collect();
    let auth = &page.auth;
    page.ok(
        "urge.html",
        "urge",
        context! {
            programmes => v(chaseable(&data, auth)), programme_id => programme.id.clone(), period => dates.period.code(), period_label => lang.pick(&dates.period.label_vi(), &dates.period.label_en()).to_string(),
            as_of => dates.as_of.to_string(), as_of_text => format::date(dates.as_of), agencies => agencies, behind => behind.len(),
            journal => journal, mail => page.app.settings.mail.is_some(), due_soon_days => DUE_SOON_DAYS,
        },
    )
}

/// A reminder's item in words: the task's number and title, the requirement, the report's
/// period, the digest.
fn item_words(data: &Dataset, item: &str, lang: crate::i18n::Lang) -> String {
    match item.split_once(':') {
        Some(("task", id)) => data.tasks.iter().find(|t| t.id == id).map_or_else(
            || id.to_string(),
            |t| {
                format!(
                    "{} {}: {}",
                    lang.pick("Nhiệm vụ", "Task"),
                    t.number,
                    t.title
                )
            },
        ),
        Some(("checklist", id)) => data
            .checklist_requirements
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.to_string(), |r| r.title.clone()),
        Some(("report", rest)) => match rest
            .rsplit_once(':')
            .and_then(|(_, period)| period.parse::<tiendo_core::period::Period>().ok())
        {
            Some(period) => format!(
                "{} {}",
                lang.pick("Báo cáo", "Report"),
                lang.pick(&period.label_vi(), &period.label_en())
            ),
            None => rest.to_string(),
        },
        _ => lang
            .pick("Tổng hợp các việc", "Everything owed")
            .to_string(),
    }
}

async fn letter(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let chase = owed_for(&page, &data, &q).await.map_err(|e| page.fail(e))?;
    let (programme, dates) = (chase.programme, &chase.dates);
    let agency_id = q.get("agency").cloned().unwrap_or_default();
    let owed = chase
        .behind(&data)
        .find(|o| o.agency.id == agency_id)
        .ok_or_else(|| {
            page.fail(AppError::not_found(
                "công văn đôn đốc của cơ quan",
                "urging letter to the agency",
            ))
        })?;
    let format = q.get("format").map_or("docx", String::as_str);
    let bytes = chase
        .letter(&data, owed, q.get("unit").map(String::as_str), None, format)
        .map_err(|e| page.fail(letter_error(e)))?;
    let disposition = format!(
        "attachment; filename=\"cong-van-{}-{}-{}.{format}\"",
        programme.id,
        dates.period.code(),
        owed.agency.id
    );
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(tiendo_document::edition::content_type(format)),
        ),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).map_err(|e| page.fail(AppError::internal(e)))?,
        ),
    ];
    Ok((headers, bytes).into_response())
}

/// A letter that cannot be written: a missing document setting is the secretariat's to
/// give, an unknown format the caller's, anything else the server's.
fn letter_error(e: LetterError) -> AppError {
    match e {
        LetterError::Document(tiendo_document::DocumentError::MissingSetting { .. }) => {
            AppError::invalid(
                "archive_unit",
                format!("Chưa viết được công văn: {e}."),
                "The letter cannot be written: the programme's document settings have no \
                 drafting unit.",
            )
        }
        LetterError::Format(_) => AppError::invalid(
            "format",
            "Định dạng: docx, pdf, md, html.",
            "Format: docx, pdf, md, html.",
        ),
        LetterError::Store(e) => AppError::from(e),
        other => AppError::internal(other),
    }
}

#[derive(Deserialize)]
struct RetryForm {
    csrf: Option<String>,
    #[serde(default)]
    programme: String,
}

/// Send the failed reminders again now.
async fn retry(page: Page, headers: HeaderMap, Form(f): Form<RetryForm>) -> PageResult {
    let a = &page.auth;
    a.check_csrf(&headers, f.csrf.as_deref())
        .map_err(|e| page.fail(e))?;
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    if chaseable(&data, a).is_empty() {
        return Err(page.fail(tiendo_core::access::Denied::Role));
    }
    let mail = page.app.settings.mail.as_ref().ok_or_else(|| {
        page.fail(AppError::invalid(
            "smtp",
            "Máy chủ gửi thư chưa được cấu hình (tiendo serve --smtp … --from …).",
            "No mail server is configured (tiendo serve --smtp … --from …).",
        ))
    })?;
    tiendo_remind::retry_failed(&page.app.store, mail, &a.account.id)
        .await
        .map_err(|e| page.fail(AppError::internal(e)))?;
    Ok(Redirect::to(&format!("/urge?programme={}#reminders", f.programme)).into_response())
}
