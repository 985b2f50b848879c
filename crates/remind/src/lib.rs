//! E-mail reminders: one pass (`tiendo remind`, or the server once a day) computes what
//! each agency owes on a day ([`tiendo_core::urge`]), for every programme under way that
//! day (and the report of its latest period open for entry), and sends the reminders of
//! that day over SMTP: before a deadline, on the day an item falls overdue, and on Mondays
//! (or when asked) the weekly digest.
//!
//! Never twice, never lost: each item of a message is claimed first (a row in the
//! journaled `reminders` table, keyed by agency, item, kind and day; a second runner's
//! claim of the same key is refused by the store), then the message is sent, then the
//! rows say `sent`, or `failed` with the error. The next pass sends failed messages again,
//! as they were written, up to [`MAX_ATTEMPTS`] times; they stay visible with their error.

use std::time::Duration;

use chrono::NaiveDate;
use lettre::Transport;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::SmtpTransport;
use serde::Serialize;
use tiendo_core::model::Dataset;
use tiendo_core::urge::{self, OwedRequest, Reminder, ReminderKind};
pub use tiendo_store::reminder::MAX_ATTEMPTS;
use tiendo_store::reminder::{self, Contact, ReminderRecord, ReminderStatus};
use tiendo_store::{Store, StoreError};

/// An error of a reminder pass (a failed message is not one: it is recorded and retried).
#[derive(Debug, thiserror::Error)]
pub enum RemindError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("địa chỉ máy chủ SMTP không hợp lệ: \"{0}\" (dùng smtp://máy:cổng)")]
    Server(String),
    #[error("địa chỉ người gửi không hợp lệ: \"{0}\"")]
    Sender(String),
}

/// Where and as whom reminders are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub from: String,
}

impl MailSettings {
    /// From `smtp://host:port` (or `host:port`; port 25 when omitted) and the sender's
    /// address.
    pub fn new(server: &str, from: &str) -> Result<MailSettings, RemindError> {
        let rest = server
            .strip_prefix("smtp://")
            .unwrap_or(server)
            .trim_end_matches('/');
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse()
                    .map_err(|_| RemindError::Server(server.to_string()))?,
            ),
            None => (rest, 25),
        };
        if host.is_empty() || host.contains(['/', '@']) {
            return Err(RemindError::Server(server.to_string()));
        }
        from.parse::<Mailbox>()
            .map_err(|_| RemindError::Sender(from.to_string()))?;
        Ok(MailSettings {
            host: host.to_string(),
            port,
            from: from.to_string(),
        })
    }
}

/// What a pass is for.
#[derive(Debug, Clone, Copy)]
pub struct PassOptions {
    /// The day of the pass (Vietnam time).
    pub day: NaiveDate,
    /// Remind this many days before a deadline.
    pub days_before: i64,
    /// Send the weekly digest (on Mondays by default).
    pub digest: bool,
}

/// One message of a pass and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageOutcome {
    pub agency_id: String,
    pub kind: ReminderKind,
    pub recipients: Vec<String>,
    pub subject: String,
    /// How many items it is about.
    pub items: usize,
    /// The error, when it was not sent.
    pub error: Option<String>,
    /// Whether it was a failed message sent again.
    pub retry: bool,
}

/// What a pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PassOutcome {
    pub messages: Vec<MessageOutcome>,
    /// Agencies with something to be reminded of but no e-mail address (nothing recorded:
    /// they are reminded once an address is set, while the reminder is still due).
    pub without_address: Vec<String>,
}

impl PassOutcome {
    pub fn sent(&self) -> impl Iterator<Item = &MessageOutcome> {
        self.messages.iter().filter(|m| m.error.is_none())
    }

    pub fn failed(&self) -> impl Iterator<Item = &MessageOutcome> {
        self.messages.iter().filter(|m| m.error.is_some())
    }
}

/// The reminders of a day for every programme under way on it: its family's tasks and
/// checklists, and the report of its latest period open for entry.
pub async fn reminders_of_day<S: Store>(
    store: &S,
    data: &Dataset,
    options: &PassOptions,
) -> Result<Vec<Reminder>, RemindError> {
    let open = reminder::open_periods(store).await?;
    let mut owed_all = Vec::new();
    let roots = data.programmes.iter().filter(|p| {
        p.parent_id.is_none()
            && p.start.is_none_or(|s| s <= options.day)
            && p.end.is_none_or(|e| options.day <= e)
    });
    for root in roots {
        let family: Vec<&str> = data
            .programme_family(&root.id)
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        let period = open
            .iter()
            .filter(|(p, _)| *p == root.id)
            .map(|(_, period)| *period)
            .max_by_key(|p| p.end(root.regime));
        let submissions = match period {
            Some(period) => reminder::submissions_sent(store, &root.id, period).await?,
            None => Vec::new(),
        };
        let request = OwedRequest {
            programme_ids: &family,
            as_of: options.day,
            known_on: options.day,
            report_period: period,
            within_days: options.days_before,
            submissions: &submissions,
        };
        owed_all.extend(urge::owed(data, &request));
    }
    Ok(urge::reminders(&owed_all, options.day, options.digest))
}

/// One pass: send again what failed, then send the reminders of the day not yet sent.
pub async fn run_pass<S: Store>(
    store: &S,
    data: &Dataset,
    mail: &MailSettings,
    options: &PassOptions,
    actor: &str,
) -> Result<PassOutcome, RemindError> {
    let mut outcome = retry_failed(store, mail, actor).await?;
    let recorded = reminder::reminders(store).await?;
    let contacts = reminder::contacts(store).await?;
    for r in reminders_of_day(store, data, options).await? {
        let fresh: Vec<usize> = (0..r.items.len())
            .filter(|i| recorded.iter().all(|rec| !same_item(rec, &r, *i)))
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let Some(to) = contacts
            .iter()
            .find(|c| c.agency_id == r.agency_id && !c.emails.is_empty())
            .map(|c: &Contact| c.emails.clone())
        else {
            outcome.without_address.push(r.agency_name.clone());
            continue;
        };
        let lines = if r.kind == ReminderKind::Digest {
            r.lines.clone()
        } else {
            fresh.iter().map(|i| r.lines[*i].clone()).collect()
        };
        let message = Reminder {
            items: fresh.iter().map(|i| r.items[*i].clone()).collect(),
            lines,
            ..r.clone()
        };
        let now = now_rfc3339();
        let claimed: Vec<ReminderRecord> = message
            .items
            .iter()
            .map(|item| ReminderRecord {
                agency_id: message.agency_id.clone(),
                item: item.item.clone(),
                kind: message.kind,
                day: item.day,
                message_id: format!(
                    "{}-{}-{}-{}",
                    options.day,
                    message.agency_id,
                    message.kind.code(),
                    now
                ),
                recipients: to.clone(),
                subject: message.subject(),
                body: message.body(),
                status: ReminderStatus::Failed,
                attempts: 0,
                last_error: "đang gửi".to_string(),
                sent_at: String::new(),
                updated_at: now.clone(),
            })
            .collect();
        match reminder::record(store, &claimed, &[], actor).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
        outcome
            .messages
            .push(send_and_record(store, mail, &claimed, actor, false).await?);
    }
    Ok(outcome)
}

/// Whether a recorded row is item `i` of a reminder.
fn same_item(rec: &ReminderRecord, r: &Reminder, i: usize) -> bool {
    rec.agency_id == r.agency_id
        && rec.kind == r.kind
        && rec.item == r.items[i].item
        && rec.day == r.items[i].day
}

/// Send again, as they were written, the messages that failed and may be tried again.
pub async fn retry_failed<S: Store>(
    store: &S,
    mail: &MailSettings,
    actor: &str,
) -> Result<PassOutcome, RemindError> {
    let mut outcome = PassOutcome::default();
    let failed: Vec<ReminderRecord> = reminder::reminders(store)
        .await?
        .into_iter()
        .filter(ReminderRecord::retryable)
        .collect();
    let mut ids: Vec<&str> = failed.iter().map(|r| r.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let rows: Vec<ReminderRecord> = failed
            .iter()
            .filter(|r| r.message_id == id)
            .cloned()
            .collect();
        outcome
            .messages
            .push(send_and_record(store, mail, &rows, actor, true).await?);
    }
    Ok(outcome)
}

/// Send the message of `rows` (items of one message) and record what became of it.
async fn send_and_record<S: Store>(
    store: &S,
    mail: &MailSettings,
    rows: &[ReminderRecord],
    actor: &str,
    retry: bool,
) -> Result<MessageOutcome, RemindError> {
    let first = &rows[0];
    let result = send(mail, &first.recipients, &first.subject, &first.body).await;
    let now = now_rfc3339();
    let updated: Vec<ReminderRecord> = rows
        .iter()
        .map(|r| ReminderRecord {
            status: if result.is_ok() {
                ReminderStatus::Sent
            } else {
                ReminderStatus::Failed
            },
            attempts: r.attempts + 1,
            last_error: result
                .as_ref()
                .err()
                .map(|e| {
                    e.chars()
                        .map(|c| if c.is_control() { ' ' } else { c })
                        .collect()
                })
                .unwrap_or_default(),
            sent_at: if result.is_ok() {
                now.clone()
            } else {
                String::new()
            },
            updated_at: now.clone(),
            ..r.clone()
        })
        .collect();
    reminder::record(store, &updated, rows, actor).await?;
    Ok(MessageOutcome {
        agency_id: first.agency_id.clone(),
        kind: first.kind,
        recipients: first.recipients.clone(),
        subject: first.subject.clone(),
        items: rows.len(),
        error: result.err(),
        retry,
    })
}

/// Send one plain-text message; the error in words.
async fn send(mail: &MailSettings, to: &[String], subject: &str, body: &str) -> Result<(), String> {
    let from: Mailbox = mail
        .from
        .parse()
        .map_err(|e| format!("địa chỉ người gửi \"{}\": {e}", mail.from))?;
    let mut builder = Message::builder()
        .from(from)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN);
    for address in to {
        builder = builder.to(address
            .parse::<Mailbox>()
            .map_err(|e| format!("địa chỉ nhận \"{address}\": {e}"))?);
    }
    let message = builder
        .body(body.to_string())
        .map_err(|e| format!("không tạo được thư: {e}"))?;
    let transport = SmtpTransport::builder_dangerous(&mail.host)
        .port(mail.port)
        .timeout(Some(Duration::from_secs(20)))
        .build();
    let (host, port) = (mail.host.clone(), mail.port);
    tokio::task::spawn_blocking(move || transport.send(&message))
        .await
        .map_err(|e| format!("không gửi được thư: {e}"))?
        .map(|_| ())
        .map_err(|e| format!("máy chủ SMTP {host}:{port}: {e}"))
}

/// Whether an e-mail address is well formed ("vanphong@yenbai.gov.vn").
pub fn valid_address(address: &str) -> bool {
    address.parse::<lettre::Address>().is_ok()
}

/// Now, RFC 3339 in UTC with milliseconds.
fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_is_read_from_a_url() {
        let m = MailSettings::new("smtp://127.0.0.1:2525", "tiendo@example.org").expect("valid");
        assert_eq!((m.host.as_str(), m.port), ("127.0.0.1", 2525));
        assert_eq!(
            MailSettings::new("mail.example.org", "a@b.vn")
                .expect("valid")
                .port,
            25
        );
        assert!(matches!(
            MailSettings::new("smtp://h:x", "a@b.vn"),
            Err(RemindError::Server(_))
        ));
        assert!(matches!(
            MailSettings::new("smtp://h:25", "không phải địa chỉ"),
            Err(RemindError::Sender(_))
        ));
    }
}
