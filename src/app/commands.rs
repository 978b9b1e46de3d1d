//! What panels ask for, and how the app carries it out. Panels read the state and push
//! `Command`s; the app applies them once per frame ([`PresswatchApp::apply`]), so no widget
//! mutates shared state from deep inside a layout. Tests and the timing tool script the window
//! through the same entry.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::core::ingest::Limits;
use crate::core::timeline::{Bucket, Metric};

use super::articles::SortColumn;
use super::jobs::{JobEvent, Purpose};
use super::{PresswatchApp, settings, viewer};

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Show a file dialog (on a worker) for `Purpose`.
    Dialog(Purpose),
    OpenPath(PathBuf),
    /// Check the open folder for new and changed files now.
    Reload,
    CancelImport,
    SetUseFileDates(bool),
    /// New import limits: files the previous ones kept out are read again.
    SetLimits(Limits),
    /// Watch the open folder (and check it every few minutes), or pause that.
    SetWatching(bool),
    /// Delete the open folder's stored data and close it.
    ForgetStore,
    SetBucket(Bucket),
    SetMetric(Metric),
    SetRange(Option<NaiveDate>, Option<NaiveDate>),
    /// A term in the core's syntax, already validated by the watchlist panel.
    AddTerm(String),
    AddEntity(String),
    RemoveItem(usize),
    SetVisible(usize, bool),
    Rename(usize, String),
    SetColor(usize, [u8; 3]),
    /// A click on the chart: watchlist item and period index.
    SelectPoint {
        item: usize,
        period: usize,
    },
    /// A row of the article list (in its current order).
    SelectRow(usize),
    /// Move the article selection by this many rows (arrow keys).
    MoveRow(isize),
    Sort(SortColumn),
    /// Jump to the next (+1) or previous (-1) highlighted mention in the viewer.
    StepMention(isize),
    ExportCsv(PathBuf),
    ExportPng(PathBuf),
    ShowSkipped,
    DismissNotice(usize),
    /// Show this tab under the chart.
    SetTab(super::state::Tab),
    /// Keep the chart and the lists to these outlets (or all but them); `None` for all.
    SetOutletFilter(Option<super::state::OutletFilter>),
    /// Split the chart by outlet for this watch item (key), or back to the watchlist.
    SplitBySource(Option<String>),
    SortContext(super::state::ContextSort),
    /// Open the article of this concordance line at its mention.
    OpenMention(usize),
    ExportContext(PathBuf),
    /// Select an alert's item and period (by its place in the Alerts tab).
    SelectAlert(usize),
    /// Open one of an alert's top articles in the viewer.
    OpenAlertArticle {
        alert: usize,
        article: usize,
    },
    MarkAlertsSeen,
    /// Open this article in the viewer.
    OpenArticle(crate::core::index::ArticleIdx),
    /// Count each story once (copies of an earlier article left out), or every article.
    SetEachStoryOnce(bool),
    SetAlertRule(crate::core::alerts::AlertSettings),
}

impl PresswatchApp {
    /// Applies one command, as if a panel had sent it (also the scripting entry for tests).
    pub fn apply(&mut self, command: Command) {
        use Command as C;
        match command {
            C::Dialog(purpose) => self.dialog(purpose),
            C::OpenPath(path) => {
                if path.exists() {
                    self.open_folder(path);
                } else {
                    self.session.error(format!("No such folder or file: {}", path.display()));
                }
            }
            C::Reload => {
                if self.session.folder.is_some() {
                    self.update_now();
                } else {
                    self.session.info("Nothing to reload: open a folder first.");
                }
            }
            C::CancelImport => {
                if let Some(job) = &self.session.import {
                    job.cancel();
                }
            }
            C::SetUseFileDates(on) => {
                self.settings.use_file_dates = on;
                // The store keeps file dates either way: only the index is read again.
                self.reread();
            }
            C::SetLimits(limits) => {
                self.settings.limits = limits;
                // The store reads again the files other limits kept out.
                self.update_now();
            }
            C::SetWatching(on) => self.set_watching(on),
            C::ForgetStore => self.forget_folder(),
            C::SetBucket(b) => {
                self.settings.bucket = b;
                self.clear_selection();
                self.session.chart_dirty = true;
                if let Some((key, _)) = self.session.split.clone() {
                    self.split_by_source(Some(key));
                }
            }
            C::SetMetric(m) => self.settings.metric = m,
            C::SetRange(from, to) => {
                self.settings.from = from;
                self.settings.to = to;
                self.session.chart_dirty = true;
                if let Some((key, _)) = self.session.split.clone() {
                    self.split_by_source(Some(key));
                }
            }
            C::AddTerm(query) => {
                if !self.settings.add_term(&query) {
                    self.session.error(format!("\"{query}\" is already on the watchlist."));
                }
                self.request_counts();
            }
            C::AddEntity(name) => {
                let kind = settings::WatchKind::Entity;
                if !self.settings.add_item(&name, name.clone(), kind) {
                    self.session.info(format!("\"{name}\" is already on the watchlist."));
                }
                self.request_counts();
            }
            C::RemoveItem(i) => {
                if i < self.settings.watchlist.len() {
                    let item = self.settings.watchlist.remove(i);
                    if self.session.selection.as_ref().map(|s| &s.key) == Some(&item.key()) {
                        self.clear_selection();
                    }
                    self.session.chart_dirty = true;
                }
            }
            C::SetVisible(i, on) => {
                if let Some(item) = self.settings.watchlist.get_mut(i) {
                    item.visible = on;
                    self.session.chart_dirty = true;
                }
            }
            C::Rename(i, label) => self.rename(i, label),
            C::SetColor(i, color) => {
                if let Some(item) = self.settings.watchlist.get_mut(i) {
                    item.color = color;
                }
            }
            C::SelectPoint { item, period } => self.select_point(item, period),
            C::SelectRow(row) => self.select_row(row),
            C::MoveRow(delta) => {
                let next = match self.session.selected_row {
                    Some(r) => r.saturating_add_signed(delta),
                    None => 0,
                };
                if next < self.session.rows.len() {
                    self.select_row(next);
                    self.session.scroll_to_row = true;
                }
            }
            C::Sort(column) => {
                let (current, ascending) = self.session.sort;
                self.session.sort = (column, current != column || !ascending);
                self.sort_rows();
            }
            C::StepMention(delta) => viewer::step(&mut self.session, delta),
            C::ExportCsv(path) => self.export_csv(path),
            C::ExportPng(path) => {
                self.session.pending_png = Some(path);
                self.screenshot_in = Some(2);
            }
            C::ShowSkipped => self.session.show_skipped = true,
            C::SetTab(tab) => self.set_tab(tab),
            C::SetOutletFilter(filter) => self.set_outlet_filter(filter),
            C::SplitBySource(key) => self.split_by_source(key),
            C::SortContext(sort) => {
                self.session.tab_data.context_sort = sort;
                self.sort_context();
            }
            C::OpenMention(i) => self.open_mention(i),
            C::ExportContext(path) => self.export_context(path),
            C::SelectAlert(i) => self.select_alert(i),
            C::OpenAlertArticle { alert, article } => {
                let top = self.session.alerts.rows.as_ref().and_then(|r| r.get(alert)?.top.get(article).map(|t| t.0));
                self.select_alert(alert);
                if let Some(article) = top {
                    self.open_article(article);
                }
            }
            C::MarkAlertsSeen => self.mark_alerts_seen(),
            C::OpenArticle(article) => self.open_article(article),
            C::SetEachStoryOnce(on) => self.set_each_story_once(on),
            C::SetAlertRule(rule) => {
                self.settings.alert_rule = rule;
                self.request_alerts();
            }
            C::DismissNotice(i) => {
                if i < self.session.notices.len() {
                    self.session.notices.remove(i);
                }
            }
        }
    }

    fn dialog(&mut self, purpose: Purpose) {
        let dialogs = Arc::clone(&self.dialogs);
        let start = self.index().map(|i| i.root.clone());
        self.spawn("dialog", move || {
            let path = match purpose {
                Purpose::OpenFolder => dialogs.pick_folder(start.as_deref()),
                Purpose::ExportCsv => dialogs.save_file(purpose.title(), "chart.csv", "csv"),
                Purpose::ExportPng => dialogs.save_file(purpose.title(), "chart.png", "png"),
                Purpose::ExportContext => dialogs.save_file(purpose.title(), "mentions.csv", "csv"),
            };
            JobEvent::Picked { purpose, path }
        });
    }

    fn rename(&mut self, i: usize, label: String) {
        let label = label.trim().to_string();
        let taken =
            self.settings.watchlist.iter().enumerate().any(|(j, w)| j != i && w.label.eq_ignore_ascii_case(&label));
        if label.is_empty() || taken {
            self.session.error(format!("\"{label}\" is empty or already used by another item."));
            return;
        }
        if let Some(item) = self.settings.watchlist.get_mut(i) {
            if let Some(sel) = self.session.selection.as_mut()
                && sel.key == item.key()
            {
                sel.label = label.clone();
            }
            item.label = label;
            self.session.chart_dirty = true;
        }
    }

    fn clear_selection(&mut self) {
        self.session.selection = None;
        self.session.rows.clear();
        self.session.selected_row = None;
        self.reset_tabs();
    }
}
