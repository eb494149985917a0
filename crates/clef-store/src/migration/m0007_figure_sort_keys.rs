//! The portfolio list sorts by growth, margin rate and share of wallet
//! through integer sort keys stored beside the ratios (see
//! `figures::ratio_key`): SQLite builds an index on an integer about three
//! times faster than one on a ratio, and every computation of all the
//! figures builds these indexes again.

use crate::figures::{RATIO_KEYS, ratio_key_sql};
use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let mut sql = Vec::new();
        let mut sets = Vec::new();
        for (ratio, key, index) in RATIO_KEYS {
            sql.push(format!("DROP INDEX IF EXISTS {index}"));
            sql.push(format!(
                "ALTER TABLE customer_figures ADD COLUMN {key} BIGINT NOT NULL DEFAULT -9223372036854775808"
            ));
            sets.push(format!("{key} = {}", ratio_key_sql(backend, ratio)));
        }
        sql.push(format!("UPDATE customer_figures SET {}", sets.join(", ")));
        for (_, key, index) in RATIO_KEYS {
            sql.push(format!(
                "CREATE INDEX {index} ON customer_figures ({key}, customer_id)"
            ));
        }
        db.execute_unprepared(&sql.join(";\n")).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut sql = Vec::new();
        for (ratio, key, index) in RATIO_KEYS {
            sql.push(format!("DROP INDEX IF EXISTS {index}"));
            sql.push(format!("ALTER TABLE customer_figures DROP COLUMN {key}"));
            sql.push(format!(
                "CREATE INDEX {index} ON customer_figures ({ratio}, customer_id)"
            ));
        }
        m.get_connection()
            .execute_unprepared(&sql.join(";\n"))
            .await?;
        Ok(())
    }
}
