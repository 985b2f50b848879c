//! Data entry and review, shared by the pages and the API.
//!
//! A reporter's entries are staged in the agency's submission for a programme and period
//! (`submission_items`), each with the version of the stored record it was based on.
//! Nothing reaches the programme records until the secretariat accepts the submission:
//! then every staged row is written in one journaled transaction, and a record that
//! changed since the reporter read it makes the whole acceptance fail with a conflict
//! rather than overwrite the other change. Periods are opened and locked per programme;
//! reopening a locked period needs a reason, which the journal keeps.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_core::access::Action;
use tiendo_core::model::{Dataset, ReportedStatus};
use tiendo_core::period::Period;
use tiendo_core::submission::SubmissionStatus;
use tiendo_exchange::import::Change;
use tiendo_exchange::records::{
    ASSIGNMENT_UPDATES, CHECKLIST_ITEMS, Context, Entity, OBSERVATIONS, Row, TASK_UPDATES, read_row,
};
use tiendo_store::workflow::{
    EVIDENCE, EVIDENCE_UPLOADS, PERIOD_LOCKS, PeriodLock, SUBMISSION_ITEMS, SUBMISSIONS,
    StagedRecord, SubmissionRecord, entity,
};
use tiendo_store::{Store, Versioned};
use utoipa::ToSchema;

use crate::accounts::{Caller, now_rfc3339, sha256_hex};
use crate::error::{Error, ErrorKind, Result};
use crate::records::{Records, row_object};

/// Whether a programme's period is open for entry: opened and not locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    NotOpened,
    Open,
    Locked,
}

pub async fn period_state<S: Store>(
    store: &S,
    programme_id: &str,
    period: Period,
) -> Result<PeriodState> {
    Ok(
        match store
            .get(
                &PERIOD_LOCKS,
                &PeriodLock::key(programme_id, &period.code()),
            )
            .await?
        {
            None => PeriodState::NotOpened,
            Some(v) if PeriodLock::from_row(&v.row).locked => PeriodState::Locked,
            Some(_) => PeriodState::Open,
        },
    )
}

/// The open periods of every programme: (programme id, period).
pub async fn open_periods<S: Store>(store: &S) -> Result<Vec<(String, Period)>> {
    Ok(store
        .rows(&PERIOD_LOCKS)
        .await?
        .iter()
        .map(|v| PeriodLock::from_row(&v.row))
        .filter(|l| !l.locked)
        .filter_map(|l| Some((l.programme_id.clone(), l.period.parse().ok()?)))
        .collect())
}

/// Open, lock or reopen a period. Reopening a locked period needs a reason.
pub async fn set_period(
    records: &Records,
    caller: &Caller,
    programme_id: &str,
    period: Period,
    locked: bool,
    reason: &str,
) -> Result<PeriodState> {
    caller.may(&Action::Lock { programme_id })?;
    let data = records.data().await?;
    if data.programme(programme_id).is_none() {
        return Err(Error::not_found("chương trình", "Programme").field("programme_id"));
    }
    let key = PeriodLock::key(programme_id, &period.code());
    let current = records.store.get(&PERIOD_LOCKS, &key).await?;
    let was_locked = current
        .as_ref()
        .is_some_and(|v| PeriodLock::from_row(&v.row).locked);
    if was_locked && !locked && reason.trim().is_empty() {
        return Err(Error::invalid(
            "reason",
            "Mở lại kỳ đã khóa cần nêu lý do.",
            "Reopening a locked period needs a reason.",
        ));
    }
    let after = PeriodLock {
        programme_id: programme_id.to_string(),
        period: period.code(),
        locked,
        changed_at: Some(now_rfc3339()),
        changed_by: Some(caller.account.id.clone()),
    }
    .row();
    let default_reason = if locked {
        "khóa kỳ báo cáo"
    } else {
        "mở kỳ báo cáo"
    };
    let reason = if reason.trim().is_empty() {
        default_reason
    } else {
        reason.trim()
    };
    records
        .store
        .apply(
            &[Change {
                entity: &PERIOD_LOCKS,
                key,
                before: current.map(|c| c.row),
                after,
            }],
            &caller.account.id,
            reason,
        )
        .await?;
    // The records carry the open periods, which decide the pages' default period.
    records.invalidate();
    Ok(if locked {
        PeriodState::Locked
    } else {
        PeriodState::Open
    })
}

/// What a reporter enters for one record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// Status and result of a task for the period.
    Task {
        task_id: String,
        /// `done`, `in_progress`, `not_started` or `not_applicable`.
        status: String,
        completed_on: Option<String>,
        #[serde(default)]
        result: String,
    },
    /// An indicator value of the agency for the period.
    Indicator {
        indicator_id: String,
        value: Option<String>,
        numerator: Option<String>,
        denominator: Option<String>,
        #[serde(default)]
        note: String,
    },
    /// A checklist requirement: done or not, when, and the evidence.
    Checklist {
        requirement_id: String,
        done: bool,
        done_on: Option<String>,
        #[serde(default)]
        evidence: String,
    },
}

/// The staged entries of a submission and its state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmissionView {
    pub agency_id: String,
    pub programme_id: String,
    pub period: String,
    pub status: String,
    pub status_text: String,
    pub version: i64,
    pub submitted_at: Option<String>,
    pub submitted_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub reviewed_by: Option<String>,
    pub review_comment: Option<String>,
    pub items: Vec<StagedItem>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StagedItem {
    pub entity: String,
    pub record_key: String,
    pub after: serde_json::Value,
    pub base_version: i64,
    pub version: i64,
    pub edited_by: Option<String>,
    pub edited_at: Option<String>,
}

fn submission_key(agency_id: &str, programme_id: &str, period: Period) -> String {
    SubmissionRecord::key(agency_id, programme_id, &period.code())
}

/// The stored submission's status; a draft when there is none yet.
fn status_of(stored: Option<&Versioned>) -> SubmissionStatus {
    stored
        .and_then(|v| {
            SubmissionRecord::from_row(&v.row)
                .status?
                .parse::<SubmissionStatus>()
                .ok()
        })
        .unwrap_or(SubmissionStatus::Draft)
}

pub async fn submission<S: Store>(
    store: &S,
    agency_id: &str,
    programme_id: &str,
    period: Period,
    lang: tiendo_core::lang::Lang,
) -> Result<SubmissionView> {
    let key = submission_key(agency_id, programme_id, period);
    let stored = store.get(&SUBMISSIONS, &key).await?;
    let status = status_of(stored.as_ref());
    let record = stored
        .as_ref()
        .map(|v| SubmissionRecord::from_row(&v.row))
        .unwrap_or_default();
    let items = store
        .rows(&SUBMISSION_ITEMS)
        .await?
        .into_iter()
        .map(|v| (StagedRecord::from_row(&v.row), v.version))
        .filter(|(r, _)| r.is_in(agency_id, programme_id, &period.code()))
        .map(|(r, version)| StagedItem {
            after: r
                .after
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default(),
            entity: r.entity,
            record_key: r.record_key,
            base_version: r.base_version,
            version,
            edited_by: r.edited_by,
            edited_at: r.edited_at,
        })
        .collect();
    Ok(SubmissionView {
        agency_id: agency_id.into(),
        programme_id: programme_id.into(),
        period: period.code(),
        status: status.code().into(),
        status_text: lang.pick(status.label_vi(), status.label_en()).into(),
        version: stored.as_ref().map_or(0, |v| v.version),
        submitted_at: record.submitted_at,
        submitted_by: record.submitted_by,
        reviewed_at: record.reviewed_at,
        reviewed_by: record.reviewed_by,
        review_comment: record.review_comment,
        items,
    })
}

/// The row an entry will write, checked by the exchange format's own reader. Its report
/// date (`reported_on`) is the date the information speaks as of: the end of the period,
/// or today while the period runs; the journal keeps when it was actually entered.
#[allow(clippy::too_many_arguments)]
fn entry_row(
    data: &Dataset,
    entry: &Entry,
    agency_id: &str,
    programme_ids: &[&str],
    period: Period,
    as_of: NaiveDate,
    today: NaiveDate,
    who: &str,
) -> Result<(&'static Entity, Row)> {
    let provenance = format!(
        "nhập trên web bởi {who}, {}",
        tiendo_core::format::date(today)
    );
    let date = |field: &str, text: &Option<String>| -> Result<Option<String>> {
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => tiendo_core::format::parse_typed_date(t)
                .map(|d| Some(d.to_string()))
                .map_err(|why| {
                    Error::invalid(
                        field,
                        format!("{why}."),
                        format!("Invalid date \"{t}\": write dd/mm/yyyy or yyyy-mm-dd."),
                    )
                }),
        }
    };
    let number = |field: &str, text: &Option<String>| -> Result<Option<f64>> {
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => tiendo_core::format::parse_typed_number(t)
                .map(Some)
                .map_err(|why| Error::invalid(field, format!("{why}."), format!("\"{t}\" is not a number, or is ambiguous: write 1234 for a whole number, 1,234 or 1.5 for a decimal."))),
        }
    };
    let (entity, row): (&'static Entity, Row) = match entry {
        Entry::Task {
            task_id,
            status,
            completed_on,
            result,
        } => {
            let task = data
                .tasks
                .iter()
                .find(|t| &t.id == task_id && programme_ids.contains(&t.programme_id.as_str()))
                .ok_or_else(|| Error::not_found("nhiệm vụ", "Task").field("task_id"))?;
            let own_row = entry_target(data, task, agency_id, as_of)?;
            let status: ReportedStatus = status.parse().map_err(|e: String| {
                Error::invalid(
                    "status",
                    e,
                    format!("Unknown status; use one of {}", ReportedStatus::codes()),
                )
            })?;
            let completed_on = date("completed_on", completed_on)?;
            if let Some(why) = tiendo_core::submission::task_entry_problem(
                status,
                completed_on.as_deref().and_then(|d| d.parse().ok()),
            ) {
                return Err(Error::invalid(
                    "completed_on",
                    format!("{why}."),
                    "A done task needs its completion date.",
                ));
            }
            let result = Some(result.trim().to_string()).filter(|r| !r.is_empty());
            if own_row {
                (
                    &ASSIGNMENT_UPDATES,
                    vec![
                        Some(task.id.clone()),
                        Some(agency_id.into()),
                        Some(period.code()),
                        Some(as_of.to_string()),
                        Some(status.code().into()),
                        completed_on,
                        result,
                        Some(provenance),
                    ],
                )
            } else {
                (
                    &TASK_UPDATES,
                    vec![
                        Some(task.id.clone()),
                        Some(period.code()),
                        Some(as_of.to_string()),
                        Some(status.code().into()),
                        completed_on,
                        result,
                        Some(provenance),
                    ],
                )
            }
        }
        Entry::Indicator {
            indicator_id,
            value,
            numerator,
            denominator,
            note,
        } => {
            let ind = data
                .indicators
                .iter()
                .find(|i| &i.id == indicator_id && programme_ids.contains(&i.programme_id.as_str()))
                .ok_or_else(|| Error::not_found("chỉ tiêu", "Indicator").field("indicator_id"))?;
            let (n, d) = (
                number("numerator", numerator)?,
                number("denominator", denominator)?,
            );
            if let Some(reason) = ind.scope_problem(
                data,
                Some(agency_id),
                tiendo_core::model::SourceKind::Declared,
                as_of,
            ) {
                return Err(Error::new(ErrorKind::Forbidden, "indicator_scope", reason, "This agency may not report this indicator (a national figure, a measured one, or another group's).")
                    .field("indicator_id"));
            }
            let value = match (number("value", value)?, n, d) {
                (Some(v), _, _) => v,
                (None, Some(n), Some(d)) if d != 0.0 => {
                    n / d * if ind.is_rate() { 100.0 } else { 1.0 }
                }
                _ => {
                    return Err(Error::invalid(
                        "value",
                        "Cần nhập giá trị, hoặc tử số và mẫu số.",
                        "Enter the value, or the numerator and denominator.",
                    ));
                }
            };
            if let Some((field, reason)) = ind.value_problem(value, n, d) {
                return Err(Error::invalid(
                    field,
                    reason,
                    format!("Invalid {field} for this indicator's unit ({}).", ind.unit),
                ));
            }
            (
                &OBSERVATIONS,
                vec![
                    Some(ind.id.clone()),
                    Some(agency_id.into()),
                    Some(period.code()),
                    Some("declared".into()),
                    Some(format!("{value}")),
                    n.map(|v| format!("{v}")),
                    d.map(|v| format!("{v}")),
                    None,
                    Some(note.trim().to_string()).filter(|r| !r.is_empty()),
                    Some(provenance),
                ],
            )
        }
        Entry::Checklist {
            requirement_id,
            done,
            done_on,
            evidence,
        } => {
            let req = data
                .checklist_requirements
                .iter()
                .find(|r| {
                    &r.id == requirement_id && programme_ids.contains(&r.programme_id.as_str())
                })
                .ok_or_else(|| {
                    Error::not_found("yêu cầu", "Requirement").field("requirement_id")
                })?;
            (
                &CHECKLIST_ITEMS,
                vec![
                    Some(req.id.clone()),
                    Some(agency_id.into()),
                    Some(as_of.to_string()),
                    Some(done.to_string()),
                    date("done_on", done_on)?,
                    Some(evidence.trim().to_string()).filter(|r| !r.is_empty()),
                    Some(provenance),
                ],
            )
        }
    };
    let mut ctx = Context::default();
    ctx.learn(data);
    let mut scratch = Dataset::default();
    read_row(entity, &row, &ctx, &mut scratch).map_err(|errors| {
        let e = &errors[0];
        Error::invalid(
            &e.field,
            e.reason.clone(),
            format!("Invalid {}: {}", e.field, e.reason),
        )
    })?;
    Ok((entity, row))
}

/// The record an agency's report on a task for a period is kept in, and its key: its own
/// part (`assignment_updates`) when the task is shared, else the task's update.
pub fn task_record(
    data: &Dataset,
    task: &tiendo_core::model::Task,
    agency_id: &str,
    period: Period,
    as_of: NaiveDate,
) -> Result<(&'static Entity, String)> {
    Ok(if entry_target(data, task, agency_id, as_of)? {
        (
            &ASSIGNMENT_UPDATES,
            format!("{}|{agency_id}|{}", task.id, period.code()),
        )
    } else {
        (&TASK_UPDATES, format!("{}|{}", task.id, period.code()))
    })
}

/// Where an agency's report on a task goes ([`tiendo_core::assignment::own_part`]); an
/// agency not assigned to the task may not report on it.
fn entry_target(
    data: &Dataset,
    task: &tiendo_core::model::Task,
    agency_id: &str,
    as_of: NaiveDate,
) -> Result<bool> {
    tiendo_core::assignment::own_part(data, task, agency_id, as_of)
        .ok_or_else(|| Error::from(tiendo_core::access::Denied::OtherAgency).field("task_id"))
}

/// The versions an entry is based on: those the person saw, or, for a whole file sent at
/// once (an Excel template), whatever is stored now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Based {
    /// `base` is the version of the stored record the person saw (0: none yet); `item`
    /// the version of the staged entry they saw (0: none yet). Either being stale is a
    /// conflict.
    On { base: i64, item: i64 },
    /// The file replaces the agency's own staged entries.
    Current,
}

/// An entry checked and ready to write: its changes and the staged item it becomes.
struct Prepared {
    changes: Vec<Change>,
    item: StagedItem,
}

/// Check one entry of the agency's submission and build its changes, writing nothing.
#[allow(clippy::too_many_arguments)]
async fn prepare(
    records: &Records,
    caller: &Caller,
    data: &Dataset,
    agency_id: &str,
    programme_id: &str,
    period: Period,
    entry: &Entry,
    based: Based,
    upload: Option<&Upload<'_>>,
) -> Result<Prepared> {
    let family: Vec<&str> = data
        .programme_family(programme_id)
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let programme = data
        .programme(programme_id)
        .ok_or_else(|| Error::not_found("chương trình", "Programme").field("programme_id"))?;
    let today = tiendo_core::clock::today_in_vietnam();
    let as_of = today.min(period.end(programme.regime));
    let (target, row) = entry_row(
        data,
        entry,
        agency_id,
        &family,
        period,
        as_of,
        today,
        &caller.account.id,
    )?;
    if std::ptr::eq(target, &CHECKLIST_ITEMS) {
        let evidence = CHECKLIST_ITEMS
            .index("evidence")
            .and_then(|i| row[i].as_deref())
            .unwrap_or_default();
        let uploaded = upload.map(Upload::reference);
        check_own_evidence(records, agency_id, evidence, uploaded.as_deref()).await?;
    }
    let record_key = target.key(&row);
    let stored = records.store.get(target, &record_key).await?;
    let stored_version = stored.as_ref().map_or(0, |v| v.version);
    let base_version = match based {
        Based::On { base, .. } if base != stored_version => {
            return Err(conflict_for(target, &record_key, stored));
        }
        Based::On { base, .. } => base,
        Based::Current => stored_version,
    };
    let staged = StagedRecord {
        agency_id: agency_id.into(),
        programme_id: programme_id.into(),
        period: period.code(),
        entity: target.name.into(),
        record_key: record_key.clone(),
        after: None,
        base_version,
        edited_by: Some(caller.account.id.clone()),
        edited_at: None,
    };
    let item_key = staged.key();
    let existing = records.store.get(&SUBMISSION_ITEMS, &item_key).await?;
    if let Based::On { item, .. } = based
        && existing.as_ref().map_or(0, |v| v.version) != item
    {
        return Err(conflict_for(&SUBMISSION_ITEMS, &item_key, existing));
    }
    let after = row_object(target, &row).to_string();
    let now = now_rfc3339();
    let item_row = StagedRecord {
        after: Some(after.clone()),
        edited_at: Some(now.clone()),
        ..staged
    }
    .row();
    let mut changes = match upload {
        Some(upload) => upload_changes(records, caller, agency_id, upload).await?,
        None => Vec::new(),
    };
    changes.push(Change {
        entity: &SUBMISSION_ITEMS,
        key: item_key,
        before: existing.as_ref().map(|v| v.row.clone()),
        after: item_row,
    });
    Ok(Prepared {
        changes,
        item: StagedItem {
            entity: target.name.into(),
            record_key,
            after: serde_json::from_str(&after).unwrap_or_default(),
            base_version,
            version: existing.map_or(1, |v| v.version + 1),
            edited_by: Some(caller.account.id.clone()),
            edited_at: Some(now),
        },
    })
}

/// Whether the person may enter the agency's figures for the programme and period now
/// (the period open, or the person allowed past its lock).
pub async fn may_enter(
    records: &Records,
    caller: &Caller,
    agency_id: &str,
    programme_id: &str,
    period: Period,
) -> Result<()> {
    let open = period_state(&records.store, programme_id, period).await? == PeriodState::Open;
    caller.may(&Action::Enter {
        agency_id,
        programme_id,
        period_open: open,
    })?;
    Ok(())
}

/// The agency's submission for the period, checked to be open for entries: who may enter,
/// the period open or the person allowed past its lock, the submission not yet sent. The
/// change that creates the submission when it does not exist yet.
async fn editable_submission(
    records: &Records,
    caller: &Caller,
    agency_id: &str,
    programme_id: &str,
    period: Period,
) -> Result<Option<Change>> {
    may_enter(records, caller, agency_id, programme_id, period).await?;
    let sub_key = submission_key(agency_id, programme_id, period);
    let sub = records.store.get(&SUBMISSIONS, &sub_key).await?;
    if !status_of(sub.as_ref()).editable() {
        return Err(Error::new(
            ErrorKind::Conflict,
            "submission_not_editable",
            "Báo cáo đã gửi hoặc đã được chấp nhận; không sửa được nữa.",
            "The submission was sent or accepted and can no longer be changed.",
        ));
    }
    Ok(sub.is_none().then(|| Change {
        entity: &SUBMISSIONS,
        key: sub_key,
        before: None,
        after: SubmissionRecord {
            agency_id: agency_id.into(),
            programme_id: programme_id.into(),
            period: period.code(),
            status: Some(SubmissionStatus::Draft.code().into()),
            ..SubmissionRecord::default()
        }
        .row(),
    }))
}

/// Stage one entry in the agency's submission, based on the versions the person saw.
#[allow(clippy::too_many_arguments)]
pub async fn stage(
    records: &Records,
    caller: &Caller,
    agency_id: &str,
    programme_id: &str,
    period: Period,
    entry: &Entry,
    base_version: i64,
    item_version: i64,
    upload: Option<Upload<'_>>,
) -> Result<StagedItem> {
    let create = editable_submission(records, caller, agency_id, programme_id, period).await?;
    let data = records.data().await?;
    let based = Based::On {
        base: base_version,
        item: item_version,
    };
    let Prepared { mut changes, item } = prepare(
        records,
        caller,
        &data,
        agency_id,
        programme_id,
        period,
        entry,
        based,
        upload.as_ref(),
    )
    .await?;
    changes.extend(create);
    // The bytes are stored only once every check has passed, so that a refused entry
    // leaves no file behind.
    if let Some(upload) = &upload {
        records
            .store
            .put_blob(&sha256_hex(upload.bytes), upload.bytes)
            .await?;
    }
    records
        .store
        .apply(&changes, &caller.account.id, "nhập số liệu")
        .await?;
    Ok(item)
}

/// Why a file of entries was not staged.
#[derive(Debug)]
pub enum FileRefused {
    /// The whole file: the submission is not open for entries, or storage failed.
    Whole(Error),
    /// Entries refused, by their position in the file's entries.
    Entries(Vec<(usize, Error)>),
}

/// Stage every entry of a file (an Excel template) in the agency's submission, all or
/// nothing: each entry goes through the same checks as one typed on the form, and
/// replaces the agency's own staged entry for the same record. The number staged.
pub async fn stage_all(
    records: &Records,
    caller: &Caller,
    agency_id: &str,
    programme_id: &str,
    period: Period,
    entries: &[Entry],
) -> Result<usize, FileRefused> {
    let create = editable_submission(records, caller, agency_id, programme_id, period)
        .await
        .map_err(FileRefused::Whole)?;
    let data = records
        .data()
        .await
        .map_err(|e| FileRefused::Whole(e.into()))?;
    let mut changes: Vec<Change> = Vec::new();
    let mut errors = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let prepared = prepare(
            records,
            caller,
            &data,
            agency_id,
            programme_id,
            period,
            entry,
            Based::Current,
            None,
        )
        .await;
        match prepared {
            // The same record twice in one file: the later row wins.
            Ok(p) => {
                changes.retain(|c| {
                    !p.changes
                        .iter()
                        .any(|n| n.entity.name == c.entity.name && n.key == c.key)
                });
                changes.extend(p.changes);
            }
            Err(e) => errors.push((i, e)),
        }
    }
    if !errors.is_empty() {
        return Err(FileRefused::Entries(errors));
    }
    let staged = changes.len();
    changes.extend(create);
    records
        .store
        .apply(
            &changes,
            &caller.account.id,
            "nhập số liệu từ biểu mẫu Excel",
        )
        .await
        .map_err(|e| FileRefused::Whole(e.into()))?;
    Ok(staged)
}

/// The evidence files an entry's evidence text cites (`sha256:<64 hex digits>`).
pub fn cited_evidence(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ';' || c == ',')
        .filter_map(|word| word.strip_prefix("sha256:"))
        .filter(|sha| sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()))
}

/// An entry may cite only evidence files that its own agency uploaded (or uploads with
/// this entry): citing another agency's file, whose digest the journal shows, must not
/// make it readable.
async fn check_own_evidence(
    records: &Records,
    agency_id: &str,
    evidence: &str,
    uploaded: Option<&str>,
) -> Result<()> {
    for sha in cited_evidence(evidence) {
        if uploaded.is_some_and(|u| u.strip_prefix("sha256:") == Some(sha)) {
            continue;
        }
        let owned = records
            .store
            .get(&EVIDENCE_UPLOADS, &format!("{sha}|{agency_id}"))
            .await?;
        if owned.is_none() {
            return Err(Error::invalid(
                "evidence",
                format!(
                    "Tệp minh chứng sha256:{sha} không do cơ quan của anh/chị tải lên; hãy tải tệp lên cùng mục này."
                ),
                format!(
                    "Evidence file sha256:{sha} was not uploaded by your agency; upload the file with this entry."
                ),
            ));
        }
    }
    Ok(())
}

fn conflict_for(entity: &'static Entity, key: &str, current: Option<Versioned>) -> Error {
    Error::conflict(current.map(|c| serde_json::json!({"entity": entity.name, "key": key, "version": c.version, "record": row_object(entity, &c.row)})))
}

/// Send a submission for review.
pub async fn submit(
    records: &Records,
    caller: &Caller,
    agency_id: &str,
    programme_id: &str,
    period: Period,
) -> Result<()> {
    let refused = |stored: bool| {
        if stored {
            Error::new(
                ErrorKind::Conflict,
                "submission_not_editable",
                "Báo cáo đã được gửi.",
                "The submission was already sent.",
            )
        } else {
            Error::invalid(
                "items",
                "Chưa nhập nội dung nào để gửi.",
                "Nothing has been entered yet.",
            )
        }
    };
    let sent = |record: SubmissionRecord| SubmissionRecord {
        submitted_at: Some(now_rfc3339()),
        submitted_by: Some(caller.account.id.clone()),
        ..record
    };
    move_submission(
        records,
        caller,
        (agency_id, programme_id, period),
        SubmissionStatus::submit,
        sent,
        refused,
        "gửi báo cáo",
    )
    .await
}

/// Take back a sent submission before the secretariat decides on it, to change it: it is
/// a draft again, its entries kept.
pub async fn withdraw(
    records: &Records,
    caller: &Caller,
    agency_id: &str,
    programme_id: &str,
    period: Period,
) -> Result<()> {
    let refused = |_stored: bool| {
        Error::new(
            ErrorKind::Conflict,
            "submission_not_withdrawable",
            "Chỉ rút lại được báo cáo đã gửi mà cơ quan tổng hợp chưa duyệt.",
            "Only a sent submission the secretariat has not decided on can be withdrawn.",
        )
    };
    let unsent = |record: SubmissionRecord| SubmissionRecord {
        submitted_at: None,
        submitted_by: None,
        ..record
    };
    move_submission(
        records,
        caller,
        (agency_id, programme_id, period),
        SubmissionStatus::withdraw,
        unsent,
        refused,
        "rút lại báo cáo đã gửi",
    )
    .await
}

/// Move an agency's submission to the status `step` allows from its own, as the agency:
/// the right to submit is checked first, then the stored record is rewritten by `update`
/// in one journaled change. `refused` says why not, told whether a submission is stored.
async fn move_submission(
    records: &Records,
    caller: &Caller,
    (agency_id, programme_id, period): (&str, &str, Period),
    step: impl FnOnce(SubmissionStatus) -> Option<SubmissionStatus>,
    update: impl FnOnce(SubmissionRecord) -> SubmissionRecord,
    refused: impl FnOnce(bool) -> Error,
    reason: &str,
) -> Result<()> {
    let open = period_state(&records.store, programme_id, period).await? == PeriodState::Open;
    caller.may(&Action::Submit {
        agency_id,
        programme_id,
        period_open: open,
    })?;
    let key = submission_key(agency_id, programme_id, period);
    let Some(current) = records.store.get(&SUBMISSIONS, &key).await? else {
        return Err(refused(false));
    };
    let next = step(status_of(Some(&current))).ok_or_else(|| refused(true))?;
    let after = SubmissionRecord {
        status: Some(next.code().into()),
        ..update(SubmissionRecord::from_row(&current.row))
    }
    .row();
    records
        .store
        .apply(
            &[Change {
                entity: &SUBMISSIONS,
                key,
                before: Some(current.row),
                after,
            }],
            &caller.account.id,
            reason,
        )
        .await?;
    Ok(())
}

/// Accept (writing every staged entry) or return a submission with a comment.
pub async fn review(
    records: &Records,
    caller: &Caller,
    agency_id: &str,
    programme_id: &str,
    period: Period,
    accept: bool,
    comment: &str,
) -> Result<()> {
    caller.may(&Action::Review { programme_id })?;
    if !accept && comment.trim().is_empty() {
        return Err(Error::invalid(
            "comment",
            "Trả lại báo cáo cần có ý kiến.",
            "Returning a submission needs a comment.",
        ));
    }
    let key = submission_key(agency_id, programme_id, period);
    let current = records
        .store
        .get(&SUBMISSIONS, &key)
        .await?
        .ok_or_else(|| Error::not_found("báo cáo", "Submission"))?;
    let status = status_of(Some(&current));
    let next = status.review(accept).ok_or_else(|| {
        Error::new(
            ErrorKind::Conflict,
            "not_submitted",
            "Chỉ duyệt được báo cáo đã gửi.",
            "Only a submitted submission can be reviewed.",
        )
    })?;
    let mut changes = Vec::new();
    if accept {
        let view = submission(
            &records.store,
            agency_id,
            programme_id,
            period,
            tiendo_core::lang::Lang::Vi,
        )
        .await?;
        for item in &view.items {
            let target = entity(&item.entity).ok_or_else(|| {
                Error::internal(format!("loại bản ghi không rõ: {}", item.entity))
            })?;
            let row: Row = target
                .columns
                .iter()
                .map(|c| {
                    item.after
                        .get(c.name)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                })
                .collect();
            let stored = records.store.get(target, &item.record_key).await?;
            if stored.as_ref().map_or(0, |v| v.version) != item.base_version {
                return Err(conflict_for(target, &item.record_key, stored));
            }
            changes.push(Change {
                entity: target,
                key: item.record_key.clone(),
                before: stored.map(|v| v.row),
                after: row,
            });
        }
    }
    let after = SubmissionRecord {
        status: Some(next.code().into()),
        reviewed_at: Some(now_rfc3339()),
        reviewed_by: Some(caller.account.id.clone()),
        review_comment: Some(comment.trim().to_string()).filter(|c| !c.is_empty()),
        ..SubmissionRecord::from_row(&current.row)
    }
    .row();
    changes.push(Change {
        entity: &SUBMISSIONS,
        key,
        before: Some(current.row),
        after,
    });
    let reason = if accept {
        format!("chấp nhận báo cáo của {agency_id}, kỳ {}", period.code())
    } else {
        format!("trả lại báo cáo: {}", comment.trim())
    };
    records
        .store
        .apply(&changes, &caller.account.id, &reason)
        .await?;
    records.invalidate();
    Ok(())
}

/// Evidence files are kept and served as opaque bytes, whatever type the uploader's
/// browser claimed, so that no uploaded file is ever rendered by the browser.
pub const EVIDENCE_CONTENT_TYPE: &str = "application/octet-stream";

/// The largest evidence file accepted.
pub const EVIDENCE_LIMIT: usize = tiendo_core::limits::EVIDENCE_BYTES;

/// An evidence file uploaded with a checklist entry.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

impl Upload<'_> {
    /// The reference an entry's evidence gives for the file: `sha256:<digest>`.
    pub fn reference(&self) -> String {
        format!("sha256:{}", sha256_hex(self.bytes))
    }
}

/// The records that keep an uploaded file for `agency_id`: its metadata (once per file)
/// and the agency's ownership of it, each only if absent. The bytes themselves are stored
/// by the caller once every check has passed.
async fn upload_changes(
    records: &Records,
    caller: &Caller,
    agency_id: &str,
    upload: &Upload<'_>,
) -> Result<Vec<Change>> {
    if upload.bytes.is_empty() || upload.bytes.len() > EVIDENCE_LIMIT {
        return Err(Error::invalid(
            "file",
            "Tệp minh chứng phải có nội dung và không quá 20 MB.",
            "The evidence file must be non-empty and at most 20 MB.",
        ));
    }
    let sha = sha256_hex(upload.bytes);
    let now = now_rfc3339();
    let mut changes = Vec::new();
    if records.store.get(&EVIDENCE, &sha).await?.is_none() {
        let safe_name: String = upload
            .file_name
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '/' | '\\'))
            .take(200)
            .collect();
        changes.push(Change {
            entity: &EVIDENCE,
            key: sha.clone(),
            before: None,
            after: vec![
                Some(sha.clone()),
                Some(safe_name),
                Some(EVIDENCE_CONTENT_TYPE.into()),
                Some(upload.bytes.len().to_string()),
                Some(caller.account.id.clone()),
                Some(now.clone()),
            ],
        });
    }
    let owner_key = format!("{sha}|{agency_id}");
    if records
        .store
        .get(&EVIDENCE_UPLOADS, &owner_key)
        .await?
        .is_none()
    {
        changes.push(Change {
            entity: &EVIDENCE_UPLOADS,
            key: owner_key,
            before: None,
            after: vec![
                Some(sha),
                Some(agency_id.to_string()),
                Some(caller.account.id.clone()),
                Some(now),
            ],
        });
    }
    Ok(changes)
}

/// What a filled template staged: in whose submission, and how many entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedTemplate {
    pub agency_id: String,
    pub programme_id: String,
    pub period: Period,
    pub staged: usize,
}

/// Stage a filled Excel template in its agency's submission, all or nothing: each row
/// goes through the same checks as one typed on the form ([`stage_all`]). `expected` is
/// the submission the caller is filling (the entry page's agency, programme and period):
/// a template made for another is refused. Without it (the command line), the template
/// says whose it is, and must name its programme. A refusal names the file, and the sheet
/// and row of every refused row.
pub async fn stage_template(
    records: &Records,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
    expected: Option<(&str, &str, Period)>,
) -> Result<StagedTemplate> {
    let refused = |lines: Vec<String>| {
        Error::invalid(
            "file",
            format!(
                "Biểu mẫu chưa được nhập; không dòng nào được ghi. {}",
                lines.join("; ")
            ),
            format!(
                "The template was not taken; nothing was written. {}",
                lines.join("; ")
            ),
        )
    };
    let data = records.data().await?;
    let filled = tiendo_exchange::workbook::read_filled(file_name, bytes, &data)
        .map_err(|errors| refused(errors.iter().map(ToString::to_string).collect()))?;
    let agency_name = |id: &str| data.agency(id).map_or(id.to_string(), |a| a.name.clone());
    let (agency_id, programme_id, period) = match expected {
        Some((agency_id, programme_id, period)) => {
            if filled.agency_id != agency_id {
                return Err(refused(vec![format!(
                    "{file_name}: biểu mẫu của {}, không phải của cơ quan anh/chị",
                    agency_name(&filled.agency_id)
                )]));
            }
            if filled.period != period {
                return Err(refused(vec![format!(
                    "{file_name}: biểu mẫu của {}, không phải {}",
                    filled.period.label_vi(),
                    period.label_vi()
                )]));
            }
            if let Some(other) = filled
                .programme_id
                .as_deref()
                .filter(|p| *p != programme_id)
            {
                let name = data
                    .programme(other)
                    .map_or(other, |p| p.short_name.as_str());
                return Err(refused(vec![format!(
                    "{file_name}: biểu mẫu của chương trình {name}, không phải chương trình đang nhập"
                )]));
            }
            (agency_id.to_string(), programme_id.to_string(), period)
        }
        None => {
            let Some(programme_id) = filled.programme_id.clone() else {
                use tiendo_exchange::workbook::{INSTRUCTIONS, PROGRAMME_CELL, cell_name};
                return Err(refused(vec![format!(
                    "{file_name}: biểu mẫu không ghi chương trình (trang “{INSTRUCTIONS}”, ô {}); hãy dùng biểu mẫu của một chương trình",
                    cell_name(PROGRAMME_CELL.0, PROGRAMME_CELL.1)
                )]));
            };
            (filled.agency_id.clone(), programme_id, filled.period)
        }
    };
    let entries: Vec<Entry> = filled
        .rows
        .iter()
        .map(|(_, _, row)| entry_of(row))
        .collect();
    match stage_all(records, caller, &agency_id, &programme_id, period, &entries).await {
        Ok(staged) => Ok(StagedTemplate {
            agency_id,
            programme_id,
            period,
            staged,
        }),
        Err(FileRefused::Whole(e)) => Err(e),
        Err(FileRefused::Entries(errors)) => Err(refused(
            errors
                .into_iter()
                .map(|(i, e)| {
                    let (sheet, row, _) = &filled.rows[i];
                    format!(
                        "{file_name}, trang “{sheet}”, dòng {row}: {}",
                        e.body.message_vi.trim_end_matches('.')
                    )
                })
                .collect(),
        )),
    }
}

/// A template's row as the entry the form would send.
fn entry_of(row: &tiendo_exchange::workbook::FilledRow) -> Entry {
    use tiendo_exchange::workbook::FilledRow;
    let number = |v: f64| tiendo_core::format::decimal(v, 6);
    match row {
        FilledRow::Task {
            task_id,
            status,
            completed_on,
            result,
        } => Entry::Task {
            task_id: task_id.clone(),
            status: status.code().to_string(),
            completed_on: completed_on.map(|d| d.to_string()),
            result: result.clone(),
        },
        FilledRow::Indicator {
            indicator_id,
            value,
            numerator,
            denominator,
            note,
        } => Entry::Indicator {
            indicator_id: indicator_id.clone(),
            value: Some(number(*value)),
            numerator: numerator.map(number),
            denominator: denominator.map(number),
            note: note.clone(),
        },
        FilledRow::Checklist {
            requirement_id,
            done,
            done_on,
            evidence,
        } => Entry::Checklist {
            requirement_id: requirement_id.clone(),
            done: *done,
            done_on: done_on.map(|d| d.to_string()),
            evidence: evidence.clone(),
        },
    }
}
