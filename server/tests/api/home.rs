//! The home page as each person's starting point: the therapist's cases in
//! the order they are likely due, unsaved reflections and new feedback; the
//! supervisor's waiting reviews and meetings to sign off; nobody's home
//! shows another person's items; the visitor still sees what Reverie is.

use app::{api::home::HomeView, domain::attention::BURST_SIZE};

use crate::{
    casework::{
        create_case, get_json, location, number_after, save_new_reflection, short_reflection, Form,
    },
    helpers::TestApp,
    on_both_backends,
    sharing::{account, administrator, comment, day_from_today, page, share_case, Account},
};

async fn home(app: &TestApp, who: &Account) -> HomeView {
    let home: Option<HomeView> = get_json(app, &who.client, "/api/home", &[]).await;
    home.expect("a signed-in person's home")
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
        assert!(seen.drafts.is_empty() && seen.unread_feedback == 0);
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
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        let sam = account(&app, "sam@example.org", "Sam Supervisor").await;
        let olga = account(&app, "olga@example.org", "Olga Other").await;
        let case = create_case(&app, &tess.client, "C-07").await;
        let reflection = save_new_reflection(&app, &tess.client, case, &short_reflection(1, &day_from_today(-3))).await;
        share_case(&app, &tess.client, case, "sam@example.org", &[]).await;

        // Sam has a reflection to review; Tess nothing new yet.
        let sams = home(&app, &sam).await;
        assert!(sams.supervising);
        let waiting: Vec<(&str, i64)> = sams.waiting.iter().map(|entry| (entry.case.code.as_str(), entry.to_review)).collect();
        assert_eq!(waiting, [("C-07", 1)]);
        assert!(sams.due.is_empty(), "Sam has no cases of his own");

        // Sam comments: Tess has new feedback.
        comment(&app, &sam.client, case, reflection, "reflection", "What happened at the door?").await;
        let tesss = home(&app, &tess).await;
        assert_eq!(tesss.unread_feedback, 1);
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
        assert!(others.due.is_empty() && others.drafts.is_empty() && others.unread_feedback == 0);
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
}
