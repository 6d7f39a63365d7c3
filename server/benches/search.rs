//! How long a search takes for a therapist with ten years of weekly
//! reflections for fifteen cases (15 × 520 = 7,800 reflections, each with
//! three reactions, three interventions, an episode and notes; about sixty
//! distinct words each, from a vocabulary of 2,000 words), through the
//! search service the page calls: the index brought up to date, the page of
//! matches found and counted, that page's reflections opened for their
//! passages.
//!
//! It times the first search (which indexes all 7,800 reflections, as after
//! the upgrade that added the index or a key rotation), then a series of
//! searches of several kinds, then a search right after one save (which
//! indexes that reflection again).
//!
//! Run: `cargo bench -p server --features app/ssr --bench search`
//! (set REVERIE_BENCH_POSTGRES_URL to a fresh PostgreSQL database to time
//! that backend instead).

use std::time::{Duration, Instant};

use app::{
    domain::{
        accounts::UserId,
        cases::{CaseDetails, CaseId},
        reflection::{EpisodeInput, InterventionInput, ReactionInput, ReflectionInput},
        reflection::{Reflection, ReflectionRules},
        search::{SearchInput, SearchQuery},
        time::{add_days, parse_iso_date},
        vocabulary::{Modality, SessionFrequency},
    },
    server::{
        crypto::FieldCipher,
        repo::{Database, DatabaseLocation, NewUser, OwnersCase},
        search::search_reflections,
    },
};

const CASES: usize = 15;
const WEEKS: usize = 520;
const RUNS: usize = 60;
const VOCABULARY: usize = 2_000;

/// A word of the bench's vocabulary: `w0`…`w1999`, spelled as letters so
/// they look like words (`ba`, `be`, …).
fn word(index: usize) -> String {
    const SYLLABLES: [&str; 20] = [
        "ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "ri", "so", "tu",
        "va", "we", "xi", "yo", "za",
    ];
    let mut rest = index;
    let mut spelled = String::new();
    loop {
        spelled.push_str(SYLLABLES[rest % SYLLABLES.len()]);
        rest /= SYLLABLES.len();
        if rest == 0 {
            break spelled;
        }
    }
}

/// A sentence of `length` words drawn from the vocabulary by a fixed rule,
/// with the words every reflection shares and one of its case's own.
fn sentence(case: usize, week: usize, part: usize, length: usize) -> String {
    let mut words = vec!["session".to_string(), format!("{}case", word(case))];
    for position in 0..length {
        // Small numbers are frequent, as in language.
        let seed = (week * 7_919 + part * 104_729 + position * 1_299_709) % (VOCABULARY * 4);
        let index = (seed * seed / (VOCABULARY * 16)) % VOCABULARY;
        words.push(word(index));
    }
    words.join(" ")
}

fn reflection(case: usize, week: usize) -> ReflectionInput {
    let text = |part: usize| sentence(case, week, part, 8);
    ReflectionInput {
        session_number: (week + 1).to_string(),
        session_date: add_days("2016-01-04", 7 * week as i64).expect("date"),
        reactions: ["helpless", "parental", "disengaged"]
            .iter()
            .enumerate()
            .map(|(i, dimension)| ReactionInput {
                dimension: dimension.to_string(),
                intensity: ((week + i) % 5 + 1).to_string(),
                text: text(i),
                ..ReactionInput::default()
            })
            .collect(),
        trigger: vec!["client_material".to_string()],
        trigger_note: text(3),
        origin: vec!["family".to_string()],
        origin_note: text(4),
        racker: "concordant".to_string(),
        enactment: text(5),
        interventions: [
            "clarification",
            "confrontation",
            "transference_interpretation",
        ]
        .iter()
        .enumerate()
        .map(|(i, kind)| InterventionInput {
            kind: kind.to_string(),
            minute: (10 + 15 * i).to_string(),
            depth: (i + 2).to_string(),
            response: "new_material".to_string(),
            text: text(6 + i),
            ..InterventionInput::default()
        })
        .collect(),
        episodes: vec![EpisodeInput {
            with_whom: "past_figure".to_string(),
            wish: "w_loved".to_string(),
            response_of_other: "ro_rejecting".to_string(),
            response_of_self_text: text(9),
            ..EpisodeInput::default()
        }],
        private_notes: text(10),
        ..ReflectionInput::default()
    }
}

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    let index = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

fn report(what: &str, mut times: Vec<Duration>, found: usize) {
    times.sort();
    println!(
        "{what:<48} median {:>9.2?}  p95 {:>9.2?}  slowest {:>9.2?}  ({} runs, {found} found)",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1],
        times.len()
    );
}

fn query(words: &str, dimension: &str, page: &str) -> SearchQuery {
    SearchInput {
        words: words.to_string(),
        dimension: dimension.to_string(),
        min_intensity: if dimension.is_empty() { "" } else { "4" }.to_string(),
        page: page.to_string(),
        ..SearchInput::default()
    }
    .parse()
    .expect("query")
}

async fn timed(
    database: &Database,
    cipher: &FieldCipher,
    owner: UserId,
    search: &SearchQuery,
) -> (Duration, usize) {
    let at = Instant::now();
    let (hits, total) = search_reflections(database, cipher, owner, search)
        .await
        .expect("search");
    let took = at.elapsed();
    assert!(hits.len() <= total);
    (took, total)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let location = match std::env::var("REVERIE_BENCH_POSTGRES_URL") {
        Ok(url) => DatabaseLocation::Postgres(url),
        Err(_) => DatabaseLocation::SqliteFile(dir.path().join("bench.db")),
    };
    let database = Database::connect(&location).await.expect("connect");
    database.migrate().await.expect("migrate");
    let cipher = FieldCipher::from_hex(&FieldCipher::generate_hex_key()).expect("key");
    let owner = database
        .create_user(&NewUser {
            email: "bench@example.org",
            display_name: "Bench",
            password_hash: "not a real hash",
            is_admin: false,
            created_at: 0,
        })
        .await
        .expect("user")
        .id;

    let started = Instant::now();
    let rules = ReflectionRules {
        today: parse_iso_date("2026-11-30").expect("date"),
        case_start: parse_iso_date("2016-01-01").expect("date"),
    };
    let mut last: Option<(CaseId, Reflection)> = None;
    for case in 0..CASES {
        let details = CaseDetails {
            code: format!("C-{case:02}"),
            modality: Modality::Psychodynamic,
            frequency: SessionFrequency::Weekly,
            start_date: "2016-01-01".to_string(),
            planned_sessions: None,
            names_to_watch: Vec::new(),
        };
        let id = database
            .create_case(&cipher, owner, &details, 0)
            .await
            .expect("case");
        for week in 0..WEEKS {
            let valid = reflection(case, week)
                .validate(rules)
                .expect("valid reflection");
            database
                .insert_reflection(&cipher, OwnersCase { owner, case: id }, &valid, 0)
                .await
                .expect("insert");
            last = Some((id, valid));
        }
    }
    println!(
        "wrote {} reflections in {:.1?} on {}\n",
        CASES * WEEKS,
        started.elapsed(),
        location.redacted()
    );

    let common = query("session", "", "");
    let (first, total) = timed(&database, &cipher, owner, &common).await;
    assert_eq!(total, CASES * WEEKS);
    println!("first search, indexing all {total} reflections: {first:.2?}\n");

    let kinds = [
        ("a word in every reflection", query("session", "", "")),
        ("the same, page 40", query("session", "", "40")),
        (
            "a case's own word (520)",
            query(&format!("{}case", word(3)), "", ""),
        ),
        ("a frequent word", query(&word(0), "", "")),
        ("a rarer word", query(&word(1_500), "", "")),
        (
            "two words",
            query(&format!("{} {}", word(0), word(1)), "", ""),
        ),
        (
            "a word and a reaction of 4+",
            query(&word(0), "helpless", ""),
        ),
        ("a word no reflection holds", query("absentword", "", "")),
    ];
    for (what, search) in &kinds {
        let mut times = Vec::with_capacity(RUNS);
        let mut found = 0;
        for _ in 0..RUNS {
            let (took, total) = timed(&database, &cipher, owner, search).await;
            times.push(took);
            found = total;
        }
        report(what, times, found);
    }

    // One save, then a search: the saved reflection is indexed again first.
    let (case, reflection) = last.expect("written");
    let mut after_save = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let id = database
            .insert_reflection(
                &cipher,
                OwnersCase { owner, case },
                &Reflection {
                    session_number: reflection.session_number + 1 + after_save.len() as u32,
                    ..reflection.clone()
                },
                0,
            )
            .await
            .expect("insert");
        assert!(id.0 > 0);
        let (took, _) = timed(&database, &cipher, owner, &common).await;
        after_save.push(took);
    }
    report(
        "a word in every reflection, just after a save",
        after_save,
        0,
    );
}
