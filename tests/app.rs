//! `App::update` driven by key, mouse and reply actions, the way the event loop drives it:
//! what the state becomes and which effects come out. No terminal, no network.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use rudder_inspect::api::{ApiError, Query};
use rudder_inspect::app::{Action, App, Context, Effect, Focus, Tab};
use support::*;

fn values(app: &App) -> [String; 4] {
    app.form.values()
}

/// An empty form at 160×50, focused on the first field.
fn empty_app() -> App {
    form_app(&Query::default(), 160, 50)
}

// ---------------------------------------------------------------------------------------
// The form

#[test]
fn typing_goes_into_the_focused_field() {
    let mut app = empty_app();
    assert_eq!(app.focus, Focus::Form);
    assert_eq!(app.form.focused, 0);
    assert!(type_text(&mut app, "abc123").is_empty());
    press(&mut app, [code(KeyCode::Backspace)]);
    assert_eq!(values(&app)[0], "abc12");
    press(&mut app, [code(KeyCode::Tab)]);
    type_text(&mut app, "def");
    assert_eq!(values(&app), ["abc12", "def", "", ""].map(String::from));
}

#[test]
fn tab_and_shift_tab_move_between_fields_then_to_the_result() {
    let mut app = empty_app();
    for want in [1, 2, 3] {
        press(&mut app, [code(KeyCode::Tab)]);
        assert_eq!((app.focus, app.form.focused), (Focus::Form, want));
    }
    // Past the last field: the result.
    press(&mut app, [code(KeyCode::Tab)]);
    assert_eq!(app.focus, Focus::Result);
    // Shift-Tab from the result comes back to the last field.
    press(&mut app, [shift_tab()]);
    assert_eq!((app.focus, app.form.focused), (Focus::Form, 3));
    for want in [2, 1, 0] {
        press(&mut app, [shift_tab()]);
        assert_eq!((app.focus, app.form.focused), (Focus::Form, want));
    }
    press(&mut app, [shift_tab()]);
    assert_eq!(app.focus, Focus::Result);
    // Tab from the result starts at the first field.
    press(&mut app, [code(KeyCode::Tab)]);
    assert_eq!((app.focus, app.form.focused), (Focus::Form, 0));
    // Up and Down move too, without leaving the form.
    press(&mut app, [code(KeyCode::Up), code(KeyCode::Down)]);
    assert_eq!(app.form.focused, 1);
    press(&mut app, [code(KeyCode::Down); 5]);
    assert_eq!((app.focus, app.form.focused), (Focus::Form, 3));
}

#[test]
fn key_releases_are_ignored() {
    let mut app = empty_app();
    let mut k = key('x');
    k.kind = KeyEventKind::Release;
    app.update(Action::Key(k));
    assert_eq!(values(&app)[0], "");
}

#[test]
fn paste_goes_into_the_focused_field_on_one_line() {
    let mut app = empty_app();
    press(&mut app, [code(KeyCode::Tab), code(KeyCode::Tab)]);
    app.update(Action::Paste("  +8613812345678\r\n".into()));
    assert_eq!(values(&app)[2], "+8613812345678");
}

fn filled(app: &mut App, case_id: &str) {
    type_text(app, "b761cdd784294");
    press(app, [code(KeyCode::Tab)]);
    type_text(app, "6ade9e4443");
    press(app, [code(KeyCode::Tab)]);
    type_text(app, "+8613812345678");
    press(app, [code(KeyCode::Tab)]);
    type_text(app, case_id);
}

#[test]
fn enter_sends_the_exact_query_without_a_case_id() {
    let mut app = empty_app();
    filled(&mut app, "");
    // Enter from any field sends.
    press(&mut app, [shift_tab()]);
    let effects = press(&mut app, [code(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::Send {
            id: 1,
            query: Query {
                workflow_id: "b761cdd784294".into(),
                node_id: "6ade9e4443".into(),
                callee: "+8613812345678".into(),
                case_id: None,
            }
        }]
    );
    assert!(app.is_loading());
    assert_eq!(app.notice, None);
}

#[test]
fn enter_sends_the_case_id_when_given_trimmed() {
    let mut app = empty_app();
    filled(&mut app, " CN-1 ");
    let (_, query) = submit(&mut app);
    assert_eq!(query.case_id.as_deref(), Some("CN-1"));
    assert_eq!(query.callee, "+8613812345678");
}

#[test]
fn enter_with_a_missing_field_sends_nothing_and_says_which() {
    let mut app = empty_app();
    type_text(&mut app, "abc");
    press(&mut app, [code(KeyCode::Tab), code(KeyCode::Tab)]);
    type_text(&mut app, "+1555");
    let effects = press(&mut app, [code(KeyCode::Enter)]);
    assert!(effects.is_empty());
    assert!(!app.is_loading());
    assert_eq!(app.form.focused, 1, "the empty node_id gets the focus");
    let notice = app.notice.clone().expect("a notice");
    assert!(notice.warn);
    assert!(notice.text.contains("node_id"), "{}", notice.text);
}

#[test]
fn enter_without_a_token_explains_and_sends_nothing() {
    let mut app = App::new(
        reference_query(),
        Context {
            cannot_query: Some(ApiError::NoToken),
            ..context()
        },
    );
    app.update(Action::Resize(160, 50));
    let effects = press(&mut app, [code(KeyCode::Enter)]);
    assert!(effects.is_empty());
    assert!(!app.is_loading());
    let failure = app.failure.as_ref().expect("the reason is shown");
    assert_eq!(failure.error, ApiError::NoToken);
    assert!(screen(&app).contains("no API token"));
}

// ---------------------------------------------------------------------------------------
// Replies

#[test]
fn an_answer_moves_focus_to_the_result_on_the_profile_tab() {
    let mut app = form_app(&reference_query(), 160, 50);
    let (id, query) = submit(&mut app);
    assert_eq!(query, reference_query());
    app.tab = Tab::Qa;
    reply(&mut app, id, Ok(answer("01-reference.json")));
    assert!(!app.is_loading());
    assert_eq!(app.focus, Focus::Result);
    assert_eq!(app.tab, Tab::Profile);
    assert!(app.show_form, "160 columns keep the form");
    assert!(app.failure.is_none());
    assert_eq!(app.notice.as_ref().unwrap().text, "answer in 123 ms");
    let loaded = app.loaded.as_ref().expect("an answer on screen");
    assert_eq!(loaded.data().callee.callee_name.show(), "WILL SMITH");
    assert!(screen(&app).contains("WILL SMITH"));
}

#[test]
fn an_answer_on_a_narrow_terminal_hides_the_form() {
    let app = answered_app("01-reference.json", 80, 24);
    assert!(!app.show_form);
    assert_eq!(app.focus, Focus::Result);
    assert!(app.notice.as_ref().unwrap().text.contains("f shows it"));
    // `f` brings it back, focused.
    let mut app = app;
    press(&mut app, [key('f')]);
    assert!(app.show_form);
    assert_eq!(app.focus, Focus::Form);
}

#[test]
fn a_failure_is_shown_and_the_form_keeps_its_text() {
    let q = Query {
        callee: "+10000000500".into(),
        ..reference_query()
    };
    let mut app = form_app(&q, 160, 50);
    let before = values(&app);
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Err(http_500()));
    assert!(!app.is_loading());
    assert_eq!(values(&app), before);
    let f = app.failure.as_ref().expect("a failure");
    assert_eq!(f.query, q);
    assert!(matches!(f.error, ApiError::Http { status: 500, .. }));
    let notice = app.notice.as_ref().unwrap();
    assert!(
        notice.warn && notice.text.contains("HTTP error"),
        "{notice:?}"
    );
    let s = screen(&app);
    assert!(s.contains("The request failed"), "{s}");
    assert!(s.contains("HTTP 500"), "{s}");
    assert!(
        s.contains("+10000000500"),
        "the form still shows the callee:\n{s}"
    );
    // Trying again sends the same query.
    let (_, again) = submit(&mut app);
    assert_eq!(again, q);
}

#[test]
fn a_failure_after_an_answer_replaces_it_until_the_next_answer() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('f')]);
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Err(ApiError::NoRecord));
    assert!(screen(&app).contains("no push record"));
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Ok(answer("06-chinese.json")));
    assert!(app.failure.is_none());
    assert!(screen(&app).contains("张伟"));
}

#[test]
fn esc_or_a_tab_key_brings_the_answer_back_from_under_a_failure() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('f')]);
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Err(ApiError::NoRecord));
    press(&mut app, [ctrl('b')]);
    assert_eq!(app.focus, Focus::Result);
    assert!(screen(&app).contains("no push record"));
    press(&mut app, [code(KeyCode::Esc)]);
    assert!(app.failure.is_none());
    assert!(screen(&app).contains("WILL SMITH"));
    // A tab key does the same, and lands on its tab.
    let (id, _) = {
        press(&mut app, [key('f')]);
        submit(&mut app)
    };
    reply(&mut app, id, Err(ApiError::NoRecord));
    press(&mut app, [ctrl('b'), key('2')]);
    assert!(app.failure.is_none());
    assert_eq!(app.tab, Tab::Call);
}

#[test]
fn esc_while_loading_cancels_and_a_late_reply_is_ignored() {
    let mut app = form_app(&reference_query(), 160, 50);
    let (id, _) = submit(&mut app);
    let effects = press(&mut app, [code(KeyCode::Esc)]);
    assert_eq!(effects, vec![Effect::Cancel { id }]);
    assert!(!app.is_loading());
    let notice = app.notice.clone().unwrap();
    assert_eq!(notice.text, "cancelled");
    // The reply of the cancelled request arrives anyway: nothing changes.
    assert!(reply(&mut app, id, Ok(answer("01-reference.json"))).is_empty());
    assert!(app.loaded.is_none());
    assert!(app.failure.is_none());
    assert_eq!(app.notice, Some(notice));
    assert_eq!(app.focus, Focus::Form);
    // Esc with nothing running does nothing.
    assert!(press(&mut app, [code(KeyCode::Esc)]).is_empty());
}

#[test]
fn esc_from_the_result_also_cancels() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('f')]);
    let (id, _) = submit(&mut app);
    press(&mut app, [ctrl('b')]);
    assert_eq!(app.focus, Focus::Result);
    assert_eq!(
        press(&mut app, [code(KeyCode::Esc)]),
        vec![Effect::Cancel { id }]
    );
    // The answer that was on screen stays.
    assert!(screen(&app).contains("WILL SMITH"));
}

#[test]
fn a_new_query_supersedes_the_running_one() {
    let mut app = form_app(&reference_query(), 160, 50);
    let (first, _) = submit(&mut app);
    let effects = press(&mut app, [code(KeyCode::Enter)]);
    let second = match effects.as_slice() {
        [Effect::Cancel { id }, Effect::Send { id: new, .. }] if *id == first => *new,
        other => panic!("expected Cancel then Send, got {other:?}"),
    };
    assert_ne!(first, second);
    reply(&mut app, first, Err(http_500()));
    assert!(app.failure.is_none(), "the stale failure is not shown");
    assert!(app.is_loading());
    reply(&mut app, second, Ok(answer("01-reference.json")));
    assert!(app.loaded.is_some());
}

#[test]
fn the_spinner_turns_only_while_loading() {
    let mut app = form_app(&reference_query(), 160, 50);
    app.update(Action::Tick);
    assert_eq!(app.spinner, 0);
    submit(&mut app);
    app.update(Action::Tick);
    app.update(Action::Tick);
    assert_eq!(app.spinner, 2);
    assert!(screen(&app).contains("Esc cancels"));
}

// ---------------------------------------------------------------------------------------
// Keys in the result

#[test]
fn digits_and_h_l_switch_tabs() {
    let mut app = answered_app("01-reference.json", 160, 50);
    for (c, tab) in [
        ('2', Tab::Call),
        ('3', Tab::Redials),
        ('4', Tab::Qa),
        ('5', Tab::Transcript),
        ('6', Tab::Raw),
        ('1', Tab::Profile),
    ] {
        press(&mut app, [key(c)]);
        assert_eq!(app.tab, tab, "key {c}");
    }
    press(&mut app, [key('h')]);
    assert_eq!(app.tab, Tab::Raw, "h wraps to the last tab");
    press(&mut app, [key('l')]);
    assert_eq!(app.tab, Tab::Profile, "l wraps to the first");
    press(&mut app, [key('l'), key('l')]);
    assert_eq!(app.tab, Tab::Redials);
    press(&mut app, [code(KeyCode::Left)]);
    assert_eq!(app.tab, Tab::Call);
    press(&mut app, [code(KeyCode::Right)]);
    assert_eq!(app.tab, Tab::Redials);
}

#[test]
fn digits_typed_in_the_form_stay_in_the_form() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [code(KeyCode::Tab)]);
    press(&mut app, [code(KeyCode::End)]);
    let before = values(&app)[0].clone();
    type_text(&mut app, "2l");
    assert_eq!(app.tab, Tab::Profile);
    assert_eq!(values(&app)[0], format!("{before}2l"));
}

#[test]
fn q_quits_only_outside_the_form() {
    let mut app = empty_app();
    assert!(type_text(&mut app, "q").is_empty());
    assert_eq!(values(&app)[0], "q");
    // In the result, q quits.
    press(&mut app, [shift_tab()]);
    assert_eq!(app.focus, Focus::Result);
    assert_eq!(press(&mut app, [key('q')]), vec![Effect::Quit]);
}

#[test]
fn ctrl_c_quits_anywhere() {
    // In a field.
    let mut app = empty_app();
    assert_eq!(press(&mut app, [ctrl('c')]), vec![Effect::Quit]);
    assert_eq!(values(&app)[0], "");
    // In the result.
    let mut app = answered_app("01-reference.json", 80, 24);
    assert_eq!(press(&mut app, [ctrl('c')]), vec![Effect::Quit]);
    // With the help open.
    let mut app = answered_app("01-reference.json", 80, 24);
    press(&mut app, [key('?')]);
    assert_eq!(press(&mut app, [ctrl('c')]), vec![Effect::Quit]);
    // While loading.
    let mut app = form_app(&reference_query(), 160, 50);
    submit(&mut app);
    assert!(press(&mut app, [ctrl('c')]).contains(&Effect::Quit));
}

#[test]
fn ctrl_b_hides_and_shows_the_form() {
    let mut app = empty_app();
    press(&mut app, [ctrl('b')]);
    assert!(!app.show_form);
    assert_eq!(app.focus, Focus::Result);
    assert!(rudder_inspect::ui::layout(&app).form.is_none());
    press(&mut app, [ctrl('b')]);
    assert!(app.show_form);
    assert!(rudder_inspect::ui::layout(&app).form.is_some());
    assert_eq!(values(&app)[0], "", "ctrl-b typed nothing");
}

#[test]
fn f2_and_m_toggle_mouse_capture() {
    let mut app = empty_app();
    assert!(app.mouse_capture);
    assert_eq!(
        press(&mut app, [code(KeyCode::F(2))]),
        vec![Effect::SetMouseCapture(false)]
    );
    assert!(!app.mouse_capture);
    assert!(screen(&app).contains("mouse: terminal selection"));
    assert_eq!(
        press(&mut app, [code(KeyCode::F(2))]),
        vec![Effect::SetMouseCapture(true)]
    );
    // M types into a field, and toggles in the result.
    type_text(&mut app, "M");
    assert!(app.mouse_capture);
    assert_eq!(values(&app)[0], "M");
    press(&mut app, [ctrl('b')]);
    assert_eq!(
        press(&mut app, [key('M')]),
        vec![Effect::SetMouseCapture(false)]
    );
    assert_eq!(
        press(&mut app, [key('M')]),
        vec![Effect::SetMouseCapture(true)]
    );
}

#[test]
fn question_mark_opens_help_and_esc_closes_it() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('?')]);
    assert!(app.help_open());
    assert!(screen(&app).contains("Keys"));
    // Keys other than the closing ones do nothing while it is open.
    press(&mut app, [key('3'), key('l')]);
    assert_eq!(app.tab, Tab::Profile);
    assert!(app.help_open());
    // Mouse clicks too.
    let hits = rudder_inspect::ui::tab_hit_areas(&rudder_inspect::ui::layout(&app), false);
    app.update(click(hits[2].x, hits[2].y));
    assert_eq!(app.tab, Tab::Profile);
    assert!(!press(&mut app, [code(KeyCode::Esc)]).contains(&Effect::Quit));
    assert!(!app.help_open());
    // ? and q close it as well; q does not quit then.
    for close in ['?', 'q'] {
        press(&mut app, [key('?')]);
        assert!(app.help_open());
        assert!(!press(&mut app, [key(close)]).contains(&Effect::Quit));
        assert!(!app.help_open());
    }
}

#[test]
fn f1_opens_help_from_the_form_where_question_mark_is_text() {
    let mut app = empty_app();
    type_text(&mut app, "?");
    assert!(!app.help_open());
    assert_eq!(values(&app)[0], "?");
    press(&mut app, [code(KeyCode::F(1))]);
    assert!(app.help_open());
    press(&mut app, [code(KeyCode::F(1))]);
    assert!(!app.help_open());
    assert_eq!(values(&app)[0], "?");
}

#[test]
fn ctrl_n_and_ctrl_p_cycle_the_demo_cases() {
    let cases = rudder_inspect::demo::cases();
    let n = cases.len();
    let mut app = App::new(
        cases[0].query.clone(),
        Context {
            demo_cases: cases.clone(),
            ..context()
        },
    );
    app.update(Action::Resize(160, 50));
    assert_eq!(app.demo_index, Some(0));
    press(&mut app, [ctrl('n')]);
    assert_eq!(app.demo_index, Some(1));
    assert_eq!(app.form.query(), cases[1].query);
    press(&mut app, [ctrl('p'), ctrl('p')]);
    assert_eq!(app.demo_index, Some(n - 1), "wraps backwards");
    assert_eq!(app.form.query(), cases[n - 1].query);
    press(&mut app, [ctrl('n')]);
    assert_eq!(app.demo_index, Some(0), "wraps forwards");
    let (_, q) = submit(&mut app);
    assert_eq!(q, cases[0].query);
    // Outside the demo the keys do nothing.
    let mut app = form_app(&reference_query(), 160, 50);
    press(&mut app, [ctrl('n')]);
    assert_eq!(app.form.query(), reference_query());
    assert_eq!(app.demo_index, None);
}

// ---------------------------------------------------------------------------------------
// Mouse

#[test]
fn clicking_a_tab_title_switches_to_it() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('f')]);
    assert_eq!(app.focus, Focus::Form);
    let areas = rudder_inspect::ui::layout(&app);
    let hits = rudder_inspect::ui::tab_hit_areas(&areas, false);
    assert_eq!(hits.len(), 6);
    for (i, want) in Tab::ALL.iter().enumerate().rev() {
        let r = hits[i];
        app.update(click(r.x + r.width / 2, r.y));
        assert_eq!(app.tab, *want);
        assert_eq!(app.focus, Focus::Result);
    }
    // The title is where the screen shows it.
    let s = screen(&app);
    let row = s.lines().nth(hits[1].y as usize).unwrap();
    assert!(row.contains("2 Call"), "{row}");
}

#[test]
fn clicking_a_form_field_focuses_it() {
    let mut app = answered_app("01-reference.json", 160, 50);
    assert_eq!(app.focus, Focus::Result);
    let fields = rudder_inspect::ui::layout(&app).fields;
    app.update(click(fields[2].x + 3, fields[2].y));
    assert_eq!((app.focus, app.form.focused), (Focus::Form, 2));
    app.update(click(fields[0].x + 3, fields[0].y));
    assert_eq!(app.form.focused, 0);
    // A click in the result gives it the focus.
    let body = rudder_inspect::ui::layout(&app).body;
    app.update(click(body.x + 5, body.y + 5));
    assert_eq!(app.focus, Focus::Result);
    // With the form hidden, its old place is the result.
    press(&mut app, [ctrl('b')]);
    app.update(click(fields[2].x + 3, fields[2].y));
    assert_eq!(app.focus, Focus::Result);
}

#[test]
fn the_wheel_scrolls_the_tab_under_it() {
    // The Call tab on a short terminal is taller than its area.
    let mut app = answered_app("01-reference.json", 80, 16);
    press(&mut app, [key('2')]);
    let body = rudder_inspect::ui::layout(&app).body;
    let offset = |app: &App| app.loaded.as_ref().unwrap().views.call.offset();
    assert_eq!(offset(&app), 0);
    app.update(wheel_down(body.x + 2, body.y + 2));
    assert_eq!(offset(&app), 3);
    let top = screen(&app)
        .lines()
        .nth(body.y as usize)
        .unwrap()
        .to_string();
    app.update(wheel_down(body.x + 2, body.y + 2));
    assert_eq!(offset(&app), 6);
    assert_ne!(
        screen(&app).lines().nth(body.y as usize).unwrap(),
        top,
        "the view moved"
    );
    app.update(wheel_up(body.x + 2, body.y + 2));
    app.update(wheel_up(body.x + 2, body.y + 2));
    app.update(wheel_up(body.x + 2, body.y + 2));
    assert_eq!(offset(&app), 0, "no further than the top");
    // The wheel over the status bar does nothing.
    let status = rudder_inspect::ui::layout(&app).status;
    app.update(wheel_down(status.x + 2, status.y));
    assert_eq!(offset(&app), 0);
    // Keys scroll the same view; G reaches the end and no further.
    press(&mut app, [key('j'), key('j')]);
    assert_eq!(offset(&app), 2);
    press(&mut app, [key('G')]);
    let end = offset(&app);
    assert!(end > 2);
    press(&mut app, [key('j'), code(KeyCode::PageDown)]);
    assert_eq!(offset(&app), end);
    press(&mut app, [key('g')]);
    assert_eq!(offset(&app), 0);
    // The Profile tab kept its own position.
    assert_eq!(app.loaded.as_ref().unwrap().views.profile.offset(), 0);
}

#[test]
fn an_opened_file_hides_the_form_only_when_narrow() {
    let body = asset("push-received.json");
    let narrow = file_app(body.clone(), "push-received.json", 80, 24);
    assert!(!narrow.show_form);
    assert_eq!(narrow.focus, Focus::Result);
    let wide = file_app(body, "push-received.json", 160, 50);
    assert!(wide.show_form);
    // The form is prefilled with the push's ids.
    assert_eq!(wide.form.query().callee, "+639171234567");
    assert_eq!(
        wide.form.query().case_id.as_deref(),
        Some("PN-2024-0051873")
    );
    assert!(screen(&wide).contains("file push-received.json"));
}

#[test]
fn a_tiny_terminal_is_survived_and_left() {
    let mut app = answered_app("01-reference.json", 160, 50);
    app.update(Action::Resize(30, 8));
    assert!(rudder_inspect::ui::layout(&app).too_small);
    assert!(screen(&app).contains("too small"));
    // Keys and clicks are ignored (nothing on screen to act on), nothing panics.
    press(&mut app, [key('j'), key('2'), code(KeyCode::PageDown)]);
    assert_eq!(app.tab, Tab::Profile);
    app.update(click(5, 5));
    app.update(wheel_down(5, 5));
    app.update(Action::Resize(1, 1));
    screen(&app);
    app.update(Action::Resize(250, 70));
    assert!(!rudder_inspect::ui::layout(&app).too_small);
    let s = screen(&app);
    assert!(s.contains("WILL SMITH"), "{s}");
}

#[test]
fn notices_from_the_loop_are_shown() {
    let mut app = answered_app("01-reference.json", 160, 50);
    app.update(Action::Notice("copied the call_id".into()));
    assert!(screen(&app).contains("copied the call_id"));
}

#[test]
fn y_copies_the_call_id_on_the_call_tab() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('2')]);
    match press(&mut app, [key('y')]).as_slice() {
        [Effect::Copy { text, .. }] => assert_eq!(text, "cd878f6611adxxxxxx1a5a3ec5525b"),
        other => panic!("{other:?}"),
    }
    match press(
        &mut app,
        [KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT)],
    )
    .as_slice()
    {
        [Effect::Copy { text, .. }] => assert!(text.contains("cd878f6611adxxxxxx1a5a3ec5525b")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_help_scrolls_when_it_does_not_fit() {
    let mut app = answered_app("01-reference.json", 80, 24);
    press(&mut app, [key('?')]);
    let max = rudder_inspect::ui::help::max_scroll(app.size, false);
    assert!(max > 0, "the help is taller than 24 rows");
    assert!(!screen(&app).contains("closes this help"));
    press(&mut app, [key('j'), key('j'), key('k')]);
    assert_eq!(app.help_offset(), 1);
    press(&mut app, [key('G')]);
    assert_eq!(app.help_offset(), max);
    let s = screen(&app);
    assert!(s.contains("closes this help"), "{s}");
    // Never past the end, by key or wheel.
    press(&mut app, [key('j'), code(KeyCode::PageDown)]);
    app.update(wheel_down(40, 12));
    assert_eq!(app.help_offset(), max);
    app.update(wheel_up(40, 12));
    assert_eq!(app.help_offset(), max - 3);
    press(&mut app, [key('g')]);
    assert_eq!(app.help_offset(), 0);
    // Closing forgets the position; the tab did not scroll meanwhile.
    press(&mut app, [key('G'), code(KeyCode::Esc)]);
    assert!(!app.help_open());
    assert_eq!(app.help_offset(), 0);
    assert_eq!(app.loaded.as_ref().unwrap().views.profile.offset(), 0);
    // On a tall screen everything fits.
    assert_eq!(rudder_inspect::ui::help::max_scroll((160, 50), false), 0);
}

/// The help opened on an answer at `w`×`h`, every page of it, as the screens show them.
fn every_page_of_the_help(w: u16, h: u16) -> String {
    let mut app = answered_app("01-reference.json", w, h);
    press(&mut app, [key('?')]);
    let mut seen = String::new();
    loop {
        seen.push_str(&screen(&app));
        let before = app.help_offset();
        press(&mut app, [code(KeyCode::PageDown)]);
        if app.help_offset() == before {
            return seen;
        }
    }
}

#[test]
fn no_help_line_is_cut_at_any_usual_size() {
    for (w, h) in [(60, 15), (80, 24), (100, 30), (160, 50)] {
        let seen = every_page_of_the_help(w, h);
        // The longest descriptions arrive whole (wrapped words may sit on two lines).
        for word in ["back)", "leaves", "only)", "closes this help"] {
            assert!(seen.contains(word), "{w}×{h}: {word:?} not shown:\n{seen}");
        }
    }
}

#[test]
fn a_32_character_id_fits_in_its_field() {
    // The API's ids are 32 hex digits; the form shows them whole, focused or not.
    let q = Query {
        workflow_id: "0ca6e3a59cf74630906683882aa5111a".into(),
        node_id: "1d78b96d74c24737b186da7bcb23a2f8".into(),
        callee: "+8613812345678".into(),
        case_id: Some("CN20240528001-0000000000000000".into()),
    };
    let mut app = form_app(&q, 80, 24);
    for focused in 0..4 {
        let s = screen(&app);
        for v in [&q.workflow_id, &q.node_id, &q.callee] {
            assert!(
                s.contains(v.as_str()),
                "field {focused} focused, {v} cut:\n{s}"
            );
        }
        press(&mut app, [code(KeyCode::Tab)]);
    }
}

/// The README's key table is the key map's, row for row: a key added to the table shows in
/// the help and must be in the README too.
#[test]
fn the_readme_key_table_is_the_key_map() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table = rudder_inspect::app::keymap::readme_table();
    assert!(
        readme.contains(&table),
        "README.md's key table differs from src/app/keymap/; it should read:\n{table}"
    );
}

/// Every key the table lists does what the table says, and the help lists every row.
#[test]
fn the_help_lists_every_row_of_the_key_map() {
    let seen = every_page_of_the_help(160, 50);
    for (_, rows) in rudder_inspect::app::keymap::groups(false) {
        for (keys, _) in rows {
            assert!(seen.contains(keys.as_str()), "{keys} is not in the help");
        }
    }
}

// ---------------------------------------------------------------------------------------
// What a new user meets

/// The status bar: the last two rows of the screen.
fn status_bar(app: &App) -> String {
    let s = screen(app);
    let rows: Vec<&str> = s.lines().collect();
    rows[rows.len().saturating_sub(2)..].join("\n")
}

#[test]
fn after_a_failure_the_status_bar_describes_the_failure_not_the_answer_before() {
    let mut app = answered_app("01-reference.json", 160, 50);
    assert!(
        status_bar(&app).contains("HTTP 200"),
        "{}",
        status_bar(&app)
    );
    press(&mut app, [key('f')]);
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Err(http_500()));
    let bar = status_bar(&app);
    assert!(bar.contains("HTTP 500"), "{bar}");
    assert!(
        !bar.contains("HTTP 200") && !bar.contains("code 200"),
        "{bar}"
    );
    // A failure without an HTTP status names its kind.
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Err(ApiError::NoRecord));
    let bar = status_bar(&app);
    assert!(bar.contains("failed: no record"), "{bar}");
    // The answer back on screen (Esc on the result): its facts again.
    press(&mut app, [ctrl('b'), code(KeyCode::Esc)]);
    assert!(status_bar(&app).contains("HTTP 200"));
}

#[test]
fn while_the_terminal_is_too_small_only_ctrl_c_and_esc_act() {
    let mut app = form_app(&reference_query(), 160, 50);
    app.update(Action::Resize(30, 8));
    assert!(rudder_inspect::ui::layout(&app).too_small);
    let before = values(&app);
    for k in [
        code(KeyCode::Enter),
        key('?'),
        code(KeyCode::F(1)),
        key('x'),
    ] {
        assert!(press(&mut app, [k]).is_empty(), "{k:?} acted");
    }
    app.update(Action::Paste("pasted".into()));
    app.update(click(5, 5));
    assert!(!app.help_open() && !app.is_loading());
    assert_eq!(values(&app), before);
    // Esc only closes and cancels: a key typed just before the terminal shrank is not lost.
    app.overlay = rudder_inspect::app::Overlay::Help(Default::default());
    press(&mut app, [code(KeyCode::Esc)]);
    assert!(!app.help_open());
    assert_eq!(press(&mut app, [ctrl('c')]), vec![Effect::Quit]);
    // Grown back, keys act again.
    app.update(Action::Resize(160, 50));
    assert_eq!(submit(&mut app).1, reference_query());
}

#[test]
fn no_differences_between_two_answers_names_the_two_answers() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('f')]);
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Ok(answer("01-reference.json")));
    press(&mut app, [key('d')]);
    assert_eq!(app.tab, Tab::Diff);
    let s = screen(&app);
    assert!(
        s.contains("no differences: the answer of 15:00:05 matches the answer of 15:00:05"),
        "{s}"
    );
    assert!(!s.contains("push"), "{s}");
}

#[test]
fn masking_keeps_the_size_of_the_answer_as_received() {
    let mut app = answered_app("01-reference.json", 160, 50);
    let size = rudder_inspect::api::error::human_bytes(asset("01-reference.json").len() as u64);
    press(&mut app, [key('6')]);
    for masked in [false, true] {
        assert_eq!(app.masked(), masked);
        let s = screen(&app);
        let bar = status_bar(&app);
        assert!(bar.contains(&size), "masked {masked}: {bar}");
        let header = s
            .lines()
            .find(|l| l.contains(" bytes)"))
            .expect("a Raw JSON header");
        assert!(header.contains(&size), "masked {masked}: {header}");
        press(&mut app, [key('m')]);
    }
}

#[test]
fn ctrl_u_clears_the_field_and_ctrl_w_deletes_a_word() {
    let mut app = empty_app();
    type_text(&mut app, "abc def");
    press(&mut app, [ctrl('w')]);
    assert_eq!(values(&app)[0], "abc ");
    press(&mut app, [ctrl('u')]);
    assert_eq!(values(&app)[0], "");
    // Only the focused field.
    press(&mut app, [code(KeyCode::Tab)]);
    type_text(&mut app, "node");
    press(&mut app, [code(KeyCode::BackTab)]);
    type_text(&mut app, "wf");
    press(&mut app, [ctrl('u')]);
    assert_eq!(values(&app)[..2], ["", "node"].map(String::from));
}

#[test]
fn esc_after_a_failure_keeps_the_user_typing_where_they_were() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('f'), code(KeyCode::Tab), code(KeyCode::Tab)]);
    assert_eq!((app.focus, app.form.focused), (Focus::Form, 2));
    let (id, _) = submit(&mut app);
    reply(&mut app, id, Err(http_500()));
    press(&mut app, [code(KeyCode::Esc)]);
    assert!(app.failure.is_none(), "Esc puts the answer back");
    assert_eq!((app.focus, app.form.focused), (Focus::Form, 2));
    type_text(&mut app, "9");
    assert!(values(&app)[2].ends_with('9'));
}

#[test]
fn the_first_demo_case_fills_the_form_without_warnings() {
    // Each sample case's ids against the form's checks: src/demo's unit test. Here, the screen.
    let mut app = form_app(&demo_case("01").query, 160, 50);
    app.form.touch_all();
    let s = screen(&app);
    assert!(!s.contains(" ! "), "{s}");
}

/// Keys typed ahead into a search are searched once, for the last query: at the frame
/// (`Action::Settle`) or at the first key that is not typing.
#[test]
fn a_search_typed_ahead_is_searched_once_for_its_last_query() {
    let mut app = answered_app("01-reference.json", 120, 40);
    press(&mut app, [key('5'), key('/')]);
    for c in "halo".chars() {
        app.update(Action::Key(key(c)));
    }
    let view = &app.loaded.as_ref().unwrap().views.transcript;
    assert_eq!(view.search.query, "halo");
    assert_eq!(view.search.counter(), "0/0", "not searched while keys come");
    app.update(Action::Settle);
    let view = &app.loaded.as_ref().unwrap().views.transcript;
    assert_eq!(view.search.counter(), "1/3", "{}", view.search.counter());
    // Enter right after typing finds them too, without a frame between.
    press(&mut app, [code(KeyCode::Esc), code(KeyCode::Esc), key('/')]);
    app.update(Action::Key(key('a')));
    app.update(Action::Key(code(KeyCode::Enter)));
    let view = &app.loaded.as_ref().unwrap().views.transcript;
    assert!(!view.search.editing);
    assert!(
        view.search
            .counter()
            .ends_with(&format!("/{}", view.search.hits.len()))
    );
    assert!(!view.search.hits.is_empty());
}

/// `m` shows the masked copy with what the user reads by: the speaker filter and the search.
#[test]
fn masking_keeps_the_transcript_filter_and_the_search() {
    let mut app = answered_app("02-full-match.json", 120, 40);
    press(&mut app, [key('5'), key('c'), key('/')]);
    type_text(&mut app, "yes");
    press(&mut app, [code(KeyCode::Enter)]);
    let before = app
        .loaded
        .as_ref()
        .unwrap()
        .views
        .transcript
        .search
        .counter();
    assert!(!before.ends_with("/0"), "the callee says yes: {before}");
    press(&mut app, [key('m')]);
    assert!(app.masked());
    let view = &app.loaded.as_ref().unwrap().views.transcript;
    assert_eq!(view.filter, rudder_inspect::app::transcript::Filter::Callee);
    assert_eq!(view.search.query, "yes");
    assert_eq!(
        view.search.counter(),
        before,
        "found again on the masked copy"
    );
    press(&mut app, [key('m')]);
    let view = &app.loaded.as_ref().unwrap().views.transcript;
    assert!(!app.masked());
    assert_eq!(view.filter, rudder_inspect::app::transcript::Filter::Callee);
    assert_eq!(view.search.counter(), before);
}
