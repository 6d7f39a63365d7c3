//! Transference themes (Luborsky's CCRT): which wishes and responses recur,
//! which W/RO/RS combination is the case's theme and how pervasive it is,
//! and where the episodes happened.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{zero_counts, EpisodeFacts, SessionFacts, SessionRef};
use crate::domain::vocabulary::{EpisodeWhen, EpisodeWith, ResponseOfOther, ResponseOfSelf, Wish};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Themes {
    /// Episodes that picked each cluster, every cluster listed. An episode
    /// with a component left empty still counts for the ones it picked.
    #[serde(with = "super::slugs::keys")]
    pub wishes: BTreeMap<Wish, u32>,
    #[serde(with = "super::slugs::keys")]
    pub responses_of_other: BTreeMap<ResponseOfOther, u32>,
    #[serde(with = "super::slugs::keys")]
    pub responses_of_self: BTreeMap<ResponseOfSelf, u32>,
    /// Every combination that occurred, most pervasive first (see
    /// [`Themes::most_pervasive`] for the ranking).
    pub combinations: Vec<ThemeCombination>,
    /// The case's theme: the combination in the most sessions; ties go to
    /// the one with more episodes, then to vocabulary order of (W, RO, RS).
    /// `None` when no episode picked all three components.
    pub most_pervasive: Option<ThemeCombination>,
    pub sessions: Vec<SessionThemes>,
    pub with_therapist: EpisodeCounts,
    /// With a current other or a past figure.
    pub with_others: EpisodeCounts,
}

/// A W/RO/RS combination: only episodes with all three clusters picked
/// form one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeCombination {
    #[serde(with = "super::slugs::one")]
    pub wish: Wish,
    #[serde(with = "super::slugs::one")]
    pub response_of_other: ResponseOfOther,
    #[serde(with = "super::slugs::one")]
    pub response_of_self: ResponseOfSelf,
    pub episodes: u32,
    /// The sessions it appears in, in session order.
    pub sessions: Vec<SessionRef>,
    /// Sessions it appears in / the case's sessions with a reflection.
    pub pervasiveness: f64,
}

/// The clusters that came up in one session, each list sorted in
/// vocabulary order without repeats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionThemes {
    pub session: SessionRef,
    #[serde(with = "super::slugs::list")]
    pub wishes: Vec<Wish>,
    #[serde(with = "super::slugs::list")]
    pub responses_of_other: Vec<ResponseOfOther>,
    #[serde(with = "super::slugs::list")]
    pub responses_of_self: Vec<ResponseOfSelf>,
}

/// Episodes with one kind of person, by when they happened.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EpisodeCounts {
    pub total: u32,
    /// Every `when`, zeros included.
    #[serde(with = "super::slugs::keys")]
    pub by_when: BTreeMap<EpisodeWhen, u32>,
    pub when_unrecorded: u32,
}

type CombinationKey = (Wish, ResponseOfOther, ResponseOfSelf);

impl Themes {
    pub fn of(sessions: &[SessionFacts]) -> Self {
        let episodes = || sessions.iter().flat_map(|session| &session.episodes);
        let mut wishes = zero_counts(Wish::ALL);
        let mut responses_of_other = zero_counts(ResponseOfOther::ALL);
        let mut responses_of_self = zero_counts(ResponseOfSelf::ALL);
        for episode in episodes() {
            if let Some(wish) = episode.wish {
                *wishes.entry(wish).or_default() += 1;
            }
            if let Some(response) = episode.response_of_other {
                *responses_of_other.entry(response).or_default() += 1;
            }
            if let Some(response) = episode.response_of_self {
                *responses_of_self.entry(response).or_default() += 1;
            }
        }
        let combinations = ranked_combinations(sessions);
        Themes {
            wishes,
            responses_of_other,
            responses_of_self,
            most_pervasive: combinations.first().cloned(),
            combinations,
            sessions: sessions.iter().map(SessionThemes::of).collect(),
            with_therapist: EpisodeCounts::of(
                episodes().filter(|episode| episode.with_whom == EpisodeWith::Therapist),
            ),
            with_others: EpisodeCounts::of(
                episodes().filter(|episode| episode.with_whom != EpisodeWith::Therapist),
            ),
        }
    }

    /// The share of the case's sessions in which its theme appears; `None`
    /// when there is no theme.
    pub fn pervasiveness(&self) -> Option<f64> {
        self.most_pervasive
            .as_ref()
            .map(|combination| combination.pervasiveness)
    }
}

impl ThemeCombination {
    fn key(&self) -> CombinationKey {
        (self.wish, self.response_of_other, self.response_of_self)
    }
}

fn combination_of(episode: &EpisodeFacts) -> Option<CombinationKey> {
    Some((
        episode.wish?,
        episode.response_of_other?,
        episode.response_of_self?,
    ))
}

fn ranked_combinations(sessions: &[SessionFacts]) -> Vec<ThemeCombination> {
    let mut found: BTreeMap<CombinationKey, (u32, Vec<SessionRef>)> = BTreeMap::new();
    for session in sessions {
        for key in session.episodes.iter().filter_map(combination_of) {
            let (episodes, in_sessions) = found.entry(key).or_default();
            *episodes += 1;
            if in_sessions.last() != Some(&session.session_ref()) {
                in_sessions.push(session.session_ref());
            }
        }
    }
    let mut combinations: Vec<ThemeCombination> = found
        .into_iter()
        .map(
            |((wish, response_of_other, response_of_self), (episodes, in_sessions))| {
                ThemeCombination {
                    wish,
                    response_of_other,
                    response_of_self,
                    episodes,
                    // Not empty: a combination comes from an episode of a session.
                    pervasiveness: in_sessions.len() as f64 / sessions.len() as f64,
                    sessions: in_sessions,
                }
            },
        )
        .collect();
    combinations.sort_by(|a, b| {
        b.sessions
            .len()
            .cmp(&a.sessions.len())
            .then(b.episodes.cmp(&a.episodes))
            .then(a.key().cmp(&b.key()))
    });
    combinations
}

impl SessionThemes {
    fn of(session: &SessionFacts) -> Self {
        fn picked<T: Ord>(picks: impl Iterator<Item = Option<T>>) -> Vec<T> {
            picks
                .flatten()
                .collect::<BTreeSet<T>>()
                .into_iter()
                .collect()
        }
        let episodes = &session.episodes;
        SessionThemes {
            session: session.session_ref(),
            wishes: picked(episodes.iter().map(|episode| episode.wish)),
            responses_of_other: picked(episodes.iter().map(|episode| episode.response_of_other)),
            responses_of_self: picked(episodes.iter().map(|episode| episode.response_of_self)),
        }
    }
}

impl EpisodeCounts {
    fn of<'a>(episodes: impl Iterator<Item = &'a EpisodeFacts>) -> Self {
        let mut counts = EpisodeCounts {
            by_when: zero_counts(EpisodeWhen::ALL),
            ..EpisodeCounts::default()
        };
        for episode in episodes {
            counts.total += 1;
            match episode.when {
                Some(when) => *counts.by_when.entry(when).or_default() += 1,
                None => counts.when_unrecorded += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    fn with(number: u32, episodes: Vec<EpisodeFacts>) -> SessionFacts {
        SessionFacts {
            episodes,
            ..session(number)
        }
    }

    fn full(row: i64, key: CombinationKey) -> EpisodeFacts {
        episode(row, Some(key.0), Some(key.1), Some(key.2))
    }

    fn keys(themes: &Themes) -> Vec<CombinationKey> {
        themes
            .combinations
            .iter()
            .map(ThemeCombination::key)
            .collect()
    }

    const LOVED_REJECTED: CombinationKey = (
        Wish::BeLoved,
        ResponseOfOther::Rejecting,
        ResponseOfSelf::Disappointed,
    );
    const CLOSE_HELPED: CombinationKey = (
        Wish::BeClose,
        ResponseOfOther::Helpful,
        ResponseOfSelf::Respected,
    );
    const ASSERT_STRONG_HELPFUL: CombinationKey = (
        Wish::AssertSelf,
        ResponseOfOther::Strong,
        ResponseOfSelf::Helpful,
    );
    const ASSERT_STRONG_UNRECEPTIVE: CombinationKey = (
        Wish::AssertSelf,
        ResponseOfOther::Strong,
        ResponseOfSelf::Unreceptive,
    );
    const CONTROLLED_STRONG_HELPFUL: CombinationKey = (
        Wish::BeControlled,
        ResponseOfOther::Strong,
        ResponseOfSelf::Helpful,
    );

    #[test]
    fn an_episode_with_an_empty_cluster_counts_in_frequency_but_forms_no_combination() {
        let sessions = [with(
            1,
            vec![
                full(1, LOVED_REJECTED),
                episode(2, Some(Wish::BeLoved), None, Some(ResponseOfSelf::Anxious)),
                episode(3, None, None, None),
                episode(
                    4,
                    Some(Wish::AssertSelf),
                    Some(ResponseOfOther::Controlling),
                    None,
                ),
            ],
        )];

        let themes = Themes::of(&sessions);

        // W: loved in episodes 1 and 2, assert in 4.
        assert_eq!(themes.wishes[&Wish::BeLoved], 2);
        assert_eq!(themes.wishes[&Wish::AssertSelf], 1);
        assert_eq!(themes.wishes.values().sum::<u32>(), 3);
        assert_eq!(themes.wishes.keys().copied().collect::<Vec<_>>(), Wish::ALL);
        // RO: rejecting in 1, controlling in 4.
        assert_eq!(themes.responses_of_other[&ResponseOfOther::Rejecting], 1);
        assert_eq!(themes.responses_of_other[&ResponseOfOther::Controlling], 1);
        assert_eq!(themes.responses_of_other.values().sum::<u32>(), 2);
        // RS: disappointed in 1, anxious in 2.
        assert_eq!(themes.responses_of_self[&ResponseOfSelf::Disappointed], 1);
        assert_eq!(themes.responses_of_self[&ResponseOfSelf::Anxious], 1);
        assert_eq!(themes.responses_of_self.values().sum::<u32>(), 2);
        // Only episode 1 has all three.
        assert_eq!(keys(&themes), [LOVED_REJECTED]);
        assert_eq!(themes.combinations[0].episodes, 1);
    }

    #[test]
    fn the_theme_is_the_combination_in_most_sessions_then_most_episodes_then_vocabulary_order() {
        let sessions = [
            with(
                1,
                vec![full(1, CLOSE_HELPED), full(2, CONTROLLED_STRONG_HELPFUL)],
            ),
            with(2, vec![full(3, LOVED_REJECTED), full(4, CLOSE_HELPED)]),
            with(3, vec![full(5, LOVED_REJECTED), full(6, LOVED_REJECTED)]),
            with(
                4,
                vec![
                    full(7, ASSERT_STRONG_UNRECEPTIVE),
                    full(8, ASSERT_STRONG_HELPFUL),
                ],
            ),
            session(5),
        ];

        let themes = Themes::of(&sessions);

        // Loved/rejected: sessions 2, 3 and 3 episodes. Close/helped:
        // sessions 1, 2 and 2 episodes. Three more with 1 session and 1
        // episode each, in vocabulary order: assert < controlled on W, then
        // helpful < unreceptive on RS.
        assert_eq!(
            keys(&themes),
            [
                LOVED_REJECTED,
                CLOSE_HELPED,
                ASSERT_STRONG_HELPFUL,
                ASSERT_STRONG_UNRECEPTIVE,
                CONTROLLED_STRONG_HELPFUL,
            ]
        );
        let theme = themes.most_pervasive.as_ref().unwrap();
        assert_eq!(theme.key(), LOVED_REJECTED);
        assert_eq!(theme.episodes, 3);
        let in_sessions: Vec<_> = theme.sessions.iter().map(|s| s.session_number).collect();
        assert_eq!(in_sessions, [2, 3]);
        // 2 of the 5 sessions with a reflection.
        assert_eq!(theme.pervasiveness, 0.4);
        assert_eq!(themes.pervasiveness(), Some(0.4));
        // Close/helped: 2 / 5 as well; the others 1 / 5.
        assert_eq!(themes.combinations[1].pervasiveness, 0.4);
        assert_eq!(themes.combinations[4].pervasiveness, 0.2);
    }

    #[test]
    fn a_tie_on_sessions_and_episodes_goes_to_vocabulary_order() {
        // Given loved first, but W: assert comes before loved.
        let sessions = [
            with(1, vec![full(1, LOVED_REJECTED)]),
            with(2, vec![full(2, ASSERT_STRONG_HELPFUL)]),
        ];

        let themes = Themes::of(&sessions);

        assert_eq!(themes.most_pervasive.unwrap().key(), ASSERT_STRONG_HELPFUL);
    }

    #[test]
    fn no_combination_means_no_theme_and_no_pervasiveness() {
        let sessions = [
            with(1, vec![episode(1, Some(Wish::BeLoved), None, None)]),
            session(2),
        ];

        let themes = Themes::of(&sessions);

        assert!(themes.combinations.is_empty());
        assert_eq!(themes.most_pervasive, None);
        assert_eq!(themes.pervasiveness(), None);
    }

    #[test]
    fn each_session_lists_its_clusters_sorted_without_repeats() {
        let sessions = [
            with(
                1,
                vec![
                    full(1, LOVED_REJECTED),
                    full(2, ASSERT_STRONG_HELPFUL),
                    episode(3, Some(Wish::BeLoved), None, Some(ResponseOfSelf::Helpful)),
                ],
            ),
            session(2),
        ];

        let themes = Themes::of(&sessions);

        let first = &themes.sessions[0];
        assert_eq!(first.wishes, [Wish::AssertSelf, Wish::BeLoved]);
        assert_eq!(
            first.responses_of_other,
            [ResponseOfOther::Strong, ResponseOfOther::Rejecting]
        );
        assert_eq!(
            first.responses_of_self,
            [ResponseOfSelf::Helpful, ResponseOfSelf::Disappointed]
        );
        let second = &themes.sessions[1];
        assert_eq!(second.session.session_number, 2);
        assert!(second.wishes.is_empty());
    }

    #[test]
    fn episodes_with_the_therapist_and_with_others_are_split_by_when() {
        use EpisodeWhen::*;
        use EpisodeWith::*;
        let sessions = [
            with(
                1,
                vec![
                    episode_with(1, Therapist, Some(InSession)),
                    episode_with(2, Therapist, Some(InSession)),
                    episode_with(3, Therapist, None),
                    episode_with(4, CurrentOther, Some(Recent)),
                ],
            ),
            with(
                2,
                vec![
                    episode_with(5, PastFigure, Some(LongAgo)),
                    episode_with(6, PastFigure, None),
                ],
            ),
        ];

        let themes = Themes::of(&sessions);

        // Therapist: 1, 2 in the session, 3 unrecorded.
        let therapist = &themes.with_therapist;
        assert_eq!(therapist.total, 3);
        assert_eq!(therapist.by_when[&InSession], 2);
        assert_eq!(therapist.by_when[&Recent], 0);
        assert_eq!(therapist.by_when[&LongAgo], 0);
        assert_eq!(therapist.when_unrecorded, 1);
        // Others: 4 recent (current other), 5 long ago and 6 unrecorded (past figure).
        let others = &themes.with_others;
        assert_eq!(others.total, 3);
        assert_eq!(others.by_when[&InSession], 0);
        assert_eq!(others.by_when[&Recent], 1);
        assert_eq!(others.by_when[&LongAgo], 1);
        assert_eq!(others.when_unrecorded, 1);
    }
}
