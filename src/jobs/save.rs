//! A run's whole dataset written to a file (save_records), streamed record by record, confined
//! to the configured output directory, and never overwriting a file unless asked.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::{
    Code, ToolFailure,
    records::{OpenedFile, disk_failure, records_failure},
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
    let dest = confined_path(dir, target)?;
    let kind = SaveFormat::from_path(&dest)?;
    if dest.exists() && !overwrite {
        return Err(ToolFailure::new(
            Code::Conflict,
            format!("{} already exists", dest.display()),
            "Choose another file name, or pass overwrite=true to replace it",
        ));
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
    crate::private::create_dir_all(dir).map_err(|e| disk_failure(dir, e))?;
    let dest = dir.join(relative);
    if let Some(parent) = dest.parent() {
        crate::private::create_dir_all(parent).map_err(|e| disk_failure(parent, e))?;
        let real_dir = dir.canonicalize().map_err(|e| disk_failure(dir, e))?;
        let real_parent = parent.canonicalize().map_err(|e| disk_failure(parent, e))?;
        if !real_parent.starts_with(&real_dir) {
            return Err(refuse("leads outside the output directory"));
        }
    }
    if dest.is_symlink() {
        return Err(refuse("is a symbolic link"));
    }
    Ok(dest)
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

    /// Streams every record to `dest` through a temporary file, renamed at the end so a
    /// failure never leaves half a dataset behind.
    fn write(
        self,
        source: &Path,
        format: RecordFormat,
        table: Option<&str>,
        fields: Option<&[String]>,
        dest: &Path,
    ) -> Result<u64, ToolFailure> {
        let partial = dest.with_extension("partial");
        let outcome = self
            .write_all(source, format, table, fields, &partial)
            .and_then(|count| {
                std::fs::rename(&partial, dest).map_err(|e| disk_failure(dest, e))?;
                Ok(count)
            });
        if outcome.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        outcome
    }

    fn write_all(
        self,
        source: &Path,
        format: RecordFormat,
        table: Option<&str>,
        fields: Option<&[String]>,
        partial: &Path,
    ) -> Result<u64, ToolFailure> {
        use std::io::Write;
        let file = crate::private::create(partial).map_err(|e| disk_failure(partial, e))?;
        let mut out = std::io::BufWriter::new(file);
        let count = match self {
            SaveFormat::Json | SaveFormat::JsonLines => {
                let (open, between, close): (&[u8], &[u8], &[u8]) = match self {
                    SaveFormat::Json => (b"[", b",\n", b"]\n"),
                    _ => (b"", b"", b""),
                };
                out.write_all(open).map_err(|e| disk_failure(partial, e))?;
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
                out.write_all(close).map_err(|e| disk_failure(partial, e))?;
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
                writer.flush().map_err(|e| disk_failure(partial, e))?;
                count
            }
        };
        out.flush().map_err(|e| disk_failure(partial, e))?;
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
        }
    }
}
