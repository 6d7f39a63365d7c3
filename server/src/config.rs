//! Configuration from `REVERIE_*` environment variables (and `DATABASE_URL`).
//! Every bad value is reported as one line naming the variable.

use std::{
    fmt,
    net::SocketAddr,
    num::NonZeroU32,
    path::{Path, PathBuf},
    time::Duration,
};

use app::server::{auth::session::SessionSettings, repo::DatabaseLocation};
use tracing_subscriber::EnvFilter;

use crate::middleware::client_address::TrustedProxies;

pub const ADDR: &str = "REVERIE_ADDR";
pub const DATABASE_URL: &str = "DATABASE_URL";
pub const DATA_DIR: &str = "REVERIE_DATA_DIR";
pub const SECURE_COOKIES: &str = "REVERIE_SECURE_COOKIES";
pub const LOG: &str = "REVERIE_LOG";
pub const LOG_FORMAT: &str = "REVERIE_LOG_FORMAT";
pub const SESSION_IDLE_MINUTES: &str = "REVERIE_SESSION_IDLE_MINUTES";
pub const SESSION_LIFETIME_HOURS: &str = "REVERIE_SESSION_LIFETIME_HOURS";
pub const AUTH_RATE_BURST: &str = "REVERIE_AUTH_RATE_BURST";
pub const AUTH_RATE_PER_MINUTE: &str = "REVERIE_AUTH_RATE_PER_MINUTE";
pub const DATA_KEY: &str = "REVERIE_DATA_KEY";
pub const DATA_KEY_FILE: &str = "REVERIE_DATA_KEY_FILE";
pub const HEADER_TIMEOUT_SECONDS: &str = "REVERIE_HEADER_TIMEOUT_SECONDS";
pub const BODY_TIMEOUT_SECONDS: &str = "REVERIE_BODY_TIMEOUT_SECONDS";
pub const HANDLER_TIMEOUT_SECONDS: &str = "REVERIE_HANDLER_TIMEOUT_SECONDS";
pub const TRUSTED_PROXIES: &str = "REVERIE_TRUSTED_PROXIES";
/// Leptos's own variable (cargo-leptos sets it): where the built site is.
pub const SITE_ROOT: &str = "LEPTOS_SITE_ROOT";

const DEFAULT_ADDR: &str = "127.0.0.1:3000";
const DEFAULT_DATA_DIR: &str = "./data";
const DEFAULT_SITE_ROOT: &str = "target/site";
const DEFAULT_LOG: &str = "info,sqlx=warn";
const SQLITE_FILE_NAME: &str = "reverie.db";
const DATA_KEY_FILE_NAME: &str = "data.key";
const DEFAULT_SESSION_IDLE_MINUTES: NonZeroU32 = NonZeroU32::new(30).unwrap();
const DEFAULT_SESSION_LIFETIME_HOURS: NonZeroU32 = NonZeroU32::new(12).unwrap();
const DEFAULT_AUTH_RATE_BURST: NonZeroU32 = NonZeroU32::new(10).unwrap();
const DEFAULT_AUTH_RATE_PER_MINUTE: NonZeroU32 = NonZeroU32::new(10).unwrap();
const DEFAULT_HEADER_TIMEOUT_SECONDS: NonZeroU32 = NonZeroU32::new(10).unwrap();
const DEFAULT_BODY_TIMEOUT_SECONDS: NonZeroU32 = NonZeroU32::new(30).unwrap();
const DEFAULT_HANDLER_TIMEOUT_SECONDS: NonZeroU32 = NonZeroU32::new(30).unwrap();

/// Where the key that encrypts clinical text at rest comes from. It is never
/// stored in the database.
#[derive(Clone, PartialEq, Eq)]
pub enum DataKeySource {
    /// Given in `REVERIE_DATA_KEY` (64 hexadecimal digits): required with
    /// PostgreSQL, where every app server must use the same key.
    Given(String),
    /// A key file, created on first start: `REVERIE_DATA_KEY_FILE`, or
    /// `data.key` in the data directory by default (embedded SQLite only).
    /// Keep it, and its backup, apart from the database and its backups.
    File(PathBuf),
}

impl fmt::Debug for DataKeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataKeySource::Given(_) => f.write_str("Given(..)"),
            DataKeySource::File(path) => f.debug_tuple("File").field(path).finish(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database: DatabaseLocation,
    pub data_key: DataKeySource,
    /// Serve cookies with `Secure` and the `__Host-` prefix (behind HTTPS).
    pub secure_cookies: bool,
    pub log_filter: String,
    pub log_format: LogFormat,
    /// A session unused for this long ends.
    pub session_idle_minutes: NonZeroU32,
    /// A session ends this long after sign-in, however active.
    pub session_lifetime_hours: NonZeroU32,
    /// How many sign-in style requests (`POST /api/auth/…`) one client
    /// address may make in a row before being throttled.
    pub auth_rate_burst: NonZeroU32,
    /// How many such requests per minute a client address earns back.
    pub auth_rate_per_minute: NonZeroU32,
    /// The reverse proxies whose `X-Forwarded-For` names the client. Empty
    /// unless configured; while empty, the client is always the TCP peer.
    pub trusted_proxies: TrustedProxies,
    /// How long a request's parts may take, so slow clients cannot hold
    /// connections and workers for ever.
    pub request_timeouts: RequestTimeouts,
    /// The built site: the bundle under `pkg/` and the files of `public/`.
    pub site_root: String,
}

/// The time a request's headers, its body and its handling may each take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTimeouts {
    /// From the first byte of a request's headers to the last (also how
    /// long a kept-alive connection may sit idle).
    pub headers: Duration,
    /// From the headers to the last byte of the body, however it trickles.
    pub body: Duration,
    /// From the whole request to the response.
    pub handler: Duration,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid {variable}: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub reason: String,
}

impl ConfigError {
    fn new(variable: &'static str, reason: impl fmt::Display) -> Self {
        ConfigError {
            variable,
            reason: reason.to_string(),
        }
    }
}

impl Config {
    pub fn session_settings(&self) -> SessionSettings {
        SessionSettings {
            idle_timeout_ms: i64::from(self.session_idle_minutes.get()) * 60_000,
            absolute_lifetime_ms: i64::from(self.session_lifetime_hours.get()) * 3_600_000,
            secure_cookies: self.secure_cookies,
        }
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the
    /// process environment. Empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|value| value.trim().to_string())
                .filter(|value| !value.is_empty())
        };

        let addr = get(ADDR)
            .unwrap_or_else(|| DEFAULT_ADDR.to_string())
            .parse::<SocketAddr>()
            .map_err(|_| {
                ConfigError::new(
                    ADDR,
                    "expected an IP address and port, such as 127.0.0.1:3000",
                )
            })?;

        let data_dir = PathBuf::from(get(DATA_DIR).unwrap_or_else(|| DEFAULT_DATA_DIR.to_string()));

        let database = match get(DATABASE_URL) {
            None => DatabaseLocation::SqliteFile(data_dir.join(SQLITE_FILE_NAME)),
            Some(url) => parse_database_url(&url)?,
        };

        let data_key_file = get(DATA_KEY_FILE);
        if data_key_file.is_some() && get(DATA_KEY).is_some() {
            return Err(ConfigError::new(
                DATA_KEY_FILE,
                format!("set either {DATA_KEY} or {DATA_KEY_FILE}, not both"),
            ));
        }
        let data_key = match get(DATA_KEY) {
            Some(hex) => {
                app::server::crypto::FieldCipher::from_hex(&hex).map_err(|_| {
                    ConfigError::new(
                        DATA_KEY,
                        "expected 64 hexadecimal digits (make one with: openssl rand -hex 32)",
                    )
                })?;
                DataKeySource::Given(hex.trim().to_string())
            }
            None if matches!(database, DatabaseLocation::Postgres(_)) => {
                return Err(ConfigError::new(
                    DATA_KEY,
                    "is required with a PostgreSQL database, so that every app server uses the same key (make one with: openssl rand -hex 32; a key file is for the embedded SQLite database)",
                ));
            }
            None => DataKeySource::File(match data_key_file {
                Some(path) => PathBuf::from(path),
                None => data_dir.join(DATA_KEY_FILE_NAME),
            }),
        };

        let secure_cookies = match get(SECURE_COOKIES) {
            None => false,
            Some(value) => parse_bool(&value)
                .ok_or_else(|| ConfigError::new(SECURE_COOKIES, "expected true or false"))?,
        };

        let log_filter = get(LOG).unwrap_or_else(|| DEFAULT_LOG.to_string());
        EnvFilter::try_new(&log_filter).map_err(|_| {
            ConfigError::new(
                LOG,
                "expected a tracing filter, such as info or info,reverie=debug",
            )
        })?;

        let log_format = match get(LOG_FORMAT).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(_) => return Err(ConfigError::new(LOG_FORMAT, "expected text or json")),
        };

        let session_idle_minutes = positive_number(
            SESSION_IDLE_MINUTES,
            get(SESSION_IDLE_MINUTES),
            DEFAULT_SESSION_IDLE_MINUTES,
        )?;
        let session_lifetime_hours = positive_number(
            SESSION_LIFETIME_HOURS,
            get(SESSION_LIFETIME_HOURS),
            DEFAULT_SESSION_LIFETIME_HOURS,
        )?;
        if u64::from(session_idle_minutes.get()) > u64::from(session_lifetime_hours.get()) * 60 {
            return Err(ConfigError::new(
                SESSION_IDLE_MINUTES,
                "must not exceed the session lifetime",
            ));
        }
        let auth_rate_burst = positive_number(
            AUTH_RATE_BURST,
            get(AUTH_RATE_BURST),
            DEFAULT_AUTH_RATE_BURST,
        )?;
        let auth_rate_per_minute = positive_number(
            AUTH_RATE_PER_MINUTE,
            get(AUTH_RATE_PER_MINUTE),
            DEFAULT_AUTH_RATE_PER_MINUTE,
        )?;
        let trusted_proxies = match get(TRUSTED_PROXIES) {
            None => TrustedProxies::default(),
            Some(list) => TrustedProxies::parse(&list)
                .map_err(|bad_entry| ConfigError::new(TRUSTED_PROXIES, bad_entry))?,
        };

        let seconds = |variable, default| {
            positive_number(variable, get(variable), default)
                .map(|seconds| Duration::from_secs(u64::from(seconds.get())))
        };
        let request_timeouts = RequestTimeouts {
            headers: seconds(HEADER_TIMEOUT_SECONDS, DEFAULT_HEADER_TIMEOUT_SECONDS)?,
            body: seconds(BODY_TIMEOUT_SECONDS, DEFAULT_BODY_TIMEOUT_SECONDS)?,
            handler: seconds(HANDLER_TIMEOUT_SECONDS, DEFAULT_HANDLER_TIMEOUT_SECONDS)?,
        };

        let site_root = get(SITE_ROOT).unwrap_or_else(|| DEFAULT_SITE_ROOT.to_string());

        Ok(Config {
            addr,
            data_dir,
            database,
            data_key,
            secure_cookies,
            log_filter,
            log_format,
            session_idle_minutes,
            session_lifetime_hours,
            auth_rate_burst,
            auth_rate_per_minute,
            request_timeouts,
            trusted_proxies,
            site_root,
        })
    }

    /// The settings as lines of `NAME=value`, secrets redacted.
    pub fn describe(&self) -> String {
        [
            format!("{ADDR}={}", self.addr),
            format!("{DATA_DIR}={}", self.data_dir.display()),
            format!("database: {}", self.database.redacted()),
            match &self.data_key {
                DataKeySource::Given(_) => format!("{DATA_KEY}=(set, not shown)"),
                DataKeySource::File(path) => format!("{DATA_KEY_FILE}={}", path.display()),
            },
            format!("{SECURE_COOKIES}={}", self.secure_cookies),
            format!("{LOG}={}", self.log_filter),
            format!(
                "{LOG_FORMAT}={}",
                if self.log_format == LogFormat::Json {
                    "json"
                } else {
                    "text"
                }
            ),
            format!("{AUTH_RATE_BURST}={}", self.auth_rate_burst),
            format!("{AUTH_RATE_PER_MINUTE}={}", self.auth_rate_per_minute),
            format!(
                "{HEADER_TIMEOUT_SECONDS}={}",
                self.request_timeouts.headers.as_secs()
            ),
            format!(
                "{BODY_TIMEOUT_SECONDS}={}",
                self.request_timeouts.body.as_secs()
            ),
            format!(
                "{HANDLER_TIMEOUT_SECONDS}={}",
                self.request_timeouts.handler.as_secs()
            ),
            format!("{TRUSTED_PROXIES}={}", self.trusted_proxies),
            format!("{SITE_ROOT}={}", self.site_root),
        ]
        .join("\n")
    }
}

fn parse_database_url(url: &str) -> Result<DatabaseLocation, ConfigError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(DatabaseLocation::Postgres(url.to_string()));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or_default();
        return match path {
            ":memory:" => Ok(DatabaseLocation::SqliteMemory),
            "" => Err(ConfigError::new(
                DATABASE_URL,
                "an sqlite: URL needs a file path, such as sqlite://data/reverie.db",
            )),
            path => Ok(DatabaseLocation::SqliteFile(Path::new(path).to_path_buf())),
        };
    }
    // The value is not echoed: it may hold a password.
    Err(ConfigError::new(
        DATABASE_URL,
        "expected a postgres:// or sqlite: URL",
    ))
}

fn positive_number(
    variable: &'static str,
    value: Option<String>,
    default: NonZeroU32,
) -> Result<NonZeroU32, ConfigError> {
    match value {
        None => Ok(default),
        Some(value) => value
            .parse::<NonZeroU32>()
            .ok()
            .filter(|number| number.get() <= 100_000)
            .ok_or_else(|| ConfigError::new(variable, "expected a whole number from 1 to 100000")),
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| env.get(name).cloned())
    }

    #[test]
    fn defaults_serve_sqlite_in_the_data_directory_on_localhost() {
        let config = config(&[]).unwrap();
        assert_eq!(config.addr, "127.0.0.1:3000".parse().unwrap());
        assert_eq!(
            config.database,
            DatabaseLocation::SqliteFile(PathBuf::from("./data/reverie.db"))
        );
        assert!(!config.secure_cookies);
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.auth_rate_burst.get(), 10);
        assert_eq!(config.auth_rate_per_minute.get(), 10);
    }

    #[test]
    fn data_directory_moves_the_default_database() {
        let config = config(&[(DATA_DIR, "/var/lib/reverie")]).unwrap();
        assert_eq!(
            config.database,
            DatabaseLocation::SqliteFile(PathBuf::from("/var/lib/reverie/reverie.db"))
        );
    }

    #[test]
    fn postgres_url_selects_postgres() {
        for url in [
            "postgres://u:p@localhost/reverie",
            "postgresql://localhost/reverie",
        ] {
            let config = config(&[(DATABASE_URL, url), (DATA_KEY, &"0f".repeat(32))]).unwrap();
            assert_eq!(config.database, DatabaseLocation::Postgres(url.to_string()));
        }
    }

    #[test]
    fn the_data_key_is_a_file_in_the_data_directory_unless_given() {
        let config_with = |pairs: &[(&str, &str)]| config(pairs).unwrap().data_key;
        assert_eq!(
            config_with(&[(DATA_DIR, "/srv/r")]),
            DataKeySource::File(PathBuf::from("/srv/r/data.key"))
        );
        let key = "A1".repeat(32);
        assert_eq!(
            config_with(&[(DATA_KEY, &key)]),
            DataKeySource::Given(key.clone())
        );
        let described = config(&[(DATA_KEY, &key)]).unwrap().describe();
        assert!(!described.contains(&key), "{described}");
    }

    #[test]
    fn the_data_key_file_can_live_apart_from_the_data_directory() {
        let apart = config(&[
            (DATA_DIR, "/srv/r"),
            (DATA_KEY_FILE, " /mnt/keys/reverie.key "),
        ])
        .unwrap();
        assert_eq!(
            apart.data_key,
            DataKeySource::File(PathBuf::from("/mnt/keys/reverie.key"))
        );
        assert_eq!(
            apart.database,
            DatabaseLocation::SqliteFile(PathBuf::from("/srv/r/reverie.db")),
            "the database stays in the data directory"
        );
        let described = |config: Config, line: &str| {
            assert!(
                config.describe().lines().any(|shown| shown == line),
                "{line}"
            )
        };
        described(apart, "REVERIE_DATA_KEY_FILE=/mnt/keys/reverie.key");
        described(
            config(&[(DATA_DIR, "/srv/r")]).unwrap(),
            "REVERIE_DATA_KEY_FILE=/srv/r/data.key",
        );
    }

    #[test]
    fn a_key_and_a_key_file_together_are_refused() {
        let error =
            config(&[(DATA_KEY, &"0f".repeat(32)), (DATA_KEY_FILE, "/k/data.key")]).unwrap_err();
        assert_eq!(error.variable, DATA_KEY_FILE);
        assert!(error.to_string().contains("not both"), "{error}");
        assert!(!error.to_string().contains(&"0f".repeat(32)), "{error}");
    }

    #[test]
    fn postgres_needs_a_given_key_even_with_a_key_file() {
        let error = config(&[
            (DATABASE_URL, "postgres://localhost/r"),
            (DATA_KEY_FILE, "/k/data.key"),
        ])
        .unwrap_err();
        assert_eq!(error.variable, DATA_KEY);
    }

    #[test]
    fn postgres_needs_a_given_data_key_and_a_bad_key_is_refused() {
        let error = config(&[(DATABASE_URL, "postgres://localhost/r")]).unwrap_err();
        assert_eq!(error.variable, DATA_KEY);
        let error = config(&[(DATA_KEY, "not-hex")]).unwrap_err();
        assert_eq!(error.variable, DATA_KEY);
        assert!(!error.to_string().contains("not-hex"), "{error}");
    }

    #[test]
    fn sqlite_urls_name_a_file_or_memory() {
        assert_eq!(
            config(&[(DATABASE_URL, "sqlite://data/x.db?mode=rwc")])
                .unwrap()
                .database,
            DatabaseLocation::SqliteFile(PathBuf::from("data/x.db"))
        );
        assert_eq!(
            config(&[(DATABASE_URL, "sqlite::memory:")])
                .unwrap()
                .database,
            DatabaseLocation::SqliteMemory
        );
        assert_eq!(
            config(&[(DATABASE_URL, "sqlite:")]).unwrap_err().variable,
            DATABASE_URL
        );
    }

    #[test]
    fn unknown_database_scheme_is_refused_without_echoing_the_url() {
        let error = config(&[(DATABASE_URL, "mysql://root:hunter2@db/x")]).unwrap_err();
        assert_eq!(error.variable, DATABASE_URL);
        assert!(!error.to_string().contains("hunter2"));
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        assert_eq!(config(&[(ADDR, "localhost")]).unwrap_err().variable, ADDR);
        assert_eq!(
            config(&[(SECURE_COOKIES, "maybe")]).unwrap_err().variable,
            SECURE_COOKIES
        );
        assert_eq!(
            config(&[(LOG_FORMAT, "xml")]).unwrap_err().variable,
            LOG_FORMAT
        );
        assert_eq!(config(&[(LOG, "info,[")]).unwrap_err().variable, LOG);
        for bad in ["0", "-1", "ten", "1.5"] {
            assert_eq!(
                config(&[(AUTH_RATE_BURST, bad)]).unwrap_err().variable,
                AUTH_RATE_BURST,
                "{bad}"
            );
            assert_eq!(
                config(&[(AUTH_RATE_PER_MINUTE, bad)]).unwrap_err().variable,
                AUTH_RATE_PER_MINUTE,
                "{bad}"
            );
        }
    }

    #[test]
    fn sign_in_rate_is_configurable() {
        let config = config(&[(AUTH_RATE_BURST, "3"), (AUTH_RATE_PER_MINUTE, " 30 ")]).unwrap();
        assert_eq!(config.auth_rate_burst.get(), 3);
        assert_eq!(config.auth_rate_per_minute.get(), 30);
        assert!(config.describe().contains("REVERIE_AUTH_RATE_BURST=3"));
        assert!(config
            .describe()
            .contains("REVERIE_AUTH_RATE_PER_MINUTE=30"));
    }

    #[test]
    fn request_timeouts_have_defaults_and_are_configurable() {
        let defaults = config(&[]).unwrap().request_timeouts;
        assert_eq!(
            defaults,
            RequestTimeouts {
                headers: Duration::from_secs(10),
                body: Duration::from_secs(30),
                handler: Duration::from_secs(30),
            }
        );
        let set = config(&[
            (HEADER_TIMEOUT_SECONDS, "2"),
            (BODY_TIMEOUT_SECONDS, "3"),
            (HANDLER_TIMEOUT_SECONDS, "4"),
        ])
        .unwrap();
        assert_eq!(set.request_timeouts.headers, Duration::from_secs(2));
        assert_eq!(set.request_timeouts.body, Duration::from_secs(3));
        assert_eq!(set.request_timeouts.handler, Duration::from_secs(4));
        assert!(set.describe().contains("REVERIE_HANDLER_TIMEOUT_SECONDS=4"));
        for variable in [
            HEADER_TIMEOUT_SECONDS,
            BODY_TIMEOUT_SECONDS,
            HANDLER_TIMEOUT_SECONDS,
        ] {
            for bad in ["0", "-1", "soon"] {
                assert_eq!(
                    config(&[(variable, bad)]).unwrap_err().variable,
                    variable,
                    "{bad}"
                );
            }
        }
    }

    #[test]
    fn no_proxy_is_trusted_unless_configured() {
        let config = config(&[]).unwrap();
        assert!(config.trusted_proxies.is_empty());
        assert!(config
            .describe()
            .lines()
            .any(|line| line == "REVERIE_TRUSTED_PROXIES="));
    }

    #[test]
    fn trusted_proxies_are_addresses_and_networks() {
        let config = config(&[(TRUSTED_PROXIES, "127.0.0.1, ::1, 10.0.0.0/8")]).unwrap();
        assert!(config
            .trusted_proxies
            .contains("10.20.30.40".parse().unwrap()));
        assert!(config.trusted_proxies.contains("::1".parse().unwrap()));
        assert!(!config
            .trusted_proxies
            .contains("203.0.113.9".parse().unwrap()));
        assert!(config
            .describe()
            .contains("REVERIE_TRUSTED_PROXIES=127.0.0.1,::1,10.0.0.0/8"));
    }

    #[test]
    fn a_bad_trusted_proxy_is_named_in_the_error() {
        for bad in [
            "proxy.internal",
            "10.0.0.0/33",
            "10.1.2.3/8",
            "127.0.0.1:443",
        ] {
            let error = config(&[(TRUSTED_PROXIES, &format!("::1, {bad}"))]).unwrap_err();
            assert_eq!(error.variable, TRUSTED_PROXIES, "{bad}");
            let message = error.to_string();
            assert!(
                message.starts_with("invalid REVERIE_TRUSTED_PROXIES: "),
                "{message}"
            );
            assert!(message.contains(&format!("\"{bad}\"")), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
    }

    #[test]
    fn error_is_one_line() {
        let error = config(&[(ADDR, "nope")]).unwrap_err();
        assert!(!error.to_string().contains('\n'));
        assert!(error.to_string().starts_with("invalid REVERIE_ADDR"));
    }

    #[test]
    fn booleans_accept_common_spellings() {
        for yes in ["true", "TRUE", "1", "yes", "on"] {
            assert!(
                config(&[(SECURE_COOKIES, yes)]).unwrap().secure_cookies,
                "{yes}"
            );
        }
        for no in ["false", "0", "no", "off"] {
            assert!(
                !config(&[(SECURE_COOKIES, no)]).unwrap().secure_cookies,
                "{no}"
            );
        }
    }

    #[test]
    fn session_timeouts_default_to_30_minutes_and_12_hours() {
        let defaults = config(&[]).unwrap();
        assert_eq!(
            (
                defaults.session_idle_minutes.get(),
                defaults.session_lifetime_hours.get()
            ),
            (30, 12)
        );
        let chosen =
            config(&[(SESSION_IDLE_MINUTES, "15"), (SESSION_LIFETIME_HOURS, "8")]).unwrap();
        assert_eq!(
            (
                chosen.session_idle_minutes.get(),
                chosen.session_lifetime_hours.get()
            ),
            (15, 8)
        );
    }

    #[test]
    fn session_timeouts_must_be_positive_and_consistent() {
        for bad in ["0", "-5", "soon", "1.5"] {
            assert_eq!(
                config(&[(SESSION_IDLE_MINUTES, bad)]).unwrap_err().variable,
                SESSION_IDLE_MINUTES,
                "{bad}"
            );
            assert_eq!(
                config(&[(SESSION_LIFETIME_HOURS, bad)])
                    .unwrap_err()
                    .variable,
                SESSION_LIFETIME_HOURS,
                "{bad}"
            );
        }
        let error =
            config(&[(SESSION_IDLE_MINUTES, "120"), (SESSION_LIFETIME_HOURS, "1")]).unwrap_err();
        assert_eq!(error.variable, SESSION_IDLE_MINUTES);
    }

    #[test]
    fn json_logs_by_configuration() {
        assert_eq!(
            config(&[(LOG_FORMAT, "json")]).unwrap().log_format,
            LogFormat::Json
        );
    }

    #[test]
    fn description_hides_database_password() {
        let config = config(&[
            (DATABASE_URL, "postgres://u:topsecret@h/db"),
            (DATA_KEY, &"0f".repeat(32)),
        ])
        .unwrap();
        assert!(!config.describe().contains("topsecret"));
    }
}
