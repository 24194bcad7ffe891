//! `m`: the answer on screen swapped for a masked copy built from the masked body
//! ([`crate::mask`]), so every tab, copy and export shows masked values without knowing
//! about it. The copy is made off the UI thread (`Effect::Mask`, answered by
//! `Action::Masked`): the first `m` leaves the answer on screen and usable until it comes; a
//! new answer while masking is on (or `--mask` at the start) is not shown until its copy is
//! made. The copy is kept until the next answer; the original waits beside it (`App::twin`)
//! for `m` again, which then swaps them at once.

use super::views::Views;
use super::{Action, App, CompareState, Comparison, Effect, Loaded, Notice};

impl Comparison {
    /// The same comparison with both sides of every difference masked.
    pub fn masked(&self) -> Comparison {
        Comparison {
            left: self.left.clone(),
            right: self.right.clone(),
            state: match &self.state {
                CompareState::Pending(id) => CompareState::Pending(*id),
                CompareState::Ready(changes) => {
                    CompareState::Ready(crate::mask::mask_changes(changes))
                }
                CompareState::Failed(e) => CompareState::Failed(e.clone()),
            },
            scroll: self.scroll.clone(),
        }
    }
}

/// What the user reads by, carried to another answer on screen: the transcript's speaker
/// filter and folded silences, and both searches as typed (their matches are found again by
/// the caller, [`App::search_again`]).
pub(super) fn carry_reading(from: &Views, to: &mut Loaded) {
    let (f, t) = (&from.transcript, &mut to.views.transcript);
    if f.filter != t.filter || f.hide_silences != t.hide_silences {
        t.set_filter(&to.facts.transcript, f.filter, f.hide_silences);
    }
    t.search.query = f.search.query.clone();
    t.search.editing = f.search.editing;
    let raw = &mut to.views.raw.search;
    raw.query = from.raw.search.query.clone();
    raw.editing = from.raw.search.editing;
}

/// Where the user was, carried from one version of the answer to the other: what they read
/// by, and every view's position.
pub(super) fn carry(from: &Views, to: &mut Loaded) {
    carry_reading(from, to);
    let to = &mut to.views;
    to.profile = from.profile.clone();
    to.call = from.call.clone();
    to.redials = from.redials.clone();
    to.qa = from.qa.clone();
    to.raw.scroll = from.raw.scroll.clone();
    let (f, t) = (&from.transcript, &mut to.transcript);
    // Positions count entries of the filtered list, the same on both now.
    t.selected = f.selected;
    t.top = f.top;
    t.top_line = f.top_line;
}

/// Whether names are masked on screen, and where the other version of the answer on screen
/// is: one state at a time, so "masked" and "the copy being made" cannot contradict.
#[derive(Debug)]
pub enum Masking {
    /// Shown as received (in `App::loaded`); `copy`: its masked copy once made, so `m`
    /// swaps the two at once.
    Off { copy: Option<Box<Loaded>> },
    /// `m` was pressed: job `job` makes the copy, the answer stays on screen meanwhile.
    Asked { job: u64 },
    /// Masking is on and the answer just come waits unseen (`original`) until job `job` has
    /// masked it.
    Waiting {
        job: u64,
        original: Option<Box<Loaded>>,
    },
    /// Masking is on: `App::loaded` is the masked copy, `original` the answer as received.
    On { original: Option<Box<Loaded>> },
    /// Masking is on and `App::loaded` is the masked copy of a big answer but for its
    /// transcript ([`super::Lists::Masking`]), which job `job` masks with the rest.
    Partly {
        job: u64,
        original: Option<Box<Loaded>>,
    },
}

impl Default for Masking {
    fn default() -> Self {
        Masking::Off { copy: None }
    }
}

impl App {
    /// Whether names, numbers and amounts are masked on screen (or will be, once the answer
    /// waiting for its copy is shown).
    pub fn masked(&self) -> bool {
        matches!(
            self.mask,
            Masking::On { .. } | Masking::Waiting { .. } | Masking::Partly { .. }
        )
    }

    /// The job making a masked copy, while one runs.
    pub fn masking(&self) -> Option<u64> {
        match self.mask {
            Masking::Asked { job } | Masking::Waiting { job, .. } | Masking::Partly { job, .. } => {
                Some(job)
            }
            _ => None,
        }
    }

    /// The answer as received, whatever is on screen.
    pub fn original(&self) -> Option<&Loaded> {
        match &self.mask {
            Masking::On { original }
            | Masking::Waiting { original, .. }
            | Masking::Partly { original, .. } => original.as_deref(),
            _ => self.loaded.as_deref(),
        }
    }

    /// Where the answer as received is: on screen, or beside its masked copy.
    pub(super) fn original_slot(&mut self) -> &mut Option<Box<Loaded>> {
        match &mut self.mask {
            Masking::On { original }
            | Masking::Waiting { original, .. }
            | Masking::Partly { original, .. } => original,
            _ => &mut self.loaded,
        }
    }

    /// Takes the answer on screen away, as received (a masked copy is dropped); masking
    /// stays as it was asked.
    pub(super) fn take_original(&mut self) -> Option<Box<Loaded>> {
        let shown = self.loaded.take();
        match &mut self.mask {
            Masking::On { original }
            | Masking::Waiting { original, .. }
            | Masking::Partly { original, .. } => original.take(),
            Masking::Off { copy } => {
                *copy = None;
                shown
            }
            Masking::Asked { .. } => shown,
        }
    }

    /// The job that makes the masked copy of `original`, with the session's settings: a big
    /// answer's without its transcript first (`whole` false), then the whole.
    fn mask_job(&mut self, original: &Loaded, whole: bool) -> (u64, Effect) {
        let id = self.next_id;
        self.next_id += 1;
        let job = Effect::Mask(Box::new(MaskJob {
            id,
            whole,
            answer: original.answer.clone(),
            source: original.source.clone(),
            query: original.query.clone(),
            received_len: original.received_len,
            watch_words: self.context.watch_words.clone(),
        }));
        (id, job)
    }

    /// With masking on (or asked for), the answer just installed is not shown until its
    /// masked copy is made: it waits beside the screen, and the effect makes the copy.
    pub(super) fn mask_new_answer(&mut self) -> Option<Effect> {
        if let Masking::Off { .. } = self.mask {
            self.mask = Masking::Off { copy: None };
            return None;
        }
        let Some(original) = self.loaded.take() else {
            self.mask = Masking::On { original: None };
            return None;
        };
        let (job, effect) = self.mask_job(&original, false);
        self.mask = Masking::Waiting {
            job,
            original: Some(original),
        };
        Some(effect)
    }

    /// The masked copy arrived: shown in place of the answer as received, where the user was.
    pub(super) fn on_masked(
        &mut self,
        id: u64,
        result: Result<Box<Loaded>, String>,
        partly: bool,
    ) -> Vec<Effect> {
        if self.masking() != Some(id) {
            // Masking was turned off meanwhile, or another answer came: stale.
            return Vec::new();
        }
        let before = std::mem::take(&mut self.mask);
        let mut masked = match result {
            Ok(m) => m,
            // The rest of a copy on screen could not be masked: the copy stays (nothing
            // unmasked is shown) and says its transcript could not be.
            Err(e) if matches!(before, Masking::Partly { .. }) => {
                if let Masking::Partly { original, .. } = before {
                    self.mask = Masking::On { original };
                }
                if let Some(l) = self.loaded.as_deref_mut() {
                    l.lists = super::Lists::Unmasked(e.clone());
                }
                self.notice = Some(Notice {
                    text: format!("could not mask the transcript ({e}): the rest is masked"),
                    warn: true,
                });
                return Vec::new();
            }
            Err(e) => {
                // The answer waiting to be shown masked is shown as it is, and it says so.
                if let Masking::Waiting { original, .. } = before
                    && self.loaded.is_none()
                {
                    self.loaded = original;
                }
                self.mask_failed(&e);
                return Vec::new();
            }
        };
        let original = match before {
            // A new answer: shown masked with what the user reads by (kept on it meanwhile).
            Masking::Waiting { original, .. } => {
                if let Some(o) = original.as_deref() {
                    carry(&o.views, &mut masked);
                }
                original
            }
            // The whole copy after the copy without its transcript: where the user was on it.
            Masking::Partly { original, .. } => {
                if let Some(shown) = self.loaded.as_deref() {
                    carry(&shown.views, &mut masked);
                }
                original
            }
            // `m` on an answer on screen: the copy takes its place, where the user was.
            _ => {
                if let Some(shown) = self.loaded.as_deref() {
                    carry(&shown.views, &mut masked);
                }
                self.loaded.take()
            }
        };
        let mut effects = Vec::new();
        self.mask = match original.as_deref().filter(|_| partly) {
            // Shown now; the transcript is masked next, with the rest.
            Some(o) => {
                let (job, effect) = self.mask_job(o, true);
                masked.lists = super::Lists::Masking;
                effects.push(effect);
                Masking::Partly { job, original }
            }
            None => Masking::On { original },
        };
        self.loaded = Some(masked);
        self.clamp_views();
        self.search_again();
        self.notice = Some(Notice {
            text: if partly {
                "masked: names, numbers and amounts hidden; the transcript is being masked…"
            } else {
                "masked: names, numbers and amounts hidden on every tab, copy and export; m shows them"
            }
            .into(),
            warn: false,
        });
        effects
    }

    fn mask_failed(&mut self, why: &str) {
        self.mask = Masking::Off { copy: None };
        self.notice = Some(Notice {
            text: format!("cannot mask this answer ({why}); masking is off"),
            warn: true,
        });
    }

    /// Starts with masking on (`--mask`) or off; the messages of the start stay.
    /// An answer already there is not shown until its masked copy is made.
    pub fn with_mask(mut self, on: bool) -> (Self, Vec<Effect>) {
        if !on || self.masked() {
            return (self, Vec::new());
        }
        self.mask = Masking::On { original: None };
        let effects = self.mask_new_answer().into_iter().collect();
        (self, effects)
    }

    /// `m`: masking on or off. On, the masked copy is made off the UI thread the first time
    /// (the answer stays on screen meanwhile, and the status bar says so); after that the two
    /// versions swap at once.
    pub(super) fn toggle_mask(&mut self) -> Vec<Effect> {
        let notice = |text: &str, warn: bool| {
            Some(Notice {
                text: text.into(),
                warn,
            })
        };
        match std::mem::take(&mut self.mask) {
            // `m` again before the copy came: masking stays off.
            Masking::Asked { .. } => {
                self.notice = notice("masking off", false);
            }
            Masking::Waiting { original, .. } => {
                if self.loaded.is_none() {
                    self.loaded = original;
                }
                self.notice = notice("masking off", false);
            }
            Masking::Off { .. } if self.loaded.is_none() => {
                self.mask = Masking::On { original: None };
                self.notice = notice(
                    "masking on: answers will show names, numbers and amounts masked",
                    false,
                );
            }
            Masking::On { original } | Masking::Partly { original, .. }
                if self.loaded.is_none() =>
            {
                self.loaded = original;
                self.notice = notice("masking off", false);
            }
            Masking::Off { copy: None } => {
                // Only the original exists yet: the copy is made off-thread.
                let original = self.loaded.take();
                let made = original.as_deref().map(|o| self.mask_job(o, false));
                self.loaded = original;
                self.notice = notice("masking…", false);
                return match made {
                    Some((job, effect)) => {
                        self.mask = Masking::Asked { job };
                        vec![effect]
                    }
                    None => Vec::new(),
                };
            }
            Masking::Off {
                copy: Some(mut copy),
            } => {
                if let Some(shown) = self.loaded.as_deref() {
                    carry(&shown.views, &mut copy);
                }
                let original = self.loaded.replace(copy);
                self.mask = Masking::On { original };
                self.swapped();
            }
            // Off before the transcript was masked: the copy so far is dropped (the next
            // `m` makes it again).
            Masking::Partly { mut original, .. } => {
                if let (Some(shown), Some(o)) = (self.loaded.as_deref(), original.as_deref_mut()) {
                    carry(&shown.views, o);
                }
                self.loaded = original;
                self.mask = Masking::Off { copy: None };
                self.swapped();
            }
            Masking::On { original } => {
                let mut original = original;
                if let (Some(shown), Some(o)) = (self.loaded.as_deref(), original.as_deref_mut()) {
                    carry(&shown.views, o);
                }
                let copy = std::mem::replace(&mut self.loaded, original);
                self.mask = Masking::Off { copy };
                self.swapped();
            }
        }
        Vec::new()
    }

    /// After `m` swapped the two versions: the views where they were, and what it means.
    fn swapped(&mut self) {
        self.clamp_views();
        self.search_again();
        self.notice = Some(if self.masked() {
            Notice {
                text: "masked: names, numbers and amounts hidden on every tab, copy and export; m shows them".into(),
                warn: false,
            }
        } else {
            Notice {
                text: "masking off: m hides names, numbers and amounts again".into(),
                warn: true,
            }
        });
    }
}

/// The work of making a masked copy: everything it needs, owned, so it runs on any thread.
#[derive(Debug, Clone)]
pub struct MaskJob {
    pub id: u64,
    /// The whole answer at once; else a big one without its transcript first.
    whole: bool,
    answer: std::sync::Arc<crate::api::Answer>,
    source: super::Source,
    query: Option<crate::api::Query>,
    received_len: usize,
    watch_words: Vec<String>,
}

impl PartialEq for MaskJob {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl MaskJob {
    /// Masks the answer and derives everything from the masked copy, as [`Loaded::new`]
    /// would.
    pub fn run(self) -> Action {
        let head = (!self.whole)
            .then(|| crate::mask::mask_head(&self.answer))
            .flatten();
        let partly = head.is_some();
        let result = head
            .unwrap_or_else(|| crate::mask::mask_answer(&self.answer))
            .map_err(|e| e.message())
            .map(|answer| {
                let mut masked = Loaded::new(answer, self.source);
                masked.query = self.query;
                masked.received_len = self.received_len;
                masked.views.transcript.watch_words = self.watch_words;
                super::transcript::prepare(&mut masked);
                Box::new(masked)
            });
        Action::Masked {
            id: self.id,
            result,
            partly,
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::api::Query;
    use crate::app::{Context, Source};

    fn key(c: char) -> Action {
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    fn answered() -> App {
        let answer = crate::api::client::interpret(crate::api::client::Exchange {
            url: "push.json".into(),
            status: 200,
            latency: std::time::Duration::ZERO,
            body: bytes::Bytes::from_static(include_bytes!("../../assets/demo/01-reference.json")),
            received_at: chrono::Local::now(),
        })
        .unwrap();
        App::new(Query::default(), Context::default()).with_answer(
            answer,
            Source::File {
                path: "push.json".into(),
            },
        )
    }

    fn name(app: &App) -> String {
        app.loaded
            .as_ref()
            .unwrap()
            .data()
            .callee
            .callee_name
            .show()
            .to_string()
    }

    /// A push over a MiB, opened whole.
    fn big() -> App {
        let body = crate::generate::push(8_000, 30, 5, 2);
        assert!(body.len() >= crate::api::client::SKIM_FROM);
        let answer = crate::api::client::interpret(crate::api::client::Exchange {
            url: "push.json".into(),
            status: 0,
            latency: std::time::Duration::ZERO,
            body: body.into(),
            received_at: chrono::Local::now(),
        })
        .unwrap();
        let mut app = App::new(Query::default(), Context::default()).with_answer(
            answer,
            Source::File {
                path: "push.json".into(),
            },
        );
        app.update(Action::Resize(160, 50));
        app
    }

    use crate::ui::table::testing::app_screen as screen;

    fn the_job(effects: Vec<Effect>) -> MaskJob {
        match effects.into_iter().find(|e| matches!(e, Effect::Mask(_))) {
            Some(Effect::Mask(job)) => *job,
            _ => panic!("a masking job"),
        }
    }

    #[test]
    fn a_big_answer_is_shown_masked_before_its_transcript_is_masked() {
        let mut app = big();
        let at_once = crate::mask::mask_answer(&app.loaded.as_ref().unwrap().answer).unwrap();
        let first = the_job(app.update(key('m')));
        let rest = the_job(app.update(first.run()));
        // The copy without its transcript is on screen, masked, and says what follows.
        assert!(app.masked());
        assert_eq!(app.masking(), Some(rest.id));
        assert_eq!(name(&app), "M**** L**** G****");
        let l = app.loaded.as_deref().unwrap();
        assert_eq!(l.lists, crate::app::Lists::Masking);
        assert!(l.facts.transcript.entries.is_empty());
        assert_eq!(
            l.data().call.redial_call.items.len(),
            30,
            "the redials are masked with it"
        );
        let text = screen(&app);
        assert!(!text.contains("MARIA"), "{text}");
        app.update(key('5'));
        assert!(screen(&app).contains("masking the transcript…"));
        nothing_whole_to_give(&mut app, "still being masked");
        app.update(key('6'));
        let text = screen(&app);
        assert!(text.contains("the transcript is being masked"), "{text}");
        app.update(key('5'));
        // Then the whole copy: the same bytes as masking everything at once.
        app.update(rest.run());
        assert_eq!(app.masking(), None);
        assert!(app.masked());
        let l = app.loaded.as_deref().unwrap();
        assert_eq!(l.lists, crate::app::Lists::Complete);
        assert_eq!(l.answer.exchange.body, at_once.exchange.body);
        assert!(!l.facts.transcript.entries.is_empty());
        assert_eq!(app.tab, crate::app::Tab::Transcript, "where the user was");
        assert!(!screen(&app).contains("masking the transcript"));
        swaps_at_once(&mut app, "MARIA LOPEZ GARCIA", "M**** L**** G****");
    }

    /// `e` (export) and `y` (copy) start nothing and say `why`.
    fn nothing_whole_to_give(app: &mut App, why: &str) {
        for c in ['e', 'y'] {
            assert!(app.update(key(c)).is_empty(), "{c} started something");
            let n = app.notice.take().expect("a notice");
            assert!(n.warn && n.text.contains(why), "{}", n.text);
        }
    }

    /// `m` after the copy is made: the two versions swap at once, and back.
    fn swaps_at_once(app: &mut App, plain: &str, masked: &str) {
        assert!(app.update(key('m')).is_empty());
        assert_eq!(name(app), plain);
        assert!(app.update(key('m')).is_empty());
        assert_eq!(name(app), masked);
    }

    #[test]
    fn m_before_the_transcript_is_masked_shows_the_answer_as_received() {
        let mut app = big();
        let first = the_job(app.update(key('m')));
        let rest = the_job(app.update(first.run()));
        assert!(app.update(key('m')).is_empty());
        assert!(!app.masked());
        assert_eq!(name(&app), "MARIA LOPEZ GARCIA");
        assert!(
            !app.loaded
                .as_deref()
                .unwrap()
                .facts
                .transcript
                .entries
                .is_empty()
        );
        // The rest, come late, is not shown.
        app.update(rest.run());
        assert!(!app.masked());
        assert_eq!(name(&app), "MARIA LOPEZ GARCIA");
        // The next `m` masks it again, the transcript after.
        let first = the_job(app.update(key('m')));
        let rest = the_job(app.update(first.run()));
        app.update(rest.run());
        assert!(app.masked());
        assert_eq!(
            app.loaded.as_deref().unwrap().lists,
            crate::app::Lists::Complete
        );
    }

    #[test]
    fn a_transcript_that_cannot_be_masked_leaves_the_rest_masked() {
        let mut app = big();
        let first = the_job(app.update(key('m')));
        let rest = the_job(app.update(first.run()));
        app.update(Action::Masked {
            id: rest.id,
            result: Err("out of memory".into()),
            partly: false,
        });
        assert!(app.masked(), "nothing unmasked is shown");
        assert_eq!(name(&app), "M**** L**** G****");
        let l = app.loaded.as_deref().unwrap();
        assert_eq!(l.lists, crate::app::Lists::Unmasked("out of memory".into()));
        assert!(app.notice.as_ref().is_some_and(|n| n.warn));
        app.update(key('5'));
        let text = screen(&app);
        assert!(
            text.contains("could not be masked: out of memory"),
            "{text}"
        );
        assert!(!text.contains("MARIA"));
        nothing_whole_to_give(&mut app, "could not be masked");
    }

    #[test]
    fn masking_is_made_off_the_ui_thread_and_the_screen_stays_usable() {
        let mut app = answered();
        let mut effects = app.update(key('m'));
        let Some(Effect::Mask(job)) = effects.pop() else {
            panic!("m starts the masking job: {effects:?}");
        };
        // Meanwhile the answer is on screen as it was and keys act.
        assert!(!app.masked());
        assert_eq!(name(&app), "WILL SMITH");
        app.update(key('2'));
        assert_eq!(app.tab, crate::app::Tab::Call);
        let done = std::thread::spawn(move || job.run()).join().unwrap();
        app.update(done);
        assert!(app.masked());
        assert_eq!(name(&app), "W**** S****");
        swaps_at_once(&mut app, "WILL SMITH", "W**** S****");
    }

    #[test]
    fn with_mask_at_the_start_never_shows_the_answer_unmasked() {
        let (mut app, mut effects) = answered().with_mask(true);
        assert!(
            app.loaded.is_none(),
            "nothing on screen until the copy is made"
        );
        let Some(Effect::Mask(job)) = effects.pop() else {
            panic!("a job");
        };
        app.update(job.run());
        assert!(app.masked());
        assert_eq!(name(&app), "W**** S****");
        assert!(app.update(key('m')).is_empty());
        assert_eq!(name(&app), "WILL SMITH");
    }

    #[test]
    fn a_big_answer_with_mask_at_the_start_is_never_shown_unmasked() {
        let (mut app, effects) = big().with_mask(true);
        assert!(
            app.loaded.is_none(),
            "nothing on screen until the copy is made"
        );
        let rest = the_job(app.update(the_job(effects).run()));
        // The copy without its transcript first, masked; then the whole.
        assert_eq!(name(&app), "M**** L**** G****");
        assert!(!screen(&app).contains("MARIA"));
        assert_eq!(
            app.loaded.as_deref().unwrap().lists,
            crate::app::Lists::Masking
        );
        app.update(rest.run());
        assert_eq!(
            app.loaded.as_deref().unwrap().lists,
            crate::app::Lists::Complete
        );
        assert!(!screen(&app).contains("MARIA"));
        swaps_at_once(&mut app, "MARIA LOPEZ GARCIA", "M**** L**** G****");
    }

    #[test]
    fn a_big_answer_read_without_its_lists_is_masked_from_where_they_lie() {
        // As the inspector reads a big answer: the transcript and redials left out for now.
        let body = crate::generate::push(8_000, 30, 5, 2);
        let head = crate::api::client::interpret_head(crate::api::client::Exchange {
            url: "push.json".into(),
            status: 0,
            latency: std::time::Duration::ZERO,
            body: body.clone().into(),
            received_at: chrono::Local::now(),
        })
        .unwrap();
        assert!(head.left_out.transcript.is_some());
        let at_once = crate::mask::mask_answer(&head).unwrap();
        let source = Source::File {
            path: "push.json".into(),
        };
        let app = App::new(Query::default(), Context::default()).with_answer(head, source);
        let (mut app, effects) = app.with_mask(true);
        let rest = the_job(app.update(the_job(effects).run()));
        assert_eq!(name(&app), "M**** L**** G****");
        let l = app.loaded.as_deref().unwrap();
        assert_eq!(l.lists, crate::app::Lists::Masking);
        assert_eq!(l.data().call.redial_call.items.len(), 30);
        app.update(rest.run());
        let l = app.loaded.as_deref().unwrap();
        assert_eq!(l.answer.exchange.body, at_once.exchange.body);
        assert!(!l.facts.transcript.entries.is_empty());
    }

    #[test]
    fn an_answer_that_comes_while_m_waits_for_its_copy_is_shown_masked() {
        let mut app = answered();
        assert!(matches!(app.update(key('m'))[..], [Effect::Mask(_)]));
        let answer = app.loaded.as_ref().unwrap().answer.as_ref().clone();
        let source = app.loaded.as_ref().unwrap().source.clone();
        let effects = app.install(Loaded::new(answer, source));
        let Some(Effect::Mask(job)) = effects else {
            panic!("the new answer is masked too");
        };
        assert!(app.loaded.is_none(), "not shown until masked");
        app.update(job.run());
        assert!(app.masked());
        assert_eq!(name(&app), "W**** S****");
    }

    #[test]
    fn m_again_before_the_copy_comes_keeps_masking_off_and_the_late_copy_is_dropped() {
        let mut app = answered();
        let mut effects = app.update(key('m'));
        let Some(Effect::Mask(job)) = effects.pop() else {
            panic!("a job");
        };
        assert!(app.update(key('m')).is_empty());
        app.update(job.run());
        assert!(!app.masked());
        assert_eq!(name(&app), "WILL SMITH");
    }
}
