//! A failed request told plainly: timeout, refused, DNS, TLS or another network error, with
//! the causes reqwest nests on one line.

use std::error::Error as _;
use std::time::Duration;

use super::Client;
use super::wire::WireError;
use crate::api::error::{ApiError, ConnectKind};
use crate::text::one_line;

impl Client {
    pub(super) fn map_error(&self, e: reqwest::Error) -> ApiError {
        let target = self.base.clone();
        if e.is_timeout() {
            return self.timed_out(e.is_connect());
        }
        let chain = error_chain(&e);
        if e.is_connect() {
            let lower = chain.to_ascii_lowercase();
            let refused = std::iter::successors(e.source(), |&s| s.source()).any(|s| {
                s.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
            });
            return ApiError::Connect {
                kind: connect_kind(&lower, refused),
                target,
                detail: one_line(&chain),
                cause: None,
            }
            .caused_by(e);
        }
        ApiError::Network {
            target,
            detail: crate::text::clip(&one_line(&chain), 200),
            cause: None,
        }
        .caused_by(e)
    }
}

impl Client {
    /// A failure on a connection of its own ([`super::wire`]), told as reqwest's are.
    pub(super) fn map_wire(&self, e: WireError) -> ApiError {
        let target = self.base.clone();
        match e {
            WireError::Timeout { connecting } => self.timed_out(connecting),
            WireError::Connect { kind, detail } => ApiError::Connect {
                kind,
                target,
                detail: crate::text::clip(&one_line(&detail), 200),
                cause: None,
            },
            WireError::Broken(detail) => ApiError::Network {
                target,
                detail: crate::text::clip(&one_line(&detail), 200),
                cause: None,
            },
        }
    }

    /// Connecting (`connecting`), or the whole exchange, took longer than allowed.
    fn timed_out(&self, connecting: bool) -> ApiError {
        let timeout = self.opts.timeout.max(Duration::from_millis(1));
        let limit = if connecting {
            connect_timeout(timeout)
        } else {
            timeout
        };
        ApiError::Timeout {
            secs: whole_secs_up(limit),
            target: self.base.clone(),
        }
    }
}

/// What kind of failure to connect an error's text (lower case) tells of; `refused` when its
/// causes say the connection was refused.
pub(super) fn connect_kind(lower: &str, refused: bool) -> ConnectKind {
    const TLS_WORDS: [&str; 9] = [
        "certificate",
        "tls",
        "ssl",
        "handshake",
        "fatal alert",
        "corrupt message",
        "peer is incompatible",
        "peer misbehaved",
        "x509",
    ];
    if refused || lower.contains("connection refused") {
        ConnectKind::Refused
    } else if ["dns", "lookup address", "name or service not known"]
        .iter()
        .any(|w| lower.contains(w))
    {
        ConnectKind::Dns
    } else if TLS_WORDS.iter().any(|w| lower.contains(w)) {
        ConnectKind::Tls
    } else {
        ConnectKind::Other
    }
}

/// The time allowed to connect: the total timeout, but at most 10 s.
pub(super) fn connect_timeout(total: Duration) -> Duration {
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
