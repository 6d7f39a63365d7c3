//! Feedback workflows: reading a reflection's feedback (and noting the
//! visit), commenting and replying, rating an intervention, marking a
//! reflection reviewed. Each takes access already resolved by
//! `server::access` and one `now`.

use crate::{
    domain::{
        accounts::UserId,
        feedback::{
            comment_body, describe_episode, describe_intervention, describe_reaction, rating_note,
            reviews_of, threads, Anchor, CommentId, Reading, ReflectionFeedback, Review,
            ReviewState,
        },
        reflection::{
            Episode, Intervention, Reaction, Reflection, ReflectionId, RowId, RowKind,
            SharedReflection,
        },
        time::utc_day,
        validation::FieldErrors,
        vocabulary::PacingRating,
    },
    error::AppError,
    server::{
        access::{owned_reflection, supervised_reflection, CaseAccess, OwnedCase, SupervisedCase},
        crypto::FieldCipher,
        repo::{Database, NewComment, NewRating},
    },
};

/// A reflection's rows, whoever reads it: what anchors are checked against.
struct Rows<'a> {
    reactions: &'a [Reaction],
    interventions: &'a [Intervention],
    episodes: &'a [Episode],
}

impl<'a> Rows<'a> {
    fn of_authored(reflection: &'a Reflection) -> Self {
        Rows {
            reactions: &reflection.reactions,
            interventions: &reflection.interventions,
            episodes: &reflection.episodes,
        }
    }

    fn of_shared(reflection: &'a SharedReflection) -> Self {
        Rows {
            reactions: &reflection.reactions,
            interventions: &reflection.interventions,
            episodes: &reflection.episodes,
        }
    }

    /// The row's structure as a label, if the reflection has that row.
    fn describe(&self, kind: RowKind, id: RowId) -> Option<String> {
        let mine = |row: Option<RowId>| row == Some(id);
        match kind {
            RowKind::Reaction => self
                .reactions
                .iter()
                .find(|row| mine(row.id))
                .map(describe_reaction),
            RowKind::Intervention => self
                .interventions
                .iter()
                .find(|row| mine(row.id))
                .map(describe_intervention),
            RowKind::Episode => self
                .episodes
                .iter()
                .find(|row| mine(row.id))
                .map(describe_episode),
        }
    }
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid(FieldErrors::single(field, message))
}

/// What `reader` needs to tell old feedback from new on a reflection.
async fn reading(
    database: &Database,
    reader: UserId,
    reflection: ReflectionId,
    version: i64,
) -> Result<Reading, AppError> {
    Ok(Reading {
        reader,
        last_visit: database.last_visit(reader, reflection).await?,
        current_version: version,
    })
}

/// The feedback on one of the owner's reflections: every supervisor's
/// threads and ratings, and the review state with each supervisor the case
/// is shared with. Notes the visit.
pub async fn for_owner(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    reflection: ReflectionId,
    version: i64,
    now: i64,
) -> Result<ReflectionFeedback, AppError> {
    let reader = case.owner();
    let reading = reading(database, reader, reflection, version).await?;
    let comments = database.comments_on(cipher, reflection, None).await?;
    let ratings = database.ratings_on(cipher, reflection, None).await?;
    let marks = database
        .review_marks(case.id, Some(reflection), None)
        .await?;
    let shares = database.shares_of_case(case.id, utc_day(now)).await?;
    let reviews = reviews_of(reflection, version, &shares, &marks);
    database.record_visit(reader, reflection, now).await?;
    Ok(ReflectionFeedback {
        threads: threads(comments, reading),
        ratings,
        reviews,
    })
}

/// A supervisor's own conversation about a shared reflection, their
/// ratings and their review. Notes the visit.
pub async fn for_supervisor(
    database: &Database,
    cipher: &FieldCipher,
    case: &SupervisedCase,
    reflection: ReflectionId,
    version: i64,
    now: i64,
) -> Result<ReflectionFeedback, AppError> {
    let reader = case.supervisor();
    let reading = reading(database, reader, reflection, version).await?;
    let comments = database
        .comments_on(cipher, reflection, Some(reader))
        .await?;
    let ratings = database
        .ratings_on(cipher, reflection, Some(reader))
        .await?;
    let mark = database
        .review_marks(case.id(), Some(reflection), Some(reader))
        .await?
        .into_iter()
        .next();
    let review = Review {
        supervisor: reader,
        supervisor_name: String::new(),
        state: ReviewState::of(mark.map(|mark| (mark.version, mark.at)), version),
    };
    database.record_visit(reader, reflection, now).await?;
    Ok(ReflectionFeedback {
        threads: threads(comments, reading),
        ratings,
        reviews: vec![review],
    })
}

/// What someone wants to say about a reflection.
pub struct CommentRequest<'a> {
    pub reflection: ReflectionId,
    /// Where a new thread goes; ignored for a reply.
    pub anchor: Anchor,
    /// The comment replied to; `None` opens a thread (supervisors only).
    pub reply_to: Option<CommentId>,
    pub body: &'a str,
}

/// Adds a comment or a reply. A supervisor opens threads on what they can
/// see and replies in their own; the therapist replies in any thread on
/// their reflection.
pub async fn comment(
    database: &Database,
    cipher: &FieldCipher,
    access: &CaseAccess,
    request: &CommentRequest<'_>,
    now: i64,
) -> Result<CommentId, AppError> {
    let (author, version, anchor_label) = match access {
        CaseAccess::Owner(case) => {
            let stored = owned_reflection(database, cipher, case, request.reflection).await?;
            let rows = Rows::of_authored(&stored.reflection);
            (case.owner(), stored.version, label(&rows, request)?)
        }
        CaseAccess::Supervisor(case) => {
            let shared = supervised_reflection(database, cipher, case, request.reflection).await?;
            let rows = Rows::of_shared(&shared);
            (case.supervisor(), shared.version, label(&rows, request)?)
        }
    };
    let body = comment_body(request.body).map_err(|message| invalid("body", message))?;
    let (parent, supervisor, anchor) = match request.reply_to {
        Some(comment) => {
            let thread = database
                .thread_of(request.reflection, comment)
                .await?
                .ok_or(AppError::NotFound)?;
            if matches!(access, CaseAccess::Supervisor(_)) && thread.supervisor != author {
                return Err(AppError::NotFound);
            }
            // A reply sits in its thread, wherever the thread is anchored.
            (Some(thread.opening), thread.supervisor, Anchor::Reflection)
        }
        None => match access {
            CaseAccess::Supervisor(_) => (None, author, request.anchor),
            CaseAccess::Owner(_) => {
                return Err(AppError::Refused(
                    "Reply to a supervisor's comment under it.".to_string(),
                ))
            }
        },
    };
    let comment = NewComment {
        reflection: request.reflection,
        supervisor,
        author,
        parent,
        anchor,
        anchor_label: if parent.is_some() { "" } else { &anchor_label },
        body: &body,
        version,
        now,
    };
    Ok(database.insert_comment(cipher, &comment).await?)
}

/// The label of a new thread's anchor; a row must be one of the reflection's.
fn label(rows: &Rows<'_>, request: &CommentRequest<'_>) -> Result<String, AppError> {
    match (request.reply_to, request.anchor) {
        (Some(_), _) | (None, Anchor::Reflection) => Ok("The reflection".to_string()),
        (None, Anchor::Row(kind, id)) => rows.describe(kind, id).ok_or(AppError::NotFound),
    }
}

/// A supervisor's rating of one intervention, as posted.
pub struct RatingRequest<'a> {
    pub reflection: ReflectionId,
    pub intervention: RowId,
    /// `None` when nothing was chosen.
    pub rating: Option<PacingRating>,
    pub note: &'a str,
}

/// Sets the supervisor's pacing rating of one intervention.
pub async fn rate(
    database: &Database,
    cipher: &FieldCipher,
    case: &SupervisedCase,
    request: &RatingRequest<'_>,
    now: i64,
) -> Result<(), AppError> {
    let shared = supervised_reflection(database, cipher, case, request.reflection).await?;
    let anchor_label = Rows::of_shared(&shared)
        .describe(RowKind::Intervention, request.intervention)
        .ok_or(AppError::NotFound)?;
    let mut fields = FieldErrors::new();
    let rating = fields.check(
        "rating",
        request
            .rating
            .ok_or("Choose how the timing and depth of this intervention fit."),
    );
    let note = fields.check("note", rating_note(request.note));
    fields.into_result()?;
    let (Some(rating), Some(note)) = (rating, note) else {
        unreachable!("no field error means both are present");
    };
    database
        .rate_intervention(
            cipher,
            &NewRating {
                reflection: request.reflection,
                intervention: request.intervention,
                supervisor: case.supervisor(),
                anchor_label: &anchor_label,
                rating,
                note: &note,
                version: shared.version,
                now,
            },
        )
        .await?;
    Ok(())
}

/// Marks the version of the reflection the supervisor read as reviewed; if
/// it has been saved again since, nothing is marked ([`AppError::Conflict`]).
pub async fn mark_reviewed(
    database: &Database,
    cipher: &FieldCipher,
    case: &SupervisedCase,
    reflection: ReflectionId,
    version_read: i64,
    now: i64,
) -> Result<(), AppError> {
    let shared = supervised_reflection(database, cipher, case, reflection).await?;
    if shared.version != version_read {
        return Err(AppError::Conflict);
    }
    database
        .mark_reviewed(reflection, case.supervisor(), shared.version, now)
        .await?;
    Ok(())
}
