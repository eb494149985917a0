//! A snapshot is written in steps (its row, then its placements, then the
//! tiers with the history entry): it stays unfinished, and unseen, until
//! the last step commits, so that no one reads a snapshot whose tiers were
//! not given, and one left by a stopped instance can be found and removed.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "ALTER TABLE segmentation_snapshots ADD COLUMN complete BOOLEAN NOT NULL DEFAULT TRUE",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("ALTER TABLE segmentation_snapshots DROP COLUMN complete")
            .await?;
        Ok(())
    }
}
