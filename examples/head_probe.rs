fn main() {
    let text = std::fs::read("/tmp/push100k.json").unwrap();
    let span = rudder_inspect::api::scan::transcript_span(&text).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..100 {
        let r = rudder_inspect::api::model::parse_head_scanned(&text, Some(Some(span.clone())))
            .unwrap();
        std::hint::black_box(r);
    }
    println!("head {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 100.0);
}
