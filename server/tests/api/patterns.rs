//! "My patterns" over HTTP: the therapist's countertransference profile
//! across their cases and the verdict on each case, computed from what was
//! saved; no verdict with too few cases; and that the endpoint and the page
//! only ever answer with the signed-in therapist's own cases.

use app::{
    domain::{
        analytics::{Direction, NoVerdictReason, Patterns, Verdict},
        cases::CaseId,
        reflection::{ReflectionId, ReflectionInput},
        vocabulary::ReactionDimension::{self, Helpless, Sexualized},
    },
    error::AppError,
};

use crate::{
    casework::{get_json, get_with, location, reaction, save_new_reflection},
    helpers::{app_error, TestApp},
    on_both_backends,
    sharing::{account, new_case, page, share_case, Account},
};

/// Written into every reaction here: reaction text is sealed and must never
/// reach the patterns.
const REACTION_TEXT: &str = "Quillmarrow: she looked straight through me.";

/// The session dates, one a week from the case's start (2019-03-17): weeks
/// 1, 2 and 3.
const DATES: [&str; 3] = ["2019-03-18", "2019-03-25", "2019-04-01"];

/// A reflection that records only feeling helpless at `intensity`.
fn helpless(session_number: u32, intensity: u8) -> ReflectionInput {
    ReflectionInput {
        session_number: session_number.to_string(),
        session_date: DATES[session_number as usize - 1].to_string(),
        reactions: vec![reaction("helpless", &intensity.to_string(), REACTION_TEXT)],
        ..ReflectionInput::default()
    }
}

/// A case whose sessions felt helpless at the given intensities, in order;
/// returns it with its reflections.
async fn case_feeling_helpless(
    app: &TestApp,
    therapist: &Account,
    code: &str,
    intensities: &[u8],
) -> (CaseId, Vec<ReflectionId>) {
    let case = new_case(app, &therapist.client, code).await;
    let mut reflections = Vec::new();
    for (number, &intensity) in (1..).zip(intensities) {
        let input = helpless(number, intensity);
        reflections.push(save_new_reflection(app, &therapist.client, case, &input).await);
    }
    (case, reflections)
}

async fn patterns(app: &TestApp, client: &reqwest::Client) -> Patterns {
    get_json(app, client, "/api/analytics/patterns", &[]).await
}

fn verdict(patterns: &Patterns, case: CaseId, dimension: ReactionDimension) -> &Verdict {
    let case = patterns
        .cases
        .iter()
        .find(|pattern| pattern.case == case)
        .expect("the case is in the patterns");
    &case.dimensions[&dimension].verdict
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-4,
        "{actual} is not {expected}"
    );
}

/// Tess's four cases, by helpless intensity per session:
/// TQ-101 [1] (mean 1), TQ-102 [2] (mean 2), TQ-103 [1, 2] (mean 1.5) and
/// TQ-104 [5, 5, 4] (mean 14/3), nothing else felt anywhere.
struct FourCases {
    tess: Account,
    cases: [CaseId; 4],
    /// TQ-104's reflections, sessions 1–3.
    departing: Vec<ReflectionId>,
}

const CODES: [&str; 4] = ["TQ-101", "TQ-102", "TQ-103", "TQ-104"];

async fn four_cases(app: &TestApp) -> FourCases {
    let tess = account(app, "tess@example.org", "Tess Therapist").await;
    let (first, _) = case_feeling_helpless(app, &tess, CODES[0], &[1]).await;
    let (second, _) = case_feeling_helpless(app, &tess, CODES[1], &[2]).await;
    let (third, _) = case_feeling_helpless(app, &tess, CODES[2], &[1, 2]).await;
    let (fourth, departing) = case_feeling_helpless(app, &tess, CODES[3], &[5, 5, 4]).await;
    FourCases {
        tess,
        cases: [first, second, third, fourth],
        departing,
    }
}

on_both_backends! {
    async fn one_case_departs_from_the_therapists_profile_and_the_others_do_not(app: app) {
        let FourCases { tess, cases, departing } = four_cases(&app).await;

        let patterns = patterns(&app, &tess.client).await;

        let codes: Vec<&str> = patterns.cases.iter().map(|case| case.code.as_str()).collect();
        assert_eq!(codes, CODES, "every case, by code");
        assert_eq!(patterns.cases.iter().map(|case| case.sessions).collect::<Vec<_>>(), [1, 1, 2, 3]);
        // Profile: (1 + 2 + 1.5 + 14/3) / 4 = 9.1667 / 4 = 2.291667.
        assert_close(patterns.profile[&Helpless].unwrap(), 2.291667);
        assert_eq!(patterns.profile[&Sexualized], Some(0.0));

        // TQ-104 (mean 14/3 = 4.666667) against 1, 2 and 1.5: mean 1.5,
        // squared deviations 0.25 + 0.25 + 0 = 0.5, variance 0.5 / 3 = 1/6,
        // SD 0.408248; z = (4.666667 - 1.5) / 0.408248 = 7.756717: departs,
        // upwards. Its cells 5, 5, 4 lie 3.5, 3.5 and 2.5 above 1.5, so all
        // three sessions drive it, furthest first, ties in session order.
        let fourth = &patterns.cases[3].dimensions[&Helpless];
        assert_close(fourth.case_mean, 14.0 / 3.0);
        assert_eq!(fourth.others_mean, Some(1.5));
        assert_close(fourth.others_sd.unwrap(), 0.408248);
        let Verdict::Departs { z, direction, driving_sessions } = &fourth.verdict else {
            panic!("TQ-104 departs: {:?}", fourth.verdict);
        };
        assert_close(*z, 7.756717);
        assert_eq!(*direction, Direction::Up);
        let driving: Vec<_> = driving_sessions
            .iter()
            .map(|d| (d.session.reflection, d.session.session_number, d.session.week, d.cell, d.deviation))
            .collect();
        assert_eq!(
            driving,
            [(departing[0], 1, 1, 5, 3.5), (departing[1], 2, 2, 5, 3.5), (departing[2], 3, 3, 4, 2.5)]
        );

        // TQ-101 (mean 1) against 2, 1.5, 4.666667: mean 8.166667 / 3 =
        // 2.722222; squared deviations 0.521605 + 1.493827 + 3.780864 =
        // 5.796296, variance 1.932099, SD 1.389999; z = -1.722222 / 1.389999
        // = -1.239010: within the usual range (TQ-104 widens the spread).
        let Verdict::WithinUsual { z } = verdict(&patterns, cases[0], Helpless) else {
            panic!("TQ-101 is within the usual range");
        };
        assert_close(*z, -1.239010);
        // TQ-102 (mean 2) against 1, 1.5, 4.666667: mean 2.388889; squared
        // deviations 1.929012 + 0.790123 + 5.188272 = 7.907407, variance
        // 2.635802, SD 1.623515; z = -0.388889 / 1.623515 = -0.239536.
        let Verdict::WithinUsual { z } = verdict(&patterns, cases[1], Helpless) else {
            panic!("TQ-102 is within the usual range");
        };
        assert_close(*z, -0.239536);
        // TQ-103 (mean 1.5) against 1, 2, 4.666667: mean 2.555556; squared
        // deviations 2.419753 + 0.308642 + 4.456790 = 7.185185, variance
        // 2.395062, SD 1.547599; z = -1.055556 / 1.547599 = -0.682060.
        let Verdict::WithinUsual { z } = verdict(&patterns, cases[2], Helpless) else {
            panic!("TQ-103 is within the usual range");
        };
        assert_close(*z, -0.682060);
        // Nothing sexualized was felt in any case: no spread to judge by.
        for case in cases {
            assert_eq!(*verdict(&patterns, case, Sexualized), Verdict::NoVerdict(NoVerdictReason::ZeroSpread));
        }

        // Reaction text is sealed and never read for the patterns.
        let raw = get_with(&app, &tess.client, "/api/analytics/patterns", &[]).await.text().await.unwrap();
        assert!(!raw.contains("Quillmarrow"), "{raw}");
    }

    async fn three_cases_give_no_verdict(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        case_feeling_helpless(&app, &tess, "TQ-101", &[1]).await;
        case_feeling_helpless(&app, &tess, "TQ-102", &[2]).await;
        case_feeling_helpless(&app, &tess, "TQ-103", &[5, 5, 4]).await;
        // A case without sessions has no case mean and is left out.
        new_case(&app, &tess.client, "TQ-104").await;

        let patterns = patterns(&app, &tess.client).await;

        let codes: Vec<&str> = patterns.cases.iter().map(|case| case.code.as_str()).collect();
        assert_eq!(codes, ["TQ-101", "TQ-102", "TQ-103"]);
        // Profile: (1 + 2 + 14/3) / 3 = 7.666667 / 3 = 2.555556.
        assert_close(patterns.profile[&Helpless].unwrap(), 2.555556);
        for case in &patterns.cases {
            for pattern in case.dimensions.values() {
                assert_eq!(pattern.verdict, Verdict::NoVerdict(NoVerdictReason::TooFewOtherCases), "{}", case.code);
            }
        }
        // TQ-103 against 1 and 2: mean 1.5, SD 0.5, shown though too few.
        let third = &patterns.cases[2].dimensions[&Helpless];
        assert_eq!((third.others_mean, third.others_sd), (Some(1.5), Some(0.5)));

        let body = page(&app, &tess.client, "/patterns").await.text().await.unwrap();
        assert!(body.contains("No verdict: fewer than 3 other cases with sessions"));
        assert!(body.contains("Not counted, having no saved reflection yet: "));
        assert!(body.contains("TQ-104"));
    }

    async fn the_page_shows_the_profile_the_verdicts_and_where_to_look(app: app) {
        let FourCases { tess, cases, departing } = four_cases(&app).await;

        let response = page(&app, &tess.client, "/patterns").await;
        assert_eq!(response.status(), 200);
        let body = response.text().await.unwrap();
        for expected in [
            "<h1>My patterns",
            "<svg",
            "role=\"img\"",
            "Helpless / inadequate",
            "Departs: felt more strongly than in your other cases",
            "Within your usual range",
            "No verdict: not felt in any of your cases",
        ] {
            assert!(body.contains(expected), "the page shows {expected:?}");
        }
        for code in CODES {
            assert!(body.contains(code), "the page shows {code}");
        }
        for reflection in &departing {
            let link = format!("/cases/{}/reflections/{}", cases[3].0, reflection.0);
            assert!(body.contains(&link), "the page links {link}");
        }
        assert!(!body.contains("Quillmarrow"));

        // The cases list leads here.
        let list = page(&app, &tess.client, "/cases").await.text().await.unwrap();
        assert!(list.contains("href=\"/patterns\""));
    }

    async fn only_the_signed_in_therapist_ever_sees_their_patterns(app: app) {
        let FourCases { tess, cases, .. } = four_cases(&app).await;
        let olga = account(&app, "olga@example.org", "Olga Other").await;
        let sam = account(&app, "sam@example.org", "Sam Supervisor").await;
        share_case(&app, &tess.client, cases[3], "sam@example.org", &[]).await;
        // Sam has a case of his own: his patterns are of it alone.
        case_feeling_helpless(&app, &sam, "SV-9", &[2]).await;

        // Another therapist with no cases: an empty profile, none of Tess's codes.
        let theirs = patterns(&app, &olga.client).await;
        assert!(theirs.cases.is_empty());
        assert!(theirs.profile.values().all(Option::is_none));
        let body = page(&app, &olga.client, "/patterns").await.text().await.unwrap();
        assert!(body.contains("No cases yet"));
        assert!(body.contains("href=\"/cases/new\""));
        for code in CODES {
            assert!(!body.contains(code), "another therapist's page shows {code}");
        }

        // A supervisor with a share of one of Tess's cases sees none of it.
        let his = patterns(&app, &sam.client).await;
        let codes: Vec<&str> = his.cases.iter().map(|case| case.code.as_str()).collect();
        assert_eq!(codes, ["SV-9"]);
        assert_eq!(his.profile[&Helpless], Some(2.0));
        let body = page(&app, &sam.client, "/patterns").await.text().await.unwrap();
        assert!(body.contains("SV-9"));
        for code in CODES {
            assert!(!body.contains(code), "the supervisor's page shows {code}");
        }

        // A visitor: 401 from the endpoint, sent to sign in by the page.
        let response = get_with(&app, &app.new_client(), "/api/analytics/patterns", &[]).await;
        assert_eq!(response.status(), 401);
        assert_eq!(app_error(response).await, AppError::Unauthenticated);
        let response = page(&app, &app.new_client(), "/patterns").await;
        assert_eq!(response.status(), 302);
        assert_eq!(location(&response), "/login?next=%2Fpatterns");

        // Tess's own patterns are untouched by the others' reads.
        assert_eq!(patterns(&app, &tess.client).await.cases.len(), 4);
    }
}
