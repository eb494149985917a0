//! A customer's history: who changed what and when, in the customer, its
//! contacts and its contracts — deleted ones included.

use super::{Ctx, error_page, render};
use crate::{AppState, auth::UiUser};
use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::get,
};
use clef_store::{HistoryEntry, StoreError};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/history", get(page))
        .route("/customers/{id}/history.csv", get(csv_file))
        .route(
            "/customers/{id}/history/{entry}/restore",
            axum::routing::post(restore),
        )
}

/// How many changes the CSV file holds, the latest first.
const IN_FILE: u64 = 100_000;

/// How many changes the page shows.
pub const SHOWN: u64 = 200;

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage<'a> {
    ctx: Ctx<'a>,
    customer: Subject,
    entries: Vec<HistoryEntry>,
    /// Older changes exist, before this entry; this page is not the newest.
    older: Option<i64>,
    later: bool,
    /// Names of the users, groups and business units a change may name.
    users: HashMap<i64, String>,
    groups: HashMap<i64, String>,
    units: HashMap<i64, String>,
    /// The parent companies named in the changes.
    parents: HashMap<i64, String>,
    /// The kind of record and the person the list is limited to.
    list: PageQ,
    /// The users, by name, to choose from.
    people: Vec<(i64, String)>,
    /// Deleted records restored: the deletion's entry, the record it
    /// became.
    restored: HashMap<i64, i64>,
    /// Deletions that cannot be restored (an interaction none of whose
    /// people is left).
    unrestorable: HashSet<i64>,
    /// The kinds of deleted record the reader may bring back.
    may_restore: Vec<&'static str>,
}

impl HistoryPage<'_> {
    /// The history's address with its filters, `more` after them.
    fn link(&self, path: &str, more: &str) -> String {
        self.list.href(self.customer.id, path, more)
    }
    fn records(&self) -> Vec<(&'static str, String)> {
        clef_store::HISTORY_RECORDS
            .iter()
            .map(|r| (*r, self.ctx.tr.choice("history-entity", r)))
            .collect()
    }
    fn is_record(&self, r: &str) -> bool {
        self.list.filter().record.as_deref() == Some(r)
    }
    fn is_who(&self, id: &i64) -> bool {
        self.list.filter().user_id == Some(*id)
    }
    /// The day a date filter holds, as the date field takes it (empty when
    /// it holds none that can be read).
    fn day_of(&self, which: &str) -> String {
        let f = self.list.filter();
        let d = if which == "from" { f.from } else { f.to };
        d.map(|d| d.to_string()).unwrap_or_default()
    }
    /// A deleted record that the reader may bring back from this entry.
    fn restorable(&self, e: &HistoryEntry) -> bool {
        e.action == "delete"
            && self.may_restore.contains(&e.entity.as_str())
            && !self.restored.contains_key(&e.id)
            && !self.unrestorable.contains(&e.id)
    }
    /// "restored", agreeing with the record where the language says so.
    fn restored_word(&self, e: &HistoryEntry) -> String {
        // (Une interaction, une réunion, une version restaurée.)
        if matches!(
            e.entity.as_str(),
            "interaction" | "meeting" | "plan_version"
        ) {
            self.ctx.t("history-restored-interaction")
        } else {
            self.ctx.t("history-restored")
        }
    }
    /// The customer this deleted one came back as.
    fn restored_customer(&self, e: &HistoryEntry) -> Option<i64> {
        (e.entity == "customer" && e.action == "delete")
            .then(|| self.restored.get(&e.id).copied())
            .flatten()
    }
    fn was_restored(&self, e: &HistoryEntry) -> bool {
        e.action == "delete" && self.restored.contains_key(&e.id)
    }
    fn filtered(&self) -> bool {
        !self.list.query().is_empty()
    }
    fn when(&self, at: &i64) -> String {
        let time = (at.rem_euclid(86_400) / 60, at.rem_euclid(60));
        let (h, m) = (time.0 / 60, time.0 % 60);
        format!("{} {h:02}:{m:02} UTC", self.ctx.tr.date(*at))
    }
    /// The moment for the page's script, which writes it in the reader's
    /// own time zone (the UTC text stays without a script).
    fn iso(&self, at: &i64) -> String {
        clef_domain::rfc3339(*at)
    }
    fn what(&self, e: &HistoryEntry) -> String {
        // The action agrees with its record where the language says so
        // (une réunion supprimée).
        let own = format!("history-action-{}-{}", e.action, e.entity.replace('_', "-"));
        let action = match self.ctx.t(&own) {
            t if t != own => t,
            _ => self.ctx.tr.choice("history-action", &e.action),
        };
        format!(
            "{} — {action}",
            self.ctx.tr.choice("history-entity", &e.entity)
        )
    }
    /// A field's name for the reader (its form label when it has one).
    fn field(&self, key: &str) -> String {
        let base = key.trim_end_matches("_cents");
        let special = match base {
            "competitive_position" => Some("f-position"),
            "strategic_segment" => Some("f-segment"),
            // A deleted meeting, interaction or team member: its form's words.
            "on" | "occurred_on" => Some("f-date"),
            "at" => Some("at-time"),
            "duration" => Some("duration-minutes"),
            "location" => Some("location"),
            "online" => Some("online"),
            "primary_objective" => Some("primary-objective"),
            "secondary_objectives" => Some("secondary-objectives"),
            "agenda" => Some("agenda"),
            "minutes" => Some("minutes"),
            "decisions" => Some("decisions"),
            "objective_met" => Some("objective-met"),
            "evaluation_comment" => Some("comment"),
            "dedicated" => Some("dedicated"),
            "share_pct" => Some("share-here"),
            "number" => Some("plan-version"),
            "year" => Some("plan-f-year"),
            // One of our people (on a team, or a link's).
            "user_id" => Some("f-name"),
            _ => None,
        };
        let candidates = [
            special.map(str::to_owned),
            Some(format!("f-{}", base.replace('_', "-"))),
            Some(format!(
                "f-{}",
                base.trim_end_matches("_id").replace('_', "-")
            )),
        ];
        candidates
            .into_iter()
            .flatten()
            .map(|k| (self.ctx.t(&k), k))
            .find(|(t, k)| t != k)
            .map_or_else(|| key.to_owned(), |(t, _)| t)
    }
    /// A stored value for the reader: amounts in their currency, people,
    /// groups and units by name, choices in words, long text cut.
    fn value(&self, e: &HistoryEntry, key: &str, v: &Value) -> String {
        let name = |m: &HashMap<i64, String>, id: i64| {
            m.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
        };
        match (key, v) {
            (_, Value::Null) => "—".into(),
            (_, Value::Bool(b)) => self.ctx.t(if *b { "yes" } else { "no" }),
            (k, Value::Number(n)) if k.ends_with("_cents") => match n.as_i64() {
                Some(c) => self
                    .ctx
                    .tr
                    .money(c, e.currency.as_deref().unwrap_or(&self.customer.currency)),
                None => n.to_string(),
            },
            ("owner_id", Value::Number(n)) => n
                .as_i64()
                .map_or_else(|| n.to_string(), |id| name(&self.users, id)),
            ("parent_id", Value::Number(n)) => n
                .as_i64()
                .map_or_else(|| n.to_string(), |id| name(&self.parents, id)),
            ("group_id", Value::Number(n)) => n
                .as_i64()
                .map_or_else(|| n.to_string(), |id| name(&self.groups, id)),
            ("business_unit_id", Value::Number(n)) => n
                .as_i64()
                .map_or_else(|| n.to_string(), |id| name(&self.units, id)),
            ("status", Value::String(s)) if e.entity == "meeting" => {
                self.ctx.tr.choice("meeting-status", s)
            }
            ("primary_objective", Value::String(s)) => self.ctx.tr.choice("objective", s),
            ("secondary_objectives", Value::String(s)) => s
                .split(',')
                .filter(|o| !o.trim().is_empty())
                .map(|o| self.ctx.tr.choice("objective", o.trim()))
                .collect::<Vec<_>>()
                .join(", "),
            ("kind", Value::String(s)) if e.entity == "interaction" => {
                self.ctx.tr.choice("interaction", s)
            }
            ("frequency", Value::String(s)) => self.ctx.tr.choice("frequency", s),
            ("function", Value::String(s)) if e.entity == "account_team" => {
                self.ctx.tr.choice("team-function", s)
            }
            ("user_id", Value::Number(n)) => n
                .as_i64()
                .map_or_else(|| n.to_string(), |id| name(&self.users, id)),
            ("tier" | "status" | "threat" | "competitive_position", Value::String(s)) => {
                let prefix = if key == "competitive_position" {
                    "position"
                } else {
                    key
                };
                let t = self.ctx.tr.choice(prefix, s);
                if t.starts_with(prefix) { s.clone() } else { t }
            }
            (k, Value::String(s)) if k.ends_with("_on") || k == "on" => self.ctx.tr.iso_day(s),
            (_, Value::String(s)) if s.chars().count() > 120 => {
                format!("{}…", s.chars().take(120).collect::<String>())
            }
            (_, Value::String(s)) => s.clone(),
            (_, other) => other.to_string(),
        }
    }
}

/// Whose history: a customer, or one deleted since (the trail keeps it).
struct Subject {
    id: i64,
    name: String,
    currency: String,
    /// When its history starts (unix seconds).
    since: i64,
    deleted: bool,
}

async fn subject(st: &AppState, id: i64) -> Result<Subject, StoreError> {
    match st.store.customer(id).await {
        Ok(c) => Ok(Subject {
            id,
            name: c.name,
            currency: c.currency,
            since: c.created_at,
            deleted: false,
        }),
        Err(StoreError::NotFound(what)) => match st.store.deleted_customer(id).await? {
            Some((name, currency, since)) => Ok(Subject {
                id,
                name,
                currency,
                since,
                deleted: true,
            }),
            None => Err(StoreError::NotFound(what)),
        },
        Err(e) => Err(e),
    }
}

/// Which page of the history (the changes before entry `before`), of
/// which kind of record and whose.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
struct PageQ {
    before: String,
    /// Words in the record's name, who changed it or a value.
    q: String,
    record: String,
    who: String,
    /// The first and last days listed (YYYY-MM-DD).
    from: String,
    to: String,
}

impl PageQ {
    /// The filters that can be read (others list everything).
    fn filter(&self) -> clef_store::HistoryFilter {
        let record = self.record.trim();
        clef_store::HistoryFilter {
            record: clef_store::HISTORY_RECORDS
                .contains(&record)
                .then(|| record.to_owned()),
            user_id: self.who.trim().parse().ok(),
            from: clef_domain::Date::parse("from", self.from.trim()).ok(),
            to: clef_domain::Date::parse("to", self.to.trim()).ok(),
            text: Some(self.q.trim().to_owned()).filter(|q| !q.is_empty()),
        }
    }
    /// Customer `id`'s `path` (`history`, `history.csv`) with the filters,
    /// then `more` (a page).
    fn href(&self, id: i64, path: &str, more: &str) -> String {
        let query = [self.query(), more.to_owned()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        if query.is_empty() {
            format!("/customers/{id}/{path}")
        } else {
            format!("/customers/{id}/{path}?{query}")
        }
    }
    /// The filters as a query string (without the page).
    fn query(&self) -> String {
        let f = self.filter();
        let mut parts = Vec::new();
        if let Some(r) = f.record {
            parts.push(format!("record={r}"));
        }
        if let Some(u) = f.user_id {
            parts.push(format!("who={u}"));
        }
        if let Some(d) = f.from {
            parts.push(format!("from={d}"));
        }
        if let Some(d) = f.to {
            parts.push(format!("to={d}"));
        }
        if let Some(q) = f.text {
            parts.push(format!("q={}", super::urlencode(&q)));
        }
        parts.join("&")
    }
}

async fn page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<PageQ>,
) -> Response {
    let before = q.before.trim().parse::<i64>().ok();
    let filter = q.filter();
    let page = before.map(|b| format!("before={b}")).unwrap_or_default();
    let here = q.href(id, "history", &page);
    // The kinds of deleted record the reader may bring back, as the
    // restore itself decides: of a deleted customer, the customer itself
    // for those who could change it.
    let may_restore: Vec<&'static str> = match crate::relationships::access(&st, &u, id).await {
        Ok(a) => clef_store::RESTORABLE
            .into_iter()
            .filter(|k| crate::api::customers::may_restore(&u, &a, k))
            .collect(),
        Err(_) => match st.store.deleted_customer_owner(id, None).await {
            Ok(owner)
                if u.can(clef_domain::policy::Action::WriteCustomer {
                    owner: owner.map(clef_domain::UserId),
                }) =>
            {
                vec!["customer"]
            }
            _ => Vec::new(),
        },
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let loaded = async {
        let c = subject(&st, id).await?;
        // One more than shown: whether there are older changes.
        let mut entries = st
            .store
            .history_since(c.id, c.since, &filter, before, SHOWN + 1)
            .await?;
        let older = (entries.len() as u64 > SHOWN).then(|| {
            entries.truncate(SHOWN as usize);
            entries.last().map_or(0, |e| e.id)
        });
        let entries = (entries, older, before.is_some());
        let users = st.store.list_users().await?;
        let groups = st.store.list_groups().await?;
        let units = st.store.list_business_units().await?;
        let mut named: Vec<i64> = entries
            .0
            .iter()
            .flat_map(|e| &e.changes)
            .filter(|(k, _, _)| k == "parent_id")
            .flat_map(|(_, b, a)| [b.as_i64(), a.as_i64()])
            .flatten()
            .collect();
        named.sort_unstable();
        named.dedup();
        let parents = st.store.customer_names(&named).await?;
        let restored = st.store.restored_deletions(c.id).await?;
        // Interactions none of whose people is left cannot come back.
        let shown: Vec<i64> = entries.0.iter().map(|e| e.id).collect();
        let unrestorable = st.store.interactions_without_people(c.id, &shown).await?;
        Ok::<_, StoreError>((
            c,
            entries,
            users,
            groups,
            units,
            parents,
            (restored, unrestorable),
        ))
    };
    match loaded.await {
        Ok((
            customer,
            (entries, older, later),
            users,
            groups,
            units,
            parents,
            (restored, unrestorable),
        )) => render(
            StatusCode::OK,
            &HistoryPage {
                ctx,
                customer,
                entries,
                older,
                later,
                restored,
                unrestorable,
                may_restore,
                people: users.iter().map(|u| (u.id, u.name.clone())).collect(),
                users: users.into_iter().map(|u| (u.id, u.name)).collect(),
                list: q,
                groups: groups.into_iter().map(|g| (g.id, g.name)).collect(),
                units: units
                    .into_iter()
                    .map(|b| (b.id, format!("{} — {}", b.code, b.name)))
                    .collect(),
                parents,
            },
        ),
        Err(e) => error_page(ctx, e),
    }
}

/// The same history as CSV (its filters kept), one line per field changed
/// (one for a creation or a deletion), values as stored.
async fn csv_file(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<PageQ>,
) -> Response {
    let loaded = async {
        let c = subject(&st, id).await?;
        st.store
            .history_since(c.id, c.since, &q.filter(), None, IN_FILE)
            .await
    };
    let entries = match loaded.await {
        Ok(x) => x,
        Err(e) => {
            return error_page(
                Ctx::new(&st, &headers, Some(u), &format!("/customers/{id}/history")),
                e,
            );
        }
    };
    let cell = clef_store::import::cell;
    let text = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => cell(s),
        other => other.to_string(),
    };
    let rows = entries.iter().flat_map(|e| {
        let head = vec![
            clef_domain::rfc3339(e.at),
            cell(e.user_name.as_deref().unwrap_or_default()),
            e.entity.clone(),
            e.entity_id.to_string(),
            e.action.clone(),
            cell(&e.label),
        ];
        let changes: Vec<[String; 3]> = if e.changes.is_empty() {
            vec![Default::default()]
        } else {
            e.changes
                .iter()
                .map(|(field, before, after)| [field.clone(), text(before), text(after)])
                .collect()
        };
        changes.into_iter().map(move |c| {
            let mut row = head.clone();
            row.extend(c);
            row
        })
    });
    super::csv_download(
        &format!("history-{id}.csv"),
        &[
            "at",
            "user",
            "record",
            "record_id",
            "action",
            "label",
            "field",
            "before",
            "after",
        ],
        rows,
    )
}

/// Brings a deleted record back from the history entry of its deletion,
/// then shows it: a contact or a contract on its customer's page, an interaction in the
/// list of the account's interactions, a link or a team member on the
/// account's relationships page.
async fn restore(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path((id, entry)): Path<(i64, i64)>,
) -> Response {
    let here = format!("/customers/{id}/history");
    let r = crate::api::customers::restore_deleted(&st, &u, id, entry).await;
    match r {
        Ok((kind, new)) => {
            axum::response::IntoResponse::into_response(axum::response::Redirect::to(&match kind {
                "interaction" => {
                    format!("/customers/{id}/relationships/interactions?done=restored")
                }
                "link" => format!("/customers/{id}/relationships?done=link-restored#links"),
                "team_member" => {
                    format!("/customers/{id}/relationships?done=member-restored#team")
                }
                "contract" => format!("/customers/{id}?done=contract-restored#contracts"),
                "meeting" => format!("/meetings/{new}?done=restored"),
                "plan_version" => format!("/plan-versions/{new}?done=restored"),
                "customer" => format!("/customers/{new}?done=customer-restored"),
                _ => format!("/customers/{id}?done=contact-restored#contacts"),
            }))
        }
        Err(e) => super::api_error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    }
}
