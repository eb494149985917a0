//! Meeting rituals: formats, the yearly cadence plan, meeting records with
//! evaluation and action items, overviews, and iCalendar feeds.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::{
    AppState,
    auth::{ApiUser, CurrentUser},
    error::ApiError,
    relationships::access,
    rituals::{FormatOverview, MeetingIn, events, ics_response, now_utc, overview, parse_meeting},
};
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use clef_domain::{
    Date, FieldError, FieldErrors, RequiredText,
    policy::Action,
    relationships::parse_one_to_five,
    rituals::{FormatScope, MeetingStatus, Objective, calendar, parse_time},
};
use clef_store::{FormatInput, MeetingRow, Party, meeting, meeting_action, meeting_format};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

// ---------- formats ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct FormatOut {
    pub id: i64,
    pub key: String,
    pub name_en: String,
    pub name_fr: String,
    pub external: bool,
    /// account or program.
    pub scope: String,
    pub led_by: String,
    pub cadence_min: i64,
    pub cadence_max: i64,
    pub usual_minutes: i64,
    pub max_minutes: i64,
    pub participants: String,
    pub objectives: Vec<String>,
    pub version: i64,
}

impl From<&meeting_format::Model> for FormatOut {
    fn from(f: &meeting_format::Model) -> Self {
        Self {
            id: f.id,
            key: f.key.clone(),
            name_en: f.name_en.clone(),
            name_fr: f.name_fr.clone(),
            external: f.external,
            scope: f.scope.clone(),
            led_by: f.led_by.clone(),
            cadence_min: f.cadence_min,
            cadence_max: f.cadence_max,
            usual_minutes: f.usual_minutes,
            max_minutes: f.max_minutes,
            participants: f.participants.clone(),
            objectives: f
                .objective_list()
                .iter()
                .map(|o| o.as_str().to_owned())
                .collect(),
            version: f.version,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/meeting-formats", tag = "meetings",
    responses((status = 200, body = [FormatOut], description = "The five formats of the practice, and any added")),
    security(("bearer" = [])))]
pub async fn formats(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<FormatOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(
        st.store.formats().await?.iter().map(Into::into).collect(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormatIn {
    /// Lower-case letters, digits and underscores (set once).
    pub key: Option<String>,
    pub name_en: String,
    pub name_fr: String,
    #[serde(default)]
    pub external: bool,
    /// account or program.
    pub scope: String,
    pub led_by: String,
    pub cadence_min: i64,
    pub cadence_max: i64,
    pub usual_minutes: i64,
    pub max_minutes: i64,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub objectives: Vec<String>,
    pub version: Option<i64>,
}

pub(crate) fn parse_format(b: &FormatIn, key: &str) -> Result<FormatInput, ApiError> {
    let mut e = FieldErrors::new();
    let en = e.take(RequiredText::parse("name_en", &b.name_en, 200));
    let fr = e.take(RequiredText::parse("name_fr", &b.name_fr, 200));
    let led = e.take(RequiredText::parse("led_by", &b.led_by, 200));
    let scope = e.take(FormatScope::parse("scope", &b.scope));
    let participants = e
        .take(clef_domain::OptionalText::parse(
            "participants",
            Some(&b.participants),
            2000,
        ))
        .and_then(clef_domain::OptionalText::into_option)
        .unwrap_or_default();
    if !(1..=52).contains(&b.cadence_min) {
        e.push(FieldError::new(
            "cadence_min",
            "out-of-range",
            "cadence_min must be from 1 to 52 a year",
        ));
    }
    if b.cadence_max < b.cadence_min || b.cadence_max > 52 {
        e.push(FieldError::new(
            "cadence_max",
            "out-of-range",
            "cadence_max must be from cadence_min to 52 a year",
        ));
    }
    if !(15..=2880).contains(&b.max_minutes) {
        e.push(FieldError::new(
            "max_minutes",
            "out-of-range",
            "max_minutes must be from 15 to 2880",
        ));
    }
    if b.usual_minutes < 15 || b.usual_minutes > b.max_minutes {
        e.push(FieldError::new(
            "usual_minutes",
            "out-of-range",
            "usual_minutes must be from 15 to max_minutes",
        ));
    }
    let mut objectives = Vec::new();
    for (i, o) in b.objectives.iter().enumerate() {
        if let Some(o) = e.take(Objective::parse(&format!("objectives[{i}]"), o)) {
            objectives.push(o);
        }
    }
    if key.is_empty()
        || key.len() > 40
        || !key
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    {
        e.push(FieldError::new(
            "key",
            "invalid-key",
            "key takes 1 to 40 lower-case letters, digits or underscores",
        ));
    }
    match (en, fr, led, scope) {
        (Some(en), Some(fr), Some(led), Some(scope)) if e.is_empty() => Ok(FormatInput {
            key: key.to_owned(),
            name_en: en.into_string(),
            name_fr: fr.into_string(),
            external: b.external,
            scope,
            led_by: led.into_string(),
            cadence_min: b.cadence_min,
            cadence_max: b.cadence_max,
            usual_minutes: b.usual_minutes,
            max_minutes: b.max_minutes,
            participants,
            objectives,
        }),
        _ => Err(ApiError::Invalid(e)),
    }
}

#[utoipa::path(post, path = "/api/v1/meeting-formats", tag = "meetings", request_body = FormatIn,
    responses((status = 201, body = FormatOut), (status = 403, description = "Directors only"), (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn create_format(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(b): ApiJson<FormatIn>,
) -> Result<Response, ApiError> {
    u.require(Action::ManageProgram)?;
    let f = parse_format(&b, b.key.as_deref().unwrap_or("").trim())?;
    let m = st.store.create_format(u.id(), &f).await?;
    Ok((StatusCode::CREATED, Json(FormatOut::from(&m))).into_response())
}

#[utoipa::path(put, path = "/api/v1/meeting-formats/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = FormatIn,
    responses((status = 200, body = FormatOut), (status = 409, description = "Changed meanwhile"), (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn update_format(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<FormatIn>,
) -> Result<Json<FormatOut>, ApiError> {
    u.require(Action::ManageProgram)?;
    let before = st.store.format(id).await?;
    let f = parse_format(&b, &before.key)?;
    let Some(v) = b.version else {
        return Err(FieldError::new(
            "version",
            "required",
            "version is required: send the version you read",
        )
        .into());
    };
    Ok(Json(
        (&st.store.update_format(u.id(), id, v, &f).await?).into(),
    ))
}

// ---------- meetings ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingOut {
    pub id: i64,
    pub format_id: i64,
    pub customer_id: Option<i64>,
    pub series: Option<i64>,
    pub title: String,
    pub on: String,
    pub at: String,
    pub duration_minutes: i64,
    pub location: Option<String>,
    pub online: bool,
    pub primary_objective: String,
    pub secondary_objectives: Vec<String>,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    pub decisions: Option<String>,
    /// planned, held or cancelled.
    pub status: String,
    pub organizer_id: Option<i64>,
    pub user_ids: Vec<i64>,
    pub contact_ids: Vec<i64>,
    pub customer_ids: Vec<i64>,
    /// 1–5, after the meeting.
    pub objective_met: Option<i64>,
    pub satisfaction: Option<i64>,
    pub evaluation_comment: Option<String>,
    pub version: i64,
}

pub(crate) fn meeting_out(r: &MeetingRow) -> MeetingOut {
    let m = &r.meeting;
    let pick = |f: fn(&Party) -> Option<i64>| r.parties.iter().filter_map(f).collect::<Vec<_>>();
    MeetingOut {
        id: m.id,
        format_id: m.format_id,
        customer_id: m.customer_id,
        series: m.series,
        title: m.title.clone(),
        on: m.on_date.clone(),
        at: m.at_time.clone(),
        duration_minutes: m.duration_minutes,
        location: m.location.clone(),
        online: m.online,
        primary_objective: m.primary_objective.clone(),
        secondary_objectives: m
            .secondary_objectives
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        agenda: m.agenda.clone(),
        minutes: m.minutes.clone(),
        decisions: m.decisions.clone(),
        status: m.status.clone(),
        organizer_id: m.organizer_id,
        user_ids: pick(|p| match p {
            Party::User(u) => Some(*u),
            _ => None,
        }),
        contact_ids: pick(|p| match p {
            Party::Contact(c) => Some(*c),
            _ => None,
        }),
        customer_ids: pick(|p| match p {
            Party::Company(c) => Some(*c),
            _ => None,
        }),
        objective_met: m.objective_met,
        satisfaction: m.satisfaction,
        evaluation_comment: m.evaluation_comment.clone(),
        version: m.version,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingsOut {
    /// Per format: held, planned, overdue and the cadence kept.
    pub overview: Vec<FormatOverview>,
    pub meetings: Vec<MeetingOut>,
    /// For the program: every key account's cadence, per format.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountCadence>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountCadence {
    pub customer_id: i64,
    pub customer_name: String,
    pub overview: Vec<FormatOverview>,
}

/// Every key account's cadence, per account format.
pub(crate) async fn accounts_cadence(
    st: &AppState,
    french: bool,
) -> Result<Vec<AccountCadence>, ApiError> {
    let accounts: Vec<(i64, String)> = st
        .store
        .plan_rows()
        .await?
        .into_iter()
        .filter(|r| r.customer.status == "key_account")
        .map(|r| (r.customer.id, r.customer.name))
        .collect();
    let ids: Vec<i64> = accounts.iter().map(|a| a.0).collect();
    let rows = st.store.meetings_of_accounts(&ids).await?;
    let formats = st.store.formats().await?;
    let today = crate::plans::today();
    Ok(accounts
        .into_iter()
        .map(|(id, name)| {
            let mine: Vec<MeetingRow> = rows
                .iter()
                .filter(|r| r.meeting.customer_id == Some(id))
                .cloned()
                .collect();
            AccountCadence {
                customer_id: id,
                customer_name: name,
                overview: overview(&formats, &mine, today, french, FormatScope::Account),
            }
        })
        .collect())
}

/// Whether the user writes in French (default titles follow).
fn is_french(u: &CurrentUser) -> bool {
    u.user.locale.as_deref() == Some("fr")
}

/// May the user run the meetings of this account (or of the program)?
pub(crate) async fn can_run(
    st: &AppState,
    u: &CurrentUser,
    customer_id: Option<i64>,
) -> Result<bool, ApiError> {
    Ok(match customer_id {
        Some(c) => access(st, u, c).await?.meetings,
        None => u.can(Action::ManageProgram),
    })
}

pub(crate) async fn must_run(
    st: &AppState,
    u: &CurrentUser,
    customer_id: Option<i64>,
) -> Result<(), ApiError> {
    if can_run(st, u, customer_id).await? {
        Ok(())
    } else {
        Err(ApiError::Forbidden(match customer_id {
            Some(_) => "only the account's KAM, its team and directors run its meetings".into(),
            None => "only directors run the program's meetings".into(),
        }))
    }
}

pub(crate) async fn meetings_out(
    st: &AppState,
    customer_id: Option<i64>,
    french: bool,
) -> Result<MeetingsOut, ApiError> {
    let rows = st.store.meetings_of(customer_id).await?;
    let formats = st.store.formats().await?;
    Ok(MeetingsOut {
        overview: overview(
            &formats,
            &rows,
            crate::plans::today(),
            french,
            if customer_id.is_some() {
                FormatScope::Account
            } else {
                FormatScope::Program
            },
        ),
        meetings: rows.iter().map(meeting_out).collect(),
        accounts: match customer_id {
            Some(_) => Vec::new(),
            None => accounts_cadence(st, french).await?,
        },
    })
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/meetings", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingsOut)), security(("bearer" = [])))]
pub async fn account_meetings(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingsOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    st.store.customer(id).await?;
    Ok(Json(
        meetings_out(&st, Some(id), u.user.locale.as_deref() == Some("fr")).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/program/meetings", tag = "meetings",
    responses((status = 200, body = MeetingsOut, description = "Seminars, commercial meetings, advisory boards, and every key account's cadence")), security(("bearer" = [])))]
pub async fn program_meetings(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<MeetingsOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(
        meetings_out(&st, None, u.user.locale.as_deref() == Some("fr")).await?,
    ))
}

/// Without a primary objective, a meeting takes its format's first one.
fn format_objective(input: &mut MeetingIn, f: &meeting_format::Model) {
    if input
        .primary_objective
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        input.primary_objective = f.objective_list().first().map(|o| o.as_str().to_owned());
    }
}

/// The format a meeting names: one that does not exist is a mistake in the
/// field, other errors (a busy database) stay what they are.
async fn meeting_format(st: &AppState, id: i64) -> Result<meeting_format::Model, ApiError> {
    match st.store.format(id).await {
        Ok(f) => Ok(f),
        Err(clef_store::StoreError::NotFound(_)) => Err(FieldError::new(
            "format_id",
            "unknown-reference",
            "format_id: there is no such meeting format",
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}

/// Records one meeting; `format_default` gives it its format's first
/// objective when it names none (the pages' choice), where the API asks
/// for one.
pub(crate) async fn create_one(
    st: &AppState,
    u: &CurrentUser,
    customer_id: Option<i64>,
    b: &MeetingIn,
    format_default: bool,
) -> Result<meeting::Model, ApiError> {
    must_run(st, u, customer_id).await?;
    let f = meeting_format(st, b.format_id).await?;
    let mut input = b.clone();
    if format_default {
        format_objective(&mut input, &f);
    }
    let m = parse_meeting(&input, &f, customer_id, u.id(), is_french(u))?;
    Ok(st.store.create_meeting(u.id(), &m).await?)
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/meetings", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingIn,
    responses((status = 201, body = MeetingOut), (status = 422, description = "Invalid field(s): longer than the format allows, no primary objective, a clash for someone…")),
    security(("bearer" = [])))]
pub async fn create_account_meeting(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MeetingIn>,
) -> Result<Response, ApiError> {
    let m = create_one(&st, &u, Some(id), &b, false).await?;
    Ok((
        StatusCode::CREATED,
        Json(meeting_out(&st.store.meeting(m.id).await?)),
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/program/meetings", tag = "meetings", request_body = MeetingIn,
    responses((status = 201, body = MeetingOut), (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn create_program_meeting(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(b): ApiJson<MeetingIn>,
) -> Result<Response, ApiError> {
    let m = create_one(&st, &u, None, &b, false).await?;
    Ok((
        StatusCode::CREATED,
        Json(meeting_out(&st.store.meeting(m.id).await?)),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanIn {
    /// The meeting every planned one copies (its `on` is the start of the
    /// 12 months planned).
    #[serde(flatten)]
    pub meeting: MeetingIn,
    /// How many in the 12 months, within the format's range.
    pub per_year: i64,
}

/// A meeting's fields and `per_year`, side by side in one object (as the
/// body is read): not a combination of two schemas, which no body could
/// satisfy when the meeting's schema refuses fields it does not list.
impl utoipa::PartialSchema for PlanIn {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::{
            RefOr,
            schema::{ObjectBuilder, Schema, Type},
        };
        let mut s = <MeetingIn as utoipa::PartialSchema>::schema();
        if let RefOr::T(Schema::Object(o)) = &mut s {
            o.description = Some(
                "The meeting every planned one copies (its `on` is the start of the 12 months planned), and how many in the 12 months".to_owned(),
            );
            o.properties.insert(
                "per_year".to_owned(),
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int64,
                    )))
                    .description(Some("How many in the 12 months, within the format's range"))
                    .into(),
            );
            o.required.push("per_year".to_owned());
        }
        s
    }
}

impl ToSchema for PlanIn {}

pub(crate) async fn plan(
    st: &AppState,
    u: &CurrentUser,
    customer_id: Option<i64>,
    b: &PlanIn,
) -> Result<Vec<meeting::Model>, ApiError> {
    must_run(st, u, customer_id).await?;
    let f = meeting_format(st, b.meeting.format_id).await?;
    let mut input = b.meeting.clone();
    format_objective(&mut input, &f);
    let m = parse_meeting(&input, &f, customer_id, u.id(), is_french(u))?;
    Ok(st.store.plan_cadence(u.id(), &m, b.per_year, m.on).await?)
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/meetings/plan", tag = "meetings", params(("id" = i64, Path)), request_body = PlanIn,
    responses((status = 201, body = [MeetingOut], description = "The next 12 months planned: working days, no clash for the same person")),
    security(("bearer" = [])))]
pub async fn plan_account(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PlanIn>,
) -> Result<Response, ApiError> {
    let ms = plan(&st, &u, Some(id), &b).await?;
    let mut out = Vec::new();
    for m in ms {
        out.push(meeting_out(&st.store.meeting(m.id).await?));
    }
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[utoipa::path(post, path = "/api/v1/program/meetings/plan", tag = "meetings", request_body = PlanIn,
    responses((status = 201, body = [MeetingOut])), security(("bearer" = [])))]
pub async fn plan_program(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiJson(b): ApiJson<PlanIn>,
) -> Result<Response, ApiError> {
    let ms = plan(&st, &u, None, &b).await?;
    let mut out = Vec::new();
    for m in ms {
        out.push(meeting_out(&st.store.meeting(m.id).await?));
    }
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingOut)), security(("bearer" = [])))]
pub async fn get_meeting(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingOut>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    Ok(Json(meeting_out(&st.store.meeting(id).await?)))
}

pub(crate) async fn update_one(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
    b: &MeetingIn,
) -> Result<meeting::Model, ApiError> {
    let before = st.store.meeting(id).await?;
    must_run(st, u, before.meeting.customer_id).await?;
    let f = meeting_format(st, b.format_id).await?;
    let m = parse_meeting(
        b,
        &f,
        before.meeting.customer_id,
        before.meeting.organizer_id,
        is_french(u),
    )?;
    let Some(v) = b.version else {
        return Err(FieldError::new(
            "version",
            "required",
            "version is required: send the version you read",
        )
        .into());
    };
    Ok(st.store.update_meeting(u.id(), id, v, &m).await?)
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingIn,
    responses((status = 200, body = MeetingOut), (status = 409, description = "Changed meanwhile"), (status = 422, description = "Invalid field(s), each named")),
    security(("bearer" = [])))]
pub async fn update_meeting(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MeetingIn>,
) -> Result<Json<MeetingOut>, ApiError> {
    update_one(&st, &u, id, &b).await?;
    Ok(Json(meeting_out(&st.store.meeting(id).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleIn {
    pub version: i64,
    /// YYYY-MM-DD, a working day.
    pub on: String,
    /// HH:MM; by default the same time.
    pub at: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/reschedule", tag = "meetings", params(("id" = i64, Path)), request_body = RescheduleIn,
    responses((status = 200, body = MeetingOut, description = "Moved; the rest of its series keeps its dates"),
              (status = 422, description = "A weekend day, or a clash for someone")),
    security(("bearer" = [])))]
pub async fn reschedule(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RescheduleIn>,
) -> Result<Json<MeetingOut>, ApiError> {
    let before = st.store.meeting(id).await?;
    must_run(&st, &u, before.meeting.customer_id).await?;
    let mut e = FieldErrors::new();
    let on = e.take(Date::parse("on", &b.on));
    let at = match b.at.as_deref() {
        Some(t) => e.take(parse_time("at", t)),
        None => Some(before.meeting.time()),
    };
    let (Some(on), Some(at)) = (on, at) else {
        return Err(ApiError::Invalid(e));
    };
    st.store
        .reschedule_meeting(u.id(), id, b.version, on, at)
        .await?;
    Ok(Json(meeting_out(&st.store.meeting(id).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationIn {
    /// 1–5.
    pub objective_met: i64,
    /// 1–5.
    pub satisfaction: i64,
    pub comment: Option<String>,
    /// The meeting's version as read: changed since, the evaluation is
    /// refused with 409.
    #[serde(default)]
    pub version: Option<i64>,
}

pub(crate) fn parse_evaluation(b: &EvaluationIn) -> Result<(i64, i64, Option<String>), ApiError> {
    let mut e = FieldErrors::new();
    let o = e.take(parse_one_to_five("objective_met", b.objective_met));
    let s = e.take(parse_one_to_five("satisfaction", b.satisfaction));
    let c = e
        .take(clef_domain::OptionalText::parse(
            "comment",
            b.comment.as_deref(),
            4000,
        ))
        .and_then(clef_domain::OptionalText::into_option);
    match (o, s) {
        (Some(o), Some(s)) if e.is_empty() => Ok((o, s, c)),
        _ => Err(ApiError::Invalid(e)),
    }
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}/evaluation", tag = "meetings", params(("id" = i64, Path)), request_body = EvaluationIn,
    responses((status = 200, body = MeetingOut, description = "Recorded; it can be corrected later"),
              (status = 409, description = "The meeting is not held"), (status = 422, description = "Out of range, each named")),
    security(("bearer" = [])))]
pub async fn evaluate(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<EvaluationIn>,
) -> Result<Json<MeetingOut>, ApiError> {
    let before = st.store.meeting(id).await?;
    must_run(&st, &u, before.meeting.customer_id).await?;
    let (o, s, c) = parse_evaluation(&b)?;
    st.store
        .evaluate_meeting(u.id(), id, (o, s, c.as_deref()), b.version)
        .await?;
    Ok(Json(meeting_out(&st.store.meeting(id).await?)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ConfirmQuery {
    /// Required to delete a held meeting.
    pub confirm: Option<bool>,
}

#[utoipa::path(delete, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path), ConfirmQuery),
    responses((status = 204, description = "Deleted (the history keeps it)"),
              (status = 409, description = "A held meeting needs confirm=true")),
    security(("bearer" = [])))]
pub async fn delete_meeting(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ConfirmQuery>,
) -> Result<StatusCode, ApiError> {
    let before = st.store.meeting(id).await?;
    must_run(&st, &u, before.meeting.customer_id).await?;
    if before.meeting.meeting_status() == MeetingStatus::Held && q.confirm != Some(true) {
        return Err(ApiError::Conflict(format!(
            "\"{}\" was held: its minutes and evaluation go with it; send confirm=true to delete it (the history keeps a copy)",
            before.meeting.title
        )));
    }
    st.store.delete_meeting(u.id(), id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A program meeting deleted and not restored yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedMeetingOut {
    /// The history entry of its deletion (restore it with this).
    pub entry: i64,
    /// When it was deleted (RFC 3339, UTC).
    pub deleted_at: String,
    pub deleted_by: Option<i64>,
    pub title: String,
    /// Its day (YYYY-MM-DD).
    pub on: String,
}

#[utoipa::path(get, path = "/api/v1/program/meetings/deleted", tag = "meetings",
    responses((status = 200, body = [DeletedMeetingOut], description = "The latest 50 deleted and not restored, the latest first"),
              (status = 403, description = "Only those who run the program's meetings")),
    security(("bearer" = [])))]
pub async fn deleted_program_meetings(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<DeletedMeetingOut>>, ApiError> {
    must_run(&st, &u, None).await?;
    Ok(Json(
        st.store
            .deleted_program_meetings()
            .await?
            .into_iter()
            .map(|(e, title, on)| DeletedMeetingOut {
                entry: e.id,
                deleted_at: clef_domain::rfc3339(e.at),
                deleted_by: e.user_id,
                title,
                on,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/program/meetings/deleted/{entry}/restore", tag = "meetings",
    params(("entry" = i64, Path, description = "The history entry of the deletion")),
    responses((status = 201, body = MeetingOut, description = "Restored as a new meeting, with its minutes, evaluation and action items and the companies and people still there"),
              (status = 403, description = "Only those who run the program's meetings"),
              (status = 404, description = "No such deleted program meeting"),
              (status = 409, description = "Restored already, or it would clash with someone's other meeting")),
    security(("bearer" = [])))]
pub async fn restore_program_meeting(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(entry): ApiPath<i64>,
) -> Result<(StatusCode, Json<MeetingOut>), ApiError> {
    must_run(&st, &u, None).await?;
    let m = st.store.restore_program_meeting(u.id(), entry).await?;
    let row = st.store.meeting(m.id).await?;
    Ok((StatusCode::CREATED, Json(meeting_out(&row))))
}

// ---------- action items ----------

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingActionOut {
    pub id: i64,
    pub meeting_id: i64,
    pub title: String,
    pub owner_id: Option<i64>,
    pub due_on: Option<String>,
    pub status: String,
    pub plan_version_id: Option<i64>,
    pub plan_action_index: Option<i64>,
    /// Send it back to correct or delete the item.
    pub version: i64,
}

pub(crate) fn action_out(a: &meeting_action::Model) -> MeetingActionOut {
    MeetingActionOut {
        id: a.id,
        meeting_id: a.meeting_id,
        title: a.title.clone(),
        owner_id: a.owner_id,
        due_on: a.due_on.clone(),
        status: a.status.clone(),
        plan_version_id: a.plan_version_id,
        plan_action_index: a.plan_action_index,
        version: a.version,
    }
}

/// A correction of an action item: its title, owner and due date (its
/// status has its own operation; its plan link stays).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingActionChangeIn {
    pub title: String,
    pub owner_id: Option<i64>,
    /// YYYY-MM-DD; none clears it.
    pub due_on: Option<String>,
    /// The version read.
    pub version: Option<i64>,
}

/// The action item `id` and its meeting's customer, when `u` may change
/// it (those who run the meeting).
async fn changeable_action(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
) -> Result<meeting_action::Model, ApiError> {
    let a = st.store.meeting_action(id).await?;
    let m = st.store.meeting(a.meeting_id).await?;
    must_run(st, u, m.meeting.customer_id).await?;
    Ok(a)
}

/// Corrects an action item, at the version read.
pub(crate) async fn change_action(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
    b: &MeetingActionChangeIn,
) -> Result<meeting_action::Model, ApiError> {
    changeable_action(st, u, id).await?;
    let mut e = FieldErrors::new();
    let title = e.take(RequiredText::parse("title", &b.title, 300));
    let due = match b.due_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => e.take(Date::parse("due_on", d)),
        None => None,
    };
    if b.version.is_none() {
        e.push(FieldError::required("version"));
    }
    let (Some(title), Some(version)) = (title.filter(|_| e.is_empty()), b.version) else {
        return Err(ApiError::Invalid(e));
    };
    Ok(st
        .store
        .update_meeting_action(u.id(), id, version, title.as_str(), b.owner_id, due)
        .await?)
}

/// Deletes an action item (at the version read, when given).
pub(crate) async fn remove_action(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
    version: Option<i64>,
) -> Result<i64, ApiError> {
    changeable_action(st, u, id).await?;
    Ok(st.store.delete_meeting_action(u.id(), id, version).await?)
}

#[utoipa::path(put, path = "/api/v1/meeting-actions/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingActionChangeIn,
    responses((status = 200, body = MeetingActionOut, description = "Corrected"),
              (status = 403, description = "Only those who run the meeting"),
              (status = 409, description = "Changed by someone else since it was read")),
    security(("bearer" = [])))]
pub async fn update_action(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MeetingActionChangeIn>,
) -> Result<Json<MeetingActionOut>, ApiError> {
    let a = change_action(&st, &u, id, &b).await?;
    Ok(Json(action_out(&a)))
}

#[utoipa::path(delete, path = "/api/v1/meeting-actions/{id}", tag = "meetings", params(("id" = i64, Path), crate::api::dto::VersionQuery),
    responses((status = 204, description = "Deleted; restored from `/api/v1/meetings/{id}/actions/deleted`"),
              (status = 403, description = "Only those who run the meeting"),
              (status = 409, description = "Changed by someone else since it was read")),
    security(("bearer" = [])))]
pub async fn delete_action(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    crate::api::ApiQuery(v): crate::api::ApiQuery<crate::api::dto::VersionQuery>,
) -> Result<StatusCode, ApiError> {
    remove_action(&st, &u, id, v.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingActionIn {
    pub title: String,
    pub owner_id: Option<i64>,
    /// YYYY-MM-DD.
    pub due_on: Option<String>,
    /// The account plan action it follows up (its version and position from 0).
    pub plan_version_id: Option<i64>,
    pub plan_action_index: Option<i64>,
}

pub(crate) async fn add_action(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
    b: &MeetingActionIn,
) -> Result<meeting_action::Model, ApiError> {
    let m = st.store.meeting(id).await?;
    must_run(st, u, m.meeting.customer_id).await?;
    let mut e = FieldErrors::new();
    let title = e.take(RequiredText::parse("title", &b.title, 300));
    let due = match b.due_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => e.take(Date::parse("due_on", d)),
        None => None,
    };
    let Some(title) = title.filter(|_| e.is_empty()) else {
        return Err(ApiError::Invalid(e));
    };
    let link = match (b.plan_version_id, b.plan_action_index) {
        (Some(v), Some(i)) => Some((v, i)),
        (None, None) => None,
        _ => {
            return Err(FieldError::new(
                "plan_action_index",
                "required",
                "give both plan_version_id and plan_action_index, or neither",
            )
            .into());
        }
    };
    Ok(st
        .store
        .add_meeting_action(u.id(), id, title.as_str(), b.owner_id, due, link)
        .await?)
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/actions", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingActionIn,
    responses((status = 201, body = MeetingActionOut, description = "Listed in its owner's \"My actions\"")), security(("bearer" = [])))]
pub async fn create_action(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MeetingActionIn>,
) -> Result<Response, ApiError> {
    let a = add_action(&st, &u, id, &b).await?;
    Ok((StatusCode::CREATED, Json(action_out(&a))).into_response())
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}/actions", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = [MeetingActionOut])), security(("bearer" = [])))]
pub async fn actions(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<MeetingActionOut>>, ApiError> {
    u.require(Action::ReadPortfolio)?;
    st.store.meeting(id).await?;
    Ok(Json(
        st.store
            .meeting_actions(id)
            .await?
            .iter()
            .map(action_out)
            .collect(),
    ))
}

/// An action item deleted and not restored.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedActionOut {
    /// The history entry of its deletion: what a restore names.
    pub entry: i64,
    pub meeting_id: i64,
    /// When it was deleted (RFC 3339 UTC).
    pub deleted_at: String,
    /// Who deleted it.
    pub deleted_by: Option<i64>,
    pub title: String,
    pub owner_id: Option<i64>,
    pub due_on: Option<String>,
    pub status: String,
}

/// The deleted action items of meeting `id` not restored, for those who run
/// it.
pub(crate) async fn deleted_actions_of(
    st: &AppState,
    u: &CurrentUser,
    id: i64,
) -> Result<Vec<clef_store::DeletedAction>, ApiError> {
    let m = st.store.meeting(id).await?;
    must_run(st, u, m.meeting.customer_id).await?;
    Ok(st.store.deleted_meeting_actions(id).await?)
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}/actions/deleted", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = [DeletedActionOut], description = "The latest 50 deleted and not restored, the latest first"),
              (status = 403, description = "Only those who run the meeting")),
    security(("bearer" = [])))]
pub async fn deleted_actions(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DeletedActionOut>>, ApiError> {
    Ok(Json(
        deleted_actions_of(&st, &u, id)
            .await?
            .into_iter()
            .map(|d| DeletedActionOut {
                entry: d.entry_id,
                meeting_id: d.meeting_id,
                deleted_at: clef_domain::rfc3339(d.deleted_at),
                deleted_by: d.deleted_by,
                title: d.title,
                owner_id: d.owner_id,
                due_on: d.due_on,
                status: d.status,
            })
            .collect(),
    ))
}

/// Brings a deleted action item back to its meeting, for those who run it.
pub(crate) async fn bring_back_action(
    st: &AppState,
    u: &CurrentUser,
    entry: i64,
) -> Result<meeting_action::Model, ApiError> {
    let meeting = st.store.deleted_action_meeting(entry).await?;
    let m = st.store.meeting(meeting).await?;
    must_run(st, u, m.meeting.customer_id).await?;
    Ok(st.store.restore_meeting_action(u.id(), entry).await?)
}

#[utoipa::path(post, path = "/api/v1/meeting-actions/deleted/{entry}/restore", tag = "meetings",
    params(("entry" = i64, Path, description = "The history entry of the deletion")),
    responses((status = 201, body = MeetingActionOut, description = "Back in its meeting under a new id, with its title, due day and status; its owner if they may still act, its plan link if that action is still in the plan"),
              (status = 403, description = "Only those who run the meeting"),
              (status = 404, description = "No such deleted action item, or its meeting is gone"),
              (status = 409, description = "Restored already")),
    security(("bearer" = [])))]
pub async fn restore_action(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(entry): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let a = bring_back_action(&st, &u, entry).await?;
    Ok((StatusCode::CREATED, Json(action_out(&a))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionStatusIn {
    /// open, in_progress, done or cancelled.
    pub status: String,
}

#[utoipa::path(put, path = "/api/v1/meeting-actions/{id}/status", tag = "meetings", params(("id" = i64, Path)), request_body = ActionStatusIn,
    responses((status = 204, description = "Recorded")), security(("bearer" = [])))]
pub async fn set_action_status(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ActionStatusIn>,
) -> Result<StatusCode, ApiError> {
    let a = st.store.meeting_action(id).await?;
    if !u.can(Action::UpdateOwnAction {
        owner: a.owner_id.map(clef_domain::UserId),
    }) {
        let m = st.store.meeting(a.meeting_id).await?;
        must_run(&st, &u, m.meeting.customer_id).await?;
    }
    st.store
        .set_meeting_action_status(u.id(), id, b.status.trim())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyMeetingActionOut {
    #[serde(flatten)]
    pub action: MeetingActionOut,
    pub meeting_title: String,
    pub customer_id: Option<i64>,
    pub overdue: bool,
}

#[utoipa::path(get, path = "/api/v1/me/meeting-actions", tag = "meetings",
    responses((status = 200, body = [MyMeetingActionOut], description = "Your open action items from meetings, overdue first")),
    security(("bearer" = [])))]
pub async fn my_meeting_actions(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<MyMeetingActionOut>>, ApiError> {
    Ok(Json(my_actions(&st, u.user.id, false).await?))
}

/// The user's action items from meetings, overdue first; finished and
/// dropped ones too with `include_closed` (never overdue).
pub(crate) async fn my_actions(
    st: &AppState,
    user: i64,
    include_closed: bool,
) -> Result<Vec<MyMeetingActionOut>, ApiError> {
    let today = crate::plans::today().to_string();
    let mut out: Vec<MyMeetingActionOut> = st
        .store
        .my_meeting_actions(user, include_closed)
        .await?
        .into_iter()
        .map(|(a, m)| MyMeetingActionOut {
            overdue: matches!(a.status.as_str(), "open" | "in_progress")
                && a.due_on.as_deref().is_some_and(|d| d < today.as_str()),
            action: action_out(&a),
            meeting_title: m.title,
            customer_id: m.customer_id,
        })
        .collect();
    out.sort_by(|a, b| {
        (
            !a.overdue,
            a.action.due_on.clone().unwrap_or_else(|| "9999".into()),
        )
            .cmp(&(
                !b.overdue,
                b.action.due_on.clone().unwrap_or_else(|| "9999".into()),
            ))
    });
    Ok(out)
}

// ---------- calendars ----------

#[utoipa::path(get, path = "/api/v1/meetings/{id}/ics", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/calendar", description = "The meeting as an iCalendar (RFC 5545) file")), security(("bearer" = [])))]
pub async fn meeting_ics(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    u.require(Action::ReadPortfolio)?;
    let r = st.store.meeting(id).await?;
    let french = u.user.locale.as_deref() == Some("fr");
    let ev = events(&st, std::slice::from_ref(&r), french).await?;
    Ok(ics_response(
        &format!("meeting-{id}.ics"),
        calendar(&r.meeting.title, &ev, now_utc()),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedOut {
    pub id: i64,
    /// user or account.
    pub kind: String,
    pub customer_id: Option<i64>,
    /// Shown once, when created: keep it (only its hash is stored).
    pub url: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedIn {
    /// user (your meetings) or account (one account's meetings).
    pub kind: String,
    pub customer_id: Option<i64>,
}

/// The base URL of this server, from the request: `http` or `https` (as a
/// proxy says), and a host made of a name or address and a port only;
/// anything else falls back to the defaults.
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:8080");
    let proto = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .map(|p| p.trim().to_ascii_lowercase())
    {
        Some(p) if p == "https" => "https",
        _ => "http",
    };
    format!("{proto}://{host}")
}

pub(crate) async fn new_feed(
    st: &AppState,
    u: &CurrentUser,
    headers: &HeaderMap,
    b: &FeedIn,
) -> Result<FeedOut, ApiError> {
    let (kind, user, customer) = match (b.kind.as_str(), b.customer_id) {
        ("user", _) => ("user", Some(u.user.id), None),
        ("account", Some(c)) => {
            match st.store.customer(c).await {
                Err(clef_store::StoreError::NotFound(_)) => {
                    return Err(FieldError::new(
                        "customer_id",
                        "unknown-reference",
                        format!("customer_id: there is no customer with id {c}"),
                    )
                    .into());
                }
                r => r?,
            };
            ("account", None, Some(c))
        }
        ("account", None) => {
            return Err(FieldError::new(
                "customer_id",
                "required",
                "customer_id is required for an account feed",
            )
            .into());
        }
        (k, _) => {
            return Err(FieldError::new(
                "kind",
                "invalid-choice",
                format!("kind must be user or account, not \"{k}\""),
            )
            .into());
        }
    };
    u.require(Action::ReadPortfolio)?;
    let (m, token) = st.store.create_feed(u.id(), kind, user, customer).await?;
    Ok(FeedOut {
        id: m.id,
        kind: m.kind,
        customer_id: m.customer_id,
        url: Some(format!("{}/calendar/{token}.ics", base_url(headers))),
        created_at: clef_domain::rfc3339(m.created_at),
    })
}

#[utoipa::path(post, path = "/api/v1/calendar-feeds", tag = "meetings", request_body = FeedIn,
    responses((status = 201, body = FeedOut, description = "An unguessable URL that any calendar can subscribe to, until revoked")),
    security(("bearer" = [])))]
pub async fn create_feed(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    headers: HeaderMap,
    ApiJson(b): ApiJson<FeedIn>,
) -> Result<Response, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(new_feed(&st, &u, &headers, &b).await?),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/calendar-feeds", tag = "meetings",
    responses((status = 200, body = [FeedOut], description = "Your live feeds (their URLs are not shown again)")),
    security(("bearer" = [])))]
pub async fn feeds(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
) -> Result<Json<Vec<FeedOut>>, ApiError> {
    Ok(Json(
        st.store
            .feeds_of(u.user.id)
            .await?
            .into_iter()
            .map(|m| FeedOut {
                id: m.id,
                kind: m.kind,
                customer_id: m.customer_id,
                url: None,
                created_at: clef_domain::rfc3339(m.created_at),
            })
            .collect(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/calendar-feeds/{id}", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked: its URL answers 404 from now on")), security(("bearer" = [])))]
pub async fn revoke_feed(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    st.store.revoke_feed(u.id(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /calendar/{token}.ics`: a feed, without signing in (the token is
/// the key).
pub async fn public_feed(
    State(st): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let r = async {
        let token = file.strip_suffix(".ics").unwrap_or(&file);
        let gone = || {
            ApiError::NotFound("there is no calendar at this address (revoked, or mistyped)".into())
        };
        let Some(f) = st.store.feed_by_token(token).await? else {
            return Err(gone());
        };
        // A feed lives only as long as the account of the person who made it.
        let creator = match f.created_by {
            Some(c) => st.store.user(c).await.ok(),
            None => None,
        };
        if !creator.is_some_and(|c| c.active) {
            return Err(gone());
        }
        let (rows, name, french) = match (f.kind.as_str(), f.user_id, f.customer_id) {
            ("user", Some(uid), _) => {
                let u = st.store.user(uid).await?;
                (
                    st.store.meetings_of_user(uid).await?,
                    format!("Clef — {}", u.name),
                    u.locale.as_deref() == Some("fr"),
                )
            }
            (_, _, Some(c)) => {
                let cu = st.store.customer(c).await?;
                (
                    st.store.meetings_of(Some(c)).await?,
                    format!("Clef — {}", cu.name),
                    false,
                )
            }
            _ => return Err(ApiError::NotFound("calendar not found".into())),
        };
        let ev = events(&st, &rows, french).await?;
        Ok::<_, ApiError>(ics_response("clef.ics", calendar(&name, &ev, now_utc())))
    }
    .await;
    r.unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn the_base_url_takes_only_a_scheme_and_a_host() {
        let h = |pairs: &[(&'static str, &str)]| {
            let mut m = axum::http::HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, v.parse().unwrap());
            }
            super::base_url(&m)
        };
        assert_eq!(
            h(&[
                ("host", "clef.example:8443"),
                ("x-forwarded-proto", "https")
            ]),
            "https://clef.example:8443"
        );
        assert_eq!(
            h(&[
                ("host", "evil.example/x?"),
                ("x-forwarded-proto", "javascript")
            ]),
            "http://127.0.0.1:8080"
        );
        assert_eq!(h(&[("host", "[::1]:8080")]), "http://[::1]:8080");
    }
}
