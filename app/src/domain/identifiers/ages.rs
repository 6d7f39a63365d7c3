//! Ages over 89, in digits or words ("she is 93", "a 94-year-old", "in her
//! 90s", "turned ninety-two"), and not the numbers of 90 or more that are
//! not ages ("90 minutes", "the 1990s", "session 103").

use super::{
    scan::{Span, Text},
    Candidate, IdentifierClass,
};

/// Words after a number that make it a quantity, not an age or a code.
const UNITS: &[&str] = &[
    "minutes", "minute", "mins", "min", "seconds", "hours", "hour", "hrs", "days", "day", "weeks",
    "week", "months", "month", "percent", "per", "mg", "ml", "mcg", "g", "kg", "lb", "lbs",
    "pounds", "dollars", "euros", "times", "sessions", "session", "points", "point", "people",
    "patients", "clients", "pages", "miles", "km", "steps", "beats", "bpm", "degrees", "words",
    "items", "cents", "calories", "units",
];

/// Words between a person and their age ("she is 93", "my grandmother
/// was 95").
const AGE_VERBS: &[&str] = &["is", "was", "be", "being", "now", "past"];

/// Words after which a number of 90 or more is an age, unless a unit
/// follows ("aged 91", "nearly 93", but "nearly 95 minutes").
const DIRECT_AGE_WORDS: &[&str] = &[
    "aged", "age", "ages", "turned", "turns", "turning", "reached", "reaching", "nearly", "almost",
];

/// Who can have an age, before "is" or "was" ("my grandmother is 95").
const PEOPLE: &[&str] = &[
    "she",
    "he",
    "they",
    "who",
    "i",
    "mother",
    "father",
    "mom",
    "mum",
    "dad",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "gran",
    "granny",
    "nan",
    "nana",
    "aunt",
    "uncle",
    "husband",
    "wife",
    "partner",
    "client",
    "patient",
    "neighbour",
    "neighbor",
    "sister",
    "brother",
    "son",
    "daughter",
    "friend",
    "parent",
    "stepmother",
    "stepfather",
    "godmother",
    "godfather",
    "widow",
    "widower",
    "man",
    "woman",
    "lady",
    "landlady",
    "landlord",
    "boss",
];

const DECADE_OWNERS: &[&str] = &["his", "her", "their", "my", "your", "our"];

const NINETY_WORDS: &[&str] = &[
    "ninety",
    "ninetyone",
    "ninetytwo",
    "ninetythree",
    "ninetyfour",
    "ninetyfive",
    "ninetysix",
    "ninetyseven",
    "ninetyeight",
    "ninetynine",
];

const ONES: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

pub(super) fn find(text: &Text, out: &mut Vec<Candidate>) {
    for (i, word) in text.words.iter().enumerate() {
        let Some(number) = age_number(text, i) else {
            continue;
        };
        let span = Span {
            start: word.start,
            end: number,
        };
        if is_decade(text, span) {
            if decade_is_a_persons(text, span) {
                out.push(Candidate::new(
                    IdentifierClass::AgeOver89,
                    span.start,
                    span.end,
                ));
            }
            continue;
        }
        if stated_as_age(text, span) {
            out.push(Candidate::new(
                IdentifierClass::AgeOver89,
                span.start,
                span.end,
            ));
        }
    }
}

/// Where a number of 90 or more that starts at word `i` ends: "93",
/// "ninety-two", "90s", "nineties", "102".
fn age_number(text: &Text, i: usize) -> Option<usize> {
    let word = text.words[i];
    let digits = text.digits_at(word.start);
    if digits == word.len() && (2..=3).contains(&digits) {
        let value = text.number(word);
        return (90..=125).contains(&value).then_some(word.end);
    }
    if digits == 2
        && text.spells(
            Span {
                start: word.start + 2,
                end: word.end,
            },
            &["s"],
        )
    {
        return (text.number(Span {
            start: word.start,
            end: word.start + 2,
        }) == 90)
            .then_some(word.end);
    }
    if text.spells(word, &["nineties"]) {
        return Some(word.end);
    }
    if text.spells(word, NINETY_WORDS) {
        if let Some(next) = text.words.get(i + 1) {
            let joined = next.start == word.end + 1 && matches!(text.at(word.end), Some('-' | ' '));
            if joined && text.spells(*next, ONES) {
                return Some(next.end);
            }
        }
        return Some(word.end);
    }
    None
}

fn is_decade(text: &Text, span: Span) -> bool {
    let last = text.chars[span.end - 1];
    last == 's' || last == 'S'
}

/// "in her 90s", "in his late nineties" (not "the '90s").
fn decade_is_a_persons(text: &Text, span: Span) -> bool {
    let before = text.words_before(span.start, 3);
    let owner = before.iter().position(|w| text.spells(*w, DECADE_OWNERS));
    match owner {
        Some(0) => true,
        Some(1) => text.spells(before[0], &["early", "mid", "late", "upper"]),
        _ => false,
    }
}

fn stated_as_age(text: &Text, span: Span) -> bool {
    if text.before(span.start) == Some('\'') || text.at(span.end) == Some('%') {
        return false;
    }
    let after = text.word_after(span.end).map(|w| text.words[w]);
    let unit_after =
        after.is_some_and(|w| text.spells(w, UNITS) && text.gap_is(span.end, w.start, &['-']));
    if unit_after {
        return false;
    }
    if let Some(after) = after {
        let gap_ok = text.gap_is(span.end, after.start, &['-']);
        if gap_ok && text.spells(after, &["year", "years", "yr", "yrs", "yo", "y"]) {
            return true;
        }
    }
    let before = text.words_before(span.start, 3);
    let Some(first) = before.first() else {
        return false;
    };
    if text.spells(*first, DIRECT_AGE_WORDS) {
        return true;
    }
    if text.spells(*first, &["at"]) {
        // "At 97 she still writes", "died at 104," (not "at 104 Elm Street").
        let next_capitalised = after.is_some_and(|w| {
            text.gap_is(span.end, w.start, &[]) && text.chars[w.start].is_uppercase()
        });
        return !next_capitalised && text.at(span.end) != Some(':');
    }
    // "her aunt, 99, wants": a person, then the age between commas.
    let between_commas = text.before(span.start) == Some(' ')
        && text.before(span.start - 1) == Some(',')
        && text.at(span.end) == Some(',');
    if between_commas && is_person(text, *first) {
        return true;
    }
    let contracted =
        text.spells(*first, &["s"]) && matches!(text.before(first.start), Some('\'' | '’'));
    if contracted || text.spells(*first, AGE_VERBS) {
        // "she is 93", "my grandmother, now 102,": a person, then the verb.
        let person = before.get(1).is_some_and(|w| is_person(text, *w));
        let aside = text.spells(*first, &["now"])
            && text.before(first.start).is_some_and(|c| c == ' ')
            && text.before(first.start - 1) == Some(',');
        return person || aside;
    }
    false
}

/// A word naming someone who can have an age: "she", "grandmother", or a
/// capitalised name ("Daniel is 90").
fn is_person(text: &Text, word: Span) -> bool {
    text.spells(word, PEOPLE) || text.chars[word.start].is_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, expected: &str) {
        let found = crate::domain::identifiers::proposals(text, find);
        assert!(
            found.contains(&(expected.to_string(), IdentifierClass::AgeOver89)),
            "{text:?}: expected {expected:?}, found {found:?}"
        );
    }

    #[test]
    fn ages_over_89_in_words_and_digits() {
        for (text, age) in [
            ("she is 93", "93"),
            ("aged 91", "91"),
            ("a 94-year-old", "94"),
            ("96 years old", "96"),
            ("her grandmother, now 102, lives", "102"),
            ("in her 90s", "90s"),
            ("in his late nineties", "nineties"),
            ("turned ninety-two", "ninety-two"),
            ("my grandmother is 95", "95"),
            ("she's 97", "97"),
        ] {
            one(text, age);
        }
    }
}
