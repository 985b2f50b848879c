//! The error of a use case as the person who asked sees it: what kind of refusal it is, a
//! machine-readable code, a Vietnamese and an English message, the offending field when
//! there is one, and for a stale edit the record as it is now stored. The web answers it
//! with an HTTP status chosen by its kind; the command line prints the message.

use serde::Serialize;
use tiendo_core::access::Denied;
use tiendo_store::StoreError;
use utoipa::ToSchema;

use crate::records::row_object;

/// What kind of refusal an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A value the caller sent is wrong; `field` says which.
    Invalid,
    /// The record the caller named does not exist.
    NotFound,
    /// The caller may not do this.
    Forbidden,
    /// The record changed since the caller read it, or is in a state that forbids this.
    Conflict,
    /// The caller sent more than the use case accepts.
    TooLarge,
    /// A failure of the system itself; the cause is in the log.
    Internal,
}

/// What the caller is told: the body of every error answer of the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Machine-readable code, e.g. `conflict`, `forbidden_other_agency`, `invalid_field`.
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
    /// The field (form or JSON) that is wrong, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a conflict: the record as it is now stored, with its version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
}

impl ErrorBody {
    pub fn new(code: &str, vi: impl Into<String>, en: impl Into<String>) -> ErrorBody {
        ErrorBody {
            code: code.into(),
            message_vi: vi.into(),
            message_en: en.into(),
            field: None,
            current: None,
        }
    }
}

/// The error of a use case.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    /// Boxed: errors travel in every `Result`, which stays small.
    pub body: Box<ErrorBody>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, code: &str, vi: impl Into<String>, en: impl Into<String>) -> Error {
        Error {
            kind,
            body: Box::new(ErrorBody::new(code, vi, en)),
        }
    }

    pub fn field(mut self, field: &str) -> Error {
        self.body.field = Some(field.into());
        self
    }

    pub fn invalid(field: &str, vi: impl Into<String>, en: impl Into<String>) -> Error {
        Error::new(ErrorKind::Invalid, "invalid_field", vi, en).field(field)
    }

    pub fn not_found(what_vi: &str, what_en: &str) -> Error {
        Error::new(
            ErrorKind::NotFound,
            "not_found",
            format!("Không tìm thấy {what_vi}."),
            format!("{what_en} not found."),
        )
    }

    /// A failure of the system itself: the cause goes to the log, never to the caller
    /// (database messages name tables, columns and values). The cause is logged quoted,
    /// its control characters escaped: a value from outside in it cannot forge a line.
    pub fn internal(e: impl std::fmt::Display) -> Error {
        tracing::error!(cause = ?e.to_string(), "lỗi hệ thống");
        Error::new(
            ErrorKind::Internal,
            "internal",
            "Lỗi hệ thống; chi tiết đã được ghi vào nhật ký của máy chủ.",
            "Internal error; the details are in the server's log.",
        )
    }

    /// A stale edit: the record changed since the caller read it.
    pub fn conflict(current: Option<serde_json::Value>) -> Error {
        let mut e = Error::new(
            ErrorKind::Conflict,
            "conflict",
            "Bản ghi đã được người khác thay đổi sau khi anh/chị mở nó; thay đổi của anh/chị chưa được ghi. Hãy xem nội dung hiện tại rồi nhập lại.",
            "Someone else changed this record after you opened it; your change was not saved. Review the current content and enter it again.",
        );
        e.body.current = current;
        e
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.body.message_vi)
    }
}

impl std::error::Error for Error {}

impl From<Denied> for Error {
    fn from(d: Denied) -> Error {
        Error::new(
            ErrorKind::Forbidden,
            d.code(),
            d.message_vi(),
            d.message_en(),
        )
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Conflict {
                entity,
                key,
                current,
            } => Error::conflict(current.map(|c| {
                let table =
                    tiendo_store::workflow::entity(entity).expect("conflicts name stored entities");
                serde_json::json!({"entity": entity, "key": key, "version": c.version, "record": row_object(table, &c.row)})
            })),
            StoreError::Unprintable { column, reason, .. } => Error::invalid(
                &column,
                format!("Trường {column} {reason}."),
                format!(
                    "Field {column} holds a control character that cannot be stored; remove it."
                ),
            ),
            StoreError::Invalid { column, reason, .. } => Error::invalid(
                &column,
                format!("Trường {column}: {reason}."),
                format!("Field {column} holds a value that cannot be stored ({reason})."),
            ),
            StoreError::Immutable { .. } => Error::new(
                ErrorKind::Conflict,
                "immutable",
                e.to_string(),
                "An issued record is never changed; issue a new edition that replaces it.",
            ),
            StoreError::NotFound(what) => Error::not_found(&what, &what),
            other => Error::internal(other),
        }
    }
}

impl From<crate::accounts::AccountError> for Error {
    fn from(e: crate::accounts::AccountError) -> Error {
        match e {
            crate::accounts::AccountError::Store(e) => Error::from(e),
            other => Error::internal(other),
        }
    }
}
