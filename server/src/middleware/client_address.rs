//! Who the client of a request is: the one answer the sign-in throttle, the
//! audit log and the devices list all use, put in the request's extensions as
//! [`ClientAddress`].
//!
//! The client is the TCP peer, unless the peer is one of the configured
//! trusted proxies (`REVERIE_TRUSTED_PROXIES`). Then `X-Forwarded-For` is read
//! from the right, where each proxy appends the address it saw: hops that are
//! trusted proxies themselves are passed over, and the first one that is not
//! is the client. Everything to the left of it was written by whoever that
//! client is, so it is never believed. Without trusted proxies the header is
//! ignored and nothing a client sends changes its address.

use std::{
    fmt,
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use app::server::ClientAddress;
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};
use http::{header::HeaderName, HeaderValue};

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// Puts the request's [`ClientAddress`] in its extensions. A request without
/// a TCP peer (a router driven in memory) gets none, so the throttle refuses
/// it rather than guessing.
pub async fn resolve_client_address(
    State(trusted): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    if let Some(peer) = peer {
        let client = client_address(peer, request.headers().get_all(X_FORWARDED_FOR), &trusted);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

/// The client of a request that came from `peer` with the given
/// `X-Forwarded-For` header lines (several lines are one list, in order).
///
/// An entry that is not an address (`unknown`, an obfuscated name, an
/// unreadable line) ends the walk, and the last address reached is the
/// client: it was written by a trusted proxy (or is the peer), whereas
/// skipping the entry would mean believing hops that no trusted proxy vouched
/// for. The answer is then a proxy's address, so its clients share one
/// throttle allowance: that errs towards throttling, never away from it.
///
/// Addresses are returned as they were given; an IPv4-mapped IPv6 address
/// (`::ffff:127.0.0.1`, as a dual-stack socket reports IPv4 peers) matches
/// the IPv4 networks.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a HeaderValue>,
    trusted: &TrustedProxies,
) -> IpAddr {
    if !trusted.contains(peer) {
        return peer;
    }
    let hops: Vec<Option<IpAddr>> = forwarded_for.into_iter().flat_map(hops_of).collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        let Some(address) = hop else {
            return client;
        };
        client = address;
        if !trusted.contains(address) {
            return client;
        }
    }
    // Every hop is a trusted proxy: the left-most is as far as anyone saw.
    client
}

/// The entries of one `X-Forwarded-For` line, left to right; a line that is
/// not text counts as one entry that is not an address.
fn hops_of(line: &HeaderValue) -> Vec<Option<IpAddr>> {
    match line.to_str() {
        Ok(text) => text
            .split(',')
            .map(str::trim)
            // Empty list elements are ignored, as HTTP lists allow them.
            .filter(|hop| !hop.is_empty())
            .map(parse_hop)
            .collect(),
        Err(_) => vec![None],
    }
}

/// One `X-Forwarded-For` entry: an address, or an address with a port as
/// some proxies write it (`203.0.113.9:5555`, `[2001:db8::1]:443`,
/// `[2001:db8::1]`). The port says nothing about who the client is and is
/// dropped. Anything else (`unknown`, `_hidden`, a zone id) is not an address.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(address) = hop.parse::<SocketAddr>() {
        return Some(address.ip());
    }
    hop.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse::<Ipv6Addr>().ok())
        .map(IpAddr::V6)
}

/// The reverse proxies whose `X-Forwarded-For` is believed: addresses and
/// networks. Empty unless configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    networks: Vec<IpNetwork>,
}

impl TrustedProxies {
    /// Reads a comma-separated list such as `127.0.0.1, ::1, 10.0.0.0/8`.
    /// Empty entries are ignored; every other entry must be an address or a
    /// network written with its first address (`10.0.0.0/8`, not
    /// `10.1.2.3/8`, which is more likely a slip than a wish to trust the
    /// whole /8). Ports are refused: a proxy is trusted by address alone.
    pub fn parse(list: &str) -> Result<Self, BadProxyEntry> {
        let networks = list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(IpNetwork::parse)
            .collect::<Result<_, _>>()?;
        Ok(TrustedProxies { networks })
    }

    pub fn is_empty(&self) -> bool {
        self.networks.is_empty()
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.networks
            .iter()
            .any(|network| network.contains(address))
    }
}

impl fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, network) in self.networks.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write!(f, "{network}")?;
        }
        Ok(())
    }
}

/// A trusted-proxy entry that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{entry:?} {problem}")]
pub struct BadProxyEntry {
    pub entry: String,
    pub problem: String,
}

impl BadProxyEntry {
    fn new(entry: &str, problem: impl fmt::Display) -> Self {
        BadProxyEntry {
            entry: entry.to_string(),
            problem: problem.to_string(),
        }
    }
}

/// An address and how many of its leading bits a matching address shares
/// with it. IPv4-mapped IPv6 networks are kept as the IPv4 networks they
/// are, so either spelling matches both kinds of peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IpNetwork {
    first: IpAddr,
    prefix_len: u8,
}

impl IpNetwork {
    fn parse(entry: &str) -> Result<Self, BadProxyEntry> {
        let (address, prefix_len) = match entry.split_once('/') {
            Some((address, prefix_len)) => (address, Some(prefix_len)),
            None => (entry, None),
        };
        let address = address.parse::<IpAddr>().map_err(|_| {
            let problem = if entry.parse::<SocketAddr>().is_ok() {
                "has a port; give the proxy's address alone"
            } else {
                "is not an IP address or network (such as 127.0.0.1, ::1 or 10.0.0.0/8)"
            };
            BadProxyEntry::new(entry, problem)
        })?;
        let bits = address_bits(address);
        let prefix_len = match prefix_len {
            None => bits,
            Some(text) => text
                .parse::<u8>()
                .ok()
                .filter(|&length| length <= bits)
                .ok_or_else(|| {
                    BadProxyEntry::new(
                        entry,
                        format_args!("has a bad prefix length: expected 0 to {bits}"),
                    )
                })?,
        };
        let network = IpNetwork {
            first: address,
            prefix_len,
        };
        let first = network.masked(address);
        if first != address {
            return Err(BadProxyEntry::new(
                entry,
                format_args!("has bits set past its prefix: the network is {first}/{prefix_len}"),
            ));
        }
        Ok(network.canonical())
    }

    /// `::ffff:a.b.c.d/n` (n ≥ 96) as `a.b.c.d/(n − 96)`.
    fn canonical(self) -> Self {
        match self.first {
            IpAddr::V6(v6) if self.prefix_len >= 96 => match v6.to_ipv4_mapped() {
                Some(v4) => IpNetwork {
                    first: IpAddr::V4(v4),
                    prefix_len: self.prefix_len - 96,
                },
                None => self,
            },
            _ => self,
        }
    }

    /// `address` (of this network's family) with the bits past the prefix
    /// cleared.
    fn masked(&self, address: IpAddr) -> IpAddr {
        let length = u32::from(self.prefix_len);
        // A shift by the whole width (a /0) keeps nothing.
        match address {
            IpAddr::V4(v4) => {
                let mask = u32::MAX.checked_shl(32 - length.min(32)).unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
            }
            IpAddr::V6(v6) => {
                let mask = u128::MAX.checked_shl(128 - length.min(128)).unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
            }
        }
    }

    /// Whether `address` (in canonical form) is in this network.
    fn contains(&self, address: IpAddr) -> bool {
        address.is_ipv4() == self.first.is_ipv4() && self.masked(address) == self.first
    }
}

impl fmt::Display for IpNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prefix_len == address_bits(self.first) {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}/{}", self.first, self.prefix_len)
        }
    }
}

fn address_bits(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn trusted(list: &str) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap()
    }

    /// The client of a request from `peer` with these `X-Forwarded-For`
    /// lines, when `proxies` are trusted.
    fn client(proxies: &str, peer: &str, lines: &[&str]) -> IpAddr {
        let lines: Vec<HeaderValue> = lines
            .iter()
            .map(|line| HeaderValue::from_str(line).unwrap())
            .collect();
        client_address(ip(peer), &lines, &trusted(proxies))
    }

    fn refusal(list: &str) -> BadProxyEntry {
        TrustedProxies::parse(list).unwrap_err()
    }

    #[test]
    fn a_list_holds_addresses_and_networks_of_both_families() {
        let proxies = trusted(" 127.0.0.1, ::1 ,10.0.0.0/8,, 2001:db8::/32 ,");
        assert_eq!(
            proxies.to_string(),
            "127.0.0.1,::1,10.0.0.0/8,2001:db8::/32"
        );
        for inside in [
            "127.0.0.1",
            "::1",
            "10.0.0.0",
            "10.255.255.255",
            "2001:db8:ffff::9",
        ] {
            assert!(proxies.contains(ip(inside)), "{inside}");
        }
        for outside in [
            "127.0.0.2",
            "::2",
            "11.0.0.0",
            "9.255.255.255",
            "2001:db9::1",
        ] {
            assert!(!proxies.contains(ip(outside)), "{outside}");
        }
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        assert!(TrustedProxies::parse(" , ").unwrap().is_empty());
    }

    #[test]
    fn full_length_prefixes_are_single_addresses_and_zero_length_ones_a_whole_family() {
        assert_eq!(trusted("192.0.2.7/32"), trusted("192.0.2.7"));
        assert_eq!(trusted("2001:db8::7/128").to_string(), "2001:db8::7");
        let everything_v4 = trusted("0.0.0.0/0");
        assert!(everything_v4.contains(ip("203.0.113.9")));
        assert!(everything_v4.contains(ip("255.255.255.255")));
        assert!(!everything_v4.contains(ip("2001:db8::1")));
        let everything_v6 = trusted("::/0");
        assert!(everything_v6.contains(ip("2001:db8::1")));
        assert!(!everything_v6.contains(ip("203.0.113.9")));
    }

    #[test]
    fn ipv4_mapped_addresses_match_ipv4_networks_either_way_round() {
        assert!(trusted("127.0.0.1").contains(ip("::ffff:127.0.0.1")));
        assert!(trusted("10.0.0.0/8").contains(ip("::ffff:10.1.2.3")));
        let mapped_network = trusted("::ffff:10.0.0.0/104");
        assert_eq!(mapped_network, trusted("10.0.0.0/8"));
        assert!(mapped_network.contains(ip("10.1.2.3")));
        // Neither the IPv6 loopback nor an IPv4-compatible address is IPv4.
        assert!(!trusted("127.0.0.1").contains(ip("::1")));
        assert!(!trusted("0.0.0.0/0").contains(ip("::a00:1")));
    }

    #[test]
    fn entries_that_are_not_addresses_or_networks_are_refused_with_the_entry() {
        for entry in [
            "localhost",
            "10.0.0.0/",
            "10.0.0.0/x",
            "10.0.0.0/-1",
            "10.0.0",
            "fe80::1%eth0",
            "[::1]",
            "*",
        ] {
            let error = refusal(&format!("127.0.0.1, {entry}"));
            assert_eq!(error.entry, entry);
            assert!(error.to_string().contains(&format!("{entry:?}")), "{error}");
        }
    }

    #[test]
    fn prefix_lengths_longer_than_the_address_are_refused() {
        assert!(refusal("10.0.0.0/33").problem.contains("0 to 32"));
        assert!(refusal("2001:db8::/129").problem.contains("0 to 128"));
        assert!(refusal("10.0.0.0/256").problem.contains("0 to 32"));
    }

    #[test]
    fn a_network_must_be_written_with_its_first_address() {
        let error = refusal("10.1.2.3/8");
        assert_eq!(error.entry, "10.1.2.3/8");
        assert!(
            error.problem.contains("the network is 10.0.0.0/8"),
            "{error}"
        );
        let error = refusal("2001:db8::1/64");
        assert!(
            error.problem.contains("the network is 2001:db8::/64"),
            "{error}"
        );
    }

    #[test]
    fn proxies_are_trusted_by_address_never_with_a_port() {
        for entry in ["127.0.0.1:8080", "[::1]:443"] {
            let error = refusal(entry);
            assert_eq!(error.entry, entry);
            assert!(error.problem.contains("port"), "{error}");
        }
    }

    #[test]
    fn without_the_header_the_client_is_the_peer() {
        assert_eq!(client("127.0.0.1", "127.0.0.1", &[]), ip("127.0.0.1"));
        assert_eq!(client("127.0.0.1", "203.0.113.9", &[]), ip("203.0.113.9"));
        assert_eq!(client("127.0.0.1", "127.0.0.1", &[""]), ip("127.0.0.1"));
        assert_eq!(client("127.0.0.1", "127.0.0.1", &[" , "]), ip("127.0.0.1"));
    }

    #[test]
    fn a_peer_that_is_not_trusted_is_the_client_whatever_the_header_says() {
        assert_eq!(client("", "127.0.0.1", &["203.0.113.9"]), ip("127.0.0.1"));
        assert_eq!(
            client("10.0.0.0/8", "203.0.113.9", &["198.51.100.1, 10.0.0.2"]),
            ip("203.0.113.9")
        );
        // As given: an IPv4 peer on a dual-stack socket stays as reported.
        assert_eq!(
            client("", "::ffff:203.0.113.9", &["198.51.100.1"]),
            ip("::ffff:203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_peer_the_right_most_untrusted_hop_is_the_client() {
        assert_eq!(
            client("127.0.0.1", "127.0.0.1", &["203.0.113.9"]),
            ip("203.0.113.9")
        );
        // Whatever the client wrote to the left of its own address is ignored.
        assert_eq!(
            client(
                "127.0.0.1",
                "127.0.0.1",
                &["198.51.100.1, 192.0.2.1, 203.0.113.9"]
            ),
            ip("203.0.113.9")
        );
        // Trusted hops on the way are passed over, wherever they are.
        assert_eq!(
            client(
                "127.0.0.1, 10.0.0.0/8",
                "127.0.0.1",
                &["198.51.100.1, 203.0.113.9, 10.0.0.2, 10.9.9.9"]
            ),
            ip("203.0.113.9")
        );
        assert_eq!(
            client(
                "::1, 2001:db8:aaaa::/48",
                "::1",
                &["2001:db8:1::9, 2001:db8:aaaa::2"]
            ),
            ip("2001:db8:1::9")
        );
        // A trusted address left of an untrusted one is the client's word.
        assert_eq!(
            client(
                "127.0.0.1, 10.0.0.0/8",
                "127.0.0.1",
                &["10.0.0.3, 203.0.113.9"]
            ),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn when_every_hop_is_trusted_the_left_most_is_the_client() {
        assert_eq!(
            client(
                "127.0.0.1, 10.0.0.0/8",
                "127.0.0.1",
                &["10.0.0.3, 10.0.0.2"]
            ),
            ip("10.0.0.3")
        );
        assert_eq!(
            client("127.0.0.1", "127.0.0.1", &["127.0.0.1"]),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn several_header_lines_are_one_list_in_order() {
        assert_eq!(
            client(
                "127.0.0.1, 10.0.0.0/8",
                "127.0.0.1",
                &["198.51.100.1", "203.0.113.9, 10.0.0.2", "10.0.0.3"]
            ),
            ip("203.0.113.9")
        );
        assert_eq!(
            client(
                "127.0.0.1, 10.0.0.0/8",
                "127.0.0.1",
                &["203.0.113.9", "10.0.0.2"]
            ),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn an_entry_that_is_not_an_address_ends_the_walk_at_the_last_address_reached() {
        // Written by the trusted peer itself: the peer is all we know.
        assert_eq!(
            client("127.0.0.1", "127.0.0.1", &["203.0.113.9, unknown"]),
            ip("127.0.0.1")
        );
        assert_eq!(
            client("127.0.0.1", "127.0.0.1", &["unknown"]),
            ip("127.0.0.1")
        );
        // Past an inner trusted proxy: that proxy.
        assert_eq!(
            client(
                "127.0.0.1, 10.0.0.0/8",
                "127.0.0.1",
                &["203.0.113.9, _hidden, 10.0.0.2"]
            ),
            ip("10.0.0.2")
        );
        // Left of the client it is never reached, so it changes nothing.
        assert_eq!(
            client("127.0.0.1", "127.0.0.1", &["not an address, 203.0.113.9"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            client("127.0.0.1", "127.0.0.1", &["fe80::1%eth0, 203.0.113.9"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_line_that_is_not_text_is_an_entry_that_is_not_an_address() {
        let lines = [
            HeaderValue::from_static("203.0.113.9"),
            HeaderValue::from_bytes(b"198.51.100.\xff").unwrap(),
        ];
        assert_eq!(
            client_address(ip("127.0.0.1"), &lines, &trusted("127.0.0.1")),
            ip("127.0.0.1")
        );
        let lines = [lines[1].clone(), lines[0].clone()];
        assert_eq!(
            client_address(ip("127.0.0.1"), &lines, &trusted("127.0.0.1")),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn ports_in_forwarded_entries_are_dropped() {
        for (hop, address) in [
            ("203.0.113.9:5555", "203.0.113.9"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("2001:db8::1", "2001:db8::1"),
        ] {
            assert_eq!(
                client("127.0.0.1", "127.0.0.1", &[hop]),
                ip(address),
                "{hop}"
            );
        }
        // A trusted hop with a port is still trusted.
        assert_eq!(
            client(
                "127.0.0.1, 10.0.0.0/8",
                "127.0.0.1",
                &["203.0.113.9, 10.0.0.2:8080"]
            ),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn ipv4_mapped_peers_and_hops_are_matched_as_ipv4() {
        assert_eq!(
            client("127.0.0.1", "::ffff:127.0.0.1", &["203.0.113.9"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            client(
                "127.0.0.1, 10.0.0.0/8",
                "127.0.0.1",
                &["203.0.113.9, ::ffff:10.0.0.2"]
            ),
            ip("203.0.113.9")
        );
    }
}
