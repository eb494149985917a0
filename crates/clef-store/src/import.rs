//! CSV import and export of customers, contacts, revenue lines and contracts.
//! An import is all or nothing: every row is checked first, and any problem
//! is reported by line, column and reason with nothing written.

use crate::{
    Store, StoreError,
    bulk::{Batch, Val},
    customers::CustomerView,
    now, revenue,
};
use clef_domain::{
    ContactInput, Currency, CustomerInput, CustomerStatus, FieldErrors, Money, Period, RevenueLine,
    RevenueLineInput, search_key,
};
use std::collections::{HashMap, HashSet};

/// One problem in an imported file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowError {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    pub column: String,
    /// A stable code for the kind of problem (`required`, `invalid-date`,
    /// `unknown-reference`, …), for a reader's own words.
    pub code: String,
    pub message: String,
}

/// What an import did, or why it did nothing.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    pub rows: u64,
    pub written: u64,
    /// The first problems found (at most 1,000); when not empty, nothing was written.
    pub errors: Vec<RowError>,
    /// How many problems there were in all.
    pub error_count: u64,
    /// The figures of what was written were written with it.
    #[serde(skip)]
    figures_written: bool,
    /// Set when the file was only checked ([`Store::check_csv_with`]):
    /// nothing was written, and this is what importing it would do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<Preview>,
}

/// What importing a checked file would do: how many of its rows replace a
/// record (the record with their id, or for revenue the line of the same
/// customer, business unit and month), and how many add one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preview {
    pub replaces: u64,
    pub adds: u64,
}

/// How many problems a report lists (it counts them all).
const LISTED_ERRORS: usize = 1000;

impl ImportReport {
    fn push(&mut self, line: u64, column: &str, code: &str, message: impl Into<String>) {
        self.error_count += 1;
        if self.errors.len() < LISTED_ERRORS {
            self.errors.push(RowError {
                line,
                column: column.to_owned(),
                code: code.to_owned(),
                message: message.into(),
            });
        }
    }

    fn push_fields(&mut self, line: u64, errs: FieldErrors, rename: &[(&str, &str)]) {
        for e in errs.0 {
            let col = rename
                .iter()
                .find(|(f, _)| *f == e.field)
                .map_or(e.field.as_str(), |(_, c)| c)
                .to_owned();
            let msg = e.message.replacen(&e.field, &col, 1);
            self.push(line, &col, e.code, msg);
        }
    }
}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Customers,
    Contacts,
    Revenue,
    Contracts,
}

impl ImportKind {
    /// The columns a file must have, in the order exports write them. An `id`
    /// column is optional for customers and contacts: rows with an id replace
    /// that record, rows without one create a new record.
    pub fn columns(&self) -> &'static [&'static str] {
        match self {
            ImportKind::Customers => &CUSTOMER_COLUMNS,
            ImportKind::Contacts => &CONTACT_COLUMNS,
            ImportKind::Revenue => &REVENUE_COLUMNS,
            ImportKind::Contracts => &CONTRACT_COLUMNS,
        }
    }

    /// Whether what it writes changes the portfolio's figures.
    fn changes_figures(self) -> bool {
        matches!(self, ImportKind::Customers | ImportKind::Revenue)
    }
}

pub const CUSTOMER_COLUMNS: [&str; 20] = [
    "id",
    "name",
    "legal_id",
    "group",
    "parent_id",
    "country",
    "region",
    "city",
    "business_unit",
    "industry",
    "strategic_segment",
    "owner_email",
    "status",
    "tier",
    "currency",
    "wallet",
    "threat",
    "competitive_position",
    "satisfaction",
    "notes",
];
pub const CONTACT_COLUMNS: [&str; 8] = [
    "id",
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "notes",
];
pub const CONTRACT_COLUMNS: [&str; 11] = [
    "id",
    "customer_id",
    "title",
    "reference",
    "starts_on",
    "renews_on",
    "notice_days",
    "auto_renew",
    "annual_value",
    "currency",
    "notes",
];
pub const REVENUE_COLUMNS: [&str; 6] = [
    "customer_id",
    "business_unit",
    "period",
    "revenue",
    "margin",
    "currency",
];

/// A parsed file: its header positions and its rows (each row's text in
/// one buffer).
struct Table {
    pos: HashMap<&'static str, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn get<'a>(&self, row: &'a csv::StringRecord, col: &str) -> Option<&'a str> {
        self.pos
            .get(col)
            .and_then(|i| row.get(*i))
            .map(uncell)
            .filter(|s| !s.trim().is_empty())
    }
}

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell for export: a value a spreadsheet would run as a formula is
/// prefixed with an apostrophe, which imports remove again.
pub fn cell(s: &str) -> String {
    if s.starts_with(FORMULA_START) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

pub fn uncell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => s,
    }
}

/// The separator of a CSV file: a semicolon when its first line has
/// semicolons and no comma (as spreadsheets write CSV in French, German…),
/// else a comma.
pub fn delimiter_of(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    if first.contains(&b';') && !first.contains(&b',') {
        b';'
    } else {
        b','
    }
}

/// The line a record starts on. A quoted value may hold line breaks, so
/// lines are not records; and the reader says where it began to read, which
/// is before the blank lines it skips.
pub fn start_line(body: &[u8], p: &csv::Position) -> u64 {
    let from = usize::try_from(p.byte()).unwrap_or(usize::MAX);
    let skipped = body
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .filter(|b| **b == b'\n')
        .count();
    p.line() + skipped as u64
}

fn read_table(bytes: &[u8], kind: ImportKind, report: &mut ImportReport) -> Option<Table> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter_of(bytes))
        .from_reader(bytes);
    let mut records = rdr.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            report.push(
                1,
                "",
                "unreadable-header",
                format!("the header line cannot be read: {e}"),
            );
            return None;
        }
        None => {
            report.push(
                1,
                "",
                "empty-file",
                format!(
                    "the file is empty; its first line must name the columns: {}",
                    kind.columns().join(",")
                ),
            );
            return None;
        }
    };
    let mut names = Vec::new();
    for (i, f) in header.iter().enumerate() {
        match std::str::from_utf8(f) {
            Ok(s) => names.push(s.trim().trim_start_matches('\u{feff}').to_lowercase()),
            Err(_) => {
                report.push(
                    1,
                    &format!("#{}", i + 1),
                    "not-utf8",
                    "the header is not valid UTF-8; save the file as UTF-8",
                );
                return None;
            }
        }
    }
    let cols = kind.columns();
    let optional = |c: &str| c == "id" && kind != ImportKind::Revenue;
    let missing: Vec<&str> = cols
        .iter()
        .copied()
        .filter(|c| !optional(c) && !names.iter().any(|n| n == c))
        .collect();
    // A column without a name is named by its place (`#4`).
    let extra: Vec<String> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| !cols.contains(&n.as_str()))
        .map(|(i, n)| {
            if n.is_empty() {
                format!("#{}", i + 1)
            } else {
                n.clone()
            }
        })
        .collect();
    // The columns named are in the report's column, so that the reader
    // sees them in any language.
    if !missing.is_empty() {
        report.push(
            1,
            &missing.join(", "),
            "missing-columns",
            format!(
                "missing column(s): {}; expected {}",
                missing.join(", "),
                cols.join(",")
            ),
        );
    }
    if !extra.is_empty() {
        report.push(
            1,
            &extra.join(", "),
            "unknown-columns",
            format!(
                "unknown column(s): {}; expected {}",
                extra.join(", "),
                cols.join(",")
            ),
        );
    }
    let mut seen = HashSet::new();
    for n in &names {
        if !seen.insert(n.clone()) {
            report.push(
                1,
                n,
                "repeated-column",
                format!("the column {n} appears twice"),
            );
        }
    }
    if report.error_count > 0 {
        return None;
    }
    let pos: HashMap<&'static str, usize> = cols
        .iter()
        .filter_map(|c| names.iter().position(|n| n == c).map(|i| (*c, i)))
        .collect();
    let mut rows = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| start_line(bytes, p));
                report.push(
                    line,
                    "",
                    "unreadable-line",
                    format!("this line cannot be read as CSV: {e}"),
                );
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| start_line(bytes, p));
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        if rec.len() != names.len() {
            // A quote that opens a value and never closes takes the lines
            // after it into that value.
            let unclosed = rec.iter().any(|f| f.contains(&b'\n'));
            report.push(
                line,
                "", "unreadable-line",
                if unclosed {
                    "a quoted value opens on this line and is not closed (a \" is missing): the lines after it were read into it".to_owned()
                } else {
                    format!(
                        "this line has {} fields but the header has {}",
                        rec.len(),
                        names.len()
                    )
                },
            );
            continue;
        }
        let fields = match csv::StringRecord::from_byte_record(rec) {
            Ok(r) => r,
            Err(e) => {
                // Name every field that is not UTF-8, and check nothing else
                // on that line (its other values may be right).
                let rec = e.into_byte_record();
                for (i, f) in rec.iter().enumerate() {
                    if std::str::from_utf8(f).is_err() {
                        report.push(
                            line,
                            &names[i],
                            "not-utf8",
                            "this value is not valid UTF-8; save the file as UTF-8",
                        );
                    }
                }
                continue;
            }
        };
        rows.push((line, fields));
    }
    report.rows = rows.len() as u64;
    Some(Table { pos, rows })
}

/// Ids in imported files: positive and within what both backends' sequences hold.
const MAX_ID: i64 = 1_000_000_000_000;

/// A record id from a file: a whole number from 1 to MAX_ID.
fn record_id(report: &mut ImportReport, line: u64, col: &str, v: Option<&str>) -> Option<i64> {
    let i = int(report, line, col, v)?;
    if (1..=MAX_ID).contains(&i) {
        Some(i)
    } else {
        report.push(
            line,
            col,
            "out-of-range",
            format!("{col} must be between 1 and {MAX_ID}, not {i}"),
        );
        None
    }
}

/// A line's record id, named as repeated when an earlier line has it.
fn line_id(
    report: &mut ImportReport,
    line: u64,
    v: Option<&str>,
    repeated: &HashSet<u64>,
) -> Option<i64> {
    let id = record_id(report, line, "id", v);
    if let Some(i) = id
        && repeated.contains(&line)
    {
        report.push(
            line,
            "id",
            "duplicate",
            format!("the id {i} appears on an earlier line"),
        );
    }
    id
}

/// The customer ids the file's lines name (those that read as numbers),
/// each once, in order.
fn named_customers(t: &Table) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for (_, row) in &t.rows {
        if let Some(id) = t
            .get(row, "customer_id")
            .and_then(|v| v.trim().parse().ok())
            && ids.last() != Some(&id)
        {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Records with an id (which then ends their values, to replace that
/// record) and records without one (added).
type ById = (Vec<Vec<Val>>, Vec<Vec<Val>>);

fn split_by_id(rows: impl IntoIterator<Item = (Option<i64>, Vec<Val>)>) -> ById {
    let (mut with_id, mut without_id) = (Vec::new(), Vec::new());
    for (id, mut vals) in rows {
        match id {
            Some(i) => {
                vals.push(Val::I(Some(i)));
                with_id.push(vals);
            }
            None => without_id.push(vals),
        }
    }
    (with_id, without_id)
}

fn int(report: &mut ImportReport, line: u64, col: &str, v: Option<&str>) -> Option<i64> {
    let v = v?;
    match v.trim().parse::<i64>() {
        Ok(i) => Some(i),
        Err(_) => {
            report.push(
                line,
                col,
                "invalid-number",
                format!("{col} must be a whole number, not \"{}\"", v.trim()),
            );
            None
        }
    }
}

/// A record's history form `before` with the values of `row` (in the order
/// of `cols`) written over it, its version one more.
fn replaced_by(before: &serde_json::Value, cols: &[&str], row: &[Val]) -> serde_json::Value {
    use serde_json::Value as J;
    let mut after = before.clone();
    let Some(o) = after.as_object_mut() else {
        return after;
    };
    for (col, v) in cols.iter().zip(row) {
        let Some(slot) = o.get_mut(*col) else {
            continue;
        };
        if *col == "version" {
            *slot = J::from(slot.as_i64().unwrap_or_default() + 1);
            continue;
        }
        *slot = match v {
            // Flags are stored as 0 or 1.
            Val::I(Some(i)) if slot.is_boolean() => J::Bool(*i != 0),
            Val::I(i) => i.map_or(J::Null, J::from),
            Val::S(t) => t.clone().map_or(J::Null, J::String),
            Val::F(f) => f.map_or(J::Null, J::from),
        };
    }
    after
}

/// An update's entry with, in its before and after, only the fields that
/// changed and those the history names the record, its money and its
/// customer by: a file that replaces many records keeps its entries small.
fn changed_only(mut detail: serde_json::Value) -> serde_json::Value {
    const KEPT: [&str; 7] = [
        "name",
        "title",
        "first_name",
        "last_name",
        "currency",
        "customer_id",
        "version",
    ];
    let (Some(b), Some(a)) = (detail.get("before").cloned(), detail.get("after").cloned()) else {
        return detail;
    };
    for side in ["before", "after"] {
        if let Some(o) = detail
            .get_mut(side)
            .and_then(serde_json::Value::as_object_mut)
        {
            o.retain(|k, _| KEPT.contains(&k.as_str()) || b.get(k) != a.get(k));
        }
    }
    detail
}

pub(crate) const CUSTOMER_DB_COLS: [&str; 25] = [
    "name",
    "name_key",
    "legal_id",
    "group_id",
    "parent_id",
    "country",
    "region",
    "city",
    "city_key",
    "business_unit_id",
    "industry",
    "strategic_segment",
    "owner_id",
    "status",
    "tier",
    "currency",
    "wallet_cents",
    "threat",
    "competitive_position",
    "satisfaction",
    "notes",
    "version",
    "created_at",
    "updated_at",
    "id",
];

/// What checking customer rows built: the records to write, and the
/// parents they name (line, parent id, own id).
#[derive(Default)]
struct CustomerRows {
    with_id: Vec<Vec<Val>>,
    without_id: Vec<Vec<Val>>,
    parents: Vec<(u64, i64, Option<i64>)>,
    /// Replaced customers given an owner whose role owns no customers
    /// (line, customer id, owner id): allowed only if it owns it already.
    kept_owners: Vec<(u64, i64, i64)>,
    /// Rows with the id of a customer that is not a key account, given that
    /// status (line, id, manager): refused if that customer exists, a new
    /// key account otherwise.
    promoted: Vec<(u64, i64, Option<i64>)>,
    /// Key accounts the file adds or hands to another manager (line, id of
    /// the key account kept, its manager), counted against each manager's
    /// capacity.
    given: Vec<(u64, Option<i64>, Option<i64>)>,
}

/// Files at least this long are checked on every core.
const PARALLEL_CHECK_ROWS: usize = 20_000;

/// Runs `check` over consecutive runs of the file's rows, one per core for
/// a long file, and answers what each run built, in file order. The report
/// gets the same errors, in the same order and with the same limit, as one
/// pass would give it. A run starts from the errors found so far (so that,
/// as one pass does, it can stop building records once any row is wrong).
fn check_in_parallel<O: Send>(
    rows: &[(u64, csv::StringRecord)],
    report: &mut ImportReport,
    check: impl Fn(&[(u64, csv::StringRecord)], &mut ImportReport) -> O + Sync,
) -> Result<Vec<O>, StoreError> {
    if rows.len() < PARALLEL_CHECK_ROWS {
        return Ok(vec![check(rows, report)]);
    }
    let size = rows.len().div_ceil(crate::direct::parts());
    let seen = report.error_count;
    let parts: Vec<(ImportReport, O)> = std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(size)
            .map(|part| {
                let check = &check;
                s.spawn(move || {
                    let mut r = ImportReport {
                        error_count: seen,
                        ..ImportReport::default()
                    };
                    let out = check(part, &mut r);
                    r.error_count -= seen;
                    (r, out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| StoreError::Config("checking the rows stopped".into()))
            })
            .collect::<Result<_, _>>()
    })?;
    Ok(parts
        .into_iter()
        .map(|(r, out)| {
            report.error_count += r.error_count;
            let room = LISTED_ERRORS.saturating_sub(report.errors.len());
            report.errors.extend(r.errors.into_iter().take(room));
            out
        })
        .collect())
}

/// The id `map` holds for `key`; when there is none, an error on `col`
/// saying what is `missing`.
fn known(
    report: &mut ImportReport,
    line: u64,
    col: &str,
    map: &HashMap<String, i64>,
    key: String,
    missing: impl FnOnce() -> String,
) -> Option<i64> {
    let id = map.get(&key).copied();
    if id.is_none() {
        report.push(line, col, "unknown-reference", missing());
    }
    id
}

/// Two lists of errors, each in line order, as one list in line order (on
/// the same line, those of `a` first).
fn merge_by_line(a: Vec<RowError>, b: Vec<RowError>) -> Vec<RowError> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.line <= y.line,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
}

/// Lines whose id appears on an earlier line of the file, found before the
/// rows are checked in parallel (so that the error keeps its place), and
/// every valid id of the file.
/// The nodes, among those reached from `starts`, that lie on a cycle of
/// `parent`: each node is walked once.
fn cycles(parent: impl Fn(i64) -> Option<i64>, starts: impl Iterator<Item = i64>) -> HashSet<i64> {
    // 1: on the path being walked; 2: walked.
    let mut state: HashMap<i64, u8> = HashMap::new();
    let mut on_cycle = HashSet::new();
    for start in starts {
        let mut path = Vec::new();
        let mut cur = Some(start);
        while let Some(id) = cur {
            match state.get(&id) {
                Some(2) => break,
                Some(_) => {
                    // Back on the path: from there on, a cycle.
                    let from = path.iter().position(|p| *p == id).unwrap_or(0);
                    on_cycle.extend(path[from..].iter().copied());
                    break;
                }
                None => {
                    state.insert(id, 1);
                    path.push(id);
                    cur = parent(id);
                }
            }
        }
        for id in path {
            state.insert(id, 2);
        }
    }
    on_cycle
}

fn repeated_ids(t: &Table) -> (HashSet<i64>, HashSet<u64>) {
    let mut ids = HashSet::new();
    let mut repeated = HashSet::new();
    for (line, row) in &t.rows {
        let id = t.get(row, "id").and_then(|v| v.trim().parse::<i64>().ok());
        if let Some(i) = id.filter(|i| (1..=MAX_ID).contains(i))
            && !ids.insert(i)
        {
            repeated.insert(*line);
        }
    }
    (ids, repeated)
}

/// What checking customer rows looks up.
struct CustomerRefs<'a> {
    t: &'a Table,
    groups: &'a HashMap<String, i64>,
    bus: &'a HashMap<String, i64>,
    users: &'a HashMap<String, i64>,
    /// The users whose role owns no customers, with that role.
    not_owners: &'a HashMap<i64, String>,
    /// Lines whose id appears on an earlier line.
    repeated: &'a HashSet<u64>,
    /// The key accounts: only the selection workflow makes a customer one,
    /// or takes it out of the program.
    key_accounts: &'a HashMap<i64, Option<i64>>,
    ts: i64,
    progress: &'a crate::Progress,
}

impl CustomerRefs<'_> {
    fn check(&self, rows: &[(u64, csv::StringRecord)], report: &mut ImportReport) -> CustomerRows {
        let mut out = CustomerRows::default();
        for (line, row) in rows {
            let line = *line;
            self.progress.add(1);
            let g = |c: &str| self.t.get(row, c);
            let id = line_id(report, line, g("id"), self.repeated);
            let group_id = g("group").and_then(|n| {
                known(report, line, "group", self.groups, search_key(n), || {
                    format!("there is no customer group named \"{n}\"")
                })
            });
            let bu = g("business_unit").and_then(|c| {
                known(
                    report,
                    line,
                    "business_unit",
                    self.bus,
                    c.trim().to_uppercase(),
                    || format!("there is no business unit with the code \"{c}\""),
                )
            });
            let owner = g("owner_email").and_then(|e| {
                known(
                    report,
                    line,
                    "owner_email",
                    self.users,
                    e.trim().to_lowercase(),
                    || format!("there is no user with the e-mail \"{e}\""),
                )
            });
            if let Some(o) = owner
                && let Some(role) = self.not_owners.get(&o)
            {
                match id {
                    Some(i) => out.kept_owners.push((line, i, o)),
                    None => report.push(
                        line,
                        "owner_email",
                        "cannot-own",
                        not_an_owner(g("owner_email").unwrap_or(""), role),
                    ),
                }
            }
            let parent_id = record_id(report, line, "parent_id", g("parent_id"));
            let currency = g("currency").map(str::to_owned);
            let cur = currency
                .as_deref()
                .map_or(Ok(Currency::EUR), |c| Currency::parse("currency", c));
            let wallet = match (g("wallet"), cur) {
                (Some(w), Ok(c)) => match Money::parse_amount("wallet", w, c) {
                    Ok(m) => Some(m.minor),
                    Err(e) => {
                        report.push(line, "wallet", e.code, e.message);
                        None
                    }
                },
                _ => None,
            };
            let input = CustomerInput {
                name: g("name").unwrap_or("").to_owned(),
                legal_id: g("legal_id").map(str::to_owned),
                group_id: None,
                parent_id: None,
                country: g("country").unwrap_or("").to_owned(),
                region: g("region").map(str::to_owned),
                city: g("city").map(str::to_owned),
                business_unit_id: None,
                industry: g("industry").map(str::to_owned),
                strategic_segment: g("strategic_segment").map(str::to_owned),
                owner_id: None,
                status: g("status").map(str::to_owned),
                tier: g("tier").map(str::to_owned),
                currency,
                wallet_cents: wallet,
                threat: g("threat").map(str::to_owned),
                competitive_position: g("competitive_position").map(str::to_owned),
                satisfaction: int(report, line, "satisfaction", g("satisfaction")),
                notes: g("notes").map(str::to_owned),
            };
            let f = match input.parse() {
                Ok(f) => f,
                Err(errs) => {
                    report.push_fields(line, errs, &[("wallet_cents", "wallet")]);
                    continue;
                }
            };
            if let Some(p) = parent_id {
                out.parents.push((line, p, id));
            }
            if let Some(i) = id {
                match (
                    self.key_accounts.get(&i),
                    f.status == CustomerStatus::KeyAccount,
                ) {
                    (Some(_), false) => report.push(
                        line,
                        "status",
                        "use-selection",
                        "a key account leaves the program through the selection page (deselect, with a reason), not by an import",
                    ),
                    (None, true) => out.promoted.push((line, i, owner)),
                    // Handed to another manager: within that manager's
                    // capacity, checked once the whole file is read.
                    (Some(before), true) if *before != owner => {
                        out.given.push((line, Some(i), owner));
                    }
                    _ => {}
                }
            } else if f.status == CustomerStatus::KeyAccount {
                // A new customer that starts as a key account, as on its
                // form: within its manager's capacity too.
                out.given.push((line, None, owner));
            }
            if report.error_count > 0 {
                continue; // keep checking, but stop building rows
            }
            let (name_key, city_key) = (
                search_key(&f.name),
                Some(f.city.as_deref().map(search_key).unwrap_or_default()),
            );
            let mut vals = vec![
                Val::S(Some(f.name)),
                Val::S(Some(name_key)),
                Val::S(f.legal_id),
                Val::I(group_id),
                Val::I(parent_id),
                Val::S(Some(f.country.as_str().to_owned())),
                Val::S(f.region),
                Val::S(f.city),
                Val::S(city_key),
                Val::I(bu),
                Val::S(f.industry),
                Val::S(f.strategic_segment),
                Val::I(owner),
                Val::S(Some(f.status.as_str().to_owned())),
                Val::S(Some(f.tier.as_str().to_owned())),
                Val::S(Some(f.currency.as_str().to_owned())),
                Val::I(f.wallet.map(|w| w.minor)),
                Val::S(f.threat.map(|x| x.as_str().to_owned())),
                Val::S(f.competitive_position.map(|x| x.as_str().to_owned())),
                Val::I(f.satisfaction),
                Val::S(f.notes),
                Val::I(Some(1)),
                Val::I(Some(self.ts)),
                Val::I(Some(self.ts)),
            ];
            match id {
                Some(i) => {
                    vals.push(Val::I(Some(i)));
                    out.with_id.push(vals);
                }
                None => out.without_id.push(vals),
            }
        }
        out
    }
}

/// The rows of a customers file that passed every check, and the key
/// accounts they were checked against.
struct CheckedCustomers {
    with_id: Vec<Vec<Val>>,
    without_id: Vec<Vec<Val>>,
    key_accounts: HashMap<i64, Option<i64>>,
    /// The stored customers the file's parent chains went through, with the
    /// parent each had.
    parents_seen: HashMap<i64, Option<i64>>,
    /// Whether the file gives key accounts to managers: their capacity was
    /// counted from `key_accounts`.
    gives_key_accounts: bool,
}

/// Why a user cannot be made a customer's owner.
fn not_an_owner(email: &str, role: &str) -> String {
    format!(
        "{} has the role {role}: only administrators, directors, key account managers and account managers own customers",
        email.trim()
    )
}

/// The stages of an import, as [`crate::Progress`] reports them.
pub const IMPORT_READ: u8 = 1;
pub const IMPORT_CHECK: u8 = 2;
pub const IMPORT_WRITE: u8 = 3;
pub const IMPORT_FIGURES: u8 = 4;

impl Store {
    /// Imports a CSV file, then computes the portfolio figures again. When
    /// the report lists errors, nothing was written.
    pub async fn import_csv(
        &self,
        actor: Option<i64>,
        kind: ImportKind,
        bytes: &[u8],
    ) -> Result<ImportReport, StoreError> {
        self.import_csv_with(actor, kind, bytes, &crate::Progress::default())
            .await
    }

    /// [`Store::import_csv`], telling `progress` how far it is: the stages
    /// [`IMPORT_READ`], [`IMPORT_CHECK`] (rows counted), [`IMPORT_WRITE`]
    /// and [`IMPORT_FIGURES`].
    pub async fn import_csv_with(
        &self,
        actor: Option<i64>,
        kind: ImportKind,
        bytes: &[u8],
        progress: &crate::Progress,
    ) -> Result<ImportReport, StoreError> {
        if kind.changes_figures() {
            self.figures_owed().await?;
        }
        let report = match self.import_batch(actor, kind, bytes, progress, false).await {
            Ok(r) => r,
            Err(e) => {
                // Nothing was written (one transaction, with its history
                // entry): nothing is due.
                if kind.changes_figures() {
                    let _ = self.figures_paid().await;
                }
                return Err(e);
            }
        };
        if report.errors.is_empty()
            && report.written > 0
            && kind.changes_figures()
            && !report.figures_written
        {
            progress.start(IMPORT_FIGURES, 1);
            if let Err(e) = self.refresh_figures().await {
                // The rows are stored: saying the import failed would have
                // it imported twice. The figures stay owed, computed again
                // at the next start.
                tracing::warn!(error = %e, "figures not computed after an import");
                return Ok(report);
            }
            progress.add(1);
        }
        if kind.changes_figures() {
            self.figures_paid().await?;
        }
        Ok(report)
    }

    /// Checks a CSV file as [`Store::import_csv_with`] would, and writes
    /// nothing: the report lists the same problems, or, when there are
    /// none, its [`ImportReport::preview`] says what importing the file
    /// would replace and add.
    pub async fn check_csv_with(
        &self,
        kind: ImportKind,
        bytes: &[u8],
        progress: &crate::Progress,
    ) -> Result<ImportReport, StoreError> {
        self.import_batch(None, kind, bytes, progress, true).await
    }

    /// Imports one CSV batch of a larger load, without computing the
    /// figures: the loader calls [`Store::refresh_figures`] at the end.
    pub async fn import_csv_batch(
        &self,
        actor: Option<i64>,
        kind: ImportKind,
        bytes: &[u8],
    ) -> Result<ImportReport, StoreError> {
        self.import_batch(actor, kind, bytes, &crate::Progress::default(), false)
            .await
    }

    async fn import_batch(
        &self,
        actor: Option<i64>,
        kind: ImportKind,
        bytes: &[u8],
        progress: &crate::Progress,
        check_only: bool,
    ) -> Result<ImportReport, StoreError> {
        let mut report = ImportReport::default();
        let t0 = std::time::Instant::now();
        progress.start(IMPORT_READ, bytes.len() as u64);
        let Some(table) = read_table(bytes, kind, &mut report) else {
            return Ok(report);
        };
        progress.add(bytes.len() as u64);
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "csv read");
        // The history's entry, written with the rows.
        let entry = crate::audit::ImportEntry {
            user_id: actor,
            entity: match kind {
                ImportKind::Customers => "customers",
                ImportKind::Contacts => "contacts",
                ImportKind::Revenue => "revenue_lines",
                ImportKind::Contracts => "contracts",
            },
            rows: report.rows,
        };
        let report = match kind {
            ImportKind::Customers => {
                self.import_customers(table, report, progress, check_only, entry)
                    .await
            }
            ImportKind::Contacts => {
                self.import_contacts(table, report, progress, check_only, entry)
                    .await
            }
            ImportKind::Revenue => {
                self.import_revenue(table, report, progress, check_only, entry)
                    .await
            }
            ImportKind::Contracts => {
                self.import_contracts(table, report, progress, check_only, entry)
                    .await
            }
        }?;
        if check_only {
            return Ok(report);
        }
        if report.error_count == 0 {
            progress.add(report.written);
        }
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "rows written");
        if kind == ImportKind::Customers
            && report.written >= 10_000
            && let Err(e) = self.optimize().await
        {
            // The rows are stored: the statistics are refreshed later.
            tracing::warn!(error = %e, "statistics not refreshed after an import");
        }
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "statistics refreshed");
        Ok(report)
    }

    async fn lookups(
        &self,
    ) -> Result<
        (
            HashMap<String, i64>,
            HashMap<String, i64>,
            HashMap<String, i64>,
        ),
        StoreError,
    > {
        let groups = self
            .list_groups()
            .await?
            .into_iter()
            .map(|g| (search_key(&g.name), g.id))
            .collect();
        let bus = self
            .list_business_units()
            .await?
            .into_iter()
            .map(|b| (b.code.to_uppercase(), b.id))
            .collect();
        let users = self
            .list_users()
            .await?
            .into_iter()
            .map(|u| (u.email.to_lowercase(), u.id))
            .collect();
        Ok((groups, bus, users))
    }

    async fn import_customers(
        &self,
        t: Table,
        report: ImportReport,
        progress: &crate::Progress,
        check_only: bool,
        entry: crate::audit::ImportEntry<'_>,
    ) -> Result<ImportReport, StoreError> {
        let (mut report, checked) = self.check_customers(t, report, progress).await?;
        let Some(c) = checked else {
            return Ok(report);
        };
        if check_only {
            report.preview = Some(self.preview("customers", &c.with_id, &c.without_id).await?);
            return Ok(report);
        }
        progress.start(IMPORT_WRITE, report.rows);
        (report.written, report.figures_written) = self.write_customers(c, entry).await?;
        Ok(report)
    }

    /// Writes customers checked by [`Store::check_customers`]. Rows with an
    /// id replace customers: their key-account status and manager were
    /// checked against what the database held then, and nothing is written
    /// when that changed meanwhile.
    async fn write_customers(
        &self,
        c: CheckedCustomers,
        entry: crate::audit::ImportEntry<'_>,
    ) -> Result<(u64, bool), StoreError> {
        // Read again at the write: what a replaced customer was, and the
        // managers' key accounts the file's were counted with.
        let seen = (!c.with_id.is_empty() || c.gives_key_accounts)
            .then(|| crate::bulk::SeenAtCheck::new(&c.key_accounts, &c.parents_seen));
        self.write_records(
            "customers",
            &CUSTOMER_DB_COLS,
            21,
            (c.with_id, c.without_id),
            seen,
            entry,
        )
        .await
    }

    /// Checks every row of a customers file; answers the rows to write
    /// when there is no problem.
    async fn check_customers(
        &self,
        t: Table,
        mut report: ImportReport,
        progress: &crate::Progress,
    ) -> Result<(ImportReport, Option<CheckedCustomers>), StoreError> {
        progress.start(IMPORT_CHECK, t.rows.len() as u64);
        let (groups, bus, users) = self.lookups().await?;
        let not_owners: HashMap<i64, String> = self
            .list_users()
            .await?
            .into_iter()
            .filter(|u| !crate::OWNER_ROLES.contains(&u.role.as_str()))
            .map(|u| (u.id, u.role))
            .collect();
        let (file_ids, repeated) = repeated_ids(&t);
        let key_accounts = self.key_account_ids().await?;
        let refs = CustomerRefs {
            key_accounts: &key_accounts,
            t: &t,
            groups: &groups,
            bus: &bus,
            users: &users,
            not_owners: &not_owners,
            repeated: &repeated,
            ts: now(),
            progress,
        };
        let parts = check_in_parallel(&t.rows, &mut report, |rows, report| {
            refs.check(rows, report)
        })?;
        let mut all = CustomerRows::default();
        for p in parts {
            all.with_id.extend(p.with_id);
            all.without_id.extend(p.without_id);
            all.parents.extend(p.parents);
            all.kept_owners.extend(p.kept_owners);
            all.promoted.extend(p.promoted);
            all.given.extend(p.given);
        }
        let CustomerRows {
            with_id,
            without_id,
            parents,
            kept_owners,
            promoted,
            mut given,
        } = all;
        if !promoted.is_empty() {
            // A new customer may start as a key account, as on its form.
            let ids: Vec<i64> = promoted.iter().map(|p| p.1).collect();
            let existing = self.existing_customer_ids(&ids).await?;
            for (line, id, owner) in promoted {
                if !existing.contains(&id) {
                    given.push((line, None, owner));
                } else {
                    report.push(
                        line,
                        "status",
                        "use-selection",
                        "a customer becomes a key account through the selection page (propose, then approve), not by an import",
                    );
                }
            }
        }
        let gives_key_accounts = given.iter().any(|m| m.2.is_some());
        if !given.is_empty() {
            // The report goes in the order of the file's lines.
            given.sort_unstable_by_key(|m| m.0);
            self.check_given_key_accounts(&key_accounts, &given, &mut report)
                .await?;
        }
        if !kept_owners.is_empty() {
            // A customer replaced may keep an owner of any role, not get one.
            let ids: Vec<i64> = kept_owners.iter().map(|k| k.1).collect();
            let owners = self
                .customer_refs(&ids, crate::entities::customer::Column::OwnerId)
                .await?;
            let emails: HashMap<i64, &str> = users.iter().map(|(e, i)| (*i, e.as_str())).collect();
            for (line, id, owner) in kept_owners {
                if owners.get(&id).copied().flatten() != Some(owner) {
                    let role = not_owners.get(&owner).map_or("", String::as_str);
                    report.push(
                        line,
                        "owner_email",
                        "cannot-own",
                        not_an_owner(emails.get(&owner).copied().unwrap_or(""), role),
                    );
                }
            }
        }
        let mut parents_seen = HashMap::new();
        if !parents.is_empty() {
            let mut ids: Vec<i64> = parents
                .iter()
                .map(|p| p.1)
                .filter(|p| !file_ids.contains(p))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let existing = self.existing_customer_ids(&ids).await?;
            let (cycles, stored) = self.parent_cycles(&parents, &file_ids).await?;
            parents_seen = stored;
            for (line, p, own) in parents {
                if own.is_some_and(|o| cycles.contains(&o)) {
                    report.push(
                        line,
                        "parent_id",
                        "parent-cycle",
                        "a customer cannot be its own parent, directly or through other entities",
                    );
                } else if !file_ids.contains(&p) && !existing.contains(&p) {
                    report.push(
                        line,
                        "parent_id",
                        "unknown-reference",
                        format!("there is no customer with id {p}"),
                    );
                }
            }
        }
        if report.error_count > 0 {
            return Ok((report, None));
        }
        // The file's text is no longer needed: its memory goes back first.
        drop(t);
        let checked = CheckedCustomers {
            with_id,
            without_id,
            key_accounts,
            parents_seen,
            gives_key_accounts,
        };
        Ok((report, Some(checked)))
    }

    /// The key accounts (a few dozen at most: each manager runs a handful), with their
    /// managers.
    async fn key_account_ids(&self) -> Result<HashMap<i64, Option<i64>>, StoreError> {
        use crate::entities::customer;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
        Ok(customer::Entity::find()
            .select_only()
            .column(customer::Column::Id)
            .column(customer::Column::OwnerId)
            .filter(customer::Column::Status.eq(CustomerStatus::KeyAccount.as_str()))
            .into_tuple::<(i64, Option<i64>)>()
            .all(self.conn())
            .await?
            .into_iter()
            .collect())
    }

    /// Key accounts the file adds, or hands to other managers, stay within
    /// each manager's capacity once the file is written (as on the form): a
    /// line that passes it is named. `given`: (line, the stored key account
    /// handed over, or none for a new one, its manager).
    async fn check_given_key_accounts(
        &self,
        key_accounts: &HashMap<i64, Option<i64>>,
        given: &[(u64, Option<i64>, Option<i64>)],
        report: &mut ImportReport,
    ) -> Result<(), StoreError> {
        let mut held: HashMap<i64, u64> = HashMap::new();
        for owner in key_accounts.values().flatten() {
            *held.entry(*owner).or_default() += 1;
        }
        for (_, id, to) in given {
            if let Some(Some(from)) = id.and_then(|i| key_accounts.get(&i)) {
                let n = held.entry(*from).or_default();
                *n = n.saturating_sub(1);
            }
            if let Some(to) = to {
                *held.entry(*to).or_default() += 1;
            }
        }
        let users: HashMap<i64, crate::user::Model> = self
            .list_users()
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        for (line, _, to) in given {
            let Some(to) = to else { continue };
            let u = users.get(to);
            let cap = clef_domain::selection::capacity(
                u.and_then(|u| u.title.as_deref())
                    .and_then(clef_domain::KamTitle::from_str_opt),
            );
            let n = held.get(to).copied().unwrap_or_default();
            if n > cap.max {
                report.push(
                    *line,
                    "owner_email",
                    "manager-full",
                    format!(
                        "{} would run {n} key accounts, and the limit is {}: choose another manager",
                        u.map_or("this manager", |u| u.name.as_str()),
                        cap.max
                    ),
                );
            }
        }
        Ok(())
    }

    /// The customers of the file that would be their own parent, directly
    /// or through other entities, once the file is written: its rows with an
    /// id give those customers' parents (none when they name none), the
    /// database the others'. `parents`: (line, parent, own id). Answers them
    /// with the stored customers the chains went through and their parents.
    async fn parent_cycles(
        &self,
        parents: &[(u64, i64, Option<i64>)],
        file_ids: &HashSet<i64>,
    ) -> Result<(HashSet<i64>, HashMap<i64, Option<i64>>), StoreError> {
        let in_file: HashMap<i64, i64> = parents
            .iter()
            .filter_map(|(_, p, own)| own.map(|o| (o, *p)))
            .collect();
        // The chains above the file's customers, read a level at a time.
        let mut stored: HashMap<i64, Option<i64>> = HashMap::new();
        let mut next: Vec<i64> = in_file
            .values()
            .filter(|p| !file_ids.contains(p))
            .copied()
            .collect();
        while !next.is_empty() {
            next.sort_unstable();
            next.dedup();
            let found = self
                .customer_refs(&next, crate::entities::customer::Column::ParentId)
                .await?;
            let asked = std::mem::take(&mut next);
            for id in asked {
                let p = found.get(&id).copied().flatten();
                stored.insert(id, p);
                if let Some(p) = p
                    && !file_ids.contains(&p)
                    && !stored.contains_key(&p)
                {
                    next.push(p);
                }
            }
        }
        let found = cycles(
            |id| {
                if file_ids.contains(&id) {
                    in_file.get(&id).copied()
                } else {
                    stored.get(&id).copied().flatten()
                }
            },
            in_file.keys().copied(),
        );
        Ok((found, stored))
    }

    /// What importing rows checked for `table` would do: rows with an id
    /// (their last value) replace the record with that id when there is
    /// one; the others add a record.
    async fn preview(
        &self,
        table: &str,
        with_id: &[Vec<Val>],
        without_id: &[Vec<Val>],
    ) -> Result<Preview, StoreError> {
        let ids: Vec<i64> = with_id
            .iter()
            .filter_map(|r| match r.last() {
                Some(Val::I(Some(id))) => Some(*id),
                _ => None,
            })
            .collect();
        let mut replaces = 0u64;
        for chunk in ids.chunks(10_000) {
            let list = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let row = sea_orm::ConnectionTrait::query_one_raw(
                self.conn(),
                sea_orm::Statement::from_string(
                    self.backend(),
                    format!("SELECT COUNT(*) AS n FROM {table} WHERE id IN ({list})"),
                ),
            )
            .await?;
            replaces += row
                .and_then(|r| r.try_get::<i64>("", "n").ok())
                .unwrap_or(0) as u64;
        }
        Ok(Preview {
            replaces,
            adds: (with_id.len() + without_id.len()) as u64 - replaces,
        })
    }

    /// [`Store::preview`] for revenue lines: a line replaces the one of the
    /// same customer, business unit and month.
    async fn revenue_preview(&self, lines: &[RevenueLine]) -> Result<Preview, StoreError> {
        let keys: HashSet<(i64, i64, i64)> = lines
            .iter()
            .map(|l| {
                (
                    l.customer_id.0,
                    l.business_unit_id.0,
                    i64::from(l.period.yyyymm()),
                )
            })
            .collect();
        let mut customers: Vec<i64> = keys.iter().map(|k| k.0).collect();
        customers.sort_unstable();
        customers.dedup();
        let mut replaces = 0u64;
        for chunk in customers.chunks(1_000) {
            let list = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let sql = format!(
                "SELECT customer_id, business_unit_id, period FROM revenue_lines \
                 WHERE customer_id IN ({list})"
            );
            let rows = sea_orm::ConnectionTrait::query_all_raw(
                self.conn(),
                sea_orm::Statement::from_string(self.backend(), sql),
            )
            .await?;
            for r in rows {
                let key = (
                    r.try_get::<i64>("", "customer_id")?,
                    r.try_get::<i64>("", "business_unit_id")?,
                    r.try_get::<i64>("", "period")?,
                );
                if keys.contains(&key) {
                    replaces += 1;
                }
            }
        }
        Ok(Preview {
            replaces,
            adds: lines.len() as u64 - replaces,
        })
    }

    /// The history entries of the records that the rows `with_id` (values
    /// in the order of `cols`, the id last) replace and change: each says
    /// what the record held before and after, as an edit's entry does, so
    /// that an import loses nothing. Records the rows create, and rows that
    /// change nothing, have none.
    async fn replaced_entries(
        &self,
        table: &str,
        cols: &[&str],
        with_id: &[Vec<Val>],
        actor: Option<i64>,
    ) -> Result<(Vec<Vec<Val>>, Option<crate::bulk::Replaced>), StoreError> {
        use crate::entities::{contact, contract, customer};
        use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
        let (entity, table) = match table {
            "customers" => ("customer", "customers"),
            "contacts" => ("contact", "contacts"),
            "contracts" => ("contract", "contracts"),
            _ => return Ok((Vec::new(), None)),
        };
        if with_id.is_empty() {
            return Ok((Vec::new(), None));
        }
        // Ids above the largest stored are new records (as every id of
        // the demo's files): nothing to read for them.
        let last: Option<i64> = match self
            .conn()
            .query_one_raw(sea_orm::Statement::from_string(
                self.backend(),
                format!("SELECT MAX(id) FROM {table}"),
            ))
            .await?
        {
            Some(r) => r.try_get_by_index(0)?,
            None => None,
        };
        let last = last.unwrap_or(0);
        let id_of = |r: &Vec<Val>| match r.last() {
            Some(Val::I(Some(id))) => Some(*id),
            _ => None,
        };
        let stored = |r: &Vec<Val>| id_of(r).filter(|id| *id <= last);
        let mut replaced = crate::bulk::Replaced {
            table,
            versions: Vec::new(),
            last,
            first_above: with_id
                .iter()
                .filter_map(id_of)
                .filter(|id| *id > last)
                .min(),
        };
        let mut out = Vec::new();
        for chunk in with_id.chunks(5_000) {
            let ids: Vec<i64> = chunk.iter().filter_map(stored).collect();
            if ids.is_empty() {
                continue;
            }
            let before: HashMap<i64, serde_json::Value> = match entity {
                "customer" => customer::Entity::find()
                    .filter(customer::Column::Id.is_in(ids))
                    .all(self.conn())
                    .await?
                    .iter()
                    .map(|m| (m.id, crate::customers::customer_json(m)))
                    .collect(),
                "contact" => contact::Entity::find()
                    .filter(contact::Column::Id.is_in(ids))
                    .all(self.conn())
                    .await?
                    .iter()
                    .map(|m| (m.id, crate::customers::contact_json(m)))
                    .collect(),
                _ => contract::Entity::find()
                    .filter(contract::Column::Id.is_in(ids))
                    .all(self.conn())
                    .await?
                    .iter()
                    .map(|m| (m.id, crate::contracts::contract_json(m)))
                    .collect(),
            };
            replaced.versions.extend(
                before
                    .iter()
                    .map(|(id, b)| (*id, b["version"].as_i64().unwrap_or_default())),
            );
            for row in chunk {
                let Some(id) = stored(row) else { continue };
                let Some(b) = before.get(&id) else { continue };
                let a = replaced_by(b, cols, row);
                if crate::relationships::fields_differ(b, &a) {
                    let detail = serde_json::json!({"before": b, "after": a});
                    out.push(crate::audit::row(
                        actor,
                        entity,
                        id,
                        "update",
                        &changed_only(detail),
                    ));
                }
            }
        }
        replaced.versions.sort_unstable();
        Ok((out, Some(replaced)))
    }

    /// Writes imported records in one transaction: rows with an id replace
    /// that record (or create it with that id), rows without one are added.
    /// `cols` ends with `id`; its first `updatable` columns are replaced, and a
    /// replaced record gets a new version. Answers the number of rows written
    /// and whether their figures were written with them: in a SQLite file,
    /// customers that are all new get theirs in the same transaction.
    async fn write_records(
        &self,
        table: &str,
        cols: &[&str],
        updatable: usize,
        (with_id, without_id): (Vec<Vec<Val>>, Vec<Vec<Val>>),
        seen: Option<crate::bulk::SeenAtCheck>,
        entry: crate::audit::ImportEntry<'_>,
    ) -> Result<(u64, bool), StoreError> {
        // Every row checked is written: the history says how many, and
        // each record replaced keeps what it held in its own history.
        let mut trail = vec![entry.row((with_id.len() + without_id.len()) as u64)];
        let (entries, replaced) = self
            .replaced_entries(table, cols, &with_id, entry.user_id)
            .await?;
        trail.extend(entries);
        let audit = &crate::audit::COLS;
        tracing::debug!(
            rows = with_id.len() + without_id.len(),
            "rows checked, writing"
        );
        let sets: Vec<String> = cols[..updatable]
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .chain([
                format!("version = {table}.version + 1"),
                "updated_at = excluded.updated_at".to_owned(),
            ])
            .collect();
        let sets: Vec<&str> = sets.iter().map(|s| s.as_str()).collect();
        let key = ["id"];
        let upsert = Some((&key[..], &sets[..]));
        let cols_no_id = &cols[..cols.len() - 1];
        let mut n = 0;
        if let Some(path) = self.sqlite_file().await? {
            let new_figures = table == "customers" && with_id.is_empty();
            let batches = vec![
                Batch::new(table, cols, with_id, upsert),
                Batch::new(table, cols_no_id, without_id, None),
            ];
            n +=
                crate::bulk::write_direct(path, table, batches, new_figures, seen, replaced, trail)
                    .await?;
            return Ok((n, new_figures));
        } else if self.is_sqlite() {
            // A database in memory: through the pool.
            use sea_orm::sqlx;
            // Immediate: the key accounts read below stay as read until the
            // commit.
            let mut tx = self
                .conn()
                .get_sqlite_connection_pool()
                .begin_with("BEGIN IMMEDIATE")
                .await?;
            if let Some(seen) = &seen {
                let now: Vec<(i64, Option<i64>)> = sqlx::query_as(crate::bulk::SeenAtCheck::SQL)
                    .fetch_all(&mut *tx)
                    .await?;
                seen.check(&now)?;
                if let Some(sql) = seen.parents_sql() {
                    let now: Vec<(i64, Option<i64>)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .fetch_all(&mut *tx)
                        .await?;
                    seen.check_parents(&now)?;
                }
            }
            if let Some(r) = &replaced {
                let max: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(r.max_sql()))
                    .fetch_one(&mut *tx)
                    .await?;
                let mut now: Vec<(i64, i64)> = Vec::new();
                for sql in r.versions_sql() {
                    now.extend(
                        sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql))
                            .fetch_all(&mut *tx)
                            .await?,
                    );
                }
                r.check(&now, max)?;
            }
            // Parents may be rows of the same file: foreign keys are checked at commit.
            sqlx::query("PRAGMA defer_foreign_keys = ON")
                .execute(&mut *tx)
                .await?;
            n += crate::bulk::sqlite_insert(&mut tx, table, cols, &with_id, upsert).await?;
            n += crate::bulk::sqlite_insert(&mut tx, table, cols_no_id, &without_id, None).await?;
            crate::bulk::sqlite_insert(&mut tx, "audit_log", audit, &trail, None).await?;
            tx.commit().await?;
        } else {
            let mut tx = self.conn().get_postgres_connection_pool().begin().await?;
            if let Some(seen) = &seen {
                // Writes to customers under way (a decision holds its
                // customer's row from its first read) end first; the next
                // ones wait for the commit. Reads go on, unless the file is
                // large enough for the indexes to be dropped and built
                // again: that needs the table alone, taken now rather than
                // later (a lock made stronger midway can deadlock).
                let rows = with_id.len() + without_id.len();
                // Parent changes of the forms wait first, as they do for
                // each other (always taken before the table).
                if seen.parents_sql().is_some() {
                    sea_orm::sqlx::query("SELECT pg_advisory_xact_lock(1668048232)")
                        .execute(&mut *tx)
                        .await?;
                }
                let mode = if rows >= crate::bulk::REBUILD_MIN_ROWS {
                    "ACCESS EXCLUSIVE"
                } else {
                    "EXCLUSIVE"
                };
                sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(format!(
                    "LOCK TABLE customers IN {mode} MODE"
                )))
                .execute(&mut *tx)
                .await?;
                let now: Vec<(i64, Option<i64>)> =
                    sea_orm::sqlx::query_as(crate::bulk::SeenAtCheck::SQL)
                        .fetch_all(&mut *tx)
                        .await?;
                seen.check(&now)?;
                if let Some(sql) = seen.parents_sql() {
                    let now: Vec<(i64, Option<i64>)> =
                        sea_orm::sqlx::query_as(sea_orm::sqlx::AssertSqlSafe(sql))
                            .fetch_all(&mut *tx)
                            .await?;
                    seen.check_parents(&now)?;
                }
            }
            if let Some(r) = &replaced {
                // Other writers of the table wait (customers are locked
                // above already); readers go on.
                if seen.is_none() {
                    sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(format!(
                        "LOCK TABLE {table} IN EXCLUSIVE MODE"
                    )))
                    .execute(&mut *tx)
                    .await?;
                }
                let max: i64 =
                    sea_orm::sqlx::query_scalar(sea_orm::sqlx::AssertSqlSafe(r.max_sql()))
                        .fetch_one(&mut *tx)
                        .await?;
                let mut now: Vec<(i64, i64)> = Vec::new();
                for sql in r.versions_sql() {
                    now.extend(
                        sea_orm::sqlx::query_as::<_, (i64, i64)>(sea_orm::sqlx::AssertSqlSafe(sql))
                            .fetch_all(&mut *tx)
                            .await?,
                    );
                }
                r.check(&now, max)?;
            }
            if !with_id.is_empty() {
                n += crate::bulk::pg_copy(&mut tx, table, cols, &with_id, upsert).await?;
                // Ids given by the file must not be handed out again.
                sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     GREATEST((SELECT MAX(id) FROM {table}), (SELECT last_value FROM {table}_id_seq)))"
                )))
                .execute(&mut *tx)
                .await?;
            }
            n += crate::bulk::pg_copy(&mut tx, table, cols_no_id, &without_id, None).await?;
            crate::bulk::pg_copy(&mut tx, "audit_log", audit, &trail, None).await?;
            tx.commit().await?;
        }
        Ok((n, false))
    }

    async fn import_contacts(
        &self,
        t: Table,
        mut report: ImportReport,
        progress: &crate::Progress,
        check_only: bool,
        entry: crate::audit::ImportEntry<'_>,
    ) -> Result<ImportReport, StoreError> {
        progress.start(IMPORT_CHECK, t.rows.len() as u64);
        let (_, repeated) = repeated_ids(&t);
        let ts = now();
        // Each part: the customers its rows name (line, id), and its records.
        type Part = (Vec<(u64, i64)>, Vec<(Option<i64>, Vec<Val>)>);
        let parts = check_in_parallel(&t.rows, &mut report, |part, report| {
            let (mut refs, mut rows): Part = Default::default();
            for (line, row) in part {
                let line = *line;
                progress.add(1);
                let g = |c: &str| t.get(row, c);
                let id = line_id(report, line, g("id"), &repeated);
                let Some(customer_id) =
                    int(report, line, "customer_id", g("customer_id").or(Some("")))
                else {
                    continue;
                };
                let input = ContactInput {
                    first_name: g("first_name").unwrap_or("").to_owned(),
                    last_name: g("last_name").unwrap_or("").to_owned(),
                    email: g("email").map(str::to_owned),
                    phone: g("phone").map(str::to_owned),
                    job_title: g("job_title").map(str::to_owned),
                    notes: g("notes").map(str::to_owned),
                };
                match input.parse() {
                    Ok(f) => {
                        refs.push((line, customer_id));
                        rows.push((
                            id,
                            vec![
                                Val::I(Some(customer_id)),
                                Val::S(Some(f.first_name)),
                                Val::S(Some(f.last_name)),
                                Val::S(f.email.map(|e| e.as_str().to_owned())),
                                Val::S(f.phone),
                                Val::S(f.job_title),
                                Val::S(f.notes),
                                Val::I(Some(1)),
                                Val::I(Some(ts)),
                                Val::I(Some(ts)),
                            ],
                        ));
                    }
                    Err(errs) => report.push_fields(line, errs, &[]),
                }
            }
            (refs, rows)
        })?;
        let (refs, rows): Part =
            parts
                .into_iter()
                .fold(Default::default(), |(mut refs, mut rows), (r, w)| {
                    refs.extend(r);
                    rows.extend(w);
                    (refs, rows)
                });
        let mut ids: Vec<i64> = refs.iter().map(|r| r.1).collect();
        ids.sort_unstable();
        ids.dedup();
        let existing = self.existing_customer_ids(&ids).await?;
        for (line, c) in refs {
            if !existing.contains(&c) {
                report.push(
                    line,
                    "customer_id",
                    "unknown-reference",
                    format!("there is no customer with id {c}"),
                );
            }
        }
        if report.error_count > 0 {
            return Ok(report);
        }
        let cols = [
            "customer_id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "job_title",
            "notes",
            "version",
            "created_at",
            "updated_at",
            "id",
        ];
        let (with_id, without_id) = split_by_id(rows);
        if check_only {
            report.preview = Some(self.preview("contacts", &with_id, &without_id).await?);
            return Ok(report);
        }
        progress.start(IMPORT_WRITE, report.rows);
        (report.written, _) = self
            .write_records("contacts", &cols, 7, (with_id, without_id), None, entry)
            .await?;
        Ok(report)
    }

    async fn import_contracts(
        &self,
        t: Table,
        mut report: ImportReport,
        progress: &crate::Progress,
        check_only: bool,
        entry: crate::audit::ImportEntry<'_>,
    ) -> Result<ImportReport, StoreError> {
        progress.start(IMPORT_CHECK, t.rows.len() as u64);
        let (_, repeated) = repeated_ids(&t);
        let ts = now();
        // The customers named, and the currency of each (their contracts'
        // values are in it when the line names none).
        let currencies = self.customer_currencies(&named_customers(&t)).await?;
        let parts = check_in_parallel(&t.rows, &mut report, |part, report| {
            let mut rows: Vec<(Option<i64>, Vec<Val>)> = Vec::new();
            for (line, row) in part {
                let line = *line;
                progress.add(1);
                let g = |c: &str| t.get(row, c);
                let id = line_id(report, line, g("id"), &repeated);
                let Some(customer_id) =
                    int(report, line, "customer_id", g("customer_id").or(Some("")))
                else {
                    continue;
                };
                // Every problem of the line is named, not only the first.
                let mut bad = false;
                let own = currencies
                    .get(&customer_id)
                    .and_then(|c| Currency::parse("currency", c).ok());
                if own.is_none() {
                    report.push(
                        line,
                        "customer_id",
                        "unknown-reference",
                        format!("there is no customer with id {customer_id}"),
                    );
                    bad = true;
                }
                let own = own.unwrap_or(Currency::EUR);
                let currency = match g("currency").map(str::trim) {
                    None | Some("") => Some(own),
                    Some(c) => match Currency::parse("currency", c) {
                        Ok(c) => Some(c),
                        Err(e) => {
                            report.push(line, "currency", e.code, e.message);
                            bad = true;
                            None
                        }
                    },
                };
                let value = match (g("annual_value").map(str::trim), currency) {
                    (Some(v), Some(c)) if !v.is_empty() => {
                        match Money::parse_amount("annual_value", v, c) {
                            Ok(m) => Some(m.minor),
                            Err(e) => {
                                report.push(line, "annual_value", e.code, e.message);
                                bad = true;
                                None
                            }
                        }
                    }
                    _ => None,
                };
                let auto_renew = match g("auto_renew").map(|v| v.trim().to_lowercase()).as_deref() {
                    None | Some("" | "false" | "no" | "non" | "0") => false,
                    Some("true" | "yes" | "oui" | "1") => true,
                    Some(other) => {
                        report.push(
                            line,
                            "auto_renew",
                            "invalid-boolean",
                            format!("auto_renew must be true or false, not \"{other}\""),
                        );
                        bad = true;
                        false
                    }
                };
                let notice_days = match g("notice_days").map(str::trim) {
                    None | Some("") => None,
                    v => {
                        let n = int(report, line, "notice_days", v);
                        bad |= n.is_none();
                        n
                    }
                };
                let input = clef_domain::contract::ContractInput {
                    title: g("title").unwrap_or("").to_owned(),
                    reference: g("reference").map(str::to_owned),
                    starts_on: g("starts_on").map(str::to_owned),
                    renews_on: g("renews_on").unwrap_or("").to_owned(),
                    notice_days,
                    auto_renew,
                    annual_value_cents: value,
                    currency: Some(currency.unwrap_or(own).to_string()),
                    notes: g("notes").map(str::to_owned),
                };
                match input.parse(own) {
                    Ok(_) if bad => {}
                    Ok(f) => {
                        let key =
                            clef_domain::contract::search_text(&f.title, f.reference.as_deref());
                        rows.push((
                            id,
                            vec![
                                Val::I(Some(customer_id)),
                                Val::S(Some(f.title)),
                                Val::S(f.reference),
                                Val::S(f.starts_on.map(|d| d.to_string())),
                                Val::S(Some(f.renews_on.to_string())),
                                Val::I(f.notice_days),
                                Val::S(Some(
                                    clef_domain::contract::decide_by(f.renews_on, f.notice_days)
                                        .to_string(),
                                )),
                                Val::I(Some(i64::from(f.auto_renew))),
                                Val::I(f.annual_value.map(|m| m.minor)),
                                Val::S(Some(f.currency.to_string())),
                                Val::S(f.notes),
                                Val::S(Some(key)),
                                Val::I(Some(1)),
                                Val::I(Some(ts)),
                                Val::I(Some(ts)),
                            ],
                        ));
                    }
                    Err(errs) => {
                        report.push_fields(line, errs, &[("annual_value_cents", "annual_value")]);
                    }
                }
            }
            rows
        })?;
        if report.error_count > 0 {
            return Ok(report);
        }
        let cols = [
            "customer_id",
            "title",
            "reference",
            "starts_on",
            "renews_on",
            "notice_days",
            "decide_by",
            "auto_renew",
            "annual_value_cents",
            "currency",
            "notes",
            "search_key",
            "version",
            "created_at",
            "updated_at",
            "id",
        ];
        let (with_id, without_id) = split_by_id(parts.into_iter().flatten());
        if check_only {
            report.preview = Some(self.preview("contracts", &with_id, &without_id).await?);
            return Ok(report);
        }
        progress.start(IMPORT_WRITE, report.rows);
        (report.written, _) = self
            .write_records("contracts", &cols, 12, (with_id, without_id), None, entry)
            .await?;
        Ok(report)
    }

    async fn import_revenue(
        &self,
        t: Table,
        mut report: ImportReport,
        progress: &crate::Progress,
        check_only: bool,
        entry: crate::audit::ImportEntry<'_>,
    ) -> Result<ImportReport, StoreError> {
        progress.start(IMPORT_CHECK, t.rows.len() as u64);
        let (_, bus, _) = self.lookups().await?;
        let checked = report.errors.len();
        // The currencies of the customers named: a line without a currency
        // is read in its customer's (a yen amount has no decimals).
        let existing = self.customer_currencies(&named_customers(&t)).await?;
        // Each part: its valid lines, their line numbers, and whether each
        // named its currency (else it is its customer's).
        type Part = (Vec<RevenueLine>, Vec<u64>, Vec<bool>);
        let parts = check_in_parallel(&t.rows, &mut report, |part, report| {
            let (mut lines, mut line_nos, mut named): Part = Default::default();
            for (line, row) in part {
                let line = *line;
                progress.add(1);
                let g = |c: &str| t.get(row, c);
                let customer_id = int(report, line, "customer_id", g("customer_id").or(Some("")));
                let bu = match g("business_unit") {
                    None => {
                        report.push(
                            line,
                            "business_unit",
                            "required",
                            "business_unit is required",
                        );
                        None
                    }
                    Some(c) => known(
                        report,
                        line,
                        "business_unit",
                        &bus,
                        c.trim().to_uppercase(),
                        || format!("there is no business unit with the code \"{c}\""),
                    ),
                };
                let own = || {
                    customer_id
                        .and_then(|c| existing.get(&c))
                        .and_then(|c| Currency::parse("currency", c).ok())
                        .unwrap_or(Currency::EUR)
                };
                let cur =
                    g("currency").map_or_else(|| Ok(own()), |c| Currency::parse("currency", c));
                if let Err(e) = &cur {
                    report.push(line, "currency", e.code, e.message.clone());
                }
                let amount = |report: &mut ImportReport, col: &str| -> Option<i64> {
                    let c = cur.as_ref().ok().copied()?;
                    match Money::parse_amount(col, g(col).unwrap_or(""), c) {
                        Ok(m) => Some(m.minor),
                        Err(e) => {
                            report.push(line, col, e.code, e.message);
                            None
                        }
                    }
                };
                let revenue = amount(report, "revenue");
                let margin = amount(report, "margin");
                let (Some(c), Some(b), Some(r), Some(m)) = (customer_id, bu, revenue, margin)
                else {
                    if let Err(e) = Period::parse("period", g("period").unwrap_or("")) {
                        report.push(line, "period", e.code, e.message);
                    }
                    continue;
                };
                let input = RevenueLineInput {
                    customer_id: c,
                    business_unit_id: b,
                    period: g("period").unwrap_or("").to_owned(),
                    revenue_cents: r,
                    margin_cents: m,
                    currency: g("currency").map(str::to_owned),
                };
                match input.parse() {
                    Ok(l) => {
                        lines.push(l);
                        line_nos.push(line);
                        named.push(g("currency").is_some_and(|c| !c.trim().is_empty()));
                    }
                    Err(errs) => report.push_fields(
                        line,
                        errs,
                        &[("revenue_cents", "revenue"), ("margin_cents", "margin")],
                    ),
                }
            }
            (lines, line_nos, named)
        })?;
        let (mut lines, mut line_nos, mut named): Part = Default::default();
        for (l, n, c) in parts {
            lines.extend(l);
            line_nos.extend(n);
            named.extend(c);
        }
        // A customer, business unit and month given twice: the later line is
        // wrong. Its error takes its place among the others, by line.
        let mut keys = HashSet::new();
        let mut repeated = Vec::new();
        for (l, line) in lines.iter().zip(&line_nos) {
            if !keys.insert((l.customer_id, l.business_unit_id, l.period)) {
                let bu = t
                    .rows
                    .binary_search_by_key(line, |(n, _)| *n)
                    .ok()
                    .and_then(|k| t.get(&t.rows[k].1, "business_unit"))
                    .unwrap_or("");
                repeated.push(RowError {
                    line: *line,
                    column: "period".to_owned(),
                    code: "duplicate".to_owned(),
                    message: format!(
                        "customer {}, business unit {bu} and month {} appear on an earlier line",
                        l.customer_id, l.period
                    ),
                });
            }
        }
        if !repeated.is_empty() {
            report.error_count += repeated.len() as u64;
            let found = report.errors.split_off(checked);
            report.errors.extend(merge_by_line(found, repeated));
            report.errors.truncate(LISTED_ERRORS);
        }
        for ((l, line), named) in lines.iter_mut().zip(&line_nos).zip(&named) {
            match existing.get(&l.customer_id.0) {
                // No currency given: the customer's.
                Some(c) if !named => {
                    if let Ok(c) = Currency::parse("currency", c) {
                        l.currency = c;
                    }
                }
                None => report.push(
                    *line,
                    "customer_id",
                    "unknown-reference",
                    format!("there is no customer with id {}", l.customer_id),
                ),
                Some(c) if c != l.currency.as_str() => report.push(
                    *line,
                    "currency",
                    "other-currency",
                    revenue::other_currency(l, c),
                ),
                Some(_) => {}
            }
        }
        if report.error_count > 0 {
            return Ok(report);
        }
        if check_only {
            report.preview = Some(self.revenue_preview(&lines).await?);
            return Ok(report);
        }
        let rows: Vec<Vec<Val>> = lines.iter().map(revenue::revenue_row).collect();
        progress.start(IMPORT_WRITE, rows.len() as u64);
        let trail = vec![entry.row(rows.len() as u64)];
        report.written = self
            .bulk_insert(
                "revenue_lines",
                &revenue::REVENUE_COLS,
                rows,
                Some((&revenue::REVENUE_KEY, &revenue::REVENUE_UPDATE)),
                trail,
            )
            .await?;
        Ok(report)
    }

    /// Writes every customer matching `filter` as CSV, in the import format.
    pub async fn export_customers<W: std::io::Write>(
        &self,
        filter: &crate::CustomerFilter,
        out: W,
    ) -> Result<u64, StoreError> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(CUSTOMER_COLUMNS).map_err(csv_err)?;
        let (mut after, mut n) = (0, 0u64);
        loop {
            let batch = self.customers_after(filter, after, 5_000).await?;
            let Some(last) = batch.last() else { break };
            after = last.customer.id;
            for v in &batch {
                w.write_record(customer_csv_row(v)).map_err(csv_err)?;
                n += 1;
            }
        }
        w.flush()
            .map_err(|e| StoreError::Config(format!("cannot write the export: {e}")))?;
        Ok(n)
    }

    pub async fn export_contacts<W: std::io::Write>(&self, out: W) -> Result<u64, StoreError> {
        use crate::entities::contact;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
        let mut w = csv::Writer::from_writer(out);
        w.write_record(CONTACT_COLUMNS).map_err(csv_err)?;
        let (mut after, mut n) = (0, 0u64);
        loop {
            let batch = contact::Entity::find()
                .filter(contact::Column::Id.gt(after))
                .order_by_asc(contact::Column::Id)
                .limit(5_000)
                .all(self.conn())
                .await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for c in &batch {
                let o = |s: &Option<String>| cell(s.as_deref().unwrap_or_default());
                w.write_record([
                    c.id.to_string(),
                    c.customer_id.to_string(),
                    cell(&c.first_name),
                    cell(&c.last_name),
                    o(&c.email),
                    o(&c.phone),
                    o(&c.job_title),
                    o(&c.notes),
                ])
                .map_err(csv_err)?;
                n += 1;
            }
        }
        w.flush()
            .map_err(|e| StoreError::Config(format!("cannot write the export: {e}")))?;
        Ok(n)
    }

    pub async fn export_contracts<W: std::io::Write>(&self, out: W) -> Result<u64, StoreError> {
        use crate::entities::contract;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
        let mut w = csv::Writer::from_writer(out);
        w.write_record(CONTRACT_COLUMNS).map_err(csv_err)?;
        let (mut after, mut n) = (0, 0u64);
        loop {
            let batch = contract::Entity::find()
                .filter(contract::Column::Id.gt(after))
                .order_by_asc(contract::Column::Id)
                .limit(5_000)
                .all(self.conn())
                .await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for c in &batch {
                w.write_record(contract_csv_row(c)).map_err(csv_err)?;
                n += 1;
            }
        }
        w.flush()
            .map_err(|e| StoreError::Config(format!("cannot write the export: {e}")))?;
        Ok(n)
    }

    pub async fn export_revenue<W: std::io::Write>(&self, out: W) -> Result<u64, StoreError> {
        let codes: HashMap<i64, String> = self
            .list_business_units()
            .await?
            .into_iter()
            .map(|b| (b.id, b.code))
            .collect();
        let mut w = csv::Writer::from_writer(out);
        w.write_record(REVENUE_COLUMNS).map_err(csv_err)?;
        let (mut after, mut n) = ((0, 0, 0), 0u64);
        loop {
            let batch = self.revenue_after(after, 20_000).await?;
            let Some(last) = batch.last() else { break };
            after = (
                last.customer_id.0,
                last.business_unit_id.0,
                i64::from(last.period.yyyymm()),
            );
            for l in &batch {
                w.write_record(revenue_csv_row(l, &codes))
                    .map_err(csv_err)?;
                n += 1;
            }
        }
        w.flush()
            .map_err(|e| StoreError::Config(format!("cannot write the export: {e}")))?;
        Ok(n)
    }
}

/// One revenue line as a CSV record in the import format (`codes`: the
/// business units' codes by id).
pub fn revenue_csv_row(l: &RevenueLine, codes: &HashMap<i64, String>) -> [String; 6] {
    [
        l.customer_id.to_string(),
        codes
            .get(&l.business_unit_id.0)
            .cloned()
            .unwrap_or_default(),
        l.period.to_string(),
        Money::new(l.revenue_cents, l.currency).to_decimal_string(),
        Money::new(l.margin_cents, l.currency).to_decimal_string(),
        l.currency.to_string(),
    ]
}

/// One contract as a CSV record in the import format.
pub fn contract_csv_row(c: &crate::entities::contract::Model) -> Vec<String> {
    let o = |s: &Option<String>| cell(s.as_deref().unwrap_or_default());
    let value = match (
        c.annual_value_cents,
        Currency::parse("currency", &c.currency),
    ) {
        (Some(v), Ok(cur)) => Money::new(v, cur).to_decimal_string(),
        _ => String::new(),
    };
    vec![
        c.id.to_string(),
        c.customer_id.to_string(),
        cell(&c.title),
        o(&c.reference),
        c.starts_on.clone().unwrap_or_default(),
        c.renews_on.clone(),
        c.notice_days.map(|d| d.to_string()).unwrap_or_default(),
        c.auto_renew.to_string(),
        value,
        c.currency.clone(),
        o(&c.notes),
    ]
}

fn csv_err(e: csv::Error) -> StoreError {
    StoreError::Config(format!("cannot write the export: {e}"))
}

/// One customer as a CSV record in the import format.
pub fn customer_csv_row(v: &CustomerView) -> Vec<String> {
    let c = &v.customer;
    let o = |s: &Option<String>| cell(s.as_deref().unwrap_or_default());
    let wallet = match (c.wallet_cents, Currency::parse("currency", &c.currency)) {
        (Some(w), Ok(cur)) => Money::new(w, cur).to_decimal_string(),
        _ => String::new(),
    };
    vec![
        c.id.to_string(),
        cell(&c.name),
        o(&c.legal_id),
        v.group.as_ref().map(|g| cell(&g.name)).unwrap_or_default(),
        c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        c.country.clone(),
        o(&c.region),
        o(&c.city),
        v.business_unit
            .as_ref()
            .map(|b| b.code.clone())
            .unwrap_or_default(),
        o(&c.industry),
        o(&c.strategic_segment),
        o(&v.owner_email),
        c.status.clone(),
        c.tier.clone(),
        c.currency.clone(),
        wallet,
        o(&c.threat),
        o(&c.competitive_position),
        c.satisfaction.map(|s| s.to_string()).unwrap_or_default(),
        o(&c.notes),
    ]
}

/// The columns the export of the list with its figures adds after the
/// import format's (read only: an import refuses them).
pub const CUSTOMER_FIGURE_COLUMNS: [&str; 9] = [
    "owner_name",
    "revenue_12m",
    "margin_12m",
    "revenue_previous_12m",
    "growth",
    "margin_rate",
    "share_of_wallet",
    "revenue_rank",
    "cumulative_share",
];

/// A customer's figures as [`CUSTOMER_FIGURE_COLUMNS`] says them: amounts in
/// its currency, rates as fractions (0.1025 for 10.25%); empty when not
/// computed.
pub fn customer_figure_cells(v: &CustomerView) -> Vec<String> {
    let currency = Currency::parse("currency", &v.customer.currency).unwrap_or(Currency::EUR);
    let amount = |cents: i64| Money::new(cents, currency).to_decimal_string();
    let rate = |x: Option<f64>| x.map(|x| format!("{x:.4}")).unwrap_or_default();
    let mut out = vec![cell(v.owner_name.as_deref().unwrap_or_default())];
    match &v.figures {
        Some(f) => out.extend([
            amount(f.revenue_12),
            amount(f.margin_12),
            amount(f.revenue_prev_12),
            rate(f.growth),
            rate(f.margin_rate),
            rate(f.share_of_wallet),
            if v.ranks_pending {
                String::new()
            } else {
                f.revenue_rank.to_string()
            },
            if v.ranks_pending {
                String::new()
            } else {
                rate(Some(f.cumulative_share))
            },
        ]),
        None => out.extend(std::iter::repeat_n(String::new(), 8)),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use sea_orm::ConnectionTrait;

    async fn store_at(url: &str) -> Store {
        let store = Store::connect(url).await.unwrap();
        store.migrate().await.unwrap();
        store
    }

    /// A folder removed with everything in it when the test ends.
    struct Scratch(std::path::PathBuf);

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A fresh SQLite database file, removed when the test ends.
    async fn file_store(name: &str) -> (Store, Scratch) {
        let dir = std::env::temp_dir().join(format!("clef-import-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("i.db");
        let store = store_at(&format!("sqlite://{}?mode=rwc", file.display())).await;
        (store, Scratch(dir))
    }

    /// A customers file: each row gives id, name, parent_id, country, wallet.
    fn file(rows: impl IntoIterator<Item = [String; 5]>) -> Vec<u8> {
        let mut out = CUSTOMER_COLUMNS.join(",");
        for [id, name, parent, country, wallet] in rows {
            out.push_str(&format!(
                "\n{id},{name},,,{parent},{country},Bretagne,Rennes,,Retail,,,customer,silver,EUR,{wallet},low,,7,"
            ));
        }
        out.into_bytes()
    }

    fn row(id: &str, name: &str, parent: &str, country: &str, wallet: &str) -> [String; 5] {
        [id, name, parent, country, wallet].map(str::to_owned)
    }

    async fn export(store: &Store) -> String {
        let mut out = Vec::new();
        store
            .export_customers(&crate::CustomerFilter::default(), &mut out)
            .await
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[tokio::test]
    async fn a_long_file_checked_on_every_core_reports_in_file_order() {
        let (store, _scratch) = file_store("order").await;
        // 30,000 rows (line n holds id n - 1), four of them wrong, spread
        // over the parts that are checked apart.
        let rows = (1..=30_000).map(|i| {
            let id = if i == 20_000 { 3 } else { i };
            let country = if i == 5 { "XX" } else { "FR" };
            let wallet = if i == 29_000 { "abc" } else { "1000" };
            let parent = if i == 25_000 { "999999" } else { "" };
            row(&id.to_string(), &format!("C{i}"), parent, country, wallet)
        });
        let report = store
            .import_csv(None, ImportKind::Customers, &file(rows))
            .await
            .unwrap();
        let found = places(&report);
        assert_eq!(
            found,
            [
                (6, "country"),
                (20_001, "id"),
                (29_001, "wallet"),
                (25_001, "parent_id")
            ]
        );
        assert_eq!(
            report.errors[1].message,
            "the id 3 appears on an earlier line"
        );
        assert_eq!(
            (report.rows, report.error_count, report.written),
            (30_000, 4, 0)
        );
        assert_eq!(store.count_customers().await.unwrap(), 0);

        // Every row wrong: the first thousand problems, in file order.
        let rows = (1..=30_000).map(|i| row("", &format!("C{i}"), "", "XX", "1"));
        let report = store
            .import_csv(None, ImportKind::Customers, &file(rows))
            .await
            .unwrap();
        assert_eq!(report.error_count, 30_000);
        let lines: Vec<u64> = report.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, (2..=1001).collect::<Vec<u64>>());
    }

    /// Where the report's problems are: line and column, in its order.
    fn places(report: &ImportReport) -> Vec<(u64, &str)> {
        report
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect()
    }

    async fn index_names(store: &Store) -> Vec<String> {
        use sea_orm::{ConnectionTrait, Statement};
        let rows = store
            .conn()
            .query_all_raw(Statement::from_string(
                store.backend(),
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' \
                 AND sql IS NOT NULL ORDER BY name",
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| r.try_get_by_index(0).unwrap())
            .collect()
    }

    #[tokio::test]
    async fn a_large_import_keeps_the_indexes_and_a_file_with_ids_replaces_records() {
        let (store, _scratch) = file_store("large").await;
        let before = index_names(&store).await;
        assert!(before.len() >= 12, "{before:?}");
        // Large enough to drop the indexes and build them again at the end.
        let n = crate::bulk::REBUILD_MIN_ROWS + 10;
        let rows = (1..=n).map(|i| row("", &format!("Client {i:06}"), "", "DE", "500"));
        let report = store
            .import_csv(None, ImportKind::Customers, &file(rows))
            .await
            .unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.written, n as u64);
        assert_eq!(index_names(&store).await, before);
        assert_eq!(store.count_customers().await.unwrap(), n as u64);

        // Ids replace their record (a new version) or create it with that id;
        // a parent may be a row of the same file.
        let again = file([
            row("5", "Renamed", "", "FR", "12.50"),
            row("900001", "New child", "900002", "BE", ""),
            row("900002", "New parent", "", "BE", ""),
        ]);
        let report = store
            .import_csv(None, ImportKind::Customers, &again)
            .await
            .unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.written, 3);
        let c = store.customer(5).await.unwrap();
        assert_eq!((c.name.as_str(), c.country.as_str()), ("Renamed", "FR"));
        assert_eq!((c.version, c.wallet_cents), (2, Some(1250)));
        let child = store.customer(900_001).await.unwrap();
        assert_eq!(child.parent_id, Some(900_002));
        assert_eq!(store.count_customers().await.unwrap(), n as u64 + 2);
    }

    /// On PostgreSQL, a large file with ids (an export edited and imported
    /// again) takes the table alone from the start, drops and builds the
    /// indexes again, and replaces every record.
    #[tokio::test]
    async fn a_large_file_with_ids_replaces_records_on_postgres() {
        let Some((store, db)) = crate::test_db::pg_store("large_ids").await else {
            return;
        };
        let pg_indexes = |store: &Store| {
            let store = store.clone();
            async move {
                use sea_orm::{ConnectionTrait, Statement};
                store
                    .conn()
                    .query_all_raw(Statement::from_string(
                        store.backend(),
                        "SELECT indexname::text FROM pg_indexes WHERE tablename = 'customers' ORDER BY 1",
                    ))
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.try_get_by_index::<String>(0).unwrap())
                    .collect::<Vec<String>>()
            }
        };
        let before = pg_indexes(&store).await;
        let n = crate::bulk::REBUILD_MIN_ROWS + 10;
        let rows = (1..=n).map(|i| row("", &format!("Client {i:06}"), "", "DE", ""));
        let r = store
            .import_csv(None, ImportKind::Customers, &file(rows))
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let rows = (1..=n).map(|i| row(&i.to_string(), &format!("Kunde {i:06}"), "", "AT", ""));
        let r = store
            .import_csv(None, ImportKind::Customers, &file(rows))
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.written, n as u64);
        assert_eq!(pg_indexes(&store).await, before);
        let c = store.customer(n as i64).await.unwrap();
        assert_eq!(
            (c.name, c.country, c.version),
            (format!("Kunde {n:06}"), "AT".to_owned(), 2)
        );
        assert_eq!(store.count_customers().await.unwrap(), n as u64);
        crate::test_db::drop_pg(store, &db).await;
    }

    #[test]
    fn cycles_are_found_once_each_node_walked() {
        let parent: HashMap<i64, i64> = [(1, 2), (2, 3), (3, 1), (4, 1), (5, 6), (7, 7)].into();
        let found = cycles(|id| parent.get(&id).copied(), [4, 5, 1, 7].into_iter());
        let mut found: Vec<i64> = found.into_iter().collect();
        found.sort_unstable();
        assert_eq!(found, [1, 2, 3, 7]);
    }

    #[tokio::test]
    async fn an_import_makes_no_parent_loop_and_no_key_account() {
        let (store, _scratch) = file_store("rules").await;
        let first = file([
            row("10", "Top", "", "FR", ""),
            row("11", "Middle", "10", "FR", ""),
            row("12", "Other", "", "FR", ""),
        ]);
        let r = store
            .import_csv(None, ImportKind::Customers, &first)
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        // Two rows naming each other, and a stored customer (11, child of
        // 10) made the parent of its own parent.
        let loops = file([
            row("20", "Cyc A", "21", "FR", ""),
            row("21", "Cyc B", "20", "FR", ""),
            row("10", "Top", "11", "FR", ""),
            row("12", "Other", "11", "FR", ""),
        ]);
        let r = store
            .import_csv(None, ImportKind::Customers, &loops)
            .await
            .unwrap();
        assert_eq!(
            places(&r),
            [(2, "parent_id"), (3, "parent_id"), (4, "parent_id")],
            "{:?}",
            r.errors
        );
        assert_eq!(r.errors[0].code, "parent-cycle");
        assert_eq!(store.customer(10).await.unwrap().parent_id, None);

        // The program is entered and left through the selection only; a new
        // customer may start as a key account, as on its form.
        let key = |rows: &[(&str, &str)]| {
            let mut out = CUSTOMER_COLUMNS.join(",");
            for (id, status) in rows {
                out.push_str(&format!(
                    "\n{id},C{id},,,,FR,,,,,,,{status},silver,EUR,,low,,,"
                ));
            }
            out.into_bytes()
        };
        let r = store
            .import_csv(
                None,
                ImportKind::Customers,
                &key(&[("12", "key_account"), ("30", "key_account")]),
            )
            .await
            .unwrap();
        assert_eq!(places(&r), [(2, "status")], "{:?}", r.errors);
        assert_eq!(r.errors[0].code, "use-selection");
        let r = store
            .import_csv(None, ImportKind::Customers, &key(&[("30", "key_account")]))
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let r = store
            .import_csv(
                None,
                ImportKind::Customers,
                &key(&[("30", "customer"), ("12", "candidate")]),
            )
            .await
            .unwrap();
        assert_eq!(places(&r), [(2, "status")], "{:?}", r.errors);
        // Kept a key account, it is written like any other.
        let r = store
            .import_csv(None, ImportKind::Customers, &key(&[("30", "key_account")]))
            .await
            .unwrap();
        assert_eq!((r.error_count, r.written), (0, 1));
    }

    /// A file saved by a spreadsheet in French: semicolons, decimal commas.
    #[tokio::test]
    async fn a_file_separated_by_semicolons_imports_too() {
        let (store, _scratch) = file_store("semicolons").await;
        let mut text = CUSTOMER_COLUMNS.join(";");
        text.push_str("\n;Société Générale des Eaux;;;;FR;Bretagne;Rennes;;Retail;;;customer;silver;EUR;63 800,50;low;;7;\"Note; with a semicolon\"");
        let r = store
            .import_csv(None, ImportKind::Customers, text.as_bytes())
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let exported = export(&store).await;
        assert!(
            exported.contains(",Société Générale des Eaux,") && exported.contains(",63800.50,"),
            "{exported}"
        );
        assert!(exported.contains("Note; with a semicolon"), "{exported}");
    }

    /// A problem is reported on the line its row starts on, after values on
    /// several lines and blank lines.
    #[tokio::test]
    async fn problems_name_the_line_the_row_starts_on() {
        let (store, _scratch) = file_store("lines").await;
        let good = "\n,Alpha,,,,FR,,,,,,,,,,,,,,\"two\nlines\"\n\n\n";
        let bad = ",Beta,,,,XX,,,,,,,,,,,,,,";
        let text = format!("{}{good}{bad}\n", CUSTOMER_COLUMNS.join(","));
        let r = store
            .import_csv(None, ImportKind::Customers, text.as_bytes())
            .await
            .unwrap();
        assert_eq!(places(&r), [(6, "country")], "{:?}", r.errors);
    }

    /// A SQLite file, a database in memory and, when the tests have a
    /// server, PostgreSQL: the stores of the tests below, and what to remove
    /// at the end.
    async fn three_stores(
        name: &str,
    ) -> (Vec<(&'static str, Store)>, Option<(Store, String)>, Scratch) {
        let (disk, scratch) = file_store(name).await;
        let mut stores = vec![
            ("file", disk),
            ("memory", store_at("sqlite::memory:").await),
        ];
        let pg = crate::test_db::pg_store(name).await;
        if let Some((store, _)) = &pg {
            stores.push(("postgres", store.clone()));
        }
        (stores, pg, scratch)
    }

    /// Imports `first`, checks `second`, runs `meanwhile` (someone else's
    /// change), then writes `second` as checked: what the write answers.
    async fn write_after(
        store: &Store,
        backend: &str,
        first: &[u8],
        second: &[u8],
        meanwhile: &str,
    ) -> Result<(u64, bool), StoreError> {
        let r = store
            .import_csv(None, ImportKind::Customers, first)
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{backend}: {:?}", r.errors);
        let mut report = ImportReport::default();
        let t = read_table(second, ImportKind::Customers, &mut report).unwrap();
        let (report, checked) = store
            .check_customers(t, report, &crate::Progress::default())
            .await
            .unwrap();
        assert!(report.errors.is_empty(), "{backend}: {:?}", report.errors);
        store.conn().execute_unprepared(meanwhile).await.unwrap();
        let entry = crate::audit::ImportEntry {
            user_id: None,
            entity: "customers",
            rows: report.rows,
        };
        store.write_customers(checked.unwrap(), entry).await
    }

    /// Counts the history's entries of `entity` with `action`.
    async fn entries(store: &Store, entity: &str, action: &str) -> Vec<serde_json::Value> {
        use crate::entities::audit_log;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq(entity))
            .filter(audit_log::Column::Action.eq(action))
            .all(store.conn())
            .await
            .unwrap()
            .into_iter()
            .map(|e| serde_json::from_str(&e.detail).unwrap())
            .collect()
    }

    /// An import and the revenue lines sent at once are written with their
    /// history entry, in one transaction: when the entry cannot be written,
    /// nothing is (the import said it failed while its rows were stored,
    /// and imported again, they were there twice), and when it can, the
    /// entry says what was written. On a SQLite file, in memory and on
    /// PostgreSQL.
    #[tokio::test]
    async fn rows_are_written_with_their_history_entry() {
        use sea_orm::ConnectionTrait;
        let (stores, pg, _scratch) = three_stores("with_history").await;
        let customers = file([
            row("", "Alpha", "", "FR", ""),
            row("", "Beta", "", "FR", ""),
        ]);
        for (backend, store) in stores {
            let bu = store
                .create_business_unit(None, "IND", "Industry")
                .await
                .unwrap();
            // The history refuses every entry.
            let (refuse, allow) = if backend == "postgres" {
                store
                    .conn()
                    .execute_unprepared(
                        "CREATE FUNCTION refuse() RETURNS trigger AS $$ \
                         BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
                    )
                    .await
                    .unwrap();
                (
                    "CREATE TRIGGER refuse BEFORE INSERT ON audit_log \
                     FOR EACH ROW EXECUTE FUNCTION refuse()",
                    "DROP TRIGGER refuse ON audit_log",
                )
            } else {
                (
                    "CREATE TRIGGER refuse BEFORE INSERT ON audit_log \
                     BEGIN SELECT RAISE(ABORT, 'refused'); END",
                    "DROP TRIGGER refuse",
                )
            };
            store.conn().execute_unprepared(refuse).await.unwrap();
            let refused = store
                .import_csv(Some(1), ImportKind::Customers, &customers)
                .await;
            assert!(refused.is_err(), "{backend}: {refused:?}");
            assert_eq!(store.count_customers().await.unwrap(), 0, "{backend}");
            store.conn().execute_unprepared(allow).await.unwrap();

            let r = store
                .import_csv(Some(1), ImportKind::Customers, &customers)
                .await
                .unwrap();
            assert_eq!((r.errors.len(), r.written), (0, 2), "{backend}");
            assert_eq!(store.count_customers().await.unwrap(), 2, "{backend}");
            assert_eq!(
                entries(&store, "customers", "import").await,
                [serde_json::json!({"rows": 2, "written": 2})],
                "{backend}"
            );

            // Revenue lines sent at once (the API's bulk write).
            let alpha = store
                .customers_after(&crate::CustomerFilter::default(), 0, 1)
                .await
                .unwrap()[0]
                .customer
                .id;
            let line = clef_domain::RevenueLine {
                customer_id: clef_domain::CustomerId(alpha),
                business_unit_id: clef_domain::BusinessUnitId(bu.id),
                period: clef_domain::Period::from_yyyymm(202_601).unwrap(),
                currency: clef_domain::Currency::parse("currency", "EUR").unwrap(),
                revenue_cents: 100_000,
                margin_cents: 20_000,
            };
            store.conn().execute_unprepared(refuse).await.unwrap();
            assert!(
                store
                    .upsert_revenue(Some(1), std::slice::from_ref(&line))
                    .await
                    .is_err()
            );
            assert!(
                store.revenue_of(alpha).await.unwrap().is_empty(),
                "{backend}"
            );
            store.conn().execute_unprepared(allow).await.unwrap();
            store
                .upsert_revenue(Some(1), std::slice::from_ref(&line))
                .await
                .unwrap();
            assert_eq!(store.revenue_of(alpha).await.unwrap().len(), 1, "{backend}");
            assert_eq!(
                entries(&store, "customer", "revenue").await,
                [serde_json::json!({"lines": 1})],
                "{backend}"
            );

            // Figures that cannot be computed once the lines are stored: the
            // write is not said to have failed (sent again, it would be
            // written twice), and the figures stay owed.
            let refusals: &[&str] = if backend == "postgres" {
                &[
                    "CREATE TRIGGER refuse_figures BEFORE INSERT OR UPDATE ON customer_figures \
                   FOR EACH ROW EXECUTE FUNCTION refuse()",
                ]
            } else {
                &[
                    "CREATE TRIGGER refuse_insert BEFORE INSERT ON customer_figures \
                     BEGIN SELECT RAISE(ABORT, 'refused'); END",
                    "CREATE TRIGGER refuse_update BEFORE UPDATE ON customer_figures \
                     BEGIN SELECT RAISE(ABORT, 'refused'); END",
                ]
            };
            for sql in refusals {
                store.conn().execute_unprepared(sql).await.unwrap();
            }
            let later = clef_domain::RevenueLine {
                period: clef_domain::Period::from_yyyymm(202_602).unwrap(),
                ..line
            };
            store.upsert_revenue(Some(1), &[later]).await.unwrap();
            assert_eq!(store.revenue_of(alpha).await.unwrap().len(), 2, "{backend}");
            let state = store.figures_state().await.unwrap();
            assert!(state.figures_due > 0, "{backend}: {state:?}");
        }
        if let Some((store, db)) = pg {
            crate::test_db::drop_pg(store, &db).await;
        }
    }

    /// A key account approved while a file is checked is not undone by the
    /// file: its rows were checked against the portfolio before the
    /// decision, so nothing is written, and the file checked again is
    /// refused line by line. On a SQLite file, in memory and on PostgreSQL.
    #[tokio::test]
    async fn a_decision_made_while_a_file_is_checked_is_not_overwritten() {
        let (stores, pg, _scratch) = three_stores("decision").await;
        let first = file([
            row("1", "Alpha", "", "FR", ""),
            row("2", "Beta", "", "FR", ""),
        ]);
        let second = file([
            row("1", "Alpha renamed", "", "DE", ""),
            row("", "Gamma", "", "FR", ""),
        ]);
        for (backend, store) in stores {
            // Meanwhile, Alpha becomes a key account.
            let alpha_key = "UPDATE customers SET status = 'key_account' WHERE id = 1";
            let e = write_after(&store, backend, &first, &second, alpha_key)
                .await
                .unwrap_err();
            assert!(
                matches!(&e, StoreError::Conflict(m) if m == crate::bulk::KEY_ACCOUNTS_CHANGED),
                "{backend}: {e}"
            );
            let alpha = store.customer(1).await.unwrap();
            assert_eq!(
                (
                    alpha.name.as_str(),
                    alpha.status.as_str(),
                    alpha.country.as_str()
                ),
                ("Alpha", "key_account", "FR"),
                "{backend}"
            );
            assert_eq!(
                export(&store).await.lines().count(),
                3,
                "{backend}: nothing added"
            );
            let r = store
                .import_csv(None, ImportKind::Customers, &second)
                .await
                .unwrap();
            assert_eq!(places(&r), [(2, "status")], "{backend}: {:?}", r.errors);
        }
        if let Some((store, db)) = pg {
            crate::test_db::drop_pg(store, &db).await;
        }
    }

    /// A parent changed while a file is checked cannot close a loop with the
    /// file's parents: the file puts Alpha under Beta, someone meanwhile
    /// puts Beta under Alpha; nothing is written. On a SQLite file, in
    /// memory and on PostgreSQL.
    #[tokio::test]
    async fn a_parent_changed_while_a_file_is_checked_makes_no_loop() {
        let (stores, pg, _scratch) = three_stores("parents_changed").await;
        let first = file([
            row("1", "Alpha", "", "FR", ""),
            row("2", "Beta", "", "FR", ""),
        ]);
        let alpha_under_beta = file([row("1", "Alpha", "2", "FR", "")]);
        for (backend, store) in stores {
            // Meanwhile, Beta goes under Alpha.
            let beta_under_alpha = "UPDATE customers SET parent_id = 1 WHERE id = 2";
            let e = write_after(&store, backend, &first, &alpha_under_beta, beta_under_alpha)
                .await
                .unwrap_err();
            assert!(
                matches!(&e, StoreError::Conflict(m) if m == crate::bulk::PARENTS_CHANGED),
                "{backend}: {e}"
            );
            assert_eq!(
                store.customer(1).await.unwrap().parent_id,
                None,
                "{backend}"
            );
            // Imported again, the loop is found.
            let r = store
                .import_csv(None, ImportKind::Customers, &alpha_under_beta)
                .await
                .unwrap();
            assert_eq!(
                r.errors[0].code, "parent-cycle",
                "{backend}: {:?}",
                r.errors
            );
        }
        if let Some((store, db)) = pg {
            crate::test_db::drop_pg(store, &db).await;
        }
    }

    #[tokio::test]
    async fn a_database_in_memory_imports_the_same_records_as_a_file() {
        let mem = store_at("sqlite::memory:").await;
        assert!(mem.sqlite_file().await.unwrap().is_none());
        let (disk, _scratch) = file_store("same").await;
        let first = file([
            row("", "Alpha", "", "FR", "100"),
            row("7", "Beta", "", "DE", ""),
            row("8", "Gamma", "7", "BE", "2.5"),
        ]);
        let second = file([
            row("7", "Beta 2", "", "NL", "3"),
            row("", "Delta", "8", "FR", ""),
        ]);
        for store in [&mem, &disk] {
            for f in [&first, &second] {
                let r = store
                    .import_csv(None, ImportKind::Customers, f)
                    .await
                    .unwrap();
                assert!(r.errors.is_empty(), "{:?}", r.errors);
            }
        }
        let exported = export(&disk).await;
        assert_eq!(export(&mem).await, exported);
        assert!(exported.contains("\n7,Beta 2,"), "{exported}");
        assert_eq!(exported.lines().count(), 5, "{exported}");
    }

    /// A database with 100 customers (ids 1 to 100) and the business unit IND.
    async fn with_customers(name: &str) -> (Store, Scratch) {
        let (store, scratch) = file_store(name).await;
        store
            .create_business_unit(None, "IND", "Industry")
            .await
            .unwrap();
        let rows = (1..=100).map(|i| row("", &format!("C{i}"), "", "FR", ""));
        let r = store
            .import_csv(None, ImportKind::Customers, &file(rows))
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        (store, scratch)
    }

    /// A file checked only writes nothing and says what importing it would
    /// replace and add; a file with a problem reports it the same way.
    #[tokio::test]
    async fn a_file_checked_only_says_what_it_would_replace_and_writes_nothing() {
        let (store, _scratch) = with_customers("check_only").await;
        let before = export(&store).await;
        // Customer 3 renamed, 999 created with its id, one without an id.
        let rows = [
            row("3", "Renamed", "", "FR", ""),
            row("999", "New with id", "", "FR", ""),
            row("", "New", "", "FR", ""),
        ];
        let p = crate::Progress::default();
        let r = store
            .check_csv_with(ImportKind::Customers, &file(rows.into_iter()), &p)
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(
            r.preview,
            Some(Preview {
                replaces: 1,
                adds: 2
            })
        );
        assert_eq!(r.written, 0);
        assert_eq!(export(&store).await, before);

        // Revenue: 300 lines recorded for customer 1; a file of 600 lines
        // repeats those months and adds 300 more for customer 2.
        let first = revenue(|k| (k >= 300).then_some((1, "IND", k % 300, "100.00")));
        let first: Vec<u8> = String::from_utf8(first)
            .unwrap()
            .lines()
            .take(301)
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes();
        let r = store
            .import_csv(None, ImportKind::Revenue, &first)
            .await
            .unwrap();
        assert_eq!((r.errors.len(), r.written), (0, 300));
        let both: Vec<u8> = String::from_utf8(revenue(|_| None))
            .unwrap()
            .lines()
            .take(601)
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes();
        let r = store
            .check_csv_with(ImportKind::Revenue, &both, &p)
            .await
            .unwrap();
        assert_eq!(
            r.preview,
            Some(Preview {
                replaces: 300,
                adds: 300
            })
        );
        let mut out = Vec::new();
        assert_eq!(store.export_revenue(&mut out).await.unwrap(), 300);

        // A problem is reported, with no preview.
        let bad = [row("", "", "", "FR", "")];
        let r = store
            .check_csv_with(ImportKind::Customers, &file(bad.into_iter()), &p)
            .await
            .unwrap();
        assert_eq!(r.error_count, 1);
        assert_eq!(r.preview, None);
    }

    /// Revenue lines: 30,000 of them, customer `k / 300 + 1`, month `k % 300`
    /// from January 2000 (all different), changed where `edit` says.
    fn revenue(
        edit: impl Fn(usize) -> Option<(i64, &'static str, usize, &'static str)>,
    ) -> Vec<u8> {
        let mut out = REVENUE_COLUMNS.join(",");
        for k in 0..30_000 {
            let (c, bu, m, rev) =
                edit(k).unwrap_or(((k / 300 + 1) as i64, "IND", k % 300, "100.00"));
            let period = format!("{}-{:02}", 2000 + m / 12, m % 12 + 1);
            out.push_str(&format!("\n{c},{bu},{period},{rev},40.00,EUR"));
        }
        out.into_bytes()
    }

    #[tokio::test]
    async fn long_revenue_and_contact_files_report_in_file_order() {
        let (store, _scratch) = with_customers("revenue").await;
        // Line k + 2 holds revenue line k. Line 20,002 repeats line 7
        // (customer 1, month 5), with the code written in lower case.
        let bad = revenue(|k| match k {
            10 => Some((1, "XYZ", 10, "100.00")),
            20_000 => Some((1, "ind", 5, "100.00")),
            29_000 => Some((97, "IND", 200, "abc")),
            _ => None,
        });
        let report = store
            .import_csv(None, ImportKind::Revenue, &bad)
            .await
            .unwrap();
        let found = places(&report);
        assert_eq!(
            found,
            [
                (12, "business_unit"),
                (20_002, "period"),
                (29_002, "revenue")
            ]
        );
        assert!(
            report.errors[1]
                .message
                .starts_with("customer 1, business unit ind and month 2000"),
            "{}",
            report.errors[1].message
        );
        assert_eq!((report.error_count, report.written), (3, 0));

        // The same file without the mistakes: every line is written once.
        let good = store
            .import_csv(None, ImportKind::Revenue, &revenue(|_| None))
            .await
            .unwrap();
        assert!(good.errors.is_empty(), "{:?}", good.errors);
        assert_eq!(good.written, 30_000);
        let mut out = Vec::new();
        assert_eq!(store.export_revenue(&mut out).await.unwrap(), 30_000);

        // Contacts: line k + 2 holds contact k, with the id k + 1.
        let mut contacts = CONTACT_COLUMNS.join(",");
        for k in 0..30_000 {
            let id = if k == 25_000 { 2 } else { k + 1 };
            let email = if k == 3 {
                "not-an-email".to_owned()
            } else {
                format!("p{k}@example.com")
            };
            contacts.push_str(&format!("\n{id},{},Ann,Lee,{email},,Buyer,", k % 100 + 1));
        }
        let report = store
            .import_csv(None, ImportKind::Contacts, contacts.as_bytes())
            .await
            .unwrap();
        let found = places(&report);
        assert_eq!(found, [(5, "email"), (25_002, "id")]);
        assert_eq!(
            report.errors[1].message,
            "the id 2 appears on an earlier line"
        );
        assert_eq!(report.written, 0);
    }
}
