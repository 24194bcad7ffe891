//! A whole document, an API answer or a bare push, and how bytes become one.

use serde::Deserialize;

use super::envelope::{DataSlot, Envelope, EnvelopeDe};
use super::probe::Probe;
use super::push::Data;
use crate::api::tolerant::Shape;

/// A whole document as read from the network or a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// An API answer.
    Envelope(Envelope),
    /// A bare `data` object, as a push delivers it to the customer's URL.
    Push(Box<Data>),
}

impl Document {
    pub(crate) fn data_mut(&mut self) -> Option<&mut Data> {
        match self {
            Document::Envelope(Envelope {
                data: DataSlot::Object(d),
                ..
            }) => Some(d),
            Document::Push(d) => Some(d),
            Document::Envelope(_) => None,
        }
    }
    pub fn data(&self) -> Option<&Data> {
        match self {
            Document::Envelope(Envelope {
                data: DataSlot::Object(d),
                ..
            }) => Some(d),
            Document::Push(d) => Some(d),
            Document::Envelope(_) => None,
        }
    }
}

/// Why bytes are not a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Not JSON at all (or broken JSON): the parser's own words.
    NotJson(String),
    /// JSON, but not an object we can read a push from.
    WrongShape(String),
}

/// Parses an API answer or a pushed body.
///
/// An object with a `data` key is an envelope. Without one, an object with any documented
/// push key is a bare push (then `code`, `status`, `message` are unknown keys of the push,
/// kept with their values); one with only `code`/`status` is an envelope without data (an
/// error answer). Anything else is [`ParseError::WrongShape`]; only broken JSON (or JSON
/// nested deeper than serde_json's limit of 128) is [`ParseError::NotJson`].
///
/// A leading UTF-8 byte order mark is ignored (RFC 8259 allows parsers to).
///
/// One pass in the usual cases: an object whose first key is `data` is read as an envelope
/// straight away, and one whose first key belongs to a push is read as a push (and read again
/// as an envelope should a `data` key turn up later). Otherwise a first, cheap pass reads only
/// the top-level keys (values are skipped) to decide which, and the second reads the
/// document as that.
pub fn parse_document(bytes: &[u8]) -> Result<Document, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match first_key(bytes) {
        Some("data") => return Ok(Document::Envelope(read_whole::<EnvelopeDe>(bytes)?.0)),
        Some(k) if Data::KEYS.contains(&k) => {
            let mut data = read_whole::<Data>(bytes)?;
            if !data.unknown.iter().any(|(k, _)| &**k == "data") {
                data.shape = Shape::Sent;
                return Ok(Document::Push(Box::new(data)));
            }
        }
        _ => {}
    }
    parse_probed(bytes)
}

/// The first key of a top-level object, when it is a plain string (no escapes) that comes
/// straight after the `{`.
fn first_key(bytes: &[u8]) -> Option<&str> {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let rest = &bytes[bytes.iter().position(|b| !ws(b))?..];
    let rest = rest.strip_prefix(b"{")?;
    let rest = &rest[rest.iter().position(|b| !ws(b))?..];
    let rest = rest.strip_prefix(b"\"")?;
    let end = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    if rest[end] != b'"' {
        return None;
    }
    std::str::from_utf8(&rest[..end]).ok()
}

/// [`parse_document`] in two passes: the top-level keys first, then the document.
fn parse_probed(bytes: &[u8]) -> Result<Document, ParseError> {
    let envelope = match read_whole::<Probe>(bytes)? {
        Probe::NotObject(kind) => {
            return Err(ParseError::WrongShape(format!(
                "the body is {}, not an object",
                kind.name()
            )));
        }
        Probe::Object {
            has_data,
            has_code_or_status,
            push_keys,
        } => {
            if has_data || (push_keys == 0 && has_code_or_status) {
                true
            } else if push_keys > 0 {
                false
            } else {
                return Err(ParseError::WrongShape(
                    "the object has neither `data`/`code`/`status` nor any field of a push".into(),
                ));
            }
        }
    };
    if envelope {
        Ok(Document::Envelope(read_whole::<EnvelopeDe>(bytes)?.0))
    } else {
        let mut data = read_whole::<Data>(bytes)?;
        data.shape = Shape::Sent;
        Ok(Document::Push(Box::new(data)))
    }
}

/// Reads one JSON document (and nothing after it) from `bytes`.
pub(super) fn read_whole<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let t = T::deserialize(&mut de).map_err(|e| ParseError::NotJson(e.to_string()))?;
    de.end().map_err(|e| ParseError::NotJson(e.to_string()))?;
    Ok(t)
}
