//! `rudder-inspect query`: one case, printed as the answer's JSON or the Markdown report.

use std::io::Write;
use std::process::ExitCode;

use super::conn::{print_warnings, resolve};
use super::{ConnArgs, IdArgs, Output};
use crate::api::{Answer, ApiError};

pub async fn run(
    args: &ConnArgs,
    ids: &IdArgs,
    output: Output,
    mask: bool,
) -> Result<ExitCode, ApiError> {
    let query = ids.query();
    for (name, v) in [
        ("--workflow-id", &query.workflow_id),
        ("--node-id", &query.node_id),
        ("--callee", &query.callee),
    ] {
        if v.is_empty() {
            // A usage error: the two lines every error prints, and clap's exit code.
            eprintln!("error: {name} is empty");
            eprintln!("  hint: give {name} as it appears in the push (blank values are not sent)");
            return Ok(ExitCode::from(2));
        }
    }
    let loaded = crate::config::load(args.config.as_deref());
    let conn = resolve(args, &loaded)?;
    print_warnings(&conn.warnings);
    let session = conn.session()?;
    tracing::info!(base = %session.client.base_url(), "query");
    let answer = session.verify(&query).await?;
    print_answer(&answer, output, mask)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints an answer as JSON (as sent, pretty) or as the Markdown report; with `mask`, names,
/// numbers and amounts are masked first ([`crate::mask`]).
pub fn print_answer(answer: &Answer, output: Output, mask: bool) -> Result<(), ApiError> {
    let masked;
    let answer = if mask {
        masked = crate::mask::mask_answer(answer)?;
        &masked
    } else {
        answer
    };
    let text = match output {
        Output::Json => crate::json::pretty::pretty(&answer.exchange.body),
        Output::Md => {
            let data = answer.data();
            crate::case::report::markdown(data, &crate::case::CaseFacts::derive(data))
        }
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    let _ = out.write_all(if text.ends_with('\n') { b"" } else { b"\n" });
    let _ = out.flush();
    Ok(())
}
