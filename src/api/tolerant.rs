//! Building blocks of the tolerant model: a scalar that takes any JSON value and keeps its
//! text as sent, lists and maps that take `""`, `null` or absence as empty, and the record
//! of how a field actually arrived (`Shape`), so views can say "not in this push".
//!
//! Every `Deserialize` impl here accepts every JSON value: only malformed JSON can fail.
//! serde_json is built with `arbitrary_precision`, so numbers reach `visit_map` as a
//! one-entry map under serde_json's private token; we read that to keep `20000.00` as sent.
//! Values in free-form places (`unknown`, [`KvMap`]) are read with [`AnyValue`], which keeps
//! number text the same way and, unlike `serde_json::Value`, never fails on an object that
//! really has serde_json's private key.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Number, Value};

/// The key serde_json (with `arbitrary_precision`) uses to hand a number to a visitor.
pub(crate) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The `unknown` key under which a tolerant struct keeps a value that arrived in its place
/// but could not be read as the object (`"callee": "WILL SMITH"`, `"call": 5`, a list of
/// several items), so views show it instead of dropping it.
pub const AS_SENT_KEY: &str = "(as sent)";

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
    /// `""`, a string of spaces, or an empty container of the other kind (`[]` where an
    /// object belongs, `{}` where a list belongs): the API's ways of saying "nothing".
    Blank,
    /// The expected kind (possibly empty: `[]` for a list, `{}` for an object).
    Sent,
    /// A JSON document inside a string, decoded.
    Encoded,
    /// Something else arrived; it was kept where possible (a lone object as a one-item list,
    /// a one-object list as the object, anything else under [`AS_SENT_KEY`] in `unknown`).
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
    fn visit_i128<E>(self, v: i128) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string().into()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Scalar, E> {
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
        let v = AnyVisitor.visit_seq(seq)?;
        Ok(Scalar::Other(v.to_string().into()))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
        match read_map(map)? {
            MapRead::Number(text) => Ok(Scalar::Number(text)),
            MapRead::Object(obj) => Ok(Scalar::Other(Value::Object(obj).to_string().into())),
        }
    }
}

/// A JSON value read like `serde_json::Value` (numbers keep their text), but total: an object
/// that really has serde_json's private number key is kept as an object, and 128-bit
/// integers from a `Value` deserializer are accepted. Used for every free-form value.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub struct AnyValue(pub Value);

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyVisitor).map(AnyValue)
    }
}

struct AnyVisitor;

/// A number's text as a `Value`, kept exactly (or as a string if it is not a JSON number).
fn number_value(text: &str) -> Value {
    text.parse::<Number>()
        .map(Value::Number)
        .unwrap_or_else(|_| Value::String(text.into()))
}

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(number_value(&v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(number_value(&v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 12));
        while let Some(AnyValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        Ok(match read_map(map)? {
            MapRead::Number(text) => number_value(&text),
            MapRead::Object(obj) => Value::Object(obj),
        })
    }
}

/// A map as handed to a visitor: serde_json's number in disguise, or a real object.
enum MapRead {
    Number(Box<str>),
    Object(serde_json::Map<String, Value>),
}

/// Reads a whole map into a JSON object (duplicate keys: the last value wins, at the first
/// key's place), recognising serde_json's number token.
fn read_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<MapRead, A::Error> {
    let mut obj = serde_json::Map::new();
    let mut next = map.next_key::<KeyStr>()?;
    if let Some(first) = next.take_if(|k| &*k.0 == NUMBER_TOKEN) {
        match after_token(&mut map)? {
            AfterToken::Number(text) => return Ok(MapRead::Number(text)),
            AfterToken::Entry(v, after) => {
                obj.insert(first.0.into(), v);
                next = after;
            }
        }
    }
    while let Some(key) = next {
        let AnyValue(v) = map.next_value()?;
        obj.insert(key.0.into(), v);
        next = map.next_key()?;
    }
    Ok(MapRead::Object(obj))
}

/// What followed a first key equal to [`NUMBER_TOKEN`].
pub(crate) enum AfterToken {
    /// It was serde_json handing over a number: its text, as sent.
    Number(Box<str>),
    /// An object really has that key: its value and the key after it.
    Entry(Value, Option<KeyStr>),
}

/// Call right after reading a first key equal to [`NUMBER_TOKEN`].
pub(crate) fn after_token<'de, A: MapAccess<'de>>(map: &mut A) -> Result<AfterToken, A::Error> {
    let AnyValue(v) = map.next_value()?;
    let after = map.next_key::<KeyStr>()?;
    if after.is_none()
        && let Value::String(text) = &v
        && text.parse::<Number>().is_ok()
    {
        return Ok(AfterToken::Number(text.as_str().into()));
    }
    Ok(AfterToken::Entry(v, after))
}

/// Keys the reference does not list, kept in the order they came.
pub type Unknown = Vec<(Box<str>, Value)>;

/// Makes keys unique the way a JSON object does: the last value wins, at the first key's place.
#[doc(hidden)]
pub fn dedupe_last_wins(entries: &mut Vec<(Box<str>, Value)>) {
    if entries.len() < 2 {
        return;
    }
    let mut at: HashMap<Box<str>, usize> = HashMap::with_capacity(entries.len());
    let mut out: Vec<(Box<str>, Value)> = Vec::with_capacity(entries.len());
    for (k, v) in entries.drain(..) {
        match at.get(&k) {
            Some(&i) => out[i].1 = v,
            None => {
                at.insert(k.clone(), out.len());
                out.push((k, v));
            }
        }
    }
    *entries = out;
}

/// Structs built by [`tolerant_struct!`] implement this so the visitors here can feed them
/// keys one by one and record how they arrived.
pub trait AcceptKeys: Default {
    /// Reads the value of `key` from `map` into `self`.
    fn accept<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
    fn set_shape(&mut self, shape: Shape);
    fn current_shape(&self) -> Shape;
    /// The struct's `unknown` entries.
    fn unknown_mut(&mut self) -> &mut Unknown;
}

/// Deserializes a tolerant struct: an object fills it, `""`/`null`/`[]` leave it empty, a
/// JSON object inside a string is decoded, a list holding one object is read as that object;
/// anything else leaves it empty, marks the drift and keeps the value under [`AS_SENT_KEY`].
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

/// An empty struct marked as drifted, keeping what arrived under [`AS_SENT_KEY`].
fn drifted<T: AcceptKeys>(kind: Kind, sent: Value) -> T {
    let mut t = shaped::<T>(Shape::Drifted(kind));
    t.unknown_mut().push((AS_SENT_KEY.into(), sent));
    t
}

/// Fills a struct from a map whose first key (if any) has already been read.
fn fill_struct<'de, T: AcceptKeys, A: MapAccess<'de>>(
    first: Option<KeyStr>,
    mut map: A,
) -> Result<T, A::Error> {
    let mut out = T::default();
    let mut next = first;
    if let Some(token) = next.take_if(|k| &*k.0 == NUMBER_TOKEN) {
        match after_token(&mut map)? {
            AfterToken::Number(text) => return Ok(drifted(Kind::Number, number_value(&text))),
            AfterToken::Entry(v, after) => {
                out.unknown_mut().push((token.0, v));
                next = after;
            }
        }
    }
    while let Some(key) = next {
        out.accept(&key.0, &mut map)?;
        next = map.next_key()?;
    }
    dedupe_last_wins(out.unknown_mut());
    out.set_shape(Shape::Sent);
    Ok(out)
}

impl<'de, T: AcceptKeys + DeserializeOwned> Visitor<'de> for StructVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let first = map.next_key::<KeyStr>()?;
        fill_struct(first, map)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        if v.trim().is_empty() {
            return Ok(shaped(Shape::Blank));
        }
        if v.trim_start().starts_with('{')
            && let Ok(mut t) = serde_json::from_str::<T>(v)
            && t.current_shape() == Shape::Sent
        {
            t.set_shape(Shape::Encoded);
            return Ok(t);
        }
        Ok(drifted(Kind::String, Value::String(v.into())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let Value::Array(items) = AnyVisitor.visit_seq(seq)? else {
            unreachable!("visit_seq builds an array")
        };
        match items.as_slice() {
            [] => return Ok(shaped(Shape::Blank)),
            // A one-item list where an object belongs: read the object. Going through the
            // text keeps numbers exactly (a `Value` deserializer would not).
            [one @ Value::Object(_)] => {
                if let Ok(mut t) = serde_json::from_str::<T>(&one.to_string())
                    && t.current_shape() == Shape::Sent
                {
                    t.set_shape(Shape::Drifted(Kind::List));
                    return Ok(t);
                }
            }
            _ => {}
        }
        Ok(drifted(Kind::List, Value::Array(items)))
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
    fn visit_bool<E>(self, v: bool) -> Result<T, E> {
        Ok(drifted(Kind::Bool, Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<T, E> {
        Ok(drifted(Kind::Number, v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<T, E> {
        Ok(drifted(Kind::Number, v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<T, E> {
        Ok(drifted(Kind::Number, number_value(&v.to_string())))
    }
    fn visit_u128<E>(self, v: u128) -> Result<T, E> {
        Ok(drifted(Kind::Number, number_value(&v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<T, E> {
        Ok(drifted(
            Kind::Number,
            Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }
}

/// An object key.
pub(crate) struct KeyStr(Box<str>);

impl<'de> Deserialize<'de> for KeyStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| KeyStr(s.into_boxed_str()))
    }
}

impl KeyStr {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// A documented list. Items that are not objects are skipped and counted.
#[derive(Debug, Clone, PartialEq)]
pub struct List<T> {
    pub items: Vec<T>,
    pub shape: Shape,
    /// Items that were not objects (`null`, numbers, ...) and were left out; also 1 when a
    /// lone non-object value (a number, a non-JSON string) arrived where the list belongs.
    pub skipped: usize,
    /// Set when the list was left unread ([`skip_lists`]): where its text lies in the input.
    pub left_out: Option<std::ops::Range<usize>>,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List {
            items: Vec::new(),
            shape: Shape::Absent,
            skipped: 0,
            left_out: None,
        }
    }
}

impl<T> List<T> {
    pub fn from_items(items: Vec<T>) -> Self {
        List {
            items,
            shape: Shape::Sent,
            ..List::default()
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
    /// Keeps an item that is an object; counts one that is not.
    fn add(&mut self, item: Item<T>) {
        match item.0 {
            Some(t) => self.items.push(t),
            None => self.skipped += 1,
        }
    }
}

impl<'de, T: AcceptKeys + DeserializeOwned + 'static> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !skipping::<T>() {
            return d.deserialize_any(ListVisitor(PhantomData));
        }
        let raw = <&serde_json::value::RawValue>::deserialize(d)?;
        if let Some(at) = in_input(raw.get()) {
            // The list itself says where it was: a later duplicate of its parent replaces
            // it, mark and all, as a whole read would.
            return Ok(List {
                left_out: Some(at..at + raw.get().len()),
                ..List::default()
            });
        }
        // A list inside JSON-in-a-string lies in another buffer: read it now, as usual.
        let state = SKIP.take();
        let list = serde_json::from_str::<List<T>>(raw.get());
        SKIP.set(state);
        list.map_err(de::Error::custom)
    }
}

/// While [`skip_lists`] runs: the item types whose lists are skipped, and the input's
/// address range.
#[derive(Clone, Copy)]
struct Skip {
    items: [std::any::TypeId; 2],
    input: (usize, usize),
}

thread_local! {
    static SKIP: std::cell::Cell<Option<Skip>> = const { std::cell::Cell::new(None) };
}

fn skipping<T: 'static>() -> bool {
    SKIP.get()
        .is_some_and(|s| s.items.contains(&std::any::TypeId::of::<T>()))
}

/// Where `text` starts in the input being read, if it lies in it.
fn in_input(text: &str) -> Option<usize> {
    let s = SKIP.get()?;
    let start = text.as_ptr() as usize;
    (start >= s.input.0 && start + text.len() <= s.input.1).then(|| start - s.input.0)
}

/// Runs `read` over `input` with every `List<I>` and `List<J>` left unread: empty and
/// absent, its [`left_out`](List::left_out) saying where its text lies in `input`, to be
/// read later with [`read_list`]. serde_json still checks the skipped text is well-formed
/// JSON, but not how deep it nests (the reader of the lists checks that). Lists inside
/// JSON-in-a-string are read as usual (their text is not in `input`).
pub(crate) fn skip_lists<I: 'static, J: 'static, R>(input: &[u8], read: impl FnOnce() -> R) -> R {
    struct Reset(Option<Skip>);
    impl Drop for Reset {
        fn drop(&mut self) {
            SKIP.set(self.0);
        }
    }
    let start = input.as_ptr() as usize;
    let _reset = Reset(SKIP.replace(Some(Skip {
        items: [std::any::TypeId::of::<I>(), std::any::TypeId::of::<J>()],
        input: (start, start + input.len()),
    })));
    read()
}

/// Reads the text of one list value as [`List`] would have, item by item when it is a JSON
/// list, calling `consumed(n)` now and then with how many bytes of `text` are behind it, so
/// a caller can let go of them (a memory-mapped file's pages).
pub(crate) fn read_list<T: AcceptKeys + DeserializeOwned + 'static>(
    text: &str,
    mut consumed: impl FnMut(usize),
) -> Result<List<T>, serde_json::Error> {
    /// Bytes read between two calls of `consumed`.
    const STEP: usize = 1 << 20;
    if !text.trim_start().starts_with('[') {
        let list = serde_json::from_str(text);
        consumed(text.len());
        return list;
    }
    let raws: Vec<&serde_json::value::RawValue> = serde_json::from_str(text)?;
    let mut out = list_of(Shape::Sent);
    out.items.reserve_exact(raws.len());
    let mut told = 0;
    for raw in raws {
        out.add(serde_json::from_str::<Item<T>>(raw.get())?);
        let behind = raw.get().as_ptr() as usize + raw.get().len() - text.as_ptr() as usize;
        if behind - told >= STEP {
            consumed(behind);
            told = behind;
        }
    }
    consumed(text.len());
    Ok(out)
}

struct ListVisitor<T>(PhantomData<T>);

fn list_of<T>(shape: Shape) -> List<T> {
    List {
        shape,
        ..List::default()
    }
}

/// A list that got a lone value of the wrong kind: empty, drifted, the value counted.
fn list_drifted<T>(kind: Kind) -> List<T> {
    List {
        shape: Shape::Drifted(kind),
        skipped: 1,
        ..List::default()
    }
}

impl<'de, T: AcceptKeys + DeserializeOwned + 'static> Visitor<'de> for ListVisitor<T> {
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
            out.add(item);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<List<T>, A::Error> {
        let Some(first) = map.next_key::<KeyStr>()? else {
            // `{}` where a list belongs: nothing.
            return Ok(list_of(Shape::Blank));
        };
        // A lone object where a list belongs: keep it as the list's only item.
        let t: T = fill_struct(Some(first), map)?;
        match t.current_shape() {
            Shape::Sent => {
                let mut out = list_of(Shape::Drifted(Kind::Object));
                out.items.push(t);
                Ok(out)
            }
            _ => Ok(list_drifted(Kind::Number)),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<List<T>, E> {
        if v.trim().is_empty() {
            return Ok(list_of(Shape::Blank));
        }
        if v.trim_start().starts_with(['[', '{'])
            && let Ok(mut l) = serde_json::from_str::<List<T>>(v)
            && matches!(
                l.shape,
                Shape::Sent | Shape::Blank | Shape::Drifted(Kind::Object)
            )
        {
            l.shape = Shape::Encoded;
            return Ok(l);
        }
        Ok(list_drifted(Kind::String))
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
        Ok(list_drifted(Kind::Bool))
    }
    fn visit_i64<E>(self, _: i64) -> Result<List<T>, E> {
        Ok(list_drifted(Kind::Number))
    }
    fn visit_u64<E>(self, _: u64) -> Result<List<T>, E> {
        Ok(list_drifted(Kind::Number))
    }
    fn visit_i128<E>(self, _: i128) -> Result<List<T>, E> {
        Ok(list_drifted(Kind::Number))
    }
    fn visit_u128<E>(self, _: u128) -> Result<List<T>, E> {
        Ok(list_drifted(Kind::Number))
    }
    fn visit_f64<E>(self, _: f64) -> Result<List<T>, E> {
        Ok(list_drifted(Kind::Number))
    }
}

/// One list item: an object becomes `Some(T)`, anything else `None`.
struct Item<T>(Option<T>);

impl<'de, T: AcceptKeys + DeserializeOwned + 'static> Deserialize<'de> for Item<T> {
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
    /// A scalar where the object belongs (a non-JSON string, a number, a bool), kept as sent.
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

fn kv_raw(kind: Kind, raw: impl Into<Box<str>>) -> KvMap {
    KvMap {
        shape: Shape::Drifted(kind),
        raw: Some(raw.into()),
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
        let mut next = map.next_key::<KeyStr>()?;
        if let Some(token) = next.take_if(|k| &*k.0 == NUMBER_TOKEN) {
            match after_token(&mut map)? {
                AfterToken::Number(text) => return Ok(kv_raw(Kind::Number, text)),
                AfterToken::Entry(v, after) => {
                    out.entries.push((token.0, v));
                    next = after;
                }
            }
        }
        while let Some(key) = next {
            let AnyValue(v) = map.next_value()?;
            out.entries.push((key.0, v));
            next = map.next_key()?;
        }
        dedupe_last_wins(&mut out.entries);
        Ok(out)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KvMap, A::Error> {
        // A list where an object belongs (`multi_label: ["A0", "B1"]`): keep the items in order.
        let mut out = kv_of(Shape::Drifted(Kind::List));
        let mut i = 0usize;
        while let Some(AnyValue(v)) = seq.next_element()? {
            out.entries.push((format!("[{i}]").into(), v));
            i += 1;
        }
        if out.entries.is_empty() {
            // `[]` where an object belongs: nothing.
            out.shape = Shape::Blank;
        }
        Ok(out)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<KvMap, E> {
        if v.trim().is_empty() {
            return Ok(kv_of(Shape::Blank));
        }
        if v.trim_start().starts_with(['{', '['])
            && let Ok(mut m) = serde_json::from_str::<KvMap>(v)
            && m.raw.is_none()
        {
            m.shape = Shape::Encoded;
            return Ok(m);
        }
        Ok(kv_raw(Kind::String, v))
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
        Ok(kv_raw(Kind::Bool, v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<KvMap, E> {
        Ok(kv_raw(Kind::Number, v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<KvMap, E> {
        Ok(kv_raw(Kind::Number, v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<KvMap, E> {
        Ok(kv_raw(Kind::Number, v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<KvMap, E> {
        Ok(kv_raw(Kind::Number, v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<KvMap, E> {
        Ok(kv_raw(Kind::Number, v.to_string()))
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
            /// Keys the reference does not list, in the order they came (duplicates: the
            /// last value wins); a value that arrived in the object's place and could not be
            /// read as it is kept under [`AS_SENT_KEY`]($crate::api::tolerant::AS_SENT_KEY).
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
                        let v = map.next_value::<$crate::api::tolerant::AnyValue>()?.0;
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
            fn unknown_mut(&mut self) -> &mut $crate::api::tolerant::Unknown {
                &mut self.unknown
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::api::tolerant::deserialize_struct(d)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::tolerant_struct! {
        /// A small tolerant struct for these tests.
        pub struct Row {
            pub name: Scalar = "name" | "Name",
            pub amount: Scalar = "amount",
            pub tags: KvMap = "tags",
            pub rows: List<Row> = "rows",
        }
    }

    fn scalar(json: &str) -> Scalar {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    fn row(json: &str) -> Row {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    fn list(json: &str) -> List<Row> {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    fn kv(json: &str) -> KvMap {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    fn num(text: &str) -> Value {
        Value::Number(text.parse().unwrap())
    }
    fn names(l: &List<Row>) -> Vec<&str> {
        l.iter().map(|r| r.name.show()).collect()
    }

    // ---------- Scalar ----------

    #[test]
    fn scalar_takes_every_json_kind() {
        assert_eq!(scalar(r#""x""#), Scalar::text("x"));
        assert_eq!(scalar(r#""""#), Scalar::text(""));
        assert_eq!(scalar("7"), Scalar::Number("7".into()));
        assert_eq!(scalar("-7"), Scalar::Number("-7".into()));
        assert_eq!(scalar("true"), Scalar::Bool(true));
        assert_eq!(scalar("false"), Scalar::Bool(false));
        assert_eq!(scalar("null"), Scalar::Null);
        assert_eq!(
            scalar("[1, \"a\", null]"),
            Scalar::Other("[1,\"a\",null]".into())
        );
        assert_eq!(scalar("[]"), Scalar::Other("[]".into()));
        assert_eq!(
            scalar(r#"{"b": 1.50, "a": [true]}"#),
            Scalar::Other(r#"{"b":1.50,"a":[true]}"#.into())
        );
        assert_eq!(scalar("{}"), Scalar::Other("{}".into()));
        // Absent is what a struct holds when the key is missing.
        assert_eq!(row("{}").name, Scalar::Absent);

        assert_eq!(scalar(r#""x""#).kind(), Some(Kind::String));
        assert_eq!(scalar("7").kind(), Some(Kind::Number));
        assert_eq!(scalar("true").kind(), Some(Kind::Bool));
        assert_eq!(scalar("null").kind(), Some(Kind::Null));
        assert_eq!(scalar("[1]").kind(), Some(Kind::List));
        assert_eq!(scalar(r#"{"a":1}"#).kind(), Some(Kind::Object));
        assert_eq!(Scalar::Absent.kind(), None);
    }

    #[test]
    fn scalar_keeps_number_text_exactly() {
        for text in [
            "20000.00",
            "20310.00",
            "123456.0",
            "0",
            "-0",
            "-0.0",
            "0.1",
            "1e-7",
            "12345678901234567890123",
            "-12345678901234567890123",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "3.141592653589793238462643383279502884197",
            "100000000000000000000000000000000000000000000000000.000",
        ] {
            assert_eq!(scalar(text), Scalar::Number(text.into()), "{text}");
            // Inside an object and a list too.
            let r = row(&format!(
                r#"{{"amount": {text}, "rows": [{{"amount": {text}}}]}}"#
            ));
            assert_eq!(r.amount.show(), text);
            assert_eq!(r.rows.items[0].amount.show(), text);
        }
        // Text that only looks like a number stays text.
        assert_eq!(scalar(r#""20000.00""#), Scalar::text("20000.00"));
    }

    #[test]
    fn scalar_exponents_are_kept_but_normalised_by_serde_json() {
        // serde_json's scanner (arbitrary_precision) writes the exponent as `e` with an
        // explicit sign before any visitor sees it: the value and digits are kept, the
        // spelling of the exponent is not. Out-of-range values are kept, never infinite.
        for (sent, kept) in [
            ("1e400", "1e+400"),
            ("-1e400", "-1e+400"),
            ("1E+2", "1e+2"),
            ("2.5E-10", "2.5e-10"),
            ("1e-7", "1e-7"),
            ("1.0e+5", "1.0e+5"),
        ] {
            assert_eq!(scalar(sent), Scalar::Number(kept.into()), "{sent}");
        }
    }

    #[test]
    fn scalar_numbers_as_numbers() {
        assert_eq!(scalar(r#""7""#).as_i64(), Some(7));
        assert_eq!(scalar("7").as_i64(), Some(7));
        assert_eq!(scalar("7.0").as_i64(), Some(7));
        assert_eq!(scalar("-7.00").as_i64(), Some(-7));
        assert_eq!(scalar(r#"" 42 ""#).as_i64(), Some(42));
        assert_eq!(scalar(r#""1,234""#).as_i64(), Some(1234));
        assert_eq!(scalar(r#""1,234.50""#).as_i64(), None);
        assert_eq!(scalar(r#""1,234.50""#).as_f64(), Some(1234.5));
        assert_eq!(scalar(r#""1_000""#).as_f64(), Some(1000.0));
        assert_eq!(scalar("20000.00").as_f64(), Some(20000.0));
        assert_eq!(scalar("7.5").as_i64(), None);
        assert_eq!(scalar("-0").as_i64(), Some(0));
        assert_eq!(
            scalar("1e400").as_f64(),
            None,
            "infinite is not a number we use"
        );
        assert_eq!(scalar("1e400").as_i64(), None);
        assert_eq!(scalar(r#""NaN""#).as_f64(), None);
        assert_eq!(scalar(r#""inf""#).as_f64(), None);
        assert_eq!(scalar("12345678901234567890123").as_i64(), None);
        assert_eq!(
            scalar("12345678901234567890123").as_f64(),
            Some(1.2345678901234568e22)
        );
        assert_eq!(scalar("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(scalar(r#""abc""#).as_f64(), None);
        assert_eq!(scalar(r#""""#).as_i64(), None);
        assert_eq!(scalar("true").as_i64(), None);
        assert_eq!(scalar("null").as_f64(), None);
        assert_eq!(Scalar::Absent.as_i64(), None);
        assert_eq!(scalar("[7]").as_i64(), None);
    }

    #[test]
    fn scalar_text_views() {
        assert_eq!(Scalar::Absent.as_str(), None);
        assert_eq!(Scalar::Null.as_str(), None);
        assert_eq!(Scalar::Null.show(), "");
        assert_eq!(Scalar::Bool(true).show(), "true");
        assert_eq!(Scalar::Bool(false).as_str(), Some("false"));
        assert_eq!(Scalar::text("  x ").value(), Some("x"));
        assert_eq!(Scalar::text("  x ").show(), "  x ");
        assert!(!Scalar::text("   ").is_set());
        assert!(!Scalar::Null.is_set());
        assert!(Scalar::Number("0".into()).is_set());
        assert_eq!(Scalar::Number("20000.00".into()).to_string(), "20000.00");
        assert_eq!(Scalar::from("a"), Scalar::Text("a".into()));
        assert_eq!(Scalar::default(), Scalar::Absent);
    }

    #[test]
    fn scalar_keeps_unicode_and_escapes() {
        for s in [
            "王小明",
            "مرحبا",
            "שלום",
            "👨‍👩‍👧‍👦🇮🇩",
            "\u{202e}abc",
            "a\u{0}b",
            "tab\tnew\nline",
        ] {
            let json = serde_json::to_string(s).unwrap();
            assert_eq!(scalar(&json).show().as_bytes(), s.as_bytes());
        }
        assert_eq!(scalar(r#""\u4e2d\u6587 \ud83d\ude00""#).show(), "中文 😀");
    }

    #[test]
    fn scalar_from_a_value_deserializer_never_fails() {
        // A `Value` hands big integers over as u128/i128; they must not be refused.
        for text in [
            "12345678901234567890123",
            "-12345678901234567890123",
            "20000.00",
            "7",
            "1.5",
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            assert_eq!(Scalar::deserialize(&v).unwrap().show(), text, "{text}");
            let r: Row =
                serde_json::from_value(serde_json::json!({ "amount": v.clone() })).unwrap();
            assert_eq!(r.amount.show(), text);
            let k: KvMap = Deserialize::deserialize(&v).unwrap();
            assert_eq!(k.raw.as_deref(), Some(text));
            let l: List<Row> = Deserialize::deserialize(&v).unwrap();
            assert_eq!((l.shape, l.skipped), (Shape::Drifted(Kind::Number), 1));
            let r: Row = Deserialize::deserialize(&v).unwrap();
            assert_eq!(r.shape, Shape::Drifted(Kind::Number));
        }
    }

    #[test]
    fn an_object_really_keyed_by_the_private_number_token_is_not_fatal() {
        // serde_json's own `Value` refuses this; our types read it as an object.
        let odd = r#"{"$serde_json::private::Number": {"x": 1}, "y": 2}"#;
        assert_eq!(
            scalar(odd),
            Scalar::Other(r#"{"$serde_json::private::Number":{"x":1},"y":2}"#.into())
        );
        let k = kv(odd);
        assert_eq!(k.shape, Shape::Sent);
        assert_eq!(k.get(NUMBER_TOKEN), Some(&serde_json::json!({"x": 1})));
        assert_eq!(k.get("y"), Some(&num("2")));
        let r = row(&format!(r#"{{"odd": {odd}, "name": "n"}}"#));
        assert_eq!(r.name.show(), "n");
        assert_eq!(r.unknown[0].1[NUMBER_TOKEN], serde_json::json!({"x": 1}));
        let r = row(r#"{"$serde_json::private::Number": [1], "name": "n"}"#);
        assert_eq!(r.name.show(), "n");
        assert_eq!(r.shape, Shape::Sent);
        assert_eq!(&*r.unknown[0].0, NUMBER_TOKEN);
        assert_eq!(list(odd).shape, Shape::Drifted(Kind::Object));
        // A lone token key with a number-like string is indistinguishable from a number.
        assert_eq!(
            scalar(r#"{"$serde_json::private::Number": "5"}"#),
            Scalar::Number("5".into())
        );
        assert_eq!(
            scalar(r#"{"$serde_json::private::Number": "five"}"#),
            Scalar::Other(r#"{"$serde_json::private::Number":"five"}"#.into())
        );
    }

    // ---------- tolerant structs ----------

    #[test]
    fn struct_from_an_object_keeps_unknown_keys_with_values_in_order() {
        let r = row(
            r#"{"z": 1.50, "name": "a", "nested": {"k": [1, {"x": null}]}, "amount": 20000.00, "e": ""}"#,
        );
        assert_eq!(r.shape, Shape::Sent);
        assert_eq!(r.name, Scalar::text("a"));
        assert_eq!(r.amount, Scalar::Number("20000.00".into()));
        let keys: Vec<&str> = r.unknown.iter().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["z", "nested", "e"]);
        assert_eq!(r.unknown[0].1.to_string(), "1.50");
        assert_eq!(r.unknown[1].1, serde_json::json!({"k": [1, {"x": null}]}));
        assert_eq!(r.unknown[2].1, Value::String(String::new()));
        assert_eq!(Row::KEYS, ["name", "amount", "tags", "rows"]);
    }

    #[test]
    fn struct_duplicate_keys_last_wins() {
        let r =
            row(r#"{"name": "first", "x": 1, "y": 0, "name": "last", "x": 2, "Name": "alias"}"#);
        assert_eq!(r.name, Scalar::text("alias"));
        assert_eq!(
            r.unknown,
            vec![("x".into(), num("2")), ("y".into(), num("0"))]
        );
    }

    #[test]
    fn struct_takes_empty_things_as_empty() {
        let cases = [
            ("null", Shape::Null),
            (r#""""#, Shape::Blank),
            (r#""   ""#, Shape::Blank),
            ("[]", Shape::Blank),
            ("{}", Shape::Sent),
        ];
        for (json, shape) in cases {
            let r = row(json);
            assert_eq!(r.shape, shape, "{json}");
            assert_eq!(
                Row {
                    shape: Shape::Absent,
                    ..r
                },
                Row::default(),
                "{json} leaves the struct empty"
            );
        }
        assert_eq!(Row::default().shape, Shape::Absent);
        assert!(!Shape::Absent.is_present());
        assert!(!Shape::Null.is_present());
        assert!(!Shape::Blank.is_present());
        assert!(Shape::Sent.is_present());
        assert!(Shape::Encoded.is_present());
        assert!(Shape::Drifted(Kind::List).is_present());
    }

    #[test]
    fn struct_decodes_json_in_a_string() {
        let r = row(
            r#""{\"name\": \"x\", \"amount\": 1.10, \"rows\": \"[{\\\"name\\\": \\\"in\\\"}]\"}""#,
        );
        assert_eq!(r.shape, Shape::Encoded);
        assert_eq!(r.name.show(), "x");
        assert_eq!(r.amount, Scalar::Number("1.10".into()));
        assert_eq!(r.rows.shape, Shape::Encoded);
        assert_eq!(names(&r.rows), ["in"]);
        let r = row(r#""  {}""#);
        assert_eq!(r.shape, Shape::Encoded);
    }

    #[test]
    fn struct_keeps_what_it_could_not_read() {
        let cases: [(&str, Kind, Value); 6] = [
            (
                r#""WILL SMITH""#,
                Kind::String,
                Value::String("WILL SMITH".into()),
            ),
            (
                r#""{broken""#,
                Kind::String,
                Value::String("{broken".into()),
            ),
            ("20000.00", Kind::Number, num("20000.00")),
            ("-3", Kind::Number, num("-3")),
            ("true", Kind::Bool, Value::Bool(true)),
            ("[1, \"a\"]", Kind::List, serde_json::json!([1, "a"])),
        ];
        for (json, kind, kept) in cases {
            let r = row(json);
            assert_eq!(r.shape, Shape::Drifted(kind), "{json}");
            assert_eq!(r.unknown, vec![(AS_SENT_KEY.into(), kept)], "{json}");
            assert_eq!(r.name, Scalar::Absent);
        }
        // The kept number's text is exact.
        assert_eq!(row("20000.00").unknown[0].1.to_string(), "20000.00");
        // Several objects: kept as the list.
        let r = row(r#"[{"name": "a"}, {"name": "b"}]"#);
        assert_eq!(r.shape, Shape::Drifted(Kind::List));
        assert_eq!(
            r.unknown[0].1,
            serde_json::json!([{"name": "a"}, {"name": "b"}])
        );
    }

    #[test]
    fn struct_reads_a_one_object_list_as_the_object() {
        let r = row(r#"[{"name": "a", "amount": 20000.00, "extra": -0}]"#);
        assert_eq!(r.shape, Shape::Drifted(Kind::List));
        assert_eq!(r.name.show(), "a");
        assert_eq!(r.amount.show(), "20000.00");
        assert_eq!(r.unknown, vec![("extra".into(), num("-0"))]);
        assert_eq!(r.unknown[0].1.to_string(), "-0");
    }

    // ---------- List ----------

    #[test]
    fn list_takes_every_json_kind() {
        let l = list(r#"[{"name": "a"}, {"name": "b"}]"#);
        assert_eq!(
            (l.shape, l.skipped, names(&l)),
            (Shape::Sent, 0, vec!["a", "b"])
        );
        let l = list("[]");
        assert_eq!((l.shape, l.len(), l.is_empty()), (Shape::Sent, 0, true));
        assert_eq!(list("null").shape, Shape::Null);
        assert_eq!(list(r#""""#).shape, Shape::Blank);
        assert_eq!(list(r#"" ""#).shape, Shape::Blank);
        assert_eq!(list("{}").shape, Shape::Blank);
        assert!(list("{}").is_empty());
        assert_eq!(row("{}").rows, List::default());
        assert_eq!(row("{}").rows.shape, Shape::Absent);
        for (json, kind) in [
            ("5", Kind::Number),
            ("20000.00", Kind::Number),
            ("true", Kind::Bool),
            (r#""oops""#, Kind::String),
            (r#""[broken""#, Kind::String),
        ] {
            let l = list(json);
            assert_eq!(
                (l.shape, l.len(), l.skipped),
                (Shape::Drifted(kind), 0, 1),
                "{json}"
            );
        }
    }

    #[test]
    fn list_takes_a_lone_object_as_one_item() {
        let l = list(r#"{"name": "solo", "amount": 1}"#);
        assert_eq!(l.shape, Shape::Drifted(Kind::Object));
        assert_eq!(names(&l), ["solo"]);
        assert_eq!(l.items[0].shape, Shape::Sent);
        assert_eq!(l.items[0].amount, Scalar::Number("1".into()));
    }

    #[test]
    fn list_decodes_json_in_a_string() {
        let l = list(r#""[{\"name\": \"a\", \"amount\": 20000.00}, 7]""#);
        assert_eq!(l.shape, Shape::Encoded);
        assert_eq!(names(&l), ["a"]);
        assert_eq!(l.items[0].amount.show(), "20000.00");
        assert_eq!(l.skipped, 1);
        let l = list(r#""{\"name\": \"a\"}""#);
        assert_eq!((l.shape, names(&l)), (Shape::Encoded, vec!["a"]));
        let l = list(r#""[]""#);
        assert_eq!((l.shape, l.len()), (Shape::Encoded, 0));
    }

    #[test]
    fn list_skips_and_counts_items_that_are_not_objects() {
        let l = list(
            r#"[1, null, "x", {"name": "a"}, [], true, "", [{"name": "nested"}], "{\"name\": \"b\"}", 2.50, {}]"#,
        );
        assert_eq!(names(&l), ["a", "b", ""]);
        assert_eq!(l.items[1].shape, Shape::Encoded);
        assert_eq!(l.items[2].shape, Shape::Sent);
        assert_eq!(l.skipped, 8);
        assert_eq!(l.shape, Shape::Sent);
    }

    #[test]
    fn list_helpers() {
        let l = List::from_items(vec![Row::default(), Row::default()]);
        assert_eq!(
            (l.shape, l.len(), l.skipped, l.iter().count()),
            (Shape::Sent, 2, 0, 2)
        );
        assert!(!l.is_empty());
        let d: List<Row> = List::default();
        assert_eq!((d.shape, d.len()), (Shape::Absent, 0));
    }

    // ---------- KvMap ----------

    #[test]
    fn kvmap_takes_every_json_kind() {
        let m = kv(r#"{"b": "2", "a": 20000.00, "c": {"d": [null]}, "e": -0}"#);
        assert_eq!(m.shape, Shape::Sent);
        let keys: Vec<&str> = m.entries.iter().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["b", "a", "c", "e"]);
        assert_eq!(m.get("b"), Some(&Value::String("2".into())));
        assert_eq!(m.get("a").map(value_text).as_deref(), Some("20000.00"));
        assert_eq!(m.get("e").map(value_text).as_deref(), Some("-0"));
        assert_eq!(m.get("c"), Some(&serde_json::json!({"d": [null]})));
        assert_eq!(m.get("zz"), None);
        assert_eq!((m.len(), m.is_empty(), m.raw), (4, false, None));

        let m = kv("{}");
        assert_eq!((m.shape, m.is_empty()), (Shape::Sent, true));
        let m = kv("[]");
        assert_eq!((m.shape, m.is_empty()), (Shape::Blank, true));
        assert_eq!(kv("null"), kv_of(Shape::Null));
        assert_eq!(kv(r#""""#), kv_of(Shape::Blank));
        assert_eq!(kv(r#""  ""#), kv_of(Shape::Blank));
        assert_eq!(row("{}").tags, KvMap::default());

        let m = kv(r#"["A0", {"x": 1}, 3.0]"#);
        assert_eq!(m.shape, Shape::Drifted(Kind::List));
        assert_eq!(
            m.entries,
            vec![
                ("[0]".into(), Value::String("A0".into())),
                ("[1]".into(), serde_json::json!({"x": 1})),
                ("[2]".into(), num("3.0")),
            ]
        );

        for (json, kind, raw) in [
            (r#""a=1;b=2""#, Kind::String, "a=1;b=2"),
            (r#""{broken""#, Kind::String, "{broken"),
            ("5.50", Kind::Number, "5.50"),
            (
                "12345678901234567890123",
                Kind::Number,
                "12345678901234567890123",
            ),
            ("-0", Kind::Number, "-0"),
            ("false", Kind::Bool, "false"),
        ] {
            let m = kv(json);
            assert_eq!(
                (m.shape, m.raw.as_deref()),
                (Shape::Drifted(kind), Some(raw)),
                "{json}"
            );
            assert!(m.entries.is_empty());
            assert!(!m.is_empty(), "a raw value is something");
        }
    }

    #[test]
    fn kvmap_decodes_json_in_a_string() {
        let m = kv(r#""{\"item_name\": \"da\", \"n\": 2.0}""#);
        assert_eq!(m.shape, Shape::Encoded);
        assert_eq!(m.get("item_name"), Some(&Value::String("da".into())));
        assert_eq!(m.get("n").map(value_text).as_deref(), Some("2.0"));
        let m = kv(r#""[\"A0\"]""#);
        assert_eq!(m.shape, Shape::Encoded);
        assert_eq!(m.entries, vec![("[0]".into(), Value::String("A0".into()))]);
    }

    #[test]
    fn kvmap_duplicate_keys_last_wins_at_first_place() {
        let m = kv(r#"{"a": 1, "b": 2, "a": 3}"#);
        assert_eq!(
            m.entries,
            vec![("a".into(), num("3")), ("b".into(), num("2"))]
        );
        assert_eq!(m.get("a"), Some(&num("3")));
    }

    // ---------- helpers ----------

    #[test]
    fn value_text_is_one_line() {
        assert_eq!(value_text(&Value::String("a b".into())), "a b");
        assert_eq!(value_text(&Value::Null), "");
        assert_eq!(value_text(&num("20000.00")), "20000.00");
        assert_eq!(value_text(&Value::Bool(true)), "true");
        assert_eq!(
            value_text(&serde_json::json!({"a": [1, "x"]})),
            r#"{"a":[1,"x"]}"#
        );
    }

    #[test]
    fn dedupe_keeps_first_place_last_value() {
        let mut v: Unknown = vec![
            ("a".into(), num("1")),
            ("b".into(), num("2")),
            ("a".into(), num("3")),
            ("c".into(), num("4")),
            ("b".into(), num("5")),
        ];
        dedupe_last_wins(&mut v);
        assert_eq!(
            v,
            vec![
                ("a".into(), num("3")),
                ("b".into(), num("5")),
                ("c".into(), num("4"))
            ]
        );
        let mut e: Unknown = Vec::new();
        dedupe_last_wins(&mut e);
        assert!(e.is_empty());
    }

    #[test]
    fn kind_names() {
        assert_eq!(Kind::String.name(), "a string");
        assert_eq!(Kind::Number.name(), "a number");
        assert_eq!(Kind::Bool.name(), "a boolean");
        assert_eq!(Kind::Null.name(), "null");
        assert_eq!(Kind::List.name(), "a list");
        assert_eq!(Kind::Object.name(), "an object");
    }

    #[test]
    fn only_malformed_json_fails() {
        for bad in [
            "",
            "{",
            r#"{"name": }"#,
            "[1,",
            r#""unterminated"#,
            "nul",
            "01",
        ] {
            assert!(serde_json::from_str::<Scalar>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<Row>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<List<Row>>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<KvMap>(bad).is_err(), "{bad}");
        }
    }
}
