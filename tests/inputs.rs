//! Files named on the command line that never end or never open: a FIFO with no writer and a
//! device are refused at once, with the file's name and why, by every command that reads one
//! (`open`, `verify`, `--config`, `--token-file`, `--aes-key-file`, `--app-secret-file`).

mod support;

use std::path::PathBuf;
use std::time::Duration;

use support::*;

/// A FIFO nobody writes to, or `None` where `mkfifo` is missing.
fn fifo(sb: &Sandbox, name: &str) -> Option<PathBuf> {
    let p = sb.path(name);
    let made = std::process::Command::new("mkfifo").arg(&p).status();
    made.is_ok_and(|s| s.success()).then_some(p)
}

/// Runs `args` in the sandbox (the demo's token, a base URL that is never reached) and
/// returns (exit code, stderr); a hang fails the test after 20 s.
fn run(sb: &Sandbox, args: &[&str]) -> (Option<i32>, String) {
    let out = sb
        .cmd()
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .expect("run the binary");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_clean_text(&err, &[]);
    (out.status.code(), err)
}

/// `query` with `flags` before it, against a base URL that is never reached.
fn query_with<'a>(flags: &[&'a str]) -> Vec<&'a str> {
    let mut args = flags.to_vec();
    args.extend([
        "--base-url",
        "http://127.0.0.1:9",
        "query",
        "--workflow-id",
        "w",
        "--node-id",
        "n",
        "--callee",
        "+1",
    ]);
    args
}

#[test]
fn open_and_verify_refuse_fifos_and_devices_by_name() {
    let sb = Sandbox::new();
    let mut named = vec![PathBuf::from("/dev/zero")];
    named.extend(fifo(&sb, "push.fifo"));
    for p in &named {
        let p = p.to_str().unwrap();
        for cmd in [&["open", p, "--output", "json"][..], &["verify", p]] {
            let (code, err) = run(&sb, cmd);
            assert_eq!(code, Some(13), "{cmd:?}: {err}");
            assert!(err.contains(p), "{cmd:?} names the file: {err}");
            assert!(
                err.contains("FIFO") || err.contains("device"),
                "{cmd:?} says why: {err}"
            );
            assert_short_error(&err, &[]);
        }
    }
}

#[test]
fn secret_files_that_never_end_or_never_open_are_refused() {
    let sb = Sandbox::new();
    let mut named = vec![PathBuf::from("/dev/zero"), PathBuf::from("/dev/urandom")];
    named.extend(fifo(&sb, "secret.fifo"));
    for p in &named {
        let p = p.to_str().unwrap();
        for flag in ["--token-file", "--aes-key-file", "--app-secret-file"] {
            let (code, err) = run(&sb, &query_with(&[flag, p, "--app-key", "AK"]));
            assert_eq!(code, Some(13), "{flag} {p}: {err}");
            assert!(err.contains(p), "{flag} names the file: {err}");
        }
    }
}

#[test]
fn a_config_that_never_opens_is_named_and_skipped() {
    let sb = Sandbox::new();
    let mut named = vec![PathBuf::from("/dev/zero")];
    named.extend(fifo(&sb, "config.fifo"));
    for p in &named {
        let p = p.to_str().unwrap();
        let (code, err) = run(&sb, &query_with(&["--config", p]));
        // No token anywhere: the run goes on to say so, after the warning about the config.
        assert_eq!(code, Some(3), "{err}");
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning: ") && l.contains(p)),
            "{err}"
        );
    }
}

/// Writes `bytes` to a private file in the sandbox.
fn private(sb: &Sandbox, name: &str, bytes: &[u8]) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = sb.path(name);
    std::fs::write(&p, bytes).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

/// (exit code, message line, hint line) of a failed run.
fn failure(sb: &Sandbox, args: &[&str]) -> (Option<i32>, String, String) {
    let (code, err) = run(sb, args);
    assert_short_error(&err, &[]);
    let mut lines = err.lines().filter(|l| !l.starts_with("warning: "));
    let message = lines.next().unwrap_or("").to_string();
    let hint = lines.next().unwrap_or("").to_string();
    (code, message, hint)
}

#[test]
fn a_bad_token_names_its_source_and_gets_a_hint_that_fits() {
    let sb = Sandbox::new();
    let newline = private(&sb, "token-newline", b"abc\ndef\n");
    let bom = private(&sb, "token-bom", b"\xef\xbb\xbfabcdef");
    let utf16 = private(&sb, "token-utf16", b"\xff\xfea\0b\0c\0");
    for (file, encoding) in [(&newline, false), (&bom, true), (&utf16, true)] {
        let f = file.to_str().unwrap();
        let (code, message, hint) = failure(&sb, &query_with(&["--token-file", f]));
        assert_eq!(code, Some(14), "{message}");
        assert!(
            message.contains(f) && message.contains("--token-file"),
            "{message}"
        );
        assert!(!hint.contains("config file"), "{hint}");
        assert_eq!(hint.contains("UTF-8"), encoding, "{hint}");
    }
    let out = sb
        .cmd()
        .env("AIRUDDER_TOKEN", "abc\u{1}def")
        .args(query_with(&[]))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(14), "{err}");
    assert!(
        err.contains("env AIRUDDER_TOKEN") && err.contains("fix or unset AIRUDDER_TOKEN"),
        "{err}"
    );
}

#[test]
fn demo_flags_are_named_in_their_errors() {
    let sb = Sandbox::new();
    let (code, message, hint) = failure(&sb, &["demo", "--serve", "--aes-key", "short"]);
    assert_eq!(code, Some(14));
    assert!(
        message.contains("--aes-key") && hint.contains("--aes-key"),
        "{message} / {hint}"
    );
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let (code, message, hint) = failure(&sb, &["demo", "--serve", "--port", &port]);
    assert_eq!(code, Some(5));
    assert!(message.contains(&port), "{message}");
    assert!(
        hint.contains("--port") && !hint.contains("network"),
        "{hint}"
    );
}

#[test]
fn local_files_get_hints_about_files_not_servers() {
    let sb = Sandbox::new();
    let utf16 = private(&sb, "push-utf16.json", b"\xff\xfe{\0}\0");
    let cut = private(&sb, "push-cut.json", b"{\"data\": {\"workflow_id\": ");
    let no_ids = private(
        &sb,
        "push-no-ids.json",
        br#"{"node_id": "n", "callee": {}, "call": {}}"#,
    );
    for (file, code, words) in [
        (&utf16, 8, "UTF-8"),
        (&cut, 8, "whole file"),
        (&no_ids, 9, "push as received"),
    ] {
        let f = file.to_str().unwrap();
        // `open` shows a push without its ids; `verify` needs them to ask.
        let (open, verify) = (["open", f, "-o", "json"], ["verify", f]);
        let cmds: Vec<&[&str]> = if code == 9 {
            vec![&verify]
        } else {
            vec![&open, &verify]
        };
        for cmd in cmds {
            let (got, message, hint) = failure(&sb, cmd);
            assert_eq!(got, Some(code), "{cmd:?}: {message}");
            assert!(message.contains(f), "{message}");
            assert!(hint.contains(words), "{cmd:?}: {hint}");
            assert!(!hint.contains("base URL"), "{cmd:?}: {hint}");
        }
    }
}

#[test]
fn a_base_url_without_its_scheme_gets_one_suggested_and_empty_ids_two_lines() {
    let sb = Sandbox::new();
    let (code, _, hint) = failure(
        &sb,
        &[
            "--base-url",
            "127.0.0.1:8080",
            "query",
            "--workflow-id",
            "w",
            "--node-id",
            "n",
            "--callee",
            "+1",
        ],
    );
    assert_eq!(code, Some(4));
    assert!(hint.contains("http://127.0.0.1:8080"), "{hint}");
    let config = private(
        &sb,
        "config.toml",
        b"[profile.p]\nbase_url = \"api.example.com\"\n",
    );
    let (code, message, _) = failure(
        &sb,
        &[
            "--config",
            config.to_str().unwrap(),
            "--profile",
            "p",
            "query",
            "--workflow-id",
            "w",
            "--node-id",
            "n",
            "--callee",
            "+1",
        ],
    );
    assert_eq!(code, Some(4));
    assert!(message.contains("profile p"), "{message}");
    let (code, message, hint) = failure(
        &sb,
        &[
            "query",
            "--workflow-id",
            " ",
            "--node-id",
            "n",
            "--callee",
            "+1",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(message.contains("--workflow-id is empty"), "{message}");
    assert!(hint.starts_with("  hint: "), "{hint}");
}
