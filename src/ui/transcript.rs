//! Tab 5: the transcript as a chat. Each turn shows its time, a side marker and the speaker
//! (`▌ ◆ Robot` on the left, `▐ ● Callee` indented, so it reads without colour), and the
//! words wrapped under themselves. Runs of empty records are one dim `silence` line.
//!
//! Only what is on screen is laid out: the scroll position is an entry and a line inside it,
//! and heights are worked out (by wrapping) only for the entries drawn or stepped over, so
//! `G`, paging, search and filters cost a screenful, not a transcript.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::widgets::shape_words;
use crate::api::model::AsrItem;
use crate::app::search::find_all;
use crate::app::transcript::{Filter, parse_jump};
use crate::app::{Effect, Loaded, Nav};
use crate::case::time::{clock, human_duration};
use crate::case::transcript::plain_line;
use crate::case::transcript::{Entry, Speaker, Transcript, text};
use crate::text::fold_str;
use crate::text::{clean, one_line};

/// Width of `◆ Robot   ` and `● Callee  `.
const NAME_W: usize = 10;
/// How far callee turns sit to the right of robot turns.
const CALLEE_INDENT: usize = 4;
/// Gap between header segments.
const GAP: &str = "   ";

#[cfg(test)]
thread_local! {
    /// Wraps done on this thread, so tests can check that work stays within a screen.
    pub(crate) static WRAPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn wrap_text(s: &str, w: usize) -> Vec<&str> {
    #[cfg(test)]
    WRAPS.with(|c| c.set(c.get() + 1));
    crate::text::wrap(s, w)
}

fn items(l: &Loaded) -> &[AsrItem] {
    &l.data().call.asr_result.items
}

fn speaker_name(s: Speaker) -> &'static str {
    match s {
        Speaker::Robot => "◆ Robot   ",
        Speaker::Callee => "● Callee  ",
    }
}

fn speaker_bar(s: Speaker) -> &'static str {
    match s {
        Speaker::Robot => "▌",
        Speaker::Callee => "▐",
    }
}

fn speaker_style(s: Speaker, theme: &Theme) -> Style {
    match s {
        Speaker::Robot => theme.robot,
        Speaker::Callee => theme.callee,
    }
}

/// Columns of the list at one width.
#[derive(Debug, Clone, Copy)]
struct Geo {
    width: usize,
    time_w: usize,
}

impl Geo {
    fn new(t: &Transcript, width: u16) -> Self {
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

    fn indent(s: Speaker) -> usize {
        match s {
            Speaker::Robot => 0,
            Speaker::Callee => CALLEE_INDENT,
        }
    }

    /// Columns before the words: indent, bar and space, time and space, name.
    fn prefix(&self, s: Speaker) -> usize {
        Geo::indent(s) + 2 + self.time_w + 1 + NAME_W
    }

    fn text_width(&self, s: Speaker) -> usize {
        self.width.saturating_sub(self.prefix(s)).max(10)
    }
}

fn is_ptp(l: &Loaded, e: usize) -> bool {
    l.views
        .transcript
        .ptp
        .as_ref()
        .is_some_and(|p| p.entry == Some(e))
}

/// Lines an entry takes at this width.
fn height(l: &Loaded, e: usize, geo: Geo) -> usize {
    let entry = &l.facts.transcript.entries[e];
    match entry {
        Entry::Silence { .. } => 1,
        Entry::Turn { speaker, .. } => {
            let s = clean(text(entry, items(l)));
            wrap_text(&s, geo.text_width(*speaker)).len() + is_ptp(l, e) as usize
        }
    }
}

/// The wrapped line of an entry that holds a character offset of its text.
fn line_of(l: &Loaded, e: usize, char_pos: usize, geo: Geo) -> usize {
    let entry = &l.facts.transcript.entries[e];
    let Entry::Turn { speaker, .. } = entry else {
        return 0;
    };
    let s = clean(text(entry, items(l)));
    let byte = s.char_indices().nth(char_pos).map_or(s.len(), |(b, _)| b);
    let pieces = wrap_text(&s, geo.text_width(*speaker));
    let base = s.as_ptr() as usize;
    pieces
        .iter()
        .rposition(|p| p.as_ptr() as usize - base <= byte)
        .unwrap_or(0)
}

/// Scrolling over the filtered list: positions are `(entry position, line in it)`.
struct Pager<'a> {
    l: &'a Loaded,
    geo: Geo,
    page: usize,
    len: usize,
}

type At = (usize, usize);

impl<'a> Pager<'a> {
    fn new(l: &'a Loaded, w: u16, h: u16) -> Self {
        let t = &l.facts.transcript;
        Pager {
            l,
            geo: Geo::new(t, w),
            page: list_height(l, w, h),
            len: l.views.transcript.len(t),
        }
    }

    fn h(&self, pos: usize) -> usize {
        height(self.l, self.l.views.transcript.entry_at(pos), self.geo).max(1)
    }

    /// Lines from `at` to the end, counted up to `limit`.
    fn lines_below(&self, (top, line): At, limit: usize) -> usize {
        let mut n = 0;
        let mut p = top;
        while p < self.len && n < limit {
            n += self.h(p) - if p == top { line } else { 0 };
            p += 1;
        }
        n
    }

    /// The position that shows the end of the list on the last line.
    fn bottom(&self) -> At {
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
    fn clamp(&self, (top, line): At) -> At {
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

    fn down(&self, (mut top, mut line): At, mut n: usize) -> At {
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

    fn up(&self, (mut top, mut line): At, mut n: usize) -> At {
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
    fn reveal(&self, at: At, pos: usize, a: usize, b: usize) -> At {
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

    fn reveal_entry(&self, at: At, pos: usize) -> At {
        let h = self.h(pos);
        self.reveal(at, pos, 0, h)
    }

    /// The first entry whose first line is on screen.
    fn first_starting(&self, (top, line): At) -> usize {
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
        .saturating_sub(header(l, &Theme::plain(), w).len())
        .max(1)
}

fn set_at(l: &mut Loaded, (top, line): At) {
    let v = &mut l.views.transcript;
    v.top = top;
    v.top_line = line;
}

pub fn nav(loaded: &mut Loaded, nav: Nav, w: u16, h: u16) {
    let t = &loaded.facts.transcript;
    let v = &loaded.views.transcript;
    let len = v.len(t);
    if len == 0 {
        let v = &mut loaded.views.transcript;
        (v.selected, v.top, v.top_line) = (0, 0, 0);
        return;
    }
    let p = Pager::new(loaded, w, h);
    let cur = (v.top, v.top_line);
    let sel = v.selected.min(len - 1);
    let page_step = p.page.saturating_sub(1).max(1);
    // j/k step from turn to turn, over silences (a silence is selected only when no turn
    // is near in that direction).
    let is_turn = |pos: usize| matches!(t.entries[v.entry_at(pos)], Entry::Turn { .. });
    let (sel, at) = match nav {
        Nav::Up => {
            let s = (0..sel)
                .rev()
                .take(8)
                .find(|&q| is_turn(q))
                .unwrap_or(sel.saturating_sub(1));
            (s, p.reveal_entry(cur, s))
        }
        Nav::Down => {
            let s = (sel + 1..len)
                .take(8)
                .find(|&q| is_turn(q))
                .unwrap_or((sel + 1).min(len - 1));
            (s, p.reveal_entry(cur, s))
        }
        Nav::PageDown => {
            let at = p.down(cur, page_step);
            let s = if at == cur {
                len - 1
            } else {
                sel.max(p.first_starting(at))
            };
            (s, at)
        }
        Nav::PageUp => {
            let at = p.up(cur, page_step);
            let s = if at == cur {
                0
            } else {
                sel.min(p.first_starting(at))
            };
            (s, at)
        }
        Nav::Top => (0, (0, 0)),
        Nav::Bottom => (len - 1, p.bottom()),
        Nav::Wheel(n) if n > 0 => (sel, p.down(cur, n as usize)),
        Nav::Wheel(n) if n < 0 => (sel, p.up(cur, n.unsigned_abs() as usize)),
        Nav::Wheel(_) => (sel, p.clamp(cur)),
    };
    loaded.views.transcript.selected = sel;
    set_at(loaded, at);
}

/// Selects the entry of the current match and scrolls its line into view.
fn show_hit(loaded: &mut Loaded, w: u16, h: u16) {
    let v = &loaded.views.transcript;
    let Some(hit) = v.search.current_hit() else {
        return;
    };
    let Ok(pos) = v.pos_of(hit.row) else {
        return;
    };
    let p = Pager::new(loaded, w, h);
    let line = line_of(loaded, hit.row, hit.start, p.geo);
    let end = line_of(
        loaded,
        hit.row,
        hit.start + hit.len.saturating_sub(1),
        p.geo,
    ) + 1;
    // With the turn's start when that fits, else from the match's line.
    let a = if end <= p.page { 0 } else { line };
    let cur = (v.top, v.top_line);
    let at = if p.reveal(cur, pos, a, end) == cur {
        cur
    } else {
        // Off screen: bring it a third of the way down, with what led up to it above.
        let context = (p.page / 3).min(p.page.saturating_sub(end - a));
        p.clamp(p.up((pos, a), context))
    };
    loaded.views.transcript.selected = pos;
    set_at(loaded, at);
}

/// Recomputes the matches of `search.query` (incrementally when it only grew).
pub fn search(loaded: &mut Loaded, w: u16, h: u16) {
    refind(loaded);
    show_hit(loaded, w, h);
}

fn refind(loaded: &mut Loaded) {
    let Loaded {
        answer,
        facts,
        views,
        ..
    } = loaded;
    let t = &facts.transcript;
    let v = &mut views.transcript;
    let from = v.selected_entry(t).unwrap_or(0);
    let hits = v.find(t, &answer.data().call.asr_result.items);
    v.search.set_hits(hits, from);
}

/// `n` / `N`: the next or previous match, wrapping around.
pub fn step_search(loaded: &mut Loaded, forward: bool, w: u16, h: u16) {
    let s = &mut loaded.views.transcript.search;
    let moved = if forward { s.next_hit() } else { s.prev_hit() };
    if moved.is_some() {
        show_hit(loaded, w, h);
    }
}

/// `y`: the selected turn as `mm:ss Speaker: text`; `Y`: every listed entry, one a line.
pub fn copy(loaded: &Loaded, whole: bool) -> Option<(String, String)> {
    let t = &loaded.facts.transcript;
    let v = &loaded.views.transcript;
    let items = items(loaded);
    if whole {
        if v.is_empty(t) {
            return None;
        }
        let mut out = String::new();
        for p in 0..v.len(t) {
            out.push_str(&plain_line(&t.entries[v.entry_at(p)], items));
            out.push('\n');
        }
        let what = match v.filter {
            Filter::All => "the transcript".to_string(),
            f => format!("the transcript ({})", f.words()),
        };
        Some((out, what))
    } else {
        let e = v.selected_entry(t)?;
        let entry = &t.entries[e];
        let at = entry.at().map(clock).unwrap_or_else(|| "--:--".into());
        let what = match entry {
            Entry::Turn { .. } => format!("the turn at {at}"),
            Entry::Silence { .. } => format!("the silence at {at}"),
        };
        Some((plain_line(entry, items), what))
    }
}

/// Keys of this tab: `r` `c` `a` filter, `s` silences, `:` time prompt, `e` export.
pub fn on_key(
    loaded: &mut Loaded,
    key: KeyEvent,
    w: u16,
    h: u16,
    export_dir: Option<&std::path::Path>,
) -> Option<Vec<Effect>> {
    let v = &mut loaded.views.transcript;
    v.message = None;
    if let Some(typed) = v.jump.as_mut() {
        match key.code {
            KeyCode::Esc => v.jump = None,
            KeyCode::Enter => {
                let typed = v.jump.take().unwrap_or_default();
                jump(loaded, &typed, w, h);
            }
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Char(c) if (c.is_ascii_digit() || c == ':') && typed.len() < 12 => {
                typed.push(c);
            }
            _ => {}
        }
        return Some(Vec::new());
    }
    if !key.modifiers.difference(KeyModifiers::SHIFT).is_empty() {
        return None;
    }
    let (filter, hide) = (v.filter, v.hide_silences);
    match key.code {
        KeyCode::Char('r') => refilter(loaded, Filter::Robot, hide, w, h),
        KeyCode::Char('c') => refilter(loaded, Filter::Callee, hide, w, h),
        KeyCode::Char('a') => refilter(loaded, Filter::All, hide, w, h),
        KeyCode::Char('s') => refilter(loaded, filter, !hide, w, h),
        KeyCode::Char(':') if !loaded.facts.transcript.entries.is_empty() => {
            loaded.views.transcript.jump = Some(String::new());
        }
        KeyCode::Char('e') => {
            return Some(vec![
                loaded.export(export_dir.map(std::path::Path::to_path_buf)),
            ]);
        }
        _ => return None,
    }
    Some(Vec::new())
}

fn refilter(loaded: &mut Loaded, filter: Filter, hide: bool, w: u16, h: u16) {
    let t = &loaded.facts.transcript;
    loaded.views.transcript.set_filter(t, filter, hide);
    if loaded.views.transcript.search.is_active() {
        refind(loaded);
    }
    let v = &loaded.views.transcript;
    if v.is_empty(&loaded.facts.transcript) {
        return;
    }
    let p = Pager::new(loaded, w, h);
    let at = p.reveal_entry(p.clamp((v.top, 0)), v.selected);
    set_at(loaded, at);
}

/// Enter at the `:` prompt: the first listed entry at or after the time, at the top.
fn jump(loaded: &mut Loaded, typed: &str, w: u16, h: u16) {
    let t = &loaded.facts.transcript;
    let v = &loaded.views.transcript;
    let Some(secs) = parse_jump(typed) else {
        let v = &mut loaded.views.transcript;
        v.message = Some(format!("not a time: {typed:?} (mm:ss or hh:mm:ss)"));
        v.jump = Some(typed.to_string());
        return;
    };
    if v.is_empty(t) {
        return;
    }
    let found = v.at_or_after(t, secs);
    let p = Pager::new(loaded, w, h);
    let (sel, at) = match found {
        Some(pos) => (pos, p.clamp((pos, 0))),
        None => (p.len - 1, p.bottom()),
    };
    let v = &mut loaded.views.transcript;
    if found.is_none() {
        v.message = Some(format!("nothing at or after {}: at the end", clock(secs)));
    }
    v.selected = sel;
    set_at(loaded, at);
}

// ---------------------------------------------------------------------------------------
// Drawing

pub fn draw(frame: &mut Frame, area: Rect, loaded: &Loaded, theme: &Theme) {
    let t = &loaded.facts.transcript;
    if t.entries.is_empty() {
        let asr = &loaded.data().call.asr_result;
        let words = if loaded.waits_for_transcript() {
            "reading the transcript…".to_string()
        } else if loaded.unread.is_some() {
            "could not be read: the answer is not well-formed JSON (see Raw JSON)".to_string()
        } else if asr.shape.is_present() && asr.is_empty() {
            "no turns: asr_result is empty".to_string()
        } else {
            shape_words(asr.shape).to_string()
        };
        let lines = vec![
            Line::from(Span::styled("Transcript", theme.title)),
            Line::from(Span::styled(format!("  {words}"), theme.dim)),
        ];
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let head = header(loaded, theme, area.width);
    let hh = (head.len() as u16).min(area.height);
    let [top, body] = Layout::vertical([Constraint::Length(hh), Constraint::Fill(1)]).areas(area);
    frame.render_widget(Paragraph::new(head), top);
    let v = &loaded.views.transcript;
    let len = v.len(t);
    if len == 0 {
        let who = match v.filter {
            Filter::Robot => "robot turns",
            Filter::Callee => "callee turns",
            Filter::All => "turns",
        };
        let line = Line::from(Span::styled(
            format!("  no {who} to show: a shows every turn, s the silences"),
            theme.dim,
        ));
        frame.render_widget(Paragraph::new(line), body);
        return;
    }
    let geo = Geo::new(t, body.width);
    let page = body.height as usize;
    let mut lines: Vec<Line<'static>> = Vec::with_capacity(page);
    let mut pos = v.top.min(len - 1);
    let mut skip = v.top_line;
    while lines.len() < page && pos < len {
        let mut ls = entry_lines(loaded, v.entry_at(pos), pos == v.selected, geo, theme);
        let skip_n = skip.min(ls.len().saturating_sub(1));
        let room = page - lines.len();
        lines.extend(ls.drain(skip_n..).take(room));
        skip = 0;
        pos += 1;
    }
    frame.render_widget(Paragraph::new(lines), body);
}

/// A highlighted byte range of a turn's text; the higher `rank` wins where ranges meet.
#[derive(Debug, Clone, Copy)]
struct Mark {
    start: usize,
    end: usize,
    rank: u8,
    style: Style,
}

/// Search matches (current one strongest) and watch words in an entry's text `s`.
fn marks(l: &Loaded, e: usize, s: &str, theme: &Theme) -> Vec<Mark> {
    let v = &l.views.transcript;
    let mut char_marks: Vec<(usize, usize, u8, Style)> = Vec::new();
    if v.search.is_active() {
        let current = v.search.current_hit();
        for hit in v.search.hits.in_row(e) {
            let (rank, style) = if Some(hit) == current {
                (3, theme.hit_current)
            } else {
                (2, theme.hit)
            };
            char_marks.push((hit.start, hit.start + hit.len, rank, style));
        }
    }
    if v.watch_counts.iter().any(|(_, n)| *n > 0) {
        let folded = fold_str(s);
        for (w, n) in &v.watch_counts {
            if *n == 0 {
                continue;
            }
            let needle = fold_str(w);
            let len = needle.chars().count();
            for start in find_all(&folded, &needle) {
                char_marks.push((start, start + len, 1, theme.watch));
            }
        }
    }
    if char_marks.is_empty() {
        return Vec::new();
    }
    let offsets: Vec<usize> = s
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(s.len()))
        .collect();
    let byte = |c: usize| offsets[c.min(offsets.len() - 1)];
    char_marks
        .into_iter()
        .map(|(a, b, rank, style)| Mark {
            start: byte(a),
            end: byte(b),
            rank,
            style,
        })
        .collect()
}

/// Spans for the bytes `start..end` of `s`, styled by the marks over them.
fn styled(s: &str, start: usize, end: usize, marks: &[Mark], base: Style) -> Vec<Span<'static>> {
    if marks.is_empty() {
        return vec![Span::styled(s[start..end].to_string(), base)];
    }
    let mut cuts = vec![start, end];
    for m in marks {
        for c in [m.start, m.end] {
            if c > start && c < end {
                cuts.push(c);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let style = marks
                .iter()
                .filter(|m| m.start <= a && m.end >= b)
                .max_by_key(|m| m.rank)
                .map_or(base, |m| m.style);
            Span::styled(s[a..b].to_string(), style)
        })
        .collect()
}

/// The lines of one entry.
fn entry_lines(
    l: &Loaded,
    e: usize,
    selected: bool,
    geo: Geo,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let entry = &l.facts.transcript.entries[e];
    let at = entry.at().map(clock).unwrap_or_else(|| "--:--".into());
    let time = format!("{at:>w$}", w = geo.time_w);
    let sel = |s: Style| if selected { s.patch(theme.selected) } else { s };
    let (speaker, s) = match entry {
        Entry::Silence { secs, .. } => {
            let len = secs.map_or("silence".into(), |s| format!("silence {}", clock(s)));
            return vec![Line::from(vec![
                Span::raw("  "),
                Span::styled(time, sel(theme.dim)),
                Span::raw(" "),
                Span::styled(format!("⋯ {len}"), theme.dim),
            ])];
        }
        Entry::Turn { speaker, .. } => (*speaker, clean(text(entry, items(l)))),
    };
    let style = speaker_style(speaker, theme);
    let indent = " ".repeat(Geo::indent(speaker));
    let bar = speaker_bar(speaker);
    let pieces = wrap_text(&s, geo.text_width(speaker));
    let marks = marks(l, e, &s, theme);
    let base = s.as_ptr() as usize;
    let hang = " ".repeat(geo.prefix(speaker) - Geo::indent(speaker) - 1);
    let mut out = Vec::with_capacity(pieces.len() + 1);
    for (i, piece) in pieces.iter().enumerate() {
        let start = piece.as_ptr() as usize - base;
        let mut spans = vec![Span::raw(indent.clone())];
        if i == 0 {
            spans.push(Span::styled(format!("{bar} "), style));
            spans.push(Span::styled(format!("{time} "), sel(theme.dim)));
            spans.push(Span::styled(speaker_name(speaker), sel(style)));
        } else {
            spans.push(Span::styled(bar, style));
            spans.push(Span::raw(hang.clone()));
        }
        spans.extend(styled(&s, start, start + piece.len(), &marks, theme.value));
        out.push(Line::from(spans));
    }
    if let Some(p) = l
        .views
        .transcript
        .ptp
        .as_ref()
        .filter(|p| p.entry == Some(e))
    {
        let what = match (p.amount, p.date) {
            (true, true) => "amount and date",
            (true, false) => "amount",
            _ => "date",
        };
        let note = crate::text::clip(
            &format!("★ PTP {}: the {what} named here", p.value),
            geo.text_width(speaker),
        );
        out.push(Line::from(vec![
            Span::raw(indent),
            Span::styled(bar, style),
            Span::raw(hang),
            Span::styled(note, theme.good),
        ]));
    }
    out
}

/// Lays segments out in lines `width` wide, never splitting one.
fn flow(segs: Vec<Vec<Span<'static>>>, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for seg in segs {
        let w: usize = seg.iter().map(Span::width).sum();
        if used > 0 && used + GAP.len() + w > width {
            lines.push(Line::from(std::mem::take(&mut cur)));
            used = 0;
        }
        if used > 0 {
            cur.push(Span::raw(GAP));
            used += GAP.len();
        }
        cur.extend(seg);
        used += w;
    }
    if !cur.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

/// The header: talk per speaker, the longest silence, the promise to pay; then what is
/// listed, where the selection is, the search or time prompt, watch-word counts; a rule.
fn header(l: &Loaded, theme: &Theme, w: u16) -> Vec<Line<'static>> {
    let t = &l.facts.transcript;
    let v = &l.views.transcript;
    let st = &t.stats;
    let mut facts: Vec<Vec<Span<'static>>> = Vec::new();
    for (speaker, turns, secs) in [
        (Speaker::Robot, st.robot_turns, st.robot_secs),
        (Speaker::Callee, st.callee_turns, st.callee_secs),
    ] {
        let noun = if turns == 1 { "turn" } else { "turns" };
        facts.push(vec![
            Span::styled(
                format!(
                    "{}{}",
                    speaker_bar(speaker),
                    speaker_name(speaker).trim_end()
                ),
                speaker_style(speaker, theme),
            ),
            Span::styled(
                format!(" {turns} {noun} · {}", human_duration(secs as i64)),
                theme.value,
            ),
        ]);
    }
    if let Some((secs, idx)) = st.longest_silence {
        let at = t.entries[idx].at().map(clock).unwrap_or_else(|| "?".into());
        facts.push(vec![
            Span::styled("longest silence ", theme.label),
            Span::styled(format!("{} at {at}", clock(secs)), theme.value),
        ]);
    }
    if let Some(p) = &v.ptp {
        match p.entry {
            Some(e) => {
                let at = t.entries[e].at().map(clock).unwrap_or_else(|| "?".into());
                facts.push(vec![
                    Span::styled("★ PTP ", theme.good),
                    Span::styled(format!("{} → {at}", p.value), theme.value),
                ]);
            }
            None => facts.push(vec![
                Span::styled("? PTP ", theme.warn),
                Span::styled(format!("{}: not named in any turn", p.value), theme.value),
            ]),
        }
    }

    let mut state: Vec<Vec<Span<'static>>> = Vec::new();
    let len = v.len(t);
    let silences = if v.hide_silences {
        "silences folded"
    } else {
        "silences shown"
    };
    state.push(vec![
        Span::styled("showing ", theme.label),
        Span::styled(format!("{} · {silences}", v.filter.words()), theme.value),
        Span::styled(" (a r c s)", theme.dim),
    ]);
    let digits = len.max(1).to_string().len();
    state.push(vec![Span::styled(
        format!(
            "{:>digits$}/{len}",
            if len == 0 {
                0
            } else {
                v.selected.min(len - 1) + 1
            }
        ),
        theme.dim,
    )]);
    if let Some(typed) = &v.jump {
        state.push(vec![
            Span::styled("go to time: ", theme.accent),
            Span::styled(format!("{typed}▏"), theme.focus),
            Span::styled(" mm:ss or hh:mm:ss · Enter · Esc", theme.dim),
        ]);
    } else if v.search.editing || v.search.is_active() {
        let q = one_line(&v.search.query);
        let mut seg = vec![Span::styled(format!("/{q}"), theme.accent)];
        if v.search.editing {
            seg.push(Span::styled("▏", theme.focus));
        }
        if v.search.is_active() {
            let style = if v.search.hits.is_empty() {
                theme.warn
            } else {
                theme.title
            };
            seg.push(Span::raw(" "));
            seg.push(Span::styled(v.search.counter(), style));
            if !v.search.editing {
                seg.push(Span::styled(" n/N", theme.dim));
            }
        }
        state.push(seg);
    } else {
        state.push(vec![Span::styled(": go to time · e export", theme.dim)]);
    }
    if let Some(m) = &v.message {
        state.push(vec![Span::styled(one_line(m), theme.warn)]);
    }
    if !v.watch_counts.is_empty() {
        let mut seg = vec![Span::styled("watch: ", theme.label)];
        for (i, (word, n)) in v.watch_counts.iter().enumerate() {
            if i > 0 {
                seg.push(Span::raw(", "));
            }
            seg.push(Span::styled(word.clone(), theme.watch));
            seg.push(Span::styled(format!(" {n}"), theme.value));
        }
        state.push(seg);
    }
    let width = w as usize;
    let mut out = flow(facts, width);
    out.extend(flow(state, width));
    out.push(Line::from(Span::styled("─".repeat(width), theme.dim)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Query;
    use crate::api::client::{Exchange, interpret};
    use crate::app::{Action, App, Context, Source, Tab};
    use bytes::Bytes;
    use chrono::TimeZone;
    use crossterm::event::KeyEvent;
    use insta::assert_snapshot;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    const REFERENCE: &[u8] = include_bytes!("../../assets/demo/01-reference.json");
    const FULL_MATCH: &[u8] = include_bytes!("../../assets/demo/02-full-match.json");
    const LONG: &[u8] = include_bytes!("../../assets/demo/05-long-transcript.json");
    const CHINESE: &[u8] = include_bytes!("../../assets/demo/06-chinese.json");

    fn app_with(body: impl Into<Bytes>, watch: &[&str], w: u16, h: u16) -> App {
        let answer = interpret(Exchange {
            url: "http://127.0.0.1:8080/service/cloud/workflow/apinoticeinfo".into(),
            status: 200,
            latency: std::time::Duration::from_millis(123),
            body: body.into(),
            transcript_scan: None,
            received_at: chrono::Local
                .with_ymd_and_hms(2024, 3, 12, 15, 0, 5)
                .earliest()
                .unwrap(),
        })
        .unwrap();
        let context = Context {
            watch_words: watch.iter().map(|w| w.to_string()).collect(),
            ..Context::default()
        };
        let mut app = App::new(Query::default(), context).with_answer(
            answer,
            Source::File {
                path: "case.json".into(),
            },
        );
        app.update(Action::Resize(w, h));
        press(&mut app, KeyCode::Char('5'));
        assert_eq!(app.tab, Tab::Transcript);
        app
    }

    fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        let effects = app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        effects
            .into_iter()
            .filter_map(|e| crate::ui::copy_view(app, e).ok())
            .collect()
    }

    fn typed(app: &mut App, s: &str) {
        for c in s.chars() {
            press(app, KeyCode::Char(c));
        }
    }

    fn render(app: &App) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
        t.draw(|f| crate::ui::draw(f, app)).unwrap();
        t
    }

    /// The body rows as text.
    fn body_rows(app: &App) -> Vec<String> {
        let t = render(app);
        let body = crate::ui::layout(app).body;
        let buf = t.backend().buffer();
        (body.y..body.y + body.height)
            .map(|y| {
                (body.x..body.x + body.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    fn view(app: &App) -> &crate::app::transcript::TranscriptView {
        &app.loaded.as_ref().unwrap().views.transcript
    }

    fn loaded(app: &App) -> &Loaded {
        app.loaded.as_ref().unwrap()
    }

    fn wraps() -> usize {
        WRAPS.with(|c| c.get())
    }

    fn reset_wraps() {
        WRAPS.with(|c| c.set(0));
    }

    // -----------------------------------------------------------------------------------
    // Snapshots

    #[test]
    fn reference_80x24() {
        let app = app_with(REFERENCE, &[], 80, 24);
        assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn reference_160x50() {
        let app = app_with(REFERENCE, &[], 160, 50);
        assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn reference_search_80x24() {
        let mut app = app_with(REFERENCE, &[], 80, 24);
        typed(&mut app, "/HALO");
        assert_eq!(view(&app).search.counter(), "1/3");
        // Esc leaves the search and keeps the matches and the position.
        press(&mut app, KeyCode::Esc);
        assert!(!view(&app).search.editing);
        assert_eq!(view(&app).search.counter(), "1/3");
        press(&mut app, KeyCode::Char('n'));
        assert_eq!(view(&app).search.counter(), "2/3");
        assert_eq!(view(&app).selected, 3);
        assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn long_watch_words_160x50() {
        let mut app = app_with(LONG, &["lawyer", "complaint"], 160, 50);
        let v = view(&app);
        assert_eq!(
            v.watch_counts,
            [("lawyer".to_string(), 8), ("complaint".to_string(), 4)]
        );
        typed(&mut app, ":18:00");
        press(&mut app, KeyCode::Enter);
        assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn long_end_80x24() {
        let mut app = app_with(LONG, &[], 80, 24);
        press(&mut app, KeyCode::Char('G'));
        let rows = body_rows(&app);
        assert!(rows.last().unwrap().ends_with("Bye."), "{rows:#?}");
        assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn long_end_160x50() {
        let mut app = app_with(LONG, &[], 160, 50);
        press(&mut app, KeyCode::Char('G'));
        let rows = body_rows(&app);
        assert!(rows.last().unwrap().ends_with("Bye."), "{rows:#?}");
        assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn chinese_80x24() {
        let app = app_with(CHINESE, &[], 80, 24);
        assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn chinese_160x50() {
        let app = app_with(CHINESE, &[], 160, 50);
        assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn filtered_with_time_prompt_80x24() {
        let mut app = app_with(FULL_MATCH, &[], 80, 24);
        press(&mut app, KeyCode::Char('c'));
        press(&mut app, KeyCode::Char('s'));
        typed(&mut app, ":1:1x9");
        assert_eq!(view(&app).jump.as_deref(), Some("1:19"));
        assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn not_in_this_push_80x24() {
        let mut v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        v["data"]["call"]
            .as_object_mut()
            .unwrap()
            .remove("asr_result");
        let app = app_with(serde_json::to_vec(&v).unwrap(), &[], 80, 24);
        let rows = body_rows(&app);
        assert_eq!(rows[1], "  not in this push");
        assert_snapshot!(render(&app).backend());
    }

    // -----------------------------------------------------------------------------------
    // Behaviour

    #[test]
    fn g_and_big_g_reach_both_ends() {
        let mut app = app_with(LONG, &[], 80, 24);
        let len = view(&app).len(&loaded(&app).facts.transcript);
        press(&mut app, KeyCode::Char('G'));
        assert_eq!(view(&app).selected, len - 1);
        // Further down changes nothing.
        press(&mut app, KeyCode::Char('j'));
        press(&mut app, KeyCode::PageDown);
        assert_eq!(view(&app).selected, len - 1);
        assert!(body_rows(&app).last().unwrap().ends_with("Bye."));
        press(&mut app, KeyCode::Char('g'));
        assert_eq!((view(&app).selected, view(&app).top), (0, 0));
        assert!(body_rows(&app)[4].contains("Hello, this is Claire"));
    }

    #[test]
    fn j_k_and_pages_keep_the_selection_on_screen() {
        let mut app = app_with(LONG, &[], 80, 24);
        let l = loaded(&app);
        let turns: Vec<usize> = (0..l.facts.transcript.entries.len())
            .filter(|&e| l.facts.transcript.entries[e].speaker().is_some())
            .collect();
        for _ in 0..30 {
            press(&mut app, KeyCode::Char('j'));
        }
        // j steps over silences.
        assert_eq!(view(&app).selected, turns[30]);
        let rows = body_rows(&app);
        let l = loaded(&app);
        let at = clock(l.facts.transcript.entries[turns[30]].at().unwrap());
        assert!(rows.iter().any(|r| r.contains(&at)), "{at} in {rows:#?}");
        press(&mut app, KeyCode::Char('k'));
        assert_eq!(view(&app).selected, turns[29]);
        press(&mut app, KeyCode::PageDown);
        let after = view(&app).selected;
        assert!(after > turns[29]);
        press(&mut app, KeyCode::PageUp);
        assert!(view(&app).selected < after);
    }

    #[test]
    fn time_jumps_select_the_first_entry_at_or_after() {
        let mut app = app_with(LONG, &[], 80, 24);
        typed(&mut app, ":41:10");
        press(&mut app, KeyCode::Enter);
        let l = loaded(&app);
        let e = view(&app).selected_entry(&l.facts.transcript).unwrap();
        assert_eq!(l.facts.transcript.entries[e].at(), Some(41 * 60 + 12));
        assert!(view(&app).jump.is_none());
        // The entry is the first one under the header.
        assert!(body_rows(&app)[4].contains("41:12"));
        // hh:mm:ss works; Esc cancels without moving.
        typed(&mut app, ":0:00:08");
        press(&mut app, KeyCode::Enter);
        assert_eq!(view(&app).selected, 1);
        typed(&mut app, ":12");
        press(&mut app, KeyCode::Esc);
        assert_eq!(view(&app).selected, 1);
        assert!(view(&app).jump.is_none());
        // Past the end: the last entry, with a word why.
        typed(&mut app, ":2:00:00");
        press(&mut app, KeyCode::Enter);
        assert_eq!(view(&app).selected, 527);
        assert!(
            view(&app)
                .message
                .as_deref()
                .unwrap()
                .contains("nothing at or after")
        );
        // Not a time: the prompt stays open.
        typed(&mut app, ":1:2:3:4");
        press(&mut app, KeyCode::Enter);
        assert!(view(&app).jump.is_some());
        assert!(
            view(&app)
                .message
                .as_deref()
                .unwrap()
                .contains("not a time")
        );
    }

    #[test]
    fn ptp_turns_are_marked() {
        let app = app_with(LONG, &[], 80, 24);
        let l = loaded(&app);
        let p = view(&app).ptp.clone().unwrap();
        let e = p.entry.unwrap();
        assert_eq!(l.facts.transcript.entries[e].at(), Some(41 * 60 + 12));
        assert_eq!(
            l.facts.transcript.entries[e].speaker(),
            Some(Speaker::Callee)
        );
        assert!(p.amount && p.date);
        let app = app_with(FULL_MATCH, &[], 80, 24);
        let l = loaded(&app);
        let e = view(&app).ptp.as_ref().unwrap().entry.unwrap();
        assert_eq!(
            text(&l.facts.transcript.entries[e], items(l)),
            "I can pay the full amount. I'll pay 15000 on May 20."
        );
        let app = app_with(CHINESE, &[], 80, 24);
        let l = loaded(&app);
        let e = view(&app).ptp.as_ref().unwrap().entry.unwrap();
        assert_eq!(
            text(&l.facts.transcript.entries[e], items(l)),
            "六月五号我先还两千吧。"
        );
        assert!(
            body_rows(&app)
                .join("\n")
                .contains("★ PTP 2024-06-05 2000 → 01:49")
        );
        let app = app_with(REFERENCE, &[], 80, 24);
        assert!(view(&app).ptp.is_none());
    }

    /// The cells drawn in the current-match style, in reading order.
    fn current_match_text(app: &App) -> String {
        let t = render(app);
        let want = Theme::current().hit_current;
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                let c = &buf[(x, y)];
                if Some(c.bg) == want.bg && Some(c.fg) == want.fg {
                    out.push_str(c.symbol());
                }
            }
        }
        out
    }

    #[test]
    fn matches_are_found_and_highlighted_across_wrapped_lines() {
        if Theme::current().mono {
            return;
        }
        let mut app = app_with(CHINESE, &[], 80, 24);
        // The long callee turn wraps; find a phrase that straddles a line break.
        let l = loaded(&app);
        let e = 7;
        let s = clean(text(&l.facts.transcript.entries[e], items(l))).into_owned();
        let geo = Geo::new(&l.facts.transcript, crate::ui::layout(&app).body.width);
        let pieces = wrap_text(&s, geo.text_width(Speaker::Callee));
        assert!(pieces.len() >= 3);
        let first_len = pieces[0].chars().count();
        let phrase: String = s.chars().skip(first_len - 2).take(4).collect();
        assert!(!pieces[0].contains(&phrase) && !pieces[1].contains(&phrase));
        typed(&mut app, &format!("/{phrase}"));
        let v = view(&app);
        assert_eq!(v.search.counter(), "1/1");
        assert_eq!(v.selected_entry(&loaded(&app).facts.transcript), Some(e));
        assert_eq!(current_match_text(&app).replace(' ', ""), phrase);
    }

    #[test]
    fn search_wraps_around_and_finds_callee_text() {
        let mut app = app_with(FULL_MATCH, &[], 80, 24);
        typed(&mut app, "/15000");
        press(&mut app, KeyCode::Enter);
        let n = view(&app).search.hits.len();
        assert_eq!(n, 2);
        let first = view(&app).search.current_hit().unwrap();
        press(&mut app, KeyCode::Char('n'));
        press(&mut app, KeyCode::Char('n'));
        assert_eq!(view(&app).search.current_hit(), Some(first));
        press(&mut app, KeyCode::Char('N'));
        assert_eq!(view(&app).search.counter(), "2/2");
        // Robot only: the callee's matches drop out.
        press(&mut app, KeyCode::Char('r'));
        assert_eq!(view(&app).search.hits.len(), 0);
        assert!(view(&app).filter == Filter::Robot);
        press(&mut app, KeyCode::Char('a'));
        assert_eq!(view(&app).search.hits.len(), 2);
    }

    #[test]
    fn watch_words_are_highlighted() {
        if Theme::current().mono {
            return;
        }
        let mut app = app_with(LONG, &["LAWYER"], 80, 24);
        typed(&mut app, ":18:20");
        press(&mut app, KeyCode::Enter);
        let t = render(&app);
        let want = Theme::current().watch;
        let buf = t.backend().buffer();
        let mut marked = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                let c = &buf[(x, y)];
                if Some(c.fg) == want.fg && c.modifier.contains(want.add_modifier) {
                    marked.push_str(c.symbol());
                }
            }
        }
        assert!(marked.starts_with("LAWYERlawyer"), "{marked}");
    }

    #[test]
    fn copies_follow_the_filter() {
        let mut app = app_with(REFERENCE, &[], 80, 24);
        let l = loaded(&app);
        assert_eq!(
            copy(l, false).unwrap().0,
            "00:00 Robot: halo (jeda 1-2 detik) selamat siang"
        );
        let (all, what) = copy(l, true).unwrap();
        assert_eq!(what, "the transcript");
        assert_eq!(all.lines().count(), 8);
        assert_eq!(all.lines().nth(2), Some("00:10 (silence 00:07)"));
        press(&mut app, KeyCode::Char('s'));
        let (all, _) = copy(loaded(&app), true).unwrap();
        assert_eq!(all.lines().count(), 5);
        assert!(!all.contains("silence"));
        press(&mut app, KeyCode::Char('c'));
        assert_eq!(copy(loaded(&app), true), None);
        assert!(
            body_rows(&app)
                .join("\n")
                .contains("no callee turns to show")
        );
        // `y` through the app gives a Copy effect.
        press(&mut app, KeyCode::Char('a'));
        press(&mut app, KeyCode::Char('j'));
        let effects = press(&mut app, KeyCode::Char('y'));
        assert_eq!(
            effects,
            [Effect::Copy {
                text: "00:03 Robot: Apa boleh minta waktunya sebentar?".into(),
                what: "the turn at 00:03".into()
            }]
        );
    }

    #[test]
    fn e_exports_from_every_tab() {
        let mut app = app_with(REFERENCE, &[], 80, 24);
        app.context.export_dir = Some("/tmp/exports".into());
        // The tab got its export dir at the key press.
        let effects = press(&mut app, KeyCode::Char('e'));
        let [Effect::Export(job)] = &effects[..] else {
            panic!("{effects:?}");
        };
        assert_eq!(job.dir, Some("/tmp/exports".into()));
        press(&mut app, KeyCode::Char('1'));
        assert_eq!(press(&mut app, KeyCode::Char('e')), effects);
    }

    /// A transcript of 100,000 turns: moving to the end, searching and filtering cost a
    /// screenful of wraps, never one per turn.
    #[test]
    fn hundred_thousand_turns_stay_within_a_screen() {
        let mut v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        let n = 100_000usize;
        let items: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                let time = format!("{:02}:{:02}:{:02}", i / 3600, i / 60 % 60, i % 60);
                let long = if i % 7 == 0 {
                    " and a longer stretch of words so that this turn wraps over more than one line"
                } else {
                    ""
                };
                let words = format!("turn {i} about the payment plan{long}");
                match i % 10 {
                    9 => serde_json::json!({"time": time, "robottext": "", "text": ""}),
                    k if k % 2 == 0 => {
                        serde_json::json!({"time": time, "robottext": words, "text": ""})
                    }
                    _ => serde_json::json!({"time": time, "robottext": "", "text": words}),
                }
            })
            .collect();
        v["data"]["call"]["asr_result"] = serde_json::Value::Array(items);
        let mut app = app_with(serde_json::to_vec(&v).unwrap(), &[], 120, 40);
        let len = view(&app).len(&loaded(&app).facts.transcript);
        assert_eq!(len, n);
        let budget = 200;

        reset_wraps();
        press(&mut app, KeyCode::Char('G'));
        assert!(wraps() < budget, "G wrapped {} times", wraps());
        assert_eq!(view(&app).selected, n - 1);
        // The last record is a silence, the turn before it ends one line above.
        let rows = body_rows(&app);
        assert!(rows[rows.len() - 1].contains("⋯ silence"), "{rows:#?}");
        assert!(rows[rows.len() - 2].ends_with("turn 99998 about the payment plan"));

        reset_wraps();
        press(&mut app, KeyCode::Char('/'));
        for c in "turn 4242".chars() {
            let before = wraps();
            press(&mut app, KeyCode::Char(c));
            assert!(wraps() - before < budget, "typing {c} wrapped too much");
        }
        let v = view(&app);
        assert_eq!(v.search.hits.len(), 10, "4242 and 42420..42428");
        // The last keystroke only looked at the 100 entries that matched "turn 424".
        assert_eq!(v.last_scanned(), 100);
        press(&mut app, KeyCode::Enter);
        assert!(
            body_rows(&app)
                .iter()
                .any(|r| r.contains("turn 4242 about"))
        );

        reset_wraps();
        press(&mut app, KeyCode::Char('c'));
        assert!(wraps() < budget, "filter wrapped {} times", wraps());
        assert_eq!(view(&app).len(&loaded(&app).facts.transcript), 50_000);
        press(&mut app, KeyCode::Char('G'));
        press(&mut app, KeyCode::Char('s'));
        press(&mut app, KeyCode::Char('a'));
        assert!(wraps() < 4 * budget, "{}", wraps());
        assert_eq!(view(&app).len(&loaded(&app).facts.transcript), n - 10_000);
        press(&mut app, KeyCode::Char('s'));
        assert_eq!(view(&app).len(&loaded(&app).facts.transcript), n);
    }
}
