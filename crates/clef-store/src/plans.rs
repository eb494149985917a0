//! Key account plans: versions and their workflow (draft → submitted →
//! approved → archived), the follow-up of actions, "my actions" and search.

use crate::{
    Store, StoreError, audit,
    entities::{customer, plan_action_progress, plan_version},
    now,
};
use clef_domain::plan::{self, PlanAction, PlanContent, PlanStatus};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use std::collections::HashMap;

/// A key account (or former one) and where its plan stands.
#[derive(Debug, Clone)]
pub struct PlanRow {
    pub customer: customer::Model,
    /// The newest version, whatever its status.
    pub latest: Option<plan_version::Model>,
    /// The number of the version in force (approved), if any.
    pub approved: Option<i64>,
}

/// One action of a plan owned by a user.
#[derive(Debug, Clone)]
pub struct MyAction {
    pub customer_id: i64,
    pub customer_name: String,
    pub version_id: i64,
    pub version_number: i64,
    /// The version's edit counter (`plan_version.version`) as read.
    pub version_edits: i64,
    pub index: usize,
    pub action: PlanAction,
    pub initiative: Option<String>,
}

/// A plan field that matches a search.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub customer_id: i64,
    pub customer_name: String,
    pub version_id: i64,
    pub version_number: i64,
    pub field: String,
    pub excerpt: String,
}

impl plan_version::Model {
    /// The plan as written in this version.
    pub fn content(&self) -> PlanContent {
        serde_json::from_str(&self.content).unwrap_or_default()
    }

    pub fn plan_status(&self) -> PlanStatus {
        PlanStatus::from_str_opt(&self.status).unwrap_or(PlanStatus::Draft)
    }
}

fn frozen(v: &plan_version::Model) -> StoreError {
    StoreError::Refused(v.frozen())
}

impl plan_version::Model {
    /// Why this version's content cannot change (it is not a draft).
    pub fn frozen(&self) -> crate::Refusal {
        crate::Refusal::new(
            "refused-plan-frozen",
            &[("n", &self.number), ("status", &self.status)],
            self.frozen_message(),
        )
    }

    fn frozen_message(&self) -> String {
        let v = self;
        match v.plan_status() {
            PlanStatus::Approved => format!(
                "version {} is approved and frozen: start a new version to change the plan",
                v.number
            ),
            PlanStatus::Archived => format!("version {} is archived and cannot change", v.number),
            PlanStatus::Submitted => format!(
                "version {} is submitted for approval: return it to draft to change it",
                v.number
            ),
            PlanStatus::Draft => format!("version {} is a draft", v.number),
        }
    }
}

fn wrong_state(v: &plan_version::Model, doing: &str, needs: PlanStatus) -> StoreError {
    StoreError::refused(
        "refused-plan-wrong-state",
        &[
            ("n", &v.number),
            ("status", &v.status),
            ("doing", &doing.split(' ').next().unwrap_or(doing)),
            ("needs", &needs.as_str()),
        ],
        format!(
            "version {} is {}, so it cannot be {doing}: only a version that is {} can",
            v.number, v.status, needs
        ),
    )
}

/// Reads a version and holds its row to the end of the transaction (on
/// PostgreSQL; SQLite writes one at a time): a second writer waits, then
/// finds the version this one leaves.
async fn lock(
    txn: &DatabaseTransaction,
    id: i64,
    expected: Option<i64>,
) -> Result<plan_version::Model, StoreError> {
    let v = plan_version::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound("plan version"))?;
    if let Some(e) = expected
        && e != v.version
    {
        return Err(StoreError::Stale {
            entity: "plan version",
            current: v.version,
        });
    }
    Ok(v)
}

impl Store {
    /// Every version of a customer's plan, oldest first.
    pub async fn plan_versions(
        &self,
        customer_id: i64,
    ) -> Result<Vec<plan_version::Model>, StoreError> {
        Ok(plan_version::Entity::find()
            .filter(plan_version::Column::CustomerId.eq(customer_id))
            .order_by_asc(plan_version::Column::Number)
            .all(self.conn())
            .await?)
    }

    pub async fn plan_version(&self, id: i64) -> Result<plan_version::Model, StoreError> {
        plan_version::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("plan version"))
    }

    /// Starts a new draft: from the last approved version (carried to
    /// `year`, by default the year after it), or empty for `year` (by default
    /// `this_year`). Only key accounts have a plan, and one draft at a time.
    pub async fn create_plan_version(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        year: Option<i32>,
        this_year: i32,
    ) -> Result<plan_version::Model, StoreError> {
        let txn = self.write_txn().await?;
        let versions = self.may_start(&txn, customer_id).await?;
        let approved = versions
            .iter()
            .rev()
            .find(|v| v.plan_status() == PlanStatus::Approved);
        let (content, year, based_on) = match approved {
            Some(a) => {
                // The follow-up of its actions comes along.
                let mut c = a.content();
                if let Some(p) = progress_of(&txn, &[a.id]).await?.get(&a.id) {
                    apply_progress(&mut c, p);
                }
                let y = year.unwrap_or(a.year as i32 + 1);
                (c.carried_to(y), y, Some(a.id))
            }
            None => {
                let y = year.unwrap_or(this_year);
                (PlanContent::new_for(y), y, None)
            }
        };
        let number = versions.last().map_or(1, |v| v.number + 1);
        let m = insert_draft(
            &txn,
            actor,
            customer_id,
            number,
            year,
            content.to_value(),
            based_on,
        )
        .await?;
        audit::record(
            &txn,
            actor,
            "plan_version",
            m.id,
            "create",
            json!({"customer_id": customer_id, "number": number, "year": year, "based_on": based_on}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Replaces a draft's content if it is still at `expected`.
    pub async fn save_plan_content(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: i64,
        content: &PlanContent,
    ) -> Result<plan_version::Model, StoreError> {
        let txn = self.write_txn().await?;
        let v = lock(&txn, id, None).await?;
        if v.plan_status() != PlanStatus::Draft {
            return Err(frozen(&v));
        }
        if v.version != expected {
            return Err(StoreError::Stale {
                entity: "plan version",
                current: v.version,
            });
        }
        let changes = plan::compare(&v.content(), content);
        let mut am: plan_version::ActiveModel = v.clone().into();
        am.content = Set(content.to_value().to_string());
        am.version = Set(v.version + 1);
        am.updated_by = Set(actor);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "plan_version",
            id,
            "update",
            json!({"changes": changes}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Moves a version along its workflow. `submit` needs a draft that passes
    /// [`PlanContent::check_submittable`]; `approve` a submitted version (the
    /// version approved before it is archived); `return` a submitted one
    /// (back to draft, with a note); `archive` an approved one.
    pub async fn move_plan(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: Option<i64>,
        to: PlanStatus,
        note: Option<&str>,
    ) -> Result<plan_version::Model, StoreError> {
        let txn = self.write_txn().await?;
        let v = lock(&txn, id, expected).await?;
        let from = v.plan_status();
        let t = now();
        let mut am: plan_version::ActiveModel = v.clone().into();
        let action = match (from, to) {
            (PlanStatus::Draft, PlanStatus::Submitted) => {
                let e = v.content().check_submittable();
                if !e.is_empty() {
                    return Err(StoreError::Invalid(e));
                }
                am.submitted_by = Set(actor);
                am.submitted_at = Set(Some(t));
                am.note = Set(None);
                "submit"
            }
            (PlanStatus::Submitted, PlanStatus::Approved) => {
                let previous = plan_version::Entity::find()
                    .filter(plan_version::Column::CustomerId.eq(v.customer_id))
                    .filter(plan_version::Column::Status.eq(PlanStatus::Approved.as_str()))
                    .all(&txn)
                    .await?;
                for p in previous {
                    let number = p.number;
                    let pid = p.id;
                    let mut pa: plan_version::ActiveModel = p.clone().into();
                    pa.status = Set(PlanStatus::Archived.as_str().into());
                    pa.archived_at = Set(Some(t));
                    pa.version = Set(p.version + 1);
                    pa.update(&txn).await?;
                    audit::record(
                        &txn,
                        actor,
                        "plan_version",
                        pid,
                        "archive",
                        json!({"number": number, "replaced_by": v.number}),
                    )
                    .await?;
                }
                am.approved_by = Set(actor);
                am.approved_at = Set(Some(t));
                "approve"
            }
            (PlanStatus::Submitted, PlanStatus::Draft) => {
                am.note = Set(note.map(str::to_owned));
                "return"
            }
            (PlanStatus::Approved, PlanStatus::Archived) => {
                am.archived_at = Set(Some(t));
                "archive"
            }
            (_, PlanStatus::Submitted) => {
                return Err(wrong_state(&v, "submitted", PlanStatus::Draft));
            }
            (_, PlanStatus::Approved) => {
                return Err(wrong_state(&v, "approved", PlanStatus::Submitted));
            }
            (_, PlanStatus::Draft) => {
                return Err(wrong_state(&v, "returned to draft", PlanStatus::Submitted));
            }
            (_, PlanStatus::Archived) => {
                return Err(wrong_state(&v, "archived", PlanStatus::Approved));
            }
        };
        am.status = Set(to.as_str().into());
        am.version = Set(v.version + 1);
        am.updated_by = Set(actor);
        am.updated_at = Set(t);
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "plan_version",
            id,
            action,
            json!({"number": v.number, "from": from.as_str(), "to": to.as_str(), "note": note}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Holds customer `customer_id` and answers its plan's versions, once
    /// checked that a new one may start: a key account, with no version
    /// still open.
    async fn may_start(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        customer_id: i64,
    ) -> Result<Vec<plan_version::Model>, StoreError> {
        self.hold_customer(txn, customer_id, "FOR KEY SHARE")
            .await?;
        let c = customer::Entity::find_by_id(customer_id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        if c.status != "key_account" {
            return Err(StoreError::refused(
                "refused-plan-not-key-account",
                &[("name", &c.name)],
                format!(
                    "{} is not a key account: select it as one before writing its plan",
                    c.name
                ),
            ));
        }
        let versions = plan_version::Entity::find()
            .filter(plan_version::Column::CustomerId.eq(customer_id))
            .order_by_asc(plan_version::Column::Number)
            .all(txn)
            .await?;
        if let Some(open) = versions
            .iter()
            .find(|v| matches!(v.plan_status(), PlanStatus::Draft | PlanStatus::Submitted))
        {
            return Err(StoreError::refused(
                "refused-plan-still-open",
                &[("n", &open.number), ("status", &open.status)],
                format!(
                    "version {} is still {}: finish it before starting another",
                    open.number, open.status
                ),
            ));
        }
        Ok(versions)
    }

    /// Brings a deleted draft of customer `customer_id`'s plan back from
    /// the history entry of its deletion, once, as a new draft with its
    /// content (and its year; an entry that did not keep it takes
    /// `this_year`): when no other version is open meanwhile.
    pub async fn restore_plan_draft(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        entry_id: i64,
        this_year: i32,
    ) -> Result<plan_version::Model, StoreError> {
        let txn = self.write_txn().await?;
        let d =
            crate::customers::deleted_entry_in(&txn, "plan_version", customer_id, entry_id).await?;
        let Some(content) = d
            .get("content")
            .and_then(serde_json::Value::as_str)
            .and_then(|c| serde_json::from_str::<serde_json::Value>(c).ok())
        else {
            return Err(StoreError::Conflict(
                "the history did not keep this draft's content: it cannot come back".into(),
            ));
        };
        let versions = self.may_start(&txn, customer_id).await?;
        // An entry from before the year was kept: the year its targets
        // start.
        let first_target = content
            .get("targets")
            .and_then(serde_json::Value::as_array)
            .and_then(|t| t.iter().filter_map(|t| t.get("year")?.as_i64()).min());
        let year = d
            .get("year")
            .and_then(serde_json::Value::as_i64)
            .or(first_target)
            .and_then(|y| i32::try_from(y).ok())
            .unwrap_or(this_year);
        // Based on a version still there, or on none.
        let based_on = d
            .get("based_on")
            .and_then(serde_json::Value::as_i64)
            .filter(|b| versions.iter().any(|v| v.id == *b));
        let number = versions.last().map_or(1, |v| v.number + 1);
        let m = insert_draft(&txn, actor, customer_id, number, year, content, based_on).await?;
        audit::record(
            &txn,
            actor,
            "plan_version",
            m.id,
            "restore",
            json!({"customer_id": customer_id, "number": number, "year": year,
                   "based_on": based_on, "from_entry": entry_id}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Deletes a draft, if still at `expected` when given; the audit trail
    /// keeps its content.
    pub async fn delete_plan_draft(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: Option<i64>,
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        let v = lock(&txn, id, expected).await?;
        if v.plan_status() != PlanStatus::Draft {
            return Err(StoreError::refused(
                "refused-plan-only-draft-deleted",
                &[("n", &v.number), ("status", &v.status)],
                format!(
                    "version {} is {}: only a draft can be deleted",
                    v.number, v.status
                ),
            ));
        }
        plan_version::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(
            &txn,
            actor,
            "plan_version",
            id,
            "delete",
            json!({"customer_id": v.customer_id, "number": v.number, "year": v.year,
                   "based_on": v.based_on, "content": v.content}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The follow-up status of each action of a version, by action index.
    pub async fn action_progress(
        &self,
        version_id: i64,
    ) -> Result<HashMap<usize, String>, StoreError> {
        Ok(progress_of(self.conn(), &[version_id])
            .await?
            .remove(&version_id)
            .unwrap_or_default())
    }

    /// The plan as it stands today: its content with the actions' follow-up.
    pub async fn effective_content(
        &self,
        v: &plan_version::Model,
    ) -> Result<PlanContent, StoreError> {
        let mut c = v.content();
        apply_progress(&mut c, &self.action_progress(v.id).await?);
        Ok(c)
    }

    /// Records the progress of one action (open, in_progress, done,
    /// cancelled). It does not change the plan's content, so approved
    /// versions can be followed up while staying frozen. Actions are named
    /// by their place: with `expected`, the version must still be the one
    /// read (a draft's actions can move).
    pub async fn set_action_status(
        &self,
        actor: Option<i64>,
        version_id: i64,
        index: usize,
        status: &str,
        expected: Option<i64>,
    ) -> Result<(), StoreError> {
        if !plan::ACTION_STATUSES.contains(&status) {
            return Err(StoreError::invalid(
                "status",
                "invalid-choice",
                format!(
                    "status must be one of {}, not \"{status}\"",
                    plan::ACTION_STATUSES.join(", ")
                ),
            ));
        }
        let txn = self.write_txn().await?;
        let v = lock(&txn, version_id, expected).await?;
        if v.plan_status() == PlanStatus::Archived {
            return Err(frozen(&v));
        }
        let content = v.content();
        let Some(a) = content.actions.get(index) else {
            return Err(StoreError::NotFound("plan action"));
        };
        if v.plan_status() == PlanStatus::Draft {
            // A draft's actions can still move: the status goes into the
            // content itself, so it stays with its action.
            let mut c = content.clone();
            if let Some(x) = c.actions.get_mut(index) {
                x.status = status.to_owned();
            }
            let mut am: plan_version::ActiveModel = v.clone().into();
            am.content = Set(c.to_value().to_string());
            am.version = Set(v.version + 1);
            am.updated_by = Set(actor);
            am.updated_at = Set(now());
            am.update(&txn).await?;
            audit::record(
                &txn,
                actor,
                "plan_version",
                version_id,
                "action-status",
                json!({"action": index, "title": a.title, "from": a.status, "status": status}),
            )
            .await?;
            txn.commit().await?;
            return Ok(());
        }
        let idx = index as i64;
        plan_action_progress::Entity::delete_many()
            .filter(plan_action_progress::Column::PlanVersionId.eq(version_id))
            .filter(plan_action_progress::Column::ActionIndex.eq(idx))
            .exec(&txn)
            .await?;
        plan_action_progress::ActiveModel {
            plan_version_id: Set(version_id),
            action_index: Set(idx),
            status: Set(status.to_owned()),
            updated_by: Set(actor),
            updated_at: Set(now()),
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            actor,
            "plan_version",
            version_id,
            "action-status",
            json!({"action": index, "title": a.title, "status": status}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The current version of every plan: per customer, the newest version
    /// that is not archived.
    async fn current_versions(&self) -> Result<Vec<plan_version::Model>, StoreError> {
        let all = plan_version::Entity::find()
            .filter(plan_version::Column::Status.ne(PlanStatus::Archived.as_str()))
            .order_by_asc(plan_version::Column::CustomerId)
            .order_by_asc(plan_version::Column::Number)
            .all(self.conn())
            .await?;
        let mut by_customer: HashMap<i64, plan_version::Model> = HashMap::new();
        for v in all {
            by_customer.insert(v.customer_id, v);
        }
        let mut out: Vec<_> = by_customer.into_values().collect();
        out.sort_by_key(|v| v.customer_id);
        Ok(out)
    }

    /// The actions a user owns in the current version of every plan, overdue
    /// ones first (by due date), then the others by due date; finished and
    /// cancelled ones only when `include_closed`.
    pub async fn my_actions(
        &self,
        user_id: i64,
        today: &str,
        include_closed: bool,
    ) -> Result<Vec<MyAction>, StoreError> {
        let versions = self.current_versions().await?;
        let ids: Vec<i64> = versions.iter().map(|v| v.id).collect();
        let progress = progress_of(self.conn(), &ids).await?;
        let names = self
            .customer_names(&versions.iter().map(|v| v.customer_id).collect::<Vec<_>>())
            .await?;
        let mut out = Vec::new();
        for v in &versions {
            let mut c = v.content();
            if let Some(p) = progress.get(&v.id) {
                apply_progress(&mut c, p);
            }
            for (i, a) in c.actions.iter().enumerate() {
                if a.owner_id != Some(user_id)
                    || (!include_closed && matches!(a.status.as_str(), "done" | "cancelled"))
                {
                    continue;
                }
                let initiative = a
                    .initiative
                    .and_then(|n| usize::try_from(n - 1).ok())
                    .and_then(|n| c.initiatives.get(n))
                    .map(|i| i.title.clone());
                out.push(MyAction {
                    customer_id: v.customer_id,
                    customer_name: names.get(&v.customer_id).cloned().unwrap_or_default(),
                    version_id: v.id,
                    version_number: v.number,
                    version_edits: v.version,
                    index: i,
                    action: a.clone(),
                    initiative,
                });
            }
        }
        out.sort_by(|a, b| {
            let key = |m: &MyAction| {
                let open = !matches!(m.action.status.as_str(), "done" | "cancelled");
                let due = m.action.due.clone().unwrap_or_else(|| "9999-12-31".into());
                let overdue = open && due.as_str() < today;
                (!overdue, !open, due, m.customer_name.clone(), m.index)
            };
            key(a).cmp(&key(b))
        });
        Ok(out)
    }

    /// Every key account, and every customer that has a plan, with where its
    /// plan stands; by name.
    pub async fn plan_rows(&self) -> Result<Vec<PlanRow>, StoreError> {
        let versions = plan_version::Entity::find()
            .order_by_asc(plan_version::Column::Number)
            .all(self.conn())
            .await?;
        let mut latest: HashMap<i64, plan_version::Model> = HashMap::new();
        let mut approved: HashMap<i64, i64> = HashMap::new();
        for v in versions {
            if v.plan_status() == PlanStatus::Approved {
                approved.insert(v.customer_id, v.number);
            }
            latest.insert(v.customer_id, v);
        }
        let ids: Vec<i64> = latest.keys().copied().collect();
        let mut cond = Condition::any().add(customer::Column::Status.eq("key_account"));
        for chunk in ids.chunks(500) {
            cond = cond.add(customer::Column::Id.is_in(chunk.to_vec()));
        }
        let customers = customer::Entity::find()
            .filter(cond)
            .order_by_asc(customer::Column::Name)
            .order_by_asc(customer::Column::Id)
            .all(self.conn())
            .await?;
        Ok(customers
            .into_iter()
            .map(|c| PlanRow {
                latest: latest.remove(&c.id),
                approved: approved.get(&c.id).copied(),
                customer: c,
            })
            .collect())
    }

    /// Fields of the current plans that contain `query` (case and accents
    /// ignored), by customer name.
    pub async fn search_plans(&self, query: &str) -> Result<Vec<SearchHit>, StoreError> {
        let versions = self.current_versions().await?;
        let names = self
            .customer_names(&versions.iter().map(|v| v.customer_id).collect::<Vec<_>>())
            .await?;
        let mut out = Vec::new();
        for v in &versions {
            for (field, excerpt) in v.content().search(query) {
                out.push(SearchHit {
                    customer_id: v.customer_id,
                    customer_name: names.get(&v.customer_id).cloned().unwrap_or_default(),
                    version_id: v.id,
                    version_number: v.number,
                    field,
                    excerpt,
                });
            }
        }
        out.sort_by(|a, b| {
            (a.customer_name.as_str(), a.customer_id)
                .cmp(&(b.customer_name.as_str(), b.customer_id))
        });
        Ok(out)
    }
}

async fn progress_of(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, HashMap<usize, String>>, StoreError> {
    let mut out: HashMap<i64, HashMap<usize, String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows = plan_action_progress::Entity::find()
            .filter(plan_action_progress::Column::PlanVersionId.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        for r in rows {
            if let Ok(i) = usize::try_from(r.action_index) {
                out.entry(r.plan_version_id)
                    .or_default()
                    .insert(i, r.status);
            }
        }
    }
    Ok(out)
}

fn apply_progress(c: &mut PlanContent, p: &HashMap<usize, String>) {
    for (i, s) in p {
        if let Some(a) = c.actions.get_mut(*i) {
            a.status = s.clone();
        }
    }
}

/// Writes a new draft of customer `customer_id`'s plan, numbered `number`.
async fn insert_draft(
    txn: &sea_orm::DatabaseTransaction,
    actor: Option<i64>,
    customer_id: i64,
    number: i64,
    year: i32,
    content: serde_json::Value,
    based_on: Option<i64>,
) -> Result<plan_version::Model, StoreError> {
    let t = now();
    let m = plan_version::ActiveModel {
        customer_id: Set(customer_id),
        number: Set(number),
        year: Set(i64::from(year)),
        status: Set(PlanStatus::Draft.as_str().into()),
        content: Set(content.to_string()),
        based_on: Set(based_on),
        created_by: Set(actor),
        created_at: Set(t),
        updated_by: Set(actor),
        updated_at: Set(t),
        version: Set(1),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| {
        // Two new versions at once: the other one won.
        if crate::error::is_unique_violation(&e) {
            StoreError::refused(
                "refused-plan-started-meanwhile",
                &[],
                "another version of this plan was started at the same moment; reload the plan"
                    .into(),
            )
        } else {
            StoreError::Db(e)
        }
    })?;
    Ok(m)
}
