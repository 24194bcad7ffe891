use rudder_inspect::api::client::{Exchange, interpret_head};
fn main() {
    let text = std::fs::read("/tmp/push100k.json").unwrap();
    let ex = Exchange {
        url: "x".into(),
        status: 200,
        latency: Default::default(),
        body: text.into(),
        received_at: chrono::Local::now(),
        transcript_scan: None,
    };
    let answer = interpret_head(ex).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..200 {
        let facts = rudder_inspect::case::CaseFacts::derive(answer.data());
        std::hint::black_box(facts);
    }
    println!("derive {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 200.0);
}
