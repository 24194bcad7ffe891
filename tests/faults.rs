//! Issue 5, the CLI fault matrix items tests/cli.rs does not cover: top-level bodies that
//! say nothing (`[]`, `""`, `{}`, `true`, an empty or blank body), an answer that trickles in
//! slowly (complete in time, and never complete within `--timeout`), a 503 with
//! `Retry-After`. Each failure exits non-zero with a short message naming the problem and
//! nothing on stdout. Servers run on 127.0.0.1.

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use support::*;

/// `query` for the reference ids against `base` with the demo token.
fn query(sb: &Sandbox, base: &str) -> assert_cmd::Command {
    query_cmd(sb, base, &reference_query(), Some(DEMO_TOKEN), "json")
}

#[test]
fn top_level_bodies_that_say_nothing_are_named() {
    let sb = Sandbox::new();
    // (body, exit code, words the message must hold)
    let cases: &[(&str, i32, &str)] = &[
        ("[]", 9, "wrong shape"),
        ("\"\"", 9, "wrong shape"),
        ("true", 9, "wrong shape"),
        ("{}", 9, "neither `data`"),
        ("", 8, "not JSON"),
        ("  \r\n\t ", 8, "not JSON"),
    ];
    for (body, code, words) in cases {
        let server = mock(json_reply(200, body));
        let err = fails_with(&mut query(&sb, &server.uri()), *code, &[DEMO_TOKEN]);
        assert!(err.contains(words), "{body:?}: {err}");
        assert!(err.starts_with("error: "), "{body:?}: {err}");
    }
}

/// A 503 with `Retry-After`: an HTTP error (exit 7) that says when to come back.
#[test]
fn http_503_with_retry_after_says_when() {
    let sb = Sandbox::new();
    let server = mock(
        wiremock::ResponseTemplate::new(503)
            .insert_header("retry-after", "120")
            .set_body_raw(b"down for maintenance".to_vec(), "text/plain"),
    );
    let err = fails_with(&mut query(&sb, &server.uri()), 7, &[DEMO_TOKEN]);
    assert!(err.contains("HTTP 503"), "{err}");
    assert!(err.contains("Service Unavailable"), "{err}");
    assert!(err.contains("down for maintenance"), "{err}");
    assert!(err.contains("retry after 120"), "{err}");
}

/// A server that answers every connection with `head` then `body` in pieces of `piece` bytes,
/// pausing `pause` between pieces (the server is slow on purpose; the test waits on the
/// client), then holds the connection open. It stops when the client goes away.
fn trickle_server(head: String, body: Vec<u8>, piece: usize, pause: Duration) -> String {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut s) = conn else { continue };
            let (head, body) = (head.clone(), body.clone());
            std::thread::spawn(move || {
                read_request(&mut s);
                if s.write_all(head.as_bytes()).is_err() {
                    return;
                }
                for part in body.chunks(piece) {
                    std::thread::sleep(pause);
                    if s.write_all(part).and_then(|()| s.flush()).is_err() {
                        return;
                    }
                }
                // Then silence, the connection held open until the client leaves.
                let _ = s.read(&mut [0u8; 64]);
            });
        }
    });
    url
}

#[test]
fn an_answer_that_trickles_in_is_read_whole() {
    let sb = Sandbox::new();
    let body = asset("01-reference.json");
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    // 5.4 KB in 400-byte pieces, 60 ms apart: under a second, well within --timeout 20.
    let url = trickle_server(head, body.clone(), 400, Duration::from_millis(60));
    let out = query(&sb, &url).args(["--timeout", "20"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(printed, sent, "the whole answer, as sent");
}

#[test]
fn an_answer_that_never_finishes_times_out_cleanly() {
    let sb = Sandbox::new();
    let body = asset("05-long-transcript.json");
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    // One byte every 100 ms: 113 KB would take three hours.
    let url = trickle_server(head, body, 1, Duration::from_millis(100));
    let started = Instant::now();
    let err = fails_with(query(&sb, &url).args(["--timeout", "2"]), 6, &[DEMO_TOKEN]);
    assert!(err.contains("timed out after 2 s"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "--timeout 2 took {:?}",
        started.elapsed()
    );
}

#[test]
fn headers_that_trickle_in_and_stop_time_out_cleanly() {
    let sb = Sandbox::new();
    // The status line and half the headers, a byte at a time, then nothing more.
    let url = trickle_server(
        String::new(),
        b"HTTP/1.1 200 OK\r\ncontent-type: appl".to_vec(),
        1,
        Duration::from_millis(50),
    );
    let started = Instant::now();
    let err = fails_with(query(&sb, &url).args(["--timeout", "3"]), 6, &[DEMO_TOKEN]);
    assert!(err.contains("timed out"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}
