//! The identifier check applied to what a supervisor would read: each
//! passage of a shared reflection with its findings, and whether the
//! therapist confirmed each as not identifying. A confirmation holds for a
//! keyed fingerprint of the finding and its passage (computed by the
//! server), so changing the passage asks again.

use serde::{Deserialize, Serialize};

use super::{find_identifiers, Finding, IdentifierClass, Watchlist};
use crate::domain::reflection::{ReflectionId, SharedReflection};

/// The form field a refusal to share while findings are pending is shown at.
pub const IDENTIFIERS_FIELD: &str = "identifiers";

/// One passage of a reflection with what the check found in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageReview {
    pub reflection: ReflectionId,
    pub session_number: u32,
    /// Where the passage is ("Enactment", "Intervention 2: …").
    pub label: String,
    pub text: String,
    pub findings: Vec<ReviewedFinding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewedFinding {
    pub start: usize,
    pub end: usize,
    pub class: IdentifierClass,
    /// What a confirmation of this finding is stored against.
    pub fingerprint: String,
    pub confirmed: bool,
}

impl PassageReview {
    /// Findings neither fixed nor confirmed.
    pub fn pending(&self) -> usize {
        self.findings.iter().filter(|f| !f.confirmed).count()
    }
}

/// Findings neither fixed nor confirmed, over several passages.
pub fn pending_in(passages: &[PassageReview]) -> usize {
    passages.iter().map(PassageReview::pending).sum()
}

/// What a finding's fingerprint is computed over: the reflection, where the
/// passage is, the whole passage and the finding. Lengths come first so no
/// two different inputs run together into the same bytes.
pub fn fingerprint_input(
    reflection: ReflectionId,
    label: &str,
    text: &str,
    finding: &Finding,
) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len() + label.len() + 64);
    bytes.extend_from_slice(b"identifier-confirmation/v1");
    bytes.extend_from_slice(&reflection.0.to_be_bytes());
    for part in [
        label.as_bytes(),
        text.as_bytes(),
        finding.class.key().as_bytes(),
    ] {
        bytes.extend_from_slice(&(part.len() as u64).to_be_bytes());
        bytes.extend_from_slice(part);
    }
    bytes.extend_from_slice(&(finding.start as u64).to_be_bytes());
    bytes.extend_from_slice(&(finding.end as u64).to_be_bytes());
    bytes
}

/// The passages of `reflection` that hold findings, each finding with its
/// fingerprint and whether it was confirmed.
pub fn review(
    reflection: &SharedReflection,
    watchlist: Watchlist<'_>,
    fingerprint: impl Fn(&[u8]) -> String,
    is_confirmed: impl Fn(&str) -> bool,
) -> Vec<PassageReview> {
    reflection
        .passages()
        .into_iter()
        .filter_map(|(label, text)| {
            let findings: Vec<ReviewedFinding> = find_identifiers(text, watchlist)
                .into_iter()
                .map(|finding| {
                    let fingerprint =
                        fingerprint(&fingerprint_input(reflection.id, &label, text, &finding));
                    ReviewedFinding {
                        start: finding.start,
                        end: finding.end,
                        class: finding.class,
                        confirmed: is_confirmed(&fingerprint),
                        fingerprint,
                    }
                })
                .collect();
            (!findings.is_empty()).then(|| PassageReview {
                reflection: reflection.id,
                session_number: reflection.session_number,
                label,
                text: text.to_string(),
                findings,
            })
        })
        .collect()
}

/// A private passage with what the check found: marked for its author,
/// never checked for sharing (it is never shared).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkedPassage {
    pub label: String,
    pub text: String,
    pub findings: Vec<Finding>,
}

/// What the check found in one reflection, for its author.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReflectionIdentifiers {
    /// In what a supervisor would read.
    pub shared: Vec<PassageReview>,
    /// In the private parts.
    pub private: Vec<MarkedPassage>,
}

/// A finding with a little of the text around it, for showing it in place
/// without repeating a long passage: `(before, finding, after)`, with "…"
/// where the passage goes on.
pub fn in_context(text: &str, start: usize, end: usize, around: usize) -> (String, String, String) {
    let chars: Vec<char> = text.chars().collect();
    let end = end.min(chars.len());
    let start = start.min(end);
    let from = start.saturating_sub(around);
    let to = (end + around).min(chars.len());
    let mut before: String = chars[from..start].iter().collect();
    if from > 0 {
        before.insert(0, '…');
    }
    let mut after: String = chars[end..to].iter().collect();
    if to < chars.len() {
        after.push('…');
    }
    (before, chars[start..end].iter().collect(), after)
}

/// A stretch of a passage, marked when it is a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub finding: Option<IdentifierClass>,
}

/// `text` cut at the findings' edges (in characters), for showing each
/// finding where it is.
pub fn segments(text: &str, findings: &[(usize, usize, IdentifierClass)]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end, class) in findings {
        let (start, end) = (start.clamp(at, chars.len()), end.min(chars.len()));
        if start >= end {
            continue;
        }
        if start > at {
            out.push(Segment {
                text: chars[at..start].iter().collect(),
                finding: None,
            });
        }
        out.push(Segment {
            text: chars[start..end].iter().collect(),
            finding: Some(class),
        });
        at = end;
    }
    if at < chars.len() {
        out.push(Segment {
            text: chars[at..].iter().collect(),
            finding: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        cases::CaseId,
        reflection::{Choices, SharedReflection},
    };

    fn shared(enactment: &str, racker_note: &str) -> SharedReflection {
        SharedReflection {
            id: ReflectionId(7),
            case_id: CaseId(1),
            version: 1,
            session_number: 12,
            week: 3,
            reactions: Vec::new(),
            trigger: Choices::default(),
            manifestation: Choices::default(),
            management: Choices::default(),
            racker: None,
            racker_object: String::new(),
            racker_note: racker_note.to_string(),
            enactment: enactment.to_string(),
            interventions: Vec::new(),
            episodes: Vec::new(),
        }
    }

    fn keyed(bytes: &[u8]) -> String {
        // Any injective stand-in for the server's keyed hash will do here.
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn only_passages_with_findings_are_listed_each_finding_fingerprinted() {
        let names = vec!["Maria".to_string()];
        let reflection = shared(
            "Maria called me at 617-555-0142.",
            "Nothing identifying here.",
        );
        let watchlist = Watchlist {
            names: &names,
            own_codes: &[],
        };
        let passages = review(&reflection, watchlist, keyed, |_| false);
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].label, "Enactment");
        assert_eq!(passages[0].session_number, 12);
        let classes: Vec<IdentifierClass> = passages[0].findings.iter().map(|f| f.class).collect();
        assert_eq!(classes, [IdentifierClass::Name, IdentifierClass::Phone]);
        assert_eq!(pending_in(&passages), 2);

        let confirmed_name = passages[0].findings[0].fingerprint.clone();
        let again = review(&reflection, watchlist, keyed, |f| f == confirmed_name);
        assert_eq!(pending_in(&again), 1);
    }

    #[test]
    fn changing_the_passage_anywhere_changes_every_fingerprint_in_it() {
        let names = vec!["Maria".to_string()];
        let watchlist = Watchlist {
            names: &names,
            own_codes: &[],
        };
        let before = review(&shared("Maria wept.", ""), watchlist, keyed, |_| false);
        let after = review(&shared("Maria wept again.", ""), watchlist, keyed, |_| {
            false
        });
        assert_ne!(
            before[0].findings[0].fingerprint,
            after[0].findings[0].fingerprint
        );
    }

    #[test]
    fn a_finding_in_context_shows_a_little_on_each_side() {
        let text = "At the end of the hour she gave me 617-555-0142 and left quickly.";
        assert_eq!(
            in_context(text, 35, 47, 10),
            (
                "…e gave me ".to_string(),
                "617-555-0142".to_string(),
                " and left …".to_string()
            )
        );
        assert_eq!(
            in_context("Maria wept.", 0, 5, 10),
            (String::new(), "Maria".to_string(), " wept.".to_string())
        );
    }

    #[test]
    fn segments_mark_each_finding_between_plain_stretches() {
        let text = "Zoë rang 617-555-0142 twice";
        assert_eq!(
            segments(
                text,
                &[
                    (0, 3, IdentifierClass::Name),
                    (9, 21, IdentifierClass::Phone)
                ]
            ),
            [
                Segment {
                    text: "Zoë".into(),
                    finding: Some(IdentifierClass::Name)
                },
                Segment {
                    text: " rang ".into(),
                    finding: None
                },
                Segment {
                    text: "617-555-0142".into(),
                    finding: Some(IdentifierClass::Phone)
                },
                Segment {
                    text: " twice".into(),
                    finding: None
                },
            ]
        );
        assert_eq!(
            segments("plain", &[]),
            [Segment {
                text: "plain".into(),
                finding: None
            }]
        );
    }
}
