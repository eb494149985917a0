//! Failed sign-ins, as every instance sharing the database counts them: per
//! e-mail and the place each came from. The rules (how many, for how long)
//! belong to the web layer; this keeps and counts.

use crate::{Store, StoreError, now};
use sea_orm::{ConnectionTrait, Statement};

impl Store {
    /// How many sign-ins failed for `email` since `since` (Unix seconds):
    /// from `place`, and from everywhere together.
    pub async fn sign_in_failures(
        &self,
        email: &str,
        place: &str,
        since: i64,
    ) -> Result<(i64, i64), StoreError> {
        let sql = self.numbered(
            "SELECT COUNT(CASE WHEN place = ? THEN 1 END), COUNT(*)
             FROM sign_in_failures WHERE email = ? AND failed_at >= ?",
        );
        let row = self
            .conn()
            .query_one_raw(Statement::from_sql_and_values(
                self.backend(),
                sql,
                [place.into(), email.into(), since.into()],
            ))
            .await?;
        Ok(match row {
            Some(r) => (r.try_get_by_index(0)?, r.try_get_by_index(1)?),
            None => (0, 0),
        })
    }

    /// Records a failed sign-in for `email` from `place`, and forgets every
    /// failure older than `keep_s` seconds.
    pub async fn record_sign_in_failure(
        &self,
        email: &str,
        place: &str,
        keep_s: i64,
    ) -> Result<(), StoreError> {
        let t = now();
        let insert = self
            .numbered("INSERT INTO sign_in_failures (email, place, failed_at) VALUES (?, ?, ?)");
        let forget = self.numbered("DELETE FROM sign_in_failures WHERE failed_at < ?");
        self.conn()
            .execute_raw(Statement::from_sql_and_values(
                self.backend(),
                forget,
                [(t - keep_s).into()],
            ))
            .await?;
        self.conn()
            .execute_raw(Statement::from_sql_and_values(
                self.backend(),
                insert,
                [email.into(), place.into(), t.into()],
            ))
            .await?;
        Ok(())
    }

    /// Forgets the failed sign-ins for `email` from `place`.
    pub async fn clear_sign_in_failures(&self, email: &str, place: &str) -> Result<(), StoreError> {
        let sql = self.numbered("DELETE FROM sign_in_failures WHERE email = ? AND place = ?");
        self.conn()
            .execute_raw(Statement::from_sql_and_values(
                self.backend(),
                sql,
                [email.into(), place.into()],
            ))
            .await?;
        Ok(())
    }
}
