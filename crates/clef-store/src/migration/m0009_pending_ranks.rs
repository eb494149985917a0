//! In a large portfolio, a single edit no longer ranks every customer again
//! in its own transaction: it marks the ranks as pending, and they are
//! computed again right after (see `figures::Store::ranks_changed`).

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "ALTER TABLE figures_state ADD COLUMN ranks_pending BIGINT NOT NULL DEFAULT 0",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("ALTER TABLE figures_state DROP COLUMN ranks_pending")
            .await?;
        Ok(())
    }
}
