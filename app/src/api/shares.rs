//! The therapist's side of sharing: preview and share a case, change or
//! revoke a share, and read who opened what (the access log).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::{cases::CaseId, reflection::ReflectionId, sharing::ShareId, time::utc_day},
        server::{
            access::{clinical_stores, owned_case, OwnedCase},
            auth::{now_ms, require_user},
            forms::{answer_form, FormPage},
            identifier_review,
            repo::Database,
            sharing,
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::sharing::{
        AccessEvent, SessionChoice, ShareInput, SharePreview, ShareScopeInput, ShareSummary,
    },
    error::AppError,
};

/// What the share page needs: the case, its sessions, and once the form
/// has been filled in, the preview or what is wrong with the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareFormView {
    pub case_code: String,
    pub sessions: Vec<SessionChoice>,
    pub preview: Option<Result<SharePreview, AppError>>,
}

/// A share and what its change form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareSettingsView {
    pub case_code: String,
    pub share: ShareSummary,
    pub sessions: Vec<SessionChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogView {
    pub case_code: String,
    pub events: Vec<AccessEvent>,
}

pub fn share_path(case: i64) -> String {
    format!("/cases/{case}/share")
}

pub fn share_settings_path(case: i64, share: i64) -> String {
    format!("/cases/{case}/shares/{share}")
}

pub fn access_log_path(case: i64) -> String {
    format!("/cases/{case}/access")
}

/// How many access events the log shows.
#[cfg(feature = "ssr")]
const ACCESS_LOG_LINES: i64 = 500;

#[cfg(feature = "ssr")]
async fn my_case(
    case_id: i64,
) -> Result<(Database, crate::server::crypto::FieldCipher, OwnedCase), AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let case = owned_case(&database, &cipher, signed_in.user.id, CaseId(case_id)).await?;
    Ok((database, cipher, case))
}

/// The case's sessions, newest first, for choosing which to leave out (no
/// clinical text is read for them).
#[cfg(feature = "ssr")]
async fn session_choices(
    database: &Database,
    case: &OwnedCase,
) -> Result<Vec<SessionChoice>, AppError> {
    Ok(database
        .sessions_of_case(case.owner(), case.id, None)
        .await?
        .into_iter()
        .map(|session| SessionChoice {
            reflection_id: session.id,
            session_number: session.session_number,
            session_date: session.session_date,
        })
        .collect())
}

/// The reflections the sessions are, all a share may leave out.
#[cfg(feature = "ssr")]
fn reflection_ids(sessions: &[SessionChoice]) -> Vec<ReflectionId> {
    sessions
        .iter()
        .map(|session| session.reflection_id)
        .collect()
}

/// The share form of a case; when `share` has been filled in, the
/// preview of exactly what the supervisor would see (nothing is stored).
#[server(endpoint = "shares/form", input = leptos::server_fn::codec::GetUrl)]
pub async fn share_form(
    case_id: i64,
    share: Option<ShareInput>,
) -> Result<ShareFormView, AppError> {
    let (database, cipher, case) = my_case(case_id).await?;
    let sessions = session_choices(&database, &case).await?;
    let preview = match share {
        Some(typed) => {
            let ids = reflection_ids(&sessions);
            Some(match typed.validate(&ids, utc_day(now_ms())) {
                Ok(request) => sharing::preview(&database, &cipher, &case, request).await,
                Err(fields) => Err(AppError::Invalid(fields)),
            })
        }
        None => None,
    };
    Ok(ShareFormView {
        case_code: case.into_case().details.code,
        sessions,
        preview,
    })
}

/// Shares the case as previewed.
#[server(endpoint = "shares/create")]
pub async fn create_share(case_id: i64, share: ShareInput) -> Result<(), AppError> {
    let result = async {
        let (database, cipher, case) = my_case(case_id).await?;
        let sessions = session_choices(&database, &case).await?;
        let ids = reflection_ids(&sessions);
        let now = now_ms();
        let request = share.validate(&ids, utc_day(now))?;
        sharing::share(&database, &cipher, &case, &request, now).await?;
        Ok(format!("/cases/{case_id}?shared=1#sharing"))
    }
    .await;
    let form = share_path(case_id);
    let mut keep = vec![
        ("share[supervisor_email]", share.supervisor_email.as_str()),
        ("share[basis]", share.basis.as_str()),
        ("share[expires_on]", share.expires_on.as_str()),
    ];
    keep.extend(
        share
            .excluded
            .iter()
            .map(|id| ("share[excluded][]", id.as_str())),
    );
    answer_form(
        CreateShare::PATH,
        FormPage {
            path: &form,
            keep: &keep,
        },
        result,
    )
}

#[server(endpoint = "shares/settings", input = leptos::server_fn::codec::GetUrl)]
pub async fn share_settings(case_id: i64, share_id: i64) -> Result<ShareSettingsView, AppError> {
    let (database, _, case) = my_case(case_id).await?;
    let share = database
        .shares_of_case(case.id, utc_day(now_ms()))
        .await?
        .into_iter()
        .find(|share| share.id == ShareId(share_id))
        .ok_or(AppError::NotFound)?;
    let sessions = session_choices(&database, &case).await?;
    Ok(ShareSettingsView {
        case_code: case.into_case().details.code,
        share,
        sessions,
    })
}

/// Changes which sessions a share leaves out and until when it is open.
#[server(endpoint = "shares/update")]
pub async fn update_share(
    case_id: i64,
    share_id: i64,
    scope: ShareScopeInput,
) -> Result<(), AppError> {
    let result = async {
        let (database, cipher, case) = my_case(case_id).await?;
        let sessions = session_choices(&database, &case).await?;
        let ids = reflection_ids(&sessions);
        let now = now_ms();
        let scope = scope.validate(&ids, utc_day(now))?;
        sharing::refuse_while_pending(&database, &cipher, &case, &scope.excluded).await?;
        if !database
            .update_share_scope(case.owner(), case.id, ShareId(share_id), &scope, now)
            .await?
        {
            return Err(AppError::NotFound);
        }
        Ok(format!(
            "{}?updated=1",
            share_settings_path(case_id, share_id)
        ))
    }
    .await;
    let form = share_settings_path(case_id, share_id);
    answer_form(
        UpdateShare::PATH,
        FormPage {
            path: &form,
            keep: &[],
        },
        result,
    )
}

/// Where a confirmation of findings returns to: the share step (with the
/// share as typed) or the reflection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfirmReturn {
    pub share: Option<ShareInput>,
    pub reflection_id: Option<i64>,
}

/// The share page with the share as typed, so its preview shows again.
pub fn share_preview_path(case: i64, share: &ShareInput) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("share[supervisor_email]", &share.supervisor_email);
    query.append_pair("share[basis]", &share.basis);
    for id in &share.excluded {
        query.append_pair("share[excluded][]", id);
    }
    query.append_pair("share[expires_on]", &share.expires_on);
    format!("{}?{}#identifiers", share_path(case), query.finish())
}

/// Records that the checked findings are not identifying, then returns to
/// where they were listed.
#[server(endpoint = "shares/confirm-identifiers")]
pub async fn confirm_identifiers(
    case_id: i64,
    #[server(default)] confirmed: Vec<String>,
    #[server(default)] back: ConfirmReturn,
) -> Result<(), AppError> {
    // A new query each time, so the page reads the findings again.
    let stamp = format!("confirmed={}", now_ms());
    let back_to = match (&back.share, back.reflection_id) {
        (Some(share), _) => {
            share_preview_path(case_id, share).replacen('?', &format!("?{stamp}&"), 1)
        }
        (None, Some(reflection)) => format!(
            "{}?{stamp}#identifiers",
            crate::api::reflections::reflection_path(CaseId(case_id), ReflectionId(reflection))
        ),
        (None, None) => share_path(case_id),
    };
    let result = async {
        let (database, cipher, case) = my_case(case_id).await?;
        identifier_review::confirm(&database, &cipher, &case, &confirmed, now_ms()).await?;
        Ok(back_to.clone())
    }
    .await;
    answer_form(
        ConfirmIdentifiers::PATH,
        FormPage {
            path: back_to.split('?').next().unwrap_or(&back_to),
            keep: &[],
        },
        result,
    )
}

/// Revokes a share: the supervisor's next request no longer reaches the case.
#[server(endpoint = "shares/revoke")]
pub async fn revoke_share(case_id: i64, share_id: i64) -> Result<(), AppError> {
    let result = async {
        let (database, _, case) = my_case(case_id).await?;
        if !database
            .revoke_share(case.owner(), case.id, ShareId(share_id), now_ms())
            .await?
        {
            return Err(AppError::NotFound);
        }
        Ok(format!("/cases/{case_id}?revoked=1#sharing"))
    }
    .await;
    let form = share_settings_path(case_id, share_id);
    answer_form(
        RevokeShare::PATH,
        FormPage {
            path: &form,
            keep: &[],
        },
        result,
    )
}

/// Who opened what of the case, and when.
#[server(endpoint = "shares/access-log", input = leptos::server_fn::codec::GetUrl)]
pub async fn access_log(case_id: i64) -> Result<AccessLogView, AppError> {
    let (database, _, case) = my_case(case_id).await?;
    let events = database.access_events(case.id, ACCESS_LOG_LINES).await?;
    Ok(AccessLogView {
        case_code: case.into_case().details.code,
        events,
    })
}
