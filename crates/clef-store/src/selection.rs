//! Key-account selection: the candidate grid, scores with evidence, the
//! propose → approve/reject → deselect workflow with its history, and the
//! managers' loads against the program's capacity.

use crate::{
    Store, StoreError, audit,
    entities::{customer, selection_criterion, selection_event, selection_score, user},
    now,
};
use clef_domain::{
    CustomerStatus, FieldError, FieldErrors, KamTitle, Role,
    selection::{Capacity, Decision, Load, capacity},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement, sea_query::Expr,
};
use serde_json::json;

/// A candidate of the grid with its weighted score.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub customer_id: i64,
    pub name: String,
    pub country: String,
    pub status: String,
    pub owner_id: Option<i64>,
    /// 1–5, `None` while no criterion is scored.
    pub score: Option<f64>,
    pub scored: i64,
    /// Whether a proposal waits for a decision.
    pub pending: bool,
}

/// What the candidates list is ordered by; candidates without a score come
/// last when ordered by score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CandidateSort {
    /// The weighted score.
    #[default]
    Score,
    Name,
    Country,
    /// How many criteria are scored.
    Scored,
}

impl CandidateSort {
    pub const ALL: [(&'static str, CandidateSort); 4] = [
        ("score", CandidateSort::Score),
        ("name", CandidateSort::Name),
        ("country", CandidateSort::Country),
        ("scored", CandidateSort::Scored),
    ];

    /// `key` (ascending) or `-key` (descending), and whether it is
    /// descending.
    pub fn parse(raw: &str) -> Option<(CandidateSort, bool)> {
        crate::parse_order(raw, &Self::ALL)
    }
}

/// Which candidates, in which order: by default the best score first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateQuery {
    /// Only candidates whose name starts with this (case and accents
    /// aside); when none does, those with a word that does.
    pub q: Option<String>,
    pub sort: CandidateSort,
    pub descending: bool,
}

impl Default for CandidateQuery {
    fn default() -> Self {
        CandidateQuery {
            q: None,
            sort: CandidateSort::Score,
            descending: true,
        }
    }
}

/// A manager's key accounts against the capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagerLoad {
    pub user: user::Model,
    pub title: Option<KamTitle>,
    pub held: u64,
    pub capacity: Capacity,
    pub load: Load,
}

/// One criterion's score as submitted.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreInput {
    pub criterion_id: i64,
    pub score: u8,
    pub evidence: Option<String>,
}

/// A proposal as submitted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Proposal {
    pub manager_id: i64,
    pub sponsor_id: Option<i64>,
    pub reason: String,
    /// The proposer may give the account another sponsor than its own
    /// (directors); others may name one only for an account without one.
    pub may_change_sponsor: bool,
}

impl Store {
    /// The grid's criteria, in order; inactive ones only if asked.
    pub async fn grid(
        &self,
        with_inactive: bool,
    ) -> Result<Vec<selection_criterion::Model>, StoreError> {
        let mut q = selection_criterion::Entity::find();
        if !with_inactive {
            q = q.filter(selection_criterion::Column::Active.eq(true));
        }
        Ok(q.order_by_asc(selection_criterion::Column::Position)
            .order_by_asc(selection_criterion::Column::Id)
            .all(self.conn())
            .await?)
    }

    /// Changes the weights (and whether each criterion counts).
    pub async fn set_grid_weights(
        &self,
        actor: Option<i64>,
        weights: &[(i64, i64, bool)],
        seen: Option<&[(i64, i64, bool)]>,
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        // The grid as the form showed it (each criterion's weight and
        // whether it counts): changed since by someone else, nothing is
        // written. The rows are held to the commit on PostgreSQL, in one
        // order and without blocking scores that name them (their key
        // stays).
        if !self.is_sqlite() {
            txn.execute_unprepared(
                "SELECT id FROM selection_criteria ORDER BY id FOR NO KEY UPDATE",
            )
            .await?;
        }
        let now = selection_criterion::Entity::find().all(&txn).await?;
        if let Some(seen) = seen
            && seen.iter().any(|(id, w, a)| {
                now.iter()
                    .find(|c| c.id == *id)
                    .is_some_and(|c| (c.weight, c.active) != (*w, *a))
            })
        {
            return Err(StoreError::Stale {
                entity: "selection grid",
                current: 0,
            });
        }
        let mut e = FieldErrors::new();
        for (i, (id, w, active)) in weights.iter().enumerate() {
            let r = selection_criterion::Entity::update_many()
                .col_expr(selection_criterion::Column::Weight, Expr::value(*w))
                .col_expr(selection_criterion::Column::Active, Expr::value(*active))
                .filter(selection_criterion::Column::Id.eq(*id))
                .exec(&txn)
                .await?;
            if r.rows_affected == 0 {
                e.push(FieldError::new(
                    &format!("criteria[{i}].id"),
                    "unknown-reference",
                    format!("there is no criterion with id {id}"),
                ));
            }
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        audit::record(&txn, actor, "selection_grid", 0, "update", json!({"weights": weights.iter().map(|(id, w, a)| json!([id, w, a])).collect::<Vec<_>>()})).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Adds a criterion at the end of the grid.
    pub async fn add_criterion(
        &self,
        actor: Option<i64>,
        key: &str,
        label_en: &str,
        label_fr: &str,
        weight: i64,
    ) -> Result<selection_criterion::Model, StoreError> {
        let txn = self.write_txn().await?;
        if selection_criterion::Entity::find()
            .filter(selection_criterion::Column::Key.eq(key))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(StoreError::invalid(
                "key",
                "duplicate",
                format!("the grid already has a criterion \"{key}\""),
            ));
        }
        let position = selection_criterion::Entity::find().count(&txn).await? as i64 + 1;
        let m = selection_criterion::ActiveModel {
            key: Set(key.to_owned()),
            label_en: Set(label_en.to_owned()),
            label_fr: Set(label_fr.to_owned()),
            weight: Set(weight),
            position: Set(position),
            active: Set(true),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            if crate::error::is_unique_violation(&e) {
                StoreError::invalid(
                    "key",
                    "duplicate",
                    format!("the grid already has a criterion \"{key}\""),
                )
            } else {
                e.into()
            }
        })?;
        audit::record(
            &txn,
            actor,
            "selection_grid",
            m.id,
            "create",
            json!({"key": key, "weight": weight}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// A customer's scores on the grid.
    pub async fn scores_of(
        &self,
        customer_id: i64,
    ) -> Result<Vec<selection_score::Model>, StoreError> {
        Ok(selection_score::Entity::find()
            .filter(selection_score::Column::CustomerId.eq(customer_id))
            .all(self.conn())
            .await?)
    }

    /// Records scores (replacing earlier ones of the same criteria).
    pub async fn set_scores(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        scores: &[ScoreInput],
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        // Held until written: a concurrent change waits, then reads the
        // state this one leaves (on PostgreSQL).
        self.hold_customer(&txn, customer_id, "FOR NO KEY UPDATE")
            .await?;
        let c = customer::Entity::find_by_id(customer_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        let grid: Vec<i64> = selection_criterion::Entity::find()
            .all(&txn)
            .await?
            .iter()
            .map(|g| g.id)
            .collect();
        let mut e = FieldErrors::new();
        for (i, s) in scores.iter().enumerate() {
            if !grid.contains(&s.criterion_id) {
                e.push(FieldError::new(
                    &format!("scores[{i}].criterion_id"),
                    "unknown-reference",
                    format!("there is no criterion with id {}", s.criterion_id),
                ));
            }
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let t = now();
        for s in scores {
            selection_score::Entity::delete_many()
                .filter(selection_score::Column::CustomerId.eq(customer_id))
                .filter(selection_score::Column::CriterionId.eq(s.criterion_id))
                .exec(&txn)
                .await?;
            selection_score::ActiveModel {
                customer_id: Set(customer_id),
                criterion_id: Set(s.criterion_id),
                score: Set(i64::from(s.score)),
                evidence: Set(s.evidence.clone()),
                scored_by: Set(actor),
                scored_at: Set(t),
            }
            .insert(&txn)
            .await?;
        }
        audit::record(
            &txn,
            actor,
            "customer",
            c.id,
            "selection_scores",
            json!({"scores": scores.iter().map(|s| json!({"criterion_id": s.criterion_id, "score": s.score, "evidence": s.evidence})).collect::<Vec<_>>()}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Candidates ranked by weighted score (unscored last), one page, and
    /// how many there are. Candidates are customers with status candidate.
    pub async fn candidates(
        &self,
        cq: &CandidateQuery,
        offset: u64,
        limit: u64,
    ) -> Result<(u64, Vec<Candidate>), StoreError> {
        let key =
            cq.q.as_deref()
                .map(clef_domain::search_key)
                .filter(|k| !k.is_empty());
        let candidates = customer::Entity::find()
            .filter(customer::Column::Status.eq(CustomerStatus::Candidate.as_str()));
        let mut total = match &key {
            Some(k) => {
                candidates
                    .clone()
                    .filter(customer::Column::NameKey.gte(k.clone()))
                    .filter(customer::Column::NameKey.lt(format!("{k}\u{10FFFF}")))
                    .count(self.conn())
                    .await?
            }
            None => candidates.clone().count(self.conn()).await?,
        };
        // No name starts with the search: a word inside one may, as in the
        // portfolio (and within the same size).
        let inside = match cq.q.as_deref() {
            Some(q) if key.is_some() && total == 0 && self.within_words_allowed().await? => {
                crate::customers::word_pattern(q)
            }
            _ => None,
        };
        let words = crate::customers::words_of("c.name_key");
        let (named, values) = match (&key, &inside) {
            (_, Some(pattern)) => {
                total = candidates
                    .filter(
                        Expr::expr(Expr::cust(crate::customers::words_of(
                            "\"customers\".\"name_key\"",
                        )))
                        .like(pattern.clone()),
                    )
                    .count(self.conn())
                    .await?;
                (format!(" AND {words} LIKE ?"), vec![pattern.clone().into()])
            }
            (Some(k), None) => (
                " AND c.name_key >= ? AND c.name_key < ?".to_owned(),
                vec![k.clone().into(), format!("{k}\u{10FFFF}").into()],
            ),
            (None, None) => (String::new(), Vec::new()),
        };
        let dir = if cq.descending { "DESC" } else { "ASC" };
        let order = match cq.sort {
            CandidateSort::Score => format!("(s.score IS NULL), s.score {dir}, c.name_key, c.id"),
            CandidateSort::Name => format!("c.name_key {dir}, c.id {dir}"),
            CandidateSort::Country => format!("c.country {dir}, c.name_key, c.id"),
            CandidateSort::Scored => {
                format!("COALESCE(s.n, 0) {dir}, (s.score IS NULL), s.score DESC, c.name_key, c.id")
            }
        };
        let sql = format!(
            "SELECT c.id, c.name, c.country, c.status, c.owner_id, s.score, COALESCE(s.n, 0),
                    EXISTS (SELECT 1 FROM selection_events e WHERE e.customer_id = c.id
                            AND e.id = (SELECT MAX(e2.id) FROM selection_events e2 WHERE e2.customer_id = c.id)
                            AND e.decision = 'proposed')
             FROM customers c LEFT JOIN (
                SELECT sc.customer_id, CAST(SUM(sc.score * g.weight) AS DOUBLE PRECISION) / NULLIF(SUM(g.weight), 0) AS score, COUNT(*) AS n
                FROM selection_scores sc JOIN selection_criteria g ON g.id = sc.criterion_id AND g.active
                GROUP BY sc.customer_id) s ON s.customer_id = c.id
             WHERE c.status = 'candidate'{named}
             ORDER BY {order}
             LIMIT {limit} OFFSET {offset}"
        );
        let sql = self.numbered(&sql);
        let rows = self
            .conn()
            .query_all_raw(Statement::from_sql_and_values(self.backend(), sql, values))
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(Candidate {
                customer_id: r.try_get_by_index(0)?,
                name: r.try_get_by_index(1)?,
                country: r.try_get_by_index(2)?,
                status: r.try_get_by_index(3)?,
                owner_id: r.try_get_by_index(4)?,
                score: r.try_get_by_index(5)?,
                scored: r.try_get_by_index(6)?,
                pending: r.try_get_by_index(7)?,
            });
        }
        Ok((total, out))
    }

    /// A customer's selection history, oldest first.
    pub async fn selection_history(
        &self,
        customer_id: i64,
    ) -> Result<Vec<selection_event::Model>, StoreError> {
        Ok(selection_event::Entity::find()
            .filter(selection_event::Column::CustomerId.eq(customer_id))
            .order_by_asc(selection_event::Column::Id)
            .all(self.conn())
            .await?)
    }

    /// The latest decisions across the program, newest first.
    pub async fn recent_decisions(
        &self,
        limit: u64,
    ) -> Result<Vec<selection_event::Model>, StoreError> {
        Ok(selection_event::Entity::find()
            .order_by_desc(selection_event::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?)
    }

    /// The proposal waiting for a decision on a customer, if any.
    pub async fn pending_proposal(
        &self,
        db: &impl ConnectionTrait,
        customer_id: i64,
    ) -> Result<Option<selection_event::Model>, StoreError> {
        let last = selection_event::Entity::find()
            .filter(selection_event::Column::CustomerId.eq(customer_id))
            .order_by_desc(selection_event::Column::Id)
            .one(db)
            .await?;
        Ok(last.filter(|e| e.decision == Decision::Proposed.as_str()))
    }

    /// Proposals waiting for a decision, oldest first.
    pub async fn pending_proposals(&self) -> Result<Vec<selection_event::Model>, StoreError> {
        let sql = "SELECT e.id FROM selection_events e
                   WHERE e.decision = 'proposed'
                     AND e.id = (SELECT MAX(e2.id) FROM selection_events e2 WHERE e2.customer_id = e.customer_id)
                   ORDER BY e.id LIMIT 500";
        let ids: Vec<i64> = self
            .conn()
            .query_all_raw(Statement::from_string(self.backend(), sql))
            .await?
            .iter()
            .map(|r| r.try_get_by_index(0))
            .collect::<Result<_, _>>()?;
        Ok(selection_event::Entity::find()
            .filter(selection_event::Column::Id.is_in(ids))
            .order_by_asc(selection_event::Column::Id)
            .all(self.conn())
            .await?)
    }

    /// How many key accounts a manager holds (leaving out `except`).
    pub async fn key_accounts_held(
        &self,
        db: &impl ConnectionTrait,
        manager_id: i64,
        except: Option<i64>,
    ) -> Result<u64, StoreError> {
        let mut q = customer::Entity::find()
            .filter(customer::Column::OwnerId.eq(manager_id))
            .filter(customer::Column::Status.eq(CustomerStatus::KeyAccount.as_str()));
        if let Some(x) = except {
            q = q.filter(customer::Column::Id.ne(x));
        }
        Ok(q.count(db).await?)
    }

    /// When handing `customer_id` to `manager_id` as a key account goes
    /// beyond the manager's capacity: what to tell the user.
    pub(crate) async fn beyond_capacity(
        &self,
        db: &impl ConnectionTrait,
        manager_id: i64,
        customer_id: i64,
    ) -> Result<Option<String>, StoreError> {
        // Held to the end of the transaction (on PostgreSQL): two accounts
        // handed to the same manager at once are counted one after the other.
        match self
            .hold_row(db, "users", "user", manager_id, "FOR NO KEY UPDATE")
            .await
        {
            Ok(()) | Err(StoreError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
        let m = user::Entity::find_by_id(manager_id).one(db).await?;
        let cap = capacity(
            m.as_ref()
                .and_then(|m| m.title.as_deref())
                .and_then(KamTitle::from_str_opt),
        );
        let held = self
            .key_accounts_held(db, manager_id, Some(customer_id))
            .await?;
        Ok((held + 1 > cap.max).then(|| {
            format!(
                "{} already runs {held} key accounts and the limit is {}",
                m.map_or_else(|| format!("user {manager_id}"), |m| m.name),
                cap.max
            )
        }))
    }

    /// [`Store::beyond_capacity`] outside a transaction.
    pub async fn capacity_note(
        &self,
        manager_id: i64,
        customer_id: i64,
    ) -> Result<Option<String>, StoreError> {
        self.beyond_capacity(self.conn(), manager_id, customer_id)
            .await
    }

    /// Checks that `id` is an active key account manager; returns the user.
    async fn manager(
        &self,
        db: &impl ConnectionTrait,
        field: &str,
        id: i64,
    ) -> Result<user::Model, StoreError> {
        let u = user::Entity::find_by_id(id).one(db).await?;
        match u {
            Some(u) if u.active && u.role == Role::Kam.as_str() => Ok(u),
            Some(u) => Err(StoreError::invalid(
                field,
                "not-a-kam",
                format!(
                    "{} is not an active key account manager (role kam); choose one",
                    u.name
                ),
            )),
            None => Err(StoreError::invalid(
                field,
                "unknown-reference",
                format!("there is no user with id {id}"),
            )),
        }
    }

    async fn sponsor(&self, db: &impl ConnectionTrait, id: Option<i64>) -> Result<(), StoreError> {
        let Some(id) = id else { return Ok(()) };
        match user::Entity::find_by_id(id).one(db).await? {
            // As the sponsorship plan has them: sponsors and directors.
            Some(u) if u.active && matches!(u.role.as_str(), "sponsor" | "director") => Ok(()),
            Some(u) => Err(StoreError::invalid(
                "sponsor_id",
                "not-a-sponsor",
                format!(
                    "{} is not an executive sponsor (role sponsor or director)",
                    u.name
                ),
            )),
            None => Err(StoreError::invalid(
                "sponsor_id",
                "unknown-reference",
                format!("there is no user with id {id}"),
            )),
        }
    }

    async fn score_now(
        &self,
        db: &impl ConnectionTrait,
        customer_id: i64,
    ) -> Result<Option<f64>, StoreError> {
        let sql = format!(
            "SELECT CAST(SUM(sc.score * g.weight) AS DOUBLE PRECISION) / NULLIF(SUM(g.weight), 0)
             FROM selection_scores sc JOIN selection_criteria g ON g.id = sc.criterion_id AND g.active
             WHERE sc.customer_id = {customer_id}"
        );
        let r = db
            .query_one_raw(Statement::from_string(self.backend(), sql))
            .await?;
        Ok(match r {
            Some(r) => r.try_get_by_index(0)?,
            None => None,
        })
    }

    async fn set_status(
        &self,
        db: &impl ConnectionTrait,
        c: &customer::Model,
        status: CustomerStatus,
        owner: Option<Option<i64>>,
        sponsor: Option<Option<i64>>,
    ) -> Result<(), StoreError> {
        let mut q = customer::Entity::update_many()
            .col_expr(customer::Column::Status, Expr::value(status.as_str()))
            .col_expr(
                customer::Column::Version,
                Expr::col(customer::Column::Version).add(1),
            )
            .col_expr(customer::Column::UpdatedAt, Expr::value(now()));
        if let Some(o) = owner {
            q = q.col_expr(customer::Column::OwnerId, Expr::value(o));
        }
        if let Some(s) = sponsor {
            q = q.col_expr(customer::Column::SponsorId, Expr::value(s));
        }
        let r = q
            .filter(customer::Column::Id.eq(c.id))
            .filter(customer::Column::Version.eq(c.version))
            .exec(db)
            .await?;
        if r.rows_affected == 0 {
            return Err(StoreError::Stale {
                entity: "customer",
                current: c.version + 1,
            });
        }
        self.touch_figures_in(db).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn record_event(
        &self,
        db: &impl ConnectionTrait,
        actor: Option<i64>,
        customer_id: i64,
        decision: Decision,
        reason: Option<String>,
        manager_id: Option<i64>,
        sponsor_id: Option<i64>,
        override_reason: Option<String>,
    ) -> Result<selection_event::Model, StoreError> {
        let score = self.score_now(db, customer_id).await?;
        let e = selection_event::ActiveModel {
            customer_id: Set(customer_id),
            decision: Set(decision.as_str().to_owned()),
            actor_id: Set(actor),
            at: Set(now()),
            reason: Set(reason.clone()),
            manager_id: Set(manager_id),
            sponsor_id: Set(sponsor_id),
            override_reason: Set(override_reason.clone()),
            score: Set(score),
            ..Default::default()
        }
        .insert(db)
        .await?;
        audit::record(
            db,
            actor,
            "customer",
            customer_id,
            decision.as_str(),
            json!({"reason": reason, "manager_id": manager_id, "sponsor_id": sponsor_id, "override_reason": override_reason, "score": score}),
        )
        .await?;
        Ok(e)
    }

    /// Proposes a customer as key account, to be run by `manager_id`.
    pub async fn propose_key_account(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        p: &Proposal,
    ) -> Result<selection_event::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held until written: a concurrent change waits, then reads the
        // state this one leaves (on PostgreSQL).
        self.hold_customer(&txn, customer_id, "FOR NO KEY UPDATE")
            .await?;
        let c = customer::Entity::find_by_id(customer_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        if c.status == CustomerStatus::KeyAccount.as_str() {
            return Err(StoreError::refused(
                "refused-selection-already-key",
                &[("name", &c.name)],
                format!("{} is already a key account", c.name),
            ));
        }
        if self.pending_proposal(&txn, customer_id).await?.is_some() {
            return Err(StoreError::refused(
                "refused-selection-pending",
                &[("name", &c.name)],
                format!("{} already has a proposal waiting for a decision", c.name),
            ));
        }
        self.manager(&txn, "manager_id", p.manager_id).await?;
        self.sponsor(&txn, p.sponsor_id).await?;
        // The account's sponsor decides: a proposal names another only when
        // its proposer may change it (then it is the account's from now).
        let mut new_sponsor = None;
        if let (Some(now), Some(named)) = (c.sponsor_id, p.sponsor_id)
            && now != named
        {
            if p.may_change_sponsor {
                new_sponsor = Some(Some(named));
            } else {
                return Err(StoreError::invalid(
                    "sponsor_id",
                    "sponsor-set",
                    format!(
                        "{} already has an executive sponsor: keep it, or ask a program director to name another",
                        c.name
                    ),
                ));
            }
        }
        self.set_status(&txn, &c, CustomerStatus::Candidate, None, new_sponsor)
            .await?;
        let e = self
            .record_event(
                &txn,
                actor,
                customer_id,
                Decision::Proposed,
                Some(p.reason.clone()),
                Some(p.manager_id),
                p.sponsor_id,
                None,
            )
            .await?;
        txn.commit().await?;
        Ok(e)
    }

    /// Approves the waiting proposal: the customer becomes a key account run
    /// by the proposed manager. Beyond the manager's capacity, an override
    /// reason is required.
    pub async fn approve_key_account(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        note: Option<String>,
        override_reason: Option<String>,
    ) -> Result<selection_event::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held until written: a concurrent change waits, then reads the
        // state this one leaves (on PostgreSQL).
        self.hold_customer(&txn, customer_id, "FOR NO KEY UPDATE")
            .await?;
        let c = customer::Entity::find_by_id(customer_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        let Some(p) = self.pending_proposal(&txn, customer_id).await? else {
            return Err(StoreError::refused(
                "refused-selection-no-proposal",
                &[("name", &c.name)],
                format!("{} has no proposal waiting for a decision", c.name),
            ));
        };
        let manager_id = p.manager_id.unwrap_or_default();
        self.manager(&txn, "manager_id", manager_id).await?;
        let beyond = self.beyond_capacity(&txn, manager_id, customer_id).await?;
        if let Some(full) = &beyond
            && override_reason.is_none()
        {
            return Err(StoreError::invalid(
                "override_reason",
                "over-capacity",
                format!("{full}; give a reason to go beyond it"),
            ));
        }
        let over = beyond.and(override_reason);
        // A sponsor given to the account since the proposal stays.
        let sponsor = c.sponsor_id.or(p.sponsor_id);
        self.set_status(
            &txn,
            &c,
            CustomerStatus::KeyAccount,
            Some(Some(manager_id)),
            Some(sponsor),
        )
        .await?;
        let e = self
            .record_event(
                &txn,
                actor,
                customer_id,
                Decision::Approved,
                note,
                Some(manager_id),
                sponsor,
                over,
            )
            .await?;
        txn.commit().await?;
        Ok(e)
    }

    /// Rejects the waiting proposal; the customer goes back to the portfolio.
    pub async fn reject_key_account(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        reason: String,
    ) -> Result<selection_event::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held until written: a concurrent change waits, then reads the
        // state this one leaves (on PostgreSQL).
        self.hold_customer(&txn, customer_id, "FOR NO KEY UPDATE")
            .await?;
        let c = customer::Entity::find_by_id(customer_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        let Some(p) = self.pending_proposal(&txn, customer_id).await? else {
            return Err(StoreError::refused(
                "refused-selection-no-proposal",
                &[("name", &c.name)],
                format!("{} has no proposal waiting for a decision", c.name),
            ));
        };
        self.set_status(&txn, &c, CustomerStatus::Customer, None, None)
            .await?;
        let e = self
            .record_event(
                &txn,
                actor,
                customer_id,
                Decision::Rejected,
                Some(reason),
                p.manager_id,
                p.sponsor_id,
                None,
            )
            .await?;
        txn.commit().await?;
        Ok(e)
    }

    /// Takes a key account out of the program, with the reason.
    pub async fn deselect_key_account(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        reason: String,
    ) -> Result<selection_event::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held until written: a concurrent change waits, then reads the
        // state this one leaves (on PostgreSQL).
        self.hold_customer(&txn, customer_id, "FOR NO KEY UPDATE")
            .await?;
        let c = customer::Entity::find_by_id(customer_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        if c.status != CustomerStatus::KeyAccount.as_str() {
            return Err(StoreError::refused(
                "refused-selection-not-key",
                &[("name", &c.name)],
                format!("{} is not a key account", c.name),
            ));
        }
        // Out of the program, it has no executive sponsor any more.
        self.set_status(&txn, &c, CustomerStatus::Deselected, None, Some(None))
            .await?;
        let e = self
            .record_event(
                &txn,
                actor,
                customer_id,
                Decision::Deselected,
                Some(reason),
                c.owner_id,
                c.sponsor_id,
                None,
            )
            .await?;
        txn.commit().await?;
        Ok(e)
    }

    /// Every key account manager's load, heaviest first.
    pub async fn manager_loads(&self) -> Result<Vec<ManagerLoad>, StoreError> {
        let kams = user::Entity::find()
            .filter(user::Column::Role.eq(Role::Kam.as_str()))
            .filter(user::Column::Active.eq(true))
            .all(self.conn())
            .await?;
        let counts: Vec<(Option<i64>, i64)> = customer::Entity::find()
            .select_only()
            .column(customer::Column::OwnerId)
            .column_as(customer::Column::Id.count(), "n")
            .filter(customer::Column::Status.eq(CustomerStatus::KeyAccount.as_str()))
            .group_by(customer::Column::OwnerId)
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut out: Vec<ManagerLoad> = kams
            .into_iter()
            .map(|u| {
                let held = counts
                    .iter()
                    .find(|(o, _)| *o == Some(u.id))
                    .map_or(0, |(_, n)| Ord::max(*n, 0) as u64);
                let title = u.title.as_deref().and_then(KamTitle::from_str_opt);
                let cap = capacity(title);
                ManagerLoad {
                    load: Load::of(held, cap),
                    user: u,
                    title,
                    held,
                    capacity: cap,
                }
            })
            .collect();
        out.sort_by(|a, b| b.held.cmp(&a.held).then(a.user.name.cmp(&b.user.name)));
        Ok(out)
    }
}
