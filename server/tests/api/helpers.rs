use std::path::PathBuf;

use app::{
    domain::accounts::User,
    error::AppError,
    server::{
        auth::{now_ms, passwords::PasswordHasher},
        heavy_reads::HeavyReads,
        repo::{Database, DatabaseLocation, NewUser},
    },
};
use server::{
    config::Config,
    startup::{Application, StartupError},
};

pub const POSTGRES_URL_VARIABLE: &str = "REVERIE_TEST_POSTGRES_URL";

/// The data key every test app is started with.
pub const TEST_DATA_KEY: &str = "7e57da7a7e57da7a7e57da7a7e57da7a7e57da7a7e57da7a7e57da7a7e57da7a";

/// A password that passes the strength check.
pub const GOOD_PASSWORD: &str = "lantern orchard velvet compass";

#[derive(Debug, Clone, Copy)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

/// A running application with its own fresh database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database: Database,
    /// The app's limit on decrypt-heavy reads (tests take an account's
    /// places in it).
    pub heavy_reads: HeavyReads,
    /// Present while the instance has no account.
    pub setup_token: Option<String>,
    _database_guard: DatabaseGuard,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    /// A second browser: its own cookie jar.
    pub fn new_client(&self) -> reqwest::Client {
        http_client()
    }

    /// Posts a form the way the app's own pages do with JavaScript (a
    /// same-origin `fetch`), with `client`'s cookies.
    pub async fn post_form_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .header("origin", &self.address)
            .form(fields)
            .send()
            .await
            .expect("request failed")
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_with(&self.client, path, fields).await
    }

    /// Posts a form the way a browser does without JavaScript, with
    /// `client`'s cookies.
    pub async fn post_plain_form_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .header("origin", &self.address)
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .form(fields)
            .send()
            .await
            .expect("request failed")
    }

    pub async fn post_plain_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_plain_form_with(&self.client, path, fields).await
    }

    /// Creates an account directly in the database.
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        password: &str,
        is_admin: bool,
    ) -> User {
        let password_hash = PasswordHasher::default()
            .hash(password)
            .await
            .expect("hash");
        self.database
            .create_user(&NewUser {
                email,
                display_name: name,
                password_hash: &password_hash,
                is_admin,
                created_at: now_ms(),
            })
            .await
            .expect("create user")
    }

    pub async fn sign_in_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        self.post_form_with(
            client,
            "/api/auth/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.sign_in_with(&self.client, email, password).await
    }

    /// The account `client` is signed in as, by the app's own answer.
    pub async fn signed_in_email(&self, client: &reqwest::Client) -> Option<String> {
        let response = client
            .get(self.url("/api/account/me"))
            .send()
            .await
            .expect("request failed");
        assert_eq!(response.status(), 200);
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).expect("json");
        body.get("email")
            .and_then(|email| email.as_str())
            .map(str::to_string)
    }

    /// An administrator, signed in with the default client.
    pub async fn signed_in_admin(&self) -> User {
        let admin = self
            .create_user("admin@example.org", "Ada Admin", GOOD_PASSWORD, true)
            .await;
        assert_eq!(
            self.sign_in(&admin.email, GOOD_PASSWORD).await.status(),
            200
        );
        admin
    }
}

pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("http client")
}

/// The error a server function answered with, as the browser decodes it.
pub async fn app_error(response: reqwest::Response) -> AppError {
    let body = response.text().await.unwrap();
    serde_json::from_str(&body).unwrap_or_else(|_| panic!("not an application error: {body}"))
}

/// Runs `$body` with `$pool` bound to the database's pool, whichever the
/// backend: tests write their SQL once, as the repository does.
#[macro_export]
macro_rules! with_pool {
    ($database:expr, |$pool:ident| $body:expr) => {
        match $database {
            app::server::repo::Database::Sqlite($pool) => $body,
            app::server::repo::Database::Postgres($pool) => $body,
        }
    };
}

/// Runs one statement with one integer parameter, on whichever backend: for
/// tests that move stored times into the past.
pub async fn execute_with(database: &Database, sql: &str, value: i64) {
    with_pool!(database, |pool| sqlx::query(sql)
        .bind(value)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("test statement");
}

/// Rows of `table` (for checking what a deletion left behind).
pub async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let (count,): (i64,) = with_pool!(&app.database, |pool| sqlx::query_as(&sql)
        .fetch_one(pool)
        .await)
    .unwrap();
    count
}

/// Every value of every column of every table, as text (SQLite blobs and
/// PostgreSQL byte strings included), each with where it was found.
pub async fn everything_stored(database: &Database) -> Vec<(String, String)> {
    let mut found = Vec::new();
    match database {
        Database::Sqlite(pool) => {
            let tables: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
                    .fetch_all(pool)
                    .await
                    .unwrap();
            for (table,) in tables {
                let columns: Vec<(String,)> =
                    sqlx::query_as("SELECT name FROM pragma_table_info($1)")
                        .bind(&table)
                        .fetch_all(pool)
                        .await
                        .unwrap();
                for (column,) in columns {
                    let values: Vec<(Option<Vec<u8>>,)> = sqlx::query_as(&format!(
                        r#"SELECT CAST("{column}" AS BLOB) FROM "{table}""#
                    ))
                    .fetch_all(pool)
                    .await
                    .unwrap();
                    for value in values.into_iter().filter_map(|(value,)| value) {
                        found.push((
                            format!("{table}.{column}"),
                            String::from_utf8_lossy(&value).into_owned(),
                        ));
                    }
                }
            }
        }
        Database::Postgres(pool) => {
            let columns: Vec<(String, String)> = sqlx::query_as(
                "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c \
                 JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                 WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            for (table, column) in columns {
                let values: Vec<(Option<String>,)> = sqlx::query_as(&format!(
                    r#"SELECT CAST("{column}" AS TEXT) FROM "{table}""#
                ))
                .fetch_all(pool)
                .await
                .unwrap();
                for value in values.into_iter().filter_map(|(value,)| value) {
                    found.push((format!("{table}.{column}"), value));
                }
            }
        }
    }
    found
}

/// Makes a fresh, migrated database on the given backend.
pub async fn fresh_database(backend: TestBackend) -> (Database, DatabaseGuard) {
    let (location, guard) = match backend {
        TestBackend::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let location = DatabaseLocation::SqliteFile(dir.path().join("reverie.db"));
            (location, DatabaseGuard::Sqlite(dir))
        }
        TestBackend::Postgres => create_postgres_database().await,
    };
    let database = Database::connect(&location)
        .await
        .expect("connect to the test database");
    database.migrate().await.expect("migrate the test database");
    (database, guard)
}

pub async fn spawn_app(backend: TestBackend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// Like [`spawn_app`], with some settings given as `(variable, value)` pairs,
/// as they would be in the environment.
pub async fn spawn_app_with(backend: TestBackend, settings: &[(&str, &str)]) -> TestApp {
    let (database, guard) = fresh_database(backend).await;
    let config = test_config(settings);
    let application = Application::build_with_database(&config, database)
        .await
        .expect("build the application");
    serve(application, guard)
}

/// Starts the app as `server serve` would on the SQLite database in
/// `data_dir` (created and migrated when new), with the tests' data key.
/// The directory stays the caller's.
pub async fn spawn_app_in(data_dir: &std::path::Path) -> Result<TestApp, StartupError> {
    let config = test_config(&[("REVERIE_DATA_DIR", data_dir.to_str().unwrap())]);
    Ok(serve(
        Application::build(&config).await?,
        DatabaseGuard::Kept,
    ))
}

fn serve(application: Application, guard: DatabaseGuard) -> TestApp {
    let address = format!("http://{}", application.local_addr());
    let setup_token = application.setup_token().map(str::to_string);
    let database = application.database().clone();
    let heavy_reads = application.heavy_reads();
    tokio::spawn(application.serve_until(std::future::pending()));
    TestApp {
        address,
        client: http_client(),
        database,
        heavy_reads,
        setup_token,
        _database_guard: guard,
    }
}

/// The tests' configuration: port 0, quiet logs, and `settings` on top.
pub fn test_config(settings: &[(&str, &str)]) -> Config {
    Config::from_lookup(|name| {
        if let Some((_, value)) = settings.iter().find(|(variable, _)| *variable == name) {
            return Some(value.to_string());
        }
        match name {
            "REVERIE_ADDR" => Some("127.0.0.1:0".to_string()),
            "REVERIE_LOG" => Some("warn".to_string()),
            "REVERIE_DATA_KEY" => Some(TEST_DATA_KEY.to_string()),
            _ => None,
        }
    })
    .expect("test configuration is valid")
}

/// Removes the test's database when the test ends.
pub enum DatabaseGuard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
    /// The test removes the database itself.
    Kept,
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        if let DatabaseGuard::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot be blocked on;
            // a separate thread with its own runtime does the cleanup.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async move {
                    use sqlx::Connection;
                    if let Ok(mut connection) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ = sqlx::query(&format!(
                            r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#
                        ))
                        .execute(&mut connection)
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

async fn create_postgres_database() -> (DatabaseLocation, DatabaseGuard) {
    use sqlx::Connection;

    let admin_url = std::env::var(POSTGRES_URL_VARIABLE).unwrap_or_else(|_| {
        panic!(
            "{POSTGRES_URL_VARIABLE} is not set. The PostgreSQL suite needs a server: run `.ci/test`, \
             or set {POSTGRES_URL_VARIABLE}=postgres://postgres@127.0.0.1:5432/test"
        )
    });
    let name = format!("reverie_test_{}", uuid::Uuid::new_v4().simple());
    let mut connection = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|error| {
            panic!("cannot reach PostgreSQL at {POSTGRES_URL_VARIABLE}: {error}")
        });
    sqlx::query(&format!(r#"CREATE DATABASE "{name}""#))
        .execute(&mut connection)
        .await
        .expect("create a test database");
    let url = with_database_name(&admin_url, &name);
    (
        DatabaseLocation::Postgres(url),
        DatabaseGuard::Postgres { admin_url, name },
    )
}

/// `postgres://user@host:5432/test?x=y` with `test` replaced by `name`.
fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|index| index + 3).unwrap_or(0);
    let server = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

/// The permission bits of a file or directory (`0o600`, say).
pub fn file_mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A temporary directory only its owner may use, as the server wants its
/// data directory (`tempfile` makes them as open as the umask allows).
pub fn private_tempdir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

/// The server binary, as built by cargo for these tests.
pub fn server_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_server"))
}

/// Defines each test twice: once on SQLite (`sqlite::name`) and once on
/// PostgreSQL (`postgres::name`), so neither backend is second class.
#[macro_export]
macro_rules! on_both_backends {
    ($(async fn $name:ident($app:ident : $kind:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let $app = $crate::on_both_backends!(@make $kind, $crate::helpers::TestBackend::Sqlite);
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let $app = $crate::on_both_backends!(@make $kind, $crate::helpers::TestBackend::Postgres);
                    $body
                }
            )*
        }
    };
    (@make app, $backend:expr) => { $crate::helpers::spawn_app($backend).await };
    (@make database, $backend:expr) => { $crate::helpers::fresh_database($backend).await };
    // For tests that start the app themselves, e.g. with other settings.
    (@make backend, $backend:expr) => { $backend };
}

#[cfg(test)]
mod tests {
    use super::with_database_name;

    #[test]
    fn database_name_is_replaced_in_urls() {
        assert_eq!(
            with_database_name("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database_name("postgres://h:5432/test?sslmode=disable", "x"),
            "postgres://h:5432/x?sslmode=disable"
        );
        assert_eq!(
            with_database_name("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
