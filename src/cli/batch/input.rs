//! Reading the cases: the CSV's header and rows, each row with its line number and either a
//! query or why it cannot be sent, streamed: each row is handed on as soon as it is read.

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};
use tokio::sync::mpsc;

use super::metered::{Metered, too_long};
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

/// The cases, read a row at a time. Blank lines are skipped; every other record is a row.
pub(super) struct Cases<R> {
    reader: csv::Reader<Metered<R>>,
    /// Where each known column is (the first of duplicates).
    at: [Option<usize>; 4],
    width: usize,
    record: csv::ByteRecord,
    /// Rows read so far.
    rows: u64,
    /// Where the next record starts.
    next: u64,
    ended: bool,
}

impl<R: Read> Cases<R> {
    /// Reads the header.
    pub(super) fn new(source: R) -> Result<Self, CsvError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(Metered::new(source));
        let header = match reader.byte_headers() {
            Ok(h) => h,
            Err(e) => {
                return Err(match e.kind() {
                    csv::ErrorKind::Io(io) if too_long(io) => {
                        CsvError::Io(format!("line 1: the header is {io}: is this a CSV file?"))
                    }
                    csv::ErrorKind::Io(io) => CsvError::Io(io.to_string()),
                    _ => CsvError::Header(format!("the header cannot be read: {e}")),
                });
            }
        };
        let names: Vec<String> = header
            .iter()
            .map(|h| column_name(&String::from_utf8_lossy(h)))
            .collect();
        let width = names.len();
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
        let next = reader.position().byte();
        reader.get_mut().allow_from(next);
        Ok(Cases {
            reader,
            at,
            width,
            record: csv::ByteRecord::new(),
            rows: 0,
            next,
            ended: false,
        })
    }

    /// Numbers the record that started at `start` and lets the next one be read.
    fn numbered(&mut self, start: Option<&csv::Position>) -> (u64, u64) {
        self.rows += 1;
        let line = self
            .reader
            .get_mut()
            .line_at(start.map_or(self.next, csv::Position::byte));
        self.next = self.reader.position().byte();
        self.reader.get_mut().allow_from(self.next);
        (self.rows, line)
    }
}

impl<R: Read> Iterator for Cases<R> {
    /// A row, or why the rest of the file cannot be read (the last item).
    type Item = Result<Row, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ended {
            return None;
        }
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => {
                self.ended = true;
                None
            }
            Ok(true) => {
                let start = self.record.position().cloned();
                let (n, line) = self.numbered(start.as_ref());
                Some(Ok(row_of(n, line, &self.record, &self.at, self.width)))
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(io) => {
                    self.ended = true;
                    let line = self.reader.get_mut().line_at(self.next);
                    Some(Err(CsvError::Io(if too_long(io) {
                        format!("line {line}: a row {io}: is this a CSV file?")
                    } else {
                        format!("line {line}: {io}")
                    })))
                }
                _ => {
                    let (n, line) = self.numbered(e.position());
                    Some(Ok(Row {
                        row: n,
                        line,
                        input: Map::new(),
                        case: Err(crate::text::one_line(&e.to_string())),
                    }))
                }
            },
        }
    }
}

/// The rows waiting read and not yet taken, at the most.
const READ_AHEAD: usize = 64;

/// Opens the CSV: standard input for `-`, else a regular file (a FIFO, a device or a
/// directory is refused: reading one could wait or grow for ever).
pub(super) fn open_input(path: &Path) -> Result<Box<dyn Read + Send>, ApiError> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    crate::files::open_regular(&crate::config::expand_tilde(path))
        .map(|f| Box::new(f) as Box<dyn Read + Send>)
        .map_err(|detail| ApiError::File {
            path: path.display().to_string(),
            detail,
            cause: None,
        })
}

/// Reads the rows on a thread of their own, so that a slow pipe holds up nothing else and
/// each row can be asked as soon as it arrives. The thread ends after the last row, after an
/// error, or when the receiver is dropped.
pub(super) fn read_ahead<R: Read + Send + 'static>(
    mut cases: Cases<R>,
) -> Result<mpsc::Receiver<Result<Row, CsvError>>, ApiError> {
    let (tx, rx) = mpsc::channel(READ_AHEAD);
    std::thread::Builder::new()
        .name("batch-cases".into())
        .spawn(move || {
            for item in cases.by_ref() {
                if tx.blocking_send(item).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| {
            ApiError::File {
                path: "the cases".into(),
                detail: format!("cannot start the thread that reads them: {e}"),
                cause: None,
            }
            .caused_by(e)
        })?;
    Ok(rx)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read_cases(bytes: &[u8]) -> Result<Vec<Row>, CsvError> {
        Cases::new(bytes)?.collect()
    }

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
    fn a_row_past_a_mebibyte_is_refused_with_its_line() {
        let mut csv = b"workflow_id,node_id,callee\nw,n,+1\n\nw,n,".to_vec();
        csv.extend(std::iter::repeat_n(b'9', 2 << 20));
        csv.extend(b"\nw,n,+3\n");
        let mut cases = Cases::new(&csv[..]).unwrap();
        assert!(cases.next().unwrap().is_ok());
        let e = cases.next().unwrap().unwrap_err();
        assert_eq!(
            e,
            CsvError::Io("line 4: a row longer than 1 MiB: is this a CSV file?".into())
        );
        assert!(cases.next().is_none(), "nothing is read after it");
        // A row just under the bound is fine.
        let mut csv = b"workflow_id,node_id,callee\nw,n,".to_vec();
        csv.extend(std::iter::repeat_n(b'9', (1 << 20) - 10));
        csv.push(b'\n');
        assert!(read_cases(&csv).unwrap()[0].case.is_ok());
    }

    #[test]
    fn a_header_that_never_ends_is_refused_at_a_mebibyte() {
        let e = Cases::new(std::io::repeat(0)).err().unwrap();
        assert_eq!(
            e,
            CsvError::Io("line 1: the header is longer than 1 MiB: is this a CSV file?".into())
        );
    }

    /// Gives `chunks` one read at a time, then fails as a stalled pipe would block.
    struct Stalls(Vec<&'static [u8]>);

    impl Read for Stalls {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::other("stalled"));
            }
            let chunk = self.0.remove(0);
            buf[..chunk.len()].copy_from_slice(chunk);
            Ok(chunk.len())
        }
    }

    #[test]
    fn each_row_comes_as_soon_as_it_is_read() {
        let mut cases =
            Cases::new(Stalls(vec![b"workflow_id,node_id,callee\n", b"w,n,+1\n"])).unwrap();
        assert_eq!(cases.next().unwrap().unwrap().row, 1);
        let e = cases.next().unwrap().unwrap_err();
        assert_eq!(e, CsvError::Io("line 3: stalled".into()));
    }
}
