//! Reference data: customer groups (list with their sizes, add, change,
//! delete an empty one) and business units (list, add, rename).

use super::{ConfirmPage, Ctx, error_page, forbidden, render};
use crate::{AppState, auth::UiUser};
use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use clef_domain::{FieldError, FieldErrors, GroupScope, policy::Action, search_key};
use clef_store::{StoreError, business_unit, customer_group};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/groups", get(groups))
        .route("/groups.csv", get(groups_csv))
        .route("/groups/new", get(new_group).post(create_group))
        .route("/groups/{id}/edit", get(edit_group).post(update_group))
        .route(
            "/groups/{id}/delete",
            get(delete_group_page).post(delete_group),
        )
        .route(
            "/groups/deleted/{entry}/restore",
            axum::routing::post(restore_group),
        )
        .route("/business-units", get(units))
        .route("/business-units.csv", get(units_csv))
        .route("/business-units/new", get(new_unit).post(create_unit))
        .route(
            "/business-units/{id}/edit",
            get(edit_unit).post(rename_unit),
        )
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    q: String,
    done: String,
    /// `name` (the default), `-name`, `customers` (the fewest first) or
    /// `-customers`.
    sort: String,
    page: String,
}

/// Groups shown on a page.
const GROUPS_PER_PAGE: usize = 50;

/// What a page that sent the reader here just did, in words.
fn notice(ctx: &Ctx<'_>, done: &str) -> Option<String> {
    [
        "group-saved",
        "group-deleted",
        "group-restored",
        "unit-saved",
    ]
    .contains(&done)
    .then(|| ctx.t(&format!("done-{done}")))
}

// ---- groups ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage<'a> {
    ctx: Ctx<'a>,
    query: ListQuery,
    groups: Vec<customer_group::Model>,
    sizes: HashMap<i64, u64>,
    /// How many groups match the search, and how many there are.
    matching: usize,
    total: usize,
    slice: super::Slice,
    can_write: bool,
    notice: Option<String>,
    /// Groups deleted and not restored, with who deleted them, for those
    /// who may restore them.
    deleted: Vec<(clef_store::DeletedGroup, String)>,
}

impl GroupsPage<'_> {
    fn size(&self, id: &i64) -> u64 {
        self.sizes.get(id).copied().unwrap_or(0)
    }
    fn csv_link(&self) -> String {
        format!(
            "{}&sort={}",
            csv_link(&self.query.q),
            super::urlencode(&self.query.sort)
        )
    }
    fn link(&self, sort: &str, page: usize) -> String {
        format!(
            "/groups?q={}&sort={}&page={page}",
            super::urlencode(&self.query.q),
            super::urlencode(sort)
        )
    }
    /// A column's heading link (customers: the most first at the first click).
    fn sort_link(&self, key: &str) -> String {
        let first = if key == "customers" {
            "-customers"
        } else {
            key
        };
        self.link(&super::next_order(&sort_key(&self.query.sort), first), 1)
    }
    fn aria_sort(&self, key: &str) -> &'static str {
        super::aria_order(&sort_key(&self.query.sort), key)
    }
    fn page_link(&self, page: usize) -> String {
        self.link(&sort_key(&self.query.sort), page)
    }
}

/// The groups list's order.
fn sort_key(s: &str) -> String {
    super::list_order(s, &["name", "customers"])
}

/// Orders groups as the list's `sort` says (by name within equal sizes).
fn sort_groups(groups: &mut [customer_group::Model], sizes: &HashMap<i64, u64>, sort: &str) {
    let size = |g: &customer_group::Model| sizes.get(&g.id).copied().unwrap_or(0);
    match sort_key(sort).as_str() {
        "-name" => groups.sort_by(|a, b| b.name_key.cmp(&a.name_key)),
        "customers" => {
            groups.sort_by(|a, b| size(a).cmp(&size(b)).then(a.name_key.cmp(&b.name_key)))
        }
        "-customers" => {
            groups.sort_by(|a, b| size(b).cmp(&size(a)).then(a.name_key.cmp(&b.name_key)))
        }
        // By name key here too, whatever order the database read them in.
        _ => groups.sort_by(|a, b| a.name_key.cmp(&b.name_key)),
    }
}

/// The groups whose name holds `q` (case and accents aside), by name.
pub(crate) async fn matching_groups(
    st: &AppState,
    q: &str,
) -> Result<(Vec<customer_group::Model>, usize), StoreError> {
    let all = st.store.list_groups().await?;
    let total = all.len();
    let key = search_key(q.trim());
    Ok((
        all.into_iter()
            .filter(|g| key.is_empty() || g.name_key.contains(&key))
            .collect(),
        total,
    ))
}

async fn groups(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Query(query): Query<ListQuery>,
) -> Response {
    let can_write = u.can(Action::WriteReferenceData);
    // The language switch keeps the search.
    let here = super::list_here(&uri);
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let loaded = async {
        let (groups, total) = matching_groups(&st, &query.q).await?;
        let deleted = if can_write {
            let deleted = st.store.deleted_groups().await?;
            super::with_deleters(&st, deleted, |g| g.deleted_by).await?
        } else {
            Vec::new()
        };
        let sizes = st.store.group_sizes().await?;
        Ok::<_, crate::error::ApiError>((groups, total, sizes, deleted))
    };
    let (mut groups, total, sizes, deleted) = match loaded.await {
        Ok(x) => x,
        Err(e) => return super::api_error_page(ctx, e),
    };
    let notice = notice(&ctx, &query.done);
    sort_groups(&mut groups, &sizes, &query.sort);
    let matching = groups.len();
    let (groups, slice) = super::slice(groups, &query.page, GROUPS_PER_PAGE);
    render(
        StatusCode::OK,
        &GroupsPage {
            ctx,
            query,
            groups,
            sizes,
            matching,
            total,
            slice,
            can_write,
            notice,
            deleted,
        },
    )
}

/// Brings a deleted group back; the list opens with a notice.
async fn restore_group(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(entry): Path<i64>,
) -> Response {
    let may = u.can(Action::WriteReferenceData);
    let me = u.user.id;
    let ctx = Ctx::new(&st, &headers, Some(u), "/groups");
    if !may {
        return forbidden(ctx);
    }
    match st.store.restore_group(Some(me), entry).await {
        Ok(g) => Redirect::to(&format!(
            "/groups?done=group-restored&q={}",
            super::urlencode(&g.name)
        ))
        .into_response(),
        Err(e) => error_page(ctx, e),
    }
}

/// The list's CSV address, with its search.
fn csv_link(q: &str) -> String {
    format!("/groups.csv?q={}", super::urlencode(q))
}

/// The groups as filtered, with their sizes, as CSV.
async fn groups_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let loaded = async {
        let (groups, _) = matching_groups(&st, &query.q).await?;
        Ok::<_, StoreError>((groups, st.store.group_sizes().await?))
    };
    let (mut groups, sizes) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), "/groups"), e),
    };
    sort_groups(&mut groups, &sizes, &query.sort);
    super::csv_download(
        "groups.csv",
        &["id", "name", "scope", "country", "customers"],
        groups.iter().map(|g| {
            vec![
                g.id.to_string(),
                clef_store::import::cell(&g.name),
                g.scope.clone(),
                g.country.clone().unwrap_or_default(),
                sizes.get(&g.id).copied().unwrap_or(0).to_string(),
            ]
        }),
    )
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct GroupForm {
    name: String,
    scope: String,
    country: String,
    version: String,
}

#[derive(Template)]
#[template(path = "group_form.html")]
struct GroupFormPage<'a> {
    ctx: Ctx<'a>,
    id: Option<i64>,
    form: GroupForm,
    errors: FieldErrors,
    stale: bool,
}

impl GroupFormPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    fn scopes(&self) -> &'static [GroupScope] {
        GroupScope::ALL
    }
    fn action(&self) -> String {
        self.id
            .map_or_else(|| "/groups/new".into(), |id| format!("/groups/{id}/edit"))
    }
}

fn group_page(
    status: StatusCode,
    ctx: Ctx<'_>,
    id: Option<i64>,
    form: GroupForm,
    errors: FieldErrors,
    stale: bool,
) -> Response {
    render(
        status,
        &GroupFormPage {
            ctx,
            id,
            form,
            errors,
            stale,
        },
    )
}

/// The answer to a failed save: the form again, with why.
fn group_failed(ctx: Ctx<'_>, id: Option<i64>, form: GroupForm, e: StoreError) -> Response {
    match e {
        StoreError::Invalid(errors) => group_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx,
            id,
            form,
            errors,
            false,
        ),
        StoreError::Duplicate(m) => {
            let mut errors = FieldErrors::new();
            errors.push(FieldError::new("name", "duplicate", m));
            group_page(StatusCode::CONFLICT, ctx, id, form, errors, false)
        }
        StoreError::Stale { .. } => group_page(
            StatusCode::CONFLICT,
            ctx,
            id,
            form,
            FieldErrors::new(),
            true,
        ),
        e => error_page(ctx, e),
    }
}

async fn new_group(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    let may = u.can(Action::WriteReferenceData);
    let ctx = Ctx::new(&st, &headers, Some(u), "/groups/new");
    if !may {
        return forbidden(ctx);
    }
    let form = GroupForm {
        scope: "national".into(),
        ..Default::default()
    };
    group_page(StatusCode::OK, ctx, None, form, FieldErrors::new(), false)
}

async fn create_group(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(form): Form<GroupForm>,
) -> Response {
    let may = u.can(Action::WriteReferenceData);
    let me = u.user.id;
    let ctx = Ctx::new(&st, &headers, Some(u), "/groups/new");
    if !may {
        return forbidden(ctx);
    }
    let r = st
        .store
        .create_group(Some(me), &form.name, &form.scope, Some(&form.country))
        .await;
    match r {
        Ok(_) => Redirect::to("/groups?done=group-saved").into_response(),
        Err(e) => group_failed(ctx, None, form, e),
    }
}

async fn edit_group(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/groups/{id}/edit");
    let may = u.can(Action::WriteReferenceData);
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    if !may {
        return forbidden(ctx);
    }
    match st.store.group(id).await {
        Ok(g) => {
            let form = GroupForm {
                name: g.name,
                scope: g.scope,
                country: g.country.unwrap_or_default(),
                version: g.version.to_string(),
            };
            group_page(
                StatusCode::OK,
                ctx,
                Some(id),
                form,
                FieldErrors::new(),
                false,
            )
        }
        Err(e) => error_page(ctx, e),
    }
}

async fn update_group(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<GroupForm>,
) -> Response {
    let here = format!("/groups/{id}/edit");
    let may = u.can(Action::WriteReferenceData);
    let me = u.user.id;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    if !may {
        return forbidden(ctx);
    }
    let version = form.version.trim().parse::<i64>().unwrap_or(0);
    let r = st
        .store
        .update_group(
            Some(me),
            id,
            version,
            &form.name,
            &form.scope,
            Some(&form.country),
        )
        .await;
    match r {
        Ok(_) => Redirect::to("/groups?done=group-saved").into_response(),
        Err(e) => group_failed(ctx, Some(id), form, e),
    }
}

/// Asks before deleting a group; a group with customers is not deleted:
/// the page says how many and offers no button.
async fn delete_group_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/groups/{id}/delete");
    let may = u.can(Action::WriteReferenceData);
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    if !may {
        return forbidden(ctx);
    }
    let loaded = async {
        let g = st.store.group(id).await?;
        let (_, n) = st.store.group_members(id, 0).await?;
        Ok::<_, StoreError>((g, n))
    };
    let (g, n) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let what = ctx.tr.t1("confirm-delete-group", "name", &g.name);
    let blocked = if n > 0 {
        vec![ctx.tr.tn("group-has-customers", n)]
    } else {
        Vec::new()
    };
    let mut page = ConfirmPage::new(ctx, what, here.clone(), "/groups".into(), g.version);
    page.history = page.ctx.t("group-restorable");
    page.blocked = blocked;
    page.blocked_hint = page.ctx.t("group-delete-blocked-hint");
    render(StatusCode::OK, &page)
}

async fn delete_group(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<super::forms::Fields>,
) -> Response {
    let here = format!("/groups/{id}/delete");
    let may = u.can(Action::WriteReferenceData);
    let me = u.user.id;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    if !may {
        return forbidden(ctx);
    }
    let version = super::forms::val(&f, "version").trim().parse::<i64>().ok();
    match st.store.delete_group(Some(me), id, version).await {
        Ok(()) => Redirect::to("/groups?done=group-deleted").into_response(),
        Err(StoreError::Conflict(_)) => {
            Redirect::to(&format!("/groups/{id}/delete")).into_response()
        }
        Err(e) => super::customer::delete_failed(ctx, e, "/groups".into()),
    }
}

// ---- business units ------------------------------------------------------------

#[derive(Template)]
#[template(path = "business_units.html")]
struct UnitsPage<'a> {
    ctx: Ctx<'a>,
    units: Vec<business_unit::Model>,
    can_write: bool,
    notice: Option<String>,
}

async fn units(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let can_write = u.can(Action::WriteReferenceData);
    let ctx = Ctx::new(&st, &headers, Some(u), "/business-units");
    let units = match st.store.list_business_units().await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let notice = notice(&ctx, &query.done);
    render(
        StatusCode::OK,
        &UnitsPage {
            ctx,
            units,
            can_write,
            notice,
        },
    )
}

/// The business units, as CSV.
async fn units_csv(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    let units = match st.store.list_business_units().await {
        Ok(x) => x,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), "/business-units"), e),
    };
    super::csv_download(
        "business-units.csv",
        &["id", "code", "name"],
        units.iter().map(|b| {
            vec![
                b.id.to_string(),
                clef_store::import::cell(&b.code),
                clef_store::import::cell(&b.name),
            ]
        }),
    )
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct UnitForm {
    code: String,
    name: String,
    version: String,
}

#[derive(Template)]
#[template(path = "business_unit_form.html")]
struct UnitFormPage<'a> {
    ctx: Ctx<'a>,
    id: Option<i64>,
    form: UnitForm,
    errors: FieldErrors,
    stale: bool,
}

impl UnitFormPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    fn action(&self) -> String {
        self.id.map_or_else(
            || "/business-units/new".into(),
            |id| format!("/business-units/{id}/edit"),
        )
    }
}

fn unit_page(
    status: StatusCode,
    ctx: Ctx<'_>,
    id: Option<i64>,
    form: UnitForm,
    errors: FieldErrors,
    stale: bool,
) -> Response {
    render(
        status,
        &UnitFormPage {
            ctx,
            id,
            form,
            errors,
            stale,
        },
    )
}

fn unit_failed(ctx: Ctx<'_>, id: Option<i64>, form: UnitForm, e: StoreError) -> Response {
    match e {
        StoreError::Invalid(errors) => unit_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx,
            id,
            form,
            errors,
            false,
        ),
        StoreError::Duplicate(m) => {
            let mut errors = FieldErrors::new();
            errors.push(FieldError::new("code", "duplicate", m));
            unit_page(StatusCode::CONFLICT, ctx, id, form, errors, false)
        }
        StoreError::Stale { .. } => unit_page(
            StatusCode::CONFLICT,
            ctx,
            id,
            form,
            FieldErrors::new(),
            true,
        ),
        e => error_page(ctx, e),
    }
}

async fn new_unit(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    let may = u.can(Action::WriteReferenceData);
    let ctx = Ctx::new(&st, &headers, Some(u), "/business-units/new");
    if !may {
        return forbidden(ctx);
    }
    unit_page(
        StatusCode::OK,
        ctx,
        None,
        UnitForm::default(),
        FieldErrors::new(),
        false,
    )
}

async fn create_unit(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(form): Form<UnitForm>,
) -> Response {
    let may = u.can(Action::WriteReferenceData);
    let me = u.user.id;
    let ctx = Ctx::new(&st, &headers, Some(u), "/business-units/new");
    if !may {
        return forbidden(ctx);
    }
    match st
        .store
        .create_business_unit(Some(me), &form.code, &form.name)
        .await
    {
        Ok(_) => Redirect::to("/business-units?done=unit-saved").into_response(),
        Err(e) => unit_failed(ctx, None, form, e),
    }
}

async fn edit_unit(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/business-units/{id}/edit");
    let may = u.can(Action::WriteReferenceData);
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    if !may {
        return forbidden(ctx);
    }
    match st.store.business_unit(id).await {
        Ok(b) => {
            let form = UnitForm {
                code: b.code,
                name: b.name,
                version: b.version.to_string(),
            };
            unit_page(
                StatusCode::OK,
                ctx,
                Some(id),
                form,
                FieldErrors::new(),
                false,
            )
        }
        Err(e) => error_page(ctx, e),
    }
}

async fn rename_unit(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<UnitForm>,
) -> Response {
    let here = format!("/business-units/{id}/edit");
    let may = u.can(Action::WriteReferenceData);
    let me = u.user.id;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    if !may {
        return forbidden(ctx);
    }
    // The code shown is the one stored: it does not change.
    let stored = match st.store.business_unit(id).await {
        Ok(b) => b,
        Err(e) => return error_page(ctx, e),
    };
    let form = UnitForm {
        code: stored.code,
        ..form
    };
    let version = form.version.trim().parse::<i64>().unwrap_or(0);
    match st
        .store
        .rename_business_unit(Some(me), id, version, &form.name)
        .await
    {
        Ok(_) => Redirect::to("/business-units?done=unit-saved").into_response(),
        Err(e) => unit_failed(ctx, Some(id), form, e),
    }
}
