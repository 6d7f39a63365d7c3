//! Reading meetings: one meeting as its people read it (sealed text
//! opened), and lists, hours, the export and the open action items to carry
//! over. Lists, hours and the export select no sealed column.

use std::collections::HashMap;

use super::{
    assignee_of, day_range, duration_of, format_of, DoneMark, MeetingRemark, MeetingSummary,
    MeetingsOf, RecordedCase, RemarkId, StoredMeeting,
};
use crate::{
    domain::{
        accounts::UserId,
        cases::CaseId,
        meetings::{
            ActionItem, ActionItemId, AgendaItem, CarriedActionItem, DiscussedCase,
            ExportedMeeting, HeldMeeting, MeetingDetails, MeetingId, MeetingState, Participant,
            Period,
        },
    },
    server::{
        crypto::{FieldCipher, SealedColumn},
        repo::{
            database::{on_pool, Database, RepoError},
            sealed_columns::{
                ACTION_ITEM_TEXT, AGENDA_ITEM, MEETING_ADDENDUM_BODY, MEETING_COMMENT_BODY,
                MEETING_NOTES,
            },
        },
    },
};

/// Whether person `$2` is in meeting `m`: its supervisor or a supervisee.
pub(super) const IN_MEETING: &str = "(m.supervisor_id = $2 OR EXISTS \
     (SELECT 1 FROM meeting_supervisees s WHERE s.meeting_id = m.id AND s.supervisee_id = $2))";

/// The meetings `m` supervisor `$1` recorded with a day from `$2` to `$3`.
const RECORDED_BY: &str = "m.supervisor_id = $1 AND m.meeting_day BETWEEN $2 AND $3";

/// The meetings `m` supervisee `$1` was in with a day from `$2` to `$3`.
const ATTENDED_BY: &str = "m.id IN (SELECT x.meeting_id FROM meeting_supervisees x \
     WHERE x.supervisee_id = $1 AND x.meeting_day BETWEEN $2 AND $3)";

impl MeetingsOf {
    /// The condition on meetings `m` and the person (`$1`).
    fn condition(self) -> (&'static str, i64) {
        match self {
            MeetingsOf::Supervisor(user) => (RECORDED_BY, user.0),
            MeetingsOf::Supervisee(user) => (ATTENDED_BY, user.0),
        }
    }
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: i64,
    supervisor_id: i64,
    supervisor_name: String,
    meeting_day: i64,
    duration_minutes: i64,
    format: String,
    notes_sealed: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
    signed_off_at: Option<i64>,
    former_supervisees: i64,
}

/// Supervisee, name, acknowledged at.
type SuperviseeRow = (i64, String, Option<i64>);
/// Case (NULL once deleted), code, supervisee.
type CaseRow = (Option<i64>, String, i64);
/// Id, text, assignee, done at, done by.
type ActionItemRow = (i64, String, Option<i64>, Option<i64>, Option<i64>);
/// Id, author, author's name, at, body.
type RemarkRow = (i64, i64, String, i64, String);

/// Everything a meeting's load reads, before opening.
struct MeetingRows {
    meeting: MeetingRow,
    supervisees: Vec<SuperviseeRow>,
    cases: Vec<CaseRow>,
    agenda: Vec<(i64, String)>,
    action_items: Vec<ActionItemRow>,
    comments: Vec<RemarkRow>,
    addenda: Vec<RemarkRow>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    supervisor_id: i64,
    supervisor_name: String,
    meeting_day: i64,
    duration_minutes: i64,
    format: String,
    signed_off_at: Option<i64>,
    version: i64,
    created_at: i64,
}

/// Meeting, supervisee, name, acknowledged at.
type ListedSuperviseeRow = (i64, i64, String, Option<i64>);

impl Database {
    /// The meeting, if `user` is its supervisor or one of its supervisees;
    /// `None` for anyone else, whatever the id.
    pub async fn meeting_for(
        &self,
        cipher: &FieldCipher,
        meeting: MeetingId,
        user: UserId,
    ) -> Result<Option<StoredMeeting>, RepoError> {
        let rows = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let found: Option<MeetingRow> = sqlx::query_as(&format!(
                "SELECT m.id, m.supervisor_id, u.display_name AS supervisor_name, m.meeting_day, \
                 m.duration_minutes, m.format, m.notes_sealed, m.version, m.created_at, \
                 m.updated_at, m.signed_off_at, m.former_supervisees \
                 FROM meetings m JOIN users u ON u.id = m.supervisor_id \
                 WHERE m.id = $1 AND {IN_MEETING}"
            ))
            .bind(meeting.0)
            .bind(user.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(found) = found else {
                return Ok(None);
            };
            let id = found.id;
            let supervisees = sqlx::query_as(
                "SELECT s.supervisee_id, u.display_name, s.acknowledged_at \
                 FROM meeting_supervisees s JOIN users u ON u.id = s.supervisee_id \
                 WHERE s.meeting_id = $1 ORDER BY s.supervisee_id",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let cases = sqlx::query_as(
                "SELECT case_id, case_code, supervisee_id FROM meeting_cases \
                 WHERE meeting_id = $1 ORDER BY case_code, supervisee_id, case_id",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let agenda = sqlx::query_as(
                "SELECT position, item_sealed FROM meeting_agenda_items WHERE meeting_id = $1 \
                 ORDER BY position",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let action_items = sqlx::query_as(
                "SELECT id, text_sealed, assignee_id, done_at, done_by FROM meeting_action_items \
                 WHERE meeting_id = $1 ORDER BY position, id",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let comments = sqlx::query_as(
                "SELECT c.id, c.author_id, u.display_name, c.created_at, c.body_sealed \
                 FROM meeting_comments c JOIN users u ON u.id = c.author_id \
                 WHERE c.meeting_id = $1 ORDER BY c.created_at, c.id",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let addenda = sqlx::query_as(
                "SELECT a.id, a.author_id, u.display_name, a.created_at, a.body_sealed \
                 FROM meeting_addenda a JOIN users u ON u.id = a.author_id \
                 WHERE a.meeting_id = $1 ORDER BY a.created_at, a.id",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, RepoError>(Some(MeetingRows {
                meeting: found,
                supervisees,
                cases,
                agenda,
                action_items,
                comments,
                addenda,
            }))
        })?;
        rows.map(|rows| opened(cipher, rows)).transpose()
    }

    /// `of`'s meetings with a day in `period` (every day without one),
    /// newest first.
    pub async fn list_meetings(
        &self,
        of: MeetingsOf,
        period: Option<Period>,
    ) -> Result<Vec<MeetingSummary>, RepoError> {
        let (condition, person) = of.condition();
        let (first, last) = day_range(period);
        let (rows, supervisees) = on_pool!(self, |pool| {
            let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
                "SELECT m.id, m.supervisor_id, u.display_name AS supervisor_name, m.meeting_day, \
                 m.duration_minutes, m.format, m.signed_off_at, m.version, m.created_at \
                 FROM meetings m JOIN users u ON u.id = m.supervisor_id \
                 WHERE {condition} ORDER BY m.meeting_day DESC, m.id DESC"
            ))
            .bind(person)
            .bind(first)
            .bind(last)
            .fetch_all(pool)
            .await?;
            let supervisees: Vec<ListedSuperviseeRow> = sqlx::query_as(&format!(
                "SELECT s.meeting_id, s.supervisee_id, u.display_name, s.acknowledged_at \
                 FROM meeting_supervisees s JOIN users u ON u.id = s.supervisee_id \
                 WHERE s.meeting_id IN (SELECT m.id FROM meetings m WHERE {condition}) \
                 ORDER BY s.meeting_id, s.supervisee_id"
            ))
            .bind(person)
            .bind(first)
            .bind(last)
            .fetch_all(pool)
            .await?;
            Ok::<_, RepoError>((rows, supervisees))
        })?;
        let mut by_meeting: HashMap<i64, Vec<ListedSuperviseeRow>> = HashMap::new();
        for row in supervisees {
            by_meeting.entry(row.0).or_default().push(row);
        }
        rows.into_iter()
            .map(|row| {
                let people = by_meeting.remove(&row.id).unwrap_or_default();
                Ok(MeetingSummary {
                    id: MeetingId(row.id),
                    supervisor: UserId(row.supervisor_id),
                    supervisor_name: row.supervisor_name,
                    day: row.meeting_day,
                    duration_minutes: duration_of(row.duration_minutes)?,
                    format: format_of(&row.format)?,
                    acknowledged_by: people
                        .iter()
                        .filter(|(_, _, _, acknowledged)| acknowledged.is_some())
                        .map(|(_, id, _, _)| UserId(*id))
                        .collect(),
                    supervisees: people
                        .into_iter()
                        .map(|(_, id, name, _)| Participant {
                            id: UserId(id),
                            name,
                        })
                        .collect(),
                    signed_off_at: row.signed_off_at,
                    version: row.version,
                    created_at: row.created_at,
                })
            })
            .collect()
    }

    /// `of`'s meetings with a day in `period`, as the hours count them.
    pub async fn held_meetings(
        &self,
        of: MeetingsOf,
        period: Period,
    ) -> Result<Vec<HeldMeeting>, RepoError> {
        Ok(self
            .list_meetings(of, Some(period))
            .await?
            .iter()
            .map(MeetingSummary::held)
            .collect())
    }

    /// `of`'s meetings with a day in `period`, as the CSV shows them. A
    /// supervisee's export lists the codes of their own cases only.
    pub async fn exported_meetings(
        &self,
        of: MeetingsOf,
        period: Period,
    ) -> Result<Vec<ExportedMeeting>, RepoError> {
        let meetings = self.list_meetings(of, Some(period)).await?;
        let (condition, person) = of.condition();
        let only = match of {
            MeetingsOf::Supervisor(_) => 0,
            MeetingsOf::Supervisee(user) => user.0,
        };
        let cases: Vec<(i64, i64, String)> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT c.meeting_id, c.supervisee_id, c.case_code FROM meeting_cases c \
             WHERE c.meeting_id IN (SELECT m.id FROM meetings m WHERE {condition}) \
             AND ($4 = 0 OR c.supervisee_id = $4) ORDER BY c.meeting_id, c.case_code"
        ))
        .bind(person)
        .bind(period.first_day())
        .bind(period.last_day())
        .bind(only)
        .fetch_all(pool)
        .await)?;
        let mut by_meeting: HashMap<i64, Vec<DiscussedCase>> = HashMap::new();
        for (meeting, supervisee, code) in cases {
            by_meeting.entry(meeting).or_default().push(DiscussedCase {
                supervisee: UserId(supervisee),
                code,
            });
        }
        Ok(meetings
            .into_iter()
            .map(|meeting| ExportedMeeting {
                day: meeting.day,
                duration_minutes: meeting.duration_minutes,
                format: meeting.format,
                supervisor_name: meeting.supervisor_name,
                cases: by_meeting.remove(&meeting.id.0).unwrap_or_default(),
                supervisees: meeting.supervisees,
                signed_off_at: meeting.signed_off_at,
            })
            .collect())
    }

    /// The action items not done of `supervisor`'s meetings with exactly
    /// these supervisees (an individual meeting does not carry a group's
    /// items, nor the reverse), `excluding` one meeting (the one being
    /// edited), by the day of the meeting that agreed them.
    pub async fn open_action_items(
        &self,
        cipher: &FieldCipher,
        supervisor: UserId,
        supervisees: &[UserId],
        excluding: Option<MeetingId>,
    ) -> Result<Vec<CarriedActionItem>, RepoError> {
        let mut ids: Vec<i64> = supervisees.iter().map(|user| user.0).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let listed: Vec<String> = (0..ids.len()).map(|n| format!("${}", n + 4)).collect();
        let sql = format!(
            "SELECT a.id, m.meeting_day, a.text_sealed, a.assignee_id \
             FROM meeting_action_items a JOIN meetings m ON m.id = a.meeting_id \
             WHERE m.supervisor_id = $1 AND m.id <> $2 AND a.done_at IS NULL \
             AND (SELECT COUNT(*) FROM meeting_supervisees s WHERE s.meeting_id = m.id) = $3 \
             AND NOT EXISTS (SELECT 1 FROM meeting_supervisees s WHERE s.meeting_id = m.id \
                             AND s.supervisee_id NOT IN ({})) \
             ORDER BY m.meeting_day, a.id",
            listed.join(", ")
        );
        let count = i64::try_from(ids.len()).unwrap_or(i64::MAX);
        let rows: Vec<(i64, i64, String, Option<i64>)> = on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql)
                .bind(supervisor.0)
                .bind(excluding.map(|meeting| meeting.0).unwrap_or(0))
                .bind(count);
            for id in &ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        rows.into_iter()
            .map(|(id, meeting_day, text, assignee)| {
                Ok(CarriedActionItem {
                    id: ActionItemId(id),
                    meeting_day,
                    text: cipher.open(ACTION_ITEM_TEXT.at(id, supervisor.0), &text)?,
                    assignee: assignee_of(assignee),
                    done: false,
                })
            })
            .collect()
    }
}

/// The meeting as read, sealed text opened.
fn opened(cipher: &FieldCipher, rows: MeetingRows) -> Result<StoredMeeting, RepoError> {
    let MeetingRows {
        meeting,
        supervisees,
        cases,
        agenda,
        action_items,
        comments,
        addenda,
    } = rows;
    let supervisor = UserId(meeting.supervisor_id);
    let mut done_marks = Vec::new();
    let action_items = action_items
        .into_iter()
        .map(|(id, text, assignee, done_at, done_by)| {
            if let Some(at) = done_at {
                done_marks.push(DoneMark {
                    item: ActionItemId(id),
                    at,
                    by: done_by.map(UserId),
                });
            }
            Ok(ActionItem {
                id: Some(ActionItemId(id)),
                text: cipher.open(ACTION_ITEM_TEXT.at(id, supervisor.0), &text)?,
                assignee: assignee_of(assignee),
                done: done_at.is_some(),
            })
        })
        .collect::<Result<Vec<_>, RepoError>>()?;
    let agenda = agenda
        .into_iter()
        .map(|(position, sealed)| {
            let place = AGENDA_ITEM.at((meeting.id, position), supervisor.0);
            serde_json::from_str::<AgendaItem>(&cipher.open(place, &sealed)?).map_err(|_| {
                RepoError::Corrupt {
                    column: "meeting_agenda_items.item_sealed",
                    value: "(unreadable agenda item)".to_string(),
                }
            })
        })
        .collect::<Result<Vec<_>, RepoError>>()?;
    let cases: Vec<RecordedCase> = cases
        .into_iter()
        .map(|(case, code, supervisee)| RecordedCase {
            case: case.map(CaseId),
            code,
            supervisee: UserId(supervisee),
        })
        .collect();
    let mut case_ids: Vec<CaseId> = cases.iter().filter_map(|case| case.case).collect();
    case_ids.sort_unstable_by_key(|case| case.0);
    let remarks = |column: SealedColumn, rows: Vec<RemarkRow>| {
        rows.into_iter()
            .map(|(id, author, author_name, at, body)| {
                Ok(MeetingRemark {
                    id: RemarkId(id),
                    author: UserId(author),
                    author_name,
                    at,
                    body: cipher.open(column.at(id, author), &body)?,
                })
            })
            .collect::<Result<Vec<_>, RepoError>>()
    };
    Ok(StoredMeeting {
        id: MeetingId(meeting.id),
        details: MeetingDetails {
            day: meeting.meeting_day,
            duration_minutes: duration_of(meeting.duration_minutes)?,
            format: format_of(&meeting.format)?,
            supervisees: supervisees.iter().map(|(id, _, _)| UserId(*id)).collect(),
            cases: case_ids,
            notes: cipher.open(
                MEETING_NOTES.at(meeting.id, supervisor.0),
                &meeting.notes_sealed,
            )?,
            action_items,
        },
        state: MeetingState {
            supervisor,
            supervisees: supervisees.iter().map(|(id, _, _)| UserId(*id)).collect(),
            acknowledged_by: supervisees
                .iter()
                .filter(|(_, _, acknowledged)| acknowledged.is_some())
                .map(|(id, _, _)| UserId(*id))
                .collect(),
            signed_off_at: meeting.signed_off_at,
        },
        supervisor_name: meeting.supervisor_name,
        former_supervisees: u32::try_from(meeting.former_supervisees).unwrap_or_default(),
        supervisees: supervisees
            .into_iter()
            .map(|(id, name, _)| Participant {
                id: UserId(id),
                name,
            })
            .collect(),
        cases,
        agenda,
        done_marks,
        comments: remarks(MEETING_COMMENT_BODY, comments)?,
        addenda: remarks(MEETING_ADDENDUM_BODY, addenda)?,
        version: meeting.version,
        created_at: meeting.created_at,
        updated_at: meeting.updated_at,
    })
}
