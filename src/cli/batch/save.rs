//! `--save DIR`: every answer kept as received (decrypted, when the AES transport is on: what
//! `open` reads back), one file per row, named so that a person finds a case by its row and
//! callee, and written whole or not at all.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::output::{Answered, summary};
use crate::api::{Answer, ApiError};

/// The longest callee part of a file name, in characters.
const MAX_CALLEE: usize = 64;

#[derive(Debug)]
pub(super) struct SaveDir {
    dir: PathBuf,
}

impl SaveDir {
    /// Creates `dir` (and its parents) when needed.
    pub(super) fn create(dir: &Path) -> Result<Self, ApiError> {
        let expanded = crate::config::expand_tilde(dir);
        let file_error = |detail: String| ApiError::File {
            path: dir.display().to_string(),
            detail,
            cause: None,
        };
        std::fs::create_dir_all(&expanded).map_err(|e| file_error(e.to_string()).caused_by(e))?;
        if !std::fs::metadata(&expanded).is_ok_and(|m| m.is_dir()) {
            return Err(file_error("is not a directory".into()));
        }
        Ok(SaveDir { dir: expanded })
    }

    /// Where row `row`'s answer goes: `0007-+15551234567.json`.
    pub(super) fn path_for(&self, row: u64, callee: &str) -> PathBuf {
        self.dir.join(file_name(row, callee))
    }
}

/// What became of a lookup, its answer saved first when `save` is given.
pub(super) async fn settle(
    result: Result<Answer, ApiError>,
    attempts: u32,
    save: Option<Arc<SaveDir>>,
    row: u64,
    callee: &str,
) -> Answered {
    let answer = match result {
        Ok(answer) => answer,
        Err(error) => return Answered::Failed { error, attempts },
    };
    let summary = summary(answer.data());
    let Some(save) = save else {
        return Answered::Ok {
            summary,
            attempts,
            saved: None,
        };
    };
    let path = save.path_for(row, callee);
    let shown = path.display().to_string();
    let body = answer.exchange.body.clone();
    let written =
        tokio::task::spawn_blocking(move || crate::files::write_whole(&path, &body)).await;
    let detail = match written {
        Ok(Ok(())) => {
            return Answered::Ok {
                summary,
                attempts,
                saved: Some(shown),
            };
        }
        Ok(Err(e)) => e.to_string(),
        Err(e) => e.to_string(),
    };
    Answered::Unsaved {
        summary,
        attempts,
        path: shown,
        detail,
    }
}

/// `0007-+15551234567.json`: the row, four digits at least, and the callee with anything
/// but letters, digits and `+-_.@` as `_` (no separator, no control character, no leading
/// dot), cut to [`MAX_CALLEE`] characters.
pub(crate) fn file_name(row: u64, callee: &str) -> String {
    let safe: String = callee
        .chars()
        .take(MAX_CALLEE)
        .enumerate()
        .map(|(i, c)| match c {
            '.' if i == 0 => '_',
            c if c.is_alphanumeric() || "+-_.@".contains(c) => c,
            _ => '_',
        })
        .collect();
    format!("{row:04}-{safe}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_findable() {
        assert_eq!(file_name(7, "+15551234567"), "0007-+15551234567.json");
        assert_eq!(file_name(12345, "a/b\\c d"), "12345-a_b_c_d.json");
        assert_eq!(file_name(1, "../x\u{1b}[2J"), "0001-_._x__2J.json");
        assert_eq!(
            file_name(1, &"9".repeat(500)).len(),
            "0001-.json".len() + 64
        );
    }

    #[cfg(unix)]
    #[test]
    fn writes_are_whole_and_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let save = SaveDir::create(&tmp.path().join("a/b")).unwrap();
        let path = save.path_for(3, "+1");
        crate::files::write_whole(&path, b"{\"x\":1}").unwrap();
        crate::files::write_whole(&path, b"{}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let names: Vec<_> = std::fs::read_dir(tmp.path().join("a/b")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
        let file = tmp.path().join("file");
        std::fs::write(&file, b"").unwrap();
        assert!(SaveDir::create(&file).is_err());
    }
}
