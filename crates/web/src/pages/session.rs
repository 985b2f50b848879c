//! Signing in and out, and the language switch.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use crate::auth::{self, MaybeAuth};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::page::{Guest, PageResult};
use crate::state::App;

pub(super) async fn login_form(guest: Guest) -> PageResult {
    guest.ok("login.html", "login", context! { username => "" })
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

pub(super) async fn login(guest: Guest, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let Ok(form) = serde_urlencoded::from_bytes::<LoginForm>(&bytes) else {
        return guest
            .fail(AppError::invalid(
                "username",
                "Thiếu tên đăng nhập hoặc mật khẩu.",
                "Missing user name or password.",
            ))
            .into_response();
    };
    let old = auth::cookie(&parts.headers, auth::SESSION_COOKIE);
    match auth::sign_in(
        &guest.app,
        &auth::peer(&parts),
        form.username.trim(),
        &form.password,
        old,
    )
    .await
    {
        Ok(token) => {
            let mut response = Redirect::to("/").into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, auth::session_cookie(&guest.app, &token));
            response
        }
        Err(e) => {
            let message = guest
                .lang
                .pick(&e.body.message_vi, &e.body.message_en)
                .to_string();
            match guest.render(
                "login.html",
                "login",
                context! { error => message, username => form.username },
            ) {
                Ok(html) => (e.status, Html(html)).into_response(),
                Err(e) => e.into_response(),
            }
        }
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: Option<String>,
}

pub(super) async fn logout(
    State(app): State<Arc<App>>,
    auth: MaybeAuth,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let (Some(a), Some(token)) = (&auth.0, auth::cookie(&headers, auth::SESSION_COOKIE)) {
        if let Err(e) = a.check_csrf(&headers, form.csrf.as_deref()) {
            return e.into_response();
        }
        if let Err(e) = auth::sign_out(&app, token).await {
            return e.into_response();
        }
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, auth::clear_session_cookie());
    response
}

/// The path of a referring address on this site, to go back to; never another site
/// (`//host`, `/\\host` and anything not starting with one `/` give the home page).
fn local_path(referer: &str) -> String {
    let path = referer.find("://").map_or(referer, |i| {
        referer[i + 3..]
            .find('/')
            .map_or("/", |j| &referer[i + 3 + j..])
    });
    let safe = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control());
    if safe {
        path.to_string()
    } else {
        "/".to_string()
    }
}

pub(super) async fn set_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::from_code(&code).unwrap_or_default();
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| "/".to_string(), local_path);
    let mut response = Redirect::to(&back).into_response();
    let cookie = format!(
        "lang={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    );
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("ASCII"),
    );
    response
}
