//! Tab 6: the answer as it arrived, pretty-printed with every token as sent, coloured, with
//! the matches of `/` highlighted. Only the lines on screen are printed (from the line index,
//! [`crate::json::lines`]); long lines are cut at the width with `…`, and the line of the
//! current match is shifted sideways so the match shows. What the keys do is the tab's
//! state ([`crate::app::raw`]).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthChar;

use super::Theme;
use crate::api::error::human_bytes;
use crate::app::Loaded;
use crate::app::raw::{active, raw_lines};
use crate::app::search::{Hit, Search, lines::current_hit};
use crate::json::lexer::{Kind, tokens};
use crate::text::clean;

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
    let lines = raw_lines(loaded);
    let total = lines.count();
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let start = raw.scroll.offset().min(total.saturating_sub(1));
    let end = (start + body.height as usize).min(total);

    let mut spans = vec![
        Span::styled(size_words(loaded.received_len), theme.value),
        Span::styled(" · ", theme.dim),
        Span::styled(
            format!("{total} line{}", if total == 1 { "" } else { "s" }),
            theme.value,
        ),
        Span::styled(format!(" · {}–{end}", start + 1), theme.dim),
    ];
    // A masked copy without its transcript, or the first part of an answer: `[]` stands in
    // for the transcript.
    let missing = match loaded.lists {
        crate::app::Lists::Masking => Some(" · the transcript is being masked"),
        crate::app::Lists::Unmasked(_) => Some(" · the transcript could not be masked"),
        crate::app::Lists::Arriving { .. } => {
            Some(" · the part before the transcript, without its redials: the rest is arriving")
        }
        _ => None,
    };
    if let Some(words) = missing {
        spans.push(Span::styled(words, theme.warn));
    }
    let s = &raw.search;
    let found = active(raw);
    if s.editing || s.is_active() {
        spans.push(Span::raw("   "));
        spans.push(Span::styled("/", theme.key));
        spans.push(Span::styled(clean(&s.query).into_owned(), theme.accent));
        if s.editing {
            spans.push(Span::styled("▏", theme.accent));
        }
        if s.is_active() {
            spans.push(Span::raw(" "));
            let none = found.is_none_or(|s| s.hits.is_empty());
            let style = if none { theme.warn } else { theme.title };
            spans.push(Span::styled(
                found.map_or_else(|| "0/0".into(), Search::counter),
                style,
            ));
            if none {
                spans.push(Span::styled(" no match", theme.warn));
            }
        }
    }
    frame.render_widget(Line::from(spans), head);

    let gutter = digits(total) + 1;
    let avail = (body.width as usize).saturating_sub(gutter);
    let current = found.and_then(|s| current_hit(s, lines));
    let rows = found.map_or(&[][..], |s| s.hits.rows());
    let mut next = rows.partition_point(|&r| (r as usize) < start);
    let mut cursor = lines.cursor();
    let mut text = String::new();
    let mut out = Vec::with_capacity(end - start);
    for row in start..end {
        cursor.read(row, &mut text);
        let mut hits = Vec::new();
        if let Some(s) = found
            && rows.get(next).is_some_and(|&r| r as usize == row)
        {
            hits = s.hits.on_line(row, &text);
            next += 1;
        }
        let mut spans = vec![Span::styled(
            format!("{:>w$} ", row + 1, w = gutter - 1),
            theme.dim,
        )];
        spans.extend(line_spans(
            &text,
            avail,
            &hits,
            current.filter(|c| c.row == row),
            theme,
        ));
        out.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(out), body);
}

/// `y`: the line of the current match, else the top line on screen; `Y`: all of it.
pub fn copy(loaded: &Loaded, whole: bool) -> Option<(String, String)> {
    let lines = raw_lines(loaded);
    if whole {
        return Some((lines.text(), "the pretty-printed JSON".into()));
    }
    let raw = &loaded.views.raw;
    let row = active(raw)
        .and_then(Search::current_row)
        .unwrap_or(raw.scroll.offset())
        .min(lines.count() - 1);
    let line = lines.line(row);
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    Some((line.to_string(), format!("line {} of the JSON", row + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Exchange, Query, client::interpret};
    use crate::app::raw::*;
    use crate::app::search::{Matches, lines::find};
    use crate::app::{Action, App, Context, Source};
    use crate::json::lexer::*;
    use crate::json::lines::*;
    use crate::json::pretty::tests::{CORPUS, old_pretty};
    use crate::text::{clean_lines, fold_str};
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

    /// A key, and the frame's settling after it (as the loop does before it draws).
    fn press(app: &mut App, c: char) {
        key(app, KeyCode::Char(c));
    }

    fn key(app: &mut App, code: KeyCode) {
        app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        app.update(Action::Settle);
    }

    fn loaded(app: &App) -> &Loaded {
        app.loaded.as_deref().expect("loaded")
    }

    fn matches(app: &App) -> &Matches {
        &loaded(app).views.raw.search.hits
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

    /// The lines as the tab showed them before the index: the whole pretty text, cleaned
    /// as one when controls are left in it, split at line breaks.
    fn old_lines(body: &[u8]) -> Vec<String> {
        let pretty = old_pretty(body);
        let bytes = pretty.as_bytes();
        let unsafe_bytes = bytes.iter().enumerate().any(|(i, &b)| {
            (b < 0x20 && b != b'\n') || (b == 0xC2 && matches!(bytes.get(i + 1), Some(0x80..=0x9F)))
        });
        let text = if unsafe_bytes {
            clean_lines(&pretty).into_owned()
        } else {
            pretty
        };
        text.split('\n').map(str::to_string).collect()
    }

    /// Every line, read in order, backwards, and one by one.
    fn all_ways(body: &[u8]) -> Vec<String> {
        let index = RawText::build(body);
        let lines = Lines::new(&index, body);
        let n = lines.count();
        let mut cursor = lines.cursor();
        let mut forward = Vec::new();
        for row in 0..n {
            let mut s = String::new();
            cursor.read(row, &mut s);
            forward.push(s);
        }
        let mut backward = vec![String::new(); n];
        for row in (0..n).rev() {
            cursor.read(row, &mut backward[row]);
        }
        assert_eq!(forward, backward);
        for (row, l) in forward.iter().enumerate().step_by(7) {
            assert_eq!(&lines.line(row), l);
        }
        assert_eq!(lines.line(n), "");
        assert_eq!(lines.text(), forward.join("\n"));
        forward
    }

    /// Bodies for the index: the printer's corpus and deeper, longer ones, so that lines
    /// cross kept starts.
    fn bodies() -> Vec<Vec<u8>> {
        let mut v: Vec<Vec<u8>> = CORPUS.iter().map(|b| b.to_vec()).collect();
        v.push(REFERENCE.to_vec());
        let deep = 300;
        v.push(format!("{}{}{}", "[{\"a\":".repeat(deep), "[]", "}]".repeat(deep)).into_bytes());
        v.push(format!("{}1{}", "[".repeat(40), "]".repeat(60)).into_bytes());
        let list: Vec<String> = (0..100)
            .map(|i| format!("{{\"i\":{i},\"s\":\"\\u00e9 ü {i}\",\"e\":{{}},\"a\":[ ]}}"))
            .collect();
        v.push(format!("[{}]", list.join(" ,\n ")).into_bytes());
        v
    }

    #[test]
    fn index_lines_are_the_old_lines() {
        for body in bodies() {
            let what = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
            assert_eq!(all_ways(&body), old_lines(&body), "{what}");
        }
    }

    #[test]
    fn index_is_small_and_falls_back_only_when_it_must() {
        let index = RawText::build(REFERENCE);
        let Store::Marks(marks) = &index.store else {
            panic!("JSON is indexed")
        };
        assert_eq!(marks.len(), index.line_count().div_ceil(STRIDE));
        // Invalid JSON without controls is indexed too ...
        for body in [&b"<html>502</html>"[..], b"{\"a\":[1,", b"]]}\xff"] {
            assert!(matches!(RawText::build(body).store, Store::Marks(_)));
        }
        // ... but controls the printer keeps need the text cleaned as one: here a DCS
        // sequence swallows the line break after it.
        for body in [
            &b"{\"a\":1,\x1bPx,\"b\":2\x07}"[..],
            b"{\"a\":\"x\\\ny\"}",
            b"[\xc2\x85]",
        ] {
            assert!(matches!(RawText::build(body).store, Store::Text { .. }));
        }
        let body = b"{\"a\":1,\x1bPx,\"b\":2\x07}";
        assert_eq!(all_ways(body), ["{", "  \"a\": 1,", "  ␛", "}"]);
    }

    #[test]
    fn line_index() {
        let body = br#"{"a":[1,2],"b":{},"c":"x\ny"}"#;
        let t = RawText::build(body);
        let lines = Lines::new(&t, body);
        assert_eq!(lines.count(), 8);
        assert_eq!(
            all_ways(body),
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
        assert_eq!(lines.line(99), "");
        assert_eq!(all_ways(b"42"), ["42"]);
        assert_eq!(all_ways(b""), [""]);
    }

    proptest::proptest! {
        #![proptest_config(crate::proptest_config::config(500))]

        #[test]
        fn any_bytes_index_as_the_old_lines(src in proptest::collection::vec(
            proptest::prop_oneof![
                6 => proptest::sample::select(b"{}[],:\" \\ax".to_vec()),
                1 => proptest::prelude::any::<u8>(),
            ],
            0..200,
        )) {
            proptest::prop_assert_eq!(all_ways(&src), old_lines(&src));
        }
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

    /// All matches of `query` in `body`, as (line, column) in the order `n` visits them.
    fn found(body: &[u8], query: &str) -> (Matches, Vec<(usize, usize)>) {
        let index = RawText::build(body);
        let lines = Lines::new(&index, body);
        let m = find(lines, fold_str(query), None);
        let all = m
            .rows()
            .iter()
            .flat_map(|&r| m.on_line(r as usize, &lines.line(r as usize)))
            .map(|h| (h.row, h.start))
            .collect();
        (m, all)
    }

    #[test]
    fn hits_are_per_line_in_characters_and_do_not_overlap() {
        // "ÄAaAa" → Ä|Aa|Aa, "aaaa" → aa|aa; columns in characters.
        let (m, pos) = found("{\"a\":\"ÄAaAa\",\"bb\":\"aaaa\"}".as_bytes(), "aa");
        assert_eq!(pos, [(1, 9), (1, 11), (2, 9), (2, 11)]);
        assert_eq!((m.len(), m.rows()), (4, &[1, 2][..]));
        let mut s = Search::default();
        s.set_hits(m, 2);
        assert_eq!(s.counter(), "3/4");
        // Kelvin sign: folding changes byte lengths, not character columns.
        let (_, pos) = found("{\"\u{212a}x\":\"kx\"}".as_bytes(), "kx");
        assert_eq!(pos, [(1, 3), (1, 9)]);
        // Nothing found across lines or in the indent's line breaks.
        assert_eq!(found(b"[1,2]", "1,\n").1, []);
        assert_eq!(found(b"[1,2]", "1,2").1, []);
    }

    #[test]
    fn narrowing_matches_a_fresh_search() {
        for body in bodies() {
            let index = RawText::build(&body);
            let lines = Lines::new(&index, &body);
            let mut last = find(lines, "a".into(), None);
            for q in ["a\"", "a\": ", "a\": ["] {
                let narrowed = find(lines, q.into(), Some(last.rows()));
                let fresh = find(lines, q.into(), None);
                assert_eq!(narrowed, fresh);
                last = narrowed;
            }
        }
    }

    #[test]
    fn n_and_shift_n_walk_every_match_in_order() {
        let body = "{\"a\":\"xx x\",\"b\":[\"X\",1,\"no\",\"xXx\"],\"c\":\"x\"}".as_bytes();
        let (m, all) = found(body, "x");
        assert_eq!(m.len(), 8);
        assert_eq!(all.len(), 8);
        let index = RawText::build(body);
        let lines = Lines::new(&index, body);
        // From the top: the first match, then each in turn, around to the first again.
        let mut s = Search::default();
        s.set_hits(m.clone(), 0);
        let mut seen = Vec::new();
        for k in 1..=8 {
            assert_eq!(s.counter(), format!("{k}/8"));
            let h = current_hit(&s, lines).unwrap();
            seen.push((h.row, h.start));
            s.step(true);
        }
        assert_eq!(seen, all);
        assert_eq!(s.counter(), "1/8");
        // Backwards wraps to the last, then goes back through them all.
        let mut back = Vec::new();
        for _ in 0..8 {
            s.step(false);
            let h = current_hit(&s, lines).unwrap();
            back.push((h.row, h.start));
        }
        back.reverse();
        assert_eq!(back, all);
        // Starting below a line: its first match at or after it, else around to the first.
        s.set_hits(m.clone(), 4);
        assert_eq!(s.current_row(), Some(6));
        s.set_hits(m, 100);
        assert_eq!(s.counter(), "1/8");
        s.set_hits(find(lines, "zzz".into(), None), 0);
        assert_eq!((s.counter(), s.current_row()), ("0/0".into(), None));
    }

    #[test]
    fn incremental_search_through_the_app() {
        let mut app = app_with(Bytes::from_static(REFERENCE), 80, 24);
        search_for(&mut app, "ha");
        let broad = matches(&app).len();
        press(&mut app, '/');
        for c in "halo".chars() {
            press(&mut app, c);
        }
        let narrowed = matches(&app).clone();
        assert!(!narrowed.is_empty() && narrowed.len() < broad);
        // The same query from scratch finds the same.
        app.loaded.as_mut().unwrap().views.raw.search.hits = Matches::default();
        let (_, h) = app.body_size();
        search(app.loaded.as_mut().unwrap(), h);
        assert_eq!(matches(&app), &narrowed);
        // Every hit is really there, in display characters.
        let l = loaded(&app);
        let lines = raw_lines(l);
        let m = matches(&app);
        for &r in m.rows() {
            let line = lines.line(r as usize);
            for h in m.on_line(r as usize, &line) {
                let s: String = line.chars().skip(h.start).take(h.len).collect();
                assert_eq!(s.to_lowercase(), "halo");
            }
        }
        // Backspace to nothing clears.
        for _ in 0..4 {
            key(&mut app, KeyCode::Backspace);
        }
        assert_eq!(matches(&app).len(), 0);
        assert!(active(&loaded(&app).views.raw).is_none());
    }

    #[test]
    fn steps_reveal_the_current_hit() {
        let mut app = app_with(Bytes::from_static(REFERENCE), 80, 24);
        search_for(&mut app, "robottext");
        let (_, h) = app.body_size();
        let total = matches(&app).len();
        assert!(total > 3);
        for i in 0..30 {
            press(&mut app, 'n');
            let raw = &loaded(&app).views.raw;
            let row = raw.search.current_row().unwrap();
            assert!(row >= raw.scroll.offset() && row < raw.scroll.offset() + page(h));
            let shown = format!("{}", render(&app, &Theme::plain()));
            assert!(
                shown.contains(&format!(" {}/{total}", (i + 1) % total + 1)),
                "{shown}"
            );
        }
        press(&mut app, 'N');
        assert!(loaded(&app).views.raw.search.current_row().is_some());
        // Esc twice ends the search: no counter, no highlight, `n` does nothing.
        key(&mut app, KeyCode::Esc);
        let before = loaded(&app).views.raw.scroll.clone();
        press(&mut app, 'n');
        assert_eq!(loaded(&app).views.raw.scroll, before);
        let shown = format!("{}", render(&app, &Theme::plain()));
        assert!(!shown.contains('/'), "{shown}");
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
        let hit_row = loaded(&app).views.raw.search.current_row().unwrap();
        let y = (hit_row - loaded(&app).views.raw.scroll.offset() + 1) as u16;
        let xs: Vec<u16> = (0..buf.area.width)
            .filter(|&x| buf[(x, y)].bg == theme.hit_current.bg.unwrap())
            .collect();
        assert_eq!(xs.len(), "workflow_id".len());
    }

    #[test]
    fn every_visible_match_is_highlighted() {
        let body = r#"{"code":200,"status":"OK","data":{"workflow_id":"w","a":"ab AB aB","b":"x","c":"Ab"}}"#;
        let mut app = app_with(Bytes::from(body), 80, 24);
        search_for(&mut app, "ab");
        assert_eq!(loaded(&app).views.raw.search.counter(), "1/4");
        let theme = Theme::color();
        let b = render(&app, &theme);
        let buf = b.buffer();
        let lit = |bg| {
            (0..buf.area.height)
                .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
                .filter(|&(x, y)| buf[(x, y)].bg == bg)
                .count()
        };
        assert_eq!(lit(theme.hit_current.bg.unwrap()), 2);
        assert_eq!(lit(theme.hit.bg.unwrap()), 6);
    }

    #[test]
    fn copy_line_and_whole() {
        let mut app = app_with(Bytes::from_static(REFERENCE), 80, 24);
        search_for(&mut app, "callee_name");
        let (line, what) = copy(loaded(&app), false).unwrap();
        assert_eq!(line, r#""callee_name": "WILL SMITH","#);
        assert!(what.starts_with("line "));
        let (all, _) = copy(loaded(&app), true).unwrap();
        assert_eq!(all, old_pretty(REFERENCE));
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
        let lines = old_pretty(&body).bytes().filter(|&b| b == b'\n').count() + 1;
        let mut app = app_with(Bytes::from(body), 120, 40);
        press(&mut app, 'G');
        let l = loaded(&app);
        let text = l.views.raw.text.get().expect("built on G");
        assert_eq!(text.line_count(), lines);
        // The index holds a line start every 16 lines, not the text.
        assert!(format!("{text:?}").contains(&format!("marks: {}", lines.div_ceil(16) * 8)));
        let (_, h) = app.body_size();
        assert_eq!(l.views.raw.scroll.offset(), lines - page(h));
        let screen = format!("{}", render(&app, &Theme::color()));
        assert!(screen.contains(&format!("{lines} }}")), "{screen}");
        search_for(&mut app, "turn 3999");
        assert_eq!(matches(&app).len(), 11);
        assert_eq!(matches(&app).rows().len(), 11);
    }
}
