//! The reviewer's verdicts: one JSON line per verdict or note in `DIR/review.jsonl`, appended
//! whole (one `write` with `O_APPEND`, so two reviewers never interleave inside a line), mode
//! 0600; the last line for a case wins. A line that cannot be read is named and skipped, and
//! stays in the file: nothing is ever rewritten.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The largest verdicts file read (a day of review is a few hundred KiB).
const MAX_MARKS: u64 = 64 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Flag,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Flag => "flag",
        }
    }

    /// What the list shows.
    pub fn symbol(self) -> &'static str {
        match self {
            Verdict::Pass => "✓ pass",
            Verdict::Fail => "✗ fail",
            Verdict::Flag => "! flag",
        }
    }
}

/// One line of `review.jsonl`: a case's verdict and note as they stand after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub row: Option<u64>,
    pub workflow_id: String,
    pub node_id: String,
    pub callee: String,
    pub case_id: Option<String>,
    /// `None`: a note without a verdict yet.
    pub verdict: Option<Verdict>,
    #[serde(default)]
    pub note: String,
    /// When it was given (RFC 3339, local time).
    pub at: String,
    /// Which case of the review it is (the saved file's name, or `row N`).
    #[serde(default)]
    pub case: String,
}

impl Mark {
    /// The line to append, newline included.
    pub fn line(&self) -> String {
        let mut s = serde_json::to_string(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The verdicts read back: the last for each case, and the lines that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    pub by_case: HashMap<String, Mark>,
    pub problems: Vec<String>,
}

impl Marks {
    pub fn get(&self, case: &str) -> Option<&Mark> {
        self.by_case.get(case)
    }
}

/// Reads `path` (nothing there is no verdict yet).
pub fn load(path: &Path) -> Marks {
    let mut marks = Marks::default();
    let name = path.display();
    let bytes = match crate::files::open_regular_if_any(path) {
        Ok(None) => return marks,
        Ok(Some(_)) => match crate::files::read_small(path, MAX_MARKS, "a review's verdicts") {
            Ok(b) => b,
            Err(e) => {
                marks.problems.push(format!("{name}: {e}"));
                return marks;
            }
        },
        Err(e) => {
            marks.problems.push(format!("{name}: {e}"));
            return marks;
        }
    };
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.trim_ascii().is_empty() {
            continue;
        }
        match serde_json::from_slice::<Mark>(line) {
            Ok(mut m) => {
                if m.case.is_empty() {
                    m.case = m.row.map_or_else(String::new, |r| format!("row {r}"));
                }
                marks.by_case.insert(m.case.clone(), m);
            }
            Err(e) => marks.problems.push(format!(
                "{name} line {}: not a verdict ({e}); skipped",
                i + 1
            )),
        }
    }
    marks
}

/// Appends `mark` to `path` in one write, creating it with mode 0600. A last line cut short
/// (a crash mid-write elsewhere) is ended first, so this line is not glued to it.
pub fn append(path: &Path, mark: &Mark) -> std::io::Result<()> {
    use std::os::unix::fs::{FileExt, OpenOptionsExt};
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(std::io::Error::other("is not a regular file"));
    }
    let f = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    let len = f.metadata()?.len();
    let mut line = mark.line();
    if len > 0 {
        let mut last = [0u8];
        f.read_at(&mut last, len - 1)?;
        if last[0] != b'\n' {
            line.insert(0, '\n');
        }
    }
    (&f).write_all(line.as_bytes())?;
    f.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(case: &str, v: Option<Verdict>, note: &str) -> Mark {
        Mark {
            row: Some(1),
            workflow_id: "w".into(),
            node_id: "n".into(),
            callee: "+1".into(),
            case_id: None,
            verdict: v,
            note: note.into(),
            at: "2026-12-06T10:00:00+00:00".into(),
            case: case.into(),
        }
    }

    #[test]
    fn the_last_line_for_a_case_wins_and_bad_lines_are_named_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("review.jsonl");
        append(&p, &mark("a.json", Some(Verdict::Pass), "")).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&p)
            .unwrap()
            .write_all(b"{\"row\": garbage")
            .unwrap();
        append(&p, &mark("a.json", Some(Verdict::Fail), "wrong amount")).unwrap();
        append(&p, &mark("b.json", None, "call back")).unwrap();
        let m = load(&p);
        assert_eq!(m.by_case.len(), 2);
        assert_eq!(m.get("a.json").unwrap().verdict, Some(Verdict::Fail));
        assert_eq!(m.get("a.json").unwrap().note, "wrong amount");
        assert_eq!(m.get("b.json").unwrap().verdict, None);
        assert_eq!(m.problems.len(), 1);
        assert!(m.problems[0].contains("line 2"), "{:?}", m.problems);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            text.contains("{\"row\": garbage\n"),
            "the bad line is kept whole"
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn lines_carry_the_fields_a_reader_expects() {
        let line = mark("a.json", Some(Verdict::Flag), "n").line();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        for k in [
            "row",
            "workflow_id",
            "node_id",
            "callee",
            "case_id",
            "verdict",
            "note",
            "at",
        ] {
            assert!(v.get(k).is_some(), "{k} in {line}");
        }
        assert_eq!(v["verdict"], "flag");
        assert!(line.ends_with('\n') && line.matches('\n').count() == 1);
    }

    #[test]
    fn nothing_there_is_no_verdict_and_a_directory_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(&dir.path().join("none.jsonl")).by_case.is_empty());
        let m = load(dir.path());
        assert_eq!(m.problems.len(), 1);
        assert!(append(dir.path(), &mark("a", None, "")).is_err());
    }

    #[test]
    fn many_writers_never_mix_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("review.jsonl");
        std::thread::scope(|s| {
            for t in 0..4 {
                let p = &p;
                s.spawn(move || {
                    for i in 0..50 {
                        let note = format!("{t}-{i}-{}", "x".repeat(300));
                        append(p, &mark(&format!("{t}-{i}"), Some(Verdict::Pass), &note)).unwrap();
                    }
                });
            }
        });
        let m = load(&p);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(m.by_case.len(), 200);
    }
}
