//! Where a lookup connects, and how: the target from the base URL, the addresses tried as
//! reqwest's connector tries them, TLS with the platform's roots, and the connection kept
//! between lookups.

use std::io;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::net::TcpStream;
use tokio_rustls::rustls;

use super::super::failure::connect_kind;
use super::{Io, WireError};
use crate::api::error::ConnectKind;

/// Where a request goes: from a validated base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::api::client) struct Target {
    pub(super) tls: bool,
    /// The host to connect to and to name in TLS (an IPv6 address without brackets).
    pub(super) host: String,
    pub(super) port: u16,
    /// What the `Host` header says.
    pub(super) authority: String,
}

impl Target {
    pub(in crate::api::client) fn of(url: &reqwest::Url) -> Option<Target> {
        let tls = match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return None,
        };
        let host = match url.host()? {
            url::Host::Domain(d) => d.to_string(),
            url::Host::Ipv4(ip) => ip.to_string(),
            url::Host::Ipv6(ip) => ip.to_string(),
        };
        let port = url.port_or_known_default()?;
        let authority = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str()?),
            None => url.host_str()?.to_string(),
        };
        Some(Target {
            tls,
            host,
            port,
            authority,
        })
    }
}

/// The connection a finished exchange left open, kept for the next lookup to the same place
/// (shared by a client's clones): a lookup after the first pays no TCP or TLS handshake.
#[derive(Clone, Default)]
pub(in crate::api::client) struct Idle(Arc<std::sync::Mutex<Option<Kept>>>);

struct Kept {
    target: Target,
    io: Box<dyn Io>,
    since: std::time::Instant,
}

impl Idle {
    /// Kept no longer than this: servers close idle connections, and one closed is found out
    /// only by using it.
    const FOR: Duration = Duration::from_secs(60);

    pub(super) fn take(&self, target: &Target) -> Option<Box<dyn Io>> {
        let kept = self.0.lock().ok()?.take()?;
        (kept.target == *target && kept.since.elapsed() < Self::FOR).then_some(kept.io)
    }

    pub(super) fn put(&self, target: Target, io: Box<dyn Io>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(Kept {
                target,
                io,
                since: std::time::Instant::now(),
            });
        }
    }
}

impl std::fmt::Debug for Idle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Idle")
    }
}

pub(super) async fn connect(target: &Target, within: Duration) -> Result<Box<dyn Io>, WireError> {
    tracing::debug!(host = %target.host, port = target.port, tls = target.tls, "connecting");
    let tcp = connect_tcp(&target.host, target.port, within).await?;
    // The request goes in one write; an answer's last segment should not wait either.
    let _ = tcp.set_nodelay(true);
    if !target.tls {
        return Ok(Box::new(tcp));
    }
    let tls_error = |detail: String| WireError::Connect {
        kind: ConnectKind::Tls,
        detail,
    };
    let config = tls_config().map_err(tls_error)?;
    let name = rustls::pki_types::ServerName::try_from(target.host.clone())
        .map_err(|e| tls_error(format!("{e}")))?;
    let stream = tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| tls_error(format!("TLS handshake: {e}")))?;
    tracing::trace!("TLS handshake done");
    Ok(Box::new(stream))
}

/// Connects to the first of `host`'s addresses that answers, as reqwest's connector does: in
/// the resolver's order, each given its share of `within`, and the other address family from
/// 300 ms after the first attempt began (RFC 8305), so an IPv6 route that drops packets does
/// not cost the whole connect timeout.
pub(super) async fn connect_tcp(
    host: &str,
    port: u16,
    within: Duration,
) -> Result<TcpStream, WireError> {
    let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(connect_error)?
        .collect();
    let Some(first) = addrs.first().copied() else {
        return Err(WireError::Connect {
            kind: ConnectKind::Dns,
            detail: format!("{host} has no address"),
        });
    };
    let share = within / u32::try_from(addrs.len()).unwrap_or(u32::MAX).max(1);
    let (primary, fallback): (Vec<_>, Vec<_>) = addrs
        .into_iter()
        .partition(|a| a.is_ipv6() == first.is_ipv6());
    let primary = one_by_one(primary, share);
    if fallback.is_empty() {
        return primary.await.map_err(connect_error);
    }
    let fallback = async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        one_by_one(fallback, share).await
    };
    tokio::pin!(primary, fallback);
    let connected = tokio::select! {
        r = &mut primary => match r {
            Ok(s) => Ok(s),
            Err(e) => fallback.await.map_err(|_| e),
        },
        r = &mut fallback => match r {
            Ok(s) => Ok(s),
            Err(e) => primary.await.map_err(|_| e),
        },
    };
    connected.map_err(connect_error)
}

/// The first of `addrs` that takes the connection, each tried for at most `share`.
async fn one_by_one(addrs: Vec<std::net::SocketAddr>, share: Duration) -> io::Result<TcpStream> {
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
    for addr in addrs {
        match tokio::time::timeout(share, TcpStream::connect(addr)).await {
            Ok(Ok(s)) => return Ok(s),
            Ok(Err(e)) => last = e,
            Err(_) => {
                last = io::Error::new(io::ErrorKind::TimedOut, format!("{addr} did not answer"))
            }
        }
    }
    Err(last)
}

fn connect_error(e: io::Error) -> WireError {
    if e.kind() == io::ErrorKind::TimedOut {
        return WireError::Timeout { connecting: true };
    }
    let text = e.to_string();
    let kind = connect_kind(
        &text.to_ascii_lowercase(),
        e.kind() == io::ErrorKind::ConnectionRefused,
    );
    WireError::Connect { kind, detail: text }
}

/// The platform's roots (as reqwest loads them), once per process.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            let (added, _) = roots.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err("no root certificates were found on this machine".into());
            }
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let mut config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| e.to_string())?
                .with_root_certificates(roots)
                .with_no_client_auth();
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            Ok(Arc::new(config))
        })
        .clone()
}
