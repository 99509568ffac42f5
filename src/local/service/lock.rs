//! The data directory's engine lock: an advisory lock on `engine.lock`, held by the engine for
//! its whole life. The operating system drops it when the engine dies, even on kill -9, so a
//! stale lock cannot exist (a pid file can lie; a lock cannot). The lock is the source of
//! truth for "is an engine running here": the holder writes its pid in the file, so
//! `engine status` and `engine stop` find it even when `engine.json` is damaged.
//!
//! A lock file can be deleted while held, and a new one made beside it would lock fine; so on
//! Unix the engine also locks the database file itself (`engine.db`; SQLite's own locks are of
//! another kind and are not disturbed), and a second engine never opens a database another
//! process holds. The holder puts a deleted lock file back ([`DataDirLock::repair`]).

use std::{
    fs::File,
    io::{self, Write},
    path::{Path, PathBuf},
    sync::Mutex,
};

use crate::local::private;

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "engine.lock";
/// The engine's database, locked too (see the module's doc).
pub const DB_FILE: &str = "engine.db";

/// Holding this means being the one engine of the data directory; dropping it lets the next
/// engine in.
#[derive(Debug)]
pub struct DataDirLock {
    data_dir: PathBuf,
    /// The lock file(s) held: the first, and any put back after a deletion.
    files: Mutex<Vec<File>>,
    #[cfg(unix)]
    _database: File,
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another engine is using the data directory {0}; see it with `sequentum-mcp engine status`, stop it with `sequentum-mcp engine stop`, or choose another --data-dir"
    )]
    Held(PathBuf),
    #[error("could not lock the data directory {path}: {error}")]
    Io { path: PathBuf, error: io::Error },
}

impl DataDirLock {
    /// Takes the lock without waiting (the data directory must exist), then writes this
    /// process's pid in the lock file.
    pub fn acquire(data_dir: &Path) -> Result<DataDirLock, LockError> {
        let file = try_lock(data_dir, &data_dir.join(LOCK_FILE))?;
        #[cfg(unix)]
        let database = try_lock(data_dir, &data_dir.join(DB_FILE))?;
        let lock = DataDirLock {
            data_dir: data_dir.to_path_buf(),
            files: Mutex::new(Vec::new()),
            #[cfg(unix)]
            _database: database,
        };
        lock.hold(file);
        Ok(lock)
    }

    /// Keeps `file` locked and says who holds it.
    fn hold(&self, mut file: File) {
        let pid = std::process::id().to_string();
        if let Err(e) = file
            .set_len(0)
            .and_then(|()| file.write_all(pid.as_bytes()))
        {
            tracing::warn!(error = %e, "could not write the pid in the engine's lock file");
        }
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file);
    }

    /// Puts the lock file back, locked and with this pid, if it was deleted or replaced while
    /// held; whether it did.
    pub fn repair(&self) -> bool {
        let path = self.data_dir.join(LOCK_FILE);
        let current = std::fs::metadata(&path).ok();
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if current.is_some_and(|now| files.iter().any(|held| same_file(held, &now))) {
            return false;
        }
        drop(files);
        match try_lock(&self.data_dir, &path) {
            Ok(file) => {
                self.hold(file);
                tracing::warn!("the engine's lock file was deleted; it is back");
                true
            }
            // Another process probing or losing the race holds it for an instant: next time.
            Err(_) => false,
        }
    }
}

/// Opens `path` (0600, created if missing) and locks it without waiting.
fn try_lock(data_dir: &Path, path: &Path) -> Result<File, LockError> {
    let io = |error| LockError::Io {
        path: path.to_path_buf(),
        error,
    };
    let file = private::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io)?;
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => Ok(file),
        Err(fs4::TryLockError::WouldBlock) => Err(LockError::Held(data_dir.to_path_buf())),
        Err(fs4::TryLockError::Error(e)) => Err(io(e)),
    }
}

#[cfg(unix)]
fn same_file(held: &File, now: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    held.metadata()
        .is_ok_and(|m| m.dev() == now.dev() && m.ino() == now.ino())
}

#[cfg(not(unix))]
fn same_file(_held: &File, _now: &std::fs::Metadata) -> bool {
    // A held file cannot be deleted on Windows.
    true
}

/// The pid of the engine holding the data directory's lock, if one does.
pub fn holder(data_dir: &Path) -> Option<u32> {
    if !is_held(data_dir) {
        return None;
    }
    std::fs::read_to_string(data_dir.join(LOCK_FILE))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Whether an engine holds the data directory's lock right now. Probing takes the lock for an
/// instant, so it is for people and tests waiting on an engine to go, not for hot paths.
pub fn is_held(data_dir: &Path) -> bool {
    matches!(DataDirLock::acquire(data_dir), Err(LockError::Held(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path()).unwrap();
        assert!(matches!(
            DataDirLock::acquire(dir.path()),
            Err(LockError::Held(_))
        ));
        assert!(is_held(dir.path()));
        assert_eq!(holder(dir.path()), Some(std::process::id()));
        drop(first);
        assert!(!is_held(dir.path()));
        DataDirLock::acquire(dir.path()).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_deleted_lock_file_does_not_let_a_second_holder_in_and_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path()).unwrap();
        std::fs::remove_file(dir.path().join(LOCK_FILE)).unwrap();
        // The database's own lock still refuses a second engine.
        assert!(matches!(
            DataDirLock::acquire(dir.path()),
            Err(LockError::Held(_))
        ));
        assert!(first.repair(), "the holder puts its lock file back");
        assert!(!first.repair(), "once");
        assert_eq!(holder(dir.path()), Some(std::process::id()));
    }
}
