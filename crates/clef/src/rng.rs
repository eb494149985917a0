//! A tiny deterministic pseudo-random generator (SplitMix64) for demo data.
//! Not for secrets: the same seed always gives the same sequence.

/// SplitMix64 (Steele, Lea and Flood): 64 bits of state, fast, good enough
/// statistically for generating plausible data.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The SplitMix64 output function: a strong 64-bit mixer.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// An independent generator for item `index` of `stream`: lets any part
    /// of the data be regenerated alone, whatever the batch boundaries.
    pub fn for_item(seed: u64, stream: u64, index: u64) -> Self {
        let s = mix64(seed ^ mix64(stream.wrapping_add(1).wrapping_mul(GAMMA)));
        Self::new(mix64(s ^ mix64(index.wrapping_add(0x51_7cc1_b727_220a))))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix64(self.state)
    }

    /// A float in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A float in [lo, hi).
    pub fn range_f64(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// An integer in [0, n); 0 when n is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An integer in [lo, hi] (inclusive).
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo).saturating_add(1))
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// One element of a non-empty slice (the first when the slice is empty is
    /// impossible: callers pass constant, non-empty lists).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len() as u64) as usize;
        &items[i.min(items.len().saturating_sub(1))]
    }

    /// An index chosen with the given relative weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// A Pareto-distributed value ≥ 1 with shape `alpha`, capped at `cap`.
    /// With alpha ≈ 1.16, 20% of the draws hold about 80% of the total.
    pub fn pareto(&mut self, alpha: f64, cap: f64) -> f64 {
        let u = 1.0 - self.f64(); // (0, 1]
        u.powf(-1.0 / alpha).min(cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let a: Vec<u64> = {
            let mut r = Rng::new(42);
            (0..100).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(42);
            (0..100).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        let mut c = Rng::new(43);
        assert_ne!(a[0], c.next_u64());
    }

    #[test]
    fn splitmix64_matches_the_reference_outputs() {
        // Reference values of SplitMix64 seeded with 1234567.
        let mut r = Rng::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn item_generators_are_stable_and_distinct() {
        let x = Rng::for_item(42, 1, 7).next_u64();
        assert_eq!(x, Rng::for_item(42, 1, 7).next_u64());
        assert_ne!(x, Rng::for_item(42, 1, 8).next_u64());
        assert_ne!(x, Rng::for_item(42, 2, 7).next_u64());
        assert_ne!(x, Rng::for_item(43, 1, 7).next_u64());
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = Rng::new(7);
        for _ in 0..10_000 {
            let f = r.f64();
            assert!((0.0..1.0).contains(&f));
            assert!(r.below(10) < 10);
            let b = r.between(3, 5);
            assert!((3..=5).contains(&b));
            let p = r.pareto(1.16, 1000.0);
            assert!((1.0..=1000.0).contains(&p));
        }
        assert_eq!(r.below(0), 0);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[r.weighted(&[1, 2, 7])] += 1;
        }
        assert!(counts[0] > 2_400 && counts[0] < 3_600, "{counts:?}");
        assert!(counts[2] > 20_000 && counts[2] < 22_000, "{counts:?}");
    }
}
