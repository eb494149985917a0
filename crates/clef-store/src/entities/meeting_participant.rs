use sea_orm::entity::prelude::*;

/// Who takes part in a meeting: a user, a customer contact, or a customer company (advisory boards).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub user_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub customer_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
