//! The key account plan: its content, the rules it must follow, how complete
//! it is, and how two versions differ.
//!
//! A plan version's content is one document ([`PlanContent`]); the layout of
//! its sections ([`SECTIONS`]) drives the edit form, the comparison of two
//! versions and the completeness indicator, so they never disagree.

use crate::{Date, FieldError, FieldErrors, OptionalText, search_key, string_enum};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

string_enum!(
    /// Where a plan version stands.
    PlanStatus, "invalid-choice", {
        Draft => "draft",
        Submitted => "submitted",
        Approved => "approved",
        Archived => "archived",
    }
);

/// The values of each choice field, the first being the default.
pub const STAGES: &[&str] = &["transactional", "collaborative", "partnership"];
pub const SWOT_KINDS: &[&str] = &["strength", "weakness", "opportunity", "threat"];
pub const INITIATIVE_STATUSES: &[&str] =
    &["planned", "validated", "in_progress", "done", "dropped"];
pub const ACTION_STATUSES: &[&str] = &["open", "in_progress", "done", "cancelled"];
pub const PROJECT_STATUSES: &[&str] = &["idea", "running", "delivered", "stopped"];

/// The widest list a plan holds per section.
pub const MAX_ROWS: usize = 200;
const LINE: usize = 300;
const TEXT: usize = 8000;

/// What a field holds, and so how it is entered, checked and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text.
    Line,
    /// Several paragraphs.
    Text,
    Date,
    /// An amount in the plan's currency, stored in cents, never negative.
    Money,
    /// A whole number within bounds.
    Int(i64, i64),
    Choice(&'static [&'static str]),
    /// A Clef user (by id).
    User,
    /// An initiative of the same plan (its number, from 1).
    Initiative,
    Bool,
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub key: &'static str,
    pub kind: Kind,
}

/// How a section is stored in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Its fields sit at the top level of the content.
    Top,
    /// An object under the section's key.
    Object,
    /// A list of rows under the section's key.
    List,
}

#[derive(Debug, Clone, Copy)]
pub struct SectionSpec {
    pub key: &'static str,
    pub shape: Shape,
    pub fields: &'static [FieldSpec],
}

const fn f(key: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec { key, kind }
}

/// Every section of a plan, in the order the plan reads.
pub static SECTIONS: &[SectionSpec] = &[
    SectionSpec {
        key: "direction",
        shape: Shape::Top,
        fields: &[
            f("objective", Kind::Line),
            f("vision", Kind::Text),
            f("stage", Kind::Choice(STAGES)),
        ],
    },
    SectionSpec {
        key: "knowledge",
        shape: Shape::Object,
        fields: &[
            f("organisation", Kind::Text),
            f("strategy", Kind::Text),
            f("market", Kind::Text),
            f("purchasing", Kind::Text),
            f("history", Kind::Text),
            f("financial", Kind::Text),
        ],
    },
    SectionSpec {
        key: "swot",
        shape: Shape::List,
        fields: &[
            f("kind", Kind::Choice(SWOT_KINDS)),
            f("text", Kind::Line),
            f("evidence", Kind::Text),
            f("source", Kind::Line),
        ],
    },
    SectionSpec {
        key: "notes",
        shape: Shape::List,
        fields: &[
            f("text", Kind::Text),
            f("author", Kind::Line),
            f("source", Kind::Line),
            f("date", Kind::Date),
        ],
    },
    SectionSpec {
        key: "initiatives",
        shape: Shape::List,
        fields: &[
            f("title", Kind::Line),
            f("rationale", Kind::Text),
            f("expected_value_cents", Kind::Money),
            f("owner_id", Kind::User),
            f("status", Kind::Choice(INITIATIVE_STATUSES)),
            f("joint", Kind::Bool),
            f("validated_by", Kind::User),
            f("validated_on", Kind::Date),
        ],
    },
    SectionSpec {
        key: "actions",
        shape: Shape::List,
        fields: &[
            f("title", Kind::Line),
            f("initiative", Kind::Initiative),
            f("owner_id", Kind::User),
            f("start", Kind::Date),
            f("due", Kind::Date),
            f("status", Kind::Choice(ACTION_STATUSES)),
        ],
    },
    SectionSpec {
        key: "risks",
        shape: Shape::List,
        fields: &[
            f("title", Kind::Line),
            f("probability", Kind::Int(1, 5)),
            f("impact", Kind::Int(1, 5)),
            f("mitigation", Kind::Text),
        ],
    },
    SectionSpec {
        key: "levers",
        shape: Shape::List,
        fields: &[f("title", Kind::Line), f("description", Kind::Text)],
    },
    SectionSpec {
        key: "people",
        shape: Shape::List,
        fields: &[
            f("name", Kind::Line),
            f("user_id", Kind::User),
            f("role", Kind::Line),
            f("share_pct", Kind::Int(0, 100)),
        ],
    },
    SectionSpec {
        key: "logistics",
        shape: Shape::Top,
        fields: &[f("logistics", Kind::Text)],
    },
    SectionSpec {
        key: "budget",
        shape: Shape::List,
        fields: &[
            f("label", Kind::Line),
            f("year", Kind::Int(2000, 2100)),
            f("amount_cents", Kind::Money),
        ],
    },
    SectionSpec {
        key: "targets",
        shape: Shape::List,
        fields: &[
            f("year", Kind::Int(2000, 2100)),
            f("revenue_cents", Kind::Money),
            f("margin_cents", Kind::Money),
            f("share_of_wallet_pct", Kind::Int(0, 100)),
        ],
    },
    SectionSpec {
        key: "projects",
        shape: Shape::List,
        fields: &[
            f("title", Kind::Line),
            f("description", Kind::Text),
            f("status", Kind::Choice(PROJECT_STATUSES)),
            f("value", Kind::Text),
        ],
    },
    SectionSpec {
        key: "customer",
        shape: Shape::Top,
        fields: &[
            f("shared_goals", Kind::Text),
            f("value_delivered", Kind::Text),
        ],
    },
    SectionSpec {
        key: "executives",
        shape: Shape::Top,
        fields: &[f("asks", Kind::Text)],
    },
];

/// The first field of each list section must be filled for a row to count.
fn required_in_row(section: &str) -> &'static [&'static str] {
    match section {
        "swot" => &["text"],
        "notes" => &["text"],
        "initiatives" | "actions" | "risks" | "levers" | "projects" => &["title"],
        "budget" => &["label", "amount_cents"],
        "targets" => &["year"],
        _ => &[],
    }
}

// ---------- the content ----------

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Knowledge {
    pub organisation: String,
    pub strategy: String,
    pub market: String,
    pub purchasing: String,
    pub history: String,
    pub financial: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SwotItem {
    /// strength, weakness, opportunity or threat.
    pub kind: String,
    pub text: String,
    pub evidence: String,
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Note {
    pub text: String,
    pub author: String,
    pub source: String,
    /// YYYY-MM-DD.
    pub date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Initiative {
    pub title: String,
    pub rationale: String,
    pub expected_value_cents: Option<i64>,
    pub owner_id: Option<i64>,
    /// planned, validated, in_progress, done or dropped.
    pub status: String,
    /// Run with the customer: shown in the Customer Executive Brief.
    pub joint: bool,
    pub validated_by: Option<i64>,
    pub validated_on: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanAction {
    pub title: String,
    /// The initiative it serves: its number in the plan, from 1.
    pub initiative: Option<i64>,
    pub owner_id: Option<i64>,
    pub start: Option<String>,
    pub due: Option<String>,
    /// open, in_progress, done or cancelled.
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Risk {
    pub title: String,
    /// 1 (rare) to 5 (almost certain).
    pub probability: Option<i64>,
    /// 1 (minor) to 5 (severe).
    pub impact: Option<i64>,
    pub mitigation: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lever {
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Person {
    pub name: String,
    /// The Clef user, when the person is one.
    pub user_id: Option<i64>,
    pub role: String,
    /// Share of their time given to this account, 0–100.
    pub share_pct: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetLine {
    pub label: String,
    pub year: Option<i64>,
    pub amount_cents: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct YearTarget {
    pub year: Option<i64>,
    pub revenue_cents: Option<i64>,
    pub margin_cents: Option<i64>,
    pub share_of_wallet_pct: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Project {
    pub title: String,
    pub description: String,
    /// idea, running, delivered or stopped.
    pub status: String,
    /// The value it brought the customer, in words.
    pub value: String,
}

/// Everything one version of a key account plan says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanContent {
    /// The one-sentence strategic objective; required to submit.
    pub objective: String,
    pub vision: String,
    /// transactional, collaborative or partnership.
    pub stage: String,
    pub knowledge: Knowledge,
    pub swot: Vec<SwotItem>,
    pub notes: Vec<Note>,
    pub initiatives: Vec<Initiative>,
    pub actions: Vec<PlanAction>,
    pub risks: Vec<Risk>,
    pub levers: Vec<Lever>,
    pub people: Vec<Person>,
    pub logistics: String,
    pub budget: Vec<BudgetLine>,
    /// Yearly targets of the 3-year business plan.
    pub targets: Vec<YearTarget>,
    /// Value co-creation projects run with the customer.
    pub projects: Vec<Project>,
    /// For the Customer Executive Brief.
    pub shared_goals: String,
    pub value_delivered: String,
    /// What the account team asks of our executives.
    pub asks: String,
}

impl PlanContent {
    /// A fresh plan for `year`: the three target years laid out.
    pub fn new_for(year: i32) -> Self {
        let mut c = Self::default();
        c.normalise();
        c.ensure_target_years(year);
        c
    }

    /// The next version, starting from this one: targets for `year` and the
    /// two after, finished actions and dropped initiatives kept as history.
    pub fn carried_to(&self, year: i32) -> Self {
        let mut c = self.clone();
        c.targets
            .retain(|t| t.year.is_none_or(|y| y >= i64::from(year)));
        c.ensure_target_years(year);
        c
    }

    fn ensure_target_years(&mut self, year: i32) {
        for y in i64::from(year)..i64::from(year) + 3 {
            if !self.targets.iter().any(|t| t.year == Some(y)) {
                self.targets.push(YearTarget {
                    year: Some(y),
                    ..Default::default()
                });
            }
        }
        self.targets.sort_by_key(|t| t.year);
    }

    /// Gives empty choices their default value and trims text.
    pub fn normalise(&mut self) {
        fn def(s: &mut String, all: &[&str]) {
            let t = s.trim().to_owned();
            *s = if t.is_empty() { all[0].to_owned() } else { t };
        }
        def(&mut self.stage, STAGES);
        for s in &mut self.swot {
            def(&mut s.kind, SWOT_KINDS);
        }
        for i in &mut self.initiatives {
            def(&mut i.status, INITIATIVE_STATUSES);
        }
        for a in &mut self.actions {
            def(&mut a.status, ACTION_STATUSES);
        }
        for p in &mut self.projects {
            def(&mut p.status, PROJECT_STATUSES);
        }
    }

    /// The content as JSON (never fails for this plain structure).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Checks every rule a saved plan follows; each problem names its field
    /// (`actions[2].due`). User ids are checked by the caller, who knows them.
    pub fn validate(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        let v = self.to_value();
        for s in SECTIONS {
            match s.shape {
                Shape::Top => {
                    for fs in s.fields {
                        check(&mut e, fs.key, fs.kind, v.get(fs.key), self);
                    }
                }
                Shape::Object => {
                    for fs in s.fields {
                        let val = v.get(s.key).and_then(|o| o.get(fs.key));
                        check(&mut e, &format!("{}.{}", s.key, fs.key), fs.kind, val, self);
                    }
                }
                Shape::List => {
                    let rows = v.get(s.key).and_then(Value::as_array);
                    let rows = rows.map(Vec::as_slice).unwrap_or_default();
                    if rows.len() > MAX_ROWS {
                        e.push(FieldError::new(
                            s.key,
                            "too-many",
                            format!("{} holds at most {MAX_ROWS} rows", s.key),
                        ));
                    }
                    for (i, row) in rows.iter().enumerate() {
                        for fs in s.fields {
                            let path = format!("{}[{i}].{}", s.key, fs.key);
                            let val = row.get(fs.key);
                            if required_in_row(s.key).contains(&fs.key) && is_blank(val) {
                                e.push(FieldError::new(
                                    &path,
                                    "required",
                                    format!("{path} is required in each {} row", s.key),
                                ));
                                continue;
                            }
                            check(&mut e, &path, fs.kind, val, self);
                        }
                    }
                }
            }
        }
        for (i, a) in self.actions.iter().enumerate() {
            if let (Some(s), Some(d)) = (&a.start, &a.due)
                && let (Ok(s), Ok(d)) = (Date::parse("start", s), Date::parse("due", d))
                && d < s
            {
                e.push(FieldError::new(
                    &format!("actions[{i}].due"),
                    "due-before-start",
                    format!("actions[{i}].due ({d}) is before the start date ({s})"),
                ));
            }
        }
        for (i, p) in self.people.iter().enumerate() {
            if p.name.trim().is_empty() && p.user_id.is_none() {
                e.push(FieldError::new(
                    &format!("people[{i}].name"),
                    "required",
                    format!("people[{i}].name is required: name the person or choose a user"),
                ));
            }
        }
        let mut years = std::collections::BTreeSet::new();
        for (i, t) in self.targets.iter().enumerate() {
            if let Some(y) = t.year
                && !years.insert(y)
            {
                e.push(FieldError::new(
                    &format!("targets[{i}].year"),
                    "duplicate",
                    format!("targets[{i}].year: {y} already has a target row"),
                ));
            }
        }
        e
    }

    /// What a plan needs before it can be submitted, beyond [`Self::validate`]:
    /// one strategic objective, written as a single sentence.
    pub fn check_submittable(&self) -> FieldErrors {
        let mut e = self.validate();
        let o = self.objective.trim();
        if o.is_empty() {
            e.push(FieldError::new(
                "objective",
                "objective-required",
                "objective is required before the plan can be submitted: write the strategic objective in one sentence",
            ));
        } else if sentences(o) > 1 {
            e.push(FieldError::new(
                "objective",
                "one-sentence",
                "objective must be a single sentence: keep one, move the rest to the vision",
            ));
        }
        e
    }

    /// Each section and whether it holds something, in plan order.
    pub fn completeness(&self) -> Vec<(&'static str, bool)> {
        let v = self.to_value();
        SECTIONS
            .iter()
            .map(|s| {
                let filled = match s.shape {
                    Shape::List => v
                        .get(s.key)
                        .and_then(Value::as_array)
                        .is_some_and(|a| !a.is_empty()),
                    Shape::Top | Shape::Object => s
                        .fields
                        .iter()
                        .filter(|fs| matches!(fs.kind, Kind::Line | Kind::Text))
                        .all(|fs| {
                            let val = if s.shape == Shape::Top {
                                v.get(fs.key)
                            } else {
                                v.get(s.key).and_then(|o| o.get(fs.key))
                            };
                            !is_blank(val)
                        }),
                };
                (s.key, filled)
            })
            .collect()
    }

    /// Share of sections filled, 0–100.
    pub fn completeness_pct(&self) -> u8 {
        let c = self.completeness();
        let done = c.iter().filter(|(_, f)| *f).count();
        u8::try_from(done * 100 / c.len().max(1)).unwrap_or(100)
    }

    /// Every field as `path → text`, in plan order (`actions[0].due`).
    pub fn flatten(&self) -> Vec<(String, String)> {
        let v = self.to_value();
        let mut out = Vec::new();
        for s in SECTIONS {
            match s.shape {
                Shape::Top => {
                    for fs in s.fields {
                        out.push((fs.key.to_owned(), text_of(v.get(fs.key))));
                    }
                }
                Shape::Object => {
                    for fs in s.fields {
                        let val = v.get(s.key).and_then(|o| o.get(fs.key));
                        out.push((format!("{}.{}", s.key, fs.key), text_of(val)));
                    }
                }
                Shape::List => {
                    let rows = v.get(s.key).and_then(Value::as_array);
                    for (i, row) in rows.into_iter().flatten().enumerate() {
                        for fs in s.fields {
                            out.push((
                                format!("{}[{i}].{}", s.key, fs.key),
                                text_of(row.get(fs.key)),
                            ));
                        }
                    }
                }
            }
        }
        out
    }

    /// Fields whose text contains `query` (accents and case ignored), with
    /// a short excerpt around the first match.
    pub fn search(&self, query: &str) -> Vec<(String, String)> {
        let q = search_key(query);
        if q.is_empty() {
            return Vec::new();
        }
        self.flatten()
            .into_iter()
            .filter(|(_, t)| search_key(t).contains(&q))
            .map(|(p, t)| (p, excerpt(&t, &q)))
            .collect()
    }
}

/// One field that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields that differ from `a` to `b`, in plan order.
pub fn compare(a: &PlanContent, b: &PlanContent) -> Vec<Change> {
    let fa = a.flatten();
    let fb = b.flatten();
    let ma: BTreeMap<&str, &str> = fa.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mb: BTreeMap<&str, &str> = fb.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut order: Vec<&str> = fa.iter().map(|(k, _)| k.as_str()).collect();
    for (k, _) in &fb {
        if !ma.contains_key(k.as_str()) {
            order.push(k.as_str());
        }
    }
    order.sort_by_key(|k| field_rank(k));
    order
        .into_iter()
        .filter_map(|k| {
            let before = ma.get(k).copied().unwrap_or("");
            let after = mb.get(k).copied().unwrap_or("");
            (before != after).then(|| Change {
                field: k.to_owned(),
                before: before.to_owned(),
                after: after.to_owned(),
            })
        })
        .collect()
}

/// Orders paths as the plan reads: section, row, field.
fn field_rank(path: &str) -> (usize, usize, usize) {
    let (head, field) = match path.split_once('.') {
        Some((h, f)) => (h, f),
        None => (path, path),
    };
    let (sec, row) = match head.split_once('[') {
        Some((s, r)) => (s, r.trim_end_matches(']').parse().unwrap_or(0)),
        None => (head, 0),
    };
    for (si, s) in SECTIONS.iter().enumerate() {
        let hit = match s.shape {
            Shape::Top => s.fields.iter().position(|f| f.key == path),
            _ if s.key == sec => s.fields.iter().position(|f| f.key == field),
            _ => None,
        };
        if let Some(fi) = hit {
            return (si, row, fi);
        }
    }
    (usize::MAX, row, 0)
}

/// The section and field specs a path names (`actions[2].due`).
pub fn spec_of(path: &str) -> Option<(&'static SectionSpec, &'static FieldSpec, Option<usize>)> {
    let (si, row, fi) = field_rank(path);
    let s = SECTIONS.get(si)?;
    let row = matches!(s.shape, Shape::List).then_some(row);
    Some((s, s.fields.get(fi)?, row))
}

fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        _ => false,
    }
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.to_owned(),
        Some(other) => other.to_string(),
    }
}

fn excerpt(text: &str, q: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let key: Vec<char> = search_key(text).chars().collect();
    // search_key keeps one character per character for the Latin letters
    // plans are written in; fall back to the start otherwise.
    let at = if key.len() == chars.len() {
        let k: String = key.iter().collect();
        k.find(q).map(|b| k[..b].chars().count()).unwrap_or(0)
    } else {
        0
    };
    let from = at.saturating_sub(60);
    let to = (at + q.chars().count() + 100).min(chars.len());
    let mut s: String = chars[from..to].iter().collect();
    if from > 0 {
        s.insert(0, '…');
    }
    if to < chars.len() {
        s.push('…');
    }
    s
}

/// How many sentences a text holds: a `.`, `!` or `?` followed by a space
/// and a capital letter starts a new one; "Acme S.A. in France" or "12.5 M€"
/// stay one sentence.
fn sentences(t: &str) -> usize {
    let chars: Vec<char> = t.chars().collect();
    let mut n = 1;
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let rest = &chars[i + 1..];
        let spaces = rest.iter().take_while(|c| c.is_whitespace()).count();
        if spaces > 0
            && rest.get(spaces).is_some_and(|c| c.is_uppercase())
            && !(*c == '.' && abbreviation(&chars[..i]))
        {
            n += 1;
        }
    }
    n
}

/// Whether the word that ends `before` (just before a full stop) is an
/// abbreviation rather than the end of a sentence: an initial (`J.`) or a
/// common title or company form (`Dr.`, `Co.`, `Inc.`, `etc.`).
fn abbreviation(before: &[char]) -> bool {
    const WORDS: [&str; 22] = [
        "dr", "mr", "mrs", "ms", "st", "co", "inc", "ltd", "corp", "cie", "ets", "mme", "mlle",
        "jr", "sr", "etc", "e.g", "i.e", "cf", "vs", "no", "bros",
    ];
    let start = before
        .iter()
        .rposition(|c| c.is_whitespace() || matches!(c, '(' | '"' | '«'))
        .map_or(0, |k| k + 1);
    let word: String = before[start..].iter().collect();
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    initial || WORDS.contains(&word.to_lowercase().as_str())
}

fn check(e: &mut FieldErrors, path: &str, kind: Kind, v: Option<&Value>, c: &PlanContent) {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return;
    };
    match kind {
        Kind::Line | Kind::Text => {
            let max = if kind == Kind::Line { LINE } else { TEXT };
            if let Some(s) = v.as_str() {
                e.take(OptionalText::parse(path, Some(s), max));
            }
        }
        Kind::Date => {
            if let Some(s) = v.as_str()
                && !s.trim().is_empty()
            {
                e.take(Date::parse(path, s));
            }
        }
        Kind::Money => {
            if v.as_i64().is_some_and(|m| m < 0) {
                e.push(FieldError::new(
                    path,
                    "negative",
                    format!("{path} cannot be negative"),
                ));
            }
        }
        Kind::Int(lo, hi) => {
            if v.as_i64().is_none_or(|n| n < lo || n > hi) {
                e.push(FieldError::new(
                    path,
                    "out-of-range",
                    format!("{path} must be a whole number from {lo} to {hi}"),
                ));
            }
        }
        Kind::Choice(all) => {
            let s = v.as_str().unwrap_or("");
            if !all.contains(&s) {
                e.push(FieldError::new(
                    path,
                    "invalid-choice",
                    format!("{path} must be one of {}, not \"{s}\"", all.join(", ")),
                ));
            }
        }
        Kind::User => {
            if v.as_i64().is_none_or(|n| n <= 0) {
                e.push(FieldError::new(
                    path,
                    "invalid-id",
                    format!("{path} must be a user id"),
                ));
            }
        }
        Kind::Initiative => {
            let n = c.initiatives.len() as i64;
            if v.as_i64().is_none_or(|i| i < 1 || i > n) {
                e.push(FieldError::new(
                    path,
                    "unknown-initiative",
                    if n == 0 {
                        format!(
                            "{path} names an initiative, and this plan has none yet: add one first"
                        )
                    } else {
                        format!(
                            "{path} must be the number of an initiative of this plan (1 to {n})"
                        )
                    },
                ));
            }
        }
        Kind::Bool => {}
    }
}

/// Every user id the content names, with the field naming it.
pub fn user_refs(c: &PlanContent) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for (i, x) in c.initiatives.iter().enumerate() {
        if let Some(u) = x.owner_id {
            out.push((format!("initiatives[{i}].owner_id"), u));
        }
        if let Some(u) = x.validated_by {
            out.push((format!("initiatives[{i}].validated_by"), u));
        }
    }
    for (i, a) in c.actions.iter().enumerate() {
        if let Some(u) = a.owner_id {
            out.push((format!("actions[{i}].owner_id"), u));
        }
    }
    for (i, p) in c.people.iter().enumerate() {
        if let Some(u) = p.user_id {
            out.push((format!("people[{i}].user_id"), u));
        }
    }
    out
}

// ---------- forms ----------

/// The content as form values, one per field path; money in decimal units.
pub fn to_form(c: &PlanContent) -> BTreeMap<String, String> {
    c.flatten()
        .into_iter()
        .map(|(k, v)| {
            let kind = spec_of(&k).map(|(_, f, _)| f.kind);
            let v = match kind {
                Some(Kind::Money) => v.parse::<i64>().map(cents_to_decimal).unwrap_or_default(),
                Some(Kind::Bool) => {
                    if v == "yes" {
                        "on".into()
                    } else {
                        String::new()
                    }
                }
                _ => v,
            };
            (k, v)
        })
        .collect()
}

/// [`to_form`] as a reader types the amounts back in: `12500,50` in French.
pub fn to_form_in(c: &PlanContent, locale: crate::Locale) -> BTreeMap<String, String> {
    let mut form = to_form(c);
    if locale == crate::Locale::Fr {
        for (k, v) in form.iter_mut() {
            if spec_of(k).is_some_and(|(_, f, _)| f.kind == Kind::Money) {
                *v = v.replace('.', ",");
            }
        }
    }
    form
}

fn cents_to_decimal(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let a = c.unsigned_abs();
    if a.is_multiple_of(100) {
        format!("{sign}{}", a / 100)
    } else {
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }
}

/// Reads an amount as typed (`1 234,50`, `1234.5`) into cents.
pub fn parse_amount(path: &str, raw: &str) -> Result<i64, FieldError> {
    let t: String = raw
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '€')
        .collect();
    let bad = || {
        FieldError::new(
            path,
            "invalid-amount",
            format!(
                "{path} must be an amount such as 1234.50, not \"{}\"",
                raw.trim()
            ),
        )
    };
    let t = t.replace(',', ".");
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r.to_owned()),
        None => (false, t),
    };
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || int.len() > 15
    {
        return Err(bad());
    }
    let i: i64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| bad())?
    };
    let f: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let c = i * 100 + f;
    Ok(if neg { -c } else { c })
}

/// Builds a content from form values (`actions[2].due` → value). Rows left
/// blank, or ticked `…[i]._remove`, are dropped. Values that cannot be read
/// are reported under their field; the rest of the plan is still returned.
pub fn from_form(form: &BTreeMap<String, String>) -> (PlanContent, FieldErrors) {
    let mut e = FieldErrors::new();
    let mut root = serde_json::Map::new();
    let get = |k: &str| form.get(k).map(|s| s.trim()).unwrap_or("");
    for s in SECTIONS {
        match s.shape {
            Shape::Top => {
                for fs in s.fields {
                    root.insert(fs.key.into(), read(&mut e, fs.key, fs.kind, get(fs.key)));
                }
            }
            Shape::Object => {
                let mut o = serde_json::Map::new();
                for fs in s.fields {
                    let p = format!("{}.{}", s.key, fs.key);
                    o.insert(fs.key.into(), read(&mut e, &p, fs.kind, get(&p)));
                }
                root.insert(s.key.into(), Value::Object(o));
            }
            Shape::List => {
                let prefix = format!("{}[", s.key);
                let max = form
                    .keys()
                    .filter_map(|k| k.strip_prefix(&prefix))
                    .filter_map(|r| r.split_once(']'))
                    .filter_map(|(n, _)| n.parse::<usize>().ok())
                    .max();
                let mut rows = Vec::new();
                for i in 0..=max.unwrap_or(0).min(MAX_ROWS * 2) {
                    if max.is_none() {
                        break;
                    }
                    let p = |k: &str| format!("{}[{i}].{k}", s.key);
                    if !get(&p("_remove")).is_empty() {
                        continue;
                    }
                    let blank = s.fields.iter().all(|fs| {
                        matches!(fs.kind, Kind::Choice(_) | Kind::Bool)
                            || get(&p(fs.key)).is_empty()
                    });
                    if blank {
                        continue;
                    }
                    let mut o = serde_json::Map::new();
                    for fs in s.fields {
                        // Errors name the row as the form shows it.
                        o.insert(
                            fs.key.into(),
                            read(&mut e, &p(fs.key), fs.kind, get(&p(fs.key))),
                        );
                    }
                    rows.push(Value::Object(o));
                }
                root.insert(s.key.into(), Value::Array(rows));
            }
        }
    }
    let mut c: PlanContent = serde_json::from_value(Value::Object(root)).unwrap_or_default();
    c.normalise();
    (c, e)
}

fn read(e: &mut FieldErrors, path: &str, kind: Kind, raw: &str) -> Value {
    if raw.is_empty() {
        return match kind {
            Kind::Line | Kind::Text | Kind::Choice(_) => Value::String(String::new()),
            Kind::Bool => Value::Bool(false),
            _ => Value::Null,
        };
    }
    let int = |e: &mut FieldErrors| match raw.parse::<i64>() {
        Ok(n) => Value::from(n),
        Err(_) => {
            e.push(FieldError::new(
                path,
                "invalid-number",
                format!("{path} must be a whole number, not \"{raw}\""),
            ));
            Value::Null
        }
    };
    match kind {
        Kind::Line | Kind::Text | Kind::Choice(_) | Kind::Date => Value::String(raw.to_owned()),
        Kind::Bool => Value::Bool(true),
        Kind::Money => match parse_amount(path, raw) {
            Ok(c) => Value::from(c),
            Err(x) => {
                e.push(x);
                Value::Null
            }
        },
        Kind::Int(..) | Kind::User | Kind::Initiative => int(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PlanContent {
        let mut c = PlanContent::new_for(2027);
        c.objective = "Become the sole supplier of braking systems by 2029.".into();
        c.vision = "A partner for their electric range.".into();
        c.initiatives.push(Initiative {
            title: "Joint design office".into(),
            expected_value_cents: Some(12_000_000),
            ..Default::default()
        });
        c.actions.push(PlanAction {
            title: "Workshop".into(),
            initiative: Some(1),
            start: Some("2027-02-01".into()),
            due: Some("2027-03-01".into()),
            ..Default::default()
        });
        c.normalise();
        c
    }

    #[test]
    fn a_sound_plan_validates_and_can_be_submitted() {
        let c = sample();
        assert!(c.validate().is_empty(), "{:?}", c.validate());
        assert!(c.check_submittable().is_empty());
        assert_eq!(c.targets.len(), 3);
    }

    #[test]
    fn submitting_needs_one_objective_sentence() {
        let mut c = sample();
        c.objective = " ".into();
        let e = c.check_submittable();
        assert_eq!(
            e.get("objective").map(|e| e.code),
            Some("objective-required")
        );
        c.objective = "Grow. Then grow more.".into();
        assert_eq!(
            c.check_submittable().get("objective").map(|e| e.code),
            Some("one-sentence")
        );
        c.objective = "Reach 12.5 M€ with them by 2029.".into();
        assert!(c.check_submittable().is_empty());
        c.objective = "Make Eurera S.L. our first customer in Spain!".into();
        assert!(c.check_submittable().is_empty());
        c.objective = "Grow! Then more?".into();
        assert!(!c.check_submittable().is_empty());
        // Abbreviations do not end a sentence.
        for one in [
            "Become the preferred supplier of Dr. Oetker by 2028.",
            "Double our share at Klein Freight GmbH & Co. KG within two years.",
            "Supply every site (offices, plants, etc.) from one contract.",
        ] {
            c.objective = one.into();
            assert!(c.check_submittable().is_empty(), "{one}");
        }
        for two in [
            "Win the tender at Dr. Oetker. Then expand to Poland.",
            "Grow in the US. Then enter Canada.",
        ] {
            c.objective = two.into();
            assert!(!c.check_submittable().is_empty(), "{two}");
        }
    }

    #[test]
    fn bad_values_are_named_by_field() {
        let mut c = sample();
        c.actions[0].due = Some("2027-01-15".into());
        c.budget.push(BudgetLine {
            label: "Travel".into(),
            year: Some(2027),
            amount_cents: Some(-5),
        });
        c.risks.push(Risk {
            title: "Price war".into(),
            probability: Some(7),
            ..Default::default()
        });
        c.actions.push(PlanAction {
            title: "Orphan".into(),
            initiative: Some(4),
            ..Default::default()
        });
        c.normalise();
        let e = c.validate();
        assert_eq!(
            e.get("actions[0].due").map(|e| e.code),
            Some("due-before-start")
        );
        assert_eq!(
            e.get("budget[0].amount_cents").map(|e| e.code),
            Some("negative")
        );
        assert_eq!(
            e.get("risks[0].probability").map(|e| e.code),
            Some("out-of-range")
        );
        assert_eq!(
            e.get("actions[1].initiative").map(|e| e.code),
            Some("unknown-initiative")
        );
    }

    #[test]
    fn completeness_follows_what_is_filled() {
        let empty = PlanContent::new_for(2027);
        let c = empty.completeness();
        assert_eq!(c.len(), SECTIONS.len());
        // Only the pre-filled target years count.
        assert_eq!(
            c.iter()
                .filter(|(_, f)| *f)
                .map(|(k, _)| *k)
                .collect::<Vec<_>>(),
            vec!["targets"]
        );
        let s = sample();
        let filled: Vec<_> = s.completeness().into_iter().filter(|(_, f)| *f).collect();
        assert!(filled.contains(&("direction", true)));
        assert!(filled.contains(&("initiatives", true)));
        assert!(s.completeness_pct() > empty.completeness_pct());
    }

    #[test]
    fn comparing_names_each_changed_field() {
        let a = sample();
        let mut b = a.clone();
        b.vision = "Their preferred partner.".into();
        b.actions[0].status = "done".into();
        b.risks.push(Risk {
            title: "Merger".into(),
            ..Default::default()
        });
        let d = compare(&a, &b);
        let fields: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["vision", "actions[0].status", "risks[0].title"]
        );
        assert!(compare(&a, &a).is_empty());
    }

    /// A French reader sees and types amounts with a decimal comma.
    #[test]
    fn amounts_come_back_in_the_readers_notation() {
        let mut c = sample();
        c.initiatives[0].expected_value_cents = Some(12_000_050);
        let key = "initiatives[0].expected_value_cents";
        let fr = to_form_in(&c, crate::Locale::Fr);
        assert_eq!(fr.get(key).map(String::as_str), Some("120000,50"));
        let en = to_form_in(&c, crate::Locale::En);
        assert_eq!(en.get(key).map(String::as_str), Some("120000.50"));
        for form in [fr, en] {
            let (back, e) = from_form(&form);
            assert!(e.is_empty(), "{e:?}");
            assert_eq!(back, c);
        }
    }

    #[test]
    fn the_form_round_trips_and_keeps_errors_per_field() {
        let c = sample();
        let form = to_form(&c);
        assert_eq!(
            form.get("initiatives[0].expected_value_cents")
                .map(String::as_str),
            Some("120000")
        );
        let (back, e) = from_form(&form);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(back, c);

        let mut bad = form.clone();
        bad.insert("budget[0].label".into(), "Travel".into());
        bad.insert("budget[0].amount_cents".into(), "douze".into());
        bad.insert("actions[0]._remove".into(), "on".into());
        bad.insert("swot[3].text".into(), "Trusted brand".into());
        let (back, e) = from_form(&bad);
        assert_eq!(
            e.get("budget[0].amount_cents").map(|e| e.code),
            Some("invalid-amount")
        );
        assert!(back.actions.is_empty());
        assert_eq!(back.swot.len(), 1);
        assert_eq!(back.swot[0].kind, "strength");
    }

    #[test]
    fn amounts_read_as_people_type_them() {
        assert_eq!(parse_amount("x", "1 234,5"), Ok(123_450));
        assert_eq!(parse_amount("x", "1234.56"), Ok(123_456));
        assert_eq!(parse_amount("x", "-3"), Ok(-300));
        assert!(parse_amount("x", "1.234.5").is_err());
        assert!(parse_amount("x", "1,234").is_err());
    }

    #[test]
    fn the_next_year_starts_from_the_approved_plan() {
        let mut c = sample();
        c.targets[0].revenue_cents = Some(100_000);
        let n = c.carried_to(2028);
        assert_eq!(
            n.targets.iter().map(|t| t.year).collect::<Vec<_>>(),
            vec![Some(2028), Some(2029), Some(2030)]
        );
        assert_eq!(n.objective, c.objective);
        assert_eq!(n.actions, c.actions);
    }

    #[test]
    fn search_finds_text_in_any_section() {
        let mut c = sample();
        c.knowledge.purchasing =
            "Purchasing runs a tender every March through the Écully office.".into();
        let hits = c.search("ecully");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, "knowledge.purchasing");
        assert!(hits[0].1.contains("Écully"));
        assert!(c.search("   ").is_empty());
    }
}
