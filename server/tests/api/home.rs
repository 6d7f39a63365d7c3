//! The home page as each person's starting point: the therapist's cases in
//! the order they are likely due, unsaved reflections, new feedback
//! (reflections changed since review among it) and the flags of the last
//! weeks; the supervisor's waiting reviews, next meetings' agendas and
//! meetings to sign off; nobody's home shows another person's items; the
//! visitor still sees what Reverie is.

use app::{
    api::{analytics::CaseAnalyticsView, home::HomeView, meetings::MeetingFormView},
    domain::{
        analytics::FlagWorthALook,
        attention::BURST_SIZE,
        cases::CaseId,
        reflection::{InterventionInput, ReflectionId, ReflectionInput},
    },
    error::AppError,
};

use crate::{
    casework::{
        create_case, error_in, get_json, location, number_after, reflection_form,
        save_new_reflection, short_reflection, Form,
    },
    helpers::{app_error, TestApp},
    on_both_backends,
    sharing::{
        account, administrator, comment, day_from_today, mark_reviewed, page, share_case, Account,
    },
    sharing_feedback::{editing, save_changes},
};

async fn home(app: &TestApp, who: &Account) -> HomeView {
    let home: Option<HomeView> = get_json(app, &who.client, "/api/home", &[]).await;
    home.expect("a signed-in person's home")
}

/// A reflection `days` from today with these interventions (kind, depth,
/// client response; no response when empty).
fn session_with(number: u32, days: i64, interventions: &[(&str, u8, &str)]) -> ReflectionInput {
    ReflectionInput {
        interventions: interventions
            .iter()
            .map(|(kind, depth, response)| InterventionInput {
                kind: kind.to_string(),
                minute: "20".to_string(),
                depth: depth.to_string(),
                response: response.to_string(),
                ..InterventionInput::default()
            })
            .collect(),
        ..short_reflection(number, &day_from_today(days))
    }
}

/// Tess's case C-07 with session 1 (three days ago), shared with Sam; Olga
/// has nothing to do with it.
struct SharedCase {
    tess: Account,
    sam: Account,
    olga: Account,
    case: CaseId,
    reflection: ReflectionId,
}

async fn shared_case(app: &TestApp) -> SharedCase {
    let tess = account(app, "tess@example.org", "Tess Therapist").await;
    let sam = account(app, "sam@example.org", "Sam Supervisor").await;
    let olga = account(app, "olga@example.org", "Olga Other").await;
    let case = create_case(app, &tess.client, "C-07").await;
    let reflection = save_new_reflection(
        app,
        &tess.client,
        case,
        &short_reflection(1, &day_from_today(-3)),
    )
    .await;
    share_case(app, &tess.client, case, "sam@example.org", &[]).await;
    SharedCase {
        tess,
        sam,
        olga,
        case,
        reflection,
    }
}

/// How many items the new meeting form pre-fills for a meeting with `supervisee`.
async fn agenda_of_form(app: &TestApp, supervisor: &Account, supervisee: &Account) -> usize {
    let with = supervisee.user.id.0.to_string();
    let form: MeetingFormView = get_json(
        app,
        &supervisor.client,
        "/api/meetings/form",
        &[("with[0]", &with)],
    )
    .await;
    form.agenda.len()
}

/// Records a meeting of today with `supervisee`, as the page does; its id.
async fn record_meeting_with(app: &TestApp, supervisor: &reqwest::Client, supervisee: i64) -> i64 {
    let form = Form::new()
        .add("meeting[date]", day_from_today(0))
        .add("meeting[duration]", "50")
        .add("meeting[format]", "individual")
        .add("meeting[supervisees][]", supervisee.to_string());
    let response = app
        .post_form_with(supervisor, "/api/meetings/record", &form.fields())
        .await;
    assert_eq!(response.status(), 200);
    number_after("/meetings/", &location(&response))
}

on_both_backends! {
    async fn the_therapist_sees_the_cases_most_likely_due_first(app: app) {
        let ana = account(&app, "ana@example.org", "Ana Therapist").await;
        // A weekly case last written ten days ago: due.
        let overdue = create_case(&app, &ana.client, "A-OVERDUE").await;
        for (number, days_ago) in [(2, -17), (3, -10)] {
            save_new_reflection(&app, &ana.client, overdue, &short_reflection(number, &day_from_today(days_ago))).await;
        }
        // A weekly case written two days ago: not yet.
        let recent = create_case(&app, &ana.client, "B-RECENT").await;
        save_new_reflection(&app, &ana.client, recent, &short_reflection(5, &day_from_today(-2))).await;
        // A new case: its first session is what is missing.
        create_case(&app, &ana.client, "C-NEW").await;
        // A closed case is not offered.
        let closed = create_case(&app, &ana.client, "D-CLOSED").await;
        let response = app.post_form_with(&ana.client, "/api/cases/status", &[("case_id", &closed.0.to_string()), ("status", "closed")]).await;
        assert_eq!(response.status(), 200);

        let seen = home(&app, &ana).await;
        let order: Vec<(&str, u32, bool)> = seen.due.iter().map(|case| (case.code.as_str(), case.next_session, case.due)).collect();
        assert_eq!(order, [("A-OVERDUE", 4, true), ("C-NEW", 1, true), ("B-RECENT", 6, false)]);
        assert!(seen.drafts.is_empty() && seen.unread_feedback() == 0);
        assert!(!seen.supervising && seen.waiting.is_empty() && seen.meetings_to_sign.is_empty());

        // The page: one click to the editor of the next session.
        let html = page(&app, &ana.client, "/").await.text().await.unwrap();
        assert!(html.contains(&format!("href=\"/cases/{}/reflections/new\"", overdue.0)), "{html}");
        assert!(html.contains(">Write session 4<"), "{html}");
        assert!(html.contains("Welcome, Ana Therapist"), "{html}");
        assert!(!html.contains("Private by default"), "the visitor's description is not the therapist's home");
        // The visitor still sees what Reverie is.
        let html = page(&app, &app.new_client(), "/").await.text().await.unwrap();
        assert!(html.contains("Private by default") && !html.contains("Write session"), "{html}");
    }

    async fn feedback_reviews_and_meetings_reach_the_right_homes_only(app: app) {
        let SharedCase { tess, sam, olga, case, reflection } = shared_case(&app).await;

        // Sam has a reflection to review; Tess nothing new yet.
        let sams = home(&app, &sam).await;
        assert!(sams.supervising);
        let waiting: Vec<(&str, i64)> = sams.waiting.iter().map(|entry| (entry.case.code.as_str(), entry.to_review)).collect();
        assert_eq!(waiting, [("C-07", 1)]);
        assert!(sams.due.is_empty(), "Sam has no cases of his own");

        // Sam comments: Tess has new feedback.
        comment(&app, &sam.client, case, reflection, "reflection", "What happened at the door?").await;
        let tesss = home(&app, &tess).await;
        assert_eq!(tesss.unread_feedback(), 1);
        let places: Vec<(&str, i64)> = tesss.unread_places.iter().map(|place| (place.case_code.as_str(), place.items)).collect();
        assert_eq!(places, [("C-07", 1)]);
        let html = page(&app, &tess.client, "/").await.text().await.unwrap();
        assert!(html.contains(&format!("href=\"/cases/{}/reflections/{}\"", case.0, reflection.0)), "the feedback is one click away: {html}");

        // A meeting Sam recorded waits for his sign-off, on his home only.
        let meeting = record_meeting_with(&app, &sam.client, tess.user.id.0).await;
        let sams = home(&app, &sam).await;
        assert_eq!(sams.meetings_to_sign.iter().map(|m| m.id).collect::<Vec<_>>(), [meeting]);
        let html = page(&app, &sam.client, "/").await.text().await.unwrap();
        assert!(html.contains("Waiting for your review") && html.contains(&format!("href=\"/meetings/{meeting}\"")), "{html}");
        assert!(home(&app, &tess).await.meetings_to_sign.is_empty());

        // Someone else's home shows none of it.
        let others = home(&app, &olga).await;
        assert!(others.due.is_empty() && others.drafts.is_empty() && others.unread_feedback() == 0);
        assert!(!others.supervising && others.waiting.is_empty() && others.meetings_to_sign.is_empty());
        let html = page(&app, &olga.client, "/").await.text().await.unwrap();
        assert!(!html.contains("C-07") && html.contains("Create your first case"), "{html}");
        // The visitor has no home of their own.
        let visitors: Option<HomeView> = get_json(&app, &app.new_client(), "/api/home", &[]).await;
        assert!(visitors.is_none());
    }

    async fn the_administrator_sees_open_links_disabled_accounts_and_bursts_of_failed_sign_ins(app: app) {
        let ada = administrator(&app, "ada@example.org").await;
        let ana = account(&app, "ana@example.org", "Ana Therapist").await;
        let ben = account(&app, "ben@example.org", "Ben Therapist").await;
        let invited = app.post_form_with(&ada.client, "/api/admin/invite", &[("email", "cleo@example.org")]).await;
        assert_eq!(invited.status(), 200);
        let reset = app.post_form_with(&ada.client, "/api/admin/reset-link", &[("user_id", &ana.user.id.0.to_string())]).await;
        assert_eq!(reset.status(), 200);
        let disabled = app.post_form_with(&ada.client, "/api/admin/disable", &[("user_id", &ben.user.id.0.to_string())]).await;
        assert_eq!(disabled.status(), 200);
        for _ in 0..BURST_SIZE {
            app.sign_in_with(&app.new_client(), "ana@example.org", "not her password at all").await;
        }

        let administration = home(&app, &ada).await.administration.expect("the administrator's part");
        let invitations: Vec<&str> = administration.open_invitations.iter().map(|invitation| invitation.email.as_str()).collect();
        assert_eq!(invitations, ["cleo@example.org"]);
        let resets: Vec<&str> = administration.open_reset_links.iter().map(|link| link.email.as_str()).collect();
        assert_eq!(resets, ["ana@example.org"]);
        let disabled: Vec<&str> = administration.disabled_accounts.iter().map(|user| user.email.as_str()).collect();
        assert_eq!(disabled, ["ben@example.org"]);
        let bursts: Vec<(&str, u32)> = administration.failed_sign_in_bursts.iter().map(|burst| (burst.account.as_str(), burst.failures)).collect();
        assert_eq!(bursts, [("ana@example.org", BURST_SIZE)]);

        // The page links each into the full pages, in its own part.
        let html = page(&app, &ada.client, "/").await.text().await.unwrap();
        assert!(html.contains("Administration") && html.contains("Invitation for cleo@example.org"), "{html}");
        assert!(html.contains("/admin/security?action=sign_in.failed&amp;account=ana%40example.org"), "{html}");
        // Nobody else has an administrator's part.
        assert!(home(&app, &ana).await.administration.is_none());
        let html = page(&app, &ana.client, "/").await.text().await.unwrap();
        assert!(!html.contains("cleo@example.org") && !html.contains("Administration"), "{html}");
    }

    async fn the_therapist_sees_the_flags_of_the_last_weeks_as_the_analytics_compute_them(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let sam = account(&app, "sam@example.org", "Sam Supervisor").await;
        let case = create_case(&app, &tess.client, "C-07").await;
        const DEEP: &str = "transference_interpretation";
        let mut reflections = Vec::new();
        for input in [
            // Before the window: session 2 is itself flagged on the analytics
            // page, but too long ago for the home page.
            session_with(1, -120, &[("question", 1, "")]),
            session_with(2, -100, &[(DEEP, 4, "rupture")]),
            session_with(3, -90, &[("question", 1, "")]),
            // In the window: depth 5 against sessions 1–3's mean of 2, met
            // with a withdrawal; then four transference interpretations.
            session_with(4, -10, &[(DEEP, 5, "withdrawal")]),
            session_with(5, -3, &[(DEEP, 1, ""), (DEEP, 1, ""), (DEEP, 1, ""), (DEEP, 1, "")]),
        ] {
            reflections.push(save_new_reflection(&app, &tess.client, case, &input).await);
        }
        // A closed case's flags are not asked for.
        let closed = create_case(&app, &tess.client, "Z-CLOSED").await;
        save_new_reflection(&app, &tess.client, closed, &session_with(1, -2, &[(DEEP, 1, ""); 4])).await;
        let response = app.post_form_with(&tess.client, "/api/cases/status", &[("case_id", &closed.0.to_string()), ("status", "closed")]).await;
        assert_eq!(response.status(), 200);
        share_case(&app, &tess.client, case, "sam@example.org", &[]).await;

        let seen = home(&app, &tess).await;
        let flags: Vec<(&str, u32, bool)> = seen.flags.iter().map(|flag| {
            let premature = matches!(flag.flag, FlagWorthALook::PrematureInterpretation { .. });
            (flag.case_code.as_str(), flag.session_number, premature)
        }).collect();
        assert_eq!(flags, [("C-07", 5, false), ("C-07", 4, true)]);
        assert_eq!(seen.flags[1].reflection, reflections[3]);
        // The same flags as the case's analytics, for the sessions of the window.
        let analytics: CaseAnalyticsView = get_json(&app, &tess.client, "/api/analytics/case", &[("case_id", &case.0.to_string())]).await;
        let pacing = &analytics.analytics.pacing;
        let premature: Vec<u32> = pacing.premature_interpretations.iter().map(|flag| flag.session.session_number).collect();
        assert_eq!(premature, [2, 4]);
        let over: Vec<u32> = pacing.sessions_over_threshold().map(|session| session.session.session_number).collect();
        assert_eq!(over, [5]);

        let html = page(&app, &tess.client, "/").await.text().await.unwrap();
        assert!(html.contains("Flags worth a look"), "{html}");
        for reflection in [reflections[3], reflections[4]] {
            assert!(html.contains(&format!("href=\"/cases/{}/reflections/{}\"", case.0, reflection.0)), "each flag links to its session: {html}");
        }
        assert!(html.contains("4 transference interpretations (threshold 3)"), "{html}");
        // Neither the supervisor nor anyone else sees them on their home.
        assert!(home(&app, &sam).await.flags.is_empty());
        let html = page(&app, &sam.client, "/").await.text().await.unwrap();
        assert!(!html.contains("Flags worth a look"), "{html}");
    }

    async fn a_reflection_changed_since_review_is_new_feedback_for_its_therapist(app: app) {
        let SharedCase { tess, sam, case, reflection, .. } = shared_case(&app).await;
        assert_eq!(mark_reviewed(&app, &sam.client, case, reflection, 1).await.status(), 200);
        assert!(home(&app, &tess).await.changed_since_review.is_empty(), "reviewed as it is");

        // Tess saves it again: Sam's review no longer covers it.
        let (_, input) = editing(&app, &tess.client, case, reflection).await;
        save_changes(&app, &tess.client, case, reflection, &input).await;
        let seen = home(&app, &tess).await;
        let changed: Vec<(&str, u32, &str)> = seen.changed_since_review.iter().map(|changed| (changed.case_code.as_str(), changed.session_number, changed.supervisor_name.as_str())).collect();
        assert_eq!(changed, [("C-07", 1, "Sam Supervisor")]);
        let html = page(&app, &tess.client, "/").await.text().await.unwrap();
        assert!(html.contains("New feedback") && html.contains("changed since Sam Supervisor reviewed it"), "{html}");
        assert!(html.contains(&format!("href=\"/cases/{}/reflections/{}\"", case.0, reflection.0)), "{html}");
        // Sam's home counts it as waiting for review; nobody else's lists it.
        let waiting: Vec<i64> = home(&app, &sam).await.waiting.iter().map(|entry| entry.to_review).collect();
        assert_eq!(waiting, [1]);
        assert!(home(&app, &sam).await.changed_since_review.is_empty());

        // Reviewed again: nothing left to say.
        assert_eq!(mark_reviewed(&app, &sam.client, case, reflection, 2).await.status(), 200);
        assert!(home(&app, &tess).await.changed_since_review.is_empty());
    }

    async fn the_supervisor_sees_the_next_meetings_agenda_size_as_the_form_builds_it(app: app) {
        let SharedCase { tess, sam, olga, case, reflection } = shared_case(&app).await;
        let tess_id = tess.user.id.0.to_string();
        let next = |home: HomeView| -> Vec<(Vec<String>, usize)> {
            home.next_meetings.into_iter().map(|meeting| (meeting.supervisees.into_iter().map(|person| person.name).collect(), meeting.agenda_items)).collect()
        };

        // Nothing flagged yet.
        assert_eq!(next(home(&app, &sam).await), [(vec!["Tess Therapist".to_string()], 0)]);
        // A comment and a review: two items, as the form pre-fills them.
        comment(&app, &sam.client, case, reflection, "reflection", "What happened at the door?").await;
        assert_eq!(mark_reviewed(&app, &sam.client, case, reflection, 1).await.status(), 200);
        assert_eq!(next(home(&app, &sam).await), [(vec!["Tess Therapist".to_string()], 2)]);
        assert_eq!(agenda_of_form(&app, &sam, &tess).await, 2);
        let html = page(&app, &sam.client, "/").await.text().await.unwrap();
        assert!(html.contains("Next meetings") && html.contains(&format!("href=\"/meetings/new?with={tess_id}\"")), "{html}");
        assert!(html.contains("With Tess Therapist") && html.contains(": 2 agenda items"), "{html}");

        // Once a meeting is recorded, the next one starts from what came after.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        record_meeting_with(&app, &sam.client, tess.user.id.0).await;
        let (_, input) = editing(&app, &tess.client, case, reflection).await;
        save_changes(&app, &tess.client, case, reflection, &input).await;
        assert_eq!(next(home(&app, &sam).await), [(vec!["Tess Therapist".to_string()], 1)], "only the change since review");
        assert_eq!(agenda_of_form(&app, &sam, &tess).await, 1);

        // Tess and Olga have no next meetings to run.
        assert!(home(&app, &tess).await.next_meetings.is_empty());
        assert!(home(&app, &olga).await.next_meetings.is_empty());
    }

    async fn a_draft_is_discarded_from_the_home_page_by_its_author_only(app: app) {
        let ana = account(&app, "ana@example.org", "Ana Therapist").await;
        let olga = account(&app, "olga@example.org", "Olga Other").await;
        let case = create_case(&app, &ana.client, "C-07").await;
        let saved = save_new_reflection(&app, &ana.client, case, &short_reflection(1, &day_from_today(-7))).await;
        let new_session = reflection_form(case, &short_reflection(2, &day_from_today(0)));
        let edit = reflection_form(case, &short_reflection(1, &day_from_today(-6))).add("reflection_id", saved.0.to_string()).add("version", "1");
        for form in [new_session, edit] {
            let response = app.post_form_with(&ana.client, "/api/reflections/keep-draft", &form.fields()).await;
            assert_eq!(response.status(), 200);
        }
        let listed = |home: HomeView| home.drafts.into_iter().map(|draft| draft.reflection_id).collect::<Vec<_>>();
        let mut drafts = listed(home(&app, &ana).await);
        drafts.sort();
        assert_eq!(drafts, [None, Some(saved)]);

        // Each draft on the page can be thrown away, back to the home page.
        let html = page(&app, &ana.client, "/").await.text().await.unwrap();
        assert_eq!(html.matches("action=\"/api/reflections/discard-draft\"").count(), 2, "{html}");
        assert!(html.contains("name=\"back\" value=\"/\"") && html.contains("Discard this draft"), "{html}");

        // Another therapist cannot, whatever the ids: 404, and nothing goes.
        let case_id = case.0.to_string();
        let saved_id = saved.0.to_string();
        for fields in [vec![("case_id", case_id.as_str()), ("back", "/")], vec![("case_id", &case_id), ("reflection_id", &saved_id), ("back", "/")]] {
            let response = app.post_form_with(&olga.client, "/api/reflections/discard-draft", &fields).await;
            assert_eq!(response.status(), 404);
            assert_eq!(app_error(response).await, AppError::NotFound);
            // Without JavaScript, the error goes back to the home page.
            let response = app.post_plain_form_with(&olga.client, "/api/reflections/discard-draft", &fields).await;
            assert_eq!(response.status(), 302);
            let target = location(&response);
            assert!(target.starts_with("/?"), "{target}");
            assert_eq!(error_in(&target), AppError::NotFound);
        }
        assert_eq!(listed(home(&app, &ana).await).len(), 2, "Ana's drafts are all still there");

        // Ana discards the new session's draft without JavaScript: back home,
        // with a word saying so, and the draft gone; the other one stays.
        let response = app.post_plain_form_with(&ana.client, "/api/reflections/discard-draft", &[("case_id", &case_id), ("back", "/")]).await;
        assert_eq!((response.status().as_u16(), location(&response).as_str()), (302, "/?discarded=1"));
        assert_eq!(listed(home(&app, &ana).await), [Some(saved)]);
        let html = page(&app, &ana.client, "/?discarded=1").await.text().await.unwrap();
        assert!(html.contains("The draft was discarded."), "{html}");
        assert_eq!(html.matches("action=\"/api/reflections/discard-draft\"").count(), 1, "{html}");

        // The edit's draft, as the page posts it with JavaScript; a `back`
        // leading off the site is not followed. The saved reflection stays.
        let response = app
            .post_form_with(&ana.client, "/api/reflections/discard-draft", &[("case_id", &case_id), ("reflection_id", &saved_id), ("back", "https://elsewhere.example/")])
            .await;
        assert_eq!((response.status().as_u16(), location(&response).as_str()), (200, "/?discarded=1"));
        let seen = home(&app, &ana).await;
        assert!(seen.drafts.is_empty(), "{:?}", seen.drafts);
        assert_eq!(seen.due.iter().map(|case| case.next_session).collect::<Vec<_>>(), [2], "the saved session 1 stays");
        let html = page(&app, &ana.client, "/").await.text().await.unwrap();
        assert!(!html.contains("Unsaved reflections"), "{html}");
    }
}
