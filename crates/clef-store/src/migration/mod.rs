//! The one migration set for both backends. Each migration lives in its own
//! file, named after the order it runs in.

use sea_orm_migration::prelude::*;

mod m0001_portfolio;
mod m0002_covering_filters;
mod m0003_segmentation;
mod m0004_plans;
mod m0005_relationships;
mod m0006_rituals;
mod m0007_figure_sort_keys;
mod m0008_sparse_reference_indexes;
mod m0009_pending_ranks;
mod m0010_contracts;
mod m0011_unique_group_names;
mod m0012_audit_customer;
mod m0013_colleague_versions;
mod m0014_city_key_empty;
mod m0015_import_jobs;
mod m0016_figures_due;
mod m0017_snapshot_complete;
mod m0018_sign_in_failures;
mod m0019_contract_search_key;
mod m0020_legal_id_index;

/// Runs the statements as one batch, so that they share one connection and
/// each sees the schema the previous one left (plain SQL that both backends
/// read the same way).
async fn run(m: &SchemaManager<'_>, sql: &[String]) -> Result<(), DbErr> {
    use sea_orm::ConnectionTrait;
    m.get_connection()
        .execute_unprepared(&sql.join(";\n"))
        .await?;
    Ok(())
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_portfolio::Migration),
            Box::new(m0002_covering_filters::Migration),
            Box::new(m0003_segmentation::Migration),
            Box::new(m0004_plans::Migration),
            Box::new(m0005_relationships::Migration),
            Box::new(m0006_rituals::Migration),
            Box::new(m0007_figure_sort_keys::Migration),
            Box::new(m0008_sparse_reference_indexes::Migration),
            Box::new(m0009_pending_ranks::Migration),
            Box::new(m0010_contracts::Migration),
            Box::new(m0011_unique_group_names::Migration),
            Box::new(m0012_audit_customer::Migration),
            Box::new(m0013_colleague_versions::Migration),
            Box::new(m0014_city_key_empty::Migration),
            Box::new(m0015_import_jobs::Migration),
            Box::new(m0016_figures_due::Migration),
            Box::new(m0017_snapshot_complete::Migration),
            Box::new(m0018_sign_in_failures::Migration),
            Box::new(m0019_contract_search_key::Migration),
            Box::new(m0020_legal_id_index::Migration),
        ]
    }
}
