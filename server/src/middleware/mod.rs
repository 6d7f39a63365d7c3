//! Layers applied to every request.

pub mod body_limit;
pub mod cross_origin;
pub mod request_id;
pub mod sign_in_throttle;
pub mod token_bucket;
