//! Who may touch what: the one place each resource's access rule lives.
//! Anything not the asker's answers exactly like something that does not
//! exist.

use crate::{
    domain::{
        accounts::UserId,
        cases::{Case, CaseId},
    },
    error::AppError,
    server::{crypto::FieldCipher, repo::Database},
};

/// The database and the cipher for clinical text, from the request's context:
/// what every edge touching cases or reflections needs.
pub fn clinical_stores() -> (Database, FieldCipher) {
    (
        leptos::prelude::expect_context::<Database>(),
        leptos::prelude::expect_context::<FieldCipher>(),
    )
}

/// The case, if it is `owner`'s; otherwise [`AppError::NotFound`].
pub async fn owned_case(
    database: &Database,
    cipher: &FieldCipher,
    owner: UserId,
    case: CaseId,
) -> Result<Case, AppError> {
    database
        .case_of(cipher, owner, case)
        .await?
        .ok_or(AppError::NotFound)
}
