//! Contracts: the renewals list across the portfolio (with its CSV), and
//! the form to add, change or delete a customer's contract.

use super::{
    Ctx, error_page, forbidden,
    forms::{amount_for_form, blank, opt_int, val},
    render, urlencode,
};
use crate::{AppState, api::contracts::RenewalQuery, auth::UiUser};
use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use clef_domain::{
    Currency, Date, FieldError, FieldErrors, Money, Page,
    contract::{ContractFields, ContractInput, Renewal},
};
use clef_store::{ContractRow, StoreError, contract, customer, user};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contracts", get(list))
        .route("/contracts.csv", get(export))
        .route("/customers/{id}/contracts/new", get(new_page).post(create))
        .route("/customers/{id}/contracts.csv", get(customer_csv))
        .route("/contracts/{id}/edit", get(edit_page).post(update))
        .route("/contracts/{id}/delete", get(delete_page).post(delete))
}

/// The renewal windows the list offers, in days (`all`: every contract).
const WINDOWS: [&str; 5] = ["30", "90", "180", "365", "all"];

/// The renewals list's query string, as the form sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
struct ListQuery {
    within: String,
    owner_id: String,
    q: String,
    sort: String,
    page: String,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            within: "90".into(),
            owner_id: String::new(),
            q: String::new(),
            sort: String::new(),
            page: String::new(),
        }
    }
}

impl ListQuery {
    /// The API's query for these values; bad ones are named in `e`.
    fn api(&self, e: &mut FieldErrors, per_page: u64) -> RenewalQuery {
        let until = match self.within.trim() {
            "all" => None,
            w => match w.parse::<i64>() {
                Ok(n) if WINDOWS.contains(&w) => {
                    Some(crate::plans::today().add_days(n).to_string())
                }
                _ => {
                    e.push(FieldError::new(
                        "within",
                        "invalid-choice",
                        format!("within must be one of {}, not \"{w}\"", WINDOWS.join(", ")),
                    ));
                    None
                }
            },
        };
        let page = opt_int(e, "page", &self.page).map(|p| u64::try_from(p).unwrap_or(0));
        RenewalQuery {
            until,
            owner_id: opt_int(e, "owner_id", &self.owner_id),
            q: Some(self.q.clone()),
            sort: Some(self.order()),
            page,
            per_page: Some(per_page),
        }
    }

    /// The order shown: the one asked for, or by the day to decide.
    fn order(&self) -> String {
        let keys: Vec<&str> = clef_store::RenewalSort::ALL
            .iter()
            .map(|(k, _)| *k)
            .collect();
        super::list_order(self.sort.trim(), &keys)
    }

    /// `path` with the list's filters and the order `sort`.
    fn href(&self, path: &str, sort: &str) -> String {
        format!(
            "{path}?within={}&owner_id={}&q={}&sort={}",
            urlencode(&self.within),
            urlencode(&self.owner_id),
            urlencode(&self.q),
            urlencode(sort)
        )
    }

    fn link(&self, page: u64) -> String {
        format!("{}&page={page}", self.href("/contracts", &self.order()))
    }

    /// The first page in the order a column's heading asks for.
    fn sort_link(&self, key: &str) -> String {
        self.href("/contracts", &super::next_order(&self.order(), key))
    }

    fn aria_sort(&self, key: &str) -> &'static str {
        super::aria_order(&self.order(), key)
    }

    fn csv_link(&self) -> String {
        self.href("/contracts.csv", &self.order())
    }
}

#[derive(Template)]
#[template(path = "contracts.html")]
struct ListPage<'a> {
    ctx: Ctx<'a>,
    query: ListQuery,
    errors: FieldErrors,
    /// None when a filter cannot be read: no list pretends to be filtered.
    page: Option<Page<ContractRow>>,
    owners: Vec<user::Model>,
    today: Date,
}

/// How the pages show a contract: dates and money for the reader.
pub(super) trait Shown {
    fn ctx(&self) -> &Ctx<'_>;
    fn today(&self) -> Date;

    fn day(&self, iso: &str) -> String {
        self.ctx().tr.iso_day(iso)
    }
    fn value(&self, c: &contract::Model) -> String {
        c.annual_value_cents
            .map_or_else(|| "—".into(), |v| self.ctx().tr.money(v, &c.currency))
    }
    fn decide(&self, c: &contract::Model) -> String {
        self.ctx().tr.iso_day(&c.decide_by)
    }
    /// `passed`, `notice-passed`, `decide` or `later`.
    fn state(&self, c: &contract::Model) -> &'static str {
        Date::parse("renews_on", &c.renews_on)
            .map_or(Renewal::Later, |r| {
                Renewal::of(r, c.notice_days, self.today())
            })
            .key()
    }
}

impl Shown for ListPage<'_> {
    fn ctx(&self) -> &Ctx<'_> {
        &self.ctx
    }
    fn today(&self) -> Date {
        self.today
    }
}

impl ListPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    fn windows(&self) -> &'static [&'static str] {
        &WINDOWS
    }
    fn window_label(&self, w: &str) -> String {
        if w == "all" {
            self.ctx.t("renewals-all")
        } else {
            self.ctx.tr.t1("renewals-within", "days", w)
        }
    }
}

async fn list(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Query(query): Query<ListQuery>,
) -> Response {
    // The language switch keeps the list's filters.
    let here = super::list_here(&uri);
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let mut errors = FieldErrors::new();
    let api = query.api(&mut errors, 50);
    let filter = crate::api::contracts::renewal_filter(&api);
    let page = match filter {
        Ok((f, p)) if errors.is_empty() => match st.store.renewals(&f, p).await {
            Ok(page) => Some(page),
            Err(e) => return error_page(ctx, e),
        },
        Ok(_) => None,
        Err(crate::error::ApiError::Invalid(more)) => {
            for m in more.0 {
                errors.push(m);
            }
            None
        }
        Err(e) => return super::api_error_page(ctx, e),
    };
    let mut owners = match st.store.list_users().await {
        Ok(u) => u,
        Err(e) => return error_page(ctx, e),
    };
    owners.retain(|u| {
        clef_store::OWNER_ROLES.contains(&u.role.as_str()) || query.owner_id == u.id.to_string()
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &ListPage {
            ctx,
            query,
            errors,
            page,
            owners,
            today: crate::plans::today(),
        },
    )
}

/// The renewals list as filtered, every page, as CSV (with a byte order
/// mark for spreadsheets).
async fn export(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let mut errors = FieldErrors::new();
    let api = query.api(&mut errors, clef_domain::PageRequest::MAX_PER_PAGE);
    let f = match crate::api::contracts::renewal_filter(&api) {
        Ok((f, _)) if errors.is_empty() => f,
        _ => {
            return Redirect::to(&query.link(1)).into_response();
        }
    };
    let today = crate::plans::today();
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record([
        "id",
        "customer_id",
        "customer_name",
        "owner",
        "title",
        "reference",
        "starts_on",
        "renews_on",
        "notice_days",
        "decide_by",
        "renewal",
        "auto_renew",
        "annual_value",
        "currency",
    ]);
    let mut n = 1;
    loop {
        let p = clef_domain::PageRequest {
            page: n,
            per_page: clef_domain::PageRequest::MAX_PER_PAGE,
        };
        let page = match st.store.renewals(&f, p).await {
            Ok(p) => p,
            Err(e) => return error_page(Ctx::new(&st, &headers, Some(u), "/contracts"), e),
        };
        for r in &page.items {
            let c = &r.contract;
            let renews = Date::parse("renews_on", &c.renews_on).ok();
            let cell = clef_store::import::cell;
            let _ = w.write_record([
                c.id.to_string(),
                c.customer_id.to_string(),
                cell(&r.customer_name),
                cell(r.owner_name.as_deref().unwrap_or_default()),
                cell(&c.title),
                cell(c.reference.as_deref().unwrap_or_default()),
                c.starts_on.clone().unwrap_or_default(),
                c.renews_on.clone(),
                c.notice_days.map(|d| d.to_string()).unwrap_or_default(),
                c.decide_by.clone(),
                renews
                    .map(|r| Renewal::of(r, c.notice_days, today).key())
                    .unwrap_or_default()
                    .to_owned(),
                c.auto_renew.to_string(),
                match (
                    c.annual_value_cents,
                    Currency::parse("currency", &c.currency),
                ) {
                    (Some(v), Ok(cur)) => Money::new(v, cur).to_decimal_string(),
                    _ => String::new(),
                },
                c.currency.clone(),
            ]);
        }
        if !page.has_next() {
            break;
        }
        n += 1;
    }
    match w.into_inner() {
        Ok(body) => crate::api::relationships::csv_response("renewals.csv", body),
        Err(e) => crate::error::ApiError::Internal(e.to_string()).into_response(),
    }
}

/// A customer's contracts as CSV, in the contracts' import format (with a
/// byte order mark for spreadsheets).
async fn customer_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let loaded = async {
        st.store.customer(id).await?;
        st.store.list_contracts(id).await
    };
    let contracts = match loaded.await {
        Ok(c) => c,
        Err(e) => {
            let here = format!("/customers/{id}/contracts.csv");
            return error_page(Ctx::new(&st, &headers, Some(u), &here), e);
        }
    };
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(clef_store::import::CONTRACT_COLUMNS);
    for c in &contracts {
        let _ = w.write_record(clef_store::import::contract_csv_row(c));
    }
    match w.into_inner() {
        Ok(body) => crate::api::relationships::csv_response(&format!("contracts-{id}.csv"), body),
        Err(e) => crate::error::ApiError::Internal(e.to_string()).into_response(),
    }
}

// ---- the form ----------------------------------------------------------------

/// The contract form; every value as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContractForm {
    pub title: String,
    pub reference: String,
    pub starts_on: String,
    pub renews_on: String,
    pub notice_days: String,
    /// Present (`on`) when the box is ticked.
    pub auto_renew: String,
    pub annual_value: String,
    pub currency: String,
    pub notes: String,
    pub version: String,
}

impl ContractForm {
    fn from_model(c: &contract::Model, locale: clef_domain::Locale) -> Self {
        let value = amount_for_form(c.annual_value_cents, &c.currency, locale);
        Self {
            title: c.title.clone(),
            reference: c.reference.clone().unwrap_or_default(),
            starts_on: c.starts_on.clone().unwrap_or_default(),
            renews_on: c.renews_on.clone(),
            notice_days: c.notice_days.map(|d| d.to_string()).unwrap_or_default(),
            auto_renew: if c.auto_renew {
                "on".into()
            } else {
                String::new()
            },
            annual_value: value,
            currency: c.currency.clone(),
            notes: c.notes.clone().unwrap_or_default(),
            version: c.version.to_string(),
        }
    }

    fn parse(&self, customer_currency: Currency) -> Result<ContractFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let currency = match blank(&self.currency) {
            None => Some(customer_currency),
            Some(c) => e.take(Currency::parse("currency", &c)),
        };
        let value = match (blank(&self.annual_value), currency) {
            (Some(v), Some(c)) => e
                .take(Money::parse_amount("annual_value", &v, c))
                .map(|m| m.minor),
            _ => None,
        };
        let input = ContractInput {
            title: self.title.clone(),
            reference: blank(&self.reference),
            starts_on: blank(&self.starts_on),
            renews_on: self.renews_on.clone(),
            notice_days: opt_int(&mut e, "notice_days", &self.notice_days),
            auto_renew: !self.auto_renew.trim().is_empty(),
            annual_value_cents: value,
            currency: currency.map(|c| c.to_string()),
            notes: blank(&self.notes),
        };
        match input.parse(customer_currency) {
            Ok(f) if e.is_empty() => Ok(f),
            Ok(_) => Err(e),
            Err(more) => {
                for mut m in more.0 {
                    if m.field == "annual_value_cents" {
                        m.field = "annual_value".into();
                    }
                    if e.get(&m.field).is_none() {
                        e.push(m);
                    }
                }
                Err(e)
            }
        }
    }
}

#[derive(Template)]
#[template(path = "contract_form.html")]
struct FormPage<'a> {
    ctx: Ctx<'a>,
    customer: customer::Model,
    action: String,
    form: ContractForm,
    errors: FieldErrors,
    stale: bool,
}

impl FormPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
}

fn form_page(
    status: StatusCode,
    ctx: Ctx<'_>,
    customer: customer::Model,
    action: String,
    form: ContractForm,
    errors: FieldErrors,
    stale: bool,
) -> Response {
    render(
        status,
        &FormPage {
            ctx,
            customer,
            action,
            form,
            errors,
            stale,
        },
    )
}

/// The customer when the user may change it; otherwise the page to answer.
async fn writable_customer(
    st: &AppState,
    u: &crate::auth::CurrentUser,
    headers: &HeaderMap,
    here: &str,
    id: i64,
) -> Result<customer::Model, Response> {
    super::customer::writable_customer(st, u, id)
        .await
        .map_err(|e| {
            let ctx = Ctx::new(st, headers, Some(u.clone()), here);
            match e {
                Some(e) => error_page(ctx, e),
                None => forbidden(ctx),
            }
        })
}

/// The contract and its customer when the user may change them.
async fn writable_contract(
    st: &AppState,
    u: &crate::auth::CurrentUser,
    headers: &HeaderMap,
    here: &str,
    id: i64,
) -> Result<(contract::Model, customer::Model), Response> {
    let k = match st.store.contract(id).await {
        Ok(k) => k,
        Err(e) => return Err(error_page(Ctx::new(st, headers, Some(u.clone()), here), e)),
    };
    let c = writable_customer(st, u, headers, here, k.customer_id).await?;
    Ok((k, c))
}

fn back_to(customer_id: i64, done: &str) -> Response {
    Redirect::to(&format!("/customers/{customer_id}?done={done}#contracts")).into_response()
}

async fn new_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/customers/{id}/contracts/new");
    let customer = match writable_customer(&st, &u, &headers, &here, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let form = ContractForm {
        currency: customer.currency.clone(),
        ..Default::default()
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    form_page(
        StatusCode::OK,
        ctx,
        customer,
        here,
        form,
        FieldErrors::new(),
        false,
    )
}

async fn create(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ContractForm>,
) -> Response {
    let here = format!("/customers/{id}/contracts/new");
    let customer = match writable_customer(&st, &u, &headers, &here, id).await {
        Ok(c) => c,
        Err(page) => return page,
    };
    let result = match form.parse(crate::api::contracts::currency_of(&customer)) {
        Ok(f) => st.store.create_contract(Some(u.user.id), id, &f).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match result {
        Ok(_) => back_to(id, "contract-saved"),
        Err(StoreError::Invalid(errors)) => form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx,
            customer,
            here,
            form,
            errors,
            false,
        ),
        Err(e) => error_page(ctx, e),
    }
}

async fn edit_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/contracts/{id}/edit");
    let (k, customer) = match writable_contract(&st, &u, &headers, &here, id).await {
        Ok(x) => x,
        Err(page) => return page,
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let form = ContractForm::from_model(&k, ctx.tr.locale);
    form_page(
        StatusCode::OK,
        ctx,
        customer,
        here,
        form,
        FieldErrors::new(),
        false,
    )
}

async fn update(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ContractForm>,
) -> Response {
    let here = format!("/contracts/{id}/edit");
    let customer = match writable_contract(&st, &u, &headers, &here, id).await {
        Ok((_, c)) => c,
        Err(page) => return page,
    };
    let version = form.version.trim().parse::<i64>().unwrap_or(0);
    let result = match form.parse(crate::api::contracts::currency_of(&customer)) {
        Ok(f) => {
            st.store
                .update_contract(Some(u.user.id), id, version, &f)
                .await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match result {
        Ok(k) => back_to(k.customer_id, "contract-saved"),
        Err(StoreError::Invalid(errors)) => form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx,
            customer,
            here,
            form,
            errors,
            false,
        ),
        Err(StoreError::Stale { .. }) => form_page(
            StatusCode::CONFLICT,
            ctx,
            customer,
            here,
            form,
            FieldErrors::new(),
            true,
        ),
        Err(e) => error_page(ctx, e),
    }
}

async fn delete_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/contracts/{id}/delete");
    let (k, customer) = match writable_contract(&st, &u, &headers, &here, id).await {
        Ok(x) => x,
        Err(page) => return page,
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let what = ctx.tr.t1(
        "confirm-delete-contract",
        "name",
        format!("{} ({})", k.title, customer.name),
    );
    render(
        StatusCode::OK,
        &super::ConfirmPage::new(
            ctx,
            what,
            here.clone(),
            format!("/customers/{}#contracts", k.customer_id),
            k.version,
        ),
    )
}

async fn delete(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<super::forms::Fields>,
) -> Response {
    let here = format!("/contracts/{id}/delete");
    let customer_id = match writable_contract(&st, &u, &headers, &here, id).await {
        Ok((k, _)) => k.customer_id,
        Err(page) => return page,
    };
    let version = val(&f, "version").trim().parse::<i64>().ok();
    match st.store.delete_contract(Some(u.user.id), id, version).await {
        Ok(_) => back_to(customer_id, "contract-deleted"),
        Err(e) => super::customer::delete_failed(
            Ctx::new(&st, &headers, Some(u), &here),
            e,
            format!("/customers/{customer_id}#contracts"),
        ),
    }
}
