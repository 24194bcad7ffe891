//! The push as the reference documents it, read tolerantly (see `tolerant`).

use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::tolerant::{AcceptKeys, Kind, KvMap, List, NUMBER_TOKEN, Scalar, Shape, Unknown};
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
    pub message: Scalar,
    pub data: DataSlot,
    /// Top-level keys besides `data`, `code`, `status` and `message`.
    pub unknown_keys: Vec<Box<str>>,
}

/// What the envelope's `data` held.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum DataSlot {
    #[default]
    Absent,
    Null,
    Object(Box<Data>),
    /// Something that is not an object (`[]`, a number, a string).
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

/// Parses an API answer or a pushed body in one pass over the bytes.
pub fn parse_document(bytes: &[u8]) -> Result<Document, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let top = TopLevel::deserialize(&mut de).map_err(|e| ParseError::NotJson(e.to_string()))?;
    de.end().map_err(|e| ParseError::NotJson(e.to_string()))?;
    match top {
        TopLevel::NotObject(kind) => Err(ParseError::WrongShape(format!(
            "the body is {}, not an object",
            kind.name()
        ))),
        TopLevel::Object {
            envelope,
            is_envelope: true,
            ..
        } => Ok(Document::Envelope(envelope)),
        TopLevel::Object { data, known, .. } if known > 0 => Ok(Document::Push(Box::new(data))),
        TopLevel::Object { .. } => Err(ParseError::WrongShape(
            "the object has neither `data`/`code`/`status` nor any field of a push".into(),
        )),
    }
}

enum TopLevel {
    NotObject(Kind),
    Object {
        envelope: Envelope,
        is_envelope: bool,
        /// The same keys read as a bare push.
        data: Data,
        /// How many documented push keys the object had.
        known: usize,
    },
}

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TopVisitor)
    }
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = TopLevel;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON document")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut envelope = Envelope::default();
        let mut is_envelope = false;
        let mut data = Data::default();
        let mut known = 0;
        let mut first = true;
        while let Some(key) = map.next_key::<String>()? {
            if first && key == NUMBER_TOKEN {
                map.next_value::<IgnoredAny>()?;
                return Ok(TopLevel::NotObject(Kind::Number));
            }
            first = false;
            match key.as_str() {
                "data" => {
                    is_envelope = true;
                    envelope.data = map.next_value::<DataSlotDe>()?.0;
                }
                "code" => {
                    is_envelope = true;
                    envelope.code = map.next_value()?;
                }
                "status" => {
                    is_envelope = true;
                    envelope.status = map.next_value()?;
                }
                "message" | "msg" => envelope.message = map.next_value()?,
                other => {
                    if Data::KEYS.contains(&other) {
                        known += 1;
                    } else {
                        envelope.unknown_keys.push(other.into());
                    }
                    data.accept(other, &mut map)?;
                }
            }
        }
        if !is_envelope {
            data.set_shape(Shape::Sent);
            if envelope.message.is_set() {
                data.unknown
                    .push(("message".into(), scalar_value(&envelope.message)));
            }
        }
        Ok(TopLevel::Object {
            envelope,
            is_envelope,
            data,
            known,
        })
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<TopLevel, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(TopLevel::NotObject(Kind::List))
    }
    fn visit_str<E>(self, _: &str) -> Result<TopLevel, E> {
        Ok(TopLevel::NotObject(Kind::String))
    }
    fn visit_unit<E>(self) -> Result<TopLevel, E> {
        Ok(TopLevel::NotObject(Kind::Null))
    }
    fn visit_bool<E>(self, _: bool) -> Result<TopLevel, E> {
        Ok(TopLevel::NotObject(Kind::Bool))
    }
    fn visit_i64<E>(self, _: i64) -> Result<TopLevel, E> {
        Ok(TopLevel::NotObject(Kind::Number))
    }
    fn visit_u64<E>(self, _: u64) -> Result<TopLevel, E> {
        Ok(TopLevel::NotObject(Kind::Number))
    }
    fn visit_f64<E>(self, _: f64) -> Result<TopLevel, E> {
        Ok(TopLevel::NotObject(Kind::Number))
    }
}

fn scalar_value(s: &Scalar) -> serde_json::Value {
    match s {
        Scalar::Absent | Scalar::Null => serde_json::Value::Null,
        Scalar::Bool(b) => serde_json::Value::Bool(*b),
        other => serde_json::Value::String(other.show().to_owned()),
    }
}

struct DataSlotDe(DataSlot);

impl<'de> Deserialize<'de> for DataSlotDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = Data::deserialize(d)?;
        Ok(DataSlotDe(match data.shape {
            Shape::Sent | Shape::Encoded => DataSlot::Object(Box::new(data)),
            Shape::Null | Shape::Absent => DataSlot::Null,
            Shape::Blank => DataSlot::Wrong(Kind::String),
            Shape::Drifted(kind) => DataSlot::Wrong(kind),
        }))
    }
}

/// Unknown keys, for views.
pub fn unknown_of(u: &Unknown) -> impl Iterator<Item = (&str, &serde_json::Value)> {
    u.iter().map(|(k, v)| (&**k, v))
}
