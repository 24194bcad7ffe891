//! Free-form values and object keys: [`AnyValue`] (a `serde_json::Value` that keeps number
//! text and never fails), serde_json's number token and how to tell it from a real key,
//! [`KeyStr`], the `unknown` entries a struct keeps and how duplicate keys resolve.

use std::collections::HashMap;
use std::fmt;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Number, Value};

use super::Repeated;

/// The key serde_json (with `arbitrary_precision`) uses to hand a number to a visitor.
pub(crate) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A JSON value read like `serde_json::Value` (numbers keep their text), but total: an object
/// that really has serde_json's private number key is kept as an object, and 128-bit
/// integers from a `Value` deserializer are accepted. Used for every free-form value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AnyValue(pub Value);

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyVisitor).map(AnyValue)
    }
}

pub(super) struct AnyVisitor;

/// A number's text as a `Value`, kept exactly (or as a string if it is not a JSON number).
pub(super) fn number_value(text: &str) -> Value {
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
pub(super) enum MapRead {
    Number(Box<str>),
    Object(serde_json::Map<String, Value>),
}

/// Reads a whole map into a JSON object (duplicate keys: the last value wins, at the first
/// key's place), recognising serde_json's number token.
pub(super) fn read_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<MapRead, A::Error> {
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
/// One pointer wide when empty (as nearly always): a model object per transcript record holds
/// one, and a million of them would otherwise spend 16 MB on empty vectors.
pub type Unknown = thin_vec::ThinVec<(Box<str>, Value)>;

/// Makes keys unique the way a JSON object does: the last value wins, at the first key's place.
/// Each extra arrival of a key goes to `repeated`.
pub(crate) fn dedupe_last_wins<C>(entries: &mut C, repeated: &mut Repeated)
where
    C: std::ops::Deref<Target = [(Box<str>, Value)]>
        + Default
        + IntoIterator<Item = (Box<str>, Value)>
        + FromIterator<(Box<str>, Value)>,
{
    if entries.len() < 2 {
        return;
    }
    let mut at: HashMap<Box<str>, usize> = HashMap::with_capacity(entries.len());
    let mut out: Vec<(Box<str>, Value)> = Vec::with_capacity(entries.len());
    for (k, v) in std::mem::take(entries) {
        match at.get(&k) {
            Some(&i) => {
                out[i].1 = v;
                repeated.push(k);
            }
            None => {
                at.insert(k.clone(), out.len());
                out.push((k, v));
            }
        }
    }
    *entries = out.into_iter().collect();
}

/// An object key.
pub(crate) struct KeyStr(pub(super) Box<str>);

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

/// A JSON value as one line of text: strings bare, numbers as sent, the rest compact JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tolerant::fixtures::*;

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
        let mut v: Unknown = thin_vec::thin_vec![
            ("a".into(), num("1")),
            ("b".into(), num("2")),
            ("a".into(), num("3")),
            ("c".into(), num("4")),
            ("b".into(), num("5")),
        ];
        let mut repeated = Repeated::default();
        dedupe_last_wins(&mut v, &mut repeated);
        assert!(repeated.iter().eq(["a", "b"]));
        assert_eq!(
            v,
            vec![
                ("a".into(), num("3")),
                ("b".into(), num("5")),
                ("c".into(), num("4"))
            ]
        );
        let mut e: Unknown = Unknown::new();
        dedupe_last_wins(&mut e, &mut repeated);
        assert!(e.is_empty());
    }
}
