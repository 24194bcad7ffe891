//! Field-by-field comparison of a received push with the API's record of it: what changed,
//! what differs only in JSON type (`4` vs `"4"`), what is only on one side. Equal fields are
//! not reported. Numbers that are the same number written differently (`20000.0` and
//! `20000.00`) are equal.

use serde_json::Value;

use crate::api::tolerant::RepeatedKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Different values.
    Changed,
    /// The same text in another JSON type.
    TypeOnly,
    /// On record, not in the push.
    Missing,
    /// In the push, not on record.
    Added,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    pub path: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pushed: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<Value>,
}

/// The push object of a body: `data` of an envelope, or the body itself.
pub fn push_object(v: Value) -> Value {
    match v {
        Value::Object(mut m) if m.contains_key("data") && !m.contains_key("call") => {
            m.remove("data").unwrap_or(Value::Null)
        }
        other => other,
    }
}

/// Compares two bodies (envelopes or bare pushes) as pushes.
pub fn diff_bodies(pushed: &[u8], record: &[u8]) -> Result<Vec<Change>, String> {
    let a: Value =
        serde_json::from_slice(pushed).map_err(|e| format!("the push is not JSON: {e}"))?;
    let b: Value =
        serde_json::from_slice(record).map_err(|e| format!("the record is not JSON: {e}"))?;
    Ok(diff(&push_object(a), &push_object(b)))
}

/// Which tab a changed field belongs to.
pub fn group(path: &str) -> &'static str {
    let p = path;
    if p.starts_with("call.redial_call") {
        "Redials"
    } else if p.starts_with("call.question_answer") {
        "Q&A"
    } else if p.starts_with("call.asr_result") {
        "Transcript"
    } else if p == "call" || p.starts_with("call.") || p.starts_with("call[") {
        "Call"
    } else if p.starts_with("callee")
        || p.starts_with("custom_attribute")
        || p.starts_with("workflow")
        || p.starts_with("node")
    {
        "Profile"
    } else {
        "Other"
    }
}

/// Every difference between `pushed` and `record`, in document order.
pub fn diff(pushed: &Value, record: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", pushed, record, &mut out);
    out
}

fn child(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", Value::String(key.to_string())),
    }
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<Change>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => walk(&child(path, k), va, vb, out),
                    None => out.push(Change {
                        path: child(path, k),
                        kind: Kind::Added,
                        pushed: Some(va.clone()),
                        record: None,
                    }),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    out.push(Change {
                        path: child(path, k),
                        kind: Kind::Missing,
                        pushed: None,
                        record: Some(vb.clone()),
                    });
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let p = format!("{path}[{i}]");
                match (x.get(i), y.get(i)) {
                    (Some(va), Some(vb)) => walk(&p, va, vb, out),
                    (Some(va), None) => out.push(Change {
                        path: p,
                        kind: Kind::Added,
                        pushed: Some(va.clone()),
                        record: None,
                    }),
                    (None, Some(vb)) => out.push(Change {
                        path: p,
                        kind: Kind::Missing,
                        pushed: None,
                        record: Some(vb.clone()),
                    }),
                    (None, None) => {}
                }
            }
        }
        _ => {
            if same(a, b) {
                return;
            }
            let kind = if same_text(a, b) {
                Kind::TypeOnly
            } else {
                Kind::Changed
            };
            out.push(Change {
                path: path.to_string(),
                kind,
                pushed: Some(a.clone()),
                record: Some(b.clone()),
            });
        }
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64().or_else(|| n.to_string().parse().ok()),
        _ => None,
    }
}

fn same(a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => {
            as_number(a).is_some_and(|x| Some(x) == as_number(b))
        }
        _ => false,
    }
}

/// The text a scalar shows; `None` for containers other than empty ones.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(a) if a.is_empty() => Some(String::new()),
        Value::Object(o) if o.is_empty() => Some(String::new()),
        _ => None,
    }
}

fn same_text(a: &Value, b: &Value) -> bool {
    if std::mem::discriminant(a) == std::mem::discriminant(b) {
        return false;
    }
    match (text(a), text(b)) {
        (Some(x), Some(y)) if x == y => true,
        (Some(x), Some(y)) => match (x.parse::<f64>(), y.parse::<f64>()) {
            (Ok(p), Ok(q)) => p == q && (a.is_number() || b.is_number()),
            _ => false,
        },
        _ => false,
    }
}

pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// A value on one line, cut when long; strings quoted.
fn show(v: &Value) -> String {
    crate::text::clip(&crate::text::one_line(&v.to_string()), 80)
}

/// `call.intention: "E" pushed, "A" on record`.
pub fn line(c: &Change) -> String {
    let path = crate::text::clean(&c.path);
    match (c.kind, &c.pushed, &c.record) {
        (Kind::Changed, Some(p), Some(r)) => {
            format!("{path}: {} pushed, {} on record", show(p), show(r))
        }
        (Kind::TypeOnly, Some(p), Some(r)) => format!(
            "{path}: {} pushed, {} on record (type only: {} vs {})",
            show(p),
            show(r),
            type_name(p),
            type_name(r)
        ),
        (Kind::Missing, _, Some(r)) => format!("{path}: not in the push, {} on record", show(r)),
        (Kind::Added, Some(p), _) => format!("{path}: {} pushed, not on record", show(p)),
        _ => format!("{path}: differs"),
    }
}

/// `callee.callee_name: sent 2 times in the push; the last value is compared`, for a key
/// `side` (the push, the record) sent more than once.
pub fn repeated_line(side: &str, key: &RepeatedKey) -> String {
    format!(
        "{}: sent {} times in {side}; the last value is compared",
        crate::text::clean(&key.path),
        key.times
    )
}

/// `3 differences: 1 changed, 1 type only, 1 missing from the push`.
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no differences: the push matches the record".into();
    }
    let count = |k: Kind| changes.iter().filter(|c| c.kind == k).count();
    let mut parts = Vec::new();
    for (k, words) in [
        (Kind::Changed, "changed"),
        (Kind::TypeOnly, "type only"),
        (Kind::Missing, "missing from the push"),
        (Kind::Added, "only in the push"),
    ] {
        let n = count(k);
        if n > 0 {
            parts.push(format!("{n} {words}"));
        }
    }
    let n = changes.len();
    format!(
        "{n} difference{}: {}",
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_sent_twice_says_which_value_is_compared() {
        let key = RepeatedKey {
            path: "callee.callee_name\u{1b}[2J".into(),
            times: 2,
        };
        assert_eq!(
            repeated_line("the push", &key),
            "callee.callee_name␛: sent 2 times in the push; the last value is compared"
        );
    }
    use serde_json::json;

    #[test]
    fn equal_documents_have_no_differences() {
        let a = json!({"call": {"intention": "A", "redial_call": [{"ring_time": 0}]}});
        assert!(diff(&a, &a.clone()).is_empty());
        assert_eq!(summary(&[]), "no differences: the push matches the record");
    }

    #[test]
    fn changed_type_only_missing_added() {
        let pushed: Value = serde_json::from_str(
            r#"{"call": {"intention": "B", "call_times": "2", "amount": 20000.0, "extra": 1,
                "redial_call": [{"ring_time": 0}, {"ring_time": 7}]}, "custom_attribute": {"a.b": null}}"#,
        )
        .unwrap();
        let record: Value = serde_json::from_str(
            r#"{"call": {"intention": "A", "call_times": 2, "amount": 20000.00, "hangup_type": "ByRobot",
                "redial_call": [{"ring_time": 0}]}, "custom_attribute": {"a.b": ""}}"#,
        )
        .unwrap();
        let d = diff(&pushed, &record);
        let lines: Vec<String> = d.iter().map(line).collect();
        assert_eq!(
            lines,
            [
                r#"call.intention: "B" pushed, "A" on record"#,
                r#"call.call_times: "2" pushed, 2 on record (type only: string vs number)"#,
                "call.extra: 1 pushed, not on record",
                r#"call.redial_call[1]: {"ring_time":7} pushed, not on record"#,
                r#"call.hangup_type: not in the push, "ByRobot" on record"#,
                r#"custom_attribute["a.b"]: null pushed, "" on record (type only: null vs string)"#,
            ]
        );
        assert_eq!(
            summary(&d),
            "6 differences: 1 changed, 2 type only, 1 missing from the push, 2 only in the push"
        );
    }

    #[test]
    fn fields_are_grouped_by_their_tab() {
        assert_eq!(group("callee.extra_a"), "Profile");
        assert_eq!(group("call.intention"), "Call");
        assert_eq!(group("call.redial_call[0].ring_time"), "Redials");
        assert_eq!(group("custom_attribute.a"), "Profile");
        assert_eq!(group("trace_id"), "Other");
    }

    #[test]
    fn numbers_and_strings_that_read_the_same() {
        assert!(same_text(&json!(4), &json!("4")));
        assert!(same_text(&json!("4.0"), &json!(4)));
        assert!(same_text(&json!(true), &json!("true")));
        assert!(!same_text(&json!("4"), &json!("4")));
        assert!(!same_text(&json!(4), &json!("5")));
        assert!(!same_text(&json!("01"), &json!("1")));
    }
}
