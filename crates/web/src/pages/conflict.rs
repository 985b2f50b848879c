//! The page that answers an entry saved over a newer one (`409`): who changed the record
//! and when (Vietnam time), what they changed, and the writer's own text kept in a form
//! that saves it over what is stored now, never a dump of the stored record.

use minijinja::context;
use serde_json::{Map, Value};
use tiendo_core::period::Period;
use tiendo_store::Store;
use tiendo_store::workflow::{ACCOUNTS, SUBMISSION_ITEMS};

use crate::error::AppError;
use crate::i18n::Labels;
use crate::page::{Page, PageError};
use crate::views;
use tiendo_app::accounts::Account;
use tiendo_app::entry::Entry;

/// What the writer sent that could not be saved.
pub(super) struct Stale<'a> {
    pub programme: &'a str,
    pub period: Period,
    pub entry: &'a Entry,
    pub base_version: i64,
    pub item_version: i64,
}

/// The conflict page of `error` (a `conflict` naming the record as stored now), or the
/// error page of any other error.
pub(super) async fn conflict_page(page: &Page, stale: Stale<'_>, error: AppError) -> PageError {
    let Some(current) = error.body.current.clone() else {
        return page.fail(error);
    };
    let entity = current["entity"].as_str().unwrap_or_default().to_string();
    let key = current["key"].as_str().unwrap_or_default().to_string();
    let version = current["version"].as_i64().unwrap_or(0);
    // A staged entry holds the record it will write as JSON text in `after`.
    let staged = entity == SUBMISSION_ITEMS.name;
    let fields = |v: Option<&Value>| -> Map<String, Value> {
        let object = v.and_then(Value::as_object);
        let record = if staged {
            object
                .and_then(|o| o.get("after"))
                .and_then(Value::as_str)
                .and_then(|s| serde_json::from_str::<Value>(s).ok())
                .and_then(|v| v.as_object().cloned())
        } else {
            object.cloned()
        };
        record.unwrap_or_default()
    };
    let lang = page.lang;
    let last = match page.app.store.journal(Some(&entity), Some(&key)).await {
        Ok(journal) => journal.into_iter().last(),
        Err(e) => return page.fail(e),
    };
    let (who, when, changed) = match &last {
        Some(j) => {
            let name = match page.app.store.get(&ACCOUNTS, &j.actor).await {
                Ok(account) => account
                    .and_then(|a| Account::from_row(&a.row))
                    .map_or_else(|| j.actor.clone(), |a| a.display_name),
                Err(e) => return page.fail(e),
            };
            let (before, after) = (fields(j.before.as_ref()), fields(j.after.as_ref()));
            let word = |column: &str, v: Option<&Value>| {
                lang.value_word(column, v.and_then(Value::as_str).unwrap_or(""))
                    .to_string()
            };
            let changed: Vec<(String, String, String)> = after
                .keys()
                .filter(|k| !k.ends_with("_id"))
                .map(|k| {
                    (
                        lang.word(k).to_string(),
                        word(k, before.get(k)),
                        word(k, after.get(k)),
                    )
                })
                .filter(|(_, was, is)| was != is)
                .collect();
            (name, lang.local_time(&j.at), changed)
        }
        None => (String::new(), String::new(), Vec::new()),
    };
    // Saving the writer's text again is based on what is stored now.
    let (base_version, item_version) = if staged {
        (stale.base_version, version)
    } else {
        (version, stale.item_version)
    };
    let task_statuses: Vec<(&str, &str)> = tiendo_core::model::ReportedStatus::ALL
        .iter()
        .map(|s| (s.code(), views::reported_status_text(*s, lang)))
        .collect();
    let yours = match stale.entry {
        Entry::Task {
            task_id,
            status,
            completed_on,
            result,
        } => {
            context! { kind => "task", id => task_id, status => status, completed_on => completed_on, result => result }
        }
        Entry::Indicator {
            indicator_id,
            value,
            numerator,
            denominator,
            ..
        } => {
            context! { kind => "indicator", id => indicator_id, value => value, numerator => numerator, denominator => denominator }
        }
        Entry::Checklist {
            requirement_id,
            done,
            done_on,
            evidence,
        } => {
            context! { kind => "checklist", id => requirement_id, done => done, done_on => done_on, evidence => evidence }
        }
    };
    let what = page
        .app
        .data()
        .await
        .ok()
        .and_then(|data| match stale.entry {
            Entry::Task { task_id, .. } => data
                .tasks
                .iter()
                .find(|t| &t.id == task_id)
                .map(|t| format!("{}. {}", t.number, t.title)),
            Entry::Indicator { indicator_id, .. } => data
                .indicators
                .iter()
                .find(|i| &i.id == indicator_id)
                .map(|i| format!("{} {}", i.code, i.name)),
            Entry::Checklist { requirement_id, .. } => data
                .checklist_requirements
                .iter()
                .find(|r| &r.id == requirement_id)
                .map(|r| r.title.clone()),
        });
    let extra = context! { programme_id => stale.programme, period => stale.period.code(), what => what, who => who, when => when, changed => changed, yours => yours, base_version => base_version, item_version => item_version, task_statuses => task_statuses, message => if lang == crate::i18n::Lang::Vi { &error.body.message_vi } else { &error.body.message_en } };
    page.fail_with("conflict.html", extra, error)
}
