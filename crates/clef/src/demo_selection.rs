//! The demo's key-account selection: the largest candidates scored on the
//! grid, one proposal approved, one waiting for a decision and one
//! rejected, so the selection and program pages have something to show;
//! and two segmentations saved with the practice's settings, to open.

use crate::error::{Failure, Result};
use clef_domain::{CustomerStatus, PageRequest, SortDir};
use clef_store::{CustomerFilter, CustomerSort, Proposal, ScoreInput, Store};

/// Scores of the four largest candidates, criterion by criterion (in the
/// grid's order), with the evidence behind the first.
const SCORES: [[u8; 6]; 4] = [
    [5, 4, 5, 5, 4, 4],
    [4, 4, 3, 5, 4, 3],
    [4, 3, 4, 4, 3, 4],
    [3, 3, 2, 4, 2, 3],
];
const EVIDENCE: [&str; 4] = [
    "Its purchasing director asked for a joint three-year roadmap.",
    "Growing fast in two of our business units; open to a pilot.",
    "A good fit; the customer is not ready for a joint plan yet.",
    "Large, yet buys mostly on price.",
];

/// Scores the largest candidates and records the decisions; returns how
/// many candidates were scored.
pub async fn seed(store: &Store) -> Result<usize> {
    let users = store.list_users().await?;
    let id_of = |email: &str| {
        users
            .iter()
            .find(|u| u.email == email)
            .map(|u| u.id)
            .ok_or_else(|| Failure::new(format!("the demo user {email} is missing")))
    };
    let (director, large, kam) = (
        id_of("director@clef.example")?,
        id_of("kam.large@clef.example")?,
        id_of("kam@clef.example")?,
    );
    let candidates = store
        .list_customers(
            &CustomerFilter {
                status: Some(CustomerStatus::Candidate),
                ..CustomerFilter::default()
            },
            CustomerSort::Revenue,
            SortDir::Desc,
            PageRequest {
                page: 1,
                per_page: SCORES.len() as u64,
            },
        )
        .await?
        .items;
    let grid = store.grid(false).await?;
    for (k, v) in candidates.iter().enumerate() {
        let scores: Vec<ScoreInput> = grid
            .iter()
            .zip(SCORES[k])
            .enumerate()
            .map(|(i, (c, score))| ScoreInput {
                criterion_id: c.id,
                score,
                evidence: (i == 0).then(|| EVIDENCE[k].to_owned()),
            })
            .collect();
        store
            .set_scores(
                Some(v.customer.owner_id.unwrap_or(director)),
                v.customer.id,
                &scores,
            )
            .await?;
    }
    let propose = |manager_id: i64, reason: &str| Proposal {
        manager_id,
        sponsor_id: None,
        reason: reason.to_owned(),
        may_change_sponsor: false,
    };
    if let Some(v) = candidates.first() {
        let id = v.customer.id;
        store
            .propose_key_account(
                Some(director),
                id,
                &propose(
                    large,
                    "The best score of the grid, and the customer wants a partnership.",
                ),
            )
            .await?;
        store
            .approve_key_account(
                Some(director),
                id,
                Some("Approved at the program review.".into()),
                None,
            )
            .await?;
    }
    if let Some(v) = candidates.get(1) {
        store
            .propose_key_account(
                Some(large),
                v.customer.id,
                &propose(
                    large,
                    "Fast growth in two business units; I have room for one more account.",
                ),
            )
            .await?;
    }
    if let Some(v) = candidates.get(2) {
        let id = v.customer.id;
        store
            .propose_key_account(
                Some(director),
                id,
                &propose(kam, "A strong fit with our strategy."),
            )
            .await?;
        store
            .reject_key_account(
                Some(director),
                id,
                "Not this year: the customer is not ready for a joint plan; to be proposed again next year."
                    .into(),
            )
            .await?;
    }
    Ok(candidates.len())
}

/// Two segmentations saved by the director with the practice's default
/// settings (not applied: the service tiers stay as they are): the whole
/// company, and France.
pub async fn seed_segmentations(store: &Store) -> Result<()> {
    use clef_domain::segmentation::{Config, Scope};
    let director = store
        .user_by_email("director@clef.example")
        .await?
        .map(|u| u.id);
    let config = serde_json::to_value(Config::default())
        .map_err(|e| Failure::new(format!("the demo's segmentation settings: {e}")))?;
    for (name, scope) in [
        ("Whole company", Scope::Company),
        ("France", Scope::Country("FR".into())),
    ] {
        store
            .create_segmentation(director, name, &scope, &config)
            .await?;
    }
    Ok(())
}
