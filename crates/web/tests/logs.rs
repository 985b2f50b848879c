//! The server's log (issue 15), in a test binary of its own: a subscriber set for one
//! thread sees every event only when no other test shares the process.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tiendo_app::accounts::{Account, create_account, create_token};
use tiendo_core::access::Role;
use tiendo_store::Database;
use tiendo_web::{App, Settings, router};
use tower::ServiceExt;

/// A log sink for one test: every line the subscriber writes.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Issue 15: one log line per request, with the id sent back to the caller; failed
/// sign-ins, refused tokens and refused actions as security events; no password, token or
/// session id in any line.
#[tokio::test]
async fn every_request_is_logged_once_and_no_secret_is() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let dir = tempfile::tempdir().unwrap();
    let database = Database::open(dir.path().join("t.db").to_str().unwrap())
        .await
        .unwrap();
    let password = "mật khẩu thử nghiệm";
    let account = Account {
        id: "lanhdao".into(),
        display_name: "lanhdao".into(),
        role: Role::Viewer,
        agency_id: None,
        programme_id: None,
        password_hash: String::new(),
        active: true,
    };
    create_account(&database, &account, password, "test")
        .await
        .unwrap();
    let token = create_token(&database, "lanhdao", "test", "read write", "test")
        .await
        .unwrap();
    let app = router(App::new(database, Settings::default(), None));
    let login = |password: &str| {
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "username=lanhdao&password={}",
                password.replace(' ', "+")
            )))
            .unwrap()
    };
    let mut ids = Vec::new();
    let mut send = async |request: Request<Body>| {
        let response = app.clone().oneshot(request).await.unwrap();
        ids.push(
            response.headers()["x-request-id"]
                .to_str()
                .unwrap()
                .to_string(),
        );
        response
    };
    assert_eq!(
        send(login("sai mật khẩu")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let signed_in = send(login(password)).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let cookie = signed_in.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let session_id = cookie.split_once('=').unwrap().1.to_string();
    assert_eq!(
        send(
            Request::get("/tasks")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap()
        )
        .await
        .status(),
        StatusCode::OK
    );
    let bearer = |token: &str| format!("Bearer {token}");
    assert_eq!(
        send(
            Request::get("/api/v1/overview")
                .header(header::AUTHORIZATION, bearer(&token))
                .body(Body::empty())
                .unwrap()
        )
        .await
        .status(),
        StatusCode::OK
    );
    let refused = Request::post("/api/v1/editions")
        .header(header::AUTHORIZATION, bearer(&token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"programme":"kh2024"}"#))
        .unwrap();
    assert_eq!(send(refused).await.status(), StatusCode::FORBIDDEN);
    let forged = "tdo_khong-co_bi-mat-gia-mao";
    assert_eq!(
        send(
            Request::get("/api/v1/overview")
                .header(header::AUTHORIZATION, bearer(forged))
                .body(Body::empty())
                .unwrap()
        )
        .await
        .status(),
        StatusCode::UNAUTHORIZED
    );

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let requests: Vec<&Value> = lines
        .iter()
        .filter(|l| l["target"] == "tiendo::request")
        .collect();
    assert_eq!(requests.len(), ids.len(), "one line per request:\n{text}");
    for id in &ids {
        assert_eq!(
            requests
                .iter()
                .filter(|l| l["fields"]["request_id"] == id.as_str())
                .count(),
            1,
            "request {id} logged once:\n{text}"
        );
    }
    assert!(
        requests.iter().all(|l| l["fields"]["status"].is_u64()
            && l["fields"]["latency_ms"].is_f64()
            && l["fields"]["method"].is_string()),
        "{text}"
    );
    let events: Vec<&str> = lines
        .iter()
        .filter(|l| l["target"] == "tiendo::security")
        .filter_map(|l| l["fields"]["event"].as_str())
        .collect();
    for event in ["sign_in_failed", "denied", "token_refused"] {
        assert!(
            events.contains(&event),
            "security event {event}: {events:?}"
        );
    }
    for secret in [
        password,
        "sai mật khẩu",
        "sai+m",
        token.as_str(),
        session_id.as_str(),
        "bi-mat-gia-mao",
    ] {
        assert!(!text.contains(secret), "{secret} in the logs:\n{text}");
    }
}
