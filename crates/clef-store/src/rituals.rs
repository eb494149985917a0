//! Meeting rituals: formats, meetings with their participants, the yearly
//! cadence plan, evaluations, action items and calendar feeds.

use crate::{
    Store, StoreError, audit,
    entities::{
        audit_log, calendar_feed, contact, customer, meeting, meeting_action, meeting_format,
        meeting_participant, user,
    },
    now,
    users::{random_secret, sha256_hex},
};
use clef_domain::{
    Date, FieldError, FieldErrors,
    rituals::{FormatScope, MeetingStatus, Objective, check_duration, is_working_day, plan_year},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// Who takes part in a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    User(i64),
    Contact(i64),
    /// A customer company (several sit on an advisory board).
    Company(i64),
}

#[derive(Debug, Clone)]
pub struct MeetingInput {
    pub format_id: i64,
    pub customer_id: Option<i64>,
    pub title: String,
    pub on: Date,
    pub at: (u32, u32),
    pub duration: i64,
    pub location: Option<String>,
    pub online: bool,
    pub primary: Objective,
    pub secondary: Vec<Objective>,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    pub decisions: Option<String>,
    pub status: MeetingStatus,
    pub organizer_id: Option<i64>,
    pub parties: Vec<Party>,
}

#[derive(Debug, Clone)]
pub struct MeetingRow {
    pub meeting: meeting::Model,
    pub parties: Vec<Party>,
}

#[derive(Debug, Clone)]
pub struct FormatInput {
    pub key: String,
    pub name_en: String,
    pub name_fr: String,
    pub external: bool,
    pub scope: FormatScope,
    pub led_by: String,
    pub cadence_min: i64,
    pub cadence_max: i64,
    pub usual_minutes: i64,
    pub max_minutes: i64,
    pub participants: String,
    pub objectives: Vec<Objective>,
}

impl meeting_format::Model {
    pub fn objective_list(&self) -> Vec<Objective> {
        self.objectives
            .split(',')
            .filter_map(Objective::from_str_opt)
            .collect()
    }
    pub fn scope(&self) -> FormatScope {
        FormatScope::from_str_opt(&self.scope).unwrap_or(FormatScope::Account)
    }
}

impl meeting::Model {
    pub fn date(&self) -> Option<Date> {
        Date::parse("on", &self.on_date).ok()
    }
    pub fn time(&self) -> (u32, u32) {
        clef_domain::rituals::parse_time("at", &self.at_time).unwrap_or((9, 0))
    }
    pub fn meeting_status(&self) -> MeetingStatus {
        MeetingStatus::from_str_opt(&self.status).unwrap_or(MeetingStatus::Planned)
    }
    fn minutes_of_day(&self) -> (i64, i64) {
        let (h, m) = self.time();
        let start = i64::from(h) * 60 + i64::from(m);
        (start, start + self.duration_minutes)
    }
}

/// An action item's owner: a user who can act (not a viewer), if any.
async fn check_action_owner(
    txn: &DatabaseTransaction,
    owner_id: Option<i64>,
) -> Result<(), StoreError> {
    let Some(o) = owner_id else {
        return Ok(());
    };
    match user::Entity::find_by_id(o).one(txn).await? {
        None => Err(StoreError::invalid(
            "owner_id",
            "unknown-reference",
            format!("owner_id: there is no user {o}"),
        )),
        Some(u) if u.role == "viewer" => Err(StoreError::invalid(
            "owner_id",
            "viewer-owner",
            "owner_id: a viewer cannot own an action item; choose someone who can act",
        )),
        Some(_) => Ok(()),
    }
}

/// An action item deleted and not restored: what the history kept of it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedAction {
    /// The history entry of its deletion: what a restore names.
    pub entry_id: i64,
    pub meeting_id: i64,
    /// When it went (Unix seconds), and who deleted it.
    pub deleted_at: i64,
    pub deleted_by: Option<i64>,
    pub title: String,
    pub owner_id: Option<i64>,
    /// YYYY-MM-DD.
    pub due_on: Option<String>,
    pub status: String,
}

/// The history entries of action items of meeting `meeting_id` deleted and
/// restored since.
async fn restored_actions(
    db: &impl ConnectionTrait,
    meeting_id: i64,
) -> Result<HashSet<i64>, StoreError> {
    audit::restorations(
        db,
        audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq("meeting"))
            .filter(audit_log::Column::EntityId.eq(meeting_id))
            .filter(audit_log::Column::Action.eq("action-restore")),
    )
    .await
}

/// An action item as the history kept it (`a`: its title, owner, due day,
/// status and plan link), added again to meeting `meeting_id`: with its
/// owner if they may still act (not a viewer since), with its plan link if
/// that action is still in the account's plan. None without a title.
async fn insert_kept_action(
    txn: &DatabaseTransaction,
    meeting_id: i64,
    customer_id: Option<i64>,
    a: &serde_json::Value,
    t: i64,
) -> Result<Option<meeting_action::Model>, StoreError> {
    let s = |k: &str| a.get(k).and_then(serde_json::Value::as_str);
    let n = |k: &str| a.get(k).and_then(serde_json::Value::as_i64);
    let Some(title) = s("title") else {
        return Ok(None);
    };
    let owner = match n("owner_id") {
        Some(o) => user::Entity::find_by_id(o)
            .one(txn)
            .await?
            .filter(|u| u.role != "viewer")
            .map(|u| u.id),
        None => None,
    };
    let index = n("plan_action_index");
    let plan = match n("plan_version_id") {
        Some(v) => crate::entities::plan_version::Entity::find_by_id(v)
            .one(txn)
            .await?
            .filter(|p| {
                Some(p.customer_id) == customer_id
                    && index
                        .and_then(|i| usize::try_from(i).ok())
                        .is_some_and(|i| p.content().actions.get(i).is_some())
            })
            .map(|p| p.id),
        None => None,
    };
    Ok(Some(
        meeting_action::ActiveModel {
            meeting_id: Set(meeting_id),
            title: Set(title.to_owned()),
            owner_id: Set(owner),
            due_on: Set(s("due").map(str::to_owned)),
            status: Set(s("status").unwrap_or("open").to_owned()),
            plan_version_id: Set(plan),
            plan_action_index: Set(plan.and(index)),
            version: Set(1),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(txn)
        .await?,
    ))
}

fn party_model(meeting_id: i64, p: Party) -> meeting_participant::ActiveModel {
    let (u, c, k) = match p {
        Party::User(u) => (Some(u), None, None),
        Party::Contact(c) => (None, Some(c), None),
        Party::Company(k) => (None, None, Some(k)),
    };
    meeting_participant::ActiveModel {
        meeting_id: Set(meeting_id),
        user_id: Set(u),
        contact_id: Set(c),
        customer_id: Set(k),
        ..Default::default()
    }
}

fn party_of(p: &meeting_participant::Model) -> Option<Party> {
    match (p.user_id, p.contact_id, p.customer_id) {
        (Some(u), _, _) => Some(Party::User(u)),
        (None, Some(c), _) => Some(Party::Contact(c)),
        (None, None, Some(k)) => Some(Party::Company(k)),
        _ => None,
    }
}

fn meeting_json(m: &meeting::Model, parties: &[Party]) -> serde_json::Value {
    json!({"format_id": m.format_id, "customer_id": m.customer_id, "title": m.title, "on": m.on_date, "at": m.at_time,
           "duration": m.duration_minutes, "location": m.location, "online": m.online, "primary_objective": m.primary_objective,
           "secondary_objectives": m.secondary_objectives, "agenda": m.agenda, "minutes": m.minutes, "decisions": m.decisions,
           "status": m.status, "objective_met": m.objective_met, "satisfaction": m.satisfaction,
           "evaluation_comment": m.evaluation_comment, "evaluated_at": m.evaluated_at,
           "organizer_id": m.organizer_id, "participants": parties_json(parties)})
}

/// Who took part in a meeting, as its history keeps them.
fn parties_json(parties: &[Party]) -> serde_json::Value {
    let (mut users, mut contacts, mut companies) = (Vec::new(), Vec::new(), Vec::new());
    for p in parties {
        match p {
            Party::User(u) => users.push(*u),
            Party::Contact(c) => contacts.push(*c),
            Party::Company(k) => companies.push(*k),
        }
    }
    json!({"users": users, "contacts": contacts, "companies": companies})
}

/// Reads [`parties_json`] back, or the list history entries wrote before
/// it as text (`[User(3), Contact(5)]`).
fn parties_from(v: &serde_json::Value) -> Vec<Party> {
    if v.is_object() {
        let ids = |k: &str| audit::kept_ids(v, k);
        ids("users")
            .into_iter()
            .map(Party::User)
            .chain(ids("contacts").into_iter().map(Party::Contact))
            .chain(ids("companies").into_iter().map(Party::Company))
            .collect()
    } else {
        v.as_str()
            .unwrap_or_default()
            .trim_matches(['[', ']'])
            .split(", ")
            .filter_map(|t| {
                let (kind, rest) = t.split_once('(')?;
                let n: i64 = rest.strip_suffix(')')?.parse().ok()?;
                match kind {
                    "User" => Some(Party::User(n)),
                    "Contact" => Some(Party::Contact(n)),
                    "Company" => Some(Party::Company(n)),
                    _ => None,
                }
            })
            .collect()
    }
}

pub(crate) async fn parties_of(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Party>>, StoreError> {
    let mut out: HashMap<i64, Vec<Party>> = HashMap::new();
    for c in ids.chunks(500) {
        for p in meeting_participant::Entity::find()
            .filter(meeting_participant::Column::MeetingId.is_in(c.to_vec()))
            .order_by_asc(meeting_participant::Column::Id)
            .all(db)
            .await?
        {
            if let Some(x) = party_of(&p) {
                out.entry(p.meeting_id).or_default().push(x);
            }
        }
    }
    Ok(out)
}

/// Other meetings (not cancelled) of these users on these days.
async fn users_meetings(
    db: &impl ConnectionTrait,
    users: &[i64],
    from: &str,
    to: &str,
    except: Option<i64>,
) -> Result<Vec<(meeting::Model, Vec<i64>)>, StoreError> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let parts = meeting_participant::Entity::find()
        .filter(meeting_participant::Column::UserId.is_in(users.to_vec()))
        .all(db)
        .await?;
    let mut by_meeting: HashMap<i64, Vec<i64>> = HashMap::new();
    for p in parts {
        if let Some(u) = p.user_id {
            by_meeting.entry(p.meeting_id).or_default().push(u);
        }
    }
    // Organisers are in their meetings too.
    for m in meeting::Entity::find()
        .filter(meeting::Column::OrganizerId.is_in(users.to_vec()))
        .filter(meeting::Column::OnDate.gte(from))
        .filter(meeting::Column::OnDate.lte(to))
        .all(db)
        .await?
    {
        if let Some(o) = m.organizer_id {
            let e = by_meeting.entry(m.id).or_default();
            if !e.contains(&o) {
                e.push(o);
            }
        }
    }
    let ids: Vec<i64> = by_meeting
        .keys()
        .copied()
        .filter(|i| Some(*i) != except)
        .collect();
    let mut out = Vec::new();
    for c in ids.chunks(500) {
        for m in meeting::Entity::find()
            .filter(meeting::Column::Id.is_in(c.to_vec()))
            .filter(meeting::Column::OnDate.gte(from))
            .filter(meeting::Column::OnDate.lte(to))
            .filter(meeting::Column::Status.ne(MeetingStatus::Cancelled.as_str()))
            .all(db)
            .await?
        {
            let us = by_meeting.remove(&m.id).unwrap_or_default();
            out.push((m, us));
        }
    }
    Ok(out)
}

impl Store {
    // ---------- formats ----------

    pub async fn formats(&self) -> Result<Vec<meeting_format::Model>, StoreError> {
        Ok(meeting_format::Entity::find()
            .order_by_asc(meeting_format::Column::Id)
            .all(self.conn())
            .await?)
    }

    pub async fn format(&self, id: i64) -> Result<meeting_format::Model, StoreError> {
        meeting_format::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("meeting format"))
    }

    fn format_model(f: &FormatInput) -> meeting_format::ActiveModel {
        meeting_format::ActiveModel {
            key: Set(f.key.clone()),
            name_en: Set(f.name_en.clone()),
            name_fr: Set(f.name_fr.clone()),
            external: Set(f.external),
            scope: Set(f.scope.as_str().into()),
            led_by: Set(f.led_by.clone()),
            cadence_min: Set(f.cadence_min),
            cadence_max: Set(f.cadence_max),
            usual_minutes: Set(f.usual_minutes),
            max_minutes: Set(f.max_minutes),
            participants: Set(f.participants.clone()),
            objectives: Set(f
                .objectives
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            ..Default::default()
        }
    }

    pub async fn create_format(
        &self,
        actor: Option<i64>,
        f: &FormatInput,
    ) -> Result<meeting_format::Model, StoreError> {
        let txn = self.write_txn().await?;
        if meeting_format::Entity::find()
            .filter(meeting_format::Column::Key.eq(f.key.as_str()))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(StoreError::Duplicate(format!(
                "a format with the key {} exists already",
                f.key
            )));
        }
        let mut am = Self::format_model(f);
        am.version = Set(1);
        let m = am.insert(&txn).await.map_err(|e| {
            if crate::error::is_unique_violation(&e) {
                StoreError::Duplicate(format!("a format with the key {} exists already", f.key))
            } else {
                e.into()
            }
        })?;
        audit::record(
            &txn,
            actor,
            "meeting_format",
            m.id,
            "create",
            json!({"key": m.key, "name_en": m.name_en}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn update_format(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: i64,
        f: &FormatInput,
    ) -> Result<meeting_format::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held until the end: an edit or a deletion at the same time waits,
        // then finds the new version (409) or nothing (404).
        self.hold_row(&txn, "meeting_formats", "meeting format", id, "FOR UPDATE")
            .await?;
        let before = meeting_format::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("meeting format"))?;
        if before.version != expected {
            return Err(StoreError::Stale {
                entity: "meeting format",
                current: before.version,
            });
        }
        let mut am = Self::format_model(f);
        am.id = Set(id);
        am.key = Set(before.key.clone());
        am.version = Set(before.version + 1);
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "meeting_format",
            id,
            "update",
            json!({"before": {"cadence": [before.cadence_min, before.cadence_max], "minutes": [before.usual_minutes, before.max_minutes], "objectives": before.objectives, "led_by": before.led_by},
                   "after": {"cadence": [after.cadence_min, after.cadence_max], "minutes": [after.usual_minutes, after.max_minutes], "objectives": after.objectives, "led_by": after.led_by}}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    // ---------- meetings ----------

    pub async fn meeting(&self, id: i64) -> Result<MeetingRow, StoreError> {
        let m = meeting::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("meeting"))?;
        let parties = parties_of(self.conn(), &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        Ok(MeetingRow {
            meeting: m,
            parties,
        })
    }

    /// Meetings of one account (`Some(id)`) or of the program (`None`), by date.
    pub async fn meetings_of(
        &self,
        customer_id: Option<i64>,
    ) -> Result<Vec<MeetingRow>, StoreError> {
        let q = meeting::Entity::find();
        let q = match customer_id {
            Some(c) => q.filter(meeting::Column::CustomerId.eq(c)),
            None => q.filter(meeting::Column::CustomerId.is_null()),
        };
        let ms = q
            .order_by_asc(meeting::Column::OnDate)
            .order_by_asc(meeting::Column::AtTime)
            .all(self.conn())
            .await?;
        self.with_parties(ms).await
    }

    /// The meetings of several accounts, by date.
    pub async fn meetings_of_accounts(&self, ids: &[i64]) -> Result<Vec<MeetingRow>, StoreError> {
        let mut ms = Vec::new();
        for c in ids.chunks(500) {
            ms.extend(
                meeting::Entity::find()
                    .filter(meeting::Column::CustomerId.is_in(c.to_vec()))
                    .order_by_asc(meeting::Column::OnDate)
                    .all(self.conn())
                    .await?,
            );
        }
        self.with_parties(ms).await
    }

    async fn with_parties(&self, ms: Vec<meeting::Model>) -> Result<Vec<MeetingRow>, StoreError> {
        let ids: Vec<i64> = ms.iter().map(|m| m.id).collect();
        let mut p = parties_of(self.conn(), &ids).await?;
        Ok(ms
            .into_iter()
            .map(|m| MeetingRow {
                parties: p.remove(&m.id).unwrap_or_default(),
                meeting: m,
            })
            .collect())
    }

    /// The meetings a user organises or takes part in.
    pub async fn meetings_of_user(&self, user_id: i64) -> Result<Vec<MeetingRow>, StoreError> {
        let mut ids: HashSet<i64> = meeting_participant::Entity::find()
            .filter(meeting_participant::Column::UserId.eq(user_id))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|p| p.meeting_id)
            .collect();
        ids.extend(
            meeting::Entity::find()
                .filter(meeting::Column::OrganizerId.eq(user_id))
                .all(self.conn())
                .await?
                .into_iter()
                .map(|m| m.id),
        );
        let ids: Vec<i64> = ids.into_iter().collect();
        let mut ms = Vec::new();
        for c in ids.chunks(500) {
            ms.extend(
                meeting::Entity::find()
                    .filter(meeting::Column::Id.is_in(c.to_vec()))
                    .all(self.conn())
                    .await?,
            );
        }
        ms.sort_by(|a, b| (&a.on_date, &a.at_time).cmp(&(&b.on_date, &b.at_time)));
        self.with_parties(ms).await
    }

    /// Checks a meeting against its format and its people's other meetings.
    async fn check_meeting(
        &self,
        txn: &DatabaseTransaction,
        m: &MeetingInput,
        except: Option<i64>,
    ) -> Result<meeting_format::Model, StoreError> {
        let f = meeting_format::Entity::find_by_id(m.format_id)
            .one(txn)
            .await?
            .ok_or_else(|| {
                StoreError::invalid(
                    "format_id",
                    "unknown-reference",
                    format!("there is no meeting format {}", m.format_id),
                )
            })?;
        let mut e = FieldErrors::new();
        e.take(check_duration(
            "duration_minutes",
            m.duration,
            f.max_minutes,
        ));
        match (f.scope(), m.customer_id) {
            (FormatScope::Account, None) => e.push(FieldError::new(
                "customer_id",
                "required",
                "customer_id: this format is held with one account; choose it",
            )),
            (FormatScope::Program, Some(_)) => e.push(FieldError::new(
                "customer_id",
                "program-format",
                "customer_id: this format is held for the whole program, not for one account",
            )),
            _ => {}
        }
        if let Some(c) = m.customer_id
            && customer::Entity::find_by_id(c).one(txn).await?.is_none()
        {
            return Err(StoreError::NotFound("customer"));
        }
        if let Some(o) = m.organizer_id
            && user::Entity::find_by_id(o).one(txn).await?.is_none()
        {
            e.push(FieldError::new(
                "organizer_id",
                "unknown-reference",
                format!("organizer_id: there is no user {o}"),
            ));
        }
        let today = Date::from_unix_days(now().div_euclid(86_400));
        if m.status == MeetingStatus::Held && m.on > today {
            e.push(FieldError::new(
                "status",
                "held-in-future",
                format!(
                    "status: a meeting on {} cannot have been held yet; keep it planned",
                    m.on
                ),
            ));
        }
        if m.status == MeetingStatus::Planned && !is_working_day(m.on) {
            e.push(FieldError::new(
                "on",
                "not-working-day",
                format!("on: {} is a weekend day; choose a working day", m.on),
            ));
        }
        let companies: HashSet<i64> = m
            .parties
            .iter()
            .filter_map(|p| match p {
                Party::Company(k) => Some(*k),
                _ => None,
            })
            .collect();
        // Each participant is named as sent: its place in its own list
        // (`user_ids[0]`, `contact_ids[2]`, `customer_ids[1]`).
        let (mut users_seen, mut contacts_seen, mut companies_seen) = (0, 0, 0);
        for p in &m.parties {
            let next = |n: &mut usize| {
                *n += 1;
                *n - 1
            };
            let field = match p {
                Party::User(_) => format!("user_ids[{}]", next(&mut users_seen)),
                Party::Contact(_) => format!("contact_ids[{}]", next(&mut contacts_seen)),
                Party::Company(_) => format!("customer_ids[{}]", next(&mut companies_seen)),
            };
            match p {
                Party::User(u) => {
                    if user::Entity::find_by_id(*u).one(txn).await?.is_none() {
                        e.push(FieldError::new(
                            &field,
                            "unknown-reference",
                            format!("{field}: there is no user {u}"),
                        ));
                    }
                }
                Party::Contact(c) => match contact::Entity::find_by_id(*c).one(txn).await? {
                    None => e.push(FieldError::new(
                        &field,
                        "unknown-reference",
                        format!("{field}: there is no contact {c}"),
                    )),
                    Some(ct) => {
                        let ok = match m.customer_id {
                            Some(cid) => ct.customer_id == cid,
                            None => companies.contains(&ct.customer_id),
                        };
                        if !ok {
                            e.push(FieldError::new(
                                &field,
                                "other-customer",
                                format!("{field}: {} {} belongs to a company that is not at this meeting", ct.first_name, ct.last_name),
                            ));
                        }
                    }
                },
                Party::Company(k) => {
                    if m.customer_id.is_some() {
                        e.push(FieldError::new(
                            &field,
                            "program-format",
                            format!("{field}: companies take part in program meetings only"),
                        ));
                    } else if customer::Entity::find_by_id(*k).one(txn).await?.is_none() {
                        e.push(FieldError::new(
                            &field,
                            "unknown-reference",
                            format!("{field}: there is no customer {k}"),
                        ));
                    }
                }
            }
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        if m.status != MeetingStatus::Cancelled {
            // Never two meetings at once for the same person.
            let mut users: Vec<i64> = m
                .parties
                .iter()
                .filter_map(|p| match p {
                    Party::User(u) => Some(*u),
                    _ => None,
                })
                .collect();
            users.extend(m.organizer_id.filter(|o| !users.contains(o)));
            let day = m.on.to_string();
            let start = i64::from(m.at.0) * 60 + i64::from(m.at.1);
            let end = start + m.duration;
            for (other, us) in users_meetings(txn, &users, &day, &day, except).await? {
                let (s, t) = other.minutes_of_day();
                if s < end && start < t {
                    let who = user::Entity::find_by_id(us[0])
                        .one(txn)
                        .await?
                        .map_or_else(|| format!("user {}", us[0]), |u| u.name);
                    return Err(StoreError::invalid(
                        "at",
                        "clash",
                        format!(
                            "at: {who} is already in \"{}\" from {} for {} minutes",
                            other.title, other.at_time, other.duration_minutes
                        ),
                    ));
                }
            }
        }
        Ok(f)
    }

    fn meeting_model(m: &MeetingInput) -> meeting::ActiveModel {
        meeting::ActiveModel {
            format_id: Set(m.format_id),
            customer_id: Set(m.customer_id),
            title: Set(m.title.clone()),
            on_date: Set(m.on.to_string()),
            at_time: Set(format!("{:02}:{:02}", m.at.0, m.at.1)),
            duration_minutes: Set(m.duration),
            location: Set(m.location.clone()),
            online: Set(m.online),
            primary_objective: Set(m.primary.as_str().into()),
            secondary_objectives: Set(m
                .secondary
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            agenda: Set(m.agenda.clone()),
            minutes: Set(m.minutes.clone()),
            decisions: Set(m.decisions.clone()),
            status: Set(m.status.as_str().into()),
            organizer_id: Set(m.organizer_id),
            ..Default::default()
        }
    }

    /// Holds (PostgreSQL) every customer a meeting names — its account and
    /// the companies among its participants — in id order, so that none is
    /// deleted before the meeting is written; one already gone is then
    /// named by the meeting's own checks.
    async fn hold_meeting_customers(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        m: &MeetingInput,
    ) -> Result<(), StoreError> {
        let mut ids: Vec<i64> = m
            .customer_id
            .into_iter()
            .chain(m.parties.iter().filter_map(|p| match p {
                Party::Company(c) => Some(*c),
                _ => None,
            }))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if self.is_sqlite() || ids.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        txn.execute_unprepared(&format!(
            "SELECT id FROM customers WHERE id IN ({}) ORDER BY id FOR KEY SHARE",
            list.join(", ")
        ))
        .await?;
        Ok(())
    }

    pub async fn create_meeting(
        &self,
        actor: Option<i64>,
        m: &MeetingInput,
    ) -> Result<meeting::Model, StoreError> {
        let txn = self.write_txn().await?;
        self.hold_meeting_customers(&txn, m).await?;
        self.check_meeting(&txn, m, None).await?;
        let t = now();
        let mut am = Self::meeting_model(m);
        am.version = Set(1);
        am.created_by = Set(actor);
        am.created_at = Set(t);
        am.updated_at = Set(t);
        let saved = am.insert(&txn).await?;
        for p in &m.parties {
            party_model(saved.id, *p).insert(&txn).await?;
        }
        audit::record(
            &txn,
            actor,
            "meeting",
            saved.id,
            "create",
            meeting_json(&saved, &m.parties),
        )
        .await?;
        txn.commit().await?;
        Ok(saved)
    }

    pub async fn update_meeting(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: i64,
        m: &MeetingInput,
    ) -> Result<meeting::Model, StoreError> {
        let txn = self.write_txn().await?;
        self.hold_meeting_customers(&txn, m).await?;
        // Held until the end: an edit or a deletion at the same time waits,
        // then finds the new version (409) or nothing (404).
        self.hold_row(&txn, "meetings", "meeting", id, "FOR UPDATE")
            .await?;
        let before = meeting::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("meeting"))?;
        if before.version != expected {
            return Err(StoreError::Stale {
                entity: "meeting",
                current: before.version,
            });
        }
        self.check_meeting(&txn, m, Some(id)).await?;
        let mut am = Self::meeting_model(m);
        am.id = Set(id);
        am.series = Set(before.series);
        am.objective_met = Set(before.objective_met);
        am.satisfaction = Set(before.satisfaction);
        am.evaluation_comment = Set(before.evaluation_comment.clone());
        am.evaluated_at = Set(before.evaluated_at);
        am.created_by = Set(before.created_by);
        am.created_at = Set(before.created_at);
        am.version = Set(before.version + 1);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        let old_parties = parties_of(&txn, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        meeting_participant::Entity::delete_many()
            .filter(meeting_participant::Column::MeetingId.eq(id))
            .exec(&txn)
            .await?;
        for p in &m.parties {
            party_model(id, *p).insert(&txn).await?;
        }
        audit::record(
            &txn,
            actor,
            "meeting",
            id,
            "update",
            json!({"before": meeting_json(&before, &old_parties), "after": meeting_json(&after, &m.parties)}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Moves one meeting of a series; the others keep their dates.
    pub async fn reschedule_meeting(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: i64,
        on: Date,
        at: (u32, u32),
    ) -> Result<meeting::Model, StoreError> {
        if !is_working_day(on) {
            return Err(StoreError::invalid(
                "on",
                "not-working-day",
                format!("on: {on} is a weekend day; choose a working day"),
            ));
        }
        let row = self.meeting(id).await?;
        let m = &row.meeting;
        let input = MeetingInput {
            format_id: m.format_id,
            customer_id: m.customer_id,
            title: m.title.clone(),
            on,
            at,
            duration: m.duration_minutes,
            location: m.location.clone(),
            online: m.online,
            primary: Objective::from_str_opt(&m.primary_objective).unwrap_or(Objective::Planning),
            secondary: m
                .secondary_objectives
                .split(',')
                .filter_map(Objective::from_str_opt)
                .collect(),
            agenda: m.agenda.clone(),
            minutes: m.minutes.clone(),
            decisions: m.decisions.clone(),
            status: m.meeting_status(),
            organizer_id: m.organizer_id,
            parties: row.parties.clone(),
        };
        self.update_meeting(actor, id, expected, &input).await
    }

    /// Plans `n` meetings of a format over the 12 months from `start`, on
    /// working days when none of the users is already in a meeting.
    #[allow(clippy::too_many_arguments)]
    pub async fn plan_cadence(
        &self,
        actor: Option<i64>,
        template: &MeetingInput,
        n: i64,
        start: Date,
    ) -> Result<Vec<meeting::Model>, StoreError> {
        let f = self.format(template.format_id).await?;
        if n < f.cadence_min || n > f.cadence_max {
            return Err(StoreError::invalid(
                "per_year",
                "out-of-range",
                format!(
                    "per_year: this format is held {} to {} times a year, not {n}",
                    f.cadence_min, f.cadence_max
                ),
            ));
        }
        let mut users: Vec<i64> = template
            .parties
            .iter()
            .filter_map(|p| match p {
                Party::User(u) => Some(*u),
                _ => None,
            })
            .collect();
        users.extend(template.organizer_id.filter(|o| !users.contains(o)));
        let end = start.add_days(366).to_string();
        let busy: HashSet<Date> =
            users_meetings(self.conn(), &users, &start.to_string(), &end, None)
                .await?
                .iter()
                .filter_map(|(m, _)| m.date())
                .collect();
        let days = plan_year(start, n, &busy);
        // Every meeting stays within the dates Clef keeps (to 2200-12-31).
        if days.iter().any(|d| d.year > 2200) {
            return Err(StoreError::invalid(
                "on",
                "out-of-range",
                "on: a year of meetings from this date would run past 2200-12-31; start earlier",
            ));
        }
        let txn = self.write_txn().await?;
        self.hold_meeting_customers(&txn, template).await?;
        let t = now();
        let mut out = Vec::new();
        let mut series = None;
        for (k, d) in days.iter().enumerate() {
            let m = MeetingInput {
                on: *d,
                title: clef_domain::rituals::numbered_title(&template.title, k + 1, days.len()),
                ..template.clone()
            };
            self.check_meeting(&txn, &m, None).await?;
            let mut am = Self::meeting_model(&m);
            am.series = Set(series);
            am.version = Set(1);
            am.created_by = Set(actor);
            am.created_at = Set(t);
            am.updated_at = Set(t);
            let saved = am.insert(&txn).await?;
            if series.is_none() {
                series = Some(saved.id);
                let mut fix: meeting::ActiveModel = saved.clone().into();
                fix.series = Set(Some(saved.id));
                fix.update(&txn).await?;
            }
            for p in &m.parties {
                party_model(saved.id, *p).insert(&txn).await?;
            }
            out.push(saved);
        }
        audit::record(
            &txn,
            actor,
            "meeting",
            series.unwrap_or(0),
            "plan-year",
            json!({"format_id": f.id, "customer_id": template.customer_id, "per_year": n, "dates": days.iter().map(|d| d.to_string()).collect::<Vec<_>>()}),
        )
        .await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Records (or corrects) a held meeting's evaluation, if the meeting is
    /// still at `expected` when given.
    pub async fn evaluate_meeting(
        &self,
        actor: Option<i64>,
        id: i64,
        (objective_met, satisfaction, comment): (i64, i64, Option<&str>),
        expected: Option<i64>,
    ) -> Result<meeting::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held until the end: an edit or a deletion at the same time waits,
        // then finds the new version (409) or nothing (404).
        self.hold_row(&txn, "meetings", "meeting", id, "FOR UPDATE")
            .await?;
        let before = meeting::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("meeting"))?;
        if let Some(e) = expected
            && e != before.version
        {
            return Err(StoreError::Stale {
                entity: "meeting",
                current: before.version,
            });
        }
        if before.meeting_status() != MeetingStatus::Held {
            return Err(StoreError::Conflict(format!(
                "\"{}\" is {}: only a held meeting is evaluated; mark it held first",
                before.title, before.status
            )));
        }
        let mut am: meeting::ActiveModel = before.clone().into();
        am.objective_met = Set(Some(objective_met));
        am.satisfaction = Set(Some(satisfaction));
        am.evaluation_comment = Set(comment.map(str::to_owned));
        am.evaluated_at = Set(Some(now()));
        am.version = Set(before.version + 1);
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "meeting",
            id,
            "evaluate",
            json!({"before": [before.objective_met, before.satisfaction, before.evaluation_comment], "after": [objective_met, satisfaction, comment]}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Deletes a meeting, if still at `expected` when given. The audit trail
    /// keeps it whole: its participants and its action items too.
    pub async fn delete_meeting(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: Option<i64>,
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        self.hold_row(&txn, "meetings", "meeting", id, "FOR UPDATE")
            .await?;
        let m = meeting::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("meeting"))?;
        if let Some(e) = expected
            && e != m.version
        {
            return Err(StoreError::Stale {
                entity: "meeting",
                current: m.version,
            });
        }
        let parties = parties_of(&txn, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let actions: Vec<serde_json::Value> = meeting_action::Entity::find()
            .filter(meeting_action::Column::MeetingId.eq(id))
            .order_by_asc(meeting_action::Column::Id)
            .all(&txn)
            .await?
            .iter()
            .map(|a| json!({"title": a.title, "owner_id": a.owner_id, "due": a.due_on, "status": a.status, "plan_version_id": a.plan_version_id, "plan_action_index": a.plan_action_index}))
            .collect();
        let mut detail = meeting_json(&m, &parties);
        detail["actions"] = json!(actions);
        meeting::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(&txn, actor, "meeting", id, "delete", detail).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Brings a deleted meeting of customer `customer_id` back from the
    /// history entry of its deletion, once, as a new meeting: its fields,
    /// agenda, minutes, decisions and evaluation, those who took part and
    /// are still there, and its action items. Checked as a new meeting is
    /// (its format still there, no one in two meetings at once).
    pub async fn restore_meeting(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        entry_id: i64,
    ) -> Result<meeting::Model, StoreError> {
        self.restore_meeting_of(actor, Some(customer_id), entry_id)
            .await
    }

    /// The program's meetings deleted and not restored, the latest first
    /// (at most 50): each one's entry in the history, when and by whom it
    /// went, its title and its day.
    pub async fn deleted_program_meetings(
        &self,
    ) -> Result<Vec<(audit_log::Model, String, String)>, StoreError> {
        Ok(audit::unrestored_deletions(self.conn(), "meeting", 50)
            .await?
            .into_iter()
            .map(|(e, d)| {
                let t = |k: &str| audit::kept_text(&d, k).unwrap_or_default();
                let (title, on) = (t("title"), t("on"));
                (e, title, on)
            })
            .collect())
    }

    /// Brings a deleted program meeting back from the history entry of its
    /// deletion, once, as [`Store::restore_meeting`] does an account's: with
    /// the companies, people and contacts still there.
    pub async fn restore_program_meeting(
        &self,
        actor: Option<i64>,
        entry_id: i64,
    ) -> Result<meeting::Model, StoreError> {
        self.restore_meeting_of(actor, None, entry_id).await
    }

    async fn restore_meeting_of(
        &self,
        actor: Option<i64>,
        customer_id: Option<i64>,
        entry_id: i64,
    ) -> Result<meeting::Model, StoreError> {
        let txn = self.write_txn().await?;
        // A program meeting's deletion: when it went (a company or contact
        // created since under the same id is not the one that took part).
        let (d, deleted_at) = match customer_id {
            Some(c) => (
                crate::customers::deleted_entry_in(&txn, "meeting", c, entry_id).await?,
                None,
            ),
            None => {
                let (d, at) =
                    audit::deletion_to_restore(&txn, "meeting", entry_id, "deleted meeting")
                        .await?;
                (d, Some(at))
            }
        };
        let text = |k: &str| audit::kept_text(&d, k);
        let int = |k: &str| d.get(k).and_then(serde_json::Value::as_i64);
        let kept = || {
            Some(MeetingInput {
                format_id: int("format_id")?,
                customer_id,
                title: text("title")?,
                on: Date::parse("on", &text("on")?).ok()?,
                at: clef_domain::rituals::parse_time("at", &text("at")?).ok()?,
                duration: int("duration")?,
                location: text("location"),
                online: d
                    .get("online")
                    .and_then(serde_json::Value::as_bool)
                    .unwrap_or(false),
                primary: Objective::parse("primary_objective", &text("primary_objective")?).ok()?,
                secondary: text("secondary_objectives")
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|o| Objective::parse("secondary_objectives", o).ok())
                    .collect(),
                agenda: text("agenda"),
                minutes: text("minutes"),
                decisions: text("decisions"),
                status: MeetingStatus::parse("status", &text("status")?).ok()?,
                organizer_id: None,
                parties: Vec::new(),
            })
        };
        let Some(mut m) = kept() else {
            return Err(StoreError::Conflict(
                "the history did not keep enough of this meeting to bring it back".into(),
            ));
        };
        // Those who took part and are still there: our people, and the
        // customer's.
        let all = parties_from(d.get("participants").unwrap_or(&serde_json::Value::Null));
        let ids = |f: fn(&Party) -> Option<i64>| all.iter().filter_map(f).collect::<Vec<i64>>();
        let users: HashSet<i64> = user::Entity::find()
            .filter(user::Column::Id.is_in(ids(|p| match p {
                Party::User(u) => Some(*u),
                _ => None,
            })))
            .all(&txn)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        // A program meeting's companies: those still customers (created
        // before it went, not another under a reused id).
        let companies: HashSet<i64> = match deleted_at {
            Some(at) => customer::Entity::find()
                .filter(customer::Column::Id.is_in(ids(|p| match p {
                    Party::Company(c) => Some(*c),
                    _ => None,
                })))
                .filter(customer::Column::CreatedAt.lte(at))
                .all(&txn)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect(),
            None => HashSet::new(),
        };
        // The customer's contacts; a program meeting's, of its companies.
        let mut contacts =
            contact::Entity::find().filter(contact::Column::Id.is_in(ids(|p| match p {
                Party::Contact(c) => Some(*c),
                _ => None,
            })));
        contacts = match (customer_id, deleted_at) {
            (Some(c), _) => contacts.filter(contact::Column::CustomerId.eq(c)),
            (None, at) => contacts
                .filter(contact::Column::CustomerId.is_in(companies.iter().copied()))
                .filter(contact::Column::CreatedAt.lte(at.unwrap_or_default())),
        };
        let contacts: HashSet<i64> = contacts
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        m.parties = all
            .into_iter()
            .filter(|p| match p {
                Party::User(u) => users.contains(u),
                Party::Contact(c) => contacts.contains(c),
                Party::Company(c) => companies.contains(c),
            })
            .collect();
        if let Some(o) = int("organizer_id") {
            m.organizer_id = user::Entity::find_by_id(o).one(&txn).await?.map(|u| u.id);
        }
        self.check_meeting(&txn, &m, None)
            .await
            .map_err(|e| crate::relationships::gone(e, "meeting"))?;
        let t = now();
        let mut am = Self::meeting_model(&m);
        am.version = Set(1);
        am.created_by = Set(actor);
        am.created_at = Set(t);
        am.updated_at = Set(t);
        am.objective_met = Set(int("objective_met"));
        am.satisfaction = Set(int("satisfaction"));
        am.evaluation_comment = Set(text("evaluation_comment"));
        let evaluated = int("objective_met").is_some() || int("satisfaction").is_some();
        am.evaluated_at = Set(int("evaluated_at").or(evaluated.then_some(t)));
        let saved = am.insert(&txn).await?;
        for p in &m.parties {
            party_model(saved.id, *p).insert(&txn).await?;
        }
        let items = d
            .get("actions")
            .and_then(serde_json::Value::as_array)
            .cloned()
            .unwrap_or_default();
        for a in &items {
            insert_kept_action(&txn, saved.id, customer_id, a, t).await?;
        }
        let mut detail = meeting_json(&saved, &m.parties);
        detail["from_entry"] = json!(entry_id);
        audit::record(&txn, actor, "meeting", saved.id, "restore", detail).await?;
        txn.commit().await?;
        Ok(saved)
    }

    // ---------- action items ----------

    /// The action items of meeting `meeting_id` deleted and not restored,
    /// the latest first (at most 50).
    pub async fn deleted_meeting_actions(
        &self,
        meeting_id: i64,
    ) -> Result<Vec<DeletedAction>, StoreError> {
        let restored = restored_actions(self.conn(), meeting_id).await?;
        Ok(audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq("meeting"))
            .filter(audit_log::Column::EntityId.eq(meeting_id))
            .filter(audit_log::Column::Action.eq("action-delete"))
            .order_by_desc(audit_log::Column::Id)
            .limit(50 + restored.len() as u64)
            .all(self.conn())
            .await?
            .into_iter()
            .filter(|e| !restored.contains(&e.id))
            .take(50)
            .map(|e| {
                let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
                let s = |k: &str| audit::kept_text(&d, k);
                DeletedAction {
                    entry_id: e.id,
                    meeting_id,
                    deleted_at: e.at,
                    deleted_by: e.user_id,
                    title: s("title").unwrap_or_default(),
                    owner_id: d.get("owner_id").and_then(serde_json::Value::as_i64),
                    due_on: s("due"),
                    status: s("status").unwrap_or_else(|| "open".into()),
                }
            })
            .collect())
    }

    /// The meeting whose action item the deletion `entry_id` removed.
    pub async fn deleted_action_meeting(&self, entry_id: i64) -> Result<i64, StoreError> {
        audit_log::Entity::find_by_id(entry_id)
            .one(self.conn())
            .await?
            .filter(|e| e.entity == "meeting" && e.action == "action-delete")
            .map(|e| e.entity_id)
            .ok_or(StoreError::NotFound("deleted action item"))
    }

    /// Brings a deleted action item back, once, to its meeting (if still
    /// there): its title, due date and status, its owner if they may still
    /// act, its plan link if that action is still in the plan.
    pub async fn restore_meeting_action(
        &self,
        actor: Option<i64>,
        entry_id: i64,
    ) -> Result<meeting_action::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held: a second restore of the same deletion waits, then finds it.
        let entry = audit_log::Entity::find_by_id(entry_id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .filter(|e| e.entity == "meeting" && e.action == "action-delete")
            .ok_or(StoreError::NotFound("deleted action item"))?;
        if restored_actions(&txn, entry.entity_id)
            .await?
            .contains(&entry_id)
        {
            return Err(StoreError::Conflict(
                "this action item was restored already".into(),
            ));
        }
        let m = meeting::Entity::find_by_id(entry.entity_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("meeting"))?;
        let d: serde_json::Value = serde_json::from_str(&entry.detail).unwrap_or_default();
        let Some(a) = insert_kept_action(&txn, m.id, m.customer_id, &d, now()).await? else {
            return Err(StoreError::Conflict(
                "the history did not keep enough of this action item to bring it back".into(),
            ));
        };
        audit::record(
            &txn,
            actor,
            "meeting",
            m.id,
            "action-restore",
            json!({"from_entry": entry_id, "id": a.id, "title": a.title, "owner_id": a.owner_id, "due": a.due_on}),
        )
        .await?;
        txn.commit().await?;
        Ok(a)
    }

    pub async fn meeting_actions(
        &self,
        meeting_id: i64,
    ) -> Result<Vec<meeting_action::Model>, StoreError> {
        Ok(meeting_action::Entity::find()
            .filter(meeting_action::Column::MeetingId.eq(meeting_id))
            .order_by_asc(meeting_action::Column::Id)
            .all(self.conn())
            .await?)
    }

    pub async fn meeting_action(&self, id: i64) -> Result<meeting_action::Model, StoreError> {
        meeting_action::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("action item"))
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn add_meeting_action(
        &self,
        actor: Option<i64>,
        meeting_id: i64,
        title: &str,
        owner_id: Option<i64>,
        due: Option<Date>,
        plan_link: Option<(i64, i64)>,
    ) -> Result<meeting_action::Model, StoreError> {
        let txn = self.write_txn().await?;
        let m = meeting::Entity::find_by_id(meeting_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("meeting"))?;
        check_action_owner(&txn, owner_id).await?;
        if let Some((v, i)) = plan_link {
            let pv = crate::entities::plan_version::Entity::find_by_id(v)
                .one(&txn)
                .await?
                .filter(|pv| Some(pv.customer_id) == m.customer_id)
                .ok_or_else(|| {
                    StoreError::invalid(
                        "plan_version_id",
                        "other-customer",
                        "plan_version_id: link only an action of this account's plan",
                    )
                })?;
            if usize::try_from(i)
                .ok()
                .and_then(|i| pv.content().actions.get(i).cloned())
                .is_none()
            {
                return Err(StoreError::invalid(
                    "plan_action_index",
                    "unknown-reference",
                    "plan_action_index: this plan has no such action",
                ));
            }
        }
        let a = meeting_action::ActiveModel {
            meeting_id: Set(meeting_id),
            title: Set(title.to_owned()),
            owner_id: Set(owner_id),
            due_on: Set(due.map(|d| d.to_string())),
            status: Set("open".into()),
            plan_version_id: Set(plan_link.map(|p| p.0)),
            plan_action_index: Set(plan_link.map(|p| p.1)),
            version: Set(1),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            actor,
            "meeting",
            meeting_id,
            "action",
            json!({"id": a.id, "title": title, "owner_id": owner_id, "due": a.due_on}),
        )
        .await?;
        txn.commit().await?;
        Ok(a)
    }

    /// The action item `id`, held until `txn` ends (an edit or a deletion
    /// at the same time waits, then finds the new version or nothing), and
    /// at `expected` version when given.
    async fn held_action(
        &self,
        txn: &DatabaseTransaction,
        id: i64,
        expected: Option<i64>,
    ) -> Result<meeting_action::Model, StoreError> {
        self.hold_row(txn, "meeting_actions", "action item", id, "FOR UPDATE")
            .await?;
        let a = meeting_action::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound("action item"))?;
        match expected {
            Some(v) if v != a.version => Err(StoreError::Stale {
                entity: "action item",
                current: a.version,
            }),
            _ => Ok(a),
        }
    }

    /// Corrects an action item's title, owner and due date, at the
    /// version read; its status and plan link stay.
    pub async fn update_meeting_action(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: i64,
        title: &str,
        owner_id: Option<i64>,
        due: Option<Date>,
    ) -> Result<meeting_action::Model, StoreError> {
        let txn = self.write_txn().await?;
        let a = self.held_action(&txn, id, Some(expected_version)).await?;
        check_action_owner(&txn, owner_id).await?;
        let mut am: meeting_action::ActiveModel = a.clone().into();
        am.title = Set(title.to_owned());
        am.owner_id = Set(owner_id);
        am.due_on = Set(due.map(|d| d.to_string()));
        am.version = Set(a.version + 1);
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "meeting",
            a.meeting_id,
            "action-update",
            json!({"id": id,
                   "before": {"title": a.title, "owner_id": a.owner_id, "due": a.due_on},
                   "after": {"title": after.title, "owner_id": after.owner_id, "due": after.due_on}}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Deletes an action item (at the version read, when given); the
    /// meeting's history keeps what it said.
    pub async fn delete_meeting_action(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: Option<i64>,
    ) -> Result<i64, StoreError> {
        let txn = self.write_txn().await?;
        let a = self.held_action(&txn, id, expected_version).await?;
        meeting_action::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(
            &txn,
            actor,
            "meeting",
            a.meeting_id,
            "action-delete",
            json!({"id": id, "title": a.title, "owner_id": a.owner_id, "due": a.due_on,
                   "status": a.status, "plan_version_id": a.plan_version_id,
                   "plan_action_index": a.plan_action_index}),
        )
        .await?;
        txn.commit().await?;
        Ok(a.meeting_id)
    }

    pub async fn set_meeting_action_status(
        &self,
        actor: Option<i64>,
        id: i64,
        status: &str,
    ) -> Result<(), StoreError> {
        if !clef_domain::plan::ACTION_STATUSES.contains(&status) {
            return Err(StoreError::invalid(
                "status",
                "invalid-choice",
                format!(
                    "status must be one of {}, not \"{status}\"",
                    clef_domain::plan::ACTION_STATUSES.join(", ")
                ),
            ));
        }
        let txn = self.write_txn().await?;
        let a = self.held_action(&txn, id, None).await?;
        let mut am: meeting_action::ActiveModel = a.clone().into();
        am.status = Set(status.to_owned());
        am.version = Set(a.version + 1);
        am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "meeting",
            a.meeting_id,
            "action-status",
            json!({"id": id, "status": status}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// A user's action items from meetings, with their meeting.
    pub async fn my_meeting_actions(
        &self,
        user_id: i64,
        include_closed: bool,
    ) -> Result<Vec<(meeting_action::Model, meeting::Model)>, StoreError> {
        let mut q =
            meeting_action::Entity::find().filter(meeting_action::Column::OwnerId.eq(user_id));
        if !include_closed {
            q = q.filter(meeting_action::Column::Status.is_in(["open", "in_progress"]));
        }
        let actions = q.all(self.conn()).await?;
        let ids: Vec<i64> = actions.iter().map(|a| a.meeting_id).collect();
        let mut ms: HashMap<i64, meeting::Model> = HashMap::new();
        for c in ids.chunks(500) {
            for m in meeting::Entity::find()
                .filter(meeting::Column::Id.is_in(c.to_vec()))
                .all(self.conn())
                .await?
            {
                ms.insert(m.id, m);
            }
        }
        Ok(actions
            .into_iter()
            .filter_map(|a| ms.get(&a.meeting_id).cloned().map(|m| (a, m)))
            .collect())
    }

    // ---------- calendar feeds ----------

    /// A new feed; the token is shown once, only its hash is kept.
    pub async fn create_feed(
        &self,
        actor: Option<i64>,
        kind: &str,
        user_id: Option<i64>,
        customer_id: Option<i64>,
    ) -> Result<(calendar_feed::Model, String), StoreError> {
        let token = random_secret()?;
        let txn = self.write_txn().await?;
        let m = calendar_feed::ActiveModel {
            token_hash: Set(sha256_hex(&token)),
            kind: Set(kind.to_owned()),
            user_id: Set(user_id),
            customer_id: Set(customer_id),
            created_by: Set(actor),
            created_at: Set(now()),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            actor,
            "calendar_feed",
            m.id,
            "create",
            json!({"kind": kind, "user_id": user_id, "customer_id": customer_id}),
        )
        .await?;
        txn.commit().await?;
        Ok((m, token))
    }

    pub async fn feeds_of(&self, user_id: i64) -> Result<Vec<calendar_feed::Model>, StoreError> {
        Ok(calendar_feed::Entity::find()
            .filter(calendar_feed::Column::CreatedBy.eq(user_id))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .order_by_asc(calendar_feed::Column::Id)
            .all(self.conn())
            .await?)
    }

    pub async fn revoke_feed(&self, actor: Option<i64>, id: i64) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        let f = calendar_feed::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("calendar feed"))?;
        if f.created_by != actor {
            return Err(StoreError::NotFound("calendar feed"));
        }
        let mut am: calendar_feed::ActiveModel = f.into();
        am.revoked_at = Set(Some(now()));
        am.update(&txn).await?;
        audit::record(&txn, actor, "calendar_feed", id, "revoke", json!({})).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The live feed a token opens.
    pub async fn feed_by_token(
        &self,
        token: &str,
    ) -> Result<Option<calendar_feed::Model>, StoreError> {
        Ok(calendar_feed::Entity::find()
            .filter(calendar_feed::Column::TokenHash.eq(sha256_hex(token)))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .one(self.conn())
            .await?)
    }
}
