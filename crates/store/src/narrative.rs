//! The narratives of reports ([`tiendo_report::narrative`]), one per programme and period,
//! written through the journaled, versioned [`Store::apply`]: a save names the version it
//! was based on and is refused ([`StoreError::Conflict`]) when someone else saved since, so
//! two people editing never overwrite each other silently.
//!
//! An issued edition is drawn again with the narrative as the journal held it at the
//! edition's `known_seq` ([`narrative_from_journal`]), whatever was written since.

use tiendo_exchange::import::Change;
use tiendo_exchange::records::Row;
use tiendo_report::{Narrative, Section};

use crate::workflow::NARRATIVES;
use crate::{JournalEntry, Result, Store, StoreError};

/// A stored narrative with who last wrote it and its version (0: never saved).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredNarrative {
    pub narrative: Narrative,
    pub updated_by: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    pub version: i64,
}

/// The record key of a programme's period: `<programme>|<period>`.
pub fn key(programme_id: &str, period: &str) -> String {
    format!("{programme_id}|{period}")
}

fn row(programme_id: &str, period: &str, narrative: &Narrative, actor: &str, at: &str) -> Row {
    let mut row = vec![Some(programme_id.to_string()), Some(period.to_string())];
    row.extend(
        Section::ALL
            .iter()
            .map(|s| Some(narrative.text(*s).to_string()).filter(|t| !t.trim().is_empty())),
    );
    row.extend([Some(actor.to_string()), Some(at.to_string())]);
    row
}

/// A narrative from its columns, by name.
fn from_cells(cell: impl Fn(&str) -> Option<String>) -> Narrative {
    let mut narrative = Narrative::default();
    for section in Section::ALL {
        narrative.set(section, cell(section.code()).unwrap_or_default());
    }
    narrative
}

fn cell_of<'r>(row: &'r Row) -> impl Fn(&str) -> Option<String> + 'r {
    move |name| {
        NARRATIVES
            .index(name)
            .and_then(|i| row.get(i).cloned().flatten())
    }
}

/// The narrative of a programme's report for a period; an empty one (version 0) when none
/// was written.
pub async fn narrative<S: Store>(
    store: &S,
    programme_id: &str,
    period: &str,
) -> Result<StoredNarrative> {
    Ok(
        match store.get(&NARRATIVES, &key(programme_id, period)).await? {
            Some(stored) => {
                let cell = cell_of(&stored.row);
                StoredNarrative {
                    narrative: from_cells(&cell),
                    updated_by: cell("updated_by").unwrap_or_default(),
                    updated_at: cell("updated_at").unwrap_or_default(),
                    version: stored.version,
                }
            }
            None => StoredNarrative::default(),
        },
    )
}

/// Save a narrative written from version `base_version` (0: none stored yet). Refused with
/// [`StoreError::Conflict`] (and nothing written) when the stored version differs. Returns
/// the version now stored.
pub async fn save<S: Store>(
    store: &S,
    programme_id: &str,
    period: &str,
    narrative: &Narrative,
    base_version: i64,
    actor: &str,
) -> Result<i64> {
    let key = key(programme_id, period);
    narrative.check_size().map_err(|e| StoreError::Invalid {
        entity: NARRATIVES.name,
        key: key.clone(),
        column: e.section.code().to_string(),
        reason: e.to_string(),
    })?;
    let stored = store.get(&NARRATIVES, &key).await?;
    if stored.as_ref().map_or(0, |v| v.version) != base_version {
        return Err(StoreError::Conflict {
            entity: NARRATIVES.name,
            key,
            current: stored,
        });
    }
    if stored
        .as_ref()
        .is_some_and(|v| from_cells(cell_of(&v.row)) == *narrative)
    {
        return Ok(base_version);
    }
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let after = row(programme_id, period, narrative, actor, &at);
    store
        .apply(
            &[Change {
                entity: &NARRATIVES,
                key,
                before: stored.map(|v| v.row),
                after,
            }],
            actor,
            &format!("viết phần nhận định báo cáo {programme_id} kỳ {period}"),
        )
        .await?;
    Ok(base_version + 1)
}

/// The narrative of a programme's period as the journal held it after entry `seq`.
pub fn narrative_from_journal(
    journal: &[JournalEntry],
    seq: i64,
    programme_id: &str,
    period: &str,
) -> Narrative {
    let key = key(programme_id, period);
    journal
        .iter()
        .rfind(|e| e.seq <= seq && e.entity == NARRATIVES.name && e.record_key == key)
        .and_then(|e| e.after.as_ref())
        .map(|after| {
            from_cells(|name| after.get(name).and_then(|v| v.as_str()).map(str::to_string))
        })
        .unwrap_or_default()
}
