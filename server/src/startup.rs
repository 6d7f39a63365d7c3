//! Builds the application (database, router, listener) and serves it until
//! told to stop.

use std::{
    future::Future,
    net::SocketAddr,
    path::PathBuf,
    sync::{Arc, OnceLock},
    time::Duration,
};

use app::{
    server::{
        auth::{now_ms, passwords::PasswordHasher, session::SessionSettings, setup::SetupGate},
        crypto::FieldCipher,
        heavy_reads::HeavyReads,
        private_files::{create_private_dir, create_private_file},
        repo::{DataKeyRefusal, Database, RepoError},
        CspNonce,
    },
    shell, App,
};
use axum::{
    extract::{FromRef, Request, State},
    http::{request::Parts, StatusCode, Uri},
    middleware::{from_fn, from_fn_with_state},
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;

use crate::{
    config::{Config, DataKeySource, RequestTimeouts},
    connections::serve_connections,
    downloads, export, health,
    middleware::{
        body_limit::{limit_request_body, BodyDeadline},
        client_address::resolve_client_address,
        cross_origin::{refuse_cross_origin, CrossOriginPolicy, Scheme},
        request_id::assign_request_id,
        security_headers::{set_security_headers, SecurityHeaders},
        session::{resolve_session, SessionLayerState},
        sign_in_throttle::{throttle_sign_in, SignInThrottle},
        token_bucket::Rate,
    },
    site_files,
};

/// How long in-flight requests may take to finish after a shutdown signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub database: Database,
    pub cipher: FieldCipher,
    pub heavy_reads: HeavyReads,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Database {
    fn from_ref(state: &AppState) -> Self {
        state.database.clone()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(RepoError),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("could not read the listening address: {0}")]
    LocalAddr(std::io::Error),
    #[error("serving failed: {0}")]
    Serve(std::io::Error),
    #[error("could not {action} the data key file {path}: {source}")]
    DataKeyFile {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the data key file {0} does not hold a key (64 hexadecimal digits)")]
    DataKeyUnreadable(PathBuf),
    #[error(transparent)]
    DataKeys(DataKeyRefusal),
}

impl From<RepoError> for StartupError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::DataKeys(refusal) => StartupError::DataKeys(refusal),
            error => StartupError::Database(error),
        }
    }
}

/// The cipher for clinical text, from the configured key; creates the key
/// file (mode 0600, in a 0700 directory if that is missing) on the embedded
/// default's first start.
pub(crate) fn data_cipher(source: &DataKeySource) -> Result<FieldCipher, StartupError> {
    match source {
        DataKeySource::Given(hex) => {
            FieldCipher::from_hex(hex).map_err(|_| StartupError::DataKeyUnreadable(PathBuf::new()))
        }
        DataKeySource::File(path) => {
            let file_error = |action| {
                let path = path.clone();
                move |source| StartupError::DataKeyFile {
                    action,
                    path,
                    source,
                }
            };
            if !path.exists() {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    create_private_dir(parent).map_err(file_error("create the directory of"))?;
                }
                write_private_file(path, &FieldCipher::generate_hex_key())
                    .map_err(file_error("create"))?;
                tracing::info!(path = %path.display(), "created a new data key file; back it up apart from the database");
            }
            let hex = std::fs::read_to_string(path).map_err(file_error("read"))?;
            FieldCipher::from_hex(&hex).map_err(|_| StartupError::DataKeyUnreadable(path.clone()))
        }
    }
}

fn write_private_file(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = create_private_file(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// The cipher for the configured key, checked against the database.
pub(crate) async fn checked_cipher(
    config: &Config,
    database: &Database,
) -> Result<FieldCipher, StartupError> {
    let cipher = data_cipher(&config.data_key)?;
    let check = database.check_data_keys(&cipher, now_ms()).await?;
    if check.has_unbound_values {
        // The one-time step after upgrading to values bound to their place.
        let resealed = database.reseal_unbound(&cipher).await?;
        tracing::info!(resealed, "sealed values re-sealed, each bound to its place");
    }
    Ok(cipher)
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    database: Database,
    heavy_reads: HeavyReads,
    local_addr: SocketAddr,
    setup_token: Option<String>,
}

impl Application {
    /// Connects to and migrates the database, builds the router and binds the
    /// listener (port 0 picks a free port).
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        let database = Database::connect(&config.database).await?;
        database.migrate().await?;
        Self::build_with_database(config, database).await
    }

    /// Like [`Application::build`], for a database that is already connected and migrated.
    pub async fn build_with_database(
        config: &Config,
        database: Database,
    ) -> Result<Self, StartupError> {
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: config.addr,
                    source,
                })?;
        let local_addr = listener.local_addr().map_err(StartupError::LocalAddr)?;
        let (setup_gate, setup_token) = setup_gate(&database).await?;
        let cipher = checked_cipher(config, &database).await?;
        let services = Services {
            database: database.clone(),
            cipher,
            sessions: config.session_settings(),
            hasher: PasswordHasher::default(),
            heavy_reads: HeavyReads::default(),
            setup_gate,
        };
        let heavy_reads = services.heavy_reads.clone();
        let router = router_with(leptos_options(local_addr, config), services, config);
        Ok(Application {
            listener,
            router,
            header_timeout: config.request_timeouts.headers,
            database,
            heavy_reads,
            local_addr,
            setup_token,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The one-time setup token, when the instance has no account yet.
    pub fn setup_token(&self) -> Option<&str> {
        self.setup_token.as_deref()
    }

    pub fn database(&self) -> &Database {
        &self.database
    }

    /// The limit on decrypt-heavy reads the app's requests share (tests
    /// hold an account's places in it).
    pub fn heavy_reads(&self) -> HeavyReads {
        self.heavy_reads.clone()
    }

    /// Serves until `shutdown` completes, then stops accepting connections and
    /// lets in-flight requests finish for up to [`SHUTDOWN_GRACE`].
    /// Serves until `shutdown` completes (see [`Application::serve_until`]),
    /// sweeping expired sessions from the database meanwhile.
    pub async fn serve_with_housekeeping(
        self,
        sessions: SessionSettings,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let sweeper = tokio::spawn(sweep_expired_sessions(self.database.clone(), sessions));
        let result = self.serve_until(shutdown).await;
        sweeper.abort();
        result
    }

    pub async fn serve_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            tracing::info!("shutting down: no new connections; finishing requests in flight");
            let _ = stopping_tx.send(());
        };
        let server = serve_connections(self.listener, self.router, self.header_timeout, signal);
        let grace_expired = async move {
            if stopping_rx.await.is_ok() {
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        let result = tokio::select! {
            result = server => result,
            () = grace_expired => {
                tracing::warn!(grace = ?SHUTDOWN_GRACE, "requests still in flight after the grace period; stopping anyway");
                Ok(())
            }
        };
        self.database.close().await;
        result
    }
}

fn leptos_options(site_addr: SocketAddr, config: &Config) -> LeptosOptions {
    // cargo-leptos passes the site layout through LEPTOS_* variables (at build
    // and run time); the address is ours to choose.
    let mut options = match get_configuration(None) {
        Ok(conf) => conf.leptos_options,
        Err(error) => {
            tracing::warn!(%error, "ignoring unreadable LEPTOS_* settings");
            LeptosOptions::builder().output_name("reverie").build()
        }
    };
    if options.output_name.is_empty() {
        options.output_name = "reverie".into();
    }
    options.site_root = config.site_root.as_str().into();
    options.hash_files = hash_files(std::env::var("LEPTOS_HASH_FILES").ok().as_deref());
    options.site_addr = site_addr;
    options
}

/// Whether the pages name the bundle's files by their hash (`reverie.<hash>.js`,
/// read from `hash.txt` beside the server binary). `LEPTOS_HASH_FILES` at run
/// time decides, as `cargo leptos serve` sets it; a binary run by itself
/// follows the `hash-files` setting it was built with (cargo-leptos sets the
/// same variable while compiling the server), so the release build finds
/// the files it made, and a plain `cargo build` or test build the unhashed
/// names.
fn hash_files(at_run_time: Option<&str>) -> bool {
    at_run_time
        .or(option_env!("LEPTOS_HASH_FILES"))
        .is_some_and(|value| value.trim() == "true")
}

/// Sessions expire when next used anyway; the sweep removes the ones that
/// are never used again, so the table does not grow without bound, and
/// forgets known devices whose cookie has expired.
async fn sweep_expired_sessions(database: Database, sessions: SessionSettings) {
    let mut interval = tokio::time::interval(Duration::from_secs(300));
    loop {
        interval.tick().await;
        let now = app::server::auth::now_ms();
        match database
            .delete_expired_sessions(
                now - sessions.idle_timeout_ms,
                now - sessions.absolute_lifetime_ms,
            )
            .await
        {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "removed expired sessions"),
            Err(error) => tracing::warn!(%error, "could not remove expired sessions"),
        }
        match database
            .forget_unused_devices(now - app::server::auth::attempts::KNOWN_DEVICE_LIFETIME_MS)
            .await
        {
            Ok(0) => {}
            Ok(forgotten) => tracing::info!(forgotten, "forgot devices unused for a year"),
            Err(error) => tracing::warn!(%error, "could not forget unused devices"),
        }
    }
}

/// While the instance has no account, a setup token lets whoever runs the
/// server (and so can read its log) create the first administrator at /setup.
async fn setup_gate(database: &Database) -> Result<(SetupGate, Option<String>), StartupError> {
    if database.count_users().await? > 0 {
        return Ok((SetupGate::closed(), None));
    }
    let (gate, token) = SetupGate::open();
    Ok((gate, Some(token)))
}

/// What server functions and pages reach through Leptos's context.
#[derive(Clone)]
struct Services {
    database: Database,
    cipher: FieldCipher,
    sessions: SessionSettings,
    hasher: PasswordHasher,
    heavy_reads: HeavyReads,
    setup_gate: SetupGate,
}

impl Services {
    fn provide(&self) {
        provide_context(self.database.clone());
        provide_context(self.cipher.clone());
        provide_context(self.sessions);
        provide_context(self.hasher.clone());
        provide_context(self.heavy_reads.clone());
        provide_context(self.setup_gate.clone());
    }
}

/// The app's routes, generated once per process. Generating them briefly
/// suppresses resource loading in the whole process (leptos_server's
/// `SuppressResourceLoad`, leptos issue #4773): a page rendering meanwhile on
/// another router, as happens when tests build apps in parallel, would wait
/// forever for its data.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application: health probes, the Leptos pages and server
/// functions, the site's static files, and the middleware around them all.
/// Public so tests can drive it without a socket (with their own site root).
pub fn router(
    leptos_options: LeptosOptions,
    database: Database,
    cipher: FieldCipher,
    config: &Config,
) -> Router {
    let services = Services {
        database,
        cipher,
        sessions: config.session_settings(),
        hasher: PasswordHasher::default(),
        heavy_reads: HeavyReads::default(),
        setup_gate: SetupGate::closed(),
    };
    router_with(leptos_options, services, config)
}

fn router_with(leptos_options: LeptosOptions, services: Services, config: &Config) -> Router {
    let routes = route_list();
    let state = AppState {
        leptos_options: leptos_options.clone(),
        database: services.database.clone(),
        cipher: services.cipher.clone(),
        heavy_reads: services.heavy_reads.clone(),
    };
    let session_state = SessionLayerState {
        database: services.database.clone(),
        settings: services.sessions,
    };
    let provide_request_context = move || {
        services.provide();
        // Replaces the random nonce leptos_axum provides, so the scripts
        // carry the nonce the Content-Security-Policy header names.
        let nonce =
            use_context::<Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
        if let Some(CspNonce(nonce)) = nonce {
            provide_context(leptos::nonce::Nonce::from_value(nonce));
        }
    };
    let render_not_found = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        provide_request_context.clone(),
        shell,
    );
    let site_file_or_not_found =
        move |uri: Uri, State(state): State<AppState>, request: Request| {
            let options = &state.leptos_options;
            let file = site_files::serve(&options.site_root, &options.site_pkg_dir, &request);
            let render_not_found = render_not_found.clone();
            async move {
                match file.await {
                    Some(file) => file,
                    None => render_not_found(uri, State(state), request).await,
                }
            }
        };

    let sign_in_rate = Rate {
        burst: config.auth_rate_burst,
        per_minute: config.auth_rate_per_minute,
    };
    let security_headers = SecurityHeaders {
        strict_transport_security: config.secure_cookies,
    };
    let cross_origin = CrossOriginPolicy {
        scheme: Scheme::for_site(config.secure_cookies),
    };

    // The last layer added runs first (see `middleware`).
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/healthz/page", get(health::page))
        .route("/readyz", get(health::readyz))
        .merge(downloads::routes())
        .merge(export::routes())
        .leptos_routes_with_context(&state, routes, provide_request_context, move || {
            shell(leptos_options.clone())
        })
        .fallback(site_file_or_not_found)
        .layer(handler_deadline(config.request_timeouts))
        .layer(from_fn_with_state(
            BodyDeadline(config.request_timeouts.body),
            limit_request_body,
        ))
        .layer(from_fn_with_state(session_state, resolve_session))
        .layer(from_fn_with_state(
            SignInThrottle::new(sign_in_rate),
            throttle_sign_in,
        ))
        .layer(from_fn_with_state(
            Arc::new(config.trusted_proxies.clone()),
            resolve_client_address,
        ))
        .layer(from_fn_with_state(cross_origin, refuse_cross_origin))
        .layer(from_fn_with_state(security_headers, set_security_headers))
        .layer(from_fn(assign_request_id))
        .with_state(state)
}

/// Answers 503 when handling a request (its body already read) takes longer
/// than the handler deadline, instead of holding the client and a worker.
fn handler_deadline(timeouts: RequestTimeouts) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeouts.handler)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use tower::ServiceExt;

    use super::*;

    #[test]
    fn hashed_names_follow_the_run_time_setting_when_given() {
        assert!(hash_files(Some("true")));
        assert!(!hash_files(Some("false")));
    }

    #[tokio::test]
    async fn handling_past_the_deadline_answers_503() {
        let timeouts = RequestTimeouts {
            headers: Duration::from_secs(10),
            body: Duration::from_secs(10),
            handler: Duration::from_millis(100),
        };
        let app = Router::new()
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "done"
                }),
            )
            .route("/quick", get(|| async { "done" }))
            .layer(handler_deadline(timeouts));
        let status = |path: &'static str| {
            let app = app.clone();
            async move {
                let request = Request::get(path).body(Body::empty()).unwrap();
                app.oneshot(request).await.unwrap().status()
            }
        };
        assert_eq!(status("/slow").await, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(status("/quick").await, StatusCode::OK);
    }
}
