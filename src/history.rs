//! Past lookups: one JSON line per query sent from the inspector, in
//! `$XDG_STATE_HOME/rudder-inspect/history.jsonl`, newest last, at most [`CAP`] lines.
//!
//! An entry holds the four ids, where the query went (profile name, base URL without
//! credentials), when, and a one-line outcome. Its type has no field a token could go in,
//! so none is ever written. Every save rewrites the file atomically (temp file, rename) with
//! mode 0600: callee numbers and names are personal data.
//!
//! A file that cannot be read is never fatal: [`load`] returns what it could read and a
//! message naming the file and the first bad line; bad lines are dropped at the next save.
//!
//! [`Shown`] is an entry's text as the `Ctrl-R` pane shows it (made safe, masked when asked),
//! and [`filter`] the pane's fuzzy filter over that text ([`crate::fuzzy`]).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Local, SecondsFormat};
use serde::{Deserialize, Serialize};

use crate::api::{Answer, ApiError, Query};

/// Entries kept; the oldest are dropped beyond this.
pub const CAP: usize = 500;

/// The file's name in the state dir.
pub const FILE_NAME: &str = "history.jsonl";

/// Longest history file read, in bytes (500 entries take well under 1 MiB).
const MAX_READ: u64 = 16 << 20;

/// The default file: `$XDG_STATE_HOME/rudder-inspect/history.jsonl`.
pub fn default_path() -> Option<PathBuf> {
    crate::config::state_dir().map(|d| d.join(FILE_NAME))
}

/// One lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When the answer (or the error) came, RFC 3339 in local time.
    pub at: String,
    pub workflow_id: String,
    pub node_id: String,
    pub callee: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    /// The config profile in use (or "demo").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Where the query went, without user, password, query string or fragment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// The callee's name in the answer (kept apart so it can be masked on screen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callee_name: Option<String>,
    /// The query got an answer.
    pub ok: bool,
    /// "WILL SMITH · intention E · ByRobot · Q&A 1/1 match", or "no record: …".
    pub outcome: String,
}

impl Entry {
    /// An entry for `query` sent to `base_url` (under `profile`), answered at `at`.
    pub fn new(
        query: &Query,
        profile: Option<&str>,
        base_url: Option<&str>,
        at: DateTime<Local>,
        result: Result<&Answer, &ApiError>,
    ) -> Self {
        let (ok, outcome) = match result {
            Ok(a) => (true, answer_outcome(a)),
            Err(e) => (false, error_outcome(e)),
        };
        Entry {
            at: at.to_rfc3339_opts(SecondsFormat::Secs, false),
            workflow_id: query.workflow_id.clone(),
            node_id: query.node_id.clone(),
            callee: query.callee.clone(),
            case_id: query.case_id.clone(),
            profile: profile.map(str::to_string),
            base_url: base_url.map(public_url),
            callee_name: result.ok().and_then(|a| {
                a.data()
                    .callee
                    .callee_name
                    .value()
                    .map(crate::text::one_line)
                    .filter(|n| !n.is_empty())
            }),
            ok,
            outcome,
        }
    }

    /// The four ids, for the form.
    pub fn query(&self) -> Query {
        Query {
            workflow_id: self.workflow_id.clone(),
            node_id: self.node_id.clone(),
            callee: self.callee.clone(),
            case_id: self.case_id.clone().filter(|c| !c.trim().is_empty()),
        }
    }

    /// When, parsed; `None` for a time written by hand that does not read.
    pub fn when(&self) -> Option<DateTime<Local>> {
        DateTime::parse_from_rfc3339(&self.at)
            .ok()
            .map(|t| t.with_timezone(&Local))
    }

    /// Where the query went, in a few words: the profile, else the base URL.
    pub fn target(&self) -> &str {
        self.profile
            .as_deref()
            .or(self.base_url.as_deref())
            .unwrap_or("")
    }
}

/// `scheme://host:port/path` of a URL: credentials, query and fragment left out.
fn public_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.set_fragment(None);
            u.to_string().trim_end_matches('/').to_string()
        }
        // Not a URL: keep what comes before any `?` or `#`, on one line.
        Err(_) => crate::text::one_line(url.split(['?', '#']).next().unwrap_or("")),
    }
}

/// Callee name, intention, hangup type and the Q&A tally, the ones present.
fn answer_outcome(answer: &Answer) -> String {
    let d = answer.data();
    let mut parts: Vec<String> = Vec::new();
    if let Some(n) = d.callee.callee_name.value().map(str::trim)
        && !n.is_empty()
    {
        parts.push(n.to_string());
    }
    if let Some(i) = d.call.intention.value().map(str::trim)
        && !i.is_empty()
    {
        parts.push(format!("intention {i}"));
    }
    if let Some(h) = d.call.hangup_type.value().map(str::trim)
        && !h.is_empty()
    {
        parts.push(h.to_string());
    }
    let t = crate::case::qa::Tally::of(&d.call.question_answer.items);
    if t.total > 0 {
        let mut q = format!("Q&A {}/{} match", t.matched, t.total);
        if t.mismatched > 0 {
            q.push_str(&format!(", {} mismatch", t.mismatched));
        }
        parts.push(q);
    }
    if parts.is_empty() {
        parts.push("answered".into());
    }
    crate::text::clip(&crate::text::one_line(&parts.join(" · ")), 160)
}

fn error_outcome(e: &ApiError) -> String {
    crate::text::clip(
        &crate::text::one_line(&format!("{}: {}", e.short(), e.message())),
        160,
    )
}

/// What [`load`] read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// Oldest first.
    pub entries: Vec<Entry>,
    /// A message naming the file and the first bad line, when something could not be read.
    pub warning: Option<String>,
}

/// Reads the history at `path`. A missing file is an empty history; bad lines are skipped.
pub fn load(path: &Path) -> Loaded {
    match read(path) {
        Ok(r) => Loaded {
            warning: r.bad_message(path),
            entries: r.entries,
        },
        Err(e) => Loaded {
            entries: Vec::new(),
            warning: Some(format!(
                "history {} could not be read ({e}); starting without it",
                path.display()
            )),
        },
    }
}

struct Read {
    entries: Vec<Entry>,
    /// Line number and reason of each line that did not read.
    bad: Vec<(usize, String)>,
}

impl Read {
    fn bad_message(&self, path: &Path) -> Option<String> {
        let (line, why) = self.bad.first()?;
        let more = match self.bad.len() {
            1 => String::new(),
            n => format!(" (and {} more bad lines)", n - 1),
        };
        Some(format!(
            "history {} line {line}: {why}{more}; skipped",
            path.display()
        ))
    }
}

fn read(path: &Path) -> std::io::Result<Read> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    // A FIFO or a device in its place would block or never end.
    if let Some(f) = crate::files::open_regular_if_any(path).map_err(std::io::Error::other)? {
        f.take(MAX_READ).read_to_end(&mut bytes)?;
    }
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(e) => entries.push(e),
            Err(e) => bad.push((
                i + 1,
                crate::text::clip(&crate::text::one_line(&e.to_string()), 80),
            )),
        }
    }
    let extra = entries.len().saturating_sub(CAP);
    entries.drain(..extra);
    Ok(Read { entries, bad })
}

/// Serialises saves within this process (two answers can arrive together).
static SAVING: Mutex<()> = Mutex::new(());

/// Adds `entry` at the end of the history at `path`, keeping the newest [`CAP`], and
/// rewrites the file atomically (mode 0600). A file that cannot be read is left alone.
pub fn append(path: &Path, entry: &Entry) -> std::io::Result<()> {
    let _guard = SAVING.lock().unwrap_or_else(|p| p.into_inner());
    let mut entries = read(path)?.entries;
    entries.push(entry.clone());
    save(path, &entries)
}

/// Writes `entries` (the newest [`CAP`] of them) as the whole history.
pub fn save(path: &Path, entries: &[Entry]) -> std::io::Result<()> {
    let keep = &entries[entries.len().saturating_sub(CAP)..];
    let mut out = Vec::with_capacity(keep.len() * 256);
    for e in keep {
        serde_json::to_writer(&mut out, e).map_err(std::io::Error::other)?;
        out.push(b'\n');
    }
    crate::config::write_atomic(path, &out, true)
}

// ---------------------------------------------------------------------------------------
// What the pane shows, and the filter over it

/// A piece of an entry as the `Ctrl-R` pane shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `03-12 14:54`, on the row.
    Time,
    /// On the row; masked when masking is on.
    Callee,
    /// On the row; the name and long numbers masked when masking is on.
    Outcome,
    /// The rest are under the list, for the chosen entry.
    Workflow,
    Node,
    /// Empty when the lookup had none.
    Case,
    /// `2024-03-12 14:54:26`.
    At,
    /// The profile, else the base URL; may be empty.
    Via,
}

impl Field {
    const ALL: [Field; 8] = [
        Field::Time,
        Field::Callee,
        Field::Outcome,
        Field::Workflow,
        Field::Node,
        Field::Case,
        Field::At,
        Field::Via,
    ];
}

/// An entry's text as shown: every piece made safe (one line), masked when asked, joined by
/// spaces. The filter matches this text, so the bytes it marks are the ones on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    text: String,
    /// Where each [`Field`] is in `text`, in [`Field::ALL`]'s order.
    ranges: Vec<std::ops::Range<usize>>,
}

impl Shown {
    pub fn new(e: &Entry, masked: bool) -> Self {
        let mut text = String::new();
        let mut ranges = Vec::with_capacity(Field::ALL.len());
        for f in Field::ALL {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(&piece(e, f, masked));
            ranges.push(start..text.len());
        }
        Shown { text, ranges }
    }

    /// Everything, for the filter.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where `f` is in [`Shown::text`].
    pub fn range(&self, f: Field) -> std::ops::Range<usize> {
        self.ranges[f as usize].clone()
    }

    pub fn get(&self, f: Field) -> &str {
        &self.text[self.range(f)]
    }
}

fn piece(e: &Entry, f: Field, masked: bool) -> String {
    use crate::text::{clip, one_line};
    match f {
        Field::Time => match e.when() {
            Some(t) => t.format("%m-%d %H:%M").to_string(),
            None => clip(&one_line(&e.at), 11),
        },
        Field::Callee => {
            let c = one_line(&e.callee);
            if masked { crate::mask::phone(&c) } else { c }
        }
        Field::Outcome => outcome(e, masked),
        Field::Workflow => one_line(&e.workflow_id),
        Field::Node => one_line(&e.node_id),
        Field::Case => e.case_id.as_deref().map(one_line).unwrap_or_default(),
        Field::At => match e.when() {
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => clip(&one_line(&e.at), 30),
        },
        Field::Via => one_line(e.target()),
    }
}

/// The outcome as shown: the name and long numbers masked when masking is on.
fn outcome(e: &Entry, masked: bool) -> String {
    let text = crate::text::one_line(&e.outcome);
    if !masked {
        return text;
    }
    let text = match e.callee_name.as_deref().map(crate::text::one_line) {
        Some(n) if !n.is_empty() => text.replace(&n, &crate::mask::name(&n)),
        _ => text,
    };
    crate::mask::Masker::default().text(&text).into_owned()
}

/// The entries matching `query` in the `Ctrl-R` pane's sense ([`crate::fuzzy`] over each
/// entry's [`Shown`] text, masked or not as the screen is): best first, newer first on ties;
/// every entry, newest first, when the query is blank. Indices point into `entries`
/// (oldest first); marks into [`Shown::text`].
pub fn filter(entries: &[Entry], query: &str, masked: bool) -> Vec<crate::fuzzy::Hit> {
    crate::fuzzy::filter(entries.iter().enumerate().rev(), query, |e| {
        Shown::new(e, masked).text
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize, callee: &str, outcome: &str) -> Entry {
        Entry {
            at: format!("2024-03-12T14:{:02}:00+08:00", n % 60),
            workflow_id: format!("wf{n:04}"),
            node_id: "node".into(),
            callee: callee.into(),
            case_id: None,
            profile: None,
            base_url: Some("https://api.airudder.com".into()),
            callee_name: None,
            ok: true,
            outcome: outcome.into(),
        }
    }

    #[test]
    fn round_trip_and_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join(FILE_NAME);
        assert_eq!(load(&path), Loaded::default(), "a missing file is empty");
        // More than the cap in one save, then appends one by one.
        let many: Vec<Entry> = (0..CAP + 4)
            .map(|n| entry(n, &format!("+86{n:08}"), "WILL SMITH"))
            .collect();
        save(&path, &many).unwrap();
        assert_eq!(load(&path).entries[0].workflow_id, "wf0004");
        for n in CAP + 4..CAP + 7 {
            append(&path, &entry(n, &format!("+86{n:08}"), "WILL SMITH")).unwrap();
        }
        let l = load(&path);
        assert_eq!(l.warning, None);
        assert_eq!(l.entries.len(), CAP);
        assert_eq!(
            l.entries[0].workflow_id, "wf0007",
            "the oldest were dropped"
        );
        assert_eq!(l.entries[CAP - 1].workflow_id, format!("wf{:04}", CAP + 6));
        assert_eq!(l.entries[3], entry(10, "+8600000010", "WILL SMITH"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), CAP);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn bad_lines_are_skipped_with_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let good = serde_json::to_string(&entry(1, "+861", "ok")).unwrap();
        let good2 = serde_json::to_string(&entry(2, "+862", "ok")).unwrap();
        std::fs::write(
            &path,
            format!("{good}\n{{\"at\": broken\n\n{good2}\n[1,2]\n"),
        )
        .unwrap();
        let l = load(&path);
        assert_eq!(l.entries.len(), 2);
        let w = l.warning.unwrap();
        assert!(w.contains(&path.display().to_string()), "{w}");
        assert!(w.contains("line 2"), "{w}");
        assert!(w.contains("1 more"), "{w}");
        // The next save keeps the good lines and drops the bad.
        append(&path, &entry(3, "+863", "ok")).unwrap();
        let l = load(&path);
        assert_eq!(l.warning, None);
        assert_eq!(l.entries.len(), 3);
    }

    #[test]
    fn an_unreadable_file_is_a_message_and_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be.
        let path = dir.path().join(FILE_NAME);
        std::fs::create_dir(&path).unwrap();
        let l = load(&path);
        assert!(l.entries.is_empty());
        assert!(l.warning.unwrap().contains("could not be read"));
        assert!(append(&path, &entry(1, "+1", "x")).is_err());
        // Not UTF-8 is one bad line, not a failure.
        let path = dir.path().join("other.jsonl");
        std::fs::write(&path, b"\xff\xfe\n").unwrap();
        let l = load(&path);
        assert!(l.warning.unwrap().contains("line 1"));
    }

    #[test]
    fn entries_name_the_outcome_and_never_credentials() {
        let body = include_bytes!("../assets/demo/01-reference.json");
        let answer = crate::api::client::interpret(crate::api::client::Exchange {
            url: "x".into(),
            status: 200,
            latency: std::time::Duration::ZERO,
            body: bytes::Bytes::from_static(body),
            received_at: Local::now(),
        })
        .unwrap();
        let q = Query {
            workflow_id: "w".into(),
            node_id: "n".into(),
            callee: "+8618717905721".into(),
            case_id: Some("123456.0".into()),
        };
        let e = Entry::new(
            &q,
            None,
            Some("https://user:pw@api.example.com/base?token=abc#x"),
            Local::now(),
            Ok(&answer),
        );
        assert!(e.ok);
        assert_eq!(
            e.outcome,
            "WILL SMITH · intention E · ByRobot · Q&A 1/1 match"
        );
        assert_eq!(e.base_url.as_deref(), Some("https://api.example.com/base"));
        assert_eq!(e.query(), q);
        assert_eq!(e.callee_name.as_deref(), Some("WILL SMITH"));
        let err = Entry::new(
            &q,
            Some("prod"),
            None,
            Local::now(),
            Err(&ApiError::NoRecord),
        );
        assert!(!err.ok);
        assert!(err.outcome.starts_with("no record: "), "{}", err.outcome);
        assert_eq!(err.target(), "prod");
        assert!(e.when().is_some());
    }

    /// The indices [`filter`] gives, in order.
    fn order(entries: &[Entry], query: &str) -> Vec<usize> {
        filter(entries, query, false)
            .iter()
            .map(|h| h.index)
            .collect()
    }

    #[test]
    fn filter_ranks_and_breaks_ties_by_age() {
        let entries = vec![
            entry(0, "+8618700000001", "WILL SMITH · intention E"),
            entry(1, "+6281200000002", "SITI AMINAH · intention A"),
            entry(2, "+8618700000003", "WILL SMITH · intention B"),
            entry(3, "+5215500000004", "no record: nothing"),
        ];
        assert_eq!(order(&entries, ""), vec![3, 2, 1, 0]);
        assert_eq!(order(&entries, "  "), vec![3, 2, 1, 0]);
        // Equal scores: the newer one first.
        assert_eq!(order(&entries, "smith")[..2], [2, 0]);
        // Every word must match.
        assert_eq!(order(&entries, "smith  intention b"), [2]);
        assert_eq!(order(&entries, "zzz"), Vec::<usize>::new());
        assert_eq!(order(&entries, "smith qqq"), Vec::<usize>::new());
        // A tight match outranks a scattered one, whatever the age.
        assert_eq!(order(&entries, "siti")[0], 1);
        assert_eq!(order(&entries, "+62")[0], 1);
        assert_eq!(order(&entries, "norec")[0], 3);
        assert_eq!(order(&entries, "record nothing"), vec![3]);
    }

    #[test]
    fn the_filter_sees_the_text_as_shown() {
        let mut e = entry(0, "+8618717905721", "WILL SMITH · intention E\x1b[31m");
        e.callee_name = Some("WILL SMITH".into());
        e.case_id = Some("case\n42".into());
        let shown = Shown::new(&e, false);
        assert_eq!(shown.get(Field::Callee), "+8618717905721");
        assert_eq!(shown.get(Field::Case), "case ⏎ 42", "made safe");
        assert!(!shown.text().contains('\x1b'), "{}", shown.text());
        assert_eq!(shown.get(Field::Via), "https://api.airudder.com");
        // The marks point at the shown text: here the callee's digits.
        let hit = &filter(std::slice::from_ref(&e), "17905721", false)[0];
        let marked: String = hit.marks.iter().map(|r| &shown.text()[r.clone()]).collect();
        assert_eq!(marked, "17905721");
        let callee = shown.range(Field::Callee);
        assert!(
            hit.marks.iter().all(|m| callee.contains(&m.start)),
            "{:?}",
            hit.marks
        );
        // Masked, the filter sees what the screen shows, and no more: a name or a number
        // hidden on screen does not find its lookup.
        let masked = Shown::new(&e, true);
        assert!(!masked.text().contains("SMITH"), "{}", masked.text());
        assert!(!masked.text().contains("17905721"), "{}", masked.text());
        assert!(filter(std::slice::from_ref(&e), "smith", true).is_empty());
        assert_eq!(filter(std::slice::from_ref(&e), "intention", true).len(), 1);
    }
}
