//! Slows password guessing: after `MAX_FAILURES` failed sign-ins for one
//! e-mail address within `WINDOW`, that address cannot sign in until the
//! window has passed. Kept in memory, per Clef instance.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl SignInThrottle {
    /// Whether this address has failed too often recently.
    pub fn is_blocked(&self, email: &str) -> bool {
        let Ok(map) = self.failures.lock() else {
            return false;
        };
        map.get(&key(email))
            .is_some_and(|(n, since)| *n >= MAX_FAILURES && since.elapsed() < WINDOW)
    }

    pub fn failed(&self, email: &str) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        let e = map.entry(key(email)).or_insert((0, Instant::now()));
        if e.1.elapsed() >= WINDOW {
            *e = (0, Instant::now());
        }
        e.0 += 1;
    }

    pub fn succeeded(&self, email: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&key(email));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_the_address_and_only_that_one() {
        let t = SignInThrottle::default();
        for _ in 0..MAX_FAILURES - 1 {
            t.failed("A@example.com");
        }
        assert!(!t.is_blocked("a@example.com"));
        t.failed("a@example.com ");
        assert!(t.is_blocked("a@example.com"));
        assert!(!t.is_blocked("b@example.com"));
    }
}
