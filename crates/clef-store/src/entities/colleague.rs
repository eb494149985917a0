use sea_orm::entity::prelude::*;

/// One of our people who does not use Clef.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "colleagues")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub function: Option<String>,
    pub business_unit_id: Option<i64>,
    pub email: Option<String>,
    pub created_at: i64,
    /// Counts the edits: a change read at an older version is refused.
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
