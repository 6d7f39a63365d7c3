//! A case's analytics over HTTP: the therapist's figures from what was
//! saved, a supervisor's from the shared sessions only (the same numbers as
//! the computation over those sessions, nothing private on the page, the
//! opening in the access log), and the therapist's transference threshold.
//! Who may reach each endpoint is probed in `sharing_access`.

use app::{
    api::{analytics::CaseAnalyticsView, shares::AccessLogView},
    domain::{
        analytics::{export::AnalyticsDocument, CaseAnalytics},
        cases::CaseId,
        reflection::{InterventionInput, ReflectionId, ReflectionInput},
        sharing::SharedMaterial,
        timeline::numbers_of,
        vocabulary::{
            ClientResponse, EpisodeWhen, ReactionDimension, ResponseOfOther, ResponseOfSelf, Wish,
        },
    },
};

use crate::{
    casework::{error_in, get_json, get_with, location, save_new_reflection},
    helpers::{app_error, TestApp},
    on_both_backends,
    sharing::{
        account, assert_nothing_private, marked_reflection, new_case, page, share_case, Account,
    },
};

/// Sessions 1–3 as [`marked_reflection`]: interventions of depth 1, 4
/// (a transference interpretation, late in the session, met with
/// withdrawal) and 2, one episode with a past figure long ago; then session
/// 4 with one transference interpretation of depth 5 met with a rupture.
async fn case_with_four_sessions(
    app: &TestApp,
    therapist: &Account,
) -> (CaseId, Vec<ReflectionId>) {
    let case = new_case(app, &therapist.client, "C-21").await;
    let mut reflections = Vec::new();
    for (number, date) in [(1, "2019-03-18"), (2, "2019-03-25"), (3, "2019-04-01")] {
        reflections.push(
            save_new_reflection(
                app,
                &therapist.client,
                case,
                &marked_reflection(number, date),
            )
            .await,
        );
    }
    let deep = ReflectionInput {
        interventions: vec![InterventionInput {
            kind: "transference_interpretation".to_string(),
            minute: "20".to_string(),
            depth: "5".to_string(),
            response: "rupture".to_string(),
            text: "Said she was leaving me as her father left.".to_string(),
            ..InterventionInput::default()
        }],
        episodes: Vec::new(),
        ..marked_reflection(4, "2019-04-08")
    };
    reflections.push(save_new_reflection(app, &therapist.client, case, &deep).await);
    (case, reflections)
}

async fn analytics(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    case: CaseId,
) -> CaseAnalyticsView {
    get_json(app, client, path, &[("case_id", &case.0.to_string())]).await
}

on_both_backends! {
    async fn the_therapist_reads_pacing_themes_and_countertransference_of_what_was_saved(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let (case, reflections) = case_with_four_sessions(&app, &tess).await;
        let view = analytics(&app, &tess.client, "/api/analytics/case", case).await;
        assert_eq!((view.case_code.as_str(), view.sessions), ("C-21", 4));
        let pacing = &view.analytics.pacing;
        assert_eq!(pacing.transference_threshold, 3);
        let first = &pacing.sessions[0];
        assert_eq!((first.interventions, first.interpretations, first.transference_interpretations), (3, 1, 1));
        assert_eq!(first.mean_depth, Some(7.0 / 3.0));
        assert_eq!(first.first_interpretation_minute, Some(50), "late in the session counts as minute 50");
        assert_eq!(first.session.week, 1);
        // Only session 4's interpretation goes 2 deeper than the mean depth
        // of the three sessions before it (7/3) and met a rupture; session
        // 1's came first, so it had no baseline.
        let [flag] = pacing.premature_interpretations.as_slice() else {
            panic!("one premature interpretation: {:?}", pacing.premature_interpretations);
        };
        assert_eq!((flag.session.reflection, flag.depth, flag.response), (reflections[3], 5, ClientResponse::Rupture));
        assert_eq!(flag.baseline_sessions, [1, 2, 3]);
        assert!((flag.baseline - 7.0 / 3.0).abs() < 1e-9);

        let themes = &view.analytics.themes;
        let theme = themes.most_pervasive.as_ref().expect("a theme");
        assert_eq!((theme.wish, theme.response_of_other, theme.response_of_self), (Wish::BeLoved, ResponseOfOther::Rejecting, ResponseOfSelf::Disappointed));
        assert_eq!((theme.episodes, theme.pervasiveness), (3, 0.75));
        assert_eq!(themes.with_others.by_when[&EpisodeWhen::LongAgo], 3);
        assert_eq!(themes.with_therapist.total, 0);
        assert_eq!(themes.sessions[0].wishes, [Wish::BeLoved]);
        assert_eq!(themes.sessions[0].responses_of_self, [ResponseOfSelf::Disappointed]);
        assert!(themes.sessions[3].wishes.is_empty(), "session 4 has no episode");

        let heat = &view.analytics.countertransference;
        assert_eq!(heat.heat_map.iter().map(|row| row.cell(ReactionDimension::Helpless)).collect::<Vec<_>>(), [4, 4, 4, 4]);
        assert_eq!(heat.dimensions[&ReactionDimension::Parental].mean, Some(2.0));
        assert_eq!(heat.dimensions[&ReactionDimension::Sexualized].mean, Some(0.0));

        // The page shows the charts with their tables, and links the flag
        // to the intervention.
        let body = page(&app, &tess.client, &format!("/cases/{}/analytics", case.0)).await.text().await.unwrap();
        for expected in ["What stands out", "1 interpretation is flagged as premature (session 4)", "<svg", "role=\"img\"", "Highest intensity per session", "Interventions by kind", "Clusters per session"] {
            assert!(body.contains(expected), "the page shows {expected:?}");
        }
        assert!(body.contains(&format!("/cases/{}/reflections/{}#interventions-", case.0, reflections[3].0)));
    }

    async fn a_case_without_sessions_says_so_instead_of_empty_charts(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let case = new_case(&app, &tess.client, "C-0").await;
        let body = page(&app, &tess.client, &format!("/cases/{}/analytics", case.0)).await.text().await.unwrap();
        assert!(body.contains("No sessions yet: the figures appear once reflections are written."));
        assert!(body.contains("Save threshold"), "the setting is there from the start");
        for absent in ["<svg", "What stands out", "analytics.json"] {
            assert!(!body.contains(absent), "an empty case shows no {absent:?}");
        }
    }

    async fn a_supervisor_gets_the_same_numbers_over_the_shared_sessions_only(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let sam = account(&app, "sam@example.org", "Sam Supervisor").await;
        let (case, reflections) = case_with_four_sessions(&app, &tess).await;
        share_case(&app, &tess.client, case, "sam@example.org", &[reflections[1]]).await;

        let shared = analytics(&app, &sam.client, "/api/analytics/shared", case).await;
        let owner_facts = app.database.session_facts(case, None, None).await.unwrap();
        // A span of session numbers reads those sessions only (a page of a timeline).
        let middle = app.database.session_facts(case, None, Some(2..=3)).await.unwrap();
        assert_eq!(middle.iter().map(|s| s.session_number).collect::<Vec<_>>(), [2, 3]);
        assert!(app.database.session_facts(case, None, Some(numbers_of([]))).await.unwrap().is_empty());
        let shared_facts: Vec<_> = owner_facts.into_iter().filter(|session| session.reflection != reflections[1]).collect();
        assert_eq!(shared.analytics, CaseAnalytics::of(&shared_facts, 3));
        assert_eq!(shared.sessions, 3);
        let numbers: Vec<u32> = shared.analytics.pacing.sessions.iter().map(|s| s.session.session_number).collect();
        assert_eq!(numbers, [1, 3, 4]);
        let [flag] = shared.analytics.pacing.premature_interpretations.as_slice() else { panic!("one flag") };
        assert_eq!(flag.baseline_sessions, [1, 3], "the left-out session is not part of the baseline");
        // The therapist's own figures still cover all four sessions.
        assert_eq!(analytics(&app, &tess.client, "/api/analytics/case", case).await.sessions, 4);

        let response = page(&app, &sam.client, &format!("/supervision/cases/{}/analytics", case.0)).await;
        assert_eq!(response.status(), 200);
        let body = response.text().await.unwrap();
        assert_nothing_private("the shared analytics page", &body);
        assert!(body.contains(&format!("/supervision/cases/{}/reflections/{}#interventions-", case.0, reflections[3].0)));
        assert!(!body.contains(&format!("href=\"/cases/{}", case.0)), "no link into the therapist's own pages");

        let log: AccessLogView = get_json(&app, &tess.client, "/api/shares/access-log", &[("case_id", &case.0.to_string())]).await;
        let opened: Vec<SharedMaterial> = log.events.iter().filter(|e| e.supervisor_name == "Sam Supervisor").map(|e| e.material).collect();
        assert_eq!(opened, [SharedMaterial::Analytics, SharedMaterial::Analytics], "the API read and the page each logged");
    }

    async fn the_figures_download_as_json_and_csv_for_whoever_may_read_them(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let sam = account(&app, "sam@example.org", "Sam Supervisor").await;
        let olga = account(&app, "olga@example.org", "Olga Other").await;
        let (case, reflections) = case_with_four_sessions(&app, &tess).await;
        share_case(&app, &tess.client, case, "sam@example.org", &[reflections[1]]).await;
        let mine = format!("/cases/{}/analytics/download", case.0);
        let shared = format!("/supervision/cases/{}/analytics/download", case.0);

        let response = get_with(&app, &tess.client, &format!("{mine}/analytics.json"), &[]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.headers()["content-disposition"], "attachment; filename=\"C-21-analytics.json\"");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let document: AnalyticsDocument = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!((document.schema.as_str(), document.case_code.as_str(), document.sessions), ("reverie.case-analytics.v1", "C-21", 4));
        assert_eq!(document.analytics, analytics(&app, &tess.client, "/api/analytics/case", case).await.analytics);

        let response = get_with(&app, &tess.client, &format!("{mine}/pacing.csv"), &[]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
        assert_eq!(response.headers()["content-disposition"], "attachment; filename=\"C-21-pacing.csv\"");
        let csv = response.text().await.unwrap();
        let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 5, "a header and four sessions: {csv}");
        assert!(lines[1].starts_with("1,1,3,1,"), "{}", lines[1]);

        // The supervisor's file covers the shared sessions, and is logged.
        let response = get_with(&app, &sam.client, &format!("{shared}/heat-map.csv"), &[]).await;
        assert_eq!(response.status(), 200);
        let numbers: Vec<String> = response.text().await.unwrap().trim_end().split("\r\n").skip(1).map(|line| line.split(',').next().unwrap().to_string()).collect();
        assert_eq!(numbers, ["1", "3", "4"]);
        let log: AccessLogView = get_json(&app, &tess.client, "/api/shares/access-log", &[("case_id", &case.0.to_string())]).await;
        assert_eq!(log.events.iter().map(|e| e.material).collect::<Vec<_>>(), [SharedMaterial::Analytics]);

        // Anyone else learns nothing; unknown files are not found.
        for (client, path, status) in [
            (&olga.client, format!("{mine}/analytics.json"), 404),
            (&sam.client, format!("{mine}/analytics.json"), 404),
            (&olga.client, format!("{shared}/analytics.json"), 404),
            (&tess.client, format!("{shared}/analytics.json"), 404),
            (&app.new_client(), format!("{mine}/analytics.json"), 401),
            (&app.new_client(), format!("{shared}/pacing.csv"), 401),
            (&tess.client, format!("{mine}/secrets.csv"), 404),
            (&tess.client, format!("/cases/{}/analytics/download/analytics.json", case.0 + 1000), 404),
        ] {
            let response = get_with(&app, client, &path, &[]).await;
            assert_eq!(response.status(), status, "{path}");
            assert!(!response.text().await.unwrap().contains("C-21"), "{path} says nothing of the case");
        }
        let page = page(&app, &tess.client, &format!("/cases/{}/analytics", case.0)).await.text().await.unwrap();
        assert!(page.contains(&format!("href=\"{mine}/analytics.json\"")));
        assert!(page.contains(&format!("href=\"{mine}/responses-by-depth.csv\"")));
    }

    async fn the_therapist_sets_the_transference_threshold(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let (case, _) = case_with_four_sessions(&app, &tess).await;
        let set = |threshold: &'static str| {
            let client = tess.client.clone();
            let app = &app;
            async move {
                app.post_form_with(&client, "/api/analytics/threshold", &[("case_id", &case.0.to_string()), ("threshold", threshold)]).await
            }
        };

        let response = set("0").await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), format!("/cases/{}/analytics?threshold_saved=1", case.0));
        let view = analytics(&app, &tess.client, "/api/analytics/case", case).await;
        assert_eq!(view.analytics.pacing.transference_threshold, 0);
        assert!(view.analytics.pacing.sessions.iter().all(|s| s.over_threshold), "every session has a transference interpretation");

        for wrong in ["21", "-1", "two"] {
            let error = app_error(set(wrong).await).await;
            assert!(error.field("threshold").unwrap().contains("from 0 to 20"), "{wrong}: {error:?}");
        }
        assert_eq!(analytics(&app, &tess.client, "/api/analytics/case", case).await.analytics.pacing.transference_threshold, 0);

        // Without JavaScript a mistake comes back to the page with what was typed.
        let response = app.post_plain_form_with(&tess.client, "/api/analytics/threshold", &[("case_id", &case.0.to_string()), ("threshold", "99")]).await;
        let target = location(&response);
        assert!(target.starts_with(&format!("/cases/{}/analytics?", case.0)), "{target}");
        assert!(target.contains("threshold=99"));
        assert!(error_in(&target).field("threshold").is_some());
    }
}
