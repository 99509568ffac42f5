//! What each file of a run is, for list_run_files: the records, the run's log, a snapshot of
//! a page the run fetched, or something else.

use super::platform::RunFile;

/// How many files of one listing get a download link: each link is one API call, and a run
/// with page snapshots may have hundreds of files.
pub const MAX_LINKS: usize = 10;

/// A file's kind, from what the platform says of it and its name.
pub fn file_kind(file: &RunFile) -> &'static str {
    let name = file.name.to_ascii_lowercase();
    if file.holds_records {
        "records"
    } else if name.contains("log") {
        "log"
    } else if name.ends_with(".html") || name.ends_with(".htm") {
        "page"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::Id;

    #[test]
    fn kinds_follow_the_platform_then_the_name() {
        let file = |name: &str, holds_records| RunFile {
            id: Id::Num(1),
            name: name.into(),
            holds_records,
            size: None,
        };
        assert_eq!(file_kind(&file("output.csv", true)), "records");
        assert_eq!(file_kind(&file("log.txt", false)), "log");
        assert_eq!(file_kind(&file("Log.html", false)), "log");
        assert_eq!(file_kind(&file("pages/0001.html", false)), "page");
        assert_eq!(file_kind(&file("cache.db", false)), "other");
    }
}
