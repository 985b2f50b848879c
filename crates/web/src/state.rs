//! The application state: the database, the settings, the templates, the in-memory copy
//! of the records with the values derived from it, the sign-in failures and the status of
//! automatic compaction. Every other module of the crate may use it; it uses none of them.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use tiendo_core::model::Dataset;
use tiendo_store::{Database, Store, StoreError};
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

/// Values derived from one copy of the records, by their type and a key.
type Derived = HashMap<(TypeId, String), Arc<dyn Any + Send + Sync>>;

struct Cached {
    data: Arc<Dataset>,
    loaded: Instant,
    /// Values computed from `data` (e.g. the overview by language and period): the same
    /// for every reader.
    derived: Mutex<Derived>,
}

/// Everything a request handler needs.
pub struct App {
    pub store: Database,
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
    pub compaction: Mutex<CompactionStatus>,
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
            store,
            settings,
            templates,
            events,
            cache: RwLock::new(None),
            reloading: tokio::sync::Mutex::new(()),
            failures: Mutex::new(HashMap::new()),
            compaction: Mutex::new(CompactionStatus::default()),
        })
    }

    fn cached(&self) -> Option<Arc<Cached>> {
        self.cache.read().expect("cache lock").clone()
    }

    async fn current(&self) -> Result<Arc<Cached>, StoreError> {
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
        let data = Arc::new(self.store.load().await?);
        let fresh = Arc::new(Cached {
            data,
            loaded: Instant::now(),
            derived: Mutex::new(HashMap::new()),
        });
        *self.cache.write().expect("cache lock") = Some(fresh.clone());
        Ok(fresh)
    }

    /// The records, from memory when fresh.
    pub async fn data(&self) -> Result<Arc<Dataset>, StoreError> {
        Ok(self.current().await?.data.clone())
    }

    /// A value computed from the current records, once per copy of them: `key` tells
    /// apart values of the same type (e.g. the language and period of an overview).
    pub async fn memo<T: Any + Send + Sync>(
        &self,
        key: &str,
        compute: impl FnOnce(&Dataset) -> T,
    ) -> Result<Arc<T>, StoreError> {
        let cached = self.current().await?;
        let slot = (TypeId::of::<T>(), key.to_string());
        if let Some(found) = cached
            .derived
            .lock()
            .expect("derived lock")
            .get(&slot)
            .cloned()
            && let Ok(value) = found.downcast::<T>()
        {
            return Ok(value);
        }
        let value = Arc::new(compute(&cached.data));
        let stored: Arc<dyn Any + Send + Sync> = value.clone();
        cached
            .derived
            .lock()
            .expect("derived lock")
            .insert(slot, stored);
        Ok(value)
    }

    /// Forget the in-memory records after a write.
    pub fn invalidate(&self) {
        *self.cache.write().expect("cache lock") = None;
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
