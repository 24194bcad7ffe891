//! `rudder-inspect open FILE|-`: a saved answer or a pushed body, printed or inspected.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use bytes::Bytes;
use chrono::Local;

use super::query::print_answer;
use super::{ConnArgs, Output, UiArgs};
use crate::api::client::{DEFAULT_MAX_BODY, Exchange, interpret};
use crate::api::{Answer, ApiError};

/// Reads FILE (or stdin for `-`) up to `cap` bytes.
pub fn read_input(path: &Path, cap: u64) -> Result<(Bytes, String), ApiError> {
    let label = if path == Path::new("-") {
        "stdin".to_string()
    } else {
        path.display().to_string()
    };
    let file_err = |e: std::io::Error| ApiError::File {
        path: label.clone(),
        detail: e.to_string(),
    };
    let mut buf = Vec::new();
    let reader: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(path).map_err(file_err)?;
        if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(ApiError::File {
                path: label,
                detail: "is a directory".into(),
            });
        }
        Box::new(f)
    };
    reader
        .take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(file_err)?;
    if buf.len() as u64 > cap {
        return Err(ApiError::TooLarge { limit: cap });
    }
    Ok((Bytes::from(buf), label))
}

/// A file read as if it were an answer: the same checks, the file's name as its source.
pub fn answer_from_file(path: &Path, cap: u64) -> Result<Answer, ApiError> {
    let (body, label) = read_input(path, cap)?;
    interpret(Exchange {
        url: label,
        status: 0,
        latency: std::time::Duration::ZERO,
        body,
        received_at: Local::now(),
    })
}

pub async fn run(
    args: &ConnArgs,
    ui: &UiArgs,
    file: &Path,
    output: Option<Output>,
) -> Result<ExitCode, ApiError> {
    let cap = args.max_body.unwrap_or(DEFAULT_MAX_BODY);
    let answer = answer_from_file(file, cap)?;
    match output {
        Some(o) => {
            print_answer(&answer, o)?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let path = answer.exchange.url.clone();
            super::tui::start(
                args,
                ui,
                super::tui::Start::File {
                    answer: Box::new(answer),
                    path,
                },
            )
            .await
        }
    }
}
