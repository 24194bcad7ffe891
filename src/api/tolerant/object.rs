//! Tolerant structs: the [`tolerant_struct!`] macro that defines one, and the visitor that
//! reads any JSON value into it, recording in its `shape` how the object arrived.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::any::{
    AfterToken, AnyVisitor, KeyStr, NUMBER_TOKEN, Unknown, after_token, dedupe_last_wins,
    number_value,
};
use super::{Kind, Repeated, Shape};

/// The `unknown` key under which a tolerant struct keeps a value that arrived in its place
/// but could not be read as the object (`"callee": "WILL SMITH"`, `"call": 5`, a list of
/// several items), so views show it instead of dropping it.
pub const AS_SENT_KEY: &str = "(as sent)";

/// Structs built by `tolerant_struct!` implement this so the visitors here can feed them
/// keys one by one and record how they arrived.
pub(crate) trait AcceptKeys: Default {
    /// Reads the value of `key` from `map` into `self`; `seen` has a bit for each documented
    /// key read so far, to notice one that comes again.
    fn accept<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        seen: &mut u64,
    ) -> Result<(), A::Error>;
    fn set_shape(&mut self, shape: Shape);
    fn current_shape(&self) -> Shape;
    /// The struct's `unknown` entries.
    fn unknown_mut(&mut self) -> &mut Unknown;
    /// The struct's `unknown` entries and its keys that came more than once.
    fn unknown_and_repeated(&mut self) -> (&mut Unknown, &mut Repeated);
}

/// Deserializes a tolerant struct: an object fills it, `""`/`null`/`[]` leave it empty, a
/// JSON object inside a string is decoded, a list holding one object is read as that object;
/// anything else leaves it empty, marks the drift and keeps the value under [`AS_SENT_KEY`].
pub(crate) fn deserialize_struct<'de, D, T>(d: D) -> Result<T, D::Error>
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
pub(super) fn fill_struct<'de, T: AcceptKeys, A: MapAccess<'de>>(
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
    let mut seen = 0u64;
    while let Some(key) = next {
        out.accept(&key.0, &mut map, &mut seen)?;
        next = map.next_key()?;
    }
    let (unknown, repeated) = out.unknown_and_repeated();
    dedupe_last_wins(unknown, repeated);
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

/// Defines a tolerant struct: each field is read from its key (or an alias); keys the
/// reference does not list go to `unknown`; the struct never fails on any JSON value.
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
            /// Keys that came more than once, documented or not, one entry per extra arrival
            /// (the last value is the one kept).
            pub repeated: $crate::api::tolerant::Repeated,
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
                seen: &mut u64,
            ) -> Result<(), A::Error> {
                match key {
                    $( $key $(| $alias)* => {
                        const BIT: u64 = 1 << $crate::api::tolerant::key_index($name::KEYS, $key);
                        if *seen & BIT != 0 {
                            self.repeated.push($key.into());
                        }
                        *seen |= BIT;
                        self.$field = map.next_value()?;
                    } )*
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
            fn unknown_and_repeated(
                &mut self,
            ) -> (&mut $crate::api::tolerant::Unknown, &mut $crate::api::tolerant::Repeated) {
                (&mut self.unknown, &mut self.repeated)
            }
        }

        impl $crate::api::tolerant::Repeats for $name {
            fn repeated_into(
                &self,
                path: &mut String,
                out: &mut Vec<$crate::api::tolerant::RepeatedKey>,
            ) {
                $crate::api::tolerant::record(path, &self.repeated, out);
                $(
                    let back = $crate::api::tolerant::enter(path, $key);
                    $crate::api::tolerant::Repeats::repeated_into(&self.$field, path, out);
                    path.truncate(back);
                )*
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::api::tolerant::deserialize_struct(d)
            }
        }
    };
}
pub(crate) use tolerant_struct;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tolerant::fixtures::*;

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
        // Each extra arrival is kept, documented keys (an alias counts as its key) first.
        assert!(r.repeated.iter().eq(["name", "name", "x"]));
        assert!(
            row(r#"{"name": "a", "Name": null}"#)
                .repeated
                .iter()
                .eq(["name"])
        );
        assert!(row(r#"{"name": "a", "x": 1}"#).repeated.is_empty());
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
}
