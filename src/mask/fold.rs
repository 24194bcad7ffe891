//! Names and spoken digits found inside free text. Text and names are compared on a folded
//! form (compatibility decomposition, marks dropped, lower case), so `HERNANDEZ`,
//! `hernández` and `Hernández` are one word, while the text keeps its own spelling around
//! what is masked.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::shapes::name;

/// Titles written right after a Chinese (or Korean) surname (`张先生`): the surname and
/// one of them name the person as surely as the full name.
const HONORIFICS: &[&str] = &[
    "先生", "女士", "小姐", "太太", "夫人", "老师", "师傅", "阿姨", "经理", "总", "씨", "님",
];

/// Two-character surnames: the given name starts after them.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "司徒", "慕容", "夏侯", "公孙", "尉迟",
    "长孙", "宇文", "轩辕", "端木", "南宫", "独孤",
];

/// Digits said as words, in the languages the robots speak.
const NUMBER_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "cero", "uno",
    "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "nol", "kosong", "satu",
    "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
];

/// Chinese numerals, everyday and financial forms.
const CJK_DIGITS: &str = "〇零一二三四五六七八九十两壹贰叁肆伍陆柒捌玖拾";

/// Scripts written without spaces between words: a name is looked for inside a run of
/// them, not matched as the whole run.
fn is_cjk(c: char) -> bool {
    c as u32 >= 0x2E80
}

/// NFKD can turn one char into at most 18; lower-casing each into at most 3.
const MAX_FOLDED: usize = 64;

/// The folded form of `c` into `buf`; how many chars it has. No allocation: this runs
/// for every char of every transcript turn.
fn fold_char(c: char, buf: &mut [char; MAX_FOLDED]) -> usize {
    if c.is_ascii() {
        buf[0] = c.to_ascii_lowercase();
        return 1;
    }
    let mut n = 0;
    decompose_compatible(c, |d| {
        if !is_combining_mark(d) {
            for l in d.to_lowercase() {
                if n < MAX_FOLDED {
                    buf[n] = l;
                    n += 1;
                }
            }
        }
    });
    n
}

/// The folded form of a short text (a key, a question).
pub(super) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut buf = ['\0'; MAX_FOLDED];
    for c in s.chars() {
        let n = fold_char(c, &mut buf);
        out.extend(&buf[..n]);
    }
    out
}

/// A run of letters and digits of one kind (CJK or not), folded.
#[derive(Default)]
struct Run {
    cjk: bool,
    text: String,
    chars: Vec<RunChar>,
}

/// A folded char of a run: where it is in the run's text, and the byte range of the
/// char of the source it came from.
struct RunChar {
    c: char,
    at: usize,
    from: usize,
    to: usize,
}

impl Run {
    /// The source's byte range of the run's whole text.
    fn whole(&self) -> (usize, usize) {
        (self.chars[0].from, self.chars[self.chars.len() - 1].to)
    }

    /// The source's byte range of the bytes `from..to` (not empty) of the folded text.
    fn span(&self, from: usize, to: usize) -> (usize, usize) {
        let first = self.chars.partition_point(|c| c.at <= from) - 1;
        let last = self.chars.partition_point(|c| c.at < to) - 1;
        (self.chars[first].from, self.chars[last].to)
    }

    fn push(&mut self, c: char, from: usize, to: usize) {
        self.chars.push(RunChar {
            c,
            at: self.text.len(),
            from,
            to,
        });
        self.text.push(c);
    }

    fn clear(&mut self) {
        self.text.clear();
        self.chars.clear();
    }
}

/// Calls `visit` with each run of `s`, in order. One pair of buffers per text.
fn for_each_run(s: &str, mut visit: impl FnMut(&Run)) {
    let mut run = Run::default();
    let mut buf = ['\0'; MAX_FOLDED];
    for (i, c) in s.char_indices() {
        let end = i + c.len_utf8();
        if !c.is_ascii() && is_combining_mark(c) {
            // A mark belongs to the letter before it.
            if let Some(last) = run.chars.last_mut() {
                last.to = end;
            }
            continue;
        }
        let n = fold_char(c, &mut buf);
        for &f in &buf[..n] {
            let cjk = is_cjk(f);
            if !run.chars.is_empty() && (!f.is_alphanumeric() || cjk != run.cjk) {
                visit(&run);
                run.clear();
            }
            if f.is_alphanumeric() {
                run.cjk = cjk;
                run.push(f, i, end);
            }
        }
    }
    if !run.chars.is_empty() {
        visit(&run);
    }
}

/// `s` rewritten piece by piece, left to right; allocated at the first change only.
struct Rewrite<'a> {
    s: &'a str,
    out: String,
    copied: usize,
}

impl<'a> Rewrite<'a> {
    fn new(s: &'a str) -> Self {
        Rewrite {
            s,
            out: String::new(),
            copied: 0,
        }
    }

    fn replace(&mut self, from: usize, to: usize, with: impl FnOnce(&str) -> String) {
        // Two pieces can share a source char that folded into several.
        let from = from.max(self.copied);
        if to <= from {
            return;
        }
        self.out.push_str(&self.s[self.copied..from]);
        self.out.push_str(&with(&self.s[from..to]));
        self.copied = to;
    }

    fn finish(mut self) -> Option<String> {
        if self.copied == 0 {
            return None;
        }
        self.out.push_str(&self.s[self.copied..]);
        Some(self.out)
    }
}

fn stars(s: &str) -> String {
    "*".repeat(s.chars().count())
}

/// Brackets around a note next to a name: `李娜（配偶）`, `Rosa Pérez (hermana)`.
fn without_notes(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| match c {
            '(' | '（' | '[' | '【' => {
                depth += 1;
                false
            }
            ')' | '）' | ']' | '】' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// The names of the people of a document, to hide wherever they are written.
#[derive(Debug, Clone, Default)]
pub(super) struct Names {
    /// Folded words of names written with spaces, matched as whole words.
    words: HashSet<String>,
    /// Folded CJK names, looked for anywhere in a CJK run.
    cjk: HashSet<String>,
    /// `cjk` as one automaton, longest match first: built by [`Names::finish`].
    cjk_search: Option<AhoCorasick>,
}

impl Names {
    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty() && self.cjk_search.is_none()
    }

    /// Ends the learning: the CJK names become one automaton (one pass over a run
    /// whatever the number of names).
    pub(super) fn finish(&mut self) {
        self.cjk_search = if self.cjk.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&self.cjk)
                .ok()
        };
    }

    /// Learns the words of a person's name (or of a value under a person key).
    pub(super) fn learn(&mut self, value: &str) {
        for_each_run(&without_notes(value), |run| {
            if run.cjk {
                let chars: Vec<char> = run.chars.iter().map(|c| c.c).collect();
                self.learn_cjk(&chars);
            } else if run.chars.len() >= 2 && run.text.chars().any(char::is_alphabetic) {
                self.words.insert(run.text.clone());
            }
        });
    }

    /// A CJK name: whole, its given name (two chars or more) and its surname followed by
    /// an honorific.
    fn learn_cjk(&mut self, name: &[char]) {
        let compound = name.len() >= 3
            && COMPOUND_SURNAMES
                .iter()
                .any(|s| s.chars().eq(name[..2].iter().copied()));
        let surname = &name[..if compound { 2 } else { 1 }];
        let given = &name[surname.len()..];
        if name.len() >= 2 {
            self.cjk.insert(name.iter().collect());
        }
        if given.len() >= 2 {
            self.cjk.insert(given.iter().collect());
        }
        for h in HONORIFICS {
            self.cjk
                .insert(surname.iter().copied().chain(h.chars()).collect());
        }
    }

    /// `s` with every learnt name masked as a name (`Hernández` → `H****`); `None` when
    /// none is in it.
    pub(super) fn hide(&self, s: &str) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let mut out = Rewrite::new(s);
        for_each_run(s, |run| {
            if !run.cjk {
                if self.words.contains(run.text.as_str()) {
                    let (from, to) = run.whole();
                    out.replace(from, to, name);
                }
            } else if let Some(search) = &self.cjk_search {
                for m in search.find_iter(&run.text) {
                    let (from, to) = run.span(m.start(), m.end());
                    out.replace(from, to, name);
                }
            }
        });
        out.finish()
    }
}

/// `s` with its digits hidden, written (`3218`, `３２１８`, `三二一八`) or spoken as words
/// (`tres dos`); `None` when it has none.
pub(super) fn hide_digits(s: &str) -> Option<String> {
    let mut out = Rewrite::new(s);
    for_each_run(s, |run| {
        if !run.cjk && NUMBER_WORDS.contains(&run.text.as_str()) {
            let (from, to) = run.whole();
            out.replace(from, to, stars);
            return;
        }
        for c in &run.chars {
            if c.c.is_ascii_digit() || CJK_DIGITS.contains(c.c) {
                out.replace(c.from, c.to, stars);
            }
        }
    });
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Names {
        let mut n = Names::default();
        list.iter().for_each(|s| n.learn(s));
        n.finish();
        n
    }

    #[test]
    fn folding_drops_case_accents_and_width() {
        assert_eq!(fold("Hernández ÓRTEGA"), "hernandez ortega");
        assert_eq!(fold("Ｌｕｉｓ"), "luis");
        assert_eq!(fold("身份证"), "身份证");
    }

    #[test]
    fn a_name_in_any_case_and_accent() {
        let n = names(&["LUIS FERNANDO HERNANDEZ ORTEGA"]);
        assert_eq!(
            n.hide("señor Hernández, hernández y HERNÁNDEZ").as_deref(),
            Some("señor H****, h**** y H****")
        );
        // Decomposed accents (NFD) are one letter with the letter before them.
        assert_eq!(
            n.hide("Sr. Herna\u{301}ndez.").as_deref(),
            Some("Sr. H****.")
        );
        assert_eq!(
            n.hide("L. F. hernández O.").as_deref(),
            Some("L. F. h**** O.")
        );
        // Whole words only.
        assert_eq!(n.hide("Luisa y Fernandito"), None);
        assert_eq!(n.hide("nothing here"), None);
    }

    #[test]
    fn two_letter_words_and_notes() {
        let n = names(&["Rosa María Hernández (hermana)", "Ng Li"]);
        assert_eq!(n.hide("maria y ROSA").as_deref(), Some("m**** y R****"));
        assert_eq!(n.hide("ng").as_deref(), Some("n****"));
        // The note in brackets is not a name.
        assert_eq!(n.hide("mi hermana"), None);
    }

    #[test]
    fn chinese_names_whole_given_and_with_an_honorific() {
        let n = names(&["张伟", "李娜（配偶）", "欧阳小明"]);
        assert_eq!(
            n.hide("您好，请问是张伟先生吗？").as_deref(),
            Some("您好，请问是张****先生吗？")
        );
        assert_eq!(n.hide("张先生您好").as_deref(), Some("张****您好"));
        assert_eq!(n.hide("李女士和李娜").as_deref(), Some("李****和李****"));
        assert_eq!(
            n.hide("小明来了，欧阳老师").as_deref(),
            Some("小****来了，欧****")
        );
        // The surname alone, or with a word that is no title, stays.
        assert_eq!(n.hide("张家界的李子"), None);
        assert_eq!(n.hide("配偶"), None);
    }

    #[test]
    fn many_names_and_a_long_run_cost_one_pass() {
        // 2,000 names with one surname, 100,000 matches in one run: one automaton pass
        // and a binary search per match, not a scan per name or per match.
        let mut n = Names::default();
        for i in 0..2000 {
            let c = char::from_u32(0x4E00 + i).unwrap();
            n.learn(&format!("张{c}{c}"));
        }
        n.finish();
        let text = "张先生".repeat(100_000);
        assert_eq!(n.hide(&text).unwrap(), "张****".repeat(100_000));
    }

    #[test]
    fn digits_written_and_spoken() {
        assert_eq!(hide_digits("三二一八。").as_deref(), Some("****。"));
        assert_eq!(hide_digits("es 3218, ok").as_deref(), Some("es ****, ok"));
        assert_eq!(hide_digits("３２１８").as_deref(), Some("****"));
        assert_eq!(
            hide_digits("tres dos uno ocho").as_deref(),
            Some("**** *** *** ****")
        );
        assert_eq!(hide_digits("HEOL890821").as_deref(), Some("HEOL******"));
        assert_eq!(hide_digits("no la tengo"), None);
    }

    proptest::proptest! {
        #![proptest_config(crate::proptest_config::config(500))]

        #[test]
        fn any_text_masks_without_panic_and_keeps_no_learnt_word(
            learnt in proptest::collection::vec(
                "[a-zA-ZáéñÁÉÑ张李伟娜 ]{0,12}|\\PC{0,12}", 0..4),
            text in "[a-zA-ZáéñÁÉÑ张李伟娜先生 ,.\u{301}0-9３三二]{0,60}|\\PC{0,60}",
        ) {
            let n = names(&learnt.iter().map(String::as_str).collect::<Vec<_>>());
            let out = n.hide(&text).unwrap_or_else(|| text.clone());
            for_each_run(&out, |run| {
                assert!(run.cjk || !n.words.contains(&run.text), "{text:?} → {out:?}");
            });
            let digits = hide_digits(&text).unwrap_or_else(|| text.clone());
            proptest::prop_assert!(!digits.chars().any(|c| c.is_ascii_digit()), "{:?}", digits);
        }
    }
}
