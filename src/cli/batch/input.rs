//! Reading the cases: the CSV's header and rows, each row with its line number and either a
//! query or why it cannot be sent; and which rows an earlier output already answered.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use crate::api::{ApiError, Query};

/// One data row of the CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1 for the first row under the header.
    pub row: u64,
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    /// The recognised columns as given (trimmed).
    pub input: Map<String, Value>,
    /// The query, or why the row cannot be sent.
    pub case: Result<Query, String>,
}

/// Why the cases could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvError {
    /// The header lacks required columns (a usage error).
    Header(String),
    /// The file could not be read.
    Io(String),
}

const COLUMNS: [&str; 4] = ["workflow_id", "node_id", "callee", "case_id"];

/// A header name as matched: trimmed, no BOM, lower case, `-` and spaces as `_`.
fn column_name(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .trim()
        .to_ascii_lowercase()
        .replace(['-', ' '], "_")
}

/// Reads the cases. Blank lines are skipped; every other record is a row.
pub fn read_cases(bytes: &[u8]) -> Result<Vec<Row>, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header = reader.byte_headers().map_err(|e| match e.kind() {
        csv::ErrorKind::Io(io) => CsvError::Io(io.to_string()),
        _ => CsvError::Header(format!("the header cannot be read: {e}")),
    })?;
    let names: Vec<String> = header
        .iter()
        .map(|h| column_name(&String::from_utf8_lossy(h)))
        .collect();
    let width = names.len();
    // Where each known column is (the first of duplicates).
    let mut at: [Option<usize>; 4] = [None; 4];
    for (slot, col) in at.iter_mut().zip(COLUMNS) {
        *slot = names.iter().position(|n| n == col);
    }
    let missing: Vec<&str> = COLUMNS[..3]
        .iter()
        .zip(at)
        .filter(|(_, a)| a.is_none())
        .map(|(c, _)| *c)
        .collect();
    if !missing.is_empty() {
        return Err(CsvError::Header(format!(
            "the header has no {} column{} (it needs workflow_id, node_id and callee; case_id is optional)",
            missing.join(", "),
            if missing.len() == 1 { "" } else { "s" }
        )));
    }

    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut n = 0u64;
    // The reader's own line count misses blank lines: count from the byte offsets.
    let mut lines = LineCounter::new(bytes);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                n += 1;
                let line = record.position().map_or(0, |p| lines.at(p.byte()));
                rows.push(row_of(n, line, &record, &at, width));
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(io) => return Err(CsvError::Io(io.to_string())),
                _ => {
                    n += 1;
                    let line = e.position().map_or(0, |p| lines.at(p.byte()));
                    rows.push(Row {
                        row: n,
                        line,
                        input: Map::new(),
                        case: Err(crate::text::one_line(&e.to_string())),
                    });
                }
            },
        }
    }
    Ok(rows)
}

/// Line numbers (from 1) of byte offsets that only grow.
struct LineCounter<'a> {
    bytes: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            byte: 0,
            line: 1,
        }
    }

    fn at(&mut self, byte: u64) -> u64 {
        let mut to = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        // A record after blank lines "starts" at the first of them.
        while self
            .bytes
            .get(to)
            .is_some_and(|b| matches!(b, b'\n' | b'\r'))
        {
            to += 1;
        }
        if to > self.byte {
            self.line += self.bytes[self.byte..to]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.byte = to;
        }
        self.line
    }
}

fn row_of(
    n: u64,
    line: u64,
    record: &csv::ByteRecord,
    at: &[Option<usize>; 4],
    width: usize,
) -> Row {
    let mut input = Map::new();
    let mut problems = Vec::new();
    let mut values: [Option<String>; 4] = Default::default();
    for ((col, idx), value) in COLUMNS.iter().zip(at).zip(values.iter_mut()) {
        let Some(field) = idx.and_then(|i| record.get(i)) else {
            continue;
        };
        match std::str::from_utf8(field) {
            Ok(s) => {
                input.insert((*col).to_string(), Value::String(s.to_string()));
                *value = Some(s.to_string());
            }
            Err(_) => problems.push(format!("{col} is not UTF-8 text")),
        }
    }
    if record.len() != width {
        problems.insert(
            0,
            format!(
                "{} field{} where the header has {width}",
                record.len(),
                if record.len() == 1 { "" } else { "s" }
            ),
        );
    }
    let [workflow_id, node_id, callee, case_id] = values;
    for (col, v) in COLUMNS.iter().zip([&workflow_id, &node_id, &callee]) {
        if v.as_deref().is_none_or(str::is_empty) && problems.is_empty() {
            problems.push(format!("{col} is empty"));
        }
    }
    let case = if problems.is_empty() {
        Ok(Query {
            workflow_id: workflow_id.unwrap_or_default(),
            node_id: node_id.unwrap_or_default(),
            callee: callee.unwrap_or_default(),
            case_id: case_id.filter(|s| !s.is_empty()),
        })
    } else {
        Err(problems.join("; "))
    };
    Row {
        row: n,
        line,
        input,
        case,
    }
}

/// The rows a previous output answered, and how many of its lines named another case than
/// the same row of this CSV (those rows are asked again).
pub fn answered_rows(text: &str, rows: &[Row]) -> (HashSet<u64>, usize) {
    let by_row: HashMap<u64, &Row> = rows.iter().map(|r| (r.row, r)).collect();
    let mut done = HashSet::new();
    let mut other = 0;
    for line in text.lines() {
        // A line cut short by a crash is not an answer.
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(n) = v.get("row").and_then(Value::as_u64) else {
            continue;
        };
        let same = by_row.get(&n).is_some_and(|r| match v.get("input") {
            Some(Value::Object(prev)) => ["workflow_id", "node_id", "callee"]
                .iter()
                .all(|k| prev.get(*k) == r.input.get(*k)),
            _ => true,
        });
        if same {
            done.insert(n);
        } else if by_row.contains_key(&n) {
            other += 1;
        }
    }
    (done, other)
}

pub(super) fn read_input(path: &Path) -> Result<Vec<u8>, ApiError> {
    let shown = || path.display().to_string();
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf).map_err(|e| {
            ApiError::File {
                path: "standard input".into(),
                detail: e.to_string(),
            }
        })?;
        return Ok(buf);
    }
    std::fs::read(crate::config::expand_tilde(path)).map_err(|e| ApiError::File {
        path: shown(),
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::batch::output::{Answered, line_for};

    fn rows(csv: &str) -> Vec<Row> {
        read_cases(csv.as_bytes()).expect("readable")
    }

    #[test]
    fn header_in_any_order_with_extra_columns() {
        let r = rows(
            "Note,Callee,case_id,NODE_ID,workflow-id\nhi,+15550001,,n1,w1\nx,+15550002,c9,n2,w2\n",
        );
        assert_eq!(r.len(), 2);
        let q = r[0].case.clone().unwrap();
        assert_eq!(
            (
                q.workflow_id.as_str(),
                q.node_id.as_str(),
                q.callee.as_str()
            ),
            ("w1", "n1", "+15550001")
        );
        assert_eq!(q.case_id, None);
        assert_eq!(r[1].case.clone().unwrap().case_id.as_deref(), Some("c9"));
        assert_eq!((r[0].row, r[0].line, r[1].row, r[1].line), (1, 2, 2, 3));
        assert!(!r[0].input.contains_key("note"));
    }

    #[test]
    fn a_bom_and_spaces_in_the_header_are_fine() {
        let r = rows("\u{feff}workflow_id , node_id, callee\nw, n , +1\n");
        assert_eq!(r[0].case.clone().unwrap().node_id, "n");
    }

    #[test]
    fn missing_columns_are_a_header_error() {
        let e = read_cases(b"workflow_id,callee\nw,+1\n").unwrap_err();
        assert!(matches!(&e, CsvError::Header(m) if m.contains("node_id")));
    }

    #[test]
    fn bad_rows_say_why_with_their_line() {
        let r =
            rows("workflow_id,node_id,callee\nw,n,+1\nw,,+2\n\nw,n\nw,n,+3,extra\n\"w\nx\",n,+4\n");
        assert_eq!(r.len(), 5, "the blank line is not a row");
        assert!(r[0].case.is_ok());
        assert_eq!(r[1].case, Err("node_id is empty".into()));
        assert_eq!(r[1].line, 3);
        assert_eq!(r[2].line, 5);
        assert!(
            r[2].case
                .clone()
                .unwrap_err()
                .contains("2 fields where the header has 3")
        );
        assert!(r[3].case.clone().unwrap_err().contains("4 fields"));
        // A quoted field may span lines: the row keeps its first line.
        assert_eq!(r[4].line, 7);
        assert_eq!(r[4].case.clone().unwrap().workflow_id, "w\nx");
    }

    #[test]
    fn text_that_is_not_utf8_is_a_bad_row() {
        let r = read_cases(b"workflow_id,node_id,callee\nw,n\xff,+1\n").unwrap();
        assert!(
            r[0].case
                .clone()
                .unwrap_err()
                .contains("node_id is not UTF-8")
        );
    }

    #[test]
    fn resume_reads_row_numbers_of_the_same_cases() {
        let r = rows("workflow_id,node_id,callee\nw,n,+1\nw,n,+2\nw,n,+3\n");
        let prev = [
            line_for(&r[0], &Answered::Bad("x".into())),
            // Row 2 of another CSV.
            r#"{"row":2,"input":{"workflow_id":"w","node_id":"n","callee":"+9"},"ok":true}"#.into(),
            r#"{"row":3,"input":{"workflow_id":"w","node_id":"n","callee":"+3"},"ok":f"#.into(),
        ]
        .join("\n");
        let (done, other) = answered_rows(&prev, &r);
        assert_eq!(done, HashSet::from([1]));
        assert_eq!(other, 1);
    }
}
