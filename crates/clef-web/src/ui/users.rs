//! Users, for administrators: the list (search, role, switched on or off,
//! CSV), adding a user, and changing one — name, role, title, language,
//! switched off, a new password.

use super::{Ctx, error_page, forbidden, render, urlencode};
use crate::{AppState, auth::UiUser};
use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use clef_domain::{FieldError, FieldErrors, KamTitle, Role, policy::Action, search_key};
use clef_store::{NewUser, StoreError, UserChange, user};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users.csv", get(export))
        .route("/users/new", get(new_page).post(create))
        .route("/users/{id}/edit", get(edit_page).post(update))
}

/// The list's query string, as the form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    q: String,
    role: String,
    /// `yes`, `no` or empty (everyone).
    active: String,
    done: String,
    /// `name` (the default), `email` or `role`, `-` first for the reverse.
    sort: String,
    page: String,
}

/// Users shown on a page.
const USERS_PER_PAGE: usize = 50;
const USER_ORDERS: [&str; 3] = ["name", "email", "role"];

/// Orders users as the list's `sort` says (by name within a role).
fn sort_users(users: &mut [user::Model], sort: &str) {
    let order = super::list_order(sort, &USER_ORDERS);
    let by_name = |a: &user::Model, b: &user::Model| search_key(&a.name).cmp(&search_key(&b.name));
    match order.trim_start_matches('-') {
        "email" => users.sort_by(|a, b| a.email.cmp(&b.email)),
        // Roles from the widest rights down, as the role list shows them.
        "role" => users.sort_by_key(|u| {
            (
                Role::ALL.iter().position(|r| r.as_str() == u.role),
                search_key(&u.name),
            )
        }),
        _ => users.sort_by(by_name),
    }
    if order.starts_with('-') {
        users.reverse();
    }
}

impl ListQuery {
    fn keeps(&self, u: &user::Model) -> bool {
        let q = search_key(self.q.trim());
        (q.is_empty()
            || search_key(&u.name).contains(&q)
            || u.email.contains(&self.q.trim().to_lowercase()))
            && (self.role.is_empty() || u.role == self.role)
            && match self.active.as_str() {
                "yes" => u.active,
                "no" => !u.active,
                _ => true,
            }
    }

    fn csv_link(&self) -> String {
        format!("/users.csv?{}", self.base())
    }

    /// The filters and order, for links.
    fn base(&self) -> String {
        format!(
            "q={}&role={}&active={}&sort={}",
            urlencode(&self.q),
            urlencode(&self.role),
            urlencode(&self.active),
            urlencode(&self.order())
        )
    }

    fn order(&self) -> String {
        super::list_order(&self.sort, &USER_ORDERS)
    }
}

#[derive(Template)]
#[template(path = "users.html")]
struct ListPage<'a> {
    ctx: Ctx<'a>,
    query: ListQuery,
    users: Vec<user::Model>,
    /// How many users match the filters, and how many there are.
    matching: usize,
    total: usize,
    slice: super::Slice,
    notice: Option<String>,
}

impl ListPage<'_> {
    fn roles(&self) -> &'static [Role] {
        Role::ALL
    }
    fn sort_link(&self, key: &str) -> String {
        let q = ListQuery {
            sort: super::next_order(&self.query.order(), key),
            ..self.query.clone()
        };
        format!("/users?{}", q.base())
    }
    fn aria_sort(&self, key: &str) -> &'static str {
        super::aria_order(&self.query.order(), key)
    }
    fn page_link(&self, page: usize) -> String {
        format!("/users?{}&page={page}", self.query.base())
    }
}

/// The users `query` keeps, when the reader may manage users.
async fn users_for(
    st: &AppState,
    u: &crate::auth::CurrentUser,
    query: &ListQuery,
) -> Result<(Vec<user::Model>, usize), Option<StoreError>> {
    if !u.can(Action::ManageUsers) {
        return Err(None);
    }
    let all = st.store.list_users().await.map_err(Some)?;
    let total = all.len();
    Ok((all.into_iter().filter(|x| query.keeps(x)).collect(), total))
}

async fn list(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Query(query): Query<ListQuery>,
) -> Response {
    let loaded = users_for(&st, &u, &query).await;
    // The language switch keeps the list's filters.
    let here = super::list_here(&uri);
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let (mut users, total) = match loaded {
        Ok(x) => x,
        Err(Some(e)) => return error_page(ctx, e),
        Err(None) => return forbidden(ctx),
    };
    sort_users(&mut users, &query.sort);
    let matching = users.len();
    let (users, slice) = super::slice(users, &query.page, USERS_PER_PAGE);
    let notice = ["user-created", "user-saved"]
        .contains(&query.done.as_str())
        .then(|| ctx.t(&format!("done-{}", query.done)));
    render(
        StatusCode::OK,
        &ListPage {
            ctx,
            query,
            users,
            matching,
            total,
            slice,
            notice,
        },
    )
}

/// The users as filtered, as CSV (with a byte order mark for spreadsheets).
async fn export(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let loaded = users_for(&st, &u, &query).await;
    let mut users = match loaded {
        Ok((users, _)) => users,
        Err(Some(e)) => return error_page(Ctx::new(&st, &headers, Some(u), "/users"), e),
        Err(None) => return forbidden(Ctx::new(&st, &headers, Some(u), "/users")),
    };
    sort_users(&mut users, &query.sort);
    super::csv_download(
        "users.csv",
        &["id", "email", "name", "role", "title", "locale", "active"],
        users.iter().map(|x| {
            let cell = clef_store::import::cell;
            vec![
                x.id.to_string(),
                cell(&x.email),
                cell(&x.name),
                x.role.clone(),
                x.title.clone().unwrap_or_default(),
                x.locale.clone().unwrap_or_default(),
                x.active.to_string(),
            ]
        }),
    )
}

/// The user form; every value as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct UserForm {
    email: String,
    name: String,
    role: String,
    title: String,
    locale: String,
    /// Present (`on`) when the box is ticked.
    active: String,
    password: String,
    password_again: String,
    version: String,
}

impl UserForm {
    fn of(u: &user::Model) -> Self {
        Self {
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.clone(),
            title: u.title.clone().unwrap_or_default(),
            locale: u.locale.clone().unwrap_or_default(),
            active: if u.active { "on".into() } else { String::new() },
            version: u.version.to_string(),
            ..Default::default()
        }
    }

    /// The two passwords typed must be the same.
    fn check_again(&self, e: &mut FieldErrors) {
        if self.password != self.password_again {
            e.push(FieldError::new(
                "password_again",
                "passwords-differ",
                "the two passwords differ: type the same one twice",
            ));
        }
    }
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct FormPage<'a> {
    ctx: Ctx<'a>,
    /// None for a new user.
    id: Option<i64>,
    form: UserForm,
    errors: FieldErrors,
    stale: bool,
}

impl FormPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    fn roles(&self) -> &'static [Role] {
        Role::ALL
    }
    fn titles(&self) -> &'static [KamTitle] {
        KamTitle::ALL
    }
    fn action(&self) -> String {
        self.id
            .map_or_else(|| "/users/new".into(), |id| format!("/users/{id}/edit"))
    }
}

fn form_page(
    status: StatusCode,
    ctx: Ctx<'_>,
    id: Option<i64>,
    form: UserForm,
    errors: FieldErrors,
    stale: bool,
) -> Response {
    render(
        status,
        &FormPage {
            ctx,
            id,
            form,
            errors,
            stale,
        },
    )
}

async fn new_page(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    let may = u.can(Action::ManageUsers);
    let ctx = Ctx::new(&st, &headers, Some(u), "/users/new");
    if !may {
        return forbidden(ctx);
    }
    let form = UserForm {
        role: "viewer".into(),
        active: "on".into(),
        ..Default::default()
    };
    form_page(StatusCode::OK, ctx, None, form, FieldErrors::new(), false)
}

async fn create(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(form): Form<UserForm>,
) -> Response {
    let may = u.can(Action::ManageUsers);
    let actor = u.id();
    let ctx = Ctx::new(&st, &headers, Some(u), "/users/new");
    if !may {
        return forbidden(ctx);
    }
    let new = NewUser {
        email: form.email.clone(),
        name: form.name.clone(),
        role: form.role.clone(),
        title: kam_title(&form.role, &form.title),
        password: form.password.clone(),
        locale: super::forms::blank(&form.locale),
    };
    // Every problem at once, the two passwords included, before anything is created.
    let mut errors = new.check().err().unwrap_or_default();
    form.check_again(&mut errors);
    let result = if errors.is_empty() {
        st.store.create_user_by(actor, &new).await.map(|_| ())
    } else {
        Err(StoreError::Invalid(errors))
    };
    match result {
        Ok(()) => Redirect::to("/users?done=user-created").into_response(),
        Err(StoreError::Invalid(errors)) => form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx,
            None,
            blank_passwords(form),
            errors,
            false,
        ),
        Err(StoreError::Duplicate(m)) => {
            let mut e = FieldErrors::new();
            e.push(FieldError::new("email", "duplicate", m));
            form_page(
                StatusCode::CONFLICT,
                ctx,
                None,
                blank_passwords(form),
                e,
                false,
            )
        }
        Err(e) => error_page(ctx, e),
    }
}

/// Passwords are never sent back into a page.
fn blank_passwords(form: UserForm) -> UserForm {
    UserForm {
        password: String::new(),
        password_again: String::new(),
        ..form
    }
}

async fn edit_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/users/{id}/edit");
    let may = u.can(Action::ManageUsers);
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    if !may {
        return forbidden(ctx);
    }
    match st.store.user(id).await {
        Ok(x) => form_page(
            StatusCode::OK,
            ctx,
            Some(id),
            UserForm::of(&x),
            FieldErrors::new(),
            false,
        ),
        Err(e) => error_page(ctx, e),
    }
}

async fn update(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<UserForm>,
) -> Response {
    let here = format!("/users/{id}/edit");
    let may = u.can(Action::ManageUsers);
    let me = u.user.id;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    if !may {
        return forbidden(ctx);
    }
    // The e-mail shown is the one stored, whatever the form sent.
    let stored = match st.store.user(id).await {
        Ok(x) => x,
        Err(e) => return error_page(ctx, e),
    };
    let form = UserForm {
        email: stored.email,
        ..form
    };
    let ch = UserChange {
        name: form.name.clone(),
        role: form.role.clone(),
        title: kam_title(&form.role, &form.title),
        locale: super::forms::blank(&form.locale),
        active: Some(!form.active.trim().is_empty()),
        password: Some(form.password.clone()).filter(|p| !p.is_empty()),
    };
    // Every problem at once, the two passwords included.
    let mut errors = ch.check().err().unwrap_or_default();
    form.check_again(&mut errors);
    let result = if errors.is_empty() {
        let version = form.version.trim().parse::<i64>().unwrap_or(0);
        st.store.update_user(Some(me), id, version, &ch).await
    } else {
        Err(StoreError::Invalid(errors))
    };
    match result {
        Ok(_) => Redirect::to("/users?done=user-saved").into_response(),
        Err(StoreError::Invalid(errors)) => form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx,
            Some(id),
            blank_passwords(form),
            errors,
            false,
        ),
        Err(StoreError::Stale { .. }) => form_page(
            StatusCode::CONFLICT,
            ctx,
            Some(id),
            blank_passwords(form),
            FieldErrors::new(),
            true,
        ),
        Err(e) => error_page(ctx, e),
    }
}

/// The title chosen on the form, for a kam only: the choice stays selected
/// when the role is changed to another, and goes with it.
fn kam_title(role: &str, title: &str) -> Option<String> {
    (role.trim() == "kam")
        .then(|| super::forms::blank(title))
        .flatten()
}
