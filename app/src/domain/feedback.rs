//! A supervisor's feedback on a shared reflection: comment threads anchored
//! to the reflection or to one of its rows, pacing ratings of
//! interventions, and the review mark. Pure: grouping, states and wording.

use serde::{Deserialize, Serialize};

use super::{
    accounts::UserId,
    cases::CaseId,
    reflection::{Episode, Intervention, Reaction, ReflectionId, RowId, RowKind},
    sharing::{ShareStatus, ShareSummary},
    vocabulary::PacingRating,
};

pub const COMMENT_MAX_CHARS: usize = 4_000;
pub const RATING_NOTE_MAX_CHARS: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CommentId(pub i64);

/// What a comment is about: the whole reflection, or one of its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Anchor {
    Reflection,
    Row(RowKind, RowId),
}

impl Anchor {
    /// The posted form: `reflection`, or the row's kind and id (`interventions:12`).
    pub fn slug(self) -> String {
        match self {
            Anchor::Reflection => "reflection".to_string(),
            Anchor::Row(kind, id) => format!("{}:{}", kind.slug(), id.0),
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().split_once(':') {
            None if text.trim() == "reflection" => Some(Anchor::Reflection),
            Some((kind, id)) => Some(Anchor::Row(RowKind::parse(kind)?, RowId(id.parse().ok()?))),
            None => None,
        }
    }
}

/// Where a stored comment or rating points, as the reader finds it: the
/// anchor, or a row the therapist has since removed. Feedback on a removed
/// row stays readable by the snapshot written with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Placement {
    On(Anchor),
    RemovedRow(RowKind),
}

/// The wording of a row kept with feedback on it: structure only, never
/// the therapist's text, so it can stay when the row is gone.
pub fn describe_reaction(reaction: &Reaction) -> String {
    format!(
        "Reaction: {}, intensity {}/5",
        reaction.dimension.label(),
        reaction.intensity
    )
}

pub fn describe_intervention(intervention: &Intervention) -> String {
    format!(
        "Intervention: {}, {}, depth {}/5",
        intervention.kind.label(),
        intervention.timing.describe(),
        intervention.depth
    )
}

pub fn describe_episode(episode: &Episode) -> String {
    format!(
        "Relationship episode with {}",
        episode.with_whom.label().to_lowercase()
    )
}

/// Comment text: not blank, at most [`COMMENT_MAX_CHARS`] characters.
pub fn comment_body(text: &str) -> Result<String, String> {
    let text = text.trim();
    let length = text.chars().count();
    if text.is_empty() {
        return Err("Write your comment first.".to_string());
    }
    if length > COMMENT_MAX_CHARS {
        return Err(format!(
            "This is {length} characters; a comment can hold {COMMENT_MAX_CHARS}."
        ));
    }
    Ok(text.to_string())
}

/// A rating's optional note: at most [`RATING_NOTE_MAX_CHARS`] characters.
pub fn rating_note(text: &str) -> Result<String, String> {
    let text = text.trim();
    let length = text.chars().count();
    if length > RATING_NOTE_MAX_CHARS {
        return Err(format!(
            "This is {length} characters; a note can hold {RATING_NOTE_MAX_CHARS}."
        ));
    }
    Ok(text.to_string())
}

/// A comment as stored, before it is placed in its thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredComment {
    pub id: CommentId,
    /// The comment it answers; `None` opens a thread.
    pub parent: Option<CommentId>,
    /// The supervisor whose conversation with the therapist this is.
    pub supervisor: UserId,
    pub supervisor_name: String,
    pub author: UserId,
    pub author_name: String,
    pub placement: Placement,
    /// The row as it was when the thread was opened.
    pub anchor_label: String,
    pub body: String,
    /// The reflection version the comment was written on.
    pub version: i64,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// One message of a thread, as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: CommentId,
    pub author_name: String,
    pub by_reader: bool,
    pub body: String,
    pub created_at: i64,
    /// Written by someone else after the reader's last visit.
    pub is_new: bool,
    /// The reflection was saved again after this was written.
    pub reflection_changed_since: bool,
}

/// A conversation about one place of a reflection between its therapist
/// and one supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    pub supervisor: UserId,
    pub supervisor_name: String,
    pub placement: Placement,
    pub anchor_label: String,
    /// The opening comment first, then the replies in order.
    pub messages: Vec<Message>,
}

impl Thread {
    /// The comment replies are attached to.
    pub fn opening(&self) -> CommentId {
        self.messages[0].id
    }
}

/// What a reader needs to know to tell old from new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub reader: UserId,
    /// The reader's previous visit (Unix milliseconds); 0 for never.
    pub last_visit: i64,
    pub current_version: i64,
}

impl Reading {
    fn is_new(&self, author: UserId, at: i64) -> bool {
        author != self.reader && at > self.last_visit
    }
}

/// Places comments in their threads: threads in the order they were
/// opened, each with its replies in order. A reply whose opening comment is
/// missing is dropped (it cannot be shown in its context).
pub fn threads(mut comments: Vec<StoredComment>, reading: Reading) -> Vec<Thread> {
    comments.sort_by_key(|comment| (comment.created_at, comment.id));
    let message = |comment: &StoredComment| Message {
        id: comment.id,
        author_name: comment.author_name.clone(),
        by_reader: comment.author == reading.reader,
        body: comment.body.clone(),
        created_at: comment.created_at,
        is_new: reading.is_new(comment.author, comment.created_at),
        reflection_changed_since: comment.version < reading.current_version,
    };
    let mut threads: Vec<Thread> = comments
        .iter()
        .filter(|comment| comment.parent.is_none())
        .map(|opening| Thread {
            supervisor: opening.supervisor,
            supervisor_name: opening.supervisor_name.clone(),
            placement: opening.placement,
            anchor_label: opening.anchor_label.clone(),
            messages: vec![message(opening)],
        })
        .collect();
    for reply in comments.iter().filter(|comment| comment.parent.is_some()) {
        if let Some(thread) = threads
            .iter_mut()
            .find(|thread| Some(thread.opening()) == reply.parent)
        {
            thread.messages.push(message(reply));
        }
    }
    threads
}

/// A supervisor's pacing rating of one intervention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub supervisor: UserId,
    pub supervisor_name: String,
    pub placement: Placement,
    pub anchor_label: String,
    pub rating: PacingRating,
    pub note: String,
    pub version: i64,
    pub updated_at: i64,
}

/// Where a reflection stands with one supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewState {
    NotReviewed,
    Reviewed {
        at: i64,
    },
    /// Marked reviewed, then saved again by the therapist.
    ChangedSinceReview {
        at: i64,
    },
}

impl ReviewState {
    /// From the version a supervisor marked reviewed (and when), if any.
    pub fn of(reviewed: Option<(i64, i64)>, current_version: i64) -> Self {
        match reviewed {
            None => ReviewState::NotReviewed,
            Some((version, at)) if version >= current_version => ReviewState::Reviewed { at },
            Some((_, at)) => ReviewState::ChangedSinceReview { at },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewState::NotReviewed => "Not reviewed yet",
            ReviewState::Reviewed { .. } => "Reviewed",
            ReviewState::ChangedSinceReview { .. } => "Changed since review",
        }
    }

    /// Whether the supervisor has something to (re)read.
    pub fn needs_review(self) -> bool {
        !matches!(self, ReviewState::Reviewed { .. })
    }
}

/// One supervisor's review of a reflection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub supervisor: UserId,
    pub supervisor_name: String,
    pub state: ReviewState,
}

/// A supervisor's review mark on a reflection, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewMark {
    pub reflection: ReflectionId,
    pub supervisor: UserId,
    pub supervisor_name: String,
    /// The version marked reviewed.
    pub version: i64,
    pub at: i64,
}

/// Where a reflection (at `version`) stands with each supervisor whose
/// share of the case is active today and does not leave it out.
pub fn reviews_of(
    reflection: ReflectionId,
    version: i64,
    shares: &[ShareSummary],
    marks: &[ReviewMark],
) -> Vec<Review> {
    shares
        .iter()
        .filter(|share| {
            share.status == ShareStatus::Active && !share.scope.excluded.contains(&reflection)
        })
        .map(|share| {
            let mark = marks
                .iter()
                .find(|mark| mark.reflection == reflection && mark.supervisor == share.supervisor);
            Review {
                supervisor: share.supervisor,
                supervisor_name: share.supervisor_name.clone(),
                state: ReviewState::of(mark.map(|mark| (mark.version, mark.at)), version),
            }
        })
        .collect()
}

/// Everything said about one reflection that the reader may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReflectionFeedback {
    pub threads: Vec<Thread>,
    pub ratings: Vec<Rating>,
    pub reviews: Vec<Review>,
}

impl ReflectionFeedback {
    /// The threads about `anchor`.
    pub fn threads_on(&self, anchor: Anchor) -> Vec<Thread> {
        self.threads
            .iter()
            .filter(|thread| thread.placement == Placement::On(anchor))
            .cloned()
            .collect()
    }

    /// The ratings of the intervention `row`.
    pub fn ratings_of(&self, row: RowId) -> Vec<Rating> {
        self.ratings
            .iter()
            .filter(|rating| {
                rating.placement == Placement::On(Anchor::Row(RowKind::Intervention, row))
            })
            .cloned()
            .collect()
    }

    /// Threads about rows that no longer exist.
    pub fn on_removed_rows(&self) -> (Vec<Thread>, Vec<Rating>) {
        let removed = |placement: &Placement| matches!(placement, Placement::RemovedRow(_));
        (
            self.threads
                .iter()
                .filter(|thread| removed(&thread.placement))
                .cloned()
                .collect(),
            self.ratings
                .iter()
                .filter(|rating| removed(&rating.placement))
                .cloned()
                .collect(),
        )
    }

    /// Messages new to the reader.
    pub fn unread(&self) -> usize {
        self.threads
            .iter()
            .flat_map(|thread| &thread.messages)
            .filter(|message| message.is_new)
            .count()
    }
}

/// A reflection of the therapist's with feedback they have not read yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadFeedback {
    pub case: CaseId,
    pub case_code: String,
    pub reflection: ReflectionId,
    pub session_number: u32,
    /// Comments, replies and ratings not read.
    pub items: i64,
}

/// A reflection of the therapist's that a supervisor marked reviewed and
/// the therapist saved again since: the review no longer covers what it
/// says now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedSinceReview {
    pub case: CaseId,
    pub case_code: String,
    pub reflection: ReflectionId,
    pub session_number: u32,
    pub supervisor_name: String,
    /// When they marked it reviewed (Unix milliseconds).
    pub reviewed_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        reflection::Timing,
        sharing::{ShareId, ShareScope},
        vocabulary::{EpisodeWith, InterventionKind, ReactionDimension, SessionPhase, ShareBasis},
    };

    const THERAPIST: UserId = UserId(1);
    const SUPERVISOR: UserId = UserId(2);

    fn comment(id: i64, parent: Option<i64>, author: UserId, at: i64) -> StoredComment {
        StoredComment {
            id: CommentId(id),
            parent: parent.map(CommentId),
            supervisor: SUPERVISOR,
            supervisor_name: "Sam".to_string(),
            author,
            author_name: if author == THERAPIST { "Tess" } else { "Sam" }.to_string(),
            placement: Placement::On(Anchor::Row(RowKind::Intervention, RowId(7))),
            anchor_label: "Intervention: Confrontation, minute 20, depth 3/5".to_string(),
            body: format!("message {id}"),
            version: 2,
            created_at: at,
        }
    }

    #[test]
    fn anchors_travel_as_slugs() {
        for anchor in [
            Anchor::Reflection,
            Anchor::Row(RowKind::Reaction, RowId(3)),
            Anchor::Row(RowKind::Intervention, RowId(12)),
            Anchor::Row(RowKind::Episode, RowId(40)),
        ] {
            assert_eq!(Anchor::parse(&anchor.slug()), Some(anchor));
        }
        assert_eq!(
            Anchor::slug(Anchor::Row(RowKind::Intervention, RowId(12))),
            "interventions:12"
        );
        for bad in [
            "",
            "session",
            "interventions:",
            "interventions:x",
            "notes:3",
            "reflection:1",
        ] {
            assert_eq!(Anchor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn replies_follow_their_opening_comment_in_order() {
        let comments = vec![
            comment(3, Some(1), THERAPIST, 300),
            comment(1, None, SUPERVISOR, 100),
            comment(2, None, SUPERVISOR, 200),
            comment(4, Some(1), SUPERVISOR, 400),
            comment(5, Some(99), SUPERVISOR, 500),
        ];
        let reading = Reading {
            reader: THERAPIST,
            last_visit: 250,
            current_version: 2,
        };
        let threads = threads(comments, reading);
        assert_eq!(threads.len(), 2);
        let ids: Vec<i64> = threads[0].messages.iter().map(|m| m.id.0).collect();
        assert_eq!(ids, [1, 3, 4]);
        assert_eq!(threads[1].messages.len(), 1);
        assert_eq!(threads[0].opening(), CommentId(1));
    }

    #[test]
    fn only_what_others_wrote_since_the_last_visit_is_new() {
        let comments = vec![
            comment(1, None, SUPERVISOR, 100),
            comment(2, Some(1), THERAPIST, 300),
            comment(3, Some(1), SUPERVISOR, 400),
        ];
        let for_therapist = threads(
            comments.clone(),
            Reading {
                reader: THERAPIST,
                last_visit: 250,
                current_version: 2,
            },
        );
        let new: Vec<bool> = for_therapist[0].messages.iter().map(|m| m.is_new).collect();
        assert_eq!(new, [false, false, true]);
        let by_reader: Vec<bool> = for_therapist[0]
            .messages
            .iter()
            .map(|m| m.by_reader)
            .collect();
        assert_eq!(by_reader, [false, true, false]);
        let feedback = ReflectionFeedback {
            threads: for_therapist,
            ..ReflectionFeedback::default()
        };
        assert_eq!(feedback.unread(), 1);

        let for_supervisor = threads(
            comments,
            Reading {
                reader: SUPERVISOR,
                last_visit: 0,
                current_version: 2,
            },
        );
        let new: Vec<bool> = for_supervisor[0]
            .messages
            .iter()
            .map(|m| m.is_new)
            .collect();
        assert_eq!(new, [false, true, false]);
    }

    #[test]
    fn a_message_says_when_the_reflection_changed_after_it() {
        let mut older = comment(1, None, SUPERVISOR, 100);
        older.version = 1;
        let current = comment(2, Some(1), THERAPIST, 200);
        let threads = threads(
            vec![older, current],
            Reading {
                reader: SUPERVISOR,
                last_visit: 0,
                current_version: 2,
            },
        );
        let changed: Vec<bool> = threads[0]
            .messages
            .iter()
            .map(|m| m.reflection_changed_since)
            .collect();
        assert_eq!(changed, [true, false]);
    }

    #[test]
    fn a_review_goes_stale_when_the_reflection_is_saved_again() {
        assert_eq!(ReviewState::of(None, 3), ReviewState::NotReviewed);
        assert_eq!(
            ReviewState::of(Some((3, 50)), 3),
            ReviewState::Reviewed { at: 50 }
        );
        assert_eq!(
            ReviewState::of(Some((2, 50)), 3),
            ReviewState::ChangedSinceReview { at: 50 }
        );
        assert!(ReviewState::NotReviewed.needs_review());
        assert!(ReviewState::ChangedSinceReview { at: 1 }.needs_review());
        assert!(!ReviewState::Reviewed { at: 1 }.needs_review());
    }

    #[test]
    fn each_active_share_reviews_unless_it_leaves_the_reflection_out() {
        let share =
            |supervisor: UserId, name: &str, excluded: Vec<ReflectionId>, status| ShareSummary {
                id: ShareId(supervisor.0),
                supervisor,
                supervisor_name: name.to_string(),
                supervisor_email: format!("{name}@example.org"),
                basis: ShareBasis::Training,
                scope: ShareScope {
                    excluded,
                    expires_on: None,
                },
                status,
                created_at: 0,
                revoked_at: None,
            };
        let shares = vec![
            share(SUPERVISOR, "Sam", Vec::new(), ShareStatus::Active),
            share(UserId(3), "Uma", vec![ReflectionId(5)], ShareStatus::Active),
            share(UserId(4), "Vic", Vec::new(), ShareStatus::Active),
            share(UserId(5), "Wes", Vec::new(), ShareStatus::Revoked),
            share(UserId(6), "Xan", Vec::new(), ShareStatus::Expired),
        ];
        let marks = vec![
            ReviewMark {
                reflection: ReflectionId(5),
                supervisor: SUPERVISOR,
                supervisor_name: "Sam".to_string(),
                version: 2,
                at: 70,
            },
            ReviewMark {
                reflection: ReflectionId(6),
                supervisor: UserId(4),
                supervisor_name: "Vic".to_string(),
                version: 9,
                at: 80,
            },
        ];
        let reviews = reviews_of(ReflectionId(5), 3, &shares, &marks);
        let states: Vec<(&str, ReviewState)> = reviews
            .iter()
            .map(|review| (review.supervisor_name.as_str(), review.state))
            .collect();
        assert_eq!(
            states,
            [
                ("Sam", ReviewState::ChangedSinceReview { at: 70 }),
                ("Vic", ReviewState::NotReviewed),
            ]
        );
    }

    #[test]
    fn feedback_is_found_at_its_place_and_removed_rows_apart() {
        let mut removed = comment(9, None, SUPERVISOR, 900);
        removed.placement = Placement::RemovedRow(RowKind::Reaction);
        let all = threads(
            vec![comment(1, None, SUPERVISOR, 100), removed],
            Reading {
                reader: THERAPIST,
                last_visit: 0,
                current_version: 2,
            },
        );
        let rating = Rating {
            supervisor: SUPERVISOR,
            supervisor_name: "Sam".to_string(),
            placement: Placement::On(Anchor::Row(RowKind::Intervention, RowId(7))),
            anchor_label: String::new(),
            rating: PacingRating::TooEarly,
            note: String::new(),
            version: 2,
            updated_at: 100,
        };
        let feedback = ReflectionFeedback {
            threads: all,
            ratings: vec![rating],
            reviews: Vec::new(),
        };
        assert_eq!(
            feedback
                .threads_on(Anchor::Row(RowKind::Intervention, RowId(7)))
                .len(),
            1
        );
        assert!(feedback.threads_on(Anchor::Reflection).is_empty());
        assert_eq!(feedback.ratings_of(RowId(7)).len(), 1);
        assert!(feedback.ratings_of(RowId(8)).is_empty());
        let (threads, ratings) = feedback.on_removed_rows();
        assert_eq!((threads.len(), ratings.len()), (1, 0));
    }

    #[test]
    fn snapshots_describe_structure_and_never_the_text() {
        let reaction = Reaction {
            id: Some(RowId(1)),
            dimension: ReactionDimension::Helpless,
            intensity: 4,
            text: "secret words".to_string(),
        };
        assert_eq!(
            describe_reaction(&reaction),
            "Reaction: Helpless / inadequate, intensity 4/5"
        );
        let intervention = Intervention {
            id: None,
            kind: InterventionKind::TransferenceInterpretation,
            timing: Timing::Phase(SessionPhase::Late),
            depth: 4,
            target: None,
            response: None,
            text: "secret words".to_string(),
        };
        let described = describe_intervention(&intervention);
        assert!(
            described.starts_with("Intervention: Transference interpretation, late"),
            "{described}"
        );
        assert!(!described.contains("secret"));
        let episode = Episode {
            id: None,
            with_whom: EpisodeWith::Therapist,
            when: None,
            wish: None,
            wish_text: "secret words".to_string(),
            response_of_other: None,
            response_of_other_text: String::new(),
            response_of_self: None,
            response_of_self_text: String::new(),
        };
        assert_eq!(
            describe_episode(&episode),
            "Relationship episode with the therapist"
        );
    }

    #[test]
    fn comments_and_notes_have_limits() {
        assert_eq!(comment_body("  Good timing.  ").unwrap(), "Good timing.");
        assert!(comment_body("   ").is_err());
        assert!(comment_body(&"x".repeat(COMMENT_MAX_CHARS + 1)).is_err());
        assert_eq!(rating_note("").unwrap(), "");
        assert!(rating_note(&"é".repeat(RATING_NOTE_MAX_CHARS + 1)).is_err());
    }
}
