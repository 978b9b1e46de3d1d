//! Work that must not run on the UI thread: importing a folder, counting terms, loading one
//! article for the viewer, running a file dialog, writing an export.
//!
//! Each job is a named worker thread that sends one [`JobEvent`] into a bounded channel and asks
//! egui for a repaint; the frame drains the channel for at most a few milliseconds. Jobs never
//! touch the app's state: the app applies their events, and drops those of a superseded import
//! (the `generation` no longer matches). Cancelling an import sets `ImportProgress::cancel`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossbeam_channel::{Receiver, Sender, TryRecvError};

use crate::core::article::Article;
use crate::core::index::{Index, TermHits};
use crate::core::ingest::{self, ImportOptions, ImportProgress};
use crate::core::query::{Matcher, Term};
use crate::core::timeline::DayCount;

use super::settings::{WatchItem, WatchKind};

/// A term's or entity's counts, ready for the chart (`daily`) and the article list (`hits`).
#[derive(Clone, Debug, Default)]
pub struct Counted {
    pub hits: Arc<TermHits>,
    /// Totals for the watchlist, summed once on the worker rather than every frame.
    pub mentions: u64,
    pub daily: Arc<BTreeMap<NaiveDate, DayCount>>,
}

/// What a file dialog was opened for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    OpenFolder,
    ExportCsv,
    ExportPng,
}

impl Purpose {
    pub fn title(self) -> &'static str {
        match self {
            Purpose::OpenFolder => "Open a folder of articles",
            Purpose::ExportCsv => "Export chart data (CSV)",
            Purpose::ExportPng => "Export chart image (PNG)",
        }
    }
}

pub enum JobEvent {
    Imported {
        generation: u64,
        result: Result<Arc<Index>, String>,
    },
    Counted {
        generation: u64,
        results: Vec<(String, Result<Counted, String>)>,
    },
    ArticleLoaded {
        request: u64,
        result: Result<Article, String>,
    },
    /// A dialog closed; `None` when it was cancelled or no dialog could be shown.
    Picked {
        purpose: Purpose,
        path: Option<PathBuf>,
    },
    /// The pixels of the window, asked for by "Export chart image", and the points-to-pixels
    /// scale they were taken at.
    Screenshot(Arc<egui::ColorImage>, f32),
    Saved {
        what: &'static str,
        result: Result<PathBuf, String>,
    },
}

/// An import in flight.
pub struct ImportJob {
    pub generation: u64,
    pub path: PathBuf,
    pub progress: Arc<ImportProgress>,
    pub started: Instant,
}

impl ImportJob {
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
    }
}

/// Spawns workers and collects their events.
pub struct Jobs {
    tx: Sender<JobEvent>,
    rx: Receiver<JobEvent>,
    /// Known from the first frame on; jobs are only started from frames.
    ctx: egui::Context,
}

/// Enough for every job a user can start at once; a worker finding it full waits for the next
/// frame to drain it.
const CHANNEL_CAPACITY: usize = 64;

impl Default for Jobs {
    fn default() -> Self {
        Self::new()
    }
}

impl Jobs {
    pub fn new() -> Self {
        let (tx, rx) = crossbeam_channel::bounded(CHANNEL_CAPACITY);
        Self { tx, rx, ctx: egui::Context::default() }
    }

    /// Remembers the window's context, so workers can wake it.
    pub fn attach(&mut self, ctx: &egui::Context) {
        if self.ctx != *ctx {
            self.ctx = ctx.clone();
        }
    }

    /// Runs `work` on a new thread named `presswatch-{name}` and delivers its event.
    pub fn spawn(&self, name: &str, work: impl FnOnce() -> JobEvent + Send + 'static) -> std::io::Result<()> {
        let tx = self.tx.clone();
        let ctx = self.ctx.clone();
        std::thread::Builder::new()
            .name(format!("presswatch-{name}"))
            .spawn(move || {
                let event = work();
                // The receiver only disappears when the window closes: nothing left to tell.
                let _ = tx.send(event);
                ctx.request_repaint();
            })
            .map(|_| ())
    }

    /// A sender for callbacks that are not jobs (the screenshot callback).
    pub fn sender(&self) -> (Sender<JobEvent>, egui::Context) {
        (self.tx.clone(), self.ctx.clone())
    }

    /// The events that arrived, taking at most `budget` so a burst never stalls a frame.
    pub fn drain(&self, budget: Duration) -> Vec<JobEvent> {
        let started = Instant::now();
        let mut events = Vec::new();
        while started.elapsed() < budget {
            match self.rx.try_recv() {
                Ok(e) => events.push(e),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        if !self.rx.is_empty() {
            self.ctx.request_repaint();
        }
        events
    }
}

/// Import options for the window.
pub fn import_options(use_file_dates: bool) -> ImportOptions {
    ImportOptions { no_file_dates: !use_file_dates, ..ImportOptions::default() }
}

pub fn import(generation: u64, path: &Path, options: &ImportOptions, progress: &ImportProgress) -> JobEvent {
    let result = Index::build(path, options, progress).map(Arc::new).map_err(|e| e.to_string());
    JobEvent::Imported { generation, result }
}

/// Counts watch items: all terms in one pass over the index, entities by lookup.
pub fn count(generation: u64, index: &Index, items: &[WatchItem]) -> JobEvent {
    let mut results = Vec::with_capacity(items.len());
    let mut terms = Vec::new();
    let mut term_keys = Vec::new();
    for item in items {
        match item.kind {
            WatchKind::Term => match Term::parse(&item.query) {
                Ok(t) => {
                    terms.push(t);
                    term_keys.push(item.key());
                }
                Err(e) => results.push((item.key(), Err(e.to_string()))),
            },
            WatchKind::Entity => {
                let hits = index.entity(&item.query).map(|(_, h)| h.clone()).unwrap_or_default();
                results.push((item.key(), Ok(counted(index, hits))));
            }
        }
    }
    if !terms.is_empty() {
        match Matcher::new(terms) {
            Ok(matcher) => {
                for (key, hits) in term_keys.into_iter().zip(index.count(&matcher)) {
                    results.push((key, Ok(counted(index, hits))));
                }
            }
            Err(e) => results.extend(term_keys.into_iter().map(|k| (k, Err(e.to_string())))),
        }
    }
    JobEvent::Counted { generation, results }
}

fn counted(index: &Index, hits: TermHits) -> Counted {
    Counted { daily: Arc::new(index.daily(&hits)), mentions: hits.mentions(), hits: Arc::new(hits) }
}

pub fn load_article(request: u64, index: &Index, article: usize, use_file_dates: bool) -> JobEvent {
    let result = match index.articles.get(article) {
        Some(meta) => ingest::load_article(&meta.id, &import_options(use_file_dates)).map_err(|s| s.to_string()),
        None => Err("the article is no longer in the index".to_string()),
    };
    JobEvent::ArticleLoaded { request, result }
}
