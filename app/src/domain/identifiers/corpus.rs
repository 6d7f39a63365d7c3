//! The labelled corpus (`corpus.jsonl`, one sentence of clinical prose per
//! line with every identifier it holds) and the figures the check must
//! reach on it: every labelled identifier found with its exact span and
//! class, and at least 97% of what is found labelled.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{find_identifiers, IdentifierClass, Watchlist};

const CORPUS: &str = include_str!("corpus.jsonl");

#[derive(Deserialize)]
struct Line {
    text: String,
    #[serde(default)]
    names_to_watch: Vec<String>,
    expect: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    class: IdentifierClass,
    text: String,
}

type Span = (usize, usize, IdentifierClass);

/// The labelled spans of a line, in characters, found in order.
fn labelled(line: &Line, number: usize) -> Vec<Span> {
    let mut from_byte = 0;
    line.expect
        .iter()
        .map(|expected| {
            let offset = line.text[from_byte..]
                .find(&expected.text)
                .unwrap_or_else(|| panic!("line {number}: {:?} is not in the text", expected.text));
            let start_byte = from_byte + offset;
            from_byte = start_byte + expected.text.len();
            let start = line.text[..start_byte].chars().count();
            (start, start + expected.text.chars().count(), expected.class)
        })
        .collect()
}

#[test]
fn the_check_finds_every_labelled_identifier_and_little_else() {
    let mut labelled_per_class: BTreeMap<IdentifierClass, usize> = BTreeMap::new();
    let mut missed = Vec::new();
    let mut spurious = Vec::new();
    let mut found_total = 0;
    let mut sentences = 0;
    let mut negatives = 0;
    for (index, raw) in CORPUS.lines().enumerate() {
        let number = index + 1;
        let line: Line = serde_json::from_str(raw)
            .unwrap_or_else(|e| panic!("line {number} is not a corpus line: {e}"));
        sentences += 1;
        let expected = labelled(&line, number);
        if expected.is_empty() {
            negatives += 1;
        }
        let found: Vec<Span> = find_identifiers(
            &line.text,
            Watchlist {
                names: &line.names_to_watch,
                own_codes: &[],
            },
        )
        .into_iter()
        .map(|f| (f.start, f.end, f.class))
        .collect();
        found_total += found.len();
        let chars: Vec<char> = line.text.chars().collect();
        let show = |(start, end, class): Span| {
            format!(
                "{class:?} {:?}",
                chars[start..end].iter().collect::<String>()
            )
        };
        for span in &expected {
            *labelled_per_class.entry(span.2).or_default() += 1;
            if !found.contains(span) {
                missed.push(format!(
                    "line {number}: missed {} in {:?}; found {:?}",
                    show(*span),
                    line.text,
                    found.iter().map(|s| show(*s)).collect::<Vec<_>>()
                ));
            }
        }
        for span in &found {
            if !expected.contains(span) {
                spurious.push(format!(
                    "line {number}: found {} in {:?}",
                    show(*span),
                    line.text
                ));
            }
        }
    }

    assert!(sentences >= 300, "the corpus has {sentences} sentences");
    assert!(
        negatives >= 100,
        "the corpus has {negatives} sentences with nothing to find"
    );
    for class in IdentifierClass::ALL {
        let count = labelled_per_class.get(&class).copied().unwrap_or(0);
        assert!(count >= 15, "the corpus has {count} labelled {class:?}");
    }
    let precision = (found_total - spurious.len()) as f64 / found_total.max(1) as f64;
    println!(
        "{sentences} sentences ({negatives} with nothing to find), {} labelled identifiers, \
         {found_total} found, {} missed, precision {:.1}%",
        labelled_per_class.values().sum::<usize>(),
        missed.len(),
        precision * 100.0
    );
    assert!(
        missed.is_empty(),
        "recall below 100%:\n{}",
        missed.join("\n")
    );
    assert!(
        precision >= 0.97,
        "precision {:.1}% below 97%:\n{}",
        precision * 100.0,
        spurious.join("\n")
    );
}
