//! What the command line (and the screen) says about an error: a hint on what to do, fitted
//! to where the failing value came from, and the exit code of the README's table. The API's
//! error type only says what went wrong; this is the presentation.

use crate::api::ApiError;
use crate::api::error::{ConnectKind, Origin};
use crate::text::{clip, one_line};

/// A hint and an exit code for an error.
pub trait Advice {
    /// What to do about it, on one line.
    fn hint(&self) -> String;
    /// The CLI's exit code; see the README's table. 1 is kept for `verify`'s "different".
    fn exit_code(&self) -> i32;
}

impl Advice for ApiError {
    fn hint(&self) -> String {
        one_line(&hint_text(self))
    }

    fn exit_code(&self) -> i32 {
        exit_code(self)
    }
}

fn hint_text(e: &ApiError) -> String {
    match e {
            ApiError::NoToken => "export AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET (the tool signs in and keeps the token), or give a token with --token-file PATH or AIRUDDER_TOKEN, or set them in a config profile".into(),
            ApiError::Credentials { .. } => "check the APPKey and APPSecret AI Rudder gave this account (and the base URL: keys are per environment)".into(),
            ApiError::Decrypt { .. } => "the account's AES key (AIRUDDER_AES_KEY, --aes-key-file) must be the one AI Rudder set for it; without encryption on the account, give no key".into(),
            ApiError::Encrypted => "the account's AES key decrypts it; a file holding the key works best (chmod 600)".into(),
            ApiError::Signature { .. } => "the answer was changed on the way or signed with another key: try again, and check the AES key".into(),
            ApiError::InsecureUrl { .. } => "use https://, or pass --allow-http if you really mean it".into(),
            ApiError::BadUrl { url, .. } if !url.contains("://") && !url.trim().is_empty() => format!("a base URL starts with its scheme: http://{0} (loopback) or https://{0}", clip(&one_line(url.trim()), 80)),
            ApiError::BadUrl { .. } => "give a base URL like https://api.airudder.com".into(),
            ApiError::Connect { kind: ConnectKind::Refused, .. } => "nothing listens there: check --base-url and that the server is up".into(),
            ApiError::Connect { kind: ConnectKind::Dns, .. } => "check the host name in the base URL and your DNS".into(),
            ApiError::Connect { kind: ConnectKind::Tls, detail, .. } if detail.is_empty() => "check that the URL really serves https, proxies, and the system's CA roots".into(),
            ApiError::Connect { kind: ConnectKind::Tls, detail, .. } => format!("{}: check that the URL really serves https, proxies, and the system's CA roots", clip(&one_line(detail), 120)),
            ApiError::Connect { detail, .. } => format!("check the network and the base URL ({})", clip(&one_line(detail), 120)),
            ApiError::Timeout { .. } => "the server took too long: try again, or raise --timeout".into(),
            ApiError::Http { status: 401, .. } | ApiError::Http { status: 403, .. } => "the token was refused: it may be expired (tokens last 24 h) or for another account; get a new one".into(),
            ApiError::Http { status: 404, .. } => "the endpoint was not found: check the base URL".into(),
            ApiError::Http { status: 429, retry_after: Some(after), .. } => format!("rate limited: retry after {after}"),
            ApiError::Http { status: 429, .. } => "rate limited: wait a moment and try again".into(),
            ApiError::Http { status: 503, retry_after: Some(after), .. } => format!("the server is unavailable for now: retry after {after}"),
            ApiError::Http { status: 300..=399, .. } => "the server answered with a redirect, which is not followed so the token goes nowhere else: check the base URL".into(),
            ApiError::Http { status, .. } if *status >= 500 => "the server failed: try again later; if it persists, contact AI Rudder support".into(),
            ApiError::Http { .. } => "the server refused the request: check the ids and the base URL".into(),
            ApiError::NotJson { .. } => "the base URL may point at a web page or a proxy rather than the API".into(),
            ApiError::WrongShape { .. } => "the server is not answering like the verify endpoint: check the base URL".into(),
            ApiError::Api { code, .. } if code == "401" || code == "403" => "the token was refused: it may be expired (tokens last 24 h); get a new one".into(),
            ApiError::Api { .. } => "the API refused the query; code and status are shown as sent".into(),
            ApiError::NoRecord => "check workflow_id, node_id, callee and case_id; records are kept for three months".into(),
            ApiError::TooLarge { .. } => "raise the cap with --max-body BYTES if you expect an answer this large".into(),
            ApiError::File { detail, .. } if detail.contains("not a regular file") || detail.contains("is a directory") => "name a regular file; to read a pipe, `open -` and `verify -` take standard input".into(),
            ApiError::File { detail, .. } if detail.contains("too large for") => "name the file that holds just that value".into(),
            ApiError::File { .. } => "check the path and that the file is readable".into(),
            ApiError::Config { path, .. } if path.starts_with('-') => format!("fix the value of {path}"),
            ApiError::Config { path, .. } if path == "login" => "set AIRUDDER_APP_KEY and AIRUDDER_APP_SECRET (or --app-key and --app-secret-file, or a profile's app_key and app_secret_file)".into(),
            ApiError::Config { .. } => "fix the config file, or choose another profile".into(),
            ApiError::Network { .. } => "try again; check the network".into(),
            ApiError::NoTerminal { .. } => {
                "run it in a terminal; `rudder-inspect query …` prints a case without one".into()
            }
            ApiError::Setting { origin, encoding: true, .. } => format!(
                "save {} as plain UTF-8 text, without a byte-order mark (not UTF-16)",
                origin_words(origin)
            ),
            ApiError::Setting { origin, .. } => match origin {
                Origin::Flag(flag) => format!("fix the value of {flag}"),
                Origin::File { path, .. } => format!(
                    "fix {}: it should hold the value alone, on one line",
                    clip(&one_line(path), 120)
                ),
                Origin::Env(var) => format!("fix or unset {var}"),
            },
            ApiError::Listen { .. } => {
                "something else listens there: choose another --port, or 0 for a free one".into()
            }
            ApiError::InFile { error, .. } => in_file_hint(error),
        }
}

fn origin_words(origin: &Origin) -> String {
    match origin {
        Origin::Flag(flag) => format!("the value of {flag}"),
        Origin::File { path, .. } => clip(&one_line(path), 120),
        Origin::Env(var) => format!("the value of {var}"),
    }
}

/// The hint for a check meant for an answer that a local file failed.
fn in_file_hint(error: &ApiError) -> String {
    match error {
        ApiError::NotJson { detail, .. } if detail.contains("UTF-16") || detail.contains("byte-order mark") => {
            "save the file as plain UTF-8 text, without a byte-order mark (not UTF-16)".into()
        }
        ApiError::NotJson { .. } => "is it the whole file as received? A cut-off copy or a saved web page is not JSON".into(),
        ApiError::WrongShape { .. } => "give the push as received (the bare data object with workflow_id, node_id and callee.callee_number) or a saved answer (the envelope)".into(),
        ApiError::Api { .. } => "the file holds the API's refusal: code and status are shown as sent".into(),
        ApiError::NoRecord => "the file is an answer that found no record".into(),
        other => hint_text(other),
    }
}

fn exit_code(e: &ApiError) -> i32 {
    match e {
        ApiError::NoToken => 3,
        ApiError::InsecureUrl { .. } | ApiError::BadUrl { .. } => 4,
        ApiError::Connect { .. } | ApiError::Network { .. } => 5,
        ApiError::Timeout { .. } => 6,
        ApiError::Http { .. } => 7,
        ApiError::NotJson { .. } => 8,
        ApiError::WrongShape { .. } => 9,
        ApiError::Api { .. } => 10,
        ApiError::NoRecord => 11,
        ApiError::TooLarge { .. } => 12,
        ApiError::File { .. } => 13,
        ApiError::Config { .. } => 14,
        ApiError::Credentials { .. } => 15,
        ApiError::Decrypt { .. } => 16,
        ApiError::Signature { .. } => 17,
        ApiError::Encrypted => 18,
        ApiError::NoTerminal { .. } => 19,
        ApiError::Setting { .. } => 14,
        ApiError::Listen { .. } => 5,
        ApiError::InFile { error, .. } => exit_code(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_distinct_and_never_1() {
        let all = [
            ApiError::NoToken,
            ApiError::InsecureUrl { host: "x".into() },
            ApiError::Connect {
                kind: ConnectKind::Refused,
                target: "t".into(),
                detail: String::new(),
                cause: None,
            },
            ApiError::Timeout {
                secs: 1,
                target: "t".into(),
            },
            ApiError::Http {
                status: 500,
                reason: "x".into(),
                body_start: String::new(),
                retry_after: None,
            },
            ApiError::NotJson {
                detail: "x".into(),
                body_start: String::new(),
                cause: None,
            },
            ApiError::WrongShape { what: "x".into() },
            ApiError::Api {
                code: "1".into(),
                status: "x".into(),
                message: String::new(),
            },
            ApiError::NoRecord,
            ApiError::TooLarge { limit: 1 },
            ApiError::File {
                path: "p".into(),
                detail: "d".into(),
                cause: None,
            },
            ApiError::Config {
                path: "p".into(),
                detail: "d".into(),
            },
        ];
        let mut codes: Vec<i32> = all.iter().map(ApiError::exit_code).collect();
        assert!(!codes.contains(&0) && !codes.contains(&1) && !codes.contains(&2));
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn http_messages_carry_status_and_hints() {
        let e = ApiError::Http {
            status: 429,
            reason: "Too Many Requests".into(),
            body_start: "slow down".into(),
            retry_after: Some("7".into()),
        };
        assert_eq!(e.message(), "HTTP 429 Too Many Requests: slow down");
        assert!(e.hint().contains("retry after 7"));
        let e = ApiError::Http {
            status: 401,
            reason: "Unauthorized".into(),
            body_start: String::new(),
            retry_after: None,
        };
        assert!(e.hint().contains("token"));
    }

    #[test]
    fn a_setting_is_advised_by_where_it_came_from() {
        let setting = |origin: Origin, encoding: bool| ApiError::Setting {
            origin,
            detail: "bad".into(),
            encoding,
        };
        let file = Origin::File {
            by: "--token-file".into(),
            path: "/t".into(),
        };
        assert_eq!(
            setting(file.clone(), false).message(),
            "/t (--token-file): bad"
        );
        assert!(setting(file.clone(), false).hint().starts_with("fix /t"));
        assert!(setting(file, true).hint().contains("UTF-8"));
        assert_eq!(
            setting(Origin::Flag("--aes-key"), false).hint(),
            "fix the value of --aes-key"
        );
        assert_eq!(
            setting(Origin::Env("X".into()), false).hint(),
            "fix or unset X"
        );
        assert_eq!(setting(Origin::Env("X".into()), false).exit_code(), 14);
    }

    #[test]
    fn a_file_keeps_its_cause_exit_code_and_gets_a_file_hint() {
        let e = ApiError::NotJson {
            detail: "EOF".into(),
            body_start: String::new(),
            cause: None,
        }
        .in_file("push.json");
        assert_eq!(e.exit_code(), 8);
        assert!(e.message().starts_with("push.json: the answer is not JSON"));
        assert!(!e.hint().contains("base URL"), "{}", e.hint());
        assert!(std::error::Error::source(&e).is_some());
        let e = ApiError::WrongShape {
            what: "the push has no workflow_id".into(),
        }
        .in_file("p");
        assert_eq!(e.exit_code(), 9);
        assert!(e.hint().contains("workflow_id"), "{}", e.hint());
    }

    #[test]
    fn a_cause_is_kept_as_the_source() {
        let e = ApiError::Listen {
            addr: "127.0.0.1:1".into(),
            cause: crate::api::error::Cause::new(std::io::Error::from(
                std::io::ErrorKind::AddrInUse,
            )),
        };
        let source = std::error::Error::source(&e).expect("a source");
        assert!(source.to_string().contains("in use"), "{source}");
        assert_eq!(e.clone(), e);
        assert_eq!(e.exit_code(), 5);
    }

    #[test]
    fn a_file_that_is_not_regular_gets_a_hint_about_that() {
        let e = ApiError::File {
            path: "/dev/zero".into(),
            detail: "is a device, not a regular file: reading it may never end".into(),
            cause: None,
        };
        assert!(e.hint().contains("regular file"), "{}", e.hint());
    }
}
