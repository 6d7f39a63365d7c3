//! Pure domain logic: validation and the rules of the product.
//! No IO, no Leptos, no sqlx: compiles for the server and for wasm.

pub mod accounts;
pub mod admin_links;
pub mod analytics;
pub mod attention;
pub mod audit;
pub mod browser_copy;
pub mod cases;
pub mod csv;
pub mod due;
pub mod export;
pub mod feedback;
pub mod identifiers;
pub mod meetings;
pub mod reflection;
pub mod search;
pub mod sharing;
pub mod text;
pub mod time;
pub mod timeline;
pub mod validation;
pub mod vocabulary;
