//! Failed sign-ins, kept in the database: every instance sharing it counts
//! the same failures, so a password guesser gains nothing by spreading its
//! tries over several instances, and a restart does not reset the count.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &[
                "CREATE TABLE sign_in_failures (
  email TEXT NOT NULL,
  place TEXT NOT NULL,
  failed_at BIGINT NOT NULL
)"
                .into(),
                "CREATE INDEX idx_sign_in_failures_email ON sign_in_failures (email, failed_at)"
                    .into(),
                "CREATE INDEX idx_sign_in_failures_at ON sign_in_failures (failed_at)".into(),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP TABLE sign_in_failures")
            .await?;
        Ok(())
    }
}
