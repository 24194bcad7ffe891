//! Where everything goes on a screen of a given size: the form pane and its fields, the tab
//! bar and each title's place, the body, the status bar. The state decides this (which panes
//! show, the terminal's size), so it lives here: `update` finds a click's target and a page's
//! height from it, and the screen draws into the same rectangles.

use ratatui::layout::{Constraint, Layout, Rect};

use super::{App, Tab};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// Border, marker indent, a 32-character id (the API's ids are 32 hex digits) and the cursor.
pub const FORM_WIDTH: u16 = 38;

/// Where everything goes on this screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub too_small: bool,
    pub form: Option<Rect>,
    /// The four input rows.
    pub fields: [Rect; 4],
    pub tabs: Rect,
    pub body: Rect,
    pub status: Rect,
}

pub fn layout(app: &App) -> Areas {
    let (w, h) = app.size;
    let area = Rect::new(0, 0, w, h);
    if w < MIN_WIDTH || h < MIN_HEIGHT {
        return Areas {
            too_small: true,
            ..Areas::default()
        };
    }
    let status_h = if h >= 20 { 2 } else { 1 };
    let [main, status] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(status_h)]).areas(area);
    let (form, right) = if app.show_form {
        let [f, r] =
            Layout::horizontal([Constraint::Length(FORM_WIDTH), Constraint::Fill(1)]).areas(main);
        (Some(f), r)
    } else {
        (None, main)
    };
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(right);
    // A one-column gutter between the form's border and the result.
    let (tabs, body) = if app.show_form {
        (
            Rect {
                x: tabs.x + 1,
                width: tabs.width.saturating_sub(1),
                ..tabs
            },
            Rect {
                x: body.x + 1,
                width: body.width.saturating_sub(1),
                ..body
            },
        )
    } else {
        (tabs, body)
    };
    let fields = form.map(field_rows).unwrap_or_default();
    Areas {
        too_small: false,
        form,
        fields,
        tabs,
        body,
        status,
    }
}

/// Each field takes a label row, an input row and a message row, inside the pane's border.
pub fn field_rows(pane: Rect) -> [Rect; 4] {
    let inner = Rect::new(
        pane.x + 1,
        pane.y + 1,
        pane.width.saturating_sub(2),
        pane.height.saturating_sub(2),
    );
    std::array::from_fn(|i| {
        let y = inner.y + 1 + i as u16 * 3;
        if y >= inner.y + inner.height {
            Rect::new(inner.x, inner.y + inner.height, inner.width, 0)
        } else {
            Rect::new(inner.x, y, inner.width, 1)
        }
    })
}

const SHORT: [&str; 7] = ["Prof", "Call", "Redial", "Q&A", "Trans", "Raw", "Diff"];

/// The tab titles that fit in `width`; a seventh, Diff, when there is a comparison.
pub fn tab_titles(width: u16, with_diff: bool) -> Vec<String> {
    let n = if with_diff { 7 } else { 6 };
    let full: Vec<String> = Tab::ALL
        .iter()
        .chain(with_diff.then_some(&Tab::Diff))
        .enumerate()
        .map(|(i, t)| format!(" {} {} ", i + 1, t.title()))
        .collect();
    if full.iter().map(|t| t.chars().count()).sum::<usize>() <= width as usize {
        return full;
    }
    let short: Vec<String> = SHORT[..n]
        .iter()
        .enumerate()
        .map(|(i, t)| format!(" {} {t} ", i + 1))
        .collect();
    if short.iter().map(|t| t.chars().count()).sum::<usize>() <= width as usize {
        return short;
    }
    (1..=n).map(|i| format!(" {i} ")).collect()
}

/// The clickable rectangle of each tab title.
pub fn tab_hit_areas(areas: &Areas, with_diff: bool) -> Vec<Rect> {
    let bar = areas.tabs;
    let mut x = bar.x;
    tab_titles(bar.width, with_diff)
        .iter()
        .map(|t| {
            let w = t.chars().count() as u16;
            let r = Rect::new(
                x,
                bar.y,
                w.min((bar.x + bar.width).saturating_sub(x)),
                bar.height,
            );
            x += w;
            r
        })
        .collect()
}

/// Rows under the history list for the chosen lookup's ids.
pub const HISTORY_DETAILS: u16 = 3;
/// The history pane's filter line and the blank line under it.
pub const HISTORY_HEAD: u16 = 2;

/// Where the history pane goes: most of the screen, centred.
pub fn history_area(screen: Rect) -> Rect {
    let w = screen
        .width
        .saturating_sub(4)
        .clamp(20, 120)
        .min(screen.width);
    let h = screen.height.saturating_sub(2).max(8).min(screen.height);
    Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    )
}

/// How many lookups the list shows on a screen of `size` (for paging).
pub fn history_rows(size: (u16, u16)) -> usize {
    let a = history_area(Rect::new(0, 0, size.0, size.1));
    a.height
        .saturating_sub(2 + HISTORY_HEAD + HISTORY_DETAILS)
        .max(1) as usize
}
