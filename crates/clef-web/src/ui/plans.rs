//! Key account plan pages: the plans list with search, a customer's plan and
//! its versions, one version (read, edit, workflow, follow-up), the
//! comparison of two versions, "my actions", and the documents.

use super::{Ctx, api_error_page, forms::Fields, local_next, render};
use crate::{
    AppState,
    api::plans as plan_api,
    auth::{CurrentUser, UiUser},
    error::ApiError,
    i18n::Tr,
    plans::{self, PLAN_FILTERS, PlanVsActual},
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
    FieldErrors,
    plan::{self as dplan, Kind, PlanStatus, SECTIONS, Shape},
    policy::Action,
};
use clef_store::{customer, plan_version};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(plans_page))
        .route("/plans.csv", get(plans_csv))
        .route("/customers/{id}/plan", get(plan_home).post(new_version))
        .route("/plan-versions/compare", get(compare_page))
        .route("/plan-versions/{id}", get(version_page))
        .route("/plan-versions/{id}/edit", get(edit_page).post(save_edit))
        .route("/plan-versions/{id}/step/{step}", post(step))
        .route("/plan-versions/{id}/delete", get(delete_page).post(delete))
        .route(
            "/plan-versions/{id}/actions/{index}/status",
            post(action_status),
        )
        .route("/plan-versions/{id}/documents/{name}", get(document))
        .route("/plan-versions/{id}/lists/{name}", get(list_csv))
}

// ---------- view models ----------

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One field, for reading or editing.
pub struct FieldView {
    pub name: String,
    pub label: String,
    /// line, text, date, money, int, select, check.
    pub widget: &'static str,
    /// As typed (edit) …
    pub value: String,
    /// … and as read (view).
    pub display: String,
    pub options: Vec<Opt>,
    pub error: Option<String>,
    pub min: i64,
    pub max: i64,
}

pub struct RowView {
    pub index: usize,
    pub cells: Vec<FieldView>,
}

pub struct SecView {
    pub key: &'static str,
    pub title: String,
    pub list: bool,
    pub heads: Vec<String>,
    pub fields: Vec<FieldView>,
    pub rows: Vec<RowView>,
    pub filled: bool,
}

impl SecView {
    /// Whether the list's column `k` holds numbers (its heading is then
    /// aligned as they are).
    pub fn num_head(&self, k: &usize) -> bool {
        self.rows
            .first()
            .and_then(|r| r.cells.get(*k))
            .is_some_and(|c| matches!(c.widget, "money" | "int"))
    }
}

fn choice_prefix(section: &str, field: &str) -> &'static str {
    match (section, field) {
        (_, "stage") => "plan-stage",
        ("swot", _) => "plan-swot",
        ("initiatives", _) => "plan-initiative",
        ("actions", _) => "plan-action",
        _ => "plan-project",
    }
}

struct Lookup<'a> {
    users: &'a HashMap<i64, String>,
    currency: &'a str,
}

#[allow(clippy::too_many_arguments)]
fn field_view(
    ctx: &Ctx<'_>,
    section: &str,
    spec: &dplan::FieldSpec,
    name: String,
    values: &BTreeMap<String, String>,
    errors: &FieldErrors,
    look: &Lookup<'_>,
    initiatives: &[String],
) -> FieldView {
    let tr = &ctx.tr;
    let value = values.get(&name).cloned().unwrap_or_default();
    let mut options = Vec::new();
    let (widget, display, min, max) = match spec.kind {
        Kind::Line => ("line", value.clone(), 0, 0),
        Kind::Text => ("text", value.clone(), 0, 0),
        Kind::Date => ("date", tr.iso_day(&value), 0, 0),
        Kind::Money => (
            "money",
            dplan::parse_amount(&name, &value)
                .map(|c| tr.money(c, look.currency))
                .unwrap_or_else(|_| value.clone()),
            0,
            0,
        ),
        Kind::Int(lo, hi) => ("int", value.clone(), lo, hi),
        Kind::Bool => (
            "check",
            if value.is_empty() {
                String::new()
            } else {
                tr.t("yes")
            },
            0,
            0,
        ),
        Kind::Choice(all) => {
            let prefix = choice_prefix(section, spec.key);
            let current = if value.is_empty() {
                all[0]
            } else {
                value.as_str()
            };
            for a in all {
                options.push(Opt {
                    value: (*a).into(),
                    label: tr.choice(prefix, a),
                    selected: *a == current,
                });
            }
            ("select", tr.choice(prefix, current), 0, 0)
        }
        Kind::User => {
            options.push(Opt {
                value: String::new(),
                label: "—".into(),
                selected: value.is_empty(),
            });
            let mut us: Vec<(&i64, &String)> = look.users.iter().collect();
            us.sort_by(|a, b| a.1.cmp(b.1));
            for (id, n) in us {
                options.push(Opt {
                    value: id.to_string(),
                    label: n.clone(),
                    selected: value == id.to_string(),
                });
            }
            let d = value
                .parse::<i64>()
                .ok()
                .and_then(|i| look.users.get(&i).cloned())
                .unwrap_or_default();
            ("select", d, 0, 0)
        }
        Kind::Initiative => {
            options.push(Opt {
                value: String::new(),
                label: "—".into(),
                selected: value.is_empty(),
            });
            for (i, t) in initiatives.iter().enumerate() {
                let v = (i + 1).to_string();
                options.push(Opt {
                    selected: value == v,
                    label: format!("{v}. {t}"),
                    value: v,
                });
            }
            let d = value
                .parse::<usize>()
                .ok()
                .and_then(|i| initiatives.get(i.wrapping_sub(1)))
                .map(|t| format!("{value}. {t}"))
                .unwrap_or_default();
            ("select", d, 0, 0)
        }
    };
    FieldView {
        label: ctx.t(&format!("plan-f-{}", spec.key)),
        error: errors.get(&name).map(|e| ctx.field_message(e)),
        name,
        widget,
        value,
        display,
        options,
        min,
        max,
    }
}

/// Every section as views, from form values. `extra` blank rows are added
/// to list sections when editing.
fn sections(
    ctx: &Ctx<'_>,
    values: &BTreeMap<String, String>,
    errors: &FieldErrors,
    look: &Lookup<'_>,
    editing: Option<&str>,
) -> Vec<SecView> {
    let initiatives: Vec<String> = (0..dplan::MAX_ROWS)
        .map_while(|i| values.get(&format!("initiatives[{i}].title")).cloned())
        .collect();
    let content_fill: HashMap<&str, bool> = dplan::from_form(values)
        .0
        .completeness()
        .into_iter()
        .collect();
    SECTIONS
        .iter()
        .map(|s| {
            let mut v = SecView {
                key: s.key,
                title: ctx.t(&format!("plan-s-{}", s.key)),
                list: s.shape == Shape::List,
                heads: s
                    .fields
                    .iter()
                    .map(|f| ctx.t(&format!("plan-f-{}", f.key)))
                    .collect(),
                fields: Vec::new(),
                rows: Vec::new(),
                filled: content_fill.get(s.key).copied().unwrap_or(false),
            };
            let fv = |name: String, f: &dplan::FieldSpec| {
                field_view(ctx, s.key, f, name, values, errors, look, &initiatives)
            };
            match s.shape {
                Shape::Top => v.fields = s.fields.iter().map(|f| fv(f.key.into(), f)).collect(),
                Shape::Object => {
                    v.fields = s
                        .fields
                        .iter()
                        .map(|f| fv(format!("{}.{}", s.key, f.key), f))
                        .collect()
                }
                Shape::List => {
                    let prefix = format!("{}[", s.key);
                    let present = values
                        .keys()
                        .filter_map(|k| k.strip_prefix(&prefix))
                        .filter_map(|r| r.split_once(']'))
                        .filter_map(|(n, _)| n.parse::<usize>().ok())
                        .max()
                        .map_or(0, |m| m.saturating_add(1))
                        .min(dplan::MAX_ROWS);
                    let blanks = match editing {
                        None => 0,
                        Some(add) if add == s.key => 3,
                        Some(_) if present == 0 => 2,
                        Some(_) => 1,
                    };
                    let total = (present + blanks).min(dplan::MAX_ROWS);
                    v.rows = (0..total)
                        .map(|i| RowView {
                            index: i,
                            cells: s
                                .fields
                                .iter()
                                .map(|f| fv(format!("{}[{i}].{}", s.key, f.key), f))
                                .collect(),
                        })
                        .collect();
                }
            }
            v
        })
        .collect()
}

// ---------- the plans list ----------

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage<'a> {
    ctx: Ctx<'a>,
    query: PlansQ,
    /// The list's order (`customer`, `-completeness`…).
    sort: String,
    /// The page shown, how many accounts the filters keep, and how many
    /// the reader may see.
    rows: Vec<clef_store::PlanRow>,
    slice: super::Slice,
    matching: usize,
    total: usize,
    hits: Vec<plan_api::SearchHitOut>,
    users: HashMap<i64, String>,
    /// The owners of the accounts the reader may see, by name.
    owners: Vec<(i64, String)>,
}

impl PlansPage<'_> {
    fn page_link(&self, page: usize) -> String {
        format!("{}&page={page}", self.query.href("/plans", &self.sort))
    }
    fn csv_link(&self) -> String {
        self.query.href("/plans.csv", &self.sort)
    }
    fn statuses(&self) -> Vec<(&'static str, String)> {
        PLAN_FILTERS
            .iter()
            .map(|s| {
                let label = if *s == "none" {
                    self.ctx.t("plan-none")
                } else {
                    self.ctx.tr.choice("plan-status", s)
                };
                (*s, label)
            })
            .collect()
    }
    fn status_chosen(&self, s: &str) -> bool {
        self.query.status() == s
    }
    fn owner_chosen(&self, id: &i64) -> bool {
        self.query.owner() == Some(*id)
    }
    fn filtered(&self) -> bool {
        !self.query.status().is_empty() || self.query.owner().is_some()
    }
    fn user(&self, id: &Option<i64>) -> String {
        id.and_then(|i| self.users.get(&i).cloned())
            .unwrap_or_else(|| "—".into())
    }
    fn pct(&self, v: &plan_version::Model) -> u8 {
        v.content().completeness_pct()
    }
    fn field_label(&self, path: &str) -> String {
        field_label(&self.ctx, path)
    }
    fn sort_link(&self, first: &str) -> String {
        self.query
            .href("/plans", &super::next_order(&self.sort, first))
    }
    fn aria_sort(&self, key: &str) -> &'static str {
        super::aria_order(&self.sort, key)
    }
}

/// The orders of the plans list.
const PLAN_ORDERS: [&str; 4] = ["customer", "owner", "status", "completeness"];

/// Orders the plans list by `sort` (see [`PLAN_ORDERS`]; ties by customer).
fn sort_plans(rows: &mut [clef_store::PlanRow], sort: &str, users: &HashMap<i64, String>) {
    let key = sort.trim_start_matches('-');
    let name = |r: &clef_store::PlanRow| clef_domain::search_key(&r.customer.name);
    rows.sort_by_cached_key(|r| {
        let first = match key {
            "owner" => r
                .customer
                .owner_id
                .and_then(|o| users.get(&o))
                .map(|n| clef_domain::search_key(n))
                .unwrap_or_default(),
            "status" => r
                .latest
                .as_ref()
                .map(|v| v.status.clone())
                .unwrap_or_default(),
            "completeness" => format!(
                "{:03}",
                r.latest
                    .as_ref()
                    .map_or(0, |v| v.content().completeness_pct())
            ),
            _ => String::new(),
        };
        (first, name(r))
    });
    if sort.starts_with('-') {
        rows.reverse();
    }
}

/// A plan path in words: "Actions 3 · Due date".
fn field_label(ctx: &Ctx<'_>, path: &str) -> String {
    match dplan::spec_of(path) {
        Some((s, f, row)) => {
            let sec = ctx.t(&format!("plan-s-{}", s.key));
            let field = ctx.t(&format!("plan-f-{}", f.key));
            match row {
                Some(r) => format!("{sec} {} · {field}", r + 1),
                None if s.shape == Shape::Top => field,
                None => format!("{sec} · {field}"),
            }
        }
        None => path.to_owned(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PlansQ {
    q: String,
    sort: String,
    page: String,
    /// One of [`PLAN_FILTERS`], or every account.
    status: String,
    /// The accounts of this owner, or of everyone.
    owner_id: String,
}

impl PlansQ {
    fn status(&self) -> &str {
        PLAN_FILTERS
            .iter()
            .find(|s| **s == self.status.trim())
            .copied()
            .unwrap_or("")
    }
    fn owner(&self) -> Option<i64> {
        self.owner_id.trim().parse().ok()
    }
    /// Whether the filters keep this account.
    fn keeps(&self, r: &clef_store::PlanRow) -> bool {
        plans::keeps(r, self.status(), self.owner())
    }
    /// The list's address with its search, filters and order `sort`.
    fn href(&self, path: &str, sort: &str) -> String {
        format!(
            "{path}?q={}&status={}&owner_id={}&sort={}",
            super::urlencode(self.q.trim()),
            super::urlencode(self.status()),
            self.owner().map(|o| o.to_string()).unwrap_or_default(),
            super::urlencode(sort)
        )
    }
}

async fn plans_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(q): Query<PlansQ>,
) -> Response {
    let sort = super::list_order(q.sort.trim(), &PLAN_ORDERS);
    let here = format!(
        "{}&page={}",
        q.href("/plans", &sort),
        super::urlencode(q.page.trim())
    );
    let r = async {
        let mut rows = plan_api::visible_rows(&st, &u).await?;
        let users = plans::user_names(&st).await?;
        // The owners offered are those of every account the reader sees;
        // the search looks in the plans the filters keep.
        let total = rows.len();
        let mut owners: Vec<(i64, String)> = rows
            .iter()
            .filter_map(|r| r.customer.owner_id)
            .chain(q.owner())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|o| (o, users.get(&o).cloned().unwrap_or_else(|| o.to_string())))
            .collect();
        owners.sort_by_cached_key(|(_, n)| clef_domain::search_key(n));
        rows.retain(|r| q.keeps(r));
        let hits = plan_api::visible_hits(&st, &rows, &q.q).await?;
        Ok::<_, ApiError>((rows, hits, users, owners, total))
    }
    .await;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match r {
        Ok((mut rows, hits, users, owners, total)) => {
            sort_plans(&mut rows, &sort, &users);
            let matching = rows.len();
            let (rows, slice) = super::slice(rows, &q.page, 50);
            render(
                StatusCode::OK,
                &PlansPage {
                    ctx,
                    query: q,
                    sort,
                    rows,
                    slice,
                    matching,
                    total,
                    hits,
                    users,
                    owners,
                },
            )
        }
        Err(e) => api_error_page(ctx, e),
    }
}

async fn plans_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(q): Query<PlansQ>,
) -> Response {
    let r = async {
        let rows = plan_api::visible_rows(&st, &u).await?;
        let users = plans::user_names(&st).await?;
        Ok::<_, ApiError>((rows, users))
    }
    .await;
    let (mut rows, users) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(Ctx::new(&st, &headers, Some(u), "/plans"), e),
    };
    rows.retain(|r| q.keeps(r));
    sort_plans(
        &mut rows,
        &super::list_order(q.sort.trim(), &PLAN_ORDERS),
        &users,
    );
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record([
        "customer_id",
        "customer",
        "kam",
        "plan_version",
        "plan_year",
        "plan_status",
        "completeness_pct",
        "approved_version",
    ]);
    for r in rows {
        let name = |i: Option<i64>| i.and_then(|i| users.get(&i).cloned()).unwrap_or_default();
        let l = r.latest.as_ref();
        let _ = w.write_record([
            r.customer.id.to_string(),
            clef_store::import::cell(&r.customer.name),
            clef_store::import::cell(&name(r.customer.owner_id)),
            l.map_or(String::new(), |v| v.number.to_string()),
            l.map_or(String::new(), |v| v.year.to_string()),
            l.map_or(String::new(), |v| v.status.clone()),
            l.map_or(String::new(), |v| {
                v.content().completeness_pct().to_string()
            }),
            r.approved.map_or(String::new(), |n| n.to_string()),
        ]);
    }
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"plans.csv\"",
            ),
        ],
        w.into_inner().unwrap_or_default(),
    )
        .into_response()
}

// ---------- a customer's plan ----------

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanHome<'a> {
    ctx: Ctx<'a>,
    c: customer::Model,
    versions: Vec<plan_version::Model>,
    can_edit: bool,
    error: Option<String>,
    year: String,
    /// A version was just deleted.
    just_deleted: bool,
}

impl PlanHome<'_> {
    fn open(&self) -> bool {
        self.versions
            .iter()
            .any(|v| matches!(v.plan_status(), PlanStatus::Draft | PlanStatus::Submitted))
    }
    fn pct(&self, v: &plan_version::Model) -> u8 {
        v.content().completeness_pct()
    }
    fn when(&self, t: &i64) -> String {
        self.ctx.tr.date(*t)
    }
    fn is_key_account(&self) -> bool {
        self.c.status == "key_account"
    }
    fn last_id(&self) -> i64 {
        self.versions.last().map_or(0, |v| v.id)
    }
    fn prev_id(&self) -> i64 {
        let n = self.versions.len();
        if n >= 2 { self.versions[n - 2].id } else { 0 }
    }
}

#[allow(clippy::too_many_arguments)]
async fn plan_home_page(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    error: Option<String>,
    year: String,
    status: StatusCode,
    just_deleted: bool,
) -> Response {
    let here = format!("/customers/{id}/plan");
    let r = plans::readable(st, &u, id).await;
    let can_edit = r.as_ref().is_ok_and(|(c, _)| u.can(plans::edit_action(c)));
    let ctx = Ctx::new(st, headers, Some(u), &here);
    match r {
        Ok((c, versions)) => render(
            status,
            &PlanHome {
                ctx,
                c,
                versions,
                can_edit,
                error,
                year,
                just_deleted,
            },
        ),
        Err(e) => api_error_page(ctx, e),
    }
}

/// What the plan page was reached after.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HomeQ {
    done: String,
}

async fn plan_home(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<HomeQ>,
) -> Response {
    let just_deleted = q.done == "version-deleted";
    plan_home_page(
        &st,
        &headers,
        u,
        id,
        None,
        String::new(),
        StatusCode::OK,
        just_deleted,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct YearForm {
    year: String,
}

async fn new_version(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<YearForm>,
) -> Response {
    let r = async {
        let c = st.store.customer(id).await?;
        u.require(plans::edit_action(&c))?;
        let year = match f.year.trim() {
            "" => None,
            y => match y.parse::<i32>() {
                Ok(y) if (2000..=2100).contains(&y) => Some(y),
                _ => {
                    return Err(ApiError::Refused(clef_store::Refusal::new(
                        "plan-bad-year",
                        &[],
                        "enter a year from 2000 to 2100, or leave it blank".into(),
                    )));
                }
            },
        };
        Ok(st
            .store
            .create_plan_version(u.id(), id, year, plans::default_plan_year())
            .await?)
    }
    .await;
    match r {
        Ok(v) => Redirect::to(&format!("/plan-versions/{}/edit", v.id)).into_response(),
        Err(e @ (ApiError::Conflict(_) | ApiError::Refused(_))) => {
            let m = Ctx::new(&st, &headers, Some(u.clone()), "").conflict_text(&e);
            plan_home_page(
                &st,
                &headers,
                u,
                id,
                Some(m),
                f.year,
                StatusCode::CONFLICT,
                false,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), "/plans"), e),
    }
}

// ---------- one version ----------

#[derive(Template)]
#[template(path = "plan_version.html")]
struct VersionPage<'a> {
    ctx: Ctx<'a>,
    c: customer::Model,
    v: plan_version::Model,
    sections: Vec<SecView>,
    pct: u8,
    actuals: Vec<PlanVsActual>,
    action_status: Vec<String>,
    can_edit: bool,
    can_approve: bool,
    can_follow: Vec<bool>,
    notice: Option<String>,
    problems: Vec<(String, String, String)>,
    approved_by: String,
}

impl VersionPage<'_> {
    fn money(&self, m: &Option<i64>) -> String {
        m.map_or("—".into(), |m| self.ctx.tr.money(m, &self.c.currency))
    }
    fn money0(&self, m: &i64) -> String {
        self.ctx.tr.money(*m, &self.c.currency)
    }
    fn pct_of(&self, p: &Option<i64>) -> String {
        p.map_or("—".into(), |p| self.ctx.tr.percent(p as f64 / 100.0))
    }
    fn pct_f(&self, p: &Option<f64>) -> String {
        p.map_or("—".into(), |p| self.ctx.tr.percent(p / 100.0))
    }
    fn status_of(&self, i: &usize) -> String {
        self.action_status.get(*i).cloned().unwrap_or_default()
    }
    fn follow(&self, i: &usize) -> bool {
        self.can_follow.get(*i).copied().unwrap_or(false)
    }
    fn is(&self, s: &str) -> bool {
        self.v.status == s
    }
    fn when(&self, t: &Option<i64>) -> String {
        t.map_or(String::new(), |t| self.ctx.tr.date(t))
    }
    fn doc_links(&self, kind: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for lang in ["fr", "en"] {
            for (ext, label) in [("html", "HTML"), ("pdf", "PDF"), ("md", "Markdown")] {
                out.push((
                    format!(
                        "/plan-versions/{}/documents/{kind}.{ext}?lang={lang}",
                        self.v.id
                    ),
                    format!("{label} ({})", lang.to_uppercase()),
                ));
            }
        }
        out
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VersionQ {
    done: String,
}

#[allow(clippy::too_many_arguments)]
async fn version_view(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    notice: Option<String>,
    problems: FieldErrors,
    status: StatusCode,
) -> Response {
    let here = format!("/plan-versions/{id}");
    let r = async {
        let v = st.store.plan_version(id).await?;
        let (c, _) = plans::readable(st, &u, v.customer_id).await?;
        let effective = st.store.effective_content(&v).await?;
        let actuals = plans::plan_vs_actual(st, &c, &v.content()).await?;
        let users = plans::user_names(st).await?;
        Ok::<_, ApiError>((v, c, effective, actuals, users))
    }
    .await;
    let ctx = Ctx::new(st, headers, Some(u.clone()), &here);
    let (v, c, effective, actuals, users) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let content = v.content();
    let values = dplan::to_form(&content);
    let look = Lookup {
        users: &users,
        currency: &c.currency,
    };
    let mut sections = sections(&ctx, &values, &FieldErrors::new(), &look, None);
    // The follow-up column shows each action's status as it stands today.
    if let Some(s) = sections.iter_mut().find(|s| s.key == "actions") {
        let status = ctx.t("plan-f-status");
        s.heads.retain(|h| *h != status);
        for r in &mut s.rows {
            r.cells.retain(|f| !f.name.ends_with(".status"));
        }
    }
    let can_edit = u.can(plans::edit_action(&c));
    let can_follow = content
        .actions
        .iter()
        .map(|a| {
            v.plan_status() != PlanStatus::Archived && (can_edit || a.owner_id == Some(u.user.id))
        })
        .collect();
    let problems = problems
        .0
        .iter()
        .map(|e| {
            (
                e.field.clone(),
                field_label(&ctx, &e.field),
                ctx.field_message(e),
            )
        })
        .collect();
    let approved_by = v
        .approved_by
        .and_then(|i| users.get(&i).cloned())
        .unwrap_or_default();
    render(
        status,
        &VersionPage {
            pct: content.completeness_pct(),
            action_status: effective.actions.iter().map(|a| a.status.clone()).collect(),
            can_approve: u.can(Action::ApprovePlan),
            ctx,
            c,
            v,
            sections,
            actuals,
            can_edit,
            can_follow,
            notice,
            problems,
            approved_by,
        },
    )
}

async fn version_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<VersionQ>,
) -> Response {
    let notice = match q.done.as_str() {
        d @ ("saved" | "submit" | "approve" | "return" | "archive" | "restored") => {
            Some(format!("plan-done-{d}"))
        }
        _ => None,
    };
    let notice = notice.map(|k| Ctx::new(&st, &headers, Some(u.clone()), "").t(&k));
    version_view(
        &st,
        &headers,
        u,
        id,
        notice,
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StepForm {
    version: String,
    note: String,
    /// Set by the page that asks before archiving.
    confirmed: String,
}

async fn step(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path((id, step)): Path<(i64, String)>,
    Form(f): Form<StepForm>,
) -> Response {
    let to = match step.as_str() {
        "submit" => PlanStatus::Submitted,
        "approve" => PlanStatus::Approved,
        "return" => PlanStatus::Draft,
        "archive" => PlanStatus::Archived,
        _ => {
            return api_error_page(
                Ctx::new(&st, &headers, Some(u), "/plans"),
                ApiError::NotFound(step),
            );
        }
    };
    let r = async {
        let v = st.store.plan_version(id).await?;
        let c = st.store.customer(v.customer_id).await?;
        plan_api::require_step(&u, &c, to)?;
        // An archived plan cannot be brought back: asked first.
        if to == PlanStatus::Archived && f.confirmed != "1" {
            return Ok(Err(()));
        }
        let note = f.note.trim();
        let note = (!note.is_empty()).then_some(note);
        if let Some(n) = note {
            clef_domain::RequiredText::parse("note", n, 2000)?;
        }
        let expected = super::shown_version(&f.version);
        st.store
            .move_plan(u.id(), id, Some(expected), to, note)
            .await?;
        Ok::<_, ApiError>(Ok(()))
    }
    .await;
    match r {
        Ok(Ok(())) => Redirect::to(&format!("/plan-versions/{id}?done={step}")).into_response(),
        Ok(Err(())) => {
            let ctx = Ctx::new(&st, &headers, Some(u), "");
            let (what, button) = (ctx.t("plan-archive-confirm"), ctx.t("plan-archive"));
            // The version the person saw, so that a change made since is
            // still caught when they confirm.
            let seen = super::shown_version(&f.version);
            let mut page = super::ConfirmPage::new(
                ctx,
                what,
                format!("/plan-versions/{id}/step/archive"),
                format!("/plan-versions/{id}"),
                seen,
            );
            page.button = button;
            page.history = String::new();
            super::render(StatusCode::OK, &page)
        }
        Err(ApiError::Invalid(e)) => {
            let key = if to == PlanStatus::Draft {
                "plan-cannot-return"
            } else {
                "plan-cannot-submit"
            };
            let m = Ctx::new(&st, &headers, Some(u.clone()), "").t(key);
            version_view(
                &st,
                &headers,
                u,
                id,
                Some(m),
                e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e @ (ApiError::Conflict(_) | ApiError::Refused(_))) => {
            let m = Ctx::new(&st, &headers, Some(u.clone()), "").conflict_text(&e);
            version_view(
                &st,
                &headers,
                u,
                id,
                Some(m),
                FieldErrors::new(),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => api_error_page(
            Ctx::new(&st, &headers, Some(u), &format!("/plan-versions/{id}")),
            e,
        ),
    }
}

// ---------- editing ----------

#[derive(Template)]
#[template(path = "plan_edit.html")]
struct EditPage<'a> {
    ctx: Ctx<'a>,
    c: customer::Model,
    v: plan_version::Model,
    sections: Vec<SecView>,
    version: String,
    problems: Vec<(String, String, String)>,
    stale: bool,
}

#[allow(clippy::too_many_arguments)]
async fn edit_view(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    values: Option<BTreeMap<String, String>>,
    errors: FieldErrors,
    add: Option<String>,
    typed_version: Option<String>,
    status: StatusCode,
) -> Response {
    let here = format!("/plan-versions/{id}/edit");
    let r = async {
        let v = st.store.plan_version(id).await?;
        let c = st.store.customer(v.customer_id).await?;
        u.require(plans::edit_action(&c))?;
        if v.plan_status() != PlanStatus::Draft {
            return Err(ApiError::Refused(v.frozen()));
        }
        Ok::<_, ApiError>((v, c, plans::user_names(st).await?))
    }
    .await;
    let ctx = Ctx::new(st, headers, Some(u), &here);
    let (v, c, users) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let values = values.unwrap_or_else(|| dplan::to_form_in(&v.content(), ctx.tr.locale));
    let look = Lookup {
        users: &users,
        currency: &c.currency,
    };
    let sections = sections(
        &ctx,
        &values,
        &errors,
        &look,
        Some(add.as_deref().unwrap_or("")),
    );
    let problems = errors
        .0
        .iter()
        .map(|e| {
            (
                e.field.clone(),
                field_label(&ctx, &e.field),
                ctx.field_message(e),
            )
        })
        .collect();
    let stale = errors.get("_version").is_some();
    render(
        status,
        &EditPage {
            version: typed_version.unwrap_or_else(|| v.version.to_string()),
            ctx,
            c,
            v,
            sections,
            problems,
            stale,
        },
    )
}

async fn edit_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    edit_view(
        &st,
        &headers,
        u,
        id,
        None,
        FieldErrors::new(),
        None,
        None,
        StatusCode::OK,
    )
    .await
}

async fn save_edit(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let mut values = BTreeMap::new();
    for (k, v) in &fields {
        values.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let version = values.remove("_version").unwrap_or_default();
    let add = values.remove("_add");
    let (content, mut errors) = dplan::from_form(&values);
    if let Some(add) = add {
        // "More rows": show the form again with blank rows, nothing saved.
        return edit_view(
            &st,
            &headers,
            u,
            id,
            Some(values),
            FieldErrors::new(),
            Some(add),
            Some(version),
            StatusCode::OK,
        )
        .await;
    }
    let mut more = content.validate();
    for e in std::mem::take(&mut more.0) {
        if errors.get(&e.field).is_none() {
            errors.push(e);
        }
    }
    match plans::check_users(&st, &content).await {
        Ok(e) => errors.0.extend(e.0),
        Err(e) => {
            return api_error_page(
                Ctx::new(&st, &headers, Some(u), &format!("/plan-versions/{id}/edit")),
                e,
            );
        }
    }
    if !errors.is_empty() {
        return edit_view(
            &st,
            &headers,
            u,
            id,
            Some(values),
            errors,
            None,
            Some(version),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let r = async {
        let v = st.store.plan_version(id).await?;
        let c = st.store.customer(v.customer_id).await?;
        u.require(plans::edit_action(&c))?;
        let expected = super::shown_version(&version);
        Ok::<_, ApiError>(
            st.store
                .save_plan_content(u.id(), id, expected, &content)
                .await,
        )
    }
    .await;
    match r {
        Ok(Ok(_)) => Redirect::to(&format!("/plan-versions/{id}?done=saved")).into_response(),
        Ok(Err(clef_store::StoreError::Stale { current, .. })) => {
            let e = clef_domain::FieldError::new(
                "_version",
                "stale",
                "someone else saved this plan meanwhile: your text is kept below; reload to see theirs",
            );
            edit_view(
                &st,
                &headers,
                u,
                id,
                Some(values),
                e.into(),
                None,
                Some(current.to_string()),
                StatusCode::CONFLICT,
            )
            .await
        }
        Ok(Err(e)) => api_error_page(
            Ctx::new(&st, &headers, Some(u), &format!("/plan-versions/{id}/edit")),
            e.into(),
        ),
        Err(e) => api_error_page(
            Ctx::new(&st, &headers, Some(u), &format!("/plan-versions/{id}/edit")),
            e,
        ),
    }
}

// ---------- delete a draft ----------

async fn delete_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/plan-versions/{id}/delete");
    let r = async {
        let v = st.store.plan_version(id).await?;
        let c = st.store.customer(v.customer_id).await?;
        u.require(plans::edit_action(&c))?;
        Ok::<_, ApiError>((v, c))
    }
    .await;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match r {
        Ok((v, c)) => {
            let what = ctx.tr.t1(
                "plan-confirm-delete",
                "name",
                format!("{} · {} {}", c.name, ctx.t("plan-version"), v.number),
            );
            render(
                StatusCode::OK,
                &super::ConfirmPage::new(
                    ctx,
                    what,
                    here.clone(),
                    format!("/plan-versions/{id}"),
                    v.version,
                ),
            )
        }
        Err(e) => api_error_page(ctx, e),
    }
}

async fn delete(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Response {
    let r = async {
        let v = st.store.plan_version(id).await?;
        let c = st.store.customer(v.customer_id).await?;
        u.require(plans::edit_action(&c))?;
        // The draft as the confirmation showed it: changed since, it stays.
        st.store
            .delete_plan_draft(u.id(), id, f.version.trim().parse().ok())
            .await?;
        Ok::<_, ApiError>(c.id)
    }
    .await;
    match r {
        Ok(cid) => {
            Redirect::to(&format!("/customers/{cid}/plan?done=version-deleted")).into_response()
        }
        Err(e) => api_error_page(
            Ctx::new(&st, &headers, Some(u), &format!("/plan-versions/{id}")),
            e,
        ),
    }
}

// ---------- follow-up of actions ----------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
    next: String,
    /// The version's `version` as the page showed it.
    version: String,
}

async fn action_status(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path((id, index)): Path<(i64, usize)>,
    Form(f): Form<StatusForm>,
) -> Response {
    let r = async {
        plans::may_follow_up(&st, &u, id, index).await?;
        let expected = super::shown_version(&f.version);
        st.store
            .set_action_status(u.id(), id, index, f.status.trim(), Some(expected))
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match r {
        Ok(()) => {
            // Back where the user was: only local paths.
            let next = local_next(&f.next, format!("/plan-versions/{id}"));
            Redirect::to(&next).into_response()
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), "/my/actions"), e),
    }
}

// ---------- comparison ----------

#[derive(Template)]
#[template(path = "plan_compare.html")]
struct ComparePage<'a> {
    ctx: Ctx<'a>,
    c: customer::Model,
    a: plan_version::Model,
    b: plan_version::Model,
    versions: Vec<plan_version::Model>,
    changes: Vec<(String, String, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CompareQ {
    from: String,
    to: String,
}

async fn compare_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(q): Query<CompareQ>,
) -> Response {
    let here = format!("/plan-versions/compare?from={}&to={}", q.from, q.to);
    let r = async {
        let id = |s: &str| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::NotFound("plan version".into()))
        };
        let a = st.store.plan_version(id(&q.from)?).await?;
        let b = st.store.plan_version(id(&q.to)?).await?;
        if a.customer_id != b.customer_id {
            return Err(ApiError::NotFound("plan version".into()));
        }
        let (c, versions) = plans::readable(&st, &u, a.customer_id).await?;
        let users = plans::user_names(&st).await?;
        Ok::<_, ApiError>((a, b, c, versions, users))
    }
    .await;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let (a, b, c, versions, users) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let fa = dplan::to_form(&a.content());
    let fb = dplan::to_form(&b.content());
    let look = Lookup {
        users: &users,
        currency: &c.currency,
    };
    let shown = |path: &str, vals: &BTreeMap<String, String>| -> String {
        let Some((s, f, _)) = dplan::spec_of(path) else {
            return vals.get(path).cloned().unwrap_or_default();
        };
        let inits: Vec<String> = (0..dplan::MAX_ROWS)
            .map_while(|i| vals.get(&format!("initiatives[{i}].title")).cloned())
            .collect();
        field_view(
            &ctx,
            s.key,
            f,
            path.to_owned(),
            vals,
            &FieldErrors::new(),
            &look,
            &inits,
        )
        .display
    };
    let changes = dplan::compare(&a.content(), &b.content())
        .into_iter()
        .map(|ch| {
            (
                field_label(&ctx, &ch.field),
                shown(&ch.field, &fa),
                shown(&ch.field, &fb),
            )
        })
        .collect();
    render(
        StatusCode::OK,
        &ComparePage {
            ctx,
            c,
            a,
            b,
            versions,
            changes,
        },
    )
}

// ---------- documents ----------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LangQ {
    lang: String,
}

/// One list of a plan version (its actions, initiatives, risks…) as CSV,
/// `name` being the list's key and `.csv`: a column per field, as the form
/// writes it, with the name of each person or initiative it refers to by
/// number beside it; the actions with
/// their status as it stands today.
async fn list_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path((id, name)): Path<(i64, String)>,
) -> Response {
    let here = format!("/plan-versions/{id}");
    let r = async {
        let v = st.store.plan_version(id).await?;
        let (c, _) = plans::readable(&st, &u, v.customer_id).await?;
        let effective = st.store.effective_content(&v).await?;
        let users = plans::user_names(&st).await?;
        Ok::<_, ApiError>((v, c, effective, users))
    }
    .await;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let (v, c, effective, users) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let look = Lookup {
        users: &users,
        currency: &c.currency,
    };
    let values = dplan::to_form(&effective);
    let list = name.strip_suffix(".csv").and_then(|key| {
        sections(&ctx, &values, &FieldErrors::new(), &look, None)
            .into_iter()
            .find(|s| s.list && s.key == key)
    });
    let Some(list) = list else {
        return api_error_page(ctx, ApiError::NotFound(format!("plan list {name}")));
    };
    let fields = dplan::SECTIONS
        .iter()
        .find(|s| s.key == list.key)
        .map_or(&[][..], |s| s.fields);
    // What a field refers to by number is named beside it: a person, an
    // initiative.
    let beside = |f: &dplan::FieldSpec| match f.kind {
        Kind::User => Some(
            f.key
                .strip_suffix("_id")
                .map_or_else(|| format!("{}_name", f.key), str::to_owned),
        ),
        Kind::Initiative => Some(format!("{}_title", f.key)),
        _ => None,
    };
    let mut header = vec!["#".to_owned()];
    for f in fields {
        header.push(f.key.to_owned());
        header.extend(beside(f));
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let cell = clef_store::import::cell;
    super::csv_download(
        &format!("plan-{}-v{}-{}.csv", c.id, v.number, list.key),
        &header,
        list.rows.iter().map(|r| {
            let mut row = vec![(r.index + 1).to_string()];
            for (spec, f) in fields.iter().zip(&r.cells) {
                row.push(cell(&f.value));
                if beside(spec).is_some() {
                    // (The page numbers initiatives: "2. Title".)
                    let numbered = format!("{}. ", f.value);
                    let name = f.display.strip_prefix(&numbered).unwrap_or(&f.display);
                    row.push(cell(if f.value.is_empty() { "" } else { name }));
                }
            }
            row
        }),
    )
}

async fn document(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path((id, name)): Path<(i64, String)>,
    Query(q): Query<LangQ>,
) -> Response {
    let here = format!("/plan-versions/{id}/documents/{name}");
    let r = async {
        let Some((kind, fmt)) = plans::parse_doc_name(&name) else {
            return Err(ApiError::NotFound(name.clone()));
        };
        let v = st.store.plan_version(id).await?;
        let (c, _) = plans::readable(&st, &u, v.customer_id).await?;
        let locale = plan_api::doc_locale(Some(&q.lang), &headers, &u)?;
        let tr = Tr {
            i18n: &st.i18n,
            locale,
        };
        let doc = plans::build_document(&st, &tr, &v, kind).await?;
        let stem = name.rsplit_once('.').map_or("", |(s, _)| s);
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let lang = locale.as_str();
        let other = if lang == "fr" { "en" } else { "fr" };
        let base = format!("/plan-versions/{id}/documents/{stem}");
        let links = vec![
            (format!("/plan-versions/{id}"), tr.t("doc-back")),
            (format!("{base}.pdf?lang={lang}"), "PDF".into()),
            (format!("{base}.md?lang={lang}"), "Markdown".into()),
            (format!("{base}.html?lang={other}"), other.to_uppercase()),
        ];
        Ok::<_, ApiError>(plans::respond(
            &doc,
            fmt,
            lang,
            &plans::file_name(kind, &c.name, v.number, ext),
            &links,
        ))
    }
    .await;
    match r {
        Ok(resp) => resp,
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    }
}
