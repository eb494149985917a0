//! Contracts are found by the words of their title and reference: each
//! carries them as a search key (case and accents aside), written with it.

use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &["ALTER TABLE contracts ADD COLUMN search_key TEXT NOT NULL DEFAULT ''".to_owned()],
        )
        .await?;
        // The contracts already there get theirs.
        let db = m.get_connection();
        let backend = m.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, title, reference FROM contracts",
            ))
            .await?;
        for r in rows {
            let id: i64 = r.try_get_by_index(0)?;
            let title: String = r.try_get_by_index(1)?;
            let reference: Option<String> = r.try_get_by_index(2)?;
            let key = clef_domain::contract::search_text(&title, reference.as_deref());
            let update = Query::update()
                .table(Alias::new("contracts"))
                .value(Alias::new("search_key"), key)
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &["ALTER TABLE contracts DROP COLUMN search_key".to_owned()],
        )
        .await
    }
}
