//! The audit trail: every change to an account says who, when and what.

use crate::{StoreError, entities::audit_log, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

pub(crate) async fn record(
    db: &impl ConnectionTrait,
    user_id: Option<i64>,
    entity: &str,
    entity_id: i64,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), StoreError> {
    let customer_id = customer_of_entry(entity, entity_id, &detail);
    audit_log::ActiveModel {
        at: Set(now()),
        customer_id: Set(customer_id),
        user_id: Set(user_id),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        action: Set(action.to_owned()),
        detail: Set(detail.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The customer an entry about `entity` `entity_id` belongs to.
fn customer_of_entry(entity: &str, entity_id: i64, detail: &serde_json::Value) -> Option<i64> {
    if entity == "customer" {
        (entity_id > 0).then_some(entity_id)
    } else {
        customer_of(detail)
    }
}

/// The columns of [`row`], for entries written by a bulk write in the
/// same transaction as the rows they tell of.
pub(crate) const COLS: [&str; 7] = [
    "at",
    "user_id",
    "entity",
    "entity_id",
    "action",
    "detail",
    "customer_id",
];

/// An entry as a row of [`COLS`]: what [`record`] writes.
pub(crate) fn row(
    user_id: Option<i64>,
    entity: &str,
    entity_id: i64,
    action: &str,
    detail: &serde_json::Value,
) -> Vec<crate::bulk::Val> {
    use crate::bulk::Val;
    vec![
        Val::I(Some(now())),
        Val::I(user_id),
        Val::S(Some(entity.to_owned())),
        Val::I(Some(entity_id)),
        Val::S(Some(action.to_owned())),
        Val::S(Some(detail.to_string())),
        Val::I(customer_of_entry(entity, entity_id, detail)),
    ]
}

/// The entry an import writes with its rows, in their transaction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ImportEntry<'a> {
    pub user_id: Option<i64>,
    /// The table the file goes into.
    pub entity: &'a str,
    /// The file's rows.
    pub rows: u64,
}

impl ImportEntry<'_> {
    /// The entry, for `written` rows written.
    pub(crate) fn row(&self, written: u64) -> Vec<crate::bulk::Val> {
        let detail = serde_json::json!({"rows": self.rows, "written": written});
        row(self.user_id, self.entity, 0, "import", &detail)
    }
}

/// The customer a record written to the trail belongs to: the
/// `customer_id` of the record after a change, or before it, or of the
/// record itself.
pub(crate) fn customer_of(detail: &serde_json::Value) -> Option<i64> {
    [detail.get("after"), Some(detail), detail.get("before")]
        .into_iter()
        .flatten()
        .find_map(|v| v.get("customer_id")?.as_i64())
}

impl crate::Store {
    /// The latest changes to one record, newest first.
    pub async fn history(
        &self,
        entity: &str,
        entity_id: i64,
        limit: u64,
    ) -> Result<Vec<audit_log::Model>, StoreError> {
        Ok(audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq(entity))
            .filter(audit_log::Column::EntityId.eq(entity_id))
            .order_by_desc(audit_log::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?)
    }
}

/// One change in a customer's history, as people read it.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// Its place in the trail: later changes have larger numbers.
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    /// `customer`, `contact`, `contract`, or one of [`DELETIONS_KEPT`].
    pub entity: String,
    pub entity_id: i64,
    /// `create`, `update`, `delete`.
    pub action: String,
    /// What the record is called (a name, a title).
    pub label: String,
    /// The currency of the record's amounts (`*_cents`), when it has one.
    pub currency: Option<String>,
    /// Each field changed: its name, before, after (as stored); for a
    /// deletion, each value the record held, and null.
    pub changes: Vec<(String, serde_json::Value, serde_json::Value)>,
}

/// Records of an account whose deletion its history shows (with what they
/// held), beside every change to the customer, its contacts and contracts.
pub const DELETIONS_KEPT: [&str; 5] = [
    "meeting",
    "plan_version",
    "interaction",
    "relationship_link",
    "account_team",
];

/// Every kind of record a customer's history lists.
pub const HISTORY_RECORDS: [&str; 8] = [
    "customer",
    "contact",
    "contract",
    "meeting",
    "plan_version",
    "interaction",
    "relationship_link",
    "account_team",
];

/// What a customer's history lists of itself: one kind of record, the
/// changes of one person, those of a span of days, or all when unset.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    /// One of [`HISTORY_RECORDS`].
    pub record: Option<String>,
    pub user_id: Option<i64>,
    /// The first day and the last day listed (UTC), each included.
    pub from: Option<clef_domain::Date>,
    pub to: Option<clef_domain::Date>,
    /// Words found, each, in the record's name, in who changed it or in a
    /// value listed (as stored: amounts in cents; people also by name),
    /// whatever their case and accents.
    pub text: Option<String>,
}

impl HistoryEntry {
    /// Whether each of `words` (each a [`clef_domain::search_key`]) is in
    /// the record's name, in who changed it or in one of the values listed
    /// (a person named by id as their name, `names`).
    fn mentions(&self, words: &[String], names: &std::collections::HashMap<i64, String>) -> bool {
        let mut text = vec![clef_domain::search_key(&self.label)];
        text.extend(self.user_name.as_deref().map(clef_domain::search_key));
        for (k, b, a) in &self.changes {
            for v in [b, a] {
                match v {
                    serde_json::Value::String(t) => text.push(clef_domain::search_key(t)),
                    serde_json::Value::Number(n) => {
                        text.push(n.to_string());
                        if matches!(k.as_str(), "owner_id" | "user_id")
                            && let Some(name) = n.as_i64().and_then(|id| names.get(&id))
                        {
                            text.push(clef_domain::search_key(name));
                        }
                    }
                    _ => {}
                }
            }
        }
        words.iter().all(|w| text.iter().any(|t| t.contains(w)))
    }
}

/// Whether a deleted record's value is listed in the history, which every
/// reader of the portfolio sees: not a stakeholder's attitude and influence
/// (for the account team), nor a plan's content (for those who read plans),
/// nor references the page cannot name.
fn shown_when_deleted(key: &str) -> bool {
    match key {
        "owner_id" | "group_id" | "business_unit_id" | "parent_id" | "legal_id" | "user_id" => true,
        "customer_id" | "version" | "attitude" | "influence" | "content" | "participants"
        | "evaluated_at" | "based_on" => false,
        k => !k.ends_with("_id"),
    }
}

/// The action of a record written anew: its creation, or the restoration
/// of the deletion history entry `from_entry` records (named in `detail`).
pub(crate) fn created_or_restored(
    detail: &mut serde_json::Value,
    from_entry: Option<i64>,
) -> &'static str {
    match from_entry {
        Some(e) => {
            detail["from_entry"] = serde_json::json!(e);
            "restore"
        }
        None => "create",
    }
}

/// The history entries of deletions of `entity` records tied to no
/// customer (a group, a colleague, a program meeting) that were restored:
/// a restoration names its deletion as `from_entry`.
pub(crate) async fn restored_deletions(
    db: &impl ConnectionTrait,
    entity: &str,
) -> Result<std::collections::HashSet<i64>, StoreError> {
    restorations(
        db,
        audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq(entity))
            .filter(audit_log::Column::Action.eq("restore"))
            .filter(audit_log::Column::CustomerId.is_null()),
    )
    .await
}

/// The deletions (history entries) that the restorations `q` finds name as
/// `from_entry`.
pub(crate) async fn restorations(
    db: &impl ConnectionTrait,
    q: sea_orm::Select<audit_log::Entity>,
) -> Result<std::collections::HashSet<i64>, StoreError> {
    Ok(q.all(db)
        .await?
        .into_iter()
        .filter_map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.detail).ok()?;
            d.get("from_entry")?.as_i64()
        })
        .collect())
}

/// The latest `n` deletions of `entity` records tied to no customer that
/// were not restored, the latest first, with what each kept.
pub(crate) async fn unrestored_deletions(
    db: &impl ConnectionTrait,
    entity: &str,
    n: u64,
) -> Result<Vec<(audit_log::Model, serde_json::Value)>, StoreError> {
    let restored = restored_deletions(db, entity).await?;
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq(entity))
        .filter(audit_log::Column::Action.eq("delete"))
        .filter(audit_log::Column::CustomerId.is_null())
        .order_by_desc(audit_log::Column::Id)
        .limit(n + restored.len() as u64)
        .all(db)
        .await?
        .into_iter()
        .filter(|e| !restored.contains(&e.id))
        .take(usize::try_from(n).unwrap_or(usize::MAX))
        .map(|e| {
            let d = serde_json::from_str(&e.detail).unwrap_or_default();
            (e, d)
        })
        .collect())
}

/// What the history kept of the deletion `entry_id` of an `entity` record
/// tied to no customer, and when it went, if it was not restored yet. The
/// entry stays held until `txn` ends (on PostgreSQL): a second restore of
/// the same deletion waits, then finds this one.
pub(crate) async fn deletion_to_restore(
    txn: &sea_orm::DatabaseTransaction,
    entity: &str,
    entry_id: i64,
    what: &'static str,
) -> Result<(serde_json::Value, i64), StoreError> {
    let entry = audit_log::Entity::find_by_id(entry_id)
        .lock_exclusive()
        .one(txn)
        .await?
        .filter(|e| e.entity == entity && e.action == "delete" && e.customer_id.is_none())
        .ok_or(StoreError::NotFound(what))?;
    if restored_deletions(txn, entity).await?.contains(&entry_id) {
        return Err(StoreError::Conflict(format!(
            "this {} was restored already",
            what.trim_start_matches("deleted ")
        )));
    }
    Ok((
        serde_json::from_str(&entry.detail).unwrap_or_default(),
        entry.at,
    ))
}

/// A text a history entry kept of a record, by its key.
pub(crate) fn kept_text(d: &serde_json::Value, k: &str) -> Option<String> {
    d.get(k)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
}

/// The ids a history entry kept of a record under `k` (an empty list when
/// it kept none).
pub(crate) fn kept_ids(d: &serde_json::Value, k: &str) -> Vec<i64> {
    d.get(k)
        .and_then(serde_json::Value::as_array)
        .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
        .unwrap_or_default()
}

/// The name of a record in the trail.
fn label_of(v: &serde_json::Value) -> String {
    let s = |k: &str| v.get(k).and_then(serde_json::Value::as_str).unwrap_or("");
    let person = format!("{} {}", s("first_name"), s("last_name"));
    let number = v
        .get("number")
        .and_then(serde_json::Value::as_i64)
        .map(|n| format!("#{n}"))
        .unwrap_or_default();
    [s("name"), s("title"), s("subject"), person.trim(), &number]
        .into_iter()
        .find(|x| !x.is_empty())
        .unwrap_or("")
        .to_owned()
}

impl crate::Store {
    /// The latest changes to a customer and to its contacts and contracts
    /// (deleted ones included), newest first: creations, changes and
    /// deletions made one record at a time (an import is recorded once, for
    /// the whole file, and is not in it). Only changes since the customer
    /// was created count (an id given again by an import starts afresh).
    pub async fn customer_history(
        &self,
        customer: &crate::customer::Model,
        limit: u64,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        self.history_since(
            customer.id,
            customer.created_at,
            &HistoryFilter::default(),
            None,
            limit,
        )
        .await
    }

    /// A deleted customer as the trail knew it: its name and currency when
    /// deleted, and when it was created (its history starts there; 0 when
    /// the trail does not say, as for customers that came with an import).
    pub async fn deleted_customer(
        &self,
        id: i64,
    ) -> Result<Option<(String, String, i64)>, StoreError> {
        let entry = |action: &'static str| {
            audit_log::Entity::find()
                .filter(audit_log::Column::Entity.eq("customer"))
                .filter(audit_log::Column::EntityId.eq(id))
                .filter(audit_log::Column::Action.eq(action))
                .order_by_desc(audit_log::Column::Id)
        };
        let Some(deleted) = entry("delete").one(self.conn()).await? else {
            return Ok(None);
        };
        let detail: serde_json::Value = serde_json::from_str(&deleted.detail).unwrap_or_default();
        // A deletion records the customer with its contacts.
        let record = detail.get("customer").unwrap_or(&detail);
        let text = |k: &str| {
            record
                .get(k)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let (name, currency) = (text("name"), text("currency"));
        // Its history starts at its creation, or after an earlier customer
        // of the same id was deleted.
        let since = audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq("customer"))
            .filter(audit_log::Column::EntityId.eq(id))
            .filter(audit_log::Column::Action.is_in(["create", "delete"]))
            .filter(audit_log::Column::Id.lt(deleted.id))
            .order_by_desc(audit_log::Column::Id)
            .one(self.conn())
            .await?
            .map_or(0, |e| if e.action == "delete" { e.at + 1 } else { e.at });
        Ok(Some((name, currency, since)))
    }

    /// The history of customer `customer_id` since `since` (unix seconds),
    /// newest first, as `filter` limits it; with `older_than`, only the
    /// changes before that entry (the next page of the history).
    pub async fn history_since(
        &self,
        customer_id: i64,
        since: i64,
        filter: &HistoryFilter,
        older_than: Option<i64>,
        limit: u64,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let names: std::collections::HashMap<i64, String> = self
            .list_users()
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let words: Vec<String> = filter
            .text
            .as_deref()
            .map(clef_domain::search_key)
            .unwrap_or_default()
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        if words.is_empty() {
            return self
                .history_batch(customer_id, since, filter, older_than, limit, &names)
                .await;
        }
        // What the entries say is read from their records: the history is
        // read a batch at a time, older and older, until enough mention
        // the words or none is left.
        const BATCH: u64 = 1_000;
        let mut found = Vec::new();
        let mut cursor = older_than;
        loop {
            let batch = self
                .history_batch(customer_id, since, filter, cursor, BATCH, &names)
                .await?;
            let Some(last) = batch.last().map(|e| e.id) else {
                break;
            };
            let full = batch.len() as u64 == BATCH;
            found.extend(batch.into_iter().filter(|e| e.mentions(&words, &names)));
            if found.len() as u64 >= limit || !full {
                break;
            }
            cursor = Some(last);
        }
        found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(found)
    }

    /// [`Self::history_since`] without the words.
    async fn history_batch(
        &self,
        customer_id: i64,
        since: i64,
        filter: &HistoryFilter,
        older_than: Option<i64>,
        limit: u64,
        names: &std::collections::HashMap<i64, String>,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut q = audit_log::Entity::find();
        if let Some(id) = older_than {
            q = q.filter(audit_log::Column::Id.lt(id));
        }
        if let Some(r) = &filter.record {
            q = q.filter(audit_log::Column::Entity.eq(r.as_str()));
        }
        if let Some(u) = filter.user_id {
            q = q.filter(audit_log::Column::UserId.eq(u));
        }
        if let Some(d) = filter.from {
            q = q.filter(audit_log::Column::At.gte(d.unix_days().saturating_mul(86_400)));
        }
        if let Some(d) = filter.to {
            let next = d.unix_days().saturating_add(1).saturating_mul(86_400);
            q = q.filter(audit_log::Column::At.lt(next));
        }
        let rows = q
            .filter(audit_log::Column::CustomerId.eq(customer_id))
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(
                                audit_log::Column::Entity
                                    .is_in(["customer", "contact", "contract"]),
                            )
                            .add(
                                audit_log::Column::Action
                                    .is_in(["create", "update", "delete", "restore"]),
                            ),
                    )
                    .add(
                        Condition::all()
                            .add(audit_log::Column::Entity.is_in([
                                "meeting",
                                "plan_version",
                                "interaction",
                                "relationship_link",
                                "account_team",
                            ]))
                            .add(audit_log::Column::Action.eq("restore")),
                    )
                    .add(
                        Condition::all()
                            .add(audit_log::Column::Entity.is_in(DELETIONS_KEPT))
                            .add(audit_log::Column::Action.eq("delete")),
                    ),
            )
            .filter(audit_log::Column::At.gte(since))
            .order_by_desc(audit_log::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let detail: serde_json::Value = serde_json::from_str(&r.detail).unwrap_or_default();
                let (before, after) = (detail.get("before"), detail.get("after"));
                let mut changes = Vec::new();
                if let (Some(b), Some(a)) = (
                    before.and_then(serde_json::Value::as_object),
                    after.and_then(serde_json::Value::as_object),
                ) {
                    for (k, av) in a {
                        let bv = b.get(k).unwrap_or(&serde_json::Value::Null);
                        if k != "version" && bv != av {
                            changes.push((k.clone(), bv.clone(), av.clone()));
                        }
                    }
                }
                let record = after.or_else(|| detail.get("customer")).unwrap_or(&detail);
                if r.action == "delete" {
                    // What went: the record's own values, those every reader
                    // of the portfolio may see.
                    if let Some(fields) = record.as_object() {
                        for (k, v) in fields {
                            let kept = shown_when_deleted(k)
                                && !v.is_null()
                                && !v.is_array()
                                && !v.is_object()
                                && v.as_str() != Some("");
                            if kept {
                                changes.push((k.clone(), v.clone(), serde_json::Value::Null));
                            }
                        }
                    }
                }
                let label = label_of(record);
                let currency = record
                    .get("currency")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned);
                HistoryEntry {
                    id: r.id,
                    at: r.at,
                    user_name: r.user_id.and_then(|u| names.get(&u).cloned()),
                    user_id: r.user_id,
                    entity: r.entity,
                    entity_id: r.entity_id,
                    action: r.action,
                    label,
                    currency,
                    changes,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::customer_of;
    use serde_json::json;

    #[test]
    fn an_entry_belongs_to_the_customer_of_its_record() {
        assert_eq!(customer_of(&json!({"id": 3, "customer_id": 7})), Some(7));
        assert_eq!(
            customer_of(&json!({"before": {"customer_id": 7}, "after": {"customer_id": 8}})),
            Some(8)
        );
        assert_eq!(
            customer_of(&json!({"before": {"customer_id": 7}, "after": {"title": "B"}})),
            Some(7)
        );
        assert_eq!(customer_of(&json!({"after": {"customer_id": "8"}})), None);
        assert_eq!(customer_of(&json!({"rows": 12})), None);
    }
}
