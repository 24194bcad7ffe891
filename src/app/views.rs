//! Per-tab view state: scroll offsets and selections. Rendering reads them; only `update`
//! changes them.

use std::cell::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Profile,
    Call,
    Redials,
    Qa,
    Transcript,
    Raw,
    /// Two documents of one case compared (only when there is a comparison).
    Diff,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Profile,
        Tab::Call,
        Tab::Redials,
        Tab::Qa,
        Tab::Transcript,
        Tab::Raw,
    ];

    pub fn index(self) -> usize {
        Tab::ALL
            .iter()
            .position(|t| *t == self)
            .unwrap_or(Tab::ALL.len())
    }

    pub fn from_index(i: usize) -> Tab {
        Tab::ALL[i % Tab::ALL.len()]
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Profile => "Profile",
            Tab::Call => "Call",
            Tab::Redials => "Redials",
            Tab::Qa => "Q&A",
            Tab::Transcript => "Transcript",
            Tab::Raw => "Raw JSON",
            Tab::Diff => "Diff",
        }
    }

    pub fn next(self) -> Tab {
        Tab::from_index(self.index() + 1)
    }

    pub fn prev(self) -> Tab {
        Tab::from_index(self.index() + Tab::ALL.len() - 1)
    }

    /// Tabs with `/` search.
    pub fn searchable(self) -> bool {
        matches!(self, Tab::Transcript | Tab::Raw)
    }
}

/// A movement key, as every tab understands it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Mouse wheel: scroll by lines without moving a selection.
    Wheel(i32),
}

/// A line-scrolled view. `update` moves the offset; the frame that draws the view settles it
/// against the lines it laid out ([`Scroll::settle`]) and keeps their count and the page's
/// height for the next move, so `update` never lays anything out to measure it (gitui's
/// `ScrollVertical`, slumber's `TextWindow`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scroll {
    offset: Cell<usize>,
    /// Lines and page height of the last frame that showed this view.
    drawn: Cell<Option<(usize, usize)>>,
}

impl Scroll {
    pub fn offset(&self) -> usize {
        self.offset.get()
    }

    pub fn set_offset(&mut self, offset: usize) {
        self.offset.set(offset);
    }

    /// Moves within `total` lines of which `page` are visible.
    pub fn nav_in(&mut self, nav: Nav, total: usize, page: usize) {
        let max = total.saturating_sub(page.max(1));
        let page = page.max(1);
        let offset = self.offset.get();
        self.offset.set(
            match nav {
                Nav::Up => offset.saturating_sub(1),
                Nav::Down => offset.saturating_add(1),
                Nav::PageUp => offset.saturating_sub(page.saturating_sub(1).max(1)),
                Nav::PageDown => offset.saturating_add(page.saturating_sub(1).max(1)),
                Nav::Top => 0,
                Nav::Bottom => max,
                Nav::Wheel(n) => offset.saturating_add_signed(n as isize),
            }
            .min(max),
        );
    }

    /// Moves by what the last frame showed; before any frame, `page` lines to a page and no
    /// end but the one the first frame settles.
    pub fn nav(&mut self, nav: Nav, page: usize) {
        match self.drawn.get() {
            Some((total, page)) => self.nav_in(nav, total, page),
            None => self.nav_in(nav, usize::MAX, page),
        }
    }

    /// While drawing: the offset within `total` lines of which `page` show, kept.
    pub fn settle(&self, total: usize, page: usize) -> usize {
        let offset = self.offset.get().min(total.saturating_sub(page.max(1)));
        self.offset.set(offset);
        self.drawn.set(Some((total, page)));
        offset
    }
}

/// A row selection with the first visible row. `update` moves the selection; the frame
/// settles which rows show ([`Select::settle`]) and keeps the page's height for paging.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Select {
    pub selected: usize,
    offset: Cell<usize>,
    /// Rows of the last frame that showed this list (0 before one).
    page: Cell<usize>,
}

impl Select {
    /// The first row on screen.
    pub fn offset(&self) -> usize {
        self.offset.get()
    }

    /// Moves within `total` rows, a page being what the last frame showed (`page` before
    /// one).
    pub fn nav(&mut self, nav: Nav, total: usize, page: usize) {
        if total == 0 {
            *self = Select::default();
            return;
        }
        let page = match self.page.get() {
            0 => page.max(1),
            drawn => drawn,
        };
        let last = total - 1;
        self.selected = match nav {
            Nav::Up => self.selected.saturating_sub(1),
            Nav::Down => self.selected.saturating_add(1),
            Nav::PageUp => self.selected.saturating_sub(page),
            Nav::PageDown => self.selected.saturating_add(page),
            Nav::Top => 0,
            Nav::Bottom => last,
            Nav::Wheel(n) => self.selected.saturating_add_signed(n as isize),
        }
        .min(last);
        self.keep(self.selected, page);
    }

    /// Scrolls so row `selected` is on screen.
    fn keep(&self, selected: usize, page: usize) {
        let page = page.max(1);
        let offset = self.offset.get();
        if selected < offset {
            self.offset.set(selected);
        } else if selected >= offset + page {
            self.offset.set(selected + 1 - page);
        }
    }

    /// While drawing: the first row on screen when `rows` show and row `selected` (the
    /// selection, within the rows there are) must be one of them; kept with the page.
    pub fn settle(&self, selected: usize, rows: usize) -> usize {
        self.keep(selected, rows);
        self.page.set(rows.max(1));
        self.offset.get()
    }
}

/// The state of every tab for one answer.
#[derive(Debug, Default)]
pub struct Views {
    pub profile: Scroll,
    pub call: Scroll,
    pub redials: Select,
    pub qa: Select,
    pub transcript: crate::app::transcript::TranscriptView,
    pub raw: crate::app::raw::RawView,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scroll_clamps() {
        let mut s = Scroll::default();
        s.nav_in(Nav::Bottom, 100, 20);
        assert_eq!(s.offset(), 80);
        s.nav_in(Nav::Down, 100, 20);
        assert_eq!(s.offset(), 80);
        s.nav_in(Nav::PageUp, 100, 20);
        assert_eq!(s.offset(), 61);
        s.nav_in(Nav::Top, 100, 20);
        assert_eq!(s.offset(), 0);
        s.nav_in(Nav::Bottom, 5, 20);
        assert_eq!(s.offset(), 0);
    }

    #[test]
    fn scroll_moves_by_the_last_frame_and_the_frame_settles_it() {
        let mut s = Scroll::default();
        // Before a frame: the end is wherever the first frame finds it.
        s.nav(Nav::Bottom, 20);
        assert_eq!(s.settle(100, 20), 80);
        s.nav(Nav::Down, 20);
        assert_eq!(s.offset(), 80);
        s.nav(Nav::Up, 20);
        s.nav(Nav::PageUp, 5);
        assert_eq!(s.offset(), 79 - 19);
        // The frame shows fewer lines now (a wider screen): it settles the offset.
        assert_eq!(s.settle(30, 20), 10);
    }

    #[test]
    fn select_keeps_selection_visible() {
        let mut s = Select::default();
        s.nav(Nav::PageDown, 50, 10);
        assert_eq!((s.selected, s.offset()), (10, 1));
        s.nav(Nav::Bottom, 50, 10);
        assert_eq!((s.selected, s.offset()), (49, 40));
        s.nav(Nav::Top, 50, 10);
        assert_eq!((s.selected, s.offset()), (0, 0));
        // A frame of 5 rows: pages are 5 rows from then on.
        assert_eq!(s.settle(0, 5), 0);
        s.nav(Nav::PageDown, 50, 10);
        assert_eq!((s.selected, s.offset()), (5, 1));
        s.nav(Nav::Down, 0, 10);
        assert_eq!(s, Select::default());
    }

    #[test]
    fn tabs_cycle() {
        assert_eq!(Tab::Profile.prev(), Tab::Raw);
        assert_eq!(Tab::Raw.next(), Tab::Profile);
        assert_eq!(Tab::from_index(3), Tab::Qa);
    }
}
