//! `verify PUSH.json`: ask the API for the record of a received push (with the push's own
//! ids) and compare the two field by field. Exit 0 equal, 1 different, error codes otherwise.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use serde_json::Value;

use super::conn::{print_warnings, resolve};
use super::open::{answer_from_bytes, read_push};
use super::{ConnArgs, VerifyOutput};
use crate::api::tolerant::Repeats;
use crate::api::{ApiError, Query, parse_document};
use crate::case::diff::{diff, line, push_object, repeated_line, summary};

pub async fn run(
    args: &ConnArgs,
    file: &Path,
    output: VerifyOutput,
    signed: Option<&str>,
) -> Result<ExitCode, ApiError> {
    let (body, label, encrypted) = read_push(args, file, signed)?;
    let received = answer_from_bytes(body.clone(), label.clone(), encrypted)?;
    let query = Query::from_push(received.data()).map_err(|e| e.in_file(&label))?;
    let pushed: Value = serde_json::from_slice(&body).map_err(not_json)?;
    let pushed = push_object(pushed);

    let loaded = crate::config::load(args.config.as_deref());
    let conn = resolve(args, &loaded)?;
    print_warnings(&conn.warnings);
    let session = conn.session()?;
    let answer = session.verify(&query).await?;
    let record: Value = serde_json::from_slice(&answer.exchange.body).map_err(not_json)?;
    let record = push_object(record);
    // The record parsed as a push too (checked by `verify`); the ids match by construction.
    debug_assert!(parse_document(&answer.exchange.body).is_ok());

    let changes = diff(&pushed, &record);
    // Keys sent more than once: the comparison sees the last value of each, and says so.
    let repeated_push = received.data().repeated_keys();
    let repeated_record = answer.data().repeated_keys();
    let mut out = std::io::stdout().lock();
    match output {
        VerifyOutput::Text => {
            let repeated = [
                ("the push", &repeated_push),
                ("the record", &repeated_record),
            ];
            for (side, keys) in repeated {
                for k in keys {
                    let _ = writeln!(out, "{}", repeated_line(side, k));
                }
            }
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
                "repeated_keys": { "push": repeated_push, "record": repeated_record },
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

fn not_json(e: serde_json::Error) -> ApiError {
    ApiError::NotJson {
        detail: e.to_string(),
        body_start: String::new(),
        cause: None,
    }
    .caused_by(e)
}
