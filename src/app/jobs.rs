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
use crate::core::cooccur::{CoEntity, Order, cooccurring};
use crate::core::duplicates::{self, DuplicateGroups, DuplicateSettings};
use crate::core::index::{ArticleIdx, ArticleMeta, Index, IndexOptions, TermHits};
use crate::core::ingest::{ImportOptions, ImportProgress, Limits};
use crate::core::query::{CompiledQuery, Matcher, Term};
use crate::core::store::{Store, StoreLocation, UpdateReport};
use crate::core::timeline::{Bucket, DayCount, DayTotal, Trends};

use super::settings::{WatchItem, WatchKind};
use super::state::{ContextLine, OutletFilter, SourceRow};

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
    ExportContext,
}

impl Purpose {
    pub fn title(self) -> &'static str {
        match self {
            Purpose::OpenFolder => "Open a folder of articles",
            Purpose::ExportCsv => "Export chart data (CSV)",
            Purpose::ExportPng => "Export chart image (PNG)",
            Purpose::ExportContext => "Export mentions in context (CSV)",
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
    /// A tab of the selection, loaded.
    TabLoaded {
        request: u64,
        rows: TabRows,
    },
    /// The counted items' days (and the totals) under a new outlet filter.
    Filtered {
        generation: u64,
        totals: Option<Arc<BTreeMap<NaiveDate, DayTotal>>>,
        daily: Vec<(String, Arc<BTreeMap<NaiveDate, DayCount>>)>,
    },
    /// One item's series split by outlet.
    Split {
        generation: u64,
        key: String,
        split: Vec<(String, Trends)>,
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
    /// An index's copy groups (syndicated stories).
    Copies {
        generation: u64,
        groups: Arc<DuplicateGroups>,
    },
    /// The watchlist's spike alerts, newest first.
    Alerts {
        request: u64,
        rows: Vec<super::state::AlertRow>,
    },
}

/// What to count: watch items, under the filter the chart shows.
#[derive(Clone, Debug, Default)]
pub struct CountSpec {
    pub items: Vec<WatchItem>,
    /// For the current index; a new index (an update) makes its own copy groups when
    /// `each_story_once` asks for them.
    pub filter: Option<ArticleFilter>,
    pub each_story_once: bool,
}

/// A state of the folder ready for the window: the index and the watched items counted on it.
pub struct Fresh {
    pub index: Arc<Index>,
    pub counts: Vec<(String, Result<Counted, String>)>,
    /// The chart's totals under the outlet filter, when there is one.
    pub totals: Option<Arc<BTreeMap<NaiveDate, DayTotal>>>,
    /// Bytes the store takes on disk (0 in memory).
    pub store_bytes: u64,
    /// Its copy groups, when each story counts once.
    pub copies: Option<Arc<DuplicateGroups>>,
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

/// What a tab of the selection shows.
pub enum TabRows {
    Sources(Vec<SourceRow>),
    Together(Vec<CoEntity>),
    Context(Vec<ContextLine>),
}

/// One line of the article list.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub article: ArticleIdx,
    pub mentions: u32,
    pub meta: ArticleMeta,
    /// Stored since the user's previous visit to the folder.
    pub new: bool,
    /// When each story counts once: its copies, each as "outlet — title".
    pub copies: Vec<(ArticleIdx, String)>,
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
pub fn open(folder: u64, path: &Path, place: &StorePlace, options: &IndexOptions, spec: &CountSpec) -> JobEvent {
    let result = open_store(path, place).and_then(|(store, notice)| {
        let fresh = match store.updated() {
            Some(_) => Some(fresh(&store, options, spec)?),
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
    read: (&IndexOptions, &CountSpec, bool),
) -> JobEvent {
    let (options, spec, always_read) = read;
    let result = store.update(import, progress, settle).map_err(|e| e.to_string()).and_then(|report| {
        let fresh = if report.changed_anything() || always_read { Some(fresh(store, options, spec)?) } else { None };
        Ok(Updated { report, fresh })
    });
    JobEvent::Updated { folder, result }
}

/// Reads the store's committed state again (other options, or another process updated it).
pub fn reread(folder: u64, store: &Store, options: &IndexOptions, spec: &CountSpec) -> JobEvent {
    let result = fresh(store, options, spec).map(|f| Updated { report: UpdateReport::default(), fresh: Some(f) });
    JobEvent::Updated { folder, result }
}

fn fresh(store: &Store, options: &IndexOptions, spec: &CountSpec) -> Result<Fresh, String> {
    let index = Arc::new(Index::open(store, options).map_err(|e| e.to_string())?);
    // The entity table takes longest: it starts now, beside the counts, and the entities job
    // the window starts later waits for it rather than making it again.
    let early = Arc::clone(&index);
    let _ = std::thread::Builder::new().name("presswatch-entity-table".into()).spawn(move || {
        early.entity_table();
    });
    // The copy groups belong to an index: a new one makes its own.
    let copies = spec.each_story_once.then(|| Arc::new(duplicates::find(&index, &DuplicateSettings::default())));
    let outlets = spec.filter.as_ref().and_then(|f| f.outlets.clone());
    let filter = ArticleFilter { outlets, copies: copies.clone() }.active();
    let spec = CountSpec { filter, ..spec.clone() };
    let counts = count_items(&index, &spec);
    let totals = spec.filter.as_ref().map(|f| Arc::new(index.day_totals_where(f.keep(&index))));
    let store_bytes = store.location().map_or(0, StoreLocation::size);
    Ok(Fresh { index, counts, totals, store_bytes, copies })
}

/// Counts watch items for the index of `generation`.
pub fn count(generation: u64, index: &Index, spec: &CountSpec) -> JobEvent {
    JobEvent::Counted { generation, results: count_items(index, spec) }
}

/// Makes the index's entity table (a moment on a large folder) and counts the entity items.
pub fn entities(generation: u64, index: &Index, spec: &CountSpec) -> JobEvent {
    index.entity_table();
    count(generation, index, spec)
}

/// Whether an article passes the outlet filter.
pub fn outlet_keep<'a>(index: &'a Index, filter: &'a OutletFilter) -> impl Fn(ArticleIdx) -> bool + 'a {
    let outlets = index.outlets();
    move |article| {
        let name = outlets.of(article).map_or("", |o| outlets.names[o as usize].as_str());
        filter.only == filter.outlets.contains(name)
    }
}

/// Which articles the chart and the lists count: some outlets, each story once (copies of an
/// earlier article left out), both, or all (`None` where a filter is optional).
#[derive(Clone, Default)]
pub struct ArticleFilter {
    pub outlets: Option<OutletFilter>,
    /// The copy groups of the index the filter is applied to.
    pub copies: Option<Arc<DuplicateGroups>>,
}

impl ArticleFilter {
    /// `None` when it keeps every article.
    pub fn active(self) -> Option<ArticleFilter> {
        (self.outlets.is_some() || self.copies.is_some()).then_some(self)
    }

    pub fn keep<'a>(&'a self, index: &'a Index) -> impl Fn(ArticleIdx) -> bool + 'a {
        let outlets = self.outlets.as_ref().map(|f| outlet_keep(index, f));
        move |article| {
            outlets.as_ref().is_none_or(|keep| keep(article))
                && self.copies.as_ref().is_none_or(|groups| !groups.is_copy(article))
        }
    }
}

impl std::fmt::Debug for ArticleFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArticleFilter")
            .field("outlets", &self.outlets)
            .field("copies", &self.copies.as_ref().map(|g| g.groups.len()))
            .finish()
    }
}

/// The copy groups of an index (what counting each story once leaves out), for `generation`.
pub fn copies(generation: u64, index: &Index) -> JobEvent {
    JobEvent::Copies { generation, groups: Arc::new(duplicates::find(index, &DuplicateSettings::default())) }
}

/// The chart's series again under a new outlet filter: every counted item's days and the totals.
pub fn filter(
    generation: u64,
    index: &Index,
    filter: Option<ArticleFilter>,
    items: Vec<(String, Arc<TermHits>)>,
) -> JobEvent {
    let keep = filter.as_ref().map(|f| f.keep(index));
    let daily = items
        .into_iter()
        .map(|(key, hits)| {
            let days = match &keep {
                Some(keep) => index.daily_where(&hits, keep),
                None => index.daily(&hits),
            };
            (key, Arc::new(days))
        })
        .collect();
    let totals = keep.map(|keep| Arc::new(index.day_totals_where(keep)));
    JobEvent::Filtered { generation, totals, daily }
}

/// Lines a split chart shows: the busiest outlets, the rest as one line.
pub const SPLIT_OUTLETS: usize = 8;

/// One item's series split by its outlets (those `filter` keeps), the busiest first: at most
/// [`SPLIT_OUTLETS`] lines, the rest as one.
pub fn split(
    generation: u64,
    index: &Index,
    key: String,
    hits: Arc<TermHits>,
    filter: Option<&ArticleFilter>,
    view: (Bucket, Option<NaiveDate>, Option<NaiveDate>),
) -> JobEvent {
    let (bucket, from, to) = view;
    let top = SPLIT_OUTLETS;
    let keep = filter.map(|filter| filter.keep(index));
    let keep = |article| keep.as_ref().is_none_or(|keep| keep(article));
    let mut split = index.by_outlet(&[(key.clone(), &hits)], bucket, from, to, keep);
    let articles = |t: &Trends| -> u64 { t.series[0].points.iter().map(|p| p.articles).sum() };
    split.retain(|(_, t)| articles(t) > 0);
    split.sort_by(|a, b| articles(&b.1).cmp(&articles(&a.1)).then_with(|| a.0.cmp(&b.0)));
    if split.len() > top {
        let rest = split.split_off(top - 1);
        let mut other = rest[0].1.clone();
        for (_, t) in &rest[1..] {
            for (p, q) in other.series[0].points.iter_mut().zip(&t.series[0].points) {
                p.mentions += q.mentions;
                p.articles += q.articles;
                p.total_articles += q.total_articles;
            }
        }
        split.push((format!("{} other outlets", rest.len()), other));
    }
    JobEvent::Split { generation, key, split }
}

/// The Sources tab: the selection's articles by outlet.
pub fn sources(request: u64, index: &Index, hits: &[(ArticleIdx, u32)]) -> JobEvent {
    let outlets = index.outlets();
    let mut by: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for &(article, n) in hits {
        let name = outlets.of(article).map_or("", |o| outlets.names[o as usize].as_str());
        let e = by.entry(name).or_default();
        e.0 += 1;
        e.1 += u64::from(n);
    }
    let mut rows: Vec<SourceRow> = by
        .into_iter()
        .map(|(o, (articles, mentions))| SourceRow { outlet: o.to_string(), articles, mentions })
        .collect();
    rows.sort_by(|a, b| {
        b.articles.cmp(&a.articles).then_with(|| b.mentions.cmp(&a.mentions)).then_with(|| a.outlet.cmp(&b.outlet))
    });
    JobEvent::TabLoaded { request, rows: TabRows::Sources(rows) }
}

/// The Together tab: entities in the selection's articles, within its period.
pub fn together(
    request: u64,
    index: &Index,
    selection: &[ArticleIdx],
    period: (NaiveDate, NaiveDate),
    exclude: Option<&str>,
) -> JobEvent {
    let table = index.entity_table();
    let (first, last) = period;
    let in_view = |a: ArticleIdx| index.day(a).is_some_and(|d| d >= first && d <= last);
    let in_view_count = index.day_totals.range(first..=last).map(|(_, t)| t.articles).sum();
    let entities = table.entity_articles();
    let exclude =
        exclude.and_then(|name| index.entity(name)).and_then(|(row, _)| table.rows.iter().position(|r| r == row));
    let rows = cooccurring(selection, &entities, in_view, in_view_count, exclude, Order::Articles);
    JobEvent::TabLoaded { request, rows: TabRows::Together(rows) }
}

/// Articles whose mentions the In-context tab lists, at most.
pub const MAX_CONTEXT_ARTICLES: usize = 2_000;

/// The In-context tab: every mention of `item` in `articles` (in the list's order) with its
/// words around it.
pub fn context(request: u64, index: &Index, item: &WatchItem, articles: &[ArticleIdx]) -> JobEvent {
    let mut lines = Vec::new();
    for &article in articles.iter().take(MAX_CONTEXT_ARTICLES) {
        let Some(a) = index.article(article) else { continue };
        let (mentions, _) = super::highlight::item_mentions(std::slice::from_ref(item), &a);
        let spans: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
        for line in crate::core::concordance::lines(&a.text, &spans) {
            lines.push(ContextLine { line, article, id: a.id.clone(), published: a.published });
        }
    }
    JobEvent::TabLoaded { request, rows: TabRows::Context(lines) }
}

/// All terms in one pass over the index, entities by lookup. Entity items are left out until
/// the index's entity table is made (see [`entities`]).
fn count_items(index: &Index, spec: &CountSpec) -> Vec<(String, Result<Counted, String>)> {
    let items = &spec.items;
    let keep = spec.filter.as_ref().map(|f| f.keep(index));
    let counted = |index: &Index, hits: TermHits| -> Counted {
        let daily = match &keep {
            Some(keep) => index.daily_where(&hits, keep),
            None => index.daily(&hits),
        };
        Counted { daily: Arc::new(daily), mentions: hits.mentions(), hits: Arc::new(hits) }
    };
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
            WatchKind::Query => match CompiledQuery::parse(&item.query) {
                Ok(q) => results.push((item.key(), Ok(counted(index, index.count_query(&q))))),
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

/// The rows of a selection: its articles (those `filter` keeps) with their stored metadata.
pub fn rows(
    request: u64,
    index: &Index,
    hits: &[(ArticleIdx, u32)],
    filter: Option<&ArticleFilter>,
    new_since: Option<DateTime<Utc>>,
) -> JobEvent {
    let keep = filter.map(|f| f.keep(index));
    let copies = filter.and_then(|f| f.copies.as_deref());
    let rows = hits
        .iter()
        .filter(|(article, _)| keep.as_ref().is_none_or(|keep| keep(*article)))
        .filter_map(|&(article, mentions)| {
            let meta = index.meta(article)?;
            let new = new_since.is_some_and(|since| index.is_new(article, since));
            let copies = copies.and_then(|g| g.copies_of(article)).map_or_else(Vec::new, |g| {
                let name = |m: ArticleMeta| format!("{} — {}", m.outlet().unwrap_or_default(), m.title);
                g.copies.iter().filter_map(|&c| Some((c, name(index.meta(c)?)))).collect()
            });
            Some(Row { article, mentions, meta, new, copies })
        })
        .collect();
    JobEvent::RowsLoaded { request, rows }
}

pub fn load_article(request: u64, index: &Index, article: ArticleIdx) -> JobEvent {
    let result = index.article(article).ok_or_else(|| "the article is no longer stored".to_string());
    JobEvent::ArticleLoaded { request, result }
}
