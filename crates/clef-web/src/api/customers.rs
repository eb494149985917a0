//! `/api/v1/customers` and `/api/v1/contacts`.

use super::{ApiJson, ApiPath, ApiQuery, dto::*};
use crate::{AppState, auth::ApiUser, error::ApiError};
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use clef_domain::{
    Currency, CustomerStatus, FieldErrors, PageRequest, Period, ServiceTier, SortDir,
    policy::Action, share_of_wallet, trailing_twelve_months, yearly_figures,
};
use clef_store::{CustomerFilter, CustomerSort};

/// The list's filters and sort as the API and the portfolio page receive them.
#[derive(Default)]
pub struct FilterText<'a> {
    pub q: Option<&'a str>,
    pub status: Option<&'a str>,
    pub tier: Option<&'a str>,
    pub country: Option<&'a str>,
    pub region: Option<&'a str>,
    pub sort: Option<&'a str>,
    pub business_unit_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub group_id: Option<i64>,
    pub parent_id: Option<i64>,
}

/// A value that is not blank.
fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Parses the filters and sort; each bad value is added to `e` and ignored.
pub fn parse_filter(
    t: &FilterText<'_>,
    e: &mut FieldErrors,
) -> (CustomerFilter, CustomerSort, SortDir) {
    let mut text = |field: &str, v: Option<&str>| {
        e.take(clef_domain::OptionalText::parse(field, v, 200))
            .and_then(clef_domain::OptionalText::into_option)
    };
    let q = text("q", t.q);
    let region = text("region", t.region);
    let filter = CustomerFilter {
        q,
        status: given(t.status).and_then(|s| e.take(CustomerStatus::parse("status", s))),
        tier: given(t.tier).and_then(|s| e.take(ServiceTier::parse("tier", s))),
        country: given(t.country)
            .and_then(|s| e.take(clef_domain::CountryCode::parse("country", s)))
            .map(|c| c.as_str().to_owned()),
        region,
        business_unit_id: t.business_unit_id,
        owner_id: t.owner_id,
        group_id: t.group_id,
        parent_id: t.parent_id,
        within_words: false,
    };
    let (sort, dir) = given(t.sort)
        .and_then(|s| e.take(CustomerSort::parse(s)))
        .unwrap_or_default();
    (filter, sort, dir)
}

/// Turns the list's query into a store filter, naming any bad value.
pub fn filter_from(
    q: &CustomerQuery,
) -> Result<(CustomerFilter, CustomerSort, SortDir, PageRequest), ApiError> {
    let mut e = FieldErrors::new();
    let text = FilterText {
        q: q.q.as_deref(),
        status: q.status.as_deref(),
        tier: q.tier.as_deref(),
        country: q.country.as_deref(),
        region: q.region.as_deref(),
        sort: q.sort.as_deref(),
        business_unit_id: q.business_unit_id,
        owner_id: q.owner_id,
        group_id: q.group_id,
        parent_id: q.parent_id,
    };
    let (filter, sort, dir) = parse_filter(&text, &mut e);
    match e.take(PageRequest::parse(q.page, q.per_page, 50)) {
        Some(page) if e.is_empty() => Ok((filter, sort, dir, page)),
        _ => Err(ApiError::Invalid(e)),
    }
}

#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(CustomerQuery),
    responses((status = 200, body = CustomerPage), (status = 400, description = "Unreadable query"),
              (status = 401, description = "No valid token"), (status = 422, description = "Invalid filter")),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<CustomerQuery>,
) -> Result<Json<CustomerPage>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let (f, sort, dir, page) = filter_from(&q)?;
    let (p, within_words) = st.store.search_customers(&f, sort, dir, page).await?;
    Ok(Json(CustomerPage {
        within_words,
        page: p.page,
        per_page: p.per_page,
        total: p.total,
        total_is_exact: p.total_is_exact,
        items: p.items.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = CustomerIn,
    responses((status = 201, body = CustomerOut), (status = 403, description = "Not allowed"),
              (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(body): ApiJson<CustomerIn>,
) -> Result<Response, ApiError> {
    // Someone who may create no customer at all is told so first, before
    // anything about the values sent.
    u.require(Action::CreateCustomer {
        owner: Some(u.actor.id),
    })?;
    let fields = body.input().parse()?;
    u.require(Action::CreateCustomer {
        owner: fields.owner_id,
    })?;
    u.check_created_status(&fields)?;
    let c = st.store.create_customer(u.id(), &fields).await?;
    let out: CustomerOut = st.store.customer_view(c.id).await?.into();
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/customers/{}", c.id))],
        Json(out),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, body = CustomerOut), (status = 404, description = "No such customer")),
    security(("bearer" = [])))]
pub async fn get_one(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CustomerOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(st.store.customer_view(id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)), request_body = CustomerIn,
    responses((status = 200, body = CustomerOut), (status = 409, description = "Changed by someone else since you read it"),
              (status = 422, description = "Invalid field(s)")),
    security(("bearer" = [])))]
pub async fn update(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CustomerIn>,
) -> Result<Json<CustomerOut>, ApiError> {
    let current = st.store.customer(id).await?;
    u.require(Action::WriteCustomer {
        owner: current.owner_id.map(clef_domain::UserId),
    })?;
    let version = body.version.ok_or_else(|| ApiError::field("version", "required", "version is required: send the version you read, so that no one else's change is overwritten"))?;
    let fields = body.input().parse()?;
    u.require(Action::WriteCustomer {
        owner: fields.owner_id,
    })?;
    st.store
        .update_customer(u.id(), id, version, &fields)
        .await?;
    Ok(Json(st.store.customer_view(id).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path), VersionQuery),
    responses((status = 204, description = "Deleted; the record stays in the audit trail"), (status = 409, description = "Stale version")),
    security(("bearer" = [])))]
pub async fn delete(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(v): ApiQuery<VersionQuery>,
) -> Result<StatusCode, ApiError> {
    let current = st.store.customer(id).await?;
    u.require(Action::WriteCustomer {
        owner: current.owner_id.map(clef_domain::UserId),
    })?;
    st.store.delete_customer(u.id(), id, v.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/contacts", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, body = [ContactOut])), security(("bearer" = [])))]
pub async fn list_contacts(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ContactOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    st.store.customer(id).await?;
    Ok(Json(
        st.store
            .list_contacts(id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/contacts", tag = "contacts", params(("id" = i64, Path)), request_body = ContactIn,
    responses((status = 201, body = ContactOut), (status = 422, description = "Invalid field(s)")), security(("bearer" = [])))]
pub async fn create_contact(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContactIn>,
) -> Result<Response, ApiError> {
    let c = st.store.customer(id).await?;
    u.require(Action::WriteCustomer {
        owner: c.owner_id.map(clef_domain::UserId),
    })?;
    let fields = body.input().parse()?;
    let m = st.store.create_contact(u.id(), id, &fields).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/contacts/{}", m.id))],
        Json(ContactOut::from(m)),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, body = ContactOut), (status = 404, description = "No such contact")), security(("bearer" = [])))]
pub async fn get_contact(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ContactOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(st.store.contact(id).await?.into()))
}

async fn contact_owner(
    st: &AppState,
    contact_id: i64,
) -> Result<Option<clef_domain::UserId>, ApiError> {
    let c = st.store.contact(contact_id).await?;
    Ok(st
        .store
        .customer(c.customer_id)
        .await?
        .owner_id
        .map(clef_domain::UserId))
}

#[utoipa::path(put, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = i64, Path)), request_body = ContactIn,
    responses((status = 200, body = ContactOut), (status = 409, description = "Stale version")), security(("bearer" = [])))]
pub async fn update_contact(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContactIn>,
) -> Result<Json<ContactOut>, ApiError> {
    u.require(Action::WriteCustomer {
        owner: contact_owner(&st, id).await?,
    })?;
    let version = body.version.ok_or_else(|| {
        ApiError::field(
            "version",
            "required",
            "version is required: send the version you read",
        )
    })?;
    let fields = body.input().parse()?;
    Ok(Json(
        st.store
            .update_contact(u.id(), id, version, &fields)
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = i64, Path), VersionQuery),
    responses((status = 204, description = "Deleted")), security(("bearer" = [])))]
pub async fn delete_contact(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(v): ApiQuery<VersionQuery>,
) -> Result<StatusCode, ApiError> {
    u.require(Action::WriteCustomer {
        owner: contact_owner(&st, id).await?,
    })?;
    st.store.delete_contact(u.id(), id, v.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The revenue figures of a customer, shared by the API and the customer page.
pub async fn revenue_of(st: &AppState, id: i64) -> Result<RevenueOut, ApiError> {
    let c = st.store.customer(id).await?;
    let lines = st.store.revenue_of(id).await?;
    let currency = Currency::parse("currency", &c.currency).unwrap_or(Currency::EUR);
    let last: Option<Period> = lines.iter().map(|l| l.period).max();
    let ttm = last.map_or(0, |p| trailing_twelve_months(&lines, p, currency));
    Ok(RevenueOut {
        customer_id: id,
        by_year: yearly_figures(&lines)
            .into_iter()
            .map(|y| YearOut {
                year: y.year,
                business_unit_id: y.business_unit_id.0,
                currency: y.currency.to_string(),
                revenue_cents: y.revenue_cents,
                margin_cents: y.margin_cents,
            })
            .collect(),
        lines: lines
            .iter()
            .map(|l| RevenueLineOut {
                business_unit_id: l.business_unit_id.0,
                period: l.period.to_string(),
                currency: l.currency.to_string(),
                revenue_cents: l.revenue_cents,
                margin_cents: l.margin_cents,
            })
            .collect(),
        trailing_12_months_cents: ttm,
        share_of_wallet: share_of_wallet(ttm, c.wallet_cents),
    })
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/revenue", tag = "revenue", params(("id" = i64, Path)),
    responses((status = 200, body = RevenueOut)), security(("bearer" = [])))]
pub async fn revenue(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RevenueOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(revenue_of(&st, id).await?))
}

/// One change in a customer's history.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct HistoryOut {
    /// The entry's number: `before` it reads the older ones.
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    /// customer, contact or contract; for deletions only, also meeting,
    /// plan_version, interaction, relationship_link or account_team.
    pub entity: String,
    pub entity_id: i64,
    /// create, update or delete; restore for a deleted contact,
    /// contract, meeting, plan draft, interaction, link or team member
    /// brought back.
    pub action: String,
    /// The record's name or title.
    pub label: String,
    /// For a deletion that was restored: the id of the record it came back
    /// as (of the same kind; a customer for the customer itself).
    pub restored_as: Option<i64>,
    /// Each field changed; for a deletion, each value the record held
    /// (`after` null): not its lists (participants, action items), nor the
    /// records it names by id (but its owner, group, business unit, parent
    /// and user), a stakeholder's attitude and influence, or a plan's
    /// content.
    pub changes: Vec<HistoryChangeOut>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct HistoryChangeOut {
    pub field: String,
    /// As stored: amounts in minor units (`*_cents`), references by id.
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// Which part of a customer's history to read.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Only the entries older than this one (its `id`): the next page.
    pub before: Option<i64>,
    /// Only this kind of record: customer, contact, contract, meeting,
    /// plan_version, interaction, relationship_link or account_team.
    pub record: Option<String>,
    /// Only the changes made by this user.
    pub user_id: Option<i64>,
    /// Only the changes made on or after this day (YYYY-MM-DD, UTC).
    pub from: Option<String>,
    /// Only the changes made on or before this day (YYYY-MM-DD, UTC).
    pub to: Option<String>,
    /// Only the entries whose record's name, author or values listed hold
    /// each of these words (whatever their case and accents; values as
    /// stored: amounts in cents, references by id, people also by name).
    pub q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/history", tag = "customers",
    params(("id" = i64, Path), HistoryQuery),
    responses((status = 200, body = [HistoryOut], description = "The latest 200 changes (before `before`, of `record`, by `user_id`, from `from` to `to`, mentioning `q` when sent) to the customer, its contacts and its contracts (deleted ones included), and the deletions of its meetings, plan drafts, interactions, relationship links and team members, newest first; a deleted customer's history stays readable"),
              (status = 404, description = "No such customer, now or ever"),
              (status = 422, description = "An unknown kind of record, a value that is not a number or not a day, or an unknown parameter")),
    security(("bearer" = [])))]
pub async fn history(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> Result<Json<Vec<HistoryOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let record = match q.record.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) if clef_store::HISTORY_RECORDS.contains(&r) => Some(r.to_owned()),
        Some(r) => {
            return Err(ApiError::Invalid(
                clef_domain::FieldError::new(
                    "record",
                    "invalid-choice",
                    format!(
                        "record must be one of {}, not \"{r}\"",
                        clef_store::HISTORY_RECORDS.join(", ")
                    ),
                )
                .into(),
            ));
        }
    };
    // A deleted customer's history stays readable (and its deletion can be
    // restored from it).
    let since = match st.store.customer(id).await {
        Ok(c) => c.created_at,
        Err(clef_store::StoreError::NotFound(what)) => match st.store.deleted_customer(id).await? {
            Some((_, _, since)) => since,
            None => return Err(clef_store::StoreError::NotFound(what).into()),
        },
        Err(e) => return Err(e.into()),
    };
    let mut e = clef_domain::FieldErrors::new();
    let mut day = |field: &str, v: &Option<String>| match v.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => e.take(clef_domain::Date::parse(field, d)),
    };
    let (from, to) = (day("from", &q.from), day("to", &q.to));
    if !e.is_empty() {
        return Err(ApiError::Invalid(e));
    }
    let filter = clef_store::HistoryFilter {
        record,
        user_id: q.user_id,
        from,
        to,
        text: q.q.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
    };
    let entries = st
        .store
        .history_since(id, since, &filter, q.before, crate::ui::HISTORY_SHOWN)
        .await?;
    let restored = st.store.restored_deletions(id).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| HistoryOut {
                id: e.id,
                at: clef_domain::rfc3339(e.at),
                user_id: e.user_id,
                user_name: e.user_name,
                entity: e.entity,
                entity_id: e.entity_id,
                restored_as: (e.action == "delete")
                    .then(|| restored.get(&e.id).copied())
                    .flatten(),
                action: e.action,
                label: e.label,
                changes: e
                    .changes
                    .into_iter()
                    .map(|(field, before, after)| HistoryChangeOut {
                        field,
                        before,
                        after,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// What a restoration brought back.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RestoredOut {
    /// customer, contact, contract, meeting, plan_version, interaction,
    /// link or team_member.
    pub record: String,
    /// Its new id.
    pub id: i64,
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/history/{entry}/restore", tag = "customers",
    params(("id" = i64, Path), ("entry" = i64, Path, description = "The history entry of the deletion of the customer itself, a contact, a contract, a meeting, a plan draft, an interaction, a relationship link or a team member")),
    responses((status = 201, body = RestoredOut, description = "The record brought back, as a new one: the customer itself (from its history, by its old id) with its contacts, revenue lines, candidate scores and the subsidiaries with no parent since (what it named that is gone left out); a contact with its stakeholder profile and, where they are still there, whom it reported to and who reported to it, its links with our people and its places in meetings and interactions; a contract with every field it had; a meeting with its minutes, evaluation and action items and those who took part and are still there (checked as a new meeting: 409 when someone is in another meeting at that time); a plan draft with its content, as the plan's next version (409 while another version is open); an interaction with those who took part and still exist; a link when its contact and our person are still there (without an owner who has gone); a team member with their function and share of time"),
              (status = 403, description = "Not allowed to change this customer (itself, contacts, contracts, team members) or its plan, or its relationships (meetings, interactions, links)"),
              (status = 404, description = "No such customer (now or deleted), or no deletion of it or of one of its contacts, contracts, meetings, plan drafts, interactions, links or team members"),
              (status = 409, description = "Restored already, or nothing left to restore it with")),
    security(("bearer" = [])))]
pub async fn restore_contact(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath((id, entry)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (record, new) = restore_deleted(&st, &u, id, entry).await?;
    let location = match record {
        // Interactions, links and team members are read in their
        // customer's lists.
        "interaction" => format!("/api/v1/customers/{id}/interactions"),
        "link" => format!("/api/v1/customers/{id}/stakeholders"),
        "team_member" => format!("/api/v1/customers/{id}/team"),
        "contract" => format!("/api/v1/contracts/{new}"),
        "meeting" => format!("/api/v1/meetings/{new}"),
        "plan_version" => format!("/api/v1/plan-versions/{new}"),
        "customer" => format!("/api/v1/customers/{new}"),
        _ => format!("/api/v1/contacts/{new}"),
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(RestoredOut {
            record: record.to_owned(),
            id: new,
        }),
    )
        .into_response())
}

/// Brings back what customer `id`'s history entry `entry` deleted, for one
/// who may: a contact for those who change the customer, an interaction for
/// the account's team. Answers the kind of record and its new id.
pub(crate) async fn restore_deleted(
    st: &AppState,
    u: &crate::auth::CurrentUser,
    id: i64,
    entry: i64,
) -> Result<(&'static str, i64), ApiError> {
    let kind = st.store.deleted_kind(id, entry).await?;
    if kind == "customer" {
        // Deleted: those who could change it, as it was.
        let owner = st.store.deleted_customer_owner(id, Some(entry)).await?;
        u.require(Action::WriteCustomer {
            owner: owner.map(clef_domain::UserId),
        })?;
        let m = st
            .store
            .restore_customer(u.id(), id, entry, u.can(Action::ManageProgram))
            .await?;
        return Ok(("customer", m.id));
    }
    let a = crate::relationships::access(st, u, id).await?;
    if !may_restore(u, &a, &kind) {
        return Err(ApiError::Forbidden(format!(
            "only those who may remove this account's {}s may bring one back",
            clef_store::record_noun(&kind)
        )));
    }
    let (me, store) = (u.id(), &st.store);
    Ok(match kind.as_str() {
        "contact" => ("contact", store.restore_contact(me, id, entry).await?.id),
        "contract" => ("contract", store.restore_contract(me, id, entry).await?.id),
        "account_team" => (
            "team_member",
            store.restore_team_member(me, id, entry).await?.id,
        ),
        "interaction" => (
            "interaction",
            store.restore_interaction(me, id, entry).await?.id,
        ),
        "relationship_link" => ("link", store.restore_link(me, id, entry).await?.id),
        "meeting" => ("meeting", store.restore_meeting(me, id, entry).await?.id),
        "plan_version" => (
            "plan_version",
            store
                .restore_plan_draft(me, id, entry, crate::plans::default_plan_year())
                .await?
                .id,
        ),
        _ => return Err(ApiError::NotFound("deleted record".into())),
    })
}

/// Whether the reader may bring back a deleted record of kind `kind` of
/// the account `a` is of: those who may remove one.
pub(crate) fn may_restore(
    u: &crate::auth::CurrentUser,
    a: &crate::relationships::Access,
    kind: &str,
) -> bool {
    match kind {
        // Those who may change the customer.
        "contact" | "contract" | "account_team" => a.manage_team,
        // The account's team.
        "interaction" | "relationship_link" => a.write,
        "meeting" => a.meetings,
        "plan_version" => u.can(crate::plans::edit_action(&a.customer)),
        _ => false,
    }
}
