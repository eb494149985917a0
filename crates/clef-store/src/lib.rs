//! Clef's persistence. One entity model and one migration set serve SQLite
//! (the embedded default) and PostgreSQL (for several Clef instances sharing
//! one database); the backend is chosen at run time from the database URL.
//!
//! ```no_run
//! # async fn demo() -> Result<(), clef_store::StoreError> {
//! let store = clef_store::Store::connect("sqlite://clef.db?mode=rwc").await?;
//! store.migrate().await?;
//! let n = store.count_customers().await?;
//! # Ok(()) }
//! ```

mod audit;
pub mod bulk;
mod contracts;
mod customers;
mod direct;
pub mod entities;
mod error;
mod figures;
pub mod import;
mod import_jobs;
mod migration;
mod plans;
mod reference;
mod relationships;
mod revenue;
mod rituals;
mod segmentations;
mod selection;
mod sign_in;
mod users;

pub use audit::{HISTORY_RECORDS, HistoryEntry, HistoryFilter};
pub use contracts::{ContractRow, RenewalFilter, RenewalSort};
pub use customers::{
    COUNT_CAP, CustomerFilter, CustomerSort, CustomerView, DependentKind, Dependents, OWNER_ROLES,
    RESTORABLE, record_noun,
};
pub use entities::{
    account_team_member, api_token, business_unit, calendar_feed, colleague, contact, contract,
    customer, customer_figures, customer_group, interaction, interaction_participant, meeting,
    meeting_action, meeting_format, meeting_participant, plan_action_progress, plan_version,
    program_setting, relationship_link, revenue_line, segment_placement, segmentation,
    segmentation_snapshot, selection_criterion, selection_event, selection_score, stakeholder,
    user,
};
pub use error::{Refusal, StoreError};
pub use figures::{FiguresState, PortfolioRow};
pub use import::{
    IMPORT_CHECK, IMPORT_FIGURES, IMPORT_READ, IMPORT_WRITE, ImportKind, ImportReport, Preview,
    RowError, customer_csv_row,
};
pub use import_jobs::ImportJobRow;
pub use plans::{MyAction, PlanRow, SearchHit};
pub use reference::{DELETED_GROUPS_SHOWN, DeletedGroup};
pub use relationships::{
    Allocation, ColleagueInput, DeletedColleague, InteractionInput, InteractionRow, LinkInput,
    LinkRow, Settings, SponsorRow, StakeholderImport, StakeholderRow, TeamInput, TeamRow, Who,
};
pub use rituals::{DeletedAction, FormatInput, MeetingInput, MeetingRow, Party};
pub use segmentations::{
    APPLY_PLACEMENTS, APPLY_TIERS, DELETED_SEGMENTATIONS_SHOWN, DeletedSegmentation,
};
pub use segmentations::{Comparison, Moved, NewPlacement, Placed};
pub use selection::{Candidate, CandidateQuery, CandidateSort, ManagerLoad, Proposal, ScoreInput};
pub use users::{NewUser, SESSION_SECONDS, UserChange, check_password};

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use std::time::Duration;

/// The database behind Clef.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    /// Portfolios up to this many customers are ranked again within each
    /// edit; larger ones right after it (see `figures`).
    rank_inline_max: u64,
    /// Whether a ranking is already on its way.
    ranking: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// How long a ranking waits for more edits before it starts.
    rank_delay: Duration,
}

/// How far a long piece of work has gone, read from another task while it
/// runs: its stage, and the items done out of the stage's total.
#[derive(Debug, Default)]
pub struct Progress {
    stage: std::sync::atomic::AtomicU8,
    done: std::sync::atomic::AtomicU64,
    total: std::sync::atomic::AtomicU64,
}

impl Progress {
    /// Starts stage `stage` (numbered by the work) of `total` items.
    pub fn start(&self, stage: u8, total: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        self.done.store(0, Relaxed);
        self.total.store(total, Relaxed);
        self.stage.store(stage, Relaxed);
    }

    pub fn add(&self, n: u64) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// (stage, done, total).
    pub fn get(&self) -> (u8, u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.stage.load(Relaxed),
            self.done.load(Relaxed),
            self.total.load(Relaxed),
        )
    }
}

/// A list's order as a query names it: one of `orders`' keys (ascending)
/// or that key after `-` (descending); answers the order and whether it is
/// descending.
pub fn parse_order<T: Copy>(raw: &str, orders: &[(&str, T)]) -> Option<(T, bool)> {
    let raw = raw.trim();
    let (key, descending) = match raw.strip_prefix('-') {
        Some(k) => (k, true),
        None => (raw, false),
    };
    orders
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, o)| (*o, descending))
}

/// The current time in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `url` with its password hidden, to be shown.
fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let auth = &url[s + 3..at];
            match auth.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// One connection to PostgreSQL first, so that a server that cannot be
/// reached is said at once, with the reason (the pool only says it timed
/// out, after half a minute).
async fn reach_postgres(url: &str) -> Result<(), StoreError> {
    use sea_orm::sqlx::Connection;
    let shown = without_password(url);
    match tokio::time::timeout(
        Duration::from_secs(10),
        sea_orm::sqlx::postgres::PgConnection::connect(url),
    )
    .await
    {
        Ok(Ok(c)) => {
            let _ = c.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(StoreError::Config(format!(
            "cannot connect to PostgreSQL at {shown}: {e}"
        ))),
        Err(_) => Err(StoreError::Config(format!(
            "no answer from PostgreSQL at {shown} within 10 s: check the host and port"
        ))),
    }
}

impl Store {
    /// Opens the database at `url`: `sqlite://path?mode=rwc` (the file is
    /// created if missing) or `postgres://user@host:port/db`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let sqlite = url.starts_with("sqlite:");
        if !sqlite && !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            return Err(StoreError::Config(format!(
                "unsupported database URL \"{url}\": use sqlite://FILE or postgres://USER@HOST/DB"
            )));
        }
        if !sqlite {
            reach_postgres(url).await?;
        }
        let mut opt = ConnectOptions::new(url.to_owned());
        opt.max_connections(if sqlite { 8 } else { 16 })
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30))
            .sqlx_logging(false);
        opt.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("cache_size", "-65536")
                .pragma("temp_store", "memory")
        });
        let db = Database::connect(opt).await?;
        Ok(Self {
            db,
            rank_inline_max: figures::RANK_INLINE_MAX,
            ranking: Default::default(),
            rank_delay: Duration::from_millis(200),
        })
    }

    /// The same store, ranking inline only portfolios of up to `n`
    /// customers, and waiting `delay` before a ranking in the background
    /// (tests make a small portfolio count as large, and give themselves
    /// time to see the ranks pending).
    #[cfg(test)]
    pub(crate) fn ranking_later(mut self, n: u64, delay: Duration) -> Self {
        self.rank_inline_max = n;
        self.rank_delay = delay;
        self
    }

    /// A transaction that writes. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), waiting for another writer as long as the busy
    /// timeout allows: a transaction that reads before it writes would
    /// otherwise fail at its first write whenever another connection wrote
    /// meanwhile (a ranking in the background, an import, another request).
    pub(crate) async fn write_txn(&self) -> Result<sea_orm::DatabaseTransaction, StoreError> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        Ok(self
            .db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?)
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        use sea_orm_migration::MigratorTrait;
        migration::Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// How many migrations this version of Clef would apply.
    pub async fn pending_migrations(&self) -> Result<usize, StoreError> {
        use sea_orm_migration::MigratorTrait;
        Ok(
            migration::Migrator::get_pending_migrations_read_only(&self.db)
                .await?
                .len(),
        )
    }

    /// Applies the next `steps` pending migrations only: for the tests of
    /// a migration, which need the schema as it was before it.
    #[doc(hidden)]
    pub async fn migrate_steps(&self, steps: u32) -> Result<(), StoreError> {
        use sea_orm_migration::MigratorTrait;
        migration::Migrator::up(&self.db, Some(steps)).await?;
        Ok(())
    }

    /// Refreshes the planner's statistics (quickly, from a sample on SQLite),
    /// so that filtered lists use the most selective index.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if self.is_sqlite() {
            // One batch, so one connection: the limit applies to the ANALYZE.
            self.db
                .execute_unprepared(
                    "PRAGMA analysis_limit = 1000; ANALYZE customers; ANALYZE customer_groups",
                )
                .await?;
        } else {
            self.db.execute_unprepared("ANALYZE customers").await?;
            self.db
                .execute_unprepared("ANALYZE customer_groups")
                .await?;
        }
        Ok(())
    }

    /// Whether the database answers with Clef's tables (a SQLite file
    /// replaced by an empty one does not).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db
            .execute_unprepared("SELECT 1 FROM seaql_migrations LIMIT 1")
            .await?;
        Ok(())
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    pub fn is_sqlite(&self) -> bool {
        self.backend() == DbBackend::Sqlite
    }

    /// Writes a consistent copy of a live SQLite database to `path`.
    pub async fn backup_sqlite(&self, path: &str) -> Result<(), StoreError> {
        if !self.is_sqlite() {
            return Err(StoreError::Config(
                "clef backup copies SQLite databases; back PostgreSQL up with pg_dump".into(),
            ));
        }
        if std::path::Path::new(path).exists() {
            return Err(StoreError::Config(format!(
                "{path} already exists; choose a new file"
            )));
        }
        let stmt = sea_orm::Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [path.into()],
        );
        self.db.execute_raw(stmt).await?;
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }

    /// `sql` with `?` placeholders, numbered on PostgreSQL.
    pub(crate) fn numbered(&self, sql: &str) -> String {
        if self.backend() != DbBackend::Postgres {
            return sql.to_owned();
        }
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// Databases for the tests of the store.
#[cfg(test)]
pub(crate) mod test_db {
    use crate::Store;
    use sea_orm::ConnectionTrait;

    /// A new PostgreSQL database with the migrations applied, when the
    /// tests have a server (`CLEF_TEST_POSTGRES_URL`), and its name.
    pub(crate) async fn pg_store(name: &str) -> Option<(Store, String)> {
        let url = std::env::var("CLEF_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let db = format!("clef_store_{name}_{}", std::process::id());
        on_server(
            &url,
            &[
                format!("DROP DATABASE IF EXISTS {db}"),
                format!("CREATE DATABASE {db}"),
            ],
        )
        .await;
        let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
        let store = Store::connect(&format!("{base}/{db}")).await.unwrap();
        store.migrate().await.unwrap();
        Some((store, db))
    }

    /// The stores a test runs on: a new SQLite file and, when the tests
    /// have a server, a new PostgreSQL database, both migrated.
    pub(crate) struct Backends {
        pub(crate) stores: Vec<(&'static str, Store)>,
        pg: Option<(Store, String)>,
        dir: std::path::PathBuf,
    }

    pub(crate) async fn backends(name: &str) -> Backends {
        let dir = std::env::temp_dir().join(format!("clef-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = Store::connect(&format!(
            "sqlite://{}?mode=rwc",
            dir.join("test.db").display()
        ))
        .await
        .unwrap();
        file.migrate().await.unwrap();
        let mut stores = vec![("sqlite", file)];
        let pg = pg_store(name).await;
        if let Some((s, _)) = &pg {
            stores.push(("postgres", s.clone()));
        }
        Backends { stores, pg, dir }
    }

    impl Backends {
        /// Removes the databases.
        pub(crate) async fn end(self) {
            if let Some((s, db)) = self.pg {
                drop_pg(s, &db).await;
            }
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// Closes `store` and removes its database.
    pub(crate) async fn drop_pg(store: Store, db: &str) {
        store.close().await.unwrap();
        let url = std::env::var("CLEF_TEST_POSTGRES_URL").unwrap();
        on_server(&url, &[format!("DROP DATABASE IF EXISTS {db}")]).await;
    }

    async fn on_server(url: &str, sql: &[String]) {
        let admin = Store::connect(url).await.unwrap();
        for s in sql {
            admin.conn().execute_unprepared(s).await.unwrap();
        }
        admin.close().await.unwrap();
    }
}

#[cfg(test)]
mod tests {
    /// A PostgreSQL server that cannot be reached is said at once, with the
    /// reason and without the password.
    #[tokio::test]
    async fn an_unreachable_postgres_is_said_with_its_reason() {
        let e = super::Store::connect("postgres://clef:secret@127.0.0.1:1/clef")
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("cannot connect to PostgreSQL at postgres://clef:***@127.0.0.1:1/clef"),
            "{e}"
        );
        assert!(!e.contains("secret"), "{e}");
    }
}
