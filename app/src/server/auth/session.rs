//! Server-side sessions: the cookie, the timeouts, and turning a cookie into
//! the signed-in account.

use cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use http::{header::SET_COOKIE, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use super::{
    attempts::KNOWN_DEVICE_LIFETIME_MS,
    current_user, now_ms,
    tokens::{new_token, token_hash},
    Authenticated, RequestMeta,
};
use crate::{
    domain::accounts::User,
    error::AppError,
    server::repo::{Database, RepoError, SessionRecord},
};

/// The session cookie's name: with secure cookies, the `__Host-` prefix
/// makes browsers insist on Secure, Path=/ and no Domain.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-reverie_session"
    } else {
        "reverie_session"
    }
}

/// The known-device cookie's name (see [`super::attempts`]), prefixed like
/// the session cookie's.
pub fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-reverie_device"
    } else {
        "reverie_device"
    }
}

/// The value of the cookie `name` in a `Cookie` request header, if not empty.
fn cookie_value(header: &str, name: &str) -> Option<String> {
    Cookie::split_parse(header)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
        .filter(|value| !value.is_empty())
}

/// Adds a `Set-Cookie` header (from [`SessionSettings::session_cookie`],
/// [`SessionSettings::cleared_cookie`] or [`SessionSettings::device_cookie`])
/// to the response being built.
pub fn send_cookie(set_cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(set_cookie),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}

/// Starts a new session for `user`: a fresh token (any session the browser
/// had is ended first) and its cookie on the response.
pub async fn start_session(
    database: &Database,
    meta: &RequestMeta,
    user: &User,
) -> Result<(), AppError> {
    let settings = leptos::prelude::expect_context::<SessionSettings>();
    if let Some(previous) = current_user() {
        database
            .delete_session(previous.user.id, previous.session_id)
            .await?;
    }
    let token = new_token();
    database
        .create_session(&SessionRecord {
            token_hash: &token_hash(&token),
            user_id: user.id,
            created_at: now_ms(),
            user_agent: &meta.user_agent,
            client_ip: meta.client_ip.as_deref().unwrap_or(""),
        })
        .await?;
    send_cookie(&settings.session_cookie(&token));
    Ok(())
}

/// A session's last-seen time is written at most this often: a signed-in
/// request reads its session but writes only when the time stored is at
/// least this old, so a page with several requests, or a minute of them,
/// costs one write. The time shown on the account page and the idle timeout
/// are therefore up to this much behind the last request.
pub const LAST_SEEN_INTERVAL_MS: i64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSettings {
    /// A session unused for this long ends.
    pub idle_timeout_ms: i64,
    /// A session ends this long after sign-in, however active.
    pub absolute_lifetime_ms: i64,
    pub secure_cookies: bool,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            idle_timeout_ms: 30 * 60 * 1000,
            absolute_lifetime_ms: 12 * 60 * 60 * 1000,
            secure_cookies: false,
        }
    }
}

impl SessionSettings {
    /// `Set-Cookie` value that hands the browser a new session token.
    pub fn session_cookie(&self, token: &str) -> String {
        Cookie::build((cookie_name(self.secure_cookies), token.to_string()))
            .path("/")
            .http_only(true)
            .secure(self.secure_cookies)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::milliseconds(self.absolute_lifetime_ms))
            .build()
            .to_string()
    }

    /// `Set-Cookie` value that makes the browser forget its session token.
    pub fn cleared_cookie(&self) -> String {
        Cookie::build((cookie_name(self.secure_cookies), ""))
            .path("/")
            .http_only(true)
            .secure(self.secure_cookies)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::ZERO)
            .build()
            .to_string()
    }

    /// The session token in a `Cookie` request header, if any.
    pub fn token_from_cookie_header(&self, header: &str) -> Option<String> {
        cookie_value(header, cookie_name(self.secure_cookies))
    }

    /// `Set-Cookie` value that makes this browser a known device: sent with
    /// every request of the site like the session cookie (so `Lax`, and
    /// `__Host-`/`Secure` with secure cookies), never readable by scripts,
    /// kept for [`KNOWN_DEVICE_LIFETIME_MS`].
    pub fn device_cookie(&self, token: &str) -> String {
        Cookie::build((device_cookie_name(self.secure_cookies), token.to_string()))
            .path("/")
            .http_only(true)
            .secure(self.secure_cookies)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::milliseconds(KNOWN_DEVICE_LIFETIME_MS))
            .build()
            .to_string()
    }

    /// The known-device token in a `Cookie` request header, if any.
    pub fn device_token_from_cookie_header(&self, header: &str) -> Option<String> {
        cookie_value(header, device_cookie_name(self.secure_cookies))
    }

    fn has_expired(&self, created_at: i64, last_seen_at: i64, now: i64) -> bool {
        now - last_seen_at >= self.idle_timeout_ms || now - created_at >= self.absolute_lifetime_ms
    }

    /// The account signed in with `token`, if the session is live and the
    /// account enabled. Expired sessions are deleted on the way.
    pub async fn resolve(
        &self,
        database: &Database,
        token: &str,
    ) -> Result<Option<Authenticated>, RepoError> {
        let Some(session) = database.find_session(&token_hash(token)).await? else {
            return Ok(None);
        };
        let now = now_ms();
        if self.has_expired(session.created_at, session.last_seen_at, now) || session.user.disabled
        {
            database
                .delete_session(session.user.id, session.session_id)
                .await?;
            return Ok(None);
        }
        let seen_before = now - LAST_SEEN_INTERVAL_MS;
        if session.last_seen_at <= seen_before {
            // Conditional, so that of requests arriving together one writes.
            database
                .touch_session(session.session_id, now, seen_before)
                .await?;
        }
        Ok(Some(Authenticated {
            user: session.user,
            session_id: session.session_id,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_cookie_is_http_only_and_lax() {
        let settings = SessionSettings::default();
        let cookie = settings.session_cookie("tok");
        assert!(cookie.starts_with("reverie_session=tok"), "{cookie}");
        assert!(cookie.contains("HttpOnly"));
        assert!(cookie.contains("SameSite=Lax"));
        assert!(cookie.contains("Path=/"));
        assert!(!cookie.contains("Secure"));
    }

    #[test]
    fn secure_cookie_uses_the_host_prefix() {
        let settings = SessionSettings {
            secure_cookies: true,
            ..SessionSettings::default()
        };
        let cookie = settings.session_cookie("tok");
        assert!(cookie.starts_with("__Host-reverie_session=tok"), "{cookie}");
        assert!(cookie.contains("Secure"));
        assert!(!cookie.contains("Domain"));
    }

    #[test]
    fn token_is_read_from_among_other_cookies() {
        let settings = SessionSettings::default();
        assert_eq!(
            settings.token_from_cookie_header("a=1; reverie_session=xyz; b=2"),
            Some("xyz".to_string())
        );
        assert_eq!(settings.token_from_cookie_header("a=1"), None);
        assert_eq!(settings.token_from_cookie_header("reverie_session="), None);
        // A secure deployment ignores the unprefixed name.
        let secure = SessionSettings {
            secure_cookies: true,
            ..settings
        };
        assert_eq!(secure.token_from_cookie_header("reverie_session=xyz"), None);
    }

    #[test]
    fn the_device_cookie_is_hardened_like_the_session_cookie_and_lasts_a_year() {
        let plain = SessionSettings::default().device_cookie("dev");
        assert!(plain.starts_with("reverie_device=dev"), "{plain}");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=31536000"] {
            assert!(plain.contains(attribute), "{plain}");
        }
        let secure = SessionSettings {
            secure_cookies: true,
            ..SessionSettings::default()
        };
        let cookie = secure.device_cookie("dev");
        assert!(cookie.starts_with("__Host-reverie_device=dev"), "{cookie}");
        assert!(cookie.contains("Secure"), "{cookie}");
        assert_eq!(
            secure.device_token_from_cookie_header(
                "__Host-reverie_session=s; __Host-reverie_device=d"
            ),
            Some("d".to_string())
        );
        assert_eq!(
            secure.device_token_from_cookie_header("reverie_device=d"),
            None
        );
        assert_eq!(
            secure.token_from_cookie_header("__Host-reverie_device=d"),
            None
        );
    }

    #[test]
    fn sessions_expire_when_idle_or_too_old() {
        let settings = SessionSettings::default();
        let minute = 60_000;
        assert!(!settings.has_expired(0, 0, 29 * minute));
        assert!(settings.has_expired(0, 0, 30 * minute));
        // Active all along, but past the absolute lifetime.
        assert!(settings.has_expired(0, 12 * 60 * minute - 1, 12 * 60 * minute));
        assert!(!settings.has_expired(0, 11 * 60 * minute, 11 * 60 * minute + 1));
    }
}
