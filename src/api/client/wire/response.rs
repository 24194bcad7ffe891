//! An answer's head and body as they come off a connection: the head parsed by `httparse`,
//! the body framed by its length, its chunks or the connection's end (RFC 9112, section 6),
//! read into the body's own memory up to a cap.

use bytes::{BufMut, Bytes};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::io::AsyncReadExt;
use tokio::time::Instant;

use super::super::body::{Body, Early};
use super::{BodyError, Idle, Io, Target, WireError, broken};
use crate::json::scan::ListScan;

/// A response head (status line and headers) larger than this is refused.
const MAX_HEAD: usize = 64 * 1024;
/// A chunk-size line longer than this is refused.
const MAX_LINE: usize = 4096;
/// A small or unannounced body is read up to this much at a time.
const SMALL_READ: usize = 64 * 1024;

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
pub(in crate::api::client) struct Response {
    pub(in crate::api::client) status: u16,
    pub(in crate::api::client) headers: HeaderMap,
    io: Box<dyn Io>,
    /// Bytes read past what has been taken (the head's last read, a chunk line's).
    pending: Vec<u8>,
    at: usize,
    framing: Framing,
    deadline: Instant,
    /// HTTP/1.1 and no `Connection: close`: the connection may serve the next lookup.
    pub(super) reusable: bool,
    /// Where to keep the connection once the body is read, and for which target.
    keep: Option<(Idle, Target)>,
}

impl Response {
    /// Reads the head of the answer on `io` (interim 1xx answers skipped).
    pub(super) async fn read_head(
        mut io: Box<dyn Io>,
        deadline: Instant,
    ) -> Result<Response, WireError> {
        let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
        // Where to look for the head's end next: a head that comes a byte at a time is not
        // parsed again from its start after every byte.
        let mut looked: usize = 0;
        loop {
            let ends = memchr::memmem::find(&buf[looked.saturating_sub(3)..], b"\r\n\r\n")
                .or_else(|| memchr::memmem::find(&buf[looked.saturating_sub(1)..], b"\n\n"));
            looked = buf.len();
            if ends.is_some()
                && let Some((used, status, version, headers)) = parse_head(&buf)?
            {
                if (100..200).contains(&status) && status != 101 {
                    buf.drain(..used);
                    looked = 0;
                    continue;
                }
                let framing = framing(status, &headers)?;
                let names: Vec<&str> = headers.keys().map(|n| n.as_str()).collect();
                tracing::debug!(status, ?framing, ?names, "answer head read");
                let closes = headers.get_all("connection").iter().any(|v| {
                    v.to_str()
                        .unwrap_or("close")
                        .split(',')
                        .any(|t| t.trim().eq_ignore_ascii_case("close"))
                });
                return Ok(Response {
                    status,
                    headers,
                    io,
                    pending: buf,
                    at: used,
                    framing,
                    deadline,
                    reusable: version == 1 && !closes,
                    keep: None,
                });
            }
            if buf.len() >= MAX_HEAD {
                return Err(WireError::Broken(
                    "the answer's head is larger than 64 KiB".into(),
                ));
            }
            buf.reserve(16 * 1024);
            let n = io.read_buf(&mut buf).await.map_err(broken)?;
            if n == 0 {
                return Err(WireError::Broken(
                    "the connection closed before an answer came".into(),
                ));
            }
        }
    }

    /// Kept in `idle` for `target` once its body is read whole, if it may be.
    pub(super) fn keeping(mut self, idle: &Idle, target: &Target) -> Self {
        self.keep = Some((idle.clone(), target.clone()));
        self
    }

    /// The length the head announces, if it does.
    pub(in crate::api::client) fn content_length(&self) -> Option<u64> {
        match self.framing {
            Framing::Length(n) => Some(n),
            Framing::Empty => Some(0),
            _ => None,
        }
    }

    /// Reads the whole body: refused past `cap` bytes when `strict`, cut there otherwise;
    /// a big one comes with where its transcript is ([`Body::freeze`]), and `early` is
    /// called with the part before its transcript while the rest arrives.
    pub(in crate::api::client) async fn read_body(
        mut self,
        cap: u64,
        strict: bool,
        early: Option<Early>,
    ) -> Result<(Bytes, Option<ListScan>), BodyError> {
        let announced = self.content_length();
        if strict && announced.is_some_and(|n| n > cap) {
            return Err(BodyError::TooLarge);
        }
        let size = announced.unwrap_or(16 * 1024).min(cap);
        let mut body = Body::for_length(usize::try_from(size).unwrap_or(usize::MAX), early);
        let deadline = self.deadline;
        let whole = tokio::time::timeout_at(deadline, self.read_all(&mut body, cap, strict))
            .await
            .map_err(|_| WireError::Timeout { connecting: false })??;
        // Read to its end, and nothing after it: the connection can serve the next lookup.
        if whole
            && self.reusable
            && self.framing != Framing::Close
            && self.at == self.pending.len()
            && let Some((idle, target)) = self.keep.take()
        {
            idle.put(target, self.io);
        }
        tracing::debug!(bytes = body.len(), "answer body read");
        Ok(body.freeze())
    }

    /// Reads the body into `body`; true when it was read to its end (not cut at the cap).
    async fn read_all(
        &mut self,
        body: &mut Body,
        cap: u64,
        strict: bool,
    ) -> Result<bool, BodyError> {
        match self.framing {
            Framing::Empty => Ok(true),
            Framing::Close => Ok(self.copy(body, u64::MAX, cap, strict).await? == Copied::All),
            Framing::Length(n) => match self.copy(body, n, cap, strict).await? {
                Copied::Short(got) => Err(WireError::Broken(format!(
                    "the connection closed after {got} of the {n} bytes announced"
                ))
                .into()),
                Copied::All => Ok(true),
                Copied::Cut => Ok(false),
            },
            Framing::Chunked => loop {
                let line = self.line().await?;
                let size = chunk_size(&line)?;
                if size == 0 {
                    return self.trailers().await.map(|()| true).map_err(Into::into);
                }
                match self.copy(body, size, cap, strict).await? {
                    Copied::Cut => return Ok(false),
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
        // The stream's end after `got` bytes: all that was wanted when that is "to the end".
        let ended = |got| {
            if want == u64::MAX {
                Copied::All
            } else {
                Copied::Short(got)
            }
        };
        let mut got = 0u64;
        while got < want {
            let room = cap.saturating_sub(body.len() as u64);
            if room == 0 {
                // Is there more? One byte tells.
                let mut probe = [0u8; 1];
                if self.read_raw(&mut probe).await? == 0 {
                    return Ok(ended(got));
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
                return Ok(ended(got));
            }
            got += n as u64;
        }
        Ok(Copied::All)
    }

    /// Up to `max` (≥ 1) bytes into `body`, from what was read ahead or from the connection,
    /// straight into the body's memory (not through a buffer allocated for each read).
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
        if let Body::Small(b) = body {
            // Into its spare capacity, not zeroed first.
            b.reserve(max.min(SMALL_READ));
            let mut room = (&mut *b).limit(max);
            return self.io.read_buf(&mut room).await.map_err(broken);
        }
        // A big body given more than it announced: pushed, it goes on in ordinary memory.
        let mut chunk = [0u8; 4096];
        let n = self
            .io
            .read(&mut chunk[..max.min(4096)])
            .await
            .map_err(broken)?;
        body.push(&chunk[..n]);
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

/// A head's length, status, HTTP/1 minor version and headers.
type Head = (usize, u16, u8, HeaderMap);

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
    if status < 100 {
        return Err(WireError::Broken(format!(
            "the server's answer has no valid status ({status:03})"
        )));
    }
    let version = response.version.unwrap_or(0);
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
    Ok(Some((used, status, version, headers)))
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
            let digits = part.trim();
            let n: u64 = digits
                .parse()
                .ok()
                .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
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
