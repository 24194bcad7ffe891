//! Transcript view state and the review logic behind it, with no terminal in it: the speaker
//! filter and the list of entries it shows, the selection and the entry-anchored scroll
//! position, case-folded incremental search, watch-word counts, the
//! promise-to-pay (`asr_ptp`) detection, and the `:` time prompt.
//!
//! Positions (`selected`, `top`) count entries in the filtered list; search hits and the
//! promise-to-pay mark name entries of the whole transcript (`Transcript::entries`).

use crate::api::model::AsrItem;
use crate::app::Loaded;
use crate::app::search::{Hits, Search, find_all, fold, fold_str};
use crate::case::time::{clock, parse_date};
use crate::case::transcript::{Entry, Speaker, Transcript, text};
use crate::text::clean;

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

/// The call's promise to pay and the turn that mentions it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ptp {
    /// `asr_ptp` as sent, made safe.
    pub value: String,
    /// The entry that mentions it, when one does.
    pub entry: Option<usize>,
    /// That entry mentions the amount / the date.
    pub amount: bool,
    pub date: bool,
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
    view.watch_counts.clear();
    let words: Vec<String> = view
        .watch_words
        .iter()
        .map(|w| crate::text::one_line(w))
        .filter(|w| !w.is_empty())
        .collect();
    if !words.is_empty() {
        let needles: Vec<String> = words.iter().map(|w| fold_str(w)).collect();
        let mut counts = vec![0; words.len()];
        let mut scratch = String::new();
        for e in &t.entries {
            let hay = shown_folded(text(e, items), &mut scratch);
            for (n, needle) in counts.iter_mut().zip(&needles) {
                *n += find_all(hay, needle).len();
            }
        }
        view.watch_counts = words.into_iter().zip(counts).collect();
    }
    let ptp = answer.data().call.asr_ptp.value().map(str::trim);
    view.ptp = ptp
        .filter(|p| !p.is_empty())
        .map(|p| find_ptp(p, &t.entries, items));
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
    /// since the last call, only the entries that matched before are looked at again.
    pub fn find(&mut self, t: &Transcript, items: &[AsrItem]) -> Hits {
        let query = fold_str(&self.search.query);
        if query.is_empty() {
            self.last_search = None;
            return Hits::default();
        }
        let candidates: Option<Vec<u32>> = self
            .last_search
            .take()
            .filter(|(q, _)| query.starts_with(q.as_str()))
            .map(|(_, rows)| rows);
        let mut hits = Hits::new(query.chars().count());
        let mut rows = Vec::new();
        let mut scratch = String::new();
        let mut check = |e: usize| {
            let Some(entry) = t.entries.get(e) else {
                return;
            };
            let found = find_all(shown_folded(text(entry, items), &mut scratch), &query);
            if !found.is_empty() {
                rows.push(e as u32);
                found.into_iter().for_each(|start| hits.push(e, start));
            }
        };
        let scanned = match candidates {
            Some(rows) => {
                rows.iter().for_each(|&e| check(e as usize));
                rows.len()
            }
            None => {
                (0..self.len(t)).for_each(|p| check(self.entry_at(p)));
                self.len(t)
            }
        };
        self.scanned = scanned;
        self.last_search = Some((query, rows));
        hits
    }

    /// The first listed entry at or after `secs` into the call.
    pub fn at_or_after(&self, t: &Transcript, secs: u32) -> Option<usize> {
        (0..self.len(t)).find(|&p| t.entries[self.entry_at(p)].at().is_some_and(|a| a >= secs))
    }
}

/// `text` as a turn shows it (cleaned), folded for search, in `scratch`. Folding as we go
/// rather than keeping a folded copy of every turn: a copy costs as much memory as the
/// transcript itself, and printable ASCII (most turns) folds at memory speed.
fn shown_folded<'a>(text: &str, scratch: &'a mut String) -> &'a str {
    scratch.clear();
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        // `clean` leaves printable ASCII as it is, and `fold` lowercases it.
        scratch.push_str(text);
        scratch.make_ascii_lowercase();
    } else {
        scratch.extend(clean(text).chars().map(fold));
    }
    scratch
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

/// `mm:ss Speaker: text` or `mm:ss (silence mm:ss)`, one line, made safe.
pub fn plain_line(e: &Entry, items: &[AsrItem]) -> String {
    let at = e.at().map(clock).unwrap_or_else(|| "--:--".into());
    match e {
        Entry::Turn { speaker, .. } => {
            format!(
                "{at} {}: {}",
                speaker.name(),
                crate::text::one_line(text(e, items))
            )
        }
        Entry::Silence { secs: Some(s), .. } => format!("{at} (silence {})", clock(*s)),
        Entry::Silence { secs: None, .. } => format!("{at} (silence)"),
    }
}

// ---------------------------------------------------------------------------------------
// Promise to pay

/// What to look for in the turns: spellings of the promised date and amount, folded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PtpNeedles {
    pub dates: Vec<String>,
    pub amounts: Vec<String>,
}

const MONTHS: [[&str; 3]; 12] = [
    ["january", "januari", "enero"],
    ["february", "februari", "febrero"],
    ["march", "maret", "marzo"],
    ["april", "april", "abril"],
    ["may", "mei", "mayo"],
    ["june", "juni", "junio"],
    ["july", "juli", "julio"],
    ["august", "agustus", "agosto"],
    ["september", "september", "septiembre"],
    ["october", "oktober", "octubre"],
    ["november", "november", "noviembre"],
    ["december", "desember", "diciembre"],
];

fn ordinal(d: u32) -> &'static str {
    match (d % 10, d % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

const CN_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Chinese numerals for `n` below 100,000,000 (`10860` → `一万零八百六十`).
pub fn cn_number(n: u64) -> String {
    fn below_10000(n: u64, leading: bool, out: &mut String) {
        let mut zero = false;
        for (unit, div) in [("千", 1000), ("百", 100), ("十", 10), ("", 1)] {
            let d = (n / div % 10) as usize;
            if d == 0 {
                zero = !out.is_empty();
                continue;
            }
            if zero {
                out.push('零');
                zero = false;
            }
            if !(d == 1 && div == 10 && leading && out.is_empty()) {
                out.push(CN_DIGITS[d]);
            }
            out.push_str(unit);
        }
    }
    if n == 0 {
        return "零".into();
    }
    let mut out = String::new();
    let (wan, rest) = (n / 10_000, n % 10_000);
    if wan > 0 {
        below_10000(wan, true, &mut out);
        out.push('万');
        if rest > 0 && rest < 1000 {
            out.push('零');
        }
    }
    if rest > 0 {
        let mut tail = String::new();
        below_10000(rest, wan == 0, &mut tail);
        out.push_str(&tail);
    }
    out
}

/// `15000` → `15,000` with `sep` between groups of three digits.
fn group(int: &str, sep: char) -> String {
    let n = int.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// The integer and fraction digits of an amount token (`$1,500.00`, `1.500`, `650`).
fn parse_amount(token: &str) -> Option<(String, String)> {
    let core: String = token
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .collect::<String>()
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .to_string();
    if core.is_empty()
        || !core
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    // The last separator is a decimal point unless exactly three digits follow it.
    let (int, frac) = match core.rfind([',', '.']) {
        Some(i) if core.len() - i - 1 != 3 => (&core[..i], &core[i + 1..]),
        _ => (core.as_str(), ""),
    };
    let int: String = int.chars().filter(char::is_ascii_digit).collect();
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Some((int.to_string(), frac.to_string()))
}

/// Spellings to look for: `2024-09-15 650` gives `2024-09-15`, `september 15`, `15/09`,
/// `9月15日`, …, and `650`, `650.00`, `6,500`-style groupings, Chinese numerals.
pub fn ptp_needles(value: &str) -> PtpNeedles {
    let mut out = PtpNeedles::default();
    for token in value.split(|c: char| c.is_whitespace() || c == ';' || c == '|') {
        if token.is_empty() || token.contains(':') {
            continue;
        }
        if (token.contains(['-', '/']) || (token.len() == 8 && token.starts_with("20")))
            && let Some(d) = parse_date(token)
        {
            out.dates.extend(date_needles(d));
            continue;
        }
        if let Some((int, frac)) = parse_amount(token) {
            if int == "0" && frac.trim_matches('0').is_empty() {
                continue;
            }
            out.amounts.extend(amount_needles(&int, &frac));
        }
    }
    out.dates.dedup();
    out.amounts.dedup();
    out
}

fn date_needles(d: chrono::NaiveDate) -> Vec<String> {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    let mut v = vec![
        format!("{y}-{m:02}-{day:02}"),
        format!("{y}/{m:02}/{day:02}"),
        format!("{y}/{m}/{day}"),
        format!("{day:02}/{m:02}/{y}"),
        format!("{m:02}/{day:02}/{y}"),
        format!("{day:02}.{m:02}.{y}"),
        format!("{day:02}-{m:02}-{y}"),
        format!("{day}/{m}"),
        format!("{m}/{day}"),
        format!("{day:02}/{m:02}"),
        format!("{m:02}/{day:02}"),
    ];
    let names = &MONTHS[(m - 1) as usize];
    let en = names[0];
    let mut spellings: Vec<&str> = names.to_vec();
    if en.len() > 3 {
        spellings.push(&en[..3]);
    }
    if m == 9 {
        spellings.push("sept");
    }
    spellings.dedup();
    for name in spellings {
        let suf = ordinal(day);
        v.extend([
            format!("{name} {day}"),
            format!("{day} {name}"),
            format!("{day} de {name}"),
            format!("{day}{suf} {name}"),
            format!("{day}{suf} of {name}"),
        ]);
    }
    let (cm, cd) = (cn_number(m as u64), cn_number(day as u64));
    for (mm, dd) in [(m.to_string(), day.to_string()), (cm, cd)] {
        for end in ["日", "号", "號"] {
            v.push(format!("{mm}月{dd}{end}"));
        }
    }
    v.sort();
    v.dedup();
    v
}

fn amount_needles(int: &str, frac: &str) -> Vec<String> {
    let whole = frac.is_empty() || frac.chars().all(|c| c == '0');
    let ints = [
        int.to_string(),
        group(int, ','),
        group(int, '.'),
        group(int, ' '),
    ];
    let mut v = Vec::new();
    for (i, s) in ints.iter().enumerate() {
        if whole {
            v.push(s.clone());
            // `650` does not match `650.00` (a digit follows the point), so spell it out.
            let point = if i == 2 { ',' } else { '.' };
            v.push(format!("{s}{point}00"));
        } else {
            v.push(format!("{s}.{frac}"));
            v.push(format!("{s},{frac}"));
        }
    }
    if whole
        && let Ok(n) = int.parse::<u64>()
        && n < 100_000_000
    {
        let cn = cn_number(n);
        for lead in ["二万", "二千", "二百"] {
            if let Some(rest) = cn.strip_prefix(lead) {
                let two = lead.replacen('二', "两", 1);
                v.push(format!("{two}{rest}"));
            }
        }
        v.push(cn);
        if n >= 1000 && n.is_multiple_of(1000) && n < 10_000 {
            v.push(format!("{}千", n / 1000));
        }
        if n >= 10_000 && n.is_multiple_of(10_000) {
            v.push(format!("{}万", n / 10_000));
        }
    }
    v.sort();
    v.dedup();
    v
}

fn is_cn_numeral(c: char) -> bool {
    "零〇一二两三四五六七八九十百千万亿".contains(c)
}

fn digitish(c: char) -> bool {
    c.is_ascii_digit() || is_cn_numeral(c)
}

/// Whether `needle` (folded) occurs in `hay` (folded) as a whole number or word: no digit
/// (or group separator and digit) runs on before or after it, no letter before a word.
pub fn mentions(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let starts_alpha = needle.starts_with(|c: char| c.is_ascii_alphabetic());
    let ends_alpha = needle.ends_with(|c: char| c.is_ascii_alphabetic());
    hay.match_indices(needle).any(|(i, _)| {
        let mut before = hay[..i].chars().rev();
        let b1 = before.next();
        let b2 = before.next();
        let mut after = hay[i + needle.len()..].chars();
        let a1 = after.next();
        let a2 = after.next();
        let before_ok = match b1 {
            None => true,
            Some(c) if digitish(c) => false,
            Some('.' | ',') => !b2.is_some_and(|c| c.is_ascii_digit()),
            Some(c) if starts_alpha => !c.is_alphanumeric(),
            Some(_) => true,
        };
        let after_ok = match a1 {
            None => true,
            Some(c) if digitish(c) => false,
            Some('.' | ',') => !a2.is_some_and(|c| c.is_ascii_digit()),
            Some(c) if ends_alpha => !c.is_alphanumeric(),
            Some(_) => true,
        };
        before_ok && after_ok
    })
}

/// Finds the turn that mentions the promise: one naming both amount and date before one
/// naming either, the callee before the robot, the earliest first.
pub fn find_ptp(value: &str, entries: &[Entry], items: &[AsrItem]) -> Ptp {
    let needles = ptp_needles(value);
    // Every spelling of a date or an amount has a digit or a Chinese numeral, and neither
    // cleaning nor folding adds or removes one: turns without any are skipped unread, so a
    // transcript of 100,000 turns is not folded and searched ~60 times a turn.
    let anchored = needles
        .amounts
        .iter()
        .chain(&needles.dates)
        .all(|n| n.chars().any(digitish));
    let mut best: Option<(u8, usize, bool, bool)> = None;
    for (i, e) in entries.iter().enumerate() {
        let Entry::Turn { speaker, .. } = e else {
            continue;
        };
        let raw = text(e, items);
        if anchored
            && !raw.bytes().any(|b| b.is_ascii_digit())
            && (raw.is_ascii() || !raw.chars().any(is_cn_numeral))
        {
            continue;
        }
        let hay: String = clean(raw).chars().map(fold).collect();
        let amount = needles.amounts.iter().any(|n| mentions(&hay, n));
        let date = needles.dates.iter().any(|n| mentions(&hay, n));
        if !amount && !date {
            continue;
        }
        let callee = *speaker == Speaker::Callee;
        let score = (amount && date) as u8 * 2 + callee as u8;
        if best.is_none_or(|(s, ..)| score > s) {
            best = Some((score, i, amount, date));
            if score == 3 {
                break;
            }
        }
    }
    Ptp {
        value: crate::text::one_line(value),
        entry: best.map(|b| b.1),
        amount: best.is_some_and(|b| b.2),
        date: best.is_some_and(|b| b.3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tolerant::Scalar;
    use crate::app::search::Hit;

    fn rec(time: &str, robot: &str, callee: &str) -> AsrItem {
        AsrItem {
            time: Scalar::from(time),
            robottext: Scalar::from(robot),
            text: Scalar::from(callee),
            ..AsrItem::default()
        }
    }

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
            assert_eq!(shown_folded(text, &mut scratch), expected, "{text:?}");
        }
        proptest::proptest!(crate::proptest_config::config(256), |(text in "\\PC*|[ -~\t\x1b\x7f]*")| {
            let expected: String = clean(&text).chars().map(fold).collect();
            let mut scratch = String::new();
            proptest::prop_assert_eq!(shown_folded(&text, &mut scratch), expected.as_str());
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
            transcript_scan: None,
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

    #[test]
    fn ptp_needles_cover_the_usual_spellings() {
        let n = ptp_needles("2024-09-15 650");
        for d in [
            "2024-09-15",
            "september 15",
            "sept 15",
            "sep 15",
            "15 september",
            "15th of september",
            "15/09",
            "9/15",
            "9月15日",
            "九月十五号",
            "15 de septiembre",
        ] {
            assert!(n.dates.contains(&d.to_string()), "{d} in {:?}", n.dates);
        }
        for a in ["650", "650.00"] {
            assert!(n.amounts.contains(&a.to_string()), "{a}");
        }
        let n = ptp_needles("2024-05-20 15000");
        for a in ["15000", "15,000", "15.000", "15 000", "一万五千"] {
            assert!(n.amounts.contains(&a.to_string()), "{a} in {:?}", n.amounts);
        }
        let n = ptp_needles("2024-06-05 2000");
        assert!(n.amounts.contains(&"两千".to_string()));
        assert!(n.dates.contains(&"六月五号".to_string()));
        let n = ptp_needles("2024-01-02 $1,250.50");
        assert!(
            n.amounts.contains(&"1,250.50".to_string()),
            "{:?}",
            n.amounts
        );
        assert!(n.amounts.contains(&"1250.50".to_string()));
        assert_eq!(ptp_needles(""), PtpNeedles::default());
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(cn_number(2000), "二千");
        assert_eq!(cn_number(10860), "一万零八百六十");
        assert_eq!(cn_number(15), "十五");
        assert_eq!(cn_number(650), "六百五十");
        assert_eq!(cn_number(15000), "一万五千");
        assert_eq!(cn_number(100_500), "十万零五百");
        assert_eq!(cn_number(31), "三十一");
    }

    #[test]
    fn mentions_respects_number_boundaries() {
        assert!(mentions("i can do $650 on september 15.", "650"));
        assert!(mentions("i can do $650 on september 15th", "september 15"));
        assert!(!mentions("rent is $1,650 a month", "650"));
        assert!(!mentions("about 6500", "650"));
        assert!(!mentions("about 650.50", "650"));
        assert!(mentions("about 650.00", "650.00"));
        assert!(mentions("650, then more", "650"));
        assert!(!mentions("september 150", "september 15"));
        assert!(!mentions("xsep 15", "sep 15"));
        assert!(mentions("六月五号我先还两千吧。", "两千"));
        assert!(!mentions("两千五", "两千"));
    }

    #[test]
    fn ptp_prefers_a_callee_turn_naming_both() {
        let items = vec![
            rec("00:00:01", "Can you pay 650 on September 15?", ""),
            rec("00:00:05", "", "Around the 15th"),
            rec("00:00:09", "", "Maybe 650"),
            rec("00:00:12", "", "OK, $650 on Sept 15th."),
        ];
        let t = Transcript::build(&items, None);
        let p = find_ptp("2024-09-15 650", &t.entries, &items);
        assert_eq!((p.entry, p.amount, p.date), (Some(3), true, true));
        // Only the robot names both: that beats a callee turn naming one.
        let p = find_ptp("2024-09-15 650", &t.entries[..3], &items);
        assert_eq!((p.entry, p.amount, p.date), (Some(0), true, true));
        let p = find_ptp("2024-10-01 999", &t.entries, &items);
        assert_eq!(p.entry, None);
    }

    #[test]
    fn plain_lines() {
        let (items, t) = sample();
        assert_eq!(
            plain_line(&t.entries[1], &items),
            "00:05 Callee: I will pay 650 dollars"
        );
        assert_eq!(plain_line(&t.entries[2], &items), "00:09 (silence 00:15)");
    }
}
