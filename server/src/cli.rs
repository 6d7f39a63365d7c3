//! The `server` command line: `serve` (the default), `migrate`, `check-config`,
//! `create-admin`, `check-identifiers`, `rotate-key`, `backup`, `seed`.

use std::{path::PathBuf, process::ExitCode};

use app::{
    domain::{
        accounts::{parse_display_name, Email},
        time::utc_day,
    },
    server::{
        auth::{
            create_administrator, now_ms,
            passwords::{check_new_password, PasswordHasher},
            AccountCreationError, RequestMeta,
        },
        crypto::FieldCipher,
        repo::{backup_sqlite_file, Database, DatabaseLocation},
    },
};
use clap::{Parser, Subcommand};

use crate::{
    config::Config,
    identifier_scan::check_lines,
    private_paths::check_private_paths,
    seed::{self, Dataset, Scale, SeedError, SeedPlan},
    startup::{checked_cipher, data_cipher, Application, StartupError},
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
                  REVERIE_DATA_KEY, REVERIE_DATA_KEY_FILE, REVERIE_SECURE_COOKIES, REVERIE_LOG, \
                  REVERIE_LOG_FORMAT, REVERIE_AUTH_RATE_BURST, REVERIE_AUTH_RATE_PER_MINUTE. See the README."
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
    /// Create an administrator account. The password is read from REVERIE_ADMIN_PASSWORD or, if unset, from standard input
    CreateAdmin {
        /// The administrator's email address (their sign-in name)
        #[arg(long)]
        email: String,
        /// The name others see
        #[arg(long)]
        name: String,
    },
    /// Re-seal every sealed value with the first data key given (REVERIE_DATA_KEY or the key file: the new key first, the old one after it) while the app keeps serving; afterwards the old key can be removed. See the README
    RotateKey,
    /// Check JSON lines on standard input for identifiers ({"id", "text", "names_to_watch"} in, {"id", "spans"} out); exits 1 if a line could not be read
    CheckIdentifiers,
    /// Write a consistent copy of the SQLite database to PATH (a new file, mode 0600) while the app keeps serving; with PostgreSQL use pg_dump
    Backup {
        /// Where the copy goes; an existing file is never overwritten
        path: PathBuf,
    },
    /// Fill a new, empty database with synthetic data drawn from a seed (by default the load benchmarks' 100,000 + 7,800 reflections; --demo for a small set to look around in) and print the accounts to sign in with. The password is REVERIE_SEED_PASSWORD or, if unset, a generated one. Refuses a database that has accounts
    Seed {
        /// The seed the data is drawn from: the same seed on the same day gives the same data
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// One therapist and one supervisor with a few cases that show every page and flag
        #[arg(long, conflicts_with_all = ["therapists", "cases_per_therapist", "sessions_per_case", "long_therapist_years"])]
        demo: bool,
        #[arg(long, default_value_t = Scale::BENCHMARK.therapists)]
        therapists: u32,
        #[arg(long, default_value_t = Scale::BENCHMARK.cases_per_therapist)]
        cases_per_therapist: u32,
        #[arg(long, default_value_t = Scale::BENCHMARK.sessions_per_case)]
        sessions_per_case: u32,
        /// Years of weekly sessions of one more therapist with 15 cases (0 for none)
        #[arg(long, default_value_t = Scale::BENCHMARK.long_therapist_years)]
        long_therapist_years: u32,
    },
}

pub async fn run(cli: Cli) -> ExitCode {
    if let Some(Command::CheckIdentifiers) = cli.command {
        return check_identifiers();
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("reverie: {error}");
            return ExitCode::from(EXIT_BAD_CONFIG);
        }
    };

    let command = cli.command.unwrap_or(Command::Serve);
    if matches!(
        command,
        Command::Serve
            | Command::Migrate
            | Command::CreateAdmin { .. }
            | Command::RotateKey
            | Command::Seed { .. }
    ) {
        if let Err(error) = check_private_paths(&config) {
            eprintln!("reverie: {error}");
            return ExitCode::FAILURE;
        }
    }

    match command {
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
        Command::CheckIdentifiers => check_identifiers(),
        Command::RotateKey => {
            telemetry::init(&config.log_filter, config.log_format);
            match rotate_key(&config).await {
                Ok(report) => {
                    println!("{report}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("reverie: rotate-key: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Backup { path } => backup(&config, &path).await,
        Command::Seed {
            seed,
            demo,
            therapists,
            cases_per_therapist,
            sessions_per_case,
            long_therapist_years,
        } => {
            let dataset = if demo {
                Dataset::Demo
            } else {
                Dataset::Scale(Scale {
                    therapists,
                    cases_per_therapist,
                    sessions_per_case,
                    long_therapist_years,
                })
            };
            match seed_database(&config, seed, dataset).await {
                Ok(report) => {
                    println!("{report}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("reverie: seed: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::CreateAdmin { email, name } => {
            telemetry::init(&config.log_filter, config.log_format);
            match create_admin(&config, &email, &name).await {
                Ok(()) => {
                    println!(
                        "Administrator {} created. Sign in at /login.",
                        email.trim().to_lowercase()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("reverie: {error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum CreateAdminError {
    #[error("{0}")]
    Invalid(String),
    #[error("could not read the password from standard input: {0}")]
    Stdin(std::io::Error),
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error(transparent)]
    Create(#[from] AccountCreationError),
}

async fn create_admin(config: &Config, email: &str, name: &str) -> Result<(), CreateAdminError> {
    let email = Email::parse(email)
        .map_err(|error| CreateAdminError::Invalid(format!("--email: {error}")))?;
    let name = parse_display_name(name)
        .map_err(|error| CreateAdminError::Invalid(format!("--name: {error}")))?;
    let password = match std::env::var("REVERIE_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(CreateAdminError::Stdin)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    check_new_password(&password, &[email.as_str(), &name])
        .map_err(|error| CreateAdminError::Invalid(format!("password: {error}")))?;

    let database = Database::connect(&config.database)
        .await
        .map_err(StartupError::from)?;
    database.migrate().await.map_err(StartupError::from)?;
    let user = create_administrator(
        &database,
        &PasswordHasher::default(),
        &email,
        &name,
        &password,
        &RequestMeta::default(),
    )
    .await;
    database.close().await;
    let user = user?;
    tracing::info!(user = %user.id, "administrator created from the command line");
    Ok(())
}

#[derive(Debug, thiserror::Error)]
enum SeedCommandError {
    #[error("REVERIE_SEED_PASSWORD: {0}")]
    Password(String),
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error(transparent)]
    Seed(#[from] SeedError),
}

/// Migrates the configured database like `migrate`, fills it, and says
/// how to sign in.
async fn seed_database(
    config: &Config,
    seed: u64,
    dataset: Dataset,
) -> Result<String, SeedCommandError> {
    let (password, generated) = match std::env::var("REVERIE_SEED_PASSWORD") {
        Ok(password) => {
            check_new_password(&password, &[])
                .map_err(|error| SeedCommandError::Password(error.to_string()))?;
            (password, false)
        }
        // 80 random bits: never a fixed password, even on a server that
        // was meant for real use.
        Err(_) => (FieldCipher::generate_hex_key()[..20].to_string(), true),
    };
    let password_hash = PasswordHasher::default()
        .hash(&password)
        .await
        .map_err(|error| SeedCommandError::Password(error.to_string()))?;
    let database = Database::connect(&config.database)
        .await
        .map_err(StartupError::from)?;
    database.migrate().await.map_err(StartupError::from)?;
    let cipher = checked_cipher(config, &database).await?;
    let started = std::time::Instant::now();
    let now = now_ms();
    let plan = SeedPlan {
        seed,
        dataset,
        today: utc_day(now),
        now,
    };
    let summary = seed::seed(&database, &cipher, &password_hash, &plan).await;
    database.close().await;
    let summary = summary?;
    let mut report = format!(
        "Seeded {} reflections in {} cases, {} shares, {} comments, {} pacing ratings and {} \
         meetings for {} accounts in {:.1} s.\nSign in at /login with any of these and the \
         password {}{}:",
        summary.reflections,
        summary.cases,
        summary.shares,
        summary.comments,
        summary.ratings,
        summary.meetings,
        summary.accounts.len(),
        started.elapsed().as_secs_f64(),
        password,
        if generated {
            " (generated; set REVERIE_SEED_PASSWORD to choose it)"
        } else {
            " (from REVERIE_SEED_PASSWORD)"
        },
    );
    for account in &summary.accounts {
        report.push_str(&format!(
            "\n  {} ({}, {})",
            account.email,
            account.name,
            account.role.label()
        ));
    }
    Ok(report)
}

/// Re-seals everything with the sealing key; says what was done and what
/// the operator can do next.
async fn rotate_key(config: &Config) -> Result<String, StartupError> {
    let cipher = data_cipher(&config.data_key)?;
    let database = Database::connect(&config.database).await?;
    database.migrate().await?;
    let resealed = database.rotate_data_key(&cipher, now_ms()).await;
    database.close().await;
    let resealed = resealed?;
    tracing::info!(
        resealed,
        key_id = cipher.sealing_key_id(),
        "data key rotated"
    );
    let others: Vec<&str> = cipher.key_ids().skip(1).collect();
    Ok(format!(
        "Re-sealed {resealed} values: everything is now sealed with data key {}.{}",
        cipher.sealing_key_id(),
        if others.is_empty() {
            String::new()
        } else {
            format!(
                " Remove the other key{} ({}) from the configuration of every app server and restart them; then the old key can be destroyed.",
                if others.len() == 1 { "" } else { "s" },
                others.join(", ")
            )
        }
    ))
}

/// Needs no configuration and no database: the check is pure.
fn check_identifiers() -> ExitCode {
    match check_lines(std::io::stdin().lock(), std::io::stdout().lock()) {
        Ok(summary) if summary.refused == 0 => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("reverie: check-identifiers: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Copies the SQLite database while the app may be serving; PostgreSQL has
/// its own tools.
async fn backup(config: &Config, target: &std::path::Path) -> ExitCode {
    let source = match &config.database {
        DatabaseLocation::SqliteFile(source) => source,
        DatabaseLocation::SqliteMemory => {
            eprintln!("reverie: backup: an in-memory database has nothing to back up");
            return ExitCode::FAILURE;
        }
        DatabaseLocation::Postgres(_) => {
            eprintln!(
                "reverie: backup: `server backup` copies the embedded SQLite database; back up \
                 PostgreSQL with pg_dump instead, e.g. pg_dump --format=custom \
                 --file=reverie.dump \"$DATABASE_URL\" (see Backups in the README)"
            );
            return ExitCode::FAILURE;
        }
    };
    match backup_sqlite_file(source, target).await {
        Ok(summary) => {
            println!(
                "Backed up {} to {} ({} bytes, integrity check ok). \
                 Keep it apart from the data key.",
                source.display(),
                target.display(),
                summary.bytes
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("reverie: backup: {error}");
            ExitCode::FAILURE
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
    if let Some(token) = application.setup_token() {
        tracing::warn!(
            setup_token = %token,
            "no accounts yet: open /setup and enter this setup token to create the first \
             administrator (or stop the server and run `server create-admin`)"
        );
    }
    tracing::info!(
        version = app::VERSION,
        database = %config.database.redacted(),
        "listening on http://{}",
        application.local_addr()
    );
    application
        .serve_with_housekeeping(config.session_settings(), shutdown)
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
