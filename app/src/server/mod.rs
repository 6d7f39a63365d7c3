//! Server-only code: the repository layer (the one door to the database) and
//! what the edges need to know about the request in hand.

pub mod access;
pub mod accounts;
pub mod admin_links;
pub mod analytics;
pub mod auth;
pub mod crypto;
pub mod export;
pub mod feedback;
pub mod forms;
pub mod heavy_reads;
pub mod identifier_review;
pub mod meetings;
pub mod private_files;
pub mod repo;
pub mod search;
pub mod sharing;
pub mod supervision;

/// The id of the request being served, as sent back in `x-request-id`;
/// stored in the request's extensions by the server's request-id middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The Content-Security-Policy nonce of the request being served: the server's
/// security-headers middleware puts it in the request's extensions and in the
/// policy header; the Leptos context hands it to `<HydrationScripts/>`, whose
/// inline scripts must carry it to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspNonce(pub String);

/// The client of the request being served: the TCP peer or, behind a trusted
/// reverse proxy, the address it forwarded. The server's client-address
/// middleware puts it in the request's extensions; the sign-in throttle, the
/// audit log and the sessions list all read it, so they agree on who asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);
