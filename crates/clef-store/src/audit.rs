//! The audit trail: every change to an account says who, when and what.

use crate::{StoreError, entities::audit_log, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

pub(crate) async fn record(
    db: &impl ConnectionTrait,
    user_id: Option<i64>,
    entity: &str,
    entity_id: i64,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), StoreError> {
    audit_log::ActiveModel {
        at: Set(now()),
        user_id: Set(user_id),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        action: Set(action.to_owned()),
        detail: Set(detail.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

impl crate::Store {
    /// The latest changes to one record, newest first.
    pub async fn history(
        &self,
        entity: &str,
        entity_id: i64,
        limit: u64,
    ) -> Result<Vec<audit_log::Model>, StoreError> {
        Ok(audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq(entity))
            .filter(audit_log::Column::EntityId.eq(entity_id))
            .order_by_desc(audit_log::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?)
    }
}
