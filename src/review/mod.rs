//! Reviewing many cases: the saved answers of a directory (`batch --save DIR`) or a batch's
//! output, one small [`summary::Summary`] per case, the reviewer's verdicts kept in
//! `review.jsonl` ([`marks`]), and what a review hands in: its figures ([`report`]) and a CSV
//! or Markdown export ([`export`]). No screen here: the inspector's case list is
//! `app::review`, the command line `cli::review`.

pub(crate) mod export;
pub mod listing;
pub mod marks;
pub(crate) mod report;
pub(crate) mod summary;
