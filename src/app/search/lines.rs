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
    const BLOCK: usize = 64 * 1024;
    let mut m = Matches::new(query);
    if m.query.is_empty() || m.query.contains('\n') {
        return m;
    }
    let mut released = 0;
    let mut rows: Box<dyn Iterator<Item = usize>> = match only {
        Some(only) => Box::new(only.iter().map(|&r| r as usize)),
        None => Box::new(0..lines.count()),
    };
    let mut cursor = lines.cursor();
    let mut block = Vec::with_capacity(BLOCK + 1024);
    let mut in_block = Vec::new();
    let mut folded = String::new();
    let query = std::mem::take(&mut m.query);
    let finder = memchr::memmem::Finder::new(query.as_bytes());
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
            release_behind(p, &mut released, at.pos);
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
            from = p + query.len();
        }
        m.add(in_block[line], on_line);
    }
    m.query = query;
    m.rows.shrink_to_fit();
    m.before.shrink_to_fit();
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
