//! A review's screens: the case list (its title line and a table that fits the width), the
//! review's figures, the note field, and what the status bar says of the review.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use super::table::{Cell, ColSpec, GAP, fill, fit, row_line};
use crate::app::App;
use crate::app::review::list::Column;
use crate::app::review::{Review, Screen};
use crate::review::summary::Read;
use crate::text::{clip, one_line};

/// Columns: (priority, kept, natural width, narrowest, right-aligned).
const SPECS: [(u8, bool, usize, usize, bool); 10] = [
    (0, true, 5, 3, true),    // row
    (1, true, 24, 8, false),  // callee
    (3, false, 16, 8, false), // number
    (4, false, 12, 6, false), // intention
    (7, false, 8, 4, false),  // hang-up
    (6, false, 8, 5, true),   // duration
    (2, false, 7, 5, false),  // Q&A
    (8, false, 5, 3, true),   // turns
    (5, false, 5, 3, true),   // watch
    (0, true, 9, 6, false),   // verdict
];

/// The list's title (in the tab bar's row) and its table.
pub fn draw_list(frame: &mut Frame, head: Rect, body: Rect, app: &App, r: &Review, theme: &Theme) {
    let l = &r.list;
    let mut spans = vec![
        Span::styled(" Cases ", theme.title),
        Span::styled(clip(&one_line(&r.title), 40), theme.accent),
        Span::styled(
            format!(
                "  {} of {}  sorted by {} {}",
                l.order.len(),
                r.entries.len(),
                l.sort.title(),
                if l.reversed { "↓" } else { "↑" }
            ),
            theme.dim,
        ),
    ];
    if l.quick != crate::app::review::list::Quick::All {
        spans.push(Span::styled(
            format!("  only {}", l.quick.words()),
            theme.warn,
        ));
    }
    if l.filter.editing || !l.filter.query.is_empty() {
        spans.push(Span::styled("  filter › ", theme.label));
        spans.push(Span::styled(
            clip(&one_line(&l.filter.query), 30),
            theme.accent,
        ));
        if l.filter.editing {
            spans.push(Span::styled("▏", theme.focus));
        }
    }
    if r.unread > 0 {
        spans.push(Span::styled(
            format!("  reading {} more…", r.unread),
            theme.dim,
        ));
    }
    frame.render_widget(Line::from(spans), head);
    let w = body.width as usize;
    let rows = (body.height as usize).saturating_sub(1);
    if rows == 0 {
        return;
    }
    let masked = app.masked();
    let cols: Vec<ColSpec> = SPECS
        .iter()
        .map(|&(p, keep, want, min, _)| ColSpec::new(p, keep, want, min))
        .collect();
    let widths = fit(&cols, w, GAP);
    let right: Vec<bool> = SPECS.iter().map(|s| s.4).collect();
    let titles: Vec<Cell> = Column::ALL
        .iter()
        .map(|c| {
            let style = if *c == l.sort {
                theme.accent
            } else {
                theme.label
            };
            Cell::new(c.title(), style)
        })
        .collect();
    let mut lines = vec![row_line(&titles, &widths, &right, Style::default())];
    if l.order.is_empty() {
        let why = if r.entries.is_empty() {
            "No saved answers here: `batch CASES.csv --save DIR` makes them.".to_string()
        } else {
            "No case matches: Esc clears the filter and the quick filter.".to_string()
        };
        lines.push(Line::from(Span::styled(why, theme.warn)));
        frame.render_widget(Paragraph::new(lines), body);
        return;
    }
    let top = l.select.settle(l.select.selected, rows);
    for (pos, &i) in l.order.iter().enumerate().skip(top).take(rows) {
        let i = i as usize;
        let cells = r.cells(i, masked);
        let failed = matches!(r.reads[i], Read::Failed(_));
        let style_of = |col: usize| match col {
            1 if failed => theme.error,
            6 if cells[6].starts_with('✗') => theme.bad,
            6 if cells[6].starts_with('✓') => theme.good,
            8 if cells[8] != "0" && !cells[8].is_empty() => theme.watch,
            9 if cells[9].contains("fail") => theme.bad,
            9 if cells[9].contains("flag") => theme.warn,
            9 if cells[9].contains("pass") => theme.good,
            _ => theme.value,
        };
        let row: Vec<Cell> = cells
            .iter()
            .enumerate()
            .map(|(c, text)| Cell::new(text.as_str(), style_of(c)))
            .collect();
        let selected = pos == l.select.selected;
        let base = if selected {
            theme.selected
        } else {
            Style::default()
        };
        let line = row_line(&row, &widths, &right, base);
        lines.push(if selected { fill(line, w, base) } else { line });
    }
    frame.render_widget(Paragraph::new(lines), body);
}

/// The review's figures, scrolled.
pub fn draw_figures(frame: &mut Frame, head: Rect, body: Rect, r: &Review, theme: &Theme) {
    let Screen::Figures(scroll) = &r.screen else {
        return;
    };
    frame.render_widget(
        Line::from(vec![
            Span::styled(" Figures ", theme.title),
            Span::styled(clip(&one_line(&r.title), 40), theme.accent),
            Span::styled("  Esc back to the list", theme.dim),
        ]),
        head,
    );
    let lines: Vec<Line> = r
        .totals()
        .lines(false)
        .into_iter()
        .map(|l| {
            let style = if l.starts_with(' ') {
                theme.value
            } else {
                theme.title
            };
            Line::from(Span::styled(clip(&l, body.width as usize), style))
        })
        .collect();
    let top = scroll.settle(lines.len(), body.height as usize);
    frame.render_widget(
        Paragraph::new(lines).scroll((top.min(u16::MAX as usize) as u16, 0)),
        body,
    );
}

/// The note field, over the bottom of the body.
pub fn draw_note(frame: &mut Frame, body: Rect, r: &Review, theme: &Theme) {
    let Some(note) = &r.note else {
        return;
    };
    if body.height < 3 {
        return;
    }
    let area = Rect::new(body.x, body.y + body.height - 3, body.width, 3);
    frame.render_widget(Clear, area);
    let row = r.entries[note.index]
        .row
        .map_or_else(|| r.entries[note.index].key.clone(), |n| format!("row {n}"));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(
            format!(" Note · {} ", one_line(&row)),
            theme.title,
        ))
        .title_bottom(Span::styled(
            " Enter saves · Esc leaves it as it was ",
            theme.dim,
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(&note.field, inner);
}

/// What the status bar says of the review: `R/N reviewed`, and where the case on screen is.
pub fn facts(r: &Review, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::styled(
        format!("{}/{} reviewed", r.reviewed(), r.entries.len()),
        theme.accent,
    )];
    if let Screen::Case = r.screen
        && let Some(i) = r.open
    {
        let place = r
            .place()
            .map_or_else(String::new, |(p, n)| format!("case {p}/{n} · "));
        let row = r.entries[i]
            .row
            .map_or_else(|| "-".into(), |n| n.to_string());
        spans.push(Span::styled(" │ ", theme.dim));
        spans.push(Span::styled(format!("{place}row {row}"), theme.value));
        if let Some(m) = &r.marks[i] {
            if let Some(v) = m.verdict {
                spans.push(Span::styled(format!(" · {}", v.symbol()), theme.value));
            }
            if !m.note.trim().is_empty() {
                let note = clip(&one_line(&m.note), 30);
                spans.push(Span::styled(format!(" · ✎ {note}"), theme.dim));
            }
        }
    }
    if r.opening.is_some() {
        spans.push(Span::styled(" │ opening…", theme.dim));
    }
    spans
}

/// The keys the status bar offers in a review, when they are the review's.
pub fn hints(r: &Review) -> Option<Vec<(&'static str, &'static str)>> {
    if r.note.is_some() {
        return Some(vec![
            ("type", "note"),
            ("Enter", "save"),
            ("Esc", "leave it"),
        ]);
    }
    Some(match r.screen {
        Screen::List if r.list.filter.editing => {
            vec![("type", "filter"), ("Enter", "keep"), ("Esc", "clear")]
        }
        Screen::List => vec![
            ("Enter", "open"),
            ("/", "filter"),
            ("o/O", "sort"),
            ("u x w e", "only"),
            ("P X !", "verdict"),
            ("i", "note"),
            ("s", "figures"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Screen::Figures(_) => vec![("j/k", "scroll"), ("Esc", "list")],
        Screen::Case => return None,
    })
}

/// Keys offered before the tabs' while a case of a review is open.
pub const CASE_HINTS: [(&str, &str); 3] =
    [("]/[", "next/prev"), ("P X !", "verdict"), ("Esc", "list")];
