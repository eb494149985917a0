//! Segmentation pages: the list, the what-if page (the matrix, the Pareto
//! curve and the customers who would move follow the sliders without a
//! reload), applying with confirmation, and comparing two snapshots.

use super::{
    Ctx, api_error_page, error_page, forbidden,
    forms::{Fields, all, val},
    message, render,
};
use crate::{
    AppState,
    api::segmentation::{self as seg_api, ComparisonOut, PreviewOut, SegmentationIn},
    auth::UiUser,
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
    FieldErrors, ServiceTier,
    policy::Action,
    segmentation::{Abc, AbcMeasure, Axis, Config, Criterion, Posture, Scale, Scope, Weighted},
};
use clef_store::{business_unit, segmentation, segmentation_snapshot, user};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/segmentations", get(list).post(create))
        .route("/segmentations.csv", get(list_csv))
        .route("/segmentations/deleted/{entry}/restore", post(restore))
        .route("/segmentations/{id}", get(page).post(save))
        .route("/segmentations/{id}/snapshots", get(all_snapshots))
        .route("/segmentations/{id}/snapshots.csv", get(snapshots_csv))
        .route("/segmentations/{id}/preview", post(preview))
        .route("/segmentations/{id}/movers.csv", post(movers_csv))
        .route("/segmentations/{id}/apply", get(apply_confirm).post(apply))
        .route("/segmentations/{id}/applying", get(applying))
        .route(
            "/segmentations/{id}/delete",
            get(delete_confirm).post(delete),
        )
        .route("/segmentations/{id}/compare", get(compare))
        .route("/segmentations/{id}/compare.csv", get(compare_csv))
        .route("/segmentations/{id}/export.csv", get(export))
}

/// One row of the criteria table, as typed.
#[derive(Debug, Clone)]
pub struct CritRow {
    pub criterion: Criterion,
    pub axis: String,
    pub weight: String,
    pub scale: String,
}

/// The what-if form as typed, for re-display.
#[derive(Debug, Clone)]
pub struct ConfigForm {
    pub name: String,
    pub scope_kind: String,
    pub scope_value: String,
    pub version: String,
    pub rows: Vec<CritRow>,
    pub abc_measure: String,
    pub abc_a: String,
    pub abc_b: String,
    pub att: [String; 2],
    pub pos: [String; 2],
    pub targets: String,
    pub gold: Vec<String>,
    pub silver: Vec<String>,
}

impl ConfigForm {
    fn from_saved(m: &segmentation::Model) -> Self {
        let cfg: Config = serde_json::from_str(&m.config).unwrap_or_default();
        let mut f = Self::from_config(&cfg);
        f.name = m.name.clone();
        f.scope_kind = m.scope_kind.clone();
        f.scope_value = m.scope_value.clone().unwrap_or_default();
        f.version = m.version.to_string();
        f
    }

    fn from_config(cfg: &Config) -> Self {
        let rows = Criterion::ALL
            .iter()
            .map(|c| {
                let w = cfg.criteria.iter().find(|w| w.criterion == *c);
                CritRow {
                    criterion: *c,
                    axis: w.map_or(default_axis(*c), |w| w.axis).as_str().to_owned(),
                    weight: w.map_or("0".into(), |w| format!("{}", w.weight)),
                    scale: w.map_or(Scale::Percentile, |w| w.scale).as_str().to_owned(),
                }
            })
            .collect();
        let num = |v: f64| format!("{v}");
        let t = |v: &[f64], k: usize| v.get(k).map_or(String::new(), |x| num(*x));
        let rule = |abc: &[Abc], p: &[Posture]| {
            abc.iter()
                .map(|a| a.as_str().to_owned())
                .chain(p.iter().map(|p| p.as_str().to_owned()))
                .collect()
        };
        Self {
            name: String::new(),
            scope_kind: "company".into(),
            scope_value: String::new(),
            version: String::new(),
            rows,
            abc_measure: cfg.abc_measure.as_str().to_owned(),
            abc_a: num(cfg.abc_cutoffs[0]),
            abc_b: num(cfg.abc_cutoffs[1]),
            att: [
                t(&cfg.attractiveness_thresholds, 0),
                t(&cfg.attractiveness_thresholds, 1),
            ],
            pos: [
                t(&cfg.position_thresholds, 0),
                t(&cfg.position_thresholds, 1),
            ],
            targets: cfg.target_segments.join(", "),
            gold: rule(&cfg.gold.abc, &cfg.gold.postures),
            silver: rule(&cfg.silver.abc, &cfg.silver.postures),
        }
    }

    fn from_fields(f: &Fields) -> Self {
        let rows = Criterion::ALL
            .iter()
            .map(|c| CritRow {
                criterion: *c,
                axis: val(f, &format!("{c}_axis")).to_owned(),
                weight: val(f, &format!("{c}_weight")).to_owned(),
                scale: val(f, &format!("{c}_scale")).to_owned(),
            })
            .collect();
        let owned = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect();
        Self {
            name: val(f, "name").to_owned(),
            scope_kind: val(f, "scope_kind").to_owned(),
            scope_value: val(f, "scope_value").to_owned(),
            version: val(f, "version").to_owned(),
            rows,
            abc_measure: val(f, "abc_measure").to_owned(),
            abc_a: val(f, "abc_a").to_owned(),
            abc_b: val(f, "abc_b").to_owned(),
            att: [val(f, "att_1").to_owned(), val(f, "att_2").to_owned()],
            pos: [val(f, "pos_1").to_owned(), val(f, "pos_2").to_owned()],
            targets: val(f, "targets").to_owned(),
            gold: owned(all(f, "gold")),
            silver: owned(all(f, "silver")),
        }
    }

    /// The configuration, or a message per wrong field (named as on the form).
    fn parse(&self) -> Result<Config, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut number = |field: &str, v: &str| -> Option<f64> {
            let t = v.trim().replace(',', ".");
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    e.push(clef_domain::FieldError::new(
                        field,
                        "invalid-number",
                        format!("{field} must be a number, not \"{}\"", v.trim()),
                    ));
                    None
                }
            }
        };
        let mut criteria = Vec::new();
        for r in &self.rows {
            let c = r.criterion;
            let w = if r.weight.trim().is_empty() {
                Some(0.0)
            } else {
                number(&format!("{c}_weight"), &r.weight)
            };
            if let Some(w) = w
                && w != 0.0
            {
                criteria.push(Weighted {
                    criterion: c,
                    axis: Axis::from_str_opt(&r.axis).unwrap_or(default_axis(c)),
                    weight: w,
                    scale: Scale::from_str_opt(&r.scale).unwrap_or(Scale::Percentile),
                });
            }
        }
        let a = number("abc_a", &self.abc_a);
        let b = number("abc_b", &self.abc_b);
        let att: Vec<Option<f64>> = self
            .att
            .iter()
            .enumerate()
            .map(|(k, v)| number(&format!("att_{}", k + 1), v))
            .collect();
        let pos: Vec<Option<f64>> = self
            .pos
            .iter()
            .enumerate()
            .map(|(k, v)| number(&format!("pos_{}", k + 1), v))
            .collect();
        let rule = |items: &[String]| clef_domain::segmentation::TierRule {
            abc: items.iter().filter_map(|s| Abc::from_str_opt(s)).collect(),
            postures: items
                .iter()
                .filter_map(|s| Posture::from_str_opt(s))
                .collect(),
        };
        let cfg = Config {
            criteria,
            abc_measure: AbcMeasure::from_str_opt(&self.abc_measure).unwrap_or(AbcMeasure::Revenue),
            abc_cutoffs: [a.unwrap_or(80.0), b.unwrap_or(95.0)],
            attractiveness_thresholds: att.iter().map(|v| v.unwrap_or(0.5)).collect(),
            position_thresholds: pos.iter().map(|v| v.unwrap_or(0.5)).collect(),
            target_segments: self
                .targets
                .split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            gold: rule(&self.gold),
            silver: rule(&self.silver),
        };
        if !e.is_empty() {
            return Err(e);
        }
        cfg.check().map_err(|errs| {
            // Name the fields as the form does.
            let mut out = FieldErrors::new();
            for f in errs.0 {
                let field = match f.field.as_str() {
                    // The cut-off that is wrong: A when it is not a share
                    // of 0 to 100, else B (above 100, or not above A).
                    "abc_cutoffs" => {
                        let a = cfg.abc_cutoffs[0];
                        if a.is_finite() && 0.0 < a && a < 100.0 {
                            "abc_b".to_owned()
                        } else {
                            "abc_a".to_owned()
                        }
                    }
                    "attractiveness_thresholds" => "att_2".to_owned(),
                    "position_thresholds" => "pos_2".to_owned(),
                    "target_segments" => "targets".to_owned(),
                    other => match other
                        .strip_prefix("criteria[")
                        .and_then(|r| r.split_once(']'))
                    {
                        Some((i, _)) => i
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| cfg.criteria.get(i))
                            .map_or("criteria".to_owned(), |w| format!("{}_weight", w.criterion)),
                        None => other.to_owned(),
                    },
                };
                out.push(clef_domain::FieldError::new(&field, f.code, f.message));
            }
            out
        })?;
        Ok(cfg)
    }

    fn checked(&self, rule: &str, item: &str) -> bool {
        let v = if rule == "gold" {
            &self.gold
        } else {
            &self.silver
        };
        v.iter().any(|x| x == item)
    }
}

fn default_axis(c: Criterion) -> Axis {
    match c {
        Criterion::ShareOfWallet
        | Criterion::CompetitivePosition
        | Criterion::Satisfaction
        | Criterion::Threat
        | Criterion::MarginRate => Axis::Position,
        _ => Axis::Attractiveness,
    }
}

// ---------- the list ----------

#[derive(Template)]
#[template(path = "segmentations.html")]
struct ListPage<'a> {
    ctx: Ctx<'a>,
    items: Vec<segmentation::Model>,
    can_manage: bool,
    /// What the page that sent the reader here did.
    notice: Option<String>,
    /// Segmentations deleted and not restored, with who deleted them, for
    /// those who may restore them.
    deleted: Vec<(clef_store::DeletedSegmentation, String)>,
    form: NewForm,
    errors: FieldErrors,
    business_units: Vec<business_unit::Model>,
    owners: Vec<user::Model>,
}

impl ListPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    fn scope_text(&self, m: &segmentation::Model) -> String {
        scope_words(
            &self.ctx,
            &m.scope_kind,
            m.scope_value.as_deref(),
            &self.business_units,
            &self.owners,
        )
    }
    fn deleted_scope_text(&self, d: &clef_store::DeletedSegmentation) -> String {
        scope_words(
            &self.ctx,
            &d.scope_kind,
            d.scope_value.as_deref(),
            &self.business_units,
            &self.owners,
        )
    }
    fn kinds(&self) -> [&'static str; 5] {
        Scope::KINDS
    }
}

/// A segmentation's scope in words: a business unit or an owner by name.
fn scope_words(
    ctx: &Ctx<'_>,
    kind: &str,
    value: Option<&str>,
    units: &[business_unit::Model],
    owners: &[user::Model],
) -> String {
    let k = ctx.tr.choice("segscope", kind);
    let Some(v) = value.filter(|v| !v.is_empty()) else {
        return k;
    };
    let id = v.parse::<i64>().ok();
    let name = match kind {
        "business_unit" => units
            .iter()
            .find(|b| Some(b.id) == id)
            .map(|b| b.name.clone()),
        "owner" => owners
            .iter()
            .find(|u| Some(u.id) == id)
            .map(|u| u.name.clone()),
        _ => None,
    };
    format!("{k} · {}", name.as_deref().unwrap_or(v))
}

/// The segmentations, as CSV.
async fn list_csv(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    let ctx = Ctx::new(&st, &headers, Some(u), "/segmentations");
    let (items, units, owners) = match tokio::try_join!(
        st.store.list_segmentations(),
        st.store.list_business_units(),
        st.store.list_users()
    ) {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let cell = clef_store::import::cell;
    super::csv_download(
        "segmentations.csv",
        &[
            "id",
            "name",
            "scope_kind",
            "scope_value",
            "scope",
            "updated_at",
        ],
        items.iter().map(|m| {
            vec![
                m.id.to_string(),
                cell(&m.name),
                m.scope_kind.clone(),
                cell(m.scope_value.as_deref().unwrap_or_default()),
                cell(&scope_words(
                    &ctx,
                    &m.scope_kind,
                    m.scope_value.as_deref(),
                    &units,
                    &owners,
                )),
                clef_domain::rfc3339(m.updated_at),
            ]
        }),
    )
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
struct NewForm {
    name: String,
    scope_kind: String,
    scope_value: String,
}

async fn list_page(
    st: &AppState,
    ctx: Ctx<'_>,
    form: NewForm,
    errors: FieldErrors,
    status: StatusCode,
    done: &str,
) -> Response {
    let can_manage = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.can(Action::ManageProgram));
    let loaded = async {
        let (items, business_units, owners) = tokio::try_join!(
            st.store.list_segmentations(),
            st.store.list_business_units(),
            st.store.list_users()
        )?;
        let deleted = if can_manage {
            let deleted = st.store.deleted_segmentations().await?;
            super::named_deleters(&owners, deleted, |d| d.deleted_by)
        } else {
            Vec::new()
        };
        Ok::<_, ApiError>((items, business_units, owners, deleted))
    };
    let (items, business_units, owners, deleted) = match loaded.await {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let notice = ["segmentation-deleted", "segmentation-restored"]
        .contains(&done)
        .then(|| ctx.t(&format!("done-{done}")));
    render(
        status,
        &ListPage {
            ctx,
            items,
            can_manage,
            notice,
            deleted,
            form,
            errors,
            business_units,
            owners,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    done: String,
}

async fn list(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let ctx = Ctx::new(&st, &headers, Some(u), "/segmentations");
    list_page(
        &st,
        ctx,
        NewForm::default(),
        FieldErrors::new(),
        StatusCode::OK,
        &q.done,
    )
    .await
}

/// Brings a deleted segmentation back; the list opens with a notice.
async fn restore(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(entry): Path<i64>,
) -> Response {
    let ctx = Ctx::new(&st, &headers, Some(u.clone()), "/segmentations");
    if !u.can(Action::ManageProgram) {
        return forbidden(ctx);
    }
    match st.store.restore_segmentation(u.id(), entry).await {
        Ok(_) => Redirect::to("/segmentations?done=segmentation-restored").into_response(),
        Err(e) => error_page(ctx, e),
    }
}

async fn create(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(form): Form<NewForm>,
) -> Response {
    let ctx = Ctx::new(&st, &headers, Some(u.clone()), "/segmentations");
    if !u.can(Action::ManageProgram) {
        return forbidden(ctx);
    }
    let input = SegmentationIn {
        name: form.name.clone(),
        scope_kind: Some(form.scope_kind.clone()),
        scope_value: Some(form.scope_value.clone()),
        config: None,
        version: None,
    };
    let (name, scope, config) = match seg_api::parse_in(&input) {
        Ok(x) => x,
        Err(ApiError::Invalid(e)) => {
            return list_page(&st, ctx, form, e, StatusCode::UNPROCESSABLE_ENTITY, "").await;
        }
        Err(e) => return api_error_page(ctx, e),
    };
    let cfg = serde_json::to_value(&config).unwrap_or_default();
    match st
        .store
        .create_segmentation(u.id(), &name, &scope, &cfg)
        .await
    {
        Ok(m) => Redirect::to(&format!("/segmentations/{}", m.id)).into_response(),
        Err(e) => error_page(ctx, e),
    }
}

// ---------- the what-if page ----------

#[derive(Template)]
#[template(path = "segmentation.html")]
struct SegPage<'a> {
    ctx: Ctx<'a>,
    seg: segmentation::Model,
    form: ConfigForm,
    errors: FieldErrors,
    result: Option<Results<'a>>,
    snapshots: Vec<segmentation_snapshot::Model>,
    /// Older snapshots not listed on the page.
    more: u64,
    can_manage: bool,
    saved: bool,
}

/// Every snapshot of a segmentation, to compare any two.
#[derive(Template)]
#[template(path = "snapshots.html")]
struct SnapshotsPage<'a> {
    ctx: Ctx<'a>,
    seg: segmentation::Model,
    snapshots: Vec<segmentation_snapshot::Model>,
    more: u64,
}

/// How many snapshots a segmentation's page lists, newest first.
const SNAPSHOTS_SHOWN: u64 = 50;

async fn all_snapshots(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let ctx = Ctx::new(
        &st,
        &headers,
        Some(u),
        &format!("/segmentations/{id}/snapshots"),
    );
    let loaded = async {
        let seg = st.store.segmentation(id).await?;
        let snapshots = st.store.snapshots(id).await?;
        Ok::<_, clef_store::StoreError>((seg, snapshots))
    }
    .await;
    match loaded {
        Ok((seg, snapshots)) => render(
            StatusCode::OK,
            &SnapshotsPage {
                ctx,
                seg,
                snapshots,
                more: 0,
            },
        ),
        Err(e) => error_page(ctx, e),
    }
}

/// Every snapshot of a segmentation, newest first, as CSV: when it was
/// applied and by whom, how many customers it placed and how many changed
/// tier.
async fn snapshots_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let ctx = Ctx::new(&st, &headers, Some(u), "");
    let loaded = async {
        st.store.segmentation(id).await?;
        tokio::try_join!(st.store.snapshots(id), st.store.list_users())
    };
    let (snapshots, users) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let names: std::collections::HashMap<i64, String> =
        users.into_iter().map(|u| (u.id, u.name)).collect();
    let cell = clef_store::import::cell;
    super::csv_download(
        &format!("snapshots-{id}.csv"),
        &[
            "id",
            "applied_at",
            "applied_by",
            "name",
            "customers",
            "tiers_changed",
        ],
        snapshots.iter().map(|s| {
            vec![
                s.id.to_string(),
                clef_domain::rfc3339(s.applied_at),
                cell(
                    s.applied_by
                        .and_then(|u| names.get(&u))
                        .map_or("", String::as_str),
                ),
                cell(&s.name),
                s.customers.to_string(),
                s.tiers_changed.to_string(),
            ]
        }),
    )
}

impl SegPage<'_> {
    /// A threshold as the reader writes decimals (0,35 in French).
    fn dec(&self, v: &str) -> String {
        v.parse::<f64>().map_or_else(
            |_| v.to_owned(),
            |x| clef_domain::format_decimal(x, 2, self.ctx.tr.locale),
        )
    }
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    fn kinds(&self) -> [&'static str; 5] {
        Scope::KINDS
    }
    fn axes(&self) -> &'static [Axis] {
        Axis::ALL
    }
    fn scales(&self) -> &'static [Scale] {
        Scale::ALL
    }
    fn classes(&self) -> &'static [Abc] {
        Abc::ALL
    }
    fn postures(&self) -> &'static [Posture] {
        Posture::ALL
    }
    fn measures(&self) -> &'static [AbcMeasure] {
        AbcMeasure::ALL
    }
}

/// The results area: matrix, curve, classes, tiers and movers.
#[derive(Template)]
#[template(path = "segmentation_results.html")]
struct Results<'a> {
    ctx: Ctx<'a>,
    out: PreviewOut,
    svg: String,
    errors: FieldErrors,
    currency: String,
}

impl Results<'_> {
    /// Matrix rows from the highest attractiveness down.
    fn rows_desc(&self) -> Vec<usize> {
        (0..self.out.rows).rev().collect()
    }
    fn cols(&self) -> Vec<usize> {
        (0..self.out.cols).collect()
    }
    fn cell(&self, r: &usize, c: &usize) -> Option<&seg_api::CellOut> {
        self.out.cells.iter().find(|x| x.row == *r && x.col == *c)
    }
    fn level(
        &self,
        i: impl std::borrow::Borrow<usize>,
        n: impl std::borrow::Borrow<usize>,
    ) -> String {
        let (i, n) = (*i.borrow(), *n.borrow());
        let k = if n <= 1 {
            1
        } else {
            ((i * 2) as f64 / (n - 1) as f64).round() as usize
        };
        self.ctx
            .t(["level-low", "level-medium", "level-high"][k.min(2)])
    }
    fn money(&self, cents: &i64) -> String {
        self.ctx.tr.money(*cents, &self.currency)
    }
    fn share(&self, x: &f64) -> String {
        self.ctx.tr.percent(*x)
    }
    fn cell_text(&self, c: &Option<[usize; 2]>) -> String {
        match c {
            Some([r, c]) => format!("{}×{}", r + 1, c + 1),
            None => "—".into(),
        }
    }
    /// A field named as its form labels it.
    fn field_label(&self, field: &str) -> String {
        let t = |k: &str| self.ctx.t(k);
        for (suffix, key) in [("_weight", "weight"), ("_scale", "scale")] {
            if let Some(c) = field.strip_suffix(suffix) {
                return format!(
                    "{} ({})",
                    self.ctx.tr.choice("crit", c),
                    t(key).to_lowercase()
                );
            }
        }
        let key = match field {
            "abc_a" => "abc-cut-a",
            "abc_b" => "abc-cut-b",
            "abc_measure" => "abc-measure",
            "att_1" => "att-threshold-1",
            "att_2" => "att-threshold-2",
            "pos_1" => "pos-threshold-1",
            "pos_2" => "pos-threshold-2",
            "name" => "f-name",
            "scope_kind" => "f-scope",
            "scope_value" => "f-scope-value",
            "targets" => "f-target-segments",
            other => return other.to_owned(),
        };
        t(key)
    }

    fn messages(&self) -> Vec<String> {
        self.errors
            .0
            .iter()
            .map(|e| {
                format!(
                    "{} — {}",
                    self.field_label(&e.field),
                    self.ctx.field_message(e)
                )
            })
            .collect()
    }
    fn tier_label(&self, t: &Option<String>) -> String {
        t.as_deref()
            .map_or("—".into(), |t| self.ctx.tr.choice("tier", t))
    }
    fn ms(&self) -> String {
        clef_domain::format_decimal(self.out.compute_ms, 1, self.ctx.tr.locale)
    }
}

fn results<'a>(
    st: &'a AppState,
    headers: &HeaderMap,
    u: &crate::auth::CurrentUser,
    out: PreviewOut,
    cfg: &Config,
) -> Results<'a> {
    let ctx = Ctx::new(st, headers, Some(u.clone()), "");
    let svg = clef_domain::segmentation::pareto_svg(
        &out.curve,
        cfg.abc_cutoffs,
        &ctx.t("pareto-title"),
        ctx.tr.locale,
    );
    Results {
        ctx,
        out,
        svg,
        errors: FieldErrors::new(),
        currency: "EUR".into(),
    }
}

/// The what-if's settings and scope as the form gives them, or a message
/// per wrong field.
fn settings(form: &ConfigForm) -> Result<(Config, Scope), FieldErrors> {
    let cfg = form.parse()?;
    let scope =
        Scope::parse(&form.scope_kind, Some(&form.scope_value)).map_err(FieldErrors::from)?;
    Ok((cfg, scope))
}

async fn compute<'a>(
    st: &'a AppState,
    headers: &HeaderMap,
    u: &crate::auth::CurrentUser,
    seg: &segmentation::Model,
    form: &ConfigForm,
) -> Result<Results<'a>, FieldErrors> {
    let (cfg, scope) = settings(form)?;
    match seg_api::what_if(st, Some(seg.id), &scope, cfg.clone(), 50).await {
        Ok((p, w, last, ms)) => Ok(results(
            st,
            headers,
            u,
            seg_api::preview_out(&p, &w, last, ms),
            &cfg,
        )),
        Err(ApiError::Invalid(e)) => Err(e),
        Err(e) => {
            Err(clef_domain::FieldError::new("config", "unavailable", format!("{e:?}")).into())
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn seg_page(
    st: &AppState,
    headers: &HeaderMap,
    u: crate::auth::CurrentUser,
    seg: segmentation::Model,
    form: ConfigForm,
    errors: FieldErrors,
    status: StatusCode,
    saved: bool,
) -> Response {
    let here = format!("/segmentations/{}", seg.id);
    let result = if errors.is_empty() {
        match compute(st, headers, &u, &seg, &form).await {
            Ok(r) => Some(r),
            Err(e) => {
                let ctx = Ctx::new(st, headers, Some(u.clone()), &here);
                return render_seg(
                    st,
                    ctx,
                    seg,
                    form,
                    e,
                    None,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    saved,
                )
                .await;
            }
        }
    } else {
        None
    };
    let ctx = Ctx::new(st, headers, Some(u), &here);
    render_seg(st, ctx, seg, form, errors, result, status, saved).await
}

#[allow(clippy::too_many_arguments)]
async fn render_seg<'a>(
    st: &AppState,
    ctx: Ctx<'a>,
    seg: segmentation::Model,
    form: ConfigForm,
    errors: FieldErrors,
    result: Option<Results<'a>>,
    status: StatusCode,
    saved: bool,
) -> Response {
    let can_manage = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.can(Action::ManageProgram));
    let (snapshots, total) = match st.store.newest_snapshots(seg.id, SNAPSHOTS_SHOWN).await {
        Ok(s) => s,
        Err(e) => return error_page(ctx, e),
    };
    let more = total.saturating_sub(snapshots.len() as u64);
    render(
        status,
        &SegPage {
            ctx,
            seg,
            form,
            errors,
            result,
            snapshots,
            more,
            can_manage,
            saved,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SavedFlag {
    saved: String,
}

async fn page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(flag): Query<SavedFlag>,
) -> Response {
    let seg = match st.store.segmentation(id).await {
        Ok(s) => s,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), "/segmentations"), e),
    };
    let form = ConfigForm::from_saved(&seg);
    seg_page(
        &st,
        &headers,
        u,
        seg,
        form,
        FieldErrors::new(),
        StatusCode::OK,
        !flag.saved.is_empty(),
    )
    .await
}

/// The results area for the settings on the form, without saving them.
async fn preview(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let seg = match st.store.segmentation(id).await {
        Ok(s) => s,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), "/segmentations"), e),
    };
    let form = ConfigForm::from_fields(&fields);
    match compute(&st, &headers, &u, &seg, &form).await {
        Ok(r) => render(StatusCode::OK, &r),
        Err(errors) => {
            // The previous results stay meaningful: show the messages in their place.
            let mut r = results(&st, &headers, &u, PreviewOut::empty(), &Config::default());
            r.errors = errors;
            render(StatusCode::OK, &r)
        }
    }
}

/// Every customer who would move with the settings on the page (the page
/// lists the largest), as CSV; settings that cannot be read are shown on
/// the page again, each beside its field.
async fn movers_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let seg = match st.store.segmentation(id).await {
        Ok(s) => s,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), "/segmentations"), e),
    };
    let form = ConfigForm::from_fields(&fields);
    let (cfg, scope) = match settings(&form) {
        Ok(x) => x,
        Err(errors) => {
            return seg_page(
                &st,
                &headers,
                u,
                seg,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
            )
            .await;
        }
    };
    let (p, w, last, ms) = match seg_api::what_if(&st, Some(id), &scope, cfg, usize::MAX).await {
        Ok(x) => x,
        Err(e) => return api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    };
    let out = seg_api::preview_out(&p, &w, last, ms);
    let cell = |c: Option<[usize; 2]>| c.map(|[r, c]| format!("{}x{}", r + 1, c + 1));
    super::csv_download(
        &format!("segmentation-{id}-movers.csv"),
        &[
            "customer_id",
            "name",
            "from_tier",
            "to_tier",
            "from_class",
            "to_class",
            "from_cell",
            "to_cell",
        ],
        out.movers.into_iter().map(move |m| {
            vec![
                m.customer_id.to_string(),
                clef_store::import::cell(&m.name),
                m.from_tier.unwrap_or_default(),
                m.to_tier,
                m.from_class.unwrap_or_default(),
                m.to_class,
                cell(m.from_cell).unwrap_or_default(),
                cell(Some(m.to_cell)).unwrap_or_default(),
            ]
        }),
    )
}

async fn save(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let seg = match st.store.segmentation(id).await {
        Ok(s) => s,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), "/segmentations"), e),
    };
    if !u.can(Action::ManageProgram) {
        return forbidden(Ctx::new(&st, &headers, Some(u), "/segmentations"));
    }
    let form = ConfigForm::from_fields(&fields);
    let mut errors = FieldErrors::new();
    let cfg = match form.parse() {
        Ok(c) => Some(c),
        Err(e) => {
            errors = e;
            None
        }
    };
    let name = errors.take(clef_domain::RequiredText::parse("name", &form.name, 200));
    let scope = errors.take(Scope::parse(&form.scope_kind, Some(&form.scope_value)));
    let version = super::shown_version(&form.version);
    let (Some(cfg), Some(name), Some(scope)) = (cfg, name, scope) else {
        return seg_page(
            &st,
            &headers,
            u,
            seg,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
        )
        .await;
    };
    if !errors.is_empty() {
        return seg_page(
            &st,
            &headers,
            u,
            seg,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
        )
        .await;
    }
    let json = serde_json::to_value(&cfg).unwrap_or_default();
    match st
        .store
        .update_segmentation(u.id(), id, version, name.as_str(), &scope, &json)
        .await
    {
        Ok(_) => Redirect::to(&format!("/segmentations/{id}?saved=1")).into_response(),
        Err(clef_store::StoreError::Stale { .. }) => {
            let errors = clef_domain::FieldError::new(
                "version",
                "stale",
                "someone else saved this segmentation meanwhile",
            )
            .into();
            seg_page(
                &st,
                &headers,
                u,
                seg,
                form,
                errors,
                StatusCode::CONFLICT,
                false,
            )
            .await
        }
        Err(e) => error_page(Ctx::new(&st, &headers, Some(u), "/segmentations"), e),
    }
}

// ---------- apply, delete ----------

#[derive(Template)]
#[template(path = "segmentation_apply.html")]
struct ApplyPage<'a> {
    ctx: Ctx<'a>,
    seg: segmentation::Model,
    customers: u64,
    tier_changes: u64,
    tiers: Vec<(String, u64)>,
}

async fn apply_confirm(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/segmentations/{id}/apply");
    let seg = match st.store.segmentation(id).await {
        Ok(s) => s,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    if !u.can(Action::ManageProgram) {
        return forbidden(Ctx::new(&st, &headers, Some(u), &here));
    }
    let cfg: Config = serde_json::from_str(&seg.config).unwrap_or_default();
    let out = seg_api::what_if(&st, None, &seg.scope(), cfg, 0).await;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match out {
        Ok((p, w, _, _)) => {
            let o = &w.outcome;
            let changes = o
                .scope
                .iter()
                .filter(|i| p.frame.tier[**i as usize] != Some(o.tier_of(**i as usize)))
                .count() as u64;
            let tiers = ServiceTier::ALL
                .iter()
                .zip(o.tiers.iter())
                .map(|(t, n)| (t.as_str().to_owned(), *n))
                .collect();
            render(
                StatusCode::OK,
                &ApplyPage {
                    ctx,
                    customers: o.scope.len() as u64,
                    tier_changes: changes,
                    tiers,
                    seg,
                },
            )
        }
        Err(e) => api_error_page(ctx, e),
    }
}

async fn apply(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let here = format!("/segmentations/{id}");
    let seg = match st.store.segmentation(id).await {
        Ok(s) => s,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    if !u.can(Action::ManageProgram) {
        return forbidden(Ctx::new(&st, &headers, Some(u), &here));
    }
    // The settings whose outcome the confirmation showed: saved again
    // since, the reader confirms the new outcome first.
    if let Some(seen) = super::form_version(&f)
        && seen != seg.version
    {
        return error_page(
            Ctx::new(&st, &headers, Some(u), &here),
            clef_store::StoreError::Stale {
                entity: "segmentation",
                current: seg.version,
            },
        );
    }
    let ctx = Ctx::new(&st, &headers, Some(u.clone()), &here);
    let mut handle = match seg_api::start_apply(&st, &u, &seg).await {
        Ok((_, handle)) => handle,
        Err(crate::error::ApiError::Conflict(_)) => {
            return Redirect::to(&format!("/segmentations/{id}/applying")).into_response();
        }
        Err(e) => return api_error_page(ctx, e),
    };
    // A portfolio of thousands is applied at once; a larger one shows its progress.
    match tokio::time::timeout(std::time::Duration::from_millis(1500), &mut handle).await {
        Ok(Ok(Ok(_))) => {
            st.engine.forget_apply(id);
            Redirect::to(&format!("/segmentations/{id}#snapshots")).into_response()
        }
        Ok(Ok(Err(e))) => {
            st.engine.forget_apply(id);
            api_error_page(ctx, e)
        }
        Ok(Err(e)) => api_error_page(
            ctx,
            crate::error::ApiError::Internal(format!("applying the segmentation stopped: {e}")),
        ),
        Err(_) => Redirect::to(&format!("/segmentations/{id}/applying")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "segmentation_applying.html")]
struct ApplyingPage<'a> {
    ctx: Ctx<'a>,
    seg: segmentation::Model,
    stage: String,
    done: u64,
    total: u64,
}

/// How far the apply of a segmentation is; the page reloads itself each
/// second and goes to the segmentation once the snapshot is stored.
async fn applying(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/segmentations/{id}/applying");
    let ctx = Ctx::new(&st, &headers, Some(u.clone()), &here);
    if !u.can(Action::ManageProgram) {
        return forbidden(ctx);
    }
    let seg = match st.store.segmentation(id).await {
        Ok(s) => s,
        Err(e) => return error_page(ctx, e),
    };
    let Some(job) = st.engine.apply_job(id) else {
        // Applied by another instance sharing the database: said, until its
        // snapshot is finished.
        return match st.store.applying_since(id).await {
            Ok(Some(_)) => render(
                StatusCode::OK,
                &ApplyingPage {
                    stage: ctx.t("apply-stage-elsewhere"),
                    ctx,
                    seg,
                    done: 0,
                    total: 0,
                },
            ),
            Ok(None) => Redirect::to(&format!("/segmentations/{id}#snapshots")).into_response(),
            Err(e) => error_page(ctx, e),
        };
    };
    match job.outcome() {
        Some(Ok(_)) => {
            st.engine.forget_apply(id);
            Redirect::to(&format!("/segmentations/{id}#snapshots")).into_response()
        }
        Some(Err(m)) => {
            st.engine.forget_apply(id);
            // The reason is the API's English sentence: another reader gets
            // the words of its kind.
            let m = if ctx.tr.locale == clef_domain::Locale::En {
                m
            } else if m == crate::api::segmentation::APPLY_SERVER_ERROR {
                ctx.t("apply-reason-server")
            } else {
                ctx.t("apply-reason-other")
            };
            let m = ctx.tr.t1("apply-failed", "reason", &m);
            message(
                StatusCode::CONFLICT,
                ctx,
                "apply-failed-title",
                m,
                Some((format!("/segmentations/{id}"), "back".into())),
            )
        }
        None => {
            let (stage, done, total) = job.progress.get();
            let stage = match stage {
                clef_store::APPLY_PLACEMENTS => ctx.tr.tn("apply-stage-placements", total),
                clef_store::APPLY_TIERS => ctx.tr.tn("apply-stage-tiers", total),
                _ => ctx.t("apply-stage-start"),
            };
            render(
                StatusCode::OK,
                &ApplyingPage {
                    ctx,
                    seg,
                    stage,
                    done,
                    total,
                },
            )
        }
    }
}

async fn delete_confirm(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/segmentations/{id}/delete");
    let ctx = Ctx::new(&st, &headers, Some(u.clone()), &here);
    if !u.can(Action::ManageProgram) {
        return forbidden(ctx);
    }
    let loaded = async {
        let s = st.store.segmentation(id).await?;
        let (_, snapshots) = st.store.newest_snapshots(id, 0).await?;
        Ok::<_, clef_store::StoreError>((s, snapshots))
    };
    match loaded.await {
        Ok((s, snapshots)) => {
            let what = ctx.tr.t1("delete-segmentation-confirm", "name", &s.name);
            let mut page = super::ConfirmPage::new(
                ctx,
                what,
                here.clone(),
                format!("/segmentations/{id}"),
                s.version,
            );
            // What stays and what goes: its snapshots are not kept.
            page.history = page.ctx.tr.tn("delete-segmentation-history", snapshots);
            render(StatusCode::OK, &page)
        }
        Err(e) => error_page(ctx, e),
    }
}

async fn delete(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let ctx = Ctx::new(&st, &headers, Some(u.clone()), "/segmentations");
    if !u.can(Action::ManageProgram) {
        return forbidden(ctx);
    }
    // As the confirmation showed it: changed since, it stays.
    match st
        .store
        .delete_segmentation(u.id(), id, super::form_version(&f))
        .await
    {
        Ok(()) => Redirect::to("/segmentations?done=segmentation-deleted").into_response(),
        Err(e) => error_page(ctx, e),
    }
}

// ---------- compare, export ----------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CompareForm {
    from: String,
    to: String,
    page: String,
}

impl CompareForm {
    /// The two snapshots asked for, when both are numbers.
    fn pair(&self) -> Option<(i64, i64)> {
        Some((self.from.trim().parse().ok()?, self.to.trim().parse().ok()?))
    }
}

/// The page asking to choose two snapshots of segmentation `id`.
fn choose_two(ctx: Ctx<'_>, id: i64) -> Response {
    let m = ctx.t("compare-choose-two");
    super::message(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx,
        "compare-title",
        m,
        Some((format!("/segmentations/{id}#snapshots"), "back".into())),
    )
}

#[derive(Template)]
#[template(path = "segmentation_compare.html")]
struct ComparePage<'a> {
    ctx: Ctx<'a>,
    seg: segmentation::Model,
    c: ComparisonOut,
    from: segmentation_snapshot::Model,
    to: segmentation_snapshot::Model,
}

impl ComparePage<'_> {
    fn link(&self, page: u64) -> String {
        format!(
            "/segmentations/{}/compare?from={}&to={}&page={page}",
            self.seg.id, self.c.from, self.c.to
        )
    }
    fn has_next(&self) -> bool {
        self.c.page * self.c.per_page < self.c.moved
    }
    fn pages(&self) -> u64 {
        self.c.moved.div_ceil(self.c.per_page.max(1)).max(1)
    }
}

async fn compare(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<CompareForm>,
) -> Response {
    let here = format!("/segmentations/{id}/compare");
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let Some((from, to)) = q.pair() else {
        return choose_two(ctx, id);
    };
    // A page before the first is the first.
    let page = q.page.trim().parse::<u64>().ok().map(|p| p.max(1));
    let seg = match st.store.segmentation(id).await {
        Ok(s) => s,
        Err(e) => return error_page(ctx, e),
    };
    let (a, b) = match tokio::try_join!(st.store.snapshot(from), st.store.snapshot(to)) {
        // Snapshots of another segmentation are not this one's to compare.
        Ok((a, b)) if a.segmentation_id != id || b.segmentation_id != id => {
            return error_page(ctx, clef_store::StoreError::NotFound("snapshot"));
        }
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    match seg_api::comparison(&st, from, to, page, Some(50)).await {
        Ok(c) => render(
            StatusCode::OK,
            &ComparePage {
                ctx,
                seg,
                c,
                from: a,
                to: b,
            },
        ),
        Err(e) => api_error_page(ctx, e),
    }
}

/// Every customer placed differently in the two snapshots, as CSV (cells
/// numbered from 1, as on the page).
async fn compare_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<CompareForm>,
) -> Response {
    let here = format!("/segmentations/{id}/compare");
    let Some((from, to)) = q.pair() else {
        return choose_two(Ctx::new(&st, &headers, Some(u), &here), id);
    };
    let loaded = async {
        st.store.segmentation(id).await?;
        for s in [from, to] {
            if st.store.snapshot(s).await?.segmentation_id != id {
                return Err(clef_store::StoreError::NotFound("snapshot"));
            }
        }
        let mut all = Vec::new();
        let mut after = 0;
        loop {
            let batch = st.store.snapshot_movers(from, to, after, 5_000).await?;
            let Some(last) = batch.last() else { break };
            after = last.customer_id;
            let n = batch.len();
            all.extend(batch);
            if n < 5_000 {
                break;
            }
        }
        Ok::<_, clef_store::StoreError>(all)
    };
    let movers = match loaded.await {
        Ok(m) => m,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    let cell = clef_store::import::cell;
    super::csv_download(
        &format!("segmentation-{id}-{from}-{to}-movers.csv"),
        &[
            "customer_id",
            "name",
            "from_class",
            "to_class",
            "from_row",
            "from_col",
            "to_row",
            "to_col",
            "from_tier",
            "to_tier",
        ],
        movers.into_iter().map(|m| {
            vec![
                m.customer_id.to_string(),
                cell(m.name.as_deref().unwrap_or_default()),
                m.from.abc,
                m.to.abc,
                (m.from.row + 1).to_string(),
                (m.from.col + 1).to_string(),
                (m.to.row + 1).to_string(),
                (m.to.col + 1).to_string(),
                m.from.tier,
                m.to.tier,
            ]
        }),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExportForm {
    what: String,
}

async fn export(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<ExportForm>,
) -> Response {
    match seg_api::export_csv(&st, id, &q.what).await {
        Ok(r) => r,
        Err(e) => api_error_page(
            Ctx::new(&st, &headers, Some(u), &format!("/segmentations/{id}")),
            e,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wrong cut-off is said beside the one that is wrong.
    #[test]
    fn the_wrong_cut_off_is_named() {
        let field_of = |a: &str, b: &str| {
            let mut f = ConfigForm::from_config(&Config::default());
            f.abc_a = a.into();
            f.abc_b = b.into();
            f.parse().map_err(|e| e.0[0].field.clone()).err()
        };
        assert_eq!(field_of("500", "95").as_deref(), Some("abc_a"));
        assert_eq!(field_of("100", "100").as_deref(), Some("abc_a"));
        assert_eq!(field_of("80", "150").as_deref(), Some("abc_b"));
        assert_eq!(field_of("90", "85").as_deref(), Some("abc_b"));
        assert_eq!(field_of("80", "95"), None);
    }
}
