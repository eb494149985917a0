//! Portfolio figures: each customer's revenue and margin over the last 12
//! months and the 12 before, growth, 3-year trend, margin rate, share of
//! wallet, rank and cumulative share of total revenue. They are computed in
//! the database from the revenue lines, and kept current after every import
//! or edit that changes them.

use crate::{Store, StoreError, entities::customer_figures, now};
use clef_domain::{Period, ServiceTier, segmentation::FrameRow};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};

/// When the figures were computed, and over which months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiguresState {
    /// The last month with revenue: the end of the 12-month window.
    pub as_of: Option<Period>,
    pub refreshed_at: i64,
    /// Grows by one at every change to figures or to what segmentation reads.
    pub generation: i64,
    /// The ranks and cumulative shares are being computed again after an
    /// edit (in portfolios of more than [`RANK_INLINE_MAX`] customers).
    pub ranks_pending: bool,
    /// Writes of revenue or customers whose figures are not computed yet.
    pub figures_due: i64,
}

/// Portfolios of up to this many customers are ranked again inside each
/// edit's transaction (a few tenths of a second at most). In larger ones, an
/// edit that moves a revenue or removes a customer marks the ranks pending
/// and they are computed right after it, once for a burst of edits: ranking
/// a million customers takes seconds, and every cumulative share changes
/// with the total.
pub(crate) const RANK_INLINE_MAX: u64 = 100_000;

/// `figures_state.ranks_pending`: nothing to do, to do, being done.
const RANKS_CURRENT: i64 = 0;
const RANKS_TO_DO: i64 = 1;
const RANKS_UNDER_WAY: i64 = 2;

/// A customer as segmentation and the program pages read it.
#[derive(Debug, Clone, Default)]
pub struct PortfolioRow {
    pub row: FrameRow,
    pub name: String,
    pub country: String,
    pub region: Option<String>,
    pub business_unit_id: Option<i64>,
    pub owner_id: Option<i64>,
}

/// The ratio figures the portfolio list sorts by, each with the integer
/// column it sorts by and that column's index.
pub(crate) const RATIO_KEYS: [(&str, &str, &str); 3] = [
    ("growth", "growth_key", "idx_figures_growth"),
    ("margin_rate", "margin_rate_key", "idx_figures_margin_rate"),
    ("share_of_wallet", "sow_key", "idx_figures_sow"),
];

/// The sort key of a ratio: the ratio to nine decimals, truncated, unknown
/// ones first. It orders as the ratio does (ratios closer than a billionth
/// count as equal), and an index whose first column is an integer builds
/// about three times faster in SQLite, whose sorter compares such keys
/// directly: every computation of all the figures builds these indexes again.
pub(crate) fn ratio_key(x: Option<f64>) -> i64 {
    // `as` truncates toward zero and saturates, as SQLite's CAST does.
    x.map_or(i64::MIN, |x| (x * 1e9) as i64)
}

/// [`ratio_key`] in SQL.
pub(crate) fn ratio_key_sql(backend: DbBackend, x: &str) -> String {
    if backend == DbBackend::Postgres {
        // PostgreSQL rounds a cast and refuses one out of range, and its
        // GREATEST and LEAST pass over NULL: truncate and bound explicitly.
        format!(
            "CASE WHEN {x} IS NULL THEN {UNKNOWN_KEY}
                  ELSE CAST(GREATEST(LEAST(TRUNC({x} * 1e9), 9.2e18), -9.2e18) AS BIGINT) END"
        )
    } else {
        format!("COALESCE(CAST({x} * 1e9 AS BIGINT), {UNKNOWN_KEY})")
    }
}

const THREATS: [&str; 4] = ["none", "low", "medium", "high"];
const POSITIONS: [&str; 4] = ["weak", "average", "strong", "leader"];

fn windows(as_of: Period) -> [i64; 4] {
    let p = |n: i32| i64::from(as_of.add_months(n).yyyymm());
    // Starts of the last 12 months, of the 12 before, of the 12 before those; the end.
    [p(-11), p(-23), p(-35), p(0)]
}

/// Each customer's wallet and sums of revenue and margin over the last 12
/// months, the 12 before, and revenue of the 12 before those:
/// (customer_id, wallet, r12, m12, rp, mp, r3). `lines` and `customers`
/// narrow the revenue lines and the customers (`AND …`, `WHERE …`).
fn sums_sql(as_of: Option<Period>, lines: &str, customers: &str) -> String {
    let [w12, w24, w36, end] = as_of.map_or([0, 0, 0, -1], windows);
    format!(
        "SELECT c.id AS customer_id, c.wallet_cents AS wallet, r.r12, r.m12, r.rp, r.mp, r.r3
         FROM customers c LEFT JOIN (
            SELECT customer_id,
              SUM(CASE WHEN period >= {w12} THEN revenue_cents ELSE 0 END) AS r12,
              SUM(CASE WHEN period >= {w12} THEN margin_cents ELSE 0 END) AS m12,
              SUM(CASE WHEN period >= {w24} AND period < {w12} THEN revenue_cents ELSE 0 END) AS rp,
              SUM(CASE WHEN period >= {w24} AND period < {w12} THEN margin_cents ELSE 0 END) AS mp,
              SUM(CASE WHEN period < {w24} THEN revenue_cents ELSE 0 END) AS r3
            FROM revenue_lines WHERE +period >= {w36} AND +period <= {end} {lines}
            GROUP BY customer_id
         ) r ON r.customer_id = c.id {customers}"
    )
}

/// The INSERT of the figures of new customers (`which`: a condition on
/// `c`, the customers), who have no revenue yet: every figure zero or
/// unknown, a share of wallet of zero when the wallet is known, rank
/// `rank`, cumulative share `share`. New customers rank after everyone with
/// revenue of zero or more (their ids are larger; ties go by id) and before
/// those with less; their cumulative share is 1 once anyone has revenue.
/// The same as the full computation gives.
pub(crate) fn new_figures_sql(which: &str, rank: &str, share: &str) -> String {
    format!(
        "INSERT INTO customer_figures (customer_id, revenue_12, margin_12, revenue_prev_12,
            margin_prev_12, revenue_y3, share_of_wallet, revenue_rank, cumulative_share, sow_key)
         SELECT c.id, 0, 0, 0, 0, 0, CASE WHEN c.wallet_cents > 0 THEN 0.0 END, {rank}, {share},
            CASE WHEN c.wallet_cents > 0 THEN 0 ELSE {UNKNOWN_KEY} END
         FROM customers c WHERE {which} ORDER BY c.id"
    )
}

/// [`ratio_key`] of an unknown ratio, in SQL that both backends read.
const UNKNOWN_KEY: &str = "-9223372036854775807 - 1";

/// The columns of `customer_figures` that [`insert_from`] fills before the sort keys.
const FIGURE_COLUMNS: [&str; 12] = [
    "customer_id",
    "revenue_12",
    "margin_12",
    "revenue_prev_12",
    "margin_prev_12",
    "revenue_y3",
    "growth",
    "trend",
    "margin_rate",
    "share_of_wallet",
    "revenue_rank",
    "cumulative_share",
];

/// The INSERT of the figures computed from `source` (rows of [`sums_sql`]),
/// ranked among themselves.
fn insert_from(backend: DbBackend, source: &str) -> String {
    let keys = RATIO_KEYS
        .iter()
        .map(|(_, k, _)| *k)
        .collect::<Vec<_>>()
        .join(", ");
    let key_values = ["x.growth", "x.margin_rate", "x.sow"]
        .iter()
        .map(|x| ratio_key_sql(backend, x))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO customer_figures ({}, {keys})
         SELECT x.customer_id, x.revenue_12, x.m12, x.rp, x.mp, x.r3, x.growth, x.trend, x.margin_rate, x.sow,
            ROW_NUMBER() OVER (ORDER BY x.revenue_12 DESC, x.customer_id),
            COALESCE(SUM(CASE WHEN x.revenue_12 > 0 THEN CAST(x.revenue_12 AS DOUBLE PRECISION) ELSE 0 END)
                     OVER (ORDER BY x.revenue_12 DESC, x.customer_id ROWS UNBOUNDED PRECEDING) * 1.0
                     / NULLIF(SUM(CASE WHEN x.revenue_12 > 0 THEN CAST(x.revenue_12 AS DOUBLE PRECISION) ELSE 0 END) OVER (), 0), 0),
            {key_values}
         FROM (SELECT r.customer_id, COALESCE(r.r12, 0) AS revenue_12, COALESCE(r.m12, 0) AS m12,
            COALESCE(r.rp, 0) AS rp, COALESCE(r.mp, 0) AS mp, COALESCE(r.r3, 0) AS r3,
            CASE WHEN r.rp > 0 THEN (r.r12 - r.rp) * 1.0 / r.rp END AS growth,
            CASE WHEN r.r3 > 0 AND r.rp > 0 AND r.r12 > 0
                 THEN (r.r12 - r.r3) * 1.5 / (r.r12 + r.rp + r.r3) END AS trend,
            CASE WHEN r.r12 > 0 THEN r.m12 * 1.0 / r.r12 END AS margin_rate,
            CASE WHEN r.wallet > 0 THEN COALESCE(r.r12, 0) * 1.0 / r.wallet END AS sow
         FROM ({source}) r) x",
        FIGURE_COLUMNS.join(", ")
    )
}

/// The INSERT that computes the figures of every customer (or of those in
/// `ids`, ranked among themselves: [`rank_sql`] ranks them among all).
pub(crate) fn insert_sql(
    backend: DbBackend,
    as_of: Option<Period>,
    ids: Option<&[i64]>,
) -> Statement {
    let (lines, customers) = match ids {
        Some(ids) => {
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            (
                format!("AND customer_id IN ({list})"),
                format!("WHERE c.id IN ({list})"),
            )
        }
        None => (String::new(), String::new()),
    };
    Statement::from_string(
        backend,
        insert_from(backend, &sums_sql(as_of, &lines, &customers)),
    )
}

/// The last month with revenue: one index seek per business unit, not a
/// scan of every line.
pub(crate) const LAST_PERIOD: &str =
    "SELECT MAX((SELECT MAX(period) FROM revenue_lines r WHERE r.business_unit_id = b.id))
     FROM business_units b";

/// The rank by revenue and the cumulative share of every customer, as
/// (customer_id, rk, cs) rows.
const RANKS: &str = "SELECT customer_id,
         ROW_NUMBER() OVER (ORDER BY revenue_12 DESC, customer_id) AS rk,
         COALESCE(SUM(CASE WHEN revenue_12 > 0 THEN CAST(revenue_12 AS DOUBLE PRECISION) ELSE 0 END)
                  OVER (ORDER BY revenue_12 DESC, customer_id ROWS UNBOUNDED PRECEDING) * 1.0
                  / NULLIF(SUM(CASE WHEN revenue_12 > 0 THEN CAST(revenue_12 AS DOUBLE PRECISION) ELSE 0 END) OVER (), 0), 0) AS cs
       FROM customer_figures";

/// Ranks every customer by revenue again, writing only the rows that change.
pub(crate) fn rank_sql(backend: DbBackend) -> String {
    if backend == DbBackend::Sqlite {
        // A keyed temporary table: SQLite joins the update to it by primary key.
        format!(
            "DROP TABLE IF EXISTS temp.figure_ranks;
             CREATE TEMP TABLE figure_ranks (customer_id INTEGER PRIMARY KEY, rk INTEGER NOT NULL, cs REAL NOT NULL);
             INSERT INTO figure_ranks {RANKS};
             UPDATE customer_figures SET revenue_rank = r.rk, cumulative_share = r.cs FROM figure_ranks r
              WHERE r.customer_id = customer_figures.customer_id
                AND (customer_figures.revenue_rank <> r.rk OR customer_figures.cumulative_share <> r.cs);
             DROP TABLE temp.figure_ranks"
        )
    } else {
        format!(
            "UPDATE customer_figures SET revenue_rank = r.rk, cumulative_share = r.cs FROM ({RANKS}) r
              WHERE r.customer_id = customer_figures.customer_id
                AND (customer_figures.revenue_rank <> r.rk OR customer_figures.cumulative_share <> r.cs)"
        )
    }
}

impl Store {
    /// The last month that has revenue.
    async fn last_period(&self, db: &impl ConnectionTrait) -> Result<Option<Period>, StoreError> {
        let row = db
            .query_one_raw(Statement::from_string(self.backend(), LAST_PERIOD))
            .await?;
        let v: Option<i64> = match row {
            Some(r) => r.try_get_by_index(0)?,
            None => None,
        };
        Ok(v.and_then(|v| Period::from_yyyymm(i32::try_from(v).ok()?)))
    }

    pub async fn figures_state(&self) -> Result<FiguresState, StoreError> {
        self.state_in(self.conn()).await
    }

    async fn state_in(&self, db: &impl ConnectionTrait) -> Result<FiguresState, StoreError> {
        let row = db
            .query_one_raw(Statement::from_string(
                self.backend(),
                "SELECT as_of, refreshed_at, generation, ranks_pending, figures_due FROM figures_state WHERE id = 1",
            ))
            .await?;
        let Some(r) = row else {
            return Ok(FiguresState {
                as_of: None,
                refreshed_at: 0,
                generation: 0,
                ranks_pending: false,
                figures_due: 0,
            });
        };
        let as_of: Option<i64> = r.try_get_by_index(0)?;
        let pending: i64 = r.try_get_by_index(3)?;
        Ok(FiguresState {
            as_of: as_of.and_then(|v| Period::from_yyyymm(i32::try_from(v).ok()?)),
            refreshed_at: r.try_get_by_index(1)?,
            generation: r.try_get_by_index(2)?,
            ranks_pending: pending != RANKS_CURRENT,
            figures_due: r.try_get_by_index(4)?,
        })
    }

    async fn set_state(
        &self,
        db: &impl ConnectionTrait,
        as_of: Option<Option<Period>>,
    ) -> Result<(), StoreError> {
        let sql = match as_of {
            Some(p) => format!(
                "UPDATE figures_state SET as_of = {}, refreshed_at = {}, generation = generation + 1,
                   ranks_pending = {RANKS_CURRENT} WHERE id = 1",
                p.map_or("NULL".to_owned(), |p| p.yyyymm().to_string()),
                now()
            ),
            None => "UPDATE figures_state SET generation = generation + 1 WHERE id = 1".to_owned(),
        };
        db.execute_unprepared(&sql).await?;
        Ok(())
    }

    /// Counts a write of revenue or customers whose figures follow it, until
    /// [`Store::figures_paid`]: an instance stopped between the two leaves
    /// the figures to compute at the next start ([`Store::catch_up_figures`]).
    pub(crate) async fn figures_owed(&self) -> Result<(), StoreError> {
        self.conn()
            .execute_unprepared(
                "UPDATE figures_state SET figures_due = figures_due + 1 WHERE id = 1",
            )
            .await?;
        Ok(())
    }

    /// The figures of a write counted by [`Store::figures_owed`] are computed.
    pub(crate) async fn figures_paid(&self) -> Result<(), StoreError> {
        self.conn()
            .execute_unprepared(
                "UPDATE figures_state SET figures_due = figures_due - 1 WHERE id = 1 AND figures_due > 0",
            )
            .await?;
        Ok(())
    }

    /// At start: computes the portfolio figures when they never were, or
    /// when revenue or customers were written without them (an instance
    /// stopped between the two). Answers whether it computed them.
    pub async fn catch_up_figures(&self) -> Result<bool, StoreError> {
        let state = self.figures_state().await?;
        let never = state.refreshed_at == 0 && self.count_customers().await? > 0;
        if !never && state.figures_due == 0 {
            return Ok(false);
        }
        self.refresh_figures().await?;
        // What was due when it started is paid; writes counted since (by
        // another instance) stay due.
        self.conn()
            .execute_unprepared(&format!(
                "UPDATE figures_state SET figures_due = CASE WHEN figures_due > {due} THEN figures_due - {due} ELSE 0 END WHERE id = 1",
                due = state.figures_due
            ))
            .await?;
        Ok(true)
    }

    /// Says that what segmentation reads has changed (a customer's
    /// attributes), so that cached portfolios are loaded again.
    pub async fn touch_figures(&self) -> Result<(), StoreError> {
        self.set_state(self.conn(), None).await
    }

    pub(crate) async fn touch_figures_in(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<(), StoreError> {
        self.set_state(db, None).await
    }

    /// On PostgreSQL, makes the transaction of `db` the only one writing
    /// many customers' figures until it ends (a ranking, a computation of
    /// some or all of them): two of them would lock the same rows in
    /// different orders. SQLite has one writer at a time anyway.
    pub(crate) async fn lock_figures(&self, db: &impl ConnectionTrait) -> Result<(), StoreError> {
        if !self.is_sqlite() {
            db.execute_unprepared("SELECT pg_advisory_xact_lock(1668048230)")
                .await?;
        }
        Ok(())
    }

    /// After revenues moved or a customer left, in `db`'s transaction: ranks
    /// every customer again there when the portfolio is small; otherwise
    /// marks the ranks pending and answers true, and the caller calls
    /// [`Store::rank_soon`] once its transaction is committed.
    pub(crate) async fn ranks_changed(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<bool, StoreError> {
        let large = db
            .query_one_raw(Statement::from_string(
                self.backend(),
                format!(
                    "SELECT 1 FROM customer_figures LIMIT 1 OFFSET {}",
                    self.rank_inline_max
                ),
            ))
            .await?
            .is_some();
        if large {
            db.execute_unprepared(&format!(
                "UPDATE figures_state SET ranks_pending = {RANKS_TO_DO} WHERE id = 1"
            ))
            .await?;
        } else {
            db.execute_unprepared(&rank_sql(self.backend())).await?;
        }
        Ok(large)
    }

    /// Ranks every customer again in the background, soon: edits made
    /// before it starts share one ranking.
    pub fn rank_soon(&self) {
        use std::sync::atomic::Ordering;
        if self.ranking.swap(true, Ordering::AcqRel) {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(store.rank_delay).await;
            store.ranking.store(false, Ordering::Release);
            if let Err(e) = store.rank_pending().await {
                tracing::warn!(error = %e, "the ranks could not be computed again");
            }
        });
    }

    /// Ranks every customer again if the ranks are pending (to do, or left
    /// under way by a process that stopped), and answers whether it did. The
    /// work is claimed first, so that an edit made while it runs marks the
    /// ranks pending again and gets a ranking of its own. Two rankings run
    /// one after the other (SQLite's write lock, PostgreSQL's figures lock),
    /// the second seeing what the first wrote.
    async fn rank_pending(&self) -> Result<bool, StoreError> {
        let claimed = self
            .conn()
            .execute_unprepared(&format!(
                "UPDATE figures_state SET ranks_pending = {RANKS_UNDER_WAY}
                 WHERE id = 1 AND ranks_pending <> {RANKS_CURRENT}"
            ))
            .await?
            .rows_affected()
            == 1;
        if !claimed {
            return Ok(false);
        }
        let t0 = std::time::Instant::now();
        // Done, unless an edit came meanwhile: then it is to do again.
        let done = format!(
            "UPDATE figures_state SET ranks_pending = {RANKS_CURRENT}
             WHERE id = 1 AND ranks_pending = {RANKS_UNDER_WAY}"
        );
        let ranked = async {
            if let Some(path) = self.sqlite_file().await? {
                tokio::task::spawn_blocking(move || crate::direct::rank_all(&path, &done))
                    .await
                    .map_err(|e| StoreError::Config(format!("the ranking stopped: {e}")))??;
            } else {
                let txn = self.write_txn().await?;
                // After a ranking under way elsewhere, and seeing what it wrote.
                self.lock_figures(&txn).await?;
                txn.execute_unprepared(&rank_sql(self.backend())).await?;
                txn.execute_unprepared(&done).await?;
                txn.commit().await?;
            }
            Ok::<_, StoreError>(())
        }
        .await;
        if let Err(e) = ranked {
            // Left to do: the next edit or the next start tries again.
            let _ = self
                .conn()
                .execute_unprepared(&format!(
                    "UPDATE figures_state SET ranks_pending = {RANKS_TO_DO} WHERE id = 1"
                ))
                .await;
            return Err(e);
        }
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "ranks computed again");
        Ok(true)
    }

    /// Computes the figures of every customer again, written in one transaction.
    pub async fn refresh_figures(&self) -> Result<FiguresState, StoreError> {
        let t0 = std::time::Instant::now();
        if let Some(path) = self.sqlite_file().await? {
            let as_of = self.last_period(self.conn()).await?;
            let stamp = now();
            tokio::task::spawn_blocking(move || crate::direct::refresh_figures(path, as_of, stamp))
                .await
                .map_err(|e| StoreError::Config(format!("the figures stopped: {e}")))??;
        } else {
            let txn = self.write_txn().await?;
            self.lock_figures(&txn).await?;
            let as_of = self.last_period(&txn).await?;
            txn.execute_unprepared("DELETE FROM customer_figures")
                .await?;
            txn.execute_raw(insert_sql(self.backend(), as_of, None))
                .await?;
            self.set_state(&txn, Some(as_of)).await?;
            txn.commit().await?;
            self.conn()
                .execute_unprepared("ANALYZE customer_figures")
                .await?;
        }
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "figures computed");
        self.figures_state().await
    }

    /// The file of a SQLite database (none for PostgreSQL or a database in
    /// memory), for the work done on direct connections.
    pub(crate) async fn sqlite_file(&self) -> Result<Option<std::path::PathBuf>, StoreError> {
        if !self.is_sqlite() {
            return Ok(None);
        }
        let rows = self
            .conn()
            .query_all_raw(Statement::from_string(
                self.backend(),
                "PRAGMA database_list",
            ))
            .await?;
        for r in rows {
            let name: String = r.try_get_by_index(1)?;
            let file: Option<String> = r.try_get_by_index(2)?;
            if name == "main" {
                return Ok(file.filter(|f| !f.is_empty()).map(Into::into));
            }
        }
        Ok(None)
    }

    /// Computes again the figures of the customers in `ids` and everyone's
    /// rank. Falls back to a full refresh when the last month has changed.
    pub async fn refresh_figures_for(&self, ids: &[i64]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        // Each customer's figures are replaced, but for its rank and
        // cumulative share: [`Store::ranks_changed`] computes everyone's (or,
        // in a large portfolio, marks them pending: the old ones stay shown
        // until then).
        let keep = ["revenue_rank", "cumulative_share", "customer_id"];
        let sets = FIGURE_COLUMNS
            .iter()
            .chain(RATIO_KEYS.iter().map(|(_, k, _)| k))
            .filter(|c| !keep.contains(c))
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let txn = self.write_txn().await?;
        self.lock_figures(&txn).await?;
        // Read under the lock: a computation that ran meanwhile may have
        // moved the last month.
        let state = self.state_in(&txn).await?;
        if self.last_period(&txn).await? != state.as_of || ids.len() > 10_000 {
            txn.rollback().await?;
            self.refresh_figures().await?;
            return Ok(());
        }
        for chunk in ids.chunks(1000) {
            let insert = insert_sql(self.backend(), state.as_of, Some(chunk));
            txn.execute_unprepared(&format!(
                "{} WHERE true ON CONFLICT (customer_id) DO UPDATE SET {sets}",
                insert.sql
            ))
            .await?;
        }
        let later = self.ranks_changed(&txn).await?;
        self.set_state(&txn, None).await?;
        txn.commit().await?;
        if later {
            self.rank_soon();
        }
        Ok(())
    }

    /// Adds the figures of a new customer (see [`new_figures_sql`]).
    pub(crate) async fn add_empty_figures(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
    ) -> Result<(), StoreError> {
        db.execute_unprepared(
            "UPDATE customer_figures SET revenue_rank = revenue_rank + 1 WHERE revenue_12 < 0",
        )
        .await?;
        db.execute_unprepared(&new_figures_sql(
            &format!("c.id = {id}"),
            "(SELECT COUNT(*) FROM customer_figures WHERE revenue_12 >= 0) + 1",
            "CASE WHEN EXISTS (SELECT 1 FROM customer_figures WHERE revenue_12 > 0) THEN 1.0 ELSE 0.0 END",
        ))
        .await?;
        self.set_state(db, None).await
    }

    /// The share of wallet of one customer again, after its wallet changed.
    pub(crate) async fn wallet_changed(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE customer_figures SET share_of_wallet =
               (SELECT CASE WHEN c.wallet_cents > 0 THEN customer_figures.revenue_12 * 1.0 / c.wallet_cents END
                FROM customers c WHERE c.id = customer_figures.customer_id)
             WHERE customer_id = {id}"
        );
        db.execute_unprepared(&sql).await?;
        let key = ratio_key_sql(self.backend(), "share_of_wallet");
        db.execute_unprepared(&format!(
            "UPDATE customer_figures SET sow_key = {key} WHERE customer_id = {id}"
        ))
        .await?;
        Ok(())
    }

    /// The figures of one customer.
    pub async fn figures_of(&self, id: i64) -> Result<Option<customer_figures::Model>, StoreError> {
        Ok(customer_figures::Entity::find_by_id(id)
            .one(self.conn())
            .await?)
    }

    /// Every customer with its figures, by id: what segmentation reads.
    /// SQLite reads ranges of ids in parallel on direct connections;
    /// PostgreSQL in batches.
    pub async fn portfolio_rows(&self) -> Result<Vec<PortfolioRow>, StoreError> {
        if let Some(path) = self.sqlite_file().await? {
            let t0 = std::time::Instant::now();
            let rows = tokio::task::spawn_blocking(move || read_portfolio(&path))
                .await
                .map_err(|e| StoreError::Config(format!("the portfolio read stopped: {e}")))?;
            tracing::debug!(ms = t0.elapsed().as_millis() as u64, "portfolio read");
            return rows;
        }
        let mut out = Vec::new();
        let mut after = i64::MIN + 1;
        loop {
            let rows = self
                .conn()
                .query_all_raw(Statement::from_string(
                    self.backend(),
                    format!("{} LIMIT 50000", portfolio_sql(after, i64::MAX)),
                ))
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get_by_index(0)?;
            for r in &rows {
                out.push(portfolio_row((
                    r.try_get_by_index(0)?,
                    r.try_get_by_index(1)?,
                    r.try_get_by_index(2)?,
                    r.try_get_by_index(3)?,
                    r.try_get_by_index(4)?,
                    r.try_get_by_index(5)?,
                    r.try_get_by_index::<i32>(6)
                        .map(i64::from)
                        .or_else(|_| r.try_get_by_index(6))?,
                    r.try_get_by_index(7)?,
                    r.try_get_by_index(8)?,
                    r.try_get_by_index(9)?,
                    r.try_get_by_index(10)?,
                    r.try_get_by_index(11)?,
                    r.try_get_by_index(12)?,
                    r.try_get_by_index(13)?,
                )));
            }
        }
        Ok(out)
    }
}

/// A row of [`portfolio_sql`].
type Row = (
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<f64>,
    Option<f64>,
);

/// The customers with `after < id <= last` and their figures, by id. The
/// choices come as one number of three digits (tier, threat, position; 9
/// when unset).
fn portfolio_sql(after: i64, last: i64) -> String {
    let code = |col: &str, all: &[&str]| {
        let arms: String = all
            .iter()
            .enumerate()
            .map(|(k, v)| format!(" WHEN '{v}' THEN {k}"))
            .collect();
        format!("(CASE {col}{arms} ELSE 9 END)")
    };
    let codes = format!(
        "{} * 100 + {} * 10 + {}",
        code("c.tier", &["gold", "silver", "bronze"]),
        code("c.threat", &THREATS),
        code("c.competitive_position", &POSITIONS),
    );
    format!(
        "SELECT c.id, c.name, c.country, c.region, c.business_unit_id, c.owner_id, {codes},
                c.strategic_segment, c.satisfaction, c.wallet_cents,
                f.revenue_12, f.margin_12, f.growth, f.trend
         FROM customers c LEFT JOIN customer_figures f ON f.customer_id = c.id
         WHERE c.id > {after} AND c.id <= {last} ORDER BY c.id"
    )
}

fn portfolio_row(r: Row) -> PortfolioRow {
    let (
        id,
        name,
        country,
        region,
        bu,
        owner,
        codes,
        segment,
        satisfaction,
        wallet,
        revenue,
        margin,
        growth,
        trend,
    ) = r;
    let digit = |k: i64| {
        let d = (codes / k) % 10;
        (d != 9).then_some(d as u8)
    };
    PortfolioRow {
        row: FrameRow {
            id,
            revenue: revenue.unwrap_or(0),
            margin: margin.unwrap_or(0),
            wallet,
            growth,
            trend,
            threat: digit(10),
            position: digit(1),
            segment,
            satisfaction: satisfaction.and_then(|s| u8::try_from(s).ok()),
            tier: digit(100).and_then(|t| ServiceTier::ALL.get(usize::from(t)).copied()),
        },
        name,
        country,
        region,
        business_unit_id: bu,
        owner_id: owner,
    }
}

/// Every customer of a SQLite database, ranges of ids read in parallel.
fn read_portfolio(path: &std::path::Path) -> Result<Vec<PortfolioRow>, StoreError> {
    use crate::direct;
    let (lo, hi): (Option<i64>, Option<i64>) = direct::open(path, false)?.query_row(
        "SELECT (SELECT MIN(id) FROM customers), (SELECT MAX(id) FROM customers)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(Vec::new());
    };
    let parts = direct::in_parallel(path, &direct::split(lo, hi, direct::parts()), |c, a, b| {
        let mut st = c.prepare(&portfolio_sql(a - 1, b))?;
        let mut rows = st.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(portfolio_row((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
            )));
        }
        Ok(out)
    })?;
    Ok(parts.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Every row of `customer_figures`, with the sort keys, by customer.
    async fn all_figures(store: &Store) -> Vec<Vec<String>> {
        let rows = store
            .conn()
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT customer_id, revenue_12, margin_12, revenue_prev_12, margin_prev_12, revenue_y3,
                        quote(growth), quote(trend), quote(margin_rate), quote(share_of_wallet),
                        revenue_rank, quote(cumulative_share), growth_key, margin_rate_key, sow_key
                 FROM customer_figures ORDER BY customer_id",
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| {
                (0..15)
                    .map(|k| {
                        r.try_get_by_index::<i64>(k)
                            .map(|v| v.to_string())
                            .or_else(|_| r.try_get_by_index::<String>(k))
                            .unwrap()
                    })
                    .collect()
            })
            .collect()
    }

    /// A SQLite database of 60 customers with 40 months of revenue: wallets
    /// unknown, zero or set; ties in revenue; no revenue at all; negative
    /// months (credit notes); revenue that starts late, stops early; two
    /// business units.
    async fn sample(name: &str) -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("clef-figures-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f.db");
        let _ = std::fs::remove_file(&file);
        let store = Store::connect(&format!("sqlite://{}?mode=rwc", file.display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        fill(&store).await;
        (store, dir)
    }

    /// The sample's business units, customers and revenue lines (SQL that
    /// both backends read).
    async fn fill(store: &Store) {
        let mut sql =
            String::from("INSERT INTO business_units (code, name) VALUES ('A', 'A'), ('B', 'B');");
        // 60 customers: wallets unknown, zero or set; ties in revenue; no
        // revenue at all; negative months (credit notes); revenue that
        // starts late, stops early; two business units.
        for i in 1..=60i64 {
            let wallet = match i % 4 {
                0 => "NULL".to_owned(),
                1 => "0".to_owned(),
                _ => (i * 1_234_567).to_string(),
            };
            sql.push_str(&format!(
                "INSERT INTO customers (name, name_key, country, status, tier, currency, wallet_cents, created_at, updated_at)
                 VALUES ('C{i}', 'c{i}', 'FR', 'active', 'bronze', 'EUR', {wallet}, 0, 0);"
            ));
            if i % 7 == 0 {
                continue;
            }
            for m in 0..40i64 {
                if (i % 5 == 0 && m < 20) || (i % 6 == 0 && m > 30) {
                    continue;
                }
                let period = (2023 + m / 12) * 100 + m % 12 + 1;
                for (bu, k) in [(1, 1), (2, 3)] {
                    let rev = if i % 9 == 0 {
                        50_000
                    } else {
                        (i * 7919 * k + m * 104_729) % 900_000 - 60_000
                    };
                    sql.push_str(&format!(
                        "INSERT INTO revenue_lines (customer_id, business_unit_id, period, currency, revenue_cents, margin_cents)
                         VALUES ({i}, {bu}, {period}, 'EUR', {rev}, {});",
                        rev / 3 - i
                    ));
                }
            }
        }
        store.conn().execute_unprepared(&sql).await.unwrap();
    }

    /// The sample in a new PostgreSQL database, when the tests have a
    /// server (`CLEF_TEST_POSTGRES_URL`), and that database's name.
    async fn pg_sample(name: &str) -> Option<(Store, String)> {
        let (store, db) = crate::test_db::pg_store(&format!("figures_{name}")).await?;
        fill(&store).await;
        Some((store, db))
    }

    /// Rank and cumulative share of every customer, by customer (both backends).
    async fn ranks_of(store: &Store) -> Vec<(i64, i64, f64)> {
        store
            .conn()
            .query_all_raw(Statement::from_string(
                store.backend(),
                "SELECT customer_id, revenue_rank, cumulative_share FROM customer_figures ORDER BY customer_id",
            ))
            .await
            .unwrap()
            .iter()
            .map(rank_row)
            .collect()
    }

    /// Customer, rank and cumulative share of a row that starts with them.
    fn rank_row(r: &sea_orm::QueryResult) -> (i64, i64, f64) {
        (
            r.try_get_by_index(0).unwrap(),
            r.try_get_by_index(1).unwrap(),
            r.try_get_by_index(2).unwrap(),
        )
    }

    /// Every figure as the SQL computes it now (what PostgreSQL runs, and
    /// SQLite for a few customers at a time).
    async fn by_sql(store: &Store) -> Vec<Vec<String>> {
        let as_of = store.last_period(store.conn()).await.unwrap();
        let txn = store.write_txn().await.unwrap();
        txn.execute_unprepared("DELETE FROM customer_figures")
            .await
            .unwrap();
        txn.execute_raw(insert_sql(DbBackend::Sqlite, as_of, None))
            .await
            .unwrap();
        txn.commit().await.unwrap();
        all_figures(store).await
    }

    /// The figures computed on direct connections (SQLite) are those the
    /// SQL computes (PostgreSQL, and a few customers at a time), to the bit.
    #[tokio::test]
    async fn direct_figures_equal_the_sql_ones() {
        let (store, dir) = sample("equal").await;
        let state = store.refresh_figures().await.unwrap();
        assert_eq!(state.as_of, Period::from_yyyymm(202_604));
        let direct = all_figures(&store).await;
        assert_eq!(direct.len(), 60);
        assert_eq!(direct, by_sql(&store).await);
        store.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Customers added by an import into a SQLite file get their figures in
    /// the same transaction, without computing everyone's again: the same
    /// figures as the full computation, including the ranks of customers
    /// whose revenue is below zero, which move down.
    #[tokio::test]
    async fn imported_new_customers_get_the_figures_a_full_computation_gives() {
        let (store, dir) = sample("imported").await;
        // A customer with only credit notes: revenue below zero.
        store
            .conn()
            .execute_unprepared(
                "INSERT INTO customers (name, name_key, country, status, tier, currency, created_at, updated_at)
                 VALUES ('C61', 'c61', 'FR', 'active', 'bronze', 'EUR', 0, 0);
                 INSERT INTO revenue_lines (customer_id, business_unit_id, period, currency, revenue_cents, margin_cents)
                 VALUES (61, 1, 202603, 'EUR', -5000, -100)",
            )
            .await
            .unwrap();
        store.refresh_figures().await.unwrap();
        // Customers created one by one (one with a wallet) rank last among
        // those with revenue of zero or more; the last is deleted again, so
        // the ids of the import below do not follow the largest id.
        for (name, wallet) in [("C62", Some(500_000)), ("C63", None)] {
            let input = clef_domain::CustomerInput {
                name: name.to_owned(),
                country: "FR".to_owned(),
                wallet_cents: wallet,
                ..Default::default()
            };
            store
                .create_customer(None, &input.parse().unwrap())
                .await
                .unwrap();
        }
        assert_eq!(all_figures(&store).await, by_sql(&store).await);
        store.delete_customer(None, 63, None).await.unwrap();
        let generation = store.figures_state().await.unwrap().generation;
        let header = crate::import::CUSTOMER_COLUMNS.join(",");
        let csv = format!(
            "{header}\n,New A,,,,FR,,,,,,,customer,silver,EUR,,,,,\n\
             ,New B,,,,FR,,,,,,,customer,silver,EUR,0,,,,\n\
             ,New C,,,,FR,,,,,,,customer,silver,EUR,1500.00,,,,\n"
        );
        let report = store
            .import_csv(None, crate::ImportKind::Customers, csv.as_bytes())
            .await
            .unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.written, 3);
        assert!(store.figures_state().await.unwrap().generation > generation);
        let added = all_figures(&store).await;
        assert_eq!(added.len(), 65);
        // C62 ranks 61; the three imported customers (ids 64 to 66) 62 to
        // 64; the one below zero last.
        let ranks: Vec<(&str, &str)> = added[60..]
            .iter()
            .map(|r| (r[0].as_str(), r[10].as_str()))
            .collect();
        assert_eq!(
            ranks,
            [
                ("61", "65"),
                ("62", "61"),
                ("64", "62"),
                ("65", "63"),
                ("66", "64")
            ]
        );
        assert_eq!(added, by_sql(&store).await);
        store.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Waits (at most 20 s) until no ranking is pending.
    async fn ranks_settled(store: &Store) {
        for _ in 0..200 {
            if !store.figures_state().await.unwrap().ranks_pending {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the ranks stayed pending");
    }

    /// In a portfolio counted as large, recording revenue and removing a
    /// customer write their own figures at once and leave the ranks pending;
    /// they are computed right after, to the figures a full computation
    /// gives.
    #[tokio::test]
    async fn in_a_large_portfolio_ranks_follow_right_after_an_edit() {
        let (store, dir) = sample("pending").await;
        store.refresh_figures().await.unwrap();
        let store = store.ranking_later(10, std::time::Duration::from_secs(2));
        let before = all_figures(&store).await;
        let last_month = Period::from_yyyymm(202_604).unwrap();
        let line = clef_domain::RevenueLine {
            customer_id: clef_domain::CustomerId(7),
            business_unit_id: clef_domain::BusinessUnitId(1),
            period: last_month,
            currency: clef_domain::Currency::parse("currency", "EUR").unwrap(),
            revenue_cents: 900_000_000,
            margin_cents: 1000,
        };
        store.upsert_revenue(None, &[line]).await.unwrap();
        let state = store.figures_state().await.unwrap();
        // Customer 7 (no revenue before) has its revenue at once.
        let now = all_figures(&store).await;
        assert_eq!(now[6][1], "900000000");
        assert!(state.ranks_pending);
        assert_eq!(now[6][10], before[6][10], "its rank follows");
        ranks_settled(&store).await;
        let ranked = all_figures(&store).await;
        assert_eq!(ranked[6][10], "1", "customer 7 now ranks first");
        assert_eq!(ranked, by_sql(&store).await);
        // The largest customer leaves: everyone moves up.
        store.delete_customer(None, 7, None).await.unwrap();
        ranks_settled(&store).await;
        let left = all_figures(&store).await;
        assert_eq!(left.len(), 59);
        assert!(left.iter().any(|r| r[10] == "1"));
        assert_eq!(left, by_sql(&store).await);
        store.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Revenue written by an instance that stopped before computing its
    /// figures (the write counted, its figures never computed): the next
    /// start computes them, once.
    #[tokio::test]
    async fn revenue_written_without_its_figures_gets_them_at_the_next_start() {
        let (store, dir) = sample("catch_up").await;
        store.refresh_figures().await.unwrap();
        assert!(!store.catch_up_figures().await.unwrap(), "nothing due");
        let line = clef_domain::RevenueLine {
            customer_id: clef_domain::CustomerId(7),
            business_unit_id: clef_domain::BusinessUnitId(1),
            period: Period::from_yyyymm(202_604).unwrap(),
            currency: clef_domain::Currency::parse("currency", "EUR").unwrap(),
            revenue_cents: 900_000_000,
            margin_cents: 1000,
        };
        store.upsert_revenue(None, &[line]).await.unwrap();
        assert_eq!(store.figures_state().await.unwrap().figures_due, 0);
        // Stopped between the write and its figures.
        store.figures_owed().await.unwrap();
        let before = all_figures(&store).await;
        store
            .conn()
            .execute_unprepared(
                "UPDATE revenue_lines SET revenue_cents = revenue_cents + 800000000
                 WHERE customer_id = 8 AND period = 202604",
            )
            .await
            .unwrap();
        assert_eq!(all_figures(&store).await, before, "not computed yet");
        assert_ne!(before, by_sql(&store).await);
        assert!(store.catch_up_figures().await.unwrap());
        assert_eq!(all_figures(&store).await, by_sql(&store).await);
        assert_eq!(store.figures_state().await.unwrap().figures_due, 0);
        assert!(!store.catch_up_figures().await.unwrap(), "computed once");
        store.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An edit made while another connection writes (here: holds the write
    /// lock, writes, and commits 300 ms later, as a ranking in the
    /// background does) waits for it and succeeds: it takes the write lock
    /// before it reads, so what it read cannot go stale.
    #[tokio::test]
    async fn an_edit_during_another_write_waits_for_it() {
        let (store, dir) = sample("waits").await;
        store.refresh_figures().await.unwrap();
        let path = store.sqlite_file().await.unwrap().unwrap();
        let mut other = crate::direct::open(&path, true).unwrap();
        let tx = other
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        tx.execute_batch("UPDATE figures_state SET generation = generation + 1 WHERE id = 1")
            .unwrap();
        let deleting = tokio::spawn({
            let store = store.clone();
            async move { store.delete_customer(None, 5, None).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!deleting.is_finished(), "the delete waits for the lock");
        tx.commit().unwrap();
        deleting.await.unwrap().unwrap();
        assert_eq!(all_figures(&store).await.len(), 59);
        assert_eq!(all_figures(&store).await, by_sql(&store).await);
        store.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The same on PostgreSQL (when the tests have a server): the ranks
    /// computed in the background are those a full computation gives.
    #[tokio::test]
    async fn in_a_large_portfolio_on_postgres_ranks_follow_right_after_an_edit() {
        let Some((store, db)) = pg_sample("pending").await else {
            return;
        };
        store.refresh_figures().await.unwrap();
        let store = store.ranking_later(10, std::time::Duration::from_secs(2));
        let line = clef_domain::RevenueLine {
            customer_id: clef_domain::CustomerId(7),
            business_unit_id: clef_domain::BusinessUnitId(1),
            period: Period::from_yyyymm(202_604).unwrap(),
            currency: clef_domain::Currency::parse("currency", "EUR").unwrap(),
            revenue_cents: 900_000_000,
            margin_cents: 1000,
        };
        store.upsert_revenue(None, &[line]).await.unwrap();
        assert!(store.figures_state().await.unwrap().ranks_pending);
        ranks_settled(&store).await;
        let ranked = ranks_of(&store).await;
        assert_eq!(ranked[6].1, 1, "customer 7 now ranks first");
        store.delete_customer(None, 7, None).await.unwrap();
        ranks_settled(&store).await;
        let left = ranks_of(&store).await;
        assert_eq!(left.len(), 59);
        store.refresh_figures().await.unwrap();
        assert_eq!(left, ranks_of(&store).await);
        crate::test_db::drop_pg(store, &db).await;
    }

    /// Many edits at once in a large portfolio, with rankings in
    /// the background running among them (no delay): revenue recorded for
    /// several customers, customers created and deleted. Every edit
    /// succeeds; while the ranks say they are current, they are those a
    /// full computation gives, then and once everything settled.
    async fn edits_among_rankings(store: Store) {
        // 5,000 more customers, without revenue: rankings take long enough
        // to run among the edits.
        store
            .conn()
            .execute_unprepared(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                 INSERT INTO customers (name, name_key, country, status, tier, currency, created_at, updated_at)
                 SELECT 'X' || i, 'x' || i, 'FR', 'active', 'bronze', 'EUR', 0, 0 FROM n",
            )
            .await
            .unwrap();
        store.refresh_figures().await.unwrap();
        let store = store.ranking_later(10, std::time::Duration::ZERO);
        let mut edits = tokio::task::JoinSet::new();
        for k in 0..30i64 {
            let store = store.clone();
            edits.spawn(async move {
                match k % 3 {
                    0 => {
                        let input = clef_domain::CustomerInput {
                            name: format!("New {k}"),
                            country: "FR".to_owned(),
                            ..Default::default()
                        };
                        store
                            .create_customer(None, &input.parse().unwrap())
                            .await
                            .map(|_| ())
                    }
                    1 => store.delete_customer(None, k, None).await.map(|_| ()),
                    _ => {
                        let line = clef_domain::RevenueLine {
                            customer_id: clef_domain::CustomerId(40 + k % 20),
                            business_unit_id: clef_domain::BusinessUnitId(1),
                            period: Period::from_yyyymm(202_604).unwrap(),
                            currency: clef_domain::Currency::parse("currency", "EUR").unwrap(),
                            revenue_cents: 1_000_000 * k,
                            margin_cents: 1000,
                        };
                        store.upsert_revenue(None, &[line]).await.map(|_| ())
                    }
                }
            });
        }
        while let Some(done) = edits.join_next().await {
            done.unwrap().unwrap();
        }
        // The first time the ranks say they are current (read with them, in
        // one statement), they are the final ones.
        for _ in 0..200 {
            let rows = store
                .conn()
                .query_all_raw(Statement::from_string(
                    store.backend(),
                    "SELECT f.customer_id, f.revenue_rank, f.cumulative_share, s.ranks_pending
                     FROM customer_figures f CROSS JOIN figures_state s
                     WHERE s.id = 1 ORDER BY f.customer_id",
                ))
                .await
                .unwrap();
            let pending = rows
                .first()
                .is_some_and(|r| r.try_get_by_index::<i64>(3).unwrap() != RANKS_CURRENT);
            if !pending {
                let ranks: Vec<(i64, i64, f64)> = rows.iter().map(rank_row).collect();
                assert_eq!(ranks.len(), 5060, "10 customers created, 10 deleted");
                store.refresh_figures().await.unwrap();
                assert_eq!(ranks, ranks_of(&store).await);
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the ranks stayed pending");
    }

    #[tokio::test]
    async fn edits_among_rankings_leave_the_ranks_a_full_computation_gives() {
        let (store, dir) = sample("among").await;
        edits_among_rankings(store.clone()).await;
        store.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn edits_among_rankings_on_postgres_leave_the_ranks_a_full_computation_gives() {
        let Some((store, db)) = pg_sample("among").await else {
            return;
        };
        edits_among_rankings(store.clone()).await;
        crate::test_db::drop_pg(store, &db).await;
    }

    /// When what the figures come from changes while they are computed
    /// (here: a new month of revenue and its figures written meanwhile),
    /// the rows computed before are not written: the figures are computed
    /// again under the write lock.
    #[tokio::test]
    async fn figures_computed_while_revenue_changed_are_computed_again() {
        let (store, dir) = sample("changed").await;
        let path = store.sqlite_file().await.unwrap().unwrap();
        let as_of = store.last_period(store.conn()).await.unwrap();
        store.refresh_figures().await.unwrap();
        let before = all_figures(&store).await;
        let writer = crate::direct::Writer::open(&path).unwrap();
        let (ids, wallets) = crate::direct::customers(&path).unwrap();
        let sums = crate::direct::sums(&path, &ids, as_of.unwrap()).unwrap();
        let stale = crate::direct::figures(&ids, &wallets, &sums);
        store
            .conn()
            .execute_unprepared(
                "INSERT INTO revenue_lines (customer_id, business_unit_id, period, currency, revenue_cents, margin_cents)
                 VALUES (3, 1, 202605, 'EUR', 99000000, 1000);
                 UPDATE figures_state SET generation = generation + 1 WHERE id = 1",
            )
            .await
            .unwrap();
        let writer2 = crate::direct::Writer::open(&path).unwrap();
        // First try: nothing written, the caller computes once more.
        assert!(!crate::direct::write_figures(writer, &stale, as_of, 1, false).unwrap());
        assert_eq!(all_figures(&store).await, before);
        store
            .conn()
            .execute_unprepared("UPDATE figures_state SET generation = generation + 1 WHERE id = 1")
            .await
            .unwrap();
        // Last try: computed again under the write lock.
        assert!(crate::direct::write_figures(writer2, &stale, as_of, 1, true).unwrap());
        let state = store.figures_state().await.unwrap();
        assert_eq!(state.as_of, Period::from_yyyymm(202_605));
        let written = all_figures(&store).await;
        assert_eq!(written[2][0], "3");
        assert_eq!(written[2][10], "1", "customer 3 now ranks first");
        assert_eq!(written, by_sql(&store).await);
        store.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
