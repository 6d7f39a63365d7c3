//! At start the server refuses to run while the data directory or the data
//! key file can be read or written by anyone but their owner: the key opens
//! every clinical text, and the directory holds the database and its `-wal`
//! file (recent writes). New ones are created private (see
//! `app::server::private_files`); this catches those made or changed by hand.

use std::path::{Path, PathBuf};

use app::server::{
    private_files::{PRIVATE_DIR_MODE, PRIVATE_FILE_MODE},
    repo::DatabaseLocation,
};

use crate::config::{Config, DataKeySource};

/// A path that others can use, with what to run to make it private.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the {what} {shown} is {exposure} (mode {mode:03o}); make it private with: chmod {fix:o} {shown}",
    shown = .path.display()
)]
pub struct OpenToOthers {
    pub what: &'static str,
    pub path: PathBuf,
    pub mode: u32,
    pub exposure: String,
    pub fix: u32,
}

/// Who besides the owner may read or write a file of `mode`, in words, or
/// `None` when nobody may.
pub fn exposure(mode: u32) -> Option<String> {
    let who = [
        (0o040, "readable by its group"),
        (0o020, "writable by its group"),
        (0o004, "readable by others"),
        (0o002, "writable by others"),
    ];
    let found: Vec<&str> = who
        .iter()
        .filter(|(bit, _)| mode & bit != 0)
        .map(|(_, words)| *words)
        .collect();
    (!found.is_empty()).then(|| found.join(", "))
}

/// The directory of the SQLite database (named the data directory when it
/// is that) and the data key file, where the configuration uses them.
fn private_paths(config: &Config) -> Vec<(&'static str, PathBuf, u32)> {
    let mut paths = Vec::new();
    if let DatabaseLocation::SqliteFile(database) = &config.database {
        let directory = match database.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let what = if same_path(&directory, &config.data_dir) {
            "data directory"
        } else {
            "database directory"
        };
        paths.push((what, directory, PRIVATE_DIR_MODE));
    }
    if let DataKeySource::File(key_file) = &config.data_key {
        paths.push(("data key file", key_file.clone(), PRIVATE_FILE_MODE));
    }
    paths
}

fn same_path(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// Refuses a data directory or key file that group or others may read or
/// write. Paths that do not exist yet pass: they are created private.
#[cfg(unix)]
pub fn check_private_paths(config: &Config) -> Result<(), OpenToOthers> {
    use std::os::unix::fs::PermissionsExt;
    for (what, path, fix) in private_paths(config) {
        let Ok(metadata) = std::fs::metadata(&path) else {
            continue;
        };
        let mode = metadata.permissions().mode() & 0o777;
        if let Some(exposure) = exposure(mode) {
            return Err(OpenToOthers {
                what,
                path,
                mode,
                exposure,
                fix,
            });
        }
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_private_paths(_config: &Config) -> Result<(), OpenToOthers> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn config_for(data_dir: &Path, key_file: Option<&Path>) -> Config {
        let data_dir = data_dir.to_str().unwrap().to_string();
        let key_file = key_file.map(|path| path.to_str().unwrap().to_string());
        Config::from_lookup(|name| match name {
            crate::config::DATA_DIR => Some(data_dir.clone()),
            crate::config::DATA_KEY_FILE => key_file.clone(),
            _ => None,
        })
        .unwrap()
    }

    fn chmod(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn only_group_and_other_read_and_write_bits_count() {
        for private in [0o600, 0o700, 0o400, 0o711, 0o610] {
            assert_eq!(exposure(private), None, "{private:o}");
        }
        assert_eq!(
            exposure(0o644).as_deref(),
            Some("readable by its group, readable by others")
        );
        assert_eq!(exposure(0o602).as_deref(), Some("writable by others"));
        assert_eq!(
            exposure(0o770).as_deref(),
            Some("readable by its group, writable by its group")
        );
    }

    #[test]
    fn an_open_data_directory_or_key_file_is_refused_with_the_fix() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let keys = root.path().join("keys");
        std::fs::create_dir(&data).unwrap();
        std::fs::create_dir(&keys).unwrap();
        let key_file = keys.join("data.key");
        std::fs::write(&key_file, "key").unwrap();
        chmod(&data, 0o755);
        chmod(&key_file, 0o644);
        let config = config_for(&data, Some(&key_file));

        let error = check_private_paths(&config).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "the data directory {0} is readable by its group, readable by others \
                 (mode 755); make it private with: chmod 700 {0}",
                data.display()
            )
        );
        chmod(&data, 0o700);
        let error = check_private_paths(&config).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "the data key file {0} is readable by its group, readable by others \
                 (mode 644); make it private with: chmod 600 {0}",
                key_file.display()
            )
        );
        chmod(&key_file, 0o600);
        assert_eq!(check_private_paths(&config), Ok(()));
    }

    #[test]
    fn the_default_key_file_in_the_data_directory_is_checked_and_missing_paths_pass() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let config = config_for(&data, None);
        assert_eq!(check_private_paths(&config), Ok(()), "nothing exists yet");

        std::fs::create_dir(&data).unwrap();
        chmod(&data, 0o700);
        std::fs::write(data.join("data.key"), "key").unwrap();
        chmod(&data.join("data.key"), 0o660);
        let error = check_private_paths(&config).unwrap_err();
        assert_eq!(error.what, "data key file");
        assert_eq!(error.path, data.join("data.key"));
        assert_eq!(error.fix, 0o600);
    }
}
