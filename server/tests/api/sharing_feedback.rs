//! The supervisor's feedback over HTTP: comment threads, replies, pacing
//! ratings and review marks between a therapist and each supervisor; the
//! counts that tell either side something is waiting; feedback that stays
//! on its row through the therapist's edits (with and without JavaScript)
//! and stays readable when the row is removed; and feedback stored only as
//! ciphertext.

use app::{
    api::{feedback::NavCounts, reflections::Editor},
    domain::{
        cases::CaseId,
        feedback::{Anchor, CommentId, Placement, ReviewState},
        reflection::{InterventionInput, ReflectionId, ReflectionInput, RowId, RowKind},
        vocabulary::{InterventionKind, PacingRating},
    },
    error::AppError,
};

use crate::{
    casework::{get_json, location, reflection_form, save_new_reflection, Form},
    helpers::{app_error, everything_stored, TestApp},
    on_both_backends,
    sharing::{
        comment, counts, ids, inbox, mark_reviewed, marked_reflection, my_feedback, overview, page,
        post_comment, rate, shared_case, shared_reflection, SharingWorld,
    },
};

/// How the fixture's second intervention (the transference interpretation)
/// is described beside feedback about it.
const INTERPRETATION: &str =
    "Intervention: Transference interpretation, late in the session, depth 4/5";
/// That intervention's text.
const INTERPRETATION_TEXT: &str = "Linked the lateness to leaving me.";

/// The editor's form for the saved reflection: its version, and the form
/// filled from it (rows with their ids).
pub async fn editing(
    app: &TestApp,
    owner: &reqwest::Client,
    case: CaseId,
    reflection: ReflectionId,
) -> (i64, ReflectionInput) {
    let editor: Editor = get_json(
        app,
        owner,
        "/api/reflections/editor",
        &ids(case, reflection).fields(),
    )
    .await;
    let saved = editor.saved.expect("a saved reflection");
    (saved.version, saved.reflection.to_input())
}

/// The editor's form for changing the reflection saved at `version`.
fn edit_form(
    case: CaseId,
    reflection: ReflectionId,
    version: i64,
    input: &ReflectionInput,
) -> Form {
    reflection_form(case, input)
        .add("reflection_id", reflection.0.to_string())
        .add("version", version.to_string())
        .add("intent", "save")
}

/// Saves the therapist's changes as the editor does with JavaScript.
pub async fn save_changes(
    app: &TestApp,
    owner: &reqwest::Client,
    case: CaseId,
    reflection: ReflectionId,
    input: &ReflectionInput,
) {
    let (version, _) = editing(app, owner, case, reflection).await;
    let form = edit_form(case, reflection, version, input);
    let response = app
        .post_form_with(owner, "/api/reflections/save", &form.fields())
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

/// Sam comments on and rates the world's transference interpretation;
/// returns the row and the comment.
async fn feedback_on_the_interpretation(app: &TestApp, world: &SharingWorld) -> (RowId, CommentId) {
    let row = world.intervention(app, 1).await;
    let sam = &world.supervisor.client;
    let anchor = format!("interventions:{}", row.0);
    let opening = comment(app, sam, world.case, world.reflection, &anchor, "Early.").await;
    let response = rate(app, sam, world.case, world.reflection, row, "too_deep", "").await;
    assert_eq!(response.status(), 200);
    (row, opening)
}

/// Both sides find the thread and the rating at intervention `row`, which
/// is still the interpretation, unchanged.
async fn assert_feedback_still_on(app: &TestApp, world: &SharingWorld, row: RowId) {
    let anchor = Anchor::Row(RowKind::Intervention, row);
    let mine = my_feedback(app, &world.therapist.client, world.case, world.reflection).await;
    assert_eq!(mine.threads_on(anchor).len(), 1, "{mine:?}");
    assert_eq!(mine.ratings_of(row).len(), 1, "{mine:?}");
    assert_eq!(mine.on_removed_rows(), (Vec::new(), Vec::new()));
    let shared =
        shared_reflection(app, &world.supervisor.client, world.case, world.reflection).await;
    assert_eq!(shared.feedback.threads_on(anchor).len(), 1, "{shared:?}");
    assert_eq!(shared.feedback.ratings_of(row).len(), 1, "{shared:?}");
    let intervention = shared
        .reflection
        .interventions
        .iter()
        .find(|intervention| intervention.id == Some(row))
        .expect("the commented row is still there");
    assert_eq!(
        (intervention.kind, intervention.text.as_str()),
        (
            InterventionKind::TransferenceInterpretation,
            INTERPRETATION_TEXT
        )
    );
}

on_both_backends! {
    async fn supervisor_and_therapist_talk_about_an_intervention(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let (case, reflection) = (world.case, world.reflection);
        assert_eq!(counts(&app, sam).await, NavCounts { supervising: true, supervision_waiting: 1, feedback_unread: 0 });
        assert_eq!(counts(&app, tess).await, NavCounts::default());

        // Sam reads the reflection, comments on an intervention, rates it, marks it reviewed.
        let row = world.intervention(&app, 1).await;
        let anchor = Anchor::Row(RowKind::Intervention, row);
        let opening = comment(&app, sam, case, reflection, &anchor.slug(), "This came early.").await;
        let response = rate(&app, sam, case, reflection, row, "too_early", "Wait until she links it herself.").await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), format!("/supervision/cases/{}/reflections/{}?rated=1#interventions-{}", case.0, reflection.0, row.0));
        let response = mark_reviewed(&app, sam, case, reflection, 1).await;
        assert_eq!(response.status(), 200);
        assert_eq!(location(&response), format!("/supervision/cases/{}/reflections/{}?reviewed=1", case.0, reflection.0));
        assert_eq!(counts(&app, sam).await.supervision_waiting, 0);
        let entry = &inbox(&app, sam).await[0];
        assert_eq!((entry.to_review, entry.unread), (0, 0));
        assert!(matches!(shared_case(&app, sam, case).await.sessions[0].review, ReviewState::Reviewed { .. }));
        let reviews = overview(&app, tess, case).await.sessions[0].reviews.clone();
        assert_eq!(reviews.len(), 1);
        assert_eq!(reviews[0].supervisor_name, "Sam Supervisor");
        assert!(matches!(reviews[0].state, ReviewState::Reviewed { .. }), "{reviews:?}");

        // Tess has a comment and a rating waiting, shown at the intervention.
        assert_eq!(counts(&app, tess).await.feedback_unread, 2);
        assert_eq!(overview(&app, tess, case).await.sessions[0].unread, 2);
        let feedback = my_feedback(&app, tess, case, reflection).await;
        let threads = feedback.threads_on(anchor);
        assert_eq!(threads.len(), 1, "{feedback:?}");
        let thread = &threads[0];
        assert_eq!((thread.supervisor, thread.supervisor_name.as_str()), (world.supervisor.user.id, "Sam Supervisor"));
        assert_eq!(thread.anchor_label, INTERPRETATION);
        let message = &thread.messages[0];
        assert_eq!((message.id, message.body.as_str(), message.author_name.as_str()), (opening, "This came early.", "Sam Supervisor"));
        assert!(message.is_new && !message.by_reader && !message.reflection_changed_since, "{message:?}");
        let ratings = feedback.ratings_of(row);
        let ratings: Vec<(PacingRating, &str, &str)> = ratings.iter().map(|r| (r.rating, r.note.as_str(), r.supervisor_name.as_str())).collect();
        assert_eq!(ratings, [(PacingRating::TooEarly, "Wait until she links it herself.", "Sam Supervisor")]);
        assert_eq!(feedback.reviews.len(), 1);
        assert_eq!(feedback.reviews[0].supervisor, world.supervisor.user.id);
        assert!(matches!(feedback.reviews[0].state, ReviewState::Reviewed { .. }), "{:?}", feedback.reviews);
        // Once read, nothing is new.
        assert_eq!(counts(&app, tess).await.feedback_unread, 0);
        assert_eq!(overview(&app, tess, case).await.sessions[0].unread, 0);
        assert!(!my_feedback(&app, tess, case, reflection).await.threads[0].messages[0].is_new);

        // Tess replies; the reply is new to Sam until he reads it.
        let reply = comment(&app, tess, case, reflection, &format!("reply_to:{}", opening.0), "I felt her leaving.").await;
        assert_eq!(counts(&app, sam).await.supervision_waiting, 1);
        assert_eq!(inbox(&app, sam).await[0].unread, 1);
        assert_eq!(shared_case(&app, sam, case).await.sessions[0].unread, 1);
        assert_eq!(counts(&app, tess).await.feedback_unread, 0, "her own reply is no news to her");
        let seen = shared_reflection(&app, sam, case, reflection).await.feedback;
        let messages: Vec<(CommentId, bool, bool)> = seen.threads_on(anchor)[0].messages.iter().map(|m| (m.id, m.by_reader, m.is_new)).collect();
        assert_eq!(messages, [(opening, true, false), (reply, false, true)]);
        assert_eq!(counts(&app, sam).await.supervision_waiting, 0);
        assert_eq!(inbox(&app, sam).await[0].unread, 0);

        // Tess edits the reflection: the review and the messages are out of date.
        let (version, mut input) = editing(&app, tess, case, reflection).await;
        assert_eq!(version, 1);
        input.enactment = "Ran over time again.".to_string();
        save_changes(&app, tess, case, reflection, &input).await;
        let feedback = my_feedback(&app, tess, case, reflection).await;
        assert!(matches!(feedback.reviews[0].state, ReviewState::ChangedSinceReview { .. }), "{:?}", feedback.reviews);
        assert!(feedback.threads[0].messages.iter().all(|m| m.reflection_changed_since), "{feedback:?}");
        assert_eq!(counts(&app, sam).await.supervision_waiting, 1);
        assert_eq!(inbox(&app, sam).await[0].to_review, 1);
        assert!(matches!(shared_case(&app, sam, case).await.sessions[0].review, ReviewState::ChangedSinceReview { .. }));

        // Marking the version read before the edit is refused; the new one is accepted.
        let response = mark_reviewed(&app, sam, case, reflection, 1).await;
        assert_eq!(response.status(), 409);
        assert_eq!(app_error(response).await, AppError::Conflict);
        let shared = shared_reflection(&app, sam, case, reflection).await;
        assert_eq!(shared.reflection.version, 2);
        assert!(matches!(shared.feedback.reviews[0].state, ReviewState::ChangedSinceReview { .. }));
        assert_eq!(mark_reviewed(&app, sam, case, reflection, 2).await.status(), 200);
        assert!(matches!(my_feedback(&app, tess, case, reflection).await.reviews[0].state, ReviewState::Reviewed { .. }));
        assert_eq!(counts(&app, sam).await.supervision_waiting, 0);
    }

    async fn each_supervisor_has_their_own_threads_and_the_therapist_sees_all(app: app) {
        let world = SharingWorld::new(&app).await;
        let uma = world.share_with(&app, "uma@example.org", "Uma Supervisor").await;
        let (tess, sam, uma) = (&world.therapist.client, &world.supervisor.client, &uma.client);
        let (case, reflection) = (world.case, world.reflection);
        let sams = comment(&app, sam, case, reflection, "reflection", "From Sam.").await;
        let umas = comment(&app, uma, case, reflection, "reflection", "From Uma.").await;

        // Uma cannot reply in Sam's thread: to her it does not exist.
        let response = post_comment(&app, uma, case, reflection, &format!("reply_to:{}", sams.0), "Butting in.").await;
        assert_eq!(response.status(), 404);
        for (client, own) in [(sam, sams), (uma, umas)] {
            let feedback = shared_reflection(&app, client, case, reflection).await.feedback;
            let openings: Vec<CommentId> = feedback.threads.iter().map(|thread| thread.opening()).collect();
            assert_eq!(openings, [own]);
        }

        // Tess sees both threads, with both reviews, and replies in each.
        let feedback = my_feedback(&app, tess, case, reflection).await;
        let threads: Vec<(CommentId, &str)> = feedback.threads.iter().map(|t| (t.opening(), t.supervisor_name.as_str())).collect();
        assert_eq!(threads, [(sams, "Sam Supervisor"), (umas, "Uma Supervisor")]);
        let mut reviews: Vec<(&str, ReviewState)> = feedback.reviews.iter().map(|r| (r.supervisor_name.as_str(), r.state)).collect();
        reviews.sort_by_key(|(name, _)| *name);
        assert_eq!(reviews, [("Sam Supervisor", ReviewState::NotReviewed), ("Uma Supervisor", ReviewState::NotReviewed)]);
        let to_sam = comment(&app, tess, case, reflection, &format!("reply_to:{}", sams.0), "Thanks, Sam.").await;
        let to_uma = comment(&app, tess, case, reflection, &format!("reply_to:{}", umas.0), "Thanks, Uma.").await;
        assert_eq!((inbox(&app, sam).await[0].unread, inbox(&app, uma).await[0].unread), (1, 1));

        // Sam answers Tess's reply: it joins his thread. Uma cannot answer it.
        let again = comment(&app, sam, case, reflection, &format!("reply_to:{}", to_sam.0), "Say more.").await;
        let response = post_comment(&app, uma, case, reflection, &format!("reply_to:{}", to_sam.0), "Me too.").await;
        assert_eq!(response.status(), 404);
        let feedback = my_feedback(&app, tess, case, reflection).await;
        let messages: Vec<Vec<CommentId>> = feedback.threads.iter().map(|t| t.messages.iter().map(|m| m.id).collect()).collect();
        assert_eq!(messages, [vec![sams, to_sam, again], vec![umas, to_uma]]);
        let umas_view = shared_reflection(&app, uma, case, reflection).await.feedback;
        assert_eq!(umas_view.threads.len(), 1);
        assert!(umas_view.threads[0].messages.iter().all(|m| m.body != "Say more." && m.body != "Thanks, Sam."));

        // The therapist replies; she does not open threads.
        let response = post_comment(&app, tess, case, reflection, "reflection", "A note to myself.").await;
        assert_eq!(response.status(), 403);
        assert!(matches!(app_error(response).await, AppError::Refused(_)));
    }

    async fn a_supervisor_rates_an_intervention_once_and_may_change_it(app: app) {
        let world = SharingWorld::new(&app).await;
        let uma = world.share_with(&app, "uma@example.org", "Uma Supervisor").await;
        let (tess, sam, uma) = (&world.therapist.client, &world.supervisor.client, &uma.client);
        let (case, reflection) = (world.case, world.reflection);
        let row = world.intervention(&app, 1).await;
        assert_eq!(rate(&app, sam, case, reflection, row, "too_early", "First thought.").await.status(), 200);
        assert_eq!(rate(&app, sam, case, reflection, row, "well_timed", "On reflection, fine.").await.status(), 200);
        assert_eq!(rate(&app, uma, case, reflection, row, "too_deep", "").await.status(), 200);

        let mine = my_feedback(&app, tess, case, reflection).await;
        let ratings = mine.ratings_of(row);
        let ratings: Vec<(&str, PacingRating, &str)> = ratings.iter().map(|r| (r.supervisor_name.as_str(), r.rating, r.note.as_str())).collect();
        assert_eq!(ratings, [("Sam Supervisor", PacingRating::WellTimed, "On reflection, fine."), ("Uma Supervisor", PacingRating::TooDeep, "")]);
        for (client, own) in [(sam, PacingRating::WellTimed), (uma, PacingRating::TooDeep)] {
            let ratings: Vec<PacingRating> = shared_reflection(&app, client, case, reflection).await.feedback.ratings.iter().map(|r| r.rating).collect();
            assert_eq!(ratings, [own]);
        }

        // A rating needs a choice from the list and a note of reasonable length.
        for (rating, note, field) in [("", "", "rating"), ("brilliant", "", "rating"), ("too_late", &"x".repeat(2_001)[..], "note")] {
            let response = rate(&app, sam, case, reflection, row, rating, note).await;
            assert_eq!(response.status(), 422, "{rating}");
            assert!(app_error(response).await.field(field).is_some(), "{rating}");
        }
        // Only an intervention of this reflection can be rated through it.
        let other = save_new_reflection(&app, tess, case, &marked_reflection(2, "2019-04-30")).await;
        let elsewhere = shared_reflection(&app, sam, case, other).await.reflection.interventions[0].id.unwrap();
        assert_eq!(rate(&app, sam, case, reflection, elsewhere, "too_late", "").await.status(), 404);
        assert_eq!(rate(&app, sam, case, reflection, RowId(999_999), "too_late", "").await.status(), 404);
        let unchanged: Vec<PacingRating> = my_feedback(&app, tess, case, reflection).await.ratings.iter().map(|r| r.rating).collect();
        assert_eq!(unchanged, [PacingRating::WellTimed, PacingRating::TooDeep]);
    }

    async fn comments_are_anchored_to_reactions_and_episodes_too(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let (case, reflection) = (world.case, world.reflection);
        let shared = shared_reflection(&app, sam, case, reflection).await.reflection;
        let reaction = shared.reactions[0].id.unwrap();
        let episode = shared.episodes[0].id.unwrap();
        // Each kind of row has its own ids: the last intervention's is no
        // reaction's and no episode's.
        let intervention = shared.interventions[2].id.unwrap();
        assert!(shared.reactions.iter().all(|r| r.id != Some(intervention)));
        assert!(shared.episodes.iter().all(|e| e.id != Some(intervention)));
        comment(&app, sam, case, reflection, &format!("reactions:{}", reaction.0), "On the helplessness.").await;
        comment(&app, sam, case, reflection, &format!("episodes:{}", episode.0), "On the episode.").await;
        let feedback = my_feedback(&app, tess, case, reflection).await;
        let labels = |anchor| feedback.threads_on(anchor).iter().map(|t| t.anchor_label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(Anchor::Row(RowKind::Reaction, reaction)), ["Reaction: Helpless / inadequate, intensity 4/5"]);
        assert_eq!(labels(Anchor::Row(RowKind::Episode, episode)), ["Relationship episode with a past figure"]);

        // An id that is no row of that kind is not found; an unknown place is malformed.
        for (anchor, status) in [(format!("episodes:{}", intervention.0), 404), (format!("reactions:{}", intervention.0), 404), ("notes:3".to_string(), 400)] {
            let response = post_comment(&app, sam, case, reflection, &anchor, "Here?").await;
            assert_eq!(response.status(), status, "{anchor}");
        }
        assert_eq!(my_feedback(&app, tess, case, reflection).await.threads.len(), 2);

        // Removing the episode keeps its thread, described.
        let (_, mut input) = editing(&app, tess, case, reflection).await;
        input.episodes.clear();
        save_changes(&app, tess, case, reflection, &input).await;
        let (threads, _) = my_feedback(&app, tess, case, reflection).await.on_removed_rows();
        let removed: Vec<(Placement, &str)> = threads.iter().map(|t| (t.placement, t.anchor_label.as_str())).collect();
        assert_eq!(removed, [(Placement::RemovedRow(RowKind::Episode), "Relationship episode with a past figure")]);
    }

    async fn feedback_stays_on_its_intervention_when_other_rows_change(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, case, reflection) = (&world.therapist.client, world.case, world.reflection);
        let (row, _) = feedback_on_the_interpretation(&app, &world).await;
        let (_, input) = editing(&app, tess, case, reflection).await;
        let [first, interpretation, third] = <[InterventionInput; 3]>::try_from(input.interventions.clone()).unwrap();
        assert_eq!(interpretation.id, row.0.to_string(), "the editor's hidden field holds the row id");

        // Tess edits and moves the third row up, removes the first, adds one.
        let mut edited = input.clone();
        let moved = InterventionInput { text: "Asked again, later.".to_string(), depth: "3".to_string(), ..third.clone() };
        let added = InterventionInput { kind: "supportive".to_string(), minute: "45".to_string(), depth: "1".to_string(), ..InterventionInput::default() };
        edited.interventions = vec![moved, interpretation, added];
        save_changes(&app, tess, case, reflection, &edited).await;
        assert_feedback_still_on(&app, &world, row).await;

        let (_, saved) = editing(&app, tess, case, reflection).await;
        let rows: Vec<(&str, &str)> = saved.interventions.iter().map(|i| (i.id.as_str(), i.text.as_str())).collect();
        assert_eq!(rows[0], (third.id.as_str(), "Asked again, later."), "an edited row keeps its id");
        assert_eq!(rows[1], (row.0.to_string().as_str(), INTERPRETATION_TEXT));
        assert!(![first.id.as_str(), third.id.as_str(), ""].contains(&rows[2].0), "a new row gets a new id: {rows:?}");
    }

    async fn without_javascript_feedback_stays_on_its_intervention_when_another_is_removed(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, case, reflection) = (&world.therapist.client, world.case, world.reflection);
        let (row, _) = feedback_on_the_interpretation(&app, &world).await;
        let (version, input) = editing(&app, tess, case, reflection).await;

        // The editor's "remove" button on the first intervention, then "save".
        let form = edit_form(case, reflection, version, &input).set("intent", "remove:interventions:0");
        let response = app.post_plain_form_with(tess, "/api/reflections/save", &form.fields()).await;
        assert_eq!(response.status(), 302);
        assert_eq!(location(&response), format!("/cases/{}/reflections/{}/edit?draft=1#interventions", case.0, reflection.0));
        let editor: Editor = get_json(&app, tess, "/api/reflections/editor", &ids(case, reflection).fields()).await;
        let draft = editor.draft.expect("the removal is kept as a draft").input;
        assert_eq!(draft.interventions, input.interventions[1..], "the remaining rows keep their ids");
        let response = app.post_plain_form_with(tess, "/api/reflections/save", &edit_form(case, reflection, version, &draft).fields()).await;
        assert_eq!(response.status(), 302);
        assert_eq!(location(&response), format!("/cases/{}/reflections/{}?saved=1", case.0, reflection.0));

        assert_feedback_still_on(&app, &world, row).await;
        let shared = shared_reflection(&app, &world.supervisor.client, case, reflection).await;
        assert_eq!(shared.reflection.interventions.len(), 2);
        assert_eq!(shared.reflection.interventions[0].id, Some(row));
    }

    async fn feedback_from_a_page_older_than_a_removal_never_lands_on_a_newer_row(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let (case, reflection) = (world.case, world.reflection);
        // Sam's page shows the last intervention; Tess then removes it, and
        // in a later save adds another.
        let removed = world.intervention(&app, 2).await;
        let (_, mut input) = editing(&app, tess, case, reflection).await;
        input.interventions.pop();
        save_changes(&app, tess, case, reflection, &input).await;
        input.interventions.push(InterventionInput { kind: "supportive".to_string(), minute: "50".to_string(), depth: "1".to_string(), ..InterventionInput::default() });
        save_changes(&app, tess, case, reflection, &input).await;
        let added = shared_reflection(&app, sam, case, reflection).await.reflection.interventions[2].id.unwrap();
        assert_ne!(added, removed, "a new row never takes the id of a removed one");

        // What Sam posts from his old page about the removed row is not found.
        let anchor = format!("interventions:{}", removed.0);
        assert_eq!(post_comment(&app, sam, case, reflection, &anchor, "About the last one.").await.status(), 404);
        assert_eq!(rate(&app, sam, case, reflection, removed, "too_late", "").await.status(), 404);
        let feedback = my_feedback(&app, tess, case, reflection).await;
        assert!(feedback.threads.is_empty() && feedback.ratings.is_empty(), "{feedback:?}");
    }

    async fn feedback_on_a_removed_intervention_stays_listed_for_both_sides(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let (case, reflection) = (world.case, world.reflection);
        let (row, opening) = feedback_on_the_interpretation(&app, &world).await;
        comment(&app, tess, case, reflection, &format!("reply_to:{}", opening.0), "Yes, too deep.").await;

        let (_, mut input) = editing(&app, tess, case, reflection).await;
        input.interventions.remove(1);
        save_changes(&app, tess, case, reflection, &input).await;

        let removed = Placement::RemovedRow(RowKind::Intervention);
        for (side, feedback) in [
            ("therapist", my_feedback(&app, tess, case, reflection).await),
            ("supervisor", shared_reflection(&app, sam, case, reflection).await.feedback),
        ] {
            assert!(feedback.threads_on(Anchor::Row(RowKind::Intervention, row)).is_empty(), "{side}");
            let (threads, ratings) = feedback.on_removed_rows();
            let threads: Vec<(Placement, &str, usize)> = threads.iter().map(|t| (t.placement, t.anchor_label.as_str(), t.messages.len())).collect();
            assert_eq!(threads, [(removed, INTERPRETATION, 2)], "{side}");
            let ratings: Vec<(Placement, &str, PacingRating)> = ratings.iter().map(|r| (r.placement, r.anchor_label.as_str(), r.rating)).collect();
            assert_eq!(ratings, [(removed, INTERPRETATION, PacingRating::TooDeep)], "{side}");
        }
        for (client, path) in [
            (sam, format!("/supervision/cases/{}/reflections/{}", case.0, reflection.0)),
            (tess, format!("/cases/{}/reflections/{}", case.0, reflection.0)),
        ] {
            let html = page(&app, client, &path).await.text().await.unwrap();
            assert!(html.contains("About parts removed since") && html.contains(INTERPRETATION), "{path}: {html}");
        }

        // The row is gone: no new thread on it, but its thread goes on.
        let response = post_comment(&app, sam, case, reflection, &format!("interventions:{}", row.0), "Still?").await;
        assert_eq!(response.status(), 404);
        comment(&app, sam, case, reflection, &format!("reply_to:{}", opening.0), "Good that you saw it.").await;
        assert_eq!(my_feedback(&app, tess, case, reflection).await.on_removed_rows().0[0].messages.len(), 3);
    }

    async fn comments_and_rating_notes_are_stored_only_as_ciphertext(app: app) {
        const SECRET: &str = "Zephyrine";
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist.client, &world.supervisor.client);
        let (case, reflection) = (world.case, world.reflection);
        let row = world.intervention(&app, 1).await;
        let opening = comment(&app, sam, case, reflection, &format!("interventions:{}", row.0), &format!("{SECRET} would flinch here.")).await;
        comment(&app, tess, case, reflection, &format!("reply_to:{}", opening.0), &format!("{SECRET} did.")).await;
        assert_eq!(rate(&app, sam, case, reflection, row, "too_early", &format!("Ask {SECRET} first.")).await.status(), 200);
        // The app itself reads them back.
        let feedback = my_feedback(&app, tess, case, reflection).await;
        assert_eq!(feedback.threads[0].messages[1].body, format!("{SECRET} did."));
        assert_eq!(feedback.ratings[0].note, format!("Ask {SECRET} first."));

        let everything = everything_stored(&app.database).await;
        let readable: Vec<&(String, String)> = everything
            .iter()
            .filter(|(_, value)| value.to_lowercase().contains(&SECRET.to_lowercase()))
            .collect();
        assert!(readable.is_empty(), "readable at rest: {readable:?}");
        // The scan does see the feedback tables: what is stored plain is structure.
        assert!(everything.iter().any(|(place, value)| place == "comments.body_sealed" && value.starts_with("v2.")));
        assert!(everything.iter().any(|(place, value)| place == "pacing_ratings.note_sealed" && value.starts_with("v2.")));
        assert!(everything.iter().any(|(place, value)| place == "comments.anchor_label" && value == INTERPRETATION));
    }

    async fn the_header_a_reflection_page_shows_is_the_one_the_browser_hydrates(app: app) {
        // Opening a reflection marks its feedback read while the page
        // renders, so the header's counts change under it. The page must
        // carry one serialised value for them (the one the browser hydrates
        // the header with) and show that same value; a second fetch made
        // during rendering could disagree, and the browser could not hydrate.
        let world = SharingWorld::new(&app).await;
        feedback_on_the_interpretation(&app, &world).await;
        let path = format!("/cases/{}/reflections/{}", world.case.0, world.reflection.0);
        let response = page(&app, &world.therapist.client, &path).await;
        assert_eq!(response.status(), 200);
        let body = response.text().await.unwrap();
        assert!(body.contains("from supervision, marked New below."), "{body}");
        let serialised: Vec<&str> = body
            .split(r#"feedback_unread\":"#)
            .skip(1)
            .map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next().unwrap())
            .collect();
        assert_eq!(serialised.len(), 1, "the header's counts are fetched and sent once: {body}");
        let header = &body[body.find("<header").unwrap()..body.find("</header>").unwrap()];
        let badge = r#"title="New feedback from supervision" class="badge">"#;
        let shown = header
            .split_once(badge)
            .map_or("0", |(_, rest)| rest.split('<').next().unwrap());
        assert_eq!(shown, serialised[0], "{header}");
    }
}
