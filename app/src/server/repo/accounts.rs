//! Users, sessions, invitations, password-reset links and sign-in failures.

use super::database::{on_pool, Database, RepoError};
use crate::domain::accounts::{retry_delay_ms, DeviceSession, Invitation, User, UserId};

type UserRow = (i64, String, String, bool, Option<i64>, i64);
/// A user row followed by the password hash and when the account's gate opens.
type CredentialsRow = (i64, String, String, bool, Option<i64>, i64, String, i64);
/// Id, email, created, expires, used, revoked.
type InvitationRow = (i64, String, i64, i64, Option<i64>, Option<i64>);
/// Session id, created and last seen, followed by a user row.
type SessionRow = (i64, i64, i64, i64, String, String, bool, Option<i64>, i64);

const USER_COLUMNS: &str = "id, email, display_name, is_admin, disabled_at, created_at";

fn user_from_row((id, email, display_name, is_admin, disabled_at, created_at): UserRow) -> User {
    User {
        id: UserId(id),
        email,
        display_name,
        is_admin,
        disabled: disabled_at.is_some(),
        created_at,
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
    pub created_at: i64,
}

/// What sign-in needs: the account, its password hash, and when its shared
/// sign-in gate opens (read with them, so that a closed gate is known
/// without a further query: as fast as an unknown email).
pub struct StoredCredentials {
    pub user: User,
    pub password_hash: String,
    /// Unix ms; 0 when no attempt has used the gate yet.
    pub gate_opens_at: i64,
}

/// A browser that signed in to an account before (see
/// `crate::server::auth::attempts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownDevice {
    pub id: i64,
    pub user_id: UserId,
    /// When its own sign-in gate opens (Unix ms).
    pub gate_opens_at: i64,
}

pub struct SessionRecord<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub created_at: i64,
    pub user_agent: &'a str,
    pub client_ip: &'a str,
}

/// A stored session together with its (enabled or not) account.
pub struct SignedInSession {
    pub session_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user: User,
}

/// An invitation that has not been used and has not expired.
pub struct OpenInvitation {
    pub id: i64,
    pub email: String,
}

/// A password-reset link that has not been used and has not expired, with
/// the account it resets.
pub struct OpenPasswordReset {
    pub id: i64,
    pub user_id: UserId,
    pub email: String,
}

/// The gate a sign-in attempt must take before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInGate {
    /// The account's own, shared by every browser that is not a known device.
    Account(UserId),
    /// One known device's (by id), which only that browser uses.
    Device(i64),
}

impl SignInGate {
    fn table_and_key(self) -> (&'static str, &'static str) {
        match self {
            SignInGate::Account(_) => ("sign_in_guards", "user_id"),
            SignInGate::Device(_) => ("known_devices", "id"),
        }
    }

    fn key_value(self) -> i64 {
        match self {
            SignInGate::Account(UserId(id)) | SignInGate::Device(id) => id,
        }
    }
}

/// What [`Database::clear_sign_in_gates`] runs (with the user id as `$1`),
/// also part of completing a password reset.
const CLEAR_GATES: [&str; 2] = [
    "DELETE FROM sign_in_guards WHERE user_id = $1",
    "UPDATE known_devices SET failures = 0, next_attempt_at = 0 WHERE user_id = $1",
];

impl Database {
    pub async fn count_users(&self) -> Result<i64, RepoError> {
        let (count,): (i64,) = on_pool!(self, |pool| sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(pool)
            .await)?;
        Ok(count)
    }

    /// Fails with [`RepoError::Duplicate`] when the email is taken.
    pub async fn create_user(&self, new: &NewUser<'_>) -> Result<User, RepoError> {
        let sql = format!(
            "INSERT INTO users (email, display_name, password_hash, is_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {USER_COLUMNS}"
        );
        let row: UserRow = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(new.email)
            .bind(new.display_name)
            .bind(new.password_hash)
            .bind(new.is_admin)
            .bind(new.created_at)
            .fetch_one(pool)
            .await)?;
        Ok(user_from_row(row))
    }

    pub async fn find_user(&self, id: UserId) -> Result<Option<User>, RepoError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row: Option<UserRow> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(user_from_row))
    }

    /// The account with this (normalised) email address, if any.
    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<User>, RepoError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let row: Option<UserRow> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(email)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(user_from_row))
    }

    pub async fn find_credentials(
        &self,
        email: &str,
    ) -> Result<Option<StoredCredentials>, RepoError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, password_hash, COALESCE(sign_in_guards.next_attempt_at, 0) \
             FROM users LEFT JOIN sign_in_guards ON sign_in_guards.user_id = users.id \
             WHERE email = $1"
        );
        let row: Option<CredentialsRow> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(email)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(
            |(
                id,
                email,
                display_name,
                is_admin,
                disabled_at,
                created_at,
                password_hash,
                gate_opens_at,
            )| {
                StoredCredentials {
                    user: user_from_row((
                        id,
                        email,
                        display_name,
                        is_admin,
                        disabled_at,
                        created_at,
                    )),
                    password_hash,
                    gate_opens_at,
                }
            },
        ))
    }

    pub async fn password_hash(&self, id: UserId) -> Result<Option<String>, RepoError> {
        let row: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT password_hash FROM users WHERE id = $1"
        )
        .bind(id.0)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(hash,)| hash))
    }

    pub async fn list_users(&self) -> Result<Vec<User>, RepoError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY display_name, email");
        let rows: Vec<UserRow> = on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(user_from_row).collect())
    }

    pub async fn set_password_hash(
        &self,
        id: UserId,
        password_hash: &str,
    ) -> Result<(), RepoError> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE users SET password_hash = $1 WHERE id = $2"
        )
        .bind(password_hash)
        .bind(id.0)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Disables (`Some(time)`) or re-enables (`None`) an account. Disabling
    /// also ends every session of the account, in the same transaction.
    /// Returns false when there is no such account.
    pub async fn set_user_disabled(
        &self,
        id: UserId,
        disabled_at: Option<i64>,
    ) -> Result<bool, RepoError> {
        let updated = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let result = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
                .bind(disabled_at)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            if disabled_at.is_some() {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(result.rows_affected() > 0)
        })?;
        Ok(updated)
    }

    // Sessions

    pub async fn create_session(&self, session: &SessionRecord<'_>) -> Result<(), RepoError> {
        on_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, user_agent, client_ip) \
             VALUES ($1, $2, $3, $3, $4, $5)"
        )
        .bind(session.token_hash)
        .bind(session.user_id.0)
        .bind(session.created_at)
        .bind(session.user_agent)
        .bind(session.client_ip)
        .execute(pool)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn find_session(
        &self,
        token_hash: &str,
    ) -> Result<Option<SignedInSession>, RepoError> {
        let sql = "SELECT s.id, s.created_at, s.last_seen_at, \
                   u.id, u.email, u.display_name, u.is_admin, u.disabled_at, u.created_at \
                   FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
        let row: Option<SessionRow> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(token_hash)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(
            |(
                session_id,
                created_at,
                last_seen_at,
                id,
                email,
                display_name,
                is_admin,
                disabled_at,
                user_created_at,
            )| {
                SignedInSession {
                    session_id,
                    created_at,
                    last_seen_at,
                    user: user_from_row((
                        id,
                        email,
                        display_name,
                        is_admin,
                        disabled_at,
                        user_created_at,
                    )),
                }
            },
        ))
    }

    /// Records `now` as the session's last-seen time, unless the time stored
    /// is later than `seen_before` (another request recorded it meanwhile,
    /// on this server or another). True when it was written.
    pub async fn touch_session(
        &self,
        session_id: i64,
        now: i64,
        seen_before: i64,
    ) -> Result<bool, RepoError> {
        let written = on_pool!(self, |pool| sqlx::query(
            "UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at <= $3"
        )
        .bind(now)
        .bind(session_id)
        .bind(seen_before)
        .execute(pool)
        .await
        .map(|result| result.rows_affected()))?;
        Ok(written > 0)
    }

    /// Ends one session of `user_id`; false when it is not theirs or gone.
    pub async fn delete_session(
        &self,
        user_id: UserId,
        session_id: i64,
    ) -> Result<bool, RepoError> {
        let result = on_pool!(self, |pool| sqlx::query(
            "DELETE FROM sessions WHERE id = $1 AND user_id = $2"
        )
        .bind(session_id)
        .bind(user_id.0)
        .execute(pool)
        .await
        .map(|result| result.rows_affected()))?;
        Ok(result > 0)
    }

    /// Ends every session of the account except `keep` (if given).
    pub async fn delete_other_sessions(
        &self,
        user_id: UserId,
        keep: Option<i64>,
    ) -> Result<u64, RepoError> {
        let deleted = on_pool!(self, |pool| sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND id <> $2"
        )
        .bind(user_id.0)
        .bind(keep.unwrap_or(-1))
        .execute(pool)
        .await
        .map(|result| result.rows_affected()))?;
        Ok(deleted)
    }

    pub async fn list_sessions(
        &self,
        user_id: UserId,
        current: Option<i64>,
    ) -> Result<Vec<DeviceSession>, RepoError> {
        let rows: Vec<(i64, String, String, i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, user_agent, client_ip, created_at, last_seen_at FROM sessions \
             WHERE user_id = $1 ORDER BY last_seen_at DESC"
        )
        .bind(user_id.0)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, user_agent, client_ip, created_at, last_seen_at)| DeviceSession {
                    id,
                    user_agent,
                    client_ip,
                    created_at,
                    last_seen_at,
                    current: Some(id) == current,
                },
            )
            .collect())
    }

    /// Removes sessions idle since before `idle_before` or created before `created_before`.
    pub async fn delete_expired_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<u64, RepoError> {
        let deleted = on_pool!(self, |pool| sqlx::query(
            "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2"
        )
        .bind(idle_before)
        .bind(created_before)
        .execute(pool)
        .await
        .map(|result| result.rows_affected()))?;
        Ok(deleted)
    }

    // Sign-in gates: see `crate::server::auth::attempts` for how they are used.

    /// Takes `gate` for one password check, if no other check holds it and
    /// its retry delay has passed (`next_attempt_at <= now`): one conditional
    /// write, so that of concurrent attempts, on however many servers, one
    /// wins. The gate stays held until `hold_until` unless the check ends
    /// first ([`Self::record_sign_in_result`], [`Self::release_sign_in_gate`]).
    pub async fn take_sign_in_gate(
        &self,
        gate: SignInGate,
        now: i64,
        hold_until: i64,
    ) -> Result<bool, RepoError> {
        let taken = match gate {
            SignInGate::Account(user_id) => on_pool!(self, |pool| {
                sqlx::query(
                "INSERT INTO sign_in_guards (user_id, failures, next_attempt_at) VALUES ($1, 0, $2) \
                 ON CONFLICT (user_id) DO UPDATE SET next_attempt_at = excluded.next_attempt_at \
                 WHERE sign_in_guards.next_attempt_at <= $3"
            )
            .bind(user_id.0)
            .bind(hold_until)
            .bind(now)
            .execute(pool)
            .await
            .map(|result| result.rows_affected())
            })?,
            SignInGate::Device(device_id) => on_pool!(self, |pool| {
                sqlx::query(
                "UPDATE known_devices SET next_attempt_at = $2 WHERE id = $1 AND next_attempt_at <= $3"
            )
            .bind(device_id)
            .bind(hold_until)
            .bind(now)
            .execute(pool)
            .await
            .map(|result| result.rows_affected())
            })?,
        };
        Ok(taken == 1)
    }

    /// Gives back a gate taken until `hold_until` without counting the
    /// attempt (the check could not be made); a no-op if the hold has
    /// lapsed and someone else holds it now.
    pub async fn release_sign_in_gate(
        &self,
        gate: SignInGate,
        hold_until: i64,
        now: i64,
    ) -> Result<(), RepoError> {
        let (table, key) = gate.table_and_key();
        let sql = format!(
            "UPDATE {table} SET next_attempt_at = $3 WHERE {key} = $1 AND next_attempt_at = $2"
        );
        on_pool!(self, |pool| sqlx::query(&sql)
            .bind(gate.key_value())
            .bind(hold_until)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Ends the check that holds `gate`. A success forgets the gate's
    /// failures; a failure adds one and keeps the gate closed for
    /// [`retry_delay_ms`] of the new count, which is returned.
    pub async fn record_sign_in_result(
        &self,
        gate: SignInGate,
        succeeded: bool,
        now: i64,
    ) -> Result<i64, RepoError> {
        let (table, key) = gate.table_and_key();
        if succeeded {
            let sql =
                format!("UPDATE {table} SET failures = 0, next_attempt_at = $2 WHERE {key} = $1");
            on_pool!(self, |pool| sqlx::query(&sql)
                .bind(gate.key_value())
                .bind(now)
                .execute(pool)
                .await
                .map(|_| ()))?;
            return Ok(0);
        }
        let count = format!(
            "UPDATE {table} SET failures = failures + 1 WHERE {key} = $1 RETURNING failures"
        );
        let delay = format!("UPDATE {table} SET next_attempt_at = $2 WHERE {key} = $1");
        let failures = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let failures: Option<(i64,)> = sqlx::query_as(&count)
                .bind(gate.key_value())
                .fetch_optional(&mut *tx)
                .await?;
            let failures = failures.map_or(0, |(failures,)| failures);
            sqlx::query(&delay)
                .bind(gate.key_value())
                .bind(now + retry_delay_ms(failures))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(failures)
        })?;
        Ok(failures)
    }

    /// A gate's failures since its last success and the earliest time its
    /// next attempt can be checked (`None`: no attempt has used it yet).
    pub async fn sign_in_gate_state(
        &self,
        gate: SignInGate,
    ) -> Result<Option<(i64, i64)>, RepoError> {
        let (table, key) = gate.table_and_key();
        let sql = format!("SELECT failures, next_attempt_at FROM {table} WHERE {key} = $1");
        let state = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(gate.key_value())
            .fetch_optional(pool)
            .await)?;
        Ok(state)
    }

    /// Forgets the failures of the account's gate and of its known devices'
    /// (after a password change or reset, earlier guesses no longer matter).
    pub async fn clear_sign_in_gates(&self, user_id: UserId) -> Result<(), RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for statement in CLEAR_GATES {
                sqlx::query(statement)
                    .bind(user_id.0)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    // Known devices

    /// The known device whose cookie token hashes to `token_hash`, of
    /// whichever account.
    pub async fn find_known_device(
        &self,
        token_hash: &str,
    ) -> Result<Option<KnownDevice>, RepoError> {
        let row: Option<(i64, i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, user_id, next_attempt_at FROM known_devices WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(id, user_id, gate_opens_at)| KnownDevice {
            id,
            user_id: UserId(user_id),
            gate_opens_at,
        }))
    }

    /// Records a browser that has just signed in to `user_id`.
    pub async fn remember_device(
        &self,
        user_id: UserId,
        token_hash: &str,
        now: i64,
    ) -> Result<(), RepoError> {
        on_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at, failures, next_attempt_at) \
             VALUES ($1, $2, $3, $3, 0, 0)"
        )
        .bind(token_hash)
        .bind(user_id.0)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn touch_known_device(&self, device_id: i64, now: i64) -> Result<(), RepoError> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE known_devices SET last_used_at = $2 WHERE id = $1"
        )
        .bind(device_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Forgets devices that have not signed in since `unused_since`; returns
    /// how many.
    pub async fn forget_unused_devices(&self, unused_since: i64) -> Result<u64, RepoError> {
        let forgotten = on_pool!(self, |pool| sqlx::query(
            "DELETE FROM known_devices WHERE last_used_at < $1"
        )
        .bind(unused_since)
        .execute(pool)
        .await
        .map(|result| result.rows_affected()))?;
        Ok(forgotten)
    }

    // Invitations (created in `admin_links`)

    pub async fn list_invitations(&self) -> Result<Vec<Invitation>, RepoError> {
        let rows: Vec<InvitationRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, email, created_at, expires_at, used_at, revoked_at FROM invitations ORDER BY created_at DESC",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(
                |(id, email, created_at, expires_at, used_at, revoked_at)| Invitation {
                    id,
                    email,
                    created_at,
                    expires_at,
                    used_at,
                    revoked_at,
                },
            )
            .collect())
    }

    pub async fn find_open_invitation(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<OpenInvitation>, RepoError> {
        let row: Option<(i64, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, email FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2"
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await
        })?;
        Ok(row.map(|(id, email)| OpenInvitation { id, email }))
    }

    /// Creates the invited account and uses up the invitation, atomically:
    /// `Ok(None)` when the invitation was used or expired meanwhile.
    pub async fn accept_invitation(
        &self,
        invitation_id: i64,
        new: &NewUser<'_>,
    ) -> Result<Option<User>, RepoError> {
        let sql = format!(
            "INSERT INTO users (email, display_name, password_hash, is_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {USER_COLUMNS}"
        );
        let row: Option<UserRow> = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "UPDATE invitations SET used_at = $1, token_sealed = NULL \
                 WHERE id = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1",
            )
            .bind(new.created_at)
            .bind(invitation_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Ok(None);
            }
            let row: UserRow = sqlx::query_as(&sql)
                .bind(new.email)
                .bind(new.display_name)
                .bind(new.password_hash)
                .bind(new.is_admin)
                .bind(new.created_at)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("UPDATE invitations SET used_by = $1 WHERE id = $2")
                .bind(row.0)
                .bind(invitation_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Some(row))
        })?;
        Ok(row.map(user_from_row))
    }

    // Password reset links (created in `admin_links`)

    pub async fn find_open_password_reset(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<OpenPasswordReset>, RepoError> {
        let row: Option<(i64, String, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id, u.email, u.id FROM password_resets r JOIN users u ON u.id = r.user_id \
             WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.revoked_at IS NULL AND r.expires_at > $2",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(id, email, user_id)| OpenPasswordReset {
            id,
            user_id: UserId(user_id),
            email,
        }))
    }

    /// Sets the new password, uses up the link and ends every session of the
    /// account, atomically: false when the link was used or expired meanwhile.
    pub async fn complete_password_reset(
        &self,
        reset_id: i64,
        user_id: UserId,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, RepoError> {
        let done = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "UPDATE password_resets SET used_at = $1, token_sealed = NULL \
                 WHERE id = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1",
            )
            .bind(now)
            .bind(reset_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Ok(false);
            }
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(user_id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id.0)
                .execute(&mut *tx)
                .await?;
            for statement in CLEAR_GATES {
                sqlx::query(statement)
                    .bind(user_id.0)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(true)
        })?;
        Ok(done)
    }
}
