//! The portfolio held in memory as columns, for segmentation what-ifs that
//! answer at once even with a million customers. It is loaded from the
//! database on first use and again whenever the figures' generation moves
//! (after an import, an edit or an applied segmentation), on any instance.

use clef_domain::ServiceTier;
use clef_domain::segmentation::{
    Abc, Config, Frame, Move, Outcome, Placement, Scope, movers, segment,
};
use clef_store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// The portfolio at one generation of the figures.
pub struct Portfolio {
    pub generation: i64,
    pub frame: Frame,
    pub names: Vec<String>,
    country: Vec<[u8; 2]>,
    region: Vec<u32>,
    regions: Vec<String>,
    business_unit: Vec<i64>,
    owner: Vec<i64>,
}

impl Portfolio {
    /// The frame indexes of the customers in `scope`, ascending.
    pub fn scope(&self, scope: &Scope) -> Vec<u32> {
        let n = self.frame.len() as u32;
        match scope {
            Scope::Company => (0..n).collect(),
            Scope::Country(c) => {
                let b = c.as_bytes();
                (0..n)
                    .filter(|i| self.country[*i as usize] == [b[0], b.get(1).copied().unwrap_or(0)])
                    .collect()
            }
            Scope::Region(r) => {
                let key = r.to_lowercase();
                match self.regions.iter().position(|x| x.to_lowercase() == key) {
                    Some(k) => (0..n)
                        .filter(|i| self.region[*i as usize] == k as u32)
                        .collect(),
                    None => Vec::new(),
                }
            }
            Scope::BusinessUnit(b) => (0..n)
                .filter(|i| self.business_unit[*i as usize] == *b)
                .collect(),
            Scope::Owner(o) => (0..n).filter(|i| self.owner[*i as usize] == *o).collect(),
        }
    }
}

/// The last applied result of a segmentation, by frame index.
pub struct Baseline {
    pub snapshot_id: i64,
    pub generation: i64,
    pub placements: Vec<Option<Placement>>,
}

#[derive(Default)]
pub struct Engine {
    current: RwLock<Option<Arc<Portfolio>>>,
    loading: tokio::sync::Mutex<()>,
    baselines: RwLock<HashMap<i64, Arc<Baseline>>>,
    /// The segmentations being applied on this instance, by id.
    applying: std::sync::Mutex<HashMap<i64, Arc<ApplyJob>>>,
}

/// A segmentation being applied: how far it is, and once it ends, the
/// snapshot it stored or what went wrong.
#[derive(Default)]
pub struct ApplyJob {
    pub progress: clef_store::Progress,
    outcome: std::sync::Mutex<Option<Result<i64, String>>>,
}

impl ApplyJob {
    pub fn finish(&self, outcome: Result<i64, String>) {
        *lock(&self.outcome) = Some(outcome);
    }

    /// The snapshot id or the error, once the work has ended.
    pub fn outcome(&self) -> Option<Result<i64, String>> {
        lock(&self.outcome).clone()
    }
}

/// Ends a job as failed when dropped before it ended: the request that
/// prepared it went away, or its task stopped on a panic. Without it the
/// segmentation would look applied-to forever.
pub struct Unfinished(pub Arc<ApplyJob>);

impl Drop for Unfinished {
    fn drop(&mut self) {
        if self.0.outcome().is_none() {
            self.0.finish(Err(
                "the work stopped before its end; look at the snapshots before applying again"
                    .into(),
            ));
        }
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn read<T: Clone>(l: &RwLock<T>) -> T {
    match l.read() {
        Ok(g) => g.clone(),
        Err(p) => p.into_inner().clone(),
    }
}

impl Engine {
    fn cached(&self, generation: i64) -> Option<Arc<Portfolio>> {
        read(&self.current).filter(|p| p.generation == generation)
    }

    /// The portfolio at the database's current generation.
    pub async fn portfolio(&self, store: &Store) -> Result<Arc<Portfolio>, StoreError> {
        let generation = store.figures_state().await?.generation;
        if let Some(p) = self.cached(generation) {
            return Ok(p);
        }
        let _one_loader = self.loading.lock().await;
        if let Some(p) = self.cached(generation) {
            return Ok(p);
        }
        let t0 = std::time::Instant::now();
        let rows = store.portfolio_rows().await?;
        let p = tokio::task::spawn_blocking(move || build(generation, rows))
            .await
            .map_err(|e| StoreError::Config(format!("loading the portfolio failed: {e}")))?;
        tracing::info!(
            customers = p.frame.len(),
            ms = t0.elapsed().as_millis() as u64,
            "portfolio loaded for segmentation"
        );
        let p = Arc::new(p);
        match self.current.write() {
            Ok(mut g) => *g = Some(Arc::clone(&p)),
            Err(e) => *e.into_inner() = Some(Arc::clone(&p)),
        }
        Ok(p)
    }

    /// Registers the apply of segmentation `id`; none when one is still running.
    pub fn begin_apply(&self, id: i64) -> Option<Arc<ApplyJob>> {
        let mut g = lock(&self.applying);
        if g.get(&id).is_some_and(|j| j.outcome().is_none()) {
            return None;
        }
        let job = Arc::new(ApplyJob::default());
        g.insert(id, Arc::clone(&job));
        Some(job)
    }

    /// The apply of segmentation `id` running or ended on this instance.
    pub fn apply_job(&self, id: i64) -> Option<Arc<ApplyJob>> {
        lock(&self.applying).get(&id).cloned()
    }

    /// Forgets an ended apply once its outcome has been shown.
    pub fn forget_apply(&self, id: i64) {
        let mut g = lock(&self.applying);
        if g.get(&id).is_some_and(|j| j.outcome().is_some()) {
            g.remove(&id);
        }
    }

    /// The placements of a snapshot, by frame index of `p`.
    pub async fn baseline(
        &self,
        store: &Store,
        p: &Portfolio,
        snapshot_id: i64,
    ) -> Result<Arc<Baseline>, StoreError> {
        if let Some(b) = read(&self.baselines).get(&snapshot_id)
            && b.generation == p.generation
        {
            return Ok(Arc::clone(b));
        }
        let placed = store.placements(snapshot_id).await?;
        let mut placements = vec![None; p.frame.len()];
        for (id, pl) in placed {
            if let Some(i) = p.frame.index_of(id) {
                placements[i] = Some(Placement {
                    abc: Abc::from_str_opt(&pl.abc).unwrap_or(Abc::C),
                    cell: (pl.row.max(0) as usize, pl.col.max(0) as usize),
                    tier: ServiceTier::from_str_opt(&pl.tier).unwrap_or(ServiceTier::Bronze),
                });
            }
        }
        let b = Arc::new(Baseline {
            snapshot_id,
            generation: p.generation,
            placements,
        });
        let mut g = match self.baselines.write() {
            Ok(g) => g,
            Err(e) => e.into_inner(),
        };
        if g.len() > 8 {
            g.clear();
        }
        g.insert(snapshot_id, Arc::clone(&b));
        Ok(b)
    }
}

fn build(generation: i64, rows: Vec<clef_store::PortfolioRow>) -> Portfolio {
    let mut frame = Frame::default();
    let n = rows.len();
    let mut names = Vec::with_capacity(n);
    let mut country = Vec::with_capacity(n);
    let mut region = Vec::with_capacity(n);
    let mut business_unit = Vec::with_capacity(n);
    let mut owner = Vec::with_capacity(n);
    let mut regions: Vec<String> = Vec::new();
    let mut region_ids: HashMap<String, u32> = HashMap::new();
    for r in rows {
        let b = r.country.as_bytes();
        country.push([
            b.first().copied().unwrap_or(0),
            b.get(1).copied().unwrap_or(0),
        ]);
        region.push(match r.region {
            None => u32::MAX,
            Some(x) => match region_ids.get(&x) {
                Some(k) => *k,
                None => {
                    let k = regions.len() as u32;
                    region_ids.insert(x.clone(), k);
                    regions.push(x);
                    k
                }
            },
        });
        business_unit.push(r.business_unit_id.unwrap_or(0));
        owner.push(r.owner_id.unwrap_or(0));
        names.push(r.name);
        frame.push(r.row);
    }
    frame.prepare();
    Portfolio {
        generation,
        frame,
        names,
        country,
        region,
        regions,
        business_unit,
        owner,
    }
}

/// A what-if: the result of a configuration, and who would move.
pub struct WhatIf {
    pub outcome: Outcome,
    pub moved: u64,
    pub movers: Vec<Move>,
}

/// Runs a segmentation on the portfolio (blocking work: call it off the
/// async threads).
pub fn run(
    p: &Portfolio,
    cfg: &Config,
    scope: &[u32],
    baseline: Option<&Baseline>,
    limit: usize,
) -> WhatIf {
    let outcome = segment(&p.frame, cfg, scope);
    let before = baseline.map(|b| move |i: usize| b.placements.get(i).copied().flatten());
    let (moved, list) = match &before {
        Some(f) => movers(
            &p.frame,
            &outcome,
            Some(f as &dyn Fn(usize) -> Option<Placement>),
            limit,
        ),
        None => movers(&p.frame, &outcome, None, limit),
    };
    WhatIf {
        outcome,
        moved,
        movers: list,
    }
}
