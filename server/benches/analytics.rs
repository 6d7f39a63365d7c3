//! How long computing every analytics figure of one case takes (pacing,
//! themes and countertransference: `CaseAnalytics::of`), for a case of
//! 1,000 sessions, each with 5 interventions, 3 reactions and 2 episodes
//! (see `server::synthetic`). Target: 5 ms or less on the project's machine. A
//! 200-session case, the size the page benchmark (`analytics_page`) loads,
//! is timed too, to show how much of the page time is computing.
//!
//! Run: `cargo bench -p server --features app/ssr --bench analytics`
//! (see BENCHMARKS.md).

use std::hint::black_box;

use app::domain::analytics::CaseAnalytics;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use server::synthetic;

/// The therapist's transference threshold (the default).
const THRESHOLD: u32 = 3;

fn case_analytics(c: &mut Criterion) {
    let mut group = c.benchmark_group("case_analytics");
    for count in [200, 1_000] {
        let sessions = synthetic::sessions(count);
        // The data is what it claims to be, and the computation sees all of it.
        let computed = CaseAnalytics::of(&sessions, THRESHOLD);
        assert_eq!(computed.pacing.sessions.len(), count as usize);
        assert_eq!(
            sessions
                .iter()
                .map(|session| session.interventions.len())
                .sum::<usize>(),
            count as usize * synthetic::INTERVENTIONS
        );
        group.bench_with_input(
            BenchmarkId::new("sessions", count),
            &sessions,
            |b, sessions| b.iter(|| CaseAnalytics::of(black_box(sessions), black_box(THRESHOLD))),
        );
    }
    group.finish();
}

criterion_group!(benches, case_analytics);
criterion_main!(benches);
