//! Accounts, passwords and API tokens.
//!
//! - Passwords are Argon2id PHC strings (argon2 crate defaults), hashed off the async
//!   threads.
//! - Machines use bearer tokens `tdo_<id>_<secret>`; only the secret's SHA-256 is stored.
//!   A token's scopes limit its account: `read`, `write`, `events:<source>`.
//!
//! Sessions, CSRF protection and sign-in limits are the web application's.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tiendo_core::access::{Action, Credential, Principal, Role, authorize};
use tiendo_exchange::import::Change;
use tiendo_exchange::records::Row;
use tiendo_store::workflow::{ACCOUNTS, API_TOKENS};
use tiendo_store::{Store, StoreError};

/// Why an account or a token could not be created.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("không mã hóa được mật khẩu: {0}")]
    Hash(String),
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub agency_id: Option<String>,
    pub programme_id: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub active: bool,
}

impl Account {
    pub fn from_row(row: &Row) -> Option<Account> {
        let cell = |name: &str| {
            ACCOUNTS
                .index(name)
                .and_then(|i| row.get(i).cloned().flatten())
        };
        Some(Account {
            id: cell("id")?,
            display_name: cell("display_name").unwrap_or_default(),
            role: cell("role")?.parse().ok()?,
            agency_id: cell("agency_id"),
            programme_id: cell("programme_id"),
            password_hash: cell("password_hash").unwrap_or_default(),
            active: cell("active").is_some_and(|v| v == "true"),
        })
    }

    pub fn to_row(&self, created_at: &str) -> Row {
        vec![
            Some(self.id.clone()),
            Some(self.display_name.clone()),
            Some(self.role.code().to_string()),
            self.agency_id.clone(),
            self.programme_id.clone(),
            Some(self.password_hash.clone()),
            Some(self.active.to_string()),
            Some(created_at.to_string()),
        ]
    }

    /// The account as the rules see it, with the credential the request came with.
    pub fn principal(&self, credential: Credential) -> Principal {
        Principal {
            account_id: self.id.clone(),
            role: self.role,
            agency_id: self.agency_id.clone(),
            programme_id: self.programme_id.clone(),
            credential,
        }
    }
}

pub fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex::encode(bytes)
}

/// A password as an Argon2id PHC string, hashed off the async threads.
pub async fn hash_password(password: String) -> Result<String, AccountError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| AccountError::Hash(e.to_string()))?
    .map_err(|e| AccountError::Hash(e.to_string()))
}

pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// Create an account (journaled as written by `actor`).
pub async fn create_account<S: Store>(
    store: &S,
    account: &Account,
    password: &str,
    actor: &str,
) -> Result<(), AccountError> {
    let mut account = account.clone();
    account.password_hash = hash_password(password.to_string()).await?;
    let change = Change {
        entity: &ACCOUNTS,
        key: account.id.clone(),
        before: None,
        after: account.to_row(&now_rfc3339()),
    };
    store.apply(&[change], actor, "tạo tài khoản").await?;
    Ok(())
}

/// Create an API token for an account; returns the token text (shown once).
pub async fn create_token<S: Store>(
    store: &S,
    account_id: &str,
    name: &str,
    scopes: &str,
    actor: &str,
) -> Result<String, AccountError> {
    let id = random_token()[..12].to_string();
    let secret = random_token();
    let row = vec![
        Some(id.clone()),
        Some(account_id.into()),
        Some(name.into()),
        Some(sha256_hex(secret.as_bytes())),
        Some(scopes.into()),
        Some(now_rfc3339()),
        None,
    ];
    store
        .apply(
            &[Change {
                entity: &API_TOKENS,
                key: id.clone(),
                before: None,
                after: row,
            }],
            actor,
            "tạo mã truy cập",
        )
        .await?;
    Ok(format!("tdo_{id}_{secret}"))
}

/// Who is acting: an account, and what its credential (a session or a token's scopes)
/// lets it do.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    pub principal: Principal,
}

impl Caller {
    pub fn new(account: Account, credential: Credential) -> Caller {
        Caller {
            principal: account.principal(credential),
            account,
        }
    }

    /// Decide an action by [`tiendo_core::access::authorize`]; a refusal is logged.
    pub fn may(&self, action: &Action<'_>) -> crate::error::Result<()> {
        authorize(&self.principal, action).map_err(|denied| {
            tracing::warn!(target: "tiendo::security", event = "denied", account = %loggable(&self.account.id), reason = denied.code(), "từ chối thao tác");
            crate::error::Error::from(denied)
        })
    }

    /// The event sources a bearer token may push events for.
    pub fn event_sources(&self) -> &[String] {
        match &self.principal.credential {
            Credential::Token(scopes) => &scopes.event_sources,
            Credential::Session => &[],
        }
    }
}

/// A text from outside as it may appear in a log line: control characters (a newline
/// that would forge a line, a terminal's escape codes) escaped, at most 64 characters.
pub fn loggable(text: &str) -> String {
    text.chars()
        .take(64)
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}
