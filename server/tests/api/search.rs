//! The search index over sealed text: what it stores (nothing readable, and
//! nothing that links one therapist's words to another's), that it follows
//! edits, deletions, reflections written before it existed and a key
//! rotation, and that results come a page at a time, counted in full.

use app::{
    domain::{
        accounts::UserId,
        reflection::{ReflectionId, ReflectionInput, ReflectionRules},
        search::{SearchInput, RESULTS_PER_PAGE},
        time::parse_iso_date,
    },
    server::{
        crypto::FieldCipher,
        repo::{Database, OwnersCase},
        search::search_reflections,
    },
};

use crate::{
    casework::{
        create_case, reflection_form, save_new_reflection, search_as, short_reflection, therapist,
    },
    helpers::{count, everything_stored, TestApp, TEST_DATA_KEY},
    on_both_backends, with_pool,
};

const NEW_KEY: &str = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";

async fn found(app: &TestApp, client: &reqwest::Client, words: &str) -> Vec<ReflectionId> {
    search_as(app, client, &[("words", words)])
        .await
        .hits
        .iter()
        .map(|hit| hit.reflection_id)
        .collect()
}

fn with_notes(session: u32, date: &str, notes: &str) -> ReflectionInput {
    ReflectionInput {
        private_notes: notes.to_string(),
        ..short_reflection(session, date)
    }
}

/// Every term stored, with its owner and reflection.
async fn stored_terms(database: &Database) -> Vec<(i64, i64, i64)> {
    with_pool!(database, |pool| sqlx::query_as(
        "SELECT owner_id, term, reflection_id FROM search_terms ORDER BY owner_id, term"
    )
    .fetch_all(pool)
    .await)
    .unwrap()
}

async fn owner_of(database: &Database, reflection: ReflectionId) -> UserId {
    let (owner,): (i64,) = with_pool!(database, |pool| sqlx::query_as(
        "SELECT c.owner_id FROM reflections r JOIN cases c ON c.id = r.case_id WHERE r.id = $1"
    )
    .bind(reflection.0)
    .fetch_one(pool)
    .await)
    .unwrap();
    UserId(owner)
}

on_both_backends! {
    async fn the_index_holds_no_readable_word_and_links_no_two_therapists(app: app) {
        let ana = app.new_client();
        therapist(&app, &ana, "ana@example.org").await;
        let anas_case = create_case(&app, &ana, "A-01").await;
        let anas = save_new_reflection(&app, &ana, anas_case, &with_notes(1, "2026-02-02", "Quillfeather dreamt of the lighthouse.")).await;
        let ben = app.new_client();
        therapist(&app, &ben, "ben@example.org").await;
        let bens_case = create_case(&app, &ben, "B-01").await;
        let bens = save_new_reflection(&app, &ben, bens_case, &with_notes(1, "2026-02-02", "Quillfeather dreamt of the lighthouse.")).await;
        assert_eq!(found(&app, &ana, "quillfeather lighthouse").await, [anas]);
        assert_eq!(found(&app, &ben, "QUILLFEATHER").await, [bens]);

        // Each reflection's distinct words ("a warm session" and the notes)
        // are in the index, as numbers, and nothing else is.
        let terms = stored_terms(&app.database).await;
        let of = |reflection: ReflectionId| -> Vec<i64> {
            terms.iter().filter(|(_, _, id)| *id == reflection.0).map(|(_, term, _)| *term).collect()
        };
        assert_eq!(of(anas).len(), 8, "{terms:?}");
        assert_eq!(of(bens).len(), 8, "{terms:?}");
        // The same words give unrelated terms for another therapist.
        assert!(of(anas).iter().all(|term| !of(bens).contains(term)), "{terms:?}");
        // A term is the keyed hash of the word: the key is needed to check a guess.
        let owner = owner_of(&app.database, anas).await;
        let with_key = FieldCipher::from_hex(TEST_DATA_KEY).unwrap();
        assert!(of(anas).contains(&with_key.search_term(owner.0, "quillfeather")));
        let without_key = FieldCipher::from_hex(NEW_KEY).unwrap();
        assert!(!of(anas).contains(&without_key.search_term(owner.0, "quillfeather")));
        // No word is readable anywhere in the database, in any form.
        for word in ["quillfeather", "Quillfeather", "lighthouse", "dreamt"] {
            let readable: Vec<_> = everything_stored(&app.database).await.into_iter().filter(|(_, value)| value.contains(word)).collect();
            assert!(readable.is_empty(), "{word} stored readable: {readable:?}");
        }
    }

    async fn search_follows_edits_and_deleted_cases(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "A-01").await;
        let id = save_new_reflection(&app, &app.client, case, &with_notes(1, "2026-02-02", "The lighthouse again.")).await;
        assert_eq!(found(&app, &app.client, "lighthouse").await, [id]);

        let changed = with_notes(1, "2026-02-02", "The harbour now.");
        let form = reflection_form(case, &changed)
            .add("reflection_id", id.0.to_string())
            .add("version", "1")
            .add("intent", "save");
        assert_eq!(app.post_form("/api/reflections/save", &form.fields()).await.status(), 200);
        assert!(found(&app, &app.client, "lighthouse").await.is_empty(), "an edit's removed words are not found");
        assert_eq!(found(&app, &app.client, "harbour").await, [id]);

        let response = app.post_form("/api/cases/delete", &[("case_id", &case.0.to_string()), ("confirm_code", "A-01")]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(count(&app, "search_terms").await, 0);
    }

    async fn reflections_written_before_the_index_existed_are_indexed_by_the_next_search(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "A-01").await;
        let first = save_new_reflection(&app, &app.client, case, &with_notes(1, "2026-02-02", "The lighthouse.")).await;
        let second = save_new_reflection(&app, &app.client, case, &with_notes(2, "2026-02-09", "A lighthouse keeper.")).await;
        assert_eq!(found(&app, &app.client, "lighthouse").await, [second, first]);
        // As after the upgrade that added the index: nothing indexed.
        with_pool!(&app.database, |pool| sqlx::query("DELETE FROM search_terms").execute(pool).await.map(|_| ())).unwrap();
        with_pool!(&app.database, |pool| sqlx::query("UPDATE reflections SET search_version = NULL").execute(pool).await.map(|_| ())).unwrap();
        assert_eq!(found(&app, &app.client, "lighthouse").await, [second, first]);
        assert_eq!(found(&app, &app.client, "keeper").await, [second]);
        assert_eq!(count(&app, "reflections WHERE search_version = version").await, 2);
    }

    async fn after_a_key_rotation_the_index_is_made_again_with_the_new_key(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "A-01").await;
        let id = save_new_reflection(&app, &app.client, case, &with_notes(1, "2026-02-02", "The lighthouse.")).await;
        assert_eq!(found(&app, &app.client, "lighthouse").await, [id]);
        let owner = owner_of(&app.database, id).await;
        let old_terms = stored_terms(&app.database).await;

        let ring = FieldCipher::from_hex(&format!("{NEW_KEY},{TEST_DATA_KEY}")).unwrap();
        app.database.rotate_data_key(&ring, 1).await.expect("rotation");
        let query = SearchInput { words: "lighthouse".to_string(), ..SearchInput::default() }.parse().unwrap();
        let (hits, total) = search_reflections(&app.database, &ring, owner, &query).await.expect("search");
        assert_eq!((hits.len(), total), (1, 1));
        assert_eq!(hits[0].reflection_id, id);
        let new_terms = stored_terms(&app.database).await;
        assert_eq!(new_terms.len(), old_terms.len());
        assert!(new_terms.iter().all(|term| !old_terms.contains(term)), "every term made again");
        let new_only = FieldCipher::from_hex(NEW_KEY).unwrap();
        assert!(new_terms.iter().any(|(_, term, _)| *term == new_only.search_term(owner.0, "lighthouse")));
    }

    async fn results_come_a_page_at_a_time_counted_in_full_newest_first(app: app) {
        therapist(&app, &app.client, "ana@example.org").await;
        let case = create_case(&app, &app.client, "A-01").await;
        let owner = {
            let first = save_new_reflection(&app, &app.client, case, &with_notes(1, "2026-02-01", "Lighthouse one.")).await;
            owner_of(&app.database, first).await
        };
        // Written through the repository, as the editor's save does, for speed.
        let cipher = FieldCipher::from_hex(TEST_DATA_KEY).unwrap();
        let total = RESULTS_PER_PAGE + 12;
        for session in 2..=total as u32 {
            let notes = if session % 2 == 0 { "Lighthouse again." } else { "Lighthouse and harbour." };
            let date = format!("2026-{:02}-{:02}", 2 + session / 28, 1 + session % 28);
            let reflection = with_notes(session, &date, notes)
                .validate(ReflectionRules { today: parse_iso_date("2030-01-01").unwrap(), case_start: 0 })
                .unwrap();
            app.database.insert_reflection(&cipher, OwnersCase { owner, case }, &reflection, 0).await.unwrap();
        }
        let first_page = search_as(&app, &app.client, &[("words", "lighthouse")]).await;
        assert_eq!((first_page.total, first_page.hits.len()), (total, RESULTS_PER_PAGE));
        let numbers: Vec<u32> = first_page.hits.iter().map(|hit| hit.session_number).collect();
        assert_eq!(numbers[..3], [total as u32, total as u32 - 1, total as u32 - 2], "newest first");
        let second_page = search_as(&app, &app.client, &[("words", "lighthouse"), ("page", "2")]).await;
        assert_eq!((second_page.total, second_page.hits.len()), (total, 12));
        assert_eq!(second_page.hits.last().unwrap().session_number, 1);
        let harbour = search_as(&app, &app.client, &[("words", "harbour lighthouse")]).await;
        assert_eq!(harbour.total, (2..=total).filter(|session| session % 2 == 1).count());
        assert!(harbour.hits.iter().all(|hit| hit.passage.as_ref().unwrap().matched == "harbour"));
    }
}
