//! Supervision hours by period, a supervisee's printable statement, and
//! where the CSV of one's meetings downloads.

#[cfg(feature = "ssr")]
use crate::{
    domain::meetings::iso_date,
    server::{
        access::clinical_stores,
        auth::{now_ms, require_user},
        meetings,
    },
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::STATEMENT_PATH;
use crate::{
    domain::meetings::{FormatTotals, MeetingFormat, PeriodInput},
    error::AppError,
};

/// A supervisee's printable hours statement for a period (by its slug).
pub fn statement_path(supervisee: i64, period_slug: &str) -> String {
    format!("{STATEMENT_PATH}?supervisee={supervisee}&period={period_slug}")
}

/// A meeting on an hours statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRow {
    pub date: String,
    pub duration_minutes: u16,
    pub format: MeetingFormat,
    pub supervisor_name: String,
    /// `YYYY-MM-DD`, `None` while not signed off.
    pub signed_off_on: Option<String>,
}

/// A supervisee's hours statement for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementView {
    pub supervisee_name: String,
    pub period_label: String,
    pub meetings: Vec<StatementRow>,
    pub signed_off: FormatTotals,
    pub not_signed_off: FormatTotals,
}

/// The CSV of one's meetings in a period: `records` (as supervisor) or
/// `supervision` (as supervisee).
pub fn meetings_csv_path(of: &str, period_slug: &str) -> String {
    format!("/meetings/export/{of}/{period_slug}")
}

/// One supervisee's hours, as a supervisor's list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuperviseeHoursView {
    pub supervisee: i64,
    pub name: String,
    pub signed_off: FormatTotals,
    pub not_signed_off: FormatTotals,
}

/// Supervision hours in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursView {
    /// The asker, whose own statement the page links to.
    pub me: i64,
    pub period_label: String,
    pub period_slug: String,
    /// Per supervisee, of the meetings the asker recorded.
    pub as_supervisor: Vec<SuperviseeHoursView>,
    /// The asker's own, of the meetings they were in.
    pub signed_off: FormatTotals,
    pub not_signed_off: FormatTotals,
}

/// Supervision hours in a period (the current month when none is given).
#[server(endpoint = "meetings/hours", input = leptos::server_fn::codec::GetUrl)]
pub async fn supervision_hours(period: PeriodInput) -> Result<HoursView, AppError> {
    let signed_in = require_user()?;
    let (database, _) = clinical_stores();
    let period = meetings::period_or_this_month(&period, now_ms())?;
    let hours = meetings::hours(&database, signed_in.user.id, period).await?;
    Ok(HoursView {
        me: signed_in.user.id.0,
        period_label: period.label(),
        period_slug: period.slug(),
        as_supervisor: hours
            .as_supervisor
            .into_iter()
            .map(|(person, hours)| SuperviseeHoursView {
                supervisee: person.id.0,
                name: person.name,
                signed_off: hours.signed_off,
                not_signed_off: hours.not_signed_off,
            })
            .collect(),
        signed_off: hours.as_supervisee.signed_off,
        not_signed_off: hours.as_supervisee.not_signed_off,
    })
}

/// A supervisee's hours statement for a period (by its slug): for the
/// supervisee, or for a supervisor who recorded meetings with them.
#[server(endpoint = "meetings/statement", input = leptos::server_fn::codec::GetUrl)]
pub async fn hours_statement(supervisee: i64, period: String) -> Result<StatementView, AppError> {
    let signed_in = require_user()?;
    let (database, _) = clinical_stores();
    let period = crate::domain::meetings::Period::parse(&period)
        .ok_or_else(|| AppError::BadRequest("the period is not one Reverie knows".to_string()))?;
    let (name, meetings, totals) = meetings::statement(
        &database,
        signed_in.user.id,
        &signed_in.user.display_name,
        crate::domain::accounts::UserId(supervisee),
        period,
    )
    .await?;
    Ok(StatementView {
        supervisee_name: name,
        period_label: period.label(),
        meetings: meetings
            .into_iter()
            .map(|meeting| StatementRow {
                date: iso_date(meeting.day),
                duration_minutes: meeting.duration_minutes,
                format: meeting.format,
                supervisor_name: meeting.supervisor_name,
                signed_off_on: meeting
                    .signed_off_at
                    .map(crate::domain::time::format_utc_date),
            })
            .collect(),
        signed_off: totals.signed_off,
        not_signed_off: totals.not_signed_off,
    })
}
