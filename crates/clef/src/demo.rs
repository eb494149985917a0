//! `clef demo`: fills an empty database with the generated demo portfolio,
//! through the same bulk CSV import as `clef import`.

use crate::data::row_error;
use crate::demo_gen::{BUSINESS_UNITS, DEMO_PASSWORD, MAX_CUSTOMERS, Plan, USERS};
use crate::error::{Failure, Result};
use crate::progress::Progress;
use clef_domain::{Date, Period};
use clef_store::{ImportKind, ImportReport, NewUser, Store};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Customers per import of customers and of contacts.
const CUSTOMER_BATCH: u64 = 50_000;
/// Customers per import of revenue lines (54 lines each on average): bounds memory.
const REVENUE_BATCH: u64 = 5_000;

/// What the demo created.
#[derive(Debug)]
pub struct Summary {
    pub seed: u64,
    pub users: usize,
    pub business_units: usize,
    pub groups: usize,
    pub customers: u64,
    pub contacts: u64,
    pub revenue_lines: u64,
    pub contracts: usize,
    pub first: Period,
    pub last: Period,
    pub elapsed: Duration,
}

impl Summary {
    pub fn print(&self) {
        println!(
            "Demo data created in {:.1} s (seed {}):",
            self.elapsed.as_secs_f64(),
            self.seed
        );
        println!(
            "  {} users, {} business units, {} customer groups",
            self.users, self.business_units, self.groups
        );
        println!(
            "  {} customers, {} contacts, {} monthly revenue lines ({} to {})",
            self.customers, self.contacts, self.revenue_lines, self.first, self.last
        );
        println!("  {} contracts", self.contracts);
    }
}

/// The month before the current one.
pub fn last_month() -> Period {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(0))
        .period()
        .add_months(-1)
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    Customers,
    Contacts,
    Revenue,
}

impl Phase {
    fn label(self) -> &'static str {
        match self {
            Phase::Customers => "customers",
            Phase::Contacts => "contacts",
            Phase::Revenue => "revenue",
        }
    }

    fn kind(self) -> ImportKind {
        match self {
            Phase::Customers => ImportKind::Customers,
            Phase::Contacts => ImportKind::Contacts,
            Phase::Revenue => ImportKind::Revenue,
        }
    }

    fn batch(self) -> u64 {
        match self {
            Phase::Customers | Phase::Contacts => CUSTOMER_BATCH,
            Phase::Revenue => REVENUE_BATCH,
        }
    }

    /// The CSV file of a range of customers, and how many rows it has.
    fn generate(self, plan: &Plan, range: Range<u64>) -> std::io::Result<(Vec<u8>, u64)> {
        match self {
            Phase::Customers => {
                let n = range.end - range.start;
                plan.customers_csv(range).map(|b| (b, n))
            }
            Phase::Contacts => plan.contacts_csv(range),
            Phase::Revenue => Ok(plan.revenue_csv(range)),
        }
    }
}

/// Fills the database with `customers` demo customers generated from `seed`.
/// Refuses a database that already has customers.
pub async fn run(store: &Store, seed: u64, customers: u64) -> Result<Summary> {
    if customers == 0 || customers > MAX_CUSTOMERS {
        return Err(Failure::new(format!(
            "the demo has between 1 and {MAX_CUSTOMERS} customers; {customers} is out of range"
        )));
    }
    let existing = store.count_customers().await?;
    if existing > 0 {
        return Err(Failure::new(format!(
            "the database already has {existing} customers; demo data goes only into an empty portfolio \
             (choose another database with --database-url, e.g. sqlite://clef-demo.db?mode=rwc)"
        )));
    }
    let started = Instant::now();
    let plan = Arc::new(Plan::new(seed, customers, last_month()));

    let mut progress = Progress::new("users", (USERS.len() + BUSINESS_UNITS.len()) as u64);
    for (k, u) in USERS.iter().enumerate() {
        if store.user_by_email(u.email).await?.is_none() {
            store
                .create_user(&NewUser {
                    email: u.email.to_owned(),
                    name: u.name.to_owned(),
                    role: u.role.to_owned(),
                    title: u.title.map(str::to_owned),
                    password: DEMO_PASSWORD.to_owned(),
                    locale: Some(u.locale.to_owned()),
                })
                .await?;
        }
        progress.set(k as u64 + 1);
    }
    let codes: HashSet<String> = store
        .list_business_units()
        .await?
        .into_iter()
        .map(|b| b.code)
        .collect();
    for (k, bu) in BUSINESS_UNITS.iter().enumerate() {
        if !codes.contains(bu.code) {
            store.create_business_unit(None, bu.code, bu.name).await?;
        }
        progress.set((USERS.len() + k + 1) as u64);
    }
    progress.finish();

    let mut progress = Progress::new("groups", plan.groups.len() as u64);
    for (k, g) in plan.groups.iter().enumerate() {
        store
            .create_group(None, &g.name, g.scope, g.country())
            .await?;
        progress.set(k as u64 + 1);
    }
    progress.finish();

    load(store, &plan, Phase::Customers).await?;
    let contacts = load(store, &plan, Phase::Contacts).await?;
    let revenue_lines = load(store, &plan, Phase::Revenue).await?;
    let t = std::time::Instant::now();
    eprint!("portfolio figures… ");
    store.refresh_figures().await?;
    eprintln!("{:.1} s", t.elapsed().as_secs_f64());
    // Plans written in the last quarter are for the coming year.
    let plan_year = plan.end.year + i32::from(plan.end.month >= 10);
    crate::demo_plans::seed(store, plan_year, 3).await?;
    let today = Date::from_unix_days(clef_store::now().div_euclid(86_400));
    crate::demo_relationships::seed(store, today).await?;
    let contracts = crate::demo_contracts::seed(store, seed, today).await?;
    crate::demo_selection::seed(store).await?;
    crate::demo_selection::seed_segmentations(store).await?;
    Ok(Summary {
        seed,
        users: USERS.len(),
        business_units: BUSINESS_UNITS.len(),
        groups: plan.groups.len(),
        customers,
        contacts,
        revenue_lines,
        contracts,
        first: plan.start(),
        last: plan.end,
        elapsed: started.elapsed(),
    })
}

type Generated = tokio::task::JoinHandle<std::io::Result<(Vec<u8>, u64)>>;

fn spawn_batch(plan: &Arc<Plan>, phase: Phase, range: Range<u64>) -> Generated {
    let plan = Arc::clone(plan);
    tokio::task::spawn_blocking(move || phase.generate(&plan, range))
}

/// Imports one phase batch by batch, generating the next batch while the
/// current one is written. Returns the number of rows imported.
async fn load(store: &Store, plan: &Arc<Plan>, phase: Phase) -> Result<u64> {
    let total = plan.customers;
    let batch = phase.batch();
    let ranges: Vec<Range<u64>> = (0..total)
        .step_by(batch as usize)
        .map(|s| s..(s + batch).min(total))
        .collect();
    let mut progress = Progress::new(phase.label(), total);
    let mut next = ranges.first().map(|r| spawn_batch(plan, phase, r.clone()));
    let mut rows = 0;
    for (k, range) in ranges.iter().enumerate() {
        let Some(pending) = next.take() else { break };
        let (bytes, n) = pending
            .await
            .map_err(|e| Failure::new(format!("the demo generator stopped: {e}")))?
            .map_err(|e| Failure::new(format!("the demo generator failed: {e}")))?;
        next = ranges
            .get(k + 1)
            .map(|r| spawn_batch(plan, phase, r.clone()));
        let report = store.import_csv_batch(None, phase.kind(), &bytes).await?;
        drop(bytes);
        check(&report, phase.label())?;
        rows += n;
        progress.set(range.end);
    }
    progress.finish();
    Ok(rows)
}

fn check(report: &ImportReport, what: &str) -> Result<()> {
    if report.errors.is_empty() {
        return Ok(());
    }
    Err(Failure::with_details(
        format!(
            "the generated {what} were refused ({} problems; this batch was not written). First problems:",
            report.error_count
        ),
        report.errors.iter().take(10).map(row_error).collect(),
    ))
}
