//! Server-only code: the repository layer (the one door to the database) and
//! what the edges need to know about the request in hand.

pub mod auth;
pub mod forms;
pub mod repo;

/// The id of the request being served, as sent back in `x-request-id`;
/// stored in the request's extensions by the server's request-id middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);
