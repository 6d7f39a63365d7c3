//! How long a search takes for the therapist with the longest practice
//! (15 weekly cases over ten years: about 7,800 reflections) in the load
//! benchmarks' database of about 108,000 reflections (`server seed`'s
//! default dataset, written by the same seeder), through the search
//! service the page calls: the index brought up to date, the page of
//! matches found and counted, that page's reflections opened for their
//! passages.
//!
//! It times the first search (which indexes all the therapist's
//! reflections, as after the upgrade that added the index or a key
//! rotation), then a series of searches of several kinds, then a search
//! right after a save (which indexes that reflection again).
//!
//! Run: `cargo bench -p server --features app/ssr --bench search`
//! (set REVERIE_BENCH_POSTGRES_URL to a new, empty PostgreSQL database to
//! time that backend instead).

use std::time::{Duration, Instant};

use app::{
    domain::{
        accounts::UserId,
        search::{SearchInput, SearchQuery},
        time::utc_day,
    },
    server::{
        crypto::FieldCipher,
        repo::{Database, DatabaseLocation, OwnersCase, ReflectionFilter},
        search::search_reflections,
    },
};
use server::{
    seed::{seed, Dataset, Scale, SeedPlan},
    synthetic::WORDS,
};

const RUNS: usize = 60;
const LONG_THERAPIST: &str = "long-therapist@seed.example";

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

    let started = Instant::now();
    let now = 1_795_000_000_000;
    let plan = SeedPlan {
        seed: 14,
        dataset: Dataset::Scale(Scale::BENCHMARK),
        today: utc_day(now),
        now,
    };
    let summary = seed(&database, &cipher, "not a real hash", &plan)
        .await
        .expect("seed");
    let owner = summary
        .accounts
        .iter()
        .find(|account| account.email == LONG_THERAPIST)
        .expect("the long practice")
        .id;
    println!(
        "seeded {} reflections in {:.1?} on {}\n",
        summary.reflections,
        started.elapsed(),
        location.redacted()
    );

    let everywhere = query("session", "", "");
    let (first, total) = timed(&database, &cipher, owner, &everywhere).await;
    println!("first search, indexing the therapist's reflections ({total} found): {first:.2?}\n");

    let kinds = [
        ("a frequent word", query(WORDS[1], "", "")),
        ("the same, page 40", query(WORDS[1], "", "40")),
        ("another word", query(WORDS[20], "", "")),
        (
            "two words",
            query(&format!("{} {}", WORDS[3], WORDS[4]), "", ""),
        ),
        (
            "three words",
            query(&format!("{} {} {}", WORDS[5], WORDS[6], WORDS[7]), "", ""),
        ),
        (
            "a word and a reaction of 4 or more",
            query(WORDS[2], "helpless", ""),
        ),
        (
            "a reaction of 4 or more, no word",
            query("", "helpless", ""),
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

    // One save, then a search: the saved reflection is indexed first.
    let (newest, _) = search_reflections(&database, &cipher, owner, &everywhere)
        .await
        .expect("search");
    let newest = &newest[0];
    let filter = ReflectionFilter {
        among: Some(vec![newest.reflection_id]),
        ..ReflectionFilter::default()
    };
    let reflection = database
        .load_reflections(&cipher, owner, &filter)
        .await
        .expect("load")
        .remove(0)
        .reflection;
    let mut after_save = Vec::with_capacity(RUNS);
    for run in 0..RUNS {
        database
            .insert_reflection(
                &cipher,
                OwnersCase {
                    owner,
                    case: newest.case_id,
                },
                &app::domain::reflection::Reflection {
                    session_number: reflection.session_number + 1 + run as u32,
                    ..reflection.clone()
                },
                0,
            )
            .await
            .expect("insert");
        let (took, _) = timed(&database, &cipher, owner, &everywhere).await;
        after_save.push(took);
    }
    report("a frequent word, just after a save", after_save, 0);
}
