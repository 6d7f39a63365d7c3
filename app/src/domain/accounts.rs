//! Rules for accounts: email addresses, display names, passwords and the
//! sign-in lockout. Pure: the caller supplies the clock and the history.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::{has_hidden_characters, normalized};

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const DISPLAY_NAME_MAX_CHARS: usize = 80;
const EMAIL_MAX_CHARS: usize = 254;

/// Failed sign-ins that lock an account…
pub const LOCKOUT_FAILURES: usize = 5;
/// …when they fall within this window…
pub const LOCKOUT_WINDOW_MS: i64 = 15 * 60 * 1000;
/// …for this long after the last of them.
pub const LOCKOUT_DURATION_MS: i64 = 15 * 60 * 1000;

/// An email address, trimmed and lower-cased so that one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter an email address.")]
    Missing,
    #[error("Enter an email address like name@example.org.")]
    Malformed,
    #[error("That email address is too long.")]
    TooLong,
    #[error("The email address contains invisible characters; type it again.")]
    HiddenCharacters,
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let email = normalized(&input.trim().to_lowercase());
        if email.is_empty() {
            return Err(EmailError::Missing);
        }
        if has_hidden_characters(&email) {
            return Err(EmailError::HiddenCharacters);
        }
        if email.chars().count() > EMAIL_MAX_CHARS {
            return Err(EmailError::TooLong);
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(EmailError::Malformed);
        };
        let well_formed = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed {
            Ok(Email(email))
        } else {
            Err(EmailError::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    #[error("Enter the name others will see.")]
    Missing,
    #[error("Use at most {DISPLAY_NAME_MAX_CHARS} characters.")]
    TooLong,
    #[error("The name contains characters that cannot be shown.")]
    ControlCharacters,
}

/// The name shown to colleagues (for example to a supervisor).
pub fn parse_display_name(input: &str) -> Result<String, DisplayNameError> {
    let name = input.trim();
    if name.is_empty() {
        Err(DisplayNameError::Missing)
    } else if name.chars().count() > DISPLAY_NAME_MAX_CHARS {
        Err(DisplayNameError::TooLong)
    } else if has_hidden_characters(name) {
        Err(DisplayNameError::ControlCharacters)
    } else {
        Ok(normalized(name))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Use at least {PASSWORD_MIN_CHARS} characters.")]
    TooShort,
    #[error("Use at most {PASSWORD_MAX_CHARS} characters.")]
    TooLong,
    #[error("The two passwords are not the same.")]
    Mismatch,
    /// Guessable: the reason says why (from the strength estimator).
    #[error("{0}")]
    Guessable(String),
}

/// Length rules for a new password: any Unicode, counted in characters,
/// no composition rules (NIST SP 800-63B).
pub fn check_password_length(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Err(PasswordError::TooShort)
    } else if chars > PASSWORD_MAX_CHARS {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// What a locked account is told, with the minutes left (rounded up).
pub fn locked_message(remaining_ms: i64) -> String {
    let minutes = (remaining_ms + 59_999) / 60_000;
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Too many failed sign-ins. For your protection this account is locked; try again in {minutes} {unit}.")
}

/// Whether an account with these recent failures (Unix ms, any order) is
/// locked at `now`, and until when. Locked when [`LOCKOUT_FAILURES`]
/// failures fall within one [`LOCKOUT_WINDOW_MS`], until
/// [`LOCKOUT_DURATION_MS`] after the last failure of such a run.
pub fn locked_until(failures: &[i64], now: i64) -> Option<i64> {
    let mut sorted: Vec<i64> = failures.iter().copied().filter(|&at| at <= now).collect();
    sorted.sort_unstable();
    sorted
        .windows(LOCKOUT_FAILURES)
        .filter(|run| run[LOCKOUT_FAILURES - 1] - run[0] < LOCKOUT_WINDOW_MS)
        .map(|run| run[LOCKOUT_FAILURES - 1] + LOCKOUT_DURATION_MS)
        .filter(|&until| until > now)
        .max()
}

/// How far back failures can matter to [`locked_until`].
pub const LOCKOUT_HISTORY_MS: i64 = LOCKOUT_WINDOW_MS + LOCKOUT_DURATION_MS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "user {}", self.0)
    }
}

/// An account as the rest of the application sees it (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub disabled: bool,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// One signed-in device, as listed on the account page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSession {
    pub id: i64,
    pub user_agent: String,
    pub client_ip: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The session making the request.
    pub current: bool,
}

impl DeviceSession {
    /// A short description of the browser and system, from the user agent.
    pub fn device(&self) -> String {
        describe_user_agent(&self.user_agent)
    }
}

/// "Firefox on Linux", "Safari on iPhone": enough to recognise one's own
/// devices, not a fingerprint.
pub fn describe_user_agent(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    let system = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_string(),
        (None, Some(system)) => format!("A browser on {system}"),
        (None, None) if user_agent.trim().is_empty() => "Unknown device".to_string(),
        (None, None) => user_agent.chars().take(40).collect(),
    }
}

/// An invitation as an administrator sees it (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// What the security audit log records. Stored by its `as_str` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    SignInSucceeded,
    SignInFailed,
    SignInRefusedLocked,
    SignedOut,
    PasswordChanged,
    SessionEnded,
    InvitationCreated,
    InvitationUsed,
    AccountDisabled,
    AccountEnabled,
    ResetLinkCreated,
    ResetLinkUsed,
    AdministratorCreated,
}

impl AuditAction {
    pub const ALL: [AuditAction; 13] = [
        AuditAction::SignInSucceeded,
        AuditAction::SignInFailed,
        AuditAction::SignInRefusedLocked,
        AuditAction::SignedOut,
        AuditAction::PasswordChanged,
        AuditAction::SessionEnded,
        AuditAction::InvitationCreated,
        AuditAction::InvitationUsed,
        AuditAction::AccountDisabled,
        AuditAction::AccountEnabled,
        AuditAction::ResetLinkCreated,
        AuditAction::ResetLinkUsed,
        AuditAction::AdministratorCreated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignInSucceeded => "sign_in.succeeded",
            AuditAction::SignInFailed => "sign_in.failed",
            AuditAction::SignInRefusedLocked => "sign_in.refused_locked",
            AuditAction::SignedOut => "sign_out",
            AuditAction::PasswordChanged => "password.changed",
            AuditAction::SessionEnded => "session.ended",
            AuditAction::InvitationCreated => "invitation.created",
            AuditAction::InvitationUsed => "invitation.used",
            AuditAction::AccountDisabled => "account.disabled",
            AuditAction::AccountEnabled => "account.enabled",
            AuditAction::ResetLinkCreated => "reset_link.created",
            AuditAction::ResetLinkUsed => "reset_link.used",
            AuditAction::AdministratorCreated => "administrator.created",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == name)
    }

    /// How the security events page describes the action.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::SignInSucceeded => "Signed in",
            AuditAction::SignInFailed => "Sign-in failed",
            AuditAction::SignInRefusedLocked => "Sign-in refused: account locked",
            AuditAction::SignedOut => "Signed out",
            AuditAction::PasswordChanged => "Password changed",
            AuditAction::SessionEnded => "Session ended",
            AuditAction::InvitationCreated => "Invitation created",
            AuditAction::InvitationUsed => "Invitation used",
            AuditAction::AccountDisabled => "Account disabled",
            AuditAction::AccountEnabled => "Account enabled",
            AuditAction::ResetLinkCreated => "Password reset link created",
            AuditAction::ResetLinkUsed => "Password reset link used",
            AuditAction::AdministratorCreated => "Administrator created",
        }
    }
}

/// One row of the security audit log, as an administrator reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Grows with every event written: the order of the log.
    pub id: i64,
    pub occurred_at: i64,
    /// The acting account's email, if any.
    pub actor: Option<String>,
    pub action: AuditAction,
    pub target: Option<String>,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_action_names_round_trip_and_are_unique() {
        let mut names: Vec<&str> = AuditAction::ALL
            .iter()
            .map(|action| action.as_str())
            .collect();
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
        assert_eq!(AuditAction::parse("nonsense"), None);
    }

    #[test]
    fn user_agents_are_summarised() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        let chrome_mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0";
        assert_eq!(describe_user_agent(firefox), "Firefox on Linux");
        assert_eq!(describe_user_agent(chrome_mac), "Chrome on macOS");
        assert_eq!(describe_user_agent(safari_iphone), "Safari on iPhone");
        assert_eq!(describe_user_agent(edge), "Edge on Windows");
        assert_eq!(describe_user_agent(""), "Unknown device");
        assert_eq!(describe_user_agent("curl/8.5.0"), "curl/8.5.0");
    }

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ann.Other@Example.ORG ").unwrap().as_str(),
            "ann.other@example.org"
        );
    }

    #[test]
    fn malformed_emails_are_refused_with_a_reason() {
        assert_eq!(Email::parse(""), Err(EmailError::Missing));
        assert_eq!(Email::parse("   "), Err(EmailError::Missing));
        for bad in [
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "ann@@example.org",
            "a b@example.org",
            "ann@.org",
            "ann@org.",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(
            parse_display_name("  Dr. Ana Ruiz "),
            Ok("Dr. Ana Ruiz".to_string())
        );
        assert_eq!(parse_display_name(" "), Err(DisplayNameError::Missing));
        assert_eq!(
            parse_display_name(&"x".repeat(81)),
            Err(DisplayNameError::TooLong)
        );
        assert_eq!(
            parse_display_name(&"é".repeat(80)).map(|n| n.chars().count()),
            Ok(80)
        );
        assert_eq!(
            parse_display_name("Ana\u{0007}"),
            Err(DisplayNameError::ControlCharacters)
        );
        assert_eq!(
            parse_display_name("Ana\u{202E}"),
            Err(DisplayNameError::ControlCharacters)
        );
        assert_eq!(parse_display_name("Zoe\u{0308}").as_deref(), Ok("Zoë"));
    }

    #[test]
    fn emails_with_hidden_characters_are_refused() {
        assert_eq!(
            Email::parse("sam\u{200B}@example.org"),
            Err(EmailError::HiddenCharacters)
        );
        assert_eq!(
            Email::parse("S\u{00C1}M@example.org").map(|email| email.to_string()),
            Email::parse("sa\u{0301}m@example.org").map(|email| email.to_string())
        );
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert_eq!(
            check_password_length("1234567"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(check_password_length("12345678"), Ok(()));
        // Eight characters, 24 bytes.
        assert_eq!(check_password_length("ääääääää"), Ok(()));
        assert_eq!(check_password_length(&"ü".repeat(128)), Ok(()));
        assert_eq!(
            check_password_length(&"x".repeat(129)),
            Err(PasswordError::TooLong)
        );
    }

    const MINUTE: i64 = 60_000;

    #[test]
    fn four_failures_do_not_lock() {
        let failures = [0, MINUTE, 2 * MINUTE, 3 * MINUTE];
        assert_eq!(locked_until(&failures, 4 * MINUTE), None);
    }

    #[test]
    fn five_failures_within_fifteen_minutes_lock_for_fifteen_minutes() {
        let failures = [0, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE];
        assert_eq!(locked_until(&failures, 4 * MINUTE), Some(19 * MINUTE));
        assert_eq!(locked_until(&failures, 19 * MINUTE - 1), Some(19 * MINUTE));
        assert_eq!(locked_until(&failures, 19 * MINUTE), None);
    }

    #[test]
    fn five_failures_spread_over_more_than_fifteen_minutes_do_not_lock() {
        let failures = [0, 4 * MINUTE, 8 * MINUTE, 12 * MINUTE, 15 * MINUTE];
        assert_eq!(locked_until(&failures, 15 * MINUTE), None);
    }

    #[test]
    fn order_of_history_does_not_matter() {
        let failures = [4 * MINUTE, 0, 3 * MINUTE, MINUTE, 2 * MINUTE];
        assert_eq!(locked_until(&failures, 5 * MINUTE), Some(19 * MINUTE));
    }

    #[test]
    fn latest_qualifying_run_sets_the_end_of_the_lock() {
        let failures = [0, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE, 10 * MINUTE];
        assert_eq!(locked_until(&failures, 10 * MINUTE), Some(25 * MINUTE));
    }

    #[test]
    fn future_timestamps_are_ignored() {
        let failures = [0, MINUTE, 2 * MINUTE, 3 * MINUTE, 40 * MINUTE];
        assert_eq!(locked_until(&failures, 5 * MINUTE), None);
    }
}
