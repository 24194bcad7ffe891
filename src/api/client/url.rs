//! The base URL: what is accepted, and which hosts are this machine.

use crate::api::error::ApiError;
use crate::text::one_line;

pub(super) fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Whether reqwest would send a request to `url` through a proxy the environment sets
/// (`env` looks a variable up): `HTTP_PROXY` or `HTTPS_PROXY` by scheme, or `ALL_PROXY`, in
/// upper or lower case. Loopback never goes through one (the client says `no_proxy`).
/// `NO_PROXY` is not read: where it applies, reqwest goes direct all the same.
pub(super) fn proxy_applies(
    url: &reqwest::Url,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    if is_loopback(url) {
        return false;
    }
    let by_scheme = if url.scheme() == "https" {
        "HTTPS_PROXY"
    } else {
        "HTTP_PROXY"
    };
    [by_scheme, "ALL_PROXY"].iter().any(|name| {
        [name.to_string(), name.to_ascii_lowercase()]
            .iter()
            .any(|n| env(n).is_some_and(|v| !v.is_empty()))
    })
}

/// Checks a base URL: http(s) only, and plain http only to loopback unless allowed.
/// Returns it normalised, without a trailing `/`; no user, password, query or fragment.
pub(crate) fn validate_base_url(url: &str, allow_http: bool) -> Result<String, ApiError> {
    let trimmed = url.trim().trim_end_matches('/');
    let shown = || crate::text::clip(&one_line(url), 200);
    let parsed = reqwest::Url::parse(trimmed).map_err(|e| ApiError::BadUrl {
        url: shown(),
        reason: e.to_string(),
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        let mut safe = parsed.clone();
        let _ = safe.set_username("");
        let _ = safe.set_password(None);
        return Err(ApiError::BadUrl {
            url: safe.as_str().trim_end_matches('/').to_string(),
            reason: "a user name or password in the URL is not supported".into(),
        });
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(ApiError::BadUrl {
            url: shown(),
            reason: "the base URL cannot have a query (?) or fragment (#)".into(),
        });
    }
    match parsed.scheme() {
        "https" => {}
        "http" => {
            if !is_loopback(&parsed) && !allow_http {
                return Err(ApiError::InsecureUrl {
                    host: parsed.host_str().unwrap_or("").to_string(),
                });
            }
        }
        other => {
            return Err(ApiError::BadUrl {
                url: one_line(url),
                reason: format!("scheme {other:?} is not http or https"),
            });
        }
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::BadUrl {
            url: one_line(url),
            reason: "no host".into(),
        });
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_to_loopback() {
        assert!(validate_base_url("http://127.0.0.1:8080/", false).is_ok());
        assert!(validate_base_url("http://localhost:1", false).is_ok());
        assert!(validate_base_url("http://[::1]:1", false).is_ok());
        assert_eq!(
            validate_base_url("http://api.airudder.com", false),
            Err(ApiError::InsecureUrl {
                host: "api.airudder.com".into()
            })
        );
        assert!(validate_base_url("http://api.airudder.com", true).is_ok());
        assert!(validate_base_url("https://api.airudder.com/", false).is_ok());
        assert!(matches!(
            validate_base_url("ftp://x", false),
            Err(ApiError::BadUrl { .. })
        ));
        assert!(matches!(
            validate_base_url("not a url", false),
            Err(ApiError::BadUrl { .. })
        ));
        assert_eq!(
            validate_base_url("https://h.example/api/", false).unwrap(),
            "https://h.example/api"
        );
    }

    #[test]
    fn a_proxy_applies_by_scheme_except_to_loopback() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        let env = |set: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                set.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        let remote = url("https://api.airudder.com");
        assert!(!proxy_applies(&remote, env(&[])));
        assert!(proxy_applies(
            &remote,
            env(&[("HTTPS_PROXY", "http://p:3128")])
        ));
        assert!(proxy_applies(
            &remote,
            env(&[("https_proxy", "http://p:3128")])
        ));
        assert!(proxy_applies(&remote, env(&[("all_proxy", "socks5://p")])));
        assert!(!proxy_applies(
            &remote,
            env(&[("HTTP_PROXY", "http://p:3128")])
        ));
        assert!(!proxy_applies(&remote, env(&[("HTTPS_PROXY", "")])));
        let plain = url("http://10.0.0.5:8080");
        assert!(proxy_applies(
            &plain,
            env(&[("http_proxy", "http://p:3128")])
        ));
        let here = url("http://127.0.0.1:8080");
        assert!(!proxy_applies(
            &here,
            env(&[("ALL_PROXY", "http://p:3128")])
        ));
    }
}
