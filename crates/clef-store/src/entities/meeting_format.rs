use sea_orm::entity::prelude::*;

/// A meeting format: a template with its cadence, durations, participants and objectives.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_formats")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: String,
    pub name_en: String,
    pub name_fr: String,
    pub external: bool,
    pub scope: String,
    pub led_by: String,
    pub cadence_min: i64,
    pub cadence_max: i64,
    pub usual_minutes: i64,
    pub max_minutes: i64,
    pub participants: String,
    /// Objective keys, comma-separated.
    pub objectives: String,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
