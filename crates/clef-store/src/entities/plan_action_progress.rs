use sea_orm::entity::prelude::*;

/// The follow-up of a plan action (its status), kept apart from the plan so
/// an approved version stays as it was approved.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_action_progress")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub plan_version_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub action_index: i64,
    pub status: String,
    pub updated_by: Option<i64>,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
