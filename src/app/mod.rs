//! The inspector's state and its one entry point, [`App::update`]: an action in, state
//! changed, effects out (send a request, copy, quit). No I/O happens here.

pub(crate) mod action;
mod compare;
pub(crate) mod form;
pub(crate) mod history;
pub mod keymap;
mod keys;
pub(crate) mod later;
pub(crate) mod layout;
pub mod masking;
mod navigate;
pub(crate) mod raw;
mod request;
pub mod review;
pub(crate) mod search;
pub mod transcript;
pub(crate) mod transcript_geo;
pub(crate) mod transcript_header;
pub(crate) mod transcript_keys;
pub mod views;

use std::time::Duration;

use chrono::{DateTime, Local};
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

pub use action::{Action, Drawn, Effect};
pub use compare::{CompareState, Comparison};
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
    /// Whether the transcript and redials are all there (see [`later`]).
    pub lists: Lists,
    /// The body's pages when it is a mapped file: whatever reads all of it (the Raw JSON
    /// index, a search) hands them back after.
    pub pages: Option<crate::mapped::Pages>,
    /// The body's size as received (a masked copy keeps its original's: it is re-serialised).
    pub received_len: usize,
}

/// The transcript and redials of an answer: a big answer reaches the screen without them,
/// and they are read after.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Lists {
    /// Read with the rest, or read since.
    #[default]
    Complete,
    /// Left out of the first read; job `id` reads them.
    Reading(u64),
    /// A big answer's masked copy, shown before its transcript is masked: the job in
    /// [`masking::Masking::Partly`] masks it.
    Masking,
    /// That transcript could not be masked after all: why. The rest is shown masked.
    Unmasked(String),
    /// Left out, and they could not be read after all (the text is not well-formed JSON):
    /// the whole read's words. What did read is shown.
    Unreadable(String),
    /// The answer is still arriving: this is its first part, the `shown` bytes before its
    /// transcript, of `total` announced ([`crate::api::Preview`]). The lists, and whatever
    /// follows the transcript, are not here yet; the whole answer replaces this one.
    Arriving { shown: usize, total: usize },
}

impl Loaded {
    pub fn new(answer: Answer, source: Source) -> Self {
        let facts = CaseFacts::derive(answer.data());
        let received_len = answer.exchange.body.len();
        Loaded {
            query: None,
            answer: std::sync::Arc::new(answer),
            facts: std::sync::Arc::new(facts),
            source,
            views: Views::default(),
            lists: Lists::Complete,
            pages: None,
            received_len,
        }
    }
    pub fn data(&self) -> &crate::api::Data {
        self.answer.data()
    }

    /// The job reading the lists left out, while it runs.
    pub fn reading(&self) -> Option<u64> {
        match self.lists {
            Lists::Reading(id) => Some(id),
            _ => None,
        }
    }

    /// Why the lists left out could not be read, when they could not.
    pub fn unreadable(&self) -> Option<&str> {
        match &self.lists {
            Lists::Unreadable(why) => Some(why),
            _ => None,
        }
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
#[derive(Debug)]
pub struct Pending {
    pub id: u64,
    /// When it was sent, by the clock the loop hands over ([`Action::Clock`]).
    pub started: DateTime<Local>,
    pub query: Query,
    /// Set while the answer's first part is on screen ([`Lists::Arriving`]).
    pub preview: Option<Previewed>,
}

/// What a preview took the place of: put back if the request fails or is cancelled.
#[derive(Debug)]
pub struct Previewed {
    pub before: Option<Box<Loaded>>,
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

/// What covers the screen, taking every key while it is open.
#[derive(Debug, Default)]
pub enum Overlay {
    #[default]
    None,
    /// The help, where it is scrolled.
    Help(views::Scroll),
    /// The `Ctrl-R` pane of past lookups.
    History(history::Pane),
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
    /// What covers the screen, if anything: the help or the history pane, one at a time.
    pub overlay: Overlay,
    pub mouse_capture: bool,
    /// Terminal size.
    pub size: (u16, u16),
    pub spinner: usize,
    /// The time, as the last [`Action::Clock`] said.
    pub now: DateTime<Local>,
    pub context: Context,
    /// Index of the demo case in the form, when in the demo.
    pub demo_index: Option<usize>,
    /// Past lookups and the `Ctrl-R` pane.
    pub history: history::History,
    /// `m`: whether names, numbers and amounts are masked on every tab, copy and export, and
    /// where the other version of the answer on screen is ([`App::masked`]).
    pub mask: masking::Masking,
    /// The review of many cases (`review DIR`), when this is one: its list replaces the form.
    pub review: Option<Box<review::Review>>,
    /// The query of the search being typed changed and its matches are not found yet: found
    /// at [`Action::Settle`], or before any action that is not typing.
    search_due: bool,
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
            overlay: Overlay::None,
            mouse_capture: true,
            size: (80, 24),
            spinner: 0,
            now: DateTime::<Local>::from(std::time::UNIX_EPOCH),
            demo_index: (!context.demo_cases.is_empty()).then_some(0),
            history: history::History::new(
                std::mem::take(&mut context.history),
                context.history_file.is_some(),
            ),
            mask: masking::Masking::default(),
            context,
            review: None,
            search_due: false,
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
        // Masking starts off: `with_mask` turns it on and says what it takes.
        let _none = self.install(Loaded::new(answer, source));
        self.focus = Focus::Result;
        self.hide_form_when_narrow = true;
        self
    }

    /// Puts an answer on screen, with the session's settings its views need; with masking
    /// on, the effect that makes its masked copy (the answer waits unseen meanwhile).
    fn install(&mut self, mut loaded: Loaded) -> Option<Effect> {
        loaded.views.transcript.watch_words = self.context.watch_words.clone();
        transcript::prepare(&mut loaded);
        self.loaded = Some(Box::new(loaded));
        self.mask_new_answer()
    }

    pub fn help_open(&self) -> bool {
        matches!(self.overlay, Overlay::Help(_))
    }

    /// How far the help is scrolled (0 when it is closed).
    pub fn help_offset(&self) -> usize {
        match &self.overlay {
            Overlay::Help(scroll) => scroll.offset(),
            _ => 0,
        }
    }

    /// The `Ctrl-R` pane, while it is open.
    pub fn history_pane(&self) -> Option<&history::Pane> {
        match &self.overlay {
            Overlay::History(pane) => Some(pane),
            _ => None,
        }
    }

    fn history_pane_mut(&mut self) -> Option<&mut history::Pane> {
        match &mut self.overlay {
            Overlay::History(pane) => Some(pane),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    /// The one place state changes.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // Keys may be typed into the search; anything else sees its matches found.
        if self.search_due && !matches!(action, Action::Key(_) | Action::Clock(_)) {
            self.settle_search();
        }
        match action {
            Action::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Action::Key(_) => Vec::new(),
            Action::Mouse(_) | Action::Paste(_) if self.too_small() => Vec::new(),
            Action::Mouse(m) => self.on_mouse(m),
            Action::Paste(text) => {
                if self.history_pane().is_some() {
                    self.paste_into_history(&text);
                } else if self.paste_into_review(&text) {
                } else if self.focus == Focus::Form && !self.help_open() {
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
            Action::Clock(now) => {
                self.now = now;
                Vec::new()
            }
            Action::Settle => Vec::new(),
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
            Action::Preview {
                id,
                answer,
                received,
                total,
                ..
            } => {
                self.on_preview(id, *answer, received, total);
                Vec::new()
            }
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
            Action::Masked { id, result, partly } => self.on_masked(id, result, partly),
            Action::Transcript { id, whole } => {
                self.on_transcript(id, whole);
                Vec::new()
            }
            Action::Summaries { id, reads } => {
                self.on_summaries(id, reads);
                Vec::new()
            }
            Action::CaseRead { id, index, result } => self.on_case_read(id, index, result),
        }
    }
}
