//! `rudder-inspect batch CASES.csv`: many lookups, one JSON line per case on stdout.
//!
//! - The CSV has a header naming `workflow_id`, `node_id` and `callee` (`case_id` optional;
//!   any order, other columns ignored; names are matched without regard to case).
//! - Every row gets exactly one output line, in input order, with its `row` number (1 is the
//!   first row under the header). A bad row (a required value empty, the wrong number of
//!   fields, text that is not UTF-8) is reported on stderr with its line number and not sent;
//!   its output line says `"ok": false` with the reason, so the output always has one line
//!   per row and `--resume` counts it as answered.
//! - The CSV is read as it comes (from a pipe, the first row is asked before the input
//!   ends), a row at a time: a header or row longer than 1 MiB stops the reading there, with
//!   its line number. A FIFO, a device or a directory is refused; `-` reads stdin.
//! - `--save DIR` keeps every push answered, as received (decrypted, with the AES transport), in
//!   `DIR/0007-+15551234567.json` (row, callee), written atomically with mode 0600; each
//!   line says where in `saved`. With `--resume`, a row whose saved file is gone (or was
//!   never written) is asked again.
//! - At most `--concurrency` lookups at once, starts spaced by `--rate`; transient failures
//!   (connect errors, timeouts, HTTP 5xx and 429) are retried `--retries` times with an
//!   exponential backoff, a 429's `Retry-After` honoured (it pauses every lookup); other
//!   failures (4xx, no record, the API's refusals) are answers, not retried.
//! - A refused sign-in or a missing token stops the batch: every other row would fail the
//!   same way (and hammer the sign-in endpoint).
//! - Ctrl-C stops taking new cases, lets those in flight finish, writes their lines, and
//!   prints a summary (exit 130; a second Ctrl-C abandons the cases in flight). Rows not
//!   answered are simply absent: `--resume OUT.jsonl` picks them up later.
//!
//! Exit 0 when every row got a line (ok or not); 2 for a usage error (a header without the
//! required columns); 13 when the CSV, the resume file or stdout cannot be read or written,
//! or the save directory made; 130 when interrupted; the error's own code when the batch
//! could not run at all.

use std::path::PathBuf;

use clap::Args;

mod input;
mod metered;
mod output;
mod pacing;
mod resume;
mod run;
mod save;

pub use run::run;
pub(crate) use save::file_name;

/// The exit code of a batch stopped by Ctrl-C (128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;
/// The exit code of a usage error (as clap's).
pub const EXIT_USAGE: u8 = 2;
/// The exit code when a file cannot be read or written (as [`ApiError::File`]'s).
pub const EXIT_FILE: u8 = 13;

#[derive(Args, Debug, Clone)]
pub struct BatchArgs {
    /// The cases: CSV with a header naming workflow_id, node_id, callee [, case_id]; `-` reads stdin
    #[arg(value_name = "CASES.csv")]
    pub file: PathBuf,
    /// Lookups at once
    #[arg(long, short = 'j', value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Start at most R lookups a second (`5`, `5/s`, `0.5/s`, `120/min`)
    #[arg(long, value_name = "R/s", value_parser = parse_rate)]
    pub rate: Option<f64>,
    /// Skip the rows already answered in this earlier output (append to it with >>)
    #[arg(long, value_name = "OUT.jsonl")]
    pub resume: Option<PathBuf>,
    /// Retries of a transient failure (connect error, timeout, HTTP 5xx or 429); 0 for none
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(0..=20))]
    pub retries: u32,
    /// Keep every answer as received in DIR (created if needed), one JSON file per row
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,
    /// The first wait before a retry, in seconds; it doubles each time (Retry-After wins)
    #[arg(long, value_name = "SECS", default_value_t = 0.5, value_parser = parse_secs)]
    pub backoff: f64,
}

/// `5`, `5/s`, `0.5/sec`, `120/min`, `3600/h`: lookups per second.
pub fn parse_rate(s: &str) -> Result<f64, String> {
    let t = s.trim().to_ascii_lowercase();
    let (num, per) = match t.split_once('/') {
        None => (t.as_str(), 1.0),
        Some((n, unit)) => (
            n,
            match unit.trim() {
                "s" | "sec" | "second" => 1.0,
                "m" | "min" | "minute" => 60.0,
                "h" | "hour" => 3600.0,
                _ => return Err(format!("{s:?}: the unit is /s, /min or /h")),
            },
        ),
    };
    num.trim()
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r > 0.0)
        .map(|r| r / per)
        .ok_or_else(|| format!("{s:?} is not a rate like 5/s or 120/min"))
}

fn parse_secs(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=60.0).contains(v))
        .ok_or_else(|| format!("{s:?} is not a number of seconds between 0 and 60"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates() {
        assert_eq!(parse_rate("5"), Ok(5.0));
        assert_eq!(parse_rate("5/s"), Ok(5.0));
        assert_eq!(parse_rate("120/min"), Ok(2.0));
        assert_eq!(parse_rate("0.5/sec"), Ok(0.5));
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("fast").is_err());
        assert!(parse_rate("5/day").is_err());
    }
}
