//! The built-in demo: sample cases from `assets/demo/` and a loopback server that answers the
//! verify endpoint from them, so the whole app can be tried with no account.

pub(crate) mod server;

use crate::api::{Query, parse_document};

pub use server::{DemoServer, serve, serve_with};

/// The token the demo server accepts. Not a secret: it only opens the bundled samples.
pub const DEMO_TOKEN: &str = "demo-token-rudder-inspect";
/// The demo account's keys for sign-in (`POST /service/cloud/auth`).
pub const DEMO_APP_KEY: &str = "demo-appkey-0001";
pub const DEMO_APP_SECRET: &str = "demo-appsecret-rudder";

/// Callees that make the demo server fail on purpose, to show the error screens.
pub const FAULT_CALLEES: &[(&str, &str)] = &[
    ("+10000000500", "HTTP 500 with an HTML error page"),
    ("+10000000429", "HTTP 429 with Retry-After: 7"),
    ("+10000000200", "HTTP 200 with an HTML body"),
    ("+10000000001", "an envelope with code 10001"),
    (
        "+10000000408",
        "no answer at all (the timeout fires; Esc cancels)",
    ),
];

/// The bundled answers, in the order the demo lists them.
pub const CASE_FILES: &[(&str, &[u8])] = &[
    (
        "01-reference",
        include_bytes!("../../assets/demo/01-reference.json"),
    ),
    (
        "02-full-match",
        include_bytes!("../../assets/demo/02-full-match.json"),
    ),
    (
        "03-mismatch-heavy",
        include_bytes!("../../assets/demo/03-mismatch-heavy.json"),
    ),
    (
        "04-many-redials",
        include_bytes!("../../assets/demo/04-many-redials.json"),
    ),
    (
        "05-long-transcript",
        include_bytes!("../../assets/demo/05-long-transcript.json"),
    ),
    (
        "06-chinese",
        include_bytes!("../../assets/demo/06-chinese.json"),
    ),
    (
        "07-drifted",
        include_bytes!("../../assets/demo/07-drifted.json"),
    ),
];

/// One sample case: the ids that find it and the answer the server sends.
#[derive(Debug, Clone)]
pub struct DemoCase {
    pub name: &'static str,
    pub query: Query,
    /// Callee name and intention, for the list.
    pub label: String,
    pub body: &'static [u8],
}

/// The reference answer comes from the API's docs with its ids partly hidden (`b761…xxxxxx…`):
/// the demo asks for it with each `x` read as `0`, ids the form takes without a warning.
fn unhide(id: &str) -> String {
    id.replace('x', "0")
}

/// The sample cases with the ids read from their own answers.
pub fn cases() -> Vec<DemoCase> {
    CASE_FILES
        .iter()
        .filter_map(|(name, body)| {
            let doc = parse_document(body).ok()?;
            let d = doc.data()?;
            let case_id = d.callee.case_id.value().map(str::to_string);
            // A number as the form expects it (`+` and digits) when the answer has one.
            let numbers = [d.callee.callee_number.value(), d.call.callee_number.value()];
            let callee = numbers
                .iter()
                .flatten()
                .find(|n| {
                    n.len() > 1 && n.starts_with('+') && n[1..].bytes().all(|b| b.is_ascii_digit())
                })
                .or(numbers.iter().flatten().next())
                .map_or_else(String::new, |n| unhide(n));
            let label = format!(
                "{} · {}",
                d.callee.callee_name.value().unwrap_or("(no name)"),
                name.split_once('-').map_or(*name, |(_, rest)| rest)
            );
            Some(DemoCase {
                name,
                query: Query {
                    workflow_id: unhide(d.workflow_id.show()),
                    node_id: unhide(d.node_id.show()),
                    callee,
                    case_id,
                },
                label,
                body,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_case_parses_with_unique_ids() {
        let cases = cases();
        assert_eq!(
            cases.len(),
            CASE_FILES.len(),
            "a bundled case failed to parse"
        );
        for (i, a) in cases.iter().enumerate() {
            assert!(
                !a.query.workflow_id.is_empty() && !a.query.callee.is_empty(),
                "{}",
                a.name
            );
            // A newcomer's form shows no warning for any sample case.
            let form = crate::app::Form::new(&a.query);
            for field in 0..4 {
                assert_eq!(
                    form.check(field),
                    crate::app::form::Check::Ok,
                    "{} {:?}",
                    a.name,
                    a.query
                );
            }
            for b in &cases[i + 1..] {
                assert_ne!(a.query, b.query, "{} and {} share ids", a.name, b.name);
            }
        }
    }
}
