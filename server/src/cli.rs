//! The `server` command line: `serve` (the default), `migrate`, `check-config`.

use std::process::ExitCode;

use app::server::repo::Database;
use clap::{Parser, Subcommand};

use crate::{
    config::Config,
    startup::{Application, StartupError},
    telemetry,
};

/// Exit code for configuration errors, as for command-line usage errors.
const EXIT_BAD_CONFIG: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version = app::VERSION,
    about = "Reverie: reflective practice and supervision for psychodynamic clinicians",
    after_help = "Configuration is read from the environment: REVERIE_ADDR, DATABASE_URL, REVERIE_DATA_DIR, \
                  REVERIE_SECURE_COOKIES, REVERIE_LOG, REVERIE_LOG_FORMAT. See the README."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply database migrations, then serve the web app on REVERIE_ADDR until SIGTERM or SIGINT (the default)
    Serve,
    /// Apply database migrations to the configured database and exit
    Migrate,
    /// Validate the configuration from the environment, print it without secrets, and exit
    CheckConfig,
}

pub async fn run(cli: Cli) -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("reverie: {error}");
            return ExitCode::from(EXIT_BAD_CONFIG);
        }
    };

    match cli.command.unwrap_or(Command::Serve) {
        Command::CheckConfig => {
            println!("{}", config.describe());
            println!("configuration is valid");
            ExitCode::SUCCESS
        }
        Command::Migrate => {
            telemetry::init(&config.log_filter, config.log_format);
            report(migrate(&config).await)
        }
        Command::Serve => {
            telemetry::init(&config.log_filter, config.log_format);
            report(serve(&config).await)
        }
    }
}

fn report(result: Result<(), StartupError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "reverie stopped");
            eprintln!("reverie: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: &Config) -> Result<(), StartupError> {
    let database = Database::connect(&config.database).await?;
    database.migrate().await?;
    database.close().await;
    tracing::info!(database = %config.database.redacted(), "database is up to date");
    Ok(())
}

async fn serve(config: &Config) -> Result<(), StartupError> {
    let application = Application::build(config).await?;
    tracing::info!(
        version = app::VERSION,
        database = %config.database.redacted(),
        "listening on http://{}",
        application.local_addr()
    );
    application
        .serve_until(shutdown_signal())
        .await
        .map_err(StartupError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
