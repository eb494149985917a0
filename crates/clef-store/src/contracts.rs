//! Customers' contracts: create, read, change with optimistic locking,
//! delete with the record kept in the audit trail, and the renewals list
//! across the portfolio.

use crate::{
    Store, StoreError, audit,
    entities::{contract, customer, user},
    now,
};
use clef_domain::{
    Date, Page, PageRequest,
    contract::{ContractFields, decide_by},
    search_key,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, Query},
};
use serde_json::json;
use std::collections::HashMap;

/// Filters of the renewals list.
#[derive(Debug, Clone, Default)]
pub struct RenewalFilter {
    /// Contracts whose last day to decide is on or before this day (every
    /// one when none); those already passed are always included.
    pub until: Option<Date>,
    /// Only the customers of this owner.
    pub owner_id: Option<i64>,
    /// Only contracts whose customer's name starts with this, or with a
    /// word of their title or reference that does (case and accents aside).
    pub q: Option<String>,
    /// The order: `decide_by` (the default), `renews_on` or `annual_value`,
    /// `-` first to reverse; unknown values come last.
    pub sort: RenewalSort,
    pub descending: bool,
}

/// What the renewals list is ordered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RenewalSort {
    #[default]
    DecideBy,
    RenewsOn,
    AnnualValue,
}

impl RenewalSort {
    pub const ALL: [(&'static str, RenewalSort); 3] = [
        ("decide_by", RenewalSort::DecideBy),
        ("renews_on", RenewalSort::RenewsOn),
        ("annual_value", RenewalSort::AnnualValue),
    ];

    /// `key` or `-key`, and whether it is reversed.
    pub fn parse(raw: &str) -> Option<(RenewalSort, bool)> {
        crate::parse_order(raw, &Self::ALL)
    }
}

/// A contract with what the renewals list shows of its customer.
#[derive(Debug, Clone)]
pub struct ContractRow {
    pub contract: contract::Model,
    pub customer_name: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
}

fn model(f: &ContractFields) -> contract::ActiveModel {
    contract::ActiveModel {
        title: Set(f.title.clone()),
        reference: Set(f.reference.clone()),
        starts_on: Set(f.starts_on.map(|d| d.to_string())),
        renews_on: Set(f.renews_on.to_string()),
        notice_days: Set(f.notice_days),
        decide_by: Set(decide_by(f.renews_on, f.notice_days).to_string()),
        auto_renew: Set(f.auto_renew),
        annual_value_cents: Set(f.annual_value.map(|m| m.minor)),
        currency: Set(f.currency.to_string()),
        notes: Set(f.notes.clone()),
        search_key: Set(clef_domain::contract::search_text(
            &f.title,
            f.reference.as_deref(),
        )),
        ..Default::default()
    }
}

pub(crate) fn contract_json(m: &contract::Model) -> serde_json::Value {
    json!({"customer_id": m.customer_id, "title": m.title, "reference": m.reference,
           "starts_on": m.starts_on, "renews_on": m.renews_on, "notice_days": m.notice_days,
           "auto_renew": m.auto_renew, "annual_value_cents": m.annual_value_cents,
           "currency": m.currency, "notes": m.notes, "version": m.version})
}

fn stale(current: i64) -> StoreError {
    StoreError::Stale {
        entity: "contract",
        current,
    }
}

impl Store {
    /// A customer's contracts, the next decision first.
    pub async fn list_contracts(
        &self,
        customer_id: i64,
    ) -> Result<Vec<contract::Model>, StoreError> {
        Ok(contract::Entity::find()
            .filter(contract::Column::CustomerId.eq(customer_id))
            .order_by_asc(contract::Column::DecideBy)
            .order_by_asc(contract::Column::Id)
            .all(self.conn())
            .await?)
    }

    pub async fn contract(&self, id: i64) -> Result<contract::Model, StoreError> {
        contract::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("contract"))
    }

    pub async fn create_contract(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        f: &ContractFields,
    ) -> Result<contract::Model, StoreError> {
        let t = now();
        let txn = self.write_txn().await?;
        // The customer stays until this commits: a deletion meanwhile
        // waits, then finds the contract and is refused.
        self.hold_customer(&txn, customer_id, "FOR KEY SHARE")
            .await?;
        let m = contract::ActiveModel {
            customer_id: Set(customer_id),
            version: Set(1),
            created_at: Set(t),
            updated_at: Set(t),
            ..model(f)
        }
        .insert(&txn)
        .await?;
        audit::record(&txn, actor, "contract", m.id, "create", contract_json(&m)).await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn update_contract(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: i64,
        f: &ContractFields,
    ) -> Result<contract::Model, StoreError> {
        let before = self.contract(id).await?;
        if before.version != expected_version {
            return Err(stale(before.version));
        }
        let txn = self.write_txn().await?;
        let r = contract::Entity::update_many()
            .set(model(f))
            .col_expr(
                contract::Column::Version,
                Expr::col(contract::Column::Version).add(1),
            )
            .col_expr(contract::Column::UpdatedAt, Expr::value(now()))
            .filter(contract::Column::Id.eq(id))
            .filter(contract::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            return Err(stale(expected_version.saturating_add(1)));
        }
        let after = contract::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("contract"))?;
        audit::record(
            &txn,
            actor,
            "contract",
            id,
            "update",
            json!({"before": contract_json(&before), "after": contract_json(&after)}),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Deletes a contract (at `expected_version` when given); the contract
    /// stays in the audit trail.
    pub async fn delete_contract(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: Option<i64>,
    ) -> Result<contract::Model, StoreError> {
        let c = self.contract(id).await?;
        if let Some(v) = expected_version
            && v != c.version
        {
            return Err(stale(c.version));
        }
        let txn = self.write_txn().await?;
        let r = contract::Entity::delete_many()
            .filter(contract::Column::Id.eq(id))
            .filter(contract::Column::Version.eq(c.version))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            return Err(stale(c.version + 1));
        }
        audit::record(&txn, actor, "contract", id, "delete", contract_json(&c)).await?;
        txn.commit().await?;
        Ok(c)
    }

    /// Brings a deleted contract back from the history entry of its
    /// deletion, once, as a new contract of customer `customer_id`, with
    /// every field it had.
    pub async fn restore_contract(
        &self,
        actor: Option<i64>,
        customer_id: i64,
        entry_id: i64,
    ) -> Result<contract::Model, StoreError> {
        let txn = self.write_txn().await?;
        let d = crate::customers::deleted_entry_in(&txn, "contract", customer_id, entry_id).await?;
        let text = |k: &str| audit::kept_text(&d, k);
        let int = |k: &str| d.get(k).and_then(serde_json::Value::as_i64);
        let renews = text("renews_on").and_then(|r| Date::parse("renews_on", &r).ok());
        let (Some(title), Some(renews_on), Some(currency)) =
            (text("title"), renews, text("currency"))
        else {
            return Err(StoreError::Conflict(
                "the history did not keep enough of this contract to bring it back".into(),
            ));
        };
        let notice_days = int("notice_days");
        let t = now();
        let reference = text("reference");
        let m = contract::ActiveModel {
            customer_id: Set(customer_id),
            search_key: Set(clef_domain::contract::search_text(
                &title,
                reference.as_deref(),
            )),
            title: Set(title),
            reference: Set(reference),
            starts_on: Set(text("starts_on")),
            renews_on: Set(renews_on.to_string()),
            notice_days: Set(notice_days),
            decide_by: Set(decide_by(renews_on, notice_days).to_string()),
            auto_renew: Set(d
                .get("auto_renew")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false)),
            annual_value_cents: Set(int("annual_value_cents")),
            currency: Set(currency),
            notes: Set(text("notes")),
            version: Set(1),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut detail = contract_json(&m);
        detail["from_entry"] = json!(entry_id);
        audit::record(&txn, actor, "contract", m.id, "restore", detail).await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Contracts across the portfolio by last day to decide (the earliest first),
    /// with their customers' names and owners.
    pub async fn renewals(
        &self,
        f: &RenewalFilter,
        p: PageRequest,
    ) -> Result<Page<ContractRow>, StoreError> {
        use contract::Column as K;
        let mut q = contract::Entity::find();
        if let Some(u) = f.until {
            q = q.filter(K::DecideBy.lte(u.to_string()));
        }
        if let Some(o) = f.owner_id {
            let mut sub = Query::select();
            sub.column(customer::Column::Id)
                .from(customer::Entity)
                .and_where(customer::Column::OwnerId.eq(o));
            q = q.filter(K::CustomerId.in_subquery(sub));
        }
        let key = f.q.as_deref().map(search_key).filter(|k| !k.is_empty());
        if let Some(k) = key {
            // Its customer's name starts with the search, or a word of its
            // title or reference does.
            let mut names = Query::select();
            names
                .column(customer::Column::Id)
                .from(customer::Entity)
                .and_where(customer::Column::NameKey.gte(k.clone()))
                .and_where(customer::Column::NameKey.lt(format!("{k}\u{10FFFF}")));
            let mut found = sea_orm::Condition::any().add(K::CustomerId.in_subquery(names));
            if let Some(pattern) = f.q.as_deref().and_then(crate::customers::word_pattern) {
                found = found.add(
                    Expr::expr(Expr::cust(crate::customers::words_of(
                        "\"contracts\".\"search_key\"",
                    )))
                    .like(pattern),
                );
            }
            q = q.filter(found);
        }
        let total = q.clone().count(self.conn()).await?;
        let o = if f.descending {
            sea_orm::Order::Desc
        } else {
            sea_orm::Order::Asc
        };
        let q = match f.sort {
            RenewalSort::DecideBy => q.order_by(K::DecideBy, o.clone()),
            RenewalSort::RenewsOn => q.order_by(K::RenewsOn, o.clone()),
            // Without a value last, either way, on both backends; values
            // compare within a currency only (by currency code, then value).
            RenewalSort::AnnualValue => q
                .order_by_asc(Expr::col(K::AnnualValueCents).is_null())
                .order_by_asc(K::Currency)
                .order_by(K::AnnualValueCents, o.clone()),
        };
        let items = q
            .order_by(K::Id, o)
            .offset(p.offset())
            .limit(p.per_page)
            .all(self.conn())
            .await?;
        let ids: Vec<i64> = items.iter().map(|c| c.customer_id).collect();
        let customers: HashMap<i64, customer::Model> = customer::Entity::find()
            .filter(customer::Column::Id.is_in(ids))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let owner_ids: Vec<i64> = customers.values().filter_map(|c| c.owner_id).collect();
        let owners: HashMap<i64, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(owner_ids))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let items = items
            .into_iter()
            .map(|c| {
                let cu = customers.get(&c.customer_id);
                let owner_id = cu.and_then(|x| x.owner_id);
                ContractRow {
                    customer_name: cu.map(|x| x.name.clone()).unwrap_or_default(),
                    owner_name: owner_id.and_then(|o| owners.get(&o).cloned()),
                    owner_id,
                    contract: c,
                }
            })
            .collect();
        Ok(Page {
            items,
            page: p.page,
            per_page: p.per_page,
            total,
            total_is_exact: true,
        })
    }
}
