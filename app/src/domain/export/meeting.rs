//! A supervision meeting as the person exporting reads its record.

use serde::{Deserialize, Serialize};

/// A supervision meeting the person was in, as they read its record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedMeeting {
    pub id: i64,
    /// `supervisor` or `supervisee`: the exporter's part in it.
    pub role: String,
    pub date: String,
    pub duration_minutes: u16,
    pub format: String,
    pub supervisor_name: String,
    pub supervisee_names: Vec<String>,
    /// Codes of the cases discussed (a supervisee's own cases only).
    pub case_codes: Vec<String>,
    pub notes: String,
    pub agenda: Vec<String>,
    pub action_items: Vec<ExportedActionItem>,
    /// Supervisees' comments and the addenda after sign-off, oldest first.
    pub remarks: Vec<ExportedRemark>,
    pub signed_off_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedActionItem {
    pub text: String,
    pub assignee_name: String,
    pub done: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedRemark {
    /// `comment` or `addendum`.
    pub kind: String,
    pub author_name: String,
    pub at: i64,
    pub body: String,
}
