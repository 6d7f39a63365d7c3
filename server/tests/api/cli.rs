//! The `server` binary as an operator uses it.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::helpers::{file_mode, private_tempdir, server_binary};

fn server(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(server_binary());
    command.args(args);
    for name in [
        "REVERIE_ADDR",
        "DATABASE_URL",
        "REVERIE_DATA_DIR",
        "REVERIE_SECURE_COOKIES",
        "REVERIE_LOG",
        "REVERIE_LOG_FORMAT",
        "REVERIE_DATA_KEY",
        "REVERIE_DATA_KEY_FILE",
        "REVERIE_TRUSTED_PROXIES",
        "REVERIE_SEED_PASSWORD",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command
}

#[test]
fn help_describes_each_command() {
    let output = server(&["--help"], &[]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for command in ["serve", "migrate", "check-config"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn a_bad_setting_exits_2_with_one_line_naming_it() {
    for (name, value) in [
        ("REVERIE_ADDR", "not-an-address"),
        ("REVERIE_LOG_FORMAT", "xml"),
        ("REVERIE_SECURE_COOKIES", "perhaps"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("REVERIE_TRUSTED_PROXIES", "127.0.0.1, 10.1.2.3/8"),
    ] {
        for args in [
            &[][..],
            &["serve"][..],
            &["migrate"][..],
            &["check-config"][..],
        ] {
            let output = server(args, &[(name, value)]).output().unwrap();
            assert_eq!(output.status.code(), Some(2), "{name}={value} {args:?}");
            let stderr = String::from_utf8(output.stderr).unwrap();
            assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
            assert!(stderr.contains(name), "{stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn check_config_prints_the_settings_without_secrets() {
    let output = server(
        &["check-config"],
        &[
            (
                "DATABASE_URL",
                "postgres://reverie:pa55word@db.example/reverie",
            ),
            ("REVERIE_DATA_KEY", &"5e".repeat(32)),
        ],
    )
    .output()
    .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains(&"5e".repeat(32)), "{stdout}");
    assert!(stdout.contains("db.example/reverie"), "{stdout}");
    assert!(!stdout.contains("pa55word"), "{stdout}");
}

#[test]
fn migrate_creates_the_sqlite_database_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    migrate_in(&data_dir);
    assert!(data_dir.join("reverie.db").exists());
}

/// `server migrate` with its data in `data_dir`, which must succeed.
fn migrate_in(data_dir: &std::path::Path) {
    let output = server(
        &["migrate"],
        &[("REVERIE_DATA_DIR", data_dir.to_str().unwrap())],
    )
    .output()
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn sigterm_and_sigint_stop_the_server_cleanly_within_ten_seconds() {
    for signal in ["TERM", "INT"] {
        let dir = private_tempdir();
        let mut child = serving(&dir, Stdio::null());
        let (_, address) = log_lines(child.stdout.take().unwrap());
        let response = std::net::TcpStream::connect(&address);
        assert!(response.is_ok(), "server accepts connections at {address}");

        let started = Instant::now();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = wait_with_timeout(&mut child, Duration::from_secs(10));
        assert_eq!(
            exit.and_then(|status| status.code()),
            Some(0),
            "SIG{signal}: exit 0"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

#[test]
fn tokens_and_search_words_never_reach_the_log() {
    let dir = private_tempdir();
    let mut child = serving(&dir, Stdio::piped());
    let (lines, address) = log_lines(child.stdout.take().unwrap());
    let token = "Zq8YkM2x0V7tL1cR9sA4nE6uH3jD5fG0bW2zP8yT1kQ";
    for path in [
        format!("/invite/{token}"),
        format!("/reset/{token}"),
        "/search?words=lighthousedream".to_string(),
    ] {
        get(&address, &path);
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    wait_with_timeout(&mut child, Duration::from_secs(10));
    let mut log = lines.lock().unwrap().join("\n");
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut log).unwrap();
    assert!(log.contains("/invite/…"), "the request is logged: {log}");
    assert!(!log.contains(token), "a token in the log: {log}");
    assert!(
        !log.contains("lighthousedream"),
        "search words in the log: {log}"
    );
}

/// Sends a plain GET and reads the answer to its end.
fn get(address: &str, path: &str) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
}

/// Every line the server writes to standard output, as it comes, and the
/// address it announces.
fn log_lines(
    stdout: std::process::ChildStdout,
) -> (std::sync::Arc<std::sync::Mutex<Vec<String>>>, String) {
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (sender, receiver) = std::sync::mpsc::channel();
    let collected = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://").nth(1) {
                let address: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
                let _ = sender.send(address);
            }
            collected.lock().unwrap().push(line);
        }
    });
    let address = receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("the server logs its address");
    (lines, address)
}

/// `server serve` on any free port with its data in `dir`, logging at
/// info to a piped standard output.
fn serving(dir: &tempfile::TempDir, stderr: Stdio) -> std::process::Child {
    serving_with(
        &[("REVERIE_DATA_DIR", dir.path().to_str().unwrap())],
        stderr,
    )
}

/// `server serve` on any free port with `settings`, logging at info to a
/// piped standard output.
fn serving_with(settings: &[(&str, &str)], stderr: Stdio) -> std::process::Child {
    server(
        &["serve"],
        &[("REVERIE_ADDR", "127.0.0.1:0"), ("REVERIE_LOG", "info")],
    )
    .envs(settings.iter().copied())
    .stdout(Stdio::piped())
    .stderr(stderr)
    .spawn()
    .unwrap()
}

fn wait_with_timeout(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

#[test]
fn seed_fills_a_new_database_once_and_prints_how_to_sign_in() {
    let dir = private_tempdir();
    let data_dir = dir.path().to_str().unwrap();
    let output = server(&["seed", "--demo"], &[("REVERIE_DATA_DIR", data_dir)])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "therapist@demo.example",
        "supervisor@demo.example",
        "(generated; set REVERIE_SEED_PASSWORD",
    ] {
        assert!(stdout.contains(expected), "{stdout}");
    }

    // Never twice: the accounts there might be real.
    let output = server(
        &["seed", "--demo"],
        &[
            ("REVERIE_DATA_DIR", data_dir),
            ("REVERIE_SEED_PASSWORD", "lantern orchard velvet compass"),
        ],
    )
    .output()
    .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("already has accounts"), "{stderr}");

    let other = private_tempdir();
    let output = server(
        &[
            "seed",
            "--seed",
            "5",
            "--therapists",
            "1",
            "--cases-per-therapist",
            "1",
            "--sessions-per-case",
            "3",
            "--long-therapist-years",
            "0",
        ],
        &[
            ("REVERIE_DATA_DIR", other.path().to_str().unwrap()),
            ("REVERIE_SEED_PASSWORD", "lantern orchard velvet compass"),
        ],
    )
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    for expected in [
        "Seeded 3 reflections in 1 cases",
        "therapist-001@seed.example",
        "supervisor-01@seed.example",
        "password lantern orchard velvet compass (from REVERIE_SEED_PASSWORD)",
    ] {
        assert!(stdout.contains(expected), "{stdout}");
    }
}

#[test]
fn create_admin_takes_the_password_from_the_environment_or_standard_input() {
    let dir = private_tempdir();
    let data_dir = dir.path().to_str().unwrap();
    let output = server(
        &[
            "create-admin",
            "--email",
            "Root@Example.org",
            "--name",
            "Rita Root",
        ],
        &[
            ("REVERIE_DATA_DIR", data_dir),
            ("REVERIE_ADMIN_PASSWORD", "lantern orchard velvet compass"),
        ],
    )
    .output()
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("root@example.org"));

    // The same address again is refused.
    let again = server(
        &[
            "create-admin",
            "--email",
            "root@example.org",
            "--name",
            "Rita Root",
        ],
        &[
            ("REVERIE_DATA_DIR", data_dir),
            ("REVERIE_ADMIN_PASSWORD", "lantern orchard velvet compass"),
        ],
    )
    .output()
    .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    let mut child = server(
        &[
            "create-admin",
            "--email",
            "second@example.org",
            "--name",
            "Sam",
        ],
        &[("REVERIE_DATA_DIR", data_dir)],
    )
    .env_remove("REVERIE_ADMIN_PASSWORD")
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"quiet harbour lemon typewriter\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn create_admin_refuses_a_weak_password_with_the_reason() {
    let dir = private_tempdir();
    let output = server(
        &[
            "create-admin",
            "--email",
            "root@example.org",
            "--name",
            "Rita",
        ],
        &[
            ("REVERIE_DATA_DIR", dir.path().to_str().unwrap()),
            ("REVERIE_ADMIN_PASSWORD", "password1"),
        ],
    )
    .output()
    .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("password:"), "{stderr}");
    assert!(
        !dir.path().join("reverie.db").exists(),
        "nothing is created for a refused password"
    );
}

#[test]
fn check_identifiers_answers_each_json_line_even_without_configuration() {
    use std::io::Write;
    // A bad setting does not matter: the check reads no configuration.
    let mut child = server(
        &["check-identifiers"],
        &[("REVERIE_ADDR", "not-an-address")],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .spawn()
    .unwrap();
    let input = concat!(
        r#"{"id": 1, "text": "Maria’s new number is (617) 555-0142.", "names_to_watch": ["Maria"]}"#,
        "\n",
        "{\"id\": 2, \"text\": ",
        "\n",
        r#"{"id": "x", "text": "Her PHQ-9 score of 14 in session 12, aged 91."}"#,
        "\n",
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "a refused line makes the exit code 1"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            serde_json::json!({"id": 1, "spans": [
                {"start": 0, "end": 7, "class": "name"},
                {"start": 22, "end": 36, "class": "phone"}
            ]}),
            serde_json::json!({"line": 2, "error": lines[1]["error"]}),
            serde_json::json!({"id": "x", "spans": [{"start": 42, "end": 44, "class": "age_over_89"}]}),
        ]
    );
    assert!(lines[1]["error"].as_str().unwrap().contains("text"));
}

#[test]
fn rotate_key_reseals_with_the_first_key_and_then_the_old_key_alone_is_refused() {
    let data_dir = private_tempdir();
    let data_dir = data_dir.path().to_str().unwrap();
    let (new_key, old_key) = ("5e".repeat(32), "01".repeat(32));
    let both = format!("{new_key},{old_key}");
    let rotate = |keys: &str| {
        server(
            &["rotate-key"],
            &[
                ("REVERIE_DATA_DIR", data_dir),
                ("REVERIE_DATA_KEY", keys),
                ("REVERIE_LOG", "warn"),
            ],
        )
        .output()
        .unwrap()
    };

    let output = rotate(&old_key);
    assert!(output.status.success(), "{output:?}");
    let output = rotate(&both);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("Re-sealed 0 values"), "{stdout}");
    assert!(stdout.contains("Remove the other key"), "{stdout}");

    let output = rotate(&old_key);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("was not given"), "{stderr}");
    assert!(
        !stderr.contains(&old_key) && !stderr.contains(&new_key),
        "no key in messages: {stderr}"
    );
    assert!(rotate(&new_key).status.success());
}

fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn the_data_directory_database_and_key_file_are_created_private() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let key_file = root.path().join("keys").join("reverie.key");
    let settings = [
        ("REVERIE_DATA_DIR", data.to_str().unwrap()),
        ("REVERIE_DATA_KEY_FILE", key_file.to_str().unwrap()),
    ];
    let mut child = serving_with(&settings, Stdio::null());
    let (lines, _) = log_lines(child.stdout.take().unwrap());
    assert_eq!(file_mode(&data), 0o700, "the data directory");
    assert_eq!(
        file_mode(&root.path().join("keys")),
        0o700,
        "the key's directory"
    );
    assert_eq!(file_mode(&key_file), 0o600, "the key file");
    // While the server runs, SQLite's write-ahead log and its index exist.
    for file in ["reverie.db", "reverie.db-wal", "reverie.db-shm"] {
        assert_eq!(file_mode(&data.join(file)), 0o600, "{file}");
    }
    assert!(
        !data.join("data.key").exists(),
        "the key is where REVERIE_DATA_KEY_FILE says, not in the data directory"
    );
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    wait_with_timeout(&mut child, Duration::from_secs(10));
    let log = lines.lock().unwrap().join("\n");
    assert!(log.contains(key_file.to_str().unwrap()), "{log}");
}

#[test]
fn an_open_data_directory_or_key_file_stops_the_server_with_the_fix() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let key_file = data.join("data.key");
    std::fs::write(&key_file, "7e".repeat(32)).unwrap();
    chmod(&data, 0o755);
    chmod(&key_file, 0o644);
    let data_dir = data.to_str().unwrap();
    let refusal = |args: &[&str]| {
        let output = server(
            args,
            &[
                ("REVERIE_DATA_DIR", data_dir),
                ("REVERIE_ADDR", "127.0.0.1:0"),
            ],
        )
        .output()
        .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    for args in [&["serve"][..], &["migrate"][..]] {
        assert_eq!(
            refusal(args).trim_end(),
            format!(
                "reverie: the data directory {data_dir} is readable by its group, readable by \
                 others (mode 755); make it private with: chmod 700 {data_dir}"
            )
        );
    }
    assert!(!data.join("reverie.db").exists(), "nothing was opened");

    chmod(&data, 0o700);
    let key = key_file.display();
    assert_eq!(
        refusal(&["serve"]).trim_end(),
        format!(
            "reverie: the data key file {key} is readable by its group, readable by others \
             (mode 644); make it private with: chmod 600 {key}"
        )
    );

    chmod(&key_file, 0o600);
    migrate_in(&data);
}
