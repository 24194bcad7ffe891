//! Transcript view state and the review logic behind it, with no terminal in it: the speaker
//! filter and the list of entries it shows, the selection and the entry-anchored scroll
//! position, case-folded incremental search, watch-word counts, the
//! promise-to-pay (`asr_ptp`) detection, and the `:` time prompt.
//!
//! Positions (`selected`, `top`) count entries in the filtered list; search hits and the
//! promise-to-pay mark name entries of the whole transcript (`Transcript::entries`).

use crate::api::model::AsrItem;
use crate::app::Loaded;
use crate::app::search::{Finder, Matches, Search, fold_shown};
use crate::case::CaseFacts;
use crate::case::ptp::{Ptp, find_ptp};
use crate::case::transcript::{Entry, Speaker, Transcript, text};
use crate::text::clean;
use crate::text::fold_str;

/// Which speakers the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    Robot,
    Callee,
}

impl Filter {
    pub fn words(self) -> &'static str {
        match self {
            Filter::All => "all turns",
            Filter::Robot => "robot only",
            Filter::Callee => "callee only",
        }
    }

    /// Whether an entry is listed under this filter.
    pub fn shows(self, e: &Entry, silences: bool) -> bool {
        match (self, e) {
            (_, Entry::Silence { .. }) => silences,
            (Filter::All, _) => true,
            (Filter::Robot, Entry::Turn { speaker, .. }) => *speaker == Speaker::Robot,
            (Filter::Callee, Entry::Turn { speaker, .. }) => *speaker == Speaker::Callee,
        }
    }
}

#[derive(Debug, Default)]
pub struct TranscriptView {
    pub search: Search,
    /// Words highlighted for compliance review.
    pub watch_words: Vec<String>,
    pub filter: Filter,
    /// `s` folds the silence lines away.
    pub hide_silences: bool,
    /// Positions in the filtered list: the selected entry and the first entry on screen.
    pub selected: usize,
    pub top: usize,
    /// Lines of the `top` entry scrolled off above the screen.
    pub top_line: usize,
    /// The `:` prompt while a time is being typed.
    pub jump: Option<String>,
    /// A one-off message for the header (a time that could not be read).
    pub message: Option<String>,
    /// Each watch word (made safe) and how often it occurs, set by [`prepare`].
    pub watch_counts: Vec<(String, usize)>,
    /// Set by [`prepare`] when the call has an `asr_ptp`.
    pub ptp: Option<Ptp>,
    /// Entries the filter shows, in order; `None` is every entry.
    visible: Option<Vec<u32>>,
    /// The last folded query and the entries it matched, for incremental search.
    last_search: Option<(String, Vec<u32>)>,
    /// Entries the last search looked at.
    scanned: usize,
    /// Layouts of turns too long to wrap whole on every key.
    pub long: crate::app::transcript_geo::LongTurns,
}

/// Computes what the view shows besides the turns (watch-word counts, the promise to pay);
/// called once when an answer is put on screen.
pub fn prepare(loaded: &mut Loaded) {
    let Loaded {
        answer,
        facts,
        views,
        ..
    } = loaded;
    let items = &answer.data().call.asr_result.items;
    let t = &facts.transcript;
    let view = &mut views.transcript;
    view.watch_counts = count_watch_words(answer, facts, &view.watch_words);
    let ptp = answer.data().call.asr_ptp.value().map(str::trim);
    view.ptp = ptp
        .filter(|p| !p.is_empty())
        .map(|p| find_ptp(p, &t.entries, items));
}

/// Each watch word (made safe, blanks dropped) and how often it occurs in the transcript, as
/// the Transcript tab highlights it: case-folded, in the text shown, matches not overlapping.
/// A review counts its cases with the same function.
pub fn count_watch_words(
    answer: &crate::api::Answer,
    facts: &CaseFacts,
    watch_words: &[String],
) -> Vec<(String, usize)> {
    let items = &answer.data().call.asr_result.items;
    let words: Vec<String> = watch_words
        .iter()
        .map(|w| crate::text::one_line(w))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let finders: Vec<Finder> = words.iter().map(|w| Finder::new(&fold_str(w))).collect();
    let mut counts = vec![0; words.len()];
    let mut scratch = String::new();
    for e in &facts.transcript.entries {
        let hay = fold_shown(text(e, items), clean, &mut scratch);
        for (n, finder) in counts.iter_mut().zip(&finders) {
            *n += finder.find_folded(hay).len();
        }
    }
    words.into_iter().zip(counts).collect()
}

impl TranscriptView {
    /// How many entries the filter shows.
    pub fn len(&self, t: &Transcript) -> usize {
        self.visible.as_ref().map_or(t.entries.len(), Vec::len)
    }

    pub fn is_empty(&self, t: &Transcript) -> bool {
        self.len(t) == 0
    }

    /// The entry at a position of the filtered list.
    pub fn entry_at(&self, pos: usize) -> usize {
        self.visible.as_ref().map_or(pos, |v| v[pos] as usize)
    }

    /// The position of an entry in the filtered list, or where it would be.
    pub fn pos_of(&self, entry: usize) -> Result<usize, usize> {
        match &self.visible {
            None => Ok(entry),
            Some(v) => v.binary_search(&(entry as u32)),
        }
    }

    /// The entry selected, if any is listed.
    pub fn selected_entry(&self, t: &Transcript) -> Option<usize> {
        (self.selected < self.len(t)).then(|| self.entry_at(self.selected))
    }

    /// Changes what is listed; keeps the selected entry, or the next one listed. The scroll
    /// position is left for the caller to bring the selection into view.
    pub fn set_filter(&mut self, t: &Transcript, filter: Filter, hide_silences: bool) {
        if filter == self.filter && hide_silences == self.hide_silences {
            return;
        }
        let selected = self.selected_entry(t);
        let top = (self.top < self.len(t)).then(|| self.entry_at(self.top));
        self.filter = filter;
        self.hide_silences = hide_silences;
        self.visible = if filter == Filter::All && !hide_silences {
            None
        } else {
            Some(
                t.entries
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| filter.shows(e, !hide_silences))
                    .map(|(i, _)| i as u32)
                    .collect(),
            )
        };
        let len = self.len(t);
        let place = |e: Option<usize>| {
            e.map_or(0, |e| match self.pos_of(e) {
                Ok(p) | Err(p) => p,
            })
            .min(len.saturating_sub(1))
        };
        let (selected, top) = (place(selected), place(top));
        self.selected = selected;
        self.top = top.min(selected);
        self.top_line = 0;
        self.last_search = None;
    }

    /// How many entries the last search looked at (all listed ones, or only those that
    /// matched the shorter query before).
    pub fn last_scanned(&self) -> usize {
        self.scanned
    }

    /// Matches of `search.query` in the listed turns, in order. When the query only grew
    /// since the last call, only the entries that matched before are looked at again. A
    /// long transcript is searched in two halves at once (the UI waits for the search, so
    /// both cores do it), with one finder for every turn.
    pub fn find(&mut self, t: &Transcript, items: &[AsrItem]) -> Matches {
        let query = fold_str(&self.search.query);
        if query.is_empty() {
            self.last_search = None;
            return Matches::default();
        }
        let candidates: Option<Vec<u32>> = self
            .last_search
            .take()
            .filter(|(q, _)| query.starts_with(q.as_str()))
            .map(|(_, rows)| rows);
        let finder = Finder::new(&query);
        let this = &*self;
        let scan = |entries: &mut dyn Iterator<Item = usize>| {
            let mut found = Found::default();
            let mut scratch = String::new();
            for e in entries {
                let Some(entry) = t.entries.get(e) else {
                    continue;
                };
                let starts = finder.find_shown(text(entry, items), clean, &mut scratch);
                found.add(e, &starts);
            }
            found
        };
        let (found, scanned) = match &candidates {
            Some(rows) => (scan(&mut rows.iter().map(|&e| e as usize)), rows.len()),
            None => {
                let n = this.len(t);
                let found = if n >= PARALLEL_FROM {
                    let mid = n / 2;
                    std::thread::scope(|threads| {
                        let first = threads.spawn(|| scan(&mut (0..mid).map(|p| this.entry_at(p))));
                        let second = scan(&mut (mid..n).map(|p| this.entry_at(p)));
                        let mut first = first.join().unwrap_or_default();
                        first.append(second);
                        first
                    })
                } else {
                    scan(&mut (0..n).map(|p| this.entry_at(p)))
                };
                (found, n)
            }
        };
        let mut hits = Matches::new(query.clone());
        let mut at = 0;
        for (&row, &n) in found.rows.iter().zip(&found.counts) {
            for &start in &found.starts[at..at + n as usize] {
                hits.push(row as usize, start as usize);
            }
            at += n as usize;
        }
        self.scanned = scanned;
        self.last_search = Some((query, found.rows));
        hits
    }

    /// The first listed entry at or after `secs` into the call.
    pub fn at_or_after(&self, t: &Transcript, secs: u32) -> Option<usize> {
        (0..self.len(t)).find(|&p| t.entries[self.entry_at(p)].at().is_some_and(|a| a >= secs))
    }
}

/// From this many listed entries, a search runs in two halves at once.
const PARALLEL_FROM: usize = 50_000;

/// What one part of a search found: the entries with a match, how many each, where.
#[derive(Debug, Default)]
struct Found {
    rows: Vec<u32>,
    counts: Vec<u32>,
    starts: Vec<u32>,
}

impl Found {
    fn add(&mut self, entry: usize, starts: &[usize]) {
        if starts.is_empty() {
            return;
        }
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.rows.push(to_u32(entry));
        self.counts.push(to_u32(starts.len()));
        self.starts.extend(starts.iter().map(|&s| to_u32(s)));
    }

    /// `later`'s findings after these (it searched the entries after).
    fn append(&mut self, mut later: Found) {
        self.rows.append(&mut later.rows);
        self.counts.append(&mut later.counts);
        self.starts.append(&mut later.starts);
    }
}

/// A time typed at the `:` prompt: `mm:ss`, `hh:mm:ss` or seconds.
pub fn parse_jump(s: &str) -> Option<u32> {
    let s = s.trim();
    let parts = s.split(':').count();
    if parts > 3 || s.is_empty() {
        return None;
    }
    crate::case::time::parse_offset(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::search::Hit;
    use crate::case::transcript::rec;
    use crate::text::fold;

    fn sample() -> (Vec<AsrItem>, Transcript) {
        let items = vec![
            rec("00:00:00", "Hello, can you PAY today?", ""),
            rec("00:00:05", "", "I will pay 650 dollars"),
            rec("00:00:09", "", ""),
            rec(
                "00:00:20",
                "Pay on the 15th?",
                "yes, September 15. Pay pay.",
            ),
            rec("00:01:05", "Thanks", ""),
        ];
        let t = Transcript::build(&items, Some(70));
        (items, t)
    }

    #[test]
    fn folding_on_the_fly_is_folding_the_shown_text() {
        let mut scratch = String::new();
        for text in [
            "Plain ASCII, With Capitals 123!",
            "tab\there",
            "del\u{7f}x",
            "esc \u{1b}[31mRED\u{1b}[0m",
            "ÉCOLE Straße İstanbul ΣΑΣ",
            "中文 Mixed ASCII",
            "",
        ] {
            let expected: String = clean(text).chars().map(fold).collect();
            assert_eq!(fold_shown(text, clean, &mut scratch), expected, "{text:?}");
        }
        proptest::proptest!(crate::proptest_config::config(256), |(text in "\\PC*|[ -~\t\x1b\x7f]*")| {
            let expected: String = clean(&text).chars().map(fold).collect();
            let mut scratch = String::new();
            proptest::prop_assert_eq!(fold_shown(&text, clean, &mut scratch), expected.as_str());
        });
    }

    #[test]
    fn filters_list_the_right_entries_and_keep_the_selection() {
        let (_items, t) = sample();
        // Robot, Callee, Silence, Robot, Callee, Robot
        assert_eq!(t.entries.len(), 6);
        let mut v = TranscriptView::default();
        assert_eq!(v.len(&t), 6);
        v.selected = 4; // the callee's "September 15"
        v.set_filter(&t, Filter::Callee, false);
        assert_eq!(v.len(&t), 3);
        assert_eq!(v.selected_entry(&t), Some(4));
        v.set_filter(&t, Filter::Callee, true);
        assert_eq!(v.len(&t), 2);
        assert_eq!((0..2).map(|p| v.entry_at(p)).collect::<Vec<_>>(), [1, 4]);
        v.set_filter(&t, Filter::Robot, true);
        // Entry 4 is gone; the next robot turn is selected.
        assert_eq!(v.selected_entry(&t), Some(5));
        v.set_filter(&t, Filter::All, false);
        assert_eq!(v.len(&t), 6);
        assert_eq!(v.selected_entry(&t), Some(5));
    }

    #[test]
    fn search_is_case_insensitive_and_incremental() {
        let (items, t) = sample();
        let mut v = TranscriptView::default();
        v.search.query = "P".into();
        let hits = v.find(&t, &items);
        assert!(hits.len() >= 6);
        assert_eq!(v.last_scanned(), 6);
        v.search.query = "Pay".into();
        let hits = v.find(&t, &items);
        let rows: Vec<usize> = hits.iter().map(|h| h.row).collect();
        assert_eq!(rows, [0, 1, 3, 4, 4]);
        assert_eq!(hits.get(0).unwrap().start, "Hello, can you ".len());
        assert_eq!(hits.get(0).unwrap().len, 3);
        assert_eq!(v.last_scanned(), 4);
        // Grown query: only rows that matched before are looked at again.
        v.search.query = "pay pay".into();
        let hits = v.find(&t, &items);
        assert_eq!(v.last_scanned(), 4);
        assert_eq!(hits.iter().map(|h| h.row).collect::<Vec<_>>(), [4]);
        // A filter change forgets the incremental state; the search runs over what's listed.
        v.set_filter(&t, Filter::Robot, false);
        v.search.query = "pay".into();
        let hits = v.find(&t, &items);
        assert_eq!(hits.iter().map(|h| h.row).collect::<Vec<_>>(), [0, 3]);
    }

    #[test]
    fn cjk_search_positions_are_chars() {
        let items = vec![rec("00:00:01", "", "我跟你说我这个月真的是太难了")];
        let t = Transcript::build(&items, None);
        let mut v = TranscriptView::default();
        v.search.query = "这个月".into();
        let hits = v.find(&t, &items);
        assert_eq!(
            hits.iter().collect::<Vec<_>>(),
            [Hit {
                row: 0,
                start: 5,
                len: 3
            }]
        );
    }

    #[test]
    fn time_jumps() {
        let (_items, t) = sample();
        let v = TranscriptView::default();
        assert_eq!(parse_jump("00:20"), Some(20));
        assert_eq!(parse_jump("0:01:05"), Some(65));
        assert_eq!(parse_jump("1:2:3:4"), None);
        assert_eq!(parse_jump("soon"), None);
        assert_eq!(v.at_or_after(&t, 0), Some(0));
        assert_eq!(v.at_or_after(&t, 10), Some(3));
        assert_eq!(v.at_or_after(&t, 21), Some(5));
        assert_eq!(v.at_or_after(&t, 66), None);
    }

    #[test]
    fn watch_words_are_counted() {
        let bytes = include_bytes!("../../assets/demo/05-long-transcript.json");
        let answer = crate::api::client::interpret(crate::api::client::Exchange {
            url: String::new(),
            status: 200,
            latency: std::time::Duration::ZERO,
            body: bytes::Bytes::from_static(bytes),
            received_at: chrono::Local::now(),
        })
        .unwrap();
        let mut loaded = Loaded::new(
            answer,
            crate::app::Source::File {
                path: "05.json".into(),
            },
        );
        loaded.views.transcript.watch_words = vec!["PAYCHECK".into(), " ".into(), "lawyer".into()];
        prepare(&mut loaded);
        let counts = &loaded.views.transcript.watch_counts;
        assert_eq!(counts.len(), 2);
        assert_eq!(counts[0].0, "PAYCHECK");
        let items = &loaded.data().call.asr_result.items;
        let expected = |word: &str| -> usize {
            items
                .iter()
                .map(|i| {
                    let t = format!("{} {}", i.robottext.show(), i.text.show()).to_lowercase();
                    t.matches(word).count()
                })
                .sum()
        };
        assert!(expected("paycheck") > 3);
        assert_eq!(counts[0].1, expected("paycheck"));
        assert_eq!(counts[1], ("lawyer".into(), expected("lawyer")));
        assert_eq!(counts[1].1, 8);
    }
}
