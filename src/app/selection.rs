//! The tabs under the chart, each about the selected item and period: its articles, its sources,
//! the entities mentioned with it, and its mentions in context. A tab's content is made on a
//! worker the first time it is shown for a selection, and dropped when the selection or the
//! index changes.
//!
//! Also here: what the Sources tab changes beyond itself, the outlet filter and the chart split
//! by outlet, which are applied by workers and reach the chart as events.

use std::sync::Arc;

use super::commands::Command;
use super::jobs::{self, TabRows};
use super::state::{OutletFilter, Session, Tab, TabData};
use super::{PresswatchApp, articles, context, sources, together};

/// The tab bar and the open tab.
pub fn show(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        for (tab, name, hover) in [
            (Tab::Articles, "Articles", "The articles of the selected point"),
            (Tab::Sources, "Sources", "Its outlets, by articles and mentions; filter the chart by outlet"),
            (Tab::Together, "Mentioned with", "The entities mentioned in the same articles"),
            (Tab::Context, "In context", "Every counted mention with the words around it"),
        ] {
            if ui.selectable_label(session.tab == tab, name).on_hover_text(hover).clicked() {
                commands.push(Command::SetTab(tab));
            }
        }
        if let Some(filter) = &session.outlet_filter {
            ui.separator();
            let what = if filter.only { "Only" } else { "Without" };
            let names: Vec<&str> =
                filter.outlets.iter().map(|o| if o.is_empty() { "(no source)" } else { o }).collect();
            ui.label(egui::RichText::new(format!("{what}: {}", names.join(", "))).strong())
                .on_hover_text("The chart and the lists count these outlets' articles only");
            if ui.small_button("Clear filter").clicked() {
                commands.push(Command::SetOutletFilter(None));
            }
        }
    });
    ui.separator();
    match session.tab {
        Tab::Articles => articles::show(ui, session, commands),
        Tab::Sources => sources::show(ui, session, commands),
        Tab::Together => together::show(ui, session, commands),
        Tab::Context => context::show(ui, session, commands),
    }
}

/// A placeholder while a tab loads or when nothing is selected; true when the tab can draw.
pub fn ready<T>(ui: &mut egui::Ui, session: &Session, slot: &Option<(u64, Option<T>)>) -> bool {
    if session.selection.is_none() {
        ui.add_space(6.0);
        ui.weak("Click a point on the chart to see its articles, sources, entities and mentions.");
        return false;
    }
    if !matches!(slot, Some((_, Some(_)))) {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("Loading…");
        });
        return false;
    }
    true
}

impl PresswatchApp {
    /// Forgets the tabs' contents (the selection or the index changed).
    pub(super) fn reset_tabs(&mut self) {
        let sort = self.session.tab_data.context_sort;
        self.session.tab_data = TabData { context_sort: sort, ..TabData::default() };
    }

    /// Starts the job for the open tab when its content is missing (once per selection).
    pub(super) fn load_tab(&mut self) {
        let (Some(index), Some(selection)) = (self.session.index.clone(), self.session.selection.clone()) else {
            return;
        };
        if self.session.rows_loading.is_some() {
            return;
        }
        let rows: Vec<(u32, u32)> = self.session.rows.iter().map(|r| (r.article, r.mentions)).collect();
        let data = &self.session.tab_data;
        let missing = match self.session.tab {
            Tab::Articles => false,
            Tab::Sources => data.sources.is_none(),
            Tab::Together => data.together.is_none(),
            Tab::Context => data.context.is_none(),
        };
        if !missing {
            return;
        }
        self.session.next_request += 1;
        let request = self.session.next_request;
        match self.session.tab {
            Tab::Articles => {}
            Tab::Sources => {
                self.session.tab_data.sources = Some((request, None));
                self.spawn("sources", move || jobs::sources(request, &index, &rows));
            }
            Tab::Together => {
                self.session.tab_data.together = Some((request, None));
                let item = self.settings.watchlist.iter().find(|w| w.key() == selection.key).cloned();
                let exclude = item.filter(|w| w.kind == super::settings::WatchKind::Entity).map(|w| w.query);
                let mut articles: Vec<u32> = rows.iter().map(|r| r.0).collect();
                articles.sort_unstable();
                let period = (selection.first, selection.last);
                self.spawn("together", move || jobs::together(request, &index, &articles, period, exclude.as_deref()));
            }
            Tab::Context => {
                let Some(item) = self.settings.watchlist.iter().find(|w| w.key() == selection.key).cloned() else {
                    return;
                };
                self.session.tab_data.context = Some((request, None));
                let articles: Vec<u32> = rows.iter().map(|r| r.0).collect();
                self.spawn("context", move || jobs::context(request, &index, &item, &articles));
            }
        }
    }

    pub(super) fn tab_loaded(&mut self, request: u64, rows: TabRows) {
        let data = &mut self.session.tab_data;
        match rows {
            TabRows::Sources(r) => fill(&mut data.sources, request, r),
            TabRows::Together(r) => fill(&mut data.together, request, r),
            TabRows::Context(r) => {
                fill(&mut data.context, request, r);
                self.sort_context();
            }
        }
    }

    /// Keeps the chart and the lists to `filter`'s outlets: every counted item's days and the
    /// totals are made again on a worker; the selection's lists follow.
    pub(super) fn set_outlet_filter(&mut self, filter: Option<OutletFilter>) {
        let filter = filter.filter(|f| !f.outlets.is_empty());
        if filter == self.session.outlet_filter {
            return;
        }
        self.session.outlet_filter = filter.clone();
        let Some(index) = self.session.index.clone() else { return };
        let items: Vec<(String, Arc<crate::core::index::TermHits>)> =
            self.session.counts.iter().map(|(k, c)| (k.clone(), Arc::clone(&c.hits))).collect();
        let generation = self.session.generation;
        self.spawn("filter", move || jobs::filter(generation, &index, filter, items));
        if let Some((key, _)) = self.session.split.clone() {
            self.split_by_source(Some(key));
        }
        self.relist_rows();
    }

    pub(super) fn filtered(
        &mut self,
        generation: u64,
        totals: Option<Arc<std::collections::BTreeMap<chrono::NaiveDate, crate::core::timeline::DayTotal>>>,
        daily: Vec<(String, Arc<std::collections::BTreeMap<chrono::NaiveDate, crate::core::timeline::DayCount>>)>,
    ) {
        if generation != self.session.generation {
            return;
        }
        self.session.filtered_totals = totals;
        for (key, days) in daily {
            if let Some(c) = self.session.counts.get_mut(&key) {
                c.daily = days;
            }
        }
        self.session.chart_dirty = true;
    }

    /// Splits the chart into one line per outlet of watch item `key` (its busiest outlets), or
    /// back to the watchlist's lines.
    pub(super) fn split_by_source(&mut self, key: Option<String>) {
        self.session.split = None;
        self.session.chart_dirty = true;
        let (Some(key), Some(index)) = (key, self.session.index.clone()) else { return };
        let Some(hits) = self.session.counts.get(&key).map(|c| Arc::clone(&c.hits)) else { return };
        self.session.split = Some((key.clone(), None));
        let generation = self.session.generation;
        let view = (self.settings.bucket, self.settings.from, self.settings.to);
        let filter = self.session.outlet_filter.clone();
        self.spawn("split", move || jobs::split(generation, &index, key, hits, filter.as_ref(), view));
    }

    pub(super) fn split_loaded(
        &mut self,
        generation: u64,
        key: String,
        split: Vec<(String, crate::core::timeline::Trends)>,
    ) {
        if generation != self.session.generation {
            return;
        }
        if let Some((k, slot)) = &mut self.session.split
            && *k == key
        {
            *slot = Some(split);
            self.session.chart_dirty = true;
        }
    }
}

fn fill<T>(slot: &mut Option<(u64, Option<T>)>, request: u64, rows: T) {
    if let Some((r, data)) = slot
        && *r == request
    {
        *data = Some(rows);
    }
}
