//! Key account plans: versions and their workflow, comparison, the actions'
//! follow-up, "my actions", search, and the two documents.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::{
    AppState,
    auth::{ApiUser, CurrentUser},
    error::ApiError,
    i18n::Tr,
    plans::{self, PlanVsActual},
};
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use clef_domain::{
    FieldError, Locale,
    plan::{self as dplan, PlanContent, PlanStatus},
    policy::Action,
};
use clef_store::plan_version;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionSummary {
    pub id: i64,
    pub number: i64,
    /// The first year of the plan.
    pub year: i64,
    /// draft, submitted, approved or archived.
    pub status: String,
    /// Share of sections filled, 0–100.
    pub completeness_pct: u8,
    /// The edit counter to send back with a change.
    pub version: i64,
    pub based_on: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    pub approved_at: Option<String>,
    pub approved_by: Option<i64>,
    pub archived_at: Option<String>,
    /// Why it went back to draft.
    pub note: Option<String>,
}

impl From<&plan_version::Model> for VersionSummary {
    fn from(v: &plan_version::Model) -> Self {
        let t = clef_domain::rfc3339;
        Self {
            id: v.id,
            number: v.number,
            year: v.year,
            status: v.status.clone(),
            completeness_pct: v.content().completeness_pct(),
            version: v.version,
            based_on: v.based_on,
            created_at: t(v.created_at),
            updated_at: t(v.updated_at),
            submitted_at: v.submitted_at.map(t),
            approved_at: v.approved_at.map(t),
            approved_by: v.approved_by,
            archived_at: v.archived_at.map(t),
            note: v.note.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanOut {
    pub customer_id: i64,
    pub customer_name: String,
    /// Whether you may write the plan (the KAM, directors).
    pub can_edit: bool,
    pub versions: Vec<VersionSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionFill {
    pub section: String,
    pub filled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionOut {
    #[serde(flatten)]
    pub summary: VersionSummary,
    pub customer_id: i64,
    pub currency: String,
    /// The plan as written in this version (see PlanContent).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// The follow-up status of each action, in the order of content.actions.
    pub action_status: Vec<String>,
    pub completeness: Vec<SectionFill>,
    pub plan_vs_actual: Vec<PlanVsActual>,
}

async fn version_out(st: &AppState, v: &plan_version::Model) -> Result<VersionOut, ApiError> {
    let c = st.store.customer(v.customer_id).await?;
    let content = v.content();
    let effective = st.store.effective_content(v).await?;
    Ok(VersionOut {
        summary: v.into(),
        customer_id: v.customer_id,
        currency: c.currency.clone(),
        content: content.to_value(),
        action_status: effective.actions.iter().map(|a| a.status.clone()).collect(),
        completeness: content
            .completeness()
            .into_iter()
            .map(|(s, f)| SectionFill {
                section: s.into(),
                filled: f,
            })
            .collect(),
        plan_vs_actual: plans::plan_vs_actual(st, &c, &content).await?,
    })
}

/// A version the user may read, with its customer.
async fn readable_version(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
) -> Result<(plan_version::Model, clef_store::customer::Model), ApiError> {
    let v = st.store.plan_version(id).await?;
    let (c, _) = plans::readable(st, u, v.customer_id).await?;
    Ok((v, c))
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/plan", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = PlanOut), (status = 403, description = "Only the KAM, the account team, the sponsor and directors see the plan"),
              (status = 404, description = "No such customer")),
    security(("bearer" = [])))]
pub async fn plan(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlanOut>, ApiError> {
    let (c, versions) = plans::readable(&st, &u, id).await?;
    Ok(Json(PlanOut {
        customer_id: c.id,
        customer_name: c.name.clone(),
        can_edit: u.can(plans::edit_action(&c)),
        versions: versions.iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVersionIn {
    /// The plan's first year; by default the year after the last approved
    /// version, or for a first plan this year (next year from October on).
    pub year: Option<i32>,
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/plan/versions", tag = "plans", params(("id" = i64, Path)),
    request_body = NewVersionIn,
    responses((status = 201, body = VersionOut, description = "A draft, copied from the last approved version if any"),
              (status = 409, description = "Not a key account, or a draft or submitted version is still open"),
              (status = 422, description = "Invalid year")),
    security(("bearer" = [])))]
pub async fn create_version(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::OptionalJson(body): super::OptionalJson<NewVersionIn>,
) -> Result<Response, ApiError> {
    let c = st.store.customer(id).await?;
    u.require(plans::edit_action(&c))?;
    let year = body.and_then(|b| b.year);
    if let Some(y) = year
        && !(2000..=2100).contains(&y)
    {
        return Err(
            FieldError::new("year", "out-of-range", "year must be from 2000 to 2100").into(),
        );
    }
    let v = st
        .store
        .create_plan_version(u.id(), id, year, plans::default_plan_year())
        .await?;
    Ok((StatusCode::CREATED, Json(version_out(&st, &v).await?)).into_response())
}

#[utoipa::path(get, path = "/api/v1/plan-versions/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = VersionOut), (status = 403, description = "Not on this account"), (status = 404, description = "No such version")),
    security(("bearer" = [])))]
pub async fn get_version(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VersionOut>, ApiError> {
    let (v, _) = readable_version(&st, &u, id).await?;
    Ok(Json(version_out(&st, &v).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionIn {
    /// The edit counter read with the version.
    pub version: i64,
    /// The whole plan (see PlanContent).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

/// Reads a plan sent as JSON; a field of the wrong type is named.
pub(crate) fn parse_content(v: serde_json::Value) -> Result<PlanContent, ApiError> {
    // serde would read a list as the plan's fields in order: `[]` would be
    // an empty plan, saved over the whole version.
    if !v.is_object() {
        return Err(ApiError::Invalid(
            FieldError::new(
                "content",
                "invalid-body",
                "content must be the whole plan, an object {…} (as GET returns it)",
            )
            .into(),
        ));
    }
    let mut c: PlanContent = serde_json::from_value(v).map_err(|e| {
        ApiError::Invalid(
            FieldError::new(
                "content",
                "invalid-body",
                format!("content does not read as a plan: {e}"),
            )
            .into(),
        )
    })?;
    c.normalise();
    Ok(c)
}

#[utoipa::path(put, path = "/api/v1/plan-versions/{id}", tag = "plans", params(("id" = i64, Path)),
    request_body = VersionIn,
    responses((status = 200, body = VersionOut),
              (status = 409, description = "The version is not a draft (approved versions are frozen), or someone saved it meanwhile"),
              (status = 422, description = "Invalid field(s), each named: content.actions[2].due and the like")),
    security(("bearer" = [])))]
pub async fn update_version(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VersionIn>,
) -> Result<Json<VersionOut>, ApiError> {
    let v = st.store.plan_version(id).await?;
    let c = st.store.customer(v.customer_id).await?;
    u.require(plans::edit_action(&c))?;
    let content = parse_content(body.content)?;
    if v.plan_status() != PlanStatus::Draft {
        // Said before any field problem: nothing can change here.
        return Err(ApiError::Refused(v.frozen()));
    }
    let mut e = content.validate();
    e.0.extend(plans::check_users(&st, &content).await?.0);
    if !e.is_empty() {
        return Err(ApiError::Invalid(e));
    }
    let after = st
        .store
        .save_plan_content(u.id(), id, body.version, &content)
        .await?;
    Ok(Json(version_out(&st, &after).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepIn {
    /// The edit counter read with the version; omitted, the step applies to
    /// the version as it is.
    pub version: Option<i64>,
    /// Why (when returning a version to draft).
    pub note: Option<String>,
}

/// Who may move a version to `to`: directors approve and archive; the KAM
/// (or a director) submits; either returns a version to draft.
pub(crate) fn require_step(
    u: &CurrentUser,
    c: &clef_store::customer::Model,
    to: PlanStatus,
) -> Result<(), ApiError> {
    match to {
        PlanStatus::Approved | PlanStatus::Archived => u.require(Action::ApprovePlan),
        PlanStatus::Submitted => u.require(plans::edit_action(c)),
        PlanStatus::Draft if u.can(Action::ApprovePlan) => Ok(()),
        PlanStatus::Draft => u.require(plans::edit_action(c)),
    }
}

async fn step(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
    body: Option<StepIn>,
    to: PlanStatus,
) -> Result<Json<VersionOut>, ApiError> {
    let v = st.store.plan_version(id).await?;
    let c = st.store.customer(v.customer_id).await?;
    let body = body.unwrap_or_default();
    require_step(u, &c, to)?;
    let note = match body.note.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => Some(
            clef_domain::RequiredText::parse("note", n, 2000)
                .map_err(ApiError::from)?
                .into_string(),
        ),
        _ => None,
    };
    let after = st
        .store
        .move_plan(u.id(), id, body.version, to, note.as_deref())
        .await?;
    Ok(Json(version_out(st, &after).await?))
}

#[utoipa::path(post, path = "/api/v1/plan-versions/{id}/submit", tag = "plans", params(("id" = i64, Path)),
    request_body = StepIn,
    responses((status = 200, body = VersionOut), (status = 409, description = "Not a draft, or changed meanwhile"),
              (status = 422, description = "The plan cannot be submitted: objective missing or not one sentence, or another field named")),
    security(("bearer" = [])))]
pub async fn submit(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::OptionalJson(body): super::OptionalJson<StepIn>,
) -> Result<Json<VersionOut>, ApiError> {
    step(&st, &u, id, body, PlanStatus::Submitted).await
}

#[utoipa::path(post, path = "/api/v1/plan-versions/{id}/approve", tag = "plans", params(("id" = i64, Path)),
    request_body = StepIn,
    responses((status = 200, body = VersionOut, description = "Approved and frozen; the version approved before is archived"),
              (status = 403, description = "Directors only"), (status = 409, description = "Not submitted")),
    security(("bearer" = [])))]
pub async fn approve(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::OptionalJson(body): super::OptionalJson<StepIn>,
) -> Result<Json<VersionOut>, ApiError> {
    step(&st, &u, id, body, PlanStatus::Approved).await
}

#[utoipa::path(post, path = "/api/v1/plan-versions/{id}/return", tag = "plans", params(("id" = i64, Path)),
    request_body = StepIn,
    responses((status = 200, body = VersionOut, description = "Back to draft, with the note"), (status = 409, description = "Not submitted")),
    security(("bearer" = [])))]
pub async fn return_to_draft(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::OptionalJson(body): super::OptionalJson<StepIn>,
) -> Result<Json<VersionOut>, ApiError> {
    step(&st, &u, id, body, PlanStatus::Draft).await
}

#[utoipa::path(post, path = "/api/v1/plan-versions/{id}/archive", tag = "plans", params(("id" = i64, Path)),
    request_body = StepIn,
    responses((status = 200, body = VersionOut), (status = 403, description = "Directors only"), (status = 409, description = "Not approved")),
    security(("bearer" = [])))]
pub async fn archive(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    super::OptionalJson(body): super::OptionalJson<StepIn>,
) -> Result<Json<VersionOut>, ApiError> {
    step(&st, &u, id, body, PlanStatus::Archived).await
}

#[utoipa::path(delete, path = "/api/v1/plan-versions/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted (the audit trail keeps it)"), (status = 409, description = "Only drafts can be deleted")),
    security(("bearer" = [])))]
pub async fn delete_version(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let v = st.store.plan_version(id).await?;
    let c = st.store.customer(v.customer_id).await?;
    u.require(plans::edit_action(&c))?;
    st.store.delete_plan_draft(u.id(), id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    /// The older version's id.
    pub from: i64,
    /// The newer version's id.
    pub to: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeOut {
    /// The field's path in the plan (`actions[2].due`).
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompareOut {
    pub from: VersionSummary,
    pub to: VersionSummary,
    pub changes: Vec<ChangeOut>,
}

#[utoipa::path(get, path = "/api/v1/plan-versions/compare", tag = "plans", params(CompareQuery),
    responses((status = 200, body = CompareOut, description = "Every field that differs, in plan order"),
              (status = 404, description = "No plan version with the id `from` or `to`, or not one the reader may see"),
              (status = 422, description = "The two versions belong to different customers")),
    security(("bearer" = [])))]
pub async fn compare(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<CompareOut>, ApiError> {
    let (a, _) = readable_version(&st, &u, q.from).await?;
    let b = st.store.plan_version(q.to).await?;
    if a.customer_id != b.customer_id {
        return Err(FieldError::new(
            "to",
            "other-plan",
            "to must be a version of the same customer's plan as from",
        )
        .into());
    }
    Ok(Json(CompareOut {
        changes: dplan::compare(&a.content(), &b.content())
            .into_iter()
            .map(|c| ChangeOut {
                field: c.field,
                before: c.before,
                after: c.after,
            })
            .collect(),
        from: (&a).into(),
        to: (&b).into(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionStatusIn {
    /// open, in_progress, done or cancelled.
    pub status: String,
    /// The version's `version` as read: a draft whose actions changed since
    /// is refused with 409 (an action is named by its place).
    #[serde(default)]
    pub version: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/plan-versions/{id}/actions/{index}/status", tag = "plans",
    params(("id" = i64, Path), ("index" = usize, Path, description = "The action's position in the plan, from 0")),
    request_body = ActionStatusIn,
    responses((status = 204, description = "Recorded; the plan's content is unchanged"),
              (status = 403, description = "Only the action's owner, the KAM and directors"),
              (status = 404, description = "No such action"), (status = 409, description = "The version is archived"),
              (status = 422, description = "Unknown status")),
    security(("bearer" = [])))]
pub async fn set_action_status(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath((id, index)): ApiPath<(i64, usize)>,
    ApiJson(body): ApiJson<ActionStatusIn>,
) -> Result<StatusCode, ApiError> {
    let v = plans::may_follow_up(&st, &u, id, index).await?;
    // The action written is the one checked above (the version read here),
    // or the one the client saw when it says which version it read.
    let expected = body.version.unwrap_or(v.version);
    st.store
        .set_action_status(u.id(), id, index, body.status.trim(), Some(expected))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MyActionsQuery {
    /// Include done and cancelled actions.
    pub closed: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyActionOut {
    pub customer_id: i64,
    pub customer_name: String,
    pub plan_version_id: i64,
    pub plan_version_number: i64,
    /// The version's `version`, to send back with a status change.
    pub plan_version_version: i64,
    pub index: usize,
    pub title: String,
    pub initiative: Option<String>,
    pub start: Option<String>,
    pub due: Option<String>,
    pub status: String,
    /// Open and due before today.
    pub overdue: bool,
}

pub(crate) fn my_action_out(m: clef_store::MyAction, today: &str) -> MyActionOut {
    let open = !matches!(m.action.status.as_str(), "done" | "cancelled");
    MyActionOut {
        overdue: open && m.action.due.as_deref().is_some_and(|d| d < today),
        customer_id: m.customer_id,
        customer_name: m.customer_name,
        plan_version_id: m.version_id,
        plan_version_number: m.version_number,
        plan_version_version: m.version_edits,
        index: m.index,
        title: m.action.title,
        initiative: m.initiative,
        start: m.action.start,
        due: m.action.due,
        status: m.action.status,
    }
}

#[utoipa::path(get, path = "/api/v1/me/actions", tag = "plans", params(MyActionsQuery),
    responses((status = 200, body = [MyActionOut], description = "Your actions across every plan: overdue first, then by due date")),
    security(("bearer" = [])))]
pub async fn my_actions(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<MyActionsQuery>,
) -> Result<Json<Vec<MyActionOut>>, ApiError> {
    let today = plans::today().to_string();
    let items = st
        .store
        .my_actions(u.user.id, &today, q.closed.unwrap_or(false))
        .await?;
    Ok(Json(
        items
            .into_iter()
            .map(|m| my_action_out(m, &today))
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlansQuery {
    /// Words to find in the plans (accents and case ignored), in the plans
    /// the other filters keep.
    pub q: Option<String>,
    /// Only the accounts without a plan (`none`), or whose latest version
    /// is `draft`, `submitted`, `approved` or `archived`.
    pub status: Option<String>,
    /// Only the accounts of this owner.
    pub owner_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanRowOut {
    pub customer_id: i64,
    pub customer_name: String,
    /// The customer's status (key_account, or what it became).
    pub customer_status: String,
    pub owner_id: Option<i64>,
    pub sponsor_id: Option<i64>,
    pub latest: Option<VersionSummary>,
    /// The number of the approved version in force.
    pub approved_number: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitOut {
    pub customer_id: i64,
    pub customer_name: String,
    pub plan_version_id: i64,
    pub plan_version_number: i64,
    pub field: String,
    pub excerpt: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlansOut {
    /// Key accounts (and customers with a plan) you may see.
    pub plans: Vec<PlanRowOut>,
    /// Matches of `q` in those plans, when `q` is given.
    pub hits: Vec<SearchHitOut>,
}

/// The plan rows the user may read.
pub(crate) async fn visible_rows(
    st: &AppState,
    u: &CurrentUser,
) -> Result<Vec<clef_store::PlanRow>, ApiError> {
    let rows = st.store.plan_rows().await?;
    let teams = st.store.teams_of_user(u.user.id).await?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            let mut team: Vec<i64> = r
                .latest
                .as_ref()
                .map(|v| {
                    v.content()
                        .people
                        .iter()
                        .filter_map(|p| p.user_id)
                        .collect()
                })
                .unwrap_or_default();
            if teams.contains(&r.customer.id) {
                team.push(u.user.id);
            }
            u.can(plans::read_action(&r.customer, &team, u))
        })
        .collect())
}

/// Fields matching `q` in the plans of `rows` (those the user may see).
pub(crate) async fn visible_hits(
    st: &AppState,
    rows: &[clef_store::PlanRow],
    q: &str,
) -> Result<Vec<SearchHitOut>, ApiError> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let seen: Vec<i64> = rows.iter().map(|r| r.customer.id).collect();
    Ok(st
        .store
        .search_plans(q)
        .await?
        .into_iter()
        .filter(|h| seen.contains(&h.customer_id))
        .map(|h| SearchHitOut {
            customer_id: h.customer_id,
            customer_name: h.customer_name,
            plan_version_id: h.version_id,
            plan_version_number: h.version_number,
            field: h.field,
            excerpt: h.excerpt,
        })
        .collect())
}

#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", params(PlansQuery),
    responses((status = 200, body = PlansOut)), security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<PlansQuery>,
) -> Result<Json<PlansOut>, ApiError> {
    let status = q.status.as_deref().map(str::trim).unwrap_or_default();
    if !status.is_empty() && !plans::PLAN_FILTERS.contains(&status) {
        return Err(ApiError::field(
            "status",
            "invalid-choice",
            format!(
                "status must be one of {}, not \"{status}\"",
                plans::PLAN_FILTERS.join(", ")
            ),
        ));
    }
    let mut rows = visible_rows(&st, &u).await?;
    rows.retain(|r| plans::keeps(r, status, q.owner_id));
    let hits = visible_hits(&st, &rows, q.q.as_deref().unwrap_or("")).await?;
    Ok(Json(PlansOut {
        plans: rows
            .into_iter()
            .map(|r| PlanRowOut {
                customer_id: r.customer.id,
                customer_name: r.customer.name.clone(),
                customer_status: r.customer.status.clone(),
                owner_id: r.customer.owner_id,
                sponsor_id: r.customer.sponsor_id,
                latest: r.latest.as_ref().map(Into::into),
                approved_number: r.approved,
            })
            .collect(),
        hits,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DocQuery {
    /// fr or en; by default your language.
    pub lang: Option<String>,
}

/// The language asked for, else the user's.
pub(crate) fn doc_locale(
    lang: Option<&str>,
    headers: &HeaderMap,
    u: &CurrentUser,
) -> Result<Locale, ApiError> {
    match lang.map(str::trim).filter(|l| !l.is_empty()) {
        Some("fr") => Ok(Locale::Fr),
        Some("en") => Ok(Locale::En),
        Some(other) => Err(FieldError::new(
            "lang",
            "invalid-choice",
            format!("lang must be fr or en, not \"{other}\""),
        )
        .into()),
        None => Ok(crate::auth::page_locale(headers, Some(&u.user))),
    }
}

#[utoipa::path(get, path = "/api/v1/plan-versions/{id}/documents/{name}", tag = "plans",
    params(("id" = i64, Path), ("name" = String, Path, description = "executive-summary or customer-brief, then .html, .pdf or .md"), DocQuery),
    responses((status = 200, description = "The document: text/html, application/pdf or text/markdown, after the name's extension",
               content(("text/html"), ("application/pdf"), ("text/markdown"))),
              (status = 404, description = "No such version or document")),
    security(("bearer" = [])))]
pub async fn document(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    headers: HeaderMap,
    ApiPath((id, name)): ApiPath<(i64, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
) -> Result<Response, ApiError> {
    let Some((kind, fmt)) = plans::parse_doc_name(&name) else {
        return Err(ApiError::NotFound(format!(
            "there is no document \"{name}\": ask for executive-summary or customer-brief, as .html, .pdf or .md"
        )));
    };
    let (v, c) = readable_version(&st, &u, id).await?;
    let locale = doc_locale(q.lang.as_deref(), &headers, &u)?;
    let tr = Tr {
        i18n: &st.i18n,
        locale,
    };
    let doc = plans::build_document(&st, &tr, &v, kind).await?;
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    Ok(plans::respond(
        &doc,
        fmt,
        locale.as_str(),
        &plans::file_name(kind, &c.name, v.number, ext),
        &[],
    ))
}
