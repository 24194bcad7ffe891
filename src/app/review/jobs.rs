//! The review's work off the UI thread: summing up every case (answers streamed back in
//! batches, the first soon, so the rows on screen fill in at once) and reading the case
//! opened. Each job owns what it needs.

use std::path::PathBuf;

use super::super::{Action, Loaded, Source};
use crate::review::listing::Entry;
use crate::review::summary::{Read, read_answer, summarise};

/// Sums up `entries` (with their indices in the review).
#[derive(Debug, Clone)]
pub struct SummaryJob {
    pub id: u64,
    pub entries: Vec<(usize, Entry)>,
    pub watch_words: Vec<String>,
}

impl PartialEq for SummaryJob {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// The first batch is small (the screen's rows), later ones larger (fewer re-sorts).
const FIRST_BATCH: usize = 64;
const BATCH: usize = 512;

impl SummaryJob {
    /// Reads every case, handing the summaries to `send` in batches; stops when `send` says
    /// no one listens any more.
    pub fn run(self, send: &mut dyn FnMut(Action) -> bool) {
        let mut batch = Vec::with_capacity(FIRST_BATCH);
        let mut limit = FIRST_BATCH;
        for (i, entry) in &self.entries {
            batch.push((*i, summarise(entry, &self.watch_words)));
            if batch.len() >= limit {
                let reads = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if !send(Action::Summaries { id: self.id, reads }) {
                    return;
                }
                limit = BATCH;
            }
        }
        if !batch.is_empty() {
            send(Action::Summaries {
                id: self.id,
                reads: batch,
            });
        }
    }
}

/// Reads the case at `index` whole, for the six tabs.
#[derive(Debug, Clone)]
pub struct CaseJob {
    pub id: u64,
    pub index: usize,
    pub path: PathBuf,
}

impl PartialEq for CaseJob {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl CaseJob {
    pub fn run(self) -> Action {
        let result = read_answer(&self.path).map(|answer| {
            Box::new(Loaded::new(
                answer,
                Source::File {
                    path: self.path.display().to_string(),
                },
            ))
        });
        Action::CaseRead {
            id: self.id,
            index: self.index,
            result,
        }
    }
}

/// What a job said of a case, for the list.
pub type Summaries = Vec<(usize, Read)>;
