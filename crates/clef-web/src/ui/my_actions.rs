//! "My actions": the signed-in user's actions from account plans and from
//! meetings, searched, sorted and paged one table at a time, and as CSV.

use super::{Ctx, api_error_page, render};
use crate::{
    AppState,
    api::plans::{MyActionOut, my_action_out},
    api::rituals::MyMeetingActionOut,
    auth::UiUser,
    error::ApiError,
    plans,
};
use askama::Template;
use axum::{
    Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::get,
};
use clef_domain::search_key;
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/my/actions", get(page))
        .route("/my/actions.csv", get(csv))
}

/// Rows of each table on a page.
const PER_PAGE: usize = 50;

/// The orders of the plans' actions (the first is the default: overdue
/// first, then open, then by due date).
const PLAN_ORDERS: [&str; 5] = ["urgency", "due", "title", "customer", "initiative"];
/// The orders of the meetings' action items.
const MEETING_ORDERS: [&str; 4] = ["urgency", "due", "title", "meeting"];

#[derive(Template)]
#[template(path = "my_actions.html")]
struct MyActionsPage<'a> {
    ctx: Ctx<'a>,
    items: Vec<MyActionOut>,
    plan_pages: Pages,
    meeting_items: Vec<MyMeetingActionOut>,
    meeting_pages: Pages,
    q: MyActionsQ,
}

/// Where a paged table stands, with the links to its neighbours.
struct Pages {
    /// How many rows the search keeps, over every page.
    matching: usize,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

impl MyActionsPage<'_> {
    fn due(&self, d: &Option<String>) -> String {
        d.as_deref().map_or("—".into(), |d| self.ctx.tr.iso_day(d))
    }
    /// The link of a plans' table heading: its order, or its reverse.
    fn plan_sort_link(&self, first: &str) -> String {
        let mut q = self.q.clone();
        q.sort = super::next_order(&self.q.plan_order(), first);
        q.page.clear();
        q.here("/my/actions")
    }
    fn meeting_sort_link(&self, first: &str) -> String {
        let mut q = self.q.clone();
        q.msort = super::next_order(&self.q.meeting_order(), first);
        q.mpage.clear();
        q.here("/my/actions")
    }
    /// Whether the plans' table is in another order than its default.
    fn plan_sorted(&self) -> bool {
        self.q.plan_order() != PLAN_ORDERS[0]
    }
    fn meeting_sorted(&self) -> bool {
        self.q.meeting_order() != MEETING_ORDERS[0]
    }
    fn plan_aria(&self, key: &str) -> &'static str {
        super::aria_order(&self.q.plan_order(), key)
    }
    fn meeting_aria(&self, key: &str) -> &'static str {
        super::aria_order(&self.q.meeting_order(), key)
    }
    fn csv(&self) -> String {
        let mut q = self.q.clone();
        q.page.clear();
        q.mpage.clear();
        q.here("/my/actions.csv")
    }
    /// Whether done and cancelled actions are shown too.
    fn closed(&self) -> bool {
        self.q.closed()
    }
    /// The other view (open only, or all), with the same search and orders.
    fn toggle(&self) -> String {
        let mut q = self.q.clone();
        q.closed = if self.closed() {
            String::new()
        } else {
            "1".into()
        };
        q.page.clear();
        q.mpage.clear();
        q.here("/my/actions")
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct MyActionsQ {
    closed: String,
    /// Words the action's title, customer or meeting contains.
    q: String,
    /// The plans' table: its order and page.
    sort: String,
    page: String,
    /// The meetings' table: its order and page.
    msort: String,
    mpage: String,
}

impl MyActionsQ {
    fn closed(&self) -> bool {
        !self.closed.is_empty()
    }
    fn plan_order(&self) -> String {
        super::list_order(self.sort.trim(), &PLAN_ORDERS)
    }
    fn meeting_order(&self) -> String {
        super::list_order(self.msort.trim(), &MEETING_ORDERS)
    }

    /// The list's address with its view, search, orders and pages (those
    /// left as they come by default are not written).
    fn here(&self, path: &str) -> String {
        let mut parts = Vec::new();
        if !self.closed.is_empty() {
            parts.push("closed=1".to_owned());
        }
        let q = self.q.trim();
        if !q.is_empty() {
            parts.push(format!("q={}", super::urlencode(q)));
        }
        let plan = self.plan_order();
        if plan != PLAN_ORDERS[0] {
            parts.push(format!("sort={}", super::urlencode(&plan)));
        }
        if !self.page.trim().is_empty() {
            parts.push(format!("page={}", super::urlencode(self.page.trim())));
        }
        let meeting = self.meeting_order();
        if meeting != MEETING_ORDERS[0] {
            parts.push(format!("msort={}", super::urlencode(&meeting)));
        }
        if !self.mpage.trim().is_empty() {
            parts.push(format!("mpage={}", super::urlencode(self.mpage.trim())));
        }
        if parts.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", parts.join("&"))
        }
    }

    /// The plans' actions searched for, in the plans' table order.
    fn plan_actions(&self, items: Vec<clef_store::MyAction>, today: &str) -> Vec<MyActionOut> {
        let key = search_key(&self.q);
        let mut out: Vec<MyActionOut> = items
            .into_iter()
            .map(|m| my_action_out(m, today))
            .filter(|a| finds(&key, &a.title, &a.customer_name))
            .collect();
        let order = self.plan_order();
        let due = |a: &MyActionOut| a.due.clone().unwrap_or_else(|| "9999-12-31".into());
        match order.trim_start_matches('-') {
            "due" => out.sort_by_cached_key(|a| (due(a), search_key(&a.title))),
            "title" => out.sort_by_cached_key(|a| (search_key(&a.title), due(a))),
            "customer" => {
                out.sort_by_cached_key(|a| (search_key(&a.customer_name), due(a), a.index))
            }
            "initiative" => out.sort_by_cached_key(|a| {
                (
                    a.initiative.is_none(),
                    a.initiative.as_deref().map(search_key),
                    due(a),
                )
            }),
            // As the store gives them: overdue first, then open, by due date.
            _ => {}
        }
        if order.starts_with('-') {
            out.reverse();
        }
        out
    }

    /// The meeting actions searched for (by their title, their meeting's or
    /// their customer's name), in the meetings' table order.
    async fn meeting_actions(
        &self,
        st: &AppState,
        items: Vec<MyMeetingActionOut>,
    ) -> Result<Vec<MyMeetingActionOut>, clef_store::StoreError> {
        let key = search_key(&self.q);
        let mut out = if key.is_empty() {
            items
        } else {
            let mut ids: Vec<i64> = items.iter().filter_map(|m| m.customer_id).collect();
            ids.sort_unstable();
            ids.dedup();
            let names = st.store.customer_names(&ids).await?;
            items
                .into_iter()
                .filter(|m| {
                    let customer = m.customer_id.and_then(|c| names.get(&c));
                    finds(&key, &m.action.title, &m.meeting_title)
                        || customer.is_some_and(|n| finds(&key, "", n))
                })
                .collect()
        };
        let order = self.meeting_order();
        let due = |m: &MyMeetingActionOut| {
            m.action
                .due_on
                .clone()
                .unwrap_or_else(|| "9999-12-31".into())
        };
        match order.trim_start_matches('-') {
            "due" => out.sort_by_cached_key(|m| (due(m), search_key(&m.action.title))),
            "title" => out.sort_by_cached_key(|m| (search_key(&m.action.title), due(m))),
            "meeting" => {
                out.sort_by_cached_key(|m| (search_key(&m.meeting_title), due(m), m.action.id))
            }
            // As they come: overdue first, by due date.
            _ => {}
        }
        if order.starts_with('-') {
            out.reverse();
        }
        Ok(out)
    }

    /// One page of a table's rows, and where it stands.
    fn paged<T>(&self, rows: Vec<T>, meetings: bool) -> (Vec<T>, Pages) {
        let matching = rows.len();
        let page = if meetings { &self.mpage } else { &self.page };
        let (rows, slice) = super::slice(rows, page, PER_PAGE);
        let link = |n: usize| {
            let mut q = self.clone();
            if meetings {
                q.mpage = n.to_string();
            } else {
                q.page = n.to_string();
            }
            q.here("/my/actions")
        };
        let pages = Pages {
            matching,
            page: slice.page,
            pages: slice.pages,
            prev: (slice.page > 1).then(|| link(slice.page - 1)),
            next: (slice.page < slice.pages).then(|| link(slice.page + 1)),
        };
        (rows, pages)
    }
}

/// Whether an action whose title and customer (or meeting) are these is
/// found by the search `key` (a [`search_key`]; empty, every action is).
fn finds(key: &str, title: &str, of: &str) -> bool {
    key.is_empty() || search_key(title).contains(key) || search_key(of).contains(key)
}

/// The user's actions of plans and of meetings the search keeps, each in
/// its table's order.
async fn load(
    st: &AppState,
    user: i64,
    q: &MyActionsQ,
) -> Result<(Vec<MyActionOut>, Vec<MyMeetingActionOut>), ApiError> {
    let closed = q.closed();
    let today = plans::today().to_string();
    let items = st.store.my_actions(user, &today, closed).await?;
    let meetings = crate::api::rituals::my_actions(st, user, closed).await?;
    let meetings = q.meeting_actions(st, meetings).await?;
    Ok((q.plan_actions(items, &today), meetings))
}

async fn page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(q): Query<MyActionsQ>,
) -> Response {
    let r = load(&st, u.user.id, &q).await;
    let here = q.here("/my/actions");
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match r {
        Ok((items, meeting_items)) => {
            let (items, plan_pages) = q.paged(items, false);
            let (meeting_items, meeting_pages) = q.paged(meeting_items, true);
            render(
                StatusCode::OK,
                &MyActionsPage {
                    ctx,
                    items,
                    plan_pages,
                    meeting_items,
                    meeting_pages,
                    q: MyActionsQ {
                        q: q.q.trim().to_owned(),
                        ..q
                    },
                },
            )
        }
        Err(e) => api_error_page(ctx, e),
    }
}

/// The same actions as CSV, every page, in the tables' orders: those of
/// plans, then those of meetings.
async fn csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(q): Query<MyActionsQ>,
) -> Response {
    let (items, meetings) = match load(&st, u.user.id, &q).await {
        Ok(x) => x,
        Err(e) => return api_error_page(Ctx::new(&st, &headers, Some(u), "/my/actions"), e),
    };
    let cell = clef_store::import::cell;
    let plan_rows = items.into_iter().map(|a| {
        vec![
            "plan".to_owned(),
            a.due.unwrap_or_default(),
            cell(&a.title),
            a.customer_id.to_string(),
            cell(&a.customer_name),
            a.plan_version_id.to_string(),
            cell(a.initiative.as_deref().unwrap_or_default()),
            String::new(),
            String::new(),
            a.status,
            a.overdue.to_string(),
        ]
    });
    let meeting_rows = meetings.into_iter().map(|m| {
        vec![
            "meeting".to_owned(),
            m.action.due_on.unwrap_or_default(),
            cell(&m.action.title),
            m.customer_id.map(|c| c.to_string()).unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
            m.action.meeting_id.to_string(),
            cell(&m.meeting_title),
            m.action.status,
            m.overdue.to_string(),
        ]
    });
    super::csv_download(
        "my-actions.csv",
        &[
            "source",
            "due",
            "title",
            "customer_id",
            "customer",
            "plan_version_id",
            "initiative",
            "meeting_id",
            "meeting",
            "status",
            "overdue",
        ],
        plan_rows.chain(meeting_rows),
    )
}
