//! Demo account plans: the first key accounts get a plan, some with an
//! approved version from last year and this year's draft, so every plan page
//! and document has something to show.

use crate::error::Result;
use clef_domain::plan::{
    BudgetLine, Initiative, Lever, Note, PlanAction, PlanContent, PlanStatus, Project, Risk,
    SwotItem,
};
use clef_store::Store;

const OBJECTIVES: &[&str] = &[
    "Become the preferred supplier of {name} for its whole European range by {y2}.",
    "Double our share of wallet at {name} by {y2} through joint development.",
    "Be {name}'s partner for its sustainability programme by {y2}.",
];

/// Last 12 months' revenue and margin, and the wallet: the base of the targets.
struct Base {
    revenue: i64,
    margin: i64,
    wallet: Option<i64>,
}

fn content(
    name: &str,
    year: i32,
    owner: Option<i64>,
    director: Option<i64>,
    k: usize,
    base: &Base,
) -> PlanContent {
    let fill = |s: &str| {
        s.replace("{name}", name)
            .replace("{y2}", &(year + 2).to_string())
    };
    let mut c = PlanContent::new_for(year);
    for (i, t) in c.targets.iter_mut().enumerate() {
        // 6 % more revenue each year, margin following, rounded to the hundred.
        let g = 1.06_f64.powi(i as i32 + 1);
        let round = |x: f64| (x / 10_000.0).round() as i64 * 10_000;
        t.revenue_cents = Some(round(base.revenue as f64 * g));
        t.margin_cents = Some(round(base.margin as f64 * g * 1.01));
        t.share_of_wallet_pct = base
            .wallet
            .filter(|w| *w > 0)
            .map(|w| ((base.revenue as f64 * g * 100.0 / w as f64).round() as i64).clamp(0, 100));
    }
    c.objective = fill(OBJECTIVES[k % OBJECTIVES.len()]);
    c.vision = fill(
        "A long-term partnership with {name}: we design with them, deliver without fault and help them grow in new markets.",
    );
    c.stage = ["collaborative", "transactional", "partnership"][k % 3].into();
    c.knowledge.organisation =
        fill("{name} runs three plants; purchasing is centralised at head office.");
    c.knowledge.strategy = "Growth through new product lines and exports.".into();
    c.knowledge.market = "A consolidating market; two competitors push on price.".into();
    c.knowledge.purchasing = "A yearly tender in March, with a technical pre-selection.".into();
    c.knowledge.history = format!("Customer since {}.", 2008 + k as i32);
    c.swot = vec![
        SwotItem {
            kind: "strength".into(),
            text: "Quality record: no major claim in three years".into(),
            evidence: "Quality audit scores".into(),
            source: "Customer quality report".into(),
        },
        SwotItem {
            kind: "threat".into(),
            text: "A low-cost competitor was invited to the last tender".into(),
            evidence: "Tender list".into(),
            source: "Purchasing meeting".into(),
        },
    ];
    c.notes = vec![Note {
        text: "The new purchasing director wants fewer, more strategic suppliers.".into(),
        author: "Customer service".into(),
        source: "Trade fair".into(),
        date: Some(format!("{}-10-02", year - 1)),
    }];
    c.initiatives = vec![
        Initiative {
            title: "Joint development office".into(),
            rationale: "Co-design their next product generation.".into(),
            expected_value_cents: Some(25_000_000 + 5_000_000 * k as i64),
            owner_id: owner,
            status: "validated".into(),
            joint: true,
            validated_by: director,
            validated_on: Some(format!("{}-11-15", year - 1)),
        },
        Initiative {
            title: "Consignment stock at their main plant".into(),
            rationale: "Shorter lead times, fewer stock-outs.".into(),
            expected_value_cents: Some(8_000_000),
            owner_id: owner,
            status: "planned".into(),
            joint: true,
            ..Default::default()
        },
    ];
    c.actions = vec![
        PlanAction {
            title: "Kick-off workshop with their engineering team".into(),
            initiative: Some(1),
            owner_id: owner,
            start: Some(format!("{year}-01-10")),
            due: Some(format!("{year}-02-15")),
            status: "open".into(),
        },
        PlanAction {
            title: "Propose the consignment stock agreement".into(),
            initiative: Some(2),
            owner_id: owner,
            start: Some(format!("{year}-03-01")),
            due: Some(format!("{year}-06-30")),
            status: "open".into(),
        },
    ];
    c.risks = vec![Risk {
        title: "Price pressure at the next tender".into(),
        probability: Some(3 + (k % 2) as i64),
        impact: Some(4),
        mitigation: "Show the total cost of ownership, not the unit price.".into(),
    }];
    c.levers = vec![Lever {
        title: "Reference customer in its industry".into(),
        description: "Their logo opens doors with three prospects.".into(),
    }];
    c.logistics = "Weekly milk run from our nearest warehouse.".into();
    c.budget = vec![BudgetLine {
        label: "Joint workshops and travel".into(),
        year: Some(i64::from(year)),
        amount_cents: Some(1_800_000),
    }];
    c.projects = vec![Project {
        title: "Recycled packaging".into(),
        description: "Returnable crates on their two main flows.".into(),
        status: "running".into(),
        value: "Less waste and lower packaging cost for them.".into(),
    }];
    c.shared_goals = fill("Bring {name}'s next product generation to market together.");
    c.value_delivered = "Faster deliveries and a quality record without major claim.".into();
    c.asks = "A visit of our chief executive to their board this year.".into();
    c
}

/// Writes demo plans for up to `n` key accounts; returns how many.
pub async fn seed(store: &Store, this_year: i32, n: usize) -> Result<usize> {
    let users = store.list_users().await?;
    let director = users.iter().find(|u| u.role == "director").map(|u| u.id);
    let rows = store.plan_rows().await?;
    let mut made = 0;
    for (k, r) in rows
        .iter()
        .filter(|r| r.latest.is_none())
        .take(n)
        .enumerate()
    {
        let c = &r.customer;
        let owner = c.owner_id;
        let f = store.customer_view(c.id).await?.figures;
        let base = Base {
            revenue: f.as_ref().map_or(0, |f| f.revenue_12),
            margin: f.as_ref().map_or(0, |f| f.margin_12),
            wallet: c.wallet_cents,
        };
        let with_history = k % 2 == 0;
        let first = if with_history {
            this_year - 1
        } else {
            this_year
        };
        let v = store
            .create_plan_version(owner, c.id, Some(first), this_year)
            .await?;
        store
            .save_plan_content(
                owner,
                v.id,
                v.version,
                &content(&c.name, first, owner, director, k, &base),
            )
            .await?;
        if with_history {
            store
                .move_plan(owner, v.id, None, PlanStatus::Submitted, None)
                .await?;
            store
                .move_plan(director, v.id, None, PlanStatus::Approved, None)
                .await?;
            store
                .set_action_status(owner, v.id, 0, "done", None)
                .await?;
            // This year's draft starts from it.
            store
                .create_plan_version(owner, c.id, Some(this_year), this_year)
                .await?;
        }
        made += 1;
    }
    Ok(made)
}
