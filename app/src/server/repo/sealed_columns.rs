//! Every column that holds sealed text, with how to find each value's place
//! (row and owning account): the repository seals and opens through these
//! names, and re-sealing (after an upgrade, or for `server rotate-key`)
//! walks the whole list.

use crate::server::crypto::SealedColumn;

pub const CASE_NAMES_TO_WATCH: SealedColumn = SealedColumn::new("cases", "names_to_watch_sealed");

pub const REFLECTION_TRIGGER: SealedColumn = SealedColumn::new("reflections", "trigger_sealed");
pub const REFLECTION_MANIFESTATION: SealedColumn =
    SealedColumn::new("reflections", "manifestation_sealed");
pub const REFLECTION_MANAGEMENT: SealedColumn =
    SealedColumn::new("reflections", "management_sealed");
pub const REFLECTION_ORIGIN: SealedColumn = SealedColumn::new("reflections", "origin_sealed");
pub const REFLECTION_RACKER_OBJECT: SealedColumn =
    SealedColumn::new("reflections", "racker_object_sealed");
pub const REFLECTION_RACKER_NOTE: SealedColumn =
    SealedColumn::new("reflections", "racker_note_sealed");
pub const REFLECTION_ENACTMENT: SealedColumn = SealedColumn::new("reflections", "enactment_sealed");
pub const REFLECTION_PRIVATE_NOTES: SealedColumn =
    SealedColumn::new("reflections", "private_notes_sealed");

pub const REACTION_TEXT: SealedColumn = SealedColumn::new("reactions", "text_sealed");
pub const INTERVENTION_TEXT: SealedColumn = SealedColumn::new("interventions", "text_sealed");
pub const EPISODE_WISH: SealedColumn = SealedColumn::new("episodes", "wish_sealed");
pub const EPISODE_RESPONSE_OF_OTHER: SealedColumn =
    SealedColumn::new("episodes", "response_of_other_sealed");
pub const EPISODE_RESPONSE_OF_SELF: SealedColumn =
    SealedColumn::new("episodes", "response_of_self_sealed");

/// Keyed by (case, reflection id or 0 for a new one), owned by the author.
pub const DRAFT_BODY: SealedColumn = SealedColumn::new("drafts", "body_sealed");

/// Owned by the comment's author.
pub const COMMENT_BODY: SealedColumn = SealedColumn::new("comments", "body_sealed");
/// Owned by the rating supervisor.
pub const RATING_NOTE: SealedColumn = SealedColumn::new("pacing_ratings", "note_sealed");

/// Meetings and their parts are owned by the meeting's supervisor, except
/// comments and addenda, owned by their author.
pub const MEETING_NOTES: SealedColumn = SealedColumn::new("meetings", "notes_sealed");
/// Keyed by (meeting, position).
pub const AGENDA_ITEM: SealedColumn = SealedColumn::new("meeting_agenda_items", "item_sealed");
pub const ACTION_ITEM_TEXT: SealedColumn = SealedColumn::new("meeting_action_items", "text_sealed");
pub const MEETING_COMMENT_BODY: SealedColumn = SealedColumn::new("meeting_comments", "body_sealed");
pub const MEETING_ADDENDUM_BODY: SealedColumn = SealedColumn::new("meeting_addenda", "body_sealed");

/// Owned by the administrator who created the link.
pub const INVITATION_TOKEN: SealedColumn = SealedColumn::new("invitations", "token_sealed");
pub const PASSWORD_RESET_TOKEN: SealedColumn = SealedColumn::new("password_resets", "token_sealed");

/// Owned by the account whose editor's browser copies it seals.
pub const BROWSER_COPY_KEY: SealedColumn = SealedColumn::new("browser_copy_keys", "key_sealed");

/// One sealed column and how its rows are reached: `from` names the table
/// as `t` (with any join giving the owner), `row` the one or two columns of
/// its key, `owner` the owning account's id.
pub(super) struct Stored {
    pub column: SealedColumn,
    pub from: &'static str,
    pub row: (&'static str, Option<&'static str>),
    pub owner: &'static str,
}

const OF_CASE: &str = "JOIN cases c ON c.id = t.case_id";
const OF_REFLECTION: &str =
    "JOIN reflections r ON r.id = t.reflection_id JOIN cases c ON c.id = r.case_id";
const OF_MEETING: &str = "JOIN meetings m ON m.id = t.meeting_id";

const fn by_id(column: SealedColumn, join: &'static str, owner: &'static str) -> Stored {
    Stored {
        column,
        from: join,
        row: ("id", None),
        owner,
    }
}

/// Every sealed column of the schema. A new sealed column must be added
/// here, or rotation leaves it under the old key (the test of rotation
/// reads every `_sealed` column of the schema and fails).
pub(super) const ALL: &[Stored] = &[
    by_id(CASE_NAMES_TO_WATCH, "", "t.owner_id"),
    by_id(REFLECTION_TRIGGER, OF_CASE, "c.owner_id"),
    by_id(REFLECTION_MANIFESTATION, OF_CASE, "c.owner_id"),
    by_id(REFLECTION_MANAGEMENT, OF_CASE, "c.owner_id"),
    by_id(REFLECTION_ORIGIN, OF_CASE, "c.owner_id"),
    by_id(REFLECTION_RACKER_OBJECT, OF_CASE, "c.owner_id"),
    by_id(REFLECTION_RACKER_NOTE, OF_CASE, "c.owner_id"),
    by_id(REFLECTION_ENACTMENT, OF_CASE, "c.owner_id"),
    by_id(REFLECTION_PRIVATE_NOTES, OF_CASE, "c.owner_id"),
    by_id(REACTION_TEXT, OF_REFLECTION, "c.owner_id"),
    by_id(INTERVENTION_TEXT, OF_REFLECTION, "c.owner_id"),
    by_id(EPISODE_WISH, OF_REFLECTION, "c.owner_id"),
    by_id(EPISODE_RESPONSE_OF_OTHER, OF_REFLECTION, "c.owner_id"),
    by_id(EPISODE_RESPONSE_OF_SELF, OF_REFLECTION, "c.owner_id"),
    Stored {
        column: DRAFT_BODY,
        from: "",
        row: ("case_id", Some("reflection_id")),
        owner: "t.owner_id",
    },
    by_id(COMMENT_BODY, "", "t.author_id"),
    by_id(RATING_NOTE, "", "t.supervisor_id"),
    by_id(MEETING_NOTES, "", "t.supervisor_id"),
    Stored {
        column: AGENDA_ITEM,
        from: OF_MEETING,
        row: ("meeting_id", Some("position")),
        owner: "m.supervisor_id",
    },
    by_id(ACTION_ITEM_TEXT, OF_MEETING, "m.supervisor_id"),
    by_id(MEETING_COMMENT_BODY, "", "t.author_id"),
    by_id(MEETING_ADDENDUM_BODY, "", "t.author_id"),
    by_id(INVITATION_TOKEN, "", "t.created_by"),
    by_id(PASSWORD_RESET_TOKEN, "", "t.created_by"),
    by_id(BROWSER_COPY_KEY, "", "t.account_id"),
];

/// Every sealed column of the schema.
pub fn all() -> impl Iterator<Item = SealedColumn> {
    ALL.iter().map(|stored| stored.column)
}

impl Stored {
    /// Up to `limit` of the column's values whose first `prefix_len`
    /// characters are not `$1`, after row `($2, $3)`, in row order: each as
    /// (row part 1, row part 2 or 0, owner, sealed value).
    pub fn select_not_starting_with(&self, prefix_len: usize, limit: u32) -> String {
        let (first, second) = self.row;
        let second_select = second.map_or("CAST(0 AS BIGINT)".to_string(), |c| format!("t.{c}"));
        let after = match second {
            Some(second) => format!("(t.{first} > $2 OR (t.{first} = $2 AND t.{second} > $3))"),
            None => format!("(t.{first} > $2 OR (t.{first} = $2 AND 0 > $3))"),
        };
        let order = match second {
            Some(second) => format!("t.{first}, t.{second}"),
            None => format!("t.{first}"),
        };
        format!(
            "SELECT t.{first}, {second_select}, {owner}, t.{column} FROM {table} t {join} \
             WHERE t.{column} IS NOT NULL AND substr(t.{column}, 1, {prefix_len}) <> $1 AND {after} \
             ORDER BY {order} LIMIT {limit}",
            owner = self.owner,
            column = self.column.column,
            table = self.column.table,
            join = self.from,
        )
    }

    /// Replaces one value, only if it is still the one read (`$4`): a value
    /// written meanwhile is newer and already sealed with the sealing key.
    pub fn replace_value(&self) -> String {
        let (first, second) = self.row;
        // Both forms take four parameters: PostgreSQL refuses unused ones.
        let second = second.map_or(" AND 0 = $3".to_string(), |c| format!(" AND {c} = $3"));
        format!(
            "UPDATE {table} SET {column} = $1 WHERE {first} = $2{second} AND {column} = $4",
            table = self.column.table,
            column = self.column.column,
        )
    }
}
