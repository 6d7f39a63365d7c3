//! One module per page, named for what the user sees.

pub mod about;
pub mod account;
pub mod admin;
pub mod analytics;
pub mod case_print;
pub mod cases;
pub mod error;
pub mod home;
pub mod invitation;
pub mod login;
pub mod meetings;
pub mod not_found;
pub mod patterns;
pub mod reflection;
pub mod reflection_editor;
pub mod reset_password;
pub mod search;
pub mod setup;
pub mod sharing;
pub mod supervision;
