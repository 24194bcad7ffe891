//! `e`: writes the Markdown case report (the same as `query --output md`) and the transcript
//! as plain text into the export directory. Names come from the case (or callee) and the
//! call's start time, made safe for file systems; an existing file is never overwritten:
//! a second export of the same case gets `-2`, then `-3`, ….

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::api::{Answer, Data};
use crate::case::CaseFacts;
use crate::case::transcript::plain_line;

/// Longest file-name stem written (before `-N`, `_transcript` and the extension).
const MAX_STEM: usize = 80;
/// Give up after this many taken names.
const MAX_TRIES: usize = 999;

/// An export to run: the case as shown (masked when masking is on) and where it goes
/// (`None`: the working directory). Owned, so it runs on any thread.
#[derive(Debug, Clone)]
pub struct Job {
    pub dir: Option<PathBuf>,
    pub answer: Arc<Answer>,
    pub facts: Arc<CaseFacts>,
}

impl PartialEq for Job {
    fn eq(&self, other: &Self) -> bool {
        self.dir == other.dir
            && Arc::ptr_eq(&self.answer, &other.answer)
            && Arc::ptr_eq(&self.facts, &other.facts)
    }
}

/// The files one export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub report: PathBuf,
    pub transcript: PathBuf,
}

/// Letters, digits, `.`, `-`, `_` and `+` kept; anything else becomes `-` (runs folded);
/// no leading dot or dash, at most [`MAX_STEM`] characters.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+');
        let c = if keep { c } else { '-' };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let out = out
        .trim_start_matches(['.', '-'])
        .trim_end_matches(['-', '.']);
    out.chars().take(MAX_STEM).collect()
}

/// `case-123456.0_2024-03-12_1454`: the case id (else the callee number, else the call id)
/// and the call's start time when it reads.
pub fn base_name(data: &Data, facts: &CaseFacts) -> String {
    let callee = &data.callee;
    let pick = |s: &crate::api::tolerant::Scalar| {
        s.value()
            .map(|v| sanitize(v.trim()))
            .filter(|v| !v.is_empty())
    };
    let who = pick(&callee.case_id)
        .map(|v| format!("case-{v}"))
        .or_else(|| pick(&callee.callee_number).map(|v| format!("callee-{v}")))
        .or_else(|| pick(&data.call.callee_number).map(|v| format!("callee-{v}")))
        .or_else(|| pick(&data.call.call_id).map(|v| format!("call-{v}")))
        .unwrap_or_else(|| "case".into());
    match facts.call.start {
        Some(t) => format!("{who}_{}", t.format("%Y-%m-%d_%H%M")),
        None => who,
    }
}

/// The whole transcript, one `mm:ss Speaker: text` line per turn and a
/// `mm:ss (silence mm:ss)` line per silence.
pub fn transcript_text(data: &Data, facts: &CaseFacts) -> String {
    let items = &data.call.asr_result.items;
    let t = &facts.transcript;
    if t.entries.is_empty() {
        return if data.call.asr_result.shape.is_present() {
            "(no turns)\n".into()
        } else {
            "(transcript not in this push)\n".into()
        };
    }
    let mut out = String::with_capacity(t.entries.len() * 64);
    for e in &t.entries {
        out.push_str(&plain_line(e, items));
        out.push('\n');
    }
    out
}

/// Opens both files under names not yet taken, with `create_new` so nothing is ever
/// overwritten, even by an export running at the same moment.
fn claim(dir: &Path, base: &str) -> io::Result<(PathBuf, File, PathBuf, File)> {
    for n in 1..=MAX_TRIES {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let report = dir.join(format!("{base}{suffix}.md"));
        let transcript = dir.join(format!("{base}{suffix}_transcript.txt"));
        // Reports hold names and numbers: readable by the user alone, as the history is.
        let open = |p: &Path| {
            use std::os::unix::fs::OpenOptionsExt;
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(p)
        };
        let rf = match open(&report) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        match open(&transcript) {
            Ok(tf) => return Ok((report, rf, transcript, tf)),
            Err(e) => {
                drop(rf);
                // Ours and still empty: take it back.
                let _ = fs::remove_file(&report);
                if e.kind() == io::ErrorKind::AlreadyExists {
                    continue;
                }
                return Err(e);
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{MAX_TRIES} exports of {base} already there"),
    ))
}

/// Writes the report and the transcript into `dir` (created when missing: the message
/// says so).
pub fn write(data: &Data, facts: &CaseFacts, dir: &Path) -> io::Result<Written> {
    fs::create_dir_all(dir)?;
    let base = base_name(data, facts);
    let (report, mut rf, transcript, mut tf) = claim(dir, &base)?;
    rf.write_all(crate::case::report::markdown(data, facts).as_bytes())?;
    rf.flush()?;
    tf.write_all(transcript_text(data, facts).as_bytes())?;
    tf.flush()?;
    Ok(Written { report, transcript })
}

impl Job {
    /// Runs the export and words the outcome for the status bar: what was written, or why
    /// nothing was.
    pub fn run(&self) -> Result<String, String> {
        let dir = match &self.dir {
            Some(d) => d.clone(),
            None => std::env::current_dir()
                .map_err(|e| format!("export failed: no working directory ({e})"))?,
        };
        run_in(self.answer.data(), &self.facts, &dir)
    }
}

fn run_in(data: &Data, facts: &CaseFacts, dir: &Path) -> Result<String, String> {
    let shown = crate::text::one_line(&dir.display().to_string());
    let created = if dir.exists() {
        ""
    } else {
        " (a new directory)"
    };
    match write(data, facts, dir) {
        Ok(w) => {
            let name = |p: &Path| {
                crate::text::one_line(
                    &p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                )
            };
            Ok(format!(
                "exported {} and {} to {shown}{created}",
                name(&w.report),
                name(&w.transcript)
            ))
        }
        Err(e) => Err(format!(
            "export failed: {} ({shown})",
            crate::text::one_line(&e.to_string())
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::parse_document;

    fn reference() -> (Data, CaseFacts) {
        let bytes = include_bytes!("../assets/demo/01-reference.json");
        let d = parse_document(bytes).unwrap().data().unwrap().clone();
        let f = CaseFacts::derive(&d);
        (d, f)
    }

    #[test]
    fn names_are_safe() {
        assert_eq!(sanitize("123456.0"), "123456.0");
        assert_eq!(sanitize("../../etc/passwd"), "etc-passwd");
        assert_eq!(sanitize("a b/c\\d:e*?"), "a-b-c-d-e");
        assert_eq!(sanitize("张伟 +86"), "+86");
        assert_eq!(sanitize("x\x1b]0;t\x07"), "x-0-t");
        assert!(sanitize(&"9".repeat(500)).len() <= MAX_STEM);
    }

    #[test]
    fn reference_name() {
        let (d, f) = reference();
        assert_eq!(base_name(&d, &f), "case-123456.0_2024-03-12_1454");
        let empty = Data::default();
        assert_eq!(base_name(&empty, &CaseFacts::derive(&empty)), "case");
    }

    #[test]
    fn never_overwrites() {
        let (d, f) = reference();
        let dir = tempfile::tempdir().unwrap();
        let first = write(&d, &f, dir.path()).unwrap();
        assert_eq!(
            first.report.file_name().unwrap(),
            "case-123456.0_2024-03-12_1454.md"
        );
        assert_eq!(
            first.transcript.file_name().unwrap(),
            "case-123456.0_2024-03-12_1454_transcript.txt"
        );
        // Someone's file under the second name is left alone too.
        fs::write(
            dir.path()
                .join("case-123456.0_2024-03-12_1454-2_transcript.txt"),
            "mine",
        )
        .unwrap();
        let second = write(&d, &f, dir.path()).unwrap();
        assert_eq!(
            second.report.file_name().unwrap(),
            "case-123456.0_2024-03-12_1454-3.md"
        );
        assert!(
            !dir.path()
                .join("case-123456.0_2024-03-12_1454-2.md")
                .exists()
        );
        assert_eq!(
            fs::read_to_string(
                dir.path()
                    .join("case-123456.0_2024-03-12_1454-2_transcript.txt")
            )
            .unwrap(),
            "mine"
        );
        let md = fs::read_to_string(&first.report).unwrap();
        assert!(md.starts_with("# Case report: WILL SMITH"));
        assert_eq!(md, fs::read_to_string(&second.report).unwrap());
        let txt = fs::read_to_string(&first.transcript).unwrap();
        assert!(txt.starts_with("00:00 Robot: halo (jeda 1-2 detik) selamat siang\n"));
        assert!(txt.contains("00:10 (silence 00:07)\n"));
        assert_eq!(txt.lines().count(), 8);
    }

    #[test]
    fn missing_dir_is_created_and_named_and_failures_are_worded() {
        use std::os::unix::fs::PermissionsExt;
        let (d, f) = reference();
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        let msg = run_in(&d, &f, &nested).unwrap();
        assert!(
            msg.ends_with(&format!("to {} (a new directory)", nested.display())),
            "{msg}"
        );
        let msg = run_in(&d, &f, &nested).unwrap();
        assert!(!msg.contains("new directory"), "{msg}");
        for e in fs::read_dir(&nested).unwrap() {
            let mode = e.unwrap().metadata().unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "exports are the user's alone");
        }
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        assert!(write(&d, &f, &file.join("under")).is_err());
    }
}
