//! Session reflections over HTTP: saving and reading back, drafts that keep
//! every typed character, edit conflicts, the no-JavaScript editor, search,
//! and that clinical text is never stored readable.

use app::{
    api::{
        cases::{CaseOverview, SessionAtAGlance},
        reflections::Editor,
    },
    domain::{
        cases::{CaseId, CaseSummary},
        reflection::{
            Choices, DraftSummary, Episode, Glance, Intervention, Reaction, ReactionInput,
            Reflection, ReflectionId, ReflectionInput, StoredReflection, Timing,
        },
        vocabulary::{
            ClientResponse, EpisodeWhen, EpisodeWith, HayesManagement, HayesManifestation,
            HayesOrigin, HayesTrigger, InterventionKind, RackerIdentification, ReactionDimension,
            ResponseOfOther, ResponseOfSelf, SessionPhase, TargetPerson, Wish,
        },
    },
    error::AppError,
    server::repo::DataKeyRefusal,
};
use server::startup::{Application, StartupError};

use crate::{
    casework::{
        case_form, create_case, full_reflection, get_json, get_with, location, reaction,
        reflection_form, save_new_reflection, search_as, short_reflection, therapist,
        without_row_ids, Form,
    },
    helpers::{app_error, everything_stored, test_config, TestApp, TEST_DATA_KEY},
    on_both_backends,
};

async fn overview(app: &TestApp, case: CaseId) -> CaseOverview {
    get_json(
        app,
        &app.client,
        "/api/cases/overview",
        &[("case_id", &case.0.to_string())],
    )
    .await
}

async fn read(app: &TestApp, case: CaseId, reflection: ReflectionId) -> StoredReflection {
    get_json(
        app,
        &app.client,
        "/api/reflections/get",
        &[
            ("case_id", &case.0.to_string()),
            ("reflection_id", &reflection.0.to_string()),
        ],
    )
    .await
}

async fn editor(app: &TestApp, case: CaseId, reflection: Option<ReflectionId>) -> Editor {
    let case = case.0.to_string();
    let reflection = reflection.map(|id| id.0.to_string());
    let mut query = vec![("case_id", case.as_str())];
    if let Some(reflection) = &reflection {
        query.push(("reflection_id", reflection.as_str()));
    }
    get_json(app, &app.client, "/api/reflections/editor", &query).await
}

async fn drafts(app: &TestApp, client: &reqwest::Client) -> Vec<DraftSummary> {
    get_json(app, client, "/api/reflections/drafts", &[]).await
}

/// The editor's form for changing a saved reflection at `version`.
fn edit_form(
    case: CaseId,
    reflection: ReflectionId,
    version: i64,
    input: &ReflectionInput,
) -> Form {
    reflection_form(case, input)
        .add("reflection_id", reflection.0.to_string())
        .add("version", version.to_string())
        .add("intent", "save")
}

/// What [`full_reflection`] is once saved (without row ids).
fn full_reflection_saved(session_number: u32, session_date: &str) -> Reflection {
    Reflection {
        session_number,
        session_date: session_date.to_string(),
        reactions: vec![
            Reaction {
                id: None,
                dimension: ReactionDimension::Helpless,
                intensity: 4,
                text: "Could not find words when she left early.".to_string(),
            },
            Reaction {
                id: None,
                dimension: ReactionDimension::Parental,
                intensity: 2,
                text: String::new(),
            },
        ],
        trigger: Choices {
            picked: vec![HayesTrigger::ClientMaterial, HayesTrigger::FrameChange],
            note: "The missed session.".to_string(),
        },
        manifestation: Choices {
            picked: vec![HayesManifestation::Avoidance],
            note: String::new(),
        },
        management: Choices {
            picked: vec![HayesManagement::SelfInsight],
            note: String::new(),
        },
        origin: Choices {
            picked: vec![HayesOrigin::Family],
            note: "My brother's silences.".to_string(),
        },
        racker: Some(RackerIdentification::Complementary),
        racker_object: "the absent father".to_string(),
        racker_note: String::new(),
        enactment: "I ran over time.".to_string(),
        interventions: vec![
            Intervention {
                id: None,
                kind: InterventionKind::Clarification,
                timing: Timing::Minute(5),
                depth: 1,
                target: None,
                response: None,
                text: String::new(),
            },
            Intervention {
                id: None,
                kind: InterventionKind::TransferenceInterpretation,
                timing: Timing::Phase(SessionPhase::Late),
                depth: 4,
                target: Some(TargetPerson::Therapist),
                response: Some(ClientResponse::Withdrawal),
                text: "Linked the lateness to leaving me.".to_string(),
            },
            Intervention {
                id: None,
                kind: InterventionKind::Question,
                timing: Timing::Minute(32),
                depth: 2,
                target: Some(TargetPerson::Client),
                response: Some(ClientResponse::NewMaterial),
                text: "Asked what the silence held.".to_string(),
            },
        ],
        episodes: vec![Episode {
            id: None,
            with_whom: EpisodeWith::PastFigure,
            when: Some(EpisodeWhen::LongAgo),
            wish: Some(Wish::BeLoved),
            wish_text: "To be waited for.".to_string(),
            response_of_other: Some(ResponseOfOther::Rejecting),
            response_of_other_text: String::new(),
            response_of_self: Some(ResponseOfSelf::Disappointed),
            response_of_self_text: "Gave up asking.".to_string(),
        }],
        private_notes: "Talk to my own analyst about this.".to_string(),
    }
}

/// Ana's and Ben's reflections for the search tests.
struct SearchFixture {
    ben: reqwest::Client,
    first_case: CaseId,
    second_case: CaseId,
    bens_case: CaseId,
    /// First case, 2026-02-02: helpless 2, W: to be loved, "lighthouse dream" in the private notes.
    dream: ReflectionId,
    /// First case, 2026-03-09: helpless 5, "lighthouse" in a reaction.
    paralysed: ReflectionId,
    /// Second case, 2026-04-13: overwhelmed 3, RO: rejecting, "lighthouse" in the enactment.
    keeper: ReflectionId,
}

async fn search_fixture(app: &TestApp) -> SearchFixture {
    therapist(app, &app.client, "ana@example.org").await;
    let first_case = create_case(app, &app.client, "C-01").await;
    let second_case = create_case(app, &app.client, "C-02").await;
    let dream = save_new_reflection(
        app,
        &app.client,
        first_case,
        &ReflectionInput {
            session_number: "1".to_string(),
            session_date: "2026-02-02".to_string(),
            reactions: vec![reaction("helpless", "2", "Felt small.")],
            episodes: vec![app::domain::reflection::EpisodeInput {
                with_whom: "therapist".to_string(),
                wish: "w_loved".to_string(),
                ..Default::default()
            }],
            enactment: "Offered tea.".to_string(),
            private_notes: "The lighthouse dream again, as in March.".to_string(),
            ..ReflectionInput::default()
        },
    )
    .await;
    let paralysed = save_new_reflection(
        app,
        &app.client,
        first_case,
        &ReflectionInput {
            session_number: "2".to_string(),
            session_date: "2026-03-09".to_string(),
            reactions: vec![reaction(
                "helpless",
                "5",
                "Paralysed by the Lighthouse image.",
            )],
            episodes: vec![app::domain::reflection::EpisodeInput {
                with_whom: "current_other".to_string(),
                wish: "w_close".to_string(),
                ..Default::default()
            }],
            ..ReflectionInput::default()
        },
    )
    .await;
    let keeper = save_new_reflection(
        app,
        &app.client,
        second_case,
        &ReflectionInput {
            session_number: "1".to_string(),
            session_date: "2026-04-13".to_string(),
            reactions: vec![reaction("overwhelmed", "3", "")],
            episodes: vec![app::domain::reflection::EpisodeInput {
                with_whom: "past_figure".to_string(),
                response_of_other: "ro_rejecting".to_string(),
                ..Default::default()
            }],
            enactment: "Made the lighthouse keeper joke.".to_string(),
            ..ReflectionInput::default()
        },
    )
    .await;

    let ben = app.new_client();
    therapist(app, &ben, "ben@example.org").await;
    let bens_case = create_case(app, &ben, "B-01").await;
    save_new_reflection(
        app,
        &ben,
        bens_case,
        &ReflectionInput {
            session_number: "1".to_string(),
            session_date: "2026-02-02".to_string(),
            reactions: vec![reaction("helpless", "5", "")],
            episodes: vec![app::domain::reflection::EpisodeInput {
                with_whom: "therapist".to_string(),
                wish: "w_loved".to_string(),
                response_of_other: "ro_rejecting".to_string(),
                ..Default::default()
            }],
            private_notes: "The lighthouse dream, my version.".to_string(),
            ..ReflectionInput::default()
        },
    )
    .await;
    SearchFixture {
        ben,
        first_case,
        second_case,
        bens_case,
        dream,
        paralysed,
        keeper,
    }
}

/// The reflections found, in the order shown.
async fn found(app: &TestApp, query: &[(&str, &str)]) -> Vec<ReflectionId> {
    search_as(app, &app.client, query)
        .await
        .hits
        .iter()
        .map(|hit| hit.reflection_id)
        .collect()
}

on_both_backends! {
    async fn a_saved_reflection_reads_back_exactly_as_written(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let form = reflection_form(case, &full_reflection(3, "2026-03-02")).add("intent", "save");
        let response = app.post_form("/api/reflections/save", &form.fields()).await;
        assert_eq!(response.status(), 200);
        let target = location(&response);
        let id = ReflectionId(crate::casework::number_after(&format!("/cases/{}/reflections/", case.0), &target));
        assert_eq!(target, format!("/cases/{}/reflections/{}?saved=1", case.0, id.0));

        let stored = read(&app, case, id).await;
        assert_eq!(stored.id, id);
        assert_eq!(stored.case_id, case);
        assert_eq!(stored.case_code, "C-07");
        assert_eq!(stored.version, 1);
        assert_eq!(without_row_ids(stored.reflection.clone()), full_reflection_saved(3, "2026-03-02"));
        // Opening it for editing starts from exactly that, with no draft.
        let editing = editor(&app, case, Some(id)).await;
        assert_eq!(editing.saved.as_ref(), Some(&stored));
        assert_eq!(editing.draft, None);
        assert_eq!(without_row_ids(stored.reflection.clone()).to_input(), full_reflection(3, "2026-03-02"));
    }

    async fn the_case_overview_lists_each_session_with_its_reactions(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let first = save_new_reflection(&app, &app.client, case, &full_reflection(1, "2026-02-02")).await;
        let second = save_new_reflection(&app, &app.client, case, &short_reflection(2, "2026-02-09")).await;

        let overview = overview(&app, case).await;
        assert_eq!(
            overview.sessions,
            [
                SessionAtAGlance {
                    reflection_id: second,
                    session_number: 2,
                    session_date: "2026-02-09".to_string(),
                    glance: Glance {
                        reactions: vec![(ReactionDimension::Positive, 3)],
                        interventions: 0,
                        interpretations: 0,
                        episodes: 0,
                    },
                    unread: 0,
                    reviews: Vec::new(),
                },
                SessionAtAGlance {
                    reflection_id: first,
                    session_number: 1,
                    session_date: "2026-02-02".to_string(),
                    glance: Glance {
                        reactions: vec![(ReactionDimension::Helpless, 4), (ReactionDimension::Parental, 2)],
                        interventions: 3,
                        interpretations: 1,
                        episodes: 1,
                    },
                    unread: 0,
                    reviews: Vec::new(),
                },
            ]
        );
        let cases: Vec<CaseSummary> = get_json(&app, &app.client, "/api/cases/list", &[]).await;
        assert_eq!(cases[0].sessions, 2);
        assert_eq!(cases[0].last_reflection.as_deref(), Some("2026-02-09"));
    }

    async fn the_next_session_number_follows_the_highest_saved(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let today = app::domain::time::format_utc_date(app::server::auth::now_ms());
        let blank = editor(&app, case, None).await;
        assert_eq!(overview(&app, case).await.next_session_number, 1);
        assert_eq!(blank.blank, ReflectionInput::blank(1, &today));
        assert_eq!((blank.case_code.as_str(), blank.saved.as_ref(), blank.draft.as_ref()), ("C-07", None, None));

        save_new_reflection(&app, &app.client, case, &short_reflection(1, "2026-02-02")).await;
        assert_eq!(overview(&app, case).await.next_session_number, 2);
        // A skipped number is not filled in: the next follows the highest.
        save_new_reflection(&app, &app.client, case, &short_reflection(5, "2026-03-02")).await;
        assert_eq!(overview(&app, case).await.next_session_number, 6);
        assert_eq!(editor(&app, case, None).await.blank.session_number, "6");
    }

    async fn a_taken_session_number_is_refused_and_the_typing_kept_as_a_draft(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let saved = save_new_reflection(&app, &app.client, case, &short_reflection(3, "2026-02-02")).await;

        let typed = full_reflection(3, "2026-02-09");
        let response = app.post_form("/api/reflections/save", &reflection_form(case, &typed).add("intent", "save").fields()).await;
        assert_eq!(response.status(), 422);
        let message = app_error(response).await.field("session_number").expect("a message at the session number");
        assert!(message.contains("Session 3"), "{message}");

        let editing = editor(&app, case, None).await;
        let draft = editing.draft.expect("the typing is kept");
        assert_eq!(draft.input, typed);
        assert_eq!(draft.base_version, None);
        let sessions = overview(&app, case).await.sessions;
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0].reflection_id, saved);
        assert_eq!(read(&app, case, saved).await.reflection.reactions[0].text, "A warm session.");
    }

    async fn invalid_rows_are_reported_by_position_and_the_typing_kept_exactly(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let mut typed = full_reflection(1, "2026-01-04");
        typed.reactions[1].intensity = "7".to_string();
        typed.interventions[2].minute = "200".to_string();
        typed.interventions[0].phase = "early".to_string();
        typed.episodes[0].with_whom = String::new();
        typed.racker_object = "   ".to_string();
        typed.private_notes = "Half a thought, é and all —  ".to_string();

        let response = app.post_form("/api/reflections/save", &reflection_form(case, &typed).add("intent", "save").fields()).await;
        assert_eq!(response.status(), 422);
        let error = app_error(response).await;
        let AppError::Invalid(fields) = &error else { panic!("{error:?}") };
        let mut keys: Vec<&str> = fields.iter().map(|(field, _)| field).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["episodes.0.with_whom", "interventions.0.minute", "interventions.2.minute", "racker_object", "reactions.1.intensity", "session_date"]
        );
        assert_eq!(error.field("reactions.1.intensity").as_deref(), Some("Choose an intensity from 1 to 5."));
        assert!(error.field("session_date").unwrap().contains("before the case started"));
        assert!(error.field("interventions.0.minute").unwrap().contains("not both"));

        let draft = editor(&app, case, None).await.draft.expect("the typing is kept");
        assert_eq!(draft.input, typed, "every character, errors and spaces included");
        assert!(overview(&app, case).await.sessions.is_empty(), "nothing saved");
    }

    async fn editing_with_the_current_version_saves_and_counts_the_version_up(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let id = save_new_reflection(&app, &app.client, case, &full_reflection(1, "2026-02-02")).await;
        // A draft of the edit exists while typing; saving clears it.
        let mut changed = full_reflection(1, "2026-02-03");
        changed.reactions.remove(0);
        changed.interventions.truncate(1);
        changed.episodes.clear();
        changed.enactment = "I ended on time, for once.".to_string();
        let keep = reflection_form(case, &changed).add("reflection_id", id.0.to_string()).add("version", "1");
        assert_eq!(app.post_form("/api/reflections/keep-draft", &keep.fields()).await.status(), 200);

        let response = app.post_form("/api/reflections/save", &edit_form(case, id, 1, &changed).fields()).await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), format!("/cases/{}/reflections/{}?saved=1", case.0, id.0));

        let stored = read(&app, case, id).await;
        assert_eq!(stored.version, 2);
        assert_eq!(stored.reflection.session_date, "2026-02-03");
        assert_eq!(stored.reflection.enactment, "I ended on time, for once.");
        assert_eq!(without_row_ids(stored.reflection.clone()).reactions, [Reaction { id: None, dimension: ReactionDimension::Parental, intensity: 2, text: String::new() }]);
        assert_eq!(stored.reflection.interventions.len(), 1);
        assert!(stored.reflection.episodes.is_empty());
        assert_eq!(editor(&app, case, Some(id)).await.draft, None, "the draft is gone once saved");
        assert_eq!(overview(&app, case).await.sessions.len(), 1, "edited, not added");

        let again = app.post_form("/api/reflections/save", &edit_form(case, id, 2, &full_reflection(1, "2026-02-03")).fields()).await;
        assert_eq!(again.status(), 200);
        assert_eq!(read(&app, case, id).await.version, 3);

        // Moving it onto another session's number is refused; the typing is kept.
        save_new_reflection(&app, &app.client, case, &short_reflection(2, "2026-02-09")).await;
        let onto = full_reflection(2, "2026-02-03");
        let response = app.post_form("/api/reflections/save", &edit_form(case, id, 3, &onto).fields()).await;
        assert_eq!(response.status(), 422);
        assert!(app_error(response).await.field("session_number").unwrap().contains("Session 2"));
        let editing = editor(&app, case, Some(id)).await;
        assert_eq!(editing.saved.map(|saved| (saved.version, saved.reflection.session_number)), Some((3, 1)));
        assert_eq!(editing.draft.map(|draft| (draft.input, draft.base_version)), Some((onto, Some(3))));
    }

    async fn a_stale_edit_overwrites_nothing_and_is_kept_as_a_conflicting_draft(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let id = save_new_reflection(&app, &app.client, case, &full_reflection(1, "2026-02-02")).await;

        // Saved from one tab...
        let mut first_tab = full_reflection(1, "2026-02-02");
        first_tab.enactment = "Written in the first tab.".to_string();
        assert_eq!(app.post_form("/api/reflections/save", &edit_form(case, id, 1, &first_tab).fields()).await.status(), 200);
        // ...then from another still showing version 1.
        let mut second_tab = full_reflection(1, "2026-02-02");
        second_tab.enactment = "Written in the second tab.".to_string();
        second_tab.reactions.push(reaction("criticized", "3", "Stung by the remark."));
        let response = app.post_form("/api/reflections/save", &edit_form(case, id, 1, &second_tab).fields()).await;
        assert_eq!(response.status(), 409);
        assert_eq!(app_error(response).await, AppError::Conflict);

        let stored = read(&app, case, id).await;
        assert_eq!(stored.version, 2);
        assert_eq!(stored.reflection.enactment, "Written in the first tab.");
        assert_eq!(stored.reflection.reactions.len(), 2);

        let editing = editor(&app, case, Some(id)).await;
        let draft = editing.draft.clone().expect("the stale submission is kept");
        assert_eq!(draft.input, second_tab);
        assert_eq!(draft.base_version, Some(1));
        assert_ne!(draft.base_version, Some(stored.version));
        assert!(editing.draft_conflicts());
    }

    async fn a_kept_draft_is_offered_by_the_editor(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let saved = save_new_reflection(&app, &app.client, case, &short_reflection(4, "2026-02-09")).await;
        let mut typed = full_reflection(5, "2026-02-16");
        typed.private_notes = "Half-way through a sent".to_string();
        typed.reactions.push(Default::default());
        let before = app::server::auth::now_ms();
        let response = app.post_form("/api/reflections/keep-draft", &reflection_form(case, &typed).fields()).await;
        assert_eq!(response.status(), 200);
        let kept_at: i64 = response.text().await.unwrap().parse().expect("when it was kept");
        assert!(kept_at >= before, "{kept_at} < {before}");

        let draft = editor(&app, case, None).await.draft.expect("the draft");
        assert_eq!(draft.input, typed);
        assert_eq!(draft.updated_at, kept_at);
        assert_eq!(draft.base_version, None);

        // Typing on replaces the draft, it does not add another.
        typed.private_notes = "Half-way through a sentence.".to_string();
        app.post_form("/api/reflections/keep-draft", &reflection_form(case, &typed).fields()).await;
        assert_eq!(editor(&app, case, None).await.draft.unwrap().input, typed);
        assert_eq!(drafts(&app, &app.client).await.len(), 1);

        // A draft of an edit remembers the version it started from.
        let mut edit = short_reflection(4, "2026-02-09");
        edit.enactment = "Adding this later.".to_string();
        let form = reflection_form(case, &edit).add("reflection_id", saved.0.to_string()).add("version", "1");
        assert_eq!(app.post_form("/api/reflections/keep-draft", &form.fields()).await.status(), 200);
        let editing = editor(&app, case, Some(saved)).await;
        assert_eq!(editing.draft.as_ref().map(|draft| (&draft.input, draft.base_version)), Some((&edit, Some(1))));
        assert!(!editing.draft_conflicts());
        assert_eq!(editor(&app, case, None).await.draft.unwrap().input, typed, "the new reflection's draft is separate");
        assert_eq!(drafts(&app, &app.client).await.len(), 2);
    }

    async fn drafts_are_kept_only_for_saved_reflections_of_the_case(app: app) {
        let ben = app.new_client();
        therapist(&app, &ben, "ben@example.org").await;
        let bens_case = create_case(&app, &ben, "B-01").await;
        let bens = save_new_reflection(&app, &ben, bens_case, &full_reflection(1, "2026-02-02")).await;
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let own = save_new_reflection(&app, &app.client, case, &short_reflection(1, "2026-02-02")).await;
        let elsewhere = create_case(&app, &app.client, "C-08").await;
        let mut invalid = full_reflection(1, "2026-02-02");
        invalid.reactions[0].intensity = "9".to_string();

        // Ben's reflection, one that does not exist, and Ana's own one asked
        // for through another of her cases.
        for (case, reflection) in [(case, bens), (case, ReflectionId(bens.0 + 1000)), (elsewhere, own)] {
            for (intent, input) in [("draft", full_reflection(1, "2026-02-02")), ("add:reactions", full_reflection(1, "2026-02-02")), ("save", invalid.clone())] {
                let form = edit_form(case, reflection, 1, &input).set("intent", intent);
                let response = app.post_form("/api/reflections/save", &form.fields()).await;
                assert_eq!(response.status(), 404, "{intent} for {reflection:?} in {case:?}");
                assert_eq!(app_error(response).await, AppError::NotFound);
            }
        }
        assert!(drafts(&app, &app.client).await.is_empty(), "{:?}", drafts(&app, &app.client).await);
        assert!(drafts(&app, &ben).await.is_empty());
        assert_eq!(read(&app, case, own).await.version, 1);
    }

    async fn discarding_a_draft_removes_it(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let typed = full_reflection(1, "2026-02-02");
        app.post_form("/api/reflections/keep-draft", &reflection_form(case, &typed).fields()).await;
        assert!(editor(&app, case, None).await.draft.is_some());

        let response = app.post_form("/api/reflections/discard-draft", &[("case_id", &case.0.to_string())]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), format!("/cases/{}/reflections/new?discarded=1", case.0));
        assert_eq!(editor(&app, case, None).await.draft, None);
        assert!(drafts(&app, &app.client).await.is_empty());
        assert!(overview(&app, case).await.sessions.is_empty());

        // For a saved reflection, only the draft goes: the reflection stays.
        let saved = save_new_reflection(&app, &app.client, case, &typed).await;
        let form = reflection_form(case, &short_reflection(1, "2026-02-02")).add("reflection_id", saved.0.to_string()).add("version", "1");
        app.post_form("/api/reflections/keep-draft", &form.fields()).await;
        let response = app
            .post_form("/api/reflections/discard-draft", &[("case_id", &case.0.to_string()), ("reflection_id", &saved.0.to_string())])
            .await;
        assert_eq!(location(&response), format!("/cases/{}/reflections/{}/edit?discarded=1", case.0, saved.0));
        assert_eq!(editor(&app, case, Some(saved)).await.draft, None);
        assert_eq!(without_row_ids(read(&app, case, saved).await.reflection), full_reflection_saved(1, "2026-02-02"));
    }

    async fn the_drafts_list_names_each_drafts_case(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let first = create_case(&app, &app.client, "C-01").await;
        let second = create_case(&app, &app.client, "C-02").await;
        let saved = save_new_reflection(&app, &app.client, second, &short_reflection(1, "2026-02-02")).await;
        app.post_form("/api/reflections/keep-draft", &reflection_form(first, &full_reflection(4, "2026-02-02")).fields()).await;
        let edit = reflection_form(second, &short_reflection(1, "2026-02-03")).add("reflection_id", saved.0.to_string()).add("version", "1");
        app.post_form("/api/reflections/keep-draft", &edit.fields()).await;

        let mut listed: Vec<_> = drafts(&app, &app.client)
            .await
            .into_iter()
            .map(|draft| (draft.case_id, draft.case_code, draft.reflection_id, draft.session_number))
            .collect();
        listed.sort_by_key(|draft| draft.0 .0);
        assert_eq!(
            listed,
            [
                (first, "C-01".to_string(), None, "4".to_string()),
                (second, "C-02".to_string(), Some(saved), "1".to_string()),
            ]
        );

        // Nobody else sees them.
        let ben = app.new_client();
        therapist(&app, &ben, "ben@example.org").await;
        assert!(drafts(&app, &ben).await.is_empty());
    }

    async fn without_javascript_adding_a_row_returns_to_the_editor_with_the_draft(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let typed = full_reflection(1, "2026-02-02");
        let form = reflection_form(case, &typed).add("intent", "add:reactions");
        let response = app.post_plain_form("/api/reflections/save", &form.fields()).await;
        assert_eq!(response.status(), 302);
        assert_eq!(
            location(&response),
            format!("/cases/{}/reflections/new?draft=1&focus=reactions-2#reactions-2", case.0)
        );
        let draft = editor(&app, case, None).await.draft.expect("the typing is kept");
        assert_eq!(draft.input.reactions.len(), typed.reactions.len() + 1);
        assert_eq!(draft.input.reactions[..2], typed.reactions[..]);
        assert_eq!(draft.input.reactions[2], ReactionInput::default());
        let mut expected = typed.clone();
        expected.reactions.push(ReactionInput::default());
        assert_eq!(draft.input, expected, "nothing else changed");
        assert!(overview(&app, case).await.sessions.is_empty(), "nothing saved");
    }

    async fn without_javascript_removing_a_row_returns_to_the_editor_without_it(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let typed = full_reflection(1, "2026-02-02");
        let form = reflection_form(case, &typed).add("intent", "remove:interventions:0");
        let response = app.post_plain_form("/api/reflections/save", &form.fields()).await;
        assert_eq!(response.status(), 302);
        assert_eq!(location(&response), format!("/cases/{}/reflections/new?draft=1#interventions", case.0));
        let draft = editor(&app, case, None).await.draft.unwrap();
        assert_eq!(draft.input.interventions, typed.interventions[1..]);

        let bad = reflection_form(case, &typed).add("intent", "explode");
        let response = app.post_form("/api/reflections/save", &bad.fields()).await;
        assert_eq!(response.status(), 400);
    }

    async fn without_javascript_a_failed_save_returns_to_the_editor_showing_the_draft(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let mut typed = full_reflection(1, "2026-02-02");
        typed.reactions[0].intensity = "9".to_string();
        let response = app.post_plain_form("/api/reflections/save", &reflection_form(case, &typed).add("intent", "save").fields()).await;
        assert_eq!(response.status(), 302);
        let target = location(&response);
        assert!(target.starts_with(&format!("/cases/{}/reflections/new?draft=1&", case.0)), "{target}");
        assert!(target.contains("__err="), "{target}");
        assert!(!target.contains("analyst"), "no typed text in the URL: {target}");
        assert_eq!(editor(&app, case, None).await.draft.unwrap().input, typed);

        typed.reactions[0].intensity = "4".to_string();
        let response = app.post_plain_form("/api/reflections/save", &reflection_form(case, &typed).add("intent", "save").fields()).await;
        assert_eq!(response.status(), 302);
        let target = location(&response);
        assert!(target.starts_with(&format!("/cases/{}/reflections/", case.0)) && target.ends_with("?saved=1"), "{target}");
        assert_eq!(editor(&app, case, None).await.draft, None);
    }

    async fn clinical_text_is_stored_only_as_ciphertext(app: app) {
        const SECRET: &str = "Zephyrine";
        therapist(&app, &app.client, "ana@example.org").await;
        let form = case_form("C-07").set("case[names_to_watch]", format!("{SECRET} Quast\nTheodor"));
        let response = app.post_form("/api/cases/create", &form.fields()).await;
        let case = CaseId(crate::casework::number_after("/cases/", &location(&response)));

        let mut input = full_reflection(1, "2026-02-02");
        let with_secret = |text: &str| format!("{text} {SECRET} said so.");
        for reaction in &mut input.reactions {
            reaction.text = with_secret(&reaction.text);
        }
        for note in [
            &mut input.trigger_note,
            &mut input.manifestation_note,
            &mut input.management_note,
            &mut input.origin_note,
            &mut input.racker_object,
            &mut input.racker_note,
            &mut input.enactment,
            &mut input.private_notes,
        ] {
            *note = with_secret(note);
        }
        for intervention in &mut input.interventions {
            intervention.text = with_secret(&intervention.text);
        }
        for episode in &mut input.episodes {
            episode.wish_text = with_secret(&episode.wish_text);
            episode.response_of_other_text = with_secret(&episode.response_of_other_text);
            episode.response_of_self_text = with_secret(&episode.response_of_self_text);
        }
        let id = save_new_reflection(&app, &app.client, case, &input).await;
        let mut draft = full_reflection(2, "2026-02-09");
        draft.private_notes = with_secret("Draft:");
        app.post_form("/api/reflections/keep-draft", &reflection_form(case, &draft).fields()).await;
        // The app itself reads it all back.
        let stored = read(&app, case, id).await;
        assert_eq!(stored.reflection.private_notes, with_secret("Talk to my own analyst about this."));
        assert_eq!(stored.reflection.episodes[0].response_of_other_text, with_secret("").trim());

        let everything = everything_stored(&app.database).await;
        let readable: Vec<&(String, String)> = everything
            .iter()
            .filter(|(_, value)| value.to_lowercase().contains(&SECRET.to_lowercase()))
            .collect();
        assert!(readable.is_empty(), "readable at rest: {readable:?}");
        // The scan does see the stored data: the case code and choices are plain.
        assert!(everything.iter().any(|(place, value)| place == "cases.code" && value == "C-07"), "{everything:?}");
        assert!(everything.iter().any(|(place, value)| place == "reactions.dimension" && value == "helpless"));
        assert!(everything.iter().any(|(place, value)| place == "drafts.body_sealed" && value.starts_with("v2.")));
        assert!(everything.iter().any(|(place, value)| place == "cases.names_to_watch_sealed" && value.starts_with("v2.")));
    }

    async fn a_server_with_another_data_key_refuses_to_start(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let id = save_new_reflection(&app, &app.client, case, &full_reflection(1, "2026-02-02")).await;

        let other_key = "0123456789abcdef".repeat(4);
        assert_ne!(other_key, TEST_DATA_KEY);
        let config = test_config(&[("REVERIE_DATA_KEY", other_key.as_str())]);
        match Application::build_with_database(&config, app.database.clone()).await {
            Err(StartupError::DataKeys(DataKeyRefusal::MissingKey(_))) => {}
            Err(error) => panic!("expected a refused data key, got {error}"),
            Ok(_) => panic!("a server with another data key started"),
        }
        // With the right key, a second server starts on the same database,
        // and nothing was written under the wrong key.
        assert!(Application::build_with_database(&test_config(&[]), app.database.clone()).await.is_ok());
        assert_eq!(without_row_ids(read(&app, case, id).await.reflection), full_reflection_saved(1, "2026-02-02"));
    }

    async fn search_finds_words_in_private_notes_with_the_passage(app: app) {
        let fixture = search_fixture(&app).await;
        let results = search_as(&app, &app.client, &[("words", "DREAM")]).await;
        assert_eq!(results.hits.len(), 1);
        let hit = &results.hits[0];
        assert_eq!((hit.case_id, hit.case_code.as_str(), hit.reflection_id), (fixture.first_case, "C-01", fixture.dream));
        assert_eq!((hit.session_number, hit.session_date.as_str()), (1, "2026-02-02"));
        let passage = hit.passage.as_ref().expect("where it matched");
        assert_eq!(passage.label, "Private notes");
        assert_eq!(passage.matched, "dream");
        assert_eq!(passage.before, "The lighthouse ");
        assert_eq!(passage.after, " again, as in March.");
        // The case filter offers the asker's own cases only.
        let codes: Vec<&str> = results.cases.iter().map(|case| case.code.as_str()).collect();
        assert_eq!(codes, ["C-01", "C-02"]);

        let hit = &search_as(&app, &app.client, &[("words", "paralysed")]).await.hits[0];
        assert_eq!(hit.passage.as_ref().unwrap().label, "Reaction: Helpless / inadequate");
    }

    async fn search_needs_every_word(app: app) {
        let fixture = search_fixture(&app).await;
        assert_eq!(found(&app, &[("words", "lighthouse")]).await, [fixture.keeper, fixture.paralysed, fixture.dream], "newest first");
        assert_eq!(found(&app, &[("words", "lighthouse dream")]).await, [fixture.dream]);
        assert_eq!(found(&app, &[("words", "lighthouse  tea")]).await, [fixture.dream], "words may be in different sections");
        assert!(found(&app, &[("words", "lighthouse absent")]).await.is_empty());
        let hit = &search_as(&app, &app.client, &[("words", "keeper lighthouse")]).await.hits[0];
        let passage = hit.passage.as_ref().unwrap();
        assert_eq!((passage.label.as_str(), passage.matched.as_str()), ("Enactment", "keeper"));
    }

    async fn search_by_reaction_respects_the_minimum_intensity(app: app) {
        let fixture = search_fixture(&app).await;
        assert_eq!(found(&app, &[("dimension", "helpless")]).await, [fixture.paralysed, fixture.dream]);
        assert_eq!(found(&app, &[("dimension", "helpless"), ("min_intensity", "3")]).await, [fixture.paralysed]);
        assert_eq!(found(&app, &[("dimension", "helpless"), ("min_intensity", "5")]).await, [fixture.paralysed]);
        assert!(found(&app, &[("dimension", "overwhelmed"), ("min_intensity", "4")]).await.is_empty());
        assert_eq!(found(&app, &[("dimension", "helpless"), ("words", "dream")]).await, [fixture.dream]);
        let response = get_with(&app, &app.client, "/api/reflections/search", &[("query[dimension]", "angry"), ("query[min_intensity]", "9")]).await;
        assert_eq!(response.status(), 422);
        let error = app_error(response).await;
        assert!(error.field("dimension").is_some() && error.field("min_intensity").is_some(), "{error:?}");
    }

    async fn search_by_theme_finds_the_cluster(app: app) {
        let fixture = search_fixture(&app).await;
        assert_eq!(found(&app, &[("cluster", "w_loved")]).await, [fixture.dream]);
        assert_eq!(found(&app, &[("cluster", "w_close")]).await, [fixture.paralysed]);
        assert_eq!(found(&app, &[("cluster", "ro_rejecting")]).await, [fixture.keeper]);
        assert!(found(&app, &[("cluster", "rs_helpless")]).await.is_empty());
        // Without words, the hit shows the reflection's first passage.
        let hit = &search_as(&app, &app.client, &[("cluster", "w_loved")]).await.hits[0];
        let passage = hit.passage.as_ref().unwrap();
        assert_eq!((passage.label.as_str(), passage.before.as_str(), passage.matched.as_str()), ("Reaction: Helpless / inadequate", "", ""));
        assert_eq!(passage.after, "Felt small.");
    }

    async fn search_is_narrowed_by_case_and_dates(app: app) {
        let fixture = search_fixture(&app).await;
        let first = fixture.first_case.0.to_string();
        let second = fixture.second_case.0.to_string();
        assert_eq!(found(&app, &[("words", "lighthouse"), ("case", &first)]).await, [fixture.paralysed, fixture.dream]);
        assert_eq!(found(&app, &[("words", "lighthouse"), ("case", &second)]).await, [fixture.keeper]);
        assert_eq!(found(&app, &[("case", &second)]).await, [fixture.keeper], "a case alone is a search");

        assert_eq!(found(&app, &[("from", "2026-03-01"), ("to", "2026-03-31")]).await, [fixture.paralysed]);
        assert_eq!(found(&app, &[("from", "2026-03-09"), ("to", "2026-04-13")]).await, [fixture.keeper, fixture.paralysed], "both ends included");
        assert_eq!(found(&app, &[("to", "2026-02-02")]).await, [fixture.dream]);
        assert_eq!(found(&app, &[("from", "2026-02-03"), ("case", &first)]).await, [fixture.paralysed]);

        let response = get_with(&app, &app.client, "/api/reflections/search", &[("query[from]", "2026-05-01"), ("query[to]", "2026-04-01")]).await;
        assert_eq!(response.status(), 422);
        assert!(app_error(response).await.field("to").is_some());
    }

    async fn search_never_shows_another_therapists_reflections(app: app) {
        let fixture = search_fixture(&app).await;
        for query in [
            vec![("words", "lighthouse dream")],
            vec![("words", "version")],
            vec![("dimension", "helpless"), ("min_intensity", "5")],
            vec![("cluster", "ro_rejecting")],
            vec![("from", "2026-02-02"), ("to", "2026-02-02")],
        ] {
            let results = search_as(&app, &app.client, &query).await;
            assert!(results.hits.iter().all(|hit| hit.case_code != "B-01" && hit.case_id != fixture.bens_case), "{query:?}: {results:?}");
        }
        assert!(found(&app, &[("words", "version")]).await.is_empty());
        // Asking for Ben's case by its id is refused, not answered.
        let bens = fixture.bens_case.0.to_string();
        let response = get_with(&app, &app.client, "/api/reflections/search", &[("query[case]", &bens), ("query[words]", "lighthouse")]).await;
        assert_eq!(response.status(), 422);
        assert_eq!(app_error(response).await.field("case").as_deref(), Some("Choose one of your cases."));
        // Ben finds his own, and only his.
        let bens_results = search_as(&app, &fixture.ben, &[("words", "lighthouse")]).await;
        let codes: Vec<&str> = bens_results.hits.iter().map(|hit| hit.case_code.as_str()).collect();
        assert_eq!(codes, ["B-01"]);
    }

    async fn an_empty_search_finds_nothing(app: app) {
        search_fixture(&app).await;
        let results = search_as(&app, &app.client, &[("words", "  "), ("min_intensity", "3")]).await;
        assert!(results.hits.is_empty());
        assert_eq!(results.cases.len(), 2);
    }
}
