//! Customers and their contacts: create, read, list, change with optimistic
//! locking, delete with the record kept in the audit trail.

use crate::{
    Store, StoreError, audit,
    entities::{business_unit, contact, customer, customer_figures, customer_group, user},
    now,
};
use clef_domain::{
    ContactFields, CustomerFields, CustomerStatus, FieldError, Page, PageRequest, ServiceTier,
    SortDir, search_key,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    ExprTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, sea_query::Expr,
};
use serde_json::json;
use std::collections::HashMap;

/// Filters of the portfolio list. Text search matches the beginning of the
/// customer's name, of its city or of its group's name, ignoring case and accents.
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub q: Option<String>,
    pub status: Option<CustomerStatus>,
    pub tier: Option<ServiceTier>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub business_unit_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub group_id: Option<i64>,
    /// Only the direct subsidiaries of this customer.
    pub parent_id: Option<i64>,
    /// The search matches the beginning of any word of the name, city or
    /// group name (`containers` finds "Aberdeen Containers"), not only the
    /// beginning of the whole: slower, as it reads every customer's keys.
    pub within_words: bool,
}

/// Searches look inside words (when nothing starts with them) in
/// portfolios of up to this many customers.
pub const WITHIN_WORDS_MAX: u64 = 100_000;

/// Filtered lists count their matches up to this number.
pub const COUNT_CAP: u64 = 10_000;

impl CustomerFilter {
    /// Whether no filter is set (a blank search counts as none).
    pub fn is_empty(&self) -> bool {
        self.q.as_deref().is_none_or(|q| search_key(q).is_empty())
            && self.status.is_none()
            && self.tier.is_none()
            && self.country.is_none()
            && self.region.is_none()
            && self.business_unit_id.is_none()
            && self.owner_id.is_none()
            && self.group_id.is_none()
            && self.parent_id.is_none()
    }
}

/// The orders the portfolio list offers, each served by an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerSort {
    #[default]
    Name,
    City,
    Country,
    Status,
    Tier,
    Updated,
    /// Revenue over the last 12 months (the rank).
    Revenue,
    Growth,
    MarginRate,
    ShareOfWallet,
}

impl CustomerSort {
    pub const ALL: [(&'static str, CustomerSort); 10] = [
        ("name", CustomerSort::Name),
        ("city", CustomerSort::City),
        ("country", CustomerSort::Country),
        ("status", CustomerSort::Status),
        ("tier", CustomerSort::Tier),
        ("updated_at", CustomerSort::Updated),
        ("revenue", CustomerSort::Revenue),
        ("growth", CustomerSort::Growth),
        ("margin_rate", CustomerSort::MarginRate),
        ("share_of_wallet", CustomerSort::ShareOfWallet),
    ];

    /// Parses `name` or `-name` (descending).
    pub fn parse(raw: &str) -> Result<(Self, SortDir), FieldError> {
        let (dir, key) = match raw.trim().strip_prefix('-') {
            Some(k) => (SortDir::Desc, k),
            None => (SortDir::Asc, raw.trim()),
        };
        Self::ALL
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| (*s, dir))
            .ok_or_else(|| {
                let keys: Vec<&str> = Self::ALL.iter().map(|(k, _)| *k).collect();
                FieldError::new(
                    "sort",
                    "invalid-sort",
                    format!(
                        "sort must be one of {} (prefix with - to reverse), not \"{raw}\"",
                        keys.join(", ")
                    ),
                )
            })
    }

    pub fn key(&self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| s == self)
            .map_or("name", |(k, _)| k)
    }
}

/// A customer with the names of what it refers to.
/// Whether customer `id` (when it exists) is already owned by `owner`.
async fn owner_kept(
    db: &impl ConnectionTrait,
    id: Option<i64>,
    owner: i64,
) -> Result<bool, StoreError> {
    let Some(id) = id else { return Ok(false) };
    Ok(customer::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|c| c.owner_id == Some(owner)))
}

/// The roles of the users who may own (manage) customers.
pub const OWNER_ROLES: [&str; 4] = ["admin", "director", "kam", "account_manager"];

/// A kind of key-account work, or contracts, recorded for a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DependentKind {
    PlanVersions,
    Meetings,
    Stakeholders,
    Links,
    Interactions,
    TeamMembers,
    Contracts,
}

impl DependentKind {
    pub const ALL: [DependentKind; 7] = [
        DependentKind::PlanVersions,
        DependentKind::Meetings,
        DependentKind::Stakeholders,
        DependentKind::Links,
        DependentKind::Interactions,
        DependentKind::TeamMembers,
        DependentKind::Contracts,
    ];

    /// Its name in messages and keys: `plan-versions`, `meetings`, …
    pub fn key(self) -> &'static str {
        match self {
            DependentKind::PlanVersions => "plan-versions",
            DependentKind::Meetings => "meetings",
            DependentKind::Stakeholders => "stakeholders",
            DependentKind::Links => "links",
            DependentKind::Interactions => "interactions",
            DependentKind::TeamMembers => "team-members",
            DependentKind::Contracts => "contracts",
        }
    }

    /// Its English name for `n` of them.
    pub fn english(self, n: u64) -> &'static str {
        let one = n == 1;
        match self {
            DependentKind::PlanVersions if one => "account plan version",
            DependentKind::PlanVersions => "account plan versions",
            DependentKind::Meetings if one => "meeting",
            DependentKind::Meetings => "meetings",
            DependentKind::Stakeholders if one => "stakeholder",
            DependentKind::Stakeholders => "stakeholders",
            DependentKind::Links if one => "relationship link",
            DependentKind::Links => "relationship links",
            DependentKind::Interactions if one => "interaction",
            DependentKind::Interactions => "interactions",
            DependentKind::TeamMembers if one => "account team member",
            DependentKind::TeamMembers => "account team members",
            DependentKind::Contracts if one => "contract",
            DependentKind::Contracts => "contracts",
        }
    }
}

/// What depends on a customer (see [`Store::customer_dependents`]).
#[derive(Debug, Clone, Default)]
pub struct Dependents {
    /// Key-account work, by kind, only kinds with at least one record.
    pub work: Vec<(DependentKind, u64)>,
    /// Subsidiaries that would lose their parent entity.
    pub children: u64,
}

#[derive(Debug, Clone)]
pub struct CustomerView {
    pub customer: customer::Model,
    pub group: Option<customer_group::Model>,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    pub business_unit: Option<business_unit::Model>,
    pub figures: Option<customer_figures::Model>,
    /// The rank and cumulative share in `figures` are being computed again.
    pub ranks_pending: bool,
}

/// The `LIKE` pattern that finds the words of `raw` at the start of a word
/// of a key written by [`words_of`]; none when `raw` holds no letter or
/// digit. Anything but a letter or a digit matches any one character
/// ("saint nazaire" finds "saint-nazaire").
pub(crate) fn word_pattern(raw: &str) -> Option<String> {
    let k = search_key(raw);
    if !k.chars().any(char::is_alphanumeric) {
        return None;
    }
    let body: String = k
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    Some(format!("% {body}%"))
}

/// The SQL of the key in column `col` with a space before each of its
/// words: a word starts after a space or a hyphen, an apostrophe, a dot, a
/// slash or an underscore ("2026" finds "PO/2026/15").
pub(crate) fn words_of(col: &str) -> String {
    format!(
        "(' ' || REPLACE(REPLACE(REPLACE(REPLACE(REPLACE({col}, '-', ' '), '''', ' '), '.', ' '), '/', ' '), '_', ' '))"
    )
}

/// Whether a search may look inside words: it holds a letter or a digit
/// (made of signs only, it would match every customer).
fn looks_inside_words(q: &str) -> bool {
    search_key(q).chars().any(char::is_alphanumeric)
}

/// Contacts by last then first name, accents and case aside.
pub(crate) fn sort_contacts(contacts: &mut [contact::Model]) {
    contacts.sort_by_cached_key(|c| (search_key(&c.last_name), search_key(&c.first_name)));
}

fn key_range(prefix: &str) -> (String, String) {
    (prefix.to_owned(), format!("{prefix}\u{10FFFF}"))
}

fn apply_filter(mut q: Select<customer::Entity>, f: &CustomerFilter) -> Select<customer::Entity> {
    use customer::Column as C;
    if let Some(s) = f.status {
        q = q.filter(C::Status.eq(s.as_str()));
    }
    if let Some(t) = f.tier {
        q = q.filter(C::Tier.eq(t.as_str()));
    }
    if let Some(c) = &f.country {
        q = q.filter(C::Country.eq(c.as_str()));
    }
    if let Some(r) = &f.region {
        q = q.filter(C::Region.eq(r.as_str()));
    }
    if let Some(b) = f.business_unit_id {
        q = q.filter(C::BusinessUnitId.eq(b));
    }
    if let Some(o) = f.owner_id {
        q = q.filter(C::OwnerId.eq(o));
    }
    if let Some(g) = f.group_id {
        q = q.filter(C::GroupId.eq(g));
    }
    if let Some(p) = f.parent_id {
        q = q.filter(C::ParentId.eq(p));
    }
    if let Some(raw) = f.q.as_deref()
        && f.within_words
    {
        match word_pattern(raw) {
            None => {
                // Only signs: each would match any character, every customer.
                q = q.filter(Expr::cust("1 = 0"));
            }
            Some(pattern) => {
                let word = |col: &str| Expr::expr(Expr::cust(words_of(col))).like(pattern.clone());
                let groups = sea_orm::sea_query::Query::select()
                    .column(customer_group::Column::Id)
                    .from(customer_group::Entity)
                    .and_where(word("\"customer_groups\".\"name_key\""))
                    .to_owned();
                q = q.filter(
                    Condition::any()
                        .add(word("\"customers\".\"name_key\""))
                        .add(word("\"customers\".\"city_key\""))
                        .add(C::GroupId.in_subquery(groups)),
                );
            }
        }
    } else if let Some(raw) = f.q.as_deref() {
        let k = search_key(raw);
        if !k.is_empty() {
            let (lo, hi) = key_range(&k);
            let groups = sea_orm::sea_query::Query::select()
                .column(customer_group::Column::Id)
                .from(customer_group::Entity)
                .and_where(Expr::col(customer_group::Column::NameKey).gte(lo.clone()))
                .and_where(Expr::col(customer_group::Column::NameKey).lt(hi.clone()))
                .to_owned();
            // A legal id is found whole, as typed or without its spaces.
            let typed = raw.trim();
            let packed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
            q = q.filter(
                Condition::any()
                    .add(C::NameKey.gte(lo.clone()).and(C::NameKey.lt(hi.clone())))
                    .add(C::CityKey.gte(lo).and(C::CityKey.lt(hi)))
                    .add(C::GroupId.in_subquery(groups))
                    .add(C::LegalId.is_in([typed.to_owned(), packed])),
            );
        }
    }
    q
}

fn order(
    q: Select<customer::Entity>,
    sort: CustomerSort,
    dir: SortDir,
) -> Select<customer::Entity> {
    use customer::Column as C;
    use sea_orm::Order;
    let o = if dir == SortDir::Desc {
        Order::Desc
    } else {
        Order::Asc
    };
    use customer_figures::Column as F;
    use sea_orm::RelationTrait;
    let by_figure = |q: Select<customer::Entity>, col: F| {
        let q = q.join(
            sea_orm::JoinType::InnerJoin,
            customer_figures::Relation::Customer.def().rev(),
        );
        let key = crate::figures::RATIO_KEYS
            .iter()
            .find(|(c, _, _)| *c == sea_orm::IdenStatic::as_str(&col));
        match key {
            Some((_, k, _)) => q.order_by(
                sea_orm::sea_query::Expr::cust(format!("\"customer_figures\".\"{k}\"")),
                o.clone(),
            ),
            None => q.order_by(col, o.clone()),
        }
        .order_by(C::Id, o.clone())
    };
    let q = match sort {
        CustomerSort::Revenue => return by_figure(q, F::Revenue12),
        CustomerSort::Growth => return by_figure(q, F::Growth),
        CustomerSort::MarginRate => return by_figure(q, F::MarginRate),
        CustomerSort::ShareOfWallet => return by_figure(q, F::ShareOfWallet),
        CustomerSort::Name => q,
        CustomerSort::City => q.order_by(C::CityKey, o.clone()),
        CustomerSort::Country => q.order_by(C::Country, o.clone()),
        CustomerSort::Status => q.order_by(C::Status, o.clone()),
        CustomerSort::Tier => q.order_by(C::Tier, o.clone()),
        CustomerSort::Updated => q.order_by(C::UpdatedAt, o.clone()),
    };
    q.order_by(C::NameKey, o.clone()).order_by(C::Id, o)
}

fn active_model(f: &CustomerFields) -> customer::ActiveModel {
    customer::ActiveModel {
        name: Set(f.name.clone()),
        name_key: Set(search_key(&f.name)),
        legal_id: Set(f.legal_id.clone()),
        group_id: Set(f.group_id.map(|g| g.0)),
        parent_id: Set(f.parent_id.map(|p| p.0)),
        country: Set(f.country.as_str().to_owned()),
        region: Set(f.region.clone()),
        city: Set(f.city.clone()),
        // Empty without a city: first by city on both backends.
        city_key: Set(Some(f.city.as_deref().map(search_key).unwrap_or_default())),
        business_unit_id: Set(f.business_unit_id.map(|b| b.0)),
        industry: Set(f.industry.clone()),
        strategic_segment: Set(f.strategic_segment.clone()),
        owner_id: Set(f.owner_id.map(|o| o.0)),
        status: Set(f.status.as_str().to_owned()),
        tier: Set(f.tier.as_str().to_owned()),
        currency: Set(f.currency.as_str().to_owned()),
        wallet_cents: Set(f.wallet.map(|w| w.minor)),
        threat: Set(f.threat.map(|t| t.as_str().to_owned())),
        competitive_position: Set(f.competitive_position.map(|c| c.as_str().to_owned())),
        satisfaction: Set(f.satisfaction),
        notes: Set(f.notes.clone()),
        ..Default::default()
    }
}

/// The record as JSON, for the audit trail.
pub(crate) fn customer_json(m: &customer::Model) -> serde_json::Value {
    json!({
        "name": m.name, "legal_id": m.legal_id, "group_id": m.group_id, "parent_id": m.parent_id,
        "country": m.country, "region": m.region, "city": m.city, "business_unit_id": m.business_unit_id,
        "industry": m.industry, "strategic_segment": m.strategic_segment, "owner_id": m.owner_id,
        "status": m.status, "tier": m.tier, "currency": m.currency, "wallet_cents": m.wallet_cents,
        "threat": m.threat, "competitive_position": m.competitive_position,
        "satisfaction": m.satisfaction, "notes": m.notes, "version": m.version,
    })
}

impl Store {
    /// Checks that what the customer refers to exists, and that the parent
    /// chain does not loop back to the customer itself (`parent_before`:
    /// the parent it had, not checked again).
    async fn check_customer_refs(
        &self,
        db: &impl ConnectionTrait,
        f: &CustomerFields,
        self_id: Option<i64>,
        parent_before: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut e = clef_domain::FieldErrors::new();
        if let Some(g) = f.group_id
            && customer_group::Entity::find_by_id(g.0)
                .one(db)
                .await?
                .is_none()
        {
            e.push(FieldError::new(
                "group_id",
                "unknown-reference",
                format!("there is no customer group with id {g}"),
            ));
        }
        if let Some(b) = f.business_unit_id
            && business_unit::Entity::find_by_id(b.0)
                .one(db)
                .await?
                .is_none()
        {
            e.push(FieldError::new(
                "business_unit_id",
                "unknown-reference",
                format!("there is no business unit with id {b}"),
            ));
        }
        if let Some(o) = f.owner_id {
            match user::Entity::find_by_id(o.0).one(db).await? {
                None => e.push(FieldError::new(
                    "owner_id",
                    "unknown-reference",
                    format!("there is no user with id {o}"),
                )),
                // An owner kept as it was stays (a user whose role changed
                // since): only a new owner must be able to own.
                Some(u)
                    if !OWNER_ROLES.contains(&u.role.as_str())
                        && !owner_kept(db, self_id, u.id).await? =>
                {
                    e.push(FieldError::new(
                    "owner_id",
                    "cannot-own",
                    format!(
                        "{} ({}) cannot own customers: choose a key account manager, an account manager, a director or an admin",
                        u.name, u.role
                    ),
                ))
                }
                Some(_) => {}
            }
        }
        // A parent is checked when it is set or changed: a customer whose
        // group is already wrong further up stays editable.
        if let Some(p) = f.parent_id.filter(|p| Some(p.0) != parent_before) {
            let mut cur = Some(p.0);
            let mut seen = std::collections::HashSet::new();
            while let Some(id) = cur {
                // Back to the customer itself, or round a loop above it.
                if Some(id) == self_id || !seen.insert(id) {
                    e.push(FieldError::new(
                        "parent_id",
                        "parent-cycle",
                        "a customer cannot be its own parent, directly or through other entities",
                    ));
                    break;
                }
                match customer::Entity::find_by_id(id).one(db).await? {
                    Some(c) => cur = c.parent_id,
                    None if id == p.0 => {
                        e.push(FieldError::new(
                            "parent_id",
                            "unknown-reference",
                            format!("there is no customer with id {p}"),
                        ));
                        break;
                    }
                    None => break,
                }
                // Followed as far as groups go; past that, refused rather
                // than left unchecked.
                if seen.len() > 1000 {
                    e.push(FieldError::new(
                        "parent_id",
                        "parent-too-deep",
                        "this parent sits under more than 1,000 levels of parents: choose a parent higher in its group",
                    ));
                    break;
                }
            }
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(e))
        }
    }

    /// Entering or leaving the key-account program goes through the
    /// selection workflow, which records who decided, when and why; a key
    /// account handed to another manager respects that manager's capacity.
    async fn check_key_account_change(
        &self,
        db: &impl ConnectionTrait,
        before: &customer::Model,
        f: &CustomerFields,
    ) -> Result<(), StoreError> {
        let key = CustomerStatus::KeyAccount.as_str();
        let (was, is) = (before.status == key, f.status == CustomerStatus::KeyAccount);
        if was != is {
            return Err(StoreError::invalid(
                "status",
                "use-selection",
                if is {
                    "a customer becomes a key account through the selection page (propose, then approve)"
                } else {
                    "a key account leaves the program through the selection page (deselect, with a reason)"
                },
            ));
        }
        let owner = f.owner_id.map(|o| o.0);
        if is
            && owner != before.owner_id
            && let Some(o) = owner
            && let Some(full) = self.beyond_capacity(db, o, before.id).await?
        {
            return Err(StoreError::invalid(
                "owner_id",
                "manager-full",
                format!("{full}; choose another manager"),
            ));
        }
        Ok(())
    }

    pub async fn create_customer(
        &self,
        actor: Option<i64>,
        f: &CustomerFields,
    ) -> Result<customer::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Before any row: the ranks of customers below zero move.
        self.lock_figures(&txn).await?;
        self.check_customer_refs(&txn, f, None, None).await?;
        if f.status == CustomerStatus::KeyAccount
            && let Some(o) = f.owner_id
            && let Some(full) = self.beyond_capacity(&txn, o.0, 0).await?
        {
            return Err(StoreError::invalid(
                "owner_id",
                "manager-full",
                format!("{full}; choose another manager"),
            ));
        }
        let t = now();
        let mut am = active_model(f);
        am.version = Set(1);
        am.created_at = Set(t);
        am.updated_at = Set(t);
        let m = am.insert(&txn).await?;
        audit::record(&txn, actor, "customer", m.id, "create", customer_json(&m)).await?;
        self.add_empty_figures(&txn, m.id).await?;
        txn.commit().await?;
        Ok(m)
    }

    /// What depends on a customer beyond its contacts and revenue lines:
    /// its key-account work (only the kinds it has, with how many), which
    /// stops its deletion, and how many subsidiaries would lose their
    /// parent entity.
    pub async fn customer_dependents(&self, id: i64) -> Result<Dependents, StoreError> {
        self.dependents_in(self.conn(), id).await
    }

    async fn dependents_in(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
    ) -> Result<Dependents, StoreError> {
        let count =
            |table: &str| format!("(SELECT COUNT(*) FROM {table} WHERE customer_id = {id})");
        let sql = format!(
            "SELECT {}, {}, {}, {}, {}, {}, {}, (SELECT COUNT(*) FROM customers WHERE parent_id = {id})",
            count("plan_versions"),
            count("meetings"),
            count("stakeholders"),
            count("relationship_links"),
            count("interactions"),
            count("account_team"),
            count("contracts"),
        );
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(self.backend(), sql))
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        let n = |k: usize| -> Result<u64, StoreError> {
            Ok(u64::try_from(row.try_get_by_index::<i64>(k)?).unwrap_or(0))
        };
        let mut work = Vec::new();
        for (k, kind) in DependentKind::ALL.into_iter().enumerate() {
            let count = n(k)?;
            if count > 0 {
                work.push((kind, count));
            }
        }
        Ok(Dependents {
            work,
            children: n(DependentKind::ALL.len())?,
        })
    }

    /// Checks that customer `id` exists and, on PostgreSQL, locks its row
    /// until `db`'s transaction ends: `FOR KEY SHARE` to add work to it (a
    /// deletion then waits; edits of its fields do not), `FOR UPDATE` to
    /// delete it. SQLite's write transactions already run one at a time.
    pub(crate) async fn hold_customer(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
        lock: &str,
    ) -> Result<(), StoreError> {
        self.hold_row(db, "customers", "customer", id, lock).await
    }

    /// Holds row `id` of `table` (a `what`) with `lock` (`FOR UPDATE`,
    /// `FOR KEY SHARE`) until the transaction ends, on PostgreSQL; SQLite's
    /// write transactions already hold the whole file. Not found when the
    /// row is not there.
    pub(crate) async fn hold_row(
        &self,
        db: &impl ConnectionTrait,
        table: &str,
        what: &'static str,
        id: i64,
        lock: &str,
    ) -> Result<(), StoreError> {
        let lock = if self.is_sqlite() { "" } else { lock };
        db.query_one_raw(sea_orm::Statement::from_string(
            self.backend(),
            format!("SELECT id FROM {table} WHERE id = {id} {lock}"),
        ))
        .await?
        .ok_or(StoreError::NotFound(what))?;
        Ok(())
    }

    /// A new parent is checked for loops with every other edit's parent
    /// change held off until this one's transaction ends: two edits at once
    /// (A under B, B under A) would each find no loop. Taken first in the
    /// transaction, and by nothing else, so it waits on no other lock.
    /// SQLite's write transactions already run one at a time. A customers
    /// import takes it too before it writes, and writes nothing when a
    /// parent its check went through changed meanwhile.
    pub(crate) async fn lock_parents(&self, db: &impl ConnectionTrait) -> Result<(), StoreError> {
        if !self.is_sqlite() {
            db.execute_unprepared("SELECT pg_advisory_xact_lock(1668048232)")
                .await?;
        }
        Ok(())
    }

    pub async fn customer(&self, id: i64) -> Result<customer::Model, StoreError> {
        customer::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("customer"))
    }

    /// Changes a customer if it is still at `expected_version`.
    pub async fn update_customer(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: i64,
        f: &CustomerFields,
    ) -> Result<customer::Model, StoreError> {
        let txn = self.write_txn().await?;
        // First in the transaction, before any read of customers: an import
        // takes it before it locks the table.
        if f.parent_id.is_some() {
            self.lock_parents(&txn).await?;
        }
        let before = customer::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        if before.version != expected_version {
            return Err(StoreError::Stale {
                entity: "customer",
                current: before.version,
            });
        }
        self.check_customer_refs(&txn, f, Some(id), before.parent_id)
            .await?;
        self.check_key_account_change(&txn, &before, f).await?;
        let r = customer::Entity::update_many()
            .set(active_model(f))
            .col_expr(
                customer::Column::Version,
                Expr::col(customer::Column::Version).add(1),
            )
            .col_expr(customer::Column::UpdatedAt, Expr::value(now()))
            .filter(customer::Column::Id.eq(id))
            .filter(customer::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            return Err(StoreError::Stale {
                entity: "customer",
                current: expected_version.saturating_add(1),
            });
        }
        let after = customer::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        audit::record(
            &txn,
            actor,
            "customer",
            id,
            "update",
            json!({"before": customer_json(&before), "after": customer_json(&after)}),
        )
        .await?;
        if before.wallet_cents != after.wallet_cents {
            self.wallet_changed(&txn, id).await?;
        }
        self.touch_figures_in(&txn).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Deletes a customer, its contacts and its revenue lines. The customer
    /// and its contacts are kept in the audit trail.
    pub async fn delete_customer(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: Option<i64>,
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        // Before any row: its figures go, and everyone's ranks may move.
        self.lock_figures(&txn).await?;
        // Work being added to it (a contract) commits first, or waits.
        self.hold_customer(&txn, id, "FOR UPDATE").await?;
        let c = customer::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        if let Some(v) = expected_version
            && v != c.version
        {
            return Err(StoreError::Stale {
                entity: "customer",
                current: c.version,
            });
        }
        let dependents = self.dependents_in(&txn, id).await?;
        if !dependents.work.is_empty() {
            return Err(StoreError::InUse(dependents.work));
        }
        let contacts = contact::Entity::find()
            .filter(contact::Column::CustomerId.eq(id))
            .all(&txn)
            .await?;
        let contacts: Vec<_> = contacts.iter().map(contact_json).collect();
        let revenue: Vec<_> = crate::entities::revenue_line::Entity::find()
            .filter(crate::entities::revenue_line::Column::CustomerId.eq(id))
            .all(&txn)
            .await?
            .iter()
            .map(|l| {
                json!([
                    l.business_unit_id,
                    l.period,
                    l.currency,
                    l.revenue_cents,
                    l.margin_cents
                ])
            })
            .collect();
        // Its scores as a candidate go with it: the trail keeps them.
        let scores: Vec<_> = crate::entities::selection_score::Entity::find()
            .filter(crate::entities::selection_score::Column::CustomerId.eq(id))
            .all(&txn)
            .await?
            .iter()
            .map(|s| json!({"criterion_id": s.criterion_id, "score": s.score, "evidence": s.evidence}))
            .collect();
        let children: Vec<i64> = customer::Entity::find()
            .select_only()
            .column(customer::Column::Id)
            .filter(customer::Column::ParentId.eq(id))
            .into_tuple()
            .all(&txn)
            .await?;
        let r = customer::Entity::delete_many()
            .filter(customer::Column::Id.eq(id))
            .filter(customer::Column::Version.eq(c.version))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            return Err(StoreError::Stale {
                entity: "customer",
                current: c.version + 1,
            });
        }
        audit::record(
            &txn,
            actor,
            "customer",
            id,
            "delete",
            json!({
                "customer": customer_json(&c),
                "sponsor_id": c.sponsor_id,
                "contacts": contacts,
                // [business unit, YYYYMM, currency, revenue cents, margin cents]
                "revenue_lines": revenue,
                "selection_scores": scores,
                "children_detached": children,
            }),
        )
        .await?;
        let later = self.ranks_changed(&txn).await?;
        self.touch_figures_in(&txn).await?;
        txn.commit().await?;
        if later {
            self.rank_soon();
        }
        Ok(())
    }

    /// Brings a deleted customer back from the history entry of its
    /// deletion (customer `customer_id`'s), once, as a new customer: its
    /// fields (those it named that are gone since left out), its contacts,
    /// its revenue lines (of business units still there), its scores as a
    /// candidate (of criteria still there) and its subsidiaries that have
    /// no parent since. Its figures follow. A key account comes back as one
    /// only for one who may decide key accounts (`key_accounts`) and while
    /// its manager has room; otherwise as a customer.
    pub async fn restore_customer(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        entry_id: i64,
        key_accounts: bool,
    ) -> Result<customer::Model, StoreError> {
        self.figures_owed().await?;
        let m = match self
            .restore_customer_in(actor, customer_id, entry_id, key_accounts)
            .await
        {
            Ok(m) => m,
            Err(e) => {
                // Nothing was written (one transaction): nothing is due.
                let _ = self.figures_paid().await;
                return Err(e);
            }
        };
        if let Err(e) = self.refresh_figures_for(&[m.id]).await {
            // Restored, with its history: its figures stay owed, computed
            // at the next start.
            tracing::warn!(error = %e, "figures not computed after a customer was restored");
            return Ok(m);
        }
        self.figures_paid().await?;
        Ok(m)
    }

    async fn restore_customer_in(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        entry_id: i64,
        key_accounts: bool,
    ) -> Result<customer::Model, StoreError> {
        use crate::entities::{audit_log, revenue_line, selection_criterion, selection_score};
        let txn = self.write_txn().await?;
        // First, before any read of customers (as an edit of a parent):
        // no other change of parents meanwhile.
        self.lock_parents(&txn).await?;
        // Before any row: the ranks of customers below zero move.
        self.lock_figures(&txn).await?;
        let missing = || StoreError::NotFound("deleted customer");
        let entry = audit_log::Entity::find_by_id(entry_id)
            .one(&txn)
            .await?
            .filter(|e| {
                e.entity == "customer" && e.action == "delete" && e.entity_id == customer_id
            })
            .ok_or_else(missing)?;
        if let Some(new) = restored_in(&txn, customer_id).await?.get(&entry_id) {
            return Err(StoreError::Conflict(format!(
                "this customer was restored already (customer {new})"
            )));
        }
        let d: serde_json::Value = serde_json::from_str(&entry.detail).unwrap_or_default();
        let Some(k) = d.get("customer") else {
            return Err(StoreError::Conflict(
                "the history did not keep enough of this customer to bring it back".into(),
            ));
        };
        let text = audit::kept_text;
        let int = |k: &serde_json::Value, f: &str| k.get(f).and_then(serde_json::Value::as_i64);
        // What it named that is gone since is left out.
        let group_id = match int(k, "group_id") {
            Some(g) => customer_group::Entity::find_by_id(g)
                .one(&txn)
                .await?
                .map(|g| g.id),
            None => None,
        };
        // The same parent: one created before the deletion (not another
        // whose id an import gave again).
        let parent_id = match int(k, "parent_id") {
            Some(p) => customer::Entity::find_by_id(p)
                .one(&txn)
                .await?
                .filter(|p| p.created_at <= entry.at)
                .map(|p| p.id),
            None => None,
        };
        let business_unit_id = match int(k, "business_unit_id") {
            Some(b) => business_unit::Entity::find_by_id(b)
                .one(&txn)
                .await?
                .map(|b| b.id),
            None => None,
        };
        // An owner who may no longer own is left out too.
        let owner_id = match int(k, "owner_id") {
            Some(o) => user::Entity::find_by_id(o)
                .one(&txn)
                .await?
                .filter(|u| OWNER_ROLES.contains(&u.role.as_str()))
                .map(|u| u.id),
            None => None,
        };
        let input = clef_domain::CustomerInput {
            name: text(k, "name").unwrap_or_default(),
            legal_id: text(k, "legal_id"),
            group_id,
            parent_id,
            country: text(k, "country").unwrap_or_default(),
            region: text(k, "region"),
            city: text(k, "city"),
            business_unit_id,
            industry: text(k, "industry"),
            strategic_segment: text(k, "strategic_segment"),
            owner_id,
            status: text(k, "status"),
            tier: text(k, "tier"),
            currency: text(k, "currency"),
            wallet_cents: int(k, "wallet_cents"),
            threat: text(k, "threat"),
            competitive_position: text(k, "competitive_position"),
            satisfaction: int(k, "satisfaction"),
            notes: text(k, "notes"),
        };
        let mut f = input
            .parse()
            .map_err(|e| crate::relationships::gone(StoreError::Invalid(e), "customer"))?;
        // A key account only by one who decides them, within its manager's
        // room; otherwise a customer (its selection can be made again).
        let mut status_left_out = None;
        if f.status == CustomerStatus::KeyAccount {
            let full = match f.owner_id {
                Some(o) => self.beyond_capacity(&txn, o.0, 0).await?.is_some(),
                None => false,
            };
            if !key_accounts || full {
                status_left_out = Some(f.status.as_str());
                f.status = CustomerStatus::Customer;
            }
        }
        self.check_customer_refs(&txn, &f, None, None)
            .await
            .map_err(|e| crate::relationships::gone(e, "customer"))?;
        let t = now();
        let mut am = active_model(&f);
        am.version = Set(1);
        am.created_at = Set(t);
        am.updated_at = Set(t);
        // A key account's or a candidate's executive sponsor, while still
        // one.
        if matches!(
            f.status,
            CustomerStatus::KeyAccount | CustomerStatus::Candidate
        ) && let Some(s) = d.get("sponsor_id").and_then(serde_json::Value::as_i64)
        {
            am.sponsor_id = Set(user::Entity::find_by_id(s)
                .one(&txn)
                .await?
                .filter(|u| u.active && matches!(u.role.as_str(), "sponsor" | "director"))
                .map(|u| u.id));
        }
        let m = am.insert(&txn).await?;
        self.add_empty_figures(&txn, m.id).await?;
        let list = |f: &str| {
            d.get(f)
                .and_then(serde_json::Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let contacts = list("contacts");
        for c in &contacts {
            let first = text(c, "first_name").unwrap_or_default();
            let last = text(c, "last_name").unwrap_or_default();
            if first.is_empty() && last.is_empty() {
                continue;
            }
            contact::ActiveModel {
                customer_id: Set(m.id),
                first_name: Set(first),
                last_name: Set(last),
                email: Set(text(c, "email")),
                phone: Set(text(c, "phone")),
                job_title: Set(text(c, "job_title")),
                notes: Set(text(c, "notes")),
                version: Set(1),
                created_at: Set(t),
                updated_at: Set(t),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        // [business unit, YYYYMM, currency, revenue cents, margin cents]
        let units: std::collections::HashSet<i64> = business_unit::Entity::find()
            .all(&txn)
            .await?
            .into_iter()
            .map(|b| b.id)
            .collect();
        let (mut lines, mut left_out) = (0, 0);
        for l in list("revenue_lines") {
            let n = |i: usize| l.get(i).and_then(serde_json::Value::as_i64);
            let (Some(bu), Some(period), Some(revenue), Some(margin)) = (n(0), n(1), n(3), n(4))
            else {
                continue;
            };
            if !units.contains(&bu) {
                left_out += 1;
                continue;
            }
            revenue_line::ActiveModel {
                customer_id: Set(m.id),
                business_unit_id: Set(bu),
                period: Set(period),
                // Each line in its own currency, as it was written.
                currency: Set(l
                    .get(2)
                    .and_then(serde_json::Value::as_str)
                    .map_or_else(|| m.currency.clone(), str::to_owned)),
                revenue_cents: Set(revenue),
                margin_cents: Set(margin),
            }
            .insert(&txn)
            .await?;
            lines += 1;
        }
        let criteria: std::collections::HashSet<i64> = selection_criterion::Entity::find()
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        for sc in list("selection_scores") {
            let (Some(criterion), Some(score)) = (int(&sc, "criterion_id"), int(&sc, "score"))
            else {
                continue;
            };
            if criteria.contains(&criterion) {
                selection_score::ActiveModel {
                    customer_id: Set(m.id),
                    criterion_id: Set(criterion),
                    score: Set(score),
                    evidence: Set(text(&sc, "evidence")),
                    // Who scored it was not kept.
                    scored_by: Set(None),
                    scored_at: Set(t),
                }
                .insert(&txn)
                .await?;
            }
        }
        // Its subsidiaries that have had no parent since (the same ones:
        // created before the deletion), unless that makes a loop (one put
        // above it meanwhile).
        let children: Vec<i64> = list("children_detached")
            .iter()
            .filter_map(serde_json::Value::as_i64)
            .collect();
        let mut above = std::collections::HashSet::new();
        let mut at = m.parent_id;
        while let Some(p) = at {
            if !above.insert(p) {
                break;
            }
            at = customer::Entity::find_by_id(p)
                .one(&txn)
                .await?
                .and_then(|c| c.parent_id);
        }
        let back: Vec<customer::Model> = customer::Entity::find()
            .filter(customer::Column::Id.is_in(children))
            .filter(customer::Column::ParentId.is_null())
            .filter(customer::Column::CreatedAt.lte(entry.at))
            .all(&txn)
            .await?
            .into_iter()
            .filter(|c| !above.contains(&c.id))
            .collect();
        for child in &back {
            customer::Entity::update_many()
                .col_expr(customer::Column::ParentId, Expr::value(m.id))
                .col_expr(
                    customer::Column::Version,
                    Expr::col(customer::Column::Version).add(1),
                )
                .col_expr(customer::Column::UpdatedAt, Expr::value(t))
                .filter(customer::Column::Id.eq(child.id))
                .filter(customer::Column::ParentId.is_null())
                .exec(&txn)
                .await?;
            audit::record(
                &txn,
                actor,
                "customer",
                child.id,
                "update",
                json!({"before": {"name": child.name, "parent_id": null},
                       "after": {"name": child.name, "parent_id": m.id}}),
            )
            .await?;
        }
        let mut detail = customer_json(&m);
        detail["from_entry"] = json!(entry_id);
        detail["from_customer"] = json!(customer_id);
        detail["sponsor_id"] = json!(m.sponsor_id);
        detail["restored"] = json!({"contacts": contacts.len(), "revenue_lines": lines,
            "revenue_lines_left_out": left_out, "subsidiaries": back.len(),
            "status_left_out": status_left_out});
        audit::record(&txn, actor, "customer", m.id, "restore", detail).await?;
        // Where it went, in the deleted customer's own history (found by
        // its id, as its other entries).
        audit::record(
            &txn,
            actor,
            "customer",
            customer_id,
            "restored-as",
            json!({"from_entry": entry_id, "customer": m.id}),
        )
        .await?;
        self.touch_figures_in(&txn).await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn count_customers(&self) -> Result<u64, StoreError> {
        Ok(customer::Entity::find().count(self.conn()).await?)
    }

    /// One page of the portfolio list; when a search finds no customer whose
    /// name, city or group name starts with it, the customers with a word
    /// that starts with it, and true. Looking inside the words reads every
    /// customer (about 1.5 s at a million on SQLite): portfolios of more
    /// than [`WITHIN_WORDS_MAX`] customers only match beginnings.
    pub async fn search_customers(
        &self,
        f: &CustomerFilter,
        sort: CustomerSort,
        dir: SortDir,
        page: PageRequest,
    ) -> Result<(Page<CustomerView>, bool), StoreError> {
        let shown = self.listed_filter(f).await?;
        let p = self.list_customers(&shown, sort, dir, page).await?;
        Ok((p, shown.within_words))
    }

    /// Whether a search may look inside words: only in portfolios of up to
    /// [`WITHIN_WORDS_MAX`] customers.
    pub(crate) async fn within_words_allowed(&self) -> Result<bool, StoreError> {
        Ok(customer::Entity::find()
            .select_only()
            .column(customer::Column::Id)
            .offset(WITHIN_WORDS_MAX)
            .into_tuple::<i64>()
            .one(self.conn())
            .await?
            .is_none())
    }

    /// The filter of the list [`Store::search_customers`] shows: `f`, or,
    /// when its search finds no beginning of a name, city or group in a
    /// portfolio small enough, the same looking inside words.
    pub async fn listed_filter(&self, f: &CustomerFilter) -> Result<CustomerFilter, StoreError> {
        let searched = f.q.as_deref().is_some_and(looks_inside_words);
        if !searched || f.within_words {
            return Ok(f.clone());
        }
        let any = apply_filter(customer::Entity::find(), f)
            .select_only()
            .column(customer::Column::Id)
            .into_tuple::<i64>()
            .one(self.conn())
            .await?
            .is_some();
        Ok(CustomerFilter {
            within_words: !any && self.within_words_allowed().await?,
            ..f.clone()
        })
    }

    /// The ids of every customer of the list `f` gives, in its order: what
    /// an export of the list writes, read in batches by
    /// [`Store::customers_by_ids`]. One statement, so one consistent view
    /// of the portfolio (a customer added or removed meanwhile neither
    /// repeats nor hides another), and no transaction held while the file
    /// is sent: 8 bytes per customer.
    pub async fn customer_ids(
        &self,
        f: &CustomerFilter,
        sort: CustomerSort,
        dir: SortDir,
    ) -> Result<Vec<i64>, StoreError> {
        Ok(order(apply_filter(customer::Entity::find(), f), sort, dir)
            .select_only()
            .column(customer::Column::Id)
            .into_tuple::<i64>()
            .all(self.conn())
            .await?)
    }

    /// The customers among `ids` that still exist, in the order of `ids`.
    pub async fn customers_by_ids(&self, ids: &[i64]) -> Result<Vec<CustomerView>, StoreError> {
        let mut rows = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(1000) {
            rows.extend(
                customer::Entity::find()
                    .filter(customer::Column::Id.is_in(chunk.iter().copied()))
                    .all(self.conn())
                    .await?,
            );
        }
        let place: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|c| place.get(&c.id).copied().unwrap_or(usize::MAX));
        self.views(rows).await
    }

    /// One page of the portfolio list.
    pub async fn list_customers(
        &self,
        f: &CustomerFilter,
        sort: CustomerSort,
        dir: SortDir,
        page: PageRequest,
    ) -> Result<Page<CustomerView>, StoreError> {
        let base = apply_filter(customer::Entity::find(), f);
        // Counting every match of a filter can mean visiting most rows; past
        // COUNT_CAP the total is a lower bound. Without a filter it is exact.
        let (total, total_is_exact) = if f.is_empty() {
            (base.clone().count(self.conn()).await?, true)
        } else {
            let n = base
                .clone()
                .select_only()
                .column(customer::Column::Id)
                .limit(COUNT_CAP + 1)
                .count(self.conn())
                .await?;
            (Ord::min(n, COUNT_CAP), n <= COUNT_CAP)
        };
        let rows = order(base, sort, dir)
            .limit(page.per_page)
            .offset(page.offset())
            .all(self.conn())
            .await?;
        let items = self.views(rows).await?;
        Ok(Page {
            items,
            page: page.page,
            per_page: page.per_page,
            total,
            total_is_exact,
        })
    }

    /// Customers matching `f` with an id above `after`, by id: for exports.
    pub async fn customers_after(
        &self,
        f: &CustomerFilter,
        after: i64,
        limit: u64,
    ) -> Result<Vec<CustomerView>, StoreError> {
        let rows = apply_filter(customer::Entity::find(), f)
            .filter(customer::Column::Id.gt(after))
            .order_by_asc(customer::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?;
        self.views(rows).await
    }

    /// Adds the group, owner and business unit to each customer, in three queries.
    async fn views(&self, rows: Vec<customer::Model>) -> Result<Vec<CustomerView>, StoreError> {
        let ids = |f: fn(&customer::Model) -> Option<i64>| {
            let mut v: Vec<i64> = rows.iter().filter_map(f).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let groups: HashMap<i64, customer_group::Model> = customer_group::Entity::find()
            .filter(customer_group::Column::Id.is_in(ids(|c| c.group_id)))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|g| (g.id, g))
            .collect();
        let owners: HashMap<i64, (String, String)> = user::Entity::find()
            .filter(user::Column::Id.is_in(ids(|c| c.owner_id)))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|u| (u.id, (u.name, u.email)))
            .collect();
        let bus: HashMap<i64, business_unit::Model> = business_unit::Entity::find()
            .filter(business_unit::Column::Id.is_in(ids(|c| c.business_unit_id)))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|b| (b.id, b))
            .collect();
        let figures: HashMap<i64, customer_figures::Model> = customer_figures::Entity::find()
            .filter(customer_figures::Column::CustomerId.is_in(rows.iter().map(|c| c.id)))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|f| (f.customer_id, f))
            .collect();
        let ranks_pending = !figures.is_empty() && self.figures_state().await?.ranks_pending;
        Ok(rows
            .into_iter()
            .map(|c| CustomerView {
                figures: figures.get(&c.id).cloned(),
                ranks_pending,
                group: c.group_id.and_then(|g| groups.get(&g).cloned()),
                owner_name: c.owner_id.and_then(|o| owners.get(&o).map(|u| u.0.clone())),
                owner_email: c.owner_id.and_then(|o| owners.get(&o).map(|u| u.1.clone())),
                business_unit: c.business_unit_id.and_then(|b| bus.get(&b).cloned()),
                customer: c,
            })
            .collect())
    }

    /// The names of the customers among `ids` that exist.
    pub async fn customer_names(&self, ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
        let rows: Vec<(i64, String)> = customer::Entity::find()
            .select_only()
            .column(customer::Column::Id)
            .column(customer::Column::Name)
            .filter(customer::Column::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn customer_view(&self, id: i64) -> Result<CustomerView, StoreError> {
        let c = self.customer(id).await?;
        self.views(vec![c])
            .await?
            .pop()
            .ok_or(StoreError::NotFound("customer"))
    }

    /// The legal entities directly below a customer.
    pub async fn children(&self, id: i64, limit: u64) -> Result<Vec<customer::Model>, StoreError> {
        Ok(customer::Entity::find()
            .filter(customer::Column::ParentId.eq(id))
            .order_by_asc(customer::Column::NameKey)
            .limit(limit)
            .all(self.conn())
            .await?)
    }

    /// Other customers (at most `limit`) with the legal id `legal_id`: the
    /// same legal entity entered twice, most likely. By name.
    pub async fn same_legal_id(
        &self,
        legal_id: &str,
        except: i64,
        limit: u64,
    ) -> Result<Vec<customer::Model>, StoreError> {
        Ok(customer::Entity::find()
            .filter(customer::Column::LegalId.eq(legal_id))
            .filter(customer::Column::Id.ne(except))
            .order_by_asc(customer::Column::NameKey)
            .limit(limit)
            .all(self.conn())
            .await?)
    }

    /// Distinct regions, for the list's filter.
    pub async fn regions(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<Option<String>> = customer::Entity::find()
            .select_only()
            .column(customer::Column::Region)
            .distinct()
            .filter(customer::Column::Region.is_not_null())
            .order_by_asc(customer::Column::Region)
            .limit(500)
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut regions: Vec<String> = rows.into_iter().flatten().collect();
        regions.sort_by_cached_key(|r| clef_domain::search_key(r));
        Ok(regions)
    }

    // ---- contacts ---------------------------------------------------------

    /// A customer's contacts by last then first name, as people read them
    /// (accents and case aside: Álvarez before Bernard).
    pub async fn list_contacts(&self, customer_id: i64) -> Result<Vec<contact::Model>, StoreError> {
        let mut contacts = contact::Entity::find()
            .filter(contact::Column::CustomerId.eq(customer_id))
            .order_by_asc(contact::Column::LastName)
            .order_by_asc(contact::Column::FirstName)
            .all(self.conn())
            .await?;
        sort_contacts(&mut contacts);
        Ok(contacts)
    }

    pub async fn contact(&self, id: i64) -> Result<contact::Model, StoreError> {
        contact_in(self.conn(), id).await
    }

    pub async fn create_contact(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        f: &ContactFields,
    ) -> Result<contact::Model, StoreError> {
        // The contact and its entry in the history, together or not at all.
        let txn = self.write_txn().await?;
        self.hold_customer(&txn, customer_id, "FOR NO KEY UPDATE")
            .await?;
        let t = now();
        let m = contact::ActiveModel {
            customer_id: Set(customer_id),
            version: Set(1),
            created_at: Set(t),
            updated_at: Set(t),
            ..contact_model(f)
        }
        .insert(&txn)
        .await?;
        audit::record(&txn, actor, "contact", m.id, "create", contact_json(&m)).await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn update_contact(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: i64,
        f: &ContactFields,
    ) -> Result<contact::Model, StoreError> {
        let txn = self.write_txn().await?;
        let before = contact_in(&txn, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Stale {
                entity: "contact",
                current: before.version,
            });
        }
        let r = contact::Entity::update_many()
            .set(contact_model(f))
            .col_expr(
                contact::Column::Version,
                Expr::col(contact::Column::Version).add(1),
            )
            .col_expr(contact::Column::UpdatedAt, Expr::value(now()))
            .filter(contact::Column::Id.eq(id))
            .filter(contact::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            return Err(StoreError::Stale {
                entity: "contact",
                current: expected_version.saturating_add(1),
            });
        }
        let after = contact_in(&txn, id).await?;
        audit::record(
            &txn,
            actor,
            "contact",
            id,
            "update",
            json!({"before": contact_json(&before), "after": contact_json(&after)}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    pub async fn delete_contact(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: Option<i64>,
    ) -> Result<contact::Model, StoreError> {
        let txn = self.write_txn().await?;
        let c = contact_in(&txn, id).await?;
        if let Some(v) = expected_version
            && v != c.version
        {
            return Err(StoreError::Stale {
                entity: "contact",
                current: c.version,
            });
        }
        // Its stakeholder profile goes with it, and its links and places in
        // meetings and interactions: the trail keeps them all, to restore
        // it (the history page leaves out its attitude and influence, and
        // what it held by number).
        let profile = crate::entities::stakeholder::Entity::find_by_id(id)
            .one(&txn)
            .await?;
        let ties = Ties::of(&txn, id).await?;
        let r = contact::Entity::delete_many()
            .filter(contact::Column::Id.eq(id))
            .filter(contact::Column::Version.eq(c.version))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            return Err(StoreError::Stale {
                entity: "contact",
                current: c.version + 1,
            });
        }
        let mut detail = contact_json(&c);
        if let Some(p) = profile {
            for (k, v) in [
                ("buying_role", json!(p.buying_role)),
                ("level", json!(p.level)),
                ("function", json!(p.function)),
                ("attitude", json!(p.attitude)),
                ("influence", json!(p.influence)),
                ("next_action", json!(p.next_action)),
                ("next_action_on", json!(p.next_action_on)),
                ("reports_to_id", json!(p.reports_to_id)),
            ] {
                detail[k] = v;
            }
        }
        ties.keep_in(&mut detail);
        audit::record(&txn, actor, "contact", id, "delete", detail).await?;
        txn.commit().await?;
        Ok(c)
    }
}

impl Store {
    /// The deletions of a customer's contacts, contracts, meetings, plan
    /// drafts, interactions, links and team members that were restored: the history entry of each deletion, with the record it
    /// became.
    pub async fn restored_deletions(
        &self,
        customer_id: i64,
    ) -> Result<HashMap<i64, i64>, StoreError> {
        restored_in(self.conn(), customer_id).await
    }

    /// Of the history entries `entries` (of customer `customer_id`), the
    /// deletions of interactions that cannot come back: none of the
    /// customer's people who took part is left.
    pub async fn interactions_without_people(
        &self,
        customer_id: i64,
        entries: &[i64],
    ) -> Result<std::collections::HashSet<i64>, StoreError> {
        use crate::entities::audit_log;
        let deleted = audit_log::Entity::find()
            .filter(audit_log::Column::Id.is_in(entries.to_vec()))
            .filter(audit_log::Column::Entity.eq("interaction"))
            .filter(audit_log::Column::Action.eq("delete"))
            .all(self.conn())
            .await?;
        if deleted.is_empty() {
            return Ok(std::collections::HashSet::new());
        }
        let theirs: std::collections::HashSet<i64> = contact::Entity::find()
            .select_only()
            .column(contact::Column::Id)
            .filter(contact::Column::CustomerId.eq(customer_id))
            .into_tuple()
            .all(self.conn())
            .await?
            .into_iter()
            .collect();
        Ok(deleted
            .into_iter()
            .filter(|e| {
                let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
                !audit::kept_ids(&d, "contacts")
                    .iter()
                    .any(|c| theirs.contains(c))
            })
            .map(|e| e.id)
            .collect())
    }

    /// Who owned customer `id` when it was deleted (by entry `entry`, or
    /// last), as its history says (who may bring it back).
    pub async fn deleted_customer_owner(
        &self,
        id: i64,
        entry: Option<i64>,
    ) -> Result<Option<i64>, StoreError> {
        use crate::entities::audit_log;
        let mut q = audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq("customer"))
            .filter(audit_log::Column::EntityId.eq(id))
            .filter(audit_log::Column::Action.eq("delete"));
        if let Some(e) = entry {
            q = q.filter(audit_log::Column::Id.eq(e));
        }
        Ok(q.order_by_desc(audit_log::Column::Id)
            .one(self.conn())
            .await?
            .and_then(|e| {
                let d: serde_json::Value = serde_json::from_str(&e.detail).ok()?;
                d.get("customer")?.get("owner_id")?.as_i64()
            }))
    }

    /// The kind of record (`contact`, `interaction`…) whose deletion by
    /// customer `customer_id` history entry `entry_id` records (the
    /// restore itself checks the rest).
    pub async fn deleted_kind(
        &self,
        customer_id: i64,
        entry_id: i64,
    ) -> Result<String, StoreError> {
        use crate::entities::audit_log;
        Ok(audit_log::Entity::find_by_id(entry_id)
            .one(self.conn())
            .await?
            .filter(|e| e.action == "delete" && e.customer_id == Some(customer_id))
            .ok_or(StoreError::NotFound("deleted record"))?
            .entity)
    }

    /// Brings a deleted contact back from the history entry of its
    /// deletion, once, as a new contact of the same customer, which must be
    /// `customer_id`: its fields and its stakeholder profile, and what the
    /// entry kept of its ties that can still be made (whom it reported to
    /// and who reported to it, its links with our people, its places in
    /// the meetings and interactions still there).
    pub async fn restore_contact(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        entry_id: i64,
    ) -> Result<contact::Model, StoreError> {
        use crate::entities::stakeholder;
        let txn = self.write_txn().await?;
        let d = deleted_entry_in(&txn, "contact", customer_id, entry_id).await?;
        let text = |k: &str| audit::kept_text(&d, k);
        let t = now();
        let c = contact::ActiveModel {
            customer_id: Set(customer_id),
            first_name: Set(text("first_name").unwrap_or_default()),
            last_name: Set(text("last_name").unwrap_or_default()),
            email: Set(text("email")),
            phone: Set(text("phone")),
            job_title: Set(text("job_title")),
            notes: Set(text("notes")),
            version: Set(1),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let profile = [
            "buying_role",
            "level",
            "function",
            "attitude",
            "influence",
            "next_action",
            "next_action_on",
            "reports_to_id",
        ]
        .iter()
        .any(|k| d.get(*k).is_some_and(|v| !v.is_null()));
        if profile {
            stakeholder::ActiveModel {
                contact_id: Set(c.id),
                customer_id: Set(customer_id),
                buying_role: Set(text("buying_role")),
                level: Set(text("level")),
                function: Set(text("function")),
                reports_to_id: Set(None),
                attitude: Set(text("attitude")),
                influence: Set(d.get("influence").and_then(serde_json::Value::as_i64)),
                next_action: Set(text("next_action")),
                next_action_on: Set(text("next_action_on")),
                version: Set(1),
                updated_by: Set(actor),
                updated_at: Set(t),
            }
            .insert(&txn)
            .await?;
        }
        let back = Ties::from_entry(&d)
            .restore(
                self,
                &txn,
                actor,
                customer_id,
                c.id,
                profile.then(|| d.get("reports_to_id").and_then(serde_json::Value::as_i64)),
            )
            .await?;
        let mut detail = contact_json(&c);
        detail["from_entry"] = json!(entry_id);
        detail["ties"] = back;
        audit::record(&txn, actor, "contact", c.id, "restore", detail).await?;
        txn.commit().await?;
        Ok(c)
    }
}

/// What ties a contact to others, kept when it is deleted to be made again
/// when it is restored.
#[derive(Debug, Default)]
struct Ties {
    /// Its links with our people, as the link's own fields.
    links: Vec<serde_json::Value>,
    interactions: Vec<i64>,
    meetings: Vec<i64>,
    /// The contacts who reported to it.
    reported_by: Vec<i64>,
}

impl Ties {
    async fn of(db: &impl ConnectionTrait, id: i64) -> Result<Self, StoreError> {
        use crate::entities::{
            interaction_participant as ip, meeting_participant as mp, relationship_link as rl,
            stakeholder as sh,
        };
        Ok(Self {
            links: rl::Entity::find()
                .filter(rl::Column::ContactId.eq(id))
                .order_by_asc(rl::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(|l| {
                    json!({"user_id": l.user_id, "colleague_id": l.colleague_id,
                           "owner_id": l.owner_id, "strength": l.strength,
                           "frequency": l.frequency, "notes": l.notes})
                })
                .collect(),
            interactions: ip::Entity::find()
                .filter(ip::Column::ContactId.eq(id))
                .all(db)
                .await?
                .into_iter()
                .map(|p| p.interaction_id)
                .collect(),
            meetings: mp::Entity::find()
                .filter(mp::Column::ContactId.eq(id))
                .all(db)
                .await?
                .into_iter()
                .map(|p| p.meeting_id)
                .collect(),
            reported_by: sh::Entity::find()
                .filter(sh::Column::ReportsToId.eq(id))
                .all(db)
                .await?
                .into_iter()
                .map(|s| s.contact_id)
                .collect(),
        })
    }

    fn keep_in(self, detail: &mut serde_json::Value) {
        detail["links"] = json!(self.links);
        detail["interactions"] = json!(self.interactions);
        detail["meetings"] = json!(self.meetings);
        detail["reported_by"] = json!(self.reported_by);
    }

    fn from_entry(d: &serde_json::Value) -> Self {
        let ids = |k: &str| audit::kept_ids(d, k);
        Self {
            links: d
                .get("links")
                .and_then(serde_json::Value::as_array)
                .cloned()
                .unwrap_or_default(),
            interactions: ids("interactions"),
            meetings: ids("meetings"),
            reported_by: ids("reported_by"),
        }
    }

    /// Makes again, for contact `id` of customer `customer_id` (restored
    /// from `d`, with a stakeholder profile when `profile`), the ties that
    /// still can be: whom it reported to and who reported to it (those who
    /// report to no one since, and no loop comes of it), its links with our
    /// people still there, its places in the customer's meetings and
    /// interactions still there. Answers how many of each came back.
    async fn restore(
        self,
        store: &Store,
        txn: &sea_orm::DatabaseTransaction,
        actor: Option<i64>,
        customer_id: i64,
        id: i64,
        profile: Option<Option<i64>>,
    ) -> Result<serde_json::Value, StoreError> {
        use crate::entities::{
            colleague, interaction, interaction_participant as ip, meeting,
            meeting_participant as mp, stakeholder as sh,
        };
        use sea_orm::ActiveModelTrait;
        let mut boss_of: HashMap<i64, Option<i64>> = sh::Entity::find()
            .filter(sh::Column::CustomerId.eq(customer_id))
            .all(txn)
            .await?
            .into_iter()
            .map(|s| (s.contact_id, s.reports_to_id))
            .collect();
        let mut reports = 0;
        if let Some(Some(boss)) = profile {
            let theirs = contact::Entity::find_by_id(boss)
                .one(txn)
                .await?
                .is_some_and(|b| b.customer_id == customer_id);
            if theirs && !clef_domain::relationships::reports_to_cycle(&boss_of, id, Some(boss)) {
                sh::Entity::update_many()
                    .col_expr(
                        sh::Column::ReportsToId,
                        sea_orm::sea_query::Expr::value(boss),
                    )
                    .filter(sh::Column::ContactId.eq(id))
                    .exec(txn)
                    .await?;
                boss_of.insert(id, Some(boss));
                reports += 1;
            }
        }
        for z in self.reported_by {
            if boss_of.get(&z) == Some(&None)
                && !clef_domain::relationships::reports_to_cycle(&boss_of, z, Some(id))
            {
                // A change to their profile: its version moves (an edit of
                // it from before is stale).
                sh::Entity::update_many()
                    .col_expr(sh::Column::ReportsToId, sea_orm::sea_query::Expr::value(id))
                    .col_expr(
                        sh::Column::Version,
                        sea_orm::sea_query::Expr::col(sh::Column::Version).add(1),
                    )
                    .filter(sh::Column::ContactId.eq(z))
                    .exec(txn)
                    .await?;
                boss_of.insert(z, Some(id));
                reports += 1;
            }
        }
        let mut links = 0;
        for l in &self.links {
            let int = |k: &str| l.get(k).and_then(serde_json::Value::as_i64);
            let who = match (int("user_id"), int("colleague_id")) {
                (Some(u), _) => user::Entity::find_by_id(u)
                    .one(txn)
                    .await?
                    .map(|u| crate::Who::User(u.id)),
                (None, Some(c)) => colleague::Entity::find_by_id(c)
                    .one(txn)
                    .await?
                    .map(|c| crate::Who::Colleague(c.id)),
                _ => None,
            };
            let frequency = l
                .get("frequency")
                .and_then(serde_json::Value::as_str)
                .and_then(|f| clef_domain::relationships::Frequency::parse("frequency", f).ok());
            let (Some(who), Some(strength), Some(frequency)) = (who, int("strength"), frequency)
            else {
                continue;
            };
            let owner_id = match int("owner_id") {
                Some(o) => user::Entity::find_by_id(o).one(txn).await?.map(|u| u.id),
                None => None,
            };
            let input = crate::LinkInput {
                contact_id: id,
                who,
                owner_id,
                strength,
                frequency,
                notes: l
                    .get("notes")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned),
            };
            store
                .insert_link(txn, actor, customer_id, &input, None)
                .await?;
            links += 1;
        }
        let interactions: Vec<i64> = interaction::Entity::find()
            .filter(interaction::Column::Id.is_in(self.interactions))
            .filter(interaction::Column::CustomerId.eq(customer_id))
            .all(txn)
            .await?
            .into_iter()
            .map(|i| i.id)
            .collect();
        for i in &interactions {
            ip::ActiveModel {
                interaction_id: sea_orm::ActiveValue::Set(*i),
                contact_id: sea_orm::ActiveValue::Set(Some(id)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        // The customer's own meetings, and the program's meetings it still
        // takes part in (only a participant company's people sit there).
        let company_in: Vec<i64> = mp::Entity::find()
            .filter(mp::Column::MeetingId.is_in(self.meetings.clone()))
            .filter(mp::Column::CustomerId.eq(customer_id))
            .all(txn)
            .await?
            .into_iter()
            .map(|p| p.meeting_id)
            .collect();
        let meetings: Vec<i64> = meeting::Entity::find()
            .filter(meeting::Column::Id.is_in(self.meetings))
            .all(txn)
            .await?
            .into_iter()
            .filter(|m| match m.customer_id {
                Some(k) => k == customer_id,
                None => company_in.contains(&m.id),
            })
            .map(|m| m.id)
            .collect();
        for m in &meetings {
            mp::ActiveModel {
                meeting_id: sea_orm::ActiveValue::Set(*m),
                contact_id: sea_orm::ActiveValue::Set(Some(id)),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        // A change to those meetings: their version moves (an edit of one
        // from before is stale, and would not drop the contact unsaid).
        meeting::Entity::update_many()
            .col_expr(
                meeting::Column::Version,
                sea_orm::sea_query::Expr::col(meeting::Column::Version).add(1),
            )
            .filter(meeting::Column::Id.is_in(meetings.clone()))
            .exec(txn)
            .await?;
        Ok(
            json!({"reports": reports, "links": links, "interactions": interactions.len(),
                  "meetings": meetings.len()}),
        )
    }
}

/// The records whose deletion a customer's history can undo.
pub const RESTORABLE: [&str; 7] = [
    "contact",
    "contract",
    "meeting",
    "plan_version",
    "interaction",
    "relationship_link",
    "account_team",
];

/// See [`Store::restored_deletions`].
pub(crate) async fn restored_in(
    db: &impl ConnectionTrait,
    customer_id: i64,
) -> Result<HashMap<i64, i64>, StoreError> {
    use crate::entities::audit_log;
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::CustomerId.eq(customer_id))
        .filter(
            Condition::any()
                .add(
                    audit_log::Column::Entity
                        .is_in(RESTORABLE)
                        .and(audit_log::Column::Action.eq("restore")),
                )
                // The customer itself came back as another one.
                .add(
                    audit_log::Column::Entity
                        .eq("customer")
                        .and(audit_log::Column::Action.eq("restored-as")),
                ),
        )
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.detail).ok()?;
            let record = if e.action == "restored-as" {
                d.get("customer")?.as_i64()?
            } else {
                e.entity_id
            };
            Some((d.get("from_entry")?.as_i64()?, record))
        })
        .collect())
}

/// The words for a kind of record a history restores, in its messages.
pub fn record_noun(entity: &str) -> &str {
    match entity {
        "relationship_link" => "link",
        "plan_version" => "plan draft",
        "account_team" => "team member",
        other => other,
    }
}

/// What history entry `entry_id` kept of a deleted `entity` of customer
/// `customer_id`, read in `txn` (a write transaction) to bring it back:
/// the customer is held meanwhile (two restores at once give one record on
/// PostgreSQL; SQLite writes one at a time), and an entry restored already
/// is refused.
pub(crate) async fn deleted_entry_in(
    txn: &sea_orm::DatabaseTransaction,
    entity: &'static str,
    customer_id: i64,
    entry_id: i64,
) -> Result<serde_json::Value, StoreError> {
    use crate::entities::audit_log;
    let missing = || {
        StoreError::NotFound(match entity {
            "contact" => "deleted contact",
            "contract" => "deleted contract",
            "meeting" => "deleted meeting",
            "plan_version" => "deleted plan draft",
            "interaction" => "deleted interaction",
            "relationship_link" => "deleted link",
            _ => "removed team member",
        })
    };
    let what = record_noun(entity);
    let entry = audit_log::Entity::find_by_id(entry_id)
        .one(txn)
        .await?
        .filter(|e| e.entity == entity && e.action == "delete")
        .ok_or_else(missing)?;
    let d: serde_json::Value = serde_json::from_str(&entry.detail).unwrap_or_default();
    if d.get("customer_id").and_then(serde_json::Value::as_i64) != Some(customer_id) {
        return Err(missing());
    }
    let Some(customer) = customer::Entity::find_by_id(customer_id)
        .lock_exclusive()
        .one(txn)
        .await?
    else {
        return Err(StoreError::Conflict(format!(
            "its customer was deleted too: the {what} cannot come back without it"
        )));
    };
    // Deleted before this customer was created: an earlier customer's,
    // whose id was given again (its history starts afresh).
    if entry.at < customer.created_at {
        return Err(missing());
    }
    if let Some(id) = restored_in(txn, customer_id).await?.get(&entry_id) {
        return Err(StoreError::Conflict(format!(
            "this {what} was restored already ({what} {id})"
        )));
    }
    Ok(d)
}

async fn contact_in(db: &impl ConnectionTrait, id: i64) -> Result<contact::Model, StoreError> {
    contact::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound("contact"))
}

pub(crate) fn contact_model(f: &ContactFields) -> contact::ActiveModel {
    contact::ActiveModel {
        first_name: Set(f.first_name.clone()),
        last_name: Set(f.last_name.clone()),
        email: Set(f.email.as_ref().map(|e| e.as_str().to_owned())),
        phone: Set(f.phone.clone()),
        job_title: Set(f.job_title.clone()),
        notes: Set(f.notes.clone()),
        ..Default::default()
    }
}

pub(crate) fn contact_json(m: &contact::Model) -> serde_json::Value {
    json!({"customer_id": m.customer_id, "first_name": m.first_name, "last_name": m.last_name,
           "email": m.email, "phone": m.phone, "job_title": m.job_title, "notes": m.notes, "version": m.version})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two edits at once that would put A under B and B under A: the second
    /// waits for the first to commit, then finds the loop; on SQLite and on
    /// PostgreSQL.
    #[tokio::test]
    async fn parents_changed_at_once_cannot_loop() {
        let backends = crate::test_db::backends("parents").await;
        let stores = backends.stores.clone();
        for (backend, store) in stores {
            let mut made = Vec::new();
            for name in ["A", "B"] {
                let input = clef_domain::CustomerInput {
                    name: name.to_owned(),
                    country: "FR".to_owned(),
                    ..Default::default()
                };
                made.push(
                    store
                        .create_customer(None, &input.parse().unwrap())
                        .await
                        .unwrap(),
                );
            }
            let (a, b) = (&made[0], &made[1]);
            // Another edit has put B under A and not committed yet.
            let other = store.write_txn().await.unwrap();
            store.lock_parents(&other).await.unwrap();
            other
                .execute_unprepared(&format!(
                    "UPDATE customers SET parent_id = {}, version = version + 1 WHERE id = {}",
                    a.id, b.id
                ))
                .await
                .unwrap();
            let a_under_b = clef_domain::CustomerInput {
                name: "A".to_owned(),
                country: "FR".to_owned(),
                parent_id: Some(b.id),
                ..Default::default()
            }
            .parse()
            .unwrap();
            let (s, id, version) = (store.clone(), a.id, a.version);
            let edit =
                tokio::spawn(async move { s.update_customer(None, id, version, &a_under_b).await });
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            assert!(
                !edit.is_finished(),
                "{backend}: the edit waits for the other"
            );
            other.commit().await.unwrap();
            let r = edit.await.unwrap();
            assert!(
                matches!(&r, Err(StoreError::Invalid(e)) if e.0.iter().any(|e| e.code == "parent-cycle")),
                "{backend}: {r:?}"
            );
            assert_eq!(
                store.customer(a.id).await.unwrap().parent_id,
                None,
                "{backend}"
            );
        }
        backends.end().await;
    }
}
