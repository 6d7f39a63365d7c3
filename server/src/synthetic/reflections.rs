//! Whole synthetic reflections: a session's structure (see `sessions`)
//! with the rest of what a therapist records drawn around it — Hayes'
//! four lists (the private origin included), Racker's identification, an
//! enactment now and then, the target of interventions, private notes —
//! and a few sentences from [`WORDS`] in every text field. The words are
//! plain lower-case vocabulary, so the identifier check finds nothing in
//! them (tested below).

use app::domain::{
    analytics::SessionFacts,
    reflection::{Choices, Episode, Intervention, Reaction, Reflection},
    vocabulary::{
        HayesManagement, HayesManifestation, HayesOrigin, HayesTrigger, RackerIdentification,
        TargetPerson,
    },
};

use super::Draws;

/// What reflections are written with.
pub const WORDS: &[&str] = &[
    "anger",
    "session",
    "silence",
    "mother",
    "father",
    "sister",
    "brother",
    "partner",
    "work",
    "dream",
    "loss",
    "fear",
    "shame",
    "guilt",
    "longing",
    "distance",
    "closeness",
    "waiting",
    "room",
    "chair",
    "door",
    "late",
    "early",
    "again",
    "still",
    "never",
    "always",
    "perhaps",
    "felt",
    "seemed",
    "noticed",
    "wondered",
    "said",
    "asked",
    "paused",
    "returned",
    "avoided",
    "described",
    "remembered",
    "forgot",
    "cried",
    "laughed",
    "looked",
    "away",
    "toward",
    "me",
    "her",
    "him",
    "them",
    "the",
    "a",
    "of",
    "and",
    "but",
    "when",
    "while",
    "after",
    "before",
    "about",
    "into",
    "with",
    "without",
    "as",
    "if",
    "it",
    "was",
    "were",
    "had",
    "could",
    "would",
    "not",
    "quite",
    "very",
    "small",
    "heavy",
    "tired",
    "restless",
    "quiet",
    "sharp",
    "warm",
    "cold",
    "old",
    "familiar",
    "strange",
    "childhood",
    "holiday",
    "weekend",
    "phone",
    "message",
    "money",
    "fee",
    "break",
    "ending",
    "beginning",
    "question",
    "answer",
    "pressure",
    "wish",
    "rejection",
    "care",
    "help",
    "criticism",
    "praise",
    "envy",
    "rivalry",
    "attachment",
    "defence",
    "irritation",
    "boredom",
    "sleepy",
    "drawn",
    "pushed",
    "held",
    "dropped",
    "hurt",
    "relief",
    "hope",
    "doubt",
    "body",
    "chest",
    "throat",
    "hands",
    "voice",
    "tone",
    "story",
    "memory",
    "picture",
    "feeling",
    "thought",
    "link",
    "pattern",
    "repeat",
    "rescue",
    "blame",
    "control",
    "trust",
    "test",
    "limit",
    "frame",
    "boundary",
    "interpretation",
    "response",
];

/// A sentence of 5 to 14 words, the first capitalised, ending in a full stop.
fn sentence(draws: &mut Draws) -> String {
    let length = draws.between(5, 14);
    let mut sentence = String::new();
    for index in 0..length {
        let word = draws.pick(WORDS);
        if index == 0 {
            let mut letters = word.chars();
            if let Some(first) = letters.next() {
                sentence.extend(first.to_uppercase());
                sentence.push_str(letters.as_str());
            }
        } else {
            sentence.push(' ');
            sentence.push_str(word);
        }
    }
    sentence.push('.');
    sentence
}

/// `low` to `high` sentences.
pub fn text(draws: &mut Draws, low: usize, high: usize) -> String {
    (0..draws.between(low, high))
        .map(|_| sentence(draws))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text `percent` times in a hundred, else nothing.
fn sometimes(draws: &mut Draws, percent: usize, low: usize, high: usize) -> String {
    if draws.chance(percent) {
        text(draws, low, high)
    } else {
        String::new()
    }
}

/// Each choice of a list picked `percent` times in a hundred, with a note
/// when anything was picked.
fn choices<T: Copy>(draws: &mut Draws, all: &[T], percent: usize) -> Choices<T> {
    let picked: Vec<T> = all
        .iter()
        .copied()
        .filter(|_| draws.chance(percent))
        .collect();
    let note = if picked.is_empty() {
        String::new()
    } else {
        text(draws, 1, 2)
    };
    Choices { picked, note }
}

/// The reflection of one session: `facts` as drawn for the case, on
/// `session_date`, with everything else drawn from `draws`.
pub fn reflection(facts: &SessionFacts, session_date: String, draws: &mut Draws) -> Reflection {
    let reactions = facts
        .reactions
        .iter()
        .map(|reaction| Reaction {
            id: None,
            dimension: reaction.dimension,
            intensity: reaction.intensity,
            text: text(draws, 1, 3),
        })
        .collect();
    let interventions = facts
        .interventions
        .iter()
        .map(|intervention| Intervention {
            id: None,
            kind: intervention.kind,
            timing: intervention.timing,
            depth: intervention.depth,
            target: if intervention.kind.is_interpretation() {
                Some(draws.pick(TargetPerson::ALL))
            } else {
                draws.maybe(60, TargetPerson::ALL)
            },
            response: intervention.response,
            text: text(draws, 1, 2),
        })
        .collect();
    let episodes = facts
        .episodes
        .iter()
        .map(|episode| Episode {
            id: None,
            with_whom: episode.with_whom,
            when: episode.when,
            wish: episode.wish,
            wish_text: text(draws, 1, 1),
            response_of_other: episode.response_of_other,
            response_of_other_text: sometimes(draws, 80, 1, 1),
            response_of_self: episode.response_of_self,
            response_of_self_text: sometimes(draws, 70, 1, 1),
        })
        .collect();
    let racker = draws.maybe(50, RackerIdentification::ALL);
    Reflection {
        session_number: facts.session_number,
        session_date,
        reactions,
        trigger: choices(draws, HayesTrigger::ALL, 25),
        manifestation: choices(draws, HayesManifestation::ALL, 25),
        management: choices(draws, HayesManagement::ALL, 25),
        origin: choices(draws, HayesOrigin::ALL, 20),
        racker,
        racker_object: if racker == Some(RackerIdentification::Complementary) {
            text(draws, 1, 1)
        } else {
            String::new()
        },
        racker_note: if racker.is_some() {
            text(draws, 1, 2)
        } else {
            String::new()
        },
        enactment: sometimes(draws, 30, 1, 3),
        interventions,
        episodes,
        private_notes: sometimes(draws, 50, 1, 4),
    }
}

#[cfg(test)]
mod tests {
    use app::domain::{
        cases::CaseId,
        identifiers::{
            review::{pending_in, review},
            Watchlist,
        },
        reflection::{ReflectionId, SharedReflection},
    };

    use super::*;
    use crate::synthetic::sessions_from;

    fn reflections(seed: u64, count: u32) -> Vec<Reflection> {
        let mut structure = Draws::new(seed);
        let mut texts = Draws::new(seed).fork(1);
        sessions_from(&mut structure, count)
            .iter()
            .map(|facts| reflection(facts, "2026-01-05".to_string(), &mut texts))
            .collect()
    }

    #[test]
    fn the_same_seed_writes_the_same_reflections() {
        assert_eq!(reflections(9, 20), reflections(9, 20));
        assert_ne!(reflections(9, 20), reflections(10, 20));
    }

    #[test]
    fn every_field_is_written_somewhere_and_within_the_limits() {
        let written = reflections(3, 200);
        assert!(written.iter().all(|reflection| {
            reflection
                .reactions
                .iter()
                .all(|reaction| (1..=5).contains(&reaction.intensity) && !reaction.text.is_empty())
                && reflection
                    .interventions
                    .iter()
                    .all(|intervention| (1..=5).contains(&intervention.depth))
                && reflection
                    .passages()
                    .iter()
                    .all(|(_, text)| text.chars().count() <= 4_000)
        }));
        let any = |has: fn(&Reflection) -> bool| written.iter().any(has);
        assert!(any(|r| !r.private_notes.is_empty()));
        assert!(any(
            |r| !r.origin.picked.is_empty() && !r.origin.note.is_empty()
        ));
        assert!(any(|r| !r.enactment.is_empty()));
        assert!(any(|r| r.racker
            == Some(RackerIdentification::Complementary)
            && !r.racker_object.is_empty()));
        assert!(any(|r| r.interventions.iter().any(|i| i.target.is_some())));
        assert!(any(|r| r
            .episodes
            .iter()
            .any(|e| !e.response_of_self_text.is_empty())));
    }

    #[test]
    fn the_identifier_check_finds_nothing_in_the_words() {
        for (index, written) in reflections(5, 100).into_iter().enumerate() {
            let shared = SharedReflection {
                id: ReflectionId(index as i64 + 1),
                case_id: CaseId(1),
                version: 1,
                session_number: written.session_number,
                week: 1,
                reactions: written.reactions,
                trigger: written.trigger,
                manifestation: written.manifestation,
                management: written.management,
                racker: written.racker,
                racker_object: written.racker_object,
                racker_note: written.racker_note,
                enactment: written.enactment,
                interventions: written.interventions,
                episodes: written.episodes,
            };
            let names = ["Marguerite".to_string()];
            let codes = ["C-01".to_string()];
            let watchlist = Watchlist {
                names: &names,
                own_codes: &codes,
            };
            let found = review(&shared, watchlist, |_| String::new(), |_| false);
            assert_eq!(pending_in(&found), 0, "{found:?}");
        }
    }
}
