//! Password hashing (Argon2id, OWASP parameters) and strength checking.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, OnceLock,
};

use argon2::{
    password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString},
    Algorithm, Argon2, Params, Version,
};
use rand::RngCore;
use tokio::sync::Semaphore;

use crate::domain::accounts::{check_password_length, PasswordError};

/// 19 MiB, 2 iterations, 1 lane: OWASP's minimum for Argon2id.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
/// Hashes computed at once; more sign-ins wait, so a burst of them cannot
/// exhaust memory or starve other requests of CPU…
const CONCURRENT_HASHES: usize = 2;
/// …and at most this many wait (about a second's worth of hashing); past
/// that the answer is "busy, try again" at once instead of a queue that
/// grows without limit.
const WAITING_HASHES: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum HashingError {
    #[error("password hashing failed: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("password hashing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("the password hasher is shut down")]
    Closed,
    /// Too many hashes are waiting already.
    #[error("too many password checks at once")]
    Busy,
}

/// Hashes and verifies passwords on the blocking thread pool, at most
/// [`CONCURRENT_HASHES`] at a time with at most [`WAITING_HASHES`] waiting.
/// Cheap to clone.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        PasswordHasher::with_limits(CONCURRENT_HASHES, WAITING_HASHES)
    }
}

fn argon2() -> Argon2<'static> {
    let params =
        Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl PasswordHasher {
    fn with_limits(concurrent: usize, max_waiting: usize) -> Self {
        PasswordHasher {
            permits: Arc::new(Semaphore::new(concurrent)),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting,
        }
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashingError> {
        let password = password.to_string();
        self.run(move || {
            let mut salt = [0u8; 16];
            rand::rng().fill_bytes(&mut salt);
            let salt = SaltString::encode_b64(&salt).map_err(HashingError::Hash)?;
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(HashingError::Hash)
        })
        .await
    }

    /// Whether `password` matches `stored`. With `None` (no such account) a
    /// hash is still verified, so the answer takes as long either way.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashingError> {
        let password = password.to_string();
        let known = stored.is_some();
        let stored = stored
            .map(str::to_string)
            .unwrap_or_else(|| dummy_hash().to_string());
        self.run(move || {
            let parsed = PasswordHash::new(&stored).map_err(HashingError::Hash)?;
            let matches = argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(known && matches)
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, HashingError> + Send + 'static,
    ) -> Result<T, HashingError> {
        let permit = match self.permits.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                let _place = WaitingPlace::take(&self.waiting, self.max_waiting)?;
                self.permits
                    .acquire()
                    .await
                    .map_err(|_| HashingError::Closed)?
            }
        };
        let result = tokio::task::spawn_blocking(work).await?;
        drop(permit);
        result
    }
}

/// A place in the queue of hashes waiting for a permit, given back when
/// the wait ends (however it ends).
struct WaitingPlace<'a>(&'a AtomicUsize);

impl<'a> WaitingPlace<'a> {
    fn take(waiting: &'a AtomicUsize, max_waiting: usize) -> Result<Self, HashingError> {
        waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |count| {
                (count < max_waiting).then_some(count + 1)
            })
            .map(|_| WaitingPlace(waiting))
            .map_err(|_| HashingError::Busy)
    }
}

impl Drop for WaitingPlace<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A hash of a random password with the same parameters, verified when the
/// account does not exist.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::encode_b64(b"reverie-timing-equaliser").expect("valid salt");
        argon2()
            .hash_password(super::tokens::new_token().as_bytes(), &salt)
            .expect("hashing a random password")
            .to_string()
    })
}

/// Rules for a new password: its length, and that it is not common or
/// guessable (zxcvbn score of at least 3, considering the account's own
/// email and name as guessable words).
pub fn check_new_password(password: &str, personal_words: &[&str]) -> Result<(), PasswordError> {
    check_password_length(password)?;
    let mut words: Vec<&str> = Vec::new();
    for word in personal_words {
        words.push(word);
        words.extend(
            word.split(|c: char| !c.is_alphanumeric())
                .filter(|part| part.len() >= 3),
        );
    }
    let estimate = zxcvbn::zxcvbn(password, &words);
    if estimate.score() >= zxcvbn::Score::Three {
        return Ok(());
    }
    let reason = estimate
        .feedback()
        .and_then(|feedback| feedback.warning().map(|warning| warning.to_string()))
        .filter(|warning| !warning.is_empty())
        .unwrap_or_else(|| "This password would be easy to guess.".to_string());
    Err(PasswordError::Guessable(format!(
        "{reason} Try a longer phrase of several unrelated words."
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_required_cost_and_verify() {
        let hasher = PasswordHasher::default();
        let hash = hasher.hash("correct horse battery staple").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(hasher
            .verify("correct horse battery staple", Some(&hash))
            .await
            .unwrap());
        assert!(!hasher
            .verify("correct horse battery stapler", Some(&hash))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn each_hash_has_its_own_salt() {
        let hasher = PasswordHasher::default();
        let a = hasher.hash("same password here").await.unwrap();
        let b = hasher.hash("same password here").await.unwrap();
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        let hasher = PasswordHasher::default();
        assert!(!hasher.verify("anything at all", None).await.unwrap());
    }

    #[tokio::test]
    async fn a_third_hash_waits_while_two_are_being_computed() {
        let hasher = PasswordHasher::default();
        // Hold both permits, as two sign-ins in progress would.
        let held = hasher
            .permits
            .clone()
            .acquire_many_owned(CONCURRENT_HASHES as u32)
            .await
            .unwrap();
        let waiting = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.hash("lantern orchard velvet compass").await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(
            !waiting.is_finished(),
            "no third hash starts while two are running"
        );
        drop(held);
        assert!(waiting.await.unwrap().is_ok());
    }

    #[tokio::test]
    async fn past_the_waiting_limit_the_answer_is_busy_at_once() {
        let hasher = PasswordHasher::with_limits(1, 2);
        let held = hasher.permits.clone().acquire_owned().await.unwrap();
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.hash("lantern orchard velvet compass").await })
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        // The permit is still held: an answer at all means it did not wait
        // for one (the timeout only keeps a regression from hanging).
        let refused = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            hasher.verify("anything", None),
        )
        .await
        .expect("refused without waiting for the permit");
        assert!(matches!(refused, Err(HashingError::Busy)), "{refused:?}");
        drop(held);
        for waiter in waiters {
            assert!(
                waiter.await.unwrap().is_ok(),
                "the two waiting hashes still run"
            );
        }
        assert_eq!(
            hasher.waiting.load(Ordering::Acquire),
            0,
            "places given back"
        );
        assert!(hasher.verify("anything", None).await.is_ok(), "room again");
    }

    #[test]
    fn common_and_personal_passwords_are_refused_with_a_reason() {
        for weak in ["password123", "qwertyuiop", "iloveyou1", "12345678"] {
            match check_new_password(weak, &[]) {
                Err(PasswordError::Guessable(reason)) => assert!(!reason.is_empty()),
                other => panic!("{weak}: {other:?}"),
            }
        }
        assert!(matches!(
            check_new_password(
                "Ana.Ruiz@example.org",
                &["ana.ruiz@example.org", "Ana Ruiz"]
            ),
            Err(PasswordError::Guessable(_))
        ));
    }

    #[test]
    fn long_unrelated_phrases_and_any_unicode_pass() {
        assert_eq!(
            check_new_password("lantern orchard velvet compass", &[]),
            Ok(())
        );
        assert_eq!(
            check_new_password("Schmetterling über der Brücke 7", &[]),
            Ok(())
        );
    }

    #[test]
    fn length_comes_first() {
        assert_eq!(
            check_new_password("Xy7#", &[]),
            Err(PasswordError::TooShort)
        );
    }
}
