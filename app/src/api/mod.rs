//! Server functions, grouped by resource. Each is thin: who is asking, may
//! they, call the domain and the repository, map the result.

pub mod account;
pub mod account_activity;
pub mod admin;
pub mod admin_links;
pub mod analytics;
pub mod auth;
pub mod browser_copies;
pub mod cases;
pub mod export;
pub mod feedback;
pub mod home;
pub mod meetings;
pub mod reflections;
pub mod shares;
pub mod supervision;
