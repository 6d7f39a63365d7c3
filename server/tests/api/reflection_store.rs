//! The repository of cases, reflections and drafts, below the server
//! functions: owner scoping, uniqueness, versions, cascades and the data
//! key, on both backends.

use app::{
    domain::{
        accounts::UserId,
        cases::{CaseDetails, CaseId},
        reflection::{Reflection, ReflectionId, ReflectionInput, ReflectionRules},
        sharing::{ShareId, ShareScope},
        time::parse_iso_date,
        vocabulary::{CaseStatus, Modality, SessionFrequency, ShareBasis},
    },
    server::{
        crypto::FieldCipher,
        repo::{
            DataKeyRefusal, Database, NewDraft, NewShare, NewUser, OwnersCase, ReflectionFilter,
            RepoError, UpdateOutcome,
        },
    },
};

use crate::{
    casework::{full_reflection, short_reflection, without_row_ids},
    helpers::TEST_DATA_KEY,
    on_both_backends,
};

fn cipher() -> FieldCipher {
    FieldCipher::from_hex(TEST_DATA_KEY).unwrap()
}

async fn user(database: &Database, email: &str) -> UserId {
    database
        .create_user(&NewUser {
            email,
            display_name: "Test",
            password_hash: "x",
            is_admin: false,
            created_at: 1,
        })
        .await
        .unwrap()
        .id
}

fn details(code: &str) -> CaseDetails {
    CaseDetails {
        code: code.to_string(),
        modality: Modality::Psychoanalytic,
        frequency: SessionFrequency::ThreeOrMoreWeekly,
        start_date: "2026-01-05".to_string(),
        planned_sessions: None,
        names_to_watch: vec!["Marguerite".to_string(), "Theodor".to_string()],
    }
}

async fn case(database: &Database, owner: UserId, code: &str) -> CaseId {
    database
        .create_case(&cipher(), owner, &details(code), 10)
        .await
        .unwrap()
}

/// A form as the app would have validated it.
fn valid(input: ReflectionInput) -> Reflection {
    input
        .validate(ReflectionRules {
            today: parse_iso_date("2030-01-01").unwrap(),
            case_start: parse_iso_date("2026-01-05").unwrap(),
        })
        .unwrap()
}

async fn count(database: &Database, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let (count,): (i64,) = match database {
        Database::Sqlite(pool) => sqlx::query_as(&sql).fetch_one(pool).await.unwrap(),
        Database::Postgres(pool) => sqlx::query_as(&sql).fetch_one(pool).await.unwrap(),
    };
    count
}

/// Keeps a draft: the one place these tests call `save_draft`.
async fn keep_draft(
    database: &Database,
    owner: UserId,
    case: CaseId,
    reflection: Option<ReflectionId>,
    base_version: Option<i64>,
    input: &ReflectionInput,
    now: i64,
) {
    let draft = NewDraft {
        owner,
        case,
        reflection,
        base_version,
        input,
        now,
    };
    database.save_draft(&cipher(), &draft).await.unwrap();
}

fn ids(reflections: &[app::domain::reflection::StoredReflection]) -> Vec<ReflectionId> {
    reflections.iter().map(|stored| stored.id).collect()
}

on_both_backends! {
    async fn saving_keeps_each_rows_identity_through_edits(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let c07 = case(&database, ana, "C-07").await;
        let id = database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, &valid(full_reflection(1, "2026-02-02")), 1).await.unwrap();
        let stored = database.reflection_of(&cipher(), ana, c07, id).await.unwrap().unwrap();
        let interventions: Vec<_> = stored.reflection.interventions.iter().map(|row| row.id.unwrap()).collect();
        assert_eq!(interventions.len(), 3);

        // Reorder the interventions, edit the one kept in the middle, remove
        // the first, and add a new one.
        let mut edited = stored.reflection.clone();
        let mut rows = edited.interventions.clone();
        rows.remove(0);
        rows.reverse();
        rows[1].depth = 5;
        let mut added = rows[0].clone();
        added.id = None;
        rows.push(added);
        edited.interventions = rows;
        database.update_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, id, 1, &edited, 2).await.unwrap();

        let after = database.reflection_of(&cipher(), ana, c07, id).await.unwrap().unwrap();
        let ids: Vec<_> = after.reflection.interventions.iter().map(|row| row.id.unwrap()).collect();
        assert_eq!(&ids[..2], [interventions[2], interventions[1]], "kept rows keep their ids, in the new order");
        assert!(!interventions.contains(&ids[2]), "an added row gets a new id");
        assert_eq!(after.reflection.interventions[1].depth, 5, "edited in place");
        assert_eq!(count(&database, "interventions").await, 3, "the removed row is gone");

        // An id that belongs to another reflection is written as a new row,
        // never taken over.
        let other = database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, &valid(short_reflection(2, "2026-02-09")), 3).await.unwrap();
        let mut foreign = valid(short_reflection(2, "2026-02-09"));
        foreign.reactions[0].id = after.reflection.reactions[0].id;
        database.update_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, other, 1, &foreign, 4).await.unwrap();
        let untouched = database.reflection_of(&cipher(), ana, c07, id).await.unwrap().unwrap();
        assert_eq!(untouched.reflection.reactions, after.reflection.reactions);
        let theirs = database.reflection_of(&cipher(), ana, c07, other).await.unwrap().unwrap();
        assert_ne!(theirs.reflection.reactions[0].id, after.reflection.reactions[0].id);
    }

    async fn a_reflection_reads_back_as_stored_for_its_owner_only(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let ben = user(&database, "ben@example.org").await;
        let c07 = case(&database, ana, "C-07").await;
        let other = case(&database, ana, "C-08").await;
        let reflection = valid(full_reflection(3, "2026-03-02"));
        let id = database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, &reflection, 20).await.unwrap();

        let stored = database.reflection_of(&cipher(), ana, c07, id).await.unwrap().expect("the reflection");
        assert_eq!(without_row_ids(stored.reflection.clone()), reflection);
        assert_eq!((stored.id, stored.case_id, stored.case_code.as_str(), stored.version, stored.updated_at), (id, c07, "C-07", 1, 20));
        assert!(database.reflection_of(&cipher(), ben, c07, id).await.unwrap().is_none(), "not Ben's");
        assert!(database.reflection_of(&cipher(), ana, other, id).await.unwrap().is_none(), "not in that case");
        assert!(database.case_of(&cipher(), ben, c07).await.unwrap().is_none());
        assert_eq!(database.case_of(&cipher(), ana, c07).await.unwrap().unwrap().details, details("C-07"));
    }

    async fn a_session_number_is_taken_once_per_case(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let first = case(&database, ana, "C-01").await;
        let second = case(&database, ana, "C-02").await;
        database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: first }, &valid(short_reflection(1, "2026-02-02")), 1).await.unwrap();
        let again = database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: first }, &valid(full_reflection(1, "2026-02-09")), 2).await;
        assert!(matches!(again, Err(RepoError::Duplicate)), "{again:?}");
        assert_eq!(count(&database, "reactions").await, 1, "the refused insert left no rows");
        database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: second }, &valid(short_reflection(1, "2026-02-02")), 3).await.unwrap();
        assert_eq!(database.next_session_number(first).await.unwrap(), 2);
        assert_eq!(database.next_session_number(case(&database, ana, "C-03").await).await.unwrap(), 1);
    }

    async fn an_update_applies_only_to_the_version_it_started_from(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let c07 = case(&database, ana, "C-07").await;
        let other = case(&database, ana, "C-08").await;
        let id = database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, &valid(full_reflection(1, "2026-02-02")), 1).await.unwrap();

        let shorter = valid(short_reflection(1, "2026-02-03"));
        let saved = database.update_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, id, 1, &shorter, 2).await.unwrap();
        assert_eq!(saved, UpdateOutcome::Saved { version: 2 });
        let stored = database.reflection_of(&cipher(), ana, c07, id).await.unwrap().unwrap();
        assert_eq!((without_row_ids(stored.reflection.clone()), stored.version, stored.updated_at), (shorter.clone(), 2, 2));
        // The rows of the longer version are gone, not left behind.
        assert_eq!((count(&database, "reactions").await, count(&database, "interventions").await, count(&database, "episodes").await), (1, 0, 0));

        let stale = database.update_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, id, 1, &valid(full_reflection(1, "2026-02-02")), 3).await.unwrap();
        assert_eq!(stale, UpdateOutcome::Stale);
        assert_eq!(database.reflection_of(&cipher(), ana, c07, id).await.unwrap().unwrap(), stored, "nothing written");
        let missing = database.update_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, ReflectionId(id.0 + 100), 1, &shorter, 3).await.unwrap();
        assert_eq!(missing, UpdateOutcome::Missing);
        let elsewhere = database.update_reflection(&cipher(), OwnersCase { owner: ana, case: other }, id, 2, &shorter, 3).await.unwrap();
        assert_eq!(elsewhere, UpdateOutcome::Missing, "a reflection is reached through its own case only");

        database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, &valid(short_reflection(2, "2026-02-09")), 4).await.unwrap();
        let clash = database.update_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, id, 2, &valid(short_reflection(2, "2026-02-03")), 5).await;
        assert!(matches!(clash, Err(RepoError::Duplicate)), "{clash:?}");
        assert_eq!(database.reflection_of(&cipher(), ana, c07, id).await.unwrap().unwrap(), stored);
    }

    async fn writes_check_the_owner_themselves_whatever_the_caller_checked(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let ben = user(&database, "ben@example.org").await;
        let sam = user(&database, "sam@example.org").await;
        let c07 = case(&database, ana, "C-07").await;
        let id = database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, &valid(full_reflection(1, "2026-02-02")), 1).await.unwrap();

        // Ben names Ana's case: nothing is written.
        let theirs = database.insert_reflection(&cipher(), OwnersCase { owner: ben, case: c07 }, &valid(short_reflection(2, "2026-02-09")), 2).await;
        assert!(matches!(theirs, Err(RepoError::NotFound)), "{theirs:?}");
        let changed = database.update_reflection(&cipher(), OwnersCase { owner: ben, case: c07 }, id, 1, &valid(short_reflection(1, "2026-02-02")), 3).await.unwrap();
        assert_eq!(changed, UpdateOutcome::Missing);
        let stored = database.reflection_of(&cipher(), ana, c07, id).await.unwrap().unwrap();
        assert_eq!(stored.version, 1);
        assert_eq!(without_row_ids(stored.reflection), valid(full_reflection(1, "2026-02-02")));
        assert_eq!(database.list_cases(ana, None).await.unwrap()[0].sessions, 1);

        // Nor can Ben share Ana's case, or change or revoke her share.
        let scope = ShareScope { excluded: Vec::new(), expires_on: None };
        let share = |owner| NewShare { owner, case: c07, supervisor: sam, basis: ShareBasis::Training, scope: &scope, now: 4 };
        assert!(matches!(database.create_share(&share(ben)).await, Err(RepoError::NotFound)));
        let shared: ShareId = database.create_share(&share(ana)).await.unwrap();
        let narrower = ShareScope { excluded: vec![id], expires_on: Some("2026-12-31".to_string()) };
        assert!(!database.update_share_scope(ben, c07, shared, &narrower, 5).await.unwrap());
        assert!(!database.revoke_share(ben, c07, shared, 6).await.unwrap());
        assert!(database.open_share(c07, sam, "2026-11-30").await.unwrap().is_some(), "Ana's share is untouched");
        assert!(database.revoke_share(ana, c07, shared, 7).await.unwrap());
    }

    async fn case_codes_are_unique_per_owner_ignoring_letter_case(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let ben = user(&database, "ben@example.org").await;
        case(&database, ana, "C-07").await;
        let again = database.create_case(&cipher(), ana, &details("c-07"), 2).await;
        assert!(matches!(again, Err(RepoError::Duplicate)), "{again:?}");
        case(&database, ben, "C-07").await;
        let c08 = case(&database, ana, "C-08").await;
        let renamed = database.update_case(&cipher(), ana, c08, &details("C-07"), 3).await;
        assert!(matches!(renamed, Err(RepoError::Duplicate)), "{renamed:?}");
        assert!(database.update_case(&cipher(), ana, c08, &details("c-08"), 3).await.unwrap(), "its own code in other letters");

        // Letters beyond ASCII fold too, whatever the backend's own `lower` does.
        case(&database, ana, "Élan-2").await;
        let accented = database.create_case(&cipher(), ana, &details("élan-2"), 4).await;
        assert!(matches!(accented, Err(RepoError::Duplicate)), "{accented:?}");
        let renamed = database.update_case(&cipher(), ana, c08, &details("ÉLAN-2"), 5).await;
        assert!(matches!(renamed, Err(RepoError::Duplicate)), "{renamed:?}");
        assert!(database.update_case(&cipher(), ana, c08, &details("Ça-8"), 6).await.unwrap());
        case(&database, ben, "élan-2").await;
        // …and an accent typed as a letter and a combining mark is the same code.
        let decomposed = database.create_case(&cipher(), ana, &details("e\u{0301}lan-2"), 7).await;
        assert!(matches!(decomposed, Err(RepoError::Duplicate)), "{decomposed:?}");
    }

    async fn cases_are_changed_by_their_owner_only(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let ben = user(&database, "ben@example.org").await;
        let c07 = case(&database, ana, "C-07").await;
        assert!(!database.update_case(&cipher(), ben, c07, &details("B-07"), 2).await.unwrap());
        assert!(!database.set_case_status(ben, c07, CaseStatus::Closed, 2).await.unwrap());
        assert!(!database.delete_case(ben, c07).await.unwrap());
        let unchanged = database.case_of(&cipher(), ana, c07).await.unwrap().unwrap();
        assert_eq!((unchanged.details.code.as_str(), unchanged.status), ("C-07", CaseStatus::Active));
        assert!(database.list_cases(ben, None).await.unwrap().is_empty());
    }

    async fn the_case_list_counts_sessions_and_filters_by_status(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let b = case(&database, ana, "b-2").await;
        let a = case(&database, ana, "A-1").await;
        let z = case(&database, ana, "Z-3").await;
        for (number, date) in [(1, "2026-02-02"), (2, "2026-03-02")] {
            database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: b }, &valid(short_reflection(number, date)), 1).await.unwrap();
        }
        assert!(database.set_case_status(ana, a, CaseStatus::Closed, 2).await.unwrap());

        let all = database.list_cases(ana, None).await.unwrap();
        let summary: Vec<_> = all.iter().map(|case| (case.id, case.status, case.sessions, case.last_reflection.as_deref())).collect();
        assert_eq!(
            summary,
            [(b, CaseStatus::Active, 2, Some("2026-03-02")), (z, CaseStatus::Active, 0, None), (a, CaseStatus::Closed, 0, None)]
        );
        let active: Vec<CaseId> = database.list_cases(ana, Some(CaseStatus::Active)).await.unwrap().iter().map(|case| case.id).collect();
        assert_eq!(active, [b, z]);
        let closed: Vec<CaseId> = database.list_cases(ana, Some(CaseStatus::Closed)).await.unwrap().iter().map(|case| case.id).collect();
        assert_eq!(closed, [a]);
    }

    async fn drafts_are_kept_one_per_case_and_reflection(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let ben = user(&database, "ben@example.org").await;
        let c07 = case(&database, ana, "C-07").await;
        let id = database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, &valid(short_reflection(1, "2026-02-02")), 1).await.unwrap();

        let new_one = full_reflection(2, "2026-02-09");
        keep_draft(&database, ana, c07, None, None, &short_reflection(2, ""), 5).await;
        keep_draft(&database, ana, c07, None, None, &new_one, 6).await;
        let edit = short_reflection(1, "2026-02-03");
        keep_draft(&database, ana, c07, Some(id), Some(1), &edit, 7).await;
        assert_eq!(count(&database, "drafts").await, 2, "a later draft replaces the earlier one");

        let draft = database.draft(&cipher(), ana, c07, None).await.unwrap().unwrap();
        assert_eq!((draft.input, draft.base_version, draft.updated_at), (new_one, None, 6));
        let draft = database.draft(&cipher(), ana, c07, Some(id)).await.unwrap().unwrap();
        assert_eq!((draft.input, draft.base_version, draft.updated_at), (edit, Some(1), 7));
        assert!(database.draft(&cipher(), ben, c07, None).await.unwrap().is_none());

        let listed: Vec<_> = database.list_drafts(&cipher(), ana).await.unwrap().into_iter().map(|d| (d.reflection_id, d.session_number, d.case_code)).collect();
        assert_eq!(listed, [(Some(id), "1".to_string(), "C-07".to_string()), (None, "2".to_string(), "C-07".to_string())], "newest first");
        assert!(database.list_drafts(&cipher(), ben).await.unwrap().is_empty());

        database.delete_draft(ben, c07, None).await.unwrap();
        assert_eq!(count(&database, "drafts").await, 2, "Ben cannot delete Ana's draft");
        database.delete_draft(ana, c07, None).await.unwrap();
        assert!(database.draft(&cipher(), ana, c07, None).await.unwrap().is_none());
        assert!(database.draft(&cipher(), ana, c07, Some(id)).await.unwrap().is_some());
    }

    async fn deleting_a_case_takes_its_reflections_their_rows_and_drafts(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let gone = case(&database, ana, "C-07").await;
        let kept = case(&database, ana, "C-08").await;
        database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: gone }, &valid(full_reflection(1, "2026-02-02")), 1).await.unwrap();
        database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: kept }, &valid(short_reflection(1, "2026-02-02")), 1).await.unwrap();
        keep_draft(&database, ana, gone, None, None, &full_reflection(2, ""), 2).await;
        keep_draft(&database, ana, kept, None, None, &full_reflection(2, ""), 2).await;

        assert!(database.delete_case(ana, gone).await.unwrap());
        assert!(database.case_of(&cipher(), ana, gone).await.unwrap().is_none());
        for (table, left) in [("reflections", 1), ("reactions", 1), ("interventions", 0), ("episodes", 0), ("drafts", 1)] {
            assert_eq!(count(&database, table).await, left, "{table}");
        }
        assert!(!database.delete_case(ana, gone).await.unwrap(), "already gone");
    }

    async fn loading_filters_by_case_and_inclusive_dates_newest_first(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let ben = user(&database, "ben@example.org").await;
        let first = case(&database, ana, "C-01").await;
        let second = case(&database, ana, "C-02").await;
        let bens = case(&database, ben, "B-01").await;
        let insert = |owner: UserId, case: CaseId, number: u32, date: &'static str| {
            let database = database.clone();
            async move { database.insert_reflection(&cipher(), OwnersCase { owner, case }, &valid(short_reflection(number, date)), 1).await.unwrap() }
        };
        let feb = insert(ana, first, 1, "2026-02-02").await;
        let mar = insert(ana, first, 2, "2026-03-02").await;
        let apr = insert(ana, second, 1, "2026-04-06").await;
        insert(ben, bens, 1, "2026-03-02").await;

        let load = |filter: ReflectionFilter| {
            let database = database.clone();
            async move { ids(&database.load_reflections(&cipher(), ana, &filter).await.unwrap()) }
        };
        assert_eq!(load(ReflectionFilter::default()).await, [apr, mar, feb]);
        assert_eq!(load(ReflectionFilter { case: Some(first), ..Default::default() }).await, [mar, feb]);
        assert!(load(ReflectionFilter { case: Some(bens), ..Default::default() }).await.is_empty());
        let between = |from: &str, to: &str| ReflectionFilter { from: Some(from.to_string()), to: Some(to.to_string()), ..Default::default() };
        assert_eq!(load(between("2026-03-02", "2026-04-06")).await, [apr, mar]);
        assert!(load(between("2026-02-03", "2026-03-01")).await.is_empty());
        assert_eq!(load(ReflectionFilter { from: Some("2026-03-01".to_string()), case: Some(first), ..Default::default() }).await, [mar]);
    }

    async fn the_data_key_is_checked_against_the_one_the_database_was_written_with(fresh: database) {
        let (database, _guard) = fresh;
        database.check_data_keys(&cipher(), 1).await.expect("the first key is recorded");
        database.check_data_keys(&cipher(), 2).await.expect("and accepted again");
        let other = FieldCipher::from_hex(&"ab".repeat(32)).unwrap();
        let refused = database.check_data_keys(&other, 3).await;
        assert!(matches!(refused, Err(RepoError::DataKeys(DataKeyRefusal::MissingKey(_)))), "{refused:?}");

        // Text sealed with one key cannot be read with another.
        let ana = user(&database, "ana@example.org").await;
        let c07 = case(&database, ana, "C-07").await;
        let id = database.insert_reflection(&cipher(), OwnersCase { owner: ana, case: c07 }, &valid(full_reflection(1, "2026-02-02")), 1).await.unwrap();
        let unreadable = database.reflection_of(&other, ana, c07, id).await;
        assert!(matches!(unreadable, Err(RepoError::Sealed(_))), "{unreadable:?}");
        let unreadable = database.case_of(&other, ana, c07).await;
        assert!(matches!(unreadable, Err(RepoError::Sealed(_))), "{unreadable:?}");
    }
}
