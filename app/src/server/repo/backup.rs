//! `server backup`: a consistent copy of the SQLite database, taken while the
//! app keeps serving.
//!
//! The database runs in WAL mode, where a reader never blocks writers and
//! writers never block a reader. `VACUUM INTO` is one statement, so it reads
//! the whole database inside one read transaction: it sees one snapshot (the
//! last commit before it began) however many writes commit meanwhile, and it
//! takes no lock that makes a writer wait. (Only checkpoints cannot move past
//! that snapshot until the copy ends, so the WAL file grows for as long.)

use std::{
    io,
    path::{Path, PathBuf},
    time::Duration,
};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteConnection},
    ConnectOptions, Connection,
};

use crate::server::private_files::create_private_file;

/// How long the copy waits for SQLite's locks (only while it opens the
/// database: a reader in WAL mode otherwise waits for nobody).
const WAIT_FOR_DATABASE: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already; a backup never overwrites a file, so choose a new name")]
    TargetExists(PathBuf),
    #[error("could not create the backup file {path}: {source}")]
    CreateTarget { path: PathBuf, source: io::Error },
    #[error("there is no database at {0}")]
    NoDatabase(PathBuf),
    #[error("the backup path {0} is not valid UTF-8")]
    TargetName(PathBuf),
    #[error("could not open the database {path}: {source}")]
    Open { path: PathBuf, source: sqlx::Error },
    #[error("copying the database failed: {0}")]
    Copy(sqlx::Error),
    #[error("could not write the backup to disk: {0}")]
    Sync(io::Error),
    #[error("the backup failed its integrity check: {0}")]
    Integrity(String),
}

/// What a finished backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub bytes: u64,
}

/// Copies the SQLite database at `source` into a new file `target` (mode
/// 0600; refused when `target` exists), then checks the copy with `PRAGMA
/// integrity_check`. On any failure the partial copy is removed.
pub async fn backup_sqlite_file(
    source: &Path,
    target: &Path,
) -> Result<BackupSummary, BackupError> {
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source.to_path_buf()));
    }
    let target_name = target
        .to_str()
        .ok_or_else(|| BackupError::TargetName(target.to_path_buf()))?;
    // Created here, empty and private, so the copy never has a wider mode
    // and two backups can never write the same file: `VACUUM INTO` accepts
    // an empty file and keeps its mode.
    create_private_file(target).map_err(|source| match source.kind() {
        io::ErrorKind::AlreadyExists => BackupError::TargetExists(target.to_path_buf()),
        _ => BackupError::CreateTarget {
            path: target.to_path_buf(),
            source,
        },
    })?;
    let copied = copy_and_check(source, target, target_name).await;
    if copied.is_err() {
        let _ = std::fs::remove_file(target);
    }
    copied
}

async fn copy_and_check(
    source: &Path,
    target: &Path,
    target_name: &str,
) -> Result<BackupSummary, BackupError> {
    let mut connection = open(source).await?;
    let copied = sqlx::query("VACUUM INTO $1")
        .bind(target_name)
        .execute(&mut connection)
        .await;
    let _ = connection.close().await;
    copied.map_err(BackupError::Copy)?;

    // The copy is written without syncs; make it durable before saying so.
    let file = std::fs::File::open(target).map_err(BackupError::Sync)?;
    file.sync_all().map_err(BackupError::Sync)?;
    let bytes = file.metadata().map_err(BackupError::Sync)?.len();
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(parent)
            .and_then(|directory| directory.sync_all())
            .map_err(BackupError::Sync)?;
    }

    let mut copy = open(target).await?;
    let verdict: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut copy)
        .await
        .map_err(BackupError::Copy)?;
    let _ = copy.close().await;
    match verdict.as_slice() {
        [(ok,)] if ok == "ok" => Ok(BackupSummary { bytes }),
        problems => Err(BackupError::Integrity(
            problems
                .iter()
                .map(|(problem,)| problem.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )),
    }
}

/// One connection to an existing database file, its journal mode untouched.
async fn open(path: &Path) -> Result<SqliteConnection, BackupError> {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(WAIT_FOR_DATABASE)
        .connect()
        .await
        .map_err(|source| BackupError::Open {
            path: path.to_path_buf(),
            source,
        })
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::server::repo::{Database, DatabaseLocation};

    #[tokio::test]
    async fn the_copy_is_private_whole_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("reverie.db");
        let database = Database::connect(&DatabaseLocation::SqliteFile(source.clone()))
            .await
            .unwrap();
        database.migrate().await.unwrap();

        let target = dir.path().join("copy.db");
        let summary = backup_sqlite_file(&source, &target).await.unwrap();
        assert!(summary.bytes > 0);
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);

        std::fs::write(&target, b"an older backup").unwrap();
        let error = backup_sqlite_file(&source, &target).await.unwrap_err();
        assert!(matches!(error, BackupError::TargetExists(_)), "{error}");
        assert_eq!(std::fs::read(&target).unwrap(), b"an older backup");

        let missing = dir.path().join("missing.db");
        let error = backup_sqlite_file(&missing, &dir.path().join("other.db"))
            .await
            .unwrap_err();
        assert!(matches!(error, BackupError::NoDatabase(_)), "{error}");
        assert!(!missing.exists(), "no database is created for a backup");
        assert!(!dir.path().join("other.db").exists());
        database.close().await;
    }
}
