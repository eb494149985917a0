//! Who is calling: a bearer API token for `/api/v1`, a session cookie for the
//! HTML pages. Authorisation itself is `clef_domain::policy`.

use crate::{AppState, error::ApiError};
use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use clef_domain::{Actor, Locale, Role, UserId, policy};
use clef_store::user;

pub const SESSION_COOKIE: &str = "clef_session";
pub const LANG_COOKIE: &str = "clef_lang";

/// The signed-in user.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: user::Model,
    pub actor: Actor,
}

impl CurrentUser {
    fn new(user: user::Model) -> Option<Self> {
        let role = Role::from_str_opt(&user.role)?;
        Some(Self {
            actor: Actor {
                id: UserId(user.id),
                role,
            },
            user,
        })
    }

    pub fn id(&self) -> Option<i64> {
        Some(self.user.id)
    }

    /// Refuses with 403 unless the policy allows `action`.
    pub fn require(&self, action: policy::Action) -> Result<(), ApiError> {
        if policy::allows(&self.actor, action) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "your role ({}) does not allow this; ask an administrator or the record's owner",
                self.actor.role
            )))
        }
    }

    pub fn can(&self, action: policy::Action) -> bool {
        policy::allows(&self.actor, action)
    }

    /// A customer created as a key account skips the selection: only those
    /// who decide key accounts themselves may (taking over a portfolio);
    /// others create the customer, then propose it.
    pub fn check_created_status(
        &self,
        f: &clef_domain::CustomerFields,
    ) -> Result<(), clef_domain::FieldErrors> {
        if f.status == clef_domain::CustomerStatus::KeyAccount
            && !self.can(policy::Action::ManageProgram)
        {
            return Err(clef_domain::FieldError::new(
                "status",
                "use-selection",
                "a customer becomes a key account through the selection page (propose, then approve)",
            )
            .into());
        }
        Ok(())
    }
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|s| s.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The API caller, from `Authorization: Bearer <token>`.
pub struct ApiUser(pub CurrentUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        let user = state
            .store
            .token_user(token)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        CurrentUser::new(user)
            .map(ApiUser)
            .ok_or(ApiError::Unauthorized)
    }
}

/// The signed-in browser user; other visitors are sent to the sign-in page.
pub struct UiUser(pub CurrentUser);

impl FromRequestParts<AppState> for UiUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || {
            let next = parts
                .uri
                .path_and_query()
                .map_or("/customers", |p| p.as_str());
            Redirect::to(&format!("/login?next={}", crate::ui::urlencode(next))).into_response()
        };
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        match state.store.session_user(&secret).await {
            Ok(Some(u)) => CurrentUser::new(u).map(UiUser).ok_or_else(to_login),
            Ok(None) => Err(to_login()),
            Err(e) => Err(ApiError::from(e).into_response()),
        }
    }
}

/// The signed-in user of a browser request, if any, for pages any visitor
/// may reach (an address that leads nowhere): a session that cannot be read
/// counts as none.
pub async fn session_user(state: &AppState, headers: &HeaderMap) -> Option<CurrentUser> {
    let secret = cookie(headers, SESSION_COOKIE)?;
    let user = state.store.session_user(&secret).await.ok()??;
    CurrentUser::new(user)
}

/// The language of a page: the user's choice, else the cookie, else the browser's.
pub fn page_locale(headers: &HeaderMap, user: Option<&user::Model>) -> Locale {
    user.and_then(|u| u.locale.as_deref())
        .and_then(Locale::from_code)
        .or_else(|| {
            cookie(headers, LANG_COOKIE)
                .as_deref()
                .and_then(Locale::from_code)
        })
        .unwrap_or_else(|| {
            Locale::negotiate(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        })
}
