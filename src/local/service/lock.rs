//! The data directory's engine lock: an advisory lock on `engine.lock`, held by the engine for
//! its whole life. The operating system drops it when the engine dies, even on kill -9, so a
//! stale lock cannot exist (a pid file can lie; a lock cannot).

use std::{
    fs::File,
    io,
    path::{Path, PathBuf},
};

use crate::private;

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "engine.lock";

/// Holding this means being the one engine of the data directory; dropping it lets the next
/// engine in.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another engine is using the data directory {0}; see it with `sequentum-mcp engine status`, stop it with `sequentum-mcp engine stop`, or choose another --data-dir"
    )]
    Held(PathBuf),
    #[error("could not lock the data directory {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl DataDirLock {
    /// Takes the lock without waiting (the data directory must exist).
    pub fn acquire(data_dir: &Path) -> Result<DataDirLock, LockError> {
        let path = data_dir.join(LOCK_FILE);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let file = private::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => Ok(DataDirLock { _file: file }),
            Err(fs4::TryLockError::WouldBlock) => Err(LockError::Held(data_dir.to_path_buf())),
            Err(fs4::TryLockError::Error(e)) => Err(io(e)),
        }
    }
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
        drop(first);
        assert!(!is_held(dir.path()));
        DataDirLock::acquire(dir.path()).unwrap();
    }
}
