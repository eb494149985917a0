//! Each entry of the audit trail names the customer it belongs to (the
//! customer itself, or the customer of a contact, contract, plan…), so a
//! customer's history is read through an index instead of a text match on
//! every entry. Entries written before are given theirs from their detail.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The customer of an entry: its id for a customer, else the
        // `customer_id` of the record written (after a change, or before
        // it, or the record itself).
        let of = |path: &str| {
            if m.get_database_backend() == DbBackend::Postgres {
                let path = path.replace('.', ",");
                format!("(detail::jsonb #>> '{{{path}}}')")
            } else {
                format!("json_extract(detail, '$.{path}')")
            }
        };
        let found = format!(
            "COALESCE({}, {}, {})",
            of("after.customer_id"),
            of("customer_id"),
            of("before.customer_id")
        );
        let number = if m.get_database_backend() == DbBackend::Postgres {
            // Only whole numbers: anything else in a detail stays unnamed.
            format!("CASE WHEN {found} ~ '^[0-9]{{1,18}}$' THEN ({found})::bigint END")
        } else {
            format!("CASE WHEN typeof({found}) = 'integer' THEN {found} END")
        };
        m.get_connection()
            .execute_unprepared(&format!(
                "ALTER TABLE audit_log ADD COLUMN customer_id BIGINT;
UPDATE audit_log SET customer_id = entity_id WHERE entity = 'customer' AND entity_id > 0;
UPDATE audit_log SET customer_id = {number}
  WHERE entity <> 'customer' AND detail LIKE '%\"customer_id\":%';
CREATE INDEX idx_audit_customer ON audit_log (customer_id, id) WHERE customer_id IS NOT NULL"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &[
                "DROP INDEX IF EXISTS idx_audit_customer".to_owned(),
                "ALTER TABLE audit_log DROP COLUMN customer_id".to_owned(),
            ],
        )
        .await
    }
}
