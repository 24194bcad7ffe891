//! The Raw JSON tab's behaviour: its scroll, its `/` search and `n`/`N` over the lines of the
//! pretty form (indexed on first use, [`crate::json::lines`]), without drawing anything.
//!
//! A search goes over the lines and keeps, per line that matches, the line and the matches
//! before it, so the `k/N` counter and `n`/`N` need nothing more; the matches on screen are
//! found again when drawn. A longer query looks again only at the lines of the last one.

use std::fmt;

use crate::app::search::{Hit, Search};
use crate::app::views::Scroll;
use crate::app::{Loaded, Nav};
use crate::json::lines::{Lines, RawText, release_behind};
use crate::text::{fold, fold_str};

#[derive(Debug, Default)]
pub struct RawView {
    pub scroll: Scroll,
    pub search: Search,
    /// Where the lines of the pretty form start in the answer's bytes (no copy of the
    /// text), built the first time the tab is used. A pure cache of the answer's bytes, so
    /// drawing may fill it.
    pub text: std::sync::OnceLock<RawText>,
    /// Where the last query matched (lines and counts, the current match), so a longer
    /// query looks only at those lines. `search` keeps just the query being typed.
    pub matches: Matches,
}

/// `s` folded into `out` (replacing what it held), character by character so that
/// character positions match.
fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.extend(s.chars().map(fold));
    }
}

/// The matches of the last query: the lines with any, and how many come before each, so
/// that the counter and `n`/`N` need no more and a longer query only looks at these lines.
/// Matches on a line do not overlap; they are found again on the lines drawn.
#[derive(Default)]
pub struct Matches {
    /// The folded query these are for; empty for none.
    pub(crate) query: String,
    /// Its length in characters.
    pub(crate) len: usize,
    /// Lines with a match, in order.
    pub(crate) rows: Vec<u32>,
    /// Matches on the lines before each of `rows`.
    pub(crate) before: Vec<u32>,
    pub(crate) total: usize,
    /// The current match: an index in `rows` and which match on that line.
    pub(crate) current: Option<(usize, usize)>,
}

impl fmt::Debug for Matches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matches")
            .field("query", &self.query)
            .field("lines", &self.rows.len())
            .field("total", &self.total)
            .field("current", &self.current)
            .finish()
    }
}

impl Matches {
    /// [`Matches::find_releasing`] of a body in memory.
    #[cfg(test)]
    pub(crate) fn find(lines: Lines, query: String, only: Option<&[u32]>) -> Matches {
        Matches::find_releasing(lines, query, only, None)
    }

    /// Every match of the folded `query` on the lines, or only on `only` (the lines of a
    /// shorter query this one starts with). Lines are searched some 64 KiB at a time, joined
    /// with line breaks, which no query matches; a mapped body's pages are handed back as
    /// the lines are read.
    pub(crate) fn find_releasing(
        lines: Lines,
        query: String,
        only: Option<&[u32]>,
        pages: Option<&crate::mapped::Pages>,
    ) -> Matches {
        const BLOCK: usize = 64 * 1024;
        let mut released = 0;
        let mut m = Matches {
            len: query.chars().count(),
            query,
            ..Matches::default()
        };
        let mut rows: Box<dyn Iterator<Item = usize>> = match only {
            Some(only) => Box::new(only.iter().map(|&r| r as usize)),
            None => Box::new(0..lines.count()),
        };
        let mut cursor = lines.cursor();
        let mut block = Vec::with_capacity(BLOCK + 1024);
        let mut in_block = Vec::new();
        let mut folded = String::new();
        let query = std::mem::take(&mut m.query);
        let single = (m.len == 1).then(|| query.chars().next()).flatten();
        loop {
            block.clear();
            in_block.clear();
            while block.len() < BLOCK
                && let Some(row) = rows.next()
            {
                cursor.append(row, &mut block);
                block.push(b'\n');
                in_block.push(row);
            }
            if in_block.is_empty() {
                break;
            }
            if let (Some(p), Some(at)) = (pages, cursor.at) {
                release_behind(p, &mut released, at.pos);
            }
            fold_into(&String::from_utf8_lossy(&block), &mut folded);
            // Matches come in order: walk the lines along with them.
            let mut line = 0usize;
            let mut line_end = folded.find('\n').unwrap_or(folded.len());
            let mut on_line = 0usize;
            let mut at = |p: usize| {
                if p > line_end {
                    m.add(in_block[line], on_line);
                    on_line = 0;
                    while p > line_end {
                        line += 1;
                        line_end += 1 + folded[line_end + 1..].find('\n').unwrap_or(0);
                    }
                }
                on_line += 1;
            };
            // One character is found faster as a `char`.
            match single {
                Some(c) => folded.match_indices(c).for_each(|(p, _)| at(p)),
                None => folded
                    .match_indices(query.as_str())
                    .for_each(|(p, _)| at(p)),
            }
            m.add(in_block[line], on_line);
        }
        m.query = query;
        m.rows.shrink_to_fit();
        m.before.shrink_to_fit();
        m
    }

    /// Notes `n` matches on line `row`.
    pub(crate) fn add(&mut self, row: usize, n: usize) {
        if n > 0 {
            self.rows.push(row as u32);
            self.before
                .push(u32::try_from(self.total).unwrap_or(u32::MAX));
            self.total += n;
        }
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// Matches on the line at `i` in `rows`: at least one.
    pub(crate) fn on(&self, i: usize) -> usize {
        let next = self.before.get(i + 1).map_or(self.total, |&b| b as usize);
        next.saturating_sub(self.before[i] as usize).max(1)
    }

    /// Makes the first match on or after line `row` current (the first of all past the
    /// last).
    pub(crate) fn start_at(&mut self, row: usize) {
        self.current = (!self.rows.is_empty()).then(|| {
            let i = self.rows.partition_point(|&r| (r as usize) < row);
            (if i == self.rows.len() { 0 } else { i }, 0)
        });
    }

    /// `n`/`N`: the next or previous match, wrapping around.
    pub(crate) fn step(&mut self, forward: bool) {
        let Some((i, k)) = self.current else {
            self.start_at(0);
            return;
        };
        let last = self.rows.len() - 1;
        self.current = Some(if forward {
            if k + 1 < self.on(i) {
                (i, k + 1)
            } else {
                (if i == last { 0 } else { i + 1 }, 0)
            }
        } else if k > 0 {
            (i, k - 1)
        } else {
            let i = if i == 0 { last } else { i - 1 };
            (i, self.on(i) - 1)
        });
    }

    /// The line of the current match.
    pub fn current_row(&self) -> Option<usize> {
        self.current.map(|(i, _)| self.rows[i] as usize)
    }

    /// `3/17`, `0/0`.
    pub fn counter(&self) -> String {
        match self.current {
            Some((i, k)) => format!("{}/{}", self.before[i] as usize + k + 1, self.total),
            None => format!("0/{}", self.total),
        }
    }

    /// The current match, found again on its line.
    pub(crate) fn current_hit(&self, lines: Lines) -> Option<Hit> {
        let (i, k) = self.current?;
        let row = self.rows[i] as usize;
        self.hits(row, &lines.line(row)).into_iter().nth(k)
    }

    /// The matches on `line`, which is line `row`: character columns, not overlapping.
    pub(crate) fn hits(&self, row: usize, line: &str) -> Vec<Hit> {
        let mut folded = String::new();
        fold_into(line, &mut folded);
        let mut hits = Vec::new();
        let (mut byte, mut col) = (0usize, 0usize);
        for (p, _) in folded.match_indices(self.query.as_str()) {
            col += folded[byte..p].chars().count();
            byte = p;
            hits.push(Hit {
                row,
                start: col,
                len: self.len,
            });
        }
        hits
    }
}

/// The tab's lines, indexed on first use.
pub fn raw_lines(loaded: &Loaded) -> Lines<'_> {
    let body = &loaded.answer.exchange.body;
    let index = built(&loaded.views.raw.text, body, loaded.pages.as_ref());
    Lines::new(index, body)
}

/// The line index, built on first use. Building reads the whole body: a mapped file's
/// pages are handed back after, and only the lines drawn bring theirs in again.
fn built<'a>(
    cell: &'a std::sync::OnceLock<RawText>,
    body: &[u8],
    pages: Option<&crate::mapped::Pages>,
) -> &'a RawText {
    cell.get_or_init(|| RawText::build_releasing(body, pages))
}

/// The matches of the search shown, if they are for its query.
pub fn active(raw: &RawView) -> Option<&Matches> {
    let m = &raw.matches;
    (raw.search.is_active() && !m.query.is_empty() && m.query == fold_str(&raw.search.query))
        .then_some(m)
}

/// Lines of JSON on screen: the tab's height less the header.
pub fn page(h: u16) -> usize {
    (h as usize).saturating_sub(1).max(1)
}

/// Scrolls so `row` is on screen, a third of the way down when it has to move.
fn reveal(scroll: &mut Scroll, row: usize, total: usize, page: usize) {
    let offset = scroll.offset();
    if row < offset || row >= offset + page {
        let max = total.saturating_sub(page);
        scroll.set_offset(row.saturating_sub(page / 3).min(max));
    }
}

pub fn nav(loaded: &mut Loaded, nav: Nav, h: u16) {
    let Loaded {
        answer,
        views,
        pages,
        ..
    } = loaded;
    let raw = &mut views.raw;
    // A resize clamps every tab: that alone does not build the index.
    if nav == Nav::Wheel(0) && raw.text.get().is_none() {
        return;
    }
    let text = built(&raw.text, &answer.exchange.body, pages.as_ref());
    raw.scroll.nav_in(nav, text.line_count(), page(h));
}

/// Recomputes the matches after the query changed: a longer query looks again only at the
/// lines of the last one, anything else at every line.
pub fn search(loaded: &mut Loaded, h: u16) {
    let Loaded {
        answer,
        views,
        pages,
        ..
    } = loaded;
    let raw = &mut views.raw;
    let body = &answer.exchange.body;
    let lines = Lines::new(built(&raw.text, body, pages.as_ref()), body);
    let query = fold_str(&raw.search.query);
    let old = std::mem::take(&mut raw.matches);
    if query.is_empty() || query.contains('\n') {
        return;
    }
    let only = (!old.query.is_empty() && query.starts_with(&old.query)).then_some(&old.rows[..]);
    let mut found = Matches::find_releasing(lines, query, only, pages.as_ref());
    drop(old);
    if let Some(p) = pages {
        p.release(0..body.len());
    }
    found.start_at(raw.scroll.offset());
    if let Some(row) = found.current_row() {
        reveal(&mut raw.scroll, row, lines.count(), page(h));
    }
    raw.matches = found;
}

/// `n`/`N`: the next or previous match, scrolled into view.
pub fn step_search(loaded: &mut Loaded, forward: bool, h: u16) {
    let raw = &mut loaded.views.raw;
    let (Some(text), true) = (raw.text.get(), active(raw).is_some_and(|m| m.total > 0)) else {
        return;
    };
    raw.matches.step(forward);
    if let Some(row) = raw.matches.current_row() {
        reveal(&mut raw.scroll, row, text.line_count(), page(h));
    }
}
