//! What a programme's official documents say beyond its data: the body above the issuer,
//! the issuing body, the symbol, the place, "Kính gửi", the signer's authority, position
//! and name, "Nơi nhận" and the drafting unit. One record per programme, journaled and
//! versioned like every workflow record; an empty field keeps the default derived from
//! the programme's owner agency. An edition takes these, with what the person issuing it
//! changes for that edition only.

use chrono::{SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use tiendo_exchange::import::Change;
use tiendo_exchange::records::Row;

use crate::workflow::REPORT_SETTINGS;
use crate::{Result, Store, StoreError};

/// The stored document settings of one programme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSettings {
    pub programme_id: String,
    pub parent_body: String,
    pub issuing_body: String,
    /// "BC-BTTTT".
    pub symbol: String,
    pub place: String,
    /// "Kính gửi", one addressee per entry.
    pub addressees: Vec<String>,
    /// "KT. BỘ TRƯỞNG", "TM. ỦY BAN NHÂN DÂN".
    pub signer_authority: String,
    pub signer_title: String,
    pub signer_name: String,
    /// "Nơi nhận" before the archive line, one per entry.
    pub recipients: Vec<String>,
    /// The drafting unit after "Lưu: VT,".
    pub archive_unit: String,
    pub updated_by: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

impl DocumentSettings {
    fn row(&self) -> Row {
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let lines = |v: &[String]| {
            text(
                &v.iter()
                    .map(|l| l.trim())
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        };
        vec![
            Some(self.programme_id.clone()),
            text(&self.parent_body),
            text(&self.issuing_body),
            text(&self.symbol),
            text(&self.place),
            lines(&self.addressees),
            text(&self.signer_authority),
            text(&self.signer_title),
            text(&self.signer_name),
            lines(&self.recipients),
            text(&self.archive_unit),
            text(&self.updated_by),
            text(&self.updated_at),
        ]
    }

    fn from_row(row: &Row) -> DocumentSettings {
        DocumentSettings::from_cells(|name| {
            REPORT_SETTINGS
                .index(name)
                .and_then(|i| row.get(i).cloned().flatten())
                .unwrap_or_default()
        })
    }

    /// The settings from their cells by column name (`programme_id`, `signer_name`, …):
    /// a stored row, or a row of a CSV file with the same columns; list columns hold one
    /// entry per line.
    pub fn from_cells(cell: impl Fn(&str) -> String) -> DocumentSettings {
        let lines = |name: &str| cell(name).lines().map(str::to_string).collect();
        DocumentSettings {
            programme_id: cell("programme_id"),
            parent_body: cell("parent_body"),
            issuing_body: cell("issuing_body"),
            symbol: cell("symbol"),
            place: cell("place"),
            addressees: lines("addressees"),
            signer_authority: cell("signer_authority"),
            signer_title: cell("signer_title"),
            signer_name: cell("signer_name"),
            recipients: lines("recipients"),
            archive_unit: cell("archive_unit"),
            updated_by: cell("updated_by"),
            updated_at: cell("updated_at"),
        }
    }
}

/// A programme's settings and their version (0 when none are stored).
pub async fn get<S: Store>(store: &S, programme_id: &str) -> Result<(DocumentSettings, i64)> {
    Ok(match store.get(&REPORT_SETTINGS, programme_id).await? {
        Some(v) => (DocumentSettings::from_row(&v.row), v.version),
        None => (
            DocumentSettings {
                programme_id: programme_id.to_string(),
                ..DocumentSettings::default()
            },
            0,
        ),
    })
}

/// Save a programme's settings over the version the editor read (0: none were stored);
/// refused with [`StoreError::Conflict`] when someone saved in between.
pub async fn save<S: Store>(
    store: &S,
    settings: &DocumentSettings,
    version_read: i64,
    actor: &str,
) -> Result<()> {
    let current = store.get(&REPORT_SETTINGS, &settings.programme_id).await?;
    if current.as_ref().map_or(0, |c| c.version) != version_read {
        return Err(StoreError::Conflict {
            entity: REPORT_SETTINGS.name,
            key: settings.programme_id.clone(),
            current,
        });
    }
    let stamped = DocumentSettings {
        updated_by: actor.to_string(),
        updated_at: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        ..settings.clone()
    };
    let unchanged = current.as_ref().is_some_and(|c| {
        DocumentSettings {
            updated_by: String::new(),
            updated_at: String::new(),
            ..DocumentSettings::from_row(&c.row)
        } == DocumentSettings {
            updated_by: String::new(),
            updated_at: String::new(),
            ..settings.clone()
        }
    });
    if unchanged {
        return Ok(());
    }
    let change = Change {
        entity: &REPORT_SETTINGS,
        key: settings.programme_id.clone(),
        before: current.map(|c| c.row),
        after: stamped.row(),
    };
    store
        .apply(
            &[change],
            actor,
            "cập nhật thiết lập văn bản của chương trình",
        )
        .await?;
    Ok(())
}
