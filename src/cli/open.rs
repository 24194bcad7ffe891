//! `rudder-inspect open FILE|-`: a saved answer or a pushed body, printed or inspected.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use bytes::Bytes;
use chrono::Local;

use super::conn;
use super::query::print_answer;
use super::{ConnArgs, Output, UiArgs};
use crate::api::aes;
use crate::api::client::{
    DEFAULT_MAX_BODY, Exchange, decrypt_answer, interpret, interpret_for_screen,
};
use crate::api::{Answer, ApiError};
use crate::mapped::Pages;

/// Reads FILE (or stdin for `-`); a large file is mapped rather than copied (then its pages
/// come too). A file the user named has a known size and needs no cap (one that does not fit in
/// memory is said so); stdin, which may never end, is read up to `cap` bytes.
pub fn read_input(path: &Path, cap: u64) -> Result<(Bytes, String, Option<Pages>), ApiError> {
    let label = if path == Path::new("-") {
        "stdin".to_string()
    } else {
        path.display().to_string()
    };
    let file_err = |detail: String| ApiError::File {
        path: label.clone(),
        detail,
        cause: None,
    };
    let mut buf = Vec::new();
    let reader: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        // `-` is the way to read a pipe; a FIFO or a device by name would block or never end.
        let (bytes, pages) = crate::files::read_whole(path).map_err(file_err)?;
        return Ok((bytes, label, pages));
    };
    reader
        .take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| file_err(e.to_string()).caused_by(e))?;
    if buf.len() as u64 > cap {
        return Err(ApiError::TooLarge { limit: cap });
    }
    Ok((Bytes::from(buf), label, None))
}

/// Bytes read as if they were an answer: the same checks, `label` as the source.
pub(super) fn answer_from_bytes(
    body: Bytes,
    label: String,
    encrypted: bool,
) -> Result<Answer, ApiError> {
    let mut answer =
        interpret(file_exchange(body, label.clone())).map_err(|e| e.in_file(&label))?;
    answer.encrypted = encrypted;
    Ok(answer)
}

/// UTF-16 text or a byte-order mark: what an editor on Windows may save, and no JSON reader
/// takes; said as such rather than as a parse error at column 1.
fn check_encoding(body: &[u8], label: &str) -> Result<(), ApiError> {
    let detail = if body.starts_with(&[0xff, 0xfe]) || body.starts_with(&[0xfe, 0xff]) {
        "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); JSON is read as UTF-8"
    } else if body.len() >= 4 && (body[1] == 0 && body[3] == 0 || body[0] == 0 && body[2] == 0) {
        "the file looks like UTF-16 text (every other byte is NUL); JSON is read as UTF-8"
    } else if body.starts_with(&[0xef, 0xbb, 0xbf]) {
        "the file starts with a byte-order mark (saved as \"UTF-8 with BOM\")"
    } else {
        return Ok(());
    };
    Err(ApiError::NotJson {
        detail: detail.into(),
        body_start: String::new(),
        cause: None,
    }
    .in_file(label))
}

/// A file's bytes as an exchange, received now.
fn file_exchange(body: Bytes, label: String) -> Exchange {
    Exchange::of_file(body, label, Local::now())
}

/// Reads a push as received: plain JSON, or Base64 AES text decrypted with the account's key
/// (and checked against `signed`, the push's `Signed` header, when given).
pub fn read_push(
    args: &ConnArgs,
    path: &Path,
    signed: Option<&str>,
) -> Result<(Bytes, String, bool), ApiError> {
    read_push_mapped(args, path, signed).map(|(b, l, e, _)| (b, l, e))
}

/// [`read_push`], with the pages of a plain file that was mapped rather than read.
fn read_push_mapped(
    args: &ConnArgs,
    path: &Path,
    signed: Option<&str>,
) -> Result<(Bytes, String, bool, Option<Pages>), ApiError> {
    let cap = args.max_body.unwrap_or(DEFAULT_MAX_BODY);
    let (body, label, pages) = read_input(path, cap)?;
    check_encoding(&body, &label)?;
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let json_like = matches!(first, Some(b'{' | b'['));
    if json_like || !aes::looks_encrypted(&body) {
        if let Some(sig) = signed.map(|s| s.trim().to_ascii_lowercase()) {
            let expected = aes::sign(&body);
            if sig != expected {
                return Err(ApiError::Signature {
                    expected,
                    got: crate::text::clip(&crate::text::one_line(&sig), 70),
                });
            }
        }
        return Ok((body, label, false, pages));
    }
    let loaded = crate::config::load(args.config.as_deref());
    let mut warnings = Vec::new();
    let (name, profile) = conn::profile(args, &loaded, &mut warnings)?;
    let key = conn::aes_key(args, name.as_deref(), &profile, &mut warnings)?
        .ok_or(ApiError::Encrypted)?;
    conn::print_warnings(&warnings);
    let signed = signed.map(|s| s.trim().to_ascii_lowercase());
    let plain = decrypt_answer(&key, &body, signed.as_deref())?;
    Ok((Bytes::from(plain), label, true, None))
}

pub async fn run(
    args: &ConnArgs,
    ui: &UiArgs,
    file: &Path,
    output: Option<Output>,
    signed: Option<&str>,
) -> Result<ExitCode, ApiError> {
    let (body, label, encrypted, pages) = read_push_mapped(args, file, signed)?;
    if let Some(o) = output {
        let answer = answer_from_bytes(body, label, encrypted)?;
        print_answer(&answer, o, ui.mask)?;
        return Ok(ExitCode::SUCCESS);
    }
    // On screen, everything but the transcript of a big push shows at once; the transcript
    // (most of its bytes) is read off the UI thread. Masking works on the whole answer.
    let (answer, pages) = if ui.mask {
        (answer_from_bytes(body, label, encrypted)?, None)
    } else {
        let mut answer = interpret_for_screen(file_exchange(body, label.clone()))
            .map_err(|e| e.in_file(&label))?;
        answer.encrypted = encrypted;
        // The skim touched every page; those of the transcript come back as it is read.
        if let Some(p) = &pages {
            p.release(0..answer.exchange.body.len());
        }
        (answer, pages)
    };
    let path = answer.exchange.url.clone();
    super::tui::start(
        args,
        ui,
        super::tui::Start::File {
            answer: Box::new(answer),
            path,
            pages,
        },
    )
    .await
}

/// `open A.json B.json`: the two pushes compared; the inspector shows A with the Diff view.
pub async fn compare(
    args: &ConnArgs,
    ui: &UiArgs,
    a: &Path,
    b: &Path,
    output: Option<Output>,
) -> Result<ExitCode, ApiError> {
    let (body_a, label_a, enc_a) = read_push(args, a, None)?;
    let (body_b, label_b, enc_b) = read_push(args, b, None)?;
    let first = answer_from_bytes(body_a, label_a.clone(), enc_a)?;
    let second = answer_from_bytes(body_b, label_b.clone(), enc_b)?;
    if let Some(output) = output {
        return super::compare::print((&first, &label_a), (&second, &label_b), output, ui.mask);
    }
    // The inspector's Diff view does not say it; the terminal keeps this line after it.
    if let Some(o) = super::compare::other_case(&first, &second) {
        eprintln!(
            "warning: {} and {} are different cases ({o})",
            crate::text::clean(&label_a),
            crate::text::clean(&label_b)
        );
    }
    super::tui::start(
        args,
        ui,
        super::tui::Start::Compare {
            answer: Box::new(first),
            path: label_a.clone(),
            other: Box::new(second),
            other_path: label_b,
        },
    )
    .await
}
