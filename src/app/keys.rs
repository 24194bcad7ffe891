//! Keys, by where the focus is: anywhere, in the form, on the result, in a search being typed.

use super::keymap::{self, Command, Mode};
use super::*;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let anywhere = keymap::command(Mode::Anywhere, &key);
        if anywhere == Some(Command::Quit) {
            return vec![Effect::Quit];
        }
        if self.too_small() && key.code != KeyCode::Esc {
            return Vec::new();
        }
        match self.overlay {
            Overlay::Help(_) => {
                if let Some(c) = keymap::command(Mode::Help, &key) {
                    self.help_command(c);
                }
                return Vec::new();
            }
            Overlay::History(_) => return self.on_history_key(key),
            Overlay::None => {}
        }
        if let Some(c) = anywhere {
            return self.run(c);
        }
        if let Some(effects) = self.on_review_key(key) {
            return effects;
        }
        match self.focus {
            Focus::Form => match keymap::command(Mode::Form, &key) {
                Some(Command::EditField) | None => {
                    self.form.input(key);
                    Vec::new()
                }
                Some(c) => self.run(c),
            },
            Focus::Result => self.on_result_key(key),
        }
    }

    /// The help overlay's keys: it scrolls, or closes (and forgets where it was).
    fn help_command(&mut self, c: Command) {
        let page = self.size.1.saturating_sub(4).max(1) as usize;
        let nav = match c {
            Command::CloseHelp => {
                self.overlay = Overlay::None;
                return;
            }
            // A page of the help is its whole height: nothing shown twice.
            Command::Move(Nav::PageDown) => Nav::Wheel(page as i32),
            Command::Move(Nav::PageUp) => Nav::Wheel(-(page as i32)),
            Command::Move(nav) => nav,
            _ => return,
        };
        if let Overlay::Help(scroll) = &mut self.overlay {
            scroll.nav(nav, page);
        }
    }

    /// While the screen is too small to draw, nothing can be seen to act on: only Ctrl-C, Esc
    /// (it only closes and cancels: a key typed just before a shrink is not lost) and resizes act.
    pub(super) fn too_small(&self) -> bool {
        layout::layout(self).too_small
    }

    pub(super) fn toggle_mouse(&mut self) -> Vec<Effect> {
        self.mouse_capture = !self.mouse_capture;
        self.notice = Some(Notice {
            text: if self.mouse_capture {
                "mouse capture on: click and wheel work; F2 gives selection back to the terminal"
                    .into()
            } else {
                "mouse capture off: select text with the mouse; F2 turns clicks back on".into()
            },
            warn: false,
        });
        vec![Effect::SetMouseCapture(self.mouse_capture)]
    }

    pub(super) fn step_demo(&mut self, by: isize) {
        let n = self.context.demo_cases.len();
        if n == 0 {
            return;
        }
        let i = self
            .demo_index
            .map_or(0, |i| (i as isize + by).rem_euclid(n as isize) as usize);
        self.demo_index = Some(i);
        let q = self.context.demo_cases[i].query.clone();
        self.form.set(&q);
    }

    pub(super) fn on_result_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.editing_search().is_some() {
            return self.on_search_key(key);
        }
        self.settle_search();
        let command = keymap::command(Mode::Result, &key);
        // A failure covers the answer on screen until the user turns back to it: Esc or a
        // tab key shows the answer again.
        if self.failure.is_some()
            && self.loaded.is_some()
            && self.pending.is_none()
            && matches!(
                command,
                Some(
                    Command::Escape
                        | Command::Tab(_)
                        | Command::DiffTab
                        | Command::PrevTab
                        | Command::NextTab
                )
            )
        {
            self.failure = None;
            if command == Some(Command::Escape) {
                return Vec::new();
            }
        }
        // The Transcript tab's own keys come first (its time prompt takes every key).
        let (w, h) = self.body_size();
        if self.tab == Tab::Transcript
            && let Some(loaded) = self.loaded.as_mut()
            && let Some(effects) = transcript_keys::on_key(loaded, key, w, h)
        {
            return effects;
        }
        match command {
            Some(c) => self.run(c),
            None => Vec::new(),
        }
    }

    /// Carries out a command of the key table.
    pub(super) fn run(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Quit => return vec![Effect::Quit],
            Command::Help => self.overlay = Overlay::Help(views::Scroll::default()),
            Command::MouseCapture => return self.toggle_mouse(),
            // A review has its list where the form would be, and asks nothing.
            Command::ToggleForm | Command::History if self.review.is_some() => {
                self.notice = Some(Notice {
                    text:
                        "a review has no form: its cases come from the directory (Esc for the list)"
                            .into(),
                    warn: false,
                });
            }
            Command::ToggleForm => {
                self.show_form = !self.show_form;
                if !self.show_form {
                    self.focus = Focus::Result;
                }
            }
            Command::History => self.open_history(),
            Command::Escape => return self.escape(),
            // On the result, Enter asks only while there is no answer yet.
            Command::Submit if self.focus == Focus::Form || self.loaded.is_none() => {
                return self.submit();
            }
            Command::NextField => {
                if self.form.focused == 3 {
                    self.focus = Focus::Result;
                } else {
                    self.form.focused += 1;
                }
            }
            Command::PrevField => {
                if self.form.focused == 0 {
                    self.focus = Focus::Result;
                } else {
                    self.form.focused -= 1;
                }
            }
            Command::FieldDown => self.form.focused = (self.form.focused + 1).min(3),
            Command::FieldUp => self.form.focused = self.form.focused.saturating_sub(1),
            Command::NextDemo => self.step_demo(1),
            Command::PrevDemo => self.step_demo(-1),
            Command::ToForm | Command::ToFirstField | Command::ToLastField => {
                self.focus = Focus::Form;
                self.show_form = true;
                match command {
                    Command::ToFirstField => self.form.focused = 0,
                    Command::ToLastField => self.form.focused = 3,
                    _ => {}
                }
            }
            // The first part of an answer still arriving: nothing whole to mask, give, check
            // or search through yet (the rest is a moment away).
            Command::Mask
            | Command::Export
            | Command::Copy
            | Command::CopyAll
            | Command::Verify
            | Command::DiffPrevious
            | Command::Search
                if self.receiving() =>
            {
                self.notice = Some(Notice {
                    text: "the answer is still arriving: try again in a moment".into(),
                    warn: true,
                });
            }
            Command::Mask => return self.toggle_mask(),
            Command::Tab(i) => self.tab = Tab::from_index(usize::from(i)),
            Command::DiffTab if self.compare.is_some() => self.tab = Tab::Diff,
            Command::PrevTab => self.cycle_tab(false),
            Command::NextTab => self.cycle_tab(true),
            Command::Verify if self.loaded.is_some() => return self.verify_loaded(),
            Command::DiffPrevious if self.loaded.is_some() => self.diff_previous(),
            Command::Move(nav) => self.nav(nav),
            Command::Search if self.tab.searchable() && self.loaded.is_some() => {
                if let Some(s) = self.search_mut() {
                    s.editing = true;
                    s.query.clear();
                    s.hits.clear();
                    s.current = None;
                }
            }
            Command::NextMatch => self.step_search(true),
            Command::PrevMatch => self.step_search(false),
            // A masked copy whose transcript is still being masked has nothing whole to give
            // yet, on any tab (its Raw JSON lacks the transcript).
            Command::Export | Command::Copy | Command::CopyAll if self.masking_left_out() => {
                let failed = self
                    .loaded
                    .as_deref()
                    .is_some_and(|l| matches!(l.lists, super::Lists::Unmasked(_)));
                self.notice = Some(Notice {
                    text: if failed {
                        "the transcript could not be masked: nothing whole to export or copy"
                    } else {
                        "the transcript is still being masked: try again in a moment"
                    }
                    .into(),
                    warn: true,
                });
            }
            // Exports, and copies from the lists being read, wait for the whole answer (a
            // moment); an answer whose lists could not be read has none to give.
            Command::Export | Command::Copy | Command::CopyAll
                if (self.reading_left_out() || self.unread_lists())
                    && (command == Command::Export
                        || matches!(self.tab, Tab::Transcript | Tab::Redials)) =>
            {
                self.notice = Some(Notice {
                    text: if self.reading_left_out() {
                        "the transcript and redials are still being read: try again in a moment"
                    } else {
                        "the transcript and redials could not be read (see Raw JSON): nothing whole to export or copy"
                    }
                    .into(),
                    warn: true,
                });
            }
            Command::Export => {
                if let Some(l) = self.loaded.as_deref() {
                    return vec![l.export(self.context.export_dir.clone())];
                }
            }
            Command::Copy => return self.copy(false),
            Command::CopyAll => return self.copy(true),
            _ => {}
        }
        Vec::new()
    }

    /// Esc: cancels the running request; else, in the form, goes to the answer, and on the
    /// result clears the search.
    fn escape(&mut self) -> Vec<Effect> {
        if self.pending.is_some() {
            return self.cancel();
        }
        match self.focus {
            Focus::Form => {
                // After a failure: the answer again, and the user still typing where they
                // were; else on to the answer, when there is one.
                if self.failure.take().is_none() && self.loaded.is_some() {
                    self.focus = Focus::Result;
                }
            }
            Focus::Result => {
                if let Some(s) = self.search_mut()
                    && s.is_active()
                {
                    s.clear();
                }
            }
        }
        Vec::new()
    }

    /// The six tabs, and the Diff view when there is one.
    pub fn tabs(&self) -> Vec<Tab> {
        let mut t = Tab::ALL.to_vec();
        if self.compare.is_some() {
            t.push(Tab::Diff);
        }
        t
    }

    pub(super) fn cycle_tab(&mut self, forward: bool) {
        let tabs = self.tabs();
        let i = tabs.iter().position(|t| *t == self.tab).unwrap_or(0);
        let n = tabs.len();
        self.tab = tabs[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    pub(super) fn on_search_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let command = keymap::command(Mode::Search, &key);
        if matches!(command, Some(Command::KeepSearch | Command::LeaveSearch)) {
            self.settle_search();
        }
        let Some(s) = self.editing_search() else {
            return Vec::new();
        };
        match command {
            Some(Command::LeaveSearch) => {
                // Leaves the search and keeps the position; the highlights stay until Esc again.
                s.editing = false;
                if s.query.is_empty() {
                    s.clear();
                }
                return Vec::new();
            }
            Some(Command::KeepSearch) => {
                s.editing = false;
                return Vec::new();
            }
            Some(Command::DeleteChar) => {
                s.query.pop();
            }
            Some(Command::ClearSearch) => s.query.clear(),
            // Everything else is typed.
            _ => match key.code {
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    s.query.push(c)
                }
                _ => return Vec::new(),
            },
        }
        // Found once the keys typed ahead are in (the next frame, or the next key that is
        // not typing): a query typed at speed is searched once, not once a letter.
        self.search_due = true;
        Vec::new()
    }

    /// Finds the matches of a query typed since the last search, if any.
    pub(super) fn settle_search(&mut self) {
        if std::mem::take(&mut self.search_due) {
            self.refresh_search();
        }
    }

    /// The search being typed on the current tab.
    pub(super) fn editing_search(&mut self) -> Option<&mut search::Search> {
        self.search_mut().filter(|s| s.editing)
    }

    pub(super) fn search_mut(&mut self) -> Option<&mut search::Search> {
        let tab = self.tab;
        let loaded = self.loaded.as_mut()?;
        match tab {
            Tab::Transcript => Some(&mut loaded.views.transcript.search),
            Tab::Raw => Some(&mut loaded.views.raw.search),
            _ => None,
        }
    }

    /// Both searches of the answer on screen found again (another answer came with the
    /// queries carried to it).
    pub(super) fn search_again(&mut self) {
        let (w, h) = self.body_size();
        let Some(l) = self.loaded.as_deref_mut() else {
            return;
        };
        if !l.views.transcript.search.query.is_empty() {
            transcript_keys::search(l, w, h);
        }
        if !l.views.raw.search.query.is_empty() {
            raw::search(l, h);
        }
    }

    /// Recomputes the current tab's matches after the query changed.
    pub(super) fn refresh_search(&mut self) {
        let (w, h) = self.body_size();
        let tab = self.tab;
        if let Some(loaded) = self.loaded.as_mut() {
            match tab {
                Tab::Transcript => transcript_keys::search(loaded, w, h),
                Tab::Raw => raw::search(loaded, h),
                _ => {}
            }
        }
    }

    pub(super) fn step_search(&mut self, forward: bool) {
        let (w, h) = self.body_size();
        let tab = self.tab;
        if let Some(loaded) = self.loaded.as_mut() {
            match tab {
                Tab::Transcript => transcript_keys::step_search(loaded, forward, w, h),
                Tab::Raw => raw::step_search(loaded, forward, h),
                _ => {}
            }
        }
    }
}
