//! The session's past lookups and the `Ctrl-R` pane: a filter typed at the top, the matching
//! lookups newest first, `Enter` puts the chosen one in the form. The file is read before the
//! app starts and written by the event loop ([`Effect::History`]); nothing here does I/O.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::views::{Nav, Select};
use super::{App, Effect, Focus, Notice, Overlay};
use crate::api::{Answer, ApiError, Query};
use crate::fuzzy::{Hit, MAX_QUERY};
use crate::history::{CAP, Entry, filter};

/// The lookups and the pane.
#[derive(Debug, Default)]
pub struct History {
    /// Oldest first, at most [`CAP`].
    pub entries: Vec<Entry>,
    /// Lookups are recorded (the session has a history file).
    pub enabled: bool,
}

/// The `Ctrl-R` pane.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pane {
    /// What was typed.
    pub query: String,
    /// The entries that match (indices into `entries`, and where), best first.
    pub matches: Vec<Hit>,
    /// Position in `matches`, and the first row on screen.
    pub select: Select,
}

impl History {
    pub fn new(entries: Vec<Entry>, enabled: bool) -> Self {
        History { entries, enabled }
    }

    /// Adds a lookup, dropping the oldest beyond [`CAP`].
    pub fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
        let extra = self.entries.len().saturating_sub(CAP);
        self.entries.drain(..extra);
    }

    /// The entry `pane`'s selection is on.
    pub fn selected(&self, pane: &Pane) -> Option<&Entry> {
        let hit = pane.matches.get(pane.select.selected)?;
        self.entries.get(hit.index)
    }

    /// The entry `pane`'s selection is on, and where the filter matched it.
    pub fn selected_hit<'a>(&'a self, pane: &'a Pane) -> Option<(&'a Entry, &'a Hit)> {
        let hit = pane.matches.get(pane.select.selected)?;
        Some((self.selected(pane)?, hit))
    }
}

impl App {
    /// Records a lookup's outcome: in the session's list, and as an effect that saves it.
    pub(super) fn remember(
        &mut self,
        query: &Query,
        result: Result<&Answer, &ApiError>,
    ) -> Vec<Effect> {
        if !self.history.enabled {
            return Vec::new();
        }
        let entry = Entry::new(
            query,
            self.context.profile.as_deref(),
            self.context.base_url.as_deref(),
            self.now,
            result,
        );
        self.history.push(entry.clone());
        let masked = self.masked();
        if let Overlay::History(p) = &mut self.overlay {
            p.matches = filter(&self.history.entries, &p.query, masked);
        }
        vec![Effect::History(Box::new(entry))]
    }

    /// `Ctrl-R`: opens the pane (or says why not).
    pub(super) fn open_history(&mut self) {
        if !self.history.enabled {
            self.notice = Some(Notice {
                text: "history is off (--no-history)".into(),
                warn: true,
            });
            return;
        }
        self.overlay = Overlay::History(Pane {
            query: String::new(),
            matches: filter(&self.history.entries, "", self.masked()),
            select: Select::default(),
        });
    }

    /// Rows of the list on this screen.
    fn history_rows(&self) -> usize {
        super::layout::history_rows(self.size)
    }

    fn history_nav(&mut self, nav: Nav) {
        let rows = self.history_rows();
        if let Some(p) = self.history_pane_mut() {
            p.select.nav(nav, p.matches.len(), rows);
        }
    }

    /// Keys while the pane is open.
    pub(super) fn on_history_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.overlay = Overlay::None,
            KeyCode::Char('r') if ctrl => self.history_nav(Nav::Down),
            KeyCode::Enter => self.fill_from_history(),
            KeyCode::Up => self.history_nav(Nav::Up),
            KeyCode::Char('p' | 'k') if ctrl => self.history_nav(Nav::Up),
            KeyCode::Down => self.history_nav(Nav::Down),
            KeyCode::Char('n' | 'j') if ctrl => self.history_nav(Nav::Down),
            KeyCode::PageUp => self.history_nav(Nav::PageUp),
            KeyCode::PageDown => self.history_nav(Nav::PageDown),
            KeyCode::Home => self.history_nav(Nav::Top),
            KeyCode::End => self.history_nav(Nav::Bottom),
            KeyCode::Backspace => {
                if let Some(p) = self.history_pane_mut() {
                    p.query.pop();
                }
                self.refilter_history();
            }
            KeyCode::Char('u') if ctrl => {
                if let Some(p) = self.history_pane_mut() {
                    p.query.clear();
                }
                self.refilter_history();
            }
            KeyCode::Char(c) if !ctrl => {
                if let Some(p) = self.history_pane_mut() {
                    push_bounded(&mut p.query, &c.to_string());
                }
                self.refilter_history();
            }
            _ => {}
        }
        Vec::new()
    }

    /// Text pasted while the pane is open goes into its filter.
    pub(super) fn paste_into_history(&mut self, text: &str) {
        if let Some(p) = self.history_pane_mut() {
            push_bounded(&mut p.query, &crate::text::one_line(text));
        }
        self.refilter_history();
    }

    /// The pane's matches again after its filter changed, the first selected.
    fn refilter_history(&mut self) {
        let masked = self.masked();
        if let Overlay::History(p) = &mut self.overlay {
            p.matches = filter(&self.history.entries, &p.query, masked);
            p.select = Select::default();
        }
    }

    /// The wheel moves the selection while the pane is open.
    pub(super) fn history_wheel(&mut self, down: bool) {
        self.history_nav(if down { Nav::Down } else { Nav::Up });
    }

    /// `Enter` in the pane: the chosen lookup goes into the form; the next `Enter` sends it.
    fn fill_from_history(&mut self) {
        let Some(query) = self
            .history_pane()
            .and_then(|p| self.history.selected(p))
            .map(Entry::query)
        else {
            // Nothing matches: the pane stays for another try.
            return;
        };
        self.overlay = Overlay::None;
        self.form.set(&query);
        // The form's demo label names the demo case only while the form holds its ids.
        self.demo_index = self
            .context
            .demo_cases
            .iter()
            .position(|c| super::Form::new(&c.query).values() == self.form.values());
        self.form.focused = 0;
        self.focus = Focus::Form;
        self.show_form = true;
        self.notice = Some(Notice {
            text: "filled from history: Enter sends it".into(),
            warn: false,
        });
    }
}

/// Adds `more` to the filter, up to [`MAX_QUERY`] characters (the rest would not be matched).
fn push_bounded(query: &mut String, more: &str) {
    let room = MAX_QUERY.saturating_sub(query.chars().count());
    query.extend(more.chars().take(room));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Action, Context};

    fn key(code: KeyCode, mods: KeyModifiers) -> Action {
        Action::Key(KeyEvent::new(code, mods))
    }

    fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            app.update(key(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    /// A lookup of `query`, answered.
    fn entry(query: &Query, outcome: &str) -> Entry {
        Entry {
            at: "2024-03-12T14:54:26+08:00".into(),
            workflow_id: query.workflow_id.clone(),
            node_id: query.node_id.clone(),
            callee: query.callee.clone(),
            case_id: query.case_id.clone(),
            profile: Some("demo".into()),
            base_url: None,
            callee_name: None,
            ok: true,
            outcome: outcome.into(),
        }
    }

    /// The demo, on its last case, with one past lookup of another case and one of the
    /// demo's second case.
    fn demo() -> App {
        let cases = crate::demo::cases();
        let other = Query {
            workflow_id: "other-workflow".into(),
            node_id: "other-node".into(),
            callee: "+8613900000000".into(),
            case_id: None,
        };
        let history = vec![
            entry(&cases[1].query, "second demo case"),
            entry(&other, "elsewhere"),
        ];
        let mut app = App::new(
            cases[0].query.clone(),
            Context {
                demo_cases: cases,
                history,
                history_file: Some("/nonexistent/history.jsonl".into()),
                ..Context::default()
            },
        );
        app.update(Action::Resize(100, 30));
        app.update(key(KeyCode::Char('p'), KeyModifiers::CONTROL));
        app
    }

    #[test]
    fn filling_the_form_from_history_drops_the_demo_label() {
        let mut app = demo();
        let last = app.context.demo_cases.len() - 1;
        assert_eq!(app.demo_index, Some(last));
        app.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        typed(&mut app, "elsewhere");
        app.update(key(KeyCode::Enter, KeyModifiers::NONE));
        assert!(app.history_pane().is_none());
        assert_eq!(app.form.query().workflow_id, "other-workflow");
        assert_eq!(app.demo_index, None, "the form no longer holds a demo case");
        // Ctrl-N from there starts the demo cases again at the first.
        app.update(key(KeyCode::Char('n'), KeyModifiers::CONTROL));
        assert_eq!(app.demo_index, Some(0));
    }

    #[test]
    fn filling_the_form_with_a_demo_case_names_that_case() {
        let mut app = demo();
        app.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        typed(&mut app, "second demo");
        app.update(key(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(app.form.query(), app.context.demo_cases[1].query);
        assert_eq!(app.demo_index, Some(1));
    }

    #[test]
    fn the_filter_takes_at_most_max_query_characters() {
        let mut app = demo();
        app.update(key(KeyCode::Char('r'), KeyModifiers::CONTROL));
        app.update(Action::Paste("x".repeat(1 << 20)));
        typed(&mut app, "yy");
        let query = &app.history_pane().unwrap().query;
        assert_eq!(query.chars().count(), MAX_QUERY);
        assert!(query.chars().all(|c| c == 'x'));
    }
}
