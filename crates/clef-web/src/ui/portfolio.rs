//! The portfolio list: search, filters, sort, paging and CSV export.

use super::{Ctx, forms::opt_int, render, urlencode};
use crate::{
    AppState,
    api::customers::{FilterText, parse_filter},
    auth::UiUser,
};
use askama::Template;
use axum::{
    Router,
    body::Body,
    extract::{OriginalUri, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use clef_domain::{
    CustomerStatus, FieldErrors, Page, PageRequest, ServiceTier, SortDir, policy::Action,
};
use clef_store::{CustomerFilter, CustomerSort, CustomerView, business_unit, user};
use futures_util::StreamExt;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(list))
        .route("/customers.csv", get(export))
}

/// The list's query string; every value is text, as forms send it.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    status: String,
    tier: String,
    country: String,
    region: String,
    business_unit_id: String,
    owner_id: String,
    group_id: String,
    parent_id: String,
    sort: String,
    page: String,
    /// What the page that sent the reader here just did (`deleted`).
    done: String,
    /// The customer just deleted, whose history stays readable.
    deleted: String,
    /// `figures`: the export adds each customer's figures to the import
    /// format's columns.
    with: String,
}

impl ListQuery {
    fn parse(&self) -> (CustomerFilter, CustomerSort, SortDir, u64, FieldErrors) {
        let mut e = FieldErrors::new();
        let text = FilterText {
            q: Some(&self.q),
            status: Some(&self.status),
            tier: Some(&self.tier),
            country: Some(&self.country),
            region: Some(&self.region),
            sort: Some(&self.sort),
            business_unit_id: opt_int(&mut e, "business_unit_id", &self.business_unit_id),
            owner_id: opt_int(&mut e, "owner_id", &self.owner_id),
            group_id: opt_int(&mut e, "group_id", &self.group_id),
            parent_id: opt_int(&mut e, "parent_id", &self.parent_id),
        };
        let (f, sort, dir) = parse_filter(&text, &mut e);
        let page = self
            .page
            .trim()
            .parse::<u64>()
            .unwrap_or(1)
            .clamp(1, 1_000_000);
        (f, sort, dir, page, e)
    }

    /// The query string without `page` and `sort`, to build links.
    fn base(&self) -> String {
        [
            ("q", &self.q),
            ("status", &self.status),
            ("tier", &self.tier),
            ("country", &self.country),
            ("region", &self.region),
            ("business_unit_id", &self.business_unit_id),
            ("owner_id", &self.owner_id),
            ("group_id", &self.group_id),
            ("parent_id", &self.parent_id),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

#[derive(Template)]
#[template(path = "customers.html")]
struct ListPage<'a> {
    ctx: Ctx<'a>,
    query: ListQuery,
    page: Page<CustomerView>,
    sort: CustomerSort,
    dir: SortDir,
    errors: FieldErrors,
    business_units: Vec<business_unit::Model>,
    owners: Vec<user::Model>,
    regions: Vec<String>,
    can_create: bool,
    can_import: bool,
    /// The group the list is limited to, when it is.
    group: Option<clef_store::customer_group::Model>,
    /// The customer whose subsidiaries the list is limited to, when it is.
    parent: Option<clef_store::customer::Model>,
    /// Nothing started with the search: the list holds the customers with
    /// a word that starts with it.
    within_words: bool,
}

impl ListPage<'_> {
    /// Whether a search or a filter limits the list.
    fn filtered(&self) -> bool {
        let q = &self.query;
        [
            &q.q,
            &q.status,
            &q.tier,
            &q.country,
            &q.region,
            &q.business_unit_id,
            &q.owner_id,
            &q.group_id,
            &q.parent_id,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }
    fn link(&self, page: u64, sort: &str) -> String {
        let base = self.query.base();
        let sep = if base.is_empty() { "" } else { "&" };
        format!("/customers?{base}{sep}sort={}&page={page}", urlencode(sort))
    }

    fn sort_link(&self, key: &str) -> String {
        let desc = self.sort.key() == key && self.dir == SortDir::Asc;
        self.link(
            1,
            &if desc {
                format!("-{key}")
            } else {
                key.to_owned()
            },
        )
    }

    /// `ascending`, `descending` or `none`, for aria-sort.
    fn aria_sort(&self, key: &str) -> &'static str {
        match (self.sort.key() == key, self.dir) {
            (false, _) => "none",
            (true, SortDir::Asc) => "ascending",
            (true, SortDir::Desc) => "descending",
        }
    }

    fn current_sort(&self) -> String {
        match self.dir {
            SortDir::Asc => self.sort.key().to_owned(),
            SortDir::Desc => format!("-{}", self.sort.key()),
        }
    }

    fn export_link(&self) -> String {
        let base = self.query.base();
        let sep = if base.is_empty() { "" } else { "&" };
        format!(
            "/customers.csv?{base}{sep}sort={}",
            urlencode(&self.current_sort())
        )
    }

    fn export_figures_link(&self) -> String {
        format!("{}&with=figures", self.export_link())
    }

    fn pct(&self, x: &Option<f64>) -> String {
        x.map_or_else(String::new, |x| self.ctx.tr.percent(x))
    }

    fn statuses(&self) -> &'static [CustomerStatus] {
        CustomerStatus::ALL
    }

    fn tiers(&self) -> &'static [ServiceTier] {
        ServiceTier::ALL
    }

    fn first_shown(&self) -> u64 {
        if self.page.total == 0 {
            0
        } else {
            (self.page.page - 1) * self.page.per_page + 1
        }
    }

    fn range_text(&self) -> String {
        let r = format!(
            "{}–{}",
            self.ctx.tr.number(self.first_shown()),
            self.ctx.tr.number(self.last_shown())
        );
        self.ctx.tr.t1("showing", "range", r)
    }

    /// What was just done, said once.
    fn notice(&self) -> Option<String> {
        (self.query.done == "deleted").then(|| self.ctx.t("done-deleted"))
    }

    /// The history of the customer just deleted.
    fn deleted_history(&self) -> Option<String> {
        let id: i64 = self.query.deleted.trim().parse().ok()?;
        (self.query.done == "deleted").then(|| format!("/customers/{id}/history"))
    }

    /// The message beside a filter whose value cannot be read.
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }

    /// Each filter that cannot be read, named, with what is wrong: shown
    /// with the list too, which a filter changed in place replaces alone.
    fn error_list(&self) -> Vec<String> {
        self.errors
            .0
            .iter()
            .map(|e| {
                let label = match e.field.as_str() {
                    "q" => "search",
                    "status" => "f-status",
                    "tier" => "f-tier",
                    "country" => "f-country",
                    "region" => "f-region",
                    "business_unit_id" => "f-business-unit",
                    "owner_id" => "f-owner",
                    "group_id" => "f-group",
                    "parent_id" => "f-parent-id",
                    _ => "",
                };
                let message = self.ctx.field_message(e);
                if label.is_empty() {
                    message
                } else {
                    format!("{}{} {message}", self.ctx.t(label), self.ctx.t("colon"))
                }
            })
            .collect()
    }

    /// The list without its group.
    fn without_group(&self) -> String {
        let mut q = ListQuery {
            group_id: String::new(),
            ..self.query.clone()
        };
        q.page = String::new();
        format!("/customers?{}", q.base())
    }

    /// The list without its parent.
    fn without_parent(&self) -> String {
        let mut q = ListQuery {
            parent_id: String::new(),
            ..self.query.clone()
        };
        q.page = String::new();
        format!("/customers?{}", q.base())
    }

    /// A page past the last one (its link kept or typed): the last page.
    fn past_the_end(&self) -> Option<String> {
        (self.page.items.is_empty() && self.page.total > 0 && self.page.page > 1).then(|| {
            let last = self.page.total.div_ceil(self.page.per_page).max(1);
            self.link(last, &self.current_sort())
        })
    }

    fn last_shown(&self) -> u64 {
        let last = (self.page.page - 1) * self.page.per_page + self.page.items.len() as u64;
        if self.page.total_is_exact {
            last.min(self.page.total)
        } else {
            last
        }
    }
}

async fn list(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<ListQuery>,
) -> Response {
    let here = super::list_here(&uri);
    let can_create = u.can(Action::CreateCustomer {
        owner: Some(u.actor.id),
    });
    let can_import = u.can(Action::BulkImport);
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let (filter, sort, dir, page_no, errors) = query.parse();
    let page_req = PageRequest {
        page: page_no,
        per_page: 50,
    };
    // A filter that cannot be read is said beside it, and no list is shown
    // that would look filtered by it.
    let page = if errors.is_empty() {
        match st
            .store
            .search_customers(&filter, sort, dir, page_req)
            .await
        {
            Ok(p) => p,
            Err(e) => return super::error_page(ctx, e),
        }
    } else {
        let empty = Page {
            items: Vec::new(),
            page: 1,
            per_page: page_req.per_page,
            total: 0,
            total_is_exact: true,
        };
        (empty, false)
    };
    let (page, within_words) = page;
    let (business_units, owners, regions) = match tokio::try_join!(
        st.store.list_business_units(),
        st.store.list_users(),
        st.store.regions()
    ) {
        Ok(x) => x,
        Err(e) => return super::error_page(ctx, e),
    };
    let group = match filter.group_id {
        Some(id) => st.store.group(id).await.ok(),
        None => None,
    };
    let parent = match filter.parent_id {
        Some(id) => st.store.customer(id).await.ok(),
        None => None,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &ListPage {
            within_words,
            group,
            parent,
            ctx,
            query,
            page,
            sort,
            dir,
            errors,
            business_units,
            owners,
            regions,
            can_create,
            can_import,
        },
    )
}

/// The export reads every id of the list at once (one consistent view of
/// the portfolio), then its customers in batches of this many.
const EXPORT_BATCH: usize = 2_000;

/// Where an export of the list stands.
struct Exporting {
    st: AppState,
    filter: clef_store::CustomerFilter,
    sort: CustomerSort,
    dir: SortDir,
    /// The figures are written after the import format's columns.
    figures: bool,
    /// Ids not yet written; none before the first read.
    pending: Option<std::collections::VecDeque<i64>>,
    first: bool,
    done: bool,
}

/// The list as filtered, in its order, as CSV in the import format,
/// streamed: its ids read at once, its customers in batches.
async fn export(
    State(st): State<AppState>,
    headers: HeaderMap,
    UiUser(u): UiUser,
    Query(query): Query<ListQuery>,
) -> Response {
    let (filter, sort, dir, _, errors) = query.parse();
    if !errors.is_empty() {
        // The list says what is wrong, beside each filter.
        return axum::response::Redirect::to(&format!("/customers?{}", query.base()))
            .into_response();
    }
    let filter = match st.store.listed_filter(&filter).await {
        Ok(f) => f,
        Err(e) => {
            let here = format!("/customers?{}", query.base());
            return super::error_page(Ctx::new(&st, &headers, Some(u), &here), e);
        }
    };
    let figures = query.with.trim() == "figures";
    let start = Exporting {
        st,
        filter,
        sort,
        dir,
        figures,
        pending: None,
        first: true,
        done: false,
    };
    let stream = futures_util::stream::unfold(start, |mut x| async move {
        if x.done {
            return None;
        }
        // The file starts with a byte order mark: spreadsheets then read
        // it as UTF-8 (imports skip it).
        let start = if x.first {
            "\u{feff}".as_bytes().to_vec()
        } else {
            Vec::new()
        };
        let mut w = csv::Writer::from_writer(start);
        if x.first {
            let mut header = clef_store::import::CUSTOMER_COLUMNS.to_vec();
            if x.figures {
                header.extend(clef_store::import::CUSTOMER_FIGURE_COLUMNS);
            }
            let _ = w.write_record(header);
            x.first = false;
        }
        let batch = async {
            if x.pending.is_none() {
                let ids = x.st.store.customer_ids(&x.filter, x.sort, x.dir).await?;
                x.pending = Some(ids.into());
            }
            let pending = x.pending.get_or_insert_default();
            let n = Ord::min(EXPORT_BATCH, pending.len());
            let ids: Vec<i64> = pending.drain(..n).collect();
            x.st.store.customers_by_ids(&ids).await
        };
        match batch.await {
            Ok(batch) => {
                for v in &batch {
                    let mut row = clef_store::customer_csv_row(v);
                    if x.figures {
                        row.extend(clef_store::import::customer_figure_cells(v));
                    }
                    let _ = w.write_record(row);
                }
                x.done = x.pending.as_ref().is_none_or(|p| p.is_empty());
                let bytes = w.into_inner().unwrap_or_default();
                Some((Ok::<_, std::io::Error>(bytes), x))
            }
            Err(e) => {
                tracing::error!(error = %e, "export failed");
                x.done = true;
                Some((Err(std::io::Error::other("export failed")), x))
            }
        }
    })
    // Compression polls the body again after its end: the stream must be fused.
    .fuse();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                if figures {
                    "attachment; filename=\"customers-figures.csv\""
                } else {
                    "attachment; filename=\"customers.csv\""
                },
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
