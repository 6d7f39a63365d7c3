//! How long the reflection log's reads take for a therapist with a year of
//! weekly reflections for a dozen cases (12 × 52 = 624 reflections, each with
//! 3 reactions, 3 interventions, 1 episode and notes), on the embedded SQLite
//! database in a temporary file: a case's timeline, one reflection, and a
//! search (through the search index; `benches/search.rs` times it at scale).
//!
//! Run: `cargo bench -p server --bench reflection_log`
//! (set REVERIE_BENCH_POSTGRES_URL to a fresh PostgreSQL database to time
//! that backend instead).

use std::time::{Duration, Instant};

use app::{
    domain::{
        cases::{CaseDetails, CaseId},
        reflection::{EpisodeInput, InterventionInput, ReactionInput, ReflectionInput},
        reflection::{ReflectionId, ReflectionRules},
        search::SearchInput,
        time::parse_iso_date,
        vocabulary::{Modality, SessionFrequency},
    },
    server::{
        crypto::FieldCipher,
        repo::{Database, DatabaseLocation, NewUser, OwnersCase, ReflectionFilter},
        search::search_reflections,
    },
};

const CASES: usize = 12;
const WEEKS: usize = 52;
const RUNS: usize = 20;

fn reflection(week: usize) -> ReflectionInput {
    let text = |what: &str| {
        format!("{what} in week {week}: she spoke about the move and her sister again, and I noticed the pull to reassure.")
    };
    let date = app::domain::time::add_days("2025-01-06", 7 * week as i64).expect("date");
    ReflectionInput {
        session_number: (week + 1).to_string(),
        session_date: date,
        reactions: ["helpless", "parental", "disengaged"]
            .iter()
            .enumerate()
            .map(|(i, dimension)| ReactionInput {
                dimension: dimension.to_string(),
                intensity: ((week + i) % 5 + 1).to_string(),
                text: text("reaction"),
                ..ReactionInput::default()
            })
            .collect(),
        trigger: vec!["client_material".to_string()],
        trigger_note: text("trigger"),
        origin: vec!["family".to_string()],
        origin_note: text("origin"),
        racker: "concordant".to_string(),
        enactment: text("enactment"),
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
            text: text("intervention"),
            ..InterventionInput::default()
        })
        .collect(),
        episodes: vec![EpisodeInput {
            with_whom: "past_figure".to_string(),
            wish: "w_loved".to_string(),
            response_of_other: "ro_rejecting".to_string(),
            response_of_self_text: text("episode"),
            ..EpisodeInput::default()
        }],
        private_notes: text("private note"),
        ..ReflectionInput::default()
    }
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    println!(
        "{what:<45} median {median:>10.2?}   slowest {worst:>10.2?}   ({} runs)",
        times.len()
    );
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
    let mut cases: Vec<CaseId> = Vec::new();
    let mut some_reflection: Option<(CaseId, ReflectionId)> = None;
    for case in 0..CASES {
        let details = CaseDetails {
            code: format!("C-{case:02}"),
            modality: Modality::Psychodynamic,
            frequency: SessionFrequency::Weekly,
            start_date: "2025-01-01".to_string(),
            planned_sessions: None,
            names_to_watch: vec!["Marguerite".to_string()],
        };
        let id = database
            .create_case(&cipher, owner, &details, 0)
            .await
            .expect("case");
        let rules = ReflectionRules {
            today: parse_iso_date("2026-11-22").expect("date"),
            case_start: parse_iso_date("2025-01-01").expect("date"),
        };
        for week in 0..WEEKS {
            let valid = reflection(week).validate(rules).expect("valid reflection");
            let saved = database
                .insert_reflection(&cipher, OwnersCase { owner, case: id }, &valid, 0)
                .await
                .expect("insert");
            some_reflection.get_or_insert((id, saved));
        }
        cases.push(id);
    }
    println!(
        "seeded {} reflections in {:.1?} on {}\n",
        CASES * WEEKS,
        started.elapsed(),
        location.redacted()
    );

    let (case, reflection_id) = some_reflection.expect("seeded");
    let mut timeline = Vec::new();
    let mut single = Vec::new();
    let mut search = Vec::new();
    let query = SearchInput {
        words: "sister reassure".to_string(),
        dimension: "helpless".to_string(),
        min_intensity: "4".to_string(),
        ..SearchInput::default()
    }
    .parse()
    .expect("query");
    for run in 0..RUNS {
        let filter = ReflectionFilter {
            case: Some(cases[run % CASES]),
            ..ReflectionFilter::default()
        };
        let at = Instant::now();
        let loaded = database
            .load_reflections(&cipher, owner, &filter)
            .await
            .expect("timeline");
        timeline.push(at.elapsed());
        assert_eq!(loaded.len(), WEEKS);

        let at = Instant::now();
        database
            .reflection_of(&cipher, owner, case, reflection_id)
            .await
            .expect("one")
            .expect("found");
        single.push(at.elapsed());

        let at = Instant::now();
        let (_, found) = search_reflections(&database, &cipher, owner, &query)
            .await
            .expect("search");
        search.push(at.elapsed());
        assert!(found > 0);
    }
    report("case timeline (52 reflections, decrypted)", timeline);
    report("one reflection", single);
    report("search (the index current)", search);
}
