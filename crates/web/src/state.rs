//! The application state: the records (the database and its in-memory copy,
//! [`tiendo_app::records::Records`], which `App` dereferences to), the settings, the
//! templates, the sign-in failures and the status of automatic compaction. Every other module of the crate may use it; it uses none of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use tiendo_app::records::Records;
use tiendo_store::Database;
use utoipa::ToSchema;

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

/// Everything a request handler needs.
pub struct App {
    /// The database and the in-memory copy of its records; the application's use cases
    /// take it, and the handlers reach it through `App` itself.
    pub records: Arc<Records>,
    pub settings: Settings,
    pub templates: minijinja::Environment<'static>,
    /// The dossier event store that `POST /api/v1/events` writes to, when configured.
    pub events: Option<tiendo_events::store::EventStore>,
    /// Failed sign-ins by (address, user name): their times.
    pub(crate) failures: Mutex<HashMap<(String, String), Vec<Instant>>>,
    /// What automatic compaction of the event store is doing and last did.
    pub compaction: Mutex<CompactionStatus>,
    /// The public site's editions, computed once each.
    pub public: tiendo_app::publication::PublicCache,
}

impl App {
    /// The state of a server rendering its pages with `templates`.
    pub fn with_templates(
        store: Database,
        settings: Settings,
        events: Option<tiendo_events::store::EventStore>,
        templates: minijinja::Environment<'static>,
    ) -> Arc<App> {
        Arc::new(App {
            records: Arc::new(Records::new(store, settings.cache_lifetime)),
            public: tiendo_app::publication::PublicCache::new(settings.cache_lifetime),
            settings,
            templates,
            events,
            failures: Mutex::new(HashMap::new()),
            compaction: Mutex::new(CompactionStatus::default()),
        })
    }
}

impl std::ops::Deref for App {
    type Target = Records;

    fn deref(&self) -> &Records {
        &self.records
    }
}

/// What the last compaction did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct CompactionRun {
    pub started_at: String,
    pub finished_at: String,
    /// Events read from the log.
    pub read: usize,
    /// Events new to the tables.
    pub added: usize,
    pub duplicates: usize,
    /// Buckets whose rollups a crash had left behind, computed again.
    pub repaired: usize,
    /// Months whose measured figures may have changed.
    pub affected_months: Vec<String>,
    /// Months measured again and stored.
    pub measured_months: Vec<String>,
    /// Why measuring was skipped or failed, if it was.
    pub note: Option<String>,
}

/// The state of automatic compaction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct CompactionStatus {
    /// When the running compaction started; none when idle.
    pub running_since: Option<String>,
    /// Compactions run since the server started.
    pub runs: u64,
    pub last: Option<CompactionRun>,
    /// The last failure, if the last run failed.
    pub last_error: Option<String>,
}
