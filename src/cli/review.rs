//! `rudder-inspect review DIR`: the inspector on a directory of saved answers (the case list,
//! verdicts, notes), or, with `--summary` / `--export`, the review's figures and its cases
//! printed or written for a ticket or a spreadsheet.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{ConnArgs, UiArgs};
use crate::api::ApiError;
use crate::review::listing::{Entry, Listing, list};
use crate::review::marks::{Marks, load};
use crate::review::report::{Case, Totals};
use crate::review::summary::{Read, summarise_with};

#[derive(Args, Debug, Clone)]
pub struct ReviewArgs {
    /// A directory of saved answers (`batch CASES.csv --save DIR`), or a batch's output (its JSON lines)
    pub dir: PathBuf,
    /// Print the review's figures (cases, verdicts, intentions, hang-ups, watch words, mismatches, failed) instead of opening the inspector
    #[arg(long)]
    pub summary: bool,
    /// How --summary prints
    #[arg(long, short, value_enum, default_value = "json", requires = "summary")]
    pub output: SummaryOutput,
    /// Write one row per case with its verdict and note: FILE.csv, or a Markdown report FILE.md
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryOutput {
    Json,
    Md,
}

/// The words a review counts: the config's `watch_words`, then `--watch`.
pub fn watch_words(conn: &ConnArgs, ui: &UiArgs) -> Vec<String> {
    let loaded = crate::config::load(conn.config.as_deref());
    let mut words = loaded.config.watch_words.clone();
    words.extend(ui.watch.iter().cloned());
    words.retain(|w| !w.trim().is_empty());
    words.dedup();
    words
}

/// Lists `dir` and reads its verdicts back.
pub fn open(dir: &Path) -> Result<(Listing, Marks), ApiError> {
    let listing = list(dir).map_err(|detail| ApiError::File {
        path: dir.display().to_string(),
        detail,
        cause: None,
    })?;
    let marks = load(&listing.marks_path());
    Ok((listing, marks))
}

pub async fn run(conn: &ConnArgs, ui: &UiArgs, args: &ReviewArgs) -> Result<ExitCode, ApiError> {
    let (listing, marks) = open(&args.dir)?;
    let title = args.dir.display().to_string();
    if !args.summary && args.export.is_none() {
        return super::tui::start(
            conn,
            ui,
            super::tui::Start::Review {
                listing,
                marks,
                title,
            },
        )
        .await;
    }
    for w in listing.warnings.iter().chain(&marks.problems) {
        eprintln!("warning: {}", crate::text::one_line(w));
    }
    let words = watch_words(conn, ui);
    let reads = read_all(&listing.entries, &words, ui.mask);
    let cases: Vec<Case> = listing
        .entries
        .iter()
        .zip(&reads)
        .map(|(entry, read)| Case {
            entry,
            read,
            mark: marks.get(&entry.key),
        })
        .collect();
    let totals = Totals::of(cases.iter().copied(), &words);
    if let Some(path) = &args.export {
        let body = export_body(path, &title, &cases, &totals, ui.mask)?;
        crate::files::write_whole(path, &body).map_err(|e| {
            ApiError::File {
                path: path.display().to_string(),
                detail: e.to_string(),
                cause: None,
            }
            .caused_by(e)
        })?;
        eprintln!(
            "wrote {} cases ({} reviewed) to {}",
            totals.cases,
            totals.reviewed,
            path.display()
        );
    }
    if args.summary {
        let text = match args.output {
            SummaryOutput::Json => {
                serde_json::to_string_pretty(&totals.to_json()).unwrap_or_default() + "\n"
            }
            SummaryOutput::Md => totals.markdown(&format!("Review of {title}")),
        };
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    }
    Ok(ExitCode::SUCCESS)
}

/// Every case summed up, on every core (the order kept).
fn read_all(entries: &[Entry], words: &[String], mask: bool) -> Vec<Read> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = entries.len().div_ceil(workers).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|e| summarise_with(e, words, mask))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Read::Failed("could not be read".into())])
            })
            .collect()
    })
}

fn export_body(
    path: &Path,
    title: &str,
    cases: &[Case<'_>],
    totals: &Totals,
    masked: bool,
) -> Result<Vec<u8>, ApiError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") => {
            crate::review::export::csv(cases.iter().copied(), masked).map_err(|detail| {
                ApiError::File {
                    path: path.display().to_string(),
                    detail,
                    cause: None,
                }
            })
        }
        Some("md") => Ok(crate::review::export::markdown(
            &format!("Review of {title}"),
            cases,
            totals,
            masked,
        )
        .into_bytes()),
        _ => Err(ApiError::Setting {
            origin: crate::api::error::Origin::Flag("--export"),
            detail: format!(
                "{}: the file must end in .csv (one row per case) or .md (a report)",
                path.display()
            ),
            encoding: false,
        }),
    }
}
