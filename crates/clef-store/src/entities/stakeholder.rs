use sea_orm::entity::prelude::*;

/// A contact's place on the stakeholder map.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stakeholders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contact_id: i64,
    pub customer_id: i64,
    pub buying_role: Option<String>,
    pub level: Option<String>,
    pub function: Option<String>,
    pub reports_to_id: Option<i64>,
    pub attitude: Option<String>,
    pub influence: Option<i64>,
    pub next_action: Option<String>,
    pub next_action_on: Option<String>,
    pub version: i64,
    pub updated_by: Option<i64>,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
