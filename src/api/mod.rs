//! Talking to the endpoint: the tolerant model of its answer, the HTTP client, its errors.

pub mod aes;
pub mod auth;
pub mod client;
pub mod error;
pub mod model;
pub mod net;
pub(crate) mod secret;
pub mod tolerant;

pub use auth::{Auth, Credentials, Session, TokenCache};
pub use client::{Answer, Client, ClientOptions, Exchange, Preview, PreviewSink, Query, Reading};
pub use error::ApiError;
pub use model::{Data, Document, parse_document};
pub use secret::Secret;

/// The path of the verify call, under the base URL.
pub const VERIFY_PATH: &str = "/service/cloud/workflow/apinoticeinfo";
/// The documented base URL.
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.airudder.com";
