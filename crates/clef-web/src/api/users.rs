//! `/api/v1/users`.

use super::{ApiJson, ApiPath, dto::*};
use crate::{AppState, auth::ApiUser, error::ApiError};
use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use clef_domain::policy::Action;
use clef_store::{NewUser, UserChange};

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
        .create_user_by(
            u.id(),
            &NewUser {
                email: b.email,
                name: b.name,
                role: b.role,
                title: b.title,
                password: b.password,
                locale: b.locale,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(UserOut::from(m))).into_response())
}

#[utoipa::path(get, path = "/api/v1/users/me", tag = "users",
    responses((status = 200, body = UserOut)), security(("bearer" = [])))]
pub async fn me(ApiUser(u): ApiUser) -> Json<UserOut> {
    Json(u.user.into())
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = UserOut), (status = 404, description = "No such user")),
    security(("bearer" = [])))]
pub async fn get_one(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<UserOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(st.store.user(id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = UserUpdateIn,
    responses((status = 200, body = UserOut), (status = 403, description = "Only administrators manage users"),
              (status = 404, description = "No such user"), (status = 409, description = "Stale version"),
              (status = 422, description = "Invalid field(s), your own account switched off, or the last administrator")),
    security(("bearer" = [])))]
pub async fn update(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<UserUpdateIn>,
) -> Result<Json<UserOut>, ApiError> {
    u.require(Action::ManageUsers)?;
    let version = b.version.ok_or_else(|| {
        ApiError::field(
            "version",
            "required",
            "version is required: send the version you read",
        )
    })?;
    let ch = UserChange {
        name: b.name,
        role: b.role,
        title: b.title,
        locale: b.locale,
        active: b.active,
        password: b.password,
    };
    Ok(Json(
        st.store.update_user(u.id(), id, version, &ch).await?.into(),
    ))
}
