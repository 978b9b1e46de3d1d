//! The "Mentioned with" tab: the entities mentioned in the same articles as the selected item in
//! the selected period, with shared articles and lift (see `core::cooccur`); a click charts one.

use egui_extras::{Column, TableBuilder};

use super::commands::Command;
use super::selection::ready;
use super::state::Session;

pub fn show(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    if !ready(ui, session, &session.tab_data.together) {
        return;
    }
    let Some((_, Some(rows))) = &session.tab_data.together else { return };
    if rows.is_empty() {
        ui.weak("No entity is mentioned in these articles.");
        return;
    }
    ui.weak(
        "Articles: shared with the selection. Lift: how many times more often than in all of the period's \
         articles (1 = as often). Click a name to chart it.",
    );
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    TableBuilder::new(ui)
        .id_salt("together")
        .striped(true)
        .auto_shrink(false)
        .column(Column::remainder().at_least(160.0).clip(true))
        .column(Column::exact(48.0))
        .column(Column::exact(72.0))
        .column(Column::exact(64.0))
        .header(row_height, |mut header| {
            for title in ["Entity", "Type", "Articles", "Lift"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let e = &rows[row.index()];
                row.col(|ui| {
                    if ui.add(egui::Button::new(&e.name).frame(false)).on_hover_text("Chart it").clicked() {
                        commands.push(Command::AddEntity(e.name.clone()));
                    }
                });
                row.col(|ui| {
                    ui.weak(e.kind.as_str());
                });
                row.col(|ui| {
                    ui.label(e.articles.to_string());
                });
                row.col(|ui| {
                    ui.label(format!("{:.2}", e.lift));
                });
            });
        });
}
