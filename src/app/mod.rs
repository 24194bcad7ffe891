//! The inspector's state and its one entry point, [`App::update`]: an action in, state
//! changed, effects out (send a request, copy, quit). No I/O happens here.

pub mod action;
pub mod form;
pub mod history;
pub mod later;
pub mod layout;
mod masking;
pub mod raw;
pub mod search;
pub mod transcript;
pub mod transcript_geo;
pub mod transcript_header;
pub mod transcript_keys;
pub mod views;

use std::time::{Duration, Instant};

use chrono::{DateTime, Local};
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

pub use action::{Action, Effect};
pub use form::Form;
pub use views::{Nav, Tab, Views};

use crate::advice::Advice;
use crate::api::{Answer, ApiError, Query};
use crate::case::CaseFacts;
use crate::demo::DemoCase;

/// Below this width the form pane hides itself when an answer arrives.
pub const NARROW: u16 = 110;

/// Where answers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The API at this base URL.
    Network { base_url: String },
    /// A file given to `open`.
    File { path: String },
}

/// What the session knows about its surroundings, fixed at start.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Base URL for queries; `None` when no client could be built.
    pub base_url: Option<String>,
    /// Where the token came from ("env AIRUDDER_TOKEN", "demo"), never the token.
    pub token_source: Option<String>,
    /// The reason queries cannot be sent, shown when Enter is pressed.
    pub cannot_query: Option<ApiError>,
    pub demo_cases: Vec<DemoCase>,
    /// Messages to show at start (config warnings).
    pub warnings: Vec<String>,
    /// Words highlighted in transcripts (config `watch_words` and `--watch`).
    pub watch_words: Vec<String>,
    /// Where `e` writes exports; `None` is the working directory.
    pub export_dir: Option<std::path::PathBuf>,
    /// Queries use the AES transport.
    pub encrypted: bool,
    /// Past lookups, oldest first, read at start.
    pub history: Vec<crate::history::Entry>,
    /// Where lookups are saved; `None` turns history off (`--no-history`).
    pub history_file: Option<std::path::PathBuf>,
    /// The config profile in use (or "demo"), saved with each lookup.
    pub profile: Option<String>,
    /// Start with masking on (`--mask`).
    pub mask: bool,
}

/// An answer on screen, with everything derived from it.
#[derive(Debug)]
pub struct Loaded {
    /// The ids asked for, when the answer came from a query.
    pub query: Option<Query>,
    pub answer: std::sync::Arc<Answer>,
    pub facts: std::sync::Arc<CaseFacts>,
    pub source: Source,
    pub views: Views,
    /// The id of the job reading the transcript and redials, while they are left out (see
    /// [`later`]).
    pub reading: Option<u64>,
    /// The body's pages when it is a mapped file: whatever reads all of it (the Raw JSON
    /// index, a search) hands them back after.
    pub pages: Option<crate::mapped::Pages>,
    /// Set when the lists left out could not be read after all (the text is not well-formed
    /// JSON): the whole read's words. What did read is shown.
    pub unread: Option<String>,
}

impl Loaded {
    pub fn new(answer: Answer, source: Source) -> Self {
        let facts = CaseFacts::derive(answer.data());
        Loaded {
            query: None,
            answer: std::sync::Arc::new(answer),
            facts: std::sync::Arc::new(facts),
            source,
            views: Views::default(),
            reading: None,
            pages: None,
            unread: None,
        }
    }
    pub fn data(&self) -> &crate::api::Data {
        self.answer.data()
    }

    /// `e`: the report and transcript of this answer, as shown, into `dir`.
    pub fn export(&self, dir: Option<std::path::PathBuf>) -> Effect {
        Effect::Export(crate::export::Job {
            dir,
            answer: self.answer.clone(),
            facts: self.facts.clone(),
        })
    }
}

/// The request under way.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: u64,
    pub started: Instant,
    pub query: Query,
}

/// The last request's failure, shown in the result area.
#[derive(Debug, Clone)]
pub struct Failure {
    pub error: ApiError,
    pub at: DateTime<Local>,
    pub query: Query,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Form,
    Result,
}

/// What the Diff view compares and how far it got.
#[derive(Debug)]
pub enum CompareState {
    /// Waiting for the API's record (request `id`).
    Pending(u64),
    Ready(Vec<crate::case::diff::Change>),
    Failed(String),
}

/// The Diff view: two documents of one case, field by field.
#[derive(Debug)]
pub struct Comparison {
    /// What the left side is ("the push in push.json").
    pub left: String,
    /// What the right side is ("the API's record").
    pub right: String,
    pub state: CompareState,
    pub scroll: views::Scroll,
}

impl Comparison {
    pub fn ready(left: String, right: String, a: &[u8], b: &[u8]) -> Self {
        let state = match crate::case::diff::diff_bodies(a, b) {
            Ok(c) => CompareState::Ready(c),
            Err(e) => CompareState::Failed(e),
        };
        Comparison {
            left,
            right,
            state,
            scroll: views::Scroll::default(),
        }
    }
}

/// A one-line message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub warn: bool,
}

#[derive(Debug)]
pub struct App {
    pub form: Form,
    pub focus: Focus,
    pub tab: Tab,
    pub pending: Option<Pending>,
    pub loaded: Option<Box<Loaded>>,
    /// The answer before this one, when it was for the same case (`d` compares them).
    pub previous: Option<Box<Loaded>>,
    /// The Diff view's content, when there is one.
    pub compare: Option<Comparison>,
    pub failure: Option<Failure>,
    pub notice: Option<Notice>,
    pub show_form: bool,
    pub show_help: bool,
    /// Where the help overlay is scrolled (when it does not fit).
    pub help_scroll: views::Scroll,
    pub mouse_capture: bool,
    /// Terminal size.
    pub size: (u16, u16),
    pub spinner: usize,
    pub context: Context,
    /// Index of the demo case in the form, when in the demo.
    pub demo_index: Option<usize>,
    /// Past lookups and the `Ctrl-R` pane.
    pub history: history::History,
    /// `m`: names, numbers and amounts masked on every tab, copy and export.
    pub masked: bool,
    /// The other version of the answer on screen: its masked copy while `masked` is off
    /// (once built), the answer as received while it is on.
    twin: Option<Box<Loaded>>,
    /// Set by `with_answer`: the first resize (the real size) hides the form when narrow.
    hide_form_when_narrow: bool,
    next_id: u64,
}

impl App {
    pub fn new(query: Query, mut context: Context) -> Self {
        let notice = (!context.warnings.is_empty()).then(|| Notice {
            text: crate::text::one_line(&context.warnings.join("; ")),
            warn: true,
        });
        App {
            form: Form::new(&query),
            focus: Focus::Form,
            tab: Tab::Profile,
            pending: None,
            loaded: None,
            previous: None,
            compare: None,
            failure: None,
            notice,
            show_form: true,
            show_help: false,
            help_scroll: views::Scroll::default(),
            mouse_capture: true,
            size: (80, 24),
            spinner: 0,
            demo_index: (!context.demo_cases.is_empty()).then_some(0),
            history: history::History::new(
                std::mem::take(&mut context.history),
                context.history_file.is_some(),
            ),
            masked: context.mask,
            twin: None,
            context,
            hide_form_when_narrow: false,
            next_id: 1,
        }
    }

    /// Opens with an answer already on screen (`open FILE`).
    pub fn with_answer(mut self, answer: Answer, source: Source) -> Self {
        if let Some(d) = answer.document.data() {
            let callee = d
                .callee
                .callee_number
                .value()
                .or(d.call.callee_number.value())
                .unwrap_or("");
            self.form.set(&Query {
                workflow_id: d.workflow_id.show().trim().to_string(),
                node_id: d.node_id.show().trim().to_string(),
                callee: callee.to_string(),
                case_id: d.callee.case_id.value().map(str::to_string),
            });
        }
        self.install(Loaded::new(answer, source));
        self.focus = Focus::Result;
        self.hide_form_when_narrow = true;
        self
    }

    /// Puts an answer on screen, with the session's settings its views need.
    fn install(&mut self, mut loaded: Loaded) {
        loaded.views.transcript.watch_words = self.context.watch_words.clone();
        transcript::prepare(&mut loaded);
        self.loaded = Some(Box::new(loaded));
        self.mask_new_answer();
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    /// The one place state changes.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Action::Key(_) => Vec::new(),
            Action::Mouse(m) => self.on_mouse(m),
            Action::Paste(text) => {
                if self.history.pane.is_some() {
                    self.paste_into_history(&text);
                } else if self.focus == Focus::Form && !self.show_help {
                    self.form.paste(&text);
                } else if let Some(search) = self.editing_search() {
                    search.query.push_str(&crate::text::one_line(&text));
                    self.refresh_search();
                }
                Vec::new()
            }
            Action::Resize(w, h) => {
                if std::mem::take(&mut self.hide_form_when_narrow) && w < NARROW {
                    self.show_form = false;
                }
                self.size = (w, h);
                self.clamp_views();
                Vec::new()
            }
            Action::Tick => {
                if self.pending.is_some() {
                    self.spinner = self.spinner.wrapping_add(1);
                }
                Vec::new()
            }
            Action::Reply {
                id,
                result,
                elapsed,
            } => self.on_reply(id, *result, elapsed),
            Action::Notice(text) => {
                self.notice = Some(Notice { text, warn: false });
                Vec::new()
            }
            Action::Warning(text) => {
                self.notice = Some(Notice { text, warn: true });
                Vec::new()
            }
            Action::Record { id, result } => {
                self.on_record(id, *result);
                Vec::new()
            }
            Action::Transcript { id, whole } => {
                self.on_transcript(id, whole);
                Vec::new()
            }
        }
    }

    fn on_reply(
        &mut self,
        id: u64,
        result: Result<Answer, ApiError>,
        _elapsed: Duration,
    ) -> Vec<Effect> {
        let Some(p) = self.pending.take_if(|p| p.id == id) else {
            // A cancelled or superseded request: stale, never shown.
            return Vec::new();
        };
        let mut effects = self.remember(&p.query, result.as_ref());
        match result {
            Ok(answer) => {
                let base_url = self.context.base_url.clone().unwrap_or_default();
                let ms = answer.exchange.latency.as_millis();
                let mut fresh = Loaded::new(answer, Source::Network { base_url });
                fresh.query = Some(p.query.clone());
                // Keep the previous answer for `d` when it was for the same case.
                let same_case = self
                    .loaded
                    .as_ref()
                    .is_some_and(|l| l.query.as_ref() == Some(&p.query));
                self.previous = if same_case {
                    self.take_original()
                } else {
                    None
                };
                if !same_case {
                    self.compare = None;
                }
                self.install(fresh);
                effects.extend(self.read_later());
                self.failure = None;
                self.tab = Tab::Profile;
                self.focus = Focus::Result;
                // On a narrow terminal the result needs every column; `f` brings the form back.
                let narrow = self.size.0 < NARROW;
                if narrow {
                    self.show_form = false;
                }
                self.notice = Some(Notice {
                    text: if narrow {
                        format!("answer in {ms} ms · form hidden for room: f shows it")
                    } else {
                        format!("answer in {ms} ms")
                    },
                    warn: false,
                });
            }
            Err(error) => {
                self.notice = Some(Notice {
                    text: format!("request failed: {}", error.short()),
                    warn: true,
                });
                self.failure = Some(Failure {
                    error,
                    at: Local::now(),
                    query: p.query,
                });
            }
        }
        effects
    }

    /// Opens the Diff view on a second document (`open A.json B.json`).
    pub fn with_comparison(mut self, other: &Answer, left: String, right: String) -> Self {
        // The answer as received, also when masked (the Diff view masks what it shows).
        if let Some(l) = if self.masked {
            &self.twin
        } else {
            &self.loaded
        } {
            self.compare = Some(Comparison::ready(
                left,
                right,
                &l.answer.exchange.body,
                &other.exchange.body,
            ));
            self.tab = Tab::Diff;
        }
        self
    }

    fn on_record(&mut self, id: u64, result: Result<Answer, ApiError>) {
        let Some(c) = self.compare.as_mut() else {
            return;
        };
        if !matches!(c.state, CompareState::Pending(p) if p == id) {
            return;
        }
        let original = if self.masked {
            &self.twin
        } else {
            &self.loaded
        };
        c.state = match (result, original.as_ref()) {
            (Ok(record), Some(l)) => {
                match crate::case::diff::diff_bodies(&l.answer.exchange.body, &record.exchange.body)
                {
                    Ok(changes) => CompareState::Ready(changes),
                    Err(e) => CompareState::Failed(e),
                }
            }
            (Ok(_), None) => CompareState::Failed("nothing on screen to compare".into()),
            (Err(e), _) => CompareState::Failed(format!("{} — {}", e.message(), e.hint())),
        };
    }

    /// `v`: the push on screen (from a file) against the API's record of it.
    fn verify_loaded(&mut self) -> Vec<Effect> {
        let original = if self.masked {
            &self.twin
        } else {
            &self.loaded
        };
        let Some(l) = original.as_ref() else {
            return Vec::new();
        };
        let Source::File { path } = &l.source else {
            self.notice = Some(Notice {
                text: "v compares a push opened from a file with the API's record; this answer is the record".into(),
                warn: true,
            });
            return Vec::new();
        };
        let left = format!("the push in {}", crate::text::one_line(path));
        let right = "the API's record".to_string();
        let query = match Query::from_push(l.data()) {
            Ok(q) => q,
            Err(e) => {
                self.compare = Some(Comparison {
                    left,
                    right,
                    state: CompareState::Failed(e.message()),
                    scroll: views::Scroll::default(),
                });
                self.tab = Tab::Diff;
                return Vec::new();
            }
        };
        if let Some(e) = &self.context.cannot_query {
            self.compare = Some(Comparison {
                left,
                right,
                state: CompareState::Failed(format!("{} — {}", e.message(), e.hint())),
                scroll: views::Scroll::default(),
            });
            self.tab = Tab::Diff;
            return Vec::new();
        }
        let id = self.next_id;
        self.next_id += 1;
        self.compare = Some(Comparison {
            left,
            right,
            state: CompareState::Pending(id),
            scroll: views::Scroll::default(),
        });
        self.tab = Tab::Diff;
        vec![Effect::Verify { id, query }]
    }

    /// `d`: this answer against the previous one for the same case.
    fn diff_previous(&mut self) {
        let original = if self.masked {
            &self.twin
        } else {
            &self.loaded
        };
        match (self.previous.as_ref(), original.as_ref()) {
            (Some(prev), Some(now)) => {
                let at = |l: &Loaded| l.answer.exchange.received_at.format("%H:%M:%S").to_string();
                self.compare = Some(Comparison::ready(
                    format!("the answer of {}", at(prev)),
                    format!("the answer of {}", at(now)),
                    &prev.answer.exchange.body,
                    &now.answer.exchange.body,
                ));
                self.tab = Tab::Diff;
            }
            _ => {
                self.notice = Some(Notice {
                    text: "d compares with the previous answer for the same case: ask again (Enter in the form) first".into(),
                    warn: true,
                });
            }
        }
    }

    fn submit(&mut self) -> Vec<Effect> {
        self.form.touch_all();
        if let Some(i) = self.form.first_error() {
            self.form.focused = i;
            self.focus = Focus::Form;
            self.show_form = true;
            self.notice = Some(Notice {
                text: format!("fill in {} first", form::LABELS[i]),
                warn: true,
            });
            return Vec::new();
        }
        let query = self.form.query();
        if let Some(e) = self.context.cannot_query.clone() {
            self.notice = Some(Notice {
                text: format!("cannot query: {}", e.short()),
                warn: true,
            });
            let effects = self.remember(&query, Err(&e));
            self.failure = Some(Failure {
                error: e,
                at: Local::now(),
                query,
            });
            return effects;
        }
        let mut effects = Vec::new();
        if let Some(old) = self.pending.take() {
            effects.push(Effect::Cancel { id: old.id });
        }
        let id = self.next_id;
        self.next_id += 1;
        self.pending = Some(Pending {
            id,
            started: Instant::now(),
            query: query.clone(),
        });
        self.notice = None;
        effects.push(Effect::Send { id, query });
        effects
    }

    fn cancel(&mut self) -> Vec<Effect> {
        match self.pending.take() {
            Some(p) => {
                self.notice = Some(Notice {
                    text: "cancelled".into(),
                    warn: true,
                });
                vec![Effect::Cancel { id: p.id }]
            }
            None => Vec::new(),
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return vec![Effect::Quit];
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

    fn toggle_mouse(&mut self) -> Vec<Effect> {
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

    fn on_form_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => return self.submit(),
            KeyCode::Esc => {
                if self.pending.is_some() {
                    return self.cancel();
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

    fn step_demo(&mut self, by: isize) {
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

    fn on_result_key(&mut self, key: KeyEvent) -> Vec<Effect> {
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

    fn cycle_tab(&mut self, forward: bool) {
        let tabs = self.tabs();
        let i = tabs.iter().position(|t| *t == self.tab).unwrap_or(0);
        let n = tabs.len();
        self.tab = tabs[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    fn on_search_key(&mut self, key: KeyEvent) -> Vec<Effect> {
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
    fn editing_search(&mut self) -> Option<&mut search::Search> {
        self.search_mut().filter(|s| s.editing)
    }

    fn search_mut(&mut self) -> Option<&mut search::Search> {
        let tab = self.tab;
        let loaded = self.loaded.as_mut()?;
        match tab {
            Tab::Transcript => Some(&mut loaded.views.transcript.search),
            Tab::Raw => Some(&mut loaded.views.raw.search),
            _ => None,
        }
    }

    /// Recomputes the current tab's matches after the query changed.
    fn refresh_search(&mut self) {
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

    fn step_search(&mut self, forward: bool) {
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

    /// Width and height of the active tab's area.
    pub fn body_size(&self) -> (u16, u16) {
        let areas = layout::layout(self);
        (areas.body.width, areas.body.height)
    }

    fn nav(&mut self, nav: Nav) {
        let (w, h) = self.body_size();
        // What a page is until the tab has been drawn once.
        let page = h as usize;
        let tab = self.tab;
        if tab == Tab::Diff {
            if let Some(c) = self.compare.as_mut() {
                c.scroll.nav(nav, page);
            }
            return;
        }
        let Some(loaded) = self.loaded.as_mut() else {
            return;
        };
        let views = &mut loaded.views;
        match tab {
            Tab::Profile => views.profile.nav(nav, page),
            Tab::Call => views.call.nav(nav, page),
            Tab::Qa => {
                let n = loaded.answer.data().call.question_answer.items.len();
                views.qa.nav(nav, n, page);
            }
            Tab::Redials => views
                .redials
                .nav(nav, loaded.facts.timeline.attempts.len(), page),
            Tab::Transcript => transcript_keys::nav(loaded, nav, w, h),
            Tab::Raw => raw::nav(loaded, nav, w, h),
            Tab::Diff => {}
        }
    }

    fn clamp_views(&mut self) {
        let (w, h) = self.body_size();
        if let Some(loaded) = self.loaded.as_mut() {
            // The tabs that keep their own positions settle them at the new size; the
            // others are settled by the next frame.
            transcript_keys::nav(loaded, Nav::Wheel(0), w, h);
            raw::nav(loaded, Nav::Wheel(0), w, h);
        }
    }

    fn copy(&mut self, whole: bool) -> Vec<Effect> {
        let diff = self.tab == Tab::Diff && self.compare.is_some();
        if !diff && self.loaded.is_none() {
            self.notice = Some(Notice {
                text: "nothing to copy yet".into(),
                warn: true,
            });
            return Vec::new();
        }
        vec![Effect::CopyView {
            tab: self.tab,
            whole,
            width: self.body_size().0,
        }]
    }

    fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        if self.show_help {
            let page = self.size.1.saturating_sub(4).max(1) as usize;
            match m.kind {
                MouseEventKind::ScrollDown => self.help_scroll.nav(Nav::Wheel(3), page),
                MouseEventKind::ScrollUp => self.help_scroll.nav(Nav::Wheel(-3), page),
                _ => {}
            }
            return Vec::new();
        }
        if self.history.pane.is_some() {
            match m.kind {
                MouseEventKind::ScrollDown => self.history_wheel(true),
                MouseEventKind::ScrollUp => self.history_wheel(false),
                _ => {}
            }
            return Vec::new();
        }
        let areas = layout::layout(self);
        let inside = |r: ratatui::layout::Rect| {
            m.column >= r.x && m.column < r.x + r.width && m.row >= r.y && m.row < r.y + r.height
        };
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                for (i, r) in areas.fields.iter().enumerate() {
                    if self.show_form && inside(*r) {
                        self.focus = Focus::Form;
                        self.form.focused = i;
                        return Vec::new();
                    }
                }
                let tabs = self.tabs();
                for (i, r) in layout::tab_hit_areas(&areas, self.compare.is_some())
                    .iter()
                    .enumerate()
                {
                    if inside(*r) {
                        self.tab = tabs.get(i).copied().unwrap_or(Tab::Profile);
                        self.focus = Focus::Result;
                        return Vec::new();
                    }
                }
                if inside(areas.body) {
                    self.focus = Focus::Result;
                }
            }
            MouseEventKind::ScrollDown if inside(areas.body) => self.nav(Nav::Wheel(3)),
            MouseEventKind::ScrollUp if inside(areas.body) => self.nav(Nav::Wheel(-3)),
            _ => {}
        }
        Vec::new()
    }
}
