//! The Alerts tab: every watched item's spike alerts, newest period first, with the count
//! against what the baseline expected and the period's top articles; alerts not seen before
//! are marked new. Also the alert rule's controls for the Options menu.
//!
//! The alerts are found by a worker (`alert_watch.rs`); this file only lists them.

use std::path::Path;

use egui_extras::{Column, TableBuilder};

use crate::core::alerts::{AlertCount, AlertSettings};
use crate::core::timeline::Bucket;

use super::chart::{color, period_label};
use super::commands::Command;
use super::settings::{Settings, alert_key};
use super::state::{AlertRow, Session};

/// How many listed alerts the user has not seen.
pub fn new_count(settings: &Settings, session: &Session) -> usize {
    let (Some(folder), Some(rows)) = (&session.folder, &session.alerts.rows) else { return 0 };
    rows.iter().filter(|r| is_new(settings, &folder.path, r)).count()
}

fn is_new(settings: &Settings, folder: &Path, row: &AlertRow) -> bool {
    !settings.alert_seen(folder, &alert_key(row.bucket, row.period_start, &row.key))
}

pub fn show(ui: &mut egui::Ui, settings: &Settings, session: &Session, commands: &mut Vec<Command>) {
    let Some(rows) = &session.alerts.rows else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("Looking for spikes…");
        });
        return;
    };
    let new = new_count(settings, session);
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{} alerts, {new} new · {}", rows.len(), rule_summary(&settings.alert_rule, settings.bucket)))
            .on_hover_text("Change the rule in Options ▸ Alert rule");
        if new > 0 && ui.small_button("Mark all as seen").clicked() {
            commands.push(Command::MarkAlertsSeen);
        }
    });
    if rows.is_empty() {
        ui.add_space(6.0);
        ui.weak("No period of a watched item is unusually high against its baseline.");
        return;
    }
    let folder = session.folder.as_ref().map(|f| f.path.as_path());
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    TableBuilder::new(ui)
        .id_salt("alerts")
        .striped(true)
        .auto_shrink(false)
        .column(Column::exact(34.0))
        .column(Column::initial(110.0).at_least(70.0).clip(true))
        .column(Column::initial(140.0).at_least(100.0).clip(true))
        .column(Column::exact(96.0))
        .column(Column::remainder().at_least(120.0).clip(true))
        .header(row_height, |mut header| {
            for title in ["", "Item", "Period", "Count (exp.)", "Top articles"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let i = row.index();
                let r = &rows[i];
                row.col(|ui| {
                    if folder.is_some_and(|f| is_new(settings, f, r)) {
                        ui.colored_label(ui.visuals().warn_fg_color, "new");
                    }
                });
                row.col(|ui| {
                    ui.horizontal(|ui| {
                        let (dot, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                        ui.painter().circle_filled(dot.center(), 4.0, color(r.color));
                        ui.add(egui::Label::new(&r.label).truncate());
                    });
                });
                row.col(|ui| {
                    let period = match r.bucket {
                        Bucket::Week => format!("Week of {}", r.period_start),
                        _ => period_label(r.bucket, r.period_start, r.period_end),
                    };
                    let hover = "Select this period on the chart and list its articles";
                    if ui.link(period).on_hover_text(hover).clicked() {
                        commands.push(Command::SelectAlert(i));
                    }
                });
                row.col(|ui| {
                    ui.label(format!("{} ({:.1})", r.count, r.expected)).on_hover_text(format!(
                        "{} in the period against {:.1} expected from the baseline; the chance of a count \
                         this high or higher if the baseline held: p = {:.1e}",
                        r.count, r.expected, r.p_value
                    ));
                });
                row.col(|ui| {
                    ui.horizontal(|ui| top_articles(ui, i, r, commands));
                });
            });
        });
}

/// The first top article as a link, the others in a menu beside it.
fn top_articles(ui: &mut egui::Ui, alert: usize, row: &AlertRow, commands: &mut Vec<Command>) {
    let Some((_, first)) = row.top.first() else {
        ui.weak("–");
        return;
    };
    if row.top.len() > 1 {
        ui.menu_button(format!("+{}", row.top.len() - 1), |ui| {
            for (j, (_, title)) in row.top.iter().enumerate().skip(1) {
                if ui.button(title).clicked() {
                    commands.push(Command::OpenAlertArticle { alert, article: j });
                    ui.close();
                }
            }
        });
    }
    if ui.add(egui::Link::new(first.as_str())).on_hover_text("Open in the viewer").clicked() {
        commands.push(Command::OpenAlertArticle { alert, article: 0 });
    }
}

/// "daily articles against the previous 14 days; p ≤ 0.001, at least 5, 3 periods' cool-down".
pub fn rule_summary(rule: &AlertSettings, bucket: Bucket) -> String {
    let what = match rule.count {
        AlertCount::Articles => "articles",
        AlertCount::Mentions => "mentions",
    };
    let unit = bucket.name().to_lowercase();
    format!(
        "{what} per {unit} against the previous {} {unit}s; p ≤ {}, at least {}, {} {unit}s' cool-down",
        rule.baseline(bucket),
        rule.max_p_value,
        rule.min_count,
        rule.cooldown
    )
}

/// The alert rule's controls (Options ▸ Alert rule); a changed rule is sent as a command.
pub fn rule_options(ui: &mut egui::Ui, rule: &AlertSettings, commands: &mut Vec<Command>) {
    let mut edited = rule.clone();
    egui::Grid::new("alert_rule").num_columns(2).show(ui, |ui| {
        ui.label("Count");
        ui.horizontal(|ui| {
            ui.radio_value(&mut edited.count, AlertCount::Articles, "Articles")
                .on_hover_text("Articles with a mention: one article repeating a word is one");
            ui.radio_value(&mut edited.count, AlertCount::Mentions, "Mentions");
        });
        ui.end_row();
        ui.label("Flag when p ≤");
        egui::ComboBox::from_id_salt("alert_p").width(90.0).selected_text(edited.max_p_value.to_string()).show_ui(
            ui,
            |ui| {
                for p in [1e-2, 1e-3, 1e-4, 1e-5, 1e-6] {
                    ui.selectable_value(&mut edited.max_p_value, p, p.to_string());
                }
            },
        );
        ui.end_row();
        ui.label("and the count ≥");
        ui.add(egui::DragValue::new(&mut edited.min_count).range(1..=10_000));
        ui.end_row();
        ui.label("Cool-down (periods)").on_hover_text("A spike within this many periods of the last continues it");
        ui.add(egui::DragValue::new(&mut edited.cooldown).range(0..=60));
        ui.end_row();
        ui.label("Baseline: days");
        ui.add(egui::DragValue::new(&mut edited.baseline_days).range(2..=120));
        ui.end_row();
        ui.label("Baseline: weeks");
        ui.add(egui::DragValue::new(&mut edited.baseline_weeks).range(2..=52));
        ui.end_row();
        ui.label("Baseline: months");
        ui.add(egui::DragValue::new(&mut edited.baseline_months).range(2..=24));
        ui.end_row();
    });
    if ui.button("Defaults").clicked() {
        edited = AlertSettings { top_articles: rule.top_articles, ..AlertSettings::default() };
    }
    if edited != *rule {
        commands.push(Command::SetAlertRule(edited));
    }
}
