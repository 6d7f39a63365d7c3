use std::{path::PathBuf, str::FromStr, time::Duration};

use sqlx::{
    migrate::Migrator,
    postgres::{PgPool, PgPoolOptions},
    sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
    },
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// How long a request waits for a free connection (or for SQLite's write
/// lock) before giving up with an error instead of hanging.
const WAIT_FOR_DATABASE: Duration = Duration::from_secs(5);

/// Where the data lives, as chosen by configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    /// An SQLite file, created with its parent directories on first start.
    SqliteFile(PathBuf),
    /// A private in-memory SQLite database (tests and throwaway runs).
    SqliteMemory,
    /// A PostgreSQL server, by `postgres://` URL.
    Postgres(String),
}

impl DatabaseLocation {
    /// A description safe to log: never includes a password.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseLocation::SqliteFile(path) => format!("sqlite file {}", path.display()),
            DatabaseLocation::SqliteMemory => "sqlite in memory".to_string(),
            DatabaseLocation::Postgres(url) => match url.rsplit_once('@') {
                Some((_, host_and_db)) => format!("postgres {host_and_db}"),
                None => format!(
                    "postgres {}",
                    url.trim_start_matches("postgres://")
                        .trim_start_matches("postgresql://")
                ),
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("could not prepare the database file {path} and its directory: {source}")]
    DataDirectory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not connect to the database ({location}): {source}")]
    Connect {
        location: String,
        source: sqlx::Error,
    },
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A uniqueness rule was broken (for example an email address already in use).
    #[error("a record with the same unique value exists")]
    Duplicate,
    /// A write named a record that is not the asker's (or does not exist):
    /// the repository checks the owner itself, not only its callers.
    #[error("no such record among the owner's")]
    NotFound,
    #[error("database query failed: {0}")]
    Query(sqlx::Error),
    /// Stored clinical text could not be decrypted with the server's key.
    #[error("stored text could not be opened: {0}")]
    Sealed(#[from] crate::server::crypto::CryptoError),
    /// The server's data keys do not fit the database's sealed values.
    #[error(transparent)]
    DataKeys(#[from] super::data_keys::DataKeyRefusal),
    /// A stored value is not one the application writes.
    #[error("unexpected stored value {value:?} in {column}")]
    Corrupt { column: &'static str, value: String },
}

impl From<sqlx::Error> for RepoError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(database_error) if database_error.is_unique_violation() => {
                RepoError::Duplicate
            }
            _ => RepoError::Query(error),
        }
    }
}

/// A pool of connections to whichever backend is configured. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Database {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same expression against whichever pool is configured. Every
/// statement is written once and compiled for both backends.
macro_rules! on_pool {
    ($database:expr, |$pool:ident| $body:expr) => {
        match $database {
            $crate::server::repo::Database::Sqlite($pool) => $body,
            $crate::server::repo::Database::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

impl Database {
    /// Opens the pool. SQLite files are created with their directory (modes
    /// 0600 and 0700), in WAL mode with foreign keys enforced; migrations are
    /// run separately.
    pub async fn connect(location: &DatabaseLocation) -> Result<Self, RepoError> {
        let connect_error = |source| RepoError::Connect {
            location: location.redacted(),
            source,
        };
        match location {
            DatabaseLocation::SqliteFile(path) => {
                crate::server::private_files::prepare_private_database_file(path).map_err(
                    |source| RepoError::DataDirectory {
                        path: path.to_path_buf(),
                        source,
                    },
                )?;
                let options = sqlite_options(
                    SqliteConnectOptions::new()
                        .filename(path)
                        .create_if_missing(true),
                )
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal);
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(WAIT_FOR_DATABASE)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Ok(Database::Sqlite(pool))
            }
            DatabaseLocation::SqliteMemory => {
                // Each connection to `:memory:` is its own database: one connection only.
                let options = sqlite_options(
                    SqliteConnectOptions::from_str("sqlite::memory:").map_err(connect_error)?,
                );
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(WAIT_FOR_DATABASE)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Ok(Database::Sqlite(pool))
            }
            DatabaseLocation::Postgres(url) => {
                let pool = PgPoolOptions::new()
                    .max_connections(10)
                    .acquire_timeout(WAIT_FOR_DATABASE)
                    .connect(url)
                    .await
                    .map_err(connect_error)?;
                Ok(Database::Postgres(pool))
            }
        }
    }

    /// Brings the schema up to date; safe to run at every start.
    pub async fn migrate(&self) -> Result<(), RepoError> {
        match self {
            Database::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Database::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Answers whether the database responds to a trivial query.
    pub async fn ping(&self) -> Result<(), RepoError> {
        on_pool!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Closes every connection; later queries fail at once.
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Database::Sqlite(_) => Backend::Sqlite,
            Database::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Bytes of the SQLite file each connection reads through a memory map
/// rather than by copying pages out of the operating system's cache: pages
/// that read wide rows or many of them (search, analytics) spent a tenth of
/// their time in those copies (issue 14). The map is shared by the
/// connections and costs no memory of its own; a database larger than this
/// is read the old way past it.
const SQLITE_MEMORY_MAP_BYTES: &str = "268435456";

/// Pages each connection keeps decoded, as a negative size in KiB (16 MiB;
/// SQLite's default is 2 MiB): the index pages a page reads again and again.
const SQLITE_CACHE_KIB: &str = "-16384";

fn sqlite_options(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .foreign_keys(true)
        .busy_timeout(WAIT_FOR_DATABASE)
        .pragma("mmap_size", SQLITE_MEMORY_MAP_BYTES)
        .pragma("cache_size", SQLITE_CACHE_KIB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_postgres_location_hides_credentials() {
        let location = DatabaseLocation::Postgres(
            "postgres://reverie:s3cret@db.internal:5432/reverie".to_string(),
        );
        let shown = location.redacted();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db.internal:5432/reverie"), "{shown}");
    }

    #[tokio::test]
    async fn sqlite_file_is_created_with_its_directory_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("reverie.db");
        let database = Database::connect(&DatabaseLocation::SqliteFile(path.clone()))
            .await
            .unwrap();
        database.migrate().await.unwrap();
        assert!(path.exists());
        let Database::Sqlite(pool) = &database else {
            panic!("expected sqlite")
        };
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let (foreign_keys,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(foreign_keys, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |path: &std::path::Path| {
                std::fs::metadata(path).unwrap().permissions().mode() & 0o777
            };
            assert_eq!(mode(path.parent().unwrap()), 0o700, "the directory");
            // While the pool is open the write-ahead log and its index exist.
            for file in ["reverie.db", "reverie.db-wal", "reverie.db-shm"] {
                assert_eq!(mode(&path.with_file_name(file)), 0o600, "{file}");
            }
        }
    }

    #[tokio::test]
    async fn numbered_parameters_bind_by_number_on_sqlite() {
        let database = Database::connect(&DatabaseLocation::SqliteMemory)
            .await
            .unwrap();
        let Database::Sqlite(pool) = &database else {
            panic!("expected sqlite")
        };
        let (first, second): (i64, String) = sqlx::query_as("SELECT $2, $1")
            .bind("one")
            .bind(2_i64)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!((first, second.as_str()), (2, "one"));
    }

    #[tokio::test]
    async fn closed_database_fails_its_ping() {
        let database = Database::connect(&DatabaseLocation::SqliteMemory)
            .await
            .unwrap();
        database.ping().await.unwrap();
        database.close().await;
        assert!(database.ping().await.is_err());
    }
}
