//! `server seed`: fills a new, empty database with synthetic therapists,
//! supervisors, cases, reflections, shares, comments, pacing ratings and
//! meetings, drawn from a seed (see `synthetic`), all written through the
//! repository with clinical text sealed as real saves seal it. The same
//! seed, scale and day give the same data.
//!
//! Two datasets: a [`Scale`] (the load benchmarks' is [`Scale::BENCHMARK`])
//! and the small demo, in which one therapist's cases show every page of
//! the product, a shared case with feedback and meetings, and both flags of
//! the analytics (a session over the transference threshold and a possibly
//! premature interpretation) in the last weeks.

use app::{
    domain::{
        accounts::UserId,
        analytics::{InterventionFacts, SessionFacts},
        cases::{CaseDetails, CaseId},
        feedback::{describe_intervention, Anchor},
        meetings::{ActionItem, Assignee, MeetingDetails, MeetingFormat},
        reflection::{Reflection, ReflectionId, RowId, RowKind, Timing},
        sharing::ShareScope,
        time::format_utc_date,
        vocabulary::{
            CaseStatus, ClientResponse, InterventionKind, Modality, PacingRating, SessionFrequency,
            ShareBasis,
        },
    },
    server::{
        crypto::FieldCipher,
        repo::{
            Database, NewComment, NewMeeting, NewRating, NewShare, NewUser, OwnersCase, RepoError,
            ReviewedReflection,
        },
    },
};

use crate::synthetic::{reflection, sessions_from, text, Draws};

const DAY_MS: i64 = 86_400_000;

/// Reflections written per call of the bulk insert (one transaction).
const REFLECTIONS_PER_TRANSACTION: usize = 1_000;

/// How many of a shared case's latest sessions have supervisor feedback.
const SESSIONS_WITH_FEEDBACK: usize = 4;

/// Names the cases' identifier check watches for (never in the words the
/// text is written with).
const NAMES_TO_WATCH: &[&str] = &["Marguerite", "Oskar", "Philippa", "Teodor", "Ines"];

/// How big a generated practice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub therapists: u32,
    pub cases_per_therapist: u32,
    pub sessions_per_case: u32,
    /// Years of weekly sessions of one more therapist with 15 cases
    /// (0 for none): the heaviest single account.
    pub long_therapist_years: u32,
}

impl Scale {
    /// The load benchmarks' dataset (issue 14): 50 therapists × 20 cases ×
    /// 100 sessions, and one therapist with 15 weekly cases over 10 years.
    pub const BENCHMARK: Scale = Scale {
        therapists: 50,
        cases_per_therapist: 20,
        sessions_per_case: 100,
        long_therapist_years: 10,
    };

    /// Cases of the therapist with a long practice.
    pub const LONG_THERAPIST_CASES: u32 = 15;

    /// One supervisor for every five therapists.
    pub fn supervisors(&self) -> u32 {
        self.therapists.div_ceil(5).max(1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Scale(Scale),
    Demo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedPlan {
    pub seed: u64,
    pub dataset: Dataset,
    /// Today (days since 1970-01-01): the latest sessions fall in the week
    /// before it.
    pub today: i64,
    /// The time written as every record's creation (Unix ms).
    pub now: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Therapist,
    Supervisor,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Therapist => "therapist",
            Role::Supervisor => "supervisor",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededAccount {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedSummary {
    pub accounts: Vec<SeededAccount>,
    pub cases: usize,
    pub reflections: usize,
    pub shares: usize,
    pub comments: usize,
    pub ratings: usize,
    pub meetings: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(
        "the database already has accounts; `server seed` fills only a new, empty database, \
         so synthetic data never mixes with real data"
    )]
    NotEmpty,
    #[error(transparent)]
    Repo(#[from] RepoError),
}

/// Fills the empty `database`; every account gets `password_hash`.
pub async fn seed(
    database: &Database,
    cipher: &FieldCipher,
    password_hash: &str,
    plan: &SeedPlan,
) -> Result<SeedSummary, SeedError> {
    if database.count_users().await? > 0 {
        return Err(SeedError::NotEmpty);
    }
    let mut seeder = Seeder {
        database,
        cipher,
        password_hash,
        plan,
        draws: Draws::new(plan.seed),
        summary: SeedSummary::default(),
    };
    match plan.dataset {
        Dataset::Scale(scale) => seeder.practice(scale).await?,
        Dataset::Demo => seeder.demo().await?,
    }
    Ok(seeder.summary)
}

/// A case to write: its code, how many sessions, how many weeks before
/// today the last one was, and whether it is closed.
struct CaseToSeed {
    code: String,
    sessions: u32,
    ended_weeks_ago: i64,
    closed: bool,
    /// Makes the last session one that both analytics flags point to.
    flagged_last_session: bool,
}

/// A written case, with its reflections in session order.
struct SeededCase {
    owner: UserId,
    /// Draws for the case's feedback: the same for the same owner and code.
    key: u64,
    id: CaseId,
    reflections: Vec<ReflectionId>,
}

struct Seeder<'a> {
    database: &'a Database,
    cipher: &'a FieldCipher,
    password_hash: &'a str,
    plan: &'a SeedPlan,
    draws: Draws,
    summary: SeedSummary,
}

impl Seeder<'_> {
    async fn practice(&mut self, scale: Scale) -> Result<(), RepoError> {
        let mut supervisors = Vec::new();
        for index in 1..=scale.supervisors() {
            supervisors.push(
                self.account(
                    format!("supervisor-{index:02}@seed.example"),
                    format!("Supervisor {index:02}"),
                    Role::Supervisor,
                )
                .await?,
            );
        }
        let mut supervised: Vec<Vec<(UserId, Vec<CaseId>)>> = vec![Vec::new(); supervisors.len()];
        for index in 1..=scale.therapists {
            let therapist = self
                .account(
                    format!("therapist-{index:03}@seed.example"),
                    format!("Therapist {index:03}"),
                    Role::Therapist,
                )
                .await?;
            let slot = (index as usize - 1) % supervisors.len();
            let mut shared = Vec::new();
            for number in 1..=scale.cases_per_therapist {
                // One case in ten ended between a few months and two years ago.
                let closed = number % 10 == 0;
                let ended_weeks_ago = if closed {
                    self.draws
                        .fork((u64::from(index) << 16) | u64::from(number))
                        .between(12, 100) as i64
                } else {
                    0
                };
                let case = self
                    .case(
                        therapist,
                        CaseToSeed {
                            code: format!("C-{number:02}"),
                            sessions: scale.sessions_per_case,
                            ended_weeks_ago,
                            closed,
                            flagged_last_session: false,
                        },
                    )
                    .await?;
                if number <= 2 {
                    self.share_with_feedback(&case, supervisors[slot]).await?;
                    shared.push(case.id);
                }
            }
            supervised[slot].push((therapist, shared));
        }
        if scale.long_therapist_years > 0 {
            let therapist = self
                .account(
                    "long-therapist@seed.example".to_string(),
                    "Long Practice Therapist".to_string(),
                    Role::Therapist,
                )
                .await?;
            let mut shared = Vec::new();
            for number in 1..=Scale::LONG_THERAPIST_CASES {
                let case = self
                    .case(
                        therapist,
                        CaseToSeed {
                            code: format!("L-{number:02}"),
                            sessions: scale.long_therapist_years * 52,
                            ended_weeks_ago: 0,
                            closed: false,
                            flagged_last_session: false,
                        },
                    )
                    .await?;
                if number <= 2 {
                    self.share_with_feedback(&case, supervisors[0]).await?;
                    shared.push(case.id);
                }
            }
            supervised[0].push((therapist, shared));
        }
        for (supervisor, supervisees) in supervisors.iter().zip(&supervised) {
            self.meetings(*supervisor, supervisees).await?;
        }
        Ok(())
    }

    async fn demo(&mut self) -> Result<(), RepoError> {
        let supervisor = self
            .account(
                "supervisor@demo.example".to_string(),
                "Sam Supervisor".to_string(),
                Role::Supervisor,
            )
            .await?;
        let therapist = self
            .account(
                "therapist@demo.example".to_string(),
                "Dana Therapist".to_string(),
                Role::Therapist,
            )
            .await?;
        let mut shared = Vec::new();
        for (code, sessions, ended_weeks_ago, closed, flagged, share) in [
            ("D-01", 40, 0, false, true, true),
            ("D-02", 16, 1, false, false, true),
            ("D-03", 24, 2, false, false, false),
            ("D-04", 12, 30, true, false, false),
        ] {
            let case = self
                .case(
                    therapist,
                    CaseToSeed {
                        code: code.to_string(),
                        sessions,
                        ended_weeks_ago,
                        closed,
                        flagged_last_session: flagged,
                    },
                )
                .await?;
            if share {
                self.share_with_feedback(&case, supervisor).await?;
                shared.push(case.id);
            }
        }
        self.meetings(supervisor, &[(therapist, shared)]).await
    }

    async fn account(
        &mut self,
        email: String,
        name: String,
        role: Role,
    ) -> Result<UserId, RepoError> {
        let user = self
            .database
            .create_user(&NewUser {
                email: &email,
                display_name: &name,
                password_hash: self.password_hash,
                is_admin: false,
                created_at: self.plan.now,
            })
            .await?;
        self.summary.accounts.push(SeededAccount {
            id: user.id,
            email,
            name,
            role,
        });
        Ok(user.id)
    }

    /// A number for an account: its place in the order they were made
    /// (not its id, which the database chooses).
    fn account_key(&self, account: UserId) -> u64 {
        self.summary
            .accounts
            .iter()
            .position(|seeded| seeded.id == account)
            .unwrap_or_default() as u64
            + 1
    }

    /// Writes a case and its reflections, weekly with a missed week now and
    /// then, the last one `ended_weeks_ago` weeks before today.
    async fn case(&mut self, owner: UserId, case: CaseToSeed) -> Result<SeededCase, RepoError> {
        let key = self.account_key(owner) * 1_000_003 + case_key(&case.code);
        let draws = self.draws.fork(key);
        let mut details_draws = draws.fork(1);
        let mut facts = sessions_from(&mut draws.fork(2), case.sessions);
        if case.flagged_last_session {
            flag_last_session(&mut facts);
        }
        let last_week = facts.last().map_or(1, |session| session.week);
        let last_day =
            self.plan.today - 1 - case.ended_weeks_ago * 7 - details_draws.below(6) as i64;
        let first_week_day = last_day - (last_week - 1) * 7;
        let details = CaseDetails {
            code: case.code,
            modality: if details_draws.chance(70) {
                Modality::Psychodynamic
            } else {
                details_draws.pick(Modality::ALL)
            },
            frequency: SessionFrequency::Weekly,
            start_date: iso_date(first_week_day),
            planned_sessions: details_draws
                .chance(30)
                .then_some(case.sessions + details_draws.between(0, 20) as u32),
            names_to_watch: vec![details_draws.pick(NAMES_TO_WATCH).to_string()],
        };
        let id = self
            .database
            .create_case(self.cipher, owner, &details, self.plan.now)
            .await?;
        self.summary.cases += 1;

        let mut texts = draws.fork(3);
        let reflections: Vec<Reflection> = facts
            .iter()
            .map(|session| {
                reflection(
                    session,
                    iso_date(first_week_day + (session.week - 1) * 7),
                    &mut texts,
                )
            })
            .collect();
        let mut ids = Vec::with_capacity(reflections.len());
        for chunk in reflections.chunks(REFLECTIONS_PER_TRANSACTION) {
            // Words from the list hold no identifiers, so none is pending
            // (see the identifier test of `synthetic`).
            let reviewed: Vec<ReviewedReflection> = chunk
                .iter()
                .map(|reflection| ReviewedReflection {
                    reflection,
                    identifiers_pending: 0,
                })
                .collect();
            ids.extend(
                self.database
                    .insert_reflections_in_bulk(
                        self.cipher,
                        OwnersCase { owner, case: id },
                        &reviewed,
                        self.plan.now,
                    )
                    .await?,
            );
        }
        self.summary.reflections += ids.len();
        if case.closed {
            self.database
                .set_case_status(owner, id, CaseStatus::Closed, self.plan.now)
                .await?;
        }
        Ok(SeededCase {
            owner,
            key,
            id,
            reflections: ids,
        })
    }

    /// Shares the case with `supervisor`, who comments on an intervention of
    /// each of the latest sessions (the therapist answers), rates its
    /// pacing, and marks the older half reviewed.
    async fn share_with_feedback(
        &mut self,
        case: &SeededCase,
        supervisor: UserId,
    ) -> Result<(), RepoError> {
        let mut draws = self.draws.fork(case.key).fork(4);
        self.database
            .create_share(&NewShare {
                owner: case.owner,
                case: case.id,
                supervisor,
                basis: draws.pick(ShareBasis::ALL),
                scope: &ShareScope {
                    excluded: Vec::new(),
                    expires_on: None,
                },
                now: self.plan.now,
            })
            .await?;
        self.summary.shares += 1;

        let latest = &case.reflections[case
            .reflections
            .len()
            .saturating_sub(SESSIONS_WITH_FEEDBACK)..];
        for (index, &id) in latest.iter().enumerate() {
            let Some(stored) = self
                .database
                .reflection_of(self.cipher, case.owner, case.id, id)
                .await?
            else {
                continue;
            };
            let Some(intervention) = stored.reflection.interventions.first() else {
                continue;
            };
            let Some(row) = intervention.id else {
                continue;
            };
            let label = describe_intervention(intervention);
            let body = text(&mut draws, 1, 3);
            let opening = self
                .database
                .insert_comment(
                    self.cipher,
                    &NewComment {
                        reflection: id,
                        supervisor,
                        author: supervisor,
                        parent: None,
                        anchor: Anchor::Row(RowKind::Intervention, row),
                        anchor_label: &label,
                        body: &body,
                        version: stored.version,
                        now: self.plan.now,
                    },
                )
                .await?;
            let reply = text(&mut draws, 1, 2);
            self.database
                .insert_comment(
                    self.cipher,
                    &NewComment {
                        reflection: id,
                        supervisor,
                        author: case.owner,
                        parent: Some(opening),
                        anchor: Anchor::Reflection,
                        anchor_label: "",
                        body: &reply,
                        version: stored.version,
                        now: self.plan.now,
                    },
                )
                .await?;
            self.summary.comments += 2;
            let note = text(&mut draws, 0, 1);
            self.database
                .rate_intervention(
                    self.cipher,
                    &NewRating {
                        reflection: id,
                        intervention: row,
                        supervisor,
                        anchor_label: &label,
                        rating: draws.pick(PacingRating::ALL),
                        note: &note,
                        version: stored.version,
                        now: self.plan.now,
                    },
                )
                .await?;
            self.summary.ratings += 1;
            if index < latest.len() / 2 {
                self.database
                    .mark_reviewed(id, supervisor, stored.version, self.plan.now)
                    .await?;
            }
        }
        Ok(())
    }

    /// Three individual meetings with each supervisee, a month apart, on
    /// the cases they share, and one group meeting with all of them.
    async fn meetings(
        &mut self,
        supervisor: UserId,
        supervisees: &[(UserId, Vec<CaseId>)],
    ) -> Result<(), RepoError> {
        let mut draws = self.draws.fork(self.account_key(supervisor)).fork(5);
        for (supervisee, cases) in supervisees {
            for months_ago in 0..3 {
                let day = self.plan.today - 3 - months_ago * 28 - draws.below(7) as i64;
                self.meeting(
                    &mut draws,
                    supervisor,
                    MeetingFormat::Individual,
                    day,
                    vec![*supervisee],
                    cases.clone(),
                )
                .await?;
            }
        }
        if supervisees.len() > 1 {
            let mut everyone: Vec<UserId> = supervisees.iter().map(|(user, _)| *user).collect();
            everyone.sort_by_key(|user| user.0);
            let day = self.plan.today - 10;
            self.meeting(
                &mut draws,
                supervisor,
                MeetingFormat::Group,
                day,
                everyone,
                Vec::new(),
            )
            .await?;
        }
        Ok(())
    }

    async fn meeting(
        &mut self,
        draws: &mut Draws,
        supervisor: UserId,
        format: MeetingFormat,
        day: i64,
        supervisees: Vec<UserId>,
        mut cases: Vec<CaseId>,
    ) -> Result<(), RepoError> {
        cases.sort_by_key(|case| case.0);
        let action_items = vec![
            ActionItem {
                id: None,
                text: text(draws, 1, 1),
                assignee: Assignee::Supervisee(supervisees[0]),
                done: false,
            },
            ActionItem {
                id: None,
                text: text(draws, 1, 1),
                assignee: Assignee::Supervisor,
                done: draws.chance(50),
            },
        ];
        let details = MeetingDetails {
            day,
            duration_minutes: if format == MeetingFormat::Group {
                90
            } else {
                50
            },
            format,
            supervisees,
            cases,
            notes: text(draws, 2, 5),
            action_items,
        };
        self.database
            .create_meeting(
                self.cipher,
                &NewMeeting {
                    supervisor,
                    details: &details,
                    agenda: &[],
                    now: self.plan.now,
                },
            )
            .await?;
        self.summary.meetings += 1;
        Ok(())
    }
}

/// A number for a case code, to draw each case's data on its own.
fn case_key(code: &str) -> u64 {
    code.bytes().fold(0_u64, |key, byte| {
        key.wrapping_mul(131).wrapping_add(u64::from(byte))
    })
}

fn iso_date(day: i64) -> String {
    format_utc_date(day * DAY_MS)
}

/// Makes the last session hold four deep transference interpretations met
/// with a rupture: over the default threshold of three, and deeper than
/// the sessions before prepared the client for.
fn flag_last_session(sessions: &mut [SessionFacts]) {
    let Some(last) = sessions.last_mut() else {
        return;
    };
    last.interventions = (1..=4_u8)
        .map(|k| InterventionFacts {
            row: RowId(0),
            kind: InterventionKind::TransferenceInterpretation,
            timing: Timing::Minute(k * 10),
            depth: 5,
            response: Some(ClientResponse::Rupture),
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use app::domain::analytics::CaseAnalytics;

    use super::*;
    use crate::synthetic::sessions_from;

    #[test]
    fn the_benchmark_has_a_hundred_thousand_reflections_and_a_long_practice() {
        let scale = Scale::BENCHMARK;
        assert_eq!(
            scale.therapists * scale.cases_per_therapist * scale.sessions_per_case,
            100_000
        );
        assert_eq!(
            Scale::LONG_THERAPIST_CASES * scale.long_therapist_years * 52,
            7_800
        );
        assert_eq!(scale.supervisors(), 10);
    }

    #[test]
    fn a_flagged_last_session_raises_both_flags() {
        let mut sessions = sessions_from(&mut Draws::new(11), 40);
        flag_last_session(&mut sessions);
        let analytics = CaseAnalytics::of(&sessions, 3);
        let last = sessions.last().unwrap().session_number;
        assert!(analytics
            .pacing
            .sessions_over_threshold()
            .any(|session| session.session.session_number == last));
        assert!(analytics
            .pacing
            .premature_interpretations
            .iter()
            .any(|flag| flag.session.session_number == last));
    }

    #[test]
    fn case_keys_differ_by_code() {
        assert_ne!(case_key("C-01"), case_key("C-02"));
        assert_eq!(iso_date(0), "1970-01-01");
    }
}
