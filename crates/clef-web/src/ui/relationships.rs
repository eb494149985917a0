//! Relationship pages: an account's stakeholder map, links, interactions and
//! team; a contact's stakeholder profile; coverage across the portfolio;
//! the sponsorship plan; colleagues.

use super::{
    Ctx, api_error_page, forbidden,
    forms::{Fields, all, first_values, opt_i64, typed_values, val},
    render,
};
use crate::{
    AppState,
    api::relationships::{
        self as api, ColleagueIn, GapOut, InteractionIn, LinkIn, MapData, SponsorshipOut,
        StakeholderIn, TeamMemberIn, map_data,
    },
    auth::{CurrentUser, UiUser},
    error::ApiError,
    relationships as rel,
};
use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use clef_domain::{FieldError, FieldErrors, policy::Action, relationships::InteractionKind};
use clef_store::{ImportReport, StoreError, Who, colleague};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/relationships", get(page))
        .route("/customers/{id}/relationships/map.svg", get(map_svg))
        .route("/customers/{id}/relationships/links", post(add_link))
        .route(
            "/customers/{id}/relationships/interactions",
            get(interactions_list).post(add_interaction),
        )
        .route("/customers/{id}/relationships/team", post(add_member))
        .route("/customers/{id}/relationships/import", post(import))
        .route(
            "/customers/{id}/relationships/stakeholders.csv",
            get(stakeholders_csv),
        )
        .route("/customers/{id}/relationships/links.csv", get(links_csv))
        .route(
            "/customers/{id}/relationships/interactions.csv",
            get(interactions_csv),
        )
        .route("/customers/{id}/relationships/team.csv", get(team_csv))
        .route("/links/{id}/delete", post(delete_link))
        .route("/links/{id}/update", post(update_link))
        .route("/team-members/{id}/update", post(update_member))
        .route("/interactions/{id}/delete", post(delete_interaction))
        .route("/team-members/{id}/delete", post(remove_member))
        .route(
            "/contacts/{id}/stakeholder",
            get(profile_page).post(save_profile),
        )
        .route("/coverage", get(coverage_page))
        .route("/coverage.csv", get(coverage_csv))
        .route("/sponsorship", get(sponsorship_page).post(save_sponsorship))
        .route("/sponsorship.csv", get(sponsorship_csv))
        .route("/colleagues", get(colleagues_page).post(add_colleague))
        .route("/colleagues.csv", get(colleagues_csv))
        .route(
            "/colleagues/{id}/edit",
            get(edit_colleague_page).post(save_colleague),
        )
        .route(
            "/colleagues/{id}/delete",
            get(delete_colleague_page).post(delete_colleague),
        )
        .route(
            "/colleagues/deleted/{entry}/restore",
            axum::routing::post(restore_colleague),
        )
}

/// "u:12" or "c:3" in a select: one of our people.
fn who_value(w: &Who) -> String {
    match w {
        Who::User(u) => format!("u:{u}"),
        Who::Colleague(c) => format!("c:{c}"),
    }
}

fn parse_who(s: &str) -> Option<Who> {
    let (k, v) = s.split_once(':')?;
    let id = v.trim().parse().ok()?;
    match k {
        "u" => Some(Who::User(id)),
        "c" => Some(Who::Colleague(id)),
        _ => None,
    }
}

// ---------- the account page ----------

pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub job_title: String,
    pub role: String,
    pub level: String,
    pub attitude: String,
    pub attitude_key: String,
    /// 1 for a champion … 5 for an opponent; empty when unknown: the
    /// order the attitude column sorts in.
    pub attitude_rank: String,
    pub influence: String,
    pub boss: String,
    pub last_contact: String,
    /// `YYYY-MM-DD`, or empty: what the last contact column sorts by.
    pub last_contact_on: String,
    pub next_action: String,
    pub gaps: Vec<String>,
}

pub struct LinkView {
    pub id: i64,
    pub version: i64,
    pub frequency_key: String,
    pub contact: String,
    pub ours: String,
    pub strength: i64,
    pub frequency: String,
    pub last: String,
    /// `YYYY-MM-DD`, or empty.
    pub last_on: String,
    pub owner: String,
}

pub struct InteractionView {
    pub id: i64,
    pub date: String,
    /// `YYYY-MM-DD`, as stored.
    pub occurred_on: String,
    pub planned: bool,
    pub kind: String,
    /// `call`, `visit`…
    pub kind_key: String,
    pub subject: String,
    pub theirs: Vec<String>,
    pub ours: Vec<String>,
}

/// Interactions as the rows of a table, in the reader's words.
fn interaction_views(
    ctx: &Ctx<'_>,
    d: &api::MapData,
    its: Vec<clef_store::InteractionRow>,
) -> Vec<InteractionView> {
    let names: HashMap<i64, String> = d
        .rows
        .iter()
        .map(|r| (r.contact.id, rel::contact_name(&r.contact)))
        .collect();
    let today = rel::today().to_string();
    its.into_iter()
        .map(|r| InteractionView {
            id: r.interaction.id,
            date: ctx.tr.iso_day(&r.interaction.occurred_on),
            planned: r.interaction.occurred_on > today,
            kind: ctx.tr.choice("interaction", &r.interaction.kind),
            subject: r.interaction.subject,
            theirs: r
                .contacts
                .iter()
                .filter_map(|c| names.get(c).cloned())
                .collect(),
            ours: r.ours.iter().map(|w| d.people.name(w)).collect(),
            occurred_on: r.interaction.occurred_on,
            kind_key: r.interaction.kind,
        })
        .collect()
}

pub struct MemberView {
    pub id: i64,
    pub version: i64,
    pub function_key: String,
    pub name: String,
    pub function: String,
    pub dedicated: bool,
    pub share: i64,
    pub total: i64,
    pub over: bool,
}

#[derive(Template)]
#[template(path = "relationships.html")]
struct AccountPage<'a> {
    ctx: Ctx<'a>,
    c: clef_store::customer::Model,
    sensitive: bool,
    can_write: bool,
    can_team: bool,
    svg: String,
    people: Vec<PersonRow>,
    links: Vec<LinkView>,
    interactions: Vec<InteractionView>,
    /// Older interactions than those shown exist (the CSV has them all).
    more_interactions: bool,
    team: Vec<MemberView>,
    gaps: Vec<(String, Vec<String>)>,
    days: i64,
    contacts: Vec<(i64, String)>,
    ours: Vec<(String, String)>,
    users: Vec<(i64, String)>,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    notice: Option<Notice>,
    report: Option<ImportReport>,
}

/// What the page says was just done, and the kind of record the
/// customer's history keeps of it, when it was deleted (to restore it).
struct Notice {
    text: String,
    deleted: Option<&'static str>,
}

impl From<String> for Notice {
    fn from(text: String) -> Self {
        Notice {
            text,
            deleted: None,
        }
    }
}

impl AccountPage<'_> {
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
    fn chosen(&self, f: &str, v: impl std::fmt::Display) -> bool {
        super::forms::chosen(&self.typed, f, v)
    }
}

/// How many interactions the relationships page shows, the newest first;
/// the list of interactions has them all.
const INTERACTIONS_SHOWN: u64 = 20;

#[allow(clippy::too_many_arguments)]
async fn account_page(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    notice: Option<Notice>,
    report: Option<ImportReport>,
    status: StatusCode,
) -> Response {
    let here = format!("/customers/{id}/relationships");
    let r = async {
        let d = map_data(st, &u, id).await?;
        // One more than shown: whether there are older ones.
        let its = st.store.interactions_of(id, INTERACTIONS_SHOWN + 1).await?;
        let team = st.store.team(id).await?;
        let colleagues = st.store.colleagues().await?;
        let users = st.store.list_users().await?;
        Ok::<_, ApiError>((d, its, team, colleagues, users))
    }
    .await;
    let ctx = Ctx::new(st, headers, Some(u), &here);
    let (d, its, team, colleagues, users) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let tr = &ctx.tr;
    let names: HashMap<i64, String> = d
        .rows
        .iter()
        .map(|r| (r.contact.id, rel::contact_name(&r.contact)))
        .collect();
    let gap_label = |g: &str| ctx.t(&format!("gap-{}", g.replace('_', "-")));
    let people: Vec<PersonRow> = d
        .rows
        .iter()
        .map(|r| {
            let p = r.profile.as_ref();
            let choice = |prefix: &str, v: Option<&String>| {
                v.map(|v| tr.choice(prefix, v)).unwrap_or_default()
            };
            let att = p.and_then(|p| p.attitude.clone()).filter(|_| d.a.sensitive);
            PersonRow {
                id: r.contact.id,
                name: rel::contact_name(&r.contact),
                job_title: r.contact.job_title.clone().unwrap_or_default(),
                role: choice("buying-role", p.and_then(|p| p.buying_role.as_ref())),
                level: choice("level", p.and_then(|p| p.level.as_ref())),
                attitude: choice("attitude", att.as_ref()),
                attitude_rank: att
                    .as_deref()
                    .and_then(|a| {
                        clef_domain::relationships::Attitude::ALL
                            .iter()
                            .position(|x| x.as_str() == a)
                    })
                    .map(|i| (i + 1).to_string())
                    .unwrap_or_default(),
                attitude_key: att.unwrap_or_default(),
                influence: p
                    .and_then(|p| p.influence)
                    .filter(|_| d.a.sensitive)
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                boss: p
                    .and_then(|p| p.reports_to_id)
                    .and_then(|b| names.get(&b).cloned())
                    .unwrap_or_default(),
                last_contact: r
                    .last_contact
                    .as_deref()
                    .map(|d| ctx.tr.iso_day(d))
                    .unwrap_or_default(),
                last_contact_on: r.last_contact.clone().unwrap_or_default(),
                next_action: p
                    .and_then(|p| p.next_action.clone())
                    .map(|a| match p.and_then(|p| p.next_action_on.as_deref()) {
                        Some(on) => format!("{a} ({})", ctx.tr.iso_day(on)),
                        None => a,
                    })
                    .unwrap_or_default(),
                gaps: d
                    .gaps
                    .get(&r.contact.id)
                    .map(|g| g.iter().map(|g| gap_label(g.as_str())).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let gaps: Vec<(String, Vec<String>)> = people
        .iter()
        .filter(|p| !p.gaps.is_empty())
        .map(|p| (p.name.clone(), p.gaps.clone()))
        .collect();
    let links = d
        .links
        .iter()
        .map(|l| LinkView {
            id: l.link.id,
            version: l.link.version,
            frequency_key: l.link.frequency.clone(),
            contact: names.get(&l.link.contact_id).cloned().unwrap_or_default(),
            ours: l.who().map(|w| d.people.name(&w)).unwrap_or_default(),
            strength: l.link.strength,
            frequency: tr.choice("frequency", &l.link.frequency),
            last: l
                .last_interaction
                .as_deref()
                .map(|x| ctx.tr.iso_day(x))
                .unwrap_or_default(),
            last_on: l.last_interaction.clone().unwrap_or_default(),
            owner: l
                .link
                .owner_id
                .map(|o| d.people.name(&Who::User(o)))
                .unwrap_or_default(),
        })
        .collect();
    let more_interactions = its.len() as u64 > INTERACTIONS_SHOWN;
    let mut interactions = interaction_views(&ctx, &d, its);
    interactions.truncate(INTERACTIONS_SHOWN as usize);
    let team = team
        .iter()
        .map(|m| {
            let o = api::member_out(m, &d.people);
            MemberView {
                id: o.id,
                version: o.version,
                function_key: o.function.clone(),
                name: o.name,
                function: tr.choice("team-function", &o.function),
                dedicated: o.dedicated,
                share: o.share_pct,
                total: o.total_share_pct,
                over: o.over_allocated,
            }
        })
        .collect();
    let mut ours: Vec<(String, String)> = users
        .iter()
        .filter(|u| u.active)
        .map(|u| (who_value(&Who::User(u.id)), u.name.clone()))
        .collect();
    ours.extend(colleagues.iter().map(|c: &colleague::Model| {
        (
            who_value(&Who::Colleague(c.id)),
            format!("{} ({})", c.name, ctx.t("colleague")),
        )
    }));
    let svg = rel::map_svg(
        tr,
        &d.a.customer.name,
        &d.rows,
        &d.links,
        &d.people,
        d.a.sensitive,
    );
    render(
        status,
        &AccountPage {
            sensitive: d.a.sensitive,
            can_write: d.a.write,
            can_team: d.a.manage_team,
            contacts: d
                .rows
                .iter()
                .map(|r| (r.contact.id, rel::contact_name(&r.contact)))
                .collect(),
            users: users
                .iter()
                .filter(|u| u.active)
                .map(|u| (u.id, u.name.clone()))
                .collect(),
            c: d.a.customer,
            svg,
            people,
            links,
            interactions,
            more_interactions,
            team,
            gaps,
            days: d.days,
            ours,
            errors,
            typed,
            notice,
            report,
            ctx,
        },
    )
}

/// What the account page was reached after.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQ {
    /// `link-restored` or `member-restored`: brought back from the history.
    done: String,
}

async fn page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQ>,
) -> Response {
    let deleted = match q.done.as_str() {
        "link-deleted" => Some("relationship_link"),
        "member-removed" => Some("account_team"),
        "interaction-deleted" => Some("interaction"),
        _ => None,
    };
    let notice = match q.done.as_str() {
        done @ ("link-restored"
        | "member-restored"
        | "link-deleted"
        | "member-removed"
        | "interaction-deleted") => Some(Notice {
            text: Ctx::new(&st, &headers, Some(u.clone()), "").t(&format!("done-{done}")),
            deleted,
        }),
        _ => None,
    };
    account_page(
        &st,
        &headers,
        u,
        id,
        FieldErrors::new(),
        HashMap::new(),
        notice,
        None,
        StatusCode::OK,
    )
    .await
}

async fn map_svg(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let r = async {
        let d: MapData = map_data(&st, &u, id).await?;
        let ctx = Ctx::new(&st, &headers, Some(u.clone()), "");
        Ok::<_, ApiError>(rel::map_svg(
            &ctx.tr,
            &d.a.customer.name,
            &d.rows,
            &d.links,
            &d.people,
            d.a.sensitive,
        ))
    }
    .await;
    match r {
        Ok(svg) => (
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "image/svg+xml; charset=utf-8".to_owned(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"stakeholders-{id}.svg\""),
                ),
            ],
            svg,
        )
            .into_response(),
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

/// Runs a form action, then shows the page again: the result as a notice,
/// or the errors beside the fields with what was typed.
async fn after(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    fields: &Fields,
    anchor: &str,
    r: Result<(), ApiError>,
) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/customers/{id}/relationships#{anchor}")).into_response(),
        Err(ApiError::Invalid(e)) => {
            account_page(
                st,
                headers,
                u,
                id,
                e,
                typed_values(fields),
                None,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ApiError::Conflict(m)) => {
            let e = FieldError::new(&format!("{anchor}-form"), "conflict", m).into();
            account_page(
                st,
                headers,
                u,
                id,
                e,
                typed_values(fields),
                None,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(st, headers, Some(u), ""), e),
    }
}

async fn add_link(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let a = rel::access(&st, &u, id).await?;
        if !a.write {
            return Err(ApiError::Forbidden(String::new()));
        }
        let who = parse_who(val(&f, "who"));
        let mut e = FieldErrors::new();
        if who.is_none() {
            e.push(FieldError::new(
                "who",
                "required",
                "who is required: choose one of our people",
            ));
        }
        let Some(contact_id) = opt_i64(val(&f, "contact_id")) else {
            e.push(FieldError::new(
                "contact_id",
                "required",
                "contact_id is required: choose one of their people",
            ));
            return Err(ApiError::Invalid(e));
        };
        let strength = opt_i64(val(&f, "strength")).unwrap_or(0);
        let body = LinkIn {
            contact_id,
            user_id: who.and_then(|w| w.user()),
            colleague_id: who.and_then(|w| w.colleague()),
            owner_id: opt_i64(val(&f, "owner_id")),
            strength,
            frequency: Some(val(&f, "frequency").to_owned()),
            notes: Some(val(&f, "notes").to_owned()),
            version: None,
        };
        if !e.is_empty() {
            return Err(ApiError::Invalid(e));
        }
        let l = api::parse_link(&body).map_err(|e| match e {
            ApiError::Invalid(mut f) => {
                for x in &mut f.0 {
                    if x.field == "user_id" {
                        x.field = "who".into();
                    }
                }
                ApiError::Invalid(f)
            }
            e => e,
        })?;
        st.store.create_link(u.id(), id, &l).await?;
        Ok(())
    }
    .await;
    after(&st, &headers, u, id, &f, "links", r).await
}

async fn add_interaction(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let a = rel::access(&st, &u, id).await?;
        if !a.write {
            return Err(ApiError::Forbidden(String::new()));
        }
        let ours: Vec<Who> = all(&f, "ours").into_iter().filter_map(parse_who).collect();
        let body = InteractionIn {
            kind: val(&f, "kind").to_owned(),
            occurred_on: val(&f, "occurred_on").to_owned(),
            subject: val(&f, "subject").to_owned(),
            notes: Some(val(&f, "interaction_notes").to_owned()),
            contact_ids: all(&f, "contact_ids")
                .into_iter()
                .filter_map(opt_i64)
                .collect(),
            user_ids: ours.iter().filter_map(Who::user).collect(),
            colleague_ids: ours.iter().filter_map(Who::colleague).collect(),
        };
        let x = api::parse_interaction(&body).map_err(|e| match e {
            // The link form's notes are `notes` on the same page.
            ApiError::Invalid(mut f) => {
                for x in &mut f.0 {
                    if x.field == "notes" {
                        x.field = "interaction_notes".into();
                    }
                }
                ApiError::Invalid(f)
            }
            e => e,
        })?;
        st.store.record_interaction(u.id(), id, &x).await?;
        Ok(())
    }
    .await;
    after(&st, &headers, u, id, &f, "interactions", r).await
}

async fn add_member(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let a = rel::access(&st, &u, id).await?;
        if !a.manage_team {
            return Err(ApiError::Forbidden(String::new()));
        }
        let who = parse_who(val(&f, "member"));
        let share = match val(&f, "share_pct").trim() {
            "" => 0,
            s => s.parse().map_err(|_| {
                ApiError::Invalid(
                    FieldError::new(
                        "share_pct",
                        "invalid-number",
                        "share_pct must be a whole number from 0 to 100",
                    )
                    .into(),
                )
            })?,
        };
        let body = TeamMemberIn {
            user_id: who.and_then(|w| w.user()),
            colleague_id: who.and_then(|w| w.colleague()),
            function: val(&f, "function").to_owned(),
            dedicated: !val(&f, "dedicated").is_empty(),
            share_pct: share,
            version: None,
        };
        // The person is chosen in one list: its problems are said there.
        let on_member = |e: ApiError| match e {
            ApiError::Invalid(mut f) => {
                for x in &mut f.0 {
                    if x.field == "user_id" || x.field == "colleague_id" {
                        x.field = "member".into();
                    }
                }
                ApiError::Invalid(f)
            }
            e => e,
        };
        let (who, function, share) = api::parse_member(&body, true).map_err(on_member)?;
        let Some(who) = who else {
            return Err(ApiError::Invalid(
                FieldError::new("member", "required", "choose a person").into(),
            ));
        };
        st.store
            .add_team_member(
                u.id(),
                id,
                &clef_store::TeamInput {
                    who,
                    function,
                    dedicated: body.dedicated,
                    share_pct: share,
                },
            )
            .await
            .map_err(|e| match e {
                // Said beside the person chosen (the API answers 409).
                StoreError::Duplicate(m) => {
                    ApiError::Invalid(FieldError::new("member", "already-in-team", m).into())
                }
                e => e.into(),
            })?;
        Ok(())
    }
    .await;
    after(&st, &headers, u, id, &f, "team", r).await
}

async fn import(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let a = rel::access(&st, &u, id).await?;
        if !a.write {
            return Err(ApiError::Forbidden(String::new()));
        }
        let body = val(&f, "csv").as_bytes().to_vec();
        match val(&f, "what") {
            "links" => crate::relationships_csv::import_links(&st, u.id(), id, &body).await,
            _ => {
                crate::relationships_csv::import_stakeholders(&st, u.id(), id, &body, a.manage_team)
                    .await
            }
        }
    }
    .await;
    match r {
        Ok(rep) if rep.errors.is_empty() => {
            let n = Ctx::new(&st, &headers, Some(u.clone()), "")
                .tr
                .tn("import-done", rep.written);
            account_page(
                &st,
                &headers,
                u,
                id,
                FieldErrors::new(),
                HashMap::new(),
                Some(n.into()),
                None,
                StatusCode::OK,
            )
            .await
        }
        Ok(rep) => {
            account_page(
                &st,
                &headers,
                u,
                id,
                FieldErrors::new(),
                first_values(&f),
                None,
                Some(rep),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

async fn stakeholders_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    match map_data(&st, &u, id).await {
        Ok(d) => api::csv_response(
            &format!("stakeholders-{id}.csv"),
            crate::relationships_csv::stakeholders(&d),
        ),
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

async fn links_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let r = async {
        let d = map_data(&st, &u, id).await?;
        let users = st.store.list_users().await?;
        Ok::<_, ApiError>(crate::relationships_csv::links(&d, &users))
    }
    .await;
    match r {
        Ok(b) => api::csv_response(&format!("links-{id}.csv"), b),
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

/// The interactions list's search, kind, order and page.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct InteractionsQ {
    q: String,
    kind: String,
    sort: String,
    page: String,
    /// `restored`: one was just brought back from the history;
    /// `interaction-deleted`: one was just deleted.
    done: String,
}

/// The orders of the interactions list: its columns.
const INTERACTION_ORDERS: [&str; 3] = ["date", "kind", "subject"];

impl InteractionsQ {
    /// The order asked for; the newest first when none is.
    fn order(&self) -> String {
        let s = self.sort.trim();
        if INTERACTION_ORDERS.contains(&s.trim_start_matches('-')) {
            s.to_owned()
        } else {
            "-date".to_owned()
        }
    }
    /// The kind asked for, when it is one.
    fn kind(&self) -> &str {
        let k = self.kind.trim();
        if InteractionKind::ALL.iter().any(|x| x.as_str() == k) {
            k
        } else {
            ""
        }
    }
    /// The interactions kept by the search (subject or a person's name,
    /// case and accents aside) and the kind, in the order asked for.
    fn apply(&self, mut items: Vec<InteractionView>) -> Vec<InteractionView> {
        let key = clef_domain::search_key(self.q.trim());
        let kind = self.kind();
        let found = |s: &str| clef_domain::search_key(s).contains(&key);
        items.retain(|i| {
            (kind.is_empty() || i.kind_key == kind)
                && (key.is_empty()
                    || found(&i.subject)
                    || i.theirs.iter().chain(&i.ours).any(|n| found(n)))
        });
        let order = self.order();
        match order.trim_start_matches('-') {
            "kind" => items.sort_by_cached_key(|i| {
                (
                    clef_domain::search_key(&i.kind),
                    i.occurred_on.clone(),
                    i.id,
                )
            }),
            "subject" => items.sort_by_cached_key(|i| (clef_domain::search_key(&i.subject), i.id)),
            _ => items.sort_by_cached_key(|i| (i.occurred_on.clone(), i.id)),
        }
        if order.starts_with('-') {
            items.reverse();
        }
        items
    }
    fn href(&self, path: &str, sort: &str) -> String {
        format!(
            "{path}?q={}&kind={}&sort={}",
            super::urlencode(self.q.trim()),
            super::urlencode(self.kind()),
            super::urlencode(sort)
        )
    }
}

#[derive(Template)]
#[template(path = "interactions.html")]
struct InteractionsPage<'a> {
    ctx: Ctx<'a>,
    c: clef_store::customer::Model,
    can_write: bool,
    /// The page shown of those the search keeps.
    items: Vec<InteractionView>,
    slice: super::Slice,
    /// How many the search keeps, and how many there are.
    matching: usize,
    total: usize,
    list: InteractionsQ,
}

impl InteractionsPage<'_> {
    fn path(&self) -> String {
        format!("/customers/{}/relationships/interactions", self.c.id)
    }
    fn sort_link(&self, first: &str) -> String {
        let order = super::next_order(&self.list.order(), first);
        self.list.href(&self.path(), &order)
    }
    fn aria_sort(&self, key: &str) -> &'static str {
        super::aria_order(&self.list.order(), key)
    }
    fn csv_link(&self) -> String {
        self.list
            .href(&format!("{}.csv", self.path()), &self.list.order())
    }
    fn page_link(&self, page: usize) -> String {
        format!(
            "{}&page={page}",
            self.list.href(&self.path(), &self.list.order())
        )
    }
    fn is_kind(&self, k: &str) -> bool {
        self.list.kind() == k
    }
    fn kinds(&self) -> Vec<(&'static str, String)> {
        InteractionKind::ALL
            .iter()
            .map(|k| (k.as_str(), self.ctx.tr.choice("interaction", k.as_str())))
            .collect()
    }
}

/// Every interaction of a customer (as many as a customer can hold), with
/// what names their people, for one who may read them.
async fn all_interactions(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
) -> Result<(api::MapData, Vec<clef_store::InteractionRow>), ApiError> {
    let d = map_data(st, u, id).await?;
    let its = st.store.interactions_of(id, 100_000).await?;
    Ok((d, its))
}

/// Every interaction of a customer, searched, sorted and in pages.
async fn interactions_list(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::extract::Query(list): axum::extract::Query<InteractionsQ>,
) -> Response {
    let r = all_interactions(&st, &u, id).await;
    let here = format!(
        "{}&page={}",
        list.href(
            &format!("/customers/{id}/relationships/interactions"),
            &list.order()
        ),
        super::urlencode(list.page.trim())
    );
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let (d, its) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let all = interaction_views(&ctx, &d, its);
    let total = all.len();
    let kept = list.apply(all);
    let matching = kept.len();
    let (items, slice) = super::slice(kept, &list.page, 50);
    render(
        StatusCode::OK,
        &InteractionsPage {
            can_write: d.a.write,
            c: d.a.customer,
            ctx,
            items,
            slice,
            matching,
            total,
            list,
        },
    )
}

/// A customer's interactions (planned ones included) as CSV: those the
/// list's search and kind keep, in its order (the newest first).
async fn interactions_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::extract::Query(list): axum::extract::Query<InteractionsQ>,
) -> Response {
    let r = all_interactions(&st, &u, id).await;
    let ctx = Ctx::new(&st, &headers, Some(u), "");
    let (d, its) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let items = list.apply(interaction_views(&ctx, &d, its));
    let cell = clef_store::import::cell;
    super::csv_download(
        &format!("interactions-{id}.csv"),
        &[
            "id",
            "date",
            "kind",
            "subject",
            "their_people",
            "our_people",
        ],
        items.into_iter().map(|i| {
            vec![
                i.id.to_string(),
                i.occurred_on,
                i.kind_key,
                cell(&i.subject),
                cell(&i.theirs.join("; ")),
                cell(&i.ours.join("; ")),
            ]
        }),
    )
}

/// A customer's account team, as CSV.
async fn team_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let r = async {
        let d = map_data(&st, &u, id).await?;
        let team = st.store.team(id).await?;
        Ok::<_, ApiError>((d, team))
    }
    .await;
    let (d, team) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    };
    let cell = clef_store::import::cell;
    super::csv_download(
        &format!("team-{id}.csv"),
        &[
            "name",
            "function",
            "dedicated",
            "share_pct",
            "total_share_pct",
            "over_allocated",
        ],
        team.iter().map(|m| {
            let o = api::member_out(m, &d.people);
            vec![
                cell(&o.name),
                o.function,
                o.dedicated.to_string(),
                o.share_pct.to_string(),
                o.total_share_pct.to_string(),
                o.over_allocated.to_string(),
            ]
        }),
    )
}

async fn delete_link(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(lid): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let l = st.store.link(lid).await?;
        if !rel::access(&st, &u, l.customer_id).await?.write {
            return Err(ApiError::Forbidden(String::new()));
        }
        if !super::confirmed(&f) {
            return Ok(Err(l.customer_id));
        }
        st.store
            .delete_link(u.id(), lid, super::row_version(&f))
            .await?;
        Ok::<_, ApiError>(Ok(l.customer_id))
    }
    .await;
    let r = match r {
        Ok(Err(cid)) => {
            return super::confirm_removal(
                Ctx::new(&st, &headers, Some(u), ""),
                "confirm-remove",
                "remove",
                (
                    format!("/links/{lid}/delete"),
                    format!("/customers/{cid}/relationships#links"),
                ),
                Vec::new(),
                super::row_version(&f).unwrap_or(0),
            );
        }
        Ok(Ok(cid)) => Ok(cid),
        Err(e) => Err(e),
    };
    match r {
        Ok(cid) => Redirect::to(&format!(
            "/customers/{cid}/relationships?done=link-deleted#links"
        ))
        .into_response(),
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

/// A row's field errors, shown above its section's form.
fn on_row(e: ApiError, anchor: &str) -> ApiError {
    match e {
        ApiError::Invalid(mut f) => {
            for x in &mut f.0 {
                x.field = format!("{anchor}-form");
            }
            ApiError::Invalid(f)
        }
        e => e,
    }
}

/// Changes a link's strength and frequency from its row.
async fn update_link(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(lid): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let mut cid = 0;
    let r = async {
        let l = st.store.link(lid).await?;
        cid = l.customer_id;
        if !rel::access(&st, &u, l.customer_id).await?.write {
            return Err(ApiError::Forbidden(String::new()));
        }
        let body = LinkIn {
            contact_id: l.contact_id,
            user_id: l.user_id,
            colleague_id: l.colleague_id,
            owner_id: l.owner_id,
            strength: opt_i64(val(&f, "strength")).unwrap_or(0),
            frequency: Some(val(&f, "frequency").to_owned()),
            notes: l.notes.clone(),
            version: None,
        };
        let input = api::parse_link(&body).map_err(|e| on_row(e, "links"))?;
        let v = super::shown_version(val(&f, "version"));
        st.store.update_link(u.id(), lid, v, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    if cid == 0 {
        return api_error_page(
            Ctx::new(&st, &headers, Some(u), ""),
            r.err().unwrap_or(ApiError::NotFound(String::new())),
        );
    }
    after(&st, &headers, u, cid, &f, "links", r).await
}

/// Changes a team member's function, share and dedication from their row.
async fn update_member(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(mid): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let mut cid = 0;
    let r = async {
        let m = st.store.team_member(mid).await?;
        cid = m.customer_id;
        if !rel::access(&st, &u, m.customer_id).await?.manage_team {
            return Err(ApiError::Forbidden(String::new()));
        }
        let body = TeamMemberIn {
            user_id: None,
            colleague_id: None,
            function: val(&f, "function").to_owned(),
            dedicated: !val(&f, "dedicated").is_empty(),
            share_pct: opt_i64(val(&f, "share_pct")).unwrap_or(-1),
            version: None,
        };
        let (_, function, share) =
            api::parse_member(&body, false).map_err(|e| on_row(e, "team"))?;
        let v = super::shown_version(val(&f, "version"));
        st.store
            .update_team_member(u.id(), mid, v, function, body.dedicated, share)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    if cid == 0 {
        return api_error_page(
            Ctx::new(&st, &headers, Some(u), ""),
            r.err().unwrap_or(ApiError::NotFound(String::new())),
        );
    }
    after(&st, &headers, u, cid, &f, "team", r).await
}

async fn delete_interaction(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(iid): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let i = st.store.interaction(iid).await?;
        if !rel::access(&st, &u, i.customer_id).await?.write {
            return Err(ApiError::Forbidden(String::new()));
        }
        if !super::confirmed(&f) {
            return Ok(Err(i.customer_id));
        }
        st.store.delete_interaction(u.id(), iid).await?;
        Ok::<_, ApiError>(Ok(i.customer_id))
    }
    .await;
    // Back where the removal was asked: the account's page, or the list
    // of its interactions as it was searched, sorted and paged.
    let back = |cid: i64| {
        let list = format!("/customers/{cid}/relationships/interactions");
        let next = val(&f, "next");
        if next == list || next.starts_with(&format!("{list}?")) {
            super::local_next(next, list)
        } else {
            format!("/customers/{cid}/relationships#interactions")
        }
    };
    let r = match r {
        Ok(Err(cid)) => {
            let next = back(cid);
            return super::confirm_removal(
                Ctx::new(&st, &headers, Some(u), ""),
                "confirm-remove",
                "remove",
                (format!("/interactions/{iid}/delete"), next.clone()),
                vec![("next".to_owned(), next)],
                0,
            );
        }
        Ok(Ok(cid)) => Ok(cid),
        Err(e) => Err(e),
    };
    match r {
        Ok(cid) => {
            // The same place, saying what was done.
            let to = back(cid);
            let (path, anchor) = to.split_once('#').unwrap_or((to.as_str(), ""));
            let join = if path.contains('?') { '&' } else { '?' };
            let anchor = if anchor.is_empty() {
                String::new()
            } else {
                format!("#{anchor}")
            };
            Redirect::to(&format!("{path}{join}done=interaction-deleted{anchor}")).into_response()
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

async fn remove_member(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(mid): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let r = async {
        let m = st.store.team_member(mid).await?;
        if !rel::access(&st, &u, m.customer_id).await?.manage_team {
            return Err(ApiError::Forbidden(String::new()));
        }
        if !super::confirmed(&f) {
            return Ok(Err(m.customer_id));
        }
        st.store
            .remove_team_member(u.id(), mid, super::row_version(&f))
            .await?;
        Ok::<_, ApiError>(Ok(m.customer_id))
    }
    .await;
    let r = match r {
        Ok(Err(cid)) => {
            return super::confirm_removal(
                Ctx::new(&st, &headers, Some(u), ""),
                "confirm-remove",
                "remove",
                (
                    format!("/team-members/{mid}/delete"),
                    format!("/customers/{cid}/relationships#team"),
                ),
                Vec::new(),
                super::row_version(&f).unwrap_or(0),
            );
        }
        Ok(Ok(cid)) => Ok(cid),
        Err(e) => Err(e),
    };
    match r {
        Ok(cid) => Redirect::to(&format!(
            "/customers/{cid}/relationships?done=member-removed#team"
        ))
        .into_response(),
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

// ---------- a contact's profile ----------

#[derive(Template)]
#[template(path = "stakeholder_form.html")]
struct ProfilePage<'a> {
    ctx: Ctx<'a>,
    c: clef_store::customer::Model,
    contact: clef_store::contact::Model,
    others: Vec<(i64, String)>,
    sensitive: bool,
    typed: HashMap<String, String>,
    errors: FieldErrors,
}

impl ProfilePage<'_> {
    /// The fields with a problem (a save that came too late is said apart).
    fn problems(&self) -> u64 {
        super::forms::field_problems(&self.errors)
    }
    fn err(&self, f: &str) -> Option<String> {
        self.errors.get(f).map(|e| self.ctx.field_message(e))
    }
    fn typed(&self, f: &str) -> String {
        self.typed.get(f).cloned().unwrap_or_default()
    }
    fn is_typed(&self, f: &str, v: &str) -> bool {
        self.typed.get(f).is_some_and(|t| t == v)
    }
}

async fn profile_view(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    cid: i64,
    typed: Option<HashMap<String, String>>,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let here = format!("/contacts/{cid}/stakeholder");
    let r = async {
        let contact = st.store.contact(cid).await?;
        let d = map_data(st, &u, contact.customer_id).await?;
        if !d.a.write {
            return Err(ApiError::Forbidden(String::new()));
        }
        Ok::<_, ApiError>((contact, d))
    }
    .await;
    let ctx = Ctx::new(st, headers, Some(u), &here);
    let (contact, d) = match r {
        Ok(x) => x,
        Err(e) => return api_error_page(ctx, e),
    };
    let typed = typed.unwrap_or_else(|| {
        let p = d
            .rows
            .iter()
            .find(|r| r.contact.id == cid)
            .and_then(|r| r.profile.clone());
        let mut m = HashMap::new();
        if let Some(p) = p {
            let mut put = |k: &str, v: Option<String>| {
                m.insert(k.to_owned(), v.unwrap_or_default());
            };
            put("buying_role", p.buying_role);
            put("level", p.level);
            put("function", p.function);
            put("reports_to_id", p.reports_to_id.map(|i| i.to_string()));
            put("attitude", p.attitude);
            put("influence", p.influence.map(|i| i.to_string()));
            put("next_action", p.next_action);
            put("next_action_on", p.next_action_on);
            put("version", Some(p.version.to_string()));
        }
        m
    });
    render(
        status,
        &ProfilePage {
            others: d
                .rows
                .iter()
                .filter(|r| r.contact.id != cid)
                .map(|r| (r.contact.id, rel::contact_name(&r.contact)))
                .collect(),
            sensitive: d.a.sensitive,
            c: d.a.customer,
            contact,
            typed,
            errors,
            ctx,
        },
    )
}

async fn profile_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(cid): Path<i64>,
) -> Response {
    profile_view(
        &st,
        &headers,
        u,
        cid,
        None,
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

async fn save_profile(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(cid): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let typed = first_values(&f);
    let mut e = FieldErrors::new();
    let influence = match val(&f, "influence").trim() {
        "" => None,
        s => match s.parse() {
            Ok(i) => Some(i),
            Err(_) => {
                e.push(FieldError::new(
                    "influence",
                    "out-of-range",
                    "influence must be from 1 to 5",
                ));
                None
            }
        },
    };
    let body = StakeholderIn {
        version: opt_i64(val(&f, "version")),
        buying_role: Some(val(&f, "buying_role").to_owned()),
        level: Some(val(&f, "level").to_owned()),
        function: Some(val(&f, "function").to_owned()),
        reports_to_id: opt_i64(val(&f, "reports_to_id")),
        attitude: Some(val(&f, "attitude").to_owned()),
        influence,
        next_action: Some(val(&f, "next_action").to_owned()),
        next_action_on: Some(val(&f, "next_action_on").to_owned()),
    };
    let r = async {
        let contact = st.store.contact(cid).await?;
        let a = rel::access(&st, &u, contact.customer_id).await?;
        if !a.write {
            return Err(ApiError::Forbidden(String::new()));
        }
        let mut input = body.input();
        if !a.sensitive {
            // Fields the user cannot see stay as they are.
            let before = st
                .store
                .stakeholders_of(contact.customer_id, &rel::today().to_string())
                .await?;
            let p = before
                .iter()
                .find(|r| r.contact.id == cid)
                .and_then(|r| r.profile.clone());
            input.attitude = p.as_ref().and_then(|p| p.attitude.clone());
            input.influence = p.and_then(|p| p.influence);
        }
        let s = match input.parse() {
            Ok(s) if e.is_empty() => s,
            Ok(_) => return Err(ApiError::Invalid(e.clone())),
            Err(mut more) => {
                more.0.extend(e.0.clone());
                return Err(ApiError::Invalid(more));
            }
        };
        st.store
            .set_stakeholder(u.id(), cid, body.version.or(Some(0)), &s)
            .await?;
        Ok(contact.customer_id)
    }
    .await;
    match r {
        Ok(customer) => Redirect::to(&format!("/customers/{customer}/relationships#stakeholders"))
            .into_response(),
        Err(ApiError::Invalid(e)) => {
            profile_view(
                &st,
                &headers,
                u,
                cid,
                Some(typed),
                e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ApiError::Conflict(m)) => {
            let e = FieldError::new("version", "stale", m).into();
            profile_view(&st, &headers, u, cid, Some(typed), e, StatusCode::CONFLICT).await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), ""), e),
    }
}

// ---------- coverage ----------

#[derive(Template)]
#[template(path = "coverage.html")]
struct CoveragePage<'a> {
    ctx: Ctx<'a>,
    days: i64,
    /// The page shown of the gaps the search and the gap filter keep, how
    /// many they keep, and how many there are.
    items: Vec<GapOut>,
    slice: super::Slice,
    matching: usize,
    total: usize,
    /// The list's order: `customer`, `name` or `last_contact` (`-` reverses).
    sort: String,
    q: CoverageQ,
}

/// The orders of the coverage list.
const COVERAGE_ORDERS: [&str; 3] = ["customer", "name", "last_contact"];

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
struct CoverageQ {
    sort: String,
    /// Words of the customer's or the person's name.
    q: String,
    /// One kind of gap (its code), or all.
    gap: String,
    page: String,
}

/// The kinds of gap the list can be narrowed to.
const GAP_KINDS: [&str; 3] = [
    "uncovered_influential",
    "not_met",
    "opponent_without_action",
];

impl CoverageQ {
    fn gap(&self) -> &str {
        GAP_KINDS
            .iter()
            .find(|g| **g == self.gap.trim())
            .copied()
            .unwrap_or("")
    }
    /// The gaps kept by the search (customer or person, case and accents
    /// aside) and the gap filter, in the order `sort`.
    fn apply(&self, mut items: Vec<GapOut>, sort: &str) -> Vec<GapOut> {
        let key = clef_domain::search_key(self.q.trim());
        let gap = self.gap();
        items.retain(|i| {
            (gap.is_empty() || i.gaps.iter().any(|g| g == gap))
                && (key.is_empty()
                    || clef_domain::search_key(&i.customer_name).contains(&key)
                    || clef_domain::search_key(&i.name).contains(&key))
        });
        sort_gaps(&mut items, sort);
        items
    }
    fn href(&self, path: &str, sort: &str) -> String {
        format!(
            "{path}?q={}&gap={}&sort={}",
            super::urlencode(&self.q),
            super::urlencode(self.gap()),
            super::urlencode(sort)
        )
    }
}

/// Orders the gaps by `sort` (never contacted before the oldest contact;
/// ties by customer, then name), accents and case aside.
fn sort_gaps(items: &mut [GapOut], sort: &str) {
    let key = |s: &str| clef_domain::search_key(s);
    match sort.trim_start_matches('-') {
        "name" => items.sort_by_cached_key(|i| (key(&i.name), key(&i.customer_name))),
        "last_contact" => items.sort_by_cached_key(|i| {
            (
                i.last_contact.clone().unwrap_or_default(),
                key(&i.customer_name),
                key(&i.name),
            )
        }),
        _ => items.sort_by_cached_key(|i| (key(&i.customer_name), key(&i.name))),
    }
    if sort.starts_with('-') {
        items.reverse();
    }
}

impl CoveragePage<'_> {
    fn sort_link(&self, first: &str) -> String {
        self.q
            .href("/coverage", &super::next_order(&self.sort, first))
    }
    fn csv_link(&self) -> String {
        self.q.href("/coverage.csv", &self.sort)
    }
    fn page_link(&self, page: usize) -> String {
        format!("{}&page={page}", self.q.href("/coverage", &self.sort))
    }
    fn gap_kinds(&self) -> &'static [&'static str] {
        &GAP_KINDS
    }
    fn aria_sort(&self, key: &str) -> &'static str {
        super::aria_order(&self.sort, key)
    }
    fn gap(&self, g: &str) -> String {
        self.ctx.t(&format!("gap-{}", g.replace('_', "-")))
    }
    fn date(&self, d: &Option<String>) -> String {
        d.as_deref()
            .map(|d| self.ctx.tr.iso_day(d))
            .unwrap_or_else(|| self.ctx.t("never"))
    }
}

async fn coverage_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<CoverageQ>,
) -> Response {
    let r = api::coverage_of(&st, &u, None).await;
    let sort = super::list_order(q.sort.trim(), &COVERAGE_ORDERS);
    let here = format!(
        "{}&page={}",
        q.href("/coverage", &sort),
        super::urlencode(q.page.trim())
    );
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    match r {
        Ok(c) => {
            let total = c.items.len();
            let kept = q.apply(c.items, &sort);
            let matching = kept.len();
            let (items, slice) = super::slice(kept, &q.page, 50);
            render(
                StatusCode::OK,
                &CoveragePage {
                    ctx,
                    days: c.coverage_days,
                    items,
                    slice,
                    matching,
                    total,
                    sort,
                    q,
                },
            )
        }
        Err(e) => api_error_page(ctx, e),
    }
}

/// The same gaps as CSV, each gap by its code (`;` between several).
async fn coverage_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<CoverageQ>,
) -> Response {
    let r = api::coverage_of(&st, &u, None).await;
    let mut c = match r {
        Ok(c) => c,
        Err(e) => return api_error_page(Ctx::new(&st, &headers, Some(u), "/coverage"), e),
    };
    c.items = q.apply(c.items, &super::list_order(q.sort.trim(), &COVERAGE_ORDERS));
    let cell = clef_store::import::cell;
    super::csv_download(
        "coverage.csv",
        &[
            "customer_id",
            "customer",
            "contact_id",
            "name",
            "gaps",
            "last_contact",
        ],
        c.items.iter().map(|i| {
            vec![
                i.customer_id.to_string(),
                cell(&i.customer_name),
                i.contact_id.to_string(),
                cell(&i.name),
                i.gaps.join(";"),
                i.last_contact.clone().unwrap_or_default(),
            ]
        }),
    )
}

// ---------- sponsorship ----------

#[derive(Template)]
#[template(path = "sponsorship.html")]
struct SponsorshipPage<'a> {
    ctx: Ctx<'a>,
    /// Its `accounts` are the page shown of those the search keeps.
    s: SponsorshipOut,
    list: SponsorQ,
    slice: super::Slice,
    /// How many key accounts the search keeps, and how many there are.
    matching: usize,
    total: usize,
    days: i64,
    can_manage: bool,
    candidates: Vec<(i64, String)>,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    saved: bool,
}

/// The matrix's search (a customer's name), its "without a sponsor only"
/// filter, and its page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct SponsorQ {
    q: String,
    without: String,
    page: String,
}

impl SponsorQ {
    fn only_without(&self) -> bool {
        !self.without.trim().is_empty()
    }
    fn apply(&self, accounts: Vec<api::SponsoredOut>) -> Vec<api::SponsoredOut> {
        let key = clef_domain::search_key(self.q.trim());
        accounts
            .into_iter()
            .filter(|a| {
                (!self.only_without() || a.sponsor_id.is_none())
                    && (key.is_empty() || clef_domain::search_key(&a.customer_name).contains(&key))
            })
            .collect()
    }
    fn href(&self, path: &str) -> String {
        format!(
            "{path}?q={}&without={}",
            super::urlencode(&self.q),
            if self.only_without() { "1" } else { "" }
        )
    }
}

impl SponsorshipPage<'_> {
    fn csv_link(&self) -> String {
        self.list.href("/sponsorship.csv")
    }
    fn page_link(&self, page: usize) -> String {
        format!("{}&page={page}", self.list.href("/sponsorship"))
    }
    fn err(&self, f: &str) -> Option<String> {
        self.errors.get(f).map(|e| self.ctx.field_message(e))
    }
    fn typed_or(&self, f: &str, d: &i64) -> String {
        self.typed.get(f).cloned().unwrap_or_else(|| d.to_string())
    }
    fn date(&self, d: &Option<String>) -> String {
        d.as_deref()
            .map(|d| self.ctx.tr.iso_day(d))
            .unwrap_or_else(|| "—".into())
    }
    fn over(&self, a: &api::SponsoredOut) -> bool {
        a.sponsor_id.is_some_and(|s| {
            self.s
                .sponsors
                .iter()
                .any(|x| x.user_id == s && x.over_limit)
        })
    }
    fn sponsored_by(&self, a: &api::SponsoredOut, id: &i64) -> bool {
        a.sponsor_id == Some(*id)
    }
}

#[allow(clippy::too_many_arguments)]
async fn sponsorship_view(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    list: SponsorQ,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    saved: bool,
    status: StatusCode,
) -> Response {
    let r = async {
        let s = api::sponsorship_of(st).await?;
        let days = st.store.settings().await?.coverage_days;
        let users = st.store.list_users().await?;
        Ok::<_, ApiError>((s, days, users))
    }
    .await;
    let can_manage = u.can(Action::ManageProgram);
    // The language switch keeps the search, the filter and the page.
    let here = format!(
        "{}&page={}",
        list.href("/sponsorship"),
        super::urlencode(list.page.trim())
    );
    let ctx = Ctx::new(st, headers, Some(u), &here);
    match r {
        Ok((mut s, days, users)) => {
            let total = s.accounts.len();
            let kept = list.apply(std::mem::take(&mut s.accounts));
            let matching = kept.len();
            let (shown, slice) = super::slice(kept, &list.page, 50);
            s.accounts = shown;
            render(
                status,
                &SponsorshipPage {
                    candidates: users
                        .iter()
                        .filter(|u| u.active && matches!(u.role.as_str(), "sponsor" | "director"))
                        .map(|u| (u.id, u.name.clone()))
                        .collect(),
                    ctx,
                    s,
                    list,
                    slice,
                    matching,
                    total,
                    days,
                    can_manage,
                    errors,
                    typed,
                    saved,
                },
            )
        }
        Err(e) => api_error_page(ctx, e),
    }
}

/// The key accounts with their sponsors, as the matrix's search keeps
/// them (every page), as CSV.
async fn sponsorship_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(list): Query<SponsorQ>,
) -> Response {
    let mut s = match api::sponsorship_of(&st).await {
        Ok(s) => s,
        Err(e) => return api_error_page(Ctx::new(&st, &headers, Some(u), "/sponsorship"), e),
    };
    s.accounts = list.apply(std::mem::take(&mut s.accounts));
    let cell = clef_store::import::cell;
    super::csv_download(
        "sponsorship.csv",
        &[
            "customer_id",
            "customer",
            "sponsor_id",
            "sponsor",
            "last_contact",
            "next_contact",
        ],
        s.accounts.iter().map(|a| {
            vec![
                a.customer_id.to_string(),
                cell(&a.customer_name),
                a.sponsor_id.map(|x| x.to_string()).unwrap_or_default(),
                cell(a.sponsor_name.as_deref().unwrap_or_default()),
                a.last_contact.clone().unwrap_or_default(),
                a.next_contact.clone().unwrap_or_default(),
            ]
        }),
    )
}

async fn sponsorship_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(list): Query<SponsorQ>,
) -> Response {
    sponsorship_view(
        &st,
        &headers,
        u,
        list,
        FieldErrors::new(),
        HashMap::new(),
        false,
        StatusCode::OK,
    )
    .await
}

/// Saves the settings, or one account's sponsor (`customer_id` + `sponsor_id`).
async fn save_sponsorship(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    if !u.can(Action::ManageProgram) {
        return forbidden(Ctx::new(&st, &headers, Some(u), "/sponsorship"));
    }
    let r = async {
        if let Some(c) = opt_i64(val(&f, "customer_id")) {
            // The sponsor the matrix showed, when it says.
            let seen = f
                .iter()
                .any(|(k, _)| k == "was_sponsor_id")
                .then(|| opt_i64(val(&f, "was_sponsor_id")));
            // A choice that is no one's id is refused, not taken as none.
            let mut e = FieldErrors::new();
            let sponsor = super::forms::opt_int(&mut e, "sponsor_id", val(&f, "sponsor_id"));
            if !e.is_empty() {
                return Err(ApiError::Invalid(e));
            }
            st.store.set_sponsor(u.id(), c, sponsor, seen).await?;
            return Ok(());
        }
        let mut e = FieldErrors::new();
        let mut num = |k: &str| match val(&f, k).trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.push(FieldError::new(
                    k,
                    "invalid-number",
                    format!("{k} must be a whole number"),
                ));
                None
            }
        };
        let (days, limit) = (num("coverage_days"), num("sponsor_limit"));
        let (Some(coverage_days), Some(sponsor_limit)) = (days, limit) else {
            return Err(ApiError::Invalid(e));
        };
        // The settings the form showed, when it says.
        let seen = match (
            opt_i64(val(&f, "was_coverage_days")),
            opt_i64(val(&f, "was_sponsor_limit")),
        ) {
            (Some(coverage_days), Some(sponsor_limit)) => Some(clef_store::Settings {
                coverage_days,
                sponsor_limit,
            }),
            _ => None,
        };
        st.store
            .set_settings(
                u.id(),
                &clef_store::Settings {
                    coverage_days,
                    sponsor_limit,
                },
                seen.as_ref(),
            )
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match r {
        Ok(()) => {
            // The matrix as it was: its search, filter and page.
            let list = SponsorQ {
                q: val(&f, "q").to_owned(),
                without: val(&f, "without").to_owned(),
                page: val(&f, "page").to_owned(),
            };
            sponsorship_view(
                &st,
                &headers,
                u,
                list,
                FieldErrors::new(),
                HashMap::new(),
                true,
                StatusCode::OK,
            )
            .await
        }
        Err(ApiError::Invalid(e)) => {
            sponsorship_view(
                &st,
                &headers,
                u,
                SponsorQ::default(),
                e,
                first_values(&f),
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), "/sponsorship"), e),
    }
}

// ---------- colleagues ----------

#[derive(Template)]
#[template(path = "colleagues.html")]
struct ColleaguesPage<'a> {
    ctx: Ctx<'a>,
    /// The page shown of the colleagues the search finds, in the list's
    /// order; how many it finds and how many there are.
    items: Vec<colleague::Model>,
    list: ColleaguesQ,
    slice: super::Slice,
    matching: usize,
    total: usize,
    units: HashMap<i64, String>,
    can_add: bool,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    notice: Option<String>,
    /// Colleagues deleted and not restored, with who deleted them, for
    /// those who may restore them.
    deleted: Vec<(clef_store::DeletedColleague, String)>,
}

impl ColleaguesPage<'_> {
    fn err(&self, f: &str) -> Option<String> {
        self.errors.get(f).map(|e| self.ctx.field_message(e))
    }
    fn typed(&self, f: &str) -> String {
        self.typed.get(f).cloned().unwrap_or_default()
    }
    fn unit(&self, id: &Option<i64>) -> String {
        id.and_then(|i| self.units.get(&i).cloned())
            .unwrap_or_default()
    }
    fn sort_link(&self, key: &str) -> String {
        self.list
            .href("/colleagues", &super::next_order(&self.list.order(), key))
    }
    fn aria_sort(&self, key: &str) -> &'static str {
        super::aria_order(&self.list.order(), key)
    }
    fn csv_link(&self) -> String {
        self.list.href("/colleagues.csv", &self.list.order())
    }
    fn page_link(&self, page: usize) -> String {
        format!(
            "{}&page={page}",
            self.list.href("/colleagues", &self.list.order())
        )
    }
}

/// The colleagues list's search, order and page, as its query gives them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ColleaguesQ {
    q: String,
    sort: String,
    page: String,
    /// What the page that sent the reader here just did.
    done: String,
}

/// The orders of the colleagues list.
const COLLEAGUE_ORDERS: [&str; 3] = ["name", "function", "unit"];

impl ColleaguesQ {
    fn order(&self) -> String {
        super::list_order(self.sort.trim(), &COLLEAGUE_ORDERS)
    }
    /// The colleagues whose name, function or e-mail holds the search
    /// (case and accents aside), in the list's order.
    fn apply(
        &self,
        items: Vec<colleague::Model>,
        units: &HashMap<i64, String>,
    ) -> Vec<colleague::Model> {
        let key = clef_domain::search_key(self.q.trim());
        let mut items: Vec<colleague::Model> = items
            .into_iter()
            .filter(|c| {
                key.is_empty()
                    || [Some(&c.name), c.function.as_ref(), c.email.as_ref()]
                        .into_iter()
                        .flatten()
                        .any(|t| clef_domain::search_key(t).contains(&key))
            })
            .collect();
        let order = self.order();
        let text = |c: &colleague::Model| -> String {
            match order.trim_start_matches('-') {
                "function" => clef_domain::search_key(c.function.as_deref().unwrap_or("")),
                "unit" => clef_domain::search_key(
                    c.business_unit_id
                        .and_then(|b| units.get(&b))
                        .map_or("", String::as_str),
                ),
                _ => String::new(),
            }
        };
        // Within an equal value, by name (as the store gives them).
        items.sort_by_cached_key(|c| (text(c), clef_domain::search_key(&c.name)));
        if order.starts_with('-') {
            items.reverse();
        }
        items
    }
    fn href(&self, path: &str, sort: &str) -> String {
        format!(
            "{path}?q={}&sort={}",
            super::urlencode(&self.q),
            super::urlencode(sort)
        )
    }
}

async fn colleagues_view(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    list: ColleaguesQ,
    errors: FieldErrors,
    typed: HashMap<String, String>,
    status: StatusCode,
) -> Response {
    let can_add = u.can(Action::ManageColleagues);
    let r = async {
        let items = st.store.colleagues().await?;
        let units = st
            .store
            .list_business_units()
            .await?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        let deleted = if can_add {
            let deleted = st.store.deleted_colleagues().await?;
            super::with_deleters(st, deleted, |c| c.deleted_by).await?
        } else {
            Vec::new()
        };
        Ok::<_, ApiError>((items, units, deleted))
    }
    .await;
    // The language switch keeps the search, the order and the page.
    let here = format!(
        "{}&page={}",
        list.href("/colleagues", &list.order()),
        super::urlencode(list.page.trim())
    );
    let ctx = Ctx::new(st, headers, Some(u), &here);
    let notice = ["colleague-deleted", "colleague-restored"]
        .contains(&list.done.as_str())
        .then(|| ctx.t(&format!("done-{}", list.done)));
    match r {
        Ok((items, units, deleted)) => {
            let total = items.len();
            let found = list.apply(items, &units);
            let matching = found.len();
            let (items, slice) = super::slice(found, &list.page, 50);
            render(
                status,
                &ColleaguesPage {
                    ctx,
                    items,
                    list,
                    slice,
                    matching,
                    total,
                    units,
                    can_add,
                    errors,
                    typed,
                    notice,
                    deleted,
                },
            )
        }
        Err(e) => api_error_page(ctx, e),
    }
}

/// Brings a deleted colleague back; the list opens on them, with a notice.
async fn restore_colleague(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(entry): Path<i64>,
) -> Response {
    if !u.can(Action::ManageColleagues) {
        return super::forbidden(Ctx::new(&st, &headers, Some(u), "/colleagues"));
    }
    match st.store.restore_colleague(u.id(), entry).await {
        Ok(c) => Redirect::to(&format!(
            "/colleagues?done=colleague-restored&q={}",
            super::urlencode(&c.name)
        ))
        .into_response(),
        Err(e) => super::error_page(Ctx::new(&st, &headers, Some(u), "/colleagues"), e),
    }
}

async fn colleagues_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(list): Query<ColleaguesQ>,
) -> Response {
    colleagues_view(
        &st,
        &headers,
        u,
        list,
        FieldErrors::new(),
        HashMap::new(),
        StatusCode::OK,
    )
    .await
}

async fn add_colleague(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let body = ColleagueIn {
        name: val(&f, "name").to_owned(),
        function: Some(val(&f, "function").to_owned()),
        business_unit_id: opt_i64(val(&f, "business_unit_id")),
        email: Some(val(&f, "email").to_owned()),
        version: None,
    };
    match api::add_colleague(&st, &u, &body).await {
        Ok(_) => Redirect::to("/colleagues").into_response(),
        Err(ApiError::Invalid(e)) => {
            colleagues_view(
                &st,
                &headers,
                u,
                ColleaguesQ::default(),
                e,
                first_values(&f),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), "/colleagues"), e),
    }
}

// ---------- a colleague's correction ----------

#[derive(Template)]
#[template(path = "colleague_form.html")]
struct ColleagueFormPage<'a> {
    ctx: Ctx<'a>,
    id: i64,
    units: Vec<(i64, String)>,
    errors: FieldErrors,
    typed: HashMap<String, String>,
}

impl ColleagueFormPage<'_> {
    /// The fields with a problem (a save that came too late is said apart).
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

async fn colleague_form(
    st: &AppState,
    headers: &HeaderMap,
    u: CurrentUser,
    id: i64,
    typed: Option<HashMap<String, String>>,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let here = format!("/colleagues/{id}/edit");
    if !u.can(Action::ManageColleagues) {
        return super::forbidden(Ctx::new(st, headers, Some(u), &here));
    }
    let loaded = async {
        let c = st.store.colleague(id).await?;
        let units = st.store.list_business_units().await?;
        Ok::<_, clef_store::StoreError>((c, units))
    };
    let ctx = Ctx::new(st, headers, Some(u), &here);
    let (c, units) = match loaded.await {
        Ok(x) => x,
        Err(e) => return super::error_page(ctx, e),
    };
    let typed = typed.unwrap_or_else(|| {
        HashMap::from([
            ("name".to_owned(), c.name.clone()),
            (
                "function".to_owned(),
                c.function.clone().unwrap_or_default(),
            ),
            (
                "business_unit_id".to_owned(),
                c.business_unit_id
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
            ),
            ("email".to_owned(), c.email.clone().unwrap_or_default()),
            ("version".to_owned(), c.version.to_string()),
        ])
    });
    render(
        status,
        &ColleagueFormPage {
            ctx,
            id,
            units: units.into_iter().map(|b| (b.id, b.name)).collect(),
            errors,
            typed,
        },
    )
}

async fn edit_colleague_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    colleague_form(
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

async fn save_colleague(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let body = ColleagueIn {
        name: val(&f, "name").to_owned(),
        function: Some(val(&f, "function").to_owned()),
        business_unit_id: opt_i64(val(&f, "business_unit_id")),
        email: Some(val(&f, "email").to_owned()),
        version: opt_i64(val(&f, "version")),
    };
    let typed = Some(first_values(&f));
    match api::change_colleague(&st, &u, id, &body).await {
        Ok(_) => Redirect::to("/colleagues").into_response(),
        Err(ApiError::Invalid(e)) => {
            colleague_form(
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
            colleague_form(&st, &headers, u, id, typed, e, StatusCode::CONFLICT).await
        }
        Err(e) => api_error_page(Ctx::new(&st, &headers, Some(u), "/colleagues"), e),
    }
}

/// Asks before deleting a colleague, or says what keeps them.
async fn delete_colleague_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let here = format!("/colleagues/{id}/delete");
    let may = u.can(Action::ManageColleagues);
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    if !may {
        return super::forbidden(ctx);
    }
    let loaded = async {
        let c = st.store.colleague(id).await?;
        let uses = st.store.colleague_uses(id).await?;
        Ok::<_, clef_store::StoreError>((c, uses))
    };
    let (c, (links, teams, interactions)) = match loaded.await {
        Ok(x) => x,
        Err(e) => return super::error_page(ctx, e),
    };
    let what = ctx.tr.t1("confirm-delete-colleague", "name", &c.name);
    let blocked = if links + teams + interactions > 0 {
        vec![ctx.tr.refusal(&clef_store::Refusal::new(
            "refused-colleague-in-use",
            &[
                ("name", &c.name),
                ("links", &links),
                ("teams", &teams),
                ("interactions", &interactions),
            ],
            String::new(),
        ))]
    } else {
        Vec::new()
    };
    let mut page =
        super::ConfirmPage::new(ctx, what, here.clone(), "/colleagues".into(), c.version);
    page.history = page.ctx.t("colleague-restorable");
    page.blocked = blocked;
    page.blocked_hint = page.ctx.t("colleague-delete-blocked-hint");
    render(StatusCode::OK, &page)
}

async fn delete_colleague(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let here = format!("/colleagues/{id}/delete");
    if !u.can(Action::ManageColleagues) {
        return super::forbidden(Ctx::new(&st, &headers, Some(u), &here));
    }
    let version = opt_i64(val(&f, "version"));
    match st.store.delete_colleague(u.id(), id, version).await {
        Ok(()) => Redirect::to("/colleagues?done=colleague-deleted").into_response(),
        // Taken into something meanwhile: the page says what.
        Err(clef_store::StoreError::Refused(_)) => Redirect::to(&here).into_response(),
        Err(e) => super::error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    }
}

/// The colleagues, as CSV.
/// The colleagues the list shows (every page of it), as CSV.
async fn colleagues_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Query(list): Query<ColleaguesQ>,
) -> Response {
    let loaded = async {
        let items = st.store.colleagues().await?;
        let units: HashMap<i64, String> = st
            .store
            .list_business_units()
            .await?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        Ok::<_, StoreError>((items, units))
    };
    let (items, units) = match loaded.await {
        Ok(x) => x,
        Err(e) => return super::error_page(Ctx::new(&st, &headers, Some(u), "/colleagues"), e),
    };
    let items = list.apply(items, &units);
    let cell = clef_store::import::cell;
    super::csv_download(
        "colleagues.csv",
        &["id", "name", "function", "business_unit", "email"],
        items.iter().map(|c| {
            let unit = c
                .business_unit_id
                .and_then(|b| units.get(&b))
                .map_or("", String::as_str);
            vec![
                c.id.to_string(),
                cell(&c.name),
                cell(c.function.as_deref().unwrap_or_default()),
                cell(unit),
                cell(c.email.as_deref().unwrap_or_default()),
            ]
        }),
    )
}

#[cfg(test)]
mod coverage_tests {
    use super::*;

    #[test]
    fn gaps_sort_by_name_or_oldest_contact_accents_aside() {
        let gap = |customer: &str, name: &str, last: Option<&str>| GapOut {
            customer_id: 1,
            customer_name: customer.into(),
            contact_id: 1,
            name: name.into(),
            gaps: Vec::new(),
            last_contact: last.map(str::to_owned),
        };
        let mut items = vec![
            gap("Zeta", "Anne", Some("2026-01-05")),
            gap("Acme", "Émile", None),
            gap("Acme", "Bruno", Some("2025-03-01")),
        ];
        let names = |items: &[GapOut]| items.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        sort_gaps(&mut items, "customer");
        assert_eq!(names(&items), ["Bruno", "Émile", "Anne"]);
        sort_gaps(&mut items, "name");
        assert_eq!(names(&items), ["Anne", "Bruno", "Émile"]);
        sort_gaps(&mut items, "-name");
        assert_eq!(names(&items), ["Émile", "Bruno", "Anne"]);
        sort_gaps(&mut items, "last_contact");
        assert_eq!(
            names(&items),
            ["Émile", "Bruno", "Anne"],
            "never first, then oldest"
        );
    }
}
