//! Where a request comes from. Behind a reverse proxy, every connection
//! comes from the proxy; when its address is among the trusted proxies
//! (`--trusted-proxies`), the client is the last address the proxies wrote
//! in `X-Forwarded-For` that is not one of them. A client cannot pass for
//! another by writing that header itself: addresses it wrote come before
//! those the trusted proxies add, and only the trusted ones are skipped.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// A network: an address and how many of its leading bits count
/// (`10.0.0.0/8`, `2001:db8::/32`; a lone address is all its bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    bits: u8,
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        fn masked(v: u128, bits: u8, width: u8) -> u128 {
            let shift = u32::from(width - bits);
            if shift >= 128 { 0 } else { v >> shift }
        }
        match (self.addr, unmapped(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                masked(u32::from(n).into(), self.bits, 32)
                    == masked(u32::from(a).into(), self.bits, 32)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                masked(n.into(), self.bits, 128) == masked(a.into(), self.bits, 128)
            }
            _ => false,
        }
    }
}

fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl std::str::FromStr for Network {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, bits) = s.split_once('/').unwrap_or((s, ""));
        let addr: IpAddr = addr.parse().map_err(|_| {
            format!("`{s}` is not an IP address or a network such as 10.0.0.0/8 or 2001:db8::/32")
        })?;
        // As written: an IPv4 address mapped into IPv6 (::ffff:10.0.0.0/104)
        // counts its prefix over 128 bits.
        let width = if addr.is_ipv4() { 32 } else { 128 };
        let bits = if bits.is_empty() {
            width
        } else {
            match bits.parse::<u8>() {
                Ok(b) if b <= width => b,
                _ => {
                    return Err(format!(
                        "`{s}`: the prefix length after / must be a number from 0 to {width}"
                    ));
                }
            }
        };
        let mapped = unmapped(addr);
        if mapped.is_ipv4() && addr.is_ipv6() {
            return match bits.checked_sub(96) {
                Some(bits) => Ok(Network { addr: mapped, bits }),
                None => Err(format!(
                    "`{s}`: an IPv4 address written as IPv6 takes a prefix length from 96 to 128"
                )),
            };
        }
        Ok(Network { addr, bits })
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.bits)
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port
/// (`203.0.113.5:4711`, `[2001:db8::1]:443`).
fn entry(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
}

/// The client's address: the connection's peer, or, when the peer is a
/// trusted proxy, the address the proxies name in `X-Forwarded-For`.
pub fn address(trusted: &[Network], peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let mut client = peer;
    for e in entries.iter().rev() {
        match entry(e) {
            Some(ip) => {
                client = ip;
                if !is_trusted(ip) {
                    break;
                }
            }
            // What a proxy could not have written: take the last address
            // a trusted proxy gave.
            None => break,
        }
    }
    Some(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(s: &[&str]) -> Vec<Network> {
        s.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn forwarded(v: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for x in v {
            h.append("x-forwarded-for", x.parse().unwrap());
        }
        h
    }

    #[test]
    fn networks_read_as_written() {
        let n: Network = "10.0.0.0/8".parse().unwrap();
        assert!(n.contains("10.200.1.2".parse().unwrap()));
        assert!(!n.contains("11.0.0.1".parse().unwrap()));
        assert!(n.contains("::ffff:10.1.1.1".parse().unwrap()));
        let one: Network = "127.0.0.1".parse().unwrap();
        assert!(one.contains("127.0.0.1".parse().unwrap()));
        assert!(!one.contains("127.0.0.2".parse().unwrap()));
        let v6: Network = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8:ffff::1".parse().unwrap()));
        assert!(!v6.contains("2001:db9::1".parse().unwrap()));
        let all: Network = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("192.0.2.1".parse().unwrap()));
        assert!(
            "10.0.0.0/33"
                .parse::<Network>()
                .unwrap_err()
                .contains("0 to 32")
        );
        assert!(
            "proxy.example"
                .parse::<Network>()
                .unwrap_err()
                .contains("not an IP")
        );
        let mapped: Network = "::ffff:10.0.0.0/104".parse().unwrap();
        assert_eq!(mapped, "10.0.0.0/8".parse().unwrap());
        assert!(
            "::ffff:10.0.0.0/64"
                .parse::<Network>()
                .unwrap_err()
                .contains("96 to 128")
        );
    }

    #[test]
    fn the_client_is_the_last_address_before_the_trusted_proxies() {
        let peer = Some("10.0.0.2".parse().unwrap());
        let trusted = nets(&["10.0.0.0/8"]);
        // A direct connection: the header is the client's own words.
        assert_eq!(address(&[], peer, &forwarded(&["203.0.113.9"])), peer);
        assert_eq!(
            address(&trusted, peer, &forwarded(&["203.0.113.9"])),
            Some("203.0.113.9".parse().unwrap())
        );
        // A client that writes the header itself only adds to its left.
        assert_eq!(
            address(
                &trusted,
                peer,
                &forwarded(&["198.51.100.1, 203.0.113.9", "10.0.0.7"])
            ),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(
            address(&trusted, peer, &forwarded(&["[2001:db8::5]:443"])),
            Some("2001:db8::5".parse().unwrap())
        );
        // No header, or only proxies: the nearest address known.
        assert_eq!(address(&trusted, peer, &HeaderMap::new()), peer);
        assert_eq!(
            address(&trusted, peer, &forwarded(&["10.1.1.1"])),
            Some("10.1.1.1".parse().unwrap())
        );
        assert_eq!(
            address(&trusted, peer, &forwarded(&["nonsense, 203.0.113.9"])),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(
            address(&trusted, peer, &forwarded(&["203.0.113.9, nonsense"])),
            peer
        );
        assert_eq!(address(&trusted, None, &HeaderMap::new()), None);
    }
}
