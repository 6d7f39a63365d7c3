//! Throttles sign-in style requests (every `POST /api/auth/…`: login,
//! first-run setup, invitation acceptance, password reset) per client address,
//! so passwords and tokens cannot be guessed at speed.
//!
//! The client is the request's [`ClientAddress`] (see [`super::client_address`]): the
//! TCP peer, or behind a configured trusted proxy the address it forwarded.
//! Behind a proxy that is not configured as trusted, every user is the proxy
//! and shares one bucket.

use std::{
    net::{IpAddr, Ipv6Addr},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::server::ClientAddress;
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{header::RETRY_AFTER, HeaderValue, Method, StatusCode};

use super::token_bucket::{Exhausted, KeyedBuckets, Rate};

/// Requests under this prefix are the ones worth guessing at…
pub const THROTTLED_PREFIX: &str = "/api/auth/";

/// …except signing out, which guesses nothing and must always work (a
/// shared computer left signed in is worse than any flood of sign-outs).
const NEVER_THROTTLED: &str = "/api/auth/logout";

/// At most this many clients (and as many networks) are tracked at once (a
/// few hundred kilobytes); beyond it a new one is refused until a bucket is
/// full again: forgetting one in use would reset an abuser.
const MAX_TRACKED_CLIENTS: usize = 10_000;

/// How often buckets that have refilled are forgotten.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// An IPv6 /48 (a site) may hold many /64s (its hosts); it gets this many
/// clients' allowance in all, so cycling through its /64s earns no more.
const NETWORK_SHARE: u32 = 4;

/// The buckets a sign-in request takes from, shared by every request.
#[derive(Clone)]
pub struct SignInThrottle {
    buckets: Arc<Mutex<ClientBuckets>>,
}

impl SignInThrottle {
    pub fn new(rate: Rate) -> Self {
        SignInThrottle {
            buckets: Arc::new(Mutex::new(ClientBuckets::new(rate, Instant::now()))),
        }
    }
}

/// One bucket per client (an IPv4 address or an IPv6 /64) and, for IPv6,
/// one per /48 network with [`NETWORK_SHARE`] times the allowance.
struct ClientBuckets {
    clients: KeyedBuckets<IpAddr>,
    networks: KeyedBuckets<IpAddr>,
}

impl ClientBuckets {
    fn new(rate: Rate, now: Instant) -> Self {
        let scaled = |value: std::num::NonZeroU32| {
            value
                .saturating_mul(std::num::NonZeroU32::new(NETWORK_SHARE).expect("a non-zero share"))
        };
        let network_rate = Rate {
            burst: scaled(rate.burst),
            per_minute: scaled(rate.per_minute),
        };
        ClientBuckets {
            clients: KeyedBuckets::new(rate, MAX_TRACKED_CLIENTS, SWEEP_EVERY, now),
            networks: KeyedBuckets::new(network_rate, MAX_TRACKED_CLIENTS, SWEEP_EVERY, now),
        }
    }

    /// Takes a token for a request from `address`, from its client's bucket
    /// and its network's.
    fn admit(&mut self, address: IpAddr, now: Instant) -> Result<(), Exhausted> {
        self.clients.try_take(&client_key(address), now)?;
        match network_key(address) {
            Some(network) => self.networks.try_take(&network, now),
            None => Ok(()),
        }
    }
}

pub async fn throttle_sign_in(
    State(throttle): State<SignInThrottle>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if request.method() != Method::POST
        || !path.starts_with(THROTTLED_PREFIX)
        || path == NEVER_THROTTLED
    {
        return next.run(request).await;
    }
    let Some(&ClientAddress(address)) = request.extensions().get::<ClientAddress>() else {
        // The server is always started with connect info, from which the
        // client-address middleware (run before this one) finds the client;
        // without it no client can be told apart, and guessing must not go
        // unthrottled.
        tracing::error!("no client address on a sign-in request; refusing it");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let client = client_key(address);
    let verdict = {
        // A panic while holding the lock leaves the buckets consistent (each
        // update is a few integer writes), so a poisoned lock is still usable.
        let mut buckets = throttle
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        buckets.admit(address, Instant::now())
    };
    match verdict {
        Ok(()) => next.run(request).await,
        Err(exhausted) => {
            let seconds = exhausted.retry_after_seconds();
            tracing::warn!(%client, retry_after = seconds, "sign-in attempts throttled");
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                format!("Too many attempts. Try again in {seconds} seconds."),
            )
                .into_response();
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
    }
}

/// The address a client is counted under. An IPv6 host usually holds a whole
/// /64, so its addresses share one bucket; IPv4 clients seen through an
/// IPv6 socket count as the IPv4 address they are.
pub fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & (u128::MAX << 64);
                IpAddr::V6(Ipv6Addr::from(network))
            }
        },
    }
}

/// The IPv6 /48 network a client is in, also counted as a whole.
fn network_key(address: IpAddr) -> Option<IpAddr> {
    match client_key(address) {
        IpAddr::V4(_) => None,
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & (u128::MAX << 80);
            Some(IpAddr::V6(Ipv6Addr::from(network)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(burst: u32, per_minute: u32) -> Rate {
        Rate {
            burst: burst.try_into().unwrap(),
            per_minute: per_minute.try_into().unwrap(),
        }
    }

    #[test]
    fn cycling_through_the_64s_of_one_network_earns_no_more_than_its_share() {
        let now = Instant::now();
        let mut buckets = ClientBuckets::new(rate(2, 1), now);
        let admitted = (0..100u16)
            .map(|host| ip(&format!("2001:db8:7:{host:x}::1")))
            .filter(|&address| buckets.admit(address, now).is_ok())
            .count();
        assert_eq!(admitted, 2 * NETWORK_SHARE as usize);
        // Another site is not held back by it, nor is an IPv4 client.
        assert!(buckets.admit(ip("2001:db8:8::1"), now).is_ok());
        assert!(buckets.admit(ip("203.0.113.7"), now).is_ok());
    }

    #[test]
    fn networks_are_the_48_bit_prefix_of_ipv6_clients() {
        assert_eq!(
            network_key(ip("2001:db8:7:ffff:1::9")),
            Some(ip("2001:db8:7::"))
        );
        assert_eq!(network_key(ip("203.0.113.7")), None);
        assert_eq!(network_key(ip("::ffff:203.0.113.7")), None);
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ipv4_clients_are_counted_by_address() {
        assert_eq!(client_key(ip("203.0.113.7")), ip("203.0.113.7"));
        assert_ne!(client_key(ip("203.0.113.7")), client_key(ip("203.0.113.8")));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_bit_network() {
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            client_key(ip("2001:db8:1:2::1")),
            client_key(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            client_key(ip("2001:db8:1:2::1")),
            client_key(ip("2001:db8:1:3::1"))
        );
    }

    #[test]
    fn ipv4_mapped_addresses_count_as_ipv4() {
        assert_eq!(client_key(ip("::ffff:203.0.113.7")), ip("203.0.113.7"));
    }
}
