//! rudder-inspect: a terminal inspector for AI Rudder's "verify the custom API node data
//! push" call. The library holds everything; `main.rs` only hands over to [`cli`].

pub mod advice;
pub mod api;
pub mod app;
pub mod case;
pub mod cli;
pub(crate) mod clipboard;
pub(crate) mod config;
pub mod demo;
pub(crate) mod export;
pub(crate) mod files;
pub(crate) mod fuzzy;
pub mod generate;
pub mod history;
pub mod json;
pub(crate) mod mapped;
pub mod mask;
#[cfg(test)]
mod proptest_config;
pub mod review;
pub mod text;
pub(crate) mod tui;
pub mod ui;
