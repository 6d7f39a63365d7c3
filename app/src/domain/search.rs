//! Searching a therapist's own reflections. Free text is encrypted at rest,
//! so SQL cannot match it: the server keeps a keyed index of each
//! reflection's words (see `server::search`), made from [`indexed_words`],
//! and finds the passage to show here, on the decrypted reflections of the
//! page shown. A search finds whole words, ignoring case.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{
    cases::CaseId,
    reflection::Reflection,
    time::parse_iso_date,
    validation::FieldErrors,
    vocabulary::{Cluster, ReactionDimension},
};

/// Characters of context shown on each side of a match.
const CONTEXT_CHARS: usize = 80;

/// Results shown per page.
pub const RESULTS_PER_PAGE: usize = 50;

/// Words of a search beyond this many are ignored.
const MAX_WORDS: usize = 20;

/// A word of a text: a run of letters and digits (so `client's` is two
/// words, `client` and `s`), where it stands in characters, and lower-cased
/// as searches compare it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub char_start: usize,
    pub char_len: usize,
    pub lowered: String,
}

/// The words of `text`, in order.
pub fn words_of(text: &str) -> impl Iterator<Item = Word> + '_ {
    let mut chars = text.chars().enumerate().peekable();
    std::iter::from_fn(move || {
        while chars.next_if(|(_, c)| !c.is_alphanumeric()).is_some() {}
        let (char_start, first) = chars.next()?;
        let mut lowered: String = first.to_lowercase().collect();
        let mut char_len = 1;
        while let Some((_, c)) = chars.next_if(|(_, c)| c.is_alphanumeric()) {
            lowered.extend(c.to_lowercase());
            char_len += 1;
        }
        Some(Word {
            char_start,
            char_len,
            lowered,
        })
    })
}

/// Every distinct word of a reflection's text, private parts included: the
/// index is its author's alone.
pub fn indexed_words(reflection: &Reflection) -> BTreeSet<String> {
    reflection
        .passages()
        .into_iter()
        .flat_map(|(_, text)| words_of(text).map(|word| word.lowered))
        .collect()
}

/// The search form as typed (it is a plain GET form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchInput {
    pub words: String,
    pub dimension: String,
    pub min_intensity: String,
    pub cluster: String,
    pub case: String,
    pub from: String,
    pub to: String,
    /// Which page of results, from 1; empty for the first.
    pub page: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Lower-cased words that must all appear.
    pub words: Vec<String>,
    pub dimension: Option<ReactionDimension>,
    pub min_intensity: u8,
    pub cluster: Option<Cluster>,
    pub case: Option<CaseId>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// From 1.
    pub page: usize,
}

/// Where a reflection matched, to show in the results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Which part of the reflection, e.g. `Enactment`.
    pub label: String,
    pub before: String,
    pub matched: String,
    pub after: String,
}

impl SearchInput {
    /// Whether the form asks for anything (an empty form shows no results).
    pub fn is_empty(&self) -> bool {
        [
            &self.words,
            &self.dimension,
            &self.cluster,
            &self.case,
            &self.from,
            &self.to,
        ]
        .iter()
        .all(|value| value.trim().is_empty())
    }

    pub fn parse(&self) -> Result<SearchQuery, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut words: Vec<String> = Vec::new();
        for word in words_of(&self.words).map(|word| word.lowered) {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        words.truncate(MAX_WORDS);
        if words.is_empty() && !self.words.trim().is_empty() {
            errors.add("words", "Search for words made of letters or digits.");
        }
        let dimension = match self.dimension.trim() {
            "" => None,
            slug => errors.check(
                "dimension",
                ReactionDimension::parse(slug).ok_or("Choose a reaction from the list."),
            ),
        };
        let min_intensity = match self.min_intensity.trim() {
            "" => 1,
            text => errors
                .check(
                    "min_intensity",
                    text.parse::<u8>()
                        .ok()
                        .filter(|value| (1..=5).contains(value))
                        .ok_or("Choose an intensity from 1 to 5."),
                )
                .unwrap_or(1),
        };
        let cluster = match self.cluster.trim() {
            "" => None,
            slug => errors.check(
                "cluster",
                Cluster::parse(slug).ok_or("Choose a theme from the list."),
            ),
        };
        let case = match self.case.trim() {
            "" => None,
            id => errors.check(
                "case",
                id.parse::<i64>()
                    .map(CaseId)
                    .map_err(|_| "Choose one of your cases."),
            ),
        };
        let date = |errors: &mut FieldErrors, field: &str, text: &str| match text.trim() {
            "" => None,
            text => errors.check(
                field,
                parse_iso_date(text)
                    .map(|_| text.to_string())
                    .ok_or("Enter a real date, for example 2026-03-01."),
            ),
        };
        let from = date(&mut errors, "from", &self.from);
        let to = date(&mut errors, "to", &self.to);
        if let (Some(from), Some(to)) = (&from, &to) {
            if from > to {
                errors.add("to", "The end date is before the start date.");
            }
        }
        let page = match self.page.trim() {
            "" => 1,
            text => errors
                .check(
                    "page",
                    text.parse::<usize>()
                        .ok()
                        .filter(|page| (1..=10_000).contains(page))
                        .ok_or("There is no such page of results; start from the first."),
                )
                .unwrap_or(1),
        };
        errors.into_result()?;
        Ok(SearchQuery {
            words,
            dimension,
            min_intensity,
            cluster,
            case,
            from,
            to,
            page,
        })
    }
}

impl SearchQuery {
    /// The items of this query's page among `all`, and how many there are.
    pub fn page_of<T>(&self, all: Vec<T>) -> (Vec<T>, usize) {
        let total = all.len();
        let shown = all
            .into_iter()
            .skip((self.page - 1).saturating_mul(RESULTS_PER_PAGE))
            .take(RESULTS_PER_PAGE)
            .collect();
        (shown, total)
    }

    /// Whether the reflection matches, by the same rules the server's index
    /// follows (the index chooses which reflections a page shows; this finds
    /// what to show of each).
    ///
    /// `None` when the reflection does not match; otherwise the passage to
    /// show (the first word's first occurrence, or, for a search without
    /// words, the reflection's first passage, if it has any text).
    pub fn matches(&self, reflection: &Reflection) -> Option<Option<Passage>> {
        if let Some(dimension) = self.dimension {
            let felt = reflection.reactions.iter().any(|reaction| {
                reaction.dimension == dimension && reaction.intensity >= self.min_intensity
            });
            if !felt {
                return None;
            }
        }
        if let Some(cluster) = self.cluster {
            let present = reflection.episodes.iter().any(|episode| match cluster {
                Cluster::Wish(wish) => episode.wish == Some(wish),
                Cluster::ResponseOfOther(ro) => episode.response_of_other == Some(ro),
                Cluster::ResponseOfSelf(rs) => episode.response_of_self == Some(rs),
            });
            if !present {
                return None;
            }
        }
        let passages = reflection.passages();
        let words: Vec<Vec<Word>> = passages
            .iter()
            .map(|(_, text)| words_of(text).collect())
            .collect();
        let holds = |wanted: &str| words.iter().flatten().any(|word| word.lowered == wanted);
        if !self.words.iter().all(|wanted| holds(wanted)) {
            return None;
        }
        let Some(first_word) = self.words.first() else {
            return Some(
                passages
                    .first()
                    .map(|(label, text)| excerpt(label, text, 0, 0)),
            );
        };
        let passage = passages
            .iter()
            .zip(&words)
            .find_map(|((label, text), words)| {
                let word = words.iter().find(|word| &word.lowered == first_word)?;
                Some(excerpt(label, text, word.char_start, word.char_len))
            });
        Some(passage)
    }
}

fn excerpt(label: &str, text: &str, start: usize, len: usize) -> Passage {
    let chars: Vec<char> = text.chars().collect();
    let start = start.min(chars.len());
    let end = (start + len).min(chars.len());
    let context_start = start.saturating_sub(CONTEXT_CHARS);
    let context_end = (end + CONTEXT_CHARS).min(chars.len());
    let mut before: String = chars[context_start..start].iter().collect();
    if context_start > 0 {
        before.insert(0, '…');
    }
    let mut after: String = chars[end..context_end].iter().collect();
    if context_end < chars.len() {
        after.push('…');
    }
    Passage {
        label: label.to_string(),
        before,
        matched: chars[start..end].iter().collect(),
        after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        reflection::{Choices, Episode, Reaction},
        vocabulary::{EpisodeWith, ResponseOfOther, Wish},
    };

    fn reflection() -> Reflection {
        Reflection {
            session_number: 4,
            session_date: "2026-10-01".to_string(),
            reactions: vec![Reaction {
                id: None,
                dimension: ReactionDimension::Helpless,
                intensity: 3,
                text: "Felt useless when ÉMILE's name came up again.".to_string(),
            }],
            trigger: Choices::default(),
            manifestation: Choices::default(),
            management: Choices::default(),
            origin: Choices::default(),
            racker: None,
            racker_object: String::new(),
            racker_note: String::new(),
            enactment: "I offered an extra session without thinking.".to_string(),
            interventions: Vec::new(),
            episodes: vec![Episode {
                id: None,
                with_whom: EpisodeWith::Therapist,
                when: None,
                wish: Some(Wish::BeLoved),
                wish_text: String::new(),
                response_of_other: Some(ResponseOfOther::Rejecting),
                response_of_other_text: String::new(),
                response_of_self: None,
                response_of_self_text: String::new(),
            }],
            private_notes: "My own supervisor would call this rescuing.".to_string(),
        }
    }

    fn query(input: SearchInput) -> SearchQuery {
        input.parse().unwrap()
    }

    #[test]
    fn results_come_a_page_at_a_time() {
        let page = |text: &str| {
            SearchInput {
                words: "x".to_string(),
                page: text.to_string(),
                ..SearchInput::default()
            }
            .parse()
        };
        let all: Vec<usize> = (0..120).collect();
        let (first, total) = page("").unwrap().page_of(all.clone());
        assert_eq!((first.len(), first[0], total), (RESULTS_PER_PAGE, 0, 120));
        let (third, _) = page("3").unwrap().page_of(all.clone());
        assert_eq!(third, (100..120).collect::<Vec<_>>());
        let (beyond, total) = page("4").unwrap().page_of(all);
        assert!(beyond.is_empty() && total == 120);
        for bad in ["0", "-1", "two", "10001"] {
            assert!(page(bad).unwrap_err().get("page").is_some(), "{bad}");
        }
    }

    #[test]
    fn all_words_must_appear_in_any_field_ignoring_case() {
        let found = query(SearchInput {
            words: "EXTRA rescuing".to_string(),
            ..SearchInput::default()
        })
        .matches(&reflection())
        .unwrap()
        .unwrap();
        assert_eq!(found.label, "Enactment");
        assert_eq!(found.matched, "extra");
        assert_eq!(found.before, "I offered an ");
        let missing = query(SearchInput {
            words: "extra absent".to_string(),
            ..SearchInput::default()
        });
        assert_eq!(missing.matches(&reflection()), None);
    }

    #[test]
    fn private_notes_are_searched_for_their_author() {
        let found = query(SearchInput {
            words: "rescuing".to_string(),
            ..SearchInput::default()
        })
        .matches(&reflection())
        .unwrap()
        .unwrap();
        assert_eq!(found.label, "Private notes");
    }

    #[test]
    fn matches_keep_the_original_spelling_around_non_ascii_text() {
        let found = query(SearchInput {
            words: "émile".to_string(),
            ..SearchInput::default()
        })
        .matches(&reflection())
        .unwrap()
        .unwrap();
        assert_eq!(found.matched, "ÉMILE");
        assert_eq!(found.label, "Reaction: Helpless / inadequate");
    }

    #[test]
    fn dimension_search_respects_the_minimum_intensity() {
        let at_least = |min: &str| {
            query(SearchInput {
                dimension: "helpless".to_string(),
                min_intensity: min.to_string(),
                ..SearchInput::default()
            })
            .matches(&reflection())
            .is_some()
        };
        assert!(at_least("3"));
        assert!(at_least(""));
        assert!(!at_least("4"));
        let other = query(SearchInput {
            dimension: "sexualized".to_string(),
            ..SearchInput::default()
        });
        assert_eq!(other.matches(&reflection()), None);
    }

    #[test]
    fn theme_search_finds_the_cluster_in_its_component() {
        let with_cluster = |slug: &str| {
            query(SearchInput {
                cluster: slug.to_string(),
                ..SearchInput::default()
            })
            .matches(&reflection())
            .is_some()
        };
        assert!(with_cluster("w_loved"));
        assert!(with_cluster("ro_rejecting"));
        assert!(!with_cluster("rs_helpless"));
        assert!(!with_cluster("w_close"));
    }

    #[test]
    fn long_passages_are_cut_around_the_match() {
        let mut long = reflection();
        long.enactment = format!("{} needle {}", "a".repeat(200), "b".repeat(200));
        let found = query(SearchInput {
            words: "needle".to_string(),
            ..SearchInput::default()
        })
        .matches(&long)
        .unwrap()
        .unwrap();
        assert!(found.before.starts_with('…') && found.after.ends_with('…'));
        assert_eq!(found.before.chars().count(), CONTEXT_CHARS + 1);
        assert_eq!(found.matched, "needle");
    }

    #[test]
    fn bad_filters_are_reported_at_their_field() {
        let errors = SearchInput {
            dimension: "angry".to_string(),
            min_intensity: "9".to_string(),
            cluster: "w_nothing".to_string(),
            case: "abc".to_string(),
            from: "2026-12-01".to_string(),
            to: "2026-11-01".to_string(),
            ..SearchInput::default()
        }
        .parse()
        .unwrap_err();
        for field in ["dimension", "min_intensity", "cluster", "case", "to"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_lower_cased() {
        let words: Vec<Word> = words_of("  Émile's  2nd-session, ΣΟΦΙΑ!").collect();
        let lowered: Vec<&str> = words.iter().map(|word| word.lowered.as_str()).collect();
        assert_eq!(lowered, ["émile", "s", "2nd", "session", "σοφια"]);
        assert_eq!((words[0].char_start, words[0].char_len), (2, 5));
        assert_eq!((words[3].char_start, words[3].char_len), (15, 7));
        assert_eq!(words_of(" ,.; ").count(), 0);
        assert_eq!(words_of("").count(), 0);
    }

    #[test]
    fn a_search_finds_whole_words_only() {
        let find = |words: &str| {
            query(SearchInput {
                words: words.to_string(),
                ..SearchInput::default()
            })
            .matches(&reflection())
            .is_some()
        };
        assert!(find("rescuing"));
        assert!(!find("rescu"));
        assert!(!find("escuing"));
        assert!(find("supervisor's"));
        assert!(find("Émile"));
    }

    #[test]
    fn search_words_are_split_like_the_text_and_counted_once() {
        let parsed = query(SearchInput {
            words: "Counter-transference, counter  RESCUING".to_string(),
            ..SearchInput::default()
        });
        assert_eq!(parsed.words, ["counter", "transference", "rescuing"]);
        let punctuation = SearchInput {
            words: "?! --".to_string(),
            ..SearchInput::default()
        };
        assert!(punctuation.parse().unwrap_err().get("words").is_some());
        let many: Vec<String> = (0..30).map(|n| format!("w{n}")).collect();
        let parsed = query(SearchInput {
            words: many.join(" "),
            ..SearchInput::default()
        });
        assert_eq!(parsed.words.len(), MAX_WORDS);
    }

    #[test]
    fn the_index_holds_every_distinct_word_private_parts_included() {
        let mut repeated = reflection();
        repeated.enactment = "I offered an extra session, again, without thinking.".to_string();
        let words: Vec<String> = indexed_words(&repeated).into_iter().collect();
        let mut expected = [
            "felt",
            "useless",
            "when",
            "émile",
            "s",
            "name",
            "came",
            "up",
            "again",
            "i",
            "offered",
            "an",
            "extra",
            "session",
            "without",
            "thinking",
            "my",
            "own",
            "supervisor",
            "would",
            "call",
            "this",
            "rescuing",
        ];
        expected.sort_unstable();
        assert_eq!(words, expected);
    }

    #[test]
    fn an_empty_form_is_recognised() {
        assert!(SearchInput::default().is_empty());
        assert!(!SearchInput {
            from: "2026-01-01".to_string(),
            ..SearchInput::default()
        }
        .is_empty());
    }
}
