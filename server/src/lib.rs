//! Reverie's server: configuration, startup, middleware and command line.
//! `main.rs` only parses arguments and calls [`cli::run`].

pub mod cli;
pub mod config;
pub mod connections;
pub mod downloads;
pub mod export;
pub mod health;
pub mod identifier_scan;
pub mod middleware;
pub mod private_paths;
pub mod seed;
pub mod site_files;
pub mod startup;
pub mod synthetic;
pub mod telemetry;
