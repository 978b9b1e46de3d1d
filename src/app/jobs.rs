//! Work that must not run on the UI thread: opening a folder's store, updating it, counting
//! terms, listing a selection's articles, loading one article for the viewer, running a file
//! dialog, writing an export.
//!
//! Each job is a named worker thread that sends one [`JobEvent`] into a bounded channel and asks
//! egui for a repaint; the frame drains the channel for at most a few milliseconds. Jobs never
//! touch the app's state: the app applies their events, and drops those about a folder or index
//! that is no longer shown (the generation no longer matches). A job that brings a new index
//! counts the watched items on it too, so index and counts reach the chart together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use crossbeam_channel::{Receiver, Sender, TryRecvError};

use crate::core::article::Article;
use crate::core::index::{ArticleIdx, ArticleMeta, Index, IndexOptions, TermHits};
use crate::core::ingest::{ImportOptions, ImportProgress, Limits};
use crate::core::query::{Matcher, Term};
use crate::core::store::{Store, StoreLocation, UpdateReport};
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
    /// A folder's store was opened; with its committed state when it had one.
    Opened {
        folder: u64,
        result: Result<OpenedFolder, String>,
    },
    /// An update (or a re-read with other options) finished; with the new state when it changed
    /// anything.
    Updated {
        folder: u64,
        result: Result<Updated, String>,
    },
    Counted {
        generation: u64,
        results: Vec<(String, Result<Counted, String>)>,
    },
    /// The articles of the selection, with their metadata.
    RowsLoaded {
        request: u64,
        rows: Vec<Row>,
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

/// A state of the folder ready for the window: the index and the watched items counted on it.
pub struct Fresh {
    pub index: Arc<Index>,
    pub counts: Vec<(String, Result<Counted, String>)>,
    /// Bytes the store takes on disk (0 in memory).
    pub store_bytes: u64,
}

pub struct OpenedFolder {
    pub store: Arc<Store>,
    /// `None` when the store holds nothing yet (a first import follows).
    pub fresh: Option<Fresh>,
    /// What the user should know (a rebuilt store, read-only access, no data directory).
    pub notice: Option<String>,
}

pub struct Updated {
    pub report: UpdateReport,
    pub fresh: Option<Fresh>,
}

/// One line of the article list.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub article: ArticleIdx,
    pub mentions: u32,
    pub meta: ArticleMeta,
    /// Stored since the user's previous visit to the folder.
    pub new: bool,
}

/// An import or update in flight.
pub struct ImportJob {
    pub folder: u64,
    pub path: PathBuf,
    pub progress: Arc<ImportProgress>,
    pub started: Instant,
    /// The folder had nothing to show yet: the window shows the full progress.
    pub first: bool,
}

impl ImportJob {
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
    }
}

/// Where the window keeps folder stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorePlace {
    /// The platform's data directory (or `PRESSWATCH_DATA_DIR`).
    DataDir,
    /// Under this directory (tests, portable set-ups).
    At(PathBuf),
    /// In memory, for the session only.
    Memory,
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

    /// The window's context, for callbacks that must wake it (the folder watch).
    pub fn context(&self) -> egui::Context {
        self.ctx.clone()
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
pub fn import_options(use_file_dates: bool, limits: Limits) -> ImportOptions {
    ImportOptions { no_file_dates: !use_file_dates, limits, ..ImportOptions::default() }
}

/// Opens `path`'s store and reads its committed state, counting `items` on it. Without a usable
/// data directory the folder is kept in memory for the session, and the notice says so.
pub fn open(folder: u64, path: &Path, place: &StorePlace, options: &IndexOptions, items: &[WatchItem]) -> JobEvent {
    let result = open_store(path, place).and_then(|(store, notice)| {
        let fresh = match store.updated() {
            Some(_) => Some(fresh(&store, options, items)?),
            None => None,
        };
        Ok(OpenedFolder { store: Arc::new(store), fresh, notice })
    });
    JobEvent::Opened { folder, result }
}

fn open_store(path: &Path, place: &StorePlace) -> Result<(Store, Option<String>), String> {
    let location = match place {
        StorePlace::Memory => None,
        StorePlace::DataDir => Some(StoreLocation::for_folder(path)),
        StorePlace::At(dir) => Some(StoreLocation::in_data_dir(path, dir)),
    };
    let opened = location.map(|l| l.and_then(|l| Store::open_at(path, l)));
    match opened {
        Some(Ok(opened)) => Ok((opened.store, opened.notice)),
        Some(Err(e)) => {
            let store = Store::in_memory(path).map_err(|e| e.to_string())?;
            Ok((
                store,
                Some(format!("The folder's data cannot be stored ({e}); it is kept in memory for this session.")),
            ))
        }
        None => Ok((Store::in_memory(path).map_err(|e| e.to_string())?, None)),
    }
}

/// Brings the store up to date; with the new state when anything changed or `always_read`.
pub fn update(
    folder: u64,
    store: &Store,
    import: &ImportOptions,
    progress: &ImportProgress,
    settle: Option<Duration>,
    read: (&IndexOptions, &[WatchItem], bool),
) -> JobEvent {
    let (options, items, always_read) = read;
    let result = store.update(import, progress, settle).map_err(|e| e.to_string()).and_then(|report| {
        let fresh = if report.changed_anything() || always_read { Some(fresh(store, options, items)?) } else { None };
        Ok(Updated { report, fresh })
    });
    JobEvent::Updated { folder, result }
}

/// Reads the store's committed state again (other options, or another process updated it).
pub fn reread(folder: u64, store: &Store, options: &IndexOptions, items: &[WatchItem]) -> JobEvent {
    let result = fresh(store, options, items).map(|f| Updated { report: UpdateReport::default(), fresh: Some(f) });
    JobEvent::Updated { folder, result }
}

fn fresh(store: &Store, options: &IndexOptions, items: &[WatchItem]) -> Result<Fresh, String> {
    let index = Arc::new(Index::open(store, options).map_err(|e| e.to_string())?);
    // The entity table takes longest: it starts now, beside the counts, and the entities job
    // the window starts later waits for it rather than making it again.
    let early = Arc::clone(&index);
    let _ = std::thread::Builder::new().name("presswatch-entity-table".into()).spawn(move || {
        early.entity_table();
    });
    let counts = count_items(&index, items);
    let store_bytes = store.location().map_or(0, StoreLocation::size);
    Ok(Fresh { index, counts, store_bytes })
}

/// Counts watch items for the index of `generation`.
pub fn count(generation: u64, index: &Index, items: &[WatchItem]) -> JobEvent {
    JobEvent::Counted { generation, results: count_items(index, items) }
}

/// Makes the index's entity table (a moment on a large folder) and counts the entity items.
pub fn entities(generation: u64, index: &Index, items: &[WatchItem]) -> JobEvent {
    index.entity_table();
    count(generation, index, items)
}

/// All terms in one pass over the index, entities by lookup. Entity items are left out until
/// the index's entity table is made (see [`entities`]).
fn count_items(index: &Index, items: &[WatchItem]) -> Vec<(String, Result<Counted, String>)> {
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
                if let Some(table) = index.entity_table_if_ready() {
                    let hits = table.entity(&item.query).map(|(_, h)| h.clone()).unwrap_or_default();
                    results.push((item.key(), Ok(counted(index, hits))));
                }
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
    results
}

fn counted(index: &Index, hits: TermHits) -> Counted {
    Counted { daily: Arc::new(index.daily(&hits)), mentions: hits.mentions(), hits: Arc::new(hits) }
}

/// The rows of a selection: its articles with their stored metadata.
pub fn rows(request: u64, index: &Index, hits: &[(ArticleIdx, u32)], new_since: Option<DateTime<Utc>>) -> JobEvent {
    let rows = hits
        .iter()
        .filter_map(|&(article, mentions)| {
            let meta = index.meta(article)?;
            let new = new_since.is_some_and(|since| index.is_new(article, since));
            Some(Row { article, mentions, meta, new })
        })
        .collect();
    JobEvent::RowsLoaded { request, rows }
}

pub fn load_article(request: u64, index: &Index, article: ArticleIdx) -> JobEvent {
    let result = index.article(article).ok_or_else(|| "the article is no longer stored".to_string());
    JobEvent::ArticleLoaded { request, result }
}
