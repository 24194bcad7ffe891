//! A review of many cases, through `App::update` and a `TestBackend`: the case list, opening
//! cases with the tab and searches kept, verdicts and notes saved and read back, the filter,
//! the sort, the quick filters, failed rows, the figures; and the list's snapshots.

mod support;

use std::path::{Path, PathBuf};

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use rudder_inspect::app::review::Screen;
use rudder_inspect::app::{Action, App, Effect, Tab};
use rudder_inspect::demo::CASE_FILES;
use rudder_inspect::review::listing::list;
use rudder_inspect::review::marks::{Verdict, load};
use support::*;

/// The demo's seven answers saved as `batch --save` saves them, plus whatever `extra` adds.
fn saved_dir(extra: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (i, (_, body)) in CASE_FILES.iter().enumerate() {
        let callee = rudder_inspect::demo::cases()[i].query.callee.clone();
        std::fs::write(dir.path().join(format!("{:04}-{callee}.json", i + 1)), body).unwrap();
    }
    for (name, body) in extra {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    dir
}

/// The review of `dir` on a `w`×`h` screen, every case summed up.
fn review_app(dir: &Path, w: u16, h: u16) -> App {
    let listing = list(dir).unwrap();
    let marks = load(&listing.marks_path());
    let mut c = context();
    c.watch_words = vec!["lawyer".into(), "pay".into()];
    let (mut app, effects) =
        App::new(Default::default(), c).with_review(listing, marks, "cases".into());
    app.update(Action::Resize(w, h));
    as_the_loop_does(&mut app, effects);
    app
}

fn marks_file(dir: &Path) -> PathBuf {
    dir.join("review.jsonl")
}

/// The review on screen.
fn review_of(app: &App) -> &rudder_inspect::app::review::Review {
    app.review.as_deref().expect("a review")
}

/// The entries the list shows, in its order.
fn order_of(app: &App) -> Vec<usize> {
    review_of(app)
        .list
        .order
        .iter()
        .map(|&i| i as usize)
        .collect()
}

/// Whether the case list is what the review shows.
fn showing_list(app: &App) -> bool {
    matches!(review_of(app).screen, Screen::List)
}

/// The name a case has in `review.jsonl`.
fn key_of(dir: &Path, i: usize) -> String {
    list(dir).unwrap().entries[i].key.clone()
}

fn screen_of(app: &App) -> String {
    screen(app)
}

#[test]
fn the_list_opens_sorted_by_row_with_the_first_selected_and_nothing_reviewed() {
    let dir = saved_dir(&[]);
    let app = review_app(dir.path(), 120, 30);
    let s = screen_of(&app);
    assert!(s.contains("0/7 reviewed"), "{s}");
    assert!(s.contains("7 of 7  sorted by row ↑"), "{s}");
    let rows: Vec<&str> = s.lines().skip(2).take(7).collect();
    assert!(rows[0].trim_start().starts_with("1  WILL SMITH"), "{s}");
    assert!(rows[6].trim_start().starts_with("7  JESSICA MOORE"), "{s}");
    let r = review_of(&app);
    assert_eq!(r.list.selected(), Some(0));
    assert_eq!(r.unread, 0);
    // The mismatch column says how many of how many; the watch column counts both words.
    assert!(rows[2].contains("✗ 4/6"), "{}", rows[2]);
}

#[test]
fn enter_opens_the_case_and_a_bracket_pages_on_in_the_same_tab_with_the_search_kept() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [code(KeyCode::Down), code(KeyCode::Enter)]);
    assert!(matches!(review_of(&app).screen, Screen::Case));
    assert!(screen_of(&app).contains("case 2/7 · row 2"));
    press(&mut app, [key('5'), key('/')]);
    type_text(&mut app, "you");
    press(&mut app, [code(KeyCode::Enter), key('c')]);
    assert_eq!(app.tab, Tab::Transcript);
    let first = screen_of(&app);
    assert!(first.contains("/you 1/"), "{first}");
    press(&mut app, [key(']')]);
    let s = screen_of(&app);
    assert_eq!(app.tab, Tab::Transcript, "the tab is kept");
    assert!(s.contains("case 3/7 · row 3"), "{s}");
    let l = app.loaded.as_deref().unwrap();
    assert_eq!(l.views.transcript.search.query, "you", "the search is kept");
    assert_eq!(
        l.views.transcript.filter,
        rudder_inspect::app::transcript::Filter::Callee,
        "the speaker filter is kept"
    );
    assert!(s.contains("callee only"), "{s}");
    press(&mut app, [key('[')]);
    assert!(screen_of(&app).contains("case 2/7 · row 2"));
    // Esc goes back to the list, on the case that was open.
    press(&mut app, [code(KeyCode::Esc)]);
    let r = review_of(&app);
    assert!(matches!(r.screen, Screen::List));
    assert_eq!(r.list.selected(), Some(1));
    // From the list, `]` opens the next case.
    press(&mut app, [key(']')]);
    assert!(screen_of(&app).contains("case 3/7 · row 3"));
    press(&mut app, [key('f')]);
    assert!(showing_list(&app));
}

#[test]
fn the_last_case_says_so_instead_of_wrapping() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [key('G'), code(KeyCode::Enter), key(']')]);
    assert!(screen_of(&app).contains("case 7/7"));
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "the last case of the list"
    );
}

#[test]
fn verdicts_and_notes_are_saved_at_once_and_read_back() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    let effects = press(&mut app, [key('P')]);
    assert!(matches!(effects.as_slice(), [Effect::SaveMark { .. }]));
    let after_one = std::fs::read_to_string(marks_file(dir.path())).unwrap();
    assert_eq!(after_one.lines().count(), 1);
    assert!(after_one.contains("\"verdict\":\"pass\""), "{after_one}");
    assert!(after_one.contains("\"row\":1"), "{after_one}");
    let r = review_of(&app);
    assert_eq!(
        r.list.selected(),
        Some(0),
        "a verdict does not move the selection"
    );
    // In an open case: fail, and a note.
    press(
        &mut app,
        [
            code(KeyCode::Down),
            code(KeyCode::Enter),
            key('X'),
            key('i'),
        ],
    );
    type_text(&mut app, "promised twice, amount differs");
    press(&mut app, [code(KeyCode::Enter)]);
    let s = screen_of(&app);
    assert!(s.contains("2/7 reviewed"), "{s}");
    assert!(s.contains("✗ fail · ✎ promised twice"), "{s}");
    // `i` then Esc leaves the note as it was.
    press(&mut app, [key('i'), key('z'), code(KeyCode::Esc)]);
    let text = std::fs::read_to_string(marks_file(dir.path())).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["verdict"], "fail");
    assert_eq!(last["note"], "promised twice, amount differs");
    assert_eq!(last["row"], 2);
    assert_eq!(last["callee"], "+639171234567");
    assert_eq!(last["case_id"], "PN-2024-0051873");
    // Reopened: both verdicts, and the list shows them.
    let again = review_app(dir.path(), 120, 30);
    let s = screen_of(&again);
    assert!(s.contains("2/7 reviewed"), "{s}");
    assert!(s.contains("✓ pass") && s.contains("✗ fail ✎"), "{s}");
    // The same key again takes the verdict back.
    let mut app = again;
    press(&mut app, [key('P')]);
    assert!(screen_of(&app).contains("1/7 reviewed"));
    let m = load(&marks_file(dir.path()));
    assert_eq!(m.get(&key_of(dir.path(), 0)).unwrap().verdict, None);
    assert_eq!(
        m.get(&key_of(dir.path(), 1)).unwrap().verdict,
        Some(Verdict::Fail)
    );
}

#[test]
fn the_filter_finds_a_case_by_part_of_its_name_and_number_and_enter_keeps_then_opens_it() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [key('/')]);
    type_text(&mut app, "jess 3125");
    let s = screen_of(&app);
    assert!(s.contains("1 of 7"), "{s}");
    assert!(s.contains("JESSICA MOORE"), "{s}");
    press(&mut app, [code(KeyCode::Enter)]);
    let r = review_of(&app);
    assert!(!r.list.filter.editing);
    assert_eq!(r.list.filter.query, "jess 3125");
    press(&mut app, [code(KeyCode::Enter)]);
    assert!(screen_of(&app).contains("case 1/1 · row 7"));
    // Esc in the list clears the filter.
    press(&mut app, [code(KeyCode::Esc), code(KeyCode::Esc)]);
    assert!(screen_of(&app).contains("7 of 7"));
}

#[test]
fn a_fuzzy_filter_puts_the_best_match_first_and_selects_it() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [key('G'), key('/')]);
    type_text(&mut app, "okafor");
    let r = review_of(&app);
    assert_eq!(r.list.select.selected, 0);
    assert_eq!(r.list.selected(), Some(4), "row 5 is DANIEL OKAFOR");
}

#[test]
fn o_cycles_the_sort_column_and_capital_o_reverses_it() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [key('o')]);
    let s = screen_of(&app);
    assert!(s.contains("sorted by callee ↑"), "{s}");
    let names = order_of(&app);
    assert_eq!(names[0], 3, "ANDI SAPUTRA first: {names:?}");
    press(&mut app, [key('O')]);
    assert!(screen_of(&app).contains("sorted by callee ↓"));
    let names = order_of(&app);
    assert_eq!(
        names[0], 5,
        "张伟 last by code point, so first reversed: {names:?}"
    );
    // To duration: the longest call last.
    for _ in 0..4 {
        press(&mut app, [key('o')]);
    }
    assert!(screen_of(&app).contains("sorted by duration ↑"));
    let order = &review_of(&app).list.order;
    assert_eq!(
        *order.last().unwrap(),
        6,
        "the case with no duration goes last: {order:?}"
    );
}

#[test]
fn quick_filters_show_mismatches_watch_hits_unreviewed_and_failed() {
    let dir = saved_dir(&[("notes.txt", b"hello"), ("0008-+1.json", b"<html>oops")]);
    let mut app = review_app(dir.path(), 120, 30);
    let s = screen_of(&app);
    assert!(s.contains("0/9 reviewed"), "{s}");
    assert!(s.contains("not a saved answer"), "{s}");
    press(&mut app, [key('x')]);
    let order: Vec<u32> = review_of(&app).list.order.clone();
    assert_eq!(order, [2, 5], "the two cases with a mismatch");
    press(&mut app, [key('e')]);
    let s = screen_of(&app);
    assert!(s.contains("2 of 9") && s.contains("only failed"), "{s}");
    // Enter on a failed row says why rather than opening it.
    press(&mut app, [code(KeyCode::Enter)]);
    assert!(showing_list(&app));
    assert!(app.notice.as_ref().unwrap().warn);
    press(&mut app, [key('e'), key('w')]);
    let order = review_of(&app).list.order.clone();
    assert!(!order.is_empty() && order.len() < 7, "{order:?}");
    press(&mut app, [key('w'), key('P'), key('u')]);
    let s = screen_of(&app);
    assert!(s.contains("8 of 9") && s.contains("only unreviewed"), "{s}");
}

#[test]
fn a_corrupt_verdict_line_is_named_and_kept() {
    let dir = saved_dir(&[]);
    std::fs::write(marks_file(dir.path()), "{oops\n").unwrap();
    let mut app = review_app(dir.path(), 120, 30);
    let n = app.notice.clone().unwrap();
    assert!(n.warn && n.text.contains("line 1"), "{n:?}");
    press(&mut app, [key('P')]);
    let text = std::fs::read_to_string(marks_file(dir.path())).unwrap();
    assert!(text.starts_with("{oops\n"), "{text}");
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn s_shows_the_figures_and_esc_comes_back() {
    let dir = saved_dir(&[("notes.txt", b"x")]);
    let mut app = review_app(dir.path(), 120, 40);
    press(&mut app, [key('X'), key('s')]);
    let s = screen_of(&app);
    assert!(s.contains("8 cases, 1/8 reviewed: 0 pass, 1 fail"), "{s}");
    assert!(s.contains("Intention") && s.contains("Watch words"), "{s}");
    assert!(s.contains("lawyer"), "{s}");
    assert!(s.contains("Failed (1)"), "{s}");
    press(&mut app, [code(KeyCode::Esc)]);
    assert!(showing_list(&app));
}

#[test]
fn m_masks_the_names_and_numbers_of_the_list() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [key('m')]);
    let s = screen_of(&app);
    assert!(
        !s.contains("WILL SMITH") && s.contains("W**** S****"),
        "{s}"
    );
    assert!(!s.contains("+639171234567"), "{s}");
}

#[test]
fn keys_typed_into_the_filter_and_the_note_are_text_not_commands() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [key('/')]);
    let effects = type_text(&mut app, "qPX]");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(review_of(&app).list.filter.query, "qPX]");
    press(&mut app, [code(KeyCode::Esc), key('i')]);
    let effects = type_text(&mut app, "q]P");
    assert!(effects.is_empty());
    assert!(!std::path::Path::new(&marks_file(dir.path())).exists());
    app.update(Action::Paste("pasted\u{1b}[2J text".into()));
    press(&mut app, [code(KeyCode::Enter)]);
    let m = load(&marks_file(dir.path()));
    let note = &m.get(&key_of(dir.path(), 0)).unwrap().note;
    assert!(
        note.starts_with("q]Ppasted") && !note.contains('\u{1b}'),
        "{note}"
    );
}

#[test]
fn list_snapshots_at_two_sizes() {
    let dir = saved_dir(&[("notes.txt", b"x")]);
    let mut app = review_app(dir.path(), 80, 24);
    press(&mut app, [key('j'), key('X')]);
    app.notice = None;
    assert_snapshot!("review_list_80x24", screen_of(&app));
    app.update(Action::Resize(160, 50));
    assert_snapshot!("review_list_160x50", screen_of(&app));
}

#[test]
fn the_help_of_a_review_lists_its_keys_and_not_the_forms() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 160, 50);
    press(&mut app, [key('?')]);
    let mut seen = String::new();
    loop {
        seen.push_str(&screen_of(&app));
        let before = app.help_offset();
        press(&mut app, [code(KeyCode::PageDown)]);
        if app.help_offset() == before {
            break;
        }
    }
    for (_, rows) in rudder_inspect::app::keymap::groups(true) {
        for (keys, _) in rows {
            assert!(seen.contains(keys.as_str()), "{keys} is not in the help");
        }
    }
    assert!(
        seen.contains("Case list") && seen.contains("P / X / !"),
        "{seen}"
    );
    assert!(!seen.contains("send the query (from any field)"), "{seen}");
    press(&mut app, [code(KeyCode::Esc)]);
    assert!(!app.help_open());
    assert!(showing_list(&app));
}

// ---------------------------------------------------------------------------------------
// The command line: --summary and --export

/// Each demo answer's values, read with serde_json alone: what the figures must agree with.
fn expected_counts(word: &str) -> (std::collections::BTreeMap<String, u64>, u64, u64) {
    let mut intentions = std::collections::BTreeMap::new();
    let (mut hits, mut cases) = (0, 0);
    for (_, body) in CASE_FILES {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        let d = &v["data"];
        let call = &d["call"];
        let intention = call["intention"].as_str().unwrap_or("(none)").to_string();
        *intentions.entry(intention).or_insert(0) += 1;
        let mut n = 0;
        for item in call["asr_result"].as_array().into_iter().flatten() {
            for k in ["robottext", "text"] {
                let t = item[k].as_str().unwrap_or("").to_lowercase();
                n += t.matches(word).count() as u64;
            }
        }
        hits += n;
        cases += u64::from(n > 0);
    }
    (intentions, hits, cases)
}

#[test]
fn summary_counts_as_an_independent_reading_does() {
    let dir = saved_dir(&[("notes.txt", b"x")]);
    let sb = Sandbox::new();
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [key('P'), key('j'), key('X'), key('j'), key('!')]);
    let out = sb
        .cmd()
        .args([
            "review",
            dir.path().to_str().unwrap(),
            "--summary",
            "--watch",
            "pay",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (intentions, hits, cases) = expected_counts("pay");
    assert_eq!(v["cases"], 8);
    assert_eq!(v["reviewed"], 3);
    assert_eq!(
        v["verdicts"],
        serde_json::json!({"pass": 1, "fail": 1, "flag": 1})
    );
    for (k, n) in &intentions {
        assert_eq!(v["intention"][k], *n, "{k} in {v}");
    }
    assert_eq!(v["watch"]["pay"]["hits"], hits, "{v}");
    assert_eq!(v["watch"]["pay"]["cases"], cases, "{v}");
    assert!(hits > 0);
    // Mismatches by question: the demo's case 3 fails four questions, case 6 one.
    let total = sum_of_counts(&v["qa_mismatch"]);
    assert_eq!(total, 5, "{v}");
    assert_eq!(v["failed"].as_array().unwrap().len(), 1);
    let md = sb
        .cmd()
        .args([
            "review",
            dir.path().to_str().unwrap(),
            "--summary",
            "-o",
            "md",
        ])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("## Intention") && md.contains("8 cases, 3/8 reviewed"),
        "{md}"
    );
}

#[test]
fn export_writes_every_case_with_its_verdict_and_note_and_masks_on_request() {
    let dir = saved_dir(&[]);
    let sb = Sandbox::new();
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [key('j'), key('X'), key('i')]);
    type_text(&mut app, "=SUM(A1) wrong amount");
    press(&mut app, [code(KeyCode::Enter)]);
    let csv_path = sb.path("day.csv");
    let out = sb
        .cmd()
        .args(["review", dir.path().to_str().unwrap(), "--export"])
        .arg(&csv_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    for col in [
        "row",
        "workflow_id",
        "node_id",
        "callee",
        "case_id",
        "callee_name",
        "intention",
        "hangup_type",
        "duration",
        "qa_match",
        "qa_mismatch",
        "watch_hits",
        "verdict",
        "note",
    ] {
        assert!(head.contains(&col.to_string()), "{col} in {head:?}");
    }
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[1][col("verdict")], "fail");
    assert_eq!(&rows[1][col("note")], "'=SUM(A1) wrong amount");
    assert_eq!(&rows[1][col("callee_name")], "MARK ANTHONY VILLANUEVA");
    assert_eq!(&rows[1][col("row")], "2");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&csv_path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Masked: no name, no whole number.
    let masked = sb.path("masked.csv");
    let out = sb
        .cmd()
        .args(["review", dir.path().to_str().unwrap(), "--mask", "--export"])
        .arg(&masked)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&masked).unwrap();
    assert!(
        !text.contains("VILLANUEVA") && !text.contains("639171234567"),
        "{text}"
    );
    assert!(text.contains("fail"), "{text}");
    // Markdown, and a name it cannot write.
    let md = sb.path("day.md");
    let out = sb
        .cmd()
        .args(["review", dir.path().to_str().unwrap(), "--export"])
        .arg(&md)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(
        text.contains("## Cases") && text.contains("| 2 |"),
        "{text}"
    );
    let out = sb
        .cmd()
        .args([
            "review",
            dir.path().to_str().unwrap(),
            "--export",
            "day.txt",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(".csv"));
}

#[test]
fn a_review_of_what_is_not_there_says_so() {
    let sb = Sandbox::new();
    let out = sb
        .cmd()
        .args(["review", "no-such-dir", "--summary"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-dir"));
}

// ---------------------------------------------------------------------------------------
// The real binary in a terminal

#[test]
fn a_reviewer_pages_marks_and_comes_back_in_a_terminal() {
    use support::pty::{ENTER, Tui};
    let dir = saved_dir(&[]);
    let path = dir.path().to_str().unwrap().to_string();
    let args = ["review", path.as_str(), "--watch", "lawyer", "--no-history"];
    let mut tui = Tui::start(Sandbox::new(), &args, &[], 120, 40);
    tui.wait_for(&["0/7 reviewed", "WILL SMITH"]);
    tui.send(ENTER);
    tui.wait_for(&["case 1/7 · row 1"]);
    tui.send("5");
    tui.wait_tab("5 Transcript");
    tui.send("]");
    tui.wait_for(&["case 2/7 · row 2"]);
    tui.wait_tab("5 Transcript");
    tui.send("P");
    tui.wait_for(&["1/7 reviewed"]);
    // The line is written off the UI thread, as the screen says it.
    wait_file_contains(&marks_file(dir.path()), "\"verdict\":\"pass\"");
    tui.send("]");
    tui.wait_for(&["case 3/7 · row 3"]);
    tui.send("X");
    tui.send("i");
    tui.send("amount differs");
    tui.send(ENTER);
    tui.wait_for(&["2/7 reviewed", "note saved"]);
    // Two verdicts in one breath: written in the order given, the last one wins.
    tui.send("!P");
    tui.wait_for(&["· ✓ pass"]);
    tui.send("q");
    tui.wait_exit();
    let m = load(&marks_file(dir.path()));
    let third = m.get(&key_of(dir.path(), 2)).expect("row 3 marked");
    assert_eq!(third.verdict, Some(Verdict::Pass));
    assert_eq!(third.note, "amount differs");
    let text = std::fs::read_to_string(marks_file(dir.path())).unwrap();
    assert!(
        text.contains("amount differs") && text.contains("\"fail\""),
        "{text}"
    );
    // Reopened: the count is back, and the filter finds a case by name and number.
    let mut tui = Tui::start(Sandbox::new(), &args, &[], 120, 40);
    tui.wait_for(&["2/7 reviewed"]);
    tui.send("/");
    tui.send("okaf 2145");
    tui.wait_for(&["1 of 7"]);
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for(&["case 1/1 · row 5"]);
}

/// `n` cases: the demo's answers again and again, each with its own callee.
fn many_saved(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 1..=n {
        let (_, body) = CASE_FILES[i % CASE_FILES.len()];
        let mut v: serde_json::Value = serde_json::from_slice(body).unwrap();
        let number = format!("+63917{i:07}");
        v["data"]["callee"]["callee_number"] = number.clone().into();
        v["data"]["callee"]["callee_name"] = format!("CALLEE {i}").into();
        let path = dir.path().join(format!("{i:04}-{number}.json"));
        std::fs::write(path, serde_json::to_vec(&v).unwrap()).unwrap();
    }
    dir
}

/// Waits until `path` holds `needle` (a line written off the UI thread).
fn wait_file_contains(path: &Path, needle: &str) {
    let deadline = std::time::Instant::now() + support::pty::DEADLINE;
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(needle) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{} never held {needle}: {text}",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Resident memory of `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn paging_through_300_cases_holds_one_case_at_a_time() {
    use support::pty::{ENTER, Tui};
    let dir = many_saved(310);
    let path = dir.path().to_str().unwrap().to_string();
    let args = ["review", path.as_str(), "--no-history"];
    let mut tui = Tui::start(Sandbox::new(), &args, &[], 120, 40);
    tui.wait_for(&["0/310 reviewed", "CALLEE 1 "]);
    tui.send(ENTER);
    tui.wait_for(&["case 1/310"]);
    tui.send("5");
    tui.wait_tab("5 Transcript");
    // The longest transcript of the demo, once, so it is not counted as growth.
    for i in 2..=10 {
        tui.send("]");
        tui.wait_for(&[&format!("case {i}/310 ")]);
    }
    let pid = tui.pid.expect("a pid");
    let before = rss_kib(pid);
    for i in 11..=300 {
        tui.send("]");
        tui.wait_for(&[&format!("case {i}/310 ")]);
    }
    let after = rss_kib(pid);
    assert!(
        after < before + 50 * 1024,
        "memory grew from {before} KiB to {after} KiB over 290 cases"
    );
}

#[test]
fn the_form_and_the_lookup_history_stay_out_of_a_review() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    press(&mut app, [ctrl('b'), ctrl('r')]);
    assert!(!app.show_form);
    assert!(app.history_pane().is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("no form"));
    assert!(screen_of(&app).contains("0/7 reviewed"));
}

#[test]
fn a_filter_typed_before_the_cases_are_read_selects_the_best_match_once_they_are() {
    let dir = saved_dir(&[]);
    let listing = list(dir.path()).unwrap();
    let marks = load(&listing.marks_path());
    let (mut app, effects) =
        App::new(Default::default(), context()).with_review(listing, marks, "cases".into());
    app.update(Action::Resize(120, 30));
    press(&mut app, [key('/')]);
    type_text(&mut app, "okafor");
    assert!(review_of(&app).list.order.is_empty(), "nothing read yet");
    as_the_loop_does(&mut app, effects);
    let r = review_of(&app);
    assert_eq!(r.list.selected(), Some(4), "DANIEL OKAFOR, once read");
    // Moving the selection stops it following the best match.
    press(&mut app, [code(KeyCode::Enter), key('k')]);
    assert_eq!(review_of(&app).list.select.selected, 0);
}

#[test]
fn the_wheel_moves_the_list_and_a_click_selects_a_row() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    let tab = app.tab;
    app.update(wheel_down(40, 10));
    assert_eq!(review_of(&app).list.select.selected, 3);
    // Row 6 of the list is on the screen's eighth line (the title, the columns, then rows).
    app.update(click(10, 7));
    assert_eq!(review_of(&app).list.selected(), Some(5));
    assert_eq!(app.tab, tab, "no tab was clicked behind the list");
    press(&mut app, [key('s')]);
    app.update(wheel_down(40, 10));
    assert!(matches!(review_of(&app).screen, Screen::Figures(_)));
}

#[test]
fn with_masking_on_the_next_case_keeps_the_search_typed_on_the_masked_copy() {
    let dir = saved_dir(&[]);
    let mut app = review_app(dir.path(), 120, 30);
    press(
        &mut app,
        [code(KeyCode::Enter), key('m'), key('5'), key('/')],
    );
    assert!(app.masked());
    type_text(&mut app, "you");
    press(&mut app, [code(KeyCode::Enter), key(']')]);
    assert!(app.masked(), "the next case is shown masked too");
    let l = app.loaded.as_deref().expect("the next case, masked");
    assert_eq!(l.views.transcript.search.query, "you");
    assert!(screen_of(&app).contains("case 2/7"));
}
