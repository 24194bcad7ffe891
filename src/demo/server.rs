//! The demo server: `POST /service/cloud/workflow/apinoticeinfo` on 127.0.0.1, answered from
//! the bundled cases, with the API's envelope for unknown ids and a 401 for a wrong token.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use tokio::net::TcpListener;

use super::{DEMO_TOKEN, DemoCase, cases};
use crate::api::{Query, VERIFY_PATH};
use crate::case::profile::same_number as profile_same_number;

struct Shared {
    cases: Vec<DemoCase>,
}

/// A running demo server.
pub struct DemoServer {
    pub addr: SocketAddr,
    pub cases: Vec<DemoCase>,
    handle: tokio::task::JoinHandle<()>,
}

impl DemoServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn token(&self) -> &'static str {
        DEMO_TOKEN
    }
    /// Serves until the task is aborted or the process ends.
    pub async fn wait(mut self) {
        let _ = (&mut self.handle).await;
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

/// Binds 127.0.0.1 (`port` 0 picks a free one) and serves in a background task.
pub async fn serve(port: u16) -> std::io::Result<DemoServer> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared { cases: cases() });
    let app = Router::new()
        .route(VERIFY_PATH, post(verify))
        .with_state(shared.clone());
    let handle = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(DemoServer {
        addr,
        cases: shared.cases.clone(),
        handle,
    })
}

fn json(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.into(),
    )
        .into_response()
}

fn envelope(code: u16, status: &str, message: &str) -> Response {
    let body =
        serde_json::json!({"data": null, "status": status, "code": code, "message": message});
    json(StatusCode::OK, body.to_string())
}

async fn verify(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if auth != format!("Token {DEMO_TOKEN}") {
        let body = serde_json::json!({"data": null, "status": "Unauthorized", "code": 401});
        return json(StatusCode::UNAUTHORIZED, body.to_string());
    }
    let Ok(q) = serde_json::from_slice::<Query>(&body) else {
        let body = serde_json::json!({"data": null, "status": "BadRequest", "code": 400, "message": "body must be {workflow_id, node_id, callee[, case_id]}"});
        return json(StatusCode::BAD_REQUEST, body.to_string());
    };
    if let Some(r) = fault(&q.callee).await {
        return r;
    }
    let found = shared.cases.iter().find(|c| {
        c.query.workflow_id == q.workflow_id.trim()
            && c.query.node_id == q.node_id.trim()
            && profile_same_number(&c.query.callee, &q.callee)
            && match q
                .case_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                None => true,
                Some(id) => c.query.case_id.as_deref() == Some(id),
            }
    });
    match found {
        Some(c) => json(StatusCode::OK, c.body),
        None => json(
            StatusCode::OK,
            serde_json::json!({"data": null, "status": "OK", "code": 200}).to_string(),
        ),
    }
}

/// The answers for [`super::FAULT_CALLEES`].
async fn fault(callee: &str) -> Option<Response> {
    Some(match callee.trim() {
        "+10000000500" => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>upstream failed</p></body></html>",
        )
            .into_response(),
        "+10000000429" => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "7")],
            "rate limit exceeded",
        )
            .into_response(),
        "+10000000200" => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html")],
            "<!doctype html><html><body>Welcome to nginx!</body></html>",
        )
            .into_response(),
        "+10000000001" => envelope(10001, "ParamError", "workflow not found"),
        "+10000000408" => {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            envelope(200, "OK", "")
        }
        _ => return None,
    })
}
