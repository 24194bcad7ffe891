//! The push as the reference documents it, read tolerantly (see `tolerant`).

use std::fmt;
use std::ops::Range;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::tolerant::{
    AS_SENT_KEY, AcceptKeys, AfterToken, AnyValue, KeyStr, Kind, KvMap, List, NUMBER_TOKEN, Scalar,
    Shape, Unknown, after_token, dedupe_last_wins, read_list, skip_lists,
};
use crate::json::scan::deepest_in;
use crate::tolerant_struct;

tolerant_struct! {
    /// The push itself: what the verify endpoint returns under `data`, and what the
    /// customer's URL receives as its body.
    pub struct Data {
        pub workflow_id: Scalar = "workflow_id",
        pub workflow_name: Scalar = "workflow_name",
        pub node_id: Scalar = "node_id",
        pub node_name: Scalar = "node_name",
        pub callee: Callee = "callee",
        pub custom_attribute: KvMap = "custom_attribute",
        pub call: Call = "call",
    }
}

tolerant_struct! {
    pub struct Callee {
        pub case_id: Scalar = "case_id",
        pub callee_name: Scalar = "callee_name",
        pub callee_gender: Scalar = "callee_gender",
        pub callee_number: Scalar = "callee_number",
        pub platform_name: Scalar = "platform_name",
        pub extra_a: Scalar = "extra_a",
        pub extra_b: Scalar = "extra_b",
        pub extra_c: Scalar = "extra_c",
        pub extra: List<ExtraItem> = "extra",
        pub extend: Extend = "extend",
        pub comments: Scalar = "comments",
        pub borrowed_date: Scalar = "borrowed_date",
        pub due_date: Scalar = "due_date",
        pub borrowed_amount: Scalar = "borrowed_amount",
        pub total_owing_amount: Scalar = "total_owing_amount",
        pub currency_unit: Scalar = "currency_unit",
    }
}

tolerant_struct! {
    /// One `callee.extra` entry: a question and its content (`extend_callees` lists numbers).
    pub struct ExtraItem {
        pub question: Scalar = "Question" | "question",
        pub content: Scalar = "Content" | "content",
    }
}

tolerant_struct! {
    pub struct Extend {
        pub variables: KvMap = "variables",
        pub detail_source: Scalar = "detail_source",
        pub pds_variables: KvMap = "pds_variables",
    }
}

tolerant_struct! {
    pub struct Call {
        pub task_id: Scalar = "task_id",
        pub call_id: Scalar = "call_id",
        pub callee_number: Scalar = "callee_number",
        pub robot_id: Scalar = "robot_id",
        pub call_start_time: Scalar = "call_start_time",
        pub call_end_time: Scalar = "call_end_time",
        pub call_times: Scalar = "call_times",
        pub ring_type: Scalar = "ring_type",
        pub hangup_type: Scalar = "hangup_type",
        pub intention: Scalar = "intention",
        pub intention_description: Scalar = "intention_description",
        pub slots: KvMap = "slots",
        pub ner_slots: KvMap = "ner_slots",
        pub redial_call: List<RedialCall> = "redial_call",
        pub talk_round: Scalar = "talk_round",
        pub ring_time: Scalar = "ring_time",
        pub question_answer: List<QuestionAnswer> = "question_answer",
        pub multi_label: KvMap = "multi_label",
        pub asr_ptp: Scalar = "asr_ptp",
        pub asr_result: List<AsrItem> = "asr_result",
        pub caller_number: Scalar = "caller_number",
    }
}

tolerant_struct! {
    /// An earlier attempt of the same call.
    pub struct RedialCall {
        pub call_id: Scalar = "call_id",
        pub call_start_time: Scalar = "call_start_time",
        pub ring_type: Scalar = "ring_type",
        pub ring_time: Scalar = "ring_time",
        pub hangup_type: Scalar = "hangup_type",
        pub result_label: Scalar = "result_label",
        pub callee_number: Scalar = "callee_number",
        pub caller_number: Scalar = "caller_number",
    }
}

tolerant_struct! {
    /// One verification question and how the callee answered it.
    pub struct QuestionAnswer {
        pub question_name: Scalar = "question_name",
        pub answer: Scalar = "answer",
        pub answer_text: Scalar = "answer_text",
        pub status: Scalar = "status",
        pub answer_text_slot: Scalar = "answer_text_slot",
        pub var: Scalar = "var",
        pub verification_results: Scalar = "verification_results",
        pub question_content: Scalar = "question_content",
        pub question_type: Scalar = "question_type",
        pub whether_answer: Scalar = "whether_answer",
    }
}

tolerant_struct! {
    /// One ASR record: what the robot said (`robottext`) and what the callee said (`text`).
    pub struct AsrItem {
        pub time: Scalar = "time",
        pub robottext: Scalar = "robottext",
        pub text: Scalar = "text",
    }
}

/// The API's envelope: `{"data": …, "status": "OK", "code": 200}`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Envelope {
    pub code: Scalar,
    pub status: Scalar,
    /// `message` (or `msg`), which some answers carry.
    pub message: Scalar,
    pub data: DataSlot,
    /// Top-level keys besides `data`, `code`, `status` and `message`, in the order they came.
    pub unknown_keys: Vec<Box<str>>,
    /// The same keys with their values (duplicates: the last value wins).
    pub unknown: Unknown,
}

/// What the envelope's `data` held.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum DataSlot {
    #[default]
    Absent,
    /// `null`, `""` or `[]`: no record.
    Null,
    /// An object (also one decoded from a string, or the only object of a one-item list:
    /// the push's `shape` says which).
    Object(Box<Data>),
    /// Something that is not an object (a list of several items, a number, a string).
    Wrong(Kind),
}

/// A whole document as read from the network or a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// An API answer.
    Envelope(Envelope),
    /// A bare `data` object, as a push delivers it to the customer's URL.
    Push(Box<Data>),
}

impl Document {
    pub fn data_mut(&mut self) -> Option<&mut Data> {
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

/// Where the lists a skim left unread lie in the body: the transcript (`call.asr_result`)
/// and the redials (`call.redial_call`), what a big push is made of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub transcript: Option<Range<usize>>,
    pub redials: Option<Range<usize>>,
}

impl LeftOut {
    pub fn is_empty(&self) -> bool {
        self.transcript.is_none() && self.redials.is_none()
    }

    /// The places a skimmed document's lists say they were left out.
    fn of(doc: &Document) -> LeftOut {
        doc.data()
            .map(|d| LeftOut {
                transcript: d.call.asr_result.left_out.clone(),
                redials: d.call.redial_call.left_out.clone(),
            })
            .unwrap_or_default()
    }
}

/// [`parse_document`] without its two big lists: `call.asr_result` and `call.redial_call`
/// are left empty, and where their values lie in `bytes` comes back beside the document
/// for [`complete`] to read later (off the UI thread), so the rest of a big push is on
/// screen at once.
///
/// Where the transcript is comes from a scan of the text's structure ([`crate::json::scan`]);
/// the text without that span is read, and the span is taken only if the read puts it
/// exactly where `call.asr_result` goes. The transcript's own text is then checked when it
/// is read. Should the scan find nothing usable, serde_json skips the transcript as it
/// reads the whole text (checking it is well-formed on the way, nesting aside), which
/// costs three times as much. The redials are skipped by serde_json either way.
pub fn parse_head(bytes: &[u8]) -> Result<(Document, LeftOut), ParseError> {
    parse_head_scanned(bytes, None)
}

/// [`parse_head`] with the scan's finding when it already ran (as the bytes arrived).
pub fn parse_head_scanned(
    bytes: &[u8],
    scanned: crate::json::scan::Scanned,
) -> Result<(Document, LeftOut), ParseError> {
    let span = scanned.unwrap_or_else(|| crate::json::scan::transcript_span(bytes));
    if let Some(span) = span.filter(|s| s.end <= bytes.len() && s.len() >= 2)
        && let Some(read) = parse_without(bytes, span)
    {
        return Ok(read);
    }
    parse_skipping(bytes)
}

/// The document read from `bytes` with `span` (an array) replaced by `[]`, if that is where
/// its transcript goes.
fn parse_without(bytes: &[u8], span: Range<usize>) -> Option<(Document, LeftOut)> {
    let mut rest = Vec::with_capacity(bytes.len() - span.len() + 2);
    rest.extend_from_slice(&bytes[..span.start]);
    rest.extend_from_slice(b"[]");
    rest.extend_from_slice(&bytes[span.end..]);
    let (mut doc, left_out) = parse_skipping(&rest).ok()?;
    let at = span.start..span.start + 2;
    if left_out.transcript.as_ref() != Some(&at) {
        return None;
    }
    // Places in `rest` after the `[]` are that much further on in `bytes`.
    let shift = span.len() - 2;
    let redials = left_out.redials.map(|r| {
        if r.start >= at.end {
            r.start + shift..r.end + shift
        } else {
            r
        }
    });
    let call = &mut doc.data_mut()?.call;
    call.asr_result.left_out = Some(span.clone());
    call.redial_call.left_out = redials.clone();
    Some((
        doc,
        LeftOut {
            transcript: Some(span),
            redials,
        },
    ))
}

/// [`parse_head`] by serde_json alone: it skips the lists' text (checking it).
fn parse_skipping(bytes: &[u8]) -> Result<(Document, LeftOut), ParseError> {
    let doc = skip_lists::<AsrItem, RedialCall, _>(bytes, || parse_document(bytes))?;
    let left_out = LeftOut::of(&doc);
    Ok((doc, left_out))
}

/// The transcript left out by [`parse_head`]: the value at `range` of the same `bytes`, read
/// as `call.asr_result` would have been. `consumed(n)` is told now and then that the first
/// `n` bytes of the range are read.
pub fn read_transcript(
    bytes: &[u8],
    range: Range<usize>,
    consumed: impl FnMut(usize),
) -> Result<List<AsrItem>, ParseError> {
    read_left_out(bytes, range, consumed)
}

fn read_left_out<T: AcceptKeys + serde::de::DeserializeOwned + 'static>(
    bytes: &[u8],
    range: Range<usize>,
    consumed: impl FnMut(usize),
) -> Result<List<T>, ParseError> {
    let text = bytes
        .get(range)
        .and_then(|b| std::str::from_utf8(b).ok())
        .ok_or_else(|| ParseError::NotJson("a list is not where it was".into()))?;
    read_list(text, consumed).map_err(|e| ParseError::NotJson(e.to_string()))
}

/// What [`parse_document`] gives for `bytes`, from `head` and the lists [`parse_head`] left
/// out ([`complete_partly`], keeping only the outcome).
pub fn complete(
    bytes: &[u8],
    head: Document,
    left_out: &LeftOut,
    done: impl FnMut(Range<usize>),
) -> Result<Document, ParseError> {
    match complete_partly(bytes, head, left_out, done) {
        (document, Ok(())) => Ok(document),
        (_, Err(e)) => Err(e),
    }
}

/// The lists [`parse_head`] left out, read into `head`. Should one not read (the text is
/// not well-formed after all, or nests deeper than serde_json goes from the top), the whole
/// text is read the usual way: its document if it reads, else `head` with the lists that
/// did read, and the whole read's error. `done(range)` is told now and then of a range of
/// `bytes` read through, which the caller may let go of (a mapped file's pages).
pub fn complete_partly(
    bytes: &[u8],
    mut head: Document,
    left_out: &LeftOut,
    mut done: impl FnMut(Range<usize>),
) -> (Document, Result<(), ParseError>) {
    /// serde_json's limit: a container this deep (from the top) is refused.
    const TOO_DEEP: usize = 128;
    let fits = |r: &Range<usize>, done: &mut dyn FnMut(Range<usize>)| {
        deepest_in(bytes, r.clone(), |upto| done(0..upto)) < TOO_DEEP
    };
    let mut whole = true;
    if let Some(data) = head.data_mut() {
        if let Some(r) = &left_out.redials {
            match read_left_out(bytes, r.clone(), |_| ()) {
                Ok(list) if fits(r, &mut done) => data.call.redial_call = list,
                _ => whole = false,
            }
        }
        if let Some(r) = &left_out.transcript {
            match read_left_out(bytes, r.clone(), |n| done(r.start..r.start + n)) {
                Ok(list) if fits(r, &mut done) => data.call.asr_result = list,
                _ => whole = false,
            }
        }
    } else {
        whole = left_out.is_empty();
    }
    if whole {
        return (head, Ok(()));
    }
    match parse_document(bytes) {
        Ok(document) => (document, Ok(())),
        Err(e) => (head, Err(e)),
    }
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
fn read_whole<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let t = T::deserialize(&mut de).map_err(|e| ParseError::NotJson(e.to_string()))?;
    de.end().map_err(|e| ParseError::NotJson(e.to_string()))?;
    Ok(t)
}

/// What the top level looks like, values unread.
enum Probe {
    NotObject(Kind),
    Object {
        has_data: bool,
        has_code_or_status: bool,
        /// How many documented push keys the object had.
        push_keys: usize,
    },
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = Probe;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON document")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        let mut has_data = false;
        let mut has_code_or_status = false;
        let mut push_keys = 0;
        let mut next = map.next_key::<KeyStr>()?;
        if next.as_ref().is_some_and(|k| k.as_str() == NUMBER_TOKEN) {
            match after_token(&mut map)? {
                AfterToken::Number(_) => return Ok(Probe::NotObject(Kind::Number)),
                AfterToken::Entry(_, after) => next = after,
            }
        }
        while let Some(key) = next {
            match key.as_str() {
                "data" => has_data = true,
                "code" | "status" => has_code_or_status = true,
                k if Data::KEYS.contains(&k) => push_keys += 1,
                _ => {}
            }
            map.next_value::<IgnoredAny>()?;
            next = map.next_key()?;
        }
        Ok(Probe::Object {
            has_data,
            has_code_or_status,
            push_keys,
        })
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Probe, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Probe::NotObject(Kind::List))
    }
    fn visit_str<E>(self, _: &str) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::String))
    }
    fn visit_unit<E>(self) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Null))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Bool))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
    fn visit_i128<E>(self, _: i128) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
    fn visit_u128<E>(self, _: u128) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
}

/// The top level read as an envelope (the probe has seen an object).
struct EnvelopeDe(Envelope);

impl<'de> Deserialize<'de> for EnvelopeDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = EnvelopeDe;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EnvelopeDe, A::Error> {
        let mut env = Envelope::default();
        while let Some(key) = map.next_key::<KeyStr>()? {
            match key.as_str() {
                "data" => env.data = map.next_value::<DataSlotDe>()?.0,
                "code" => env.code = map.next_value()?,
                "status" => env.status = map.next_value()?,
                "message" | "msg" => env.message = map.next_value()?,
                other => {
                    let AnyValue(v) = map.next_value()?;
                    env.unknown.push((other.into(), v));
                }
            }
        }
        dedupe_last_wins(&mut env.unknown);
        env.unknown_keys = env.unknown.iter().map(|(k, _)| k.clone()).collect();
        Ok(EnvelopeDe(env))
    }
}

struct DataSlotDe(DataSlot);

impl<'de> Deserialize<'de> for DataSlotDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = Data::deserialize(d)?;
        Ok(DataSlotDe(match data.shape {
            Shape::Sent | Shape::Encoded => DataSlot::Object(Box::new(data)),
            // A one-item list read as its object (a list of anything else keeps the list
            // under AS_SENT_KEY and nothing more).
            Shape::Drifted(Kind::List) if !kept_as_sent(&data) => DataSlot::Object(Box::new(data)),
            Shape::Null | Shape::Absent | Shape::Blank => DataSlot::Null,
            Shape::Drifted(kind) => DataSlot::Wrong(kind),
        }))
    }
}

/// True when a drifted struct holds only the value that arrived in its place.
fn kept_as_sent(data: &Data) -> bool {
    matches!(data.unknown.as_slice(), [(k, _)] if &**k == AS_SENT_KEY)
}

/// Unknown keys, for views.
pub fn unknown_of(u: &Unknown) -> impl Iterator<Item = (&str, &serde_json::Value)> {
    u.iter().map(|(k, v)| (&**k, v))
}

#[cfg(test)]
mod head_tests {
    use super::*;

    /// The head and the lists read apart make the same document as one read.
    fn same_as_whole(json: &str) {
        let whole = parse_document(json.as_bytes()).unwrap();
        let (head, left_out) = parse_head(json.as_bytes()).unwrap();
        let mut told = Vec::new();
        let read = complete(json.as_bytes(), head, &left_out, |n| told.push(n)).unwrap();
        if let Some(range) = &left_out.transcript {
            // Everything read through is told, the transcript's range to its end.
            assert!(told.iter().any(|r| r.end == range.end), "{json}: {told:?}");
            assert!(told.iter().all(|r| r.end <= json.len()), "{json}: {told:?}");
            // Read where it was said to be, not by the whole read `complete` falls back to.
            read_transcript(json.as_bytes(), range.clone(), |_| ()).unwrap();
        }
        if let Some(range) = &left_out.redials {
            read_left_out::<RedialCall>(json.as_bytes(), range.clone(), |_| ()).unwrap();
        }
        assert_eq!(read, whole, "{json}");
    }

    #[test]
    fn head_then_transcript_equals_one_read() {
        for json in [
            r#"{"data":{"call":{"asr_result":[{"time":"00:00:01","robottext":"hi","text":""},null,5,{"text":"é \u00e9"}],"call_id":"c"}},"code":200}"#,
            r#"{"call":{"call_id":"c","asr_result":"[{\"text\":\"encoded\"}]"}}"#,
            r#"{"call":{"asr_result":""}}"#,
            r#"{"call":{"asr_result":null,"x":1}}"#,
            r#"{"call":{"asr_result":{"text":"a lone object"}}}"#,
            r#"{"call":{"asr_result":[]}}"#,
            r#"{"call":{"asr_result":[{"text":"first"}],"asr_result":[{"text":"last wins"}]}}"#,
            r#"{"data":"{\"call\":{\"asr_result\":[{\"text\":\"in a string\"}]}}","code":200}"#,
            r#"{"data":[{"call":{"asr_result":[{"text":"one-item list"}]}}],"code":200}"#,
            r#"{"callee":{"callee_name":"no call"}}"#,
            "\u{feff}{\"call\":{\"asr_result\":[{\"text\":\"after a BOM\"}]}}",
        ] {
            same_as_whole(json);
        }
    }

    /// Found by the fuzzer: a later duplicate `call` without `asr_result` replaces the first,
    /// and the transcript skimmed in the first must not reappear in it.
    #[test]
    fn a_duplicate_parent_takes_its_left_out_transcript_with_it() {
        same_as_whole(
            r#"{"call":{"asr_result":[{"text":"first call"}],"call_id":"a"},"call":{"call_id":"b"}}"#,
        );
        same_as_whole(r#"{"call":{"call_id":"a"},"call":{"asr_result":[{"text":"second call"}]}}"#);
        same_as_whole(
            r#"{"data":{"call":{"asr_result":[{"text":"x"}]}},"data":{"call":{}},"code":200}"#,
        );
    }

    #[test]
    fn a_broken_transcript_fails_the_head_or_its_reading() {
        // Unclosed: no span is found, and serde_json's skim fails.
        assert!(parse_head(br#"{"call":{"asr_result":[{"text":"open"#).is_err());
        // Closed but broken: the head reads, the transcript does not, and completing the
        // document gives the whole read's error.
        let text = br#"{"call":{"asr_result":[1,]}}"#;
        let (head, left_out) = parse_head(text).unwrap();
        assert_eq!(left_out.transcript, Some(22..26));
        assert!(read_transcript(text, 22..26, |_| ()).is_err());
        assert_eq!(
            complete(text, head, &left_out, |_| ()),
            Err(parse_document(text).unwrap_err())
        );
    }

    #[test]
    fn the_redials_are_left_out_before_and_after_the_transcript() {
        let redials = r#"[{"call_id":"r1","ring_time":"12"},{"call_id":"r2","ring_time":3}]"#;
        for json in [
            format!(r#"{{"call":{{"redial_call":{redials},"asr_result":[{{"text":"a"}}]}}}}"#),
            format!(r#"{{"call":{{"asr_result":[{{"text":"a"}}],"redial_call":{redials}}}}}"#),
            r#"{"call":{"redial_call":"","asr_result":[{"text":"a"}]}}"#.to_string(),
            format!(r#"{{"call":{{"redial_call":{redials}}}}}"#),
        ] {
            let (head, left_out) = parse_head(json.as_bytes()).unwrap();
            let range = left_out.redials.clone().expect("the redials are left out");
            assert!(json[range].starts_with(['[', '"']), "{json}");
            assert!(head.data().unwrap().call.redial_call.items.is_empty());
            same_as_whole(&json);
        }
    }

    #[test]
    fn lists_nested_to_serde_json_s_limit_complete_as_the_whole_read_does() {
        for list in ["redial_call", "asr_result"] {
            for depth in [120, 123, 124, 125, 126, 130] {
                let json = format!(
                    r#"{{"call":{{"{list}":[{{"x":{}{}}}]}}}}"#,
                    "[".repeat(depth),
                    "]".repeat(depth)
                );
                let whole = parse_document(json.as_bytes());
                let (head, left_out) = parse_head(json.as_bytes()).unwrap();
                assert!(!left_out.is_empty());
                assert_eq!(
                    complete(json.as_bytes(), head, &left_out, |_| ()),
                    whole,
                    "{list} {depth}"
                );
            }
        }
    }

    #[test]
    fn a_broken_transcript_keeps_the_redials_that_read() {
        let text =
            br#"{"call":{"call_id":"c","redial_call":[{"call_id":"r1"}],"asr_result":[1,]}}"#;
        let (head, left_out) = parse_head(text).unwrap();
        let (partly, outcome) = complete_partly(text, head, &left_out, |_| ());
        assert_eq!(outcome, Err(parse_document(text).unwrap_err()));
        let call = &partly.data().unwrap().call;
        assert_eq!(call.redial_call.items.len(), 1);
        assert!(call.asr_result.items.is_empty());
    }

    #[test]
    fn the_scanned_span_is_used_only_where_the_transcript_goes() {
        // A larger `asr_result` array elsewhere: the span is checked and not taken.
        for text in [
            r#"{"call":{"asr_result":[{"text":"a"}]},"other":{"asr_result":[1,2,3,4,5,6,7,8]}}"#,
            r#"{"call":{"asr_result":[{"text":"a"}]},"call":{"asr_result":[{"text":"bb"},{"text":"c"}]}}"#,
            r#"{"call":{"asr_result":[{"text":"a"},{"text":"b"},{"text":"c"}]},"call":{"call_id":"x"}}"#,
        ] {
            same_as_whole(text);
        }
    }

    #[test]
    fn a_long_transcript_is_told_consumed_in_steps() {
        let turn = format!(
            r#"{{"time":"00:00:01","robottext":"{}","text":""}}"#,
            "x".repeat(1000)
        );
        let json = format!(
            r#"{{"call":{{"asr_result":[{}]}}}}"#,
            vec![turn; 3000].join(",")
        );
        let (_, left_out) = parse_head(json.as_bytes()).unwrap();
        let range = left_out.transcript.unwrap();
        let mut told = Vec::new();
        let list = read_transcript(json.as_bytes(), range.clone(), |n| told.push(n)).unwrap();
        assert_eq!(list.len(), 3000);
        assert!(told.len() >= 3, "{told:?}");
        assert!(told.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(told.last(), Some(&range.len()));
    }
}
