//! `open A B --output json|md`: the differences between two files, each side named by its file
//! (neither is "the push" nor "the record" here), and a warning when they are not the same case.

use std::process::ExitCode;

use serde_json::{Value, json};

use super::Output;
use crate::api::{Answer, ApiError, Query};
use crate::case::diff::{Change, Kind, diff_bodies, type_name};

/// The ids of each side, when they differ: the files are two different cases.
pub fn other_case(a: &Answer, b: &Answer) -> Option<String> {
    let (qa, qb) = (ids(a), ids(b));
    let differ: Vec<String> = [
        ("workflow_id", &qa.workflow_id, &qb.workflow_id),
        ("node_id", &qa.node_id, &qb.node_id),
        ("callee", &qa.callee, &qb.callee),
    ]
    .into_iter()
    .chain(std::iter::once((
        "case_id",
        qa.case_id.as_ref().unwrap_or(&String::new()),
        qb.case_id.as_ref().unwrap_or(&String::new()),
    )))
    .filter(|(_, x, y)| x != y)
    .map(|(name, x, y)| {
        format!(
            "{name} {} vs {}",
            crate::text::clip(&crate::text::clean(x), 40),
            crate::text::clip(&crate::text::clean(y), 40)
        )
    })
    .collect();
    (!differ.is_empty()).then(|| differ.join(", "))
}

fn ids(a: &Answer) -> Query {
    let d = a.data();
    Query {
        workflow_id: d.workflow_id.show().to_string(),
        node_id: d.node_id.show().to_string(),
        callee: d
            .callee
            .callee_number
            .value()
            .or(d.call.callee_number.value())
            .unwrap_or("")
            .to_string(),
        case_id: d.callee.case_id.value().map(str::to_string),
    }
}

/// Prints the differences as `output` asks; exit 0 when equal, 1 when not.
pub fn print(
    (a, label_a): (&Answer, &str),
    (b, label_b): (&Answer, &str),
    output: Output,
    mask: bool,
) -> Result<ExitCode, ApiError> {
    let mut changes =
        diff_bodies(&a.exchange.body, &b.exchange.body).map_err(|detail| ApiError::NotJson {
            detail,
            body_start: String::new(),
            cause: None,
        })?;
    if mask {
        changes = crate::mask::mask_changes(&changes);
    }
    let other = other_case(a, b);
    if let Some(o) = &other {
        eprintln!(
            "warning: {} and {} are different cases ({o}); the differences include that",
            crate::text::clean(label_a),
            crate::text::clean(label_b)
        );
    }
    let text = match output {
        Output::Json => {
            let doc = json!({
                "a": label_a,
                "b": label_b,
                "same_case": other.is_none(),
                "equal": changes.is_empty(),
                "summary": summary(&changes),
                "differences": changes.iter().map(change_json).collect::<Vec<_>>(),
            });
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        }
        Output::Md => markdown(&changes, label_a, label_b, other.as_deref()),
    };
    println!("{text}");
    Ok(if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn change_json(c: &Change) -> Value {
    let kind = match c.kind {
        Kind::Changed => "changed",
        Kind::TypeOnly => "type_only",
        Kind::Added => "only_in_a",
        Kind::Missing => "only_in_b",
    };
    let mut o = json!({"path": c.path, "kind": kind});
    if let Some(v) = &c.pushed {
        o["a"] = v.clone();
    }
    if let Some(v) = &c.record {
        o["b"] = v.clone();
    }
    o
}

/// `3 differences: 1 changed, 1 type only, 1 only in B`.
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no differences".into();
    }
    let mut parts = Vec::new();
    for (k, words) in [
        (Kind::Changed, "changed"),
        (Kind::TypeOnly, "type only"),
        (Kind::Added, "only in A"),
        (Kind::Missing, "only in B"),
    ] {
        let n = changes.iter().filter(|c| c.kind == k).count();
        if n > 0 {
            parts.push(format!("{n} {words}"));
        }
    }
    let n = changes.len();
    let s = if n == 1 { "" } else { "s" };
    format!("{n} difference{s}: {}", parts.join(", "))
}

/// A value for a table cell: one line, cut, pipes escaped; "—" when absent.
fn cell(v: Option<&Value>) -> String {
    match v {
        None => "—".into(),
        Some(v) => crate::text::clip(&crate::text::one_line(&v.to_string()), 80)
            .replace('|', "\\|")
            .replace('`', "'"),
    }
}

fn markdown(changes: &[Change], label_a: &str, label_b: &str, other: Option<&str>) -> String {
    let name = |l: &str| crate::text::clean(l).replace('`', "'");
    let mut md = format!(
        "# Comparison\n\n- A: `{}`\n- B: `{}`\n",
        name(label_a),
        name(label_b)
    );
    if let Some(o) = other {
        md.push_str(&format!(
            "\n> **Different cases** ({}): the differences include that.\n",
            o.replace('|', "\\|")
        ));
    }
    md.push_str(&format!("\n{}\n", summary(changes)));
    if !changes.is_empty() {
        md.push_str("\n| field | A | B | |\n|---|---|---|---|\n");
        for c in changes {
            let note = match (c.kind, &c.pushed, &c.record) {
                (Kind::TypeOnly, Some(p), Some(r)) => {
                    format!("type only: {} vs {}", type_name(p), type_name(r))
                }
                (Kind::Added, ..) => "only in A".into(),
                (Kind::Missing, ..) => "only in B".into(),
                _ => String::new(),
            };
            md.push_str(&format!(
                "| `{}` | {} | {} | {note} |\n",
                crate::text::clean(&c.path).replace('`', "'"),
                cell(c.pushed.as_ref()),
                cell(c.record.as_ref())
            ));
        }
    }
    md
}
