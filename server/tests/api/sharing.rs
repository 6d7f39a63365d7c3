//! Sharing a case with a supervisor, over HTTP: previewing and sharing (with
//! and without JavaScript), changing and revoking a share; that the private
//! parts of a reflection, its dates and the case's names to watch never
//! reach a supervisor. The fixture here ([`SharingWorld`]) and the steps
//! both sides take are shared with `sharing_access` (who may reach what,
//! revocation, expiry, the access log) and `sharing_feedback` (comments,
//! ratings, reviews, rows that keep their feedback, encryption at rest).

use app::{
    api::{
        cases::CaseOverview,
        feedback::NavCounts,
        reflections::OwnReflectionView,
        shares::{ShareFormView, ShareSettingsView},
        supervision::{SharedCaseOverview, SharedReflectionView},
    },
    domain::{
        accounts::User,
        cases::CaseId,
        feedback::{CommentId, ReflectionFeedback},
        reflection::{ReflectionId, ReflectionInput, RowId},
        sharing::{InboxEntry, ShareId, ShareScope, ShareStatus, ShareSummary},
        time::{add_days, format_utc_date},
        vocabulary::ShareBasis,
    },
    server::auth::now_ms,
};

use crate::{
    casework::{
        case_form, error_in, full_reflection, get_json, get_with, location, number_after,
        save_new_reflection, url_pairs, Form,
    },
    helpers::{app_error, count, TestApp, GOOD_PASSWORD},
    on_both_backends,
};

/// The case's start and the session's date: distinctive, so that either
/// reaching a supervisor would be found (`2019-` appears nowhere else).
pub const START_DATE: &str = "2019-03-17";
pub const SESSION_DATE: &str = "2019-04-23";
/// The week of [`SESSION_DATE`] since [`START_DATE`] (37 days on).
pub const SESSION_WEEK: i64 = 6;

/// Written into the private parts of every reflection made here.
pub const ORIGIN_NOTE: &str = "Xylokarp: my father's workshop.";
pub const PRIVATE_NOTES: &str = "Vendrastil: take this to my own analysis.";
/// Picked as the Hayes origin of every reflection made here.
pub const ORIGIN_PICKS: [&str; 2] = ["needs_values", "therapy_specific"];
/// The case's names to watch.
pub const NAMES_TO_WATCH: [&str; 2] = ["Ottoline", "Brackwater"];
/// Written into a shared part (the enactment): a supervisor does see it.
pub const ENACTMENT: &str = "Ran over time, as with Lumbrecht's lateness.";

/// What no supervisor-facing answer may contain: the markers of the private
/// parts, the names to watch, the calendar dates, the word "Origin", and the
/// origin picks as labels, slugs and variant names.
pub const NEVER_SHARED: [&str; 12] = [
    "Xylokarp",
    "Vendrastil",
    "Ottoline",
    "Brackwater",
    "2019-",
    "Origin",
    "Needs and values",
    "NeedsAndValues",
    "needs_values",
    "Therapy-specific",
    "TherapySpecific",
    "therapy_specific",
];

/// Panics naming the first private thing `text` (from `place`) contains.
pub fn assert_nothing_private(place: &str, text: &str) {
    for private in NEVER_SHARED {
        assert!(
            !text.contains(private),
            "{place} contains {private:?}:\n{text}"
        );
    }
}

/// A signed-in account with its own browser.
pub struct Account {
    pub client: reqwest::Client,
    pub user: User,
}

/// Creates an account and signs it in with a new client.
pub async fn account(app: &TestApp, email: &str, name: &str) -> Account {
    signed_in(app, email, name, false).await
}

pub async fn administrator(app: &TestApp, email: &str) -> Account {
    signed_in(app, email, "Ada Admin", true).await
}

async fn signed_in(app: &TestApp, email: &str, name: &str, is_admin: bool) -> Account {
    let user = app.create_user(email, name, GOOD_PASSWORD, is_admin).await;
    let client = app.new_client();
    let response = app.sign_in_with(&client, email, GOOD_PASSWORD).await;
    assert_eq!(response.status(), 200, "signing in {email}");
    Account { client, user }
}

/// Creates a case starting on [`START_DATE`] with [`NAMES_TO_WATCH`].
pub async fn new_case(app: &TestApp, owner: &reqwest::Client, code: &str) -> CaseId {
    let form = case_form(code)
        .set("case[start_date]", START_DATE)
        .set("case[names_to_watch]", NAMES_TO_WATCH.join("\n"));
    let response = app
        .post_form_with(owner, "/api/cases/create", &form.fields())
        .await;
    assert_eq!(response.status(), 200, "creating {code}");
    CaseId(number_after("/cases/", &location(&response)))
}

/// [`full_reflection`] with every private part marked and a marked enactment.
pub fn marked_reflection(session_number: u32, session_date: &str) -> ReflectionInput {
    let mut input = full_reflection(session_number, session_date);
    input.origin = ORIGIN_PICKS.iter().map(|slug| slug.to_string()).collect();
    input.origin_note = ORIGIN_NOTE.to_string();
    input.private_notes = PRIVATE_NOTES.to_string();
    input.enactment = ENACTMENT.to_string();
    input
}

/// The share form's fields: basis training, nothing left out, no expiry.
pub fn share_form(case: CaseId, email: &str) -> Form {
    Form::new()
        .add("case_id", case.0.to_string())
        .add("share[supervisor_email]", email)
        .add("share[basis]", "training")
        .add("share[expires_on]", "")
}

/// Shares the case with `email` (leaving out `excluded`), as the page does
/// with JavaScript, and returns the share.
pub async fn share_case(
    app: &TestApp,
    owner: &reqwest::Client,
    case: CaseId,
    email: &str,
    excluded: &[ReflectionId],
) -> ShareId {
    let mut form = share_form(case, email);
    for reflection in excluded {
        form = form.add("share[excluded][]", reflection.0.to_string());
    }
    let response = app
        .post_form_with(owner, "/api/shares/create", &form.fields())
        .await;
    let status = response.status();
    let target = response.headers().get("location").cloned();
    assert_eq!(status, 200, "sharing: {}", response.text().await.unwrap());
    assert_eq!(
        target.unwrap().to_str().unwrap(),
        format!("/cases/{}?shared=1#sharing", case.0)
    );
    shares_of(app, owner, case)
        .await
        .into_iter()
        .find(|share| share.supervisor_email == email && share.status == ShareStatus::Active)
        .expect("the new share is listed")
        .id
}

/// The case's shares, as its owner's overview lists them.
pub async fn shares_of(app: &TestApp, owner: &reqwest::Client, case: CaseId) -> Vec<ShareSummary> {
    overview(app, owner, case).await.shares
}

pub async fn overview(app: &TestApp, owner: &reqwest::Client, case: CaseId) -> CaseOverview {
    let case = case.0.to_string();
    get_json(app, owner, "/api/cases/overview", &[("case_id", &case)]).await
}

/// Changes a share's scope as its settings page does with JavaScript.
pub async fn update_share(
    app: &TestApp,
    owner: &reqwest::Client,
    case: CaseId,
    share: ShareId,
    excluded: &[ReflectionId],
    expires_on: &str,
) -> reqwest::Response {
    let mut form = Form::new()
        .add("case_id", case.0.to_string())
        .add("share_id", share.0.to_string())
        .add("scope[expires_on]", expires_on);
    for reflection in excluded {
        form = form.add("scope[excluded][]", reflection.0.to_string());
    }
    app.post_form_with(owner, "/api/shares/update", &form.fields())
        .await
}

pub async fn revoke(
    app: &TestApp,
    owner: &reqwest::Client,
    case: CaseId,
    share: ShareId,
) -> reqwest::Response {
    let (case, share) = (case.0.to_string(), share.0.to_string());
    app.post_form_with(
        owner,
        "/api/shares/revoke",
        &[("case_id", &case), ("share_id", &share)],
    )
    .await
}

/// `case_id` and `reflection_id` as query or form fields.
pub fn ids(case: CaseId, reflection: ReflectionId) -> Form {
    Form::new()
        .add("case_id", case.0.to_string())
        .add("reflection_id", reflection.0.to_string())
}

pub async fn inbox(app: &TestApp, client: &reqwest::Client) -> Vec<InboxEntry> {
    get_json(app, client, "/api/supervision/inbox", &[]).await
}

pub async fn counts(app: &TestApp, client: &reqwest::Client) -> NavCounts {
    get_json(app, client, "/api/feedback/counts", &[]).await
}

pub async fn shared_case(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
) -> SharedCaseOverview {
    let case = case.0.to_string();
    get_json(app, client, "/api/supervision/case", &[("case_id", &case)]).await
}

/// The reflections a supervisor's shared case lists, newest first.
pub async fn shared_sessions(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
) -> Vec<ReflectionId> {
    shared_case(app, client, case)
        .await
        .sessions
        .iter()
        .map(|session| session.reflection_id)
        .collect()
}

pub async fn shared_reflection(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
    reflection: ReflectionId,
) -> SharedReflectionView {
    let form = ids(case, reflection);
    get_json(app, client, "/api/supervision/reflection", &form.fields()).await
}

/// The therapist's view of the feedback on their reflection.
pub async fn my_feedback(
    app: &TestApp,
    owner: &reqwest::Client,
    case: CaseId,
    reflection: ReflectionId,
) -> ReflectionFeedback {
    let form = ids(case, reflection);
    let page: OwnReflectionView =
        get_json(app, owner, "/api/reflections/page", &form.fields()).await;
    page.feedback
}

/// Posts a comment (`anchor`) or a reply (`reply_to:<id>`) as the page does
/// with JavaScript.
pub async fn post_comment(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
    reflection: ReflectionId,
    place: &str,
    body: &str,
) -> reqwest::Response {
    let form = match place.strip_prefix("reply_to:") {
        Some(comment) => ids(case, reflection).add("reply_to", comment),
        None => ids(case, reflection).add("anchor", place),
    };
    app.post_form_with(
        client,
        "/api/feedback/comment",
        &form.add("body", body).fields(),
    )
    .await
}

/// Posts a comment that must be accepted; returns its id.
pub async fn comment(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
    reflection: ReflectionId,
    place: &str,
    body: &str,
) -> CommentId {
    let response = post_comment(app, client, case, reflection, place, body).await;
    let status = response.status();
    let target = response.headers().get("location").cloned();
    assert_eq!(
        status,
        200,
        "commenting at {place}: {}",
        response.text().await.unwrap()
    );
    let target = target.expect("a redirect").to_str().unwrap().to_string();
    let (_, id) = target
        .split_once("#comment-")
        .unwrap_or_else(|| panic!("no comment in {target}"));
    CommentId(id.parse().unwrap())
}

/// Rates an intervention as the page does with JavaScript.
pub async fn rate(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
    reflection: ReflectionId,
    intervention: RowId,
    rating: &str,
    note: &str,
) -> reqwest::Response {
    let form = ids(case, reflection)
        .add("intervention_id", intervention.0.to_string())
        .add("rating", rating)
        .add("note", note);
    app.post_form_with(client, "/api/supervision/rate", &form.fields())
        .await
}

pub async fn mark_reviewed(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
    reflection: ReflectionId,
    version: i64,
) -> reqwest::Response {
    let form = ids(case, reflection).add("version", version.to_string());
    app.post_form_with(client, "/api/supervision/review", &form.fields())
        .await
}

/// A page as a browser without JavaScript gets it (a navigation accepts
/// HTML, which makes a redirect a real 302), with `client`'s cookies.
pub async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> reqwest::Response {
    client
        .get(app.url(path))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .expect("request failed")
}

/// Today (UTC) `days` from now, as the forms take dates.
pub fn day_from_today(days: i64) -> String {
    add_days(&format_utc_date(now_ms()), days).unwrap()
}

/// Tess's case C-07 (started [`START_DATE`], [`NAMES_TO_WATCH`]) with one
/// reflection, session 1 on [`SESSION_DATE`], every private part marked,
/// shared with Sam for training, nothing left out, no expiry.
pub struct SharingWorld {
    pub therapist: Account,
    pub supervisor: Account,
    pub case: CaseId,
    pub reflection: ReflectionId,
    pub share: ShareId,
}

impl SharingWorld {
    pub async fn new(app: &TestApp) -> Self {
        let therapist = account(app, "tess@example.org", "Tess Therapist").await;
        let supervisor = account(app, "sam@example.org", "Sam Supervisor").await;
        let case = new_case(app, &therapist.client, "C-07").await;
        let reflection = save_new_reflection(
            app,
            &therapist.client,
            case,
            &marked_reflection(1, SESSION_DATE),
        )
        .await;
        let share = share_case(app, &therapist.client, case, "sam@example.org", &[]).await;
        SharingWorld {
            therapist,
            supervisor,
            case,
            reflection,
            share,
        }
    }

    /// Another supervisor the case is shared with.
    pub async fn share_with(&self, app: &TestApp, email: &str, name: &str) -> Account {
        let supervisor = account(app, email, name).await;
        share_case(app, &self.therapist.client, self.case, email, &[]).await;
        supervisor
    }

    /// The row id of the reflection's intervention at `index`, as the
    /// supervisor reads it.
    pub async fn intervention(&self, app: &TestApp, index: usize) -> RowId {
        shared_reflection(app, &self.supervisor.client, self.case, self.reflection)
            .await
            .reflection
            .interventions[index]
            .id
            .expect("stored rows have ids")
    }
}

/// The share form's fields for `email` as the preview's query, with
/// `changes` replacing fields (or adding to a `[]` list).
fn preview_query<'a>(
    case: &'a str,
    email: &'a str,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut query = vec![
        ("case_id", case),
        ("share[supervisor_email]", email),
        ("share[basis]", "training"),
        ("share[expires_on]", ""),
    ];
    for &(name, value) in changes {
        query.retain(|&(existing, _)| existing != name || name.ends_with("[]"));
        query.push((name, value));
    }
    query
}

/// A share form that must be refused: the email, the other fields changed,
/// the field the message is at, and how the message starts.
type Refusal<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str, &'a str);

on_both_backends! {
    async fn the_preview_shows_exactly_what_the_supervisor_would_see(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        account(&app, "sam@example.org", "Sam Supervisor").await;
        let case = new_case(&app, &tess.client, "C-07").await;
        let first = save_new_reflection(&app, &tess.client, case, &marked_reflection(1, SESSION_DATE)).await;
        let second = save_new_reflection(&app, &tess.client, case, &marked_reflection(2, "2019-04-30")).await;
        let case_id = case.0.to_string();
        let left_out = first.0.to_string();

        let form: ShareFormView = get_json(&app, &tess.client, "/api/shares/form", &[("case_id", &case_id)]).await;
        assert_eq!(form.case_code, "C-07");
        let sessions: Vec<(ReflectionId, u32)> = form.sessions.iter().map(|s| (s.reflection_id, s.session_number)).collect();
        assert_eq!(sessions, [(second, 2), (first, 1)]);
        assert_eq!(form.preview, None, "nothing to preview before the form is filled in");

        let query = preview_query(&case_id, " Sam@Example.org ", &[("share[excluded][]", &left_out)]);
        let form: ShareFormView = get_json(&app, &tess.client, "/api/shares/form", &query).await;
        let preview = form.preview.expect("a preview").expect("a valid form");
        assert_eq!(preview.supervisor_name, "Sam Supervisor");
        assert_eq!(preview.request.supervisor_email.as_str(), "sam@example.org");
        assert_eq!(preview.request.basis, ShareBasis::Training);
        assert_eq!(preview.request.scope, ShareScope { excluded: vec![first], expires_on: None });
        let shown: Vec<(ReflectionId, u32, i64)> = preview.reflections.iter().map(|r| (r.id, r.session_number, r.week)).collect();
        assert_eq!(shown, [(second, 2, SESSION_WEEK + 1)], "the left-out session is not in the preview");
        assert_eq!(preview.reflections[0].enactment, ENACTMENT);
        assert_eq!(preview.reflections[0].interventions.len(), 3);
        assert_nothing_private("the preview", &serde_json::to_string(&preview).unwrap());

        // A preview stores nothing.
        assert!(shares_of(&app, &tess.client, case).await.is_empty());
    }

    async fn a_share_is_refused_at_the_field_that_is_wrong(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        account(&app, "sam@example.org", "Sam Supervisor").await;
        let dora = app.create_user("dora@example.org", "Dora Disabled", GOOD_PASSWORD, false).await;
        assert!(app.database.set_user_disabled(dora.id, Some(now_ms())).await.unwrap());
        let case = new_case(&app, &tess.client, "C-07").await;
        save_new_reflection(&app, &tess.client, case, &marked_reflection(1, SESSION_DATE)).await;
        let case_id = case.0.to_string();
        let yesterday = day_from_today(-1);

        let refusals: [Refusal; 6] = [
            ("nobody@example.org", &[], "supervisor_email", "No active account on this server has that email address."),
            ("TESS@example.org", &[], "supervisor_email", "That is your own account;"),
            ("dora@example.org", &[], "supervisor_email", "No active account on this server has that email address."),
            ("not an address", &[], "supervisor_email", ""),
            ("sam@example.org", &[("share[basis]", "")], "basis", "Choose the basis for sharing"),
            ("sam@example.org", &[("share[expires_on]", &yesterday)], "expires_on", "The last day of the share is in the past."),
        ];
        for (email, changes, field, message_start) in refusals {
            let query = preview_query(&case_id, email, changes);
            // The preview says what is wrong, at the field…
            let form: ShareFormView = get_json(&app, &tess.client, "/api/shares/form", &query).await;
            let error = form.preview.expect("a preview").expect_err(email);
            let message = error.field(field).unwrap_or_else(|| panic!("{email} {changes:?}: no message at {field}: {error:?}"));
            assert!(message.starts_with(message_start), "{email} {changes:?}: {message}");
            // …and sharing anyway is refused with the same message.
            let response = app.post_form_with(&tess.client, "/api/shares/create", &query).await;
            assert_eq!(response.status(), 422, "{email} {changes:?}");
            assert_eq!(app_error(response).await.field(field), Some(message), "{email} {changes:?}");
        }
        assert!(shares_of(&app, &tess.client, case).await.is_empty());
        // Leaving out a session of another case is refused too.
        let query = preview_query(&case_id, "sam@example.org", &[("share[excluded][]", "999999")]);
        let response = app.post_form_with(&tess.client, "/api/shares/create", &query).await;
        assert_eq!(response.status(), 422);
        assert!(app_error(response).await.field("excluded").is_some());
    }

    async fn a_share_is_listed_on_the_case_and_made_once_per_supervisor(app: app) {
        let world = SharingWorld::new(&app).await;
        let shares = shares_of(&app, &world.therapist.client, world.case).await;
        assert_eq!(shares.len(), 1);
        let share = &shares[0];
        assert_eq!(share.id, world.share);
        assert_eq!(share.supervisor, world.supervisor.user.id);
        assert_eq!((share.supervisor_name.as_str(), share.supervisor_email.as_str()), ("Sam Supervisor", "sam@example.org"));
        assert_eq!((share.basis, share.status, share.revoked_at), (ShareBasis::Training, ShareStatus::Active, None));
        assert_eq!(share.scope, ShareScope::default());
        let codes: Vec<String> = inbox(&app, &world.supervisor.client).await.into_iter().map(|entry| entry.case.code).collect();
        assert_eq!(codes, ["C-07"]);

        let again = share_form(world.case, "SAM@example.org");
        let response = app.post_form_with(&world.therapist.client, "/api/shares/create", &again.fields()).await;
        assert_eq!(response.status(), 422);
        let message = app_error(response).await.field("supervisor_email").expect("a message at the email");
        assert!(message.contains("already shared with Sam Supervisor"), "{message}");
        assert_eq!(shares_of(&app, &world.therapist.client, world.case).await.len(), 1);
    }

    async fn changing_a_share_changes_what_the_supervisor_sees(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let first = world.reflection;
        let second = save_new_reflection(&app, tess, world.case, &marked_reflection(2, "2019-04-30")).await;
        assert_eq!(shared_sessions(&app, sam, world.case).await, [second, first], "reflections written later are shared too");

        let last_day = day_from_today(30);
        let response = update_share(&app, tess, world.case, world.share, &[first], &last_day).await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), format!("/cases/{}/shares/{}?updated=1", world.case.0, world.share.0));
        let settings: ShareSettingsView = get_json(&app, tess, "/api/shares/settings", &[("case_id", &world.case.0.to_string()), ("share_id", &world.share.0.to_string())]).await;
        assert_eq!(settings.case_code, "C-07");
        assert_eq!(settings.share.scope, ShareScope { excluded: vec![first], expires_on: Some(last_day.clone()) });
        assert_eq!(settings.share.status, ShareStatus::Active);
        assert_eq!(settings.sessions.len(), 2);
        // Sam's very next request sees the new scope.
        assert_eq!(shared_sessions(&app, sam, world.case).await, [second]);
        assert_eq!(shared_case(&app, sam, world.case).await.case.expires_on, Some(last_day.clone()));
        let left_out = get_with(&app, sam, "/api/supervision/reflection", &ids(world.case, first).fields()).await;
        assert_eq!(left_out.status(), 404);

        // A wrong change is refused at its field and changes nothing.
        let response = update_share(&app, tess, world.case, world.share, &[], &day_from_today(-1)).await;
        assert_eq!(response.status(), 422);
        assert!(app_error(response).await.field("expires_on").is_some());
        let response = update_share(&app, tess, world.case, world.share, &[ReflectionId(999_999)], "").await;
        assert_eq!(response.status(), 422);
        assert!(app_error(response).await.field("excluded").is_some());
        assert_eq!(shares_of(&app, tess, world.case).await[0].scope, settings.share.scope);

        // Putting everything back shares every session again, with no expiry.
        assert_eq!(update_share(&app, tess, world.case, world.share, &[], "").await.status(), 200);
        assert_eq!(shared_sessions(&app, sam, world.case).await, [second, first]);
        assert_eq!(shared_case(&app, sam, world.case).await.case.expires_on, None);
    }

    async fn a_revoked_share_stays_in_the_history_and_the_case_can_be_shared_again(app: app) {
        let world = SharingWorld::new(&app).await;
        let tess = &world.therapist.client;
        let response = revoke(&app, tess, world.case, world.share).await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), format!("/cases/{}?revoked=1#sharing", world.case.0));
        let shares = shares_of(&app, tess, world.case).await;
        assert_eq!(shares.len(), 1);
        assert_eq!((shares[0].id, shares[0].status), (world.share, ShareStatus::Revoked));
        assert!(shares[0].revoked_at.is_some());

        // A revoked share cannot be revoked or changed again, only read.
        assert_eq!(revoke(&app, tess, world.case, world.share).await.status(), 404);
        assert_eq!(update_share(&app, tess, world.case, world.share, &[], "").await.status(), 404);
        let settings: ShareSettingsView = get_json(&app, tess, "/api/shares/settings", &[("case_id", &world.case.0.to_string()), ("share_id", &world.share.0.to_string())]).await;
        assert_eq!(settings.share.status, ShareStatus::Revoked);

        // Sharing again makes a new share; the old one stays in the history.
        let again = share_case(&app, tess, world.case, "sam@example.org", &[]).await;
        assert_ne!(again, world.share);
        let history: Vec<(ShareId, ShareStatus)> = shares_of(&app, tess, world.case).await.iter().map(|s| (s.id, s.status)).collect();
        assert_eq!(history, [(again, ShareStatus::Active), (world.share, ShareStatus::Revoked)]);
        assert_eq!(shared_sessions(&app, &world.supervisor.client, world.case).await, [world.reflection]);
    }

    async fn without_javascript_sharing_goes_to_the_case_or_back_to_the_form(app: app) {
        let tess = account(&app, "tess@example.org", "Tess Therapist").await;
        account(&app, "sam@example.org", "Sam Supervisor").await;
        let case = new_case(&app, &tess.client, "C-07").await;
        let reflection = save_new_reflection(&app, &tess.client, case, &marked_reflection(1, SESSION_DATE)).await;
        let left_out = reflection.0.to_string();
        let last_day = day_from_today(10);

        let form = share_form(case, "nobody@example.org")
            .set("share[expires_on]", last_day.clone())
            .add("share[excluded][]", left_out.clone());
        let response = app.post_plain_form_with(&tess.client, "/api/shares/create", &form.fields()).await;
        assert_eq!(response.status(), 302);
        let target = location(&response);
        assert!(target.starts_with(&format!("/cases/{}/share?", case.0)), "{target}");
        let typed: Vec<(String, String)> = url_pairs(&target).into_iter().filter(|(name, _)| !name.starts_with("__")).collect();
        let pair = |name: &str, value: &str| (name.to_string(), value.to_string());
        assert_eq!(typed, [
            pair("share[supervisor_email]", "nobody@example.org"),
            pair("share[basis]", "training"),
            pair("share[expires_on]", &last_day),
            pair("share[excluded][]", &left_out),
        ]);
        let message = error_in(&target).field("supervisor_email").expect("the message at the email");
        assert_nothing_private("the address", &target);
        assert!(!target.contains("Lumbrecht"), "no clinical text in the address: {target}");
        // The form it returns to shows what was typed and what is wrong.
        let response = page(&app, &tess.client, &target).await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains("nobody@example.org"), "{html}");
        assert!(html.contains(&message), "{html}");
        assert!(shares_of(&app, &tess.client, case).await.is_empty());

        let response = app.post_plain_form_with(&tess.client, "/api/shares/create", &share_form(case, "sam@example.org").fields()).await;
        assert_eq!(response.status(), 302);
        assert_eq!(location(&response), format!("/cases/{}?shared=1#sharing", case.0));
        assert_eq!(shares_of(&app, &tess.client, case).await.len(), 1);
    }

    async fn deleting_a_shared_case_removes_its_shares_and_all_feedback(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let (case, reflection) = (world.case, world.reflection);
        let row = world.intervention(&app, 1).await;
        let opening = comment(&app, sam, case, reflection, &format!("interventions:{}", row.0), "About this.").await;
        comment(&app, tess, case, reflection, &format!("reply_to:{}", opening.0), "Yes.").await;
        assert_eq!(rate(&app, sam, case, reflection, row, "too_early", "Wait.").await.status(), 200);
        assert_eq!(mark_reviewed(&app, sam, case, reflection, 1).await.status(), 200);
        my_feedback(&app, tess, case, reflection).await;
        let uma = world.share_with(&app, "uma@example.org", "Uma Supervisor").await;
        let umas = shares_of(&app, tess, case).await[0].id;
        assert_eq!(update_share(&app, tess, case, umas, &[reflection], "").await.status(), 200);
        let tables = ["shares", "share_exclusions", "comments", "pacing_ratings", "reviews", "feedback_visits", "access_events"];
        for table in tables {
            assert!(count(&app, table).await > 0, "{table} has rows before");
        }

        let delete = [("case_id", case.0.to_string()), ("confirm_code", "C-07".to_string())];
        let delete: Vec<(&str, &str)> = delete.iter().map(|(name, value)| (*name, value.as_str())).collect();
        assert_eq!(app.post_form_with(tess, "/api/cases/delete", &delete).await.status(), 200);
        for table in tables.into_iter().chain(["reflections", "interventions"]) {
            assert_eq!(count(&app, table).await, 0, "{table}");
        }
        for supervisor in [sam, &uma.client] {
            assert!(inbox(&app, supervisor).await.is_empty());
            let case_id = case.0.to_string();
            assert_eq!(get_with(&app, supervisor, "/api/supervision/case", &[("case_id", &case_id)]).await.status(), 404);
        }
    }

    async fn a_shared_session_is_placed_by_its_week_since_the_case_started(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let weeks = || async { shared_case(&app, sam, world.case).await.sessions.iter().map(|s| s.week).collect::<Vec<i64>>() };
        assert_eq!(weeks().await, [SESSION_WEEK]);
        // The therapist moves the case's start a week later: the session is a week earlier in it.
        let form = case_form("C-07")
            .set("case[start_date]", "2019-03-24")
            .set("case[names_to_watch]", NAMES_TO_WATCH.join("\n"))
            .add("case_id", world.case.0.to_string());
        assert_eq!(app.post_form_with(tess, "/api/cases/update", &form.fields()).await.status(), 200);
        assert_eq!(weeks().await, [SESSION_WEEK - 1]);
        assert_eq!(shared_reflection(&app, sam, world.case, world.reflection).await.reflection.week, SESSION_WEEK - 1);
    }

    async fn private_parts_dates_and_names_never_reach_the_supervisor(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let (case, reflection) = (world.case, world.reflection);
        let row = world.intervention(&app, 1).await;
        let anchor = format!("interventions:{}", row.0);
        // What Sam is answered, with where it came from.
        let mut answers: Vec<(String, String)> = Vec::new();
        async fn answer(response: reqwest::Response) -> String {
            let target = response.headers().get("location").map(|value| value.to_str().unwrap().to_string());
            format!("{} {target:?} {}", response.status(), response.text().await.unwrap())
        }

        // The therapist's own reading has it all (the markers are real).
        let stored: app::domain::reflection::StoredReflection = get_json(&app, tess, "/api/reflections/get", &ids(case, reflection).fields()).await;
        assert_eq!(stored.reflection.private_notes, PRIVATE_NOTES);
        assert_eq!(stored.reflection.origin.note, ORIGIN_NOTE);
        assert_eq!(overview(&app, tess, case).await.case.details.names_to_watch, NAMES_TO_WATCH);

        // Sam's JSON answers, and his posts' answers, with and without JavaScript.
        for (path, query) in [
            ("/api/supervision/inbox", Form::new()),
            ("/api/supervision/case", Form::new().add("case_id", case.0.to_string())),
            ("/api/supervision/reflection", ids(case, reflection)),
            ("/api/feedback/counts", Form::new()),
        ] {
            let response = get_with(&app, sam, path, &query.fields()).await;
            assert_eq!(response.status(), 200, "{path}");
            answers.push((path.to_string(), answer(response).await));
        }
        let opening = comment(&app, sam, case, reflection, &anchor, "Early for this depth.").await;
        let posts = [
            ("/api/feedback/comment", ids(case, reflection).add("anchor", "reflection").add("body", "Overall, well observed.")),
            ("/api/feedback/comment", ids(case, reflection).add("reply_to", opening.0.to_string()).add("body", "And the lateness?")),
            ("/api/feedback/comment", ids(case, reflection).add("anchor", anchor.clone()).add("body", "  ")),
            ("/api/supervision/rate", ids(case, reflection).add("intervention_id", row.0.to_string()).add("rating", "too_early").add("note", "Wait for the material.")),
            ("/api/supervision/rate", ids(case, reflection).add("intervention_id", row.0.to_string()).add("rating", "").add("note", "")),
            ("/api/supervision/review", ids(case, reflection).add("version", "1")),
            ("/api/supervision/review", ids(case, reflection).add("version", "0")),
        ];
        for (path, form) in &posts {
            let with_js = app.post_form_with(sam, path, &form.fields()).await;
            answers.push((format!("{path} (JavaScript)"), answer(with_js).await));
            let plain = app.post_plain_form_with(sam, path, &form.fields()).await;
            assert_eq!(plain.status(), 302, "{path}");
            let target = location(&plain);
            answers.push((format!("{path} (plain)"), answer(plain).await));
            // …and the page each plain post leads to.
            let response = page(&app, sam, &target).await;
            assert_eq!(response.status(), 200, "{target}");
            answers.push((target, response.text().await.unwrap()));
        }
        // The therapist replies; Sam reads it on his pages.
        comment(&app, tess, case, reflection, &format!("reply_to:{}", opening.0), "I moved too fast.").await;
        for path in [
            "/supervision".to_string(),
            format!("/supervision/cases/{}", case.0),
            format!("/supervision/cases/{}/reflections/{}", case.0, reflection.0),
        ] {
            let response = page(&app, sam, &path).await;
            assert_eq!(response.status(), 200, "{path}");
            answers.push((path, response.text().await.unwrap()));
        }
        let json = serde_json::to_string(&shared_reflection(&app, sam, case, reflection).await).unwrap();
        answers.push(("the shared reflection after the reply".to_string(), json));

        for (place, text) in &answers {
            assert_nothing_private(place, text);
        }
        // The answers do hold the shared reflection and the conversation.
        let everything: String = answers.iter().map(|(_, text)| text.as_str()).collect();
        for shared in ["Lumbrecht", "Linked the lateness to leaving me.", "Early for this depth.", "I moved too fast.", "Wait for the material."] {
            assert!(everything.contains(shared), "{shared} is shared");
        }
    }
}
