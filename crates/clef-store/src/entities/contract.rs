use sea_orm::entity::prelude::*;

/// A customer's contract. Dates are `YYYY-MM-DD`; the yearly value is in
/// minor units of `currency`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    pub title: String,
    pub reference: Option<String>,
    pub starts_on: Option<String>,
    pub renews_on: String,
    /// Days before `renews_on` by which notice must be given.
    pub notice_days: Option<i64>,
    /// The last day to decide: `renews_on` less `notice_days`.
    pub decide_by: String,
    pub auto_renew: bool,
    pub annual_value_cents: Option<i64>,
    pub currency: String,
    pub notes: Option<String>,
    /// The words of the title and the reference, case and accents aside
    /// (`clef_domain::contract::search_text`).
    pub search_key: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
