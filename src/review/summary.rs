//! One case in a line: what the review's list shows, sorts, filters and counts. Made from the
//! whole answer, then the answer is dropped: thousands of summaries fit in a few MiB.

use std::path::Path;

use super::listing::Entry;
use crate::api::client::{Exchange, interpret};
use crate::api::{Answer, Query};
use crate::case::CaseFacts;
use crate::case::qa::{Verdict, verdict};

/// What the list knows of a case once its answer is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The case's ids, as the answer gives them.
    pub ids: Query,
    pub callee_name: String,
    pub callee_number: String,
    pub intention: String,
    pub hangup_type: String,
    /// Seconds from the call's start to its end, when both are there.
    pub duration: Option<i64>,
    pub qa_match: usize,
    /// The names of the questions that did not match, in order.
    pub qa_mismatch: Vec<String>,
    pub turns: usize,
    /// Hits of each watch word, in the order of the review's words.
    pub watch: Vec<usize>,
}

impl Summary {
    pub fn watch_hits(&self) -> usize {
        self.watch.iter().sum()
    }

    /// `✓ 3`, `✗ 1/4` (mismatches of all), or `–` for no verdict questions.
    pub fn qa_cell(&self) -> String {
        let all = self.qa_match + self.qa_mismatch.len();
        match (all, self.qa_mismatch.len()) {
            (0, _) => "–".into(),
            (_, 0) => format!("✓ {all}"),
            (_, n) => format!("✗ {n}/{all}"),
        }
    }
}

/// What became of reading a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// Not read yet.
    Pending,
    Done(Box<Summary>),
    /// No answer to show, and why.
    Failed(String),
}

/// The largest answer summarised (and opened) in a review: past this it is listed as failed
/// with its size (`open` reads it).
pub const MAX_ANSWER: u64 = 1 << 30;

/// Reads `entry`'s answer whole and sums it up; `watch_words` as the review counts them.
pub fn summarise(entry: &Entry, watch_words: &[String]) -> Read {
    summarise_with(entry, watch_words, false)
}

/// [`summarise`], from the masked answer when `mask` (names and numbers as `--mask` shows
/// them).
pub fn summarise_with(entry: &Entry, watch_words: &[String], mask: bool) -> Read {
    if let Some(why) = &entry.failed {
        return Read::Failed(why.clone());
    }
    let Some(path) = &entry.path else {
        return Read::Failed("no saved answer".into());
    };
    let answer = read_answer(path).and_then(|a| {
        if mask {
            crate::mask::mask_answer(&a).map_err(|e| e.message())
        } else {
            Ok(a)
        }
    });
    match answer {
        Ok(answer) => Read::Done(Box::new(of_answer(&answer, watch_words))),
        Err(why) => Read::Failed(why),
    }
}

/// A saved answer, read as `open` reads it (plain JSON: `batch --save` keeps answers
/// decrypted).
pub fn read_answer(path: &Path) -> Result<Answer, String> {
    let (body, _pages) = crate::files::read_whole(path)?;
    if body.len() as u64 > MAX_ANSWER {
        return Err(format!(
            "{} is too large to review here (open it with `rudder-inspect open`)",
            crate::api::error::human_bytes(body.len() as u64)
        ));
    }
    if crate::api::aes::looks_encrypted(&body) && !body.trim_ascii_start().starts_with(b"{") {
        return Err("encrypted (open it with `rudder-inspect open`, which has the key)".into());
    }
    // When it was saved: the status bar's time of the answer.
    let saved_at = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_or_else(
            |_| chrono::Local::now(),
            chrono::DateTime::<chrono::Local>::from,
        );
    let exchange = Exchange::of_file(body, path.display().to_string(), saved_at);
    let answer = interpret(exchange).map_err(|e| e.message())?;
    if answer.document.data().is_none() {
        return Err("the answer holds no case (no data)".into());
    }
    Ok(answer)
}

/// The summary of an answer already read.
pub fn of_answer(answer: &Answer, watch_words: &[String]) -> Summary {
    let data = answer.data();
    let facts = CaseFacts::derive(data);
    let text = |s: &crate::api::tolerant::Scalar| {
        s.value()
            .map(|v| crate::text::one_line(v.trim()))
            .unwrap_or_default()
    };
    let callee_number = Some(text(&data.callee.callee_number))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| text(&data.call.callee_number));
    let qa_mismatch = data
        .call
        .question_answer
        .items
        .iter()
        .filter(|q| verdict(&q.verification_results) == Verdict::Mismatch)
        .map(|q| {
            Some(text(&q.question_name))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "(no name)".into())
        })
        .collect();
    let stats = &facts.transcript.stats;
    let watch = crate::app::transcript::count_watch_words(answer, &facts, watch_words)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    Summary {
        ids: Query {
            workflow_id: text(&data.workflow_id),
            node_id: text(&data.node_id),
            callee: callee_number.clone(),
            case_id: Some(text(&data.callee.case_id)).filter(|c| !c.is_empty()),
        },
        callee_name: text(&data.callee.callee_name),
        callee_number,
        intention: text(&data.call.intention),
        hangup_type: text(&data.call.hangup_type),
        duration: facts.call.duration,
        qa_match: facts.tally.matched,
        qa_mismatch,
        turns: stats.robot_turns + stats.callee_turns,
        watch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &Path) -> Entry {
        Entry {
            row: Some(1),
            path: Some(path.to_path_buf()),
            key: "k".into(),
            failed: None,
            asked: None,
        }
    }

    #[test]
    fn a_push_is_summed_up() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("0001-x.json");
        std::fs::write(
            &p,
            r#"{"code":200,"data":{"workflow_id":11,"node_id":"n","callee":{"callee_name":"Ana\u001b[2J","callee_number":"+63","case_id":"c1"},
            "call":{"intention":"A","hangup_type":"1","call_start_time":"2024-01-01 10:00:00","call_end_time":"2024-01-01 10:01:05",
            "question_answer":[{"question_name":"dob","verification_results":"mismatch"},{"question_name":"id","verification_results":"match"}],
            "asr_result":[{"time":"1","robottext":"a lawyer, LAWYER","text":"no"}]}}}"#,
        )
        .unwrap();
        let Read::Done(s) = summarise(&entry(&p), &["lawyer".into(), "x".into()]) else {
            panic!("not read");
        };
        assert_eq!(s.ids.workflow_id, "11");
        assert_eq!(s.ids.case_id.as_deref(), Some("c1"));
        assert_eq!(
            s.callee_name, "Ana␛",
            "control sequences are shown, not run"
        );
        assert_eq!(s.callee_number, "+63");
        assert_eq!(s.duration, Some(65));
        assert_eq!(s.qa_match, 1);
        assert_eq!(s.qa_mismatch, ["dob"]);
        assert_eq!(s.qa_cell(), "✗ 1/2");
        assert_eq!(s.turns, 2);
        assert_eq!(s.watch, [2, 0]);
    }

    #[test]
    fn what_is_not_an_answer_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("0001-x.json");
        std::fs::write(&p, "not json at all").unwrap();
        assert!(matches!(summarise(&entry(&p), &[]), Read::Failed(_)));
        std::fs::write(&p, "[1,2]").unwrap();
        assert!(matches!(summarise(&entry(&p), &[]), Read::Failed(_)));
        let gone = dir.path().join("gone.json");
        let Read::Failed(why) = summarise(&entry(&gone), &[]) else {
            panic!()
        };
        assert!(why.contains("No such file"), "{why}");
        let mut e = entry(&p);
        e.failed = Some("lookup failed: HTTP 500".into());
        assert_eq!(
            summarise(&e, &[]),
            Read::Failed("lookup failed: HTTP 500".into())
        );
    }
}
