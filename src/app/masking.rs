//! `m`: the answer on screen swapped for a masked copy built from the masked body
//! ([`crate::mask`]), so every tab, copy and export shows masked values without knowing
//! about it. The copy is built the first time it is needed and kept until the next answer;
//! the original waits beside it (`App::twin`) for `m` again.

use super::views::Views;
use super::{App, CompareState, Comparison, Loaded, Notice};

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

/// Where the user was, carried from one version of the answer to the other.
pub(super) fn carry(from: &Views, to: &mut Views) {
    to.profile = from.profile.clone();
    to.call = from.call.clone();
    to.redials = from.redials.clone();
    to.qa = from.qa.clone();
    to.raw.scroll = from.raw.scroll.clone();
    let (f, t) = (&from.transcript, &mut to.transcript);
    // Positions count entries of the filtered list: carried only when unfiltered alike.
    if f.filter == t.filter && f.hide_silences == t.hide_silences {
        t.selected = f.selected;
        t.top = f.top;
        t.top_line = f.top_line;
    }
}

impl App {
    /// The answer as received, whatever is on screen.
    pub fn original(&self) -> Option<&Loaded> {
        if self.masked {
            self.twin.as_deref()
        } else {
            self.loaded.as_deref()
        }
    }

    /// Where the answer as received is: on screen, or beside its masked copy.
    pub(super) fn original_slot(&mut self) -> &mut Option<Box<Loaded>> {
        if self.masked {
            &mut self.twin
        } else {
            &mut self.loaded
        }
    }

    /// Takes the answer on screen away, as received (the masked copy is dropped).
    pub(super) fn take_original(&mut self) -> Option<Box<Loaded>> {
        let shown = self.loaded.take();
        let twin = self.twin.take();
        if self.masked { twin } else { shown }
    }

    /// The masked copy of `original`, with the session's settings and the same positions.
    fn build_masked(&self, original: &Loaded) -> Result<Loaded, String> {
        let answer = crate::mask::mask_answer(&original.answer).map_err(|e| e.message())?;
        let mut masked = Loaded::new(answer, original.source.clone());
        masked.query = original.query.clone();
        masked.received_len = original.received_len;
        masked.views.transcript.watch_words = self.context.watch_words.clone();
        super::transcript::prepare(&mut masked);
        carry(&original.views, &mut masked.views);
        Ok(masked)
    }

    /// Masks the answer just put on screen when masking is on. Masking that fails turns
    /// itself off and says so: an unmasked answer is never shown as if it were masked.
    pub(super) fn mask_new_answer(&mut self) {
        self.twin = None;
        if !self.masked {
            return;
        }
        let Some(original) = self.loaded.as_deref() else {
            return;
        };
        match self.build_masked(original) {
            Ok(m) => {
                self.twin = self.loaded.take();
                self.loaded = Some(Box::new(m));
            }
            Err(e) => self.mask_failed(&e),
        }
    }

    fn mask_failed(&mut self, why: &str) {
        self.masked = false;
        self.notice = Some(Notice {
            text: format!("cannot mask this answer ({why}); masking is off"),
            warn: true,
        });
    }

    /// Starts with masking on (`--mask`) or off; the messages of the start stay.
    pub fn with_mask(mut self, on: bool) -> Self {
        if on != self.masked {
            let notice = self.notice.take();
            self.toggle_mask();
            // A failure to mask says so; otherwise the start's own message stays.
            if self.masked == on {
                self.notice = notice;
            }
        }
        self
    }

    /// `m`: masking on or off.
    pub(super) fn toggle_mask(&mut self) {
        let Some(shown) = self.loaded.as_deref() else {
            self.masked = !self.masked;
            self.notice = Some(Notice {
                text: if self.masked {
                    "masking on: answers will show names, numbers and amounts masked".into()
                } else {
                    "masking off".into()
                },
                warn: false,
            });
            return;
        };
        if self.twin.is_none() {
            // Only the original exists yet (masking was off): build the masked copy.
            match self.build_masked(shown) {
                Ok(m) => self.twin = Some(Box::new(m)),
                Err(e) => {
                    self.masked = true;
                    self.mask_failed(&e);
                    return;
                }
            }
        } else if let (Some(shown), Some(twin)) = (self.loaded.as_deref(), self.twin.as_deref_mut())
        {
            carry(&shown.views, &mut twin.views);
        }
        std::mem::swap(&mut self.loaded, &mut self.twin);
        self.masked = !self.masked;
        self.clamp_views();
        self.refresh_search();
        self.notice = Some(Notice {
            text: if self.masked {
                "masked: names, numbers and amounts hidden on every tab, copy and export; m shows them"
                    .into()
            } else {
                "masking off: m hides names, numbers and amounts again".into()
            },
            warn: !self.masked,
        });
    }
}
