//! What a review is made of: the saved answers of a directory (`batch --save DIR`), and the
//! lookups a batch's JSON lines say failed. Listing reads names only (and a batch's lines),
//! never an answer, so the list of thousands of cases is there at once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Where the reviewer's verdicts are kept, in the review's directory.
pub const MARKS_FILE: &str = "review.jsonl";

/// More entries than this are not listed (a warning says so): a directory can hold anything.
pub const MAX_ENTRIES: usize = 200_000;

/// The largest batch output read for its failed lookups.
const MAX_BATCH_LINES: u64 = 64 << 20;

/// One case of a review, as found before its answer is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The batch's row, from the file's name (`0007-…json`) or the batch's line.
    pub row: Option<u64>,
    /// The saved answer; `None` when there is none to read.
    pub path: Option<PathBuf>,
    /// What names the case in `review.jsonl`: the file's name, or `row N` for a lookup that
    /// failed.
    pub key: String,
    /// Why there is no answer to read: the lookup failed, or the file is not an answer.
    pub failed: Option<String>,
    /// The ids the batch asked with, when a batch's line gives them.
    pub asked: Option<crate::api::Query>,
}

/// The cases of a review, in row order, and where its verdicts go.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The directory holding `review.jsonl`.
    pub dir: PathBuf,
    pub entries: Vec<Entry>,
    /// What could not be listed, said once.
    pub warnings: Vec<String>,
}

impl Listing {
    pub fn marks_path(&self) -> PathBuf {
        self.dir.join(MARKS_FILE)
    }
}

/// Lists `path`: a directory of saved answers (and maybe a batch's output beside them), or a
/// batch's JSON lines (its `saved` paths and its failed rows).
pub fn list(path: &Path) -> Result<Listing, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut listing = Listing::default();
    if meta.is_dir() {
        listing.dir = path.to_path_buf();
        list_dir(path, &mut listing)?;
    } else if meta.is_file() {
        listing.dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        read_batch_output(path, &mut listing)?;
    } else {
        return Err(format!(
            "{}: neither a directory of saved answers nor a batch's output",
            path.display()
        ));
    }
    finish(&mut listing);
    Ok(listing)
}

fn list_dir(dir: &Path, listing: &mut Listing) -> Result<(), String> {
    let read = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut batches = Vec::new();
    for item in read {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                listing.warnings.push(format!("{}: {e}", dir.display()));
                continue;
            }
        };
        if listing.entries.len() >= MAX_ENTRIES {
            listing.warnings.push(format!(
                "only the first {MAX_ENTRIES} files of {} are listed",
                dir.display()
            ));
            break;
        }
        let name = item.file_name().to_string_lossy().into_owned();
        // Hidden files (a save under way is `.saving-…`) and the verdicts are not cases.
        if name.starts_with('.') || name == MARKS_FILE {
            continue;
        }
        let path = item.path();
        let kind = item.file_type().ok();
        if kind.is_some_and(|k| k.is_dir()) {
            continue;
        }
        if name.ends_with(".jsonl") {
            batches.push(path);
            continue;
        }
        let failed = if !name.ends_with(".json") {
            Some("not a saved answer (not a .json file)".to_string())
        } else if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            Some("not a regular file".to_string())
        } else {
            None
        };
        listing.entries.push(Entry {
            row: row_of(&name),
            path: Some(path),
            key: name,
            failed,
            asked: None,
        });
    }
    batches.sort();
    for b in batches {
        read_batch_output(&b, listing)?;
    }
    Ok(())
}

/// A case's name with the callee's number masked (`0007-+1*******4567.json`), for screens and
/// exports under `--mask`.
pub fn masked_key(key: &str) -> String {
    match key.split_once('-') {
        Some((row, rest)) if row_of(key).is_some() => {
            format!("{row}-{}", crate::mask::phone(rest))
        }
        _ => crate::mask::phone(key),
    }
}

/// `0007-+15551234567.json` → 7.
pub fn row_of(name: &str) -> Option<u64> {
    let digits: &str = name.split(['-', '.']).next()?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// A batch's JSON lines: each failed row becomes a case with its reason, each saved answer
/// not already listed becomes a case. Lines that are not a batch's are counted in a warning.
fn read_batch_output(path: &Path, listing: &mut Listing) -> Result<(), String> {
    let bytes = crate::files::read_small(path, MAX_BATCH_LINES, "a batch's output")
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let known: HashSet<String> = listing.entries.iter().map(|e| e.key.clone()).collect();
    let mut foreign = 0usize;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some(v) = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .filter(|v| v.get("row").is_some() && v.get("ok").is_some())
        else {
            foreign += 1;
            continue;
        };
        let row = v["row"].as_u64();
        let asked = asked_of(&v["input"]);
        if v["ok"].as_bool() == Some(true) {
            let Some(saved) = v["saved"].as_str() else {
                continue;
            };
            let saved = Path::new(saved);
            let name = saved
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if known.contains(&name) {
                continue;
            }
            let beside = listing.dir.join(&name);
            let path = if beside.is_file() {
                beside
            } else {
                saved.to_path_buf()
            };
            listing.entries.push(Entry {
                row,
                path: Some(path),
                key: name,
                failed: None,
                asked,
            });
        } else {
            let why = v["error"].as_str().unwrap_or("the lookup failed");
            listing.entries.push(Entry {
                row,
                path: None,
                key: row.map_or_else(|| format!("line {}", v["line"]), |r| format!("row {r}")),
                failed: Some(format!("lookup failed: {}", crate::text::one_line(why))),
                asked,
            });
        }
        if listing.entries.len() >= MAX_ENTRIES {
            break;
        }
    }
    if foreign > 0 {
        listing.warnings.push(format!(
            "{}: {foreign} line(s) are not a batch's output and were skipped",
            path.display()
        ));
    }
    Ok(())
}

/// The ids a batch's line was asked with (its `input` object).
fn asked_of(input: &serde_json::Value) -> Option<crate::api::Query> {
    let get = |k: &str| {
        input
            .get(k)
            .and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| Some(v.to_string()))
            })
            .filter(|s| s != "null")
    };
    Some(crate::api::Query {
        workflow_id: get("workflow_id")?,
        node_id: get("node_id")?,
        callee: get("callee").or_else(|| get("callee_number"))?,
        case_id: get("case_id").filter(|s| !s.is_empty()),
    })
}

/// Row order (entries without a row last, by name); one entry per key.
fn finish(listing: &mut Listing) {
    listing
        .entries
        .sort_by(|a, b| (a.row.is_none(), a.row, &a.key).cmp(&(b.row.is_none(), b.row, &b.key)));
    let mut seen = HashSet::new();
    listing.entries.retain(|e| seen.insert(e.key.clone()));
    listing.warnings.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_names_keep_the_row() {
        assert_eq!(
            masked_key("0007-+15551234567.json"),
            "0007-+1******4567.json"
        );
        assert!(!masked_key("+15551234567.json").contains("555123"));
    }

    #[test]
    fn rows_come_from_names() {
        assert_eq!(row_of("0007-+15551234567.json"), Some(7));
        assert_eq!(row_of("12345-x.json"), Some(12345));
        assert_eq!(row_of("notes.json"), None);
        assert_eq!(row_of("-1.json"), None);
    }

    #[test]
    fn a_directory_lists_answers_foreign_files_and_failed_lookups() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("0002-+1.json"), "{}").unwrap();
        std::fs::write(d.join("0001-+2.json"), "{}").unwrap();
        std::fs::write(d.join("notes.txt"), "hello").unwrap();
        std::fs::write(d.join(".saving-x.tmp"), "").unwrap();
        std::fs::write(d.join(MARKS_FILE), "").unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        let saved = d.join("0001-+2.json").display().to_string();
        std::fs::write(
            d.join("out.jsonl"),
            format!(
                "{{\"row\":1,\"line\":2,\"ok\":true,\"saved\":{saved:?},\"input\":{{}}}}\n\
                 {{\"row\":3,\"line\":4,\"ok\":false,\"error\":\"HTTP 500\",\"input\":{{\"workflow_id\":\"w\",\"node_id\":\"n\",\"callee\":\"+3\"}}}}\n\
                 not json\n"
            ),
        )
        .unwrap();
        let l = list(d).unwrap();
        let keys: Vec<&str> = l.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["0001-+2.json", "0002-+1.json", "row 3", "notes.txt"]);
        assert_eq!(
            l.entries[2].failed.as_deref(),
            Some("lookup failed: HTTP 500")
        );
        assert_eq!(l.entries[2].asked.as_ref().unwrap().callee, "+3");
        assert!(
            l.entries[3]
                .failed
                .as_deref()
                .unwrap()
                .contains("not a .json")
        );
        assert_eq!(l.warnings.len(), 1, "{:?}", l.warnings);
        assert_eq!(l.marks_path(), d.join(MARKS_FILE));
    }

    #[test]
    fn a_batch_output_file_is_a_review_of_its_saved_answers() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("saved")).unwrap();
        let a = d.join("saved/0001-+9.json");
        std::fs::write(&a, "{}").unwrap();
        let out = d.join("out.jsonl");
        std::fs::write(
            &out,
            format!(
                "{{\"row\":1,\"ok\":true,\"saved\":{:?}}}\n",
                a.display().to_string()
            ),
        )
        .unwrap();
        let l = list(&out).unwrap();
        assert_eq!(l.dir, d);
        assert_eq!(l.entries.len(), 1);
        assert_eq!(l.entries[0].path.as_deref(), Some(a.as_path()));
        assert_eq!(l.entries[0].row, Some(1));
    }

    #[test]
    fn a_fifo_is_refused() {
        let e = list(Path::new("/nonexistent/review")).unwrap_err();
        assert!(e.contains("/nonexistent/review"), "{e}");
    }
}
