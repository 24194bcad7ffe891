//! The case list's order: which cases show (a quick filter, then the fuzzy filter typed after
//! `/`), sorted by a column or by how well they match, and the selection kept on the same
//! case when the order changes.

use std::cmp::Ordering;

use super::super::views::{Nav, Select};
use crate::review::listing::Entry;
use crate::review::marks::{Mark, Verdict};
use crate::review::summary::Read;

/// The columns, in the order `o` steps through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Column {
    #[default]
    Row,
    Name,
    Number,
    Intention,
    Hangup,
    Duration,
    Qa,
    Turns,
    Watch,
    Verdict,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::Row,
        Column::Name,
        Column::Number,
        Column::Intention,
        Column::Hangup,
        Column::Duration,
        Column::Qa,
        Column::Turns,
        Column::Watch,
        Column::Verdict,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Row => "row",
            Column::Name => "callee",
            Column::Number => "number",
            Column::Intention => "intention",
            Column::Hangup => "hang-up",
            Column::Duration => "duration",
            Column::Qa => "Q&A",
            Column::Turns => "turns",
            Column::Watch => "watch",
            Column::Verdict => "verdict",
        }
    }

    fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }
}

/// Which cases the list shows before the typed filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quick {
    #[default]
    All,
    Unreviewed,
    Mismatch,
    Watch,
    Failed,
}

impl Quick {
    pub fn words(self) -> &'static str {
        match self {
            Quick::All => "all cases",
            Quick::Unreviewed => "unreviewed",
            Quick::Mismatch => "Q&A mismatches",
            Quick::Watch => "watch-word hits",
            Quick::Failed => "failed",
        }
    }

    fn keeps(self, read: &Read, mark: Option<&Mark>) -> bool {
        match self {
            Quick::All => true,
            Quick::Unreviewed => mark.and_then(|m| m.verdict).is_none(),
            Quick::Mismatch => matches!(read, Read::Done(s) if !s.qa_mismatch.is_empty()),
            Quick::Watch => matches!(read, Read::Done(s) if s.watch_hits() > 0),
            Quick::Failed => matches!(read, Read::Failed(_)),
        }
    }
}

/// The `/` filter of the list: its text, and whether it is being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub query: String,
    pub editing: bool,
}

/// What the list shows and where the selection is.
#[derive(Debug, Default)]
pub struct ListView {
    pub sort: Column,
    pub reversed: bool,
    pub quick: Quick,
    pub filter: Filter,
    /// Entry indices in the order shown.
    pub order: Vec<u32>,
    /// Byte ranges of each shown row's filter text that matched, by position in `order`
    /// (empty without a filter).
    pub marks: Vec<Vec<std::ops::Range<usize>>>,
    /// The selection, as a position in `order`.
    pub select: Select,
    /// The selection follows the best match of the typed filter (it was typed and the
    /// selection not moved since): cases summed up later can be better matches.
    follow_best: bool,
}

/// What the list needs of the review to order it.
pub struct Rows<'a> {
    pub entries: &'a [Entry],
    pub reads: &'a [Read],
    pub marks: &'a [Option<Mark>],
    /// Each row's text as shown (what the filter matches).
    pub text: &'a dyn Fn(usize) -> String,
}

impl ListView {
    /// The entry selected, if the list shows any.
    pub fn selected(&self) -> Option<usize> {
        self.order.get(self.select.selected).map(|&i| i as usize)
    }

    /// The position of entry `i` in the list, if shown.
    pub fn position(&self, i: usize) -> Option<usize> {
        self.order.iter().position(|&e| e as usize == i)
    }

    pub fn nav(&mut self, nav: Nav, page: usize) {
        self.follow_best = false;
        self.select.nav(nav, self.order.len(), page);
    }

    /// Selects the row at position `at` of the list (when there is one).
    pub fn select_position(&mut self, at: usize) {
        if at < self.order.len() {
            self.follow_best = false;
            self.select.selected = at;
        }
    }

    /// Selects entry `i` (when shown).
    pub fn select_entry(&mut self, i: usize) -> bool {
        self.follow_best = false;
        match self.position(i) {
            Some(p) => {
                self.select.selected = p;
                true
            }
            None => false,
        }
    }

    pub fn next_sort(&mut self) {
        self.sort = self.sort.next();
        self.reversed = false;
    }

    /// Orders the rows again, keeping the selection on the case it was on (or, after the
    /// typed filter changed, on the best match).
    pub fn reorder(&mut self, rows: &Rows<'_>, to_best: bool) {
        let keep = self.selected();
        let mut shown: Vec<u32> = (0..rows.entries.len())
            .filter(|&i| {
                self.quick
                    .keeps(&rows.reads[i], rows.marks.get(i).and_then(Option::as_ref))
            })
            .map(|i| i as u32)
            .collect();
        shown.sort_by(|&a, &b| {
            let o = compare(self.sort, rows, a as usize, b as usize);
            if self.reversed { o.reverse() } else { o }
        });
        if self.filter.query.trim().is_empty() {
            self.marks = Vec::new();
            self.order = shown;
        } else {
            // Best match first; ties keep the sorted order.
            let hits = crate::fuzzy::filter(
                shown.iter().map(|&i| (i as usize, i as usize)),
                &self.filter.query,
                |&i| (rows.text)(i),
            );
            self.order = hits.iter().map(|h| h.index as u32).collect();
            self.marks = hits.into_iter().map(|h| h.marks).collect();
        }
        if to_best {
            self.follow_best = true;
        }
        let best = self.follow_best && !self.filter.query.trim().is_empty();
        let pos = if best {
            Some(0)
        } else {
            keep.and_then(|k| self.position(k))
        };
        self.select.selected = pos
            .unwrap_or(self.select.selected)
            .min(self.order.len().saturating_sub(1));
    }
}

fn compare(by: Column, rows: &Rows<'_>, a: usize, b: usize) -> Ordering {
    let row = |i: usize| rows.entries[i].row;
    let done = |i: usize| match &rows.reads[i] {
        Read::Done(s) => Some(s),
        _ => None,
    };
    // Rows not read (or failed) after the others, whatever the column.
    let by_summary =
        |key: &dyn Fn(&crate::review::summary::Summary) -> Key| match (done(a), done(b)) {
            (Some(x), Some(y)) => key(x).cmp(&key(y)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
    let o = match by {
        Column::Row => Ordering::Equal,
        Column::Name => by_summary(&|s| Key::Text(s.callee_name.to_lowercase())),
        Column::Number => by_summary(&|s| Key::Text(s.callee_number.clone())),
        Column::Intention => by_summary(&|s| Key::Text(s.intention.clone())),
        Column::Hangup => by_summary(&|s| Key::Text(s.hangup_type.clone())),
        Column::Duration => by_summary(&|s| Key::Num(s.duration.unwrap_or(i64::MAX))),
        Column::Qa => by_summary(&|s| Key::Num(s.qa_mismatch.len() as i64)),
        Column::Turns => by_summary(&|s| Key::Num(s.turns as i64)),
        Column::Watch => by_summary(&|s| Key::Num(s.watch_hits() as i64)),
        Column::Verdict => verdict_rank(rows, a).cmp(&verdict_rank(rows, b)),
    };
    o.then_with(|| (row(a).is_none(), row(a)).cmp(&(row(b).is_none(), row(b))))
        .then(a.cmp(&b))
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Num(i64),
    Text(String),
}

/// Fail, flag, pass, then none: what needs a look first.
fn verdict_rank(rows: &Rows<'_>, i: usize) -> u8 {
    match rows
        .marks
        .get(i)
        .and_then(Option::as_ref)
        .and_then(|m| m.verdict)
    {
        Some(Verdict::Fail) => 0,
        Some(Verdict::Flag) => 1,
        Some(Verdict::Pass) => 2,
        None => 3,
    }
}
