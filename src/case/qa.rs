//! Verification questions: what each result means, and the tally of a call.

use crate::api::model::QuestionAnswer;
use crate::api::tolerant::Scalar;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Match,
    Mismatch,
    /// A value that is neither (shown as sent).
    Other,
    /// No result given.
    Empty,
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub fn verdict(result: &Scalar) -> Verdict {
    let Some(v) = result.value() else {
        return Verdict::Empty;
    };
    match squash(v).as_str() {
        "match" | "matched" | "pass" | "passed" => Verdict::Match,
        "mismatch" | "mismatched" | "notmatch" | "notmatched" | "nomatch" | "unmatch"
        | "unmatched" | "fail" | "failed" => Verdict::Mismatch,
        _ => Verdict::Other,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    Yes,
    No,
    Unknown,
}

pub fn answered(whether_answer: &Scalar) -> Answered {
    let Some(v) = whether_answer.value() else {
        return Answered::Unknown;
    };
    match squash(v).as_str() {
        "answered" | "yes" | "true" | "1" | "y" => Answered::Yes,
        "notanswered" | "unanswered" | "noanswer" | "no" | "false" | "0" | "n" => Answered::No,
        _ => Answered::Unknown,
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    pub matched: usize,
    pub mismatched: usize,
    pub other: usize,
    pub empty: usize,
    pub answered: usize,
    pub unanswered: usize,
}

impl Tally {
    pub fn of(items: &[QuestionAnswer]) -> Self {
        let mut t = Tally {
            total: items.len(),
            ..Tally::default()
        };
        for q in items {
            match verdict(&q.verification_results) {
                Verdict::Match => t.matched += 1,
                Verdict::Mismatch => t.mismatched += 1,
                Verdict::Other => t.other += 1,
                Verdict::Empty => t.empty += 1,
            }
            match answered(&q.whether_answer) {
                Answered::Yes => t.answered += 1,
                Answered::No => t.unanswered += 1,
                Answered::Unknown => {}
            }
        }
        t
    }

    /// `3 match / 1 mismatch / 1 other / 1 no result of 6 questions; 5 answered, 1 not`.
    pub fn line(&self) -> String {
        if self.total == 0 {
            return "no questions".into();
        }
        let mut parts = vec![
            format!("{} match", self.matched),
            format!("{} mismatch", self.mismatched),
        ];
        if self.other > 0 {
            parts.push(format!("{} other", self.other));
        }
        if self.empty > 0 {
            parts.push(format!("{} no result", self.empty));
        }
        let noun = if self.total == 1 {
            "question"
        } else {
            "questions"
        };
        let mut s = format!("{} of {} {noun}", parts.join(" / "), self.total);
        s.push_str(&format!("; {} answered", self.answered));
        if self.unanswered > 0 {
            s.push_str(&format!(", {} not", self.unanswered));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qa(result: &str, answered: &str) -> QuestionAnswer {
        QuestionAnswer {
            verification_results: Scalar::from(result),
            whether_answer: Scalar::from(answered),
            ..QuestionAnswer::default()
        }
    }

    #[test]
    fn verdicts_in_their_spellings() {
        assert_eq!(verdict(&Scalar::from("Match")), Verdict::Match);
        assert_eq!(verdict(&Scalar::from("MisMatch")), Verdict::Mismatch);
        assert_eq!(verdict(&Scalar::from("Not Match")), Verdict::Mismatch);
        assert_eq!(verdict(&Scalar::from("not_matched")), Verdict::Mismatch);
        assert_eq!(verdict(&Scalar::from("Partial")), Verdict::Other);
        assert_eq!(verdict(&Scalar::from("  ")), Verdict::Empty);
        assert_eq!(verdict(&Scalar::Null), Verdict::Empty);
    }

    #[test]
    fn tally_counts_everything() {
        let items = vec![
            qa("Match", "Answered"),
            qa("Match", "Answered"),
            qa("Mismatch", "Answered"),
            qa("Partial", "NotAnswered"),
            qa("", ""),
        ];
        let t = Tally::of(&items);
        assert_eq!(
            t,
            Tally {
                total: 5,
                matched: 2,
                mismatched: 1,
                other: 1,
                empty: 1,
                answered: 3,
                unanswered: 1
            }
        );
        assert_eq!(
            t.line(),
            "2 match / 1 mismatch / 1 other / 1 no result of 5 questions; 3 answered, 1 not"
        );
        assert_eq!(Tally::of(&[]).line(), "no questions");
    }
}
