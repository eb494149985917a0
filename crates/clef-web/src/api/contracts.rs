//! `/api/v1/contracts`: customers' contracts and the renewals across the
//! portfolio.

use super::{ApiJson, ApiPath, ApiQuery, dto::VersionQuery};
use crate::{AppState, auth::ApiUser, error::ApiError};
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use clef_domain::{
    Currency, Date, FieldErrors, PageRequest, UserId,
    contract::{ContractInput, Renewal},
    policy::Action,
};
use clef_store::{ContractRow, RenewalFilter, RenewalSort, contract};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A contract to create or replace.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractIn {
    /// 1–200 characters.
    #[schema(example = "Framework supply agreement")]
    pub title: String,
    /// The contract's own number, up to 100 characters.
    pub reference: Option<String>,
    /// `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    /// The renewal (or end) date, `YYYY-MM-DD`; not before `starts_on`.
    #[schema(example = "2027-06-30")]
    pub renews_on: String,
    /// Days before `renews_on` by which notice must be given (0–730).
    pub notice_days: Option<i64>,
    /// Renews by itself unless notice is given. False when not sent.
    pub auto_renew: Option<bool>,
    /// The yearly value in minor units (cents), 0 or more.
    pub annual_value_cents: Option<i64>,
    /// ISO 4217; when not sent, the customer's currency for a new contract
    /// and the contract's own for a replaced one.
    pub currency: Option<String>,
    pub notes: Option<String>,
    /// Required to replace: the version you read.
    pub version: Option<i64>,
}

impl ContractIn {
    fn input(&self) -> ContractInput {
        ContractInput {
            title: self.title.clone(),
            reference: self.reference.clone(),
            starts_on: self.starts_on.clone(),
            renews_on: self.renews_on.clone(),
            notice_days: self.notice_days,
            auto_renew: self.auto_renew.unwrap_or(false),
            annual_value_cents: self.annual_value_cents,
            currency: self.currency.clone(),
            notes: self.notes.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractOut {
    pub id: i64,
    pub customer_id: i64,
    pub title: String,
    pub reference: Option<String>,
    pub starts_on: Option<String>,
    pub renews_on: String,
    pub notice_days: Option<i64>,
    pub auto_renew: bool,
    pub annual_value_cents: Option<i64>,
    pub currency: String,
    pub notes: Option<String>,
    /// The last day to give notice: `renews_on` less `notice_days`.
    pub decide_by: String,
    /// Where it stands today: `passed` (the renewal date is past),
    /// `notice-passed` (the last day to give notice is past), `decide` (the
    /// last day to decide is within 90 days) or `later`.
    pub renewal: String,
    pub version: i64,
}

impl From<contract::Model> for ContractOut {
    fn from(c: contract::Model) -> Self {
        let renewal = Date::parse("renews_on", &c.renews_on)
            .map_or(Renewal::Later, |r| {
                Renewal::of(r, c.notice_days, crate::plans::today())
            })
            .key()
            .to_owned();
        Self {
            id: c.id,
            customer_id: c.customer_id,
            title: c.title,
            reference: c.reference,
            starts_on: c.starts_on,
            renews_on: c.renews_on,
            notice_days: c.notice_days,
            auto_renew: c.auto_renew,
            annual_value_cents: c.annual_value_cents,
            currency: c.currency,
            notes: c.notes,
            decide_by: c.decide_by,
            renewal,
            version: c.version,
        }
    }
}

/// A contract in the renewals list, with its customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalOut {
    pub contract: ContractOut,
    pub customer_name: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
}

impl From<ContractRow> for RenewalOut {
    fn from(r: ContractRow) -> Self {
        Self {
            contract: r.contract.into(),
            customer_name: r.customer_name,
            owner_id: r.owner_id,
            owner_name: r.owner_name,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalPage {
    pub items: Vec<RenewalOut>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// Filters and page of the renewals list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RenewalQuery {
    /// Contracts whose last day to decide (`decide_by`) is on or before
    /// this day, `YYYY-MM-DD` (those passed included); every contract when
    /// not sent.
    pub until: Option<String>,
    /// Only the customers of this owner.
    pub owner_id: Option<i64>,
    /// Only contracts whose customer's name starts with this, or with a word
    /// of their title or reference that does (case and accents ignored).
    pub q: Option<String>,
    /// decide_by (the default), renews_on or annual_value (by currency
    /// code, then amount within a currency); prefix with - to reverse the
    /// amounts. Contracts without a value come last either way.
    pub sort: Option<String>,
    /// 1-based.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// 1–500, 50 when not sent.
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<u64>,
}

/// Reads the renewals list's filters, naming every bad value.
pub fn renewal_filter(q: &RenewalQuery) -> Result<(RenewalFilter, PageRequest), ApiError> {
    let mut e = FieldErrors::new();
    let until = match q.until.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => e.take(Date::parse("until", s)),
    };
    let text = e
        .take(clef_domain::OptionalText::parse("q", q.q.as_deref(), 200))
        .and_then(clef_domain::OptionalText::into_option);
    let page = e.take(PageRequest::parse(q.page, q.per_page, 50));
    let (sort, descending) = match q.sort.as_deref().map(str::trim) {
        None | Some("") => Default::default(),
        Some(raw) => RenewalSort::parse(raw).unwrap_or_else(|| {
            let keys: Vec<&str> = RenewalSort::ALL.iter().map(|(k, _)| *k).collect();
            e.push(clef_domain::FieldError::new(
                "sort",
                "invalid-sort",
                format!(
                    "sort must be one of {} (prefix with - to reverse), not \"{raw}\"",
                    keys.join(", ")
                ),
            ));
            Default::default()
        }),
    };
    match page {
        Some(p) if e.is_empty() => Ok((
            RenewalFilter {
                until,
                owner_id: q.owner_id,
                q: text,
                sort,
                descending,
            },
            p,
        )),
        _ => Err(ApiError::Invalid(e)),
    }
}

#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracts", params(RenewalQuery),
    responses((status = 200, body = RenewalPage), (status = 422, description = "Invalid filter")),
    security(("bearer" = [])))]
pub async fn renewals(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<RenewalQuery>,
) -> Result<Json<RenewalPage>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let (f, p) = renewal_filter(&q)?;
    let page = st.store.renewals(&f, p).await?;
    Ok(Json(RenewalPage {
        page: page.page,
        per_page: page.per_page,
        total: page.total,
        items: page.items.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/contracts", tag = "contracts", params(("id" = i64, Path)),
    responses((status = 200, body = [ContractOut]), (status = 404, description = "No such customer")),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ContractOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    st.store.customer(id).await?;
    let items = st.store.list_contracts(id).await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

/// The customer's currency, the default of its contracts' values.
pub(crate) fn currency_of(c: &clef_store::customer::Model) -> Currency {
    Currency::parse("currency", &c.currency).unwrap_or(Currency::EUR)
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/contracts", tag = "contracts", params(("id" = i64, Path)),
    request_body = ContractIn,
    responses((status = 201, body = ContractOut), (status = 404, description = "No such customer"),
              (status = 422, description = "Invalid field(s)")),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContractIn>,
) -> Result<Response, ApiError> {
    let c = st.store.customer(id).await?;
    u.require(Action::WriteCustomer {
        owner: c.owner_id.map(UserId),
    })?;
    let fields = body.input().parse(currency_of(&c))?;
    let m = st.store.create_contract(u.id(), id, &fields).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/contracts/{}", m.id))],
        Json(ContractOut::from(m)),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = i64, Path)),
    responses((status = 200, body = ContractOut), (status = 404, description = "No such contract")),
    security(("bearer" = [])))]
pub async fn get_one(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ContractOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(st.store.contract(id).await?.into()))
}

/// The contract, once the user may change its customer.
async fn writable(
    st: &AppState,
    u: &crate::auth::CurrentUser,
    id: i64,
) -> Result<contract::Model, ApiError> {
    let k = st.store.contract(id).await?;
    let c = st.store.customer(k.customer_id).await?;
    u.require(Action::WriteCustomer {
        owner: c.owner_id.map(UserId),
    })?;
    Ok(k)
}

#[utoipa::path(put, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = i64, Path)),
    request_body = ContractIn,
    responses((status = 200, body = ContractOut), (status = 404, description = "No such contract"),
              (status = 409, description = "Stale version"), (status = 422, description = "Invalid field(s)")),
    security(("bearer" = [])))]
pub async fn update(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContractIn>,
) -> Result<Json<ContractOut>, ApiError> {
    let k = writable(&st, &u, id).await?;
    let version = body.version.ok_or_else(|| {
        ApiError::field(
            "version",
            "required",
            "version is required: send the version you read",
        )
    })?;
    // Without a currency the value stays in the contract's own.
    let own = Currency::parse("currency", &k.currency).unwrap_or(Currency::EUR);
    let fields = body.input().parse(own)?;
    Ok(Json(
        st.store
            .update_contract(u.id(), id, version, &fields)
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = i64, Path), VersionQuery),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such contract"),
              (status = 409, description = "Stale version")),
    security(("bearer" = [])))]
pub async fn delete(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(v): ApiQuery<VersionQuery>,
) -> Result<StatusCode, ApiError> {
    writable(&st, &u, id).await?;
    st.store.delete_contract(u.id(), id, v.version).await?;
    Ok(StatusCode::NO_CONTENT)
}
