//! The agenda as the supervisor edits it: pre-filled items kept, removed or
//! moved, and their own items added. The form posts one row per item in
//! the order shown; pre-filled rows carry their key, the supervisor's own
//! rows their text.

use serde::{Deserialize, Serialize};

use super::{AgendaItem, AgendaKey, AgendaTopic};
use crate::domain::{
    meetings::{bounded_text, ticked},
    validation::FieldErrors,
};

pub const OWN_ITEMS_MAX: usize = 20;
pub const OWN_ITEM_MAX_CHARS: usize = 500;

/// The agenda form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgendaInput {
    pub items: Vec<AgendaRowInput>,
}

/// One agenda row as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgendaRowInput {
    /// A pre-filled item's [`AgendaKey`] slug; empty for the supervisor's own.
    pub key: String,
    /// The supervisor's own item; ignored on pre-filled rows.
    pub text: String,
    /// Where the item goes, 1 first; empty keeps its place.
    pub position: String,
    /// The "remove" check box.
    pub remove: String,
}

/// The error key of an agenda row's field: `agenda.2.position`.
pub fn agenda_field(index: usize, field: &str) -> String {
    format!("agenda.{index}.{field}")
}

/// The agenda as edited: the rows not removed, ordered by position. A row
/// moved to a place goes before the row that stayed there (typing 1 at the
/// last row puts it first); rows otherwise tied keep the order they were
/// posted in. A row with no position keeps its own place.
/// A pre-filled item posted twice is kept once, at its first row; one not
/// posted at all is removed; a key that is not among `offered` is refused.
/// Own rows left blank are ignored.
pub fn edit_agenda(
    offered: &[AgendaItem],
    input: &AgendaInput,
) -> Result<Vec<AgendaItem>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut kept: Vec<AgendaKey> = Vec::new();
    let mut own_items = 0;
    let mut placed: Vec<(usize, usize, AgendaItem)> = Vec::new();
    let rows = input.items.len();
    for (index, row) in input.items.iter().enumerate() {
        let field = |name| agenda_field(index, name);
        let remove = errors.check(
            &field("remove"),
            ticked(&row.remove).ok_or("Tick the box to remove the item, or leave it clear."),
        );
        if remove != Some(false) {
            continue;
        }
        let item = if row.key.trim().is_empty() {
            if row.text.trim().is_empty() {
                continue;
            }
            own_items += 1;
            errors
                .check(
                    &field("text"),
                    bounded_text(&row.text, OWN_ITEM_MAX_CHARS, "an agenda item"),
                )
                .map(|text| AgendaItem {
                    topic: AgendaTopic::Own { text },
                })
        } else {
            match offered_item(offered, &row.key) {
                Some((key, _)) if kept.contains(&key) => continue,
                Some((key, item)) => {
                    kept.push(key);
                    Some(item.clone())
                }
                None => {
                    errors.add(
                        &field("key"),
                        "This item is no longer on the agenda; reload the page and edit the agenda again.",
                    );
                    None
                }
            }
        };
        let position = errors.check(&field("position"), position(&row.position, index, rows));
        if let (Some(item), Some(position)) = (item, position) {
            placed.push((position, index, item));
        }
    }
    if own_items > OWN_ITEMS_MAX {
        errors.add(
            "agenda",
            format!("You can add at most {OWN_ITEMS_MAX} items of your own."),
        );
    }
    errors.into_result()?;
    // `stayed` sorts after `moved` at the same place.
    placed.sort_by_key(|&(position, index, _)| (position, position == index + 1, index));
    Ok(placed.into_iter().map(|(_, _, item)| item).collect())
}

fn offered_item<'a>(offered: &'a [AgendaItem], slug: &str) -> Option<(AgendaKey, &'a AgendaItem)> {
    let key = AgendaKey::parse(slug)?;
    offered
        .iter()
        .find(|item| item.key() == Some(key))
        .map(|item| (key, item))
}

/// A 1-based position among `rows`; empty keeps the row's own place.
fn position(text: &str, index: usize, rows: usize) -> Result<usize, String> {
    match text.trim() {
        "" => Ok(index + 1),
        text => text
            .parse::<usize>()
            .ok()
            .filter(|position| (1..=rows).contains(position))
            .ok_or(format!(
                "Enter a position from 1 to {rows}, or leave it empty."
            )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        cases::CaseId,
        meetings::{ActionItemId, Assignee, ReviewOutcome, SessionPlace},
        reflection::ReflectionId,
    };

    fn session(reflection: i64) -> SessionPlace {
        SessionPlace {
            case: CaseId(1),
            case_code: "C-07".to_string(),
            reflection: ReflectionId(reflection),
            session_number: u32::try_from(reflection).unwrap(),
            week: reflection,
        }
    }

    /// Three pre-filled items: an open action item, comments on
    /// reflection 5 and the review of reflection 6.
    fn offered() -> Vec<AgendaItem> {
        vec![
            AgendaItem {
                topic: AgendaTopic::OpenActionItem {
                    id: ActionItemId(4),
                    meeting_day: 20_000,
                    text: "Read Racker".to_string(),
                    assignee: Assignee::Supervisor,
                },
            },
            AgendaItem {
                topic: AgendaTopic::Comments {
                    session: session(5),
                    messages: 2,
                },
            },
            AgendaItem {
                topic: AgendaTopic::Review {
                    session: session(6),
                    outcome: ReviewOutcome::Reviewed,
                },
            },
        ]
    }

    fn row(key: &str, text: &str, position: &str, remove: &str) -> AgendaRowInput {
        AgendaRowInput {
            key: key.to_string(),
            text: text.to_string(),
            position: position.to_string(),
            remove: remove.to_string(),
        }
    }

    fn own(text: &str) -> AgendaItem {
        AgendaItem {
            topic: AgendaTopic::Own {
                text: text.to_string(),
            },
        }
    }

    fn edit(rows: Vec<AgendaRowInput>) -> Result<Vec<AgendaItem>, FieldErrors> {
        edit_agenda(&offered(), &AgendaInput { items: rows })
    }

    #[test]
    fn posting_the_agenda_unchanged_keeps_it() {
        let rows = offered()
            .iter()
            .map(|item| row(&item.key().unwrap().slug(), "", "", ""))
            .collect();
        assert_eq!(edit(rows).unwrap(), offered());
    }

    #[test]
    fn items_are_removed_moved_and_added() {
        let [action, comments, review] = <[AgendaItem; 3]>::try_from(offered()).unwrap();
        let edited = edit(vec![
            row("action_item:4", "", "4", ""),
            row("comments:5", "ignored on a pre-filled row", "", "on"),
            // No position: keeps its place (3rd), after a row moved there.
            row("review:6", "", "", ""),
            row("", "  Ask about the holiday break  ", "1", ""),
            row("", "   ", "", ""),
            row("", "Plan the case presentation", "3", ""),
        ])
        .unwrap();
        // Positions: action 4, review 3 (its own), own 1, own 3 (moved).
        assert_eq!(
            edited,
            [
                own("Ask about the holiday break"),
                own("Plan the case presentation"),
                review,
                action,
            ]
        );
        assert!(!edited.contains(&comments));
    }

    #[test]
    fn a_row_moved_to_a_place_goes_before_the_row_already_there() {
        let [action, comments, review] = <[AgendaItem; 3]>::try_from(offered()).unwrap();
        // As the form posts it: every row with its own place filled in, the
        // supervisor's own item changed to 1.
        let edited = edit(vec![
            row("action_item:4", "", "1", ""),
            row("comments:5", "", "2", ""),
            row("review:6", "", "3", ""),
            row("", "Ask about the holiday break", "1", ""),
        ])
        .unwrap();
        assert_eq!(
            edited,
            [own("Ask about the holiday break"), action, comments, review]
        );
    }

    #[test]
    fn an_item_not_posted_is_removed_and_one_posted_twice_is_kept_once() {
        let edited = edit(vec![
            row("review:6", "", "", ""),
            row("review:6", "", "1", ""),
        ])
        .unwrap();
        assert_eq!(edited, [offered()[2].clone()]);
    }

    #[test]
    fn unknown_keys_positions_and_long_texts_are_refused_at_their_row() {
        let errors = edit(vec![
            row("comments:99", "", "", ""),
            row("notes:1", "", "", ""),
            row("review:6", "", "7", ""),
            row("", &"x".repeat(OWN_ITEM_MAX_CHARS + 1), "", ""),
            row("action_item:4", "", "first", ""),
            row("action_item:4", "", "", "yes"),
        ])
        .unwrap_err();
        let gone = Some(
            "This item is no longer on the agenda; reload the page and edit the agenda again.",
        );
        assert_eq!(errors.get("agenda.0.key"), gone);
        assert_eq!(errors.get("agenda.1.key"), gone);
        let place = Some("Enter a position from 1 to 6, or leave it empty.");
        assert_eq!(errors.get("agenda.2.position"), place);
        assert_eq!(errors.get("agenda.4.position"), place);
        assert_eq!(
            errors.get("agenda.3.text"),
            Some("This is 501 characters; an agenda item can hold 500. Shorten it.")
        );
        assert_eq!(
            errors.get("agenda.5.remove"),
            Some("Tick the box to remove the item, or leave it clear.")
        );
        assert_eq!(errors.iter().count(), 6);
        assert_eq!(agenda_field(2, "position"), "agenda.2.position");
    }

    #[test]
    fn removed_rows_are_not_checked() {
        let edited = edit(vec![row("comments:99", "", "zero", "on")]).unwrap();
        assert!(edited.is_empty());
    }

    #[test]
    fn at_most_twenty_own_items() {
        let rows = |n: usize| {
            (0..n)
                .map(|i| row("", &format!("item {i}"), "", ""))
                .collect()
        };
        assert_eq!(edit(rows(OWN_ITEMS_MAX)).unwrap().len(), 20);
        assert_eq!(
            edit(rows(OWN_ITEMS_MAX + 1)).unwrap_err().get("agenda"),
            Some("You can add at most 20 items of your own.")
        );
    }
}
