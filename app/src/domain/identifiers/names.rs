//! The names the therapist listed for a case, wherever they appear: in any
//! letter case, however their accents were typed, with a possessive, and
//! with invisible characters slipped inside them.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::{scan::Text, Candidate, IdentifierClass};
use crate::domain::text::is_hidden;

/// One character of the text as names are compared: decomposed, lower
/// case, and carrying the index of the character it came from.
#[derive(Clone, Copy)]
struct Folded {
    c: char,
    from: usize,
}

fn is_mark(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::NonspacingMark
            | GeneralCategory::SpacingMark
            | GeneralCategory::EnclosingMark
    )
}

fn is_name_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_mark(c)
    }
}

fn fold(text: &Text) -> Vec<Folded> {
    let mut folded = Vec::with_capacity(text.len());
    for (from, &c) in text.chars.iter().enumerate() {
        if c.is_ascii() && !c.is_ascii_control() {
            folded.push(Folded {
                c: c.to_ascii_lowercase(),
                from,
            });
        } else if c.is_whitespace() {
            folded.push(Folded { c: ' ', from });
        } else if !is_hidden(c) {
            let mut buffer = [0u8; 4];
            for decomposed in c.encode_utf8(&mut buffer).nfd() {
                folded.extend(decomposed.to_lowercase().map(|c| Folded { c, from }));
            }
        }
    }
    folded
}

/// A name as it is compared: decomposed, lower case, invisible characters
/// gone, and one space between its words.
fn pattern(name: &str) -> Vec<char> {
    let mut pattern = Vec::new();
    for c in name.nfd().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            if pattern.last().is_some_and(|last| *last != ' ') {
                pattern.push(' ');
            }
        } else if !is_hidden(c) {
            pattern.push(c);
        }
    }
    while pattern.last() == Some(&' ') {
        pattern.pop();
    }
    pattern
}

pub(super) fn find(text: &Text, names: &[String], out: &mut Vec<Candidate>) {
    let patterns: Vec<Vec<char>> = names
        .iter()
        .map(|name| pattern(name))
        .filter(|p| !p.is_empty())
        .collect();
    if patterns.is_empty() {
        return;
    }
    let folded = fold(text);
    for start in 0..folded.len() {
        let at_word_start = start == 0 || !is_name_char(folded[start - 1].c);
        if !at_word_start || !is_name_char(folded[start].c) {
            continue;
        }
        for pattern in patterns.iter().filter(|p| p[0] == folded[start].c) {
            if let Some(end) = match_at(&folded, start, pattern) {
                let end = past_possessive(&folded, end, pattern);
                let last = folded[end - 1].from;
                out.push(Candidate::new(
                    IdentifierClass::Name,
                    folded[start].from,
                    last + 1,
                ));
            }
        }
    }
}

/// Where `pattern` ends if it matches, as a whole word, at `start`.
fn match_at(folded: &[Folded], start: usize, pattern: &[char]) -> Option<usize> {
    let mut i = start;
    for &expected in pattern {
        if expected == ' ' {
            let spaces = folded[i..].iter().take_while(|f| f.c == ' ').count();
            if spaces == 0 {
                return None;
            }
            i += spaces;
        } else if folded.get(i)?.c == expected {
            i += 1;
        } else {
            return None;
        }
    }
    let whole_word = folded.get(i).is_none_or(|f| !is_name_char(f.c));
    whole_word.then_some(i)
}

/// "Maria's", "Maria’s", "Thomas'": the possessive belongs to the name.
fn past_possessive(folded: &[Folded], end: usize, pattern: &[char]) -> usize {
    let apostrophe = |i: usize| folded.get(i).is_some_and(|f| matches!(f.c, '\'' | '’'));
    let word_ends = |i: usize| folded.get(i).is_none_or(|f| !is_name_char(f.c));
    if apostrophe(end) && folded.get(end + 1).is_some_and(|f| f.c == 's') && word_ends(end + 2) {
        end + 2
    } else if apostrophe(end) && pattern.last() == Some(&'s') && word_ends(end + 1) {
        end + 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(text: &str, names: &[&str]) -> Vec<String> {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let text = Text::new(text);
        let mut out = Vec::new();
        find(&text, &names, &mut out);
        out.iter()
            .map(|c| text.chars[c.span.start..c.span.end].iter().collect())
            .collect()
    }

    #[test]
    fn every_occurrence_in_any_case_with_its_possessive() {
        assert_eq!(
            names_in(
                "Maria's mother called MARIA, and maria’s sister (Maria) too.",
                &["Maria"]
            ),
            ["Maria's", "MARIA", "maria’s", "Maria"]
        );
        assert_eq!(names_in("Thomas' father", &["Thomas"]), ["Thomas'"]);
    }

    #[test]
    fn only_whole_words() {
        assert!(names_in(
            "Mariana and Tomasz, the Bellamy house",
            &["Maria", "Tom", "Bell"]
        )
        .is_empty());
        assert!(names_in("Zoë", &["Zoe"]).is_empty());
    }

    #[test]
    fn accents_typed_either_way_and_invisible_characters_do_not_hide_a_name() {
        assert_eq!(names_in("Toma\u{301}s came", &["Tomás"]), ["Toma\u{301}s"]);
        assert_eq!(names_in("Tomás came", &["Toma\u{301}s"]), ["Tomás"]);
        assert_eq!(
            names_in("Ma\u{200B}ria left", &["Maria"]),
            ["Ma\u{200B}ria"]
        );
        assert_eq!(names_in("Mar\u{AD}ia left", &["Maria"]), ["Mar\u{AD}ia"]);
        assert_eq!(names_in("Maria left", &["Ma\u{200D}ria"]), ["Maria"]);
    }

    #[test]
    fn names_of_several_words_match_across_any_spacing() {
        assert_eq!(
            names_in("I thought of Ana  María\nand ana maría.", &["Ana María"]),
            ["Ana  María", "ana maría"]
        );
    }

    #[test]
    fn spans_point_at_the_original_characters() {
        let text = Text::new("İ saw Maria");
        let mut out = Vec::new();
        find(&text, &["maria".to_string()], &mut out);
        assert_eq!((out[0].span.start, out[0].span.end), (6, 11));
    }
}
