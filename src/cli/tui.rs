//! Starting the inspector: the connection for queries (a missing token does not stop it:
//! the form works and Enter explains), then the event loop.

use std::process::ExitCode;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::conn::resolve;
use super::{ConnArgs, UiArgs};
use crate::api::{Answer, ApiError, Auth, Client, ClientOptions, Query, Secret, Session};
use crate::app::history::History;
use crate::app::{Action, App, Context, Notice, Source};
use crate::clipboard::SystemClipboard;
use crate::config::Loaded as LoadedConfig;
use crate::demo::DemoServer;
use crate::mapped::Pages;
use crate::tui::{Exit, Services, run};

/// How the inspector opens.
pub enum Start {
    /// The form, prefilled; sent at once when `submit`.
    Form { query: Query, submit: bool },
    /// An answer read from a file (maybe without its transcript yet), with the file's pages
    /// when it is mapped.
    File {
        answer: Box<Answer>,
        path: String,
        pages: Option<Pages>,
    },
    /// Two pushes of one case: the first on screen, the Diff view against the second.
    Compare {
        answer: Box<Answer>,
        path: String,
        other: Box<Answer>,
        other_path: String,
    },
    /// The demo server's first case in the form.
    Demo(DemoServer),
    /// A review of many saved answers: the case list in place of the form.
    Review {
        listing: crate::review::listing::Listing,
        marks: crate::review::marks::Marks,
        title: String,
    },
}

fn clipboard() -> Box<SystemClipboard> {
    let dir = crate::config::state_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("clipboard");
    Box::new(SystemClipboard::new(Box::new(std::io::stdout()), dir))
}

/// The session for queries, and what the status bar says about it.
fn connection(args: &ConnArgs, loaded: &LoadedConfig) -> (Context, Option<Session>) {
    let mut context = Context::default();
    match resolve(args, loaded) {
        Ok(conn) => {
            context.warnings = conn.warnings.clone();
            context.token_source = conn.describe();
            context.base_url = Some(conn.opts.base_url.trim_end_matches('/').to_string());
            match conn.session() {
                Ok(s) => {
                    context.base_url = Some(s.client.base_url().to_string());
                    context.encrypted = conn.opts.aes.is_some();
                    (context, Some(s))
                }
                Err(e) => {
                    context.cannot_query = Some(e);
                    (context, None)
                }
            }
        }
        Err(e) => {
            context.warnings = loaded.warnings.clone();
            context.cannot_query = Some(e);
            (context, None)
        }
    }
}

/// Reads the history file into the app; a file that cannot be read is a message, not a stop.
fn open_history(app: &mut App) {
    let Some(path) = crate::history::default_path() else {
        return;
    };
    let read = crate::history::load(&path);
    if let Some(w) = read.warning {
        let text = match app.notice.take() {
            Some(n) => format!("{}; {w}", n.text),
            None => w,
        };
        app.notice = Some(Notice { text, warn: true });
    }
    app.history = History::new(read.entries, true);
    app.context.history_file = Some(path);
}

pub async fn start(args: &ConnArgs, ui: &UiArgs, start: Start) -> Result<ExitCode, ApiError> {
    let loaded = crate::config::load(args.config.as_deref());
    let mut watch_words = loaded.config.watch_words.clone();
    watch_words.extend(ui.watch.iter().cloned());
    watch_words.retain(|w| !w.trim().is_empty());
    let export_dir = ui.export_dir.clone().or(loaded.config.export_dir.clone());
    let mut initial = Vec::new();
    // Effects of the start itself (reading what a big file was opened without).
    let mut start_effects = Vec::new();
    // History names the profile in use ("demo" in the demo).
    let mut profile = args
        .profile
        .clone()
        .or_else(|| loaded.config.default_profile.clone());
    // The demo server lives as long as the inspector.
    let mut _server = None;
    let (app, session) = match start {
        Start::Form { query, submit } => {
            let (context, session) = connection(args, &loaded);
            if submit {
                initial.push(Action::Key(KeyEvent::new(
                    KeyCode::Enter,
                    KeyModifiers::NONE,
                )));
            }
            (App::new(query, context), session)
        }
        Start::File {
            answer,
            path,
            pages,
        } => {
            let (mut context, session) = connection(args, &loaded);
            // The answer's views read these when it is installed.
            context.watch_words = watch_words.clone();
            context.export_dir = export_dir.clone();
            let (app, effects) = App::new(Query::default(), context).with_answer_from_file(
                *answer,
                Source::File { path },
                pages,
            );
            start_effects = effects;
            (app, session)
        }
        Start::Compare {
            answer,
            path,
            other,
            other_path,
        } => {
            let (mut context, session) = connection(args, &loaded);
            context.watch_words = watch_words.clone();
            context.export_dir = export_dir.clone();
            let left = format!("{} (on screen)", crate::text::one_line(&path));
            let right = crate::text::one_line(&other_path);
            let app = App::new(Query::default(), context)
                .with_answer(*answer, Source::File { path })
                .with_comparison(&other, left, right);
            (app, session)
        }
        Start::Review {
            listing,
            marks,
            title,
        } => {
            let (mut context, session) = connection(args, &loaded);
            // The list counts these; each case's Transcript tab highlights them.
            context.watch_words = watch_words.clone();
            context.export_dir = export_dir.clone();
            let (app, effects) =
                App::new(Query::default(), context).with_review(listing, marks, title);
            start_effects = effects;
            (app, session)
        }
        Start::Demo(server) => {
            let client = Client::new(ClientOptions {
                base_url: server.url(),
                ..ClientOptions::default()
            })?;
            let context = Context {
                base_url: Some(server.url()),
                token_source: Some("token from the demo".into()),
                cannot_query: None,
                demo_cases: server.cases.clone(),
                warnings: loaded.warnings.clone(),
                ..Context::default()
            };
            let first = server
                .cases
                .first()
                .map(|c| c.query.clone())
                .unwrap_or_default();
            let session = Session::new(client, Auth::Token(Secret::token(server.token())));
            _server = Some(server);
            profile = Some("demo".into());
            (App::new(first, context), Some(session))
        }
    };
    let mut app = app;
    app.context.watch_words = watch_words;
    app.context.export_dir = export_dir;
    app.context.profile = profile;
    if !ui.no_history {
        open_history(&mut app);
    }
    let (app, masking) = app.with_mask(ui.mask);
    start_effects.extend(masking);
    let services = Services {
        session,
        clipboard: clipboard(),
    };
    let exit = run(app, start_effects, services, initial)
        .await
        .map_err(|e| {
            ApiError::NoTerminal {
                detail: e.to_string(),
                cause: None,
            }
            .caused_by(e)
        })?;
    Ok(match exit {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal => ExitCode::from(143),
    })
}
