//! Supervision meetings over HTTP: a supervisor records a meeting and both
//! sides read it; who else finds it (nobody); the form's checks at their
//! fields, with and without JavaScript; a revoked share leaving the case's
//! code on the record without a link into the case.

use app::{
    api::meetings::{MeetingFormView, MeetingLists, MeetingView, Reader},
    domain::{
        cases::CaseId,
        meetings::{Assignee, MeetingFormat, Stage},
    },
    error::AppError,
};

use crate::{
    casework::{error_in, get_json, get_with, location, number_after, url_pairs, Form},
    helpers::{app_error, TestApp},
    on_both_backends,
    sharing::{
        account, administrator, day_from_today, new_case, page, revoke, share_case, Account,
    },
};

/// Sam supervises Anna (case A-01) and Ben (case B-01); Anna's other case
/// A-02 is shared with Otto, her other supervisor; Olga supervises nobody
/// here; Ada administers the server.
struct World {
    sam: Account,
    anna: Account,
    ben: Account,
    olga: Account,
    otto: Account,
    ada: Account,
    anna_case: CaseId,
    ben_case: CaseId,
}

async fn world(app: &TestApp) -> World {
    let sam = account(app, "sam@example.org", "Sam Supervisor").await;
    let anna = account(app, "anna@example.org", "Anna Trainee").await;
    let ben = account(app, "ben@example.org", "Ben Trainee").await;
    let olga = account(app, "olga@example.org", "Olga Supervisor").await;
    let otto = account(app, "otto@example.org", "Otto Supervisor").await;
    let ada = administrator(app, "ada@example.org").await;
    let anna_case = new_case(app, &anna.client, "A-01").await;
    share_case(app, &anna.client, anna_case, "sam@example.org", &[]).await;
    let other = new_case(app, &anna.client, "A-02").await;
    share_case(app, &anna.client, other, "otto@example.org", &[]).await;
    let ben_case = new_case(app, &ben.client, "B-01").await;
    share_case(app, &ben.client, ben_case, "sam@example.org", &[]).await;
    World {
        sam,
        anna,
        ben,
        olga,
        otto,
        ada,
        anna_case,
        ben_case,
    }
}

const NOTES: &str = "Talked about the lateness, \"again\", and the fee; next: the break.";
const ITEM: &str = "Read Racker on complementary identification";

/// An individual meeting of 50 minutes today with `supervisee`, about
/// `cases`, with [`NOTES`] and one action item for the supervisee.
fn meeting_form(supervisee: i64, cases: &[CaseId]) -> Form {
    let mut form = Form::new()
        .add("meeting[date]", day_from_today(0))
        .add("meeting[duration]", "50")
        .add("meeting[format]", "individual")
        .add("meeting[supervisees][]", supervisee.to_string())
        .add("meeting[notes]", NOTES)
        .add("meeting[action_items][0][text]", ITEM)
        .add(
            "meeting[action_items][0][assignee]",
            format!("supervisee:{supervisee}"),
        )
        .add("meeting[action_items][1][text]", "")
        .add("meeting[action_items][1][assignee]", "supervisor");
    for case in cases {
        form = form.add("meeting[cases][]", case.0.to_string());
    }
    form
}

/// Records the meeting as the page does with JavaScript; its id.
async fn record(app: &TestApp, client: &reqwest::Client, form: &Form) -> i64 {
    let response = app
        .post_form_with(client, "/api/meetings/record", &form.fields())
        .await;
    let status = response.status();
    let target = location(&response);
    assert_eq!(status, 200, "recording: {}", response.text().await.unwrap());
    let id = number_after("/meetings/", &target);
    assert_eq!(target, format!("/meetings/{id}?recorded=1"));
    id
}

async fn read(app: &TestApp, client: &reqwest::Client, meeting: i64) -> MeetingView {
    get_json(
        app,
        client,
        "/api/meetings/meeting",
        &[("meeting_id", &meeting.to_string())],
    )
    .await
}

async fn lists(app: &TestApp, client: &reqwest::Client) -> MeetingLists {
    get_json(app, client, "/api/meetings/list", &[]).await
}

on_both_backends! {
    async fn the_form_offers_the_people_who_share_cases_and_their_cases(app: app) {
        let w = world(&app).await;
        let form: MeetingFormView = get_json(&app, &w.sam.client, "/api/meetings/form", &[]).await;
        let names: Vec<&str> = form.supervisees.iter().map(|person| person.name.as_str()).collect();
        assert_eq!(names, ["Anna Trainee", "Ben Trainee"]);
        let codes: Vec<(&str, i64)> = form.cases.iter().map(|case| (case.code.as_str(), case.supervisee)).collect();
        assert_eq!(codes, [("A-01", w.anna.user.id.0), ("B-01", w.ben.user.id.0)]);
        // Otto sees Anna and only the case she shares with him; Olga nobody.
        let form: MeetingFormView = get_json(&app, &w.otto.client, "/api/meetings/form", &[]).await;
        assert_eq!(form.cases.iter().map(|case| case.code.as_str()).collect::<Vec<_>>(), ["A-02"]);
        let form: MeetingFormView = get_json(&app, &w.olga.client, "/api/meetings/form", &[]).await;
        assert!(form.supervisees.is_empty() && form.cases.is_empty());
        let html = page(&app, &w.olga.client, "/meetings/new").await.text().await.unwrap();
        assert!(html.contains("Nobody shares a case with you yet"), "{html}");
    }

    async fn a_recorded_meeting_reads_the_same_for_supervisor_and_supervisee(app: app) {
        let w = world(&app).await;
        let anna = w.anna.user.id.0;
        let id = record(&app, &w.sam.client, &meeting_form(anna, &[w.anna_case])).await;

        let seen = read(&app, &w.sam.client, id).await;
        assert_eq!(seen.reader, Reader::Supervisor);
        assert_eq!(seen.date, day_from_today(0));
        assert_eq!((seen.duration_minutes, seen.format), (50, MeetingFormat::Individual));
        assert_eq!(seen.supervisor_name, "Sam Supervisor");
        assert_eq!(seen.supervisees.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Anna Trainee"]);
        assert_eq!(seen.notes, NOTES);
        assert_eq!(seen.stage, Stage::Draft);
        assert_eq!(seen.action_items.len(), 1, "the empty row is left out");
        assert_eq!(seen.action_items[0].text, ITEM);
        assert_eq!(seen.action_items[0].assignee, Assignee::Supervisee(w.anna.user.id));
        assert_eq!(seen.action_items[0].assignee_name, "Anna Trainee");
        assert_eq!(seen.cases.len(), 1);
        assert_eq!(seen.cases[0].code, "A-01");
        assert_eq!(seen.cases[0].link.as_deref(), Some(format!("/supervision/cases/{}", w.anna_case.0).as_str()));

        let theirs = read(&app, &w.anna.client, id).await;
        assert_eq!(theirs.reader, Reader::Supervisee);
        assert_eq!(theirs.notes, NOTES);
        assert_eq!(theirs.cases[0].link.as_deref(), Some(format!("/cases/{}", w.anna_case.0).as_str()));

        let sams = lists(&app, &w.sam.client).await;
        assert_eq!(sams.led.iter().map(|m| m.id).collect::<Vec<_>>(), [id]);
        assert!(sams.attended.is_empty());
        let annas = lists(&app, &w.anna.client).await;
        assert!(annas.led.is_empty());
        assert_eq!(annas.attended.iter().map(|m| m.id).collect::<Vec<_>>(), [id]);
        assert_eq!(annas.attended[0].supervisor_name, "Sam Supervisor");
        let bens = lists(&app, &w.ben.client).await;
        assert!(bens.led.is_empty() && bens.attended.is_empty());

        // The pages, server-rendered: the record, and the lists linking to it.
        for client in [&w.sam.client, &w.anna.client] {
            let response = page(&app, client, &format!("/meetings/{id}")).await;
            assert_eq!(response.status(), 200);
            let html = response.text().await.unwrap();
            assert!(html.contains("A-01") && html.contains(ITEM), "{html}");
            assert!(html.contains("Talked about the lateness, &quot;again&quot;") || html.contains("Talked about the lateness, \"again\""), "{html}");
            let html = page(&app, client, "/meetings").await.text().await.unwrap();
            assert!(html.contains(&format!("href=\"/meetings/{id}\"")), "{html}");
        }
    }

    async fn after_a_share_is_revoked_the_code_stays_without_a_link(app: app) {
        let w = world(&app).await;
        let id = record(&app, &w.sam.client, &meeting_form(w.anna.user.id.0, &[w.anna_case])).await;
        let share = share_of(&app, &w.anna.client, w.anna_case).await;
        assert_eq!(revoke(&app, &w.anna.client, w.anna_case, share).await.status(), 200);

        let seen = read(&app, &w.sam.client, id).await;
        assert_eq!(seen.cases[0].code, "A-01");
        assert_eq!(seen.cases[0].link, None);
        let html = page(&app, &w.sam.client, &format!("/meetings/{id}")).await.text().await.unwrap();
        assert!(html.contains("A-01"), "{html}");
        assert!(!html.contains(&format!("/supervision/cases/{}", w.anna_case.0)), "{html}");
        // The owner still opens her own case from the record.
        let theirs = read(&app, &w.anna.client, id).await;
        assert_eq!(theirs.cases[0].link.as_deref(), Some(format!("/cases/{}", w.anna_case.0).as_str()));
    }

    async fn nobody_outside_the_meeting_finds_it(app: app) {
        let w = world(&app).await;
        let id = record(&app, &w.sam.client, &meeting_form(w.anna.user.id.0, &[w.anna_case])).await;
        let visitor = app.new_client();
        let outsiders = [("ben", &w.ben.client), ("olga", &w.olga.client), ("otto", &w.otto.client), ("ada", &w.ada.client)];
        let in_meeting = [("sam", &w.sam.client), ("anna", &w.anna.client)];
        let meeting_api = |id: i64| ("/api/meetings/meeting", id.to_string());
        for (who, client) in in_meeting {
            let (path, id) = meeting_api(id);
            assert_eq!(get_with(&app, client, path, &[("meeting_id", &id)]).await.status(), 200, "{who}");
            assert_eq!(page(&app, client, &format!("/meetings/{id}")).await.status(), 200, "{who}");
        }
        for (who, client) in outsiders.iter().chain(&in_meeting) {
            // A made-up id is not found for anyone.
            let response = get_with(&app, client, "/api/meetings/meeting", &[("meeting_id", &(id + 1000).to_string())]).await;
            assert_eq!(response.status(), 404, "{who}");
            assert_eq!(page(&app, client, &format!("/meetings/{}", id + 1000)).await.status(), 404, "{who}");
        }
        for (who, client) in outsiders {
            let response = get_with(&app, client, "/api/meetings/meeting", &[("meeting_id", &id.to_string())]).await;
            assert_eq!(response.status(), 404, "{who}");
            assert_eq!(app_error(response).await, AppError::NotFound, "{who}");
            let response = page(&app, client, &format!("/meetings/{id}")).await;
            assert_eq!(response.status(), 404, "{who}");
            let html = response.text().await.unwrap();
            assert!(!html.contains("A-01") && !html.contains("lateness"), "{who}: {html}");
            assert!(html.contains("There is no such meeting among yours.") && html.contains("Back to your meetings"), "{who}: {html}");
            let lists = lists(&app, client).await;
            assert!(lists.led.is_empty() && lists.attended.is_empty(), "{who}");
        }
        // Recording a meeting with Anna: only her supervisors may; to the
        // others she is not one of their supervisees (nothing stored).
        for (who, client) in [("anna", &w.anna.client), ("ben", &w.ben.client), ("olga", &w.olga.client), ("ada", &w.ada.client)] {
            let response = app.post_form_with(client, "/api/meetings/record", &meeting_form(w.anna.user.id.0, &[]).fields()).await;
            assert_eq!(response.status(), 422, "{who}");
            assert!(app_error(response).await.field("supervisees").is_some(), "{who}");
        }
        // Otto supervises Anna too, but not case A-01.
        let response = app.post_form_with(&w.otto.client, "/api/meetings/record", &meeting_form(w.anna.user.id.0, &[w.anna_case]).fields()).await;
        assert_eq!(response.status(), 422);
        assert!(app_error(response).await.field("cases").is_some());
        for (who, client) in outsiders {
            assert!(lists(&app, client).await.led.is_empty(), "{who}");
        }
        // The visitor: 401 from every endpoint, sent to sign in from every page.
        let meeting = id.to_string();
        for (path, query) in [
            ("/api/meetings/meeting", vec![("meeting_id", meeting.as_str())]),
            ("/api/meetings/list", vec![]),
            ("/api/meetings/form", vec![]),
        ] {
            assert_eq!(get_with(&app, &visitor, path, &query).await.status(), 401, "{path}");
        }
        let response = app.post_form_with(&visitor, "/api/meetings/record", &meeting_form(w.anna.user.id.0, &[]).fields()).await;
        assert_eq!(response.status(), 401);
        for path in [format!("/meetings/{id}"), "/meetings".to_string(), "/meetings/new".to_string()] {
            let response = page(&app, &visitor, &path).await;
            assert_eq!(response.status(), 302, "{path}");
            assert!(location(&response).starts_with("/login"), "{path}");
        }
    }

    async fn the_form_reports_each_problem_at_its_field(app: app) {
        let w = world(&app).await;
        let form = meeting_form(w.anna.user.id.0, &[w.ben_case])
            .set("meeting[duration]", "3")
            .set("meeting[format]", "")
            .set("meeting[date]", day_from_today(5))
            .set("meeting[action_items][0][assignee]", format!("supervisee:{}", w.ben.user.id.0));
        let response = app.post_form_with(&w.sam.client, "/api/meetings/record", &form.fields()).await;
        assert_eq!(response.status(), 422);
        let error = app_error(response).await;
        for field in ["date", "duration", "format", "cases", "action_items.0.assignee"] {
            assert!(error.field(field).is_some(), "{field}: {error:?}");
        }
        assert!(error.field("supervisees").is_none() && error.field("notes").is_none(), "{error:?}");
        // A group meeting with one person, and an individual one with two.
        let form = meeting_form(w.anna.user.id.0, &[]).set("meeting[format]", "group");
        let error = app_error(app.post_form_with(&w.sam.client, "/api/meetings/record", &form.fields()).await).await;
        assert!(error.field("supervisees").is_some(), "{error:?}");
        let form = meeting_form(w.anna.user.id.0, &[]).add("meeting[supervisees][]", w.ben.user.id.0.to_string());
        let error = app_error(app.post_form_with(&w.sam.client, "/api/meetings/record", &form.fields()).await).await;
        assert!(error.field("supervisees").is_some(), "{error:?}");
        assert!(lists(&app, &w.sam.client).await.led.is_empty(), "nothing recorded");
        // A group meeting with both, about both cases, is fine.
        let form = meeting_form(w.anna.user.id.0, &[w.anna_case, w.ben_case])
            .set("meeting[format]", "group")
            .add("meeting[supervisees][]", w.ben.user.id.0.to_string());
        let id = record(&app, &w.sam.client, &form).await;
        let seen = read(&app, &w.ben.client, id).await;
        assert_eq!(seen.format, MeetingFormat::Group);
        assert_eq!(seen.cases.iter().map(|case| case.code.as_str()).collect::<Vec<_>>(), ["A-01", "B-01"]);
        // Ben opens his own case from the record, not Anna's.
        assert_eq!(seen.cases[0].link, None);
        assert_eq!(seen.cases[1].link.as_deref(), Some(format!("/cases/{}", w.ben_case.0).as_str()));
    }

    async fn without_javascript_a_failed_post_returns_to_the_form_with_what_was_typed(app: app) {
        let w = world(&app).await;
        let anna = w.anna.user.id.0.to_string();
        let form = meeting_form(w.anna.user.id.0, &[w.anna_case]).set("meeting[duration]", "3");
        let response = app.post_plain_form_with(&w.sam.client, "/api/meetings/record", &form.fields()).await;
        assert_eq!(response.status(), 302);
        let target = location(&response);
        assert!(target.starts_with("/meetings/new?"), "{target}");
        let query = url_pairs(&target);
        let has = |name: &str, value: &str| query.contains(&(name.to_string(), value.to_string()));
        assert!(has("meeting[duration]", "3"), "{target}");
        assert!(has("meeting[format]", "individual"), "{target}");
        assert!(has("meeting[date]", &day_from_today(0)), "{target}");
        assert!(has("meeting[supervisees][]", &anna), "{target}");
        assert!(has("meeting[cases][]", &w.anna_case.0.to_string()), "{target}");
        // Clinical text never travels in an address.
        assert!(!target.contains("lateness") && !target.contains("Racker"), "{target}");
        assert!(error_in(&target).field("duration").is_some());

        // The form, as the browser then shows it: typed values and the error.
        let html = page(&app, &w.sam.client, &target).await.text().await.unwrap();
        assert!(html.contains("value=\"3\""), "{html}");
        assert!(html.contains("Enter the duration in minutes, from 5 to 480."), "{html}");
        assert!(html.contains(&format!("name=\"meeting[supervisees][]\" value=\"{anna}\"")), "{html}");
        assert!(html.contains("In the meeting: </strong>Anna Trainee"), "{html}");
        assert!(html.contains("id=\"meeting-format-individual\" name=\"meeting[format]\" value=\"individual\" checked"), "{html}");

        // A good plain post goes to the new record.
        let response = app.post_plain_form_with(&w.sam.client, "/api/meetings/record", &meeting_form(w.anna.user.id.0, &[]).fields()).await;
        assert_eq!(response.status(), 302);
        let target = location(&response);
        let id = number_after("/meetings/", &target);
        assert_eq!(target, format!("/meetings/{id}?recorded=1"));
        let html = page(&app, &w.sam.client, &target).await.text().await.unwrap();
        assert!(html.contains("The meeting is recorded."), "{html}");
    }
}

/// Posts a meeting-page form as the page does with JavaScript.
async fn act(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    meeting: i64,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let meeting = meeting.to_string();
    let mut all = vec![("meeting_id", meeting.as_str())];
    all.extend_from_slice(fields);
    app.post_form_with(client, &format!("/api/meetings/{endpoint}"), &all)
        .await
}

fn signed_off_message(error: &AppError) -> bool {
    matches!(error, AppError::Locked(message)
        if message.contains("was signed off on") && message.contains("Add an addendum"))
}

/// Sign-off and what follows it.
mod signing_off {
    use super::*;

    on_both_backends! {
        async fn after_sign_off_nothing_changes_but_addenda_and_done_marks(app: app) {
            let w = world(&app).await;
            let id = record(&app, &w.sam.client, &meeting_form(w.anna.user.id.0, &[w.anna_case])).await;
            let version = read(&app, &w.sam.client, id).await.version.to_string();
            // Before sign-off: the supervisee comments and acknowledges; an
            // addendum is not yet the way (409 with its message).
            let response = act(&app, &w.anna.client, "comment", id, &[("body", "I read it, with one doubt, about \"fees\".")]).await;
            assert_eq!(response.status(), 200);
            let response = act(&app, &w.anna.client, "comment", id, &[("body", "   ")]).await;
            assert_eq!(response.status(), 422);
            assert!(app_error(response).await.field("body").is_some());
            assert_eq!(act(&app, &w.anna.client, "acknowledge", id, &[("version", &version)]).await.status(), 200);
            let response = act(&app, &w.sam.client, "addendum", id, &[("body", "Too early.")]).await;
            assert_eq!(response.status(), 409);
            assert!(matches!(app_error(response).await, AppError::Locked(message) if message.contains("after sign-off")));
            // Who may do what: a supervisee does not sign off, the supervisor
            // does not comment or acknowledge (403).
            assert_eq!(act(&app, &w.anna.client, "sign-off", id, &[("version", &version)]).await.status(), 403);
            assert_eq!(act(&app, &w.sam.client, "comment", id, &[("body", "Mine.")]).await.status(), 403);
            assert_eq!(act(&app, &w.sam.client, "acknowledge", id, &[("version", &version)]).await.status(), 403);
            let seen = read(&app, &w.sam.client, id).await;
            assert_eq!(seen.stage, Stage::Acknowledged);
            assert_eq!(seen.comments.len(), 1);
            assert_eq!(seen.comments[0].author_name, "Anna Trainee");
            assert_eq!(seen.comments[0].body, "I read it, with one doubt, about \"fees\".");

            assert_eq!(act(&app, &w.sam.client, "sign-off", id, &[("version", &version)]).await.status(), 200);
            let seen = read(&app, &w.anna.client, id).await;
            assert!(matches!(seen.stage, Stage::SignedOff { .. }));

            // After sign-off every change is refused with 409 and the message.
            for (client, endpoint, fields) in [
                (&w.sam.client, "sign-off", vec![("version", version.as_str())]),
                (&w.anna.client, "comment", vec![("body", "Late comment.")]),
                (&w.anna.client, "acknowledge", vec![("version", version.as_str())]),
            ] {
                let response = act(&app, client, endpoint, id, &fields).await;
                assert_eq!(response.status(), 409, "{endpoint}");
                let error = app_error(response).await;
                assert!(signed_off_message(&error), "{endpoint}: {error:?}");
            }
            // Addenda, each with its author and date.
            assert_eq!(act(&app, &w.sam.client, "addendum", id, &[("body", "Correction: 55 minutes, not 50.")]).await.status(), 200);
            assert_eq!(act(&app, &w.anna.client, "addendum", id, &[("body", "Agreed.")]).await.status(), 200);
            let seen = read(&app, &w.anna.client, id).await;
            let addenda: Vec<(&str, &str)> = seen.addenda.iter().map(|a| (a.author_name.as_str(), a.body.as_str())).collect();
            assert_eq!(addenda, [("Sam Supervisor", "Correction: 55 minutes, not 50."), ("Anna Trainee", "Agreed.")]);
            assert!(seen.addenda.iter().all(|a| a.at.starts_with(&day_from_today(0))), "{:?}", seen.addenda);
            assert_eq!(seen.notes, NOTES, "the record itself is unchanged");
            assert_eq!(seen.comments.len(), 1);

            // Action items: only their assignee marks them, after sign-off too.
            let item = seen.action_items[0].id.to_string();
            assert!(seen.action_items[0].mine);
            assert!(!read(&app, &w.sam.client, id).await.action_items[0].mine);
            assert_eq!(act(&app, &w.sam.client, "done", id, &[("item_id", &item), ("done", "true")]).await.status(), 403);
            assert_eq!(act(&app, &w.anna.client, "done", id, &[("item_id", &item), ("done", "true")]).await.status(), 200);
            assert!(read(&app, &w.sam.client, id).await.action_items[0].done);
            assert_eq!(act(&app, &w.anna.client, "done", id, &[("item_id", &item)]).await.status(), 200);
            assert!(!read(&app, &w.sam.client, id).await.action_items[0].done);
            // An item of another meeting, named through this one, is not found.
            assert_eq!(act(&app, &w.anna.client, "done", id, &[("item_id", "999999"), ("done", "true")]).await.status(), 404);

            // The page shows the state and offers only what is still possible.
            let html = page(&app, &w.anna.client, &format!("/meetings/{id}")).await.text().await.unwrap();
            assert!(html.contains("Signed off on") && html.contains("Add an addendum"), "{html}");
            assert!(!html.contains("Acknowledge the record") && !html.contains("Add a comment"), "{html}");
            let html = page(&app, &w.sam.client, &format!("/meetings/{id}")).await.text().await.unwrap();
            assert!(!html.contains("Sign off the record"), "{html}");
        }

        async fn outsiders_change_nothing_in_a_meeting(app: app) {
            let w = world(&app).await;
            let id = record(&app, &w.sam.client, &meeting_form(w.anna.user.id.0, &[w.anna_case])).await;
            let seen = read(&app, &w.sam.client, id).await;
            let (version, item) = (seen.version.to_string(), seen.action_items[0].id.to_string());
            let visitor = app.new_client();
            let calls: [(&str, Vec<(&str, &str)>); 5] = [
                ("sign-off", vec![("version", &version)]),
                ("acknowledge", vec![("version", &version)]),
                ("comment", vec![("body", "Not mine to say.")]),
                ("addendum", vec![("body", "Not mine to add.")]),
                ("done", vec![("item_id", &item), ("done", "true")]),
            ];
            for (who, client) in [("ben", &w.ben.client), ("olga", &w.olga.client), ("otto", &w.otto.client), ("ada", &w.ada.client), ("visitor", &visitor)] {
                for (endpoint, fields) in &calls {
                    let response = act(&app, client, endpoint, id, fields).await;
                    let expected = if who == "visitor" { 401 } else { 404 };
                    assert_eq!(response.status(), expected, "{who} {endpoint}");
                }
            }
            let after = read(&app, &w.sam.client, id).await;
            assert_eq!(after, seen, "nothing changed");
        }

        async fn without_javascript_a_refused_change_returns_to_the_meeting_with_its_message(app: app) {
            let w = world(&app).await;
            let id = record(&app, &w.sam.client, &meeting_form(w.anna.user.id.0, &[])).await;
            let version = read(&app, &w.sam.client, id).await.version.to_string();
            let meeting = id.to_string();
            // The browser stops a comment at the length the server takes, so
            // a plain post is not refused (and its text lost) for its length.
            let html = page(&app, &w.anna.client, &format!("/meetings/{id}")).await.text().await.unwrap();
            assert!(html.contains("id=\"meeting-comment\" name=\"body\" rows=\"3\" maxlength=\"4000\""), "{html}");
            // A refused done mark comes back naming its item, so the message shows there only.
            let item = read(&app, &w.sam.client, id).await.action_items[0].id.to_string();
            let response = app.post_plain_form_with(&w.sam.client, "/api/meetings/done", &[("meeting_id", &meeting), ("item_id", &item), ("done", "true")]).await;
            assert!(location(&response).starts_with(&format!("/meetings/{id}?form=done&item={item}&")), "{}", location(&response));
            let response = app.post_plain_form_with(&w.sam.client, "/api/meetings/sign-off", &[("meeting_id", &meeting), ("version", &version)]).await;
            assert_eq!(response.status(), 302);
            assert_eq!(location(&response), format!("/meetings/{id}?signed=1"));
            let response = app.post_plain_form_with(&w.anna.client, "/api/meetings/comment", &[("meeting_id", &meeting), ("body", "Late, and private.")]).await;
            assert_eq!(response.status(), 302);
            let target = location(&response);
            assert!(target.starts_with(&format!("/meetings/{id}?form=comment&")), "{target}");
            assert!(!target.contains("private"), "{target}");
            assert!(signed_off_message(&error_in(&target)));
            let response = page(&app, &w.anna.client, &target).await;
            assert_eq!(response.status(), 200);
            let html = response.text().await.unwrap();
            assert!(html.contains("it can no longer be changed"), "{html}");
        }
    }
}

/// Editing before sign-off.
mod editing {
    use super::*;
    use app::api::meetings::MeetingEditorView;

    async fn editor(app: &TestApp, client: &reqwest::Client, meeting: i64) -> reqwest::Response {
        get_with(
            app,
            client,
            "/api/meetings/editor",
            &[("meeting_id", &meeting.to_string())],
        )
        .await
    }

    /// The editor's form as posted: the stored record with `change` made.
    fn edit_form(meeting: i64, editor: &MeetingEditorView, change: impl Fn(Form) -> Form) -> Form {
        let input = &editor.input;
        let mut form = Form::new()
            .add("meeting_id", meeting.to_string())
            .add("version", editor.version.to_string())
            .add("meeting[date]", &input.date)
            .add("meeting[duration]", &input.duration)
            .add("meeting[format]", &input.format)
            .add("meeting[notes]", &input.notes);
        for id in &input.supervisees {
            form = form.add("meeting[supervisees][]", id);
        }
        for id in &input.cases {
            form = form.add("meeting[cases][]", id);
        }
        for (index, item) in input.action_items.iter().enumerate() {
            form = form
                .add(format!("meeting[action_items][{index}][id]"), &item.id)
                .add(format!("meeting[action_items][{index}][text]"), &item.text)
                .add(
                    format!("meeting[action_items][{index}][assignee]"),
                    &item.assignee,
                )
                .add(format!("meeting[action_items][{index}][done]"), &item.done);
        }
        change(form)
    }

    on_both_backends! {
        async fn the_supervisor_edits_the_stored_record_at_its_version(app: app) {
            let w = world(&app).await;
            let id = record(&app, &w.sam.client, &meeting_form(w.anna.user.id.0, &[w.anna_case])).await;
            let response = editor(&app, &w.sam.client, id).await;
            assert_eq!(response.status(), 200);
            let stored: MeetingEditorView = serde_json::from_str(&response.text().await.unwrap()).unwrap();
            assert_eq!(stored.input.notes, NOTES);
            assert_eq!(stored.input.duration, "50");
            assert_eq!(stored.input.cases, [w.anna_case.0.to_string()]);
            assert_eq!(stored.input.action_items.len(), 1);
            let item_id = stored.input.action_items[0].id.clone();
            assert!(!item_id.is_empty());

            let form = edit_form(id, &stored, |form| form.set("meeting[duration]", "55").set("meeting[notes]", "Rewritten notes."));
            let response = app.post_form_with(&w.sam.client, "/api/meetings/edit", &form.fields()).await;
            assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
            let seen = read(&app, &w.anna.client, id).await;
            assert_eq!((seen.duration_minutes, seen.notes.as_str()), (55, "Rewritten notes."));
            assert_eq!(seen.version, stored.version + 1);
            assert_eq!(seen.action_items[0].id.to_string(), item_id, "the item keeps its id");

            // The same edit again, based on the version before: changed meanwhile.
            let response = app.post_form_with(&w.sam.client, "/api/meetings/edit", &form.fields()).await;
            assert_eq!(response.status(), 409);
            assert!(matches!(app_error(response).await, AppError::Locked(message) if message.contains("changed after you opened it")));

            // Only the supervisor edits: the supervisee is refused, outsiders find nothing.
            assert_eq!(editor(&app, &w.anna.client, id).await.status(), 403);
            let fresh: MeetingEditorView = serde_json::from_str(&editor(&app, &w.sam.client, id).await.text().await.unwrap()).unwrap();
            let form = edit_form(id, &fresh, |form| form.set("meeting[notes]", "Not theirs."));
            assert_eq!(app.post_form_with(&w.anna.client, "/api/meetings/edit", &form.fields()).await.status(), 403);
            let visitor = app.new_client();
            for (who, client) in [("ben", &w.ben.client), ("olga", &w.olga.client), ("otto", &w.otto.client), ("ada", &w.ada.client), ("visitor", &visitor)] {
                let expected = if who == "visitor" { 401 } else { 404 };
                assert_eq!(editor(&app, client, id).await.status(), expected, "{who}");
                assert_eq!(app.post_form_with(client, "/api/meetings/edit", &form.fields()).await.status(), expected, "{who}");
                let expected = if who == "visitor" { 302 } else { 404 };
                assert_eq!(page(&app, client, &format!("/meetings/{id}/edit")).await.status(), expected, "{who}");
            }
            assert_eq!(read(&app, &w.sam.client, id).await.notes, "Rewritten notes.");

            // After sign-off: 409 with the message, for the form and the save.
            let version = fresh.version.to_string();
            assert_eq!(act(&app, &w.sam.client, "sign-off", id, &[("version", &version)]).await.status(), 200);
            let response = editor(&app, &w.sam.client, id).await;
            assert_eq!(response.status(), 409);
            assert!(signed_off_message(&app_error(response).await));
            let response = app.post_form_with(&w.sam.client, "/api/meetings/edit", &form.fields()).await;
            assert_eq!(response.status(), 409);
            assert!(signed_off_message(&app_error(response).await));
            let response = page(&app, &w.sam.client, &format!("/meetings/{id}/edit")).await;
            assert_eq!(response.status(), 409);
            assert!(response.text().await.unwrap().contains("it can no longer be changed"));
        }

        async fn without_javascript_the_edit_form_comes_back_filled(app: app) {
            let w = world(&app).await;
            let id = record(&app, &w.sam.client, &meeting_form(w.anna.user.id.0, &[])).await;
            let html = page(&app, &w.sam.client, &format!("/meetings/{id}/edit")).await.text().await.unwrap();
            assert!(html.contains("Talked about the lateness") && html.contains(ITEM), "{html}");
            assert!(html.contains("value=\"50\""), "{html}");
            let stored: MeetingEditorView = serde_json::from_str(&editor(&app, &w.sam.client, id).await.text().await.unwrap()).unwrap();
            let form = edit_form(id, &stored, |form| form.set("meeting[duration]", "999"));
            let response = app.post_plain_form_with(&w.sam.client, "/api/meetings/edit", &form.fields()).await;
            assert_eq!(response.status(), 302);
            let target = location(&response);
            assert!(target.starts_with(&format!("/meetings/{id}/edit?")), "{target}");
            assert!(!target.contains("lateness") && !target.contains("Racker"), "{target}");
            let html = page(&app, &w.sam.client, &target).await.text().await.unwrap();
            assert!(html.contains("value=\"999\""), "{html}");
            assert!(html.contains("Enter the duration in minutes"), "{html}");
            assert!(html.contains("Talked about the lateness"), "the stored notes are still there: {html}");
        }
    }
}

/// Hours by period and the CSV export.
mod hours {
    use super::*;
    use app::{api::meetings::HoursView, domain::csv::parse_csv};

    /// Records a meeting on `date` as the page does; signs it off if asked.
    async fn held(
        app: &TestApp,
        sam: &reqwest::Client,
        date: &str,
        minutes: &str,
        people: &[i64],
        cases: &[CaseId],
        sign: bool,
    ) -> i64 {
        let mut form = meeting_form(people[0], cases)
            .set("meeting[date]", date)
            .set("meeting[duration]", minutes)
            .set(
                "meeting[format]",
                if people.len() > 1 {
                    "group"
                } else {
                    "individual"
                },
            );
        for person in &people[1..] {
            form = form.add("meeting[supervisees][]", person.to_string());
        }
        let id = record(app, sam, &form).await;
        if sign {
            let version = read(app, sam, id).await.version.to_string();
            assert_eq!(
                act(app, sam, "sign-off", id, &[("version", &version)])
                    .await
                    .status(),
                200
            );
        }
        id
    }

    async fn hours(app: &TestApp, client: &reqwest::Client, period: &[(&str, &str)]) -> HoursView {
        get_json(app, client, "/api/meetings/hours", period).await
    }

    fn quarter(q: &'static str) -> [(&'static str, &'static str); 3] {
        [
            ("period[kind]", "quarter"),
            ("period[year]", "2026"),
            ("period[quarter]", q),
        ]
    }

    on_both_backends! {
        async fn hours_count_signed_off_meetings_by_format_and_period(app: app) {
            let w = world(&app).await;
            let (anna, ben) = (w.anna.user.id.0, w.ben.user.id.0);
            held(&app, &w.sam.client, "2026-03-31", "60", &[anna], &[], true).await;
            held(&app, &w.sam.client, "2026-03-15", "90", &[anna, ben], &[], true).await;
            held(&app, &w.sam.client, "2026-04-01", "45", &[anna], &[], false).await;

            let q1 = hours(&app, &w.sam.client, &quarter("1")).await;
            assert_eq!(q1.period_label, "Q1 2026");
            let rows: Vec<(&str, u32, u32, u32)> = q1.as_supervisor.iter()
                .map(|row| (row.name.as_str(), row.signed_off.individual_minutes, row.signed_off.group_minutes, row.not_signed_off.total_minutes()))
                .collect();
            assert_eq!(rows, [("Anna Trainee", 60, 90, 0), ("Ben Trainee", 0, 90, 0)]);
            let q2 = hours(&app, &w.sam.client, &quarter("2")).await;
            let rows: Vec<(&str, u32, u32)> = q2.as_supervisor.iter()
                .map(|row| (row.name.as_str(), row.signed_off.total_minutes(), row.not_signed_off.individual_minutes))
                .collect();
            assert_eq!(rows, [("Anna Trainee", 0, 45)]);
            let march = hours(&app, &w.sam.client, &[("period[kind]", "month"), ("period[month]", "2026-03")]).await;
            assert_eq!(march.as_supervisor[0].signed_off.total_minutes(), 150);
            let custom = hours(&app, &w.sam.client, &[("period[kind]", "custom"), ("period[from]", "2026-03-31"), ("period[to]", "2026-04-01")]).await;
            assert_eq!((custom.as_supervisor[0].signed_off.total_minutes(), custom.as_supervisor[0].not_signed_off.total_minutes()), (60, 45));

            // The supervisee's own hours, from the same meetings.
            let annas = hours(&app, &w.anna.client, &[("period[kind]", "year"), ("period[year]", "2026")]).await;
            assert!(annas.as_supervisor.is_empty());
            assert_eq!((annas.signed_off.individual_minutes, annas.signed_off.group_minutes, annas.not_signed_off.total_minutes()), (60, 90, 45));
            let bens = hours(&app, &w.ben.client, &quarter("1")).await;
            assert_eq!((bens.signed_off.total_minutes(), bens.signed_off.meetings()), (90, 1));
            // Others have none of it.
            for client in [&w.olga.client, &w.otto.client, &w.ada.client] {
                let theirs = hours(&app, client, &quarter("1")).await;
                assert!(theirs.as_supervisor.is_empty() && theirs.signed_off.meetings() == 0 && theirs.not_signed_off.meetings() == 0);
            }
            // A bad period is reported at its field; the visitor is not let in.
            let response = get_with(&app, &w.sam.client, "/api/meetings/hours", &[("period[kind]", "month"), ("period[month]", "March")]).await;
            assert_eq!(response.status(), 422);
            assert!(app_error(response).await.field("month").is_some());
            assert_eq!(get_with(&app, &app.new_client(), "/api/meetings/hours", &quarter("1")).await.status(), 401);

            // The page, without JavaScript: the period form and the totals.
            let response = page(&app, &w.sam.client, "/meetings/hours?period[kind]=quarter&period[year]=2026&period[quarter]=1").await;
            assert_eq!(response.status(), 200);
            let html = response.text().await.unwrap();
            assert!(html.contains("Q1 2026") && html.contains("Anna Trainee") && html.contains("/meetings/export/records/2026-q1"), "{html}");
            assert!(html.contains("2 h 30 min = 2.50 h (2 meetings)"), "Anna's total, also in decimal hours: {html}");
            assert!(html.contains("No meetings you were in during this period."), "Sam received none: {html}");
            assert_eq!(page(&app, &app.new_client(), "/meetings/hours").await.status(), 302);
            // With no period asked for, this month is shown and the form says so.
            let html = page(&app, &w.sam.client, "/meetings/hours").await.text().await.unwrap();
            let this_month = &day_from_today(0)[..7];
            assert!(html.contains(&format!("name=\"period[month]\" value=\"{this_month}\"")), "{html}");
            // A period that cannot be read: the form again, the message at its field.
            let response = page(&app, &w.sam.client, "/meetings/hours?period[kind]=quarter&period[year]=2026&period[quarter]=7").await;
            assert_eq!(response.status(), 422);
            let html = response.text().await.unwrap();
            assert!(html.contains("<p id=\"period-quarter-error\" class=\"field-error\">Choose a quarter from 1 to 4."), "{html}");
            assert!(html.contains("value=\"7\""), "what was typed stays: {html}");
        }

        async fn the_statement_lists_the_meetings_for_the_supervisee_and_their_supervisor(app: app) {
            let w = world(&app).await;
            let (anna, ben) = (w.anna.user.id.0, w.ben.user.id.0);
            held(&app, &w.sam.client, "2026-03-31", "60", &[anna], &[], true).await;
            held(&app, &w.sam.client, "2026-03-15", "90", &[anna, ben], &[], false).await;
            held(&app, &w.sam.client, "2026-04-01", "45", &[anna], &[], true).await;
            let ask = |client: &reqwest::Client, supervisee: i64| {
                let client = client.clone();
                let app = &app;
                async move {
                    get_with(app, &client, "/api/meetings/statement", &[("supervisee", &supervisee.to_string()), ("period", "2026-q1")]).await
                }
            };
            for client in [&w.sam.client, &w.anna.client] {
                let response = ask(client, anna).await;
                assert_eq!(response.status(), 200);
                let statement: app::api::meetings::StatementView = serde_json::from_str(&response.text().await.unwrap()).unwrap();
                assert_eq!(statement.supervisee_name, "Anna Trainee");
                assert_eq!(statement.period_label, "Q1 2026");
                let rows: Vec<(&str, u16, &str, Option<&str>)> = statement.meetings.iter()
                    .map(|row| (row.date.as_str(), row.duration_minutes, row.supervisor_name.as_str(), row.signed_off_on.as_deref()))
                    .collect();
                let today = day_from_today(0);
                assert_eq!(rows, [("2026-03-15", 90, "Sam Supervisor", None), ("2026-03-31", 60, "Sam Supervisor", Some(today.as_str()))]);
                assert_eq!((statement.signed_off.total_minutes(), statement.not_signed_off.total_minutes()), (60, 90));
            }
            // Nobody else finds Anna's statement; the visitor is sent to sign in.
            for (who, client) in [("ben", &w.ben.client), ("olga", &w.olga.client), ("otto", &w.otto.client), ("ada", &w.ada.client)] {
                assert_eq!(ask(client, anna).await.status(), 404, "{who}");
                let response = page(&app, client, &format!("/meetings/hours/statement?supervisee={anna}&period=2026-q1")).await;
                assert_eq!(response.status(), 404, "{who}");
            }
            assert_eq!(ask(&app.new_client(), anna).await.status(), 401);
            assert_eq!(page(&app, &app.new_client(), &format!("/meetings/hours/statement?supervisee={anna}&period=2026-q1")).await.status(), 302);
            // The printable page, without JavaScript.
            let response = page(&app, &w.anna.client, &format!("/meetings/hours/statement?supervisee={anna}&period=2026-q1")).await;
            assert_eq!(response.status(), 200);
            let html = response.text().await.unwrap();
            assert!(html.contains("Supervision hours statement") && html.contains("Sam Supervisor") && html.contains("2026-03-31"), "{html}");
            assert!(html.contains("1 h = 1.00 h (1 meeting)"), "{html}");
            assert!(html.contains("Supervisor's signature"), "{html}");
            // Someone else's statement is a statement not found, not a case.
            let html = page(&app, &w.ben.client, &format!("/meetings/hours/statement?supervisee={anna}&period=2026-q1")).await.text().await.unwrap();
            assert!(html.contains("There is no such hours statement among yours.") && !html.contains("no such case"), "{html}");
        }

        async fn the_csv_reads_back_field_by_field(app: app) {
            let sam = account(&app, "sam@example.org", "Sam \"The Sup\", PhD").await;
            let anna = account(&app, "anna@example.org", "Anna, \"Nan\"\nTrainee").await;
            // A name a spreadsheet would run as a formula is written as text.
            let ben = account(&app, "ben@example.org", "=HYPERLINK(\"http://x\")").await;
            let case = new_case(&app, &anna.client, "A-01").await;
            share_case(&app, &anna.client, case, "sam@example.org", &[]).await;
            let bens = new_case(&app, &ben.client, "B-01").await;
            share_case(&app, &ben.client, bens, "sam@example.org", &[]).await;
            let (a, b) = (anna.user.id.0, ben.user.id.0);
            held(&app, &sam.client, "2026-03-31", "60", &[a], &[case], true).await;
            held(&app, &sam.client, "2026-03-15", "90", &[a, b], &[case, bens], false).await;
            held(&app, &sam.client, "2026-04-01", "45", &[a], &[], true).await;

            let response = sam.client.get(app.url("/meetings/export/records/2026-q1")).send().await.unwrap();
            assert_eq!(response.status(), 200);
            assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
            assert_eq!(response.headers()["content-disposition"], "attachment; filename=\"meetings-records-2026-q1.csv\"");
            let rows = parse_csv(&response.text().await.unwrap()).unwrap();
            let today = day_from_today(0);
            let expected: Vec<Vec<String>> = vec![
                vec!["date", "duration_minutes", "hours", "format", "supervisor", "supervisee", "signed_off_on", "case_codes"],
                vec!["2026-03-15", "90", "1.50", "group", "Sam \"The Sup\", PhD", "'=HYPERLINK(\"http://x\")", "", "B-01"],  // sorted by name: "=" before "A"
                vec!["2026-03-15", "90", "1.50", "group", "Sam \"The Sup\", PhD", "Anna, \"Nan\"\nTrainee", "", "A-01"],
                vec!["2026-03-31", "60", "1.00", "individual", "Sam \"The Sup\", PhD", "Anna, \"Nan\"\nTrainee", &today, "A-01"],
            ].into_iter().map(|row| row.into_iter().map(str::to_string).collect()).collect();
            assert_eq!(rows, expected);

            // Ben's own export: his rows only, his cases only.
            let response = ben.client.get(app.url("/meetings/export/supervision/2026-03")).send().await.unwrap();
            assert_eq!(response.status(), 200);
            let rows = parse_csv(&response.text().await.unwrap()).unwrap();
            assert_eq!(rows.len(), 2, "{rows:?}");
            assert_eq!(rows[1][5], "'=HYPERLINK(\"http://x\")");
            assert_eq!(rows[1][7], "B-01");
            // Nothing for others, a refusal for the visitor, 404 for unknown files.
            let response = ben.client.get(app.url("/meetings/export/records/2026")).send().await.unwrap();
            assert_eq!(parse_csv(&response.text().await.unwrap()).unwrap().len(), 1, "a header only");
            assert_eq!(app.new_client().get(app.url("/meetings/export/records/2026")).send().await.unwrap().status(), 401);
            assert_eq!(sam.client.get(app.url("/meetings/export/everyone/2026")).send().await.unwrap().status(), 404);
            assert_eq!(sam.client.get(app.url("/meetings/export/records/last-year")).send().await.unwrap().status(), 404);
        }
    }
}

/// The agenda: pre-filled from what was flagged, then edited in the form.
mod agenda {
    use super::*;
    use app::{
        api::meetings::MeetingEditorView,
        domain::meetings::{AgendaTopic, ReviewOutcome},
        server::{auth::now_ms, crypto::FieldCipher, meetings::prefilled_agenda},
    };

    use crate::{
        helpers::TEST_DATA_KEY,
        sharing::{comment, mark_reviewed, rate, SharingWorld, SESSION_WEEK},
    };

    on_both_backends! {
        async fn the_agenda_brings_what_was_flagged_since_the_previous_meeting(app: app) {
            let w = SharingWorld::new(&app).await;
            let (sam, tess) = (&w.supervisor, &w.therapist);
            let cipher = FieldCipher::from_hex(TEST_DATA_KEY).unwrap();
            let only_tess = [tess.user.id];
            let agenda = || prefilled_agenda(&app.database, &cipher, sam.user.id, &only_tess, now_ms());
            assert!(agenda().await.unwrap().is_empty(), "nothing flagged yet");

            comment(&app, &sam.client, w.case, w.reflection, "reflection", "What happened at the door?").await;
            let intervention = w.intervention(&app, 0).await;
            assert_eq!(rate(&app, &sam.client, w.case, w.reflection, intervention, "too_early", "").await.status(), 200);
            assert_eq!(mark_reviewed(&app, &sam.client, w.case, w.reflection, 1).await.status(), 200);

            let items = agenda().await.unwrap();
            assert_eq!(items.len(), 3, "{items:?}");
            for item in &items {
                let session = match &item.topic {
                    AgendaTopic::Comments { session, messages } => { assert_eq!(*messages, 1); session }
                    AgendaTopic::PacingRatings { session, ratings } => { assert_eq!(ratings.len(), 1); session }
                    AgendaTopic::Review { session, outcome } => { assert_eq!(*outcome, ReviewOutcome::Reviewed); session }
                    other => panic!("unexpected {other:?}"),
                };
                assert_eq!((session.case_code.as_str(), session.session_number, session.week), ("C-07", 1, SESSION_WEEK));
            }
            // Another supervisee's agenda has none of it.
            let other = account(&app, "olive@example.org", "Olive").await;
            assert!(prefilled_agenda(&app.database, &cipher, sam.user.id, &[other.user.id], now_ms()).await.unwrap().is_empty());

            // After a meeting with Tess: only its open action item comes back.
            let form = meeting_form(tess.user.id.0, &[]).set("meeting[date]", day_from_today(-1));
            let id = record(&app, &sam.client, &form).await;
            // That meeting's record carries the agenda as it was pre-filled.
            let lines = read(&app, &tess.client, id).await.agenda;
            let week = format!("C-07 · session 1 (week {SESSION_WEEK})");
            assert_eq!(lines, [format!("{week}: 1 comment"), format!("{week}: pacing rated too early"), format!("{week}: reviewed")]);
            let html = page(&app, &sam.client, &format!("/meetings/{id}")).await.text().await.unwrap();
            assert!(html.contains("pacing rated too early"), "{html}");
            assert!(!html.contains("2019-"), "no session date: {html}");
            let items = agenda().await.unwrap();
            assert_eq!(items.len(), 1, "{items:?}");
            assert!(matches!(&items[0].topic, AgendaTopic::OpenActionItem { text, .. } if text == ITEM));
        }

        async fn the_supervisor_removes_reorders_and_adds_agenda_items(app: app) {
            let w = SharingWorld::new(&app).await;
            let (sam, tess) = (&w.supervisor, &w.therapist);
            let tess_id = tess.user.id.0.to_string();
            comment(&app, &sam.client, w.case, w.reflection, "reflection", "What happened at the door?").await;
            let intervention = w.intervention(&app, 0).await;
            assert_eq!(rate(&app, &sam.client, w.case, w.reflection, intervention, "too_early", "").await.status(), 200);
            assert_eq!(mark_reviewed(&app, &sam.client, w.case, w.reflection, 1).await.status(), 200);

            // First step: who was in the meeting; no agenda yet.
            let html = page(&app, &sam.client, "/meetings/new").await.text().await.unwrap();
            assert!(html.contains("Who was in the meeting?"), "{html}");
            assert!(html.contains(&format!("name=\"with\" value=\"{tess_id}\"")), "{html}");
            // Then the agenda for them, each item with its place and a box to remove it.
            let form: MeetingFormView = get_json(&app, &sam.client, "/api/meetings/form", &[("with[0]", &tess_id)]).await;
            let keys: Vec<&str> = form.agenda.iter().map(|row| row.key.as_str()).collect();
            let reflection = w.reflection.0;
            assert_eq!(keys, [format!("comments:{reflection}"), format!("pacing:{reflection}"), format!("review:{reflection}")]);
            let html = page(&app, &sam.client, &format!("/meetings/new?with={tess_id}")).await.text().await.unwrap();
            assert!(html.contains("pacing rated too early") && html.contains("Remove"), "{html}");
            assert!(html.contains("name=\"meeting[agenda][items][3][text]\""), "a row for one's own item: {html}");
            // Someone who shares nothing with Sam is not found, however asked.
            let stranger = account(&app, "olive@example.org", "Olive").await.user.id.0.to_string();
            assert_eq!(get_with(&app, &sam.client, "/api/meetings/form", &[("with[0]", &stranger)]).await.status(), 404);
            assert_eq!(page(&app, &sam.client, &format!("/meetings/new?with={stranger}")).await.status(), 404);

            // Keep the review first, an own item second, the comments last; drop the ratings.
            let row = |form: Form, index: usize, key: &str, position: &str, remove: &str, text: &str| {
                let name = |field: &str| format!("meeting[agenda][items][{index}][{field}]");
                form.add(name("key"), key).add(name("position"), position).add(name("remove"), remove).add(name("text"), text)
            };
            let edited = |form: Form| {
                let form = row(form, 0, keys[0], "3", "", "");
                let form = row(form, 1, keys[1], "", "on", "");
                let form = row(form, 2, keys[2], "1", "", "");
                row(form, 3, "", "2", "", "Ask about the holiday break")
            };
            // Each problem at its row: a place out of range, an item no longer offered.
            let bad = row(row(meeting_form(tess.user.id.0, &[]), 0, keys[0], "9", "", ""), 1, "comments:999999", "", "", "");
            let response = app.post_form_with(&sam.client, "/api/meetings/record", &bad.fields()).await;
            assert_eq!(response.status(), 422);
            let error = app_error(response).await;
            assert_eq!(error.field("agenda.0.position").as_deref(), Some("Enter a position from 1 to 2, or leave it empty."));
            assert!(error.field("agenda.1.key").unwrap().contains("no longer on the agenda"));
            // Without JavaScript the places and removals come back, the own text does not.
            let response = app.post_plain_form_with(&sam.client, "/api/meetings/record", &edited(meeting_form(tess.user.id.0, &[]).set("meeting[duration]", "3")).fields()).await;
            let target = location(&response);
            let query = url_pairs(&target);
            assert!(query.contains(&("meeting[agenda][items][1][remove]".to_string(), "on".to_string())), "{target}");
            assert!(!target.contains("holiday"), "{target}");
            let html = page(&app, &sam.client, &target).await.text().await.unwrap();
            assert!(html.contains("id=\"agenda-0-position\" name=\"meeting[agenda][items][0][position]\" min=\"1\" max=\"6\" value=\"3\""), "{html}");

            let id = record(&app, &sam.client, &edited(meeting_form(tess.user.id.0, &[]))).await;
            let week = format!("C-07 · session 1 (week {SESSION_WEEK})");
            assert_eq!(read(&app, &tess.client, id).await.agenda, [format!("{week}: reviewed"), "Ask about the holiday break".to_string(), format!("{week}: 1 comment")]);

            // Editing before sign-off starts from the recorded agenda, own items as text.
            let editor: MeetingEditorView = get_json(&app, &sam.client, "/api/meetings/editor", &[("meeting_id", &id.to_string())]).await;
            let rows: Vec<(&str, &str)> = editor.choices.agenda.iter().map(|row| (row.key.as_str(), row.line.as_str())).collect();
            assert_eq!(rows, [(keys[2], format!("{week}: reviewed").as_str()), ("", "Ask about the holiday break"), (keys[0], format!("{week}: 1 comment").as_str())]);
            let input = &editor.input;
            let form = Form::new()
                .add("meeting_id", id.to_string())
                .add("version", editor.version.to_string())
                .add("meeting[date]", &input.date)
                .add("meeting[duration]", &input.duration)
                .add("meeting[format]", &input.format)
                .add("meeting[supervisees][]", &tess_id);
            let form = row(form, 0, keys[2], "2", "", "");
            let form = row(form, 1, "", "", "", "Ask about the holiday break, and the fee");
            let form = row(form, 2, keys[0], "1", "", "");
            let response = app.post_form_with(&sam.client, "/api/meetings/edit", &form.fields()).await;
            assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
            assert_eq!(read(&app, &sam.client, id).await.agenda, [format!("{week}: 1 comment"), format!("{week}: reviewed"), "Ask about the holiday break, and the fee".to_string()]);
        }
    }
}

/// The case's open share, from its owner's overview.
async fn share_of(
    app: &TestApp,
    owner: &reqwest::Client,
    case: CaseId,
) -> app::domain::sharing::ShareId {
    crate::sharing::shares_of(app, owner, case).await[0].id
}
