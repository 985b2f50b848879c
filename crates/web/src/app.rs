//! The application state, the router and the server.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_store::Store;

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::views::Overview;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (set when the site is served over HTTPS, e.g. behind a proxy).
    pub secure_cookies: bool,
    /// How long a session lasts after sign-in.
    pub session_lifetime: Duration,
    /// How long the in-memory copy of the records may be reused before it is reloaded
    /// (another server process may have written); this process's own writes reload it at once.
    pub cache_lifetime: Duration,
    /// Failed sign-ins allowed per address and user name within `login_window`.
    pub login_attempts: usize,
    pub login_window: Duration,
    /// Declared values further than this from the measured ones are listed by the
    /// reconciliation (percentage points for rates); default from `data/config/qd766.json`.
    pub measured_tolerance: f64,
    /// The SMTP server and sender of e-mail reminders; none: reminders are not sent.
    pub mail: Option<tiendo_remind::MailSettings>,
    /// Remind agencies this many days before a deadline.
    pub remind_days_before: i64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            secure_cookies: false,
            session_lifetime: Duration::from_secs(8 * 3600),
            cache_lifetime: Duration::from_secs(2),
            login_attempts: 5,
            login_window: Duration::from_secs(15 * 60),
            measured_tolerance: tiendo_events::index::IndexConfig::builtin().tolerance_points,
            mail: None,
            remind_days_before: 3,
        }
    }
}

struct Cached {
    data: Arc<Dataset>,
    loaded: Instant,
    /// Overviews computed from `data`, by language and period: the same for every reader.
    overviews: Mutex<OverviewCache>,
}

/// Overviews by the language and period they were computed for.
type OverviewCache = HashMap<(Lang, Option<Period>), Arc<Overview>>;

/// Everything a request handler needs.
pub struct App<S> {
    pub store: S,
    pub settings: Settings,
    pub templates: minijinja::Environment<'static>,
    /// The dossier event store that `POST /api/v1/events` writes to, when configured.
    pub events: Option<tiendo_events::store::EventStore>,
    cache: RwLock<Option<Arc<Cached>>>,
    /// Held while the records are being reloaded, so that one request reloads and the
    /// others keep using the previous copy meanwhile.
    reloading: tokio::sync::Mutex<()>,
    /// Failed sign-ins by (address, user name): their times.
    pub(crate) failures: Mutex<HashMap<(String, String), Vec<Instant>>>,
    /// What automatic compaction of the event store is doing and last did.
    pub compaction: Mutex<crate::compaction::CompactionStatus>,
}

impl<S: Store + Send + Sync + 'static> App<S> {
    pub fn new(store: S, settings: Settings, events: Option<tiendo_events::store::EventStore>) -> Arc<App<S>> {
        Arc::new(App {
            store,
            settings,
            templates: crate::pages::templates(),
            events,
            cache: RwLock::new(None),
            reloading: tokio::sync::Mutex::new(()),
            failures: Mutex::new(HashMap::new()),
            compaction: Mutex::new(Default::default()),
        })
    }

    fn cached(&self) -> Option<Arc<Cached>> {
        self.cache.read().expect("cache lock").clone()
    }

    async fn current(&self) -> AppResult<Arc<Cached>> {
        let cached = self.cached();
        if let Some(c) = &cached
            && c.loaded.elapsed() < self.settings.cache_lifetime
        {
            return Ok(c.clone());
        }
        let _guard = match (self.reloading.try_lock(), cached) {
            (Ok(guard), _) => guard,
            (Err(_), Some(stale)) => return Ok(stale),
            (Err(_), None) => self.reloading.lock().await,
        };
        if let Some(c) = self.cached()
            && c.loaded.elapsed() < self.settings.cache_lifetime
        {
            return Ok(c);
        }
        let data = Arc::new(self.store.load().await.map_err(AppError::from)?);
        let fresh = Arc::new(Cached { data, loaded: Instant::now(), overviews: Mutex::new(HashMap::new()) });
        *self.cache.write().expect("cache lock") = Some(fresh.clone());
        Ok(fresh)
    }

    /// The records, from memory when fresh.
    pub async fn data(&self) -> AppResult<Arc<Dataset>> {
        Ok(self.current().await?.data.clone())
    }

    /// The overview of the current records, computed once per language and period.
    pub async fn overview(&self, period: Option<Period>, lang: Lang) -> AppResult<Arc<Overview>> {
        let cached = self.current().await?;
        if let Some(o) = cached.overviews.lock().expect("overview lock").get(&(lang, period)) {
            return Ok(o.clone());
        }
        let overview = Arc::new(crate::views::overview(&cached.data, period, lang));
        cached.overviews.lock().expect("overview lock").insert((lang, period), overview.clone());
        Ok(overview)
    }

    /// The report of a programme for a period: the measured programme's report (ranking,
    /// measured indicators, reconciliation) for `qd766`, the progress report with its stored
    /// narrative otherwise.
    pub async fn report(&self, data: &Dataset, programme_id: &str, period: Period) -> AppResult<tiendo_report::Document> {
        let doc = if programme_id == tiendo_events::observe::PROGRAMME_ID {
            tiendo_report::measured_report(
                data,
                &tiendo_report::MeasuredRequest {
                    programme_id: programme_id.to_string(),
                    total_indicator: tiendo_events::observe::TOTAL_INDICATOR.to_string(),
                    period,
                    tolerance: self.settings.measured_tolerance,
                },
            )
        } else {
            let narrative = tiendo_store::narrative::narrative(&self.store, programme_id, &period.code()).await?.narrative;
            tiendo_report::narrated_report(
                data,
                &tiendo_report::ReportRequest { programme_id: programme_id.to_string(), period: Some(period), as_of: None, known_on: None, structure_date: None },
                &narrative,
            )
        };
        doc.map_err(|e| match e {
            tiendo_report::ReportError::Narrative(_) => AppError::invalid("narrative", e.to_string(), e.to_string()),
            tiendo_report::ReportError::UnknownProgramme(_) => AppError::invalid("programme", e.to_string(), e.to_string()),
        })
    }

    /// Forget the in-memory records after a write.
    pub fn invalidate(&self) {
        *self.cache.write().expect("cache lock") = None;
    }
}

const STYLE: &str = include_str!("../assets/style.css");

async fn asset_style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")), (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"))], STYLE)
}

/// The style of the HTML reports shown in the app ([`tiendo_report::doc::STYLE`]), served
/// as a file because the app's Content-Security-Policy forbids inline styles.
async fn asset_report_style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")), (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"))], tiendo_report::doc::STYLE)
}

/// The whole application: pages, assets and the API.
pub fn router<S: Store + Send + Sync + 'static>(app: Arc<App<S>>) -> Router {
    Router::new()
        .merge(crate::pages::routes::<S>())
        .nest("/api/v1", crate::api::routes::<S>())
        .route("/assets/style.css", get(asset_style))
        .route("/assets/report.css", get(asset_report_style))
        .layer(axum::middleware::from_fn(crate::auth::security_headers))
        .layer(axum::middleware::from_fn(crate::request_log::log_requests))
        .with_state(app)
}

/// Serve until Ctrl-C.
pub async fn serve<S: Store + Send + Sync + 'static>(app: Arc<App<S>>, addr: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router(app).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await?;
    Ok(())
}
