//! The portfolio list's filter indexes also carry every other filter column,
//! so that counting the matches of several filters reads only the index.

use super::run;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The filter columns of the portfolio list.
const FILTERS: [&str; 6] = [
    "status",
    "tier",
    "country",
    "region",
    "business_unit_id",
    "owner_id",
];

fn name(col: &str) -> String {
    let short = match col {
        "business_unit_id" => "bu",
        "owner_id" => "owner",
        c => c,
    };
    format!("idx_customers_{short}")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut sql = Vec::new();
        for col in FILTERS {
            let others: Vec<&str> = FILTERS.iter().copied().filter(|c| *c != col).collect();
            sql.push(format!("DROP INDEX IF EXISTS {}", name(col)));
            sql.push(format!(
                "CREATE INDEX {} ON customers ({col}, name_key, id, {})",
                name(col),
                others.join(", ")
            ));
        }
        run(m, &sql).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut sql = Vec::new();
        for col in FILTERS {
            sql.push(format!("DROP INDEX IF EXISTS {}", name(col)));
            sql.push(format!(
                "CREATE INDEX {} ON customers ({col}, name_key)",
                name(col)
            ));
        }
        run(m, &sql).await
    }
}
