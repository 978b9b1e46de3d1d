//! The dashboard window (eframe/egui): open a folder, chart watched terms and entities over
//! time, drill into a period's articles, read one with its mentions highlighted, export.
//!
//! [`PresswatchApp`] owns three things: persisted [`settings::Settings`], the session's
//! [`state::Session`], and the [`jobs::Jobs`] running off the UI thread. Each frame drains job
//! events, lets every panel (one file each) draw and push [`commands::Command`]s, then applies
//! those commands. The window never parses a file or counts on the UI thread: it calls the core
//! from workers and shows what comes back.

mod alert_watch;
mod alerts;
pub mod articles;
pub mod chart;
pub mod commands;
mod context;
pub mod dialogs;
pub mod entities;
mod export;
mod folder;
mod highlight;
pub mod jobs;
mod selection;
pub mod settings;
mod sources;
pub mod state;
mod status_bar;
mod together;
mod top_bar;
mod viewer;
pub mod watchlist;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::core::index::Index;

use commands::Command;
use dialogs::{FileDialogs, PathPrompt};
use jobs::{JobEvent, Jobs, Purpose, StorePlace};
use settings::{Loaded, Settings};
use state::Session;

/// How long a frame may spend applying job events before it draws.
const DRAIN_BUDGET: Duration = Duration::from_millis(3);

pub struct PresswatchApp {
    pub settings: Settings,
    pub session: Session,
    jobs: Jobs,
    dialogs: Arc<dyn FileDialogs>,
    /// Where folder stores are kept.
    stores: StorePlace,
    /// Jobs started and not yet answered: tests and the timing tool wait for zero.
    pending_jobs: usize,
    top_bar: top_bar::TopBarUi,
    watchlist: watchlist::WatchlistUi,
    entities: entities::EntitiesUi,
    /// Frames to wait before taking the PNG screenshot, so closed dialogs are gone from it.
    screenshot_in: Option<u8>,
    /// What to import on the first frame (jobs start from frames, where the context is known).
    open_at_start: Option<PathBuf>,
    /// The UI's own work in the last frame (draining jobs, panels, commands), for measurements.
    pub last_frame_work: Duration,
}

/// What the window opens when it starts.
pub enum Open {
    /// A folder given on the command line.
    Folder(PathBuf),
    /// The last folder, else the bundled sample data.
    LastOrSample,
    /// Nothing (tests that open through the injected dialog).
    Nothing,
}

/// The bundled `sample-data/`: beside the current directory, else in the source tree.
pub fn sample_data() -> Option<PathBuf> {
    let here = PathBuf::from("sample-data");
    if here.is_dir() {
        return Some(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    built.is_dir().then_some(built)
}

impl PresswatchApp {
    /// `saved` is the settings string from eframe's storage.
    pub fn new(saved: Option<&str>, open: Open, dialogs: Arc<dyn FileDialogs>) -> Self {
        let mut session = Session::default();
        let settings = match Settings::load(saved) {
            Loaded::Fresh(s) | Loaded::Restored(s) => s,
            Loaded::Fallback(s, why) => {
                session.error(why);
                s
            }
        };
        let mut app = Self {
            settings,
            session,
            jobs: Jobs::new(),
            dialogs,
            stores: StorePlace::DataDir,
            pending_jobs: 0,
            top_bar: top_bar::TopBarUi::default(),
            watchlist: watchlist::WatchlistUi::default(),
            entities: entities::EntitiesUi::default(),
            screenshot_in: None,
            open_at_start: None,
            last_frame_work: Duration::ZERO,
        };
        app.top_bar.sync_range(&app.settings);
        app.open_at_start = match open {
            Open::Folder(folder) => Some(folder),
            Open::LastOrSample => app.settings.last_folder.clone().filter(|f| f.exists()).or_else(sample_data),
            Open::Nothing => None,
        };
        if app.open_at_start.is_none() {
            app.session.info("Open a folder of articles to start (Ctrl+O).");
        }
        app
    }

    /// Keeps folder stores under `place` instead of the platform's data directory.
    pub fn with_stores(mut self, place: StorePlace) -> Self {
        self.stores = place;
        self
    }

    pub fn index(&self) -> Option<&Arc<Index>> {
        self.session.index.as_ref()
    }

    /// True while an import, count, article load, dialog or export is running.
    pub fn busy(&self) -> bool {
        self.pending_jobs > 0 || self.screenshot_in.is_some()
    }

    /// One frame: apply finished jobs, draw every panel, apply the panels' commands.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let started = Instant::now();
        let ctx = ui.ctx().clone();
        self.jobs.attach(&ctx);
        if let Some(folder) = self.open_at_start.take() {
            self.apply(Command::OpenPath(folder));
        }
        for event in self.jobs.drain(DRAIN_BUDGET) {
            self.pending_jobs = self.pending_jobs.saturating_sub(1);
            self.handle(event);
        }
        self.keep_folder_current(&ctx);
        self.load_tab();
        if self.session.chart_dirty {
            self.rebuild_chart();
        }
        let mut commands = Vec::new();
        self.shortcuts(&ctx, &mut commands);
        self.draw(ui, &mut commands);
        self.session.scroll_to_row = false;
        if let Some(Ok(loaded)) = self.session.viewer.as_mut().and_then(|v| v.loaded.as_mut()) {
            loaded.scroll_to_current = false;
        }
        for command in commands {
            self.apply(command);
        }
        self.take_screenshot_when_due(&ctx);
        if self.session.updating() {
            // The progress bar reads atomics: repaint a few times a second while importing.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        self.last_frame_work = started.elapsed();
    }

    fn draw(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let ctx = ui.ctx().clone();
        egui::Panel::top("top_bar").show(ui, |ui| {
            top_bar::show(ui, &self.settings, &self.session, &mut self.top_bar, commands);
        });
        if !self.session.notices.is_empty() {
            egui::Panel::top("notices").show(ui, |ui| {
                status_bar::notices(ui, &self.session.notices, commands);
            });
        }
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            status_bar::show(ui, &self.session, self.settings.watch_folder, commands);
        });
        egui::Panel::left("watch").resizable(true).default_size(280.0).size_range(200.0..=520.0).show(ui, |ui| {
            // Panels otherwise shrink to their content and forget their default width.
            ui.set_min_width(ui.available_width());
            watchlist::show(ui, &self.settings, &self.session, &mut self.watchlist, commands);
            ui.separator();
            entities::show(ui, &self.settings, &self.session, &mut self.entities, commands);
        });
        egui::Panel::right("viewer").resizable(true).default_size(380.0).size_range(240.0..=900.0).show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            viewer::show(ui, &self.session, commands);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::Panel::bottom("articles").resizable(true).default_size(260.0).size_range(120.0..=700.0).show(
                ui,
                |ui| {
                    // Kept at its size whatever the tab holds, so the chart does not jump.
                    ui.set_min_height(ui.available_height());
                    selection::show(ui, &self.settings, &self.session, commands);
                },
            );
            let plot = chart::show(ui, &self.settings, &self.session, commands);
            self.session.plot_rect = plot.map(|p| p.0);
            self.session.plot_transform = plot.map(|p| p.1);
        });
        if let Some(prompt) = self.session.prompt.as_mut()
            && !prompt.show(&ctx, commands)
        {
            self.session.prompt = None;
        }
        if self.session.show_skipped {
            let skipped = self.session.index.as_ref().map(|i| i.report.skipped.as_slice());
            self.session.show_skipped = dialogs::show_skipped(&ctx, skipped.unwrap_or_default());
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let shortcut = |key| KeyboardShortcut::new(Modifiers::COMMAND, key);
        ctx.input_mut(|i| {
            if i.consume_shortcut(&shortcut(Key::O)) {
                commands.push(Command::Dialog(Purpose::OpenFolder));
            }
            if i.consume_shortcut(&shortcut(Key::E)) {
                commands.push(Command::Dialog(Purpose::ExportCsv));
            }
            if i.consume_shortcut(&shortcut(Key::F)) {
                self.entities.focus_search = true;
            }
        });
        // Arrow keys move in the article list unless a text field is being edited.
        if !ctx.egui_wants_keyboard_input() {
            ctx.input(|i| {
                if i.key_pressed(Key::ArrowDown) {
                    commands.push(Command::MoveRow(1));
                }
                if i.key_pressed(Key::ArrowUp) {
                    commands.push(Command::MoveRow(-1));
                }
            });
        }
    }

    fn spawn(&mut self, name: &str, work: impl FnOnce() -> JobEvent + Send + 'static) {
        match self.jobs.spawn(name, work) {
            Ok(()) => self.pending_jobs += 1,
            Err(e) => self.session.error(format!("Could not start a worker thread ({e}).")),
        }
    }

    /// Counts every watch item that has no counts yet, in one job. Entity items wait for the
    /// index's entity table, which a job of its own makes (see `folder.rs`).
    fn request_counts(&mut self) {
        let Some(index) = self.session.index.clone() else {
            return;
        };
        // Counting each story once needs the copy groups: counts wait for them (see
        // `set_each_story_once`).
        if self.settings.each_story_once && self.session.copies.is_none() {
            return;
        }
        let entities_ready = index.entity_table_if_ready().is_some();
        let items: Vec<_> = self
            .settings
            .watchlist
            .iter()
            .filter(|w| {
                let key = w.key();
                (entities_ready || w.kind == settings::WatchKind::Term)
                    && !self.session.counts.contains_key(&key)
                    && !self.session.counting.contains(&key)
            })
            .cloned()
            .collect();
        if items.is_empty() {
            return;
        }
        self.session.counting.extend(items.iter().map(|w| w.key()));
        let generation = self.session.generation;
        let spec = self.count_spec(Some(items));
        self.spawn("count", move || jobs::count(generation, &index, &spec));
    }

    fn handle(&mut self, event: JobEvent) {
        match event {
            JobEvent::Opened { folder, result } => self.opened(folder, result),
            JobEvent::Updated { folder, result } => self.updated(folder, result),
            JobEvent::Counted { generation, results } => {
                if generation != self.session.generation {
                    return;
                }
                for (key, result) in results {
                    self.session.counting.remove(&key);
                    match result {
                        Ok(c) => {
                            self.session.count_errors.remove(&key);
                            self.session.counts.insert(key, c);
                        }
                        Err(e) => {
                            self.session.count_errors.insert(key, e);
                        }
                    }
                }
                self.session.chart_dirty = true;
            }
            JobEvent::RowsLoaded { request, rows } => self.rows_loaded(request, rows),
            JobEvent::TabLoaded { request, rows } => self.tab_loaded(request, rows),
            JobEvent::Alerts { request, rows } => self.alerts_found(request, rows),
            JobEvent::Copies { generation, groups } => self.copies_found(generation, groups),
            JobEvent::Filtered { generation, totals, daily } => self.filtered(generation, totals, daily),
            JobEvent::Split { generation, key, split } => self.split_loaded(generation, key, split),
            JobEvent::ArticleLoaded { request, result } => self.article_loaded(request, result),
            JobEvent::Picked { purpose, path } => match path {
                Some(path) => self.apply(match purpose {
                    Purpose::OpenFolder => Command::OpenPath(path),
                    Purpose::ExportCsv => Command::ExportCsv(path),
                    Purpose::ExportPng => Command::ExportPng(path),
                    Purpose::ExportContext => Command::ExportContext(path),
                }),
                None => self.session.prompt = Some(PathPrompt { purpose, text: String::new(), focus: true }),
            },
            JobEvent::Screenshot(image, ppp) => self.screenshot_taken(&image, ppp),
            JobEvent::Saved { what, result } => match result {
                Ok(path) => self.session.info(format!("{what} saved to {}", path.display())),
                Err(e) => self.session.error(format!("{what} not saved: {e}")),
            },
        }
    }

    /// Rebuilds the chart's trends from the cached daily counts of the visible items.
    fn rebuild_chart(&mut self) {
        self.session.chart_dirty = false;
        self.request_alerts();
        let Some(index) = &self.session.index else {
            self.session.chart = None;
            return;
        };
        // Split by outlet: the item's busiest outlets, in a palette of their own.
        if let Some((key, Some(split))) = &self.session.split
            && let Some(item) = self.settings.watchlist.iter().position(|w| w.key() == *key)
            && let Some((_, first)) = split.first()
        {
            let mut trends = first.clone();
            trends.series = split
                .iter()
                .map(|(outlet, t)| {
                    let name = if outlet.is_empty() { "(no source)" } else { outlet.as_str() };
                    crate::core::timeline::Series { label: name.to_string(), ..t.series[0].clone() }
                })
                .collect();
            let colors = (0..trends.series.len()).map(|i| settings::PALETTE[i % settings::PALETTE.len()]).collect();
            self.session.chart = Some(state::ChartData { items: vec![item; trends.series.len()], trends, colors });
            return;
        }
        let mut items = Vec::new();
        let mut colors = Vec::new();
        let mut series = Vec::new();
        for (i, item) in self.settings.watchlist.iter().enumerate() {
            if let (true, Some(c)) = (item.visible, self.session.counts.get(&item.key())) {
                items.push(i);
                colors.push(item.color);
                series.push((item.label.clone(), (*c.daily).clone()));
            }
        }
        let totals = self.session.filtered_totals.as_deref().unwrap_or(&index.day_totals);
        let trends = crate::core::timeline::Trends::build(
            self.settings.bucket,
            self.settings.from,
            self.settings.to,
            totals,
            &series,
        );
        self.session.chart = Some(state::ChartData { trends, items, colors });
    }
}

impl eframe::App for PresswatchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(settings::STORAGE_KEY, self.settings.to_json());
    }
}

/// Opens the window; `open` is a folder from the command line.
pub fn run(open: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Presswatch")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Presswatch",
        options,
        Box::new(move |cc| {
            let saved = cc.storage.and_then(|s| s.get_string(settings::STORAGE_KEY));
            let open = open.map_or(Open::LastOrSample, Open::Folder);
            Ok(Box::new(PresswatchApp::new(saved.as_deref(), open, Arc::new(dialogs::NativeDialogs))))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
