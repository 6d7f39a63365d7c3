//! Writing meetings: recording one, editing it before sign-off, signing it
//! off, acknowledging it, marking action items done, comments and addenda.
//! Each statement carries the rule it is under in its WHERE clause (who,
//! not signed off, at this version), and what found no row is told apart
//! afterwards in the same transaction.

use super::{assignee_column, MeetingEdit, MeetingOutcome, NewMeeting, RemarkId, RemarkOutcome};
use crate::{
    domain::{
        accounts::UserId,
        meetings::{ActionItem, ActionItemId, AgendaItem, Assignee, MeetingDetails, MeetingId},
    },
    server::{
        crypto::FieldCipher,
        repo::{
            database::{on_pool, Database, RepoError},
            sealed_columns::{
                ACTION_ITEM_TEXT, AGENDA_ITEM, MEETING_ADDENDUM_BODY, MEETING_COMMENT_BODY,
                MEETING_NOTES,
            },
        },
    },
};

/// Meeting `id`'s notes and agenda, sealed bound to their rows (action
/// items are sealed once their rows have ids, see [`seal_action_item!`]).
struct SealedRecord {
    notes: String,
    /// Per agenda item: its key's slug (none for the supervisor's own) and
    /// the item as the record shows it.
    agenda: Vec<(Option<String>, String)>,
}

fn seal_record(
    cipher: &FieldCipher,
    supervisor: UserId,
    id: i64,
    details: &MeetingDetails,
    agenda: &[AgendaItem],
) -> SealedRecord {
    SealedRecord {
        notes: cipher.seal(MEETING_NOTES.at(id, supervisor.0), &details.notes),
        agenda: agenda
            .iter()
            .enumerate()
            .map(|(position, item)| {
                let shown = serde_json::to_string(item).expect("an agenda item serialises to JSON");
                let place = AGENDA_ITEM.at((id, position as i64), supervisor.0);
                (item.key().map(|key| key.slug()), cipher.seal(place, &shown))
            })
            .collect(),
    }
}

/// Writes action item `$row`'s text, sealed bound to it, inside `$tx`.
macro_rules! seal_action_item {
    ($tx:ident, $cipher:expr, $row:expr, $supervisor:expr, $text:expr) => {
        sqlx::query("UPDATE meeting_action_items SET text_sealed = $2 WHERE id = $1")
            .bind($row)
            .bind($cipher.seal(ACTION_ITEM_TEXT.at($row, $supervisor.0), $text))
            .execute(&mut *$tx)
            .await?;
    };
}

/// An action item as stored, as an edit finds it.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
struct StoredItem {
    id: i64,
    assignee_id: Option<i64>,
    done_at: Option<i64>,
    done_by: Option<i64>,
}

/// The done mark (`done_at`, `done_by`) an action item is written with by
/// the supervisor's save. Only an item's assignee marks it done: the save
/// applies the posted mark to the items assigned to the supervisor, keeps
/// the stored mark of an item that stays with the same supervisee, and
/// leaves an item given to another supervisee open. A mark already made
/// keeps its time.
fn done_columns(
    item: &ActionItem,
    before: Option<&StoredItem>,
    supervisor: UserId,
    now: i64,
) -> (Option<i64>, Option<i64>) {
    let kept = before.filter(|stored| stored.assignee_id == assignee_column(item.assignee));
    match (item.assignee, kept) {
        (Assignee::Supervisor, _) if !item.done => (None, None),
        (_, Some(stored)) if stored.done_at.is_some() => (stored.done_at, stored.done_by),
        (Assignee::Supervisor, _) => (Some(now), Some(supervisor.0)),
        (Assignee::Supervisee(_), _) => (None, None),
    }
}

/// Why a change found no row to write, from the record's sign-off time and
/// version as the person asking may see them (`None`: no such meeting for
/// them).
fn refusal(found: Option<(Option<i64>, i64)>) -> MeetingOutcome {
    match found {
        None => MeetingOutcome::Missing,
        Some((Some(at), _)) => MeetingOutcome::SignedOff { at },
        Some((None, _)) => MeetingOutcome::Stale,
    }
}

/// Sign-off time and version of meeting `$1` if `$2` is its supervisor.
const AS_SUPERVISOR: &str =
    "SELECT signed_off_at, version FROM meetings WHERE id = $1 AND supervisor_id = $2";

/// Sign-off time and version of meeting `$1` if `$2` is one of its supervisees.
const AS_SUPERVISEE: &str = "SELECT m.signed_off_at, m.version FROM meetings m \
     JOIN meeting_supervisees s ON s.meeting_id = m.id WHERE m.id = $1 AND s.supervisee_id = $2";

/// Holds meeting `$1` while a supervisee's write to it is made, if `$2` is
/// one of its supervisees and it is not signed off: an update that changes
/// nothing but takes the row's lock, so that an edit or the sign-off cannot
/// slip between this check and the write (PostgreSQL re-checks the
/// condition on the row once a concurrent change commits; SQLite runs one
/// writer at a time).
const HOLD_UNSIGNED: &str = "UPDATE meetings SET version = version \
     WHERE id = $1 AND signed_off_at IS NULL AND EXISTS (SELECT 1 FROM meeting_supervisees s \
     WHERE s.meeting_id = meetings.id AND s.supervisee_id = $2)";

/// Adds supervisee `$2` to meeting `$1` held on day `$3` (nothing if present).
const ADD_SUPERVISEE: &str =
    "INSERT INTO meeting_supervisees (meeting_id, supervisee_id, meeting_day) \
     VALUES ($1, $2, $3) ON CONFLICT (meeting_id, supervisee_id) DO NOTHING";

/// Adds case `$2` to meeting `$1` with its code and owner as they are now.
/// The owner must be a supervisee in the meeting (the foreign key refuses
/// anyone else's case).
const ADD_CASE: &str = "INSERT INTO meeting_cases (meeting_id, supervisee_id, case_id, case_code) \
     SELECT $1, c.owner_id, c.id, c.code FROM cases c WHERE c.id = $2";

const ADD_AGENDA_ITEM: &str =
    "INSERT INTO meeting_agenda_items (meeting_id, position, item_key, item_sealed) \
     VALUES ($1, $2, $3, $4)";

/// Adds an action item with its text to be sealed once it has an id.
const ADD_ACTION_ITEM: &str = "INSERT INTO meeting_action_items \
     (meeting_id, position, text_sealed, assignee_id, done_at, done_by) \
     VALUES ($1, $2, '', $3, $4, $5) RETURNING id";

/// Writes a meeting's agenda (`$sealed.agenda`) in its order, inside the
/// open transaction `$tx`.
macro_rules! add_agenda {
    ($tx:ident, $meeting:expr, $sealed:expr) => {
        for (position, (key, shown)) in $sealed.agenda.iter().enumerate() {
            sqlx::query(ADD_AGENDA_ITEM)
                .bind($meeting)
                .bind(position as i64)
                .bind(key.as_deref())
                .bind(shown)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

impl Database {
    /// Records a meeting with everything in it, in one transaction.
    /// Action items start open, except the supervisor's own marked done.
    pub async fn create_meeting(
        &self,
        cipher: &FieldCipher,
        meeting: &NewMeeting<'_>,
    ) -> Result<MeetingId, RepoError> {
        let details = meeting.details;
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO meetings (supervisor_id, meeting_date, meeting_day, duration_minutes, \
                 format, notes_sealed, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, '', 1, $6, $6) RETURNING id",
            )
            .bind(meeting.supervisor.0)
            .bind(details.date())
            .bind(details.day)
            .bind(i64::from(details.duration_minutes))
            .bind(details.format.slug())
            .bind(meeting.now)
            .fetch_one(&mut *tx)
            .await?;
            let sealed = seal_record(cipher, meeting.supervisor, id, details, meeting.agenda);
            sqlx::query("UPDATE meetings SET notes_sealed = $2 WHERE id = $1")
                .bind(id)
                .bind(&sealed.notes)
                .execute(&mut *tx)
                .await?;
            for supervisee in &details.supervisees {
                sqlx::query(ADD_SUPERVISEE)
                    .bind(id)
                    .bind(supervisee.0)
                    .bind(details.day)
                    .execute(&mut *tx)
                    .await?;
            }
            for case in &details.cases {
                sqlx::query(ADD_CASE)
                    .bind(id)
                    .bind(case.0)
                    .execute(&mut *tx)
                    .await?;
            }
            add_agenda!(tx, id, sealed);
            for (position, item) in details.action_items.iter().enumerate() {
                let (done_at, done_by) = done_columns(item, None, meeting.supervisor, meeting.now);
                let (row,): (i64,) = sqlx::query_as(ADD_ACTION_ITEM)
                    .bind(id)
                    .bind(position as i64)
                    .bind(assignee_column(item.assignee))
                    .bind(done_at)
                    .bind(done_by)
                    .fetch_one(&mut *tx)
                    .await?;
                seal_action_item!(tx, cipher, row, meeting.supervisor, &item.text);
            }
            tx.commit().await?;
            Ok::<_, RepoError>(id)
        })?;
        Ok(MeetingId(id))
    }

    /// Replaces a meeting's details, action items and agenda if `supervisor`
    /// recorded it, it is not signed off and it is still at the version the
    /// edit is based on. Every acknowledgement is cleared: it was given to
    /// the record as it read before. Cases that still exist are replaced by
    /// those of the edit; the codes of deleted ones stay on the record.
    /// Action items keep their ids (see [`MeetingEdit`]) and their done
    /// marks as only their assignee may change them.
    pub async fn update_meeting(
        &self,
        cipher: &FieldCipher,
        edit: &MeetingEdit<'_>,
    ) -> Result<MeetingOutcome, RepoError> {
        let details = edit.details;
        let meeting = edit.meeting.0;
        let sealed = seal_record(cipher, edit.supervisor, meeting, details, edit.agenda);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE meetings SET meeting_date = $4, meeting_day = $5, duration_minutes = $6, \
                 format = $7, notes_sealed = $8, version = version + 1, updated_at = $9 \
                 WHERE id = $1 AND supervisor_id = $2 AND version = $3 AND signed_off_at IS NULL",
            )
            .bind(meeting)
            .bind(edit.supervisor.0)
            .bind(edit.version)
            .bind(details.date())
            .bind(details.day)
            .bind(i64::from(details.duration_minutes))
            .bind(details.format.slug())
            .bind(&sealed.notes)
            .bind(edit.now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                let found = sqlx::query_as(AS_SUPERVISOR)
                    .bind(meeting)
                    .bind(edit.supervisor.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                return Ok(refusal(found));
            }

            // Supervisees: the new ones join first (their action items may
            // be written below); those who left go last, with what is theirs.
            let before: Vec<(i64,)> = sqlx::query_as(
                "SELECT supervisee_id FROM meeting_supervisees WHERE meeting_id = $1",
            )
            .bind(meeting)
            .fetch_all(&mut *tx)
            .await?;
            for supervisee in &details.supervisees {
                sqlx::query(ADD_SUPERVISEE)
                    .bind(meeting)
                    .bind(supervisee.0)
                    .bind(details.day)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "UPDATE meeting_supervisees SET acknowledged_at = NULL WHERE meeting_id = $1",
            )
            .bind(meeting)
            .execute(&mut *tx)
            .await?;

            let cases: Vec<(i64,)> = sqlx::query_as(
                "SELECT case_id FROM meeting_cases WHERE meeting_id = $1 AND case_id IS NOT NULL",
            )
            .bind(meeting)
            .fetch_all(&mut *tx)
            .await?;
            for (case,) in &cases {
                if !details.cases.iter().any(|kept| kept.0 == *case) {
                    sqlx::query("DELETE FROM meeting_cases WHERE meeting_id = $1 AND case_id = $2")
                        .bind(meeting)
                        .bind(case)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            for case in &details.cases {
                if !cases.iter().any(|(stored,)| *stored == case.0) {
                    sqlx::query(ADD_CASE)
                        .bind(meeting)
                        .bind(case.0)
                        .execute(&mut *tx)
                        .await?;
                }
            }

            sqlx::query("DELETE FROM meeting_agenda_items WHERE meeting_id = $1")
                .bind(meeting)
                .execute(&mut *tx)
                .await?;
            add_agenda!(tx, meeting, sealed);

            let stored: Vec<StoredItem> = sqlx::query_as(
                "SELECT id, assignee_id, done_at, done_by FROM meeting_action_items \
                 WHERE meeting_id = $1",
            )
            .bind(meeting)
            .fetch_all(&mut *tx)
            .await?;
            let mut kept = Vec::new();
            for (position, item) in details.action_items.iter().enumerate() {
                let in_place = item
                    .id
                    .and_then(|id| stored.iter().find(|stored| stored.id == id.0));
                let (done_at, done_by) = done_columns(item, in_place, edit.supervisor, edit.now);
                let query = sqlx::query_as(match in_place {
                    Some(_) => {
                        "UPDATE meeting_action_items SET position = $2, \
                         assignee_id = $3, done_at = $4, done_by = $5 \
                         WHERE meeting_id = $1 AND id = $6 RETURNING id"
                    }
                    None => ADD_ACTION_ITEM,
                })
                .bind(meeting)
                .bind(position as i64)
                .bind(assignee_column(item.assignee))
                .bind(done_at)
                .bind(done_by);
                let (row,): (i64,) = match in_place {
                    Some(stored) => {
                        kept.push(stored.id);
                        query.bind(stored.id).fetch_one(&mut *tx).await?
                    }
                    None => query.fetch_one(&mut *tx).await?,
                };
                seal_action_item!(tx, cipher, row, edit.supervisor, &item.text);
            }
            for removed in stored.iter().filter(|stored| !kept.contains(&stored.id)) {
                sqlx::query("DELETE FROM meeting_action_items WHERE id = $1")
                    .bind(removed.id)
                    .execute(&mut *tx)
                    .await?;
            }

            for (supervisee,) in &before {
                if !details.supervisees.iter().any(|kept| kept.0 == *supervisee) {
                    sqlx::query(
                        "DELETE FROM meeting_supervisees WHERE meeting_id = $1 AND supervisee_id = $2",
                    )
                    .bind(meeting)
                    .bind(supervisee)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok::<_, RepoError>(MeetingOutcome::Saved {
                version: edit.version + 1,
            })
        })
    }

    /// Signs the record off at `now`, once, if `supervisor` recorded it and
    /// it is still at `version` (they sign what they read).
    pub async fn sign_off_meeting(
        &self,
        meeting: MeetingId,
        supervisor: UserId,
        version: i64,
        now: i64,
    ) -> Result<MeetingOutcome, RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let signed = sqlx::query(
                "UPDATE meetings SET signed_off_at = $4 \
                 WHERE id = $1 AND supervisor_id = $2 AND version = $3 AND signed_off_at IS NULL",
            )
            .bind(meeting.0)
            .bind(supervisor.0)
            .bind(version)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let outcome = if signed == 0 {
                let found = sqlx::query_as(AS_SUPERVISOR)
                    .bind(meeting.0)
                    .bind(supervisor.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                refusal(found)
            } else {
                MeetingOutcome::Saved { version }
            };
            tx.commit().await?;
            Ok::<_, RepoError>(outcome)
        })
    }

    /// `supervisee` acknowledges the record as it reads at `version`, if
    /// they are in the meeting and it is not signed off. Acknowledging
    /// again keeps the first time.
    pub async fn acknowledge_meeting(
        &self,
        meeting: MeetingId,
        supervisee: UserId,
        version: i64,
        now: i64,
    ) -> Result<MeetingOutcome, RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let open = sqlx::query(&format!("{HOLD_UNSIGNED} AND version = $3"))
                .bind(meeting.0)
                .bind(supervisee.0)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let outcome = if open == 0 {
                let found = sqlx::query_as(AS_SUPERVISEE)
                    .bind(meeting.0)
                    .bind(supervisee.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                refusal(found)
            } else {
                sqlx::query(
                    "UPDATE meeting_supervisees SET acknowledged_at = COALESCE(acknowledged_at, $3) \
                     WHERE meeting_id = $1 AND supervisee_id = $2",
                )
                .bind(meeting.0)
                .bind(supervisee.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                MeetingOutcome::Saved { version }
            };
            tx.commit().await?;
            Ok::<_, RepoError>(outcome)
        })
    }

    /// Marks an action item done at `now` (or not done) if `user` is its
    /// assignee: the supervisor of its meeting for the supervisor's items,
    /// the supervisee it is assigned to for theirs. Allowed after sign-off.
    /// Marking done an item already done keeps the first mark. Returns
    /// whether such an item was found.
    pub async fn set_action_item_done(
        &self,
        item: ActionItemId,
        user: UserId,
        done: bool,
        now: i64,
    ) -> Result<bool, RepoError> {
        let assigned = "id = $1 AND (assignee_id = $2 OR (assignee_id IS NULL AND EXISTS \
             (SELECT 1 FROM meetings m WHERE m.id = meeting_action_items.meeting_id \
              AND m.supervisor_id = $2)))";
        let changed = on_pool!(self, |pool| if done {
            sqlx::query(&format!(
                "UPDATE meeting_action_items SET done_at = COALESCE(done_at, $3), \
                 done_by = CASE WHEN done_at IS NULL THEN $2 ELSE done_by END WHERE {assigned}"
            ))
            .bind(item.0)
            .bind(user.0)
            .bind(now)
            .execute(pool)
            .await
        } else {
            sqlx::query(&format!(
                "UPDATE meeting_action_items SET done_at = NULL, done_by = NULL WHERE {assigned}"
            ))
            .bind(item.0)
            .bind(user.0)
            .execute(pool)
            .await
        }
        .map(|done| done.rows_affected()))?;
        Ok(changed > 0)
    }

    /// A supervisee's comment on a meeting they are in, before sign-off.
    pub async fn add_meeting_comment(
        &self,
        cipher: &FieldCipher,
        meeting: MeetingId,
        author: UserId,
        body: &str,
        now: i64,
    ) -> Result<RemarkOutcome, RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let open = sqlx::query(HOLD_UNSIGNED)
                .bind(meeting.0)
                .bind(author.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let outcome = if open == 0 {
                let found: Option<(Option<i64>, i64)> = sqlx::query_as(AS_SUPERVISEE)
                    .bind(meeting.0)
                    .bind(author.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                match found {
                    Some((Some(at), _)) => RemarkOutcome::SignedOff { at },
                    _ => RemarkOutcome::Missing,
                }
            } else {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO meeting_comments (meeting_id, author_id, created_at, body_sealed) \
                     VALUES ($1, $2, $3, '') RETURNING id",
                )
                .bind(meeting.0)
                .bind(author.0)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("UPDATE meeting_comments SET body_sealed = $2 WHERE id = $1")
                    .bind(id)
                    .bind(cipher.seal(MEETING_COMMENT_BODY.at(id, author.0), body))
                    .execute(&mut *tx)
                    .await?;
                RemarkOutcome::Added(RemarkId(id))
            };
            tx.commit().await?;
            Ok::<_, RepoError>(outcome)
        })
    }

    /// An addendum to a signed-off meeting, by its supervisor or one of its
    /// supervisees.
    pub async fn add_addendum(
        &self,
        cipher: &FieldCipher,
        meeting: MeetingId,
        author: UserId,
        body: &str,
        now: i64,
    ) -> Result<RemarkOutcome, RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let added: Option<(i64,)> = sqlx::query_as(&format!(
                "INSERT INTO meeting_addenda (meeting_id, author_id, created_at, body_sealed) \
                 SELECT m.id, $2, $3, '' FROM meetings m \
                 WHERE m.id = $1 AND {} AND m.signed_off_at IS NOT NULL RETURNING id",
                super::read::IN_MEETING
            ))
            .bind(meeting.0)
            .bind(author.0)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let outcome = match added {
                Some((id,)) => {
                    sqlx::query("UPDATE meeting_addenda SET body_sealed = $2 WHERE id = $1")
                        .bind(id)
                        .bind(cipher.seal(MEETING_ADDENDUM_BODY.at(id, author.0), body))
                        .execute(&mut *tx)
                        .await?;
                    RemarkOutcome::Added(RemarkId(id))
                }
                None => {
                    let found: Option<(Option<i64>,)> = sqlx::query_as(&format!(
                        "SELECT m.signed_off_at FROM meetings m WHERE m.id = $1 AND {}",
                        super::read::IN_MEETING
                    ))
                    .bind(meeting.0)
                    .bind(author.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                    match found {
                        Some((None,)) => RemarkOutcome::NotSignedOffYet,
                        _ => RemarkOutcome::Missing,
                    }
                }
            };
            tx.commit().await?;
            Ok::<_, RepoError>(outcome)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUPERVISOR: UserId = UserId(1);
    const ANNA: UserId = UserId(10);
    const NOW: i64 = 5_000;

    fn item(assignee: Assignee, done: bool) -> ActionItem {
        ActionItem {
            id: Some(ActionItemId(7)),
            text: "Read Racker".to_string(),
            assignee,
            done,
        }
    }

    fn stored(assignee_id: Option<i64>, done_at: Option<i64>) -> StoredItem {
        StoredItem {
            id: 7,
            assignee_id,
            done_at,
            done_by: done_at.map(|_| assignee_id.unwrap_or(SUPERVISOR.0)),
        }
    }

    #[test]
    fn the_supervisors_save_marks_only_the_supervisors_items() {
        let supervisor = Assignee::Supervisor;
        let anna = Assignee::Supervisee(ANNA);
        let mark = |item: ActionItem, before: Option<StoredItem>| {
            done_columns(&item, before.as_ref(), SUPERVISOR, NOW)
        };
        // The supervisor's own items follow the posted box; a mark made
        // earlier keeps its time.
        assert_eq!(mark(item(supervisor, true), None), (Some(NOW), Some(1)));
        assert_eq!(mark(item(supervisor, false), None), (None, None));
        assert_eq!(
            mark(item(supervisor, true), Some(stored(None, Some(300)))),
            (Some(300), Some(1))
        );
        assert_eq!(
            mark(item(supervisor, false), Some(stored(None, Some(300)))),
            (None, None)
        );
        // A supervisee's item keeps the mark only they can change.
        assert_eq!(mark(item(anna, true), None), (None, None));
        assert_eq!(
            mark(item(anna, false), Some(stored(Some(10), Some(300)))),
            (Some(300), Some(10))
        );
        assert_eq!(
            mark(item(anna, true), Some(stored(Some(10), None))),
            (None, None)
        );
        // An item given to someone else starts open for them.
        assert_eq!(
            mark(item(anna, true), Some(stored(Some(11), Some(300)))),
            (None, None)
        );
        assert_eq!(
            mark(item(supervisor, true), Some(stored(Some(10), Some(300)))),
            (Some(NOW), Some(1))
        );
    }

    #[test]
    fn a_refusal_says_why_nothing_was_written() {
        assert_eq!(refusal(None), MeetingOutcome::Missing);
        assert_eq!(
            refusal(Some((Some(9), 2))),
            MeetingOutcome::SignedOff { at: 9 }
        );
        assert_eq!(refusal(Some((None, 2))), MeetingOutcome::Stale);
    }
}
