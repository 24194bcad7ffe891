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
use rudder_inspect::api::client::{Exchange, interpret};
use rudder_inspect::api::model::{complete, parse_document, parse_head};
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
    // The skim and the transcript read after it give what the whole read gives; a
    // transcript that is not well-formed JSON fails when it is read, with the whole
    // read's error.
    match (parse_document(&data[2..]), parse_head(&data[2..])) {
        (Ok(whole), Ok((head, left_out))) => {
            let read = complete(&data[2..], head, &left_out, |_| ()).expect("a skim completes");
            assert!(read == whole, "the skim and the whole read differ");
        }
        (Ok(_), Err(_)) => panic!("the skim refused what the whole read took"),
        (Err(e), Ok((head, left_out))) => {
            assert!(!left_out.is_empty(), "the skim took what the whole read refused");
            assert!(complete(&data[2..], head, &left_out, |_| ()) == Err(e), "the lists' read fails otherwise");
        }
        (Err(_), Err(_)) => {}
    }
    let Ok(answer) = interpret(exchange) else {
        return;
    };
    let mut app = App::new(Query::default(), Context::default()).with_answer(answer, Source::File { path: "fuzz".into() });
    app.update(Action::Resize(w, h));
    let Ok(mut terminal) = Terminal::new(TestBackend::new(w, h));
    for c in ['1', '2', '3', '4', '5', '6'] {
        for k in [c, 'G', 'g', 'j'] {
            app.update(Action::Key(KeyEvent::new(KeyCode::Char(k), KeyModifiers::NONE)));
            let _ = terminal.draw(|f| rudder_inspect::ui::draw(f, &app));
        }
    }
});
