//! One log line per request (issue 15): its id, method, route, path, status and latency,
//! through `tracing` (target `tiendo::request`; the binary prints them as text or JSON).
//! The id comes from a well-formed `X-Request-Id` header or is drawn at random, and is sent
//! back in the answer, so a person can quote it. Query strings, headers, bodies and
//! cookies are never logged: no password, token or session id reaches a log.
//!
//! Security events (target `tiendo::security`) are logged where they happen: failed
//! sign-ins and refused tokens in [`crate::auth`], refused actions in
//! [`crate::auth::Auth::may`].

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header that carries a request's id.
pub const REQUEST_ID: &str = "x-request-id";

/// An id given by the caller, if it is short and plain enough to log as it is.
fn given_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    (!text.is_empty()
        && text.len() <= 64
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| text.to_string())
}

/// A new random id: 16 hexadecimal digits.
fn new_id() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the system's random source");
    hex::encode(bytes)
}

/// Log the request once it is answered.
pub async fn log_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(given_id)
        .unwrap_or_else(new_id);
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let span = tracing::info_span!("request", request_id = %id);
    let mut response = next.run(request).instrument(span).await;
    let status = response.status().as_u16();
    tracing::info!(
        target: "tiendo::request",
        request_id = %id,
        method = %method,
        route = route.as_deref().unwrap_or("-"),
        path = %path,
        status,
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        "{method} {path} {status}"
    );
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_are_taken_from_the_caller() {
        assert_eq!(
            given_id(&HeaderValue::from_static("abc-123_X")),
            Some("abc-123_X".to_string())
        );
        assert_eq!(
            given_id(&HeaderValue::from_static("a b")),
            None,
            "no spaces"
        );
        assert_eq!(
            given_id(&HeaderValue::from_static("x\"}")),
            None,
            "nothing that could forge a JSON log line"
        );
        assert_eq!(new_id().len(), 16);
    }
}
