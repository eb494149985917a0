//! Key-account selection: the candidate grid, its weighted score, the
//! decisions of the workflow and the program's capacity rules.
//!
//! ```
//! use clef_domain::selection::{capacity, weighted_score};
//! use clef_domain::KamTitle;
//! assert_eq!(weighted_score(&[(30.0, Some(5)), (10.0, Some(1))]), Some(4.0));
//! assert_eq!(capacity(Some(KamTitle::KeyAccountManager)).max, 3);
//! ```

use crate::{FieldError, KamTitle, string_enum};

/// A criterion of the candidate grid as the practice defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct GridDefault {
    pub key: &'static str,
    pub label_en: &'static str,
    pub label_fr: &'static str,
    pub weight: i64,
}

/// The grid Clef starts with: the double fit (strategic and cultural), the
/// reputation effect, potential, the mutual intent and profitability.
pub const DEFAULT_GRID: [GridDefault; 6] = [
    GridDefault {
        key: "strategic_fit",
        label_en: "Strategic fit",
        label_fr: "Adéquation stratégique",
        weight: 25,
    },
    GridDefault {
        key: "cultural_fit",
        label_en: "Cultural fit",
        label_fr: "Adéquation culturelle",
        weight: 20,
    },
    GridDefault {
        key: "reputation",
        label_en: "Reputation effect (a reference that opens others)",
        label_fr: "Effet de référence (un client qui en ouvre d’autres)",
        weight: 15,
    },
    GridDefault {
        key: "potential",
        label_en: "Potential",
        label_fr: "Potentiel",
        weight: 20,
    },
    GridDefault {
        key: "mutual_intent",
        label_en: "Mutual intent to work closely",
        label_fr: "Volonté mutuelle de travailler ensemble",
        weight: 10,
    },
    GridDefault {
        key: "profitability",
        label_en: "Profitability",
        label_fr: "Rentabilité",
        weight: 10,
    },
];

/// The weighted mean of the scores given (1–5), `None` when none is given.
/// Criteria without a score do not count.
pub fn weighted_score(weights_scores: &[(f64, Option<u8>)]) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for (w, s) in weights_scores {
        if let Some(s) = s
            && *w > 0.0
        {
            num += w * f64::from(*s);
            den += w;
        }
    }
    (den > 0.0).then(|| num / den)
}

/// Checks a score of the grid.
pub fn parse_score(field: &str, v: i64) -> Result<u8, FieldError> {
    if (1..=5).contains(&v) {
        Ok(v as u8)
    } else {
        Err(FieldError::new(
            field,
            "out-of-range",
            format!("{field} is a score from 1 to 5, not {v}"),
        ))
    }
}

/// Checks a criterion's weight.
pub fn parse_weight(field: &str, v: i64) -> Result<i64, FieldError> {
    if (0..=100).contains(&v) {
        Ok(v)
    } else {
        Err(FieldError::new(
            field,
            "out-of-range",
            format!("{field} is a weight from 0 to 100, not {v}"),
        ))
    }
}

string_enum!(
    /// A step of the selection workflow, as the history records it.
    Decision, "invalid-choice", {
    Proposed => "proposed",
    Approved => "approved",
    Rejected => "rejected",
    Deselected => "deselected",
});

/// How many accounts a manager holds at most (and should hold at least).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub min: u64,
    pub max: u64,
}

/// The practice: a key (or global) account manager runs at most 3 key
/// accounts; a large account manager 5 to 10.
pub fn capacity(title: Option<KamTitle>) -> Capacity {
    match title {
        Some(KamTitle::LargeAccountManager) => Capacity { min: 5, max: 10 },
        _ => Capacity { min: 0, max: 3 },
    }
}

/// Where a manager's load stands against the capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    Under,
    Within,
    Full,
    Over,
}

impl Load {
    pub fn of(held: u64, cap: Capacity) -> Self {
        if held > cap.max {
            Load::Over
        } else if held == cap.max {
            Load::Full
        } else if held < cap.min {
            Load::Under
        } else {
            Load::Within
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Load::Under => "under",
            Load::Within => "within",
            Load::Full => "full",
            Load::Over => "over",
        }
    }
}

/// A reason the workflow requires (rejection, deselection, override): not
/// blank, at most 2,000 characters.
pub fn parse_reason(field: &str, raw: Option<&str>) -> Result<String, FieldError> {
    let t = raw.unwrap_or("").trim();
    if t.is_empty() {
        return Err(FieldError::required(field));
    }
    if t.chars().count() > 2000 {
        return Err(FieldError::new(
            field,
            "too-long",
            format!("{field} takes at most 2000 characters"),
        ));
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new(
            field,
            "control-chars",
            format!("{field} contains a control character"),
        ));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unscored_criteria_do_not_count() {
        assert_eq!(weighted_score(&[(25.0, Some(4)), (20.0, None)]), Some(4.0));
        assert_eq!(weighted_score(&[(25.0, None)]), None);
        assert_eq!(
            weighted_score(&[(0.0, Some(5)), (10.0, Some(2))]),
            Some(2.0)
        );
    }

    #[test]
    fn capacity_follows_the_title() {
        let kam = capacity(Some(KamTitle::KeyAccountManager));
        assert_eq!(Load::of(3, kam), Load::Full);
        assert_eq!(Load::of(4, kam), Load::Over);
        let lam = capacity(Some(KamTitle::LargeAccountManager));
        assert_eq!(Load::of(4, lam), Load::Under);
        assert_eq!(Load::of(7, lam), Load::Within);
        assert_eq!(Load::of(11, lam), Load::Over);
        assert_eq!(capacity(Some(KamTitle::GlobalAccountManager)).max, 3);
    }

    #[test]
    fn scores_and_reasons_are_checked() {
        assert!(parse_score("s", 0).is_err());
        assert_eq!(parse_score("s", 5).ok(), Some(5));
        assert!(parse_reason("reason", Some("  ")).is_err());
        assert_eq!(
            parse_reason("reason", Some(" Moved abroad "))
                .ok()
                .as_deref(),
            Some("Moved abroad")
        );
        assert!(parse_weight("w", 101).is_err());
    }
}
