//! Agencies' e-mail addresses and the journal of e-mail reminders, as typed records.
//!
//! Every reminder item (agency, item, kind, day) has one row, written through the
//! journaled [`Store::apply`]: `sent` once it went out, never sent again; `failed` with
//! the error and the number of attempts, tried again by the next pass until
//! [`MAX_ATTEMPTS`], and shown until then and after.

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::period::Period;
use tiendo_core::submission::SubmissionStatus;
use tiendo_core::urge::ReminderKind;
use tiendo_exchange::import::Change;
use tiendo_exchange::records::Row;

use crate::workflow::{AGENCY_CONTACTS, PERIOD_LOCKS, REMINDERS, SUBMISSIONS};
use crate::{Result, Store, StoreError};

/// How many times a failed reminder is tried before it is left as failed.
pub const MAX_ATTEMPTS: u32 = 5;

/// Where an agency's reminders go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub agency_id: String,
    pub emails: Vec<String>,
    /// Who the addresses belong to ("Văn phòng UBND tỉnh"); may be empty.
    pub name: String,
    pub updated_at: String,
}

impl Contact {
    fn row(&self) -> Row {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        vec![
            Some(self.agency_id.clone()),
            text(&self.emails.join("\n")),
            text(&self.name),
            text(&self.updated_at),
        ]
    }

    fn from_row(row: &Row) -> Contact {
        let cell = |name: &str| {
            AGENCY_CONTACTS
                .index(name)
                .and_then(|i| row.get(i).cloned().flatten())
                .unwrap_or_default()
        };
        Contact {
            agency_id: cell("agency_id"),
            emails: cell("emails").lines().map(str::to_string).collect(),
            name: cell("name"),
            updated_at: cell("updated_at"),
        }
    }
}

/// Every agency's addresses, by agency id.
pub async fn contacts<S: Store>(store: &S) -> Result<Vec<Contact>> {
    Ok(store
        .rows(&AGENCY_CONTACTS)
        .await?
        .iter()
        .map(|v| Contact::from_row(&v.row))
        .collect())
}

/// Set an agency's addresses (replacing those it had), journaled.
pub async fn set_contact<S: Store>(store: &S, contact: &Contact, actor: &str) -> Result<()> {
    let before = store
        .get(&AGENCY_CONTACTS, &contact.agency_id)
        .await?
        .map(|v| v.row);
    let change = Change {
        entity: &AGENCY_CONTACTS,
        key: contact.agency_id.clone(),
        before,
        after: contact.row(),
    };
    store
        .apply(
            &[change],
            actor,
            &format!("địa chỉ e-mail nhận nhắc việc của {}", contact.agency_id),
        )
        .await?;
    Ok(())
}

/// Whether a reminder item went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReminderStatus {
    Sent,
    Failed,
}

impl ReminderStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReminderStatus::Sent => "sent",
            ReminderStatus::Failed => "failed",
        }
    }
}

/// One reminder item and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderRecord {
    pub agency_id: String,
    pub item: String,
    pub kind: ReminderKind,
    pub day: NaiveDate,
    /// The items of one message share it.
    pub message_id: String,
    pub recipients: Vec<String>,
    pub subject: String,
    pub body: String,
    pub status: ReminderStatus,
    pub attempts: u32,
    pub last_error: String,
    /// When it went out (RFC 3339, UTC); empty while it has not.
    pub sent_at: String,
    pub updated_at: String,
}

impl ReminderRecord {
    /// The key of its row: agency, item, kind, day.
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.agency_id,
            self.item,
            self.kind.code(),
            self.day
        )
    }

    /// Whether the next pass tries it again.
    pub fn retryable(&self) -> bool {
        self.status == ReminderStatus::Failed && self.attempts < MAX_ATTEMPTS
    }

    fn row(&self) -> Row {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        vec![
            Some(self.agency_id.clone()),
            Some(self.item.clone()),
            Some(self.kind.code().to_string()),
            Some(self.day.to_string()),
            Some(self.message_id.clone()),
            text(&self.recipients.join("\n")),
            Some(self.subject.clone()),
            Some(self.body.clone()),
            Some(self.status.code().to_string()),
            Some(self.attempts.to_string()),
            text(&self.last_error),
            text(&self.sent_at),
            Some(self.updated_at.clone()),
        ]
    }

    fn from_row(row: &Row) -> Result<ReminderRecord> {
        let cell = |name: &str| {
            REMINDERS
                .index(name)
                .and_then(|i| row.get(i).cloned().flatten())
                .unwrap_or_default()
        };
        let bad = |what: &str| {
            StoreError::Corrupt(format!(
                "reminders {}|{}|{}|{}: {what}",
                cell("agency_id"),
                cell("item"),
                cell("kind"),
                cell("day")
            ))
        };
        Ok(ReminderRecord {
            agency_id: cell("agency_id"),
            item: cell("item"),
            kind: cell("kind").parse().map_err(|_| bad("kind"))?,
            day: cell("day").parse().map_err(|_| bad("day"))?,
            message_id: cell("message_id"),
            recipients: cell("recipients").lines().map(str::to_string).collect(),
            subject: cell("subject"),
            body: cell("body"),
            status: match cell("status").as_str() {
                "sent" => ReminderStatus::Sent,
                "failed" => ReminderStatus::Failed,
                _ => return Err(bad("status")),
            },
            attempts: cell("attempts").parse().map_err(|_| bad("attempts"))?,
            last_error: cell("last_error"),
            sent_at: cell("sent_at"),
            updated_at: cell("updated_at"),
        })
    }
}

/// Every reminder item recorded, newest first.
pub async fn reminders<S: Store>(store: &S) -> Result<Vec<ReminderRecord>> {
    let mut all = store
        .rows(&REMINDERS)
        .await?
        .iter()
        .map(|v| ReminderRecord::from_row(&v.row))
        .collect::<Result<Vec<_>>>()?;
    all.sort_by(|a, b| {
        (&b.updated_at, &b.message_id, &a.item).cmp(&(&a.updated_at, &a.message_id, &b.item))
    });
    Ok(all)
}

/// Record the items of one message, as they now stand, in one journaled transaction;
/// `previous` are the rows they replace (failed items tried again).
pub async fn record<S: Store>(
    store: &S,
    records: &[ReminderRecord],
    previous: &[ReminderRecord],
    actor: &str,
) -> Result<()> {
    let changes: Vec<Change> = records
        .iter()
        .map(|r| {
            let before = previous
                .iter()
                .find(|p| p.key() == r.key())
                .map(ReminderRecord::row);
            Change {
                entity: &REMINDERS,
                key: r.key(),
                before,
                after: r.row(),
            }
        })
        .collect();
    let reason = match records.first() {
        Some(r) if r.status == ReminderStatus::Sent => {
            format!("gửi nhắc việc {} cho {}", r.message_id, r.agency_id)
        }
        Some(r) => format!(
            "gửi nhắc việc {} cho {} không thành công: {}",
            r.message_id, r.agency_id, r.last_error
        ),
        None => return Ok(()),
    };
    store.apply(&changes, actor, &reason).await?;
    Ok(())
}

/// The periods open for entry, as (programme, period): the reports agencies are asked for.
pub async fn open_periods<S: Store>(store: &S) -> Result<Vec<(String, Period)>> {
    let rows = store.rows(&PERIOD_LOCKS).await?;
    let cell = |row: &Row, name: &str| {
        PERIOD_LOCKS
            .index(name)
            .and_then(|i| row.get(i).cloned().flatten())
            .unwrap_or_default()
    };
    Ok(rows
        .iter()
        .filter(|v| cell(&v.row, "locked") != "true")
        .filter_map(|v| {
            Some((
                cell(&v.row, "programme_id"),
                cell(&v.row, "period").parse().ok()?,
            ))
        })
        .collect())
}

/// The submissions of a programme's period as [`tiendo_core::obligation::obligations`]
/// takes them: (agency, status, day sent in Vietnam's time).
pub async fn submissions_sent<S: Store>(
    store: &S,
    programme_id: &str,
    period: Period,
) -> Result<Vec<(String, SubmissionStatus, Option<NaiveDate>)>> {
    let rows = store.rows(&SUBMISSIONS).await?;
    let cell = |row: &Row, name: &str| {
        SUBMISSIONS
            .index(name)
            .and_then(|i| row.get(i).cloned().flatten())
            .unwrap_or_default()
    };
    Ok(rows
        .iter()
        .filter(|v| {
            cell(&v.row, "programme_id") == programme_id && cell(&v.row, "period") == period.code()
        })
        .filter_map(|v| {
            let status = cell(&v.row, "status").parse().ok()?;
            let on = chrono::DateTime::parse_from_rfc3339(&cell(&v.row, "submitted_at"))
                .ok()
                .map(|d| tiendo_core::clock::in_vietnam(d).date());
            Some((cell(&v.row, "agency_id"), status, on))
        })
        .collect())
}
