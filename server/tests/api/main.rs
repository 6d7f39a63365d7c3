//! Integration tests: the real application on port 0 with a fresh database
//! per test, driven over HTTP. Every test runs on SQLite and on PostgreSQL.

mod helpers;

mod account_deletion;
mod accounts;
mod admin;
mod admin_links;
mod analytics;
mod backup;
mod browser_copies;
mod cases;
mod casework;
mod cli;
mod data_keys;
mod export;
mod export_timing;
mod health;
mod heavy_reads;
mod home;
mod home_timing;
mod identifier_check;
mod meetings;
mod meetings_store;
mod pages;
mod patterns;
mod postgres_tls;
mod reflection_store;
mod reflections;
mod repository;
mod schema;
mod search;
mod security;
mod seed;
mod sharing;
mod sharing_access;
mod sharing_feedback;
mod sign_in_timing;
mod site_files;
mod slow_clients;
mod timeline;
mod trusted_proxies;
