//! What flows into `App::update` and what comes out of it.

use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::api::{Answer, ApiError, Query};

/// Told once the frame after a [`Action::Preview`] is drawn: the network thread waits for
/// that, a moment at most, before it reads on, so that the frame is not left waiting for a
/// core while the rest of the body is copied in. `update` never touches it; the loop does.
#[derive(Debug, Default)]
pub struct Drawn(Option<std::sync::mpsc::SyncSender<()>>);

impl Drawn {
    /// A `Drawn`, and the end that waits for it.
    pub fn pair() -> (Drawn, std::sync::mpsc::Receiver<()>) {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        (Drawn(Some(tx)), rx)
    }

    /// Takes the sender out, leaving an empty `Drawn`.
    pub fn take(&mut self) -> Drawn {
        Drawn(self.0.take())
    }

    /// Says the frame is drawn (dropping it says the same: nothing will be drawn for it).
    pub fn tell(self) {
        if let Some(tx) = self.0 {
            let _ = tx.try_send(());
        }
    }
}

/// Something that happened: a terminal event, a network reply, a timer tick.
#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    /// The spinner's step, only while a request runs.
    Tick,
    /// The loop is about to draw: work left for the frame is done now, once, rather than for
    /// every key of a burst (a search typed or pasted ahead is searched for its last query).
    Settle,
    /// The time now: the loop says it before each action it hands over, so `update` reads no
    /// clock (the spinner's seconds, a failure's time and a lookup's in the history come
    /// from it).
    Clock(chrono::DateTime<chrono::Local>),
    /// A request finished.
    Reply {
        id: u64,
        result: Box<Result<Answer, ApiError>>,
        elapsed: Duration,
    },
    /// The first part of a big answer to request `id`, while the rest arrives: the part
    /// before its transcript (`received` bytes), read; `total` bytes announced in all.
    Preview {
        id: u64,
        answer: Box<Answer>,
        received: usize,
        total: usize,
        drawn: Drawn,
    },
    /// A background effect reports back (a copy, an export).
    Notice(String),
    /// The same, when it went wrong.
    Warning(String),
    /// The API's record of the pushed case on screen (`v`).
    Record {
        id: u64,
        result: Box<Result<Answer, ApiError>>,
    },
    /// The masked copy of the answer on screen, made off the UI thread (or why it could
    /// not be).
    Masked {
        id: u64,
        result: Result<Box<super::Loaded>, String>,
        /// The copy is masked but for its transcript ([`super::Lists::Masking`]): the rest
        /// is masked next.
        partly: bool,
    },
    /// The lists left out read off the UI thread: the whole answer (or as much as read,
    /// [`Loaded::unread`](super::Loaded::unread) saying why not all).
    Transcript {
        id: u64,
        whole: Box<super::Loaded>,
    },
    /// Cases of a review summed up off the UI thread (a batch of them, by entry).
    Summaries {
        id: u64,
        reads: super::review::jobs::Summaries,
    },
    /// The case of a review opened, read off the UI thread (or why it could not be).
    CaseRead {
        id: u64,
        index: usize,
        result: Result<Box<super::Loaded>, String>,
    },
}

/// Something `update` asks the event loop to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Send {
        id: u64,
        query: Query,
    },
    Cancel {
        id: u64,
    },
    /// Ask the API for its record of a push, for the Diff view.
    Verify {
        id: u64,
        query: Query,
    },
    Copy {
        text: String,
        what: String,
    },
    /// Copy what a tab shows, as it is laid out `width` columns wide: its selection, or all
    /// of it when `whole`. Laying out is the screen's work, so the loop asks it for the text
    /// and carries out the [`Effect::Copy`] it makes.
    CopyView {
        tab: super::Tab,
        whole: bool,
        width: u16,
    },
    SetMouseCapture(bool),
    /// Write the case report and transcript of the case on screen.
    Export(crate::export::Job),
    /// Save a lookup in the history file.
    History(Box<crate::history::Entry>),
    /// Make the masked copy of the answer on screen (off the UI thread).
    Mask(Box<super::masking::MaskJob>),
    /// Read the lists left out of the answer on screen (off the UI thread), once the
    /// frame is drawn.
    ReadTranscript(Box<super::later::TranscriptJob>),
    /// Sum up the cases of a review (off the UI thread, answering in batches).
    Summarise(Box<super::review::jobs::SummaryJob>),
    /// Read a case of a review for the tabs (off the UI thread).
    OpenCase(Box<super::review::jobs::CaseJob>),
    /// Append a verdict or note to the review's `review.jsonl`.
    SaveMark {
        path: std::path::PathBuf,
        mark: Box<crate::review::marks::Mark>,
    },
    Quit,
}
