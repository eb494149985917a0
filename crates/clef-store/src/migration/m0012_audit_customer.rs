//! Each entry of the audit trail names the customer it belongs to (the
//! customer itself, or the customer of a contact, contract, plan…), so a
//! customer's history is read through an index instead of a text match on
//! every entry. Entries written before are given theirs from their detail,
//! read as the trail reads it when it writes one (an entry whose detail
//! cannot be read stays without a customer).

use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Entries read and updated at a time.
const BATCH: i64 = 1000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = m.get_database_backend();
        db.execute_unprepared(
            "ALTER TABLE audit_log ADD COLUMN customer_id BIGINT;
UPDATE audit_log SET customer_id = entity_id WHERE entity = 'customer' AND entity_id > 0",
        )
        .await?;
        let (p1, p2) = if backend == sea_orm::DbBackend::Postgres {
            ("$1", "$2")
        } else {
            ("?", "?")
        };
        let select = format!(
            "SELECT id, detail FROM audit_log
             WHERE id > {p1} AND entity <> 'customer' AND detail LIKE '%\"customer_id\":%'
             ORDER BY id LIMIT {p2}"
        );
        let mut after = 0i64;
        loop {
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    backend,
                    &select,
                    [after.into(), BATCH.into()],
                ))
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("", "id")?;
            // Entry → customer, written as one statement per batch.
            let mut found: Vec<(i64, i64)> = Vec::new();
            for r in &rows {
                let id: i64 = r.try_get("", "id")?;
                let detail: String = r.try_get("", "detail")?;
                if let Some(c) = serde_json::from_str(&detail)
                    .ok()
                    .and_then(|v| crate::audit::customer_of(&v))
                {
                    found.push((id, c));
                }
            }
            if !found.is_empty() {
                let cases: Vec<String> = found
                    .iter()
                    .map(|(id, c)| format!("WHEN {id} THEN {c}"))
                    .collect();
                let ids: Vec<String> = found.iter().map(|(id, _)| id.to_string()).collect();
                db.execute_unprepared(&format!(
                    "UPDATE audit_log SET customer_id = CASE id {} END WHERE id IN ({})",
                    cases.join(" "),
                    ids.join(", ")
                ))
                .await?;
            }
        }
        db.execute_unprepared(
            "CREATE INDEX idx_audit_customer ON audit_log (customer_id, id) WHERE customer_id IS NOT NULL",
        )
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
