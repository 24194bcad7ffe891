//! `/` search shared by the transcript and the raw JSON: case-insensitive, incremental,
//! with a current match that `n`/`N` move with wrap-around.
//!
//! Positions are in characters of the displayed (sanitised) text: folding case maps each
//! character to exactly one character, so folded and displayed text line up.

/// One match: a row (a transcript entry or a raw line) and a character range in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub row: usize,
    pub start: usize,
    pub len: usize,
}

/// Matches in order, 8 bytes each: a one-letter query matches half a million times in a
/// long transcript. Every match of one search has the same length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    at: Vec<(u32, u32)>,
    len: u32,
}

impl Hits {
    /// No matches yet, of `len` characters each.
    pub fn new(len: usize) -> Self {
        Hits {
            at: Vec::new(),
            len: to_u32(len),
        }
    }
    /// Adds a match; rows and starts come in order.
    pub fn push(&mut self, row: usize, start: usize) {
        self.at.push((to_u32(row), to_u32(start)));
    }
    pub fn len(&self) -> usize {
        self.at.len()
    }
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
    pub fn clear(&mut self) {
        self.at = Vec::new();
    }
    pub fn get(&self, i: usize) -> Option<Hit> {
        self.at.get(i).map(|&(row, start)| self.hit(row, start))
    }
    pub fn iter(&self) -> impl Iterator<Item = Hit> + '_ {
        self.at.iter().map(|&(row, start)| self.hit(row, start))
    }
    /// The matches in `row`.
    pub fn in_row(&self, row: usize) -> impl Iterator<Item = Hit> + '_ {
        let from = self.first_from(row);
        self.at[from..]
            .iter()
            .take_while(move |h| h.0 as usize == row)
            .map(|&(row, start)| self.hit(row, start))
    }
    /// The matches in `row` that overlap its characters `from..to`, found by bisection (a
    /// long turn can hold millions of matches, of which a screen shows a few).
    pub fn in_row_within(
        &self,
        row: usize,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = Hit> + '_ {
        let key = (to_u32(row), to_u32(from.saturating_sub(self.len as usize)));
        let first = self.at.partition_point(|h| *h < key);
        self.at[first..]
            .iter()
            .take_while(move |h| h.0 as usize == row && (h.1 as usize) < to)
            .map(|&(row, start)| self.hit(row, start))
            .filter(move |h| h.start + h.len > from)
    }
    /// The index of the first match in `row` or after.
    fn first_from(&self, row: usize) -> usize {
        self.at.partition_point(|h| (h.0 as usize) < row)
    }
    fn hit(&self, row: u32, start: u32) -> Hit {
        Hit {
            row: row as usize,
            start: start as usize,
            len: self.len as usize,
        }
    }
}

impl From<Vec<Hit>> for Hits {
    fn from(hits: Vec<Hit>) -> Self {
        let mut out = Hits::new(hits.first().map_or(0, |h| h.len));
        for h in hits {
            out.push(h.row, h.start);
        }
        out
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The query is being typed.
    pub editing: bool,
    pub query: String,
    pub hits: Hits,
    pub current: Option<usize>,
}

/// Character offsets of every non-overlapping occurrence of `needle` in `hay` (both folded).
/// The bytes are searched with `memchr`'s SIMD finder; in ASCII text (most turns, and the
/// 50 MB turn a stuck ASR sends) a byte offset is the character offset, so nothing is
/// counted.
pub fn find_all(hay: &str, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let bytes = hay.as_bytes();
    let ascii = hay.is_ascii();
    let needle_chars = needle.chars().count();
    let mut out = Vec::new();
    let (mut from, mut char_pos, mut last_byte) = (0usize, 0usize, 0usize);
    while let Some(i) = finder.find(&bytes[from..]) {
        let byte = from + i;
        if ascii {
            out.push(byte);
        } else {
            // Both are UTF-8 and the needle starts on a character: so does every match.
            char_pos += hay[last_byte..byte].chars().count();
            out.push(char_pos);
            char_pos += needle_chars;
            last_byte = byte + needle.len();
        }
        from = byte + needle.len();
    }
    out
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

    /// New hits; the current one becomes the first at or after `from_row` (wrapping).
    pub fn set_hits(&mut self, hits: impl Into<Hits>, from_row: usize) {
        let hits = hits.into();
        self.current = if hits.is_empty() {
            None
        } else {
            Some(
                Some(hits.first_from(from_row))
                    .filter(|&i| i < hits.len())
                    .unwrap_or(0),
            )
        };
        self.hits = hits;
    }

    pub fn next_hit(&mut self) -> Option<Hit> {
        if self.hits.is_empty() {
            return None;
        }
        let n = self.current.map_or(0, |c| (c + 1) % self.hits.len());
        self.current = Some(n);
        self.hits.get(n)
    }

    pub fn prev_hit(&mut self) -> Option<Hit> {
        if self.hits.is_empty() {
            return None;
        }
        let len = self.hits.len();
        let n = self.current.map_or(len - 1, |c| (c + len - 1) % len);
        self.current = Some(n);
        self.hits.get(n)
    }

    pub fn current_hit(&self) -> Option<Hit> {
        self.current.and_then(|c| self.hits.get(c))
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
        assert_eq!(s.next_hit().unwrap().row, 20);
        assert_eq!(s.next_hit().unwrap().row, 0);
        assert_eq!(s.prev_hit().unwrap().row, 20);
        s.set_hits(Vec::new(), 0);
        assert_eq!(s.counter(), "0/0");
        assert_eq!(s.next_hit(), None);
    }
}
