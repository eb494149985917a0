//! The JSON API under `/api/v1`. Every error is `application/problem+json`.

pub(crate) mod contracts;
pub(crate) mod customers;
pub(crate) mod dto;
mod imports;
mod openapi;
pub(crate) mod plans;
mod reference;
pub(crate) mod relationships;
pub(crate) mod rituals;
pub(crate) mod segmentation;
pub(crate) mod selection;
mod users;

use crate::{AppState, error::ApiError};
use axum::{
    Router,
    extract::{FromRequest, FromRequestParts},
    routing::{get, post},
};

/// A JSON body whose rejections are problem+json.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// Reads a settings object of the API, which serde would also take from a
/// list of its fields in order (`[]` giving every default): only an object
/// is read; null or absent is none.
pub(crate) fn object_only<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::{Deserialize, de::Error};
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        v @ serde_json::Value::Object(_) => serde_json::from_value(v)
            .map(Some)
            .map_err(D::Error::custom),
        _ => Err(D::Error::custom("an object {…} is expected here")),
    }
}

/// A query string whose rejections are problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// A path parameter whose rejections are problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// The body as it came, with its rejections as problem+json (a body over
/// the size limit is a 413).
async fn body_bytes(req: axum::extract::Request) -> Result<axum::body::Bytes, ApiError> {
    axum::body::Bytes::from_request(req, &()).await.map_err(|r| {
        if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(
                "the body is larger than the server accepts (see CLEF_MAX_BODY_MB); import a large file with clef import".into(),
            )
        } else {
            ApiError::BadRequest(r.body_text())
        }
    })
}

/// The request's media type, without its parameters, in lower case.
fn media_type(req: &axum::extract::Request) -> Option<String> {
    let v = req.headers().get(axum::http::header::CONTENT_TYPE)?;
    let t = v
        .to_str()
        .ok()?
        .split(';')
        .next()?
        .trim()
        .to_ascii_lowercase();
    Some(t)
}

/// A CSV file sent as the body: `text/csv` (or `application/csv`,
/// `text/plain`, `application/vnd.ms-excel`, `application/octet-stream`, as
/// tools label it); anything else is a 415.
pub struct CsvBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, _: &S) -> Result<Self, ApiError> {
        let ok = media_type(&req).is_some_and(|t| {
            matches!(
                t.as_str(),
                "text/csv"
                    | "application/csv"
                    | "text/plain"
                    | "application/vnd.ms-excel"
                    | "application/octet-stream"
            )
        });
        if !ok {
            return Err(ApiError::UnsupportedMediaType(
                "send the file as CSV, with \"Content-Type: text/csv\"".into(),
            ));
        }
        Ok(CsvBody(body_bytes(req).await?))
    }
}

/// A JSON body that may be left out (empty): `None` then. A body that is
/// there must be JSON (`application/json`), else a 415.
pub struct OptionalJson<T>(pub Option<T>);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, _: &S) -> Result<Self, ApiError> {
        let json = media_type(&req).map(|t| t == "application/json" || t.ends_with("+json"));
        let b = body_bytes(req).await?;
        if b.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        if json != Some(true) {
            return Err(ApiError::UnsupportedMediaType(
                "send the body as JSON with \"Content-Type: application/json\"".into(),
            ));
        }
        serde_json::from_slice(&b)
            .map(|v| OptionalJson(Some(v)))
            .map_err(|e| {
                if e.is_data() {
                    ApiError::Invalid(
                        clef_domain::FieldError::new("body", "invalid-body", e.to_string()).into(),
                    )
                } else {
                    ApiError::BadRequest(format!("the body is not valid JSON: {e}"))
                }
            })
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route(
            "/api/v1/customers",
            get(customers::list).post(customers::create),
        )
        .route(
            "/api/v1/customers/{id}",
            get(customers::get_one)
                .put(customers::update)
                .delete(customers::delete),
        )
        .route(
            "/api/v1/customers/{id}/contacts",
            get(customers::list_contacts).post(customers::create_contact),
        )
        .route("/api/v1/customers/{id}/revenue", get(customers::revenue))
        .route("/api/v1/customers/{id}/history", get(customers::history))
        .route(
            "/api/v1/customers/{id}/history/{entry}/restore",
            post(customers::restore_contact),
        )
        .route(
            "/api/v1/customers/{id}/contracts",
            get(contracts::list).post(contracts::create),
        )
        .route("/api/v1/contracts", get(contracts::renewals))
        .route(
            "/api/v1/contracts/{id}",
            get(contracts::get_one)
                .put(contracts::update)
                .delete(contracts::delete),
        )
        .route(
            "/api/v1/contacts/{id}",
            get(customers::get_contact)
                .put(customers::update_contact)
                .delete(customers::delete_contact),
        )
        .route("/api/v1/revenue-lines", post(reference::upsert_revenue))
        .route(
            "/api/v1/customer-groups",
            get(reference::list_groups).post(reference::create_group),
        )
        .route(
            "/api/v1/customer-groups/deleted",
            get(reference::deleted_groups),
        )
        .route(
            "/api/v1/customer-groups/deleted/{entry}/restore",
            post(reference::restore_group),
        )
        .route(
            "/api/v1/customer-groups/{id}",
            get(reference::get_group)
                .put(reference::update_group)
                .delete(reference::delete_group),
        )
        .route(
            "/api/v1/business-units",
            get(reference::list_business_units).post(reference::create_business_unit),
        )
        .route(
            "/api/v1/business-units/{id}",
            axum::routing::put(reference::rename_business_unit),
        )
        .route("/api/v1/users", get(users::list).post(users::create))
        .route("/api/v1/users/me", get(users::me))
        .route("/api/v1/users/{id}", get(users::get_one).put(users::update))
        .route("/api/v1/imports/{kind}", post(imports::import))
        .route(
            "/api/v1/segmentations",
            get(segmentation::list).post(segmentation::create),
        )
        .route("/api/v1/segmentations/deleted", get(segmentation::deleted))
        .route(
            "/api/v1/segmentations/deleted/{entry}/restore",
            post(segmentation::restore),
        )
        .route(
            "/api/v1/segmentations/{id}",
            get(segmentation::get_one)
                .put(segmentation::update)
                .delete(segmentation::delete),
        )
        .route(
            "/api/v1/segmentations/{id}/preview",
            post(segmentation::preview),
        )
        .route(
            "/api/v1/segmentations/{id}/apply",
            post(segmentation::apply_one),
        )
        .route(
            "/api/v1/segmentations/{id}/snapshots",
            get(segmentation::snapshots),
        )
        .route(
            "/api/v1/segmentations/{id}/export.csv",
            get(segmentation::export),
        )
        .route("/api/v1/snapshots/compare", get(segmentation::compare))
        .route(
            "/api/v1/selection/criteria",
            get(selection::criteria)
                .put(selection::set_weights)
                .post(selection::add_criterion),
        )
        .route("/api/v1/selection/candidates", get(selection::candidates))
        .route(
            "/api/v1/customers/{id}/selection",
            get(selection::selection),
        )
        .route(
            "/api/v1/customers/{id}/selection/scores",
            axum::routing::put(selection::set_scores),
        )
        .route(
            "/api/v1/customers/{id}/selection/propose",
            post(selection::propose),
        )
        .route(
            "/api/v1/customers/{id}/selection/approve",
            post(selection::approve),
        )
        .route(
            "/api/v1/customers/{id}/selection/reject",
            post(selection::reject),
        )
        .route(
            "/api/v1/customers/{id}/selection/deselect",
            post(selection::deselect),
        )
        .route("/api/v1/program/managers", get(selection::managers))
        .route(
            "/api/v1/customers/{id}/stakeholders",
            get(relationships::stakeholders),
        )
        .route(
            "/api/v1/customers/{id}/stakeholders/map.svg",
            get(relationships::map),
        )
        .route(
            "/api/v1/customers/{id}/stakeholders.csv",
            get(relationships::stakeholders_csv).post(relationships::import_stakeholders),
        )
        .route(
            "/api/v1/contacts/{id}/stakeholder",
            axum::routing::put(relationships::set_stakeholder),
        )
        .route(
            "/api/v1/colleagues",
            get(relationships::colleagues).post(relationships::create_colleague),
        )
        .route(
            "/api/v1/colleagues/deleted",
            get(relationships::deleted_colleagues),
        )
        .route(
            "/api/v1/colleagues/deleted/{entry}/restore",
            post(relationships::restore_colleague),
        )
        .route(
            "/api/v1/colleagues/{id}",
            axum::routing::put(relationships::update_colleague)
                .delete(relationships::delete_colleague),
        )
        .route(
            "/api/v1/customers/{id}/links",
            post(relationships::create_link),
        )
        .route(
            "/api/v1/customers/{id}/links.csv",
            get(relationships::links_csv).post(relationships::import_links),
        )
        .route(
            "/api/v1/links/{id}",
            axum::routing::put(relationships::update_link).delete(relationships::delete_link),
        )
        .route(
            "/api/v1/customers/{id}/interactions",
            get(relationships::interactions).post(relationships::record_interaction),
        )
        .route(
            "/api/v1/interactions/{id}",
            axum::routing::delete(relationships::delete_interaction),
        )
        .route(
            "/api/v1/customers/{id}/coverage",
            get(relationships::coverage),
        )
        .route("/api/v1/coverage", get(relationships::portfolio_coverage))
        .route(
            "/api/v1/customers/{id}/team",
            get(relationships::team).post(relationships::add_member),
        )
        .route(
            "/api/v1/team-members/{id}",
            axum::routing::put(relationships::update_member).delete(relationships::remove_member),
        )
        .route("/api/v1/sponsorship", get(relationships::sponsorship))
        .route(
            "/api/v1/customers/{id}/sponsor",
            axum::routing::put(relationships::set_sponsor),
        )
        .route(
            "/api/v1/settings/relationships",
            get(relationships::settings).put(relationships::set_settings),
        )
        .route(
            "/api/v1/meeting-formats",
            get(rituals::formats).post(rituals::create_format),
        )
        .route(
            "/api/v1/meeting-formats/{id}",
            axum::routing::put(rituals::update_format),
        )
        .route(
            "/api/v1/customers/{id}/meetings",
            get(rituals::account_meetings).post(rituals::create_account_meeting),
        )
        .route(
            "/api/v1/customers/{id}/meetings/plan",
            post(rituals::plan_account),
        )
        .route(
            "/api/v1/program/meetings",
            get(rituals::program_meetings).post(rituals::create_program_meeting),
        )
        .route("/api/v1/program/meetings/plan", post(rituals::plan_program))
        .route(
            "/api/v1/program/meetings/deleted",
            get(rituals::deleted_program_meetings),
        )
        .route(
            "/api/v1/program/meetings/deleted/{entry}/restore",
            post(rituals::restore_program_meeting),
        )
        .route(
            "/api/v1/meetings/{id}",
            get(rituals::get_meeting)
                .put(rituals::update_meeting)
                .delete(rituals::delete_meeting),
        )
        .route(
            "/api/v1/meetings/{id}/reschedule",
            post(rituals::reschedule),
        )
        .route(
            "/api/v1/meetings/{id}/evaluation",
            axum::routing::put(rituals::evaluate),
        )
        .route(
            "/api/v1/meetings/{id}/actions",
            get(rituals::actions).post(rituals::create_action),
        )
        .route("/api/v1/meetings/{id}/ics", get(rituals::meeting_ics))
        .route(
            "/api/v1/meeting-actions/deleted/{entry}/restore",
            post(rituals::restore_action),
        )
        .route(
            "/api/v1/meetings/{id}/actions/deleted",
            get(rituals::deleted_actions),
        )
        .route(
            "/api/v1/meeting-actions/{id}",
            axum::routing::put(rituals::update_action).delete(rituals::delete_action),
        )
        .route(
            "/api/v1/meeting-actions/{id}/status",
            axum::routing::put(rituals::set_action_status),
        )
        .route(
            "/api/v1/me/meeting-actions",
            get(rituals::my_meeting_actions),
        )
        .route(
            "/api/v1/calendar-feeds",
            get(rituals::feeds).post(rituals::create_feed),
        )
        .route(
            "/api/v1/calendar-feeds/{id}",
            axum::routing::delete(rituals::revoke_feed),
        )
        .route("/api/v1/plans", get(plans::list))
        .route("/api/v1/me/actions", get(plans::my_actions))
        .route("/api/v1/customers/{id}/plan", get(plans::plan))
        .route(
            "/api/v1/customers/{id}/plan/versions",
            post(plans::create_version),
        )
        .route("/api/v1/plan-versions/compare", get(plans::compare))
        .route(
            "/api/v1/plan-versions/{id}",
            get(plans::get_version)
                .put(plans::update_version)
                .delete(plans::delete_version),
        )
        .route("/api/v1/plan-versions/{id}/submit", post(plans::submit))
        .route("/api/v1/plan-versions/{id}/approve", post(plans::approve))
        .route(
            "/api/v1/plan-versions/{id}/return",
            post(plans::return_to_draft),
        )
        .route("/api/v1/plan-versions/{id}/archive", post(plans::archive))
        .route(
            "/api/v1/plan-versions/{id}/actions/{index}/status",
            axum::routing::put(plans::set_action_status),
        )
        .route(
            "/api/v1/plan-versions/{id}/documents/{name}",
            get(plans::document),
        )
        .fallback(|uri: axum::http::Uri| async move {
            ApiError::NotFound(format!(
                "there is no API endpoint at {}; see /api/v1/openapi.json",
                uri.path()
            ))
        })
}
