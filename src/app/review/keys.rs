//! The review's keys: the list's, the figures', the note field's, and those that act on any
//! screen of a review (`]` `[`, the verdicts, `i`), before the tabs' own.

use crossterm::event::KeyEvent;

use super::super::keymap::{self, Command, Mode};
use super::super::views::{Scroll, Views};
use super::super::{App, Effect, Loaded, Tab};
use super::list::Quick;
use super::{Note, Screen};
use ratatui_textarea::TextArea;

/// What the reviewer reads by is kept from one case to the next: the transcript's speaker
/// filter and folded silences, and the searches of the Transcript and Raw JSON tabs.
pub(super) fn carry_reading(from: &Views, to: &mut Loaded) {
    super::super::masking::carry_reading(from, to);
}

impl App {
    /// A key in a review, before the tabs': `None` leaves it to them (a case is open and the
    /// key is theirs).
    pub(in crate::app) fn on_review_key(&mut self, key: KeyEvent) -> Option<Vec<Effect>> {
        let review = self.review.as_deref()?;
        if review.note.is_some() {
            return Some(self.on_note_key(key));
        }
        match review.screen {
            Screen::Figures(_) => {
                if let Some(c) = keymap::command(Mode::Figures, &key) {
                    self.figures_command(c);
                }
                Some(Vec::new())
            }
            Screen::List if review.list.filter.editing => Some(self.on_filter_key(key)),
            Screen::List => {
                let c = keymap::command(Mode::Review, &key)
                    .or_else(|| keymap::command(Mode::List, &key));
                Some(c.map(|c| self.review_command(c)).unwrap_or_default())
            }
            Screen::Case => {
                // A search or a time being typed takes every key.
                if self.typing_in_case() {
                    return None;
                }
                if let Some(c) = keymap::command(Mode::Review, &key) {
                    return Some(self.review_command(c));
                }
                match keymap::command(Mode::Result, &key) {
                    Some(
                        Command::Escape
                        | Command::ToForm
                        | Command::ToFirstField
                        | Command::ToLastField,
                    ) if self.pending.is_none() => {
                        self.back_to_list();
                        Some(Vec::new())
                    }
                    _ => None,
                }
            }
        }
    }

    fn typing_in_case(&self) -> bool {
        let Some(l) = self.loaded.as_deref() else {
            return false;
        };
        match self.tab {
            Tab::Transcript => {
                l.views.transcript.search.editing || l.views.transcript.jump.is_some()
            }
            Tab::Raw => l.views.raw.search.editing,
            _ => false,
        }
    }

    fn back_to_list(&mut self) {
        let masked = self.masked();
        if let Some(r) = self.review.as_deref_mut() {
            r.screen = Screen::List;
            r.reorder(masked, false);
        }
    }

    fn review_command(&mut self, c: Command) -> Vec<Effect> {
        let masked = self.masked();
        let page = self.list_page();
        let Some(r) = self.review.as_deref_mut() else {
            return Vec::new();
        };
        match c {
            Command::NextCase | Command::PrevCase => return self.step_case(c == Command::NextCase),
            Command::Verdict(v) => return self.give_verdict(v),
            Command::EditNote => {
                if let Some(i) = r.current() {
                    let note = r.marks[i]
                        .as_ref()
                        .map(|m| m.note.clone())
                        .unwrap_or_default();
                    let mut field = TextArea::new(vec![crate::text::one_line(&note)]);
                    field.move_cursor(ratatui_textarea::CursorMove::End);
                    r.note = Some(Note { index: i, field });
                }
            }
            Command::Move(nav) => r.list.nav(nav, page),
            Command::Submit => {
                if let Some(i) = r.list.selected() {
                    return self.open_case(i);
                }
            }
            Command::Filter => {
                r.list.filter.editing = true;
            }
            Command::SortNext => {
                r.list.next_sort();
                r.reorder(masked, false);
            }
            Command::SortReverse => {
                r.list.reversed = !r.list.reversed;
                r.reorder(masked, false);
            }
            Command::Quick(q) => {
                r.list.quick = if r.list.quick == q { Quick::All } else { q };
                r.reorder(masked, false);
            }
            Command::Figures => r.screen = Screen::Figures(Scroll::default()),
            Command::Escape => {
                r.list.filter.query.clear();
                r.list.quick = Quick::All;
                r.reorder(masked, false);
            }
            other => return self.run_anywhere(other),
        }
        Vec::new()
    }

    /// `]` / `[`: the next or previous case of the list, opened in the same tab.
    fn step_case(&mut self, forward: bool) -> Vec<Effect> {
        let masked = self.masked();
        let Some(r) = self.review.as_deref_mut() else {
            return Vec::new();
        };
        // The order is made again first: verdicts given since may have changed it.
        r.reorder(masked, false);
        let from = match (&r.screen, r.opening, r.open) {
            (_, Some((_, i)), _) => r.list.position(i),
            (Screen::Case, _, Some(i)) => r.list.position(i),
            _ => Some(r.list.select.selected),
        };
        let n = r.list.order.len();
        let to = match (from, forward) {
            (_, _) if n == 0 => None,
            (None, _) => Some(0),
            (Some(p), true) => (p + 1 < n).then_some(p + 1),
            (Some(p), false) => p.checked_sub(1),
        };
        let Some(to) = to else {
            self.notice = Some(super::super::Notice {
                text: if forward {
                    "the last case of the list"
                } else {
                    "the first case of the list"
                }
                .into(),
                warn: false,
            });
            return Vec::new();
        };
        r.list.select.selected = to;
        let i = r.list.order[to] as usize;
        self.open_case(i)
    }

    fn on_filter_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let masked = self.masked();
        let page = self.list_page();
        let Some(r) = self.review.as_deref_mut() else {
            return Vec::new();
        };
        let f = &mut r.list.filter;
        match keymap::command(Mode::ListFilter, &key) {
            Some(Command::KeepSearch) => f.editing = false,
            Some(Command::LeaveSearch) => {
                f.editing = false;
                f.query.clear();
            }
            Some(Command::DeleteChar) => {
                f.query.pop();
            }
            Some(Command::ClearSearch) => f.query.clear(),
            Some(Command::Move(nav)) => {
                r.list.nav(nav, page);
                return Vec::new();
            }
            _ => match key.code {
                crossterm::event::KeyCode::Char(c) if !c.is_control() => f.query.push(c),
                _ => return Vec::new(),
            },
        }
        r.reorder(masked, true);
        Vec::new()
    }

    /// Text pasted while the list's filter or the note is typed.
    pub(in crate::app) fn paste_into_review(&mut self, text: &str) -> bool {
        let masked = self.masked();
        let Some(r) = self.review.as_deref_mut() else {
            return false;
        };
        if let Some(n) = &mut r.note {
            n.field.insert_str(crate::text::one_line(text));
            return true;
        }
        if matches!(r.screen, Screen::List) && r.list.filter.editing {
            r.list.filter.query.push_str(&crate::text::one_line(text));
            r.reorder(masked, true);
            return true;
        }
        false
    }

    fn on_note_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(r) = self.review.as_deref_mut() else {
            return Vec::new();
        };
        match keymap::command(Mode::Note, &key) {
            Some(Command::KeepSearch) => {
                let Some(note) = r.note.take() else {
                    return Vec::new();
                };
                let text = crate::text::one_line(note.field.lines().join(" ").trim());
                let verdict = r.marks[note.index].as_ref().and_then(|m| m.verdict);
                let said = if text.is_empty() {
                    "note cleared"
                } else {
                    "note saved"
                };
                self.save_mark(note.index, verdict, text, said)
            }
            Some(Command::LeaveSearch) => {
                r.note = None;
                Vec::new()
            }
            _ => {
                if let Some(n) = &mut r.note {
                    // One line: Enter is the table's; everything else edits.
                    n.field.input(key);
                }
                Vec::new()
            }
        }
    }

    fn figures_command(&mut self, c: Command) {
        let page = self.list_page();
        let Some(r) = self.review.as_deref_mut() else {
            return;
        };
        match (c, &mut r.screen) {
            (Command::CloseHelp, _) => r.screen = Screen::List,
            (Command::Move(nav), Screen::Figures(scroll)) => scroll.nav(nav, page),
            _ => {}
        }
    }

    /// The mouse over a review's list or figures: the wheel moves the selection (scrolls the
    /// figures), a click selects the row under it. False when a case is on screen.
    pub(in crate::app) fn on_review_mouse(
        &mut self,
        m: crossterm::event::MouseEvent,
        body: ratatui::layout::Rect,
    ) -> bool {
        use crossterm::event::{MouseButton, MouseEventKind};
        let page = self.list_page();
        let Some(r) = self.review.as_deref_mut() else {
            return false;
        };
        let wheel = match m.kind {
            MouseEventKind::ScrollDown => Some(3),
            MouseEventKind::ScrollUp => Some(-3),
            _ => None,
        };
        match &mut r.screen {
            Screen::Case => return false,
            Screen::Figures(scroll) => {
                if let Some(n) = wheel {
                    scroll.nav(super::super::views::Nav::Wheel(n), page);
                }
            }
            Screen::List => match (m.kind, wheel) {
                (_, Some(n)) => r.list.nav(super::super::views::Nav::Wheel(n), page),
                // The first row of the body is the columns' titles.
                (MouseEventKind::Down(MouseButton::Left), _) if m.row > body.y => {
                    let at = r.list.select.offset() + (m.row - body.y - 1) as usize;
                    r.list.select_position(at);
                }
                _ => {}
            },
        }
        true
    }

    /// Rows of the list a page moves by before the first frame says.
    fn list_page(&self) -> usize {
        self.size.1.saturating_sub(5).max(1) as usize
    }
}

/// Commands of the list that mean what they mean anywhere.
impl App {
    fn run_anywhere(&mut self, c: Command) -> Vec<Effect> {
        let effects = match c {
            Command::Quit | Command::Help | Command::Mask => self.run(c),
            _ => Vec::new(),
        };
        // `m`: names and numbers in the list are masked too.
        let masked = self.masked();
        if let Some(r) = self.review.as_deref_mut() {
            r.reorder(masked, false);
        }
        effects
    }
}
