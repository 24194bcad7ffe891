//! The `?` overlay: every key, grouped.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;

pub const KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "Anywhere",
        &[
            ("Ctrl-C", "quit"),
            ("F1", "this help"),
            (
                "F2",
                "mouse capture on/off (off: the terminal's own text selection)",
            ),
            ("Ctrl-B", "hide or show the form pane"),
            ("Esc", "cancel the running request"),
        ],
    ),
    (
        "Form",
        &[
            ("Enter", "send the query (from any field)"),
            ("Tab / Shift-Tab", "next / previous field, then the result"),
            ("↑ / ↓", "previous / next field"),
            ("Ctrl-N / Ctrl-P", "next / previous demo case (demo only)"),
        ],
    ),
    (
        "Result",
        &[
            ("1 … 6", "Profile, Call, Redials, Q&A, Transcript, Raw JSON"),
            ("← → / h l", "previous / next tab"),
            ("↑ ↓ / j k", "scroll or move the selection"),
            ("PgUp PgDn / Space", "a page up / down"),
            ("g / G", "top / end"),
            (
                "/",
                "search (Transcript, Raw JSON); Enter keeps it, Esc leaves",
            ),
            ("n / N", "next / previous match"),
            ("y / Y", "copy the selection / the whole tab"),
            ("f / Tab", "back to the form"),
            ("M", "mouse capture on/off"),
            ("?", "this help"),
            ("q", "quit"),
        ],
    ),
    (
        "Mouse",
        &[("click", "a tab or a form field"), ("wheel", "scroll")],
    ),
];

pub fn area(screen: Rect) -> Rect {
    let w = screen.width.saturating_sub(4).min(76);
    let h = screen.height.saturating_sub(2).min(30);
    Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    )
}

pub fn draw(frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines = Vec::new();
    for (group, keys) in KEYS {
        lines.push(Line::from(Span::styled(*group, theme.title)));
        for (k, what) in *keys {
            lines.push(Line::from(vec![
                Span::styled(format!("  {k:<18}"), theme.key),
                Span::raw(*what),
            ]));
        }
    }
    lines.push(Line::from(Span::styled(
        "Esc, ? or q closes this help",
        theme.dim,
    )));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Keys ", theme.title));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
