//! The `?` overlay: every key, grouped.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::app::views::Scroll;

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
            (
                "Ctrl-R",
                "past lookups: type to filter, ↑/↓ choose, Enter puts one in the form (Enter again sends it), Esc closes",
            ),
            (
                "Esc",
                "cancel the running request; after a failure, the answer again",
            ),
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
            (
                "e",
                "export the Markdown report and the transcript to files",
            ),
            (
                "v",
                "compare a push opened from a file with the API's record",
            ),
            ("d", "compare with the previous answer for the same case"),
            ("7", "the Diff view, when there is a comparison"),
            ("f / Tab", "back to the form"),
            (
                "m",
                "mask names, phone numbers, amounts and birth dates on every tab, copy and export (ids stay readable)",
            ),
            ("M", "mouse capture on/off"),
            ("?", "this help"),
            ("q", "quit"),
        ],
    ),
    (
        "Transcript",
        &[
            ("r / c / a", "robot only / callee only / all turns"),
            ("s", "show or fold silences"),
            (":", "jump to a time (mm:ss or hh:mm:ss)"),
            ("j / k", "select a turn"),
        ],
    ),
    (
        "Mouse",
        &[("click", "a tab or a form field"), ("wheel", "scroll")],
    ),
];

/// Columns of the key column, its indent included.
const KEY_W: usize = 20;

/// The width that shows every line unwrapped, borders included.
fn natural_width() -> u16 {
    let widest = KEYS
        .iter()
        .flat_map(|(_, keys)| keys.iter())
        .map(|(_, what)| KEY_W + crate::text::width(what))
        .max()
        .unwrap_or(0);
    (widest + 2) as u16
}

/// The help's lines for an inner width of `inner`: descriptions wrap under themselves.
pub fn lines(inner: u16, theme: &Theme) -> Vec<Line<'static>> {
    let desc_w = (inner as usize).saturating_sub(KEY_W).max(10);
    let mut lines = Vec::new();
    for (group, keys) in KEYS {
        lines.push(Line::from(Span::styled(*group, theme.title)));
        for (k, what) in *keys {
            for (i, part) in crate::text::wrap(what, desc_w).into_iter().enumerate() {
                let key = if i == 0 { *k } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {key:<18}"), theme.key),
                    Span::raw(part.to_string()),
                ]));
            }
        }
    }
    lines.push(Line::from(Span::styled(
        "Esc, ? or q closes this help",
        theme.dim,
    )));
    lines
}

pub fn area(screen: Rect) -> Rect {
    let w = screen.width.saturating_sub(4).min(natural_width());
    let needed = lines(w.saturating_sub(2), &Theme::plain()).len() as u16 + 2;
    let h = screen.height.saturating_sub(2).min(needed);
    Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    )
}

/// How far the help scrolls on a screen of `size` (0 when it fits).
pub fn max_scroll(size: (u16, u16)) -> usize {
    let a = area(Rect::new(0, 0, size.0, size.1));
    let total = lines(a.width.saturating_sub(2), &Theme::plain()).len();
    total.saturating_sub(a.height.saturating_sub(2) as usize)
}

/// Draws the help where `scroll` is, settled against its lines.
pub fn draw(frame: &mut Frame, area: Rect, scroll: &Scroll, theme: &Theme) {
    let lines = lines(area.width.saturating_sub(2), theme);
    let inner_h = area.height.saturating_sub(2) as usize;
    let max = lines.len().saturating_sub(inner_h);
    let offset = scroll.settle(lines.len(), inner_h);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Keys ", theme.title));
    if max > 0 {
        // Not everything fits: say where we are and how to see the rest.
        block = block.title_bottom(Span::styled(
            format!(
                " {}–{} of {} · j/k scroll ",
                offset + 1,
                (offset + inner_h).min(lines.len()),
                lines.len()
            ),
            theme.dim,
        ));
    }
    let visible: Vec<Line> = lines[offset..].to_vec();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
