//! The identifier check where text reaches a supervisor (privacy rule 4):
//! the share step lists every finding in what would be shared and refuses
//! to share while one is neither fixed nor confirmed; saving a reflection
//! counts its pending findings, and a reflection with any is held from
//! supervisors until they are fixed or confirmed.

use std::collections::HashSet;

use crate::{
    domain::{
        identifiers::{
            find_identifiers,
            review::{
                pending_in, review, MarkedPassage, PassageReview, ReflectionIdentifiers,
                IDENTIFIERS_FIELD,
            },
            Watchlist,
        },
        reflection::{ReflectionId, SharedReflection, StoredReflection},
        time::case_week,
        validation::FieldErrors,
    },
    error::AppError,
    server::{access::OwnedCase, crypto::FieldCipher, repo::Database},
};

fn review_all(
    cipher: &FieldCipher,
    case: &OwnedCase,
    reflections: &[SharedReflection],
    confirmed: &HashSet<String>,
) -> Vec<PassageReview> {
    let own_codes = [case.details.code.clone()];
    let watchlist = Watchlist {
        names: &case.details.names_to_watch,
        own_codes: &own_codes,
    };
    reflections
        .iter()
        .flat_map(|reflection| {
            review(
                reflection,
                watchlist,
                |bytes| cipher.fingerprint(bytes),
                |fingerprint| confirmed.contains(fingerprint),
            )
        })
        .collect()
}

/// Every finding in what a share of `case` leaving out `excluded` would
/// show, newest session first.
pub async fn review_share(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    excluded: &[ReflectionId],
) -> Result<Vec<PassageReview>, AppError> {
    let reflections: Vec<SharedReflection> = database
        .load_shared_reflections(cipher, case.id, None, None)
        .await?
        .into_iter()
        .filter(|reflection| !excluded.contains(&reflection.id))
        .collect();
    review_loaded(database, cipher, case, &reflections).await
}

/// Every finding in `reflections`, already loaded for a preview.
pub async fn review_loaded(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    reflections: &[SharedReflection],
) -> Result<Vec<PassageReview>, AppError> {
    let confirmed = database
        .confirmed_fingerprints(case.owner(), case.id)
        .await?;
    Ok(review_all(cipher, case, reflections, &confirmed))
}

/// Every finding in what a supervisor would read of one reflection.
pub async fn review_reflection(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    reflection: ReflectionId,
) -> Result<Vec<PassageReview>, AppError> {
    let reflections = database
        .load_shared_reflections(cipher, case.id, None, Some(reflection))
        .await?;
    review_loaded(database, cipher, case, &reflections).await
}

/// What the check finds in one of the author's reflections, already read
/// and opened: in what a supervisor would read of it (each finding with
/// whether it was confirmed) and, for the author only, in the private parts.
pub async fn review_own_reflection(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    stored: &StoredReflection,
) -> Result<ReflectionIdentifiers, AppError> {
    // Both dates were checked when saved; the check reads passages, not weeks.
    let week = case_week(&case.details.start_date, &stored.reflection.session_date).unwrap_or(1);
    let shared = review_loaded(database, cipher, case, &[stored.shared_part(week)]).await?;
    let watchlist = Watchlist {
        names: &case.details.names_to_watch,
        own_codes: &[],
    };
    let private = [
        ("Origin (private)", &stored.reflection.origin.note),
        ("Private notes", &stored.reflection.private_notes),
    ]
    .into_iter()
    .map(|(label, text)| MarkedPassage {
        label: label.to_string(),
        findings: find_identifiers(text, watchlist),
        text: text.clone(),
    })
    .filter(|passage| !passage.findings.is_empty())
    .collect();
    Ok(ReflectionIdentifiers { shared, private })
}

/// Counts the reflection's pending findings after a save and records the
/// count, which holds the reflection from supervisors while above zero.
pub async fn refresh_pending(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    reflection: ReflectionId,
) -> Result<usize, AppError> {
    let passages = review_reflection(database, cipher, case, reflection).await?;
    let pending = pending_in(&passages);
    database
        .set_identifiers_pending(case.owner(), reflection, pending)
        .await?;
    Ok(pending)
}

/// Records the therapist's confirmation that these findings are not
/// identifying. Only fingerprints of findings in the case as it stands are
/// taken (anything else is stale: the text changed since the page was
/// read), and the reflections they are in are counted again.
pub async fn confirm(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    fingerprints: &[String],
    now: i64,
) -> Result<(), AppError> {
    let passages = review_share(database, cipher, case, &[]).await?;
    let current: Vec<(ReflectionId, &str)> = passages
        .iter()
        .flat_map(|passage| {
            passage
                .findings
                .iter()
                .map(|finding| (passage.reflection, finding.fingerprint.as_str()))
        })
        .filter(|(_, fingerprint)| fingerprints.iter().any(|f| f == fingerprint))
        .collect();
    let taken: Vec<String> = current.iter().map(|(_, f)| f.to_string()).collect();
    database
        .confirm_identifiers(case.owner(), case.id, &taken, now)
        .await?;
    let mut touched: Vec<ReflectionId> =
        current.iter().map(|(reflection, _)| *reflection).collect();
    touched.sort();
    touched.dedup();
    for reflection in touched {
        refresh_pending(database, cipher, case, reflection).await?;
    }
    Ok(())
}

/// The refusal to share while findings are pending.
pub fn refuse_pending(pending: usize) -> AppError {
    let mut fields = FieldErrors::new();
    fields.add(
        IDENTIFIERS_FIELD,
        if pending == 1 {
            "One possible identifier is neither fixed nor confirmed. Fix it in the reflection, or confirm it is not identifying, before sharing.".to_string()
        } else {
            format!("{pending} possible identifiers are neither fixed nor confirmed. Fix them in the reflections, or confirm they are not identifying, before sharing.")
        },
    );
    AppError::Invalid(fields)
}
