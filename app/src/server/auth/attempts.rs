//! Password guessing, held back without a lockout button (issue 13).
//!
//! Every check of an account's password (signing in, changing the password)
//! first takes a *gate* with one conditional write to the database
//! ([`Database::take_sign_in_gate`]): the gate is free when no other check
//! holds it and the retry delay of its failures has passed. Of concurrent
//! attempts, on one server or several sharing a PostgreSQL database, one
//! takes it; the others are not checked at all. A check that fails adds one
//! failure and closes the gate for [`retry_delay_ms`] of the new count (none
//! for the first five, then 30 s doubling up to 15 min); a success forgets
//! the failures.
//!
//! Which gate: a browser that signed in to the account before carries a
//! *known device* cookie (random, HttpOnly, stored only as a SHA-256) and
//! uses that device's own gate; every other browser shares the account's.
//! So someone guessing from elsewhere delays only the account's gate, and
//! the owner still signs in from their usual browser: the delay defeats
//! guessing without handing anyone a way to lock a therapist out.
//!
//! An attempt that may not be checked yet is answered exactly like a wrong
//! password or an unknown email, after hashing the password against a
//! dummy hash, so neither the answer nor its timing tells whether an
//! account exists or is being delayed. For the timing, sign-in reads when
//! the account's gate opens together with the credentials, and the known
//! device before the email: a gate seen closed costs no write, so such an
//! attempt makes the same queries as one at an unknown email.
//!
//! [`retry_delay_ms`]: crate::domain::accounts::retry_delay_ms

use super::{
    audit, now_ms,
    passwords::PasswordHasher,
    request_meta, request_parts,
    session::{send_cookie, SessionSettings},
    tokens::{new_token, token_hash},
};
use crate::{
    domain::accounts::{AuditAction, UserId, ATTEMPT_HOLD_MS},
    error::AppError,
    server::repo::{Database, KnownDevice, RepoError, SignInGate},
};

/// A device not used to sign in for this long is forgotten (its cookie
/// lasts as long).
pub const KNOWN_DEVICE_LIFETIME_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// The outcome of [`check_password`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    /// The password is right; the gate's failures are forgotten.
    Right,
    /// The password is wrong; the failure is counted.
    Wrong,
    /// Another check holds the gate or its retry delay has not passed: the
    /// password was not checked (a dummy hash was, for the timing).
    NotNow,
}

/// A gate, and when it opens as last read from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateView {
    pub gate: SignInGate,
    /// Unix ms; in the past (or 0) when the gate looked open.
    pub opens_at: i64,
}

/// The known device this browser's cookie names, if any. Sign-in calls it
/// before looking up the email, so that it costs the same (one query when
/// the browser sends the cookie, none otherwise) whether or not the account
/// exists.
pub async fn this_device(database: &Database) -> Result<Option<KnownDevice>, RepoError> {
    let settings = leptos::prelude::expect_context::<SessionSettings>();
    let token = request_parts().and_then(|parts| {
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(|header| settings.device_token_from_cookie_header(header))
    });
    match token {
        Some(token) => database.find_known_device(&token_hash(&token)).await,
        None => Ok(None),
    }
}

/// The gate attempts on `user_id` go through from a browser that is
/// `device`: that device's own if it is one of this account's, else the
/// account's shared gate (which opens at `account_gate_opens_at`).
pub fn choose_gate(
    device: Option<KnownDevice>,
    user_id: UserId,
    account_gate_opens_at: i64,
) -> GateView {
    match device {
        Some(device) if device.user_id == user_id => GateView {
            gate: SignInGate::Device(device.id),
            opens_at: device.gate_opens_at,
        },
        _ => GateView {
            gate: SignInGate::Account(user_id),
            opens_at: account_gate_opens_at,
        },
    }
}

/// [`choose_gate`] for this request and `user_id`, reading the account's gate.
pub async fn gate_for(database: &Database, user_id: UserId) -> Result<GateView, RepoError> {
    let device = this_device(database).await?;
    let account_gate_opens_at = database
        .sign_in_gate_state(SignInGate::Account(user_id))
        .await?
        .map_or(0, |(_, opens_at)| opens_at);
    Ok(choose_gate(device, user_id, account_gate_opens_at))
}

/// Checks `password` against `stored` if the gate can be taken, and records
/// the result on the gate. A gate that was closed when read is not even
/// tried (no write: as fast as an unknown email); one that looked open is
/// taken with [`Database::take_sign_in_gate`], which alone decides. Hashing
/// errors (a full queue) give the gate back uncounted.
pub async fn check_password(
    database: &Database,
    hasher: &PasswordHasher,
    view: GateView,
    password: &str,
    stored: &str,
) -> Result<PasswordCheck, AppError> {
    let gate = view.gate;
    let now = now_ms();
    let hold_until = now + ATTEMPT_HOLD_MS;
    if view.opens_at > now || !database.take_sign_in_gate(gate, now, hold_until).await? {
        hasher.verify(password, None).await?;
        return Ok(PasswordCheck::NotNow);
    }
    let verified = match hasher.verify(password, Some(stored)).await {
        Ok(verified) => verified,
        Err(error) => {
            database
                .release_sign_in_gate(gate, hold_until, now_ms())
                .await?;
            return Err(error.into());
        }
    };
    database
        .record_sign_in_result(gate, verified, now_ms())
        .await?;
    Ok(if verified {
        PasswordCheck::Right
    } else {
        PasswordCheck::Wrong
    })
}

/// Checks the signed-in person's password again before a change that asks
/// for it (a new password, deleting the account), through the same gate as
/// signing in from this browser: a stolen session guesses no faster here.
/// A wrong password and an attempt refused while the gate is closed are
/// logged like failed sign-ins, with `purpose` as what they were for.
pub async fn recheck_password(
    database: &Database,
    hasher: &PasswordHasher,
    user_id: UserId,
    password: &str,
    purpose: &str,
) -> Result<PasswordCheck, AppError> {
    let stored = database
        .password_hash(user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let view = gate_for(database, user_id).await?;
    let check = check_password(database, hasher, view, password, &stored).await?;
    let action = match check {
        PasswordCheck::Right => return Ok(check),
        PasswordCheck::Wrong => AuditAction::SignInFailed,
        PasswordCheck::NotNow => AuditAction::SignInRefusedWaiting,
    };
    audit(
        database,
        &request_meta(),
        Some(user_id),
        action,
        Some(purpose),
    )
    .await?;
    Ok(check)
}

/// After a successful sign-in through `gate`: a known device is marked as
/// used; any other browser becomes a known device of `user_id` (a new
/// cookie, replacing one it may have had for another account).
pub async fn remember_device(
    database: &Database,
    gate: SignInGate,
    user_id: UserId,
) -> Result<(), RepoError> {
    let now = now_ms();
    match gate {
        SignInGate::Device(device_id) => database.touch_known_device(device_id, now).await,
        SignInGate::Account(_) => {
            let settings = leptos::prelude::expect_context::<SessionSettings>();
            let token = new_token();
            database
                .remember_device(user_id, &token_hash(&token), now)
                .await?;
            send_cookie(&settings.device_cookie(&token));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_of_this_account_uses_its_own_gate_any_other_browser_the_accounts() {
        let ana = UserId(1);
        let anas_laptop = KnownDevice {
            id: 7,
            user_id: ana,
            gate_opens_at: 10,
        };
        let bens_laptop = KnownDevice {
            user_id: UserId(2),
            ..anas_laptop
        };
        assert_eq!(
            choose_gate(Some(anas_laptop), ana, 99),
            GateView {
                gate: SignInGate::Device(7),
                opens_at: 10
            }
        );
        let shared = GateView {
            gate: SignInGate::Account(ana),
            opens_at: 99,
        };
        assert_eq!(choose_gate(Some(bens_laptop), ana, 99), shared);
        assert_eq!(choose_gate(None, ana, 99), shared);
    }
}
