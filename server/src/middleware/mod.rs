//! Layers applied to every request.

pub mod request_id;
pub mod session;
