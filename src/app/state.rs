//! Session state: what the window holds while it runs and never saves — the open folder's store
//! and index, counts, the chart's series, the selection, the open article, running jobs, the
//! folder watch and notices. Everything here is rebuilt from the settings and the store on the
//! next start.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Local, NaiveDate, Utc};

use crate::core::article::Article;
use crate::core::index::{ArticleIdx, Index};
use crate::core::query::Mention;
use crate::core::store::{FolderWatch, Store};
use crate::core::timeline::Trends;

use super::articles::SortColumn;
use super::dialogs::PathPrompt;
use super::jobs::{Counted, ImportJob, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

#[derive(Clone, Debug)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

/// The chart's data: the core's trends for the visible watch items, in watchlist order, or one
/// item split by outlet.
pub struct ChartData {
    pub trends: Trends,
    /// Watchlist index of each series (in a split chart, the split item for every series).
    pub items: Vec<usize>,
    pub colors: Vec<[u8; 3]>,
}

/// Keeps the chart and the lists to some outlets, or hides some.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutletFilter {
    /// True: only these outlets; false: all but these.
    pub only: bool,
    pub outlets: std::collections::BTreeSet<String>,
}

/// One item's series per outlet (the busiest, the rest as one), as the chart splits it.
pub type SplitSeries = Vec<(String, Trends)>;

/// The tabs under the chart, about the selected item and period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Articles,
    Sources,
    Together,
    Context,
}

/// One outlet in the Sources tab.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRow {
    pub outlet: String,
    pub articles: u64,
    pub mentions: u64,
}

/// One mention in the In-context tab.
#[derive(Clone, Debug, PartialEq)]
pub struct ContextLine {
    pub line: crate::core::concordance::Line,
    pub article: ArticleIdx,
    pub id: crate::core::article::ArticleId,
    pub published: Option<DateTime<Utc>>,
}

/// How the In-context tab is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ContextSort {
    /// As the articles are listed (newest first), mentions in text order.
    #[default]
    Articles,
    Left,
    Right,
}

/// What the selection's tabs show, loaded on a worker when first asked for; `None` inside a
/// slot while it loads.
#[derive(Default)]
pub struct TabData {
    pub sources: Option<(u64, Option<Vec<SourceRow>>)>,
    pub together: Option<(u64, Option<Vec<crate::core::cooccur::CoEntity>>)>,
    pub context: Option<(u64, Option<Vec<ContextLine>>)>,
    pub context_sort: ContextSort,
}

/// A clicked point: one watch item in one period.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// `WatchItem::key`, so the selection survives reordering and recounting.
    pub key: String,
    pub label: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// The article viewer's content.
pub struct Viewer {
    /// In the index it was opened from; the row list finds it again by `id` after an update.
    pub article: ArticleIdx,
    pub id: crate::core::article::ArticleId,
    /// Matches the `ArticleLoaded` event that answers it; older answers are dropped.
    pub request: u64,
    pub loaded: Option<Result<Loaded, String>>,
    /// Opened from the concordance: the byte offset of the mention to show first.
    pub open_at: Option<usize>,
}

pub struct Loaded {
    pub article: Article,
    /// Every watched item's mentions, sorted by position; `term` indexes `colors`.
    pub mentions: Vec<Mention>,
    pub colors: Vec<[u8; 3]>,
    /// The mention the next/previous buttons last moved to.
    pub current: Option<usize>,
    /// Set by a next/previous click: scroll the viewer to `current` on the next frame.
    pub scroll_to_current: bool,
    /// Why some items could not be highlighted, if so.
    pub note: Option<String>,
}

/// Articles an update brought, for the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrival {
    pub articles: u64,
    pub files: usize,
    pub at: DateTime<Local>,
}

/// The open folder: its store and what keeps it current.
pub struct Folder {
    pub path: PathBuf,
    pub store: Arc<Store>,
    /// Running while the window may update the store and watching is on.
    pub watch: Option<FolderWatch>,
    /// When the next periodic check is due.
    pub next_check: Instant,
    /// A change was seen while an update ran: check again when it ends.
    pub check_again: bool,
    /// Articles stored after this were not there at the user's previous visit.
    pub new_since: Option<DateTime<Utc>>,
    /// What the store takes on disk.
    pub store_bytes: u64,
}

#[derive(Default)]
pub struct Session {
    pub folder: Option<Folder>,
    pub index: Option<Arc<Index>>,
    /// `index.dated()`, counted once per index rather than every frame.
    pub dated: usize,
    /// Articles stored since the previous visit (see [`Folder::new_since`]).
    pub new_articles: usize,
    /// Bumped by every new index so late answers about an older one are dropped.
    pub generation: u64,
    /// Bumped by every folder opened, for the jobs that open and update one.
    pub folder_generation: u64,
    /// An import or update in flight.
    pub import: Option<ImportJob>,
    /// The last updates that brought articles, newest last.
    pub arrivals: Vec<Arrival>,
    /// Counts by `WatchItem::key` for the current index.
    pub counts: HashMap<String, Counted>,
    pub counting: HashSet<String>,
    pub count_errors: HashMap<String, String>,
    pub chart: Option<ChartData>,
    /// Set whenever the chart's inputs change; the chart is rebuilt once per frame at most.
    pub chart_dirty: bool,
    pub selection: Option<Selection>,
    pub tab: Tab,
    /// The tabs' contents for the current selection.
    pub tab_data: TabData,
    /// Outlets kept or hidden in the chart and the lists.
    pub outlet_filter: Option<OutletFilter>,
    /// The chart's totals under `outlet_filter` (`None`: the index's own).
    pub filtered_totals: Option<Arc<std::collections::BTreeMap<NaiveDate, crate::core::timeline::DayTotal>>>,
    /// The watch item (key) the chart is split by outlet for, and the split series once loaded.
    pub split: Option<(String, Option<SplitSeries>)>,
    /// The selection's articles, in display order; `None` while they are loaded.
    pub rows: Vec<Row>,
    pub rows_loading: Option<u64>,
    /// Column and ascending; the default (date, descending) lists the newest first.
    pub sort: (SortColumn, bool),
    pub selected_row: Option<usize>,
    pub scroll_to_row: bool,
    pub viewer: Option<Viewer>,
    pub next_request: u64,
    pub notices: Vec<Notice>,
    /// The plot's screen rectangle and transform in the last frame: for the PNG crop and tests.
    pub plot_rect: Option<egui::Rect>,
    pub plot_transform: Option<egui_plot::PlotTransform>,
    /// Where a requested screenshot is to be saved.
    pub pending_png: Option<PathBuf>,
    pub prompt: Option<PathPrompt>,
    pub show_skipped: bool,
}

impl Session {
    pub fn info(&mut self, text: impl Into<String>) {
        self.push_notice(NoticeKind::Info, text.into());
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.push_notice(NoticeKind::Error, text.into());
    }

    fn push_notice(&mut self, kind: NoticeKind, text: String) {
        // Keep a short history: the strip under the top bar is not a log.
        if self.notices.len() >= 4 {
            self.notices.remove(0);
        }
        self.notices.push(Notice { kind, text });
    }

    /// Whether a first import runs (the folder has nothing to show yet).
    pub fn importing(&self) -> bool {
        self.import.as_ref().is_some_and(|j| j.first)
    }

    /// Whether any import or update runs.
    pub fn updating(&self) -> bool {
        self.import.is_some()
    }
}
