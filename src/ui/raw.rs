//! Tab 6: the answer as it arrived, pretty-printed with every token as sent, coloured, with
//! `/` search.
//!
//! Big answers stay cheap: the pretty text and a line index (one `String` plus one offset per
//! line) are built the first time the tab is used, the folded copy for search on the first
//! search, and a frame lays out only the visible lines. Long lines are cut at the width with
//! `…`; the line of the current match is shifted sideways so the match shows.

use std::fmt;
use std::sync::OnceLock;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthChar;

use super::Theme;
use crate::api::error::human_bytes;
use crate::app::search::{Hit, fold, fold_str};
use crate::app::{Loaded, Nav};
use crate::text::{clean, clean_lines};

/// The pretty-printed answer and where its lines start.
pub struct RawText {
    /// Pretty JSON, already sanitised (it keeps its line breaks).
    text: String,
    /// Byte offset of the start of each line; never empty.
    starts: Vec<u32>,
    /// `text` folded for case-insensitive search, built on the first search.
    folded: OnceLock<Folded>,
}

/// The text folded character by character, so character positions match the display.
struct Folded {
    text: String,
    /// Line starts in `text` when folding changed some character's byte length; `None` when
    /// the raw text's starts hold.
    starts: Option<Vec<u32>>,
}

impl fmt::Debug for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawText")
            .field("bytes", &self.text.len())
            .field("lines", &self.starts.len())
            .field("folded", &self.folded.get().is_some())
            .finish()
    }
}

/// Byte offsets where each line of `s` starts.
fn line_starts(s: &str) -> Vec<u32> {
    let mut starts = Vec::with_capacity(s.len() / 24 + 1);
    starts.push(0);
    starts.extend(s.match_indices('\n').map(|(i, _)| (i + 1) as u32));
    starts
}

impl RawText {
    /// Pretty-prints and indexes `body`.
    pub fn build(body: &[u8]) -> RawText {
        let pretty = crate::api::pretty::pretty(body);
        // Pretty escapes controls inside strings, so valid JSON has none left. Should some
        // remain (controls or C1 outside strings), the whole text is cleaned here, once,
        // so that the lines and the search see what the screen shows.
        let bytes = pretty.as_bytes();
        let unsafe_bytes = bytes.iter().enumerate().any(|(i, &b)| {
            (b < 0x20 && b != b'\n') || (b == 0xC2 && matches!(bytes.get(i + 1), Some(0x80..=0x9F)))
        });
        let mut text = if unsafe_bytes {
            clean_lines(&pretty).into_owned()
        } else {
            pretty
        };
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
            text,
            starts,
            folded: OnceLock::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Line `i` without its line break; empty past the end.
    pub fn line(&self, i: usize) -> &str {
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&e| e as usize - 1);
        &self.text[start as usize..end]
    }

    fn folded(&self) -> &Folded {
        self.folded.get_or_init(|| {
            let src = self.text.as_bytes();
            let mut out = Vec::with_capacity(src.len());
            let mut same = true;
            let mut i = 0;
            while i < src.len() {
                // ASCII runs in bulk; other characters one by one.
                let run = src[i..]
                    .iter()
                    .position(|b| !b.is_ascii())
                    .unwrap_or(src.len() - i);
                out.extend(src[i..i + run].iter().map(u8::to_ascii_lowercase));
                i += run;
                if let Some(c) = self.text[i..].chars().next() {
                    let f = fold(c);
                    same &= f.len_utf8() == c.len_utf8();
                    out.extend_from_slice(f.encode_utf8(&mut [0; 4]).as_bytes());
                    i += c.len_utf8();
                }
            }
            let text = String::from_utf8(out).unwrap_or_default();
            let starts = (!same).then(|| line_starts(&text));
            Folded { text, starts }
        })
    }
}

/// Every place the last query matched, overlapping ones included (byte offsets in the folded
/// text), so that a longer query only has to filter them.
#[derive(Default)]
pub struct Matches {
    /// The folded query these are for.
    query: String,
    at: Vec<u32>,
}

impl fmt::Debug for Matches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matches")
            .field("query", &self.query)
            .field("count", &self.at.len())
            .finish()
    }
}

/// Whether two occurrences of `needle` can overlap: some proper suffix is also a prefix.
fn self_overlapping(needle: &str) -> bool {
    needle
        .char_indices()
        .skip(1)
        .any(|(i, _)| needle.starts_with(&needle[i..]))
}

/// Start of every occurrence of `needle` in `hay`, overlapping ones included.
fn find_overlapping(hay: &str, needle: &str) -> Vec<u32> {
    if !self_overlapping(needle) {
        return hay.match_indices(needle).map(|(i, _)| i as u32).collect();
    }
    let step = needle.chars().next().map_or(1, char::len_utf8);
    let mut out = Vec::new();
    let mut from = 0usize;
    while let Some(i) = hay[from..].find(needle) {
        let p = from + i;
        out.push(p as u32);
        from = p + step;
    }
    out
}

/// Keeps the occurrences of a shorter query that are also occurrences of `needle`.
fn narrow(hay: &str, mut at: Vec<u32>, needle: &str) -> Vec<u32> {
    let hay = hay.as_bytes();
    let needle = needle.as_bytes();
    at.retain(|&p| hay[p as usize..].starts_with(needle));
    at
}

/// Hits (line, character column) for the occurrences `at` of a query `len` characters long,
/// dropping ones that overlap the previous hit on their line.
fn hits_from(folded: &str, starts: &[u32], at: &[u32], len: usize) -> Vec<Hit> {
    let mut hits = Vec::with_capacity(at.len());
    let mut row = 0usize;
    let mut byte = 0usize;
    let mut col = 0usize;
    let mut last: Option<(usize, usize)> = None;
    for &p in at {
        let p = p as usize;
        // A walk, not a binary search: hits come in order, so this is linear overall.
        if row + 1 < starts.len() && starts[row + 1] as usize <= p {
            while row + 1 < starts.len() && starts[row + 1] as usize <= p {
                row += 1;
            }
            byte = starts[row] as usize;
            col = 0;
        }
        col += folded[byte..p].chars().count();
        byte = p;
        if let Some((r, end)) = last
            && r == row
            && col < end
        {
            continue;
        }
        hits.push(Hit {
            row,
            start: col,
            len,
        });
        last = Some((row, col + len));
    }
    hits
}

/// The tab's text, built on first use.
fn raw_text(loaded: &Loaded) -> &RawText {
    loaded
        .views
        .raw
        .text
        .get_or_init(|| RawText::build(&loaded.answer.exchange.body))
}

/// Lines of JSON on screen: the tab's height less the header.
fn page(h: u16) -> usize {
    (h as usize).saturating_sub(1).max(1)
}

/// Scrolls so `row` is on screen, a third of the way down when it has to move.
fn reveal(offset: &mut usize, row: usize, total: usize, page: usize) {
    if row < *offset || row >= *offset + page {
        let max = total.saturating_sub(page);
        *offset = row.saturating_sub(page / 3).min(max);
    }
}

/// What a token of a pretty JSON line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Key,
    Str,
    Num,
    /// `true`, `false`, `null`.
    Lit,
    /// `{ } [ ] , :`
    Punct,
    Other,
}

/// A token: a byte range of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// The tokens of one line, in order; spaces between them belong to none. A string followed
/// by `:` is a key. Works on any JSON text, pretty or not.
pub fn tokens(line: &str) -> Vec<Token> {
    let b = line.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let start = i;
        let kind = match b[i] {
            b' ' => {
                i += 1;
                continue;
            }
            b'"' => {
                i += 1;
                while i < n {
                    match b[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                i = i.min(n);
                let mut j = i;
                while j < n && b[j] == b' ' {
                    j += 1;
                }
                if j < n && b[j] == b':' {
                    Kind::Key
                } else {
                    Kind::Str
                }
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                i += 1;
                Kind::Punct
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < n && matches!(b[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                    i += 1;
                }
                Kind::Num
            }
            c if c.is_ascii_alphabetic() => {
                while i < n && b[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                match &line[start..i] {
                    "true" | "false" | "null" => Kind::Lit,
                    _ => Kind::Other,
                }
            }
            _ => {
                i += line[i..].chars().next().map_or(1, char::len_utf8);
                Kind::Other
            }
        };
        out.push(Token {
            start,
            end: i,
            kind,
        });
    }
    out
}

fn kind_style(kind: Option<Kind>, theme: &Theme) -> Style {
    match kind {
        Some(Kind::Key) => theme.json_key,
        Some(Kind::Str) => theme.json_string,
        Some(Kind::Num) => theme.json_number,
        Some(Kind::Lit) => theme.json_literal,
        Some(Kind::Punct) => theme.dim,
        Some(Kind::Other) | None => theme.value,
    }
}

/// Characters to skip so `hit` shows in `avail` columns after a leading `…`; 0 when it
/// already shows. The match lands a third of the way in, or the line's end at the right edge.
fn shift_for(line: &str, hit: Hit, avail: usize) -> usize {
    let mut col = 0usize;
    let mut start_col = 0usize;
    let mut end_col = 0usize;
    for (ci, c) in line.chars().enumerate() {
        if ci == hit.start {
            start_col = col;
        }
        col += c.width().unwrap_or(0);
        if ci + 1 == hit.start + hit.len {
            end_col = col;
        }
    }
    let total = col;
    // Fits, with room for the trailing marker when the line goes on.
    if end_col + usize::from(total > end_col) <= avail {
        return 0;
    }
    let window = avail.saturating_sub(2).max(1);
    let hit_w = end_col - start_col;
    let lead = (window / 3).min(window.saturating_sub(hit_w));
    let target = start_col
        .saturating_sub(lead)
        .min(total.saturating_sub(avail.saturating_sub(1)));
    let mut col = 0usize;
    for (ci, c) in line.chars().enumerate() {
        if col >= target {
            return ci;
        }
        col += c.width().unwrap_or(0);
    }
    hit.start
}

/// One line as spans in `avail` columns: coloured by token, matches highlighted, cut with
/// `…`, shifted when the current match would be off the right edge.
fn line_spans(
    line: &str,
    avail: usize,
    hits: &[Hit],
    current: Option<Hit>,
    theme: &Theme,
) -> Vec<Span<'static>> {
    if avail == 0 {
        return Vec::new();
    }
    let line = clean(line);
    let toks = tokens(&line);
    let skip = current.map_or(0, |h| shift_for(&line, h, avail));
    let lead = skip > 0;
    let budget = avail - usize::from(lead);
    let mut cells: Vec<(char, Style)> = Vec::with_capacity(budget + 1);
    let mut used = 0usize;
    let mut overflow = false;
    let mut tok = 0usize;
    let mut hit = 0usize;
    for (ci, (byte, c)) in line.char_indices().enumerate() {
        while tok < toks.len() && toks[tok].end <= byte {
            tok += 1;
        }
        if ci < skip {
            continue;
        }
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            overflow = true;
            break;
        }
        while hit < hits.len() && hits[hit].start + hits[hit].len <= ci {
            hit += 1;
        }
        let kind = toks.get(tok).filter(|t| t.start <= byte).map(|t| t.kind);
        let mut style = kind_style(kind, theme);
        if let Some(h) = hits.get(hit).filter(|h| h.start <= ci) {
            style = style.patch(if Some(*h) == current {
                theme.hit_current
            } else {
                theme.hit
            });
        }
        cells.push((c, style));
        used += w;
    }
    if overflow {
        while used + 1 > budget {
            match cells.pop() {
                Some((c, _)) => used -= c.width().unwrap_or(0),
                None => break,
            }
        }
    }
    let mut spans = Vec::new();
    if lead {
        spans.push(Span::styled("…", theme.dim));
    }
    let mut run = String::new();
    let mut run_style = Style::default();
    for (c, s) in cells {
        if s != run_style && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_style = s;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, run_style));
    }
    if overflow {
        spans.push(Span::styled("…", theme.dim));
    }
    spans
}

/// `5.3 KiB (5,431 bytes)`, in the status bar's units.
fn size_words(n: usize) -> String {
    let s = n.to_string();
    let mut grouped = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let unit = if n == 1 { "byte" } else { "bytes" };
    if n < 1024 {
        return format!("{grouped} {unit}");
    }
    format!("{} ({grouped} {unit})", human_bytes(n as u64))
}

fn digits(n: usize) -> usize {
    n.max(1).ilog10() as usize + 1
}

pub fn draw(frame: &mut Frame, area: Rect, loaded: &Loaded, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let raw = &loaded.views.raw;
    let text = raw_text(loaded);
    let total = text.line_count();
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let start = raw.scroll.offset.min(total.saturating_sub(1));
    let end = (start + body.height as usize).min(total);

    let mut spans = vec![
        Span::styled(size_words(loaded.answer.exchange.body.len()), theme.value),
        Span::styled(" · ", theme.dim),
        Span::styled(
            format!("{total} line{}", if total == 1 { "" } else { "s" }),
            theme.value,
        ),
        Span::styled(format!(" · {}–{end}", start + 1), theme.dim),
    ];
    let s = &raw.search;
    if s.editing || s.is_active() {
        spans.push(Span::raw("   "));
        spans.push(Span::styled("/", theme.key));
        spans.push(Span::styled(clean(&s.query).into_owned(), theme.accent));
        if s.editing {
            spans.push(Span::styled("▏", theme.accent));
        }
        if s.is_active() {
            spans.push(Span::raw(" "));
            let style = if s.hits.is_empty() {
                theme.warn
            } else {
                theme.title
            };
            spans.push(Span::styled(s.counter(), style));
            if s.hits.is_empty() {
                spans.push(Span::styled(" no match", theme.warn));
            }
        }
    }
    frame.render_widget(Line::from(spans), head);

    let gutter = digits(total) + 1;
    let avail = (body.width as usize).saturating_sub(gutter);
    let hits = &s.hits;
    let current = s.current_hit();
    let mut lo = hits.partition_point(|h| h.row < start);
    let mut lines = Vec::with_capacity(end - start);
    for row in start..end {
        let hi = lo + hits[lo..].partition_point(|h| h.row <= row);
        let mut spans = vec![Span::styled(
            format!("{:>w$} ", row + 1, w = gutter - 1),
            theme.dim,
        )];
        spans.extend(line_spans(
            text.line(row),
            avail,
            &hits[lo..hi],
            current.filter(|c| c.row == row),
            theme,
        ));
        lines.push(Line::from(spans));
        lo = hi;
    }
    frame.render_widget(Paragraph::new(lines), body);
}

pub fn nav(loaded: &mut Loaded, nav: Nav, w: u16, h: u16) {
    let _ = w;
    let Loaded { answer, views, .. } = loaded;
    let raw = &mut views.raw;
    // A resize clamps every tab: that alone does not build the text.
    if nav == Nav::Wheel(0) && raw.text.get().is_none() {
        return;
    }
    let text = raw
        .text
        .get_or_init(|| RawText::build(&answer.exchange.body));
    raw.scroll.nav(nav, text.line_count(), page(h));
}

/// Recomputes the hits after the query changed: a longer query filters the last matches,
/// anything else searches the whole text once.
pub fn search(loaded: &mut Loaded, w: u16, h: u16) {
    let _ = w;
    let Loaded { answer, views, .. } = loaded;
    let raw = &mut views.raw;
    let text = raw
        .text
        .get_or_init(|| RawText::build(&answer.exchange.body));
    let query = fold_str(&raw.search.query);
    if query.is_empty() || query.contains('\n') {
        raw.matches = Matches::default();
        raw.search.set_hits(Vec::new(), 0);
        return;
    }
    let folded = text.folded();
    let old = std::mem::take(&mut raw.matches);
    let at = if !old.query.is_empty() && query.starts_with(&old.query) {
        narrow(&folded.text, old.at, &query)
    } else {
        find_overlapping(&folded.text, &query)
    };
    let starts = folded.starts.as_deref().unwrap_or(&text.starts);
    let hits = hits_from(&folded.text, starts, &at, query.chars().count());
    raw.matches = Matches { query, at };
    raw.search.set_hits(hits, raw.scroll.offset);
    if let Some(hit) = raw.search.current_hit() {
        reveal(&mut raw.scroll.offset, hit.row, text.line_count(), page(h));
    }
}

/// `n`/`N`: the next or previous match, scrolled into view.
pub fn step_search(loaded: &mut Loaded, forward: bool, w: u16, h: u16) {
    let _ = w;
    let raw = &mut loaded.views.raw;
    let hit = if forward {
        raw.search.next_hit()
    } else {
        raw.search.prev_hit()
    };
    if let (Some(hit), Some(text)) = (hit, raw.text.get()) {
        reveal(&mut raw.scroll.offset, hit.row, text.line_count(), page(h));
    }
}

/// `y`: the line of the current match, else the top line on screen; `Y`: all of it.
pub fn copy(loaded: &Loaded, whole: bool) -> Option<(String, String)> {
    let text = raw_text(loaded);
    if whole {
        return Some((text.text().to_string(), "the pretty-printed JSON".into()));
    }
    let raw = &loaded.views.raw;
    let row = raw
        .search
        .current_hit()
        .map_or(raw.scroll.offset, |h| h.row)
        .min(text.line_count() - 1);
    let line = text.line(row).trim();
    if line.is_empty() {
        return None;
    }
    Some((line.to_string(), format!("line {} of the JSON", row + 1)))
}

pub fn on_key(
    loaded: &mut Loaded,
    key: crossterm::event::KeyEvent,
    w: u16,
    h: u16,
) -> Option<Vec<crate::app::Effect>> {
    let _ = (loaded, key, w, h);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Exchange, Query, client::interpret};
    use crate::app::{Action, App, Context, Source};
    use bytes::Bytes;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::time::Duration;

    const REFERENCE: &[u8] = include_bytes!("../../assets/demo/01-reference.json");

    fn app_with(body: Bytes, w: u16, h: u16) -> App {
        let answer = interpret(Exchange {
            url: "file".into(),
            status: 200,
            latency: Duration::ZERO,
            body,
            received_at: chrono::Local::now(),
        })
        .expect("a push");
        let mut app = App::new(Query::default(), Context::default()).with_answer(
            answer,
            Source::File {
                path: "01-reference.json".into(),
            },
        );
        app.update(Action::Resize(w, h));
        press(&mut app, '6');
        app
    }

    fn press(app: &mut App, c: char) {
        app.update(Action::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }

    fn key(app: &mut App, code: KeyCode) {
        app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn loaded(app: &App) -> &Loaded {
        app.loaded.as_deref().expect("loaded")
    }

    /// The tab's body as the user sees it at this terminal size.
    fn render(app: &App, theme: &Theme) -> TestBackend {
        let areas = crate::ui::layout(app);
        let mut t = Terminal::new(TestBackend::new(areas.body.width, areas.body.height)).unwrap();
        t.draw(|f| draw(f, f.area(), loaded(app), theme)).unwrap();
        t.backend().clone()
    }

    fn search_for(app: &mut App, q: &str) {
        press(app, '/');
        for c in q.chars() {
            press(app, c);
        }
        key(app, KeyCode::Enter);
    }

    #[test]
    fn line_index() {
        let t = RawText::build(br#"{"a":[1,2],"b":{},"c":"x\ny"}"#);
        assert_eq!(t.line_count(), 8);
        let lines: Vec<&str> = (0..t.line_count()).map(|i| t.line(i)).collect();
        assert_eq!(
            lines,
            [
                "{",
                r#"  "a": ["#,
                "    1,",
                "    2",
                "  ],",
                r#"  "b": {},"#,
                r#"  "c": "x\ny""#,
                "}"
            ]
        );
        assert_eq!(t.line(99), "");
        let one = RawText::build(b"42");
        assert_eq!((one.line_count(), one.line(0)), (1, "42"));
    }

    fn kinds(line: &str) -> Vec<(&str, Kind)> {
        tokens(line)
            .into_iter()
            .map(|t| (&line[t.start..t.end], t.kind))
            .collect()
    }

    #[test]
    fn tokenizer_colours_keys_strings_numbers_literals() {
        use Kind::*;
        assert_eq!(
            kinds(r#"  "k\"ey": "v\"a,l: x","#),
            [
                (r#""k\"ey""#, Key),
                (":", Punct),
                (r#""v\"a,l: x""#, Str),
                (",", Punct)
            ]
        );
        assert_eq!(
            kinds("-1.5e+10, 20000.00, 0"),
            [
                ("-1.5e+10", Num),
                (",", Punct),
                ("20000.00", Num),
                (",", Punct),
                ("0", Num)
            ]
        );
        assert_eq!(
            kinds(r#"[{"a": [true, null]}, false, "\\"]"#),
            [
                ("[", Punct),
                ("{", Punct),
                (r#""a""#, Key),
                (":", Punct),
                ("[", Punct),
                ("true", Lit),
                (",", Punct),
                ("null", Lit),
                ("]", Punct),
                ("}", Punct),
                (",", Punct),
                ("false", Lit),
                (",", Punct),
                (r#""\\""#, Str),
                ("]", Punct)
            ]
        );
        // Unterminated strings and odd bytes do not panic or lose text.
        assert_eq!(kinds(r#""abc\"#), [(r#""abc\"#, Str)]);
        assert_eq!(kinds("你 nope"), [("你", Other), ("nope", Other)]);
    }

    #[test]
    fn hits_are_per_line_in_characters_and_do_not_overlap() {
        let t = RawText::build("{\"a\":\"ÄAaAa\",\"bb\":\"aaaa\"}".as_bytes());
        let f = t.folded();
        assert!(f.starts.is_none());
        let at = find_overlapping(&f.text, "aa");
        // Overlapping occurrences are all kept for narrowing ...
        assert_eq!(at.len(), 6);
        let hits = hits_from(&f.text, &t.starts, &at, 2);
        // ... but hits are not: "ÄAaAa" → Ä|Aa|Aa, "aaaa" → aa|aa; columns in characters.
        let pos: Vec<(usize, usize)> = hits.iter().map(|h| (h.row, h.start)).collect();
        assert_eq!(pos, [(1, 9), (1, 11), (2, 9), (2, 11)]);
        // Kelvin sign: folding changes byte lengths, so the folded text has its own index.
        let k = RawText::build("{\"\u{212a}x\":\"kx\"}".as_bytes());
        let f = k.folded();
        assert!(f.starts.is_some());
        let at = find_overlapping(&f.text, "kx");
        let hits = hits_from(&f.text, f.starts.as_deref().unwrap(), &at, 2);
        let pos: Vec<(usize, usize)> = hits.iter().map(|h| (h.row, h.start)).collect();
        assert_eq!(pos, [(1, 3), (1, 9)]);
    }

    #[test]
    fn narrowing_matches_a_fresh_search() {
        assert!(self_overlapping("aa") && self_overlapping("abca") && self_overlapping("ää"));
        assert!(!self_overlapping("halo") && !self_overlapping("a") && !self_overlapping(""));
        let hay = fold_str("aaab aab ab AAB xaab");
        let mut at = find_overlapping(&hay, "a");
        for q in ["aa", "aab", "aab "] {
            at = narrow(&hay, at, q);
            assert_eq!(at, find_overlapping(&hay, q), "{q}");
        }
        // "aa" found non-overlapping would miss the "aab" starting at 1.
        assert_eq!(find_overlapping(&hay, "aab"), [1, 5, 12, 17]);
    }

    #[test]
    fn incremental_search_through_the_app() {
        let mut app = app_with(Bytes::from_static(REFERENCE), 80, 24);
        search_for(&mut app, "ha");
        let broad = loaded(&app).views.raw.search.hits.len();
        press(&mut app, '/');
        for c in "halo".chars() {
            press(&mut app, c);
        }
        let narrowed = loaded(&app).views.raw.search.hits.clone();
        assert!(!narrowed.is_empty() && narrowed.len() < broad);
        // The same query from scratch finds the same.
        app.loaded.as_mut().unwrap().views.raw.matches = Matches::default();
        let (w, h) = app.body_size();
        search(app.loaded.as_mut().unwrap(), w, h);
        assert_eq!(loaded(&app).views.raw.search.hits, narrowed);
        // Every hit is really there, in display characters.
        let l = loaded(&app);
        let text = l.views.raw.text.get().unwrap();
        for h in &narrowed {
            let s: String = text.line(h.row).chars().skip(h.start).take(h.len).collect();
            assert_eq!(s.to_lowercase(), "halo");
        }
        // Backspace to nothing clears.
        for _ in 0..4 {
            key(&mut app, KeyCode::Backspace);
        }
        assert!(loaded(&app).views.raw.search.hits.is_empty());
    }

    #[test]
    fn steps_reveal_the_current_hit() {
        let mut app = app_with(Bytes::from_static(REFERENCE), 80, 24);
        search_for(&mut app, "robottext");
        let (_, h) = app.body_size();
        for _ in 0..30 {
            press(&mut app, 'n');
            let raw = &loaded(&app).views.raw;
            let hit = raw.search.current_hit().unwrap();
            assert!(hit.row >= raw.scroll.offset && hit.row < raw.scroll.offset + page(h));
        }
        press(&mut app, 'N');
        assert!(loaded(&app).views.raw.search.current.is_some());
    }

    #[test]
    fn current_hit_beyond_the_edge_is_shown() {
        let long = format!("{{\"note\":\"{}needle tail\"}}", "x".repeat(200));
        let mut app = app_with(
            Bytes::from(format!(
                r#"{{"code":200,"status":"OK","data":{{"workflow_id":"w","extra":{long}}}}}"#
            )),
            80,
            24,
        );
        search_for(&mut app, "needle");
        let b = render(&app, &Theme::plain());
        let screen = format!("{b}");
        assert!(screen.contains(" 7 …xxxx"), "{screen}");
        // The line's end at the right edge: `…xxx…needle tail"` fills the row.
        assert!(screen.contains("xxxxneedle tail\"\""), "{screen}");
        // Other lines stay cut at the width with a marker.
        let mut app = app_with(
            Bytes::from(format!(
                r#"{{"code":200,"status":"OK","data":{{"workflow_id":"w","extra":{long}}}}}"#
            )),
            80,
            24,
        );
        press(&mut app, 'g');
        let screen = format!("{}", render(&app, &Theme::plain()));
        assert!(screen.contains("xxxx…"), "{screen}");
        assert!(!screen.contains("needle"));
    }

    #[test]
    fn colours_and_highlights() {
        let mut app = app_with(Bytes::from_static(REFERENCE), 80, 24);
        search_for(&mut app, "workflow_id");
        let theme = Theme::color();
        let b = render(&app, &theme);
        let buf = b.buffer();
        // Find the first row holding `"data": {`.
        let row = (0..buf.area.height)
            .find(|&y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .contains("\"data\"")
            })
            .unwrap();
        let x = (0..buf.area.width)
            .find(|&x| buf[(x, row)].symbol() == "d")
            .unwrap();
        assert_eq!(buf[(x, row)].fg, theme.json_key.fg.unwrap());
        // The current match is highlighted.
        let hit_row = loaded(&app).views.raw.search.current_hit().unwrap().row;
        let y = (hit_row - loaded(&app).views.raw.scroll.offset + 1) as u16;
        let xs: Vec<u16> = (0..buf.area.width)
            .filter(|&x| buf[(x, y)].bg == theme.hit_current.bg.unwrap())
            .collect();
        assert_eq!(xs.len(), "workflow_id".len());
    }

    #[test]
    fn copy_line_and_whole() {
        let mut app = app_with(Bytes::from_static(REFERENCE), 80, 24);
        search_for(&mut app, "callee_name");
        let (line, what) = copy(loaded(&app), false).unwrap();
        assert_eq!(line, r#""callee_name": "WILL SMITH","#);
        assert!(what.starts_with("line "));
        let (all, _) = copy(loaded(&app), true).unwrap();
        let a: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        let b: serde_json::Value = serde_json::from_str(&all).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn resize_alone_does_not_build_the_text() {
        let mut app = app_with(Bytes::from_static(REFERENCE), 80, 24);
        app.update(Action::Resize(100, 30));
        assert!(loaded(&app).views.raw.text.get().is_none());
        press(&mut app, 'j');
        assert!(loaded(&app).views.raw.text.get().is_some());
    }

    #[test]
    fn size_words_read_well() {
        assert_eq!(size_words(1), "1 byte");
        assert_eq!(size_words(1023), "1,023 bytes");
        assert_eq!(size_words(5431), "5.3 KiB (5,431 bytes)");
        assert_eq!(size_words(19_234_567), "18.3 MiB (19,234,567 bytes)");
    }

    #[test]
    fn snapshots_reference() {
        for (w, h) in [(80u16, 24u16), (160, 50)] {
            let mut app = app_with(Bytes::from_static(REFERENCE), w, h);
            insta::assert_snapshot!(format!("raw_top_{w}x{h}"), render(&app, &Theme::plain()));
            press(&mut app, 'G');
            insta::assert_snapshot!(format!("raw_bottom_{w}x{h}"), render(&app, &Theme::plain()));
            press(&mut app, 'g');
            search_for(&mut app, "halo");
            press(&mut app, 'n');
            insta::assert_snapshot!(format!("raw_search_{w}x{h}"), render(&app, &Theme::plain()));
        }
    }

    #[test]
    fn a_five_megabyte_answer_opens_and_goes_to_the_end() {
        let items: Vec<serde_json::Value> = (0..45_000)
            .map(|i| {
                serde_json::json!({
                    "time": format!("00:{:02}:{:02}", i / 60 % 60, i % 60),
                    "robottext": format!("halo turn {i}, selamat siang"),
                    "text": "ya, saya di sini",
                    "score": -1.5e10,
                })
            })
            .collect();
        let body = serde_json::json!({
            "code": 200,
            "status": "OK",
            "data": {"workflow_id": "w", "call": {"asr_result": items}}
        });
        let body = serde_json::to_vec(&body).unwrap();
        assert!(body.len() > 5_000_000, "{}", body.len());
        let mut app = app_with(Bytes::from(body), 120, 40);
        press(&mut app, 'G');
        let l = loaded(&app);
        let text = l.views.raw.text.get().expect("built on G");
        let lines = text.text().bytes().filter(|&b| b == b'\n').count() + 1;
        assert_eq!(text.line_count(), lines);
        let (_, h) = app.body_size();
        assert_eq!(l.views.raw.scroll.offset, lines - page(h));
        let screen = format!("{}", render(&app, &Theme::color()));
        assert!(screen.contains(&format!("{lines} }}")), "{screen}");
        search_for(&mut app, "turn 3999");
        assert_eq!(loaded(&app).views.raw.search.hits.len(), 11);
    }
}
