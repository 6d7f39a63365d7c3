//! Cross-site request forgery protection from the browser's own signals, in
//! the manner of Go's `http.CrossOriginProtection`: state-changing requests
//! are refused when the browser says they come from another site.
//!
//! Browsers mark every request with `Sec-Fetch-Site` (all current ones since
//! 2023) and non-GET requests with `Origin`; pages cannot forge either. A
//! request with neither comes from something that is not a browser (curl, a
//! script), which cannot carry a victim's cookies and so is no forgery.

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{header, HeaderMap, Method, StatusCode};

/// The scheme browsers use to reach this site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    /// Behind a TLS proxy (secure cookies on) browsers see `https`; otherwise
    /// the server is reached directly over plain `http`. The other scheme is
    /// not accepted: a page served over the other scheme is another origin.
    pub fn for_site(secure_cookies: bool) -> Self {
        if secure_cookies {
            Scheme::Https
        } else {
            Scheme::Http
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Scheme::Http => "http://",
            Scheme::Https => "https://",
        }
    }

    fn default_port_suffix(self) -> &'static str {
        match self {
            Scheme::Http => ":80",
            Scheme::Https => ":443",
        }
    }
}

/// What the browser told us about where a request comes from.
#[derive(Debug, Clone, Copy)]
pub struct RequestSignals<'a> {
    pub method: &'a Method,
    /// `Sec-Fetch-Site`; a value that is not text arrives as `Some("")`.
    pub sec_fetch_site: Option<&'a str>,
    /// `Origin`; a value that is not text arrives as `Some("")`.
    pub origin: Option<&'a str>,
    /// The authority the request was sent to (`Host`, or the HTTP/2
    /// `:authority`), if any.
    pub host: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrossOriginRefusal {
    #[error("Cross-site request refused.")]
    CrossSite,
    #[error("Request from another origin refused.")]
    ForeignOrigin,
}

/// Decides whether a request may go on. Pure: no IO, no clock.
pub fn check(signals: RequestSignals<'_>, scheme: Scheme) -> Result<(), CrossOriginRefusal> {
    // Safe methods change nothing, so a forged one achieves nothing.
    if matches!(
        *signals.method,
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(());
    }

    let vouched_same_origin = match signals.sec_fetch_site {
        None => false,
        // `none`: the user started it (typed, bookmarked), no page did.
        Some("same-origin" | "none") => true,
        // `cross-site`, and also `same-site`: a sibling subdomain is
        // another origin and may be less trustworthy than this one.
        Some(_) => return Err(CrossOriginRefusal::CrossSite),
    };

    match signals.origin {
        None => Ok(()),
        // Under this site's own `Referrer-Policy: no-referrer`, browsers send
        // `Origin: null` on same-origin form posts and fetches (the Fetch
        // standard's origin serialisation). `Sec-Fetch-Site` vouches for them.
        Some("null") if vouched_same_origin => Ok(()),
        Some(origin)
            if signals
                .host
                .is_some_and(|host| is_origin_of(origin, host, scheme)) =>
        {
            Ok(())
        }
        Some(_) => Err(CrossOriginRefusal::ForeignOrigin),
    }
}

/// Whether `origin` (`scheme://host[:port]`) names the site at `host`.
/// Host names compare without regard to case, and a default port written
/// out equals one left implicit.
fn is_origin_of(origin: &str, host: &str, scheme: Scheme) -> bool {
    let prefix = scheme.prefix();
    let authority = match origin.get(..prefix.len()) {
        Some(start) if start.eq_ignore_ascii_case(prefix) => &origin[prefix.len()..],
        _ => return false,
    };
    // An origin is exactly scheme and authority: no path, query, fragment or
    // credentials.
    if authority.is_empty() || authority.contains(['/', '?', '#', '@']) {
        return false;
    }
    normalise_authority(authority, scheme) == normalise_authority(host, scheme)
}

fn normalise_authority(authority: &str, scheme: Scheme) -> String {
    let lower = authority.to_ascii_lowercase();
    match lower.strip_suffix(scheme.default_port_suffix()) {
        Some(bare) => bare.to_string(),
        None => lower,
    }
}

/// The scheme browsers reach this site with, for the middleware.
#[derive(Debug, Clone, Copy)]
pub struct CrossOriginPolicy {
    pub scheme: Scheme,
}

/// Refuses cross-origin state-changing requests with 403 and a short text.
pub async fn refuse_cross_origin(
    State(policy): State<CrossOriginPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let signals = RequestSignals {
        method: request.method(),
        sec_fetch_site: header_text(headers, "sec-fetch-site"),
        origin: header_text(headers, header::ORIGIN.as_str()),
        host: header_text(headers, header::HOST.as_str()).or_else(|| {
            request
                .uri()
                .authority()
                .map(|authority| authority.as_str())
        }),
    };
    match check(signals, policy.scheme) {
        Ok(()) => next.run(request).await,
        Err(refusal) => {
            tracing::warn!(
                reason = ?refusal,
                origin = signals.origin,
                sec_fetch_site = signals.sec_fetch_site,
                "cross-origin request refused"
            );
            (StatusCode::FORBIDDEN, refusal.to_string()).into_response()
        }
    }
}

/// A header's value; one that is not visible ASCII counts as present but
/// empty, so it can never pass for a trusted value.
fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .map(|value| value.to_str().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "reverie.example:3000";

    fn decide(
        method: Method,
        sec_fetch_site: Option<&str>,
        origin: Option<&str>,
    ) -> Result<(), CrossOriginRefusal> {
        check(
            RequestSignals {
                method: &method,
                sec_fetch_site,
                origin,
                host: Some(HOST),
            },
            Scheme::Http,
        )
    }

    const UNSAFE: [Method; 4] = [Method::POST, Method::PUT, Method::PATCH, Method::DELETE];

    #[test]
    fn safe_methods_are_never_refused() {
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert_eq!(
                decide(
                    method.clone(),
                    Some("cross-site"),
                    Some("http://evil.example")
                ),
                Ok(()),
                "{method}"
            );
        }
    }

    #[test]
    fn non_browser_requests_without_either_signal_are_allowed() {
        for method in UNSAFE {
            assert_eq!(decide(method, None, None), Ok(()));
        }
    }

    #[test]
    fn cross_site_fetches_are_refused() {
        for method in UNSAFE {
            assert_eq!(
                decide(method.clone(), Some("cross-site"), None),
                Err(CrossOriginRefusal::CrossSite)
            );
            // Even when the Origin claims to be ours.
            assert_eq!(
                decide(
                    method,
                    Some("cross-site"),
                    Some("http://reverie.example:3000")
                ),
                Err(CrossOriginRefusal::CrossSite)
            );
        }
    }

    #[test]
    fn same_site_but_other_origin_fetches_are_refused() {
        assert_eq!(
            decide(Method::POST, Some("same-site"), None),
            Err(CrossOriginRefusal::CrossSite)
        );
    }

    #[test]
    fn unknown_or_unreadable_sec_fetch_site_is_refused() {
        for value in ["", "Same-Origin", "whatever"] {
            assert_eq!(
                decide(Method::POST, Some(value), None),
                Err(CrossOriginRefusal::CrossSite),
                "{value:?}"
            );
        }
    }

    #[test]
    fn same_origin_and_user_initiated_fetches_are_allowed() {
        for value in ["same-origin", "none"] {
            assert_eq!(decide(Method::POST, Some(value), None), Ok(()));
            assert_eq!(
                decide(
                    Method::POST,
                    Some(value),
                    Some("http://reverie.example:3000")
                ),
                Ok(())
            );
        }
    }

    #[test]
    fn null_origin_is_allowed_only_when_the_browser_vouches_same_origin() {
        assert_eq!(
            decide(Method::POST, Some("same-origin"), Some("null")),
            Ok(())
        );
        assert_eq!(
            decide(Method::POST, None, Some("null")),
            Err(CrossOriginRefusal::ForeignOrigin)
        );
    }

    #[test]
    fn a_foreign_origin_is_refused_whatever_sec_fetch_site_says() {
        for sec_fetch_site in [None, Some("same-origin"), Some("none")] {
            assert_eq!(
                decide(Method::POST, sec_fetch_site, Some("http://evil.example")),
                Err(CrossOriginRefusal::ForeignOrigin),
                "{sec_fetch_site:?}"
            );
        }
    }

    #[test]
    fn origin_must_match_scheme_host_and_port() {
        let allowed = |origin| decide(Method::POST, None, Some(origin)).is_ok();
        assert!(allowed("http://reverie.example:3000"));
        assert!(allowed("HTTP://Reverie.Example:3000"));
        assert!(!allowed("https://reverie.example:3000"));
        assert!(!allowed("http://reverie.example:3001"));
        assert!(!allowed("http://reverie.example"));
        assert!(!allowed("http://reverie.example.evil.example:3000"));
        assert!(!allowed("http://evil.example/reverie.example:3000"));
        assert!(!allowed("http://user@reverie.example:3000"));
        assert!(!allowed("http://reverie.example:3000/"));
        assert!(!allowed("reverie.example:3000"));
        assert!(!allowed(""));
    }

    #[test]
    fn origin_scheme_follows_the_site_scheme() {
        let decide_https = |origin, host| {
            check(
                RequestSignals {
                    method: &Method::POST,
                    sec_fetch_site: None,
                    origin: Some(origin),
                    host: Some(host),
                },
                Scheme::Https,
            )
        };
        assert_eq!(
            decide_https("https://reverie.example", "reverie.example"),
            Ok(())
        );
        assert_eq!(
            decide_https("http://reverie.example", "reverie.example"),
            Err(CrossOriginRefusal::ForeignOrigin)
        );
    }

    #[test]
    fn default_ports_may_be_written_or_left_out() {
        let decide_https = |origin, host| {
            check(
                RequestSignals {
                    method: &Method::POST,
                    sec_fetch_site: None,
                    origin: Some(origin),
                    host: Some(host),
                },
                Scheme::Https,
            )
        };
        assert_eq!(
            decide_https("https://reverie.example", "reverie.example:443"),
            Ok(())
        );
        assert_eq!(
            decide_https("https://reverie.example:443", "reverie.example"),
            Ok(())
        );
        assert!(decide_https("https://reverie.example:80", "reverie.example").is_err());
    }

    #[test]
    fn ipv6_hosts_compare_like_any_other() {
        let decision = check(
            RequestSignals {
                method: &Method::POST,
                sec_fetch_site: None,
                origin: Some("http://[::1]:3000"),
                host: Some("[::1]:3000"),
            },
            Scheme::Http,
        );
        assert_eq!(decision, Ok(()));
    }

    #[test]
    fn without_a_host_no_origin_can_match() {
        let decide_without_host = |origin| {
            check(
                RequestSignals {
                    method: &Method::POST,
                    sec_fetch_site: Some("same-origin"),
                    origin,
                    host: None,
                },
                Scheme::Http,
            )
        };
        assert_eq!(
            decide_without_host(Some("http://reverie.example")),
            Err(CrossOriginRefusal::ForeignOrigin)
        );
        // Nothing to compare, and the browser vouches: allowed.
        assert_eq!(decide_without_host(None), Ok(()));
    }

    #[test]
    fn refusals_are_short_plain_sentences() {
        for refusal in [
            CrossOriginRefusal::CrossSite,
            CrossOriginRefusal::ForeignOrigin,
        ] {
            let text = refusal.to_string();
            assert!(text.len() < 60 && !text.contains('\n'), "{text}");
        }
    }
}
