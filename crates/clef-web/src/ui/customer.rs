//! The customer page and its forms: customer and contacts.

use super::{
    Ctx,
    contracts::Shown as _,
    error_page, forbidden,
    forms::{ContactForm, CustomerForm},
    render,
};
use crate::{AppState, api::dto::RevenueOut, auth::UiUser};
use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use clef_domain::{
    CompetitivePosition, CustomerStatus, FieldError, FieldErrors, ServiceTier, Threat, UserId,
    policy::Action,
};
use clef_store::{
    CustomerView, StoreError, business_unit, contact, contract, customer, customer_group, user,
};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/new", get(new_page).post(create))
        .route("/customers/choices", get(choices))
        .route("/groups/choices", get(group_choices))
        .route("/customers/{id}", get(show))
        .route("/customers/{id}/edit", get(edit_page).post(update))
        .route("/customers/{id}/delete", get(delete_page).post(delete))
        .route(
            "/customers/{id}/contacts/new",
            get(new_contact_page).post(create_contact),
        )
        .route("/customers/{id}/contacts.csv", get(contacts_csv))
        .route("/customers/{id}/revenue.csv", get(revenue_csv))
        .route(
            "/contacts/{id}/edit",
            get(edit_contact_page).post(update_contact),
        )
        .route(
            "/contacts/{id}/delete",
            get(delete_contact_page).post(delete_contact),
        )
}

/// How many subsidiaries a customer page lists, by name.
const CHILDREN_SHOWN: u64 = 100;

pub(crate) fn owner(c: &customer::Model) -> Action {
    Action::WriteCustomer {
        owner: c.owner_id.map(UserId),
    }
}

#[derive(Template)]
#[template(path = "customer.html")]
struct ShowPage<'a> {
    ctx: Ctx<'a>,
    v: CustomerView,
    parent: Option<customer::Model>,
    children: Vec<customer::Model>,
    /// It has more subsidiaries than those listed.
    more_children: bool,
    contacts: Vec<contact::Model>,
    contracts: Vec<contract::Model>,
    today: clef_domain::Date,
    revenue: RevenueOut,
    bu_names: HashMap<i64, String>,
    can_write: bool,
    /// What was just done here (saved, created…), said once.
    notice: Option<String>,
    /// The notice is of a contact just deleted: the history can restore it.
    /// The kind of record just deleted, whose history the notice leads to.
    deleted: Option<&'static str>,
    /// Other customers with the same legal id (a duplicate, most likely).
    same_legal_id: Vec<customer::Model>,
}

/// `?done=…`: what the page that sent the reader here just did.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Done {
    done: String,
}

/// The words for `done`, when it is one of `kinds`.
fn notice_of(ctx: &Ctx<'_>, done: &str, kinds: &[&str]) -> Option<String> {
    kinds
        .contains(&done)
        .then(|| ctx.t(&format!("done-{done}")))
}

impl super::contracts::Shown for ShowPage<'_> {
    fn ctx(&self) -> &Ctx<'_> {
        &self.ctx
    }
    fn today(&self) -> clef_domain::Date {
        self.today
    }
}

impl ShowPage<'_> {
    fn bu_name(&self, id: &i64) -> String {
        self.bu_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
    fn wallet(&self) -> String {
        self.v
            .customer
            .wallet_cents
            .map(|w| self.ctx.tr.money(w, &self.v.customer.currency))
            .unwrap_or_else(|| "—".into())
    }
    fn share_of_wallet(&self) -> String {
        self.revenue
            .share_of_wallet
            .map(|s| self.ctx.tr.percent(s))
            .unwrap_or_else(|| "—".into())
    }
    /// An amount of the customer's figures.
    fn fig_money(&self, cents: &i64) -> String {
        self.ctx.tr.money(*cents, &self.v.customer.currency)
    }
    /// A ratio of the customer's figures, or a dash when unknown.
    fn fig_pct(&self, x: &Option<f64>) -> String {
        x.map_or_else(|| "—".into(), |x| self.ctx.tr.percent(x))
    }
    fn ttm(&self) -> String {
        self.ctx.tr.money(
            self.revenue.trailing_12_months_cents,
            &self.v.customer.currency,
        )
    }
    fn margin_rate(&self, revenue: &i64, margin: &i64) -> String {
        if *revenue > 0 {
            self.ctx.tr.percent(*margin as f64 / *revenue as f64)
        } else {
            "—".into()
        }
    }
}

async fn show(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Response {
    let here = format!("/customers/{id}");
    let view = match st.store.customer_view(id).await {
        Ok(v) => v,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    let can_write = u.can(owner(&view.customer));
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let parent = match view.customer.parent_id {
        Some(p) => st.store.customer(p).await.ok(),
        None => None,
    };
    let legal_id = view
        .customer
        .legal_id
        .clone()
        .filter(|l| !l.trim().is_empty());
    let same_legal_id = async {
        match &legal_id {
            Some(l) => st.store.same_legal_id(l, id, 5).await,
            None => Ok(Vec::new()),
        }
    };
    let loaded = tokio::try_join!(
        // One more than shown: whether there are others.
        st.store.children(id, CHILDREN_SHOWN + 1),
        st.store.list_contacts(id),
        st.store.list_contracts(id),
        st.store.list_business_units(),
        same_legal_id
    );
    let (mut children, contacts, contracts, bus, same_legal_id) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let more_children = children.len() as u64 > CHILDREN_SHOWN;
    children.truncate(CHILDREN_SHOWN as usize);
    let revenue = match crate::api::customers::revenue_of(&st, id).await {
        Ok(r) => r,
        Err(e) => return super::api_error_page(ctx, e),
    };
    let bu_names = bus
        .into_iter()
        .map(|b| (b.id, format!("{} — {}", b.code, b.name)))
        .collect();
    let notice = notice_of(
        &ctx,
        &done.done,
        &[
            "created",
            "saved",
            "contact-saved",
            "contact-deleted",
            "contact-restored",
            "contract-saved",
            "contract-deleted",
            "contract-restored",
            "customer-restored",
        ],
    );
    render(
        StatusCode::OK,
        &ShowPage {
            notice,
            deleted: match done.done.as_str() {
                "contact-deleted" => Some("contact"),
                "contract-deleted" => Some("contract"),
                _ => None,
            },
            ctx,
            v: view,
            parent,
            children,
            more_children,
            contacts,
            contracts,
            today: crate::plans::today(),
            revenue,
            bu_names,
            can_write,
            same_legal_id,
        },
    )
}

#[derive(Template)]
#[template(path = "customer_form.html")]
struct FormPage<'a> {
    ctx: Ctx<'a>,
    id: Option<i64>,
    form: CustomerForm,
    errors: FieldErrors,
    stale: bool,
    groups: Vec<customer_group::Model>,
    business_units: Vec<business_unit::Model>,
    owners: Vec<user::Model>,
    /// The customer's name as saved (the form may hold another, or none).
    saved_name: String,
    /// The parent the form names, as "name (city, country)", when it exists.
    parent_name: Option<String>,
    /// The group the form names, when it exists.
    group_name: Option<String>,
}

/// How a customer reads in a list of choices: its name, then where it is.
fn choice_label(c: &customer::Model) -> String {
    match c.city.as_deref().filter(|c| !c.is_empty()) {
        Some(city) => format!("{} ({city}, {})", c.name, c.country),
        None => format!("{} ({})", c.name, c.country),
    }
}

/// What a field being typed sent (as `q`, or under its own name), trimmed.
fn typed_in(q: &HashMap<String, String>, field: &str) -> String {
    q.get("q")
        .or_else(|| q.get(field))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

/// The customers a parent field may name, as the user types: a number
/// gives that customer, words the first customers whose name, city or
/// group starts with them (ten at most), each offered by its number with
/// its name as the label. Answers the options of a `<datalist>`, and the
/// line under the field, which names the customer a number gives.
async fn choices(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let typed = typed_in(&q, "parent_id");
    let mut found: Vec<customer::Model> = Vec::new();
    if let Ok(id) = typed.parse::<i64>()
        && let Ok(c) = st.store.customer(id).await
    {
        found.push(c);
    }
    let named = (found.len() == 1).then(|| choice_label(&found[0]));
    if found.is_empty() && !typed.is_empty() {
        let filter = clef_store::CustomerFilter {
            q: Some(typed),
            ..Default::default()
        };
        let page = clef_domain::PageRequest {
            page: 1,
            per_page: 10,
        };
        match st
            .store
            .search_customers(
                &filter,
                clef_store::CustomerSort::Name,
                clef_domain::SortDir::Asc,
                page,
            )
            .await
        {
            Ok((p, _)) => found.extend(p.items.into_iter().map(|v| v.customer)),
            // The field still takes a number: no choices this time.
            Err(e) => tracing::warn!(error = %e, "customer choices not read"),
        }
    }
    let found = found.iter().map(|c| (c.id, choice_label(c))).collect();
    let ctx = Ctx::new(&st, &headers, Some(u), "/customers");
    let hint = named.unwrap_or_else(|| ctx.t("parent-hint"));
    render(
        StatusCode::OK,
        &Choices {
            found,
            hint_id: "parent-name",
            hint,
        },
    )
}

/// The groups a group field may name, as the user types (in portfolios of
/// more than 500 groups, where the field takes a number): a number gives
/// that group, words the first ten groups whose name holds them.
async fn group_choices(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let typed = typed_in(&q, "group_id");
    let mut found: Vec<(i64, String)> = Vec::new();
    if let Ok(id) = typed.parse::<i64>()
        && let Ok(g) = st.store.group(id).await
    {
        found.push((g.id, g.name));
    }
    let named = found.first().map(|g| g.1.clone());
    if found.is_empty() && !typed.is_empty() {
        match super::reference::matching_groups(&st, &typed).await {
            Ok((groups, _)) => {
                let mut groups = groups;
                groups.sort_by(|a, b| a.name_key.cmp(&b.name_key));
                found.extend(groups.into_iter().take(10).map(|g| (g.id, g.name)));
            }
            Err(e) => tracing::warn!(error = %e, "group choices not read"),
        }
    }
    let ctx = Ctx::new(&st, &headers, Some(u), "/customers");
    let hint = named.unwrap_or_else(|| ctx.t("group-hint"));
    render(
        StatusCode::OK,
        &Choices {
            found,
            hint_id: "group-name",
            hint,
        },
    )
}

#[derive(Template)]
#[template(
    source = "{% for (id, label) in found %}<option value=\"{{ id }}\" label=\"{{ label }}\">{{ label }}</option>{% endfor %}<p class=\"hint\" id=\"{{ hint_id }}\" hx-swap-oob=\"true\">{{ hint }}</p>",
    ext = "html"
)]
struct Choices {
    found: Vec<(i64, String)>,
    /// The line under the field: the customer or group its number gives,
    /// else how to use it.
    hint_id: &'static str,
    hint: String,
}

impl FormPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    /// The statuses one may choose here: a customer becomes a key account,
    /// or leaves the program, through the selection page only.
    fn statuses(&self) -> Vec<&'static CustomerStatus> {
        CustomerStatus::ALL
            .iter()
            .filter(|s| {
                !matches!(s, CustomerStatus::KeyAccount | CustomerStatus::Deselected)
                    || self.form.status == s.as_str()
            })
            .collect()
    }
    fn tiers(&self) -> &'static [ServiceTier] {
        ServiceTier::ALL
    }
    fn threats(&self) -> &'static [Threat] {
        Threat::ALL
    }
    fn positions(&self) -> &'static [CompetitivePosition] {
        CompetitivePosition::ALL
    }
    fn many_groups(&self) -> bool {
        self.groups.len() > 500
    }
    fn action(&self) -> String {
        self.id.map_or("/customers/new".into(), |id| {
            format!("/customers/{id}/edit")
        })
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    st: &AppState,
    ctx: Ctx<'_>,
    saved: Option<&customer::Model>,
    form: CustomerForm,
    errors: FieldErrors,
    stale: bool,
    status: StatusCode,
) -> Response {
    let id = saved.map(|c| c.id);
    let saved_name = saved.map(|c| c.name.clone()).unwrap_or_default();
    let parent_name = match form.parent_id.trim().parse::<i64>() {
        Ok(p) => st.store.customer(p).await.ok().map(|c| choice_label(&c)),
        Err(_) => None,
    };
    let loaded = tokio::try_join!(
        st.store.list_groups(),
        st.store.list_business_units(),
        st.store.list_users()
    );
    match loaded {
        Ok((groups, business_units, mut owners)) => {
            let group_name = form
                .group_id
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|g| groups.iter().find(|x| x.id == g).map(|x| x.name.clone()));
            // Those who may own customers, and the owner it has.
            owners.retain(|u| {
                clef_store::OWNER_ROLES.contains(&u.role.as_str())
                    || form.owner_id == u.id.to_string()
            });
            render(
                status,
                &FormPage {
                    ctx,
                    id,
                    form,
                    errors,
                    stale,
                    groups,
                    business_units,
                    owners,
                    saved_name,
                    group_name,
                    parent_name,
                },
            )
        }
        Err(e) => error_page(ctx, e),
    }
}

async fn new_page(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    let mine = Action::CreateCustomer {
        owner: Some(u.actor.id),
    };
    if !u.can(mine) {
        return forbidden(Ctx::new(&st, &headers, Some(u), "/customers/new"));
    }
    let form = CustomerForm {
        owner_id: u.user.id.to_string(),
        currency: "EUR".into(),
        country: "FR".into(),
        ..Default::default()
    };
    let ctx = Ctx::new(&st, &headers, Some(u), "/customers/new");
    form_page(
        &st,
        ctx,
        None,
        form,
        FieldErrors::new(),
        false,
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(form): Form<CustomerForm>,
) -> Response {
    // A role that creates no customer at all is told so, as on the form's
    // page, not asked to choose another owner.
    if !u.can(Action::CreateCustomer {
        owner: Some(u.actor.id),
    }) {
        return forbidden(Ctx::new(&st, &headers, Some(u), "/customers/new"));
    }
    // A bad value, a customer the user may not own, or a key account the
    // user may not create: the form again, the message beside the field.
    let checked = match form.parse() {
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY)),
        Ok(f) if !u.can(Action::CreateCustomer { owner: f.owner_id }) => Err((
            FieldError::new(
                "owner_id",
                "not-yours",
                "you can create only customers that you own",
            )
            .into(),
            StatusCode::FORBIDDEN,
        )),
        Ok(f) => match u.check_created_status(&f) {
            Ok(()) => Ok(f),
            Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY)),
        },
    };
    let fields = match checked {
        Ok(f) => f,
        Err((errors, status)) => {
            let ctx = Ctx::new(&st, &headers, Some(u), "/customers/new");
            return form_page(&st, ctx, None, form, errors, false, status).await;
        }
    };
    match st.store.create_customer(Some(u.user.id), &fields).await {
        Ok(c) => Redirect::to(&format!("/customers/{}?done=created", c.id)).into_response(),
        Err(StoreError::Invalid(errors)) => {
            let ctx = Ctx::new(&st, &headers, Some(u), "/customers/new");
            form_page(
                &st,
                ctx,
                None,
                form,
                errors,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => error_page(Ctx::new(&st, &headers, Some(u), "/customers/new"), e),
    }
}

async fn edit_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/customers/{id}/edit");
    let c = match st.store.customer(id).await {
        Ok(c) => c,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    if !u.can(owner(&c)) {
        return forbidden(Ctx::new(&st, &headers, Some(u), &here));
    }
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let form = CustomerForm::from_model(&c, ctx.tr.locale);
    form_page(
        &st,
        ctx,
        Some(&c),
        form,
        FieldErrors::new(),
        false,
        StatusCode::OK,
    )
    .await
}

async fn update(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CustomerForm>,
) -> Response {
    let here = format!("/customers/{id}/edit");
    let c = match st.store.customer(id).await {
        Ok(c) => c,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    if !u.can(owner(&c)) {
        return forbidden(Ctx::new(&st, &headers, Some(u), &here));
    }
    // A form without a readable version cannot prove it saw the latest one.
    let version = form.version.trim().parse::<i64>().unwrap_or(0);
    let result = match form.parse() {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(fields)
            if !u.can(Action::WriteCustomer {
                owner: fields.owner_id,
            }) =>
        {
            Err(StoreError::invalid(
                "owner_id",
                "not-yours",
                "you can give a customer only to yourself; ask a director to assign it to someone else",
            ))
        }
        Ok(fields) => {
            st.store
                .update_customer(Some(u.user.id), id, version, &fields)
                .await
        }
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match result {
        Ok(_) => Redirect::to(&format!("/customers/{id}?done=saved")).into_response(),
        Err(StoreError::Invalid(errors)) => {
            form_page(
                &st,
                ctx,
                Some(&c),
                form,
                errors,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::Stale { .. }) => {
            form_page(
                &st,
                ctx,
                Some(&c),
                form,
                FieldErrors::new(),
                true,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => error_page(ctx, e),
    }
}

async fn delete_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/customers/{id}/delete");
    let c = match st.store.customer(id).await {
        Ok(c) => c,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    if !u.can(owner(&c)) {
        return forbidden(Ctx::new(&st, &headers, Some(u), &here));
    }
    let dependents = match st.store.customer_dependents(id).await {
        Ok(d) => d,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    confirm_delete(StatusCode::OK, ctx, &c, &dependents)
}

/// Asks before deleting customer `c`, saying what else changes; or, when
/// key-account work depends on it, says what and offers no deletion.
fn confirm_delete(
    status: StatusCode,
    ctx: Ctx<'_>,
    c: &customer::Model,
    dependents: &clef_store::Dependents,
) -> Response {
    let what = ctx.tr.t1("confirm-delete-customer", "name", &c.name);
    let blocked: Vec<String> = dependents
        .work
        .iter()
        .map(|(kind, n)| ctx.tr.tn(&format!("dependent-{}", kind.key()), n))
        .collect();
    let details = if dependents.children > 0 {
        vec![ctx.tr.tn("delete-detaches-children", dependents.children)]
    } else {
        Vec::new()
    };
    let what = if blocked.is_empty() {
        what
    } else {
        ctx.tr.t1("delete-customer-blocked", "name", &c.name)
    };
    let mut page = super::ConfirmPage::new(
        ctx,
        what,
        format!("/customers/{}/delete", c.id),
        format!("/customers/{}", c.id),
        c.version,
    );
    page.details = details;
    page.blocked = blocked;
    page.blocked_hint = page.ctx.t("delete-blocked-hint");
    render(status, &page)
}

/// A deletion that did not happen: changed by someone else meanwhile (said
/// as such, with the way back to the record), or another error.
pub(super) fn delete_failed(ctx: Ctx<'_>, e: StoreError, back: String) -> Response {
    if let StoreError::Stale { .. } = e {
        let m = ctx.t("conflict-delete-text");
        return super::message(
            StatusCode::CONFLICT,
            ctx,
            "conflict-title",
            m,
            Some((back, "back".into())),
        );
    }
    error_page(ctx, e)
}

#[derive(serde::Deserialize)]
struct VersionForm {
    version: Option<i64>,
}

async fn delete(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<VersionForm>,
) -> Response {
    let here = format!("/customers/{id}/delete");
    let c = match st.store.customer(id).await {
        Ok(c) => c,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    if !u.can(owner(&c)) {
        return forbidden(Ctx::new(&st, &headers, Some(u), &here));
    }
    match st
        .store
        .delete_customer(Some(u.user.id), id, f.version)
        .await
    {
        Ok(()) => Redirect::to(&format!("/customers?done=deleted&deleted={id}")).into_response(),
        Err(StoreError::InUse(work)) => {
            let ctx = Ctx::new(&st, &headers, Some(u), &here);
            let dependents = clef_store::Dependents { work, children: 0 };
            confirm_delete(StatusCode::CONFLICT, ctx, &c, &dependents)
        }
        Err(e) => delete_failed(
            Ctx::new(&st, &headers, Some(u), &here),
            e,
            format!("/customers/{id}"),
        ),
    }
}

// ---- contacts ----------------------------------------------------------------

/// A customer's contacts as CSV, in the contacts' import format (with a
/// byte order mark for spreadsheets).
async fn contacts_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/customers/{id}/contacts.csv");
    let loaded = async {
        st.store.customer(id).await?;
        st.store.list_contacts(id).await
    };
    let contacts = match loaded.await {
        Ok(c) => c,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(clef_store::import::CONTACT_COLUMNS);
    for c in &contacts {
        let o = |s: &Option<String>| clef_store::import::cell(s.as_deref().unwrap_or_default());
        let _ = w.write_record([
            c.id.to_string(),
            c.customer_id.to_string(),
            clef_store::import::cell(&c.first_name),
            clef_store::import::cell(&c.last_name),
            o(&c.email),
            o(&c.phone),
            o(&c.job_title),
            o(&c.notes),
        ]);
    }
    match w.into_inner() {
        Ok(body) => crate::api::relationships::csv_response(&format!("contacts-{id}.csv"), body),
        Err(e) => crate::error::ApiError::Internal(e.to_string()).into_response(),
    }
}

/// A customer's revenue lines as CSV, in the import format (month by month,
/// each business unit by its code): they import back unchanged.
async fn revenue_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/customers/{id}/revenue.csv");
    let loaded = async {
        st.store.customer(id).await?;
        let codes: std::collections::HashMap<i64, String> = st
            .store
            .list_business_units()
            .await?
            .into_iter()
            .map(|b| (b.id, b.code))
            .collect();
        Ok::<_, StoreError>((st.store.revenue_of(id).await?, codes))
    };
    let (lines, codes) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(clef_store::import::REVENUE_COLUMNS);
    for l in &lines {
        let _ = w.write_record(clef_store::import::revenue_csv_row(l, &codes));
    }
    match w.into_inner() {
        Ok(body) => crate::api::relationships::csv_response(&format!("revenue-{id}.csv"), body),
        Err(e) => crate::error::ApiError::Internal(e.to_string()).into_response(),
    }
}

#[derive(Template)]
#[template(path = "contact_form.html")]
struct ContactPage<'a> {
    ctx: Ctx<'a>,
    customer: customer::Model,
    action: String,
    form: ContactForm,
    errors: FieldErrors,
    stale: bool,
}

impl ContactPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
}

/// Loads the contact's customer and checks the user may change it.
pub(super) async fn writable_customer(
    st: &AppState,
    u: &crate::auth::CurrentUser,
    customer_id: i64,
) -> Result<customer::Model, Option<StoreError>> {
    let c = st.store.customer(customer_id).await.map_err(Some)?;
    if u.can(owner(&c)) { Ok(c) } else { Err(None) }
}

/// The contact and its customer when the user may change them; otherwise the
/// page to answer (not found, not allowed).
async fn writable_contact(
    st: &AppState,
    u: &crate::auth::CurrentUser,
    headers: &HeaderMap,
    here: &str,
    id: i64,
) -> Result<(contact::Model, customer::Model), Response> {
    let page = |e: Option<StoreError>| {
        let ctx = Ctx::new(st, headers, Some(u.clone()), here);
        match e {
            Some(e) => error_page(ctx, e),
            None => forbidden(ctx),
        }
    };
    let contact = st.store.contact(id).await.map_err(|e| page(Some(e)))?;
    let customer = writable_customer(st, u, contact.customer_id)
        .await
        .map_err(page)?;
    Ok((contact, customer))
}

async fn new_contact_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/customers/{id}/contacts/new");
    match writable_customer(&st, &u, id).await {
        Ok(customer) => {
            let ctx = Ctx::new(&st, &headers, Some(u), &here);
            render(
                StatusCode::OK,
                &ContactPage {
                    ctx,
                    customer,
                    action: here.clone(),
                    form: ContactForm::default(),
                    errors: FieldErrors::new(),
                    stale: false,
                },
            )
        }
        Err(Some(e)) => error_page(Ctx::new(&st, &headers, Some(u), &here), e),
        Err(None) => forbidden(Ctx::new(&st, &headers, Some(u), &here)),
    }
}

async fn create_contact(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ContactForm>,
) -> Response {
    let here = format!("/customers/{id}/contacts/new");
    let customer = match writable_customer(&st, &u, id).await {
        Ok(c) => c,
        Err(Some(e)) => return error_page(Ctx::new(&st, &headers, Some(u), &here), e),
        Err(None) => return forbidden(Ctx::new(&st, &headers, Some(u), &here)),
    };
    let result = match form.input().parse() {
        Ok(f) => st.store.create_contact(Some(u.user.id), id, &f).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match result {
        Ok(_) => {
            Redirect::to(&format!("/customers/{id}?done=contact-saved#contacts")).into_response()
        }
        Err(StoreError::Invalid(errors)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ContactPage {
                ctx,
                customer,
                action: here.clone(),
                form,
                errors,
                stale: false,
            },
        ),
        Err(e) => error_page(ctx, e),
    }
}

async fn edit_contact_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/contacts/{id}/edit");
    let (contact, customer) = match writable_contact(&st, &u, &headers, &here, id).await {
        Ok(x) => x,
        Err(page) => return page,
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    render(
        StatusCode::OK,
        &ContactPage {
            ctx,
            customer,
            action: here.clone(),
            form: ContactForm::from_model(&contact),
            errors: FieldErrors::new(),
            stale: false,
        },
    )
}

async fn update_contact(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ContactForm>,
) -> Response {
    let here = format!("/contacts/{id}/edit");
    let customer = match writable_contact(&st, &u, &headers, &here, id).await {
        Ok((_, customer)) => customer,
        Err(page) => return page,
    };
    let version = form.version.trim().parse::<i64>().unwrap_or(0);
    let result = match form.input().parse() {
        Ok(f) => {
            st.store
                .update_contact(Some(u.user.id), id, version, &f)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match result {
        Ok(c) => Redirect::to(&format!(
            "/customers/{}?done=contact-saved#contacts",
            c.customer_id
        ))
        .into_response(),
        Err(StoreError::Invalid(errors)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ContactPage {
                ctx,
                customer,
                action: here.clone(),
                form,
                errors,
                stale: false,
            },
        ),
        Err(StoreError::Stale { .. }) => render(
            StatusCode::CONFLICT,
            &ContactPage {
                ctx,
                customer,
                action: here.clone(),
                form,
                errors: FieldErrors::new(),
                stale: true,
            },
        ),
        Err(e) => error_page(ctx, e),
    }
}

async fn delete_contact_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/contacts/{id}/delete");
    let contact = match writable_contact(&st, &u, &headers, &here, id).await {
        Ok((contact, _)) => contact,
        Err(page) => return page,
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let what = ctx.tr.t1(
        "confirm-delete-contact",
        "name",
        format!("{} {}", contact.first_name, contact.last_name),
    );
    render(
        StatusCode::OK,
        &super::ConfirmPage::new(
            ctx,
            what,
            here.clone(),
            format!("/customers/{}", contact.customer_id),
            contact.version,
        ),
    )
}

async fn delete_contact(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<VersionForm>,
) -> Response {
    let here = format!("/contacts/{id}/delete");
    let customer_id = match writable_contact(&st, &u, &headers, &here, id).await {
        Ok((contact, _)) => contact.customer_id,
        Err(page) => return page,
    };
    match st
        .store
        .delete_contact(Some(u.user.id), id, f.version)
        .await
    {
        Ok(c) => Redirect::to(&format!(
            "/customers/{}?done=contact-deleted#contacts",
            c.customer_id
        ))
        .into_response(),
        Err(e) => delete_failed(
            Ctx::new(&st, &headers, Some(u), &here),
            e,
            format!("/customers/{customer_id}#contacts"),
        ),
    }
}
