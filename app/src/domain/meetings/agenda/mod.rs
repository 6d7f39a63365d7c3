//! A meeting's agenda: the pre-filled items (`build`) and the agenda as the
//! supervisor edits it (`edit`).
//!
//! A new meeting's agenda is pre-filled with what happened since the previous
//! meeting with the same supervisee(s): comments and replies, pacing ratings
//! other than "well timed", reflections marked reviewed or changed since
//! review, and every action item of an earlier meeting not yet done.
//!
//! Nothing appears twice: one item per session and kind (all the comments
//! and replies on one reflection make one item, as do all its ratings),
//! one review item per reflection (its latest state), and one item per open
//! action item however many earlier meetings list it.
//!
//! Order: open action items first (what was agreed comes back first), by
//! the day of the meeting that agreed them, then by id; then the sessions
//! by case code, then session number, then kind (comments, pacing ratings,
//! review).

mod build;
mod edit;

use serde::{Deserialize, Serialize};

pub use build::build_agenda;
pub use edit::{
    agenda_field, edit_agenda, AgendaInput, AgendaRowInput, OWN_ITEMS_MAX, OWN_ITEM_MAX_CHARS,
};

use super::{iso_date, ActionItemId, Assignee};
use crate::domain::{
    accounts::UserId,
    cases::CaseId,
    reflection::{ReflectionId, RowId},
    vocabulary::PacingRating,
};

/// A shared session as the agenda names it: by case code, session number
/// and week, never by date or name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPlace {
    pub case: CaseId,
    pub case_code: String,
    pub reflection: ReflectionId,
    pub session_number: u32,
    pub week: i64,
}

/// What happened on a shared reflection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlagKind {
    /// A comment or a reply, by the supervisor or the supervisee.
    Comment,
    /// An intervention's pacing rating as it now stands.
    PacingRating {
        intervention: RowId,
        rating: PacingRating,
    },
    /// The supervisor marked the reflection reviewed.
    Reviewed,
    /// The therapist saved the reflection again after it was reviewed.
    ChangedSinceReview,
}

/// One event on a shared session, and when it happened (Unix milliseconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedEvent {
    pub kind: FlagKind,
    pub at: i64,
    pub session: SessionPlace,
}

/// An action item of an earlier meeting, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriedActionItem {
    pub id: ActionItemId,
    /// The day of the meeting that agreed it.
    pub meeting_day: i64,
    pub text: String,
    pub assignee: Assignee,
    pub done: bool,
}

/// Where a reviewed reflection stands at the latest event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewOutcome {
    Reviewed,
    ChangedSinceReview,
}

/// What an agenda item is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgendaTopic {
    OpenActionItem {
        id: ActionItemId,
        meeting_day: i64,
        text: String,
        assignee: Assignee,
    },
    /// Comments and replies on one reflection.
    Comments {
        session: SessionPlace,
        messages: u32,
    },
    /// The interventions of one reflection rated other than well timed, by
    /// row id.
    PacingRatings {
        session: SessionPlace,
        ratings: Vec<(RowId, PacingRating)>,
    },
    Review {
        session: SessionPlace,
        outcome: ReviewOutcome,
    },
    /// An item the supervisor added.
    Own { text: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub topic: AgendaTopic,
}

/// The identity of a pre-filled item, posted by the agenda form to keep,
/// remove or move it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AgendaKey {
    ActionItem(ActionItemId),
    Comments(ReflectionId),
    PacingRatings(ReflectionId),
    Review(ReflectionId),
}

impl AgendaKey {
    /// `action_item:4`, `comments:12`, `pacing:12`, `review:12`.
    pub fn slug(self) -> String {
        match self {
            AgendaKey::ActionItem(id) => format!("action_item:{}", id.0),
            AgendaKey::Comments(id) => format!("comments:{}", id.0),
            AgendaKey::PacingRatings(id) => format!("pacing:{}", id.0),
            AgendaKey::Review(id) => format!("review:{}", id.0),
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let (kind, id) = text.trim().split_once(':')?;
        let id: i64 = id.parse().ok()?;
        match kind {
            "action_item" => Some(AgendaKey::ActionItem(ActionItemId(id))),
            "comments" => Some(AgendaKey::Comments(ReflectionId(id))),
            "pacing" => Some(AgendaKey::PacingRatings(ReflectionId(id))),
            "review" => Some(AgendaKey::Review(ReflectionId(id))),
            _ => None,
        }
    }
}

impl AgendaItem {
    /// `None` for the supervisor's own items, which have no source.
    pub fn key(&self) -> Option<AgendaKey> {
        match &self.topic {
            AgendaTopic::OpenActionItem { id, .. } => Some(AgendaKey::ActionItem(*id)),
            AgendaTopic::Comments { session, .. } => Some(AgendaKey::Comments(session.reflection)),
            AgendaTopic::PacingRatings { session, .. } => {
                Some(AgendaKey::PacingRatings(session.reflection))
            }
            AgendaTopic::Review { session, .. } => Some(AgendaKey::Review(session.reflection)),
            AgendaTopic::Own { .. } => None,
        }
    }
}

/// An earlier meeting, for finding the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierMeeting {
    pub supervisees: Vec<UserId>,
    /// When it was recorded (Unix milliseconds).
    pub recorded_at: i64,
}

/// When the previous meeting with the same supervisee(s) was recorded: the
/// latest earlier meeting with exactly this set of supervisees (an
/// individual meeting does not follow on from a group one, nor the
/// reverse). `None` when there is none: the agenda then covers everything.
pub fn previous_meeting_at(earlier: &[EarlierMeeting], supervisees: &[UserId]) -> Option<i64> {
    let set = |users: &[UserId]| {
        let mut ids: Vec<i64> = users.iter().map(|user| user.0).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let wanted = set(supervisees);
    earlier
        .iter()
        .filter(|meeting| set(&meeting.supervisees) == wanted)
        .map(|meeting| meeting.recorded_at)
        .max()
}

/// An agenda item as the meeting page (and the export) lists it: one line
/// of text, with `name_of` naming supervisees.
pub fn agenda_line(
    topic: &AgendaTopic,
    name_of: &dyn Fn(UserId) -> String,
    supervisor_name: &str,
) -> String {
    let place = |session: &SessionPlace| {
        format!(
            "{} · session {} (week {})",
            session.case_code, session.session_number, session.week
        )
    };
    match topic {
        AgendaTopic::OpenActionItem {
            meeting_day,
            text,
            assignee,
            ..
        } => {
            let who = match assignee {
                Assignee::Supervisor => supervisor_name.to_string(),
                Assignee::Supervisee(user) => name_of(*user),
            };
            format!(
                "Open action item from {} ({who}): {text}",
                iso_date(*meeting_day)
            )
        }
        AgendaTopic::Comments { session, messages } => format!(
            "{}: {messages} {}",
            place(session),
            if *messages == 1 {
                "comment"
            } else {
                "comments and replies"
            }
        ),
        AgendaTopic::PacingRatings { session, ratings } => format!(
            "{}: pacing rated {}",
            place(session),
            ratings
                .iter()
                .map(|(_, rating)| rating.label().to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        AgendaTopic::Review { session, outcome } => format!(
            "{}: {}",
            place(session),
            match outcome {
                ReviewOutcome::Reviewed => "reviewed",
                ReviewOutcome::ChangedSinceReview => "changed since review",
            }
        ),
        AgendaTopic::Own { text } => text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_travel_as_slugs() {
        for key in [
            AgendaKey::ActionItem(ActionItemId(4)),
            AgendaKey::Comments(ReflectionId(12)),
            AgendaKey::PacingRatings(ReflectionId(12)),
            AgendaKey::Review(ReflectionId(12)),
        ] {
            assert_eq!(AgendaKey::parse(&key.slug()), Some(key));
        }
        assert_eq!(
            AgendaKey::PacingRatings(ReflectionId(12)).slug(),
            "pacing:12"
        );
        for bad in [
            "",
            "comments",
            "comments:",
            "comments:x",
            "own:1",
            "review:1:2",
        ] {
            assert_eq!(AgendaKey::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn own_items_have_no_key() {
        let own = AgendaItem {
            topic: AgendaTopic::Own {
                text: "Holidays".to_string(),
            },
        };
        assert_eq!(own.key(), None);
    }

    #[test]
    fn the_previous_meeting_is_the_latest_with_exactly_the_same_supervisees() {
        let meeting = |ids: &[i64], recorded_at| EarlierMeeting {
            supervisees: ids.iter().copied().map(UserId).collect(),
            recorded_at,
        };
        let earlier = [
            meeting(&[10], 100),
            meeting(&[10, 11], 300),
            meeting(&[10], 200),
            meeting(&[11], 400),
            meeting(&[11, 10, 12], 500),
        ];
        assert_eq!(previous_meeting_at(&earlier, &[UserId(10)]), Some(200));
        // The order and repetition of supervisees do not matter.
        assert_eq!(
            previous_meeting_at(&earlier, &[UserId(11), UserId(10), UserId(11)]),
            Some(300)
        );
        assert_eq!(previous_meeting_at(&earlier, &[UserId(12)]), None);
        assert_eq!(previous_meeting_at(&[], &[UserId(10)]), None);
    }
}
