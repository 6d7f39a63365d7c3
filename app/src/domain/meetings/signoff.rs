//! Who may change what in a meeting record, before and after sign-off.
//!
//! Until sign-off the supervisor edits the record and its action items,
//! and each supervisee in the meeting may comment on it and acknowledge
//! it. Sign-off is the supervisor's and happens once; acknowledgement is
//! not required first (a supervisee who never acknowledges must not keep
//! hours from counting). After sign-off nothing in the record changes: a
//! correction or a late remark is an addendum with its own date and author,
//! by the supervisor or a supervisee in the meeting. One thing stays open:
//! marking an action item done, because items are carried to later
//! meetings until done and doing them is not a change to what was agreed.
//! Only the person an item is assigned to may mark it done (or undo that).

use serde::{Deserialize, Serialize};

use super::{bounded_text, Assignee};
use crate::domain::{accounts::UserId, time::format_utc_date};

pub const ADDENDUM_MAX_CHARS: usize = 4_000;

/// Who a person is in one meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingRole {
    Supervisor,
    Supervisee,
}

/// A meeting's people and where its record stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingState {
    pub supervisor: UserId,
    pub supervisees: Vec<UserId>,
    /// The supervisees who acknowledged the record as it now reads.
    pub acknowledged_by: Vec<UserId>,
    /// When the supervisor signed it off (Unix milliseconds).
    pub signed_off_at: Option<i64>,
}

/// Where a record stands, as a label shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Draft,
    /// Every supervisee in the meeting acknowledged it.
    Acknowledged,
    SignedOff {
        at: i64,
    },
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Not signed off",
            Stage::Acknowledged => "Acknowledged, not signed off",
            Stage::SignedOff { .. } => "Signed off",
        }
    }
}

/// A change someone asks to make to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingChange {
    /// Date, duration, format, supervisees, cases, notes or agenda.
    EditDetails,
    /// Adding, removing or rewording action items, or assigning them.
    EditActionItems,
    /// Marking an action item done, or not done again.
    MarkActionItemDone {
        assignee: Assignee,
    },
    /// A supervisee's comment on the record.
    Comment,
    Acknowledge,
    SignOff,
    AddAddendum,
}

/// Why a change is refused; the message is the one to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Refusal {
    /// Neither the supervisor nor a supervisee of the meeting: to them it
    /// does not exist.
    #[error("This meeting is not one of yours.")]
    NotInMeeting,
    #[error("Only the supervisor who recorded the meeting can do this.")]
    SupervisorOnly,
    #[error("Only a supervisee in the meeting can do this.")]
    SuperviseeOnly,
    #[error("Only the person this action item is assigned to can mark it done.")]
    NotAssignee,
    /// The record is signed off (a conflict with its state, 409).
    #[error("This meeting was signed off on {}; it can no longer be changed. Add an addendum to correct or complete it.", format_utc_date(*at))]
    SignedOff { at: i64 },
    /// An addendum before sign-off (a conflict with its state, 409).
    #[error("An addendum is added after sign-off; until then, the record itself can be changed or commented on.")]
    NotSignedOffYet,
}

impl Refusal {
    /// Whether the change conflicts with the record's state rather than
    /// with who asks: it might have been allowed at another time.
    pub fn is_conflict(self) -> bool {
        matches!(self, Refusal::SignedOff { .. } | Refusal::NotSignedOffYet)
    }
}

impl MeetingState {
    pub fn stage(&self) -> Stage {
        match self.signed_off_at {
            Some(at) => Stage::SignedOff { at },
            None if !self.supervisees.is_empty()
                && self
                    .supervisees
                    .iter()
                    .all(|user| self.acknowledged_by.contains(user)) =>
            {
                Stage::Acknowledged
            }
            None => Stage::Draft,
        }
    }

    /// `None` for anyone outside the meeting.
    pub fn role_of(&self, user: UserId) -> Option<MeetingRole> {
        if user == self.supervisor {
            Some(MeetingRole::Supervisor)
        } else if self.supervisees.contains(&user) {
            Some(MeetingRole::Supervisee)
        } else {
            None
        }
    }

    /// Whether `user` may make `change` now. Who asks is checked before
    /// the record's state: someone who could never make a change is told
    /// so, not that it is too late. Acknowledging twice is allowed (a form
    /// sent twice changes nothing).
    pub fn check(&self, user: UserId, change: MeetingChange) -> Result<(), Refusal> {
        let role = self.role_of(user).ok_or(Refusal::NotInMeeting)?;
        match change {
            MeetingChange::EditDetails
            | MeetingChange::EditActionItems
            | MeetingChange::SignOff => {
                only(role, MeetingRole::Supervisor)?;
                self.not_signed_off()
            }
            MeetingChange::Comment | MeetingChange::Acknowledge => {
                only(role, MeetingRole::Supervisee)?;
                self.not_signed_off()
            }
            MeetingChange::MarkActionItemDone { assignee } => {
                let is_assignee = match assignee {
                    Assignee::Supervisor => role == MeetingRole::Supervisor,
                    Assignee::Supervisee(assigned) => assigned == user,
                };
                is_assignee.then_some(()).ok_or(Refusal::NotAssignee)
            }
            MeetingChange::AddAddendum => match self.signed_off_at {
                Some(_) => Ok(()),
                None => Err(Refusal::NotSignedOffYet),
            },
        }
    }

    /// The state after the supervisor changed the record: acknowledgements
    /// were given to the text as it was, so they are asked for again.
    pub fn after_edit(&self) -> MeetingState {
        MeetingState {
            acknowledged_by: Vec::new(),
            ..self.clone()
        }
    }

    fn not_signed_off(&self) -> Result<(), Refusal> {
        match self.signed_off_at {
            Some(at) => Err(Refusal::SignedOff { at }),
            None => Ok(()),
        }
    }
}

fn only(role: MeetingRole, allowed: MeetingRole) -> Result<(), Refusal> {
    match (role == allowed, allowed) {
        (true, _) => Ok(()),
        (false, MeetingRole::Supervisor) => Err(Refusal::SupervisorOnly),
        (false, MeetingRole::Supervisee) => Err(Refusal::SuperviseeOnly),
    }
}

/// An addendum's text: not blank, at most [`ADDENDUM_MAX_CHARS`] characters.
pub fn addendum_body(text: &str) -> Result<String, String> {
    let text = bounded_text(text, ADDENDUM_MAX_CHARS, "an addendum")?;
    if text.is_empty() {
        return Err("Write the addendum first.".to_string());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUPERVISOR: UserId = UserId(1);
    const ANNA: UserId = UserId(10);
    const BEN: UserId = UserId(11);
    const OUTSIDER: UserId = UserId(99);
    /// 2026-11-22 14:05 UTC.
    const SIGNED_AT: i64 = 1_795_356_300_000;

    fn state(acknowledged_by: &[UserId], signed_off_at: Option<i64>) -> MeetingState {
        MeetingState {
            supervisor: SUPERVISOR,
            supervisees: vec![ANNA, BEN],
            acknowledged_by: acknowledged_by.to_vec(),
            signed_off_at,
        }
    }

    const CHANGES: [MeetingChange; 8] = [
        MeetingChange::EditDetails,
        MeetingChange::EditActionItems,
        MeetingChange::MarkActionItemDone {
            assignee: Assignee::Supervisor,
        },
        MeetingChange::MarkActionItemDone {
            assignee: Assignee::Supervisee(ANNA),
        },
        MeetingChange::Comment,
        MeetingChange::Acknowledge,
        MeetingChange::SignOff,
        MeetingChange::AddAddendum,
    ];

    /// One letter per outcome, to write the tables by hand: `+` allowed,
    /// `R` supervisor only, `E` supervisee only, `A` not the assignee,
    /// `S` signed off, `Y` not signed off yet, `N` not in the meeting.
    fn letter(outcome: Result<(), Refusal>) -> char {
        match outcome {
            Ok(()) => '+',
            Err(Refusal::SupervisorOnly) => 'R',
            Err(Refusal::SuperviseeOnly) => 'E',
            Err(Refusal::NotAssignee) => 'A',
            Err(Refusal::SignedOff { at }) => {
                assert_eq!(at, SIGNED_AT);
                'S'
            }
            Err(Refusal::NotSignedOffYet) => 'Y',
            Err(Refusal::NotInMeeting) => 'N',
        }
    }

    /// Per change (rows, in the order of `CHANGES`), the outcome for the
    /// supervisor, Anna, Ben and an outsider.
    fn table(state: &MeetingState) -> Vec<String> {
        CHANGES
            .iter()
            .map(|&change| {
                [SUPERVISOR, ANNA, BEN, OUTSIDER]
                    .iter()
                    .map(|&user| letter(state.check(user, change)))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn before_sign_off_each_role_makes_its_own_changes() {
        let expected = [
            "+RRN", // edit details
            "+RRN", // edit action items
            "+AAN", // mark done an item assigned to the supervisor
            "A+AN", // mark done an item assigned to Anna
            "E++N", // comment
            "E++N", // acknowledge
            "+RRN", // sign off
            "YYYN", // add an addendum
        ];
        for acknowledged in [&[][..], &[ANNA], &[ANNA, BEN]] {
            assert_eq!(
                table(&state(acknowledged, None)),
                expected,
                "{acknowledged:?}"
            );
        }
    }

    #[test]
    fn after_sign_off_only_addenda_and_done_marks_are_allowed() {
        let expected = [
            "SRRN", // edit details
            "SRRN", // edit action items
            "+AAN", // mark done an item assigned to the supervisor
            "A+AN", // mark done an item assigned to Anna
            "ESSN", // comment
            "ESSN", // acknowledge
            "SRRN", // sign off again
            "+++N", // add an addendum
        ];
        for acknowledged in [&[][..], &[ANNA, BEN]] {
            assert_eq!(
                table(&state(acknowledged, Some(SIGNED_AT))),
                expected,
                "{acknowledged:?}"
            );
        }
    }

    #[test]
    fn refusals_explain_themselves() {
        let signed = state(&[], Some(SIGNED_AT));
        let refusal = signed
            .check(SUPERVISOR, MeetingChange::EditDetails)
            .unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "This meeting was signed off on 2026-11-22; it can no longer be changed. Add an addendum to correct or complete it."
        );
        assert!(refusal.is_conflict());
        assert!(Refusal::NotSignedOffYet.is_conflict());
        for refusal in [
            Refusal::NotInMeeting,
            Refusal::SupervisorOnly,
            Refusal::SuperviseeOnly,
            Refusal::NotAssignee,
        ] {
            assert!(!refusal.is_conflict(), "{refusal:?}");
            assert!(refusal.to_string().ends_with('.'));
        }
        assert_eq!(
            Refusal::NotAssignee.to_string(),
            "Only the person this action item is assigned to can mark it done."
        );
    }

    #[test]
    fn the_stage_follows_acknowledgements_and_sign_off() {
        assert_eq!(state(&[], None).stage(), Stage::Draft);
        assert_eq!(state(&[ANNA], None).stage(), Stage::Draft);
        assert_eq!(state(&[BEN, ANNA], None).stage(), Stage::Acknowledged);
        assert_eq!(
            state(&[ANNA], Some(SIGNED_AT)).stage(),
            Stage::SignedOff { at: SIGNED_AT }
        );
        assert_eq!(Stage::Acknowledged.label(), "Acknowledged, not signed off");
    }

    #[test]
    fn roles_are_found_by_account() {
        let meeting = state(&[], None);
        assert_eq!(meeting.role_of(SUPERVISOR), Some(MeetingRole::Supervisor));
        assert_eq!(meeting.role_of(BEN), Some(MeetingRole::Supervisee));
        assert_eq!(meeting.role_of(OUTSIDER), None);
    }

    #[test]
    fn an_edit_asks_for_acknowledgement_again() {
        let acknowledged = state(&[ANNA, BEN], None);
        let edited = acknowledged.after_edit();
        assert!(edited.acknowledged_by.is_empty());
        assert_eq!(edited.stage(), Stage::Draft);
        assert_eq!(edited.supervisees, acknowledged.supervisees);
    }

    #[test]
    fn an_addendum_has_text_within_its_limit() {
        assert_eq!(
            addendum_body("  Date corrected.  ").unwrap(),
            "Date corrected."
        );
        assert_eq!(addendum_body(" ").unwrap_err(), "Write the addendum first.");
        assert!(addendum_body(&"x".repeat(ADDENDUM_MAX_CHARS + 1)).is_err());
        assert!(addendum_body(&"x".repeat(ADDENDUM_MAX_CHARS)).is_ok());
    }
}
