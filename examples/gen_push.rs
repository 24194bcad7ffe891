//! Writes a large, realistic, deterministic push to stdout:
//! `cargo run --release --example gen_push -- --turns 100000 --redials 2000 --questions 20 > push.json`

fn main() {
    let mut turns = 1000usize;
    let mut redials = 10usize;
    let mut questions = 8usize;
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next().and_then(|v| v.parse::<u64>().ok());
        match (a.as_str(), v) {
            ("--turns", Some(n)) => turns = n as usize,
            ("--redials", Some(n)) => redials = n as usize,
            ("--questions", Some(n)) => questions = n as usize,
            ("--seed", Some(n)) => seed = n,
            _ => {
                eprintln!("usage: gen_push [--turns N] [--redials M] [--questions Q] [--seed S]");
                std::process::exit(2);
            }
        }
    }
    use std::io::Write;
    let text = rudder_inspect::generate::push(turns, redials, questions, seed);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
