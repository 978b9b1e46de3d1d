//! The entity panel: the folder's top people, organisations and places from the index's entity
//! table, with type filters, a search box (Ctrl+F) and counts; a click adds one to the chart.
//!
//! Until entity recognition fills the table it says so; nothing else depends on it.

use crate::core::entities::EntityKind;
use crate::core::index::{EntityRow, EntityTable};

use super::commands::Command;
use super::settings::{Settings, WatchKind};
use super::state::Session;

const KINDS: [(EntityKind, &str); 4] = [
    (EntityKind::Person, "People"),
    (EntityKind::Organization, "Organisations"),
    (EntityKind::Location, "Places"),
    (EntityKind::Misc, "Other"),
];

pub struct EntitiesUi {
    search: String,
    shown: [bool; 4],
    /// Set by Ctrl+F: focus the search box on the next frame.
    pub focus_search: bool,
    /// Rows matching the filters, recomputed only when the filters or the index change.
    filtered: Vec<usize>,
    filtered_for: Option<(u64, String, [bool; 4])>,
}

impl Default for EntitiesUi {
    fn default() -> Self {
        Self {
            search: String::new(),
            shown: [true, true, true, false],
            focus_search: false,
            filtered: Vec::new(),
            filtered_for: None,
        }
    }
}

impl EntitiesUi {
    fn refilter(&mut self, generation: u64, table: &EntityTable) {
        let key = (generation, self.search.clone(), self.shown);
        if self.filtered_for.as_ref() == Some(&key) {
            return;
        }
        let needle = self.search.trim().to_lowercase();
        let wanted = |e: &EntityRow| KINDS.iter().zip(self.shown).any(|((k, _), on)| on && *k == e.kind);
        self.filtered = table
            .rows
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.hidden && wanted(e) && (needle.is_empty() || e.name.to_lowercase().contains(&needle)))
            .map(|(i, _)| i)
            .collect();
        self.filtered_for = Some(key);
    }
}

pub fn show(
    ui: &mut egui::Ui,
    settings: &Settings,
    session: &Session,
    state: &mut EntitiesUi,
    commands: &mut Vec<Command>,
) {
    ui.heading("Entities");
    let Some(index) = &session.index else {
        ui.weak("No folder loaded.");
        return;
    };
    let Some(table) = index.entity_table_if_ready() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("Grouping the folder's entities…");
        });
        return;
    };
    if table.rows.is_empty() {
        ui.weak("No entities recognised in this folder.");
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (i, (_, name)) in KINDS.iter().enumerate() {
            ui.toggle_value(&mut state.shown[i], *name);
        }
    });
    let search = ui.add(
        egui::TextEdit::singleline(&mut state.search)
            .hint_text("Search entities (Ctrl+F)")
            .desired_width(f32::INFINITY),
    );
    if std::mem::take(&mut state.focus_search) {
        search.request_focus();
    }
    state.refilter(session.generation, table);
    ui.weak(format!("{} entities", state.filtered.len()));
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical().id_salt("entities").auto_shrink(false).show_rows(
        ui,
        row_height,
        state.filtered.len(),
        |ui, rows| {
            for &i in &state.filtered[rows] {
                let e = &table.rows[i];
                let watched = settings.watchlist.iter().any(|w| w.kind == WatchKind::Entity && w.query == e.name);
                ui.horizontal(|ui| {
                    let add = ui.add_enabled(!watched, egui::Button::new(&e.name).frame(false)).on_hover_text(format!(
                        "{}: {} mentions in {} articles. Click to chart it.",
                        e.kind.as_str(),
                        e.mentions,
                        e.articles
                    ));
                    if add.clicked() {
                        commands.push(Command::AddEntity(e.name.clone()));
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.weak(e.mentions.to_string());
                        ui.weak(e.kind.as_str());
                    });
                });
            }
        },
    );
}
