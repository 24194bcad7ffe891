//! The `Ctrl-R` pane: past lookups over the form, filtered as you type. One row per lookup
//! (✓ answered / ✗ failed, when, callee, outcome), the chosen one's ids underneath. Only the
//! rows on screen are laid out. Everything read from the history file is made safe first:
//! the file is not ours alone.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use crate::app::App;
use crate::app::history::Pane;
use crate::history::Entry;
use crate::text::{clip, one_line, width};

use crate::app::layout::{HISTORY_DETAILS as DETAILS, HISTORY_HEAD as HEAD};

// Every string from the file reaches the screen through `one_line` (which cleans it).

/// `s` cut to `cols` terminal columns (wide characters count two), `…` marking a cut, and
/// padded with spaces to `pad` columns.
fn fit(s: &str, cols: usize, pad: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::with_capacity(s.len());
    let mut w = 0;
    if width(s) <= cols {
        out.push_str(s);
        w = width(s);
    } else if cols > 0 {
        for c in s.chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw + 1 > cols {
                break;
            }
            out.push(c);
            w += cw;
        }
        out.push('…');
        w += 1;
    }
    out.extend(std::iter::repeat_n(' ', pad.saturating_sub(w)));
    out
}

/// `2024-03-12T14:54:26+08:00` → `03-12 14:54` (in local time when it reads).
fn short_time(e: &Entry) -> String {
    match e.when() {
        Some(t) => t.format("%m-%d %H:%M").to_string(),
        None => clip(&one_line(&e.at), 11),
    }
}

/// The callee as shown: masked when masking is on.
fn callee(e: &Entry, masked: bool) -> String {
    let c = one_line(&e.callee);
    if masked { crate::mask::phone(&c) } else { c }
}

/// The outcome as shown: the name and long numbers masked when masking is on.
fn outcome(e: &Entry, masked: bool) -> String {
    let text = one_line(&e.outcome);
    if !masked {
        return text;
    }
    let text = match e.callee_name.as_deref().map(one_line) {
        Some(n) if !n.is_empty() => text.replace(&n, &crate::mask::name(&n)),
        _ => text,
    };
    crate::mask::Masker::default().text(&text).into_owned()
}

fn row(e: &Entry, selected: bool, width_: usize, masked: bool, theme: &Theme) -> Line<'static> {
    let mark = if selected { "▸ " } else { "  " };
    let (sym, sym_style) = if e.ok {
        ("✓", theme.good)
    } else {
        ("✗", theme.bad)
    };
    let callee = callee(e, masked);
    let callee_w = 16.max(width(&callee).min(20));
    let fixed = 2 + 1 + 1 + 11 + 2 + callee_w + 2;
    let rest = width_.saturating_sub(fixed);
    let mut spans = vec![
        Span::styled(mark, theme.focus),
        Span::styled(sym, sym_style),
        Span::raw(" "),
        Span::styled(format!("{:<11}", short_time(e)), theme.dim),
        Span::raw("  "),
        Span::styled(fit(&callee, callee_w, callee_w), theme.value),
        Span::raw("  "),
        Span::styled(
            fit(&outcome(e, masked), rest, 0),
            if e.ok { theme.value } else { theme.warn },
        ),
    ];
    if selected {
        for s in spans.iter_mut().skip(1) {
            s.style = s.style.patch(theme.selected);
        }
    }
    Line::from(spans)
}

fn details(e: &Entry, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let pair = |label: &'static str, value: String| {
        vec![
            Span::styled(label, theme.label),
            Span::styled(value, theme.value),
        ]
    };
    let mut first = pair("workflow_id ", clip(&one_line(&e.workflow_id), 40));
    first.push(Span::raw("   "));
    first.extend(pair("node_id ", clip(&one_line(&e.node_id), 40)));
    let mut second = pair(
        "case_id ",
        e.case_id
            .as_deref()
            .map(|c| clip(&one_line(c), 40))
            .unwrap_or_else(|| "—".into()),
    );
    second.push(Span::raw("   "));
    let when = e
        .when()
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| clip(&one_line(&e.at), 30));
    second.extend(pair("at ", when));
    let target = one_line(e.target());
    if !target.is_empty() {
        second.push(Span::raw("   "));
        second.extend(pair("via ", clip(&target, w.saturating_sub(60).max(12))));
    }
    vec![
        Line::from(Span::styled("─".repeat(w), theme.dim)),
        Line::from(first),
        Line::from(second),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(pane) = app.history.pane.as_ref() else {
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
    let chosen = app.history.selected();
    if let Some(e) = chosen
        && inner.height > HEAD + DETAILS
    {
        let d = Rect::new(
            inner.x,
            inner.y + inner.height - DETAILS,
            inner.width,
            DETAILS,
        );
        frame.render_widget(Paragraph::new(details(e, w, theme)), d);
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
        .filter_map(|(n, &i)| {
            let e = entries.get(i)?;
            Some(row(
                e,
                start + n == pane.select.selected,
                w,
                app.masked,
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

    fn render(app: &App) -> String {
        let (w, h) = app.size;
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| crate::ui::draw(f, app)).unwrap();
        // Only the pane: the status bar shows nothing that varies, but keep to the pane.
        let buf = t.backend().buffer();
        let a = crate::app::layout::history_area(Rect::new(0, 0, w, h));
        let mut out = String::new();
        for y in a.y..a.y + a.height {
            for x in a.x..a.x + a.width {
                out.push_str(buf[(x, y)].symbol());
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
        assert!(a.masked);
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
}
