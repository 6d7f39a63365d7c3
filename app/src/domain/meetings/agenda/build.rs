//! Building the pre-filled agenda from the events since the previous
//! meeting (the rules are in the parent module's documentation).

use super::{
    AgendaItem, AgendaTopic, CarriedActionItem, FlagKind, FlaggedEvent, ReviewOutcome, SessionPlace,
};
use crate::domain::{
    reflection::{ReflectionId, RowId},
    vocabulary::PacingRating,
};

/// The pre-filled agenda. `events` are those on the cases the meeting's
/// supervisees shared with this supervisor, feedback by this supervisor
/// only (the caller selects them); `action_items` are those of earlier
/// meetings with the same supervisee(s). Events at or after `since` count (an event at the
/// very instant of the previous meeting may not have been discussed in it:
/// showing it once more costs less than losing it); `None` takes them all.
/// Open action items are carried whatever their age; done ones are not.
pub fn build_agenda(
    since: Option<i64>,
    events: &[FlaggedEvent],
    action_items: &[CarriedActionItem],
) -> Vec<AgendaItem> {
    let recent: Vec<&FlaggedEvent> = events
        .iter()
        .filter(|event| since.is_none_or(|since| event.at >= since))
        .collect();
    let mut sessions: Vec<AgendaTopic> = comment_topics(&recent);
    sessions.extend(rating_topics(&recent));
    sessions.extend(review_topics(&recent));
    sessions.sort_by(|a, b| session_order(a).cmp(&session_order(b)));
    open_action_items(action_items)
        .into_iter()
        .chain(sessions)
        .map(|topic| AgendaItem { topic })
        .collect()
}

/// Items not done, each once: an item listed by several meetings (the one
/// that agreed it and those it was carried into) keeps its earliest day,
/// and counts as done if any listing says so.
fn open_action_items(items: &[CarriedActionItem]) -> Vec<AgendaTopic> {
    let done: Vec<_> = items
        .iter()
        .filter(|item| item.done)
        .map(|item| item.id)
        .collect();
    let mut open: Vec<&CarriedActionItem> = items
        .iter()
        .filter(|item| !done.contains(&item.id))
        .collect();
    open.sort_by_key(|item| (item.id, item.meeting_day));
    open.dedup_by_key(|item| item.id);
    open.sort_by_key(|item| (item.meeting_day, item.id));
    open.into_iter()
        .map(|item| AgendaTopic::OpenActionItem {
            id: item.id,
            meeting_day: item.meeting_day,
            text: item.text.clone(),
            assignee: item.assignee,
        })
        .collect()
}

/// Groups events by reflection, in the order each reflection first appears.
fn by_reflection<'a>(
    events: impl Iterator<Item = &'a FlaggedEvent>,
) -> Vec<(&'a SessionPlace, Vec<&'a FlaggedEvent>)> {
    let mut groups: Vec<(&SessionPlace, Vec<&FlaggedEvent>)> = Vec::new();
    for event in events {
        match groups
            .iter_mut()
            .find(|(session, _)| session.reflection == event.session.reflection)
        {
            Some((_, group)) => group.push(event),
            None => groups.push((&event.session, vec![event])),
        }
    }
    groups
}

fn comment_topics(events: &[&FlaggedEvent]) -> Vec<AgendaTopic> {
    let comments = events
        .iter()
        .copied()
        .filter(|event| event.kind == FlagKind::Comment);
    by_reflection(comments)
        .into_iter()
        .map(|(session, group)| AgendaTopic::Comments {
            session: session.clone(),
            messages: u32::try_from(group.len()).unwrap_or(u32::MAX),
        })
        .collect()
}

/// Each intervention's latest rating; interventions whose latest rating is
/// "well timed" drop out (the supervisor has settled on it).
fn rating_topics(events: &[&FlaggedEvent]) -> Vec<AgendaTopic> {
    let ratings = events
        .iter()
        .copied()
        .filter(|event| matches!(event.kind, FlagKind::PacingRating { .. }));
    by_reflection(ratings)
        .into_iter()
        .filter_map(|(session, mut group)| {
            group.sort_by_key(|event| event.at);
            let mut latest: Vec<(RowId, PacingRating)> = Vec::new();
            for event in group {
                if let FlagKind::PacingRating {
                    intervention,
                    rating,
                } = event.kind
                {
                    latest.retain(|(row, _)| *row != intervention);
                    latest.push((intervention, rating));
                }
            }
            latest.retain(|(_, rating)| *rating != PacingRating::WellTimed);
            latest.sort_by_key(|(row, _)| *row);
            (!latest.is_empty()).then(|| AgendaTopic::PacingRatings {
                session: session.clone(),
                ratings: latest,
            })
        })
        .collect()
}

/// A reflection's latest review event; at the same instant, "changed since
/// review" wins (it asks for attention).
fn review_topics(events: &[&FlaggedEvent]) -> Vec<AgendaTopic> {
    let outcome = |kind: FlagKind| match kind {
        FlagKind::Reviewed => Some(ReviewOutcome::Reviewed),
        FlagKind::ChangedSinceReview => Some(ReviewOutcome::ChangedSinceReview),
        _ => None,
    };
    let reviews = events
        .iter()
        .copied()
        .filter(|event| outcome(event.kind).is_some());
    by_reflection(reviews)
        .into_iter()
        .filter_map(|(session, group)| {
            let latest = group
                .iter()
                .filter_map(|event| Some((event.at, outcome(event.kind)?)))
                .max_by_key(|&(at, outcome)| (at, outcome == ReviewOutcome::ChangedSinceReview))?;
            Some(AgendaTopic::Review {
                session: session.clone(),
                outcome: latest.1,
            })
        })
        .collect()
}

/// Case code, then case (two supervisees may use the same code), then
/// session number, then reflection, then kind; `None` for topics that are
/// not about a session.
fn session_order(topic: &AgendaTopic) -> Option<(&str, i64, u32, ReflectionId, u8)> {
    let (session, kind) = match topic {
        AgendaTopic::Comments { session, .. } => (session, 0),
        AgendaTopic::PacingRatings { session, .. } => (session, 1),
        AgendaTopic::Review { session, .. } => (session, 2),
        AgendaTopic::OpenActionItem { .. } | AgendaTopic::Own { .. } => return None,
    };
    Some((
        session.case_code.as_str(),
        session.case.0,
        session.session_number,
        session.reflection,
        kind,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        accounts::UserId,
        cases::CaseId,
        meetings::{ActionItemId, AgendaKey, Assignee},
    };

    /// The previous meeting was recorded at 1 000.
    const SINCE: Option<i64> = Some(1_000);

    fn place(case: i64, code: &str, reflection: i64, session_number: u32) -> SessionPlace {
        SessionPlace {
            case: CaseId(case),
            case_code: code.to_string(),
            reflection: ReflectionId(reflection),
            session_number,
            week: i64::from(session_number) + 1,
        }
    }

    /// Case C-07, session 7.
    fn c07_7() -> SessionPlace {
        place(1, "C-07", 71, 7)
    }

    fn event(kind: FlagKind, at: i64, session: SessionPlace) -> FlaggedEvent {
        FlaggedEvent { kind, at, session }
    }

    fn rated(row: i64, rating: PacingRating) -> FlagKind {
        FlagKind::PacingRating {
            intervention: RowId(row),
            rating,
        }
    }

    fn carried(id: i64, meeting_day: i64, done: bool) -> CarriedActionItem {
        CarriedActionItem {
            id: ActionItemId(id),
            meeting_day,
            text: format!("item {id}"),
            assignee: Assignee::Supervisee(UserId(10)),
            done,
        }
    }

    fn topics(
        since: Option<i64>,
        events: &[FlaggedEvent],
        items: &[CarriedActionItem],
    ) -> Vec<AgendaTopic> {
        build_agenda(since, events, items)
            .into_iter()
            .map(|item| item.topic)
            .collect()
    }

    #[test]
    fn nothing_to_discuss_makes_an_empty_agenda() {
        assert!(build_agenda(SINCE, &[], &[]).is_empty());
        assert!(build_agenda(None, &[], &[carried(1, 5, true)]).is_empty());
    }

    #[test]
    fn each_source_makes_its_item() {
        let comment = [event(FlagKind::Comment, 1_100, c07_7())];
        assert_eq!(
            topics(SINCE, &comment, &[]),
            [AgendaTopic::Comments {
                session: c07_7(),
                messages: 1
            }]
        );
        let rating = [event(rated(3, PacingRating::TooEarly), 1_100, c07_7())];
        assert_eq!(
            topics(SINCE, &rating, &[]),
            [AgendaTopic::PacingRatings {
                session: c07_7(),
                ratings: vec![(RowId(3), PacingRating::TooEarly)],
            }]
        );
        for (kind, outcome) in [
            (FlagKind::Reviewed, ReviewOutcome::Reviewed),
            (
                FlagKind::ChangedSinceReview,
                ReviewOutcome::ChangedSinceReview,
            ),
        ] {
            assert_eq!(
                topics(SINCE, &[event(kind, 1_100, c07_7())], &[]),
                [AgendaTopic::Review {
                    session: c07_7(),
                    outcome
                }]
            );
        }
        assert_eq!(
            topics(SINCE, &[], &[carried(4, 20_000, false)]),
            [AgendaTopic::OpenActionItem {
                id: ActionItemId(4),
                meeting_day: 20_000,
                text: "item 4".to_string(),
                assignee: Assignee::Supervisee(UserId(10)),
            }]
        );
    }

    #[test]
    fn well_timed_is_not_a_topic() {
        let well_timed = [event(rated(3, PacingRating::WellTimed), 1_100, c07_7())];
        assert!(build_agenda(SINCE, &well_timed, &[]).is_empty());
        // Rated too late, then settled as well timed: nothing left to discuss.
        let settled = [
            event(rated(3, PacingRating::TooLate), 1_100, c07_7()),
            event(rated(3, PacingRating::WellTimed), 1_200, c07_7()),
        ];
        assert!(build_agenda(SINCE, &settled, &[]).is_empty());
        // The other way round, the latest rating stands (events in any order).
        let reconsidered = [
            event(rated(3, PacingRating::TooDeep), 1_300, c07_7()),
            event(rated(3, PacingRating::WellTimed), 1_200, c07_7()),
        ];
        assert_eq!(
            topics(SINCE, &reconsidered, &[]),
            [AgendaTopic::PacingRatings {
                session: c07_7(),
                ratings: vec![(RowId(3), PacingRating::TooDeep)],
            }]
        );
    }

    #[test]
    fn events_count_from_the_instant_of_the_previous_meeting() {
        let events = [
            event(FlagKind::Comment, 999, c07_7()),
            event(FlagKind::Comment, 1_000, c07_7()),
            event(FlagKind::Comment, 1_001, c07_7()),
        ];
        assert_eq!(
            topics(SINCE, &events, &[]),
            [AgendaTopic::Comments {
                session: c07_7(),
                messages: 2
            }]
        );
        assert!(build_agenda(Some(1_002), &events, &[]).is_empty());
        // No previous meeting: everything.
        assert_eq!(
            topics(None, &events, &[]),
            [AgendaTopic::Comments {
                session: c07_7(),
                messages: 3
            }]
        );
    }

    #[test]
    fn open_action_items_are_carried_until_done_whatever_their_age() {
        let items = [
            carried(9, 300, false),
            carried(2, 10, false),
            carried(5, 300, false),
            carried(3, 200, true),
            // Items listed again by later meetings they were carried into:
            // item 2 keeps the day it was agreed; item 3 is done.
            carried(2, 400, false),
            carried(3, 400, false),
        ];
        let ids: Vec<i64> = build_agenda(SINCE, &[], &items)
            .iter()
            .map(|item| match item.key() {
                Some(AgendaKey::ActionItem(id)) => id.0,
                other => panic!("{other:?}"),
            })
            .collect();
        // By meeting day, then id; item 3 is done; item 2 once.
        assert_eq!(ids, [2, 5, 9]);
    }

    #[test]
    fn a_reflection_makes_one_item_per_kind() {
        let events = [
            event(FlagKind::Comment, 1_100, c07_7()),
            event(FlagKind::Comment, 1_200, c07_7()),
            event(FlagKind::Comment, 1_300, c07_7()),
            event(rated(8, PacingRating::TooShallow), 1_100, c07_7()),
            event(rated(3, PacingRating::TooEarly), 1_150, c07_7()),
            event(rated(3, PacingRating::MissedOpportunity), 1_250, c07_7()),
            event(FlagKind::Reviewed, 1_100, c07_7()),
            event(FlagKind::ChangedSinceReview, 1_400, c07_7()),
        ];
        assert_eq!(
            topics(SINCE, &events, &[]),
            [
                AgendaTopic::Comments {
                    session: c07_7(),
                    messages: 3
                },
                AgendaTopic::PacingRatings {
                    session: c07_7(),
                    ratings: vec![
                        (RowId(3), PacingRating::MissedOpportunity),
                        (RowId(8), PacingRating::TooShallow),
                    ],
                },
                AgendaTopic::Review {
                    session: c07_7(),
                    outcome: ReviewOutcome::ChangedSinceReview,
                },
            ]
        );
    }

    #[test]
    fn the_latest_review_event_tells_where_the_reflection_stands() {
        let outcome = |events: &[FlaggedEvent]| match &topics(SINCE, events, &[])[..] {
            [AgendaTopic::Review { outcome, .. }] => *outcome,
            other => panic!("{other:?}"),
        };
        // Changed, then reviewed again.
        assert_eq!(
            outcome(&[
                event(FlagKind::ChangedSinceReview, 1_100, c07_7()),
                event(FlagKind::Reviewed, 1_200, c07_7()),
            ]),
            ReviewOutcome::Reviewed
        );
        // At the same instant, the change asks for attention.
        assert_eq!(
            outcome(&[
                event(FlagKind::Reviewed, 1_100, c07_7()),
                event(FlagKind::ChangedSinceReview, 1_100, c07_7()),
            ]),
            ReviewOutcome::ChangedSinceReview
        );
    }

    #[test]
    fn items_are_ordered_by_case_code_session_and_kind() {
        let a02_3 = place(2, "A-02", 21, 3);
        let c07_8 = place(1, "C-07", 72, 8);
        // Another supervisee's case with the same code, after case 1.
        let other_c07_2 = place(3, "C-07", 31, 2);
        let events = [
            event(FlagKind::Reviewed, 1_500, other_c07_2.clone()),
            event(FlagKind::Comment, 1_400, c07_8.clone()),
            event(FlagKind::Reviewed, 1_300, c07_7()),
            event(FlagKind::Comment, 1_200, c07_7()),
            event(rated(1, PacingRating::TooEarly), 1_100, a02_3.clone()),
            event(FlagKind::Comment, 1_050, a02_3.clone()),
        ];
        let slugs: Vec<String> = build_agenda(SINCE, &events, &[carried(4, 50, false)])
            .iter()
            .map(|item| item.key().unwrap().slug())
            .collect();
        assert_eq!(
            slugs,
            [
                "action_item:4",
                "comments:21",
                "pacing:21",
                "comments:71",
                "review:71",
                "comments:72",
                "review:31",
            ]
        );
    }
}
