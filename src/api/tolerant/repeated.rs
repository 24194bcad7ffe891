//! Keys that came more than once in one object. Such an object is read as its key's last
//! value, as serde_json and most readers do, so a view would show one of two values without
//! a word; each tolerant struct and [`KvMap`] keeps every extra arrival of a key instead
//! (nothing is allocated unless a key repeats), and [`Repeats::repeated_keys`] lists them
//! with their paths from the push's top, so views can say which value they show.
//!
//! Not seen: repeats inside free-form values (`unknown` entries, a [`KvMap`]'s values) and
//! inside a one-object list read as the object: both go through a `serde_json` map first.

use std::fmt::Write as _;

use super::{KvMap, List, Scalar};

/// The keys of one object that came more than once: one entry per extra arrival. A pointer
/// while there are none (the usual case), so every object of a long transcript stays small.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
// Boxed on purpose: one word in every object while empty, where a Vec would take three.
#[allow(clippy::box_collection)]
pub struct Repeated(Option<Box<Vec<Box<str>>>>);

impl Repeated {
    pub(crate) fn push(&mut self, key: Box<str>) {
        self.0.get_or_insert_default().push(key);
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().flat_map(|keys| keys.iter().map(|k| &**k))
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

/// A key that came more than once, where it is and how many times it came.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RepeatedKey {
    /// From the push's top: `callee.callee_name`, `call.asr_result[3].text`,
    /// `custom_attribute["odd key"]`.
    pub path: String,
    /// How many times it came (2 or more); the last value is the one kept.
    pub times: usize,
}

/// Parts of the tolerant model that can hold repeated keys.
pub trait Repeats {
    /// Adds the keys under `path` (this value's own path) that came more than once.
    fn repeated_into(&self, path: &mut String, out: &mut Vec<RepeatedKey>);

    /// Every key under this value that came more than once, in the order of the fields.
    fn repeated_keys(&self) -> Vec<RepeatedKey> {
        let mut out = Vec::new();
        self.repeated_into(&mut String::new(), &mut out);
        out
    }
}

/// Where `key` is in `keys`: a documented key's bit in the mask of keys seen so far. Used
/// in constants, so a struct of more than 64 keys does not compile.
pub(crate) const fn key_index(keys: &[&str], key: &str) -> u32 {
    let mut i = 0;
    while i < keys.len() {
        let (a, b) = (keys[i].as_bytes(), key.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                assert!(i < 64, "a tolerant struct has at most 64 documented keys");
                return i as u32;
            }
        }
        i += 1;
    }
    panic!("not a documented key")
}

/// Appends `key` to `path` as the path of a value under it; returns the length to go back to.
pub(crate) fn enter(path: &mut String, key: &str) -> usize {
    let back = path.len();
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if plain {
        if back > 0 {
            path.push('.');
        }
        path.push_str(key);
    } else {
        let _ = write!(path, "[{}]", serde_json::Value::String(key.into()));
    }
    back
}

/// Adds one object's own repeated keys (`own`, one entry per extra arrival) under `path`.
pub(crate) fn record(path: &mut String, own: &Repeated, out: &mut Vec<RepeatedKey>) {
    let from = out.len();
    for key in own.iter() {
        let back = enter(path, key);
        match out[from..].iter_mut().find(|k| k.path == *path) {
            Some(k) => k.times += 1,
            None => out.push(RepeatedKey {
                path: path.clone(),
                times: 2,
            }),
        }
        path.truncate(back);
    }
}

impl Repeats for Scalar {
    fn repeated_into(&self, _: &mut String, _: &mut Vec<RepeatedKey>) {}
}

impl Repeats for KvMap {
    fn repeated_into(&self, path: &mut String, out: &mut Vec<RepeatedKey>) {
        record(path, &self.repeated, out);
    }
}

impl<T: Repeats> Repeats for List<T> {
    fn repeated_into(&self, path: &mut String, out: &mut Vec<RepeatedKey>) {
        for (i, item) in self.items.iter().enumerate() {
            let back = path.len();
            let _ = write!(path, "[{i}]");
            item.repeated_into(path, out);
            path.truncate(back);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tolerant::fixtures::*;

    fn keys(json: &str) -> Vec<(String, usize)> {
        row(json)
            .repeated_keys()
            .into_iter()
            .map(|k| (k.path, k.times))
            .collect()
    }

    #[test]
    fn repeated_keys_have_their_paths_and_counts() {
        assert_eq!(keys(r#"{"name": "a", "amount": 1}"#), []);
        assert_eq!(
            keys(
                r#"{"name": "a", "x": 1, "name": "b", "x": 2, "Name": "c",
                    "tags": {"k": 1, "odd key": 2, "k": 3, "odd key": 4},
                    "rows": [{"amount": 1}, {"amount": 1, "amount": 2}]}"#
            ),
            [
                ("name".into(), 3),
                ("x".into(), 2),
                ("tags.k".into(), 2),
                (r#"tags["odd key"]"#.into(), 2),
                ("rows[1].amount".into(), 2),
            ]
        );
        // A repeated parent: the last one is kept, with its own repeats only.
        assert_eq!(
            keys(r#"{"rows": [{"name": "a", "name": "b"}], "rows": [{"name": "c"}]}"#),
            [("rows".into(), 2)]
        );
        // Inside JSON-in-a-string too.
        assert_eq!(
            keys(r#"{"rows": "[{\"name\": \"a\", \"name\": \"b\"}]"}"#),
            [("rows[0].name".into(), 2)]
        );
    }

    #[test]
    fn key_index_finds_documented_keys() {
        assert_eq!(key_index(&["a", "bb", "c"], "bb"), 1);
        assert_eq!(key_index(&["a", "bb", "c"], "c"), 2);
    }
}
