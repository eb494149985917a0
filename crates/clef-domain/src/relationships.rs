//! Relationships with a customer: the stakeholder map, our links to its
//! people, coverage gaps, the account team's allocation and the sponsors'
//! load. Pure rules; the store keeps the records.

use crate::{Date, FieldError, FieldErrors, OptionalText, string_enum};
use std::collections::{HashMap, HashSet};

string_enum!(
    /// A contact's part in the buying decision.
    BuyingRole, "invalid-choice", {
        DecisionMaker => "decision_maker",
        Influencer => "influencer",
        Buyer => "buyer",
        User => "user",
        Gatekeeper => "gatekeeper",
    }
);

string_enum!(
    /// How high a contact sits.
    Level, "invalid-choice", {
        Executive => "executive",
        Management => "management",
        Operational => "operational",
    }
);

string_enum!(
    /// How a contact stands towards us.
    Attitude, "invalid-choice", {
        Champion => "champion",
        Supporter => "supporter",
        Neutral => "neutral",
        Sceptic => "sceptic",
        Opponent => "opponent",
    }
);

string_enum!(
    /// How often a relationship link is usually exercised.
    Frequency, "invalid-choice", {
        Weekly => "weekly",
        Monthly => "monthly",
        Quarterly => "quarterly",
        Yearly => "yearly",
        AdHoc => "ad_hoc",
    }
);

string_enum!(
    /// What kind of contact an interaction was.
    InteractionKind, "invalid-choice", {
        Meeting => "meeting",
        Call => "call",
        Email => "email",
        Visit => "visit",
        Event => "event",
    }
);

string_enum!(
    /// An account team member's function.
    TeamFunction, "invalid-choice", {
        Sales => "sales",
        Logistics => "logistics",
        Marketing => "marketing",
        Production => "production",
        Finance => "finance",
        Quality => "quality",
        CustomerService => "customer_service",
        Engineering => "engineering",
        Other => "other",
    }
);

/// The default number of days after which a contact counts as not met.
pub const DEFAULT_COVERAGE_DAYS: i64 = 90;
/// The default number of key accounts one executive sponsor holds at most.
pub const DEFAULT_SPONSOR_LIMIT: i64 = 3;

/// A 1–5 value (influence, strength).
pub fn parse_one_to_five(field: &str, v: i64) -> Result<i64, FieldError> {
    if (1..=5).contains(&v) {
        Ok(v)
    } else {
        Err(FieldError::new(
            field,
            "out-of-range",
            format!("{field} must be from 1 to 5, not {v}"),
        ))
    }
}

/// A share of time, 0–100 %.
pub fn parse_share(field: &str, v: i64) -> Result<i64, FieldError> {
    if (0..=100).contains(&v) {
        Ok(v)
    } else {
        Err(FieldError::new(
            field,
            "out-of-range",
            format!("{field} must be a percentage from 0 to 100, not {v}"),
        ))
    }
}

/// A contact's place on the stakeholder map, as submitted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StakeholderInput {
    pub buying_role: Option<String>,
    pub level: Option<String>,
    pub function: Option<String>,
    pub reports_to_id: Option<i64>,
    pub attitude: Option<String>,
    pub influence: Option<i64>,
    pub next_action: Option<String>,
    pub next_action_on: Option<String>,
}

/// A contact's place on the stakeholder map, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stakeholder {
    pub buying_role: Option<BuyingRole>,
    pub level: Option<Level>,
    pub function: Option<String>,
    pub reports_to_id: Option<i64>,
    pub attitude: Option<Attitude>,
    pub influence: Option<i64>,
    /// What we plan to do about this person (an opponent needs one).
    pub next_action: Option<String>,
    pub next_action_on: Option<Date>,
}

impl StakeholderInput {
    pub fn parse(&self) -> Result<Stakeholder, FieldErrors> {
        let mut e = FieldErrors::new();
        let blank = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let out = Stakeholder {
            buying_role: blank(&self.buying_role)
                .and_then(|s| e.take(BuyingRole::parse("buying_role", &s))),
            level: blank(&self.level).and_then(|s| e.take(Level::parse("level", &s))),
            function: e
                .take(OptionalText::parse(
                    "function",
                    self.function.as_deref(),
                    100,
                ))
                .and_then(OptionalText::into_option),
            reports_to_id: self.reports_to_id,
            attitude: blank(&self.attitude).and_then(|s| e.take(Attitude::parse("attitude", &s))),
            influence: self
                .influence
                .and_then(|v| e.take(parse_one_to_five("influence", v))),
            next_action: e
                .take(OptionalText::parse(
                    "next_action",
                    self.next_action.as_deref(),
                    500,
                ))
                .and_then(OptionalText::into_option),
            next_action_on: blank(&self.next_action_on)
                .and_then(|s| e.take(Date::parse("next_action_on", &s))),
        };
        if e.is_empty() { Ok(out) } else { Err(e) }
    }
}

/// Whether making `id` report to `new_boss` closes a loop, given who reports
/// to whom today (`boss_of`).
pub fn reports_to_cycle(
    boss_of: &HashMap<i64, Option<i64>>,
    id: i64,
    new_boss: Option<i64>,
) -> bool {
    let mut seen = HashSet::new();
    let mut at = new_boss;
    while let Some(b) = at {
        if b == id || !seen.insert(b) {
            return true;
        }
        at = boss_of.get(&b).copied().flatten();
    }
    false
}

/// Everyone whose reporting chain loops: on a loop, or under one. One pass
/// over all chains, each person walked once, however long the chains.
pub fn looped_people(boss_of: &HashMap<i64, Option<i64>>) -> HashSet<i64> {
    let mut verdict: HashMap<i64, bool> = HashMap::with_capacity(boss_of.len());
    for &start in boss_of.keys() {
        let mut path = Vec::new();
        let mut on_path = HashSet::new();
        let mut at = Some(start);
        let looped = loop {
            let Some(x) = at else { break false };
            if let Some(&v) = verdict.get(&x) {
                break v;
            }
            // A boss outside the people given ends the chain.
            if !boss_of.contains_key(&x) {
                break false;
            }
            if !on_path.insert(x) {
                break true;
            }
            path.push(x);
            at = boss_of.get(&x).copied().flatten();
        };
        for x in path {
            verdict.insert(x, looped);
        }
    }
    verdict
        .into_iter()
        .filter_map(|(id, looped)| looped.then_some(id))
        .collect()
}

/// What coverage analysis needs of one contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactFacts {
    pub contact_id: i64,
    pub buying_role: Option<BuyingRole>,
    pub attitude: Option<Attitude>,
    pub influence: Option<i64>,
    pub last_contact: Option<Date>,
    /// The strongest link any of our people has with this contact.
    pub best_link: Option<i64>,
    pub next_action: Option<String>,
    pub next_action_on: Option<Date>,
}

/// A coverage gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gap {
    /// A decision maker or influencer of influence ≥ 4 with no link of
    /// strength ≥ 3.
    Uncovered,
    /// Not met for more than the configured number of days (or never).
    NotMet,
    /// An opponent with no planned action (none, or its date is past).
    OpponentWithoutAction,
}

impl Gap {
    pub fn as_str(&self) -> &'static str {
        match self {
            Gap::Uncovered => "uncovered_influential",
            Gap::NotMet => "not_met",
            Gap::OpponentWithoutAction => "opponent_without_action",
        }
    }
}

/// The gaps of one contact, `today` and a limit of `days` without contact.
pub fn gaps(c: &ContactFacts, today: Date, days: i64) -> Vec<Gap> {
    let mut out = Vec::new();
    let influential = matches!(
        c.buying_role,
        Some(BuyingRole::DecisionMaker | BuyingRole::Influencer)
    ) && c.influence.is_some_and(|i| i >= 4);
    if influential && c.best_link.is_none_or(|s| s < 3) {
        out.push(Gap::Uncovered);
    }
    let stale = match c.last_contact {
        None => true,
        Some(d) => today.days_since(d) > days,
    };
    if stale {
        out.push(Gap::NotMet);
    }
    if c.attitude == Some(Attitude::Opponent) {
        let planned = c
            .next_action
            .as_deref()
            .is_some_and(|a| !a.trim().is_empty())
            && c.next_action_on.is_none_or(|d| d >= today);
        if !planned {
            out.push(Gap::OpponentWithoutAction);
        }
    }
    out
}

/// One person's total share of time across accounts, and whether it is
/// more than a whole person.
pub fn over_allocated(shares: &[i64]) -> (i64, bool) {
    let total: i64 = shares.iter().sum();
    (total, total > 100)
}

pub mod map;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse("d", s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn facts() -> ContactFacts {
        ContactFacts {
            contact_id: 1,
            buying_role: Some(BuyingRole::DecisionMaker),
            attitude: Some(Attitude::Neutral),
            influence: Some(5),
            last_contact: Some(d("2026-11-01")),
            best_link: None,
            next_action: None,
            next_action_on: None,
        }
    }

    #[test]
    fn an_influential_person_needs_a_strong_link() {
        let today = d("2026-11-24");
        let mut c = facts();
        assert_eq!(gaps(&c, today, 90), vec![Gap::Uncovered]);
        c.best_link = Some(2);
        assert_eq!(gaps(&c, today, 90), vec![Gap::Uncovered]);
        c.best_link = Some(3);
        assert!(gaps(&c, today, 90).is_empty());
        c.best_link = None;
        c.influence = Some(3);
        assert!(gaps(&c, today, 90).is_empty());
        c.influence = Some(4);
        c.buying_role = Some(BuyingRole::Buyer);
        assert!(gaps(&c, today, 90).is_empty());
    }

    #[test]
    fn people_not_met_for_too_long_are_flagged() {
        let today = d("2026-11-24");
        let mut c = facts();
        c.best_link = Some(4);
        c.last_contact = Some(d("2026-08-26"));
        assert!(gaps(&c, today, 90).is_empty());
        c.last_contact = Some(d("2026-08-25"));
        assert_eq!(gaps(&c, today, 90), vec![Gap::NotMet]);
        assert!(gaps(&c, today, 100).is_empty());
        c.last_contact = None;
        assert_eq!(gaps(&c, today, 100), vec![Gap::NotMet]);
    }

    #[test]
    fn opponents_need_a_planned_action() {
        let today = d("2026-11-24");
        let mut c = facts();
        c.best_link = Some(4);
        c.attitude = Some(Attitude::Opponent);
        assert_eq!(gaps(&c, today, 90), vec![Gap::OpponentWithoutAction]);
        c.next_action = Some("Lunch with their CFO".into());
        assert!(gaps(&c, today, 90).is_empty());
        c.next_action_on = Some(d("2026-11-01"));
        assert_eq!(gaps(&c, today, 90), vec![Gap::OpponentWithoutAction]);
        c.next_action_on = Some(d("2026-12-01"));
        assert!(gaps(&c, today, 90).is_empty());
    }

    #[test]
    fn reports_to_loops_are_found() {
        let mut b = HashMap::new();
        b.insert(1, None);
        b.insert(2, Some(1));
        b.insert(3, Some(2));
        assert!(reports_to_cycle(&b, 1, Some(3)));
        assert!(reports_to_cycle(&b, 2, Some(2)));
        assert!(!reports_to_cycle(&b, 3, Some(1)));
        assert!(!reports_to_cycle(&b, 1, None));
        // The one pass finds the same people as the walk from each.
        let mut chains: HashMap<i64, Option<i64>> = HashMap::new();
        // 1 → 2 → 3 → 1 is a loop, 4 sits under it, 5 → 6 ends, 7 reports
        // to someone outside, 8 to themselves.
        for (p, b) in [(1, 2), (2, 3), (3, 1), (4, 1), (5, 6), (7, 99), (8, 8)] {
            chains.insert(p, Some(b));
        }
        chains.insert(6, None);
        let mut looped: Vec<i64> = looped_people(&chains).into_iter().collect();
        looped.sort_unstable();
        assert_eq!(looped, vec![1, 2, 3, 4, 8]);
        for (p, b) in &chains {
            assert_eq!(reports_to_cycle(&chains, *p, *b), looped.contains(p), "{p}");
        }
        // A chain of 100,000 people is walked once.
        let long: HashMap<i64, Option<i64>> = (0..100_000)
            .map(|i| (i, (i > 0).then_some(i - 1)))
            .collect();
        assert!(looped_people(&long).is_empty());
    }

    #[test]
    fn a_profile_names_each_bad_field() {
        let e = StakeholderInput {
            buying_role: Some("boss".into()),
            influence: Some(9),
            next_action_on: Some("soon".into()),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        for f in ["buying_role", "influence", "next_action_on"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let ok = StakeholderInput {
            buying_role: Some("decision_maker".into()),
            attitude: Some(" ".into()),
            influence: Some(4),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.buying_role, Some(BuyingRole::DecisionMaker));
        assert_eq!(ok.attitude, None);
    }

    #[test]
    fn allocation_above_a_whole_person_warns() {
        assert_eq!(over_allocated(&[50, 50]), (100, false));
        assert_eq!(over_allocated(&[60, 50]), (110, true));
    }
}
