//! Portfolio segmentation: criteria with weights and scales give every
//! customer two scores (attractiveness and our position), which place it in a
//! matrix cell with a recommended posture; revenue (or margin) gives its
//! Pareto/ABC class; rules on class and posture give its service tier.
//!
//! Everything works on a [`Frame`], the portfolio as columns, so that one
//! what-if over a million customers is a few passes over flat arrays.
//!
//! ```
//! use clef_domain::segmentation::{Config, Frame, FrameRow, segment};
//! let mut f = Frame::default();
//! for (i, rev) in [900_000, 50_000, 30_000, 20_000].iter().enumerate() {
//!     f.push(FrameRow { id: i as i64 + 1, revenue: *rev, ..FrameRow::default() });
//! }
//! f.prepare();
//! let out = segment(&f, &Config::default(), &f.all());
//! assert_eq!(out.abc_of(0), clef_domain::segmentation::Abc::A);
//! assert_eq!(out.abc_of(3), clef_domain::segmentation::Abc::C);
//! ```

use crate::{FieldError, FieldErrors, ServiceTier, string_enum};
use serde::{Deserialize, Serialize};

string_enum!(
    /// A measure of the customer that segmentation can weigh.
    Criterion, "invalid-choice", {
    Revenue => "revenue",
    Margin => "margin",
    Wallet => "wallet",
    Potential => "potential",
    Growth => "growth",
    Trend => "trend",
    MarginRate => "margin_rate",
    ShareOfWallet => "share_of_wallet",
    Threat => "threat",
    CompetitivePosition => "competitive_position",
    StrategicSegment => "strategic_segment",
    Satisfaction => "satisfaction",
});

string_enum!(
    /// How a criterion's values are brought to the 0–1 range.
    Scale, "invalid-choice", {
    Percentile => "percentile",
    Log => "log",
    Linear => "linear",
});

string_enum!(
    /// The matrix axis a criterion counts towards.
    Axis, "invalid-choice", {
    Attractiveness => "attractiveness",
    Position => "position",
});

string_enum!(
    /// The Pareto class of a customer.
    Abc, "invalid-choice", {
    A => "A",
    B => "B",
    C => "C",
});

string_enum!(
    /// What the matrix recommends doing with the customers of a cell.
    Posture, "invalid-choice", {
    Develop => "develop",
    Build => "build",
    Maintain => "maintain",
    Optimise => "optimise",
    Reduce => "reduce",
});

string_enum!(
    /// What the ABC classes are computed on.
    AbcMeasure, "invalid-choice", {
    Revenue => "revenue",
    Margin => "margin",
});

macro_rules! serde_str {
    ($($t:ty),+) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t>::from_str_opt(&s).ok_or_else(|| {
                    let allowed: Vec<&str> = <$t>::ALL.iter().map(|v| v.as_str()).collect();
                    serde::de::Error::custom(format!(
                        "\"{s}\" is not one of {}", allowed.join(", ")))
                })
            }
        }
    )+};
}
serde_str!(Criterion, Scale, Axis, Abc, Posture, AbcMeasure);

impl Criterion {
    /// Whether the criterion is a category (its scale does not apply).
    pub fn is_ordinal(&self) -> bool {
        matches!(
            self,
            Criterion::Threat
                | Criterion::CompetitivePosition
                | Criterion::StrategicSegment
                | Criterion::Satisfaction
        )
    }
}

/// One weighted criterion of an axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weighted {
    pub criterion: Criterion,
    pub axis: Axis,
    /// From -100 to 100; a negative weight counts the criterion against the axis.
    pub weight: f64,
    #[serde(default = "default_scale")]
    pub scale: Scale,
}

fn default_scale() -> Scale {
    Scale::Percentile
}

/// Which classes and postures earn a tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    #[serde(default)]
    pub abc: Vec<Abc>,
    #[serde(default)]
    pub postures: Vec<Posture>,
}

impl TierRule {
    fn matches(&self, abc: Abc, posture: Posture) -> bool {
        self.abc.contains(&abc) || self.postures.contains(&posture)
    }
}

/// A segmentation's settings: what a user moves in the what-if.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub criteria: Vec<Weighted>,
    pub abc_measure: AbcMeasure,
    /// Cumulative shares (percent) closing class A and class B: 80 and 95.
    pub abc_cutoffs: [f64; 2],
    /// Score limits between matrix rows (attractiveness), ascending, 0–1.
    pub attractiveness_thresholds: Vec<f64>,
    /// Score limits between matrix columns (our position), ascending, 0–1.
    pub position_thresholds: Vec<f64>,
    /// The strategic segments the company targets (the strategic-segment criterion).
    pub target_segments: Vec<String>,
    /// Gold if the customer matches; else silver if it matches; else bronze.
    pub gold: TierRule,
    pub silver: TierRule,
}

impl Default for Config {
    fn default() -> Self {
        use Axis::*;
        use Criterion::*;
        let w = |criterion, axis, weight| Weighted {
            criterion,
            axis,
            weight,
            scale: Scale::Percentile,
        };
        Config {
            criteria: vec![
                w(Potential, Attractiveness, 40.0),
                w(Growth, Attractiveness, 25.0),
                w(StrategicSegment, Attractiveness, 20.0),
                w(Revenue, Attractiveness, 15.0),
                w(ShareOfWallet, Position, 40.0),
                w(CompetitivePosition, Position, 30.0),
                w(Satisfaction, Position, 15.0),
                w(Threat, Position, -15.0),
            ],
            abc_measure: AbcMeasure::Revenue,
            abc_cutoffs: [80.0, 95.0],
            attractiveness_thresholds: vec![0.4, 0.6],
            position_thresholds: vec![0.4, 0.6],
            target_segments: vec!["Strategic".into()],
            gold: TierRule {
                abc: vec![Abc::A],
                postures: vec![Posture::Develop],
            },
            silver: TierRule {
                abc: vec![Abc::B],
                postures: vec![Posture::Build, Posture::Maintain],
            },
        }
    }
}

impl Config {
    /// Checks the settings, naming each wrong field.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.criteria.is_empty() {
            e.push(FieldError::new(
                "criteria",
                "required",
                "choose at least one criterion",
            ));
        }
        if self.criteria.len() > 24 {
            e.push(FieldError::new(
                "criteria",
                "too-many",
                "a segmentation takes at most 24 criteria",
            ));
        }
        for (i, c) in self.criteria.iter().enumerate() {
            if !c.weight.is_finite() || !(-100.0..=100.0).contains(&c.weight) {
                e.push(FieldError::new(
                    &format!("criteria[{i}].weight"),
                    "out-of-range",
                    "a weight goes from -100 to 100",
                ));
            } else if c.weight != 0.0 && c.weight.abs() < 0.01 {
                // Smaller weights round to nothing in the scores' arithmetic.
                e.push(FieldError::new(
                    &format!("criteria[{i}].weight"),
                    "out-of-range",
                    "a weight other than 0 is at least 0.01 (or -0.01)",
                ));
            }
        }
        for axis in Axis::ALL {
            if !self
                .criteria
                .iter()
                .any(|c| c.axis == *axis && c.weight != 0.0)
            {
                e.push(FieldError::new(
                    "criteria",
                    "empty-axis",
                    format!("give the {axis} axis at least one criterion with a weight"),
                ));
            }
        }
        let [a, b] = self.abc_cutoffs;
        if !(a.is_finite() && b.is_finite() && 0.0 < a && a < b && b <= 100.0) {
            e.push(FieldError::new(
                "abc_cutoffs",
                "out-of-range",
                "the A and B cut-offs are percentages with 0 < A < B ≤ 100",
            ));
        }
        for (field, t) in [
            ("attractiveness_thresholds", &self.attractiveness_thresholds),
            ("position_thresholds", &self.position_thresholds),
        ] {
            let ordered = t.windows(2).all(|w| w[0] < w[1]);
            let inside = t.iter().all(|v| v.is_finite() && *v > 0.0 && *v < 1.0);
            if t.is_empty() || t.len() > 4 || !ordered || !inside {
                e.push(FieldError::new(
                    field,
                    "out-of-range",
                    "give 1 to 4 limits between 0 and 1, in increasing order",
                ));
            }
        }
        if self.target_segments.len() > 50 || self.target_segments.iter().any(|s| s.len() > 100) {
            e.push(FieldError::new(
                "target_segments",
                "too-long",
                "at most 50 segments of 100 characters",
            ));
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    pub fn rows(&self) -> usize {
        self.attractiveness_thresholds.len() + 1
    }

    pub fn cols(&self) -> usize {
        self.position_thresholds.len() + 1
    }
}

/// The recommended posture of a cell; `row` and `col` count from the lowest
/// attractiveness and the weakest position.
pub fn posture(row: usize, rows: usize, col: usize, cols: usize) -> Posture {
    // Bring any grid to the 3×3 of the practice.
    let level = |i: usize, n: usize| {
        if n <= 1 {
            1
        } else {
            ((i * 2) as f64 / (n - 1) as f64).round() as usize
        }
    };
    use Posture::*;
    const TABLE: [[Posture; 3]; 3] = [
        // attractiveness low: position low, medium, high
        [Reduce, Optimise, Maintain],
        [Optimise, Maintain, Maintain],
        [Build, Develop, Develop],
    ];
    TABLE[level(row, rows).min(2)][level(col, cols).min(2)]
}

/// The customers a segmentation looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Company,
    BusinessUnit(i64),
    Region(String),
    Country(String),
    /// One owner's portfolio.
    Owner(i64),
}

impl Scope {
    pub const KINDS: [&'static str; 5] = ["company", "business_unit", "region", "country", "owner"];

    /// Reads a scope from its kind and value, naming the field at fault.
    pub fn parse(kind: &str, value: Option<&str>) -> Result<Self, FieldError> {
        let v = value.map(str::trim).filter(|v| !v.is_empty());
        let need = || {
            FieldError::new(
                "scope_value",
                "required",
                format!("choose the {} of the scope", kind.trim().replace('_', " ")),
            )
        };
        let id = |v: Option<&str>| -> Result<i64, FieldError> {
            let v = v.ok_or_else(need)?;
            v.parse::<i64>().ok().filter(|i| *i > 0).ok_or_else(|| {
                FieldError::new(
                    "scope_value",
                    "invalid-id",
                    format!("scope_value must be an id, not \"{v}\""),
                )
            })
        };
        match kind.trim() {
            "" | "company" => Ok(Scope::Company),
            "business_unit" => Ok(Scope::BusinessUnit(id(v)?)),
            "owner" => Ok(Scope::Owner(id(v)?)),
            "region" => Ok(Scope::Region(
                crate::RequiredText::parse("scope_value", v.ok_or_else(need)?, 100)?.into_string(),
            )),
            "country" => Ok(Scope::Country(
                crate::CountryCode::parse("scope_value", v.ok_or_else(need)?)?
                    .as_str()
                    .to_owned(),
            )),
            other => Err(FieldError::new(
                "scope_kind",
                "invalid-choice",
                format!(
                    "scope_kind must be one of {}, not \"{other}\"",
                    Self::KINDS.join(", ")
                ),
            )),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Scope::Company => "company",
            Scope::BusinessUnit(_) => "business_unit",
            Scope::Region(_) => "region",
            Scope::Country(_) => "country",
            Scope::Owner(_) => "owner",
        }
    }

    pub fn value(&self) -> Option<String> {
        match self {
            Scope::Company => None,
            Scope::BusinessUnit(i) | Scope::Owner(i) => Some(i.to_string()),
            Scope::Region(s) | Scope::Country(s) => Some(s.clone()),
        }
    }
}

/// One customer's input to segmentation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrameRow {
    pub id: i64,
    /// Revenue and margin over the last 12 months, in cents.
    pub revenue: i64,
    pub margin: i64,
    /// The estimated wallet in cents, if known.
    pub wallet: Option<i64>,
    pub growth: Option<f64>,
    pub trend: Option<f64>,
    /// none 0, low 1, medium 2, high 3.
    pub threat: Option<u8>,
    /// weak 0, average 1, strong 2, leader 3.
    pub position: Option<u8>,
    pub segment: Option<String>,
    /// 0–10.
    pub satisfaction: Option<u8>,
    pub tier: Option<ServiceTier>,
}

/// The portfolio as columns. [`Frame::prepare`] computes what every what-if
/// reuses: each criterion's raw values, its company-wide percentiles and the
/// order of customers by revenue and by margin.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub ids: Vec<i64>,
    pub revenue: Vec<i64>,
    pub margin: Vec<i64>,
    pub tier: Vec<Option<ServiceTier>>,
    segment: Vec<u32>,
    segments: Vec<String>,
    rows: Vec<FrameRow>,
    /// Raw value per criterion (NaN when unknown), in `Criterion::ALL` order.
    raw: Vec<Vec<f64>>,
    /// Company-wide percentile per criterion (numeric criteria only).
    pct: Vec<Vec<f32>>,
    /// Customers by revenue, then by margin, largest first (ties by id).
    by_revenue: Vec<u32>,
    by_margin: Vec<u32>,
    /// Each customer's position in those orders, and the running sums of
    /// the positive amounts along them (one more entry than customers).
    pos_revenue: Vec<u32>,
    pos_margin: Vec<u32>,
    /// Running sums of the positive measures, largest first: in 128 bits,
    /// so that shares stay right past what 64 bits hold.
    sum_revenue: Vec<i128>,
    sum_margin: Vec<i128>,
}

const NONE: u32 = u32::MAX;

fn crit_index(c: Criterion) -> usize {
    Criterion::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

impl Frame {
    pub fn push(&mut self, r: FrameRow) {
        self.rows.push(r);
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every customer (the whole-company scope).
    pub fn all(&self) -> Vec<u32> {
        (0..self.len() as u32).collect()
    }

    /// The customer's position in the frame.
    pub fn index_of(&self, id: i64) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }

    /// Turns the pushed rows into columns, sorted by id.
    pub fn prepare(&mut self) {
        let mut rows = std::mem::take(&mut self.rows);
        rows.sort_by_key(|r| r.id);
        let n = rows.len();
        let mut seg_ids = std::collections::HashMap::new();
        self.ids = rows.iter().map(|r| r.id).collect();
        self.revenue = rows.iter().map(|r| r.revenue).collect();
        self.margin = rows.iter().map(|r| r.margin).collect();
        self.tier = rows.iter().map(|r| r.tier).collect();
        self.segment = rows
            .iter()
            .map(|r| match &r.segment {
                None => NONE,
                Some(s) => {
                    let next = seg_ids.len() as u32;
                    *seg_ids.entry(s.to_lowercase()).or_insert_with(|| {
                        self.segments.push(s.to_lowercase());
                        next
                    })
                }
            })
            .collect();
        let nan = f64::NAN;
        self.raw = Criterion::ALL
            .iter()
            .map(|c| {
                rows.iter()
                    .map(|r| match c {
                        Criterion::Revenue => r.revenue as f64 / 100.0,
                        Criterion::Margin => r.margin as f64 / 100.0,
                        Criterion::Wallet => r.wallet.map_or(nan, |w| w as f64 / 100.0),
                        Criterion::Potential => r
                            .wallet
                            .map_or(nan, |w| (w - r.revenue).max(0) as f64 / 100.0),
                        Criterion::Growth => r.growth.unwrap_or(nan),
                        Criterion::Trend => r.trend.unwrap_or(nan),
                        Criterion::MarginRate => {
                            if r.revenue > 0 {
                                r.margin as f64 / r.revenue as f64
                            } else {
                                nan
                            }
                        }
                        Criterion::ShareOfWallet => match r.wallet {
                            Some(w) if w > 0 => r.revenue as f64 / w as f64,
                            _ => nan,
                        },
                        Criterion::Threat => r.threat.map_or(nan, |v| f64::from(v) / 3.0),
                        Criterion::CompetitivePosition => {
                            r.position.map_or(nan, |v| f64::from(v) / 3.0)
                        }
                        Criterion::Satisfaction => {
                            r.satisfaction.map_or(nan, |v| f64::from(v) / 10.0)
                        }
                        // Computed per configuration (the target segments).
                        Criterion::StrategicSegment => nan,
                    })
                    .collect()
            })
            .collect();
        let all: Vec<u32> = (0..n as u32).collect();
        // Each percentile and order is a sort of its own: the cores share them.
        let (pct, by_revenue, by_margin) = std::thread::scope(|s| {
            let pct: Vec<_> = Criterion::ALL
                .iter()
                .zip(&self.raw)
                .map(|(c, raw)| {
                    let all = &all;
                    (!c.is_ordinal()).then(|| s.spawn(move || percentiles(raw, all)))
                })
                .collect();
            let by_revenue = s.spawn(|| order_desc(&self.revenue, &self.ids));
            let by_margin = order_desc(&self.margin, &self.ids);
            let pct: Vec<Vec<f32>> = pct
                .into_iter()
                .map(|h| h.map_or_else(Vec::new, joined))
                .collect();
            (pct, joined(by_revenue), by_margin)
        });
        (self.pct, self.by_revenue, self.by_margin) = (pct, by_revenue, by_margin);
        (self.pos_revenue, self.sum_revenue) = positions(&self.by_revenue, &self.revenue);
        (self.pos_margin, self.sum_margin) = positions(&self.by_margin, &self.margin);
    }
}

fn positions(order: &[u32], v: &[i64]) -> (Vec<u32>, Vec<i128>) {
    let mut pos = vec![0u32; order.len()];
    let mut sums = Vec::with_capacity(order.len() + 1);
    let mut run = 0i128;
    sums.push(0);
    for (k, i) in order.iter().enumerate() {
        pos[*i as usize] = k as u32;
        run += i128::from(v[*i as usize].max(0));
        sums.push(run);
    }
    (pos, sums)
}

/// A total as reported in cents: past what 64 bits hold, the largest.
fn reported(x: i128) -> i64 {
    i64::try_from(x).unwrap_or(if x < 0 { i64::MIN } else { i64::MAX })
}

fn order_desc(v: &[i64], ids: &[i64]) -> Vec<u32> {
    // Sorting the keys themselves, not indexes into them, keeps the
    // comparisons in cache.
    let mut o: Vec<(std::cmp::Reverse<i64>, i64, u32)> = (0..v.len())
        .map(|i| (std::cmp::Reverse(v[i]), ids[i], i as u32))
        .collect();
    o.sort_unstable();
    o.into_iter().map(|(_, _, i)| i).collect()
}

/// A thread's result; its panic goes on in the caller.
fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// A key whose integer order is the total order of `f64`.
fn order_key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// The percentile of each value among the known values of `scope`: the
/// share of known values below it, ties sharing their middle rank; NaN stays NaN.
fn percentiles(raw: &[f64], scope: &[u32]) -> Vec<f32> {
    let mut out = vec![f32::NAN; raw.len()];
    let mut keyed: Vec<(u64, u32)> = scope
        .iter()
        .filter(|i| !raw[**i as usize].is_nan())
        .map(|i| (order_key(raw[*i as usize]), *i))
        .collect();
    keyed.sort_unstable();
    let known: Vec<u32> = keyed.into_iter().map(|(_, i)| i).collect();
    let n = known.len();
    let mut i = 0;
    while i < n {
        let v = raw[known[i] as usize];
        let mut j = i;
        while j + 1 < n && raw[known[j + 1] as usize] == v {
            j += 1;
        }
        let p = if n <= 1 {
            0.5
        } else {
            ((i + j) as f64 / 2.0 / (n - 1) as f64) as f32
        };
        for k in &known[i..=j] {
            out[*k as usize] = p;
        }
        i = j + 1;
    }
    out
}

/// Where each customer of the scope lands.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The frame indexes of the scope, in frame order.
    pub scope: Vec<u32>,
    pub attractiveness: Vec<f32>,
    pub position: Vec<f32>,
    /// Per frame index (customers outside the scope keep `u8::MAX`).
    abc: Vec<u8>,
    row: Vec<u8>,
    col: Vec<u8>,
    tier: Vec<u8>,
    pub rows: usize,
    pub cols: usize,
    pub cells: Vec<CellSummary>,
    pub classes: [ClassSummary; 3],
    pub tiers: [u64; 3],
    pub total_measure: i64,
    /// The Pareto curve: (share of customers, share of the measure), 0–1.
    pub curve: Vec<(f64, f64)>,
}

/// Count and revenue of a matrix cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellSummary {
    /// 0 is the lowest attractiveness.
    pub row: usize,
    /// 0 is the weakest position.
    pub col: usize,
    pub posture: Posture,
    pub customers: u64,
    pub revenue_cents: i64,
}

/// Count and measure of an ABC class.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ClassSummary {
    pub customers: u64,
    pub measure_cents: i64,
}

impl Outcome {
    pub fn abc_of(&self, i: usize) -> Abc {
        Abc::ALL[usize::from(self.abc[i]).min(2)]
    }
    /// The (row, column) of a customer, from the lowest attractiveness and weakest position.
    pub fn cell_of(&self, i: usize) -> (usize, usize) {
        (usize::from(self.row[i]), usize::from(self.col[i]))
    }
    pub fn posture_of(&self, i: usize) -> Posture {
        let (r, c) = self.cell_of(i);
        posture(r, self.rows, c, self.cols)
    }
    pub fn tier_of(&self, i: usize) -> ServiceTier {
        ServiceTier::ALL[usize::from(self.tier[i]).min(2)]
    }
    pub fn in_scope(&self, i: usize) -> bool {
        self.abc.get(i).is_some_and(|v| *v != u8::MAX)
    }
}

/// The value of criterion `c` for customer `i`, on 0–1 (NaN when unknown).
fn normalised(
    frame: &Frame,
    c: &Weighted,
    whole: bool,
    scope: &[u32],
    targets: &[u32],
) -> Vec<f32> {
    let ci = crit_index(c.criterion);
    if c.criterion == Criterion::StrategicSegment {
        return frame
            .segment
            .iter()
            .map(|s| {
                if *s == NONE {
                    0.0
                } else if targets.contains(s) {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
    }
    let raw = &frame.raw[ci];
    if c.criterion.is_ordinal() {
        return raw.iter().map(|v| *v as f32).collect();
    }
    match c.scale {
        Scale::Percentile if whole => frame.pct[ci].clone(),
        Scale::Percentile => percentiles(raw, scope),
        Scale::Log | Scale::Linear => {
            let f = |v: f64| {
                if c.scale == Scale::Log {
                    v.signum() * v.abs().ln_1p()
                } else {
                    v
                }
            };
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for i in scope {
                let v = raw[*i as usize];
                if !v.is_nan() {
                    let t = f(v);
                    lo = lo.min(t);
                    hi = hi.max(t);
                }
            }
            let span = hi - lo;
            raw.iter()
                .map(|v| {
                    if v.is_nan() {
                        f32::NAN
                    } else if span > 0.0 {
                        ((f(*v) - lo) / span) as f32
                    } else {
                        0.5
                    }
                })
                .collect()
        }
    }
}

/// Segments the customers of `scope` (frame indexes, ascending).
pub fn segment(frame: &Frame, cfg: &Config, scope: &[u32]) -> Outcome {
    let n = frame.len();
    let whole = scope.len() == n;
    let targets: Vec<u32> = cfg
        .target_segments
        .iter()
        .filter_map(|t| {
            let t = t.to_lowercase();
            frame
                .segments
                .iter()
                .position(|s| *s == t)
                .map(|p| p as u32)
        })
        .collect();
    let mut att = vec![0f32; n];
    let mut pos = vec![0f32; n];
    let (mut att_w, mut pos_w) = (0f32, 0f32);
    for c in &cfg.criteria {
        if c.weight == 0.0 || !c.weight.is_finite() {
            continue;
        }
        let w = c.weight.abs() as f32;
        let negative = c.weight < 0.0;
        let values = normalised(frame, c, whole, scope, &targets);
        let (acc, total) = match c.axis {
            Axis::Attractiveness => (&mut att, &mut att_w),
            Axis::Position => (&mut pos, &mut pos_w),
        };
        *total += w;
        // An unknown value counts as the middle of the scale; a negative
        // weight counts 1 - v.
        let (scale, shift) = if negative { (-w, w) } else { (w, 0.0) };
        let add = |a: &mut f32, v: f32| *a += shift + scale * if v.is_nan() { 0.5 } else { v };
        if whole {
            acc.iter_mut()
                .zip(values.iter())
                .for_each(|(a, v)| add(a, *v));
        } else {
            for i in scope {
                let i = *i as usize;
                add(&mut acc[i], values[i]);
            }
        }
    }
    let rows = cfg.rows();
    let cols = cfg.cols();
    // The smallest f32 at or above each limit: comparing in f32 then gives
    // the same levels as comparing the exact values.
    let limits = |t: &[f64]| -> Vec<f32> {
        t.iter()
            .map(|v| {
                let f = *v as f32;
                if f64::from(f) < *v { f.next_up() } else { f }
            })
            .collect()
    };
    let (att_t, pos_t) = (
        limits(&cfg.attractiveness_thresholds),
        limits(&cfg.position_thresholds),
    );
    let level = |score: f32, t: &[f32]| t.iter().map(|x| u8::from(score >= *x)).sum::<u8>();
    let (att_inv, pos_inv) = (
        if att_w > 0.0 { 1.0 / att_w } else { 0.0 },
        if pos_w > 0.0 { 1.0 / pos_w } else { 0.0 },
    );
    let mut out = Outcome {
        scope: scope.to_vec(),
        attractiveness: Vec::with_capacity(scope.len()),
        position: Vec::with_capacity(scope.len()),
        abc: vec![u8::MAX; n],
        row: vec![u8::MAX; n],
        col: vec![u8::MAX; n],
        tier: vec![u8::MAX; n],
        rows,
        cols,
        cells: Vec::new(),
        classes: [ClassSummary::default(); 3],
        tiers: [0; 3],
        total_measure: 0,
        curve: Vec::new(),
    };
    let mut counts = vec![(0u64, 0i64); rows * cols];
    for i in scope {
        let i = *i as usize;
        let a = if att_w > 0.0 { att[i] * att_inv } else { 0.5 };
        let p = if pos_w > 0.0 { pos[i] * pos_inv } else { 0.5 };
        let (a, p) = (
            if a.is_finite() { a } else { 0.5 },
            if p.is_finite() { p } else { 0.5 },
        );
        out.attractiveness.push(a);
        out.position.push(p);
        let r = level(a, &att_t);
        let c = level(p, &pos_t);
        out.row[i] = r;
        out.col[i] = c;
        let k = usize::from(r) * cols + usize::from(c);
        counts[k].0 += 1;
        counts[k].1 = counts[k].1.saturating_add(frame.revenue[i]);
    }
    out.cells = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| CellSummary {
            row: r,
            col: c,
            posture: posture(r, rows, c, cols),
            customers: counts[r * cols + c].0,
            revenue_cents: counts[r * cols + c].1,
        })
        .collect();
    // ABC along the measure, largest first.
    let (order, measure, pos, sums) = match cfg.abc_measure {
        AbcMeasure::Revenue => (
            &frame.by_revenue,
            &frame.revenue,
            &frame.pos_revenue,
            &frame.sum_revenue,
        ),
        AbcMeasure::Margin => (
            &frame.by_margin,
            &frame.margin,
            &frame.pos_margin,
            &frame.sum_margin,
        ),
    };
    let [cut_a, cut_b] = cfg.abc_cutoffs;
    if whole {
        // The running sums are known: each class is a range of positions.
        let n = order.len();
        let total = sums[n];
        out.total_measure = reported(total);
        let positive = order.partition_point(|i| measure[*i as usize] > 0);
        // The first position whose share before it reaches `cut`.
        let end = |cut: f64| {
            if total <= 0 {
                return 0;
            }
            sums[..positive].partition_point(|b| (*b as f64) * 100.0 / (total as f64) < cut)
        };
        let (ka, kb) = (end(cut_a), end(cut_b).max(end(cut_a)));
        for (i, p) in pos.iter().enumerate() {
            let p = *p as usize;
            out.abc[i] = if p < ka {
                0
            } else if p < kb {
                1
            } else {
                2
            };
        }
        out.classes[0] = ClassSummary {
            customers: ka as u64,
            measure_cents: reported(sums[ka]),
        };
        out.classes[1] = ClassSummary {
            customers: (kb - ka) as u64,
            measure_cents: reported(sums[kb] - sums[ka]),
        };
        out.classes[2] = ClassSummary {
            customers: (n - kb) as u64,
            measure_cents: reported(total - sums[kb]),
        };
        let step = (n / 200).max(1);
        out.curve.push((0.0, 0.0));
        for k in (step..=n).step_by(step).chain((n > 0).then_some(n)) {
            if out.curve.last().is_some_and(|c| c.0 >= k as f64 / n as f64) {
                continue;
            }
            let y = if total > 0 {
                sums[k] as f64 / total as f64
            } else {
                0.0
            };
            out.curve.push((k as f64 / n as f64, y));
        }
    } else {
        let inside: Vec<u32> = order
            .iter()
            .copied()
            .filter(|i| out.row[*i as usize] != u8::MAX)
            .collect();
        let total: i128 = inside
            .iter()
            .map(|i| i128::from(measure[*i as usize].max(0)))
            .sum();
        out.total_measure = reported(total);
        let mut before = 0i128;
        let mut class_totals = [0i128; 3];
        let step = (inside.len() / 200).max(1);
        out.curve.push((0.0, 0.0));
        for (k, i) in inside.iter().enumerate() {
            let i = *i as usize;
            let m = i128::from(measure[i].max(0));
            let share_before = if total > 0 {
                before as f64 * 100.0 / total as f64
            } else {
                100.0
            };
            let class = if m > 0 && share_before < cut_a {
                0
            } else if m > 0 && share_before < cut_b {
                1
            } else {
                2
            };
            out.abc[i] = class;
            out.classes[usize::from(class)].customers += 1;
            class_totals[usize::from(class)] += m;
            before += m;
            if (k + 1) % step == 0 || k + 1 == inside.len() {
                out.curve.push((
                    (k + 1) as f64 / inside.len() as f64,
                    if total > 0 {
                        before as f64 / total as f64
                    } else {
                        0.0
                    },
                ));
            }
        }
        for (c, t) in out.classes.iter_mut().zip(class_totals) {
            c.measure_cents = reported(t);
        }
    }
    // The tier of every (class, cell), looked up per customer.
    let table: Vec<u8> = Abc::ALL
        .iter()
        .flat_map(|abc| {
            (0..rows * cols).map(move |k| {
                let p = posture(k / cols, rows, k % cols, cols);
                if cfg.gold.matches(*abc, p) {
                    0
                } else if cfg.silver.matches(*abc, p) {
                    1
                } else {
                    2
                }
            })
        })
        .collect();
    for i in scope {
        let i = *i as usize;
        let k = usize::from(out.abc[i]) * rows * cols
            + usize::from(out.row[i]) * cols
            + usize::from(out.col[i]);
        let t = table[k];
        out.tier[i] = t;
        out.tiers[usize::from(t)] += 1;
    }
    out
}

/// Where a customer was and would be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub index: usize,
    pub id: i64,
    pub from_tier: Option<ServiceTier>,
    pub to_tier: ServiceTier,
    pub from_abc: Option<Abc>,
    pub to_abc: Abc,
    pub from_cell: Option<(usize, usize)>,
    pub to_cell: (usize, usize),
}

/// A customer's placement in a stored result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub abc: Abc,
    pub cell: (usize, usize),
    pub tier: ServiceTier,
}

/// The customers whose tier differs from today's, or whose class or cell
/// differs from `before` (the last applied result), largest revenue first:
/// the total and the first `limit`.
pub fn movers(
    frame: &Frame,
    out: &Outcome,
    before: Option<&dyn Fn(usize) -> Option<Placement>>,
    limit: usize,
) -> (u64, Vec<Move>) {
    let tier_code = |t: Option<ServiceTier>| t.map_or(u8::MAX, |t| t as u8);
    let moved = |i: usize| -> bool {
        match before.and_then(|f| f(i)) {
            Some(p) => {
                p.tier as u8 != out.tier[i] || p.abc as u8 != out.abc[i] || p.cell != out.cell_of(i)
            }
            None => tier_code(frame.tier[i]) != out.tier[i],
        }
    };
    // Counting walks the customers in memory order; listing walks them by
    // revenue and stops at `limit`.
    let total = out.scope.iter().filter(|i| moved(**i as usize)).count() as u64;
    let mut list = Vec::new();
    if limit > 0 {
        for i in &frame.by_revenue {
            let i = *i as usize;
            if !out.in_scope(i) || !moved(i) {
                continue;
            }
            let prev = before.and_then(|f| f(i));
            list.push(Move {
                index: i,
                id: frame.ids[i],
                from_tier: prev.map(|p| p.tier).or(frame.tier[i]),
                to_tier: out.tier_of(i),
                from_abc: prev.map(|p| p.abc),
                to_abc: out.abc_of(i),
                from_cell: prev.map(|p| p.cell),
                to_cell: out.cell_of(i),
            });
            if list.len() >= limit {
                break;
            }
        }
    }
    (total, list)
}

/// The Pareto curve as an SVG drawing, with the A and B cut-offs.
pub fn pareto_svg(
    curve: &[(f64, f64)],
    cutoffs: [f64; 2],
    title: &str,
    locale: crate::Locale,
) -> String {
    // Cut-offs may have decimals (82.5): one then, none for whole ones.
    let pct = |v: f64| {
        let n = crate::format_decimal(v, usize::from(v.fract() != 0.0), locale);
        match locale {
            crate::Locale::Fr => format!("{n}\u{a0}%"),
            crate::Locale::En => format!("{n}%"),
        }
    };
    let (w, h, m) = (320.0, 200.0, 28.0);
    let x = |v: f64| m + v * (w - 2.0 * m);
    let y = |v: f64| h - m - v * (h - 2.0 * m);
    let mut path = String::new();
    for (k, (a, b)) in curve.iter().enumerate() {
        path.push_str(&format!(
            "{}{:.1},{:.1} ",
            if k == 0 { "M" } else { "L" },
            x(*a),
            y(*b)
        ));
    }
    let esc = crate::format::escape_xml(title);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{esc}\" class=\"pareto\"><title>{esc}</title>"
    );
    s.push_str(&format!(
        "<rect x=\"{m}\" y=\"{m}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\" stroke-width=\"0.5\"/>",
        w - 2.0 * m,
        h - 2.0 * m
    ));
    for c in cutoffs {
        let yy = y(c / 100.0);
        s.push_str(&format!(
            "<line x1=\"{m}\" y1=\"{yy:.1}\" x2=\"{}\" y2=\"{yy:.1}\" stroke=\"#c60\" stroke-dasharray=\"3 3\" stroke-width=\"0.8\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"end\">{}</text>",
            w - m,
            m - 3.0,
            yy + 3.0,
            pct(c)
        ));
    }
    s.push_str(&format!(
        "<path d=\"{}\" fill=\"none\" stroke=\"#1d4e89\" stroke-width=\"1.8\"/>",
        path.trim_end()
    ));
    s.push_str(&format!(
        "<text x=\"{m}\" y=\"{}\" font-size=\"9\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"end\">{}</text></svg>",
        h - m + 12.0,
        pct(0.0),
        w - m,
        h - m + 12.0,
        pct(100.0)
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_region_scope_is_text_like_any_other() {
        assert_eq!(
            Scope::parse("region", Some(" Bretagne ")),
            Ok(Scope::Region("Bretagne".into()))
        );
        let e = Scope::parse("region", Some("Bre\u{0}tagne")).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("scope_value", "control-chars"));
        let e = Scope::parse("region", Some(&"x".repeat(101))).unwrap_err();
        assert_eq!(e.code, "too-long");
    }

    #[test]
    fn order_keys_follow_the_order_of_numbers() {
        let v = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            5e-324,
            0.1,
            1.0,
            7e12,
            f64::INFINITY,
        ];
        for w in v.windows(2) {
            assert!(
                order_key(w[0]) < order_key(w[1]),
                "{} before {}",
                w[0],
                w[1]
            );
        }
        let p = percentiles(&[3.0, -0.0, 0.0, f64::NAN, -7.0], &[0, 1, 2, 3, 4]);
        // -0 and 0 are the same number: they share the middle of ranks 1 and 2.
        assert_eq!(p[1], p[2]);
        assert_eq!((p[4], p[1], p[0]), (0.0, 0.5, 1.0));
        assert!(p[3].is_nan());
    }

    fn frame(rows: Vec<FrameRow>) -> Frame {
        let mut f = Frame::default();
        for r in rows {
            f.push(r);
        }
        f.prepare();
        f
    }

    fn row_strategy() -> impl Strategy<Value = FrameRow> {
        (
            0i64..5_000_000,
            -100_000i64..2_000_000,
            proptest::option::of(1i64..20_000_000),
            proptest::option::of(-0.5f64..1.5),
            proptest::option::of(0u8..4),
            proptest::option::of(0u8..4),
            proptest::option::of(prop_oneof![Just("Strategic"), Just("Retail")]),
            proptest::option::of(0u8..11),
        )
            .prop_map(|(rev, mar, wallet, g, th, po, seg, sat)| FrameRow {
                id: 0,
                revenue: rev,
                margin: mar.min(rev),
                wallet,
                growth: g,
                trend: g.map(|v| v / 2.0),
                threat: th,
                position: po,
                segment: seg.map(str::to_owned),
                satisfaction: sat,
                tier: None,
            })
    }

    fn rows_strategy() -> impl Strategy<Value = Vec<FrameRow>> {
        proptest::collection::vec(row_strategy(), 1..120).prop_map(|mut v| {
            for (i, r) in v.iter_mut().enumerate() {
                r.id = i as i64 + 1;
            }
            v
        })
    }

    fn config_strategy() -> impl Strategy<Value = Config> {
        (
            proptest::collection::vec(-100.0f64..100.0, 8),
            1.0f64..98.0,
            0.5f64..30.0,
            0.05f64..0.5,
            0.05f64..0.45,
            prop_oneof![Just(AbcMeasure::Revenue), Just(AbcMeasure::Margin)],
            prop_oneof![
                Just(Scale::Percentile),
                Just(Scale::Log),
                Just(Scale::Linear)
            ],
        )
            .prop_map(|(ws, a, gap, t1, gap2, measure, scale)| {
                let mut c = Config::default();
                for (k, w) in c.criteria.iter_mut().zip(ws) {
                    k.weight = w;
                    k.scale = scale;
                }
                c.abc_measure = measure;
                c.abc_cutoffs = [a, (a + gap).min(100.0)];
                c.attractiveness_thresholds = vec![t1, t1 + gap2];
                c.position_thresholds = vec![t1 / 2.0, t1 / 2.0 + gap2];
                c
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Every customer has exactly one class, classes follow the order of
        /// the measure, and each A (or B) customer starts below the cut-off.
        #[test]
        fn abc_classes_partition_and_respect_cutoffs(rows in rows_strategy(), cfg in config_strategy()) {
            let f = frame(rows);
            let out = segment(&f, &cfg, &f.all());
            let n = f.len() as u64;
            prop_assert_eq!(out.classes.iter().map(|c| c.customers).sum::<u64>(), n);
            let measure = match cfg.abc_measure { AbcMeasure::Revenue => &f.revenue, AbcMeasure::Margin => &f.margin };
            let total: i64 = measure.iter().map(|m| (*m).max(0)).sum();
            prop_assert_eq!(out.total_measure, total);
            let mut order: Vec<usize> = (0..f.len()).collect();
            order.sort_by(|a, b| measure[*b].cmp(&measure[*a]).then(f.ids[*a].cmp(&f.ids[*b])));
            let mut before = 0i64;
            let mut last = Abc::A;
            for i in order {
                let class = out.abc_of(i);
                prop_assert!(class >= last, "classes follow the measure");
                last = class;
                let share = if total > 0 { before as f64 * 100.0 / total as f64 } else { 100.0 };
                match class {
                    Abc::A => prop_assert!(share < cfg.abc_cutoffs[0] && measure[i] > 0),
                    Abc::B => prop_assert!(share >= cfg.abc_cutoffs[0] && share < cfg.abc_cutoffs[1]),
                    Abc::C => prop_assert!(share >= cfg.abc_cutoffs[1] || measure[i] <= 0),
                }
                before += measure[i].max(0);
            }
            let a_share = out.classes[0].measure_cents as f64 * 100.0 / total.max(1) as f64;
            // Class A holds at least the A cut-off, unless no customer has a positive measure.
            if total > 0 {
                prop_assert!(a_share + 1e-9 >= cfg.abc_cutoffs[0].min(100.0) || out.classes[0].customers == n);
            }
        }

        /// The tier of every customer is the one the rules give its class and posture.
        #[test]
        fn tiers_follow_the_rules(rows in rows_strategy(), cfg in config_strategy()) {
            let f = frame(rows);
            let out = segment(&f, &cfg, &f.all());
            for i in 0..f.len() {
                let (abc, p) = (out.abc_of(i), out.posture_of(i));
                let expected = if cfg.gold.abc.contains(&abc) || cfg.gold.postures.contains(&p) {
                    ServiceTier::Gold
                } else if cfg.silver.abc.contains(&abc) || cfg.silver.postures.contains(&p) {
                    ServiceTier::Silver
                } else {
                    ServiceTier::Bronze
                };
                prop_assert_eq!(out.tier_of(i), expected);
            }
            prop_assert_eq!(out.tiers.iter().sum::<u64>(), f.len() as u64);
            prop_assert_eq!(out.cells.iter().map(|c| c.customers).sum::<u64>(), f.len() as u64);
        }

        /// With every criterion weighted at random, raising one customer's
        /// growth, trend, threat, position or satisfaction (when its weight
        /// is positive) never lowers that customer's score on the axis.
        #[test]
        fn scores_never_fall_when_a_positive_criterion_rises(
            rows in rows_strategy(), cfg in config_strategy(), who in any::<prop::sample::Index>(), which in 0usize..5
        ) {
            let i = who.index(rows.len());
            let crit = [Criterion::Growth, Criterion::Trend, Criterion::Threat,
                        Criterion::CompetitivePosition, Criterion::Satisfaction][which];
            let mut cfg = cfg;
            cfg.criteria.retain(|c| c.criterion != crit);
            cfg.criteria.push(Weighted { criterion: crit, axis: Axis::Position, weight: 35.0, scale: Scale::Percentile });
            let mut raised = rows.clone();
            let r = &mut raised[i];
            match crit {
                Criterion::Growth => r.growth = r.growth.map(|v| v + 0.2),
                Criterion::Trend => r.trend = r.trend.map(|v| v + 0.2),
                Criterion::Threat => r.threat = r.threat.map(|v| (v + 1).min(3)),
                Criterion::CompetitivePosition => r.position = r.position.map(|v| (v + 1).min(3)),
                _ => r.satisfaction = r.satisfaction.map(|v| (v + 1).min(10)),
            }
            let f0 = frame(rows);
            let f1 = frame(raised);
            let before = segment(&f0, &cfg, &f0.all()).position[i];
            let after = segment(&f1, &cfg, &f1.all()).position[i];
            prop_assert!(after + 1e-5 >= before, "{}: {} -> {}", crit, before, after);
        }

        /// Raising any single criterion with a positive weight (and only that
        /// one weighted) never lowers the customer's score on its axis.
        #[test]
        fn each_positive_criterion_is_monotone(
            rows in rows_strategy(), who in any::<prop::sample::Index>(), which in 0usize..6, w in 1.0f64..100.0,
            scale in prop_oneof![Just(Scale::Percentile), Just(Scale::Log), Just(Scale::Linear)]
        ) {
            let i = who.index(rows.len());
            let crit = [Criterion::Revenue, Criterion::Wallet, Criterion::Growth, Criterion::Threat,
                        Criterion::CompetitivePosition, Criterion::Satisfaction][which];
            let mut cfg = Config::default();
            for c in cfg.criteria.iter_mut() { c.weight = 0.0; }
            cfg.criteria.push(Weighted { criterion: crit, axis: Axis::Position, weight: w, scale });
            cfg.criteria.push(Weighted { criterion: Criterion::Revenue, axis: Axis::Attractiveness, weight: 1.0, scale });
            let mut raised = rows.clone();
            let r = &mut raised[i];
            match crit {
                Criterion::Revenue => r.revenue += 1_000,
                Criterion::Wallet => r.wallet = Some(r.wallet.unwrap_or(0) + 1_000),
                Criterion::Growth => r.growth = Some(r.growth.unwrap_or(0.0) + 0.1),
                Criterion::Threat => r.threat = Some(r.threat.map_or(3, |v| (v + 1).min(3))),
                Criterion::CompetitivePosition => r.position = Some(r.position.map_or(3, |v| (v + 1).min(3))),
                _ => r.satisfaction = Some(r.satisfaction.map_or(10, |v| (v + 1).min(10))),
            }
            let f0 = frame(rows);
            let f1 = frame(raised);
            let before = segment(&f0, &cfg, &f0.all()).position[i];
            let after = segment(&f1, &cfg, &f1.all()).position[i];
            // An unknown value counts as 0.5; a known one may start lower.
            let was_unknown = match crit {
                Criterion::Wallet => f0.raw[crit_index(crit)][i].is_nan(),
                Criterion::Growth => f0.raw[crit_index(crit)][i].is_nan(),
                Criterion::Threat | Criterion::CompetitivePosition | Criterion::Satisfaction => f0.raw[crit_index(crit)][i].is_nan(),
                _ => false,
            };
            if !was_unknown {
                prop_assert!(after + 1e-6 >= before, "{} {}: {} -> {}", crit, scale, before, after);
            }
        }

        /// The same configuration on the same data gives the same result.
        #[test]
        fn segmentation_is_deterministic(rows in rows_strategy(), cfg in config_strategy()) {
            let f = frame(rows.clone());
            let mut shuffled = rows;
            shuffled.reverse();
            let g = frame(shuffled);
            prop_assert_eq!(segment(&f, &cfg, &f.all()), segment(&g, &cfg, &g.all()));
        }
    }

    #[test]
    fn default_config_is_valid_and_three_by_three() {
        let c = Config::default();
        assert!(c.check().is_ok());
        assert_eq!((c.rows(), c.cols()), (3, 3));
        assert_eq!(posture(2, 3, 2, 3), Posture::Develop);
        assert_eq!(posture(0, 3, 0, 3), Posture::Reduce);
        assert_eq!(posture(2, 3, 0, 3), Posture::Build);
    }

    #[test]
    fn bad_settings_name_the_field() {
        let mut c = Config {
            abc_cutoffs: [90.0, 80.0],
            position_thresholds: vec![0.7, 0.2],
            ..Config::default()
        };
        c.criteria[0].weight = 300.0;
        // A weight too small to count (it would divide the scores by zero).
        c.criteria[1].weight = 1e-40;
        let e = c.check().err().map(|e| e.0).unwrap_or_default();
        let fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.contains(&"abc_cutoffs"), "{fields:?}");
        assert!(fields.contains(&"criteria[0].weight"), "{fields:?}");
        assert!(fields.contains(&"criteria[1].weight"), "{fields:?}");
        assert!(fields.contains(&"position_thresholds"), "{fields:?}");
    }

    /// Totals past what 64 bits hold still give the right shares: three
    /// equal giants make 33% and 67% before them, so all three are A.
    #[test]
    fn shares_stay_right_past_64_bits() {
        let big = 4_000_000_000_000_000_000i64;
        let rows = [(1, big), (2, big), (3, big), (4, 1), (5, 7)]
            .map(|(id, revenue)| FrameRow {
                id,
                revenue,
                ..FrameRow::default()
            })
            .to_vec();
        let f = frame(rows);
        let without_last: Vec<u32> = f
            .all()
            .into_iter()
            .filter(|i| f.ids[*i as usize] != 5)
            .collect();
        for scope in [f.all(), without_last] {
            let out = segment(&f, &Config::default(), &scope);
            assert_eq!(out.classes[0].customers, 3, "{:?}", out.classes);
            assert_eq!(out.classes[0].measure_cents, i64::MAX, "reported at most");
            assert_eq!(out.total_measure, i64::MAX);
            assert!(out.classes[2].measure_cents < 10, "{:?}", out.classes);
        }
    }

    #[test]
    fn an_empty_portfolio_segments_to_nothing() {
        let f = frame(Vec::new());
        let out = segment(&f, &Config::default(), &f.all());
        assert_eq!(out.classes.iter().map(|c| c.customers).sum::<u64>(), 0);
        assert_eq!(out.curve, vec![(0.0, 0.0)]);
        assert!(
            out.curve
                .iter()
                .all(|(x, y)| x.is_finite() && y.is_finite())
        );
        let some = frame(vec![FrameRow {
            id: 1,
            revenue: 5,
            ..FrameRow::default()
        }]);
        let none = segment(&some, &Config::default(), &[]);
        assert_eq!(none.tiers, [0, 0, 0]);
        assert_eq!(movers(&some, &none, None, 10).0, 0);
    }

    #[test]
    fn a_scope_segments_only_its_customers() {
        let f = frame(
            (1..=10)
                .map(|i| FrameRow {
                    id: i,
                    revenue: i * 1000,
                    ..FrameRow::default()
                })
                .collect(),
        );
        let out = segment(&f, &Config::default(), &[0, 2, 4]);
        assert_eq!(out.classes.iter().map(|c| c.customers).sum::<u64>(), 3);
        assert!(!out.in_scope(1));
        assert_eq!(out.total_measure, 1000 + 3000 + 5000);
        let svg = pareto_svg(
            &out.curve,
            [80.0, 95.0],
            "Pareto <curve>",
            crate::Locale::En,
        );
        assert!(svg.starts_with("<svg") && svg.contains("&lt;curve&gt;"));
        assert!(svg.contains(">80%<"), "{svg}");
        let svg = pareto_svg(&out.curve, [82.5, 95.0], "Pareto", crate::Locale::Fr);
        assert!(
            svg.contains(">82,5\u{a0}%<") && svg.contains(">100\u{a0}%<"),
            "{svg}"
        );
    }
}
