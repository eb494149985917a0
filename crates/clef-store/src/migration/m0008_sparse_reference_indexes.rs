//! The indexes on a customer's group, parent and sponsor hold only the
//! customers that have one: most have no parent and no sponsor, and many no
//! group. Every lookup by these columns names a value (`= ?`, `IN …`), which
//! both backends know excludes NULL, so they still use the indexes; an
//! import or a full rebuild no longer sorts an entry per customer into each.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each index: its name, its columns, the column that is often empty.
const INDEXES: [(&str, &str, &str); 3] = [
    ("idx_customers_group", "group_id, name_key", "group_id"),
    ("idx_customers_parent", "parent_id", "parent_id"),
    ("idx_customers_sponsor", "sponsor_id", "sponsor_id"),
];

async fn rebuild(m: &SchemaManager<'_>, partial: bool) -> Result<(), DbErr> {
    let mut sql = Vec::new();
    for (name, cols, sparse) in INDEXES {
        sql.push(format!("DROP INDEX IF EXISTS {name}"));
        let only = if partial {
            format!(" WHERE {sparse} IS NOT NULL")
        } else {
            String::new()
        };
        sql.push(format!("CREATE INDEX {name} ON customers ({cols}){only}"));
    }
    super::run(m, &sql).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        rebuild(m, true).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        rebuild(m, false).await
    }
}
