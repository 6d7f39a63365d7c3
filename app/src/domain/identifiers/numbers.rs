//! Numbers that identify: phone and fax numbers, social security numbers,
//! ZIP codes, and record and device codes. Scores, doses, durations,
//! session numbers and codes like "PHQ-9" are not among them.

use super::{
    scan::{Span, Text},
    Candidate, IdentifierClass,
};

pub(super) fn find(text: &Text, out: &mut Vec<Candidate>) {
    digit_groups(text, out);
    labelled_digits(text, out);
    codes(text, out);
}

/// Words that, just before a number, say it is a phone or fax number.
const PHONE_LABELS: &[&str] = &[
    "phone",
    "telephone",
    "tel",
    "fax",
    "cell",
    "mobile",
    "landline",
    "call",
    "text",
    "ring",
    "whatsapp",
    "voicemail",
    "pager",
    "dial",
    "ph",
];

/// Words that, just before a code, say it identifies a record, an account,
/// a licence, a vehicle or a device.
const RECORD_LABELS: &[&str] = &[
    "mrn",
    "record",
    "records",
    "chart",
    "account",
    "acct",
    "member",
    "membership",
    "policy",
    "licence",
    "license",
    "plate",
    "plates",
    "registration",
    "reg",
    "serial",
    "device",
    "imei",
    "vin",
    "id",
    "identifier",
    "badge",
    "passport",
    "claim",
    "insurance",
    "subscriber",
    "beneficiary",
    "medicaid",
    "medicare",
    "routing",
    "iban",
    "card",
];

/// Labels after which a vehicle plate may be two words ("AB12 CDE").
const PLATE_LABELS: &[&str] = &["plate", "plates", "registration", "reg"];

const SSN_LABELS: &[&str] = &["ssn", "security"];

const ZIP_LABELS: &[&str] = &["zip", "zipcode", "postal", "postcode"];

/// US states, the District of Columbia and territories, as the postal
/// service abbreviates them.
const STATE_CODES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
];

const STATE_NAMES: &[&str] = &[
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "hampshire",
    "jersey",
    "mexico",
    "york",
    "carolina",
    "dakota",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "island",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "washington",
    "wisconsin",
    "wyoming",
    "columbia",
    "rico",
    "guam",
];

fn label_before(text: &Text, start: usize, labels: &[&str], reach: usize) -> bool {
    text.words_before(start, reach)
        .iter()
        .any(|w| text.spells(*w, labels))
}

#[derive(Debug, PartialEq, Eq)]
enum Label {
    Phone,
    Record,
}

/// The nearest word before `start`, within `reach` words, that says what a
/// number is: "the phone's IMEI 3569…" is a device, "her phone 617…" a phone.
fn nearest_label(text: &Text, start: usize, reach: usize) -> Option<Label> {
    text.words_before(start, reach).iter().find_map(|w| {
        if text.spells(*w, PHONE_LABELS) {
            Some(Label::Phone)
        } else if text.spells(*w, RECORD_LABELS) {
            Some(Label::Record)
        } else {
            None
        }
    })
}

fn starts_a_number(text: &Text, i: usize) -> bool {
    match text.before(i) {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some('.' | '-' | '/' | ':' | ',') => !text.is_word_char(i.saturating_sub(2)),
        Some('$' | '£' | '€' | '¥' | '#') => false,
        Some(_) => true,
    }
}

/// Digits in groups joined by single spaces, hyphens, dots or brackets:
/// "(617) 555-0142", "+44 20 7946 0958", "123-45-6789", "02139-4307".
struct Groups {
    start: usize,
    end: usize,
    plus: bool,
    lengths: Vec<usize>,
    separators: Vec<char>,
}

impl Groups {
    fn digits(&self) -> usize {
        self.lengths.iter().sum()
    }

    fn read(text: &Text, start: usize) -> Option<Groups> {
        let plus = text.at(start) == Some('+');
        let mut i = if plus { start + 1 } else { start };
        let mut groups = Groups {
            start,
            end: i,
            plus,
            lengths: Vec::new(),
            separators: Vec::new(),
        };
        loop {
            let bracketed = text.at(i) == Some('(');
            let first_digit = if bracketed { i + 1 } else { i };
            let length = text.digits_at(first_digit);
            if length == 0 || (bracketed && text.at(first_digit + length) != Some(')')) {
                break;
            }
            groups.lengths.push(length);
            groups.end = first_digit + length;
            i = if bracketed {
                first_digit + length + 1
            } else {
                first_digit + length
            };
            let separator = match text.at(i) {
                Some(c @ (' ' | '-' | '.')) => c,
                _ if bracketed => ' ',
                _ => break,
            };
            let next = if bracketed && separator == ' ' && text.at(i) != Some(' ') {
                i
            } else {
                i + 1
            };
            if !(text.is_digit(next) || (text.at(next) == Some('(') && text.is_digit(next + 1))) {
                break;
            }
            groups.separators.push(separator);
            i = next;
        }
        let joined_to_more = matches!(text.at(groups.end), Some('-' | '/' | ':'))
            && text.is_word_char(groups.end + 1);
        let runs_on = text.is_word_char(groups.end) || joined_to_more;
        (!groups.lengths.is_empty() && !runs_on).then_some(groups)
    }

    fn one_separator(&self, allowed: &[char]) -> bool {
        self.separators.first().is_some_and(|first| {
            allowed.contains(first) && self.separators.iter().all(|s| s == first)
        })
    }

    fn class(&self, text: &Text) -> Option<IdentifierClass> {
        let digits = self.digits();
        let lengths = self.lengths.as_slice();
        if !self.plus && lengths == [3, 2, 4] && self.one_separator(&['-', ' ']) {
            return Some(IdentifierClass::Ssn);
        }
        if !self.plus && lengths == [5, 4] && self.one_separator(&['-']) {
            return Some(IdentifierClass::Zip);
        }
        if !(7..=15).contains(&digits) {
            return None;
        }
        let leading = text.at(self.start);
        let first_digit = if matches!(leading, Some('+' | '(')) {
            self.start + 1
        } else {
            self.start
        };
        let north_american = matches!(lengths, [3, 3, 4])
            || (matches!(lengths, [1, 3, 3, 4]) && text.at(first_digit) == Some('1'))
            || (matches!(lengths, [3, 4]) && self.one_separator(&['-', '.']));
        let national = text.at(first_digit) == Some('0')
            && lengths.len() >= 2
            && (2..=5).contains(&lengths[0])
            && (9..=12).contains(&digits);
        let international = self.plus && digits >= 8;
        let labelled = nearest_label(text, self.start, 6) == Some(Label::Phone);
        (north_american || national || international || labelled).then_some(IdentifierClass::Phone)
    }
}

fn digit_groups(text: &Text, out: &mut Vec<Candidate>) {
    let mut i = 0;
    while i < text.len() {
        let c = text.chars[i];
        let opens = (c == '+' || c == '(') && text.is_digit(i + 1);
        if !(opens || c.is_ascii_digit()) || !starts_a_number(text, i) {
            i += 1;
            continue;
        }
        match Groups::read(text, i) {
            Some(groups) => {
                if let Some(class) = groups.class(text) {
                    out.push(Candidate::new(class, groups.start, groups.end));
                }
                i = groups.end.max(i + 1);
            }
            None => i += 1,
        }
    }
}

/// Nine digits after "SSN", five after "ZIP", or five after a state.
fn labelled_digits(text: &Text, out: &mut Vec<Candidate>) {
    for word in &text.words {
        let digits = text.digits_at(word.start);
        if digits != word.len() || !starts_a_number(text, word.start) {
            continue;
        }
        if digits == 9 && label_before(text, word.start, SSN_LABELS, 4) {
            out.push(Candidate::new(IdentifierClass::Ssn, word.start, word.end));
        }
        if digits == 5 && stands_as_zip(text, word.start) {
            let end = if text.at(word.end) == Some('-') && text.digits_at(word.end + 1) == 4 {
                word.end + 5
            } else {
                word.end
            };
            out.push(Candidate::new(IdentifierClass::Zip, word.start, end));
        }
    }
}

fn stands_as_zip(text: &Text, start: usize) -> bool {
    if label_before(text, start, ZIP_LABELS, 3) {
        return true;
    }
    let Some(previous) = text.word_before(start).map(|w| text.words[w]) else {
        return false;
    };
    let close = text.gap_is(previous.end, start, &[',']);
    let state_code = text.spells(previous, STATE_CODES)
        && text.chars[previous.start..previous.end]
            .iter()
            .all(|c| c.is_uppercase());
    close && (state_code || text.spells(previous, STATE_NAMES))
}

/// A code: letters and digits, perhaps joined by hyphens ("XJ-4492-11").
fn codes(text: &Text, out: &mut Vec<Candidate>) {
    let mut w = 0;
    while w < text.words.len() {
        let first = text.words[w];
        let mut last = w;
        while let Some(next) = text.words.get(last + 1) {
            let joined = text.words[last].end + 1 == next.start
                && text.at(text.words[last].end) == Some('-');
            if !joined {
                break;
            }
            last += 1;
        }
        let code = Span {
            start: first.start,
            end: text.words[last].end,
        };
        if is_code(text, code, &text.words[w..=last]) {
            let end = plate_second_word(text, code, last).unwrap_or(code.end);
            out.push(Candidate::new(
                IdentifierClass::RecordNumber,
                code.start,
                end,
            ));
        }
        w = last + 1;
    }
}

fn is_code(text: &Text, code: Span, parts: &[Span]) -> bool {
    let chars = &text.chars[code.start..code.end];
    let digits = chars.iter().filter(|c| c.is_ascii_digit()).count();
    let letters = chars.iter().filter(|c| c.is_alphabetic()).count();
    let alphanumeric = digits + letters;
    if digits == 0
        || matches!(
            text.before(code.start),
            Some('$' | '£' | '€' | '¥' | '.' | '/' | ':' | '@')
        )
        || matches!(text.at(code.end), Some('%' | '@'))
        || (text.at(code.end) == Some('.') && text.is_digit(code.end + 1))
        || (text.at(code.end) == Some('/') && text.is_word_char(code.end + 1))
    {
        return false;
    }
    let labelled = label_before(text, code.start, RECORD_LABELS, 4) && alphanumeric >= 4;
    if letters == 0 {
        let longest = parts.iter().map(|p| p.len()).max().unwrap_or(0);
        return longest >= 6 || (parts.len() >= 3 && digits >= 8) || (labelled && digits >= 5);
    }
    let quantity = parts.len() == 1 && is_quantity(text, code);
    !quantity && ((digits >= 3 && alphanumeric >= 6) || labelled)
}

/// "1990s", "10mg", "2nd", "3pm": digits then a short lower-case ending.
fn is_quantity(text: &Text, code: Span) -> bool {
    let digits = text.digits_at(code.start);
    let ending = &text.chars[code.start + digits..code.end];
    digits > 0 && ending.len() <= 3 && ending.iter().all(|c| c.is_lowercase()) && !ending.is_empty()
}

/// After "plate", a second short word belongs to the plate ("AB12 CDE").
fn plate_second_word(text: &Text, code: Span, last: usize) -> Option<usize> {
    let next = text.words.get(last + 1)?;
    let plate = label_before(text, code.start, PLATE_LABELS, 3)
        && next.start == code.end + 1
        && text.at(code.end) == Some(' ')
        && (2..=4).contains(&next.len())
        && text.chars[next.start..next.end]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    plate.then_some(next.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, IdentifierClass)> {
        crate::domain::identifiers::proposals(text, find)
    }

    fn one(text: &str, expected: &str, class: IdentifierClass) {
        let found = found(text);
        assert!(
            found.contains(&(expected.to_string(), class)),
            "{text:?}: expected {expected:?} as {class:?}, found {found:?}"
        );
    }

    #[test]
    fn phone_numbers_in_north_american_international_and_european_forms() {
        for (text, number) in [
            ("her new number, (617) 555-0142, she", "(617) 555-0142"),
            ("call 617-555-0142.", "617-555-0142"),
            ("617.555.0142", "617.555.0142"),
            ("+1 617 555 0142", "+1 617 555 0142"),
            ("+14155550142", "+14155550142"),
            ("+44 20 7946 0958", "+44 20 7946 0958"),
            ("on 020 7946 0958 at", "020 7946 0958"),
            ("+33 1 42 68 53 00", "+33 1 42 68 53 00"),
            ("her mobile 06 12 34 56 78", "06 12 34 56 78"),
            ("+49 30 1234567", "+49 30 1234567"),
            ("030 1234567", "030 1234567"),
            ("1-800-555-0199", "1-800-555-0199"),
            ("fax 6175550142", "6175550142"),
        ] {
            one(text, number, IdentifierClass::Phone);
        }
    }

    #[test]
    fn social_security_and_zip_codes() {
        one("SSN 123-45-6789", "123-45-6789", IdentifierClass::Ssn);
        one("it was 123 45 6789", "123 45 6789", IdentifierClass::Ssn);
        one(
            "social security number 123456789",
            "123456789",
            IdentifierClass::Ssn,
        );
        one("Cambridge, MA 02139", "02139", IdentifierClass::Zip);
        one("Austin, Texas 78701.", "78701", IdentifierClass::Zip);
        one("zip code 02139", "02139", IdentifierClass::Zip);
        one("at 02139-4307", "02139-4307", IdentifierClass::Zip);
    }

    #[test]
    fn records_accounts_plates_and_devices() {
        for (text, code) in [
            ("MRN 00482913", "00482913"),
            ("member ID XJ-4492-11.", "XJ-4492-11"),
            ("plate 7ABC123", "7ABC123"),
            ("registration AB12 CDE.", "AB12 CDE"),
            ("serial SN4F8A2C91", "SN4F8A2C91"),
            ("driver's licence D1234-56789-01234", "D1234-56789-01234"),
            ("policy number HMO-88213-A", "HMO-88213-A"),
            ("the code A9F3K27Q on her wristband", "A9F3K27Q"),
            ("her chart number 4839201", "4839201"),
            ("account no. 88213", "88213"),
        ] {
            one(text, code, IdentifierClass::RecordNumber);
        }
    }
}
