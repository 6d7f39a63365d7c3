//! A reflection as a supervisor sees it.

use serde::{Deserialize, Serialize};

use super::{Choices, Episode, Intervention, Reaction, ReflectionId};
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
