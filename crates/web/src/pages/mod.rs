//! The server-rendered pages. Each handler builds a view model ([`crate::views`]) or calls
//! an operation ([`tiendo_app::entry`]) and renders a template from `templates/`, which are
//! compiled into the binary.
//!
//! One file per page; what every page needs is in [`crate::page`].

mod agencies;
mod conflict;
mod entry;
mod history;
mod indicator;
mod measured;
mod narrative;
mod overview;
mod programme;
mod reports;
mod review;
mod session;
mod settings;
mod task;
mod tasks;
mod urge;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::App;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(overview::overview))
        .route("/login", get(session::login_form).post(session::login))
        .route("/logout", post(session::logout))
        .route("/lang/{code}", get(session::set_lang))
        .route("/programmes/{id}", get(programme::programme))
        .route("/tasks", get(tasks::tasks))
        .route("/tasks/{id}", get(task::task))
        .route("/history", get(history::history))
        .route("/indicators/{id}", get(indicator::indicator))
        .route("/agencies", get(agencies::agencies))
        .route("/agencies/{id}", get(agencies::agency))
        .route("/groups/{id}", get(agencies::group))
        .route("/measured", get(measured::measured))
        .route("/reports", get(reports::reports))
        .route("/reports/render", get(reports::render_report))
        .route("/reports/issue", post(reports::issue_edition))
        .route(
            "/reports/settings",
            get(settings::settings_page).post(settings::save_settings),
        )
        .route("/reports/editions/{id}", get(reports::edition_page))
        .route(
            "/narratives",
            get(narrative::narrative_page).post(narrative::narrative_post),
        )
        .route("/entry", get(entry::entry_page))
        .route("/entry/task", post(entry::entry_task))
        .route("/entry/indicator", post(entry::entry_indicator))
        .route(
            "/entry/checklist",
            post(entry::entry_checklist).layer(axum::extract::DefaultBodyLimit::max(
                tiendo_app::entry::EVIDENCE_LIMIT + (1 << 20),
            )),
        )
        .route(
            "/entry/template",
            get(entry::entry_template)
                .post(entry::entry_template_upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    tiendo_app::entry::EVIDENCE_LIMIT + (1 << 20),
                )),
        )
        .route("/entry/submit", post(entry::entry_submit))
        .route("/entry/withdraw", post(entry::entry_withdraw))
        .route("/evidence/{sha}", get(entry::evidence))
        .route("/review", get(review::review_page))
        .route("/review/decide", post(review::review_decide))
        .route("/periods", post(review::set_period))
        .merge(urge::routes())
}
