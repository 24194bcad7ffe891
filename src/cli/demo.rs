//! `rudder-inspect demo`: the built-in loopback server with sample cases.

use std::io::Write;
use std::process::ExitCode;

use crate::api::ApiError;
use crate::api::Secret;
use crate::api::aes::AesKey;
use crate::api::error::Origin;
use crate::demo::{DEMO_APP_KEY, DEMO_APP_SECRET, FAULT_CALLEES, serve_with};

pub async fn run(
    ui: &super::UiArgs,
    serve_only: bool,
    port: u16,
    aes_key: Option<&str>,
) -> Result<ExitCode, ApiError> {
    let aes = aes_key
        .map(|k| {
            AesKey::new(Secret::labelled("AesKey", k)).map_err(|detail| ApiError::Setting {
                origin: Origin::Flag("--aes-key"),
                detail,
                encoding: false,
            })
        })
        .transpose()?;
    let server = serve_with(port, aes).await.map_err(|e| ApiError::Listen {
        addr: format!("127.0.0.1:{port} (--port)"),
        cause: crate::api::error::Cause::new(e),
    })?;
    if !serve_only {
        return super::tui::start(
            &super::ConnArgs::default(),
            ui,
            super::tui::Start::Demo(server),
        )
        .await;
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "url: {}", server.url());
    let _ = writeln!(out, "token: {}", server.token());
    let _ = writeln!(out, "app_key: {DEMO_APP_KEY}");
    let _ = writeln!(out, "app_secret: {DEMO_APP_SECRET}");
    if let Some(k) = aes_key {
        let _ = writeln!(out, "aes_key: {k}  (the AES transport only)");
    }
    let _ = writeln!(out, "cases:");
    for c in &server.cases {
        let _ = writeln!(
            out,
            "  {}  --workflow-id {} --node-id {} --callee {}{}",
            c.name,
            c.query.workflow_id,
            c.query.node_id,
            c.query.callee,
            c.query
                .case_id
                .as_deref()
                .map(|id| format!(" --case-id {id}"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(out, "faults (any workflow/node ids):");
    for (callee, what) in FAULT_CALLEES {
        let _ = writeln!(out, "  --callee {callee}  {what}");
    }
    let _ = writeln!(
        out,
        "try: AIRUDDER_TOKEN={} rudder-inspect --base-url {} query ...",
        server.token(),
        server.url()
    );
    let _ = out.flush();
    drop(out);
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = server.wait() => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// `demo --review`: the sample cases saved as `batch --save` saves them, in the state
/// directory (`demo-review`, the verdicts kept from one run to the next), opened as a review.
pub async fn review(conn: &super::ConnArgs, ui: &super::UiArgs) -> Result<ExitCode, ApiError> {
    let dir = crate::config::state_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("demo-review");
    let file_error = |detail: String| ApiError::File {
        path: dir.display().to_string(),
        detail,
        cause: None,
    };
    std::fs::create_dir_all(&dir).map_err(|e| file_error(e.to_string()))?;
    for (row, case) in crate::demo::cases().iter().enumerate() {
        let name = super::batch::file_name(row as u64 + 1, &case.query.callee);
        let path = dir.join(name);
        // Written afresh each run: the samples are the binary's.
        crate::files::write_whole(&path, case.body).map_err(|e| file_error(e.to_string()))?;
    }
    let (listing, marks) = super::review::open(&dir)?;
    super::tui::start(
        conn,
        ui,
        super::tui::Start::Review {
            listing,
            marks,
            title: format!("demo review ({})", dir.display()),
        },
    )
    .await
}
