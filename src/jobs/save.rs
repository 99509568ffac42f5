//! A run's whole dataset written to a file (save_records), streamed record by record, confined
//! to the configured output directory, and never overwriting a file unless asked.
//!
//! Nothing on the way can redirect the write: every directory of the path is checked (and
//! created, when missing) one at a time, refusing symbolic links, so no directory is ever made
//! outside the output directory; the data goes to a temporary file created exclusively under a
//! random name (a link planted under a predictable name cannot catch it, and a user's own
//! `.partial` file is never touched), which is then renamed into place (without `overwrite`,
//! by a link that fails if the name was taken meanwhile).

use std::{
    fs::File,
    io::ErrorKind,
    path::{Component, Path, PathBuf},
};

use serde_json::Value;

use super::{
    Code, ToolFailure,
    records::{OpenedFile, records_failure},
};
use crate::records::{self, RecordFormat, csv_safe::neutralize_formula};

/// Longest file name (one path component) most file systems accept, in bytes.
const MAX_NAME_BYTES: usize = 255;
/// Longest relative path accepted for save_to.
const MAX_PATH_CHARS: usize = 1024;

/// What a save wrote.
#[derive(Debug)]
pub struct Saved {
    pub path: PathBuf,
    pub records: u64,
    pub bytes: u64,
}

/// Writes every record of `opened` (one table, some fields) to `target` under `dir`.
pub async fn save_dataset(
    opened: &OpenedFile,
    dir: &Path,
    target: &str,
    overwrite: bool,
    table: Option<&str>,
    fields: Option<&[String]>,
) -> Result<Saved, ToolFailure> {
    let kind = SaveFormat::from_path(Path::new(target))?;
    let dest = confined_path(dir, target)?;
    if dest.exists() && !overwrite {
        return Err(already_exists(&dest));
    }
    let (source, format) = (opened.path.clone(), opened.format);
    let (table, fields) = (table.map(str::to_string), fields.map(<[String]>::to_vec));
    let written_to = dest.clone();
    let records = tokio::task::spawn_blocking(move || {
        kind.write(
            &source,
            format,
            table.as_deref(),
            fields.as_deref(),
            &written_to,
            overwrite,
        )
    })
    .await
    .map_err(|e| {
        ToolFailure::new(
            Code::UpstreamUnavailable,
            format!("saving stopped unexpectedly: {e}"),
            "Try again",
        )
    })??;
    let bytes = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    Ok(Saved {
        path: dest,
        records,
        bytes,
    })
}

/// Resolves `target` inside `dir`, refusing absolute paths, `..` and symlinks that lead out.
fn confined_path(dir: &Path, target: &str) -> Result<PathBuf, ToolFailure> {
    let refuse = |why: &str| {
        ToolFailure::invalid(
            format!("save_to \"{}\" {why}", super::failure::excerpt(target)),
            format!(
                "Give a relative file name such as \"records.csv\"; files are saved under {}",
                dir.display()
            ),
        )
    };
    let relative = Path::new(target.trim());
    if target.trim().is_empty() || relative.is_absolute() {
        return Err(refuse("must be a relative path"));
    }
    if target.chars().any(char::is_control) {
        return Err(refuse(
            "contains control characters (such as NUL), which no file name may hold",
        ));
    }
    if target.chars().count() > MAX_PATH_CHARS
        || relative
            .components()
            .any(|c| c.as_os_str().len() > MAX_NAME_BYTES)
    {
        return Err(refuse(&format!(
            "is too long: each name may have at most {MAX_NAME_BYTES} bytes and the whole path {MAX_PATH_CHARS} characters"
        )));
    }
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(refuse("may not contain '..' or other special components"));
    }
    std::fs::create_dir_all(dir).map_err(|e| write_failure(dir, e))?;
    let mut parent = dir.to_path_buf();
    let mut names = relative.components().peekable();
    while let Some(name) = names.next() {
        let path = parent.join(name);
        let is_file_name = names.peek().is_none();
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(refuse(&format!(
                    "passes through the symbolic link {}, which could lead outside the output \
                     directory",
                    path.display()
                )));
            }
            Ok(meta) if !is_file_name && !meta.is_dir() => {
                return Err(refuse(&format!(
                    "needs {} to be a directory",
                    path.display()
                )));
            }
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound && !is_file_name => {
                create_private_dir(&path).map_err(|e| write_failure(&path, e))?;
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(write_failure(&path, e)),
        }
        parent = path;
    }
    Ok(parent)
}

/// Creates one directory (not its parents), 0700 on Unix like everything this program makes.
fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

fn already_exists(dest: &Path) -> ToolFailure {
    ToolFailure::new(
        Code::Conflict,
        format!("{} already exists", dest.display()),
        "Choose another file name, or pass overwrite=true to replace it",
    )
}

/// A failed write under the output directory, with advice about that directory.
fn write_failure(path: &Path, e: std::io::Error) -> ToolFailure {
    ToolFailure::new(
        Code::UpstreamUnavailable,
        format!("Could not write {}: {e}", path.display()),
        "Check free disk space and the permissions of the output directory (--output-dir)",
    )
}

/// File formats `save_to` writes, chosen by extension.
#[derive(Debug, Clone, Copy)]
enum SaveFormat {
    Csv,
    Json,
    JsonLines,
}

impl SaveFormat {
    fn from_path(path: &Path) -> Result<Self, ToolFailure> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Ok(SaveFormat::Csv),
            Some("json") => Ok(SaveFormat::Json),
            Some("jsonl" | "ndjson") => Ok(SaveFormat::JsonLines),
            _ => Err(ToolFailure::invalid(
                format!("save_to {} has no supported extension", path.display()),
                "End the file name with .csv, .json or .jsonl",
            )),
        }
    }

    /// Streams every record to `dest` through a temporary file beside it, renamed at the end
    /// so a failure never leaves half a dataset behind (the temporary file goes with it).
    fn write(
        self,
        source: &Path,
        format: RecordFormat,
        table: Option<&str>,
        fields: Option<&[String]>,
        dest: &Path,
        overwrite: bool,
    ) -> Result<u64, ToolFailure> {
        let dir = dest.parent().unwrap_or(Path::new("."));
        let mut partial = tempfile::Builder::new()
            .prefix(".save-")
            .suffix(".partial")
            .tempfile_in(dir)
            .map_err(|e| write_failure(dir, e))?;
        let temp_path = partial.path().to_path_buf();
        let count = self.write_all(
            source,
            format,
            table,
            fields,
            partial.as_file_mut(),
            &temp_path,
        )?;
        let placed = if overwrite {
            partial.persist(dest)
        } else {
            partial.persist_noclobber(dest)
        };
        match placed {
            Ok(_) => Ok(count),
            Err(e) if e.error.kind() == ErrorKind::AlreadyExists => Err(already_exists(dest)),
            Err(e) => Err(write_failure(dest, e.error)),
        }
    }

    fn write_all(
        self,
        source: &Path,
        format: RecordFormat,
        table: Option<&str>,
        fields: Option<&[String]>,
        file: &mut File,
        partial: &Path,
    ) -> Result<u64, ToolFailure> {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(file);
        let count = match self {
            SaveFormat::Json | SaveFormat::JsonLines => {
                let (open, between, close): (&[u8], &[u8], &[u8]) = match self {
                    SaveFormat::Json => (b"[", b",\n", b"]\n"),
                    _ => (b"", b"", b""),
                };
                out.write_all(open).map_err(|e| write_failure(partial, e))?;
                let mut first = true;
                let count = records::for_each_record(source, format, table, fields, |record| {
                    if !first {
                        out.write_all(between)?;
                    }
                    first = false;
                    serde_json::to_writer(&mut out, &record)?;
                    if let SaveFormat::JsonLines = self {
                        out.write_all(b"\n")?;
                    }
                    Ok(())
                })
                .map_err(records_failure)?;
                out.write_all(close)
                    .map_err(|e| write_failure(partial, e))?;
                count
            }
            SaveFormat::Csv => {
                let mut writer = csv::Writer::from_writer(&mut out);
                let mut header: Option<Vec<String>> = None;
                let count = records::for_each_record(source, format, table, fields, |record| {
                    if header.is_none() {
                        let names: Vec<String> = record.keys().cloned().collect();
                        let safe = names.iter().map(|n| neutralize_formula(n).into_owned());
                        writer.write_record(safe).map_err(std::io::Error::other)?;
                        header = Some(names);
                    }
                    let columns = header.as_deref().unwrap_or_default();
                    // CSV is written for people, who open it in spreadsheets: a scraped cell
                    // must never run as a formula there.
                    let row = columns.iter().map(|k| match record.get(k) {
                        Some(Value::String(s)) => neutralize_formula(s).into_owned(),
                        Some(Value::Null) | None => String::new(),
                        Some(other) => other.to_string(),
                    });
                    writer.write_record(row).map_err(std::io::Error::other)
                })
                .map_err(records_failure)?;
                writer.flush().map_err(|e| write_failure(partial, e))?;
                count
            }
        };
        out.flush().map_err(|e| write_failure(partial, e))?;
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_paths_stay_inside_the_output_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert!(confined_path(dir.path(), "out/records.csv").is_ok());
        let long = format!("{}.csv", "n".repeat(300));
        for bad in [
            "/etc/passwd",
            "../x.csv",
            "a/../../x.csv",
            "",
            "a\0b.csv",
            long.as_str(),
        ] {
            let err = confined_path(dir.path(), bad).unwrap_err();
            assert_eq!(err.code, Code::InvalidArgument, "{bad}");
        }
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
            assert!(confined_path(dir.path(), "link/x.csv").is_err());
            // Refused before anything is created on the far side of the link.
            let err = confined_path(dir.path(), "link/newdir/x.csv").unwrap_err();
            assert!(err.message.contains("symbolic link"), "{}", err.message);
            assert!(!outside.path().join("newdir").exists());
        }
    }

    /// Saves a two-record CSV run file to `target` under `dir` the way save_records does.
    fn save(dir: &Path, target: &str, overwrite: bool) -> Result<PathBuf, ToolFailure> {
        let source = dir.parent().unwrap().join("run.csv");
        std::fs::write(&source, "name,price\nA,1\nB,2\n").unwrap();
        let dest = confined_path(dir, target)?;
        SaveFormat::from_path(&dest)?.write(
            &source,
            RecordFormat::Csv,
            None,
            None,
            &dest,
            overwrite,
        )?;
        Ok(dest)
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_partial_link_cannot_redirect_the_write() {
        let root = tempfile::tempdir().unwrap();
        let (dir, outside) = (root.path().join("out"), root.path().join("outside.csv"));
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(&outside, "precious").unwrap();
        for planted in ["x.partial", "x.csv.partial"] {
            std::os::unix::fs::symlink(&outside, dir.join(planted)).unwrap();
        }
        let dest = save(&dir, "x.csv", false).unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
        assert!(
            std::fs::read_to_string(dest)
                .unwrap()
                .starts_with("name,price")
        );
        // A link planted on the file name itself is refused, not followed.
        std::os::unix::fs::symlink(&outside, dir.join("y.csv")).unwrap();
        assert!(save(&dir, "y.csv", true).is_err());
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
    }

    #[test]
    fn a_users_own_partial_file_is_never_touched() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("x.partial"), "mine").unwrap();
        save(&dir, "x.csv", false).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("x.partial")).unwrap(),
            "mine"
        );
        // Without overwrite an existing file stays; with it, it is replaced.
        let err = save(&dir, "x.csv", false).unwrap_err();
        assert_eq!(err.code, Code::Conflict);
        save(&dir, "x.csv", true).unwrap();
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(
            names.len(),
            2,
            "no temporary file is left behind: {names:?}"
        );
    }

    #[test]
    fn names_up_to_255_bytes_are_saved() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let name = format!("{}.csv", "n".repeat(MAX_NAME_BYTES - 4));
        let dest = save(&dir, &format!("sub/{name}"), false).unwrap();
        assert_eq!(dest.file_name().unwrap().len(), 255);
        assert!(dest.is_file());
    }
}
