//! Keys, by where the focus is: anywhere, in the form, on the result, in a search being typed.

use super::*;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return vec![Effect::Quit];
        }
        if self.too_small() && key.code != KeyCode::Esc {
            return Vec::new();
        }
        if self.show_help {
            let page = self.size.1.saturating_sub(4).max(1) as usize;
            let nav = match key.code {
                KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::F(1) | KeyCode::Enter => {
                    self.show_help = false;
                    self.help_scroll = views::Scroll::default();
                    return Vec::new();
                }
                KeyCode::Down | KeyCode::Char('j') => Nav::Down,
                KeyCode::Up | KeyCode::Char('k') => Nav::Up,
                // A page of the help is its whole height: nothing shown twice.
                KeyCode::PageDown | KeyCode::Char(' ') => Nav::Wheel(page as i32),
                KeyCode::PageUp => Nav::Wheel(-(page as i32)),
                KeyCode::Home | KeyCode::Char('g') => Nav::Top,
                KeyCode::End | KeyCode::Char('G') => Nav::Bottom,
                _ => return Vec::new(),
            };
            self.help_scroll.nav(nav, page);
            return Vec::new();
        }
        if self.history.pane.is_some() {
            return self.on_history_key(key);
        }
        if ctrl && key.code == KeyCode::Char('r') {
            self.open_history();
            return Vec::new();
        }
        if key.code == KeyCode::F(1) {
            self.show_help = true;
            return Vec::new();
        }
        if key.code == KeyCode::F(2) {
            return self.toggle_mouse();
        }
        if ctrl && key.code == KeyCode::Char('b') {
            self.show_form = !self.show_form;
            if !self.show_form {
                self.focus = Focus::Result;
            }
            return Vec::new();
        }
        match self.focus {
            Focus::Form => self.on_form_key(key),
            Focus::Result => self.on_result_key(key),
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

    pub(super) fn on_form_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => return self.submit(),
            KeyCode::Esc => {
                if self.pending.is_some() {
                    return self.cancel();
                }
                // After a failure: the answer again, and the user still typing where they were.
                if self.failure.take().is_some() {
                    return Vec::new();
                }
                if self.loaded.is_some() {
                    self.focus = Focus::Result;
                }
            }
            KeyCode::Tab => {
                if self.form.focused == 3 {
                    self.focus = Focus::Result;
                } else {
                    self.form.focused += 1;
                }
            }
            KeyCode::BackTab => {
                if self.form.focused == 0 {
                    self.focus = Focus::Result;
                } else {
                    self.form.focused -= 1;
                }
            }
            KeyCode::Down => self.form.focused = (self.form.focused + 1).min(3),
            KeyCode::Up => self.form.focused = self.form.focused.saturating_sub(1),
            KeyCode::Char('n') if ctrl => self.step_demo(1),
            KeyCode::Char('p') if ctrl => self.step_demo(-1),
            _ => self.form.input(key),
        }
        Vec::new()
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
        // A failure covers the answer on screen until the user turns back to it: Esc or a
        // tab key shows the answer again.
        if self.failure.is_some()
            && self.loaded.is_some()
            && self.pending.is_none()
            && matches!(
                key.code,
                KeyCode::Esc
                    | KeyCode::Left
                    | KeyCode::Right
                    | KeyCode::Char('1'..='7' | 'h' | 'l')
            )
        {
            self.failure = None;
            if key.code == KeyCode::Esc {
                return Vec::new();
            }
        }
        // A tab may claim keys of its own (filters, time jumps, export).
        let (w, h) = self.body_size();
        let tab = self.tab;
        let export_dir = self.context.export_dir.clone();
        if let Some(loaded) = self.loaded.as_mut()
            && tab == Tab::Transcript
            && let Some(effects) = transcript_keys::on_key(loaded, key, w, h, export_dir.as_deref())
        {
            return effects;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('q') => {
                return vec![Effect::Quit];
            }
            KeyCode::Char('?') => self.show_help = true,
            KeyCode::Esc => {
                if self.pending.is_some() {
                    return self.cancel();
                }
                if let Some(s) = self.search_mut()
                    && s.is_active()
                {
                    s.clear();
                }
            }
            KeyCode::Char('f') | KeyCode::Tab => {
                self.focus = Focus::Form;
                self.show_form = true;
                if key.code == KeyCode::Tab {
                    self.form.focused = 0;
                }
            }
            KeyCode::BackTab => {
                self.focus = Focus::Form;
                self.show_form = true;
                self.form.focused = 3;
            }
            KeyCode::Enter if self.loaded.is_none() => return self.submit(),
            KeyCode::Char('M') => return self.toggle_mouse(),
            KeyCode::Char('m') if !ctrl => self.toggle_mask(),
            KeyCode::Char(c @ '1'..='6') => self.tab = Tab::from_index(c as usize - '1' as usize),
            KeyCode::Char('7') if self.compare.is_some() => self.tab = Tab::Diff,
            KeyCode::Left | KeyCode::Char('h') => self.cycle_tab(false),
            KeyCode::Right | KeyCode::Char('l') => self.cycle_tab(true),
            KeyCode::Char('v') if self.loaded.is_some() => return self.verify_loaded(),
            KeyCode::Char('d') if !ctrl && self.loaded.is_some() => self.diff_previous(),
            KeyCode::Up | KeyCode::Char('k') => self.nav(Nav::Up),
            KeyCode::Down | KeyCode::Char('j') => self.nav(Nav::Down),
            KeyCode::PageUp => self.nav(Nav::PageUp),
            KeyCode::PageDown | KeyCode::Char(' ') => self.nav(Nav::PageDown),
            KeyCode::Char('u') if ctrl => self.nav(Nav::PageUp),
            KeyCode::Char('d') if ctrl => self.nav(Nav::PageDown),
            KeyCode::Home | KeyCode::Char('g') => self.nav(Nav::Top),
            KeyCode::End | KeyCode::Char('G') => self.nav(Nav::Bottom),
            KeyCode::Char('/') if self.tab.searchable() && self.loaded.is_some() => {
                if let Some(s) = self.search_mut() {
                    s.editing = true;
                    s.query.clear();
                    s.hits.clear();
                    s.current = None;
                }
            }
            KeyCode::Char('n') => self.step_search(true),
            KeyCode::Char('N') => self.step_search(false),
            // Exports, and copies from the lists being read, wait for the whole answer (a
            // moment); an answer whose lists could not be read has none to give.
            KeyCode::Char('e' | 'y' | 'Y')
                if (self.reading_left_out() || self.unread_lists())
                    && (key.code == KeyCode::Char('e')
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
            KeyCode::Char('e') if let Some(l) = self.loaded.as_deref() => {
                return vec![l.export(export_dir)];
            }
            KeyCode::Char('y') => return self.copy(false),
            KeyCode::Char('Y') => return self.copy(true),
            _ => {}
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
        let Some(s) = self.editing_search() else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => {
                // Leaves the search and keeps the position; the highlights stay until Esc again.
                s.editing = false;
                if s.query.is_empty() {
                    s.clear();
                }
                return Vec::new();
            }
            KeyCode::Enter => {
                s.editing = false;
                return Vec::new();
            }
            KeyCode::Backspace => {
                s.query.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => s.query.clear(),
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => s.query.push(c),
            _ => return Vec::new(),
        }
        self.refresh_search();
        Vec::new()
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

    /// Recomputes the current tab's matches after the query changed.
    pub(super) fn refresh_search(&mut self) {
        let (w, h) = self.body_size();
        let tab = self.tab;
        if let Some(loaded) = self.loaded.as_mut() {
            match tab {
                Tab::Transcript => transcript_keys::search(loaded, w, h),
                Tab::Raw => raw::search(loaded, w, h),
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
                Tab::Raw => raw::step_search(loaded, forward, w, h),
                _ => {}
            }
        }
    }
}
