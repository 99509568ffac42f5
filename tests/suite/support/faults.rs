//! Fault injection and request recording: the two ways a test talks to the fake besides
//! scripting runs and sessions.

use std::{sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::fake_api::Shared;

/// Which requests a fault or a recorded-call query is about.
#[derive(Debug, Clone)]
pub struct Route {
    method: Option<Method>,
    /// Exact path without the query, or a prefix when it ends with `*`.
    path: Option<String>,
}

impl Route {
    /// Every request.
    pub fn any() -> Route {
        Route {
            method: None,
            path: None,
        }
    }

    pub fn get(path: &str) -> Route {
        Route::new(Method::GET, path)
    }

    pub fn post(path: &str) -> Route {
        Route::new(Method::POST, path)
    }

    pub fn new(method: Method, path: &str) -> Route {
        Route {
            method: Some(method),
            path: Some(path.to_string()),
        }
    }

    pub fn matches(&self, method: &Method, path: &str) -> bool {
        let method_ok = self.method.as_ref().is_none_or(|m| m == method);
        let path_ok = match self.path.as_deref() {
            None => true,
            Some(p) => match p.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => p == path,
            },
        };
        method_ok && path_ok
    }
}

/// What the fake does instead of (or before) answering normally.
#[derive(Debug, Clone)]
pub enum Fault {
    /// This status with an empty body (e.g. a bare 502/503/504 from a gateway).
    Status(u16),
    /// This status with an HTML error page, as load balancers send.
    Html(u16),
    /// This status with a JSON body (ProblemDetails, `{message, errorCode}`, ...).
    Json(u16, Value),
    /// 429 with `Retry-After: <secs>`.
    RateLimited { retry_after_secs: u64 },
    /// 200 with a body that is not JSON at all.
    MalformedJson,
    /// 401 `{"message": "Invalid API key"}`.
    Unauthorized,
    /// 403 `errorCode: "insufficient_scope"` with the challenge naming the scope it needs, as
    /// the live API answers an OAuth token without that scope.
    InsufficientScope(&'static str),
    /// 200 whose body breaks off after a few bytes (the connection is dropped mid-stream).
    BrokenBody,
    /// Hold the request until the test calls `notify_one` (or `notify_waiters`), then answer
    /// normally. Never releasing it makes the client time out.
    Hold(Arc<Notify>),
    /// Answer normally after this long (make it longer than the client's timeout).
    Delay(Duration),
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    /// The Authorization header as received, if any.
    pub authorization: Option<String>,
    pub body: Bytes,
}

impl Call {
    /// The body as JSON (`Null` when empty or not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// A fault armed for `remaining` more matching requests.
#[derive(Debug)]
pub(super) struct FaultRule {
    pub route: Route,
    pub fault: Fault,
    pub remaining: u32,
}

/// Largest request body kept in the record.
const MAX_RECORDED_BODY: usize = 1 << 20;

/// Middleware in front of every route: record the request, apply an armed fault, check the
/// credential on `/api/` paths, then let the route answer.
pub(super) async fn intercept(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, MAX_RECORDED_BODY)
        .await
        .unwrap_or_default();
    let call = Call {
        method: parts.method.clone(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        authorization: parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: body.clone(),
    };
    let fault = shared.record(call.clone());
    match fault {
        Some(Fault::Hold(notify)) => notify.notified().await,
        Some(Fault::Delay(wait)) => tokio::time::sleep(wait).await,
        Some(other) => return canned(other),
        None => {}
    }
    let user = shared.user_of(call.authorization.as_deref());
    if call.path.starts_with("/api/")
        && user.is_none()
        && !shared.authorized(call.authorization.as_deref())
    {
        return canned(Fault::Unauthorized);
    }
    let mut request = Request::from_parts(parts, Body::from(body));
    if let Some(user) = user {
        request
            .extensions_mut()
            .insert(super::fake_api::ApiUser(user));
    }
    next.run(request).await
}

fn canned(fault: Fault) -> Response {
    let status = |code: u16| StatusCode::from_u16(code).expect("valid status code");
    match fault {
        Fault::Status(code) => status(code).into_response(),
        Fault::Html(code) => (
            status(code),
            [(header::CONTENT_TYPE, "text/html")],
            format!("<html><head><title>{code}</title></head><body><h1>{code}</h1><hr>nginx</body></html>"),
        )
            .into_response(),
        Fault::Json(code, body) => (status(code), axum::Json(body)).into_response(),
        Fault::RateLimited { retry_after_secs } => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(json!({"title": "Too Many Requests", "status": 429, "detail": "Rate limit exceeded"})),
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        Fault::MalformedJson => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"agents\": [{\"id\": 1,",
        )
            .into_response(),
        Fault::InsufficientScope(scope) => (
            StatusCode::FORBIDDEN,
            [(
                header::WWW_AUTHENTICATE,
                format!("Bearer error=\"insufficient_scope\", scope=\"{scope}\""),
            )],
            axum::Json(json!({"statusCode": 403, "message": "Insufficient scope", "errorCode": "insufficient_scope"})),
        )
            .into_response(),
        Fault::Unauthorized => (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"message": "Invalid API key"})),
        )
            .into_response(),
        Fault::BrokenBody => {
            use futures::StreamExt;
            let first = futures::stream::iter([Ok(Bytes::from_static(b"id,name,price\n1,Item 1,1.37\n"))]);
            // Pausing once lets hyper flush the headers and the first chunk, so the client
            // sees a started download that breaks, not a refused one.
            let then_fail = futures::stream::once(async {
                tokio::task::yield_now().await;
                Err::<Bytes, _>(std::io::Error::other("connection dropped by the fake"))
            });
            (StatusCode::OK, Body::from_stream(first.chain(then_fail))).into_response()
        }
        Fault::Hold(_) | Fault::Delay(_) => unreachable!("slow faults answer normally"),
    }
}
