//! The Raw JSON tab's behaviour: its scroll, its `/` search and `n`/`N` over the lines of the
//! pretty form (indexed on first use, [`crate::json::lines`]), without drawing anything.
//!
//! The search is [`crate::app::search`]'s, over the lines ([`crate::app::search::lines`]):
//! it counts the matches per line, so the `k/N` counter and `n`/`N` need nothing more; the
//! matches on screen are found again when drawn. A longer query looks again only at the
//! lines of the last one.

use crate::app::search::{Search, lines::find_releasing};
use crate::app::views::Scroll;
use crate::app::{Loaded, Nav};
use crate::json::lines::{Lines, RawText};
use crate::text::fold_str;

#[derive(Debug, Default)]
pub struct RawView {
    pub scroll: Scroll,
    /// The query, the lines it matched and how often (so a longer query looks only at
    /// those lines), the current match.
    pub search: Search,
    /// Where the lines of the pretty form start in the answer's bytes (no copy of the
    /// text), built the first time the tab is used. A pure cache of the answer's bytes, so
    /// drawing may fill it.
    pub text: std::sync::OnceLock<RawText>,
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

/// The search shown, if its matches are for its query.
pub fn active(raw: &RawView) -> Option<&Search> {
    let s = &raw.search;
    let found = s.hits.query();
    (s.is_active() && !found.is_empty() && found == fold_str(&s.query)).then_some(s)
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
    let old = std::mem::take(&mut raw.search.hits);
    raw.search.current = None;
    if query.is_empty() || query.contains('\n') {
        return;
    }
    let narrows = !old.query().is_empty() && query.starts_with(old.query());
    let found = find_releasing(lines, query, narrows.then_some(old.rows()), pages.as_ref());
    drop(old);
    if let Some(p) = pages {
        p.release(0..body.len());
    }
    raw.search.set_hits(found, raw.scroll.offset());
    if let Some(row) = raw.search.current_row() {
        reveal(&mut raw.scroll, row, lines.count(), page(h));
    }
}

/// `n`/`N`: the next or previous match, scrolled into view.
pub fn step_search(loaded: &mut Loaded, forward: bool, h: u16) {
    let raw = &mut loaded.views.raw;
    let (Some(text), true) = (
        raw.text.get(),
        active(raw).is_some_and(|s| !s.hits.is_empty()),
    ) else {
        return;
    };
    raw.search.step(forward);
    if let Some(row) = raw.search.current_row() {
        reveal(&mut raw.scroll, row, text.line_count(), page(h));
    }
}
