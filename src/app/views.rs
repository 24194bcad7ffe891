//! Per-tab view state: scroll offsets and selections. Rendering reads them; only `update`
//! changes them.

use crate::app::search::Search;

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

/// A line-scrolled view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub offset: usize,
}

impl Scroll {
    /// Moves within `total` lines of which `page` are visible.
    pub fn nav(&mut self, nav: Nav, total: usize, page: usize) {
        let max = total.saturating_sub(page.max(1));
        let page = page.max(1);
        self.offset = match nav {
            Nav::Up => self.offset.saturating_sub(1),
            Nav::Down => self.offset + 1,
            Nav::PageUp => self.offset.saturating_sub(page.saturating_sub(1).max(1)),
            Nav::PageDown => self.offset + page.saturating_sub(1).max(1),
            Nav::Top => 0,
            Nav::Bottom => max,
            Nav::Wheel(n) => (self.offset as i64 + n as i64).max(0) as usize,
        }
        .min(max);
    }
}

/// A row selection with the first visible row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Select {
    pub selected: usize,
    pub offset: usize,
}

impl Select {
    pub fn nav(&mut self, nav: Nav, total: usize, page: usize) {
        if total == 0 {
            *self = Select::default();
            return;
        }
        let page = page.max(1);
        let last = total - 1;
        self.selected = match nav {
            Nav::Up => self.selected.saturating_sub(1),
            Nav::Down => self.selected + 1,
            Nav::PageUp => self.selected.saturating_sub(page),
            Nav::PageDown => self.selected + page,
            Nav::Top => 0,
            Nav::Bottom => last,
            Nav::Wheel(n) => (self.selected as i64 + n as i64).max(0) as usize,
        }
        .min(last);
        self.keep_visible(page);
    }

    /// Scrolls so the selection is on screen.
    pub fn keep_visible(&mut self, page: usize) {
        let page = page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
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
    pub raw: RawView,
}

#[derive(Debug, Default)]
pub struct RawView {
    pub scroll: Scroll,
    pub search: Search,
    /// Where the lines of the pretty form start in the answer's bytes (no copy of the
    /// text), built the first time the tab is used. A pure cache of the answer's bytes, so
    /// drawing may fill it.
    pub text: std::sync::OnceLock<crate::ui::raw::RawText>,
    /// Where the last query matched (lines and counts, the current match), so a longer
    /// query looks only at those lines. `search` keeps just the query being typed.
    pub matches: crate::ui::raw::Matches,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scroll_clamps() {
        let mut s = Scroll::default();
        s.nav(Nav::Bottom, 100, 20);
        assert_eq!(s.offset, 80);
        s.nav(Nav::Down, 100, 20);
        assert_eq!(s.offset, 80);
        s.nav(Nav::PageUp, 100, 20);
        assert_eq!(s.offset, 61);
        s.nav(Nav::Top, 100, 20);
        assert_eq!(s.offset, 0);
        s.nav(Nav::Bottom, 5, 20);
        assert_eq!(s.offset, 0);
    }

    #[test]
    fn select_keeps_selection_visible() {
        let mut s = Select::default();
        s.nav(Nav::PageDown, 50, 10);
        assert_eq!((s.selected, s.offset), (10, 1));
        s.nav(Nav::Bottom, 50, 10);
        assert_eq!((s.selected, s.offset), (49, 40));
        s.nav(Nav::Top, 50, 10);
        assert_eq!((s.selected, s.offset), (0, 0));
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
