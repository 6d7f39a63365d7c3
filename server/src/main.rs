use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    server::cli::run(server::cli::Cli::parse()).await
}
