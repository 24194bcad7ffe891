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
