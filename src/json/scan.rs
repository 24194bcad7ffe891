//! Where the transcript lies in a JSON text, found without parsing it: a scan of the text's
//! structure 64 bytes at a time (the string/escape bitmask method of simdjson's first
//! stage), with the widest vectors the CPU has ([`super::simd`]). It looks for arrays that are the value of a key named
//! `asr_result` and keeps the largest. The result is a hint: [`crate::api::model`] checks a
//! document read without that span puts it exactly where `call.asr_result` goes, and reads
//! the whole text the usual way otherwise.
//!
//! Only `[` and `]` outside strings are counted: in valid JSON they pair up among
//! themselves; in invalid JSON the hint is wrong and the checks after it say so.
//!
//! Why a scan of its own rather than a parser's events: it runs at 14 GiB/s (17.7 MB in
//! 1.2 ms), so the head of a big push is read at once after its last byte; it keeps a few
//! words of state whatever the body's size, and never allocates.

use std::ops::Range;

use super::simd::{self, AVX2, AVX512, PORTABLE, SSE2, eq_masks, prefix_xor};

const KEY: &[u8] = b"\"asr_result\"";
/// The redials' key (`call.redial_call`), the other list a big push is made of.
pub(crate) const REDIALS_KEY: &[u8] = b"\"redial_call\"";
/// How far ahead the key is searched for at once.
const WINDOW: usize = 1 << 16;

/// A scan under way over a text for the list under one key (the transcript's,
/// [`ListScan::transcript`], or another, [`ListScan::for_key`]), block by block: fed the
/// text as it grows ([`ListScan::feed`]), finished once it is whole.
#[derive(Debug, Clone)]
pub(crate) struct ListScan {
    /// The key, quoted.
    key: &'static [u8],
    /// Bytes scanned: whole blocks only, until [`ListScan::finish`].
    pos: usize,
    strings: Strings,
    state: State,
    /// The next place the key's bytes occur, not yet reached; searched up to `searched`.
    next_key: Option<usize>,
    searched: usize,
    best: Option<Range<usize>>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Looking,
    /// The key ended at this offset: its value may be an array.
    AfterKey(usize),
    /// In such an array since `start`, `depth` brackets deep.
    InArray { start: usize, depth: u32 },
}

impl ListScan {
    /// A scan for the transcript (`call.asr_result`).
    pub(crate) fn transcript() -> Self {
        Self::for_key(KEY)
    }

    /// A scan for arrays that are the value of `key` (quoted, as `"redial_call"`).
    pub(crate) fn for_key(key: &'static [u8]) -> Self {
        ListScan {
            key,
            pos: 0,
            strings: Strings::default(),
            state: State::default(),
            next_key: None,
            searched: 0,
            best: None,
        }
    }

    /// Scans the whole blocks of `text` (the text so far; it may grow, never change) not
    /// scanned yet, short of its last bytes: a key that begins in a block must be there
    /// whole to be seen.
    pub(crate) fn feed(&mut self, text: &[u8]) {
        self.advance_to(text, text.len().saturating_sub(self.key.len() - 1));
    }

    /// Where the array the scan is in began (its `[`), while the text fed so far ends inside
    /// one that is the value of the key.
    pub(crate) fn inside(&self) -> Option<usize> {
        match self.state {
            State::InArray { start, .. } => Some(start),
            _ => None,
        }
    }

    fn advance_to(&mut self, text: &[u8], end: usize) {
        match simd::width() {
            // SAFETY: `width` found the CPU has each entry point's features.
            #[cfg(target_arch = "x86_64")]
            AVX512 => unsafe { self.advance_avx512(text, end) },
            #[cfg(target_arch = "x86_64")]
            AVX2 => unsafe { self.advance_avx2(text, end) },
            SSE2 => self.advance_at::<SSE2>(text, end),
            _ => self.advance_at::<PORTABLE>(text, end),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,pclmulqdq")]
    fn advance_avx512(&mut self, text: &[u8], end: usize) {
        self.advance_at::<AVX512>(text, end)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,pclmulqdq")]
    fn advance_avx2(&mut self, text: &[u8], end: usize) {
        self.advance_at::<AVX2>(text, end)
    }

    #[inline(always)]
    fn advance_at<const W: u8>(&mut self, text: &[u8], end: usize) {
        while self.pos + 64 <= end {
            let block: &[u8; 64] = text[self.pos..self.pos + 64].try_into().expect("64 bytes");
            self.block::<W>(text, block);
            self.pos += 64;
        }
    }

    /// Scans the rest of the complete `text`: the largest array that is the value of an
    /// `asr_result` key, if any was closed.
    pub(crate) fn finish(mut self, text: &[u8]) -> Option<Range<usize>> {
        self.advance_to(text, text.len());
        if let Some(rest) = text.get(self.pos..).filter(|r| !r.is_empty()) {
            self.block::<SSE2>(text, &padded(rest));
        }
        self.best
    }

    #[inline(always)]
    fn block<const W: u8>(&mut self, text: &[u8], block: &[u8; 64]) {
        let [quote, backslash, open, close] = eq_masks::<W, 4>(block, [b'"', b'\\', b'[', b']']);
        let (quotes, inside) = self.strings.step::<W>(quote, backslash);
        let brackets = (open | close) & !inside;
        // Opening quotes (ones that start a string) where the key's bytes begin.
        let opening_keys = |scan: &mut Self| scan.keys_at(text) & quotes & inside;
        let mut keys = match self.state {
            State::InArray { .. } => 0,
            _ => opening_keys(self),
        };
        let mut events = brackets | keys;
        while events != 0 {
            let i = events.trailing_zeros() as usize;
            events &= events - 1;
            let at = self.pos + i;
            let bit = 1u64 << i;
            self.state = match self.state {
                _ if keys & bit != 0 => State::AfterKey(at + self.key.len()),
                State::Looking => State::Looking,
                State::AfterKey(from) if open & bit != 0 && is_colon(&text[from..at]) => {
                    State::InArray {
                        start: at,
                        depth: 1,
                    }
                }
                State::AfterKey(_) => State::Looking,
                State::InArray { start, depth } if open & bit != 0 => State::InArray {
                    start,
                    depth: depth + 1,
                },
                State::InArray { start, depth: 1 } => {
                    let span = start..at + 1;
                    if self.best.as_ref().is_none_or(|b| span.len() > b.len()) {
                        self.best = Some(span);
                    }
                    // Keys after the array, in the rest of this block.
                    let after = !((bit << 1).wrapping_sub(1));
                    keys = (keys | opening_keys(self)) & after;
                    events |= keys;
                    State::Looking
                }
                State::InArray { start, depth } => State::InArray {
                    start,
                    depth: depth - 1,
                },
            };
            if matches!(self.state, State::InArray { .. }) {
                // Keys inside the array do not count; nor do the rest of this block's.
                events &= !keys;
            }
        }
    }

    /// Bits of this block where the key's bytes begin (whatever the string state).
    fn keys_at(&mut self, text: &[u8]) -> u64 {
        let (lo, hi) = (self.pos, self.pos + 64);
        let mut bits = 0;
        loop {
            let k = match self.next_key {
                // Passed over (inside an array): look again from here.
                Some(k) if k < lo => {
                    self.next_key = None;
                    self.searched = lo;
                    continue;
                }
                Some(k) => k,
                None => {
                    // A window at a time: after a key comes its value, likely a long array
                    // in which keys do not count, so searching on to the end would be waste.
                    let from = self.searched.max(lo);
                    let to = text.len().min(from.max(hi) + WINDOW);
                    match text
                        .get(from..to)
                        .and_then(|t| memchr::memmem::find(t, self.key))
                    {
                        Some(i) => {
                            self.next_key = Some(from + i);
                            continue;
                        }
                        None => {
                            // A key cut at the end of the window is found on a later search.
                            self.searched = to.saturating_sub(self.key.len() - 1).max(from);
                            if self.searched >= hi || to == text.len() {
                                break;
                            }
                            continue;
                        }
                    }
                }
            };
            if k >= hi {
                break;
            }
            bits |= 1 << (k - lo);
            self.next_key = None;
            self.searched = k + 1;
        }
        bits
    }
}

/// Whitespace, one `:`, whitespace: what lies between a key and its value.
fn is_colon(between: &[u8]) -> bool {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut rest = between.iter().skip_while(|b| ws(b));
    rest.next() == Some(&b':') && rest.all(ws)
}

/// Which bytes of each block lie inside strings, carried from one block to the next.
#[derive(Debug, Default, Clone)]
struct Strings {
    /// All ones when the last block ended inside a string.
    inside: u64,
    /// 1 when the last block ended in an odd run of backslashes.
    escape_carry: u64,
}

impl Strings {
    /// The next block's quotes that are not escaped, and its bytes inside strings, from its
    /// `"` and `\` bits.
    #[inline(always)]
    fn step<const W: u8>(&mut self, quote: u64, backslash: u64) -> (u64, u64) {
        let quotes = quote & !escaped(backslash, &mut self.escape_carry);
        let inside = prefix_xor::<W>(quotes) ^ self.inside;
        self.inside = ((inside as i64) >> 63) as u64;
        (quotes, inside)
    }
}

/// The last bytes of a text as a block, padded with spaces (which change nothing).
fn padded(rest: &[u8]) -> [u8; 64] {
    let mut block = [b' '; 64];
    block[..rest.len()].copy_from_slice(rest);
    block
}

/// How deep objects and arrays nest at the deepest point of `text[range]`, counted from
/// the top of `text`. serde_json refuses a document that nests 128 deep; a list read on its
/// own starts from the top again, so a caller compares this with the limit. `passed(n)` is
/// told every MiB that the first `n` bytes are scanned (a mapped file's pages can go).
pub(crate) fn deepest_in(text: &[u8], range: Range<usize>, mut passed: impl FnMut(usize)) -> usize {
    match simd::width() {
        // SAFETY: `width` found the CPU has each entry point's features.
        #[cfg(target_arch = "x86_64")]
        AVX512 => unsafe { deepest_avx512(text, range, &mut passed) },
        #[cfg(target_arch = "x86_64")]
        AVX2 => unsafe { deepest_avx2(text, range, &mut passed) },
        SSE2 => deepest_at::<SSE2>(text, range, &mut passed),
        _ => deepest_at::<PORTABLE>(text, range, &mut passed),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,pclmulqdq")]
fn deepest_avx512(text: &[u8], range: Range<usize>, passed: &mut dyn FnMut(usize)) -> usize {
    deepest_at::<AVX512>(text, range, passed)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,pclmulqdq")]
fn deepest_avx2(text: &[u8], range: Range<usize>, passed: &mut dyn FnMut(usize)) -> usize {
    deepest_at::<AVX2>(text, range, passed)
}

#[inline(always)]
fn deepest_at<const W: u8>(
    text: &[u8],
    range: Range<usize>,
    passed: &mut dyn FnMut(usize),
) -> usize {
    const STEP: usize = 1 << 20;
    let end = range.end.min(text.len());
    let mut strings = Strings::default();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut pos = 0;
    while pos < end {
        let block: [u8; 64] = match text[..end].get(pos..pos + 64) {
            Some(b) => b.try_into().expect("64 bytes"),
            None => padded(&text[pos..end]),
        };
        let [quote, backslash, open_a, open_o, close_a, close_o] =
            eq_masks::<W, 6>(&block, [b'"', b'\\', b'[', b'{', b']', b'}']);
        let (_, inside) = strings.step::<W>(quote, backslash);
        let opens = (open_a | open_o) & !inside;
        let mut events = (opens | close_a | close_o) & !inside;
        while events != 0 {
            let i = events.trailing_zeros() as usize;
            events &= events - 1;
            if opens & (1 << i) != 0 {
                depth += 1;
                if pos + i >= range.start {
                    deepest = deepest.max(depth);
                }
            } else {
                depth = depth.saturating_sub(1);
            }
        }
        pos += 64;
        if pos.is_multiple_of(STEP) {
            passed(pos);
        }
    }
    passed(end);
    deepest
}

/// The bytes escaped by a backslash: each one after an odd run of backslashes. `carry` is 1
/// when the previous block ended in such a run, and is set for the next.
#[inline(always)]
fn escaped(backslash: u64, carry: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    const ODD: u64 = !EVEN;
    let starts = backslash & !(backslash << 1);
    let even_start_mask = EVEN ^ *carry;
    let even_starts = starts & even_start_mask;
    let odd_starts = starts & !even_start_mask;
    let even_carries = backslash.wrapping_add(even_starts);
    let (odd_carries, overflow) = backslash.overflowing_add(odd_starts);
    let odd_carries = odd_carries | *carry;
    *carry = u64::from(overflow);
    let even_start_odd_end = even_carries & !backslash & ODD;
    let odd_start_even_end = odd_carries & !backslash & EVEN;
    even_start_odd_end | odd_start_even_end
}

/// The same scan over a whole text at once.
pub fn transcript_span(text: &[u8]) -> Option<Range<usize>> {
    ListScan::transcript().finish(text)
}

/// The largest array that is the value of `key` (quoted) in `text`, by the same scan.
pub(crate) fn span_of(text: &[u8], key: &'static [u8]) -> Option<Range<usize>> {
    ListScan::for_key(key).finish(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same question answered a byte at a time, plainly.
    fn slow(text: &[u8]) -> Option<Range<usize>> {
        let (mut in_str, mut esc) = (false, false);
        let mut state = State::Looking;
        let mut best: Option<Range<usize>> = None;
        for (i, &b) in text.iter().enumerate() {
            // A backslash escapes the next byte wherever it is (outside strings only in
            // broken JSON, where any answer will do as long as both scans give it).
            let escaped = esc;
            esc = b == b'\\' && !escaped;
            if in_str {
                if b == b'"' && !escaped {
                    in_str = false;
                }
                continue;
            }
            match b {
                b'"' if !escaped => {
                    in_str = true;
                    if !matches!(state, State::InArray { .. }) && text[i..].starts_with(KEY) {
                        state = State::AfterKey(i + KEY.len());
                    }
                }
                b'[' => {
                    state = match state {
                        State::AfterKey(from) if is_colon(&text[from..i]) => {
                            State::InArray { start: i, depth: 1 }
                        }
                        State::InArray { start, depth } => State::InArray {
                            start,
                            depth: depth + 1,
                        },
                        _ => State::Looking,
                    }
                }
                b']' => {
                    state = match state {
                        State::InArray { start, depth: 1 } => {
                            if best.as_ref().is_none_or(|b| i + 1 - start > b.len()) {
                                best = Some(start..i + 1);
                            }
                            State::Looking
                        }
                        State::InArray { start, depth } => State::InArray {
                            start,
                            depth: depth - 1,
                        },
                        _ => State::Looking,
                    }
                }
                _ => {}
            }
        }
        best
    }

    /// The span, found alike with the kernels of every width this CPU has.
    fn every_way(text: &[u8]) -> Option<Range<usize>> {
        let whole = transcript_span(text);
        for w in widths() {
            assert_eq!(at_width(text, w), whole, "at width {w}");
        }
        // Fed as it arrives, in pieces of every sort of size, then finished.
        for step in [1, 5, 11, 12, 63, 64, 65, 200] {
            let mut scan = ListScan::transcript();
            for end in (step..text.len()).step_by(step) {
                scan.feed(&text[..end]);
            }
            assert_eq!(scan.finish(text), whole, "fed {step} bytes at a time");
        }
        whole
    }

    /// Every width this CPU runs.
    fn widths() -> Vec<u8> {
        [PORTABLE, SSE2, AVX2, AVX512]
            .into_iter()
            .filter(|&w| w <= simd::width() || (w == SSE2 && cfg!(target_arch = "x86_64")))
            .collect()
    }

    /// The scan with the kernels of width `w`, which the CPU must have.
    fn at_width(text: &[u8], w: u8) -> Option<Range<usize>> {
        let mut scan = ListScan::transcript();
        let end = text.len().saturating_sub(KEY.len() - 1);
        match w {
            // SAFETY: only widths the CPU has are asked for (`widths`).
            #[cfg(target_arch = "x86_64")]
            AVX512 => unsafe { scan.advance_avx512(text, end) },
            #[cfg(target_arch = "x86_64")]
            AVX2 => unsafe { scan.advance_avx2(text, end) },
            #[cfg(target_arch = "x86_64")]
            SSE2 => scan.advance_at::<SSE2>(text, end),
            _ => scan.advance_at::<PORTABLE>(text, end),
        }
        scan.finish(text)
    }

    #[test]
    fn finds_the_transcript_of_a_push() {
        let text = br#"{"data": {"call": {"x": [1, [2]], "asr_result": [{"text": "a ] \" [ b"}, []] , "y": 1}}}"#;
        let span = every_way(text).unwrap();
        assert_eq!(&text[span], br#"[{"text": "a ] \" [ b"}, []]"#);
    }

    #[test]
    fn the_largest_of_several_wins_and_values_that_are_not_arrays_do_not_count() {
        let text = br#"{"asr_result": "[x]", "a": [1,2,3], "asr_result" : 
 [1], "b": {"asr_result":[1, 2, 3]}, "asr_result": {"k": [1,2,3,4,5]}}"#;
        let span = every_way(text).unwrap();
        assert_eq!(&text[span], b"[1, 2, 3]");
    }

    #[test]
    fn keys_inside_strings_or_escaped_are_not_keys() {
        let text = br#"{"s": "\"asr_result\": [1, 2]", "t": "x\\", "asr_result": [9]}"#;
        assert_eq!(&text[every_way(text).unwrap()], b"[9]");
        let text = br#"{"s": "asr_result", "asr_result2": [1, 2, 3]}"#;
        assert_eq!(every_way(text), None);
    }

    #[test]
    fn a_scan_fed_part_of_a_text_says_which_array_it_is_in() {
        let text = crate::generate::push(2000, 5, 3, 7);
        let text = text.as_bytes();
        let whole = every_way(text).unwrap();
        let mut scan = ListScan::transcript();
        scan.feed(&text[..whole.start]);
        assert_eq!(scan.inside(), None, "not there yet");
        scan.feed(&text[..whole.start + 4096]);
        assert_eq!(scan.inside(), Some(whole.start), "in the transcript");
        scan.feed(text);
        assert_eq!(scan.inside(), None, "past it");
    }

    #[test]
    fn an_unclosed_array_is_no_answer() {
        assert_eq!(every_way(br#"{"asr_result": [[1], 2"#), None);
        assert_eq!(every_way(b""), None);
    }

    #[test]
    fn blocks_and_the_byte_at_a_time_scan_agree_on_generated_pushes() {
        for (turns, seed) in [(0, 1), (3, 2), (500, 3)] {
            let text = crate::generate::push(turns, 5, 3, seed);
            let text = text.as_bytes();
            let span = every_way(text);
            assert_eq!(span, slow(text));
            let value: serde_json::Value = serde_json::from_slice(text).unwrap();
            let asr = &value["data"]["call"]["asr_result"];
            let found: serde_json::Value = serde_json::from_slice(&text[span.unwrap()]).unwrap();
            assert_eq!(&found, asr);
        }
    }

    #[test]
    fn escapes_across_block_edges() {
        // Runs of backslashes of every length ending at every place around a block edge.
        for run in 0..6 {
            for at in 50..70 {
                let mut text = br#"{"a": ""#.to_vec();
                text.resize(at, b'x');
                text.extend(std::iter::repeat_n(b'\\', run));
                if run % 2 == 1 {
                    text.push(b'"'); // escaped: still in the string
                }
                text.extend_from_slice(br#"", "asr_result": [1, "]"]}"#);
                assert_eq!(every_way(&text), slow(&text), "run {run} at {at}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::proptest_config::config(400))]

        /// Any text made of the pieces that matter finds, at every width, what the
        /// byte-at-a-time scan finds.
        #[test]
        fn any_text_scans_as_byte_at_a_time(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\"asr_result\"", ":", " ", "\n", "[", "]", "\"", "\\", "\\\\",
                    "{", "}", ",", "a", "\"x\"", "asr_result", "\"asr_result\": [",
                    "                                                               ",
                ]),
                0..400,
            ),
        ) {
            let text = parts.concat();
            let text = text.as_bytes();
            proptest::prop_assert_eq!(every_way(text), slow(text));
        }
    }

    #[test]
    fn every_width_counts_nesting_alike() {
        let text = br#"{"a": [1, {"b": "[[{{"}], "c": [[[]]], "d": "\"]"}"#.repeat(40);
        let want = deepest_at::<PORTABLE>(&text, 0..text.len(), &mut |_| ());
        assert_eq!(want, 4);
        for w in widths() {
            let got = match w {
                // SAFETY: only widths the CPU has are asked for (`widths`).
                #[cfg(target_arch = "x86_64")]
                AVX512 => unsafe { deepest_avx512(&text, 0..text.len(), &mut |_| ()) },
                #[cfg(target_arch = "x86_64")]
                AVX2 => unsafe { deepest_avx2(&text, 0..text.len(), &mut |_| ()) },
                _ => deepest_at::<SSE2>(&text, 0..text.len(), &mut |_| ()),
            };
            assert_eq!(got, want, "at width {w}");
        }
    }

    #[test]
    fn nesting_is_counted_from_the_top_outside_strings() {
        let text = br#"{"a": [1, {"b": "[[{{"}], "c": [[[]]], "d": "\"]"}"#;
        assert_eq!(deepest_in(text, 0..text.len(), |_| ()), 4);
        let c = text.windows(4).position(|w| w == b"[[[]").unwrap();
        assert_eq!(deepest_in(text, c..c + 6, |_| ()), 4);
        let a = text.windows(3).position(|w| w == b"[1,").unwrap();
        assert_eq!(deepest_in(text, a..a + 3, |_| ()), 2);
        // Deep enough to cross block edges.
        let deep = format!("{}{}", "[".repeat(150), "]".repeat(150));
        assert_eq!(deepest_in(deep.as_bytes(), 100..200, |_| ()), 150);
        assert_eq!(deepest_in(deep.as_bytes(), 0..10, |_| ()), 10);
    }
}
