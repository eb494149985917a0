//! A customer without a city sorts first by city on both backends: its city
//! key is empty rather than NULL (SQLite puts NULLs first, PostgreSQL last).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &["UPDATE customers SET city_key = '' WHERE city_key IS NULL".to_owned()],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &["UPDATE customers SET city_key = NULL WHERE city_key = ''".to_owned()],
        )
        .await
    }
}
