//! What the meeting API and pages share: reading a meeting from input, the
//! overview of a cadence (due, overdue, held, kept), and calendars.

use crate::{AppState, error::ApiError};
use clef_domain::{
    Date, FieldError, FieldErrors, OptionalText, RequiredText,
    rituals::{self, Event, Kept, MeetingStatus, Objective, overdue, parse_time},
};
use clef_store::{MeetingInput, MeetingRow, Party, meeting_format};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A meeting as sent.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingIn {
    pub format_id: i64,
    /// By default the format's name.
    pub title: Option<String>,
    /// YYYY-MM-DD.
    pub on: String,
    /// HH:MM, local time (default 09:00).
    pub at: Option<String>,
    /// By default the format's usual duration; never more than its maximum.
    pub duration_minutes: Option<i64>,
    pub location: Option<String>,
    #[serde(default)]
    pub online: bool,
    /// increase_trust, co_innovate, new_business, cross_performance,
    /// relationship_processes, train_kams, field_information, evaluate_progress,
    /// team_cohesion or planning. Required to record one meeting; a planned
    /// year without one takes the format's first objective.
    pub primary_objective: Option<String>,
    #[serde(default)]
    pub secondary_objectives: Vec<String>,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    pub decisions: Option<String>,
    /// planned (default), held or cancelled.
    pub status: Option<String>,
    pub organizer_id: Option<i64>,
    #[serde(default)]
    pub user_ids: Vec<i64>,
    #[serde(default)]
    pub contact_ids: Vec<i64>,
    /// Customer companies (program meetings such as an advisory board).
    #[serde(default)]
    pub customer_ids: Vec<i64>,
    /// The edit counter, when changing a meeting.
    pub version: Option<i64>,
}

fn text(e: &mut FieldErrors, f: &str, v: &Option<String>, max: usize) -> Option<String> {
    e.take(OptionalText::parse(f, v.as_deref(), max))
        .and_then(OptionalText::into_option)
}

/// Reads a meeting; every problem is named, the format's maximum duration
/// and the mandatory primary objective included.
pub fn parse_meeting(
    b: &MeetingIn,
    f: &meeting_format::Model,
    customer_id: Option<i64>,
    organizer: Option<i64>,
    french: bool,
) -> Result<MeetingInput, ApiError> {
    let mut e = FieldErrors::new();
    let on = e.take(Date::parse("on", &b.on));
    let at = match b.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(t) => e.take(parse_time("at", t)),
        None => Some((9, 0)),
    };
    let duration = e.take(rituals::check_duration(
        "duration_minutes",
        b.duration_minutes.unwrap_or(f.usual_minutes),
        f.max_minutes,
    ));
    let primary = match b
        .primary_objective
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(o) => e.take(Objective::parse("primary_objective", o)),
        None => {
            e.push(FieldError::new(
                "primary_objective",
                "objective-missing",
                "primary_objective is required: say what this meeting is for (increase_trust, co_innovate, new_business, cross_performance, relationship_processes, train_kams, field_information, evaluate_progress, team_cohesion, planning)",
            ));
            None
        }
    };
    let mut secondary = Vec::new();
    for (i, s) in b.secondary_objectives.iter().enumerate() {
        if let Some(o) = e.take(Objective::parse(&format!("secondary_objectives[{i}]"), s))
            && Some(o) != primary
            && !secondary.contains(&o)
        {
            secondary.push(o);
        }
    }
    let status = match b.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => e.take(MeetingStatus::parse("status", s)),
        None => Some(MeetingStatus::Planned),
    };
    let title = match b.title.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(t) => e
            .take(RequiredText::parse("title", t, rituals::TITLE_MAX))
            .map(RequiredText::into_string),
        // The format's name in the writer's language.
        None => Some(if french {
            f.name_fr.clone()
        } else {
            f.name_en.clone()
        }),
    };
    let location = text(&mut e, "location", &b.location, 300);
    let agenda = text(&mut e, "agenda", &b.agenda, 8000);
    let minutes = text(&mut e, "minutes", &b.minutes, 20000);
    let decisions = text(&mut e, "decisions", &b.decisions, 8000);
    // Someone listed twice takes part once; a list of thousands is refused
    // before anything is looked up.
    let sent = b.user_ids.len() + b.customer_ids.len() + b.contact_ids.len();
    let mut parties: Vec<Party> = Vec::new();
    if sent > clef_domain::rituals::PARTICIPANTS_MAX {
        e.push(FieldError::new(
            "participants",
            "too-many",
            format!(
                "a meeting has at most {} participants, not {sent}",
                clef_domain::rituals::PARTICIPANTS_MAX
            ),
        ));
    } else {
        let mut seen = std::collections::HashSet::new();
        let all = (b.user_ids.iter().map(|u| Party::User(*u)))
            .chain(b.customer_ids.iter().map(|c| Party::Company(*c)))
            .chain(b.contact_ids.iter().map(|c| Party::Contact(*c)));
        parties.extend(all.filter(|p| seen.insert(*p)));
    }
    match (on, at, duration, primary, status, title) {
        (Some(on), Some(at), Some(duration), Some(primary), Some(status), Some(title))
            if e.is_empty() =>
        {
            Ok(MeetingInput {
                format_id: f.id,
                customer_id,
                title,
                on,
                at,
                duration,
                location,
                online: b.online,
                primary,
                secondary,
                agenda,
                minutes,
                decisions,
                status,
                organizer_id: b.organizer_id.or(organizer),
                parties,
            })
        }
        _ => Err(ApiError::Invalid(e)),
    }
}

/// Where one format stands for an account or the program.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormatOverview {
    pub format_id: i64,
    pub key: String,
    pub name: String,
    pub cadence_min: i64,
    pub cadence_max: i64,
    /// Held in the last 12 months.
    pub held_last_12_months: i64,
    /// below, within or above the format's range.
    pub cadence_kept: String,
    /// Planned from today on.
    pub planned: i64,
    /// Planned in the past and neither held nor cancelled.
    pub past_due: i64,
    pub last_held: Option<String>,
    pub next: Option<String>,
    /// Not held within its cadence (or never held once the first date passed).
    pub overdue: bool,
}

/// Where each format of the scope stands (`account`: the formats held per
/// account; otherwise the program's), those never planned included.
pub fn overview(
    formats: &[meeting_format::Model],
    rows: &[MeetingRow],
    today: Date,
    french: bool,
    scope: clef_domain::rituals::FormatScope,
) -> Vec<FormatOverview> {
    let year_ago = today.add_days(-365).to_string();
    let t = today.to_string();
    formats
        .iter()
        .filter(|f| f.scope() == scope)
        .map(|f| {
            let ms: Vec<&MeetingRow> = rows
                .iter()
                .filter(|r| r.meeting.format_id == f.id)
                .collect();
            let held: Vec<&MeetingRow> = ms
                .iter()
                .copied()
                .filter(|r| r.meeting.meeting_status() == MeetingStatus::Held)
                .collect();
            let held_12 = held
                .iter()
                .filter(|r| r.meeting.on_date >= year_ago && r.meeting.on_date <= t)
                .count() as i64;
            let last_held = held.iter().map(|r| r.meeting.on_date.clone()).max();
            let planned: Vec<&&MeetingRow> = ms
                .iter()
                .filter(|r| r.meeting.meeting_status() == MeetingStatus::Planned)
                .collect();
            let next = planned
                .iter()
                .map(|r| r.meeting.on_date.clone())
                .filter(|d| *d >= t)
                .min();
            let first_planned = planned.iter().map(|r| r.meeting.on_date.clone()).min();
            let past_due = planned.iter().filter(|r| r.meeting.on_date < t).count() as i64;
            let parse = |d: &Option<String>| d.as_deref().and_then(|d| Date::parse("d", d).ok());
            FormatOverview {
                format_id: f.id,
                key: f.key.clone(),
                name: if french {
                    f.name_fr.clone()
                } else {
                    f.name_en.clone()
                },
                cadence_min: f.cadence_min,
                cadence_max: f.cadence_max,
                held_last_12_months: held_12,
                cadence_kept: Kept::of(held_12, f.cadence_min, f.cadence_max)
                    .as_str()
                    .into(),
                planned: planned.iter().filter(|r| r.meeting.on_date >= t).count() as i64,
                past_due,
                overdue: overdue(
                    parse(&last_held),
                    parse(&first_planned),
                    today,
                    f.cadence_min,
                ),
                last_held,
                next,
            }
        })
        .collect()
}

/// Calendar events of meetings, with names and e-mails of the people.
pub async fn events(
    st: &AppState,
    rows: &[MeetingRow],
    french: bool,
) -> Result<Vec<Event>, ApiError> {
    let users: HashMap<i64, (String, String)> = st
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, (u.name, u.email)))
        .collect();
    let formats: HashMap<i64, meeting_format::Model> = st
        .store
        .formats()
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let mut customers: Vec<i64> = rows.iter().filter_map(|r| r.meeting.customer_id).collect();
    for r in rows {
        for p in &r.parties {
            if let Party::Company(c) = p {
                customers.push(*c);
            }
        }
    }
    customers.sort_unstable();
    customers.dedup();
    let mut contacts: HashMap<i64, (String, Option<String>)> = HashMap::new();
    for c in &customers {
        for ct in st.store.list_contacts(*c).await? {
            contacts.insert(
                ct.id,
                (format!("{} {}", ct.first_name, ct.last_name), ct.email),
            );
        }
    }
    let names = st.store.customer_names(&customers).await?;
    let label = |o: &str| {
        Objective::from_str_opt(o).map_or(o.to_owned(), |o| {
            let i = Objective::ALL.iter().position(|x| *x == o).unwrap_or(0);
            if french {
                OBJECTIVES_FR[i]
            } else {
                OBJECTIVES_EN[i]
            }
            .to_owned()
        })
    };
    Ok(rows
        .iter()
        .filter_map(|r| {
            let m = &r.meeting;
            let f = formats.get(&m.format_id);
            let mut desc = format!(
                "{}: {}",
                if french {
                    "Objectif principal"
                } else {
                    "Primary objective"
                },
                label(&m.primary_objective)
            );
            let sec: Vec<String> = m
                .secondary_objectives
                .split(',')
                .filter(|s| !s.is_empty())
                .map(label)
                .collect();
            if !sec.is_empty() {
                desc.push_str(&format!(
                    "\n{}: {}",
                    if french {
                        "Autres objectifs"
                    } else {
                        "Other objectives"
                    },
                    sec.join(", ")
                ));
            }
            if let Some(f) = f {
                desc.push_str(&format!(
                    "\n{}: {}",
                    "Format",
                    if french { &f.name_fr } else { &f.name_en }
                ));
            }
            if let Some(c) = m.customer_id.and_then(|c| names.get(&c)) {
                desc.push_str(&format!(
                    "\n{}: {c}",
                    if french { "Client" } else { "Customer" }
                ));
            }
            if let Some(a) = &m.agenda {
                desc.push_str(&format!(
                    "\n\n{}\n{a}",
                    if french { "Ordre du jour" } else { "Agenda" }
                ));
            }
            let mut attendees = Vec::new();
            for p in &r.parties {
                match p {
                    Party::User(u) => {
                        if let Some((n, e)) = users.get(u) {
                            attendees.push((n.clone(), e.clone()));
                        }
                    }
                    Party::Contact(c) => {
                        if let Some((n, Some(e))) = contacts.get(c) {
                            attendees.push((n.clone(), e.clone()));
                        }
                    }
                    Party::Company(_) => {}
                }
            }
            let location = if m.online {
                m.location
                    .clone()
                    .unwrap_or_else(|| if french { "En ligne" } else { "Online" }.into())
            } else {
                m.location.clone().unwrap_or_default()
            };
            Some(Event {
                uid: format!("meeting-{}@clef", m.id),
                start: m.date()?,
                time: m.time(),
                minutes: m.duration_minutes,
                summary: match m.customer_id.and_then(|c| names.get(&c)) {
                    Some(c) => format!("{} — {c}", m.title),
                    None => m.title.clone(),
                },
                description: desc,
                location,
                organizer: m.organizer_id.and_then(|o| users.get(&o).cloned()),
                attendees,
                cancelled: m.meeting_status() == MeetingStatus::Cancelled,
                sequence: m.version - 1,
            })
        })
        .collect())
}

const OBJECTIVES_EN: [&str; 10] = [
    "Increase customer trust",
    "(Co-)innovate",
    "Identify new business",
    "Review cross performance",
    "Improve relationship processes",
    "Train account managers",
    "Share field information",
    "Evaluate progress",
    "Team cohesion",
    "Planning",
];
const OBJECTIVES_FR: [&str; 10] = [
    "Accroître la confiance du client",
    "(Co-)innover",
    "Identifier de nouvelles affaires",
    "Revoir la performance croisée",
    "Améliorer les processus relationnels",
    "Former les responsables de comptes",
    "Partager l’information terrain",
    "Évaluer les progrès",
    "Cohésion d’équipe",
    "Planification",
];

/// A calendar file as an HTTP answer.
pub fn ics_response(name: &str, body: String) -> axum::response::Response {
    use axum::{http::header, response::IntoResponse};
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The current UTC date and time, to stamp calendars.
pub fn now_utc() -> (Date, (u32, u32)) {
    let t = clef_store::now();
    let d = Date::from_unix_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    (d, ((s / 3600) as u32, ((s % 3600) / 60) as u32))
}
