//! The demo data generator: pure functions from a seed to CSV files in the
//! import formats of `clef_store::ImportKind`. Every customer is generated
//! from its own index, so any range of customers can be generated alone and
//! the result does not depend on batch sizes.

use crate::demo_words::{self as w, Country, Industry};
use crate::rng::Rng;
use clef_domain::{Period, search_key};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;

const STREAM_GROUPS: u64 = 1;
const STREAM_CUSTOMERS: u64 = 2;
const STREAM_CONTACTS: u64 = 3;
const STREAM_REVENUE: u64 = 4;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "clef-demo-2026";
/// The largest demo portfolio.
pub const MAX_CUSTOMERS: u64 = 1_000_000;
/// Months of revenue history.
pub const MONTHS: i32 = 36;
/// Pareto shape for customer sizes: about 20% of customers make 80% of revenue.
const PARETO_ALPHA: f64 = 1.16;
const PARETO_CAP: f64 = 20_000.0;
/// Customers larger than this are the program's: key accounts while their
/// managers have room, strong candidates after that.
const KEY_SIZE: f64 = 52.9;
/// The demo's key accounts per manager (by title): a key account manager
/// and a global account manager run at most 3, a large account manager 5 to
/// 10. The large account manager keeps room for an approval.
const KEY_ACCOUNTS_PER_TITLE: &[(&str, usize)] = &[
    ("key_account_manager", 3),
    ("large_account_manager", 7),
    ("global_account_manager", 2),
];
/// Yearly revenue of the smallest customers, in euros.
const BASE_ANNUAL_EUR: f64 = 6_000.0;

/// A user created by the demo.
#[derive(Debug, Clone, Copy)]
pub struct DemoUser {
    pub email: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub title: Option<&'static str>,
    pub locale: &'static str,
}

const fn user(
    email: &'static str,
    name: &'static str,
    role: &'static str,
    title: Option<&'static str>,
    locale: &'static str,
) -> DemoUser {
    DemoUser {
        email,
        name,
        role,
        title,
        locale,
    }
}

pub const USERS: &[DemoUser] = &[
    user("admin@clef.example", "Claire Dumas", "admin", None, "fr"),
    user(
        "director@clef.example",
        "Henri Lambert",
        "director",
        None,
        "fr",
    ),
    user(
        "kam@clef.example",
        "Sophie Marchand",
        "kam",
        Some("key_account_manager"),
        "fr",
    ),
    user(
        "kam.large@clef.example",
        "Thomas Girard",
        "kam",
        Some("large_account_manager"),
        "fr",
    ),
    user(
        "kam.global@clef.example",
        "Isabelle Roux",
        "kam",
        Some("global_account_manager"),
        "en",
    ),
    user(
        "am1@clef.example",
        "Julien Petit",
        "account_manager",
        None,
        "fr",
    ),
    user(
        "am2@clef.example",
        "Camille Fontaine",
        "account_manager",
        None,
        "fr",
    ),
    user(
        "am3@clef.example",
        "Nicolas Mercier",
        "account_manager",
        None,
        "fr",
    ),
    user(
        "am4@clef.example",
        "Laura Bianchi",
        "account_manager",
        None,
        "en",
    ),
    user(
        "sponsor@clef.example",
        "Philippe Garnier",
        "sponsor",
        None,
        "fr",
    ),
    user("member@clef.example", "Émilie Robin", "member", None, "fr"),
    user("viewer@clef.example", "Marc Lefèvre", "viewer", None, "en"),
];

/// Business units: code, name, weight as the main business unit, and the
/// seasonality of their sales (peak month, amplitude).
pub struct DemoBusinessUnit {
    pub code: &'static str,
    pub name: &'static str,
    weight: u32,
    peak_month: u32,
    amplitude: f64,
}

pub const BUSINESS_UNITS: &[DemoBusinessUnit] = &[
    DemoBusinessUnit {
        code: "PKG",
        name: "Packaging Solutions",
        weight: 30,
        peak_month: 11,
        amplitude: 0.18,
    },
    DemoBusinessUnit {
        code: "IND",
        name: "Industrial Supplies",
        weight: 25,
        peak_month: 3,
        amplitude: 0.10,
    },
    DemoBusinessUnit {
        code: "LOG",
        name: "Logistics Services",
        weight: 20,
        peak_month: 12,
        amplitude: 0.15,
    },
    DemoBusinessUnit {
        code: "ENR",
        name: "Energy & Utilities",
        weight: 15,
        peak_month: 1,
        amplitude: 0.30,
    },
    DemoBusinessUnit {
        code: "DIG",
        name: "Digital Services",
        weight: 10,
        peak_month: 6,
        amplitude: 0.05,
    },
];

/// A customer group of the demo.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSpec {
    pub name: String,
    /// The name its companies share ("Bertin" in "Groupe Bertin").
    pub base: String,
    pub scope: &'static str,
    /// The home country (stored only for national and regional groups).
    pub home: usize,
    pub industry: usize,
}

impl GroupSpec {
    pub fn country(&self) -> Option<&'static str> {
        (self.scope != "global").then(|| w::COUNTRIES[self.home].code)
    }
}

/// One generated customer.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerSpec {
    pub id: i64,
    pub name: String,
    /// The name without its legal form, for e-mail domains.
    pub stem: String,
    pub legal_id: Option<String>,
    pub group: Option<usize>,
    pub parent_id: Option<i64>,
    pub country: usize,
    pub region: &'static str,
    pub city: &'static str,
    /// Business units served (indexes in [`BUSINESS_UNITS`]); the first is the main one.
    pub business_units: Vec<usize>,
    pub industry: usize,
    pub segment: Option<&'static str>,
    pub owner_email: &'static str,
    pub status: &'static str,
    pub tier: &'static str,
    pub wallet_cents: i64,
    pub threat: Option<&'static str>,
    pub competitive_position: Option<&'static str>,
    pub satisfaction: Option<u64>,
    pub notes: Option<&'static str>,
    /// Yearly revenue at the end of the history, in euros.
    pub annual_eur: f64,
    /// Yearly growth rate.
    pub growth: f64,
}

/// Everything needed to generate a demo portfolio.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    pub customers: u64,
    /// The last month of revenue history.
    pub end: Period,
    pub groups: Vec<GroupSpec>,
    stride: u64,
    country_weights: Vec<u32>,
    kams: Vec<&'static str>,
    account_managers: Vec<&'static str>,
    /// The customers that start as key accounts (indexes), with their
    /// managers: the first large customers, handed in turn to each manager
    /// who has room, so that none runs more than the method allows.
    key_accounts: HashMap<u64, &'static str>,
}

fn country(i: usize) -> &'static Country {
    &w::COUNTRIES[i.min(w::COUNTRIES.len() - 1)]
}

fn industry(i: usize) -> &'static Industry {
    &w::INDUSTRIES[i.min(w::INDUSTRIES.len() - 1)]
}

fn french_speaking(rng: &mut Rng, c: &Country) -> bool {
    match c.code {
        "FR" => true,
        "BE" | "CH" => rng.chance(0.45),
        _ => false,
    }
}

fn brand(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(w::BRAND_HEADS), rng.pick(w::BRAND_TAILS))
}

/// Two different surnames joined by `sep`.
fn two_surnames(rng: &mut Rng, c: &Country, sep: &str) -> String {
    let a = rng.pick(c.surnames);
    let b = rng.pick(c.surnames);
    if a == b {
        (*a).to_owned()
    } else {
        format!("{a}{sep}{b}")
    }
}

/// "de Tours", "d'Angers", "du Havre".
fn french_of(city: &str) -> String {
    if let Some(rest) = city.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = city.strip_prefix("Les ") {
        format!("des {rest}")
    } else if city.starts_with(['A', 'E', 'I', 'O', 'U', 'É', 'Â', 'Î', 'H', 'Y']) {
        format!("d'{city}")
    } else {
        format!("de {city}")
    }
}

/// A lower-case ASCII slug: "Laiterie Normande" → "laiterie-normande".
pub fn slug(raw: &str, max: usize) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in search_key(raw).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(max);
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn legal_id(rng: &mut Rng, code: &str) -> String {
    let mut d = |lo: u64, hi: u64| rng.between(lo, hi);
    match code {
        "FR" => format!("{:09}", d(300_000_000, 999_999_999)),
        "DE" => format!("HRB {}", d(10_000, 299_999)),
        "BE" => format!("BE0{:09}", d(200_000_000, 999_999_999)),
        "ES" => format!("B{:08}", d(10_000_000, 99_999_999)),
        "IT" => format!("IT{:011}", d(1_000_000_000, 99_999_999_999)),
        "CH" => format!("CHE-{:03}.{:03}.{:03}", d(100, 999), d(0, 999), d(0, 999)),
        "GB" => format!("{:08}", d(1_000_000, 14_999_999)),
        _ => format!("KVK {:08}", d(10_000_000, 99_999_999)),
    }
}

fn phone(rng: &mut Rng, c: &Country) -> String {
    if c.code == "FR" {
        let first = if rng.chance(0.4) {
            rng.between(6, 7)
        } else {
            rng.between(1, 5)
        };
        format!(
            "+33 {first} {:02} {:02} {:02} {:02}",
            rng.below(100),
            rng.below(100),
            rng.below(100),
            rng.below(100)
        )
    } else {
        format!(
            "{} {} {:03} {:04}",
            c.phone_prefix,
            rng.between(10, 99),
            rng.below(1000),
            rng.below(10_000)
        )
    }
}

/// Euros and cents written as the import expects: `1234.05`.
pub fn cents(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let a = c.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

fn csv_bytes(w: csv::Writer<Vec<u8>>) -> std::io::Result<Vec<u8>> {
    w.into_inner().map_err(|e| e.into_error())
}

impl Plan {
    /// Plans `customers` customers (at least 1) for `seed`, with revenue
    /// history ending with the month `end`.
    pub fn new(seed: u64, customers: u64, end: Period) -> Self {
        let customers = customers.clamp(1, MAX_CUSTOMERS);
        let country_weights: Vec<u32> = w::COUNTRIES.iter().map(|c| c.weight).collect();
        let n_groups = (customers / 40).max(3);
        let mut rng = Rng::for_item(seed, STREAM_GROUPS, 0);
        let mut seen = HashSet::new();
        let mut groups = Vec::with_capacity(n_groups as usize);
        for g in 0..n_groups {
            groups.push(Self::group(&mut rng, &country_weights, &mut seen, g));
        }
        let role = |r: &str| {
            USERS
                .iter()
                .filter(|u| u.role == r)
                .map(|u| u.email)
                .collect::<Vec<_>>()
        };
        let mut plan = Self {
            seed,
            customers,
            end,
            stride: (customers / n_groups).max(1),
            groups,
            country_weights,
            kams: role("kam"),
            account_managers: role("account_manager"),
            key_accounts: HashMap::new(),
        };
        plan.key_accounts = plan.pick_key_accounts();
        plan
    }

    /// A customer's generator, and the customer's size (its first draw).
    fn sized(&self, i: u64) -> (Rng, f64) {
        let mut rng = Rng::for_item(self.seed, STREAM_CUSTOMERS, i);
        let size = rng.pareto(PARETO_ALPHA, PARETO_CAP);
        (rng, size)
    }

    /// The first large customers, each handed to the next manager (in
    /// turn) who still has room, until none has.
    fn pick_key_accounts(&self) -> HashMap<u64, &'static str> {
        let mut room: Vec<(&'static str, usize)> = USERS
            .iter()
            .filter_map(|u| {
                let title = u.title?;
                let n = KEY_ACCOUNTS_PER_TITLE.iter().find(|t| t.0 == title)?.1;
                Some((u.email, n))
            })
            .collect();
        let mut out = HashMap::new();
        let mut turn = 0;
        for i in 0..self.customers {
            if room.iter().all(|r| r.1 == 0) {
                break;
            }
            if self.sized(i).1 <= KEY_SIZE {
                continue;
            }
            let n = room.len();
            while room[turn % n].1 == 0 {
                turn += 1;
            }
            let slot = &mut room[turn % n];
            slot.1 -= 1;
            out.insert(i, slot.0);
            turn += 1;
        }
        out
    }

    fn group(rng: &mut Rng, weights: &[u32], seen: &mut HashSet<String>, g: u64) -> GroupSpec {
        let scope = ["national", "regional", "global"][rng.weighted(&[50, 30, 20])];
        let home = rng.weighted(weights);
        let industry = rng.below(w::INDUSTRIES.len() as u64) as usize;
        let c = country(home);
        for attempt in 0..30 {
            let (base, single_surname) = match rng.weighted(&[45, 25, 30]) {
                0 => ((*rng.pick(c.surnames)).to_owned(), true),
                1 => (brand(rng), false),
                _ => (two_surnames(rng, c, "-"), false),
            };
            let name = match rng.weighted(&[40, 40, 20]) {
                0 if c.code == "FR" || c.code == "BE" => format!("Groupe {base}"),
                0 => format!("{base} Group"),
                2 if !single_surname => base.clone(),
                _ => format!("{base} {}", rng.pick(w::GROUP_SUFFIXES)),
            };
            let name = if attempt == 29 {
                format!("{name} {}", g + 1)
            } else {
                name
            };
            if seen.insert(search_key(&name)) {
                return GroupSpec {
                    name,
                    base,
                    scope,
                    home,
                    industry,
                };
            }
        }
        // Unreachable in practice: the last attempt carries the group's number.
        let name = format!("Groupe {}", g + 1);
        seen.insert(search_key(&name));
        GroupSpec {
            base: name.clone(),
            name,
            scope,
            home,
            industry,
        }
    }

    /// The first customer of each group heads it; the others may be its subsidiaries.
    fn head_of(&self, g: usize) -> Option<u64> {
        let i = g as u64 * self.stride;
        (i < self.customers).then_some(i)
    }

    fn group_headed_by(&self, i: u64) -> Option<usize> {
        (i.is_multiple_of(self.stride) && ((i / self.stride) as usize) < self.groups.len())
            .then(|| (i / self.stride) as usize)
    }

    /// A company name and its stem (the name without the legal form).
    fn company_name(rng: &mut Rng, c: &Country, ind: &Industry, city: &str) -> (String, String) {
        let stem = if french_speaking(rng, c) {
            let surname = rng.pick(c.surnames);
            match rng.weighted(&[20, 25, 12, 10, 15, 10, 8]) {
                0 => format!("{} {}", rng.pick(ind.fr_trades), rng.pick(w::FR_ADJECTIVES)),
                1 => format!("{surname} {}", rng.pick(ind.fr_words)),
                2 if ind.name == "Logistics" => format!("Transports {surname}"),
                2 => format!("{} {surname}", rng.pick(w::FR_FAMILY_PREFIXES)),
                3 => format!("{surname} {}", rng.pick(w::FR_FAMILY_SUFFIXES)),
                4 => brand(rng),
                5 => format!("{} {}", two_surnames(rng, c, "-"), rng.pick(ind.fr_words)),
                _ => format!("{} {}", rng.pick(ind.fr_trades), french_of(city)),
            }
        } else {
            match rng.weighted(&[35, 20, 20, 25]) {
                0 => format!("{} {}", rng.pick(c.surnames), rng.pick(ind.en_words)),
                1 => brand(rng),
                2 => two_surnames(rng, c, " & "),
                _ => format!("{city} {}", rng.pick(ind.en_words)),
            }
        };
        let form = if rng.chance(0.9) {
            *rng.pick(c.legal_forms)
        } else {
            ""
        };
        let name = if form.is_empty() {
            stem.clone()
        } else {
            format!("{stem} {form}")
        };
        (name, stem)
    }

    /// The name of a company of a group.
    fn group_company_name(
        rng: &mut Rng,
        g: &GroupSpec,
        c: &Country,
        ind: &Industry,
        city: &str,
        head: bool,
    ) -> (String, String) {
        let word = if c.code == "FR" {
            rng.pick(ind.fr_words)
        } else {
            rng.pick(ind.en_words)
        };
        let stem = if head {
            format!("{} {word}", g.base)
        } else if c.code != country(g.home).code {
            format!("{} {}", g.base, c.local_name)
        } else if rng.chance(0.6) {
            format!("{} {word} {city}", g.base)
        } else {
            format!("{} {}", g.base, city)
        };
        let form = rng.pick(c.legal_forms);
        let name = if form.is_empty() {
            stem.clone()
        } else {
            format!("{stem} {form}")
        };
        (name, stem)
    }

    /// Customer number `i` (0-based; its id is `i + 1`).
    pub fn customer(&self, i: u64) -> CustomerSpec {
        // Size first: it drives tier, status, owner and revenue.
        let (mut rng, size) = self.sized(i);
        let r = &mut rng;
        let key_manager = self.key_accounts.get(&i).copied();
        let perceived = size * r.range_f64(0.8, 1.25);
        let head = self.group_headed_by(i);
        let (group, parent_id) = match head {
            Some(g) => (Some(g), None),
            None if r.chance(0.5) => {
                let g = r.below(self.groups.len() as u64) as usize;
                let parent = self
                    .head_of(g)
                    .filter(|h| *h < i && r.chance(0.7))
                    .map(|h| h as i64 + 1);
                (Some(g), parent)
            }
            None => (None, None),
        };
        let gspec = group.and_then(|g| self.groups.get(g));
        let country_idx = match gspec {
            Some(g) if head.is_some() => g.home,
            Some(g) if g.scope == "national" => g.home,
            Some(g) if g.scope == "regional" && r.chance(0.7) => g.home,
            _ => r.weighted(&self.country_weights),
        };
        let c = country(country_idx);
        let region_weights: Vec<u32> = (0..c.regions.len() as u32)
            .map(|k| (10u32.saturating_sub(k)).max(1))
            .collect();
        let (region, cities) = c.regions[r.weighted(&region_weights)];
        let city_weights: Vec<u32> = (0..cities.len())
            .map(|k| if k == 0 { 4 } else { 1 })
            .collect();
        let city = cities[r.weighted(&city_weights)];
        let industry_idx = match gspec {
            Some(g) if head.is_some() || r.chance(0.8) => g.industry,
            _ => r.below(w::INDUSTRIES.len() as u64) as usize,
        };
        let (name, stem) = match gspec {
            Some(g) if head.is_some() || r.chance(0.6) => {
                Self::group_company_name(r, g, c, industry(industry_idx), city, head.is_some())
            }
            _ => Self::company_name(r, c, industry(industry_idx), city),
        };
        let legal_id = r.chance(0.9).then(|| legal_id(r, c.code));
        // Tier and status follow the size, with some noise.
        let tier = if perceived > 7.3 {
            "gold"
        } else if perceived > 2.2 {
            "silver"
        } else {
            "bronze"
        };
        let big = size > KEY_SIZE;
        let status = if key_manager.is_some() {
            "key_account"
        } else if big || (perceived > 7.0 && r.chance(0.25)) || r.chance(0.01) {
            "candidate"
        } else if r.chance(0.005) {
            "deselected"
        } else {
            "customer"
        };
        let owner_email = if big || (tier == "gold" && r.chance(0.5)) || r.chance(0.1) {
            let kam = *r.pick(&self.kams);
            key_manager.unwrap_or(kam)
        } else {
            *r.pick(&self.account_managers)
        };
        let bu_weights: Vec<u32> = BUSINESS_UNITS.iter().map(|b| b.weight).collect();
        let main_bu = r.weighted(&bu_weights);
        let mut business_units = vec![main_bu];
        if r.chance(if big { 0.9 } else { 0.5 }) {
            let other = (main_bu + 1 + r.below(BUSINESS_UNITS.len() as u64 - 1) as usize)
                % BUSINESS_UNITS.len();
            business_units.push(other);
        }
        let annual_eur = BASE_ANNUAL_EUR * size;
        let wallet_cents =
            ((annual_eur * r.range_f64(1.2, 3.5) / 100.0).round() as i64).max(1) * 10_000;
        let segment = if big {
            Some("Strategic")
        } else {
            r.chance(0.8).then(|| *r.pick(&w::SEGMENTS[1..]))
        };
        let threat = r
            .chance(0.9)
            .then(|| ["none", "low", "medium", "high"][r.weighted(&[30, 40, 20, 10])]);
        let competitive_position = r
            .chance(0.9)
            .then(|| ["weak", "average", "strong", "leader"][r.weighted(&[15, 40, 35, 10])]);
        let satisfaction = r
            .chance(0.85)
            .then(|| r.weighted(&[1, 1, 2, 3, 5, 8, 14, 20, 22, 15, 9]) as u64);
        let notes = r.chance(0.06).then(|| *r.pick(w::NOTES));
        let growth = r.range_f64(-0.08, 0.18) + if big { 0.04 } else { 0.0 };
        CustomerSpec {
            id: i as i64 + 1,
            name,
            stem,
            legal_id,
            group,
            parent_id,
            country: country_idx,
            region,
            city,
            business_units,
            industry: industry_idx,
            segment,
            owner_email,
            status,
            tier,
            wallet_cents,
            threat,
            competitive_position,
            satisfaction,
            notes,
            annual_eur,
            growth,
        }
    }

    /// Customers `range` as a CSV file in the `ImportKind::Customers` format,
    /// with explicit ids (`index + 1`).
    pub fn customers_csv(&self, range: Range<u64>) -> std::io::Result<Vec<u8>> {
        let mut out = csv::Writer::from_writer(Vec::with_capacity(
            range.end.saturating_sub(range.start) as usize * 220,
        ));
        out.write_record(clef_store::import::CUSTOMER_COLUMNS)?;
        for i in range {
            let s = self.customer(i);
            let o = |v: Option<&str>| v.unwrap_or("").to_owned();
            out.write_record([
                s.id.to_string(),
                s.name,
                s.legal_id.unwrap_or_default(),
                s.group
                    .and_then(|g| self.groups.get(g))
                    .map(|g| g.name.clone())
                    .unwrap_or_default(),
                s.parent_id.map(|p| p.to_string()).unwrap_or_default(),
                country(s.country).code.to_owned(),
                s.region.to_owned(),
                s.city.to_owned(),
                BUSINESS_UNITS[s.business_units[0]].code.to_owned(),
                industry(s.industry).name.to_owned(),
                o(s.segment),
                s.owner_email.to_owned(),
                s.status.to_owned(),
                s.tier.to_owned(),
                "EUR".to_owned(),
                cents(s.wallet_cents),
                o(s.threat),
                o(s.competitive_position),
                s.satisfaction.map(|v| v.to_string()).unwrap_or_default(),
                o(s.notes),
            ])?;
        }
        csv_bytes(out)
    }

    /// The contacts of customers `range` in the `ImportKind::Contacts`
    /// format, and how many there are.
    pub fn contacts_csv(&self, range: Range<u64>) -> std::io::Result<(Vec<u8>, u64)> {
        let mut out = csv::Writer::from_writer(Vec::with_capacity(
            range.end.saturating_sub(range.start) as usize * 200,
        ));
        out.write_record(clef_store::import::CONTACT_COLUMNS)?;
        let mut n = 0;
        for i in range {
            let s = self.customer(i);
            let c = country(s.country);
            let mut r = Rng::for_item(self.seed, STREAM_CONTACTS, i);
            let count = if s.status == "key_account" {
                3
            } else {
                1 + r.weighted(&[45, 35, 20])
            };
            let stem = Some(slug(&s.stem, 40)).filter(|d| !d.is_empty());
            let domain = format!("{}.{}", stem.as_deref().unwrap_or("customer"), c.tld);
            let id = s.id.to_string();
            for _ in 0..count {
                let (first, woman) = *r.pick(c.first_names);
                let last = *r.pick(c.surnames);
                let (m, f, en) = *r.pick(w::JOB_TITLES);
                let title = if french_speaking(&mut r, c) {
                    if woman { f } else { m }
                } else {
                    en
                };
                let email = r
                    .chance(0.9)
                    .then(|| format!("{}.{}@{domain}", slug(first, 30), slug(last, 30)));
                let phone = r.chance(0.8).then(|| phone(&mut r, c));
                out.write_record([
                    "",
                    id.as_str(),
                    first,
                    last,
                    email.as_deref().unwrap_or(""),
                    phone.as_deref().unwrap_or(""),
                    title,
                    "",
                ])?;
                n += 1;
            }
        }
        Ok((csv_bytes(out)?, n))
    }

    /// The first month of revenue history.
    pub fn start(&self) -> Period {
        self.end.add_months(1 - MONTHS)
    }

    /// The monthly revenue lines of customers `range` in the
    /// `ImportKind::Revenue` format, and how many there are.
    pub fn revenue_csv(&self, range: Range<u64>) -> (Vec<u8>, u64) {
        let mut out =
            String::with_capacity(range.end.saturating_sub(range.start) as usize * 60 * 45);
        out.push_str(&clef_store::import::REVENUE_COLUMNS.join(","));
        out.push('\n');
        let start = self.start();
        let mut n = 0;
        for i in range {
            let s = self.customer(i);
            let mut r = Rng::for_item(self.seed, STREAM_REVENUE, i);
            let summer_break = matches!(country(s.country).code, "FR" | "IT" | "ES");
            let split = s.business_units.len() > 1;
            for (k, bu_idx) in s.business_units.iter().enumerate() {
                let bu = &BUSINESS_UNITS[*bu_idx];
                let share = match (split, k) {
                    (false, _) => 1.0,
                    (true, 0) => 0.7,
                    (true, _) => 0.3,
                };
                let monthly = s.annual_eur * share / 12.0;
                let margin_rate = r.range_f64(0.17, 0.33);
                for t in 0..MONTHS {
                    let p = start.add_months(t);
                    let angle = 2.0
                        * std::f64::consts::PI
                        * (f64::from(p.month) - f64::from(bu.peak_month))
                        / 12.0;
                    let season = 1.0 + bu.amplitude * angle.cos();
                    let august = if summer_break && p.month == 8 {
                        0.7
                    } else {
                        1.0
                    };
                    let trend = (1.0 + s.growth).powf(f64::from(t - (MONTHS - 1)) / 12.0);
                    let noise = r.range_f64(0.85, 1.15);
                    let revenue = ((monthly * season * august * trend * noise * 100.0).round()
                        as i64)
                        .max(100);
                    let rate = (margin_rate + r.range_f64(-0.02, 0.02)).clamp(0.15, 0.35);
                    let margin = ((revenue as f64 * rate).round() as i64).min(revenue);
                    // Writing to a String cannot fail.
                    let _ = writeln!(
                        out,
                        "{},{},{p},{},{},EUR",
                        s.id,
                        bu.code,
                        cents(revenue),
                        cents(margin)
                    );
                    n += 1;
                }
            }
        }
        (out.into_bytes(), n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clef_domain::{ContactInput, CustomerInput, Email};

    fn plan(seed: u64, n: u64) -> Plan {
        Plan::new(
            seed,
            n,
            Period {
                year: 2026,
                month: 4,
            },
        )
    }

    #[test]
    fn the_same_seed_gives_the_same_files() {
        let (a, b) = (plan(42, 3_000), plan(42, 3_000));
        assert_eq!(a.groups, b.groups);
        assert_eq!(
            a.customers_csv(0..3_000).unwrap(),
            b.customers_csv(0..3_000).unwrap()
        );
        assert_eq!(
            a.contacts_csv(0..500).unwrap(),
            b.contacts_csv(0..500).unwrap()
        );
        assert_eq!(a.revenue_csv(0..200), b.revenue_csv(0..200));
        let c = plan(43, 3_000);
        assert_ne!(
            a.customers_csv(0..3_000).unwrap(),
            c.customers_csv(0..3_000).unwrap()
        );
    }

    #[test]
    fn batches_do_not_change_the_data() {
        let p = plan(7, 1_000);
        let whole = String::from_utf8(p.customers_csv(0..1_000).unwrap()).unwrap();
        let first = String::from_utf8(p.customers_csv(0..400).unwrap()).unwrap();
        let second = String::from_utf8(p.customers_csv(400..1_000).unwrap()).unwrap();
        let header_len = whole.find('\n').unwrap() + 1;
        assert_eq!(whole, format!("{first}{}", &second[header_len..]));
        let (rev_whole, n) = p.revenue_csv(0..50);
        let (rev_a, na) = p.revenue_csv(0..20);
        let (rev_b, nb) = p.revenue_csv(20..50);
        assert_eq!(n, na + nb);
        let header_len = rev_whole.iter().position(|b| *b == b'\n').unwrap() + 1;
        assert_eq!(rev_whole, [rev_a, rev_b[header_len..].to_vec()].concat());
    }

    #[test]
    fn generated_rows_pass_the_domain_checks() {
        let p = plan(42, 2_000);
        let bytes = p.customers_csv(0..2_000).unwrap();
        let mut rdr = csv::Reader::from_reader(bytes.as_slice());
        let headers = rdr.headers().unwrap().clone();
        assert_eq!(
            headers.iter().collect::<Vec<_>>(),
            clef_store::import::CUSTOMER_COLUMNS
        );
        let group_names: HashSet<&str> = p.groups.iter().map(|g| g.name.as_str()).collect();
        let mut ids = HashSet::new();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let f = |c: &str| {
                rec.get(headers.iter().position(|h| h == c).unwrap())
                    .unwrap()
                    .to_owned()
            };
            let opt = |c: &str| Some(f(c)).filter(|s| !s.is_empty());
            let id: i64 = f("id").parse().unwrap();
            ids.insert(id);
            if let Some(parent) = opt("parent_id") {
                let parent: i64 = parent.parse().unwrap();
                assert!(parent < id, "parents come first: {parent} for {id}");
            }
            if let Some(g) = opt("group") {
                assert!(group_names.contains(g.as_str()));
            }
            let input = CustomerInput {
                name: f("name"),
                legal_id: opt("legal_id"),
                country: f("country"),
                region: opt("region"),
                city: opt("city"),
                industry: opt("industry"),
                strategic_segment: opt("strategic_segment"),
                status: opt("status"),
                tier: opt("tier"),
                currency: opt("currency"),
                threat: opt("threat"),
                competitive_position: opt("competitive_position"),
                satisfaction: opt("satisfaction").map(|s| s.parse().unwrap()),
                notes: opt("notes"),
                ..Default::default()
            };
            input
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e}", f("name")));
            assert!(f("wallet").parse::<f64>().unwrap() > 0.0);
        }
        assert_eq!(ids.len(), 2_000);

        let (bytes, n) = p.contacts_csv(0..2_000).unwrap();
        assert!((2_000..=6_000).contains(&n), "{n}");
        let mut rdr = csv::Reader::from_reader(bytes.as_slice());
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let input = ContactInput {
                first_name: rec[2].to_owned(),
                last_name: rec[3].to_owned(),
                email: Some(rec[4].to_owned()),
                phone: Some(rec[5].to_owned()).filter(|s| !s.is_empty()),
                job_title: Some(rec[6].to_owned()),
                notes: None,
            };
            input.parse().unwrap_or_else(|e| panic!("{:?}: {e}", &rec));
            if !rec[4].is_empty() {
                Email::parse("email", &rec[4]).unwrap();
            }
        }
    }

    #[test]
    fn group_names_are_unique() {
        let p = plan(1, 200_000);
        assert_eq!(p.groups.len(), 5_000);
        let keys: HashSet<String> = p.groups.iter().map(|g| search_key(&g.name)).collect();
        assert_eq!(keys.len(), p.groups.len());
    }

    #[test]
    fn revenue_is_concentrated_and_margins_are_plausible() {
        let p = plan(42, 20_000);
        let mut sizes: Vec<f64> = (0..20_000).map(|i| p.customer(i).annual_eur).collect();
        sizes.sort_by(|a, b| b.total_cmp(a));
        let total: f64 = sizes.iter().sum();
        let top: f64 = sizes[..4_000].iter().sum();
        let share = top / total;
        assert!((0.65..0.92).contains(&share), "top 20% make {share:.2}");
        let tiers = (0..20_000)
            .map(|i| p.customer(i).tier)
            .fold([0u32; 3], |mut acc, t| {
                acc[match t {
                    "gold" => 0,
                    "silver" => 1,
                    _ => 2,
                }] += 1;
                acc
            });
        assert!((1_400..2_800).contains(&tiers[0]), "{tiers:?}");
        assert!((4_800..7_200).contains(&tiers[1]), "{tiers:?}");
        // The first large customers are key accounts, within each
        // manager's capacity; the other large ones are candidates.
        let mut held: HashMap<&str, usize> = HashMap::new();
        let mut large_candidates = 0;
        for i in 0..20_000 {
            let c = p.customer(i);
            match c.status {
                "key_account" => *held.entry(c.owner_email).or_default() += 1,
                "candidate" if c.segment == Some("Strategic") => large_candidates += 1,
                _ => {}
            }
        }
        let mut held: Vec<(&str, usize)> = held.into_iter().collect();
        held.sort_unstable();
        assert_eq!(
            held,
            [
                ("kam.global@clef.example", 2),
                ("kam.large@clef.example", 7),
                ("kam@clef.example", 3)
            ]
        );
        assert!((100..400).contains(&large_candidates), "{large_candidates}");

        let (bytes, n) = p.revenue_csv(0..100);
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(lines.len() as u64, n);
        assert_eq!(n % 36, 0);
        assert!(lines.iter().any(|l| l.contains(",2023-05,")));
        assert!(lines.iter().any(|l| l.contains(",2026-04,")));
        assert!(
            !lines
                .iter()
                .any(|l| l.contains(",2026-05,") || l.contains(",2023-04,"))
        );
        for l in lines {
            let f: Vec<&str> = l.split(',').collect();
            let (rev, margin): (f64, f64) = (f[3].parse().unwrap(), f[4].parse().unwrap());
            let rate = margin / rev;
            assert!((0.149..=0.351).contains(&rate), "{l}");
        }
    }

    #[test]
    fn slugs_and_amounts_are_ascii() {
        assert_eq!(slug("Laiterie Normande", 40), "laiterie-normande");
        assert_eq!(slug("Müller & Söhne", 40), "muller-sohne");
        assert_eq!(slug("L'Hospitalet de Llobregat", 8), "l-hospit");
        assert_eq!(slug("abc def", 4), "abc");
        assert_eq!(cents(123_405), "1234.05");
        assert_eq!(cents(7), "0.07");
        assert_eq!(french_of("Angers"), "d'Angers");
        assert_eq!(french_of("Le Havre"), "du Havre");
        assert_eq!(french_of("Tours"), "de Tours");
    }
}
