//! Scripts for the fake's runs and Agent Builder sessions: what a test wants the server to
//! go through, decided up front so no test has to race the server.

use sequentum_mcp::api::types::RunStatus;
use serde_json::{Map, Value, json};

use super::records::FakeFile;

/// One observable state of a run: its wire status and its counters.
#[derive(Debug, Clone)]
pub struct Step {
    /// Sent as-is: normally a code, but a name (`"Completed"`) or an unknown code works too.
    pub status: Value,
    pub data: i64,
    pub exported: i64,
    pub pages: i64,
    pub errors: i64,
    pub message: Option<String>,
}

impl Step {
    pub fn new(code: i32) -> Step {
        Step::raw(json!(code))
    }

    /// A status exactly as the server should send it, e.g. `json!("Exporting")` or `json!(42)`.
    pub fn raw(status: Value) -> Step {
        Step {
            status,
            data: 0,
            exported: 0,
            pages: 0,
            errors: 0,
            message: None,
        }
    }

    pub fn data(mut self, n: i64) -> Step {
        self.data = n;
        self
    }

    pub fn exported(mut self, n: i64) -> Step {
        self.exported = n;
        self
    }

    pub fn pages(mut self, n: i64) -> Step {
        self.pages = n;
        self
    }

    pub fn errors(mut self, n: i64) -> Step {
        self.errors = n;
        self
    }

    pub fn message(mut self, text: &str) -> Step {
        self.message = Some(text.to_string());
        self
    }

    /// The status as the client will read it (unknown names read as -1, i.e. active).
    pub fn code(&self) -> RunStatus {
        serde_json::from_value(self.status.clone()).unwrap_or(RunStatus(-1))
    }

    /// The same counters under another status (used by stop and kill).
    pub(super) fn with_code(&self, code: RunStatus) -> Step {
        Step {
            status: json!(code.0),
            ..self.clone()
        }
    }
}

/// The life of one run, from its start answer (step 0) to its last step.
///
/// By default a run moves one step further on each status poll; a `manual` run moves only when
/// the test calls `FakeApi::advance`.
#[derive(Debug, Clone)]
pub struct RunScript {
    pub steps: Vec<Step>,
    /// What a synchronous start answers, under the agent's name.
    pub records: Vec<Value>,
    /// Output files, listed from the start of the run.
    pub files: Vec<FakeFile>,
    pub manual: bool,
    /// What a restart (allowed only in Failure) replays; `None` means Starting → Running →
    /// Completed, advancing as this script did.
    pub restart: Option<Box<RunScript>>,
    /// Extra or replacement fields merged into every status body (odd dates, unknown keys).
    pub fields: Map<String, Value>,
}

impl RunScript {
    /// Only the given steps: no records, no files.
    pub fn steps(steps: Vec<Step>) -> RunScript {
        assert!(!steps.is_empty(), "a run needs at least one step");
        RunScript {
            steps,
            records: Vec::new(),
            files: Vec::new(),
            manual: false,
            restart: None,
            fields: Map::new(),
        }
    }

    /// Queuing → Starting → Running → Exporting → Completed, extracting `records`, which the run
    /// then carries as `output.csv` (DeliveredFile) next to a `log.txt` (LogText).
    pub fn completes(records: Vec<Value>) -> RunScript {
        let n = records.len() as i64;
        let mut script = RunScript::steps(vec![
            Step::new(4),
            Step::new(3),
            Step::new(1).data(n / 2).pages(1),
            Step::new(2).data(n).pages(2),
            Step::new(9).data(n).exported(n).pages(2),
        ]);
        script.files = vec![
            FakeFile::csv("output.csv", &records),
            FakeFile::log("log.txt", "Run started\nRun completed\n"),
        ];
        script.records = records;
        script
    }

    /// Queuing → Starting → Running → Failure (6) carrying `message`.
    pub fn fails(message: &str) -> RunScript {
        RunScript::steps(vec![
            Step::new(4),
            Step::new(3),
            Step::new(1).pages(1),
            Step::new(6).pages(1).errors(1).message(message),
        ])
    }

    pub fn with_files(mut self, files: Vec<FakeFile>) -> RunScript {
        self.files = files;
        self
    }

    pub fn manual(mut self) -> RunScript {
        self.manual = true;
        self
    }

    pub fn on_restart(mut self, then: RunScript) -> RunScript {
        self.restart = Some(Box::new(then));
        self
    }

    pub fn with_field(mut self, key: &str, value: Value) -> RunScript {
        self.fields.insert(key.to_string(), value);
        self
    }
}

/// How a builder session ends once its events are out.
#[derive(Debug, Clone)]
pub enum BuilderEnd {
    /// `completed`: the agent is added to the fake's catalogue.
    Completed {
        agent_name: String,
        sample_records: Vec<Value>,
    },
    /// `error` with this message, after a final non-recoverable `error` event.
    Error(String),
    /// Stays `processing` until stopped (then `cancelled`).
    UntilStopped,
}

/// The timeline of one Agent Builder session: its events, then its end. Like runs, a session
/// moves one event further on each status poll unless `manual`.
#[derive(Debug, Clone)]
pub struct BuilderScript {
    /// Each `{"type": ..., payload...}`; the fake adds `eventIndex` and `timestamp`.
    pub events: Vec<Value>,
    pub end: BuilderEnd,
    pub manual: bool,
}

impl BuilderScript {
    pub fn completes(agent_name: &str, sample_records: Vec<Value>) -> BuilderScript {
        BuilderScript::ending(BuilderEnd::Completed {
            agent_name: agent_name.to_string(),
            sample_records,
        })
    }

    pub fn fails(message: &str) -> BuilderScript {
        BuilderScript::ending(BuilderEnd::Error(message.to_string()))
    }

    pub fn until_stopped() -> BuilderScript {
        BuilderScript::ending(BuilderEnd::UntilStopped)
    }

    pub fn with_events(mut self, events: Vec<Value>) -> BuilderScript {
        self.events = events;
        self
    }

    pub fn manual(mut self) -> BuilderScript {
        self.manual = true;
        self
    }

    /// A short, typical narration: plan, open the page, extract.
    fn ending(end: BuilderEnd) -> BuilderScript {
        BuilderScript {
            events: vec![
                json!({"type": "thinking", "message": "Planning the extraction"}),
                json!({"type": "step_started", "stepNumber": 1, "totalSteps": 2,
                       "description": "Open the start page", "actionType": "navigate"}),
                json!({"type": "navigation_completed", "url": "https://shop.example.test/",
                       "title": "Shop"}),
                json!({"type": "step_completed", "stepNumber": 1, "success": true}),
                json!({"type": "step_started", "stepNumber": 2, "totalSteps": 2,
                       "description": "Extract product records", "actionType": "extract"}),
                json!({"type": "step_completed", "stepNumber": 2, "success": true}),
            ],
            end,
            manual: false,
        }
    }
}
