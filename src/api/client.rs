//! The HTTP client for the verify call: one reused `reqwest::Client` (keep-alive, rustls),
//! connect and total timeouts, no redirects (the token must not follow one), a capped body.

use std::error::Error as _;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use chrono::{DateTime, Local};
use reqwest::header::{self, HeaderValue};
use zeroize::Zeroize;

use super::aes::{self, AesKey, DecryptError};
use super::error::{ApiError, ConnectKind, redact};
use super::model::{DataSlot, Document, LeftOut, ParseError, parse_document, parse_head_scanned};
use super::scan::Scanned;
use super::secret::Secret;
use super::{Data, VERIFY_PATH};
use crate::text::one_line;

/// The four ids a lookup takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Query {
    pub workflow_id: String,
    pub node_id: String,
    pub callee: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
}

impl Query {
    /// The request body: the three required ids, and `case_id` only when given.
    pub fn body(&self) -> Vec<u8> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            workflow_id: &'a str,
            node_id: &'a str,
            callee: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            case_id: Option<&'a str>,
        }
        let case_id = self
            .case_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        serde_json::to_vec(&Body {
            workflow_id: self.workflow_id.trim(),
            node_id: self.node_id.trim(),
            callee: self.callee.trim(),
            case_id,
        })
        .unwrap_or_default()
    }
}

impl Query {
    /// The ids a push carries, as the verify call wants them: `workflow_id`, `node_id`,
    /// `callee.callee_number` (else `call.callee_number`) and `callee.case_id` when set.
    pub fn from_push(data: &Data) -> Result<Query, ApiError> {
        let callee = data
            .callee
            .callee_number
            .value()
            .or(data.call.callee_number.value())
            .unwrap_or("")
            .to_string();
        let q = Query {
            workflow_id: data.workflow_id.value().unwrap_or("").to_string(),
            node_id: data.node_id.value().unwrap_or("").to_string(),
            callee,
            case_id: data.callee.case_id.value().map(str::to_string),
        };
        let missing: Vec<&str> = [
            ("workflow_id", &q.workflow_id),
            ("node_id", &q.node_id),
            ("callee.callee_number", &q.callee),
        ]
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(n, _)| *n)
        .collect();
        if missing.is_empty() {
            Ok(q)
        } else {
            Err(ApiError::WrongShape {
                what: format!("the push has no {}", missing.join(", ")),
            })
        }
    }
}

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: String,
    pub timeout: Duration,
    pub max_body: u64,
    pub allow_http: bool,
    /// The account's AES key, when it has the encrypted transport switched on.
    pub aes: Option<AesKey>,
}

pub const DEFAULT_TIMEOUT_SECS: u64 = 30;
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            base_url: super::DEFAULT_BASE_URL.into(),
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            max_body: DEFAULT_MAX_BODY,
            allow_http: false,
            aes: None,
        }
    }
}

/// One HTTP exchange that came back 2xx with its whole body.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub url: String,
    pub status: u16,
    pub latency: Duration,
    pub body: Bytes,
    pub received_at: DateTime<Local>,
    /// Set when the transcript scan ([`crate::api::scan`]) ran over the body as it arrived:
    /// the span it found, if any. A hint for [`interpret_for_screen`], which checks it.
    pub transcript_scan: Scanned,
}

/// A 2xx answer whose body holds a push.
#[derive(Debug, Clone)]
pub struct Answer {
    pub exchange: Exchange,
    pub document: Document,
    /// The exchange used the AES transport (the body here is the decrypted text).
    pub encrypted: bool,
    /// Set when the document was read without its big lists ([`interpret_head`]): where
    /// the text of `call.asr_result` and `call.redial_call` lies in the body, to be read
    /// later ([`crate::api::model::complete`]).
    pub left_out: LeftOut,
}

impl Answer {
    /// The push. Always there: [`interpret`] refuses answers without one.
    pub fn data(&self) -> &Data {
        static EMPTY: std::sync::OnceLock<Data> = std::sync::OnceLock::new();
        self.document
            .data()
            .unwrap_or_else(|| EMPTY.get_or_init(Data::default))
    }

    /// `code` and `status` as sent, when the answer had an envelope.
    pub fn code_status(&self) -> Option<(String, String)> {
        match &self.document {
            Document::Envelope(e) => Some((e.code.show().into(), e.status.show().into())),
            Document::Push(_) => None,
        }
    }
}

/// Reads an answer's body: JSON, an object, an envelope that says OK, and a push in `data`.
pub fn interpret(exchange: Exchange) -> Result<Answer, ApiError> {
    interpret_without(exchange, "")
}

/// From this size on, the inspector shows an answer before reading its transcript and
/// redials: below it, reading everything takes a few milliseconds, and an answer is
/// simplest whole.
pub const SKIM_FROM: usize = 1 << 20;

/// [`interpret`] that leaves the transcript and the redials out (see
/// [`crate::api::model::parse_head`]): the answer comes back with `call.asr_result` and
/// `call.redial_call` empty and [`left_out`](Answer::left_out) saying where their text is,
/// to be read with [`crate::api::model::complete`].
pub fn interpret_head(exchange: Exchange) -> Result<Answer, ApiError> {
    interpret_with(exchange, "", parse_head_scanned)
}

/// How the inspector reads an answer to show: [`interpret_head`] from [`SKIM_FROM`] bytes,
/// [`interpret`] below.
pub fn interpret_for_screen(exchange: Exchange) -> Result<Answer, ApiError> {
    interpret_with(exchange, "", parse_for_screen)
}

/// [`interpret`], keeping `secret` (the token, if the server echoes it) out of the error.
fn interpret_without(exchange: Exchange, secret: &str) -> Result<Answer, ApiError> {
    interpret_with(exchange, secret, parse_whole)
}

/// The whole document, transcript included.
fn parse_whole(body: &[u8], _: Scanned) -> Result<(Document, LeftOut), ParseError> {
    parse_document(body).map(|d| (d, LeftOut::default()))
}

/// The document without its transcript and redials when the body is large, whole
/// otherwise.
fn parse_for_screen(body: &[u8], scanned: Scanned) -> Result<(Document, LeftOut), ParseError> {
    if body.len() >= SKIM_FROM {
        parse_head_scanned(body, scanned)
    } else {
        parse_whole(body, None)
    }
}

fn interpret_with(
    exchange: Exchange,
    secret: &str,
    parse: impl FnOnce(&[u8], Scanned) -> Result<(Document, LeftOut), ParseError>,
) -> Result<Answer, ApiError> {
    if exchange.body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::NotJson {
            detail: "the body is empty".into(),
            body_start: String::new(),
        });
    }
    let (document, range) =
        parse(&exchange.body, exchange.transcript_scan.clone()).map_err(|e| match e {
            ParseError::NotJson(detail) => ApiError::NotJson {
                detail: one_line(&detail),
                body_start: ApiError::body_excerpt_without(&exchange.body, secret),
            },
            ParseError::WrongShape(what) => ApiError::WrongShape { what },
        })?;
    check_document_without(&document, secret)?;
    Ok(Answer {
        exchange,
        document,
        encrypted: false,
        left_out: range,
    })
}

/// Refuses an envelope that is not OK or carries no push.
pub fn check_document(document: &Document) -> Result<(), ApiError> {
    check_document_without(document, "")
}

fn check_document_without(document: &Document, secret: &str) -> Result<(), ApiError> {
    let Document::Envelope(env) = document else {
        return Ok(());
    };
    let code_ok = match &env.code {
        super::tolerant::Scalar::Absent => true,
        c => c.as_i64() == Some(200),
    };
    let status_ok = match env.status.as_str() {
        None => true,
        Some(s) => s.trim().eq_ignore_ascii_case("ok"),
    };
    if !code_ok || !status_ok {
        let field = |s: &str, max| crate::text::clip(&one_line(&redact(s, secret)), max);
        return Err(ApiError::Api {
            code: field(env.code.as_str().unwrap_or("(none)"), 40),
            status: field(env.status.as_str().unwrap_or("(none)"), 60),
            message: field(env.message.show(), 200),
        });
    }
    match &env.data {
        // `"data": {}` says as little as `null`.
        DataSlot::Object(d)
            if **d
                == (Data {
                    shape: d.shape,
                    ..Data::default()
                }) =>
        {
            Err(ApiError::NoRecord)
        }
        DataSlot::Object(_) => Ok(()),
        DataSlot::Null | DataSlot::Absent => Err(ApiError::NoRecord),
        DataSlot::Wrong(kind) => Err(ApiError::WrongShape {
            what: format!("`data` is {}, not an object", kind.name()),
        }),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Checks a base URL: http(s) only, and plain http only to loopback unless allowed.
/// Returns it normalised, without a trailing `/`; no user, password, query or fragment.
pub fn validate_base_url(url: &str, allow_http: bool) -> Result<String, ApiError> {
    let trimmed = url.trim().trim_end_matches('/');
    let shown = || crate::text::clip(&one_line(url), 200);
    let parsed = reqwest::Url::parse(trimmed).map_err(|e| ApiError::BadUrl {
        url: shown(),
        reason: e.to_string(),
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        let mut safe = parsed.clone();
        let _ = safe.set_username("");
        let _ = safe.set_password(None);
        return Err(ApiError::BadUrl {
            url: safe.as_str().trim_end_matches('/').to_string(),
            reason: "a user name or password in the URL is not supported".into(),
        });
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(ApiError::BadUrl {
            url: shown(),
            reason: "the base URL cannot have a query (?) or fragment (#)".into(),
        });
    }
    match parsed.scheme() {
        "https" => {}
        "http" => {
            if !is_loopback(&parsed) && !allow_http {
                return Err(ApiError::InsecureUrl {
                    host: parsed.host_str().unwrap_or("").to_string(),
                });
            }
        }
        other => {
            return Err(ApiError::BadUrl {
                url: one_line(url),
                reason: format!("scheme {other:?} is not http or https"),
            });
        }
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::BadUrl {
            url: one_line(url),
            reason: "no host".into(),
        });
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

fn is_encrypted(headers: &header::HeaderMap) -> bool {
    headers
        .get(aes::HEADER_ENCRYPTED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "1" || v.trim().eq_ignore_ascii_case("true"))
}

/// Decrypts an encrypted answer and checks its `Signed` header when there is one.
pub fn decrypt_answer(
    key: &AesKey,
    body: &[u8],
    signed: Option<&str>,
) -> Result<Vec<u8>, ApiError> {
    let plain = key.decrypt(body).map_err(|e| ApiError::Decrypt {
        detail: match e {
            DecryptError::NotBase64 => "the body is not Base64".into(),
            DecryptError::BadLength => "the body is not a whole number of AES blocks".into(),
            DecryptError::Garbage => "the key turns it into bytes that are not text".into(),
        },
    })?;
    let trimmed = plain.trim_ascii_start();
    if !(trimmed.starts_with(b"{") || trimmed.starts_with(b"[")) {
        return Err(ApiError::Decrypt {
            detail: "the decrypted text is not JSON".into(),
        });
    }
    if let Some(got) = signed.filter(|s| !s.is_empty()) {
        let expected = aes::sign(&plain);
        if got != expected {
            return Err(ApiError::Signature {
                expected,
                got: crate::text::clip(&one_line(got), 70),
            });
        }
    }
    Ok(plain)
}

/// The client. Cheap to clone: the connection pool is shared.
#[derive(Clone)]
pub struct Client {
    /// Built on the first request: loading the platform's roots takes milliseconds that
    /// `open FILE` (which may never send anything) should not wait for.
    http: std::sync::Arc<std::sync::OnceLock<Result<reqwest::Client, String>>>,
    base: String,
    opts: ClientOptions,
}

impl Client {
    pub fn new(opts: ClientOptions) -> Result<Self, ApiError> {
        let base = validate_base_url(&opts.base_url, opts.allow_http)?;
        Ok(Client {
            http: Default::default(),
            base,
            opts,
        })
    }

    /// The HTTP client, built the first time it is needed.
    fn http(&self) -> Result<&reqwest::Client, ApiError> {
        self.http
            .get_or_init(|| self.build_http().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|detail| ApiError::Network {
                target: self.base.clone(),
                detail: detail.clone(),
            })
    }

    fn build_http(&self) -> reqwest::Result<reqwest::Client> {
        let base = &self.base;
        let timeout = self.opts.timeout.max(Duration::from_millis(1));
        let mut builder = reqwest::Client::builder()
            .user_agent("Airudder")
            .connect_timeout(connect_timeout(timeout))
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(90));
        // A proxy from the environment must not see a loopback exchange (and its token).
        if reqwest::Url::parse(base).is_ok_and(|u| is_loopback(&u)) {
            builder = builder.no_proxy();
        }
        // Redirects are not followed, so a plain-http base URL never meets TLS: loading the
        // platform's roots would only cost time.
        if base.starts_with("http://") {
            builder = builder.tls_built_in_root_certs(false);
        }
        builder.build()
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn options(&self) -> &ClientOptions {
        &self.opts
    }

    /// Asks the verify endpoint for one case and reads the whole answer.
    pub async fn verify(&self, token: &Secret, query: &Query) -> Result<Answer, ApiError> {
        self.verify_as(token, query, false).await
    }

    /// [`Client::verify`], read as [`interpret_for_screen`] does when `head`.
    pub async fn verify_as(
        &self,
        token: &Secret,
        query: &Query,
        head: bool,
    ) -> Result<Answer, ApiError> {
        let exchange = self
            .post_json(VERIFY_PATH, Some(token), query.body())
            .await?;
        let encrypted = self.opts.aes.is_some();
        let parse = if head { parse_for_screen } else { parse_whole };
        interpret_with(exchange, token.expose(), parse)
            .map(|mut a| {
                a.encrypted = encrypted;
                a
            })
            .map_err(|e| e.redacted(token.expose()))
    }

    /// POSTs a JSON body; returns the 2xx exchange or the error that describes the failure.
    /// No error holds the token, even when the server echoes it.
    pub async fn post_json(
        &self,
        path: &str,
        token: Option<&Secret>,
        body: Vec<u8>,
    ) -> Result<Exchange, ApiError> {
        let secret = token.map(Secret::expose).unwrap_or("");
        self.post_json_inner(path, token, body)
            .await
            .map_err(|e| e.redacted(secret))
    }

    async fn post_json_inner(
        &self,
        path: &str,
        token: Option<&Secret>,
        body: Vec<u8>,
    ) -> Result<Exchange, ApiError> {
        let url = format!("{}{}", self.base, path);
        let mut req = self
            .http()?
            .post(&url)
            .header(header::CONTENT_TYPE, "application/json");
        // The sign-in carries no token, so the server could not tell whose key to decrypt it
        // with: only calls made with a token go out encrypted.
        let aes_key = self.opts.aes.as_ref().filter(|_| token.is_some());
        req = match aes_key {
            Some(key) => req
                .header(aes::HEADER_ENCRYPTED, "1")
                .header(aes::HEADER_SIGNED, aes::sign(&body))
                .body(key.encrypt(&body)),
            None => req.body(body),
        };
        if let Some(token) = token {
            if token.is_empty() {
                return Err(ApiError::NoToken);
            }
            let mut text = format!("Token {}", token.expose());
            let value = HeaderValue::from_str(&text);
            text.zeroize();
            let mut value = value.map_err(|_| ApiError::Config {
                path: "token".into(),
                detail: "the token holds characters that cannot go in an HTTP header".into(),
            })?;
            value.set_sensitive(true);
            req = req.header(header::AUTHORIZATION, value);
        }
        let secret = token.map(Secret::expose).unwrap_or("");
        let started = Instant::now();
        let resp = req.send().await.map_err(|e| self.map_error(&e))?;
        let status = resp.status();
        if !status.is_success() {
            let header_text = |name: header::HeaderName, max: usize| {
                resp.headers()
                    .get(name)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .map(|v| crate::text::clip(&one_line(&redact(&v, secret)), max))
                    .filter(|v| !v.is_empty())
            };
            let retry_after = header_text(header::RETRY_AFTER, 60);
            let location = status
                .is_redirection()
                .then(|| header_text(header::LOCATION, 120))
                .flatten();
            let encrypted = is_encrypted(resp.headers());
            let mut body = self
                .read_capped(resp, 4096, false)
                .await
                .map(|(body, _)| body)
                .unwrap_or_default();
            if encrypted && let Some(key) = &self.opts.aes {
                match key.decrypt(&body) {
                    Ok(plain) => body = Bytes::from(plain),
                    // The server read the request, or it could not: either way its answer is
                    // sealed with a key that is not ours.
                    Err(_) => {
                        return Err(ApiError::Decrypt {
                            detail: format!(
                                "HTTP {}: the answer is encrypted with another key",
                                status.as_u16()
                            ),
                        });
                    }
                }
            }
            let mut body_start = if encrypted && self.opts.aes.is_none() {
                "the answer is AES-encrypted: this account uses the AES transport (set AIRUDDER_AES_KEY or --aes-key-file)".to_string()
            } else {
                ApiError::body_excerpt_without(&body, secret)
            };
            if let Some(location) = location {
                body_start = if body_start.is_empty() {
                    format!("redirects to {location} (not followed)")
                } else {
                    format!("redirects to {location} (not followed); {body_start}")
                };
            }
            return Err(ApiError::Http {
                status: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("").to_string(),
                body_start,
                retry_after,
            });
        }
        let marked = is_encrypted(resp.headers());
        let signed = resp
            .headers()
            .get(aes::HEADER_SIGNED)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_ascii_lowercase());
        let (mut body, mut transcript_scan) =
            self.read_capped(resp, self.opts.max_body, true).await?;
        match &self.opts.aes {
            // A sign-in's answer is read as plain JSON unless it says otherwise.
            Some(key) if marked || (token.is_some() && aes::looks_encrypted(&body)) => {
                body = Bytes::from(decrypt_answer(key, &body, signed.as_deref())?);
                transcript_scan = None;
            }
            None if marked => return Err(ApiError::Encrypted),
            _ => {}
        }
        Ok(Exchange {
            url,
            status: status.as_u16(),
            latency: started.elapsed(),
            body,
            transcript_scan,
            received_at: Local::now(),
        })
    }

    /// Reads the body, refusing (when `strict`) or cutting (otherwise) past `cap` bytes; a
    /// big body is scanned for its transcript as it arrives (see [`Exchange::transcript_scan`]).
    async fn read_capped(
        &self,
        mut resp: reqwest::Response,
        cap: u64,
        strict: bool,
    ) -> Result<(Bytes, Scanned), ApiError> {
        let announced = resp.content_length();
        if strict && announced.is_some_and(|n| n > cap) {
            return Err(ApiError::TooLarge { limit: cap });
        }
        let mut buf = Body::for_length(announced.unwrap_or(16 * 1024).min(cap) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.map_error(&e))? {
            if (buf.len() + chunk.len()) as u64 > cap {
                if strict {
                    return Err(ApiError::TooLarge { limit: cap });
                }
                let room = cap as usize - buf.len();
                buf.push(&chunk[..room]);
                break;
            }
            buf.push(&chunk);
        }
        Ok(buf.freeze())
    }

    fn map_error(&self, e: &reqwest::Error) -> ApiError {
        let target = self.base.clone();
        if e.is_timeout() {
            let timeout = self.opts.timeout.max(Duration::from_millis(1));
            let limit = if e.is_connect() {
                connect_timeout(timeout)
            } else {
                timeout
            };
            return ApiError::Timeout {
                secs: whole_secs_up(limit),
                target,
            };
        }
        let chain = error_chain(e);
        if e.is_connect() {
            let lower = chain.to_ascii_lowercase();
            let mut refused = lower.contains("connection refused");
            let mut src = e.source();
            while let Some(s) = src {
                refused |= s
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused);
                src = s.source();
            }
            let kind = if refused {
                ConnectKind::Refused
            } else if lower.contains("dns") || lower.contains("lookup address") {
                ConnectKind::Dns
            } else if [
                "certificate",
                "tls",
                "ssl",
                "handshake",
                "fatal alert",
                "corrupt message",
                "peer is incompatible",
                "peer misbehaved",
                "x509",
            ]
            .iter()
            .any(|w| lower.contains(w))
            {
                ConnectKind::Tls
            } else {
                ConnectKind::Other
            };
            return ApiError::Connect {
                kind,
                target,
                detail: one_line(&chain),
            };
        }
        ApiError::Network {
            target,
            detail: crate::text::clip(&one_line(&chain), 200),
        }
    }
}

/// The time allowed to connect: the total timeout, but at most 10 s.
fn connect_timeout(total: Duration) -> Duration {
    total.min(Duration::from_secs(10))
}

/// Whole seconds, rounded up (1.5 s shows as 2 s, never 0 s).
fn whole_secs_up(d: Duration) -> u64 {
    d.as_millis()
        .div_ceil(1000)
        .max(1)
        .try_into()
        .unwrap_or(u64::MAX)
}

/// The error and its causes on one line, without the URL reqwest repeats.
fn error_chain(e: &reqwest::Error) -> String {
    // Wrappers that say nothing the kind of error does not.
    const GENERIC: [&str; 4] = [
        "error sending request for url",
        "error sending request",
        "client error (Connect)",
        "client error (SendRequest)",
    ];
    let mut parts = vec![e.without_url_ref()];
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        src = s.source();
    }
    let specific: Vec<&String> = parts
        .iter()
        .filter(|p| !GENERIC.contains(&p.as_str()))
        .collect();
    if specific.is_empty() {
        parts.join(": ")
    } else {
        specific
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(": ")
    }
}

trait WithoutUrl {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_ref(&self) -> String {
        let text = self.to_string();
        match self.url() {
            Some(u) => text.replace(&format!(" ({u})"), ""),
            None => text,
        }
    }
}

/// Where a body goes as it arrives.
enum Body {
    Small(BytesMut),
    /// A body announced as large enough to be skimmed ([`SKIM_FROM`]), in memory of its own
    /// ([`crate::mapped::Filling`]); the scan runs on each chunk while it is in the cache.
    Big(crate::mapped::Filling, super::scan::TranscriptScan),
}

impl Body {
    fn for_length(announced: usize) -> Body {
        if announced >= SKIM_FROM
            && let Some(f) = crate::mapped::Filling::new(announced)
        {
            return Body::Big(f, super::scan::TranscriptScan::new());
        }
        Body::Small(BytesMut::with_capacity(announced))
    }

    fn len(&self) -> usize {
        match self {
            Body::Small(b) => b.len(),
            Body::Big(f, _) => f.filled().len(),
        }
    }

    fn push(&mut self, chunk: &[u8]) {
        match self {
            Body::Small(b) => b.extend_from_slice(chunk),
            Body::Big(f, scan) => {
                if f.push(chunk) {
                    scan.advance(f.filled());
                } else {
                    // More than announced: on in ordinary memory.
                    let mut b = BytesMut::with_capacity(f.filled().len() * 2);
                    b.extend_from_slice(f.filled());
                    b.extend_from_slice(chunk);
                    *self = Body::Small(b);
                }
            }
        }
    }

    fn freeze(self) -> (Bytes, Scanned) {
        match self {
            Body::Small(b) => (b.freeze(), None),
            Body::Big(f, scan) => {
                let found = scan.finish(f.filled());
                (f.freeze(), Some(found))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_case_id_only_when_given() {
        let mut q = Query {
            workflow_id: "w".into(),
            node_id: "n".into(),
            callee: "+1".into(),
            case_id: None,
        };
        assert_eq!(
            String::from_utf8(q.body()).unwrap(),
            r#"{"workflow_id":"w","node_id":"n","callee":"+1"}"#
        );
        q.case_id = Some("  ".into());
        assert!(!String::from_utf8(q.body()).unwrap().contains("case_id"));
        q.case_id = Some("c1".into());
        assert_eq!(
            String::from_utf8(q.body()).unwrap(),
            r#"{"workflow_id":"w","node_id":"n","callee":"+1","case_id":"c1"}"#
        );
    }

    #[test]
    fn http_only_to_loopback() {
        assert!(validate_base_url("http://127.0.0.1:8080/", false).is_ok());
        assert!(validate_base_url("http://localhost:1", false).is_ok());
        assert!(validate_base_url("http://[::1]:1", false).is_ok());
        assert_eq!(
            validate_base_url("http://api.airudder.com", false),
            Err(ApiError::InsecureUrl {
                host: "api.airudder.com".into()
            })
        );
        assert!(validate_base_url("http://api.airudder.com", true).is_ok());
        assert!(validate_base_url("https://api.airudder.com/", false).is_ok());
        assert!(matches!(
            validate_base_url("ftp://x", false),
            Err(ApiError::BadUrl { .. })
        ));
        assert!(matches!(
            validate_base_url("not a url", false),
            Err(ApiError::BadUrl { .. })
        ));
        assert_eq!(
            validate_base_url("https://h.example/api/", false).unwrap(),
            "https://h.example/api"
        );
    }
}
