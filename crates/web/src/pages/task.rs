//! A task's page with its journal (`/tasks/{id}`).

use axum::extract::Path;
use minijinja::context;
use tiendo_store::Store;

use super::history::journal_view;
use crate::error::AppError;
use crate::page::{Page, PageResult, v};
use crate::views;

pub(super) async fn task(page: Page, Path(id): Path<String>) -> PageResult {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let detail = views::task_detail(&data, &id, None, page.lang)
        .ok_or_else(|| page.fail(AppError::not_found("nhiệm vụ", "Task")))?;
    let mut journal = page
        .app
        .store
        .journal(Some("tasks"), Some(&id))
        .await
        .map_err(|e| page.fail(e))?;
    let updates = page
        .app
        .store
        .journal(Some("task_updates"), None)
        .await
        .map_err(|e| page.fail(e))?;
    journal.extend(
        updates
            .into_iter()
            .filter(|e| e.record_key.split('|').next() == Some(id.as_str())),
    );
    let own_parts = page
        .app
        .store
        .journal(Some("assignment_updates"), None)
        .await
        .map_err(|e| page.fail(e))?;
    journal.extend(
        own_parts
            .into_iter()
            .filter(|e| e.record_key.split('|').next() == Some(id.as_str())),
    );
    journal.sort_by_key(|e| e.seq);
    page.ok(
        "task.html",
        "tasks",
        context! { d => v(detail), journal => journal_view(journal, page.lang) },
    )
}
