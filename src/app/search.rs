//! `/` search, one engine for the transcript and the raw JSON: case-insensitive,
//! incremental, with a current match that `n`/`N` move with wrap-around, and a `k/N` count.
//!
//! Positions are in characters of the displayed (sanitised) text: folding case maps each
//! character to exactly one character, so folded and displayed text line up. Text is found
//! with `memchr`'s SIMD finder ([`find_all`]); the matches of a query are kept per row
//! ([`Matches`]): the transcript keeps where each is, the raw JSON only how many each line
//! holds (a one-letter query over a big answer matches tens of millions of times) and finds
//! them again on the lines drawn ([`Matches::on_line`]). [`lines`] searches the raw JSON's
//! lines block by block, handing a mapped body's pages back as it goes.

use std::fmt;

use crate::text::fold;

pub mod lines;

/// One match: a row (a transcript entry or a raw line) and a character range in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub row: usize,
    pub start: usize,
    pub len: usize,
}

/// The matches of one query, in order: the rows with any and how many come before each (so
/// the count and `n`/`N` need nothing more), and, when kept, where each starts (4 bytes a
/// match). Matches on a row do not overlap and all have the query's length.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Matches {
    /// The folded query; empty for none.
    query: String,
    /// Its length in characters.
    chars: usize,
    /// Rows with a match, in order.
    rows: Vec<u32>,
    /// Matches on the rows before each of `rows`.
    before: Vec<u32>,
    total: usize,
    /// Each match's first character, when kept ([`Matches::push`]); empty when only counted
    /// ([`Matches::add`]).
    starts: Vec<u32>,
}

impl fmt::Debug for Matches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matches")
            .field("query", &self.query)
            .field("rows", &self.rows.len())
            .field("total", &self.total)
            .field("kept", &!self.starts.is_empty())
            .finish()
    }
}

impl Matches {
    /// No matches yet of `query` (folded).
    pub fn new(query: String) -> Self {
        Matches {
            chars: query.chars().count(),
            query,
            ..Matches::default()
        }
    }

    /// Adds a match at character `start` of `row`, kept; rows and starts come in order.
    pub fn push(&mut self, row: usize, start: usize) {
        self.add(row, 1);
        self.starts.push(to_u32(start));
    }

    /// Counts `n` matches on `row` (rows come in order), without their places.
    pub fn add(&mut self, row: usize, n: usize) {
        if n == 0 {
            return;
        }
        if self.rows.last() != Some(&to_u32(row)) {
            self.rows.push(to_u32(row));
            self.before.push(to_u32(self.total));
        }
        self.total += n;
    }

    /// `later`'s matches after these (found on the rows after).
    pub(crate) fn append(&mut self, later: Matches) {
        let base = to_u32(self.total);
        self.rows.extend_from_slice(&later.rows);
        self.before
            .extend(later.before.iter().map(|&b| b.saturating_add(base)));
        self.total += later.total;
        self.starts.extend_from_slice(&later.starts);
    }

    /// The folded query these are for.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// How many matches in all.
    pub fn len(&self) -> usize {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub fn clear(&mut self) {
        *self = Matches::default();
    }

    /// The rows with a match, in order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// The indexes of the matches on the row at `i` in `rows`.
    fn on(&self, i: usize) -> std::ops::Range<usize> {
        let next = self.before.get(i + 1).map_or(self.total, |&b| b as usize);
        self.before[i] as usize..next
    }

    /// The index of the first match on row `row` or after it.
    fn first_from(&self, row: usize) -> Option<usize> {
        let i = self.rows.partition_point(|&r| (r as usize) < row);
        self.before.get(i).map(|&b| b as usize)
    }

    /// The row of match `index`, and which match on that row it is.
    fn locate(&self, index: usize) -> Option<(usize, usize)> {
        if index >= self.total {
            return None;
        }
        let i = self.before.partition_point(|&b| b as usize <= index) - 1;
        Some((self.rows[i] as usize, index - self.before[i] as usize))
    }

    /// Match `index`, when places are kept.
    pub fn get(&self, index: usize) -> Option<Hit> {
        let start = *self.starts.get(index)?;
        let (row, _) = self.locate(index)?;
        Some(self.hit(row, start))
    }

    /// Every match, when places are kept.
    pub fn iter(&self) -> impl Iterator<Item = Hit> + '_ {
        self.rows.iter().enumerate().flat_map(move |(i, &row)| {
            let starts = self.starts.get(self.on(i)).unwrap_or_default();
            starts.iter().map(move |&s| self.hit(row as usize, s))
        })
    }

    /// The kept matches in `row` that overlap its characters `from..to`, found by
    /// bisection (a long turn can hold millions of matches, of which a screen shows a few).
    pub fn in_row_within(
        &self,
        row: usize,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = Hit> + '_ {
        let starts = match self.rows.binary_search(&to_u32(row)) {
            Ok(i) => self.starts.get(self.on(i)).unwrap_or_default(),
            Err(_) => &[],
        };
        let first = starts.partition_point(|&s| (s as usize) < from.saturating_sub(self.chars));
        starts[first..]
            .iter()
            .take_while(move |&&s| (s as usize) < to)
            .map(move |&s| self.hit(row, s))
            .filter(move |h| h.start + h.len > from)
    }

    /// The matches on `line`, the text of row `row` as shown: found again, for matches
    /// that were only counted.
    pub fn on_line(&self, row: usize, line: &str) -> Vec<Hit> {
        let mut folded = String::new();
        fold_into(line, &mut folded);
        find_all(&folded, &self.query)
            .into_iter()
            .map(|start| Hit {
                row,
                start,
                len: self.chars,
            })
            .collect()
    }

    fn hit(&self, row: usize, start: u32) -> Hit {
        Hit {
            row,
            start: start as usize,
            len: self.chars,
        }
    }
}

impl From<Vec<Hit>> for Matches {
    fn from(hits: Vec<Hit>) -> Self {
        let mut out = Matches {
            chars: hits.first().map_or(0, |h| h.len),
            ..Matches::default()
        };
        for h in hits {
            out.push(h.row, h.start);
        }
        out
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A tab's search: the query as typed, its matches, and the current one (an index in all
/// of them, so `n`/`N` and the count are the same for both tabs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The query is being typed.
    pub editing: bool,
    pub query: String,
    pub hits: Matches,
    pub current: Option<usize>,
}

/// `s` folded into `out` (replacing what it held), character by character so that
/// character positions match; ASCII at memory speed.
pub fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.extend(s.chars().map(fold));
    }
}

/// `text` as shown, folded, in `scratch`: printable ASCII (most turns) shows as it is and
/// folds by lowering its letters; anything else is made safe to show (`show`) first. Folding
/// as a search goes rather than keeping a folded copy of every turn: a copy costs as much
/// memory as the transcript itself.
pub fn fold_shown<'a, 's>(
    text: &'a str,
    show: impl FnOnce(&'a str) -> std::borrow::Cow<'a, str>,
    scratch: &'s mut String,
) -> &'s str {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        scratch.clear();
        scratch.push_str(text);
        scratch.make_ascii_lowercase();
    } else {
        fold_into(&show(text), scratch);
    }
    scratch
}

/// A query made ready once for many texts (the SIMD finder of its folded form): a search
/// over a million turns builds it once, not once a turn.
pub struct Finder {
    folded: memchr::memmem::Finder<'static>,
    chars: usize,
    len: usize,
}

impl Finder {
    /// `needle` folded (as [`fold_into`] folds), not empty.
    pub fn new(needle: &str) -> Finder {
        Finder {
            folded: memchr::memmem::Finder::new(needle.as_bytes()).into_owned(),
            chars: needle.chars().count(),
            len: needle.len(),
        }
    }

    /// Character offsets of the matches in `text` as shown (see [`fold_shown`]).
    pub fn find_shown<'a>(
        &self,
        text: &'a str,
        show: impl FnOnce(&'a str) -> std::borrow::Cow<'a, str>,
        scratch: &mut String,
    ) -> Vec<usize> {
        self.find_folded(fold_shown(text, show, scratch))
    }

    /// Character offsets of the matches in `hay`, already folded.
    pub fn find_folded(&self, hay: &str) -> Vec<usize> {
        let bytes = hay.as_bytes();
        let ascii = hay.is_ascii();
        let mut out = Vec::new();
        let (mut from, mut char_pos, mut last_byte) = (0usize, 0usize, 0usize);
        while let Some(i) = self.folded.find(&bytes[from..]) {
            let byte = from + i;
            if ascii {
                out.push(byte);
            } else {
                // Both are UTF-8 and the needle starts on a character: so does every match.
                char_pos += hay[last_byte..byte].chars().count();
                out.push(char_pos);
                char_pos += self.chars;
                last_byte = byte + self.len;
            }
            from = byte + self.len;
        }
        out
    }
}

/// Character offsets of every non-overlapping occurrence of `needle` in `hay` (both folded).
/// The bytes are searched with `memchr`'s SIMD finder; in ASCII text (most turns, and the
/// 50 MB turn a stuck ASR sends) a byte offset is the character offset, so nothing is
/// counted.
pub fn find_all(hay: &str, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    Finder::new(needle).find_folded(hay)
}

impl Search {
    pub fn is_active(&self) -> bool {
        !self.query.is_empty()
    }

    /// `3/17`, `0/0`.
    pub fn counter(&self) -> String {
        match self.current {
            Some(c) => format!("{}/{}", c + 1, self.hits.len()),
            None => format!("0/{}", self.hits.len()),
        }
    }

    /// New matches; the current one becomes the first at or after `from_row` (wrapping).
    pub fn set_hits(&mut self, hits: impl Into<Matches>, from_row: usize) {
        self.hits = hits.into();
        self.current = (!self.hits.is_empty()).then(|| self.hits.first_from(from_row).unwrap_or(0));
    }

    /// `n`/`N`: the next or previous match, wrapping around; false when there is none.
    pub fn step(&mut self, forward: bool) -> bool {
        let len = self.hits.len();
        if len == 0 {
            return false;
        }
        self.current = Some(match (self.current, forward) {
            (Some(c), true) => (c + 1) % len,
            (Some(c), false) => (c + len - 1) % len,
            (None, true) => 0,
            (None, false) => len - 1,
        });
        true
    }

    /// The current match, when places are kept.
    pub fn current_hit(&self) -> Option<Hit> {
        self.current.and_then(|c| self.hits.get(c))
    }

    /// The row of the current match, and which match on that row it is.
    pub fn current_at(&self) -> Option<(usize, usize)> {
        self.current.and_then(|c| self.hits.locate(c))
    }

    /// The row of the current match.
    pub fn current_row(&self) -> Option<usize> {
        self.current_at().map(|(row, _)| row)
    }

    pub fn clear(&mut self) {
        *self = Search::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold_str;

    #[test]
    fn find_all_is_the_old_char_by_char_search() {
        fn old(hay: &str, needle: &str) -> Vec<usize> {
            let mut out = Vec::new();
            let (mut char_pos, mut last_byte) = (0, 0);
            for (byte, _) in hay.match_indices(needle) {
                char_pos += hay[last_byte..byte].chars().count();
                out.push(char_pos);
                char_pos += needle.chars().count();
                last_byte = byte + needle.len();
            }
            out
        }
        proptest::proptest!(crate::proptest_config::config(256), |(
            hay in "[aé你b ]{0,60}",
            needle in "[aé你b]{1,3}",
        )| {
            proptest::prop_assert_eq!(find_all(&hay, &needle), old(&hay, &needle));
        });
        assert_eq!(find_all("aaaa", "aa"), [0, 2]);
        assert_eq!(find_all("你好你好", "好"), [1, 3]);
    }

    #[test]
    fn folding_keeps_char_count() {
        for s in [
            "HALO Ünïcode",
            "İstanbul",
            "ΣΊΣΥΦΟΣ",
            "你好 WORLD 👋🏽",
            "Kelvin K",
        ] {
            assert_eq!(fold_str(s).chars().count(), s.chars().count(), "{s}");
            let mut folded = String::new();
            fold_into(s, &mut folded);
            assert_eq!(folded, fold_str(s));
        }
        assert_eq!(fold_str("HaLo"), "halo");
    }

    #[test]
    fn finds_in_char_offsets() {
        let hay = fold_str("你好 Halo, halo HALO");
        assert_eq!(find_all(&hay, "halo"), vec![3, 9, 14]);
        assert_eq!(find_all(&hay, ""), Vec::<usize>::new());
        assert_eq!(find_all("aaaa", "aa"), vec![0, 2]);
    }

    #[test]
    fn next_and_prev_wrap() {
        let mut s = Search::default();
        let hits = (0..3)
            .map(|r| Hit {
                row: r * 10,
                start: 0,
                len: 1,
            })
            .collect::<Vec<_>>();
        s.set_hits(hits, 5);
        assert_eq!(s.counter(), "2/3");
        assert!(s.step(true));
        assert_eq!(s.current_hit().unwrap().row, 20);
        assert!(s.step(true));
        assert_eq!(s.current_hit().unwrap().row, 0);
        assert!(s.step(false));
        assert_eq!(s.current_hit().unwrap().row, 20);
        s.set_hits(Vec::new(), 0);
        assert_eq!(s.counter(), "0/0");
        assert!(!s.step(true));
        assert_eq!(s.current_hit(), None);
    }

    /// Kept places and counts only walk the same: `n` from the first visits each match of
    /// each row in order, and the row and rank of the current one agree with its place.
    #[test]
    fn kept_and_counted_matches_step_alike() {
        proptest::proptest!(crate::proptest_config::config(256), |(
            per_row in proptest::collection::vec(0usize..4, 0..12),
            from in 0usize..14,
        )| {
            let (mut kept, mut counted) = (Matches::new("ab".into()), Matches::new("ab".into()));
            let mut all = Vec::new();
            for (row, &n) in per_row.iter().enumerate() {
                for k in 0..n {
                    kept.push(row, 3 * k);
                    all.push((row, k));
                }
                counted.add(row, n);
            }
            proptest::prop_assert_eq!(kept.rows(), counted.rows());
            proptest::prop_assert_eq!(kept.len(), all.len());
            let (mut a, mut b) = (Search::default(), Search::default());
            a.set_hits(kept, from);
            b.set_hits(counted, from);
            proptest::prop_assert_eq!(a.counter(), b.counter());
            let first = all.iter().position(|&(row, _)| row >= from)
                .or((!all.is_empty()).then_some(0));
            proptest::prop_assert_eq!(a.current, first);
            for forward in [true, true, false, true, false, false] {
                proptest::prop_assert_eq!(a.step(forward), b.step(forward));
                proptest::prop_assert_eq!(a.counter(), b.counter());
                proptest::prop_assert_eq!(a.current_at(), b.current_at());
                let expected = a.current.map(|c| all[c]);
                proptest::prop_assert_eq!(a.current_at(), expected);
                let hit = a.current_hit().map(|h| (h.row, h.start / 3));
                proptest::prop_assert_eq!(hit, expected);
                proptest::prop_assert_eq!(b.current_hit(), None);
            }
        });
    }

    #[test]
    fn matches_in_a_window_of_a_row() {
        let mut m = Matches::new("ab".into());
        for (row, start) in [(1, 0), (1, 5), (1, 9), (4, 2)] {
            m.push(row, start);
        }
        let starts = |row, from, to| {
            m.in_row_within(row, from, to)
                .map(|h| h.start)
                .collect::<Vec<_>>()
        };
        assert_eq!(starts(1, 0, 100), [0, 5, 9]);
        // Overlapping the window's edges counts; touching does not.
        assert_eq!(starts(1, 1, 6), [0, 5]);
        assert_eq!(starts(1, 2, 5), Vec::<usize>::new());
        assert_eq!(starts(4, 0, 3), [2]);
        assert_eq!(starts(2, 0, 100), Vec::<usize>::new());
        assert_eq!(m.on_line(7, "xABxab"), m.on_line(7, "xabxAB"));
        assert_eq!(m.on_line(7, "你ab")[0].start, 1);
    }

    #[test]
    fn the_case_blind_finder_finds_what_folding_finds() {
        proptest::proptest!(crate::proptest_config::config(256), |(
            hay in "[aAbB é\u{1b}Ä]{0,40}",
            needle in "[aAbB ]{1,3}",
        )| {
            let folded = fold_str(&needle);
            let finder = Finder::new(&folded);
            let mut scratch = String::new();
            let shown = crate::text::clean(&hay).into_owned();
            let expected = find_all(&fold_str(&shown), &folded);
            let got = finder.find_shown(&hay, crate::text::clean, &mut scratch);
            proptest::prop_assert_eq!(got, expected);
        });
        let f = Finder::new("aa");
        let mut scratch = String::new();
        assert_eq!(
            f.find_shown("AaAa", crate::text::clean, &mut scratch),
            [0, 2]
        );
    }
}
