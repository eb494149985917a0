//! Sign-in, sign-out, the first-run page and the language switch.

use super::{Ctx, render};
use crate::{
    AppState,
    auth::{LANG_COOKIE, SESSION_COOKIE, cookie},
};
use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use clef_domain::Locale;
use clef_store::NewUser;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/setup", get(setup_page).post(setup))
        .route("/lang/{code}", get(switch_lang))
}

/// Only local paths are followed after sign-in or a language switch.
fn safe_next(next: Option<&str>) -> String {
    super::local_next(next.unwrap_or_default(), "/customers".to_owned())
}

fn session_cookie(st: &AppState, value: &str, max_age: i64) -> String {
    let secure = if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: Ctx<'a>,
    email: String,
    next: String,
    /// The message to show, if any.
    error: Option<&'static str>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    if matches!(st.store.count_users().await, Ok(0)) {
        return Redirect::to("/setup").into_response();
    }
    let ctx = Ctx::new(&st, &headers, None, "/login");
    render(
        StatusCode::OK,
        &LoginPage {
            ctx,
            email: String::new(),
            next: safe_next(q.next.as_deref()),
            error: None,
        },
    )
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

async fn login(
    State(st): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    // Where the sign-in comes from.
    let peer = extensions
        .get::<axum::extract::ConnectInfo<crate::conn::PeerAddr>>()
        .map(|c| c.0.0.ip());
    let from = crate::client::address(&st.config.trusted_proxies, peer, &headers);
    let blocked = match crate::throttle::attempt(&st.store, &f.email, from).await {
        Ok(b) => b,
        Err(e) => {
            return super::api_error_page(Ctx::new(&st, &headers, None, "/login"), e.into());
        }
    };
    if let Some(why) = blocked {
        let ctx = Ctx::new(&st, &headers, None, "/login");
        return render(
            StatusCode::TOO_MANY_REQUESTS,
            &LoginPage {
                ctx,
                email: f.email,
                next,
                error: Some(match why {
                    crate::throttle::Blocked::Here => "sign-in-throttled",
                    crate::throttle::Blocked::Everywhere => "sign-in-throttled-everywhere",
                }),
            },
        );
    }
    match st.store.verify_login(&f.email, &f.password).await {
        Ok(Some(u)) => match st.store.create_session(u.id).await {
            Ok(secret) => {
                if let Err(e) = crate::throttle::succeeded(&st.store, &f.email, from).await {
                    tracing::warn!(error = %e, "failed sign-ins not cleared");
                }
                (
                    [(
                        header::SET_COOKIE,
                        session_cookie(&st, &secret, clef_store::SESSION_SECONDS),
                    )],
                    Redirect::to(&next),
                )
                    .into_response()
            }
            Err(e) => super::api_error_page(Ctx::new(&st, &headers, None, "/login"), e.into()),
        },
        Ok(None) => {
            let ctx = Ctx::new(&st, &headers, None, "/login");
            render(
                StatusCode::UNAUTHORIZED,
                &LoginPage {
                    ctx,
                    email: f.email,
                    next,
                    error: Some("sign-in-failed"),
                },
            )
        }
        Err(e) => super::api_error_page(Ctx::new(&st, &headers, None, "/login"), e.into()),
    }
}

async fn logout(State(st): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        let _ = st.store.delete_session(&secret).await;
    }
    (
        [(header::SET_COOKIE, session_cookie(&st, "", 0))],
        Redirect::to("/login"),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage<'a> {
    ctx: Ctx<'a>,
    name: String,
    email: String,
    errors: clef_domain::FieldErrors,
}

impl SetupPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
}

async fn setup_page(State(st): State<AppState>, headers: HeaderMap) -> Response {
    if !matches!(st.store.count_users().await, Ok(0)) {
        return Redirect::to("/login").into_response();
    }
    let ctx = Ctx::new(&st, &headers, None, "/setup");
    render(
        StatusCode::OK,
        &SetupPage {
            ctx,
            name: String::new(),
            email: String::new(),
            errors: Default::default(),
        },
    )
}

#[derive(Deserialize)]
struct SetupForm {
    name: String,
    email: String,
    password: String,
}

async fn setup(
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<SetupForm>,
) -> Response {
    if !matches!(st.store.count_users().await, Ok(0)) {
        return Redirect::to("/login").into_response();
    }
    let locale = crate::auth::page_locale(&headers, None);
    let new = NewUser {
        email: f.email.clone(),
        name: f.name.clone(),
        role: "admin".into(),
        title: None,
        password: f.password,
        locale: Some(locale.as_str().into()),
    };
    match st.store.create_user(&new).await {
        Ok(u) => match st.store.create_session(u.id).await {
            Ok(secret) => (
                [(
                    header::SET_COOKIE,
                    session_cookie(&st, &secret, clef_store::SESSION_SECONDS),
                )],
                Redirect::to("/customers"),
            )
                .into_response(),
            Err(e) => crate::error::ApiError::from(e).into_response(),
        },
        Err(clef_store::StoreError::Invalid(errors)) => {
            let ctx = Ctx::new(&st, &headers, None, "/setup");
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SetupPage {
                    ctx,
                    name: f.name,
                    email: f.email,
                    errors,
                },
            )
        }
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

async fn switch_lang(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    // A link on another site changes nothing (the reader's saved language
    // is theirs to choose).
    if super::from_another_site(&headers) {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    let locale = Locale::from_code(&code).unwrap_or_default();
    if let Some(secret) = cookie(&headers, SESSION_COOKIE)
        && let Ok(Some(u)) = st.store.session_user(&secret).await
    {
        let _ = st.store.set_locale(u.id, locale).await;
    }
    let secure = if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let c = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}",
        locale.as_str()
    );
    (
        [(header::SET_COOKIE, c)],
        Redirect::to(&safe_next(q.next.as_deref())),
    )
        .into_response()
}
