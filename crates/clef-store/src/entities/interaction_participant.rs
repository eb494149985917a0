use sea_orm::entity::prelude::*;

/// Who took part in an interaction: a contact, a user or a colleague.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interaction_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub interaction_id: i64,
    pub contact_id: Option<i64>,
    pub user_id: Option<i64>,
    pub colleague_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
