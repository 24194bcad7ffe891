//! Transcript view state: the selected entry and the first entry on screen.

use crate::app::search::Search;

#[derive(Debug, Default)]
pub struct TranscriptView {
    /// Index into the transcript's entries.
    pub selected: usize,
    /// The first entry drawn.
    pub top: usize,
    pub search: Search,
    /// Words highlighted for compliance review.
    pub watch_words: Vec<String>,
}
