//! How long the identifier check takes over a 5,000-word reflection with
//! 20 names to watch and an identifier in every few sentences (target:
//! 2 ms or less on the project's machine; the editor runs it as the
//! therapist types).
//!
//! Run: `cargo bench -p server --features app/ssr --bench identifiers`
//! (see BENCHMARKS.md).

use std::hint::black_box;

use app::domain::identifiers::{find_identifiers, Watchlist};
use criterion::{criterion_group, criterion_main, Criterion};

/// Sentences of clinical prose, with how many identifiers each holds.
const SENTENCES: [(&str, usize); 8] = [
    ("I noticed a tightening in my chest when she described the 3-week break, and I wondered whether my wish to reassure her was my own.", 0),
    ("She mentioned that Maria's new number is (617) 555-0142 and asked whether I would call if she missed session 14.", 2),
    ("Her PHQ-9 score of 14 and GAD-7 of 11 matched how flat the room felt at 10:30, fifty minutes that passed slowly.", 0),
    ("I felt drawn into a complementary identification with the critical father, and I interpreted too early, in the first 10 minutes.", 0),
    ("Her grandmother, now 93, wrote to her on March 3, 2024 from an address she read out, grandma.r@example.com, which I did not note.", 3),
    ("When I linked the lateness to our last ending she elaborated the meaning, and the silence afterwards felt full rather than empty.", 0),
    ("She takes sertraline 50 mg and has done since the 1990s; in her 40s she stopped for a year and remembers it as a kind of freedom.", 0),
    ("Her member ID XJ-4492-11 came up when the insurer called about 7ABC123, the car she can no longer drive, and I felt her shame.", 2),
];

/// A reflection of at least `words` words, and how many identifiers it holds.
fn reflection_of(words: usize) -> (String, usize) {
    let (mut text, mut count, mut identifiers) = (String::new(), 0, 0);
    for (sentence, holds) in SENTENCES.iter().cycle() {
        if count >= words {
            break;
        }
        text.push_str(sentence);
        text.push(' ');
        count += sentence.split_whitespace().count();
        identifiers += holds;
    }
    (text, identifiers)
}

fn check_a_long_reflection(c: &mut Criterion) {
    let (text, identifiers) = reflection_of(5_000);
    let names: Vec<String> = [
        "Maria",
        "Tomás Rivera",
        "Odile",
        "Vasseur",
        "Ana María",
        "Jun",
        "Priya",
        "Kwame",
        "Lena",
        "Oskar",
        "Ruth",
        "Dmitri",
        "Siobhán",
        "Yusuf",
        "Marguerite",
        "Ines",
        "Bartholomew",
        "Cleo",
        "Hiroshi",
        "Esperanza",
    ]
    .iter()
    .map(|n| n.to_string())
    .collect();
    let watchlist = Watchlist {
        names: &names,
        own_codes: &[],
    };
    // The text is as long as claimed, and the check finds exactly what is there.
    assert!(text.split_whitespace().count() >= 5_000);
    assert_eq!(find_identifiers(&text, watchlist).len(), identifiers);

    c.bench_function("identifiers/5000_words_20_names", |b| {
        b.iter(|| find_identifiers(black_box(&text), black_box(watchlist)))
    });
}

criterion_group!(benches, check_a_long_reflection);
criterion_main!(benches);
