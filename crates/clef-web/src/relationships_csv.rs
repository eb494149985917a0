//! The CSV files of an account's stakeholders and relationship links:
//! exports, and imports that write every row or none, with a report naming
//! each bad line, column and reason.

use crate::{AppState, api::relationships::MapData, error::ApiError, relationships as rel};
use clef_domain::{
    ContactInput,
    relationships::{Frequency, StakeholderInput, parse_one_to_five},
};
use clef_store::{
    ImportReport, LinkInput, RowError, StakeholderImport, Who,
    import::{cell, uncell},
    user,
};
use std::collections::HashMap;

pub const STAKEHOLDER_COLUMNS: &[&str] = &[
    "contact_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "buying_role",
    "level",
    "function",
    "reports_to_id",
    "reports_to_email",
    "attitude",
    "influence",
    "next_action",
    "next_action_on",
    "last_contact",
];

pub const LINK_COLUMNS: &[&str] = &[
    "link_id",
    "contact_id",
    "contact_email",
    "contact_name",
    "user_email",
    "colleague_id",
    "colleague_name",
    "owner_email",
    "strength",
    "frequency",
    "last_interaction",
    "notes",
];

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(cell).unwrap_or_default()
}

pub fn stakeholders(d: &MapData) -> Vec<u8> {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(STAKEHOLDER_COLUMNS);
    let email_of: HashMap<i64, Option<String>> = d
        .rows
        .iter()
        .map(|r| (r.contact.id, r.contact.email.clone()))
        .collect();
    for r in &d.rows {
        let p = r.profile.as_ref();
        let boss = p.and_then(|p| p.reports_to_id);
        let _ = w.write_record([
            r.contact.id.to_string(),
            cell(&r.contact.first_name),
            cell(&r.contact.last_name),
            opt(&r.contact.email),
            opt(&r.contact.phone),
            opt(&r.contact.job_title),
            opt(&p.and_then(|p| p.buying_role.clone())),
            opt(&p.and_then(|p| p.level.clone())),
            opt(&p.and_then(|p| p.function.clone())),
            boss.map(|b| b.to_string()).unwrap_or_default(),
            opt(&boss.and_then(|b| email_of.get(&b).cloned().flatten())),
            opt(&p.and_then(|p| p.attitude.clone()).filter(|_| d.a.sensitive)),
            p.and_then(|p| p.influence)
                .filter(|_| d.a.sensitive)
                .map(|i| i.to_string())
                .unwrap_or_default(),
            opt(&p.and_then(|p| p.next_action.clone())),
            opt(&p.and_then(|p| p.next_action_on.clone())),
            opt(&r.last_contact),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

pub fn links(d: &MapData, users: &[user::Model]) -> Vec<u8> {
    let emails: HashMap<i64, &str> = users.iter().map(|u| (u.id, u.email.as_str())).collect();
    let contacts: HashMap<i64, &clef_store::contact::Model> =
        d.rows.iter().map(|r| (r.contact.id, &r.contact)).collect();
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(LINK_COLUMNS);
    for l in &d.links {
        let c = contacts.get(&l.link.contact_id);
        let _ = w.write_record([
            l.link.id.to_string(),
            l.link.contact_id.to_string(),
            opt(&c.and_then(|c| c.email.clone())),
            c.map(|c| cell(&rel::contact_name(c))).unwrap_or_default(),
            l.link
                .user_id
                .and_then(|u| emails.get(&u).map(|e| (*e).to_owned()))
                .unwrap_or_default(),
            l.link
                .colleague_id
                .map(|c| c.to_string())
                .unwrap_or_default(),
            l.link
                .colleague_id
                .and_then(|c| d.people.colleagues.get(&c).map(|n| cell(n)))
                .unwrap_or_default(),
            l.link
                .owner_id
                .and_then(|u| emails.get(&u).map(|e| (*e).to_owned()))
                .unwrap_or_default(),
            l.link.strength.to_string(),
            l.link.frequency.clone(),
            opt(&l.last_interaction),
            opt(&l.link.notes),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// A file's rows as column → value maps; unknown or missing columns and
/// unreadable lines are reported.
fn read(
    body: &[u8],
    known: &[&str],
    required: &[&str],
    report: &mut ImportReport,
) -> Vec<(u64, HashMap<String, String>)> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .delimiter(clef_store::import::delimiter_of(body))
        .from_reader(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        push(
            report,
            1,
            "",
            "empty-file",
            format!(
                "the file is empty; its first line must name the columns: {}",
                known.join(", ")
            ),
        );
        return Vec::new();
    }
    let head: Vec<String> = match r.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim_start_matches('\u{feff}').to_owned())
            .collect(),
        Err(e) => {
            push(
                report,
                1,
                "",
                "unreadable-header",
                format!("the first line cannot be read: {e}"),
            );
            return Vec::new();
        }
    };
    for h in &head {
        if !known.contains(&h.as_str()) {
            push(
                report,
                1,
                h,
                "unknown-columns",
                format!(
                    "unknown column \"{h}\"; the columns are {}",
                    known.join(", ")
                ),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    for h in &head {
        if !seen.insert(h) {
            push(
                report,
                1,
                h,
                "repeated-column",
                format!("the column \"{h}\" appears twice"),
            );
        }
    }
    for c in required {
        if !head.iter().any(|h| h == c) {
            push(
                report,
                1,
                c,
                "missing-columns",
                format!(
                    "the column \"{c}\" is missing: each row is written whole (an empty cell clears a value)"
                ),
            );
        }
    }
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let at = match &rec {
            Ok(rec) => rec.position(),
            Err(e) => e.position(),
        };
        let line = at.map_or(i as u64 + 2, |p| clef_store::import::start_line(body, p));
        match rec {
            Ok(rec) => out.push((
                line,
                head.iter()
                    .cloned()
                    .zip(rec.iter().map(|v| uncell(v).to_owned()))
                    .collect(),
            )),
            Err(e) => push(
                report,
                line,
                "",
                "unreadable-line",
                format!("this line cannot be read: {e}"),
            ),
        }
    }
    report.rows = out.len() as u64;
    out
}

fn push(r: &mut ImportReport, line: u64, column: &str, code: &str, message: impl Into<String>) {
    r.error_count += 1;
    if r.errors.len() < 1000 {
        r.errors.push(RowError {
            line,
            column: column.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        });
    }
}

fn get<'a>(row: &'a HashMap<String, String>, k: &str) -> Option<&'a str> {
    row.get(k).map(String::as_str).filter(|s| !s.is_empty())
}

fn int(r: &mut ImportReport, line: u64, row: &HashMap<String, String>, k: &str) -> Option<i64> {
    let v = get(row, k)?;
    match v.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            push(
                r,
                line,
                k,
                "invalid-number",
                format!("{k} must be a whole number, not \"{v}\""),
            );
            None
        }
    }
}

/// Imports a stakeholders file. A column left out keeps the current values;
/// only those who may change the account's contacts (`edit_contacts`) may
/// add contacts or change their details — others update profiles only.
pub async fn import_stakeholders(
    st: &AppState,
    actor: Option<i64>,
    customer_id: i64,
    body: &[u8],
    edit_contacts: bool,
) -> Result<ImportReport, ApiError> {
    st.store.customer(customer_id).await?;
    let mut report = ImportReport::default();
    let rows = read(body, STAKEHOLDER_COLUMNS, &[], &mut report);
    let existing = st.store.list_contacts(customer_id).await?;
    let by_id: HashMap<i64, &clef_store::contact::Model> =
        existing.iter().map(|c| (c.id, c)).collect();
    let profiles: HashMap<i64, clef_store::stakeholder::Model> = st
        .store
        .stakeholders_of(customer_id, &rel::today().to_string())
        .await?
        .into_iter()
        .filter_map(|r| r.profile.map(|p| (r.contact.id, p)))
        .collect();
    let by_email: HashMap<String, i64> = existing
        .iter()
        .filter_map(|c| c.email.as_ref().map(|e| (e.to_lowercase(), c.id)))
        .collect();
    // Emails of the file's own rows, for bosses listed in the same file.
    let file_email: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, (_, r))| get(r, "email").map(|e| (e.to_lowercase(), i)))
        .collect();
    let mut out = Vec::new();
    let mut out_lines = Vec::new();
    for (line, r) in &rows {
        let line = *line;
        let before = report.error_count;
        let contact_id = match int(&mut report, line, r, "contact_id") {
            Some(id) if by_id.contains_key(&id) => Some(id),
            Some(id) => {
                push(
                    &mut report,
                    line,
                    "contact_id",
                    "unknown-reference",
                    format!("contact {id} is not a contact of this customer"),
                );
                None
            }
            None => get(r, "email").and_then(|e| by_email.get(&e.to_lowercase()).copied()),
        };
        let old = contact_id.and_then(|id| by_id.get(&id).copied());
        let keep = |col: &str, was: Option<String>| -> Option<String> {
            if r.contains_key(col) {
                get(r, col).map(str::to_owned)
            } else {
                was
            }
        };
        let input = ContactInput {
            first_name: keep("first_name", old.map(|c| c.first_name.clone())).unwrap_or_default(),
            last_name: keep("last_name", old.map(|c| c.last_name.clone())).unwrap_or_default(),
            email: keep("email", old.and_then(|c| c.email.clone())),
            phone: keep("phone", old.and_then(|c| c.phone.clone())),
            job_title: keep("job_title", old.and_then(|c| c.job_title.clone())),
            notes: old.and_then(|c| c.notes.clone()),
        };
        if !edit_contacts {
            match old {
                None => push(
                    &mut report,
                    line,
                    "contact_id",
                    "kam-only",
                    "only the account's KAM and directors add contacts; give the contact_id or e-mail of an existing contact",
                ),
                Some(o) => {
                    for (col, was, now) in [
                        (
                            "first_name",
                            Some(o.first_name.clone()),
                            Some(input.first_name.clone()),
                        ),
                        (
                            "last_name",
                            Some(o.last_name.clone()),
                            Some(input.last_name.clone()),
                        ),
                        ("email", o.email.clone(), input.email.clone()),
                        ("phone", o.phone.clone(), input.phone.clone()),
                        ("job_title", o.job_title.clone(), input.job_title.clone()),
                    ] {
                        if was.as_deref().map(str::trim) != now.as_deref().map(str::trim) {
                            push(
                                &mut report,
                                line,
                                col,
                                "kam-only",
                                format!(
                                    "only the account's KAM and directors change contact details; leave {col} as it is"
                                ),
                            );
                        }
                    }
                }
            }
        }
        let contact = input.parse();
        let mut reports_to_id = None;
        let mut reports_to_row = None;
        if let Some(b) = int(&mut report, line, r, "reports_to_id") {
            if by_id.contains_key(&b) {
                reports_to_id = Some(b);
            } else {
                push(
                    &mut report,
                    line,
                    "reports_to_id",
                    "unknown-reference",
                    format!("contact {b} is not a contact of this customer"),
                );
            }
        } else if let Some(e) = get(r, "reports_to_email") {
            let e = e.to_lowercase();
            match (file_email.get(&e), by_email.get(&e)) {
                (Some(i), _) => reports_to_row = Some(*i),
                (None, Some(id)) => reports_to_id = Some(*id),
                (None, None) => push(
                    &mut report,
                    line,
                    "reports_to_email",
                    "unknown-reference",
                    format!(
                        "no contact of this customer, nor any row of this file, has the e-mail {e}"
                    ),
                ),
            }
        }
        let was = contact_id.and_then(|id| profiles.get(&id));
        if !r.contains_key("reports_to_id") && !r.contains_key("reports_to_email") {
            reports_to_id = was.and_then(|p| p.reports_to_id);
        }
        let influence = if r.contains_key("influence") {
            int(&mut report, line, r, "influence")
        } else {
            was.and_then(|p| p.influence)
        };
        let profile = StakeholderInput {
            buying_role: keep("buying_role", was.and_then(|p| p.buying_role.clone())),
            level: keep("level", was.and_then(|p| p.level.clone())),
            function: keep("function", was.and_then(|p| p.function.clone())),
            reports_to_id,
            attitude: keep("attitude", was.and_then(|p| p.attitude.clone())),
            influence,
            next_action: keep("next_action", was.and_then(|p| p.next_action.clone())),
            next_action_on: keep("next_action_on", was.and_then(|p| p.next_action_on.clone())),
        }
        .parse();
        for e in contact
            .as_ref()
            .err()
            .into_iter()
            .chain(profile.as_ref().err())
        {
            for f in &e.0 {
                push(&mut report, line, &f.field, f.code, f.message.clone());
            }
        }
        if report.error_count == before
            && let (Ok(contact), Ok(profile)) = (contact, profile)
        {
            out.push(StakeholderImport {
                contact_id,
                contact,
                profile,
                reports_to_row,
            });
            out_lines.push(line);
        }
    }
    if report.error_count > 0 {
        return Ok(report);
    }
    match st.store.import_stakeholders(actor, customer_id, &out).await {
        Ok(n) => {
            report.written = n;
            Ok(report)
        }
        Err(clef_store::StoreError::Invalid(f)) => {
            for e in f.0 {
                // The store names the row it was given; the report, its line.
                let line = e
                    .field
                    .strip_prefix("row ")
                    .and_then(|k| k.parse::<usize>().ok())
                    .and_then(|k| out_lines.get(k).copied())
                    .unwrap_or(0);
                push(&mut report, line, "reports_to_email", e.code, e.message);
            }
            Ok(report)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn import_links(
    st: &AppState,
    actor: Option<i64>,
    customer_id: i64,
    body: &[u8],
) -> Result<ImportReport, ApiError> {
    st.store.customer(customer_id).await?;
    let mut report = ImportReport::default();
    // A link is written whole: a column left out would clear its owner and
    // notes, and set its frequency back to ad hoc, on every link.
    let rows = read(
        body,
        LINK_COLUMNS,
        &["owner_email", "strength", "frequency", "notes"],
        &mut report,
    );
    let contacts = st.store.list_contacts(customer_id).await?;
    let by_email: HashMap<String, i64> = contacts
        .iter()
        .filter_map(|c| c.email.as_ref().map(|e| (e.to_lowercase(), c.id)))
        .collect();
    let users: HashMap<String, i64> = st
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.email.to_lowercase(), u.id))
        .collect();
    let colleagues: Vec<i64> = st.store.colleagues().await?.iter().map(|c| c.id).collect();
    let mut out = Vec::new();
    let mut seen: HashMap<(i64, Who), u64> = HashMap::new();
    for (line, r) in &rows {
        let line = *line;
        let before = report.error_count;
        let contact = match (
            int(&mut report, line, r, "contact_id"),
            get(r, "contact_email"),
        ) {
            (Some(id), _) if contacts.iter().any(|c| c.id == id) => Some(id),
            (Some(id), _) => {
                push(
                    &mut report,
                    line,
                    "contact_id",
                    "unknown-reference",
                    format!(
                        "contact {id} belongs to another customer (or does not exist): link only this customer's people"
                    ),
                );
                None
            }
            (None, Some(e)) => match by_email.get(&e.to_lowercase()) {
                Some(id) => Some(*id),
                None => {
                    push(
                        &mut report,
                        line,
                        "contact_email",
                        "unknown-reference",
                        format!("no contact of this customer has the e-mail {e}"),
                    );
                    None
                }
            },
            (None, None) => {
                push(
                    &mut report,
                    line,
                    "contact_id",
                    "required",
                    "give contact_id or contact_email",
                );
                None
            }
        };
        let who = match (
            get(r, "user_email"),
            int(&mut report, line, r, "colleague_id"),
        ) {
            (Some(e), None) => match users.get(&e.to_lowercase()) {
                Some(u) => Some(Who::User(*u)),
                None => {
                    push(
                        &mut report,
                        line,
                        "user_email",
                        "unknown-reference",
                        format!("no user has the e-mail {e}"),
                    );
                    None
                }
            },
            (None, Some(c)) if colleagues.contains(&c) => Some(Who::Colleague(c)),
            (None, Some(c)) => {
                push(
                    &mut report,
                    line,
                    "colleague_id",
                    "unknown-reference",
                    format!("there is no colleague {c}"),
                );
                None
            }
            _ => {
                push(
                    &mut report,
                    line,
                    "user_email",
                    "one-of",
                    "give either user_email or colleague_id, exactly one",
                );
                None
            }
        };
        let owner = match get(r, "owner_email") {
            Some(e) => match users.get(&e.to_lowercase()) {
                Some(u) => Some(*u),
                None => {
                    push(
                        &mut report,
                        line,
                        "owner_email",
                        "unknown-reference",
                        format!("no user has the e-mail {e}"),
                    );
                    None
                }
            },
            None => None,
        };
        let strength = match int(&mut report, line, r, "strength") {
            Some(s) => parse_one_to_five("strength", s)
                .map_err(|e| push(&mut report, line, "strength", e.code, e.message))
                .ok(),
            None => {
                if report.error_count == before {
                    push(
                        &mut report,
                        line,
                        "strength",
                        "required",
                        "strength is required (1 to 5)",
                    );
                }
                None
            }
        };
        let frequency = match get(r, "frequency") {
            Some(f) => Frequency::parse("frequency", f)
                .map_err(|e| push(&mut report, line, "frequency", e.code, e.message))
                .ok(),
            None => Some(Frequency::AdHoc),
        };
        let notes = clef_domain::OptionalText::parse("notes", get(r, "notes"), 2000)
            .map_err(|e| push(&mut report, line, "notes", e.code, e.message))
            .ok()
            .and_then(clef_domain::OptionalText::into_option);
        if let (Some(c), Some(w)) = (contact, who)
            && let Some(first) = seen.insert((c, w), line)
        {
            push(
                &mut report,
                line,
                "contact_id",
                "duplicate",
                format!("the same pair is already on line {first}"),
            );
        }
        if report.error_count == before
            && let (Some(contact_id), Some(who), Some(strength), Some(frequency)) =
                (contact, who, strength, frequency)
        {
            out.push(LinkInput {
                contact_id,
                who,
                owner_id: owner,
                strength,
                frequency,
                notes,
            });
        }
    }
    if report.error_count > 0 {
        return Ok(report);
    }
    report.written = st.store.import_links(actor, customer_id, &out).await?;
    Ok(report)
}
