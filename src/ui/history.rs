//! The `Ctrl-R` pane: past lookups over the form, filtered as you type. One row per lookup
//! (✓ answered / ✗ failed, when, callee, outcome), the chosen one's ids underneath. Only the
//! rows on screen are laid out. Everything read from the history file is made safe first:
//! the file is not ours alone.

use ratatui::Frame;
use std::ops::Range;

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use crate::app::App;
use crate::app::history::Pane;
use crate::fuzzy::{Hit, marks_within};
use crate::history::{Entry, Field, Shown};
use crate::text::{clip, one_line, width};

use crate::app::layout::{HISTORY_DETAILS as DETAILS, HISTORY_HEAD as HEAD};

// Every string from the file reaches the screen through `Shown` (which cleans it with
// `one_line`), and the filter matched that same text: its marks are the bytes shown.

/// How matched characters look: the accent, and bold and underlined so they show in every
/// theme, on the selected (reversed) row too.
fn match_style(theme: &Theme) -> Style {
    theme
        .accent
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// `s` cut to `cols` terminal columns (wide characters count two), `…` marking a cut, and
/// padded with spaces to `pad` columns, as spans in `style`; the bytes in `marks` (sorted,
/// on char boundaries) in `style` patched with `hit`.
fn fit(
    s: &str,
    marks: &[Range<usize>],
    (cols, pad): (usize, usize),
    style: Style,
    hit: Style,
) -> Vec<Span<'static>> {
    use unicode_truncate::UnicodeTruncateStr;
    let mut end = s.len();
    let mut w = width(s);
    let mut tail = String::new();
    if w > cols {
        (end, w) = (0, 0);
        if cols > 0 {
            let (kept, kept_w) = s.unicode_truncate(cols - 1);
            (end, w) = (kept.len(), kept_w + 1);
            tail.push('…');
        }
    }
    tail.extend(std::iter::repeat_n(' ', pad.saturating_sub(w)));
    let mut spans = Vec::new();
    let mut at = 0;
    for m in marks {
        let (start, stop) = (m.start.min(end), m.end.min(end));
        if start >= stop || !s.is_char_boundary(start) || !s.is_char_boundary(stop) {
            continue;
        }
        if at < start {
            spans.push(Span::styled(s[at..start].to_string(), style));
        }
        spans.push(Span::styled(s[start..stop].to_string(), style.patch(hit)));
        at = stop;
    }
    if at < end {
        spans.push(Span::styled(s[at..end].to_string(), style));
    }
    if !tail.is_empty() {
        spans.push(Span::styled(tail, style));
    }
    spans
}

/// `shown`'s field `f` fitted as [`fit`] does, with the hit's marks that fall in it.
fn field(
    shown: &Shown,
    hit: &Hit,
    f: Field,
    size: (usize, usize),
    style: Style,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let marks = marks_within(&hit.marks, &shown.range(f));
    fit(shown.get(f), &marks, size, style, match_style(theme))
}

fn row(
    e: &Entry,
    hit: &Hit,
    selected: bool,
    width_: usize,
    masked: bool,
    theme: &Theme,
) -> Line<'static> {
    let shown = Shown::new(e, masked);
    let mark = if selected { "▸ " } else { "  " };
    let (sym, sym_style) = if e.ok {
        ("✓", theme.good)
    } else {
        ("✗", theme.bad)
    };
    let callee_w = 16.max(width(shown.get(Field::Callee)).min(20));
    let fixed = 2 + 1 + 1 + 11 + 2 + callee_w + 2;
    let rest = width_.saturating_sub(fixed);
    let outcome_style = if e.ok { theme.value } else { theme.warn };
    let mut spans = vec![
        Span::styled(mark, theme.focus),
        Span::styled(sym, sym_style),
        Span::raw(" "),
    ];
    spans.extend(field(&shown, hit, Field::Time, (11, 11), theme.dim, theme));
    spans.push(Span::raw("  "));
    spans.extend(field(
        &shown,
        hit,
        Field::Callee,
        (callee_w, callee_w),
        theme.value,
        theme,
    ));
    spans.push(Span::raw("  "));
    spans.extend(field(
        &shown,
        hit,
        Field::Outcome,
        (rest, 0),
        outcome_style,
        theme,
    ));
    if selected {
        for s in spans.iter_mut().skip(1) {
            s.style = s.style.patch(theme.selected);
        }
    }
    Line::from(spans)
}

fn details(e: &Entry, hit: &Hit, w: usize, masked: bool, theme: &Theme) -> Vec<Line<'static>> {
    let shown = Shown::new(e, masked);
    let pair = |label: &'static str, f: Field, cols: usize| {
        let mut spans = vec![Span::styled(label, theme.label)];
        if shown.get(f).is_empty() {
            spans.push(Span::styled("—", theme.value));
        } else {
            spans.extend(field(&shown, hit, f, (cols, 0), theme.value, theme));
        }
        spans
    };
    let mut first = pair("workflow_id ", Field::Workflow, 40);
    first.push(Span::raw("   "));
    first.extend(pair("node_id ", Field::Node, 40));
    let mut second = pair("case_id ", Field::Case, 40);
    second.push(Span::raw("   "));
    second.extend(pair("at ", Field::At, 30));
    if !shown.get(Field::Via).is_empty() {
        second.push(Span::raw("   "));
        second.extend(pair("via ", Field::Via, w.saturating_sub(60).max(12)));
    }
    vec![
        Line::from(Span::styled("─".repeat(w), theme.dim)),
        Line::from(first),
        Line::from(second),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(pane) = app.history_pane() else {
        return;
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(" History ", theme.title))
        .title_bottom(Span::styled(
            " ↑↓ choose · Enter puts it in the form · Esc closes ",
            theme.dim,
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < 10 {
        return;
    }
    let w = inner.width as usize;
    let entries = &app.history.entries;
    // The filter line: what was typed, and how many match.
    let count = if pane.query.trim().is_empty() {
        format!("{} lookups", entries.len())
    } else {
        format!("{} of {}", pane.matches.len(), entries.len())
    };
    let typed = clip(&one_line(&pane.query), w.saturating_sub(count.len() + 14));
    let pad = w.saturating_sub(9 + width(&typed) + 1 + count.len());
    let filter = Line::from(vec![
        Span::styled("filter › ", theme.label),
        Span::styled(typed, theme.accent),
        Span::styled("▏", theme.focus),
        Span::raw(" ".repeat(pad)),
        Span::styled(count, theme.dim),
    ]);
    frame.render_widget(filter, Rect { height: 1, ..inner });
    let list_h = inner.height.saturating_sub(HEAD + DETAILS).max(1);
    let list = Rect::new(inner.x, inner.y + HEAD, inner.width, list_h);
    let lines = list_lines(app, pane, w, list_h as usize, theme);
    frame.render_widget(Paragraph::new(lines), list);
    if let Some((e, hit)) = app.history.selected_hit(pane)
        && inner.height > HEAD + DETAILS
    {
        let d = Rect::new(
            inner.x,
            inner.y + inner.height - DETAILS,
            inner.width,
            DETAILS,
        );
        frame.render_widget(Paragraph::new(details(e, hit, w, app.masked(), theme)), d);
    }
}

/// The rows on screen (or what to say when there are none).
fn list_lines(app: &App, pane: &Pane, w: usize, rows: usize, theme: &Theme) -> Vec<Line<'static>> {
    let entries = &app.history.entries;
    if entries.is_empty() {
        return vec![
            Line::from(Span::styled("No lookups yet.", theme.title)),
            Line::from(Span::styled(
                format!(
                    "Every query sent from here is kept (the last {}); Ctrl-R finds it again.",
                    crate::history::CAP
                ),
                theme.dim,
            )),
        ];
    }
    if pane.matches.is_empty() {
        return vec![Line::from(Span::styled(
            format!(
                "Nothing matches “{}”: Backspace or Ctrl-U to widen",
                clip(&one_line(&pane.query), 40)
            ),
            theme.warn,
        ))];
    }
    let start = pane
        .select
        .offset()
        .min(pane.matches.len().saturating_sub(1));
    pane.matches[start..]
        .iter()
        .take(rows)
        .enumerate()
        .filter_map(|(n, hit)| {
            let e = entries.get(hit.index)?;
            Some(row(
                e,
                hit,
                start + n == pane.select.selected,
                w,
                app.masked(),
                theme,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Query;
    use crate::app::{Action, Context};
    use chrono::TimeZone;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn entry(n: usize, name: &str, callee: &str, ok: bool) -> Entry {
        Entry {
            // Local time, so the pane shows 14:0n wherever the test runs.
            at: chrono::Local
                .with_ymd_and_hms(2024, 3, 10, 14, n as u32, 26)
                .earliest()
                .unwrap()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            workflow_id: format!("b761cdd784294xxxxxx869f8{n:02}"),
            node_id: "6ade9e4443xxxxxx43a54b58".into(),
            callee: callee.into(),
            case_id: n.is_multiple_of(2).then(|| format!("{n}00.0")),
            profile: Some("prod".into()),
            base_url: Some("https://api.airudder.com".into()),
            callee_name: (!name.is_empty()).then(|| name.to_string()),
            ok,
            outcome: if ok {
                format!("{name} · intention E · ByRobot · Q&A 1/1 match")
            } else {
                "no record: the API has no record of this case\x1b[31m".into()
            },
        }
    }

    fn app(w: u16, h: u16) -> App {
        app_with(w, h, false)
    }

    fn app_with(w: u16, h: u16, mask: bool) -> App {
        let entries = vec![
            entry(1, "WILL SMITH", "+8618717905721", true),
            entry(2, "SITI AMINAH", "+6281234567890", true),
            entry(3, "", "+5215512345678", false),
            entry(4, "王小明", "+8613912345678", true),
        ];
        let (mut app, _) = App::new(
            Query::default(),
            Context {
                history: entries,
                history_file: Some("/nonexistent/history.jsonl".into()),
                ..Context::default()
            },
        )
        .with_mask(mask);
        app.update(Action::Resize(w, h));
        app
    }

    fn key(code: KeyCode, mods: KeyModifiers) -> Action {
        Action::Key(KeyEvent::new(code, mods))
    }

    fn drawn(app: &App) -> ratatui::buffer::Buffer {
        let (w, h) = app.size;
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| crate::ui::draw(f, app)).unwrap();
        t.backend().buffer().clone()
    }

    fn render(app: &App) -> String {
        pane_text(app, false)
    }

    /// The pane's text, with the characters drawn in the match style in `[` `]`.
    fn marked(app: &App) -> String {
        pane_text(app, true)
    }

    /// Only the pane: the status bar shows nothing that varies, but keep to the pane.
    fn pane_text(app: &App, marks: bool) -> String {
        let buf = drawn(app);
        let hit = Modifier::BOLD | Modifier::UNDERLINED;
        let a = crate::app::layout::history_area(buf.area);
        let mut out = String::new();
        for y in a.y..a.y + a.height {
            let mut open = false;
            let mut covered = false;
            for x in a.x..a.x + a.width {
                let cell = &buf[(x, y)];
                // The cell after a wide character is its second half.
                if std::mem::replace(&mut covered, width(cell.symbol()) == 2) && marks {
                    continue;
                }
                let on = marks && cell.modifier.contains(hit);
                if on != open {
                    out.push(if on { '[' } else { ']' });
                    open = on;
                }
                out.push_str(cell.symbol());
            }
            if open {
                out.push(']');
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn the_pane_newest_first_then_filtered() {
        let mut a = app(100, 24);
        a.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        insta::assert_snapshot!("history_pane_all", render(&a));
        for c in "smith".chars() {
            a.update(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        insta::assert_snapshot!("history_pane_filtered", render(&a));
    }

    #[test]
    fn the_pane_masked_and_narrow() {
        let mut a = app_with(80, 24, true);
        assert!(a.masked());
        a.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        let screen = render(&a);
        assert!(!screen.contains("WILL SMITH"), "{screen}");
        assert!(!screen.contains("18717905721"), "{screen}");
        assert!(screen.contains("W**** S****"), "{screen}");
        insta::assert_snapshot!("history_pane_masked_80x24", screen);
    }

    #[test]
    fn an_empty_history_and_no_match() {
        let mut a = App::new(
            Query::default(),
            Context {
                history_file: Some("/nonexistent/history.jsonl".into()),
                ..Context::default()
            },
        );
        a.update(Action::Resize(80, 24));
        a.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        assert!(render(&a).contains("No lookups yet."));
        let mut a = app(80, 24);
        a.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        for c in "zzzz".chars() {
            a.update(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert!(render(&a).contains("Nothing matches “zzzz”"));
    }

    #[test]
    fn the_matched_characters_are_highlighted_where_shown() {
        let mut a = app(100, 24);
        a.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        assert!(!marked(&a).contains('['), "nothing typed, nothing marked");
        for c in "smith".chars() {
            a.update(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        let screen = marked(&a);
        let row = screen.lines().find(|l| l.contains("▸")).unwrap();
        assert!(row.contains("WILL [SMITH] · intention"), "{screen}");
        // The selected row stays marked, over its own highlight.
        let buf = drawn(&a);
        let sel = crate::app::layout::history_area(buf.area);
        let y = (sel.y..sel.y + sel.height)
            .find(|&y| buf[(sel.x + 1, y)].symbol() == "▸")
            .unwrap();
        let x = (sel.x..sel.x + sel.width)
            .find(|&x| buf[(x, y)].symbol() == "S" && buf[(x + 1, y)].symbol() == "M")
            .unwrap();
        assert!(
            buf[(x, y)]
                .modifier
                .contains(Modifier::REVERSED | Modifier::BOLD)
        );
        // Wide characters, the ids under the list and the time are marked where they are.
        a.update(key(KeyCode::Char('u'), KeyModifiers::CONTROL));
        for c in "小明".chars() {
            a.update(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert!(
            marked(&a).contains("王[小明] · intention"),
            "{}",
            marked(&a)
        );
        a.update(key(KeyCode::Char('u'), KeyModifiers::CONTROL));
        for c in "869f803".chars() {
            a.update(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        let screen = marked(&a);
        assert!(
            screen.contains("workflow_id b761cdd784294xxxxxx[869f803]"),
            "{screen}"
        );
    }

    #[test]
    fn masked_the_filter_finds_and_marks_only_what_is_shown() {
        let mut a = app_with(100, 24, true);
        a.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        for c in "smith".chars() {
            a.update(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        let screen = marked(&a);
        assert!(!screen.contains("SMITH"), "{screen}");
        assert!(screen.contains("Nothing matches"), "{screen}");
        a.update(key(KeyCode::Char('u'), KeyModifiers::CONTROL));
        for c in "W****".chars() {
            a.update(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        let screen = marked(&a);
        assert!(screen.contains("[W****] S****"), "{screen}");
    }

    #[test]
    fn the_form_loses_its_demo_label_when_filled_from_history() {
        let cases = crate::demo::cases();
        let n = cases.len();
        let mut a = App::new(
            cases[n - 1].query.clone(),
            Context {
                demo_cases: cases,
                history: vec![entry(1, "WILL SMITH", "+8618717905721", true)],
                history_file: Some("/nonexistent/history.jsonl".into()),
                ..Context::default()
            },
        );
        a.update(Action::Resize(120, 30));
        a.update(key(KeyCode::Char('p'), KeyModifiers::CONTROL));
        let whole = |a: &App| {
            let buf = drawn(a);
            buf.content.iter().map(|c| c.symbol()).collect::<String>()
        };
        assert!(whole(&a).contains(&format!("demo case {n}/{n}")));
        a.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        a.update(key(KeyCode::Enter, KeyModifiers::NONE));
        let screen = whole(&a);
        assert!(screen.contains("filled from history"), "{screen}");
        assert!(!screen.contains(&format!("/{n}")), "{screen}");
    }
}
