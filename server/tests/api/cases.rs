//! Cases over HTTP: creating, listing, editing, closing, deleting; that
//! nobody else reaches them; and the no-JavaScript form path.

use crate::{
    casework::{
        case_form, create_case, error_in, full_reflection, get_json, get_with, location,
        number_after, reflection_form, save_new_reflection, therapist, url_pairs, CASE_START,
    },
    helpers::{app_error, count, TestApp},
    on_both_backends,
};
use app::{
    api::cases::CaseOverview,
    domain::{
        cases::{CaseId, CaseSummary},
        reflection::{Draft, ReflectionInput},
        vocabulary::{CaseStatus, Modality, SessionFrequency},
    },
    error::AppError,
};

async fn my_cases(app: &TestApp, status: &str) -> Vec<CaseSummary> {
    get_json(app, &app.client, "/api/cases/list", &[("status", status)]).await
}

async fn overview(app: &TestApp, case: CaseId) -> CaseOverview {
    get_json(
        app,
        &app.client,
        "/api/cases/overview",
        &[("case_id", &case.0.to_string())],
    )
    .await
}

fn codes(cases: &[CaseSummary]) -> Vec<&str> {
    cases.iter().map(|case| case.code.as_str()).collect()
}

on_both_backends! {
    async fn a_new_case_is_listed_with_no_sessions(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let response = app.post_form("/api/cases/create", &case_form(" C-07 ").fields()).await;
        assert_eq!(response.status(), 200);
        let target = location(&response);
        let id = CaseId(number_after("/cases/", &target));
        assert_eq!(target, format!("/cases/{}?created=1", id.0));
        assert!(response.headers().get("serverfnredirect").is_some(), "the page navigates client-side");

        assert_eq!(
            my_cases(&app, "active").await,
            [CaseSummary { id, code: "C-07".to_string(), status: CaseStatus::Active, frequency: SessionFrequency::Weekly, sessions: 0, last_reflection: None, last_session_number: None }]
        );
        let overview = overview(&app, id).await;
        assert_eq!(overview.case.details.code, "C-07");
        assert_eq!(overview.case.details.modality, Modality::Psychodynamic);
        assert_eq!(overview.case.details.frequency, SessionFrequency::Weekly);
        assert_eq!(overview.case.details.start_date, CASE_START);
        assert_eq!(overview.case.details.planned_sessions, Some(40));
        assert_eq!(overview.case.details.names_to_watch, ["Marguerite", "Theodor"]);
        assert!(overview.sessions.is_empty());
        assert_eq!(overview.next_session_number, 1);
    }

    async fn case_codes_are_unique_per_therapist_ignoring_letter_case(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        create_case(&app, &app.client, "C-07").await;
        let again = app.post_form("/api/cases/create", &case_form("c-07").fields()).await;
        assert_eq!(again.status(), 422);
        let message = app_error(again).await.field("code").expect("a message at the code");
        assert!(message.contains("c-07"), "{message}");
        assert_eq!(codes(&my_cases(&app, "").await), ["C-07"]);

        // Beyond ASCII too, the same on both backends.
        create_case(&app, &app.client, "Élan-2").await;
        let again = app.post_form("/api/cases/create", &case_form("éLAN-2").fields()).await;
        assert_eq!(again.status(), 422);
        assert!(app_error(again).await.field("code").is_some());
        assert_eq!(codes(&my_cases(&app, "").await), ["C-07", "Élan-2"]);

        // Another therapist's codes are their own business.
        let ben = app.new_client();
        therapist(&app, &ben, "ben@example.org").await;
        create_case(&app, &ben, "C-07").await;
    }

    async fn each_invalid_case_field_gets_its_own_message(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let form = case_form("")
            .set("case[modality]", "cbt")
            .set("case[frequency]", "")
            .set("case[start_date]", "2026-02-30")
            .set("case[planned_sessions]", "0")
            .set("case[names_to_watch]", "A");
        let response = app.post_form("/api/cases/create", &form.fields()).await;
        assert_eq!(response.status(), 422);
        let error = app_error(response).await;
        for field in ["code", "modality", "frequency", "start_date", "planned_sessions", "names_to_watch"] {
            assert!(error.field(field).is_some(), "{field}: {error:?}");
        }
        assert_eq!(error.field("modality").as_deref(), Some("Choose the modality of the work."));

        // A code may not give away a name the therapist is watching for.
        let response = app
            .post_form("/api/cases/create", &case_form("Marguerite-1").fields())
            .await;
        let message = app_error(response).await.field("code").unwrap();
        assert!(message.contains("one of the names you listed to watch"), "{message}");
        assert!(my_cases(&app, "").await.is_empty());
    }

    async fn invisible_characters_are_refused_where_they_could_deceive(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let hidden_code = app.post_form("/api/cases/create", &case_form("C-\u{200B}07").fields()).await;
        assert_eq!(hidden_code.status(), 422);
        assert!(app_error(hidden_code).await.field("code").unwrap().contains("invisible"));
        let hidden_name = case_form("C-07").set("case[names_to_watch]", "Mar\u{202E}guerite");
        let response = app.post_form("/api/cases/create", &hidden_name.fields()).await;
        assert!(app_error(response).await.field("names_to_watch").unwrap().contains("invisible"));
        // A watched name typed with a combining accent still stops a code.
        let accented = case_form("Zoe\u{0308}-1").set("case[names_to_watch]", "Zoë");
        let response = app.post_form("/api/cases/create", &accented.fields()).await;
        assert!(app_error(response).await.field("code").is_some());
        assert!(my_cases(&app, "").await.is_empty());
    }

    async fn without_javascript_a_watched_name_never_travels_in_the_address(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let too_long = "Marguerite".repeat(7);
        for (code, names) in [("Marguerite-1", "Marguerite"), ("C-07", "Q\nMarguerite"), ("C-07", too_long.as_str())] {
            let form = case_form(code).set("case[names_to_watch]", names);
            let response = app.post_plain_form("/api/cases/create", &form.fields()).await;
            assert_eq!(response.status(), 302);
            let target = location(&response);
            // Everything the address carries, decoded: the kept fields and the error.
            let decoded: Vec<String> = url_pairs(&target).into_iter().map(|(key, value)| format!("{key}={value}")).collect();
            let error = format!("{:?}", error_in(&target));
            for text in decoded.iter().chain([&error, &target]) {
                assert!(!text.contains("Marguerite"), "a watched name in the address: {text}");
            }
            assert!(error_in(&target).field("code").is_some() || error_in(&target).field("names_to_watch").is_some(), "{error}");
        }
    }

    async fn editing_a_case_changes_its_details(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let id = create_case(&app, &app.client, "C-07").await;
        create_case(&app, &app.client, "C-08").await;
        let form = case_form("C-07b")
            .set("case[modality]", "short_term_psychodynamic")
            .set("case[frequency]", "twice_weekly")
            .set("case[start_date]", "2026-02-01")
            .set("case[planned_sessions]", "")
            .set("case[names_to_watch]", "Odile")
            .add("case_id", id.0.to_string());
        let response = app.post_form("/api/cases/update", &form.fields()).await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), format!("/cases/{}?updated=1", id.0));

        let details = overview(&app, id).await.case.details;
        assert_eq!(details.code, "C-07b");
        assert_eq!(details.modality, Modality::ShortTermPsychodynamic);
        assert_eq!(details.frequency, SessionFrequency::TwiceWeekly);
        assert_eq!(details.start_date, "2026-02-01");
        assert_eq!(details.planned_sessions, None);
        assert_eq!(details.names_to_watch, ["Odile"]);

        // Taking another case's code, or a bad field, changes nothing.
        let taken = case_form("c-08").add("case_id", id.0.to_string());
        let response = app.post_form("/api/cases/update", &taken.fields()).await;
        assert_eq!(response.status(), 422);
        assert!(app_error(response).await.field("code").is_some());
        let invalid = case_form("C-07c").set("case[frequency]", "daily").add("case_id", id.0.to_string());
        let response = app.post_form("/api/cases/update", &invalid.fields()).await;
        assert_eq!(app_error(response).await.field("frequency").as_deref(), Some("Choose how often you meet."));
        assert_eq!(overview(&app, id).await.case.details, details);
    }

    async fn closing_and_reopening_moves_a_case_between_the_lists(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let closing = create_case(&app, &app.client, "C-01").await;
        create_case(&app, &app.client, "C-02").await;
        let id = closing.0.to_string();

        let response = app.post_form("/api/cases/status", &[("case_id", &id), ("status", "closed")]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), format!("/cases/{id}?status=closed"));
        assert_eq!(codes(&my_cases(&app, "active").await), ["C-02"]);
        assert_eq!(codes(&my_cases(&app, "closed").await), ["C-01"]);
        assert_eq!(codes(&my_cases(&app, "").await), ["C-02", "C-01"], "active first");
        assert_eq!(overview(&app, closing).await.case.status, CaseStatus::Closed);

        let response = app.post_form("/api/cases/status", &[("case_id", &id), ("status", "active")]).await;
        assert_eq!(location(&response), format!("/cases/{id}?status=active"));
        assert_eq!(codes(&my_cases(&app, "active").await), ["C-01", "C-02"]);
        assert!(my_cases(&app, "closed").await.is_empty());

        let response = app.post_form("/api/cases/status", &[("case_id", &id), ("status", "archived")]).await;
        assert_eq!(response.status(), 400);
    }

    async fn deleting_a_case_needs_its_code_and_removes_everything_of_it(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let kept = create_case(&app, &app.client, "C-08").await;
        save_new_reflection(&app, &app.client, case, &full_reflection(1, "2026-02-02")).await;
        save_new_reflection(&app, &app.client, kept, &full_reflection(1, "2026-02-03")).await;
        let draft = reflection_form(case, &full_reflection(2, "2026-02-09"));
        assert_eq!(app.post_form("/api/reflections/keep-draft", &draft.fields()).await.status(), 200);
        let id = case.0.to_string();

        let wrong = app.post_form("/api/cases/delete", &[("case_id", &id), ("confirm_code", "C-08")]).await;
        assert_eq!(wrong.status(), 422);
        assert!(app_error(wrong).await.field("confirm_code").is_some());
        let empty = app.post_form("/api/cases/delete", &[("case_id", &id), ("confirm_code", "")]).await;
        assert_eq!(empty.status(), 422);
        assert_eq!(overview(&app, case).await.sessions.len(), 1, "nothing deleted");

        let response = app.post_form("/api/cases/delete", &[("case_id", &id), ("confirm_code", " c-07 ")]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), "/cases?deleted=1");
        assert_eq!(codes(&my_cases(&app, "").await), ["C-08"]);
        let gone = get_with(&app, &app.client, "/api/cases/overview", &[("case_id", &id)]).await;
        assert_eq!(gone.status(), 404);
        // Only the other case's reflection and its rows are left; no draft.
        assert_eq!(count(&app, "reflections").await, 1);
        assert_eq!(count(&app, "reactions").await, 2);
        assert_eq!(count(&app, "interventions").await, 3);
        assert_eq!(count(&app, "episodes").await, 1);
        assert_eq!(count(&app, "drafts").await, 0);
        assert_eq!(overview(&app, kept).await.sessions.len(), 1);
    }

    async fn another_therapists_case_is_not_found_whatever_is_asked(app: app) {
        let ben = app.new_client();
        therapist(&app, &ben, "ben@example.org").await;
        let bens_case = create_case(&app, &ben, "B-01").await;
        let bens_reflection = save_new_reflection(&app, &ben, bens_case, &full_reflection(1, "2026-02-02")).await;
        therapist(&app, &app.client, "ana@example.org").await;
        let own_case = create_case(&app, &app.client, "A-01").await;

        let case = bens_case.0.to_string();
        let reflection = bens_reflection.0.to_string();
        let form = reflection_form(bens_case, &full_reflection(2, "2026-02-09"));
        let edit = reflection_form(bens_case, &full_reflection(1, "2026-02-02"))
            .add("reflection_id", reflection.clone())
            .add("version", "1");
        let gets = [
            ("/api/cases/overview", vec![("case_id", case.as_str())]),
            ("/api/reflections/editor", vec![("case_id", case.as_str())]),
            ("/api/reflections/editor", vec![("case_id", case.as_str()), ("reflection_id", reflection.as_str())]),
            ("/api/reflections/get", vec![("case_id", case.as_str()), ("reflection_id", reflection.as_str())]),
        ];
        for (path, query) in gets {
            let response = get_with(&app, &app.client, path, &query).await;
            assert_eq!(response.status(), 404, "{path} {query:?}");
            assert_eq!(app_error(response).await, AppError::NotFound);
        }
        // Ben's reflection through Ana's own case is no way in either.
        let own = own_case.0.to_string();
        let response = get_with(&app, &app.client, "/api/reflections/get", &[("case_id", &own), ("reflection_id", &reflection)]).await;
        assert_eq!(response.status(), 404);
        let through_own = reflection_form(own_case, &full_reflection(1, "2026-02-02"))
            .add("reflection_id", reflection.clone())
            .add("version", "1");
        for path in ["/api/reflections/save", "/api/reflections/keep-draft"] {
            let response = app.post_form(path, &through_own.fields()).await;
            assert_eq!(response.status(), 404, "{path} through Ana's case");
        }

        let update = case_form("Mine").add("case_id", case.clone());
        let posts: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("/api/cases/update", update.fields()),
            ("/api/cases/status", vec![("case_id", case.as_str()), ("status", "closed")]),
            ("/api/cases/delete", vec![("case_id", case.as_str()), ("confirm_code", "B-01")]),
            ("/api/reflections/save", form.fields()),
            ("/api/reflections/save", edit.fields()),
            ("/api/reflections/keep-draft", form.fields()),
            ("/api/reflections/discard-draft", vec![("case_id", case.as_str())]),
        ];
        for (path, fields) in posts {
            let response = app.post_form(path, &fields).await;
            assert_eq!(response.status(), 404, "{path}");
            assert_eq!(app_error(response).await, AppError::NotFound, "{path}");
        }

        // Ben's case is as he left it, and no draft was kept for anyone.
        let bens: Vec<CaseSummary> = get_json(&app, &ben, "/api/cases/list", &[]).await;
        assert_eq!(bens.len(), 1);
        assert_eq!((bens[0].code.as_str(), bens[0].status, bens[0].sessions), ("B-01", CaseStatus::Active, 1));
        let reread: app::domain::reflection::StoredReflection = get_json(&app, &ben, "/api/reflections/get", &[("case_id", &case), ("reflection_id", &reflection)]).await;
        assert_eq!(reread.version, 1);
        assert_eq!(count(&app, "drafts").await, 0);
    }

    async fn signed_out_visitors_are_asked_to_sign_in(app: app) {
        let owner = app.new_client();
        therapist(&app, &owner, "ana@example.org").await;
        let case = create_case(&app, &owner, "C-07").await;
        let id = case.0.to_string();

        let gets = [
            ("/api/cases/list", vec![]),
            ("/api/cases/overview", vec![("case_id", id.as_str())]),
            ("/api/reflections/editor", vec![("case_id", id.as_str())]),
            ("/api/reflections/drafts", vec![]),
            ("/api/reflections/search", vec![("query[words]", "session")]),
        ];
        for (path, query) in gets {
            let response = get_with(&app, &app.client, path, &query).await;
            assert_eq!(response.status(), 401, "{path}");
            assert_eq!(app_error(response).await, AppError::Unauthenticated);
        }
        let reflection = reflection_form(case, &full_reflection(1, "2026-02-02"));
        let new_case = case_form("C-08");
        let posts: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("/api/cases/create", new_case.fields()),
            ("/api/cases/status", vec![("case_id", id.as_str()), ("status", "closed")]),
            ("/api/cases/delete", vec![("case_id", id.as_str()), ("confirm_code", "C-07")]),
            ("/api/reflections/save", reflection.fields()),
            ("/api/reflections/keep-draft", reflection.fields()),
        ];
        for (path, fields) in posts {
            let response = app.post_form(path, &fields).await;
            assert_eq!(response.status(), 401, "{path}");
        }
        let cases: Vec<CaseSummary> = get_json(&app, &owner, "/api/cases/list", &[]).await;
        assert_eq!(codes(&cases), ["C-07"]);
        assert_eq!(count(&app, "drafts").await, 0);
    }

    async fn without_javascript_a_failed_case_form_returns_with_what_was_typed_but_no_names(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let form = case_form("C-07")
            .set("case[start_date]", "2026-13-01")
            .set("case[names_to_watch]", "Marguerite Vasseur");
        let response = app.post_plain_form("/api/cases/create", &form.fields()).await;
        assert_eq!(response.status(), 302);
        let target = location(&response);
        assert!(target.starts_with("/cases/new?"), "{target}");
        let query: Vec<(String, String)> = url_pairs(&target);
        let value = |name: &str| query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
        assert_eq!(value("case[code]"), Some("C-07"));
        assert_eq!(value("case[modality]"), Some("psychodynamic"));
        assert_eq!(value("case[start_date]"), Some("2026-13-01"));
        assert_eq!(value("case[names_to_watch]"), None);
        for name in ["Marguerite", "Vasseur"] {
            assert!(!target.contains(name), "names to watch never go into a URL: {target}");
        }
        assert!(value("__err").is_some(), "{target}");
        let error = error_in(&target);
        assert!(error.field("start_date").is_some(), "{error:?}");
        assert!(my_cases(&app, "").await.is_empty());

        // Corrected, the same plain post creates the case and goes to it.
        let response = app.post_plain_form("/api/cases/create", &case_form("C-07").fields()).await;
        assert_eq!(response.status(), 302);
        let target = location(&response);
        let id = number_after("/cases/", &target);
        assert_eq!(target, format!("/cases/{id}?created=1"));
        assert_eq!(codes(&my_cases(&app, "active").await), ["C-07"]);
    }

    async fn without_javascript_failed_edits_and_deletions_return_to_their_forms(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let id = case.0.to_string();

        let form = case_form("C-07").set("case[planned_sessions]", "many").set("case[names_to_watch]", "Odile Vasseur").add("case_id", id.clone());
        let response = app.post_plain_form("/api/cases/update", &form.fields()).await;
        assert_eq!(response.status(), 302);
        let target = location(&response);
        assert!(target.starts_with(&format!("/cases/{id}/edit?")), "{target}");
        let query = url_pairs(&target);
        assert!(query.contains(&("case[planned_sessions]".to_string(), "many".to_string())), "{target}");
        assert!(!target.contains("Odile") && !target.contains("Vasseur"), "{target}");
        assert_eq!(overview(&app, case).await.case.details.planned_sessions, Some(40), "unchanged");

        let response = app.post_plain_form("/api/cases/delete", &[("case_id", &id), ("confirm_code", "C-7")]).await;
        assert_eq!(response.status(), 302);
        let target = location(&response);
        assert!(target.starts_with(&format!("/cases/{id}/delete?")) && target.contains("__err="), "{target}");
        let error = error_in(&target);
        assert!(error.field("confirm_code").is_some(), "{error:?}");
        assert_eq!(codes(&my_cases(&app, "").await), ["C-07"]);

        let response = app.post_plain_form("/api/cases/delete", &[("case_id", &id), ("confirm_code", "C-07")]).await;
        assert_eq!((response.status().as_u16(), location(&response).as_str()), (302, "/cases?deleted=1"));
        assert!(my_cases(&app, "").await.is_empty());
    }

    async fn a_case_with_a_draft_only_counts_no_sessions(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "C-07").await;
        let draft = reflection_form(case, &ReflectionInput { session_number: "1".to_string(), ..ReflectionInput::default() });
        assert_eq!(app.post_form("/api/reflections/keep-draft", &draft.fields()).await.status(), 200);
        let listed = my_cases(&app, "active").await;
        assert_eq!((listed[0].sessions, listed[0].last_reflection.as_deref()), (0, None));
        let editor: app::api::reflections::Editor = get_json(&app, &app.client, "/api/reflections/editor", &[("case_id", &case.0.to_string())]).await;
        assert!(matches!(editor.draft, Some(Draft { base_version: None, .. })));
    }
}
