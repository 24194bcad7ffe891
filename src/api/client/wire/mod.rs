//! One exchange on a connection of its own, for an answer read for the screen: HTTP/1.1
//! written and read here (the head parsed by `httparse`, hyper's own parser; TLS by rustls),
//! so that the body goes from the socket straight into the memory it stays in.
//!
//! Why not reqwest here: hyper reads every byte into a buffer of its own first, and the
//! copy out of it, on top of faulting in the body's pages, made a 17 MB answer take 13–20 ms
//! to read on loopback; read straight into its buffer it takes 9–11 ms. Sign-ins, batches
//! (many answers on pooled connections) and anything through a proxy still go through
//! reqwest ([`super::Client`] picks).

mod connect;
mod response;
#[cfg(test)]
mod tests;

use std::io;
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

use crate::api::error::ConnectKind;

use connect::connect;
pub(super) use connect::{Idle, Target};
pub(super) use response::Response;

/// A connection, plain or TLS.
pub(in crate::api::client) trait Io:
    AsyncRead + AsyncWrite + Unpin + Send + Sync
{
}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Sync> Io for T {}

/// What went wrong on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum WireError {
    Connect {
        kind: ConnectKind,
        detail: String,
    },
    /// Connecting (`connecting`) or the whole exchange took longer than allowed.
    Timeout {
        connecting: bool,
    },
    /// The connection failed, or the server's answer is not HTTP as it should be.
    Broken(String),
}

/// Why a body was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum BodyError {
    /// Over the cap, read strictly.
    TooLarge,
    Wire(WireError),
}

impl From<WireError> for BodyError {
    fn from(e: WireError) -> Self {
        BodyError::Wire(e)
    }
}

fn broken(e: io::Error) -> WireError {
    WireError::Broken(format!("the connection failed: {e}"))
}

/// A deadline `d` from now (a timeout of centuries is as good as none, and cannot overflow).
fn after(d: Duration) -> Instant {
    Instant::now() + d.min(Duration::from_secs(100 * 365 * 86_400))
}

/// POSTs `body` to `path` at `target` with `headers` (`Host` and `Content-Length` are added),
/// on the connection `idle` kept if there is one, and reads the answer's head.
pub(super) async fn post(
    target: &Target,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
    (connect_within, total): (Duration, Duration),
    idle: &Idle,
) -> Result<Response, WireError> {
    let deadline = after(total);
    // It holds the token: wiped when dropped, whichever way the exchange ends.
    let request = zeroize::Zeroizing::new(request_bytes(target, path, headers, body));
    // Names only, never values: the token is one.
    let names: Vec<&str> = headers.keys().map(|n| n.as_str()).collect();
    tracing::trace!(path, ?names, bytes = request.len(), "sending the request");
    if let Some(io) = idle.take(target) {
        match exchange(io, &request, deadline).await {
            // The server may have closed it meanwhile: a lookup changes nothing, so it is
            // asked again on a new connection.
            Err(WireError::Broken(why)) => {
                tracing::debug!(why, "the kept connection failed; connecting again");
            }
            other => return other.map(|r| r.keeping(idle, target)),
        }
    }
    let connect_by = after(connect_within).min(deadline);
    let io = tokio::time::timeout_at(connect_by, connect(target, connect_within))
        .await
        .map_err(|_| WireError::Timeout { connecting: true })??;
    exchange(io, &request, deadline)
        .await
        .map(|r| r.keeping(idle, target))
}

/// Sends `request` on `io` and reads the answer's head, by `deadline`.
async fn exchange(
    mut io: Box<dyn Io>,
    request: &[u8],
    deadline: Instant,
) -> Result<Response, WireError> {
    let exchange = async move {
        io.write_all(request).await.map_err(broken)?;
        io.flush().await.map_err(broken)?;
        tracing::trace!("request sent; waiting for the answer");
        Response::read_head(io, deadline).await
    };
    tokio::time::timeout_at(deadline, exchange)
        .await
        .map_err(|_| WireError::Timeout { connecting: false })?
}

fn request_bytes(target: &Target, path: &str, headers: &HeaderMap, body: &[u8]) -> Vec<u8> {
    // Sized exactly: a buffer grown on the way would leave a copy of the token behind.
    let head: usize = headers
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len() + 4)
        .sum();
    let mut out = Vec::with_capacity(80 + path.len() + target.authority.len() + head + body.len());
    out.extend_from_slice(
        format!("POST {path} HTTP/1.1\r\nHost: {}\r\n", target.authority).as_bytes(),
    );
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}
