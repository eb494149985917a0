use sea_orm::entity::prelude::*;

/// A step of the selection workflow: who, when, why.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "selection_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    pub decision: String,
    pub actor_id: Option<i64>,
    pub at: i64,
    pub reason: Option<String>,
    pub manager_id: Option<i64>,
    pub sponsor_id: Option<i64>,
    pub override_reason: Option<String>,
    pub score: Option<f64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
