//! Meeting pages: an account's or the program's cadence (overview, year
//! calendar, planning), one meeting (record, evaluation, action items), the
//! formats, and calendar feeds.

use super::{
    Ctx, api_error_page, forbidden,
    forms::{Fields, all, blank, first_values, opt_i64, typed_values, val},
    local_next, render,
};
use crate::{
    AppState,
    api::rituals::{self as api, FeedIn, MeetingActionIn, PlanIn},
    auth::{CurrentUser, UiUser},
    error::ApiError,
    rituals::{FormatOverview, MeetingIn, events, ics_response, now_utc},
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
    FieldError, FieldErrors,
    policy::Action,
    rituals::{FormatScope, MeetingStatus, calendar},
};
use clef_store::{MeetingRow, Party, meeting_action, meeting_format};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/customers/{id}/meetings",
            get(account_page).post(account_post),
        )
        .route("/customers/{id}/meetings.csv", get(account_csv))
        .route("/program/meetings", get(program_page).post(program_post))
        .route("/program/meetings.csv", get(program_csv))
        .route(
            "/program/meetings/deleted/{entry}/restore",
            post(restore_program_meeting),
        )
        .route("/program/cadence.csv", get(cadence_csv))
        .route("/meetings/{id}", get(meeting_page).post(save_meeting))
        .route("/meetings/{id}/evaluation", post(save_evaluation))
        .route("/meetings/{id}/actions", post(add_action))
        .route("/meetings/{id}/actions.csv", get(actions_csv))
        .route("/meetings/{id}/delete", get(delete_page).post(delete))
        .route("/meetings/{id}/ics", get(meeting_ics))
        .route("/meeting-actions/{id}/status", post(action_status))
        .route(
            "/meeting-actions/{id}/edit",
            get(edit_action_page).post(save_action),
        )
        .route(
            "/meeting-actions/{id}/delete",
            get(delete_action_page).post(delete_action),
        )
        .route(
            "/meeting-actions/deleted/{entry}/restore",
            post(restore_action),
        )
        .route("/meeting-formats", get(formats_page).post(save_format))
        .route("/calendar", get(feeds_page).post(feeds_post))
}

/// A built-in format's default wording of `led_by` or `participants`, and
/// the message that says it in the reader's language.
fn default_wording(key: &str, field: &str) -> Option<(&'static str, String)> {
    let d = clef_domain::rituals::FORMATS
        .iter()
        .find(|d| d.key == key)?;
    let text = if field == "led_by" {
        d.led_by
    } else {
        d.participants
    };
    let message = format!(
        "format-{}-{}",
        d.key.replace('_', "-"),
        field.replace('_', "-")
    );
    Some((text, message))
}

/// A format's `led_by` or `participants` in the reader's language while it
/// is its built-in default wording (a text a director wrote stays as
/// written).
fn format_text(ctx: &Ctx<'_>, m: &meeting_format::Model, field: &str) -> String {
    let stored = if field == "led_by" {
        &m.led_by
    } else {
        &m.participants
    };
    match default_wording(&m.key, field) {
        Some((text, message)) if text == stored => ctx.t(&message),
        _ => stored.clone(),
    }
}

/// The text a built-in format's form (`key`) sends back for `led_by` or
/// `participants`: its default wording, shown in the reader's language, is
/// kept as the default (so that each reader keeps seeing it in theirs).
fn format_text_sent(ctx: &Ctx<'_>, key: Option<&str>, field: &str, sent: &str) -> String {
    match key.and_then(|k| default_wording(k, field)) {
        Some((text, message)) if ctx.t(&message) == sent.trim() => text.to_owned(),
        _ => sent.to_owned(),
    }
}

/// A meeting from a form.
fn meeting_in(f: &Fields) -> MeetingIn {
    MeetingIn {
        format_id: opt_i64(val(f, "format_id")).unwrap_or(0),
        title: blank(val(f, "title")),
        on: val(f, "on").to_owned(),
        at: blank(val(f, "at")),
        duration_minutes: opt_i64(val(f, "duration_minutes")),
        location: blank(val(f, "location")),
        online: !val(f, "online").is_empty(),
        primary_objective: blank(val(f, "primary_objective")),
        secondary_objectives: all(f, "secondary_objectives")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        agenda: blank(val(f, "agenda")),
        minutes: blank(val(f, "minutes")),
        decisions: blank(val(f, "decisions")),
        status: blank(val(f, "status")),
        organizer_id: opt_i64(val(f, "organizer_id")),
        user_ids: all(f, "user_ids").into_iter().filter_map(opt_i64).collect(),
        contact_ids: all(f, "contact_ids")
            .into_iter()
            .filter_map(opt_i64)
            .collect(),
        customer_ids: all(f, "customer_ids")
            .into_iter()
            .filter_map(opt_i64)
            .collect(),
        version: opt_i64(val(f, "version")),
    }
}

/// The meeting form's numbers the meeting itself does not carry: how
/// many to plan in a year (`per_year`, when given). A number that cannot be
/// read (that or the duration) is said beside its field, not taken as left
/// blank.
fn read_numbers(f: &Fields) -> Result<Option<i64>, ApiError> {
    let mut e = FieldErrors::new();
    super::forms::opt_int(&mut e, "duration_minutes", val(f, "duration_minutes"));
    let per_year = super::forms::opt_int(&mut e, "per_year", val(f, "per_year"));
    if e.is_empty() {
        Ok(per_year)
    } else {
        Err(ApiError::Invalid(e))
    }
}

/// Field errors named after the form: a participant (`user_ids[3]`,
/// `contact_ids[0]`, `customer_ids[1]`) → participants.
fn form_errors(e: FieldErrors) -> FieldErrors {
    FieldErrors(
        e.0.into_iter()
            .map(|mut x| {
                let of_list = ["participants", "user_ids[", "contact_ids[", "customer_ids["];
                if of_list.iter().any(|p| x.field.starts_with(p)) {
                    x.field = "participants".into();
                }
                x
            })
            .collect(),
    )
}

// ---------- an account's or the program's meetings ----------

pub struct MonthView {
    pub label: String,
    pub items: Vec<(i64, String, String, String)>,
}

/// Which meetings the list shows, in which order, and which page of it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct MeetingsQ {
    /// upcoming (from today), past, or all (the default).
    when: String,
    /// date (the earliest first, the default) or -date.
    sort: String,
    page: String,
    /// Words of the title (case and accents aside).
    q: String,
    /// A meeting format's id.
    format: String,
    /// What the page that sent the reader here just did.
    done: String,
}

/// The meetings list's choices of `when`.
const WHEN: [&str; 3] = ["all", "upcoming", "past"];

impl MeetingsQ {
    fn when(&self) -> &str {
        WHEN.iter()
            .find(|w| **w == self.when.trim())
            .copied()
            .unwrap_or("all")
    }
    fn order(&self) -> String {
        super::list_order(self.sort.trim(), &["date"])
    }
    /// The format asked for, when it is a number.
    fn format(&self) -> Option<i64> {
        self.format.trim().parse().ok()
    }
    fn is_format(&self, id: &i64) -> bool {
        self.format() == Some(*id)
    }
    /// `rows` (by date, the earliest first) as the list shows them.
    fn apply(&self, rows: Vec<MeetingRow>, today: &str) -> Vec<MeetingRow> {
        let when = self.when();
        let key = clef_domain::search_key(self.q.trim());
        let format = self.format();
        let mut rows: Vec<MeetingRow> = rows
            .into_iter()
            .filter(|r| match when {
                "upcoming" => r.meeting.on_date.as_str() >= today,
                "past" => r.meeting.on_date.as_str() < today,
                _ => true,
            })
            .filter(|r| format.is_none_or(|f| r.meeting.format_id == f))
            .filter(|r| key.is_empty() || clef_domain::search_key(&r.meeting.title).contains(&key))
            .collect();
        if self.order() == "-date" {
            rows.reverse();
        }
        rows
    }
    fn href(&self, path: &str, sort: &str) -> String {
        format!(
            "{path}?when={}&q={}&format={}&sort={}",
            super::urlencode(self.when()),
            super::urlencode(self.q.trim()),
            self.format().map(|f| f.to_string()).unwrap_or_default(),
            super::urlencode(sort)
        )
    }
    /// A search or a format limits the list.
    fn narrowed(&self) -> bool {
        !self.q.trim().is_empty() || self.format().is_some() || self.when() != "all"
    }
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage<'a> {
    ctx: Ctx<'a>,
    accounts: Vec<api::AccountCadence>,
    title: String,
    action: String,
    customer: Option<clef_store::customer::Model>,
    overview: Vec<FormatOverview>,
    /// The page of the list shown, and the list's choices.
    rows: Vec<MeetingRow>,
    list: MeetingsQ,
    slice: super::Slice,
    /// How many meetings the list holds (all its pages).
    listed: usize,
    formats: Vec<meeting_format::Model>,
    months: Vec<MonthView>,
    can_run: bool,
    users: Vec<(i64, String)>,
    contacts: Vec<(i64, String)>,
    companies: Vec<(i64, String)>,
    /// The program's meetings deleted and not restored (for those who run
    /// them).
    deleted: Vec<DeletedMeeting>,
    /// A meeting was just deleted.
    just_deleted: bool,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    today: String,
}

impl MeetingsPage<'_> {
    fn err(&self, f: &str) -> Option<String> {
        self.errors.get(f).map(|e| self.ctx.field_message(e))
    }
    fn typed(&self, f: &str) -> String {
        self.typed.get(f).cloned().unwrap_or_default()
    }
    fn is_typed(&self, f: &str, v: &str) -> bool {
        self.typed.get(f).is_some_and(|t| t == v)
    }
    /// Whether `v` was among the choices of the multiple select `f`.
    fn chosen(&self, f: &str, v: &i64) -> bool {
        super::forms::chosen(&self.typed, f, v)
    }
    fn format_name(&self, id: &i64) -> String {
        self.formats
            .iter()
            .find(|f| f.id == *id)
            .map(|f| {
                if self.ctx.tr.lang() == "fr" {
                    f.name_fr.clone()
                } else {
                    f.name_en.clone()
                }
            })
            .unwrap_or_default()
    }
    fn fname(&self, f: &meeting_format::Model) -> String {
        if self.ctx.tr.lang() == "fr" {
            f.name_fr.clone()
        } else {
            f.name_en.clone()
        }
    }
    fn date(&self, d: &str) -> String {
        self.ctx.tr.iso_day(d)
    }
    fn odate(&self, d: &Option<String>) -> String {
        d.as_deref().map_or("—".into(), |d| self.ctx.tr.iso_day(d))
    }
    fn whens(&self) -> &'static [&'static str] {
        &WHEN
    }
    fn sort_link(&self) -> String {
        self.list
            .href(&self.action, &super::next_order(&self.list.order(), "date"))
    }
    fn aria_sort(&self) -> &'static str {
        super::aria_order(&self.list.order(), "date")
    }
    fn csv_link(&self) -> String {
        self.list
            .href(&format!("{}.csv", self.action), &self.list.order())
    }
    fn page_link(&self, page: usize) -> String {
        format!(
            "{}&page={page}",
            self.list.href(&self.action, &self.list.order())
        )
    }
}

/// A program meeting deleted and not restored: its history entry, when it
/// went and by whom, its title and day.
struct DeletedMeeting {
    entry: i64,
    at: i64,
    by: String,
    title: String,
    on: String,
}

/// How many meetings a page of the list shows.
const MEETINGS_PER_PAGE: usize = 50;

#[allow(clippy::too_many_arguments)]
async fn meetings_view(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    customer_id: Option<i64>,
    mut list: MeetingsQ,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    status: StatusCode,
) -> Response {
    let here = match customer_id {
        Some(c) => format!("/customers/{c}/meetings"),
        None => "/program/meetings".into(),
    };
    let r = async {
        let customer = match customer_id {
            Some(c) => Some(st.store.customer(c).await?),
            None => None,
        };
        let can_run = api::can_run(st, &u, customer_id).await?;
        let rows = st.store.meetings_of(customer_id).await?;
        let formats = st.store.formats().await?;
        let users = st.store.list_users().await?;
        let contacts = match customer_id {
            Some(c) => st.store.list_contacts(c).await?,
            None => Vec::new(),
        };
        let companies = match customer_id {
            None => st
                .store
                .plan_rows()
                .await?
                .into_iter()
                .filter(|r| r.customer.status == "key_account")
                .map(|r| (r.customer.id, r.customer.name))
                .collect(),
            Some(_) => Vec::new(),
        };
        let deleted = if customer_id.is_none() && can_run {
            let names: HashMap<i64, &str> = users.iter().map(|u| (u.id, u.name.as_str())).collect();
            st.store
                .deleted_program_meetings()
                .await?
                .into_iter()
                .map(|(e, title, on)| {
                    let by = e
                        .user_id
                        .and_then(|u| names.get(&u).map(|n| (*n).to_owned()))
                        .unwrap_or_default();
                    DeletedMeeting {
                        entry: e.id,
                        at: e.at,
                        by,
                        title,
                        on,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok::<_, ApiError>((
            customer, can_run, rows, formats, users, contacts, companies, deleted,
        ))
    }
    .await;
    // The language switch keeps the list's choices and page.
    let shown = format!(
        "{}&page={}",
        list.href(&here, &list.order()),
        super::urlencode(list.page.trim())
    );
    let ctx = Ctx::new(st, headers, Some(u), &shown);
    let (customer, can_run, rows, formats, users, contacts, companies, deleted) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let today = crate::plans::today();
    let scope = if customer_id.is_some() {
        FormatScope::Account
    } else {
        FormatScope::Program
    };
    let overview = crate::rituals::overview(&formats, &rows, today, ctx.tr.lang() == "fr", scope);
    let accounts = match customer_id {
        Some(_) => Vec::new(),
        None => api::accounts_cadence(st, ctx.tr.lang() == "fr")
            .await
            .unwrap_or_default(),
    };
    let formats: Vec<_> = formats.into_iter().filter(|f| f.scope() == scope).collect();
    // A format not offered here (unknown, or of the other scope) narrows
    // nothing: the list shows what its choices say.
    if list
        .format()
        .is_some_and(|id| !formats.iter().any(|f| f.id == id))
    {
        list.format.clear();
    }
    // The year ahead, month by month, from this month.
    let mut months = Vec::new();
    let mut p = today.period();
    for _ in 0..12 {
        let key = format!("{:04}-{:02}", p.year, p.month);
        months.push(MonthView {
            label: ctx.tr.t1(&format!("month-{}", p.month), "year", p.year),
            items: rows
                .iter()
                .filter(|r| r.meeting.on_date.starts_with(&key))
                .map(|r| {
                    (
                        r.meeting.id,
                        r.meeting.on_date[8..].to_owned(),
                        r.meeting.title.clone(),
                        r.meeting.status.clone(),
                    )
                })
                .collect(),
        });
        p = p.add_months(1);
    }
    let title = match &customer {
        Some(c) => format!("{} — {}", ctx.t("meetings-title"), c.name),
        None => ctx.t("program-meetings-title"),
    };
    let listed_rows = list.apply(rows, &today.to_string());
    let listed = listed_rows.len();
    let (rows, slice) = super::slice(listed_rows, &list.page, MEETINGS_PER_PAGE);
    let just_deleted = list.done == "meeting-deleted";
    render(
        status,
        &MeetingsPage {
            accounts,
            title,
            action: here.clone(),
            customer,
            overview,
            rows,
            list,
            slice,
            listed,
            formats,
            months,
            can_run,
            users: users
                .iter()
                .filter(|u| u.active)
                .map(|u| (u.id, u.name.clone()))
                .collect(),
            contacts: contacts
                .iter()
                .map(|c| (c.id, format!("{} {}", c.first_name, c.last_name)))
                .collect(),
            companies,
            deleted,
            just_deleted,
            errors,
            typed,
            today: today.to_string(),
            ctx,
        },
    )
}

/// Brings a deleted program meeting back, for those who run the program's
/// meetings; its page opens with a notice.
async fn restore_program_meeting(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(entry): Path<i64>,
) -> Response {
    let r = async {
        api::must_run(&st, &u, None).await?;
        Ok::<_, ApiError>(st.store.restore_program_meeting(u.id(), entry).await?)
    }
    .await;
    match r {
        Ok(m) => Redirect::to(&format!("/meetings/{}?done=restored", m.id)).into_response(),
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), "/program/meetings"), e),
    }
}

async fn account_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(list): Query<MeetingsQ>,
) -> Response {
    meetings_view(
        &st,
        &headers,
        u,
        Some(id),
        list,
        FieldErrors::new(),
        HashMap::new(),
        StatusCode::OK,
    )
    .await
}

async fn account_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(list): Query<MeetingsQ>,
) -> Response {
    meetings_csv(&st, &headers, u, Some(id), list).await
}

async fn program_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(list): Query<MeetingsQ>,
) -> Response {
    meetings_csv(&st, &headers, u, None, list).await
}

/// Every key account's cadence as CSV: a line per account and format,
/// as the program's meetings page shows it.
async fn cadence_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
) -> Response {
    let accounts = match api::accounts_cadence(&st, false).await {
        Ok(a) => a,
        Err(e) => {
            return api_error_page(Ctx::new(&st, &headers, Some(u), "/program/meetings"), e);
        }
    };
    let cell = clef_store::import::cell;
    let rows = accounts.into_iter().flat_map(|a| {
        a.overview.into_iter().map(move |o| {
            vec![
                a.customer_id.to_string(),
                cell(&a.customer_name),
                o.key,
                o.held_last_12_months.to_string(),
                o.cadence_min.to_string(),
                o.cadence_max.to_string(),
                o.cadence_kept,
                o.planned.to_string(),
                o.last_held.unwrap_or_default(),
                o.next.unwrap_or_default(),
                o.overdue.to_string(),
            ]
        })
    });
    super::csv_download(
        "cadence.csv",
        &[
            "customer_id",
            "customer",
            "format",
            "held_last_12_months",
            "cadence_min",
            "cadence_max",
            "cadence_kept",
            "planned",
            "last_held",
            "next",
            "overdue",
        ],
        rows,
    )
}

/// The meetings list of an account (or of the program) as CSV, as the
/// page shows it (every page of it).
async fn meetings_csv(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    customer_id: Option<i64>,
    list: MeetingsQ,
) -> Response {
    let loaded = async {
        if let Some(c) = customer_id {
            st.store.customer(c).await?;
        }
        let rows = st.store.meetings_of(customer_id).await?;
        let formats = st.store.formats().await?;
        let users = st.store.list_users().await?;
        Ok::<_, ApiError>((rows, formats, users))
    }
    .await;
    let (rows, formats, users) = match loaded {
        Ok(x) => x,
        Err(e) => {
            let here = match customer_id {
                Some(c) => format!("/customers/{c}/meetings"),
                None => "/program/meetings".into(),
            };
            return api_error_page(Ctx::new(st, headers, Some(u), &here), e);
        }
    };
    let cell = clef_store::import::cell;
    let format_key: HashMap<i64, String> = formats.into_iter().map(|f| (f.id, f.key)).collect();
    let user_name: HashMap<i64, String> = users.into_iter().map(|u| (u.id, u.name)).collect();
    let opt = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let rows = list.apply(rows, &crate::plans::today().to_string());
    let lines = rows.into_iter().map(|r| {
        let m = r.meeting;
        vec![
            m.id.to_string(),
            m.on_date,
            m.at_time,
            m.duration_minutes.to_string(),
            format_key.get(&m.format_id).cloned().unwrap_or_default(),
            cell(&m.title),
            m.status,
            cell(m.location.as_deref().unwrap_or_default()),
            m.online.to_string(),
            cell(
                m.organizer_id
                    .and_then(|o| user_name.get(&o))
                    .map_or("", String::as_str),
            ),
            m.primary_objective,
            opt(m.objective_met),
            opt(m.satisfaction),
        ]
    });
    let name = match customer_id {
        Some(c) => format!("meetings-{c}.csv"),
        None => "program-meetings.csv".into(),
    };
    super::csv_download(
        &name,
        &[
            "id",
            "date",
            "time",
            "duration_minutes",
            "format",
            "title",
            "status",
            "location",
            "online",
            "organizer",
            "primary_objective",
            "objective_met",
            "satisfaction",
        ],
        lines,
    )
}

async fn program_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(list): Query<MeetingsQ>,
) -> Response {
    meetings_view(
        &st,
        &headers,
        u,
        None,
        list,
        FieldErrors::new(),
        HashMap::new(),
        StatusCode::OK,
    )
    .await
}

/// Plans a year (`per_year` given) or records one meeting.
async fn post_meetings(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    customer_id: Option<i64>,
    f: Fields,
) -> Response {
    let m = meeting_in(&f);
    let r = match read_numbers(&f) {
        Err(e) => Err(e),
        Ok(Some(n)) => api::plan(
            st,
            &u,
            customer_id,
            &PlanIn {
                meeting: m,
                per_year: n,
            },
        )
        .await
        .map(|ms| ms.first().map(|m| m.id)),
        Ok(None) => api::create_one(st, &u, customer_id, &m, true)
            .await
            .map(|m| Some(m.id)),
    };
    let back = match customer_id {
        Some(c) => format!("/customers/{c}/meetings"),
        None => "/program/meetings".into(),
    };
    match r {
        Ok(_) => Redirect::to(&format!("{back}#meetings")).into_response(),
        Err(ApiError::Invalid(e)) => {
            meetings_view(
                st,
                headers,
                u,
                customer_id,
                MeetingsQ::default(),
                form_errors(e),
                typed_values(&f),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(st, headers, Some(u), &back), e),
    }
}

async fn account_post(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    post_meetings(&st, &headers, u, Some(id), f).await
}

async fn program_post(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    post_meetings(&st, &headers, u, None, f).await
}

// ---------- one meeting ----------

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage<'a> {
    ctx: Ctx<'a>,
    r: MeetingRow,
    format: meeting_format::Model,
    customer: Option<clef_store::customer::Model>,
    can_run: bool,
    users: Vec<(i64, String)>,
    contacts: Vec<(i64, String)>,
    companies: Vec<(i64, String)>,
    actions: Vec<meeting_action::Model>,
    /// Action items deleted and not restored, with who deleted them, for
    /// those who run the meeting.
    deleted_actions: Vec<(clef_store::DeletedAction, String)>,
    user_names: HashMap<i64, String>,
    plan_actions: Vec<(String, String)>,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    notice: Option<String>,
}

impl MeetingPage<'_> {
    fn err(&self, f: &str) -> Option<String> {
        self.errors.get(f).map(|e| self.ctx.field_message(e))
    }
    fn v(&self, f: &str) -> String {
        self.typed.get(f).cloned().unwrap_or_default()
    }
    fn has(&self, f: &str, v: &str) -> bool {
        self.typed.contains_key(&format!("{f}={v}")) || self.typed.get(f).is_some_and(|t| t == v)
    }
    fn fname(&self) -> String {
        if self.ctx.tr.lang() == "fr" {
            self.format.name_fr.clone()
        } else {
            self.format.name_en.clone()
        }
    }
    fn led_by(&self) -> String {
        format_text(&self.ctx, &self.format, "led_by")
    }
    /// The people or companies of kind `kind` taking part, as saved, by
    /// name (switched-off users and companies out of the lists included).
    fn taking_part(&self, kind: &str) -> String {
        let name = |list: &[(i64, String)], id: i64| {
            list.iter()
                .find(|(x, _)| *x == id)
                .map_or_else(|| format!("#{id}"), |(_, n)| n.clone())
        };
        let names: Vec<String> = self
            .r
            .parties
            .iter()
            .filter_map(|p| match (kind, p) {
                ("users", Party::User(u)) => Some(
                    self.user_names
                        .get(u)
                        .cloned()
                        .unwrap_or_else(|| format!("#{u}")),
                ),
                ("companies", Party::Company(c)) => Some(name(&self.companies, *c)),
                ("contacts", Party::Contact(c)) => Some(name(&self.contacts, *c)),
                _ => None,
            })
            .collect();
        if names.is_empty() {
            "—".into()
        } else {
            names.join(", ")
        }
    }
    /// The secondary objectives as saved, in words.
    fn objectives_saved(&self) -> String {
        let names: Vec<String> = self
            .r
            .meeting
            .secondary_objectives
            .split(',')
            .filter(|o| !o.is_empty())
            .map(|o| self.ctx.tr.choice("objective", o))
            .collect();
        if names.is_empty() {
            "—".into()
        } else {
            names.join(", ")
        }
    }
    fn owner(&self, id: &Option<i64>) -> String {
        id.and_then(|i| self.user_names.get(&i).cloned())
            .unwrap_or_default()
    }
    fn held(&self) -> bool {
        self.r.meeting.meeting_status() == MeetingStatus::Held
    }
}

/// The meeting as form values; multi-valued fields as "field=value" keys.
fn meeting_values(r: &MeetingRow) -> HashMap<String, String> {
    let m = &r.meeting;
    let mut v = HashMap::new();
    let mut put = |k: &str, x: String| {
        v.insert(k.to_owned(), x);
    };
    put("format_id", m.format_id.to_string());
    put("title", m.title.clone());
    put("on", m.on_date.clone());
    put("at", m.at_time.clone());
    put("duration_minutes", m.duration_minutes.to_string());
    put("location", m.location.clone().unwrap_or_default());
    put("online", if m.online { "on".into() } else { String::new() });
    put("primary_objective", m.primary_objective.clone());
    put("agenda", m.agenda.clone().unwrap_or_default());
    put("minutes", m.minutes.clone().unwrap_or_default());
    put("decisions", m.decisions.clone().unwrap_or_default());
    put("status", m.status.clone());
    put("version", m.version.to_string());
    put(
        "objective_met",
        m.objective_met.map(|x| x.to_string()).unwrap_or_default(),
    );
    put(
        "satisfaction",
        m.satisfaction.map(|x| x.to_string()).unwrap_or_default(),
    );
    put("comment", m.evaluation_comment.clone().unwrap_or_default());
    for s in m.secondary_objectives.split(',').filter(|s| !s.is_empty()) {
        put(&format!("secondary_objectives={s}"), "1".into());
    }
    for p in &r.parties {
        match p {
            Party::User(x) => put(&format!("user_ids={x}"), "1".into()),
            Party::Contact(x) => put(&format!("contact_ids={x}"), "1".into()),
            Party::Company(x) => put(&format!("customer_ids={x}"), "1".into()),
        }
    }
    v
}

#[allow(clippy::too_many_arguments)]
async fn meeting_view(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    errors: FieldErrors,
    typed: Option<HashMap<String, String>>,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let here = format!("/meetings/{id}");
    let r = async {
        let r = st.store.meeting(id).await?;
        let format = st.store.format(r.meeting.format_id).await?;
        let customer = match r.meeting.customer_id {
            Some(c) => Some(st.store.customer(c).await?),
            None => None,
        };
        let can_run = api::can_run(st, &u, r.meeting.customer_id).await?;
        let users = st.store.list_users().await?;
        let mut contacts = Vec::new();
        let mut companies = Vec::new();
        match r.meeting.customer_id {
            Some(c) => contacts = st.store.list_contacts(c).await?,
            None => {
                for row in st.store.plan_rows().await? {
                    if row.customer.status == "key_account" {
                        companies.push((row.customer.id, row.customer.name.clone()));
                    }
                }
                for p in &r.parties {
                    if let Party::Company(k) = p {
                        contacts.extend(st.store.list_contacts(*k).await?);
                    }
                }
            }
        }
        let actions = st.store.meeting_actions(id).await?;
        let deleted_actions = if can_run {
            let deleted = st.store.deleted_meeting_actions(id).await?;
            super::named_deleters(&users, deleted, |d| d.deleted_by)
        } else {
            Vec::new()
        };
        let actions = (actions, deleted_actions);
        let mut plan_actions = Vec::new();
        if let Some(c) = r.meeting.customer_id
            && let Some(v) = st
                .store
                .plan_versions(c)
                .await?
                .into_iter()
                .rev()
                .find(|v| v.plan_status() != clef_domain::plan::PlanStatus::Archived)
        {
            for (i, a) in v.content().actions.iter().enumerate() {
                plan_actions.push((format!("{}:{i}", v.id), a.title.clone()));
            }
        }
        Ok::<_, ApiError>((
            r,
            format,
            customer,
            can_run,
            users,
            contacts,
            companies,
            actions,
            plan_actions,
        ))
    }
    .await;
    let ctx = Ctx::new(st, headers, Some(u), &here);
    let (r, format, customer, can_run, users, contacts, companies, actions, plan_actions) = match r
    {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let (actions, deleted_actions) = actions;
    let typed = typed.unwrap_or_else(|| meeting_values(&r));
    render(
        status,
        &MeetingPage {
            user_names: users.iter().map(|u| (u.id, u.name.clone())).collect(),
            users: users
                .iter()
                .filter(|u| u.active)
                .map(|u| (u.id, u.name.clone()))
                .collect(),
            contacts: contacts
                .iter()
                .map(|c| (c.id, format!("{} {}", c.first_name, c.last_name)))
                .collect(),
            r,
            format,
            customer,
            can_run,
            companies,
            actions,
            deleted_actions,
            plan_actions,
            errors,
            typed,
            notice,
            ctx,
        },
    )
}

/// A meeting's action items as CSV: title, owner, due date, status and
/// the plan action each follows.
async fn actions_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let r = async {
        u.require(clef_domain::policy::Action::ReadPortfolio)?;
        st.store.meeting(id).await?;
        let actions = st.store.meeting_actions(id).await?;
        let users = st.store.list_users().await?;
        Ok::<_, ApiError>((actions, users))
    }
    .await;
    let (actions, users) = match r {
        Ok(x) => x,
        Err(e) => {
            return api_error_page(
                Ctx::new(&st, &headers, Some(u), &format!("/meetings/{id}")),
                e,
            );
        }
    };
    let names: HashMap<i64, String> = users.into_iter().map(|u| (u.id, u.name)).collect();
    let cell = clef_store::import::cell;
    super::csv_download(
        &format!("meeting-{id}-actions.csv"),
        &[
            "id",
            "title",
            "owner_id",
            "owner",
            "due_on",
            "status",
            "plan_version_id",
            "plan_action",
        ],
        actions.iter().map(|a| {
            vec![
                a.id.to_string(),
                cell(&a.title),
                a.owner_id.map(|o| o.to_string()).unwrap_or_default(),
                cell(
                    a.owner_id
                        .and_then(|o| names.get(&o))
                        .map_or("", String::as_str),
                ),
                a.due_on.clone().unwrap_or_default(),
                a.status.clone(),
                a.plan_version_id.map(|v| v.to_string()).unwrap_or_default(),
                // Numbered from 1, as the plan shows its actions.
                a.plan_action_index
                    .filter(|_| a.plan_version_id.is_some())
                    .map(|i| (i + 1).to_string())
                    .unwrap_or_default(),
            ]
        }),
    )
}

/// What a meeting's page was reached after.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MeetingQ {
    /// `restored`: brought back from its customer's history.
    done: String,
}

async fn meeting_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<MeetingQ>,
) -> Response {
    let notice = match q.done.as_str() {
        "restored" => Some("done-meeting-restored"),
        "action-saved" => Some("done-action-saved"),
        "action-deleted" => Some("done-action-deleted"),
        "action-restored" => Some("done-action-restored"),
        _ => None,
    }
    .map(|k| Ctx::new(&st, &headers, Some(u.clone()), "").t(k));
    meeting_view(
        &st,
        &headers,
        u,
        id,
        FieldErrors::new(),
        None,
        notice,
        StatusCode::OK,
    )
    .await
}

async fn save_meeting(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let m = meeting_in(&f);
    let saved = match read_numbers(&f) {
        Ok(_) => api::update_one(&st, &u, id, &m).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => {
            let n = Ctx::new(&st, &headers, Some(u.clone()), "").t("saved");
            meeting_view(
                &st,
                &headers,
                u,
                id,
                FieldErrors::new(),
                None,
                Some(n),
                StatusCode::OK,
            )
            .await
        }
        Err(ApiError::Invalid(e)) => {
            meeting_view(
                &st,
                &headers,
                u,
                id,
                form_errors(e),
                Some(typed_values(&f)),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ApiError::Conflict(m)) => {
            let e = FieldError::new("version", "stale", m).into();
            meeting_view(
                &st,
                &headers,
                u,
                id,
                e,
                Some(typed_values(&f)),
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

async fn save_evaluation(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let m = st.store.meeting(id).await?;
        if !api::can_run(&st, &u, m.meeting.customer_id).await? {
            return Err(ApiError::Forbidden(String::new()));
        }
        let b = api::EvaluationIn {
            objective_met: opt_i64(val(&f, "objective_met")).unwrap_or(0),
            satisfaction: opt_i64(val(&f, "satisfaction")).unwrap_or(0),
            comment: blank(val(&f, "comment")),
            version: super::form_version(&f),
        };
        let (o, s, c) = api::parse_evaluation(&b)?;
        st.store
            .evaluate_meeting(u.id(), id, (o, s, c.as_deref()), b.version)
            .await?;
        Ok(())
    }
    .await;
    match r {
        Ok(()) => {
            let n = Ctx::new(&st, &headers, Some(u.clone()), "").t("evaluation-saved");
            meeting_view(
                &st,
                &headers,
                u,
                id,
                FieldErrors::new(),
                None,
                Some(n),
                StatusCode::OK,
            )
            .await
        }
        Err(ApiError::Invalid(e)) => {
            // The meeting as saved, the evaluation as sent.
            let mut typed = st
                .store
                .meeting(id)
                .await
                .map(|r| meeting_values(&r))
                .unwrap_or_default();
            typed.extend(typed_values(&f));
            meeting_view(
                &st,
                &headers,
                u,
                id,
                e,
                Some(typed),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

async fn add_action(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let (pv, pi) = match val(&f, "plan_action").split_once(':') {
        Some((v, i)) => (opt_i64(v), opt_i64(i)),
        None => (None, None),
    };
    // An owner that is no one's id is refused, not taken as none.
    let mut unreadable = FieldErrors::new();
    let owner = super::forms::opt_int(&mut unreadable, "owner_id", val(&f, "action_owner"));
    let b = MeetingActionIn {
        title: val(&f, "action_title").to_owned(),
        owner_id: owner,
        due_on: blank(val(&f, "action_due")),
        plan_version_id: pv,
        plan_action_index: pi,
    };
    let added = if unreadable.is_empty() {
        api::add_action(&st, &u, id, &b).await
    } else {
        Err(ApiError::Invalid(unreadable))
    };
    match added {
        Ok(_) => Redirect::to(&format!("/meetings/{id}#actions")).into_response(),
        Err(ApiError::Invalid(e)) => {
            let renamed = FieldErrors(
                e.0.into_iter()
                    .map(|mut x| {
                        x.field = match x.field.as_str() {
                            "title" => "action_title".into(),
                            "due_on" => "action_due".into(),
                            "owner_id" => "action_owner".into(),
                            _ => "plan_action".into(),
                        };
                        x
                    })
                    .collect(),
            );
            let mut typed = st
                .store
                .meeting(id)
                .await
                .map(|r| meeting_values(&r))
                .unwrap_or_default();
            typed.extend(first_values(&f));
            meeting_view(
                &st,
                &headers,
                u,
                id,
                renamed,
                Some(typed),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

async fn action_status(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(aid): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let a = st.store.meeting_action(aid).await?;
        if !u.can(Action::UpdateOwnAction {
            owner: a.owner_id.map(clef_domain::UserId),
        }) {
            let m = st.store.meeting(a.meeting_id).await?;
            if !api::can_run(&st, &u, m.meeting.customer_id).await? {
                return Err(ApiError::Forbidden(String::new()));
            }
        }
        st.store
            .set_meeting_action_status(u.id(), aid, val(&f, "status").trim())
            .await?;
        Ok::<_, ApiError>(a.meeting_id)
    }
    .await;
    match r {
        Ok(mid) => {
            let next = local_next(val(&f, "next"), format!("/meetings/{mid}#actions"));
            Redirect::to(&next).into_response()
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

// ---------- an action item's correction and deletion ----------

#[derive(Template)]
#[template(path = "meeting_action_form.html")]
struct ActionFormPage<'a> {
    ctx: Ctx<'a>,
    action: meeting_action::Model,
    meeting_title: String,
    /// Who may own it: active users who can act.
    users: Vec<(i64, String)>,
    errors: FieldErrors,
    typed: HashMap<String, String>,
}

impl ActionFormPage<'_> {
    fn problems(&self) -> u64 {
        super::forms::field_problems(&self.errors)
    }
    fn err(&self, f: &str) -> Option<String> {
        self.errors.get(f).map(|e| self.ctx.field_message(e))
    }
    fn typed(&self, f: &str) -> String {
        self.typed.get(f).cloned().unwrap_or_default()
    }
}

async fn action_form(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    typed: Option<HashMap<String, String>>,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let here = format!("/meeting-actions/{id}/edit");
    let loaded = async {
        let a = st.store.meeting_action(id).await?;
        let m = st.store.meeting(a.meeting_id).await?;
        if !api::can_run(st, &u, m.meeting.customer_id).await? {
            return Err(ApiError::Forbidden(String::new()));
        }
        let users = st.store.list_users().await?;
        Ok::<_, ApiError>((a, m.meeting.title, users))
    };
    let r = loaded.await;
    let ctx = Ctx::new(st, headers, Some(u), &here);
    let (action, meeting_title, users) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let typed = typed.unwrap_or_else(|| {
        HashMap::from([
            ("title".to_owned(), action.title.clone()),
            (
                "owner_id".to_owned(),
                action.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            ),
            (
                "due_on".to_owned(),
                action.due_on.clone().unwrap_or_default(),
            ),
            ("version".to_owned(), action.version.to_string()),
        ])
    });
    // The current owner stays a choice, even switched off since.
    let users = users
        .into_iter()
        .filter(|u| (u.active && u.role != "viewer") || Some(u.id) == action.owner_id)
        .map(|u| (u.id, u.name))
        .collect();
    render(
        status,
        &ActionFormPage {
            ctx,
            action,
            meeting_title,
            users,
            errors,
            typed,
        },
    )
}

async fn edit_action_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    action_form(
        &st,
        &headers,
        u,
        id,
        None,
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

async fn save_action(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let body = api::MeetingActionChangeIn {
        title: val(&f, "title").to_owned(),
        owner_id: opt_i64(val(&f, "owner_id")),
        due_on: blank(val(&f, "due_on")),
        version: opt_i64(val(&f, "version")),
    };
    let typed = Some(first_values(&f));
    let owner = val(&f, "owner_id").trim();
    if !owner.is_empty() && body.owner_id.is_none() {
        let e = FieldError::new(
            "owner_id",
            "invalid-choice",
            "owner_id: choose someone from the list",
        )
        .into();
        return action_form(
            &st,
            &headers,
            u,
            id,
            typed,
            e,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match api::change_action(&st, &u, id, &body).await {
        Ok(a) => Redirect::to(&format!(
            "/meetings/{}?done=action-saved#actions",
            a.meeting_id
        ))
        .into_response(),
        Err(ApiError::Invalid(e)) => {
            action_form(
                &st,
                &headers,
                u,
                id,
                typed,
                e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ApiError::Conflict(m)) => {
            // Someone else saved first: the typed values stay, with why.
            let e = FieldError::new("version", "stale", m).into();
            action_form(&st, &headers, u, id, typed, e, StatusCode::CONFLICT).await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

/// Asks before deleting an action item.
async fn delete_action_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/meeting-actions/{id}/delete");
    let loaded = async {
        let a = st.store.meeting_action(id).await?;
        let m = st.store.meeting(a.meeting_id).await?;
        if !api::can_run(&st, &u, m.meeting.customer_id).await? {
            return Err(ApiError::Forbidden(String::new()));
        }
        Ok::<_, ApiError>(a)
    };
    let r = loaded.await;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match r {
        Ok(a) => {
            let what = ctx.tr.t1("confirm-delete-action", "name", &a.title);
            let mut page = super::ConfirmPage::new(
                ctx,
                what,
                here.clone(),
                format!("/meetings/{}#actions", a.meeting_id),
                a.version,
            );
            page.history = page.ctx.t("action-delete-history");
            render(StatusCode::OK, &page)
        }
        Err(e) => api_error_page(ctx, e),
    }
}

async fn delete_action(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    // As the confirmation showed it: a form that does not say is stale.
    let shown = super::shown_version(val(&f, "version"));
    match api::remove_action(&st, &u, id, Some(shown)).await {
        Ok(meeting) => Redirect::to(&format!("/meetings/{meeting}?done=action-deleted#actions"))
            .into_response(),
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

/// Brings a deleted action item back to its meeting, whose page says so.
async fn restore_action(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(entry): Path<i64>,
) -> Response {
    match api::bring_back_action(&st, &u, entry).await {
        Ok(a) => Redirect::to(&format!(
            "/meetings/{}?done=action-restored#actions",
            a.meeting_id
        ))
        .into_response(),
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

async fn delete_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/meetings/{id}/delete");
    let r = st.store.meeting(id).await;
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match r {
        Ok(r) => {
            let key = if r.meeting.meeting_status() == MeetingStatus::Held {
                "confirm-delete-held-meeting"
            } else {
                "confirm-delete-meeting"
            };
            let what = ctx.tr.t1(key, "name", &r.meeting.title);
            render(
                StatusCode::OK,
                &super::ConfirmPage::new(
                    ctx,
                    what,
                    here.clone(),
                    format!("/meetings/{id}"),
                    r.meeting.version,
                ),
            )
        }
        Err(e) => super::error_page(ctx, e),
    }
}

async fn delete(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let m = st.store.meeting(id).await?;
        if !api::can_run(&st, &u, m.meeting.customer_id).await? {
            return Err(ApiError::Forbidden(String::new()));
        }
        // Coming from the confirmation page: a held meeting is confirmed,
        // as the page showed it (changed since, it stays).
        st.store
            .delete_meeting(u.id(), id, super::form_version(&f))
            .await?;
        Ok::<_, ApiError>(m.meeting.customer_id)
    }
    .await;
    match r {
        Ok(Some(c)) => {
            Redirect::to(&format!("/customers/{c}/meetings?done=meeting-deleted")).into_response()
        }
        Ok(None) => Redirect::to("/program/meetings?done=meeting-deleted").into_response(),
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

async fn meeting_ics(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let r = async {
        let r = st.store.meeting(id).await?;
        let french = Ctx::new(&st, &headers, Some(u.clone()), "").tr.lang() == "fr";
        let ev = events(&st, std::slice::from_ref(&r), french).await?;
        Ok::<_, ApiError>(ics_response(
            &format!("meeting-{id}.ics"),
            calendar(&r.meeting.title, &ev, now_utc()),
        ))
    }
    .await;
    r.unwrap_or_else(|e| api_error_page(Ctx::new(&st, &headers, Some(u), ""), e))
}

// ---------- formats ----------

#[derive(Template)]
#[template(path = "meeting_formats.html")]
struct FormatsPage<'a> {
    ctx: Ctx<'a>,
    formats: Vec<meeting_format::Model>,
    can_edit: bool,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    failed: Option<i64>,
}

impl FormatsPage<'_> {
    fn err(&self, id: &i64, f: &str) -> Option<String> {
        if self.failed != Some(*id) {
            return None;
        }
        self.errors.get(f).map(|e| self.ctx.field_message(e))
    }
    fn v(&self, m: &meeting_format::Model, f: &str) -> String {
        if self.failed == Some(m.id)
            && let Some(t) = self.typed.get(f)
        {
            return t.clone();
        }
        match f {
            "name_en" => m.name_en.clone(),
            "name_fr" => m.name_fr.clone(),
            "led_by" | "participants" => format_text(&self.ctx, m, f),
            "cadence_min" => m.cadence_min.to_string(),
            "cadence_max" => m.cadence_max.to_string(),
            "usual_minutes" => m.usual_minutes.to_string(),
            "max_minutes" => m.max_minutes.to_string(),
            _ => String::new(),
        }
    }
    /// The objectives and the external box as sent when this form was
    /// refused, as saved otherwise.
    fn has_objective(&self, m: &meeting_format::Model, o: &str) -> bool {
        if self.failed == Some(m.id) {
            return super::forms::chosen(&self.typed, "objectives", o);
        }
        m.objectives.split(',').any(|x| x == o)
    }
    fn is_external(&self, m: &meeting_format::Model) -> bool {
        if self.failed == Some(m.id) {
            return self.typed.contains_key("external");
        }
        m.external
    }
    fn objectives(&self) -> Vec<&'static str> {
        clef_domain::rituals::Objective::ALL
            .iter()
            .map(|o| o.as_str())
            .collect()
    }
    fn new_objective(&self, o: &str) -> bool {
        self.failed == Some(0) && super::forms::chosen(&self.typed, "objectives", o)
    }
    fn new_err(&self, f: &str) -> Option<String> {
        self.err(&0, f)
    }
    fn new_value(&self, f: &str) -> String {
        if self.failed == Some(0) {
            self.typed.get(f).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

async fn formats_view(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    failed: Option<i64>,
    status: StatusCode,
) -> Response {
    let can_edit = u.can(Action::ManageProgram);
    let r = st.store.formats().await;
    let ctx = Ctx::new(st, headers, Some(u), "/meeting-formats");
    match r {
        Ok(formats) => render(
            status,
            &FormatsPage {
                ctx,
                formats,
                can_edit,
                errors,
                typed,
                failed,
            },
        ),
        Err(e) => super::error_page(ctx, e),
    }
}

async fn formats_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
) -> Response {
    formats_view(
        &st,
        &headers,
        u,
        FieldErrors::new(),
        HashMap::new(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn save_format(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    if !u.can(Action::ManageProgram) {
        return forbidden(Ctx::new(&st, &headers, Some(u), "/meeting-formats"));
    }
    let id = opt_i64(val(&f, "id")).unwrap_or(0);
    let num = |k: &str| opt_i64(val(&f, k)).unwrap_or(0);
    // The format being changed, to keep its default wording (none for a new one).
    let key = match id {
        0 => None,
        id => st.store.format(id).await.ok().map(|f| f.key),
    };
    let ctx = Ctx::new(&st, &headers, Some(u.clone()), "/meeting-formats");
    let b = api::FormatIn {
        key: blank(val(&f, "key")),
        name_en: val(&f, "name_en").to_owned(),
        name_fr: val(&f, "name_fr").to_owned(),
        external: !val(&f, "external").is_empty(),
        scope: val(&f, "scope").to_owned(),
        led_by: format_text_sent(&ctx, key.as_deref(), "led_by", val(&f, "led_by")),
        cadence_min: num("cadence_min"),
        cadence_max: num("cadence_max"),
        usual_minutes: num("usual_minutes"),
        max_minutes: num("max_minutes"),
        participants: format_text_sent(
            &ctx,
            key.as_deref(),
            "participants",
            val(&f, "participants"),
        ),
        objectives: all(&f, "objectives")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        version: opt_i64(val(&f, "version")),
    };
    let r = async {
        if id == 0 {
            let x = api::parse_format(&b, b.key.as_deref().unwrap_or(""))?;
            st.store.create_format(u.id(), &x).await?;
        } else {
            let before = st.store.format(id).await?;
            let x = api::parse_format(&b, &before.key)?;
            st.store
                .update_format(u.id(), id, b.version.unwrap_or(0), &x)
                .await?;
        }
        Ok::<_, ApiError>(())
    }
    .await;
    match r {
        Ok(()) => Redirect::to("/meeting-formats").into_response(),
        Err(ApiError::Invalid(e)) => {
            formats_view(
                &st,
                &headers,
                u,
                e,
                super::forms::typed_values(&f),
                Some(id),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), "/meeting-formats"), e),
    }
}

// ---------- calendar feeds ----------

#[derive(Template)]
#[template(path = "calendar_feeds.html")]
struct FeedsPage<'a> {
    ctx: Ctx<'a>,
    feeds: Vec<clef_store::calendar_feed::Model>,
    names: HashMap<i64, String>,
    accounts: Vec<(i64, String)>,
    new_url: Option<String>,
}

impl FeedsPage<'_> {
    fn account(&self, c: &Option<i64>) -> String {
        c.and_then(|c| self.names.get(&c).cloned())
            .unwrap_or_default()
    }
}

async fn feeds_view(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    new_url: Option<String>,
) -> Response {
    let r = async {
        let feeds = st.store.feeds_of(u.user.id).await?;
        let rows = st.store.plan_rows().await?;
        Ok::<_, clef_store::StoreError>((feeds, rows))
    }
    .await;
    let ctx = Ctx::new(st, headers, Some(u), "/calendar");
    match r {
        Ok((feeds, rows)) => {
            let accounts: Vec<(i64, String)> = rows
                .iter()
                .filter(|r| r.customer.status == "key_account")
                .map(|r| (r.customer.id, r.customer.name.clone()))
                .collect();
            let names = rows
                .into_iter()
                .map(|r| (r.customer.id, r.customer.name))
                .collect();
            render(
                StatusCode::OK,
                &FeedsPage {
                    ctx,
                    feeds,
                    names,
                    accounts,
                    new_url,
                },
            )
        }
        Err(e) => super::error_page(ctx, e),
    }
}

async fn feeds_page(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    feeds_view(&st, &headers, u, None).await
}

async fn feeds_post(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(id) = opt_i64(val(&f, "revoke")) {
        if !super::confirmed(&f) {
            return super::confirm_removal(
                Ctx::new(&st, &headers, Some(u), "/calendar"),
                "confirm-revoke",
                "revoke",
                ("/calendar".into(), "/calendar".into()),
                vec![("revoke".into(), id.to_string())],
                0,
            );
        }
        return match st.store.revoke_feed(u.id(), id).await {
            Ok(()) => Redirect::to("/calendar").into_response(),
            Err(e) => super::error_page(Ctx::new(&st, &headers, Some(u), "/calendar"), e),
        };
    }
    let b = FeedIn {
        kind: val(&f, "kind").to_owned(),
        customer_id: opt_i64(val(&f, "customer_id")),
    };
    match api::new_feed(&st, &u, &headers, &b).await {
        Ok(out) => feeds_view(&st, &headers, u, out.url).await,
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), "/calendar"), e),
    }
}
