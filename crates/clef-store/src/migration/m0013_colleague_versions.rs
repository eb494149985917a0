//! Colleagues can be corrected: each carries the version an edit was
//! read at, as every other record does.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &["ALTER TABLE colleagues ADD COLUMN version BIGINT NOT NULL DEFAULT 1".to_owned()],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &["ALTER TABLE colleagues DROP COLUMN version".to_owned()],
        )
        .await
    }
}
