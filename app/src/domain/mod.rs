//! Pure domain logic: validation and the rules of the product.
//! No IO, no Leptos, no sqlx: compiles for the server and for wasm.

pub mod accounts;
pub mod time;
pub mod validation;
