//! Revenue and customers written before their figures are computed are
//! counted, so that an instance stopped between the two leaves the figures
//! to compute at the next start (see `figures::Store::catch_up_figures`).

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "ALTER TABLE figures_state ADD COLUMN figures_due BIGINT NOT NULL DEFAULT 0",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("ALTER TABLE figures_state DROP COLUMN figures_due")
            .await?;
        Ok(())
    }
}
