use sea_orm::entity::prelude::*;

/// Each customer's figures over the last 12 months, the 12 before and the 12 before those, computed from its revenue lines.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_figures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: i64,
    pub revenue_12: i64,
    pub margin_12: i64,
    pub revenue_prev_12: i64,
    pub margin_prev_12: i64,
    pub revenue_y3: i64,
    pub growth: Option<f64>,
    pub trend: Option<f64>,
    pub margin_rate: Option<f64>,
    pub share_of_wallet: Option<f64>,
    pub revenue_rank: i64,
    pub cumulative_share: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::customer::Entity",
        from = "Column::CustomerId",
        to = "super::customer::Column::Id"
    )]
    Customer,
}

impl ActiveModelBehavior for ActiveModel {}
