//! A case's sessions fifty to a page, newest first: on the therapist's
//! case page and on the supervisor's shared case, with and without
//! JavaScript (the pages' links work as plain links).

use app::{
    api::{cases::CaseOverview, supervision::SharedCaseOverview},
    domain::{
        cases::CaseId,
        reflection::ReflectionId,
        time::add_days,
        timeline::{TimelinePage, SESSIONS_PER_PAGE},
    },
};

use crate::{
    casework::{get_json, save_new_reflection, short_reflection},
    helpers::TestApp,
    on_both_backends,
    sharing::{account, new_case, page, share_case, START_DATE},
};

/// Sessions of the long case: one page and three more.
const SESSIONS: u32 = SESSIONS_PER_PAGE + 3;

/// Saves sessions 1 to `count`, a week apart from the case's start, and
/// returns their reflections in session order.
async fn weekly_sessions(
    app: &TestApp,
    owner: &reqwest::Client,
    case: CaseId,
    count: u32,
) -> Vec<ReflectionId> {
    let mut reflections = Vec::new();
    for number in 1..=count {
        let date = add_days(START_DATE, 7 * i64::from(number - 1)).unwrap();
        let input = short_reflection(number, &date);
        reflections.push(save_new_reflection(app, owner, case, &input).await);
    }
    reflections
}

async fn owner_page(
    app: &TestApp,
    owner: &reqwest::Client,
    case: CaseId,
    page: &str,
) -> CaseOverview {
    let case = case.0.to_string();
    get_json(
        app,
        owner,
        "/api/cases/overview",
        &[("case_id", case.as_str()), ("page", page)],
    )
    .await
}

async fn shared_page(
    app: &TestApp,
    supervisor: &reqwest::Client,
    case: CaseId,
    page: &str,
) -> SharedCaseOverview {
    let case = case.0.to_string();
    get_json(
        app,
        supervisor,
        "/api/supervision/case",
        &[("case_id", case.as_str()), ("page", page)],
    )
    .await
}

on_both_backends! {
    async fn a_long_case_lists_its_sessions_fifty_to_a_page_newest_first(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let case = new_case(&app, &tess.client, "C-52").await;
        let reflections = weekly_sessions(&app, &tess.client, case, SESSIONS).await;
        let newest_first: Vec<ReflectionId> = reflections.iter().rev().copied().collect();

        let first = owner_page(&app, &tess.client, case, "").await;
        assert_eq!(first.timeline, TimelinePage { number: 1, total_sessions: SESSIONS });
        let listed: Vec<ReflectionId> = first.sessions.iter().map(|s| s.reflection_id).collect();
        assert_eq!(listed, newest_first[..SESSIONS_PER_PAGE as usize]);
        // Each listed session still carries its reactions at a glance.
        assert!(first.sessions.iter().all(|session| session.glance.reactions.len() == 1));
        assert_eq!(first.next_session_number, SESSIONS + 1);

        let second = owner_page(&app, &tess.client, case, "2").await;
        let listed: Vec<ReflectionId> = second.sessions.iter().map(|s| s.reflection_id).collect();
        assert_eq!(listed, newest_first[SESSIONS_PER_PAGE as usize..]);
        assert!(second.sessions.iter().all(|session| session.glance.reactions.len() == 1));
        // A page past the last (the case lost sessions since the link was
        // made) shows the last.
        assert_eq!(owner_page(&app, &tess.client, case, "9").await, second);

        // Without JavaScript: the page says which sessions it shows and links
        // to the others.
        let html = page(&app, &tess.client, &format!("/cases/{}", case.0)).await.text().await.unwrap();
        assert!(html.contains("Sessions 1–50 of 53, newest first."), "{html}");
        assert!(html.contains(&format!("href=\"/cases/{}?page=2\"", case.0)), "{html}");
        assert!(html.contains(&format!("/cases/{}/reflections/{}\"", case.0, newest_first[49].0)));
        assert!(!html.contains(&format!("/cases/{}/reflections/{}\"", case.0, newest_first[50].0)));
        let html = page(&app, &tess.client, &format!("/cases/{}?page=2", case.0)).await.text().await.unwrap();
        assert!(html.contains("Sessions 51–53 of 53, newest first."), "{html}");
        assert!(html.contains(&format!("href=\"/cases/{}\"", case.0)), "{html}");
        assert!(html.contains(&format!("/cases/{}/reflections/{}\"", case.0, newest_first[50].0)));
        // An address whose page is not a number shows the first.
        let html = page(&app, &tess.client, &format!("/cases/{}?page=two", case.0)).await.text().await.unwrap();
        assert!(html.contains("Sessions 1–50 of 53, newest first."), "{html}");

        // The supervisor's shared case pages the sessions the share shows:
        // the newest is left out here.
        let sam = account(&app, "sam@example.org", "Sam Supervisor").await;
        share_case(&app, &tess.client, case, "sam@example.org", &[newest_first[0]]).await;
        let shown = &newest_first[1..];
        let first = shared_page(&app, &sam.client, case, "").await;
        assert_eq!(first.timeline, TimelinePage { number: 1, total_sessions: SESSIONS - 1 });
        let listed: Vec<ReflectionId> = first.sessions.iter().map(|s| s.reflection_id).collect();
        assert_eq!(listed, shown[..SESSIONS_PER_PAGE as usize]);
        assert_eq!(first.sessions[0].session_number, SESSIONS - 1);
        assert!(first.sessions.iter().all(|session| session.glance.reactions.len() == 1));
        let second = shared_page(&app, &sam.client, case, "2").await;
        let listed: Vec<ReflectionId> = second.sessions.iter().map(|s| s.reflection_id).collect();
        assert_eq!(listed, shown[SESSIONS_PER_PAGE as usize..]);
        assert_eq!(second.sessions.iter().map(|s| s.week).collect::<Vec<_>>(), vec![2, 1]);

        let html = page(&app, &sam.client, &format!("/supervision/cases/{}?page=2", case.0)).await.text().await.unwrap();
        assert!(html.contains("Sessions 51–52 of 52, newest first."), "{html}");
        assert!(html.contains(&format!("href=\"/supervision/cases/{}\"", case.0)), "{html}");

        // Another therapist's case is not found, whatever the page.
        let other = account(&app, "otto@example.org", "Otto Other").await;
        let response = crate::casework::get_with(
            &app,
            &other.client,
            "/api/cases/overview",
            &[("case_id", &case.0.to_string()), ("page", "2")],
        )
        .await;
        assert_eq!(response.status(), 404);
    }
}
