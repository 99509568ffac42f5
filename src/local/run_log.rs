//! A run's text log file.

use super::store::Store;
use crate::api::types::{Timestamp, file_type};

/// The run's text log (`log.txt`, file type 6), listed from the start so it can be read while
/// the run is going. Lines are collected in memory and written out with each commit of the
/// run's pages ([`RunLog::flush`], called by the commit, which stores the log's new size) and
/// when the run ends ([`RunLog::close`]), with one plain write each: a few kilobytes into the
/// page cache, cheaper than handing every line to a blocking thread. The run task owns the
/// log, so a stop or kill (which only drops the crawl) still closes it and no line is lost; a
/// crash loses the lines of the pages it loses (at most the last 100 ms of a run).
pub(super) struct RunLog {
    file: Option<std::fs::File>,
    file_id: i64,
    /// Lines not written to the file yet.
    buffer: Vec<u8>,
    /// Bytes in the file.
    written: u64,
}

impl RunLog {
    pub(super) fn create(
        store: &Store,
        run_id: i64,
        dir: &std::path::Path,
    ) -> Result<RunLog, String> {
        super::private::create_dir_all(dir).map_err(|e| e.to_string())?;
        let path = dir.join("log.txt");
        // A restarted run goes on in the log it has: one log.txt, its earlier lines kept.
        let listed = store
            .files(run_id)
            .map_err(|e| e.to_string())?
            .into_iter()
            .find(|f| f.file.file_type == Some(file_type::LOG_TEXT) && f.path == path);
        if let Some(listed) = listed {
            let file = super::private::options()
                .append(true)
                .open(&path)
                .map_err(|e| e.to_string())?;
            let mut log = RunLog::new(file, listed.file.id);
            log.written = std::fs::metadata(&path).map_or(0, |m| m.len());
            return Ok(log);
        }
        let file = super::private::create(&path).map_err(|e| e.to_string())?;
        let file_id = store
            .add_file(run_id, file_type::LOG_TEXT, "log.txt", &path, 0)
            .map_err(|e| e.to_string())?;
        Ok(RunLog::new(file, file_id))
    }

    pub(super) fn new(file: std::fs::File, file_id: i64) -> RunLog {
        RunLog {
            file: Some(file),
            file_id,
            buffer: Vec::with_capacity(4096),
            written: 0,
        }
    }

    /// Adds a line, written out at the next [`RunLog::flush`].
    pub(super) fn line(&mut self, text: &str) {
        use std::io::Write as _;
        if self.file.is_none() {
            return;
        }
        let _ = writeln!(self.buffer, "{} {text}", Timestamp::now().to_rfc3339());
    }

    /// Writes the buffered lines to the file; returns the file's id and size for the run's
    /// file list.
    pub(super) fn flush(&mut self) -> (i64, i64) {
        use std::io::Write as _;
        if let Some(file) = self.file.as_mut()
            && !self.buffer.is_empty()
        {
            match file.write_all(&self.buffer) {
                Ok(()) => self.written += self.buffer.len() as u64,
                Err(e) => {
                    tracing::warn!(error = %e, "run log write failed; further lines are dropped");
                    self.file = None;
                }
            }
        }
        self.buffer.clear();
        (self.file_id, self.written as i64)
    }

    /// Writes what is left and records the log's final size.
    pub(super) fn close(mut self, store: &Store) {
        let (file_id, size) = self.flush();
        if let Err(e) = store.set_file_size(file_id, size) {
            tracing::debug!(error = %e, "log size not updated");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_every_line_across_page_flushes_and_a_stop() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let path = dir.path().join("log.txt");
        let mut log = RunLog::new(std::fs::File::create(&path).unwrap(), 0);
        log.line("first");
        log.line("second");
        // Nothing is written before a page boundary.
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
        let (_, size) = log.flush();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(size as usize, text.len());
        assert!(
            text.contains(" first\n") && text.ends_with(" second\n"),
            "{text}"
        );
        // Lines after the last page boundary (a stop, the verdict) are written by close.
        log.line("Stop requested");
        log.line("Stopped: done");
        log.close(&store);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        for (line, want) in lines
            .iter()
            .zip(["first", "second", "Stop requested", "Stopped: done"])
        {
            assert!(line.ends_with(&format!(" {want}")), "{line}");
        }
    }
}
