//! The search over the raw JSON's lines (the pretty form, printed from the answer's bytes
//! as they are read): counts per line, a mapped body's pages handed back as it goes.

use super::{Hit, Matches, Search, fold_into};
use crate::json::lines::{Lines, release_behind};

/// [`find_releasing`] of a body in memory.
#[cfg(test)]
pub(crate) fn find(lines: Lines, query: String, only: Option<&[u32]>) -> Matches {
    find_releasing(lines, query, only, None)
}

/// Every match of the folded `query` on the lines, or only on `only` (the lines of a
/// shorter query this one starts with), counted per line. Lines are searched some 64 KiB at
/// a time, joined with line breaks, which no query matches (a query with one finds
/// nothing); a mapped body's pages are handed back as the lines are read.
pub(crate) fn find_releasing(
    lines: Lines,
    query: String,
    only: Option<&[u32]>,
    pages: Option<&crate::mapped::Pages>,
) -> Matches {
    let mut m = Matches::new(query);
    if m.query.is_empty() || m.query.contains('\n') {
        return m;
    }
    let query = std::mem::take(&mut m.query);
    let finder = memchr::memmem::Finder::new(query.as_bytes());
    let n = lines.count();
    let mut found = match only {
        Some(only) => scan(
            lines,
            &finder,
            only.iter().map(|&r| r as usize),
            pages,
            true,
        ),
        // Every line of a long text: two halves at once (the screen waits for the search).
        None if n >= PARALLEL_FROM => {
            let mid = n / 2;
            std::thread::scope(|threads| {
                let second = threads.spawn(|| scan(lines, &finder, mid..n, pages, false));
                let mut first = scan(lines, &finder, 0..mid, pages, true);
                match second.join() {
                    Ok(second) => first.append(second),
                    Err(_) => first = scan(lines, &finder, 0..n, pages, true),
                }
                first
            })
        }
        None => scan(lines, &finder, 0..n, pages, true),
    };
    found.query = query;
    found.chars = m.chars;
    found.rows.shrink_to_fit();
    found.before.shrink_to_fit();
    found
}

/// From this many lines, the raw JSON is searched in two halves at once.
const PARALLEL_FROM: usize = 200_000;

/// The matches of `finder` on `rows`, counted per line, some 64 KiB of lines at a time; a
/// mapped body's pages behind the lines read are handed back (from the first line's, when
/// `from_start`; else from the end of the first block, the part before being another's).
fn scan(
    lines: Lines,
    finder: &memchr::memmem::Finder,
    rows: impl Iterator<Item = usize>,
    pages: Option<&crate::mapped::Pages>,
    from_start: bool,
) -> Matches {
    const BLOCK: usize = 64 * 1024;
    let mut m = Matches::default();
    let needle_len = finder.needle().len();
    let mut rows = rows;
    let mut released = from_start.then_some(0);
    let mut cursor = lines.cursor();
    let mut block = Vec::with_capacity(BLOCK + 1024);
    let mut in_block = Vec::new();
    let mut folded = String::new();
    loop {
        block.clear();
        in_block.clear();
        while block.len() < BLOCK
            && let Some(row) = rows.next()
        {
            cursor.append(row, &mut block);
            block.push(b'\n');
            in_block.push(row);
        }
        if in_block.is_empty() {
            break;
        }
        if let (Some(p), Some(at)) = (pages, cursor.at) {
            match &mut released {
                Some(released) => release_behind(p, released, at.pos),
                None => released = Some(at.pos),
            }
        }
        fold_into(&String::from_utf8_lossy(&block), &mut folded);
        let bytes = folded.as_bytes();
        // Matches come in order: walk the lines along with them (each ends with a `\n`).
        let next_end = |from: usize| from + memchr::memchr(b'\n', &bytes[from..]).unwrap_or(0);
        let (mut line, mut line_end, mut on_line) = (0usize, next_end(0), 0usize);
        let mut from = 0;
        while let Some(i) = finder.find(&bytes[from..]) {
            let p = from + i;
            if p > line_end {
                m.add(in_block[line], on_line);
                on_line = 0;
                while p > line_end {
                    line += 1;
                    line_end = next_end(line_end + 1);
                }
            }
            on_line += 1;
            from = p + needle_len;
        }
        m.add(in_block[line], on_line);
    }
    m
}

/// The current match of `search` (counted only), found again on its line.
pub(crate) fn current_hit(search: &Search, lines: Lines) -> Option<Hit> {
    let (row, k) = search.current_at()?;
    search
        .hits
        .on_line(row, &lines.line(row))
        .into_iter()
        .nth(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::lines::RawText;

    #[test]
    fn a_long_text_searched_in_two_halves_finds_what_one_pass_finds() {
        // 300,000 lines: `{`, then one `"k…": "…"` pair a line, `}`.
        let mut body = String::from("{");
        for i in 0..300_000 {
            let v = if i % 7 == 0 { "Pay now" } else { "no" };
            body.push_str(&format!(
                "{}\"k{i}\": \"{v} {i}\"",
                if i == 0 { "" } else { "," }
            ));
        }
        body.push('}');
        let raw = RawText::build(body.as_bytes());
        let lines = Lines::new(&raw, body.as_bytes());
        assert!(lines.count() >= PARALLEL_FROM, "{}", lines.count());
        let halves = find(lines, "pay".into(), None);
        let one = scan(
            lines,
            &memchr::memmem::Finder::new(b"pay"),
            0..lines.count(),
            None,
            true,
        );
        assert_eq!(halves.len(), 300_000usize.div_ceil(7));
        assert_eq!(halves.rows(), one.rows());
        assert_eq!(halves.len(), one.len());
        assert_eq!(halves.before, one.before);
        assert_eq!(halves.query(), "pay");
        // A query over both halves' boundary line counts once.
        let mid = find(lines, "k150000\"".into(), None);
        assert_eq!(mid.len(), 1);
    }
}
