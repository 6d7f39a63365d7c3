//! Small reusable pieces of the interface.

pub mod account_activity;
pub mod analytics;
pub mod browser;
pub mod browser_copy;
pub mod charts;
pub mod feedback;
pub mod form;
pub mod identifiers;
pub mod layout;
pub mod reading;
