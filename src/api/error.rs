//! Everything that can go wrong between asking and showing: one enum, each with a one-line
//! message, a hint and an exit code. Messages never hold the token (nothing here receives it)
//! and server text is cut short and stripped of control characters before it lands here.

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
    fn words(self) -> &'static str {
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
    Decrypt { detail: String },
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
    NotJson { detail: String, body_start: String },
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
    File { path: String, detail: String },
    #[error("config {path}: {detail}")]
    Config { path: String, detail: String },
    #[error("network error talking to {target}: {detail}")]
    Network { target: String, detail: String },
    /// The inspector was started without a terminal to draw on.
    #[error("the inspector needs a terminal: {detail}")]
    NoTerminal { detail: String },
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

    /// What to do about it, on one line.
    pub fn hint(&self) -> String {
        one_line(&self.hint_text())
    }

    fn hint_text(&self) -> String {
        match self {
            ApiError::NoToken => "export AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET (the tool signs in and keeps the token), or give a token with --token-file PATH or AIRUDDER_TOKEN, or set them in a config profile".into(),
            ApiError::Credentials { .. } => "check the APPKey and APPSecret AI Rudder gave this account (and the base URL: keys are per environment)".into(),
            ApiError::Decrypt { .. } => "the account's AES key (AIRUDDER_AES_KEY, --aes-key-file) must be the one AI Rudder set for it; without encryption on the account, give no key".into(),
            ApiError::Encrypted => "the account's AES key decrypts it; a file holding the key works best (chmod 600)".into(),
            ApiError::Signature { .. } => "the answer was changed on the way or signed with another key: try again, and check the AES key".into(),
            ApiError::InsecureUrl { .. } => "use https://, or pass --allow-http if you really mean it".into(),
            ApiError::BadUrl { .. } => "give a base URL like https://api.airudder.com".into(),
            ApiError::Connect { kind: ConnectKind::Refused, .. } => "nothing listens there: check --base-url and that the server is up".into(),
            ApiError::Connect { kind: ConnectKind::Dns, .. } => "check the host name in the base URL and your DNS".into(),
            ApiError::Connect { kind: ConnectKind::Tls, detail, .. } if detail.is_empty() => "check that the URL really serves https, proxies, and the system's CA roots".into(),
            ApiError::Connect { kind: ConnectKind::Tls, detail, .. } => format!("{}: check that the URL really serves https, proxies, and the system's CA roots", clip(&one_line(detail), 120)),
            ApiError::Connect { detail, .. } => format!("check the network and the base URL ({})", clip(&one_line(detail), 120)),
            ApiError::Timeout { .. } => "the server took too long: try again, or raise --timeout".into(),
            ApiError::Http { status: 401, .. } | ApiError::Http { status: 403, .. } => "the token was refused: it may be expired (tokens last 24 h) or for another account; get a new one".into(),
            ApiError::Http { status: 404, .. } => "the endpoint was not found: check the base URL".into(),
            ApiError::Http { status: 429, retry_after: Some(after), .. } => format!("rate limited: retry after {after}"),
            ApiError::Http { status: 429, .. } => "rate limited: wait a moment and try again".into(),
            ApiError::Http { status: 503, retry_after: Some(after), .. } => format!("the server is unavailable for now: retry after {after}"),
            ApiError::Http { status: 300..=399, .. } => "the server answered with a redirect, which is not followed so the token goes nowhere else: check the base URL".into(),
            ApiError::Http { status, .. } if *status >= 500 => "the server failed: try again later; if it persists, contact AI Rudder support".into(),
            ApiError::Http { .. } => "the server refused the request: check the ids and the base URL".into(),
            ApiError::NotJson { .. } => "the base URL may point at a web page or a proxy rather than the API".into(),
            ApiError::WrongShape { .. } => "the server is not answering like the verify endpoint: check the base URL".into(),
            ApiError::Api { code, .. } if code == "401" || code == "403" => "the token was refused: it may be expired (tokens last 24 h); get a new one".into(),
            ApiError::Api { .. } => "the API refused the query; code and status are shown as sent".into(),
            ApiError::NoRecord => "check workflow_id, node_id, callee and case_id; records are kept for three months".into(),
            ApiError::TooLarge { .. } => "raise the cap with --max-body BYTES if you expect an answer this large".into(),
            ApiError::File { .. } => "check the path and that the file is readable".into(),
            ApiError::Config { .. } => "fix the config file, or choose another profile".into(),
            ApiError::Network { .. } => "try again; check the network".into(),
            ApiError::NoTerminal { .. } => {
                "run it in a terminal; `rudder-inspect query …` prints a case without one".into()
            }
        }
    }

    /// The CLI's exit code; see the README's table. 1 is kept for `verify`'s "different".
    pub fn exit_code(&self) -> i32 {
        match self {
            ApiError::NoToken => 3,
            ApiError::InsecureUrl { .. } | ApiError::BadUrl { .. } => 4,
            ApiError::Connect { .. } | ApiError::Network { .. } => 5,
            ApiError::Timeout { .. } => 6,
            ApiError::Http { .. } => 7,
            ApiError::NotJson { .. } => 8,
            ApiError::WrongShape { .. } => 9,
            ApiError::Api { .. } => 10,
            ApiError::NoRecord => 11,
            ApiError::TooLarge { .. } => 12,
            ApiError::File { .. } => 13,
            ApiError::Config { .. } => 14,
            ApiError::Credentials { .. } => 15,
            ApiError::Decrypt { .. } => 16,
            ApiError::Signature { .. } => 17,
            ApiError::Encrypted => 18,
            ApiError::NoTerminal { .. } => 19,
        }
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
            } => ApiError::Connect {
                kind,
                target: r(target),
                detail: r(detail),
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
            ApiError::NotJson { detail, body_start } => ApiError::NotJson {
                detail: r(detail),
                body_start: r(body_start),
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
            ApiError::File { path, detail } => ApiError::File {
                path: r(path),
                detail: r(detail),
            },
            ApiError::Config { path, detail } => ApiError::Config {
                path: r(path),
                detail: r(detail),
            },
            ApiError::NoTerminal { detail } => ApiError::NoTerminal { detail: r(detail) },
            ApiError::Network { target, detail } => ApiError::Network {
                target: r(target),
                detail: r(detail),
            },
            ApiError::Credentials { detail } => ApiError::Credentials { detail: r(detail) },
            ApiError::Decrypt { detail } => ApiError::Decrypt { detail: r(detail) },
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
    fn exit_codes_are_distinct_and_never_1() {
        let all = [
            ApiError::NoToken,
            ApiError::InsecureUrl { host: "x".into() },
            ApiError::Connect {
                kind: ConnectKind::Refused,
                target: "t".into(),
                detail: String::new(),
            },
            ApiError::Timeout {
                secs: 1,
                target: "t".into(),
            },
            ApiError::Http {
                status: 500,
                reason: "x".into(),
                body_start: String::new(),
                retry_after: None,
            },
            ApiError::NotJson {
                detail: "x".into(),
                body_start: String::new(),
            },
            ApiError::WrongShape { what: "x".into() },
            ApiError::Api {
                code: "1".into(),
                status: "x".into(),
                message: String::new(),
            },
            ApiError::NoRecord,
            ApiError::TooLarge { limit: 1 },
            ApiError::File {
                path: "p".into(),
                detail: "d".into(),
            },
            ApiError::Config {
                path: "p".into(),
                detail: "d".into(),
            },
        ];
        let mut codes: Vec<i32> = all.iter().map(ApiError::exit_code).collect();
        assert!(!codes.contains(&0) && !codes.contains(&1) && !codes.contains(&2));
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn http_messages_carry_status_and_hints() {
        let e = ApiError::Http {
            status: 429,
            reason: "Too Many Requests".into(),
            body_start: "slow down".into(),
            retry_after: Some("7".into()),
        };
        assert_eq!(e.message(), "HTTP 429 Too Many Requests: slow down");
        assert!(e.hint().contains("retry after 7"));
        let e = ApiError::Http {
            status: 401,
            reason: "Unauthorized".into(),
            body_start: String::new(),
            retry_after: None,
        };
        assert!(e.hint().contains("token"));
    }

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
        assert!(!e.message().contains(t) && !e.hint().contains(t));
    }

    #[test]
    fn messages_and_hints_are_one_line() {
        let e = ApiError::File {
            path: "a\nb".into(),
            detail: "line one\nline two".into(),
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

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(64 * 1024 * 1024), "64 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12), "12 B");
    }
}
