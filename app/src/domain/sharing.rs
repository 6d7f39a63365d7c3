//! Sharing a case with a supervisor (privacy rule 3): explicit, scoped to
//! one case and one supervisor, with a recorded basis, optional excluded
//! sessions and expiry, and revocable. Pure: the caller supplies today.

use serde::{Deserialize, Serialize};

use super::{
    accounts::{Email, UserId},
    cases::CaseId,
    feedback::ReviewState,
    identifiers::review::PassageReview,
    reflection::{Glance, ReflectionId, SharedReflection},
    time::parse_iso_date,
    validation::FieldErrors,
    vocabulary::{CaseStatus, Modality, SessionFrequency, ShareBasis},
};

/// How far ahead a share may be set to expire.
pub const EXPIRY_MAX_DAYS: i64 = 5 * 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ShareId(pub i64);

/// The share form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShareInput {
    pub supervisor_email: String,
    pub basis: String,
    /// Ids of the case's reflections to leave out (check boxes).
    pub excluded: Vec<String>,
    /// `YYYY-MM-DD`, the last day the share is open; empty for no expiry.
    pub expires_on: String,
}

/// A valid request to share a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRequest {
    pub supervisor_email: Email,
    pub basis: ShareBasis,
    pub scope: ShareScope,
}

/// What of the case a share shows, and until when: the part of a share its
/// therapist can change later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareScope {
    pub excluded: Vec<ReflectionId>,
    /// The last day the share is open (`YYYY-MM-DD`).
    pub expires_on: Option<String>,
}

/// The change form of an existing share as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShareScopeInput {
    pub excluded: Vec<String>,
    pub expires_on: String,
}

impl ShareInput {
    /// Checks every field. `case_reflections` are the ids of the case's
    /// reflections, the only ones that can be excluded; `today` is in days
    /// since 1970-01-01.
    pub fn validate(
        &self,
        case_reflections: &[ReflectionId],
        today: i64,
    ) -> Result<ShareRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        let supervisor_email =
            errors.check("supervisor_email", Email::parse(&self.supervisor_email));
        let basis = errors.check(
            "basis",
            ShareBasis::parse(self.basis.trim()).ok_or(
                "Choose the basis for sharing: a training programme, the client's authorization, or de-identified material.",
            ),
        );
        let scope = ShareScopeInput {
            excluded: self.excluded.clone(),
            expires_on: self.expires_on.clone(),
        }
        .check(&mut errors, case_reflections, today);
        errors.into_result()?;
        match (supervisor_email, basis, scope) {
            (Some(supervisor_email), Some(basis), Some(scope)) => Ok(ShareRequest {
                supervisor_email,
                basis,
                scope,
            }),
            _ => unreachable!("every missing value recorded an error"),
        }
    }

    /// The form as the preview step passes it on to the confirmation.
    pub fn of_request(request: &ShareRequest) -> Self {
        ShareInput {
            supervisor_email: request.supervisor_email.to_string(),
            basis: request.basis.slug().to_string(),
            excluded: request
                .scope
                .excluded
                .iter()
                .map(|id| id.0.to_string())
                .collect(),
            expires_on: request.scope.expires_on.clone().unwrap_or_default(),
        }
    }
}

impl ShareScopeInput {
    pub fn validate(
        &self,
        case_reflections: &[ReflectionId],
        today: i64,
    ) -> Result<ShareScope, FieldErrors> {
        let mut errors = FieldErrors::new();
        let scope = self.check(&mut errors, case_reflections, today);
        errors.into_result()?;
        Ok(scope.expect("no error means a scope"))
    }

    fn check(
        &self,
        errors: &mut FieldErrors,
        case_reflections: &[ReflectionId],
        today: i64,
    ) -> Option<ShareScope> {
        let mut excluded = Vec::new();
        for text in self
            .excluded
            .iter()
            .map(|id| id.trim())
            .filter(|id| !id.is_empty())
        {
            match text.parse().map(ReflectionId) {
                Ok(id) if case_reflections.contains(&id) => {
                    if !excluded.contains(&id) {
                        excluded.push(id);
                    }
                }
                _ => errors.add(
                    "excluded",
                    "One of the sessions to leave out is not in this case; choose again.",
                ),
            }
        }
        excluded.sort();
        let expires_on = errors.check("expires_on", expiry(&self.expires_on, today))?;
        Some(ShareScope {
            excluded,
            expires_on,
        })
    }
}

fn expiry(text: &str, today: i64) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let Some(day) = parse_iso_date(text) else {
        return Err("Enter the last day of the share as a real date, for example 2027-06-30, or leave it empty.".to_string());
    };
    if day < today {
        return Err("The last day of the share is in the past.".to_string());
    }
    if day > today + EXPIRY_MAX_DAYS {
        return Err("Choose a last day within five years, or leave it empty.".to_string());
    }
    Ok(Some(text.to_string()))
}

/// Where a share stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareStatus {
    Active,
    Expired,
    Revoked,
}

impl ShareStatus {
    /// A share is open through its last day (UTC) unless revoked first.
    pub fn of(revoked: bool, expires_on: Option<&str>, today: i64) -> Self {
        let expired = expires_on
            .and_then(parse_iso_date)
            .is_some_and(|last_day| last_day < today);
        match (revoked, expired) {
            (true, _) => ShareStatus::Revoked,
            (false, true) => ShareStatus::Expired,
            (false, false) => ShareStatus::Active,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ShareStatus::Active => "Active",
            ShareStatus::Expired => "Expired",
            ShareStatus::Revoked => "Revoked",
        }
    }
}

/// A share as its therapist sees it on the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareSummary {
    pub id: ShareId,
    pub supervisor: UserId,
    pub supervisor_name: String,
    pub supervisor_email: String,
    pub basis: ShareBasis,
    pub scope: ShareScope,
    pub status: ShareStatus,
    /// Unix milliseconds.
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// One of a case's sessions, as the share forms list them to leave out
/// (for the therapist only: it has the session's date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionChoice {
    pub reflection_id: ReflectionId,
    pub session_number: u32,
    pub session_date: String,
}

/// What the supervisor would see if a share were confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharePreview {
    pub supervisor_name: String,
    pub request: ShareRequest,
    /// The reflections in the shared projection, newest first.
    pub reflections: Vec<SharedReflection>,
    /// The passages of those reflections that hold possible identifiers.
    pub identifiers: Vec<PassageReview>,
}

/// A shared case as its supervisor sees it: no start date, no names to watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedCaseInfo {
    pub case_id: CaseId,
    pub code: String,
    pub therapist_name: String,
    pub modality: Modality,
    pub frequency: SessionFrequency,
    pub planned_sessions: Option<u32>,
    pub status: CaseStatus,
    pub basis: ShareBasis,
    /// The last day the share is open.
    pub expires_on: Option<String>,
}

/// One shared case in a supervisor's inbox. It carries no time: when a
/// reflection was saved tells when its session was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxEntry {
    pub case: SharedCaseInfo,
    /// Shared reflections not reviewed yet, or changed since review.
    pub to_review: i64,
    /// Replies and comments by the therapist not read yet.
    pub unread: i64,
}

/// A shared case with its shared sessions, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedCaseOverview {
    pub case: SharedCaseInfo,
    /// One page of them.
    pub sessions: Vec<SharedSession>,
    pub timeline: super::timeline::TimelinePage,
}

/// One shared session on the supervisor's timeline: placed by number and
/// week, never by date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSession {
    pub reflection_id: ReflectionId,
    pub session_number: u32,
    pub week: i64,
    pub glance: Glance,
    pub review: ReviewState,
    /// The therapist's replies not read yet.
    pub unread: i64,
}

/// What a supervisor opened (privacy rule 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SharedMaterial {
    /// The shared case and its list of sessions.
    Case,
    /// One reflection, by the session number it had then.
    Reflection { session_number: u32 },
    /// The case's analytics (pacing, themes, countertransference).
    Analytics,
}

impl SharedMaterial {
    pub fn describe(self) -> String {
        match self {
            SharedMaterial::Case => "The case and its sessions".to_string(),
            SharedMaterial::Analytics => "The case's analytics".to_string(),
            SharedMaterial::Reflection { session_number } => {
                format!("Reflection on session {session_number}")
            }
        }
    }
}

/// Who read shared material, in the access log, once that supervisor's
/// account is deleted.
pub const FORMER_SUPERVISOR: &str = "A former supervisor";

/// One line of a case's access log, as its therapist reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEvent {
    pub supervisor_name: String,
    pub material: SharedMaterial,
    /// Unix milliseconds.
    pub occurred_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-11-29";

    fn today() -> i64 {
        parse_iso_date(TODAY).unwrap()
    }

    fn input() -> ShareInput {
        ShareInput {
            supervisor_email: " Sam.Supervisor@Example.org ".to_string(),
            basis: "training".to_string(),
            excluded: vec!["12".to_string(), "".to_string()],
            expires_on: "2027-06-30".to_string(),
        }
    }

    const CASE: &[ReflectionId] = &[ReflectionId(11), ReflectionId(12), ReflectionId(13)];

    #[test]
    fn a_complete_share_is_accepted_with_a_normalised_email() {
        let request = input().validate(CASE, today()).unwrap();
        assert_eq!(
            request.supervisor_email.as_str(),
            "sam.supervisor@example.org"
        );
        assert_eq!(request.basis, ShareBasis::Training);
        assert_eq!(request.scope.excluded, [ReflectionId(12)]);
        assert_eq!(request.scope.expires_on.as_deref(), Some("2027-06-30"));
    }

    #[test]
    fn the_preview_passes_on_exactly_what_was_checked() {
        let request = input().validate(CASE, today()).unwrap();
        let again = ShareInput::of_request(&request)
            .validate(CASE, today())
            .unwrap();
        assert_eq!(again, request);
    }

    #[test]
    fn email_and_basis_are_required() {
        let errors = ShareInput::default().validate(CASE, today()).unwrap_err();
        assert!(errors.get("supervisor_email").is_some());
        assert!(errors.get("basis").is_some());
        assert!(errors.get("expires_on").is_none());
    }

    #[test]
    fn only_the_cases_own_sessions_can_be_left_out() {
        let mut typed = input();
        typed.excluded = vec!["99".to_string()];
        let errors = typed.validate(CASE, today()).unwrap_err();
        assert!(errors.get("excluded").is_some());
        typed.excluded = vec!["twelve".to_string()];
        assert!(typed.validate(CASE, today()).is_err());
        typed.excluded = vec!["13".to_string(), "11".to_string(), "13".to_string()];
        let scope = typed.validate(CASE, today()).unwrap().scope;
        assert_eq!(scope.excluded, [ReflectionId(11), ReflectionId(13)]);
    }

    #[test]
    fn expiry_is_optional_real_not_past_and_not_too_far() {
        let check = |expires_on: &str| {
            ShareScopeInput {
                excluded: Vec::new(),
                expires_on: expires_on.to_string(),
            }
            .validate(CASE, today())
        };
        assert_eq!(check("").unwrap().expires_on, None);
        assert_eq!(check(TODAY).unwrap().expires_on.as_deref(), Some(TODAY));
        assert!(check("2026-11-28").unwrap_err().get("expires_on").is_some());
        assert!(check("2026-02-30").is_err());
        assert!(check("2031-11-28").is_ok());
        assert!(check("2032-12-01").is_err());
    }

    #[test]
    fn a_share_is_open_through_its_last_day_until_revoked() {
        let day = today();
        assert_eq!(ShareStatus::of(false, None, day), ShareStatus::Active);
        assert_eq!(
            ShareStatus::of(false, Some(TODAY), day),
            ShareStatus::Active
        );
        assert_eq!(
            ShareStatus::of(false, Some(TODAY), day + 1),
            ShareStatus::Expired
        );
        assert_eq!(ShareStatus::of(true, None, day), ShareStatus::Revoked);
        assert_eq!(
            ShareStatus::of(true, Some("2020-01-01"), day),
            ShareStatus::Revoked
        );
    }
}
