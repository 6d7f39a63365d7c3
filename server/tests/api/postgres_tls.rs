//! PostgreSQL over TLS, against a throwaway PostgreSQL server this test
//! starts itself (`initdb` and `pg_ctl` in a temporary directory, on a free
//! port, as the `postgres` user when run as root) with a certificate made
//! here, signed by a certificate authority made here: the machine's shared
//! PostgreSQL is left alone.
//!
//! - The real app, given `sslmode=verify-full&sslrootcert=<that authority>`
//!   in `DATABASE_URL`, starts, migrates, answers `/readyz`, and the server
//!   reports its connection as TLS.
//! - `sslmode=require` against the same server without TLS fails.
//! - `verify-full` fails with another authority as the root, and for a
//!   host name the certificate does not name (and so does `verify-ca`).
//!
//! Outside CI the test is skipped (saying so) when PostgreSQL's server
//! programs are not installed; in CI it fails. Its name has `postgres::` in
//! it, so `.ci/test` skips it with the other PostgreSQL tests when told to.

mod postgres {
    use std::{
        net::TcpListener,
        os::unix::fs::{MetadataExt, PermissionsExt},
        path::{Path, PathBuf},
        process::Command,
    };

    use app::server::repo::{Database, DatabaseLocation, RepoError};
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    use server::startup::Application;
    use tempfile::TempDir;

    use crate::helpers::{http_client, test_config};

    /// Where Debian (and the CI machine) keeps PostgreSQL's server
    /// programs: the newest version's `bin` folder holding `initdb` and
    /// `pg_ctl`.
    fn server_programs() -> Option<PathBuf> {
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|entry| {
                let entry = entry.ok()?;
                let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
                let bin = entry.path().join("bin");
                (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
                    .then_some((version, bin))
            })
            .collect();
        found.sort();
        found.pop().map(|(_, bin)| bin)
    }

    /// A certificate authority, a server certificate it signed for
    /// `localhost` only, and an unrelated authority, as PEM files.
    struct Certificates {
        authority: PathBuf,
        other_authority: PathBuf,
        server_certificate: PathBuf,
        server_key: PathBuf,
    }

    fn authority(name: &str) -> (CertificateParams, KeyPair) {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("parameters");
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        (params, KeyPair::generate().expect("key"))
    }

    fn make_certificates(dir: &Path) -> Certificates {
        let (authority_params, authority_key) = authority("Reverie test authority");
        let authority_certificate = authority_params
            .self_signed(&authority_key)
            .expect("authority certificate");
        let (other_params, other_key) = authority("Some other authority");
        let other_certificate = other_params
            .self_signed(&other_key)
            .expect("other authority certificate");

        let server_key = KeyPair::generate().expect("key");
        let mut server_params =
            CertificateParams::new(vec!["localhost".to_string()]).expect("parameters");
        server_params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let issuer = Issuer::new(authority_params, authority_key);
        let server_certificate = server_params
            .signed_by(&server_key, &issuer)
            .expect("server certificate");

        let write = |name: &str, contents: String| {
            let path = dir.join(name);
            std::fs::write(&path, contents).expect("write a certificate file");
            path
        };
        Certificates {
            authority: write("authority.pem", authority_certificate.pem()),
            other_authority: write("other-authority.pem", other_certificate.pem()),
            server_certificate: write("server.pem", server_certificate.pem()),
            server_key: write("server.key", server_key.serialize_pem()),
        }
    }

    /// A PostgreSQL cluster in a temporary directory, stopped (at once)
    /// and removed when dropped.
    struct ThrowawayPostgres {
        programs: PathBuf,
        dir: TempDir,
        port: u16,
        /// PostgreSQL refuses to run as root: then it runs as `postgres`.
        as_postgres: bool,
    }

    impl ThrowawayPostgres {
        fn init(programs: PathBuf) -> Self {
            let dir = tempfile::tempdir().expect("temporary directory");
            let as_postgres = std::fs::metadata("/proc/self").expect("/proc").uid() == 0;
            if as_postgres {
                give_to_postgres(dir.path());
            }
            // Any free port: taken and let go at once.
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|listener| listener.local_addr())
                .expect("a free port")
                .port();
            let cluster = ThrowawayPostgres {
                programs,
                dir,
                port,
                as_postgres,
            };
            let data = cluster.data();
            cluster.run(
                "initdb",
                &[
                    "-D",
                    data.as_str(),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-sync",
                ],
            );
            cluster
        }

        fn data(&self) -> String {
            self.dir.path().join("data").display().to_string()
        }

        fn run(&self, program: &str, args: &[&str]) {
            let program = self.programs.join(program);
            let mut command = if self.as_postgres {
                let mut command = Command::new("runuser");
                command.args(["-u", "postgres", "--"]).arg(&program);
                command
            } else {
                Command::new(&program)
            };
            let output = command
                .args(args)
                .current_dir(self.dir.path())
                .output()
                .unwrap_or_else(|error| panic!("cannot run {}: {error}", program.display()));
            assert!(
                output.status.success(),
                "{} {args:?} failed: {}{}",
                program.display(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }

        /// Starts the server on `localhost`, with TLS from `tls` (its
        /// certificate and key) or without.
        fn start(&self, tls: Option<&Certificates>) {
            let mut options = format!(
                "-c port={} -c listen_addresses=localhost -c unix_socket_directories={}",
                self.port,
                self.dir.path().display()
            );
            match tls {
                Some(certificates) => {
                    for file in [&certificates.server_certificate, &certificates.server_key] {
                        if self.as_postgres {
                            give_to_postgres(file);
                        }
                        // PostgreSQL refuses a key others can read.
                        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
                            .expect("permissions");
                    }
                    options.push_str(&format!(
                        " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                        certificates.server_certificate.display(),
                        certificates.server_key.display()
                    ));
                }
                None => options.push_str(" -c ssl=off"),
            }
            let log = self.dir.path().join("server.log").display().to_string();
            let data = self.data();
            self.run(
                "pg_ctl",
                &[
                    "-D",
                    data.as_str(),
                    "-l",
                    log.as_str(),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options.as_str(),
                    "start",
                ],
            );
        }

        fn stop(&self) {
            let data = self.data();
            self.run("pg_ctl", &["-D", data.as_str(), "-m", "fast", "-w", "stop"]);
        }

        /// `postgres://postgres@<host>:<port>/postgres?<query>`.
        fn url(&self, host: &str, query: &str) -> String {
            format!("postgres://postgres@{host}:{}/postgres?{query}", self.port)
        }
    }

    impl Drop for ThrowawayPostgres {
        fn drop(&mut self) {
            let program = self.programs.join("pg_ctl");
            let data = self.data();
            let args = ["-D", data.as_str(), "-m", "immediate", "stop"];
            let _ = if self.as_postgres {
                Command::new("runuser")
                    .args(["-u", "postgres", "--"])
                    .arg(&program)
                    .args(args)
                    .output()
            } else {
                Command::new(&program).args(args).output()
            };
        }
    }

    /// Makes `path` the `postgres` user's (tests run as root here).
    fn give_to_postgres(path: &Path) {
        let passwd = std::fs::read_to_string("/etc/passwd").expect("/etc/passwd");
        let (uid, gid) = passwd
            .lines()
            .find_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                (fields.first() == Some(&"postgres"))
                    .then(|| (fields[2].parse().ok(), fields[3].parse().ok()))
            })
            .expect("a postgres user (PostgreSQL's server package makes it)");
        std::os::unix::fs::chown(path, uid, gid).expect("chown to postgres");
    }

    /// Connects with our own connection code, as the app does.
    async fn connect(url: String) -> Result<Database, RepoError> {
        Database::connect(&DatabaseLocation::Postgres(url)).await
    }

    /// Asserts the connection was refused for the reason given (a part of
    /// the error's text), not for some other failure.
    fn assert_refused(result: Result<Database, RepoError>, what: &str, reason: &str) {
        match result {
            Err(error @ RepoError::Connect { .. }) => {
                let text = error.to_string();
                assert!(
                    text.contains(reason),
                    "{what}: expected {reason:?}, got: {text}"
                );
            }
            Err(other) => panic!("{what}: failed, but not connecting: {other}"),
            Ok(_) => panic!("{what}: connected"),
        }
    }

    /// Whether the server reports the connection the query runs on as TLS,
    /// and with which protocol version.
    async fn ssl_of(database: &Database) -> (bool, Option<String>) {
        let Database::Postgres(pool) = database else {
            panic!("not PostgreSQL");
        };
        sqlx::query_as("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(pool)
            .await
            .expect("pg_stat_ssl")
    }

    #[tokio::test]
    async fn the_app_reaches_postgres_over_tls_and_checks_its_certificate() {
        let Some(programs) = server_programs() else {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "PostgreSQL's server programs (initdb, pg_ctl) are not in \
                     /usr/lib/postgresql/*/bin: the TLS test cannot run"
                );
            }
            eprintln!(
                "SKIPPED: PostgreSQL's server programs are not installed \
                 (/usr/lib/postgresql/*/bin); the TLS test needs them"
            );
            return;
        };
        let cluster = ThrowawayPostgres::init(programs);
        let certificates = make_certificates(cluster.dir.path());
        let verified = |host: &str, mode: &str, root: &Path| {
            cluster.url(
                host,
                &format!("sslmode={mode}&sslrootcert={}", root.display()),
            )
        };

        // Without TLS on the server: `require` refuses to go on in clear.
        cluster.start(None);
        let clear = connect(cluster.url("localhost", "sslmode=disable"))
            .await
            .expect("the server answers without TLS");
        assert!(!ssl_of(&clear).await.0, "sslmode=disable goes in clear");
        clear.close().await;
        assert_refused(
            connect(cluster.url("localhost", "sslmode=require")).await,
            "sslmode=require without TLS on the server",
            "server does not support TLS",
        );
        cluster.stop();

        cluster.start(Some(&certificates));
        // The real app, configured by DATABASE_URL as an operator would.
        let url = verified("localhost", "verify-full", &certificates.authority);
        let config = test_config(&[("DATABASE_URL", &url)]);
        let application = Application::build(&config)
            .await
            .expect("the app starts on PostgreSQL over verified TLS");
        let database = application.database().clone();
        let address = format!("http://{}", application.local_addr());
        tokio::spawn(application.serve_until(std::future::pending()));
        let ready = http_client()
            .get(format!("{address}/readyz"))
            .send()
            .await
            .expect("readyz");
        assert_eq!(ready.status(), 200);
        let (ssl, version) = ssl_of(&database).await;
        assert!(ssl, "the server reports the app's connection as TLS");
        assert!(
            version.as_deref().is_some_and(|v| v.starts_with("TLSv1.")),
            "{version:?}"
        );

        // Another authority's certificate is not trusted.
        assert_refused(
            connect(verified(
                "localhost",
                "verify-full",
                &certificates.other_authority,
            ))
            .await,
            "verify-full with another authority as the root",
            "invalid peer certificate: UnknownIssuer",
        );
        // The certificate names localhost, not 127.0.0.1: verify-full
        // refuses. So does verify-ca, which libpq lets through: sqlx's
        // rustls verifier still checks the name (the README says so).
        for mode in ["verify-full", "verify-ca"] {
            assert_refused(
                connect(verified("127.0.0.1", mode, &certificates.authority)).await,
                &format!("{mode} for a name the certificate does not have"),
                "127.0.0.1",
            );
        }
        database.close().await;
    }
}
