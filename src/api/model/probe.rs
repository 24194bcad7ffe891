//! The cheap first pass of [`super::parse_document`] when the first key does not decide:
//! the top-level keys only, values skipped.

use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::push::Data;
use crate::api::tolerant::{AfterToken, KeyStr, Kind, NUMBER_TOKEN, after_token};

/// What the top level looks like, values unread.
pub(super) enum Probe {
    NotObject(Kind),
    Object {
        has_data: bool,
        has_code_or_status: bool,
        /// How many documented push keys the object had.
        push_keys: usize,
    },
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = Probe;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON document")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        let mut has_data = false;
        let mut has_code_or_status = false;
        let mut push_keys = 0;
        let mut next = map.next_key::<KeyStr>()?;
        if next.as_ref().is_some_and(|k| k.as_str() == NUMBER_TOKEN) {
            match after_token(&mut map)? {
                AfterToken::Number(_) => return Ok(Probe::NotObject(Kind::Number)),
                AfterToken::Entry(_, after) => next = after,
            }
        }
        while let Some(key) = next {
            match key.as_str() {
                "data" => has_data = true,
                "code" | "status" => has_code_or_status = true,
                k if Data::KEYS.contains(&k) => push_keys += 1,
                _ => {}
            }
            map.next_value::<IgnoredAny>()?;
            next = map.next_key()?;
        }
        Ok(Probe::Object {
            has_data,
            has_code_or_status,
            push_keys,
        })
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Probe, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Probe::NotObject(Kind::List))
    }
    fn visit_str<E>(self, _: &str) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::String))
    }
    fn visit_unit<E>(self) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Null))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Bool))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
    fn visit_i128<E>(self, _: i128) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
    fn visit_u128<E>(self, _: u128) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Probe, E> {
        Ok(Probe::NotObject(Kind::Number))
    }
}
