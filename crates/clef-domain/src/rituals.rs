//! Meeting rituals: the five formats of the practice, the objectives a
//! meeting serves, the yearly cadence plan (working days, no clash for the
//! same person), the cadence kept, and the iCalendar (RFC 5545) text of
//! meetings.

use crate::{Date, FieldError, string_enum};
use std::collections::HashSet;

/// The most people and companies a meeting or an interaction names (a
/// Customer Advisory Board of a few companies and their guests fits well
/// within it): a list of thousands is refused before anything is looked up.
pub const PARTICIPANTS_MAX: usize = 200;

/// The longest title of a meeting, in characters.
pub const TITLE_MAX: usize = 200;

/// The title of meeting `k` (from 1) of `n` planned together: the series'
/// title numbered, shortened to leave the number room within [`TITLE_MAX`].
pub fn numbered_title(title: &str, k: usize, n: usize) -> String {
    let number = format!(" {k}/{n}");
    let room = TITLE_MAX.saturating_sub(number.chars().count());
    let kept: String = title.chars().take(room).collect();
    format!("{}{number}", kept.trim_end())
}

string_enum!(
    /// What a meeting is for.
    Objective, "invalid-choice", {
        IncreaseTrust => "increase_trust",
        CoInnovate => "co_innovate",
        NewBusiness => "new_business",
        CrossPerformance => "cross_performance",
        RelationshipProcesses => "relationship_processes",
        TrainKams => "train_kams",
        FieldInformation => "field_information",
        EvaluateProgress => "evaluate_progress",
        TeamCohesion => "team_cohesion",
        Planning => "planning",
    }
);

string_enum!(
    /// Whether a format is held per account or for the whole program.
    FormatScope, "invalid-choice", {
        Account => "account",
        Program => "program",
    }
);

string_enum!(
    /// Where a meeting stands.
    MeetingStatus, "invalid-choice", {
        Planned => "planned",
        Held => "held",
        Cancelled => "cancelled",
    }
);

/// A meeting format as the practice describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatDefault {
    pub key: &'static str,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    pub external: bool,
    pub scope: FormatScope,
    pub led_by: &'static str,
    pub cadence_min: i64,
    pub cadence_max: i64,
    pub usual_minutes: i64,
    pub max_minutes: i64,
    pub participants: &'static str,
    pub objectives: &'static [Objective],
}

/// The five formats observed in 38 KAM programs (2014).
pub const FORMATS: &[FormatDefault] = &[
    FormatDefault {
        key: "kam_meeting",
        name_en: "Key Account Management Meeting",
        name_fr: "Réunion de management du compte clé",
        external: false,
        scope: FormatScope::Account,
        led_by: "The KAM",
        cadence_min: 4,
        cadence_max: 9,
        usual_minutes: 90,
        max_minutes: 180,
        participants: "3 to 5 people of the account team, rarely more than 10",
        objectives: &[
            Objective::Planning,
            Objective::EvaluateProgress,
            Objective::TeamCohesion,
        ],
    },
    FormatDefault {
        key: "commercial_seminar",
        name_en: "Key Account Commercial Seminar",
        name_fr: "Séminaire commercial des comptes clés",
        external: false,
        scope: FormatScope::Program,
        led_by: "The sales head of the business unit or region",
        cadence_min: 1,
        cadence_max: 1,
        usual_minutes: 480,
        max_minutes: 960,
        participants: "All KAMs of the business unit or region; sales and marketing directors, the CEO, executive sponsors",
        objectives: &[
            Objective::TrainKams,
            Objective::TeamCohesion,
            Objective::FieldInformation,
        ],
    },
    FormatDefault {
        key: "commercial_meeting",
        name_en: "Key Account Commercial Meeting",
        name_fr: "Réunion commerciale des comptes clés",
        external: false,
        scope: FormatScope::Program,
        led_by: "The program or sales director",
        cadence_min: 10,
        cadence_max: 12,
        usual_minutes: 120,
        max_minutes: 240,
        participants: "The KAMs; the CEO or marketing director in half of them; sponsors and guests in one in five",
        objectives: &[
            Objective::FieldInformation,
            Objective::EvaluateProgress,
            Objective::NewBusiness,
        ],
    },
    FormatDefault {
        key: "key_account_review",
        name_en: "Key Account Review",
        name_fr: "Revue du compte clé",
        external: true,
        scope: FormatScope::Account,
        led_by: "The account team",
        cadence_min: 2,
        cadence_max: 4,
        usual_minutes: 180,
        max_minutes: 300,
        participants: "The account team and the customer's team: a formal assessment meant to change things",
        objectives: &[
            Objective::CrossPerformance,
            Objective::IncreaseTrust,
            Objective::RelationshipProcesses,
        ],
    },
    FormatDefault {
        key: "advisory_board",
        name_en: "Customer Advisory Board",
        name_fr: "Comité consultatif clients",
        external: true,
        scope: FormatScope::Program,
        led_by: "The program director",
        cadence_min: 1,
        cadence_max: 1,
        usual_minutes: 360,
        max_minutes: 480,
        participants: "Several customer companies, fewer than 6 in two programs out of three",
        objectives: &[
            Objective::CoInnovate,
            Objective::IncreaseTrust,
            Objective::NewBusiness,
        ],
    },
];

/// Monday = 0 … Sunday = 6.
pub fn weekday(d: Date) -> i64 {
    // 1970-01-01 was a Thursday.
    (d.unix_days() + 3).rem_euclid(7)
}

pub fn is_working_day(d: Date) -> bool {
    weekday(d) < 5
}

/// `n` meeting days over the 12 months from `start`, evenly spaced, each on
/// a working day on which none of its people is already busy (`busy`),
/// moved forward (then back) by as little as possible.
pub fn plan_year(start: Date, n: i64, busy: &HashSet<Date>) -> Vec<Date> {
    if n <= 0 {
        return Vec::new();
    }
    let span = 365.0 / n as f64;
    let mut taken: HashSet<Date> = HashSet::new();
    let mut out = Vec::new();
    for i in 0..n {
        let ideal = start.add_days((span * (i as f64 + 0.5)).floor() as i64);
        let reach = (span / 2.0).floor().max(1.0) as i64;
        let ok = |d: &Date| is_working_day(*d) && !busy.contains(d) && !taken.contains(d);
        let found = (0..=reach)
            .flat_map(|k| [ideal.add_days(k), ideal.add_days(-k)])
            .find(|d| ok(d) && *d >= start);
        if let Some(d) = found {
            taken.insert(d);
            out.push(d);
        }
    }
    out
}

/// How many meetings a 12-month window holds against the format's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    Below,
    Within,
    Above,
}

impl Kept {
    pub fn of(held: i64, min: i64, max: i64) -> Kept {
        if held < min {
            Kept::Below
        } else if held > max {
            Kept::Above
        } else {
            Kept::Within
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Kept::Below => "below",
            Kept::Within => "within",
            Kept::Above => "above",
        }
    }
}

/// Whether a format is overdue on `today`: its last held meeting (if any)
/// is older than the longest gap its cadence allows (a year ÷ the fewest
/// meetings), and nothing was held since.
pub fn overdue(
    last_held: Option<Date>,
    first_planned: Option<Date>,
    today: Date,
    cadence_min: i64,
) -> bool {
    let gap = 365 / cadence_min.max(1);
    match (last_held, first_planned) {
        (Some(h), _) => today.days_since(h) > gap,
        // Never held: overdue once the first planned one has passed.
        (None, Some(p)) => p < today,
        (None, None) => false,
    }
}

/// A duration within the format's maximum.
pub fn check_duration(field: &str, minutes: i64, max: i64) -> Result<i64, FieldError> {
    if minutes <= 0 {
        return Err(FieldError::new(
            field,
            "out-of-range",
            format!("{field} must be at least 1 minute"),
        ));
    }
    if minutes > max {
        return Err(FieldError::new(
            field,
            "too-long-meeting",
            format!(
                "{field}: {minutes} minutes is longer than this format allows ({max} minutes at most)"
            ),
        ));
    }
    Ok(minutes)
}

/// A local time "HH:MM".
pub fn parse_time(field: &str, raw: &str) -> Result<(u32, u32), FieldError> {
    let t = raw.trim();
    let bad = || {
        FieldError::new(
            field,
            "invalid-time",
            format!("{field} must be a time such as 09:30, not \"{t}\""),
        )
    };
    let (h, m) = t.split_once(':').ok_or_else(bad)?;
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if h > 23 || m > 59 || t.len() != 5 {
        return Err(bad());
    }
    Ok((h, m))
}

// ---------- iCalendar ----------

/// One event of a calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub uid: String,
    pub start: Date,
    pub time: (u32, u32),
    pub minutes: i64,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub organizer: Option<(String, String)>,
    /// (name, e-mail)
    pub attendees: Vec<(String, String)>,
    pub cancelled: bool,
    pub sequence: i64,
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c => o.push(c),
        }
    }
    o
}

/// A parameter value (CN): quoted, without the characters it cannot hold.
fn param(s: &str) -> String {
    format!("\"{}\"", s.replace(['"', '\r', '\n'], " "))
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a
/// UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn stamp(d: Date, (h, m): (u32, u32)) -> String {
    format!("{:04}{:02}{:02}T{h:02}{m:02}00", d.year, d.month, d.day)
}

/// A calendar of events. Times are local (floating) as entered; `now_utc`
/// stamps the file.
pub fn calendar(name: &str, events: &[Event], now_utc: (Date, (u32, u32))) -> String {
    let mut s = String::new();
    let mut line = |l: String| fold(&l, &mut s);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Clef//Key Account Management//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        let start_minutes = i64::from(e.time.0) * 60 + i64::from(e.time.1) + e.minutes;
        let end_day = e.start.add_days(start_minutes.div_euclid(24 * 60));
        let rest = start_minutes.rem_euclid(24 * 60);
        let end_time = ((rest / 60) as u32, (rest % 60) as u32);
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", e.uid));
        line(format!("DTSTAMP:{}Z", stamp(now_utc.0, now_utc.1)));
        line(format!("DTSTART:{}", stamp(e.start, e.time)));
        line(format!("DTEND:{}", stamp(end_day, end_time)));
        line(format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.location.is_empty() {
            line(format!("LOCATION:{}", escape(&e.location)));
        }
        if let Some((n, m)) = &e.organizer {
            line(format!("ORGANIZER;CN={}:mailto:{m}", param(n)));
        }
        for (n, m) in &e.attendees {
            line(format!(
                "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT:mailto:{m}",
                param(n)
            ));
        }
        line(format!(
            "STATUS:{}",
            if e.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ));
        line(format!("SEQUENCE:{}", e.sequence));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_numbered_title_stays_within_the_limit() {
        assert_eq!(numbered_title("Review", 3, 12), "Review 3/12");
        let long = "é".repeat(TITLE_MAX);
        let t = numbered_title(&long, 12, 12);
        assert_eq!(t.chars().count(), TITLE_MAX);
        assert!(t.ends_with("é 12/12"), "{t}");
    }

    fn d(s: &str) -> Date {
        Date::parse("d", s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn weekdays_follow_the_calendar() {
        assert_eq!(weekday(d("2026-11-24")), 1); // a Tuesday
        assert!(!is_working_day(d("2026-11-28")));
        assert!(is_working_day(d("2026-11-27")));
    }

    #[test]
    fn a_year_is_planned_on_free_working_days_evenly() {
        let start = d("2027-01-01");
        let mut busy = HashSet::new();
        let plain = plan_year(start, 6, &busy);
        assert_eq!(plain.len(), 6);
        busy.insert(plain[2]);
        let dates = plan_year(start, 6, &busy);
        assert_eq!(dates.len(), 6);
        assert!(!dates.contains(&plain[2]), "the busy day is avoided");
        for w in dates.windows(2) {
            let gap = w[1].days_since(w[0]);
            assert!((40..=80).contains(&gap), "gap {gap}");
        }
        for x in &dates {
            assert!(is_working_day(*x) && *x >= start && x.days_since(start) < 366);
        }
    }

    #[test]
    fn overdue_means_past_the_longest_gap_the_cadence_allows() {
        let today = d("2026-11-24");
        assert!(overdue(Some(d("2026-01-10")), None, today, 2));
        assert!(!overdue(Some(d("2026-07-10")), None, today, 2));
        assert!(overdue(None, Some(d("2026-11-01")), today, 2));
        assert!(!overdue(None, Some(d("2026-12-01")), today, 2));
        assert_eq!(Kept::of(3, 4, 9), Kept::Below);
        assert_eq!(Kept::of(10, 4, 9), Kept::Above);
    }

    #[test]
    fn durations_and_times_are_checked() {
        assert!(check_duration("duration", 200, 180).is_err());
        assert_eq!(check_duration("duration", 90, 180), Ok(90));
        assert_eq!(parse_time("t", "09:30"), Ok((9, 30)));
        assert!(parse_time("t", "9h30").is_err());
    }

    #[test]
    fn the_calendar_is_folded_escaped_and_crlf() {
        let e = Event {
            uid: "meeting-1@clef".into(),
            start: d("2027-03-04"),
            time: (23, 0),
            minutes: 120,
            summary: "Revue, Acme; Q1".into(),
            description: format!("Objectif : {}\nsecond line", "é".repeat(60)),
            location: "Lyon".into(),
            organizer: Some(("Sophie Marchand".into(), "kam@clef.example".into())),
            attendees: vec![("Laure \"LV\" Vasseur".into(), "laure@acme.example".into())],
            cancelled: false,
            sequence: 2,
        };
        let s = calendar("Acme", &[e], (d("2026-11-24"), (10, 0)));
        assert!(s.contains("SUMMARY:Revue\\, Acme\\; Q1\r\n"));
        assert!(s.contains("DTSTART:20270304T230000\r\n"));
        assert!(s.contains("DTEND:20270305T010000\r\n"), "ends the next day");
        assert!(s.contains("ATTENDEE;CN=\"Laure  LV  Vasseur\""));
        for l in s.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert!(!s.replace("\r\n", "").contains('\n'));
    }
}
