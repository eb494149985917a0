//! What the API reads and writes. Money is in integer cents with a currency.

use clef_domain::{ContactInput, CustomerInput};
use clef_store::{CustomerView, contact, customer_group, user};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A customer to create or replace.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerIn {
    /// Legal name, 1–200 characters.
    #[schema(example = "Laiterie Normande SAS")]
    pub name: String,
    pub legal_id: Option<String>,
    pub group_id: Option<i64>,
    /// The parent legal entity (another customer).
    pub parent_id: Option<i64>,
    /// ISO 3166-1 alpha-2 code.
    #[schema(example = "FR")]
    pub country: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub business_unit_id: Option<i64>,
    pub industry: Option<String>,
    pub strategic_segment: Option<String>,
    pub owner_id: Option<i64>,
    /// customer, candidate, key_account or deselected (default customer).
    pub status: Option<String>,
    /// gold, silver or bronze (default bronze).
    pub tier: Option<String>,
    /// ISO 4217 code (default EUR).
    pub currency: Option<String>,
    /// Estimated potential (the customer's wallet), in cents.
    pub wallet_cents: Option<i64>,
    /// none, low, medium or high.
    pub threat: Option<String>,
    /// weak, average, strong or leader.
    pub competitive_position: Option<String>,
    /// 0–10.
    pub satisfaction: Option<i64>,
    pub notes: Option<String>,
    /// Required to replace: the version you read. A stale version answers 409.
    pub version: Option<i64>,
}

impl CustomerIn {
    pub fn input(&self) -> CustomerInput {
        CustomerInput {
            name: self.name.clone(),
            legal_id: self.legal_id.clone(),
            group_id: self.group_id,
            parent_id: self.parent_id,
            country: self.country.clone(),
            region: self.region.clone(),
            city: self.city.clone(),
            business_unit_id: self.business_unit_id,
            industry: self.industry.clone(),
            strategic_segment: self.strategic_segment.clone(),
            owner_id: self.owner_id,
            status: self.status.clone(),
            tier: self.tier.clone(),
            currency: self.currency.clone(),
            wallet_cents: self.wallet_cents,
            threat: self.threat.clone(),
            competitive_position: self.competitive_position.clone(),
            satisfaction: self.satisfaction,
            notes: self.notes.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ref {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOut {
    pub id: i64,
    pub name: String,
    pub legal_id: Option<String>,
    pub group: Option<GroupOut>,
    pub parent_id: Option<i64>,
    pub country: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub business_unit: Option<BusinessUnitOut>,
    pub industry: Option<String>,
    pub strategic_segment: Option<String>,
    pub owner: Option<Ref>,
    pub status: String,
    pub tier: String,
    pub currency: String,
    pub wallet_cents: Option<i64>,
    pub threat: Option<String>,
    pub competitive_position: Option<String>,
    pub satisfaction: Option<i64>,
    pub notes: Option<String>,
    pub sponsor_id: Option<i64>,
    /// Figures from the revenue lines (the last 12 months end at the last
    /// month with revenue).
    pub figures: Option<FiguresOut>,
    pub version: i64,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub updated_at: String,
}

/// A customer's portfolio figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresOut {
    pub revenue_12m_cents: i64,
    pub margin_12m_cents: i64,
    pub revenue_previous_12m_cents: i64,
    pub margin_previous_12m_cents: i64,
    /// Revenue growth over the previous 12 months (0.1 is +10 %).
    pub growth: Option<f64>,
    /// 3-year trend: the yearly slope of revenue over its 3-year mean.
    pub trend: Option<f64>,
    pub margin_rate: Option<f64>,
    /// Revenue over the estimated wallet.
    pub share_of_wallet: Option<f64>,
    /// 1 is the largest revenue.
    pub rank: i64,
    /// Share of total revenue made by this customer and all larger ones, 0–1.
    pub cumulative_share: f64,
    /// True while `rank` and `cumulative_share` are being computed again
    /// after an edit: in portfolios of more than 100,000 customers, they are
    /// computed right after the edit instead of within it.
    pub ranks_pending: bool,
}

impl FiguresOut {
    fn new(f: &clef_store::customer_figures::Model, ranks_pending: bool) -> Self {
        Self {
            ranks_pending,
            revenue_12m_cents: f.revenue_12,
            margin_12m_cents: f.margin_12,
            revenue_previous_12m_cents: f.revenue_prev_12,
            margin_previous_12m_cents: f.margin_prev_12,
            growth: f.growth,
            trend: f.trend,
            margin_rate: f.margin_rate,
            share_of_wallet: f.share_of_wallet,
            rank: f.revenue_rank,
            cumulative_share: f.cumulative_share,
        }
    }
}

impl From<CustomerView> for CustomerOut {
    fn from(v: CustomerView) -> Self {
        let c = v.customer;
        Self {
            id: c.id,
            name: c.name,
            legal_id: c.legal_id,
            group: v.group.map(GroupOut::from),
            parent_id: c.parent_id,
            country: c.country,
            region: c.region,
            city: c.city,
            business_unit: v.business_unit.map(BusinessUnitOut::from),
            industry: c.industry,
            strategic_segment: c.strategic_segment,
            owner: c
                .owner_id
                .zip(v.owner_name)
                .map(|(id, name)| Ref { id, name }),
            status: c.status,
            tier: c.tier,
            currency: c.currency,
            wallet_cents: c.wallet_cents,
            threat: c.threat,
            competitive_position: c.competitive_position,
            satisfaction: c.satisfaction,
            notes: c.notes,
            sponsor_id: c.sponsor_id,
            figures: v
                .figures
                .as_ref()
                .map(|f| FiguresOut::new(f, v.ranks_pending)),
            version: c.version,
            created_at: clef_domain::rfc3339(c.created_at),
            updated_at: clef_domain::rfc3339(c.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPage {
    pub items: Vec<CustomerOut>,
    pub page: u64,
    pub per_page: u64,
    /// The number of matches; a lower bound when `total_is_exact` is false
    /// (filtered lists stop counting at 10,000).
    pub total: u64,
    pub total_is_exact: bool,
    /// True when no customer's name, city or group name starts with `q`:
    /// the list then holds those with a word that starts with it.
    pub within_words: bool,
}

/// Filters, sort and page of the customer list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Matches the beginning of the name, the city or the group name (case
    /// and accents ignored), or the whole legal id (as typed, or without its
    /// spaces); when nothing does, in a portfolio of up to
    /// 100,000 customers, the beginning of any of their words (then
    /// `within_words` is true).
    pub q: Option<String>,
    pub status: Option<String>,
    pub tier: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub business_unit_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub group_id: Option<i64>,
    /// Only the direct subsidiaries of this customer.
    pub parent_id: Option<i64>,
    /// name, city, country, status, tier, updated_at, revenue (of the last
    /// 12 months), growth, margin_rate or share_of_wallet, in ascending
    /// order; prefix with - to reverse (`-revenue`: the largest first).
    pub sort: Option<String>,
    /// 1-based.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<u64>,
}

/// How a file is taken in.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check the file only: nothing is written; the answer lists the same
    /// problems, or, when there are none, `preview` says how many rows would
    /// replace a record and how many would add one.
    pub check_only: Option<bool>,
}

/// The version being deleted (optional; a stale version answers 409).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactIn {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub notes: Option<String>,
    /// Required to replace: the version you read.
    pub version: Option<i64>,
}

impl ContactIn {
    pub fn input(&self) -> ContactInput {
        ContactInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            job_title: self.job_title.clone(),
            notes: self.notes.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactOut {
    pub id: i64,
    pub customer_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
}

impl From<contact::Model> for ContactOut {
    fn from(c: contact::Model) -> Self {
        Self {
            id: c.id,
            customer_id: c.customer_id,
            first_name: c.first_name,
            last_name: c.last_name,
            email: c.email,
            phone: c.phone,
            job_title: c.job_title,
            notes: c.notes,
            version: c.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupOut {
    pub id: i64,
    pub name: String,
    /// national, regional or global.
    pub scope: String,
    pub country: Option<String>,
    /// Send it back to change the group.
    pub version: i64,
}

impl From<customer_group::Model> for GroupOut {
    fn from(g: customer_group::Model) -> Self {
        Self {
            id: g.id,
            name: g.name,
            scope: g.scope,
            country: g.country,
            version: g.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDetailOut {
    #[serde(flatten)]
    pub group: GroupOut,
    pub customer_count: u64,
    /// The first 100 customers of the group, by name.
    pub customers: Vec<Ref>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupIn {
    pub name: String,
    pub scope: String,
    pub country: Option<String>,
    /// Required to replace: the version you read.
    pub version: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessUnitOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Send it back to rename the business unit.
    pub version: i64,
}

impl From<clef_store::business_unit::Model> for BusinessUnitOut {
    fn from(b: clef_store::business_unit::Model) -> Self {
        Self {
            id: b.id,
            code: b.code,
            name: b.name,
            version: b.version,
        }
    }
}

/// A business unit's new name (its code stays: files to import name it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessUnitRename {
    pub name: String,
    /// The version you read (required: a stale one answers 409).
    #[schema(required = true)]
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessUnitIn {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevenueLineIn {
    pub customer_id: i64,
    pub business_unit_id: i64,
    /// The month, YYYY-MM.
    #[schema(example = "2026-03")]
    pub period: String,
    /// Revenue of the month, in cents: 0 to 999,999,999,999,999.
    #[schema(minimum = 0, maximum = 999_999_999_999_999_i64)]
    pub revenue_cents: i64,
    /// Margin of the month, in cents: at least -999,999,999,999,999 and at
    /// most the revenue.
    #[schema(minimum = -999_999_999_999_999_i64)]
    pub margin_cents: i64,
    /// ISO 4217 (default EUR); the customer's own currency.
    pub currency: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevenueBatchIn {
    /// At most 100,000 lines; all are written or none.
    pub lines: Vec<RevenueLineIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WrittenOut {
    pub written: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueLineOut {
    pub business_unit_id: i64,
    pub period: String,
    pub currency: String,
    pub revenue_cents: i64,
    pub margin_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YearOut {
    pub year: i32,
    pub business_unit_id: i64,
    pub currency: String,
    pub revenue_cents: i64,
    pub margin_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueOut {
    pub customer_id: i64,
    pub lines: Vec<RevenueLineOut>,
    pub by_year: Vec<YearOut>,
    /// Revenue of the last 12 months with data, in the customer's currency.
    pub trailing_12_months_cents: i64,
    /// trailing_12_months / wallet, when the wallet is known.
    pub share_of_wallet: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub title: Option<String>,
    pub locale: Option<String>,
    pub active: bool,
    /// Send it back to change the user.
    pub version: i64,
}

impl From<user::Model> for UserOut {
    fn from(u: user::Model) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            title: u.title,
            locale: u.locale,
            active: u.active,
            version: u.version,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserIn {
    pub email: String,
    pub name: String,
    /// admin, director, kam, account_manager, member, sponsor or viewer.
    pub role: String,
    /// For kam: key_account_manager, large_account_manager or global_account_manager.
    pub title: Option<String>,
    /// At least 10 characters.
    pub password: String,
    pub locale: Option<String>,
}

/// A change to a user: everything but the e-mail.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdateIn {
    pub name: String,
    /// admin, director, kam, account_manager, member, sponsor or viewer.
    pub role: String,
    /// For kam: key_account_manager, large_account_manager or global_account_manager.
    pub title: Option<String>,
    pub locale: Option<String>,
    /// False switches the user off (no sign-in, no token), true on again;
    /// unchanged when not sent.
    pub active: Option<bool>,
    /// A new password (at least 10 characters), when it is to change.
    pub password: Option<String>,
    /// The version you read.
    pub version: Option<i64>,
}
