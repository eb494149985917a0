//! Relationships with customers: stakeholder profiles, colleagues, our links
//! to their people, interactions, account teams, sponsorship and the
//! program settings that go with them.

use crate::{
    Store, StoreError, audit,
    entities::{
        account_team_member, colleague, contact, customer, interaction, interaction_participant,
        program_setting, relationship_link, stakeholder, user,
    },
    now,
};
use clef_domain::{
    Date, FieldError, FieldErrors,
    relationships::{
        DEFAULT_COVERAGE_DAYS, DEFAULT_SPONSOR_LIMIT, Frequency, InteractionKind, Level,
        Stakeholder, TeamFunction, reports_to_cycle,
    },
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// A colleague deleted and not restored, as the history kept them.
#[derive(Debug, Clone)]
pub struct DeletedColleague {
    /// The history entry of the deletion: what a restore names.
    pub entry_id: i64,
    /// When they went (Unix seconds), and who deleted them.
    pub deleted_at: i64,
    pub deleted_by: Option<i64>,
    pub name: String,
    pub function: Option<String>,
    pub email: Option<String>,
}

/// One of our people: a Clef user or a colleague who does not use Clef.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    User(i64),
    Colleague(i64),
}

impl Who {
    fn of(user: Option<i64>, colleague: Option<i64>) -> Option<Who> {
        match (user, colleague) {
            (Some(u), _) => Some(Who::User(u)),
            (None, Some(c)) => Some(Who::Colleague(c)),
            _ => None,
        }
    }
    /// The user's id, if this is a user.
    pub fn user(&self) -> Option<i64> {
        match self {
            Who::User(u) => Some(*u),
            Who::Colleague(_) => None,
        }
    }
    /// The colleague's id, if this is a colleague.
    pub fn colleague(&self) -> Option<i64> {
        match self {
            Who::Colleague(c) => Some(*c),
            Who::User(_) => None,
        }
    }
}

/// A contact with its place on the map and when we last met them.
#[derive(Debug, Clone)]
pub struct StakeholderRow {
    pub contact: contact::Model,
    pub profile: Option<stakeholder::Model>,
    /// The latest interaction (not in the future) they took part in.
    pub last_contact: Option<String>,
}

#[derive(Debug, Clone)]
pub struct LinkInput {
    pub contact_id: i64,
    pub who: Who,
    pub owner_id: Option<i64>,
    pub strength: i64,
    pub frequency: Frequency,
    pub notes: Option<String>,
}

#[derive(Debug, Clone)]
pub struct LinkRow {
    pub link: relationship_link::Model,
    /// The latest interaction both sides of the link took part in.
    pub last_interaction: Option<String>,
}

impl LinkRow {
    pub fn who(&self) -> Option<Who> {
        Who::of(self.link.user_id, self.link.colleague_id)
    }
}

#[derive(Debug, Clone)]
pub struct InteractionInput {
    pub kind: InteractionKind,
    pub occurred_on: Date,
    pub subject: String,
    pub notes: Option<String>,
    pub contact_ids: Vec<i64>,
    pub ours: Vec<Who>,
}

#[derive(Debug, Clone)]
pub struct InteractionRow {
    pub interaction: interaction::Model,
    pub contacts: Vec<i64>,
    pub ours: Vec<Who>,
}

/// A colleague's fields, checked.
#[derive(Debug, Clone, Copy)]
pub struct ColleagueInput<'a> {
    pub name: &'a str,
    pub function: Option<&'a str>,
    pub business_unit_id: Option<i64>,
    pub email: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct TeamInput {
    pub who: Who,
    pub function: TeamFunction,
    pub dedicated: bool,
    pub share_pct: i64,
}

/// A team member and their share of time across every account team.
#[derive(Debug, Clone)]
pub struct TeamRow {
    pub member: account_team_member::Model,
    pub total_share: i64,
}

impl TeamRow {
    pub fn who(&self) -> Option<Who> {
        Who::of(self.member.user_id, self.member.colleague_id)
    }
}

/// Someone's share of time per account.
#[derive(Debug, Clone)]
pub struct Allocation {
    pub who: Who,
    pub accounts: Vec<(i64, i64)>,
}

/// Program settings for relationships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// A contact not met for more days than this is a coverage gap.
    pub coverage_days: i64,
    /// The most key accounts one executive sponsor should hold.
    pub sponsor_limit: i64,
}

/// A key account, its sponsor, and the sponsor's last and next contact with
/// the customer's executives.
#[derive(Debug, Clone)]
pub struct SponsorRow {
    pub customer: customer::Model,
    pub last: Option<String>,
    pub next: Option<String>,
}

fn other_customer(field: &str, what: &str) -> StoreError {
    StoreError::invalid(
        field,
        "other-customer",
        format!(
            "{field}: this {what} belongs to another customer; link only this customer's people"
        ),
    )
}

fn unknown(field: &str, what: &str, id: i64) -> StoreError {
    StoreError::invalid(
        field,
        "unknown-reference",
        format!("{field}: there is no {what} {id}"),
    )
}

/// A record that cannot come back because one it refers to is gone: a
/// conflict to say so, not a field to correct.
pub(crate) fn gone(e: StoreError, what: &str) -> StoreError {
    match e {
        StoreError::Invalid(errors) => StoreError::Conflict(format!(
            "this {what} cannot come back: {}",
            errors
                .0
                .iter()
                // "contact_id: there is no contact 4" says "there is no contact 4".
                .map(|f| f
                    .message
                    .split_once(": ")
                    .map_or(f.message.as_str(), |(_, m)| m))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        other => other,
    }
}

async fn check_who(db: &impl ConnectionTrait, field: &str, who: Who) -> Result<(), StoreError> {
    match who {
        Who::User(u) => {
            if user::Entity::find_by_id(u).one(db).await?.is_none() {
                return Err(unknown(field, "user", u));
            }
        }
        Who::Colleague(c) => {
            if colleague::Entity::find_by_id(c).one(db).await?.is_none() {
                return Err(unknown(field, "colleague", c));
            }
        }
    }
    Ok(())
}

async fn contact_of(
    db: &impl ConnectionTrait,
    field: &str,
    id: i64,
    customer_id: i64,
) -> Result<contact::Model, StoreError> {
    let c = contact::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| unknown(field, "contact", id))?;
    if c.customer_id != customer_id {
        return Err(other_customer(field, "contact"));
    }
    Ok(c)
}

/// One time our people met (or will meet) theirs: an interaction, or a
/// meeting that is not cancelled.
struct Met {
    /// The account it belongs to; none for a program meeting.
    customer_id: Option<i64>,
    on: String,
    /// Over: a past interaction, or a meeting held (not in the future).
    done: bool,
    contacts: Vec<i64>,
    ours: Vec<Who>,
}

/// The participants of some interactions, by interaction.
async fn interaction_parts(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<interaction_participant::Model>>, StoreError> {
    let mut parts: HashMap<i64, Vec<interaction_participant::Model>> = HashMap::new();
    for c in ids.chunks(500) {
        for p in interaction_participant::Entity::find()
            .filter(interaction_participant::Column::InteractionId.is_in(c.to_vec()))
            .order_by_asc(interaction_participant::Column::Id)
            .all(db)
            .await?
        {
            parts.entry(p.interaction_id).or_default().push(p);
        }
    }
    Ok(parts)
}

/// Every interaction of some customers, and every meeting that is not
/// cancelled: theirs, and the program meetings their company takes part in.
async fn occasions(
    db: &impl ConnectionTrait,
    customer_ids: &[i64],
    today: &str,
) -> Result<Vec<Met>, StoreError> {
    use crate::entities::{meeting, meeting_participant};
    let mut out = Vec::new();
    for chunk in customer_ids.chunks(500) {
        let its = interaction::Entity::find()
            .filter(interaction::Column::CustomerId.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        let ids: Vec<i64> = its.iter().map(|i| i.id).collect();
        let mut parts = interaction_parts(db, &ids).await?;
        for i in its {
            let p = parts.remove(&i.id).unwrap_or_default();
            out.push(Met {
                customer_id: Some(i.customer_id),
                done: i.occurred_on.as_str() <= today,
                on: i.occurred_on,
                contacts: p.iter().filter_map(|x| x.contact_id).collect(),
                ours: p
                    .iter()
                    .filter_map(|x| Who::of(x.user_id, x.colleague_id))
                    .collect(),
            });
        }
        let mut mids: HashSet<i64> = meeting_participant::Entity::find()
            .filter(meeting_participant::Column::CustomerId.is_in(chunk.to_vec()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.meeting_id)
            .collect();
        mids.extend(
            meeting::Entity::find()
                .filter(meeting::Column::CustomerId.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|m| m.id),
        );
        let mids: Vec<i64> = mids.into_iter().collect();
        for c in mids.chunks(500) {
            let ms = meeting::Entity::find()
                .filter(meeting::Column::Id.is_in(c.to_vec()))
                .filter(meeting::Column::Status.ne("cancelled"))
                .all(db)
                .await?;
            let ids: Vec<i64> = ms.iter().map(|m| m.id).collect();
            let mut parties = crate::rituals::parties_of(db, &ids).await?;
            for m in ms {
                let p = parties.remove(&m.id).unwrap_or_default();
                out.push(Met {
                    customer_id: m.customer_id,
                    done: m.status == "held" && m.on_date.as_str() <= today,
                    on: m.on_date,
                    contacts: p
                        .iter()
                        .filter_map(|x| match x {
                            crate::Party::Contact(c) => Some(*c),
                            _ => None,
                        })
                        .collect(),
                    ours: p
                        .iter()
                        .filter_map(|x| match x {
                            crate::Party::User(u) => Some(Who::User(*u)),
                            _ => None,
                        })
                        .collect(),
                });
            }
        }
    }
    Ok(out)
}

fn later(a: &mut Option<String>, d: &str) {
    if a.as_deref().is_none_or(|x| x < d) {
        *a = Some(d.to_owned());
    }
}

impl Store {
    // ---------- stakeholders ----------

    /// Every contact of a customer with its stakeholder profile and last
    /// contact, by name.
    pub async fn stakeholders_of(
        &self,
        customer_id: i64,
        today: &str,
    ) -> Result<Vec<StakeholderRow>, StoreError> {
        let rows = self.stakeholders_of_many(&[customer_id], today).await?;
        Ok(rows.into_iter().map(|(_, r)| r).collect())
    }

    /// The same for several customers.
    pub async fn stakeholders_of_many(
        &self,
        customer_ids: &[i64],
        today: &str,
    ) -> Result<Vec<(i64, StakeholderRow)>, StoreError> {
        let db = self.conn();
        let mut contacts = Vec::new();
        let mut profiles: HashMap<i64, stakeholder::Model> = HashMap::new();
        for chunk in customer_ids.chunks(500) {
            contacts.extend(
                contact::Entity::find()
                    .filter(contact::Column::CustomerId.is_in(chunk.to_vec()))
                    .order_by_asc(contact::Column::LastName)
                    .order_by_asc(contact::Column::FirstName)
                    .all(db)
                    .await?,
            );
            for p in stakeholder::Entity::find()
                .filter(stakeholder::Column::CustomerId.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                profiles.insert(p.contact_id, p);
            }
        }
        crate::customers::sort_contacts(&mut contacts);
        let mut last: HashMap<i64, Option<String>> = HashMap::new();
        for m in occasions(db, customer_ids, today).await? {
            if !m.done {
                continue;
            }
            for c in m.contacts {
                later(last.entry(c).or_default(), &m.on);
            }
        }
        Ok(contacts
            .into_iter()
            .map(|c| {
                (
                    c.customer_id,
                    StakeholderRow {
                        profile: profiles.remove(&c.id),
                        last_contact: last.remove(&c.id).flatten(),
                        contact: c,
                    },
                )
            })
            .collect())
    }

    /// Sets a contact's stakeholder profile. The boss must be a contact of
    /// the same customer, and no one may end up reporting to themselves.
    pub async fn set_stakeholder(
        &self,
        actor: Option<i64>,
        contact_id: i64,
        expected: Option<i64>,
        s: &Stakeholder,
    ) -> Result<stakeholder::Model, StoreError> {
        let txn = self.write_txn().await?;
        let c = contact::Entity::find_by_id(contact_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("contact"))?;
        // A new boss is checked for loops with the account's other profile
        // edits held off (two at once, A under B and B under A, would each
        // find none); the profile itself waits for another edit of it, then
        // finds its new version.
        let account_lock = if s.reports_to_id.is_some() {
            "FOR NO KEY UPDATE"
        } else {
            "FOR KEY SHARE"
        };
        self.hold_customer(&txn, c.customer_id, account_lock)
            .await?;
        self.hold_row(&txn, "contacts", "contact", contact_id, "FOR NO KEY UPDATE")
            .await?;
        if let Some(b) = s.reports_to_id {
            contact_of(&txn, "reports_to_id", b, c.customer_id).await?;
            let boss_of: HashMap<i64, Option<i64>> = stakeholder::Entity::find()
                .filter(stakeholder::Column::CustomerId.eq(c.customer_id))
                .all(&txn)
                .await?
                .into_iter()
                .map(|p| (p.contact_id, p.reports_to_id))
                .collect();
            if reports_to_cycle(&boss_of, contact_id, Some(b)) {
                return Err(StoreError::invalid(
                    "reports_to_id",
                    "reports-to-cycle",
                    "reports_to_id: this would make a loop (someone would end up reporting to themselves); choose someone above this person",
                ));
            }
        }
        let before = stakeholder::Entity::find_by_id(contact_id)
            .one(&txn)
            .await?;
        let current = before.as_ref().map_or(0, |b| b.version);
        if let Some(e) = expected
            && e != current
        {
            return Err(StoreError::Stale {
                entity: "stakeholder profile",
                current,
            });
        }
        let t = now();
        let am = stakeholder::ActiveModel {
            contact_id: Set(contact_id),
            customer_id: Set(c.customer_id),
            buying_role: Set(s.buying_role.map(|v| v.as_str().to_owned())),
            level: Set(s.level.map(|v| v.as_str().to_owned())),
            function: Set(s.function.clone()),
            reports_to_id: Set(s.reports_to_id),
            attitude: Set(s.attitude.map(|v| v.as_str().to_owned())),
            influence: Set(s.influence),
            next_action: Set(s.next_action.clone()),
            next_action_on: Set(s.next_action_on.map(|d| d.to_string())),
            version: Set(current + 1),
            updated_by: Set(actor),
            updated_at: Set(t),
        };
        let after = if before.is_some() {
            am.update(&txn).await?
        } else {
            // A first profile written by someone else meanwhile: stale.
            am.insert(&txn).await.map_err(|e| {
                if crate::error::is_unique_violation(&e) {
                    StoreError::Stale {
                        entity: "stakeholder profile",
                        current: 1,
                    }
                } else {
                    e.into()
                }
            })?
        };
        audit::record(
            &txn,
            actor,
            "contact",
            contact_id,
            "stakeholder",
            json!({
                "before": before.as_ref().map(profile_json),
                "after": profile_json(&after),
            }),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    // ---------- colleagues ----------

    /// The colleagues by name, accents and case aside.
    pub async fn colleagues(&self) -> Result<Vec<colleague::Model>, StoreError> {
        let mut all = colleague::Entity::find()
            .order_by_asc(colleague::Column::Name)
            .all(self.conn())
            .await?;
        all.sort_by_cached_key(|c| clef_domain::search_key(&c.name));
        Ok(all)
    }

    pub async fn create_colleague(
        &self,
        actor: Option<i64>,
        c: &ColleagueInput<'_>,
    ) -> Result<colleague::Model, StoreError> {
        let txn = self.write_txn().await?;
        check_unit(&txn, c.business_unit_id).await?;
        let m = insert_colleague(&txn, c).await?;
        audit::record(
            &txn,
            actor,
            "colleague",
            m.id,
            "create",
            json!({"name": c.name, "function": c.function}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn colleague(&self, id: i64) -> Result<colleague::Model, StoreError> {
        colleague::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("colleague"))
    }

    /// Corrects a colleague (name, function, business unit, e-mail), read
    /// at `expected_version`.
    pub async fn update_colleague(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: i64,
        c: &ColleagueInput<'_>,
    ) -> Result<colleague::Model, StoreError> {
        let ColleagueInput {
            name,
            function,
            business_unit_id,
            email,
        } = *c;
        let txn = self.write_txn().await?;
        let before = colleague::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("colleague"))?;
        check_unit(&txn, business_unit_id).await?;
        let stale = |current| StoreError::Stale {
            entity: "colleague",
            current,
        };
        if before.version != expected_version {
            return Err(stale(before.version));
        }
        let r = colleague::Entity::update_many()
            .col_expr(
                colleague::Column::Name,
                sea_orm::sea_query::Expr::value(name),
            )
            .col_expr(
                colleague::Column::Function,
                sea_orm::sea_query::Expr::value(function),
            )
            .col_expr(
                colleague::Column::BusinessUnitId,
                sea_orm::sea_query::Expr::value(business_unit_id),
            )
            .col_expr(
                colleague::Column::Email,
                sea_orm::sea_query::Expr::value(email),
            )
            .col_expr(
                colleague::Column::Version,
                sea_orm::sea_query::Expr::value(expected_version.saturating_add(1)),
            )
            .filter(colleague::Column::Id.eq(id))
            .filter(colleague::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            return Err(stale(expected_version.saturating_add(1)));
        }
        let after = colleague::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("colleague"))?;
        audit::record(
            &txn,
            actor,
            "colleague",
            id,
            "update",
            json!({"before": {"name": before.name, "function": before.function, "business_unit_id": before.business_unit_id, "email": before.email},
                   "after": {"name": after.name, "function": after.function, "business_unit_id": after.business_unit_id, "email": after.email}}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// What a colleague takes part in: relationship links, account teams
    /// and interactions.
    pub async fn colleague_uses(&self, id: i64) -> Result<(u64, u64, u64), StoreError> {
        colleague_uses(self.conn(), id).await
    }

    /// Deletes a colleague who takes part in nothing (what they took part in
    /// would go with them); the history keeps them.
    pub async fn delete_colleague(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: Option<i64>,
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        // A link, team or interaction being given this colleague commits
        // first and is counted, or waits and finds them gone.
        self.hold_row(&txn, "colleagues", "colleague", id, "FOR UPDATE")
            .await?;
        let c = colleague::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("colleague"))?;
        if let Some(v) = expected_version
            && v != c.version
        {
            return Err(StoreError::Stale {
                entity: "colleague",
                current: c.version,
            });
        }
        let (links, teams, interactions) = colleague_uses(&txn, id).await?;
        if links + teams + interactions > 0 {
            return Err(StoreError::refused(
                "refused-colleague-in-use",
                &[
                    ("name", &c.name),
                    ("links", &links),
                    ("teams", &teams),
                    ("interactions", &interactions),
                ],
                format!(
                    "{} is in {links} relationship link(s), {teams} account team(s) and {interactions} interaction(s), which would be lost: remove them first",
                    c.name
                ),
            ));
        }
        colleague::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(
            &txn,
            actor,
            "colleague",
            id,
            "delete",
            json!({"name": c.name, "function": c.function, "business_unit_id": c.business_unit_id, "email": c.email}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The colleagues deleted and not restored, the latest first (at most
    /// 50).
    pub async fn deleted_colleagues(&self) -> Result<Vec<DeletedColleague>, StoreError> {
        Ok(audit::unrestored_deletions(self.conn(), "colleague", 50)
            .await?
            .into_iter()
            .map(|(e, d)| DeletedColleague {
                entry_id: e.id,
                deleted_at: e.at,
                deleted_by: e.user_id,
                name: audit::kept_text(&d, "name").unwrap_or_default(),
                function: audit::kept_text(&d, "function"),
                email: audit::kept_text(&d, "email"),
            })
            .collect())
    }

    /// Brings a deleted colleague back, once, from the history entry of
    /// the deletion: name, function, business unit (when it is still
    /// there) and e-mail, under a new id (they took part in nothing when
    /// they went).
    pub async fn restore_colleague(
        &self,
        actor: Option<i64>,
        entry_id: i64,
    ) -> Result<colleague::Model, StoreError> {
        let txn = self.write_txn().await?;
        let (d, _) =
            audit::deletion_to_restore(&txn, "colleague", entry_id, "deleted colleague").await?;
        let Some(name) = audit::kept_text(&d, "name") else {
            return Err(StoreError::Conflict(
                "the history did not keep enough of this colleague to bring them back".into(),
            ));
        };
        let unit = match d
            .get("business_unit_id")
            .and_then(serde_json::Value::as_i64)
        {
            Some(u) => crate::entities::business_unit::Entity::find_by_id(u)
                .one(&txn)
                .await?
                .map(|b| b.id),
            None => None,
        };
        let (function, email) = (
            audit::kept_text(&d, "function"),
            audit::kept_text(&d, "email"),
        );
        let m = insert_colleague(
            &txn,
            &ColleagueInput {
                name: &name,
                function: function.as_deref(),
                business_unit_id: unit,
                email: email.as_deref(),
            },
        )
        .await?;
        audit::record(
            &txn,
            actor,
            "colleague",
            m.id,
            "restore",
            json!({"from_entry": entry_id, "name": m.name, "function": m.function}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    // ---------- links ----------

    pub async fn links_of(
        &self,
        customer_id: i64,
        today: &str,
    ) -> Result<Vec<LinkRow>, StoreError> {
        self.links_of_many(&[customer_id], today).await
    }

    pub async fn links_of_many(
        &self,
        customer_ids: &[i64],
        today: &str,
    ) -> Result<Vec<LinkRow>, StoreError> {
        let db = self.conn();
        let mut links = Vec::new();
        for chunk in customer_ids.chunks(500) {
            links.extend(
                relationship_link::Entity::find()
                    .filter(relationship_link::Column::CustomerId.is_in(chunk.to_vec()))
                    .order_by_asc(relationship_link::Column::Id)
                    .all(db)
                    .await?,
            );
        }
        // For each (contact, one of ours) pair, the last time both took part.
        let mut met: HashMap<(i64, Who), String> = HashMap::new();
        for m in occasions(db, customer_ids, today).await? {
            if !m.done {
                continue;
            }
            for c in &m.contacts {
                for w in &m.ours {
                    let e = met.entry((*c, *w)).or_default();
                    if e.as_str() < m.on.as_str() {
                        *e = m.on.clone();
                    }
                }
            }
        }
        Ok(links
            .into_iter()
            .map(|l| {
                let last = Who::of(l.user_id, l.colleague_id)
                    .and_then(|w| met.get(&(l.contact_id, w)).cloned());
                LinkRow {
                    link: l,
                    last_interaction: last,
                }
            })
            .collect())
    }

    pub async fn link(&self, id: i64) -> Result<relationship_link::Model, StoreError> {
        relationship_link::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("link"))
    }

    /// Links one of our people to a contact of this customer.
    pub async fn create_link(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        l: &LinkInput,
    ) -> Result<relationship_link::Model, StoreError> {
        let txn = self.write_txn().await?;
        let m = self.insert_link(&txn, actor, customer_id, l, None).await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Writes a new link in `txn`, with its history entry: a creation, or
    /// the restoration of the deletion `from_entry` records.
    pub(crate) async fn insert_link(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        actor: Option<i64>,
        customer_id: i64,
        l: &LinkInput,
        from_entry: Option<i64>,
    ) -> Result<relationship_link::Model, StoreError> {
        self.hold_customer(txn, customer_id, "FOR KEY SHARE")
            .await?;
        customer::Entity::find_by_id(customer_id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        self.check_link(txn, customer_id, l, None).await?;
        let t = now();
        let m = relationship_link::ActiveModel {
            customer_id: Set(customer_id),
            contact_id: Set(l.contact_id),
            user_id: Set(l.who.user()),
            colleague_id: Set(l.who.colleague()),
            owner_id: Set(l.owner_id),
            strength: Set(l.strength),
            frequency: Set(l.frequency.as_str().into()),
            notes: Set(l.notes.clone()),
            version: Set(1),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let mut detail = json!({"customer_id": customer_id, "contact_id": l.contact_id, "user_id": m.user_id, "colleague_id": m.colleague_id, "strength": l.strength, "frequency": m.frequency, "owner_id": l.owner_id});
        let action = audit::created_or_restored(&mut detail, from_entry);
        audit::record(txn, actor, "relationship_link", m.id, action, detail).await?;
        Ok(m)
    }

    /// Brings a deleted link back from the history entry of its deletion,
    /// once, as a new link of customer `customer_id`: when its contact and
    /// our person are still there and not linked again since. An owner who
    /// has gone since is left out.
    pub async fn restore_link(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        entry_id: i64,
    ) -> Result<relationship_link::Model, StoreError> {
        let txn = self.write_txn().await?;
        let d =
            crate::customers::deleted_entry_in(&txn, "relationship_link", customer_id, entry_id)
                .await?;
        let int = |k: &str| d.get(k).and_then(serde_json::Value::as_i64);
        let frequency = d
            .get("frequency")
            .and_then(serde_json::Value::as_str)
            .and_then(|f| Frequency::parse("frequency", f).ok());
        let who = Who::of(int("user_id"), int("colleague_id"));
        let (Some(contact_id), Some(who), Some(strength), Some(frequency)) =
            (int("contact_id"), who, int("strength"), frequency)
        else {
            return Err(StoreError::Conflict(
                "the history did not keep enough of this link to bring it back".into(),
            ));
        };
        let owner_id = match int("owner_id") {
            Some(o) => user::Entity::find_by_id(o).one(&txn).await?.map(|u| u.id),
            None => None,
        };
        let l = LinkInput {
            contact_id,
            who,
            owner_id,
            strength,
            frequency,
            notes: d
                .get("notes")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
        };
        let m = self
            .insert_link(&txn, actor, customer_id, &l, Some(entry_id))
            .await
            .map_err(|e| gone(e, "link"))?;
        txn.commit().await?;
        Ok(m)
    }

    async fn check_link(
        &self,
        txn: &impl ConnectionTrait,
        customer_id: i64,
        l: &LinkInput,
        except: Option<i64>,
    ) -> Result<(), StoreError> {
        contact_of(txn, "contact_id", l.contact_id, customer_id).await?;
        let field = match l.who {
            Who::User(_) => "user_id",
            Who::Colleague(_) => "colleague_id",
        };
        check_who(txn, field, l.who).await?;
        if let Some(o) = l.owner_id {
            check_who(txn, "owner_id", Who::User(o)).await?;
        }
        let mut q = relationship_link::Entity::find()
            .filter(relationship_link::Column::ContactId.eq(l.contact_id));
        q = match l.who {
            Who::User(u) => q.filter(relationship_link::Column::UserId.eq(u)),
            Who::Colleague(c) => q.filter(relationship_link::Column::ColleagueId.eq(c)),
        };
        if let Some(x) = except {
            q = q.filter(relationship_link::Column::Id.ne(x));
        }
        if q.one(txn).await?.is_some() {
            return Err(StoreError::Duplicate(
                "this person is already linked to this contact: change that link instead".into(),
            ));
        }
        Ok(())
    }

    pub async fn update_link(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: i64,
        l: &LinkInput,
    ) -> Result<relationship_link::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held until the end: an edit or a deletion at the same time waits,
        // then finds the new version (409) or nothing (404).
        self.hold_row(&txn, "relationship_links", "link", id, "FOR UPDATE")
            .await?;
        let before = relationship_link::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("link"))?;
        if before.version != expected {
            return Err(StoreError::Stale {
                entity: "link",
                current: before.version,
            });
        }
        self.check_link(&txn, before.customer_id, l, Some(id))
            .await?;
        let mut am: relationship_link::ActiveModel = before.clone().into();
        am.contact_id = Set(l.contact_id);
        am.user_id = Set(l.who.user());
        am.colleague_id = Set(l.who.colleague());
        am.owner_id = Set(l.owner_id);
        am.strength = Set(l.strength);
        am.frequency = Set(l.frequency.as_str().into());
        am.notes = Set(l.notes.clone());
        am.version = Set(before.version + 1);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "relationship_link",
            id,
            "update",
            json!({"before": {"strength": before.strength, "frequency": before.frequency, "owner_id": before.owner_id, "notes": before.notes},
                   "after": {"strength": after.strength, "frequency": after.frequency, "owner_id": after.owner_id, "notes": after.notes}}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Removes a link, if still at `expected` when given.
    pub async fn delete_link(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: Option<i64>,
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        let l = relationship_link::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("link"))?;
        if expected.is_some_and(|e| e != l.version) {
            return Err(StoreError::Stale {
                entity: "link",
                current: l.version,
            });
        }
        relationship_link::Entity::delete_by_id(id)
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            actor,
            "relationship_link",
            id,
            "delete",
            json!({"customer_id": l.customer_id, "contact_id": l.contact_id, "user_id": l.user_id, "colleague_id": l.colleague_id, "strength": l.strength, "frequency": l.frequency, "owner_id": l.owner_id, "notes": l.notes}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    // ---------- interactions ----------

    /// A customer's interactions, newest first.
    pub async fn interactions_of(
        &self,
        customer_id: i64,
        limit: u64,
    ) -> Result<Vec<InteractionRow>, StoreError> {
        let db = self.conn();
        let its = interaction::Entity::find()
            .filter(interaction::Column::CustomerId.eq(customer_id))
            .order_by_desc(interaction::Column::OccurredOn)
            .order_by_desc(interaction::Column::Id)
            .limit(limit)
            .all(db)
            .await?;
        with_parts(db, its).await
    }

    /// A page of a customer's interactions, newest first, with how many it
    /// has in all.
    pub async fn interactions_page(
        &self,
        customer_id: i64,
        page: clef_domain::PageRequest,
    ) -> Result<clef_domain::Page<InteractionRow>, StoreError> {
        use sea_orm::PaginatorTrait;
        let db = self.conn();
        let all =
            interaction::Entity::find().filter(interaction::Column::CustomerId.eq(customer_id));
        let total = all.clone().count(db).await?;
        let its = all
            .order_by_desc(interaction::Column::OccurredOn)
            .order_by_desc(interaction::Column::Id)
            .offset(page.page.saturating_sub(1).saturating_mul(page.per_page))
            .limit(page.per_page)
            .all(db)
            .await?;
        Ok(clef_domain::Page {
            items: with_parts(db, its).await?,
            page: page.page,
            per_page: page.per_page,
            total,
            total_is_exact: true,
        })
    }

    /// One interaction with who took part.
    pub async fn interaction_row(&self, id: i64) -> Result<InteractionRow, StoreError> {
        let i = self.interaction(id).await?;
        let mut rows = with_parts(self.conn(), vec![i]).await?;
        rows.pop().ok_or(StoreError::NotFound("interaction"))
    }

    pub async fn interaction(&self, id: i64) -> Result<interaction::Model, StoreError> {
        interaction::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("interaction"))
    }

    /// Records an interaction: it becomes the last contact of its contacts,
    /// and the last interaction of the links between its participants.
    pub async fn record_interaction(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        x: &InteractionInput,
    ) -> Result<interaction::Model, StoreError> {
        let txn = self.write_txn().await?;
        self.hold_customer(&txn, customer_id, "FOR KEY SHARE")
            .await?;
        customer::Entity::find_by_id(customer_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        if x.contact_ids.is_empty() {
            return Err(StoreError::invalid(
                "contact_ids",
                "required",
                "contact_ids: name at least one of the customer's people who took part",
            ));
        }
        let mut e = FieldErrors::new();
        let mut seen: HashSet<i64> = HashSet::new();
        for (k, c) in x.contact_ids.iter().enumerate() {
            if !seen.insert(*c) {
                continue;
            }
            if let Err(StoreError::Invalid(f)) =
                contact_of(&txn, &format!("contact_ids[{k}]"), *c, customer_id).await
            {
                e.0.extend(f.0);
            }
        }
        // Named as the request names them: users first, then colleagues.
        let (mut users, mut colleagues) = (0, 0);
        for w in &x.ours {
            let field = match w {
                Who::User(_) => {
                    users += 1;
                    format!("user_ids[{}]", users - 1)
                }
                Who::Colleague(_) => {
                    colleagues += 1;
                    format!("colleague_ids[{}]", colleagues - 1)
                }
            };
            if let Err(StoreError::Invalid(f)) = check_who(&txn, &field, *w).await {
                e.0.extend(f.0);
            }
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let m = interaction::ActiveModel {
            customer_id: Set(customer_id),
            kind: Set(x.kind.as_str().into()),
            occurred_on: Set(x.occurred_on.to_string()),
            subject: Set(x.subject.clone()),
            notes: Set(x.notes.clone()),
            created_by: Set(actor),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut done = HashSet::new();
        for c in &x.contact_ids {
            if done.insert((Some(*c), None)) {
                interaction_participant::ActiveModel {
                    interaction_id: Set(m.id),
                    contact_id: Set(Some(*c)),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        for w in &x.ours {
            if done.insert((None, Some(*w))) {
                interaction_participant::ActiveModel {
                    interaction_id: Set(m.id),
                    user_id: Set(w.user()),
                    colleague_id: Set(w.colleague()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        audit::record(
            &txn,
            actor,
            "interaction",
            m.id,
            "create",
            json!({"customer_id": customer_id, "kind": m.kind, "occurred_on": m.occurred_on, "subject": m.subject, "contacts": x.contact_ids}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn delete_interaction(&self, actor: Option<i64>, id: i64) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        let i = interaction::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("interaction"))?;
        // Who took part goes with it: the trail keeps them too.
        let parts = interaction_parts(&txn, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let ids = |f: fn(&interaction_participant::Model) -> Option<i64>| {
            parts.iter().filter_map(f).collect::<Vec<i64>>()
        };
        let detail = json!({"customer_id": i.customer_id, "kind": i.kind, "occurred_on": i.occurred_on,
            "subject": i.subject, "notes": i.notes, "contacts": ids(|p| p.contact_id),
            "users": ids(|p| p.user_id), "colleagues": ids(|p| p.colleague_id)});
        interaction::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(&txn, actor, "interaction", id, "delete", detail).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Brings a deleted interaction back from the history entry of its
    /// deletion, once, as a new interaction of customer `customer_id`, with
    /// those who took part and still exist (one of the customer's people at
    /// least).
    pub async fn restore_interaction(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        entry_id: i64,
    ) -> Result<interaction::Model, StoreError> {
        let txn = self.write_txn().await?;
        let d =
            crate::customers::deleted_entry_in(&txn, "interaction", customer_id, entry_id).await?;
        let ids = |k: &str| audit::kept_ids(&d, k);
        let contacts: Vec<i64> = contact::Entity::find()
            .filter(contact::Column::Id.is_in(ids("contacts")))
            .filter(contact::Column::CustomerId.eq(customer_id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        if d.get("contacts").is_none() {
            return Err(StoreError::Conflict(
                "the history did not keep who took part in this interaction: it cannot come back"
                    .into(),
            ));
        }
        if contacts.is_empty() {
            return Err(StoreError::Conflict(
                "none of the customer's people who took part is left: the interaction cannot come back without one".into(),
            ));
        }
        let users: Vec<i64> = user::Entity::find()
            .filter(user::Column::Id.is_in(ids("users")))
            .all(&txn)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        let colleagues: Vec<i64> = colleague::Entity::find()
            .filter(colleague::Column::Id.is_in(ids("colleagues")))
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let text = |k: &str| audit::kept_text(&d, k);
        let m = interaction::ActiveModel {
            customer_id: Set(customer_id),
            kind: Set(text("kind").unwrap_or_else(|| "meeting".into())),
            occurred_on: Set(text("occurred_on").unwrap_or_default()),
            subject: Set(text("subject").unwrap_or_default()),
            notes: Set(text("notes")),
            created_by: Set(actor),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let parts = contacts
            .iter()
            .map(|c| (Some(*c), None, None))
            .chain(users.iter().map(|u| (None, Some(*u), None)))
            .chain(colleagues.iter().map(|c| (None, None, Some(*c))));
        for (contact_id, user_id, colleague_id) in parts {
            interaction_participant::ActiveModel {
                interaction_id: Set(m.id),
                contact_id: Set(contact_id),
                user_id: Set(user_id),
                colleague_id: Set(colleague_id),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        audit::record(
            &txn,
            actor,
            "interaction",
            m.id,
            "restore",
            json!({"customer_id": customer_id, "kind": m.kind, "occurred_on": m.occurred_on,
                   "subject": m.subject, "contacts": contacts, "from_entry": entry_id}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    // ---------- account team ----------

    /// A customer's account team, each with their share of time across
    /// every account team.
    pub async fn team(&self, customer_id: i64) -> Result<Vec<TeamRow>, StoreError> {
        let db = self.conn();
        let members = account_team_member::Entity::find()
            .filter(account_team_member::Column::CustomerId.eq(customer_id))
            .order_by_asc(account_team_member::Column::Id)
            .all(db)
            .await?;
        let mut out = Vec::new();
        for m in members {
            let total = self
                .allocation(Who::of(m.user_id, m.colleague_id).unwrap_or(Who::User(0)))
                .await?
                .accounts
                .iter()
                .map(|(_, s)| s)
                .sum();
            out.push(TeamRow {
                member: m,
                total_share: total,
            });
        }
        Ok(out)
    }

    /// Someone's share of time in each account team.
    pub async fn allocation(&self, who: Who) -> Result<Allocation, StoreError> {
        let q = account_team_member::Entity::find();
        let q = match who {
            Who::User(u) => q.filter(account_team_member::Column::UserId.eq(u)),
            Who::Colleague(c) => q.filter(account_team_member::Column::ColleagueId.eq(c)),
        };
        Ok(Allocation {
            who,
            accounts: q
                .all(self.conn())
                .await?
                .into_iter()
                .map(|m| (m.customer_id, m.share_pct))
                .collect(),
        })
    }

    /// The users on a customer's account team.
    pub async fn team_user_ids(&self, customer_id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(account_team_member::Entity::find()
            .filter(account_team_member::Column::CustomerId.eq(customer_id))
            .all(self.conn())
            .await?
            .into_iter()
            .filter_map(|m| m.user_id)
            .collect())
    }

    pub async fn team_member(&self, id: i64) -> Result<account_team_member::Model, StoreError> {
        account_team_member::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("team member"))
    }

    pub async fn add_team_member(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        t: &TeamInput,
    ) -> Result<account_team_member::Model, StoreError> {
        let txn = self.write_txn().await?;
        let m = self
            .insert_team_member(&txn, actor, customer_id, t, None)
            .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Writes a new member of an account team in `txn`, with its history
    /// entry: an addition, or the restoration of the removal `from_entry`
    /// records.
    async fn insert_team_member(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        actor: Option<i64>,
        customer_id: i64,
        t: &TeamInput,
        from_entry: Option<i64>,
    ) -> Result<account_team_member::Model, StoreError> {
        self.hold_customer(txn, customer_id, "FOR KEY SHARE")
            .await?;
        customer::Entity::find_by_id(customer_id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        let field = match t.who {
            Who::User(_) => "user_id",
            Who::Colleague(_) => "colleague_id",
        };
        check_who(txn, field, t.who).await?;
        let q = account_team_member::Entity::find()
            .filter(account_team_member::Column::CustomerId.eq(customer_id));
        let q = match t.who {
            Who::User(u) => q.filter(account_team_member::Column::UserId.eq(u)),
            Who::Colleague(c) => q.filter(account_team_member::Column::ColleagueId.eq(c)),
        };
        if q.one(txn).await?.is_some() {
            return Err(StoreError::Duplicate(
                "this person is already on the account team: change their line instead".into(),
            ));
        }
        let m = account_team_member::ActiveModel {
            customer_id: Set(customer_id),
            user_id: Set(t.who.user()),
            colleague_id: Set(t.who.colleague()),
            function: Set(t.function.as_str().into()),
            dedicated: Set(t.dedicated),
            share_pct: Set(t.share_pct),
            version: Set(1),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let mut detail = json!({"customer_id": customer_id, "user_id": m.user_id, "colleague_id": m.colleague_id, "function": m.function, "dedicated": m.dedicated, "share_pct": m.share_pct});
        let action = audit::created_or_restored(&mut detail, from_entry);
        audit::record(txn, actor, "account_team", m.id, action, detail).await?;
        Ok(m)
    }

    /// Brings a removed member of an account team back from the history
    /// entry of the removal, once, with their function and share of time:
    /// when the person is still there and not on the team again since.
    pub async fn restore_team_member(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        entry_id: i64,
    ) -> Result<account_team_member::Model, StoreError> {
        let txn = self.write_txn().await?;
        let d =
            crate::customers::deleted_entry_in(&txn, "account_team", customer_id, entry_id).await?;
        let int = |k: &str| d.get(k).and_then(serde_json::Value::as_i64);
        let function = d
            .get("function")
            .and_then(serde_json::Value::as_str)
            .and_then(|f| TeamFunction::parse("function", f).ok());
        let who = Who::of(int("user_id"), int("colleague_id"));
        let (Some(who), Some(function), Some(share_pct)) = (who, function, int("share_pct")) else {
            return Err(StoreError::Conflict(
                "the history did not keep enough of this team member to bring them back".into(),
            ));
        };
        let t = TeamInput {
            who,
            function,
            dedicated: d
                .get("dedicated")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            share_pct,
        };
        let m = self
            .insert_team_member(&txn, actor, customer_id, &t, Some(entry_id))
            .await
            .map_err(|e| gone(e, "team member"))?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn update_team_member(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: i64,
        function: TeamFunction,
        dedicated: bool,
        share_pct: i64,
    ) -> Result<account_team_member::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held until the end: an edit or a deletion at the same time waits,
        // then finds the new version (409) or nothing (404).
        self.hold_row(&txn, "account_team", "team member", id, "FOR UPDATE")
            .await?;
        let before = account_team_member::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("team member"))?;
        if before.version != expected {
            return Err(StoreError::Stale {
                entity: "team member",
                current: before.version,
            });
        }
        let mut am: account_team_member::ActiveModel = before.clone().into();
        am.function = Set(function.as_str().into());
        am.dedicated = Set(dedicated);
        am.share_pct = Set(share_pct);
        am.version = Set(before.version + 1);
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "account_team",
            id,
            "update",
            json!({"before": {"function": before.function, "dedicated": before.dedicated, "share_pct": before.share_pct},
                   "after": {"function": after.function, "dedicated": after.dedicated, "share_pct": after.share_pct}}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Removes a member of an account team, if still at `expected` when
    /// given.
    pub async fn remove_team_member(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: Option<i64>,
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        let m = account_team_member::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("team member"))?;
        if expected.is_some_and(|e| e != m.version) {
            return Err(StoreError::Stale {
                entity: "team member",
                current: m.version,
            });
        }
        account_team_member::Entity::delete_by_id(id)
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            actor,
            "account_team",
            id,
            "delete",
            json!({"customer_id": m.customer_id, "user_id": m.user_id, "colleague_id": m.colleague_id, "function": m.function, "dedicated": m.dedicated, "share_pct": m.share_pct}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    // ---------- settings and sponsorship ----------

    pub async fn settings(&self) -> Result<Settings, StoreError> {
        settings_in(self.conn()).await
    }

    /// Saves the settings. With `seen`, the settings the form showed: when
    /// they changed since, nothing is written (409).
    pub async fn set_settings(
        &self,
        actor: Option<i64>,
        s: &Settings,
        seen: Option<&Settings>,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::new();
        if !(1..=3650).contains(&s.coverage_days) {
            e.push(FieldError::new(
                "coverage_days",
                "out-of-range",
                "coverage_days must be from 1 to 3650",
            ));
        }
        if !(1..=100).contains(&s.sponsor_limit) {
            e.push(FieldError::new(
                "sponsor_limit",
                "out-of-range",
                "sponsor_limit must be from 1 to 100",
            ));
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let txn = self.write_txn().await?;
        if !self.is_sqlite() {
            // Two saves at once: one after the other (reads go on).
            txn.execute_unprepared("LOCK TABLE program_settings IN EXCLUSIVE MODE")
                .await?;
        }
        let before = settings_in(&txn).await?;
        if seen.is_some_and(|w| *w != before) {
            return Err(StoreError::Stale {
                entity: "settings",
                current: 0,
            });
        }
        for (k, v) in [
            ("coverage_days", s.coverage_days),
            ("sponsor_limit", s.sponsor_limit),
        ] {
            program_setting::Entity::delete_by_id(k.to_owned())
                .exec(&txn)
                .await?;
            program_setting::ActiveModel {
                key: Set(k.into()),
                value: Set(v.to_string()),
            }
            .insert(&txn)
            .await?;
        }
        audit::record(
            &txn,
            actor,
            "settings",
            0,
            "update",
            json!({"before": {"coverage_days": before.coverage_days, "sponsor_limit": before.sponsor_limit},
                   "after": {"coverage_days": s.coverage_days, "sponsor_limit": s.sponsor_limit}}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Names a key account's executive sponsor (a sponsor or a director), or
    /// none. With `seen`, the sponsor the form showed: when it changed
    /// since, nothing is written (409).
    pub async fn set_sponsor(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        sponsor_id: Option<i64>,
        seen: Option<Option<i64>>,
    ) -> Result<customer::Model, StoreError> {
        let txn = self.write_txn().await?;
        self.hold_customer(&txn, customer_id, "FOR NO KEY UPDATE")
            .await?;
        let c = customer::Entity::find_by_id(customer_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        if seen.is_some_and(|s| s != c.sponsor_id) {
            return Err(StoreError::Stale {
                entity: "customer",
                current: c.version,
            });
        }
        if let Some(s) = sponsor_id {
            let u = user::Entity::find_by_id(s)
                .one(&txn)
                .await?
                .ok_or_else(|| unknown("sponsor_id", "user", s))?;
            if !matches!(u.role.as_str(), "sponsor" | "director") || !u.active {
                return Err(StoreError::invalid(
                    "sponsor_id",
                    "not-a-sponsor",
                    "sponsor_id must be an active executive sponsor (role sponsor or director)",
                ));
            }
        }
        let before = c.sponsor_id;
        let mut am: customer::ActiveModel = c.clone().into();
        am.sponsor_id = Set(sponsor_id);
        am.version = Set(c.version + 1);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "customer",
            customer_id,
            "sponsor",
            json!({"before": before, "after": sponsor_id}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Every key account with its sponsor's last and next contact with the
    /// customer's executives (interactions where the sponsor and a contact
    /// of level executive both take part; future ones are planned).
    pub async fn sponsorship(&self, today: &str) -> Result<Vec<SponsorRow>, StoreError> {
        let db = self.conn();
        let accounts = customer::Entity::find()
            .filter(customer::Column::Status.eq("key_account"))
            .order_by_asc(customer::Column::Name)
            .all(db)
            .await?;
        let ids: Vec<i64> = accounts.iter().map(|c| c.id).collect();
        let mut execs: HashSet<i64> = HashSet::new();
        for chunk in ids.chunks(500) {
            for s in stakeholder::Entity::find()
                .filter(stakeholder::Column::CustomerId.is_in(chunk.to_vec()))
                .filter(stakeholder::Column::Level.eq(Level::Executive.as_str()))
                .all(db)
                .await?
            {
                execs.insert(s.contact_id);
            }
        }
        let sponsor_of: HashMap<i64, Option<i64>> =
            accounts.iter().map(|c| (c.id, c.sponsor_id)).collect();
        let mut last: HashMap<i64, String> = HashMap::new();
        let mut next: HashMap<i64, String> = HashMap::new();
        for m in occasions(db, &ids, today).await? {
            let Some(customer) = m.customer_id else {
                continue;
            };
            let Some(Some(s)) = sponsor_of.get(&customer) else {
                continue;
            };
            if !(m.ours.contains(&Who::User(*s)) && m.contacts.iter().any(|c| execs.contains(c))) {
                continue;
            }
            if m.done {
                let e = last.entry(customer).or_default();
                if e.as_str() < m.on.as_str() {
                    *e = m.on;
                }
            } else if m.on.as_str() > today {
                let e = next.entry(customer).or_insert_with(|| m.on.clone());
                if e.as_str() > m.on.as_str() {
                    *e = m.on;
                }
            }
        }
        Ok(accounts
            .into_iter()
            .map(|c| SponsorRow {
                last: last.remove(&c.id),
                next: next.remove(&c.id),
                customer: c,
            })
            .collect())
    }
}

impl Store {
    /// The customers on whose account team a user sits.
    pub async fn teams_of_user(&self, user_id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(account_team_member::Entity::find()
            .filter(account_team_member::Column::UserId.eq(user_id))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|m| m.customer_id)
            .collect())
    }
}

/// A stakeholder profile's fields, as its history keeps them.
fn profile_json(p: &stakeholder::Model) -> serde_json::Value {
    json!({"buying_role": p.buying_role, "level": p.level, "function": p.function,
           "reports_to_id": p.reports_to_id, "attitude": p.attitude, "influence": p.influence,
           "next_action": p.next_action, "next_action_on": p.next_action_on})
}

/// Whether two records' fields differ, their version aside.
pub(crate) fn fields_differ(before: &serde_json::Value, after: &serde_json::Value) -> bool {
    let strip = |v: &serde_json::Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("version");
        }
        v
    };
    strip(before) != strip(after)
}

/// One row of a stakeholders file, checked and resolved.
#[derive(Debug, Clone)]
pub struct StakeholderImport {
    /// The contact to update, or None to create one.
    pub contact_id: Option<i64>,
    pub contact: clef_domain::ContactFields,
    pub profile: Stakeholder,
    /// The boss as a row of the same file (its index), when it is new.
    pub reports_to_row: Option<usize>,
}

impl Store {
    /// Writes a stakeholders file in one transaction: contacts created or
    /// updated, then their profiles. The rows were checked by the caller.
    /// A reporting loop is refused on the field `row {k}`, `k` the index of
    /// the first row in it.
    pub async fn import_stakeholders(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        rows: &[StakeholderImport],
    ) -> Result<u64, StoreError> {
        let txn = self.write_txn().await?;
        // Like a profile edit that names a boss: the account's other
        // reporting changes wait, so that none makes a loop with this file.
        self.hold_customer(&txn, customer_id, "FOR NO KEY UPDATE")
            .await?;
        let t = now();
        let mut ids = Vec::with_capacity(rows.len());
        for r in rows {
            let am = crate::customers::contact_model(&r.contact);
            let id = match r.contact_id {
                Some(id) => {
                    let before = contact::Entity::find_by_id(id)
                        .one(&txn)
                        .await?
                        .filter(|c| c.customer_id == customer_id)
                        .ok_or(StoreError::NotFound("contact"))?;
                    let mut am = am;
                    am.id = Set(id);
                    am.customer_id = Set(customer_id);
                    am.version = Set(before.version + 1);
                    am.created_at = Set(before.created_at);
                    am.updated_at = Set(t);
                    let after = am.update(&txn).await?;
                    // Each contact the file changed, in its history as an
                    // edit would be: what it held before is not lost.
                    let (b, a) = (
                        crate::customers::contact_json(&before),
                        crate::customers::contact_json(&after),
                    );
                    if fields_differ(&b, &a) {
                        audit::record(
                            &txn,
                            actor,
                            "contact",
                            id,
                            "update",
                            json!({"before": b, "after": a}),
                        )
                        .await?;
                    }
                    id
                }
                None => {
                    let mut am = am;
                    am.customer_id = Set(customer_id);
                    am.version = Set(1);
                    am.created_at = Set(t);
                    am.updated_at = Set(t);
                    let m = am.insert(&txn).await?;
                    audit::record(
                        &txn,
                        actor,
                        "contact",
                        m.id,
                        "create",
                        crate::customers::contact_json(&m),
                    )
                    .await?;
                    m.id
                }
            };
            ids.push(id);
        }
        for (k, r) in rows.iter().enumerate() {
            let id = ids[k];
            let boss = match r.reports_to_row {
                Some(i) => ids.get(i).copied(),
                None => r.profile.reports_to_id,
            };
            let before = stakeholder::Entity::find_by_id(id).one(&txn).await?;
            let s = &r.profile;
            let am = stakeholder::ActiveModel {
                contact_id: Set(id),
                customer_id: Set(customer_id),
                buying_role: Set(s.buying_role.map(|v| v.as_str().to_owned())),
                level: Set(s.level.map(|v| v.as_str().to_owned())),
                function: Set(s.function.clone()),
                reports_to_id: Set(boss),
                attitude: Set(s.attitude.map(|v| v.as_str().to_owned())),
                influence: Set(s.influence),
                next_action: Set(s.next_action.clone()),
                next_action_on: Set(s.next_action_on.map(|d| d.to_string())),
                version: Set(before.as_ref().map_or(1, |b| b.version + 1)),
                updated_by: Set(actor),
                updated_at: Set(t),
            };
            let after = if before.is_some() {
                am.update(&txn).await?
            } else {
                am.insert(&txn).await?
            };
            let b = before.as_ref().map(profile_json);
            let a = profile_json(&after);
            if b.as_ref().is_none_or(|b| fields_differ(b, &a)) {
                audit::record(
                    &txn,
                    actor,
                    "contact",
                    id,
                    "stakeholder",
                    json!({"customer_id": customer_id, "before": b, "after": a}),
                )
                .await?;
            }
        }
        // A loop the file made on its own, or with the contacts it kept.
        let boss_of: HashMap<i64, Option<i64>> = stakeholder::Entity::find()
            .filter(stakeholder::Column::CustomerId.eq(customer_id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|p| (p.contact_id, p.reports_to_id))
            .collect();
        let looped = clef_domain::relationships::looped_people(&boss_of);
        for (k, id) in ids.iter().enumerate() {
            if looped.contains(id) {
                return Err(StoreError::invalid(
                    &format!("row {k}"),
                    "reports-to-cycle",
                    "reports_to makes a loop (someone would end up reporting to themselves)",
                ));
            }
        }
        audit::record(
            &txn,
            actor,
            "customer",
            customer_id,
            "import-stakeholders",
            json!({"rows": rows.len(), "contacts": ids}),
        )
        .await?;
        txn.commit().await?;
        Ok(rows.len() as u64)
    }

    /// Writes a links file in one transaction: a pair already linked is
    /// updated, others are created. The rows were checked by the caller.
    pub async fn import_links(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        rows: &[LinkInput],
    ) -> Result<u64, StoreError> {
        let txn = self.write_txn().await?;
        self.hold_customer(&txn, customer_id, "FOR KEY SHARE")
            .await?;
        let t = now();
        for l in rows {
            let q = relationship_link::Entity::find()
                .filter(relationship_link::Column::ContactId.eq(l.contact_id));
            let q = match l.who {
                Who::User(u) => q.filter(relationship_link::Column::UserId.eq(u)),
                Who::Colleague(c) => q.filter(relationship_link::Column::ColleagueId.eq(c)),
            };
            match q.one(&txn).await? {
                Some(before) => {
                    let v = before.version;
                    let mut am: relationship_link::ActiveModel = before.clone().into();
                    am.owner_id = Set(l.owner_id);
                    am.strength = Set(l.strength);
                    am.frequency = Set(l.frequency.as_str().into());
                    am.notes = Set(l.notes.clone());
                    am.version = Set(v + 1);
                    am.updated_at = Set(t);
                    let after = am.update(&txn).await?;
                    // Each link the file changed, in the trail as an edit
                    // would be.
                    let kept = |l: &relationship_link::Model| {
                        json!({"strength": l.strength, "frequency": l.frequency,
                               "owner_id": l.owner_id, "notes": l.notes})
                    };
                    let (b, a) = (kept(&before), kept(&after));
                    if b != a {
                        audit::record(
                            &txn,
                            actor,
                            "relationship_link",
                            after.id,
                            "update",
                            json!({"customer_id": customer_id, "before": b, "after": a}),
                        )
                        .await?;
                    }
                }
                None => {
                    let m = relationship_link::ActiveModel {
                        customer_id: Set(customer_id),
                        contact_id: Set(l.contact_id),
                        user_id: Set(l.who.user()),
                        colleague_id: Set(l.who.colleague()),
                        owner_id: Set(l.owner_id),
                        strength: Set(l.strength),
                        frequency: Set(l.frequency.as_str().into()),
                        notes: Set(l.notes.clone()),
                        version: Set(1),
                        created_at: Set(t),
                        updated_at: Set(t),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                    audit::record(
                        &txn,
                        actor,
                        "relationship_link",
                        m.id,
                        "create",
                        json!({"customer_id": customer_id, "contact_id": m.contact_id,
                               "user_id": m.user_id, "colleague_id": m.colleague_id,
                               "strength": m.strength, "frequency": m.frequency,
                               "owner_id": m.owner_id}),
                    )
                    .await?;
                }
            }
        }
        audit::record(
            &txn,
            actor,
            "customer",
            customer_id,
            "import-links",
            json!({"rows": rows.len()}),
        )
        .await?;
        txn.commit().await?;
        Ok(rows.len() as u64)
    }
}

/// Interactions with who took part in each.
async fn with_parts(
    db: &impl ConnectionTrait,
    its: Vec<interaction::Model>,
) -> Result<Vec<InteractionRow>, StoreError> {
    let ids: Vec<i64> = its.iter().map(|i| i.id).collect();
    let mut parts = interaction_parts(db, &ids).await?;
    Ok(its
        .into_iter()
        .map(|i| {
            let p = parts.remove(&i.id).unwrap_or_default();
            InteractionRow {
                contacts: p.iter().filter_map(|x| x.contact_id).collect(),
                ours: p
                    .iter()
                    .filter_map(|x| Who::of(x.user_id, x.colleague_id))
                    .collect(),
                interaction: i,
            }
        })
        .collect())
}

/// Relationship links, account teams and interactions a colleague is in.
async fn colleague_uses(db: &impl ConnectionTrait, id: i64) -> Result<(u64, u64, u64), StoreError> {
    use sea_orm::PaginatorTrait;
    let links = relationship_link::Entity::find()
        .filter(relationship_link::Column::ColleagueId.eq(id))
        .count(db)
        .await?;
    let teams = crate::entities::account_team_member::Entity::find()
        .filter(crate::entities::account_team_member::Column::ColleagueId.eq(id))
        .count(db)
        .await?;
    let interactions = interaction_participant::Entity::find()
        .filter(interaction_participant::Column::ColleagueId.eq(id))
        .count(db)
        .await?;
    Ok((links, teams, interactions))
}

/// A colleague's business unit, when one is given, must exist.
/// Writes a new colleague of checked fields.
async fn insert_colleague(
    db: &impl ConnectionTrait,
    c: &ColleagueInput<'_>,
) -> Result<colleague::Model, StoreError> {
    Ok(colleague::ActiveModel {
        name: Set(c.name.to_owned()),
        function: Set(c.function.map(str::to_owned)),
        business_unit_id: Set(c.business_unit_id),
        email: Set(c.email.map(str::to_owned)),
        created_at: Set(now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

async fn check_unit(db: &impl ConnectionTrait, unit: Option<i64>) -> Result<(), StoreError> {
    match unit {
        Some(b)
            if crate::entities::business_unit::Entity::find_by_id(b)
                .one(db)
                .await?
                .is_none() =>
        {
            Err(unknown("business_unit_id", "business unit", b))
        }
        _ => Ok(()),
    }
}

async fn settings_in(db: &impl ConnectionTrait) -> Result<Settings, StoreError> {
    let rows = program_setting::Entity::find().all(db).await?;
    let get = |k: &str, d: i64| {
        rows.iter()
            .find(|r| r.key == k)
            .and_then(|r| r.value.parse().ok())
            .unwrap_or(d)
    };
    Ok(Settings {
        coverage_days: get("coverage_days", DEFAULT_COVERAGE_DAYS),
        sponsor_limit: get("sponsor_limit", DEFAULT_SPONSOR_LIMIT),
    })
}
