//! Asking the API: Enter sends the form's query, Esc cancels it, and the reply puts the answer
//! (or the failure) on screen; a big answer's first part may come before it.

use super::*;

impl App {
    /// The first part of a big answer, while the rest arrives: on screen at once, in place
    /// of what was there (kept, to come back if the request fails or is cancelled). Not
    /// while names are masked: an unmasked part must not show, and masking one only to
    /// throw it away is no help.
    /// `shown`: the bytes received before the transcript; `total`: the size announced.
    pub(super) fn on_preview(&mut self, id: u64, answer: Answer, shown: usize, total: usize) {
        let Some(query) = self
            .pending
            .as_ref()
            .filter(|p| p.id == id && p.preview.is_none())
            .map(|p| p.query.clone())
        else {
            return;
        };
        // Nor while the API's record of the answer on screen is asked for (`v`): it is to be
        // compared with that answer, not with this part.
        let asking_record = self
            .compare
            .as_ref()
            .is_some_and(|c| matches!(c.state, CompareState::Pending(_)));
        if !matches!(self.mask, masking::Masking::Off { .. }) || asking_record {
            return;
        }
        let before = self.take_original();
        if let Some(p) = self.pending.as_mut() {
            p.preview = Some(Previewed { before });
        }
        let base_url = self.context.base_url.clone().unwrap_or_default();
        let mut part = Loaded::new(answer, Source::Network { base_url });
        part.query = Some(query);
        part.lists = Lists::Arriving { shown, total };
        part.views.transcript.watch_words = self.context.watch_words.clone();
        self.loaded = Some(Box::new(part));
        self.failure = None;
        self.tab = Tab::Profile;
        self.focus = Focus::Result;
        if self.size.0 < NARROW {
            self.show_form = false;
        }
        self.notice = None;
    }

    /// Where the answer a preview took the place of is kept, if that is the one whose lists
    /// job `id` reads: they are put in place there, for it to come back whole.
    pub(super) fn put_aside(&mut self, id: u64) -> Option<&mut Option<Box<Loaded>>> {
        let was = self.pending.as_mut()?.preview.as_mut()?;
        let reading = was
            .before
            .as_deref()
            .is_some_and(|l| l.reading() == Some(id));
        reading.then_some(&mut was.before)
    }

    /// The request running, taken: what its preview took the place of is put back.
    fn take_pending(&mut self) -> Option<Pending> {
        let mut p = self.pending.take()?;
        if let Some(was) = p.preview.take() {
            self.loaded = was.before;
        }
        Some(p)
    }

    /// Whether the answer on screen is the first part of one still arriving.
    pub fn receiving(&self) -> bool {
        self.loaded.as_deref().is_some_and(Loaded::arriving)
    }

    pub(super) fn on_reply(
        &mut self,
        id: u64,
        result: Result<Answer, ApiError>,
        _elapsed: Duration,
    ) -> Vec<Effect> {
        let Some(mut p) = self.pending.take_if(|p| p.id == id) else {
            // A cancelled or superseded request: stale, never shown.
            return Vec::new();
        };
        // The preview makes way for what was there before; where the user was in it is kept.
        let part = p
            .preview
            .take()
            .and_then(|was| std::mem::replace(&mut self.loaded, was.before));
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
                effects.extend(self.install(fresh));
                effects.extend(self.read_later());
                self.failure = None;
                match (&part, self.loaded.as_deref_mut()) {
                    // The user may have moved on from the Profile tab meanwhile.
                    (Some(part), Some(whole)) => {
                        masking::carry(&part.views, whole);
                        // The Diff went with the answer before, if it was another case's.
                        if self.tab == Tab::Diff && self.compare.is_none() {
                            self.tab = Tab::Profile;
                        }
                    }
                    _ => {
                        self.tab = Tab::Profile;
                        self.focus = Focus::Result;
                    }
                }
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
                    at: self.now,
                    query: p.query,
                });
            }
        }
        effects
    }

    pub(super) fn submit(&mut self) -> Vec<Effect> {
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
                at: self.now,
                query,
            });
            return effects;
        }
        let mut effects = Vec::new();
        if let Some(old) = self.take_pending() {
            effects.push(Effect::Cancel { id: old.id });
        }
        let id = self.next_id;
        self.next_id += 1;
        self.pending = Some(Pending {
            id,
            started: self.now,
            query: query.clone(),
            preview: None,
        });
        self.notice = None;
        effects.push(Effect::Send { id, query });
        effects
    }

    pub(super) fn cancel(&mut self) -> Vec<Effect> {
        match self.take_pending() {
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
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::api::client::{Exchange, interpret_head};
    use crate::api::{Preview, Query};

    const NAME: &str = "MARIA LOPEZ GARCIA";

    fn key(c: char) -> Action {
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    fn exchange(body: impl Into<bytes::Bytes>) -> Exchange {
        Exchange {
            url: "http://127.0.0.1/x".into(),
            status: 200,
            latency: Duration::ZERO,
            body: body.into(),
            received_at: chrono::Local::now(),
        }
    }

    /// A big push, its first part as the client hands it over, and its whole.
    fn big() -> (Answer, usize, Answer) {
        let whole = crate::generate::push(3000, 40, 6, 11);
        let mut scan = crate::json::scan::ListScan::transcript();
        scan.feed(&whole.as_bytes()[..whole.len() / 2]);
        let start = scan.inside().expect("half way is in the transcript");
        let preview = Preview::new(
            &whole.as_bytes()[..start],
            whole.len(),
            "http://127.0.0.1/x".into(),
            200,
            Duration::from_millis(2),
        );
        let part = preview.read().expect("the first part reads");
        let total = whole.len();
        (part, total, interpret_head(exchange(whole)).unwrap())
    }

    /// An app showing another case's answer, with request 7 running.
    fn asking() -> App {
        let other = crate::demo::cases()[0].body;
        let answer = crate::api::client::interpret(exchange(other)).unwrap();
        let mut app = App::new(Query::default(), Context::default()).with_answer(
            answer,
            Source::Network {
                base_url: "http://127.0.0.1".into(),
            },
        );
        app.update(Action::Resize(160, 50));
        app.pending = Some(Pending {
            id: 7,
            started: app.now,
            query: Query {
                callee: "+525511112222".into(),
                ..Query::default()
            },
            preview: None,
        });
        app
    }

    /// The first part of request `id`'s answer, arrived.
    fn preview(app: &mut App, id: u64, part: Answer, total: usize) -> Vec<Effect> {
        app.update(Action::Preview {
            id,
            answer: Box::new(part),
            received: 1000,
            total,
            drawn: Drawn::default(),
        })
    }

    fn callee(app: &App) -> String {
        let l = app.loaded.as_deref().expect("an answer on screen");
        l.data().callee.callee_name.show().to_string()
    }

    #[test]
    fn the_first_part_shows_and_the_whole_answer_replaces_it_where_the_user_is() {
        let (part, total, whole) = big();
        let mut app = asking();
        let before = callee(&app);
        assert_ne!(before, NAME);
        let effects = preview(&mut app, 7, part, total);
        assert!(effects.is_empty());
        assert!(app.receiving() && app.is_loading());
        assert_eq!(callee(&app), NAME);
        assert_eq!(app.tab, Tab::Profile);
        let l = app.loaded.as_deref().unwrap();
        assert!(l.waits_for_transcript() && l.waits_for_redials());
        assert_eq!(l.pending_words(), "receiving");
        // What needs the whole answer waits for it; moving about does not.
        for c in ['m', 'e', 'v', 'd', '/'] {
            assert!(app.update(key(c)).is_empty(), "{c} started something");
            let notice = app.notice.take().expect("a notice");
            assert!(
                notice.text.contains("still arriving"),
                "{c}: {}",
                notice.text
            );
        }
        app.update(key('4'));
        assert_eq!(app.tab, Tab::Qa);
        // A second first part, or one for another request, changes nothing.
        let (again, _, _) = big();
        preview(&mut app, 8, again, total);
        assert!(app.receiving());
        let effects = app.update(Action::Reply {
            id: 7,
            result: Box::new(Ok(whole)),
            elapsed: Duration::ZERO,
        });
        assert!(!app.receiving() && !app.is_loading());
        assert_eq!(callee(&app), NAME);
        assert_eq!(app.tab, Tab::Qa, "the user's tab is kept");
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::ReadTranscript(_))),
            "{effects:?}"
        );
        assert!(app.reading_left_out());
        assert!(
            app.previous.is_none(),
            "the answer before was another case's"
        );
    }

    #[test]
    fn a_failure_or_a_cancel_puts_back_what_was_there() {
        let (part, total, _) = big();
        let mut app = asking();
        let before = callee(&app);
        preview(&mut app, 7, part.clone(), total);
        assert_eq!(callee(&app), NAME);
        app.update(Action::Reply {
            id: 7,
            result: Box::new(Err(ApiError::NoRecord)),
            elapsed: Duration::ZERO,
        });
        assert_eq!(callee(&app), before);
        assert!(app.failure.is_some() && !app.receiving());

        let mut app = asking();
        preview(&mut app, 7, part, total);
        let effects = app.update(Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        assert!(
            matches!(effects[..], [Effect::Cancel { id: 7 }]),
            "{effects:?}"
        );
        assert_eq!(callee(&app), before);
        assert!(!app.receiving() && !app.is_loading());
    }

    #[test]
    fn nothing_is_previewed_while_names_are_masked_or_for_a_request_not_running() {
        let (part, total, _) = big();
        let mut app = asking();
        app.mask = masking::Masking::On { original: None };
        preview(&mut app, 7, part.clone(), total);
        assert!(!app.receiving());

        let mut app = asking();
        app.pending = None;
        preview(&mut app, 7, part, total);
        assert!(!app.receiving());
        assert_ne!(callee(&app), NAME);
    }

    #[test]
    fn lists_read_for_the_answer_put_aside_are_put_in_place_there() {
        let whole = crate::generate::push(3000, 40, 6, 12);
        let head = interpret_head(exchange(whole)).unwrap();
        let source = Source::File {
            path: "big.json".into(),
        };
        let (mut app, mut effects) = App::new(Query::default(), Context::default())
            .with_answer_from_file(head, source, None);
        let Some(Effect::ReadTranscript(job)) = effects.pop() else {
            panic!("the lists are read after");
        };
        app.pending = Some(Pending {
            id: 70,
            started: app.now,
            query: Query::default(),
            preview: None,
        });
        let (part, total, _) = big();
        preview(&mut app, 70, part, total);
        assert!(app.receiving());
        // The lists arrive while the first part of the next answer is on screen.
        app.update(job.run());
        assert!(app.receiving());
        app.update(Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        let l = app.loaded.as_deref().expect("the answer put back");
        assert_eq!(l.lists, Lists::Complete);
        assert!(
            !l.facts.transcript.entries.is_empty(),
            "with its transcript"
        );
    }

    #[test]
    fn no_first_part_while_the_record_of_the_answer_on_screen_is_asked_for() {
        let (part, total, _) = big();
        let mut app = asking();
        app.compare = Some(Comparison {
            left: "the push".into(),
            right: "the API's record".into(),
            state: CompareState::Pending(3),
            scroll: Default::default(),
        });
        preview(&mut app, 7, part, total);
        assert!(!app.receiving());
    }
}
