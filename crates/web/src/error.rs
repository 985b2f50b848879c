//! Errors as the user and the machine see them: an HTTP status, a machine-readable code,
//! a Vietnamese and an English message, and the offending field when there is one.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tiendo_app::error::ErrorKind;
use tiendo_core::access::Denied;
use tiendo_store::StoreError;

pub use tiendo_app::error::ErrorBody;

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
            body: Box::new(ErrorBody::new(code, vi, en)),
        }
    }

    pub fn field(mut self, field: &str) -> AppError {
        self.body.field = Some(field.into());
        self
    }

    pub fn invalid(field: &str, vi: impl Into<String>, en: impl Into<String>) -> AppError {
        tiendo_app::error::Error::invalid(field, vi, en).into()
    }

    pub fn not_found(what_vi: &str, what_en: &str) -> AppError {
        tiendo_app::error::Error::not_found(what_vi, what_en).into()
    }

    pub fn unauthenticated() -> AppError {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Cần đăng nhập.",
            "Sign-in required.",
        )
    }

    /// A failure of the server itself: the cause goes to the log, never to the client.
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        tiendo_app::error::Error::internal(e).into()
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
        tiendo_app::error::Error::conflict(current).into()
    }
}

impl From<tiendo_app::error::Error> for AppError {
    fn from(e: tiendo_app::error::Error) -> AppError {
        let status = match e.kind {
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        AppError {
            status,
            body: e.body,
        }
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> AppError {
        tiendo_app::error::Error::from(d).into()
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        tiendo_app::error::Error::from(e).into()
    }
}

impl From<tiendo_app::accounts::AccountError> for AppError {
    fn from(e: tiendo_app::accounts::AccountError) -> AppError {
        tiendo_app::error::Error::from(e).into()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

pub type AppResult<T> = Result<T, AppError>;
