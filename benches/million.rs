//! Criterion benches at ten times the usual size: a push of 1,000,000 turns, 20,000 redials
//! and 5,000 questions (~172 MiB, `rudder_inspect::generate::push`). A search over every turn
//! for the last turn's marker, the same over every line of the Raw JSON tab, `G` and `g` on
//! the Transcript tab with a frame each, and `m`: the masked first screen (the answer masked
//! but for its transcript) and the whole masked copy after it (both jobs run off the UI
//! thread).
//!
//! `cargo bench --bench million` (several minutes: the push is made and read once).

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rudder_inspect::api::Query;
use rudder_inspect::api::client::{Answer, Exchange, interpret};
use rudder_inspect::app::{Action, App, Context, Effect, Source};

const W: u16 = 160;
const H: u16 = 50;

fn answer() -> &'static Answer {
    static ANSWER: OnceLock<Answer> = OnceLock::new();
    ANSWER.get_or_init(|| {
        let push = rudder_inspect::generate::push(1_000_000, 20_000, 5_000, 1);
        interpret(Exchange {
            url: "file://push.json".into(),
            status: 0,
            latency: Duration::ZERO,
            body: push.into_bytes().into(),
            received_at: chrono::Local::now(),
        })
        .expect("the generated push is a valid answer")
    })
}

fn press(app: &mut App, c: KeyCode) {
    black_box(app.update(Action::Key(KeyEvent::new(c, KeyModifiers::NONE))));
}

/// The push on the Transcript tab at 160×50.
fn transcript_app() -> App {
    let mut app = App::new(Query::default(), Context::default()).with_answer(
        answer().clone(),
        Source::File {
            path: "push.json".into(),
        },
    );
    app.update(Action::Resize(W, H));
    press(&mut app, KeyCode::Char('5'));
    app
}

/// `iters` searches for the last turn's marker and their frames, timed; before each, untimed,
/// a search the marker does not start with, so each timed one looks at everything rather
/// than narrowing from the last. `check` looks at the result.
fn timed_searches(
    iters: u64,
    app: &mut App,
    term: &mut Terminal<TestBackend>,
    check: impl Fn(&App),
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        search(app, "zq-no-such-words");
        let started = std::time::Instant::now();
        search(app, "last-turn-marker");
        draw(term, app);
        total += started.elapsed();
        check(app);
    }
    total
}

/// `/`, the query typed ahead, Enter (which finds it), then Esc (which clears it).
fn search(app: &mut App, query: &str) {
    press(app, KeyCode::Esc);
    press(app, KeyCode::Char('/'));
    for ch in query.chars() {
        press(app, KeyCode::Char(ch));
    }
    press(app, KeyCode::Enter);
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|f| rudder_inspect::ui::draw(f, app))
        .expect("drawing into a test terminal");
}

fn million(c: &mut Criterion) {
    let mut g = c.benchmark_group("million");
    let mut app = transcript_app();
    let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    draw(&mut term, &app);
    g.bench_function("search_last_turn_marker", |b| {
        b.iter_custom(|iters| {
            timed_searches(iters, &mut app, &mut term, |app| {
                let s = &app.loaded.as_ref().expect("loaded").views.transcript.search;
                assert_eq!(s.hits.len(), 1, "the marker is in the last turn only");
            })
        })
    });
    // The Raw JSON tab: its line index built once (untimed), then the search over every line.
    press(&mut app, KeyCode::Char('6'));
    draw(&mut term, &app);
    g.bench_function("raw_search_last_turn_marker", |b| {
        b.iter_custom(|iters| timed_searches(iters, &mut app, &mut term, |_| {}))
    });
    press(&mut app, KeyCode::Char('5'));
    g.bench_function("big_g_then_g", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char('G'));
            draw(&mut term, &app);
            press(&mut app, KeyCode::Char('g'));
            draw(&mut term, &app);
        })
    });
    // `m`: the masked first screen (a big answer's copy without its transcript), and the
    // whole masked copy after it.
    let start_masking = |app: &mut App| {
        app.update(Action::Key(KeyEvent::new(
            KeyCode::Char('m'),
            KeyModifiers::NONE,
        )))
        .into_iter()
        .find_map(|e| match e {
            Effect::Mask(job) => Some(job),
            _ => None,
        })
        .expect("m starts the masking job")
    };
    g.bench_function("masked_first_screen", |b| {
        b.iter_batched(
            transcript_app,
            |mut app| {
                let done = start_masking(&mut app).run();
                black_box(app.update(done));
                draw(&mut term, &app);
                assert!(app.masked());
                app
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("masked_copy", |b| {
        b.iter_batched(
            transcript_app,
            |mut app| {
                let mut done = start_masking(&mut app).run();
                // The copy without its transcript, then the whole.
                while let Some(job) = app.update(done).into_iter().find_map(|e| match e {
                    Effect::Mask(job) => Some(job),
                    _ => None,
                }) {
                    done = job.run();
                }
                draw(&mut term, &app);
                assert!(app.masked() && app.masking().is_none());
                app
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1))
}

criterion_group! {
    name = million_benches;
    config = config();
    targets = million
}
criterion_main!(million_benches);
