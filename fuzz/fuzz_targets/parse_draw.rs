//! Arbitrary bytes through parse → domain → drawing of every tab into a TestBackend at a size
//! taken from the input. Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run parse_draw` (cargo-fuzz needs
//! nightly flags; the bootstrap variable lets the stable compiler accept them).
#![no_main]

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rudder_inspect::api::Query;
use rudder_inspect::api::client::{Exchange, interpret, interpret_head};
use rudder_inspect::api::model::read_transcript;
use rudder_inspect::app::{Action, App, Context, Source};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (w, h) = (1 + data[0] as u16 % 200, 1 + data[1] as u16 % 70);
    let body = bytes::Bytes::copy_from_slice(&data[2..]);
    let exchange = Exchange {
        url: "fuzz".into(),
        status: 200,
        latency: Duration::ZERO,
        body,
        received_at: chrono::Local::now(),
    };
    // Skimmed without the transcript, then the transcript read: the same answer as one read.
    let head = interpret_head(exchange.clone());
    let Ok(answer) = interpret(exchange) else {
        assert!(head.is_err(), "the skim took what the whole read refused");
        return;
    };
    let mut head = head.expect("the skim refused what the whole read took");
    if let Some(range) = head.transcript_left_out.take() {
        let list = read_transcript(&head.exchange.body, range, |_| ()).expect("a skimmed transcript reads");
        head.document.data_mut().expect("a push").call.asr_result = list;
    }
    assert!(head.document == answer.document, "the skim and the whole read differ");
    let mut app = App::new(Query::default(), Context::default()).with_answer(answer, Source::File { path: "fuzz".into() });
    app.update(Action::Resize(w, h));
    let Ok(mut terminal) = Terminal::new(TestBackend::new(w, h)) else {
        return;
    };
    for c in ['1', '2', '3', '4', '5', '6'] {
        for k in [c, 'G', 'g', 'j'] {
            app.update(Action::Key(KeyEvent::new(KeyCode::Char(k), KeyModifiers::NONE)));
            let _ = terminal.draw(|f| rudder_inspect::ui::draw(f, &app));
        }
    }
});
