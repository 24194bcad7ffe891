//! Where a query goes and with which token: flags, then the environment, then the config
//! profile, then defaults. The token is never a flag value.

use std::path::Path;
use std::time::Duration;

use super::ConnArgs;
use crate::api::client::{DEFAULT_MAX_BODY, DEFAULT_TIMEOUT_SECS};
use crate::api::{ApiError, ClientOptions, DEFAULT_BASE_URL, Secret};
use crate::config::{Loaded, Profile, expand_tilde, shared_file_warning};

pub const ENV_TOKEN: &str = "AIRUDDER_TOKEN";
pub const ENV_BASE_URL: &str = "AIRUDDER_BASE_URL";

/// A resolved connection.
#[derive(Debug, Clone)]
pub struct Conn {
    pub opts: ClientOptions,
    /// Where the base URL came from: `--base-url`, `AIRUDDER_BASE_URL`, `profile NAME`, `default`.
    pub base_source: String,
    pub token: Option<Secret>,
    /// Where the token came from, for the status bar (never the token).
    pub token_source: Option<String>,
    pub profile: Option<String>,
    pub warnings: Vec<String>,
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Reads a secret from a file, warning when others can read it.
pub fn read_secret_file(
    path: &Path,
    label: &'static str,
    warnings: &mut Vec<String>,
) -> Result<Secret, ApiError> {
    let path = expand_tilde(path);
    let text = std::fs::read_to_string(&path).map_err(|e| ApiError::File {
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    if let Some(w) = shared_file_warning(&path) {
        warnings.push(w);
    }
    let secret = Secret::labelled(label, text);
    if secret.is_empty() {
        return Err(ApiError::File {
            path: path.display().to_string(),
            detail: "the file is empty".into(),
        });
    }
    Ok(secret)
}

/// Resolves flags, environment and config into a connection.
pub fn resolve(args: &ConnArgs, loaded: &Loaded) -> Result<Conn, ApiError> {
    let mut warnings = loaded.warnings.clone();
    let config_path = loaded
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "config.toml".into());
    let (profile_name, profile): (Option<String>, Profile) = match args
        .profile
        .as_ref()
        .or(loaded.config.default_profile.as_ref())
    {
        None => (None, Profile::default()),
        Some(name) => match loaded.config.profile.get(name) {
            Some(p) => (Some(name.clone()), p.clone()),
            None if args.profile.is_some() => {
                let have: Vec<&str> = loaded.config.profile.keys().map(String::as_str).collect();
                return Err(ApiError::Config {
                    path: config_path,
                    detail: if have.is_empty() {
                        format!("no profile {name:?} (the config defines none)")
                    } else {
                        format!("no profile {name:?} (have: {})", have.join(", "))
                    },
                });
            }
            None => {
                warnings.push(format!(
                    "default_profile {name:?} is not defined in {config_path}; ignoring it"
                ));
                (None, Profile::default())
            }
        },
    };
    let profile_label = profile_name
        .as_ref()
        .map(|n| format!("profile {n}"))
        .unwrap_or_default();

    let (base_url, base_source) = if let Some(u) = &args.base_url {
        (u.clone(), "--base-url".to_string())
    } else if let Some(u) = env_nonempty(ENV_BASE_URL) {
        (u, ENV_BASE_URL.to_string())
    } else if let Some(u) = &profile.base_url {
        (u.clone(), profile_label.clone())
    } else {
        (DEFAULT_BASE_URL.to_string(), "default".to_string())
    };
    let opts = ClientOptions {
        base_url,
        timeout: Duration::from_secs(
            args.timeout
                .or(profile.timeout)
                .unwrap_or(DEFAULT_TIMEOUT_SECS)
                .max(1),
        ),
        max_body: args
            .max_body
            .or(profile.max_body)
            .unwrap_or(DEFAULT_MAX_BODY),
        allow_http: args.allow_http || profile.allow_http.unwrap_or(false),
    };
    crate::api::client::validate_base_url(&opts.base_url, opts.allow_http)?;

    let (token, token_source) = if let Some(path) = &args.token_file {
        (
            Some(read_secret_file(path, "Token", &mut warnings)?),
            Some("--token-file".to_string()),
        )
    } else if let Some(t) = env_nonempty(ENV_TOKEN) {
        (Some(Secret::token(t)), Some(format!("env {ENV_TOKEN}")))
    } else if let Some(path) = &profile.token_file {
        (
            Some(read_secret_file(path, "Token", &mut warnings)?),
            Some(format!("{profile_label} token_file")),
        )
    } else if let Some(var) = &profile.token_env {
        match env_nonempty(var) {
            Some(t) => (Some(Secret::token(t)), Some(format!("env {var}"))),
            None => {
                warnings.push(format!("{profile_label}: token_env {var} is not set"));
                (None, None)
            }
        }
    } else {
        (None, None)
    };
    Ok(Conn {
        opts,
        base_source,
        token,
        token_source,
        profile: profile_name,
        warnings,
    })
}

/// Prints config and permission warnings on stderr.
pub fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {}", crate::text::one_line(w));
    }
}
