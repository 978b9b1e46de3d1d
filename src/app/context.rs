//! The "In context" tab: every mention the selected item counted in the selected period, with
//! about eight words a side in aligned columns, sortable by the word before or after; a click
//! opens the article at that mention; the list can be saved as CSV.

use egui_extras::{Column, TableBuilder};

use crate::core::concordance::{self, left_key, right_key};

use super::PresswatchApp;
use super::commands::Command;
use super::jobs::{self, Purpose};
use super::selection::ready;
use super::state::{ContextSort, Session};

pub fn show(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    if !ready(ui, session, &session.tab_data.context) {
        return;
    }
    let Some((_, Some(lines))) = &session.tab_data.context else { return };
    let sort = session.tab_data.context_sort;
    ui.horizontal_wrapped(|ui| {
        let capped = session.rows.len() > jobs::MAX_CONTEXT_ARTICLES;
        let note = if capped { format!(" (the first {} articles)", jobs::MAX_CONTEXT_ARTICLES) } else { String::new() };
        ui.label(format!("{} mentions{note}", lines.len()));
        ui.separator();
        ui.label("Sort by");
        for (s, name) in
            [(ContextSort::Articles, "article"), (ContextSort::Left, "word before"), (ContextSort::Right, "word after")]
        {
            if ui.selectable_label(sort == s, name).clicked() {
                commands.push(Command::SortContext(s));
            }
        }
        ui.separator();
        if ui.add_enabled(!lines.is_empty(), egui::Button::new("Export (CSV)…")).clicked() {
            commands.push(Command::Dialog(Purpose::ExportContext));
        }
    });
    let row_height = ui.text_style_height(&egui::TextStyle::Monospace) + 4.0;
    TableBuilder::new(ui)
        .id_salt("context")
        .striped(true)
        .sense(egui::Sense::click())
        .auto_shrink(false)
        .column(Column::remainder().at_least(160.0).clip(true))
        .column(Column::auto().at_least(60.0))
        .column(Column::remainder().at_least(160.0).clip(true))
        .body(|body| {
            body.rows(row_height, lines.len(), |mut row| {
                let l = &lines[row.index()];
                let mono = |t: &str| egui::RichText::new(t).monospace();
                row.col(|ui| {
                    // The left context ends at the keyword: right-aligned, so keywords line up,
                    // and cut at its start (its end is what matters) to what the column holds.
                    let font = egui::TextStyle::Monospace.resolve(ui.style());
                    let glyph = ui.fonts_mut(|f| f.glyph_width(&font, 'x')).max(1.0);
                    let fits = (ui.available_width() / glyph) as usize;
                    let left = tail(&l.line.left, fits);
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.add(egui::Label::new(mono(&left)).selectable(false));
                    });
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(mono(&l.line.keyword).strong()).selectable(false));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(mono(&l.line.right)).truncate().selectable(false));
                });
                if row.response().on_hover_text(l.id.to_string()).clicked() {
                    commands.push(Command::OpenMention(row.index()));
                }
            });
        });
}

/// The last `chars` characters of `s`, with "…" in front when it is cut.
fn tail(s: &str, chars: usize) -> String {
    let n = s.chars().count();
    if n <= chars {
        return s.to_string();
    }
    let skip = n - chars.saturating_sub(1);
    std::iter::once('…').chain(s.chars().skip(skip)).collect()
}

impl PresswatchApp {
    /// Orders the concordance as the tab asks.
    pub(super) fn sort_context(&mut self) {
        let data = &mut self.session.tab_data;
        let Some((_, Some(lines))) = &mut data.context else { return };
        // Back to the list's order: the rows' order, then the text's.
        let row_of = |a: u32| self.session.rows.iter().position(|r| r.article == a).unwrap_or(usize::MAX);
        match data.context_sort {
            ContextSort::Articles => lines.sort_by_key(|l| (row_of(l.article), l.line.start)),
            ContextSort::Left => lines.sort_by_cached_key(|l| (left_key(&l.line), l.id.clone(), l.line.start)),
            ContextSort::Right => lines.sort_by_cached_key(|l| (right_key(&l.line), l.id.clone(), l.line.start)),
        }
    }

    /// Opens the article of concordance line `i` in the viewer, at that mention.
    pub(super) fn open_mention(&mut self, i: usize) {
        let Some((_, Some(lines))) = &self.session.tab_data.context else { return };
        let Some(line) = lines.get(i).cloned() else { return };
        if let Some(row) = self.session.rows.iter().position(|r| r.article == line.article) {
            self.select_row(row);
            if let Some(viewer) = self.session.viewer.as_mut() {
                viewer.open_at = Some(line.line.start);
            }
            self.session.scroll_to_row = true;
        }
    }

    pub(super) fn export_context(&mut self, path: std::path::PathBuf) {
        let Some((_, Some(lines))) = &self.session.tab_data.context else {
            self.session.error("Nothing to export: open the In context tab of a selection first.");
            return;
        };
        let lines = lines.clone();
        self.spawn("export-context", move || {
            let rows: Vec<_> = lines
                .iter()
                .map(|l| {
                    let published = l.published.map(|p| p.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                    (&l.line, l.id.to_string(), published.unwrap_or_default())
                })
                .collect();
            let result = crate::core::export::write_atomically(&path, |w| concordance::write_csv(w, &rows))
                .map(|()| path)
                .map_err(|e| e.to_string());
            jobs::JobEvent::Saved { what: "Mentions in context", result }
        });
    }
}
