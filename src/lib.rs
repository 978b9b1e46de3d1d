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
