//! Bulk writes, the measured hot path: SQLite gets multi-row prepared inserts
//! in one transaction, PostgreSQL gets `COPY` (through a temporary table when
//! rows must replace existing ones). Either everything is written or nothing.

use crate::{Store, StoreError};
use sea_orm::sqlx::{self, QueryBuilder, Sqlite};

/// One value of a row to insert.
#[derive(Debug, Clone)]
pub enum Val {
    I(Option<i64>),
    S(Option<String>),
    F(Option<f64>),
}

/// Rows of one shape for a direct write: their columns, the rows (values in
/// the order of the columns), and what ends each statement (an
/// `ON CONFLICT` clause or nothing).
pub(crate) struct Batch {
    pub cols: Vec<String>,
    pub rows: Vec<Vec<Val>>,
    pub tail: String,
}

impl Batch {
    pub(crate) fn new(
        table: &str,
        cols: &[&str],
        rows: Vec<Vec<Val>>,
        upsert: Option<Upsert<'_>>,
    ) -> Self {
        Batch {
            cols: cols.iter().map(|c| (*c).to_owned()).collect(),
            rows,
            tail: conflict_clause(table, upsert),
        }
    }
}

/// What a customers import read when it checked its file: the key accounts
/// with their managers, and the parents of the stored customers its parent
/// chains went through. The write holds the write lock (SQLite) or locks
/// the table against other writers (PostgreSQL), reads them again, and
/// writes nothing when they changed meanwhile: a selection approved while a
/// large file was checked is not overwritten by the file, and a parent
/// changed meanwhile cannot close a loop with the file's parents.
pub(crate) struct SeenAtCheck(pub Vec<(i64, Option<i64>)>, pub Vec<(i64, Option<i64>)>);

impl SeenAtCheck {
    pub(crate) const SQL: &'static str =
        "SELECT id, owner_id FROM customers WHERE status = 'key_account' ORDER BY id";

    /// Sorted as [`Self::SQL`] and [`Self::parents_sql`] answer.
    pub(crate) fn new(
        seen: &std::collections::HashMap<i64, Option<i64>>,
        parents: &std::collections::HashMap<i64, Option<i64>>,
    ) -> Self {
        let sorted = |m: &std::collections::HashMap<i64, Option<i64>>| {
            let mut v: Vec<(i64, Option<i64>)> = m.iter().map(|(k, o)| (*k, *o)).collect();
            v.sort_unstable();
            v
        };
        SeenAtCheck(sorted(seen), sorted(parents))
    }

    pub(crate) fn check(&self, now: &[(i64, Option<i64>)]) -> Result<(), StoreError> {
        if self.0 == now {
            Ok(())
        } else {
            Err(StoreError::Conflict(KEY_ACCOUNTS_CHANGED.into()))
        }
    }

    /// The parents, now, of the stored customers whose parents were read;
    /// none when there were none.
    pub(crate) fn parents_sql(&self) -> Option<String> {
        if self.1.is_empty() {
            return None;
        }
        let ids: Vec<String> = self.1.iter().map(|(id, _)| id.to_string()).collect();
        Some(format!(
            "SELECT id, parent_id FROM customers WHERE id IN ({}) ORDER BY id",
            ids.join(",")
        ))
    }

    pub(crate) fn check_parents(&self, now: &[(i64, Option<i64>)]) -> Result<(), StoreError> {
        if self.1 == now {
            Ok(())
        } else {
            Err(StoreError::Conflict(PARENTS_CHANGED.into()))
        }
    }
}

/// The records an import replaces, as read for their history entries:
/// each one's version then (sorted by id), and the largest id stored then
/// with the file's first id above it (those were new). The write reads them
/// again once it holds the lock and writes nothing when they moved: an edit
/// made meanwhile is not overwritten unseen, and the history says what each
/// record held.
pub(crate) struct Replaced {
    pub table: &'static str,
    pub versions: Vec<(i64, i64)>,
    pub last: i64,
    pub first_above: Option<i64>,
}

impl Replaced {
    pub(crate) fn max_sql(&self) -> String {
        format!("SELECT COALESCE(MAX(id), 0) FROM {}", self.table)
    }

    /// The versions now, a statement per run of ids.
    pub(crate) fn versions_sql(&self) -> Vec<String> {
        self.versions
            .chunks(5_000)
            .map(|c| {
                let ids: Vec<String> = c.iter().map(|(id, _)| id.to_string()).collect();
                format!(
                    "SELECT id, version FROM {} WHERE id IN ({}) ORDER BY id",
                    self.table,
                    ids.join(",")
                )
            })
            .collect()
    }

    /// `now`: what [`Self::versions_sql`] answers, in order; `max`: what
    /// [`Self::max_sql`] answers.
    pub(crate) fn check(&self, now: &[(i64, i64)], max: i64) -> Result<(), StoreError> {
        let added = max > self.last && self.first_above.is_some_and(|f| f <= max);
        if self.versions == now && !added {
            Ok(())
        } else {
            Err(StoreError::Conflict(RECORDS_CHANGED.into()))
        }
    }
}

/// Why an import wrote nothing when records of its file changed, or records
/// were added under its ids, while it ran.
pub const RECORDS_CHANGED: &str = "records the file replaces were changed or added while it was checked: nothing was imported; import the file again";

/// Why an import wrote nothing when the key accounts changed while it ran.
pub const KEY_ACCOUNTS_CHANGED: &str = "the key accounts changed while the file was checked (a selection decision, or a key account given to another manager): nothing was imported; import the file again";

/// Why an import wrote nothing when a parent its file's customers go under
/// changed while it ran.
pub const PARENTS_CHANGED: &str = "a parent of the file's customers changed while the file was checked: nothing was imported; import the file again";

/// Writes `batches` into `table` in one transaction on a direct connection
/// to the SQLite file at `path`: the rows are passed by reference instead of
/// one by one through the pool's driver.
/// With `new_figures`, the batches add customers only, and their figures
/// are added in the same transaction. `trail` (rows of
/// [`crate::audit::COLS`]) goes into the history in that transaction too.
pub(crate) async fn write_direct(
    path: std::path::PathBuf,
    table: &str,
    batches: Vec<Batch>,
    new_figures: bool,
    seen: Option<SeenAtCheck>,
    replaced: Option<Replaced>,
    trail: Vec<Vec<Val>>,
) -> Result<u64, StoreError> {
    let table = table.to_owned();
    let trail = Batch::new("audit_log", &crate::audit::COLS, trail, None);
    tokio::task::spawn_blocking(move || {
        crate::direct::write_records(
            &path,
            &table,
            &batches,
            new_figures,
            (seen.as_ref(), replaced.as_ref()),
            &trail,
        )
    })
    .await
    .map_err(|_| StoreError::Config("the bulk writer stopped".into()))?
}

/// Rows that replace existing ones: the conflict key and the assignments.
pub type Upsert<'a> = (&'a [&'a str], &'a [&'a str]);

fn csv_field(out: &mut String, v: &Val) {
    match v {
        Val::I(Some(i)) => out.push_str(&i.to_string()),
        Val::F(Some(f)) => out.push_str(&f.to_string()),
        Val::S(Some(s)) => {
            out.push('"');
            for c in s.chars() {
                if c == '"' {
                    out.push('"');
                }
                out.push(c);
            }
            out.push('"');
        }
        Val::I(None) | Val::S(None) | Val::F(None) => {}
    }
}

fn conflict_clause(table: &str, upsert: Option<Upsert<'_>>) -> String {
    match upsert {
        None => String::new(),
        Some((key, sets)) => {
            let sets: Vec<String> = sets.iter().map(|s| s.replace("{table}", table)).collect();
            format!(
                " ON CONFLICT ({}) DO UPDATE SET {}",
                key.join(", "),
                sets.join(", ")
            )
        }
    }
}

impl Store {
    /// Inserts `rows` (values in the order of `cols`) into `table` in one
    /// transaction, with `trail` (rows of [`crate::audit::COLS`]) in the
    /// history; returns the number of rows written.
    pub(crate) async fn bulk_insert(
        &self,
        table: &str,
        cols: &[&str],
        rows: Vec<Vec<Val>>,
        upsert: Option<Upsert<'_>>,
        trail: Vec<Vec<Val>>,
    ) -> Result<u64, StoreError> {
        if rows.is_empty() && trail.is_empty() {
            return Ok(0);
        }
        if let Some(path) = self.sqlite_file().await? {
            return write_direct(
                path,
                table,
                vec![Batch::new(table, cols, rows, upsert)],
                false,
                None,
                None,
                trail,
            )
            .await;
        }
        let audit = &crate::audit::COLS;
        if self.is_sqlite() {
            let mut tx = self.conn().get_sqlite_connection_pool().begin().await?;
            let n = sqlite_insert(&mut tx, table, cols, &rows, upsert).await?;
            if !trail.is_empty() {
                sqlite_insert(&mut tx, "audit_log", audit, &trail, None).await?;
            }
            tx.commit().await?;
            Ok(n)
        } else {
            let mut tx = self.conn().get_postgres_connection_pool().begin().await?;
            let n = pg_copy(&mut tx, table, cols, &rows, upsert).await?;
            if !trail.is_empty() {
                pg_copy(&mut tx, "audit_log", audit, &trail, None).await?;
            }
            tx.commit().await?;
            Ok(n)
        }
    }
}

/// An import of at least this many rows into a table that holds fewer rows
/// than the import drops the table's secondary indexes first and builds them
/// again at the end, in the same transaction: one sorted build per index is
/// far faster than a million random insertions into each.
pub(crate) const REBUILD_MIN_ROWS: usize = 50_000;

/// Drops the secondary indexes of `table` when the rule above applies, and
/// returns the statements that build them again.
async fn sqlite_drop_indexes(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    table: &str,
    rows: usize,
) -> Result<Vec<String>, StoreError> {
    if rows < REBUILD_MIN_ROWS {
        return Ok(Vec::new());
    }
    let larger: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT 1 FROM {table} LIMIT 1 OFFSET {rows}"
    )))
    .fetch_optional(&mut **tx)
    .await?;
    if larger.is_some() {
        return Ok(Vec::new());
    }
    let defs: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await?;
    for (name, _) in &defs {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{name}\"")))
            .execute(&mut **tx)
            .await?;
    }
    Ok(defs.into_iter().map(|(_, sql)| sql).collect())
}

async fn pg_drop_indexes(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    table: &str,
    rows: usize,
) -> Result<Vec<String>, StoreError> {
    if rows < REBUILD_MIN_ROWS {
        return Ok(Vec::new());
    }
    let larger: Option<i32> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT 1 FROM {table} LIMIT 1 OFFSET {rows}"
    )))
    .fetch_optional(&mut **tx)
    .await?;
    if larger.is_some() {
        return Ok(Vec::new());
    }
    let defs: Vec<(String, String)> = sqlx::query_as(
        "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 \
         AND indexname NOT IN (SELECT conname::text FROM pg_constraint WHERE conrelid = to_regclass($1))",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await?;
    for (name, _) in &defs {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{name}\"")))
            .execute(&mut **tx)
            .await?;
    }
    Ok(defs.into_iter().map(|(_, sql)| sql).collect())
}

pub(crate) async fn sqlite_insert(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    table: &str,
    cols: &[&str],
    rows: &[Vec<Val>],
    upsert: Option<Upsert<'_>>,
) -> Result<u64, StoreError> {
    let per_stmt = (32_000 / cols.len().max(1)).clamp(1, 2_000);
    let head = format!("INSERT INTO {table} ({}) ", cols.join(", "));
    let tail = conflict_clause(table, upsert);
    let rebuild = sqlite_drop_indexes(tx, table, rows.len()).await?;
    let mut n = 0;
    for chunk in rows.chunks(per_stmt) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(&head);
        qb.push_values(chunk, |mut b, row| {
            for v in row {
                match v {
                    Val::I(i) => b.push_bind(*i),
                    Val::S(s) => b.push_bind(s.clone()),
                    Val::F(f) => b.push_bind(*f),
                };
            }
        });
        qb.push(&tail);
        n += qb
            .build()
            .persistent(true)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    tracing::debug!(rows = n, indexes = rebuild.len(), "rows inserted");
    for sql in rebuild {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut **tx)
            .await?;
    }
    tracing::debug!("indexes built");
    Ok(n)
}

pub(crate) async fn pg_copy(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    table: &str,
    cols: &[&str],
    rows: &[Vec<Val>],
    upsert: Option<Upsert<'_>>,
) -> Result<u64, StoreError> {
    let target = if upsert.is_some() {
        let tmp = format!("clef_tmp_{table}");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE TEMP TABLE {tmp} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        )))
        .execute(&mut **tx)
        .await?;
        tmp
    } else {
        table.to_owned()
    };
    let rebuild = pg_drop_indexes(tx, table, rows.len()).await?;
    let cols_sql = cols.join(", ");
    let mut copy = tx
        .copy_in_raw(&format!(
            "COPY {target} ({cols_sql}) FROM STDIN WITH (FORMAT csv)"
        ))
        .await?;
    let mut buf = String::with_capacity(1 << 20);
    for row in rows {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                buf.push(',');
            }
            csv_field(&mut buf, v);
        }
        buf.push('\n');
        if buf.len() > (1 << 20) {
            copy.send(std::mem::take(&mut buf).into_bytes()).await?;
        }
    }
    if !buf.is_empty() {
        copy.send(buf.into_bytes()).await?;
    }
    let copied = copy.finish().await?;
    if upsert.is_some() {
        let sql = format!(
            "INSERT INTO {table} ({cols_sql}) SELECT {cols_sql} FROM {target}{}",
            conflict_clause(table, upsert)
        );
        let n = sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut **tx)
            .await?
            .rows_affected();
        pg_rebuild(tx, rebuild).await?;
        return Ok(n);
    }
    pg_rebuild(tx, rebuild).await?;
    Ok(copied)
}

async fn pg_rebuild(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    defs: Vec<String>,
) -> Result<(), StoreError> {
    for sql in defs {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read() -> Replaced {
        Replaced {
            table: "contacts",
            versions: vec![(3, 1), (7, 4)],
            last: 10,
            first_above: Some(12),
        }
    }

    fn refused(r: Result<(), StoreError>) -> bool {
        matches!(r, Err(StoreError::Conflict(m)) if m == RECORDS_CHANGED)
    }

    /// The write goes on only when the records the history read are as
    /// they were, and no record came under one of the file's new ids.
    #[test]
    fn a_replaced_record_changed_or_added_meanwhile_stops_the_write() {
        let r = read();
        assert!(r.check(&[(3, 1), (7, 4)], 10).is_ok());
        // Others were added, below the file's first new id.
        assert!(r.check(&[(3, 1), (7, 4)], 11).is_ok());
        // Edited, deleted, or a record under an id of the file.
        assert!(refused(r.check(&[(3, 1), (7, 5)], 10)));
        assert!(refused(r.check(&[(3, 1)], 10)));
        assert!(refused(r.check(&[(3, 1), (7, 4)], 12)));
        assert_eq!(
            r.versions_sql(),
            ["SELECT id, version FROM contacts WHERE id IN (3,7) ORDER BY id"]
        );
    }
}
