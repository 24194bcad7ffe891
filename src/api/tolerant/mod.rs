//! Building blocks of the tolerant model: a scalar that takes any JSON value and keeps its
//! text as sent, lists and maps that take `""`, `null` or absence as empty, and the record
//! of how a field actually arrived (`Shape`), so views can say "not in this push".
//!
//! Every `Deserialize` impl here accepts every JSON value: only malformed JSON can fail.
//! serde_json is built with `arbitrary_precision`, so numbers reach `visit_map` as a
//! one-entry map under serde_json's private token; we read that to keep `20000.00` as sent.
//! Values in free-form places (`unknown`, [`KvMap`]) are read with `AnyValue`, which keeps
//! number text the same way and, unlike `serde_json::Value`, never fails on an object that
//! really has serde_json's private key.
//!
//! One part per file: [`Kind`] and [`Shape`] (`shape`), [`Scalar`] (`scalar`), free-form
//! values, keys and serde_json's number token (`any`), the tolerant struct and its macro
//! (`object`), [`List`] (`list`), lists left unread for later (`skip`), [`KvMap`] (`map`),
//! keys that came more than once (`repeated`).

mod any;
mod list;
mod map;
mod object;
mod repeated;
mod scalar;
mod shape;
mod skip;

pub(crate) use any::{AfterToken, KeyStr, NUMBER_TOKEN, after_token};
pub(crate) use any::{AnyValue, dedupe_last_wins};
pub use any::{Unknown, value_text};
pub use list::List;
pub use map::KvMap;
pub use object::AS_SENT_KEY;
pub(crate) use object::{AcceptKeys, deserialize_struct, tolerant_struct};
pub use repeated::{Repeated, RepeatedKey, Repeats};
pub(crate) use repeated::{enter, key_index, record};
pub use scalar::Scalar;
pub use shape::{Kind, Shape};
pub(crate) use skip::{read_list, skip_lists};

/// A small tolerant struct and readers shared by the unit tests of this module's parts.
#[cfg(test)]
mod fixtures {
    pub(super) use super::*;
    pub(super) use serde_json::Value;

    tolerant_struct! {
        /// A small tolerant struct for these tests.
        pub struct Row {
            pub name: Scalar = "name" | "Name",
            pub amount: Scalar = "amount",
            pub tags: KvMap = "tags",
            pub rows: List<Row> = "rows",
        }
    }

    pub(super) fn scalar(json: &str) -> Scalar {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    pub(super) fn row(json: &str) -> Row {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    pub(super) fn list(json: &str) -> List<Row> {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    pub(super) fn kv(json: &str) -> KvMap {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }
    pub(super) fn num(text: &str) -> Value {
        Value::Number(text.parse().unwrap())
    }
    pub(super) fn names(l: &List<Row>) -> Vec<&str> {
        l.iter().map(|r| r.name.show()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;

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
