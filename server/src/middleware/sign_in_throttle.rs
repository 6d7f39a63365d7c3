//! Throttles sign-in style requests (every `POST /api/auth/…`: login,
//! first-run setup, invitation acceptance, password reset) per client address,
//! so passwords and tokens cannot be guessed at speed.
//!
//! The client is the TCP peer. Behind a reverse proxy that is the proxy, and
//! every user shares one bucket; trusting forwarded headers would need a
//! configured list of trusted proxies, which Reverie does not have yet.

use std::{
    net::{IpAddr, Ipv6Addr, SocketAddr},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{header::RETRY_AFTER, HeaderValue, Method, StatusCode};

use super::token_bucket::{KeyedBuckets, Rate};

/// Requests under this prefix are the ones worth guessing at…
pub const THROTTLED_PREFIX: &str = "/api/auth/";

/// …except signing out, which guesses nothing and must always work (a
/// shared computer left signed in is worse than any flood of sign-outs).
const NEVER_THROTTLED: &str = "/api/auth/logout";

/// At most this many client addresses are tracked at once (a few hundred
/// kilobytes); beyond it the stalest bucket is forgotten.
const MAX_TRACKED_CLIENTS: usize = 10_000;

/// How often buckets that have refilled are forgotten.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// The per-client buckets, shared by every request.
#[derive(Clone)]
pub struct SignInThrottle {
    buckets: Arc<Mutex<KeyedBuckets<IpAddr>>>,
}

impl SignInThrottle {
    pub fn new(rate: Rate) -> Self {
        SignInThrottle {
            buckets: Arc::new(Mutex::new(KeyedBuckets::new(
                rate,
                MAX_TRACKED_CLIENTS,
                SWEEP_EVERY,
                Instant::now(),
            ))),
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
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() else {
        // The server is always started with connect info; without it no
        // client can be told apart, and guessing must not go unthrottled.
        tracing::error!("no client address on a sign-in request; refusing it");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let client = client_key(peer.ip());
    let verdict = {
        // A panic while holding the lock leaves the buckets consistent (each
        // update is a few integer writes), so a poisoned lock is still usable.
        let mut buckets = throttle
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        buckets.try_take(&client, Instant::now())
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

#[cfg(test)]
mod tests {
    use super::*;

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
