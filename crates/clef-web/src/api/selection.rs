//! Key-account selection: the candidate grid, scores with evidence, the
//! propose → approve/reject → deselect workflow and the managers' loads.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::{AppState, auth::ApiUser, error::ApiError};
use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use clef_domain::{
    FieldError, FieldErrors, UserId,
    policy::Action,
    selection::{parse_reason, parse_score, parse_weight},
};
use clef_store::{Proposal, ScoreInput, selection_criterion, selection_event, selection_score};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionOut {
    pub id: i64,
    pub key: String,
    pub label_en: String,
    pub label_fr: String,
    pub weight: i64,
    pub active: bool,
}

impl From<&selection_criterion::Model> for CriterionOut {
    fn from(c: &selection_criterion::Model) -> Self {
        Self {
            id: c.id,
            key: c.key.clone(),
            label_en: c.label_en.clone(),
            label_fr: c.label_fr.clone(),
            weight: c.weight,
            active: c.active,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/selection/criteria", tag = "selection",
    responses((status = 200, body = [CriterionOut])), security(("bearer" = [])))]
pub async fn criteria(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<CriterionOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(
        st.store.grid(true).await?.iter().map(Into::into).collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightIn {
    pub id: i64,
    /// 0–100.
    pub weight: i64,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightsIn {
    pub criteria: Vec<WeightIn>,
}

/// The most criteria a request names: a grid holds a few dozen.
const GRID_MAX: usize = 100;

fn too_many(field: &str, n: usize) -> ApiError {
    ApiError::Invalid(
        FieldError::new(
            field,
            "too-many",
            format!("{field}: at most {GRID_MAX} criteria, not {n}"),
        )
        .into(),
    )
}

pub(crate) fn parse_weights(items: &[WeightIn]) -> Result<Vec<(i64, i64, bool)>, ApiError> {
    let mut e = FieldErrors::new();
    if items.len() > GRID_MAX {
        return Err(too_many("criteria", items.len()));
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, w) in items.iter().enumerate() {
        if !seen.insert(w.id) {
            e.push(FieldError::new(
                &format!("criteria[{i}].id"),
                "duplicate",
                format!(
                    "criteria[{i}].id: criterion {} appears twice; give each criterion one weight",
                    w.id
                ),
            ));
        }
        if let Some(v) = e.take(parse_weight(&format!("criteria[{i}].weight"), w.weight)) {
            out.push((w.id, v, w.active.unwrap_or(true)));
        }
    }
    if e.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Invalid(e))
    }
}

#[utoipa::path(put, path = "/api/v1/selection/criteria", tag = "selection", request_body = WeightsIn,
    responses((status = 200, body = [CriterionOut]), (status = 403, description = "Directors and admins only"),
              (status = 422, description = "Invalid weight(s), each named")),
    security(("bearer" = [])))]
pub async fn set_weights(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(body): ApiJson<WeightsIn>,
) -> Result<Json<Vec<CriterionOut>>, ApiError> {
    u.require(Action::ManageProgram)?;
    let w = parse_weights(&body.criteria)?;
    st.store.set_grid_weights(u.id(), &w, None).await?;
    Ok(Json(
        st.store.grid(true).await?.iter().map(Into::into).collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionIn {
    /// Lower-case letters, digits and underscores.
    pub key: String,
    pub label_en: String,
    pub label_fr: String,
    pub weight: i64,
}

#[utoipa::path(post, path = "/api/v1/selection/criteria", tag = "selection", request_body = CriterionIn,
    responses((status = 201, body = CriterionOut), (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn add_criterion(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(body): ApiJson<CriterionIn>,
) -> Result<Response, ApiError> {
    u.require(Action::ManageProgram)?;
    let mut e = FieldErrors::new();
    let key = body.key.trim();
    if key.is_empty()
        || key.len() > 40
        || !key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        e.push(FieldError::new(
            "key",
            "invalid-key",
            "key takes 1 to 40 lower-case letters, digits or underscores, such as supply_security",
        ));
    }
    let en = e.take(clef_domain::RequiredText::parse(
        "label_en",
        &body.label_en,
        200,
    ));
    let fr = e.take(clef_domain::RequiredText::parse(
        "label_fr",
        &body.label_fr,
        200,
    ));
    let w = e.take(parse_weight("weight", body.weight));
    let (Some(en), Some(fr), Some(w)) = (en, fr, w) else {
        return Err(ApiError::Invalid(e));
    };
    if !e.is_empty() {
        return Err(ApiError::Invalid(e));
    }
    let c = st
        .store
        .add_criterion(u.id(), key, en.as_str(), fr.as_str(), w)
        .await?;
    Ok((StatusCode::CREATED, Json(CriterionOut::from(&c))).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<u64>,
    /// Only candidates whose name starts with this (case and accents
    /// ignored).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// score, name, country or scored (how many criteria are scored),
    /// ascending; prefix with - for descending. -score (the best first)
    /// when not sent; candidates without a score come last by score.
    #[param(pattern = "^-?(score|name|country|scored)$")]
    pub sort: Option<String>,
}

/// The candidates a list asks for: its search and its order.
pub fn candidate_query(
    q: Option<&str>,
    sort: Option<&str>,
) -> Result<clef_store::CandidateQuery, FieldErrors> {
    let mut e = FieldErrors::new();
    let q = e
        .take(clef_domain::OptionalText::parse("q", q, 200))
        .and_then(clef_domain::OptionalText::into_option);
    let mut out = clef_store::CandidateQuery {
        q,
        ..Default::default()
    };
    match sort.map(str::trim) {
        None | Some("") => {}
        Some(raw) => match clef_store::CandidateSort::parse(raw) {
            Some((s, descending)) => (out.sort, out.descending) = (s, descending),
            None => {
                let keys: Vec<&str> = clef_store::CandidateSort::ALL
                    .iter()
                    .map(|(k, _)| *k)
                    .collect();
                e.push(clef_domain::FieldError::new(
                    "sort",
                    "invalid-sort",
                    format!(
                        "sort must be one of {} (prefix with - for descending), not \"{raw}\"",
                        keys.join(", ")
                    ),
                ));
            }
        },
    }
    if e.is_empty() { Ok(out) } else { Err(e) }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateOut {
    pub customer_id: i64,
    pub name: String,
    pub country: String,
    pub owner_id: Option<i64>,
    /// Weighted mean of the scores, 1–5; null while unscored.
    pub score: Option<f64>,
    pub criteria_scored: i64,
    /// A proposal waits for a decision.
    pub pending: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidatePage {
    pub items: Vec<CandidateOut>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

#[utoipa::path(get, path = "/api/v1/selection/candidates", tag = "selection", params(PageQuery),
    responses((status = 200, body = CandidatePage, description = "Candidates, by default ranked by weighted score, unscored last"),
        (status = 422, description = "A page, search or order that cannot be read")),
    security(("bearer" = [])))]
pub async fn candidates(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<CandidatePage>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let mut e = FieldErrors::new();
    let p = e.take(clef_domain::PageRequest::parse(q.page, q.per_page, 50));
    let cq = match candidate_query(q.q.as_deref(), q.sort.as_deref()) {
        Ok(cq) => Some(cq),
        Err(more) => {
            e.0.extend(more.0);
            None
        }
    };
    let (Some(p), Some(cq)) = (p, cq) else {
        return Err(ApiError::Invalid(e));
    };
    let (total, items) = st.store.candidates(&cq, p.offset(), p.per_page).await?;
    Ok(Json(CandidatePage {
        items: items
            .into_iter()
            .map(|c| CandidateOut {
                customer_id: c.customer_id,
                name: c.name,
                country: c.country,
                owner_id: c.owner_id,
                score: c.score,
                criteria_scored: c.scored,
                pending: c.pending,
            })
            .collect(),
        page: p.page,
        per_page: p.per_page,
        total,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreOut {
    pub criterion_id: i64,
    pub score: i64,
    pub evidence: Option<String>,
    pub scored_by: Option<i64>,
    pub scored_at: String,
}

impl From<&selection_score::Model> for ScoreOut {
    fn from(s: &selection_score::Model) -> Self {
        Self {
            criterion_id: s.criterion_id,
            score: s.score,
            evidence: s.evidence.clone(),
            scored_by: s.scored_by,
            scored_at: clef_domain::rfc3339(s.scored_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    pub id: i64,
    /// proposed, approved, rejected or deselected.
    pub decision: String,
    pub actor_id: Option<i64>,
    pub at: String,
    pub reason: Option<String>,
    pub manager_id: Option<i64>,
    pub sponsor_id: Option<i64>,
    pub override_reason: Option<String>,
    /// The weighted score when the decision was taken.
    pub score: Option<f64>,
}

impl From<&selection_event::Model> for EventOut {
    fn from(e: &selection_event::Model) -> Self {
        Self {
            id: e.id,
            decision: e.decision.clone(),
            actor_id: e.actor_id,
            at: clef_domain::rfc3339(e.at),
            reason: e.reason.clone(),
            manager_id: e.manager_id,
            sponsor_id: e.sponsor_id,
            override_reason: e.override_reason.clone(),
            score: e.score,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SelectionOut {
    pub customer_id: i64,
    pub status: String,
    pub score: Option<f64>,
    pub scores: Vec<ScoreOut>,
    pub pending: Option<EventOut>,
    pub history: Vec<EventOut>,
}

pub(crate) fn weighted(
    grid: &[selection_criterion::Model],
    scores: &[selection_score::Model],
) -> Option<f64> {
    let pairs: Vec<(f64, Option<u8>)> = grid
        .iter()
        .filter(|g| g.active)
        .map(|g| {
            (
                g.weight as f64,
                scores
                    .iter()
                    .find(|s| s.criterion_id == g.id)
                    .and_then(|s| u8::try_from(s.score).ok()),
            )
        })
        .collect();
    clef_domain::selection::weighted_score(&pairs)
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/selection", tag = "selection", params(("id" = i64, Path)),
    responses((status = 200, body = SelectionOut), (status = 404, description = "No such customer")),
    security(("bearer" = [])))]
pub async fn selection(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SelectionOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let c = st.store.customer(id).await?;
    let grid = st.store.grid(true).await?;
    let scores = st.store.scores_of(id).await?;
    let history = st.store.selection_history(id).await?;
    let pending = history
        .last()
        .filter(|e| e.decision == "proposed")
        .map(EventOut::from);
    Ok(Json(SelectionOut {
        customer_id: id,
        status: c.status,
        score: weighted(&grid, &scores),
        scores: scores.iter().map(Into::into).collect(),
        pending,
        history: history.iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreIn {
    pub criterion_id: i64,
    /// 1–5.
    pub score: i64,
    /// What supports the score (a source, a fact).
    pub evidence: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoresIn {
    pub scores: Vec<ScoreIn>,
}

pub(crate) fn parse_scores(items: &[ScoreIn]) -> Result<Vec<ScoreInput>, ApiError> {
    if items.len() > GRID_MAX {
        return Err(too_many("scores", items.len()));
    }
    let mut e = FieldErrors::new();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, s) in items.iter().enumerate() {
        if !seen.insert(s.criterion_id) {
            e.push(FieldError::new(
                &format!("scores[{i}].criterion_id"),
                "duplicate",
                format!(
                    "scores[{i}].criterion_id: criterion {} is scored twice; give each criterion one score",
                    s.criterion_id
                ),
            ));
        }
        let score = e.take(parse_score(&format!("scores[{i}].score"), s.score));
        let ev = e.take(clef_domain::OptionalText::parse(
            &format!("scores[{i}].evidence"),
            s.evidence.as_deref(),
            2000,
        ));
        if let (Some(score), Some(ev)) = (score, ev) {
            out.push(ScoreInput {
                criterion_id: s.criterion_id,
                score,
                evidence: ev.into_option(),
            });
        }
    }
    if items.is_empty() {
        e.push(FieldError::new(
            "scores",
            "required",
            "give at least one score",
        ));
    }
    if e.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Invalid(e))
    }
}

#[utoipa::path(put, path = "/api/v1/customers/{id}/selection/scores", tag = "selection", params(("id" = i64, Path)),
    request_body = ScoresIn,
    responses((status = 200, body = SelectionOut), (status = 422, description = "Invalid score(s), each named")),
    security(("bearer" = [])))]
pub async fn set_scores(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ScoresIn>,
) -> Result<Json<SelectionOut>, ApiError> {
    let c = st.store.customer(id).await?;
    u.require(Action::ProposeKeyAccount {
        owner: c.owner_id.map(UserId),
    })?;
    let scores = parse_scores(&body.scores)?;
    st.store.set_scores(u.id(), id, &scores).await?;
    selection(State(st), ApiUser(u), ApiPath(id)).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeIn {
    /// The key account manager who would run the account (role kam).
    pub manager_id: i64,
    /// The executive sponsor (role sponsor or director).
    pub sponsor_id: Option<i64>,
    /// Why this customer should be a key account.
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    /// Why (required to reject or deselect).
    pub reason: Option<String>,
    /// Required to approve beyond the manager's capacity.
    pub override_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    pub event: EventOut,
    /// Set when the manager would go beyond the capacity.
    pub warning: Option<String>,
}

pub(crate) async fn capacity_warning(
    st: &AppState,
    manager_id: i64,
    customer_id: i64,
) -> Option<String> {
    let full = st
        .store
        .capacity_note(manager_id, customer_id)
        .await
        .ok()
        .flatten()?;
    Some(format!("{full}: approving needs an override reason"))
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/selection/propose", tag = "selection", params(("id" = i64, Path)),
    request_body = ProposeIn,
    responses((status = 201, body = DecisionOut), (status = 409, description = "Already a key account or already proposed"),
              (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn propose(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProposeIn>,
) -> Result<Response, ApiError> {
    let c = st.store.customer(id).await?;
    u.require(Action::ProposeKeyAccount {
        owner: c.owner_id.map(UserId),
    })?;
    let reason = parse_reason("reason", Some(&body.reason))?;
    let e = st
        .store
        .propose_key_account(
            u.id(),
            id,
            &Proposal {
                manager_id: body.manager_id,
                sponsor_id: body.sponsor_id,
                reason,
                may_change_sponsor: u.can(Action::ManageProgram),
            },
        )
        .await?;
    let warning = capacity_warning(&st, body.manager_id, id).await;
    Ok((
        StatusCode::CREATED,
        Json(DecisionOut {
            event: (&e).into(),
            warning,
        }),
    )
        .into_response())
}

/// The sponsor who may decide on a customer's proposal: the account's own,
/// else the one its proposal named.
pub(crate) async fn deciding_sponsor(st: &AppState, id: i64) -> Result<Option<UserId>, ApiError> {
    let c = st.store.customer(id).await?;
    let history = st.store.selection_history(id).await?;
    let proposed = history
        .last()
        .filter(|e| e.decision == "proposed")
        .and_then(|e| e.sponsor_id);
    Ok(c.sponsor_id.or(proposed).map(UserId))
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/selection/approve", tag = "selection", params(("id" = i64, Path)),
    request_body = DecisionIn,
    responses((status = 200, body = DecisionOut), (status = 409, description = "No proposal waits"),
              (status = 422, description = "Beyond capacity without an override reason")),
    security(("bearer" = [])))]
pub async fn approve(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DecisionIn>,
) -> Result<Json<DecisionOut>, ApiError> {
    u.require(Action::DecideKeyAccount {
        sponsor: deciding_sponsor(&st, id).await?,
    })?;
    let note =
        clef_domain::OptionalText::parse("reason", body.reason.as_deref(), 2000)?.into_option();
    let over = match body.override_reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => Some(parse_reason("override_reason", Some(r))?),
        _ => None,
    };
    let e = st.store.approve_key_account(u.id(), id, note, over).await?;
    Ok(Json(DecisionOut {
        event: (&e).into(),
        warning: None,
    }))
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/selection/reject", tag = "selection", params(("id" = i64, Path)),
    request_body = DecisionIn,
    responses((status = 200, body = DecisionOut), (status = 409, description = "No proposal waits"),
              (status = 422, description = "No reason given")),
    security(("bearer" = [])))]
pub async fn reject(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DecisionIn>,
) -> Result<Json<DecisionOut>, ApiError> {
    u.require(Action::DecideKeyAccount {
        sponsor: deciding_sponsor(&st, id).await?,
    })?;
    let reason = parse_reason("reason", body.reason.as_deref())?;
    let e = st.store.reject_key_account(u.id(), id, reason).await?;
    Ok(Json(DecisionOut {
        event: (&e).into(),
        warning: None,
    }))
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/selection/deselect", tag = "selection", params(("id" = i64, Path)),
    request_body = DecisionIn,
    responses((status = 200, body = DecisionOut), (status = 409, description = "Not a key account"),
              (status = 422, description = "No reason given")),
    security(("bearer" = [])))]
pub async fn deselect(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DecisionIn>,
) -> Result<Json<DecisionOut>, ApiError> {
    u.require(Action::DeselectKeyAccount)?;
    st.store.customer(id).await?;
    let reason = parse_reason("reason", body.reason.as_deref())?;
    let e = st.store.deselect_key_account(u.id(), id, reason).await?;
    Ok(Json(DecisionOut {
        event: (&e).into(),
        warning: None,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoadOut {
    pub user_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub key_accounts: u64,
    pub min: u64,
    pub max: u64,
    /// under, within, full or over.
    pub load: String,
}

#[utoipa::path(get, path = "/api/v1/program/managers", tag = "selection",
    responses((status = 200, body = [LoadOut], description = "Each key account manager's key accounts against the capacity")),
    security(("bearer" = [])))]
pub async fn managers(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<LoadOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(
        st.store
            .manager_loads()
            .await?
            .into_iter()
            .map(|l| LoadOut {
                user_id: l.user.id,
                name: l.user.name,
                title: l.title.map(|t| t.as_str().to_owned()),
                key_accounts: l.held,
                min: l.capacity.min,
                max: l.capacity.max,
                load: l.load.as_str().to_owned(),
            })
            .collect(),
    ))
}
