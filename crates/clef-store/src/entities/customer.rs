use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// `clef_domain::search_key(name)`: sorting and prefix search.
    pub name_key: String,
    pub legal_id: Option<String>,
    pub group_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub country: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub city_key: Option<String>,
    pub business_unit_id: Option<i64>,
    pub industry: Option<String>,
    pub strategic_segment: Option<String>,
    pub owner_id: Option<i64>,
    pub status: String,
    pub tier: String,
    pub currency: String,
    pub wallet_cents: Option<i64>,
    pub threat: Option<String>,
    pub competitive_position: Option<String>,
    pub satisfaction: Option<i64>,
    pub notes: Option<String>,
    pub sponsor_id: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
