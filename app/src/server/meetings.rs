//! Supervision meetings, the workflows behind the server functions: what a
//! supervisor may record a meeting about, recording one (checked against
//! the cases shared with them today), and reading one back with, for each
//! case discussed, whether the reader may still open it.
//!
//! Each takes one `now`. Who may see a meeting (its supervisor and its
//! supervisees, nobody else) and whether a case on the record links into
//! the case are decided by `access`, on every read, so a revoked share
//! leaves the code without a link.

use crate::{
    domain::{
        accounts::UserId,
        cases::CaseId,
        feedback::comment_body,
        meetings::{
            addendum_body, build_agenda, edit_agenda, hours_by_supervisee, hours_of, iso_date,
            meetings_csv, next_meeting_groups, previous_meeting_at, ActionItemId, AgendaInput,
            AgendaItem, EarlierMeeting, FlaggedEvent, MeetingChange, MeetingId, MeetingInput,
            MeetingRules, NextMeeting, Participant, Period, PeriodInput, Refusal, SharedCase,
            SuperviseeHours,
        },
        time::{format_utc_date, utc_day},
        validation::FieldErrors,
    },
    error::AppError,
    server::{
        access::{meeting_in, owned_case, supervised_case},
        crypto::FieldCipher,
        repo::{
            Database, MeetingEdit, MeetingOutcome, MeetingSummary, MeetingsOf, NewMeeting,
            RemarkOutcome, StoredMeeting, SupervisionCase,
        },
    },
};

/// Whom and what a supervisor may record a meeting about today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingChoices {
    /// The people who share at least one case with the supervisor, by name.
    pub supervisees: Vec<Participant>,
    /// The cases they share, by code.
    pub cases: Vec<SupervisionCase>,
}

impl MeetingChoices {
    fn supervisee_ids(&self) -> Vec<UserId> {
        self.supervisees.iter().map(|person| person.id).collect()
    }

    fn shared_cases(&self) -> Vec<SharedCase> {
        self.cases
            .iter()
            .map(|case| SharedCase {
                case: case.case,
                supervisee: case.owner,
            })
            .collect()
    }
}

pub async fn choices(
    database: &Database,
    supervisor: UserId,
    now: i64,
) -> Result<MeetingChoices, AppError> {
    let cases = database
        .supervision_cases(supervisor, &format_utc_date(now))
        .await?;
    let mut supervisees: Vec<Participant> = Vec::new();
    for case in &cases {
        if !supervisees.iter().any(|person| person.id == case.owner) {
            supervisees.push(Participant {
                id: case.owner,
                name: case.owner_name.clone(),
            });
        }
    }
    supervisees.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.0.cmp(&b.id.0)));
    Ok(MeetingChoices { supervisees, cases })
}

/// The new meeting form for a supervisor: with no one chosen yet, everyone
/// who shares a case and every such case, and no agenda; with `with`
/// chosen, only them and their cases, and the agenda pre-filled for them.
/// Someone in `with` who shares nothing with the supervisor today is not
/// found.
pub async fn new_meeting(
    database: &Database,
    cipher: &FieldCipher,
    supervisor: UserId,
    with: &[UserId],
    now: i64,
) -> Result<(MeetingChoices, Vec<AgendaItem>), AppError> {
    let mut choices = choices(database, supervisor, now).await?;
    if with.is_empty() {
        return Ok((choices, Vec::new()));
    }
    let mut with = with.to_vec();
    with.sort_by_key(|user| user.0);
    with.dedup();
    if with.iter().any(|chosen| {
        !choices
            .supervisees
            .iter()
            .any(|person| person.id == *chosen)
    }) {
        return Err(AppError::NotFound);
    }
    choices
        .supervisees
        .retain(|person| with.contains(&person.id));
    choices.cases.retain(|case| with.contains(&case.owner));
    let agenda = prefilled_agenda(database, cipher, supervisor, &with, now).await?;
    Ok((choices, agenda))
}

/// The agenda as the form left it: `offered` kept, removed, moved and added
/// to; a form that posts no agenda rows keeps `offered` as it is.
fn edited_agenda(
    offered: Vec<AgendaItem>,
    input: &AgendaInput,
) -> Result<Vec<AgendaItem>, AppError> {
    if input.items.is_empty() {
        return Ok(offered);
    }
    Ok(edit_agenda(&offered, input)?)
}

/// Records a meeting after checking every field against what is shared
/// with the supervisor today; errors at their fields.
pub async fn record(
    database: &Database,
    cipher: &FieldCipher,
    supervisor: UserId,
    input: &MeetingInput,
    now: i64,
) -> Result<MeetingId, AppError> {
    let choices = choices(database, supervisor, now).await?;
    let supervisees = choices.supervisee_ids();
    let shared_cases = choices.shared_cases();
    let details = input.validate(&MeetingRules {
        today: utc_day(now),
        supervisees: &supervisees,
        shared_cases: &shared_cases,
    })?;
    let offered = prefilled_agenda(database, cipher, supervisor, &details.supervisees, now).await?;
    let agenda = edited_agenda(offered, &input.agenda)?;
    Ok(database
        .create_meeting(
            cipher,
            &NewMeeting {
                supervisor,
                details: &details,
                agenda: &agenda,
                now,
            },
        )
        .await?)
}

/// A meeting as `reader` may read it, with, for each case on the record
/// (in the record's order), whether `reader` may open it now: as its
/// owner, or as a supervisor through a share open today.
pub async fn read(
    database: &Database,
    cipher: &FieldCipher,
    reader: UserId,
    meeting: MeetingId,
    now: i64,
) -> Result<(StoredMeeting, Vec<bool>), AppError> {
    let stored = meeting_in(database, cipher, reader, meeting).await?;
    let mut open = Vec::with_capacity(stored.cases.len());
    for recorded in &stored.cases {
        open.push(match recorded.case {
            None => false,
            Some(case) => {
                may_open(database, cipher, reader, recorded.supervisee, case, now).await?
            }
        });
    }
    Ok((stored, open))
}

async fn may_open(
    database: &Database,
    cipher: &FieldCipher,
    reader: UserId,
    owner: UserId,
    case: CaseId,
    now: i64,
) -> Result<bool, AppError> {
    let found = if reader == owner {
        owned_case(database, cipher, reader, case).await.map(|_| ())
    } else {
        supervised_case(database, reader, case, now)
            .await
            .map(|_| ())
    };
    match found {
        Ok(()) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(other) => Err(other),
    }
}

impl From<Refusal> for AppError {
    /// Someone outside the meeting finds nothing; a change the record's
    /// state no longer allows is a conflict (409) with its message; a
    /// change that is not this person's to make is refused (403).
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NotInMeeting => AppError::NotFound,
            refusal if refusal.is_conflict() => AppError::Locked(refusal.to_string()),
            refusal => AppError::Refused(refusal.to_string()),
        }
    }
}

/// What a change based on an older version is told.
pub const CHANGED_MEANWHILE: &str = "This meeting record was changed after you opened it; nothing was saved. Read it again, then try once more.";

fn outcome(outcome: MeetingOutcome) -> Result<(), AppError> {
    match outcome {
        MeetingOutcome::Saved { .. } => Ok(()),
        MeetingOutcome::Stale => Err(AppError::Locked(CHANGED_MEANWHILE.to_string())),
        MeetingOutcome::SignedOff { at } => Err(Refusal::SignedOff { at }.into()),
        MeetingOutcome::Missing => Err(AppError::NotFound),
    }
}

fn remark(outcome: RemarkOutcome) -> Result<(), AppError> {
    match outcome {
        RemarkOutcome::Added(_) => Ok(()),
        RemarkOutcome::SignedOff { at } => Err(Refusal::SignedOff { at }.into()),
        RemarkOutcome::NotSignedOffYet => Err(Refusal::NotSignedOffYet.into()),
        RemarkOutcome::Missing => Err(AppError::NotFound),
    }
}

/// The meeting's people and stage, if `user` is in it; the change checked.
async fn checked(
    database: &Database,
    cipher: &FieldCipher,
    user: UserId,
    meeting: MeetingId,
    change: MeetingChange,
) -> Result<StoredMeeting, AppError> {
    let stored = meeting_in(database, cipher, user, meeting).await?;
    stored.state.check(user, change)?;
    Ok(stored)
}

/// The supervisor signs off the record as they read it (`version`).
pub async fn sign_off(
    database: &Database,
    cipher: &FieldCipher,
    supervisor: UserId,
    meeting: MeetingId,
    version: i64,
    now: i64,
) -> Result<(), AppError> {
    checked(
        database,
        cipher,
        supervisor,
        meeting,
        MeetingChange::SignOff,
    )
    .await?;
    outcome(
        database
            .sign_off_meeting(meeting, supervisor, version, now)
            .await?,
    )
}

/// A supervisee acknowledges the record as they read it (`version`).
pub async fn acknowledge(
    database: &Database,
    cipher: &FieldCipher,
    supervisee: UserId,
    meeting: MeetingId,
    version: i64,
    now: i64,
) -> Result<(), AppError> {
    checked(
        database,
        cipher,
        supervisee,
        meeting,
        MeetingChange::Acknowledge,
    )
    .await?;
    outcome(
        database
            .acknowledge_meeting(meeting, supervisee, version, now)
            .await?,
    )
}

fn body_field(text: Result<String, String>) -> Result<String, AppError> {
    text.map_err(|message| AppError::Invalid(FieldErrors::single("body", message)))
}

/// A supervisee's comment on the record, before sign-off.
pub async fn comment(
    database: &Database,
    cipher: &FieldCipher,
    supervisee: UserId,
    meeting: MeetingId,
    text: &str,
    now: i64,
) -> Result<(), AppError> {
    checked(
        database,
        cipher,
        supervisee,
        meeting,
        MeetingChange::Comment,
    )
    .await?;
    let body = body_field(comment_body(text))?;
    remark(
        database
            .add_meeting_comment(cipher, meeting, supervisee, &body, now)
            .await?,
    )
}

/// An addendum by the supervisor or a supervisee, after sign-off.
pub async fn addendum(
    database: &Database,
    cipher: &FieldCipher,
    author: UserId,
    meeting: MeetingId,
    text: &str,
    now: i64,
) -> Result<(), AppError> {
    checked(
        database,
        cipher,
        author,
        meeting,
        MeetingChange::AddAddendum,
    )
    .await?;
    let body = body_field(addendum_body(text))?;
    remark(
        database
            .add_addendum(cipher, meeting, author, &body, now)
            .await?,
    )
}

/// The assignee marks an action item of the meeting done (or not done).
pub async fn mark_done(
    database: &Database,
    cipher: &FieldCipher,
    user: UserId,
    meeting: MeetingId,
    item: ActionItemId,
    done: bool,
    now: i64,
) -> Result<(), AppError> {
    let stored = meeting_in(database, cipher, user, meeting).await?;
    let assignee = stored
        .details
        .action_items
        .iter()
        .find(|action| action.id == Some(item))
        .ok_or(AppError::NotFound)?
        .assignee;
    stored
        .state
        .check(user, MeetingChange::MarkActionItemDone { assignee })?;
    if database.set_action_item_done(item, user, done, now).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The supervisor's meeting as the edit form starts from, with what it may
/// choose from: today's shares, and the people and cases already on the
/// record (a share revoked since does not take them off it).
pub async fn editable(
    database: &Database,
    cipher: &FieldCipher,
    supervisor: UserId,
    meeting: MeetingId,
    now: i64,
) -> Result<(StoredMeeting, MeetingChoices), AppError> {
    let stored = checked(
        database,
        cipher,
        supervisor,
        meeting,
        MeetingChange::EditDetails,
    )
    .await?;
    let mut choices = choices(database, supervisor, now).await?;
    for person in &stored.supervisees {
        if !choices
            .supervisees
            .iter()
            .any(|known| known.id == person.id)
        {
            choices.supervisees.push(person.clone());
        }
    }
    for recorded in &stored.cases {
        if let Some(case) = recorded.case {
            if !choices.cases.iter().any(|known| known.case == case) {
                choices.cases.push(SupervisionCase {
                    case,
                    code: recorded.code.clone(),
                    owner: recorded.supervisee,
                    owner_name: stored
                        .supervisees
                        .iter()
                        .find(|person| person.id == recorded.supervisee)
                        .map(|person| person.name.clone())
                        .unwrap_or_default(),
                });
            }
        }
    }
    Ok((stored, choices))
}

/// The supervisor's edit of a meeting not signed off yet, based on the
/// version they read; the agenda offered is the one recorded.
pub async fn edit(
    database: &Database,
    cipher: &FieldCipher,
    supervisor: UserId,
    meeting: MeetingId,
    version: i64,
    input: &MeetingInput,
    now: i64,
) -> Result<(), AppError> {
    let (stored, choices) = editable(database, cipher, supervisor, meeting, now).await?;
    if stored.version != version {
        return Err(AppError::Locked(CHANGED_MEANWHILE.to_string()));
    }
    let supervisees = choices.supervisee_ids();
    let shared_cases = choices.shared_cases();
    let details = input.validate(&MeetingRules {
        today: utc_day(now),
        supervisees: &supervisees,
        shared_cases: &shared_cases,
    })?;
    let agenda = edited_agenda(stored.agenda, &input.agenda)?;
    outcome(
        database
            .update_meeting(
                cipher,
                &MeetingEdit {
                    meeting,
                    supervisor,
                    version,
                    details: &details,
                    agenda: &agenda,
                    now,
                },
            )
            .await?,
    )
}

/// The period asked for, or the current month when none is.
pub fn period_or_this_month(input: &PeriodInput, now: i64) -> Result<Period, AppError> {
    if input.kind.trim().is_empty() {
        let today = iso_date(utc_day(now));
        return Period::parse(&today[..7]).ok_or(AppError::Internal);
    }
    Ok(input.validate()?)
}

/// Hours in a period: per supervisee of the supervisor's meetings, and the
/// asker's own as a supervisee.
pub struct Hours {
    pub as_supervisor: Vec<(Participant, SuperviseeHours)>,
    pub as_supervisee: SuperviseeHours,
}

pub async fn hours(database: &Database, asker: UserId, period: Period) -> Result<Hours, AppError> {
    let led = database
        .list_meetings(MeetingsOf::Supervisor(asker), Some(period))
        .await?;
    let held: Vec<_> = led.iter().map(|meeting| meeting.held()).collect();
    let mut people: Vec<Participant> = Vec::new();
    for person in led.iter().flat_map(|meeting| &meeting.supervisees) {
        if !people.iter().any(|known| known.id == person.id) {
            people.push(person.clone());
        }
    }
    let as_supervisor = hours_by_supervisee(&held, period)
        .into_iter()
        .filter_map(|hours| {
            let person = people.iter().find(|person| person.id == hours.supervisee)?;
            Some((person.clone(), hours))
        })
        .collect();
    let attended = database
        .held_meetings(MeetingsOf::Supervisee(asker), period)
        .await?;
    Ok(Hours {
        as_supervisor,
        as_supervisee: hours_of(asker, &attended, period),
    })
}

/// Whose meetings a CSV export lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportOf {
    /// The meetings the asker recorded, a row per supervisee.
    MyRecords,
    /// The meetings the asker was in, their own rows only.
    MySupervision,
}

/// The CSV of the asker's meetings in `period`: nothing clinical in it.
pub async fn export(
    database: &Database,
    asker: UserId,
    of: ExportOf,
    period: Period,
) -> Result<String, AppError> {
    let (meetings_of, only) = match of {
        ExportOf::MyRecords => (MeetingsOf::Supervisor(asker), None),
        ExportOf::MySupervision => (MeetingsOf::Supervisee(asker), Some(asker)),
    };
    let meetings = database.exported_meetings(meetings_of, period).await?;
    Ok(meetings_csv(&meetings, period, only))
}

/// One supervisee's hours statement for a period: their name, the meetings
/// (oldest first) and the totals. The supervisee sees every supervisor's
/// meetings with them; a supervisor only their own, and only for someone
/// they have recorded a meeting with (anyone else is not found).
pub async fn statement(
    database: &Database,
    asker: UserId,
    asker_name: &str,
    supervisee: UserId,
    period: Period,
) -> Result<(String, Vec<MeetingSummary>, SuperviseeHours), AppError> {
    let with_them = |meeting: &MeetingSummary| {
        meeting
            .supervisees
            .iter()
            .any(|person| person.id == supervisee)
    };
    let (name, mut meetings) = if supervisee == asker {
        let meetings = database
            .list_meetings(MeetingsOf::Supervisee(asker), Some(period))
            .await?;
        (asker_name.to_string(), meetings)
    } else {
        let ever = database
            .list_meetings(MeetingsOf::Supervisor(asker), None)
            .await?;
        let name = ever
            .iter()
            .flat_map(|meeting| &meeting.supervisees)
            .find(|person| person.id == supervisee)
            .map(|person| person.name.clone())
            .ok_or(AppError::NotFound)?;
        let meetings = ever
            .into_iter()
            .filter(|meeting| period.contains(meeting.day) && with_them(meeting))
            .collect();
        (name, meetings)
    };
    meetings.sort_by_key(|meeting| (meeting.day, meeting.id));
    let held: Vec<_> = meetings.iter().map(MeetingSummary::held).collect();
    let totals = hours_of(supervisee, &held, period);
    Ok((name, meetings, totals))
}

/// The pre-filled agenda of a new meeting with `supervisees`: what was
/// flagged on their shared sessions since the previous meeting with exactly
/// them (everything when there is none), and the open action items of
/// earlier meetings with them.
pub async fn prefilled_agenda(
    database: &Database,
    cipher: &FieldCipher,
    supervisor: UserId,
    supervisees: &[UserId],
    now: i64,
) -> Result<Vec<AgendaItem>, AppError> {
    let earlier: Vec<_> = database
        .list_meetings(MeetingsOf::Supervisor(supervisor), None)
        .await?
        .iter()
        .map(MeetingSummary::earlier)
        .collect();
    let since = previous_meeting_at(&earlier, supervisees);
    let events = database
        .flagged_events(supervisor, supervisees, &format_utc_date(now))
        .await?;
    let carried = database
        .open_action_items(cipher, supervisor, supervisees, None)
        .await?;
    Ok(build_agenda(since, &events, &carried))
}

/// The supervisor's next meetings (see `domain::meetings::next`), each
/// with the size of the agenda a new meeting with those people would start
/// with now; `led` are the meetings the supervisor recorded. The flagged
/// events are read once for everyone; the open action items once per
/// meeting, never per case.
pub async fn next_meetings(
    database: &Database,
    cipher: &FieldCipher,
    supervisor: UserId,
    led: &[MeetingSummary],
    now: i64,
) -> Result<Vec<NextMeeting>, AppError> {
    let choices = choices(database, supervisor, now).await?;
    let everyone = choices.supervisee_ids();
    if everyone.is_empty() {
        return Ok(Vec::new());
    }
    let earlier: Vec<EarlierMeeting> = led.iter().map(MeetingSummary::earlier).collect();
    let events = database
        .flagged_events(supervisor, &everyone, &format_utc_date(now))
        .await?;
    let mut next = Vec::new();
    for group in next_meeting_groups(&everyone, &earlier) {
        let theirs: Vec<FlaggedEvent> = events
            .iter()
            .filter(|event| {
                choices
                    .cases
                    .iter()
                    .any(|case| case.case == event.session.case && group.contains(&case.owner))
            })
            .cloned()
            .collect();
        let carried = database
            .open_action_items(cipher, supervisor, &group, None)
            .await?;
        let agenda = build_agenda(previous_meeting_at(&earlier, &group), &theirs, &carried);
        next.push(NextMeeting {
            supervisees: choices
                .supervisees
                .iter()
                .filter(|person| group.contains(&person.id))
                .cloned()
                .collect(),
            agenda_items: agenda.len(),
        });
    }
    Ok(next)
}
