//! The top bar: open a folder (dialog, recent folders), reload, import options and limits,
//! bucket, metric, date range and the two exports.

use chrono::NaiveDate;

use crate::core::ingest::Limits;
use crate::core::timeline::{Bucket, Metric};

use super::commands::Command;
use super::jobs::Purpose;
use super::settings::Settings;
use super::state::Session;

/// The date fields' text and the limits while they are edited.
#[derive(Default)]
pub struct TopBarUi {
    from: String,
    to: String,
    range_error: Option<String>,
    /// Applied when the user lets go of a field, not at every step of a drag.
    limits: Option<Limits>,
}

impl TopBarUi {
    /// Shows the saved range in the fields.
    pub fn sync_range(&mut self, settings: &Settings) {
        self.from = settings.from.map(|d| d.to_string()).unwrap_or_default();
        self.to = settings.to.map(|d| d.to_string()).unwrap_or_default();
        self.range_error = None;
    }

    fn parse(&mut self) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        let day = |s: &str| -> Result<Option<NaiveDate>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("\"{s}\" is not a date like 2024-12-19"))
        };
        let range = day(&self.from).and_then(|from| {
            let to = day(&self.to)?;
            match (from, to) {
                (Some(f), Some(t)) if f > t => Err("the first day is after the last".to_string()),
                _ => Ok((from, to)),
            }
        });
        match range {
            Ok(r) => {
                self.range_error = None;
                Some(r)
            }
            Err(e) => {
                self.range_error = Some(e);
                None
            }
        }
    }
}

pub fn show(
    ui: &mut egui::Ui,
    settings: &Settings,
    session: &Session,
    state: &mut TopBarUi,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        if ui.button("Open folder…").on_hover_text("Import a folder of articles (Ctrl+O)").clicked() {
            commands.push(Command::Dialog(Purpose::OpenFolder));
        }
        ui.menu_button("Recent", |ui| {
            if settings.recent_folders.is_empty() {
                ui.weak("No recent folders");
            }
            for folder in &settings.recent_folders {
                if ui.button(folder.display().to_string()).clicked() {
                    commands.push(Command::OpenPath(folder.clone()));
                }
            }
        });
        if ui
            .add_enabled(session.folder.is_some(), egui::Button::new("Reload"))
            .on_hover_text("Read new and changed files of the folder now")
            .clicked()
        {
            commands.push(Command::Reload);
        }
        ui.menu_button("Options", |ui| {
            let mut on = settings.use_file_dates;
            if ui
                .checkbox(&mut on, "Date undated articles by their file time")
                .on_hover_text(
                    "Files copied or downloaded recently carry today's time, which stretches the \
                     time axis; such periods are shaded as uncertain.",
                )
                .changed()
            {
                commands.push(Command::SetUseFileDates(on));
            }
            let mut watch = settings.watch_folder;
            if ui
                .checkbox(&mut watch, "Watch the folder for new articles")
                .on_hover_text("Read new and changed files as they arrive, and check the folder every few minutes")
                .changed()
            {
                commands.push(Command::SetWatching(watch));
            }
            ui.menu_button("Alert rule", |ui| super::alerts::rule_options(ui, &settings.alert_rule, commands));
            ui.separator();
            limits(ui, settings, state, commands);
            ui.separator();
            stored_data(ui, session, commands);
        });
        ui.separator();
        if let Some(b) = choice(ui, "Bucket", 72.0, settings.bucket, Bucket::ALL, Bucket::name) {
            commands.push(Command::SetBucket(b));
        }
        if let Some(m) = choice(ui, "Metric", 118.0, settings.metric, Metric::ALL, Metric::name) {
            commands.push(Command::SetMetric(m));
        }
        let mut once = settings.each_story_once;
        if ui
            .checkbox(&mut once, "Each story once")
            .on_hover_text(
                "Count each story once: copies of an earlier article (wire copies, reprints under another \
                 headline) are left out of the chart and the lists; the list shows an original's copies",
            )
            .changed()
        {
            commands.push(Command::SetEachStoryOnce(once));
        }
        if session.finding_copies.is_some() {
            ui.spinner().on_hover_text("Finding the copies of each story…");
        }
        ui.separator();
        date_range(ui, session, state, commands);
        ui.separator();
        let can_export = session.chart.as_ref().is_some_and(|c| !c.trends.series.is_empty());
        // One menu, so the bar stays one line in an 1280-point window.
        ui.add_enabled_ui(can_export, |ui| {
            ui.menu_button("Export", |ui| {
                if ui.button("Export chart data (CSV)…").on_hover_text("The charted series as CSV (Ctrl+E)").clicked()
                {
                    commands.push(Command::Dialog(Purpose::ExportCsv));
                }
                if ui.button("Export chart image (PNG)…").on_hover_text("The chart as shown, for reports").clicked() {
                    commands.push(Command::Dialog(Purpose::ExportPng));
                }
            })
            .response
            .on_hover_text("Save the chart's data as CSV (Ctrl+E) or its image as PNG")
        });
    });
}

/// The import limits: past them a file or an article is skipped, with the reason in the list of
/// skipped files.
fn limits(ui: &mut egui::Ui, settings: &Settings, state: &mut TopBarUi, commands: &mut Vec<Command>) {
    const MIB: f64 = (1 << 20) as f64;
    ui.strong("Limits").on_hover_text(
        "Files and articles past these are skipped and listed with the reason, so that no file can \
         hold an import up or fill the memory. Raising a limit reads again the files it kept out.",
    );
    let limits = state.limits.get_or_insert(settings.limits);
    let mut done = false;
    let mut field = |ui: &mut egui::Ui, label: &str, hint: &str, value: &mut f64, suffix: &str| {
        ui.horizontal(|ui| {
            let caption = ui.label(label);
            let response = ui
                .add(egui::DragValue::new(value).range(1.0..=1_048_576.0).speed(1.0).suffix(suffix))
                .labelled_by(caption.id)
                .on_hover_text(hint);
            done |= response.drag_stopped() || response.lost_focus();
        });
    };
    let mut file_mib = limits.max_file_bytes as f64 / MIB;
    let mut article_mib = limits.max_article_bytes as f64 / MIB;
    field(ui, "Largest file", "Size once decompressed (gzip stops inflating here)", &mut file_mib, " MiB");
    field(ui, "Longest article", "Text of one article", &mut article_mib, " MiB");
    field(ui, "Time per file", "A file that takes longer to read is abandoned", &mut limits.max_file_seconds, " s");
    limits.max_file_bytes = (file_mib * MIB) as u64;
    limits.max_article_bytes = (article_mib * MIB) as u64;
    if done {
        if *limits != settings.limits {
            commands.push(Command::SetLimits(*limits));
        }
        state.limits = None;
    }
}

/// Where the open folder's data is stored, its size, and the button that deletes it.
fn stored_data(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    ui.strong("Stored data");
    let Some(folder) = &session.folder else {
        ui.weak("No folder open.");
        return;
    };
    match folder.store.location() {
        Some(location) => {
            ui.label(format!("{:.1} MB in", folder.store_bytes as f64 / 1e6));
            ui.add(egui::Label::new(egui::RichText::new(location.dir.display().to_string()).monospace()).truncate())
                .on_hover_text(location.dir.display().to_string());
            if ui
                .button("Forget stored data")
                .on_hover_text("Delete what Presswatch stored about this folder (never the articles). Opening it again imports it anew.")
                .clicked()
            {
                commands.push(Command::ForgetStore);
                ui.close();
            }
        }
        None => {
            ui.weak("Kept in memory for this session only.");
        }
    }
}

/// A labelled drop-down of `options`; returns the option the user picked this frame.
fn choice<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &str,
    width: f32,
    current: T,
    options: impl IntoIterator<Item = T>,
    name: fn(T) -> &'static str,
) -> Option<T> {
    let mut picked = None;
    let caption = ui.label(label);
    egui::ComboBox::from_id_salt(label)
        .width(width)
        .selected_text(name(current))
        .show_ui(ui, |ui| {
            for option in options {
                if ui.selectable_label(current == option, name(option)).clicked() {
                    picked = Some(option);
                }
            }
        })
        .response
        .labelled_by(caption.id);
    picked
}

fn date_range(ui: &mut egui::Ui, session: &Session, state: &mut TopBarUi, commands: &mut Vec<Command>) {
    let (first, last) = session
        .index
        .as_ref()
        .and_then(|i| i.date_range())
        .map_or((String::new(), String::new()), |(f, l)| (f.to_string(), l.to_string()));
    let label = ui.label("From");
    let from =
        ui.add(egui::TextEdit::singleline(&mut state.from).hint_text(first).desired_width(84.0)).labelled_by(label.id);
    let label = ui.label("to");
    let to =
        ui.add(egui::TextEdit::singleline(&mut state.to).hint_text(last).desired_width(84.0)).labelled_by(label.id);
    let reset = ui
        .add_enabled(!state.from.is_empty() || !state.to.is_empty(), egui::Button::new("All"))
        .on_hover_text("Chart all dates")
        .clicked();
    if reset {
        state.from.clear();
        state.to.clear();
    }
    if (from.lost_focus() || to.lost_focus() || reset)
        && let Some((f, t)) = state.parse()
    {
        commands.push(Command::SetRange(f, t));
    }
    if let Some(e) = &state.range_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
}
