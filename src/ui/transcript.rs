//! Tab 5: the transcript as a chat. Each turn shows its time, a side marker and the speaker
//! (`▌ ◆ Robot` on the left, `▐ ● Callee` indented, so it reads without colour), and the
//! words wrapped under themselves. Runs of empty records are one dim `silence` line.
//!
//! Only what is on screen is laid out: the scroll position is an entry and a line inside it,
//! and heights are worked out (by wrapping) only for the entries drawn or stepped over, so
//! `G`, paging, search and filters cost a screenful, not a transcript.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::widgets::shape_words;
use crate::app::Loaded;
use crate::app::search::find_all;
use crate::app::transcript::Filter;
use crate::app::transcript_geo::{Geo, items, long_layout, wrap_text};
use crate::app::transcript_header::{
    self, GAP, Part, Segment, segment_width, speaker_bar, speaker_name,
};
use crate::case::time::clock;
use crate::case::transcript::{Entry, Speaker, text};
use crate::text::clean;
use crate::text::fold_str;

fn speaker_style(s: Speaker, theme: &Theme) -> Style {
    match s {
        Speaker::Robot => theme.robot,
        Speaker::Callee => theme.callee,
    }
}

// ---------------------------------------------------------------------------------------
// Drawing

pub fn draw(frame: &mut Frame, area: Rect, loaded: &Loaded, theme: &Theme) {
    let t = &loaded.facts.transcript;
    if t.entries.is_empty() {
        let asr = &loaded.data().call.asr_result;
        let words = if loaded.waits_for_transcript() {
            format!("{} the transcript…", loaded.pending_words())
        } else if let crate::app::Lists::Unmasked(why) = &loaded.lists {
            format!("could not be masked: {}", crate::text::one_line(why))
        } else if loaded.unreadable().is_some() {
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
        let rows = Rows {
            skip,
            room: page - lines.len(),
        };
        let selected = pos == v.selected;
        lines.extend(entry_lines(
            loaded,
            v.entry_at(pos),
            selected,
            geo,
            theme,
            rows,
        ));
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

/// Search matches (current one strongest) and watch words in `s`, the part of an entry's
/// text that starts at its character `c0`; the marks' offsets are bytes of `s`.
fn marks(l: &Loaded, e: usize, s: &str, c0: usize, theme: &Theme) -> Vec<Mark> {
    let v = &l.views.transcript;
    let mut char_marks: Vec<(usize, usize, u8, Style)> = Vec::new();
    if v.search.is_active() {
        let current = v.search.current_hit();
        // Only the matches in `s`: a long turn can hold millions.
        let end = c0 + s.chars().count();
        for hit in v.search.hits.in_row_within(e, c0, end) {
            let (rank, style) = if Some(hit) == current {
                (3, theme.hit_current)
            } else {
                (2, theme.hit)
            };
            let start = hit.start.saturating_sub(c0);
            char_marks.push((start, (hit.start + hit.len).saturating_sub(c0), rank, style));
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

/// Which of an entry's lines are wanted: from line `skip` (at most its last), `room` of them.
#[derive(Debug, Clone, Copy)]
struct Rows {
    skip: usize,
    room: usize,
}

/// The lines of one entry that `rows` asks for. A turn longer than 64 KiB is wrapped
/// only from the first line asked for, and when it goes on below them the last row says how
/// many lines are left.
fn entry_lines(
    l: &Loaded,
    e: usize,
    selected: bool,
    geo: Geo,
    theme: &Theme,
    rows: Rows,
) -> Vec<Line<'static>> {
    let entry = &l.facts.transcript.entries[e];
    let at = entry.at().map(clock).unwrap_or_else(|| "--:--".into());
    let time = format!("{at:>w$}", w = geo.time_w);
    let sel = |s: Style| if selected { s.patch(theme.selected) } else { s };
    let (speaker, raw) = match entry {
        Entry::Silence { secs, .. } => {
            let len = secs.map_or("silence".into(), |s| format!("silence {}", clock(s)));
            return vec![Line::from(vec![
                Span::raw("  "),
                Span::styled(time, sel(theme.dim)),
                Span::raw(" "),
                Span::styled(format!("⋯ {len}"), theme.dim),
            ])];
        }
        Entry::Turn { speaker, .. } => (*speaker, text(entry, items(l))),
    };
    let width = geo.text_width(speaker);
    let ptp = l
        .views
        .transcript
        .ptp
        .as_ref()
        .filter(|p| p.entry == Some(e));
    let long = long_layout(l, e, width);
    let cleaned;
    // The lines to style with their byte offsets, the index of the first, and how many the
    // turn has in all.
    let (s, pieces, first, count) = match &long {
        Some(lay) => {
            let s = lay.text(raw);
            let first = rows.skip.min(lay.lines + ptp.is_some() as usize - 1);
            (s, lay.lines(s, first, rows.room), first, lay.lines)
        }
        None => {
            cleaned = clean(raw);
            let base = cleaned.as_ptr() as usize;
            let pieces: Vec<(usize, &str)> = wrap_text(&cleaned, width)
                .into_iter()
                .map(|p| (p.as_ptr() as usize - base, p))
                .collect();
            let n = pieces.len();
            (&*cleaned, pieces, 0, n)
        }
    };
    // Marks are worked out over the part of the text that is drawn.
    let lo = pieces.first().map_or(0, |p| p.0);
    let hi = pieces.last().map_or(0, |p| p.0 + p.1.len());
    let c0 = long.as_ref().map_or(0, |lay| lay.char_at(s, lo));
    let part = &s[lo..hi.max(lo)];
    let marks = marks(l, e, part, c0, theme);
    let style = speaker_style(speaker, theme);
    let indent = " ".repeat(Geo::indent(speaker));
    let bar = speaker_bar(speaker);
    let hang = " ".repeat(geo.prefix(speaker) - Geo::indent(speaker) - 1);
    let mut out = Vec::with_capacity(pieces.len() + 1);
    for (i, (start, piece)) in pieces.iter().enumerate() {
        let start = start - lo;
        let mut spans = vec![Span::raw(indent.clone())];
        if first + i == 0 {
            spans.push(Span::styled(format!("{bar} "), style));
            spans.push(Span::styled(format!("{time} "), sel(theme.dim)));
            spans.push(Span::styled(speaker_name(speaker), sel(style)));
        } else {
            spans.push(Span::styled(bar, style));
            spans.push(Span::raw(hang.clone()));
        }
        spans.extend(styled(
            part,
            start,
            start + piece.len(),
            &marks,
            theme.value,
        ));
        out.push(Line::from(spans));
    }
    if let Some(p) = ptp.filter(|_| first + pieces.len() == count) {
        let what = match (p.amount, p.date) {
            (true, true) => "amount and date",
            (true, false) => "amount",
            _ => "date",
        };
        let note = crate::text::clip(&format!("★ PTP {}: the {what} named here", p.value), width);
        out.push(Line::from(vec![
            Span::raw(indent.clone()),
            Span::styled(bar, style),
            Span::raw(hang.clone()),
            Span::styled(note, theme.good),
        ]));
    }
    if long.is_none() {
        let skip = rows.skip.min(out.len().saturating_sub(1));
        return out.drain(skip..).take(rows.room).collect();
    }
    out.truncate(rows.room);
    let total = count + ptp.is_some() as usize;
    if out.len() == rows.room && first + out.len() < total {
        // The last row tells what lies below it instead.
        let left = total - (first + out.len() - 1);
        out.pop();
        out.push(Line::from(vec![
            Span::raw(indent),
            Span::styled(bar, style),
            Span::raw(hang),
            Span::styled(
                format!("… {} more lines of this turn", grouped(left)),
                theme.dim,
            ),
        ]));
    }
    out
}

/// `812345` as `812,345`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Lays segments out in lines `width` wide, never splitting one.
fn flow(segs: Vec<Segment>, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    transcript_header::flow(segs, width, segment_width)
        .into_iter()
        .map(|line| {
            let mut spans = Vec::new();
            for (i, seg) in line.into_iter().enumerate() {
                if i > 0 {
                    spans.push(Span::raw(GAP));
                }
                spans.extend(
                    seg.into_iter()
                        .map(|(text, part)| Span::styled(text, part_style(part, theme))),
                );
            }
            Line::from(spans)
        })
        .collect()
}

/// The header as the tab's state words it, styled, flowed into lines and ruled off.
fn header(l: &Loaded, theme: &Theme, w: u16) -> Vec<Line<'static>> {
    let (facts, state) = transcript_header::header(l);
    let width = w as usize;
    let mut out = flow(facts, width, theme);
    out.extend(flow(state, width, theme));
    out.push(Line::from(Span::styled("─".repeat(width), theme.dim)));
    out
}

fn part_style(part: Part, theme: &Theme) -> Style {
    match part {
        Part::Speaker(s) => speaker_style(s, theme),
        Part::Label => theme.label,
        Part::Value => theme.value,
        Part::Dim => theme.dim,
        Part::Good => theme.good,
        Part::Warn => theme.warn,
        Part::Title => theme.title,
        Part::Accent => theme.accent,
        Part::Focus => theme.focus,
        Part::Watch => theme.watch,
        Part::Plain => Style::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Query;
    use crate::api::client::{Exchange, interpret};
    use crate::app::Effect;
    use crate::app::transcript_geo::*;
    use crate::app::transcript_keys::*;
    use crate::app::{Action, App, Context, Source, Tab};
    use bytes::Bytes;
    use chrono::TimeZone;
    use crossterm::event::KeyEvent;
    use crossterm::event::{KeyCode, KeyModifiers};
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

    /// A key, and the frame's settling after it (as the loop does before it draws).
    fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        let mut effects = app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        effects.extend(app.update(Action::Settle));
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

    /// One 5 MB turn: once its lines are counted, `G`, `j`, `g`, `PageDown` and a search
    /// each wrap about a screenful of it, never the turn; the screen says how much is left.
    #[test]
    fn a_five_megabyte_turn_is_wrapped_a_screen_at_a_time() {
        let mut v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        let words = "the payment plan was discussed again and again ";
        let half = words.repeat(2_500_000 / words.len());
        let long = format!("{half}zebra {half}the end");
        v["data"]["call"]["asr_result"] = serde_json::json!([
            {"time": "00:00:01", "robottext": "Hello, about your account.", "text": ""},
            {"time": "00:00:05", "robottext": "", "text": long},
            {"time": "00:00:09", "robottext": "Thank you, bye.", "text": ""},
        ]);
        let mut app = app_with(serde_json::to_vec(&v).unwrap(), &[], 80, 24);
        body_rows(&app);
        let bytes = || WRAPPED.with(|c| c.get());
        let budget = 256 * 1024;
        let step = |app: &mut App, key: KeyCode| {
            WRAPPED.with(|c| c.set(0));
            press(app, key);
            let rows = body_rows(app);
            assert!(bytes() < budget, "{key:?} wrapped {} bytes", bytes());
            rows
        };
        let rows = step(&mut app, KeyCode::Char('j'));
        assert_eq!(view(&app).selected, 1);
        let last = rows.last().unwrap();
        assert!(last.contains("more lines of this turn"), "{rows:#?}");
        let rows = step(&mut app, KeyCode::Char('G'));
        assert!(
            rows[rows.len() - 1].ends_with("Thank you, bye."),
            "{rows:#?}"
        );
        assert!(rows[rows.len() - 2].ends_with("the end"), "{rows:#?}");
        let rows = step(&mut app, KeyCode::PageUp);
        assert!(rows.last().unwrap().contains("more lines of this turn"));
        step(&mut app, KeyCode::Char('g'));
        let rows = step(&mut app, KeyCode::PageDown);
        assert!(rows.iter().any(|r| r.contains("again and again")));
        press(&mut app, KeyCode::Char('/'));
        typed(&mut app, "zebra");
        let rows = step(&mut app, KeyCode::Enter);
        assert!(rows.iter().any(|r| r.contains("zebra")), "{rows:#?}");
        if !Theme::current().mono {
            assert_eq!(current_match_text(&app), "zebra");
        }
    }

    /// A one-letter search over a 5 MB turn matches hundreds of thousands of times; a frame
    /// styles only the matches on screen, at the top of the turn as further down.
    #[test]
    fn a_long_turn_marks_only_the_matches_it_draws() {
        let mut v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        let long = "the payment plan was discussed again and again ".repeat(100_000);
        v["data"]["call"]["asr_result"] = serde_json::json!([
            {"time": "00:00:01", "robottext": long, "text": ""},
        ]);
        let mut app = app_with(serde_json::to_vec(&v).unwrap(), &[], 80, 24);
        typed(&mut app, "/a");
        let hits = view(&app).search.hits.len();
        assert!(hits > 500_000, "{hits}");
        let l = loaded(&app);
        let s = text(&l.facts.transcript.entries[0], items(l));
        let theme = Theme::current();
        for c0 in [0, 1_000_000] {
            let part = &s[c0..c0 + 470];
            let n = marks(l, 0, part, c0, &theme).len();
            assert_eq!(n, 80, "from character {c0}");
        }
        if !theme.mono {
            assert_eq!(current_match_text(&app), "a");
        }
    }
}
