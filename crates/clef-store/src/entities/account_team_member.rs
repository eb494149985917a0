use sea_orm::entity::prelude::*;

/// A member of an account team: a user or a colleague.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_team")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    pub user_id: Option<i64>,
    pub colleague_id: Option<i64>,
    pub function: String,
    pub dedicated: bool,
    pub share_pct: i64,
    pub version: i64,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
