//! A one-time page on loopback where the user types a secret a paused run asks for (an MFA
//! code): MCP's URL-mode elicitation sends the user there, so the answer reaches this server
//! without passing through the client or the model. The page lives as long as its `AnswerPage`
//! and takes one answer.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Form, Router,
    extract::{Path, State},
    response::Html,
    routing::get,
};
use serde_json::{Map, Value};
use tokio::{sync::oneshot, task::JoinHandle};
use url::Url;

use crate::jobs::interactions::Interaction;

/// How long an accepted elicitation may take to deliver its page's answer.
const DELIVERY: Duration = Duration::from_secs(5);

type Slot = Arc<Mutex<Option<oneshot::Sender<Map<String, Value>>>>>;

#[derive(Clone)]
struct PageState {
    token: String,
    html: Arc<String>,
    slot: Slot,
}

pub struct AnswerPage {
    pub url: Url,
    pub id: String,
    answer: oneshot::Receiver<Map<String, Value>>,
    server: JoinHandle<()>,
}

impl Drop for AnswerPage {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl AnswerPage {
    pub async fn open(question: &Interaction) -> std::io::Result<AnswerPage> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let token = crate::random::hex(16);
        let (tx, rx) = oneshot::channel();
        let state = PageState {
            token: token.clone(),
            html: Arc::new(form_html(question)),
            slot: Arc::new(Mutex::new(Some(tx))),
        };
        let app = Router::new()
            .route("/answer/{token}", get(show).post(take))
            .with_state(state);
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let url = Url::parse(&format!("http://{addr}/answer/{token}"))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(AnswerPage {
            url,
            id: token,
            answer: rx,
            server,
        })
    }

    /// The submitted answer, once the user confirmed the elicitation.
    pub async fn answer(self) -> Option<Map<String, Value>> {
        let AnswerPage { answer, .. } = &mut { self };
        tokio::time::timeout(DELIVERY, answer).await.ok()?.ok()
    }
}

async fn show(State(state): State<PageState>, Path(token): Path<String>) -> Html<String> {
    if token != state.token {
        return Html("This page has expired.".into());
    }
    Html(state.html.to_string())
}

async fn take(
    State(state): State<PageState>,
    Path(token): Path<String>,
    Form(values): Form<HashMap<String, String>>,
) -> Html<&'static str> {
    let sender = (token == state.token)
        .then(|| state.slot.lock().ok()?.take())
        .flatten();
    match sender {
        Some(sender) => {
            let map = values
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            let _ = sender.send(map);
            Html("Thank you. Return to your conversation and confirm.")
        }
        None => Html("This page has expired."),
    }
}

fn form_html(question: &Interaction) -> String {
    let inputs: String = question
        .fields
        .iter()
        .map(|f| {
            format!(
                "<p><label>{} <input name=\"{}\" type=\"{}\" autocomplete=\"one-time-code\" required></label></p>",
                escape(&f.label),
                escape(&f.name),
                if f.secret { "password" } else { "text" }
            )
        })
        .collect();
    format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Answer</title><p>{}</p><form method=\"post\">{inputs}<button>Send</button></form>",
        escape(&question.message)
    )
}

/// The page shows the platform's untrusted text: no markup gets through.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
