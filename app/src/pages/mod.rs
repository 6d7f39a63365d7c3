//! One module per page, named for what the user sees.

pub mod about;
pub mod error;
pub mod home;
pub mod not_found;
