//! Who is asking: sessions, API tokens, CSRF protection and sign-in rate limiting, over
//! the accounts and tokens of [`tiendo_app::accounts`].
//!
//! - A session is a random 256-bit token in an `HttpOnly`, `SameSite=Strict` cookie
//!   (`Secure` when configured); the database keeps only its SHA-256, so a copy of the
//!   database does not let anyone in. Signing in always starts a new session (the id
//!   rotates) and deletes the one the browser had; sessions expire after
//!   [`Settings::session_lifetime`](crate::state::Settings).
//! - Every state-changing request made with a session cookie must carry the session's
//!   CSRF token (form field `csrf` or header `X-CSRF-Token`), and a browser's
//!   `Origin`/`Sec-Fetch-Site` must not say it comes from another site.
//! - Machines use bearer tokens `tdo_<id>_<secret>`; only the secret's SHA-256 is stored.
//!   A token's scopes limit its account: `read`, `write`, `events:<source>`. Revoked
//!   tokens stop working at once.
//! - Failed sign-ins are limited per address and user name (see `Settings`).
//!
//! This is written here rather than with `tower-sessions`/`axum-login` because those
//! crates' SQL stores are tied to sqlx 0.8 (see ../shared/STACK.md), and what we need is
//! small: the store keeps sessions for both SQLite and PostgreSQL.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use tiendo_app::accounts::{Account, Caller, loggable, random_token, sha256_hex, verify_password};
use tiendo_core::access::{Action, Credential, TokenScopes};
use tiendo_store::workflow::{ACCOUNTS, API_TOKENS};
use tiendo_store::{JournalEntry, SessionRecord, Store};

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::App;

pub const SESSION_COOKIE: &str = "tiendo_session";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SessionData {
    account_id: String,
    csrf: String,
}

/// Who is making the request, and how.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The account and what it may do, as the application's use cases take it.
    pub caller: Caller,
    /// The session's CSRF token; None for bearer tokens, which need none.
    pub csrf: Option<String>,
}

impl std::ops::Deref for Auth {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl Auth {
    /// Refuse a state change whose CSRF token is missing or wrong.
    pub fn check_csrf(&self, headers: &HeaderMap, form_token: Option<&str>) -> AppResult<()> {
        let Some(expected) = &self.csrf else {
            return Ok(());
        };
        let given = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .or(form_token);
        if given.is_some_and(|g| constant_time_eq(g.as_bytes(), expected.as_bytes())) {
            Ok(())
        } else {
            Err(AppError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "Phiên làm việc không hợp lệ hoặc yêu cầu đến từ trang khác; hãy tải lại trang.",
                "Missing or wrong CSRF token; reload the page.",
            ))
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The interface language of a request: `?lang=`, else the `lang` cookie, else Vietnamese.
pub fn lang_of(parts: &Parts) -> Lang {
    let query = parts.uri.query().unwrap_or("");
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()
        .and_then(|q| {
            q.into_iter()
                .find(|(k, _)| k == "lang")
                .and_then(|(_, v)| Lang::from_code(&v))
        })
        .or_else(|| cookie(&parts.headers, "lang").and_then(Lang::from_code))
        .unwrap_or_default()
}

async fn active_account<S: Store>(store: &S, id: &str) -> AppResult<Option<Account>> {
    Ok(store
        .get(&ACCOUNTS, id)
        .await?
        .and_then(|v| Account::from_row(&v.row))
        .filter(|a| a.active))
}

async fn from_session(app: &App, token: &str) -> AppResult<Option<Auth>> {
    let Some(record) = app
        .store
        .session_load(&sha256_hex(token.as_bytes()))
        .await?
    else {
        return Ok(None);
    };
    if record.expires_at < Utc::now().timestamp() {
        return Ok(None);
    }
    let Ok(data) = serde_json::from_str::<SessionData>(&record.data) else {
        return Ok(None);
    };
    Ok(active_account(&app.store, &data.account_id)
        .await?
        .map(|account| Auth {
            caller: Caller::new(account, Credential::Session),
            csrf: Some(data.csrf),
        }))
}

async fn from_bearer(app: &App, token: &str) -> AppResult<Option<Auth>> {
    let Some((id, secret)) = token.strip_prefix("tdo_").and_then(|t| t.split_once('_')) else {
        return Ok(None);
    };
    let Some(stored) = app.store.get(&API_TOKENS, id).await? else {
        return Ok(None);
    };
    let cell = |name: &str| {
        API_TOKENS
            .index(name)
            .and_then(|i| stored.row.get(i).cloned().flatten())
    };
    let hash_matches = cell("token_hash")
        .is_some_and(|h| constant_time_eq(h.as_bytes(), sha256_hex(secret.as_bytes()).as_bytes()));
    if !hash_matches || cell("revoked_at").is_some() {
        return Ok(None);
    }
    let Some(account) = active_account(&app.store, &cell("account_id").unwrap_or_default()).await?
    else {
        return Ok(None);
    };
    let Some(scopes) = TokenScopes::parse(&cell("scopes").unwrap_or_default()) else {
        return Ok(None);
    };
    Ok(Some(Auth {
        caller: Caller::new(account, Credential::Token(scopes)),
        csrf: None,
    }))
}

/// The signed-in account, if any (session cookie or bearer token).
pub struct MaybeAuth(pub Option<Auth>);

impl FromRequestParts<Arc<App>> for MaybeAuth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        if let Some(authorization) = parts.headers.get(header::AUTHORIZATION) {
            // Any Authorization header is a machine's: it never falls back to the session
            // cookie, which the Origin check (skipped for bearer requests) protects.
            let token = authorization
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(AppError::unauthenticated)?;
            let auth = from_bearer(app, token.trim()).await?;
            if auth.is_none() {
                // The token's id only (the part before its secret), never the secret.
                let id: String = token
                    .trim()
                    .strip_prefix("tdo_")
                    .and_then(|t| t.split_once('_'))
                    .map_or("?", |(id, _)| id)
                    .chars()
                    .take(32)
                    .collect();
                tracing::warn!(target: "tiendo::security", event = "token_refused", token_id = %loggable(&id), "mã truy cập không hợp lệ");
            }
            return Ok(MaybeAuth(Some(auth.ok_or_else(AppError::unauthenticated)?)));
        }
        match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => Ok(MaybeAuth(from_session(app, token).await?)),
            None => Ok(MaybeAuth(None)),
        }
    }
}

impl FromRequestParts<Arc<App>> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        MaybeAuth::from_request_parts(parts, app)
            .await?
            .0
            .ok_or_else(AppError::unauthenticated)
    }
}

/// The language of a request's answer: `?lang=`, else the `lang` cookie, else Vietnamese.
pub struct RequestLang(pub Lang);

impl<St: Send + Sync> FromRequestParts<St> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &St) -> Result<Self, Self::Rejection> {
        Ok(RequestLang(lang_of(parts)))
    }
}

/// A signed-in account that may read (every read route needs it: an events-only token
/// may not).
pub struct Reader(pub Auth);

impl FromRequestParts<Arc<App>> for Reader {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_request_parts(parts, app).await?;
        auth.may(&Action::Read)?;
        Ok(Reader(auth))
    }
}

/// May `auth` read the journal entry of `entity` and `record_key`? Evidence files are
/// decided by where they are attached ([`may_read_evidence`]).
pub async fn may_read_record(
    app: &App,
    auth: &Auth,
    entity: &str,
    record_key: &str,
) -> AppResult<()> {
    if entity == tiendo_store::workflow::EVIDENCE.name {
        return may_read_evidence(app, auth, record_key).await;
    }
    if entity == tiendo_store::workflow::EVIDENCE_UPLOADS.name {
        let sha256 = record_key.split('|').next().unwrap_or_default();
        return may_read_evidence(app, auth, sha256).await;
    }
    Ok(auth.may(&tiendo_core::access::read_record_action(entity, record_key))?)
}

/// The agencies that uploaded the evidence file `sha256` (none when the secretariat did).
pub async fn evidence_owners(app: &App, sha256: &str) -> AppResult<Vec<String>> {
    Ok(app
        .store
        .rows(&tiendo_store::workflow::EVIDENCE_UPLOADS)
        .await?
        .iter()
        .map(|v| tiendo_store::workflow::EvidenceUpload::from_row(&v.row))
        .filter(|u| u.sha256 == sha256)
        .map(|u| u.agency_id)
        .collect())
}

/// May `auth` read the evidence file `sha256`? It belongs to the agencies whose reporters
/// uploaded it, and to the programmes of those agencies' own checklist items (stored or
/// staged) that cite it. A citation by any other agency grants nothing: the digest is
/// visible in the journal, so citing it must not open the file. A file no agency uploaded
/// (the secretariat did) belongs to the agencies of the accepted items that cite it.
pub async fn may_read_evidence(app: &App, auth: &Auth, sha256: &str) -> AppResult<()> {
    let data = app.data().await?;
    let owners = evidence_owners(app, sha256).await?;
    let owns = |agency_id: &str| owners.is_empty() || owners.iter().any(|o| o == agency_id);
    let mut agencies: Vec<String> = owners.clone();
    let mut programmes: Vec<String> = Vec::new();
    let reference = format!("sha256:{sha256}");
    for item in data
        .checklist_items
        .iter()
        .filter(|i| i.evidence.contains(&reference) && owns(&i.agency_id))
    {
        agencies.push(item.agency_id.clone());
        programmes.extend(
            data.checklist_requirements
                .iter()
                .filter(|r| r.id == item.requirement_id)
                .map(|r| r.programme_id.clone()),
        );
    }
    if !owners.is_empty() {
        for staged in app
            .store
            .rows(&tiendo_store::workflow::SUBMISSION_ITEMS)
            .await?
        {
            let staged = tiendo_store::workflow::StagedRecord::from_row(&staged.row);
            if owns(&staged.agency_id)
                && staged
                    .after
                    .as_deref()
                    .is_some_and(|after| after.contains(&reference))
            {
                programmes.push(staged.programme_id);
            }
        }
    }
    let agency_ids: Vec<&str> = agencies.iter().map(String::as_str).collect();
    let programme_ids: Vec<&str> = programmes.iter().map(String::as_str).collect();
    Ok(auth.may(&Action::ReadEvidence {
        agency_ids: &agency_ids,
        programme_ids: &programme_ids,
    })?)
}

/// The journal entries `auth` may read: each decided by the rights its record needs
/// (another agency's staged entries and review comments, accounts and tokens, evidence
/// files are not everyone's).
pub async fn readable_journal(
    app: &App,
    auth: &Auth,
    entries: Vec<JournalEntry>,
) -> AppResult<Vec<JournalEntry>> {
    let mut readable = Vec::with_capacity(entries.len());
    let mut decided: HashMap<(String, String), bool> = HashMap::new();
    for entry in entries {
        let scope = (entry.entity.clone(), entry.record_key.clone());
        let allowed = match decided.get(&scope) {
            Some(allowed) => *allowed,
            None => {
                let allowed = may_read_record(app, auth, &entry.entity, &entry.record_key)
                    .await
                    .is_ok();
                decided.insert(scope, allowed);
                allowed
            }
        };
        if allowed {
            readable.push(entry);
        }
    }
    Ok(readable)
}

/// The address a request came from (the TCP peer; `X-Forwarded-For` is not trusted).
pub fn peer(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
}

/// The key of a sign-in attempt: the address and the user name as typed, lower-cased and
/// cut to the longest account id there can be, so that long names cost no memory.
fn attempt_key(address: &str, username: &str) -> (String, String) {
    (
        address.to_string(),
        username.to_lowercase().chars().take(MAX_USERNAME).collect(),
    )
}

/// The longest user name kept in the sign-in failure map.
const MAX_USERNAME: usize = 64;

/// Count a sign-in attempt before its password is verified: `Err` when the address and
/// user name already have as many attempts in the window (failed, or still being
/// verified) as allowed. Counting and checking happen under one lock, so a burst of
/// parallel attempts verifies at most the allowed number of passwords; the attempt is
/// forgotten again if it succeeds ([`forget_attempt`]).
pub fn begin_attempt(app: &App, address: &str, username: &str) -> AppResult<Instant> {
    let mut failures = app.failures.lock().expect("rate lock");
    let window = app.settings.login_window;
    // Forget failures older than the window, so that the map holds only recent ones.
    failures.retain(|_, times| {
        times.retain(|t| t.elapsed() < window);
        !times.is_empty()
    });
    let entry = failures.entry(attempt_key(address, username)).or_default();
    if entry.len() >= app.settings.login_attempts {
        return Err(AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!(
                "Đăng nhập sai quá {} lần; hãy thử lại sau {} phút.",
                app.settings.login_attempts,
                window.as_secs() / 60
            ),
            format!(
                "Too many failed sign-ins; try again in {} minutes.",
                window.as_secs() / 60
            ),
        ));
    }
    let started = Instant::now();
    entry.push(started);
    Ok(started)
}

/// Forget an attempt that succeeded.
fn forget_attempt(app: &App, address: &str, username: &str, started: Instant) {
    let mut failures = app.failures.lock().expect("rate lock");
    let key = attempt_key(address, username);
    if let Some(times) = failures.get_mut(&key) {
        times.retain(|t| *t != started);
        if times.is_empty() {
            failures.remove(&key);
        }
    }
}

/// Verify a user name and password and open a new session; returns the cookie value to set.
pub async fn sign_in(
    app: &App,
    address: &str,
    username: &str,
    password: &str,
    old_token: Option<&str>,
) -> AppResult<String> {
    let attempt = begin_attempt(app, address, username)?;
    let account = active_account(&app.store, username).await?;
    // Verify against a real hash even for unknown users so that timing does not reveal them.
    let hash = account
        .as_ref()
        .map_or_else(|| DUMMY_HASH.to_string(), |a| a.password_hash.clone());
    let ok = verify_password(password.to_string(), hash).await && account.is_some();
    let Some(account) = account.filter(|_| ok) else {
        tracing::warn!(target: "tiendo::security", event = "sign_in_failed", user = %loggable(username), address = %address, "đăng nhập không thành công");
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "Tên đăng nhập hoặc mật khẩu không đúng.",
            "Wrong user name or password.",
        ));
    };
    forget_attempt(app, address, username, attempt);
    if let Some(old) = old_token {
        app.store
            .session_delete(&sha256_hex(old.as_bytes()))
            .await?;
    }
    let token = random_token();
    let data = SessionData {
        account_id: account.id,
        csrf: random_token(),
    };
    let expires_at = Utc::now().timestamp() + app.settings.session_lifetime.as_secs() as i64;
    app.store
        .session_save(
            &sha256_hex(token.as_bytes()),
            &SessionRecord {
                data: serde_json::to_string(&data).map_err(AppError::internal)?,
                expires_at,
            },
        )
        .await?;
    app.store
        .session_delete_expired(Utc::now().timestamp())
        .await?;
    Ok(token)
}

/// An Argon2id hash of a random password, used when the user name is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0o5bxZ2m9VyQm9Sxhx1pRYdmU9Q0wHI0Ns5H3L2yR6c";

pub async fn sign_out(app: &App, token: &str) -> AppResult<()> {
    app.store
        .session_delete(&sha256_hex(token.as_bytes()))
        .await?;
    Ok(())
}

pub fn session_cookie(app: &App, token: &str) -> HeaderValue {
    let secure = if app.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        app.settings.session_lifetime.as_secs()
    ))
    .expect("cookie text is ASCII")
}

pub fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_static("tiendo_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// The largest request body of a route that sets no limit of its own (axum's default).
pub const DEFAULT_BODY_LIMIT: usize = 2 << 20;

/// Refuse cross-site state changes by what the browser says (`Sec-Fetch-Site`, `Origin`),
/// and set the security headers of every answer.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    if changes_state && !bearer {
        let headers = request.headers();
        let cross_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "cross-site" || v == "same-site");
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let foreign_origin = headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|origin| {
                origin == "null"
                    || host
                        .is_none_or(|h| origin.split_once("://").map(|(_, rest)| rest) != Some(h))
            });
        if cross_site || foreign_origin {
            use axum::response::IntoResponse;
            return AppError::new(
                StatusCode::FORBIDDEN,
                "cross_site",
                "Yêu cầu đến từ trang web khác bị từ chối.",
                "Cross-site request refused.",
            )
            .into_response();
        }
    }
    // The limit of the route asked: evidence uploads take files up to their own limit.
    let body_limit = if request.uri().path() == "/entry/checklist" {
        tiendo_core::limits::EVIDENCE_BYTES
    } else {
        DEFAULT_BODY_LIMIT
    };
    let mut response = next.run(request).await;
    // A body over the limit is answered in the API's format, with the route's limit.
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        use axum::response::IntoResponse;
        response = AppError::too_large(body_limit).into_response();
    }
    let h = response.headers_mut();
    // Pages and API answers are for the person signed in, and change with every entry:
    // no cache keeps them unless the answer says otherwise (the assets do).
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("content-security-policy", HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"));
    response
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::phc::PasswordHash;
    use tiendo_app::accounts::hash_password;

    use super::*;

    #[tokio::test]
    async fn passwords_are_argon2id_and_verify() {
        let hash = hash_password("mật khẩu đúng".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu đúng".into(), hash.clone()).await);
        assert!(!verify_password("mat khau sai".into(), hash).await);
        assert!(!verify_password("x".into(), DUMMY_HASH.into()).await);
        assert!(
            PasswordHash::new(DUMMY_HASH).is_ok(),
            "the dummy hash parses, so unknown users cost a real verification"
        );
    }

    /// Issue 26 (low): a newline in a user name forged a log line; terminal escape codes
    /// passed raw.
    #[test]
    fn texts_from_outside_cannot_forge_log_lines() {
        assert_eq!(
            loggable("thuky\n2026-12-07T00:00:00Z INFO đăng nhập thành công"),
            "thuky\\n2026-12-07T00:00:00Z INFO đăng nhập thành công"
        );
        assert_eq!(loggable("\u{1b}[31mđỏ"), "\\u{1b}[31mđỏ");
        assert_eq!(loggable("Nguyễn Văn A"), "Nguyễn Văn A");
        assert_eq!(loggable(&"a".repeat(100)).len(), 64);
    }

    #[test]
    fn long_user_names_cost_no_memory_in_the_failure_map() {
        let long = "a".repeat(50_000);
        assert_eq!(attempt_key("127.0.0.1", &long).1.len(), MAX_USERNAME);
        assert_eq!(
            attempt_key("127.0.0.1", "ThuKy"),
            ("127.0.0.1".to_string(), "thuky".to_string())
        );
    }

    #[test]
    fn secret_columns_never_leave_in_a_record() {
        let row = vec![
            Some("id1".into()),
            Some("quantri".into()),
            Some("x".into()),
            Some("bí-mật-băm".into()),
            Some("read".into()),
            None,
            None,
        ];
        let object = tiendo_app::records::row_object(&API_TOKENS, &row);
        assert!(
            object.get("token_hash").is_none() && object["account_id"] == "quantri",
            "{object}"
        );
    }

    #[test]
    fn cookies_are_parsed() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("lang=en; tiendo_session=abc"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "lang"), Some("en"));
        assert_eq!(cookie(&h, "x"), None);
    }
}
