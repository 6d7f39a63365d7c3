//! The therapist's document: every case with its reflections (private
//! parts included), shares and the feedback on it, and the drafts.

use serde::{Deserialize, Serialize};

use super::anchor_of;
use crate::domain::{
    cases::Case,
    feedback::{Rating, StoredComment},
    reflection::{Choices, Draft, Episode, Intervention, Reaction, StoredReflection, Timing},
    sharing::ShareSummary,
};

/// A case with everything in it, as its owner exports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedCase {
    pub id: i64,
    pub code: String,
    pub modality: String,
    pub frequency: String,
    pub start_date: String,
    pub planned_sessions: Option<u32>,
    pub status: String,
    pub names_to_watch: Vec<String>,
    pub transference_threshold: u32,
    /// Oldest session first.
    pub reflections: Vec<ExportedReflection>,
    /// Every share, revoked and expired ones included, oldest first.
    pub shares: Vec<ExportedShare>,
    /// Every comment and reply on the case's reflections, oldest first.
    pub comments: Vec<ExportedComment>,
    pub ratings: Vec<ExportedRating>,
}

impl ExportedCase {
    /// The case's own fields; the lists are filled by the caller.
    pub fn of(case: &Case, transference_threshold: u32) -> Self {
        ExportedCase {
            id: case.id.0,
            code: case.details.code.clone(),
            modality: case.details.modality.slug().to_string(),
            frequency: case.details.frequency.slug().to_string(),
            start_date: case.details.start_date.clone(),
            planned_sessions: case.details.planned_sessions,
            status: case.status.slug().to_string(),
            names_to_watch: case.details.names_to_watch.clone(),
            transference_threshold,
            ..ExportedCase::default()
        }
    }
}

/// Picks from one of Hayes' lists (slugs) and the therapist's note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedChoices {
    pub picked: Vec<String>,
    pub note: String,
}

impl ExportedChoices {
    fn of<T: Copy>(choices: &Choices<T>, slug: fn(T) -> &'static str) -> Self {
        ExportedChoices {
            picked: choices
                .picked
                .iter()
                .map(|&pick| slug(pick).to_string())
                .collect(),
            note: choices.note.clone(),
        }
    }
}

/// The parts of a reflection that are never shared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedPrivateParts {
    pub origin: ExportedChoices,
    pub private_notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedReflection {
    pub id: i64,
    pub case_id: i64,
    pub session_number: u32,
    pub session_date: String,
    pub version: i64,
    pub updated_at: i64,
    pub trigger: ExportedChoices,
    pub manifestation: ExportedChoices,
    pub management: ExportedChoices,
    pub racker: Option<String>,
    pub racker_object: String,
    pub racker_note: String,
    pub enactment: String,
    pub private: ExportedPrivateParts,
    pub reactions: Vec<ExportedReaction>,
    pub interventions: Vec<ExportedIntervention>,
    pub episodes: Vec<ExportedEpisode>,
}

impl From<&StoredReflection> for ExportedReflection {
    fn from(stored: &StoredReflection) -> Self {
        let reflection = &stored.reflection;
        let id = stored.id.0;
        ExportedReflection {
            id,
            case_id: stored.case_id.0,
            session_number: reflection.session_number,
            session_date: reflection.session_date.clone(),
            version: stored.version,
            updated_at: stored.updated_at,
            trigger: ExportedChoices::of(&reflection.trigger, |pick| pick.slug()),
            manifestation: ExportedChoices::of(&reflection.manifestation, |pick| pick.slug()),
            management: ExportedChoices::of(&reflection.management, |pick| pick.slug()),
            racker: reflection.racker.map(|racker| racker.slug().to_string()),
            racker_object: reflection.racker_object.clone(),
            racker_note: reflection.racker_note.clone(),
            enactment: reflection.enactment.clone(),
            private: ExportedPrivateParts {
                origin: ExportedChoices::of(&reflection.origin, |pick| pick.slug()),
                private_notes: reflection.private_notes.clone(),
            },
            reactions: numbered(&reflection.reactions, |position, reaction| {
                ExportedReaction::of(id, position, reaction)
            }),
            interventions: numbered(&reflection.interventions, |position, intervention| {
                ExportedIntervention::of(id, position, intervention)
            }),
            episodes: numbered(&reflection.episodes, |position, episode| {
                ExportedEpisode::of(id, position, episode)
            }),
        }
    }
}

/// Each row with its place in the reflection, counted from 1.
fn numbered<Row, Out>(rows: &[Row], export: impl Fn(u32, &Row) -> Out) -> Vec<Out> {
    rows.iter()
        .zip(1u32..)
        .map(|(row, position)| export(position, row))
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedReaction {
    pub id: Option<i64>,
    pub reflection_id: i64,
    pub position: u32,
    pub dimension: String,
    pub intensity: u8,
    pub text: String,
}

impl ExportedReaction {
    fn of(reflection_id: i64, position: u32, reaction: &Reaction) -> Self {
        ExportedReaction {
            id: reaction.id.map(|id| id.0),
            reflection_id,
            position,
            dimension: reaction.dimension.slug().to_string(),
            intensity: reaction.intensity,
            text: reaction.text.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedIntervention {
    pub id: Option<i64>,
    pub reflection_id: i64,
    pub position: u32,
    pub kind: String,
    /// Either the minute or the phase is given, never both.
    pub minute: Option<u8>,
    pub phase: Option<String>,
    pub depth: u8,
    pub target: Option<String>,
    pub response: Option<String>,
    pub text: String,
}

impl ExportedIntervention {
    fn of(reflection_id: i64, position: u32, intervention: &Intervention) -> Self {
        let (minute, phase) = match intervention.timing {
            Timing::Minute(minute) => (Some(minute), None),
            Timing::Phase(phase) => (None, Some(phase.slug().to_string())),
        };
        ExportedIntervention {
            id: intervention.id.map(|id| id.0),
            reflection_id,
            position,
            kind: intervention.kind.slug().to_string(),
            minute,
            phase,
            depth: intervention.depth,
            target: intervention.target.map(|target| target.slug().to_string()),
            response: intervention
                .response
                .map(|response| response.slug().to_string()),
            text: intervention.text.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedEpisode {
    pub id: Option<i64>,
    pub reflection_id: i64,
    pub position: u32,
    pub with_whom: String,
    pub when: Option<String>,
    pub wish: Option<String>,
    pub wish_text: String,
    pub response_of_other: Option<String>,
    pub response_of_other_text: String,
    pub response_of_self: Option<String>,
    pub response_of_self_text: String,
}

impl ExportedEpisode {
    fn of(reflection_id: i64, position: u32, episode: &Episode) -> Self {
        ExportedEpisode {
            id: episode.id.map(|id| id.0),
            reflection_id,
            position,
            with_whom: episode.with_whom.slug().to_string(),
            when: episode.when.map(|when| when.slug().to_string()),
            wish: episode.wish.map(|wish| wish.slug().to_string()),
            wish_text: episode.wish_text.clone(),
            response_of_other: episode.response_of_other.map(|ro| ro.slug().to_string()),
            response_of_other_text: episode.response_of_other_text.clone(),
            response_of_self: episode.response_of_self.map(|rs| rs.slug().to_string()),
            response_of_self_text: episode.response_of_self_text.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedShare {
    pub id: i64,
    pub case_id: i64,
    pub supervisor_name: String,
    pub supervisor_email: String,
    pub basis: String,
    /// `active`, `expired` or `revoked`, on the day of the export.
    pub status: String,
    pub expires_on: Option<String>,
    pub excluded_reflection_ids: Vec<i64>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl ExportedShare {
    pub fn of(case_id: i64, share: &ShareSummary) -> Self {
        ExportedShare {
            id: share.id.0,
            case_id,
            supervisor_name: share.supervisor_name.clone(),
            supervisor_email: share.supervisor_email.clone(),
            basis: share.basis.slug().to_string(),
            status: share.status.label().to_lowercase(),
            expires_on: share.scope.expires_on.clone(),
            excluded_reflection_ids: share.scope.excluded.iter().map(|id| id.0).collect(),
            created_at: share.created_at,
            revoked_at: share.revoked_at,
        }
    }
}

/// A comment or reply on one of the owner's reflections.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedComment {
    pub id: i64,
    pub case_id: i64,
    pub reflection_id: i64,
    /// The comment it answers; `None` opens a thread.
    pub parent_id: Option<i64>,
    /// The supervisor whose conversation with the therapist it belongs to.
    pub supervisor_name: String,
    pub author_name: String,
    pub anchor_kind: String,
    pub anchor_row_id: Option<i64>,
    pub anchor_label: String,
    pub body: String,
    pub reflection_version: i64,
    pub created_at: i64,
}

impl ExportedComment {
    pub fn of(case_id: i64, reflection_id: i64, comment: &StoredComment) -> Self {
        let (anchor_kind, anchor_row_id) = anchor_of(&comment.placement);
        ExportedComment {
            id: comment.id.0,
            case_id,
            reflection_id,
            parent_id: comment.parent.map(|parent| parent.0),
            supervisor_name: comment.supervisor_name.clone(),
            author_name: comment.author_name.clone(),
            anchor_kind,
            anchor_row_id,
            anchor_label: comment.anchor_label.clone(),
            body: comment.body.clone(),
            reflection_version: comment.version,
            created_at: comment.created_at,
        }
    }
}

/// A supervisor's pacing rating of one of the owner's interventions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedRating {
    pub case_id: i64,
    pub reflection_id: i64,
    /// `None` once the intervention was removed.
    pub intervention_id: Option<i64>,
    pub supervisor_name: String,
    pub anchor_label: String,
    pub rating: String,
    pub note: String,
    pub reflection_version: i64,
    pub updated_at: i64,
}

impl ExportedRating {
    pub fn of(case_id: i64, reflection_id: i64, rating: &Rating) -> Self {
        ExportedRating {
            case_id,
            reflection_id,
            intervention_id: anchor_of(&rating.placement).1,
            supervisor_name: rating.supervisor_name.clone(),
            anchor_label: rating.anchor_label.clone(),
            rating: rating.rating.slug().to_string(),
            note: rating.note.clone(),
            reflection_version: rating.version,
            updated_at: rating.updated_at,
        }
    }
}

/// Unsaved typing kept on the server, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedDraft {
    pub case_id: i64,
    /// `None` for a reflection not saved yet.
    pub reflection_id: Option<i64>,
    pub base_version: Option<i64>,
    pub updated_at: i64,
    /// The reflection form's fields as typed (strings, unchecked).
    pub input: crate::domain::reflection::ReflectionInput,
}

impl ExportedDraft {
    pub fn of(case_id: i64, reflection_id: Option<i64>, draft: Draft) -> Self {
        ExportedDraft {
            case_id,
            reflection_id,
            base_version: draft.base_version,
            updated_at: draft.updated_at,
            input: draft.input,
        }
    }
}
