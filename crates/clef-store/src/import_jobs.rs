//! Imports started from the browser, as every instance sharing the
//! database sees them: who started which file, when, and how it ended (its
//! report, or why it stopped). The running instance shows the live
//! progress; the others and a restarted one read the end from here.

use crate::{ImportReport, Store, StoreError, now};
use sea_orm::{ConnectionTrait, Statement, Value};

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

/// An import whose instance has not said it still runs for this long
/// stopped with that instance (the instance says so every few seconds).
pub const IMPORT_JOB_LOST_AFTER_S: i64 = 120;

impl Store {
    /// Records an import being started; answers its number.
    pub async fn start_import_job(
        &self,
        user_id: i64,
        kind: &str,
        file: &str,
    ) -> Result<i64, StoreError> {
        let sql = self.numbered(
            "INSERT INTO import_jobs (user_id, kind, file, started_at, beat_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        );
        let t = now();
        let values: Vec<Value> = vec![user_id.into(), kind.into(), file.into(), t.into(), t.into()];
        let row = self
            .conn()
            .query_one_raw(Statement::from_sql_and_values(self.backend(), sql, values))
            .await?
            .ok_or_else(|| StoreError::Config("the import was not recorded".into()))?;
        Ok(row.try_get_by_index::<i64>(0)?)
    }

    /// Records that the import `id` still runs on this instance.
    pub async fn import_job_beat(&self, id: i64) -> Result<(), StoreError> {
        let sql = self
            .numbered("UPDATE import_jobs SET beat_at = ? WHERE id = ? AND finished_at IS NULL");
        self.conn()
            .execute_raw(Statement::from_sql_and_values(
                self.backend(),
                sql,
                [now().into(), id.into()],
            ))
            .await?;
        Ok(())
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
        let sql = self.numbered(&format!(
            "SELECT {JOB_COLUMNS} FROM import_jobs WHERE id = ?"
        ));
        self.conn()
            .query_one_raw(Statement::from_sql_and_values(
                self.backend(),
                sql,
                [id.into()],
            ))
            .await?
            .map(|r| job_row(&r))
            .transpose()
    }

    /// The latest `limit` imports that `user_id` started, the latest first.
    pub async fn recent_import_jobs(
        &self,
        user_id: i64,
        limit: u64,
    ) -> Result<Vec<ImportJobRow>, StoreError> {
        let sql = self.numbered(&format!(
            "SELECT {JOB_COLUMNS} FROM import_jobs WHERE user_id = ? ORDER BY id DESC LIMIT ?"
        ));
        self.conn()
            .query_all_raw(Statement::from_sql_and_values(
                self.backend(),
                sql,
                [
                    user_id.into(),
                    i64::try_from(limit).unwrap_or(i64::MAX).into(),
                ],
            ))
            .await?
            .iter()
            .map(job_row)
            .collect()
    }
}

const JOB_COLUMNS: &str =
    "id, user_id, kind, file, started_at, finished_at, status, reason, report, beat_at";

/// An import as a row of [`JOB_COLUMNS`] holds it.
fn job_row(r: &sea_orm::QueryResult) -> Result<ImportJobRow, StoreError> {
    let started_at: i64 = r.try_get_by_index(4)?;
    let finished_at: Option<i64> = r.try_get_by_index(5)?;
    let status: Option<i64> = r.try_get_by_index(6)?;
    let reason: Option<String> = r.try_get_by_index(7)?;
    let report: Option<String> = r.try_get_by_index(8)?;
    let beat_at: i64 = r.try_get_by_index(9)?;
    let outcome = match (finished_at, report, status) {
        (Some(_), Some(json), _) => Some(
            serde_json::from_str::<ImportReport>(&json)
                .map_err(|_| (500, "import-reason-server".to_owned())),
        ),
        (Some(_), None, s) => Some(Err((
            s.and_then(|s| u16::try_from(s).ok()).unwrap_or(500),
            reason.unwrap_or_else(|| "import-reason-server".into()),
        ))),
        (None, _, _) if now() - beat_at > IMPORT_JOB_LOST_AFTER_S => {
            Some(Err((500, "import-reason-stopped".into())))
        }
        (None, _, _) => None,
    };
    Ok(ImportJobRow {
        id: r.try_get_by_index(0)?,
        user_id: r.try_get_by_index(1)?,
        kind: r.try_get_by_index(2)?,
        file: r.try_get_by_index(3)?,
        started_at,
        finished_at,
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::RowError;

    /// An import is running while its instance says so, stopped once it
    /// stops saying so, and ended with its report or its reason; on SQLite
    /// and on PostgreSQL.
    #[tokio::test]
    async fn an_import_job_reads_back_as_it_ended() {
        let backends = crate::test_db::backends("import_jobs").await;
        let stores = backends.stores.clone();
        for (backend, store) in stores {
            let user = store
                .create_user(&crate::NewUser {
                    email: "a@example.com".into(),
                    name: "A".into(),
                    role: "admin".into(),
                    password: "correct horse battery".into(),
                    ..Default::default()
                })
                .await
                .unwrap();
            let running = store
                .start_import_job(user.id, "customers", "a.csv")
                .await
                .unwrap();
            let row = store.import_job(running).await.unwrap().unwrap();
            assert!(row.outcome.is_none(), "{backend}");
            assert_eq!(
                (row.kind.as_str(), row.file.as_str()),
                ("customers", "a.csv")
            );
            store.import_job_beat(running).await.unwrap();
            // Its instance went quiet.
            store
                .conn()
                .execute_unprepared(&format!(
                    "UPDATE import_jobs SET beat_at = beat_at - {} WHERE id = {running}",
                    IMPORT_JOB_LOST_AFTER_S + 1
                ))
                .await
                .unwrap();
            let lost = store.import_job(running).await.unwrap().unwrap();
            assert!(
                matches!(&lost.outcome, Some(Err((500, why))) if why == "import-reason-stopped"),
                "{backend}: {:?}",
                lost.outcome
            );
            let mut report = ImportReport::default();
            report.rows = 2;
            report.error_count = 1;
            report.errors.push(RowError {
                line: 3,
                column: "country".into(),
                code: "invalid-country".into(),
                message: "country XX is not known".into(),
            });
            let done = store
                .start_import_job(user.id, "customers", "b.csv")
                .await
                .unwrap();
            store
                .finish_import_job(done, &Ok(report.clone()))
                .await
                .unwrap();
            let row = store.import_job(done).await.unwrap().unwrap();
            let Some(Ok(read)) = row.outcome else {
                panic!("{backend}: {:?}", row.outcome)
            };
            assert_eq!((read.rows, read.errors.clone()), (2, report.errors.clone()));
            let refused = store
                .start_import_job(user.id, "contacts", "c.csv")
                .await
                .unwrap();
            store
                .finish_import_job(refused, &Err((409, "import-reason-conflict".into())))
                .await
                .unwrap();
            let row = store.import_job(refused).await.unwrap().unwrap();
            assert!(
                matches!(&row.outcome, Some(Err((409, why))) if why == "import-reason-conflict"),
                "{backend}"
            );
            assert!(store.import_job(refused + 100).await.unwrap().is_none());
        }
        backends.end().await;
    }
}
