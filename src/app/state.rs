//! Session state: what the window holds while it runs and never saves — the loaded index, counts,
//! the chart's series, the selection, the open article, running jobs and notices. Everything here
//! is rebuilt from the settings and the folder on the next start.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::core::article::Article;
use crate::core::index::{ArticleIdx, Index};
use crate::core::query::Mention;
use crate::core::timeline::Trends;

use super::articles::SortColumn;
use super::dialogs::PathPrompt;
use super::jobs::{Counted, ImportJob};

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

/// The chart's data: the core's trends for the visible watch items, in watchlist order.
pub struct ChartData {
    pub trends: Trends,
    /// Watchlist index of each series.
    pub items: Vec<usize>,
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
    pub article: ArticleIdx,
    /// Matches the `ArticleLoaded` event that answers it; older answers are dropped.
    pub request: u64,
    pub loaded: Option<Result<Loaded, String>>,
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

#[derive(Default)]
pub struct Session {
    pub index: Option<Arc<Index>>,
    /// `index.dated()`, counted once per import rather than every frame.
    pub dated: usize,
    /// Bumped by every import so late answers about an older index are dropped.
    pub generation: u64,
    pub import: Option<ImportJob>,
    /// Counts by `WatchItem::key` for the current index.
    pub counts: HashMap<String, Counted>,
    pub counting: HashSet<String>,
    pub count_errors: HashMap<String, String>,
    pub chart: Option<ChartData>,
    /// Set whenever the chart's inputs change; the chart is rebuilt once per frame at most.
    pub chart_dirty: bool,
    pub selection: Option<Selection>,
    /// The selection's articles with their mention counts, in display order.
    pub rows: Vec<(ArticleIdx, u32)>,
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

    pub fn importing(&self) -> bool {
        self.import.is_some()
    }
}
