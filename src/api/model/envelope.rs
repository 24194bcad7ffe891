//! The API's envelope around the push, and how its `data` is read.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::push::Data;
use crate::api::tolerant::{
    AS_SENT_KEY, AnyValue, KeyStr, Kind, Repeated, Scalar, Shape, Unknown, dedupe_last_wins,
};

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

/// The top level read as an envelope (the probe has seen an object).
pub(super) struct EnvelopeDe(pub(super) Envelope);

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
        // The envelope is not the push: its repeated keys are not reported.
        dedupe_last_wins(&mut env.unknown, &mut Repeated::default());
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
