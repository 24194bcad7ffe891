//! The command line as a script uses it: `query` and `open` against the demo server, canned
//! HTTP servers and files, with the exit codes of the README's table and short, clean
//! messages on stderr. Every run has an empty environment and a temporary home.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rudder_inspect::api::Query;
use serde_json::Value;
use support::*;

/// Ids the demo server answers with a fault, whatever the ids: only the callee matters.
fn fault_query(callee: &str) -> Query {
    Query {
        workflow_id: "0ca6e3a59cf74630906683882aa5111a".into(),
        node_id: "6ade9e444300000043a54b58".into(),
        callee: callee.into(),
        case_id: None,
    }
}

/// Runs `cmd`, expects success and a clean (possibly empty) stderr; returns stdout.
fn succeeds(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("run the binary");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "exit code; stderr:\n{stderr}");
    assert_clean_text(&stderr, &[DEMO_TOKEN]);
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

/// Same values, same key order, same number spellings.
fn assert_same_json(printed: &str, fixture: &[u8]) {
    let a = parse(printed.as_bytes());
    let b = parse(fixture);
    assert_eq!(a, b);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap(),
        "key order or number spelling changed"
    );
}

#[test]
fn struct_dumps_are_recognised() {
    assert!(has_struct_dump("error: Http { status: 500 }"));
    assert!(!has_struct_dump("body must be {workflow_id, node_id}"));
    assert!(!has_struct_dump("a { b }"));
}

// ---------------------------------------------------------------------------------------
// query: answers

#[test]
fn query_json_prints_the_answer_as_sent() {
    let sb = Sandbox::new();
    let out = succeeds(&mut query_cmd(
        &sb,
        &demo().url(),
        &reference_query(),
        Some(DEMO_TOKEN),
        "json",
    ));
    assert_same_json(&out, &asset("01-reference.json"));
    assert!(out.contains("\"callee_name\": \"WILL SMITH\""), "{out}");
}

#[test]
fn query_json_is_the_default_and_keeps_numbers_as_sent() {
    let sb = Sandbox::new();
    let case = demo_case("07");
    let mut cmd = sb.cmd();
    cmd.args(["--base-url", &demo().url(), "query"])
        .args(id_args(&case.query))
        .env("AIRUDDER_TOKEN", DEMO_TOKEN);
    let out = succeeds(&mut cmd);
    assert_same_json(&out, case.body);
    // A float would print 15000.5.
    assert!(out.contains("15000.50"), "{out}");
}

#[test]
fn query_json_for_every_demo_case() {
    let sb = Sandbox::new();
    for case in rudder_inspect::demo::cases() {
        let out = succeeds(&mut query_cmd(
            &sb,
            &demo().url(),
            &case.query,
            Some(DEMO_TOKEN),
            "json",
        ));
        assert_same_json(&out, case.body);
    }
}

#[test]
fn query_md_shows_the_case() {
    let sb = Sandbox::new();
    let out = succeeds(&mut query_cmd(
        &sb,
        &demo().url(),
        &reference_query(),
        Some(DEMO_TOKEN),
        "md",
    ));
    for want in [
        "# Case report: WILL SMITH",
        "cd878f6611adxxxxxx1a5a3ec5525b",
        "123456.0",
        "20000.00 USD",
        "CURP Verification",
    ] {
        assert!(out.contains(want), "{want:?} missing from:\n{out}");
    }
}

#[test]
fn query_md_without_case_id_finds_the_case() {
    let sb = Sandbox::new();
    let q = Query {
        case_id: None,
        ..reference_query()
    };
    let out = succeeds(&mut query_cmd(
        &sb,
        &demo().url(),
        &q,
        Some(DEMO_TOKEN),
        "md",
    ));
    assert!(out.contains("WILL SMITH"), "{out}");
}

#[test]
fn query_md_shows_non_latin_text() {
    let sb = Sandbox::new();
    let case = demo_case("06");
    let out = succeeds(&mut query_cmd(
        &sb,
        &demo().url(),
        &case.query,
        Some(DEMO_TOKEN),
        "md",
    ));
    for want in ["张伟", "安心借", "客户表示工资拖欠", "CNY"] {
        assert!(out.contains(want), "{want:?} missing from:\n{out}");
    }
}

#[test]
fn token_file_gives_the_token() {
    let sb = Sandbox::new();
    let token = sb.write("secret/token", &format!("{DEMO_TOKEN}\n"));
    let mut cmd = query_cmd(&sb, &demo().url(), &reference_query(), None, "md");
    cmd.arg("--token-file").arg(&token);
    let out = succeeds(&mut cmd);
    assert!(out.contains("WILL SMITH"), "{out}");
}

#[test]
fn missing_token_file_is_a_file_error() {
    let sb = Sandbox::new();
    let mut cmd = query_cmd(&sb, &demo().url(), &reference_query(), None, "md");
    cmd.arg("--token-file").arg(sb.path("nope.token"));
    let err = fails_with(&mut cmd, 13, &[]);
    assert!(err.contains("nope.token"), "{err}");
}

/// A config with a `demo` profile pointing at the demo server with a token file.
fn demo_config(sb: &Sandbox, default_profile: bool) -> std::path::PathBuf {
    let token = sb.write("demo.token", DEMO_TOKEN);
    let head = if default_profile {
        "default_profile = \"demo\"\n"
    } else {
        ""
    };
    sb.write(
        "rudder.toml",
        &format!(
            "{head}\n[profile.demo]\nbase_url = \"{}\"\ntoken_file = \"{}\"\ntimeout = 10\n\n[profile.other]\nbase_url = \"https://api.example.com\"\n",
            demo().url(),
            token.display()
        ),
    )
}

#[test]
fn profile_from_the_config_file() {
    let sb = Sandbox::new();
    let config = demo_config(&sb, false);
    let mut cmd = sb.cmd();
    cmd.env("RUDDER_INSPECT_CONFIG", &config)
        .args(["--profile", "demo", "query", "--output", "md"])
        .args(id_args(&reference_query()));
    let out = succeeds(&mut cmd);
    assert!(out.contains("WILL SMITH"), "{out}");

    // The flag also goes after the subcommand, and --config names the file.
    let mut cmd = sb.cmd();
    cmd.args(["query", "-o", "md", "--profile", "demo", "--config"])
        .arg(&config)
        .args(id_args(&reference_query()));
    assert!(succeeds(&mut cmd).contains("WILL SMITH"));
}

#[test]
fn default_profile_from_the_config_file() {
    let sb = Sandbox::new();
    let config = demo_config(&sb, true);
    let mut cmd = sb.cmd();
    cmd.env("RUDDER_INSPECT_CONFIG", &config)
        .args(["query", "--output", "md"])
        .args(id_args(&reference_query()));
    assert!(succeeds(&mut cmd).contains("WILL SMITH"));
}

#[test]
fn unknown_profile_is_a_config_error() {
    let sb = Sandbox::new();
    let config = demo_config(&sb, false);
    let mut cmd = sb.cmd();
    cmd.env("RUDDER_INSPECT_CONFIG", &config)
        .args(["--profile", "nosuch", "query"])
        .args(id_args(&reference_query()));
    let err = fails_with(&mut cmd, 14, &[DEMO_TOKEN]);
    assert!(err.contains("nosuch"), "{err}");
    assert!(err.contains("demo"), "the known profiles are listed: {err}");
}

#[test]
fn a_profile_is_checked_like_the_flags() {
    let sb = Sandbox::new();
    for (setting, words) in [
        ("timeout = 0", "timeout = 0"),
        ("max_body = 0", "max_body = 0"),
    ] {
        let config = sb.write(
            "zero.toml",
            &format!("[profile.z]\nbase_url = \"{}\"\n{setting}\n", demo().url()),
        );
        let mut cmd = sb.cmd();
        cmd.env("AIRUDDER_TOKEN", DEMO_TOKEN)
            .arg("--config")
            .arg(&config)
            .args(["--profile", "z", "query"])
            .args(id_args(&reference_query()));
        let err = fails_with(&mut cmd, 14, &[DEMO_TOKEN]);
        assert!(err.contains("[profile.z]") && err.contains(words), "{err}");
    }
}

#[test]
fn demo_serve_prints_its_url_and_token_and_answers() {
    let sb = Sandbox::new();
    let mut child = StdCommand::new(BIN)
        .env_clear()
        .envs(sb.env())
        .args(["demo", "--serve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .expect("spawn demo --serve");
    struct Kill(Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let stdout = child.stdout.take().expect("stdout");
    let _guard = Kill(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut url, mut token) = (None, None);
    while url.is_none() || token.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .expect("demo --serve prints url: and token: lines");
        if let Some(u) = line.strip_prefix("url: ") {
            url = Some(u.trim().to_string());
        } else if let Some(t) = line.strip_prefix("token: ") {
            token = Some(t.trim().to_string());
        }
    }
    let (url, token) = (url.unwrap(), token.unwrap());
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let out = succeeds(&mut query_cmd(
        &sb,
        &url,
        &demo_case("06").query,
        Some(&token),
        "md",
    ));
    assert!(out.contains("张伟"), "{out}");
}

// ---------------------------------------------------------------------------------------
// query: failures, with the README's exit codes

#[test]
fn no_token_is_exit_3() {
    let sb = Sandbox::new();
    let err = fails_with(
        &mut query_cmd(&sb, &demo().url(), &reference_query(), None, "json"),
        3,
        &[],
    );
    assert!(err.contains("AIRUDDER_TOKEN"), "{err}");
    assert!(err.contains("--token-file"), "{err}");
}

#[test]
fn blank_token_is_no_token() {
    let sb = Sandbox::new();
    fails_with(
        &mut query_cmd(&sb, &demo().url(), &reference_query(), Some("   "), "json"),
        3,
        &[],
    );
}

#[test]
fn wrong_token_is_exit_7_and_never_shown() {
    let sb = Sandbox::new();
    let wrong = "wrong-token-4f1c9a7e2b";
    let err = fails_with(
        &mut query_cmd(&sb, &demo().url(), &reference_query(), Some(wrong), "json"),
        7,
        &[wrong, DEMO_TOKEN],
    );
    assert!(err.contains("401"), "{err}");
    assert!(err.contains("token"), "the hint points at the token: {err}");
}

#[test]
fn http_500_with_html_is_exit_7() {
    let sb = Sandbox::new();
    let err = fails_with(
        &mut query_cmd(
            &sb,
            &demo().url(),
            &fault_query("+10000000500"),
            Some(DEMO_TOKEN),
            "json",
        ),
        7,
        &[DEMO_TOKEN],
    );
    assert!(err.contains("HTTP 500"), "{err}");
    assert!(!err.contains("<html>"), "markup is stripped: {err}");
}

#[test]
fn http_429_shows_retry_after() {
    let sb = Sandbox::new();
    let err = fails_with(
        &mut query_cmd(
            &sb,
            &demo().url(),
            &fault_query("+10000000429"),
            Some(DEMO_TOKEN),
            "json",
        ),
        7,
        &[DEMO_TOKEN],
    );
    assert!(err.contains("429"), "{err}");
    assert!(err.contains("retry after 7"), "{err}");
}

#[test]
fn html_with_200_is_exit_8() {
    let sb = Sandbox::new();
    let err = fails_with(
        &mut query_cmd(
            &sb,
            &demo().url(),
            &fault_query("+10000000200"),
            Some(DEMO_TOKEN),
            "json",
        ),
        8,
        &[DEMO_TOKEN],
    );
    assert!(err.contains("not JSON"), "{err}");
}

#[test]
fn truncated_json_is_exit_8() {
    let sb = Sandbox::new();
    let body = asset("01-reference.json");
    let cut = String::from_utf8_lossy(&body[..400]).into_owned();
    let server = mock(json_reply(200, &cut));
    let err = fails_with(
        &mut query_cmd(
            &sb,
            &server.uri(),
            &reference_query(),
            Some(DEMO_TOKEN),
            "json",
        ),
        8,
        &[DEMO_TOKEN],
    );
    assert!(err.contains("not JSON"), "{err}");
}

#[test]
fn wrong_shapes_are_exit_9() {
    let sb = Sandbox::new();
    for body in [
        r#"{"data": [{"a": 1}, {"b": 2}], "status": "OK", "code": 200}"#,
        r#"{"data": "x", "status": "OK", "code": 200}"#,
        r#"{"data": 5, "status": "OK", "code": 200}"#,
        "null",
        "[1, 2, 3]",
        "\"just a string\"",
        "42",
    ] {
        let server = mock(json_reply(200, body));
        let err = fails_with(
            &mut query_cmd(
                &sb,
                &server.uri(),
                &reference_query(),
                Some(DEMO_TOKEN),
                "json",
            ),
            9,
            &[DEMO_TOKEN],
        );
        assert!(err.contains("wrong shape"), "{body}: {err}");
    }
}

#[test]
fn data_null_is_no_record_exit_11() {
    let sb = Sandbox::new();
    // The demo server's answer for ids it does not know.
    let unknown = Query {
        callee: "+861000000000".into(),
        ..reference_query()
    };
    let err = fails_with(
        &mut query_cmd(&sb, &demo().url(), &unknown, Some(DEMO_TOKEN), "json"),
        11,
        &[DEMO_TOKEN],
    );
    assert!(err.contains("no push record"), "{err}");
    for body in [
        r#"{"data": null, "status": "OK", "code": 200}"#,
        r#"{"status": "OK", "code": 200}"#,
        r#"{"data": {}, "status": "OK", "code": 200}"#,
        // An empty list or text says as little as null.
        r#"{"data": [], "status": "OK", "code": 200}"#,
        r#"{"data": "", "status": "OK", "code": 200}"#,
    ] {
        let server = mock(json_reply(200, body));
        fails_with(
            &mut query_cmd(
                &sb,
                &server.uri(),
                &reference_query(),
                Some(DEMO_TOKEN),
                "json",
            ),
            11,
            &[DEMO_TOKEN],
        );
    }
}

#[test]
fn envelope_code_not_200_is_exit_10() {
    let sb = Sandbox::new();
    let err = fails_with(
        &mut query_cmd(
            &sb,
            &demo().url(),
            &fault_query("+10000000001"),
            Some(DEMO_TOKEN),
            "json",
        ),
        10,
        &[DEMO_TOKEN],
    );
    assert!(err.contains("10001"), "{err}");
    assert!(err.contains("ParamError"), "{err}");
}

#[test]
fn hung_server_times_out_exit_6() {
    let sb = Sandbox::new();
    let (_listener, url) = silent_server();
    let started = Instant::now();
    let mut cmd = query_cmd(&sb, &url, &reference_query(), Some(DEMO_TOKEN), "json");
    cmd.args(["--timeout", "2"]);
    let err = fails_with(&mut cmd, 6, &[DEMO_TOKEN]);
    assert!(err.contains("timed out"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "--timeout 2 took {:?}",
        started.elapsed()
    );
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_any_io() {
    let sb = Sandbox::new();
    // A DNS lookup of .invalid would fail with exit 5: exit 4 shows nothing was tried.
    let err = fails_with(
        &mut query_cmd(
            &sb,
            "http://example.invalid",
            &reference_query(),
            Some(DEMO_TOKEN),
            "json",
        ),
        4,
        &[DEMO_TOKEN],
    );
    assert!(err.contains("http://"), "{err}");
    assert!(err.contains("example.invalid"), "{err}");
    assert!(err.contains("--allow-http"), "{err}");
}

#[test]
fn malformed_base_url_is_exit_4() {
    let sb = Sandbox::new();
    for url in ["ftp://127.0.0.1", "not a url", "https://user:pw@127.0.0.1"] {
        let err = fails_with(
            &mut query_cmd(&sb, url, &reference_query(), Some(DEMO_TOKEN), "json"),
            4,
            &[DEMO_TOKEN, "pw@"],
        );
        assert!(err.contains("base URL"), "{url}: {err}");
    }
}

#[test]
fn connection_refused_is_exit_5() {
    let sb = Sandbox::new();
    // A port that was free a moment ago: nothing listens there now.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = fails_with(
        &mut query_cmd(
            &sb,
            &format!("http://127.0.0.1:{port}"),
            &reference_query(),
            Some(DEMO_TOKEN),
            "json",
        ),
        5,
        &[DEMO_TOKEN],
    );
    assert!(err.contains("connection refused"), "{err}");
}

#[test]
fn answer_over_the_cap_is_exit_12() {
    let sb = Sandbox::new();
    let mut cmd = query_cmd(
        &sb,
        &demo().url(),
        &reference_query(),
        Some(DEMO_TOKEN),
        "json",
    );
    cmd.args(["--max-body", "1K"]);
    let err = fails_with(&mut cmd, 12, &[DEMO_TOKEN]);
    assert!(err.contains("1.0 KiB"), "{err}");
}

#[test]
fn usage_errors_are_exit_2() {
    let sb = Sandbox::new();
    // An empty id.
    let q = Query {
        node_id: "  ".into(),
        ..reference_query()
    };
    let out = query_cmd(&sb, &demo().url(), &q, Some(DEMO_TOKEN), "json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--node-id"), "{err}");
    assert_clean_text(&err, &[DEMO_TOKEN]);
    // A missing flag, an unknown output, an unknown flag, a token as a flag value.
    for args in [
        vec!["query", "--workflow-id", "a", "--node-id", "b"],
        vec![
            "query",
            "--workflow-id",
            "a",
            "--node-id",
            "b",
            "--callee",
            "+1",
            "--output",
            "xml",
        ],
        vec!["query", "--frobnicate"],
        vec!["--token", DEMO_TOKEN, "query"],
        vec!["--timeout", "0", "query"],
    ] {
        let out = sb.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{args:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// open

#[test]
fn open_an_answer_as_md_and_json() {
    let sb = Sandbox::new();
    let path = asset_path("01-reference.json");
    let mut cmd = sb.cmd();
    cmd.arg("open").arg(&path).args(["--output", "md"]);
    let md = succeeds(&mut cmd);
    assert!(md.contains("# Case report: WILL SMITH"), "{md}");
    assert!(md.contains("cd878f6611adxxxxxx1a5a3ec5525b"), "{md}");

    let mut cmd = sb.cmd();
    cmd.arg("open").arg(&path).args(["--output", "json"]);
    assert_same_json(&succeeds(&mut cmd), &asset("01-reference.json"));
}

#[test]
fn open_a_bare_push_as_md_and_json() {
    let sb = Sandbox::new();
    let path = asset_path("push-received.json");
    let mut cmd = sb.cmd();
    cmd.arg("open").arg(&path).args(["-o", "md"]);
    let md = succeeds(&mut cmd);
    assert!(md.contains("MARK ANTHONY VILLANUEVA"), "{md}");
    assert!(md.contains("PN-2024-0051873"), "{md}");

    let mut cmd = sb.cmd();
    cmd.arg("open").arg(&path).args(["-o", "json"]);
    assert_same_json(&succeeds(&mut cmd), &asset("push-received.json"));
}

#[test]
fn open_reads_stdin() {
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.args(["open", "-", "--output", "md"])
        .write_stdin(asset("06-chinese.json"));
    let md = succeeds(&mut cmd);
    assert!(md.contains("张伟"), "{md}");

    let mut cmd = sb.cmd();
    cmd.args(["open", "-", "--output", "json"])
        .write_stdin(asset("push-received.json"));
    assert_same_json(&succeeds(&mut cmd), &asset("push-received.json"));
}

#[test]
fn open_two_files_prints_their_differences_as_asked() {
    let sb = Sandbox::new();
    let (a, b) = (
        asset_path("push-received.json"),
        asset_path("push-unchanged.json"),
    );
    let run = |output: &str, b: &std::path::Path| {
        let out = sb
            .cmd()
            .arg("open")
            .arg(&a)
            .arg(b)
            .args(["--output", output])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, json, err) = run("json", &b);
    let doc = parse(json.as_bytes());
    assert_eq!(
        code,
        Some(if doc["equal"] == true { 0 } else { 1 }),
        "{err}"
    );
    assert_eq!(doc["a"], a.display().to_string());
    assert_eq!(doc["same_case"], true, "{json}");
    assert!(!err.contains("different cases"), "{err}");
    for d in doc["differences"].as_array().unwrap() {
        assert!(
            d.get("pushed").is_none() && d.get("record").is_none(),
            "{d}"
        );
    }
    let (_, md, _) = run("md", &b);
    assert!(md.starts_with("# Comparison"), "{md}");
    assert!(md.contains("- A: `") && md.contains("- B: `"), "{md}");
    assert!(!md.contains("pushed") && !md.contains("on record"), "{md}");
    // Two different cases: said on stderr and in the output.
    let other = asset_path("01-reference.json");
    let (code, json, err) = run("json", &other);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("warning: ") && err.contains("different cases"),
        "{err}"
    );
    assert_eq!(parse(json.as_bytes())["same_case"], false);
    let (_, md, _) = run("md", &other);
    assert!(md.contains("Different cases"), "{md}");
}

#[test]
fn open_a_non_json_file_is_exit_8() {
    let sb = Sandbox::new();
    let p = sb.write("page.html", "<html><body>Welcome to nginx!</body></html>\n");
    let mut cmd = sb.cmd();
    cmd.arg("open").arg(&p).args(["--output", "md"]);
    let err = fails_with(&mut cmd, 8, &[]);
    assert!(err.contains("not JSON"), "{err}");

    let mut cmd = sb.cmd();
    cmd.args(["open", "-", "--output", "json"])
        .write_stdin("{\"data\": {\"workflow_id\": ");
    fails_with(&mut cmd, 8, &[]);
}

#[test]
fn open_a_missing_file_is_exit_13() {
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.arg("open")
        .arg(sb.path("no-such-answer.json"))
        .args(["--output", "md"]);
    let err = fails_with(&mut cmd, 13, &[]);
    assert!(err.contains("no-such-answer.json"), "{err}");

    let mut cmd = sb.cmd();
    cmd.arg("open").arg(sb.dir.path()).args(["--output", "md"]);
    fails_with(&mut cmd, 13, &[]);
}

#[test]
fn open_an_envelope_that_is_not_ok_is_exit_10() {
    let sb = Sandbox::new();
    let p = sb.write(
        "refused.json",
        r#"{"data": null, "status": "ParamError", "code": 10001, "message": "workflow not found"}"#,
    );
    let mut cmd = sb.cmd();
    cmd.arg("open").arg(&p).args(["--output", "md"]);
    let err = fails_with(&mut cmd, 10, &[]);
    assert!(err.contains("workflow not found"), "{err}");
}

// ---------------------------------------------------------------------------------------
// help, version, the README

#[test]
fn version_and_help_of_every_subcommand() {
    let sb = Sandbox::new();
    let out = succeeds(sb.cmd().arg("--version"));
    assert_eq!(
        out.trim(),
        format!("rudder-inspect {}", env!("CARGO_PKG_VERSION"))
    );
    for args in [
        vec!["--help"],
        vec!["-h"],
        vec!["help"],
        vec!["query", "--help"],
        vec!["open", "--help"],
        vec!["demo", "--help"],
        vec!["help", "query"],
    ] {
        let out = succeeds(sb.cmd().args(&args));
        assert!(out.contains("Usage:"), "{args:?}:\n{out}");
    }
    let top = succeeds(sb.cmd().arg("--help"));
    for sub in ["query", "open", "demo", "--base-url", "--token-file"] {
        assert!(top.contains(sub), "{sub} missing from --help:\n{top}");
    }
    // Every subcommand --help lists, whatever gets added later.
    let listed: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for sub in ["query", "open", "demo", "help"] {
        assert!(listed.contains(&sub), "{sub} not listed: {listed:?}");
    }
    // (`help --help` is clap's own refusal; `help SUB` is checked above.)
    for sub in listed.into_iter().filter(|s| *s != "help") {
        let out = succeeds(sb.cmd().args([sub, "--help"]));
        assert!(out.contains("Usage:"), "{sub} --help:\n{out}");
    }
    let query = succeeds(sb.cmd().args(["query", "--help"]));
    for flag in [
        "--workflow-id",
        "--node-id",
        "--callee",
        "--case-id",
        "--output",
    ] {
        assert!(query.contains(flag), "{flag} missing:\n{query}");
    }
}

/// The README's exit-code table, as (code, meaning).
fn readme_exit_codes() -> Vec<(i32, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme.find("### Exit codes").expect("an exit-code section");
    readme[start..]
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() >= 3)
                .then(|| Some((cells[1].parse().ok()?, cells[2].to_string())))
                .flatten()
        })
        .collect()
}

#[test]
fn readme_exit_codes_match_what_the_tests_see() {
    let table = readme_exit_codes();
    // Each code the tests above observe, with a word of its row in the README.
    for (code, word) in [
        (0, "success"),
        (2, "usage"),
        (3, "token"),
        (4, "base URL"),
        (5, "connect"),
        (6, "timed out"),
        (7, "HTTP status"),
        (8, "not JSON"),
        (9, "wrong shape"),
        (10, "code"),
        (11, "no push record"),
        (12, "--max-body"),
        (13, "file"),
        (14, "profile"),
    ] {
        let row = table
            .iter()
            .find(|(c, _)| *c == code)
            .unwrap_or_else(|| panic!("exit code {code} is not in the README's table"));
        assert!(
            row.1.contains(word),
            "README row for {code} ({:?}) does not mention {word:?}",
            row.1
        );
    }
}

/// The inspector without a terminal says so, with the way to get a case without one.
#[test]
fn the_inspector_without_a_terminal_says_what_to_use_instead() {
    let sb = Sandbox::new();
    let out = sb.cmd().arg("--no-history").output().unwrap();
    assert_eq!(out.status.code(), Some(19), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the inspector needs a terminal"), "{err}");
    assert!(err.contains("rudder-inspect query"), "{err}");
    assert!(!err.contains("config"), "{err}");
}

/// A file the user named has a known size: `--max-body` caps answers from the network and
/// stdin, not it (a big file is opened whole, mapped or read).
#[test]
fn a_local_file_has_no_body_cap_but_stdin_has() {
    let sb = Sandbox::new();
    for name in ["01-reference.json", "05-long-transcript.json"] {
        let path = asset_path(name);
        let mut cmd = sb.cmd();
        cmd.args(["--max-body", "1K", "open"])
            .arg(&path)
            .args(["-o", "md"]);
        let out = succeeds(&mut cmd);
        assert!(out.contains("# Case report"), "{name}: {out}");
        let mut cmd = sb.cmd();
        cmd.args(["--max-body", "1K", "open", "-", "-o", "md"])
            .write_stdin(asset(name));
        let err = fails_with(&mut cmd, 12, &[]);
        assert!(err.contains("1.0 KiB"), "{name}: {err}");
    }
}
