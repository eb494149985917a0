//! Relationships: the stakeholder map, colleagues, our links to the
//! customer's people, interactions, coverage, account teams, sponsorship,
//! and the CSV files of stakeholders and links.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::{
    AppState,
    auth::{ApiUser, CurrentUser},
    error::ApiError,
    i18n::Tr,
    relationships::{self as rel, Access, People, access},
};
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use clef_domain::{
    Date, FieldError, FieldErrors, OptionalText, RequiredText,
    policy::Action,
    relationships::{
        Frequency, InteractionKind, StakeholderInput, TeamFunction, over_allocated,
        parse_one_to_five, parse_share,
    },
};
use clef_store::{InteractionInput, LinkInput, TeamInput, Who};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

// ---------- the stakeholder map ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    pub contact_id: i64,
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<String>,
    /// decision_maker, influencer, buyer, user or gatekeeper.
    pub buying_role: Option<String>,
    /// executive, management or operational.
    pub level: Option<String>,
    pub function: Option<String>,
    pub reports_to_id: Option<i64>,
    /// champion … opponent; only for the account's people (null otherwise).
    pub attitude: Option<String>,
    /// 1–5; only for the account's people (null otherwise).
    pub influence: Option<i64>,
    pub next_action: Option<String>,
    pub next_action_on: Option<String>,
    /// The last interaction they took part in (YYYY-MM-DD).
    pub last_contact: Option<String>,
    /// The profile's edit counter (0 before any profile).
    pub version: i64,
    /// Coverage gaps: uncovered_influential, not_met, opponent_without_action.
    pub gaps: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkOut {
    pub id: i64,
    pub contact_id: i64,
    pub user_id: Option<i64>,
    pub colleague_id: Option<i64>,
    /// Our person's name.
    pub name: String,
    pub owner_id: Option<i64>,
    /// 1 (acquaintance) to 5 (trusted).
    pub strength: i64,
    /// weekly, monthly, quarterly, yearly or ad_hoc.
    pub frequency: String,
    pub last_interaction: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StakeholdersOut {
    pub customer_id: i64,
    /// Whether attitude and influence are shown to you.
    pub sensitive_visible: bool,
    /// Whether you may record profiles, links and interactions.
    pub can_write: bool,
    /// Contacts not met for more days than this are flagged.
    pub coverage_days: i64,
    pub people: Vec<PersonOut>,
    pub links: Vec<LinkOut>,
}

pub(crate) fn link_out(l: &clef_store::LinkRow, people: &People) -> LinkOut {
    LinkOut {
        id: l.link.id,
        contact_id: l.link.contact_id,
        user_id: l.link.user_id,
        colleague_id: l.link.colleague_id,
        name: l.who().map(|w| people.name(&w)).unwrap_or_default(),
        owner_id: l.link.owner_id,
        strength: l.link.strength,
        frequency: l.link.frequency.clone(),
        last_interaction: l.last_interaction.clone(),
        notes: l.link.notes.clone(),
        version: l.link.version,
    }
}

/// Everything the map page and API show of one account.
pub(crate) struct MapData {
    pub a: Access,
    pub rows: Vec<clef_store::StakeholderRow>,
    pub links: Vec<clef_store::LinkRow>,
    pub gaps: HashMap<i64, Vec<clef_domain::relationships::Gap>>,
    pub people: People,
    pub days: i64,
}

pub(crate) async fn map_data(st: &AppState, u: &CurrentUser, id: i64) -> Result<MapData, ApiError> {
    let a = access(st, u, id).await?;
    u.require(Action::ReadPortfolio)?;
    let today = rel::today().to_string();
    let rows = st.store.stakeholders_of(id, &today).await?;
    let links = st.store.links_of(id, &today).await?;
    let days = st.store.settings().await?.coverage_days;
    let gaps = rel::gaps_of(&rows, &links, days, a.sensitive);
    Ok(MapData {
        people: People::load(st).await?,
        a,
        rows,
        links,
        gaps,
        days,
    })
}

pub(crate) fn person_out(r: &clef_store::StakeholderRow, d: &MapData) -> PersonOut {
    let p = r.profile.as_ref();
    PersonOut {
        contact_id: r.contact.id,
        name: rel::contact_name(&r.contact),
        job_title: r.contact.job_title.clone(),
        email: r.contact.email.clone(),
        buying_role: p.and_then(|p| p.buying_role.clone()),
        level: p.and_then(|p| p.level.clone()),
        function: p.and_then(|p| p.function.clone()),
        reports_to_id: p.and_then(|p| p.reports_to_id),
        attitude: p.and_then(|p| p.attitude.clone()).filter(|_| d.a.sensitive),
        influence: p.and_then(|p| p.influence).filter(|_| d.a.sensitive),
        next_action: p.and_then(|p| p.next_action.clone()),
        next_action_on: p.and_then(|p| p.next_action_on.clone()),
        last_contact: r.last_contact.clone(),
        version: p.map_or(0, |p| p.version),
        gaps: d
            .gaps
            .get(&r.contact.id)
            .map(|g| g.iter().map(|g| g.as_str().to_owned()).collect())
            .unwrap_or_default(),
    }
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/stakeholders", tag = "relationships", params(("id" = i64, Path)),
    responses((status = 200, body = StakeholdersOut), (status = 404, description = "No such customer")),
    security(("bearer" = [])))]
pub async fn stakeholders(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StakeholdersOut>, ApiError> {
    let d = map_data(&st, &u, id).await?;
    Ok(Json(StakeholdersOut {
        customer_id: id,
        sensitive_visible: d.a.sensitive,
        can_write: d.a.write,
        coverage_days: d.days,
        people: d.rows.iter().map(|r| person_out(r, &d)).collect(),
        links: d.links.iter().map(|l| link_out(l, &d.people)).collect(),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StakeholderIn {
    /// Required: the profile's edit counter as read (0 before any profile).
    pub version: Option<i64>,
    pub buying_role: Option<String>,
    pub level: Option<String>,
    pub function: Option<String>,
    /// Another contact of the same customer.
    pub reports_to_id: Option<i64>,
    pub attitude: Option<String>,
    pub influence: Option<i64>,
    pub next_action: Option<String>,
    pub next_action_on: Option<String>,
}

impl StakeholderIn {
    pub(crate) fn input(&self) -> StakeholderInput {
        StakeholderInput {
            buying_role: self.buying_role.clone(),
            level: self.level.clone(),
            function: self.function.clone(),
            reports_to_id: self.reports_to_id,
            attitude: self.attitude.clone(),
            influence: self.influence,
            next_action: self.next_action.clone(),
            next_action_on: self.next_action_on.clone(),
        }
    }
}

#[utoipa::path(put, path = "/api/v1/contacts/{id}/stakeholder", tag = "relationships", params(("id" = i64, Path)),
    request_body = StakeholderIn,
    responses((status = 200, body = PersonOut),
              (status = 409, description = "Changed by someone else meanwhile"),
              (status = 422, description = "Invalid field(s), each named; a reports-to loop or a boss from another customer is refused")),
    security(("bearer" = [])))]
pub async fn set_stakeholder(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StakeholderIn>,
) -> Result<Json<PersonOut>, ApiError> {
    let c = st.store.contact(id).await?;
    let a = access(&st, &u, c.customer_id).await?;
    if !a.write {
        return Err(ApiError::Forbidden(
            "only the account's KAM, its team and directors record its stakeholders".into(),
        ));
    }
    let Some(version) = body.version else {
        return Err(FieldError::new(
            "version",
            "required",
            "version is required: send the profile's version as read (0 before any profile)",
        )
        .into());
    };
    let s = body.input().parse()?;
    st.store
        .set_stakeholder(u.id(), id, Some(version), &s)
        .await?;
    let d = map_data(&st, &u, c.customer_id).await?;
    let r = d
        .rows
        .iter()
        .find(|r| r.contact.id == id)
        .ok_or(ApiError::NotFound("contact not found".into()))?;
    Ok(Json(person_out(r, &d)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LangQuery {
    /// fr or en; by default your language.
    pub lang: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/stakeholders/map.svg", tag = "relationships",
    params(("id" = i64, Path), LangQuery),
    responses((status = 200, content_type = "image/svg+xml", description = "The reports-to tree as SVG: attitude as colour, influence as size, our links")),
    security(("bearer" = [])))]
pub async fn map(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> Result<Response, ApiError> {
    let d = map_data(&st, &u, id).await?;
    let locale = super::plans::doc_locale(q.lang.as_deref(), &headers, &u)?;
    let tr = Tr {
        i18n: &st.i18n,
        locale,
    };
    let svg = rel::map_svg(
        &tr,
        &d.a.customer.name,
        &d.rows,
        &d.links,
        &d.people,
        d.a.sensitive,
    );
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        svg,
    )
        .into_response())
}

// ---------- colleagues ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct ColleagueOut {
    pub id: i64,
    pub name: String,
    pub function: Option<String>,
    pub business_unit_id: Option<i64>,
    pub email: Option<String>,
    pub version: i64,
}

impl From<clef_store::colleague::Model> for ColleagueOut {
    fn from(c: clef_store::colleague::Model) -> Self {
        Self {
            id: c.id,
            name: c.name,
            function: c.function,
            business_unit_id: c.business_unit_id,
            email: c.email,
            version: c.version,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/colleagues", tag = "relationships",
    responses((status = 200, body = [ColleagueOut])), security(("bearer" = [])))]
pub async fn colleagues(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<ColleagueOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(
        st.store
            .colleagues()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ColleagueIn {
    pub name: String,
    pub function: Option<String>,
    pub business_unit_id: Option<i64>,
    pub email: Option<String>,
    /// The version the change was read at (required to change a colleague).
    pub version: Option<i64>,
}

/// A colleague's fields, checked.
struct ColleagueFields {
    name: String,
    function: Option<String>,
    email: Option<String>,
    business_unit_id: Option<i64>,
}

impl ColleagueFields {
    fn input(&self) -> clef_store::ColleagueInput<'_> {
        clef_store::ColleagueInput {
            name: &self.name,
            function: self.function.as_deref(),
            business_unit_id: self.business_unit_id,
            email: self.email.as_deref(),
        }
    }
}

fn parse_colleague(body: &ColleagueIn) -> Result<ColleagueFields, ApiError> {
    let mut e = FieldErrors::new();
    let name = e.take(RequiredText::parse("name", &body.name, 200));
    let function = e
        .take(OptionalText::parse(
            "function",
            body.function.as_deref(),
            100,
        ))
        .and_then(OptionalText::into_option);
    let email = match body
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(m) => e
            .take(clef_domain::Email::parse("email", m))
            .map(|m| m.as_str().to_owned()),
        None => None,
    };
    match name {
        Some(name) if e.is_empty() => Ok(ColleagueFields {
            name: name.into_string(),
            function,
            email,
            business_unit_id: body.business_unit_id,
        }),
        _ => Err(ApiError::Invalid(e)),
    }
}

pub(crate) async fn add_colleague(
    st: &AppState,
    u: &CurrentUser,
    body: &ColleagueIn,
) -> Result<clef_store::colleague::Model, ApiError> {
    u.require(Action::ManageColleagues)?;
    let c = parse_colleague(body)?;
    Ok(st.store.create_colleague(u.id(), &c.input()).await?)
}

/// Corrects a colleague, at the version it was read at.
pub(crate) async fn change_colleague(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
    body: &ColleagueIn,
) -> Result<clef_store::colleague::Model, ApiError> {
    u.require(Action::ManageColleagues)?;
    let c = parse_colleague(body)?;
    let version = body
        .version
        .ok_or_else(|| ApiError::Invalid(FieldError::required("version").into()))?;
    Ok(st
        .store
        .update_colleague(u.id(), id, version, &c.input())
        .await?)
}

#[utoipa::path(delete, path = "/api/v1/colleagues/{id}", tag = "relationships",
    params(("id" = i64, Path), crate::api::dto::VersionQuery),
    responses((status = 204, description = "Deleted (kept in the audit trail)"), (status = 404, description = "No such colleague"),
              (status = 409, description = "Stale version, or the colleague is in relationship links, account teams or interactions")),
    security(("bearer" = [])))]
pub async fn delete_colleague(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    crate::api::ApiQuery(v): crate::api::ApiQuery<crate::api::dto::VersionQuery>,
) -> Result<StatusCode, ApiError> {
    u.require(Action::ManageColleagues)?;
    st.store.delete_colleague(u.id(), id, v.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A colleague deleted and not restored.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedColleagueOut {
    /// The history entry of the deletion: what a restore names.
    pub entry: i64,
    /// When they were deleted (RFC 3339 UTC).
    pub deleted_at: String,
    /// Who deleted them.
    pub deleted_by: Option<i64>,
    pub name: String,
    pub function: Option<String>,
    pub email: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/colleagues/deleted", tag = "relationships",
    responses((status = 200, body = [DeletedColleagueOut], description = "The latest 50 deleted and not restored, the latest first"),
              (status = 403, description = "Only those who may restore them")),
    security(("bearer" = [])))]
pub async fn deleted_colleagues(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<DeletedColleagueOut>>, ApiError> {
    u.require(Action::ManageColleagues)?;
    Ok(Json(
        st.store
            .deleted_colleagues()
            .await?
            .into_iter()
            .map(|c| DeletedColleagueOut {
                entry: c.entry_id,
                deleted_at: clef_domain::rfc3339(c.deleted_at),
                deleted_by: c.deleted_by,
                name: c.name,
                function: c.function,
                email: c.email,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/colleagues/deleted/{entry}/restore", tag = "relationships",
    params(("entry" = i64, Path, description = "The history entry of the deletion")),
    responses((status = 201, body = ColleagueOut, description = "Restored under a new id, with their name, function, business unit and e-mail"),
              (status = 404, description = "No such deleted colleague"),
              (status = 409, description = "Restored already")),
    security(("bearer" = [])))]
pub async fn restore_colleague(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(entry): ApiPath<i64>,
) -> Result<(StatusCode, Json<ColleagueOut>), ApiError> {
    u.require(Action::ManageColleagues)?;
    let c = st.store.restore_colleague(u.id(), entry).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

#[utoipa::path(put, path = "/api/v1/colleagues/{id}", tag = "relationships", params(("id" = i64, Path)),
    request_body = ColleagueIn,
    responses((status = 200, body = ColleagueOut), (status = 409, description = "Changed by someone else since it was read"),
              (status = 422, description = "Invalid field(s), each named; the version is required")),
    security(("bearer" = [])))]
pub async fn update_colleague(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ColleagueIn>,
) -> Result<Json<ColleagueOut>, ApiError> {
    Ok(Json(change_colleague(&st, &u, id, &body).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/colleagues", tag = "relationships", request_body = ColleagueIn,
    responses((status = 201, body = ColleagueOut), (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn create_colleague(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(body): ApiJson<ColleagueIn>,
) -> Result<Response, ApiError> {
    let c = add_colleague(&st, &u, &body).await?;
    Ok((StatusCode::CREATED, Json(ColleagueOut::from(c))).into_response())
}

// ---------- links ----------

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIn {
    /// A contact of this customer.
    pub contact_id: i64,
    /// Our person: a user …
    pub user_id: Option<i64>,
    /// … or a colleague (exactly one of the two).
    pub colleague_id: Option<i64>,
    /// Who looks after the link (a user).
    pub owner_id: Option<i64>,
    /// 1 (acquaintance) to 5 (trusted).
    pub strength: i64,
    /// weekly, monthly, quarterly, yearly or ad_hoc (default).
    pub frequency: Option<String>,
    pub notes: Option<String>,
    /// The edit counter, when changing a link.
    pub version: Option<i64>,
}

pub(crate) fn parse_link(b: &LinkIn) -> Result<LinkInput, ApiError> {
    let mut e = FieldErrors::new();
    let who = match (b.user_id, b.colleague_id) {
        (Some(u), None) => Some(Who::User(u)),
        (None, Some(c)) => Some(Who::Colleague(c)),
        _ => {
            e.push(FieldError::new(
                "user_id",
                "one-of",
                "give either user_id (a Clef user) or colleague_id (a colleague), exactly one",
            ));
            None
        }
    };
    let strength = e.take(parse_one_to_five("strength", b.strength));
    let frequency = match b
        .frequency
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(f) => e.take(Frequency::parse("frequency", f)),
        None => Some(Frequency::AdHoc),
    };
    let notes = e
        .take(OptionalText::parse("notes", b.notes.as_deref(), 2000))
        .and_then(OptionalText::into_option);
    match (who, strength, frequency) {
        (Some(who), Some(strength), Some(frequency)) if e.is_empty() => Ok(LinkInput {
            contact_id: b.contact_id,
            who,
            owner_id: b.owner_id,
            strength,
            frequency,
            notes,
        }),
        _ => Err(ApiError::Invalid(e)),
    }
}

fn must_write(a: &Access) -> Result<(), ApiError> {
    if a.write {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the account's KAM, its team and directors record its relationships".into(),
        ))
    }
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/links", tag = "relationships", params(("id" = i64, Path)),
    request_body = LinkIn,
    responses((status = 201, body = LinkOut), (status = 409, description = "This person is already linked to this contact"),
              (status = 422, description = "Invalid field(s); a contact of another customer is refused")),
    security(("bearer" = [])))]
pub async fn create_link(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LinkIn>,
) -> Result<Response, ApiError> {
    let a = access(&st, &u, id).await?;
    must_write(&a)?;
    let l = parse_link(&body)?;
    let m = st.store.create_link(u.id(), id, &l).await?;
    let today = rel::today().to_string();
    let rows = st.store.links_of(id, &today).await?;
    let people = People::load(&st).await?;
    let row = rows
        .iter()
        .find(|r| r.link.id == m.id)
        .ok_or(ApiError::NotFound("link not found".into()))?;
    Ok((StatusCode::CREATED, Json(link_out(row, &people))).into_response())
}

#[utoipa::path(put, path = "/api/v1/links/{id}", tag = "relationships", params(("id" = i64, Path)),
    request_body = LinkIn,
    responses((status = 200, body = LinkOut), (status = 409, description = "Changed meanwhile, or a duplicate"),
              (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn update_link(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LinkIn>,
) -> Result<Json<LinkOut>, ApiError> {
    let before = st.store.link(id).await?;
    let a = access(&st, &u, before.customer_id).await?;
    must_write(&a)?;
    let l = parse_link(&body)?;
    let Some(v) = body.version else {
        return Err(FieldError::new(
            "version",
            "required",
            "version is required: send the version you read",
        )
        .into());
    };
    st.store.update_link(u.id(), id, v, &l).await?;
    let today = rel::today().to_string();
    let rows = st.store.links_of(before.customer_id, &today).await?;
    let people = People::load(&st).await?;
    let row = rows
        .iter()
        .find(|r| r.link.id == id)
        .ok_or(ApiError::NotFound("link not found".into()))?;
    Ok(Json(link_out(row, &people)))
}

#[utoipa::path(delete, path = "/api/v1/links/{id}", tag = "relationships", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted (kept in the audit trail)")), security(("bearer" = [])))]
pub async fn delete_link(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let l = st.store.link(id).await?;
    must_write(&access(&st, &u, l.customer_id).await?)?;
    st.store.delete_link(u.id(), id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------- interactions ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct InteractionOut {
    pub id: i64,
    /// meeting, call, email, visit or event.
    pub kind: String,
    /// YYYY-MM-DD; a future date is a planned interaction.
    pub occurred_on: String,
    pub subject: String,
    pub notes: Option<String>,
    pub contact_ids: Vec<i64>,
    pub user_ids: Vec<i64>,
    pub colleague_ids: Vec<i64>,
}

pub(crate) fn interaction_out(r: clef_store::InteractionRow) -> InteractionOut {
    InteractionOut {
        id: r.interaction.id,
        kind: r.interaction.kind,
        occurred_on: r.interaction.occurred_on,
        subject: r.interaction.subject,
        notes: r.interaction.notes,
        contact_ids: r.contacts,
        user_ids: r.ours.iter().filter_map(Who::user).collect(),
        colleague_ids: r.ours.iter().filter_map(Who::colleague).collect(),
    }
}

/// The page of a customer's interactions to read.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InteractionQuery {
    /// 1-based.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// 1–500, 50 when not sent.
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<u64>,
}

/// A page of a customer's interactions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct InteractionPage {
    pub items: Vec<InteractionOut>,
    pub page: u64,
    pub per_page: u64,
    /// How many the customer has in all.
    pub total: u64,
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/interactions", tag = "relationships",
    params(("id" = i64, Path), InteractionQuery),
    responses((status = 200, body = InteractionPage, description = "Newest first"),
              (status = 404, description = "No such customer"),
              (status = 422, description = "Invalid page, or an unknown parameter")), security(("bearer" = [])))]
pub async fn interactions(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<InteractionQuery>,
) -> Result<Json<InteractionPage>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let page = clef_domain::PageRequest::parse(q.page, q.per_page, 50)
        .map_err(|e| ApiError::Invalid(e.into()))?;
    st.store.customer(id).await?;
    let p = st.store.interactions_page(id, page).await?;
    Ok(Json(InteractionPage {
        items: p.items.into_iter().map(interaction_out).collect(),
        page: p.page,
        per_page: p.per_page,
        total: p.total,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionIn {
    /// meeting, call, email, visit or event.
    pub kind: String,
    /// YYYY-MM-DD; a future date plans it.
    pub occurred_on: String,
    pub subject: String,
    pub notes: Option<String>,
    /// The customer's people who took part (at least one).
    pub contact_ids: Vec<i64>,
    #[serde(default)]
    pub user_ids: Vec<i64>,
    #[serde(default)]
    pub colleague_ids: Vec<i64>,
}

pub(crate) fn parse_interaction(b: &InteractionIn) -> Result<InteractionInput, ApiError> {
    let mut e = FieldErrors::new();
    let kind = e.take(InteractionKind::parse("kind", &b.kind));
    let on = e.take(Date::parse("occurred_on", &b.occurred_on));
    let subject = e.take(RequiredText::parse("subject", &b.subject, 300));
    let notes = e
        .take(OptionalText::parse("notes", b.notes.as_deref(), 4000))
        .and_then(OptionalText::into_option);
    if b.contact_ids.is_empty() {
        e.push(FieldError::new(
            "contact_ids",
            "required",
            "contact_ids: name at least one of the customer's people who took part",
        ));
    }
    let sent = b.contact_ids.len() + b.user_ids.len() + b.colleague_ids.len();
    let max = clef_domain::rituals::PARTICIPANTS_MAX;
    if sent > max {
        e.push(FieldError::new(
            "contact_ids",
            "too-many",
            format!("an interaction names at most {max} people, not {sent}"),
        ));
    }
    match (kind, on, subject) {
        (Some(kind), Some(occurred_on), Some(subject)) if e.is_empty() => Ok(InteractionInput {
            kind,
            occurred_on,
            subject: subject.into_string(),
            notes,
            contact_ids: b.contact_ids.clone(),
            ours: b
                .user_ids
                .iter()
                .map(|u| Who::User(*u))
                .chain(b.colleague_ids.iter().map(|c| Who::Colleague(*c)))
                .collect(),
        }),
        _ => Err(ApiError::Invalid(e)),
    }
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/interactions", tag = "relationships", params(("id" = i64, Path)),
    request_body = InteractionIn,
    responses((status = 201, body = InteractionOut, description = "Recorded: the contacts' last contact and the links' recency follow"),
              (status = 422, description = "Invalid field(s); contacts of another customer are refused")),
    security(("bearer" = [])))]
pub async fn record_interaction(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<InteractionIn>,
) -> Result<Response, ApiError> {
    must_write(&access(&st, &u, id).await?)?;
    let x = parse_interaction(&body)?;
    let m = st.store.record_interaction(u.id(), id, &x).await?;
    let row = st.store.interaction_row(m.id).await?;
    Ok((StatusCode::CREATED, Json(interaction_out(row))).into_response())
}

#[utoipa::path(delete, path = "/api/v1/interactions/{id}", tag = "relationships", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted (kept in the audit trail)")), security(("bearer" = [])))]
pub async fn delete_interaction(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let i = st.store.interaction(id).await?;
    must_write(&access(&st, &u, i.customer_id).await?)?;
    st.store.delete_interaction(u.id(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------- coverage ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct GapOut {
    pub customer_id: i64,
    pub customer_name: String,
    pub contact_id: i64,
    pub name: String,
    pub gaps: Vec<String>,
    pub last_contact: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageOut {
    pub coverage_days: i64,
    pub items: Vec<GapOut>,
}

/// The gaps of the key accounts a user may see the sensitive side of (or
/// of one customer).
pub(crate) async fn coverage_of(
    st: &AppState,
    u: &CurrentUser,
    only: Option<i64>,
) -> Result<CoverageOut, ApiError> {
    let days = st.store.settings().await?.coverage_days;
    let today = rel::today().to_string();
    let mut ids = Vec::new();
    let mut names = HashMap::new();
    let mut sensitive = HashMap::new();
    match only {
        Some(id) => {
            let a = access(st, u, id).await?;
            names.insert(id, a.customer.name.clone());
            sensitive.insert(id, a.sensitive);
            ids.push(id);
        }
        None => {
            let teams = st.store.teams_of_user(u.user.id).await?;
            for r in st.store.plan_rows().await? {
                let c = &r.customer;
                if c.status != "key_account" {
                    continue;
                }
                let see = u.can(Action::SeeStakeholderSensitive {
                    owner: c.owner_id.map(clef_domain::UserId),
                    sponsor: c.sponsor_id.map(clef_domain::UserId),
                    in_team: teams.contains(&c.id),
                });
                if see {
                    names.insert(c.id, c.name.clone());
                    sensitive.insert(c.id, true);
                    ids.push(c.id);
                }
            }
        }
    }
    let rows = st.store.stakeholders_of_many(&ids, &today).await?;
    let links = st.store.links_of_many(&ids, &today).await?;
    let mut by_customer: HashMap<i64, (Vec<clef_store::StakeholderRow>, Vec<clef_store::LinkRow>)> =
        HashMap::new();
    for (cid, r) in rows {
        by_customer.entry(cid).or_default().0.push(r);
    }
    for l in links {
        by_customer.entry(l.link.customer_id).or_default().1.push(l);
    }
    let mut items = Vec::new();
    for id in &ids {
        let Some((rows, links)) = by_customer.get(id) else {
            continue;
        };
        let g = rel::gaps_of(
            rows,
            links,
            days,
            sensitive.get(id).copied().unwrap_or(false),
        );
        for r in rows {
            if let Some(gs) = g.get(&r.contact.id).filter(|g| !g.is_empty()) {
                items.push(GapOut {
                    customer_id: *id,
                    customer_name: names.get(id).cloned().unwrap_or_default(),
                    contact_id: r.contact.id,
                    name: rel::contact_name(&r.contact),
                    gaps: gs.iter().map(|g| g.as_str().to_owned()).collect(),
                    last_contact: r.last_contact.clone(),
                });
            }
        }
    }
    items.sort_by(|a, b| (&a.customer_name, &a.name).cmp(&(&b.customer_name, &b.name)));
    Ok(CoverageOut {
        coverage_days: days,
        items,
    })
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/coverage", tag = "relationships", params(("id" = i64, Path)),
    responses((status = 200, body = CoverageOut)), security(("bearer" = [])))]
pub async fn coverage(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CoverageOut>, ApiError> {
    Ok(Json(coverage_of(&st, &u, Some(id)).await?))
}

#[utoipa::path(get, path = "/api/v1/coverage", tag = "relationships",
    responses((status = 200, body = CoverageOut, description = "Every key account whose relationships you may see in full")),
    security(("bearer" = [])))]
pub async fn portfolio_coverage(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<CoverageOut>, ApiError> {
    Ok(Json(coverage_of(&st, &u, None).await?))
}

// ---------- account team ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMemberOut {
    pub id: i64,
    pub user_id: Option<i64>,
    pub colleague_id: Option<i64>,
    pub name: String,
    /// sales, logistics, marketing, production, finance, quality, customer_service, engineering or other.
    pub function: String,
    pub dedicated: bool,
    pub share_pct: i64,
    /// Their share of time across every account team.
    pub total_share_pct: i64,
    /// More than 100 % in all.
    pub over_allocated: bool,
    pub version: i64,
}

pub(crate) fn member_out(r: &clef_store::TeamRow, people: &People) -> TeamMemberOut {
    let (total, over) = over_allocated(&[r.total_share]);
    TeamMemberOut {
        id: r.member.id,
        user_id: r.member.user_id,
        colleague_id: r.member.colleague_id,
        name: r.who().map(|w| people.name(&w)).unwrap_or_default(),
        function: r.member.function.clone(),
        dedicated: r.member.dedicated,
        share_pct: r.member.share_pct,
        total_share_pct: total,
        over_allocated: over,
        version: r.member.version,
    }
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/team", tag = "relationships", params(("id" = i64, Path)),
    responses((status = 200, body = [TeamMemberOut])), security(("bearer" = [])))]
pub async fn team(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<TeamMemberOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    st.store.customer(id).await?;
    let people = People::load(&st).await?;
    Ok(Json(
        st.store
            .team(id)
            .await?
            .iter()
            .map(|r| member_out(r, &people))
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMemberIn {
    /// A user …
    pub user_id: Option<i64>,
    /// … or a colleague (exactly one, when adding).
    pub colleague_id: Option<i64>,
    pub function: String,
    #[serde(default)]
    pub dedicated: bool,
    /// Share of their time given to this account, 0–100.
    pub share_pct: i64,
    /// The edit counter, when changing a member.
    pub version: Option<i64>,
}

pub(crate) fn parse_member(
    b: &TeamMemberIn,
    adding: bool,
) -> Result<(Option<Who>, TeamFunction, i64), ApiError> {
    let mut e = FieldErrors::new();
    let who = match (b.user_id, b.colleague_id) {
        (Some(u), None) => Some(Who::User(u)),
        (None, Some(c)) => Some(Who::Colleague(c)),
        _ if adding => {
            e.push(FieldError::new(
                "user_id",
                "one-of",
                "give either user_id or colleague_id, exactly one",
            ));
            None
        }
        _ => None,
    };
    let f = e.take(TeamFunction::parse("function", &b.function));
    let s = e.take(parse_share("share_pct", b.share_pct));
    match (f, s) {
        (Some(f), Some(s)) if e.is_empty() => Ok((who, f, s)),
        _ => Err(ApiError::Invalid(e)),
    }
}

fn must_manage(a: &Access) -> Result<(), ApiError> {
    if a.manage_team {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the account's KAM and directors change its team".into(),
        ))
    }
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/team", tag = "relationships", params(("id" = i64, Path)),
    request_body = TeamMemberIn,
    responses((status = 201, body = TeamMemberOut, description = "Added; over_allocated warns above 100 % across accounts"),
              (status = 409, description = "Already on the team"), (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn add_member(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TeamMemberIn>,
) -> Result<Response, ApiError> {
    must_manage(&access(&st, &u, id).await?)?;
    let (who, function, share) = parse_member(&body, true)?;
    let Some(who) = who else {
        return Err(FieldError::new(
            "user_id",
            "one-of",
            "give either user_id or colleague_id, exactly one",
        )
        .into());
    };
    let m = st
        .store
        .add_team_member(
            u.id(),
            id,
            &TeamInput {
                who,
                function,
                dedicated: body.dedicated,
                share_pct: share,
            },
        )
        .await?;
    let people = People::load(&st).await?;
    let rows = st.store.team(id).await?;
    let r = rows
        .iter()
        .find(|r| r.member.id == m.id)
        .ok_or(ApiError::NotFound("member not found".into()))?;
    Ok((StatusCode::CREATED, Json(member_out(r, &people))).into_response())
}

#[utoipa::path(put, path = "/api/v1/team-members/{id}", tag = "relationships", params(("id" = i64, Path)),
    request_body = TeamMemberIn,
    responses((status = 200, body = TeamMemberOut), (status = 409, description = "Changed meanwhile")),
    security(("bearer" = [])))]
pub async fn update_member(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TeamMemberIn>,
) -> Result<Json<TeamMemberOut>, ApiError> {
    let m = st.store.team_member(id).await?;
    must_manage(&access(&st, &u, m.customer_id).await?)?;
    // A member stays the same person: another one is added as a member.
    for (field, sent, is) in [
        ("user_id", body.user_id, m.user_id),
        ("colleague_id", body.colleague_id, m.colleague_id),
    ] {
        if sent.is_some() && sent != is {
            return Err(FieldError::new(
                field,
                "conflict",
                format!("{field}: a member's person cannot change; add the other person as a member, and remove this one"),
            )
            .into());
        }
    }
    let (_, function, share) = parse_member(&body, false)?;
    let Some(v) = body.version else {
        return Err(FieldError::new(
            "version",
            "required",
            "version is required: send the version you read",
        )
        .into());
    };
    st.store
        .update_team_member(u.id(), id, v, function, body.dedicated, share)
        .await?;
    let people = People::load(&st).await?;
    let rows = st.store.team(m.customer_id).await?;
    let r = rows
        .iter()
        .find(|r| r.member.id == id)
        .ok_or(ApiError::NotFound("member not found".into()))?;
    Ok(Json(member_out(r, &people)))
}

#[utoipa::path(delete, path = "/api/v1/team-members/{id}", tag = "relationships", params(("id" = i64, Path)),
    responses((status = 204, description = "Removed (kept in the audit trail)")), security(("bearer" = [])))]
pub async fn remove_member(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let m = st.store.team_member(id).await?;
    must_manage(&access(&st, &u, m.customer_id).await?)?;
    st.store.remove_team_member(u.id(), id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------- sponsorship and settings ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct SponsoredOut {
    pub customer_id: i64,
    pub customer_name: String,
    pub sponsor_id: Option<i64>,
    pub sponsor_name: Option<String>,
    /// The sponsor's last contact with the customer's executives.
    pub last_contact: Option<String>,
    /// Their next planned one.
    pub next_contact: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SponsorLoadOut {
    pub user_id: i64,
    pub name: String,
    pub accounts: i64,
    pub over_limit: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SponsorshipOut {
    /// The most key accounts one sponsor should hold.
    pub sponsor_limit: i64,
    pub accounts: Vec<SponsoredOut>,
    pub sponsors: Vec<SponsorLoadOut>,
    /// Key accounts without a sponsor.
    pub without_sponsor: i64,
}

pub(crate) async fn sponsorship_of(st: &AppState) -> Result<SponsorshipOut, ApiError> {
    let limit = st.store.settings().await?.sponsor_limit;
    let rows = st.store.sponsorship(&rel::today().to_string()).await?;
    let users = st.store.list_users().await?;
    let names: HashMap<i64, String> = users.iter().map(|u| (u.id, u.name.clone())).collect();
    let mut load: HashMap<i64, i64> = HashMap::new();
    for r in &rows {
        if let Some(s) = r.customer.sponsor_id {
            *load.entry(s).or_default() += 1;
        }
    }
    let mut sponsors: Vec<SponsorLoadOut> = users
        .iter()
        .filter(|u| u.active && (u.role == "sponsor" || load.contains_key(&u.id)))
        .map(|u| {
            let n = load.get(&u.id).copied().unwrap_or(0);
            SponsorLoadOut {
                user_id: u.id,
                name: u.name.clone(),
                accounts: n,
                over_limit: n > limit,
            }
        })
        .collect();
    sponsors.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(SponsorshipOut {
        sponsor_limit: limit,
        without_sponsor: rows
            .iter()
            .filter(|r| r.customer.sponsor_id.is_none())
            .count() as i64,
        accounts: rows
            .into_iter()
            .map(|r| SponsoredOut {
                customer_id: r.customer.id,
                customer_name: r.customer.name.clone(),
                sponsor_id: r.customer.sponsor_id,
                sponsor_name: r.customer.sponsor_id.and_then(|s| names.get(&s).cloned()),
                last_contact: r.last,
                next_contact: r.next,
            })
            .collect(),
        sponsors,
    })
}

#[utoipa::path(get, path = "/api/v1/sponsorship", tag = "relationships",
    responses((status = 200, body = SponsorshipOut)), security(("bearer" = [])))]
pub async fn sponsorship(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<SponsorshipOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(sponsorship_of(&st).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SponsorIn {
    /// A user of role sponsor or director; null removes the sponsor.
    pub sponsor_id: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/customers/{id}/sponsor", tag = "relationships", params(("id" = i64, Path)),
    request_body = SponsorIn,
    responses((status = 204, description = "Set"), (status = 403, description = "Directors only"),
              (status = 422, description = "Not an executive sponsor")),
    security(("bearer" = [])))]
pub async fn set_sponsor(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SponsorIn>,
) -> Result<StatusCode, ApiError> {
    u.require(Action::ManageProgram)?;
    st.store
        .set_sponsor(u.id(), id, body.sponsor_id, None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsIo {
    /// A contact not met for more days than this is a coverage gap (1–3650).
    pub coverage_days: i64,
    /// The most key accounts one executive sponsor should hold (1–100).
    pub sponsor_limit: i64,
}

#[utoipa::path(get, path = "/api/v1/settings/relationships", tag = "relationships",
    responses((status = 200, body = SettingsIo)), security(("bearer" = [])))]
pub async fn settings(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<SettingsIo>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let s = st.store.settings().await?;
    Ok(Json(SettingsIo {
        coverage_days: s.coverage_days,
        sponsor_limit: s.sponsor_limit,
    }))
}

#[utoipa::path(put, path = "/api/v1/settings/relationships", tag = "relationships", request_body = SettingsIo,
    responses((status = 200, body = SettingsIo), (status = 403, description = "Directors only"),
              (status = 422, description = "Out of range, each named")),
    security(("bearer" = [])))]
pub async fn set_settings(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(body): ApiJson<SettingsIo>,
) -> Result<Json<SettingsIo>, ApiError> {
    u.require(Action::ManageProgram)?;
    st.store
        .set_settings(
            u.id(),
            &clef_store::Settings {
                coverage_days: body.coverage_days,
                sponsor_limit: body.sponsor_limit,
            },
            None,
        )
        .await?;
    Ok(Json(body))
}

// ---------- CSV ----------

/// A CSV download.
pub(crate) fn csv_response(name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/stakeholders.csv", tag = "relationships", params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", description = "The contacts with their stakeholder profile, as CSV (attitude and influence only for the account's people)")),
    security(("bearer" = [])))]
pub async fn stakeholders_csv(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let d = map_data(&st, &u, id).await?;
    Ok(csv_response(
        &format!("stakeholders-{id}.csv"),
        crate::relationships_csv::stakeholders(&d),
    ))
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/links.csv", tag = "relationships", params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", description = "Our relationship links with this customer's people, as CSV")),
    security(("bearer" = [])))]
pub async fn links_csv(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let d = map_data(&st, &u, id).await?;
    let users = st.store.list_users().await?;
    Ok(csv_response(
        &format!("links-{id}.csv"),
        crate::relationships_csv::links(&d, &users),
    ))
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/stakeholders.csv", tag = "relationships", params(("id" = i64, Path)),
    request_body(content = String, content_type = "text/csv", description = "Columns as in the export; a row without contact_id creates a contact"),
    responses((status = 200, description = "Every row imported"),
              (status = 422, description = "Nothing imported; import.errors names each line, column and reason")),
    security(("bearer" = [])))]
pub async fn import_stakeholders(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::CsvBody(body): super::CsvBody,
) -> Result<Json<clef_store::ImportReport>, ApiError> {
    let a = access(&st, &u, id).await?;
    must_write(&a)?;
    let r = crate::relationships_csv::import_stakeholders(&st, u.id(), id, &body, a.manage_team)
        .await?;
    if r.errors.is_empty() {
        Ok(Json(r))
    } else {
        Err(ApiError::ImportRejected(r))
    }
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/links.csv", tag = "relationships", params(("id" = i64, Path)),
    request_body(content = String, content_type = "text/csv", description = "Columns as in the export; an existing pair is updated"),
    responses((status = 200, description = "Every row imported"),
              (status = 422, description = "Nothing imported; import.errors names each line, column and reason")),
    security(("bearer" = [])))]
pub async fn import_links(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::CsvBody(body): super::CsvBody,
) -> Result<Json<clef_store::ImportReport>, ApiError> {
    must_write(&access(&st, &u, id).await?)?;
    let r = crate::relationships_csv::import_links(&st, u.id(), id, &body).await?;
    if r.errors.is_empty() {
        Ok(Json(r))
    } else {
        Err(ApiError::ImportRejected(r))
    }
}
