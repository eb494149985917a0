use sea_orm::entity::prelude::*;

/// A dated result of applying a segmentation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "segmentation_snapshots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub segmentation_id: i64,
    pub applied_at: i64,
    pub applied_by: Option<i64>,
    pub name: String,
    pub scope_kind: String,
    pub scope_value: Option<String>,
    pub config: String,
    pub customers: i64,
    pub tiers_changed: i64,
    pub summary: String,
    /// Its last step committed: only complete snapshots are read.
    pub complete: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
