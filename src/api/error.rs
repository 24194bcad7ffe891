//! Everything that can go wrong between asking and showing: one enum, each with a one-line
//! message (what to do about it and the exit code are the command line's: [`crate::advice`]).
//! Messages never hold the token (nothing here receives it) and server text is cut short and
//! stripped of control characters before it lands here.

use crate::text::{clip, one_line};

/// How a connection failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectKind {
    Refused,
    Dns,
    Tls,
    Other,
}

impl ConnectKind {
    pub(crate) fn words(self) -> &'static str {
        match self {
            ConnectKind::Refused => "connection refused",
            ConnectKind::Dns => "host name not found (DNS)",
            ConnectKind::Tls => "TLS handshake failed",
            ConnectKind::Other => "could not connect",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error(
        "no API token or credentials: set AIRUDDER_TOKEN, or AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET"
    )]
    NoToken,
    #[error("sign-in refused: the APPKey/APPSecret were not accepted ({detail})")]
    Credentials { detail: String },
    #[error("could not decrypt the answer: is the AES key right? ({detail})")]
    Decrypt {
        detail: String,
        #[source]
        cause: Option<Cause>,
    },
    #[error("this body looks AES-encrypted: give --aes-key-file (or set AIRUDDER_AES_KEY)")]
    Encrypted,
    #[error(
        "the answer's signature does not match its content (Signed header {got}, content hashes to {expected})"
    )]
    Signature { expected: String, got: String },
    #[error("refusing plain http:// to {host}: the token would travel in clear")]
    InsecureUrl { host: String },
    #[error("bad base URL {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot connect to {target}: {}", kind.words())]
    Connect {
        kind: ConnectKind,
        target: String,
        detail: String,
        #[source]
        cause: Option<Cause>,
    },
    #[error("timed out after {secs} s waiting for {target}")]
    Timeout { secs: u64, target: String },
    #[error("HTTP {status}{}{}", reason_suffix(reason), body_suffix(body_start))]
    Http {
        status: u16,
        reason: String,
        body_start: String,
        retry_after: Option<String>,
    },
    #[error("the answer is not JSON ({detail}){}", body_suffix(body_start))]
    NotJson {
        detail: String,
        body_start: String,
        #[source]
        cause: Option<Cause>,
    },
    #[error("the answer is JSON of the wrong shape: {what}")]
    WrongShape { what: String },
    #[error(
        "the API answered code {code}, status {status}{}",
        message_suffix(message)
    )]
    Api {
        code: String,
        status: String,
        message: String,
    },
    #[error("no push record for these ids")]
    NoRecord,
    #[error("the answer is larger than the {} cap", human_bytes(*limit))]
    TooLarge { limit: u64 },
    #[error("cannot read {path}: {detail}")]
    File {
        path: String,
        detail: String,
        #[source]
        cause: Option<Cause>,
    },
    #[error("config {path}: {detail}")]
    Config { path: String, detail: String },
    #[error("network error talking to {target}: {detail}")]
    Network {
        target: String,
        detail: String,
        #[source]
        cause: Option<Cause>,
    },
    /// The inspector was started without a terminal to draw on.
    #[error("the inspector needs a terminal: {detail}")]
    NoTerminal {
        detail: String,
        #[source]
        cause: Option<Cause>,
    },
    /// A value the user gave (a flag, a file, a variable) that cannot be used as it is.
    #[error("{origin}: {detail}")]
    Setting {
        origin: Origin,
        detail: String,
        /// The text is in another encoding (UTF-16, a byte-order mark).
        encoding: bool,
    },
    /// The demo server could not listen where it was asked to.
    #[error("cannot listen on {addr}: {cause}")]
    Listen {
        addr: String,
        #[source]
        cause: Cause,
    },
    /// A local file failed a check meant for an answer: the file, and what failed.
    #[error("{path}: {error}")]
    InFile {
        path: String,
        #[source]
        error: Box<ApiError>,
    },
}

/// The error underneath another (an I/O error, say), kept as its `source` while the enum
/// stays `Clone` and `PartialEq` (two causes are equal when they read the same).
#[derive(Clone)]
pub struct Cause(std::sync::Arc<dyn std::error::Error + Send + Sync>);

impl Cause {
    pub fn new(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Cause(std::sync::Arc::new(e))
    }

    /// The error it holds, to look at its kind (`downcast_ref`).
    pub fn get(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

/// A cause whose text had to be redacted: the redacted text, nothing beneath it.
#[derive(Debug)]
struct Redacted(String);

impl std::fmt::Display for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Redacted {}

impl Cause {
    /// The same cause, or, when its text or a cause beneath it holds `secret` (in any form
    /// [`redact`] knows), its redacted text alone: a chain printed later must not carry it.
    fn redacted(self, secret: &str) -> Self {
        let mut texts = vec![self.0.to_string()];
        let mut below = self.0.source();
        while let Some(e) = below {
            texts.push(e.to_string());
            below = e.source();
        }
        if texts.iter().all(|t| redact(t, secret) == *t) {
            return self;
        }
        Cause::new(Redacted(redact(&texts.join(": "), secret)))
    }
}

impl std::fmt::Debug for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

/// Transparent: the cause reads as the error it holds, and what lies beneath that error
/// comes next in the chain (not the same error twice).
impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for Cause {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for Cause {}

/// Where a value the user gave came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A flag's own value: `--aes-key`.
    Flag(&'static str),
    /// A file, named by a flag (`--token-file`) or a profile key (`profile prod token_file`).
    File { by: String, path: String },
    /// An environment variable.
    Env(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "{flag}"),
            Origin::File { by, path } => write!(f, "{path} ({by})"),
            Origin::Env(var) => write!(f, "env {var}"),
        }
    }
}

impl ApiError {
    /// The same error with `e` kept as its [`source`](std::error::Error::source), for the
    /// variants that hold a cause (the others are returned as they are).
    pub fn caused_by(mut self, e: impl std::error::Error + Send + Sync + 'static) -> Self {
        match &mut self {
            ApiError::Decrypt { cause, .. }
            | ApiError::Connect { cause, .. }
            | ApiError::NotJson { cause, .. }
            | ApiError::File { cause, .. }
            | ApiError::Network { cause, .. }
            | ApiError::NoTerminal { cause, .. } => *cause = Some(Cause::new(e)),
            _ => {}
        }
        self
    }

    /// `self` as the failure of the local file `path`.
    pub fn in_file(self, path: &str) -> Self {
        match self {
            e @ (ApiError::File { .. } | ApiError::InFile { .. } | ApiError::Setting { .. }) => e,
            e => ApiError::InFile {
                path: path.to_string(),
                error: Box::new(e),
            },
        }
    }
}

fn body_suffix(body: &str) -> String {
    if body.is_empty() {
        String::new()
    } else {
        format!(": {body}")
    }
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" {reason}")
    }
}

fn message_suffix(m: &str) -> String {
    if m.is_empty() {
        String::new()
    } else {
        format!(" ({m})")
    }
}

/// `64 MiB`, `512 KiB`, `300 B`.
pub fn human_bytes(n: u64) -> String {
    const K: u64 = 1024;
    if n >= K * K && n.is_multiple_of(K * K) {
        format!("{} MiB", n / (K * K))
    } else if n >= K * K {
        format!("{:.1} MiB", n as f64 / (K * K) as f64)
    } else if n >= K {
        format!("{:.1} KiB", n as f64 / K as f64)
    } else {
        format!("{n} B")
    }
}

impl ApiError {
    /// The one-line message.
    pub fn message(&self) -> String {
        one_line(&self.to_string())
    }

    /// A short name, for history and logs.
    pub fn short(&self) -> &'static str {
        match self {
            ApiError::NoToken => "no token",
            ApiError::Credentials { .. } => "sign-in refused",
            ApiError::Decrypt { .. } => "cannot decrypt",
            ApiError::Signature { .. } => "bad signature",
            ApiError::Encrypted => "encrypted",
            ApiError::InsecureUrl { .. } => "insecure URL",
            ApiError::BadUrl { .. } => "bad URL",
            ApiError::Connect { .. } => "cannot connect",
            ApiError::Timeout { .. } => "timed out",
            ApiError::Http { .. } => "HTTP error",
            ApiError::NotJson { .. } => "not JSON",
            ApiError::WrongShape { .. } => "wrong shape",
            ApiError::Api { .. } => "API error",
            ApiError::NoRecord => "no record",
            ApiError::TooLarge { .. } => "too large",
            ApiError::File { .. } => "file error",
            ApiError::Config { .. } => "config error",
            ApiError::Network { .. } => "network error",
            ApiError::NoTerminal { .. } => "no terminal",
            ApiError::Setting { .. } => "bad setting",
            ApiError::Listen { .. } => "cannot listen",
            ApiError::InFile { error, .. } => error.short(),
        }
    }

    /// The body excerpt kept in an error: control characters removed, one line, cut short.
    pub fn body_excerpt(body: &[u8]) -> String {
        Self::body_excerpt_without(body, "")
    }

    /// [`ApiError::body_excerpt`] with `secret` (a token echoed back) replaced by `****`
    /// before the text is cut, so no piece of it survives the cut either.
    pub fn body_excerpt_without(body: &[u8], secret: &str) -> String {
        let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
        let text =
            crate::text::strip_markup(&redact(&text, secret)).replace(['\r', '\n', '\t'], " ");
        // `one_line` turns escape sequences and controls into pictures (␛, ␇); drop those.
        let text: String = one_line(&text)
            .chars()
            .filter(|c| !('\u{2400}'..='\u{2421}').contains(c))
            .collect();
        clip(&one_line(&text), 200)
    }

    /// The same error with every text field cleared of `secret` (see [`redact`]).
    pub fn redacted(self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let r = |s: String| redact(&s, secret);
        let rc = |c: Option<Cause>| c.map(|c| c.redacted(secret));
        match self {
            ApiError::InsecureUrl { host } => ApiError::InsecureUrl { host: r(host) },
            ApiError::BadUrl { url, reason } => ApiError::BadUrl {
                url: r(url),
                reason: r(reason),
            },
            ApiError::Connect {
                kind,
                target,
                detail,
                cause,
            } => ApiError::Connect {
                kind,
                target: r(target),
                detail: r(detail),
                cause: rc(cause),
            },
            ApiError::Timeout { secs, target } => ApiError::Timeout {
                secs,
                target: r(target),
            },
            ApiError::Http {
                status,
                reason,
                body_start,
                retry_after,
            } => ApiError::Http {
                status,
                reason: r(reason),
                body_start: r(body_start),
                retry_after: retry_after.map(r),
            },
            ApiError::NotJson {
                detail,
                body_start,
                cause,
            } => ApiError::NotJson {
                detail: r(detail),
                body_start: r(body_start),
                cause: rc(cause),
            },
            ApiError::WrongShape { what } => ApiError::WrongShape { what: r(what) },
            ApiError::Api {
                code,
                status,
                message,
            } => ApiError::Api {
                code: r(code),
                status: r(status),
                message: r(message),
            },
            ApiError::File {
                path,
                detail,
                cause,
            } => ApiError::File {
                path: r(path),
                detail: r(detail),
                cause: rc(cause),
            },
            ApiError::Config { path, detail } => ApiError::Config {
                path: r(path),
                detail: r(detail),
            },
            ApiError::NoTerminal { detail, cause } => ApiError::NoTerminal {
                detail: r(detail),
                cause: rc(cause),
            },
            ApiError::Network {
                target,
                detail,
                cause,
            } => ApiError::Network {
                target: r(target),
                detail: r(detail),
                cause: rc(cause),
            },
            ApiError::Credentials { detail } => ApiError::Credentials { detail: r(detail) },
            ApiError::Decrypt { detail, cause } => ApiError::Decrypt {
                detail: r(detail),
                cause: rc(cause),
            },
            ApiError::Setting {
                origin,
                detail,
                encoding,
            } => ApiError::Setting {
                origin,
                detail: r(detail),
                encoding,
            },
            ApiError::Listen { addr, cause } => ApiError::Listen {
                addr,
                cause: cause.redacted(secret),
            },
            ApiError::InFile { path, error } => ApiError::InFile {
                path: r(path),
                error: Box::new(error.redacted(secret)),
            },
            e @ (ApiError::NoToken
            | ApiError::NoRecord
            | ApiError::TooLarge { .. }
            | ApiError::Signature { .. }
            | ApiError::Encrypted) => e,
        }
    }
}

/// Replaces `secret` in `text` with `****`: as sent, JSON-escaped (`\/`) and percent-encoded,
/// and a piece of it (8 characters or more) left at the end of a cut (before a final `…`).
pub fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    let mut out = text.replace(secret, "****");
    let json = secret.replace('/', "\\/");
    if json != secret {
        out = out.replace(&json, "****");
    }
    for upper in [true, false] {
        let pct = percent_encode(secret, upper);
        if pct != secret {
            out = out.replace(&pct, "****");
        }
    }
    // A cut may have kept the start of the secret.
    let (core, tail) = match out.strip_suffix('…') {
        Some(core) => (core.to_string(), "…"),
        None => (out.clone(), ""),
    };
    const MIN_PIECE: usize = 8;
    let longest = secret.len().saturating_sub(1);
    for n in (MIN_PIECE..=longest).rev() {
        if let Some(piece) = secret.get(..n)
            && core.ends_with(piece)
        {
            return format!("{}****{tail}", &core[..core.len() - n]);
        }
    }
    out
}

fn percent_encode(s: &str, upper: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&if upper {
                format!("%{b:02X}")
            } else {
                format!("%{b:02x}")
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_excerpt_strips_controls_and_markup() {
        let b = b"<html><body><h1>502 Bad\x1b[31m Gateway</h1>\r\n</body></html>";
        let e = ApiError::body_excerpt(b);
        assert!(!e.contains('\x1b'));
        assert!(e.contains("502 Bad"));
        assert!(e.contains("Gateway"));
        assert!(!e.contains('\n'));
    }

    #[test]
    fn redact_hides_the_secret_and_its_forms() {
        let t = "abcDEF123/xyz+QRS=";
        assert_eq!(redact(&format!("a {t} b {t}"), t), "a **** b ****");
        assert_eq!(redact(r"x abcDEF123\/xyz+QRS= y", t), "x **** y");
        assert_eq!(redact("x abcDEF123%2Fxyz%2BQRS%3D y", t), "x **** y");
        assert_eq!(redact("x abcDEF123%2fxyz%2bQRS%3d y", t), "x **** y");
        assert_eq!(redact("cut here abcDEF12", t), "cut here ****");
        assert_eq!(redact("cut here abcDEF123/x…", t), "cut here ****…");
        assert_eq!(redact("short abcD", t), "short abcD");
        assert_eq!(redact("nothing", ""), "nothing");
        let e = ApiError::Http {
            status: 401,
            reason: "Unauthorized".into(),
            body_start: format!("bad {t}"),
            retry_after: Some(t.into()),
        }
        .redacted(t);
        assert!(!e.message().contains(t));
    }

    #[test]
    fn messages_and_hints_are_one_line() {
        let e = ApiError::File {
            path: "a\nb".into(),
            detail: "line one\nline two".into(),
            cause: None,
        };
        assert!(!e.message().contains('\n'));
        let e = ApiError::Http {
            status: 599,
            reason: String::new(),
            body_start: String::new(),
            retry_after: None,
        };
        assert_eq!(e.message(), "HTTP 599");
    }

    /// The cause under `e`, as the error it holds.
    fn cause_of(e: &ApiError) -> &(dyn std::error::Error + Send + Sync + 'static) {
        let source = std::error::Error::source(e).expect("a source");
        source.downcast_ref::<Cause>().expect("a Cause").get()
    }

    #[test]
    fn the_cause_is_the_source_and_the_message_stays() {
        let io = || std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = ApiError::File {
            path: "p.json".into(),
            detail: io().to_string(),
            cause: None,
        }
        .caused_by(io());
        assert_eq!(e.message(), format!("cannot read p.json: {}", io()));
        let kind = cause_of(&e)
            .downcast_ref::<std::io::Error>()
            .unwrap()
            .kind();
        assert_eq!(kind, std::io::ErrorKind::PermissionDenied);

        let json = serde_json::from_slice::<serde_json::Value>(b"{").unwrap_err();
        let e = ApiError::NotJson {
            detail: json.to_string(),
            body_start: String::new(),
            cause: None,
        }
        .caused_by(json);
        assert!(cause_of(&e).is::<serde_json::Error>());
        assert_eq!(
            std::error::Error::source(&e).unwrap().to_string(),
            "EOF while parsing an object at line 1 column 1"
        );
        assert_eq!(
            e.message(),
            "the answer is not JSON (EOF while parsing an object at line 1 column 1)"
        );

        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let e = ApiError::Connect {
            kind: ConnectKind::Refused,
            target: "http://127.0.0.1:1".into(),
            detail: String::new(),
            cause: None,
        }
        .caused_by(refused);
        assert!(cause_of(&e).is::<std::io::Error>());
        assert_eq!(
            e.message(),
            "cannot connect to http://127.0.0.1:1: connection refused"
        );
        // Equal when they read the same; a clone shares the cause.
        assert_eq!(e.clone(), e);
        // Variants without a cause are left as they are.
        let e = ApiError::NoRecord.caused_by(std::io::Error::other("x"));
        assert!(std::error::Error::source(&e).is_none());
    }

    #[test]
    fn a_cause_that_holds_the_secret_is_redacted_too() {
        let secret = "abcDEF123/xyz+QRS=";
        let e = ApiError::Network {
            target: "t".into(),
            detail: "d".into(),
            cause: None,
        }
        .caused_by(std::io::Error::other(format!("sent {secret}")))
        .redacted(secret);
        let source = std::error::Error::source(&e).unwrap();
        assert_eq!(source.to_string(), "sent ****");
        let kept = ApiError::Network {
            target: "t".into(),
            detail: "d".into(),
            cause: None,
        }
        .caused_by(std::io::Error::from(std::io::ErrorKind::TimedOut))
        .redacted(secret);
        assert!(cause_of(&kept).is::<std::io::Error>());
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(64 * 1024 * 1024), "64 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12), "12 B");
    }
}
