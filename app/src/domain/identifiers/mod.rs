//! The identifier check (privacy rule 4): finds, in what a therapist wrote,
//! the HIPAA Safe Harbor identifiers that software can recognise, with the
//! exact span of each, so the therapist can fix or confirm it before a
//! supervisor reads the text.
//!
//! Spans are counted in characters (Unicode code points), end exclusive:
//! the unit the command line reports and the browser can mark. The check
//! errs on the side of finding: a false alarm costs the therapist a click,
//! a miss can identify a client.

mod addresses;
mod ages;
mod dates;
mod names;
mod numbers;
pub mod review;
mod scan;

#[cfg(test)]
mod corpus;

use serde::{Deserialize, Serialize};

use scan::{Span, Text};

/// What kind of identifier a finding is. The order is the precedence when
/// two findings overlap: the earlier, more specific kind wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierClass {
    Email,
    Url,
    Ip,
    Date,
    Ssn,
    Zip,
    Phone,
    RecordNumber,
    #[serde(rename = "age_over_89")]
    AgeOver89,
    Name,
}

impl IdentifierClass {
    pub const ALL: [IdentifierClass; 10] = [
        IdentifierClass::Email,
        IdentifierClass::Url,
        IdentifierClass::Ip,
        IdentifierClass::Date,
        IdentifierClass::Ssn,
        IdentifierClass::Zip,
        IdentifierClass::Phone,
        IdentifierClass::RecordNumber,
        IdentifierClass::AgeOver89,
        IdentifierClass::Name,
    ];

    /// The name used on the command line and in stored confirmations.
    pub fn key(self) -> &'static str {
        match self {
            IdentifierClass::Email => "email",
            IdentifierClass::Url => "url",
            IdentifierClass::Ip => "ip",
            IdentifierClass::Date => "date",
            IdentifierClass::Ssn => "ssn",
            IdentifierClass::Zip => "zip",
            IdentifierClass::Phone => "phone",
            IdentifierClass::RecordNumber => "record_number",
            IdentifierClass::AgeOver89 => "age_over_89",
            IdentifierClass::Name => "name",
        }
    }

    /// What the therapist reads next to the marked text.
    pub fn label(self) -> &'static str {
        match self {
            IdentifierClass::Email => "an email address",
            IdentifierClass::Url => "a web address",
            IdentifierClass::Ip => "an IP address",
            IdentifierClass::Date => "a full date",
            IdentifierClass::Ssn => "a social security number",
            IdentifierClass::Zip => "a ZIP code",
            IdentifierClass::Phone => "a phone or fax number",
            IdentifierClass::RecordNumber => "a record, account, licence or device number",
            IdentifierClass::AgeOver89 => "an age over 89",
            IdentifierClass::Name => "one of the names to watch",
        }
    }
}

/// One identifier found: characters `start..end` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub class: IdentifierClass,
}

/// What the check knows about the case besides the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Watchlist<'a> {
    /// Names the therapist listed for the case; each occurrence is a finding.
    pub names: &'a [String],
    /// The therapist's own pseudonymous case codes, which are never findings.
    pub own_codes: &'a [String],
}

/// Every identifier in `text`, in order, none overlapping.
pub fn find_identifiers(text: &str, watchlist: Watchlist<'_>) -> Vec<Finding> {
    let text = Text::new(text);
    let mut candidates = Vec::new();
    addresses::find(&text, &mut candidates);
    dates::find(&text, &mut candidates);
    numbers::find(&text, &mut candidates);
    ages::find(&text, &mut candidates);
    names::find(&text, watchlist.names, &mut candidates);
    candidates.retain(|c| !is_own_code(&text, c, watchlist.own_codes));
    without_overlaps(candidates)
}

/// A detector's proposal; overlaps are settled by class precedence.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    span: Span,
    class: IdentifierClass,
}

impl Candidate {
    fn new(class: IdentifierClass, start: usize, end: usize) -> Self {
        Candidate {
            span: Span { start, end },
            class,
        }
    }
}

fn is_own_code(text: &Text, candidate: &Candidate, own_codes: &[String]) -> bool {
    candidate.class == IdentifierClass::RecordNumber
        && own_codes.iter().any(|code| {
            let code: Vec<char> = code.trim().chars().collect();
            code.len() == candidate.span.len()
                && code
                    .iter()
                    .zip(&text.chars[candidate.span.start..candidate.span.end])
                    .all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
        })
}

fn without_overlaps(mut candidates: Vec<Candidate>) -> Vec<Finding> {
    // Within a class, the longer of two overlapping spans wins.
    candidates.sort_by_key(|c| (c.class, c.span.start, usize::MAX - c.span.len()));
    let mut kept: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let overlaps = kept
            .iter()
            .any(|k| k.span.start < candidate.span.end && candidate.span.start < k.span.end);
        if !overlaps {
            kept.push(candidate);
        }
    }
    kept.sort_by_key(|c| c.span.start);
    kept.into_iter()
        .map(|c| Finding {
            start: c.span.start,
            end: c.span.end,
            class: c.class,
        })
        .collect()
}

/// What a detector proposes in `text`, as the text of each span and its
/// class (for the detectors' tests).
#[cfg(test)]
fn proposals(text: &str, find: fn(&Text, &mut Vec<Candidate>)) -> Vec<(String, IdentifierClass)> {
    let text = Text::new(text);
    let mut out = Vec::new();
    find(&text, &mut out);
    out.iter()
        .map(|c| {
            (
                text.chars[c.span.start..c.span.end].iter().collect(),
                c.class,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, names: &[&str]) -> Vec<(String, &'static str)> {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let chars: Vec<char> = text.chars().collect();
        find_identifiers(
            text,
            Watchlist {
                names: &names,
                own_codes: &[],
            },
        )
        .into_iter()
        .map(|f| (chars[f.start..f.end].iter().collect(), f.class.key()))
        .collect()
    }

    #[test]
    fn spans_are_counted_in_characters_not_bytes() {
        let findings = find_identifiers("Zoë wrote to zoë@example.com", Watchlist::default());
        assert_eq!(
            findings,
            [Finding {
                start: 13,
                end: 28,
                class: IdentifierClass::Email
            }]
        );
    }

    #[test]
    fn an_address_with_a_watched_name_is_one_finding_the_address() {
        assert_eq!(
            found("She wrote from maria.lopez@example.com today.", &["Maria"]),
            [("maria.lopez@example.com".to_string(), "email")]
        );
    }

    #[test]
    fn the_therapists_own_case_codes_are_not_findings() {
        let codes = vec!["T-2024-03".to_string()];
        let text = "As with T-2024-03, I felt pulled to rescue.";
        assert!(find_identifiers(
            text,
            Watchlist {
                names: &[],
                own_codes: &codes
            }
        )
        .is_empty());
        assert_eq!(
            found(text, &[]),
            [("T-2024-03".to_string(), "record_number")]
        );
    }

    #[test]
    fn every_class_has_a_distinct_key_and_a_label() {
        let mut keys: Vec<&str> = IdentifierClass::ALL.iter().map(|c| c.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), IdentifierClass::ALL.len());
        assert!(IdentifierClass::ALL.iter().all(|c| !c.label().is_empty()));
    }

    #[test]
    fn ordinary_clinical_numbers_are_not_identifiers() {
        for text in [
            "in session 14",
            "session #52",
            "the 103rd session",
            "a 3-week break",
            "50-minute session",
            "PHQ-9 score of 14",
            "GAD-7 was 11",
            "BDI-II of 23",
            "ICD-10 F41.1",
            "DSM-5",
            "Z63.0",
            "in his 40s",
            "she is 89",
            "a 34-year-old",
            "at 10:30",
            "at 9.15",
            "sertraline 50 mg",
            "10mg of escitalopram",
            "1,200 mg",
            "80%",
            "C-07",
            "Case 12B",
            "the 1990s",
            "the '90s",
            "in 2019",
            "from 2019-2021",
            "$120 per session",
            "$1,500",
            "120/80",
            "COVID-19",
            "H1N1",
            "iPhone 15",
            "room 204",
            "step 2 of 12",
            "the score is 95 points",
            "it was 90 minutes",
            "she waited 90 minutes",
            "scores of 14 11 9 22",
            "items 3, 4 and 5",
        ] {
            assert!(
                found(text, &[]).is_empty(),
                "{text:?}: {:?}",
                found(text, &[])
            );
        }
    }
}
