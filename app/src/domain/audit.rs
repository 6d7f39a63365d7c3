//! Which security events an administrator asks to see: one kind of event,
//! the events by or about one account, and a page of them older than the
//! last one seen. A flood of one kind (failed sign-ins, say) can then hide
//! nothing: filter it out, or page through it.

use serde::{Deserialize, Serialize};

use super::{
    accounts::{AuditAction, Email},
    validation::FieldErrors,
};

/// Events shown per page.
pub const EVENTS_PER_PAGE: usize = 100;

/// Events an account's owner sees on their account page.
pub const OWN_ACTIVITY_SHOWN: usize = 50;

/// What an account did itself that its owner sees as their account's
/// activity (its administration of other accounts is not part of it).
pub const OWN_ACTIONS: [AuditAction; 8] = [
    AuditAction::InvitationUsed,
    AuditAction::SignInSucceeded,
    AuditAction::SignInFailed,
    AuditAction::SignInRefusedWaiting,
    AuditAction::SignedOut,
    AuditAction::PasswordChanged,
    AuditAction::SessionEnded,
    AuditAction::ResetLinkUsed,
];

/// What was done to an account (the event's subject is its email) that its
/// owner sees as their account's activity: failed sign-ins with its email,
/// and what administrators did to it.
pub const ACTIONS_ABOUT_AN_ACCOUNT: [AuditAction; 6] = [
    AuditAction::SignInFailed,
    AuditAction::SignInRefusedWaiting,
    AuditAction::ResetLinkCreated,
    AuditAction::ResetLinkRevoked,
    AuditAction::AccountDisabled,
    AuditAction::AccountEnabled,
];

/// The filter form as typed (a GET form, so it works without JavaScript).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilterInput {
    /// An [`AuditAction`] name, or empty for every kind.
    pub action: String,
    /// An email address, or empty for everyone.
    pub account: String,
    /// The id of the last event of the page before, or empty for the newest.
    pub before: String,
}

/// A valid filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    /// Events whose actor has this email or whose subject is it.
    pub account: Option<Email>,
    /// Only events with an id below this one (older ones).
    pub before: Option<i64>,
}

impl AuditFilterInput {
    pub fn validate(&self) -> Result<AuditFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let action = match self.action.trim() {
            "" => None,
            name => errors.check(
                "action",
                AuditAction::parse(name).ok_or("Choose a kind of event from the list."),
            ),
        };
        let account = match self.account.trim() {
            "" => None,
            typed => errors.check(
                "account",
                Email::parse(typed).map_err(|_| "Enter an email address, or leave it empty."),
            ),
        };
        let before = match self.before.trim() {
            "" => None,
            id => errors.check(
                "before",
                id.parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or("This page of events does not exist; start from the newest."),
            ),
        };
        errors.into_result()?;
        Ok(AuditFilter {
            action,
            account,
            before,
        })
    }
}

impl AuditFilter {
    /// The address of the page after one ending at event `last`, keeping
    /// the filter.
    pub fn older_path(&self, base: &str, last: i64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("before", &last.to_string());
        if let Some(action) = self.action {
            query.append_pair("action", action.as_str());
        }
        if let Some(account) = &self.account {
            query.append_pair("account", account.as_str());
        }
        format!("{base}?{}", query.finish())
    }
}

/// The events page at `base` filtered to one kind of event, and to one
/// account if given.
pub fn events_of(base: &str, action: AuditAction, account: Option<&str>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("action", action.as_str());
    if let Some(account) = account {
        query.append_pair("account", account);
    }
    format!("{base}?{}", query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filtered_events_path_encodes_the_account() {
        assert_eq!(
            events_of(
                "/admin/security",
                AuditAction::SignInFailed,
                Some("a+b@example.org")
            ),
            "/admin/security?action=sign_in.failed&account=a%2Bb%40example.org"
        );
        assert_eq!(
            events_of("/admin/security", AuditAction::ResetLinkUsed, None),
            "/admin/security?action=reset_link.used"
        );
    }

    fn input(action: &str, account: &str, before: &str) -> AuditFilterInput {
        AuditFilterInput {
            action: action.to_string(),
            account: account.to_string(),
            before: before.to_string(),
        }
    }

    #[test]
    fn an_empty_form_asks_for_the_newest_of_everything() {
        assert_eq!(
            input("", " ", "").validate().unwrap(),
            AuditFilter::default()
        );
    }

    #[test]
    fn every_field_is_read() {
        let filter = input("reset_link.created", " Ada@Example.org ", "120")
            .validate()
            .unwrap();
        assert_eq!(filter.action, Some(AuditAction::ResetLinkCreated));
        assert_eq!(filter.account.unwrap().as_str(), "ada@example.org");
        assert_eq!(filter.before, Some(120));
    }

    #[test]
    fn each_bad_field_is_reported_at_itself() {
        let errors = input("sign_in.everything", "not an email", "-3")
            .validate()
            .unwrap_err();
        assert!(errors.get("action").is_some());
        assert!(errors.get("account").is_some());
        assert!(errors.get("before").is_some());
        for before in ["0", "x", "1.5"] {
            assert!(input("", "", before).validate().is_err(), "{before}");
        }
    }

    #[test]
    fn the_next_page_keeps_the_filter() {
        let filter = input("sign_in.failed", "a+b@example.org", "")
            .validate()
            .unwrap();
        assert_eq!(
            filter.older_path("/admin/security", 77),
            "/admin/security?before=77&action=sign_in.failed&account=a%2Bb%40example.org"
        );
        assert_eq!(
            AuditFilter::default().older_path("/admin/security", 5),
            "/admin/security?before=5"
        );
    }

    #[test]
    fn every_action_can_be_chosen_by_its_name() {
        for action in AuditAction::ALL {
            let filter = input(action.as_str(), "", "").validate().unwrap();
            assert_eq!(filter.action, Some(action));
        }
    }
}
