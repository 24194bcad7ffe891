//! Signing in with APPKey/APPSecret: `POST /service/cloud/auth` gives a token that lasts 24 h.
//! The token is cached per (base URL, APPKey) in the XDG cache dir (mode 0600, atomic write)
//! and reused until 23 h old; a 401 on a reused token signs in again once. The APPSecret is
//! never written anywhere, and no message holds it or the token.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use super::client::{Answer, Client, Query, Reading, Route};
use super::error::ApiError;
use super::secret::Secret;
use crate::text::{clip, one_line};

pub const AUTH_PATH: &str = "/service/cloud/auth";
/// A token lasts 24 h; we stop using one an hour before that.
pub const TOKEN_REUSE: Duration = Duration::from_secs(23 * 3600);
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

#[derive(Clone)]
pub struct Credentials {
    pub app_key: String,
    pub app_secret: Secret,
}

impl Credentials {
    /// The APPKey's last four characters, for the status bar.
    pub fn key_hint(&self) -> String {
        key_hint(&self.app_key)
    }
}

/// An APPKey's last four characters: `…abcd`.
pub fn key_hint(app_key: &str) -> String {
    let chars: Vec<char> = app_key.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("…{tail}")
}

/// How requests get their token.
#[derive(Clone)]
pub enum Auth {
    /// A token given by the user (env or file).
    Token(Secret),
    /// Sign in with the account's keys, caching the token.
    SignIn {
        creds: Credentials,
        cache: TokenCache,
    },
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Tokens on disk, one file per (base URL, APPKey).
#[derive(Debug, Clone)]
pub struct TokenCache {
    dir: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
struct CachedToken {
    base_url: String,
    app_key: String,
    token: String,
    issued_at: i64,
}

impl Drop for CachedToken {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.token);
    }
}

impl TokenCache {
    /// `$XDG_CACHE_HOME/rudder-inspect/tokens`.
    pub fn default_dir() -> Self {
        TokenCache {
            dir: crate::config::cache_dir().map(|d| d.join("tokens")),
        }
    }

    pub fn at(dir: PathBuf) -> Self {
        TokenCache { dir: Some(dir) }
    }

    /// A file name that names neither the URL nor the key.
    pub fn path(&self, base_url: &str, app_key: &str) -> Option<PathBuf> {
        let id = super::aes::sign(format!("{base_url}\n{app_key}").as_bytes());
        Some(self.dir.as_ref()?.join(format!("{}.json", &id[..24])))
    }

    /// A cached token younger than [`TOKEN_REUSE`], with the time it was issued.
    pub fn load(&self, base_url: &str, app_key: &str) -> Option<(Secret, i64)> {
        // A cached token is one short JSON line.
        let bytes =
            crate::files::read_small(&self.path(base_url, app_key)?, 64 * 1024, "a token").ok()?;
        let c: CachedToken = serde_json::from_slice(&bytes).ok()?;
        let age = now_secs() - c.issued_at;
        (c.base_url == base_url
            && c.app_key == app_key
            && (0..TOKEN_REUSE.as_secs() as i64).contains(&age))
        .then(|| (Secret::token(c.token.as_str()), c.issued_at))
    }

    pub fn store(
        &self,
        base_url: &str,
        app_key: &str,
        token: &Secret,
        issued_at: i64,
    ) -> std::io::Result<()> {
        let Some(path) = self.path(base_url, app_key) else {
            return Ok(());
        };
        let c = CachedToken {
            base_url: base_url.into(),
            app_key: app_key.into(),
            token: token.expose().into(),
            issued_at,
        };
        let mut bytes = serde_json::to_vec(&c).unwrap_or_default();
        let r = crate::config::write_atomic(&path, &bytes, true);
        zeroize::Zeroize::zeroize(&mut bytes);
        r
    }

    /// Deletes the cached token; true when there was one.
    pub fn remove(&self, base_url: &str, app_key: &str) -> std::io::Result<bool> {
        let Some(path) = self.path(base_url, app_key) else {
            return Ok(false);
        };
        match std::fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// A token in hand and where it came from.
struct Held {
    token: Secret,
    issued_at: i64,
}

/// The client and its way of getting a token. Cheap to clone; clones share the token.
#[derive(Clone)]
pub struct Session {
    pub client: Client,
    auth: Arc<Auth>,
    held: Arc<Mutex<Option<Held>>>,
    /// How many times this session signed in (tests and `login` read it).
    sign_ins: Arc<std::sync::atomic::AtomicUsize>,
}

fn unauthorized(e: &ApiError) -> bool {
    match e {
        ApiError::Http { status, .. } => *status == 401,
        ApiError::Api { code, .. } => code.trim() == "401",
        _ => false,
    }
}

impl Session {
    pub fn new(client: Client, auth: Auth) -> Self {
        Session {
            client,
            auth: Arc::new(auth),
            held: Arc::new(Mutex::new(None)),
            sign_ins: Arc::new(std::sync::atomic::AtomicUsize::new(0)),
        }
    }

    pub fn sign_ins(&self) -> usize {
        self.sign_ins.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Words for the status bar: "signed in as …abcd" or where the token came from.
    pub fn describe(&self, token_source: Option<&str>) -> String {
        match &*self.auth {
            Auth::Token(_) => format!("token from {}", token_source.unwrap_or("the user")),
            Auth::SignIn { creds, .. } => format!("signed in as {}", creds.key_hint()),
        }
    }

    fn secrets(&self) -> Vec<String> {
        match &*self.auth {
            Auth::Token(t) => vec![t.expose().to_string()],
            Auth::SignIn { creds, .. } => vec![creds.app_secret.expose().to_string()],
        }
    }

    /// Keeps every secret of this session out of an error.
    fn scrub(&self, e: ApiError, token: Option<&Secret>) -> ApiError {
        let mut e = e;
        for s in self.secrets() {
            e = e.redacted(&s);
        }
        if let Some(t) = token {
            e = e.redacted(t.expose());
        }
        e
    }

    /// Signs in now (even with a token in hand) and caches the new token.
    pub async fn sign_in(&self) -> Result<(Secret, i64), ApiError> {
        let Auth::SignIn { creds, cache } = &*self.auth else {
            return Err(ApiError::NoToken);
        };
        let body =
            serde_json::json!({"APPKey": creds.app_key, "APPSecret": creds.app_secret.expose()});
        let body = serde_json::to_vec(&body).unwrap_or_default();
        self.sign_ins
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let exchange = self
            .client
            .post_json(AUTH_PATH, None, body, Route::Pooled, None)
            .await
            .map(|(exchange, _)| exchange)
            .map_err(|e| {
                let e = match e {
                    ApiError::Http {
                        status: s @ (401 | 403),
                        reason,
                        ..
                    } => ApiError::Credentials {
                        detail: format!("HTTP {s} {reason}").trim().to_string(),
                    },
                    other => other,
                };
                self.scrub(e, None)
            })?;
        let token = read_token(&exchange.body).map_err(|e| self.scrub(e, None))?;
        let issued_at = now_secs();
        if let Err(e) = cache.store(self.client.base_url(), &creds.app_key, &token, issued_at) {
            tracing::warn!("could not cache the token: {e}");
        }
        *self.held.lock().await = Some(Held {
            token: token.clone(),
            issued_at,
        });
        Ok((token, issued_at))
    }

    /// The token to use: in memory, else cached on disk, else a fresh sign-in. The flag says
    /// whether it was reused (and so may have expired on the server).
    async fn token(&self) -> Result<(Secret, bool), ApiError> {
        match &*self.auth {
            Auth::Token(t) => Ok((t.clone(), false)),
            Auth::SignIn { creds, cache } => {
                if let Some(h) = self.held.lock().await.as_ref() {
                    return Ok((h.token.clone(), true));
                }
                if let Some((token, issued_at)) = cache.load(self.client.base_url(), &creds.app_key)
                {
                    *self.held.lock().await = Some(Held {
                        token: token.clone(),
                        issued_at,
                    });
                    return Ok((token, true));
                }
                self.sign_in().await.map(|(t, _)| (t, false))
            }
        }
    }

    /// When the held token was issued (unix seconds), if one is held.
    pub async fn token_issued_at(&self) -> Option<i64> {
        self.held.lock().await.as_ref().map(|h| h.issued_at)
    }

    /// The verify call, signing in as needed; a 401 on a reused token signs in once more.
    pub async fn verify(&self, query: &Query) -> Result<Answer, ApiError> {
        self.verify_as(query, Reading::Whole).await
    }

    /// [`Session::verify`], the answer read as `reading` says (for the screen: the
    /// transcript after the first frame, see [`Reading`]).
    pub async fn verify_as(&self, query: &Query, reading: Reading) -> Result<Answer, ApiError> {
        let (token, reused) = self.token().await?;
        match self.client.verify_as(&token, query, reading.clone()).await {
            Err(e) if reused && unauthorized(&e) && matches!(&*self.auth, Auth::SignIn { .. }) => {
                tracing::info!("token refused; signing in again");
                *self.held.lock().await = None;
                let (fresh, _) = self.sign_in().await?;
                self.client
                    .verify_as(&fresh, query, reading)
                    .await
                    .map_err(|e| self.scrub(e, Some(&fresh)))
            }
            r => r.map_err(|e| self.scrub(e, Some(&token))),
        }
    }
}

/// `data.token` from the sign-in answer; an envelope that is not OK means refused credentials.
fn read_token(body: &[u8]) -> Result<Secret, ApiError> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::NotJson {
            detail: one_line(&e.to_string()),
            body_start: String::new(),
            cause: None,
        }
        .caused_by(e)
    })?;
    let code = v.get("code").map(|c| match c {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let status = v.get("status").and_then(|s| s.as_str()).unwrap_or("");
    let code_ok = code.as_deref().is_none_or(|c| c.trim() == "200");
    let status_ok = v.get("status").is_none() || status.eq_ignore_ascii_case("ok");
    if !code_ok || !status_ok {
        return Err(ApiError::Credentials {
            detail: clip(
                &one_line(&format!(
                    "code {}, status {}",
                    code.as_deref().unwrap_or("(none)"),
                    status
                )),
                80,
            ),
        });
    }
    match v.pointer("/data/token").and_then(|t| t.as_str()) {
        // It goes in a header: a control character there would fail every call.
        Some(t) if t.trim().chars().any(char::is_control) => Err(ApiError::WrongShape {
            what: "the sign-in answer's token holds control characters".into(),
        }),
        Some(t) if !t.trim().is_empty() => Ok(Secret::token(t)),
        _ => Err(ApiError::WrongShape {
            what: "the sign-in answer has no data.token".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_round_trip_private_and_expiring() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::at(dir.path().join("tokens"));
        let t = Secret::token("tok-123");
        cache.store("https://a", "key1", &t, now_secs()).unwrap();
        assert_eq!(
            cache.load("https://a", "key1").unwrap().0.expose(),
            "tok-123"
        );
        assert!(cache.load("https://b", "key1").is_none());
        assert!(cache.load("https://a", "key2").is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let p = cache.path("https://a", "key1").unwrap();
            assert_eq!(
                std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert!(!name.contains("key1"));
        }
        // 23 h and more: not reused.
        cache
            .store(
                "https://a",
                "key1",
                &t,
                now_secs() - TOKEN_REUSE.as_secs() as i64 - 1,
            )
            .unwrap();
        assert!(cache.load("https://a", "key1").is_none());
        assert!(cache.remove("https://a", "key1").unwrap());
        assert!(!cache.remove("https://a", "key1").unwrap());
    }

    #[test]
    fn token_from_answer() {
        let ok = br#"{"data": {"token": "3Ksb9E"}, "status": "OK", "code": 200}"#;
        assert_eq!(read_token(ok).unwrap().expose(), "3Ksb9E");
        let refused = br#"{"data": null, "status": "Unauthorized", "code": 401}"#;
        assert!(matches!(
            read_token(refused),
            Err(ApiError::Credentials { .. })
        ));
        let broken = br#"{"data": {"token": "ab\ncd"}, "status": "OK", "code": 200}"#;
        assert!(matches!(
            read_token(broken),
            Err(ApiError::WrongShape { .. })
        ));
        let empty = br#"{"data": {}, "status": "OK", "code": 200}"#;
        assert!(matches!(
            read_token(empty),
            Err(ApiError::WrongShape { .. })
        ));
    }

    #[test]
    fn key_hint_is_the_last_four() {
        let c = Credentials {
            app_key: "AK-0000abcd".into(),
            app_secret: Secret::labelled("AppSecret", "s"),
        };
        assert_eq!(c.key_hint(), "…abcd");
    }
}
