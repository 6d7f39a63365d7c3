//! Layers applied to every request. In `startup::router` they run, from the
//! outside in: request id, security headers, cross-origin refusal, client
//! address, sign-in throttle, body limit; so every refusal is logged with its
//! request id and carries the security headers, refused requests are never
//! read, and the throttle counts the same client the audit log records.

pub mod body_limit;
pub mod client_address;
pub mod cross_origin;
pub mod request_id;
pub mod security_headers;
pub mod session;
pub mod sign_in_throttle;
pub mod token_bucket;
