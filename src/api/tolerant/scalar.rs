//! [`Scalar`]: whatever JSON value arrives in a slot the reference documents as a scalar,
//! its text kept as sent (numbers too: `20000.00` stays `20000.00`).

use std::fmt;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::Kind;
use super::any::{AnyVisitor, MapRead, read_map};

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
    pub(crate) fn as_str(&self) -> Option<&str> {
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
    pub(crate) fn value(&self) -> Option<&str> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tolerant::fixtures::*;

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
}
