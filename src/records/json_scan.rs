//! A streaming scanner that finds JSON value boundaries without parsing whole documents.
//!
//! A page of a large JSON export must not parse the export: the scanner walks the bytes from a
//! saved offset, honouring strings, escapes and nesting, and hands exactly one element at a
//! time to `serde_json`. Skipping a value (another table) costs time but no memory.

use std::{
    io::{BufRead, BufReader},
    path::Path,
};

use super::{
    RecordsError,
    source_file::{MAX_RECORD_BYTES, READ_BUFFER, RecordTooLarge, SourceFile},
};

const BOM: &[u8] = b"\xef\xbb\xbf";

pub(crate) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Finds where one JSON value ends, fed a chunk at a time (the first chunk starts at the
/// value's first byte). It checks boundaries only; `serde_json` validates the value itself.
#[derive(Default)]
pub(crate) struct ValueEnd {
    kind: Kind,
    depth: u32,
    in_string: bool,
    escaped: bool,
}

#[derive(Default, PartialEq)]
enum Kind {
    #[default]
    NotStarted,
    Container,
    String,
    /// Number, `true`, `false` or `null`: ends at the first delimiter or at end of input.
    Scalar,
}

impl ValueEnd {
    /// Returns `Some(n)` when the value ends after the first `n` bytes of `chunk`.
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Option<usize> {
        for (i, &b) in chunk.iter().enumerate() {
            if self.kind == Kind::NotStarted {
                self.kind = match b {
                    b'{' | b'[' => Kind::Container,
                    b'"' => Kind::String,
                    _ => Kind::Scalar,
                };
                match self.kind {
                    Kind::Container => self.depth = 1,
                    Kind::String => self.in_string = true,
                    _ => {}
                }
                if self.kind != Kind::Scalar {
                    continue;
                }
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                    if self.kind == Kind::String {
                        return Some(i + 1);
                    }
                }
                continue;
            }
            match (&self.kind, b) {
                (Kind::Scalar, b',' | b']' | b'}' | b':') => return Some(i),
                (Kind::Scalar, b) if is_ws(b) => return Some(i),
                (Kind::Container, b'"') => self.in_string = true,
                (Kind::Container, b'{' | b'[') => self.depth += 1,
                (Kind::Container, b'}' | b']') => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Whether end of input also ends the value (true only for scalars).
    pub(crate) fn ends_at_eof(&self) -> bool {
        self.kind == Kind::Scalar
    }
}

/// Byte cursor over a file, tracking the absolute offset of the next unread byte.
pub(crate) struct Scanner {
    rdr: BufReader<SourceFile>,
    pos: u64,
}

impl Scanner {
    pub(crate) fn open_at(path: &Path, offset: u64) -> Result<Scanner, RecordsError> {
        let file = SourceFile::open_at(path, offset)?;
        Ok(Scanner {
            rdr: BufReader::with_capacity(READ_BUFFER, file),
            pos: offset,
        })
    }

    pub(crate) fn pos(&self) -> u64 {
        self.pos
    }

    fn consume(&mut self, n: usize) {
        self.rdr.consume(n);
        self.pos += n as u64;
    }

    /// Skips a UTF-8 byte order mark at the very start of the file.
    pub(crate) fn skip_bom(&mut self) -> Result<(), RecordsError> {
        if self.pos == 0 && self.rdr.fill_buf()?.starts_with(BOM) {
            self.consume(BOM.len());
        }
        Ok(())
    }

    /// Skips whitespace and returns the next byte without consuming it; `None` at end of file.
    pub(crate) fn peek_non_ws(&mut self) -> Result<Option<u8>, RecordsError> {
        loop {
            let buf = self.rdr.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            match buf.iter().position(|&b| !is_ws(b)) {
                Some(i) => {
                    let b = buf[i];
                    self.consume(i);
                    return Ok(Some(b));
                }
                None => {
                    let n = buf.len();
                    self.consume(n);
                }
            }
        }
    }

    /// Consumes `expected` as the next non-whitespace byte, or explains what was found.
    pub(crate) fn expect(&mut self, expected: u8, what: &str) -> Result<(), RecordsError> {
        match self.peek_non_ws()? {
            Some(b) if b == expected => {
                self.consume(1);
                Ok(())
            }
            found => Err(self.unexpected(found, what)),
        }
    }

    /// Consumes one byte already seen with [`Scanner::peek_non_ws`].
    pub(crate) fn bump(&mut self) {
        self.consume(1);
    }

    /// An error naming what was expected at the current offset and what is there instead.
    pub(crate) fn unexpected(&self, found: Option<u8>, what: &str) -> RecordsError {
        let found = match found {
            None => "the end of the file".to_string(),
            Some(b) if b.is_ascii_graphic() => format!("'{}'", b as char),
            Some(b) => format!("byte 0x{b:02x}"),
        };
        RecordsError::unreadable(format!(
            "expected {what} at byte {} but found {found}",
            self.pos
        ))
    }

    /// Reads the value starting at the next non-whitespace byte into `out` (cleared first).
    pub(crate) fn read_value(&mut self, out: &mut Vec<u8>) -> Result<(), RecordsError> {
        out.clear();
        self.scan_value(Some(out))
    }

    /// Skips the value starting at the next non-whitespace byte, however large.
    pub(crate) fn skip_value(&mut self) -> Result<(), RecordsError> {
        self.scan_value(None)
    }

    fn scan_value(&mut self, mut out: Option<&mut Vec<u8>>) -> Result<(), RecordsError> {
        self.peek_non_ws()?;
        let start = self.pos;
        let mut end = ValueEnd::default();
        loop {
            let buf = self.rdr.fill_buf()?;
            if buf.is_empty() {
                if end.ends_at_eof() && self.pos > start {
                    return Ok(());
                }
                return Err(RecordsError::unreadable(format!(
                    "the file ends inside the value that starts at byte {start}"
                )));
            }
            let found = end.feed(buf);
            let n = found.unwrap_or(buf.len());
            if let Some(out) = out.as_deref_mut() {
                if out.len() + n > MAX_RECORD_BYTES {
                    return Err(RecordsError::unreadable(format!(
                        "the value that starts at byte {start}: {RecordTooLarge}"
                    )));
                }
                out.extend_from_slice(&buf[..n]);
            }
            self.consume(n);
            if found.is_some() {
                if self.pos == start {
                    return Err(self.unexpected(self.rdr.buffer().first().copied(), "a JSON value"));
                }
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end_of(text: &str) -> Option<usize> {
        ValueEnd::default().feed(text.as_bytes())
    }

    #[test]
    fn value_end_honours_strings_escapes_and_nesting() {
        assert_eq!(end_of(r#"{"a":"]}","b":[1,{"c":"\"}"}]} tail"#), Some(30));
        assert_eq!(end_of(r#""say \"hi\" [ok]", next"#), Some(17));
        assert_eq!(end_of(r#""ends with backslash \\" x"#), Some(24));
        assert_eq!(end_of("12.5e3,"), Some(6));
        assert_eq!(end_of("true]"), Some(4));
        assert_eq!(
            end_of("null"),
            None,
            "a scalar can end only at a delimiter or end of input"
        );
        assert_eq!(end_of(r#"{"open": "[[["#), None);
    }

    #[test]
    fn value_end_works_across_chunks() {
        let text = br#"[{"s":"a\"b]"},{"t":[[]]}] rest"#;
        for split in 0..text.len() {
            let mut end = ValueEnd::default();
            let got = match end.feed(&text[..split]) {
                Some(n) => n,
                None => {
                    split
                        + end
                            .feed(&text[split..])
                            .expect("value ends in the second chunk")
                }
            };
            assert_eq!(got, 26, "split at {split}");
        }
    }

    #[test]
    fn scanner_reads_and_skips_values_with_offsets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.json");
        std::fs::write(&path, "\u{feff} [ {\"a\":\"}\"} , 42 ]").unwrap();
        let mut s = Scanner::open_at(&path, 0).unwrap();
        s.skip_bom().unwrap();
        s.expect(b'[', "'['").unwrap();
        let mut buf = Vec::new();
        s.read_value(&mut buf).unwrap();
        assert_eq!(buf, br#"{"a":"}"}"#);
        s.expect(b',', "','").unwrap();
        assert_eq!(s.peek_non_ws().unwrap(), Some(b'4'));
        let at = s.pos();
        s.skip_value().unwrap();
        assert_eq!(s.pos(), at + 2);
        let err = s.expect(b',', "',' or ']'").unwrap_err().to_string();
        assert!(err.contains("found ']'"), "{err}");
    }

    #[test]
    fn scanner_reports_truncated_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.json");
        std::fs::write(&path, r#"[{"a": "never closed"#).unwrap();
        let mut s = Scanner::open_at(&path, 1).unwrap();
        let err = s.read_value(&mut Vec::new()).unwrap_err().to_string();
        assert!(
            err.contains("ends inside the value that starts at byte 1"),
            "{err}"
        );
    }
}
