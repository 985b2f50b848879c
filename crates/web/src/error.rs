//! Errors as the user and the machine see them: an HTTP status, a machine-readable code,
//! a Vietnamese and an English message, and the offending field when there is one.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tiendo_core::access::Denied;
use tiendo_store::StoreError;
use utoipa::ToSchema;

/// The body of every error answer of the API.
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

/// An error of a request.
#[derive(Debug, Clone)]
pub struct AppError {
    pub status: StatusCode,
    /// Boxed: errors travel in every `Result` of the web layer, which stays small.
    pub body: Box<ErrorBody>,
}

impl AppError {
    pub fn new(
        status: StatusCode,
        code: &str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> AppError {
        AppError {
            status,
            body: Box::new(ErrorBody {
                code: code.into(),
                message_vi: vi.into(),
                message_en: en.into(),
                field: None,
                current: None,
            }),
        }
    }

    pub fn field(mut self, field: &str) -> AppError {
        self.body.field = Some(field.into());
        self
    }

    pub fn invalid(field: &str, vi: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", vi, en).field(field)
    }

    pub fn not_found(what_vi: &str, what_en: &str) -> AppError {
        AppError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Không tìm thấy {what_vi}."),
            format!("{what_en} not found."),
        )
    }

    pub fn unauthenticated() -> AppError {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Cần đăng nhập.",
            "Sign-in required.",
        )
    }

    /// A failure of the server itself: the cause goes to the log, never to the client
    /// (database messages name tables, columns and values). The cause is logged quoted,
    /// its control characters escaped: a value from outside in it cannot forge a line.
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        tracing::error!(cause = ?e.to_string(), "lỗi hệ thống");
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Lỗi hệ thống; chi tiết đã được ghi vào nhật ký của máy chủ.",
            "Internal error; the details are in the server's log.",
        )
    }

    /// A request body larger than the route accepts.
    pub fn too_large(limit: usize) -> AppError {
        let mb = limit >> 20;
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("Nội dung gửi lên quá lớn (tối đa {mb} MB)."),
            format!("The request body is too large (at most {mb} MB)."),
        )
    }

    /// A stale edit: the record changed since the caller read it.
    pub fn conflict(current: Option<serde_json::Value>) -> AppError {
        let mut e = AppError::new(
            StatusCode::CONFLICT,
            "conflict",
            "Bản ghi đã được người khác thay đổi sau khi anh/chị mở nó; thay đổi của anh/chị chưa được ghi. Hãy xem nội dung hiện tại rồi nhập lại.",
            "Someone else changed this record after you opened it; your change was not saved. Review the current content and enter it again.",
        );
        e.body.current = current;
        e
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> AppError {
        AppError::new(
            StatusCode::FORBIDDEN,
            d.code(),
            d.message_vi(),
            d.message_en(),
        )
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::Conflict { entity, key, current } => AppError::conflict(current.map(|c| {
                let table = tiendo_store::workflow::entity(entity).expect("conflicts name stored entities");
                serde_json::json!({"entity": entity, "key": key, "version": c.version, "record": crate::record::row_object(table, &c.row)})
            })),
            StoreError::Unprintable { column, reason, .. } => {
                AppError::invalid(&column, format!("Trường {column} {reason}."), format!("Field {column} holds a control character that cannot be stored; remove it."))
            }
            StoreError::Invalid { column, reason, .. } => AppError::invalid(
                &column,
                format!("Trường {column}: {reason}."),
                format!("Field {column} holds a value that cannot be stored ({reason})."),
            ),
            StoreError::Immutable { .. } => AppError::new(StatusCode::CONFLICT, "immutable", e.to_string(), "An issued record is never changed; issue a new edition that replaces it."),
            other => AppError::internal(other),
        }
    }
}

impl From<tiendo_app::accounts::AccountError> for AppError {
    fn from(e: tiendo_app::accounts::AccountError) -> AppError {
        match e {
            tiendo_app::accounts::AccountError::Store(e) => AppError::from(e),
            other => AppError::internal(other),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

pub type AppResult<T> = Result<T, AppError>;
