//! The authorisation matrix over every route of the web application, on SQLite and on
//! PostgreSQL: each route of the API and of the pages, read or write, is called by every
//! kind of caller — nobody, the administrator, the programme's secretariat, a secretariat
//! limited to another programme, the agency's reporter, another agency's reporter, a
//! viewer, a read-only token and an events-only token — with the period open and locked.
//! Each call must be allowed or refused exactly as the table says; a refused write must
//! leave no trace in the journal; no call may answer a server error. A route added to the
//! router without a line in the table fails the test.

#[path = "../../store/tests/support/postgres.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tiendo_app::accounts::{Account, create_account, create_token};
use tiendo_core::access::Role;
use tiendo_exchange::import::{plan, read_sources};
use tiendo_store::{Database, Store};
use tiendo_web::{App, Settings, router};
use tower::ServiceExt;

/// The callers: a name in the table, the account and the scopes of its token (none: no
/// credential at all).
/// An account (id, role, agency, the one programme of a secretariat) and its token's scopes.
type Credentials = (
    &'static str,
    Role,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

const CALLERS: [(&str, Option<Credentials>); 9] = [
    ("nobody", None),
    (
        "quantri",
        Some(("quantri", Role::Administrator, None, None, "read write")),
    ),
    (
        "thuky",
        Some(("thuky", Role::Secretariat, None, None, "read write")),
    ),
    (
        "thuky-942",
        Some((
            "thuky-942",
            Role::Secretariat,
            None,
            Some("cl942"),
            "read write",
        )),
    ),
    (
        "bo-tttt",
        Some(("bo-tttt", Role::Reporter, Some("BTTTT"), None, "read write")),
    ),
    (
        "yen-bai",
        Some((
            "yen-bai",
            Role::Reporter,
            Some("yen-bai"),
            None,
            "read write",
        )),
    ),
    (
        "lanhdao",
        Some(("lanhdao", Role::Viewer, None, None, "read write")),
    ),
    (
        "bo-tttt:read",
        Some(("bo-tttt", Role::Reporter, Some("BTTTT"), None, "read")),
    ),
    (
        "quantri:events",
        Some((
            "quantri",
            Role::Administrator,
            None,
            None,
            "events:cong-dvc",
        )),
    ),
];

/// Everyone who may read: every account, whatever its role, with a token that reads.
const READERS: &[&str] = &[
    "quantri",
    "thuky",
    "thuky-942",
    "bo-tttt",
    "yen-bai",
    "lanhdao",
    "bo-tttt:read",
];
/// Everyone who may read the staged entries of BTTTT in the programme cdsqg.
const BTTTT_DRAFT_READERS: &[&str] = &["quantri", "thuky", "bo-tttt", "bo-tttt:read"];
/// The secretariat of the programmes kh2024 and cdsqg, and the administrator.
const SECRETARIAT: &[&str] = &["quantri", "thuky"];
const NOBODY: &[&str] = &[];
const PUBLIC: &[&str] = &[
    "nobody",
    "quantri",
    "thuky",
    "thuky-942",
    "bo-tttt",
    "yen-bai",
    "lanhdao",
    "bo-tttt:read",
    "quantri:events",
];

#[derive(Clone)]
enum Payload {
    None,
    Json(Value),
    Form(&'static str),
    Multipart,
    Ndjson,
}

/// One line of the table.
struct Case {
    method: Method,
    /// As the router spells it, to check that every route has a line.
    route: &'static str,
    uri: String,
    payload: Payload,
    /// Who may; everyone else is refused (`nobody`: asked to sign in).
    allowed: &'static [&'static str],
    /// Writes that need the period cdsqg 2024-06 open: refused to everyone once locked.
    needs_open_period: bool,
}

fn case(
    method: Method,
    route: &'static str,
    uri: impl Into<String>,
    payload: Payload,
    allowed: &'static [&'static str],
) -> Case {
    Case {
        method,
        route,
        uri: uri.into(),
        payload,
        allowed,
        needs_open_period: false,
    }
}

fn entry_case(
    method: Method,
    route: &'static str,
    uri: &str,
    payload: Payload,
    allowed: &'static [&'static str],
) -> Case {
    Case {
        needs_open_period: true,
        ..case(method, route, uri, payload, allowed)
    }
}

struct Site {
    app: axum::Router,
    database: Database,
    tokens: Vec<(&'static str, String)>,
    _keep: Option<tempfile::TempDir>,
    _schema: Option<support::TestSchema>,
    _events: tempfile::TempDir,
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Allowed,
    Refused,
    SignInFirst,
}

impl Site {
    async fn send(
        &self,
        who: &str,
        method: Method,
        uri: &str,
        payload: &Payload,
    ) -> (StatusCode, Outcome, String) {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some((_, token)) = self.tokens.iter().find(|(name, _)| *name == who) {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match payload {
            Payload::None => request.body(Body::empty()),
            Payload::Json(value) => request
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::IF_MATCH, "0")
                .body(Body::from(value.to_string())),
            Payload::Form(form) => request
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(*form)),
            Payload::Ndjson => request
                .header(header::CONTENT_TYPE, "application/x-ndjson")
                .body(Body::from(EVENT)),
            Payload::Multipart => {
                let (kind, body) = evidence_upload();
                request
                    .header(header::CONTENT_TYPE, kind)
                    .body(Body::from(body))
            }
        }
        .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let to_login = status == StatusCode::SEE_OTHER
            && response
                .headers()
                .get(header::LOCATION)
                .is_some_and(|l| l == "/login");
        let body =
            String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes())
                .into_owned();
        let public = PUBLIC.contains(&who) && uri.starts_with("/log");
        let outcome = match status {
            StatusCode::FORBIDDEN => Outcome::Refused,
            // Signing in with a wrong password (401) and signing out (back to the sign-in
            // page) are answers of public routes, not refusals.
            _ if public => Outcome::Allowed,
            StatusCode::UNAUTHORIZED => Outcome::SignInFirst,
            _ if to_login => Outcome::SignInFirst,
            _ => Outcome::Allowed,
        };
        (status, outcome, body)
    }

    async fn journal_length(&self) -> usize {
        self.database.journal(None, None).await.unwrap().len()
    }

    /// Call `case` as every caller, the refused ones first (so that an allowed write
    /// cannot hide a refusal), and check each outcome.
    async fn check(&self, case: &Case, period_locked: bool) -> Vec<String> {
        let allowed = if period_locked && case.needs_open_period {
            NOBODY
        } else {
            case.allowed
        };
        let mut callers: Vec<&str> = CALLERS.iter().map(|(name, _)| *name).collect();
        callers.sort_by_key(|who| allowed.contains(who));
        let mut wrong = Vec::new();
        for who in callers {
            let expected = if allowed.contains(&who) {
                Outcome::Allowed
            } else if who == "nobody" {
                Outcome::SignInFirst
            } else {
                Outcome::Refused
            };
            let before = self.journal_length().await;
            let (status, outcome, body) = self
                .send(who, case.method.clone(), &case.uri, &case.payload)
                .await;
            let body: String = body
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(160)
                .collect();
            let state = if period_locked {
                "kỳ đã khóa"
            } else {
                "kỳ đang mở"
            };
            if status.is_server_error() {
                wrong.push(format!(
                    "{} {} ({state}) as {who}: server error {status}: {body}",
                    case.method, case.uri
                ));
            } else if outcome != expected {
                wrong.push(format!("{} {} ({state}) as {who}: {outcome:?} ({status}), expected {expected:?}: {body}", case.method, case.uri));
            } else if expected != Outcome::Allowed
                && case.method != Method::GET
                && self.journal_length().await != before
            {
                wrong.push(format!(
                    "{} {} ({state}) as {who}: refused, but the journal changed",
                    case.method, case.uri
                ));
            }
        }
        wrong
    }
}

const EVENT: &str = r#"{"event_id":"m1","source":"cong-dvc","agency_id":"yen-bai","dossier_id":"H1","procedure_code":"P1","service_level":"full_online","fee":true,"channel":2,"type":"received","time":"2024-05-06T08:00:00+07:00","received_at":"2024-05-06T08:00:00+07:00","due_date":"2024-05-07","paid_online":true}"#;

/// A checklist entry of BTTTT in cdsqg 2024-06 with one evidence file.
fn evidence_upload() -> (String, Vec<u8>) {
    let boundary = "tiendo-matrix";
    let mut body = Vec::new();
    for (name, value) in [
        ("programme", "cdsqg"),
        ("period", "2024-06"),
        ("requirement_id", "cdsqg-yc-kh-cds-2024"),
        ("done", "true"),
        ("done_on", "2024-06-05"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ke-hoach.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 kế hoạch\r\n--{boundary}--\r\n").as_bytes(),
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn task_entry() -> Value {
    json!({"entry": {"kind": "task", "task_id": "kh2024-t13", "status": "done", "completed_on": "2024-06-10", "result": "Đã hoàn thành."}, "base_version": 0, "item_version": 0})
}

/// Every route of the application with who may call it. `edition` is an issued edition,
/// `evidence` the hash of a file BTTTT attached in cdsqg, `victim` a token to revoke.
fn table(edition: &str, evidence: &str, victim: &str) -> Vec<Case> {
    use Method as M;
    use Payload as P;
    vec![
        // The API: reads.
        case(
            M::GET,
            "/openapi.json",
            "/api/v1/openapi.json",
            P::None,
            PUBLIC,
        ),
        case(M::GET, "/overview", "/api/v1/overview", P::None, READERS),
        case(
            M::GET,
            "/programmes/{id}",
            "/api/v1/programmes/cdsqg",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/tasks",
            "/api/v1/tasks?programme=kh2024",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/tasks/{id}",
            "/api/v1/tasks/kh2024-t13",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/indicators/{id}",
            "/api/v1/indicators/cdsqg-attt-tan-cong",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/agencies/{id}",
            "/api/v1/agencies/BTTTT",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/groups/{id}",
            "/api/v1/groups/bo-nganh-dia-phuong",
            P::None,
            READERS,
        ),
        case(M::GET, "/measured", "/api/v1/measured", P::None, READERS),
        case(
            M::GET,
            "/journal",
            "/api/v1/journal?entity=submission_items",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/reports/{programme}/{period}",
            "/api/v1/reports/cdsqg/2024-06",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/task-updates/{task}/{period}",
            "/api/v1/task-updates/kh2024-t01/2024-06",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/submissions/{programme}/{period}/{agency}",
            "/api/v1/submissions/cdsqg/2024-06/BTTTT",
            P::None,
            BTTTT_DRAFT_READERS,
        ),
        case(
            M::GET,
            "/submissions/{programme}/{period}/{agency}",
            "/api/v1/submissions/cl942/2024/BTTTT",
            P::None,
            &["quantri", "thuky", "thuky-942", "bo-tttt", "bo-tttt:read"],
        ),
        case(
            M::GET,
            "/events/status",
            "/api/v1/events/status",
            P::None,
            &["quantri"],
        ),
        case(M::GET, "/editions", "/api/v1/editions", P::None, READERS),
        case(
            M::GET,
            "/editions/{id}",
            format!("/api/v1/editions/{edition}"),
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/editions/{id}/files/{format}",
            format!("/api/v1/editions/{edition}/files/md"),
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/narratives/{programme}/{period}",
            "/api/v1/narratives/cdsqg/2024-06",
            P::None,
            READERS,
        ),
        // The API: writes.
        entry_case(
            M::POST,
            "/submissions/{programme}/{period}/{agency}/entries",
            "/api/v1/submissions/cdsqg/2024-06/BTTTT/entries",
            P::Json(task_entry()),
            &["bo-tttt"],
        ),
        entry_case(
            M::POST,
            "/submissions/{programme}/{period}/{agency}/submit",
            "/api/v1/submissions/cdsqg/2024-06/BTTTT/submit",
            P::None,
            &["bo-tttt"],
        ),
        entry_case(
            M::POST,
            "/submissions/{programme}/{period}/{agency}/withdraw",
            "/api/v1/submissions/cdsqg/2024-06/BTTTT/withdraw",
            P::None,
            &["bo-tttt"],
        ),
        case(
            M::POST,
            "/submissions/{programme}/{period}/{agency}/review",
            "/api/v1/submissions/cdsqg/2024-06/BTTTT/review",
            P::Json(json!({"accept": false, "comment": "Bổ sung minh chứng."})),
            SECRETARIAT,
        ),
        case(
            M::PUT,
            "/periods/{programme}/{period}",
            "/api/v1/periods/cdsqg/2024-05",
            P::Json(json!({"locked": true})),
            SECRETARIAT,
        ),
        case(
            M::PUT,
            "/periods/{programme}/{period}",
            "/api/v1/periods/cl942/2024",
            P::Json(json!({"locked": true})),
            &["quantri", "thuky", "thuky-942"],
        ),
        case(
            M::PUT,
            "/task-updates/{task}/{period}",
            "/api/v1/task-updates/kh2024-t01/2024-06",
            P::Json(json!({"status": "done", "completed_on": "2024-06-11", "result": "Sửa."})),
            SECRETARIAT,
        ),
        case(
            M::PUT,
            "/narratives/{programme}/{period}",
            "/api/v1/narratives/cdsqg/2024-06",
            P::Json(json!({"highlights": "Kết quả nổi bật."})),
            SECRETARIAT,
        ),
        case(
            M::POST,
            "/editions",
            "/api/v1/editions",
            P::Json(json!({"programme": "cdsqg", "period": "2024-05"})),
            SECRETARIAT,
        ),
        case(
            M::POST,
            "/tokens",
            "/api/v1/tokens",
            P::Json(json!({"account_id": "lanhdao", "name": "bảng tin", "scopes": "read"})),
            &["quantri"],
        ),
        case(
            M::DELETE,
            "/tokens/{id}",
            format!("/api/v1/tokens/{victim}"),
            P::None,
            &["quantri"],
        ),
        case(
            M::POST,
            "/events",
            "/api/v1/events",
            P::Ndjson,
            &["quantri:events"],
        ),
        // The pages: reads.
        case(M::GET, "/login", "/login", P::None, PUBLIC),
        // The public site (issue 29): anyone, signed in or not.
        case(M::GET, "/cong-khai", "/cong-khai", P::None, PUBLIC),
        case(
            M::GET,
            "/cong-khai/chuong-trinh/{id}",
            "/cong-khai/chuong-trinh/cdsqg",
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/cong-khai/ban/{id}",
            format!("/cong-khai/ban/{edition}"),
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/cong-khai/ban/{id}/tep/{format}",
            format!("/cong-khai/ban/{edition}/tep/pdf"),
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/cong-khai/ban/{id}/so-lieu.csv",
            format!("/cong-khai/ban/{edition}/so-lieu.csv"),
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/cong-khai/ban/{id}/so-lieu.csv-metadata.json",
            format!("/cong-khai/ban/{edition}/so-lieu.csv-metadata.json"),
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/cong-khai/ban/{id}/so-lieu.json",
            format!("/cong-khai/ban/{edition}/so-lieu.json"),
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/cong-khai/danh-muc.jsonld",
            "/cong-khai/danh-muc.jsonld",
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/cong-khai/ban-moi.atom",
            "/cong-khai/ban-moi.atom",
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/api/3/action/package_list",
            "/api/3/action/package_list",
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/api/3/action/package_show",
            "/api/3/action/package_show?id=cdsqg",
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/api/3/action/package_search",
            "/api/3/action/package_search?rows=1&start=0",
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/api/3/action/current_package_list_with_resources",
            "/api/3/action/current_package_list_with_resources",
            P::None,
            PUBLIC,
        ),
        case(M::GET, "/lang/{code}", "/lang/en", P::None, PUBLIC),
        case(
            M::GET,
            "/assets/style.css",
            "/assets/style.css",
            P::None,
            PUBLIC,
        ),
        case(
            M::GET,
            "/assets/report.css",
            "/assets/report.css",
            P::None,
            PUBLIC,
        ),
        case(M::GET, "/", "/", P::None, READERS),
        case(
            M::GET,
            "/programmes/{id}",
            "/programmes/kh2024",
            P::None,
            READERS,
        ),
        case(M::GET, "/tasks", "/tasks", P::None, READERS),
        case(M::GET, "/tasks/{id}", "/tasks/kh2024-t13", P::None, READERS),
        case(
            M::GET,
            "/history",
            "/history?entity=submission_items",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/indicators/{id}",
            "/indicators/cdsqg-attt-tan-cong",
            P::None,
            READERS,
        ),
        case(M::GET, "/agencies", "/agencies", P::None, READERS),
        case(
            M::GET,
            "/agencies/{id}",
            "/agencies/yen-bai",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/groups/{id}",
            "/groups/bo-nganh-dia-phuong",
            P::None,
            READERS,
        ),
        case(M::GET, "/measured", "/measured", P::None, READERS),
        case(M::GET, "/reports", "/reports", P::None, READERS),
        case(
            M::GET,
            "/reports/render",
            "/reports/render?programme=cdsqg&period=2024-06&format=md",
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/reports/editions/{id}",
            format!("/reports/editions/{edition}"),
            P::None,
            READERS,
        ),
        case(
            M::GET,
            "/reports/settings",
            "/reports/settings?programme=cdsqg",
            P::None,
            SECRETARIAT,
        ),
        case(
            M::GET,
            "/narratives",
            "/narratives?programme=cdsqg&period=2024-06",
            P::None,
            SECRETARIAT,
        ),
        case(
            M::GET,
            "/entry",
            "/entry",
            P::None,
            &["bo-tttt", "yen-bai", "bo-tttt:read"],
        ),
        case(
            M::GET,
            "/entry/template",
            "/entry/template?programme=cdsqg&period=2024-06",
            P::None,
            &["bo-tttt", "yen-bai", "bo-tttt:read"],
        ),
        case(
            M::GET,
            "/review",
            "/review",
            P::None,
            &["quantri", "thuky", "thuky-942"],
        ),
        case(
            M::GET,
            "/review",
            "/review?programme=cdsqg&period=2024-06",
            P::None,
            SECRETARIAT,
        ),
        case(
            M::GET,
            "/urge",
            "/urge",
            P::None,
            &["quantri", "thuky", "thuky-942"],
        ),
        case(
            M::GET,
            "/urge/letter",
            "/urge/letter?programme=kh2024&agency=BNNPTNT&date=2024-12-31",
            P::None,
            SECRETARIAT,
        ),
        case(
            M::GET,
            "/evidence/{sha}",
            format!("/evidence/{evidence}"),
            P::None,
            BTTTT_DRAFT_READERS,
        ),
        // The pages: writes (forms). A page enters for the signed-in reporter's own agency:
        // Yên Bái's values under Yên Bái, and a task only when it is given to the agency.
        entry_case(
            M::POST,
            "/entry/task",
            "/entry/task",
            P::Form(
                "programme=cdsqg&period=2024-06&task_id=kh2024-t14&status=in_progress&result=%C4%90ang+l%C3%A0m",
            ),
            &["bo-tttt"],
        ),
        entry_case(
            M::POST,
            "/entry/indicator",
            "/entry/indicator",
            P::Form("programme=cdsqg&period=2024-06&indicator_id=cdsqg-hscv-dien-tu&value=3"),
            &["bo-tttt", "yen-bai"],
        ),
        entry_case(
            M::POST,
            "/entry/checklist",
            "/entry/checklist",
            P::Multipart,
            &["bo-tttt", "yen-bai"],
        ),
        entry_case(
            M::POST,
            "/entry/template",
            "/entry/template",
            P::Multipart,
            &["bo-tttt", "yen-bai"],
        ),
        entry_case(
            M::POST,
            "/entry/submit",
            "/entry/submit",
            P::Form("programme=cdsqg&period=2024-06"),
            &["bo-tttt", "yen-bai"],
        ),
        entry_case(
            M::POST,
            "/entry/withdraw",
            "/entry/withdraw",
            P::Form("programme=cdsqg&period=2024-06"),
            &["bo-tttt", "yen-bai"],
        ),
        case(
            M::POST,
            "/review/decide",
            "/review/decide",
            P::Form(
                "programme=cdsqg&period=2024-06&agency=BTTTT&decision=return&comment=B%E1%BB%95+sung",
            ),
            SECRETARIAT,
        ),
        case(
            M::POST,
            "/periods",
            "/periods",
            P::Form("programme=cdsqg&period=2024-04&locked=true"),
            SECRETARIAT,
        ),
        case(
            M::POST,
            "/reports/issue",
            "/reports/issue",
            P::Form("programme=cdsqg&period=2024-04"),
            SECRETARIAT,
        ),
        case(
            M::POST,
            "/reports/settings",
            "/reports/settings",
            P::Form("programme=cdsqg&version=0&parent_body=B%E1%BB%98+TH%C3%94NG+TIN"),
            SECRETARIAT,
        ),
        case(
            M::POST,
            "/narratives",
            "/narratives",
            P::Form(
                "programme=cdsqg&period=2024-06&version=0&action=save&highlights=N%E1%BB%95i+b%E1%BA%ADt",
            ),
            SECRETARIAT,
        ),
        case(
            M::POST,
            "/urge/retry",
            "/urge/retry",
            P::Form("programme=kh2024"),
            &["quantri", "thuky", "thuky-942"],
        ),
        case(M::POST, "/logout", "/logout", P::Form(""), PUBLIC),
        case(
            M::POST,
            "/login",
            "/login",
            P::Form("username=lanhdao&password=sai"),
            PUBLIC,
        ),
    ]
}

/// Every route the router declares, as written in `.route("…"` in the web crate's source.
fn declared_routes() -> BTreeSet<String> {
    fn walk(dir: &Path, routes: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, routes);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split(".route(\"").skip(1) {
                    routes.insert(piece.split('"').next().unwrap().to_string());
                }
            }
        }
    }
    let mut routes = BTreeSet::new();
    walk(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut routes,
    );
    routes
}

async fn site(
    database: Database,
    keep: Option<tempfile::TempDir>,
    schema: Option<support::TestSchema>,
) -> Site {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let changes = plan(
        &read_sources(&dirs).unwrap(),
        &database.load().await.unwrap(),
    )
    .unwrap()
    .changes;
    database.apply(&changes, "test", "demo").await.unwrap();
    let mut tokens = Vec::new();
    let mut created = BTreeSet::new();
    for (name, account) in CALLERS {
        let Some((id, role, agency, programme, scopes)) = account else {
            continue;
        };
        if created.insert(id) {
            let account = Account {
                id: id.into(),
                display_name: id.into(),
                role,
                agency_id: agency.map(Into::into),
                programme_id: programme.map(Into::into),
                password_hash: String::new(),
                active: true,
            };
            create_account(&database, &account, "mật khẩu thử nghiệm", "test")
                .await
                .unwrap();
        }
        tokens.push((
            name,
            create_token(&database, id, name, scopes, "test")
                .await
                .unwrap(),
        ));
    }
    let events_dir = tempfile::tempdir().unwrap();
    let events = tiendo_events::store::EventStore::open(
        events_dir.path(),
        tiendo_events::calendar::Calendar::vietnam(),
    )
    .unwrap();
    let app = router(App::new(
        database.clone(),
        Settings::default(),
        Some(events),
    ));
    Site {
        app,
        database,
        tokens,
        _keep: keep,
        _schema: schema,
        _events: events_dir,
    }
}

async fn every_route_as_every_caller(site: Site) {
    let (status, _, body) = site
        .send(
            "quantri",
            Method::PUT,
            "/api/v1/periods/cdsqg/2024-06",
            &Payload::Json(json!({"locked": false})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the administrator opens the period: {body}"
    );
    let (status, _, body) = site
        .send(
            "bo-tttt",
            Method::POST,
            "/entry/checklist",
            &Payload::Multipart,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "BTTTT attaches a file: {body}"
    );
    let evidence = {
        use sha2::Digest;
        let (_, upload) = evidence_upload();
        let text = String::from_utf8_lossy(&upload).into_owned();
        let file = text
            .split("Content-Type: application/pdf\r\n\r\n")
            .nth(1)
            .unwrap()
            .split("\r\n--")
            .next()
            .unwrap()
            .to_string();
        hex::encode(sha2::Sha256::digest(file.as_bytes()))
    };
    let (status, _, body) = site
        .send(
            "thuky",
            Method::POST,
            "/api/v1/editions",
            &Payload::Json(
                json!({"programme": "cdsqg", "period": "2024-06", "public_from": tiendo_core::clock::today_in_vietnam()}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "an edition is issued: {body}");
    let (_, _, listed) = site
        .send("thuky", Method::GET, "/api/v1/editions", &Payload::None)
        .await;
    let editions: Value = serde_json::from_str(&listed).unwrap();
    let edition = editions[0]["id"]
        .as_str()
        .expect("an edition id")
        .to_string();
    let victim = create_token(&site.database, "lanhdao", "sẽ bị thu hồi", "read", "test")
        .await
        .unwrap();
    let victim = victim.split('_').nth(1).unwrap().to_string();

    let cases = table(&edition, &evidence, &victim);
    let covered: BTreeSet<&str> = cases.iter().map(|c| c.route).collect();
    let missing: Vec<String> = declared_routes()
        .into_iter()
        .filter(|r| !covered.contains(r.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a line in the authorisation table: {missing:?}"
    );

    let mut wrong = Vec::new();
    for case in &cases {
        wrong.extend(site.check(case, false).await);
    }
    let (status, _, body) = site
        .send(
            "quantri",
            Method::PUT,
            "/api/v1/periods/cdsqg/2024-06",
            &Payload::Json(json!({"locked": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the period is locked: {body}");
    for case in cases.iter().filter(|c| c.needs_open_period) {
        wrong.extend(site.check(case, true).await);
    }
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn every_route_as_every_caller_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::open(dir.path().join("t.db").to_str().unwrap())
        .await
        .unwrap();
    every_route_as_every_caller(site(database, Some(dir), None).await).await;
}

#[tokio::test]
async fn every_route_as_every_caller_on_postgresql() {
    if let Some(schema) = support::TestSchema::new().await {
        let database = Database::open(&schema.url()).await.unwrap();
        every_route_as_every_caller(site(database, None, Some(schema)).await).await;
    }
}
