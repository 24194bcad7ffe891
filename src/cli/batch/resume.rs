//! `--resume OUT.jsonl`: which rows an earlier output answered. It is read line by line before
//! anything is written (it may be the file the output is appended to); a line cut short by a
//! crash, or longer than any line the batch writes, is not an answer.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use super::input::Row;
use super::output::NOT_SAVED;
use crate::api::ApiError;

/// The columns that say which case a line answered.
const KEYS: [&str; 3] = ["workflow_id", "node_id", "callee"];
/// The longest line taken as an answer: a row is at most 1 MiB, and its line repeats it
/// (escaped) beside a short summary.
const MAX_LINE: usize = 16 << 20;

/// The cases an earlier output answered, by row number.
#[derive(Debug, Default)]
pub(super) struct Earlier {
    /// The case each line for the row named (`None`: a line without its input).
    rows: HashMap<u64, Vec<Option<[Option<Value>; 3]>>>,
}

/// What an earlier output says of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
    /// Not answered: ask.
    New,
    /// Answered: skip.
    Answered,
    /// Its line answered another case (another CSV): ask again.
    Other,
}

impl Earlier {
    /// Reads `path` (a file that does not exist yet is nothing to resume). With `saving`
    /// (`--save`), a row counts as answered only when its answer was saved and is still
    /// there, or when it failed for another reason than the saving.
    pub(super) fn read(path: &Path, saving: bool) -> Result<Self, ApiError> {
        let file_error = |detail: String| ApiError::File {
            path: path.display().to_string(),
            detail,
            cause: None,
        };
        let expanded = crate::config::expand_tilde(path);
        if std::fs::metadata(&expanded).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
            eprintln!(
                "note: {} does not exist yet: nothing to resume",
                path.display()
            );
            return Ok(Earlier::default());
        }
        let file = crate::files::open_regular(&expanded).map_err(file_error)?;
        let (earlier, bytes) = Earlier::from_lines(BufReader::new(file), saving)
            .map_err(|e| file_error(e.to_string()).caused_by(e))?;
        if bytes == 0 {
            eprintln!(
                "note: {} is empty (if it is also the output, append with >> rather than >)",
                path.display()
            );
        }
        Ok(earlier)
    }

    /// The answers in `r`, and how many bytes it held.
    fn from_lines(mut r: impl BufRead, saving: bool) -> std::io::Result<(Self, u64)> {
        let mut earlier = Earlier::default();
        let mut line = Vec::new();
        let mut bytes = 0u64;
        while let Some(n) = next_line(&mut r, &mut line, MAX_LINE)? {
            bytes += n;
            let Ok(v) = serde_json::from_slice::<Value>(&line) else {
                continue;
            };
            let Some(row) = v.get("row").and_then(Value::as_u64) else {
                continue;
            };
            if saving && !saved_or_failed(&v) {
                continue;
            }
            let case = match v.get("input") {
                Some(Value::Object(input)) => Some(KEYS.map(|k| input.get(k).cloned())),
                _ => None,
            };
            earlier.rows.entry(row).or_default().push(case);
        }
        Ok((earlier, bytes))
    }

    pub(super) fn seen(&self, row: &Row) -> Seen {
        let Some(cases) = self.rows.get(&row.row) else {
            return Seen::New;
        };
        let same = |case: &Option<[Option<Value>; 3]>| {
            case.as_ref().is_none_or(|values| {
                KEYS.iter()
                    .zip(values)
                    .all(|(k, v)| v.as_ref() == row.input.get(*k))
            })
        };
        if cases.iter().any(same) {
            Seen::Answered
        } else {
            Seen::Other
        }
    }
}

/// Whether a line's answer is in the file it names, or it failed otherwise than by saving.
fn saved_or_failed(line: &Value) -> bool {
    match line.get("saved") {
        Some(Value::String(path)) => Path::new(path).is_file(),
        _ => {
            line.get("ok") == Some(&Value::Bool(false))
                && line.get("error_kind").and_then(Value::as_str) != Some(NOT_SAVED)
        }
    }
}

/// The next line of `r` into `line` (without its newline), and the bytes it took; `None` at
/// the end. A line longer than `limit` is passed over and comes back empty.
fn next_line(
    r: &mut impl BufRead,
    line: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Option<u64>> {
    line.clear();
    let mut taken = 0u64;
    let mut over = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok((taken > 0).then_some(taken));
        }
        let (part, ends) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        if over || line.len() + part > limit {
            over = true;
            line.clear();
        } else {
            line.extend_from_slice(&chunk[..part]);
        }
        let used = part + usize::from(ends);
        r.consume(used);
        taken += used as u64;
        if ends {
            return Ok(Some(taken));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::batch::input::Cases;
    use crate::cli::batch::output::{Answered, line_for};

    fn rows(csv: &str) -> Vec<Row> {
        Cases::new(csv.as_bytes())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn resume_reads_row_numbers_of_the_same_cases() {
        let r = rows("workflow_id,node_id,callee\nw,n,+1\nw,n,+2\nw,n,+3\n");
        let prev = [
            line_for(&r[0], &Answered::Bad("x".into()), false),
            // Row 2 of another CSV.
            r#"{"row":2,"input":{"workflow_id":"w","node_id":"n","callee":"+9"},"ok":true}"#.into(),
            r#"{"row":3,"input":{"workflow_id":"w","node_id":"n","callee":"+3"},"ok":f"#.into(),
        ]
        .join("\n");
        let (earlier, bytes) = Earlier::from_lines(prev.as_bytes(), false).unwrap();
        assert_eq!(bytes, prev.len() as u64);
        let seen: Vec<Seen> = r.iter().map(|r| earlier.seen(r)).collect();
        assert_eq!(seen, [Seen::Answered, Seen::Other, Seen::New]);
    }

    #[test]
    fn a_line_past_the_limit_is_passed_over() {
        let text = b"0123456789\nabc\n\nlast";
        let mut r = BufReader::with_capacity(4, &text[..]);
        let mut line = Vec::new();
        let mut got = Vec::new();
        while let Some(n) = next_line(&mut r, &mut line, 5).unwrap() {
            got.push((String::from_utf8(line.clone()).unwrap(), n));
        }
        let want = [("", 11), ("abc", 4), ("", 1), ("last", 4)];
        assert_eq!(got, want.map(|(s, n)| (s.to_string(), n)));
    }

    #[test]
    fn with_save_only_saved_answers_and_other_failures_count() {
        let r = rows("workflow_id,node_id,callee\nw,n,+1\nw,n,+2\nw,n,+3\nw,n,+4\nw,n,+5\n");
        let tmp = tempfile::tempdir().unwrap();
        let kept = tmp.path().join("0001-+1.json");
        std::fs::write(&kept, b"{}").unwrap();
        let line = |i: usize, a: Answered| line_for(&r[i], &a, true);
        let summary = serde_json::json!({});
        let prev = [
            line(
                0,
                Answered::Ok {
                    summary: summary.clone(),
                    attempts: 1,
                    saved: Some(kept.display().to_string()),
                },
            ),
            line(
                1,
                Answered::Ok {
                    summary: summary.clone(),
                    attempts: 1,
                    saved: Some(tmp.path().join("gone.json").display().to_string()),
                },
            ),
            line(
                2,
                Answered::Unsaved {
                    summary,
                    attempts: 1,
                    path: "x".into(),
                    detail: "disk full".into(),
                },
            ),
            line(3, Answered::Bad("x".into())),
            // A line from a run without --save.
            line_for(
                &r[4],
                &Answered::Ok {
                    summary: Value::Null,
                    attempts: 1,
                    saved: None,
                },
                false,
            ),
        ]
        .join("\n");
        let (earlier, _) = Earlier::from_lines(prev.as_bytes(), true).unwrap();
        let seen: Vec<Seen> = r.iter().map(|r| earlier.seen(r)).collect();
        let (done, new) = (Seen::Answered, Seen::New);
        assert_eq!(seen, [done, new, new, done, new]);
        let (earlier, _) = Earlier::from_lines(prev.as_bytes(), false).unwrap();
        assert!(r.iter().all(|r| earlier.seen(r) == Seen::Answered));
    }

    #[cfg(unix)]
    #[test]
    fn a_resume_file_not_there_yet_is_nothing_to_resume() {
        let tmp = tempfile::tempdir().unwrap();
        let missing = tmp.path().join("out.jsonl");
        assert!(Earlier::read(&missing, false).unwrap().rows.is_empty());
        // A link to an output not written yet, as well.
        let link = tmp.path().join("link.jsonl");
        std::os::unix::fs::symlink(&missing, &link).unwrap();
        assert!(Earlier::read(&link, false).unwrap().rows.is_empty());
        // Something that is not a regular file is refused.
        assert!(Earlier::read(tmp.path(), false).is_err());
    }
}
