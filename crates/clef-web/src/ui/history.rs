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
use clef_store::{HistoryEntry, customer};

pub fn routes() -> Router<AppState> {
    Router::new().route("/customers/{id}/history", get(page))
}

/// How many changes the page shows.
pub const SHOWN: u64 = 200;

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage<'a> {
    ctx: Ctx<'a>,
    customer: customer::Model,
    entries: Vec<HistoryEntry>,
}

impl HistoryPage<'_> {
    fn when(&self, at: &i64) -> String {
        let time = (at.rem_euclid(86_400) / 60, at.rem_euclid(60));
        let (h, m) = (time.0 / 60, time.0 % 60);
        format!("{} {h:02}:{m:02} UTC", self.ctx.tr.date(*at))
    }
    fn what(&self, e: &HistoryEntry) -> String {
        format!(
            "{} — {}",
            self.ctx.tr.choice("history-entity", &e.entity),
            self.ctx.tr.choice("history-action", &e.action)
        )
    }
    /// A field's name for the reader (its form label when it has one).
    fn field(&self, key: &str) -> String {
        let k = format!("f-{}", key.trim_end_matches("_cents").replace('_', "-"));
        let t = self.ctx.t(&k);
        if t == k { key.to_owned() } else { t }
    }
    /// A value, cut when long (notes).
    fn value(&self, v: &str) -> String {
        if v.chars().count() > 120 {
            format!("{}…", v.chars().take(120).collect::<String>())
        } else {
            v.to_owned()
        }
    }
}

async fn page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/customers/{id}/history");
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let loaded = async {
        let c = st.store.customer(id).await?;
        Ok::<_, clef_store::StoreError>((c, st.store.customer_history(id, SHOWN).await?))
    };
    match loaded.await {
        Ok((customer, entries)) => render(
            StatusCode::OK,
            &HistoryPage {
                ctx,
                customer,
                entries,
            },
        ),
        Err(e) => error_page(ctx, e),
    }
}
