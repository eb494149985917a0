//! Demo contracts: the largest customers by revenue have one or two, whose
//! renewal dates fall from a few weeks ago to eighteen months ahead, so
//! that the renewals list has work in every state.

use crate::{error::Result, rng::Rng};
use clef_domain::{Currency, Date, PageRequest, SortDir, contract::ContractInput};
use clef_store::{CustomerFilter, CustomerSort, Store};

/// How many of the largest customers get contracts.
const CUSTOMERS: u64 = 150;

const TITLES: [&str; 7] = [
    "Framework supply agreement",
    "Annual price agreement",
    "Maintenance and service contract",
    "Logistics service agreement",
    "Quality assurance agreement",
    "Consignment stock agreement",
    "Spare parts contract",
];

const NOTICE: [Option<i64>; 5] = [None, Some(30), Some(60), Some(90), Some(180)];

/// Adds the contracts; returns how many.
pub async fn seed(store: &Store, seed: u64, today: Date) -> Result<usize> {
    let (page, _) = store
        .search_customers(
            &CustomerFilter::default(),
            CustomerSort::Revenue,
            SortDir::Desc,
            PageRequest {
                page: 1,
                per_page: CUSTOMERS,
            },
        )
        .await?;
    let mut n = 0;
    for v in &page.items {
        let c = &v.customer;
        let mut rng = Rng::for_item(seed, 7, c.id.unsigned_abs());
        let currency = Currency::parse("currency", &c.currency).unwrap_or(Currency::EUR);
        let revenue = v.figures.as_ref().map_or(0, |f| f.revenue_12);
        let count = 1 + usize::from(rng.chance(0.4));
        for k in 0..count {
            let renews = today.add_days(rng.between(0, 560) as i64 - 20);
            let years = rng.between(1, 3) as i32;
            let title = TITLES[rng.below(TITLES.len() as u64) as usize];
            let share = rng.range_f64(0.2, 0.7) / count as f64;
            let value = ((revenue as f64 * share) / 100_000.0).round() as i64 * 100_000;
            let input = ContractInput {
                title: title.into(),
                reference: Some(format!("C-{}-{:05}-{}", renews.year - years, c.id, k + 1)),
                starts_on: Some(renews.add_days(-365 * i64::from(years)).to_string()),
                renews_on: renews.to_string(),
                notice_days: NOTICE[rng.below(NOTICE.len() as u64) as usize],
                auto_renew: rng.chance(0.5),
                annual_value_cents: (value > 0).then_some(value),
                currency: None,
                notes: None,
            };
            let Ok(fields) = input.parse(currency) else {
                continue;
            };
            store.create_contract(None, c.id, &fields).await?;
            n += 1;
        }
    }
    Ok(n)
}
