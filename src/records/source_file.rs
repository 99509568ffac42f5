//! The one way record readers open a file: at a byte offset, with an optional read limit.
//!
//! Pages resume by seeking, never by re-reading what earlier pages returned. The limit lets a
//! reader that buffers a whole record (the CSV parser) refuse a record without end, such as a
//! quote left open in a large file, instead of growing without bound.

use std::{
    fs::File,
    io::{self, Read, Seek, SeekFrom},
    path::Path,
};

/// Largest single record accepted, in bytes of the file.
pub(crate) const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// Read buffer of the JSON readers: a page reads at least this much past its start.
pub(crate) const READ_BUFFER: usize = 16 * 1024;

/// Read error raised when the read limit is exhausted.
#[derive(Debug, thiserror::Error)]
#[error("a single record is larger than {} MiB", MAX_RECORD_BYTES / (1024 * 1024))]
pub(crate) struct RecordTooLarge;

impl RecordTooLarge {
    /// Whether an I/O error (possibly wrapped by a parser) was caused by the read limit.
    pub(crate) fn is_cause_of(error: &io::Error) -> bool {
        error
            .get_ref()
            .is_some_and(|inner| inner.is::<RecordTooLarge>())
    }
}

/// A file opened at an offset.
pub(crate) struct SourceFile {
    file: File,
    remaining: u64,
}

impl SourceFile {
    pub(crate) fn open_at(path: &Path, offset: u64) -> io::Result<SourceFile> {
        let mut file = File::open(path)?;
        if offset > 0 {
            file.seek(SeekFrom::Start(offset))?;
        }
        Ok(SourceFile {
            file,
            remaining: u64::MAX,
        })
    }

    /// Allows `bytes` more bytes to be read; beyond that reads fail with [`RecordTooLarge`].
    pub(crate) fn limit_next(&mut self, bytes: u64) {
        self.remaining = bytes;
    }
}

impl Read for SourceFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            return Err(io::Error::other(RecordTooLarge));
        }
        let max = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = self.file.read(&mut buf[..max])?;
        self.remaining -= n as u64;
        #[cfg(test)]
        read_meter::add(n);
        Ok(n)
    }
}

/// Counts bytes read on the current thread, so tests can prove paging reads the file once
/// overall rather than once per page.
#[cfg(test)]
pub(crate) mod read_meter {
    use std::cell::Cell;

    thread_local! {
        static BYTES: Cell<u64> = const { Cell::new(0) };
    }

    pub(crate) fn add(n: usize) {
        BYTES.with(|b| b.set(b.get() + n as u64));
    }

    pub(crate) fn take() -> u64 {
        BYTES.with(|b| b.replace(0))
    }
}
