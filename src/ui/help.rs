//! The `?` overlay: every key, grouped.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::app::keymap;
use crate::app::views::Scroll;

/// A group's title as the overlay shows it: `form` → `Form`.
fn title(group: &str) -> String {
    let mut c = group.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The table's words without the README's code marks.
fn plain(words: &str) -> String {
    words.replace('`', "")
}

/// Columns of the key column, its indent included.
const KEY_W: usize = 20;

/// The width that shows every line unwrapped, borders included.
fn natural_width(review: bool) -> u16 {
    let widest = keymap::groups(review)
        .iter()
        .flat_map(|(_, keys)| keys.iter())
        .map(|(_, what)| KEY_W + crate::text::width(&plain(what)))
        .max()
        .unwrap_or(0);
    (widest + 2) as u16
}

/// The help's lines for an inner width of `inner`: descriptions wrap under themselves.
pub fn lines(inner: u16, theme: &Theme, review: bool) -> Vec<Line<'static>> {
    let desc_w = (inner as usize).saturating_sub(KEY_W).max(10);
    let mut lines = Vec::new();
    for (group, keys) in keymap::groups(review) {
        lines.push(Line::from(Span::styled(title(group), theme.title)));
        for (k, what) in keys {
            let what = plain(what);
            for (i, part) in crate::text::wrap(&what, desc_w).into_iter().enumerate() {
                let key = if i == 0 { k.as_str() } else { "" };
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

pub fn area(screen: Rect, review: bool) -> Rect {
    let w = screen.width.saturating_sub(4).min(natural_width(review));
    let needed = lines(w.saturating_sub(2), &Theme::plain(), review).len() as u16 + 2;
    let h = screen.height.saturating_sub(2).min(needed);
    Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    )
}

/// How far the help scrolls on a screen of `size` (0 when it fits); `review`: a review's.
pub fn max_scroll(size: (u16, u16), review: bool) -> usize {
    let a = area(Rect::new(0, 0, size.0, size.1), review);
    let total = lines(a.width.saturating_sub(2), &Theme::plain(), review).len();
    total.saturating_sub(a.height.saturating_sub(2) as usize)
}

/// Draws the help where `scroll` is, settled against its lines.
pub fn draw(frame: &mut Frame, area: Rect, scroll: &Scroll, theme: &Theme, review: bool) {
    let lines = lines(area.width.saturating_sub(2), theme, review);
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
