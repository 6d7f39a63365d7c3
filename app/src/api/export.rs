//! Leaving and keeping (privacy rule 6): the printable view of a case. The
//! downloads themselves are plain routes of the server (`server/src/export.rs`),
//! being files rather than values for a page.

#[cfg(feature = "ssr")]
use crate::{
    domain::cases::CaseId,
    server::{
        access::{clinical_stores, owned_case},
        auth::{now_ms, require_user},
        export::reflections_to_print,
    },
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{cases::Case, reflection::StoredReflection},
    error::AppError,
};

/// A case and every reflection of it in full, oldest session first, for
/// its owner to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseToPrint {
    pub case: Case,
    pub reflections: Vec<StoredReflection>,
    /// Unix milliseconds.
    pub printed_at: i64,
}

/// The address of a case's printable view.
pub fn print_path(case_id: i64) -> String {
    format!("/cases/{case_id}/print")
}

#[server(endpoint = "cases/printable", input = leptos::server_fn::codec::GetUrl)]
pub async fn printable_case(case_id: i64) -> Result<CaseToPrint, AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let case = owned_case(&database, &cipher, signed_in.user.id, CaseId(case_id)).await?;
    let reflections = reflections_to_print(&expect_context(), &database, &cipher, &case).await?;
    Ok(CaseToPrint {
        case: case.into_case(),
        reflections,
        printed_at: now_ms(),
    })
}
