//! The wire read against in-memory connections, and connecting on loopback.

use super::connect::connect_tcp;
use super::response::*;
use super::*;
use crate::api::error::ConnectKind;
use bytes::Bytes;
use proptest::prelude::*;
use reqwest::header::HeaderValue;
use tokio::io::AsyncWriteExt;

/// The answer `parts` make, written piece by piece (each a read of its own at most) by a
/// server that then closes, and its head read.
async fn answer(parts: Vec<Vec<u8>>) -> Result<Response, WireError> {
    let (ours, mut theirs) = tokio::io::duplex(64);
    tokio::spawn(async move {
        for p in parts {
            if theirs.write_all(&p).await.is_err() {
                return;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    Response::read_head(Box::new(ours), deadline).await
}

async fn whole(r: Response, cap: u64, strict: bool) -> Result<Bytes, BodyError> {
    r.read_body(cap, strict, None).await.map(|(bytes, _)| bytes)
}

async fn body_of(text: &[u8], cap: u64, strict: bool) -> Result<Bytes, BodyError> {
    whole(answer(vec![text.to_vec()]).await?, cap, strict).await
}

async fn read(text: &str) -> Result<Bytes, BodyError> {
    body_of(text.as_bytes(), 1 << 20, true).await
}

fn broken_with(r: Result<Bytes, BodyError>, words: &str) {
    match r {
        Err(BodyError::Wire(WireError::Broken(d))) => {
            assert!(d.contains(words), "{d} (wanted: {words})")
        }
        other => panic!("expected a broken answer ({words}), got {other:?}"),
    }
}

#[tokio::test]
async fn a_head_in_pieces_and_a_body_of_known_length() {
    let text = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nIs-Encrypted: 1\r\nContent-Length: 7\r\n\r\n{\"a\":1}";
    let parts = text.iter().map(|b| vec![*b]).collect();
    let r = answer(parts).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["is-encrypted"], "1");
    assert_eq!(r.content_length(), Some(7));
    assert_eq!(&whole(r, 100, true).await.unwrap()[..], b"{\"a\":1}");
}

#[tokio::test]
async fn interim_answers_are_skipped() {
    let b = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        .await
        .unwrap();
    assert_eq!(&b[..], b"{}");
}

#[tokio::test]
async fn chunked_with_extensions_and_trailers() {
    let b = read(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
         3;name=value\r\n{\"a\r\nA\r\n\":[1,2,3]}\r\n0\r\nX-Sum: 1\r\n\r\n",
    )
    .await
    .unwrap();
    assert_eq!(&b[..], b"{\"a\":[1,2,3]}");
}

#[tokio::test]
async fn until_close_and_no_body() {
    assert_eq!(
        &read("HTTP/1.1 200 OK\r\n\r\n[1]").await.unwrap()[..],
        b"[1]"
    );
    let other_coding = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz");
    assert_eq!(&other_coding.await.unwrap()[..], b"xyz");
    let none = read("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
    assert!(none.await.unwrap().is_empty());
}

#[tokio::test]
async fn caps_refuse_when_strict_and_cut_otherwise() {
    let length = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n";
    let close = b"HTTP/1.1 500 Oops\r\n\r\n0123456789";
    for text in [&length[..], &chunked[..], &close[..]] {
        assert_eq!(body_of(text, 9, true).await, Err(BodyError::TooLarge));
        assert_eq!(&body_of(text, 4, false).await.unwrap()[..], b"0123");
        assert_eq!(&body_of(text, 10, true).await.unwrap()[..], b"0123456789");
        assert_eq!(&body_of(text, 0, false).await.unwrap()[..], b"");
    }
}

#[tokio::test]
async fn broken_answers_say_what_is_wrong() {
    broken_with(
        read("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}").await,
        "after 2 of the 9",
    );
    broken_with(
        read("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n{}").await,
        "not a number",
    );
    broken_with(
        read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}").await,
        "two different",
    );
    for size in ["zz", "+5", "", "1000000000000000"] {
        let text = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\nabcde\r\n0\r\n\r\n"
        );
        broken_with(read(&text).await, "not a hexadecimal");
    }
    let long_chunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n";
    broken_with(read(long_chunk).await, "longer than its size");
    let cut = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nabc";
    broken_with(read(cut).await, "inside a chunk");
    let no_end = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n";
    broken_with(read(no_end).await, "inside the chunked answer");
    let endless = format!(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{}",
        "0".repeat(10_000)
    );
    broken_with(read(&endless).await, "too long");
    let trailers = format!(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n{}",
        "X-A: 1\r\n".repeat(20_000)
    );
    broken_with(read(&trailers).await, "trailers");
}

#[tokio::test]
async fn a_host_name_connects_whichever_of_its_addresses_answers() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // `localhost` may name ::1 first, where nothing listens.
    let s = connect_tcp("localhost", port, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(s.peer_addr().unwrap().port(), port);
    drop(listener);
    let refused = connect_tcp("127.0.0.1", port, Duration::from_secs(5))
        .await
        .err();
    assert!(
        matches!(
            refused,
            Some(WireError::Connect {
                kind: ConnectKind::Refused,
                ..
            })
        ),
        "{refused:?}"
    );
}

#[tokio::test]
async fn signs_and_statuses_http_does_not_allow_are_refused() {
    broken_with(
        read("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n{}").await,
        "not a number",
    );
    let bad = answer(vec![b"HTTP/1.1 099 Odd\r\n\r\n".to_vec()])
        .await
        .err();
    assert!(
        matches!(&bad, Some(WireError::Broken(d)) if d.contains("no valid status")),
        "{bad:?}"
    );
}

#[tokio::test]
async fn only_http_1_1_without_close_may_be_kept() {
    for (text, reusable) in [
        ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true),
        (
            "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n",
            false,
        ),
        ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false),
    ] {
        let r = answer(vec![text.as_bytes().to_vec()]).await.unwrap();
        assert_eq!(r.reusable, reusable, "{text}");
    }
}

#[tokio::test]
async fn heads_that_are_not_http_or_too_large_or_missing() {
    let head = |r: Result<Response, WireError>| r.err().expect("no answer");
    let not_http = head(answer(vec![b"SSH-2.0-OpenSSH\r\n\r\n".to_vec()]).await);
    assert!(
        matches!(&not_http, WireError::Broken(d) if d.contains("not HTTP/1.1")),
        "{not_http:?}"
    );
    let huge = format!("HTTP/1.1 200 OK\r\nX-A: {}\r\n", "a".repeat(70_000));
    let huge = head(answer(vec![huge.into_bytes()]).await);
    assert!(
        matches!(&huge, WireError::Broken(d) if d.contains("64 KiB")),
        "{huge:?}"
    );
    let none = head(answer(vec![b"HTTP/1.1 200".to_vec()]).await);
    assert!(
        matches!(&none, WireError::Broken(d) if d.contains("before an answer")),
        "{none:?}"
    );
}

#[tokio::test]
async fn a_big_body_is_read_into_its_own_memory_whole() {
    let content: Vec<u8> = (0..(3u32 << 20))
        .map(|i| b"abcdefghij"[(i % 10) as usize])
        .collect();
    let mut text = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
        content.len()
    )
    .into_bytes();
    text.extend_from_slice(&content);
    let parts = text.chunks(100_003).map(<[u8]>::to_vec).collect();
    let r = answer(parts).await.unwrap();
    assert_eq!(whole(r, 64 << 20, true).await.unwrap(), content);
}

#[tokio::test]
async fn a_stalled_body_times_out() {
    let (ours, mut theirs) = tokio::io::duplex(64);
    theirs
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{")
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_millis(50);
    let r = Response::read_head(Box::new(ours), deadline).await.unwrap();
    assert_eq!(
        whole(r, 100, true).await,
        Err(BodyError::Wire(WireError::Timeout { connecting: false }))
    );
    drop(theirs);
}

#[test]
fn targets_and_the_request_bytes() {
    let url = |s: &str| reqwest::Url::parse(s).unwrap();
    let t = Target::of(&url("https://api.airudder.com/gw")).unwrap();
    assert_eq!(
        (t.tls, t.host.as_str(), t.port, t.authority.as_str()),
        (true, "api.airudder.com", 443, "api.airudder.com")
    );
    let t = Target::of(&url("http://[::1]:8080")).unwrap();
    assert_eq!(
        (t.tls, t.host.as_str(), t.port, t.authority.as_str()),
        (false, "::1", 8080, "[::1]:8080")
    );
    assert!(Target::of(&url("ftp://example.com")).is_none());
    let here = Target::of(&url("http://127.0.0.1:9")).unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    let bytes = request_bytes(&here, "/a/b", &headers, b"{}");
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "POST /a/b HTTP/1.1\r\nHost: 127.0.0.1:9\r\ncontent-type: application/json\r\n\
         Content-Length: 2\r\n\r\n{}"
    );
    // Built in one buffer, never grown: no copy of a long token is left behind.
    let token = format!("Token {}", "t".repeat(2000));
    headers.insert("authorization", HeaderValue::from_str(&token).unwrap());
    let bytes = request_bytes(&here, "/a", &headers, b"{}");
    assert!(
        bytes.capacity() < bytes.len() + 100,
        "{} for {}",
        bytes.capacity(),
        bytes.len()
    );
}

proptest! {
    #![proptest_config(crate::proptest_config::config(200))]

    /// Any body, sent in any chunks, arriving in any pieces, reads back whole.
    #[test]
    fn chunked_bodies_read_back_whole(
        body in proptest::collection::vec(any::<u8>(), 0..3000),
        chunk in 1usize..700,
        piece in 1usize..300,
    ) {
        let mut text = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for c in body.chunks(chunk) {
            text.extend_from_slice(format!("{:x}\r\n", c.len()).as_bytes());
            text.extend_from_slice(c);
            text.extend_from_slice(b"\r\n");
        }
        text.extend_from_slice(b"0\r\n\r\n");
        let parts: Vec<Vec<u8>> = text.chunks(piece).map(<[u8]>::to_vec).collect();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let got = rt.block_on(async { whole(answer(parts).await.unwrap(), 1 << 20, true).await });
        prop_assert_eq!(got.unwrap(), body);
    }
}
