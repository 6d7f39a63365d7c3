//! Leaving and keeping (privacy rule 6) over HTTP: a therapist downloads
//! everything they wrote (JSON and CSV files in a zip), private parts
//! included and nobody else's work; a supervisor downloads the feedback
//! they wrote and the meetings they recorded, with nothing private of the
//! therapist's; each download is the signed-in person's own, recorded in
//! the audit log; a case prints whole for its owner only.

use std::io::Read;

use app::{
    domain::{
        accounts::AuditAction, cases::CaseId, csv::parse_csv, feedback::Anchor, reflection::RowKind,
    },
    server::export::{SUPERVISOR_CSV_FILES, THERAPIST_CSV_FILES},
};
use serde_json::Value;

use crate::{
    casework::{
        full_reflection, location, number_after, reflection_form, save_new_reflection, Form,
    },
    helpers::TestApp,
    on_both_backends,
    sharing::{
        account, assert_nothing_private, comment, day_from_today, marked_reflection, new_case,
        page, rate, Account, SharingWorld, ORIGIN_NOTE, PRIVATE_NOTES,
    },
};

const THERAPIST_JSON: &str = "/account/export/my-work.json";
const THERAPIST_ZIP: &str = "/account/export/my-work-csv.zip";
const SUPERVISOR_JSON: &str = "/account/export/my-supervision.json";
const SUPERVISOR_ZIP: &str = "/account/export/my-supervision-csv.zip";

const OTTOS_NOTE: &str = "Quarnwell: only Otto may ever read this.";
const SAMS_COMMENT: &str = "This came early.";
const SAMS_NOTE: &str = "Wait until she links it herself.";
const TESS_REPLY: &str = "I felt her leaving.";
const MEETING_NOTES: &str = "Talked about the lateness and the break.";

/// The sharing world (Tess's case C-07 with one marked reflection, shared
/// with Sam), with Sam's comment and rating on the interpretation, Tess's
/// reply, a second reflection, a draft, a supervision meeting about the
/// case, and Otto, another therapist with a case of his own.
struct ExportWorld {
    world: SharingWorld,
    otto: Account,
    ottos_case: CaseId,
}

async fn export_world(app: &TestApp) -> ExportWorld {
    let world = SharingWorld::new(app).await;
    let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
    let row = world.intervention(app, 1).await;
    let anchor = Anchor::Row(RowKind::Intervention, row).slug();
    let opening = comment(
        app,
        sam,
        world.case,
        world.reflection,
        &anchor,
        SAMS_COMMENT,
    )
    .await;
    let rated = rate(
        app,
        sam,
        world.case,
        world.reflection,
        row,
        "too_early",
        SAMS_NOTE,
    )
    .await;
    assert_eq!(rated.status(), 200);
    comment(
        app,
        tess,
        world.case,
        world.reflection,
        &format!("reply_to:{}", opening.0),
        TESS_REPLY,
    )
    .await;
    save_new_reflection(app, tess, world.case, &full_reflection(2, "2019-04-30")).await;
    let draft = reflection_form(world.case, &full_reflection(3, "2019-05-07"));
    assert_eq!(
        app.post_form_with(tess, "/api/reflections/keep-draft", &draft.fields())
            .await
            .status(),
        200
    );
    let meeting = Form::new()
        .add("meeting[date]", day_from_today(0))
        .add("meeting[duration]", "50")
        .add("meeting[format]", "individual")
        .add(
            "meeting[supervisees][]",
            world.therapist.user.id.0.to_string(),
        )
        .add("meeting[cases][]", world.case.0.to_string())
        .add("meeting[notes]", MEETING_NOTES)
        .add("meeting[action_items][0][text]", "Read Racker")
        .add("meeting[action_items][0][assignee]", "supervisor");
    let recorded = app
        .post_form_with(sam, "/api/meetings/record", &meeting.fields())
        .await;
    assert_eq!(recorded.status(), 200, "recording the meeting");
    assert!(number_after("/meetings/", &location(&recorded)) > 0);

    let otto = account(app, "otto@example.org", "Otto Other").await;
    let ottos_case = new_case(app, &otto.client, "O-99").await;
    let mut ottos = marked_reflection(1, "2019-04-23");
    ottos.private_notes = OTTOS_NOTE.to_string();
    save_new_reflection(app, &otto.client, ottos_case, &ottos).await;
    ExportWorld {
        world,
        otto,
        ottos_case,
    }
}

/// A download that must succeed: its headers checked, its bytes.
pub async fn download(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    content_type: &str,
) -> Vec<u8> {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), content_type, "{path}");
    assert!(
        header("content-disposition").starts_with("attachment; filename=\"reverie-"),
        "{path}"
    );
    assert_eq!(header("cache-control"), "no-store", "{path}");
    // Streamed as it is read: the length is not known when it starts.
    assert_eq!(header("content-length"), "", "{path}");
    response.bytes().await.unwrap().to_vec()
}

async fn json_export(app: &TestApp, client: &reqwest::Client, path: &str) -> (String, Value) {
    let bytes = download(app, client, path, "application/json").await;
    let text = String::from_utf8(bytes).unwrap();
    let document = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"));
    (text, document)
}

/// The zip's files in order, each as CSV records (header first).
async fn zip_export(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
) -> Vec<(String, Vec<Vec<String>>)> {
    let bytes = download(app, client, path, "application/zip").await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|index| {
            let mut file = archive.by_index(index).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            let records =
                parse_csv(&text).unwrap_or_else(|error| panic!("{}: {error}", file.name()));
            (file.name().to_string(), records)
        })
        .collect()
}

/// The number of data rows (after the header) of each file.
fn row_counts(files: &[(String, Vec<Vec<String>>)]) -> Vec<(&str, usize)> {
    files
        .iter()
        .map(|(name, records)| (name.as_str(), records.len() - 1))
        .collect()
}

/// The values of `column` in a CSV file.
fn column<'a>(records: &'a [Vec<String>], column: &str) -> Vec<&'a str> {
    let index = records[0]
        .iter()
        .position(|name| name == column)
        .unwrap_or_else(|| panic!("no {column}"));
    records[1..]
        .iter()
        .map(|record| record[index].as_str())
        .collect()
}

async fn exports_recorded(app: &TestApp) -> Vec<(Option<String>, Option<String>)> {
    app.database
        .recent_audit_events(100)
        .await
        .unwrap()
        .into_iter()
        .filter(|event| event.action == AuditAction::DataExported)
        .map(|event| (event.actor, event.target))
        .collect()
}

on_both_backends! {
    async fn the_therapist_json_holds_all_their_work_and_nobody_elses(app: app) {
        let ExportWorld { world, .. } = export_world(&app).await;
        let (text, document) = json_export(&app, &world.therapist.client, THERAPIST_JSON).await;

        assert_eq!(document["schema_version"], 1);
        assert_eq!(document["kind"], "therapist");
        assert!(document["exported_at"].as_i64().unwrap() > 1_700_000_000_000);
        assert_eq!(document["account"]["email"], "tess@example.org");
        let cases = document["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 1, "Tess's case only");
        let case = &cases[0];
        assert_eq!(case["code"], "C-07");
        assert_eq!(case["names_to_watch"], serde_json::json!(["Ottoline", "Brackwater"]));

        // Every reflection, oldest first, private parts included.
        let reflections = case["reflections"].as_array().unwrap();
        assert_eq!(reflections.iter().map(|r| r["session_number"].as_i64().unwrap()).collect::<Vec<_>>(), [1, 2]);
        let first = &reflections[0];
        assert_eq!(first["private"]["private_notes"], PRIVATE_NOTES);
        assert_eq!(first["private"]["origin"]["note"], ORIGIN_NOTE);
        assert_eq!(first["private"]["origin"]["picked"], serde_json::json!(["needs_values", "therapy_specific"]));
        assert_eq!(first["session_date"], "2019-04-23");
        assert_eq!(first["reactions"].as_array().unwrap().len(), 2);
        assert_eq!(first["reactions"][0]["dimension"], "helpless");
        let interventions = first["interventions"].as_array().unwrap();
        assert_eq!(interventions.len(), 3);
        assert_eq!(interventions[1]["kind"], "transference_interpretation");
        assert_eq!((interventions[1]["minute"].clone(), interventions[1]["phase"].clone()), (Value::Null, Value::from("late")));
        assert_eq!(first["episodes"][0]["wish"], "w_loved");

        // The share, the feedback on the case (Sam's and Tess's reply), the draft, the meeting.
        assert_eq!(case["shares"][0]["supervisor_email"], "sam@example.org");
        assert_eq!(case["shares"][0]["basis"], "training");
        assert_eq!(case["shares"][0]["status"], "active");
        let bodies: Vec<&str> = case["comments"].as_array().unwrap().iter().map(|c| c["body"].as_str().unwrap()).collect();
        assert_eq!(bodies, [SAMS_COMMENT, TESS_REPLY]);
        assert_eq!(case["ratings"][0]["rating"], "too_early");
        assert_eq!(case["ratings"][0]["note"], SAMS_NOTE);
        assert_eq!(document["drafts"][0]["input"]["session_number"], "3");
        let meetings = document["meetings"].as_array().unwrap();
        assert_eq!(meetings.len(), 1);
        assert_eq!(meetings[0]["role"], "supervisee");
        assert_eq!(meetings[0]["notes"], MEETING_NOTES);
        assert_eq!(meetings[0]["case_codes"], serde_json::json!(["C-07"]));
        assert_eq!(meetings[0]["action_items"][0]["assignee_name"], "Sam Supervisor");

        // Nothing of Otto's.
        for others in ["O-99", OTTOS_NOTE, "otto@example.org"] {
            assert!(!text.contains(others), "the export holds {others:?}");
        }
        // The fact of the export is in the audit log, without content.
        let recorded = exports_recorded(&app).await;
        assert_eq!(recorded, [(Some("tess@example.org".to_string()), Some("therapist export, JSON".to_string()))]);
    }

    async fn the_therapist_csv_zip_has_a_file_per_entity(app: app) {
        let ExportWorld { world, .. } = export_world(&app).await;
        let files = zip_export(&app, &world.therapist.client, THERAPIST_ZIP).await;

        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, THERAPIST_CSV_FILES);
        assert_eq!(
            row_counts(&files),
            [
                ("cases.csv", 1),
                ("reflections.csv", 2),
                ("reactions.csv", 4),
                ("interventions.csv", 6),
                ("episodes.csv", 2),
                ("shares.csv", 1),
                ("comments.csv", 2),
                ("ratings.csv", 1),
                ("drafts.csv", 1),
                ("meetings.csv", 1),
                ("meeting_action_items.csv", 1),
                ("meeting_remarks.csv", 0),
            ]
        );
        let file = |name: &str| &files.iter().find(|(file, _)| file == name).unwrap().1;
        assert_eq!(column(file("reflections.csv"), "private_notes")[0], PRIVATE_NOTES);
        // Rows link by ids: every reaction's reflection is among the reflections.
        let reflection_ids = column(file("reflections.csv"), "id");
        for id in column(file("reactions.csv"), "reflection_id") {
            assert!(reflection_ids.contains(&id), "reaction of {id}");
        }
        assert_eq!(column(file("cases.csv"), "code"), ["C-07"]);
        for (name, records) in &files {
            for record in records {
                assert!(!record.iter().any(|field| field.contains(OTTOS_NOTE) || field == "O-99"), "{name}");
            }
        }
        assert_eq!(exports_recorded(&app).await.len(), 1);
    }

    async fn the_supervisor_export_holds_their_feedback_and_nothing_private(app: app) {
        let ExportWorld { world, .. } = export_world(&app).await;
        let sam = &world.supervisor.client;
        let (text, document) = json_export(&app, sam, SUPERVISOR_JSON).await;
        assert_nothing_private("the supervisor's JSON export", &text);
        assert_eq!(document["schema_version"], 1);
        assert_eq!(document["kind"], "supervisor");
        let comments = document["comments"].as_array().unwrap();
        assert_eq!(comments.len(), 1, "Sam's comment, not Tess's reply");
        assert_eq!(comments[0]["body"], SAMS_COMMENT);
        assert_eq!(comments[0]["case_code"], "C-07");
        assert_eq!(comments[0]["therapist_name"], "Tess Therapist");
        assert_eq!(comments[0]["session_number"], 1);
        assert_eq!(document["ratings"][0]["rating"], "too_early");
        assert_eq!(document["ratings"][0]["note"], SAMS_NOTE);
        assert_eq!(document["meetings"][0]["role"], "supervisor");
        assert_eq!(document["meetings"][0]["notes"], MEETING_NOTES);
        assert!(!text.contains(TESS_REPLY));
        assert!(document.get("cases").is_none(), "no reflections in a supervisor's export");

        let files = zip_export(&app, sam, SUPERVISOR_ZIP).await;
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, SUPERVISOR_CSV_FILES);
        assert_eq!(
            row_counts(&files),
            [("comments.csv", 1), ("ratings.csv", 1), ("meetings.csv", 1), ("meeting_action_items.csv", 1), ("meeting_remarks.csv", 0)]
        );
        for (name, records) in &files {
            for record in records {
                assert_nothing_private(name, &record.join(","));
            }
        }
        assert_eq!(exports_recorded(&app).await.len(), 2);
    }

    async fn exports_are_the_signed_in_persons_own(app: app) {
        let ExportWorld { otto, .. } = export_world(&app).await;
        for path in [THERAPIST_JSON, THERAPIST_ZIP, SUPERVISOR_JSON, SUPERVISOR_ZIP] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 401, "{path} signed out");
        }
        let unknown = otto.client.get(app.url("/account/export/everything.json")).send().await.unwrap();
        assert_eq!(unknown.status(), 404);
        assert!(exports_recorded(&app).await.is_empty());

        // The account page links to each.
        let account_page = page(&app, &otto.client, "/account").await.text().await.unwrap();
        for path in [THERAPIST_JSON, THERAPIST_ZIP, SUPERVISOR_JSON, SUPERVISOR_ZIP] {
            assert!(account_page.contains(&format!("href=\"{path}\"")), "the account page lacks {path}");
        }

        // Otto's export is Otto's: nothing of Tess's.
        let (text, document) = json_export(&app, &otto.client, THERAPIST_JSON).await;
        assert_eq!(document["cases"].as_array().unwrap().len(), 1);
        for others in ["C-07", PRIVATE_NOTES, SAMS_COMMENT, MEETING_NOTES] {
            assert!(!text.contains(others), "Otto's export holds {others:?}");
        }
    }

    async fn a_case_prints_whole_for_its_owner_only(app: app) {
        let ExportWorld { world, otto, ottos_case } = export_world(&app).await;
        let path = format!("/cases/{}/print", world.case.0);
        let response = page(&app, &world.therapist.client, &path).await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        for expected in ["Case C-07", "Session 1 · 2019-04-23", "Session 2 · 2019-04-30", PRIVATE_NOTES, "Could not find words when she left early."] {
            assert!(html.contains(expected), "the printable view lacks {expected:?}");
        }
        // Reached from the case page.
        let case_page = page(&app, &world.therapist.client, &format!("/cases/{}", world.case.0)).await.text().await.unwrap();
        assert!(case_page.contains(&format!("href=\"{path}\"")));

        for (client, case) in [(&otto.client, world.case), (&world.supervisor.client, world.case), (&world.therapist.client, ottos_case)] {
            let response = page(&app, client, &format!("/cases/{}/print", case.0)).await;
            assert_eq!(response.status(), 404);
            let html = response.text().await.unwrap();
            assert!(!html.contains(PRIVATE_NOTES) && !html.contains(OTTOS_NOTE));
        }
        let signed_out = app.get(&path).await.text().await.unwrap();
        assert!(!signed_out.contains(PRIVATE_NOTES));
    }
}
