use sea_orm::entity::prelude::*;

/// One version of a key account plan: draft, submitted, approved or archived.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    /// 1, 2, … per customer.
    pub number: i64,
    /// The first year of the plan.
    pub year: i64,
    pub status: String,
    /// The plan itself (clef_domain::plan::PlanContent as JSON).
    pub content: String,
    /// The version this one started from.
    pub based_on: Option<i64>,
    /// Why the version went back to draft.
    pub note: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_by: Option<i64>,
    pub updated_at: i64,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<i64>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<i64>,
    pub archived_at: Option<i64>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
