//! Which issued editions are on the public site, from when, and whether their publication
//! was withdrawn.
//!
//! Only an issued edition can be published (a draft never is): the secretariat publishes
//! it at once or from a later day (an embargo ends at the start of that day in Vietnam),
//! and may withdraw it with a reason. Each step is one journaled write through
//! [`Store::apply`], so who published or withdrew what, when and why is in the journal;
//! the edition itself is never changed.

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_exchange::import::Change;
use tiendo_exchange::records::Row;

use crate::edition::edition;
use crate::workflow::PUBLICATIONS;
use crate::{Result, Store, StoreError};

/// The publication of one edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    pub edition_id: String,
    /// The first day it is public.
    pub public_from: NaiveDate,
    pub published_by: String,
    /// When it was published (RFC 3339, UTC).
    pub published_at: String,
    /// When its publication was withdrawn, if it was.
    pub withdrawn_at: Option<String>,
    pub withdrawn_by: Option<String>,
    pub reason: String,
}

impl Publication {
    /// Whether the edition is on the public site on `day`.
    pub fn public_on(&self, day: NaiveDate) -> bool {
        self.withdrawn_at.is_none() && self.public_from <= day
    }

    fn row(&self) -> Row {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        vec![
            Some(self.edition_id.clone()),
            Some(self.public_from.to_string()),
            Some(self.published_by.clone()),
            Some(self.published_at.clone()),
            self.withdrawn_at.clone(),
            self.withdrawn_by.clone(),
            text(&self.reason),
        ]
    }

    fn from_row(row: &Row) -> Result<Publication> {
        let cell = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
        let public_from = cell(1).parse().map_err(|_| {
            StoreError::Corrupt(format!(
                "publications {}: public_from \"{}\"",
                cell(0),
                cell(1)
            ))
        })?;
        Ok(Publication {
            edition_id: cell(0),
            public_from,
            published_by: cell(2),
            published_at: cell(3),
            withdrawn_at: Some(cell(4)).filter(|s| !s.is_empty()),
            withdrawn_by: Some(cell(5)).filter(|s| !s.is_empty()),
            reason: cell(6),
        })
    }
}

/// Every publication, withdrawn ones included.
pub async fn publications<S: Store>(store: &S) -> Result<Vec<Publication>> {
    store
        .rows(&PUBLICATIONS)
        .await?
        .iter()
        .map(|v| Publication::from_row(&v.row))
        .collect()
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Publish an issued edition from `public_from` (again, if it was withdrawn).
pub async fn publish<S: Store>(
    store: &S,
    edition_id: &str,
    public_from: NaiveDate,
    actor: &str,
) -> Result<Publication> {
    if edition(store, edition_id).await?.is_none() {
        return Err(StoreError::NotFound(format!("bản {edition_id}")));
    }
    let stored = store.get(&PUBLICATIONS, edition_id).await?;
    let publication = Publication {
        edition_id: edition_id.to_string(),
        public_from,
        published_by: actor.to_string(),
        published_at: now(),
        withdrawn_at: None,
        withdrawn_by: None,
        reason: String::new(),
    };
    store
        .apply(
            &[Change {
                entity: &PUBLICATIONS,
                key: edition_id.to_string(),
                before: stored.map(|v| v.row),
                after: publication.row(),
            }],
            actor,
            &format!("công bố {edition_id} từ ngày {public_from}"),
        )
        .await?;
    Ok(publication)
}

/// Withdraw an edition's publication, with the reason.
pub async fn withdraw<S: Store>(
    store: &S,
    edition_id: &str,
    actor: &str,
    reason: &str,
) -> Result<Publication> {
    let stored = store
        .get(&PUBLICATIONS, edition_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("công bố của bản {edition_id}")))?;
    let mut publication = Publication::from_row(&stored.row)?;
    publication.withdrawn_at = Some(now());
    publication.withdrawn_by = Some(actor.to_string());
    publication.reason = reason.to_string();
    store
        .apply(
            &[Change {
                entity: &PUBLICATIONS,
                key: edition_id.to_string(),
                before: Some(stored.row),
                after: publication.row(),
            }],
            actor,
            &format!("thu hồi công bố {edition_id}: {reason}"),
        )
        .await?;
    Ok(publication)
}
