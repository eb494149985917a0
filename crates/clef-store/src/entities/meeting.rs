use sea_orm::entity::prelude::*;

/// A meeting: planned, held or cancelled; for one account, or for the program when customer_id is none.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub format_id: i64,
    pub customer_id: Option<i64>,
    /// Meetings planned together share the id of the first.
    pub series: Option<i64>,
    pub title: String,
    /// YYYY-MM-DD
    pub on_date: String,
    /// HH:MM, local time
    pub at_time: String,
    pub duration_minutes: i64,
    pub location: Option<String>,
    pub online: bool,
    pub primary_objective: String,
    /// Objective keys, comma-separated.
    pub secondary_objectives: String,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    pub decisions: Option<String>,
    pub status: String,
    pub organizer_id: Option<i64>,
    pub objective_met: Option<i64>,
    pub satisfaction: Option<i64>,
    pub evaluation_comment: Option<String>,
    pub evaluated_at: Option<i64>,
    pub version: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
