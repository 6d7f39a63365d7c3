//! Reads that decrypt a lot (an analytics page or an export opens every
//! reflection of a case; search, those it indexes and shows)
//! run on the blocking thread pool, not on the async runtime's few worker
//! threads, a bounded number at once, and at most
//! [`PER_ACCOUNT`](HeavyReads::PER_ACCOUNT) per account: one person
//! pressing search repeatedly cannot starve everyone else's requests.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{domain::accounts::UserId, error::AppError};

#[derive(Clone)]
pub struct HeavyReads {
    /// Heavy reads running at once, across accounts.
    running: Arc<Semaphore>,
    /// Each account's heavy reads in progress.
    per_account: Arc<Mutex<HashMap<UserId, usize>>>,
}

impl Default for HeavyReads {
    fn default() -> Self {
        HeavyReads::new(Self::AT_ONCE)
    }
}

impl HeavyReads {
    /// Heavy reads at once: the machine's two cores, twice over (they wait
    /// on the database part of the time).
    pub const AT_ONCE: usize = 4;
    /// One account's heavy reads at once; beyond it the answer is "busy".
    pub const PER_ACCOUNT: usize = 2;

    pub fn new(at_once: usize) -> Self {
        HeavyReads {
            running: Arc::new(Semaphore::new(at_once)),
            per_account: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Runs `read` for `account` on the blocking pool once a place is free;
    /// [`AppError::Busy`] at once if the account already has
    /// [`Self::PER_ACCOUNT`] running.
    pub async fn run<T, F>(&self, account: UserId, read: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        self.reserve(account)?.run(read).await
    }

    /// Takes one of `account`'s places for a series of heavy reads (a
    /// streamed export reads part after part, waiting for the client in
    /// between); [`AppError::Busy`] at once if the account already has
    /// [`Self::PER_ACCOUNT`] running. The place is the account's until the
    /// [`HeavyPlace`] is dropped.
    pub fn reserve(&self, account: UserId) -> Result<HeavyPlace, AppError> {
        Ok(HeavyPlace {
            running: self.running.clone(),
            _slot: AccountSlot::take(&self.per_account, account)?,
        })
    }
}

/// One of an account's heavy-read places. Each [`run`](Self::run) takes
/// one of the places shared by all accounts only while it reads, so a
/// download paused by a slow client holds its account's place, not
/// everyone's.
pub struct HeavyPlace {
    running: Arc<Semaphore>,
    _slot: AccountSlot,
}

impl HeavyPlace {
    /// Runs `read` on the blocking pool once one of the shared places is free.
    pub async fn run<T, F>(&self, read: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let _permit: OwnedSemaphorePermit = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Internal)?;
        // The database part stays asynchronous (driven by the runtime's
        // reactor through the handle); the decrypting in between runs on
        // this blocking thread.
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || runtime.block_on(read))
            .await
            .map_err(|error| {
                tracing::error!(%error, "a heavy read failed to finish");
                AppError::Internal
            })?
    }
}

/// One of an account's places, given back when the read ends (however it
/// ends).
struct AccountSlot {
    counts: Arc<Mutex<HashMap<UserId, usize>>>,
    account: UserId,
}

impl AccountSlot {
    fn take(
        counts: &Arc<Mutex<HashMap<UserId, usize>>>,
        account: UserId,
    ) -> Result<Self, AppError> {
        let mut map = counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let running = map.entry(account).or_insert(0);
        if *running >= HeavyReads::PER_ACCOUNT {
            tracing::warn!(
                account = account.0,
                "heavy reads at their limit for this account: answered busy"
            );
            return Err(AppError::Busy);
        }
        *running += 1;
        Ok(AccountSlot {
            counts: counts.clone(),
            account,
        })
    }
}

impl Drop for AccountSlot {
    fn drop(&mut self) {
        let mut map = self
            .counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(running) = map.get_mut(&self.account) {
            *running -= 1;
            if *running == 0 {
                map.remove(&self.account);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::oneshot;

    use super::*;

    const ANA: UserId = UserId(1);
    const BEN: UserId = UserId(2);

    /// A read that finishes when told to, reporting that it started.
    async fn held(
        started: oneshot::Sender<()>,
        finish: oneshot::Receiver<()>,
    ) -> Result<u8, AppError> {
        let _ = started.send(());
        let _ = finish.await;
        Ok(7)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_account_gets_two_at_once_and_others_are_not_held_up() {
        let reads = HeavyReads::new(8);
        let mut finishers = Vec::new();
        let mut running = Vec::new();
        for _ in 0..HeavyReads::PER_ACCOUNT {
            let (started_tx, started_rx) = oneshot::channel();
            let (finish_tx, finish_rx) = oneshot::channel();
            let reads = reads.clone();
            running.push(tokio::spawn(async move {
                reads.run(ANA, held(started_tx, finish_rx)).await
            }));
            started_rx.await.unwrap();
            finishers.push(finish_tx);
        }
        // A third of Ana's is refused at once…
        let third =
            tokio::time::timeout(Duration::from_secs(5), reads.run(ANA, async { Ok(1u8) })).await;
        assert_eq!(third.expect("answered at once"), Err(AppError::Busy));
        // …while Ben's runs.
        assert_eq!(reads.run(BEN, async { Ok(2u8) }).await, Ok(2));
        // When Ana's finish, her places are free again.
        for finish in finishers {
            finish.send(()).unwrap();
        }
        for read in running {
            assert_eq!(read.await.unwrap(), Ok(7));
        }
        assert_eq!(reads.run(ANA, async { Ok(3u8) }).await, Ok(3));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_read_gives_its_place_back() {
        let reads = HeavyReads::new(1);
        for _ in 0..5 {
            let failed: Result<u8, AppError> =
                reads.run(ANA, async { Err(AppError::NotFound) }).await;
            assert_eq!(failed, Err(AppError::NotFound));
        }
        assert_eq!(reads.run(ANA, async { Ok(9u8) }).await, Ok(9));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_reserved_place_is_the_accounts_until_dropped() {
        let reads = HeavyReads::new(1);
        let export = reads.reserve(ANA).expect("a first place");
        let search = reads.reserve(ANA).expect("a second place");
        // Each part read in the place takes the shared place only while it
        // runs: one after the other, in both of Ana's places.
        for _ in 0..3 {
            assert_eq!(export.run(async { Ok(1u8) }).await, Ok(1));
            assert_eq!(search.run(async { Ok(2u8) }).await, Ok(2));
        }
        assert_eq!(reads.run(ANA, async { Ok(3u8) }).await, Err(AppError::Busy));
        assert!(matches!(reads.reserve(ANA), Err(AppError::Busy)));
        assert_eq!(reads.run(BEN, async { Ok(4u8) }).await, Ok(4));
        drop(export);
        assert_eq!(reads.run(ANA, async { Ok(5u8) }).await, Ok(5));
        drop(search);
    }
}
