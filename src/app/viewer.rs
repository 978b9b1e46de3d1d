//! The article viewer: title, date with where it came from, source, URL, file path, and the text
//! with every watched item's mentions highlighted in the item's colour, with next/previous
//! buttons and a count.
//!
//! The article is read from the folder's store on a worker; mentions come from the core's
//! `Matcher::mentions` and `CompiledQuery::mentions`, so what is highlighted is exactly what was
//! counted.

use egui::text::{CCursor, LayoutJob, TextFormat};

use crate::core::article::Article;

use super::PresswatchApp;
use super::commands::Command;
use super::state::{Loaded, Session};

pub fn show(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    let Some(viewer) = &session.viewer else {
        ui.add_space(6.0);
        ui.weak("Select an article in the list to read it here.");
        return;
    };
    let loaded = match &viewer.loaded {
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Loading the article…");
            });
            return;
        }
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Cannot show it: {e}"));
            return;
        }
        Some(Ok(loaded)) => loaded,
    };
    let a = &loaded.article;
    ui.heading(&a.title);
    // Long URLs and paths are cut to the panel's width (hover shows them whole), so they never
    // widen the panel.
    let fact = |ui: &mut egui::Ui, text: &str| {
        ui.add(egui::Label::new(text).truncate());
    };
    egui::Grid::new("article_facts")
        .num_columns(2)
        .spacing([8.0, 2.0])
        .max_col_width(ui.available_width() - 60.0)
        .show(ui, |ui| {
            ui.weak("Date");
            let date = a.published.map_or("undated".to_string(), |p| {
                format!("{} ({})", p.format("%Y-%m-%d %H:%M UTC"), a.date_source.describe())
            });
            fact(ui, &date);
            ui.end_row();
            if let Some(source) = &a.source {
                ui.weak("Source");
                let outlet = crate::core::sources::outlet(source);
                if outlet == source.trim() {
                    fact(ui, source);
                } else {
                    ui.add(egui::Label::new(format!("{outlet} ({source})")).truncate()).on_hover_text(source);
                }
                ui.end_row();
            }
            if let Some(url) = &a.url {
                ui.weak("URL");
                let shown: String =
                    if url.chars().count() > 56 { url.chars().take(55).chain(['…']).collect() } else { url.clone() };
                ui.hyperlink_to(shown, url).on_hover_text(url);
                ui.end_row();
            }
            ui.weak("File");
            fact(ui, &a.id.to_string());
            ui.end_row();
        });
    ui.horizontal(|ui| {
        let n = loaded.mentions.len();
        ui.label(match loaded.current {
            Some(c) => format!("Mention {} of {n}", c + 1),
            None => crate::plural(n, "mention"),
        });
        if ui.add_enabled(n > 0, egui::Button::new("Previous")).clicked() {
            commands.push(Command::StepMention(-1));
        }
        if ui.add_enabled(n > 0, egui::Button::new("Next")).clicked() {
            commands.push(Command::StepMention(1));
        }
    });
    if let Some(note) = &loaded.note {
        ui.weak(note);
    }
    ui.separator();
    let job = highlighted(ui, loaded);
    egui::ScrollArea::vertical().id_salt("article_text").auto_shrink(false).show(ui, |ui| {
        let galley = ui.ctx().fonts_mut(|f| f.layout_job(job));
        let response = ui.add(egui::Label::new(galley.clone()));
        if loaded.scroll_to_current
            && let Some(m) = loaded.current.and_then(|c| loaded.mentions.get(c))
        {
            let char_index = a.text[..m.start].chars().count();
            let rect = galley.pos_from_cursor(CCursor::new(char_index));
            ui.scroll_to_rect(rect.translate(response.rect.min.to_vec2()), Some(egui::Align::Center));
        }
    });
}

/// The text as one layout job, each mention on its item's colour (the current one stronger).
fn highlighted(ui: &egui::Ui, loaded: &Loaded) -> LayoutJob {
    let text = &loaded.article.text;
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = TextFormat::simple(font, ui.visuals().text_color());
    let mut job = LayoutJob {
        wrap: egui::text::TextWrapping { max_width: ui.available_width(), ..Default::default() },
        ..Default::default()
    };
    let mut at = 0;
    for (i, m) in loaded.mentions.iter().enumerate() {
        if m.start < at {
            continue; // overlapping mentions of two items: the first one wins the colour
        }
        job.append(&text[at..m.start], 0.0, plain.clone());
        let [r, g, b] = loaded.colors[m.term];
        let alpha = if loaded.current == Some(i) { 200 } else { 90 };
        let mut format = plain.clone();
        format.background = egui::Color32::from_rgba_unmultiplied(r, g, b, alpha);
        if loaded.current == Some(i) {
            format.underline = egui::Stroke::new(2.0, egui::Color32::from_rgb(r, g, b));
        }
        job.append(&text[m.start..m.end], 0.0, format);
        at = m.end;
    }
    job.append(&text[at..], 0.0, plain);
    job
}

/// Moves the current mention by `delta`, wrapping around.
pub fn step(session: &mut Session, delta: isize) {
    let Some(Ok(loaded)) = session.viewer.as_mut().and_then(|v| v.loaded.as_mut()) else {
        return;
    };
    let n = loaded.mentions.len();
    if n == 0 {
        return;
    }
    let next = match loaded.current {
        None if delta < 0 => n - 1,
        None => 0,
        Some(c) => (c as isize + delta).rem_euclid(n as isize) as usize,
    };
    loaded.current = Some(next);
    loaded.scroll_to_current = true;
}

impl PresswatchApp {
    pub(super) fn article_loaded(&mut self, request: u64, result: Result<Article, String>) {
        let Some(viewer) = self.session.viewer.as_mut().filter(|v| v.request == request) else {
            return;
        };
        let mention = viewer.open_at.take();
        viewer.loaded = Some(result.map(|article| {
            let (mentions, unread) = super::highlight::item_mentions(&self.settings.watchlist, &article);
            let colors = self.settings.watchlist.iter().map(|w| w.color).collect();
            let note = (!unread.is_empty()).then(|| format!("Not highlighted: {}", unread.join(", ")));
            // Opened from the concordance: at that mention.
            let current = mention.and_then(|start| mentions.iter().position(|m| m.start == start));
            Loaded { article, mentions, colors, current, scroll_to_current: current.is_some(), note }
        }));
    }
}
