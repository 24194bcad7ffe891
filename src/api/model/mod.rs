//! The push as the reference documents it, read tolerantly (see `tolerant`).
//!
//! One part per file: the push's objects (`push`), the envelope around it (`envelope`), a
//! whole document and how bytes become one (`document`, with its first pass in `probe`), and
//! a big push read in two steps (`head`).

mod document;
mod envelope;
mod head;
mod probe;
mod push;

pub use document::{Document, ParseError, parse_document};
pub use envelope::{DataSlot, Envelope};
pub use head::{LeftOut, complete, parse_head, read_transcript};
pub(crate) use head::{complete_partly, parse_head_scanned};
pub use push::{AsrItem, Call, Callee, Data, Extend, ExtraItem, QuestionAnswer, RedialCall};

use super::tolerant::Unknown;

/// Unknown keys, for views.
pub fn unknown_of(u: &Unknown) -> impl Iterator<Item = (&str, &serde_json::Value)> {
    u.iter().map(|(k, v)| (&**k, v))
}
