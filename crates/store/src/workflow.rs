//! The records of the application's own workflow, stored beside the programme data and
//! written through the same journaled, versioned [`Store::apply`](crate::Store::apply):
//! accounts, API tokens, agency submissions and the values staged in them, period locks
//! uploaded evidence, issued report editions and their publication, the settings of a programme's documents, the
//! narratives of reports, agencies' e-mail addresses and the reminders journal. They are not
//! part of the exchange format.

use tiendo_exchange::records::{Column, ColumnType, Entity, Row};

const fn key(name: &'static str) -> Column {
    Column {
        name,
        ty: ColumnType::Text,
        key: true,
        optional: false,
    }
}
const fn text(name: &'static str) -> Column {
    Column {
        name,
        ty: ColumnType::Text,
        key: false,
        optional: false,
    }
}
const fn flag(name: &'static str) -> Column {
    Column {
        name,
        ty: ColumnType::Bool,
        key: false,
        optional: false,
    }
}
const fn integer(name: &'static str) -> Column {
    Column {
        name,
        ty: ColumnType::Integer,
        key: false,
        optional: false,
    }
}

/// A person or machine that signs in. `role` is administrator, secretariat, reporter or
/// viewer; `agency_id` binds a reporter to one agency, `programme_id` a secretariat to one
/// programme (empty: all).
pub static ACCOUNTS: Entity = Entity {
    name: "accounts",
    columns: &[
        key("id"),
        text("display_name"),
        text("role"),
        text("agency_id"),
        text("programme_id"),
        text("password_hash"),
        flag("active"),
        text("created_at"),
    ],
};

/// A bearer token for machines: only its SHA-256 is stored. `scopes` is a space-separated
/// list (`read`, `write`, `events:<source>`).
pub static API_TOKENS: Entity = Entity {
    name: "api_tokens",
    columns: &[
        key("id"),
        text("account_id"),
        text("name"),
        text("token_hash"),
        text("scopes"),
        text("created_at"),
        text("revoked_at"),
    ],
};

/// What one agency reports for one programme and period, and where its review stands.
pub static SUBMISSIONS: Entity = Entity {
    name: "submissions",
    columns: &[
        key("agency_id"),
        key("programme_id"),
        key("period"),
        text("status"),
        text("submitted_at"),
        text("submitted_by"),
        text("reviewed_at"),
        text("reviewed_by"),
        text("review_comment"),
    ],
};

/// One record a reporter has entered in a submission, not yet accepted: the row it will
/// write (`after`, JSON of column → value) and the version of the stored record it was
/// based on (`base_version`, 0 for a new record), which acceptance checks.
pub static SUBMISSION_ITEMS: Entity = Entity {
    name: "submission_items",
    columns: &[
        key("agency_id"),
        key("programme_id"),
        key("period"),
        key("entity"),
        key("record_key"),
        text("after"),
        integer("base_version"),
        text("edited_by"),
        text("edited_at"),
    ],
};

/// Whether a programme's period is locked against further edits.
pub static PERIOD_LOCKS: Entity = Entity {
    name: "period_locks",
    columns: &[
        key("programme_id"),
        key("period"),
        flag("locked"),
        text("changed_at"),
        text("changed_by"),
    ],
};

/// An uploaded evidence file; its bytes are kept under the same SHA-256 by
/// [`Store::put_blob`](crate::Store::put_blob).
pub static EVIDENCE: Entity = Entity {
    name: "evidence",
    columns: &[
        key("sha256"),
        text("file_name"),
        text("content_type"),
        integer("size"),
        text("uploaded_by"),
        text("uploaded_at"),
    ],
};

/// An agency that uploaded an evidence file: the file is that agency's (the same bytes
/// may be uploaded by several agencies, each then owns it).
pub static EVIDENCE_UPLOADS: Entity = Entity {
    name: "evidence_uploads",
    columns: &[
        key("sha256"),
        key("agency_id"),
        text("uploaded_by"),
        text("uploaded_at"),
    ],
};

/// An issued edition of a report (see [`crate::edition`]): written once, never updated.
pub static EDITIONS: Entity = Entity {
    name: "editions",
    columns: &[
        key("id"),
        text("programme_id"),
        text("period"),
        text("number"),
        text("issued_on"),
        text("as_of"),
        integer("known_seq"),
        text("known_at"),
        text("signer"),
        text("recipients"),
        text("replaces"),
        text("files"),
        text("issued_by"),
        text("issued_at"),
    ],
};

/// What a programme's official documents say beyond its data (see
/// [`crate::report_settings`]): issuing body, signer, recipients, "Kính gửi".
pub static REPORT_SETTINGS: Entity = Entity {
    name: "report_settings",
    columns: &[
        key("programme_id"),
        text("parent_body"),
        text("issuing_body"),
        text("symbol"),
        text("place"),
        text("addressees"),
        text("signer_authority"),
        text("signer_title"),
        text("signer_name"),
        text("recipients"),
        text("archive_unit"),
        text("updated_by"),
        text("updated_at"),
    ],
};

/// The e-mail addresses reminders to an agency go to (see [`crate::reminder`]):
/// `emails` one per line.
pub static AGENCY_CONTACTS: Entity = Entity {
    name: "agency_contacts",
    columns: &[
        key("agency_id"),
        text("emails"),
        text("name"),
        text("updated_at"),
    ],
};

/// One item of an e-mail reminder sent or tried (see [`crate::reminder`]): which agency,
/// item, kind and day it is about (never sent twice), the message (`message_id` groups
/// the items sent together), whether it went out (`sent` or `failed`), how many attempts
/// were made and the last error.
pub static REMINDERS: Entity = Entity {
    name: "reminders",
    columns: &[
        key("agency_id"),
        key("item"),
        key("kind"),
        key("day"),
        text("message_id"),
        text("recipients"),
        text("subject"),
        text("body"),
        text("status"),
        integer("attempts"),
        text("last_error"),
        text("sent_at"),
        text("updated_at"),
    ],
};

/// The narrative of a programme's report for a period (see [`crate::narrative`]): the
/// secretariat's Markdown, one column per section, and who last wrote it.
pub static NARRATIVES: Entity = Entity {
    name: "narratives",
    columns: &[
        key("programme_id"),
        key("period"),
        text("highlights"),
        text("results"),
        text("shortcomings"),
        text("next_tasks"),
        text("recommendations"),
        text("updated_by"),
        text("updated_at"),
    ],
};

/// Whether an issued edition is on the public site (see [`crate::publication`]): from
/// `public_from` (an ISO date: the embargo ends that day) until withdrawn.
pub static PUBLICATIONS: Entity = Entity {
    name: "publications",
    columns: &[
        key("edition_id"),
        text("public_from"),
        text("published_by"),
        text("published_at"),
        text("withdrawn_at"),
        text("withdrawn_by"),
        text("reason"),
    ],
};

pub static WORKFLOW_ENTITIES: [&Entity; 13] = [
    &ACCOUNTS,
    &API_TOKENS,
    &SUBMISSIONS,
    &SUBMISSION_ITEMS,
    &PERIOD_LOCKS,
    &EVIDENCE,
    &EVIDENCE_UPLOADS,
    &EDITIONS,
    &PUBLICATIONS,
    &REPORT_SETTINGS,
    &NARRATIVES,
    &AGENCY_CONTACTS,
    &REMINDERS,
];

/// Entities whose records are written once and never changed.
pub const IMMUTABLE: [&str; 1] = ["editions"];

/// Columns whose values never appear in the journal.
pub const SECRET_COLUMNS: [&str; 2] = ["password_hash", "token_hash"];

/// Any entity the store keeps, programme data or workflow, by table name.
pub fn entity(name: &str) -> Option<&'static Entity> {
    Entity::by_name(name).or_else(|| WORKFLOW_ENTITIES.iter().copied().find(|e| e.name == name))
}

/// A cell of a workflow row, by column name (never by position).
fn cell(entity: &Entity, row: &Row, column: &str) -> Option<String> {
    entity
        .index(column)
        .and_then(|i| row.get(i).cloned().flatten())
}

/// Whether a programme's period is open for entry or locked ([`PERIOD_LOCKS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodLock {
    pub programme_id: String,
    /// The period's code ("2024-06").
    pub period: String,
    pub locked: bool,
    pub changed_at: Option<String>,
    pub changed_by: Option<String>,
}

impl PeriodLock {
    /// The record's key: "<programme>|<period>".
    pub fn key(programme_id: &str, period: &str) -> String {
        format!("{programme_id}|{period}")
    }

    pub fn from_row(row: &Row) -> PeriodLock {
        let c = |name| cell(&PERIOD_LOCKS, row, name);
        PeriodLock {
            programme_id: c("programme_id").unwrap_or_default(),
            period: c("period").unwrap_or_default(),
            locked: c("locked").as_deref() == Some("true"),
            changed_at: c("changed_at"),
            changed_by: c("changed_by"),
        }
    }

    pub fn row(&self) -> Row {
        vec![
            Some(self.programme_id.clone()),
            Some(self.period.clone()),
            Some(self.locked.to_string()),
            self.changed_at.clone(),
            self.changed_by.clone(),
        ]
    }
}

/// What one agency reports for one programme and period, and where its review stands
/// ([`SUBMISSIONS`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionRecord {
    pub agency_id: String,
    pub programme_id: String,
    pub period: String,
    /// `draft`, `submitted`, `accepted` or `returned`.
    pub status: Option<String>,
    pub submitted_at: Option<String>,
    pub submitted_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub reviewed_by: Option<String>,
    pub review_comment: Option<String>,
}

impl SubmissionRecord {
    /// The record's key: "<agency>|<programme>|<period>".
    pub fn key(agency_id: &str, programme_id: &str, period: &str) -> String {
        format!("{agency_id}|{programme_id}|{period}")
    }

    pub fn from_row(row: &Row) -> SubmissionRecord {
        let c = |name| cell(&SUBMISSIONS, row, name);
        SubmissionRecord {
            agency_id: c("agency_id").unwrap_or_default(),
            programme_id: c("programme_id").unwrap_or_default(),
            period: c("period").unwrap_or_default(),
            status: c("status"),
            submitted_at: c("submitted_at"),
            submitted_by: c("submitted_by"),
            reviewed_at: c("reviewed_at"),
            reviewed_by: c("reviewed_by"),
            review_comment: c("review_comment"),
        }
    }

    pub fn row(&self) -> Row {
        vec![
            Some(self.agency_id.clone()),
            Some(self.programme_id.clone()),
            Some(self.period.clone()),
            self.status.clone(),
            self.submitted_at.clone(),
            self.submitted_by.clone(),
            self.reviewed_at.clone(),
            self.reviewed_by.clone(),
            self.review_comment.clone(),
        ]
    }
}

/// One record a reporter has entered in a submission, not yet accepted
/// ([`SUBMISSION_ITEMS`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StagedRecord {
    pub agency_id: String,
    pub programme_id: String,
    pub period: String,
    /// The table of the record it will write.
    pub entity: String,
    pub record_key: String,
    /// The row it will write, JSON of column → value.
    pub after: Option<String>,
    /// The version of the stored record it was based on (0 for a new record).
    pub base_version: i64,
    pub edited_by: Option<String>,
    pub edited_at: Option<String>,
}

impl StagedRecord {
    pub fn from_row(row: &Row) -> StagedRecord {
        let c = |name| cell(&SUBMISSION_ITEMS, row, name);
        StagedRecord {
            agency_id: c("agency_id").unwrap_or_default(),
            programme_id: c("programme_id").unwrap_or_default(),
            period: c("period").unwrap_or_default(),
            entity: c("entity").unwrap_or_default(),
            record_key: c("record_key").unwrap_or_default(),
            after: c("after"),
            base_version: c("base_version").and_then(|v| v.parse().ok()).unwrap_or(0),
            edited_by: c("edited_by"),
            edited_at: c("edited_at"),
        }
    }

    /// The record's key: its submission's key, the table and the record's key.
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}",
            SubmissionRecord::key(&self.agency_id, &self.programme_id, &self.period),
            self.entity,
            self.record_key
        )
    }

    pub fn row(&self) -> Row {
        vec![
            Some(self.agency_id.clone()),
            Some(self.programme_id.clone()),
            Some(self.period.clone()),
            Some(self.entity.clone()),
            Some(self.record_key.clone()),
            self.after.clone(),
            Some(self.base_version.to_string()),
            self.edited_by.clone(),
            self.edited_at.clone(),
        ]
    }

    /// Whether it belongs to the submission of `agency_id` for `programme_id` and `period`.
    pub fn is_in(&self, agency_id: &str, programme_id: &str, period: &str) -> bool {
        self.agency_id == agency_id && self.programme_id == programme_id && self.period == period
    }
}

/// An uploaded evidence file's record ([`EVIDENCE`]); its bytes are a blob under the same
/// SHA-256.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceRecord {
    pub sha256: String,
    pub file_name: String,
    pub content_type: Option<String>,
    pub size: Option<String>,
    pub uploaded_by: Option<String>,
    pub uploaded_at: Option<String>,
}

/// An agency's ownership of an uploaded evidence file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceUpload {
    pub sha256: String,
    pub agency_id: String,
    pub uploaded_by: Option<String>,
    pub uploaded_at: Option<String>,
}

impl EvidenceUpload {
    pub fn from_row(row: &Row) -> EvidenceUpload {
        let c = |name| cell(&EVIDENCE_UPLOADS, row, name);
        EvidenceUpload {
            sha256: c("sha256").unwrap_or_default(),
            agency_id: c("agency_id").unwrap_or_default(),
            uploaded_by: c("uploaded_by"),
            uploaded_at: c("uploaded_at"),
        }
    }
}

impl EvidenceRecord {
    pub fn from_row(row: &Row) -> EvidenceRecord {
        let c = |name| cell(&EVIDENCE, row, name);
        EvidenceRecord {
            sha256: c("sha256").unwrap_or_default(),
            file_name: c("file_name").unwrap_or_default(),
            content_type: c("content_type"),
            size: c("size"),
            uploaded_by: c("uploaded_by"),
            uploaded_at: c("uploaded_at"),
        }
    }
}
