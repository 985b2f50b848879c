//! Issued report editions, and the records as they were known at a point of the journal.
//!
//! An edition freezes a report: its number and symbol, date, signer, recipients, the
//! point of the journal it was drawn from (`known_seq`: every change up to that sequence
//! number, none after), and the SHA-256 of the file generated in every format. The row is
//! written once, through the journaled [`Store::apply`], and never updated (the store
//! refuses, [`crate::StoreError::Immutable`]); a correction is a new edition that names
//! the one it replaces. The files themselves are kept in the `blobs` table under their
//! SHA-256, in the same database: one backup holds the data, the journal and what was
//! sent, and both backends keep them alike.
//!
//! [`load_as_known`] rebuilds the records from the journal up to a sequence number, so an
//! edition can be generated again, byte for byte, after later edits to the same records.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use tiendo_core::model::Dataset;
use tiendo_exchange::import::Change;
use tiendo_exchange::records::{ColumnType, ENTITIES, Entity, Row, RowSet, from_stored_rows};

use crate::workflow::EDITIONS;
use crate::{JournalEntry, Result, Store, StoreError};

/// One generated file of an edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionFile {
    /// `md`, `html`, `docx`, `pdf` or `xlsx`.
    pub format: String,
    pub sha256: String,
    pub size: u64,
}

/// An issued edition of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    /// `<programme>-<period>-<n>`: the n-th edition of that report.
    pub id: String,
    pub programme_id: String,
    pub period: String,
    /// Number and symbol as written on the document ("15/BC-BTTTT"); may be empty.
    pub number: String,
    pub issued_on: NaiveDate,
    pub as_of: NaiveDate,
    /// The last journal entry the edition was drawn from.
    pub known_seq: i64,
    /// When that entry was written (RFC 3339, UTC).
    pub known_at: String,
    pub signer: String,
    pub recipients: Vec<String>,
    /// The edition this one corrects.
    pub replaces: Option<String>,
    pub files: Vec<EditionFile>,
    pub issued_by: String,
    pub issued_at: String,
}

impl Edition {
    fn row(&self) -> Row {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        vec![
            Some(self.id.clone()),
            Some(self.programme_id.clone()),
            Some(self.period.clone()),
            text(&self.number),
            Some(self.issued_on.to_string()),
            Some(self.as_of.to_string()),
            Some(self.known_seq.to_string()),
            Some(self.known_at.clone()),
            text(&self.signer),
            text(&self.recipients.join("\n")),
            self.replaces.clone(),
            Some(serde_json::to_string(&self.files).expect("files serialise")),
            Some(self.issued_by.clone()),
            Some(self.issued_at.clone()),
        ]
    }

    fn from_row(row: &Row) -> Result<Edition> {
        let cell = |name: &str| {
            EDITIONS
                .index(name)
                .and_then(|i| row.get(i).cloned().flatten())
                .unwrap_or_default()
        };
        let bad = |what: &str| StoreError::Corrupt(format!("editions {}: {what}", cell("id")));
        let date = |name: &str| cell(name).parse::<NaiveDate>().map_err(|_| bad(name));
        Ok(Edition {
            id: cell("id"),
            programme_id: cell("programme_id"),
            period: cell("period"),
            number: cell("number"),
            issued_on: date("issued_on")?,
            as_of: date("as_of")?,
            known_seq: cell("known_seq").parse().map_err(|_| bad("known_seq"))?,
            known_at: cell("known_at"),
            signer: cell("signer"),
            recipients: cell("recipients").lines().map(str::to_string).collect(),
            replaces: Some(cell("replaces")).filter(|s| !s.is_empty()),
            files: serde_json::from_str(&cell("files")).map_err(|_| bad("files"))?,
            issued_by: cell("issued_by"),
            issued_at: cell("issued_at"),
        })
    }

    /// The file of a format, if the edition has one.
    pub fn file(&self, format: &str) -> Option<&EditionFile> {
        self.files.iter().find(|f| f.format == format)
    }
}

/// Every edition, of one programme or of all, oldest first.
pub async fn editions<S: Store>(store: &S, programme_id: Option<&str>) -> Result<Vec<Edition>> {
    let mut all = store
        .rows(&EDITIONS)
        .await?
        .iter()
        .map(|v| Edition::from_row(&v.row))
        .collect::<Result<Vec<_>>>()?;
    all.retain(|e| programme_id.is_none_or(|p| e.programme_id == p));
    all.sort_by(|a, b| (&a.issued_at, &a.id).cmp(&(&b.issued_at, &b.id)));
    Ok(all)
}

/// One edition by id.
pub async fn edition<S: Store>(store: &S, id: &str) -> Result<Option<Edition>> {
    store
        .get(&EDITIONS, id)
        .await?
        .map(|v| Edition::from_row(&v.row))
        .transpose()
}

/// The id the next edition of a report takes.
pub async fn next_id<S: Store>(store: &S, programme_id: &str, period: &str) -> Result<String> {
    let n = editions(store, Some(programme_id))
        .await?
        .iter()
        .filter(|e| e.period == period)
        .count()
        + 1;
    Ok(format!("{programme_id}-{period}-{n}"))
}

/// Store an edition and its files. The files go first (a blob without its edition is
/// harmless, content-addressed and written again identically); the edition row is the
/// commit point, and is refused if its id is taken.
pub async fn issue<S: Store>(
    store: &S,
    edition: &Edition,
    files: &[(EditionFile, Vec<u8>)],
    actor: &str,
) -> Result<()> {
    for (file, bytes) in files {
        store.put_blob(&file.sha256, bytes).await?;
    }
    let change = Change {
        entity: &EDITIONS,
        key: edition.id.clone(),
        before: None,
        after: edition.row(),
    };
    let reason = match &edition.replaces {
        Some(old) => format!("ban hành {} (thay thế {old})", edition.id),
        None => format!("ban hành {}", edition.id),
    };
    store.apply(&[change], actor, &reason).await?;
    Ok(())
}

/// The last journal entry written before the end of `day` in Vietnam (UTC+7).
pub async fn journal_seq_on<S: Store>(store: &S, day: NaiveDate) -> Result<Option<(i64, String)>> {
    let end = (day.and_time(NaiveTime::MIN) + chrono::Duration::days(1)
        - chrono::Duration::hours(7))
    .and_utc();
    let cutoff = end.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    Ok(store
        .journal(None, None)
        .await?
        .into_iter()
        .rfind(|e| e.at < cutoff)
        .map(|e| (e.seq, e.at)))
}

/// The programme data as it stood after journal entry `seq`: every insert and update up
/// to it replayed, none after.
pub async fn load_as_known<S: Store>(store: &S, seq: i64) -> Result<Dataset> {
    dataset_from_journal(&store.journal(None, None).await?, seq)
}

/// [`load_as_known`] on a journal already read.
pub fn dataset_from_journal(journal: &[JournalEntry], seq: i64) -> Result<Dataset> {
    let mut set: RowSet = ENTITIES.iter().map(|e| (e.name, BTreeMap::new())).collect();
    for entry in journal.iter().filter(|e| e.seq <= seq) {
        let Some(entity) = ENTITIES.iter().copied().find(|e| e.name == entry.entity) else {
            continue;
        };
        let Some(after) = &entry.after else { continue };
        set.get_mut(entity.name)
            .expect("every entity")
            .insert(entry.record_key.clone(), row_from_json(entity, after)?);
    }
    Ok(from_stored_rows(&set))
}

/// A row from its journal form (column → text), each cell as the database gives it back.
fn row_from_json(entity: &Entity, json: &serde_json::Value) -> Result<Row> {
    entity
        .columns
        .iter()
        .map(|c| {
            let Some(text) = json.get(c.name).and_then(|v| v.as_str()) else {
                return Ok(None);
            };
            let bad =
                || StoreError::Corrupt(format!("journal {} {}: \"{text}\"", entity.name, c.name));
            Ok(match c.ty {
                ColumnType::Text | ColumnType::Date => {
                    Some(text.to_string()).filter(|s| !s.is_empty())
                }
                ColumnType::Number => Some(format!("{}", text.parse::<f64>().map_err(|_| bad())?)),
                ColumnType::Integer => Some(text.parse::<i64>().map_err(|_| bad())?.to_string()),
                ColumnType::Bool => Some(text.parse::<bool>().map_err(|_| bad())?.to_string()),
            })
        })
        .collect()
}
