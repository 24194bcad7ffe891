//! The line index of the pretty form of a JSON text: where every 16th line of what the
//! printer ([`crate::json::pretty`]) makes of it starts (8 bytes each), so a screen prints
//! only the lines it shows and nothing holds a pretty copy of a big answer.

use std::fmt;

use crate::json::pretty::{self, LineStart, Sink, Skip};
use crate::text::clean_lines;

/// Lines between two kept line starts.
pub(crate) const STRIDE: usize = 16;

/// A kept line start, packed: source offset, and the indent with the closer flag on top.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    pos: u32,
    depth: u32,
}

const CLOSER: u32 = 1 << 31;

impl Mark {
    pub(crate) fn new(at: LineStart) -> Option<Mark> {
        let depth = u32::try_from(at.depth).ok().filter(|d| d & CLOSER == 0)?;
        Some(Mark {
            pos: u32::try_from(at.pos).ok()?,
            depth: depth | if at.closer { CLOSER } else { 0 },
        })
    }

    pub(crate) fn start(self) -> LineStart {
        LineStart {
            pos: self.pos as usize,
            depth: (self.depth & !CLOSER) as usize,
            closer: self.depth & CLOSER != 0,
        }
    }
}

/// The line index of the pretty form of an answer; the lines themselves are printed from
/// the answer's bytes when asked for (see [`Lines`]).
pub struct RawText {
    pub(crate) lines: usize,
    pub(crate) store: Store,
}

pub(crate) enum Store {
    /// Where every [`STRIDE`]th line starts in the answer's bytes.
    Marks(Vec<Mark>),
    /// The whole pretty text, sanitised, and where its lines start. Only for bodies the
    /// printer leaves control characters in (not JSON: controls outside strings, or after a
    /// backslash): those are cleaned as one text, as an escape sequence may span lines.
    Text { text: String, starts: Vec<u32> },
}

impl fmt::Debug for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, bytes) = match &self.store {
            Store::Marks(m) => ("marks", m.len() * size_of::<Mark>()),
            Store::Text { text, starts } => ("text", text.len() + starts.len() * 4),
        };
        f.debug_struct("RawText")
            .field("lines", &self.lines)
            .field(kind, &bytes)
            .finish()
    }
}

/// Byte offsets where each line of `s` starts.
pub(crate) fn line_starts(s: &str) -> Vec<u32> {
    let mut starts = Vec::with_capacity(s.len() / 24 + 1);
    starts.push(0);
    starts.extend(s.match_indices('\n').map(|(i, _)| (i + 1) as u32));
    starts
}

/// Notices what the sanitising of a whole text would have to deal with: a control character
/// (line breaks included: the printer makes its own), or a C1 control.
#[derive(Default)]
struct Check {
    prev: u8,
    bad: bool,
}

impl Sink for Check {
    #[inline]
    fn put(&mut self, b: u8) {
        self.bad |= b < 0x20 || (self.prev == 0xC2 && (0x80..=0x9F).contains(&b));
        self.prev = b;
    }
    #[inline]
    fn put_all(&mut self, s: &[u8]) {
        for &b in s {
            self.put(b);
        }
    }
    #[inline]
    fn spaces(&mut self, n: usize) {
        if n > 0 {
            self.prev = b' ';
        }
    }
}

impl RawText {
    /// Indexes the pretty form of `body`.
    pub fn build(body: &[u8]) -> RawText {
        RawText::build_releasing(body, None)
    }

    /// [`RawText::build`], handing a mapped body's pages back as the pass goes.
    pub fn build_releasing(body: &[u8], pages: Option<&crate::mapped::Pages>) -> RawText {
        let text = RawText::index(body, pages).unwrap_or_else(|| RawText::whole(body));
        if let Some(p) = pages {
            p.release(0..body.len());
        }
        text
    }

    /// One pass over `body` keeping every [`STRIDE`]th line start; `None` when the lines
    /// cannot be printed one by one (see [`Store::Text`]).
    pub(crate) fn index(body: &[u8], pages: Option<&crate::mapped::Pages>) -> Option<RawText> {
        if body.len() >= u32::MAX as usize {
            return None;
        }
        let mut released = 0;
        let mut marks = Vec::new();
        let mut check = Check::default();
        let mut lines = 0usize;
        let mut at = Some(LineStart::default());
        while let Some(start) = at {
            if lines.is_multiple_of(STRIDE) {
                marks.push(Mark::new(start)?);
                if let Some(p) = pages {
                    release_behind(p, &mut released, start.pos);
                }
            }
            check.prev = b'\n';
            at = pretty::line(body, start, &mut check);
            lines += 1;
            if check.bad {
                return None;
            }
        }
        marks.shrink_to_fit();
        Some(RawText {
            lines,
            store: Store::Marks(marks),
        })
    }

    /// The whole pretty text, sanitised as one.
    pub(crate) fn whole(body: &[u8]) -> RawText {
        let pretty = pretty::pretty(body);
        let mut text = clean_lines(&pretty).into_owned();
        // Offsets are u32: half the memory of usize for millions of lines.
        const MAX: usize = u32::MAX as usize;
        if text.len() > MAX {
            let mut cut = MAX - '…'.len_utf8();
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push('…');
        }
        let starts = line_starts(&text);
        RawText {
            lines: starts.len(),
            store: Store::Text { text, starts },
        }
    }

    pub fn line_count(&self) -> usize {
        self.lines
    }
}

/// The lines of the pretty form: the index with the bytes it indexes.
#[derive(Clone, Copy)]
pub struct Lines<'a> {
    index: &'a RawText,
    src: &'a [u8],
}

impl<'a> Lines<'a> {
    pub fn new(index: &'a RawText, src: &'a [u8]) -> Lines<'a> {
        Lines { index, src }
    }

    /// Never 0.
    pub fn count(&self) -> usize {
        self.index.lines
    }

    /// Line `i` without its line break; empty past the end.
    pub fn line(&self, i: usize) -> String {
        let mut out = String::new();
        self.cursor().read(i, &mut out);
        out
    }

    /// The whole pretty text, as [`line`](Self::line)s joined with line breaks.
    pub fn text(&self) -> String {
        match &self.index.store {
            Store::Marks(_) => pretty::pretty(self.src),
            Store::Text { text, .. } => text.clone(),
        }
    }

    pub(crate) fn cursor(&self) -> Cursor<'a> {
        Cursor {
            lines: *self,
            row: 0,
            at: Some(LineStart::default()),
            bytes: Vec::new(),
        }
    }
}

/// Reads lines, cheapest in order: going on from the last line read, or else from the
/// nearest kept start before the line.
pub(crate) struct Cursor<'a> {
    pub(crate) lines: Lines<'a>,
    /// The line `at` starts.
    pub(crate) row: usize,
    pub(crate) at: Option<LineStart>,
    pub(crate) bytes: Vec<u8>,
}

impl Cursor<'_> {
    /// Line `row` into `out` (replacing what it held); empty past the end.
    pub(crate) fn read(&mut self, row: usize, out: &mut String) {
        let mut bytes = std::mem::take(&mut self.bytes);
        bytes.clear();
        self.append(row, &mut bytes);
        out.clear();
        out.push_str(&String::from_utf8_lossy(&bytes));
        self.bytes = bytes;
    }

    /// Appends the bytes of line `row` to `out` (not yet checked to be UTF-8); nothing
    /// past the end.
    pub(crate) fn append(&mut self, row: usize, out: &mut Vec<u8>) {
        if row >= self.lines.count() {
            return;
        }
        let src = self.lines.src;
        match &self.lines.index.store {
            Store::Text { text, starts } => {
                let start = starts[row] as usize;
                let end = starts.get(row + 1).map_or(text.len(), |&e| e as usize - 1);
                out.extend_from_slice(&text.as_bytes()[start..end]);
            }
            Store::Marks(marks) => {
                if row < self.row || row / STRIDE != self.row / STRIDE || self.at.is_none() {
                    self.row = row / STRIDE * STRIDE;
                    self.at = marks.get(row / STRIDE).map(|m| m.start());
                }
                while self.row < row {
                    let Some(at) = self.at else { return };
                    self.at = pretty::line(src, at, &mut Skip);
                    self.row += 1;
                }
                let Some(at) = self.at else { return };
                self.at = pretty::line(src, at, out);
                self.row += 1;
            }
        }
    }
}

/// Hands back the pages before `pos` once a megabyte more is behind than last time.
pub(crate) fn release_behind(pages: &crate::mapped::Pages, released: &mut usize, pos: usize) {
    const STEP: usize = 1 << 20;
    if pos >= *released + STEP {
        pages.release(*released..pos);
        *released = pos;
    }
}
