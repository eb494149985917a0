//! `/api/v1/users`.

use super::{ApiJson, dto::*};
use crate::{AppState, auth::ApiUser, error::ApiError};
use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use clef_domain::policy::Action;
use clef_store::NewUser;

#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = [UserOut])), security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<UserOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(
        st.store
            .list_users()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserIn,
    responses((status = 201, body = UserOut), (status = 403, description = "Only administrators manage users"),
              (status = 409, description = "E-mail taken"), (status = 422, description = "Invalid field(s)")),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(b): ApiJson<UserIn>,
) -> Result<Response, ApiError> {
    u.require(Action::ManageUsers)?;
    let m = st
        .store
        .create_user(&NewUser {
            email: b.email,
            name: b.name,
            role: b.role,
            title: b.title,
            password: b.password,
            locale: b.locale,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(UserOut::from(m))).into_response())
}

#[utoipa::path(get, path = "/api/v1/users/me", tag = "users",
    responses((status = 200, body = UserOut)), security(("bearer" = [])))]
pub async fn me(ApiUser(u): ApiUser) -> Json<UserOut> {
    Json(u.user.into())
}
