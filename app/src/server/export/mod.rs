//! Leaving and keeping (privacy rule 6): a person downloads what they
//! wrote. A therapist's export holds every case with its reflections
//! (private parts included: it is the author's own), its shares and the
//! feedback on it, their drafts and the supervision meetings they were in;
//! a supervisor's holds the comments, replies and ratings they wrote and
//! the meetings they recorded.
//!
//! The export is written as it is read, one case (or meeting) at a time,
//! into [`Chunks`], so memory holds one case, not the whole export. Each
//! case is reached through `access::owned_case` like any other read of it.
//! The export holds one of the person's [`HeavyReads`] places from start to
//! end, and each part that decrypts is read in it on the blocking pool;
//! writing and waiting for the client happen between parts, outside it.

mod stream;

use crate::{
    domain::{
        accounts::{User, UserId},
        cases::CaseId,
        export::{
            csv::{header_of, record_line, MeetingActionItems, MeetingRemarks, Record},
            ExportFormat, ExportKind, ExportedAccount, ExportedActionItem, ExportedCase,
            ExportedComment, ExportedDraft, ExportedMeeting, ExportedRating, ExportedReaction,
            ExportedReflection, ExportedRemark, ExportedShare, GivenRating, WrittenComment,
            SCHEMA_VERSION,
        },
        meetings::{agenda_line, Assignee, MeetingId, MeetingRole},
        reflection::StoredReflection,
        time::utc_day,
    },
    error::AppError,
    server::{
        access::{meeting_in, owned_case, OwnedCase},
        crypto::FieldCipher,
        heavy_reads::{HeavyPlace, HeavyReads},
        repo::{Database, MeetingsOf, ReflectionFilter, StoredMeeting},
    },
};
use std::future::Future;

pub use stream::{Chunk, Chunks, ExportStop};
use stream::{JsonDocument, ZipDocument};

/// Which parts of a case a file needs read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct CaseParts {
    reflections: bool,
    shares: bool,
    feedback: bool,
}

impl CaseParts {
    const ALL: CaseParts = CaseParts {
        reflections: true,
        shares: true,
        feedback: true,
    };
    const NONE: CaseParts = CaseParts {
        reflections: false,
        shares: false,
        feedback: false,
    };
    const REFLECTIONS: CaseParts = CaseParts {
        reflections: true,
        ..CaseParts::NONE
    };
    const SHARES: CaseParts = CaseParts {
        shares: true,
        ..CaseParts::NONE
    };
    const FEEDBACK: CaseParts = CaseParts {
        feedback: true,
        ..CaseParts::NONE
    };
}

/// A CSV file made of every case's rows: its name, header, what it reads
/// of each case, and the case's lines.
struct CaseFile {
    name: &'static str,
    header: &'static [&'static str],
    parts: CaseParts,
    lines: fn(&ExportedCase) -> Vec<String>,
}

fn lines_of<'a, R: Record + 'a>(records: impl IntoIterator<Item = &'a R>) -> Vec<String> {
    records.into_iter().map(record_line).collect()
}

const CASE_FILES: [CaseFile; 8] = [
    CaseFile {
        name: "cases.csv",
        header: ExportedCase::HEADER,
        parts: CaseParts::NONE,
        lines: |case| vec![record_line(case)],
    },
    CaseFile {
        name: "reflections.csv",
        header: ExportedReflection::HEADER,
        parts: CaseParts::REFLECTIONS,
        lines: |case| lines_of(&case.reflections),
    },
    CaseFile {
        name: "reactions.csv",
        header: ExportedReaction::HEADER,
        parts: CaseParts::REFLECTIONS,
        lines: |case| lines_of(case.reflections.iter().flat_map(|r| &r.reactions)),
    },
    CaseFile {
        name: "interventions.csv",
        header: crate::domain::export::ExportedIntervention::HEADER,
        parts: CaseParts::REFLECTIONS,
        lines: |case| lines_of(case.reflections.iter().flat_map(|r| &r.interventions)),
    },
    CaseFile {
        name: "episodes.csv",
        header: crate::domain::export::ExportedEpisode::HEADER,
        parts: CaseParts::REFLECTIONS,
        lines: |case| lines_of(case.reflections.iter().flat_map(|r| &r.episodes)),
    },
    CaseFile {
        name: "shares.csv",
        header: ExportedShare::HEADER,
        parts: CaseParts::SHARES,
        lines: |case| lines_of(&case.shares),
    },
    CaseFile {
        name: "comments.csv",
        header: ExportedComment::HEADER,
        parts: CaseParts::FEEDBACK,
        lines: |case| lines_of(&case.comments),
    },
    CaseFile {
        name: "ratings.csv",
        header: ExportedRating::HEADER,
        parts: CaseParts::FEEDBACK,
        lines: |case| lines_of(&case.ratings),
    },
];

/// The files of a therapist's CSV export, in the zip's order.
pub const THERAPIST_CSV_FILES: [&str; 12] = [
    "cases.csv",
    "reflections.csv",
    "reactions.csv",
    "interventions.csv",
    "episodes.csv",
    "shares.csv",
    "comments.csv",
    "ratings.csv",
    "drafts.csv",
    "meetings.csv",
    "meeting_action_items.csv",
    "meeting_remarks.csv",
];

/// The files of a supervisor's CSV export, in the zip's order.
pub const SUPERVISOR_CSV_FILES: [&str; 5] = [
    "comments.csv",
    "ratings.csv",
    "meetings.csv",
    "meeting_action_items.csv",
    "meeting_remarks.csv",
];

/// One person's export, read with their rights only.
pub struct Export {
    reader: Reader,
    person: User,
    place: HeavyPlace,
}

/// Reads the parts of one person's export: cheap to clone, so that each
/// part can be read on the blocking pool.
#[derive(Clone)]
struct Reader {
    database: Database,
    cipher: FieldCipher,
    me: UserId,
    now: i64,
}

impl Export {
    /// `place` is one of the person's heavy-read places
    /// ([`HeavyReads::reserve`](crate::server::heavy_reads::HeavyReads::reserve)),
    /// taken before the download is answered so that "busy" can still be
    /// answered instead.
    pub fn new(
        database: Database,
        cipher: FieldCipher,
        person: User,
        now: i64,
        place: HeavyPlace,
    ) -> Self {
        Export {
            reader: Reader {
                database,
                cipher,
                me: person.id,
                now,
            },
            person,
            place,
        }
    }

    fn me(&self) -> UserId {
        self.person.id
    }

    /// Reads one part of the export in the person's place, off the async
    /// workers.
    async fn read<T, Read, Part>(&self, read: Read) -> Result<T, ExportStop>
    where
        T: Send + 'static,
        Read: FnOnce(Reader) -> Part,
        Part: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        self.place
            .run(read(self.reader.clone()))
            .await
            .map_err(ExportStop::Failed)
    }

    /// Writes the export into `out`, then closes it; a failure midway cuts
    /// the body short (logged where it happened).
    pub async fn write(&self, kind: ExportKind, format: ExportFormat, out: &Chunks) {
        let written = match (kind, format) {
            (ExportKind::MyWork, ExportFormat::Json) => self.therapist_json(out).await,
            (ExportKind::MyWork, ExportFormat::CsvZip) => self.therapist_zip(out).await,
            (ExportKind::MySupervision, ExportFormat::Json) => self.supervisor_json(out).await,
            (ExportKind::MySupervision, ExportFormat::CsvZip) => self.supervisor_zip(out).await,
        };
        match written {
            Ok(()) | Err(ExportStop::Gone) => {}
            Err(ExportStop::Failed(_)) => out.fail().await,
        }
    }

    fn head(&self, document: &mut JsonDocument<'_>, kind: ExportKind) -> Result<(), ExportStop> {
        document.field("schema_version", &SCHEMA_VERSION)?;
        document.field("kind", &kind.slug())?;
        document.field("exported_at", &self.reader.now)?;
        document.field(
            "account",
            &ExportedAccount {
                id: self.person.id.0,
                email: self.person.email.clone(),
                display_name: self.person.display_name.clone(),
            },
        )
    }

    async fn therapist_json(&self, out: &Chunks) -> Result<(), ExportStop> {
        let mut document = JsonDocument::new(out);
        self.head(&mut document, ExportKind::MyWork)?;
        document.open_list("cases")?;
        for case in self.case_ids().await? {
            document
                .item(&self.case(case, CaseParts::ALL).await?)
                .await?;
        }
        document.close_list();
        document.open_list("drafts")?;
        for draft in self.drafts().await? {
            document.item(&draft).await?;
        }
        document.close_list();
        self.meetings_json(&mut document, self.my_meetings().await?)
            .await?;
        document.finish().await
    }

    async fn therapist_zip(&self, out: &Chunks) -> Result<(), ExportStop> {
        let mut zip = ZipDocument::new(out);
        let cases = self.case_ids().await?;
        for file in &CASE_FILES {
            zip.start_file(file.name, &header_of(file.header)).await?;
            for &case in &cases {
                for line in (file.lines)(&self.case(case, file.parts).await?) {
                    zip.line(&line).await?;
                }
            }
        }
        zip.start_file("drafts.csv", &header_of(ExportedDraft::HEADER))
            .await?;
        for draft in self.drafts().await? {
            zip.line(&record_line(&draft)).await?;
        }
        self.meetings_zip(&mut zip, &self.my_meetings().await?)
            .await?;
        zip.finish().await
    }

    async fn supervisor_json(&self, out: &Chunks) -> Result<(), ExportStop> {
        let mut document = JsonDocument::new(out);
        self.head(&mut document, ExportKind::MySupervision)?;
        let cases = self
            .reader
            .database
            .cases_with_feedback_by(self.me())
            .await?;
        document.open_list("comments")?;
        for &case in &cases {
            for comment in self.written_comments(case).await? {
                document.item(&comment).await?;
            }
        }
        document.close_list();
        document.open_list("ratings")?;
        for &case in &cases {
            for rating in self.given_ratings(case).await? {
                document.item(&rating).await?;
            }
        }
        document.close_list();
        self.meetings_json(&mut document, self.meetings_recorded().await?)
            .await?;
        document.finish().await
    }

    async fn supervisor_zip(&self, out: &Chunks) -> Result<(), ExportStop> {
        let mut zip = ZipDocument::new(out);
        let cases = self
            .reader
            .database
            .cases_with_feedback_by(self.me())
            .await?;
        zip.start_file("comments.csv", &header_of(WrittenComment::HEADER))
            .await?;
        for &case in &cases {
            for comment in self.written_comments(case).await? {
                zip.line(&record_line(&comment)).await?;
            }
        }
        zip.start_file("ratings.csv", &header_of(GivenRating::HEADER))
            .await?;
        for &case in &cases {
            for rating in self.given_ratings(case).await? {
                zip.line(&record_line(&rating)).await?;
            }
        }
        self.meetings_zip(&mut zip, &self.meetings_recorded().await?)
            .await?;
        zip.finish().await
    }

    async fn meetings_json(
        &self,
        document: &mut JsonDocument<'_>,
        meetings: Vec<MeetingId>,
    ) -> Result<(), ExportStop> {
        document.open_list("meetings")?;
        for meeting in meetings {
            document.item(&self.meeting(meeting).await?).await?;
        }
        document.close_list();
        Ok(())
    }

    /// The three meeting files, each read meeting by meeting.
    async fn meetings_zip(
        &self,
        zip: &mut ZipDocument<'_>,
        meetings: &[MeetingId],
    ) -> Result<(), ExportStop> {
        type MeetingLines = fn(&ExportedMeeting) -> Vec<String>;
        let files: [(&str, &[&str], MeetingLines); 3] = [
            ("meetings.csv", ExportedMeeting::HEADER, |meeting| {
                vec![record_line(meeting)]
            }),
            (
                "meeting_action_items.csv",
                MeetingActionItems::HEADER,
                |meeting| MeetingActionItems(meeting).lines().collect(),
            ),
            ("meeting_remarks.csv", MeetingRemarks::HEADER, |meeting| {
                MeetingRemarks(meeting).lines().collect()
            }),
        ];
        for (name, header, lines) in files {
            zip.start_file(name, &header_of(header)).await?;
            for &meeting in meetings {
                for line in lines(&self.meeting(meeting).await?) {
                    zip.line(&line).await?;
                }
            }
        }
        Ok(())
    }

    /// The person's cases, by id (the order of their list of cases).
    async fn case_ids(&self) -> Result<Vec<CaseId>, ExportStop> {
        Ok(self
            .reader
            .database
            .list_cases(self.me(), None)
            .await?
            .into_iter()
            .map(|case| case.id)
            .collect())
    }

    async fn case(&self, id: CaseId, parts: CaseParts) -> Result<ExportedCase, ExportStop> {
        self.read(move |reader| async move { reader.case(id, parts).await })
            .await
    }

    async fn drafts(&self) -> Result<Vec<ExportedDraft>, ExportStop> {
        self.read(|reader| async move { reader.drafts().await })
            .await
    }

    async fn written_comments(&self, case: CaseId) -> Result<Vec<WrittenComment>, ExportStop> {
        self.read(move |reader| async move { reader.written_comments(case).await })
            .await
    }

    async fn given_ratings(&self, case: CaseId) -> Result<Vec<GivenRating>, ExportStop> {
        self.read(move |reader| async move { reader.given_ratings(case).await })
            .await
    }

    async fn meeting(&self, id: MeetingId) -> Result<ExportedMeeting, ExportStop> {
        self.read(move |reader| async move { reader.meeting(id).await })
            .await
    }

    /// Every meeting the person was in, in either part, oldest first.
    async fn my_meetings(&self) -> Result<Vec<MeetingId>, ExportStop> {
        let mut meetings = self.meetings_of(MeetingsOf::Supervisor(self.me())).await?;
        meetings.extend(self.meetings_of(MeetingsOf::Supervisee(self.me())).await?);
        meetings.sort_unstable();
        meetings.dedup();
        Ok(meetings)
    }

    async fn meetings_recorded(&self) -> Result<Vec<MeetingId>, ExportStop> {
        let mut meetings = self.meetings_of(MeetingsOf::Supervisor(self.me())).await?;
        meetings.sort_unstable();
        Ok(meetings)
    }

    async fn meetings_of(&self, of: MeetingsOf) -> Result<Vec<MeetingId>, ExportStop> {
        Ok(self
            .reader
            .database
            .list_meetings(of, None)
            .await?
            .into_iter()
            .map(|meeting| meeting.id)
            .collect())
    }
}

impl Reader {
    /// One of the person's cases with the `parts` asked for.
    async fn case(&self, id: CaseId, parts: CaseParts) -> Result<ExportedCase, AppError> {
        let database = &self.database;
        let owned = owned_case(database, &self.cipher, self.me, id).await?;
        let threshold = database.transference_threshold(id).await?;
        let mut case = ExportedCase::of(&owned, threshold);
        if parts.reflections {
            let filter = ReflectionFilter {
                case: Some(id),
                ..ReflectionFilter::default()
            };
            let mut reflections = database
                .load_reflections(&self.cipher, self.me, &filter)
                .await?;
            // Read newest first, as the pages list them; kept oldest first.
            reflections.reverse();
            case.reflections = reflections.iter().map(ExportedReflection::from).collect();
        }
        if parts.shares {
            let mut shares = database.shares_of_case(id, utc_day(self.now)).await?;
            shares.reverse();
            case.shares = shares
                .iter()
                .map(|share| ExportedShare::of(id.0, share))
                .collect();
        }
        if parts.feedback {
            case.comments = database
                .comments_on_case(&self.cipher, self.me, id)
                .await?
                .iter()
                .map(|(reflection, comment)| ExportedComment::of(id.0, reflection.0, comment))
                .collect();
            case.ratings = database
                .ratings_on_case(&self.cipher, self.me, id)
                .await?
                .iter()
                .map(|(reflection, rating)| ExportedRating::of(id.0, reflection.0, rating))
                .collect();
        }
        Ok(case)
    }

    async fn drafts(&self) -> Result<Vec<ExportedDraft>, AppError> {
        Ok(self
            .database
            .drafts_of(&self.cipher, self.me)
            .await?
            .into_iter()
            .map(|(case, reflection, draft)| {
                ExportedDraft::of(case.0, reflection.map(|id| id.0), draft)
            })
            .collect())
    }

    async fn written_comments(&self, case: CaseId) -> Result<Vec<WrittenComment>, AppError> {
        Ok(self
            .database
            .comments_written_by(&self.cipher, self.me, case)
            .await?
            .into_iter()
            .map(|(place, comment)| WrittenComment::of(place, &comment))
            .collect())
    }

    async fn given_ratings(&self, case: CaseId) -> Result<Vec<GivenRating>, AppError> {
        Ok(self
            .database
            .ratings_given_by(&self.cipher, self.me, case)
            .await?
            .into_iter()
            .map(|(place, rating)| GivenRating::of(place, &rating))
            .collect())
    }

    /// A meeting as the person reads its record.
    async fn meeting(&self, id: MeetingId) -> Result<ExportedMeeting, AppError> {
        let stored = meeting_in(&self.database, &self.cipher, self.me, id).await?;
        exported_meeting(self.me, stored).ok_or(AppError::NotFound)
    }
}

/// Every reflection of the owner's case, oldest session first, for the
/// printable view: a heavy read (every one is decrypted).
pub async fn reflections_to_print(
    reads: &HeavyReads,
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
) -> Result<Vec<StoredReflection>, AppError> {
    let (database, cipher, owner) = (database.clone(), cipher.clone(), case.owner());
    let filter = ReflectionFilter {
        case: Some(case.id),
        ..ReflectionFilter::default()
    };
    reads
        .run(owner, async move {
            let mut reflections = database.load_reflections(&cipher, owner, &filter).await?;
            // Session numbers are unique within a case.
            reflections.sort_by_key(|stored| stored.reflection.session_number);
            Ok(reflections)
        })
        .await
}

/// `stored` as `reader` exports it: a supervisee's lists only their own
/// cases of those discussed. `None` if `reader` was not in it.
fn exported_meeting(reader: UserId, stored: StoredMeeting) -> Option<ExportedMeeting> {
    let role = stored.state.role_of(reader)?;
    let name_of = |user: UserId| {
        stored
            .supervisees
            .iter()
            .find(|person| person.id == user)
            .map(|person| person.name.clone())
            .unwrap_or_default()
    };
    let mut remarks: Vec<ExportedRemark> = stored
        .comments
        .iter()
        .map(|remark| ("comment", remark))
        .chain(stored.addenda.iter().map(|remark| ("addendum", remark)))
        .map(|(kind, remark)| ExportedRemark {
            kind: kind.to_string(),
            author_name: remark.author_name.clone(),
            at: remark.at,
            body: remark.body.clone(),
        })
        .collect();
    remarks.sort_by_key(|remark| remark.at);
    Some(ExportedMeeting {
        id: stored.id.0,
        role: match role {
            MeetingRole::Supervisor => "supervisor",
            MeetingRole::Supervisee => "supervisee",
        }
        .to_string(),
        date: stored.details.date(),
        duration_minutes: stored.details.duration_minutes,
        format: stored.details.format.slug().to_string(),
        supervisor_name: stored.supervisor_name.clone(),
        supervisee_names: stored
            .supervisees
            .iter()
            .map(|person| person.name.clone())
            .collect(),
        case_codes: stored
            .cases
            .iter()
            .filter(|case| role == MeetingRole::Supervisor || case.supervisee == reader)
            .map(|case| case.code.clone())
            .collect(),
        notes: stored.details.notes.clone(),
        agenda: stored
            .agenda
            .iter()
            .map(|item| agenda_line(&item.topic, &name_of, &stored.supervisor_name))
            .collect(),
        action_items: stored
            .details
            .action_items
            .iter()
            .map(|item| ExportedActionItem {
                text: item.text.clone(),
                assignee_name: match item.assignee {
                    Assignee::Supervisor => stored.supervisor_name.clone(),
                    Assignee::Supervisee(user) => name_of(user),
                },
                done: item.done,
            })
            .collect(),
        remarks,
        signed_off_at: stored.state.signed_off_at,
        version: stored.version,
        created_at: stored.created_at,
        updated_at: stored.updated_at,
    })
}
