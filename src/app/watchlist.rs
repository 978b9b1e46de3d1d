//! The watchlist: add a term or a query (read as it is typed: the window shows how a query was
//! understood, or marks where it went wrong), and per item a colour swatch, show/hide, rename and
//! remove.

use super::commands::Command;
use super::settings::{Entry, Settings, WatchKind};
use super::state::Session;

pub const SYNTAX_HELP: &str = "A term is one or more words, matched case-insensitively:\n\
  Putin                        one word\n\
  central bank                 words in sequence\n\
  sanction*                    a trailing * makes the last word a prefix\n\
  Putin | Kremlin              | separates alternatives, counted together\n\
  Bank=central bank*|Nabiullina    'Label=' names the line on the chart\n\
Words are letters and digits; everything else separates them.\n\n\
A query has quotes, parentheses, an operator or a field:\n\
  putin AND (trump OR biden)   AND, OR, NOT (upper case); clauses side by side are ANDed\n\
  \"vladimir putin\" -sport     \"phrase\"; +required, -excluded\n\
  kursk NEAR/10 offensive      at most 10 words apart (ONEAR/n: in this order)\n\
  title:putin text:trump       in the first line, or after it\n\
  source:\"Capital Desk\" putin  only articles from that source";

/// The add field and the rename field being edited.
#[derive(Default)]
pub struct WatchlistUi {
    input: String,
    error: Option<String>,
    renaming: Option<(usize, String)>,
}

pub fn show(
    ui: &mut egui::Ui,
    settings: &Settings,
    session: &Session,
    state: &mut WatchlistUi,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Watchlist");
        ui.label("(?)").on_hover_text(SYNTAX_HELP);
    });
    ui.horizontal(|ui| {
        let label = ui.label("New term");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut state.input)
                    .hint_text("e.g. sanction* or putin AND trump")
                    .desired_width(ui.available_width() - 48.0),
            )
            .labelled_by(label.id);
        if edit.changed() {
            state.error = None;
        }
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Add").clicked() || enter) && !state.input.trim().is_empty() {
            match Entry::read(&state.input) {
                Entry::Invalid { message, column } => {
                    let what = if column.is_some() { "Invalid query" } else { "Invalid term" };
                    state.error = Some(format!("{what}: {message}"));
                }
                entry if entry.label().is_some_and(|l| settings.has_label(l)) => {
                    state.error = Some(format!("\"{}\" is already on the watchlist", entry.label().unwrap_or("")));
                }
                _ => {
                    commands.push(Command::AddTerm(state.input.trim().to_string()));
                    state.input.clear();
                }
            }
        }
    });
    if let Some(e) = &state.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    } else if !state.input.trim().is_empty() {
        understood(ui, &state.input);
    }
    ui.add_space(4.0);
    egui::ScrollArea::vertical()
        .id_salt("watchlist")
        .max_height(ui.available_height() * 0.5)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (i, item) in settings.watchlist.iter().enumerate() {
                ui.horizontal(|ui| row(ui, i, item, session, state, commands));
            }
            if settings.watchlist.is_empty() {
                ui.weak("No terms yet: type one above, or click an entity below.");
            }
        });
}

/// How the entry field's text is read, shown while it is typed: a query as it was understood,
/// or a caret under the place where it goes wrong.
fn understood(ui: &mut egui::Ui, input: &str) {
    match Entry::read(input) {
        Entry::Term(_) => {
            ui.weak("Term (add quotes, parentheses or AND/OR/NOT for a query)");
        }
        Entry::Query(q) => {
            ui.add(egui::Label::new(egui::RichText::new(format!("Query: {q}")).weak()).wrap());
        }
        Entry::Invalid { message, column: Some(column) } => {
            let color = ui.visuals().error_fg_color;
            let mono = |text: String| egui::RichText::new(text).monospace().color(color);
            ui.label(mono(input.to_string()));
            ui.label(mono(format!("{}^ {message}", " ".repeat(column.saturating_sub(1)))));
        }
        Entry::Invalid { message, column: None } => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Invalid term: {message}"));
        }
    }
}

fn row(
    ui: &mut egui::Ui,
    i: usize,
    item: &super::settings::WatchItem,
    session: &Session,
    state: &mut WatchlistUi,
    commands: &mut Vec<Command>,
) {
    let mut color = item.color;
    if ui.color_edit_button_srgb(&mut color).changed() {
        commands.push(Command::SetColor(i, color));
    }
    if let Some((editing, text)) = &mut state.renaming
        && *editing == i
    {
        let edit = ui.add(egui::TextEdit::singleline(text).desired_width(120.0));
        if !edit.has_focus() && !edit.lost_focus() {
            edit.request_focus();
        }
        if edit.lost_focus() {
            if ui.input(|inp| !inp.key_pressed(egui::Key::Escape)) {
                commands.push(Command::Rename(i, text.clone()));
            }
            state.renaming = None;
        }
        return;
    }
    let mut visible = item.visible;
    let kind = match item.kind {
        WatchKind::Term => format!("Term: {}", item.query),
        WatchKind::Entity => format!("Entity: {}", item.query),
        WatchKind::Query => match crate::core::query::Query::parse(&item.query) {
            Ok(q) => format!("Query: {q}"),
            Err(e) => format!("Query: {} ({e})", item.query),
        },
    };
    if ui.checkbox(&mut visible, &item.label).on_hover_text(format!("{kind}\nShow or hide on the chart")).changed() {
        commands.push(Command::SetVisible(i, visible));
    }
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if ui.small_button("×").on_hover_text("Remove").clicked() {
            commands.push(Command::RemoveItem(i));
        }
        if ui.small_button("Rename").clicked() {
            state.renaming = Some((i, item.label.clone()));
        }
        let key = item.key();
        if session.counting.contains(&key) {
            ui.spinner();
        } else if let Some(e) = session.count_errors.get(&key) {
            ui.colored_label(ui.visuals().error_fg_color, "!").on_hover_text(e);
        } else if let Some(c) = session.counts.get(&key) {
            ui.weak(c.mentions.to_string()).on_hover_text(format!(
                "{} mentions in {} articles",
                c.mentions,
                c.hits.hits.len()
            ));
        }
    });
}
