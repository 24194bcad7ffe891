//! Tables that fit the width they get: columns kept, narrowed or dropped by priority, cells cut
//! with `…` so nothing runs past its column; how a tab's height is shared between a table and
//! the blocks under it; and label/value pairs flowing along lines where height is short.
//! The sizing functions are plain arithmetic, tested without a terminal.

pub(crate) mod tab;

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Theme;
use crate::text::{clean, width, wrap};

/// Blank columns between two table columns.
pub(crate) const GAP: usize = 2;

/// What a column needs, for [`fit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ColSpec {
    /// Lower is more important: kept columns narrow in reverse order of it, the others are
    /// added in its order while they fit.
    pub priority: u8,
    /// Never dropped (narrowed instead, down to one column when nothing else helps).
    pub keep: bool,
    /// The natural width: the widest value or the title.
    pub want: usize,
    /// The narrowest width that still reads (short forms of the values and the title).
    pub min: usize,
    /// Widths between `min` and `want` show no more than `min` does (the short forms take
    /// over as soon as the full ones do not fit), so the column is either at one or the other.
    pub snap: bool,
}

impl ColSpec {
    pub(crate) fn new(priority: u8, keep: bool, want: usize, min: usize) -> Self {
        let want = want.max(1);
        ColSpec {
            priority,
            keep,
            want,
            min: min.clamp(1, want),
            snap: false,
        }
    }

    /// Marks the column as either narrow or whole (see [`ColSpec::snap`]).
    pub(crate) fn snap(mut self) -> Self {
        self.snap = true;
        self
    }
}

/// Total width of columns `w` (0 = not shown) with `gap` between the shown ones.
pub(crate) fn total_width(w: &[usize], gap: usize) -> usize {
    let shown = w.iter().filter(|&&x| x > 0).count();
    w.iter().sum::<usize>() + gap * shown.saturating_sub(1)
}

/// Widths for `cols` in `avail` columns with `gap` between shown ones; 0 means dropped.
/// The result never exceeds `avail` unless the kept columns cannot be made narrower (one
/// column each).
///
/// Kept columns start at their natural width; when that is too wide, the least important
/// narrow first, each to its minimum (a snapping column straight to it), then the widest give
/// one column at a time. Otherwise the other columns come in by priority, at their natural
/// width when it fits, else at their minimum. What room is left at the end widens narrowed
/// columns toward their natural width, most important first (a snapping one only when it
/// can become whole).
pub(crate) fn fit(cols: &[ColSpec], avail: usize, gap: usize) -> Vec<usize> {
    let n = cols.len();
    let mut w = vec![0usize; n];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (cols[i].priority, i));
    for &i in &order {
        if cols[i].keep {
            w[i] = cols[i].want;
        }
    }
    if total_width(&w, gap) > avail {
        for &i in order.iter().rev().filter(|&&i| cols[i].keep) {
            let over = total_width(&w, gap).saturating_sub(avail);
            if over == 0 {
                break;
            }
            let slack = w[i] - cols[i].min;
            w[i] -= if cols[i].snap { slack } else { slack.min(over) };
        }
        while total_width(&w, gap) > avail {
            let widest = (0..n)
                .filter(|&i| w[i] > 1)
                .max_by_key(|&i| (w[i], std::cmp::Reverse(cols[i].priority)));
            match widest {
                Some(i) => w[i] -= 1,
                None => break,
            }
        }
    } else {
        for &i in order.iter().filter(|&&i| !cols[i].keep) {
            let used = total_width(&w, gap);
            let room = avail - used;
            let gap_here = if used > 0 { gap } else { 0 };
            if cols[i].want + gap_here <= room {
                w[i] = cols[i].want;
            } else if cols[i].min + gap_here <= room {
                w[i] = cols[i].min;
            }
        }
    }
    // Snapping columns become whole where the room allows, the most important first; the
    // rest is shared out one column per round.
    for &i in &order {
        let room = avail.saturating_sub(total_width(&w, gap));
        if cols[i].snap && w[i] > 0 && w[i] < cols[i].want && cols[i].want - w[i] <= room {
            w[i] = cols[i].want;
        }
    }
    loop {
        let mut room = avail.saturating_sub(total_width(&w, gap));
        let mut gave = false;
        for &i in &order {
            if room == 0 {
                break;
            }
            if w[i] > 0 && w[i] < cols[i].want && !cols[i].snap {
                w[i] += 1;
                room -= 1;
                gave = true;
            }
        }
        if !gave || room == 0 {
            break;
        }
    }
    w
}

pub(crate) use crate::text::cut;

/// `s` padded with spaces to exactly `w` columns (cut first when wider, with a `…`).
pub(crate) fn pad(s: &str, w: usize, right: bool) -> String {
    use unicode_truncate::{Alignment, UnicodeTruncateStr};
    let align = if right {
        Alignment::Right
    } else {
        Alignment::Left
    };
    cut(s, w).unicode_pad(w, align, false).into_owned()
}

/// The full text when it fits in `w`, else the short form when there is one that fits, else
/// the full text cut.
pub(crate) fn choose<'a>(full: &'a str, short: Option<&'a str>, w: usize) -> Cow<'a, str> {
    if width(full) <= w {
        return Cow::Borrowed(full);
    }
    match short {
        Some(s) if width(s) <= w => Cow::Borrowed(s),
        _ => cut(full, w),
    }
}

/// One cell: its text (already clean), a shorter form for narrow columns, and its style.
#[derive(Debug, Clone)]
pub(crate) struct Cell<'a> {
    pub full: Cow<'a, str>,
    pub short: Option<Cow<'a, str>>,
    pub style: Style,
}

impl<'a> Cell<'a> {
    pub(crate) fn new(full: impl Into<Cow<'a, str>>, style: Style) -> Self {
        Cell {
            full: full.into(),
            short: None,
            style,
        }
    }
    pub(crate) fn short(mut self, short: impl Into<Cow<'a, str>>) -> Self {
        self.short = Some(short.into());
        self
    }
}

/// One table line from `cells` in columns `widths` (0 = dropped), `right[i]` aligning column
/// `i` to the right; `base` is patched under every cell's style (the selection).
pub(crate) fn row_line(
    cells: &[Cell<'_>],
    widths: &[usize],
    right: &[bool],
    base: Style,
) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::with_capacity(cells.len() * 2);
    let mut first = true;
    for (i, c) in cells.iter().enumerate() {
        let w = widths.get(i).copied().unwrap_or(0);
        if w == 0 {
            continue;
        }
        if !first {
            spans.push(Span::styled(" ".repeat(GAP), base));
        }
        first = false;
        let text = choose(&c.full, c.short.as_deref(), w);
        spans.push(Span::styled(
            pad(&text, w, right.get(i).copied().unwrap_or(false)),
            base.patch(c.style),
        ));
    }
    Line::from(spans)
}

/// Pads `line` with `style` out to `width` columns (a selection bar across the whole row).
pub(crate) fn fill(mut line: Line<'static>, width_: usize, style: Style) -> Line<'static> {
    let w = line.width();
    if w < width_ {
        line.spans.push(Span::styled(" ".repeat(width_ - w), style));
    }
    line
}

/// The same line as plain text, trailing spaces trimmed (for copying).
pub(crate) fn row_text(cells: &[Cell<'_>], widths: &[usize], right: &[bool]) -> String {
    let line = row_line(cells, widths, right, Style::default());
    let s: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    s.trim_end().to_string()
}

/// How a tab `h` lines high is shared between a table on top and blocks under it.
///
/// The table (header included) wants `table_full` lines and gets at least `table_min` (or
/// `table_full` when smaller); each block wants its length and a blank line before it.
/// Returns the table's height and how many blocks get their blank line (the first ones).
/// A whole table comes before the blank lines, the blank lines before a longer cut table.
/// Blocks that still do not fit are cut at the bottom by the caller.
pub(crate) fn share(
    h: usize,
    table_full: usize,
    table_min: usize,
    blocks: &[usize],
) -> (usize, usize) {
    let table_min = table_min.min(table_full);
    let body: usize = blocks.iter().sum();
    let seps = blocks.iter().filter(|&&b| b > 0).count();
    if table_full + body <= h {
        return (table_full, seps.min(h - table_full - body));
    }
    if table_min + body + seps <= h {
        return (h - body - seps, seps);
    }
    if table_min + body <= h {
        return (h - body, 0);
    }
    (table_min.min(h), 0)
}

/// A label and its value for [`flow`] and detail grids; the value is cleaned when shown.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub label: String,
    pub value: String,
    pub style: Style,
}

impl Field {
    pub(crate) fn new(label: impl Into<String>, value: impl Into<String>, style: Style) -> Self {
        Field {
            label: label.into(),
            value: value.into(),
            style,
        }
    }
}

/// Fields flowing along lines `width` wide, `label value` pairs two columns apart; a value
/// too long for a line wraps under itself. Empty values show as a dim `—`.
pub(crate) fn flow(fields: &[Field], width_: u16, theme: &Theme) -> Vec<Line<'static>> {
    let total = (width_ as usize).max(10);
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut used = 0usize;
    for f in fields {
        let label = clean(&f.label).into_owned();
        let value = clean(&f.value);
        let (value, style) = if value.trim().is_empty() {
            (Cow::Borrowed("—"), theme.dim)
        } else {
            (value, f.style)
        };
        let lw = width(&label);
        let item = lw + 1 + width(&value);
        if used > 0 && used + GAP + item <= total {
            cur.push(Span::raw(" ".repeat(GAP)));
            used += GAP;
        } else if used > 0 {
            out.push(Line::from(std::mem::take(&mut cur)));
            used = 0;
        }
        if used + item <= total {
            cur.push(Span::styled(label, theme.label));
            cur.push(Span::raw(" "));
            cur.push(Span::styled(value.into_owned(), style));
            used += item;
            continue;
        }
        // Longer than a line (which is empty here): the value wraps under itself, or under
        // the label when the label takes half the line.
        let beside = lw < total / 2;
        let indent = if beside { lw + 1 } else { 2 };
        cur.push(Span::styled(label, theme.label));
        if beside {
            cur.push(Span::raw(" "));
        } else {
            out.push(Line::from(std::mem::take(&mut cur)));
        }
        for (i, piece) in wrap(&value, total - indent).into_iter().enumerate() {
            if i > 0 || !beside {
                if i > 0 {
                    out.push(Line::from(std::mem::take(&mut cur)));
                }
                cur.push(Span::raw(" ".repeat(indent)));
            }
            cur.push(Span::styled(piece.to_string(), style));
        }
        out.push(Line::from(std::mem::take(&mut cur)));
        used = 0;
    }
    if !cur.is_empty() {
        out.push(Line::from(cur));
    }
    out
}

/// Apps on a tab and renders of its area, for the tabs' snapshot tests.
#[cfg(test)]
pub mod testing {
    use std::time::Duration;

    use bytes::Bytes;
    use chrono::TimeZone;
    use crossterm::event::{KeyCode, KeyEvent};
    use ratatui::backend::TestBackend;
    use ratatui::layout::Rect;
    use ratatui::{Frame, Terminal};

    use crate::api::Query;
    use crate::api::client::{Exchange, interpret};
    use crate::app::{Action, App, Context, Effect, Loaded, Source};
    use crate::ui::Theme;

    pub const REFERENCE: &[u8] = include_bytes!("../../assets/demo/01-reference.json");

    /// An app showing `body` as if opened from a file, at `w`×`h`, on tab `tab` ('1'…'6').
    pub fn app_on_tab(body: Vec<u8>, w: u16, h: u16, tab: char) -> App {
        let exchange = Exchange {
            url: "file".into(),
            status: 200,
            latency: Duration::ZERO,
            body: Bytes::from(body),
            received_at: chrono::Local
                .with_ymd_and_hms(2024, 3, 12, 15, 0, 5)
                .earliest()
                .expect("a valid local time"),
        };
        let answer = interpret(exchange).expect("a valid answer");
        let mut app = App::new(Query::default(), Context::default()).with_answer(
            answer,
            Source::File {
                path: "case.json".into(),
            },
        );
        app.update(Action::Resize(w, h));
        keys(&mut app, &tab.to_string());
        app
    }

    /// Presses each character as a key; the effects that came out.
    pub fn keys(app: &mut App, keys: &str) -> Vec<Effect> {
        let mut effects = Vec::new();
        for c in keys.chars() {
            for e in app.update(Action::Key(KeyEvent::from(KeyCode::Char(c)))) {
                effects.extend(crate::ui::copy_view(app, e).ok());
            }
        }
        effects
    }

    /// The tab's own area (as the app lays it out) drawn by `draw`, in the mono theme so the
    /// text is what is checked.
    pub fn render(app: &App, draw: fn(&mut Frame, Rect, &Loaded, &Theme)) -> Terminal<TestBackend> {
        let body = crate::ui::layout(app).body;
        let mut term = Terminal::new(TestBackend::new(body.width, body.height)).unwrap();
        term.draw(|f| {
            let area = f.area();
            draw(f, area, app.loaded.as_deref().unwrap(), &Theme::plain());
        })
        .unwrap();
        term
    }

    /// Draws `app`'s answer with `draw` at every small size up to 70×12 (in steps of 3
    /// columns): none may panic.
    pub fn draw_small(app: &App, draw: fn(&mut Frame, Rect, &Loaded, &Theme)) {
        let loaded = app.loaded.as_deref().unwrap();
        for w in (0..70).step_by(3) {
            for h in 0..12 {
                let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
                term.draw(|f| draw(f, f.area(), loaded, &Theme::color()))
                    .unwrap();
            }
        }
    }

    pub fn screen(term: &Terminal<TestBackend>) -> String {
        term.backend().to_string()
    }

    /// The whole screen of `app` drawn at 160×50, a line of text a row.
    pub fn app_screen(app: &App) -> String {
        let mut term = Terminal::new(TestBackend::new(160, 50)).unwrap();
        term.draw(|f| crate::ui::draw(f, app)).unwrap();
        let buf = term.backend().buffer();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `json` without the key at `path`.
    pub fn without(json: &[u8], path: &[&str]) -> Vec<u8> {
        let mut v: serde_json::Value = serde_json::from_slice(json).unwrap();
        let (last, parents) = path.split_last().unwrap();
        let mut node = &mut v;
        for p in parents {
            node = node.get_mut(*p).unwrap();
        }
        node.as_object_mut().unwrap().remove(*last);
        serde_json::to_vec(&v).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(priority: u8, keep: bool, want: usize, min: usize) -> ColSpec {
        ColSpec::new(priority, keep, want, min)
    }

    #[test]
    fn everything_fits_at_natural_width() {
        let cols = [
            spec(0, true, 5, 3),
            spec(1, false, 8, 8),
            spec(2, false, 4, 2),
        ];
        assert_eq!(fit(&cols, 100, 2), [5, 8, 4]);
        assert_eq!(total_width(&[5, 8, 4], 2), 21);
        assert_eq!(fit(&cols, 21, 2), [5, 8, 4]);
    }

    #[test]
    fn optional_columns_drop_by_priority_and_come_in_narrow() {
        // Order on screen differs from priority: the third column is more important.
        let cols = [
            spec(0, true, 10, 10),
            spec(5, false, 20, 20),
            spec(1, false, 6, 3),
        ];
        // 10 + 2 + 6 = 18: the wide column does not fit even narrowed.
        assert_eq!(fit(&cols, 30, 2), [10, 0, 6]);
        // 10 + 2 + 3 = 15 at the minimum.
        assert_eq!(fit(&cols, 15, 2), [10, 0, 3]);
        assert_eq!(fit(&cols, 16, 2), [10, 0, 4]);
        // Below that only the kept column.
        assert_eq!(fit(&cols, 14, 2), [10, 0, 0]);
        // The more important narrow column comes first and leaves no room for the wide one.
        assert_eq!(fit(&cols, 39, 2), [10, 0, 6]);
        assert_eq!(fit(&cols, 40, 2), [10, 20, 6]);
    }

    #[test]
    fn kept_columns_narrow_least_important_first_then_evenly() {
        let cols = [
            spec(0, true, 4, 4),
            spec(1, true, 25, 10),
            spec(3, true, 11, 3),
        ];
        // 4 + 25 + 11 + 4 = 44.
        assert_eq!(fit(&cols, 44, 2), [4, 25, 11]);
        // The answered column (priority 3) gives first, down to 3.
        assert_eq!(fit(&cols, 40, 2), [4, 25, 7]);
        assert_eq!(fit(&cols, 36, 2), [4, 25, 3]);
        // Then the content column.
        assert_eq!(fit(&cols, 30, 2), [4, 19, 3]);
        assert_eq!(fit(&cols, 21, 2), [4, 10, 3]);
        // Past every minimum: the widest give one column at a time.
        let w = fit(&cols, 15, 2);
        assert_eq!(total_width(&w, 2), 15);
        assert!(w.iter().all(|&x| x >= 1));
        // Impossible: one column each, even if that is still too wide.
        assert_eq!(fit(&cols, 2, 2), [1, 1, 1]);
    }

    #[test]
    fn snapping_columns_are_narrow_or_whole() {
        // A start time (19, or 8 as a clock) and a result (6, or 3 under a short title).
        let cols = [
            spec(1, true, 19, 8).snap(),
            spec(2, true, 14, 14),
            spec(4, true, 6, 3).snap(),
        ];
        // 19 + 14 + 6 + 4 = 43.
        assert_eq!(fit(&cols, 43, 2), [19, 14, 6]);
        // The result snaps first, then the start; the result then gets its room back.
        assert_eq!(fit(&cols, 40, 2), [19, 14, 3]);
        assert_eq!(fit(&cols, 39, 2), [8, 14, 6]);
        assert_eq!(fit(&cols, 32, 2), [8, 14, 6]);
        assert_eq!(fit(&cols, 31, 2), [8, 14, 3]);
        // An optional snapping column is never left in between either.
        let cols = [spec(0, true, 10, 10), spec(1, false, 11, 4).snap()];
        assert_eq!(fit(&cols, 20, 2), [10, 4]);
        assert_eq!(fit(&cols, 22, 2), [10, 4]);
        assert_eq!(fit(&cols, 23, 2), [10, 11]);
    }

    #[test]
    fn never_wider_than_the_room() {
        let cols = [
            spec(0, true, 3, 3),
            spec(1, true, 19, 8).snap(),
            spec(2, true, 14, 14),
            spec(6, false, 14, 14),
            spec(8, false, 9, 6),
            spec(5, false, 4, 4),
            spec(3, true, 8, 8),
            spec(4, true, 6, 3),
            spec(9, false, 11, 4),
            spec(7, false, 32, 32),
        ];
        // The kept columns' minimums and the gaps between them.
        assert_eq!(3 + 8 + 14 + 8 + 3 + 4 * GAP, 44);
        for avail in 44..200 {
            let w = fit(&cols, avail, GAP);
            assert!(total_width(&w, GAP) <= avail, "{avail}: {w:?}");
            for (i, c) in cols.iter().enumerate() {
                if c.keep {
                    assert!(w[i] >= c.min, "{avail}: {w:?}");
                }
                assert!(w[i] <= c.want);
            }
        }
        assert_eq!(
            fit(&cols, 200, GAP),
            cols.iter().map(|c| c.want).collect::<Vec<_>>()
        );
    }

    #[test]
    fn cut_and_pad_respect_display_width() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abc", 0), "");
        assert_eq!(cut("你好世界", 5), "你好…");
        assert_eq!(width(&cut("你好世界", 4)), 3);
        assert_eq!(pad("ab", 4, false), "ab  ");
        assert_eq!(pad("ab", 4, true), "  ab");
        assert_eq!(pad("abcdef", 4, true), "abc…");
        // Wide characters are never split: the column left over is padding.
        assert_eq!(pad("你好世界", 5, false), "你好…");
        assert_eq!(pad("你好世界", 4, false), "你… ");
        assert_eq!(pad("你好世界", 4, true), " 你…");
        assert_eq!(pad("你", 3, true), " 你");
        assert_eq!(pad("😀😀😀", 4, false), "😀… ");
        assert_eq!(pad("a😀", 2, false), "a…");
        for (s, w) in [("你好世界", 3), ("😀x😀", 4), ("ab你", 3), ("👍", 1)] {
            assert_eq!(width(&pad(s, w, false)), w, "{s:?} {w}");
            assert_eq!(width(&pad(s, w, true)), w, "{s:?} {w}");
        }
        assert_eq!(
            choose("2024-03-12 14:51:15", Some("14:51:15"), 10),
            "14:51:15"
        );
        assert_eq!(
            choose("2024-03-12 14:51:15", Some("14:51:15"), 19),
            "2024-03-12 14:51:15"
        );
        assert_eq!(choose("NotAnswered", Some("no"), 1), "…");
        assert_eq!(choose("NotAnswered", None, 6), "NotAn…");
    }

    #[test]
    fn rows_keep_to_their_columns() {
        let cells = [
            Cell::new("1", Style::default()),
            Cell::new("dropped", Style::default()),
            Cell::new("a long value", Style::default()),
            Cell::new("7 s", Style::default()),
        ];
        let text = row_text(&cells, &[2, 0, 6, 4], &[true, false, false, true]);
        assert_eq!(text, " 1  a lon…   7 s");
    }

    #[test]
    fn height_goes_to_the_table_first_then_blank_lines() {
        // Everything fits with blank lines.
        assert_eq!(share(21, 5, 4, &[3, 5]), (5, 2));
        // A whole table first, then as many blank lines as fit.
        assert_eq!(share(14, 5, 4, &[3, 5]), (5, 1));
        assert_eq!(share(13, 5, 4, &[3, 5]), (5, 0));
        // A long table shrinks to make room, down to its minimum, keeping the blank lines.
        assert_eq!(share(21, 16, 4, &[3, 5, 5]), (5, 3));
        // Then the blank lines go.
        assert_eq!(share(18, 16, 4, &[3, 5, 5]), (5, 0));
        assert_eq!(share(16, 16, 4, &[3, 5, 5]), (4, 0));
        // Then the blocks are cut (the table keeps its minimum).
        assert_eq!(share(10, 16, 4, &[3, 5, 5]), (4, 0));
        assert_eq!(share(3, 16, 4, &[3]), (3, 0));
        // Empty blocks need no blank line.
        assert_eq!(share(6, 5, 4, &[0, 1]), (5, 0));
        assert_eq!(share(7, 5, 4, &[0, 1]), (5, 1));
    }

    #[test]
    fn fields_flow_and_wrap() {
        let t = Theme::plain();
        let fields = [
            Field::new("call_id", "abc", Style::default()),
            Field::new("start", "2024-03-12 14:51:15", Style::default()),
            Field::new("empty", "", Style::default()),
            Field::new(
                "text",
                "one two three four five six seven",
                Style::default(),
            ),
        ];
        let lines: Vec<String> = flow(&fields, 30, &t)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(
            lines,
            [
                "call_id abc",
                "start 2024-03-12 14:51:15",
                "empty —",
                "text one two three four five",
                "     six seven",
            ]
        );
        for l in &lines {
            assert!(width(l) <= 30);
        }
    }
}
