//! Synthetic clinical data, drawn deterministically from a seed: the
//! structure of a case's sessions (`sessions`, which the analytics
//! benchmarks use too) and whole reflections with text from a word list
//! (`reflections`), which `server seed` stores. Pure: nothing here touches
//! a database.

mod reflections;
mod sessions;

pub use reflections::{reflection, text, WORDS};
pub use sessions::{sessions, sessions_from, EPISODES, INTERVENTIONS, REACTIONS};

/// SplitMix64: small, fast and the same on every machine.
#[derive(Debug, Clone)]
pub struct Draws(u64);

impl Draws {
    pub fn new(seed: u64) -> Self {
        Draws(seed)
    }

    /// An independent generator for a part named by `key` (a case, an
    /// account): the same seed and key always give the same draws, whatever
    /// was drawn before.
    pub fn fork(&self, key: u64) -> Self {
        let mut mixed = Draws(self.0 ^ key.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Draws(mixed.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[self.below(choices.len())]
    }

    /// A choice, or nothing `none_percent` times in a hundred.
    pub fn maybe<T: Copy>(&mut self, none_percent: usize, choices: &[T]) -> Option<T> {
        (!self.chance(none_percent)).then(|| self.pick(choices))
    }
}

#[cfg(test)]
mod tests {
    use super::Draws;

    #[test]
    fn the_same_seed_draws_the_same_numbers() {
        let mut first = Draws::new(7);
        let mut second = Draws::new(7);
        let a: Vec<u64> = (0..5).map(|_| first.next_u64()).collect();
        let b: Vec<u64> = (0..5).map(|_| second.next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(
            a,
            (0..5).map(|_| Draws::new(8).next_u64()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn forks_are_independent_of_what_was_drawn_before() {
        let root = Draws::new(42);
        let mut used = root.clone();
        used.next_u64();
        assert_eq!(root.fork(3).next_u64(), Draws::new(42).fork(3).next_u64());
        assert_ne!(root.fork(3).next_u64(), root.fork(4).next_u64());
    }

    #[test]
    fn draws_stay_in_their_ranges() {
        let mut draws = Draws::new(1);
        for _ in 0..1000 {
            assert!(draws.below(5) < 5);
            assert!((2..=4).contains(&draws.between(2, 4)));
        }
    }
}
