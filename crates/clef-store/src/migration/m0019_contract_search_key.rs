//! Contracts are found by the words of their title and reference: each
//! carries them as a search key (case and accents aside), written with it.

use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// The column and the keys of the contracts already there come
    /// together, or not at all, on SQLite too.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &["ALTER TABLE contracts ADD COLUMN search_key TEXT NOT NULL DEFAULT ''".to_owned()],
        )
        .await?;
        fill_keys(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::run(
            m,
            &["ALTER TABLE contracts DROP COLUMN search_key".to_owned()],
        )
        .await
    }
}

/// Writes the search key of every contract from its title and reference.
pub(crate) async fn fill_keys(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use sea_orm::ConnectionTrait;

    /// Contracts stored before their key existed get it from their title
    /// and reference, on both backends.
    #[tokio::test]
    async fn contracts_already_there_get_their_search_key() {
        let backends = crate::test_db::backends("contract_keys").await;
        for (backend, store) in &backends.stores {
            let input = clef_domain::CustomerInput {
                name: "Verrerie".to_owned(),
                country: "FR".to_owned(),
                ..Default::default()
            };
            let c = store
                .create_customer(None, &input.parse().unwrap())
                .await
                .unwrap();
            let fields = clef_domain::contract::ContractInput {
                title: "Émaillage annuel".to_owned(),
                reference: Some("PO/2026".to_owned()),
                renews_on: "2027-01-31".to_owned(),
                ..Default::default()
            }
            .parse(clef_domain::Currency::EUR)
            .unwrap();
            let k = store.create_contract(None, c.id, &fields).await.unwrap();
            // As a contract of before the key.
            store
                .conn()
                .execute_unprepared("UPDATE contracts SET search_key = ''")
                .await
                .unwrap();
            super::fill_keys(store.conn()).await.unwrap();
            let after = store.contract(k.id).await.unwrap();
            assert_eq!(after.search_key, "emaillage annuel po/2026", "{backend}");
        }
        backends.end().await;
    }
}
