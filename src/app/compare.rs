//! The Diff view: the push on screen against the API's record of it (`v`), this answer against
//! the previous one of the same case (`d`), or two files (`open A B`).

use super::*;

/// What the Diff view compares and how far it got.
#[derive(Debug)]
pub enum CompareState {
    /// Waiting for the API's record (request `id`).
    Pending(u64),
    Ready(Vec<crate::case::diff::Change>),
    Failed(String),
}

/// The Diff view: two documents of one case, field by field.
#[derive(Debug)]
pub struct Comparison {
    /// What the left side is ("the push in push.json").
    pub left: String,
    /// What the right side is ("the API's record").
    pub right: String,
    pub state: CompareState,
    pub scroll: views::Scroll,
}

impl Comparison {
    pub fn ready(left: String, right: String, a: &[u8], b: &[u8]) -> Self {
        let state = match crate::case::diff::diff_bodies(a, b) {
            Ok(c) => CompareState::Ready(c),
            Err(e) => CompareState::Failed(e),
        };
        Comparison {
            left,
            right,
            state,
            scroll: views::Scroll::default(),
        }
    }
}

impl App {
    /// Opens the Diff view on a second document (`open A.json B.json`).
    pub fn with_comparison(mut self, other: &Answer, left: String, right: String) -> Self {
        // The answer as received, also when masked (the Diff view masks what it shows).
        if let Some(l) = self.original() {
            self.compare = Some(Comparison::ready(
                left,
                right,
                &l.answer.exchange.body,
                &other.exchange.body,
            ));
            self.tab = Tab::Diff;
        }
        self
    }

    pub(super) fn on_record(&mut self, id: u64, result: Result<Answer, ApiError>) {
        if !matches!(&self.compare, Some(c) if matches!(c.state, CompareState::Pending(p) if p == id))
        {
            return;
        }
        let state = match (result, self.original()) {
            (Ok(record), Some(l)) => {
                match crate::case::diff::diff_bodies(&l.answer.exchange.body, &record.exchange.body)
                {
                    Ok(changes) => CompareState::Ready(changes),
                    Err(e) => CompareState::Failed(e),
                }
            }
            (Ok(_), None) => CompareState::Failed("nothing on screen to compare".into()),
            (Err(e), _) => CompareState::Failed(format!("{} — {}", e.message(), e.hint())),
        };
        if let Some(c) = self.compare.as_mut() {
            c.state = state;
        }
    }

    /// `v`: the push on screen (from a file) against the API's record of it.
    pub(super) fn verify_loaded(&mut self) -> Vec<Effect> {
        let original = self.original();
        let Some(l) = original.as_ref() else {
            return Vec::new();
        };
        let Source::File { path } = &l.source else {
            self.notice = Some(Notice {
                text: "v compares a push opened from a file with the API's record; this answer is the record".into(),
                warn: true,
            });
            return Vec::new();
        };
        let left = format!("the push in {}", crate::text::one_line(path));
        let right = "the API's record".to_string();
        let query = match Query::from_push(l.data()) {
            Ok(q) => q,
            Err(e) => {
                self.compare = Some(Comparison {
                    left,
                    right,
                    state: CompareState::Failed(e.message()),
                    scroll: views::Scroll::default(),
                });
                self.tab = Tab::Diff;
                return Vec::new();
            }
        };
        if let Some(e) = &self.context.cannot_query {
            self.compare = Some(Comparison {
                left,
                right,
                state: CompareState::Failed(format!("{} — {}", e.message(), e.hint())),
                scroll: views::Scroll::default(),
            });
            self.tab = Tab::Diff;
            return Vec::new();
        }
        let id = self.next_id;
        self.next_id += 1;
        self.compare = Some(Comparison {
            left,
            right,
            state: CompareState::Pending(id),
            scroll: views::Scroll::default(),
        });
        self.tab = Tab::Diff;
        vec![Effect::Verify { id, query }]
    }

    /// `d`: this answer against the previous one for the same case.
    pub(super) fn diff_previous(&mut self) {
        let original = self.original();
        match (self.previous.as_ref(), original.as_ref()) {
            (Some(prev), Some(now)) => {
                let at = |l: &Loaded| l.answer.exchange.received_at.format("%H:%M:%S").to_string();
                self.compare = Some(Comparison::ready(
                    format!("the answer of {}", at(prev)),
                    format!("the answer of {}", at(now)),
                    &prev.answer.exchange.body,
                    &now.answer.exchange.body,
                ));
                self.tab = Tab::Diff;
            }
            _ => {
                self.notice = Some(Notice {
                    text: "d compares with the previous answer for the same case: ask again (Enter in the form) first".into(),
                    warn: true,
                });
            }
        }
    }
}
