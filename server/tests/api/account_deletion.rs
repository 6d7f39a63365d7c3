//! Deleting one's account over HTTP (privacy rule 6): what goes (everything
//! that is the person's, every session), what stays (other people's data,
//! the fact in the security events log, a therapist's access log naming "a
//! former supervisor", meetings for their other participants), and the
//! form's refusals: a wrong password at its field and counted like a failed
//! sign-in, the last administrator, a request from another site.

use app::{
    api::{
        account::CHANGE_REFUSED_WAIT,
        meetings::{MeetingLists, MeetingView},
        shares::AccessLogView,
    },
    domain::{
        accounts::{User, UserId},
        cases::CaseId,
        meetings::Assignee,
        sharing::FORMER_SUPERVISOR,
    },
    error::AppError,
    server::{
        accounts::{DELETION_REFUSED_WAIT, LAST_ADMINISTRATOR},
        repo::{AccountDeletion, NewUser, SignInGate},
    },
};

use crate::{
    casework::{get_json, get_with, location, number_after, save_new_reflection, Form},
    helpers::{app_error, count, everything_stored, TestApp, GOOD_PASSWORD},
    on_both_backends,
    sharing::{
        account, administrator, comment, day_from_today, inbox, marked_reflection, my_feedback,
        new_case, overview, page, post_comment, rate, share_case, shared_reflection, Account,
        SharingWorld, SESSION_DATE,
    },
};

const DELETE: &str = "/api/auth/delete-account";

/// Posts the deletion form as the account page does with JavaScript.
async fn delete_account(
    app: &TestApp,
    client: &reqwest::Client,
    password: &str,
    confirmation: &str,
) -> reqwest::Response {
    app.post_form_with(
        client,
        DELETE,
        &[("password", password), ("confirmation", confirmation)],
    )
    .await
}

/// Deletes `who`'s account, which must succeed.
async fn deleted(app: &TestApp, who: &Account) {
    let response = delete_account(app, &who.client, GOOD_PASSWORD, &who.user.email).await;
    let status = response.status();
    let target = response.headers().get("location").cloned();
    assert_eq!(status, 200, "deleting: {}", response.text().await.unwrap());
    assert_eq!(target.unwrap(), "/login?account_deleted=1");
}

/// The session token a sign-in handed out.
async fn signed_in_token(app: &TestApp, client: &reqwest::Client, email: &str) -> String {
    let response = app.sign_in_with(client, email, GOOD_PASSWORD).await;
    assert_eq!(response.status(), 200);
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| value.strip_prefix("reverie_session="))
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// The account a bare session token signs in, if any.
async fn signed_in_with_token(app: &TestApp, token: &str) -> Option<String> {
    let response = reqwest::Client::new()
        .get(app.url("/api/account/me"))
        .header("cookie", format!("reverie_session={token}"))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    body.get("email")
        .and_then(|email| email.as_str())
        .map(str::to_string)
}

/// Rows of `table` that `condition` (with the number `id`) picks.
async fn rows(app: &TestApp, table: &str, condition: &str, id: i64) -> i64 {
    count(
        app,
        &format!("{table} WHERE {}", condition.replace("$1", &id.to_string())),
    )
    .await
}

async fn still_exists(app: &TestApp, user: &User) -> bool {
    app.database.find_user(user.id).await.unwrap().is_some()
}

async fn access_log(app: &TestApp, owner: &reqwest::Client, case: CaseId) -> AccessLogView {
    let case = case.0.to_string();
    get_json(app, owner, "/api/shares/access-log", &[("case_id", &case)]).await
}

async fn read_meeting(app: &TestApp, client: &reqwest::Client, meeting: i64) -> reqwest::Response {
    get_with(
        app,
        client,
        "/api/meetings/meeting",
        &[("meeting_id", &meeting.to_string())],
    )
    .await
}

/// A meeting of Sam's today with `supervisees` (a group meeting if more
/// than one), about `cases`, each supervisee with one action item named
/// after them, and one for Sam.
async fn record_meeting(
    app: &TestApp,
    sam: &reqwest::Client,
    supervisees: &[&Account],
    cases: &[CaseId],
) -> i64 {
    let mut form = Form::new()
        .add("meeting[date]", day_from_today(0))
        .add("meeting[duration]", "90")
        .add(
            "meeting[format]",
            if supervisees.len() > 1 {
                "group"
            } else {
                "individual"
            },
        )
        .add("meeting[notes]", "We read the sessions together.");
    for (index, supervisee) in supervisees.iter().enumerate() {
        let id = supervisee.user.id.0;
        form = form
            .add("meeting[supervisees][]", id.to_string())
            .add(
                format!("meeting[action_items][{index}][text]"),
                format!("Item for {}", supervisee.user.display_name),
            )
            .add(
                format!("meeting[action_items][{index}][assignee]"),
                format!("supervisee:{id}"),
            );
    }
    let last = supervisees.len();
    form = form
        .add(
            format!("meeting[action_items][{last}][text]"),
            "Item for Sam",
        )
        .add(
            format!("meeting[action_items][{last}][assignee]"),
            "supervisor",
        );
    for case in cases {
        form = form.add("meeting[cases][]", case.0.to_string());
    }
    let response = app
        .post_form_with(sam, "/api/meetings/record", &form.fields())
        .await;
    let status = response.status();
    let target = location(&response);
    assert_eq!(status, 200, "recording: {}", response.text().await.unwrap());
    number_after("/meetings/", &target)
}

on_both_backends! {
    async fn deleting_an_account_removes_everything_that_is_theirs_and_signs_out_every_device(app: app) {
        let w = SharingWorld::new(&app).await;
        let (tess, sam) = (&w.therapist, &w.supervisor);
        let tess_id = tess.user.id.0;
        // A draft, a second reflection, feedback both ways on the shared one.
        let second = save_new_reflection(&app, &tess.client, w.case, &marked_reflection(2, "2019-04-30")).await;
        let keep = crate::casework::reflection_form(w.case, &marked_reflection(3, "2019-05-07"));
        assert_eq!(app.post_form_with(&tess.client, "/api/reflections/keep-draft", &keep.fields()).await.status(), 200);
        assert_eq!(app.post_form_with(&tess.client, "/api/browser-copies/new-key", &[]).await.status(), 200);
        let opening = comment(&app, &sam.client, w.case, w.reflection, "reflection", "What happened at the door?").await;
        assert_eq!(post_comment(&app, &tess.client, w.case, w.reflection, &format!("reply_to:{}", opening.0), "I froze.").await.status(), 200);
        let row = w.intervention(&app, 0).await;
        assert_eq!(rate(&app, &sam.client, w.case, w.reflection, row, "too_early", "").await.status(), 200);
        // Olga, another therapist, shares her own case with Sam.
        let olga = account(&app, "olga@example.org", "Olga Other").await;
        let olgas_case = new_case(&app, &olga.client, "O-01").await;
        let olgas_reflection = save_new_reflection(&app, &olga.client, olgas_case, &marked_reflection(1, SESSION_DATE)).await;
        share_case(&app, &olga.client, olgas_case, "sam@example.org", &[]).await;
        let olgas_comment = comment(&app, &sam.client, olgas_case, olgas_reflection, "reflection", "Good timing.").await;
        // Tess on a second device, and the token of a third sign-in kept aside.
        let phone = app.new_client();
        assert_eq!(app.sign_in_with(&phone, &tess.user.email, GOOD_PASSWORD).await.status(), 200);
        let old_token = signed_in_token(&app, &app.new_client(), &tess.user.email).await;
        shared_reflection(&app, &sam.client, olgas_case, olgas_reflection).await;
        let olgas_rows_before = rows_of_case(&app, olgas_case).await;
        assert!(olgas_rows_before.iter().all(|rows| *rows > 0), "{olgas_rows_before:?}");
        assert!(rows(&app, "drafts", "owner_id = $1", tess_id).await > 0);
        // Her search index, made by her first search.
        let searched = get_with(&app, &tess.client, "/api/reflections/search", &[("query[words]", "session")]).await;
        assert_eq!(searched.status(), 200);
        assert!(rows(&app, "search_terms", "owner_id = $1", tess_id).await > 0);

        let response = delete_account(&app, &tess.client, GOOD_PASSWORD, "  Tess@Example.org ").await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), "/login?account_deleted=1");
        let cleared = response.headers().get_all("set-cookie").iter().filter_map(|value| value.to_str().ok()).any(|value| value.starts_with("reverie_session=;") && value.contains("Max-Age=0"));
        assert!(cleared, "this browser forgets its session");

        // Nothing in any table names her (a later sign-in attempt with her
        // address is logged like any at an unknown address).
        for (place, value) in everything_stored(&app.database).await {
            assert!(!value.contains("tess@example.org") && !value.contains("Tess Therapist"), "{place}: {value}");
        }

        // Signed out everywhere; the old token and the password open nothing.
        assert_eq!(app.signed_in_email(&tess.client).await, None);
        assert_eq!(app.signed_in_email(&phone).await, None);
        assert_eq!(signed_in_with_token(&app, &old_token).await, None);
        assert_eq!(app.sign_in_with(&app.new_client(), &tess.user.email, GOOD_PASSWORD).await.status(), 403);

        // Gone from the database: her account, cases and all in them.
        assert!(!still_exists(&app, &tess.user).await);
        for (table, condition) in [
            ("sessions", "user_id = $1"),
            ("known_devices", "user_id = $1"),
            ("cases", "owner_id = $1"),
            ("drafts", "owner_id = $1"),
            ("browser_copy_keys", "account_id = $1"),
            ("search_terms", "owner_id = $1"),
            ("search_keys", "owner_id = $1"),
            ("comments", "author_id = $1"),
        ] {
            assert_eq!(rows(&app, table, condition, tess_id).await, 0, "{table}");
        }
        for (table, reflection) in [("reflections", "id"), ("reactions", "reflection_id"), ("interventions", "reflection_id"), ("episodes", "reflection_id"), ("comments", "reflection_id"), ("pacing_ratings", "reflection_id"), ("share_exclusions", "reflection_id")] {
            for id in [w.reflection.0, second.0] {
                assert_eq!(rows(&app, table, &format!("{reflection} = $1"), id).await, 0, "{table}");
            }
        }
        assert_eq!(rows(&app, "shares", "case_id = $1", w.case.0).await, 0);
        assert_eq!(rows(&app, "access_events", "case_id = $1", w.case.0).await, 0);

        // Her supervisor finds nothing of hers; Olga's case is untouched.
        let case = w.case.0.to_string();
        assert_eq!(get_with(&app, &sam.client, "/api/supervision/case", &[("case_id", &case)]).await.status(), 404);
        assert_eq!(inbox(&app, &sam.client).await.iter().map(|entry| entry.case.code.as_str()).collect::<Vec<_>>(), ["O-01"]);
        assert_eq!(rows_of_case(&app, olgas_case).await, olgas_rows_before, "Olga's rows stay");
        assert_eq!(overview(&app, &olga.client, olgas_case).await.sessions.len(), 1);
        let shared = shared_reflection(&app, &sam.client, olgas_case, olgas_reflection).await;
        assert_eq!(shared.feedback.threads.len(), 1);
        assert_eq!(shared.feedback.threads[0].messages[0].id, olgas_comment);
        assert_eq!(app.signed_in_email(&olga.client).await.as_deref(), Some("olga@example.org"));

        // The security events log keeps the fact, by number only, and her
        // older events without her email or addresses.
        let events = app.database.recent_audit_events(500).await.unwrap();
        let deletion = events.iter().find(|event| event.action.as_str() == "account.deleted").expect("the fact is logged");
        assert_eq!(deletion.actor.as_deref(), Some(format!("account #{tess_id}").as_str()));
        assert_eq!((deletion.target.as_deref(), deletion.client_ip.as_deref()), (None, None));
        assert!(events.iter().filter(|event| event.actor.as_deref() == deletion.actor.as_deref()).count() > 1, "her older events stay");
        assert_eq!(rows(&app, "audit_events", "actor_id = $1 AND client_ip IS NOT NULL", tess_id).await, 0);
    }

    async fn a_deleted_supervisors_feedback_shares_and_meetings_go_and_the_access_log_keeps_a_former_supervisor(app: app) {
        let w = SharingWorld::new(&app).await;
        let (tess, sam) = (&w.therapist, &w.supervisor);
        // Sam reads and comments; Tess replies; Sam rates and records a meeting.
        let opening = comment(&app, &sam.client, w.case, w.reflection, "reflection", "What happened at the door?").await;
        assert_eq!(post_comment(&app, &tess.client, w.case, w.reflection, &format!("reply_to:{}", opening.0), "I froze.").await.status(), 200);
        let row = w.intervention(&app, 0).await;
        assert_eq!(rate(&app, &sam.client, w.case, w.reflection, row, "too_early", "").await.status(), 200);
        let meeting = record_meeting(&app, &sam.client, &[tess], &[w.case]).await;
        // Otto, her other supervisor, comments too and keeps everything.
        let otto = w.share_with(&app, "otto@example.org", "Otto Supervisor").await;
        let ottos = comment(&app, &otto.client, w.case, w.reflection, "reflection", "Notice the lateness.").await;
        shared_reflection(&app, &otto.client, w.case, w.reflection).await;
        let reads_before = access_log(&app, &tess.client, w.case).await.events.len();
        assert!(reads_before >= 2, "Sam's reads are logged");

        deleted(&app, sam).await;

        // His comments (with Tess's replies in his threads) and ratings go.
        let mine = my_feedback(&app, &tess.client, w.case, w.reflection).await;
        assert_eq!(mine.threads.iter().map(|thread| thread.messages[0].id).collect::<Vec<_>>(), [ottos]);
        assert!(mine.ratings.is_empty(), "{mine:?}");
        // His share ended; her case and reflection are hers as before.
        let shares = overview(&app, &tess.client, w.case).await.shares;
        assert_eq!(shares.iter().map(|share| share.supervisor_email.as_str()).collect::<Vec<_>>(), ["otto@example.org"]);
        assert_eq!(overview(&app, &tess.client, w.case).await.sessions.len(), 1);
        // The meetings he recorded go with him.
        assert_eq!(read_meeting(&app, &tess.client, meeting).await.status(), 404);
        let lists: MeetingLists = get_json(&app, &tess.client, "/api/meetings/list", &[]).await;
        assert!(lists.attended.is_empty());
        assert_eq!(count(&app, "meetings").await, 0);
        // Her access log still says her material was read, by a former supervisor.
        let log = access_log(&app, &tess.client, w.case).await;
        assert_eq!(log.events.len(), reads_before);
        let readers: std::collections::BTreeSet<&str> = log.events.iter().map(|event| event.supervisor_name.as_str()).collect();
        assert_eq!(readers, [FORMER_SUPERVISOR, "Otto Supervisor"].into_iter().collect());
        let html = page(&app, &tess.client, &format!("/cases/{}/access", w.case.0)).await.text().await.unwrap();
        assert!(!html.contains("Sam Supervisor"), "{html}");
    }

    async fn a_deleted_supervisee_leaves_meetings_that_stay_for_the_others(app: app) {
        let w = SharingWorld::new(&app).await;
        let (tess, sam) = (&w.therapist, &w.supervisor);
        let anna = account(&app, "anna@example.org", "Anna Trainee").await;
        let annas_case = new_case(&app, &anna.client, "A-01").await;
        share_case(&app, &anna.client, annas_case, "sam@example.org", &[]).await;
        // Sam's comment on Tess's session puts it on the next agenda.
        comment(&app, &sam.client, w.case, w.reflection, "reflection", "What happened at the door?").await;
        let meeting = record_meeting(&app, &sam.client, &[tess, &anna], &[w.case, annas_case]).await;
        let before: MeetingView = get_json(&app, &sam.client, "/api/meetings/meeting", &[("meeting_id", &meeting.to_string())]).await;
        assert!(before.agenda.iter().any(|line| line.contains("C-07")), "{:?}", before.agenda);

        deleted(&app, tess).await;

        for reader in [&sam.client, &anna.client] {
            let after: MeetingView = get_json(&app, reader, "/api/meetings/meeting", &[("meeting_id", &meeting.to_string())]).await;
            assert_eq!(after.supervisees.iter().map(|person| person.name.as_str()).collect::<Vec<_>>(), ["Anna Trainee"]);
            assert_eq!(after.former_members, 1);
            assert_eq!(after.cases.iter().map(|case| case.code.as_str()).collect::<Vec<_>>(), ["A-01"]);
            let items: Vec<(&str, Assignee)> = after.action_items.iter().map(|item| (item.text.as_str(), item.assignee)).collect();
            assert_eq!(items, [("Item for Anna Trainee", Assignee::Supervisee(anna.user.id)), ("Item for Sam", Assignee::Supervisor)]);
            assert!(!after.agenda.iter().any(|line| line.contains("C-07")), "{:?}", after.agenda);
            assert_eq!((after.duration_minutes, after.notes.as_str()), (90, "We read the sessions together."));
        }
        assert_eq!(rows(&app, "meeting_supervisees", "supervisee_id = $1", tess.user.id.0).await, 0);
        let html = page(&app, &anna.client, &format!("/meetings/{meeting}")).await.text().await.unwrap();
        assert!(html.contains("Anna Trainee and a former member"), "{html}");
        assert!(!html.contains("Tess Therapist") && !html.contains("C-07"), "{html}");
    }

    async fn a_wrong_password_is_refused_at_its_field_and_counted_like_a_failed_sign_in(app: app) {
        let ana = account(&app, "ana@example.org", "Ana").await;
        let html = page(&app, &ana.client, "/account").await.text().await.unwrap();
        assert!(html.contains("Delete my account") && html.contains(DELETE), "{html}");

        // An incomplete form checks no password.
        let unconfirmed = delete_account(&app, &ana.client, GOOD_PASSWORD, "someone@example.org").await;
        assert_eq!(unconfirmed.status(), 422);
        let error = app_error(unconfirmed).await;
        assert!(error.field("confirmation").is_some(), "{error:?}");
        assert_eq!(error.field("password"), None);
        let empty = app_error(delete_account(&app, &ana.client, "", "ana@example.org").await).await;
        assert_eq!(empty.field("password").as_deref(), Some("Enter your password."));
        assert_eq!(device_failures(&app, ana.user.id).await, 0);

        let wrong = delete_account(&app, &ana.client, "not my password", "ana@example.org").await;
        assert_eq!(wrong.status(), 422);
        let error = app_error(wrong).await;
        assert_eq!(error.field("password").as_deref(), Some("This is not your password."));
        assert_eq!(device_failures(&app, ana.user.id).await, 1, "counted on this browser's gate, like a sign-in");
        let failed = app.database.recent_audit_events(10).await.unwrap().into_iter().find(|event| event.action.as_str() == "sign_in.failed").expect("logged");
        assert_eq!(failed.target.as_deref(), Some("account deletion"));

        // Without JavaScript: back to the form, the email kept, never the password.
        let plain = app.post_plain_form_with(&ana.client, DELETE, &[("password", "not my password"), ("confirmation", "ana@example.org")]).await;
        assert!(plain.status().is_redirection());
        let target = location(&plain);
        assert!(target.starts_with("/account?confirmation=ana%40example.org&__path="), "{target}");
        assert!(!target.contains("not%20my") && !target.contains("not+my") && !target.contains("password="), "{target}");
        let html = page(&app, &ana.client, &target).await.text().await.unwrap();
        assert!(html.contains("This is not your password."), "{html}");
        assert!(!html.contains("not my password"), "{html}");
        assert!(html.contains("value=\"ana@example.org\""), "the confirmation is kept: {html}");

        // After five failures this browser waits, with the right password too.
        for _ in 0..3 {
            assert_eq!(delete_account(&app, &ana.client, "not my password", "ana@example.org").await.status(), 422);
        }
        let waiting = delete_account(&app, &ana.client, GOOD_PASSWORD, "ana@example.org").await;
        assert_eq!(waiting.status(), 403);
        assert_eq!(app_error(waiting).await, AppError::Refused(DELETION_REFUSED_WAIT.to_string()));
        assert_eq!(DELETION_REFUSED_WAIT, CHANGE_REFUSED_WAIT);
        assert!(still_exists(&app, &ana.user).await);
        assert_eq!(app.signed_in_email(&ana.client).await.as_deref(), Some("ana@example.org"));
    }

    async fn the_last_active_administrator_cannot_delete_their_account(app: app) {
        let ada = administrator(&app, "ada@example.org").await;
        let refused = delete_account(&app, &ada.client, GOOD_PASSWORD, "ada@example.org").await;
        assert_eq!(refused.status(), 403);
        assert_eq!(app_error(refused).await, AppError::Refused(LAST_ADMINISTRATOR.to_string()));
        let html = page(&app, &ada.client, "/account").await.text().await.unwrap();
        assert!(html.contains("only while another active administrator remains"), "{html}");
        // A disabled administrator does not count.
        let bob = app.create_user("bob@example.org", "Bob Admin", GOOD_PASSWORD, true).await;
        app.database.set_user_disabled(bob.id, Some(1)).await.unwrap();
        assert_eq!(delete_account(&app, &ada.client, GOOD_PASSWORD, "ada@example.org").await.status(), 403);
        assert!(still_exists(&app, &ada.user).await);
        // With another active administrator, she can leave.
        app.database.set_user_disabled(bob.id, None).await.unwrap();
        deleted(&app, &ada).await;
        assert!(!still_exists(&app, &ada.user).await);
        // Bob is now the last one.
        let bob = signed_in_account(&app, bob).await;
        assert_eq!(delete_account(&app, &bob.client, GOOD_PASSWORD, "bob@example.org").await.status(), 403);
    }

    async fn two_administrators_leaving_at_once_leave_one(fresh: database) {
        let (database, _guard) = fresh;
        let administrator = |email: String| {
            let database = database.clone();
            async move {
                database.create_user(&NewUser { email: &email, display_name: "Admin", password_hash: "x", is_admin: true, created_at: 1 }).await.unwrap().id
            }
        };
        let mut remaining = administrator("first@example.org".to_string()).await;
        for round in 0..10 {
            let newcomer = administrator(format!("admin{round}@example.org")).await;
            let (one, other) = tokio::join!(database.delete_account(remaining, 2, None), database.delete_account(newcomer, 2, None));
            let mut outcomes = [one.unwrap(), other.unwrap()];
            outcomes.sort_by_key(|outcome| *outcome == AccountDeletion::Deleted);
            assert_eq!(outcomes, [AccountDeletion::LastAdministrator, AccountDeletion::Deleted], "round {round}");
            let left: Vec<UserId> = database.list_users().await.unwrap().into_iter().filter(|user| user.is_admin).map(|user| user.id).collect();
            assert_eq!(left.len(), 1, "round {round}");
            remaining = left[0];
        }
    }

    async fn a_deletion_posted_from_another_site_is_refused(app: app) {
        let ana = account(&app, "ana@example.org", "Ana").await;
        for headers in [
            &[("sec-fetch-site", "cross-site"), ("origin", "http://evil.example")][..],
            &[("origin", "http://evil.example")][..],
        ] {
            let mut request = ana.client.post(app.url(DELETE)).form(&[("password", GOOD_PASSWORD), ("confirmation", "ana@example.org")]);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            assert_eq!(request.send().await.unwrap().status(), 403, "{headers:?}");
        }
        assert!(still_exists(&app, &ana.user).await);
        assert_eq!(app.signed_in_email(&ana.client).await.as_deref(), Some("ana@example.org"));
    }
}

/// Rows of `case` and in it (its reflections, their rows, its shares, the
/// feedback on it, its access log).
async fn rows_of_case(app: &TestApp, case: CaseId) -> Vec<i64> {
    let in_case = format!("(SELECT id FROM reflections WHERE case_id = {})", case.0);
    let mut counts = vec![
        rows(app, "cases", "id = $1", case.0).await,
        rows(app, "reflections", "case_id = $1", case.0).await,
        rows(app, "shares", "case_id = $1", case.0).await,
        rows(app, "access_events", "case_id = $1", case.0).await,
    ];
    for table in ["reactions", "interventions", "episodes", "comments"] {
        counts.push(count(app, &format!("{table} WHERE reflection_id IN {in_case}")).await);
    }
    counts
}

/// Failures counted on the gate of `user`'s only known device.
async fn device_failures(app: &TestApp, user: UserId) -> i64 {
    app.database
        .sign_in_gate_state(SignInGate::Device(device_id(app, user).await))
        .await
        .unwrap()
        .map_or(0, |(failures, _)| failures)
}

/// The id of `user`'s only known device.
async fn device_id(app: &TestApp, user: UserId) -> i64 {
    let sql = format!("SELECT id FROM known_devices WHERE user_id = {}", user.0);
    let (id,): (i64,) = match &app.database {
        app::server::repo::Database::Sqlite(pool) => {
            sqlx::query_as(&sql).fetch_one(pool).await.unwrap()
        }
        app::server::repo::Database::Postgres(pool) => {
            sqlx::query_as(&sql).fetch_one(pool).await.unwrap()
        }
    };
    id
}

/// `user`, signed in with a browser of its own.
async fn signed_in_account(app: &TestApp, user: User) -> Account {
    let client = app.new_client();
    assert_eq!(
        app.sign_in_with(&client, &user.email, GOOD_PASSWORD)
            .await
            .status(),
        200
    );
    Account { client, user }
}
