//! Which security events an administrator's home points out: bursts of
//! failed sign-ins against one account, and reset links used (someone who
//! opened one can read that account's clinical data). Pure: the events are
//! read elsewhere.

use serde::{Deserialize, Serialize};

use super::accounts::{AuditAction, AuditEvent};

/// Failed sign-ins against one account within [`BURST_WINDOW_MS`] that
/// make a burst.
pub const BURST_SIZE: u32 = 5;
/// How far back the home page looks for bursts.
pub const BURST_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
/// How far back the home page lists used reset links.
pub const RESET_WINDOW_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Failed sign-ins against one sign-in name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedSignInBurst {
    /// The email that was tried.
    pub account: String,
    pub failures: u32,
    /// When the latest failure happened (Unix ms).
    pub last_at: i64,
}

/// A used reset link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedResetLink {
    pub account: String,
    pub at: i64,
}

/// The failed sign-ins of the last [`BURST_WINDOW_MS`] that form bursts of
/// [`BURST_SIZE`] or more against one account, the latest burst first.
pub fn failed_sign_in_bursts(events: &[AuditEvent], now: i64) -> Vec<FailedSignInBurst> {
    let mut bursts: Vec<FailedSignInBurst> = Vec::new();
    let recent = events.iter().filter(|event| {
        event.action == AuditAction::SignInFailed && event.occurred_at > now - BURST_WINDOW_MS
    });
    for event in recent {
        let account = event.target.clone().unwrap_or_default();
        match bursts.iter_mut().find(|burst| burst.account == account) {
            Some(burst) => {
                burst.failures += 1;
                burst.last_at = burst.last_at.max(event.occurred_at);
            }
            None => bursts.push(FailedSignInBurst {
                account,
                failures: 1,
                last_at: event.occurred_at,
            }),
        }
    }
    bursts.retain(|burst| burst.failures >= BURST_SIZE);
    bursts.sort_by(|a, b| b.last_at.cmp(&a.last_at).then(a.account.cmp(&b.account)));
    bursts
}

/// The reset links used in the last [`RESET_WINDOW_MS`], the latest first.
pub fn used_reset_links(events: &[AuditEvent], now: i64) -> Vec<UsedResetLink> {
    let mut used: Vec<UsedResetLink> = events
        .iter()
        .filter(|event| {
            event.action == AuditAction::ResetLinkUsed && event.occurred_at > now - RESET_WINDOW_MS
        })
        .map(|event| UsedResetLink {
            account: event
                .target
                .clone()
                .or_else(|| event.actor.clone())
                .unwrap_or_default(),
            at: event.occurred_at,
        })
        .collect();
    used.sort_by_key(|used| std::cmp::Reverse(used.at));
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 60 * 60 * 1000;
    const NOW: i64 = 1_000 * HOUR;

    fn event(action: AuditAction, target: &str, occurred_at: i64) -> AuditEvent {
        AuditEvent {
            id: occurred_at,
            occurred_at,
            actor: None,
            action,
            target: Some(target.to_string()),
            request_id: None,
            client_ip: None,
        }
    }

    fn failures(target: &str, count: i64, latest: i64) -> Vec<AuditEvent> {
        (0..count)
            .map(|n| event(AuditAction::SignInFailed, target, latest - n * 60_000))
            .collect()
    }

    #[test]
    fn five_failures_against_one_account_in_a_day_are_a_burst_and_four_are_not() {
        let mut events = failures("ana@example.org", 5, NOW - HOUR);
        events.extend(failures("ben@example.org", 4, NOW - HOUR));
        assert_eq!(
            failed_sign_in_bursts(&events, NOW),
            [FailedSignInBurst {
                account: "ana@example.org".to_string(),
                failures: 5,
                last_at: NOW - HOUR,
            }]
        );
    }

    #[test]
    fn failures_older_than_a_day_and_other_events_do_not_count() {
        let mut events = failures("ana@example.org", 4, NOW - HOUR);
        events.extend(failures("ana@example.org", 3, NOW - BURST_WINDOW_MS));
        events.push(event(AuditAction::SignInSucceeded, "ana@example.org", NOW));
        events.push(event(
            AuditAction::SignInRefusedWaiting,
            "ana@example.org",
            NOW,
        ));
        assert!(failed_sign_in_bursts(&events, NOW).is_empty());
    }

    #[test]
    fn the_latest_burst_comes_first() {
        let mut events = failures("ana@example.org", 6, NOW - 3 * HOUR);
        events.extend(failures("ben@example.org", 5, NOW - HOUR));
        let accounts: Vec<String> = failed_sign_in_bursts(&events, NOW)
            .into_iter()
            .map(|burst| format!("{} {}", burst.account, burst.failures))
            .collect();
        assert_eq!(accounts, ["ben@example.org 5", "ana@example.org 6"]);
    }

    #[test]
    fn used_reset_links_of_the_last_week_are_listed_latest_first() {
        let events = [
            event(
                AuditAction::ResetLinkUsed,
                "ana@example.org",
                NOW - 2 * HOUR,
            ),
            event(AuditAction::ResetLinkUsed, "ben@example.org", NOW - HOUR),
            event(
                AuditAction::ResetLinkUsed,
                "old@example.org",
                NOW - RESET_WINDOW_MS,
            ),
            event(AuditAction::ResetLinkCreated, "cy@example.org", NOW),
        ];
        let listed: Vec<String> = used_reset_links(&events, NOW)
            .into_iter()
            .map(|used| used.account)
            .collect();
        assert_eq!(listed, ["ben@example.org", "ana@example.org"]);
    }
}
