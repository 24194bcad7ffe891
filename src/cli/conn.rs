//! Where a query goes and how it is signed: flags, then the environment, then the config
//! profile, then defaults. Secrets (token, APPSecret, AES key) are never flag values.

use std::path::Path;
use std::time::Duration;

use super::ConnArgs;
use crate::api::aes::AesKey;
use crate::api::client::{DEFAULT_MAX_BODY, DEFAULT_TIMEOUT_SECS};
use crate::api::error::Origin;
use crate::api::{
    ApiError, Auth, Client, ClientOptions, Credentials, DEFAULT_BASE_URL, Secret, Session,
    TokenCache,
};
use crate::config::{Loaded, Profile, expand_tilde, shared_file_warning};

pub const ENV_TOKEN: &str = "AIRUDDER_TOKEN";
pub const ENV_BASE_URL: &str = "AIRUDDER_BASE_URL";
pub const ENV_APP_KEY: &str = "AIRUDDER_APP_KEY";
pub const ENV_APP_SECRET: &str = "AIRUDDER_APP_SECRET";
pub const ENV_AES_KEY: &str = "AIRUDDER_AES_KEY";

/// A resolved connection.
#[derive(Clone)]
pub struct Conn {
    pub opts: ClientOptions,
    /// Where the base URL came from: `--base-url`, `AIRUDDER_BASE_URL`, `profile NAME`, `default`.
    pub base_source: String,
    /// How requests get a token; `None` when nothing was configured.
    pub auth: Option<Auth>,
    /// Where the token came from, for the status bar (never the token).
    pub token_source: Option<String>,
    pub profile: Option<String>,
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn")
            .field("base_url", &self.opts.base_url)
            .field("token_source", &self.token_source)
            .finish_non_exhaustive()
    }
}

impl Conn {
    /// The client and its way to a token, or why there is none.
    pub fn session(&self) -> Result<Session, ApiError> {
        let client = Client::new(self.opts.clone())?;
        let auth = self.auth.clone().ok_or(ApiError::NoToken)?;
        Ok(Session::new(client, auth))
    }

    /// Words for the status bar.
    pub fn describe(&self) -> Option<String> {
        match &self.auth {
            Some(Auth::Token(_)) => Some(format!(
                "token from {}",
                self.token_source.as_deref().unwrap_or("the user")
            )),
            Some(Auth::SignIn { creds, .. }) => Some(format!("signed in as {}", creds.key_hint())),
            None => None,
        }
    }
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The most a token, key or secret file may hold.
const SECRET_FILE_LIMIT: u64 = 16 * 1024;

/// Reads a secret from a file (`by` names the flag or profile key that named it), warning
/// when others can read it.
pub fn read_secret_file(
    path: &Path,
    by: &str,
    label: &'static str,
    warnings: &mut Vec<String>,
) -> Result<Secret, ApiError> {
    let path = expand_tilde(path);
    let origin = Origin::File {
        by: by.to_string(),
        path: path.display().to_string(),
    };
    // A token, a key or a secret is a line: 16 KiB is far more than any of them.
    let bytes =
        crate::files::read_small(&path, SECRET_FILE_LIMIT, "a secret").map_err(|detail| {
            ApiError::File {
                path: format!("{} ({by})", path.display()),
                detail,
                cause: None,
            }
        })?;
    let text = String::from_utf8(bytes).map_err(|_| ApiError::Setting {
        origin: origin.clone(),
        detail: "is not UTF-8 text (saved as UTF-16?)".into(),
        encoding: true,
    })?;
    if let Some(w) = shared_file_warning(&path) {
        warnings.push(w);
    }
    secret_from(origin, label, text)
}

/// A secret from `text` (a file's content or a variable's value), refused when it is empty,
/// starts with a byte-order mark or has a line break or control character inside: none of
/// them can go in a header, and the message names where it came from.
pub fn secret_from(origin: Origin, label: &'static str, text: String) -> Result<Secret, ApiError> {
    let secret = Secret::labelled(label, text);
    let bad = |detail: &str, encoding: bool| ApiError::Setting {
        origin: origin.clone(),
        detail: detail.to_string(),
        encoding,
    };
    let value = secret.expose();
    if value.starts_with('\u{feff}') {
        return Err(bad(
            "starts with a byte-order mark (saved as \"UTF-8 with BOM\"?)",
            true,
        ));
    }
    if value.contains('\0') {
        return Err(bad("holds NUL bytes (saved as UTF-16?)", true));
    }
    if value.chars().any(char::is_control) {
        return Err(bad(
            "has a line break or control character inside: it must be one line",
            false,
        ));
    }
    if secret.is_empty() {
        return Err(bad("is empty", false));
    }
    Ok(secret)
}

/// The AES key: `--aes-key-file`, else `AIRUDDER_AES_KEY`, else the profile's `aes_key_file`.
pub fn aes_key(
    args: &ConnArgs,
    profile_name: Option<&str>,
    profile: &Profile,
    warnings: &mut Vec<String>,
) -> Result<Option<AesKey>, ApiError> {
    let found = if let Some(p) = &args.aes_key_file {
        Some(("--aes-key-file".to_string(), p))
    } else if let Some(k) = env_nonempty(ENV_AES_KEY) {
        let origin = Origin::Env(ENV_AES_KEY.into());
        let key = secret_from(origin.clone(), "AesKey", k)?;
        return AesKey::new(key)
            .map(Some)
            .map_err(|detail| aes_setting(origin, detail));
    } else {
        profile
            .aes_key_file
            .as_ref()
            .map(|p| (format!("{} aes_key_file", profile_words(profile_name)), p))
    };
    let Some((by, path)) = found else {
        return Ok(None);
    };
    let key = read_secret_file(path, &by, "AesKey", warnings)?;
    AesKey::new(key).map(Some).map_err(|detail| {
        aes_setting(
            Origin::File {
                by,
                path: expand_tilde(path).display().to_string(),
            },
            detail,
        )
    })
}

fn aes_setting(origin: Origin, detail: String) -> ApiError {
    ApiError::Setting {
        origin,
        detail,
        encoding: false,
    }
}

/// `profile NAME`, or `the config` for settings outside any profile.
fn profile_words(name: Option<&str>) -> String {
    name.map(|n| format!("profile {n}"))
        .unwrap_or_else(|| "the config".into())
}

/// The checks the flags get (`--timeout` and `--max-body` are at least 1), for a profile.
fn check_profile(name: &str, p: &Profile) -> Result<(), String> {
    let name = crate::text::clean(name);
    if p.timeout == Some(0) {
        return Err(format!(
            "[profile.{name}] timeout = 0: give at least 1 (seconds, as --timeout)"
        ));
    }
    if p.max_body == Some(0) {
        return Err(format!(
            "[profile.{name}] max_body = 0: every answer would be refused; give a size in bytes, at least 1 (as --max-body)"
        ));
    }
    Ok(())
}

/// The profile named by `--profile`, else the config's `default_profile`.
pub fn profile(
    args: &ConnArgs,
    loaded: &Loaded,
    warnings: &mut Vec<String>,
) -> Result<(Option<String>, Profile), ApiError> {
    let config_path = loaded
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "config.toml".into());
    match args
        .profile
        .as_ref()
        .or(loaded.config.default_profile.as_ref())
    {
        None => Ok((None, Profile::default())),
        Some(name) => match loaded.config.profile.get(name) {
            Some(p) => {
                check_profile(name, p).map_err(|detail| ApiError::Config {
                    path: config_path,
                    detail,
                })?;
                Ok((Some(name.clone()), p.clone()))
            }
            None if args.profile.is_some() => {
                let have: Vec<&str> = loaded.config.profile.keys().map(String::as_str).collect();
                Err(ApiError::Config {
                    path: config_path,
                    detail: if have.is_empty() {
                        format!("no profile {name:?} (the config defines none)")
                    } else {
                        format!("no profile {name:?} (have: {})", have.join(", "))
                    },
                })
            }
            None => {
                warnings.push(format!(
                    "default_profile {name:?} is not defined in {config_path}; ignoring it"
                ));
                Ok((None, Profile::default()))
            }
        },
    }
}

/// Resolves flags, environment and config into a connection.
pub fn resolve(args: &ConnArgs, loaded: &Loaded) -> Result<Conn, ApiError> {
    let mut warnings = loaded.warnings.clone();
    let (profile_name, profile) = profile(args, loaded, &mut warnings)?;
    let profile_label = profile_name
        .as_ref()
        .map(|n| format!("profile {n}"))
        .unwrap_or_default();

    let (base_url, base_source) = base_url(args, &profile, &profile_label);
    let allow_http = args.allow_http || profile.allow_http.unwrap_or(false);
    // Say which of flag, variable or profile gave the URL that is refused.
    crate::api::client::validate_base_url(&base_url, allow_http).map_err(|e| match e {
        ApiError::BadUrl { url, reason } if base_source != "default" => ApiError::BadUrl {
            url,
            reason: format!("{reason} (from {base_source})"),
        },
        other => other,
    })?;
    let opts = ClientOptions {
        base_url,
        // Both sources are checked to be at least 1 (clap, check_profile).
        timeout: Duration::from_secs(
            args.timeout
                .or(profile.timeout)
                .unwrap_or(DEFAULT_TIMEOUT_SECS),
        ),
        max_body: args
            .max_body
            .or(profile.max_body)
            .unwrap_or(DEFAULT_MAX_BODY),
        allow_http,
        aes: aes_key(args, profile_name.as_deref(), &profile, &mut warnings)?,
    };

    // An explicit token wins; otherwise sign in with the account's keys.
    let explicit: Option<(Secret, String)> = if let Some(path) = &args.token_file {
        Some((
            read_secret_file(path, "--token-file", "Token", &mut warnings)?,
            "--token-file".into(),
        ))
    } else if let Some(t) = env_nonempty(ENV_TOKEN) {
        Some((
            secret_from(Origin::Env(ENV_TOKEN.into()), "Token", t)?,
            format!("env {ENV_TOKEN}"),
        ))
    } else if let Some(path) = &profile.token_file {
        let by = format!("{profile_label} token_file");
        Some((read_secret_file(path, &by, "Token", &mut warnings)?, by))
    } else if let Some(var) = &profile.token_env {
        match env_nonempty(var) {
            Some(t) => Some((
                secret_from(Origin::Env(var.clone()), "Token", t)?,
                format!("env {var}"),
            )),
            None => {
                warnings.push(format!("{profile_label}: token_env {var} is not set"));
                None
            }
        }
    } else {
        None
    };
    let (auth, token_source) = match explicit {
        Some((token, source)) => (Some(Auth::Token(token)), Some(source)),
        None => match credentials(args, &profile, &profile_label, &mut warnings)? {
            Some(creds) => {
                let hint = creds.key_hint();
                (
                    Some(Auth::SignIn {
                        creds,
                        cache: TokenCache::default_dir(),
                    }),
                    Some(format!("APPKey {hint}")),
                )
            }
            None => (None, None),
        },
    };
    Ok(Conn {
        opts,
        base_source,
        auth,
        token_source,
        profile: profile_name,
        warnings,
    })
}

/// The base URL and where it came from: `--base-url`, `AIRUDDER_BASE_URL`, the profile
/// (`profile_label`), else the documented one.
pub fn base_url(args: &ConnArgs, profile: &Profile, profile_label: &str) -> (String, String) {
    if let Some(u) = &args.base_url {
        (u.clone(), "--base-url".to_string())
    } else if let Some(u) = env_nonempty(ENV_BASE_URL) {
        (u, ENV_BASE_URL.to_string())
    } else if let Some(u) = &profile.base_url {
        (u.clone(), profile_label.to_string())
    } else {
        (DEFAULT_BASE_URL.to_string(), "default".to_string())
    }
}

/// The APPKey from `--app-key`, `AIRUDDER_APP_KEY` or the profile.
pub fn app_key(args: &ConnArgs, profile: &Profile) -> Option<String> {
    args.app_key
        .clone()
        .or_else(|| env_nonempty(ENV_APP_KEY))
        .or_else(|| profile.app_key.clone())
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
}

/// The APPKey and APPSecret alone, whatever token is set too (for `login`).
pub fn credentials_only(args: &ConnArgs, loaded: &Loaded) -> Result<Option<Credentials>, ApiError> {
    let mut warnings = Vec::new();
    let (name, profile) = profile(args, loaded, &mut warnings)?;
    let label = profile_words(name.as_deref());
    credentials(args, &profile, &label, &mut warnings)
}

/// APPKey and APPSecret from flags, environment or profile; both or neither.
fn credentials(
    args: &ConnArgs,
    profile: &Profile,
    label: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<Credentials>, ApiError> {
    let key = app_key(args, profile);
    let secret = if let Some(p) = &args.app_secret_file {
        Some(read_secret_file(
            p,
            "--app-secret-file",
            "AppSecret",
            warnings,
        )?)
    } else if let Some(s) = env_nonempty(ENV_APP_SECRET) {
        Some(secret_from(
            Origin::Env(ENV_APP_SECRET.into()),
            "AppSecret",
            s,
        )?)
    } else if let Some(p) = &profile.app_secret_file {
        let by = format!("{label} app_secret_file");
        Some(read_secret_file(p, &by, "AppSecret", warnings)?)
    } else if let Some(var) = &profile.app_secret_env {
        let s = env_nonempty(var)
            .map(|s| secret_from(Origin::Env(var.clone()), "AppSecret", s))
            .transpose()?;
        if s.is_none() {
            warnings.push(format!("{label}: app_secret_env {var} is not set"));
        }
        s
    } else {
        None
    };
    match (key, secret) {
        (Some(app_key), Some(app_secret)) => Ok(Some(Credentials {
            app_key,
            app_secret,
        })),
        (Some(_), None) => {
            warnings.push(
                "an APPKey is set but no APPSecret (AIRUDDER_APP_SECRET or --app-secret-file)"
                    .into(),
            );
            Ok(None)
        }
        (None, Some(_)) => {
            warnings
                .push("an APPSecret is set but no APPKey (AIRUDDER_APP_KEY or --app-key)".into());
            Ok(None)
        }
        (None, None) => Ok(None),
    }
}

/// Prints config and permission warnings on stderr.
pub fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {}", crate::text::one_line(w));
    }
}
