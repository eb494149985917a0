//! Work over every customer or every revenue line of a SQLite database, and
//! the bulk writes of imports, done on direct connections to its file (reads
//! one per core): passing millions of rows one by one through the pool's
//! driver costs more than the work itself.
//! The pool keeps serving requests meanwhile (the database is in WAL mode,
//! readers never wait; the writer waits for other writers, as any does).

use crate::{StoreError, figures::ratio_key};
use clef_domain::Period;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params, types::Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How many threads share a scan: one per core, at most 4.
pub(crate) fn parts() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4))
}

pub(crate) fn open(path: &Path, write: bool) -> Result<Connection, StoreError> {
    let flags = if write {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let c = Connection::open_with_flags(path, flags)?;
    c.busy_timeout(Duration::from_secs(10))?;
    c.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;
         PRAGMA temp_store = memory",
    )?;
    Ok(c)
}

/// Cuts `lo..=hi` into at most `n` consecutive inclusive ranges.
pub(crate) fn split(lo: i64, hi: i64, n: usize) -> Vec<(i64, i64)> {
    if lo > hi {
        return Vec::new();
    }
    let n = n.max(1) as i64;
    let step = (hi - lo) / n + 1;
    (0..n)
        .map(|k| (lo + k * step, (lo + (k + 1) * step - 1).min(hi)))
        .filter(|(a, b)| a <= b)
        .collect()
}

/// Runs `f` on each range on its own thread and connection, in order.
/// (The ranges come from `SELECT (SELECT MIN(x) …), (SELECT MAX(x) …)`:
/// MIN and MAX together in one SELECT scan the whole table, SQLite seeks
/// only for a lone MIN or MAX.)
pub(crate) fn in_parallel<T: Send>(
    path: &Path,
    ranges: &[(i64, i64)],
    f: impl Fn(&Connection, i64, i64) -> Result<T, StoreError> + Sync,
) -> Result<Vec<T>, StoreError> {
    std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|&(a, b)| {
                let f = &f;
                s.spawn(move || f(&open(path, false)?, a, b))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| StoreError::Config("a database reader stopped".into()))?
            })
            .collect()
    })
}

/// Sums per customer: revenue and margin of the last 12 months, revenue
/// and margin of the 12 before, revenue of the 12 before those.
pub(crate) type Sums = [i64; 5];

/// Where each customer's sums go: by offset from the first id when the ids
/// are dense enough, else by binary search.
enum Slots {
    Dense { first: i64, slot: Vec<u32> },
    Sparse(Vec<i64>),
}

impl Slots {
    fn new(ids: &[i64]) -> Self {
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            return Slots::Sparse(Vec::new());
        };
        let span = (last - first + 1) as usize;
        if span <= ids.len().saturating_mul(4).max(1 << 20) && ids.len() < u32::MAX as usize {
            let mut slot = vec![u32::MAX; span];
            for (k, id) in ids.iter().enumerate() {
                slot[(id - first) as usize] = k as u32;
            }
            Slots::Dense { first, slot }
        } else {
            Slots::Sparse(ids.to_vec())
        }
    }

    fn get(&self, id: i64) -> Option<usize> {
        match self {
            Slots::Dense { first, slot } => {
                let k = *slot.get(usize::try_from(id - first).ok()?)?;
                (k != u32::MAX).then_some(k as usize)
            }
            Slots::Sparse(ids) => ids.binary_search(&id).ok(),
        }
    }
}

/// Every customer's id and wallet, by id.
pub(crate) fn customers(path: &Path) -> Result<(Vec<i64>, Vec<Option<i64>>), StoreError> {
    let c = open(path, false)?;
    let mut st = c.prepare("SELECT id, wallet_cents FROM customers ORDER BY id")?;
    let mut rows = st.query([])?;
    let (mut ids, mut wallets) = (Vec::new(), Vec::new());
    while let Some(r) = rows.next()? {
        ids.push(r.get(0)?);
        wallets.push(r.get(1)?);
    }
    Ok((ids, wallets))
}

/// Each customer's [`Sums`] (in the order of `ids`) over the 36 months
/// ending `as_of`, read from every revenue line, the lines cut by rowid
/// between the cores.
pub(crate) fn sums(path: &Path, ids: &[i64], as_of: Period) -> Result<Vec<Sums>, StoreError> {
    let p = |n: i32| i64::from(as_of.add_months(n).yyyymm());
    let (w12, w24, w36, end) = (p(-11), p(-23), p(-35), p(0));
    let slots = Slots::new(ids);
    let (lo, hi): (Option<i64>, Option<i64>) = open(path, false)?.query_row(
        "SELECT (SELECT MIN(rowid) FROM revenue_lines), (SELECT MAX(rowid) FROM revenue_lines)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(vec![[0; 5]; ids.len()]);
    };
    let parts = in_parallel(path, &split(lo, hi, parts()), |c, a, b| {
        let t0 = Instant::now();
        let mut out = vec![[0i64; 5]; ids.len()];
        let mut st = c.prepare(
            "SELECT customer_id, period, revenue_cents, margin_cents FROM revenue_lines
             WHERE rowid BETWEEN ?1 AND ?2",
        )?;
        let mut rows = st.query(params![a, b])?;
        while let Some(r) = rows.next()? {
            let period: i64 = r.get(1)?;
            if period < w36 || period > end {
                continue;
            }
            let Some(k) = slots.get(r.get(0)?) else {
                continue;
            };
            let (rev, mar): (i64, i64) = (r.get(2)?, r.get(3)?);
            let s = &mut out[k];
            if period >= w12 {
                s[0] = s[0].saturating_add(rev);
                s[1] = s[1].saturating_add(mar);
            } else if period >= w24 {
                s[2] = s[2].saturating_add(rev);
                s[3] = s[3].saturating_add(mar);
            } else {
                s[4] = s[4].saturating_add(rev);
            }
        }
        tracing::debug!(
            ms = t0.elapsed().as_millis() as u64,
            from = a,
            to = b,
            "revenue lines summed"
        );
        Ok(out)
    })?;
    let mut parts = parts.into_iter();
    let mut total = parts.next().unwrap_or_else(|| vec![[0; 5]; ids.len()]);
    for part in parts {
        for (t, s) in total.iter_mut().zip(part) {
            for (a, b) in t.iter_mut().zip(s) {
                *a = a.saturating_add(b);
            }
        }
    }
    Ok(total)
}

/// One customer's figures, as `customer_figures` holds them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figures {
    pub customer_id: i64,
    pub sums: Sums,
    pub growth: Option<f64>,
    pub trend: Option<f64>,
    pub margin_rate: Option<f64>,
    pub share_of_wallet: Option<f64>,
    pub rank: i64,
    pub cumulative_share: f64,
}

/// The figures from the sums: the same formulas as the SQL of
/// `figures::insert_from`, which computes them in PostgreSQL and for a few
/// customers at a time.
pub(crate) fn figures(ids: &[i64], wallets: &[Option<i64>], sums: &[Sums]) -> Vec<Figures> {
    let ratio = |a: i64, b: i64| a as f64 / b as f64;
    let mut out: Vec<Figures> = ids
        .iter()
        .zip(wallets)
        .zip(sums)
        .map(|((&customer_id, wallet), &s)| {
            let [r12, m12, rp, _, r3] = s;
            Figures {
                customer_id,
                sums: s,
                growth: (rp > 0).then(|| ratio(r12 - rp, rp)),
                trend: (r3 > 0 && rp > 0 && r12 > 0)
                    .then(|| (r12 - r3) as f64 * 1.5 / (r12 as f64 + rp as f64 + r3 as f64)),
                margin_rate: (r12 > 0).then(|| ratio(m12, r12)),
                share_of_wallet: wallet.filter(|w| *w > 0).map(|w| ratio(r12, w)),
                rank: 0,
                cumulative_share: 0.0,
            }
        })
        .collect();
    let keys: Vec<(i64, i64)> = out.iter().map(|f| (f.customer_id, f.sums[0])).collect();
    for (f, (rank, share)) in out.iter_mut().zip(ranks(&keys)) {
        f.rank = rank;
        f.cumulative_share = share;
    }
    out
}

/// Each customer's rank by revenue (1 is the largest; ties by id) and the
/// share of the whole revenue made by it and every customer ranked before
/// it, from (customer id, revenue of the last 12 months), in that order: the
/// same as `figures::RANKS` in SQL.
pub(crate) fn ranks(customers: &[(i64, i64)]) -> Vec<(i64, f64)> {
    let mut order: Vec<usize> = (0..customers.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let ((ia, ra), (ib, rb)) = (customers[a], customers[b]);
        (rb, ia).cmp(&(ra, ib))
    });
    // Exact sums, wide enough for any number of customers.
    let total: i128 = customers.iter().map(|c| i128::from(c.1.max(0))).sum();
    let mut out = vec![(0, 0.0); customers.len()];
    let mut running = 0i128;
    for (rank, &k) in order.iter().enumerate() {
        running += i128::from(customers[k].1.max(0));
        out[k] = (
            rank as i64 + 1,
            if total == 0 {
                0.0
            } else {
                running as f64 / total as f64
            },
        );
    }
    out
}

/// Ranks every customer again on a direct connection, under the write lock:
/// reads each one's revenue, rank and share, computes them in memory and
/// writes only those that changed, then runs `done` in the same
/// transaction. Answers how many changed. (The same in SQL takes about
/// twice as long at a million customers, most of it in its window
/// functions.)
pub(crate) fn rank_all(path: &Path, done: &str) -> Result<u64, StoreError> {
    let t0 = Instant::now();
    let mut c = open(path, true)?;
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Rows are read and written back by rowid, in its order: the
    // customer's id is not the rowid of this table.
    let (mut keys, mut stored) = (Vec::new(), Vec::new());
    {
        let mut st = tx.prepare(
            "SELECT customer_id, revenue_12, rowid, revenue_rank, cumulative_share
             FROM customer_figures ORDER BY rowid",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            keys.push((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?));
            stored.push((
                r.get::<_, i64>(2)?,
                (r.get::<_, i64>(3)?, r.get::<_, f64>(4)?),
            ));
        }
    }
    let ranked = ranks(&keys);
    tracing::debug!(ms = t0.elapsed().as_millis() as u64, "ranks computed");
    let mut changed = 0;
    {
        let mut st = tx.prepare(
            "UPDATE customer_figures SET revenue_rank = ?1, cumulative_share = ?2 WHERE rowid = ?3",
        )?;
        for (new, (rowid, old)) in ranked.iter().zip(&stored) {
            if new != old {
                st.execute(params![new.0, new.1, rowid])?;
                changed += 1;
            }
        }
    }
    tx.execute_batch(done)?;
    tx.commit()?;
    tracing::debug!(
        ms = t0.elapsed().as_millis() as u64,
        changed,
        "ranks written"
    );
    Ok(changed)
}

/// The connection that writes the figures, opened before they are read,
/// with the figures' generation then: every change to what the figures
/// come from moves it (a customer added, removed or edited, the figures of
/// new revenue lines written), so an unchanged generation under the write
/// lock means the rows computed are still true.
pub(crate) struct Writer {
    c: Connection,
    generation: i64,
}

fn generation(c: &Connection) -> Result<i64, StoreError> {
    Ok(c.query_row(
        "SELECT COALESCE(MAX(generation), 0) FROM figures_state WHERE id = 1",
        [],
        |r| r.get(0),
    )?)
}

/// Drops the secondary indexes of `table` and answers the statements that
/// build them again.
fn drop_indexes(tx: &rusqlite::Transaction<'_>, table: &str) -> Result<Vec<String>, StoreError> {
    let indexes: Vec<(String, String)> = {
        let mut st = tx.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?;
        st.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// Sets a connection up for a transaction that writes a whole table and
/// builds its indexes again. Written pages stay in memory until the commit
/// (`cache_spill`: pages spilt to the log before it are read back by every
/// index build; about 700 MiB at a million customers, taken only as
/// needed). The page cache itself stays small, because SQLite sizes its
/// sort runs by it: an index build then sorts runs that fit the processor's
/// caches, on every core (`threads`), and merges them, in about 60% of the
/// time one run of the whole index takes. SQLite sorts on one thread when
/// its temporary files are kept in memory, so here they are files (in the
/// system's temporary directory, removed as soon as they are closed).
fn for_bulk_writes(c: &Connection) -> Result<(), StoreError> {
    c.execute_batch(&format!(
        "PRAGMA cache_spill = OFF; PRAGMA cache_size = -8192; PRAGMA temp_store = FILE;
         PRAGMA threads = {}",
        parts()
    ))?;
    Ok(())
}

impl Writer {
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let c = open(path, true)?;
        for_bulk_writes(&c)?;
        // The rows come from the customers table itself, or from the SQL
        // below under the write lock: they cannot break a reference.
        c.execute_batch("PRAGMA foreign_keys = OFF")?;
        let generation = generation(&c)?;
        Ok(Self { c, generation })
    }
}

/// Replaces every row of `customer_figures` with `rows` and records
/// `as_of`, in one transaction. The sort indexes are dropped first and
/// built once at the end: one sorted build beats a million insertions.
/// When what the figures come from changed since `w` was opened, writes
/// nothing and answers false, unless `last_try`: then the figures are
/// computed again in SQL under the write lock.
pub(crate) fn write_figures(
    w: Writer,
    rows: &[Figures],
    as_of: Option<Period>,
    refreshed_at: i64,
    last_try: bool,
) -> Result<bool, StoreError> {
    let t0 = Instant::now();
    let Writer {
        mut c,
        generation: read_at,
    } = w;
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let changed_since = generation(&tx)? != read_at;
    if changed_since && !last_try {
        return Ok(false);
    }
    let indexes = drop_indexes(&tx, "customer_figures")?;
    tx.execute_batch("DELETE FROM customer_figures")?;
    let mut as_of = as_of;
    if changed_since {
        // Something the figures come from changed while they were computed:
        // compute them again here, in SQL, under the write lock (slower, but
        // nothing can change meanwhile).
        let last: Option<i64> = tx.query_row(crate::figures::LAST_PERIOD, [], |r| r.get(0))?;
        as_of = last.and_then(|v| Period::from_yyyymm(i32::try_from(v).ok()?));
        let sql = crate::figures::insert_sql(sea_orm::DbBackend::Sqlite, as_of, None);
        tx.execute_batch(&sql.sql)?;
    } else {
        // Rows go in by statements of many rows: fewer statements to run.
        const BATCH: usize = 64;
        let insert = |rows: usize| {
            let one = format!("({})", vec!["?"; 15].join(", "));
            format!(
                "INSERT INTO customer_figures (customer_id, revenue_12, margin_12, revenue_prev_12,
                    margin_prev_12, revenue_y3, growth, trend, margin_rate, share_of_wallet,
                    revenue_rank, cumulative_share, growth_key, margin_rate_key, sow_key)
                 VALUES {}",
                vec![one; rows].join(", ")
            )
        };
        let mut full = tx.prepare(&insert(BATCH))?;
        for chunk in rows.chunks(BATCH) {
            let values = chunk.iter().flat_map(|f| {
                let [r12, m12, rp, mp, r3] = f.sums;
                let ints = [f.customer_id, r12, m12, rp, mp, r3].map(Value::Integer);
                let ratios = [f.growth, f.trend, f.margin_rate, f.share_of_wallet]
                    .map(|x| x.map_or(Value::Null, Value::Real));
                let rest = [
                    Value::Integer(f.rank),
                    Value::Real(f.cumulative_share),
                    Value::Integer(ratio_key(f.growth)),
                    Value::Integer(ratio_key(f.margin_rate)),
                    Value::Integer(ratio_key(f.share_of_wallet)),
                ];
                ints.into_iter().chain(ratios).chain(rest)
            });
            if chunk.len() == BATCH {
                full.execute(rusqlite::params_from_iter(values))?;
            } else {
                tx.prepare(&insert(chunk.len()))?
                    .execute(rusqlite::params_from_iter(values))?;
            }
        }
    }
    tracing::debug!(
        ms = t0.elapsed().as_millis() as u64,
        changed_since,
        "figures written"
    );
    for sql in &indexes {
        tx.execute_batch(sql)?;
    }
    tracing::debug!(ms = t0.elapsed().as_millis() as u64, "figure indexes built");
    tx.execute(
        "UPDATE figures_state SET as_of = ?1, refreshed_at = ?2, generation = generation + 1,
             ranks_pending = 0
         WHERE id = 1",
        params![as_of.map(|p| p.yyyymm()), refreshed_at],
    )?;
    tx.commit()?;
    tracing::debug!(ms = t0.elapsed().as_millis() as u64, "figures committed");
    Ok(true)
}

/// Computes every customer's figures from the revenue lines and writes
/// them; computed again once if what they come from changed meanwhile,
/// then under the write lock.
pub(crate) fn refresh_figures(
    path: PathBuf,
    as_of: Option<Period>,
    refreshed_at: i64,
) -> Result<(), StoreError> {
    let mut as_of = as_of;
    for attempt in 0..2 {
        let t0 = Instant::now();
        let writer = Writer::open(&path)?;
        if attempt > 0 {
            let last: Option<i64> = writer
                .c
                .query_row(crate::figures::LAST_PERIOD, [], |r| r.get(0))?;
            as_of = last.and_then(|v| Period::from_yyyymm(i32::try_from(v).ok()?));
        }
        let (ids, wallets) = customers(&path)?;
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "customers read");
        let sums = match as_of {
            Some(as_of) => sums(&path, &ids, as_of)?,
            None => vec![[0; 5]; ids.len()],
        };
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "figures summed");
        let rows = figures(&ids, &wallets, &sums);
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "figures ranked");
        if write_figures(writer, &rows, as_of, refreshed_at, attempt == 1)? {
            break;
        }
        tracing::debug!("the portfolio changed while its figures were computed: once more");
    }
    Ok(())
}

impl rusqlite::ToSql for crate::bulk::Val {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use crate::bulk::Val;
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Val::I(Some(i)) => ValueRef::Integer(*i),
            Val::S(Some(s)) => ValueRef::Text(s.as_bytes()),
            Val::F(Some(f)) => ValueRef::Real(*f),
            Val::I(None) | Val::S(None) | Val::F(None) => ValueRef::Null,
        }))
    }
}

/// Inserts the rows of `batch` with statements of many rows each. Answers
/// the number of rows written.
fn insert_rows(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    batch: &crate::bulk::Batch,
) -> Result<u64, StoreError> {
    let crate::bulk::Batch { cols, rows, tail } = batch;
    if rows.is_empty() {
        return Ok(0);
    }
    // SQLite takes at most 32,766 parameters per statement.
    let per = (1_000 / cols.len().max(1)).clamp(1, 64);
    let sql = |n: usize| {
        let one = format!("({})", vec!["?"; cols.len()].join(", "));
        format!(
            "INSERT INTO {table} ({}) VALUES {}{tail}",
            cols.join(", "),
            vec![one; n].join(", ")
        )
    };
    let mut full = tx.prepare(&sql(per))?;
    let mut n = 0;
    for chunk in rows.chunks(per) {
        let values = chunk.iter().flatten();
        n += if chunk.len() == per {
            full.execute(rusqlite::params_from_iter(values))?
        } else {
            tx.prepare(&sql(chunk.len()))?
                .execute(rusqlite::params_from_iter(values))?
        } as u64;
    }
    Ok(n)
}

/// Adds the figures of the `added` customers just written above id
/// `before`, in the same transaction (see `figures::new_figures_sql`):
/// customers with revenue below zero move down by `added`. The same as
/// computing every customer's figures again, without reading the
/// portfolio. The rows go in by id, so by rank: each index of the figures
/// takes them at one place.
fn add_new_figures(
    tx: &rusqlite::Transaction<'_>,
    before: i64,
    added: u64,
) -> Result<(), StoreError> {
    let t0 = Instant::now();
    let added = i64::try_from(added).unwrap_or(i64::MAX);
    let (existing, ranked, any_revenue): (i64, i64, bool) = tx.query_row(
        "SELECT COUNT(*), COUNT(CASE WHEN revenue_12 >= 0 THEN 1 END),
                EXISTS (SELECT 1 FROM customer_figures WHERE revenue_12 > 0)
         FROM customer_figures",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    tx.execute(
        "UPDATE customer_figures SET revenue_rank = revenue_rank + ?1 WHERE revenue_12 < 0",
        [added],
    )?;
    // Ids handed out in one write transaction follow each other, unless the
    // table's counter is past its largest id (its last customer was
    // deleted): then rank by number.
    let last: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) FROM customers", [], |r| {
        r.get(0)
    })?;
    let rank = if last == before + added {
        "?2 + c.id - ?1"
    } else {
        "?2 + ROW_NUMBER() OVER (ORDER BY c.id)"
    };
    let sql = crate::figures::new_figures_sql("c.id > ?1", rank, "?3");
    tx.execute(
        &sql,
        params![before, ranked, if any_revenue { 1.0 } else { 0.0 }],
    )?;
    // The first customers of a portfolio: its figures are now all computed.
    tx.execute(
        "UPDATE figures_state SET generation = generation + 1,
            refreshed_at = CASE WHEN ?1 = 0 THEN ?2 ELSE refreshed_at END
         WHERE id = 1",
        params![existing, crate::now()],
    )?;
    tracing::debug!(
        ms = t0.elapsed().as_millis() as u64,
        "figures of the new customers added"
    );
    Ok(())
}

/// Writes `batches` into `table` in one transaction on a direct connection.
/// A large write into a smaller table drops the table's secondary indexes
/// first and builds each once at the end: one sorted build is far faster
/// than a million insertions into each.
pub(crate) fn write_records(
    path: &Path,
    table: &str,
    batches: &[crate::bulk::Batch],
    new_figures: bool,
    (seen, replaced): (
        Option<&crate::bulk::SeenAtCheck>,
        Option<&crate::bulk::Replaced>,
    ),
    trail: &crate::bulk::Batch,
) -> Result<u64, StoreError> {
    let t0 = Instant::now();
    let total: usize = batches.iter().map(|b| b.rows.len()).sum();
    let large = total >= crate::bulk::REBUILD_MIN_ROWS;
    let mut c = open(path, true)?;
    if large {
        for_bulk_writes(&c)?;
    }
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if let Some(seen) = seen {
        // The write lock is held: no decision can come in before the commit.
        let now = tx
            .prepare(crate::bulk::SeenAtCheck::SQL)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<(i64, Option<i64>)>, _>>()?;
        seen.check(&now)?;
        if let Some(sql) = seen.parents_sql() {
            let now = tx
                .prepare(&sql)?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<(i64, Option<i64>)>, _>>()?;
            seen.check_parents(&now)?;
        }
    }
    if let Some(r) = replaced {
        let max: i64 = tx.query_row(&r.max_sql(), [], |x| x.get(0))?;
        let mut now = Vec::new();
        for sql in r.versions_sql() {
            now.extend(
                tx.prepare(&sql)?
                    .query_map([], |x| Ok((x.get(0)?, x.get(1)?)))?
                    .collect::<Result<Vec<(i64, i64)>, _>>()?,
            );
        }
        r.check(&now, max)?;
    }
    // Parents may be rows of the same file: foreign keys are checked at commit.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    let larger = large
        && tx
            .query_row(
                &format!("SELECT 1 FROM {table} LIMIT 1 OFFSET {total}"),
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
    let indexes = if large && !larger {
        drop_indexes(&tx, table)?
    } else {
        Vec::new()
    };
    // The largest id before the write: new records are the ones above it.
    let before: i64 = if new_figures {
        tx.query_row(
            &format!("SELECT COALESCE(MAX(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?
    } else {
        0
    };
    let mut n = 0;
    for b in batches {
        n += insert_rows(&tx, table, b)?;
    }
    if new_figures {
        add_new_figures(&tx, before, n)?;
    }
    tracing::debug!(
        ms = t0.elapsed().as_millis() as u64,
        rows = n,
        indexes = indexes.len(),
        "rows inserted"
    );
    for sql in &indexes {
        tx.execute_batch(sql)?;
    }
    tracing::debug!(ms = t0.elapsed().as_millis() as u64, "indexes built");
    insert_rows(&tx, "audit_log", trail)?;
    tx.commit()?;
    tracing::debug!(ms = t0.elapsed().as_millis() as u64, "rows committed");
    Ok(n)
}
