//! Small builders for the analytics tests.

use super::{EpisodeFacts, InterventionFacts, ReactionFacts, SessionFacts};
use crate::domain::{
    reflection::{ReflectionId, RowId, Timing},
    vocabulary::{
        ClientResponse, EpisodeWhen, EpisodeWith, InterventionKind, ReactionDimension,
        ResponseOfOther, ResponseOfSelf, Wish,
    },
};

/// Session `number` of a case meeting weekly: reflection `100 + number`,
/// week `number`, no rows.
pub fn session(number: u32) -> SessionFacts {
    SessionFacts {
        reflection: ReflectionId(100 + i64::from(number)),
        session_number: number,
        week: i64::from(number),
        reactions: Vec::new(),
        interventions: Vec::new(),
        episodes: Vec::new(),
    }
}

pub fn reaction(row: i64, dimension: ReactionDimension, intensity: u8) -> ReactionFacts {
    ReactionFacts {
        row: RowId(row),
        dimension,
        intensity,
    }
}

pub fn intervention(
    row: i64,
    kind: InterventionKind,
    timing: Timing,
    depth: u8,
    response: Option<ClientResponse>,
) -> InterventionFacts {
    InterventionFacts {
        row: RowId(row),
        kind,
        timing,
        depth,
        response,
    }
}

/// A question at minute 5 of the given depth, with no response recorded:
/// filler that only moves the depth baseline.
pub fn question(row: i64, depth: u8) -> InterventionFacts {
    intervention(
        row,
        InterventionKind::Question,
        Timing::Minute(5),
        depth,
        None,
    )
}

/// An episode with a current other, `when` not recorded.
pub fn episode(
    row: i64,
    wish: Option<Wish>,
    response_of_other: Option<ResponseOfOther>,
    response_of_self: Option<ResponseOfSelf>,
) -> EpisodeFacts {
    EpisodeFacts {
        row: RowId(row),
        with_whom: EpisodeWith::CurrentOther,
        when: None,
        wish,
        response_of_other,
        response_of_self,
    }
}

pub fn episode_with(row: i64, with_whom: EpisodeWith, when: Option<EpisodeWhen>) -> EpisodeFacts {
    EpisodeFacts {
        with_whom,
        when,
        ..episode(row, None, None, None)
    }
}
