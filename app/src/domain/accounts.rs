//! Rules for accounts: email addresses, display names, passwords and the
//! delay that follows failed sign-ins. Pure: the caller supplies the clock
//! and the counts.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::{has_hidden_characters, normalized};

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const DISPLAY_NAME_MAX_CHARS: usize = 80;
const EMAIL_MAX_CHARS: usize = 254;

/// Failed password checks a gate allows before each further check must
/// wait (see [`retry_delay_ms`])…
pub const FREE_FAILURES: i64 = 5;
/// …first this long…
pub const FIRST_RETRY_DELAY_MS: i64 = 30 * 1000;
/// …doubling with each further failure up to this.
pub const MAX_RETRY_DELAY_MS: i64 = 15 * 60 * 1000;
/// How long a password check in progress holds its gate, so that no other
/// attempt is checked meanwhile. The check gives the gate back when it ends;
/// this bounds the wait only when a server dies (or a request is cancelled)
/// in the middle of one.
pub const ATTEMPT_HOLD_MS: i64 = 60 * 1000;

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

/// How long after its latest failure a gate that has seen `failures`
/// failures (since the last success) keeps the next attempt waiting: none
/// for the first [`FREE_FAILURES`], then [`FIRST_RETRY_DELAY_MS`] doubling
/// per failure up to [`MAX_RETRY_DELAY_MS`]. A guesser gets five free
/// guesses, a dozen in the first hour, then about four an hour.
pub fn retry_delay_ms(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    // 2^5 × 30 s already exceeds the cap: no need to shift any further.
    let doublings = (failures - FREE_FAILURES).min(6) as u32;
    (FIRST_RETRY_DELAY_MS << doublings).min(MAX_RETRY_DELAY_MS)
}

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

/// The devices as the account page lists them, at `now`. A session's
/// last-seen time is stored at most once a minute, so it may be up to a
/// minute behind; the device asking is in use now, and says so.
pub fn devices_seen_at(mut sessions: Vec<DeviceSession>, now: i64) -> Vec<DeviceSession> {
    for session in sessions.iter_mut().filter(|session| session.current) {
        session.last_seen_at = session.last_seen_at.max(now);
    }
    sessions
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
    pub revoked_at: Option<i64>,
}

/// How the security events log names an account once it is deleted: by
/// its number, the one thing about it the log keeps.
pub fn former_account_label(id: UserId) -> String {
    format!("{FORMER_ACCOUNT_PREFIX}{}", id.0)
}

/// The start of [`former_account_label`] (the repository builds the same
/// label in SQL for events whose actor is gone).
pub const FORMER_ACCOUNT_PREFIX: &str = "account #";

/// Whether what the person typed to confirm deleting their account is
/// their email address (compared as email addresses are: trimmed, letter
/// case and Unicode form ignored).
pub fn confirms_deletion(typed: &str, account_email: &str) -> bool {
    Email::parse(typed).is_ok_and(|typed| typed.as_str() == account_email)
}

/// What the security audit log records. Stored by its `as_str` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    SignInSucceeded,
    SignInFailed,
    SignInRefusedWaiting,
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
    /// The account deleted itself; the event names it by number only.
    AccountDeleted,
    InvitationRevoked,
    ResetLinkRevoked,
    ResetNoticeDismissed,
    /// A person downloaded an export of their data (the fact only).
    DataExported,
}

impl AuditAction {
    pub const ALL: [AuditAction; 18] = [
        AuditAction::SignInSucceeded,
        AuditAction::SignInFailed,
        AuditAction::SignInRefusedWaiting,
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
        AuditAction::AccountDeleted,
        AuditAction::InvitationRevoked,
        AuditAction::ResetLinkRevoked,
        AuditAction::ResetNoticeDismissed,
        AuditAction::DataExported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignInSucceeded => "sign_in.succeeded",
            AuditAction::SignInFailed => "sign_in.failed",
            // The name from when too many failures locked the account;
            // kept so that older events still read.
            AuditAction::SignInRefusedWaiting => "sign_in.refused_locked",
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
            AuditAction::AccountDeleted => "account.deleted",
            AuditAction::InvitationRevoked => "invitation.revoked",
            AuditAction::ResetLinkRevoked => "reset_link.revoked",
            AuditAction::ResetNoticeDismissed => "reset_notice.dismissed",
            AuditAction::DataExported => "data.exported",
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
            AuditAction::SignInRefusedWaiting => "Sign-in refused: too soon after failed attempts",
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
            AuditAction::AccountDeleted => "Account deleted",
            AuditAction::InvitationRevoked => "Invitation revoked",
            AuditAction::ResetLinkRevoked => "Password reset link revoked",
            AuditAction::ResetNoticeDismissed => "Password reset notice dismissed",
            AuditAction::DataExported => "Data exported",
        }
    }
}

/// One row of the security audit log, as an administrator reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Grows with every event written: the order of the log.
    pub id: i64,
    pub occurred_at: i64,
    /// The acting account's email, if any ([`former_account_label`] once
    /// that account is deleted).
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
    fn the_retry_delay_starts_after_five_failures_and_doubles_up_to_fifteen_minutes() {
        let second = 1000;
        let delays: Vec<i64> = (0..=13).map(retry_delay_ms).collect();
        assert_eq!(
            delays,
            [
                0,
                0,
                0,
                0,
                0,
                30 * second,
                60 * second,
                120 * second,
                240 * second,
                480 * second,
                MAX_RETRY_DELAY_MS,
                MAX_RETRY_DELAY_MS,
                MAX_RETRY_DELAY_MS,
                MAX_RETRY_DELAY_MS,
            ]
        );
        assert_eq!(retry_delay_ms(-1), 0);
        assert_eq!(retry_delay_ms(i64::MAX), MAX_RETRY_DELAY_MS);
        assert_eq!(retry_delay_ms(i64::MIN), 0);
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
    fn deletion_is_confirmed_by_the_accounts_own_email_however_it_is_typed() {
        assert!(confirms_deletion("ana@example.org", "ana@example.org"));
        assert!(confirms_deletion("  Ana@Example.ORG ", "ana@example.org"));
        for other in ["", "DELETE", "ana@example.com", "ana", "ben@example.org"] {
            assert!(!confirms_deletion(other, "ana@example.org"), "{other}");
        }
    }

    #[test]
    fn a_deleted_account_is_named_by_its_number() {
        assert_eq!(former_account_label(UserId(42)), "account #42");
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

    #[test]
    fn the_device_asking_is_seen_now_and_the_others_as_stored() {
        let device = |id, last_seen_at, current| DeviceSession {
            id,
            user_agent: String::new(),
            client_ip: String::new(),
            created_at: 0,
            last_seen_at,
            current,
        };
        let listed = devices_seen_at(vec![device(1, 500, false), device(2, 900, true)], 1_000);
        assert_eq!(listed, vec![device(1, 500, false), device(2, 1_000, true)]);
        // A time stored later than `now` (another server's clock) is kept.
        assert_eq!(
            devices_seen_at(vec![device(2, 1_200, true)], 1_000)[0].last_seen_at,
            1_200
        );
    }
}
