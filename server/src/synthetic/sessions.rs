//! The structure of a synthetic case's sessions, as the analytics take
//! them: every session has [`REACTIONS`] reactions, [`INTERVENTIONS`]
//! interventions and [`EPISODES`] relationship episodes, drawn from a seeded
//! generator. The analytics benchmarks use [`sessions`] (one fixed seed, so
//! every run measures the same data); `server seed` uses [`sessions_from`]
//! with a seed per case and writes them out as reflections.
//!
//! The draws cover the whole vocabulary: all nine intervention kinds (four of
//! them interpretations), depths 1–5 (interpretations lean deeper), minutes
//! and phases, every client response (the defensive ones included) or none,
//! all eight reaction dimensions (helpless drifting upwards over the case, so
//! there is a trend to find), and every CCRT cluster with a favourite wish
//! and response of the other, so one theme is more pervasive than the rest.

use super::Draws;
use app::domain::{
    analytics::{EpisodeFacts, InterventionFacts, ReactionFacts, SessionFacts},
    reflection::{ReflectionId, RowId, Timing},
    vocabulary::{
        ClientResponse, EpisodeWhen, EpisodeWith, InterventionKind, ReactionDimension,
        ResponseOfOther, ResponseOfSelf, SessionPhase, Wish,
    },
};

pub const REACTIONS: usize = 3;
pub const INTERVENTIONS: usize = 5;
pub const EPISODES: usize = 2;

/// The seed of the benchmarks' case.
const BENCHMARK_SEED: u64 = 0x5EED_2026_1130;

/// Sessions 1 to `count` of the benchmarks' case.
pub fn sessions(count: u32) -> Vec<SessionFacts> {
    sessions_from(&mut Draws::new(BENCHMARK_SEED), count)
}

/// Sessions 1 to `count` of a case meeting weekly (with a missed week now
/// and then), in session order, as the analytics take them; week 1 is the
/// case's first (which may pass without a session). Reflection and row ids
/// are placeholders.
pub fn sessions_from(draws: &mut Draws, count: u32) -> Vec<SessionFacts> {
    let mut week = 0_i64;
    (1..=count)
        .map(|number| {
            week += if draws.chance(10) { 2 } else { 1 };
            session(draws, number, week, count)
        })
        .collect()
}

fn session(draws: &mut Draws, number: u32, week: i64, count: u32) -> SessionFacts {
    let first_row = i64::from(number) * 100;
    let row = |offset: usize| RowId(first_row + offset as i64);

    // Three different dimensions per session, rotating through all eight.
    let reactions = (0..REACTIONS)
        .map(|k| {
            let dimension = ReactionDimension::ALL
                [(number as usize * REACTIONS + k) % ReactionDimension::ALL.len()];
            let intensity = if dimension == ReactionDimension::Helpless {
                // 1 early in the case, up to 5 by its end, give or take one.
                let drift = (u64::from(number) * 4 / u64::from(count.max(1))) as u8;
                (1 + drift + draws.below(2) as u8).min(5)
            } else {
                1 + draws.below(5) as u8
            };
            ReactionFacts {
                row: row(k),
                dimension,
                intensity,
            }
        })
        .collect();

    let mut minute = 0_u8;
    let interventions = (0..INTERVENTIONS)
        .map(|k| {
            let kind = draws.pick(InterventionKind::ALL);
            let depth = if kind.is_interpretation() {
                3 + draws.below(3) as u8
            } else {
                1 + draws.below(3) as u8
            };
            let timing = if draws.chance(30) {
                Timing::Phase(draws.pick(SessionPhase::ALL))
            } else {
                minute += 2 + draws.below(9) as u8;
                Timing::Minute(minute)
            };
            InterventionFacts {
                row: row(REACTIONS + k),
                kind,
                timing,
                depth,
                response: draws.maybe(20, ClientResponse::ALL),
            }
        })
        .collect();

    let episodes = (0..EPISODES)
        .map(|k| EpisodeFacts {
            row: row(REACTIONS + INTERVENTIONS + k),
            with_whom: draws.pick(EpisodeWith::ALL),
            when: draws.maybe(25, EpisodeWhen::ALL),
            // Every episode names a wish (a recorded episode needs at least
            // one component); "to be loved" and "rejecting" come up most.
            wish: Some(if draws.chance(40) {
                Wish::BeLoved
            } else {
                draws.pick(Wish::ALL)
            }),
            response_of_other: if draws.chance(35) {
                Some(ResponseOfOther::Rejecting)
            } else {
                draws.maybe(20, ResponseOfOther::ALL)
            },
            response_of_self: draws.maybe(25, ResponseOfSelf::ALL),
        })
        .collect();

    SessionFacts {
        reflection: ReflectionId(i64::from(number)),
        session_number: number,
        week,
        reactions,
        interventions,
        episodes,
    }
}
