//! The engine: everything that works without a window. Nothing below here imports egui.
//!
//! Data flows one way: files → [`ingest`] → [`article::Article`] → [`store`] → [`index`] →
//! [`timeline`] series → [`export`] CSV (or the window's chart).

pub mod alerts;
pub mod article;
pub mod concordance;
pub mod cooccur;
pub mod entities;
pub mod export;
pub mod index;
pub mod ingest;
pub mod query;
pub mod sources;
pub mod store;
pub mod timeline;
