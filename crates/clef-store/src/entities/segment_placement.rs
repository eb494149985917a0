use sea_orm::entity::prelude::*;

/// Where a customer landed in a snapshot.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "segment_placements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub snapshot_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: i64,
    pub abc: String,
    pub cell_row: i64,
    pub cell_col: i64,
    pub tier: String,
    pub attractiveness: f64,
    pub position: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
