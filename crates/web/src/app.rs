//! The router, the assets and the server.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tiendo_store::Database;

use crate::state::{App, Settings};

impl App {
    /// The state of a server with the pages' templates.
    pub fn new(
        store: Database,
        settings: Settings,
        events: Option<tiendo_events::store::EventStore>,
    ) -> Arc<App> {
        App::with_templates(store, settings, events, crate::page::templates())
    }
}

const STYLE: &str = include_str!("../assets/style.css");

async fn asset_style() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        STYLE,
    )
}

/// The style of the HTML reports shown in the app ([`tiendo_report::doc::STYLE`]), served
/// as a file because the app's Content-Security-Policy forbids inline styles.
async fn asset_report_style() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        tiendo_report::doc::STYLE,
    )
}

/// The whole application: pages, assets and the API.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .merge(crate::pages::routes())
        .merge(crate::public::routes())
        .nest("/api/v1", crate::api::routes())
        .route("/assets/style.css", get(asset_style))
        .route("/assets/report.css", get(asset_report_style))
        .layer(axum::middleware::from_fn(crate::auth::security_headers))
        .layer(axum::middleware::from_fn(crate::request_log::log_requests))
        .with_state(app)
}

/// Serve until Ctrl-C.
pub async fn serve(app: Arc<App>, addr: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        tokio::signal::ctrl_c().await.ok();
    })
    .await?;
    Ok(())
}
