//! [`List`]: a documented list of objects that takes any JSON value, keeping the items that
//! are objects and counting the rest.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::any::KeyStr;
use super::object::{AcceptKeys, deserialize_struct, fill_struct};
use super::{Kind, Shape, skip};

/// A documented list. Items that are not objects are skipped and counted.
#[derive(Debug, Clone, PartialEq)]
pub struct List<T> {
    pub items: Vec<T>,
    pub shape: Shape,
    /// Items that were not objects (`null`, numbers, ...) and were left out; also 1 when a
    /// lone non-object value (a number, a non-JSON string) arrived where the list belongs.
    pub skipped: usize,
    /// Set when the list was left unread (`skip_lists`): where its text lies in the input.
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
    #[cfg(test)]
    pub(crate) fn from_items(items: Vec<T>) -> Self {
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
    pub(super) fn add(&mut self, item: Item<T>) {
        match item.0 {
            Some(t) => self.items.push(t),
            None => self.skipped += 1,
        }
    }
}

impl<'de, T: AcceptKeys + DeserializeOwned + 'static> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if skip::skipping::<T>() {
            return skip::left_out(d);
        }
        d.deserialize_any(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

pub(super) fn list_of<T>(shape: Shape) -> List<T> {
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
pub(super) struct Item<T>(Option<T>);

impl<'de, T: AcceptKeys + DeserializeOwned + 'static> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let t: T = deserialize_struct(d)?;
        Ok(Item(t_if_object(t)))
    }
}

fn t_if_object<T: AcceptKeys>(t: T) -> Option<T> {
    matches!(t.current_shape(), Shape::Sent | Shape::Encoded).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tolerant::fixtures::*;

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
}
