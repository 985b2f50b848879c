//! The public site's content: the issued editions that are public on a day, each with its
//! figures, its files and the edition that replaced it.
//!
//! Nothing else is ever public: an edition is drawn from the records as the journal held
//! them when it was issued (its `known_seq`), so a draft entry, an unaccepted submission
//! or a narrative written later cannot reach it; an edition that is not published, whose
//! embargo has not ended or whose publication was withdrawn is not listed and not found.
//! An edition's public content never changes once issued: it is computed once and kept
//! (by edition id) for every later request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::figure::Figure;
use tiendo_store::edition::{Edition, editions, load_as_known};
use tiendo_store::publication::{Publication, publications};
use tiendo_store::{Store, StoreError};

use crate::editions::{EditionError, request_of};

/// An edition as the public site shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicEdition {
    pub edition: Edition,
    pub publication: Publication,
    pub programme_name: String,
    /// The report's subject: "Tình hình thực hiện … tháng 5/2024".
    pub title: String,
    pub period_label: String,
    /// The public edition that replaced this one, if any.
    pub replaced_by: Option<String>,
    /// The figures of the edition, as its documents state them.
    pub figures: Vec<Figure>,
    pub publisher: Publisher,
}

/// Who publishes a programme's editions and how to reach them: the issuing body of its
/// document settings (else the programme's owner agency) and that agency's addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publisher {
    pub name: String,
    pub emails: Vec<String>,
}

/// The publisher of a programme's editions.
pub async fn publisher<S: Store>(
    store: &S,
    data: &tiendo_core::model::Dataset,
    programme_id: &str,
) -> Result<Publisher, StoreError> {
    let (settings, _) = tiendo_store::report_settings::get(store, programme_id).await?;
    let owner = data
        .programme(programme_id)
        .map(|p| p.owner_agency.clone())
        .unwrap_or_default();
    let name = if settings.issuing_body.trim().is_empty() {
        data.agency(&owner)
            .map_or_else(|| owner.clone(), |a| a.name.clone())
    } else {
        settings.issuing_body.trim().to_string()
    };
    let emails = tiendo_store::reminder::contacts(store)
        .await?
        .into_iter()
        .find(|c| c.agency_id == owner)
        .map(|c| c.emails)
        .unwrap_or_default();
    Ok(Publisher { name, emails })
}

/// The editions public on `day`, newest first, and their publications.
pub async fn public_editions<S: Store>(
    store: &S,
    day: NaiveDate,
) -> Result<Vec<(Edition, Publication)>, StoreError> {
    let published = publications(store).await?;
    let mut out: Vec<(Edition, Publication)> = editions(store, None)
        .await?
        .into_iter()
        .filter_map(|e| {
            let p = published
                .iter()
                .find(|p| p.edition_id == e.id && p.public_on(day))?;
            Some((e, p.clone()))
        })
        .collect();
    out.sort_by(|a, b| (&b.0.issued_on, &b.0.id).cmp(&(&a.0.issued_on, &a.0.id)));
    Ok(out)
}

/// The editions public on a day, as loaded at one time, and the pages rendered from them.
pub struct Listing {
    pub day: NaiveDate,
    pub editions: Vec<(Edition, Publication)>,
    loaded: Instant,
    pages: Mutex<HashMap<String, Arc<String>>>,
}

impl Listing {
    /// A page rendered from this listing, once: `key` names it (its path and language).
    pub fn page<E>(
        &self,
        key: &str,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Arc<String>, E> {
        if let Some(found) = self.pages.lock().expect("pages lock").get(key) {
            return Ok(found.clone());
        }
        let page = Arc::new(render()?);
        self.pages
            .lock()
            .expect("pages lock")
            .insert(key.to_string(), page.clone());
        Ok(page)
    }
}

/// The public site's content, kept in memory: the listing of public editions is reloaded
/// when older than its lifetime (another process may have published) or when the day
/// changes (an embargo ends), and at once after this process publishes or withdraws
/// ([`PublicCache::invalidate`]); an edition's figures, which never change, are computed
/// once.
pub struct PublicCache {
    lifetime: Duration,
    listing: RwLock<Option<Arc<Listing>>>,
    reloading: tokio::sync::Mutex<()>,
    editions: Mutex<HashMap<String, Arc<PublicEdition>>>,
}

impl PublicCache {
    pub fn new(lifetime: Duration) -> PublicCache {
        PublicCache {
            lifetime,
            listing: RwLock::new(None),
            reloading: tokio::sync::Mutex::new(()),
            editions: Mutex::new(HashMap::new()),
        }
    }

    /// Forget the listing after a publication changed.
    pub fn invalidate(&self) {
        *self.listing.write().expect("listing lock") = None;
    }

    fn fresh(&self, day: NaiveDate) -> Option<Arc<Listing>> {
        self.listing
            .read()
            .expect("listing lock")
            .clone()
            .filter(|l| l.day == day && l.loaded.elapsed() < self.lifetime)
    }

    /// The editions public on `day`, from memory when fresh.
    pub async fn listing<S: Store>(
        &self,
        store: &S,
        day: NaiveDate,
    ) -> Result<Arc<Listing>, StoreError> {
        if let Some(l) = self.fresh(day) {
            return Ok(l);
        }
        let _guard = self.reloading.lock().await;
        if let Some(l) = self.fresh(day) {
            return Ok(l);
        }
        let listing = Arc::new(Listing {
            day,
            editions: public_editions(store, day).await?,
            loaded: Instant::now(),
            pages: Mutex::new(HashMap::new()),
        });
        *self.listing.write().expect("listing lock") = Some(listing.clone());
        Ok(listing)
    }

    /// An edition public on `day` with its figures; `None` when it is not public.
    pub async fn edition<S: Store>(
        &self,
        store: &S,
        id: &str,
        day: NaiveDate,
    ) -> Result<Option<Arc<PublicEdition>>, EditionError> {
        let listing = self.listing(store, day).await?;
        let public = &listing.editions;
        let Some((edition, publication)) = public.iter().find(|(e, _)| e.id == id) else {
            return Ok(None);
        };
        let replaced_by = public
            .iter()
            .filter(|(e, _)| e.replaces.as_deref() == Some(id))
            .map(|(e, _)| e.id.clone())
            .next();
        let cached = self.editions.lock().expect("public cache").get(id).cloned();
        if let Some(cached) = cached
            && cached.publication == *publication
            && cached.replaced_by == replaced_by
        {
            return Ok(Some(cached));
        }
        let data = load_as_known(store, edition.known_seq).await?;
        let request = request_of(edition)?;
        let figures = tiendo_report::changes::figures(&data, &request)?;
        let programme = data.programme(&edition.programme_id);
        let period = request.period.expect("an edition has a period");
        let drawn = Arc::new(PublicEdition {
            edition: edition.clone(),
            publication: publication.clone(),
            programme_name: programme
                .map_or_else(|| edition.programme_id.clone(), |p| p.name.clone()),
            title: programme.map_or_else(String::new, |p| tiendo_report::subject_of(p, period)),
            period_label: period.label_vi(),
            replaced_by,
            figures,
            publisher: publisher(store, &data, &edition.programme_id).await?,
        });
        self.editions
            .lock()
            .expect("public cache")
            .insert(id.to_string(), drawn.clone());
        Ok(Some(drawn))
    }
}
