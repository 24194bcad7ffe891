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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The query is being typed.
    pub editing: bool,
    pub query: String,
    pub hits: Vec<Hit>,
    pub current: Option<usize>,
}

/// A character folded for case-insensitive matching, always to one character.
pub fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// `s` folded character by character.
pub fn fold_str(s: &str) -> String {
    s.chars().map(fold).collect()
}

/// Character offsets of every non-overlapping occurrence of `needle` in `hay` (both folded).
pub fn find_all(hay: &str, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut char_pos = 0usize;
    let mut last_byte = 0usize;
    for (byte, _) in hay.match_indices(needle) {
        char_pos += hay[last_byte..byte].chars().count();
        out.push(char_pos);
        char_pos += needle.chars().count();
        last_byte = byte + needle.len();
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
    pub fn set_hits(&mut self, hits: Vec<Hit>, from_row: usize) {
        self.current = if hits.is_empty() {
            None
        } else {
            Some(hits.iter().position(|h| h.row >= from_row).unwrap_or(0))
        };
        self.hits = hits;
    }

    pub fn next_hit(&mut self) -> Option<Hit> {
        if self.hits.is_empty() {
            return None;
        }
        let n = self.current.map_or(0, |c| (c + 1) % self.hits.len());
        self.current = Some(n);
        Some(self.hits[n])
    }

    pub fn prev_hit(&mut self) -> Option<Hit> {
        if self.hits.is_empty() {
            return None;
        }
        let len = self.hits.len();
        let n = self.current.map_or(len - 1, |c| (c + len - 1) % len);
        self.current = Some(n);
        Some(self.hits[n])
    }

    pub fn current_hit(&self) -> Option<Hit> {
        self.current.and_then(|c| self.hits.get(c).copied())
    }

    pub fn clear(&mut self) {
        *self = Search::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            .collect();
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
