//! A reflection as a supervisor sees it.

use serde::{Deserialize, Serialize};

use super::{
    reaction_passages, row_passages, Choices, Episode, Intervention, Reaction, ReflectionId,
    StoredReflection,
};
use crate::domain::{
    cases::CaseId,
    vocabulary::{HayesManagement, HayesManifestation, HayesTrigger, RackerIdentification},
};

/// A reflection seen through a share. There is no field for what is never
/// shared (the Hayes origin and the private notes) nor for the session's
/// calendar date: the session is placed by its number and its week since
/// the case started. What this type cannot hold cannot reach a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedReflection {
    pub id: ReflectionId,
    pub case_id: CaseId,
    /// Incremented by every save of the therapist.
    pub version: i64,
    pub session_number: u32,
    /// 1 for the case's first week.
    pub week: i64,
    pub reactions: Vec<Reaction>,
    pub trigger: Choices<HayesTrigger>,
    pub manifestation: Choices<HayesManifestation>,
    pub management: Choices<HayesManagement>,
    pub racker: Option<RackerIdentification>,
    pub racker_object: String,
    pub racker_note: String,
    pub enactment: String,
    pub interventions: Vec<Intervention>,
    pub episodes: Vec<Episode>,
}

impl StoredReflection {
    /// What a supervisor reads of this reflection, made from the author's
    /// copy without reading it again: the same projection as the shared
    /// read in the database. `week` is the case's week of the session.
    pub fn shared_part(&self, week: i64) -> SharedReflection {
        let reflection = &self.reflection;
        SharedReflection {
            id: self.id,
            case_id: self.case_id,
            version: self.version,
            session_number: reflection.session_number,
            week,
            reactions: reflection.reactions.clone(),
            trigger: reflection.trigger.clone(),
            manifestation: reflection.manifestation.clone(),
            management: reflection.management.clone(),
            racker: reflection.racker,
            racker_object: reflection.racker_object.clone(),
            racker_note: reflection.racker_note.clone(),
            enactment: reflection.enactment.clone(),
            interventions: reflection.interventions.clone(),
            episodes: reflection.episodes.clone(),
        }
    }
}

impl SharedReflection {
    /// Every free-text passage a supervisor reads, labelled as the author's
    /// [`super::Reflection::passages`] labels it, in reading order.
    pub fn passages(&self) -> Vec<(String, &str)> {
        let mut passages = reaction_passages(&self.reactions);
        passages.push(("Trigger".to_string(), &self.trigger.note));
        passages.push(("Manifestation".to_string(), &self.manifestation.note));
        passages.push(("Management".to_string(), &self.management.note));
        passages.push(("Internal object".to_string(), &self.racker_object));
        passages.push(("Identification".to_string(), &self.racker_note));
        passages.push(("Enactment".to_string(), &self.enactment));
        passages.extend(row_passages(&self.interventions, &self.episodes));
        passages.retain(|(_, text)| !text.trim().is_empty());
        passages
    }
}
