//! Asking the API: Enter sends the form's query, Esc cancels it, and the reply puts the answer
//! (or the failure) on screen.

use super::*;

impl App {
    pub(super) fn on_reply(
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
                effects.extend(self.install(fresh));
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
        if let Some(old) = self.pending.take() {
            effects.push(Effect::Cancel { id: old.id });
        }
        let id = self.next_id;
        self.next_id += 1;
        self.pending = Some(Pending {
            id,
            started: self.now,
            query: query.clone(),
        });
        self.notice = None;
        effects.push(Effect::Send { id, query });
        effects
    }

    pub(super) fn cancel(&mut self) -> Vec<Effect> {
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
}
