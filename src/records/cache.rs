//! On-disk cache of downloaded run output files.
//!
//! Output files of a terminal run never change, so paging through one should download it once,
//! not once per page. Files are keyed by agent, run and file id; the total size is bounded by
//! evicting the least recently used files (a lookup refreshes a file's modification time).
//!
//! Writers download to `<path>.partial` and rename when complete, so a file under its final name
//! is always whole. Partial files of an interrupted download are removed once they are an hour old.

use crate::id::Id;
use std::{
    fs, io,
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

/// Suffix of files still being downloaded.
const PARTIAL_SUFFIX: &str = ".partial";
/// A partial file untouched for this long belongs to a download that died.
const STALE_PARTIAL_AGE: Duration = Duration::from_secs(60 * 60);
/// Longest kept part of the original file name.
const MAX_NAME_CHARS: usize = 80;

/// Bounded directory of cached record files.
#[derive(Debug, Clone)]
pub struct FileCache {
    dir: PathBuf,
    max_bytes: u64,
}

impl FileCache {
    pub fn new(dir: PathBuf, max_bytes: u64) -> Self {
        FileCache { dir, max_bytes }
    }

    /// The cache directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the cache directory if needed; call before writing into it.
    pub fn ensure_dir(&self) -> io::Result<()> {
        crate::private::create_dir_all(&self.dir)
    }

    /// Where the file lives in the cache. The name is reduced to safe characters (the extension
    /// survives, for format detection), so a hostile name like `../../etc/passwd` stays inside.
    pub fn path_for(&self, agent_id: &Id, run_id: &Id, file_id: &Id, file_name: &str) -> PathBuf {
        self.dir.join(safe_file_name(&format!(
            "a{agent_id}_r{run_id}_f{file_id}_{file_name}"
        )))
    }

    /// The cached file, if it is there and complete. Marks it as recently used.
    pub fn lookup(
        &self,
        agent_id: &Id,
        run_id: &Id,
        file_id: &Id,
        file_name: &str,
    ) -> Option<PathBuf> {
        let path = self.path_for(agent_id, run_id, file_id, file_name);
        if !path.is_file() {
            return None;
        }
        if let Err(error) = touch(&path) {
            // Only the eviction order suffers; the file itself is fine to use.
            tracing::debug!(path = %path.display(), %error, "could not refresh cache entry time");
        }
        Some(path)
    }

    /// Removes least recently used files until the total size is at most `max_bytes`, never
    /// removing `keep` (the file just written), and removes stale partial downloads. Returns the
    /// number of bytes freed.
    pub fn evict(&self, keep: &Path) -> io::Result<u64> {
        let now = SystemTime::now();
        let mut freed = 0;
        let mut entries = Vec::new();
        let dir = match fs::read_dir(&self.dir) {
            Ok(dir) => dir,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        for entry in dir {
            let entry = entry?;
            let meta = match entry.metadata() {
                Ok(meta) if meta.is_file() => meta,
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            let modified = meta.modified()?;
            let path = entry.path();
            if entry
                .file_name()
                .to_string_lossy()
                .ends_with(PARTIAL_SUFFIX)
            {
                let age = now.duration_since(modified).unwrap_or_default();
                if age >= STALE_PARTIAL_AGE {
                    freed += remove(&path, meta.len())?;
                }
                continue;
            }
            entries.push((modified, meta.len(), path));
        }
        let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
        entries.sort_by_key(|(modified, _, _)| *modified);
        for (_, len, path) in entries {
            if total <= self.max_bytes {
                break;
            }
            if path == keep {
                continue;
            }
            let removed = remove(&path, len)?;
            freed += removed;
            total -= len;
        }
        Ok(freed)
    }
}

/// Removes a file, treating "already gone" (another process evicted it) as success.
fn remove(path: &Path, len: u64) -> io::Result<u64> {
    match fs::remove_file(path) {
        Ok(()) => Ok(len),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e),
    }
}

fn touch(path: &Path) -> io::Result<()> {
    fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(SystemTime::now())
}

/// Keeps ASCII letters, digits, `.`, `-` and `_`; anything else becomes `_`. Leading dots are
/// dropped (no hidden files, no `..`), the length is capped keeping the extension, and the
/// partial-download suffix is never produced.
fn safe_file_name(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut safe = mapped.trim_start_matches('.').to_string();
    if safe.len() > MAX_NAME_CHARS {
        let ext = safe
            .rfind('.')
            .map(|i| safe[i..].to_string())
            .filter(|e| e.len() <= 16);
        let ext = ext.unwrap_or_default();
        safe.truncate(MAX_NAME_CHARS - ext.len());
        safe.push_str(&ext);
    }
    if safe.ends_with(PARTIAL_SUFFIX) {
        safe.push('_');
    }
    if safe.is_empty() {
        "file".to_string()
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(cache: &FileCache, file_id: i64, len: usize, age_secs: u64) -> PathBuf {
        let path = cache.path_for(&Id::Num(1), &Id::Num(2), &Id::Num(file_id), "out.csv");
        fs::write(&path, vec![b'x'; len]).unwrap();
        set_age(&path, age_secs);
        path
    }

    fn set_age(path: &Path, age_secs: u64) {
        let when = SystemTime::now() - Duration::from_secs(age_secs);
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }

    #[test]
    fn hostile_names_stay_inside_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FileCache::new(dir.path().to_path_buf(), 1000);
        for name in [
            "../../etc/passwd",
            "..",
            "/abs/path.csv",
            "a\\b\0c.json",
            "",
            "x.partial",
            "\u{202e}vsc.exe",
        ] {
            let path = cache.path_for(&Id::Num(1), &Id::Num(2), &Id::Num(3), name);
            assert_eq!(
                path.parent(),
                Some(dir.path()),
                "{name:?} -> {}",
                path.display()
            );
            let file = path.file_name().unwrap().to_str().unwrap();
            assert!(file.starts_with("a1_r2_f3_"), "{file}");
            assert!(!file.contains(['/', '\\']), "{file}");
            assert!(!file.ends_with(PARTIAL_SUFFIX), "{file}");
        }
        let long = format!("{}.json", "n".repeat(500));
        let file = cache.path_for(&Id::Num(1), &Id::Num(2), &Id::Num(3), &long);
        let file = file.file_name().unwrap().to_str().unwrap();
        assert!(file.ends_with(".json") && file.len() < 120, "{file}");
        assert!(
            cache
                .path_for(&Id::Num(1), &Id::Num(2), &Id::Num(3), "Agent Output.csv")
                .to_str()
                .unwrap()
                .ends_with("Agent_Output.csv")
        );
        assert_ne!(
            cache.path_for(&Id::Num(1), &Id::Num(2), &Id::Num(3), "a.csv"),
            cache.path_for(&Id::Num(1), &Id::Num(2), &Id::Num(4), "a.csv")
        );
    }

    #[test]
    fn lookup_finds_only_complete_files_and_refreshes_them() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FileCache::new(dir.path().join("cache"), 1000);
        assert_eq!(
            cache.lookup(&Id::Num(1), &Id::Num(2), &Id::Num(3), "out.csv"),
            None,
            "missing directory is a miss"
        );
        assert_eq!(
            cache.evict(Path::new("none")).unwrap(),
            0,
            "nothing to evict yet"
        );
        cache.ensure_dir().unwrap();
        let path = cache.path_for(&Id::Num(1), &Id::Num(2), &Id::Num(3), "out.csv");
        fs::write(
            path.with_file_name(format!(
                "{}.partial",
                path.file_name().unwrap().to_str().unwrap()
            )),
            b"half",
        )
        .unwrap();
        assert_eq!(
            cache.lookup(&Id::Num(1), &Id::Num(2), &Id::Num(3), "out.csv"),
            None,
            "a partial download is a miss"
        );
        fs::write(&path, b"whole").unwrap();
        set_age(&path, 3600);
        assert_eq!(
            cache.lookup(&Id::Num(1), &Id::Num(2), &Id::Num(3), "out.csv"),
            Some(path.clone())
        );
        let age = SystemTime::now()
            .duration_since(fs::metadata(&path).unwrap().modified().unwrap())
            .unwrap_or_default();
        assert!(
            age < Duration::from_secs(600),
            "lookup refreshed the time, age {age:?}"
        );
    }

    #[test]
    fn evicts_least_recently_used_until_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FileCache::new(dir.path().to_path_buf(), 250);
        let oldest = write(&cache, 1, 100, 400);
        let old = write(&cache, 2, 100, 300);
        let recent = write(&cache, 3, 100, 200);
        // Used again just now, so it is the most recent despite its age.
        let reused = write(&cache, 4, 100, 500);
        assert!(
            cache
                .lookup(&Id::Num(1), &Id::Num(2), &Id::Num(4), "out.csv")
                .is_some()
        );
        let fresh = write(&cache, 5, 10, 0);

        let freed = cache.evict(&fresh).unwrap();
        assert_eq!(freed, 200);
        assert!(!oldest.exists() && !old.exists());
        assert!(recent.exists() && reused.exists() && fresh.exists());
    }

    #[test]
    fn never_evicts_the_file_just_written_and_cleans_stale_partials() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FileCache::new(dir.path().to_path_buf(), 50);
        let big_new = write(&cache, 1, 100, 1000);
        let other = write(&cache, 2, 10, 0);
        let stale = dir.path().join("a1_r2_f9_x.csv.partial");
        fs::write(&stale, vec![b'p'; 30]).unwrap();
        set_age(&stale, 2 * 3600);
        let live = dir.path().join("a1_r2_f8_x.csv.partial");
        fs::write(&live, vec![b'p'; 30]).unwrap();

        let freed = cache.evict(&big_new).unwrap();
        assert_eq!(freed, 40, "the other file and the stale partial");
        assert!(big_new.exists(), "kept although it alone exceeds the limit");
        assert!(!other.exists() && !stale.exists());
        assert!(live.exists(), "a download in progress is left alone");
    }
}
