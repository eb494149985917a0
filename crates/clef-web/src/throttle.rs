//! Slows password guessing: after `MAX_FAILURES` failed sign-ins for one
//! e-mail address from one network address within `WINDOW`, that pair
//! cannot sign in until the window has passed. Others may still sign in
//! with that e-mail from elsewhere, so that a stranger cannot lock a person
//! out with a few wrong passwords; past `MAX_FAILURES_ANYWHERE` failures
//! from everywhere together, the e-mail waits for everyone. Kept in memory,
//! per Clef instance.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

pub const MAX_FAILURES: u32 = 5;
pub const MAX_FAILURES_ANYWHERE: u32 = 100;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failures per key: how many, since when.
type Failures<K> = Mutex<HashMap<K, (u32, Instant)>>;

#[derive(Default)]
pub struct SignInThrottle {
    /// Failures per e-mail and network address (none when unknown), and
    /// per e-mail from everywhere: how many, since when.
    failures: Failures<(String, Option<IpAddr>)>,
    anywhere: Failures<String>,
}

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Where failures are counted from: an IPv4 address, or an IPv6 address's
/// network (its first 64 bits: one host may use any address in it).
fn place(from: Option<IpAddr>) -> Option<IpAddr> {
    from.map(|ip| match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
        v4 => v4,
    })
}

/// Why a sign-in waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// Too many failures for the e-mail from this place.
    Here,
    /// Too many failures for the e-mail from everywhere together.
    Everywhere,
}

fn over<K: Eq + std::hash::Hash>(map: &Failures<K>, k: &K, max: u32) -> bool {
    map.lock().is_ok_and(|m| {
        m.get(k)
            .is_some_and(|(n, since)| *n >= max && since.elapsed() < WINDOW)
    })
}

fn count<K: Eq + std::hash::Hash>(map: &Failures<K>, k: K) {
    let Ok(mut map) = map.lock() else {
        return;
    };
    if map.len() > 100_000 {
        map.retain(|_, (_, since)| since.elapsed() < WINDOW);
    }
    let e = map.entry(k).or_insert((0, Instant::now()));
    if e.1.elapsed() >= WINDOW {
        *e = (0, Instant::now());
    }
    e.0 += 1;
}

impl SignInThrottle {
    /// Whether this address has failed too often recently from `from`, or
    /// from everywhere together.
    pub fn blocked(&self, email: &str, from: Option<IpAddr>) -> Option<Blocked> {
        let email = key(email);
        if over(&self.failures, &(email.clone(), place(from)), MAX_FAILURES) {
            Some(Blocked::Here)
        } else if over(&self.anywhere, &email, MAX_FAILURES_ANYWHERE) {
            Some(Blocked::Everywhere)
        } else {
            None
        }
    }

    pub fn failed(&self, email: &str, from: Option<IpAddr>) {
        let email = key(email);
        count(&self.anywhere, email.clone());
        count(&self.failures, (email, place(from)));
    }

    /// Clears the failures from that place; those from everywhere end
    /// with their window.
    pub fn succeeded(&self, email: &str, from: Option<IpAddr>) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&(key(email), place(from)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_the_address_from_there_only() {
        let t = SignInThrottle::default();
        let (here, there) = (
            Some(IpAddr::from([192, 0, 2, 1])),
            Some(IpAddr::from([198, 51, 100, 7])),
        );
        for _ in 0..MAX_FAILURES - 1 {
            t.failed("A@example.com", here);
        }
        assert_eq!(t.blocked("a@example.com", here), None);
        t.failed("a@example.com ", here);
        assert_eq!(t.blocked("a@example.com", here), Some(Blocked::Here));
        assert_eq!(t.blocked("b@example.com", here), None);
        assert_eq!(t.blocked("a@example.com", there), None);
    }

    #[test]
    fn an_ipv6_network_counts_as_one_place() {
        let t = SignInThrottle::default();
        let host = |k: u16| Some(IpAddr::from([0x2001, 0xdb8, 0, 1, 0, 0, 0, k]));
        for k in 0..MAX_FAILURES {
            t.failed("a@example.com", host(k as u16));
        }
        assert_eq!(t.blocked("a@example.com", host(999)), Some(Blocked::Here));
        let other = Some(IpAddr::from([0x2001, 0xdb8, 0, 2, 0, 0, 0, 1]));
        assert_eq!(t.blocked("a@example.com", other), None);
    }

    #[test]
    fn failures_from_everywhere_block_the_address_for_everyone() {
        let t = SignInThrottle::default();
        for k in 0..MAX_FAILURES_ANYWHERE {
            t.failed(
                "a@example.com",
                Some(IpAddr::from([10, 0, (k / 256) as u8, k as u8])),
            );
        }
        assert_eq!(
            t.blocked("a@example.com", Some(IpAddr::from([192, 0, 2, 1]))),
            Some(Blocked::Everywhere)
        );
        assert_eq!(t.blocked("b@example.com", None), None);
    }
}
