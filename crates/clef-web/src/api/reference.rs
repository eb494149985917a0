//! Customer groups, business units and revenue lines in bulk.

use super::{ApiJson, ApiPath, dto::*};
use crate::{
    AppState,
    auth::{ApiUser, CurrentUser},
    error::ApiError,
};
use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use clef_domain::{FieldError, FieldErrors, RevenueLineInput, policy::Action};

#[utoipa::path(get, path = "/api/v1/customer-groups", tag = "groups",
    responses((status = 200, body = [GroupOut])), security(("bearer" = [])))]
pub async fn list_groups(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<GroupOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(
        st.store
            .list_groups()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/customer-groups", tag = "groups", request_body = GroupIn,
    responses((status = 201, body = GroupOut), (status = 422, description = "Invalid field(s)")), security(("bearer" = [])))]
pub async fn create_group(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(b): ApiJson<GroupIn>,
) -> Result<Response, ApiError> {
    u.require(Action::WriteReferenceData)?;
    let g = st
        .store
        .create_group(u.id(), &b.name, &b.scope, b.country.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(GroupOut::from(g))).into_response())
}

#[utoipa::path(get, path = "/api/v1/customer-groups/{id}", tag = "groups", params(("id" = i64, Path)),
    responses((status = 200, body = GroupDetailOut), (status = 404, description = "No such group")), security(("bearer" = [])))]
pub async fn get_group(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<GroupDetailOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let g = st.store.group(id).await?;
    let (members, total) = st.store.group_members(id, 100).await?;
    Ok(Json(GroupDetailOut {
        group: g.into(),
        customer_count: total,
        customers: members
            .into_iter()
            .map(|c| Ref {
                id: c.id,
                name: c.name,
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/business-units", tag = "business units",
    responses((status = 200, body = [BusinessUnitOut])), security(("bearer" = [])))]
pub async fn list_business_units(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<BusinessUnitOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(
        st.store
            .list_business_units()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/business-units", tag = "business units", request_body = BusinessUnitIn,
    responses((status = 201, body = BusinessUnitOut), (status = 409, description = "Code taken")), security(("bearer" = [])))]
pub async fn create_business_unit(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(b): ApiJson<BusinessUnitIn>,
) -> Result<Response, ApiError> {
    u.require(Action::WriteReferenceData)?;
    let m = st
        .store
        .create_business_unit(u.id(), &b.code, &b.name)
        .await?;
    Ok((StatusCode::CREATED, Json(BusinessUnitOut::from(m))).into_response())
}

fn version_of(v: Option<i64>) -> Result<i64, ApiError> {
    v.ok_or_else(|| {
        ApiError::field(
            "version",
            "required",
            "version is required: send the version you read",
        )
    })
}

#[utoipa::path(put, path = "/api/v1/business-units/{id}", tag = "business units", params(("id" = i64, Path)),
    request_body = BusinessUnitRename,
    responses((status = 200, body = BusinessUnitOut), (status = 404, description = "No such business unit"),
              (status = 409, description = "Stale version"), (status = 422, description = "Invalid name")),
    security(("bearer" = [])))]
pub async fn rename_business_unit(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<BusinessUnitRename>,
) -> Result<Json<BusinessUnitOut>, ApiError> {
    u.require(Action::WriteReferenceData)?;
    let version = version_of(b.version)?;
    let m = st
        .store
        .rename_business_unit(u.id(), id, version, &b.name)
        .await?;
    Ok(Json(m.into()))
}

#[utoipa::path(put, path = "/api/v1/customer-groups/{id}", tag = "groups", params(("id" = i64, Path)),
    request_body = GroupIn,
    responses((status = 200, body = GroupOut), (status = 404, description = "No such group"),
              (status = 409, description = "Stale version, or the name is another group's"),
              (status = 422, description = "Invalid field(s)")),
    security(("bearer" = [])))]
pub async fn update_group(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<GroupIn>,
) -> Result<Json<GroupOut>, ApiError> {
    u.require(Action::WriteReferenceData)?;
    let version = version_of(b.version)?;
    let g = st
        .store
        .update_group(u.id(), id, version, &b.name, &b.scope, b.country.as_deref())
        .await?;
    Ok(Json(g.into()))
}

#[utoipa::path(delete, path = "/api/v1/customer-groups/{id}", tag = "groups", params(("id" = i64, Path), VersionQuery),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such group"),
              (status = 409, description = "Stale version, or customers still belong to the group")),
    security(("bearer" = [])))]
pub async fn delete_group(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::ApiQuery(v): super::ApiQuery<VersionQuery>,
) -> Result<StatusCode, ApiError> {
    u.require(Action::WriteReferenceData)?;
    st.store.delete_group(u.id(), id, v.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A customer group deleted and not restored.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DeletedGroupOut {
    /// The history entry of its deletion: what a restore names.
    pub entry: i64,
    /// When it was deleted (RFC 3339 UTC).
    pub deleted_at: String,
    /// Who deleted it.
    pub deleted_by: Option<i64>,
    pub name: String,
    /// national, regional or global.
    pub scope: String,
    pub country: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/customer-groups/deleted", tag = "groups",
    responses((status = 200, body = [DeletedGroupOut], description = "The latest 50 deleted and not restored, the latest first"),
              (status = 403, description = "Only those who may restore them (admins and directors)")),
    security(("bearer" = [])))]
pub async fn deleted_groups(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<DeletedGroupOut>>, ApiError> {
    u.require(Action::WriteReferenceData)?;
    Ok(Json(
        st.store
            .deleted_groups()
            .await?
            .into_iter()
            .map(|g| DeletedGroupOut {
                entry: g.entry_id,
                deleted_at: clef_domain::rfc3339(g.deleted_at),
                deleted_by: g.deleted_by,
                name: g.name,
                scope: g.scope,
                country: g.country,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/customer-groups/deleted/{entry}/restore", tag = "groups",
    params(("entry" = i64, Path, description = "The history entry of the deletion")),
    responses((status = 201, body = GroupOut, description = "Restored under a new id, with its name, scope and country"),
              (status = 404, description = "No such deleted group"),
              (status = 409, description = "Restored already, or another group has its name now")),
    security(("bearer" = [])))]
pub async fn restore_group(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(entry): ApiPath<i64>,
) -> Result<(StatusCode, Json<GroupOut>), ApiError> {
    u.require(Action::WriteReferenceData)?;
    let g = st.store.restore_group(u.id(), entry).await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}

const MAX_LINES: usize = 100_000;

/// Checks that `u`, who may not import in bulk, owns each customer of
/// `ids` that exists (those that do not are named line by line later).
async fn may_write_revenue_of(
    st: &AppState,
    u: &CurrentUser,
    ids: impl Iterator<Item = i64>,
) -> Result<(), ApiError> {
    u.require(Action::WriteCustomer {
        owner: Some(u.actor.id),
    })?;
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let owners = st.store.customer_owners(&ids).await?;
    let others: Vec<String> = ids
        .iter()
        .filter(|id| {
            owners.get(id).is_some_and(|o| {
                !u.can(Action::WriteCustomer {
                    owner: o.map(clef_domain::UserId),
                })
            })
        })
        .map(ToString::to_string)
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    let shown = others
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = others.len().saturating_sub(10);
    Err(ApiError::Forbidden(format!(
        "you may write the revenue only of the customers you own; not of customer {shown}{}: nothing was written",
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )))
}

#[utoipa::path(post, path = "/api/v1/revenue-lines", tag = "revenue", request_body = RevenueBatchIn,
    responses((status = 200, body = WrittenOut, description = "Every line written (replacing the same customer, business unit and month)"),
              (status = 403, description = "Admins and directors write any customer's revenue; KAMs and account managers only that of the customers they own (nothing is written)"),
              (status = 422, description = "Nothing written; each bad line is named")),
    security(("bearer" = [])))]
pub async fn upsert_revenue(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(b): ApiJson<RevenueBatchIn>,
) -> Result<Json<WrittenOut>, ApiError> {
    if b.lines.len() > MAX_LINES {
        return Err(ApiError::field(
            "lines",
            "too-many",
            format!("send at most {MAX_LINES} lines per request, or import a CSV file"),
        ));
    }
    if !u.can(Action::BulkImport) {
        may_write_revenue_of(&st, &u, b.lines.iter().map(|l| l.customer_id)).await?;
    }
    // A line without a currency is in its customer's.
    let mut unnamed: Vec<i64> = b
        .lines
        .iter()
        .filter(|l| l.currency.as_deref().is_none_or(|c| c.trim().is_empty()))
        .map(|l| l.customer_id)
        .collect();
    unnamed.sort_unstable();
    unnamed.dedup();
    let currencies = st.store.customer_currencies(&unnamed).await?;
    let mut errs = FieldErrors::new();
    let mut lines = Vec::with_capacity(b.lines.len());
    for (i, l) in b.lines.iter().enumerate() {
        let currency = match l.currency.as_deref().map(str::trim) {
            None | Some("") => currencies.get(&l.customer_id).cloned(),
            Some(c) => Some(c.to_owned()),
        };
        let input = RevenueLineInput {
            customer_id: l.customer_id,
            business_unit_id: l.business_unit_id,
            period: l.period.clone(),
            revenue_cents: l.revenue_cents,
            margin_cents: l.margin_cents,
            currency,
        };
        match input.parse() {
            Ok(x) => lines.push(x),
            Err(e) => {
                for f in e.0 {
                    errs.push(FieldError::new(
                        &format!("lines[{i}].{}", f.field),
                        f.code,
                        format!("line {}: {}", i + 1, f.message),
                    ));
                }
            }
        }
    }
    if !errs.is_empty() {
        return Err(ApiError::Invalid(errs));
    }
    let written = st.store.upsert_revenue(u.id(), &lines).await?;
    Ok(Json(WrittenOut { written }))
}
