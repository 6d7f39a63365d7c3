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
                  REVERIE_SECURE_COOKIES, REVERIE_LOG, REVERIE_LOG_FORMAT, REVERIE_AUTH_RATE_BURST, \
                  REVERIE_AUTH_RATE_PER_MINUTE. See the README."
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
    let shutdown = shutdown_signal().map_err(StartupError::Serve)?;
    tracing::info!(
        version = app::VERSION,
        database = %config.database.redacted(),
        "listening on http://{}",
        application.local_addr()
    );
    application
        .serve_until(shutdown)
        .await
        .map_err(StartupError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

/// Listens for SIGINT (Ctrl-C) and SIGTERM from now on; the returned future
/// completes on the first of them. Registering before the server announces
/// itself means a signal sent right after start-up is never missed.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => tracing::info!("received SIGINT"),
            _ = terminate.recv() => tracing::info!("received SIGTERM"),
        }
    })
}
