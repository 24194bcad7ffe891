//! The command line: `query`, `open`, `demo`, and the TUI when no subcommand is given.

mod batch;
mod compare;
mod completions;
pub mod conn;
mod demo;
mod login;
mod open;
mod query;
mod review;
mod tui;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::advice::Advice;
use crate::api::{ApiError, Query};

/// Inspector settings.
#[derive(Args, Debug, Clone, Default)]
pub struct UiArgs {
    /// Highlight WORD in transcripts (repeatable; adds to the config's watch_words)
    #[arg(long = "watch", value_name = "WORD", global = true)]
    pub watch: Vec<String>,
    /// Where `e` writes exports [default: the working directory]
    #[arg(long, value_name = "DIR", global = true)]
    pub export_dir: Option<PathBuf>,
    /// Do not read or write the lookup history (Ctrl-R)
    #[arg(long, global = true)]
    pub no_history: bool,
    /// Mask names, phone numbers, amounts and birth dates (query, open --output, the inspector and its exports); ids stay readable
    #[arg(long, global = true)]
    pub mask: bool,
    /// Colours: dark, light or mono [default: the config's theme, else dark; NO_COLOR: mono]
    #[arg(long, value_name = "THEME", global = true, value_parser = ["dark", "light", "mono"])]
    pub theme: Option<String>,
}

#[derive(Parser, Debug)]
#[command(
    name = "rudder-inspect",
    version,
    about = "Inspect what AI Rudder pushed for one case: callee, call, redials, Q&A and transcript",
    after_help = "Without a subcommand, opens the inspector with the form prefilled from the flags."
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: ConnArgs,
    #[command(flatten)]
    pub form: FormArgs,
    #[command(flatten)]
    pub ui: UiArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where to ask and with what: shared by every subcommand.
#[derive(Args, Debug, Clone, Default)]
pub struct ConnArgs {
    /// Config profile to use (`[profile.NAME]` in config.toml)
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// API base URL [env: AIRUDDER_BASE_URL] [default: https://api.airudder.com]
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Read the API token from this file (the token is never taken as a flag value)
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// APPKey to sign in with [env: AIRUDDER_APP_KEY] (with the APPSecret)
    #[arg(long, global = true, value_name = "KEY")]
    pub app_key: Option<String>,
    /// Read the APPSecret from this file [env: AIRUDDER_APP_SECRET] (never a flag value)
    #[arg(long, global = true, value_name = "PATH")]
    pub app_secret_file: Option<PathBuf>,
    /// Read the account's AES key from this file (16, 24 or 32 bytes) [env: AIRUDDER_AES_KEY]
    #[arg(long, global = true, value_name = "PATH")]
    pub aes_key_file: Option<PathBuf>,
    /// Total time allowed for one request, in seconds [default: 30]
    #[arg(long, global = true, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// Largest answer accepted, in bytes (K, M, G suffixes allowed) [default: 64M]
    #[arg(long, global = true, value_name = "BYTES", value_parser = parse_size)]
    pub max_body: Option<u64>,
    /// Allow plain http:// to a host that is not loopback (the token travels in clear)
    #[arg(long, global = true)]
    pub allow_http: bool,
    /// Config file to read instead of the default [env: RUDDER_INSPECT_CONFIG]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// The four ids, optional: they prefill the form.
#[derive(Args, Debug, Clone, Default)]
pub struct FormArgs {
    /// Workflow id (from the push)
    #[arg(long, value_name = "ID")]
    pub workflow_id: Option<String>,
    /// API node id (from the push)
    #[arg(long, value_name = "ID")]
    pub node_id: Option<String>,
    /// Callee number, E.164 with the leading + (from the push)
    #[arg(long, value_name = "NUMBER", allow_hyphen_values = true)]
    pub callee: Option<String>,
    /// Case id (optional)
    #[arg(long, value_name = "ID")]
    pub case_id: Option<String>,
}

/// The four ids, three of them required.
#[derive(Args, Debug, Clone)]
pub struct IdArgs {
    /// Workflow id (from the push)
    #[arg(long, value_name = "ID")]
    pub workflow_id: String,
    /// API node id (from the push)
    #[arg(long, value_name = "ID")]
    pub node_id: String,
    /// Callee number, E.164 with the leading + (from the push)
    #[arg(long, value_name = "NUMBER", allow_hyphen_values = true)]
    pub callee: String,
    /// Case id (optional)
    #[arg(long, value_name = "ID")]
    pub case_id: Option<String>,
}

impl IdArgs {
    pub fn query(&self) -> Query {
        Query {
            workflow_id: self.workflow_id.trim().to_string(),
            node_id: self.node_id.trim().to_string(),
            callee: self.callee.trim().to_string(),
            case_id: self
                .case_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        }
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The answer as sent, pretty-printed
    Json,
    /// The Markdown case report
    Md,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyOutput {
    /// One line per difference and a summary
    Text,
    /// The differences as JSON
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Look up one case and print it (no TUI)
    Query {
        #[command(flatten)]
        ids: IdArgs,
        /// What to print
        #[arg(long, short, value_enum, default_value = "json")]
        output: Output,
    },
    /// Open a saved answer or a pushed webhook body (FILE, or - for stdin), plain or AES-encrypted
    Open {
        /// The file; `-` reads standard input
        file: PathBuf,
        /// A second push of the same case: compare the two (the Diff view; with --output, the differences)
        other: Option<PathBuf>,
        /// Print instead of opening the inspector
        #[arg(long, short, value_enum)]
        output: Option<Output>,
        /// The push's `Signed` header: check the decrypted body against it
        #[arg(long, value_name = "HEX")]
        signed: Option<String>,
    },
    /// Check a received push against the API's record of it, field by field (exit 1 if different)
    Verify {
        /// The push as received (bare data object or envelope, plain or encrypted); `-` for stdin
        file: PathBuf,
        /// How to print the differences
        #[arg(long, short, value_enum, default_value = "text")]
        output: VerifyOutput,
        /// The push's `Signed` header: check the decrypted body against it
        #[arg(long, value_name = "HEX")]
        signed: Option<String>,
    },
    /// Look up every case of a CSV; one JSON line per row on stdout, in input order
    Batch(batch::BatchArgs),
    /// Page through many saved answers (`batch --save DIR`): a case list, the six tabs, verdicts and notes; or their figures and a CSV
    Review(review::ReviewArgs),
    /// Sign in with the APPKey/APPSecret and cache the token (24 h)
    Login,
    /// Forget the cached token for this base URL and APPKey
    Logout,
    /// Run against a built-in loopback server with sample cases (no account needed)
    Demo {
        /// Only serve, print the URL and token, and wait (for scripts and tests)
        #[arg(long)]
        serve: bool,
        /// Port to listen on (127.0.0.1); 0 picks a free one
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Speak only the AES transport with this demo key (16, 24 or 32 characters)
        #[arg(long, value_name = "KEY")]
        aes_key: Option<String>,
        /// Open a review of the sample cases (the case list, verdicts, notes) instead of the form
        #[arg(long, conflicts_with_all = ["serve", "aes_key"])]
        review: bool,
    },
    /// Print a shell completion script for bash, zsh, fish, elvish or powershell
    ///
    /// bash: `rudder-inspect completions bash > ~/.local/share/bash-completion/completions/rudder-inspect`;
    /// zsh: `rudder-inspect completions zsh > ~/.zfunc/_rudder-inspect` (with ~/.zfunc on $fpath);
    /// fish: `rudder-inspect completions fish > ~/.config/fish/completions/rudder-inspect.fish`.
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `64M`, `512K`, `1G`, `1000`.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let lower = lower.trim_end_matches("ib").trim_end_matches('b');
    let (num, mult) = match lower.chars().last() {
        Some('k') => (&lower[..lower.len() - 1], 1u64 << 10),
        Some('m') => (&lower[..lower.len() - 1], 1 << 20),
        Some('g') => (&lower[..lower.len() - 1], 1 << 30),
        _ => (lower, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{t:?} is not a size like 1048576, 512K or 64M"))
}

/// Prints an error as two short lines on stderr and returns its exit code.
pub fn report_error(e: &ApiError) -> ExitCode {
    eprintln!("error: {}", e.message());
    eprintln!("  hint: {}", e.hint());
    ExitCode::from(e.exit_code() as u8)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    set_theme(&cli);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(70);
        }
    };
    let result = match &cli.command {
        Some(Command::Query { ids, output }) => {
            rt.block_on(query::run(&cli.conn, ids, *output, cli.ui.mask))
        }
        Some(Command::Open {
            file,
            other: None,
            output,
            signed,
        }) => rt.block_on(open::run(
            &cli.conn,
            &cli.ui,
            file,
            *output,
            signed.as_deref(),
        )),
        Some(Command::Open {
            file,
            other: Some(other),
            output,
            ..
        }) => rt.block_on(open::compare(&cli.conn, &cli.ui, file, other, *output)),
        Some(Command::Verify {
            file,
            output,
            signed,
        }) => rt.block_on(verify::run(&cli.conn, file, *output, signed.as_deref())),
        Some(Command::Batch(args)) => rt.block_on(batch::run(&cli.conn, args)),
        Some(Command::Review(args)) => rt.block_on(review::run(&cli.conn, &cli.ui, args)),
        Some(Command::Completions { shell }) => Ok(completions::print(*shell)),
        Some(Command::Login) => rt.block_on(login::login(&cli.conn)),
        Some(Command::Logout) => login::logout(&cli.conn),
        Some(Command::Demo { review: true, .. }) => rt.block_on(demo::review(&cli.conn, &cli.ui)),
        Some(Command::Demo {
            serve,
            port,
            aes_key,
            ..
        }) => rt.block_on(demo::run(&cli.ui, *serve, *port, aes_key.as_deref())),
        None => {
            let f = &cli.form;
            let query = Query {
                workflow_id: f.workflow_id.clone().unwrap_or_default(),
                node_id: f.node_id.clone().unwrap_or_default(),
                callee: f.callee.clone().unwrap_or_default(),
                case_id: f.case_id.clone().filter(|s| !s.trim().is_empty()),
            };
            let submit = [&query.workflow_id, &query.node_id, &query.callee]
                .iter()
                .all(|v| !v.trim().is_empty());
            rt.block_on(tui::start(
                &cli.conn,
                &cli.ui,
                tui::Start::Form { query, submit },
            ))
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => report_error(&e),
    }
}

/// The theme for every screen: `--theme`, else the config's `theme` (NO_COLOR forces mono).
fn set_theme(cli: &Cli) {
    let config = cli
        .ui
        .theme
        .is_none()
        .then(|| crate::config::load(cli.conn.config.as_deref()).config.theme)
        .flatten();
    let (_, warning) = crate::ui::theme::select(cli.ui.theme.as_deref(), config.as_deref());
    if let Some(w) = warning {
        eprintln!("warning: {w}");
    }
}

/// Logs go to a file in the XDG state dir, never to the terminal; level from `RUST_LOG`.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let Some(dir) = crate::config::state_dir() else {
        return;
    };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let appender = tracing_appender::rolling::never(&dir, "rudder-inspect.log");
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(appender)
        .with_ansi(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn cli_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
