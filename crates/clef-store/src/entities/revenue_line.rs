use sea_orm::entity::prelude::*;

/// One month of revenue and margin of a customer in a business unit.
/// `period` is the integer `YYYYMM`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revenue_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub business_unit_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: i64,
    pub currency: String,
    pub revenue_cents: i64,
    pub margin_cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
