//! Small reusable pieces of the interface.

pub mod browser;
pub mod feedback;
pub mod form;
pub mod layout;
pub mod reading;
