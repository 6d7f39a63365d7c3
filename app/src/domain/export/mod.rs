//! The export of one person's data (privacy rule 6): the documents as
//! they are downloaded, JSON (`schema_version` 1) and one CSV file per
//! entity. Every choice is written as its stable slug, every time as Unix
//! milliseconds (UTC), every date as `YYYY-MM-DD`; `docs/export.md`
//! describes each field.
//!
//! Two documents, each with its own types: the therapist's (everything
//! they wrote, the private parts of their reflections included, and what
//! supervisors said on their cases) and the supervisor's (the comments,
//! replies and ratings they wrote, built from the shared feedback types,
//! which have no place for a therapist's private parts).

pub mod csv;
mod meeting;
mod supervisor;
mod therapist;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use super::feedback::{Anchor, Placement};

pub use meeting::{ExportedActionItem, ExportedMeeting, ExportedRemark};
pub use supervisor::{FeedbackPlace, GivenRating, WrittenComment};
pub use therapist::{
    ExportedCase, ExportedChoices, ExportedComment, ExportedDraft, ExportedEpisode,
    ExportedIntervention, ExportedPrivateParts, ExportedRating, ExportedReaction,
    ExportedReflection, ExportedShare,
};

/// Raised whenever a field changes meaning or is removed (adding a field
/// keeps the version).
pub const SCHEMA_VERSION: u32 = 1;

/// Whose work an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// Everything the person wrote as a therapist.
    MyWork,
    /// What the person wrote as a supervisor.
    MySupervision,
}

impl ExportKind {
    pub fn slug(self) -> &'static str {
        match self {
            ExportKind::MyWork => "therapist",
            ExportKind::MySupervision => "supervisor",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    /// One CSV file per entity, in a zip.
    CsvZip,
}

/// The address of an export, as the account page links to it.
pub fn export_path(kind: ExportKind, format: ExportFormat) -> String {
    let stem = match kind {
        ExportKind::MyWork => "my-work",
        ExportKind::MySupervision => "my-supervision",
    };
    match format {
        ExportFormat::Json => format!("/account/export/{stem}.json"),
        ExportFormat::CsvZip => format!("/account/export/{stem}-csv.zip"),
    }
}

/// Which export the file name of an address asks for.
pub fn parse_export_file(file: &str) -> Option<(ExportKind, ExportFormat)> {
    [ExportKind::MyWork, ExportKind::MySupervision]
        .into_iter()
        .flat_map(|kind| [(kind, ExportFormat::Json), (kind, ExportFormat::CsvZip)])
        .find(|&(kind, format)| {
            export_path(kind, format).strip_prefix("/account/export/") == Some(file)
        })
}

/// Who the export is of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedAccount {
    pub id: i64,
    pub email: String,
    pub display_name: String,
}

/// Where a comment or rating points: the reflection as a whole or one of
/// its rows (`anchor_row_id` is `None` once that row was removed).
pub(super) fn anchor_of(placement: &Placement) -> (String, Option<i64>) {
    match placement {
        Placement::On(Anchor::Reflection) => ("reflection".to_string(), None),
        Placement::On(Anchor::Row(kind, row)) => (kind.slug().to_string(), Some(row.0)),
        Placement::RemovedRow(kind) => (kind.slug().to_string(), None),
    }
}
