//! The records a process works on: the database, and an in-memory copy of its records
//! with the values derived from that copy, reloaded when stale or after a write.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tiendo_core::model::Dataset;
use tiendo_exchange::records::{Entity, Row};
use tiendo_store::{Database, Store, StoreError};

/// Values derived from one copy of the records, by their type and a key.
type Derived = HashMap<(TypeId, String), Arc<dyn Any + Send + Sync>>;

struct Cached {
    data: Arc<Dataset>,
    loaded: Instant,
    /// Values computed from `data` (e.g. the overview by language and period): the same
    /// for every reader.
    derived: Mutex<Derived>,
}

/// The database and the in-memory copy of its records.
pub struct Records {
    pub store: Database,
    /// How long the in-memory copy may be reused before it is reloaded (another process
    /// may have written); this process's own writes reload it at once.
    cache_lifetime: Duration,
    cache: RwLock<Option<Arc<Cached>>>,
    /// Held while the records are being reloaded, so that one caller reloads and the
    /// others keep using the previous copy meanwhile.
    reloading: tokio::sync::Mutex<()>,
}

impl Records {
    pub fn new(store: Database, cache_lifetime: Duration) -> Records {
        Records {
            store,
            cache_lifetime,
            cache: RwLock::new(None),
            reloading: tokio::sync::Mutex::new(()),
        }
    }

    fn cached(&self) -> Option<Arc<Cached>> {
        self.cache.read().expect("cache lock").clone()
    }

    async fn current(&self) -> Result<Arc<Cached>, StoreError> {
        let cached = self.cached();
        if let Some(c) = &cached
            && c.loaded.elapsed() < self.cache_lifetime
        {
            return Ok(c.clone());
        }
        let _guard = match (self.reloading.try_lock(), cached) {
            (Ok(guard), _) => guard,
            (Err(_), Some(stale)) => return Ok(stale),
            (Err(_), None) => self.reloading.lock().await,
        };
        if let Some(c) = self.cached()
            && c.loaded.elapsed() < self.cache_lifetime
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

/// A stored row as a JSON object of column → value, for conflicts, staged entries and the
/// reviewer's view; secret columns (password and token hashes) are left out.
pub fn row_object(entity: &Entity, row: &Row) -> serde_json::Value {
    serde_json::Value::Object(
        entity
            .column_names()
            .zip(row)
            .filter(|(c, _)| !tiendo_store::workflow::SECRET_COLUMNS.contains(c))
            .map(|(c, v)| {
                (
                    c.to_string(),
                    v.clone()
                        .map_or(serde_json::Value::Null, serde_json::Value::String),
                )
            })
            .collect(),
    )
}
