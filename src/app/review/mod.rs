//! A review of many cases (`rudder-inspect review DIR`): the case list in place of the form,
//! each case opened in the six tabs with the tab, the transcript's filter and the searches
//! kept from case to case, and the reviewer's verdicts and notes, each saved at once.
//!
//! What a case is, how it is summed up and where verdicts go is `crate::review`; this is the
//! state of the screen and what the keys do to it.

pub mod jobs;
mod keys;
pub mod list;

use std::path::PathBuf;

use ratatui_textarea::TextArea;

use super::views::Scroll;
use super::{App, Effect, Focus, Loaded, Notice};
use crate::review::listing::{Entry, Listing};
use crate::review::marks::{Mark, Marks, Verdict};
use crate::review::report::{Case, Totals};
use crate::review::summary::Read;
use list::{ListView, Rows};

/// What the review shows.
#[derive(Debug)]
pub enum Screen {
    /// The case list.
    List,
    /// The case opened, in the tabs.
    Case,
    /// The review's figures, scrolled.
    Figures(Scroll),
}

/// The `i` field: the note of the case at `index` being written.
#[derive(Debug)]
pub struct Note {
    pub index: usize,
    pub field: TextArea<'static>,
}

#[derive(Debug)]
pub struct Review {
    /// What the review was opened on, as given (the list's title).
    pub title: String,
    pub marks_path: PathBuf,
    pub entries: Vec<Entry>,
    pub reads: Vec<Read>,
    /// Each case's verdict and note, by entry.
    pub marks: Vec<Option<Mark>>,
    pub watch_words: Vec<String>,
    pub screen: Screen,
    pub list: ListView,
    /// The case on screen in the tabs.
    pub open: Option<usize>,
    /// The case being read: its job and its entry.
    pub opening: Option<(u64, usize)>,
    pub note: Option<Note>,
    /// The job summing up the cases, while it runs.
    pub summarising: Option<u64>,
    /// Cases not summed up yet.
    pub unread: usize,
    /// Each row's text as the filter matches it, made when first needed and forgotten when
    /// the row changes (`None`), for names masked or not as `texts_masked` says.
    texts: Vec<Option<String>>,
    texts_masked: bool,
}

/// One row of the list as shown: the cells in the order of [`list::Column::ALL`].
pub type Cells = [String; 10];

impl Review {
    /// Cases with a verdict.
    pub fn reviewed(&self) -> usize {
        self.marks
            .iter()
            .filter(|m| m.as_ref().is_some_and(|m| m.verdict.is_some()))
            .count()
    }

    pub fn cases(&self) -> impl Iterator<Item = Case<'_>> {
        self.entries
            .iter()
            .zip(&self.reads)
            .zip(&self.marks)
            .map(|((entry, read), mark)| Case {
                entry,
                read,
                mark: mark.as_ref(),
            })
    }

    pub fn totals(&self) -> Totals {
        Totals::of(self.cases(), &self.watch_words)
    }

    /// The cells of entry `i`, names and numbers masked when `masked`.
    pub fn cells(&self, i: usize, masked: bool) -> Cells {
        let e = &self.entries[i];
        let row = e.row.map_or_else(|| "-".into(), |r| r.to_string());
        let mark = self.marks[i].as_ref();
        let verdict = match mark {
            Some(m) => {
                let v = m.verdict.map_or("", Verdict::symbol);
                let note = if m.note.trim().is_empty() { "" } else { " ✎" };
                format!("{v}{note}").trim().to_string()
            }
            None => String::new(),
        };
        let clean = |s: &str| crate::text::one_line(s);
        match &self.reads[i] {
            Read::Done(s) => {
                let (name, number) = if masked {
                    (
                        crate::mask::name(&s.callee_name),
                        crate::mask::phone(&s.callee_number),
                    )
                } else {
                    (s.callee_name.clone(), s.callee_number.clone())
                };
                [
                    row,
                    clean(&name),
                    clean(&number),
                    clean(&s.intention),
                    clean(&s.hangup_type),
                    s.duration
                        .and_then(|d| u32::try_from(d).ok())
                        .map_or_else(|| "–".into(), crate::case::time::clock),
                    s.qa_cell(),
                    s.turns.to_string(),
                    s.watch_hits().to_string(),
                    verdict,
                ]
            }
            other => {
                let why = match other {
                    Read::Failed(why) => format!("✗ {}", clean(why)),
                    _ => "reading…".into(),
                };
                let key = if masked {
                    crate::review::listing::masked_key(&e.key)
                } else {
                    clean(&e.key)
                };
                [
                    row,
                    why,
                    key,
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    verdict,
                ]
            }
        }
    }

    /// Forgets row `i`'s text (its summary or mark changed).
    fn changed(&mut self, i: usize) {
        if let Some(t) = self.texts.get_mut(i) {
            *t = None;
        }
    }

    /// Orders the list again (`to_best`: the typed filter changed, select its best match).
    pub fn reorder(&mut self, masked: bool, to_best: bool) {
        if self.texts.len() != self.entries.len() || self.texts_masked != masked {
            self.texts = vec![None; self.entries.len()];
            self.texts_masked = masked;
        }
        if !self.list.filter.query.trim().is_empty() {
            for i in 0..self.entries.len() {
                if self.texts[i].is_none() {
                    self.texts[i] = Some(self.cells(i, masked).join(" "));
                }
            }
        }
        let mut list = std::mem::take(&mut self.list);
        let text = |i: usize| self.texts[i].clone().unwrap_or_default();
        let rows = Rows {
            entries: &self.entries,
            reads: &self.reads,
            marks: &self.marks,
            text: &text,
        };
        list.reorder(&rows, to_best);
        self.list = list;
    }

    /// The case verdicts and notes act on: the one open, else the one selected.
    pub fn current(&self) -> Option<usize> {
        match self.screen {
            Screen::Case => self.open,
            _ => self.list.selected(),
        }
    }

    /// Where the case on screen (or selected) is in the list, and how many the list shows.
    pub fn place(&self) -> Option<(usize, usize)> {
        let i = self.current()?;
        Some((self.list.position(i)? + 1, self.list.order.len()))
    }

    /// The ids a verdict line names: the answer's, else the batch's, else none.
    fn ids(&self, i: usize) -> crate::api::Query {
        match &self.reads[i] {
            Read::Done(s) => s.ids.clone(),
            _ => self.entries[i].asked.clone().unwrap_or_default(),
        }
    }
}

impl App {
    /// Opens on the case list of `listing`, with the verdicts already given; the effect sums
    /// the cases up off the UI thread.
    pub fn with_review(
        mut self,
        listing: Listing,
        marks: Marks,
        title: String,
    ) -> (Self, Vec<Effect>) {
        let marks_path = listing.marks_path();
        let mut by_case = marks.by_case;
        let reads: Vec<Read> = listing
            .entries
            .iter()
            .map(|e| match &e.failed {
                Some(why) => Read::Failed(why.clone()),
                None => Read::Pending,
            })
            .collect();
        let entry_marks = listing
            .entries
            .iter()
            .map(|e| by_case.remove(&e.key))
            .collect();
        let pending: Vec<(usize, Entry)> = listing
            .entries
            .iter()
            .enumerate()
            .filter(|(i, _)| reads[*i] == Read::Pending)
            .map(|(i, e)| (i, e.clone()))
            .collect();
        let id = self.next_id;
        self.next_id += 1;
        let mut review = Review {
            title,
            marks_path,
            unread: pending.len(),
            entries: listing.entries,
            reads,
            marks: entry_marks,
            watch_words: self.context.watch_words.clone(),
            screen: Screen::List,
            list: ListView::default(),
            open: None,
            opening: None,
            note: None,
            summarising: (!pending.is_empty()).then_some(id),
            texts: Vec::new(),
            texts_masked: false,
        };
        review.reorder(false, false);
        let said: Vec<String> = listing.warnings.into_iter().chain(marks.problems).collect();
        if !said.is_empty() {
            self.notice = Some(Notice {
                text: crate::text::one_line(&said.join("; ")),
                warn: true,
            });
        }
        let effects = if pending.is_empty() {
            Vec::new()
        } else {
            vec![Effect::Summarise(Box::new(jobs::SummaryJob {
                id,
                entries: pending,
                watch_words: review.watch_words.clone(),
            }))]
        };
        self.review = Some(Box::new(review));
        self.show_form = false;
        self.focus = Focus::Result;
        (self, effects)
    }

    /// Summaries arrived: put them in the list, the selection staying on its case.
    pub(super) fn on_summaries(&mut self, id: u64, reads: jobs::Summaries) {
        let masked = self.masked();
        let Some(r) = self
            .review
            .as_deref_mut()
            .filter(|r| r.summarising == Some(id))
        else {
            return;
        };
        for (i, read) in reads {
            if let Some(slot) = r.reads.get_mut(i) {
                *slot = read;
                r.unread = r.unread.saturating_sub(1);
                r.changed(i);
            }
        }
        if r.unread == 0 {
            r.summarising = None;
        }
        r.reorder(masked, false);
    }

    /// Reads case `i` for the tabs (the case on screen stays until it is read).
    pub(super) fn open_case(&mut self, i: usize) -> Vec<Effect> {
        let id = self.next_id;
        let Some(r) = self.review.as_deref_mut() else {
            return Vec::new();
        };
        r.list.select_entry(i);
        let Some(path) = r.entries.get(i).and_then(|e| e.path.clone()) else {
            return Vec::new();
        };
        if let Read::Failed(why) = &r.reads[i] {
            let text = format!(
                "row {}: {}",
                r.cells(i, false)[0],
                crate::text::one_line(why)
            );
            self.notice = Some(Notice { text, warn: true });
            return Vec::new();
        }
        self.next_id += 1;
        r.opening = Some((id, i));
        vec![Effect::OpenCase(Box::new(jobs::CaseJob {
            id,
            index: i,
            path,
        }))]
    }

    /// Case `index` was read: on screen in the tab the reviewer is on, with the transcript's
    /// filter and both searches of the case before.
    pub(super) fn on_case_read(
        &mut self,
        id: u64,
        index: usize,
        result: Result<Box<Loaded>, String>,
    ) -> Vec<Effect> {
        let masked = self.masked();
        let Some(r) = self
            .review
            .as_deref_mut()
            .filter(|r| r.opening == Some((id, index)))
        else {
            return Vec::new();
        };
        r.opening = None;
        let mut fresh = match result {
            Ok(l) => l,
            Err(why) => {
                let row = r.cells(index, false)[0].clone();
                r.reads[index] = Read::Failed(why.clone());
                r.changed(index);
                r.reorder(masked, false);
                self.notice = Some(Notice {
                    text: format!(
                        "row {row} could not be read: {}",
                        crate::text::one_line(&why)
                    ),
                    warn: true,
                });
                return Vec::new();
            }
        };
        r.open = Some(index);
        r.screen = Screen::Case;
        r.list.select_entry(index);
        // What the reviewer reads by is on the views on screen (the masked copy's, when
        // masking is on).
        if let Some(old) = self.loaded.as_deref() {
            keys::carry_reading(&old.views, &mut fresh);
        }
        self.previous = None;
        self.compare = None;
        self.failure = None;
        self.focus = Focus::Result;
        if self.tab == super::Tab::Diff {
            self.tab = super::Tab::Profile;
        }
        let effects: Vec<Effect> = self.install(*fresh).into_iter().collect();
        self.search_again();
        effects
    }

    /// `P` / `X` / `!`: the verdict of the current case (the same again takes it back).
    pub(super) fn give_verdict(&mut self, v: Verdict) -> Vec<Effect> {
        let Some(i) = self.review.as_deref().and_then(Review::current) else {
            return Vec::new();
        };
        let (old_v, note) = self.mark_of(i);
        let verdict = (old_v != Some(v)).then_some(v);
        let said = match verdict {
            Some(v) => format!("{} saved", v.word()),
            None => "verdict taken back".into(),
        };
        self.save_mark(i, verdict, note, &said)
    }

    fn mark_of(&self, i: usize) -> (Option<Verdict>, String) {
        let m = self.review.as_deref().and_then(|r| r.marks[i].as_ref());
        (
            m.and_then(|m| m.verdict),
            m.map(|m| m.note.clone()).unwrap_or_default(),
        )
    }

    /// Records the mark of case `i` and saves it.
    pub(super) fn save_mark(
        &mut self,
        i: usize,
        verdict: Option<Verdict>,
        note: String,
        said: &str,
    ) -> Vec<Effect> {
        let masked = self.masked();
        let at = self.now.to_rfc3339();
        let Some(r) = self.review.as_deref_mut() else {
            return Vec::new();
        };
        let ids = r.ids(i);
        let mark = Mark {
            row: r.entries[i].row,
            workflow_id: ids.workflow_id,
            node_id: ids.node_id,
            callee: ids.callee,
            case_id: ids.case_id,
            verdict,
            note,
            at,
            case: r.entries[i].key.clone(),
        };
        r.marks[i] = Some(mark.clone());
        r.changed(i);
        // The list keeps its order while the reviewer marks (a quick filter would hide the
        // row under the cursor): the new order comes with the next move of the filter.
        let row = r.cells(i, masked)[0].clone();
        self.notice = Some(Notice {
            text: format!(
                "row {row}: {said} ({}/{} reviewed)",
                r.reviewed(),
                r.entries.len()
            ),
            warn: false,
        });
        vec![Effect::SaveMark {
            path: r.marks_path.clone(),
            mark: Box::new(mark),
        }]
    }
}
