//! One POST: the request (token, AES transport), the answer's status, a body read up to its
//! cap, and the encrypted answer decrypted and its signature checked.

use std::time::Instant;

use bytes::Bytes;
use chrono::Local;
use reqwest::header::{self, HeaderValue};
use zeroize::Zeroize;

use super::answer::Exchange;
use super::body::{Body, Early};
use super::failure::connect_timeout;
use super::preview::{Preview, PreviewSink};
use super::wire;
use super::{Client, Route};
use crate::api::aes::{self, AesKey};
use crate::api::error::{ApiError, redact};
use crate::api::secret::Secret;
use crate::json::scan::ListScan;
use crate::text::one_line;

/// One of the transport's header names ([`aes`]), as a header map keys it.
fn named(name: &'static str) -> header::HeaderName {
    header::HeaderName::from_bytes(name.as_bytes()).expect("the transport's header names are valid")
}

fn is_encrypted(headers: &header::HeaderMap) -> bool {
    headers
        .get(aes::HEADER_ENCRYPTED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "1" || v.trim().eq_ignore_ascii_case("true"))
}

/// Decrypts an encrypted answer and checks its `Signed` header when there is one.
pub(crate) fn decrypt_answer(
    key: &AesKey,
    body: &[u8],
    signed: Option<&str>,
) -> Result<Vec<u8>, ApiError> {
    let plain = key.decrypt(body).map_err(|e| {
        ApiError::Decrypt {
            detail: e.to_string(),
            cause: None,
        }
        .caused_by(e)
    })?;
    let trimmed = plain.trim_ascii_start();
    if !(trimmed.starts_with(b"{") || trimmed.starts_with(b"[")) {
        return Err(ApiError::Decrypt {
            detail: "the decrypted text is not JSON".into(),
            cause: None,
        });
    }
    if let Some(got) = signed.filter(|s| !s.is_empty()) {
        let expected = aes::sign(&plain);
        if got != expected {
            return Err(ApiError::Signature {
                expected,
                got: crate::text::clip(&one_line(got), 70),
            });
        }
    }
    Ok(plain)
}

impl Client {
    /// POSTs a JSON body; returns the 2xx exchange (and for a big body read directly, the
    /// transcript scan as far as it ran) or the error that describes the failure. No error
    /// holds the token, even when the server echoes it. A big plain answer read directly
    /// is handed to `preview` as far as it came once it is into its transcript.
    pub(crate) async fn post_json(
        &self,
        path: &str,
        token: Option<&Secret>,
        body: Vec<u8>,
        route: Route,
        preview: Option<PreviewSink>,
    ) -> Result<(Exchange, Option<ListScan>), ApiError> {
        let secret = token.map(Secret::expose).unwrap_or("");
        self.post_json_inner(path, token, body, route, preview)
            .await
            .map_err(|e| e.redacted(secret))
    }

    async fn post_json_inner(
        &self,
        path: &str,
        token: Option<&Secret>,
        body: Vec<u8>,
        route: Route,
        preview: Option<PreviewSink>,
    ) -> Result<(Exchange, Option<ListScan>), ApiError> {
        let url = format!("{}{}", self.base, path);
        let mut headers = header::HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        // The sign-in carries no token, so the server could not tell whose key to decrypt it
        // with: only calls made with a token go out encrypted.
        let aes_key = self.opts.aes.as_ref().filter(|_| token.is_some());
        let body = match aes_key {
            Some(key) => {
                headers.insert(named(aes::HEADER_ENCRYPTED), HeaderValue::from_static("1"));
                // Hex: always a valid header value.
                if let Ok(signature) = HeaderValue::from_str(&aes::sign(&body)) {
                    headers.insert(named(aes::HEADER_SIGNED), signature);
                }
                key.encrypt(&body).into_bytes()
            }
            None => body,
        };
        if let Some(token) = token {
            if token.is_empty() {
                return Err(ApiError::NoToken);
            }
            let mut text = format!("Token {}", token.expose());
            let value = HeaderValue::from_str(&text);
            text.zeroize();
            let mut value = value.map_err(|_| ApiError::Config {
                path: "token".into(),
                detail: "the token holds characters that cannot go in an HTTP header".into(),
            })?;
            value.set_sensitive(true);
            headers.insert(header::AUTHORIZATION, value);
        }
        let secret = token.map(Secret::expose).unwrap_or("");
        let started = Instant::now();
        let resp = match route {
            Route::Direct if !self.proxied() => {
                Reply::Direct(self.send_direct(&url, headers, &body).await?)
            }
            _ => {
                let req = self.http()?.post(&url).headers(headers).body(body);
                Reply::Pooled(req.send().await.map_err(|e| self.map_error(e))?)
            }
        };
        let status = resp.status();
        if !status.is_success() {
            let header_text = |name: header::HeaderName, max: usize| {
                resp.headers()
                    .get(name)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .map(|v| crate::text::clip(&one_line(&redact(&v, secret)), max))
                    .filter(|v| !v.is_empty())
            };
            let retry_after = header_text(header::RETRY_AFTER, 60);
            let location = status
                .is_redirection()
                .then(|| header_text(header::LOCATION, 120))
                .flatten();
            let encrypted = is_encrypted(resp.headers());
            let mut body = self
                .read_capped(resp, 4096, false, None)
                .await
                .map(|(body, _)| body)
                .unwrap_or_default();
            if encrypted && let Some(key) = &self.opts.aes {
                match key.decrypt(&body) {
                    Ok(plain) => body = Bytes::from(plain),
                    // The server read the request, or it could not: either way its answer is
                    // sealed with a key that is not ours.
                    Err(e) => {
                        return Err(ApiError::Decrypt {
                            detail: format!(
                                "HTTP {}: the answer is encrypted with another key",
                                status.as_u16()
                            ),
                            cause: None,
                        }
                        .caused_by(e));
                    }
                }
            }
            let mut body_start = if encrypted && self.opts.aes.is_none() {
                "the answer is AES-encrypted: this account uses the AES transport (set AIRUDDER_AES_KEY or --aes-key-file)".to_string()
            } else {
                ApiError::body_excerpt_without(&body, secret)
            };
            if let Some(location) = location {
                body_start = if body_start.is_empty() {
                    format!("redirects to {location} (not followed)")
                } else {
                    format!("redirects to {location} (not followed); {body_start}")
                };
            }
            return Err(ApiError::Http {
                status: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("").to_string(),
                body_start,
                retry_after,
            });
        }
        let marked = is_encrypted(resp.headers());
        let signed = resp
            .headers()
            .get(aes::HEADER_SIGNED)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_ascii_lowercase());
        // Sealed bytes mean nothing until they are whole.
        let early = preview
            .filter(|_| !marked && self.opts.aes.is_none())
            .map(|sink| {
                let url = url.clone();
                let status = status.as_u16();
                let total = resp.content_length().unwrap_or(0);
                let total = usize::try_from(total).unwrap_or(usize::MAX);
                Box::new(move |prefix: &[u8]| {
                    tracing::debug!(
                        bytes = prefix.len(),
                        total,
                        "the part before the transcript is in"
                    );
                    sink(Preview::new(prefix, total, url, status, started.elapsed()));
                }) as Early
            });
        let (mut body, mut scan) = self
            .read_capped(resp, self.opts.max_body, true, early)
            .await?;
        match &self.opts.aes {
            // A sign-in's answer is read as plain JSON unless it says otherwise.
            Some(key) if marked || (token.is_some() && aes::looks_encrypted(&body)) => {
                body = Bytes::from(decrypt_answer(key, &body, signed.as_deref())?);
                scan = None;
            }
            None if marked => return Err(ApiError::Encrypted),
            _ => {}
        }
        let exchange = Exchange {
            url,
            status: status.as_u16(),
            latency: started.elapsed(),
            body,
            received_at: Local::now(),
        };
        Ok((exchange, scan))
    }

    /// Sends to `url` on a connection of its own ([`wire`]) and reads the answer's head.
    async fn send_direct(
        &self,
        url: &str,
        mut headers: header::HeaderMap,
        body: &[u8],
    ) -> Result<wire::Response, ApiError> {
        let parsed = reqwest::Url::parse(url).ok();
        let (target, path) = parsed
            .as_ref()
            .and_then(|u| Some((wire::Target::of(u)?, u.path())))
            .ok_or_else(|| ApiError::BadUrl {
                url: self.base.clone(),
                reason: "not an http or https URL with a host".into(),
            })?;
        headers.insert(header::USER_AGENT, HeaderValue::from_static("Airudder"));
        headers.insert(header::ACCEPT, HeaderValue::from_static("*/*"));
        let timeout = self.opts.timeout.max(std::time::Duration::from_millis(1));
        wire::post(
            &target,
            path,
            &headers,
            body,
            (connect_timeout(timeout), timeout),
            &self.idle,
        )
        .await
        .map_err(|e| self.map_wire(e))
    }

    /// Reads the body, refusing (when `strict`) or cutting (otherwise) past `cap` bytes.
    /// A big body comes with the transcript scan as far as it ran while the body was read;
    /// one read directly calls `early` with the part before its transcript on the way.
    async fn read_capped(
        &self,
        resp: Reply,
        cap: u64,
        strict: bool,
        early: Option<Early>,
    ) -> Result<(Bytes, Option<ListScan>), ApiError> {
        match resp {
            Reply::Pooled(resp) => self.read_pooled(resp, cap, strict).await,
            Reply::Direct(resp) => resp
                .read_body(cap, strict, early)
                .await
                .map_err(|e| match e {
                    wire::BodyError::TooLarge => ApiError::TooLarge { limit: cap },
                    wire::BodyError::Wire(e) => self.map_wire(e),
                }),
        }
    }

    async fn read_pooled(
        &self,
        mut resp: reqwest::Response,
        cap: u64,
        strict: bool,
    ) -> Result<(Bytes, Option<ListScan>), ApiError> {
        let announced = resp.content_length();
        if strict && announced.is_some_and(|n| n > cap) {
            return Err(ApiError::TooLarge { limit: cap });
        }
        let mut buf = Body::for_length(announced.unwrap_or(16 * 1024).min(cap) as usize, None);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.map_error(e))? {
            if (buf.len() + chunk.len()) as u64 > cap {
                if strict {
                    return Err(ApiError::TooLarge { limit: cap });
                }
                let room = cap as usize - buf.len();
                buf.push(&chunk[..room]);
                break;
            }
            buf.push(&chunk);
        }
        Ok(buf.freeze())
    }
}

/// An answer whose head is in, from either way of sending.
pub(super) enum Reply {
    Pooled(reqwest::Response),
    Direct(wire::Response),
}

impl Reply {
    fn status(&self) -> reqwest::StatusCode {
        match self {
            Reply::Pooled(r) => r.status(),
            Reply::Direct(r) => {
                reqwest::StatusCode::from_u16(r.status).unwrap_or(reqwest::StatusCode::BAD_GATEWAY)
            }
        }
    }

    fn content_length(&self) -> Option<u64> {
        match self {
            Reply::Pooled(r) => r.content_length(),
            Reply::Direct(r) => r.content_length(),
        }
    }

    fn headers(&self) -> &header::HeaderMap {
        match self {
            Reply::Pooled(r) => r.headers(),
            Reply::Direct(r) => &r.headers,
        }
    }
}
