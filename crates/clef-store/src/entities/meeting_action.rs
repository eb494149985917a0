use sea_orm::entity::prelude::*;

/// An action item decided in a meeting.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub title: String,
    pub owner_id: Option<i64>,
    pub due_on: Option<String>,
    pub status: String,
    pub plan_version_id: Option<i64>,
    pub plan_action_index: Option<i64>,
    pub version: i64,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
