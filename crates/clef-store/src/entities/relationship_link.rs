use sea_orm::entity::prelude::*;

/// A link between one of our people (a user or a colleague) and a customer contact.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "relationship_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    pub contact_id: i64,
    pub user_id: Option<i64>,
    pub colleague_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub strength: i64,
    pub frequency: String,
    pub notes: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
