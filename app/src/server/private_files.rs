//! Files that hold clinical data or the key to it (the SQLite database, its
//! `-wal` and `-shm` files, the data key file, backups) are created readable
//! and writable by their owner only, and so are the directories they are
//! created in, whatever the process's umask.

use std::{fs::File, io, path::Path};

/// Mode of a directory made for private files: `rwx------`.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
/// Mode of a private file: `rw-------`.
pub const PRIVATE_FILE_MODE: u32 = 0o600;

/// Creates `dir` and its missing parents with mode 0700; directories that
/// exist already are left as they are.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, PRIVATE_DIR_MODE);
    builder.create(dir)
}

/// Creates a new, empty file at `path` with mode 0600 and opens it for
/// writing; fails with [`io::ErrorKind::AlreadyExists`] when anything is
/// there already (nothing is ever overwritten).
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE_MODE);
    options.open(path)
}

/// Makes sure the SQLite database file at `path` exists, creating its
/// directory (0700) and an empty file (0600) when missing. SQLite gives the
/// `-wal` and `-shm` files it makes beside it the database file's mode.
pub fn prepare_private_database_file(path: &Path) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    match create_private_file(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn directories_and_files_are_private_and_never_overwritten() {
        let root = tempfile::tempdir().unwrap();
        let database = root.path().join("a").join("b").join("reverie.db");
        prepare_private_database_file(&database).unwrap();
        assert_eq!(mode(&root.path().join("a")), 0o700);
        assert_eq!(mode(&root.path().join("a").join("b")), 0o700);
        assert_eq!(mode(&database), 0o600);

        std::fs::write(&database, b"kept").unwrap();
        prepare_private_database_file(&database).unwrap();
        assert_eq!(std::fs::read(&database).unwrap(), b"kept");
        let error = create_private_file(&database).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&database).unwrap(), b"kept");
    }
}
