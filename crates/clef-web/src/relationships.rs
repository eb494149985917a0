//! What the relationship API and pages share: who may see and write an
//! account's relationships, the coverage analysis, names of our people, and
//! the stakeholder map in the reader's language.

use crate::{AppState, auth::CurrentUser, error::ApiError, i18n::Tr};
use clef_domain::{
    Date, UserId,
    policy::Action,
    relationships::{
        Attitude, BuyingRole, ContactFacts, Gap, gaps,
        map::{MapLabels, MapPerson},
    },
};
use clef_store::{LinkRow, StakeholderRow, Who, customer};
use std::collections::HashMap;

/// What the current user may do with one account's relationships.
pub struct Access {
    pub customer: customer::Model,
    /// Attitude and influence are shown.
    pub sensitive: bool,
    /// Stakeholder profiles, links and interactions may be recorded.
    pub write: bool,
    /// The account team may be changed (the KAM, directors).
    pub manage_team: bool,
    /// The account's meetings may be planned, recorded and evaluated.
    pub meetings: bool,
}

pub async fn access(st: &AppState, u: &CurrentUser, customer_id: i64) -> Result<Access, ApiError> {
    let c = st.store.customer(customer_id).await?;
    let mut team = st.store.team_user_ids(customer_id).await?;
    team.extend(crate::plans::team_of(
        &st.store.plan_versions(customer_id).await?,
    ));
    let in_team = team.contains(&u.user.id);
    let owner = c.owner_id.map(UserId);
    Ok(Access {
        sensitive: u.can(Action::SeeStakeholderSensitive {
            owner,
            sponsor: c.sponsor_id.map(UserId),
            in_team,
        }),
        write: u.can(Action::WriteRelationships { owner, in_team }),
        manage_team: u.can(Action::WriteCustomer { owner }),
        meetings: u.can(Action::RunMeetings { owner, in_team }),
        customer: c,
    })
}

/// Today as `YYYY-MM-DD`.
pub fn today() -> Date {
    crate::plans::today()
}

/// Names of our people: users and colleagues.
pub struct People {
    pub users: HashMap<i64, String>,
    pub colleagues: HashMap<i64, String>,
}

impl People {
    pub async fn load(st: &AppState) -> Result<Self, ApiError> {
        Ok(Self {
            users: crate::plans::user_names(st).await?,
            colleagues: st
                .store
                .colleagues()
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
        })
    }

    pub fn name(&self, w: &Who) -> String {
        match w {
            Who::User(u) => self
                .users
                .get(u)
                .cloned()
                .unwrap_or_else(|| format!("#{u}")),
            Who::Colleague(c) => self
                .colleagues
                .get(c)
                .cloned()
                .unwrap_or_else(|| format!("#{c}")),
        }
    }
}

/// The coverage facts of each contact, from its profile and our links.
pub fn facts(rows: &[StakeholderRow], links: &[LinkRow]) -> Vec<ContactFacts> {
    let mut best: HashMap<i64, i64> = HashMap::new();
    for l in links {
        let e = best.entry(l.link.contact_id).or_insert(0);
        *e = (*e).max(l.link.strength);
    }
    rows.iter()
        .map(|r| {
            let p = r.profile.as_ref();
            ContactFacts {
                contact_id: r.contact.id,
                buying_role: p
                    .and_then(|p| p.buying_role.as_deref())
                    .and_then(BuyingRole::from_str_opt),
                attitude: p
                    .and_then(|p| p.attitude.as_deref())
                    .and_then(Attitude::from_str_opt),
                influence: p.and_then(|p| p.influence),
                last_contact: r
                    .last_contact
                    .as_deref()
                    .and_then(|d| Date::parse("d", d).ok()),
                best_link: best.get(&r.contact.id).copied().filter(|s| *s > 0),
                next_action: p.and_then(|p| p.next_action.clone()),
                next_action_on: p
                    .and_then(|p| p.next_action_on.as_deref())
                    .and_then(|d| Date::parse("d", d).ok()),
            }
        })
        .collect()
}

/// Each contact's gaps. Without the sensitive view only "not met" shows:
/// the other two would reveal influence and attitude.
pub fn gaps_of(
    rows: &[StakeholderRow],
    links: &[LinkRow],
    days: i64,
    sensitive: bool,
) -> HashMap<i64, Vec<Gap>> {
    let t = today();
    facts(rows, links)
        .into_iter()
        .map(|f| {
            let mut g = gaps(&f, t, days);
            if !sensitive {
                g.retain(|g| *g == Gap::NotMet);
            }
            (f.contact_id, g)
        })
        .collect()
}

/// A contact's name as shown.
pub fn contact_name(c: &clef_store::contact::Model) -> String {
    format!("{} {}", c.first_name, c.last_name)
}

/// A short name for the map: "S. Marchand".
fn short(name: &str) -> String {
    let mut parts = name.split_whitespace();
    match (parts.next(), parts.next_back()) {
        (Some(first), Some(last)) => {
            format!("{}. {last}", first.chars().next().unwrap_or(' '))
        }
        (Some(only), None) => only.to_owned(),
        _ => String::new(),
    }
}

/// The stakeholder map of one account, as SVG.
pub fn map_svg(
    tr: &Tr<'_>,
    customer: &str,
    rows: &[StakeholderRow],
    links: &[LinkRow],
    people: &People,
    sensitive: bool,
) -> String {
    let mut by_contact: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for l in links {
        if let Some(w) = l.who() {
            by_contact
                .entry(l.link.contact_id)
                .or_default()
                .push((short(&people.name(&w)), l.link.strength));
        }
    }
    let persons: Vec<MapPerson> = rows
        .iter()
        .map(|r| {
            let p = r.profile.as_ref();
            MapPerson {
                id: r.contact.id,
                name: contact_name(&r.contact),
                title: r
                    .contact
                    .job_title
                    .clone()
                    .or_else(|| p.and_then(|p| p.function.clone()))
                    .unwrap_or_default(),
                role: p
                    .and_then(|p| p.buying_role.as_deref())
                    .map(|b| tr.choice("buying-role", b))
                    .unwrap_or_default(),
                reports_to: p.and_then(|p| p.reports_to_id),
                attitude: if sensitive {
                    p.and_then(|p| p.attitude.as_deref())
                        .and_then(Attitude::from_str_opt)
                } else {
                    None
                },
                influence: if sensitive {
                    p.and_then(|p| p.influence)
                } else {
                    None
                },
                links: by_contact.remove(&r.contact.id).unwrap_or_default(),
            }
        })
        .collect();
    let labels = MapLabels {
        title: tr.t1("map-title", "name", customer),
        attitudes: ["champion", "supporter", "neutral", "sceptic", "opponent"]
            .map(|a| tr.choice("attitude", a)),
        unknown: tr.t("attitude-unknown"),
        influence: tr.t("influence"),
        links: tr.t("map-links"),
    };
    clef_domain::relationships::map::svg(&persons, &labels)
}
