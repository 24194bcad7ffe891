//! One exchange on a connection of its own, for an answer read for the screen: HTTP/1.1
//! written and read here (the head parsed by `httparse`, hyper's own parser; TLS by rustls),
//! so that the body goes from the socket straight into the memory it stays in.
//!
//! Why not reqwest here: hyper reads every byte into a buffer of its own first, and the
//! copy out of it, on top of faulting in the body's pages, made a 17 MB answer take 13–20 ms
//! to read on loopback; read straight into its buffer it takes 9–11 ms. Sign-ins, batches
//! (many answers on pooled connections) and anything through a proxy still go through
//! reqwest ([`super::Client`] picks).

use std::io;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_rustls::rustls;

use super::body::Body;
use crate::api::error::ConnectKind;
use crate::json::scan::TranscriptScan;

/// A response head (status line and headers) larger than this is refused.
const MAX_HEAD: usize = 64 * 1024;
/// A chunk-size line longer than this is refused.
const MAX_LINE: usize = 4096;
/// A small or unannounced body is read this much at a time.
const SCRATCH: usize = 64 * 1024;

/// A connection, plain or TLS.
pub(super) trait Io: AsyncRead + AsyncWrite + Unpin + Send + Sync {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Sync> Io for T {}

/// Where a request goes: from a validated base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Target {
    tls: bool,
    /// The host to connect to and to name in TLS (an IPv6 address without brackets).
    host: String,
    port: u16,
    /// What the `Host` header says.
    authority: String,
}

impl Target {
    pub(super) fn of(url: &reqwest::Url) -> Option<Target> {
        let tls = match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return None,
        };
        let host = match url.host()? {
            url::Host::Domain(d) => d.to_string(),
            url::Host::Ipv4(ip) => ip.to_string(),
            url::Host::Ipv6(ip) => ip.to_string(),
        };
        let port = url.port_or_known_default()?;
        let authority = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str()?),
            None => url.host_str()?.to_string(),
        };
        Some(Target {
            tls,
            host,
            port,
            authority,
        })
    }
}

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

/// How the body's end is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Length(u64),
    Chunked,
    /// Until the server closes the connection.
    Close,
    /// None (204, 304).
    Empty,
}

/// An answer whose head is read; its body is read by [`Response::read_body`].
pub(super) struct Response {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    io: Box<dyn Io>,
    /// Bytes read past what has been taken (the head's last read, a chunk line's).
    pending: Vec<u8>,
    at: usize,
    framing: Framing,
    deadline: Instant,
}

/// POSTs `body` to `path` at `target` with `headers` (`Host`, `Content-Length` and
/// `Connection: close` are added), and reads the answer's head.
pub(super) async fn post(
    target: &Target,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
    connect_within: Duration,
    total: Duration,
) -> Result<Response, WireError> {
    let deadline = Instant::now() + total;
    let connect_by = (Instant::now() + connect_within).min(deadline);
    let mut io = tokio::time::timeout_at(connect_by, connect(target))
        .await
        .map_err(|_| WireError::Timeout { connecting: true })??;
    // It holds the token: wiped when dropped, whichever way the exchange ends.
    let request = zeroize::Zeroizing::new(request_bytes(target, path, headers, body));
    // Names only, never values: the token is one.
    let names: Vec<&str> = headers.keys().map(|n| n.as_str()).collect();
    tracing::trace!(path, ?names, bytes = request.len(), "sending the request");
    let exchange = async move {
        io.write_all(&request).await.map_err(broken)?;
        io.flush().await.map_err(broken)?;
        tracing::trace!("request sent; waiting for the answer");
        Response::read_head(io, deadline).await
    };
    tokio::time::timeout_at(deadline, exchange)
        .await
        .map_err(|_| WireError::Timeout { connecting: false })?
}

fn request_bytes(target: &Target, path: &str, headers: &HeaderMap, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(512 + body.len());
    out.extend_from_slice(
        format!("POST {path} HTTP/1.1\r\nHost: {}\r\n", target.authority).as_bytes(),
    );
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(body);
    out
}

async fn connect(target: &Target) -> Result<Box<dyn Io>, WireError> {
    tracing::debug!(host = %target.host, port = target.port, tls = target.tls, "connecting");
    let tcp = TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(connect_error)?;
    // The request goes in one write; an answer's last segment should not wait either.
    let _ = tcp.set_nodelay(true);
    if !target.tls {
        return Ok(Box::new(tcp));
    }
    let tls_error = |detail: String| WireError::Connect {
        kind: ConnectKind::Tls,
        detail,
    };
    let config = tls_config().map_err(tls_error)?;
    let name = rustls::pki_types::ServerName::try_from(target.host.clone())
        .map_err(|e| tls_error(format!("{e}")))?;
    let stream = tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| tls_error(format!("TLS handshake: {e}")))?;
    tracing::trace!("TLS handshake done");
    Ok(Box::new(stream))
}

fn connect_error(e: io::Error) -> WireError {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    let kind = if e.kind() == io::ErrorKind::ConnectionRefused {
        ConnectKind::Refused
    } else if lower.contains("lookup address") || lower.contains("name or service not known") {
        ConnectKind::Dns
    } else {
        ConnectKind::Other
    };
    WireError::Connect { kind, detail: text }
}

/// The platform's roots (as reqwest loads them), once per process.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            let (added, _) = roots.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err("no root certificates were found on this machine".into());
            }
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let mut config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| e.to_string())?
                .with_root_certificates(roots)
                .with_no_client_auth();
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            Ok(Arc::new(config))
        })
        .clone()
}

impl Response {
    /// Reads the head of the answer on `io` (interim 1xx answers skipped).
    pub(super) async fn read_head(
        mut io: Box<dyn Io>,
        deadline: Instant,
    ) -> Result<Response, WireError> {
        let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
        loop {
            if let Some((used, status, headers)) = parse_head(&buf)? {
                if (100..200).contains(&status) && status != 101 {
                    buf.drain(..used);
                    continue;
                }
                let framing = framing(status, &headers)?;
                let names: Vec<&str> = headers.keys().map(|n| n.as_str()).collect();
                tracing::debug!(status, ?framing, ?names, "answer head read");
                return Ok(Response {
                    status,
                    headers,
                    io,
                    pending: buf,
                    at: used,
                    framing,
                    deadline,
                });
            }
            if buf.len() >= MAX_HEAD {
                return Err(WireError::Broken(
                    "the answer's head is larger than 64 KiB".into(),
                ));
            }
            let old = buf.len();
            buf.resize(old + 16 * 1024, 0);
            let n = io.read(&mut buf[old..]).await.map_err(broken)?;
            buf.truncate(old + n);
            if n == 0 {
                return Err(WireError::Broken(
                    "the connection closed before an answer came".into(),
                ));
            }
        }
    }

    /// The length the head announces, if it does.
    pub(super) fn content_length(&self) -> Option<u64> {
        match self.framing {
            Framing::Length(n) => Some(n),
            Framing::Empty => Some(0),
            _ => None,
        }
    }

    /// Reads the whole body: refused past `cap` bytes when `strict`, cut there otherwise;
    /// a big one comes with where its transcript is ([`Body::freeze`]).
    pub(super) async fn read_body(
        mut self,
        cap: u64,
        strict: bool,
    ) -> Result<(Bytes, Option<TranscriptScan>), BodyError> {
        let announced = self.content_length();
        if strict && announced.is_some_and(|n| n > cap) {
            return Err(BodyError::TooLarge);
        }
        let size = announced.unwrap_or(16 * 1024).min(cap);
        let mut body = Body::for_length(usize::try_from(size).unwrap_or(usize::MAX));
        let deadline = self.deadline;
        tokio::time::timeout_at(deadline, self.read_all(&mut body, cap, strict))
            .await
            .map_err(|_| WireError::Timeout { connecting: false })??;
        tracing::debug!(bytes = body.len(), "answer body read");
        Ok(body.freeze())
    }

    async fn read_all(&mut self, body: &mut Body, cap: u64, strict: bool) -> Result<(), BodyError> {
        match self.framing {
            Framing::Empty => Ok(()),
            Framing::Close => self.copy(body, u64::MAX, cap, strict).await.map(|_| ()),
            Framing::Length(n) => match self.copy(body, n, cap, strict).await? {
                Copied::Short(got) => Err(WireError::Broken(format!(
                    "the connection closed after {got} of the {n} bytes announced"
                ))
                .into()),
                Copied::All | Copied::Cut => Ok(()),
            },
            Framing::Chunked => loop {
                let line = self.line().await?;
                let size = chunk_size(&line)?;
                if size == 0 {
                    return self.trailers().await.map_err(Into::into);
                }
                match self.copy(body, size, cap, strict).await? {
                    Copied::Cut => return Ok(()),
                    Copied::Short(_) => {
                        return Err(WireError::Broken(
                            "the connection closed inside a chunk of the answer".into(),
                        )
                        .into());
                    }
                    Copied::All => {}
                }
                if !self.line().await?.is_empty() {
                    return Err(WireError::Broken(
                        "a chunk of the answer is longer than its size says".into(),
                    )
                    .into());
                }
            },
        }
    }

    /// Moves up to `want` bytes into `body` (up to the end of the stream for `u64::MAX`).
    async fn copy(
        &mut self,
        body: &mut Body,
        want: u64,
        cap: u64,
        strict: bool,
    ) -> Result<Copied, BodyError> {
        let mut got = 0u64;
        while got < want {
            let room = cap.saturating_sub(body.len() as u64);
            if room == 0 {
                // Is there more? One byte tells.
                let mut probe = [0u8; 1];
                if self.read_raw(&mut probe).await? == 0 {
                    return Ok(if want == u64::MAX {
                        Copied::All
                    } else {
                        Copied::Short(got)
                    });
                }
                return if strict {
                    Err(BodyError::TooLarge)
                } else {
                    Ok(Copied::Cut)
                };
            }
            let max = usize::try_from((want - got).min(room)).unwrap_or(usize::MAX);
            let n = self.read_into(body, max).await?;
            if n == 0 {
                return Ok(if want == u64::MAX {
                    Copied::All
                } else {
                    Copied::Short(got)
                });
            }
            got += n as u64;
        }
        Ok(Copied::All)
    }

    /// Up to `max` (≥ 1) bytes into `body`, from what was read ahead or from the connection:
    /// into the body's own memory when it has room, else through a scratch buffer.
    async fn read_into(&mut self, body: &mut Body, max: usize) -> Result<usize, WireError> {
        if self.at < self.pending.len() {
            let n = max.min(self.pending.len() - self.at);
            body.push(&self.pending[self.at..self.at + n]);
            self.at += n;
            return Ok(n);
        }
        if let Some(room) = body.spare(max) {
            let n = self.io.read(room).await.map_err(broken)?;
            body.advance(n);
            return Ok(n);
        }
        let mut scratch = vec![0u8; max.min(SCRATCH)];
        let n = self.io.read(&mut scratch).await.map_err(broken)?;
        body.push(&scratch[..n]);
        Ok(n)
    }

    /// Bytes into `out`, from what was read ahead or from the connection; 0 at the end.
    async fn read_raw(&mut self, out: &mut [u8]) -> Result<usize, WireError> {
        if self.at < self.pending.len() {
            let n = out.len().min(self.pending.len() - self.at);
            out[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
            self.at += n;
            return Ok(n);
        }
        self.io.read(out).await.map_err(broken)
    }

    /// One line of the chunked framing, without its line end.
    async fn line(&mut self) -> Result<Vec<u8>, WireError> {
        loop {
            let ahead = &self.pending[self.at..];
            if let Some(i) = memchr::memchr(b'\n', ahead) {
                let mut line = ahead[..i].to_vec();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                self.at += i + 1;
                return Ok(line);
            }
            if ahead.len() > MAX_LINE {
                return Err(WireError::Broken(
                    "a line of the chunked answer is too long".into(),
                ));
            }
            // Keep what is left, then read more after it.
            self.pending.drain(..self.at);
            self.at = 0;
            let old = self.pending.len();
            self.pending.resize(old + MAX_LINE, 0);
            let n = self
                .io
                .read(&mut self.pending[old..])
                .await
                .map_err(broken)?;
            self.pending.truncate(old + n);
            if n == 0 {
                return Err(WireError::Broken(
                    "the connection closed inside the chunked answer".into(),
                ));
            }
        }
    }

    /// The trailer fields after the last chunk, up to the empty line: read and dropped.
    async fn trailers(&mut self) -> Result<(), WireError> {
        let mut total = 0;
        loop {
            let line = self.line().await?;
            if line.is_empty() {
                return Ok(());
            }
            total += line.len();
            if total > MAX_HEAD {
                return Err(WireError::Broken(
                    "the answer's trailers are larger than 64 KiB".into(),
                ));
            }
        }
    }
}

/// How far [`Response::copy`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    All,
    /// The stream ended after this many bytes.
    Short(u64),
    /// Cut at the cap (not strict).
    Cut,
}

type Head = (usize, u16, HeaderMap);

/// The head at the start of `buf`, when it is all there: its length, status and headers.
fn parse_head(buf: &[u8]) -> Result<Option<Head>, WireError> {
    let mut slots = [httparse::EMPTY_HEADER; 128];
    let mut response = httparse::Response::new(&mut slots);
    let used = match response.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => {
            return Err(WireError::Broken(format!(
                "the server's answer is not HTTP/1.1 ({e})"
            )));
        }
    };
    let status = response.code.unwrap_or(0);
    let mut headers = HeaderMap::with_capacity(response.headers.len());
    for h in response.headers.iter() {
        // httparse checked the name's characters; a value with bytes HTTP does not allow
        // is dropped, as reqwest does not accept it either.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(h.name.as_bytes()),
            HeaderValue::from_bytes(h.value),
        ) {
            headers.append(name, value);
        }
    }
    Ok(Some((used, status, headers)))
}

/// How the body of an answer with `status` and `headers` ends (RFC 9112, section 6.3).
fn framing(status: u16, headers: &HeaderMap) -> Result<Framing, WireError> {
    if status == 204 || status == 304 {
        return Ok(Framing::Empty);
    }
    let codings: Vec<&HeaderValue> = headers.get_all("transfer-encoding").iter().collect();
    if let Some(last) = codings.last() {
        let chunked = last
            .to_str()
            .ok()
            .and_then(|v| v.rsplit(',').next())
            .is_some_and(|c| c.trim().eq_ignore_ascii_case("chunked"));
        return Ok(if chunked {
            Framing::Chunked
        } else {
            Framing::Close
        });
    }
    let mut length = None;
    for value in headers.get_all("content-length") {
        for part in value.to_str().unwrap_or("x").split(',') {
            let n: u64 = part.trim().parse().map_err(|_| {
                WireError::Broken("the answer's Content-Length is not a number".into())
            })?;
            if length.is_some_and(|l| l != n) {
                return Err(WireError::Broken(
                    "the answer gives two different Content-Lengths".into(),
                ));
            }
            length = Some(n);
        }
    }
    Ok(length.map_or(Framing::Close, Framing::Length))
}

/// A chunk-size line's size (extensions after `;` ignored).
fn chunk_size(line: &[u8]) -> Result<u64, WireError> {
    let bad = || WireError::Broken("a chunk size in the answer is not a hexadecimal number".into());
    let digits = line.split(|&b| b == b';').next().unwrap_or(&[]);
    let digits = std::str::from_utf8(digits).map_err(|_| bad())?.trim();
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    u64::from_str_radix(digits, 16).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tokio::io::AsyncWriteExt;

    /// The answer `parts` make, written piece by piece (each a read of its own at most) by a
    /// server that then closes, and its head read.
    async fn answer(parts: Vec<Vec<u8>>) -> Result<Response, WireError> {
        let (ours, mut theirs) = tokio::io::duplex(64);
        tokio::spawn(async move {
            for p in parts {
                if theirs.write_all(&p).await.is_err() {
                    return;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        Response::read_head(Box::new(ours), deadline).await
    }

    async fn whole(r: Response, cap: u64, strict: bool) -> Result<Bytes, BodyError> {
        r.read_body(cap, strict).await.map(|(bytes, _)| bytes)
    }

    async fn body_of(text: &[u8], cap: u64, strict: bool) -> Result<Bytes, BodyError> {
        whole(answer(vec![text.to_vec()]).await?, cap, strict).await
    }

    async fn read(text: &str) -> Result<Bytes, BodyError> {
        body_of(text.as_bytes(), 1 << 20, true).await
    }

    fn broken_with(r: Result<Bytes, BodyError>, words: &str) {
        match r {
            Err(BodyError::Wire(WireError::Broken(d))) => {
                assert!(d.contains(words), "{d} (wanted: {words})")
            }
            other => panic!("expected a broken answer ({words}), got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_head_in_pieces_and_a_body_of_known_length() {
        let text = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nIs-Encrypted: 1\r\nContent-Length: 7\r\n\r\n{\"a\":1}";
        let parts = text.iter().map(|b| vec![*b]).collect();
        let r = answer(parts).await.unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.headers["is-encrypted"], "1");
        assert_eq!(r.content_length(), Some(7));
        assert_eq!(&whole(r, 100, true).await.unwrap()[..], b"{\"a\":1}");
    }

    #[tokio::test]
    async fn interim_answers_are_skipped() {
        let b = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
            .await
            .unwrap();
        assert_eq!(&b[..], b"{}");
    }

    #[tokio::test]
    async fn chunked_with_extensions_and_trailers() {
        let b = read(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
             3;name=value\r\n{\"a\r\nA\r\n\":[1,2,3]}\r\n0\r\nX-Sum: 1\r\n\r\n",
        )
        .await
        .unwrap();
        assert_eq!(&b[..], b"{\"a\":[1,2,3]}");
    }

    #[tokio::test]
    async fn until_close_and_no_body() {
        assert_eq!(
            &read("HTTP/1.1 200 OK\r\n\r\n[1]").await.unwrap()[..],
            b"[1]"
        );
        let other_coding = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz");
        assert_eq!(&other_coding.await.unwrap()[..], b"xyz");
        let none = read("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
        assert!(none.await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn caps_refuse_when_strict_and_cut_otherwise() {
        let length = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n";
        let close = b"HTTP/1.1 500 Oops\r\n\r\n0123456789";
        for text in [&length[..], &chunked[..], &close[..]] {
            assert_eq!(body_of(text, 9, true).await, Err(BodyError::TooLarge));
            assert_eq!(&body_of(text, 4, false).await.unwrap()[..], b"0123");
            assert_eq!(&body_of(text, 10, true).await.unwrap()[..], b"0123456789");
            assert_eq!(&body_of(text, 0, false).await.unwrap()[..], b"");
        }
    }

    #[tokio::test]
    async fn broken_answers_say_what_is_wrong() {
        broken_with(
            read("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}").await,
            "after 2 of the 9",
        );
        broken_with(
            read("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n{}").await,
            "not a number",
        );
        broken_with(
            read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}").await,
            "two different",
        );
        for size in ["zz", "+5", "", "1000000000000000"] {
            let text = format!(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\nabcde\r\n0\r\n\r\n"
            );
            broken_with(read(&text).await, "not a hexadecimal");
        }
        let long_chunk =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n";
        broken_with(read(long_chunk).await, "longer than its size");
        let cut = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nabc";
        broken_with(read(cut).await, "inside a chunk");
        let no_end = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n";
        broken_with(read(no_end).await, "inside the chunked answer");
        let endless = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{}",
            "0".repeat(10_000)
        );
        broken_with(read(&endless).await, "too long");
        let trailers = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n{}",
            "X-A: 1\r\n".repeat(20_000)
        );
        broken_with(read(&trailers).await, "trailers");
    }

    #[tokio::test]
    async fn heads_that_are_not_http_or_too_large_or_missing() {
        let head = |r: Result<Response, WireError>| r.err().expect("no answer");
        let not_http = head(answer(vec![b"SSH-2.0-OpenSSH\r\n\r\n".to_vec()]).await);
        assert!(
            matches!(&not_http, WireError::Broken(d) if d.contains("not HTTP/1.1")),
            "{not_http:?}"
        );
        let huge = format!("HTTP/1.1 200 OK\r\nX-A: {}\r\n", "a".repeat(70_000));
        let huge = head(answer(vec![huge.into_bytes()]).await);
        assert!(
            matches!(&huge, WireError::Broken(d) if d.contains("64 KiB")),
            "{huge:?}"
        );
        let none = head(answer(vec![b"HTTP/1.1 200".to_vec()]).await);
        assert!(
            matches!(&none, WireError::Broken(d) if d.contains("before an answer")),
            "{none:?}"
        );
    }

    #[tokio::test]
    async fn a_big_body_is_read_into_its_own_memory_whole() {
        let content: Vec<u8> = (0..(3u32 << 20))
            .map(|i| b"abcdefghij"[(i % 10) as usize])
            .collect();
        let mut text = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
            content.len()
        )
        .into_bytes();
        text.extend_from_slice(&content);
        let parts = text.chunks(100_003).map(<[u8]>::to_vec).collect();
        let r = answer(parts).await.unwrap();
        assert_eq!(whole(r, 64 << 20, true).await.unwrap(), content);
    }

    #[tokio::test]
    async fn a_stalled_body_times_out() {
        let (ours, mut theirs) = tokio::io::duplex(64);
        theirs
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{")
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_millis(50);
        let r = Response::read_head(Box::new(ours), deadline).await.unwrap();
        assert_eq!(
            whole(r, 100, true).await,
            Err(BodyError::Wire(WireError::Timeout { connecting: false }))
        );
        drop(theirs);
    }

    #[test]
    fn targets_and_the_request_bytes() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        let t = Target::of(&url("https://api.airudder.com/gw")).unwrap();
        assert_eq!(
            (t.tls, t.host.as_str(), t.port, t.authority.as_str()),
            (true, "api.airudder.com", 443, "api.airudder.com")
        );
        let t = Target::of(&url("http://[::1]:8080")).unwrap();
        assert_eq!(
            (t.tls, t.host.as_str(), t.port, t.authority.as_str()),
            (false, "::1", 8080, "[::1]:8080")
        );
        assert!(Target::of(&url("ftp://example.com")).is_none());
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        let bytes = request_bytes(
            &Target::of(&url("http://127.0.0.1:9")).unwrap(),
            "/a/b",
            &headers,
            b"{}",
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "POST /a/b HTTP/1.1\r\nHost: 127.0.0.1:9\r\ncontent-type: application/json\r\n\
             Content-Length: 2\r\nConnection: close\r\n\r\n{}"
        );
    }

    proptest! {
        #![proptest_config(crate::proptest_config::config(200))]

        /// Any body, sent in any chunks, arriving in any pieces, reads back whole.
        #[test]
        fn chunked_bodies_read_back_whole(
            body in proptest::collection::vec(any::<u8>(), 0..3000),
            chunk in 1usize..700,
            piece in 1usize..300,
        ) {
            let mut text = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            for c in body.chunks(chunk) {
                text.extend_from_slice(format!("{:x}\r\n", c.len()).as_bytes());
                text.extend_from_slice(c);
                text.extend_from_slice(b"\r\n");
            }
            text.extend_from_slice(b"0\r\n\r\n");
            let parts: Vec<Vec<u8>> = text.chunks(piece).map(<[u8]>::to_vec).collect();
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let got = rt.block_on(async { whole(answer(parts).await.unwrap(), 1 << 20, true).await });
            prop_assert_eq!(got.unwrap(), body);
        }
    }
}
