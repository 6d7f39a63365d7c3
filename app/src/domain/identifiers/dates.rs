//! Full dates: a day, a month and a year. A bare month, a month and year or
//! a year alone is ordinary clinical text ("last March", "in 2019").

use super::{
    scan::{Span, Text},
    Candidate, IdentifierClass,
};

const MONTHS: [&[&str]; 12] = [
    &["january", "jan"],
    &["february", "feb"],
    &["march", "mar"],
    &["april", "apr"],
    &["may"],
    &["june", "jun"],
    &["july", "jul"],
    &["august", "aug"],
    &["september", "sep", "sept"],
    &["october", "oct"],
    &["november", "nov"],
    &["december", "dec"],
];

pub(super) fn find(text: &Text, out: &mut Vec<Candidate>) {
    numeric_dates(text, out);
    for (i, word) in text.words.iter().enumerate() {
        if is_month(text, *word) {
            month_first(text, i, out);
            day_first(text, i, out);
        }
    }
}

fn is_month(text: &Text, word: Span) -> bool {
    MONTHS.iter().any(|names| text.spells(word, names))
}

/// The day of the month a word spells ("3", "03", "3rd"), if it does.
fn day(text: &Text, word: Span) -> Option<u32> {
    let digits = text.digits_at(word.start).min(word.len());
    if !(1..=2).contains(&digits) {
        return None;
    }
    let suffix = Span {
        start: word.start + digits,
        end: word.end,
    };
    let value = text.number(Span {
        start: word.start,
        end: word.start + digits,
    });
    let suffix_ok = suffix.len() == 0 || text.spells(suffix, &["st", "nd", "rd", "th"]);
    ((1..=31).contains(&value) && suffix_ok).then_some(value)
}

fn is_year(text: &Text, word: Span) -> bool {
    word.len() == 4 && text.digits_at(word.start) == 4 && (1800..=2199).contains(&text.number(word))
}

/// The end of the month word, past the full stop of an abbreviation.
fn month_end(text: &Text, month: Span) -> usize {
    if month.len() <= 4 && text.at(month.end) == Some('.') {
        month.end + 1
    } else {
        month.end
    }
}

/// "March 3, 2024", "Mar. 3rd 2024".
fn month_first(text: &Text, month_index: usize, out: &mut Vec<Candidate>) {
    let month = text.words[month_index];
    let (Some(&day_word), Some(&year)) = (
        text.words.get(month_index + 1),
        text.words.get(month_index + 2),
    ) else {
        return;
    };
    let found = day(text, day_word).is_some()
        && is_year(text, year)
        && text.gap_is(month_end(text, month), day_word.start, &[])
        && day_word.start > month_end(text, month)
        && text.gap_is(day_word.end, year.start, &[','])
        && year.start > day_word.end
        && !text.is_word_char(year.end);
    if found {
        out.push(Candidate::new(IdentifierClass::Date, month.start, year.end));
    }
}

/// "3 March 2024", "3rd of March, 2024".
fn day_first(text: &Text, month_index: usize, out: &mut Vec<Candidate>) {
    let month = text.words[month_index];
    let Some(&year) = text.words.get(month_index + 1) else {
        return;
    };
    let Some(before) = month_index.checked_sub(1) else {
        return;
    };
    let (day_index, joined) = if text.spells(text.words[before], &["of"]) {
        match before.checked_sub(1) {
            Some(d) => (
                d,
                text.gap_is(text.words[d].end, text.words[before].start, &[])
                    && text.gap_is(text.words[before].end, month.start, &[]),
            ),
            None => return,
        }
    } else {
        (
            before,
            text.gap_is(text.words[before].end, month.start, &[]),
        )
    };
    let day_word = text.words[day_index];
    let found = joined
        && day(text, day_word).is_some()
        && is_year(text, year)
        && text.gap_is(month_end(text, month), year.start, &[','])
        && year.start > month_end(text, month)
        && !text.is_word_char(year.end);
    if found {
        out.push(Candidate::new(
            IdentifierClass::Date,
            day_word.start,
            year.end,
        ));
    }
}

/// "2024-03-03", "3/3/24", "03.03.2024".
fn numeric_dates(text: &Text, out: &mut Vec<Candidate>) {
    for (i, first) in text.words.iter().enumerate() {
        if matches!(text.before(first.start), Some('/' | '-' | '.' | ':'))
            && text.is_word_char(first.start.saturating_sub(2))
        {
            continue;
        }
        let (Some(second), Some(third)) = (text.words.get(i + 1), text.words.get(i + 2)) else {
            continue;
        };
        let Some(separator) = text.at(first.end) else {
            continue;
        };
        let joined = matches!(separator, '/' | '-' | '.')
            && second.start == first.end + 1
            && text.at(second.end) == Some(separator)
            && third.start == second.end + 1;
        let all_digits = [first, second, third]
            .iter()
            .all(|w| text.digits_at(w.start) == w.len());
        let continues = matches!(text.at(third.end), Some('/' | '-' | '.' | ':'))
            && text.is_word_char(third.end + 1);
        if !joined || !all_digits || continues {
            continue;
        }
        let (a, b, c) = (
            text.number(*first),
            text.number(*second),
            text.number(*third),
        );
        let year_first = first.len() == 4
            && is_year(text, *first)
            && (1..=2).contains(&second.len())
            && (1..=12).contains(&b)
            && (1..=2).contains(&third.len())
            && (1..=31).contains(&c);
        let year_last = (1..=2).contains(&first.len())
            && (1..=2).contains(&second.len())
            && (third.len() == 2 || (third.len() == 4 && is_year(text, *third)))
            && a >= 1
            && b >= 1
            && ((a <= 12 && b <= 31) || (a <= 31 && b <= 12));
        if year_first || year_last {
            out.push(Candidate::new(
                IdentifierClass::Date,
                first.start,
                third.end,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        crate::domain::identifiers::proposals(text, find)
            .into_iter()
            .map(|(date, _)| date)
            .collect()
    }

    #[test]
    fn full_dates_in_every_common_form() {
        for (text, date) in [
            ("on March 3, 2024 she", "March 3, 2024"),
            ("on Mar. 3, 2024.", "Mar. 3, 2024"),
            ("Tuesday, March 3rd, 2024", "March 3rd, 2024"),
            ("born 3 March 2024", "3 March 2024"),
            ("the 3rd of March 2024", "3rd of March 2024"),
            ("on 3rd March, 2024", "3rd March, 2024"),
            ("2024-03-03", "2024-03-03"),
            ("on 3/3/24.", "3/3/24"),
            ("03/03/2024", "03/03/2024"),
            ("(03.03.2024)", "03.03.2024"),
            ("3.3.24", "3.3.24"),
            ("12/31/1999", "12/31/1999"),
        ] {
            assert_eq!(dates(text), [date], "{text}");
        }
    }

    #[test]
    fn a_month_or_a_year_alone_is_not_a_date() {
        for text in [
            "in March",
            "March 2024",
            "since 2021",
            "last April, we",
            "on March 3 she",
            "3/4 of the hour",
            "120/80",
            "24/7",
            "a 7/10 on her scale",
            "I may 3 times",
            "617-555-0142",
            "123-45-6789",
            "10.30.15.4",
            "ICD-10-CM",
        ] {
            assert!(dates(text).is_empty(), "{text}");
        }
    }
}
