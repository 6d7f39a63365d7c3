//! The text as the detectors read it: characters addressed by their index
//! (so every span is counted in code points) and the words between them.

/// A range of character indices, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn len(self) -> usize {
        self.end - self.start
    }
}

pub(super) struct Text {
    pub chars: Vec<char>,
    /// Runs of letters and digits, in order.
    pub words: Vec<Span>,
}

impl Text {
    pub fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in chars.iter().enumerate() {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    words.push(Span { start: s, end: i });
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push(Span {
                start: s,
                end: chars.len(),
            });
        }
        Text { chars, words }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    pub fn before(&self, i: usize) -> Option<char> {
        i.checked_sub(1).and_then(|j| self.at(j))
    }

    pub fn is_word_char(&self, i: usize) -> bool {
        self.at(i).is_some_and(char::is_alphanumeric)
    }

    pub fn is_digit(&self, i: usize) -> bool {
        self.at(i).is_some_and(|c| c.is_ascii_digit())
    }

    /// How many ASCII digits start at `i`.
    pub fn digits_at(&self, i: usize) -> usize {
        self.chars.get(i..).map_or(0, |rest| {
            rest.iter().take_while(|c| c.is_ascii_digit()).count()
        })
    }

    /// The value of the ASCII digits in `span` (saturating; spans are short).
    pub fn number(&self, span: Span) -> u32 {
        self.chars[span.start..span.end]
            .iter()
            .filter_map(|c| c.to_digit(10))
            .fold(0u32, |n, d| n.saturating_mul(10).saturating_add(d))
    }

    /// Whether the characters of `span` spell one of `options` (ASCII
    /// words), ignoring letter case.
    pub fn spells(&self, span: Span, options: &[&str]) -> bool {
        let chars = &self.chars[span.start..span.end];
        options.iter().any(|option| {
            debug_assert!(option.is_ascii());
            option.len() == chars.len()
                && option
                    .bytes()
                    .zip(chars)
                    .all(|(a, b)| char::from(a).eq_ignore_ascii_case(b))
        })
    }

    /// Whether the text at `i` starts with `prefix`, ignoring ASCII case.
    pub fn starts_with_at(&self, i: usize, prefix: &str) -> bool {
        let mut index = i;
        for expected in prefix.chars() {
            match self.at(index) {
                Some(c) if c.eq_ignore_ascii_case(&expected) => index += 1,
                _ => return false,
            }
        }
        true
    }

    /// The index in `words` of the last word that ends at or before `i`.
    pub fn word_before(&self, i: usize) -> Option<usize> {
        let after = self.words.partition_point(|w| w.end <= i);
        after.checked_sub(1)
    }

    /// The index in `words` of the first word that starts at or after `i`.
    pub fn word_after(&self, i: usize) -> Option<usize> {
        let index = self.words.partition_point(|w| w.start < i);
        (index < self.words.len()).then_some(index)
    }

    /// Whether the characters between `from` and `to` are only spaces,
    /// with at most one of `punctuation` among them.
    pub fn gap_is(&self, from: usize, to: usize, punctuation: &[char]) -> bool {
        if from > to {
            return false;
        }
        let mut marks = 0;
        for &c in &self.chars[from..to] {
            if punctuation.contains(&c) {
                marks += 1;
            } else if !c.is_whitespace() {
                return false;
            }
        }
        marks <= 1
    }

    /// Up to `count` words before position `i`, nearest first, stopping at
    /// the end of a sentence.
    pub fn words_before(&self, i: usize, count: usize) -> Vec<Span> {
        let mut found = Vec::new();
        let mut boundary = i;
        let mut index = self.word_before(i);
        while let Some(w) = index {
            if found.len() == count {
                break;
            }
            let word = self.words[w];
            if self.chars[word.end..boundary]
                .iter()
                .any(|c| matches!(c, '.' | '!' | '?' | ';' | '\n'))
                && !(found.is_empty()
                    && self.chars[word.end..boundary]
                        .iter()
                        .all(|c| !c.is_alphanumeric())
                    && self.is_label_abbreviation(word))
            {
                break;
            }
            found.push(word);
            boundary = word.start;
            index = w.checked_sub(1);
        }
        found
    }

    /// Abbreviations that end in a full stop without ending the sentence
    /// ("no. 4", "acct. 12").
    fn is_label_abbreviation(&self, word: Span) -> bool {
        self.spells(word, &["no", "acct", "reg", "tel", "num", "ph"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits_counted_in_characters() {
        let text = Text::new("Zoë's PHQ-9, 14.");
        let words: Vec<String> = text
            .words
            .iter()
            .map(|w| text.chars[w.start..w.end].iter().collect())
            .collect();
        assert_eq!(words, ["Zoë", "s", "PHQ", "9", "14"]);
        assert_eq!(text.words[0], Span { start: 0, end: 3 });
    }

    #[test]
    fn the_words_before_a_place_stop_at_a_full_stop() {
        let text = Text::new("She left. Her chart number 4839201");
        let at = text.len() - 7;
        let before: Vec<String> = text
            .words_before(at, 5)
            .iter()
            .map(|w| text.chars[w.start..w.end].iter().collect())
            .collect();
        assert_eq!(before, ["number", "chart", "Her"]);
    }

    #[test]
    fn an_abbreviated_label_does_not_end_the_sentence() {
        let text = Text::new("account no. 12345");
        let before = text.words_before(text.len() - 5, 3);
        assert_eq!(before.len(), 2);
    }
}
