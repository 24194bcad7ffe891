//! What the batch writes: one JSON line per row in input order on stdout, the progress bar
//! and the counts on stderr.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use serde_json::{Value, json};

use super::input::Row;
use crate::api::tolerant::Scalar;
use crate::api::{ApiError, Data};
use crate::case::CaseFacts;

fn text(v: &Scalar) -> Value {
    v.value()
        .map(|t| Value::String(crate::text::clean(t).into_owned()))
        .unwrap_or(Value::Null)
}

/// The one-look summary of a push.
pub fn summary(data: &Data) -> Value {
    let facts = CaseFacts::derive(data);
    let stats = &facts.transcript.stats;
    json!({
        "callee_name": text(&data.callee.callee_name),
        "call_id": text(&data.call.call_id),
        "call_start_time": text(&data.call.call_start_time),
        "intention": text(&data.call.intention),
        "hangup_type": text(&data.call.hangup_type),
        "qa_match": facts.tally.matched,
        "qa_mismatch": facts.tally.mismatched,
        "turns": stats.robot_turns + stats.callee_turns,
    })
}

/// The `error_kind` of a row answered but not saved (`--resume` asks it again).
pub(super) const NOT_SAVED: &str = "not saved";

/// What became of one row.
#[derive(Debug)]
pub(super) enum Answered {
    /// `saved`: where the answer was kept (`--save`).
    Ok {
        summary: Value,
        attempts: u32,
        saved: Option<String>,
    },
    Failed {
        error: ApiError,
        attempts: u32,
    },
    /// Answered, but `--save` could not keep the answer at `path`.
    Unsaved {
        summary: Value,
        attempts: u32,
        path: String,
        detail: String,
    },
    Bad(String),
}

/// The JSON line for a row; with `saving` (`--save`), it says where the answer was saved.
pub(super) fn line_for(row: &Row, answered: &Answered, saving: bool) -> String {
    let (ok, error, kind, attempts, summary) = match answered {
        Answered::Ok {
            summary, attempts, ..
        } => (true, None, None, *attempts, summary.clone()),
        Answered::Unsaved {
            summary,
            attempts,
            path,
            detail,
        } => (
            false,
            Some(format!("answered, but not saved to {path}: {detail}")),
            Some(NOT_SAVED),
            *attempts,
            summary.clone(),
        ),
        Answered::Failed { error, attempts } => (
            false,
            Some(error.message()),
            Some(error.short()),
            *attempts,
            Value::Null,
        ),
        Answered::Bad(why) => (
            false,
            Some(format!("line {}: {why}; not sent", row.line)),
            Some("bad row"),
            0,
            Value::Null,
        ),
    };
    let mut v = json!({
        "row": row.row,
        "line": row.line,
        "input": row.input,
        "ok": ok,
        "error": error,
        "error_kind": kind,
        "attempts": attempts,
        "summary": summary,
    });
    if saving {
        let saved = match answered {
            Answered::Ok {
                saved: Some(path), ..
            } => Value::String(path.clone()),
            _ => Value::Null,
        };
        v["saved"] = saved;
    }
    serde_json::to_string(&v).unwrap_or_default()
}

pub(super) fn progress(len: u64) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    // Hidden when stderr is not a terminal (indicatif checks) or for a dumb terminal.
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} · {msg} · ETA {eta}",
    ) {
        pb.set_style(style.progress_chars("█▉▊▋▌▍▎▏ ").tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "));
    }
    if !pb.is_hidden() {
        pb.enable_steady_tick(Duration::from_millis(200));
    }
    pb
}

/// Writes the lines of the rows in input order; rows answered early wait for those before.
pub(super) struct Output<W: Write> {
    out: W,
    waiting: BTreeMap<usize, String>,
    next: usize,
    pub(super) failed: Option<std::io::Error>,
}

impl<W: Write> Output<W> {
    pub(super) fn new(out: W) -> Self {
        Output {
            out,
            waiting: BTreeMap::new(),
            next: 0,
            failed: None,
        }
    }

    /// Files the line for the `i`th row to ask and writes every line that can go now.
    pub(super) fn put(&mut self, i: usize, line: String) {
        self.waiting.insert(i, line);
        let mut wrote = false;
        while let Some(line) = self.waiting.remove(&self.next) {
            self.write(&line);
            self.next += 1;
            wrote = true;
        }
        if wrote {
            self.flush();
        }
    }

    /// The `i`th row gets no line (Ctrl-C came before it was sent).
    pub(super) fn skip(&mut self, i: usize) {
        self.put(i, String::new());
    }

    /// Writes whatever waits (after an interruption, around the rows that got no line).
    pub(super) fn finish(&mut self) {
        for (_, line) in std::mem::take(&mut self.waiting) {
            self.write(&line);
        }
        self.flush();
    }

    fn write(&mut self, line: &str) {
        if line.is_empty() || self.failed.is_some() {
            return;
        }
        if let Err(e) = self
            .out
            .write_all(line.as_bytes())
            .and_then(|()| self.out.write_all(b"\n"))
        {
            self.failed = Some(e);
        }
    }

    fn flush(&mut self) {
        if self.failed.is_none()
            && let Err(e) = self.out.flush()
        {
            self.failed = Some(e);
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct Counts {
    ok: usize,
    failed: usize,
    bad: usize,
}

impl Counts {
    pub(super) fn add(&mut self, a: &Answered) {
        match a {
            Answered::Ok { .. } => self.ok += 1,
            Answered::Failed { .. } | Answered::Unsaved { .. } => self.failed += 1,
            Answered::Bad(_) => self.bad += 1,
        }
    }

    pub(super) fn done(&self) -> usize {
        self.ok + self.failed + self.bad
    }

    pub(super) fn words(&self) -> String {
        let mut s = format!("{} ok, {} failed", self.ok, self.failed);
        if self.bad > 0 {
            s.push_str(&format!(", {} bad row{}", self.bad, plural(self.bad)));
        }
        s
    }
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_the_reference_push() {
        let bytes = include_bytes!("../../../assets/demo/01-reference.json");
        let doc = crate::api::parse_document(bytes).unwrap();
        let s = summary(doc.data().unwrap());
        assert_eq!(s["callee_name"], "WILL SMITH");
        assert_eq!(s["call_id"], "cd878f6611adxxxxxx1a5a3ec5525b");
        assert_eq!(s["intention"], "E");
        assert_eq!(s["hangup_type"], "ByRobot");
        let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "callee_name",
                "call_id",
                "call_start_time",
                "intention",
                "hangup_type",
                "qa_match",
                "qa_mismatch",
                "turns"
            ]
        );
        assert!(s["turns"].as_u64().unwrap() > 0);
    }

    #[test]
    fn lines_in_input_order_around_gaps() {
        let mut out = Output::new(Vec::new());
        out.put(1, "b".into());
        out.put(2, "c".into());
        assert!(out.out.is_empty());
        out.put(0, "a".into());
        out.skip(4);
        out.put(5, "f".into());
        out.skip(3);
        out.put(6, "g".into());
        out.put(8, "i".into());
        out.finish();
        assert_eq!(String::from_utf8(out.out).unwrap(), "a\nb\nc\nf\ng\ni\n");
    }
}
