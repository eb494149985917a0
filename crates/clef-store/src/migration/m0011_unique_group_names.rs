//! Two customer groups cannot share a name (imports name groups): the
//! index on their name key becomes unique. Groups named alike before are
//! told apart by their id first.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &[
                "UPDATE customer_groups SET name = name || ' (' || id || ')', \
                 name_key = name_key || ' (' || id || ')' \
                 WHERE id NOT IN (SELECT MIN(id) FROM customer_groups GROUP BY name_key)"
                    .to_owned(),
                "DROP INDEX IF EXISTS idx_groups_name".to_owned(),
                "CREATE UNIQUE INDEX idx_groups_name ON customer_groups (name_key)".to_owned(),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &[
                "DROP INDEX IF EXISTS idx_groups_name".to_owned(),
                "CREATE INDEX idx_groups_name ON customer_groups (name_key)".to_owned(),
            ],
        )
        .await
    }
}
