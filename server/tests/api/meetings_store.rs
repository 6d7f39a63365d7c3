//! The repository of supervision meetings, below the server functions: a
//! meeting read back whole, sealed text at rest, who finds a meeting, the
//! rules the SQL itself enforces (version, sign-off, assignee), action items
//! carried over, hours and export by period, and what deleting a case or an
//! account leaves, on both backends.

use app::{
    domain::{
        accounts::UserId,
        cases::{CaseDetails, CaseId},
        meetings::{
            hours_of, meetings_csv, ActionItem, AgendaItem, AgendaTopic, Assignee, MeetingDetails,
            MeetingFormat, MeetingId, Participant, Period, SessionPlace,
        },
        reflection::{ReflectionId, RowId},
        time::parse_iso_date,
        vocabulary::{Modality, PacingRating, SessionFrequency},
    },
    server::{
        crypto::FieldCipher,
        repo::{
            Database, DoneMark, MeetingEdit, MeetingOutcome, MeetingsOf, NewMeeting, NewUser,
            RecordedCase, RemarkOutcome, StoredMeeting,
        },
    },
};

use crate::{
    helpers::{everything_stored, execute_with, TEST_DATA_KEY},
    on_both_backends,
};

fn cipher() -> FieldCipher {
    FieldCipher::from_hex(TEST_DATA_KEY).unwrap()
}

async fn user(database: &Database, email: &str, name: &str) -> UserId {
    database
        .create_user(&NewUser {
            email,
            display_name: name,
            password_hash: "x",
            is_admin: false,
            created_at: 1,
        })
        .await
        .unwrap()
        .id
}

async fn case(database: &Database, owner: UserId, code: &str) -> CaseId {
    let details = CaseDetails {
        code: code.to_string(),
        modality: Modality::Psychodynamic,
        frequency: SessionFrequency::Weekly,
        start_date: "2026-01-05".to_string(),
        planned_sessions: None,
        names_to_watch: Vec::new(),
    };
    database
        .create_case(&cipher(), owner, &details, 1)
        .await
        .unwrap()
}

/// A supervisor, two of their supervisees and someone else.
struct People {
    supervisor: UserId,
    anna: UserId,
    ben: UserId,
    stranger: UserId,
}

async fn people(database: &Database) -> People {
    People {
        supervisor: user(database, "sam@example.org", "Sam Supervisor").await,
        anna: user(database, "anna@example.org", "Anna").await,
        ben: user(database, "ben@example.org", "Ben").await,
        stranger: user(database, "sue@example.org", "Sue Other").await,
    }
}

fn day(date: &str) -> i64 {
    parse_iso_date(date).unwrap()
}

fn item(text: &str, assignee: Assignee, done: bool) -> ActionItem {
    ActionItem {
        id: None,
        text: text.to_string(),
        assignee,
        done,
    }
}

/// A meeting on `date` with these supervisees (individual with one, group
/// with more) and cases, without notes or action items.
fn meeting(date: &str, minutes: u16, supervisees: &[UserId], cases: &[CaseId]) -> MeetingDetails {
    let mut supervisees = supervisees.to_vec();
    supervisees.sort_by_key(|user| user.0);
    let mut cases = cases.to_vec();
    cases.sort_by_key(|case| case.0);
    MeetingDetails {
        day: day(date),
        duration_minutes: minutes,
        format: if supervisees.len() > 1 {
            MeetingFormat::Group
        } else {
            MeetingFormat::Individual
        },
        supervisees,
        cases,
        notes: String::new(),
        action_items: Vec::new(),
    }
}

async fn record(
    database: &Database,
    supervisor: UserId,
    details: &MeetingDetails,
    agenda: &[AgendaItem],
    now: i64,
) -> MeetingId {
    database
        .create_meeting(
            &cipher(),
            &NewMeeting {
                supervisor,
                details,
                agenda,
                now,
            },
        )
        .await
        .unwrap()
}

async fn load(database: &Database, meeting: MeetingId, user: UserId) -> Option<StoredMeeting> {
    database
        .meeting_for(&cipher(), meeting, user)
        .await
        .unwrap()
}

async fn edit(
    database: &Database,
    meeting: MeetingId,
    supervisor: UserId,
    version: i64,
    details: &MeetingDetails,
    now: i64,
) -> MeetingOutcome {
    database
        .update_meeting(
            &cipher(),
            &MeetingEdit {
                meeting,
                supervisor,
                version,
                details,
                agenda: &[],
                now,
            },
        )
        .await
        .unwrap()
}

fn without_item_ids(mut details: MeetingDetails) -> MeetingDetails {
    for item in &mut details.action_items {
        item.id = None;
    }
    details
}

async fn strings(database: &Database, sql: &str) -> Vec<String> {
    match database {
        Database::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        Database::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}

async fn count(database: &Database, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match database {
        Database::Sqlite(pool) => sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap(),
        Database::Postgres(pool) => sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap(),
    }
}

fn session(case: CaseId, code: &str, reflection: i64, number: u32) -> SessionPlace {
    SessionPlace {
        case,
        case_code: code.to_string(),
        reflection: ReflectionId(reflection),
        session_number: number,
        week: i64::from(number),
    }
}

const NOTES: &str = "Anna felt pulled to rescue the client after the missed session.";
const SUPERVISOR_ITEM: &str = "Send the chapter on concordant identification";
const ANNA_ITEM: &str = "Notice the urge to reassure before the break";
const BEN_ITEM: &str = "Bring process notes of the rupture";
const OWN_AGENDA_ITEM: &str = "The approaching summer break and the client's silence";
const COMMENT: &str = "I would add that the lateness started after the fee change.";
const ADDENDUM: &str = "Correction: the rupture happened in session twelve, not eleven.";

on_both_backends! {
    async fn a_meeting_reads_back_with_everything_in_it(fresh: database) {
        let (database, _guard) = fresh;
        let p = people(&database).await;
        let c07 = case(&database, p.anna, "C-07").await;
        let b01 = case(&database, p.ben, "B-01").await;
        let mut details = meeting("2026-03-10", 90, &[p.anna, p.ben], &[c07, b01]);
        details.notes = NOTES.to_string();
        details.action_items = vec![
            item(SUPERVISOR_ITEM, Assignee::Supervisor, true),
            // Only Anna marks her items done: the supervisor's box is not taken.
            item(ANNA_ITEM, Assignee::Supervisee(p.anna), true),
            item(BEN_ITEM, Assignee::Supervisee(p.ben), false),
        ];
        let agenda = vec![
            AgendaItem { topic: AgendaTopic::Own { text: OWN_AGENDA_ITEM.to_string() } },
            AgendaItem { topic: AgendaTopic::Comments { session: session(c07, "C-07", 71, 7), messages: 2 } },
            AgendaItem {
                topic: AgendaTopic::PacingRatings {
                    session: session(b01, "B-01", 12, 3),
                    ratings: vec![(RowId(4), PacingRating::TooEarly), (RowId(9), PacingRating::TooDeep)],
                },
            },
        ];
        let id = record(&database, p.supervisor, &details, &agenda, 1_000).await;

        let comment = database.add_meeting_comment(&cipher(), id, p.anna, COMMENT, 1_100).await.unwrap();
        assert!(matches!(comment, RemarkOutcome::Added(_)), "{comment:?}");
        assert_eq!(database.acknowledge_meeting(id, p.ben, 1, 1_200).await.unwrap(), MeetingOutcome::Saved { version: 1 });
        assert_eq!(database.sign_off_meeting(id, p.supervisor, 1, 1_300).await.unwrap(), MeetingOutcome::Saved { version: 1 });
        let addendum = database.add_addendum(&cipher(), id, p.ben, ADDENDUM, 1_400).await.unwrap();
        assert!(matches!(addendum, RemarkOutcome::Added(_)), "{addendum:?}");

        let stored = load(&database, id, p.supervisor).await.expect("the supervisor's meeting");
        let mut expected = details.clone();
        expected.action_items[1].done = false;
        assert_eq!(without_item_ids(stored.details.clone()), expected);
        let item_ids: Vec<_> = stored.details.action_items.iter().map(|item| item.id.expect("stored items have ids")).collect();
        assert!(item_ids.windows(2).all(|pair| pair[0] != pair[1]));
        assert_eq!(stored.id, id);
        assert_eq!((stored.state.supervisor, stored.state.supervisees.clone()), (p.supervisor, vec![p.anna, p.ben]));
        assert_eq!((stored.state.acknowledged_by.clone(), stored.state.signed_off_at), (vec![p.ben], Some(1_300)));
        assert_eq!(stored.supervisor_name, "Sam Supervisor");
        assert_eq!(
            stored.supervisees,
            [Participant { id: p.anna, name: "Anna".to_string() }, Participant { id: p.ben, name: "Ben".to_string() }]
        );
        assert_eq!(
            stored.cases,
            [
                RecordedCase { case: Some(b01), code: "B-01".to_string(), supervisee: p.ben },
                RecordedCase { case: Some(c07), code: "C-07".to_string(), supervisee: p.anna },
            ]
        );
        assert_eq!(stored.agenda, agenda);
        assert_eq!(stored.done_marks, [DoneMark { item: item_ids[0], at: 1_000, by: Some(p.supervisor) }]);
        assert_eq!(stored.comments.len(), 1);
        assert_eq!(
            (stored.comments[0].author, stored.comments[0].author_name.as_str(), stored.comments[0].at, stored.comments[0].body.as_str()),
            (p.anna, "Anna", 1_100, COMMENT)
        );
        assert_eq!(stored.addenda.len(), 1);
        assert_eq!(
            (stored.addenda[0].author, stored.addenda[0].at, stored.addenda[0].body.as_str()),
            (p.ben, 1_400, ADDENDUM)
        );
        assert_eq!((stored.version, stored.created_at, stored.updated_at), (1, 1_000, 1_000));

        // Each supervisee reads the same record.
        assert_eq!(load(&database, id, p.anna).await.as_ref(), Some(&stored));
        assert_eq!(load(&database, id, p.ben).await.as_ref(), Some(&stored));
    }

    async fn clinical_text_is_sealed_at_rest(fresh: database) {
        let (database, _guard) = fresh;
        let p = people(&database).await;
        let c07 = case(&database, p.anna, "C-07").await;
        let mut details = meeting("2026-03-10", 60, &[p.anna], &[c07]);
        details.notes = NOTES.to_string();
        details.action_items = vec![item(ANNA_ITEM, Assignee::Supervisee(p.anna), false)];
        let agenda = [AgendaItem { topic: AgendaTopic::Own { text: OWN_AGENDA_ITEM.to_string() } }];
        let id = record(&database, p.supervisor, &details, &agenda, 1_000).await;
        database.add_meeting_comment(&cipher(), id, p.anna, COMMENT, 1_100).await.unwrap();
        database.sign_off_meeting(id, p.supervisor, 1, 1_200).await.unwrap();
        database.add_addendum(&cipher(), id, p.supervisor, ADDENDUM, 1_300).await.unwrap();

        for sql in [
            "SELECT notes_sealed FROM meetings",
            "SELECT item_sealed FROM meeting_agenda_items",
            "SELECT text_sealed FROM meeting_action_items",
            "SELECT body_sealed FROM meeting_comments",
            "SELECT body_sealed FROM meeting_addenda",
        ] {
            let values = strings(&database, sql).await;
            assert_eq!(values.len(), 1, "{sql}");
            assert!(values[0].starts_with("v2."), "{sql}: {}", values[0]);
        }
        let stored = everything_stored(&database).await;
        for secret in [NOTES, ANNA_ITEM, OWN_AGENDA_ITEM, COMMENT, ADDENDUM, "rescue", "summer break", "fee change", "rupture"] {
            let found: Vec<_> = stored.iter().filter(|(_, value)| value.contains(secret)).map(|(place, _)| place).collect();
            assert!(found.is_empty(), "{secret:?} is stored in plain text in {found:?}");
        }
        // The agenda item's key is not clinical text and stays readable.
        assert_eq!(strings(&database, "SELECT item_sealed FROM meeting_agenda_items WHERE item_key IS NULL").await.len(), 1);
        let opened = load(&database, id, p.anna).await.unwrap();
        assert_eq!((opened.details.notes.as_str(), opened.addenda[0].body.as_str()), (NOTES, ADDENDUM));
    }

    async fn only_the_supervisor_and_the_supervisees_find_a_meeting(fresh: database) {
        let (database, _guard) = fresh;
        let p = people(&database).await;
        let carla = user(&database, "carla@example.org", "Carla").await;
        let anna_meeting = record(&database, p.supervisor, &meeting("2026-03-10", 60, &[p.anna], &[]), &[], 1).await;
        let group = record(&database, p.supervisor, &meeting("2026-03-11", 90, &[p.anna, p.ben], &[]), &[], 2).await;
        // Carla is supervised by the stranger, and by Sam elsewhere.
        let carla_meeting = record(&database, p.stranger, &meeting("2026-03-12", 50, &[carla], &[]), &[], 3).await;

        assert!(load(&database, anna_meeting, p.supervisor).await.is_some());
        assert!(load(&database, anna_meeting, p.anna).await.is_some());
        assert!(load(&database, anna_meeting, p.ben).await.is_none(), "another supervisee of the same supervisor");
        assert!(load(&database, anna_meeting, p.stranger).await.is_none(), "another supervisor");
        assert!(load(&database, group, p.ben).await.is_some());
        assert!(load(&database, carla_meeting, p.supervisor).await.is_none());
        assert!(load(&database, carla_meeting, carla).await.is_some());
        for missing in [MeetingId(0), MeetingId(-1), MeetingId(carla_meeting.0 + 100)] {
            assert!(load(&database, missing, p.supervisor).await.is_none(), "{missing:?}");
        }

        let ids = |list: Vec<app::server::repo::MeetingSummary>| list.into_iter().map(|meeting| meeting.id).collect::<Vec<_>>();
        assert_eq!(ids(database.list_meetings(MeetingsOf::Supervisor(p.supervisor), None).await.unwrap()), [group, anna_meeting], "newest first");
        assert_eq!(ids(database.list_meetings(MeetingsOf::Supervisee(p.anna), None).await.unwrap()), [group, anna_meeting]);
        assert_eq!(ids(database.list_meetings(MeetingsOf::Supervisee(p.ben), None).await.unwrap()), [group]);
        assert!(database.list_meetings(MeetingsOf::Supervisee(p.supervisor), None).await.unwrap().is_empty());
        assert!(database.list_meetings(MeetingsOf::Supervisor(p.anna), None).await.unwrap().is_empty());

        // Nobody outside a meeting writes to it.
        assert_eq!(database.acknowledge_meeting(anna_meeting, p.ben, 1, 9).await.unwrap(), MeetingOutcome::Missing);
        assert_eq!(database.acknowledge_meeting(anna_meeting, p.supervisor, 1, 9).await.unwrap(), MeetingOutcome::Missing, "supervisees acknowledge");
        assert_eq!(database.sign_off_meeting(anna_meeting, p.anna, 1, 9).await.unwrap(), MeetingOutcome::Missing);
        assert_eq!(database.add_meeting_comment(&cipher(), anna_meeting, p.ben, "x", 9).await.unwrap(), RemarkOutcome::Missing);
        assert_eq!(database.add_meeting_comment(&cipher(), anna_meeting, p.supervisor, "x", 9).await.unwrap(), RemarkOutcome::Missing, "supervisees comment");
        database.sign_off_meeting(anna_meeting, p.supervisor, 1, 9).await.unwrap();
        assert_eq!(database.add_addendum(&cipher(), anna_meeting, p.stranger, "x", 10).await.unwrap(), RemarkOutcome::Missing);
        assert_eq!(edit(&database, anna_meeting, p.stranger, 1, &meeting("2026-03-10", 30, &[p.anna], &[]), 10).await, MeetingOutcome::Missing);
        assert_eq!((count(&database, "meeting_comments").await, count(&database, "meeting_addenda").await), (0, 0));
    }

    async fn the_sql_refuses_stale_edits_and_changes_after_sign_off(fresh: database) {
        let (database, _guard) = fresh;
        let p = people(&database).await;
        let c07 = case(&database, p.anna, "C-07").await;
        let b01 = case(&database, p.ben, "B-01").await;
        let mut details = meeting("2026-03-10", 90, &[p.anna, p.ben], &[c07, b01]);
        details.action_items = vec![
            item("first", Assignee::Supervisee(p.anna), false),
            item("second", Assignee::Supervisee(p.ben), false),
            item("third", Assignee::Supervisor, false),
        ];
        let id = record(&database, p.supervisor, &details, &[], 1_000).await;
        let before = load(&database, id, p.supervisor).await.unwrap();

        // The schema holds a meeting's cases and items to its supervisees:
        // Ben's case in a meeting with Anna only fails, and leaves nothing.
        let mut foreign = meeting("2026-03-11", 60, &[p.anna], &[b01]);
        let refused = database.create_meeting(&cipher(), &NewMeeting { supervisor: p.supervisor, details: &foreign, agenda: &[], now: 1_010 }).await;
        assert!(refused.is_err(), "{refused:?}");
        foreign.cases.clear();
        foreign.action_items = vec![item("not Ben's meeting", Assignee::Supervisee(p.ben), false)];
        let refused = database.create_meeting(&cipher(), &NewMeeting { supervisor: p.supervisor, details: &foreign, agenda: &[], now: 1_020 }).await;
        assert!(refused.is_err(), "{refused:?}");
        assert_eq!((count(&database, "meetings").await, count(&database, "meeting_supervisees").await), (1, 2), "one transaction: nothing left behind");
        let [first, _second, third] = [0, 1, 2].map(|n| before.details.action_items[n].id.unwrap());
        assert!(database.set_action_item_done(first, p.anna, true, 1_050).await.unwrap());
        assert_eq!(database.acknowledge_meeting(id, p.anna, 1, 1_100).await.unwrap(), MeetingOutcome::Saved { version: 1 });

        // The edit: Ben leaves (his case and item with him), Anna's item is
        // reworded in place and keeps her done mark, the third is removed,
        // one is added, and the date moves.
        let mut edited = meeting("2026-03-09", 60, &[p.anna], &[c07]);
        edited.notes = "Edited notes".to_string();
        edited.action_items = vec![
            ActionItem { id: Some(first), ..item("first, reworded", Assignee::Supervisee(p.anna), false) },
            item("new", Assignee::Supervisor, true),
        ];
        assert_eq!(edit(&database, id, p.supervisor, 1, &edited, 2_000).await, MeetingOutcome::Saved { version: 2 });
        let after = load(&database, id, p.supervisor).await.unwrap();
        let mut expected = edited.clone();
        expected.action_items[0].done = true;
        assert_eq!(without_item_ids(after.details.clone()), without_item_ids(expected));
        assert_eq!(after.details.action_items[0].id, Some(first), "edited in place");
        assert!(![first, third].contains(&after.details.action_items[1].id.unwrap()), "an added item gets a new id");
        assert!(after.state.acknowledged_by.is_empty(), "an edit asks for acknowledgement again");
        assert_eq!((after.version, after.updated_at), (2, 2_000));
        assert_eq!(after.cases, [RecordedCase { case: Some(c07), code: "C-07".to_string(), supervisee: p.anna }]);
        assert!(load(&database, id, p.ben).await.is_none(), "Ben is no longer in the meeting");
        assert_eq!(count(&database, "meeting_action_items").await, 2);
        let days = strings(&database, "SELECT CAST(meeting_day AS TEXT) FROM meeting_supervisees").await;
        assert_eq!(days, [day("2026-03-09").to_string()], "the supervisee's copy of the day follows the edit");

        // An edit, an acknowledgement or a sign-off based on version 1 is stale now.
        assert_eq!(edit(&database, id, p.supervisor, 1, &details, 3_000).await, MeetingOutcome::Stale);
        assert_eq!(database.acknowledge_meeting(id, p.anna, 1, 3_000).await.unwrap(), MeetingOutcome::Stale);
        assert_eq!(database.sign_off_meeting(id, p.supervisor, 1, 3_000).await.unwrap(), MeetingOutcome::Stale);
        assert_eq!(load(&database, id, p.supervisor).await.unwrap(), after, "nothing written");
        assert_eq!(database.add_addendum(&cipher(), id, p.supervisor, "too early", 3_000).await.unwrap(), RemarkOutcome::NotSignedOffYet);

        assert_eq!(database.sign_off_meeting(id, p.supervisor, 2, 4_000).await.unwrap(), MeetingOutcome::Saved { version: 2 });
        let signed = MeetingOutcome::SignedOff { at: 4_000 };
        assert_eq!(database.sign_off_meeting(id, p.supervisor, 2, 5_000).await.unwrap(), signed, "signed off once");
        assert_eq!(edit(&database, id, p.supervisor, 2, &edited, 5_000).await, signed);
        assert_eq!(database.acknowledge_meeting(id, p.anna, 2, 5_000).await.unwrap(), signed);
        assert_eq!(database.add_meeting_comment(&cipher(), id, p.anna, "late", 5_000).await.unwrap(), RemarkOutcome::SignedOff { at: 4_000 });
        let signed_record = load(&database, id, p.supervisor).await.unwrap();
        assert_eq!((signed_record.details.clone(), signed_record.version), (after.details.clone(), 2));
        assert_eq!(signed_record.state.signed_off_at, Some(4_000));

        // Done marks stay open after sign-off, to the assignee only.
        let new_item = after.details.action_items[1].id.unwrap();
        assert!(!database.set_action_item_done(first, p.supervisor, false, 6_000).await.unwrap(), "not the supervisor's item");
        assert!(!database.set_action_item_done(new_item, p.anna, false, 6_000).await.unwrap(), "not Anna's item");
        assert!(database.set_action_item_done(first, p.anna, false, 6_000).await.unwrap());
        assert!(database.set_action_item_done(new_item, p.supervisor, false, 6_000).await.unwrap());
        let undone = load(&database, id, p.anna).await.unwrap();
        assert!(undone.details.action_items.iter().all(|item| !item.done) && undone.done_marks.is_empty());
        assert!(database.set_action_item_done(first, p.anna, true, 7_000).await.unwrap());
        assert!(database.set_action_item_done(first, p.anna, true, 8_000).await.unwrap());
        assert_eq!(load(&database, id, p.anna).await.unwrap().done_marks, [DoneMark { item: first, at: 7_000, by: Some(p.anna) }], "the first mark stays");
    }

    async fn open_action_items_are_carried_from_meetings_with_the_same_supervisees(fresh: database) {
        let (database, _guard) = fresh;
        let p = people(&database).await;
        let mut with_anna = meeting("2026-03-02", 50, &[p.anna], &[]);
        with_anna.action_items = vec![
            item(ANNA_ITEM, Assignee::Supervisee(p.anna), false),
            item("done already", Assignee::Supervisor, true),
            item(SUPERVISOR_ITEM, Assignee::Supervisor, false),
        ];
        record(&database, p.supervisor, &with_anna, &[], 1).await;
        let mut later = meeting("2026-03-09", 50, &[p.anna], &[]);
        later.action_items = vec![item("later item", Assignee::Supervisee(p.anna), false)];
        let anna_2 = record(&database, p.supervisor, &later, &[], 2).await;
        let mut group = meeting("2026-03-03", 90, &[p.anna, p.ben], &[]);
        group.action_items = vec![item(BEN_ITEM, Assignee::Supervisee(p.ben), false)];
        let group_id = record(&database, p.supervisor, &group, &[], 3).await;
        // Another supervisor's meeting with Anna carries nothing into Sam's.
        let mut elsewhere = meeting("2026-03-04", 50, &[p.anna], &[]);
        elsewhere.action_items = vec![item("elsewhere", Assignee::Supervisee(p.anna), false)];
        record(&database, p.stranger, &elsewhere, &[], 4).await;

        let carried = database.open_action_items(&cipher(), p.supervisor, &[p.anna], None).await.unwrap();
        let texts: Vec<_> = carried.iter().map(|item| item.text.as_str()).collect();
        assert_eq!(texts, [ANNA_ITEM, SUPERVISOR_ITEM, "later item"], "open ones, by meeting day");
        assert_eq!((carried[0].meeting_day, carried[0].assignee, carried[0].done), (day("2026-03-02"), Assignee::Supervisee(p.anna), false));
        assert_eq!(carried[1].assignee, Assignee::Supervisor);

        let editing_later = database.open_action_items(&cipher(), p.supervisor, &[p.anna], Some(anna_2)).await.unwrap();
        assert_eq!(editing_later.len(), 2, "a meeting does not carry its own items");
        assert!(database.set_action_item_done(carried[0].id, p.anna, true, 10).await.unwrap());
        let after_done = database.open_action_items(&cipher(), p.supervisor, &[p.anna], Some(anna_2)).await.unwrap();
        assert_eq!(after_done.iter().map(|item| item.text.as_str()).collect::<Vec<_>>(), [SUPERVISOR_ITEM], "done items are not carried");

        let from_group = database.open_action_items(&cipher(), p.supervisor, &[p.ben, p.anna, p.ben], None).await.unwrap();
        assert_eq!(from_group.iter().map(|item| item.text.as_str()).collect::<Vec<_>>(), [BEN_ITEM]);
        assert!(database.open_action_items(&cipher(), p.supervisor, &[p.ben, p.anna], Some(group_id)).await.unwrap().is_empty());
        assert!(database.open_action_items(&cipher(), p.supervisor, &[p.ben], None).await.unwrap().is_empty(), "Ben alone never met Sam");
        assert!(database.open_action_items(&cipher(), p.supervisor, &[], None).await.unwrap().is_empty());
        assert!(database.open_action_items(&cipher(), p.anna, &[p.anna], None).await.unwrap().is_empty());
    }

    async fn hours_and_the_export_follow_the_period_boundaries(fresh: database) {
        let (database, _guard) = fresh;
        let p = people(&database).await;
        let c07 = case(&database, p.anna, "C-07").await;
        let b01 = case(&database, p.ben, "B-01, \"group\"").await;
        let december = record(&database, p.supervisor, &meeting("2025-12-31", 45, &[p.anna], &[]), &[], 1).await;
        let march = record(&database, p.supervisor, &meeting("2026-03-31", 60, &[p.anna], &[c07]), &[], 2).await;
        record(&database, p.supervisor, &meeting("2026-04-01", 90, &[p.anna, p.ben], &[c07, b01]), &[], 3).await;
        let january = record(&database, p.supervisor, &meeting("2026-01-01", 50, &[p.ben], &[b01]), &[], 4).await;
        for signed in [december, march, january] {
            assert_eq!(database.sign_off_meeting(signed, p.supervisor, 1, 100).await.unwrap(), MeetingOutcome::Saved { version: 1 });
        }

        let q1 = Period::quarter(2026, 1).unwrap();
        let anna_q1 = database.held_meetings(MeetingsOf::Supervisee(p.anna), q1).await.unwrap();
        assert_eq!(anna_q1.iter().map(|meeting| meeting.id).collect::<Vec<_>>(), [march], "the last day of March is in Q1, the first of April and the last of December are not");
        let hours = hours_of(p.anna, &anna_q1, q1);
        assert_eq!((hours.signed_off.individual_minutes, hours.signed_off.group_minutes, hours.not_signed_off.total_minutes()), (60, 0, 0));

        let april = Period::month(2026, 4).unwrap();
        let ben_april = database.held_meetings(MeetingsOf::Supervisee(p.ben), april).await.unwrap();
        let hours = hours_of(p.ben, &ben_april, april);
        assert_eq!((hours.signed_off.total_minutes(), hours.not_signed_off.group_minutes, hours.not_signed_off.group_meetings), (0, 90, 1));
        let year = Period::year(2026).unwrap();
        let all_2026 = database.held_meetings(MeetingsOf::Supervisor(p.supervisor), year).await.unwrap();
        assert_eq!(all_2026.iter().map(|meeting| meeting.day).collect::<Vec<_>>(), [day("2026-04-01"), day("2026-03-31"), day("2026-01-01")]);
        assert!(database.held_meetings(MeetingsOf::Supervisor(p.stranger), year).await.unwrap().is_empty());
        let listed = database.list_meetings(MeetingsOf::Supervisee(p.ben), Some(Period::custom(day("2026-01-01"), day("2026-04-01")).unwrap())).await.unwrap();
        assert_eq!(listed.len(), 2, "a custom range includes both its ends");

        let exported = database.exported_meetings(MeetingsOf::Supervisor(p.supervisor), april).await.unwrap();
        assert_eq!(exported.len(), 1);
        let group = &exported[0];
        assert_eq!((group.day, group.duration_minutes, group.format, group.supervisor_name.as_str(), group.signed_off_at), (day("2026-04-01"), 90, MeetingFormat::Group, "Sam Supervisor", None));
        assert_eq!(group.supervisees.iter().map(|person| person.name.as_str()).collect::<Vec<_>>(), ["Anna", "Ben"]);
        let mut codes: Vec<_> = group.cases.iter().map(|case| (case.supervisee, case.code.as_str())).collect();
        codes.sort_by_key(|(supervisee, code)| (supervisee.0, *code));
        assert_eq!(codes, [(p.anna, "C-07"), (p.ben, "B-01, \"group\"")]);
        let anna_export = database.exported_meetings(MeetingsOf::Supervisee(p.anna), april).await.unwrap();
        assert_eq!(anna_export[0].cases.iter().map(|case| case.code.as_str()).collect::<Vec<_>>(), ["C-07"], "a supervisee's export holds their own cases only");
        let csv = meetings_csv(&exported, april, None);
        assert!(csv.contains("\"B-01, \"\"group\"\"\""), "{csv}");
        let march_export = database.exported_meetings(MeetingsOf::Supervisor(p.supervisor), Period::month(2026, 3).unwrap()).await.unwrap();
        assert_eq!((march_export.len(), march_export[0].signed_off_at), (1, Some(100)));
    }

    async fn deleting_a_case_keeps_its_code_on_the_record(fresh: database) {
        let (database, _guard) = fresh;
        let p = people(&database).await;
        let c07 = case(&database, p.anna, "C-07").await;
        let c08 = case(&database, p.anna, "C-08").await;
        let details = meeting("2026-03-10", 60, &[p.anna], &[c07, c08]);
        let id = record(&database, p.supervisor, &details, &[], 1).await;
        assert!(database.delete_case(p.anna, c07).await.unwrap());

        let stored = load(&database, id, p.supervisor).await.unwrap();
        assert_eq!(stored.details.cases, [c08], "only cases that exist can be chosen again");
        assert_eq!(
            stored.cases,
            [
                RecordedCase { case: None, code: "C-07".to_string(), supervisee: p.anna },
                RecordedCase { case: Some(c08), code: "C-08".to_string(), supervisee: p.anna },
            ]
        );
        let march = Period::month(2026, 3).unwrap();
        let exported = database.exported_meetings(MeetingsOf::Supervisee(p.anna), march).await.unwrap();
        assert_eq!(exported[0].cases.iter().map(|case| case.code.as_str()).collect::<Vec<_>>(), ["C-07", "C-08"]);

        // An edit of the other details keeps the deleted case's code.
        let mut edited = details.clone();
        edited.cases = vec![c08];
        edited.duration_minutes = 75;
        assert_eq!(edit(&database, id, p.supervisor, 1, &edited, 2).await, MeetingOutcome::Saved { version: 2 });
        assert_eq!(load(&database, id, p.anna).await.unwrap().cases, stored.cases);
        edited.cases = Vec::new();
        edit(&database, id, p.supervisor, 2, &edited, 3).await;
        assert_eq!(load(&database, id, p.anna).await.unwrap().cases, [RecordedCase { case: None, code: "C-07".to_string(), supervisee: p.anna }]);
    }

    async fn deleting_an_account_leaves_no_dangling_row(fresh: database) {
        let (database, _guard) = fresh;
        let p = people(&database).await;
        let c07 = case(&database, p.anna, "C-07").await;
        let b01 = case(&database, p.ben, "B-01").await;
        let mut details = meeting("2026-03-10", 90, &[p.anna, p.ben], &[c07, b01]);
        details.action_items = vec![item(ANNA_ITEM, Assignee::Supervisee(p.anna), false), item(BEN_ITEM, Assignee::Supervisee(p.ben), false)];
        let id = record(&database, p.supervisor, &details, &[], 1).await;
        database.add_meeting_comment(&cipher(), id, p.ben, COMMENT, 2).await.unwrap();
        database.acknowledge_meeting(id, p.ben, 1, 3).await.unwrap();
        database.sign_off_meeting(id, p.supervisor, 1, 4).await.unwrap();
        database.add_addendum(&cipher(), id, p.anna, ADDENDUM, 5).await.unwrap();

        // A supervisee leaves with what is theirs; the record stays for the others.
        execute_with(&database, "DELETE FROM users WHERE id = $1", p.ben.0).await;
        let stored = load(&database, id, p.anna).await.expect("still Anna's meeting");
        assert_eq!(stored.state.supervisees, [p.anna]);
        assert_eq!(stored.cases.iter().map(|case| case.code.as_str()).collect::<Vec<_>>(), ["C-07"]);
        assert_eq!(stored.details.action_items.iter().map(|item| item.text.as_str()).collect::<Vec<_>>(), [ANNA_ITEM]);
        assert!(stored.comments.is_empty());
        assert_eq!((stored.addenda.len(), stored.state.signed_off_at), (1, Some(4)));

        // The supervisor's account takes their meetings with it.
        execute_with(&database, "DELETE FROM users WHERE id = $1", p.supervisor.0).await;
        assert!(load(&database, id, p.anna).await.is_none());
        for table in ["meetings", "meeting_supervisees", "meeting_cases", "meeting_agenda_items", "meeting_action_items", "meeting_comments", "meeting_addenda"] {
            assert_eq!(count(&database, table).await, 0, "{table}");
        }
    }
}
