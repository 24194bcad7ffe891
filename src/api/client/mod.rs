//! The HTTP client for the verify call: one reused `reqwest::Client` (keep-alive, rustls),
//! connect and total timeouts, no redirects (the token must not follow one), a capped body.
//! An answer read for the screen goes on a connection of its own instead (`wire`), read
//! straight into the memory it stays in, unless a proxy is set.
//!
//! One part per file: the client and its options (here), the ids of a lookup (`query`), one
//! POST (`post`) and where its body goes (`body`), a big answer's first part while the rest
//! arrives (`preview`), a connection of its own (`wire`), a failure told plainly
//! (`failure`), the base URL (`url`), and the answer read from an exchange (`answer`).

use std::time::Duration;

mod answer;
mod body;
mod failure;
mod post;
mod preview;
mod query;
mod url;
mod wire;

pub(crate) use answer::interpret_for_screen;
#[cfg(test)]
pub(crate) use answer::interpret_head;
pub use answer::{Answer, Exchange, SKIM_FROM, interpret};
pub(crate) use post::decrypt_answer;
pub use preview::{Preview, PreviewSink};
pub use query::Query;
pub(crate) use url::validate_base_url;

use super::VERIFY_PATH;
use super::aes::AesKey;
use super::error::{ApiError, Cause};
use super::secret::Secret;
use answer::{interpret_with, parse_for_screen, parse_whole};
use failure::connect_timeout;
use url::is_loopback;

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: String,
    pub timeout: Duration,
    pub max_body: u64,
    pub allow_http: bool,
    /// The account's AES key, when it has the encrypted transport switched on.
    pub aes: Option<AesKey>,
}

pub(crate) const DEFAULT_TIMEOUT_SECS: u64 = 30;
pub(crate) const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            base_url: super::DEFAULT_BASE_URL.into(),
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            max_body: DEFAULT_MAX_BODY,
            allow_http: false,
            aes: None,
        }
    }
}

/// How a request goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// reqwest's client, its connections kept for the next request (sign-ins, batches).
    Pooled,
    /// A connection of its own, the body read straight into its buffer ([`wire`]): one
    /// lookup whose answer may be large, for the screen. Pooled all the same through a proxy.
    Direct,
}

/// How a lookup's answer is read.
#[derive(Clone, Default)]
pub enum Reading {
    /// Whole, transcript included (the command line, a batch).
    #[default]
    Whole,
    /// For the screen: a big answer without its transcript and redials, which are read
    /// after its first frame; and, with a sink, its first part handed to it while the rest
    /// arrives ([`Preview`]).
    ForScreen(Option<PreviewSink>),
}

/// The client. Cheap to clone: the connection pool is shared.
#[derive(Clone)]
pub struct Client {
    /// Built on the first request: loading the platform's roots takes milliseconds that
    /// `open FILE` (which may never send anything) should not wait for.
    http: std::sync::Arc<std::sync::OnceLock<Result<reqwest::Client, Cause>>>,
    /// The direct route's connection, kept between lookups ([`wire::Idle`]).
    idle: wire::Idle,
    base: String,
    opts: ClientOptions,
}

impl Client {
    pub fn new(opts: ClientOptions) -> Result<Self, ApiError> {
        let base = validate_base_url(&opts.base_url, opts.allow_http)?;
        Ok(Client {
            http: Default::default(),
            idle: Default::default(),
            base,
            opts,
        })
    }

    /// The HTTP client, built the first time it is needed.
    fn http(&self) -> Result<&reqwest::Client, ApiError> {
        self.http
            .get_or_init(|| self.build_http().map_err(Cause::new))
            .as_ref()
            .map_err(|cause| ApiError::Network {
                target: self.base.clone(),
                detail: cause.to_string(),
                cause: Some(cause.clone()),
            })
    }

    fn build_http(&self) -> reqwest::Result<reqwest::Client> {
        let base = &self.base;
        let timeout = self.opts.timeout.max(Duration::from_millis(1));
        let mut builder = reqwest::Client::builder()
            .user_agent("Airudder")
            .connect_timeout(connect_timeout(timeout))
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(90));
        // A proxy from the environment must not see a loopback exchange (and its token).
        if reqwest::Url::parse(base).is_ok_and(|u| is_loopback(&u)) {
            builder = builder.no_proxy();
        }
        // Redirects are not followed, so a plain-http base URL never meets TLS: loading the
        // platform's roots would only cost time.
        if base.starts_with("http://") {
            builder = builder.tls_built_in_root_certs(false);
        }
        builder.build()
    }

    /// Whether reqwest would send through a proxy set in the environment: the direct route
    /// does not speak to proxies, so such requests take the pooled one. Loopback never does.
    fn proxied(&self) -> bool {
        reqwest::Url::parse(&self.base)
            .is_ok_and(|u| url::proxy_applies(&u, |name| std::env::var_os(name)))
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base
    }

    /// Asks the verify endpoint for one case and reads the whole answer.
    pub async fn verify(&self, token: &Secret, query: &Query) -> Result<Answer, ApiError> {
        self.verify_as(token, query, Reading::Whole).await
    }

    /// [`Client::verify`], the answer read as `reading` says.
    pub async fn verify_as(
        &self,
        token: &Secret,
        query: &Query,
        reading: Reading,
    ) -> Result<Answer, ApiError> {
        let (route, preview) = match &reading {
            Reading::Whole => (Route::Pooled, None),
            Reading::ForScreen(preview) => (Route::Direct, preview.clone()),
        };
        let (exchange, scan) = self
            .post_json(VERIFY_PATH, Some(token), query.body(), route, preview)
            .await?;
        let encrypted = self.opts.aes.is_some();
        let parse = |body: &[u8]| match reading {
            Reading::ForScreen(_) => parse_for_screen(body, scan),
            Reading::Whole => parse_whole(body),
        };
        interpret_with(exchange, token.expose(), parse)
            .map(|mut a| {
                a.encrypted = encrypted;
                a
            })
            .map_err(|e| e.redacted(token.expose()))
    }
}
