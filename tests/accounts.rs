//! Real accounts: APPKey/APPSecret sign-in with a cached token, renewal after a 401, refused
//! credentials, the AES transport, encrypted pushes, and `verify`. A stand-in for the API runs
//! on 127.0.0.1 (wiremock with stateful responders); the real binary is driven by assert_cmd.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use rudder_inspect::api::Secret;
use rudder_inspect::api::aes::{self, AesKey};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const APP_KEY: &str = "AK-test-7f3e9c21";
const APP_SECRET: &str = "sekret-APP-value-do-not-leak-0451";
const REFERENCE: &[u8] = include_bytes!("../assets/demo/01-reference.json");
const FULL_MATCH: &[u8] = include_bytes!("../assets/demo/02-full-match.json");

/// The stand-in's memory: tokens it issued (and still honours) and how often it was asked.
#[derive(Default)]
struct State {
    valid: Vec<String>,
    issued: Vec<String>,
    sign_ins: usize,
    verifies: usize,
}

struct StandIn {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

impl StandIn {
    /// A server that signs in `APP_KEY`/`APP_SECRET` and answers verify with `record`, optionally
    /// speaking only the AES transport with `aes_key`.
    async fn start(record: &'static [u8], aes_key: Option<&'static str>) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        let key = aes_key.map(|k| AesKey::new(Secret::labelled("AesKey", k)).unwrap());

        // Sign-in is plain JSON both ways, AES transport or not (it carries no token, so the
        // server could not tell whose key to decrypt it with).
        let st = state.clone();
        Mock::given(method("POST"))
            .and(path("/service/cloud/auth"))
            .respond_with(move |req: &Request| {
                if req.headers.get("is-encrypted").is_some() {
                    return ResponseTemplate::new(400).set_body_string("sign-in is plain JSON");
                }
                let v: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
                let mut s = st.lock().unwrap();
                s.sign_ins += 1;
                if v["APPKey"] == APP_KEY && v["APPSecret"] == APP_SECRET {
                    let token = format!("tok-{}-{}", s.sign_ins, "Zq8wXv31");
                    s.valid.push(token.clone());
                    s.issued.push(token.clone());
                    wrap(
                        None,
                        200,
                        serde_json::json!({"data": {"token": token}, "status": "OK", "code": 200})
                            .to_string()
                            .into_bytes(),
                    )
                } else {
                    wrap(
                        None,
                        401,
                        br#"{"data": null, "status": "Unauthorized", "code": 401}"#.to_vec(),
                    )
                }
            })
            .mount(&server)
            .await;

        let (st, k) = (state.clone(), key.clone());
        Mock::given(method("POST"))
            .and(path("/service/cloud/workflow/apinoticeinfo"))
            .respond_with(move |req: &Request| {
                let mut s = st.lock().unwrap();
                s.verifies += 1;
                let token = req
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Token "))
                    .unwrap_or("")
                    .to_string();
                if !s.valid.contains(&token) {
                    return wrap(
                        k.as_ref(),
                        401,
                        br#"{"data": null, "status": "Unauthorized", "code": 401}"#.to_vec(),
                    );
                }
                drop(s);
                match unwrap_request(req, k.as_ref()) {
                    Ok(_) => wrap(k.as_ref(), 200, record.to_vec()),
                    Err(r) => *r,
                }
            })
            .mount(&server)
            .await;
        StandIn { server, state }
    }

    fn url(&self) -> String {
        self.server.uri()
    }

    /// The server forgets every token, as after 24 h.
    fn revoke(&self) {
        self.state.lock().unwrap().valid.clear();
    }

    fn sign_ins(&self) -> usize {
        self.state.lock().unwrap().sign_ins
    }

    fn issued(&self) -> Vec<String> {
        self.state.lock().unwrap().issued.clone()
    }
}

/// In AES mode the body must be encrypted, marked, and signed with the plain body's hash.
fn unwrap_request(req: &Request, key: Option<&AesKey>) -> Result<Vec<u8>, Box<ResponseTemplate>> {
    let Some(key) = key else {
        return Ok(req.body.clone());
    };
    let header = |n: &str| {
        req.headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    // Refusals are sealed with the account's key, like every answer of such an account.
    let refuse = |why: &str| Box::new(wrap(Some(key), 400, why.as_bytes().to_vec()));
    if header("is-encrypted") != "1" {
        return Err(refuse("not encrypted"));
    }
    let plain = key
        .decrypt(&req.body)
        .map_err(|_| refuse("cannot decrypt"))?;
    if header("signed") != aes::sign(&plain) {
        return Err(refuse("bad signature"));
    }
    Ok(plain)
}

fn wrap(key: Option<&AesKey>, status: u16, body: Vec<u8>) -> ResponseTemplate {
    match key {
        None => ResponseTemplate::new(status).set_body_raw(body, "application/json"),
        Some(k) => ResponseTemplate::new(status)
            .insert_header("Is-Encrypted", "1")
            .insert_header("Signed", aes::sign(&body).as_str())
            .set_body_raw(k.encrypt(&body), "text/plain"),
    }
}

/// A command with a private HOME and XDG dirs, and no credentials from the outside.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn root(&self) -> &Path {
        self.dir.path()
    }
    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("rudder-inspect").unwrap();
        let r = self.root();
        for v in [
            "AIRUDDER_TOKEN",
            "AIRUDDER_APP_KEY",
            "AIRUDDER_APP_SECRET",
            "AIRUDDER_AES_KEY",
            "AIRUDDER_BASE_URL",
            "RUDDER_INSPECT_CONFIG",
        ] {
            c.env_remove(v);
        }
        c.env("HOME", r)
            .env("XDG_CONFIG_HOME", r.join("config"))
            .env("XDG_CACHE_HOME", r.join("cache"))
            .env("XDG_STATE_HOME", r.join("state"))
            .env("RUST_LOG", "debug")
            .current_dir(r);
        c
    }
    fn signed_in(&self, base: &str) -> Command {
        let mut c = self.cmd();
        c.env("AIRUDDER_APP_KEY", APP_KEY)
            .env("AIRUDDER_APP_SECRET", APP_SECRET)
            .args(["--base-url", base]);
        c
    }
    /// Every regular file under the private root.
    fn files(&self) -> Vec<PathBuf> {
        fn walk(d: &Path, out: &mut Vec<PathBuf>) {
            if let Ok(rd) = std::fs::read_dir(d) {
                for e in rd.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        walk(&p, out);
                    } else {
                        out.push(p);
                    }
                }
            }
        }
        let mut v = Vec::new();
        walk(self.root(), &mut v);
        v
    }
}

const QUERY: [&str; 8] = [
    "query",
    "--workflow-id",
    "b761cdd784294xxxxxx869f85c",
    "--node-id",
    "6ade9e4443xxxxxx43a54b58",
    "--callee",
    "+861xxxxxx721",
    "--output=json",
];

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn signs_in_once_caches_and_renews_after_revocation() {
    let api = StandIn::start(REFERENCE, None).await;
    let env = Env::new();
    let first = env.signed_in(&api.url()).args(QUERY).output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("WILL SMITH"));
    assert_eq!(api.sign_ins(), 1);

    // A second run reuses the cached token.
    let second = env.signed_in(&api.url()).args(QUERY).output().unwrap();
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(api.sign_ins(), 1, "the cached token was not reused");

    // The server forgets its tokens: exactly one more sign-in, and the answer still comes.
    api.revoke();
    let third = env.signed_in(&api.url()).args(QUERY).output().unwrap();
    assert!(third.status.success(), "{}", stderr(&third));
    assert_eq!(api.sign_ins(), 2);

    // The cache file is private; nothing written holds the secret; the token only the cache.
    let tokens = api.issued();
    let mut cache_files = 0;
    for f in env.files() {
        let bytes = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(APP_SECRET),
            "{} holds the APPSecret",
            f.display()
        );
        let holds_token = tokens.iter().any(|t| text.contains(t.as_str()));
        if f.starts_with(env.root().join("cache")) {
            cache_files += 1;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(
                    std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
                    0o600
                );
            }
        } else {
            assert!(!holds_token, "{} holds a token", f.display());
        }
    }
    assert_eq!(cache_files, 1);
    for out in [&first, &second, &third] {
        for t in &tokens {
            assert!(!stderr(out).contains(t.as_str()) && !stdout(out).contains(t.as_str()));
        }
        assert!(!stderr(out).contains(APP_SECRET));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_401_after_renewal_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/service/cloud/auth"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(
                r#"{"data":{"token":"t-always-refused"},"status":"OK","code":200}"#,
            ),
        )
        .mount(&server)
        .await;
    Mock::given(path("/service/cloud/workflow/apinoticeinfo"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string(r#"{"code":401,"status":"Unauthorized","data":null}"#),
        )
        .mount(&server)
        .await;
    let env = Env::new();
    // Seed the cache with a token so the first verify reuses it.
    let ok = env.signed_in(&server.uri()).arg("login").output().unwrap();
    assert!(ok.status.success(), "{}", stderr(&ok));
    let out = env.signed_in(&server.uri()).args(QUERY).output().unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    let auths = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/service/cloud/auth")
        .count();
    // login, then exactly one renewal.
    assert_eq!(auths, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_credentials_name_the_keys_not_their_values() {
    let api = StandIn::start(REFERENCE, None).await;
    let env = Env::new();
    let out = env
        .cmd()
        .env("AIRUDDER_APP_KEY", APP_KEY)
        .env("AIRUDDER_APP_SECRET", "wrong-secret-value-77")
        .args(["--base-url", &api.url()])
        .args(QUERY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(15), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("APPKey/APPSecret"), "{err}");
    assert!(
        !err.contains("wrong-secret-value-77") && !err.contains(APP_KEY),
        "{err}"
    );
    assert!(err.lines().count() <= 3, "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn login_says_so_and_logout_forgets() {
    let api = StandIn::start(REFERENCE, None).await;
    let env = Env::new();
    let out = env.signed_in(&api.url()).arg("login").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("signed in") && said.contains("…9c21") && said.contains("24 h"),
        "{said}"
    );
    for t in api.issued() {
        assert!(!said.contains(&t));
    }
    // A token set as well wins for queries, but `login` signs in with the keys as asked.
    let out = env
        .signed_in(&api.url())
        .env("AIRUDDER_TOKEN", "some-other-token")
        .arg("login")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("signed in"), "{}", stdout(&out));
    // The cache is keyed by base URL and APPKey: logout needs no APPSecret.
    let out = env
        .cmd()
        .env("AIRUDDER_APP_KEY", APP_KEY)
        .args(["--base-url", &api.url(), "logout"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("forgot"), "{}", stdout(&out));
    assert!(!stderr(&out).contains("APPSecret"), "{}", stderr(&out));
    assert!(
        env.files()
            .iter()
            .all(|f| !f.starts_with(env.root().join("cache")))
    );
}

const AES16: &str = "airudderredduria";
const AES32: &str = "0123456789abcdef0123456789abcdef";

#[tokio::test(flavor = "multi_thread")]
async fn aes_transport_round_trip_with_token_and_with_sign_in() {
    let api = StandIn::start(REFERENCE, Some(AES32)).await;
    let env = Env::new();
    let out = env
        .signed_in(&api.url())
        .env("AIRUDDER_AES_KEY", AES32)
        .args(QUERY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // The decrypted answer, as sent.
    let printed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let expected: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
    assert_eq!(printed, expected);
    // The sign-in went as plain JSON; every call with the token was encrypted and signed
    // exactly as documented.
    let requests = api.server.received_requests().await.unwrap();
    let sign_in = requests
        .iter()
        .find(|r| r.url.path().ends_with("/auth"))
        .expect("a sign-in");
    assert!(sign_in.headers.get("is-encrypted").is_none());
    let keys: serde_json::Value = serde_json::from_slice(&sign_in.body).unwrap();
    assert_eq!(keys["APPKey"], APP_KEY);
    for r in requests.iter().filter(|r| !r.url.path().ends_with("/auth")) {
        let key = AesKey::new(Secret::labelled("k", AES32)).unwrap();
        let plain = key.decrypt(&r.body).unwrap();
        assert_eq!(r.headers.get("is-encrypted").unwrap(), "1");
        assert_eq!(
            r.headers.get("signed").unwrap().to_str().unwrap(),
            aes::sign(&plain)
        );
        assert_eq!(key.encrypt(&plain).as_bytes(), &r.body[..]);
        if r.url.path().ends_with("apinoticeinfo") {
            assert_eq!(
                String::from_utf8(plain).unwrap(),
                r#"{"workflow_id":"b761cdd784294xxxxxx869f85c","node_id":"6ade9e4443xxxxxx43a54b58","callee":"+861xxxxxx721"}"#
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_aes_key_fails_about_decryption() {
    let api = StandIn::start(REFERENCE, Some(AES16)).await;
    let env = Env::new();
    // With the wrong key the server cannot read the request either; make the server answer
    // regardless by using a second stand-in that only encrypts answers.
    let out = env
        .signed_in(&api.url())
        .env("AIRUDDER_AES_KEY", "wrongwrongwrong!")
        .args(QUERY)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(16), "{err}");
    assert!(err.contains("is the AES key right?"), "{err}");
    assert!(err.contains("AES key"), "{err}");
    // The demo server with the AES transport says the same.
    let demo = rudder_inspect::demo::serve_with(
        0,
        Some(AesKey::new(Secret::labelled("k", AES16)).unwrap()),
    )
    .await
    .unwrap();
    let out = env
        .cmd()
        .env("AIRUDDER_APP_KEY", rudder_inspect::demo::DEMO_APP_KEY)
        .env("AIRUDDER_APP_SECRET", rudder_inspect::demo::DEMO_APP_SECRET)
        .env("AIRUDDER_AES_KEY", "wrongwrongwrong!")
        .args(["--base-url", &demo.url()])
        .args(QUERY)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(16), "{err}");
    assert!(err.contains("is the AES key right?"), "{err}");

    let server = MockServer::start().await;
    let right = AesKey::new(Secret::labelled("k", AES16)).unwrap();
    Mock::given(path("/service/cloud/workflow/apinoticeinfo"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Is-Encrypted", "1")
                .insert_header("Signed", aes::sign(REFERENCE).as_str())
                .set_body_string(right.encrypt(REFERENCE)),
        )
        .mount(&server)
        .await;
    let out = env
        .cmd()
        .env("AIRUDDER_TOKEN", "tok")
        .env("AIRUDDER_AES_KEY", "wrongwrongwrong!")
        .args(["--base-url", &server.uri()])
        .args(QUERY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(16), "{}", stderr(&out));
    assert!(stderr(&out).contains("could not decrypt the answer: is the AES key right?"));
    assert!(!stderr(&out).contains("panicked"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_signature_is_an_error_that_says_so() {
    let server = MockServer::start().await;
    let key = AesKey::new(Secret::labelled("k", AES16)).unwrap();
    Mock::given(path("/service/cloud/workflow/apinoticeinfo"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Is-Encrypted", "1")
                .insert_header("Signed", aes::sign(b"something else").as_str())
                .set_body_string(key.encrypt(REFERENCE)),
        )
        .mount(&server)
        .await;
    let env = Env::new();
    let out = env
        .cmd()
        .env("AIRUDDER_TOKEN", "tok")
        .env("AIRUDDER_AES_KEY", AES16)
        .args(["--base-url", &server.uri()])
        .args(QUERY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(17), "{}", stderr(&out));
    assert!(stderr(&out).contains("signature"));
}

#[test]
fn aes_key_of_the_wrong_length_is_a_clear_error() {
    let env = Env::new();
    let out = env
        .cmd()
        .env("AIRUDDER_TOKEN", "tok")
        .env("AIRUDDER_AES_KEY", "tooshort")
        .args(QUERY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(14));
    assert!(stderr(&out).contains("16, 24 or 32"), "{}", stderr(&out));
}

#[test]
fn open_decrypts_an_aes_256_push_and_checks_its_signature() {
    let env = Env::new();
    let key = AesKey::new(Secret::labelled("k", AES32)).unwrap();
    let push = include_bytes!("../assets/demo/push-received.json");
    let file = env.root().join("push.txt");
    std::fs::write(&file, key.encrypt(push)).unwrap();
    let key_file = env.root().join("aes.key");
    std::fs::write(&key_file, AES32).unwrap();

    let out = env
        .cmd()
        .args([
            "open",
            file.to_str().unwrap(),
            "--output",
            "md",
            "--aes-key-file",
        ])
        .arg(&key_file)
        .args(["--signed", &aes::sign(push)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("MARK ANTHONY VILLANUEVA"),
        "{}",
        stdout(&out)
    );

    let out = env
        .cmd()
        .args([
            "open",
            file.to_str().unwrap(),
            "--output",
            "md",
            "--aes-key-file",
        ])
        .arg(&key_file)
        .args(["--signed", &aes::sign(b"other")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(17));

    // No key: say what the body looks like.
    let out = env
        .cmd()
        .args(["open", file.to_str().unwrap(), "--output", "md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(18));
    assert!(
        stderr(&out).contains("looks AES-encrypted: give --aes-key-file"),
        "{}",
        stderr(&out)
    );
}

async fn verify(env: &Env, api: &StandIn, push: &[u8], extra: &[&str]) -> std::process::Output {
    let file = env.root().join("received.json");
    std::fs::write(&file, push).unwrap();
    env.signed_in(&api.url())
        .args(["verify", file.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_equal_changed_type_only_and_missing() {
    let api = StandIn::start(FULL_MATCH, None).await;
    let env = Env::new();

    let same = verify(
        &env,
        &api,
        include_bytes!("../assets/demo/push-unchanged.json"),
        &[],
    )
    .await;
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}{}",
        stdout(&same),
        stderr(&same)
    );
    assert_eq!(
        stdout(&same).trim(),
        "no differences: the push matches the record"
    );

    let changed = verify(
        &env,
        &api,
        include_bytes!("../assets/demo/push-received.json"),
        &[],
    )
    .await;
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    let text = stdout(&changed);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    // Document order: call_times comes before intention in the push.
    assert_eq!(
        lines[0],
        r#"call.call_times: "2" pushed, 2 on record (type only: string vs number)"#
    );
    assert_eq!(lines[1], r#"call.intention: "B" pushed, "A" on record"#);
    assert_eq!(lines[2], "2 differences: 1 changed, 1 type only");

    // The push's own ids went to the API.
    let sent = api.server.received_requests().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&sent.last().unwrap().body).unwrap();
    let push: serde_json::Value =
        serde_json::from_slice(include_bytes!("../assets/demo/push-received.json")).unwrap();
    assert_eq!(body["workflow_id"], push["workflow_id"]);
    assert_eq!(body["node_id"], push["node_id"]);
    assert_eq!(body["callee"], push["callee"]["callee_number"]);
    assert_eq!(body["case_id"], push["callee"]["case_id"]);

    // A field missing from the push, as JSON output.
    let mut p = push.clone();
    p["call"].as_object_mut().unwrap().remove("hangup_type");
    let missing = verify(&env, &api, p.to_string().as_bytes(), &["--output", "json"]).await;
    assert_eq!(missing.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_str(&stdout(&missing)).unwrap();
    assert_eq!(j["equal"], false);
    let kinds: Vec<(&str, &str)> = j["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["kind"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("call.hangup_type", "missing")),
        "{kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_says_which_value_of_a_key_sent_twice_it_compared() {
    let api = StandIn::start(FULL_MATCH, None).await;
    let env = Env::new();
    let push = String::from_utf8(include_bytes!("../assets/demo/push-unchanged.json").to_vec())
        .unwrap()
        .replacen(
            r#""callee_name": "MARK ANTHONY VILLANUEVA","#,
            r#""callee_name": "WILL SMITH", "callee_name": "MARK ANTHONY VILLANUEVA","#,
            1,
        );
    let out = verify(&env, &api, push.as_bytes(), &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "callee.callee_name: sent 2 times in the push; the last value is compared",
            "no differences: the push matches the record",
        ],
        "{text}"
    );
    let json = verify(&env, &api, push.as_bytes(), &["--output", "json"]).await;
    let j: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        j["repeated_keys"],
        serde_json::json!({"push": [{"path": "callee.callee_name", "times": 2}], "record": []})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_of_an_encrypted_push_and_an_enveloped_one() {
    // The account's key encrypts its pushes and its API exchanges alike.
    let api = StandIn::start(FULL_MATCH, Some(AES16)).await;
    let env = Env::new();
    let key = AesKey::new(Secret::labelled("k", AES16)).unwrap();
    let push = include_bytes!("../assets/demo/push-unchanged.json");
    let key_file = env.root().join("k");
    std::fs::write(&key_file, AES16).unwrap();
    let file = env.root().join("enc.txt");
    std::fs::write(&file, format!("\"{}\"", key.encrypt(push))).unwrap();
    let out = env
        .signed_in(&api.url())
        .args(["verify", file.to_str().unwrap(), "--aes-key-file"])
        .arg(&key_file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("readable by group or others"),
        "the key file's mode is not flagged"
    );
    // An enveloped push (a saved API answer) against the record.
    let plain = StandIn::start(FULL_MATCH, None).await;
    let same = verify(&env, &plain, FULL_MATCH, &[]).await;
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
}
