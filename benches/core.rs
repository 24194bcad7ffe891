//! Criterion benches of the hot paths on large generated pushes
//! (`rudder_inspect::generate::push`): parsing, the domain derivation, drawing each tab at
//! 160×50, transcript search, re-wrapping on resize, scrolling a page and moving over one
//! 20 MB transcript turn.
//!
//! `cargo bench --bench core` (a few minutes); `cargo bench --bench core -- draw` for one group.

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rudder_inspect::api::client::{Answer, Exchange, interpret};
use rudder_inspect::api::model::{parse_head, read_transcript};
use rudder_inspect::api::{Query, parse_document};
use rudder_inspect::app::{Action, App, Context, Source};
use rudder_inspect::case::CaseFacts;

const SMALL: usize = 1_000;
const LARGE: usize = 100_000;
const W: u16 = 160;
const H: u16 = 50;

/// The 1,000-turn push.
fn small() -> &'static str {
    static PUSH: OnceLock<String> = OnceLock::new();
    PUSH.get_or_init(|| rudder_inspect::generate::push(SMALL, 20, 20, 1))
}

/// The 100,000-turn push (~17.7 MB).
fn large() -> &'static str {
    static PUSH: OnceLock<String> = OnceLock::new();
    PUSH.get_or_init(|| rudder_inspect::generate::push(LARGE, 2_000, 20, 1))
}

fn answer_of(push: &str) -> Answer {
    interpret(Exchange {
        url: "file://push.json".into(),
        status: 0,
        latency: Duration::ZERO,
        body: push.as_bytes().to_vec().into(),
        received_at: chrono::Local::now(),
    })
    .expect("the generated push is a valid answer")
}

fn small_answer() -> &'static Answer {
    static ANSWER: OnceLock<Answer> = OnceLock::new();
    ANSWER.get_or_init(|| answer_of(small()))
}

fn large_answer() -> &'static Answer {
    static ANSWER: OnceLock<Answer> = OnceLock::new();
    ANSWER.get_or_init(|| answer_of(large()))
}

fn key(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn press(app: &mut App, c: KeyCode) {
    black_box(app.update(key(c)));
}

/// An app showing the 100k push at 160×50, on tab `tab` ('1'..='6'), not drawn yet.
fn app_on(tab: char) -> App {
    let mut app = App::new(Query::default(), Context::default()).with_answer(
        large_answer().clone(),
        Source::File {
            path: "push.json".into(),
        },
    );
    black_box(app.update(Action::Resize(W, H)));
    press(&mut app, KeyCode::Char(tab));
    app
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(W, H)).expect("a test terminal")
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|f| rudder_inspect::ui::draw(f, app))
        .expect("drawing into a test terminal");
}

/// Times `routine` on a fresh app from `setup` per iteration; building and dropping the
/// app are left out of the time.
fn fresh<S, R>(iters: u64, setup: S, mut routine: R) -> Duration
where
    S: Fn() -> App,
    R: FnMut(&mut App),
{
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let mut app = setup();
        let start = Instant::now();
        routine(&mut app);
        total += start.elapsed();
        drop(black_box(app));
    }
    total
}

fn heavy() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (turns, push) in [(SMALL, small()), (LARGE, large())] {
        g.throughput(Throughput::Bytes(push.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("parse_document", turns),
            push.as_bytes(),
            |b, bytes| b.iter(|| parse_document(black_box(bytes)).expect("parses")),
        );
    }
    let bytes = large().as_bytes();
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function(BenchmarkId::new("parse_head", LARGE), |b| {
        b.iter(|| parse_head(black_box(bytes)).expect("parses"))
    });
    g.bench_function(BenchmarkId::new("scan_transcript", LARGE), |b| {
        b.iter(|| rudder_inspect::json::scan::transcript_span(black_box(bytes)).expect("found"))
    });
    let range = parse_head(bytes)
        .expect("parses")
        .1
        .transcript
        .expect("the transcript is left out");
    // The throughput of the transcript's own bytes (nearly all of the push).
    g.throughput(Throughput::Bytes(range.len() as u64));
    g.bench_function(BenchmarkId::new("read_transcript", LARGE), |b| {
        b.iter(|| read_transcript(black_box(bytes), range.clone(), |_| ()).expect("reads"))
    });
    g.finish();
}

fn derive(c: &mut Criterion) {
    let mut g = c.benchmark_group("derive");
    for (turns, answer) in [(SMALL, small_answer()), (LARGE, large_answer())] {
        g.bench_with_input(BenchmarkId::new("case_facts", turns), answer, |b, a| {
            b.iter(|| CaseFacts::derive(black_box(a.data())))
        });
    }
    g.finish();
}

fn draw_tabs(c: &mut Criterion) {
    let mut g = c.benchmark_group("draw_100k");
    let tabs = [
        ('1', "profile"),
        ('2', "call"),
        ('3', "redials"),
        ('4', "qa"),
        ('5', "transcript"),
        ('6', "raw"),
    ];
    for (tab, name) in tabs {
        let app = app_on(tab);
        let mut term = terminal();
        draw(&mut term, &app); // builds what is built lazily
        g.bench_function(name, |b| b.iter(|| draw(&mut term, &app)));
    }
    for (tab, name) in [('5', "transcript_end"), ('6', "raw_end")] {
        let mut app = app_on(tab);
        press(&mut app, KeyCode::Char('G'));
        let mut term = terminal();
        draw(&mut term, &app);
        g.bench_function(name, |b| b.iter(|| draw(&mut term, &app)));
    }
    // The Raw JSON tab's first draw, which builds its line index over the whole body.
    g.bench_function("raw_first", |b| {
        b.iter_custom(|iters| {
            let mut term = terminal();
            fresh(iters, || app_on('6'), |app| draw(&mut term, app))
        })
    });
    g.finish();
}

fn search(c: &mut Criterion) {
    let mut g = c.benchmark_group("search_100k");
    // Sanity: the marker is found (in the last turn).
    let mut app = app_on('5');
    type_search(&mut app, "last-turn-marker");
    let hits = &app
        .loaded
        .as_ref()
        .expect("loaded")
        .views
        .transcript
        .search
        .hits;
    assert_eq!(hits.len(), 1, "the marker is in the last turn only");
    for query in ["last-turn-marker", "a"] {
        g.bench_function(BenchmarkId::new("transcript", query), |b| {
            b.iter_custom(|iters| fresh(iters, || app_on('5'), |app| type_search(app, query)))
        });
    }
    g.finish();
}

/// `/`, the query one key at a time, Enter.
/// A query typed at once, as a paste or fast typing reaches the loop: searched once.
fn type_search(app: &mut App, query: &str) {
    press(app, KeyCode::Char('/'));
    for c in query.chars() {
        press(app, KeyCode::Char(c));
    }
    black_box(app.update(Action::Settle));
    press(app, KeyCode::Enter);
}

fn resize(c: &mut Criterion) {
    let mut g = c.benchmark_group("resize_100k");
    let mut app = app_on('5');
    let mut term = terminal();
    draw(&mut term, &app);
    g.bench_function("transcript_160x50_100x40_160x50", |b| {
        b.iter(|| {
            for (w, h) in [(100, 40), (W, H)] {
                black_box(app.update(Action::Resize(w, h)));
                term.backend_mut().resize(w, h);
                draw(&mut term, &app);
            }
        })
    });
    g.finish();
}

fn scroll(c: &mut Criterion) {
    let mut g = c.benchmark_group("scroll_100k");
    let mut app = app_on('5');
    let mut term = terminal();
    draw(&mut term, &app);
    // Back to the top (untimed) well before the end of the transcript.
    const RUN: u64 = 1_000;
    let mut done = 0u64;
    g.bench_function("transcript_page_down", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if done == RUN {
                    press(&mut app, KeyCode::Char('g'));
                    done = 0;
                }
                let start = Instant::now();
                press(&mut app, KeyCode::PageDown);
                draw(&mut term, &app);
                total += start.elapsed();
                done += 1;
            }
            total
        })
    });
    g.finish();
}

/// The small push with its transcript replaced by three turns, the middle one 20 MB long
/// (a stuck ASR can send one such turn).
fn long_turn_answer() -> &'static Answer {
    static ANSWER: OnceLock<Answer> = OnceLock::new();
    ANSWER.get_or_init(|| {
        let mut v: serde_json::Value =
            serde_json::from_str(small()).expect("the generated push is JSON");
        let words = "the payment plan was discussed again and again ";
        let long = words.repeat(20_000_000 / words.len());
        v["data"]["call"]["asr_result"] = serde_json::json!([
            {"time": "00:00:01", "robottext": "Hello, about your account.", "text": ""},
            {"time": "00:00:05", "robottext": "", "text": long},
            {"time": "00:00:09", "robottext": "Thank you, bye.", "text": ""},
        ]);
        answer_of(&serde_json::to_string(&v).expect("a value prints"))
    })
}

/// `j`, `G` and `g` with a frame each, over a 20 MB turn whose lines were counted once.
fn long_turn(c: &mut Criterion) {
    let mut g = c.benchmark_group("long_turn_20mb");
    let mut app = App::new(Query::default(), Context::default()).with_answer(
        long_turn_answer().clone(),
        Source::File {
            path: "push.json".into(),
        },
    );
    black_box(app.update(Action::Resize(W, H)));
    press(&mut app, KeyCode::Char('5'));
    let mut term = terminal();
    draw(&mut term, &app);
    g.bench_function("j_big_g_g", |b| {
        b.iter(|| {
            for k in [KeyCode::Char('j'), KeyCode::Char('G'), KeyCode::Char('g')] {
                press(&mut app, k);
                draw(&mut term, &app);
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = heavy_benches;
    config = heavy();
    targets = parse, derive, draw_tabs, search, resize, scroll, long_turn
}
criterion_main!(heavy_benches);
