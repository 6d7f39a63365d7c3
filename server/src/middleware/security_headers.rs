//! Security headers on every response, and the per-request nonce that lets
//! the Content-Security-Policy allow Leptos's hydration scripts and nothing
//! else.
//!
//! The nonce is minted here and stored in the request's extensions as
//! [`CspNonce`]; the Leptos context (see `startup.rs`) turns it into the
//! `leptos::nonce::Nonce` that `<HydrationScripts/>` stamps on its scripts.
//! The page's only stylesheet is the linked `/pkg/reverie[.<hash>].css`, so
//! `style-src 'self'` suffices; an inline `style` attribute would be blocked.

use app::server::CspNonce;
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use http::{
    header::{
        CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
        X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
    },
    HeaderMap, HeaderName, HeaderValue,
};

const CROSS_ORIGIN_OPENER_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-opener-policy");
const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-resource-policy");
const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// Browser features Reverie never uses, denied to every page and frame.
const DENIED_FEATURES: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
     geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), \
     publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

/// Two years, with subdomains: the usual value for a site that is HTTPS only.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Put in a response's extensions by whatever served a public file from the
/// site root (the compiled bundle under `/pkg/`, the files from `public/`):
/// such responses keep the caching they were given (see `site_files`).
/// Everything else may hold clinical data and is never stored by browsers
/// or proxies.
#[derive(Debug, Clone, Copy)]
pub struct StaticAsset;

#[derive(Debug, Clone, Copy)]
pub struct SecurityHeaders {
    /// Send `Strict-Transport-Security`: only when served over HTTPS, since
    /// browsers ignore it over plain HTTP and it would lock out a site that
    /// has no certificate.
    pub strict_transport_security: bool,
}

pub async fn set_security_headers(
    State(settings): State<SecurityHeaders>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = new_nonce();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_static_asset = response.extensions().get::<StaticAsset>().is_some();
    apply(response.headers_mut(), &nonce, settings, is_static_asset);
    response
}

/// 128 bits from the thread-local CSPRNG (ChaCha, seeded by the operating
/// system), base64url: Leptos's own generator, reused so the nonce has the
/// shape Leptos expects.
fn new_nonce() -> String {
    leptos::nonce::Nonce::new().to_string()
}

pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; \
         script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; \
         img-src 'self' data:; \
         connect-src 'self'; \
         form-action 'self'; \
         object-src 'none'; \
         base-uri 'none'; \
         frame-ancestors 'none'"
    )
}

/// Sets the headers, replacing any a handler set: the policy is the site's,
/// not one route's.
fn apply(headers: &mut HeaderMap, nonce: &str, settings: SecurityHeaders, is_static_asset: bool) {
    // A base64url nonce is always a valid header value.
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(nonce)) {
        headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        CROSS_ORIGIN_OPENER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    // No other site may embed our responses (images, scripts, pages).
    headers.insert(
        CROSS_ORIGIN_RESOURCE_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        PERMISSIONS_POLICY,
        HeaderValue::from_static(DENIED_FEATURES),
    );
    if settings.strict_transport_security {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    if !is_static_asset {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(strict_transport_security: bool, is_static_asset: bool) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
        apply(
            &mut headers,
            "abc_-123",
            SecurityHeaders {
                strict_transport_security,
            },
            is_static_asset,
        );
        headers
    }

    #[test]
    fn nonces_are_128_bit_base64url_and_fresh() {
        let (first, second) = (new_nonce(), new_nonce());
        assert_eq!(
            first.len(),
            22,
            "16 bytes are 22 base64 characters unpadded"
        );
        assert!(first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(first, second);
    }

    #[test]
    fn policy_allows_only_the_nonce_for_scripts() {
        let policy = content_security_policy("abc_-123");
        assert!(policy.contains("script-src 'nonce-abc_-123' 'strict-dynamic' 'wasm-unsafe-eval';"));
        assert!(policy.starts_with("default-src 'self';"));
        assert!(policy.ends_with("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn every_response_gets_the_fixed_headers() {
        let headers = headers(false, false);
        assert_eq!(headers[X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[REFERRER_POLICY], "no-referrer");
        assert_eq!(headers[X_FRAME_OPTIONS], "DENY");
        assert_eq!(headers[CROSS_ORIGIN_OPENER_POLICY], "same-origin");
        assert_eq!(headers[CROSS_ORIGIN_RESOURCE_POLICY], "same-origin");
        assert!(headers[PERMISSIONS_POLICY]
            .to_str()
            .unwrap()
            .contains("camera=(), "));
        assert_eq!(
            headers[CONTENT_SECURITY_POLICY],
            content_security_policy("abc_-123").as_str()
        );
    }

    #[test]
    fn hsts_only_when_served_over_https() {
        assert!(headers(false, false)
            .get(STRICT_TRANSPORT_SECURITY)
            .is_none());
        assert_eq!(
            headers(true, false)[STRICT_TRANSPORT_SECURITY],
            "max-age=63072000; includeSubDomains"
        );
    }

    #[test]
    fn only_static_assets_may_be_cached() {
        assert_eq!(headers(false, false)[CACHE_CONTROL], "no-store");
        assert_eq!(headers(false, true)[CACHE_CONTROL], "max-age=3600");
    }
}
