//! A big push on screen before its transcript and redials are read: `open FILE` and queries
//! show everything but `call.asr_result` and `call.redial_call` at once, and those lists
//! (most of the bytes) are read off the UI thread, then put in place with the views where
//! the user left them.

use super::{Action, App, Effect, Lists, Loaded, Notice, Source};
use crate::api::Answer;
use crate::api::Document;
use crate::api::model::{ParseError, complete_partly};
use crate::mapped::Pages;

/// The work of reading a transcript: everything it needs, owned, so it runs on any thread.
#[derive(Debug, Clone)]
pub struct TranscriptJob {
    pub id: u64,
    /// The answer without its transcript and redials ([`Answer::left_out`] says where they
    /// are).
    answer: std::sync::Arc<Answer>,
    source: Source,
    /// The body's pages, when it is a mapped file: handed back as they are read.
    pages: Option<Pages>,
    watch_words: Vec<String>,
}

impl PartialEq for TranscriptJob {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl TranscriptJob {
    /// Reads the transcript and derives everything from the whole answer, as
    /// [`Loaded::new`] would have from one read. Pages already read are handed back.
    pub fn run(self) -> Action {
        let TranscriptJob {
            id,
            answer,
            source,
            pages,
            watch_words,
        } = self;
        // The head is small (the lists are what was left out): copied here, off the UI thread.
        let mut answer = std::sync::Arc::unwrap_or_clone(answer);
        let left_out = std::mem::take(&mut answer.left_out);
        let head = std::mem::replace(&mut answer.document, Document::Push(Box::default()));
        let (document, outcome) = complete_partly(&answer.exchange.body, head, &left_out, |r| {
            if let Some(p) = &pages {
                p.release(r);
            }
        });
        answer.document = document;
        let mut loaded = Loaded::new(answer, source);
        loaded.views.transcript.watch_words = watch_words;
        super::transcript::prepare(&mut loaded);
        if let Err(ParseError::NotJson(d) | ParseError::WrongShape(d)) = outcome {
            loaded.lists = Lists::Unreadable(d);
        }
        Action::Transcript {
            id,
            whole: Box::new(loaded),
        }
    }
}

impl Loaded {
    /// Whether the transcript is still being read (left out of this answer for now), or
    /// has not arrived (a first part always leaves it out).
    pub fn waits_for_transcript(&self) -> bool {
        self.lists_pending() && self.answer.left_out.transcript.is_some()
    }

    /// Whether the redials are still being read (left out of this answer for now), or
    /// may not have arrived.
    pub fn waits_for_redials(&self) -> bool {
        self.arriving() || self.lists_pending() && self.answer.left_out.redials.is_some()
    }

    /// Whether lists left out of this answer are still being read, or masked, or are on
    /// their way.
    pub fn lists_pending(&self) -> bool {
        matches!(
            self.lists,
            Lists::Reading(_) | Lists::Masking | Lists::Arriving { .. }
        )
    }

    /// Whether this is the first part of an answer still arriving ([`Lists::Arriving`]).
    pub fn arriving(&self) -> bool {
        matches!(self.lists, Lists::Arriving { .. })
    }

    /// What is being done to the lists left out: `reading`, `masking` or `receiving`.
    pub fn pending_words(&self) -> &'static str {
        match self.lists {
            Lists::Masking => "masking",
            Lists::Arriving { .. } => "receiving",
            _ => "reading",
        }
    }
}

impl App {
    /// Opens with an answer from a file (`open FILE`), with the file's pages when mapped;
    /// the effects read what the answer was read without.
    pub fn with_answer_from_file(
        mut self,
        answer: Answer,
        source: Source,
        pages: Option<Pages>,
    ) -> (Self, Vec<Effect>) {
        self = self.with_answer(answer, source);
        if let Some(l) = self.original_mut() {
            l.pages = pages;
        }
        let effects = self.read_later().into_iter().collect();
        (self, effects)
    }

    /// The reading of the lists the answer just installed was read without, if any.
    pub(super) fn read_later(&mut self) -> Option<Effect> {
        let id = self.next_id;
        let l = self
            .original_mut()
            .filter(|l| !l.answer.left_out.is_empty())?;
        l.lists = Lists::Reading(id);
        self.next_id += 1;
        self.transcript_job(id)
            .map(|job| Effect::ReadTranscript(Box::new(job)))
    }

    /// The work of reading transcript `id`, if the answer on screen (or beside its masked
    /// copy) still waits for it: everything the job needs, copied.
    fn transcript_job(&self, id: u64) -> Option<TranscriptJob> {
        let l = self.original().filter(|l| l.reading() == Some(id))?;
        Some(TranscriptJob {
            id,
            answer: l.answer.clone(),
            source: l.source.clone(),
            pages: l.pages.clone(),
            watch_words: self.context.watch_words.clone(),
        })
    }

    /// The answer as received: on screen, or beside its masked copy.
    fn original_mut(&mut self) -> Option<&mut Loaded> {
        self.original_slot().as_deref_mut()
    }

    /// The transcript read: the whole answer replaces the one without it, wherever it is
    /// (on screen, waiting beside its masked copy, or put aside for the first part of
    /// another), keeping the user's place.
    pub(super) fn on_transcript(&mut self, id: u64, mut whole: Box<Loaded>) {
        let slot = match self.put_aside(id) {
            Some(slot) => slot,
            None => self.original_slot(),
        };
        let Some(old) = slot.as_deref_mut().filter(|l| l.reading() == Some(id)) else {
            return;
        };
        whole.query = old.query.take();
        whole.pages = old.pages.take();
        super::masking::carry(&old.views, &mut whole);
        let unread = whole.unreadable().map(str::to_string);
        *slot = Some(whole);
        self.clamp_views();
        // A search typed while the lists were read looks at them now.
        self.search_again();
        if let Some(e) = unread {
            self.notice = Some(Notice {
                text: format!(
                    "could not read the transcript and redials: {}",
                    crate::text::clip(&crate::text::one_line(&e), 120)
                ),
                warn: true,
            });
        }
    }

    /// Whether the answer on screen still waits for the lists left out of it.
    pub fn reading_left_out(&self) -> bool {
        self.loaded
            .as_deref()
            .is_some_and(|l| l.reading().is_some())
    }

    /// Whether the answer on screen is a masked copy without its transcript: still being
    /// masked, or it could not be (nothing whole to copy or export either way).
    pub fn masking_left_out(&self) -> bool {
        self.loaded
            .as_deref()
            .is_some_and(|l| matches!(l.lists, Lists::Masking | Lists::Unmasked(_)))
    }

    /// Whether the lists left out of the answer on screen could not be read.
    pub fn unread_lists(&self) -> bool {
        self.loaded
            .as_deref()
            .is_some_and(|l| l.unreadable().is_some())
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::api::client::{Exchange, interpret_head};
    use crate::api::{Query, model::AsrItem};
    use crate::app::{Context, Tab};

    fn key(c: char) -> Action {
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    fn opened(json: String) -> (App, TranscriptJob) {
        let exchange = Exchange {
            url: "push.json".into(),
            status: 0,
            latency: std::time::Duration::ZERO,
            body: json.into(),
            received_at: chrono::Local::now(),
        };
        let answer = interpret_head(exchange).unwrap();
        assert!(!answer.left_out.is_empty());
        let source = Source::File {
            path: "push.json".into(),
        };
        let (mut app, mut effects) = App::new(Query::default(), Context::default())
            .with_answer_from_file(answer, source, None);
        assert!(app.update(Action::Resize(160, 50)).is_empty());
        assert_eq!(effects.len(), 1, "{effects:?}");
        let Some(Effect::ReadTranscript(job)) = effects.pop() else {
            panic!("the start reads the transcript");
        };
        (app, *job)
    }

    /// `c` starts nothing and the notice says `why`.
    fn refused(app: &mut App, c: char, why: &str) {
        assert!(app.update(key(c)).is_empty(), "{c} started something");
        let notice = app.notice.take().expect("a notice");
        assert!(notice.warn && notice.text.contains(why), "{}", notice.text);
    }

    use crate::ui::table::testing::app_screen as screen;

    #[test]
    fn the_transcript_arrives_after_the_first_frame_where_the_user_is() {
        let (mut app, job) = opened(crate::generate::push(2_000, 30, 4, 7));
        assert!(app.reading_left_out());
        let first = screen(&app);
        assert!(first.contains("MARIA LOPEZ GARCIA"), "{first}");
        app.update(key('5'));
        assert!(screen(&app).contains("reading the transcript…"));
        app.update(key('3'));
        assert!(screen(&app).contains("reading the redials…"));
        // Nothing that needs the whole answer starts meanwhile: a copy of the redials...
        refused(&mut app, 'y', "still being read");
        app.update(key('2'));
        assert!(screen(&app).contains("reading…"));
        // ... or an export.
        refused(&mut app, 'e', "still being read");

        app.update(job.run());
        assert!(!app.reading_left_out());
        assert_eq!(app.tab, Tab::Call);
        let call = screen(&app);
        assert!(
            call.contains("1999 turns") || call.contains("turns ("),
            "{call}"
        );
        app.update(key('5'));
        app.update(key('G'));
        let end = screen(&app);
        assert!(end.contains("[LAST-TURN-MARKER]"), "{end}");
        // The same as reading the answer whole.
        let whole =
            crate::api::parse_document(&app.loaded.as_ref().unwrap().answer.exchange.body).unwrap();
        let items: &[AsrItem] = &whole.data().unwrap().call.asr_result.items;
        assert_eq!(
            app.loaded.as_ref().unwrap().data().call.asr_result.items,
            items
        );
        assert_eq!(
            app.loaded.as_ref().unwrap().data().call.redial_call,
            whole.data().unwrap().call.redial_call
        );
        app.update(key('3'));
        let redials = screen(&app);
        assert!(!redials.contains("reading the redials"), "{redials}");
        assert_eq!(
            app.loaded.as_ref().unwrap().facts.timeline.attempts.len(),
            31,
            "30 redials and the final call"
        );
    }

    #[test]
    fn a_stale_transcript_is_dropped_and_a_misplaced_one_read_whole() {
        let (mut app, job) = opened(crate::generate::push(50, 2, 2, 1));
        let mut stale = job.clone();
        stale.id += 100;
        app.update(stale.run());
        assert!(
            app.reading_left_out(),
            "another job's answer changes nothing"
        );

        // Not where it was said to be: the whole text is read instead.
        let mut misplaced = job.clone();
        std::sync::Arc::make_mut(&mut misplaced.answer)
            .left_out
            .transcript = Some(0..3);
        app.update(misplaced.run());
        assert!(!app.reading_left_out());
        assert!(has_turns(&app));
        assert!(app.notice.as_ref().is_none_or(|n| !n.warn));
    }

    #[test]
    fn a_transcript_that_is_not_json_is_said_with_the_whole_read_s_words() {
        let json = crate::generate::push(50, 2, 2, 1);
        let at = json.find("\"asr_result\"").unwrap();
        let at = at + json[at..].find("\"text\": \"").unwrap() + "\"text\": \"".len();
        let broken = format!("{}\\q{}", &json[..at], &json[at..]);
        let whole = crate::api::parse_document(broken.as_bytes()).unwrap_err();
        let (mut app, job) = opened(broken);
        assert!(app.loaded.is_some(), "the rest of the answer is on screen");
        app.update(job.run());
        assert!(!app.reading_left_out());
        assert!(!has_turns(&app));
        let notice = app.notice.as_ref().unwrap();
        assert!(notice.warn, "{notice:?}");
        assert!(notice.text.starts_with("could not read the transcript"));
        let crate::api::model::ParseError::NotJson(words) = whole else {
            panic!("{whole:?}");
        };
        assert!(
            notice.text.contains(&words[..20]),
            "{} / {words}",
            notice.text
        );
        // The redials read: they are shown; nothing whole can be exported or copied.
        let l = app.loaded.as_ref().unwrap();
        assert!(l.unreadable().is_some());
        assert_eq!(l.data().call.redial_call.items.len(), 2);
        app.update(key('3'));
        assert!(screen(&app).contains("not well-formed JSON"));
        refused(&mut app, 'e', "could not be read");
        app.update(key('5'));
        assert!(screen(&app).contains("could not be read"));
    }

    fn has_turns(app: &App) -> bool {
        app.loaded
            .as_ref()
            .is_some_and(|l| !l.facts.transcript.entries.is_empty())
    }

    #[test]
    fn masking_meanwhile_keeps_both_versions_whole() {
        let (mut app, job) = opened(crate::generate::push(40, 2, 2, 3));
        // The masked copy is made off the UI thread: the answer stays as it is meanwhile.
        let mut effects = app.update(key('m'));
        assert!(!app.masked());
        let Some(Effect::Mask(masking)) = effects.pop() else {
            panic!("m makes the masked copy off the UI thread");
        };
        app.update(masking.run());
        assert!(app.masked());
        // The masked copy is built from the whole body: its transcript is there already.
        assert!(has_turns(&app));
        app.update(job.run());
        app.update(key('m'));
        assert!(!app.masked());
        assert!(!app.reading_left_out());
        assert!(has_turns(&app));
    }

    #[test]
    fn a_query_answer_has_its_transcript_read_after_too() {
        let mut app = App::new(Query::default(), Context::default());
        app.pending = Some(crate::app::Pending {
            preview: None,
            id: 7,
            started: chrono::Local::now(),
            query: Query::default(),
        });
        let answer = interpret_head(Exchange {
            url: "http://127.0.0.1:1/x".into(),
            status: 200,
            latency: std::time::Duration::ZERO,
            body: crate::generate::push(300, 3, 2, 5).into(),
            received_at: chrono::Local::now(),
        })
        .unwrap();
        let effects = app.update(Action::Reply {
            id: 7,
            result: Box::new(Ok(answer)),
            elapsed: std::time::Duration::ZERO,
        });
        let mut jobs = effects.into_iter().filter_map(|e| match e {
            Effect::ReadTranscript(job) => Some(*job),
            _ => None,
        });
        let job = jobs
            .next()
            .expect("the transcript is read after the answer shows");
        assert!(jobs.next().is_none(), "no other job");
        assert!(app.reading_left_out());
        app.update(job.run());
        assert!(!app.reading_left_out());
        assert!(has_turns(&app));
        assert!(app.loaded.as_ref().unwrap().answer.left_out.is_empty());
    }
}
