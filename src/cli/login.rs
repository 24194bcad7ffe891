//! `login` and `logout`: sign in with the APPKey/APPSecret now, or forget the cached token.

use std::process::ExitCode;

use super::ConnArgs;
use super::conn::{print_warnings, resolve};
use crate::api::auth::TOKEN_LIFETIME;
use crate::api::{ApiError, Auth, TokenCache};

fn creds_conn(
    args: &ConnArgs,
) -> Result<
    (
        super::conn::Conn,
        crate::api::Credentials,
        crate::api::TokenCache,
    ),
    ApiError,
> {
    let loaded = crate::config::load(args.config.as_deref());
    let mut conn = resolve(args, &loaded)?;
    print_warnings(&conn.warnings);
    match conn.auth.clone() {
        Some(Auth::SignIn { creds, cache }) => Ok((conn, creds, cache)),
        // A token wins for queries; `login` is asked to sign in with the keys all the same.
        Some(Auth::Token(_)) => match super::conn::credentials_only(args, &loaded)? {
            Some(creds) => {
                let cache = TokenCache::default_dir();
                conn.auth = Some(Auth::SignIn {
                    creds: creds.clone(),
                    cache: cache.clone(),
                });
                Ok((conn, creds, cache))
            }
            None => Err(ApiError::Config {
                path: "login".into(),
                detail: format!(
                    "signs in with the APPKey and APPSecret, and none are set (the token from {} is used as it is)",
                    conn.token_source.as_deref().unwrap_or("the user")
                ),
            }),
        },
        None => Err(ApiError::NoToken),
    }
}

pub async fn login(args: &ConnArgs) -> Result<ExitCode, ApiError> {
    let (conn, creds, _) = creds_conn(args)?;
    let session = conn.session()?;
    let (_token, issued_at) = session.sign_in().await?;
    let issued = chrono::DateTime::from_timestamp(issued_at, 0)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default();
    println!(
        "signed in to {} as APPKey {}: token issued {issued}, valid for {} h (reused for 23 h, then renewed)",
        session.client.base_url(),
        creds.key_hint(),
        TOKEN_LIFETIME.as_secs() / 3600
    );
    Ok(ExitCode::SUCCESS)
}

/// Forgets the cached token of (base URL, APPKey): the cache is keyed by those two alone, so
/// no APPSecret (nor token) is needed.
pub fn logout(args: &ConnArgs) -> Result<ExitCode, ApiError> {
    let loaded = crate::config::load(args.config.as_deref());
    let mut warnings = loaded.warnings.clone();
    let (name, profile) = super::conn::profile(args, &loaded, &mut warnings)?;
    print_warnings(&warnings);
    let label = name.map(|n| format!("profile {n}")).unwrap_or_default();
    let (base, _) = super::conn::base_url(args, &profile, &label);
    let allow_http = args.allow_http || profile.allow_http.unwrap_or(false);
    let base = crate::api::client::validate_base_url(&base, allow_http)?;
    let app_key = super::conn::app_key(args, &profile).ok_or_else(|| ApiError::Config {
        path: "logout".into(),
        detail: "no APPKey: give --app-key, AIRUDDER_APP_KEY or a profile's app_key".into(),
    })?;
    let hint = crate::api::auth::key_hint(&app_key);
    let cache = TokenCache::default_dir();
    let removed = cache.remove(&base, &app_key).map_err(|e| {
        ApiError::File {
            path: cache
                .path(&base, &app_key)
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            detail: e.to_string(),
            cause: None,
        }
        .caused_by(e)
    })?;
    if removed {
        println!("forgot the cached token for APPKey {hint} at {base}");
    } else {
        println!("no cached token for APPKey {hint} at {base}");
    }
    Ok(ExitCode::SUCCESS)
}
