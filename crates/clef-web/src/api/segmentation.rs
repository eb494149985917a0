//! `/api/v1/segmentations`: saved segmentations, live what-ifs, applied
//! snapshots and their comparison, and the CSV exports of every output.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::{
    AppState,
    auth::{ApiUser, CurrentUser},
    engine::{self, Portfolio, WhatIf},
    error::ApiError,
};
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use clef_domain::{
    FieldError, FieldErrors, RequiredText,
    policy::Action,
    segmentation::{Config, Scope},
};
use clef_store::{NewPlacement, segmentation, segmentation_snapshot};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// A segmentation to create or change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentationIn {
    #[schema(example = "France 2027")]
    pub name: String,
    /// company, business_unit, region, country or owner (default company).
    pub scope_kind: Option<String>,
    /// The business unit or owner id, the region or the country code.
    pub scope_value: Option<String>,
    /// Criteria, weights, scales, cut-offs, thresholds and tier rules; the
    /// practice's defaults when left out.
    #[schema(value_type = Object, required = false)]
    #[serde(default, deserialize_with = "super::object_only")]
    pub config: Option<Config>,
    /// Required to change: the version read.
    pub version: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentationOut {
    pub id: i64,
    pub name: String,
    pub scope_kind: String,
    pub scope_value: Option<String>,
    #[schema(value_type = Object)]
    pub config: Config,
    pub version: i64,
    pub updated_at: String,
}

fn config_of(m: &segmentation::Model) -> Config {
    serde_json::from_str(&m.config).unwrap_or_default()
}

impl From<&segmentation::Model> for SegmentationOut {
    fn from(m: &segmentation::Model) -> Self {
        Self {
            id: m.id,
            name: m.name.clone(),
            scope_kind: m.scope_kind.clone(),
            scope_value: m.scope_value.clone(),
            config: config_of(m),
            version: m.version,
            updated_at: clef_domain::rfc3339(m.updated_at),
        }
    }
}

/// A what-if: settings to try on a saved segmentation (its own when left out).
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PreviewIn {
    #[schema(value_type = Object, required = false)]
    #[serde(default, deserialize_with = "super::object_only")]
    pub config: Option<Config>,
    pub scope_kind: Option<String>,
    pub scope_value: Option<String>,
    /// How many movers to list (default 50, at most 500).
    pub movers: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CellOut {
    /// 0 is the lowest attractiveness.
    pub row: usize,
    /// 0 is the weakest position.
    pub col: usize,
    pub posture: String,
    pub customers: u64,
    pub revenue_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClassOut {
    pub class: String,
    pub customers: u64,
    pub measure_cents: i64,
    /// Share of the measure, 0–1.
    pub share: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MoverOut {
    pub customer_id: i64,
    pub name: String,
    pub from_tier: Option<String>,
    pub to_tier: String,
    pub from_class: Option<String>,
    pub to_class: String,
    pub from_cell: Option<[usize; 2]>,
    pub to_cell: [usize; 2],
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewOut {
    pub customers: u64,
    pub rows: usize,
    pub cols: usize,
    pub cells: Vec<CellOut>,
    pub classes: Vec<ClassOut>,
    /// gold, silver, bronze.
    pub tiers: Vec<(String, u64)>,
    /// The Pareto curve: (share of customers, cumulative share of the measure).
    pub curve: Vec<(f64, f64)>,
    /// Compared with the last snapshot, or with today's tiers when none.
    pub compared_with_snapshot: Option<i64>,
    pub moved: u64,
    pub movers: Vec<MoverOut>,
    /// Server time of the computation, in milliseconds.
    pub compute_ms: f64,
}

impl PreviewOut {
    /// No result (shown with the messages of settings that cannot be computed).
    pub fn empty() -> Self {
        Self {
            customers: 0,
            rows: 0,
            cols: 0,
            cells: Vec::new(),
            classes: Vec::new(),
            tiers: Vec::new(),
            curve: Vec::new(),
            compared_with_snapshot: None,
            moved: 0,
            movers: Vec::new(),
            compute_ms: 0.0,
        }
    }
}

pub(crate) fn parse_in(body: &SegmentationIn) -> Result<(String, Scope, Config), ApiError> {
    let mut e = FieldErrors::new();
    let name = e.take(RequiredText::parse("name", &body.name, 200));
    let scope = e.take(Scope::parse(
        body.scope_kind.as_deref().unwrap_or("company"),
        body.scope_value.as_deref(),
    ));
    let config = body.config.clone().unwrap_or_default();
    if let Err(errs) = config.check() {
        for f in errs.0 {
            e.push(FieldError::new(
                &format!("config.{}", f.field),
                f.code,
                f.message,
            ));
        }
    }
    match (name, scope) {
        (Some(n), Some(s)) if e.is_empty() => Ok((n.as_str().to_owned(), s, config)),
        _ => Err(ApiError::Invalid(e)),
    }
}

/// Runs a what-if of `cfg` on `scope`, compared with the segmentation's last snapshot.
pub(crate) async fn what_if(
    st: &AppState,
    seg_id: Option<i64>,
    scope: &Scope,
    cfg: Config,
    limit: usize,
) -> Result<(Arc<Portfolio>, WhatIf, Option<i64>, f64), ApiError> {
    let p = st.engine.portfolio(&st.store).await?;
    let last = match seg_id {
        Some(id) => st.store.last_snapshot_id(id).await?,
        None => None,
    };
    let baseline = match last {
        Some(s) => Some(st.engine.baseline(&st.store, &p, s).await?),
        None => None,
    };
    let scope = scope.clone();
    let p2 = Arc::clone(&p);
    let (w, ms) = tokio::task::spawn_blocking(move || {
        let t0 = std::time::Instant::now();
        let idx = p2.scope(&scope);
        let w = engine::run(&p2, &cfg, &idx, baseline.as_deref(), limit);
        (w, t0.elapsed().as_secs_f64() * 1000.0)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the what-if stopped: {e}")))?;
    Ok((p, w, last, ms))
}

pub(crate) fn preview_out(p: &Portfolio, w: &WhatIf, last: Option<i64>, ms: f64) -> PreviewOut {
    let o = &w.outcome;
    let total = o.total_measure.max(1) as f64;
    PreviewOut {
        customers: o.scope.len() as u64,
        rows: o.rows,
        cols: o.cols,
        cells: o
            .cells
            .iter()
            .map(|c| CellOut {
                row: c.row,
                col: c.col,
                posture: c.posture.as_str().to_owned(),
                customers: c.customers,
                revenue_cents: c.revenue_cents,
            })
            .collect(),
        classes: ["A", "B", "C"]
            .iter()
            .zip(o.classes.iter())
            .map(|(k, c)| ClassOut {
                class: (*k).to_owned(),
                customers: c.customers,
                measure_cents: c.measure_cents,
                share: c.measure_cents as f64 / total,
            })
            .collect(),
        tiers: ["gold", "silver", "bronze"]
            .iter()
            .zip(o.tiers.iter())
            .map(|(t, n)| ((*t).to_owned(), *n))
            .collect(),
        curve: o.curve.clone(),
        compared_with_snapshot: last,
        moved: w.moved,
        movers: w
            .movers
            .iter()
            .map(|m| MoverOut {
                customer_id: m.id,
                name: p.names.get(m.index).cloned().unwrap_or_default(),
                from_tier: m.from_tier.map(|t| t.as_str().to_owned()),
                to_tier: m.to_tier.as_str().to_owned(),
                from_class: m.from_abc.map(|a| a.as_str().to_owned()),
                to_class: m.to_abc.as_str().to_owned(),
                from_cell: m.from_cell.map(|(r, c)| [r, c]),
                to_cell: [m.to_cell.0, m.to_cell.1],
            })
            .collect(),
        compute_ms: ms,
    }
}

/// Starts applying a saved segmentation (a snapshot stored, the tiers set)
/// in a task of its own, so that a client that stops waiting does not cut
/// it short and a page can show how far it is. 409 while the same
/// segmentation is still being applied.
pub(crate) async fn start_apply(
    st: &AppState,
    u: &CurrentUser,
    seg: &segmentation::Model,
) -> Result<
    (
        Arc<crate::engine::ApplyJob>,
        tokio::task::JoinHandle<Result<segmentation_snapshot::Model, ApiError>>,
    ),
    ApiError,
> {
    let Some(job) = st.engine.begin_apply(seg.id) else {
        return Err(ApiError::Conflict(
            "this segmentation is being applied right now; wait until that ends".into(),
        ));
    };
    // Being applied by another instance sharing the database (this one's
    // own apply writes its snapshot later).
    let elsewhere = match st.store.applying_since(seg.id).await {
        Ok(e) => e.is_some(),
        Err(e) => {
            job.finish(Err(APPLY_SERVER_ERROR.into()));
            st.engine.forget_apply(seg.id);
            return Err(e.into());
        }
    };
    if elsewhere {
        job.finish(Err(APPLY_ELSEWHERE.into()));
        st.engine.forget_apply(seg.id);
        return Err(ApiError::Conflict(APPLY_ELSEWHERE.into()));
    }
    let guard = crate::engine::Unfinished(Arc::clone(&job));
    let prepared = async {
        let cfg = config_of(seg);
        let (p, w, _, _) = what_if(st, Some(seg.id), &seg.scope(), cfg, 0).await?;
        let o = &w.outcome;
        let mut placements = Vec::with_capacity(o.scope.len());
        let mut changes = Vec::new();
        for (k, i) in o.scope.iter().enumerate() {
            let i = *i as usize;
            let (row, col) = o.cell_of(i);
            let tier = o.tier_of(i);
            let id = p.frame.ids[i];
            placements.push(NewPlacement {
                customer_id: id,
                abc: o.abc_of(i).as_str(),
                row,
                col,
                tier,
                attractiveness: o.attractiveness[k],
                position: o.position[k],
            });
            if p.frame.tier[i] != Some(tier) {
                changes.push((id, tier));
            }
        }
        let summary = serde_json::to_value(preview_out(&p, &w, None, 0.0))
            .map(|mut v| {
                if let Some(m) = v.as_object_mut() {
                    m.remove("movers");
                    m.remove("curve");
                }
                v
            })
            .unwrap_or_default();
        Ok::<_, ApiError>((placements, changes, summary))
    }
    .await;
    let (placements, changes, summary) = match prepared {
        Ok(x) => x,
        Err(e) => {
            job.finish(Err(said(&e)));
            return Err(e);
        }
    };
    let (store, actor, seg, running) = (st.store.clone(), u.id(), seg.clone(), Arc::clone(&job));
    let handle = tokio::spawn(async move {
        let _guard = guard;
        let r = store
            .apply_segmentation(
                actor,
                &seg,
                &placements,
                &changes,
                &summary,
                &running.progress,
            )
            .await
            .map_err(ApiError::from);
        running.finish(r.as_ref().map(|s| s.id).map_err(said));
        r
    });
    Ok((job, handle))
}

/// Said of an apply stopped by an error of the server.
pub(crate) const APPLY_SERVER_ERROR: &str =
    "the work stopped on an error recorded in the server's log; nothing was changed";

/// Why an apply did not start: another instance of Clef applies the same
/// segmentation.
pub(crate) const APPLY_ELSEWHERE: &str = "this segmentation is being applied by another server of Clef sharing the database; wait until that ends";

/// What a person is told of an apply that failed.
fn said(e: &ApiError) -> String {
    match e {
        ApiError::Conflict(m)
        | ApiError::BadRequest(m)
        | ApiError::NotFound(m)
        | ApiError::Forbidden(m) => m.clone(),
        ApiError::Internal(m) => {
            tracing::error!(error = %m, "applying a segmentation failed");
            APPLY_SERVER_ERROR.into()
        }
        _ => "the segmentation could not be applied; nothing was changed".into(),
    }
}

/// Applies a saved segmentation and waits for the end.
pub(crate) async fn apply(
    st: &AppState,
    u: &CurrentUser,
    seg: &segmentation::Model,
) -> Result<segmentation_snapshot::Model, ApiError> {
    let (_, handle) = start_apply(st, u, seg).await?;
    let r = handle
        .await
        .map_err(|e| ApiError::Internal(format!("applying the segmentation stopped: {e}")))?;
    st.engine.forget_apply(seg.id);
    r
}

#[utoipa::path(get, path = "/api/v1/segmentations", tag = "segmentation",
    responses((status = 200, body = [SegmentationOut])), security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<SegmentationOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let all = st.store.list_segmentations().await?;
    Ok(Json(all.iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/segmentations", tag = "segmentation", request_body = SegmentationIn,
    responses((status = 201, body = SegmentationOut), (status = 403, description = "Directors and admins only"),
              (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(body): ApiJson<SegmentationIn>,
) -> Result<Response, ApiError> {
    u.require(Action::ManageProgram)?;
    let (name, scope, config) = parse_in(&body)?;
    let cfg = serde_json::to_value(&config).unwrap_or_default();
    let m = st
        .store
        .create_segmentation(u.id(), &name, &scope, &cfg)
        .await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/segmentations/{}", m.id))],
        Json(SegmentationOut::from(&m)),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/segmentations/{id}", tag = "segmentation", params(("id" = i64, Path)),
    responses((status = 200, body = SegmentationOut), (status = 404, description = "No such segmentation")),
    security(("bearer" = [])))]
pub async fn get_one(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SegmentationOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json((&st.store.segmentation(id).await?).into()))
}

#[utoipa::path(put, path = "/api/v1/segmentations/{id}", tag = "segmentation", params(("id" = i64, Path)),
    request_body = SegmentationIn,
    responses((status = 200, body = SegmentationOut), (status = 409, description = "Changed by someone else"),
              (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn update(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SegmentationIn>,
) -> Result<Json<SegmentationOut>, ApiError> {
    u.require(Action::ManageProgram)?;
    let (name, scope, config) = parse_in(&body)?;
    let Some(version) = body.version else {
        return Err(ApiError::field(
            "version",
            "required",
            "version is required: send the version you read, so that no one's change is lost",
        ));
    };
    let cfg = serde_json::to_value(&config).unwrap_or_default();
    let m = st
        .store
        .update_segmentation(u.id(), id, version, &name, &scope, &cfg)
        .await?;
    Ok(Json((&m).into()))
}

#[utoipa::path(delete, path = "/api/v1/segmentations/{id}", tag = "segmentation", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted with its snapshots; its settings can be restored (`/api/v1/segmentations/deleted`)")),
    security(("bearer" = [])))]
pub async fn delete(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    u.require(Action::ManageProgram)?;
    st.store.delete_segmentation(u.id(), id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A segmentation deleted and not restored.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedSegmentationOut {
    /// The history entry of its deletion: what a restore names.
    pub entry: i64,
    /// When it was deleted (RFC 3339 UTC).
    pub deleted_at: String,
    /// Who deleted it.
    pub deleted_by: Option<i64>,
    pub name: String,
    pub scope_kind: String,
    pub scope_value: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/segmentations/deleted", tag = "segmentation",
    responses((status = 200, body = [DeletedSegmentationOut], description = "The latest 50 deleted and not restored, the latest first"),
              (status = 403, description = "Only those who may restore them (directors and admins)")),
    security(("bearer" = [])))]
pub async fn deleted(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<DeletedSegmentationOut>>, ApiError> {
    u.require(Action::ManageProgram)?;
    Ok(Json(
        st.store
            .deleted_segmentations()
            .await?
            .into_iter()
            .map(|d| DeletedSegmentationOut {
                entry: d.entry_id,
                deleted_at: clef_domain::rfc3339(d.deleted_at),
                deleted_by: d.deleted_by,
                name: d.name,
                scope_kind: d.scope_kind,
                scope_value: d.scope_value,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/segmentations/deleted/{entry}/restore", tag = "segmentation",
    params(("entry" = i64, Path, description = "The history entry of the deletion")),
    responses((status = 201, body = SegmentationOut, description = "Restored under a new id, with its name, scope and settings; without snapshots until applied again"),
              (status = 404, description = "No such deleted segmentation"),
              (status = 409, description = "Restored already")),
    security(("bearer" = [])))]
pub async fn restore(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(entry): ApiPath<i64>,
) -> Result<Response, ApiError> {
    u.require(Action::ManageProgram)?;
    let m = st.store.restore_segmentation(u.id(), entry).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/segmentations/{}", m.id))],
        Json(SegmentationOut::from(&m)),
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/segmentations/{id}/preview", tag = "segmentation", params(("id" = i64, Path)),
    request_body = PreviewIn,
    responses((status = 200, body = PreviewOut), (status = 422, description = "Invalid setting(s), each named")),
    security(("bearer" = [])))]
pub async fn preview(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PreviewIn>,
) -> Result<Json<PreviewOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let seg = st.store.segmentation(id).await?;
    let input = SegmentationIn {
        name: seg.name.clone(),
        scope_kind: body.scope_kind.clone().or(Some(seg.scope_kind.clone())),
        scope_value: if body.scope_kind.is_some() {
            body.scope_value.clone()
        } else {
            seg.scope_value.clone()
        },
        config: body.config.clone().or_else(|| Some(config_of(&seg))),
        version: None,
    };
    let (_, scope, cfg) = parse_in(&input)?;
    let limit = body.movers.unwrap_or(50).min(500);
    let (p, w, last, ms) = what_if(&st, Some(id), &scope, cfg, limit).await?;
    Ok(Json(preview_out(&p, &w, last, ms)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SnapshotOut {
    pub id: i64,
    pub segmentation_id: i64,
    pub applied_at: String,
    pub applied_by: Option<i64>,
    pub customers: i64,
    pub tiers_changed: i64,
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
}

impl From<&segmentation_snapshot::Model> for SnapshotOut {
    fn from(s: &segmentation_snapshot::Model) -> Self {
        Self {
            id: s.id,
            segmentation_id: s.segmentation_id,
            applied_at: clef_domain::rfc3339(s.applied_at),
            applied_by: s.applied_by,
            customers: s.customers,
            tiers_changed: s.tiers_changed,
            summary: serde_json::from_str(&s.summary).unwrap_or_default(),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/segmentations/{id}/apply", tag = "segmentation", params(("id" = i64, Path)),
    responses((status = 201, body = SnapshotOut, description = "A dated snapshot; every customer of the scope has its new tier"),
        (status = 409, description = "The same segmentation is being applied right now (from a page, say)")),
    security(("bearer" = [])))]
pub async fn apply_one(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    u.require(Action::ManageProgram)?;
    let seg = st.store.segmentation(id).await?;
    let snap = apply(&st, &u, &seg).await?;
    Ok((StatusCode::CREATED, Json(SnapshotOut::from(&snap))).into_response())
}

#[utoipa::path(get, path = "/api/v1/segmentations/{id}/snapshots", tag = "segmentation", params(("id" = i64, Path)),
    responses((status = 200, body = [SnapshotOut])), security(("bearer" = [])))]
pub async fn snapshots(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<SnapshotOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    st.store.segmentation(id).await?;
    Ok(Json(
        st.store
            .snapshots(id)
            .await?
            .iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    /// The earlier snapshot.
    pub from: i64,
    /// The later snapshot.
    pub to: i64,
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlacedOut {
    pub class: String,
    pub cell: [i64; 2],
    pub tier: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovedOut {
    pub customer_id: i64,
    pub name: Option<String>,
    pub from: PlacedOut,
    pub to: PlacedOut,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComparisonOut {
    pub from: i64,
    pub to: i64,
    pub moved: u64,
    /// (from, to, customers).
    pub class_moves: Vec<(String, String, u64)>,
    pub tier_moves: Vec<(String, String, u64)>,
    pub left: u64,
    pub entered: u64,
    pub page: u64,
    pub per_page: u64,
    pub items: Vec<MovedOut>,
}

#[utoipa::path(get, path = "/api/v1/snapshots/compare", tag = "segmentation", params(CompareQuery),
    responses((status = 200, body = ComparisonOut), (status = 404, description = "No such snapshot")),
    security(("bearer" = [])))]
pub async fn compare(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<ComparisonOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(
        comparison(&st, q.from, q.to, q.page, q.per_page).await?,
    ))
}

pub(crate) async fn comparison(
    st: &AppState,
    from: i64,
    to: i64,
    page: Option<u64>,
    per_page: Option<u64>,
) -> Result<ComparisonOut, ApiError> {
    let page_req = clef_domain::PageRequest::parse(page, per_page, 50)?;
    st.store.snapshot(from).await?;
    st.store.snapshot(to).await?;
    let c = st
        .store
        .compare_snapshots(from, to, page_req.offset(), page_req.per_page)
        .await?;
    let placed = |p: clef_store::Placed| PlacedOut {
        class: p.abc,
        cell: [p.row, p.col],
        tier: p.tier,
    };
    Ok(ComparisonOut {
        from,
        to,
        moved: c.moved,
        class_moves: c.class_moves,
        tier_moves: c.tier_moves,
        left: c.left,
        entered: c.entered,
        page: page_req.page,
        per_page: page_req.per_page,
        items: c
            .page
            .into_iter()
            .map(|m| MovedOut {
                customer_id: m.customer_id,
                name: m.name,
                from: placed(m.from),
                to: placed(m.to),
            })
            .collect(),
    })
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ExportQuery {
    /// customers (class, cell, posture, tier per customer), matrix or abc.
    pub what: String,
}

/// Every output of a saved segmentation as CSV, computed now.
pub(crate) async fn export_csv(st: &AppState, id: i64, what: &str) -> Result<Response, ApiError> {
    let seg = st.store.segmentation(id).await?;
    let what = match what.trim() {
        "" | "customers" => "customers",
        "matrix" => "matrix",
        "abc" => "abc",
        other => {
            return Err(ApiError::field(
                "what",
                "invalid-choice",
                format!("what must be customers, matrix or abc, not \"{other}\""),
            ));
        }
    };
    let (p, w, _, _) = what_if(st, None, &seg.scope(), config_of(&seg), 0).await?;
    let what_owned = what.to_owned();
    let bytes = tokio::task::spawn_blocking(move || csv_bytes(&p, &w, &what_owned))
        .await
        .map_err(|e| ApiError::Internal(format!("the export stopped: {e}")))??;
    let name = format!("segmentation-{id}-{what}.csv");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn csv_bytes(p: &Portfolio, w: &WhatIf, what: &str) -> Result<Vec<u8>, ApiError> {
    let o = &w.outcome;
    let mut out = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let err = |e: csv::Error| ApiError::Internal(format!("the export failed: {e}"));
    match what {
        "matrix" => {
            out.write_record([
                "attractiveness_row",
                "position_col",
                "posture",
                "customers",
                "revenue_cents",
            ])
            .map_err(err)?;
            for c in &o.cells {
                out.write_record([
                    c.row.to_string(),
                    c.col.to_string(),
                    c.posture.as_str().to_owned(),
                    c.customers.to_string(),
                    c.revenue_cents.to_string(),
                ])
                .map_err(err)?;
            }
        }
        "abc" => {
            out.write_record(["class", "customers", "measure_cents", "share"])
                .map_err(err)?;
            for (k, c) in ["A", "B", "C"].iter().zip(o.classes.iter()) {
                out.write_record([
                    (*k).to_owned(),
                    c.customers.to_string(),
                    c.measure_cents.to_string(),
                    format!(
                        "{:.6}",
                        c.measure_cents as f64 / o.total_measure.max(1) as f64
                    ),
                ])
                .map_err(err)?;
            }
        }
        _ => {
            out.write_record([
                "customer_id",
                "name",
                "revenue_12m_cents",
                "class",
                "attractiveness",
                "position",
                "attractiveness_row",
                "position_col",
                "posture",
                "tier",
                "current_tier",
            ])
            .map_err(err)?;
            for (k, i) in o.scope.iter().enumerate() {
                let i = *i as usize;
                let (r, c) = o.cell_of(i);
                out.write_record([
                    p.frame.ids[i].to_string(),
                    clef_store::import::cell(&p.names[i]),
                    p.frame.revenue[i].to_string(),
                    o.abc_of(i).as_str().to_owned(),
                    format!("{:.4}", o.attractiveness[k]),
                    format!("{:.4}", o.position[k]),
                    r.to_string(),
                    c.to_string(),
                    o.posture_of(i).as_str().to_owned(),
                    o.tier_of(i).as_str().to_owned(),
                    p.frame.tier[i].map(|t| t.as_str()).unwrap_or("").to_owned(),
                ])
                .map_err(err)?;
            }
        }
    }
    out.into_inner()
        .map_err(|e| ApiError::Internal(format!("the export failed: {e}")))
}

#[utoipa::path(get, path = "/api/v1/segmentations/{id}/export.csv", tag = "segmentation",
    params(("id" = i64, Path), ExportQuery),
    responses((status = 200, content_type = "text/csv", description = "The outputs as CSV")),
    security(("bearer" = [])))]
pub async fn export(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    u.require(Action::ReadPortfolio)?;
    export_csv(&st, id, &q.what).await
}
