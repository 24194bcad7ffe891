//! The loop that draws: the only part that knows both the state (`crate::app`) and the
//! screen (`crate::ui`). Terminal events and replies of background work become actions,
//! `App::update` turns them into state and effects, and this loop carries the effects out
//! and draws.

mod run;
mod terminal;

pub use run::{Exit, Services, run};
