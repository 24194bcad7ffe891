//! What the Q&A and Redials tabs share: a table with one row selected and that row's every
//! field under it. The header and the rows on screen (the selection a bar across the width),
//! how the height is shared between the table and the blocks under it, the details as a grid
//! or as flowing pairs (whichever lets the table show), the words for an empty tab and for
//! entries that could not be read, and the fields as text for copying.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use super::{Cell, Field, fill, flow, row_line, row_text, share};
use crate::text::{clean, one_line};
use crate::ui::Theme;
use crate::ui::widgets::{Row, Section, column, draw_lines};

/// A table's column, as its header names it.
pub(crate) trait Column: Copy {
    fn title(self) -> &'static str;
    /// The title in a column too narrow for it.
    fn short_title(self) -> &'static str;
}

/// The header cells of `cols`, in `style`.
pub(crate) fn header<C: Column>(cols: &[C], style: Style) -> Vec<Cell<'static>> {
    cols.iter()
        .map(|c| Cell::new(c.title(), style).short(c.short_title()))
        .collect()
}

/// Where a table's columns are: their widths (0 = dropped) and which align right.
pub(crate) struct Columns<'r> {
    pub widths: Vec<usize>,
    pub right: &'r [bool],
}

impl Columns<'_> {
    /// One line of `cells`, `base` under every cell's style.
    pub fn line(&self, cells: &[Cell<'_>], base: Style) -> Line<'static> {
        row_line(cells, &self.widths, self.right, base)
    }

    /// The same as plain text, for copying.
    pub fn text(&self, cells: &[Cell<'_>]) -> String {
        row_text(cells, &self.widths, self.right)
    }

    /// Rows `shown` of `items`, row `selected` a bar `width` wide in the selection's style.
    pub fn rows<'a, T, F>(
        &self,
        items: &'a [T],
        shown: Range<usize>,
        selected: usize,
        width: usize,
        theme: &Theme,
        cells: F,
    ) -> Vec<Line<'static>>
    where
        F: Fn(&'a T) -> Vec<Cell<'a>>,
    {
        let shown = shown.start.min(items.len())..shown.end.min(items.len());
        let first = shown.start;
        items[shown]
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let base = if first + i == selected {
                    theme.selected
                } else {
                    Style::default()
                };
                fill(self.line(&cells(item), base), width, base)
            })
            .collect()
    }
}

/// The table keeps at least this many rows (or a third of the room) when the blocks under it
/// need room.
const MIN_ROWS: usize = 3;

/// The room a tab has, in lines, for its table and the blocks under it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Room {
    /// The tab's height below anything shown above the table.
    pub height: usize,
    /// The whole table, its header included.
    pub table_full: usize,
    /// The fewest lines the table keeps when the blocks need room.
    pub table_min: usize,
    /// The lines of the blocks besides the details.
    pub others: usize,
}

impl Room {
    /// `height` lines for a table of `rows` rows and blocks of `others` lines besides the
    /// details.
    pub fn new(height: usize, rows: usize, others: usize) -> Self {
        let table_full = rows.saturating_add(1);
        Room {
            height,
            table_full,
            table_min: (1 + MIN_ROWS).max(height / 3).min(table_full),
            others,
        }
    }

    /// The table's height and how many of `blocks` (their lengths) get a blank line before
    /// them, as [`share`] settles it.
    pub fn share(&self, blocks: &[usize]) -> (usize, usize) {
        share(self.height, self.table_full, self.table_min, blocks)
    }
}

/// A tab laid out around its table: the lines above it, its height (header included), and
/// the blocks under it, the first `blanks` of them after a blank line.
pub(crate) struct Page {
    pub above: Vec<Line<'static>>,
    pub table_h: usize,
    pub blanks: usize,
    pub blocks: Vec<Vec<Line<'static>>>,
}

impl Page {
    /// How many rows show under the header.
    pub fn rows(&self) -> usize {
        self.table_h.saturating_sub(1).max(1)
    }

    /// Draws the page with `table` (the header and the rows on screen) in its place.
    pub fn draw(self, frame: &mut Frame, area: Rect, table: Vec<Line<'static>>) {
        let height = area.height as usize;
        let mut lines = self.above;
        lines.extend(table);
        for (i, b) in self
            .blocks
            .into_iter()
            .filter(|b| !b.is_empty())
            .enumerate()
        {
            if lines.len() >= height {
                break;
            }
            if i < self.blanks {
                lines.push(Line::default());
            }
            lines.extend(b);
        }
        draw_lines(frame, area, &lines, 0);
    }
}

/// The selected row's details, `title` over `fields`, shaped to let the table show: a grid of
/// label and value when the whole table fits with it; else pairs flowing along the lines when
/// that lets the whole table show; else the grid under a shorter table when it fits; else
/// the flowing pairs. Nothing when there are no fields.
pub(crate) fn details(
    title: &str,
    fields: &[Field],
    w: u16,
    room: Room,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if fields.is_empty() {
        return Vec::new();
    }
    let fits = |table: usize, block: &[Line]| {
        table
            .saturating_add(room.others)
            .saturating_add(block.len())
            <= room.height
    };
    let mut section = Section::new(title);
    for f in fields {
        section.push(Row::new(f.label.clone(), &f.value, f.style));
    }
    let grid = column(&[section], w, theme);
    if fits(room.table_full, &grid) {
        return grid;
    }
    let mut flowing = vec![Line::styled(title.to_string(), theme.title)];
    flowing.extend(flow(fields, w, theme));
    if !fits(room.table_full, &flowing) && fits(room.table_min, &grid) {
        grid
    } else {
        flowing
    }
}

/// Draws the tab `title` saying why it has nothing to show.
pub(crate) fn draw_empty(frame: &mut Frame, area: Rect, title: &str, words: &str, theme: &Theme) {
    let mut s = Section::new(title);
    s.empty = Some(words.into());
    draw_lines(frame, area, &column(&[s], area.width, theme), 0);
}

/// The warning that `n` entries of the list `name` could not be read.
pub(crate) fn unread_words(name: &str, n: usize) -> String {
    let plural = if n == 1 { "y" } else { "ies" };
    format!("{n} {name} entr{plural} could not be read (see Raw JSON)")
}

/// Each field as `label: value` on one line, for copying.
pub(crate) fn field_texts(fields: &[Field]) -> impl Iterator<Item = String> + '_ {
    fields
        .iter()
        .map(|f| format!("{}: {}", clean(&f.label), one_line(&f.value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(n: usize) -> Vec<Field> {
        (0..n)
            .map(|i| Field::new(format!("f{i}"), "v", Style::default()))
            .collect()
    }

    #[test]
    fn the_table_keeps_a_third_or_four_lines_but_no_more_than_it_has() {
        let r = Room::new(30, 100, 0);
        assert_eq!((r.table_full, r.table_min), (101, 10));
        assert_eq!(Room::new(9, 100, 0).table_min, 4);
        assert_eq!(Room::new(30, 2, 0).table_min, 3);
        assert_eq!(Room::new(30, usize::MAX, 0).table_full, usize::MAX);
    }

    fn room(height: usize, table_full: usize, table_min: usize) -> Room {
        Room {
            height,
            table_full,
            table_min,
            others: 0,
        }
    }

    #[test]
    fn details_are_a_grid_when_the_table_fits_with_it() {
        let theme = Theme::plain();
        let grid = details("T", &fields(4), 80, room(40, 10, 4), &theme);
        // The title, then one line per field.
        assert_eq!(grid.len(), 5);
    }

    #[test]
    fn details_flow_when_that_lets_the_whole_table_show() {
        let theme = Theme::plain();
        // Four short pairs flow onto one line under the title: 2 lines against a grid's 5.
        let d = details("T", &fields(4), 80, room(13, 10, 4), &theme);
        assert_eq!(d.len(), 2);
        // Too short for the whole table either way, but the grid fits under a shorter one.
        let d = details("T", &fields(4), 80, room(10, 10, 4), &theme);
        assert_eq!(d.len(), 5);
        // Not even that: the flowing pairs, the shortest.
        let d = details("T", &fields(4), 80, room(6, 10, 4), &theme);
        assert_eq!(d.len(), 2);
        assert!(details("T", &[], 80, room(6, 10, 4), &theme).is_empty());
    }

    #[test]
    fn rows_outside_the_items_are_not_drawn() {
        let theme = Theme::plain();
        let cols = Columns {
            widths: vec![3],
            right: &[false],
        };
        let items = ["a", "b"];
        let cells = |s: &&'static str| vec![Cell::new(*s, Style::default())];
        assert_eq!(cols.rows(&items, 0..5, 0, 3, &theme, cells).len(), 2);
        assert!(cols.rows(&items, 4..5, 0, 3, &theme, cells).is_empty());
    }

    #[test]
    fn unread_words_count_entries() {
        assert_eq!(
            unread_words("redial_call", 1),
            "1 redial_call entry could not be read (see Raw JSON)"
        );
        assert_eq!(
            unread_words("question_answer", 3),
            "3 question_answer entries could not be read (see Raw JSON)"
        );
    }
}
