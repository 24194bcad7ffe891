//! `login` and `logout`: sign in with the APPKey/APPSecret now, or forget the cached token.

use std::process::ExitCode;

use super::ConnArgs;
use super::conn::{print_warnings, resolve};
use crate::api::auth::TOKEN_LIFETIME;
use crate::api::{ApiError, Auth};

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
    let conn = resolve(args, &loaded)?;
    print_warnings(&conn.warnings);
    match conn.auth.clone() {
        Some(Auth::SignIn { creds, cache }) => Ok((conn, creds, cache)),
        Some(Auth::Token(_)) => Err(ApiError::Config {
            path: "login".into(),
            detail: "a token is set (AIRUDDER_TOKEN or a token file), which wins over APPKey/APPSecret; unset it to sign in".into(),
        }),
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

pub fn logout(args: &ConnArgs) -> Result<ExitCode, ApiError> {
    let (conn, creds, cache) = creds_conn(args)?;
    let base = crate::api::client::validate_base_url(&conn.opts.base_url, conn.opts.allow_http)?;
    let removed = cache
        .remove(&base, &creds.app_key)
        .map_err(|e| ApiError::File {
            path: cache
                .path(&base, &creds.app_key)
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            detail: e.to_string(),
        })?;
    if removed {
        println!(
            "forgot the cached token for APPKey {} at {base}",
            creds.key_hint()
        );
    } else {
        println!("no cached token for APPKey {} at {base}", creds.key_hint());
    }
    Ok(ExitCode::SUCCESS)
}
