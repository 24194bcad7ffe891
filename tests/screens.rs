//! Every screen the README's "The inspector" section shows, reached only through
//! `App::update` (keys and replies, as the event loop hands them over) and checked on the
//! state and on the drawn text for what the README says is there.

mod support;

use crossterm::event::KeyCode;
use ratatui::style::Style;
use rudder_inspect::api::Query;
use rudder_inspect::app::transcript::Filter;
use rudder_inspect::app::{App, Context, Effect, Focus, Loaded, Tab};
use support::*;

fn loaded(app: &App) -> &Loaded {
    app.loaded.as_deref().expect("an answer on screen")
}

/// The rows of the screen below the tab titles and above the status bar, right of the form.
fn body(app: &App) -> Vec<String> {
    let s = screen(app);
    let rows: Vec<&str> = s.lines().collect();
    rows[1..rows.len() - 2]
        .iter()
        .map(|r| r.to_string())
        .collect()
}

/// The status bar's two rows.
fn status_bar(app: &App) -> String {
    let s = screen(app);
    let rows: Vec<&str> = s.lines().collect();
    rows[rows.len() - 2..].join("\n")
}

/// `name` answered at 160×50 and shown on the tab of `digit`: the app and the tab's rows.
fn on_tab(name: &str, digit: char, tab: Tab) -> (App, String) {
    let mut app = answered_app(name, 160, 50);
    press(&mut app, [key(digit)]);
    assert_eq!(app.tab, tab);
    let rows = body(&app).join("\n");
    (app, rows)
}

/// Fails, showing `s`, unless every one of `parts` is in it.
fn assert_shows(s: &str, parts: &[&str]) {
    for part in parts {
        assert!(s.contains(part), "{part:?} missing:\n{s}");
    }
}

/// The style of the first cell where `text` starts on the screen.
fn style_of(app: &App, text: &str) -> Style {
    let terminal = render(app);
    let buf = terminal.backend().buffer();
    let s = screen(app);
    for (y, row) in s.lines().enumerate() {
        if let Some(at) = row.find(text) {
            // Columns, not bytes: every character before it is one cell here (ASCII rows).
            let x = row[..at].chars().count() as u16;
            return buf[(x, y as u16)].style();
        }
    }
    panic!("{text:?} is not on screen:\n{s}")
}

/// Body rows that are turns of the transcript (not its two header rows).
fn turn_rows(app: &App) -> Vec<String> {
    body(app)
        .into_iter()
        .skip(3)
        .filter(|r| r.contains(" ◆ Robot ") || r.contains(" ● Callee ") || r.contains('⋯'))
        .collect()
}

/// Fails unless a turn row on screen holds `text`.
fn assert_turn_shows(app: &App, text: &str) {
    let turns = turn_rows(app);
    assert!(
        turns.iter().any(|r| r.contains(text)),
        "{text:?}: {turns:?}"
    );
}

// ---------------------------------------------------------------------------------------
// The form

#[test]
fn the_form_has_its_four_fields_and_enter_sends_them() {
    let mut app = form_app(&Query::default(), 160, 50);
    assert_eq!(app.focus, Focus::Form);
    let s = screen(&app);
    assert_shows(
        &s,
        &["workflow_id", "node_id", "callee", "case_id (optional)"],
    );
    let q = reference_query();
    for (i, value) in [&q.workflow_id, &q.node_id, &q.callee]
        .into_iter()
        .enumerate()
    {
        assert_eq!(app.form.focused, i);
        type_text(&mut app, value);
        press(&mut app, [code(KeyCode::Tab)]);
    }
    let s = screen(&app);
    assert!(s.contains(&q.callee), "{s}");
    let effects = press(&mut app, [code(KeyCode::Enter)]);
    let [Effect::Send { query, .. }] = &effects[..] else {
        panic!("Enter sends one query: {effects:?}")
    };
    assert_eq!(
        (&query.workflow_id, &query.node_id, &query.callee),
        (&q.workflow_id, &q.node_id, &q.callee)
    );
    assert!(app.is_loading());
}

#[test]
fn the_answer_goes_to_tabs_beside_the_form_and_the_status_bar_says_where_from() {
    let app = answered_app("01-reference.json", 160, 50);
    assert_eq!((app.focus, app.tab), (Focus::Result, Tab::Profile));
    let s = screen(&app);
    let titles = s.lines().next().unwrap();
    assert_shows(
        titles,
        &[
            "1 Profile",
            "2 Call",
            "3 Redials",
            "4 Q&A",
            "5 Transcript",
            "6 Raw JSON",
        ],
    );
    // No Diff view without two documents to compare.
    assert!(!titles.contains("7 Diff"), "{titles}");
    // Wide: the form stays on the left.
    assert!(s.contains("workflow_id") && app.show_form, "{s}");
    // Where it came from, HTTP status, API code/status, latency, size and time.
    let bar = status_bar(&app);
    assert_shows(
        &bar,
        &[
            BASE_URL,
            "HTTP 200",
            "code 200 OK",
            "123 ms",
            "5.3 KiB",
            "15:00:05",
        ],
    );
}

#[test]
fn narrower_than_110_columns_the_form_hides_and_f_brings_it_back() {
    let mut app = answered_app("01-reference.json", 109, 40);
    // (The Profile tab has a `workflow_id` of its own: the form is its other labels.)
    assert!(!app.show_form);
    assert!(!screen(&app).contains("case_id (optional)"));
    press(&mut app, [key('f')]);
    assert!(app.show_form && app.focus == Focus::Form);
    assert!(screen(&app).contains("case_id (optional)"));
    // Ctrl-B hides and shows the pane, whatever the width.
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [ctrl('b')]);
    assert!(!app.show_form);
    assert!(!screen(&app).contains("case_id (optional)"));
    press(&mut app, [ctrl('b')]);
    assert!(screen(&app).contains("case_id (optional)"));
}

// ---------------------------------------------------------------------------------------
// The six tabs

#[test]
fn tab_1_profile_who_the_callee_is_what_they_owe_and_attributes() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('3'), key('1')]);
    assert_eq!(app.tab, Tab::Profile);
    let s = body(&app).join("\n");
    assert_shows(
        &s,
        &[
            "WILL SMITH",                  // who
            "total owing    20310.00 USD", // what they owe
            "5 days overdue at the call",
            "extend_callees", // other numbers
            "custom_attribute",
        ],
    );
}

#[test]
fn tab_2_call_ids_times_hang_up_in_words_intention_and_tallies() {
    let (_, s) = on_tab("01-reference.json", '2', Tab::Call);
    assert_shows(
        &s,
        &[
            "call_id",
            "start      2024-03-12 14:54:26",
            "duration   26 s",
            "ByRobot (the robot ended the call)",
            "E — Needs Follow Up",
            "multi_label",
            "slots",
            "1 match / 0 mismatch of 1 question",
            "5 turns (5 robot, 0 callee)",
        ],
    );
}

#[test]
fn tab_3_redials_in_time_order_with_an_axis_and_per_number_totals() {
    let (mut app, s) = on_tab("01-reference.json", '3', Tab::Redials);
    let starts = [
        "2024-03-12 14:51:15",
        "2024-03-12 14:51:24",
        "2024-03-12 14:52:23",
        "2024-03-12 14:54:26",
    ];
    let at: Vec<usize> = starts
        .iter()
        .map(|t| s.find(t).unwrap_or_else(|| panic!("{t}:\n{s}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "in time order:\n{s}");
    assert!(s.contains("Time axis"), "{s}");
    assert!(s.contains("Per number"), "{s}");
    assert!(s.contains("attempts"), "{s}");
    // `j` moves the selection: the detail follows it.
    assert!(s.contains("Attempt 1 of 4"), "{s}");
    press(&mut app, [key('j')]);
    assert!(body(&app).join("\n").contains("Attempt 2 of 4"));
}

#[test]
fn tab_4_qa_verification_results() {
    let (_, s) = on_tab("01-reference.json", '4', Tab::Qa);
    assert!(s.contains("✓ Match"), "{s}");
    assert!(s.contains("CURP Verification"), "{s}");
    let (_, s) = on_tab("03-mismatch-heavy.json", '4', Tab::Qa);
    assert!(s.contains('✗'), "a mismatch is marked:\n{s}");
}

#[test]
fn tab_5_transcript_as_a_chat_with_silences_and_the_promise_to_pay() {
    let (app, s) = on_tab("02-full-match.json", '5', Tab::Transcript);
    // Who spoke how much, and the promise-to-pay turn marked in the header and under it.
    assert_shows(
        &s,
        &[
            "◆ Robot 15 turns",
            "● Callee 15 turns",
            "★ PTP 2024-05-20 15000 → 01:27",
            "★ PTP 2024-05-20 15000: the amount and date named here",
        ],
    );
    // Robot and callee alternate as a chat.
    let turns = turn_rows(&app);
    assert!(turns[0].contains("00:00 ◆ Robot"), "{turns:?}");
    assert!(turns[1].contains("00:09 ● Callee"), "{turns:?}");
    // Silences: the reference has them as lines of their own.
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('5')]);
    assert_turn_shows(&app, "⋯ silence 00:07");
}

#[test]
fn tab_6_raw_json_as_sent_coloured() {
    let (app, s) = on_tab("01-reference.json", '6', Tab::Raw);
    let size = asset("01-reference.json").len();
    assert!(
        s.contains(&format!(
            "5.3 KiB ({},{:03} bytes)",
            size / 1000,
            size % 1000
        )),
        "{s}"
    );
    assert!(s.contains("  1 {"), "{s}");
    assert!(s.contains(r#"  2   "data": {"#), "{s}");
    // Coloured: a key is not drawn like the punctuation around it.
    assert_ne!(style_of(&app, r#""data""#), style_of(&app, "{"));
}

// ---------------------------------------------------------------------------------------
// The transcript's keys

#[test]
fn transcript_filters_r_c_a_and_s() {
    let mut app = answered_app("02-full-match.json", 160, 50);
    press(&mut app, [key('5')]);
    for (k, filter, words, hidden) in [
        ('c', Filter::Callee, "showing callee only", "◆ Robot"),
        ('r', Filter::Robot, "showing robot only", "● Callee"),
    ] {
        press(&mut app, [key(k)]);
        assert_eq!(loaded(&app).views.transcript.filter, filter);
        assert!(body(&app).join("\n").contains(words));
        let turns = turn_rows(&app);
        assert!(
            !turns.is_empty() && turns.iter().all(|r| !r.contains(hidden)),
            "{k}: {turns:?}"
        );
    }

    press(&mut app, [key('a')]);
    assert_eq!(loaded(&app).views.transcript.filter, Filter::All);
    let turns = turn_rows(&app);
    assert!(turns.iter().any(|r| r.contains("◆ Robot")));
    assert!(turns.iter().any(|r| r.contains("● Callee")));

    // `s` folds the silences, and shows them again.
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('5'), key('s')]);
    assert!(loaded(&app).views.transcript.hide_silences);
    assert!(body(&app).join("\n").contains("silences folded"));
    assert!(!turn_rows(&app).iter().any(|r| r.contains("⋯ silence")));
    press(&mut app, [key('s')]);
    assert!(body(&app).join("\n").contains("silences shown"));
    assert!(turn_rows(&app).iter().any(|r| r.contains("⋯ silence")));
}

#[test]
fn transcript_search_is_incremental_and_n_wraps_around() {
    let mut app = answered_app("02-full-match.json", 160, 50);
    press(&mut app, [key('5'), key('/')]);
    type_text(&mut app, "Pay");
    let search = &loaded(&app).views.transcript.search;
    assert!(search.editing);
    let total = search.hits.len();
    assert!(total > 3, "{total}");
    let header = body(&app)[1].clone();
    assert!(header.contains("/Pay▏"), "{header}");
    assert!(header.contains(&format!("1/{total}")), "{header}");
    // Every match is really "pay", in any case, where it says on the turn it names.
    let l = loaded(&app);
    let items = &l.data().call.asr_result.items;
    for hit in search.hits.iter() {
        let turn =
            rudder_inspect::case::transcript::text(&l.facts.transcript.entries[hit.row], items);
        let found: String = turn.chars().skip(hit.start).take(hit.len).collect();
        assert_eq!(found.to_lowercase(), "pay", "{turn}");
    }
    assert_eq!(search.hits.iter().count(), total);
    // Enter keeps it: `n` steps, the counter follows, and it comes round to the first.
    press(&mut app, [code(KeyCode::Enter)]);
    assert!(body(&app)[1].contains(&format!("/Pay 1/{total} n/N")));
    let first = loaded(&app).views.transcript.search.current_hit();
    press(&mut app, [key('n')]);
    assert!(body(&app)[1].contains(&format!("2/{total}")));
    for _ in 1..total {
        press(&mut app, [key('n')]);
    }
    assert_eq!(loaded(&app).views.transcript.search.current_hit(), first);
    press(&mut app, [key('N')]);
    assert!(body(&app)[1].contains(&format!("{total}/{total}")));
    // The current match is on screen, in the turn selected.
    let hit = loaded(&app).views.transcript.search.current_hit().unwrap();
    let selected = loaded(&app)
        .views
        .transcript
        .selected_entry(&loaded(&app).facts.transcript)
        .unwrap();
    assert_eq!(hit.row, selected);
    // Esc clears a kept search.
    press(&mut app, [code(KeyCode::Esc)]);
    assert!(!loaded(&app).views.transcript.search.is_active());
    assert!(!body(&app)[1].contains("/Pay"));
    // While typing, Esc leaves the search with its highlights; Esc again clears them.
    press(&mut app, [key('/')]);
    type_text(&mut app, "pay");
    press(&mut app, [code(KeyCode::Esc)]);
    let search = &loaded(&app).views.transcript.search;
    assert!(!search.editing && search.is_active());
    let counter = format!("/pay {} n/N", search.counter());
    assert!(body(&app)[1].contains(&counter), "{}", body(&app)[1]);
    press(&mut app, [code(KeyCode::Esc)]);
    assert!(!loaded(&app).views.transcript.search.is_active());
}

#[test]
fn raw_json_search_counts_and_steps_too() {
    let mut app = answered_app("01-reference.json", 160, 30);
    press(&mut app, [key('6'), key('/')]);
    type_text(&mut app, "ROBOTTEXT");
    press(&mut app, [code(KeyCode::Enter)]);
    let search = &loaded(&app).views.raw.search;
    let total = search.hits.len();
    assert!(total > 3, "{total}");
    let header = body(&app)[0].clone();
    assert!(
        header.contains(&format!(
            "/ROBOTTEXT {}/{total}",
            search.current.unwrap() + 1
        )),
        "{header}"
    );
    for _ in 0..total {
        press(&mut app, [key('n')]);
        // The line of the current match is on screen, with its number.
        let row = loaded(&app).views.raw.search.current_row().unwrap();
        let line = body(&app).into_iter().find(|r| {
            r.contains(&format!(" {} ", row + 1)) && r.to_lowercase().contains("robottext")
        });
        assert!(line.is_some(), "line {} not on screen", row + 1);
    }
    press(&mut app, [code(KeyCode::Esc), code(KeyCode::Esc)]);
    assert!(!body(&app)[0].contains("ROBOTTEXT"));
}

#[test]
fn transcript_time_jump() {
    let mut app = answered_app("02-full-match.json", 160, 50);
    press(&mut app, [key('5'), key(':')]);
    assert_eq!(loaded(&app).views.transcript.jump.as_deref(), Some(""));
    assert!(body(&app)[1].contains("go to time: ▏ mm:ss or hh:mm:ss"));
    type_text(&mut app, "01:27");
    press(&mut app, [code(KeyCode::Enter)]);
    let v = &loaded(&app).views.transcript;
    assert_eq!(v.jump, None);
    // The turn at 01:27 is selected and on screen.
    let t = &loaded(&app).facts.transcript;
    let e = v.selected_entry(t).unwrap();
    assert_eq!(t.entries[e].at(), Some(87));
    assert_turn_shows(&app, "01:27 ● Callee  I can pay the full amount");
    // What is not a time is said so.
    press(&mut app, [key(':')]);
    type_text(&mut app, "1:2:3:4");
    press(&mut app, [code(KeyCode::Enter)]);
    let v = &loaded(&app).views.transcript;
    assert_eq!(
        v.jump.as_deref(),
        Some("1:2:3:4"),
        "the prompt stays to correct it"
    );
    let s = screen(&app);
    assert!(
        s.contains(r#"not a time: "1:2:3:4" (mm:ss or hh:mm:ss)"#),
        "{s}"
    );
}

// ---------------------------------------------------------------------------------------
// Diff, help, history, masking

#[test]
fn d_compares_with_the_previous_answer_in_a_diff_view() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('f')]);
    let (id, _) = submit(&mut app);
    let changed = String::from_utf8(asset("01-reference.json"))
        .unwrap()
        .replace("WILL SMITH", "JOHN SMITH");
    reply(&mut app, id, Ok(answer_bytes(changed)));
    press(&mut app, [key('d')]);
    assert_eq!(app.tab, Tab::Diff);
    let s = screen(&app);
    assert!(s.lines().next().unwrap().contains("7 Diff"), "{s}");
    assert!(s.contains("left: the answer of 15:00:05"), "{s}");
    let row = s
        .lines()
        .find(|l| l.contains("WILL SMITH"))
        .unwrap_or_else(|| panic!("the change is listed:\n{s}"));
    assert!(row.contains("JOHN SMITH"), "{row}");
    // `7` comes back to it from another tab.
    press(&mut app, [key('1'), key('7')]);
    assert_eq!(app.tab, Tab::Diff);
}

#[test]
fn question_mark_shows_every_key_and_esc_closes() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('?')]);
    assert!(app.help_open());
    let s = screen(&app);
    assert_shows(
        &s,
        &[
            "Keys",
            "Anywhere",
            "Ctrl-R",
            "past lookups",
            "Result",
            "1–6",
        ],
    );
    press(&mut app, [code(KeyCode::Esc)]);
    assert!(!app.help_open());
    assert!(!screen(&app).contains("past lookups"));
    // F1 from the form, where `?` is typed.
    let mut app = form_app(&Query::default(), 160, 50);
    press(&mut app, [key('?')]);
    assert!(!app.help_open());
    press(&mut app, [code(KeyCode::F(1))]);
    assert!(app.help_open());
}

#[test]
fn ctrl_r_lists_past_lookups_filters_and_fills_the_form() {
    let chinese = query_for("06-chinese.json");
    let mexican = query_for("03-mismatch-heavy.json");
    let history = [
        (&chinese, "06-chinese.json"),
        (&mexican, "03-mismatch-heavy.json"),
    ]
    .map(|(q, name)| {
        let a = answer(name);
        rudder_inspect::history::Entry::new(q, None, Some(BASE_URL), received_at(), Ok(&a))
    });
    let mut app = App::new(
        Query::default(),
        Context {
            history: history.to_vec(),
            // Where lookups would be saved (by the loop: nothing here writes it).
            history_file: Some(std::env::temp_dir().join("never-written.jsonl")),
            ..context()
        },
    );
    app.update(rudder_inspect::app::Action::Resize(160, 50));
    press(&mut app, [ctrl('r')]);
    assert!(app.history_pane().is_some());
    let s = screen(&app);
    assert!(s.contains("History"), "{s}");
    assert!(
        s.contains(&chinese.callee) && s.contains(&mexican.callee),
        "{s}"
    );
    // Type to filter, Enter puts it in the form; Esc closes.
    type_text(&mut app, "LUIS");
    let s = screen(&app);
    assert!(s.contains("1 of 2"), "{s}");
    press(&mut app, [code(KeyCode::Enter)]);
    assert!(app.history_pane().is_none());
    assert_eq!(app.form.query(), mexican);
    press(&mut app, [ctrl('r'), code(KeyCode::Esc)]);
    assert!(app.history_pane().is_none());
}

#[test]
fn m_masks_every_tab_and_the_status_bar_says_so() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('m')]);
    assert!(app.masked());
    assert!(
        status_bar(&app).contains("■ masked"),
        "{}",
        status_bar(&app)
    );
    for tab in ['1', '2', '5', '6'] {
        press(&mut app, [key(tab)]);
        let s = screen(&app);
        assert!(!s.contains("WILL SMITH"), "tab {tab}:\n{s}");
        assert!(!s.contains("+8618717905721"), "tab {tab}:\n{s}");
    }
    press(&mut app, [key('1'), key('m')]);
    assert!(!app.masked());
    assert!(!status_bar(&app).contains("masked"));
    assert!(screen(&app).contains("WILL SMITH"));
}
