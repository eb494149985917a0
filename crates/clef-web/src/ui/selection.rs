//! Key-account selection pages: the ranked candidate grid, a customer's
//! scores and decisions, and the program page with each manager's load.

use super::{
    Ctx, api_error_page, error_page, forbidden,
    forms::{Fields, val},
    render,
};
use crate::{
    AppState,
    api::selection::{self as sel_api, ScoreIn, WeightIn, weighted},
    auth::{CurrentUser, UiUser},
    error::ApiError,
};
use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use clef_domain::{
    FieldError, FieldErrors, UserId,
    policy::Action,
    selection::{parse_reason, parse_weight},
};
use clef_store::{
    Candidate, ManagerLoad, Proposal, StoreError, customer, selection_criterion, selection_event,
    selection_score, user,
};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/selection", get(candidates))
        .route("/selection.csv", get(candidates_csv))
        .route("/selection/grid", post(save_grid))
        .route("/program", get(program))
        .route("/program/loads.csv", get(loads_csv))
        .route("/program/decisions.csv", get(decisions_csv))
        .route("/customers/{id}/selection", get(customer_page))
        .route("/customers/{id}/selection/scores", post(save_scores))
        .route("/customers/{id}/selection/propose", post(propose))
        .route("/customers/{id}/selection/approve", post(approve))
        .route("/customers/{id}/selection/reject", post(reject))
        .route("/customers/{id}/selection/deselect", post(deselect))
}

/// A grid criterion's label in the reader's language.
fn grid_label(ctx: &Ctx<'_>, c: &selection_criterion::Model) -> String {
    if ctx.tr.lang() == "fr" {
        c.label_fr.clone()
    } else {
        c.label_en.clone()
    }
}

fn score_text(ctx: &Ctx<'_>, s: Option<f64>) -> String {
    s.map_or("—".into(), |s| {
        clef_domain::format_decimal(s, 2, ctx.tr.locale)
    })
}

// ---------- candidates ----------

#[derive(Template)]
#[template(path = "selection.html")]
struct CandidatesPage<'a> {
    ctx: Ctx<'a>,
    total: u64,
    page: u64,
    /// The search and the order as the query gave them.
    list: ListQ,
    items: Vec<Candidate>,
    grid: Vec<selection_criterion::Model>,
    /// The grid's fields as sent (`weight_{id}`, and `was_weight_{id}`,
    /// `was_active_{id}`: the grid as first shown), when re-shown.
    weights: HashMap<String, String>,
    errors: FieldErrors,
    can_manage: bool,
    saved: bool,
}

impl CandidatesPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    fn score(&self, s: &Option<f64>) -> String {
        score_text(&self.ctx, *s)
    }
    fn label(&self, c: &selection_criterion::Model) -> String {
        grid_label(&self.ctx, c)
    }
    fn weight(&self, c: &selection_criterion::Model) -> String {
        self.weights
            .get(&format!("weight_{}", c.id))
            .cloned()
            .unwrap_or_else(|| c.weight.to_string())
    }
    /// The weight and whether it counts, as the page first showed them.
    fn was_weight(&self, c: &selection_criterion::Model) -> String {
        self.weights
            .get(&format!("was_weight_{}", c.id))
            .cloned()
            .unwrap_or_else(|| c.weight.to_string())
    }
    fn was_active(&self, c: &selection_criterion::Model) -> String {
        self.weights
            .get(&format!("was_active_{}", c.id))
            .cloned()
            .unwrap_or_else(|| if c.active { "1" } else { "0" }.to_owned())
    }
    fn rank(&self, i: &usize) -> u64 {
        (self.page - 1) * 50 + *i as u64 + 1
    }
    fn has_next(&self) -> bool {
        self.page * 50 < self.total
    }
    fn pages(&self) -> u64 {
        self.total.div_ceil(50).max(1)
    }
    fn order(&self) -> String {
        self.list.order()
    }
    fn sort_link(&self, key: &str) -> String {
        self.list
            .href("/selection", &super::next_order(&self.order(), key))
    }
    fn aria_sort(&self, key: &str) -> &'static str {
        super::aria_order(&self.order(), key)
    }
    fn csv_link(&self) -> String {
        self.list.href("/selection.csv", &self.order())
    }
    fn page_link(&self, page: u64) -> String {
        format!(
            "{}&page={page}",
            self.list.href("/selection", &self.order())
        )
    }
}

/// The candidates list's search and order, as its query gives them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ListQ {
    q: String,
    sort: String,
}

impl ListQ {
    /// The order asked for, or the best score first when it names none.
    fn order(&self) -> String {
        let keys: Vec<String> = std::iter::once("-score".to_owned())
            .chain(
                clef_store::CandidateSort::ALL
                    .iter()
                    .map(|(k, _)| (*k).to_owned()),
            )
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        super::list_order(self.sort.trim(), &keys)
    }
    /// What the store is asked: an order it does not know is the default.
    fn query(&self) -> clef_store::CandidateQuery {
        let q = Some(self.q.trim().to_owned()).filter(|q| !q.is_empty());
        match sel_api::candidate_query(None, Some(&self.order())) {
            Ok(cq) => clef_store::CandidateQuery { q, ..cq },
            Err(_) => clef_store::CandidateQuery {
                q,
                ..Default::default()
            },
        }
    }
    fn href(&self, path: &str, sort: &str) -> String {
        format!(
            "{path}?q={}&sort={}",
            super::urlencode(&self.q),
            super::urlencode(sort)
        )
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQ {
    page: String,
    saved: String,
    q: String,
    sort: String,
}

#[allow(clippy::too_many_arguments)]
async fn candidates_page(
    st: &AppState,
    ctx: Ctx<'_>,
    page: u64,
    list: ListQ,
    weights: HashMap<String, String>,
    errors: FieldErrors,
    status: StatusCode,
    saved: bool,
) -> Response {
    let can_manage = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.can(Action::ManageProgram));
    let cq = list.query();
    let ((total, items), grid) = match tokio::try_join!(
        st.store.candidates(&cq, (page - 1) * 50, 50),
        st.store.grid(true)
    ) {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    render(
        status,
        &CandidatesPage {
            ctx,
            total,
            page,
            list,
            items,
            grid,
            weights,
            errors,
            can_manage,
            saved,
        },
    )
}

async fn candidates(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(q): Query<PageQ>,
) -> Response {
    let page = q.page.trim().parse::<u64>().unwrap_or(1).clamp(1, 100_000);
    let list = ListQ {
        q: q.q,
        sort: q.sort,
    };
    // The language switch keeps the search, the order and the page.
    let here = format!("{}&page={page}", list.href("/selection", &list.order()));
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    candidates_page(
        &st,
        ctx,
        page,
        list,
        HashMap::new(),
        FieldErrors::new(),
        StatusCode::OK,
        !q.saved.is_empty(),
    )
    .await
}

/// Every candidate the list shows, in its order, as CSV.
async fn candidates_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(list): Query<ListQ>,
) -> Response {
    let cq = list.query();
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record([
        "position",
        "customer_id",
        "name",
        "country",
        "score",
        "criteria_scored",
        "pending_decision",
    ]);
    let mut offset = 0;
    loop {
        let batch = match st.store.candidates(&cq, offset, 5_000).await {
            Ok((_, b)) => b,
            Err(e) => {
                return error_page(Ctx::new(&st, &headers, Some(u), "/selection"), e);
            }
        };
        for (k, c) in batch.iter().enumerate() {
            let _ = w.write_record([
                (offset + k as u64 + 1).to_string(),
                c.customer_id.to_string(),
                clef_store::import::cell(&c.name),
                c.country.clone(),
                c.score.map_or(String::new(), |s| format!("{s:.2}")),
                c.scored.to_string(),
                c.pending.to_string(),
            ]);
        }
        if batch.len() < 5_000 {
            break;
        }
        offset += 5_000;
    }
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"candidates.csv\"",
            ),
        ],
        w.into_inner().unwrap_or_default(),
    )
        .into_response()
}

async fn save_grid(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let ctx = Ctx::new(&st, &headers, Some(u.clone()), "/selection");
    if !u.can(Action::ManageProgram) {
        return forbidden(ctx);
    }
    let grid = match st.store.grid(true).await {
        Ok(g) => g,
        Err(e) => return error_page(ctx, e),
    };
    let mut errors = FieldErrors::new();
    let mut typed = HashMap::new();
    let mut items = Vec::new();
    for c in &grid {
        let field = format!("weight_{}", c.id);
        let raw = val(&fields, &field).trim().to_owned();
        typed.insert(field.clone(), raw.clone());
        for was in [
            format!("was_weight_{}", c.id),
            format!("was_active_{}", c.id),
        ] {
            if fields.iter().any(|(k, _)| *k == was) {
                typed.insert(was.clone(), val(&fields, &was).to_owned());
            }
        }
        let active = !val(&fields, &format!("active_{}", c.id)).is_empty();
        match raw.parse::<i64>() {
            Ok(w) => {
                if let Some(w) = errors.take(parse_weight(&field, w)) {
                    items.push(WeightIn {
                        id: c.id,
                        weight: w,
                        active: Some(active),
                    });
                }
            }
            Err(_) => errors.push(FieldError::new(
                &field,
                "invalid-number",
                format!("{field} must be a whole number, not \"{raw}\""),
            )),
        }
    }
    let parsed = if errors.is_empty() {
        sel_api::parse_weights(&items)
    } else {
        Err(ApiError::Invalid(errors))
    };
    let w = match parsed {
        Ok(w) => w,
        Err(ApiError::Invalid(errors)) => {
            return candidates_page(
                &st,
                ctx,
                1,
                ListQ::default(),
                typed,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
            )
            .await;
        }
        Err(e) => return api_error_page(ctx, e),
    };
    // The grid as the page showed it, when the form says.
    let seen: Option<Vec<(i64, i64, bool)>> = grid
        .iter()
        .map(|c| {
            let w = val(&fields, &format!("was_weight_{}", c.id))
                .trim()
                .parse()
                .ok()?;
            let a = match val(&fields, &format!("was_active_{}", c.id)) {
                "1" => true,
                "0" => false,
                _ => return None,
            };
            Some((c.id, w, a))
        })
        .collect();
    match st.store.set_grid_weights(u.id(), &w, seen.as_deref()).await {
        Ok(()) => Redirect::to("/selection?saved=1#grid").into_response(),
        Err(e) => error_page(ctx, e),
    }
}

// ---------- one customer ----------

#[derive(Template)]
#[template(path = "customer_selection.html")]
struct CustomerPage<'a> {
    ctx: Ctx<'a>,
    c: customer::Model,
    grid: Vec<selection_criterion::Model>,
    scores: Vec<selection_score::Model>,
    typed: HashMap<String, String>,
    history: Vec<selection_event::Model>,
    users: Vec<user::Model>,
    loads: Vec<ManagerLoad>,
    errors: FieldErrors,
    can_score: bool,
    can_decide: bool,
    can_deselect: bool,
    warning: Option<String>,
}

impl CustomerPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    fn label(&self, c: &selection_criterion::Model) -> String {
        grid_label(&self.ctx, c)
    }
    fn typed_or(&self, key: &str, saved: String) -> String {
        self.typed.get(key).cloned().unwrap_or(saved)
    }
    /// A criterion's saved score and evidence (empty when not scored).
    fn saved(&self, c: &selection_criterion::Model) -> (String, String) {
        self.scores
            .iter()
            .find(|s| s.criterion_id == c.id)
            .map_or_else(Default::default, |s| {
                (s.score.to_string(), s.evidence.clone().unwrap_or_default())
            })
    }
    fn score_of(&self, c: &selection_criterion::Model) -> String {
        self.typed_or(&format!("score_{}", c.id), self.saved(c).0)
    }
    fn evidence_of(&self, c: &selection_criterion::Model) -> String {
        self.typed_or(&format!("evidence_{}", c.id), self.saved(c).1)
    }
    /// The score and evidence as the page first showed them (sent back:
    /// a criterion left as it was is not written again).
    fn was_score(&self, c: &selection_criterion::Model) -> String {
        self.typed_or(&format!("was_score_{}", c.id), self.saved(c).0)
    }
    fn was_evidence(&self, c: &selection_criterion::Model) -> String {
        self.typed_or(&format!("was_evidence_{}", c.id), self.saved(c).1)
    }
    fn total(&self) -> String {
        score_text(&self.ctx, weighted(&self.grid, &self.scores))
    }
    fn pending(&self) -> Option<&selection_event::Model> {
        self.history.last().filter(|e| e.decision == "proposed")
    }
    fn kams(&self) -> Vec<&ManagerLoad> {
        self.loads.iter().collect()
    }
    fn sponsors(&self) -> Vec<&user::Model> {
        self.users
            .iter()
            .filter(|u| u.active && matches!(u.role.as_str(), "sponsor" | "director"))
            .collect()
    }
    fn user_name(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.users.iter().find(|u| u.id == id))
            .map_or("—".into(), |u| u.name.clone())
    }
    fn load_text(&self, l: &ManagerLoad) -> String {
        format!(
            "{} ({}/{}{})",
            l.user.name,
            l.held,
            l.capacity.max,
            if l.held >= l.capacity.max { " ⚠" } else { "" }
        )
    }
    fn typed(&self, key: &str) -> String {
        self.typed.get(key).cloned().unwrap_or_default()
    }
    /// The sponsor typed, else the account's own.
    fn typed_sponsor(&self) -> String {
        self.typed_or(
            "sponsor_id",
            self.c.sponsor_id.map_or(String::new(), |s| s.to_string()),
        )
    }
    fn is_key_account(&self) -> bool {
        self.c.status == "key_account"
    }
    fn event_score(&self, s: &Option<f64>) -> String {
        score_text(&self.ctx, *s)
    }
}

#[allow(clippy::too_many_arguments)]
async fn show(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    typed: HashMap<String, String>,
    errors: FieldErrors,
    status: StatusCode,
    warning: Option<String>,
) -> Response {
    let here = format!("/customers/{id}/selection");
    let ctx = Ctx::new(st, headers, Some(u.clone()), &here);
    let c = match st.store.customer(id).await {
        Ok(c) => c,
        Err(e) => return error_page(ctx, e),
    };
    let loaded = tokio::try_join!(
        st.store.grid(false),
        st.store.scores_of(id),
        st.store.selection_history(id),
        st.store.list_users(),
        st.store.manager_loads()
    );
    let (grid, scores, history, users, loads) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let sponsor = history
        .last()
        .filter(|e| e.decision == "proposed")
        .and_then(|e| e.sponsor_id)
        .or(c.sponsor_id)
        .map(UserId);
    let can_score = u.can(Action::ProposeKeyAccount {
        owner: c.owner_id.map(UserId),
    });
    let can_decide = u.can(Action::DecideKeyAccount { sponsor });
    let can_deselect = u.can(Action::DeselectKeyAccount);
    render(
        status,
        &CustomerPage {
            ctx,
            c,
            grid,
            scores,
            typed,
            history,
            users,
            loads,
            errors,
            can_score,
            can_decide,
            can_deselect,
            warning,
        },
    )
}

async fn customer_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    show(
        &st,
        &headers,
        u,
        id,
        HashMap::new(),
        FieldErrors::new(),
        StatusCode::OK,
        None,
    )
    .await
}

/// Shows the page again with the user's input and the messages, or goes
/// back to it after a success.
async fn outcome(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    fields: &Fields,
    r: Result<Option<String>, ApiError>,
) -> Response {
    match r {
        Ok(warning) if warning.is_none() => {
            Redirect::to(&format!("/customers/{id}/selection")).into_response()
        }
        Ok(warning) => {
            show(
                st,
                headers,
                u,
                id,
                HashMap::new(),
                FieldErrors::new(),
                StatusCode::OK,
                warning,
            )
            .await
        }
        Err(ApiError::Invalid(e)) => {
            show(
                st,
                headers,
                u,
                id,
                super::forms::first_values(fields),
                e,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
        Err(e @ (ApiError::Conflict(_) | ApiError::Refused(_))) => {
            // A refusal is said in the reader's words (its code has no
            // message of its own); another conflict in the generic ones.
            let code = if matches!(e, ApiError::Refused(_)) {
                "refused"
            } else {
                "conflict"
            };
            let m = Ctx::new(st, headers, Some(u.clone()), "").conflict_text(&e);
            let e = FieldError::new("decision", code, m).into();
            show(
                st,
                headers,
                u,
                id,
                super::forms::first_values(fields),
                e,
                StatusCode::CONFLICT,
                None,
            )
            .await
        }
        Err(ApiError::Forbidden(_)) => forbidden(Ctx::new(
            st,
            headers,
            Some(u),
            &format!("/customers/{id}/selection"),
        )),
        Err(e) => api_error_page(
            Ctx::new(st, headers, Some(u), &format!("/customers/{id}/selection")),
            e,
        ),
    }
}

fn store_err(e: StoreError) -> ApiError {
    e.into()
}

async fn save_scores(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let r = async {
        let c = st.store.customer(id).await?;
        u.require(Action::ProposeKeyAccount {
            owner: c.owner_id.map(UserId),
        })?;
        let grid = st.store.grid(false).await?;
        let mut items = Vec::new();
        let mut e = FieldErrors::new();
        for g in &grid {
            let raw = val(&fields, &format!("score_{}", g.id)).trim();
            if raw.is_empty() {
                continue;
            }
            // Left as the page showed it: not written again, so that
            // another person's score given meanwhile stays.
            let was = format!("was_score_{}", g.id);
            let evidence = val(&fields, &format!("evidence_{}", g.id)).trim();
            if fields.iter().any(|(k, _)| *k == was)
                && raw == val(&fields, &was).trim()
                && evidence == val(&fields, &format!("was_evidence_{}", g.id)).trim()
            {
                continue;
            }
            match raw.parse::<i64>() {
                Ok(s) => items.push(ScoreIn {
                    criterion_id: g.id,
                    score: s,
                    evidence: Some(val(&fields, &format!("evidence_{}", g.id)).to_owned()),
                }),
                Err(_) => e.push(FieldError::new(
                    &format!("score_{}", g.id),
                    "out-of-range",
                    "a score goes from 1 to 5",
                )),
            }
        }
        if !e.is_empty() {
            return Err(ApiError::Invalid(e));
        }
        // Nothing changed on the page: nothing to write.
        if items.is_empty() {
            return Ok(None);
        }
        // Messages name the form's fields.
        let scores = sel_api::parse_scores(&items).map_err(|err| match err {
            ApiError::Invalid(errs) => {
                let mut out = FieldErrors::new();
                for f in errs.0 {
                    let name = f
                        .field
                        .strip_prefix("scores[")
                        .and_then(|r| r.split_once("]."))
                        .and_then(|(i, what)| {
                            let i: usize = i.parse().ok()?;
                            Some(format!("{what}_{}", items.get(i)?.criterion_id))
                        })
                        .unwrap_or(f.field.clone());
                    out.push(FieldError::new(&name, f.code, f.message));
                }
                ApiError::Invalid(out)
            }
            other => other,
        })?;
        if !scores.is_empty() {
            st.store
                .set_scores(u.id(), id, &scores)
                .await
                .map_err(store_err)?;
        }
        Ok(None)
    }
    .await;
    outcome(&st, &headers, u, id, &fields, r).await
}

async fn propose(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let r = async {
        let c = st.store.customer(id).await?;
        u.require(Action::ProposeKeyAccount {
            owner: c.owner_id.map(UserId),
        })?;
        let mut e = FieldErrors::new();
        let manager = super::forms::opt_int(&mut e, "manager_id", val(&fields, "manager_id"));
        let sponsor = super::forms::opt_int(&mut e, "sponsor_id", val(&fields, "sponsor_id"));
        let reason = e.take(parse_reason("reason", Some(val(&fields, "reason"))));
        if manager.is_none() && e.get("manager_id").is_none() {
            e.push(FieldError::required("manager_id"));
        }
        let (Some(manager_id), Some(reason)) = (manager, reason) else {
            return Err(ApiError::Invalid(e));
        };
        if !e.is_empty() {
            return Err(ApiError::Invalid(e));
        }
        st.store
            .propose_key_account(
                u.id(),
                id,
                &Proposal {
                    manager_id,
                    sponsor_id: sponsor,
                    reason,
                    may_change_sponsor: u.can(Action::ManageProgram),
                },
            )
            .await?;
        Ok(sel_api::capacity_warning(&st, manager_id, id).await)
    }
    .await;
    outcome(&st, &headers, u, id, &fields, r).await
}

async fn approve(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let r = async {
        u.require(Action::DecideKeyAccount {
            sponsor: sel_api::deciding_sponsor(&st, id).await?,
        })?;
        let note = clef_domain::OptionalText::parse("note", Some(val(&fields, "note")), 2000)?
            .into_option();
        let over = match val(&fields, "override_reason").trim() {
            "" => None,
            r => Some(parse_reason("override_reason", Some(r))?),
        };
        st.store.approve_key_account(u.id(), id, note, over).await?;
        Ok(None)
    }
    .await;
    outcome(&st, &headers, u, id, &fields, r).await
}

async fn reject(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let r = async {
        u.require(Action::DecideKeyAccount {
            sponsor: sel_api::deciding_sponsor(&st, id).await?,
        })?;
        let reason = parse_reason("reject_reason", Some(val(&fields, "reject_reason")))?;
        if !super::confirmed(&fields) {
            return Ok(Err(reason));
        }
        st.store.reject_key_account(u.id(), id, reason).await?;
        Ok(Ok(None))
    }
    .await;
    decided(&st, &headers, u, (id, "reject"), &fields, r).await
}

/// How a decision that takes an account out of the program (`deselect`),
/// or turns down its proposal (`reject`), ends: asked once more with its
/// reason (`Ok(Err(reason))`) until confirmed, then its outcome.
async fn decided(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    (id, step): (i64, &'static str),
    fields: &Fields,
    r: Result<Result<Option<String>, String>, ApiError>,
) -> Response {
    let reason = match r {
        Ok(Err(reason)) => reason,
        r => return outcome(st, headers, u, id, fields, r.map(|x| x.ok().flatten())).await,
    };
    let back = format!("/customers/{id}/selection");
    let ctx = Ctx::new(st, headers, Some(u), &back);
    let c = match st.store.customer(id).await {
        Ok(c) => c,
        Err(e) => return error_page(ctx, e),
    };
    let what = ctx.tr.t1(&format!("confirm-{step}"), "name", &c.name);
    let reason_line = format!("{}{} {reason}", ctx.t("confirm-why"), ctx.t("colon"));
    let mut p = super::ConfirmPage::new(
        ctx,
        what,
        format!("/customers/{id}/selection/{step}"),
        back,
        c.version,
    );
    p.button = p.ctx.t(step);
    p.history = p.ctx.t("confirm-decision-history");
    p.details = vec![reason_line];
    p.hidden = vec![(format!("{step}_reason"), reason)];
    render(StatusCode::OK, &p)
}

async fn deselect(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let r = async {
        u.require(Action::DeselectKeyAccount)?;
        let reason = parse_reason("deselect_reason", Some(val(&fields, "deselect_reason")))?;
        if !super::confirmed(&fields) {
            return Ok(Err(reason));
        }
        st.store.deselect_key_account(u.id(), id, reason).await?;
        Ok(Ok(None))
    }
    .await;
    decided(&st, &headers, u, (id, "deselect"), &fields, r).await
}

// ---------- program ----------

#[derive(Template)]
#[template(path = "program.html")]
struct ProgramPage<'a> {
    ctx: Ctx<'a>,
    loads: Vec<ManagerLoad>,
    pending: Vec<selection_event::Model>,
    recent: Vec<selection_event::Model>,
    names: HashMap<i64, String>,
    users: Vec<user::Model>,
}

impl ProgramPage<'_> {
    fn customer(&self, id: &i64) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"))
    }
    fn user_name(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.users.iter().find(|u| u.id == id))
            .map_or("—".into(), |u| u.name.clone())
    }
    fn title(&self, l: &ManagerLoad) -> String {
        l.title
            .map_or(self.ctx.tr.choice("title", "key_account_manager"), |t| {
                self.ctx.tr.choice("title", t.as_str())
            })
    }
    /// The load's place from below the range to over capacity, for sorting.
    fn load_rank(&self, l: &ManagerLoad) -> u8 {
        l.load as u8
    }
    fn range(&self, l: &ManagerLoad) -> String {
        if l.capacity.min > 0 {
            format!("{}–{}", l.capacity.min, l.capacity.max)
        } else {
            format!("≤ {}", l.capacity.max)
        }
    }
}

/// The managers' loads as CSV, as the program page lists them.
async fn loads_csv(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    let loads = match st.store.manager_loads().await {
        Ok(l) => l,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), "/program"), e),
    };
    let cell = clef_store::import::cell;
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record([
        "user_id",
        "name",
        "email",
        "title",
        "key_accounts",
        "capacity_min",
        "capacity_max",
        "load",
    ]);
    for l in &loads {
        let _ = w.write_record([
            l.user.id.to_string(),
            cell(&l.user.name),
            cell(&l.user.email),
            l.title
                .map_or("key_account_manager", |t| t.as_str())
                .to_owned(),
            l.held.to_string(),
            l.capacity.min.to_string(),
            l.capacity.max.to_string(),
            l.load.as_str().to_owned(),
        ]);
    }
    crate::api::relationships::csv_response("manager-loads.csv", w.into_inner().unwrap_or_default())
}

/// Every selection decision as CSV, newest first (the page shows the last
/// 30).
async fn decisions_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
) -> Response {
    let loaded = async {
        let events = st.store.recent_decisions(u64::MAX >> 1).await?;
        let mut ids: Vec<i64> = events.iter().map(|e| e.customer_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let names = st.store.customer_names(&ids).await?;
        let users: HashMap<i64, String> = st
            .store
            .list_users()
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        Ok::<_, StoreError>((events, names, users))
    }
    .await;
    let (events, names, users) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), "/program"), e),
    };
    let cell = clef_store::import::cell;
    let name = |id: Option<i64>| {
        id.and_then(|i| users.get(&i))
            .map(|n| cell(n))
            .unwrap_or_default()
    };
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record([
        "at",
        "customer_id",
        "customer",
        "decision",
        "by",
        "manager",
        "sponsor",
        "score",
        "reason",
        "override_reason",
    ]);
    for e in &events {
        let _ = w.write_record([
            clef_domain::rfc3339(e.at),
            e.customer_id.to_string(),
            cell(names.get(&e.customer_id).map_or("", String::as_str)),
            e.decision.clone(),
            name(e.actor_id),
            name(e.manager_id),
            name(e.sponsor_id),
            e.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
            cell(e.reason.as_deref().unwrap_or_default()),
            cell(e.override_reason.as_deref().unwrap_or_default()),
        ]);
    }
    crate::api::relationships::csv_response(
        "selection-decisions.csv",
        w.into_inner().unwrap_or_default(),
    )
}

async fn program(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    let ctx = Ctx::new(&st, &headers, Some(u), "/program");
    let loaded = tokio::try_join!(
        st.store.manager_loads(),
        st.store.pending_proposals(),
        st.store.recent_decisions(30),
        st.store.list_users()
    );
    let (loads, pending, recent, users) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let mut ids: Vec<i64> = pending
        .iter()
        .chain(recent.iter())
        .map(|e| e.customer_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names = match st.store.customer_names(&ids).await {
        Ok(n) => n,
        Err(e) => return error_page(ctx, e),
    };
    render(
        StatusCode::OK,
        &ProgramPage {
            ctx,
            loads,
            pending,
            recent,
            names,
            users,
        },
    )
}
