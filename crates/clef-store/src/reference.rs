//! Reference data: business units and customer groups.

use crate::{
    Store, StoreError, audit,
    entities::{business_unit, customer, customer_group},
    now,
};
use clef_domain::{CountryCode, FieldErrors, GroupScope, RequiredText, search_key};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};
use serde_json::json;

/// A unique value taken by another request meanwhile, said as `taken`.
fn duplicate_or(e: sea_orm::DbErr, taken: String) -> StoreError {
    if crate::error::is_unique_violation(&e) {
        StoreError::Duplicate(taken)
    } else {
        e.into()
    }
}

fn name_taken(name: &str) -> String {
    format!("a customer group is already named \"{name}\": choose another name")
}

/// A customer group deleted and not restored, as the history kept it.
#[derive(Debug, Clone)]
pub struct DeletedGroup {
    /// The history entry of its deletion: what a restore names.
    pub entry_id: i64,
    /// When it went (Unix seconds), and who deleted it.
    pub deleted_at: i64,
    pub deleted_by: Option<i64>,
    pub name: String,
    pub scope: String,
    pub country: Option<String>,
}

/// How many deleted groups the list shows, the latest first.
pub const DELETED_GROUPS_SHOWN: u64 = 50;

/// Writes a new group of checked fields; a name taken meanwhile by
/// another request is said so.
async fn insert_group(
    txn: &sea_orm::DatabaseTransaction,
    name: String,
    scope: GroupScope,
    country: Option<CountryCode>,
) -> Result<customer_group::Model, StoreError> {
    let t = now();
    let taken = name_taken(&name);
    customer_group::ActiveModel {
        name_key: Set(search_key(name.as_str())),
        name: Set(name),
        scope: Set(scope.as_str().to_owned()),
        country: Set(country.map(|c| c.as_str().to_owned())),
        version: Set(1),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| duplicate_or(e, taken))
}

impl Store {
    pub async fn list_business_units(&self) -> Result<Vec<business_unit::Model>, StoreError> {
        Ok(business_unit::Entity::find()
            .order_by_asc(business_unit::Column::Code)
            .all(self.conn())
            .await?)
    }

    pub async fn business_unit(&self, id: i64) -> Result<business_unit::Model, StoreError> {
        business_unit::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("business unit"))
    }

    pub async fn create_business_unit(
        &self,
        actor: Option<i64>,
        code: &str,
        name: &str,
    ) -> Result<business_unit::Model, StoreError> {
        let mut e = FieldErrors::new();
        let code = e.take(RequiredText::parse("code", code, 20));
        let name = e.take(RequiredText::parse("name", name, 100));
        let (Some(code), Some(name)) = (code, name) else {
            return Err(StoreError::Invalid(e));
        };
        let code = code.into_string().to_uppercase();
        let max = clef_domain::BUSINESS_UNITS_MAX;
        // Counted and added in one transaction, one creation at a time: two
        // at once cannot pass the limit (the figures' sums rely on it).
        let txn = self.write_txn().await?;
        if !self.is_sqlite() {
            sea_orm::ConnectionTrait::execute_unprepared(
                &txn,
                "LOCK TABLE business_units IN SHARE ROW EXCLUSIVE MODE",
            )
            .await?;
        }
        if business_unit::Entity::find().count(&txn).await? >= max {
            return Err(StoreError::refused(
                "refused-business-units-full",
                &[("max", &max)],
                format!(
                    "Clef keeps at most {max} business units: rename one that is no longer used rather than creating another"
                ),
            ));
        }
        if business_unit::Entity::find()
            .filter(business_unit::Column::Code.eq(code.as_str()))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(StoreError::Duplicate(format!(
                "a business unit with the code {code} already exists"
            )));
        }
        let taken = format!("a business unit with the code {code} already exists");
        let m = business_unit::ActiveModel {
            code: Set(code),
            name: Set(name.into_string()),
            version: Set(1),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| duplicate_or(e, taken))?;
        audit::record(
            &txn,
            actor,
            "business_unit",
            m.id,
            "create",
            json!({"code": m.code, "name": m.name}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn list_groups(&self) -> Result<Vec<customer_group::Model>, StoreError> {
        Ok(customer_group::Entity::find()
            .order_by_asc(customer_group::Column::NameKey)
            .all(self.conn())
            .await?)
    }

    pub async fn group(&self, id: i64) -> Result<customer_group::Model, StoreError> {
        customer_group::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("customer group"))
    }

    /// A group's checked name, scope and country; its name must be another
    /// group's than `except`'s: imports name groups, and two of the same name
    /// could not be told apart.
    async fn group_fields(
        &self,
        name: &str,
        scope: &str,
        country: Option<&str>,
        except: Option<i64>,
    ) -> Result<(String, GroupScope, Option<CountryCode>), StoreError> {
        let mut e = FieldErrors::new();
        let name = e.take(RequiredText::parse("name", name, 200));
        let scope = e.take(GroupScope::parse("scope", scope));
        let country = match country.map(str::trim) {
            None | Some("") => Some(None),
            Some(c) => e.take(CountryCode::parse("country", c)).map(Some),
        };
        let (Some(name), Some(scope), Some(country)) = (name, scope, country) else {
            return Err(StoreError::Invalid(e));
        };
        if let Some(same) = customer_group::Entity::find()
            .filter(customer_group::Column::NameKey.eq(search_key(name.as_str())))
            .one(self.conn())
            .await?
            && Some(same.id) != except
        {
            return Err(StoreError::Duplicate(format!(
                "a customer group is already named \"{}\" (id {}): choose another name",
                same.name, same.id
            )));
        }
        Ok((name.into_string(), scope, country))
    }

    pub async fn create_group(
        &self,
        actor: Option<i64>,
        name: &str,
        scope: &str,
        country: Option<&str>,
    ) -> Result<customer_group::Model, StoreError> {
        let (name, scope, country) = self.group_fields(name, scope, country, None).await?;
        let txn = self.write_txn().await?;
        let m = insert_group(&txn, name, scope, country).await?;
        audit::record(
            &txn,
            actor,
            "customer_group",
            m.id,
            "create",
            json!({"name": m.name, "scope": m.scope}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Renames a group or changes its scope or country, at the version read.
    pub async fn update_group(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: i64,
        name: &str,
        scope: &str,
        country: Option<&str>,
    ) -> Result<customer_group::Model, StoreError> {
        let (name, scope, country) = self.group_fields(name, scope, country, Some(id)).await?;
        let after_name = name.clone();
        let before = self.group(id).await?;
        if before.version != expected_version {
            return Err(StoreError::Stale {
                entity: "customer group",
                current: before.version,
            });
        }
        let txn = self.write_txn().await?;
        let r = customer_group::Entity::update_many()
            .col_expr(
                customer_group::Column::NameKey,
                Expr::value(search_key(&name)),
            )
            .col_expr(customer_group::Column::Name, Expr::value(name))
            .col_expr(customer_group::Column::Scope, Expr::value(scope.as_str()))
            .col_expr(
                customer_group::Column::Country,
                Expr::value(country.map(|c| c.as_str().to_owned())),
            )
            .col_expr(
                customer_group::Column::Version,
                Expr::value(expected_version.saturating_add(1)),
            )
            .col_expr(customer_group::Column::UpdatedAt, Expr::value(now()))
            .filter(customer_group::Column::Id.eq(id))
            .filter(customer_group::Column::Version.eq(expected_version))
            .exec(&txn)
            .await
            .map_err(|e| duplicate_or(e, name_taken(&after_name)))?;
        if r.rows_affected == 0 {
            // Changed or deleted meanwhile.
            let now = self.group(id).await?;
            return Err(StoreError::Stale {
                entity: "customer group",
                current: now.version,
            });
        }
        let after = customer_group::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer group"))?;
        audit::record(
            &txn,
            actor,
            "customer_group",
            id,
            "update",
            json!({"before": {"name": before.name, "scope": before.scope, "country": before.country},
                   "after": {"name": after.name, "scope": after.scope, "country": after.country}}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Deletes a group that no customer belongs to (at the version read,
    /// when given); it stays in the history.
    pub async fn delete_group(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: Option<i64>,
    ) -> Result<(), StoreError> {
        let txn = self.write_txn().await?;
        // Customers being given this group (an import, an edit) commit
        // first and are counted, or wait and find it gone.
        self.hold_row(&txn, "customer_groups", "customer group", id, "FOR UPDATE")
            .await?;
        let g = customer_group::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("customer group"))?;
        if let Some(v) = expected_version
            && v != g.version
        {
            return Err(StoreError::Stale {
                entity: "customer group",
                current: g.version,
            });
        }
        let members = customer::Entity::find()
            .filter(customer::Column::GroupId.eq(id))
            .count(&txn)
            .await?;
        if members > 0 {
            return Err(StoreError::Conflict(format!(
                "the group \"{}\" still has {members} customer(s): move them to another group, or to none, first",
                g.name
            )));
        }
        customer_group::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(
            &txn,
            actor,
            "customer_group",
            id,
            "delete",
            json!({"name": g.name, "scope": g.scope, "country": g.country}),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The customer groups deleted and not restored, the latest first (at
    /// most [`DELETED_GROUPS_SHOWN`]).
    pub async fn deleted_groups(&self) -> Result<Vec<DeletedGroup>, StoreError> {
        Ok(
            audit::unrestored_deletions(self.conn(), "customer_group", DELETED_GROUPS_SHOWN)
                .await?
                .into_iter()
                .map(|(e, d)| DeletedGroup {
                    entry_id: e.id,
                    deleted_at: e.at,
                    deleted_by: e.user_id,
                    name: audit::kept_text(&d, "name").unwrap_or_default(),
                    scope: audit::kept_text(&d, "scope").unwrap_or_default(),
                    country: audit::kept_text(&d, "country"),
                })
                .collect(),
        )
    }

    /// Brings a deleted customer group back, once, from the history entry
    /// of its deletion: its name, scope and country, under a new id (it had
    /// no customers when it went). Its name must still be free.
    pub async fn restore_group(
        &self,
        actor: Option<i64>,
        entry_id: i64,
    ) -> Result<customer_group::Model, StoreError> {
        let txn = self.write_txn().await?;
        let (d, _) =
            audit::deletion_to_restore(&txn, "customer_group", entry_id, "deleted customer group")
                .await?;
        let (Some(name), Some(scope)) =
            (audit::kept_text(&d, "name"), audit::kept_text(&d, "scope"))
        else {
            return Err(StoreError::Conflict(
                "the history did not keep enough of this group to bring it back".into(),
            ));
        };
        let country = audit::kept_text(&d, "country");
        if let Some(same) = customer_group::Entity::find()
            .filter(customer_group::Column::NameKey.eq(search_key(&name)))
            .one(&txn)
            .await?
        {
            return Err(StoreError::refused(
                "refused-group-name-taken",
                &[("name", &same.name)],
                format!(
                    "a customer group is named \"{}\" now (id {}): rename it, then restore this one",
                    same.name, same.id
                ),
            ));
        }
        let (name, scope, country) = self
            .group_fields(&name, &scope, country.as_deref(), None)
            .await?;
        let m = insert_group(&txn, name, scope, country).await?;
        audit::record(
            &txn,
            actor,
            "customer_group",
            m.id,
            "restore",
            json!({"from_entry": entry_id, "name": m.name, "scope": m.scope, "country": m.country}),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// How many customers each group has, by group id.
    pub async fn group_sizes(&self) -> Result<std::collections::HashMap<i64, u64>, StoreError> {
        use sea_orm::QuerySelect;
        let rows: Vec<(i64, i64)> = customer::Entity::find()
            .select_only()
            .column(customer::Column::GroupId)
            .column_as(customer::Column::Id.count(), "n")
            .filter(customer::Column::GroupId.is_not_null())
            .group_by(customer::Column::GroupId)
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(g, n)| (g, u64::try_from(n).unwrap_or(0)))
            .collect())
    }

    /// Renames a business unit, at the version read (its code stays: files
    /// to import name it).
    pub async fn rename_business_unit(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: i64,
        name: &str,
    ) -> Result<business_unit::Model, StoreError> {
        let name = RequiredText::parse("name", name, 100)
            .map_err(|e| StoreError::Invalid(e.into()))?
            .into_string();
        let before = self.business_unit(id).await?;
        if before.version != expected_version {
            return Err(StoreError::Stale {
                entity: "business unit",
                current: before.version,
            });
        }
        let txn = self.write_txn().await?;
        let r = business_unit::Entity::update_many()
            .col_expr(business_unit::Column::Name, Expr::value(name.clone()))
            .col_expr(
                business_unit::Column::Version,
                Expr::value(expected_version.saturating_add(1)),
            )
            .filter(business_unit::Column::Id.eq(id))
            .filter(business_unit::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            // Changed meanwhile (or gone: then not found).
            let now = self.business_unit(id).await?;
            return Err(StoreError::Stale {
                entity: "business unit",
                current: now.version,
            });
        }
        audit::record(
            &txn,
            actor,
            "business_unit",
            id,
            "update",
            json!({"code": before.code, "before": before.name, "after": name}),
        )
        .await?;
        txn.commit().await?;
        Ok(business_unit::Model {
            name,
            version: expected_version.saturating_add(1),
            ..before
        })
    }

    /// The customers of a group, by name.
    pub async fn group_members(
        &self,
        group_id: i64,
        limit: u64,
    ) -> Result<(Vec<customer::Model>, u64), StoreError> {
        use sea_orm::QuerySelect;
        let q = customer::Entity::find().filter(customer::Column::GroupId.eq(group_id));
        let total = q.clone().count(self.conn()).await?;
        let items = q
            .order_by_asc(customer::Column::NameKey)
            .limit(limit)
            .all(self.conn())
            .await?;
        Ok((items, total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ConnectionTrait;

    /// The last business unit the limit allows, created twice at once: the
    /// second creation waits for the first, then is refused. On SQLite and
    /// on PostgreSQL.
    #[tokio::test]
    async fn business_units_created_at_once_stay_within_the_limit() {
        let backends = crate::test_db::backends("units").await;
        let stores = backends.stores.clone();
        let max = clef_domain::BUSINESS_UNITS_MAX;
        for (backend, store) in stores {
            let values: Vec<String> = (1..max)
                .map(|i| format!("('U{i}', 'Unit {i}', 1)"))
                .collect();
            store
                .conn()
                .execute_unprepared(&format!(
                    "INSERT INTO business_units (code, name, version) VALUES {}",
                    values.join(", ")
                ))
                .await
                .unwrap();
            // Another creation of the last one has not committed yet.
            let other = store.write_txn().await.unwrap();
            if !store.is_sqlite() {
                other
                    .execute_unprepared("LOCK TABLE business_units IN SHARE ROW EXCLUSIVE MODE")
                    .await
                    .unwrap();
            }
            other
                .execute_unprepared(
                    "INSERT INTO business_units (code, name, version) VALUES ('LAST', 'Last', 1)",
                )
                .await
                .unwrap();
            let s = store.clone();
            let create =
                tokio::spawn(async move { s.create_business_unit(None, "MORE", "More").await });
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            assert!(!create.is_finished(), "{backend}: the creation waits");
            other.commit().await.unwrap();
            let r = create.await.unwrap();
            assert!(
                matches!(&r, Err(StoreError::Refused(f)) if f.key == "refused-business-units-full"),
                "{backend}: {r:?}"
            );
            assert_eq!(store.list_business_units().await.unwrap().len() as u64, max);
        }
        backends.end().await;
    }
}
