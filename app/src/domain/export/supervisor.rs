//! The supervisor's document: the comments, replies and ratings they
//! wrote, built from the shared feedback types (which hold nothing of a
//! therapist's private parts), each placed by case code and session number.

use serde::{Deserialize, Serialize};

use super::anchor_of;
use crate::domain::feedback::{Rating, StoredComment};

/// Where a supervisor's feedback is: the case by code and whose it is, and
/// the session by number (a supervisor never sees session dates).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackPlace {
    pub case_id: i64,
    pub case_code: String,
    pub therapist_name: String,
    pub reflection_id: i64,
    pub session_number: u32,
}

/// A comment or reply a supervisor wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenComment {
    pub id: i64,
    #[serde(flatten)]
    pub place: FeedbackPlace,
    pub parent_id: Option<i64>,
    pub anchor_kind: String,
    pub anchor_row_id: Option<i64>,
    pub anchor_label: String,
    pub body: String,
    pub reflection_version: i64,
    pub created_at: i64,
}

impl WrittenComment {
    pub fn of(place: FeedbackPlace, comment: &StoredComment) -> Self {
        let (anchor_kind, anchor_row_id) = anchor_of(&comment.placement);
        WrittenComment {
            id: comment.id.0,
            place,
            parent_id: comment.parent.map(|parent| parent.0),
            anchor_kind,
            anchor_row_id,
            anchor_label: comment.anchor_label.clone(),
            body: comment.body.clone(),
            reflection_version: comment.version,
            created_at: comment.created_at,
        }
    }
}

/// A pacing rating a supervisor gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenRating {
    #[serde(flatten)]
    pub place: FeedbackPlace,
    pub intervention_id: Option<i64>,
    pub anchor_label: String,
    pub rating: String,
    pub note: String,
    pub reflection_version: i64,
    pub updated_at: i64,
}

impl GivenRating {
    pub fn of(place: FeedbackPlace, rating: &Rating) -> Self {
        GivenRating {
            place,
            intervention_id: anchor_of(&rating.placement).1,
            anchor_label: rating.anchor_label.clone(),
            rating: rating.rating.slug().to_string(),
            note: rating.note.clone(),
            reflection_version: rating.version,
            updated_at: rating.updated_at,
        }
    }
}
