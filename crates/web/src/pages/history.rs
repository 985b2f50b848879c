//! The journal of one record or of the records under a key prefix (`/history`).

use std::collections::HashMap;

use axum::extract::Query;
use minijinja::{Value, context};
use tiendo_store::{JournalEntry, Store};

use crate::auth;
use crate::error::AppError;
use crate::i18n::{Labels, Lang};
use crate::page::{Page, PageResult};

/// Journal entries as people read them: newest first, the time in Vietnam's time, the
/// table, the action and every column in words, coded values in words.
pub(super) fn journal_view(entries: Vec<JournalEntry>, lang: Lang) -> Vec<Value> {
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

/// The journal of one record (`?entity=…&key=…`), or of every record whose key starts
/// with `prefix` (e.g. all observations of an indicator).
pub(super) async fn history(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let entity = q.get("entity").cloned().unwrap_or_default();
    if tiendo_store::workflow::entity(&entity).is_none() {
        return Err(page.fail(AppError::invalid(
            "entity",
            format!("Không có loại bản ghi \"{entity}\"."),
            format!("No record kind \"{entity}\"."),
        )));
    }
    let key = q.get("key").filter(|k| !k.is_empty());
    let prefix = q.get("prefix").filter(|p| !p.is_empty());
    let entries = page
        .app
        .store
        .journal(Some(&entity), key.map(String::as_str))
        .await
        .map_err(|e| page.fail(e))?;
    let entries: Vec<_> = entries
        .into_iter()
        .filter(|e| prefix.is_none_or(|p| e.record_key.starts_with(p.as_str())))
        .collect();
    let entries = auth::readable_journal(&page.app, &page.auth, entries)
        .await
        .map_err(|e| page.fail(e))?;
    page.ok("history.html", "", context! { entity => page.lang.word(&entity), key => key.or(prefix), journal => journal_view(entries, page.lang) })
}
