//! Token buckets, one per client, with no clock of their own: every call is
//! told what time it is, so the arithmetic is tested with explicit instants.
//!
//! A bucket holds up to `burst` tokens; each request takes one; one token comes
//! back every `60 s / per_minute`. Counting whole tokens from an anchor instant
//! keeps the arithmetic exact (no floating point drift).

use std::{
    collections::HashMap,
    hash::Hash,
    num::NonZeroU32,
    time::{Duration, Instant},
};

/// How many requests a client may make in a row, and how fast it earns more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: NonZeroU32,
    pub per_minute: NonZeroU32,
}

impl Rate {
    /// The time it takes to earn one token back.
    pub fn refill_interval(&self) -> Duration {
        Duration::from_secs(60) / self.per_minute.get()
    }
}

/// A bucket was empty: the client may try again after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted {
    pub retry_after: Duration,
}

impl Exhausted {
    /// `retry_after` rounded up to whole seconds, at least one, as the
    /// `Retry-After` header wants it.
    pub fn retry_after_seconds(&self) -> u64 {
        let whole = self.retry_after.as_secs();
        let rounded = if self.retry_after.subsec_nanos() > 0 {
            whole + 1
        } else {
            whole
        };
        rounded.max(1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenBucket {
    tokens: u32,
    /// When the token being earned started to accrue (or, for a full bucket,
    /// the last time it was looked at).
    anchor: Instant,
}

impl TokenBucket {
    pub fn full(rate: Rate, now: Instant) -> Self {
        TokenBucket {
            tokens: rate.burst.get(),
            anchor: now,
        }
    }

    /// Takes a token if there is one.
    pub fn try_take(&mut self, rate: Rate, now: Instant) -> Result<(), Exhausted> {
        self.refill(rate, now);
        if self.tokens > 0 {
            self.tokens -= 1;
            return Ok(());
        }
        let accrued = now.saturating_duration_since(self.anchor);
        Err(Exhausted {
            retry_after: rate.refill_interval().saturating_sub(accrued),
        })
    }

    /// A bucket that would be full by `now` is indistinguishable from a fresh
    /// one, so forgetting it loses nothing.
    pub fn is_idle(&self, rate: Rate, now: Instant) -> bool {
        let mut probe = *self;
        probe.refill(rate, now);
        probe.tokens >= rate.burst.get()
    }

    /// How long until the bucket is full again (idle).
    fn idle_in(&self, rate: Rate, now: Instant) -> Duration {
        let mut probe = *self;
        probe.refill(rate, now);
        let missing = rate.burst.get().saturating_sub(probe.tokens);
        if missing == 0 {
            return Duration::ZERO;
        }
        let accrued = now.saturating_duration_since(probe.anchor);
        (rate.refill_interval() * missing).saturating_sub(accrued)
    }

    fn refill(&mut self, rate: Rate, now: Instant) {
        let burst = rate.burst.get();
        if self.tokens >= burst {
            // Nothing accrues while full: the next token taken starts the clock.
            self.tokens = burst;
            self.anchor = self.anchor.max(now);
            return;
        }
        let interval = rate.refill_interval();
        let elapsed = now.saturating_duration_since(self.anchor);
        let earned = elapsed.as_nanos() / interval.as_nanos();
        let missing = u128::from(burst - self.tokens);
        if earned >= missing {
            self.tokens = burst;
            self.anchor = now;
        } else if earned > 0 {
            // `earned < missing <= u32::MAX`, so the cast is lossless.
            let earned = earned as u32;
            self.tokens += earned;
            self.anchor += interval * earned;
        }
    }
}

/// One bucket per key, with bounded memory: idle buckets are forgotten at
/// least every `sweep_every` and whenever room is needed. A bucket still in
/// use is never forgotten (that would hand its client a fresh allowance), so
/// when `capacity` of them are tracked, a new key is refused until one is
/// idle again.
#[derive(Debug)]
pub struct KeyedBuckets<K> {
    rate: Rate,
    capacity: usize,
    sweep_every: Duration,
    last_sweep: Instant,
    buckets: HashMap<K, TokenBucket>,
}

impl<K: Hash + Eq + Clone> KeyedBuckets<K> {
    pub fn new(rate: Rate, capacity: usize, sweep_every: Duration, now: Instant) -> Self {
        KeyedBuckets {
            rate,
            capacity: capacity.max(1),
            sweep_every,
            last_sweep: now,
            buckets: HashMap::new(),
        }
    }

    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// How many keys are tracked right now.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// Takes a token from `key`'s bucket.
    pub fn try_take(&mut self, key: &K, now: Instant) -> Result<(), Exhausted> {
        if now.saturating_duration_since(self.last_sweep) >= self.sweep_every {
            self.forget_idle(now);
        }
        if !self.buckets.contains_key(key) && !self.has_room(now) {
            return Err(Exhausted {
                retry_after: self.soonest_idle(now),
            });
        }
        let rate = self.rate;
        self.buckets
            .entry(key.clone())
            .or_insert_with(|| TokenBucket::full(rate, now))
            .try_take(rate, now)
    }

    fn forget_idle(&mut self, now: Instant) {
        let rate = self.rate;
        self.buckets.retain(|_, bucket| !bucket.is_idle(rate, now));
        self.last_sweep = now;
    }

    /// Whether a new key fits, after forgetting idle buckets if needed.
    fn has_room(&mut self, now: Instant) -> bool {
        if self.buckets.len() < self.capacity {
            return true;
        }
        self.forget_idle(now);
        self.buckets.len() < self.capacity
    }

    /// How long until some tracked bucket is idle, making room.
    fn soonest_idle(&self, now: Instant) -> Duration {
        self.buckets
            .values()
            .map(|bucket| bucket.idle_in(self.rate, now))
            .min()
            .unwrap_or(Duration::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(burst: u32, per_minute: u32) -> Rate {
        Rate {
            burst: NonZeroU32::new(burst).unwrap(),
            per_minute: NonZeroU32::new(per_minute).unwrap(),
        }
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn refill_interval_spreads_a_minute_over_the_rate() {
        assert_eq!(rate(1, 10).refill_interval(), 6 * SECOND);
        assert_eq!(rate(1, 1).refill_interval(), 60 * SECOND);
        assert_eq!(rate(1, 120).refill_interval(), SECOND / 2);
    }

    #[test]
    fn a_full_bucket_allows_exactly_the_burst() {
        let rate = rate(3, 10);
        let start = Instant::now();
        let mut bucket = TokenBucket::full(rate, start);
        for _ in 0..3 {
            assert_eq!(bucket.try_take(rate, start), Ok(()));
        }
        assert_eq!(
            bucket.try_take(rate, start),
            Err(Exhausted {
                retry_after: 6 * SECOND
            })
        );
    }

    #[test]
    fn one_token_returns_per_interval_and_not_before() {
        let rate = rate(2, 10);
        let start = Instant::now();
        let mut bucket = TokenBucket::full(rate, start);
        bucket.try_take(rate, start).unwrap();
        bucket.try_take(rate, start).unwrap();

        let almost = start + 6 * SECOND - Duration::from_millis(1);
        assert_eq!(
            bucket.try_take(rate, almost),
            Err(Exhausted {
                retry_after: Duration::from_millis(1)
            })
        );
        assert_eq!(bucket.try_take(rate, start + 6 * SECOND), Ok(()));
        assert!(bucket.try_take(rate, start + 6 * SECOND).is_err());
    }

    #[test]
    fn partial_progress_towards_a_token_is_kept() {
        let rate = rate(2, 10);
        let start = Instant::now();
        let mut bucket = TokenBucket::full(rate, start);
        bucket.try_take(rate, start).unwrap();
        bucket.try_take(rate, start).unwrap();
        // 9 s: one token earned at 6 s, 3 s already towards the next.
        bucket.try_take(rate, start + 9 * SECOND).unwrap();
        assert_eq!(
            bucket.try_take(rate, start + 9 * SECOND),
            Err(Exhausted {
                retry_after: 3 * SECOND
            })
        );
        assert_eq!(bucket.try_take(rate, start + 12 * SECOND), Ok(()));
    }

    #[test]
    fn tokens_never_exceed_the_burst() {
        let rate = rate(2, 10);
        let start = Instant::now();
        let mut bucket = TokenBucket::full(rate, start);
        bucket.try_take(rate, start).unwrap();
        let later = start + 3600 * SECOND;
        bucket.try_take(rate, later).unwrap();
        bucket.try_take(rate, later).unwrap();
        assert!(bucket.try_take(rate, later).is_err());
    }

    #[test]
    fn a_full_bucket_does_not_bank_time() {
        let rate = rate(1, 1);
        let start = Instant::now();
        let mut bucket = TokenBucket::full(rate, start);
        // Idle for a long time, then used: the next token takes a full interval.
        let used = start + 1000 * SECOND;
        bucket.try_take(rate, used).unwrap();
        assert_eq!(
            bucket.try_take(rate, used + SECOND),
            Err(Exhausted {
                retry_after: 59 * SECOND
            })
        );
    }

    #[test]
    fn a_clock_that_goes_backwards_earns_nothing() {
        let rate = rate(1, 10);
        let start = Instant::now() + 100 * SECOND;
        let mut bucket = TokenBucket::full(rate, start);
        bucket.try_take(rate, start).unwrap();
        assert!(bucket.try_take(rate, start - 50 * SECOND).is_err());
        assert_eq!(bucket.try_take(rate, start + 6 * SECOND), Ok(()));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds_and_is_at_least_one() {
        let seconds = |retry_after| Exhausted { retry_after }.retry_after_seconds();
        assert_eq!(seconds(6 * SECOND), 6);
        assert_eq!(seconds(5 * SECOND + Duration::from_nanos(1)), 6);
        assert_eq!(seconds(Duration::from_millis(1)), 1);
        assert_eq!(seconds(Duration::ZERO), 1);
    }

    #[test]
    fn idle_means_full_again() {
        let rate = rate(2, 10);
        let start = Instant::now();
        let mut bucket = TokenBucket::full(rate, start);
        assert!(bucket.is_idle(rate, start));
        bucket.try_take(rate, start).unwrap();
        assert!(!bucket.is_idle(rate, start + 5 * SECOND));
        assert!(bucket.is_idle(rate, start + 6 * SECOND));
    }

    #[test]
    fn keys_have_separate_buckets() {
        let start = Instant::now();
        let mut buckets = KeyedBuckets::new(rate(1, 10), 100, 60 * SECOND, start);
        assert_eq!(buckets.try_take(&"a", start), Ok(()));
        assert!(buckets.try_take(&"a", start).is_err());
        assert_eq!(buckets.try_take(&"b", start), Ok(()));
    }

    #[test]
    fn idle_buckets_are_swept_away() {
        let start = Instant::now();
        let mut buckets = KeyedBuckets::new(rate(1, 10), 100, 60 * SECOND, start);
        buckets.try_take(&"a", start).unwrap();
        buckets.try_take(&"b", start + 30 * SECOND).unwrap();
        assert_eq!(buckets.len(), 2);
        // Both refilled 6 s after their request, so the sweep due at 60 s
        // forgets them before "c" gets its bucket.
        buckets.try_take(&"c", start + 60 * SECOND).unwrap();
        assert_eq!(buckets.len(), 1);
    }

    #[test]
    fn a_sweep_keeps_buckets_still_refilling() {
        let start = Instant::now();
        let mut buckets = KeyedBuckets::new(rate(1, 1), 100, 10 * SECOND, start);
        buckets.try_take(&"a", start).unwrap();
        buckets.try_take(&"b", start + 10 * SECOND).unwrap();
        assert_eq!(buckets.len(), 2);
        // "a" is still throttled after the sweep: forgetting it would reset it.
        assert!(buckets.try_take(&"a", start + 10 * SECOND).is_err());
    }

    #[test]
    fn a_full_table_refuses_new_keys_rather_than_forget_one_in_use() {
        let start = Instant::now();
        let mut buckets = KeyedBuckets::new(rate(1, 1), 3, 3600 * SECOND, start);
        for (offset, key) in ["a", "b", "c"].into_iter().enumerate() {
            buckets
                .try_take(&key, start + SECOND * offset as u32)
                .unwrap();
        }
        assert_eq!(buckets.len(), 3);
        // No bucket is idle: "d" must wait until "a" is full again (at 60 s),
        // and "a" keeps its state (forgetting it would reset its client).
        assert_eq!(
            buckets.try_take(&"d", start + 3 * SECOND),
            Err(Exhausted {
                retry_after: 57 * SECOND
            })
        );
        assert_eq!(buckets.len(), 3);
        assert!(buckets.try_take(&"a", start + 4 * SECOND).is_err());
        // Once "a" is idle, "d" takes its place.
        buckets.try_take(&"d", start + 60 * SECOND).unwrap();
        assert_eq!(buckets.len(), 3);
    }

    #[test]
    fn at_capacity_idle_buckets_go_first() {
        let start = Instant::now();
        let mut buckets = KeyedBuckets::new(rate(1, 60), 2, 3600 * SECOND, start);
        buckets.try_take(&"a", start).unwrap();
        buckets.try_take(&"b", start + 5 * SECOND).unwrap();
        // At 5.5 s "a" (refilled after 1 s) is idle, "b" is not.
        buckets
            .try_take(&"c", start + 5 * SECOND + SECOND / 2)
            .unwrap();
        assert_eq!(buckets.len(), 2);
        assert!(buckets
            .try_take(&"b", start + 5 * SECOND + SECOND / 2)
            .is_err());
    }
}
