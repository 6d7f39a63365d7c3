//! A session reflection: what the therapist records after a session, as typed
//! ([`ReflectionInput`], which is also what a draft keeps, in `input`), as
//! validated ([`Reflection`], checked in `validate`) and as a supervisor may
//! see it ([`SharedReflection`], in `shared`).

mod input;
mod shared;
mod validate;

use serde::{Deserialize, Serialize};

pub use input::{EpisodeInput, InterventionInput, ReactionInput, ReflectionInput};
pub use shared::SharedReflection;
pub use validate::{row_field, ReflectionRules};

use super::vocabulary::{
    ClientResponse, EpisodeWhen, EpisodeWith, HayesManagement, HayesManifestation, HayesOrigin,
    HayesTrigger, InterventionKind, RackerIdentification, ReactionDimension, ResponseOfOther,
    ResponseOfSelf, SessionPhase, TargetPerson, Wish,
};

/// Longest free text of a section (notes, enactment, Hayes texts).
pub const NOTE_MAX_CHARS: usize = 20_000;
/// Longest free text of one reaction, intervention or episode part.
pub const ROW_TEXT_MAX_CHARS: usize = 4_000;
/// Most rows of one kind in a reflection.
pub const ROWS_MAX: usize = 60;
pub const SESSION_NUMBER_MAX: u32 = 9_999;
pub const MINUTE_MAX: u8 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReflectionId(pub i64);

/// The identity of a reaction, intervention or episode. It stays the same
/// through edits (saving updates rows in place), so feedback anchored to a
/// row stays on that row whatever else changes around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RowId(pub i64);

/// The repeatable parts of a reflection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RowKind {
    Reaction,
    Intervention,
    Episode,
}

impl RowKind {
    pub fn slug(self) -> &'static str {
        match self {
            RowKind::Reaction => "reactions",
            RowKind::Intervention => "interventions",
            RowKind::Episode => "episodes",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        [RowKind::Reaction, RowKind::Intervention, RowKind::Episode]
            .into_iter()
            .find(|kind| kind.slug() == slug)
    }
}

/// A validated reflection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reflection {
    pub session_number: u32,
    /// `YYYY-MM-DD`.
    pub session_date: String,
    pub reactions: Vec<Reaction>,
    pub trigger: Choices<HayesTrigger>,
    pub manifestation: Choices<HayesManifestation>,
    pub management: Choices<HayesManagement>,
    /// Private: never shared.
    pub origin: Choices<HayesOrigin>,
    pub racker: Option<RackerIdentification>,
    /// The internal object of a complementary identification.
    pub racker_object: String,
    pub racker_note: String,
    pub enactment: String,
    pub interventions: Vec<Intervention>,
    pub episodes: Vec<Episode>,
    /// Private: never shared.
    pub private_notes: String,
}

/// Choices from one of Hayes' lists, with the therapist's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices<T> {
    pub picked: Vec<T>,
    pub note: String,
}

impl<T> Default for Choices<T> {
    fn default() -> Self {
        Choices {
            picked: Vec::new(),
            note: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    /// `None` until the row is stored.
    pub id: Option<RowId>,
    pub dimension: ReactionDimension,
    /// 1–5.
    pub intensity: u8,
    pub text: String,
}

/// When in the session an intervention happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Timing {
    Minute(u8),
    Phase(SessionPhase),
}

impl Timing {
    pub fn describe(self) -> String {
        match self {
            Timing::Minute(minute) => format!("minute {minute}"),
            Timing::Phase(phase) => format!("{} in the session", phase.label().to_lowercase()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intervention {
    /// `None` until the row is stored.
    pub id: Option<RowId>,
    pub kind: InterventionKind,
    pub timing: Timing,
    /// 1 (close to what the client already says) – 5 (far from awareness).
    pub depth: u8,
    pub target: Option<TargetPerson>,
    pub response: Option<ClientResponse>,
    pub text: String,
}

/// A relationship episode (Luborsky's CCRT): each component a cluster pick
/// and/or the therapist's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// `None` until the row is stored.
    pub id: Option<RowId>,
    pub with_whom: EpisodeWith,
    /// When it happened; not recorded for episodes written before it was asked.
    pub when: Option<EpisodeWhen>,
    pub wish: Option<Wish>,
    pub wish_text: String,
    pub response_of_other: Option<ResponseOfOther>,
    pub response_of_other_text: String,
    pub response_of_self: Option<ResponseOfSelf>,
    pub response_of_self_text: String,
}

/// A session's rows at a glance: its reactions, and how many interventions,
/// interpretations and episodes it has (made from the structured columns:
/// `SessionFacts::glance`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Glance {
    pub reactions: Vec<(ReactionDimension, u8)>,
    pub interventions: usize,
    pub interpretations: usize,
    pub episodes: usize,
}

/// A saved reflection with what identifies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReflection {
    pub id: ReflectionId,
    pub case_id: super::cases::CaseId,
    pub case_code: String,
    /// Incremented by every save.
    pub version: i64,
    pub updated_at: i64,
    pub reflection: Reflection,
}

/// Unsaved typing, kept on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub input: ReflectionInput,
    /// The saved version the typing started from (`None` for a new reflection).
    pub base_version: Option<i64>,
    pub updated_at: i64,
}

/// A draft as listed for its author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub case_id: super::cases::CaseId,
    pub case_code: String,
    pub reflection_id: Option<ReflectionId>,
    pub session_number: String,
    pub updated_at: i64,
}

impl Reflection {
    /// Every free-text passage with a label saying where it is, in reading
    /// order (private ones included: this is the author's view).
    pub fn passages(&self) -> Vec<(String, &str)> {
        let mut passages = reaction_passages(&self.reactions);
        passages.push(("Trigger".to_string(), &self.trigger.note));
        passages.push(("Manifestation".to_string(), &self.manifestation.note));
        passages.push(("Management".to_string(), &self.management.note));
        passages.push(("Origin (private)".to_string(), &self.origin.note));
        passages.push(("Internal object".to_string(), &self.racker_object));
        passages.push(("Identification".to_string(), &self.racker_note));
        passages.push(("Enactment".to_string(), &self.enactment));
        passages.extend(row_passages(&self.interventions, &self.episodes));
        passages.push(("Private notes".to_string(), &self.private_notes));
        passages.retain(|(_, text)| !text.trim().is_empty());
        passages
    }
}

/// The passages of the reactions, labelled as [`Reflection::passages`] does.
fn reaction_passages(reactions: &[Reaction]) -> Vec<(String, &str)> {
    reactions
        .iter()
        .map(|reaction| {
            (
                format!("Reaction: {}", reaction.dimension.label()),
                reaction.text.as_str(),
            )
        })
        .collect()
}

/// The passages of the interventions and episodes, labelled as
/// [`Reflection::passages`] does.
fn row_passages<'a>(
    interventions: &'a [Intervention],
    episodes: &'a [Episode],
) -> Vec<(String, &'a str)> {
    let mut passages: Vec<(String, &str)> = Vec::new();
    for (index, intervention) in interventions.iter().enumerate() {
        passages.push((
            format!("Intervention {}: {}", index + 1, intervention.kind.label()),
            &intervention.text,
        ));
    }
    for (index, episode) in episodes.iter().enumerate() {
        let number = index + 1;
        passages.push((format!("Episode {number}: wish"), &episode.wish_text));
        passages.push((
            format!("Episode {number}: response of other"),
            &episode.response_of_other_text,
        ));
        passages.push((
            format!("Episode {number}: response of self"),
            &episode.response_of_self_text,
        ));
    }
    passages
}
