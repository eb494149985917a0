//! Revenue lines: monthly revenue and margin per customer and business unit.

use crate::{
    Store, StoreError, audit,
    bulk::Val,
    entities::{business_unit, customer, revenue_line},
};
use clef_domain::{
    BusinessUnitId, Currency, CustomerId, FieldError, FieldErrors, Period, RevenueLine,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use std::collections::{HashMap, HashSet};

pub(crate) const REVENUE_COLS: [&str; 6] = [
    "customer_id",
    "business_unit_id",
    "period",
    "currency",
    "revenue_cents",
    "margin_cents",
];
pub(crate) const REVENUE_KEY: [&str; 3] = ["customer_id", "business_unit_id", "period"];
pub(crate) const REVENUE_UPDATE: [&str; 3] = [
    "currency = excluded.currency",
    "revenue_cents = excluded.revenue_cents",
    "margin_cents = excluded.margin_cents",
];

pub(crate) fn revenue_row(l: &RevenueLine) -> Vec<Val> {
    vec![
        Val::I(Some(l.customer_id.0)),
        Val::I(Some(l.business_unit_id.0)),
        Val::I(Some(i64::from(l.period.yyyymm()))),
        Val::S(Some(l.currency.as_str().to_owned())),
        Val::I(Some(l.revenue_cents)),
        Val::I(Some(l.margin_cents)),
    ]
}

impl Store {
    /// The ids among `ids` that are customers.
    pub(crate) async fn existing_customer_ids(
        &self,
        ids: &[i64],
    ) -> Result<HashSet<i64>, StoreError> {
        Ok(self.customer_currencies(ids).await?.into_keys().collect())
    }

    /// What each customer of `ids` that exists refers to in `column` (its
    /// owner, its parent).
    pub(crate) async fn customer_refs(
        &self,
        ids: &[i64],
        column: customer::Column,
    ) -> Result<HashMap<i64, Option<i64>>, StoreError> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(10_000) {
            let rows: Vec<(i64, Option<i64>)> = customer::Entity::find()
                .select_only()
                .column(customer::Column::Id)
                .column(column)
                .filter(customer::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(self.conn())
                .await?;
            found.extend(rows);
        }
        Ok(found)
    }

    /// The owner of each customer of `ids` that exists.
    pub async fn customer_owners(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, Option<i64>>, StoreError> {
        self.customer_refs(ids, customer::Column::OwnerId).await
    }

    /// The currency of each customer of `ids` that exists.
    pub async fn customer_currencies(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, String>, StoreError> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(10_000) {
            let rows: Vec<(i64, String)> = customer::Entity::find()
                .select_only()
                .column(customer::Column::Id)
                .column(customer::Column::Currency)
                .filter(customer::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(self.conn())
                .await?;
            found.extend(rows);
        }
        Ok(found)
    }

    /// Records revenue lines, replacing those of the same customer, business
    /// unit and month. All or nothing: an unknown customer or business unit
    /// rejects the whole batch, naming the line.
    pub async fn upsert_revenue(
        &self,
        actor: Option<i64>,
        lines: &[RevenueLine],
    ) -> Result<u64, StoreError> {
        let mut ids: Vec<i64> = lines.iter().map(|l| l.customer_id.0).collect();
        ids.sort_unstable();
        ids.dedup();
        let customers = self.customer_currencies(&ids).await?;
        let bus: HashSet<i64> = business_unit::Entity::find()
            .all(self.conn())
            .await?
            .into_iter()
            .map(|b| b.id)
            .collect();
        let mut e = FieldErrors::new();
        let mut seen = HashSet::new();
        for (i, l) in lines.iter().enumerate() {
            if !seen.insert((l.customer_id, l.business_unit_id, l.period)) {
                e.push(FieldError::new(
                    &format!("lines[{i}].period"),
                    "duplicate",
                    format!(
                        "line {}: customer {}, business unit {} and month {} appear on an earlier line",
                        i + 1,
                        l.customer_id,
                        l.business_unit_id,
                        l.period
                    ),
                ));
            }
            match customers.get(&l.customer_id.0) {
                None => e.push(FieldError::new(
                    &format!("lines[{i}].customer_id"),
                    "unknown-reference",
                    format!(
                        "line {}: there is no customer with id {}",
                        i + 1,
                        l.customer_id
                    ),
                )),
                Some(c) if c != l.currency.as_str() => e.push(FieldError::new(
                    &format!("lines[{i}].currency"),
                    "currency-mismatch",
                    format!("line {}: {}", i + 1, other_currency(l, c)),
                )),
                Some(_) => {}
            }
            if !bus.contains(&l.business_unit_id.0) {
                e.push(FieldError::new(
                    &format!("lines[{i}].business_unit_id"),
                    "unknown-reference",
                    format!(
                        "line {}: there is no business unit with id {}",
                        i + 1,
                        l.business_unit_id
                    ),
                ));
            }
            if e.0.len() >= 100 {
                break;
            }
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let rows: Vec<Vec<Val>> = lines.iter().map(revenue_row).collect();
        // The history's entries, written with the lines: one per customer,
        // or one for the whole of a large batch.
        let trail = if lines.len() <= 1000 {
            ids.iter()
                .map(|id| {
                    let n = lines.iter().filter(|l| l.customer_id.0 == *id).count();
                    audit::row(actor, "customer", *id, "revenue", &json!({"lines": n}))
                })
                .collect()
        } else {
            let detail = json!({"lines": lines.len(), "customers": ids.len()});
            vec![audit::row(actor, "revenue_lines", 0, "bulk", &detail)]
        };
        self.figures_owed().await?;
        let n = match self
            .bulk_insert(
                "revenue_lines",
                &REVENUE_COLS,
                rows,
                Some((&REVENUE_KEY, &REVENUE_UPDATE)),
                trail,
            )
            .await
        {
            Ok(n) => n,
            Err(e) => {
                // Nothing was written (one transaction): nothing is due.
                let _ = self.figures_paid().await;
                return Err(e);
            }
        };
        if let Err(e) = self.refresh_figures_for(&ids).await {
            // The lines are stored, with their history: saying the write
            // failed would have it sent again. The figures stay owed,
            // computed again at the next start.
            tracing::warn!(error = %e, "figures not computed after revenue lines");
            return Ok(n);
        }
        self.figures_paid().await?;
        Ok(n)
    }

    /// Every revenue line of a customer, oldest first.
    pub async fn revenue_of(&self, customer_id: i64) -> Result<Vec<RevenueLine>, StoreError> {
        let rows = revenue_line::Entity::find()
            .filter(revenue_line::Column::CustomerId.eq(customer_id))
            .order_by_asc(revenue_line::Column::Period)
            .all(self.conn())
            .await?;
        Ok(rows.iter().filter_map(to_line).collect())
    }

    /// Revenue lines after a key, in key order: for exports.
    pub async fn revenue_after(
        &self,
        after: (i64, i64, i64),
        limit: u64,
    ) -> Result<Vec<RevenueLine>, StoreError> {
        use sea_orm::{Condition, ExprTrait, sea_query::Expr};
        let (c, b, p) = after;
        let rows = revenue_line::Entity::find()
            // The first key alone lets the database seek to the page's start
            // instead of scanning every earlier line.
            .filter(revenue_line::Column::CustomerId.gte(c))
            .filter(
                Condition::any()
                    .add(revenue_line::Column::CustomerId.gt(c))
                    .add(
                        revenue_line::Column::CustomerId
                            .eq(c)
                            .and(revenue_line::Column::BusinessUnitId.gt(b)),
                    )
                    .add(
                        revenue_line::Column::CustomerId
                            .eq(c)
                            .and(revenue_line::Column::BusinessUnitId.eq(b))
                            .and(Expr::col(revenue_line::Column::Period).gt(p)),
                    ),
            )
            .order_by_asc(revenue_line::Column::CustomerId)
            .order_by_asc(revenue_line::Column::BusinessUnitId)
            .order_by_asc(revenue_line::Column::Period)
            .limit(limit)
            .all(self.conn())
            .await?;
        Ok(rows.iter().filter_map(to_line).collect())
    }
}

fn to_line(r: &revenue_line::Model) -> Option<RevenueLine> {
    Some(RevenueLine {
        customer_id: CustomerId(r.customer_id),
        business_unit_id: BusinessUnitId(r.business_unit_id),
        period: Period::from_yyyymm(i32::try_from(r.period).ok()?)?,
        revenue_cents: r.revenue_cents,
        margin_cents: r.margin_cents,
        currency: Currency::parse("currency", &r.currency).ok()?,
    })
}

/// What is wrong with a line in another currency than its customer's `c`.
pub(crate) fn other_currency(l: &RevenueLine, c: &str) -> String {
    format!(
        "customer {} is followed in {c}, not {}; record its revenue in {c}",
        l.customer_id, l.currency
    )
}
