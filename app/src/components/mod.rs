//! Small reusable pieces of the interface.

pub mod browser;
pub mod form;
pub mod layout;
