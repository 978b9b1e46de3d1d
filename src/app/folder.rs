//! The open folder's life in the window: opening its store (the chart shows the stored state at
//! once), bringing it up to date in the background, watching for new and changed files, and
//! installing each new state without losing the selection, the zoom or the open article.
//!
//! Every state reaches the window as a [`Fresh`]: an index with the watched items already
//! counted on it, so the chart never shows an index without its counts. Updates run one at a
//! time; a change noticed meanwhile is checked right after.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Local;

use crate::core::index::IndexOptions;
use crate::core::ingest::ImportProgress;
use crate::core::store::{FolderWatch, UpdateReport};

use super::PresswatchApp;
use super::jobs::{self, Fresh, ImportJob, OpenedFolder, Updated};
use super::settings::{WatchItem, WatchKind};
use super::state::{Arrival, Folder};

/// How often the folder is checked even without file-system events (they are lost on network
/// drives, WSL and big trees).
pub const CHECK_EVERY: Duration = Duration::from_secs(300);

/// A file modified less than this long ago may still be being written: the watcher leaves it for
/// the next check.
pub const SETTLE: Duration = Duration::from_secs(2);

/// Arrivals the status bar remembers.
const MAX_ARRIVALS: usize = 20;

impl PresswatchApp {
    /// What count jobs count: `items` (default: the whole watchlist) under the outlet filter.
    pub(super) fn count_spec(&self, items: Option<Vec<WatchItem>>) -> jobs::CountSpec {
        jobs::CountSpec {
            items: items.unwrap_or_else(|| self.settings.watchlist.clone()),
            filter: self.article_filter(),
            each_story_once: self.settings.each_story_once,
        }
    }

    pub(super) fn index_options(&self) -> IndexOptions {
        IndexOptions { no_file_dates: !self.settings.use_file_dates, ..IndexOptions::default() }
    }

    /// Opens `path`: the stored state first (if any), then an update. Opening the folder that is
    /// already open only updates it.
    pub fn open_folder(&mut self, path: PathBuf) {
        if self.session.folder.as_ref().is_some_and(|f| same_folder(&f.path, &path)) {
            self.update_now();
            return;
        }
        if let Some(job) = &self.session.import {
            job.cancel();
        }
        // Leaving the previous folder: its watch and its write access end here.
        self.session.folder = None;
        self.session.folder_generation += 1;
        let folder = self.session.folder_generation;
        let (place, options, spec) = (self.stores.clone(), self.index_options(), self.count_spec(None));
        let p = path.clone();
        self.spawn("open", move || jobs::open(folder, &p, &place, &options, &spec));
        let progress = Arc::new(ImportProgress::default());
        self.session.import = Some(ImportJob { folder, path, progress, started: Instant::now(), first: true });
    }

    pub(super) fn opened(&mut self, folder: u64, result: Result<OpenedFolder, String>) {
        if folder != self.session.folder_generation {
            return;
        }
        let Some(job) = self.session.import.take() else { return };
        let opened = match result {
            Ok(opened) => opened,
            Err(e) => {
                self.session.error(format!("Cannot open {}: {e}", job.path.display()));
                return;
            }
        };
        if let Some(notice) = opened.notice {
            self.session.info(notice);
        }
        self.settings.remember_folder(&job.path);
        // An empty store (a first import, or one rebuilt for another version) knows nothing of
        // the previous visit: every article would read as new, so none is marked.
        let new_since = self.settings.visit(&job.path).filter(|_| opened.fresh.is_some());
        let writable = opened.store.writable();
        let watch = (writable && self.settings.watch_folder).then(|| self.start_watch(&job.path));
        self.session.folder = Some(Folder {
            path: job.path,
            store: opened.store,
            watch,
            next_check: Instant::now() + CHECK_EVERY,
            check_again: false,
            new_since,
            store_bytes: 0,
        });
        self.session.arrivals.clear();
        match opened.fresh {
            Some(fresh) => self.install(fresh, true),
            None => self.clear_index(),
        }
        if writable {
            self.start_update(self.session.index.is_none(), None);
        }
    }

    fn start_watch(&mut self, path: &std::path::Path) -> FolderWatch {
        let ctx = self.jobs.context();
        let watch = FolderWatch::start(path, move || ctx.request_repaint());
        if let Some(why) = &watch.fallback {
            self.session.info(why.clone());
        }
        watch
    }

    /// Turns watching on or off for the open folder (and remembers it).
    pub(super) fn set_watching(&mut self, on: bool) {
        self.settings.watch_folder = on;
        let path = match &self.session.folder {
            Some(f) if f.store.writable() => f.path.clone(),
            _ => return,
        };
        let watch = on.then(|| self.start_watch(&path));
        if let Some(folder) = self.session.folder.as_mut() {
            folder.watch = watch;
            folder.next_check = Instant::now() + CHECK_EVERY;
        }
        if on {
            // Whatever arrived while paused.
            self.update_now();
        }
    }

    /// "Reload": check the folder now.
    pub(super) fn update_now(&mut self) {
        self.start_update(false, None);
    }

    /// Starts an update unless one runs (then it is checked again right after). `first`: the
    /// window has nothing to show yet, so the full progress is shown.
    fn start_update(&mut self, first: bool, settle: Option<Duration>) {
        let Some(folder) = self.session.folder.as_mut() else { return };
        if self.session.import.is_some() {
            folder.check_again = true;
            return;
        }
        folder.next_check = Instant::now() + CHECK_EVERY;
        if !folder.store.writable() {
            // Another process keeps the store: read what it committed.
            let (store, fg, options) =
                (Arc::clone(&folder.store), self.session.folder_generation, self.index_options());
            let unchanged = self.session.index.as_ref().is_some_and(|i| i.updated == store.updated());
            if !unchanged {
                let spec = self.count_spec(None);
                self.spawn("reread", move || jobs::reread(fg, &store, &options, &spec));
            }
            return;
        }
        let store = Arc::clone(&folder.store);
        let path = folder.path.clone();
        let fg = self.session.folder_generation;
        let progress = Arc::new(ImportProgress::default());
        let import = jobs::import_options(self.settings.use_file_dates, self.settings.limits);
        let options = self.index_options();
        let spec = self.count_spec(None);
        let always_read = self.session.index.is_none();
        let p = Arc::clone(&progress);
        self.spawn("update", move || jobs::update(fg, &store, &import, &p, settle, (&options, &spec, always_read)));
        self.session.import = Some(ImportJob { folder: fg, path, progress, started: Instant::now(), first });
    }

    /// Reads the stored state again with the current options (file dates turned on or off).
    pub(super) fn reread(&mut self) {
        let Some(folder) = &self.session.folder else { return };
        let (store, fg, options) = (Arc::clone(&folder.store), self.session.folder_generation, self.index_options());
        let spec = self.count_spec(None);
        self.spawn("reread", move || jobs::reread(fg, &store, &options, &spec));
    }

    pub(super) fn updated(&mut self, folder: u64, result: Result<Updated, String>) {
        if folder != self.session.folder_generation {
            return;
        }
        let first = self.session.import.as_ref().is_some_and(|j| j.first);
        if self.session.import.as_ref().is_some_and(|j| j.folder == folder) {
            self.session.import = None;
        }
        let updated = match result {
            Ok(updated) => updated,
            Err(e) => {
                self.session.error(format!("The folder could not be brought up to date: {e}"));
                return;
            }
        };
        self.note_arrivals(&updated.report, first);
        if let Some(fresh) = updated.fresh {
            self.install(fresh, false);
        }
        if first && self.session.index.as_ref().is_some_and(|i| i.article_count() == 0) {
            let path = self.session.folder.as_ref().map(|f| f.path.display().to_string()).unwrap_or_default();
            let files = self.session.index.as_ref().map_or(0, |i| i.report.files_seen);
            self.session.error(format!("No articles found in {path} ({files} files looked at)."));
        }
        let Some(folder) = self.session.folder.as_mut() else { return };
        if updated.report.unsettled_files > 0 {
            // Files still being written: look again once they have settled.
            folder.next_check = folder.next_check.min(Instant::now() + SETTLE);
        }
        if std::mem::take(&mut folder.check_again) {
            self.start_update(false, Some(SETTLE));
        }
    }

    fn note_arrivals(&mut self, report: &UpdateReport, first: bool) {
        if report.cancelled {
            self.session.info(
                "Import stopped: the files read so far are kept, and the rest are read when the folder is next opened."
                    .to_string(),
            );
        }
        if first || report.articles_added == 0 {
            return;
        }
        let arrivals = &mut self.session.arrivals;
        arrivals.push(Arrival {
            articles: report.articles_added,
            files: report.added_files + report.changed_files,
            at: Local::now(),
        });
        if arrivals.len() > MAX_ARRIVALS {
            arrivals.remove(0);
        }
    }

    /// Shows a new state of the folder. A state of the same folder keeps the selection (its
    /// rows are listed again), the zoom and the open article.
    fn install(&mut self, fresh: Fresh, new_folder: bool) {
        let s = &mut self.session;
        s.generation += 1;
        s.dated = fresh.index.dated();
        let new_since = s.folder.as_ref().and_then(|f| f.new_since);
        s.new_articles = new_since.map_or(0, |t| fresh.index.new_since(t));
        if let Some(folder) = s.folder.as_mut() {
            folder.store_bytes = fresh.store_bytes;
        }
        s.index = Some(fresh.index);
        s.filtered_totals = fresh.totals;
        s.copies = fresh.copies;
        s.finding_copies = None;
        s.counts.clear();
        s.counting.clear();
        s.count_errors.clear();
        for (key, result) in fresh.counts {
            match result {
                Ok(c) => {
                    s.counts.insert(key, c);
                }
                Err(e) => {
                    s.count_errors.insert(key, e);
                }
            }
        }
        s.chart_dirty = true;
        self.make_entity_table();
        self.reset_tabs();
        if new_folder {
            self.session.split = None;
        } else if let Some((key, _)) = self.session.split.clone() {
            self.split_by_source(Some(key));
        }
        let s = &mut self.session;
        if new_folder {
            s.selection = None;
            s.rows.clear();
            s.selected_row = None;
            s.viewer = None;
        } else {
            self.relist_rows();
        }
        // Each story once was turned on while this state was read: find its copies now.
        if self.settings.each_story_once && self.session.copies.is_none() {
            self.set_each_story_once(true);
        }
        self.request_counts();
    }

    /// Has a worker make the new index's entity table, then count the watched entities on it.
    fn make_entity_table(&mut self) {
        let Some(index) = self.session.index.clone() else { return };
        let items: Vec<WatchItem> =
            self.settings.watchlist.iter().filter(|w| w.kind == WatchKind::Entity).cloned().collect();
        self.session.counting.extend(items.iter().map(WatchItem::key));
        let generation = self.session.generation;
        let spec = self.count_spec(Some(items));
        self.spawn("entities", move || jobs::entities(generation, &index, &spec));
    }

    fn clear_index(&mut self) {
        let s = &mut self.session;
        s.index = None;
        s.generation += 1;
        s.counts.clear();
        s.counting.clear();
        s.count_errors.clear();
        s.selection = None;
        s.rows.clear();
        s.selected_row = None;
        s.viewer = None;
        s.chart_dirty = true;
    }

    /// Called every frame: starts an update when the watch saw a change or a check is due, and
    /// asks for a frame when the next check is.
    pub(super) fn keep_folder_current(&mut self, ctx: &egui::Context) {
        if !self.settings.watch_folder {
            return;
        }
        let Some(folder) = self.session.folder.as_mut() else { return };
        let changed = folder.watch.as_ref().is_some_and(FolderWatch::take_change);
        let now = Instant::now();
        if changed || now >= folder.next_check {
            if self.session.import.is_some() {
                folder.check_again |= changed;
            } else {
                self.start_update(false, Some(SETTLE));
            }
        }
        if let Some(folder) = &self.session.folder {
            ctx.request_repaint_after(folder.next_check.saturating_duration_since(Instant::now()));
        }
    }

    /// Deletes the open folder's stored data and closes it; opening it again imports it anew.
    pub(super) fn forget_folder(&mut self) {
        let Some(folder) = self.session.folder.take() else { return };
        if let Some(job) = &self.session.import {
            job.cancel();
        }
        self.session.import = None;
        self.session.folder_generation += 1;
        let path = folder.path.clone();
        let location = folder.store.location().cloned();
        // The store's files are closed before they are deleted.
        drop(folder);
        self.clear_index();
        match location {
            Some(location) => match location.forget() {
                Ok(()) => self.session.info(format!(
                    "The stored data of {} was deleted. Open the folder again to import it anew.",
                    path.display()
                )),
                Err(e) => self.session.error(format!("Could not delete {}: {e}", location.dir.display())),
            },
            None => self.session.info("This folder was kept in memory only: nothing was stored."),
        }
    }
}

/// Whether two paths name the same folder.
fn same_folder(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}
