//! The supervisor's next meetings, as the home page offers them: with whom
//! each will probably be (the people of the latest meeting a supervisee was
//! in, or the supervisee alone) and how long its pre-filled agenda is
//! already. Meetings are recorded once held, so the next one is the one not
//! recorded yet.

use serde::{Deserialize, Serialize};

use super::{EarlierMeeting, Participant};
use crate::domain::accounts::UserId;

/// A meeting not recorded yet and the size of the agenda it would start with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextMeeting {
    pub supervisees: Vec<Participant>,
    pub agenda_items: usize,
}

/// The people of each next meeting: for each of `supervisees` (those who
/// share a case today, in the order given), the people of the latest
/// meeting they were in who still share a case, or them alone when they
/// were in none; each group once, its people in the order of `supervisees`.
pub fn next_meeting_groups(supervisees: &[UserId], earlier: &[EarlierMeeting]) -> Vec<Vec<UserId>> {
    let mut groups: Vec<Vec<UserId>> = Vec::new();
    for person in supervisees {
        let latest = earlier
            .iter()
            .filter(|meeting| meeting.supervisees.contains(person))
            .max_by_key(|meeting| meeting.recorded_at);
        let group: Vec<UserId> = match latest {
            Some(meeting) => supervisees
                .iter()
                .filter(|other| meeting.supervisees.contains(other))
                .copied()
                .collect(),
            None => vec![*person],
        };
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(supervisees: &[i64], recorded_at: i64) -> EarlierMeeting {
        EarlierMeeting {
            supervisees: supervisees.iter().copied().map(UserId).collect(),
            recorded_at,
        }
    }

    fn groups(supervisees: &[i64], earlier: &[EarlierMeeting]) -> Vec<Vec<i64>> {
        let supervisees: Vec<UserId> = supervisees.iter().copied().map(UserId).collect();
        next_meeting_groups(&supervisees, earlier)
            .into_iter()
            .map(|group| group.into_iter().map(|user| user.0).collect())
            .collect()
    }

    #[test]
    fn someone_never_met_is_met_alone() {
        assert_eq!(groups(&[1, 2], &[]), [vec![1], vec![2]]);
    }

    #[test]
    fn the_next_meeting_has_the_people_of_the_latest_one_each_group_once() {
        let earlier = [
            meeting(&[1], 100),
            meeting(&[2, 1], 200),
            meeting(&[3], 150),
        ];
        assert_eq!(groups(&[1, 2, 3], &earlier), [vec![1, 2], vec![3]]);
        // Back to individual meetings after the group one.
        let earlier = [
            meeting(&[1, 2], 100),
            meeting(&[1], 200),
            meeting(&[2], 300),
        ];
        assert_eq!(groups(&[1, 2], &earlier), [vec![1], vec![2]]);
    }

    #[test]
    fn people_who_no_longer_share_a_case_are_left_out_of_the_group() {
        let earlier = [meeting(&[1, 9], 100)];
        assert_eq!(groups(&[1], &earlier), [vec![1]]);
        // Someone whose only meeting was with people who left.
        let earlier = [meeting(&[8, 9], 100)];
        assert_eq!(groups(&[1], &earlier), [vec![1]]);
    }
}
