//! Slows password guessing: after `MAX_FAILURES` failed sign-ins for one
//! e-mail address from one network address within `WINDOW`, that pair
//! cannot sign in until the window has passed. Others may still sign in
//! with that e-mail from elsewhere, so that a stranger cannot lock a person
//! out with a few wrong passwords; past `MAX_FAILURES_ANYWHERE` failures
//! from everywhere together, the e-mail waits for everyone. The failures
//! are kept in the database: every instance sharing it counts them all.

use clef_store::{Store, StoreError};
use std::net::IpAddr;

pub const MAX_FAILURES: i64 = 5;
pub const MAX_FAILURES_ANYWHERE: i64 = 100;
/// How long failures count, in seconds.
pub const WINDOW_S: i64 = 15 * 60;

/// No account has a longer e-mail address: failures for such a text are
/// not kept (its sign-in fails all the same).
const LONGEST_EMAIL: usize = 320;

/// The e-mail as failures are counted for it; none for a text that is no
/// account's address (too long, or with control characters, which
/// PostgreSQL's text does not even hold).
fn key(email: &str) -> Option<String> {
    let k = email.trim().to_lowercase();
    (k.len() <= LONGEST_EMAIL && !k.chars().any(char::is_control)).then_some(k)
}

/// Where failures are counted from: an IPv4 address, or an IPv6 address's
/// network (its first 64 bits: one host may use any address in it). Empty
/// when unknown.
fn place(from: Option<IpAddr>) -> String {
    from.map(|ip| match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
        v4 => v4,
    })
    .map(|ip| ip.to_string())
    .unwrap_or_default()
}

/// Why a sign-in waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// Too many failures for the e-mail from this place.
    Here,
    /// Too many failures for the e-mail from everywhere together.
    Everywhere,
}

/// The rule, from the failures counted in the window.
fn verdict(here: i64, anywhere: i64) -> Option<Blocked> {
    if here >= MAX_FAILURES {
        Some(Blocked::Here)
    } else if anywhere >= MAX_FAILURES_ANYWHERE {
        Some(Blocked::Everywhere)
    } else {
        None
    }
}

/// Starts a sign-in for `email` from `from`: whether it must wait, or else
/// counted as a failure until it succeeds ([`succeeded`] clears it). It is
/// counted before the password is checked, then counted again, so that
/// guesses sent at the same moment cannot all pass under the limit.
pub async fn attempt(
    store: &Store,
    email: &str,
    from: Option<IpAddr>,
) -> Result<Option<Blocked>, StoreError> {
    let Some(email) = key(email) else {
        return Ok(None);
    };
    let place = place(from);
    let since = clef_store::now() - WINDOW_S;
    let (here, anywhere) = store.sign_in_failures(&email, &place, since).await?;
    if let Some(b) = verdict(here, anywhere) {
        // Refused without being counted: waiting out the window ends it.
        return Ok(Some(b));
    }
    store
        .record_sign_in_failure(&email, &place, WINDOW_S)
        .await?;
    let (here, anywhere) = store.sign_in_failures(&email, &place, since).await?;
    // The others, this attempt aside.
    Ok(verdict(here - 1, anywhere - 1))
}

/// Clears the failures from that place; those from everywhere end with
/// their window.
pub async fn succeeded(store: &Store, email: &str, from: Option<IpAddr>) -> Result<(), StoreError> {
    match key(email) {
        Some(email) => store.clear_sign_in_failures(&email, &place(from)).await,
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_from_a_place_blocks_there_and_the_hundredth_everywhere() {
        assert_eq!(verdict(MAX_FAILURES - 1, MAX_FAILURES - 1), None);
        assert_eq!(verdict(MAX_FAILURES, MAX_FAILURES), Some(Blocked::Here));
        assert_eq!(verdict(1, MAX_FAILURES_ANYWHERE - 1), None);
        assert_eq!(verdict(0, MAX_FAILURES_ANYWHERE), Some(Blocked::Everywhere));
    }

    #[test]
    fn an_ipv6_network_counts_as_one_place() {
        let host = |k: u16| Some(IpAddr::from([0x2001, 0xdb8, 0, 1, 0, 0, 0, k]));
        assert_eq!(place(host(1)), place(host(999)));
        assert_eq!(place(host(1)), "2001:db8:0:1::");
        let other = Some(IpAddr::from([0x2001, 0xdb8, 0, 2, 0, 0, 0, 1]));
        assert_ne!(place(host(1)), place(other));
        let mapped = Some(IpAddr::from(
            std::net::Ipv4Addr::new(192, 0, 2, 1).to_ipv6_mapped(),
        ));
        assert_eq!(place(mapped), "192.0.2.1");
        assert_eq!(place(None), "");
    }

    #[test]
    fn addresses_are_counted_whatever_their_case_and_spaces() {
        assert_eq!(key(" A@Example.com "), key("a@example.com"));
        assert_eq!(key(&"a".repeat(LONGEST_EMAIL + 1)), None);
        assert_eq!(key("a\0@b.example"), None);
    }
}
