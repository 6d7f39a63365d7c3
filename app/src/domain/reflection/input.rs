//! The reflection form exactly as typed, and the form filled from a saved
//! reflection.

use serde::{Deserialize, Serialize};

use super::{Reflection, RowId, RowKind, Timing};
use crate::domain::vocabulary::{
    ClientResponse, EpisodeWhen, HayesManagement, HayesManifestation, HayesOrigin, HayesTrigger,
    RackerIdentification, ResponseOfOther, ResponseOfSelf, TargetPerson, Wish,
};

/// The reflection form exactly as typed: every value a string, so that an
/// invalid submission (or a draft) can be shown again without losing a
/// character.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReflectionInput {
    pub session_number: String,
    pub session_date: String,
    pub reactions: Vec<ReactionInput>,
    pub trigger: Vec<String>,
    pub trigger_note: String,
    pub manifestation: Vec<String>,
    pub manifestation_note: String,
    pub management: Vec<String>,
    pub management_note: String,
    pub origin: Vec<String>,
    pub origin_note: String,
    pub racker: String,
    pub racker_object: String,
    pub racker_note: String,
    pub enactment: String,
    pub interventions: Vec<InterventionInput>,
    pub episodes: Vec<EpisodeInput>,
    pub private_notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReactionInput {
    /// The stored row's id (a hidden field); empty for a row not saved yet.
    pub id: String,
    pub dimension: String,
    pub intensity: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterventionInput {
    /// The stored row's id (a hidden field); empty for a row not saved yet.
    pub id: String,
    pub kind: String,
    pub minute: String,
    pub phase: String,
    pub depth: String,
    pub target: String,
    pub response: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EpisodeInput {
    /// The stored row's id (a hidden field); empty for a row not saved yet.
    pub id: String,
    pub with_whom: String,
    pub when: String,
    pub wish: String,
    pub wish_text: String,
    pub response_of_other: String,
    pub response_of_other_text: String,
    pub response_of_self: String,
    pub response_of_self_text: String,
}

impl ReflectionInput {
    /// Every free-text field with its form name (`reflection[enactment]`,
    /// `reflection[reactions][2][text]`), for marking what is typed.
    pub fn text_fields(&self) -> Vec<(String, &str)> {
        let field = |name: &str| format!("reflection[{name}]");
        let mut fields = vec![
            (field("trigger_note"), self.trigger_note.as_str()),
            (field("manifestation_note"), &self.manifestation_note),
            (field("management_note"), &self.management_note),
            (field("origin_note"), &self.origin_note),
            (field("racker_object"), &self.racker_object),
            (field("racker_note"), &self.racker_note),
            (field("enactment"), &self.enactment),
            (field("private_notes"), &self.private_notes),
        ];
        let row = |kind: RowKind, index: usize, name: &str| {
            format!("reflection[{}][{index}][{name}]", kind.slug())
        };
        for (index, reaction) in self.reactions.iter().enumerate() {
            fields.push((row(RowKind::Reaction, index, "text"), &reaction.text));
        }
        for (index, intervention) in self.interventions.iter().enumerate() {
            fields.push((
                row(RowKind::Intervention, index, "text"),
                &intervention.text,
            ));
        }
        for (index, episode) in self.episodes.iter().enumerate() {
            let kind = RowKind::Episode;
            fields.push((row(kind, index, "wish_text"), &episode.wish_text));
            fields.push((
                row(kind, index, "response_of_other_text"),
                &episode.response_of_other_text,
            ));
            fields.push((
                row(kind, index, "response_of_self_text"),
                &episode.response_of_self_text,
            ));
        }
        fields
    }

    /// A fresh form: the next session number, today's date, one empty row
    /// of each kind to start typing in.
    pub fn blank(session_number: u32, today: &str) -> Self {
        ReflectionInput {
            session_number: session_number.to_string(),
            session_date: today.to_string(),
            reactions: vec![ReactionInput::default()],
            interventions: vec![InterventionInput::default()],
            episodes: vec![EpisodeInput::default()],
            ..ReflectionInput::default()
        }
    }

    pub fn add_row(&mut self, kind: RowKind) {
        match kind {
            RowKind::Reaction => self.reactions.push(ReactionInput::default()),
            RowKind::Intervention => self.interventions.push(InterventionInput::default()),
            RowKind::Episode => self.episodes.push(EpisodeInput::default()),
        }
    }

    /// Removes row `index` of `kind`; an index past the end changes nothing.
    pub fn remove_row(&mut self, kind: RowKind, index: usize) {
        fn remove<T>(rows: &mut Vec<T>, index: usize) {
            if index < rows.len() {
                rows.remove(index);
            }
        }
        match kind {
            RowKind::Reaction => remove(&mut self.reactions, index),
            RowKind::Intervention => remove(&mut self.interventions, index),
            RowKind::Episode => remove(&mut self.episodes, index),
        }
    }

    pub fn rows(&self, kind: RowKind) -> usize {
        match kind {
            RowKind::Reaction => self.reactions.len(),
            RowKind::Intervention => self.interventions.len(),
            RowKind::Episode => self.episodes.len(),
        }
    }
}

impl Reflection {
    /// The form filled with this reflection, for editing.
    pub fn to_input(&self) -> ReflectionInput {
        fn slugs<T: Copy>(picked: &[T], slug: fn(T) -> &'static str) -> Vec<String> {
            picked
                .iter()
                .map(|&choice| slug(choice).to_string())
                .collect()
        }
        fn row_id(id: Option<RowId>) -> String {
            id.map(|id| id.0.to_string()).unwrap_or_default()
        }
        fn optional<T: Copy>(choice: Option<T>, slug: fn(T) -> &'static str) -> String {
            choice.map(slug).unwrap_or_default().to_string()
        }
        ReflectionInput {
            session_number: self.session_number.to_string(),
            session_date: self.session_date.clone(),
            reactions: self
                .reactions
                .iter()
                .map(|reaction| ReactionInput {
                    id: row_id(reaction.id),
                    dimension: reaction.dimension.slug().to_string(),
                    intensity: reaction.intensity.to_string(),
                    text: reaction.text.clone(),
                })
                .collect(),
            trigger: slugs(&self.trigger.picked, HayesTrigger::slug),
            trigger_note: self.trigger.note.clone(),
            manifestation: slugs(&self.manifestation.picked, HayesManifestation::slug),
            manifestation_note: self.manifestation.note.clone(),
            management: slugs(&self.management.picked, HayesManagement::slug),
            management_note: self.management.note.clone(),
            origin: slugs(&self.origin.picked, HayesOrigin::slug),
            origin_note: self.origin.note.clone(),
            racker: optional(self.racker, RackerIdentification::slug),
            racker_object: self.racker_object.clone(),
            racker_note: self.racker_note.clone(),
            enactment: self.enactment.clone(),
            interventions: self
                .interventions
                .iter()
                .map(|intervention| {
                    let (minute, phase) = match intervention.timing {
                        Timing::Minute(minute) => (minute.to_string(), String::new()),
                        Timing::Phase(phase) => (String::new(), phase.slug().to_string()),
                    };
                    InterventionInput {
                        id: row_id(intervention.id),
                        kind: intervention.kind.slug().to_string(),
                        minute,
                        phase,
                        depth: intervention.depth.to_string(),
                        target: optional(intervention.target, TargetPerson::slug),
                        response: optional(intervention.response, ClientResponse::slug),
                        text: intervention.text.clone(),
                    }
                })
                .collect(),
            episodes: self
                .episodes
                .iter()
                .map(|episode| EpisodeInput {
                    id: row_id(episode.id),
                    with_whom: episode.with_whom.slug().to_string(),
                    when: optional(episode.when, EpisodeWhen::slug),
                    wish: optional(episode.wish, Wish::slug),
                    wish_text: episode.wish_text.clone(),
                    response_of_other: optional(episode.response_of_other, ResponseOfOther::slug),
                    response_of_other_text: episode.response_of_other_text.clone(),
                    response_of_self: optional(episode.response_of_self, ResponseOfSelf::slug),
                    response_of_self_text: episode.response_of_self_text.clone(),
                })
                .collect(),
            private_notes: self.private_notes.clone(),
        }
    }
}
