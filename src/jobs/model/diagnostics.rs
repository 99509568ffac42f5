//! Why a run went wrong, in neutral terms: what the platform says about the run, the pages it
//! saw (where the platform records them), and causes and actions written for a person.

use super::Id;

/// One page as the runner saw it.
#[derive(Debug, Clone)]
pub struct PageTrace {
    pub url: String,
    /// HTTP status, when the site answered.
    pub http: Option<u16>,
    /// Fetch time in milliseconds.
    pub ms: Option<u64>,
    pub records: u64,
    /// What went wrong on the page, in words; absent when nothing did.
    pub problem: Option<String>,
}

/// A run's diagnosis.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub agent_id: Id,
    pub run_id: Id,
    /// The platform's name for the run's status.
    pub status: String,
    pub message: Option<String>,
    pub runtime_seconds: Option<i64>,
    pub causes: Vec<String>,
    pub actions: Vec<String>,
    /// Pages the runner saw (first pages and problem pages), where the platform keeps them.
    pub page_log: Vec<PageTrace>,
}

impl PageTrace {
    /// One line for the model: `<url>: HTTP 403, 120 ms, 0 records: <problem>`.
    pub fn line(&self) -> String {
        let mut line = self.url.clone();
        let mut sep = ": ";
        if let Some(http) = self.http {
            line += &format!("{sep}HTTP {http}");
            sep = ", ";
        }
        if let Some(ms) = self.ms {
            line += &format!("{sep}{ms} ms");
            sep = ", ";
        }
        line += &format!("{sep}{} records", self.records);
        if let Some(problem) = &self.problem {
            line += &format!(": {problem}");
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_as_one_line() {
        let page = PageTrace {
            url: "https://x.test/a".into(),
            http: Some(403),
            ms: Some(12),
            records: 0,
            problem: Some("blocked".into()),
        };
        assert_eq!(
            page.line(),
            "https://x.test/a: HTTP 403, 12 ms, 0 records: blocked"
        );
        let unreachable = PageTrace {
            http: None,
            ms: None,
            ..page
        };
        assert_eq!(unreachable.line(), "https://x.test/a: 0 records: blocked");
    }
}
