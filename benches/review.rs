//! Criterion benches of a review of many cases (`review DIR`): the list of 2,000 and 10,000
//! saved answers on screen (listing, the first frame), summing every case up, `]` to the next
//! case's Transcript tab with a search kept (read, installed, searched, drawn), and the fuzzy
//! filter over 10,000 rows.
//!
//! `cargo bench --bench review`.

use std::hint::black_box;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rudder_inspect::app::{Action, App, Context, Effect};
use rudder_inspect::review::listing::list;
use rudder_inspect::review::marks::load;

const W: u16 = 160;
const H: u16 = 50;

/// `n` varied pushes (the demo's, each with its own callee) saved as `batch --save` saves them.
fn saved(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bodies: Vec<serde_json::Value> = rudder_inspect::demo::CASE_FILES
        .iter()
        .map(|(_, b)| serde_json::from_slice(b).expect("a demo case"))
        .collect();
    for i in 1..=n {
        let mut v = bodies[i % bodies.len()].clone();
        let number = format!("+63917{i:07}");
        v["data"]["callee"]["callee_name"] = format!("CALLEE {i}").into();
        v["data"]["callee"]["callee_number"] = number.clone().into();
        v["data"]["call"]["intention"] = ["A", "B", "C", "D", "E"][i % 5].into();
        let body = serde_json::to_vec(&v).expect("JSON");
        std::fs::write(dir.path().join(format!("{i:04}-{number}.json")), body).expect("write");
    }
    dir
}

fn dir_2000() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| saved(2_000)).path()
}

fn dir_10000() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| saved(10_000)).path()
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn enter() -> Action {
    Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

/// The review of `dir`, resized, with the effects of its start (the summing up) not run.
fn review(dir: &Path) -> (App, Vec<Effect>) {
    let listing = list(dir).expect("listed");
    let marks = load(&listing.marks_path());
    let context = Context {
        watch_words: vec!["lawyer".into(), "complaint".into()],
        ..Context::default()
    };
    let (mut app, effects) =
        App::new(Default::default(), context).with_review(listing, marks, "bench".into());
    app.update(Action::Resize(W, H));
    (app, effects)
}

/// Carries out what the loop would: summaries and case reads inline.
fn carry(app: &mut App, effects: Vec<Effect>) {
    for e in effects {
        match e {
            Effect::Summarise(job) => {
                let mut got = Vec::new();
                job.run(&mut |a| {
                    got.push(a);
                    true
                });
                for a in got {
                    let more = app.update(a);
                    carry(app, more);
                }
            }
            Effect::OpenCase(job) => {
                let more = app.update(job.run());
                carry(app, more);
            }
            _ => {}
        }
    }
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|f| rudder_inspect::ui::draw(f, app))
        .expect("drawing into a test terminal");
}

fn first_frame(c: &mut Criterion) {
    let mut g = c.benchmark_group("review");
    for (name, dir) in [("list_2000", dir_2000()), ("list_10000", dir_10000())] {
        g.bench_function(name, |b| {
            let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
            b.iter(|| {
                let (app, effects) = review(dir);
                draw(&mut term, &app);
                black_box((app, effects))
            })
        });
    }
    g.bench_function("summarise_2000", |b| {
        b.iter(|| {
            let (mut app, effects) = review(dir_2000());
            carry(&mut app, effects);
            black_box(app)
        })
    });
    g.finish();
}

fn next_case(c: &mut Criterion) {
    let mut g = c.benchmark_group("review");
    let (mut app, effects) = review(dir_2000());
    carry(&mut app, effects);
    let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    let opened = app.update(enter());
    carry(&mut app, opened);
    for a in [key('5'), key('/'), key('y'), key('o'), key('u'), enter()] {
        let more = app.update(a);
        carry(&mut app, more);
    }
    let mut step = ']';
    g.bench_function("next_case_transcript_2000", |b| {
        b.iter(|| {
            let mut effects = app.update(key(step));
            if effects.is_empty() {
                // An end of the list: page back the other way.
                step = if step == ']' { '[' } else { ']' };
                effects = app.update(key(step));
            }
            carry(&mut app, effects);
            draw(&mut term, &app);
        })
    });
    g.finish();
}

fn filter(c: &mut Criterion) {
    let mut g = c.benchmark_group("review");
    let (mut app, effects) = review(dir_10000());
    carry(&mut app, effects);
    app.update(key('/'));
    g.bench_function("filter_10000", |b| {
        b.iter(|| {
            for ch in "callee 91799".chars() {
                app.update(key(ch));
            }
            for _ in 0..12 {
                app.update(Action::Key(KeyEvent::new(
                    KeyCode::Backspace,
                    KeyModifiers::NONE,
                )));
            }
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
}

criterion_group! {
    name = review_benches;
    config = config();
    targets = first_frame, next_case, filter
}
criterion_main!(review_benches);
