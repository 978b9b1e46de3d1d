//! Presswatch: count how often keywords and named entities are mentioned in a folder of news
//! articles, over time.
//!
//! [`core`] is the engine and never draws: it imports files into articles, counts term mentions,
//! builds time series and writes CSV. `cli` runs it headless; `app` (feature `gui`) is the
//! eframe window on top of the same engine.

#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod core;

/// "1 file", "3 files": counts in messages for people, shared by the command line and the window.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
