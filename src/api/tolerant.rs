//! Building blocks of the tolerant model: a scalar that takes any JSON value and keeps its
//! text as sent, lists and maps that take `""`, `null` or absence as empty, and the record
//! of how a field actually arrived (`Shape`), so views can say "not in this push".
//!
//! Every `Deserialize` impl here accepts every JSON value: only malformed JSON can fail.
//! serde_json is built with `arbitrary_precision`, so numbers reach `visit_map` as a
//! one-entry map under serde_json's private token; we read that to keep `20000.00` as sent.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The key serde_json (with `arbitrary_precision`) uses to hand a number to a visitor.
pub(crate) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// What kind of JSON value arrived where another was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Number,
    Bool,
    Null,
    List,
    Object,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
            Kind::List => "a list",
            Kind::Object => "an object",
        }
    }
}

/// How a structured field (object or list) arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// The key was not there.
    #[default]
    Absent,
    /// `null`.
    Null,
    /// `""` or a string of spaces: the API's way of saying "nothing".
    Blank,
    /// The expected kind (possibly empty: `[]`, `{}`).
    Sent,
    /// A JSON document inside a string, decoded.
    Encoded,
    /// Something else arrived; it was kept where possible (a lone object as a one-item list).
    Drifted(Kind),
}

impl Shape {
    /// True when the push carried this section at all (even empty).
    pub fn is_present(self) -> bool {
        matches!(self, Shape::Sent | Shape::Encoded | Shape::Drifted(_))
    }
}

/// A JSON value in a slot the reference documents as a scalar. Keeps the text as sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scalar {
    #[default]
    Absent,
    Null,
    Text(Box<str>),
    /// The number's text exactly as sent (`20000.00` stays `20000.00`).
    Number(Box<str>),
    Bool(bool),
    /// An object or list where a scalar was expected, kept as compact JSON.
    Other(Box<str>),
}

impl Scalar {
    pub fn text(s: impl Into<Box<str>>) -> Self {
        Scalar::Text(s.into())
    }

    /// The value as text; `None` for null or absent.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Absent | Scalar::Null => None,
            Scalar::Text(s) | Scalar::Number(s) | Scalar::Other(s) => Some(s),
            Scalar::Bool(true) => Some("true"),
            Scalar::Bool(false) => Some("false"),
        }
    }

    /// The text, `""` for null or absent.
    pub fn show(&self) -> &str {
        self.as_str().unwrap_or("")
    }

    /// The trimmed text when there is any.
    pub fn value(&self) -> Option<&str> {
        self.as_str().map(str::trim).filter(|s| !s.is_empty())
    }

    pub fn is_set(&self) -> bool {
        self.value().is_some()
    }

    pub fn kind(&self) -> Option<Kind> {
        Some(match self {
            Scalar::Absent => return None,
            Scalar::Null => Kind::Null,
            Scalar::Text(_) => Kind::String,
            Scalar::Number(_) => Kind::Number,
            Scalar::Bool(_) => Kind::Bool,
            Scalar::Other(s) if s.starts_with('[') => Kind::List,
            Scalar::Other(_) => Kind::Object,
        })
    }

    /// A float, from a number or a numeric string (thousands separators allowed).
    pub fn as_f64(&self) -> Option<f64> {
        let v = self.value()?;
        v.replace([',', '_'], "")
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
    }

    /// A whole number, from `7`, `"7"` or `7.0`.
    pub fn as_i64(&self) -> Option<i64> {
        let v = self.value()?;
        if let Ok(i) = v.parse::<i64>() {
            return Some(i);
        }
        let f = self.as_f64()?;
        (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.show())
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Scalar::Text(s.into())
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.into_boxed_str()))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string().into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string().into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string().into()))
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar, A::Error> {
        let v = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Scalar::Other(v.to_string().into()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Ok(Scalar::Other("{}".into()));
        };
        if first == NUMBER_TOKEN {
            let text: String = map.next_value()?;
            return Ok(Scalar::Number(text.into_boxed_str()));
        }
        let mut obj = serde_json::Map::new();
        obj.insert(first, map.next_value()?);
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            obj.insert(k, v);
        }
        Ok(Scalar::Other(Value::Object(obj).to_string().into()))
    }
}

/// Keys the reference does not list, kept in the order they came.
pub type Unknown = Vec<(Box<str>, Value)>;

/// Structs built by [`tolerant_struct!`] implement this so a visitor can feed them keys one by
/// one (the top-level parser uses it to read a bare push and an envelope in one pass).
pub trait AcceptKeys: Default {
    /// Reads the value of `key` from `map` into `self`.
    fn accept<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
    fn set_shape(&mut self, shape: Shape);
    fn current_shape(&self) -> Shape;
}

/// Deserializes a tolerant struct: an object fills it, `""`/`null` leave it empty, a JSON
/// object inside a string is decoded, anything else leaves it empty and marks the drift.
pub fn deserialize_struct<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: AcceptKeys + DeserializeOwned,
{
    d.deserialize_any(StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

fn shaped<T: AcceptKeys>(shape: Shape) -> T {
    let mut t = T::default();
    t.set_shape(shape);
    t
}

impl<'de, T: AcceptKeys + DeserializeOwned> Visitor<'de> for StructVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        let mut first = true;
        while let Some(key) = map.next_key::<KeyStr>()? {
            if first && &*key.0 == NUMBER_TOKEN {
                map.next_value::<IgnoredAny>()?;
                return Ok(shaped(Shape::Drifted(Kind::Number)));
            }
            first = false;
            out.accept(&key.0, &mut map)?;
        }
        out.set_shape(Shape::Sent);
        Ok(out)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        if v.trim().is_empty() {
            return Ok(shaped(Shape::Blank));
        }
        if v.trim_start().starts_with('{')
            && let Ok(mut t) = serde_json::from_str::<T>(v)
        {
            t.set_shape(Shape::Encoded);
            return Ok(t);
        }
        Ok(shaped(Shape::Drifted(Kind::String)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(shaped(Shape::Drifted(Kind::List)))
    }
    fn visit_unit<E>(self) -> Result<T, E> {
        Ok(shaped(Shape::Null))
    }
    fn visit_none<E>(self) -> Result<T, E> {
        Ok(shaped(Shape::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, _: bool) -> Result<T, E> {
        Ok(shaped(Shape::Drifted(Kind::Bool)))
    }
    fn visit_i64<E>(self, _: i64) -> Result<T, E> {
        Ok(shaped(Shape::Drifted(Kind::Number)))
    }
    fn visit_u64<E>(self, _: u64) -> Result<T, E> {
        Ok(shaped(Shape::Drifted(Kind::Number)))
    }
    fn visit_f64<E>(self, _: f64) -> Result<T, E> {
        Ok(shaped(Shape::Drifted(Kind::Number)))
    }
}

/// An object key, borrowed from the input when it can be.
struct KeyStr(Box<str>);

impl<'de> Deserialize<'de> for KeyStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| KeyStr(s.into_boxed_str()))
    }
}

/// A documented list. Items that are not objects are skipped and counted.
#[derive(Debug, Clone, PartialEq)]
pub struct List<T> {
    pub items: Vec<T>,
    pub shape: Shape,
    /// Items that were not objects (`null`, numbers, ...) and were left out.
    pub skipped: usize,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List {
            items: Vec::new(),
            shape: Shape::Absent,
            skipped: 0,
        }
    }
}

impl<T> List<T> {
    pub fn from_items(items: Vec<T>) -> Self {
        List {
            items,
            shape: Shape::Sent,
            skipped: 0,
        }
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
}

impl<'de, T: AcceptKeys + DeserializeOwned> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

fn list_of<T>(shape: Shape) -> List<T> {
    List {
        shape,
        ..List::default()
    }
}

impl<'de, T: AcceptKeys + DeserializeOwned> Visitor<'de> for ListVisitor<T> {
    type Value = List<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
        let mut out = list_of(Shape::Sent);
        if let Some(n) = seq.size_hint() {
            out.items.reserve(n.min(1 << 16));
        }
        while let Some(item) = seq.next_element::<Item<T>>()? {
            match item.0 {
                Some(t) => out.items.push(t),
                None => out.skipped += 1,
            }
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<List<T>, A::Error> {
        // A lone object where a list belongs: keep it as the list's only item.
        let t: T = deserialize_struct(de::value::MapAccessDeserializer::new(map))?;
        let mut out = list_of(Shape::Drifted(Kind::Object));
        out.items.push(t);
        Ok(out)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<List<T>, E> {
        if v.trim().is_empty() {
            return Ok(list_of(Shape::Blank));
        }
        if v.trim_start().starts_with('[')
            && let Ok(mut l) = serde_json::from_str::<List<T>>(v)
        {
            l.shape = Shape::Encoded;
            return Ok(l);
        }
        Ok(list_of(Shape::Drifted(Kind::String)))
    }
    fn visit_unit<E>(self) -> Result<List<T>, E> {
        Ok(list_of(Shape::Null))
    }
    fn visit_none<E>(self) -> Result<List<T>, E> {
        Ok(list_of(Shape::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<List<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, _: bool) -> Result<List<T>, E> {
        Ok(list_of(Shape::Drifted(Kind::Bool)))
    }
    fn visit_i64<E>(self, _: i64) -> Result<List<T>, E> {
        Ok(list_of(Shape::Drifted(Kind::Number)))
    }
    fn visit_u64<E>(self, _: u64) -> Result<List<T>, E> {
        Ok(list_of(Shape::Drifted(Kind::Number)))
    }
    fn visit_f64<E>(self, _: f64) -> Result<List<T>, E> {
        Ok(list_of(Shape::Drifted(Kind::Number)))
    }
}

/// One list item: an object becomes `Some(T)`, anything else `None`.
struct Item<T>(Option<T>);

impl<'de, T: AcceptKeys + DeserializeOwned> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let t: T = deserialize_struct(d)?;
        Ok(Item(t_if_object(t)))
    }
}

fn t_if_object<T: AcceptKeys>(t: T) -> Option<T> {
    matches!(t.current_shape(), Shape::Sent | Shape::Encoded).then_some(t)
}

/// A documented object whose keys are free (`ner_slots`, `custom_attribute`, ...).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KvMap {
    pub entries: Vec<(Box<str>, Value)>,
    pub shape: Shape,
    /// A non-JSON string where the object belongs, kept as sent.
    pub raw: Option<Box<str>>,
}

impl KvMap {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.raw.is_none()
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| v)
    }
}

impl<'de> Deserialize<'de> for KvMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KvVisitor)
    }
}

struct KvVisitor;

fn kv_of(shape: Shape) -> KvMap {
    KvMap {
        shape,
        ..KvMap::default()
    }
}

impl<'de> Visitor<'de> for KvVisitor {
    type Value = KvMap;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KvMap, A::Error> {
        let mut out = kv_of(Shape::Sent);
        let mut first = true;
        while let Some(key) = map.next_key::<KeyStr>()? {
            if first && &*key.0 == NUMBER_TOKEN {
                let text: String = map.next_value()?;
                let mut out = kv_of(Shape::Drifted(Kind::Number));
                out.raw = Some(text.into_boxed_str());
                return Ok(out);
            }
            first = false;
            let v: Value = map.next_value()?;
            out.entries.push((key.0, v));
        }
        Ok(out)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KvMap, A::Error> {
        // A list where an object belongs (`multi_label: ["A0", "B1"]`): keep the items in order.
        let mut out = kv_of(Shape::Drifted(Kind::List));
        let mut i = 0usize;
        while let Some(v) = seq.next_element::<Value>()? {
            out.entries.push((format!("[{i}]").into(), v));
            i += 1;
        }
        Ok(out)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<KvMap, E> {
        if v.trim().is_empty() {
            return Ok(kv_of(Shape::Blank));
        }
        if v.trim_start().starts_with(['{', '['])
            && let Ok(mut m) = serde_json::from_str::<KvMap>(v)
        {
            m.shape = Shape::Encoded;
            return Ok(m);
        }
        let mut out = kv_of(Shape::Drifted(Kind::String));
        out.raw = Some(v.into());
        Ok(out)
    }
    fn visit_unit<E>(self) -> Result<KvMap, E> {
        Ok(kv_of(Shape::Null))
    }
    fn visit_none<E>(self) -> Result<KvMap, E> {
        Ok(kv_of(Shape::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<KvMap, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> Result<KvMap, E> {
        let mut out = kv_of(Shape::Drifted(Kind::Bool));
        out.raw = Some(v.to_string().into());
        Ok(out)
    }
    fn visit_i64<E>(self, v: i64) -> Result<KvMap, E> {
        let mut out = kv_of(Shape::Drifted(Kind::Number));
        out.raw = Some(v.to_string().into());
        Ok(out)
    }
    fn visit_u64<E>(self, v: u64) -> Result<KvMap, E> {
        let mut out = kv_of(Shape::Drifted(Kind::Number));
        out.raw = Some(v.to_string().into());
        Ok(out)
    }
    fn visit_f64<E>(self, v: f64) -> Result<KvMap, E> {
        let mut out = kv_of(Shape::Drifted(Kind::Number));
        out.raw = Some(v.to_string().into());
        Ok(out)
    }
}

/// A JSON value as one line of text: strings bare, numbers as sent, the rest compact JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Defines a tolerant struct: each field is read from its key (or an alias); keys the
/// reference does not list go to `unknown`; the struct never fails on any JSON value.
#[macro_export]
macro_rules! tolerant_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty = $key:literal $(| $alias:literal)* ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Keys the reference does not list, in the order they came.
            pub unknown: $crate::api::tolerant::Unknown,
            /// How this object arrived.
            pub shape: $crate::api::tolerant::Shape,
        }

        impl $name {
            /// The documented keys, in the reference's order.
            pub const KEYS: &'static [&'static str] = &[$($key),*];
        }

        impl $crate::api::tolerant::AcceptKeys for $name {
            fn accept<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match key {
                    $( $key $(| $alias)* => self.$field = map.next_value()?, )*
                    _ => {
                        let v: serde_json::Value = map.next_value()?;
                        self.unknown.push((key.into(), v));
                    }
                }
                Ok(())
            }
            fn set_shape(&mut self, shape: $crate::api::tolerant::Shape) {
                self.shape = shape;
            }
            fn current_shape(&self) -> $crate::api::tolerant::Shape {
                self.shape
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::api::tolerant::deserialize_struct(d)
            }
        }
    };
}
