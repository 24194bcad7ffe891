//! `verify PUSH.json`: ask the API for the record of a received push (with the push's own
//! ids) and compare the two field by field. Exit 0 equal, 1 different, error codes otherwise.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use serde_json::Value;

use super::conn::{print_warnings, resolve};
use super::open::{answer_from_bytes, read_push};
use super::{ConnArgs, VerifyOutput};
use crate::api::{ApiError, Query, parse_document};
use crate::case::diff::{diff, line, summary};

/// The push object: `data` of an envelope, or the body itself.
fn push_object(v: Value) -> Value {
    match v {
        Value::Object(mut m) if m.contains_key("data") && !m.contains_key("call") => {
            m.remove("data").unwrap_or(Value::Null)
        }
        other => other,
    }
}

/// The ids the push carries, as the verify call wants them.
pub fn query_of(data: &crate::api::Data) -> Result<Query, ApiError> {
    let callee = data
        .callee
        .callee_number
        .value()
        .or(data.call.callee_number.value())
        .unwrap_or("")
        .to_string();
    let q = Query {
        workflow_id: data.workflow_id.value().unwrap_or("").to_string(),
        node_id: data.node_id.value().unwrap_or("").to_string(),
        callee,
        case_id: data.callee.case_id.value().map(str::to_string),
    };
    let missing: Vec<&str> = [
        ("workflow_id", &q.workflow_id),
        ("node_id", &q.node_id),
        ("callee.callee_number", &q.callee),
    ]
    .iter()
    .filter(|(_, v)| v.is_empty())
    .map(|(n, _)| *n)
    .collect();
    if !missing.is_empty() {
        return Err(ApiError::WrongShape {
            what: format!("the push has no {}", missing.join(", ")),
        });
    }
    Ok(q)
}

pub async fn run(
    args: &ConnArgs,
    file: &Path,
    output: VerifyOutput,
    signed: Option<&str>,
) -> Result<ExitCode, ApiError> {
    let (body, label, encrypted) = read_push(args, file, signed)?;
    let received = answer_from_bytes(body.clone(), label, encrypted)?;
    let query = query_of(received.data())?;
    let pushed: Value = serde_json::from_slice(&body).map_err(|e| ApiError::NotJson {
        detail: e.to_string(),
        body_start: String::new(),
    })?;
    let pushed = push_object(pushed);

    let loaded = crate::config::load(args.config.as_deref());
    let conn = resolve(args, &loaded)?;
    print_warnings(&conn.warnings);
    let session = conn.session()?;
    let answer = session.verify(&query).await?;
    let record: Value =
        serde_json::from_slice(&answer.exchange.body).map_err(|e| ApiError::NotJson {
            detail: e.to_string(),
            body_start: String::new(),
        })?;
    let record = push_object(record);
    // The record parsed as a push too (checked by `verify`); the ids match by construction.
    debug_assert!(parse_document(&answer.exchange.body).is_ok());

    let changes = diff(&pushed, &record);
    let mut out = std::io::stdout().lock();
    match output {
        VerifyOutput::Text => {
            for c in &changes {
                let _ = writeln!(out, "{}", line(c));
            }
            let _ = writeln!(out, "{}", summary(&changes));
        }
        VerifyOutput::Json => {
            let doc = serde_json::json!({
                "equal": changes.is_empty(),
                "query": query,
                "summary": summary(&changes),
                "differences": changes,
            });
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            );
        }
    }
    let _ = out.flush();
    Ok(if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
