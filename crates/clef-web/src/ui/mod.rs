//! The HTML pages, in French and English, rendered on the server. htmx
//! (served from the binary) refreshes the portfolio list as the user types.

mod contracts;
mod customer;
mod forms;
pub(crate) mod history;
mod imports;
mod my_actions;
mod plans;
mod portfolio;
mod reference;
mod relationships;
mod rituals;
mod segments;
mod selection;
mod session;
mod users;

pub use history::SHOWN as HISTORY_SHOWN;
pub use imports::ImportJobs;

use crate::{
    AppState,
    auth::{CurrentUser, page_locale},
    i18n::Tr,
};
use askama::Template;
use axum::{
    Router,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};

const HTMX: &str = include_str!("../../assets/htmx-2.0.11.min.js");
const CSS: &str = include_str!("../../assets/clef.css");
const JS: &str = include_str!("../../assets/clef.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/customers") }),
        )
        .route(
            "/assets/htmx-2.0.11.min.js",
            get(|| async { asset(HTMX, "text/javascript") }),
        )
        .route("/assets/clef.css", get(|| async { asset(CSS, "text/css") }))
        .route(
            "/assets/clef.js",
            get(|| async { asset(JS, "text/javascript") }),
        )
        .merge(session::routes())
        .merge(portfolio::routes())
        .merge(customer::routes())
        .merge(contracts::routes())
        .merge(imports::routes())
        .merge(users::routes())
        .merge(reference::routes())
        .merge(history::routes())
        .merge(segments::routes())
        .merge(selection::routes())
        .merge(plans::routes())
        .merge(my_actions::routes())
        .merge(relationships::routes())
        .merge(rituals::routes())
        .route_layer(axum::middleware::from_fn(same_origin))
}

/// Refuses a form sent from another site (cross-site request forgery): the
/// browser says where a request comes from in `Sec-Fetch-Site` or `Origin`.
async fn same_origin(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::Method;
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    if from_another_site(req.headers()) {
        return (StatusCode::FORBIDDEN, "This form was sent from another site and was refused.\nCe formulaire vient d’un autre site et a été refusé.\n")
            .into_response();
    }
    next.run(req).await
}

/// Whether the browser says the request comes from another site.
pub(crate) fn from_another_site(h: &HeaderMap) -> bool {
    let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    match site {
        Some(s) => !matches!(s, "same-origin" | "none"),
        None => match (
            h.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
            h.get(header::HOST).and_then(|v| v.to_str().ok()),
        ) {
            (Some(origin), Some(host)) => origin.split_once("://").map(|(_, o)| o) != Some(host),
            _ => false,
        },
    }
}

/// A short hash of the page's own assets, written in their addresses: a
/// browser keeps them a year, and fetches them again when they change.
pub fn asset_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        // FNV-1a: stable from one build to the next, unlike the std hasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in CSS.bytes().chain(JS.bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        format!("{:012x}", h & 0xffff_ffff_ffff)
    })
}

fn asset(body: &'static str, mime: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What every page needs: the language, the user, the current path.
pub struct Ctx<'a> {
    pub tr: Tr<'a>,
    pub user: Option<CurrentUser>,
    /// The current path and query, for the language switch.
    pub here: String,
}

impl<'a> Ctx<'a> {
    /// See [`asset_version`].
    pub fn assets(&self) -> &'static str {
        asset_version()
    }

    pub fn new(
        st: &'a AppState,
        headers: &HeaderMap,
        user: Option<CurrentUser>,
        here: &str,
    ) -> Self {
        let locale = page_locale(headers, user.as_ref().map(|u| &u.user));
        Self {
            tr: Tr {
                i18n: &st.i18n,
                locale,
            },
            user,
            here: here.to_owned(),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// A whole percentage for the reader: `86%` or `86 %`.
    pub fn whole_percent(&self, p: impl std::borrow::Borrow<u8>) -> String {
        clef_domain::format_whole_percent(*p.borrow(), self.tr.locale)
    }

    /// A duration in hours and minutes: `45 min`, `2 h`, `1 h 30`.
    pub fn duration(&self, minutes: impl std::borrow::Borrow<i64>) -> String {
        let m = *minutes.borrow();
        match (m / 60, m % 60) {
            (0, m) => format!("{m}\u{a0}min"),
            (h, 0) => format!("{h}\u{a0}h"),
            (h, m) => format!("{h}\u{a0}h\u{a0}{m:02}"),
        }
    }

    /// A whole percentage that may pass 100 (a person's time over accounts).
    pub fn percent_total(&self, p: impl std::borrow::Borrow<i64>) -> String {
        clef_domain::format_whole_percent(*p.borrow(), self.tr.locale)
    }

    pub fn here_encoded(&self) -> String {
        urlencode(&self.here)
    }

    pub fn user_name(&self) -> String {
        self.user
            .as_ref()
            .map(|u| u.user.name.clone())
            .unwrap_or_default()
    }

    /// Whether the reader manages users (the header links to them).
    pub fn manages_users(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.can(clef_domain::policy::Action::ManageUsers))
    }

    pub fn role_label(&self) -> String {
        self.user
            .as_ref()
            .map(|u| self.tr.choice("role", &u.user.role))
            .unwrap_or_default()
    }

    /// A field error in the reader's language: the English message as is,
    /// or the translation of its code.
    /// The message beside a field, in the reader's language: the words of
    /// its code (the API's own message names fields as the API does).
    pub fn field_message(&self, e: &clef_domain::FieldError) -> String {
        // A value out of range says the range, which the English sentence
        // names ("from 0 to 100", "between 1 and 5").
        if e.code == "out-of-range"
            && let Some((lo, hi)) = range_of(&e.message)
        {
            // The bounds as the reader writes numbers (0,5 in French).
            let number = |n: &str| {
                let decimals = n.split_once('.').map_or(0, |(_, d)| d.len());
                n.parse::<f64>().map_or_else(
                    |_| n.to_owned(),
                    |x| clef_domain::format_decimal(x, decimals, self.tr.locale),
                )
            };
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("lo", number(&lo));
            args.set("hi", number(&hi));
            return self.tr.with_args("err-out-of-range-between", &args);
        }
        let key = format!("err-{}", e.code);
        let m = self.tr.t(&key);
        if m == key { e.message.clone() } else { m }
    }

    /// Why a request was refused (a 409), in the reader's words when the
    /// refusal has them.
    pub fn conflict_text(&self, e: &crate::error::ApiError) -> String {
        use crate::error::ApiError;
        match e {
            ApiError::Refused(r) => self.tr.refusal(r),
            ApiError::Conflict(m) if self.tr.locale == clef_domain::Locale::En => m.clone(),
            // The API's sentence is English: another reader gets the words
            // of its kind (changed by someone else meanwhile, or not fitting
            // the record's state).
            ApiError::Conflict(m)
                if m.contains("changed by someone else") || m.contains("someone else changed") =>
            {
                self.t("conflict-text")
            }
            _ => self.t("err-conflict"),
        }
    }

    /// A problem of an imported file for the reader: in English, its own
    /// sentence (which names the value); in another language, the words of
    /// its code when there are some (the line and column say where).
    pub fn row_message(&self, e: &clef_store::RowError) -> String {
        if self.tr.locale == clef_domain::Locale::En {
            return e.message.clone();
        }
        let key = format!("err-{}", e.code);
        let m = self.tr.t(&key);
        if m == key { e.message.clone() } else { m }
    }
}

/// Renders a template with a status.
pub fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(s) => (status, Html(s)).into_response(),
        Err(e) => crate::error::ApiError::Internal(format!("template: {e}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub ctx: Ctx<'a>,
    pub title: String,
    pub message: String,
    pub back: Option<(String, String)>,
}

/// A page with one message (not found, not allowed, conflict).
pub fn message(
    status: StatusCode,
    ctx: Ctx<'_>,
    title_key: &str,
    message: String,
    back: Option<(String, String)>,
) -> Response {
    let title = ctx.t(title_key);
    render(
        status,
        &MessagePage {
            ctx,
            title,
            message,
            back,
        },
    )
}

/// The page that asks before a deletion: what goes, what else it changes
/// (`details`), or why it cannot be done (`blocked`: then no button).
#[derive(Template)]
#[template(path = "confirm_delete.html")]
pub struct ConfirmPage<'a> {
    pub ctx: Ctx<'a>,
    pub what: String,
    pub action: String,
    pub cancel: String,
    pub version: i64,
    pub details: Vec<String>,
    pub blocked: Vec<String>,
    /// What to do about what blocks the deletion.
    pub blocked_hint: String,
    /// Fields the deletion's form sends again (besides the version).
    pub hidden: Vec<(String, String)>,
    /// The button's words (Delete unless said otherwise).
    pub button: String,
    /// What the history keeps (a deleted record, unless said otherwise;
    /// nothing said when empty).
    pub history: String,
}

impl<'a> ConfirmPage<'a> {
    pub fn new(ctx: Ctx<'a>, what: String, action: String, cancel: String, version: i64) -> Self {
        let button = ctx.t("delete");
        let history = ctx.t("confirm-history");
        ConfirmPage {
            button,
            history,
            ctx,
            what,
            action,
            cancel,
            version,
            details: Vec::new(),
            blocked: Vec::new(),
            blocked_hint: String::new(),
            hidden: Vec::new(),
        }
    }
}

/// A list's address with its filters, for the language switch: without
/// the notice of what was just done (`done=`), which is said once.
pub fn list_here(uri: &axum::http::Uri) -> String {
    let path = uri.path();
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("done=") && !p.starts_with("deleted="))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// Where a page of a list held in memory (users, groups) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    /// 1-based.
    pub page: usize,
    pub pages: usize,
}

/// Page `page` (1-based, read from the query; clamped to the list) of
/// `items`, `per` rows a page.
pub fn slice<T>(items: Vec<T>, page: &str, per: usize) -> (Vec<T>, Slice) {
    let pages = items.len().div_ceil(per.max(1)).max(1);
    let page = page.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
    let rows = items.into_iter().skip((page - 1) * per).take(per).collect();
    (rows, Slice { page, pages })
}

/// The order of a list held in memory, as its query says it: one of
/// `keys` or its reverse (`-key`); the first key when it names none.
pub fn list_order(sort: &str, keys: &[&str]) -> String {
    let key = sort.strip_prefix('-').unwrap_or(sort);
    if keys.contains(&key) {
        sort.to_owned()
    } else {
        keys.first().copied().unwrap_or_default().to_owned()
    }
}

/// The order a column's heading link asks for: `first` (`key` or
/// `-key`), or the reverse of the current order when it is this column's.
pub fn next_order(current: &str, first: &str) -> String {
    let key = |s: &str| s.trim_start_matches('-').to_owned();
    if key(current) != key(first) {
        first.to_owned()
    } else if let Some(k) = current.strip_prefix('-') {
        k.to_owned()
    } else {
        format!("-{current}")
    }
}

/// A column's `aria-sort`.
pub fn aria_order(current: &str, key: &str) -> &'static str {
    match current.strip_prefix('-') {
        Some(k) if k == key => "descending",
        None if current == key => "ascending",
        _ => "none",
    }
}

/// A CSV download named `name`: a byte order mark first (spreadsheets
/// then read UTF-8), the header, then the rows (their text cells already
/// guarded with `clef_store::import::cell`).
pub fn csv_download<R: IntoIterator<Item = String>>(
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> Response {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let mut written = w.write_record(header);
    for row in rows {
        if written.is_err() {
            break;
        }
        written = w.write_record(row);
    }
    let body = written
        .map_err(|e| e.to_string())
        .and_then(|()| w.into_inner().map_err(|e| e.to_string()));
    match body {
        Ok(b) => crate::api::relationships::csv_response(name, b),
        Err(e) => {
            crate::error::ApiError::Internal(format!("the CSV file {name}: {e}")).into_response()
        }
    }
}

/// The bounds an English sentence on one value's range names: "… must be
/// from 0 to 100", "… goes from 1 to 5", "… must be between 1 and 5" (whole
/// or decimal numbers, maybe negative). A sentence about several values
/// ("give 1 to 4 limits between 0 and 1, in increasing order") has none.
fn range_of(message: &str) -> Option<(String, String)> {
    let about_one = [" must be ", " goes from ", " is a "]
        .iter()
        .any(|w| message.contains(w));
    if !about_one {
        return None;
    }
    let number = |w: &str| {
        let w = w.trim_end_matches([',', '.', ';']);
        (!w.is_empty()
            && w.trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.'))
        .then(|| w.to_owned())
    };
    let words: Vec<&str> = message.split_whitespace().collect();
    words.windows(4).find_map(|w| match w {
        ["from", lo, "to", hi] | ["between", lo, "and", hi] => Some((number(lo)?, number(hi)?)),
        _ => None,
    })
}

/// Whether a removal sent from a list's row was confirmed: by the page's
/// script (which sets `confirmed=1` once the person said yes), or on the
/// page [`confirm_removal`] shows to a browser that runs no script.
pub fn confirmed(f: &forms::Fields) -> bool {
    forms::val(f, "confirmed") == "1"
}

/// The version of the record a form showed, when it says.
pub fn form_version(f: &forms::Fields) -> Option<i64> {
    forms::val(f, "version").trim().parse().ok()
}

/// The version of a record an edit's form showed; a form that does not say
/// (a crafted one, or a page from before it said) counts as stale, so that
/// it is shown again instead of written over whatever is stored.
pub fn shown_version(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(0)
}

/// The version of the record a row's form showed, when it says (0: none,
/// as the confirmation of a removal without one sends).
pub fn row_version(f: &forms::Fields) -> Option<i64> {
    form_version(f).filter(|v| *v > 0)
}

/// Asks before a removal sent from a list's row without confirmation
/// (`what_key`: the question; `button_key`: the words of its button, as on
/// the row; `version`: the row's as the list showed it, 0 when none).
pub fn confirm_removal(
    ctx: Ctx<'_>,
    what_key: &str,
    button_key: &str,
    (action, cancel): (String, String),
    hidden: Vec<(String, String)>,
    version: i64,
) -> Response {
    let (what, button) = (ctx.t(what_key), ctx.t(button_key));
    let mut page = ConfirmPage::new(ctx, what, action, cancel, version);
    page.hidden = hidden;
    page.button = button;
    render(StatusCode::OK, &page)
}

/// Maps a store error to a page.
pub fn error_page(ctx: Ctx<'_>, e: clef_store::StoreError) -> Response {
    use clef_store::StoreError as E;
    match e {
        E::NotFound(_) => {
            let m = ctx.t("not-found-text");
            message(
                StatusCode::NOT_FOUND,
                ctx,
                "not-found-title",
                m,
                Some(("/customers".into(), "nav-portfolio".into())),
            )
        }
        E::Stale { .. } => {
            let m = ctx.t("conflict-text");
            message(StatusCode::CONFLICT, ctx, "conflict-title", m, None)
        }
        e => api_error_page(ctx, e.into()),
    }
}

/// Records deleted, each with the name of who deleted it (empty when the
/// history does not say).
pub(crate) async fn with_deleters<T>(
    st: &AppState,
    items: Vec<T>,
    by: impl Fn(&T) -> Option<i64>,
) -> Result<Vec<(T, String)>, crate::error::ApiError> {
    Ok(named_deleters(&st.store.list_users().await?, items, by))
}

/// [`with_deleters`], from the users a page has read already.
pub(crate) fn named_deleters<T>(
    users: &[clef_store::user::Model],
    items: Vec<T>,
    by: impl Fn(&T) -> Option<i64>,
) -> Vec<(T, String)> {
    items
        .into_iter()
        .map(|x| {
            let name = by(&x)
                .and_then(|id| users.iter().find(|u| u.id == id))
                .map(|u| u.name.clone())
                .unwrap_or_default();
            (x, name)
        })
        .collect()
}

/// Maps an API error to a page: not allowed, not found, a conflict or bad
/// values said in words; anything else as the API says it.
pub fn api_error_page(ctx: Ctx<'_>, e: crate::error::ApiError) -> Response {
    use crate::error::ApiError;
    match e {
        ApiError::Forbidden(_) => forbidden(ctx),
        ApiError::NotFound(_) => error_page(ctx, clef_store::StoreError::NotFound("record")),
        e @ (ApiError::Conflict(_) | ApiError::Refused(_)) => {
            let m = ctx.conflict_text(&e);
            message(StatusCode::CONFLICT, ctx, "plan-cannot-title", m, None)
        }
        ApiError::Invalid(f) => {
            let m =
                f.0.iter()
                    .map(|e| ctx.field_message(e))
                    .collect::<Vec<_>>()
                    .join(" · ");
            message(
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx,
                "plan-cannot-title",
                m,
                None,
            )
        }
        ApiError::Busy => {
            let m = ctx.t("busy-text");
            let mut r = message(StatusCode::SERVICE_UNAVAILABLE, ctx, "busy-title", m, None);
            r.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("5"),
            );
            r
        }
        ApiError::Internal(detail) => {
            tracing::error!(error = %detail, "internal error");
            let m = ctx.t("server-error-text");
            message(
                StatusCode::INTERNAL_SERVER_ERROR,
                ctx,
                "server-error-title",
                m,
                None,
            )
        }
        e => e.into_response(),
    }
}

/// A `next=` target that stays on this site and can be sent back as a
/// `Location` (printable ASCII only), or `fallback`.
pub fn local_next(next: &str, fallback: String) -> String {
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.bytes().all(|b| b.is_ascii_graphic())
    {
        next.to_owned()
    } else {
        fallback
    }
}

pub fn forbidden(ctx: Ctx<'_>) -> Response {
    let m = ctx.t("forbidden-text");
    message(
        StatusCode::FORBIDDEN,
        ctx,
        "forbidden-title",
        m,
        Some(("/customers".into(), "nav-portfolio".into())),
    )
}

#[cfg(test)]
mod tests {
    use super::local_next;

    #[test]
    fn a_list_in_memory_is_cut_into_pages() {
        use super::{Slice, slice};
        let (rows, s) = slice((1..=120).collect::<Vec<_>>(), "3", 50);
        assert_eq!(
            (rows, s),
            ((101..=120).collect(), Slice { page: 3, pages: 3 })
        );
        let (rows, s) = slice((1..=120).collect::<Vec<_>>(), "x", 50);
        assert_eq!((rows.len(), s.page), (50, 1));
        let (rows, s) = slice((1..=120).collect::<Vec<_>>(), "99", 50);
        assert_eq!((rows.len(), s.page), (20, 3));
        let (rows, s) = slice(Vec::<i32>::new(), "2", 50);
        assert_eq!((rows.len(), s), (0, Slice { page: 1, pages: 1 }));
    }

    #[test]
    fn the_language_switch_keeps_a_lists_filters_but_not_its_notice() {
        let here = |u: &str| super::list_here(&u.parse().unwrap());
        assert_eq!(
            here("/users?q=a&done=user-saved&page=2"),
            "/users?q=a&page=2"
        );
        assert_eq!(here("/groups?done=group-saved"), "/groups");
        assert_eq!(here("/contracts"), "/contracts");
    }

    #[test]
    fn a_list_in_memory_sorts_by_its_columns() {
        use super::{aria_order, list_order, next_order};
        let keys = ["name", "customers"];
        assert_eq!(list_order("-customers", &keys), "-customers");
        assert_eq!(list_order("city", &keys), "name");
        assert_eq!(list_order("", &keys), "name");
        assert_eq!(next_order("name", "name"), "-name");
        assert_eq!(next_order("-name", "name"), "name");
        assert_eq!(next_order("name", "-customers"), "-customers");
        assert_eq!(next_order("-customers", "-customers"), "customers");
        assert_eq!(aria_order("-customers", "customers"), "descending");
        assert_eq!(aria_order("name", "name"), "ascending");
        assert_eq!(aria_order("name", "customers"), "none");
    }

    #[test]
    fn next_targets_stay_on_this_site_and_fit_a_location() {
        let back = || "/back".to_owned();
        assert_eq!(local_next("/plans?q=a%20b", back()), "/plans?q=a%20b");
        for bad in [
            "https://x.example/",
            "//x.example",
            "/\\x",
            "/x\ny",
            "/x\0",
            "/é",
            "",
        ] {
            assert_eq!(local_next(bad, back()), "/back", "{bad:?}");
        }
    }
}

#[cfg(test)]
mod range_tests {
    use super::range_of;

    #[test]
    fn ranges_are_read_from_the_english_sentence() {
        let r = |m: &str| range_of(m).map(|(a, b)| format!("{a}..{b}"));
        assert_eq!(
            r("share_pct must be a percentage from 0 to 100, not 150").as_deref(),
            Some("0..100")
        );
        assert_eq!(
            r("satisfaction must be between 0 and 10").as_deref(),
            Some("0..10")
        );
        assert_eq!(
            r("a weight goes from -100 to 100").as_deref(),
            Some("-100..100")
        );
        assert_eq!(r("cadence_max must be from cadence_min to 52 a year"), None);
        assert_eq!(r("revenue_cents must be at most 5"), None);
        assert_eq!(
            r("give 1 to 4 limits between 0 and 1, in increasing order"),
            None
        );
    }
}
