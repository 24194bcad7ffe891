//! The HTTP client against real servers on 127.0.0.1: wiremock for ordinary answers, raw tokio
//! listeners for what wiremock cannot do (chunked bodies, silence, trickles, counting
//! connections). Nothing here leaves the loopback interface.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rudder_inspect::advice::Advice;
use rudder_inspect::api::error::ConnectKind;
use rudder_inspect::api::{Answer, ApiError, Client, ClientOptions, Query, Secret, VERIFY_PATH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// Looks like a real token: base64 with `+` and `/`.
const TOKEN: &str = "3Ksb9EkFDQ/HBhAbvYDTq4+pGGjNRAuLtPF9MMt9E97hX+OgLWTmeZtdGZyjR+YqU";
const REFERENCE: &str = include_str!("../assets/demo/01-reference.json");

const BODY_NO_CASE: &str = r#"{"workflow_id":"0ca6e3a59cf74630906683882aa5111","node_id":"1d78b96d74c24737b186da7bcb23a2f8","callee":"+8610086"}"#;
const BODY_WITH_CASE: &str = r#"{"workflow_id":"0ca6e3a59cf74630906683882aa5111","node_id":"1d78b96d74c24737b186da7bcb23a2f8","callee":"+8610086","case_id":"caseid"}"#;

fn query(case_id: Option<&str>) -> Query {
    Query {
        workflow_id: "0ca6e3a59cf74630906683882aa5111".into(),
        node_id: "1d78b96d74c24737b186da7bcb23a2f8".into(),
        callee: "+8610086".into(),
        case_id: case_id.map(Into::into),
    }
}

fn token() -> Secret {
    Secret::token(TOKEN)
}

fn client_with(base: &str, timeout: Duration, max_body: u64) -> Client {
    match Client::new(ClientOptions {
        base_url: base.into(),
        timeout,
        max_body,
        allow_http: false,
        ..ClientOptions::default()
    }) {
        Ok(c) => c,
        Err(e) => panic!("client for {base}: {}", e.message()),
    }
}

fn client(base: &str) -> Client {
    client_with(base, Duration::from_secs(10), 1024 * 1024)
}

/// message() and hint(): one non-empty line, no control characters, no token, no Debug dump.
fn assert_clean(e: &ApiError) {
    for text in [e.message(), e.hint()] {
        assert!(!text.trim().is_empty(), "empty text for {}", e.short());
        assert!(
            !text.chars().any(char::is_control),
            "control character in {text:?}"
        );
        assert!(!text.contains(TOKEN), "token in {text:?}");
        assert!(!text.contains(&TOKEN[..10]), "piece of token in {text:?}");
        assert!(
            !text.contains(&TOKEN[TOKEN.len() - 10..]),
            "token end in {text:?}"
        );
        for dump in [
            "ApiError", "Error {", "Os {", "Custom {", "kind:", "Some(", "Kind(",
        ] {
            assert!(!text.contains(dump), "Debug output {dump:?} in {text:?}");
        }
    }
    assert!(e.exit_code() > 2);
}

fn both(e: &ApiError) -> String {
    format!("{} | {}", e.message(), e.hint())
}

/// The lookup as the screen makes it: on the network thread, on a connection of its own
/// (read straight into the body's memory), the head read at once.
async fn for_screen(client: &Client, q: &Query) -> Result<Answer, ApiError> {
    let (c, q) = (client.clone(), q.clone());
    rudder_inspect::api::net::spawn(async move {
        c.verify_as(&token(), &q, rudder_inspect::api::Reading::ForScreen(None))
            .await
    })
    .await
    .expect("the lookup ran")
}

/// Runs one verify call that must fail, both ways a lookup goes (reqwest's pooled client,
/// and a connection of its own as for the screen), and checks they fail alike and cleanly.
async fn fail(client: &Client, q: &Query) -> ApiError {
    let pooled = match client.verify(&token(), q).await {
        Ok(a) => panic!("expected an error, got HTTP {}", a.exchange.status),
        Err(e) => e,
    };
    let direct = match for_screen(client, q).await {
        Ok(a) => panic!(
            "expected an error for the screen too, got HTTP {}",
            a.exchange.status
        ),
        Err(e) => e,
    };
    assert_clean(&pooled);
    assert_clean(&direct);
    match (&pooled, &direct) {
        // The details come from two HTTP stacks; the kind of failure must agree.
        (ApiError::Connect { kind: a, .. }, ApiError::Connect { kind: b, .. }) => {
            assert_eq!(a, b, "{} / {}", both(&pooled), both(&direct))
        }
        (ApiError::Network { .. }, ApiError::Network { .. }) => {}
        _ => assert_eq!(both(&pooled), both(&direct)),
    }
    pooled
}

/// Runs one verify call that must answer, both ways (see [`fail`]): the same bytes come back.
async fn ok(client: &Client, q: &Query) -> Answer {
    let pooled = match client.verify(&token(), q).await {
        Ok(a) => a,
        Err(e) => panic!("expected an answer: {} ({})", e.message(), e.hint()),
    };
    match for_screen(client, q).await {
        Ok(a) => {
            assert_eq!(a.exchange.status, pooled.exchange.status);
            assert_eq!(a.exchange.body, pooled.exchange.body);
            assert_eq!(a.exchange.url, pooled.exchange.url);
        }
        Err(e) => panic!(
            "expected an answer for the screen: {} ({})",
            e.message(),
            e.hint()
        ),
    }
    pooled
}

/// A wiremock server answering every verify POST with `template`.
async fn serving(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(VERIFY_PATH))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn answer_with(template: ResponseTemplate) -> ApiError {
    let server = serving(template).await;
    fail(&client(&server.uri()), &query(None)).await
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

fn html(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "text/html")
}

/// Matches a body byte for byte.
struct ExactBody(&'static str);

impl Match for ExactBody {
    fn matches(&self, request: &Request) -> bool {
        request.body == self.0.as_bytes()
    }
}

/// Matches when each of the three headers is sent exactly once.
struct HeadersOnce;

impl Match for HeadersOnce {
    fn matches(&self, request: &Request) -> bool {
        ["authorization", "content-type", "user-agent"]
            .iter()
            .all(|h| request.headers.get_all(*h).iter().count() == 1)
    }
}

// ---------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------

async fn check_request(case_id: Option<&str>, expected_body: &'static str) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(VERIFY_PATH))
        .and(header("authorization", format!("Token {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(header("user-agent", "Airudder"))
        .and(HeadersOnce)
        .and(ExactBody(expected_body))
        .respond_with(json(200, REFERENCE))
        // Once by each route.
        .expect(2)
        .mount(&server)
        .await;
    ok(&client(&server.uri()), &query(case_id)).await;

    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2);
    for r in &requests {
        check_one_request(r, expected_body);
    }
    server.verify().await;
}

fn check_one_request(r: &Request, expected_body: &str) {
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url.path(), "/service/cloud/workflow/apinoticeinfo");
    assert_eq!(r.url.query(), None);
    let one = |name: &str| {
        let all: Vec<_> = r.headers.get_all(name).iter().collect();
        assert_eq!(all.len(), 1, "{name} sent {} times", all.len());
        all[0].to_str().expect("ASCII header").to_string()
    };
    assert_eq!(one("authorization"), format!("Token {TOKEN}"));
    assert_eq!(one("content-type"), "application/json");
    assert_eq!(one("user-agent"), "Airudder");
    assert_eq!(std::str::from_utf8(&r.body).unwrap(), expected_body);
}

#[tokio::test]
async fn request_without_case_id_is_exact() {
    check_request(None, BODY_NO_CASE).await;
}

#[tokio::test]
async fn request_with_case_id_is_exact() {
    check_request(Some("caseid"), BODY_WITH_CASE).await;
}

#[tokio::test]
async fn blank_case_id_is_left_out() {
    check_request(Some("   "), BODY_NO_CASE).await;
}

#[tokio::test]
async fn base_url_with_a_path_and_trailing_slash() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/gw{VERIFY_PATH}")))
        .respond_with(json(200, REFERENCE))
        .expect(2)
        .mount(&server)
        .await;
    ok(&client(&format!("{}/gw/", server.uri())), &query(None)).await;
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// Success
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn reference_example_is_an_answer_with_data() {
    let server = serving(json(200, REFERENCE)).await;
    let answer = ok(&client(&server.uri()), &query(Some("caseid"))).await;
    assert_eq!(answer.exchange.status, 200);
    assert_eq!(answer.exchange.body.as_ref(), REFERENCE.as_bytes());
    assert_eq!(
        answer.exchange.url,
        format!("{}{VERIFY_PATH}", server.uri())
    );
    assert!(answer.document.data().is_some());
    let data = answer.data();
    assert_eq!(data.workflow_id.show(), "b761cdd784294xxxxxx869f85c");
    assert_eq!(data.workflow_name.show(), "test_api_action4");
    assert_eq!(data.node_name.show(), "API1");
    assert_eq!(data.callee.callee_name.show(), "WILL SMITH");
    assert_eq!(data.call.redial_call.len(), 3);
    assert_eq!(data.call.asr_result.len(), 8);
    assert_eq!(
        answer.code_status(),
        Some(("200".to_string(), "OK".to_string()))
    );
}

/// The AES transport, both ways a lookup goes: the request encrypted, marked and signed, the
/// encrypted answer decrypted and its signature checked.
#[tokio::test]
async fn the_aes_transport_both_ways() {
    use rudder_inspect::api::aes::{self, AesKey};
    const KEY: &str = "0123456789abcdef0123456789abcdef";
    let key = || AesKey::new(Secret::labelled("AesKey", KEY)).unwrap();
    let server = serving(
        ResponseTemplate::new(200)
            .insert_header("Is-Encrypted", "1")
            .insert_header("Signed", aes::sign(REFERENCE.as_bytes()).as_str())
            .set_body_raw(
                key().encrypt(REFERENCE.as_bytes()).into_bytes(),
                "text/plain",
            ),
    )
    .await;
    let c = match Client::new(ClientOptions {
        base_url: server.uri(),
        aes: Some(key()),
        ..ClientOptions::default()
    }) {
        Ok(c) => c,
        Err(e) => panic!("{}", e.message()),
    };
    let answer = ok(&c, &query(None)).await;
    assert_eq!(answer.exchange.body.as_ref(), REFERENCE.as_bytes());
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2, "once each way");
    for r in &requests {
        let plain = key().decrypt(&r.body).unwrap();
        assert_eq!(plain, BODY_NO_CASE.as_bytes());
        assert_eq!(r.headers.get("is-encrypted").unwrap(), "1");
        assert_eq!(
            r.headers.get("signed").unwrap().to_str().unwrap(),
            aes::sign(&plain)
        );
    }
}

#[tokio::test]
async fn body_exactly_at_the_cap_is_read() {
    let server = serving(json(200, REFERENCE)).await;
    let c = client_with(
        &server.uri(),
        Duration::from_secs(10),
        REFERENCE.len() as u64,
    );
    ok(&c, &query(None)).await;
    let c = client_with(
        &server.uri(),
        Duration::from_secs(10),
        REFERENCE.len() as u64 - 1,
    );
    assert!(matches!(
        fail(&c, &query(None)).await,
        ApiError::TooLarge { .. }
    ));
}

/// A body of several MiB (its own memory, filled as it arrives) read whole, and read for the
/// screen on the network thread: the transcript left out, then read, gives the same answer.
#[tokio::test]
async fn a_big_body_reads_whole_and_for_the_screen_alike() {
    let push = rudder_inspect::generate::push(20_000, 50, 5, 9);
    assert!(push.len() > 3 << 20, "{}", push.len());
    let server = serving(json(200, &push)).await;
    let c = client_with(&server.uri(), Duration::from_secs(30), 64 << 20);
    let whole = ok(&c, &query(None)).await;
    assert_eq!(&whole.exchange.body[..], push.as_bytes());
    assert!(whole.left_out.is_empty());
    let head = rudder_inspect::api::net::spawn(async move {
        c.verify_as(
            &token(),
            &query(None),
            rudder_inspect::api::Reading::ForScreen(None),
        )
        .await
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(&head.exchange.body[..], push.as_bytes());
    assert!(head.left_out.transcript.is_some(), "a big body is skimmed");
    assert!(head.left_out.redials.is_some());
    assert!(head.data().call.asr_result.items.is_empty());
    assert!(head.data().call.redial_call.items.is_empty());
    let read = rudder_inspect::api::model::complete(
        &head.exchange.body,
        head.document.clone(),
        &head.left_out,
        |_| (),
    )
    .unwrap();
    assert_eq!(read, whole.document);
    assert_eq!(read.data().unwrap().call.asr_result.items.len(), 20_000);
}

// ---------------------------------------------------------------------------------------------
// HTTP status errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unauthorized_and_forbidden_point_at_the_token() {
    for (status, reason) in [(401, "Unauthorized"), (403, "Forbidden")] {
        let e = answer_with(json(status, r#"{"detail":"bad token"}"#)).await;
        match &e {
            ApiError::Http {
                status: s,
                reason: r,
                ..
            } => {
                assert_eq!(*s, status);
                assert_eq!(r, reason);
            }
            other => panic!("{status}: {}", other.message()),
        }
        assert!(e.message().starts_with(&format!("HTTP {status} {reason}")));
        assert!(e.message().contains("bad token"));
        assert!(e.hint().to_lowercase().contains("token"), "{}", e.hint());
    }
}

#[tokio::test]
async fn not_found_says_so() {
    let e = answer_with(ResponseTemplate::new(404)).await;
    assert!(matches!(e, ApiError::Http { status: 404, .. }));
    assert_eq!(e.message(), "HTTP 404 Not Found");
    assert!(e.hint().contains("base URL"));
}

#[tokio::test]
async fn unknown_path_is_a_404_from_the_server() {
    // Nothing mounted: wiremock answers 404 itself.
    let server = MockServer::start().await;
    let e = fail(&client(&server.uri()), &query(None)).await;
    assert!(matches!(e, ApiError::Http { status: 404, .. }));
}

#[tokio::test]
async fn too_many_requests_shows_retry_after() {
    let e = answer_with(json(429, r#"{"detail":"slow down"}"#).insert_header("Retry-After", "17"))
        .await;
    match &e {
        ApiError::Http {
            status: 429,
            retry_after,
            ..
        } => assert_eq!(retry_after.as_deref(), Some("17")),
        other => panic!("{}", other.message()),
    }
    assert!(e.message().contains("429 Too Many Requests"));
    assert!(e.hint().contains("17"), "{}", e.hint());
}

#[tokio::test]
async fn too_many_requests_without_retry_after() {
    let e = answer_with(ResponseTemplate::new(429)).await;
    assert!(matches!(
        e,
        ApiError::Http {
            status: 429,
            retry_after: None,
            ..
        }
    ));
}

#[tokio::test]
async fn server_errors_with_html_show_a_clean_excerpt() {
    for (status, reason) in [
        (500, "Internal Server Error"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
    ] {
        let page = format!(
            "<html>\r\n<head><title>{status} {reason}</title>\
             <style>body {{ color: red }}</style>\
             <script>alert('x')</script></head>\r\n\
             <body>\x1b[31m<center><h1>{status} {reason}</h1></center>\x07\x00\r\n\
             <hr><center>nginx</center>\u{202e}\t</body></html>\r\n"
        );
        let e = answer_with(html(status, &page)).await;
        let ApiError::Http {
            status: s,
            body_start,
            ..
        } = &e
        else {
            panic!("{status}: {}", e.message())
        };
        assert_eq!(*s, status);
        assert!(
            body_start.contains(&format!("{status} {reason}")),
            "{body_start}"
        );
        assert!(body_start.contains("nginx"), "{body_start}");
        for bad in ["<", ">", "color", "alert", "html", "\u{202e}"] {
            assert!(!body_start.contains(bad), "{bad:?} in {body_start:?}");
        }
        assert!(!body_start.chars().any(char::is_control), "{body_start:?}");
        assert!(
            e.message()
                .starts_with(&format!("HTTP {status} {reason}: {status} {reason}")),
            "{}",
            e.message()
        );
        assert!(e.hint().contains("try again later"));
    }
}

#[tokio::test]
async fn long_error_body_is_cut_short() {
    let e = answer_with(html(500, &"overloaded ".repeat(5000))).await;
    let ApiError::Http { body_start, .. } = &e else {
        panic!("{}", e.message())
    };
    assert!(body_start.chars().count() <= 200);
    assert!(body_start.ends_with('…'));
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not what the endpoint answers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn html_with_200_is_not_json() {
    let e = answer_with(html(
        200,
        "<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>",
    ))
    .await;
    let ApiError::NotJson { body_start, .. } = &e else {
        panic!("{}", e.message())
    };
    assert!(body_start.contains("Welcome to nginx!"));
    assert!(!body_start.contains('<'));
    assert!(e.message().contains("not JSON"));
}

#[tokio::test]
async fn truncated_json_is_not_json() {
    let cut = &REFERENCE[..REFERENCE.len() / 2];
    let e = answer_with(json(200, cut)).await;
    assert!(matches!(e, ApiError::NotJson { .. }), "{}", e.message());
}

#[tokio::test]
async fn empty_body_is_not_json() {
    for body in ["", "  \r\n"] {
        let e = answer_with(json(200, body)).await;
        assert!(matches!(e, ApiError::NotJson { .. }), "{}", e.message());
        assert!(e.message().contains("empty"), "{}", e.message());
    }
}

#[tokio::test]
async fn data_of_the_wrong_kind_is_wrong_shape() {
    for (data, kind) in [
        ("[1, 2]", "list"),
        (r#"[{"node_id": "a"}, {"node_id": "b"}]"#, "list"),
        ("42", "number"),
        (r#""x""#, "string"),
        ("true", "boolean"),
    ] {
        let body = format!(r#"{{"data": {data}, "status": "OK", "code": 200}}"#);
        let e = answer_with(json(200, &body)).await;
        let ApiError::WrongShape { what } = &e else {
            panic!("{data}: {}", e.message())
        };
        assert!(what.contains(kind), "{data}: {what}");
    }
}

#[tokio::test]
async fn body_that_is_not_an_object_is_wrong_shape() {
    for body in ["null", "[]", r#""""#, "7", "true", "{}"] {
        let e = answer_with(json(200, body)).await;
        assert!(
            matches!(e, ApiError::WrongShape { .. }),
            "{body}: {}",
            e.message()
        );
    }
}

#[tokio::test]
async fn envelope_not_ok_shows_code_and_status() {
    let data = r#"{"workflow_id":"w"}"#;
    for (code, status) in [
        ("500", r#""ERROR""#),
        ("200", r#""FAIL""#),
        ("500", r#""FAIL""#),
    ] {
        let body =
            format!(r#"{{"data": {data}, "status": {status}, "code": {code}, "message": "boom"}}"#);
        let e = answer_with(json(200, &body)).await;
        let ApiError::Api {
            code: c, status: s, ..
        } = &e
        else {
            panic!("{body}: {}", e.message())
        };
        assert_eq!(c, code);
        assert_eq!(s, status.trim_matches('"'));
        let m = e.message();
        assert!(
            m.contains(code) && m.contains(status.trim_matches('"')),
            "{m}"
        );
        assert!(m.contains("boom"), "{m}");
    }
}

#[tokio::test]
async fn envelope_code_as_text_and_in_the_body_of_an_error() {
    let e = answer_with(json(
        200,
        r#"{"data": null, "status": "Unauthorized", "code": "401"}"#,
    ))
    .await;
    assert!(matches!(e, ApiError::Api { .. }));
    assert!(e.message().contains("401") && e.message().contains("Unauthorized"));
    assert!(e.hint().contains("token"));
}

#[tokio::test]
async fn data_null_or_missing_is_no_record() {
    for body in [
        r#"{"data": null, "status": "OK", "code": 200}"#,
        r#"{"status": "OK", "code": 200}"#,
        r#"{"data": {}, "status": "OK", "code": 200}"#,
        // The model reads an empty list or string where the object belongs as "nothing".
        r#"{"data": [], "status": "OK", "code": 200}"#,
        r#"{"data": "", "status": "OK", "code": 200}"#,
    ] {
        let e = answer_with(json(200, body)).await;
        assert_eq!(e, ApiError::NoRecord, "{body}");
        assert!(e.message().contains("no push record for these ids"));
        assert!(e.hint().contains("records are kept for three months"));
    }
}

// ---------------------------------------------------------------------------------------------
// Size cap
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn body_over_the_cap_with_content_length_is_refused() {
    let big = format!(r#"{{"data": {{"node_name": "{}"}}}}"#, "x".repeat(20_000));
    let server = serving(json(200, &big)).await;
    let c = client_with(&server.uri(), Duration::from_secs(10), 4096);
    let e = fail(&c, &query(None)).await;
    assert_eq!(e, ApiError::TooLarge { limit: 4096 });
    assert!(e.message().contains("4.0 KiB"), "{}", e.message());
    assert!(e.hint().contains("--max-body"));
}

#[tokio::test]
async fn chunked_body_over_the_cap_is_refused() {
    // No Content-Length: the cap has to be enforced while reading.
    let (base, _server) = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                    Transfer-Encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = format!("{:x}\r\n{}\r\n", 1000, "y".repeat(1000));
        for _ in 0..1000 {
            if stream.write_all(chunk.as_bytes()).await.is_err() {
                return; // the client gave up, as it should
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    })
    .await;
    let c = client_with(&base, Duration::from_secs(10), 8 * 1024);
    let e = fail(&c, &query(None)).await;
    assert_eq!(e, ApiError::TooLarge { limit: 8 * 1024 });
}

#[tokio::test]
async fn body_until_close_over_the_cap_is_refused() {
    // Neither Content-Length nor chunked: the body runs until the server closes.
    let (base, _server) = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let block = vec![b'z'; 4096];
        for _ in 0..256 {
            if stream.write_all(&block).await.is_err() {
                return;
            }
        }
    })
    .await;
    let c = client_with(&base, Duration::from_secs(10), 16 * 1024);
    assert_eq!(
        fail(&c, &query(None)).await,
        ApiError::TooLarge { limit: 16 * 1024 }
    );
}

// ---------------------------------------------------------------------------------------------
// Connections and time
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn silent_server_times_out() {
    let (base, _server) = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        // Hold the socket open and never answer.
        std::future::pending::<()>().await;
        drop(stream);
    })
    .await;
    let c = client_with(&base, Duration::from_millis(1500), 1024 * 1024);
    let started = Instant::now();
    let e = fail(&c, &query(None)).await;
    let took = started.elapsed();
    match &e {
        ApiError::Timeout { secs, target } => {
            assert_eq!(*secs, 2, "1.5 s rounds up");
            assert_eq!(target, &base);
        }
        other => panic!("{}", other.message()),
    }
    assert!(took >= Duration::from_millis(1400), "{took:?}");
    assert!(took < Duration::from_secs(8), "{took:?}");
    assert!(e.message().contains("timed out"));
    assert!(e.hint().contains("--timeout"));
}

#[tokio::test]
async fn body_that_stalls_past_the_timeout_times_out() {
    let (base, _server) = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            REFERENCE.len()
        );
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(&REFERENCE.as_bytes()[..100]).await;
        std::future::pending::<()>().await;
    })
    .await;
    let c = client_with(&base, Duration::from_secs(1), 1024 * 1024);
    let e = fail(&c, &query(None)).await;
    assert!(
        matches!(e, ApiError::Timeout { secs: 1, .. }),
        "{}",
        e.message()
    );
}

#[tokio::test]
async fn slow_trickle_within_the_timeout_succeeds() {
    let (base, _server) = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            REFERENCE.len()
        );
        let _ = stream.write_all(head.as_bytes()).await;
        for piece in REFERENCE.as_bytes().chunks(REFERENCE.len() / 8 + 1) {
            let _ = stream.write_all(piece).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(120)).await;
        }
    })
    .await;
    let c = client_with(&base, Duration::from_secs(10), 1024 * 1024);
    let started = Instant::now();
    let answer = ok(&c, &query(None)).await;
    assert!(started.elapsed() >= Duration::from_millis(800));
    assert_eq!(answer.data().workflow_name.show(), "test_api_action4");
}

#[tokio::test]
async fn closed_port_is_connection_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let base = format!("http://127.0.0.1:{port}");
    let e = fail(&client(&base), &query(None)).await;
    match &e {
        ApiError::Connect { kind, target, .. } => {
            assert_eq!(*kind, ConnectKind::Refused);
            assert_eq!(target, &base);
        }
        other => panic!("{}", other.message()),
    }
    assert!(
        e.message().contains("connection refused"),
        "{}",
        e.message()
    );
    // The cause is kept beneath: reqwest's error, and under it the refused connection.
    let mut below = std::error::Error::source(&e);
    let mut refused = false;
    while let Some(cause) = below {
        refused |= cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused);
        below = cause.source();
    }
    assert!(refused, "{e:?}");
}

#[tokio::test]
async fn https_to_a_server_that_does_not_speak_tls_is_a_tls_failure() {
    let (base, _server) = raw_server(|mut stream| async move {
        let mut buf = [0u8; 512];
        let _ = stream.read(&mut buf).await;
        let _ = stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            .await;
    })
    .await;
    let base = base.replace("http://", "https://");
    let e = fail(&client(&base), &query(None)).await;
    assert!(
        matches!(
            e,
            ApiError::Connect {
                kind: ConnectKind::Tls,
                ..
            }
        ),
        "{} / {:?}",
        e.message(),
        e.hint()
    );
}

#[tokio::test]
async fn redirect_to_another_host_is_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(json(200, REFERENCE))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let location = format!("{}{VERIFY_PATH}", elsewhere.uri());
    let e =
        answer_with(ResponseTemplate::new(302).insert_header("Location", location.as_str())).await;
    assert!(
        matches!(e, ApiError::Http { status: 302, .. }),
        "{}",
        e.message()
    );
    assert!(e.message().contains(&location), "{}", e.message());
    assert!(e.hint().contains("redirect"), "{}", e.hint());
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
    elsewhere.verify().await;
}

#[tokio::test]
async fn two_calls_share_one_connection() {
    let accepted = Arc::new(AtomicUsize::new(0));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let count = accepted.clone();
    let server = tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                // Keep-alive: answer requests on this connection until the client closes it.
                while read_request(&mut stream).await {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                         Content-Length: {}\r\n\r\n",
                        REFERENCE.len()
                    );
                    if stream.write_all(head.as_bytes()).await.is_err()
                        || stream.write_all(REFERENCE.as_bytes()).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    let c = client(&base);
    let pooled = |c: Client, q: Query| async move { c.verify(&token(), &q).await.unwrap() };
    pooled(c.clone(), query(None)).await;
    pooled(c.clone(), query(Some("caseid"))).await;
    // A clone shares the pool too.
    pooled(c.clone(), query(None)).await;
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
    // Lookups for the screen have a connection of their own, kept between them too.
    for _ in 0..3 {
        let a = for_screen(&c, &query(None)).await.unwrap();
        assert_eq!(a.exchange.body.as_ref(), REFERENCE.as_bytes());
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
    }
    server.abort();
}

#[tokio::test]
async fn a_kept_connection_the_server_closed_is_replaced() {
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    // One answer a connection, then the server closes it, without saying so beforehand.
    let (base, _server) = raw_server(move |mut stream| {
        count.fetch_add(1, Ordering::SeqCst);
        async move {
            if read_request(&mut stream).await {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\n\r\n",
                    REFERENCE.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(REFERENCE.as_bytes()).await;
            }
        }
    })
    .await;
    let c = client(&base);
    for n in 1..4 {
        let a = for_screen(&c, &query(None)).await.unwrap();
        assert_eq!(a.exchange.body.as_ref(), REFERENCE.as_bytes());
        assert_eq!(accepted.load(Ordering::SeqCst), n);
    }
}

// ---------------------------------------------------------------------------------------------
// The token
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn missing_token_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(json(200, REFERENCE))
        .expect(0)
        .mount(&server)
        .await;
    let c = client(&server.uri());
    for blank in ["", "  \n"] {
        let e = match c.verify(&Secret::token(blank), &query(None)).await {
            Ok(_) => panic!("answer without a token"),
            Err(e) => e,
        };
        assert_eq!(e, ApiError::NoToken);
        assert_clean(&e);
    }
    server.verify().await;
}

#[tokio::test]
async fn token_that_cannot_be_a_header_is_refused_without_showing_it() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(json(200, REFERENCE))
        .expect(0)
        .mount(&server)
        .await;
    let bad = format!("{}\u{1}{}", &TOKEN[..30], &TOKEN[30..]);
    let e = match client(&server.uri())
        .verify(&Secret::token(bad), &query(None))
        .await
    {
        Ok(_) => panic!("sent a bad header"),
        Err(e) => e,
    };
    assert!(matches!(e, ApiError::Config { .. }), "{}", e.message());
    assert_clean(&e);
    assert!(!both(&e).contains(&TOKEN[..30]));
    server.verify().await;
}

#[tokio::test]
async fn token_echoed_in_an_error_body_is_masked() {
    let bodies = [
        format!(r#"{{"error": "token {TOKEN} is not valid"}}"#),
        // JSON-escaped slash, as PHP writes it.
        format!(
            r#"{{"error": "token {} is not valid"}}"#,
            TOKEN.replace('/', "\\/")
        ),
        // Percent-encoded, as in an echoed query string.
        "token=3Ksb9EkFDQ%2FHBhAbvYDTq4%2BpGGjNRAuLtPF9MMt9E97hX%2BOgLWTmeZtdGZyjR%2BYqU rejected"
            .to_string(),
        format!("<html><body><p>Authorization: Token {TOKEN}</p></body></html>"),
    ];
    for (i, body) in bodies.iter().enumerate() {
        for status in [401, 500] {
            let e = answer_with(html(status, body)).await;
            let ApiError::Http { body_start, .. } = &e else {
                panic!("{i}: {}", e.message())
            };
            assert!(body_start.contains("****"), "{i}: {body_start}");
            assert!(e.message().contains("****"), "{i}: {}", e.message());
        }
    }
}

#[tokio::test]
async fn token_cut_by_the_error_read_is_masked() {
    // The error body is read up to 4096 bytes; the token straddles that line, and the
    // tags before it collapse, so the cut-off start of the token would lead the excerpt.
    let filler = "<i>".repeat(1360); // 4080 bytes
    let body = format!("{filler}{TOKEN} more text after");
    let e = answer_with(html(500, &body)).await;
    let ApiError::Http { body_start, .. } = &e else {
        panic!("{}", e.message())
    };
    assert!(!body_start.contains(&TOKEN[..16]), "{body_start}");
    assert!(body_start.contains("****"), "{body_start}");
}

#[tokio::test]
async fn token_cut_by_the_excerpt_is_masked() {
    // The excerpt keeps 200 characters; the token starts just before the cut.
    let body = format!("{} {TOKEN} trailing words", "w".repeat(180));
    let e = answer_with(html(503, &body)).await;
    assert!(!both(&e).contains(&TOKEN[..12]), "{}", e.message());
}

#[tokio::test]
async fn token_echoed_in_a_200_answer_is_masked() {
    // Not JSON.
    let e = answer_with(html(200, &format!("<p>hello {TOKEN}</p>"))).await;
    assert!(matches!(e, ApiError::NotJson { .. }), "{}", e.message());
    assert!(e.message().contains("hello ****"), "{}", e.message());
    // An envelope that is not OK, with the token in its message, code and status.
    let body = format!(
        r#"{{"data": null, "status": "bad {TOKEN}", "code": 401, "message": "token {TOKEN} expired"}}"#
    );
    let e = answer_with(json(200, &body)).await;
    assert!(matches!(e, ApiError::Api { .. }), "{}", e.message());
    assert!(
        e.message().contains("token **** expired"),
        "{}",
        e.message()
    );
}

#[tokio::test]
async fn token_in_retry_after_and_location_is_masked() {
    let e = answer_with(ResponseTemplate::new(429).insert_header("Retry-After", TOKEN)).await;
    assert!(e.hint().contains("****"), "{}", e.hint());
    let e = answer_with(ResponseTemplate::new(307).insert_header(
        "Location",
        format!("http://127.0.0.1:1/?t={TOKEN}").as_str(),
    ))
    .await;
    assert!(e.message().contains("****"), "{}", e.message());
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn plain_http_is_refused_for_a_remote_host() {
    for base in ["http://api.airudder.com", "http://10.0.0.1:8080"] {
        let e = match Client::new(ClientOptions {
            base_url: base.into(),
            ..ClientOptions::default()
        }) {
            Ok(_) => panic!("{base} accepted"),
            Err(e) => e,
        };
        assert!(matches!(e, ApiError::InsecureUrl { .. }), "{}", e.message());
        assert!(e.hint().contains("--allow-http"));
        assert_clean(&e);
    }
    // Allowed on request (nothing is sent here).
    assert!(
        Client::new(ClientOptions {
            base_url: "http://api.airudder.com".into(),
            allow_http: true,
            ..ClientOptions::default()
        })
        .is_ok()
    );
}

#[tokio::test]
async fn base_url_with_credentials_or_query_is_refused() {
    for base in [
        "https://user:hunter2secret@api.airudder.com",
        "https://api.airudder.com/?x=1",
        "https://api.airudder.com/#top",
        "api.airudder.com",
    ] {
        let e = match Client::new(ClientOptions {
            base_url: base.into(),
            ..ClientOptions::default()
        }) {
            Ok(_) => panic!("{base} accepted"),
            Err(e) => e,
        };
        assert!(matches!(e, ApiError::BadUrl { .. }), "{}", e.message());
        assert!(!e.message().contains("hunter2secret"), "{}", e.message());
        assert_clean(&e);
    }
}

// ---------------------------------------------------------------------------------------------
// Raw servers
// ---------------------------------------------------------------------------------------------

/// A one-listener server on 127.0.0.1 that runs `handle` for each connection. The returned
/// handle stops accepting when dropped.
async fn raw_server<F, Fut>(handle: F) -> (String, AbortOnDrop)
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(handle(stream));
        }
    });
    (base, AbortOnDrop(task))
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Reads one HTTP/1.1 request (head and a Content-Length body). False at end of stream.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => buf.push(byte[0]),
            _ => return false,
        }
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.is_ok()
}

/// A big answer sent in two parts, the second only once the first part's preview is in:
/// the screen is handed everything before the transcript while the rest has not been sent.
#[tokio::test]
async fn a_big_answer_is_previewed_before_its_transcript_is_sent() {
    let body = rudder_inspect::generate::push(12_000, 300, 8, 11);
    let cut = body.find("\"asr_result\"").unwrap() + 200 * 1024;
    let body = Arc::new(body.into_bytes());
    let (go, gate) = tokio::sync::watch::channel(false);
    let (base, _server) = raw_server(move |mut stream| {
        let (body, mut gate) = (body.clone(), gate.clone());
        async move {
            if !read_request(&mut stream).await {
                return;
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            stream.write_all(&body[..cut]).await.unwrap();
            let _ = gate.wait_for(|go| *go).await;
            let _ = stream.write_all(&body[cut..]).await;
        }
    })
    .await;
    let c = client_with(&base, Duration::from_secs(10), 64 << 20);
    let (to_test, mut previews) = tokio::sync::mpsc::unbounded_channel();
    let sink: rudder_inspect::api::PreviewSink = Arc::new(move |p| {
        let _ = to_test.send(p);
    });
    let q = query(None);
    let lookup = rudder_inspect::api::net::spawn(async move {
        c.verify_as(
            &token(),
            &q,
            rudder_inspect::api::Reading::ForScreen(Some(sink)),
        )
        .await
    });
    let preview = previews
        .recv()
        .await
        .expect("a preview before the rest is sent");
    assert!(preview.len() < cut);
    let part = preview
        .read()
        .expect("the part before the transcript reads");
    assert_eq!(part.data().callee.callee_name.show(), "MARIA LOPEZ GARCIA");
    assert!(part.data().call.asr_result.items.is_empty());
    assert!(!lookup.is_finished());
    go.send(true).unwrap();
    let whole = lookup.await.unwrap().expect("the whole answer");
    assert!(whole.left_out.transcript.is_some(), "read for the screen");
    assert_eq!(whole.data().callee.callee_name.show(), "MARIA LOPEZ GARCIA");
    assert!(previews.recv().await.is_none(), "one preview only");
}
