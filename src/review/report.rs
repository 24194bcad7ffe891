//! The figures of a review: how many cases, how many reviewed and how, intentions and hang-ups
//! counted, watch words found (hits and cases), the questions that did not match, and the
//! lookups that failed. The same [`Totals`] feed `review --summary` and the inspector's view.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::listing::Entry;
use super::marks::{Mark, Verdict};
use super::summary::Read;

/// One case as the review holds it.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    pub entry: &'a Entry,
    pub read: &'a Read,
    pub mark: Option<&'a Mark>,
}

/// A case that has no answer to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub row: Option<u64>,
    pub case: String,
    pub reason: String,
}

/// What a value missing from a push is counted as.
pub const NONE: &str = "(none)";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub cases: usize,
    /// Cases with a verdict.
    pub reviewed: usize,
    pub pass: usize,
    pub fail: usize,
    pub flag: usize,
    /// Cases with a note.
    pub noted: usize,
    /// Cases whose answer is not read yet (the inspector counts as it reads).
    pub pending: usize,
    pub intention: BTreeMap<String, usize>,
    pub hangup_type: BTreeMap<String, usize>,
    /// Each watch word, in the review's order: (word, hits, cases with a hit).
    pub watch: Vec<(String, usize, usize)>,
    pub qa_mismatch: BTreeMap<String, usize>,
    pub failed: Vec<Failed>,
}

impl Totals {
    pub fn of<'a>(cases: impl IntoIterator<Item = Case<'a>>, watch_words: &[String]) -> Self {
        let mut t = Totals {
            watch: watch_words
                .iter()
                .map(|w| (crate::text::one_line(w), 0, 0))
                .filter(|(w, _, _)| !w.is_empty())
                .collect(),
            ..Totals::default()
        };
        for c in cases {
            t.cases += 1;
            if let Some(m) = c.mark {
                match m.verdict {
                    Some(Verdict::Pass) => t.pass += 1,
                    Some(Verdict::Fail) => t.fail += 1,
                    Some(Verdict::Flag) => t.flag += 1,
                    None => {}
                }
                t.reviewed += usize::from(m.verdict.is_some());
                t.noted += usize::from(!m.note.trim().is_empty());
            }
            match c.read {
                Read::Pending => t.pending += 1,
                Read::Failed(reason) => t.failed.push(Failed {
                    row: c.entry.row,
                    case: c.entry.key.clone(),
                    reason: reason.clone(),
                }),
                Read::Done(s) => {
                    let or_none = |v: &str| if v.is_empty() { NONE } else { v }.to_string();
                    *t.intention.entry(or_none(&s.intention)).or_default() += 1;
                    *t.hangup_type.entry(or_none(&s.hangup_type)).or_default() += 1;
                    for q in &s.qa_mismatch {
                        *t.qa_mismatch.entry(q.clone()).or_default() += 1;
                    }
                    for ((_, hits, cases), n) in t.watch.iter_mut().zip(&s.watch) {
                        *hits += n;
                        *cases += usize::from(*n > 0);
                    }
                }
            }
        }
        t
    }

    pub fn to_json(&self) -> Value {
        let watch: serde_json::Map<String, Value> = self
            .watch
            .iter()
            .map(|(w, hits, cases)| (w.clone(), json!({"hits": hits, "cases": cases})))
            .collect();
        let failed: Vec<Value> = self
            .failed
            .iter()
            .map(|f| json!({"row": f.row, "case": f.case, "reason": f.reason}))
            .collect();
        json!({
            "cases": self.cases,
            "reviewed": self.reviewed,
            "verdicts": {"pass": self.pass, "fail": self.fail, "flag": self.flag},
            "noted": self.noted,
            "intention": self.intention,
            "hangup_type": self.hangup_type,
            "watch": watch,
            "qa_mismatch": self.qa_mismatch,
            "failed": failed,
        })
    }

    /// The same figures as lines of text: the inspector's view and the Markdown report.
    pub fn lines(&self, markdown: bool) -> Vec<String> {
        let mut out = Vec::new();
        let h = |s: &str| {
            if markdown {
                format!("## {s}")
            } else {
                s.to_string()
            }
        };
        let item = |k: &str, v: String| {
            let k = crate::text::one_line(k);
            if markdown {
                format!("- {}: {v}", k.replace('|', "\\|"))
            } else {
                format!("  {k:<32} {v}")
            }
        };
        out.push(format!(
            "{} cases, {}/{} reviewed: {} pass, {} fail, {} flagged; {} with a note{}",
            self.cases,
            self.reviewed,
            self.cases,
            self.pass,
            self.fail,
            self.flag,
            self.noted,
            if self.pending > 0 {
                format!("; {} not read yet", self.pending)
            } else {
                String::new()
            }
        ));
        let mut count_section = |title: &str, map: &BTreeMap<String, usize>| {
            out.push(String::new());
            out.push(h(title));
            if map.is_empty() {
                out.push(item("(none)", String::new()));
            }
            let mut rows: Vec<_> = map.iter().collect();
            rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (k, n) in rows {
                out.push(item(k, n.to_string()));
            }
        };
        count_section("Intention", &self.intention);
        count_section("Hang-up type", &self.hangup_type);
        count_section("Q&A mismatches by question", &self.qa_mismatch);
        out.push(String::new());
        out.push(h("Watch words"));
        if self.watch.is_empty() {
            out.push(item("(no watch words: --watch WORD)", String::new()));
        }
        for (w, hits, cases) in &self.watch {
            out.push(item(w, format!("{hits} hits in {cases} cases")));
        }
        out.push(String::new());
        out.push(h(&format!("Failed ({})", self.failed.len())));
        for f in &self.failed {
            let row = f.row.map_or_else(|| "-".into(), |r| r.to_string());
            out.push(item(
                &format!("row {row} {}", f.case),
                crate::text::one_line(&f.reason),
            ));
        }
        out
    }

    pub fn markdown(&self, title: &str) -> String {
        let mut s = format!("# {}\n\n", crate::text::one_line(title));
        for l in self.lines(true) {
            s.push_str(&l);
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::summary::Summary;

    fn entry(key: &str, row: u64) -> Entry {
        Entry {
            row: Some(row),
            path: None,
            key: key.into(),
            failed: None,
            asked: None,
        }
    }

    #[test]
    fn totals_count_what_the_cases_hold() {
        let e = [entry("a", 1), entry("b", 2), entry("c", 3)];
        let s = |intention: &str, mismatch: &[&str], watch: Vec<usize>| {
            Read::Done(Box::new(Summary {
                intention: intention.into(),
                qa_mismatch: mismatch.iter().map(|s| s.to_string()).collect(),
                watch,
                ..Summary::default()
            }))
        };
        let reads = [
            s("A", &["dob"], vec![2, 0]),
            s("", &["dob", "id"], vec![1, 1]),
            Read::Failed("lookup failed: HTTP 500".into()),
        ];
        let mark = Mark {
            row: Some(1),
            workflow_id: String::new(),
            node_id: String::new(),
            callee: String::new(),
            case_id: None,
            verdict: Some(Verdict::Fail),
            note: "x".into(),
            at: String::new(),
            case: "a".into(),
        };
        let cases = e
            .iter()
            .zip(&reads)
            .enumerate()
            .map(|(i, (entry, read))| Case {
                entry,
                read,
                mark: (i == 0).then_some(&mark),
            });
        let t = Totals::of(cases, &["lawyer".into(), "complaint".into()]);
        assert_eq!((t.cases, t.reviewed, t.fail, t.noted), (3, 1, 1, 1));
        assert_eq!(t.intention.get("A"), Some(&1));
        assert_eq!(t.intention.get(NONE), Some(&1));
        assert_eq!(t.qa_mismatch.get("dob"), Some(&2));
        assert_eq!(t.watch[0], ("lawyer".into(), 3, 2));
        assert_eq!(t.watch[1], ("complaint".into(), 1, 1));
        assert_eq!(t.failed.len(), 1);
        let j = t.to_json();
        assert_eq!(j["watch"]["lawyer"]["hits"], 3);
        assert_eq!(j["watch"]["lawyer"]["cases"], 2);
        assert_eq!(j["verdicts"]["fail"], 1);
        assert_eq!(j["failed"][0]["row"], 3);
        let md = t.markdown("Review of x");
        assert!(md.contains("## Watch words") && md.contains("- lawyer: 3 hits in 2 cases"));
    }
}
