//! `server seed`: synthetic data written through the repository reads back
//! over HTTP like saved data, the same seed gives the same data, clinical
//! text is sealed at rest, the demo shows every part of the product, and a
//! database with accounts is never seeded.

use app::{
    api::{
        analytics::CaseAnalyticsView, cases::CaseOverview, home::HomeView, meetings::MeetingLists,
    },
    domain::{
        analytics::FlagWorthALook,
        cases::{CaseDetails, CaseId, CaseSummary},
        reflection::{Reflection, ReflectionId, StoredReflection},
        sharing::InboxEntry,
        time::{parse_iso_date, utc_day},
        vocabulary::{CaseStatus, Modality, SessionFrequency},
    },
    server::{
        auth::{now_ms, passwords::PasswordHasher},
        crypto::FieldCipher,
        repo::{Database, OwnersCase, RepoError, ReviewedReflection},
    },
};
use server::{
    seed::{seed, Dataset, Scale, SeedError, SeedPlan, SeedSummary},
    synthetic::{reflection, sessions_from, Draws},
};

use crate::{
    casework::{get_json, get_with, without_row_ids},
    helpers::{count, everything_stored, spawn_app, TestApp, GOOD_PASSWORD, TEST_DATA_KEY},
    on_both_backends,
    sharing::{shared_case, shared_reflection},
};

/// 2 therapists × 2 cases × 6 sessions, one supervisor, no long practice.
const SMALL: Scale = Scale {
    therapists: 2,
    cases_per_therapist: 2,
    sessions_per_case: 6,
    long_therapist_years: 0,
};

/// A fixed day and time, so that two runs write the same dates.
fn plan(seed: u64, dataset: Dataset) -> SeedPlan {
    SeedPlan {
        seed,
        dataset,
        today: 20_600,
        now: 1_779_840_000_000,
    }
}

/// Today, for what the home page shows of the last weeks.
fn plan_for_today(seed: u64, dataset: Dataset) -> SeedPlan {
    let now = now_ms();
    SeedPlan {
        seed,
        dataset,
        today: utc_day(now),
        now,
    }
}

async fn seeded(database: &Database, plan: &SeedPlan) -> Result<SeedSummary, SeedError> {
    let cipher = FieldCipher::from_hex(TEST_DATA_KEY).unwrap();
    let hash = PasswordHasher::default().hash(GOOD_PASSWORD).await.unwrap();
    seed(database, &cipher, &hash, plan).await
}

async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let client = app.new_client();
    let response = app.sign_in_with(&client, email, GOOD_PASSWORD).await;
    assert_eq!(response.status(), 200, "signing in {email}");
    client
}

/// Everything a therapist reads of their cases: the list, each case's
/// timeline, and each reflection in full.
async fn practice_of(app: &TestApp, email: &str) -> (Vec<CaseSummary>, Vec<StoredReflection>) {
    let client = signed_in(app, email).await;
    let cases: Vec<CaseSummary> = get_json(app, &client, "/api/cases/list", &[]).await;
    let mut reflections = Vec::new();
    for case in &cases {
        let case_id = case.id.0.to_string();
        let overview: CaseOverview = get_json(
            app,
            &client,
            "/api/cases/overview",
            &[("case_id", &case_id)],
        )
        .await;
        for session in overview.sessions {
            reflections.push(read_own(app, &client, case.id, session.reflection_id).await);
        }
    }
    (cases, reflections)
}

async fn read_own(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
    id: ReflectionId,
) -> StoredReflection {
    let (case, id) = (case.0.to_string(), id.0.to_string());
    get_json(
        app,
        client,
        "/api/reflections/get",
        &[("case_id", &case), ("reflection_id", &id)],
    )
    .await
}

fn case_named<'a>(cases: &'a [CaseSummary], code: &str) -> &'a CaseSummary {
    cases
        .iter()
        .find(|case| case.code == code)
        .unwrap_or_else(|| panic!("{code} in {cases:?}"))
}

on_both_backends! {
    async fn one_seed_gives_the_same_data_which_reads_back_like_saved_data(backend: backend) {
        let first = spawn_app(backend).await;
        let second = spawn_app(backend).await;
        let summary = seeded(&first.database, &plan(7, Dataset::Scale(SMALL))).await.unwrap();
        assert_eq!(seeded(&second.database, &plan(7, Dataset::Scale(SMALL))).await.unwrap(), summary);
        assert_eq!((summary.accounts.len(), summary.cases, summary.reflections), (3, 4, 24));
        assert_eq!((summary.shares, summary.comments, summary.ratings, summary.meetings), (4, 32, 16, 7));

        let (cases, reflections) = practice_of(&first, "therapist-001@seed.example").await;
        assert_eq!(practice_of(&second, "therapist-001@seed.example").await, (cases.clone(), reflections.clone()));
        assert_eq!(cases.len(), 2);
        assert!(cases.iter().all(|case| case.sessions == 6 && case.status == CaseStatus::Active));
        assert_eq!(reflections.len(), 12);
        let reflection = &reflections[0].reflection;
        assert!(reflection.reactions.iter().all(|reaction| !reaction.text.is_empty() && reaction.id.is_some()));
        assert_eq!(reflection.interventions.len(), 5);
        assert!(reflections.iter().any(|stored| !stored.reflection.private_notes.is_empty()));
        // Sessions are weekly, a week now and then missed.
        let mut dates: Vec<i64> = reflections[..6]
            .iter()
            .map(|stored| parse_iso_date(&stored.reflection.session_date).unwrap())
            .collect();
        dates.sort();
        assert!(dates.windows(2).all(|pair| pair[1] - pair[0] == 7 || pair[1] - pair[0] == 14), "{dates:?}");

        // Another seed, other data.
        let third = spawn_app(backend).await;
        seeded(&third.database, &plan(8, Dataset::Scale(SMALL))).await.unwrap();
        assert_ne!(practice_of(&third, "therapist-001@seed.example").await.1, reflections);
    }

    async fn seeded_clinical_text_is_sealed_at_rest(app: app) {
        seeded(&app.database, &plan(3, Dataset::Scale(SMALL))).await.unwrap();
        let (_, reflections) = practice_of(&app, "therapist-002@seed.example").await;
        let mut texts: Vec<String> = Vec::new();
        for stored in &reflections {
            let reflection = &stored.reflection;
            texts.extend(reflection.passages().into_iter().map(|(_, text)| text.to_string()));
        }
        assert!(texts.len() > 100, "{}", texts.len());
        let everything = everything_stored(&app.database).await;
        for text in &texts {
            let readable: Vec<&(String, String)> = everything.iter().filter(|(_, value)| value.contains(text.as_str())).collect();
            assert!(readable.is_empty(), "readable at rest: {readable:?}");
        }
        let sealed: Vec<&(String, String)> = everything.iter().filter(|(place, value)| place.ends_with("_sealed") && !value.is_empty()).collect();
        assert!(sealed.len() > 500, "{}", sealed.len());
        assert!(sealed.iter().all(|(_, value)| value.starts_with("v2.")), "{sealed:?}");
        for place in ["comments.body_sealed", "pacing_ratings.note_sealed", "meetings.notes_sealed", "episodes.wish_sealed"] {
            assert!(sealed.iter().any(|(found, _)| found == place), "{place}");
        }
    }

    async fn the_demo_shows_cases_shared_cases_feedback_meetings_and_both_flags(app: app) {
        let summary = seeded(&app.database, &plan_for_today(1, Dataset::Demo)).await.unwrap();
        let emails: Vec<&str> = summary.accounts.iter().map(|account| account.email.as_str()).collect();
        assert_eq!(emails, ["supervisor@demo.example", "therapist@demo.example"]);

        let dana = signed_in(&app, "therapist@demo.example").await;
        let cases: Vec<CaseSummary> = get_json(&app, &dana, "/api/cases/list", &[]).await;
        assert_eq!(cases.len(), 4);
        assert_eq!(case_named(&cases, "D-04").status, CaseStatus::Closed);
        let flagged = case_named(&cases, "D-01");
        assert_eq!(flagged.sessions, 40);
        let analytics: CaseAnalyticsView = get_json(&app, &dana, "/api/analytics/case", &[("case_id", &flagged.id.0.to_string())]).await;
        let pacing = &analytics.analytics.pacing;
        assert!(pacing.sessions_over_threshold().any(|session| session.session.session_number == 40));
        assert!(pacing.premature_interpretations.iter().any(|flag| flag.session.session_number == 40));
        // Both flags are recent enough for the home page.
        let home: Option<HomeView> = get_json(&app, &dana, "/api/home", &[]).await;
        let home = home.expect("a home");
        assert!(home.flags.iter().any(|flag| matches!(flag.flag, FlagWorthALook::OverThreshold { .. })), "{:?}", home.flags);
        assert!(home.flags.iter().any(|flag| matches!(flag.flag, FlagWorthALook::PrematureInterpretation { .. })));
        assert!(!home.unread_places.is_empty(), "the supervisor's comments are new to the therapist");

        let sam = signed_in(&app, "supervisor@demo.example").await;
        let inbox: Vec<InboxEntry> = get_json(&app, &sam, "/api/supervision/inbox", &[]).await;
        let mut shared: Vec<&str> = inbox.iter().map(|entry| entry.case.code.as_str()).collect();
        shared.sort();
        assert_eq!(shared, ["D-01", "D-02"]);
        let overview = shared_case(&app, &sam, flagged.id).await;
        assert_eq!(overview.sessions.len(), 40);
        let latest = shared_reflection(&app, &sam, flagged.id, overview.sessions[0].reflection_id).await;
        assert_eq!(latest.feedback.threads.len(), 1);
        assert_eq!(latest.feedback.threads[0].messages.len(), 2, "the therapist answered");
        assert_eq!(latest.feedback.ratings.len(), 1);
        assert!(latest.feedback.threads[0].anchor_label.starts_with("Intervention: Transference interpretation"));
        let meetings: MeetingLists = get_json(&app, &sam, "/api/meetings/list", &[]).await;
        assert_eq!(meetings.led.len(), 3);
        assert!(meetings.led.iter().all(|meeting| meeting.supervisees == ["Dana Therapist"]));
        // Not shared: the supervisor cannot open it.
        let private = case_named(&cases, "D-03").id;
        let response = get_with(&app, &sam, "/api/supervision/case", &[("case_id", &private.0.to_string())]).await;
        assert_eq!(response.status(), 404);
    }

    async fn a_reflection_written_in_bulk_reads_back_as_the_same_one_saved(app: app) {
        let cipher = FieldCipher::from_hex(TEST_DATA_KEY).unwrap();
        let tess = app.create_user("tess@example.org", "Tess Therapist", GOOD_PASSWORD, false).await;
        let details = |code: &str| CaseDetails {
            code: code.to_string(),
            modality: Modality::Psychodynamic,
            frequency: SessionFrequency::Weekly,
            start_date: "2026-01-05".to_string(),
            planned_sessions: None,
            names_to_watch: vec!["Marguerite".to_string()],
        };
        let saved_case = app.database.create_case(&cipher, tess.id, &details("C-01"), 1).await.unwrap();
        let bulk_case = app.database.create_case(&cipher, tess.id, &details("C-02"), 1).await.unwrap();
        let mut texts = Draws::new(4);
        let written: Vec<Reflection> = sessions_from(&mut Draws::new(4), 3)
            .iter()
            .map(|facts| reflection(facts, format!("2026-01-{:02}", 5 + facts.week), &mut texts))
            .collect();
        let mut saved = Vec::new();
        for reflection in &written {
            let id = app.database.insert_reflection(&cipher, OwnersCase { owner: tess.id, case: saved_case }, reflection, 2).await.unwrap();
            // As the save's identifier review leaves it.
            app.database.set_identifiers_pending(tess.id, id, 0).await.unwrap();
            saved.push(id);
        }
        let reviewed: Vec<ReviewedReflection> = written.iter().map(|reflection| ReviewedReflection { reflection, identifiers_pending: 0 }).collect();
        let bulk = app.database.insert_reflections_in_bulk(&cipher, OwnersCase { owner: tess.id, case: bulk_case }, &reviewed, 2).await.unwrap();
        assert_eq!(bulk.len(), 3);

        let client = signed_in(&app, "tess@example.org").await;
        for ((saved, bulk), reflection) in saved.iter().zip(&bulk).zip(&written) {
            let from_save = read_own(&app, &client, saved_case, *saved).await;
            let from_bulk = read_own(&app, &client, bulk_case, *bulk).await;
            assert_eq!((from_bulk.version, from_bulk.updated_at), (from_save.version, from_save.updated_at));
            assert_eq!(without_row_ids(from_bulk.reflection.clone()), without_row_ids(from_save.reflection.clone()));
            assert_eq!(&without_row_ids(from_bulk.reflection), reflection);
        }
        // Rows made afterwards by a save get new ids, after the bulk ones.
        let later = app.database.insert_reflection(&cipher, OwnersCase { owner: tess.id, case: bulk_case }, &Reflection { session_number: 9, ..written[0].clone() }, 3).await.unwrap();
        assert!(later.0 > bulk[2].0);
        // Someone else's case is refused, and nothing is written.
        let other = app.create_user("olga@example.org", "Olga Other", GOOD_PASSWORD, false).await;
        let refused = app.database.insert_reflections_in_bulk(&cipher, OwnersCase { owner: other.id, case: bulk_case }, &reviewed, 2).await;
        assert!(matches!(refused, Err(RepoError::NotFound)), "{refused:?}");
        assert_eq!(count(&app, "reflections").await, 7);
    }

    async fn a_database_with_accounts_is_never_seeded(app: app) {
        app.create_user("real@example.org", "Real Person", GOOD_PASSWORD, false).await;
        let refused = seeded(&app.database, &plan(1, Dataset::Demo)).await;
        assert!(matches!(refused, Err(SeedError::NotEmpty)), "{refused:?}");
        assert_eq!((count(&app, "users").await, count(&app, "cases").await), (1, 0));
    }
}
