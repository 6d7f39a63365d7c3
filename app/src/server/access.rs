//! Who may touch what: the one place each clinical access rule lives,
//! resolved on every request (so a revoked or expired share stops working
//! at the supervisor's very next request).
//!
//! A case is reached as its owner ([`OwnedCase`]) or as a supervisor
//! through a share open today ([`SupervisedCase`]); only this module makes
//! either, and anything else answers exactly like something that does not
//! exist ([`AppError::NotFound`]). A supervision meeting is reached by its
//! supervisor and its supervisees ([`meeting_in`]), nobody else.

use std::ops::Deref;

use crate::{
    domain::{
        accounts::UserId,
        cases::{Case, CaseId},
        meetings::MeetingId,
        reflection::{ReflectionId, SharedReflection, StoredReflection},
        sharing::{ShareId, SharedCaseInfo, SharedMaterial},
        time::format_utc_date,
    },
    error::AppError,
    server::{
        crypto::FieldCipher,
        repo::{Database, ShareGrant, StoredMeeting},
    },
};

/// The database and the cipher for clinical text, from the request's context:
/// what every edge touching cases or reflections needs.
pub fn clinical_stores() -> (Database, FieldCipher) {
    (
        leptos::prelude::expect_context::<Database>(),
        leptos::prelude::expect_context::<FieldCipher>(),
    )
}

/// A case the asker owns.
#[derive(Debug, Clone)]
pub struct OwnedCase {
    owner: UserId,
    case: Case,
}

impl OwnedCase {
    pub fn owner(&self) -> UserId {
        self.owner
    }

    pub fn into_case(self) -> Case {
        self.case
    }
}

impl Deref for OwnedCase {
    type Target = Case;

    fn deref(&self) -> &Case {
        &self.case
    }
}

/// A case the asker supervises through a share open today.
#[derive(Debug, Clone)]
pub struct SupervisedCase {
    grant: ShareGrant,
}

impl SupervisedCase {
    pub fn supervisor(&self) -> UserId {
        self.grant.supervisor
    }

    pub fn owner(&self) -> UserId {
        self.grant.owner
    }

    pub fn share(&self) -> ShareId {
        self.grant.share
    }

    pub fn id(&self) -> CaseId {
        self.grant.case.case_id
    }

    pub fn info(&self) -> &SharedCaseInfo {
        &self.grant.case
    }
}

/// How the asker reaches a case.
#[derive(Debug, Clone)]
pub enum CaseAccess {
    Owner(OwnedCase),
    Supervisor(SupervisedCase),
}

impl CaseAccess {
    pub fn id(&self) -> CaseId {
        match self {
            CaseAccess::Owner(owned) => owned.id,
            CaseAccess::Supervisor(supervised) => supervised.id(),
        }
    }
}

/// The case, if it is `owner`'s; otherwise [`AppError::NotFound`].
pub async fn owned_case(
    database: &Database,
    cipher: &FieldCipher,
    owner: UserId,
    case: CaseId,
) -> Result<OwnedCase, AppError> {
    let case = database
        .case_of(cipher, owner, case)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(OwnedCase { owner, case })
}

/// The case, if a share of it with `supervisor` is open on the day of `now`.
pub async fn supervised_case(
    database: &Database,
    supervisor: UserId,
    case: CaseId,
    now: i64,
) -> Result<SupervisedCase, AppError> {
    let grant = database
        .open_share(case, supervisor, &format_utc_date(now))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SupervisedCase { grant })
}

/// The case as its owner, or else as a supervisor through an open share.
pub async fn case_access(
    database: &Database,
    cipher: &FieldCipher,
    asker: UserId,
    case: CaseId,
    now: i64,
) -> Result<CaseAccess, AppError> {
    match owned_case(database, cipher, asker, case).await {
        Ok(owned) => Ok(CaseAccess::Owner(owned)),
        Err(AppError::NotFound) => Ok(CaseAccess::Supervisor(
            supervised_case(database, asker, case, now).await?,
        )),
        Err(other) => Err(other),
    }
}

/// One of the owner's reflections of the case, or [`AppError::NotFound`].
pub async fn owned_reflection(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    reflection: ReflectionId,
) -> Result<StoredReflection, AppError> {
    database
        .reflection_of(cipher, case.owner, case.id, reflection)
        .await?
        .ok_or(AppError::NotFound)
}

/// A reflection of the supervised case that its share does not exclude,
/// in the shared projection; or [`AppError::NotFound`].
pub async fn supervised_reflection(
    database: &Database,
    cipher: &FieldCipher,
    case: &SupervisedCase,
    reflection: ReflectionId,
) -> Result<SharedReflection, AppError> {
    database
        .load_shared_reflections(cipher, case.id(), Some(case.share()), Some(reflection))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)
}

/// Writes the access event for shared material a supervisor opens
/// (privacy rule 5).
pub async fn record_opened(
    database: &Database,
    case: &SupervisedCase,
    material: SharedMaterial,
    reflection: Option<ReflectionId>,
    now: i64,
) -> Result<(), AppError> {
    database
        .record_access(&case.grant, material, reflection, now)
        .await?;
    Ok(())
}

/// A meeting `asker` is in, as its supervisor or one of its supervisees.
/// To anyone else it is [`AppError::NotFound`].
pub async fn meeting_in(
    database: &Database,
    cipher: &FieldCipher,
    asker: UserId,
    meeting: MeetingId,
) -> Result<StoredMeeting, AppError> {
    // The repository only finds a meeting for its people; the rule is
    // checked here too, so it holds whatever the query does.
    let stored = database
        .meeting_for(cipher, meeting, asker)
        .await?
        .ok_or(AppError::NotFound)?;
    stored.state.role_of(asker).ok_or(AppError::NotFound)?;
    Ok(stored)
}
