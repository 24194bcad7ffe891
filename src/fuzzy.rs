//! Filtering a short list as you type, with `nucleo-matcher` (the matcher of helix and
//! nucleo): every word of the query must match an item's text fuzzily, with smart case
//! (a capital in the word makes it case-sensitive) and Unicode normalisation (`e` finds `é`).
//! Best match first; ties keep the order the items came in. Each hit says which bytes of its
//! text matched, so a screen can highlight them.
//!
//! Used by the `Ctrl-R` history pane; the texts given must be the texts shown, made safe.

use std::ops::Range;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use unicode_segmentation::UnicodeSegmentation;

/// Characters of a query that are matched; the rest is ignored (a paste can be anything,
/// and the matcher's work grows with the query).
pub const MAX_QUERY: usize = 200;

/// One item that matched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hit {
    /// The item's index, as given.
    pub index: usize,
    /// Byte ranges of the item's text that matched, in order, not overlapping, each on
    /// grapheme boundaries. Empty for a blank query.
    pub marks: Vec<Range<usize>>,
}

/// The items matching `query`, best first; every item, in the given order, when the query is
/// blank. `items` are `(index, item)` pairs in the order wanted on ties.
pub fn filter<T>(
    items: impl IntoIterator<Item = (usize, T)>,
    query: &str,
    text_of: impl Fn(&T) -> String,
) -> Vec<Hit> {
    let query: String = query.chars().take(MAX_QUERY).collect();
    let pattern = Pattern::new(
        &query,
        CaseMatching::Smart,
        Normalization::Smart,
        AtomKind::Fuzzy,
    );
    if pattern.atoms.is_empty() {
        return items
            .into_iter()
            .map(|(index, _)| Hit {
                index,
                marks: Vec::new(),
            })
            .collect();
    }
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut positions = Vec::new();
    let mut hits: Vec<(u32, Hit)> = items
        .into_iter()
        .filter_map(|(index, item)| {
            let text = text_of(&item);
            positions.clear();
            let score = pattern.indices(utf32(&text, &mut buf), &mut matcher, &mut positions)?;
            positions.sort_unstable();
            positions.dedup();
            let marks = byte_ranges(&text, &positions);
            Some((score, Hit { index, marks }))
        })
        .collect();
    // Stable: equal scores keep the order given.
    hits.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    hits.into_iter().map(|(_, hit)| hit).collect()
}

/// `text` for the matcher: its bytes when it is ASCII, else the first char of each grapheme
/// (what the matcher compares). Not `Utf32Str::new`: it hands over the raw bytes when every
/// grapheme starts with an ASCII char (`e` + a combining accent), and its positions are then
/// bytes, not graphemes.
fn utf32<'a>(text: &'a str, buf: &'a mut Vec<char>) -> Utf32Str<'a> {
    if text.is_ascii() {
        return Utf32Str::Ascii(text.as_bytes());
    }
    buf.clear();
    buf.extend(text.graphemes(true).filter_map(|g| g.chars().next()));
    Utf32Str::Unicode(buf)
}

/// The byte ranges of `text` at the matcher's `positions` (sorted), adjacent ones merged:
/// bytes of an ASCII text, graphemes (extended, as unicode-segmentation splits them) else.
fn byte_ranges(text: &str, positions: &[u32]) -> Vec<Range<usize>> {
    let units: Box<dyn Iterator<Item = (usize, &str)>> = if text.is_ascii() {
        Box::new((0..text.len()).map(|i| (i, &text[i..i + 1])))
    } else {
        Box::new(text.grapheme_indices(true))
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut wanted = positions.iter().peekable();
    for (n, (at, g)) in units.enumerate() {
        let Some(&&p) = wanted.peek() else { break };
        if p as usize != n {
            continue;
        }
        wanted.next();
        let r = at..at + g.len();
        match out.last_mut() {
            Some(last) if last.end == r.start => last.end = r.end,
            _ => out.push(r),
        }
    }
    out
}

/// The parts of `marks` inside `field` (a byte range of the same text), made relative to the
/// field's start: the marks of one piece of a text that was joined from several.
pub fn marks_within(marks: &[Range<usize>], field: &Range<usize>) -> Vec<Range<usize>> {
    marks
        .iter()
        .filter_map(|m| {
            let start = m.start.max(field.start);
            let end = m.end.min(field.end);
            (start < end).then(|| start - field.start..end - field.start)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(hits: &[Hit], items: &[&str]) -> Vec<String> {
        hits.iter().map(|h| items[h.index].to_string()).collect()
    }

    fn run(items: &[&str], query: &str) -> Vec<Hit> {
        filter(items.iter().copied().enumerate(), query, |s| s.to_string())
    }

    fn marked(text: &str, hit: &Hit) -> String {
        hit.marks.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn every_word_must_match_best_first() {
        let items = ["s x m x i t h", "WILL SMITH", "no record", "xx smith"];
        let hits = run(&items, "smith");
        assert_eq!(
            texts(&hits, &items)[2],
            "s x m x i t h",
            "scattered comes last"
        );
        assert_eq!(hits.len(), 3);
        assert!(run(&items, "smith qqq").is_empty());
        assert!(run(&items, "smithw").is_empty(), "order matters");
        assert_eq!(texts(&run(&items, "norec"), &items), ["no record"]);
        assert_eq!(texts(&run(&items, "record no"), &items), ["no record"]);
    }

    #[test]
    fn a_blank_query_keeps_every_item_in_order_and_ties_too() {
        let items = ["b", "a", "c"];
        let order = |hits: Vec<Hit>| hits.iter().map(|h| h.index).collect::<Vec<_>>();
        assert_eq!(order(run(&items, "  ")), [0, 1, 2]);
        let same = ["x smith", "y smith", "z smith"];
        let newest_first = filter(same.iter().enumerate().rev(), "smith", |s| s.to_string());
        assert_eq!(order(newest_first), [2, 1, 0]);
    }

    #[test]
    fn smart_case_and_normalisation() {
        let items = ["José SMITH", "jose smith"];
        assert_eq!(
            run(&items, "jose").len(),
            2,
            "lower case ignores case, é is e"
        );
        assert_eq!(texts(&run(&items, "SMITH"), &items), ["José SMITH"]);
        assert_eq!(run(&["王小明"], "王").len(), 1);
    }

    #[test]
    fn marks_are_the_matched_bytes_on_grapheme_boundaries() {
        let text = "José SMITH";
        let hit = &run(&[text], "jsm")[0];
        assert_eq!(marked(text, hit), "JSM");
        assert_eq!(hit.marks.len(), 2, "S and M merge: {:?}", hit.marks);
        // A combining accent is part of its letter: `e` + U+0301 is marked whole, and what
        // follows it is still found at the right place.
        let text = "Jose\u{301} x";
        let hit = &run(&[text], "ex")[0];
        assert_eq!(marked(text, hit), "e\u{301}x");
        assert_eq!(run(&[text], "e\u{301}").len(), 1, "the query's accent too");
        // Past the first wide characters, still on the right bytes.
        let text = "王小明 smith";
        assert_eq!(marked(text, &run(&[text], "明s")[0]), "明s");
    }

    #[test]
    fn marks_within_a_field() {
        let marks = [0..2, 4..9];
        assert_eq!(marks_within(&marks, &(3..6)), [Range { start: 1, end: 3 }]);
        assert_eq!(marks_within(&marks, &(9..12)), Vec::<Range<usize>>::new());
        assert_eq!(marks_within(&marks, &(0..12)), [0..2, 4..9]);
    }

    #[test]
    fn a_huge_query_is_cut_not_a_hang() {
        let long = "a".repeat(1 << 20);
        let items = ["a".repeat(300)];
        let hits = filter(items.iter().enumerate(), &long, |s| s.to_string());
        assert_eq!(hits.len(), 1, "the first {MAX_QUERY} characters match");
    }

    /// Text from pieces that trouble matchers: accents composed and not, wide characters,
    /// emoji with modifiers, capitals, separators, controls.
    fn tricky() -> impl proptest::strategy::Strategy<Value = String> {
        let pieces = [
            "a", "Z", "é", "e\u{301}", "王", "明", "👍🏽", "ß", " ", "-", ".", "\u{7}", "x", "İ",
        ];
        proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..40)
            .prop_map(|v| v.concat())
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #![proptest_config(crate::proptest_config::config(300))]

        #[test]
        fn marks_are_in_bounds_and_the_text_s_own_letters_find_it(
            text in tricky(),
            query in tricky(),
            pick in proptest::collection::vec(proptest::prelude::any::<bool>(), 40),
        ) {
            // Any query: no panic, marks sorted, apart, on grapheme boundaries of the text.
            for hit in run(&[&text], &query) {
                let bounds: Vec<usize> = text
                    .grapheme_indices(true)
                    .map(|(at, _)| at)
                    .chain([text.len()])
                    .collect();
                let mut last = 0;
                for m in &hit.marks {
                    proptest::prop_assert!(m.start >= last && m.start < m.end);
                    proptest::prop_assert!(bounds.contains(&m.start) && bounds.contains(&m.end));
                    last = m.end;
                }
            }
            // A query made of some of the text's own graphemes, in order, finds it.
            let own: String = text
                .graphemes(true)
                .zip(pick.iter().chain(std::iter::repeat(&false)))
                .filter(|(_, p)| **p)
                .map(|(g, _)| g)
                .collect();
            if !own.trim().is_empty() && !own.contains('\\') {
                let hits = run(&[&text], &own);
                proptest::prop_assert_eq!(hits.len(), 1, "{:?} in {:?}", own, text);
            }
        }
    }
}
