//! What the plan API and pages share: who may see a plan, the actual figures
//! beside the targets, and the two documents drawn from a plan.

use crate::{AppState, auth::CurrentUser, error::ApiError, i18n::Tr};
use clef_domain::{
    Date, FieldError, FieldErrors, UserId,
    document::{Block, Doc},
    plan::{self, PlanContent, PlanStatus},
    policy::Action,
    yearly_figures,
};
use clef_store::{customer, plan_version};
use std::collections::HashMap;

/// Today, as a date (UTC).
pub fn today() -> Date {
    Date::from_unix_days(clef_store::now().div_euclid(86_400))
}

/// The first year of a new plan when none is given: plans written in the
/// last quarter are for the coming year.
pub fn default_plan_year() -> i32 {
    let t = today();
    if t.month >= 10 { t.year + 1 } else { t.year }
}

/// The users the current plan names among its people (with the account
/// team, they make up the people who work on the account).
pub fn team_of(versions: &[plan_version::Model]) -> Vec<i64> {
    let current = versions
        .iter()
        .rev()
        .find(|v| v.plan_status() != PlanStatus::Archived)
        .or(versions.last());
    current
        .map(|v| {
            v.content()
                .people
                .iter()
                .filter_map(|p| p.user_id)
                .collect()
        })
        .unwrap_or_default()
}

pub fn read_action(c: &customer::Model, team: &[i64], user: &CurrentUser) -> Action {
    Action::ReadPlan {
        owner: c.owner_id.map(UserId),
        sponsor: c.sponsor_id.map(UserId),
        in_team: team.contains(&user.user.id),
    }
}

pub fn edit_action(c: &customer::Model) -> Action {
    Action::EditPlan {
        owner: c.owner_id.map(UserId),
    }
}

/// A customer's plan versions, once the user may read them.
pub async fn readable(
    st: &AppState,
    user: &CurrentUser,
    customer_id: i64,
) -> Result<(customer::Model, Vec<plan_version::Model>), ApiError> {
    let c = st.store.customer(customer_id).await?;
    let versions = st.store.plan_versions(customer_id).await?;
    let mut team = team_of(&versions);
    team.extend(st.store.team_user_ids(customer_id).await?);
    user.require(read_action(&c, &team, user))?;
    Ok((c, versions))
}

/// The version `id` whose action `index` `user` may mark in progress, done
/// or cancelled: the action's owner may (unless a viewer), even when the plan
/// is not theirs to open; others need to edit the plan.
pub async fn may_follow_up(
    st: &AppState,
    user: &CurrentUser,
    id: i64,
    index: usize,
) -> Result<plan_version::Model, ApiError> {
    let v = st.store.plan_version(id).await?;
    let owner = v.content().actions.get(index).and_then(|a| a.owner_id);
    if !user.can(clef_domain::policy::Action::UpdateOwnAction {
        owner: owner.map(clef_domain::UserId),
    }) {
        let (c, _) = readable(st, user, v.customer_id).await?;
        user.require(edit_action(&c))?;
    }
    Ok(v)
}

/// What the plans list may be narrowed to: accounts without a plan, or
/// whose latest version stands so.
pub const PLAN_FILTERS: [&str; 5] = ["none", "draft", "submitted", "approved", "archived"];

/// Whether an account of the plans list is kept by `status` (one of
/// [`PLAN_FILTERS`], or empty for any) and `owner` (its owner, or any).
pub fn keeps(r: &clef_store::PlanRow, status: &str, owner: Option<i64>) -> bool {
    let by_status = match (status, &r.latest) {
        ("", _) => true,
        ("none", latest) => latest.is_none(),
        (s, Some(v)) => v.status == s,
        (_, None) => false,
    };
    by_status && owner.is_none_or(|o| r.customer.owner_id == Some(o))
}

/// Checks that the users a plan names exist.
pub async fn check_users(st: &AppState, c: &PlanContent) -> Result<FieldErrors, ApiError> {
    let refs = plan::user_refs(c);
    let mut e = FieldErrors::new();
    if refs.is_empty() {
        return Ok(e);
    }
    let users: std::collections::HashMap<i64, String> = st
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.role))
        .collect();
    for (field, id) in refs {
        match users.get(&id) {
            None => e.push(FieldError::new(
                &field,
                "unknown-reference",
                format!("{field}: there is no user {id}"),
            )),
            // Viewers never write, so they own nothing in a plan.
            Some(role) if role == "viewer" && field.ends_with("owner_id") => {
                e.push(FieldError::new(
                    &field,
                    "viewer-owner",
                    format!("{field}: a viewer cannot own an initiative or an action; choose someone who can act"),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(e)
}

/// Targets beside what the portfolio says, for one year.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PlanVsActual {
    pub year: i64,
    pub target_revenue_cents: Option<i64>,
    pub actual_revenue_cents: i64,
    pub target_margin_cents: Option<i64>,
    pub actual_margin_cents: i64,
    pub target_share_of_wallet_pct: Option<i64>,
    /// Revenue of the year ÷ the customer's estimated wallet, in percent.
    pub actual_share_of_wallet_pct: Option<f64>,
}

/// The plan's yearly targets with the revenue and margin booked each year.
pub async fn plan_vs_actual(
    st: &AppState,
    c: &customer::Model,
    content: &PlanContent,
) -> Result<Vec<PlanVsActual>, ApiError> {
    let lines = st.store.revenue_of(c.id).await?;
    let mut by_year: HashMap<i64, (i64, i64)> = HashMap::new();
    for y in yearly_figures(&lines) {
        if y.currency.as_str() != c.currency {
            continue;
        }
        let e = by_year.entry(i64::from(y.year)).or_default();
        e.0 = e.0.saturating_add(y.revenue_cents);
        e.1 = e.1.saturating_add(y.margin_cents);
    }
    Ok(content
        .targets
        .iter()
        .filter_map(|t| {
            let year = t.year?;
            let (r, m) = by_year.get(&year).copied().unwrap_or_default();
            Some(PlanVsActual {
                year,
                target_revenue_cents: t.revenue_cents,
                actual_revenue_cents: r,
                target_margin_cents: t.margin_cents,
                actual_margin_cents: m,
                target_share_of_wallet_pct: t.share_of_wallet_pct,
                actual_share_of_wallet_pct: c
                    .wallet_cents
                    .filter(|w| *w > 0)
                    .map(|w| r as f64 * 100.0 / w as f64),
            })
        })
        .collect())
}

/// The two documents a plan gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// For our executives.
    ExecutiveSummary,
    /// For the customer's executives: no internal figures, no risks.
    CustomerBrief,
}

/// The formats each document comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    Html,
    Pdf,
    Markdown,
}

/// Reads `executive-summary.pdf` and the like.
pub fn parse_doc_name(name: &str) -> Option<(DocKind, DocFormat)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let kind = match stem {
        "executive-summary" => DocKind::ExecutiveSummary,
        "customer-brief" => DocKind::CustomerBrief,
        _ => return None,
    };
    let fmt = match ext {
        "html" => DocFormat::Html,
        "pdf" => DocFormat::Pdf,
        "md" => DocFormat::Markdown,
        _ => return None,
    };
    Some((kind, fmt))
}

/// What a document is drawn from.
pub struct DocInput<'a> {
    pub customer: &'a customer::Model,
    pub version: &'a plan_version::Model,
    /// The content with the actions' follow-up.
    pub content: &'a PlanContent,
    pub figures: Option<&'a clef_store::customer_figures::Model>,
    pub actuals: &'a [PlanVsActual],
    pub users: &'a HashMap<i64, String>,
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.trim().to_owned()
    }
}

fn date_text(tr: &Tr<'_>, iso: &Option<String>) -> String {
    iso.as_deref().map_or_else(|| "—".into(), |d| tr.iso_day(d))
}

fn subtitle(tr: &Tr<'_>, i: &DocInput<'_>) -> String {
    format!(
        "{} — {} {} · {} {} ({}) · {}",
        i.customer.name,
        tr.t("plan-title"),
        i.version.year,
        tr.t("plan-version"),
        i.version.number,
        tr.choice("plan-status", &i.version.status),
        date_text(tr, &Some(today().to_string()))
    )
}

/// The Executive Summary, for our executives: objective, vision, key
/// figures, initiatives, risks and what we ask of them.
pub fn executive_summary(tr: &Tr<'_>, i: &DocInput<'_>) -> Doc {
    let c = i.content;
    let cur = &i.customer.currency;
    let money = |m: Option<i64>| m.map_or("—".into(), |m| tr.money(m, cur));
    let mut b = vec![
        Block::Heading(tr.t("doc-objective")),
        Block::Para(or_dash(&c.objective)),
        Block::Heading(tr.t("plan-f-vision")),
        Block::Para(or_dash(&c.vision)),
        Block::Heading(tr.t("doc-key-figures")),
    ];
    let mut facts = Vec::new();
    if let Some(f) = i.figures {
        facts.push((tr.t("revenue-12m"), tr.money(f.revenue_12, cur)));
        facts.push((tr.t("margin-12m"), tr.money(f.margin_12, cur)));
        facts.push((
            tr.t("growth"),
            f.growth.map_or("—".into(), |g| tr.percent(g)),
        ));
        facts.push((
            tr.t("share-of-wallet"),
            f.share_of_wallet.map_or("—".into(), |s| tr.percent(s)),
        ));
    }
    facts.push((tr.t("plan-f-stage"), tr.choice("plan-stage", &c.stage)));
    facts.push((
        tr.t("plan-completeness"),
        clef_domain::format_whole_percent(c.completeness_pct(), tr.locale),
    ));
    b.push(Block::Facts(facts));
    if !i.actuals.is_empty() {
        b.push(Block::Table {
            head: vec![
                tr.t("plan-f-year"),
                tr.t("doc-target-revenue"),
                tr.t("doc-actual-revenue"),
                tr.t("doc-target-margin"),
                tr.t("doc-actual-margin"),
            ],
            rows: i
                .actuals
                .iter()
                .map(|a| {
                    vec![
                        a.year.to_string(),
                        money(a.target_revenue_cents),
                        tr.money(a.actual_revenue_cents, cur),
                        money(a.target_margin_cents),
                        tr.money(a.actual_margin_cents, cur),
                    ]
                })
                .collect(),
        });
    }
    b.push(Block::Heading(tr.t("plan-s-initiatives")));
    if c.initiatives.is_empty() {
        b.push(Block::Para("—".into()));
    } else {
        b.push(Block::Table {
            head: vec![
                tr.t("plan-f-title"),
                tr.t("plan-f-owner_id"),
                tr.t("plan-f-status"),
                tr.t("plan-f-expected_value_cents"),
            ],
            rows: c
                .initiatives
                .iter()
                .take(10)
                .map(|x| {
                    vec![
                        x.title.clone(),
                        x.owner_id
                            .and_then(|u| i.users.get(&u).cloned())
                            .unwrap_or_else(|| "—".into()),
                        tr.choice("plan-initiative", &x.status),
                        money(x.expected_value_cents),
                    ]
                })
                .collect(),
        });
    }
    b.push(Block::Heading(tr.t("doc-main-risks")));
    let mut risks: Vec<_> = c.risks.iter().collect();
    risks.sort_by_key(|r| std::cmp::Reverse(r.probability.unwrap_or(0) * r.impact.unwrap_or(0)));
    if risks.is_empty() {
        b.push(Block::Para("—".into()));
    } else {
        let n = |v: Option<i64>| v.map_or("—".into(), |v| v.to_string());
        b.push(Block::Table {
            head: vec![
                tr.t("plan-f-title"),
                tr.t("plan-f-probability"),
                tr.t("plan-f-impact"),
                tr.t("plan-f-mitigation"),
            ],
            rows: risks
                .iter()
                .take(6)
                .map(|r| {
                    vec![
                        r.title.clone(),
                        n(r.probability),
                        n(r.impact),
                        or_dash(&r.mitigation),
                    ]
                })
                .collect(),
        });
    }
    b.push(Block::Heading(tr.t("plan-f-asks")));
    b.push(Block::Para(or_dash(&c.asks)));
    Doc {
        title: format!("{} — {}", tr.t("doc-executive-summary"), i.customer.name),
        subtitle: subtitle(tr, i),
        blocks: b,
        footer: tr.t("doc-internal"),
    }
}

/// The Customer Executive Brief, for the customer's executives: shared
/// goals, value delivered, joint initiatives and next steps. It takes nothing
/// else from the plan: no figures, no money, no risks, no internal notes.
pub fn customer_brief(tr: &Tr<'_>, i: &DocInput<'_>) -> Doc {
    let c = i.content;
    let mut b = vec![
        Block::Heading(tr.t("plan-f-shared_goals")),
        Block::Para(or_dash(&c.shared_goals)),
        Block::Heading(tr.t("plan-f-value_delivered")),
        Block::Para(or_dash(&c.value_delivered)),
    ];
    let projects: Vec<String> = c
        .projects
        .iter()
        .filter(|p| p.status != "stopped")
        .map(|p| {
            let mut s = format!("{} ({})", p.title, tr.choice("plan-project", &p.status));
            if !p.value.trim().is_empty() {
                s.push_str(&format!(" — {}", p.value.trim()));
            }
            s
        })
        .collect();
    if !projects.is_empty() {
        b.push(Block::Bullets(projects));
    }
    b.push(Block::Heading(tr.t("doc-joint-initiatives")));
    let joint: Vec<(usize, &plan::Initiative)> = c
        .initiatives
        .iter()
        .enumerate()
        .filter(|(_, x)| x.joint && x.status != "dropped")
        .collect();
    if joint.is_empty() {
        b.push(Block::Para("—".into()));
    } else {
        b.push(Block::Bullets(
            joint
                .iter()
                .map(|(_, x)| format!("{} — {}", x.title, tr.choice("plan-initiative", &x.status)))
                .collect(),
        ));
    }
    b.push(Block::Heading(tr.t("doc-next-steps")));
    let mut steps: Vec<&plan::PlanAction> = c
        .actions
        .iter()
        .filter(|a| !matches!(a.status.as_str(), "done" | "cancelled"))
        .filter(|a| {
            a.initiative
                .and_then(|n| usize::try_from(n - 1).ok())
                .is_some_and(|n| joint.iter().any(|(j, _)| *j == n))
        })
        .collect();
    steps.sort_by(|a, b| a.due.cmp(&b.due));
    if steps.is_empty() {
        b.push(Block::Para("—".into()));
    } else {
        b.push(Block::Bullets(
            steps
                .iter()
                .map(|a| format!("{} — {}", a.title, date_text(tr, &a.due)))
                .collect(),
        ));
    }
    Doc {
        title: format!("{} — {}", tr.t("doc-customer-brief"), i.customer.name),
        subtitle: date_text(tr, &Some(today().to_string())),
        blocks: b,
        footer: String::new(),
    }
}

/// Names of every user, by id, for documents and pages.
pub async fn user_names(st: &AppState) -> Result<HashMap<i64, String>, ApiError> {
    Ok(st
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// Builds a document of a version the user may read.
pub async fn build_document(
    st: &AppState,
    tr: &Tr<'_>,
    v: &plan_version::Model,
    kind: DocKind,
) -> Result<Doc, ApiError> {
    let view = st.store.customer_view(v.customer_id).await?;
    let content = st.store.effective_content(v).await?;
    let actuals = match kind {
        DocKind::ExecutiveSummary => plan_vs_actual(st, &view.customer, &content).await?,
        DocKind::CustomerBrief => Vec::new(),
    };
    let users = user_names(st).await?;
    let input = DocInput {
        customer: &view.customer,
        version: v,
        content: &content,
        figures: view.figures.as_ref(),
        actuals: &actuals,
        users: &users,
    };
    Ok(match kind {
        DocKind::ExecutiveSummary => executive_summary(tr, &input),
        DocKind::CustomerBrief => customer_brief(tr, &input),
    })
}

/// The file name of a document (ASCII, for the download header).
pub fn file_name(doc: DocKind, customer: &str, number: i64, ext: &str) -> String {
    let stem: String = clef_domain::search_key(customer)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let stem = stem.trim_matches('-');
    let kind = match doc {
        DocKind::ExecutiveSummary => "executive-summary",
        DocKind::CustomerBrief => "customer-brief",
    };
    format!("{kind}-{stem}-v{number}.{ext}")
}

/// A document as an HTTP answer: a printable page, a PDF or Markdown.
/// `links` are shown above the page on screen (downloads, other language),
/// never on paper.
pub fn respond(
    doc: &Doc,
    fmt: DocFormat,
    lang: &str,
    file: &str,
    links: &[(String, String)],
) -> axum::response::Response {
    use axum::{
        http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE},
        response::IntoResponse,
    };
    let private = (CACHE_CONTROL, "private, no-store".to_owned());
    match fmt {
        DocFormat::Pdf => (
            [
                (CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
                private,
            ],
            doc.to_pdf(),
        )
            .into_response(),
        DocFormat::Markdown => (
            [
                (CONTENT_TYPE, "text/markdown; charset=utf-8".to_owned()),
                (
                    CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
                private,
            ],
            doc.to_markdown(),
        )
            .into_response(),
        DocFormat::Html => {
            let esc = clef_domain::escape_xml;
            let nav: String = links
                .iter()
                .map(|(href, label)| format!("<a href=\"{}\">{}</a>", esc(href), esc(label)))
                .collect::<Vec<_>>()
                .join(" · ");
            let page = format!(
                "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><link rel=\"stylesheet\" href=\"/assets/clef.css?v={assets}\"></head>\
<body class=\"document\"><nav class=\"doc-tools\" aria-label=\"document\">{nav}</nav>\
<main class=\"doc\">{body}</main></body></html>\n",
                title = esc(&doc.title),
                assets = crate::ui::asset_version(),
                body = doc.to_html_body(),
            );
            (
                [
                    (CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                    private,
                ],
                page,
            )
                .into_response()
        }
    }
}
