//! Whole-screen snapshots (ratatui `TestBackend`) of the form and welcome screen, the
//! Profile and Call tabs, the error state, the help overlay, "not in this push" and the
//! "terminal too small" screen. Every answer has a fixed receive time and latency, and the
//! failure's time is fixed, so nothing on screen depends on the clock.
//!
//! Update with `INSTA_UPDATE=always cargo test --test snapshots_tui`, then read the `.snap`
//! files in tests/snapshots/.

mod support;

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use rudder_inspect::api::Query;
use rudder_inspect::app::{Action, App, Context, Tab};
use support::*;

fn snap(app: &App) -> ratatui::backend::TestBackend {
    render(app).backend().clone()
}

/// A bare push that carries only its ids: no callee, no call.
const BARE_IDS_ONLY: &str =
    r#"{"workflow_id": "0ca6e3a59cf74630906683882aa5111a", "node_id": "6ade9e4443e0400043a54b58"}"#;

// ---------------------------------------------------------------------------------------
// Before any answer

#[test]
fn welcome_empty_form_80x24() {
    let app = form_app(&Query::default(), 80, 24);
    assert_snapshot!(snap(&app));
}

#[test]
fn welcome_empty_form_160x50() {
    let app = form_app(&Query::default(), 160, 50);
    assert_snapshot!(snap(&app));
}

#[test]
fn form_with_validation_messages_80x24() {
    let mut app = form_app(&Query::default(), 80, 24);
    type_text(&mut app, "not-hex!");
    press(&mut app, [code(KeyCode::Tab), code(KeyCode::Tab)]);
    type_text(&mut app, "8613812345678");
    press(&mut app, [code(KeyCode::Tab)]);
    type_text(&mut app, "id with space");
    // Enter with node_id empty: the error shows and node_id gets the focus.
    press(&mut app, [code(KeyCode::Enter)]);
    assert_snapshot!(snap(&app));
}

#[test]
fn welcome_demo_160x50() {
    let cases = rudder_inspect::demo::cases();
    let mut app = App::new(
        cases[0].query.clone(),
        Context {
            base_url: Some(BASE_URL.into()),
            token_source: Some("token from the demo".into()),
            demo_cases: cases,
            ..Context::default()
        },
    );
    app.update(Action::Resize(160, 50));
    press(&mut app, [ctrl('n'), ctrl('n')]);
    assert_snapshot!(snap(&app));
}

// ---------------------------------------------------------------------------------------
// Profile and Call with the reference example

#[test]
fn profile_reference_80x24() {
    // Narrower than 110 columns: the form hides itself when the answer arrives.
    let app = answered_app("01-reference.json", 80, 24);
    assert!(!app.show_form);
    assert_snapshot!(snap(&app));
}

#[test]
fn profile_reference_160x50_with_form() {
    let app = answered_app("01-reference.json", 160, 50);
    assert!(app.show_form);
    assert_snapshot!(snap(&app));
}

#[test]
fn profile_reference_160x50_without_form() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [ctrl('b')]);
    assert_snapshot!(snap(&app));
}

#[test]
fn call_reference_80x24() {
    let mut app = answered_app("01-reference.json", 80, 24);
    press(&mut app, [key('2')]);
    assert_eq!(app.tab, Tab::Call);
    assert_snapshot!(snap(&app));
}

#[test]
fn call_reference_80x16_scrolled_to_the_end() {
    // Short enough that the Call tab scrolls.
    let mut app = answered_app("01-reference.json", 80, 16);
    press(&mut app, [key('2'), key('G')]);
    assert!(app.loaded.as_ref().unwrap().views.call.offset() > 0);
    assert_snapshot!(snap(&app));
}

#[test]
fn call_reference_160x50_with_form() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [key('2')]);
    assert_snapshot!(snap(&app));
}

#[test]
fn call_reference_160x50_without_form() {
    let mut app = answered_app("01-reference.json", 160, 50);
    press(&mut app, [ctrl('b'), key('2')]);
    assert_snapshot!(snap(&app));
}

#[test]
fn profile_chinese_160x50() {
    let app = answered_app("06-chinese.json", 160, 50);
    assert_snapshot!(snap(&app));
}

#[test]
fn call_drifted_types_160x50() {
    let mut app = answered_app("07-drifted.json", 160, 50);
    press(&mut app, [key('2')]);
    assert_snapshot!(snap(&app));
}

#[test]
fn profile_bare_push_from_a_file_160x50() {
    let app = file_app(asset("push-received.json"), "push-received.json", 160, 50);
    assert_snapshot!(snap(&app));
}

// ---------------------------------------------------------------------------------------
// Not in this push

#[test]
fn profile_not_in_this_push_80x24() {
    let app = file_app(BARE_IDS_ONLY, "ids-only.json", 80, 24);
    assert_snapshot!(snap(&app));
}

#[test]
fn profile_not_in_this_push_160x50() {
    let app = file_app(BARE_IDS_ONLY, "ids-only.json", 160, 50);
    assert_snapshot!(snap(&app));
}

#[test]
fn call_not_in_this_push_80x24() {
    let mut app = file_app(BARE_IDS_ONLY, "ids-only.json", 80, 24);
    press(&mut app, [key('2')]);
    assert_snapshot!(snap(&app));
}

#[test]
fn call_not_in_this_push_160x50() {
    let mut app = file_app(BARE_IDS_ONLY, "ids-only.json", 160, 50);
    press(&mut app, [key('2')]);
    assert_snapshot!(snap(&app));
}

#[test]
fn not_in_this_push_for_null_and_blank_sections() {
    let body = r#"{"data": {"workflow_id": "0ca6e3a59cf74630906683882aa5111a", "node_id": "6ade9e4443e0400043a54b58",
        "callee": null, "call": "", "custom_attribute": null}, "status": "OK", "code": 200}"#;
    let mut app = file_app(body, "nulls.json", 160, 50);
    let profile = screen(&app);
    assert!(profile.contains("not in this push"), "{profile}");
    press(&mut app, [key('2')]);
    let call = screen(&app);
    assert!(call.contains("not in this push"), "{call}");
}

// ---------------------------------------------------------------------------------------
// Errors

fn failed_500(w: u16, h: u16) -> App {
    let q = Query {
        callee: "+10000000500".into(),
        ..reference_query()
    };
    failed_app(&q, http_500(), w, h)
}

#[test]
fn error_http_500_160x50() {
    let app = failed_500(160, 50);
    let s = screen(&app);
    assert!(s.contains("+10000000500"), "the form keeps its text");
    assert!(s.contains("HTTP 500"));
    assert_snapshot!(snap(&app));
}

#[test]
fn error_http_500_80x24() {
    let app = failed_500(80, 24);
    assert!(app.show_form, "a failure keeps the form in view");
    assert_snapshot!(snap(&app));
}

// ---------------------------------------------------------------------------------------
// Help, too small

#[test]
fn help_over_the_profile_80x24() {
    let mut app = answered_app("01-reference.json", 80, 24);
    press(&mut app, [key('?')]);
    assert_snapshot!(snap(&app));
}

#[test]
fn help_over_the_profile_80x24_scrolled_to_the_end() {
    let mut app = answered_app("01-reference.json", 80, 24);
    press(&mut app, [key('?'), key('G')]);
    assert_snapshot!(snap(&app));
}

#[test]
fn help_over_the_form_160x50() {
    let mut app = form_app(&Query::default(), 160, 50);
    press(&mut app, [code(KeyCode::F(1))]);
    assert_snapshot!(snap(&app));
}

#[test]
fn too_small_50x10_then_grown_to_80x24() {
    let mut app = answered_app("01-reference.json", 80, 24);
    app.update(Action::Resize(50, 10));
    assert_snapshot!("too_small_50x10", snap(&app));
    app.update(Action::Resize(80, 24));
    let grown = snap(&app);
    // The same screen as before it shrank.
    assert_eq!(
        format!("{grown}"),
        format!("{}", snap(&answered_app("01-reference.json", 80, 24)))
    );
    assert_snapshot!("grown_back_to_80x24", grown);
}
