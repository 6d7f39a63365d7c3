//! Checking the action item rows of the meeting form: rows with no text
//! are left out; each problem is reported at its row (`action_items.2.text`).

use super::{
    bounded_text, input::action_item_field, ticked, ActionItem, ActionItemId, ActionItemInput,
    Assignee, ACTION_ITEMS_MAX, ACTION_ITEM_MAX_CHARS,
};
use crate::domain::{accounts::UserId, validation::FieldErrors};

/// The valid items among `rows`, recording problems in `errors`. An item
/// may be assigned to the supervisor or to one of `supervisees`.
pub(super) fn action_items(
    errors: &mut FieldErrors,
    rows: &[ActionItemInput],
    supervisees: &[UserId],
) -> Vec<ActionItem> {
    let filled: Vec<(usize, &ActionItemInput)> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| !row.text.trim().is_empty())
        .collect();
    if filled.len() > ACTION_ITEMS_MAX {
        errors.add(
            "action_items",
            format!("A meeting can have at most {ACTION_ITEMS_MAX} action items."),
        );
    }
    filled
        .into_iter()
        .take(ACTION_ITEMS_MAX)
        .filter_map(|(index, row)| action_item(errors, index, row, supervisees))
        .collect()
}

fn action_item(
    errors: &mut FieldErrors,
    index: usize,
    row: &ActionItemInput,
    supervisees: &[UserId],
) -> Option<ActionItem> {
    let field = |name| action_item_field(index, name);
    let text = errors.check(
        &field("text"),
        bounded_text(&row.text, ACTION_ITEM_MAX_CHARS, "an action item"),
    );
    let assignee = errors.check(
        &field("assignee"),
        Assignee::parse(&row.assignee)
            .filter(|assignee| match assignee {
                Assignee::Supervisor => true,
                Assignee::Supervisee(user) => supervisees.contains(user),
            })
            .ok_or("Choose who will do this: you or a supervisee in this meeting."),
    );
    let done = errors.check(
        &field("done"),
        ticked(&row.done).ok_or("Tick the box when the item is done, or leave it clear."),
    );
    Some(ActionItem {
        id: row.id.trim().parse().ok().map(ActionItemId),
        text: text?,
        assignee: assignee?,
        done: done?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNA: UserId = UserId(10);

    fn row(text: &str, assignee: &str, done: &str) -> ActionItemInput {
        ActionItemInput {
            id: String::new(),
            text: text.to_string(),
            assignee: assignee.to_string(),
            done: done.to_string(),
        }
    }

    fn check(rows: &[ActionItemInput]) -> (Vec<ActionItem>, FieldErrors) {
        let mut errors = FieldErrors::new();
        let items = action_items(&mut errors, rows, &[ANNA]);
        (items, errors)
    }

    #[test]
    fn filled_rows_become_items_and_empty_rows_are_left_out() {
        let (items, errors) = check(&[
            row("", "supervisee:10", "on"),
            ActionItemInput {
                id: " 7 ".to_string(),
                ..row("  Send the article  ", "supervisor", "on")
            },
            row("Read Racker", "supervisee:10", ""),
            ActionItemInput {
                id: "new".to_string(),
                ..row("Bring notes", "supervisor", "false")
            },
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            items,
            [
                ActionItem {
                    id: Some(ActionItemId(7)),
                    text: "Send the article".to_string(),
                    assignee: Assignee::Supervisor,
                    done: true,
                },
                ActionItem {
                    id: None,
                    text: "Read Racker".to_string(),
                    assignee: Assignee::Supervisee(ANNA),
                    done: false,
                },
                ActionItem {
                    id: None,
                    text: "Bring notes".to_string(),
                    assignee: Assignee::Supervisor,
                    done: false,
                },
            ]
        );
    }

    #[test]
    fn action_item_problems_are_reported_at_their_row() {
        let (items, errors) = check(&[
            row(&"x".repeat(ACTION_ITEM_MAX_CHARS + 1), "supervisor", ""),
            row("", "", ""),
            // Supervisee 11 is not in this meeting.
            row("Bring the process notes", "supervisee:11", ""),
            row("Write it up", "", "maybe"),
        ]);
        assert!(items.is_empty());
        assert_eq!(
            errors.get("action_items.0.text"),
            Some("This is 1001 characters; an action item can hold 1000. Shorten it.")
        );
        let whom = Some("Choose who will do this: you or a supervisee in this meeting.");
        assert_eq!(errors.get("action_items.2.assignee"), whom);
        assert_eq!(errors.get("action_items.3.assignee"), whom);
        assert_eq!(
            errors.get("action_items.3.done"),
            Some("Tick the box when the item is done, or leave it clear.")
        );
        assert_eq!(errors.iter().count(), 4, "{errors:?}");
        assert_eq!(action_item_field(2, "text"), "action_items.2.text");
    }

    #[test]
    fn a_meeting_holds_at_most_thirty_action_items_not_counting_empty_rows() {
        let mut rows: Vec<ActionItemInput> = (0..ACTION_ITEMS_MAX)
            .map(|n| row(&format!("item {n}"), "supervisor", ""))
            .collect();
        rows.extend((0..5).map(|_| row("", "supervisor", "")));
        let (items, errors) = check(&rows);
        assert_eq!((items.len(), errors.is_empty()), (30, true));
        rows.push(row("one more", "supervisor", ""));
        let (items, errors) = check(&rows);
        // The first thirty are still checked and kept.
        assert_eq!(items.len(), 30);
        assert_eq!(
            errors.get("action_items"),
            Some("A meeting can have at most 30 action items.")
        );
    }
}
