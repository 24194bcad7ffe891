//! Reading a 2xx exchange: the body as a document, an envelope that says OK, a push in
//! `data`; whole, or without its big lists when it is large.

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Local};

use crate::api::error::{ApiError, redact};
use crate::api::model::{
    Data, DataSlot, Document, LeftOut, ParseError, parse_document, parse_head_scanned,
};
use crate::json::scan::ListScan;
use crate::text::one_line;

/// One HTTP exchange that came back 2xx with its whole body.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub url: String,
    pub status: u16,
    pub latency: Duration,
    pub body: Bytes,
    pub received_at: DateTime<Local>,
}

impl Exchange {
    /// A file's bytes as an exchange: no status, no latency, `label` as the URL.
    pub fn of_file(body: Bytes, label: String, received_at: DateTime<Local>) -> Exchange {
        Exchange {
            url: label,
            status: 0,
            latency: Duration::ZERO,
            body,
            received_at,
        }
    }
}

/// A 2xx answer whose body holds a push.
#[derive(Debug, Clone)]
pub struct Answer {
    pub exchange: Exchange,
    pub document: Document,
    /// The exchange used the AES transport (the body here is the decrypted text).
    pub encrypted: bool,
    /// Set when the document was read without its big lists (`interpret_for_screen`): where
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
/// to be read with [`crate::api::model::complete`]. The inspector reads through
/// `interpret_for_screen`; tests call this to skim a small body.
#[cfg(test)]
pub(crate) fn interpret_head(exchange: Exchange) -> Result<Answer, ApiError> {
    interpret_with(exchange, "", crate::api::model::parse_head)
}

/// How the inspector reads an answer to show: without its transcript and redials (see
/// [`crate::api::model::parse_head`]) from [`SKIM_FROM`] bytes, [`interpret`] below.
pub(crate) fn interpret_for_screen(exchange: Exchange) -> Result<Answer, ApiError> {
    interpret_with(exchange, "", |body| parse_for_screen(body, None))
}

/// [`interpret`], keeping `secret` (the token, if the server echoes it) out of the error.
fn interpret_without(exchange: Exchange, secret: &str) -> Result<Answer, ApiError> {
    interpret_with(exchange, secret, parse_whole)
}

/// The whole document, transcript included.
pub(super) fn parse_whole(body: &[u8]) -> Result<(Document, LeftOut), ParseError> {
    parse_document(body).map(|d| (d, LeftOut::default()))
}

/// The document without its transcript and redials when the body is large, whole
/// otherwise; `scan` is the transcript scan as far as it ran while the body arrived.
pub(super) fn parse_for_screen(
    body: &[u8],
    scan: Option<ListScan>,
) -> Result<(Document, LeftOut), ParseError> {
    if body.len() >= SKIM_FROM {
        parse_head_scanned(body, scan)
    } else {
        parse_whole(body)
    }
}

pub(super) fn interpret_with(
    exchange: Exchange,
    secret: &str,
    parse: impl FnOnce(&[u8]) -> Result<(Document, LeftOut), ParseError>,
) -> Result<Answer, ApiError> {
    if exchange.body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::NotJson {
            detail: "the body is empty".into(),
            body_start: String::new(),
            cause: None,
        });
    }
    let (document, range) = parse(&exchange.body).map_err(|e| match e {
        ParseError::NotJson(detail) => ApiError::NotJson {
            detail: one_line(&detail),
            body_start: ApiError::body_excerpt_without(&exchange.body, secret),
            cause: None,
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

/// Refuses an envelope that is not OK or carries no push; `secret` is kept out of the error.
fn check_document_without(document: &Document, secret: &str) -> Result<(), ApiError> {
    let Document::Envelope(env) = document else {
        return Ok(());
    };
    let code_ok = match &env.code {
        crate::api::tolerant::Scalar::Absent => true,
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
