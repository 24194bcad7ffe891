//! Where the transcript's turns fall on screen: each turn's wrapped height at a width, the
//! line of a character in it, and scrolling over the listed entries by lines (`Pager`). No
//! drawing: the tab's keys move by these, and the screen prints from where they leave the
//! view.

use crate::api::model::AsrItem;
use crate::app::Loaded;
use crate::case::time::clock;
use crate::case::transcript::{Entry, Speaker, Transcript, text};
use crate::text::clean;

mod long_turn;
pub(crate) use long_turn::{LongLayout, LongTurns};

/// Width of `◆ Robot   ` and `● Callee  `.
pub const NAME_W: usize = 10;
/// How far callee turns sit to the right of robot turns.
pub const CALLEE_INDENT: usize = 4;
#[cfg(test)]
thread_local! {
    /// Wraps done on this thread, so tests can check that work stays within a screen.
    pub(crate) static WRAPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Bytes those wraps went over.
    pub(crate) static WRAPPED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg_attr(not(test), allow(unused_variables))]
fn count_wrap(s: &str) {
    #[cfg(test)]
    {
        WRAPS.with(|c| c.set(c.get() + 1));
        WRAPPED.with(|c| c.set(c.get() + s.len()));
    }
}

pub fn wrap_text(s: &str, w: usize) -> Vec<&str> {
    count_wrap(s);
    crate::text::wrap(s, w)
}

pub fn items(l: &Loaded) -> &[AsrItem] {
    &l.data().call.asr_result.items
}

/// Columns of the list at one width.
#[derive(Debug, Clone, Copy)]
pub struct Geo {
    pub width: usize,
    pub time_w: usize,
}

impl Geo {
    pub fn new(t: &Transcript, width: u16) -> Self {
        // Entries come in time order; the last ones tell how wide the times get.
        let last = t
            .entries
            .iter()
            .rev()
            .take(64)
            .filter_map(Entry::at)
            .max()
            .unwrap_or(0);
        Geo {
            width: width as usize,
            time_w: clock(last).len().max(5),
        }
    }

    pub fn indent(s: Speaker) -> usize {
        match s {
            Speaker::Robot => 0,
            Speaker::Callee => CALLEE_INDENT,
        }
    }

    /// Columns before the words: indent, bar and space, time and space, name.
    pub fn prefix(&self, s: Speaker) -> usize {
        Geo::indent(s) + 2 + self.time_w + 1 + NAME_W
    }

    pub fn text_width(&self, s: Speaker) -> usize {
        self.width.saturating_sub(self.prefix(s)).max(10)
    }
}

pub fn is_ptp(l: &Loaded, e: usize) -> bool {
    l.views
        .transcript
        .ptp
        .as_ref()
        .is_some_and(|p| p.entry == Some(e))
}

/// Lines an entry takes at this width.
pub fn height(l: &Loaded, e: usize, geo: Geo) -> usize {
    let entry = &l.facts.transcript.entries[e];
    match entry {
        Entry::Silence { .. } => 1,
        Entry::Turn { speaker, .. } => {
            let w = geo.text_width(*speaker);
            let lines = match long_layout(l, e, w) {
                Some(lay) => lay.lines,
                None => wrap_text(&clean(text(entry, items(l))), w).len(),
            };
            lines + is_ptp(l, e) as usize
        }
    }
}

/// The wrapped line of an entry that holds a character offset of its text.
pub fn line_of(l: &Loaded, e: usize, char_pos: usize, geo: Geo) -> usize {
    let entry = &l.facts.transcript.entries[e];
    let Entry::Turn { speaker, .. } = entry else {
        return 0;
    };
    let w = geo.text_width(*speaker);
    if let Some(lay) = long_layout(l, e, w) {
        return lay.line_of(lay.text(text(entry, items(l))), char_pos);
    }
    let s = clean(text(entry, items(l)));
    let byte = s.char_indices().nth(char_pos).map_or(s.len(), |(b, _)| b);
    let pieces = wrap_text(&s, w);
    let base = s.as_ptr() as usize;
    pieces
        .iter()
        .rposition(|p| p.as_ptr() as usize - base <= byte)
        .unwrap_or(0)
}

/// The lazy layout of entry `e` at text width `w` when it is a turn longer than
/// [`LONG_TURN`], from the view's cache (built on first use).
pub(crate) fn long_layout(l: &Loaded, e: usize, w: usize) -> Option<std::sync::Arc<LongLayout>> {
    let raw = text(&l.facts.transcript.entries[e], items(l));
    l.views.transcript.long.get(e, raw, w)
}

/// Scrolling over the filtered list: positions are `(entry position, line in it)`.
pub(crate) struct Pager<'a> {
    l: &'a Loaded,
    pub(crate) geo: Geo,
    pub(crate) page: usize,
    pub(crate) len: usize,
}

pub(crate) type At = (usize, usize);

impl<'a> Pager<'a> {
    pub(crate) fn new(l: &'a Loaded, w: u16, h: u16) -> Self {
        let t = &l.facts.transcript;
        Pager {
            l,
            geo: Geo::new(t, w),
            page: list_height(l, w, h),
            len: l.views.transcript.len(t),
        }
    }

    pub(crate) fn h(&self, pos: usize) -> usize {
        height(self.l, self.l.views.transcript.entry_at(pos), self.geo).max(1)
    }

    /// Lines from `at` to the end, counted up to `limit`.
    pub(crate) fn lines_below(&self, (top, line): At, limit: usize) -> usize {
        let mut n = 0;
        let mut p = top;
        while p < self.len && n < limit {
            n += self.h(p) - if p == top { line } else { 0 };
            p += 1;
        }
        n
    }

    /// The position that shows the end of the list on the last line.
    pub(crate) fn bottom(&self) -> At {
        let mut acc = 0;
        let mut p = self.len;
        while p > 0 {
            p -= 1;
            acc += self.h(p);
            if acc >= self.page {
                return (p, acc - self.page);
            }
        }
        (0, 0)
    }

    /// In range, and never past the point where the end reaches the last line.
    pub(crate) fn clamp(&self, (top, line): At) -> At {
        if self.len == 0 {
            return (0, 0);
        }
        let top = top.min(self.len - 1);
        let line = line.min(self.h(top) - 1);
        if self.lines_below((top, line), self.page) < self.page {
            return self.bottom();
        }
        (top, line)
    }

    pub(crate) fn down(&self, (mut top, mut line): At, mut n: usize) -> At {
        while n > 0 && top < self.len {
            let rest = self.h(top) - 1 - line.min(self.h(top) - 1);
            if n <= rest {
                line += n;
                break;
            }
            if top + 1 >= self.len {
                line += rest;
                break;
            }
            n -= rest + 1;
            top += 1;
            line = 0;
        }
        self.clamp((top, line))
    }

    pub(crate) fn up(&self, (mut top, mut line): At, mut n: usize) -> At {
        while n > 0 {
            if n <= line {
                line -= n;
                break;
            }
            n -= line + 1;
            if top == 0 {
                line = 0;
                break;
            }
            top -= 1;
            line = self.h(top) - 1;
        }
        (top, line)
    }

    /// Scrolls the least so that lines `a..b` of the entry at `pos` are on screen (their
    /// first line when they do not fit).
    pub(crate) fn reveal(&self, at: At, pos: usize, a: usize, b: usize) -> At {
        let (top, line) = at;
        if pos < top || (pos == top && a < line) {
            return self.clamp((pos, a));
        }
        let end = if pos == top {
            b.saturating_sub(line)
        } else {
            let mut d = 0;
            let mut p = top;
            while p < pos && d <= self.page {
                d += self.h(p) - if p == top { line } else { 0 };
                p += 1;
            }
            if p < pos { usize::MAX } else { d + b }
        };
        if end <= self.page {
            return at;
        }
        if b - a > self.page {
            return self.clamp((pos, a));
        }
        self.clamp(self.up((pos, b - 1), self.page - 1))
    }

    pub(crate) fn reveal_entry(&self, at: At, pos: usize) -> At {
        let h = self.h(pos);
        self.reveal(at, pos, 0, h)
    }

    /// The first entry whose first line is on screen.
    pub(crate) fn first_starting(&self, (top, line): At) -> usize {
        if line == 0 {
            top
        } else {
            (top + 1).min(self.len - 1)
        }
    }
}

/// Rows left for the turns under the header.
fn list_height(l: &Loaded, w: u16, h: u16) -> usize {
    (h as usize)
        .saturating_sub(super::transcript_header::height(l, w))
        .max(1)
}
