//! The portfolio search finds a customer by its legal id (a company
//! number, a VAT number) as typed: an index holds the customers that have
//! one.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &["CREATE INDEX idx_customers_legal_id ON customers (legal_id) WHERE legal_id IS NOT NULL"
                .to_owned()],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(m, &["DROP INDEX idx_customers_legal_id".to_owned()]).await
    }
}
