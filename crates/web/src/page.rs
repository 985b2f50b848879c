//! What every server-rendered page shares: the templates (compiled into the binary), the
//! page extractor [`Page`] (the state, the signed-in account and the language), rendering
//! with what every template needs, and the error page.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use tiendo_core::access::Action;

use crate::auth::{Auth, MaybeAuth, lang_of};
use crate::error::AppError;
use crate::i18n::{LABELS, Lang};
use crate::state::App;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("conflict.html", include_str!("../templates/conflict.html")),
    ("overview.html", include_str!("../templates/overview.html")),
    (
        "programme.html",
        include_str!("../templates/programme.html"),
    ),
    ("tasks.html", include_str!("../templates/tasks.html")),
    ("task.html", include_str!("../templates/task.html")),
    ("journal.html", include_str!("../templates/journal.html")),
    (
        "indicator.html",
        include_str!("../templates/indicator.html"),
    ),
    ("agencies.html", include_str!("../templates/agencies.html")),
    ("agency.html", include_str!("../templates/agency.html")),
    ("group.html", include_str!("../templates/group.html")),
    ("reports.html", include_str!("../templates/reports.html")),
    ("settings.html", include_str!("../templates/settings.html")),
    ("edition.html", include_str!("../templates/edition.html")),
    ("entry.html", include_str!("../templates/entry.html")),
    ("review.html", include_str!("../templates/review.html")),
    ("history.html", include_str!("../templates/history.html")),
    ("measured.html", include_str!("../templates/measured.html")),
    (
        "narrative.html",
        include_str!("../templates/narrative.html"),
    ),
    ("urge.html", include_str!("../templates/urge.html")),
    (
        "public_index.html",
        include_str!("../templates/public_index.html"),
    ),
    (
        "public_edition.html",
        include_str!("../templates/public_edition.html"),
    ),
];

pub fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    env.add_filter("number", |value: f64| {
        tiendo_core::format::decimal(value, 2)
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source).expect("templates compile");
    }
    env
}

/// A serialisable value for a template.
pub fn v<T: serde::Serialize>(value: T) -> Value {
    Value::from(Serde(value))
}

fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    LABELS
        .iter()
        .map(|(k, vi, en)| (*k, if lang == Lang::Vi { *vi } else { *en }))
        .collect()
}

/// A page's error: rendered as the error page (sign-in page when not signed in).
pub struct PageError {
    error: AppError,
    lang: Lang,
    page: Option<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if self.error.body.code == "unauthenticated" {
            return Redirect::to("/login").into_response();
        }
        match self.page {
            Some(html) => (self.error.status, Html(html)).into_response(),
            None => self.error.into_response(),
        }
    }
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} ({:?})", self.error, self.lang)
    }
}

pub type PageResult = Result<Response, PageError>;

/// `template` with what every page's template needs: the language and its labels, the
/// account signed in, its CSRF token, the navigation entry.
fn render(
    app: &App,
    auth: Option<&Auth>,
    lang: Lang,
    template: &str,
    nav: &str,
    extra: Value,
) -> Result<String, AppError> {
    let user = auth.map(|a| context! { id => a.account.id.clone(), display_name => a.account.display_name.clone(), role => a.account.role.code(), agency_id => a.account.agency_id.clone() });
    let base = context! { lang => lang.code(), t => labels(lang), user => user, csrf => auth.and_then(|a| a.csrf.clone()), nav => nav };
    app.templates
        .get_template(template)
        .and_then(|t| t.render(context! { ..base, ..extra }))
        .map_err(AppError::internal)
}

fn ok(
    app: &App,
    auth: Option<&Auth>,
    lang: Lang,
    template: &str,
    nav: &str,
    extra: Value,
) -> PageResult {
    render(app, auth, lang, template, nav, extra)
        .map(|html| Html(html).into_response())
        .map_err(|e| fail(app, auth, lang, e))
}

fn fail(app: &App, auth: Option<&Auth>, lang: Lang, error: AppError) -> PageError {
    let page = render(
        app,
        auth,
        lang,
        "error.html",
        "",
        context! { status => error.status.as_u16(), error => v(&error.body) },
    )
    .ok();
    PageError { error, lang, page }
}

/// A page for a signed-in account that may read (an events-only token may not): the
/// state, the account and the language of the request. Without an account the request is
/// sent to the sign-in page.
pub struct Page {
    pub app: Arc<App>,
    pub auth: Auth,
    pub lang: Lang,
}

impl FromRequestParts<Arc<App>> for Page {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let lang = lang_of(parts);
        let Some(auth) = MaybeAuth::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?
            .0
        else {
            return Err(Redirect::to("/login").into_response());
        };
        let page = Page {
            app: app.clone(),
            auth,
            lang,
        };
        page.auth
            .may(&Action::Read)
            .map_err(|e| page.fail(e).into_response())?;
        Ok(page)
    }
}

impl Page {
    /// The page `template` with `extra`, under the navigation entry `nav`.
    pub fn ok(&self, template: &str, nav: &str, extra: Value) -> PageResult {
        ok(&self.app, Some(&self.auth), self.lang, template, nav, extra)
    }

    /// The error page of `error`.
    pub fn fail(&self, error: impl Into<AppError>) -> PageError {
        fail(&self.app, Some(&self.auth), self.lang, error.into())
    }

    /// `error` answered by the page `template` with `extra` (the error page when that
    /// cannot be rendered); API clients still get the error's JSON.
    pub fn fail_with(&self, template: &str, extra: Value, error: AppError) -> PageError {
        match render(
            &self.app,
            Some(&self.auth),
            self.lang,
            template,
            "entry",
            extra,
        ) {
            Ok(html) => PageError {
                error,
                lang: self.lang,
                page: Some(html),
            },
            Err(e) => self.fail(e),
        }
    }
}

/// A page for anyone, signed in or not (the sign-in page): the state and the language.
pub struct Guest {
    pub app: Arc<App>,
    pub lang: Lang,
}

impl FromRequestParts<Arc<App>> for Guest {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Guest {
            app: app.clone(),
            lang: lang_of(parts),
        })
    }
}

impl Guest {
    pub fn render(&self, template: &str, nav: &str, extra: Value) -> Result<String, AppError> {
        render(&self.app, None, self.lang, template, nav, extra)
    }

    pub fn ok(&self, template: &str, nav: &str, extra: Value) -> PageResult {
        ok(&self.app, None, self.lang, template, nav, extra)
    }

    pub fn fail(&self, error: impl Into<AppError>) -> PageError {
        fail(&self.app, None, self.lang, error.into())
    }
}
