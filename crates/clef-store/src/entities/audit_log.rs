use sea_orm::entity::prelude::*;

/// Who changed what and when. `detail` is JSON: the fields written, or the
/// whole record for a deletion, so nothing deleted is lost.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: i64,
    pub user_id: Option<i64>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub detail: String,
    /// The customer the entry belongs to, when it belongs to one.
    pub customer_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
