//! The repository layer: every SQL statement of the application lives below
//! this module. Callers pass and receive domain types, never rows, and never
//! learn which backend is in use.
//!
//! Both backends run the same SQL text: statements use `$1`-style numbered
//! parameters, which SQLite and PostgreSQL both accept, and store times as
//! integers (Unix milliseconds) so that one schema reads the same way on both.

mod account_deletion;
mod accounts;
mod admin_links;
mod audit;
mod backup;
mod browser_copy_keys;
mod cases;
mod data_keys;
mod database;
mod export;
mod feedback;
mod identifiers;
mod meetings;
mod reflections;
pub mod sealed_columns;
mod search_index;
mod shares;

pub use account_deletion::AccountDeletion;
pub use accounts::{
    KnownDevice, NewUser, OpenInvitation, OpenPasswordReset, SessionRecord, SignInGate,
    SignedInSession, StoredCredentials,
};
pub use admin_links::{CreatedResetLink, NewLink};
pub use audit::NewAuditEvent;
pub use backup::{backup_sqlite_file, BackupError, BackupSummary};
pub use data_keys::{DataKeyRefusal, KeyCheck};
pub use database::{Backend, Database, DatabaseLocation, RepoError};
pub use feedback::{NewComment, NewRating, OpenThread};
pub use meetings::{
    DoneMark, MeetingEdit, MeetingOutcome, MeetingRemark, MeetingSummary, MeetingsOf, NewMeeting,
    RecordedCase, RemarkId, RemarkOutcome, StoredMeeting,
};
pub use reflections::{
    NewDraft, OwnersCase, ReflectionFilter, ReviewedReflection, SessionRow, SharedSessionRow,
    UpdateOutcome,
};
pub use search_index::IndexedReflection;
pub use shares::{NewShare, ShareGrant, SupervisionCase};
