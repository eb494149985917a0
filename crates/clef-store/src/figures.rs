//! Portfolio figures: each customer's revenue and margin over the last 12
//! months and the 12 before, growth, 3-year trend, margin rate, share of
//! wallet, rank and cumulative share of total revenue. They are computed in
//! the database from the revenue lines, and kept current after every import
//! or edit that changes them.

use crate::{Store, StoreError, entities::customer_figures, now};
use clef_domain::{Period, ServiceTier, segmentation::FrameRow};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement, TransactionTrait, Value};

/// When the figures were computed, and over which months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiguresState {
    /// The last month with revenue: the end of the 12-month window.
    pub as_of: Option<Period>,
    pub refreshed_at: i64,
    /// Grows by one at every change to figures or to what segmentation reads.
    pub generation: i64,
}

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

/// The INSERT of the figures computed from `source` (rows of [`sums_sql`]),
/// ranked among themselves.
fn insert_from(source: &str) -> String {
    format!(
        "INSERT INTO customer_figures (customer_id, revenue_12, margin_12, revenue_prev_12, margin_prev_12, revenue_y3,
            growth, trend, margin_rate, share_of_wallet, revenue_rank, cumulative_share)
         SELECT x.*,
            ROW_NUMBER() OVER (ORDER BY x.revenue_12 DESC, x.customer_id),
            COALESCE(SUM(CASE WHEN x.revenue_12 > 0 THEN x.revenue_12 ELSE 0 END)
                     OVER (ORDER BY x.revenue_12 DESC, x.customer_id ROWS UNBOUNDED PRECEDING) * 1.0
                     / NULLIF(SUM(CASE WHEN x.revenue_12 > 0 THEN x.revenue_12 ELSE 0 END) OVER (), 0), 0)
         FROM (SELECT r.customer_id, COALESCE(r.r12, 0) AS revenue_12, COALESCE(r.m12, 0) AS m12,
            COALESCE(r.rp, 0) AS rp, COALESCE(r.mp, 0) AS mp, COALESCE(r.r3, 0) AS r3,
            CASE WHEN r.rp > 0 THEN (r.r12 - r.rp) * 1.0 / r.rp END AS growth,
            CASE WHEN r.r3 > 0 AND r.rp > 0 AND r.r12 > 0
                 THEN (r.r12 - r.r3) * 1.5 / (r.r12 + r.rp + r.r3) END AS trend,
            CASE WHEN r.r12 > 0 THEN r.m12 * 1.0 / r.r12 END AS margin_rate,
            CASE WHEN r.wallet > 0 THEN COALESCE(r.r12, 0) * 1.0 / r.wallet END AS sow
         FROM ({source}) r) x"
    )
}

/// The INSERT that computes the figures of every customer (or of those in
/// `ids`, ranked among themselves: [`rank_sql`] ranks them among all).
fn insert_sql(backend: DbBackend, as_of: Option<Period>, ids: Option<&[i64]>) -> Statement {
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
    Statement::from_string(backend, insert_from(&sums_sql(as_of, &lines, &customers)))
}

/// The rank by revenue and the cumulative share of every customer, as
/// (customer_id, rk, cs) rows.
const RANKS: &str = "SELECT customer_id,
         ROW_NUMBER() OVER (ORDER BY revenue_12 DESC, customer_id) AS rk,
         COALESCE(SUM(CASE WHEN revenue_12 > 0 THEN revenue_12 ELSE 0 END)
                  OVER (ORDER BY revenue_12 DESC, customer_id ROWS UNBOUNDED PRECEDING) * 1.0
                  / NULLIF(SUM(CASE WHEN revenue_12 > 0 THEN revenue_12 ELSE 0 END) OVER (), 0), 0) AS cs
       FROM customer_figures";

/// Ranks every customer by revenue again, writing only the rows that change.
fn rank_sql(backend: DbBackend) -> String {
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
            .query_one_raw(Statement::from_string(
                self.backend(),
                // One index seek per business unit, not a scan of every line.
                "SELECT MAX((SELECT MAX(period) FROM revenue_lines r WHERE r.business_unit_id = b.id))
                 FROM business_units b",
            ))
            .await?;
        let v: Option<i64> = match row {
            Some(r) => r.try_get_by_index(0)?,
            None => None,
        };
        Ok(v.and_then(|v| Period::from_yyyymm(i32::try_from(v).ok()?)))
    }

    pub async fn figures_state(&self) -> Result<FiguresState, StoreError> {
        let row = self
            .conn()
            .query_one_raw(Statement::from_string(
                self.backend(),
                "SELECT as_of, refreshed_at, generation FROM figures_state WHERE id = 1",
            ))
            .await?;
        let Some(r) = row else {
            return Ok(FiguresState {
                as_of: None,
                refreshed_at: 0,
                generation: 0,
            });
        };
        let as_of: Option<i64> = r.try_get_by_index(0)?;
        Ok(FiguresState {
            as_of: as_of.and_then(|v| Period::from_yyyymm(i32::try_from(v).ok()?)),
            refreshed_at: r.try_get_by_index(1)?,
            generation: r.try_get_by_index(2)?,
        })
    }

    async fn set_state(
        &self,
        db: &impl ConnectionTrait,
        as_of: Option<Option<Period>>,
    ) -> Result<(), StoreError> {
        let sql = match as_of {
            Some(p) => format!(
                "UPDATE figures_state SET as_of = {}, refreshed_at = {}, generation = generation + 1 WHERE id = 1",
                p.map_or("NULL".to_owned(), |p| p.yyyymm().to_string()),
                now()
            ),
            None => "UPDATE figures_state SET generation = generation + 1 WHERE id = 1".to_owned(),
        };
        db.execute_unprepared(&sql).await?;
        Ok(())
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

    /// Ranks every customer again (after a customer left the portfolio).
    pub(crate) async fn rank_figures(&self, db: &impl ConnectionTrait) -> Result<(), StoreError> {
        db.execute_unprepared(&rank_sql(self.backend())).await?;
        self.set_state(db, None).await
    }

    /// Computes the figures of every customer again, written in one transaction.
    pub async fn refresh_figures(&self) -> Result<FiguresState, StoreError> {
        let t0 = std::time::Instant::now();
        let as_of = self.last_period(self.conn()).await?;
        if self.is_sqlite() {
            self.sqlite_refresh(as_of).await?;
        } else {
            let txn = self.conn().begin().await?;
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

    /// The customer ids cut into one inclusive range per core (at most 4),
    /// for work done in parallel; none when there is no customer.
    async fn id_ranges(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        let r = self
            .conn()
            .query_one_raw(Statement::from_string(
                self.backend(),
                "SELECT MIN(id), MAX(id) FROM customers",
            ))
            .await?;
        let (lo, hi): (Option<i64>, Option<i64>) = match r {
            Some(r) => (r.try_get_by_index(0)?, r.try_get_by_index(1)?),
            None => (None, None),
        };
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(Vec::new());
        };
        let parts = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4)) as i64;
        let step = (hi - lo) / parts + 1;
        Ok((0..parts)
            .map(|k| (lo + k * step, (lo + (k + 1) * step - 1).min(hi)))
            .filter(|(a, b)| a <= b)
            .collect())
    }

    /// SQLite sums on one core per statement: each id range is summed on its
    /// own connection into its own scratch database file (so they write in
    /// parallel), then one transaction ranks and writes them all.
    async fn sqlite_refresh(&self, as_of: Option<Period>) -> Result<(), StoreError> {
        use sea_orm::sqlx::{self, AssertSqlSafe};
        let pool = self.conn().get_sqlite_connection_pool();
        let ranges = self.id_ranges().await?;
        let scratch = Scratch::new(ranges.len());
        let t0 = std::time::Instant::now();
        let jobs = scratch.files.iter().zip(&ranges).map(|(file, (a, b))| {
            let sql = sums_sql(
                as_of,
                &format!("AND customer_id BETWEEN {a} AND {b}"),
                &format!("WHERE c.id BETWEEN {a} AND {b}"),
            );
            async move {
                let mut c = pool.acquire().await?;
                sqlx::query(AssertSqlSafe(format!(
                    "ATTACH DATABASE '{}' AS part",
                    sql_text(file)
                )))
                .execute(&mut *c)
                .await?;
                let r = async {
                    sqlx::query("PRAGMA part.journal_mode = OFF")
                        .execute(&mut *c)
                        .await?;
                    sqlx::query("PRAGMA part.synchronous = OFF")
                        .execute(&mut *c)
                        .await?;
                    sqlx::query(AssertSqlSafe(format!("CREATE TABLE part.f AS {sql}")))
                        .execute(&mut *c)
                        .await?;
                    Ok::<(), StoreError>(())
                }
                .await;
                sqlx::query("DETACH DATABASE part").execute(&mut *c).await?;
                r
            }
        });
        futures_util::future::try_join_all(jobs).await?;
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "figures summed");
        let mut c = pool.acquire().await?;
        for (k, file) in scratch.files.iter().enumerate() {
            sqlx::query(AssertSqlSafe(format!(
                "ATTACH DATABASE '{}' AS part{k}",
                sql_text(file)
            )))
            .execute(&mut *c)
            .await?;
        }
        let source = (0..scratch.files.len())
            .map(|k| format!("SELECT * FROM part{k}.f"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let r = async {
            let mut tx = sqlx::Connection::begin(&mut *c).await?;
            // One sorted build per index at the end beats a million insertions into each.
            let indexes: Vec<(String, String)> = sqlx::query_as(
                "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'customer_figures' AND sql IS NOT NULL",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (name, _) in &indexes {
                sqlx::query(AssertSqlSafe(format!("DROP INDEX main.\"{name}\"")))
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM main.customer_figures")
                .execute(&mut *tx)
                .await?;
            tracing::debug!(ms = t0.elapsed().as_millis() as u64, "old figures deleted");
            sqlx::query(AssertSqlSafe(insert_from(&source)))
                .execute(&mut *tx)
                .await?;
            tracing::debug!(ms = t0.elapsed().as_millis() as u64, "figures ranked and written");
            sqlx::query("PRAGMA threads = 2").execute(&mut *tx).await?;
            for (_, sql) in &indexes {
                sqlx::query(AssertSqlSafe(sql.clone())).execute(&mut *tx).await?;
            }
            sqlx::query(AssertSqlSafe(format!(
                "UPDATE figures_state SET as_of = {}, refreshed_at = {}, generation = generation + 1 WHERE id = 1",
                as_of.map_or("NULL".to_owned(), |p| p.yyyymm().to_string()),
                now()
            )))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        }
        .await;
        for k in 0..scratch.files.len() {
            sqlx::query(AssertSqlSafe(format!("DETACH DATABASE part{k}")))
                .execute(&mut *c)
                .await?;
        }
        r
    }

    /// Computes again the figures of the customers in `ids` and everyone's
    /// rank. Falls back to a full refresh when the last month has changed.
    pub async fn refresh_figures_for(&self, ids: &[i64]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let state = self.figures_state().await?;
        if self.last_period(self.conn()).await? != state.as_of || ids.len() > 10_000 {
            self.refresh_figures().await?;
            return Ok(());
        }
        let txn = self.conn().begin().await?;
        for chunk in ids.chunks(1000) {
            let list = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            txn.execute_unprepared(&format!(
                "DELETE FROM customer_figures WHERE customer_id IN ({list})"
            ))
            .await?;
            txn.execute_raw(insert_sql(self.backend(), state.as_of, Some(chunk)))
                .await?;
        }
        txn.execute_unprepared(&rank_sql(self.backend())).await?;
        self.set_state(&txn, None).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Adds the (empty) figures of a new customer, ranked last.
    pub(crate) async fn add_empty_figures(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
    ) -> Result<(), StoreError> {
        let stmt = Statement::from_sql_and_values(
            self.backend(),
            if self.is_sqlite() {
                "INSERT INTO customer_figures (customer_id, revenue_12, margin_12, revenue_prev_12, margin_prev_12, revenue_y3, revenue_rank, cumulative_share)
                 SELECT ?, 0, 0, 0, 0, 0, COUNT(*) + 1, 1.0 FROM customer_figures"
            } else {
                "INSERT INTO customer_figures (customer_id, revenue_12, margin_12, revenue_prev_12, margin_prev_12, revenue_y3, revenue_rank, cumulative_share)
                 SELECT $1, 0, 0, 0, 0, 0, COUNT(*) + 1, 1.0 FROM customer_figures"
            },
            [Value::from(id)],
        );
        db.execute_raw(stmt).await?;
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
        Ok(())
    }

    /// The figures of one customer.
    pub async fn figures_of(&self, id: i64) -> Result<Option<customer_figures::Model>, StoreError> {
        Ok(customer_figures::Entity::find_by_id(id)
            .one(self.conn())
            .await?)
    }

    /// Every customer with its figures, by id: what segmentation reads.
    /// Ranges of ids are read in parallel, each in batches.
    pub async fn portfolio_rows(&self) -> Result<Vec<PortfolioRow>, StoreError> {
        let ranges = self.id_ranges().await?;
        let reads = ranges.iter().map(|(a, b)| self.portfolio_range(a - 1, *b));
        Ok(futures_util::future::try_join_all(reads)
            .await?
            .into_iter()
            .flatten()
            .collect())
    }

    /// The customers with `after < id <= last`, by id. The choices come
    /// as one number of three digits (tier, threat, position; 9 when
    /// unset) so that SQLite rows decode as one plain tuple.
    async fn portfolio_range(
        &self,
        mut after: i64,
        last: i64,
    ) -> Result<Vec<PortfolioRow>, StoreError> {
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
        let mut out = Vec::new();
        loop {
            let sql = format!(
                "SELECT c.id, c.name, c.country, c.region, c.business_unit_id, c.owner_id, {codes},
                        c.strategic_segment, c.satisfaction, c.wallet_cents,
                        f.revenue_12, f.margin_12, f.growth, f.trend
                 FROM customers c LEFT JOIN customer_figures f ON f.customer_id = c.id
                 WHERE c.id > {after} AND c.id <= {last} ORDER BY c.id LIMIT 50000"
            );
            let rows: Vec<Row> = if self.is_sqlite() {
                use sea_orm::sqlx;
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .fetch_all(self.conn().get_sqlite_connection_pool())
                    .await?
            } else {
                let rows = self
                    .conn()
                    .query_all_raw(Statement::from_string(self.backend(), sql))
                    .await?;
                rows.iter()
                    .map(|r| {
                        Ok((
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
                        ))
                    })
                    .collect::<Result<_, StoreError>>()?
            };
            let Some(end) = rows.last() else { break };
            after = end.0;
            for (
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
            ) in rows
            {
                let digit = |k: i64| {
                    let d = (codes / k) % 10;
                    (d != 9).then_some(d as u8)
                };
                out.push(PortfolioRow {
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
                        tier: digit(100)
                            .and_then(|t| ServiceTier::ALL.get(usize::from(t)).copied()),
                    },
                    name,
                    country,
                    region,
                    business_unit_id: bu,
                    owner_id: owner,
                });
            }
        }
        Ok(out)
    }
}

/// Scratch database files, removed when dropped.
struct Scratch {
    files: Vec<std::path::PathBuf>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir();
        Self {
            files: (0..n)
                .map(|k| {
                    dir.join(format!(
                        "clef-figures-{}-{stamp}-{k}.db",
                        std::process::id()
                    ))
                })
                .collect(),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for f in &self.files {
            let _ = std::fs::remove_file(f);
        }
    }
}

/// A path as the text of an SQL string literal.
fn sql_text(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\'', "''")
}
