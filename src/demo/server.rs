//! The demo server on 127.0.0.1: the verify endpoint answered from the bundled cases (the
//! API's envelope for unknown ids, a 401 for a wrong token), sign-in with the demo
//! APPKey/APPSecret, and optionally the AES transport.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use tokio::net::TcpListener;

use super::{DEMO_APP_KEY, DEMO_APP_SECRET, DEMO_TOKEN, DemoCase, cases};
use crate::api::aes::{self, AesKey};
use crate::api::auth::AUTH_PATH;
use crate::api::{Query, VERIFY_PATH};
use crate::case::profile::same_number;

struct Shared {
    cases: Vec<DemoCase>,
    aes: Option<AesKey>,
    /// Tokens handed out by sign-in (the fixed demo token is always accepted).
    issued: Mutex<HashSet<String>>,
}

/// A running demo server.
pub struct DemoServer {
    pub addr: SocketAddr,
    pub cases: Vec<DemoCase>,
    pub encrypted: bool,
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
    serve_with(port, None).await
}

/// [`serve`], speaking only the AES transport when `aes` is given.
pub async fn serve_with(port: u16, aes: Option<AesKey>) -> std::io::Result<DemoServer> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let addr = listener.local_addr()?;
    let encrypted = aes.is_some();
    let shared = Arc::new(Shared {
        cases: cases(),
        aes,
        issued: Mutex::new(HashSet::new()),
    });
    let app = Router::new()
        .route(VERIFY_PATH, post(verify))
        .route(AUTH_PATH, post(sign_in))
        .with_state(shared.clone());
    let handle = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(DemoServer {
        addr,
        cases: shared.cases.clone(),
        encrypted,
        handle,
    })
}

/// A JSON answer, encrypted and signed when the server speaks AES.
fn answer(shared: &Shared, status: StatusCode, body: impl Into<Vec<u8>>) -> Response {
    let body: Vec<u8> = body.into();
    match &shared.aes {
        Some(key) => {
            let mut r = (
                status,
                [(header::CONTENT_TYPE, "text/plain")],
                key.encrypt(&body),
            )
                .into_response();
            r.headers_mut()
                .insert(aes::HEADER_ENCRYPTED, HeaderValue::from_static("1"));
            if let Ok(v) = HeaderValue::from_str(&aes::sign(&body)) {
                r.headers_mut().insert(aes::HEADER_SIGNED, v);
            }
            r
        }
        None => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
    }
}

fn envelope(code: u16, status: &str, message: &str) -> serde_json::Value {
    serde_json::json!({"data": null, "status": status, "code": code, "message": message})
}

fn marked_encrypted(headers: &HeaderMap) -> bool {
    headers
        .get(aes::HEADER_ENCRYPTED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "1")
}

/// The request body in plain text: decrypted and its signature checked in AES mode.
fn plain_body(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> Result<Vec<u8>, Box<Response>> {
    let Some(key) = &shared.aes else {
        return Ok(body.to_vec());
    };
    let marked = marked_encrypted(headers);
    let refuse = |msg: &str| {
        let body = envelope(400, "BadRequest", msg).to_string();
        Box::new(answer(shared, StatusCode::BAD_REQUEST, body))
    };
    if !marked {
        return Err(refuse(
            "this account uses the AES transport: send Is-Encrypted: 1",
        ));
    }
    let plain = key
        .decrypt(body)
        .map_err(|_| refuse("the body could not be decrypted"))?;
    let signed = headers
        .get(aes::HEADER_SIGNED)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if signed.trim() != aes::sign(&plain) {
        return Err(refuse("the Signed header does not match the body"));
    }
    Ok(plain)
}

/// Sign-in is plain JSON both ways, AES transport or not, as with the real API: the request
/// carries no token, so nothing says whose key would decrypt it.
async fn sign_in(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let plain_answer = |status: StatusCode, body: String| {
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    if marked_encrypted(&headers) {
        return plain_answer(
            StatusCode::BAD_REQUEST,
            envelope(
                400,
                "BadRequest",
                "the sign-in is plain JSON, not encrypted",
            )
            .to_string(),
        );
    }
    #[derive(serde::Deserialize)]
    struct Keys {
        #[serde(rename = "APPKey")]
        app_key: String,
        #[serde(rename = "APPSecret")]
        app_secret: String,
    }
    match serde_json::from_slice::<Keys>(&body) {
        Ok(k) if k.app_key == DEMO_APP_KEY && k.app_secret == DEMO_APP_SECRET => {
            let token = format!(
                "demo-signed-{:x}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0)
            );
            if let Ok(mut issued) = shared.issued.lock() {
                issued.insert(token.clone());
            }
            let body = serde_json::json!({"data": {"token": token}, "status": "OK", "code": 200});
            plain_answer(StatusCode::OK, body.to_string())
        }
        _ => plain_answer(
            StatusCode::UNAUTHORIZED,
            envelope(401, "Unauthorized", "APPKey or APPSecret is wrong").to_string(),
        ),
    }
}

async fn verify(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Token "))
        .unwrap_or("");
    let known = token == DEMO_TOKEN || shared.issued.lock().is_ok_and(|i| i.contains(token));
    if !known {
        let body = serde_json::json!({"data": null, "status": "Unauthorized", "code": 401});
        return answer(&shared, StatusCode::UNAUTHORIZED, body.to_string());
    }
    let plain = match plain_body(&shared, &headers, &body) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let Ok(q) = serde_json::from_slice::<Query>(&plain) else {
        let body = envelope(
            400,
            "BadRequest",
            "body must be {workflow_id, node_id, callee[, case_id]}",
        );
        return answer(&shared, StatusCode::BAD_REQUEST, body.to_string());
    };
    if let Some(r) = fault(&shared, &q.callee).await {
        return r;
    }
    let found = shared.cases.iter().find(|c| {
        c.query.workflow_id == q.workflow_id.trim()
            && c.query.node_id == q.node_id.trim()
            && same_number(&c.query.callee, &q.callee)
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
        Some(c) => answer(&shared, StatusCode::OK, c.body),
        None => answer(
            &shared,
            StatusCode::OK,
            serde_json::json!({"data": null, "status": "OK", "code": 200}).to_string(),
        ),
    }
}

/// The answers for [`super::FAULT_CALLEES`].
async fn fault(shared: &Shared, callee: &str) -> Option<Response> {
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
        "+10000000001" => answer(shared, StatusCode::OK, envelope(10001, "ParamError", "workflow not found").to_string()),
        "+10000000408" => {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            answer(shared, StatusCode::OK, envelope(200, "OK", "").to_string())
        }
        _ => return None,
    })
}
