//! [`KvMap`]: a documented object whose keys are free, read from any JSON value.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::any::{AfterToken, AnyValue, KeyStr, NUMBER_TOKEN, after_token, dedupe_last_wins};
use super::{Kind, Repeated, Shape};

/// A documented object whose keys are free (`ner_slots`, `custom_attribute`, ...).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KvMap {
    pub entries: Vec<(Box<str>, Value)>,
    pub shape: Shape,
    /// A scalar where the object belongs (a non-JSON string, a number, a bool), kept as sent.
    pub raw: Option<Box<str>>,
    /// Keys that came more than once, one entry per extra arrival (the last value is kept).
    pub repeated: Repeated,
}

impl KvMap {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.raw.is_none()
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
        dedupe_last_wins(&mut out.entries, &mut out.repeated);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tolerant::fixtures::*;

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
        assert_eq!((m.entries.len(), m.is_empty(), m.raw), (4, false, None));

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
}
