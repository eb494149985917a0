//! Imports started from the browser, as every instance sharing the
//! database sees them: who started which file, when, and how it ended (its
//! report, or why it stopped). The running instance shows the live
//! progress; the others and a restarted one read the end from here.

use crate::{ImportReport, Store, StoreError, now};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

/// An import as the database keeps it.
#[derive(Debug, Clone)]
pub struct ImportJobRow {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub file: String,
    /// Unix seconds.
    pub started_at: i64,
    /// None while it runs.
    pub finished_at: Option<i64>,
    /// How it ended: its report, or the status and message key of why it
    /// stopped without one.
    pub outcome: Option<Result<ImportReport, (u16, String)>>,
}

/// An import not ended this long after its start stopped with the
/// instance that ran it.
pub const IMPORT_JOB_LOST_AFTER_S: i64 = 24 * 3600;

impl Store {
    /// `sql` with `?` placeholders, numbered on PostgreSQL.
    fn numbered(&self, sql: &str) -> String {
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

    /// Records an import being started; answers its number.
    pub async fn start_import_job(
        &self,
        user_id: i64,
        kind: &str,
        file: &str,
    ) -> Result<i64, StoreError> {
        let sql = self.numbered(
            "INSERT INTO import_jobs (user_id, kind, file, started_at) VALUES (?, ?, ?, ?) RETURNING id",
        );
        let values: Vec<Value> = vec![user_id.into(), kind.into(), file.into(), now().into()];
        let row = self
            .conn()
            .query_one_raw(Statement::from_sql_and_values(self.backend(), sql, values))
            .await?
            .ok_or_else(|| StoreError::Config("the import was not recorded".into()))?;
        Ok(row.try_get_by_index::<i64>(0)?)
    }

    /// Records how an import ended: its report, or why it stopped.
    pub async fn finish_import_job(
        &self,
        id: i64,
        outcome: &Result<ImportReport, (u16, String)>,
    ) -> Result<(), StoreError> {
        let (status, reason, report): (Option<i64>, Option<String>, Option<String>) = match outcome
        {
            Ok(r) => (
                None,
                None,
                Some(serde_json::to_string(r).map_err(|e| StoreError::Config(e.to_string()))?),
            ),
            Err((s, why)) => (Some(i64::from(*s)), Some(why.clone()), None),
        };
        let sql = self.numbered(
            "UPDATE import_jobs SET finished_at = ?, status = ?, reason = ?, report = ? WHERE id = ?",
        );
        let values: Vec<Value> = vec![
            now().into(),
            status.into(),
            reason.into(),
            report.into(),
            id.into(),
        ];
        self.conn()
            .execute_raw(Statement::from_sql_and_values(self.backend(), sql, values))
            .await?;
        Ok(())
    }

    /// The import `id`, if it was recorded.
    pub async fn import_job(&self, id: i64) -> Result<Option<ImportJobRow>, StoreError> {
        let sql = self.numbered(
            "SELECT id, user_id, kind, file, started_at, finished_at, status, reason, report FROM import_jobs WHERE id = ?",
        );
        let Some(r) = self
            .conn()
            .query_one_raw(Statement::from_sql_and_values(
                self.backend(),
                sql,
                [id.into()],
            ))
            .await?
        else {
            return Ok(None);
        };
        let started_at: i64 = r.try_get_by_index(4)?;
        let finished_at: Option<i64> = r.try_get_by_index(5)?;
        let status: Option<i64> = r.try_get_by_index(6)?;
        let reason: Option<String> = r.try_get_by_index(7)?;
        let report: Option<String> = r.try_get_by_index(8)?;
        let outcome = match (finished_at, report, status) {
            (Some(_), Some(json), _) => Some(
                serde_json::from_str::<ImportReport>(&json)
                    .map_err(|_| (500, "import-reason-server".to_owned())),
            ),
            (Some(_), None, s) => Some(Err((
                s.and_then(|s| u16::try_from(s).ok()).unwrap_or(500),
                reason.unwrap_or_else(|| "import-reason-server".into()),
            ))),
            (None, _, _) if now() - started_at > IMPORT_JOB_LOST_AFTER_S => {
                Some(Err((500, "import-reason-stopped".into())))
            }
            (None, _, _) => None,
        };
        Ok(Some(ImportJobRow {
            id: r.try_get_by_index(0)?,
            user_id: r.try_get_by_index(1)?,
            kind: r.try_get_by_index(2)?,
            file: r.try_get_by_index(3)?,
            started_at,
            finished_at,
            outcome,
        }))
    }
}
