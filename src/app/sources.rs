//! The Sources tab: the selected item's outlets in the selected period, by articles and
//! mentions with their share, and the controls that keep the chart and lists to some outlets,
//! hide some, or split the chart into one line per outlet.

use std::collections::BTreeSet;

use egui_extras::{Column, TableBuilder};

use super::commands::Command;
use super::selection::ready;
use super::state::{OutletFilter, Session};

pub fn show(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    if !ready(ui, session, &session.tab_data.sources) {
        return;
    }
    let (Some((_, Some(rows))), Some(selection)) = (&session.tab_data.sources, &session.selection) else { return };
    let total: u64 = rows.iter().map(|r| r.articles).sum();
    let id = ui.make_persistent_id("sources_ticked");
    let mut ticked: BTreeSet<String> = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{}: {} outlets, {total} articles", selection.label, rows.len()));
        ui.separator();
        let chosen = !ticked.is_empty();
        let filter = |only| OutletFilter { only, outlets: ticked.clone() };
        if ui
            .add_enabled(chosen, egui::Button::new("Only these"))
            .on_hover_text("Chart and list only the ticked outlets")
            .clicked()
        {
            commands.push(Command::SetOutletFilter(Some(filter(true))));
        }
        if ui
            .add_enabled(chosen, egui::Button::new("Hide these"))
            .on_hover_text("Chart and list all but the ticked outlets")
            .clicked()
        {
            commands.push(Command::SetOutletFilter(Some(filter(false))));
        }
        let split = session.split.as_ref().is_some_and(|(k, _)| *k == selection.key);
        let label = if split { "Back to the watchlist" } else { "Split the chart by outlet" };
        if ui
            .button(label)
            .on_hover_text("One line per outlet of this item: its busiest ones, the rest as one")
            .clicked()
        {
            commands.push(Command::SplitBySource((!split).then(|| selection.key.clone())));
        }
    });
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    TableBuilder::new(ui)
        .id_salt("sources")
        .striped(true)
        .auto_shrink(false)
        .column(Column::exact(24.0))
        .column(Column::remainder().at_least(140.0).clip(true))
        .column(Column::exact(72.0))
        .column(Column::exact(72.0))
        .column(Column::exact(64.0))
        .header(row_height, |mut header| {
            for title in ["", "Outlet", "Articles", "Mentions", "Share"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let r = &rows[row.index()];
                row.col(|ui| {
                    let mut on = ticked.contains(&r.outlet);
                    if ui.checkbox(&mut on, "").changed() {
                        if on {
                            ticked.insert(r.outlet.clone());
                        } else {
                            ticked.remove(&r.outlet);
                        }
                    }
                });
                row.col(|ui| {
                    let name = if r.outlet.is_empty() { "(no source)" } else { r.outlet.as_str() };
                    ui.add(egui::Label::new(name).truncate());
                });
                row.col(|ui| {
                    ui.label(r.articles.to_string());
                });
                row.col(|ui| {
                    ui.label(r.mentions.to_string());
                });
                row.col(|ui| {
                    ui.label(format!("{:.1} %", 100.0 * r.articles as f64 / total.max(1) as f64));
                });
            });
        });
    ui.data_mut(|d| d.insert_temp(id, ticked));
}
