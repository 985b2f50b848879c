//! Request bodies from outside, through the whole web application on SQLite with the demo
//! records: the API's JSON bodies (entries, reviews, periods, tokens, record edits,
//! narratives, editions), NDJSON events, and the multipart upload of checklist evidence.
//! The first byte picks the route, the rest is the body. Any body is answered with a
//! status below 500: a clean refusal, never a server error or a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Method, Request, header};
use libfuzzer_sys::fuzz_target;
use tiendo_core::access::Role;
use tiendo_exchange::import::{plan, read_sources};
use tiendo_store::{Database, Store};
use tiendo_app::accounts::{Account, create_account, create_token};
use tiendo_web::{App, Settings, router};
use tower::ServiceExt;

const BOUNDARY: &str = "tiendo-fuzz";

struct Site {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    /// Bearer tokens of the reporter of BTTTT, the secretariat, the administrator and an
    /// event source.
    tokens: [String; 4],
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let events_dir = tempfile::tempdir().unwrap();
        let (app, tokens) = runtime.block_on(async {
            let database = Database::open(dir.path().join("fuzz.db").to_str().unwrap())
                .await
                .unwrap();
            let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/demo");
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
            database.apply(&changes, "fuzz", "demo").await.unwrap();
            let mut tokens = Vec::new();
            for (id, role, agency) in [
                ("bo-tttt", Role::Reporter, Some("BTTTT")),
                ("thuky", Role::Secretariat, None),
                ("quantri", Role::Administrator, None),
            ] {
                let account = Account {
                    id: id.into(),
                    display_name: id.into(),
                    role,
                    agency_id: agency.map(Into::into),
                    programme_id: None,
                    password_hash: String::new(),
                    active: true,
                };
                create_account(&database, &account, "mật khẩu thử nghiệm", "fuzz")
                    .await
                    .unwrap();
                tokens.push(
                    create_token(&database, id, "fuzz", "read write", "fuzz")
                        .await
                        .unwrap(),
                );
            }
            tokens.push(
                create_token(&database, "quantri", "cổng DVC", "events:cong-dvc", "fuzz")
                    .await
                    .unwrap(),
            );
            let events = tiendo_events::store::EventStore::open(
                events_dir.path(),
                tiendo_events::calendar::Calendar::vietnam(),
            )
            .unwrap();
            let app = router(App::new(database, Settings::default(), Some(events)));
            let open = Request::put("/api/v1/periods/cdsqg/2024-06")
                .header(header::AUTHORIZATION, format!("Bearer {}", tokens[1]))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"locked": false}"#))
                .unwrap();
            assert!(
                app.clone()
                    .oneshot(open)
                    .await
                    .unwrap()
                    .status()
                    .is_success()
            );
            (app, tokens)
        });
        Site {
            runtime,
            app,
            tokens: tokens.try_into().unwrap(),
            _dirs: (dir, events_dir),
        }
    })
}

/// The routes that take a body: method, path, who calls, content type.
const ROUTES: [(&str, &str, usize, &str); 10] = [
    (
        "POST",
        "/api/v1/submissions/cdsqg/2024-06/BTTTT/entries",
        0,
        "application/json",
    ),
    (
        "POST",
        "/api/v1/submissions/cdsqg/2024-06/BTTTT/review",
        1,
        "application/json",
    ),
    (
        "PUT",
        "/api/v1/periods/cdsqg/2024-05",
        1,
        "application/json",
    ),
    ("POST", "/api/v1/tokens", 2, "application/json"),
    (
        "PUT",
        "/api/v1/task-updates/kh2024-t13/2024-06",
        1,
        "application/json",
    ),
    (
        "PUT",
        "/api/v1/narratives/cdsqg/2024-06",
        1,
        "application/json",
    ),
    ("POST", "/api/v1/editions", 1, "application/json"),
    (
        "POST",
        "/api/v1/events?source=cong-dvc",
        3,
        "application/x-ndjson",
    ),
    (
        "POST",
        "/entry/checklist",
        0,
        "multipart/form-data; boundary=tiendo-fuzz",
    ),
    (
        "POST",
        "/api/v1/submissions/cdsqg/2024-06/BTTTT/entries",
        0,
        "text/plain",
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let (method, path, who, content_type) = ROUTES[usize::from(which) % ROUTES.len()];
    debug_assert!(content_type.contains(BOUNDARY) || !content_type.starts_with("multipart"));
    let site = site();
    let request = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path)
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", site.tokens[who]),
        )
        .header(header::CONTENT_TYPE, content_type)
        .header(header::IF_MATCH, "1")
        .body(Body::from(body.to_vec()))
        .unwrap();
    let status = site
        .runtime
        .block_on(site.app.clone().oneshot(request))
        .unwrap()
        .status();
    assert!(
        status.as_u16() < 500,
        "{method} {path}: {status} for {:?}",
        String::from_utf8_lossy(body)
    );
});
