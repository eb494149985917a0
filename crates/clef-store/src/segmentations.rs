//! Saved segmentations, their applied snapshots, and the comparison of two
//! snapshots.

use crate::{
    Store, StoreError, audit,
    entities::{segmentation, segmentation_snapshot},
    now,
};
use clef_domain::{ServiceTier, segmentation::Scope};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use serde_json::json;

/// Where one customer landed when a segmentation was applied.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlacement {
    pub customer_id: i64,
    pub abc: &'static str,
    pub row: usize,
    pub col: usize,
    pub tier: ServiceTier,
    pub attractiveness: f32,
    pub position: f32,
}

/// A customer's placement in a stored snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub abc: String,
    pub row: i64,
    pub col: i64,
    pub tier: String,
}

/// A customer placed differently in two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub customer_id: i64,
    pub name: Option<String>,
    pub from: Placed,
    pub to: Placed,
}

/// What changed between two snapshots.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    /// Customers in both snapshots whose class, cell or tier differs.
    pub moved: u64,
    /// (from, to, customers) for classes and for tiers that changed.
    pub class_moves: Vec<(String, String, u64)>,
    pub tier_moves: Vec<(String, String, u64)>,
    /// Customers only in the first, only in the second.
    pub left: u64,
    pub entered: u64,
    pub page: Vec<Moved>,
}

fn scope_of(m: &segmentation::Model) -> Scope {
    Scope::parse(&m.scope_kind, m.scope_value.as_deref()).unwrap_or(Scope::Company)
}

impl segmentation::Model {
    pub fn scope(&self) -> Scope {
        scope_of(self)
    }
}

/// A segmentation deleted and not restored: what the history kept of it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedSegmentation {
    /// The history entry of its deletion: what a restore names.
    pub entry_id: i64,
    /// When it went (Unix seconds), and who deleted it.
    pub deleted_at: i64,
    pub deleted_by: Option<i64>,
    pub name: String,
    pub scope_kind: String,
    pub scope_value: Option<String>,
}

/// How many deleted segmentations the list shows, the latest first.
pub const DELETED_SEGMENTATIONS_SHOWN: u64 = 50;

/// The settings a deletion kept: as text (the stored form) or as JSON.
fn kept_config(d: &serde_json::Value) -> Option<String> {
    match d.get("config")? {
        serde_json::Value::String(s) => Some(s.clone()),
        v @ serde_json::Value::Object(_) => Some(v.to_string()),
        _ => None,
    }
}

/// A new segmentation, at its first version (created, or restored).
async fn insert_segmentation(
    txn: &impl ConnectionTrait,
    actor: Option<i64>,
    name: String,
    scope_kind: String,
    scope_value: Option<String>,
    config: String,
) -> Result<segmentation::Model, StoreError> {
    let t = now();
    Ok(segmentation::ActiveModel {
        name: Set(name),
        scope_kind: Set(scope_kind),
        scope_value: Set(scope_value),
        config: Set(config),
        created_by: Set(actor),
        version: Set(1),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// The stages of applying a segmentation, as [`crate::Progress`] reports them.
pub const APPLY_PLACEMENTS: u8 = 1;
pub const APPLY_TIERS: u8 = 2;

impl Store {
    pub async fn list_segmentations(&self) -> Result<Vec<segmentation::Model>, StoreError> {
        Ok(segmentation::Entity::find()
            .order_by_asc(segmentation::Column::Name)
            .order_by_asc(segmentation::Column::Id)
            .all(self.conn())
            .await?)
    }

    pub async fn segmentation(&self, id: i64) -> Result<segmentation::Model, StoreError> {
        segmentation::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("segmentation"))
    }

    pub async fn create_segmentation(
        &self,
        actor: Option<i64>,
        name: &str,
        scope: &Scope,
        config: &serde_json::Value,
    ) -> Result<segmentation::Model, StoreError> {
        let txn = self.write_txn().await?;
        let m = insert_segmentation(
            &txn,
            actor,
            name.to_owned(),
            scope.kind().to_owned(),
            scope.value(),
            config.to_string(),
        )
        .await?;
        audit::record(
            &txn,
            actor,
            "segmentation",
            m.id,
            "create",
            json!({"name": name, "scope": scope.kind(), "scope_value": scope.value(), "config": config}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Changes a segmentation if it is still at `expected_version`.
    pub async fn update_segmentation(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: i64,
        name: &str,
        scope: &Scope,
        config: &serde_json::Value,
    ) -> Result<segmentation::Model, StoreError> {
        let txn = self.write_txn().await?;
        // Held until the end: an edit or a deletion at the same time waits,
        // then finds the new version (409) or nothing (404).
        self.hold_row(&txn, "segmentations", "segmentation", id, "FOR UPDATE")
            .await?;
        let before = segmentation::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("segmentation"))?;
        if before.version != expected_version {
            return Err(StoreError::Stale {
                entity: "segmentation",
                current: before.version,
            });
        }
        let mut am: segmentation::ActiveModel = before.clone().into();
        am.name = Set(name.to_owned());
        am.scope_kind = Set(scope.kind().to_owned());
        am.scope_value = Set(scope.value());
        am.config = Set(config.to_string());
        am.version = Set(before.version + 1);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "segmentation",
            id,
            "update",
            json!({"before": {"name": before.name, "scope": before.scope_kind, "scope_value": before.scope_value, "config": before.config},
                   "after": {"name": after.name, "scope": after.scope_kind, "scope_value": after.scope_value, "config": after.config}}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Deletes a segmentation and its snapshots, if still at `expected` when
    /// given; the audit trail keeps its settings.
    pub async fn delete_segmentation(
        &self,
        actor: Option<i64>,
        id: i64,
        expected: Option<i64>,
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        self.hold_row(&txn, "segmentations", "segmentation", id, "FOR UPDATE")
            .await?;
        let m = segmentation::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("segmentation"))?;
        if let Some(e) = expected
            && e != m.version
        {
            return Err(StoreError::Stale {
                entity: "segmentation",
                current: m.version,
            });
        }
        segmentation::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(
            &txn,
            actor,
            "segmentation",
            id,
            "delete",
            json!({"name": m.name, "scope": m.scope_kind, "scope_value": m.scope_value, "config": m.config}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The segmentations deleted and not restored, the latest first (at
    /// most [`DELETED_SEGMENTATIONS_SHOWN`]).
    pub async fn deleted_segmentations(&self) -> Result<Vec<DeletedSegmentation>, StoreError> {
        Ok(
            audit::unrestored_deletions(self.conn(), "segmentation", DELETED_SEGMENTATIONS_SHOWN)
                .await?
                .into_iter()
                .map(|(e, d)| DeletedSegmentation {
                    entry_id: e.id,
                    deleted_at: e.at,
                    deleted_by: e.user_id,
                    name: audit::kept_text(&d, "name").unwrap_or_default(),
                    scope_kind: audit::kept_text(&d, "scope").unwrap_or_default(),
                    scope_value: audit::kept_text(&d, "scope_value"),
                })
                .collect(),
        )
    }

    /// Brings a deleted segmentation back, once, from the history entry of
    /// its deletion: its name, scope and settings, under a new id. Its
    /// snapshots went with it; it has none until it is applied again.
    pub async fn restore_segmentation(
        &self,
        actor: Option<i64>,
        entry_id: i64,
    ) -> Result<segmentation::Model, StoreError> {
        let txn = self.write_txn().await?;
        let (d, _) =
            audit::deletion_to_restore(&txn, "segmentation", entry_id, "deleted segmentation")
                .await?;
        let (Some(name), Some(kind), Some(config)) = (
            audit::kept_text(&d, "name"),
            audit::kept_text(&d, "scope"),
            kept_config(&d),
        ) else {
            return Err(StoreError::Conflict(
                "the history did not keep enough of this segmentation to bring it back".into(),
            ));
        };
        let scope_value = audit::kept_text(&d, "scope_value");
        let m = insert_segmentation(&txn, actor, name, kind, scope_value, config).await?;
        audit::record(
            &txn,
            actor,
            "segmentation",
            m.id,
            "restore",
            json!({"from_entry": entry_id, "name": m.name, "scope": m.scope_kind, "scope_value": m.scope_value, "config": m.config}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Stores a dated snapshot of where every customer of the scope landed,
    /// and gives the customers their new service tier, in one transaction.
    pub async fn apply_segmentation(
        &self,
        actor: Option<i64>,
        seg: &segmentation::Model,
        placements: &[NewPlacement],
        tier_changes: &[(i64, ServiceTier)],
        summary: &serde_json::Value,
        progress: &crate::Progress,
    ) -> Result<segmentation_snapshot::Model, StoreError> {
        let t = now();
        // Snapshots an instance stopped midway left unfinished (an apply
        // takes seconds: those of the last hour may be under way).
        segmentation_snapshot::Entity::delete_many()
            .filter(segmentation_snapshot::Column::Complete.eq(false))
            .filter(segmentation_snapshot::Column::AppliedAt.lt(t - 3600))
            .exec(self.conn())
            .await?;
        progress.start(APPLY_PLACEMENTS, placements.len() as u64);
        // The snapshot row first, then its placements through the bulk path
        // (a million rows in seconds), then the tiers; the snapshot stays
        // unfinished, and unseen, until that last step commits. A failure
        // after the first step removes it again (with its placements).
        let snap = segmentation_snapshot::ActiveModel {
            segmentation_id: Set(seg.id),
            applied_at: Set(t),
            applied_by: Set(actor),
            name: Set(seg.name.clone()),
            scope_kind: Set(seg.scope_kind.clone()),
            scope_value: Set(seg.scope_value.clone()),
            config: Set(seg.config.clone()),
            customers: Set(placements.len() as i64),
            tiers_changed: Set(tier_changes.len() as i64),
            summary: Set(summary.to_string()),
            complete: Set(false),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        let rest = async {
            use crate::bulk::Val;
            let rows: Vec<Vec<Val>> = placements
                .iter()
                .map(|p| {
                    vec![
                        Val::I(Some(snap.id)),
                        Val::I(Some(p.customer_id)),
                        Val::S(Some(p.abc.to_owned())),
                        Val::I(Some(p.row as i64)),
                        Val::I(Some(p.col as i64)),
                        Val::S(Some(p.tier.as_str().to_owned())),
                        Val::F(Some(f64::from(p.attractiveness))),
                        Val::F(Some(f64::from(p.position))),
                    ]
                })
                .collect();
            let placed = rows.len() as u64;
            self.bulk_insert(
                "segment_placements",
                &[
                    "snapshot_id",
                    "customer_id",
                    "abc",
                    "cell_row",
                    "cell_col",
                    "tier",
                    "attractiveness",
                    "position",
                ],
                rows,
                None,
                Vec::new(),
            )
            .await?;
            progress.add(placed);
            progress.start(APPLY_TIERS, tier_changes.len() as u64);
            let txn = self.write_txn().await?;
            for tier in ServiceTier::ALL {
                let ids: Vec<i64> = tier_changes
                    .iter()
                    .filter(|(_, t)| t == tier)
                    .map(|(id, _)| *id)
                    .collect();
                for chunk in ids.chunks(1000) {
                    let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
                    txn.execute_unprepared(&format!(
                        "UPDATE customers SET tier = '{}', version = version + 1, updated_at = {t} WHERE id IN ({})",
                        tier.as_str(),
                        list.join(",")
                    ))
                    .await?;
                    progress.add(chunk.len() as u64);
                }
            }
            audit::record(
                &txn,
                actor,
                "segmentation",
                seg.id,
                "apply",
                json!({"snapshot": snap.id, "customers": placements.len(), "tiers_changed": tier_changes.len(),
                       "tier_changes": tier_changes.iter().take(1000).map(|(id, t)| json!([id, t.as_str()])).collect::<Vec<_>>()}),
            )
            .await?;
            self.touch_figures_in(&txn).await?;
            let done = segmentation_snapshot::Entity::update_many()
                .col_expr(
                    segmentation_snapshot::Column::Complete,
                    sea_orm::sea_query::Expr::value(true),
                )
                .filter(segmentation_snapshot::Column::Id.eq(snap.id))
                .exec(&txn)
                .await?;
            if done.rows_affected != 1 {
                // The segmentation was deleted meanwhile, its snapshots
                // with it: no tier is given.
                return Err(StoreError::Conflict(
                    "the segmentation was deleted while it was applied: no tier was changed"
                        .into(),
                ));
            }
            txn.commit().await?;
            Ok::<(), StoreError>(())
        }
        .await;
        if let Err(e) = rest {
            let _ = segmentation_snapshot::Entity::delete_by_id(snap.id)
                .exec(self.conn())
                .await;
            return Err(e);
        }
        Ok(segmentation_snapshot::Model {
            complete: true,
            ..snap
        })
    }

    /// When segmentation `segmentation_id` started being applied, if it is
    /// being applied now, as far as the database says: its snapshot is not
    /// finished yet (an instance stopped midway leaves one, forgotten after
    /// an hour). What another instance of Clef sharing the database does.
    pub async fn applying_since(&self, segmentation_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(segmentation_snapshot::Entity::find()
            .filter(segmentation_snapshot::Column::SegmentationId.eq(segmentation_id))
            .filter(segmentation_snapshot::Column::Complete.eq(false))
            .filter(segmentation_snapshot::Column::AppliedAt.gte(now() - 3600))
            .order_by_desc(segmentation_snapshot::Column::Id)
            .one(self.conn())
            .await?
            .map(|s| s.applied_at))
    }

    /// The newest `limit` snapshots of a segmentation, newest first, and how
    /// many it has in all.
    pub async fn newest_snapshots(
        &self,
        segmentation_id: i64,
        limit: u64,
    ) -> Result<(Vec<segmentation_snapshot::Model>, u64), StoreError> {
        let q = segmentation_snapshot::Entity::find()
            .filter(segmentation_snapshot::Column::SegmentationId.eq(segmentation_id))
            .filter(segmentation_snapshot::Column::Complete.eq(true));
        let total = sea_orm::PaginatorTrait::count(q.clone(), self.conn()).await?;
        let newest = q
            .order_by_desc(segmentation_snapshot::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?;
        Ok((newest, total))
    }

    /// The snapshots of a segmentation, newest first.
    pub async fn snapshots(
        &self,
        segmentation_id: i64,
    ) -> Result<Vec<segmentation_snapshot::Model>, StoreError> {
        Ok(segmentation_snapshot::Entity::find()
            .filter(segmentation_snapshot::Column::SegmentationId.eq(segmentation_id))
            .filter(segmentation_snapshot::Column::Complete.eq(true))
            .order_by_desc(segmentation_snapshot::Column::Id)
            .all(self.conn())
            .await?)
    }

    /// The newest snapshot of a segmentation, if it was ever applied.
    pub async fn last_snapshot_id(&self, segmentation_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(segmentation_snapshot::Entity::find()
            .select_only()
            .column(segmentation_snapshot::Column::Id)
            .filter(segmentation_snapshot::Column::SegmentationId.eq(segmentation_id))
            .filter(segmentation_snapshot::Column::Complete.eq(true))
            .order_by_desc(segmentation_snapshot::Column::Id)
            .into_tuple()
            .one(self.conn())
            .await?)
    }

    pub async fn snapshot(&self, id: i64) -> Result<segmentation_snapshot::Model, StoreError> {
        segmentation_snapshot::Entity::find_by_id(id)
            .filter(segmentation_snapshot::Column::Complete.eq(true))
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("snapshot"))
    }

    /// Every placement of a snapshot, by customer id.
    pub async fn placements(&self, snapshot_id: i64) -> Result<Vec<(i64, Placed)>, StoreError> {
        let mut out = Vec::new();
        let mut after = i64::MIN + 1;
        loop {
            let rows = self
                .conn()
                .query_all_raw(Statement::from_string(
                    self.backend(),
                    format!(
                        "SELECT customer_id, abc, cell_row, cell_col, tier FROM segment_placements
                         WHERE snapshot_id = {snapshot_id} AND customer_id > {after}
                         ORDER BY customer_id LIMIT 50000"
                    ),
                ))
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get_by_index(0)?;
            for r in &rows {
                out.push((
                    r.try_get_by_index(0)?,
                    Placed {
                        abc: r.try_get_by_index(1)?,
                        row: r.try_get_by_index(2)?,
                        col: r.try_get_by_index(3)?,
                        tier: r.try_get_by_index(4)?,
                    },
                ));
            }
        }
        Ok(out)
    }

    /// Who moved between snapshot `a` (before) and `b` (after): counts, the
    /// class and tier moves, and one page of the customers that moved.
    pub async fn compare_snapshots(
        &self,
        a: i64,
        b: i64,
        offset: u64,
        limit: u64,
    ) -> Result<Comparison, StoreError> {
        let db = self.conn();
        let be = self.backend();
        let diff = "(a.abc <> b.abc OR a.cell_row <> b.cell_row OR a.cell_col <> b.cell_col OR a.tier <> b.tier)";
        let join = format!(
            "FROM segment_placements a JOIN segment_placements b ON b.snapshot_id = {b} AND b.customer_id = a.customer_id WHERE a.snapshot_id = {a}"
        );
        let count = |sql: String| async move {
            let r = db.query_one_raw(Statement::from_string(be, sql)).await?;
            Ok::<u64, StoreError>(match r {
                Some(r) => r.try_get_by_index::<i64>(0)?.max(0) as u64,
                None => 0,
            })
        };
        let moved = count(format!("SELECT COUNT(*) {join} AND {diff}")).await?;
        let left = count(format!(
            "SELECT COUNT(*) FROM segment_placements a WHERE a.snapshot_id = {a} AND NOT EXISTS
             (SELECT 1 FROM segment_placements b WHERE b.snapshot_id = {b} AND b.customer_id = a.customer_id)"
        ))
        .await?;
        let entered = count(format!(
            "SELECT COUNT(*) FROM segment_placements b WHERE b.snapshot_id = {b} AND NOT EXISTS
             (SELECT 1 FROM segment_placements a WHERE a.snapshot_id = {a} AND a.customer_id = b.customer_id)"
        ))
        .await?;
        let moves = |col: &str| {
            let sql = format!(
                "SELECT a.{col}, b.{col}, COUNT(*) {join} AND a.{col} <> b.{col} GROUP BY a.{col}, b.{col} ORDER BY a.{col}, b.{col}"
            );
            async move {
                let rows = db.query_all_raw(Statement::from_string(be, sql)).await?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            r.try_get_by_index::<String>(0)?,
                            r.try_get_by_index::<String>(1)?,
                            r.try_get_by_index::<i64>(2)?.max(0) as u64,
                        ))
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
            }
        };
        let class_moves = moves("abc").await?;
        let tier_moves = moves("tier").await?;
        let page = self
            .movers(
                a,
                b,
                &format!("ORDER BY a.customer_id LIMIT {limit} OFFSET {offset}"),
            )
            .await?;
        Ok(Comparison {
            moved,
            class_moves,
            tier_moves,
            left,
            entered,
            page,
        })
    }

    /// The customers placed differently in snapshots `a` and `b`, by
    /// customer number, after customer `after`, at most `limit`: the
    /// whole list read batch by batch (for its CSV).
    pub async fn snapshot_movers(
        &self,
        a: i64,
        b: i64,
        after: i64,
        limit: u64,
    ) -> Result<Vec<Moved>, StoreError> {
        self.movers(
            a,
            b,
            &format!("AND a.customer_id > {after} ORDER BY a.customer_id LIMIT {limit}"),
        )
        .await
    }

    /// The movers between snapshots `a` and `b`, `tail` ending the query
    /// (a further condition, the order and the limit).
    async fn movers(&self, a: i64, b: i64, tail: &str) -> Result<Vec<Moved>, StoreError> {
        let diff = "(a.abc <> b.abc OR a.cell_row <> b.cell_row OR a.cell_col <> b.cell_col OR a.tier <> b.tier)";
        let sql = format!(
            "SELECT a.customer_id, c.name, a.abc, a.cell_row, a.cell_col, a.tier, b.abc, b.cell_row, b.cell_col, b.tier
             FROM segment_placements a LEFT JOIN customers c ON c.id = a.customer_id
             JOIN segment_placements b ON b.snapshot_id = {b} AND b.customer_id = a.customer_id
             WHERE a.snapshot_id = {a} AND {diff} {tail}"
        );
        let rows = self
            .conn()
            .query_all_raw(Statement::from_string(self.backend(), sql))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(Moved {
                customer_id: r.try_get_by_index(0)?,
                name: r.try_get_by_index(1)?,
                from: Placed {
                    abc: r.try_get_by_index(2)?,
                    row: r.try_get_by_index(3)?,
                    col: r.try_get_by_index(4)?,
                    tier: r.try_get_by_index(5)?,
                },
                to: Placed {
                    abc: r.try_get_by_index(6)?,
                    row: r.try_get_by_index(7)?,
                    col: r.try_get_by_index(8)?,
                    tier: r.try_get_by_index(9)?,
                },
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two edits sent with the same version: the second waits for the first,
    /// then is told the segmentation changed; an edit of a segmentation
    /// deleted meanwhile finds nothing. On SQLite and on PostgreSQL.
    #[tokio::test]
    async fn edits_at_once_do_not_overwrite_each_other() {
        let backends = crate::test_db::backends("seg_edits").await;
        let stores = backends.stores.clone();
        let config = serde_json::json!({});
        for (backend, store) in stores {
            let s = store
                .create_segmentation(None, "Portfolio", &Scope::Company, &config)
                .await
                .unwrap();
            // Another edit, sent with the same version, has not committed.
            let other = store.write_txn().await.unwrap();
            store
                .hold_row(&other, "segmentations", "segmentation", s.id, "FOR UPDATE")
                .await
                .unwrap();
            other
                .execute_unprepared(&format!(
                    "UPDATE segmentations SET name = 'Theirs', version = version + 1 WHERE id = {}",
                    s.id
                ))
                .await
                .unwrap();
            let (st, id, version, c) = (store.clone(), s.id, s.version, config.clone());
            let edit = tokio::spawn(async move {
                st.update_segmentation(None, id, version, "Mine", &Scope::Company, &c)
                    .await
            });
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            assert!(
                !edit.is_finished(),
                "{backend}: the edit waits for the other"
            );
            other.commit().await.unwrap();
            let r = edit.await.unwrap();
            assert!(
                matches!(r, Err(StoreError::Stale { .. })),
                "{backend}: {r:?}"
            );
            assert_eq!(store.segmentation(s.id).await.unwrap().name, "Theirs");
            // Deleted while the edit waited: not found, not a failure.
            let other = store.write_txn().await.unwrap();
            store
                .hold_row(&other, "segmentations", "segmentation", s.id, "FOR UPDATE")
                .await
                .unwrap();
            other
                .execute_unprepared(&format!("DELETE FROM segmentations WHERE id = {}", s.id))
                .await
                .unwrap();
            let (st, id, c) = (store.clone(), s.id, config.clone());
            let edit = tokio::spawn(async move {
                st.update_segmentation(None, id, version + 1, "Mine", &Scope::Company, &c)
                    .await
            });
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            other.commit().await.unwrap();
            let r = edit.await.unwrap();
            assert!(
                matches!(r, Err(StoreError::NotFound(_))),
                "{backend}: {r:?}"
            );
        }
        backends.end().await;
    }
}
