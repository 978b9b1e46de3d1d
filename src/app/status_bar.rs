//! The status bar (a first import's progress with Cancel, or the folder's summary: articles,
//! dated and undated, skipped files, date range, what arrived lately and since the last visit,
//! and whether the folder is watched) and the notice strip under the top bar.

use std::sync::atomic::Ordering;

use super::commands::Command;
use super::state::{Notice, NoticeKind, Session};

pub fn show(ui: &mut egui::Ui, session: &Session, watching: bool, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if let Some(job) = session.import.as_ref().filter(|j| j.first) {
            let p = &job.progress;
            let found = p.files_found.load(Ordering::Relaxed);
            let done = p.files_done.load(Ordering::Relaxed);
            let articles = p.articles.load(Ordering::Relaxed);
            let secs = job.started.elapsed().as_secs_f64().max(0.001);
            let mb = p.bytes_read.load(Ordering::Relaxed) as f64 / 1e6;
            let fraction =
                if p.walk_finished.load(Ordering::Relaxed) && found > 0 { done as f32 / found as f32 } else { 0.0 };
            let cancelling = p.cancelled();
            ui.label(format!("Importing {}", job.path.display()));
            ui.add(egui::ProgressBar::new(fraction).desired_width(180.0).animate(true));
            ui.label(format!(
                "{done} / {found} files · {articles} articles · {:.1} MB/s · {:.0} articles/s",
                mb / secs,
                articles as f64 / secs
            ));
            if ui.add_enabled(!cancelling, egui::Button::new("Cancel")).clicked() {
                commands.push(Command::CancelImport);
            }
            if cancelling {
                ui.label("Cancelling…");
            }
            return;
        }
        let Some(index) = &session.index else {
            ui.weak("No folder loaded");
            return;
        };
        let total = index.article_count();
        let dated = session.dated;
        ui.label(format!("{}", index.root.display()));
        ui.separator();
        ui.label(format!("{total} articles"));
        ui.separator();
        ui.label(format!("{dated} dated / {} undated", total - dated));
        ui.separator();
        let skipped = index.report.skipped.len();
        if ui
            .add_enabled(
                skipped > 0,
                egui::Button::new(format!("{} skipped", crate::plural(skipped, "file"))).frame(false),
            )
            .on_hover_text("Show the skipped files and why")
            .clicked()
        {
            commands.push(Command::ShowSkipped);
        }
        if let Some((first, last)) = index.date_range() {
            ui.separator();
            ui.label(format!("{first} – {last}"));
        }
        if session.new_articles > 0 {
            ui.separator();
            ui.label(format!("{} new since your last visit", session.new_articles))
                .on_hover_text("Marked \"new\" in the article list");
        }
        if let Some(arrival) = session.arrivals.last() {
            ui.separator();
            ui.label(format!("+{} articles, {}", arrival.articles, arrival.at.format("%H:%M"))).on_hover_text(format!(
                "{} read at {}",
                crate::plural(arrival.files, "file"),
                arrival.at.format("%Y-%m-%d %H:%M:%S")
            ));
        }
        folder_state(ui, session, watching, commands);
    });
}

/// Whether the folder is watched, with a switch; what an update in the background is doing.
fn folder_state(ui: &mut egui::Ui, session: &Session, watching: bool, commands: &mut Vec<Command>) {
    let Some(folder) = &session.folder else { return };
    ui.separator();
    if let Some(job) = &session.import {
        let p = &job.progress;
        let done = p.files_done.load(Ordering::Relaxed);
        let found = p.files_found.load(Ordering::Relaxed);
        ui.spinner();
        ui.label(if done > 0 {
            format!("Reading {done}/{found} changed files…")
        } else {
            "Checking for changes…".to_string()
        });
        return;
    }
    if !folder.store.writable() {
        ui.weak("Read-only").on_hover_text("Another Presswatch is updating this folder's stored data");
        return;
    }
    let mut on = watching;
    let hover = match folder.watch.as_ref().and_then(|w| w.fallback.as_deref()) {
        Some(why) => why.to_string(),
        None => "New and changed files are read as they arrive".to_string(),
    };
    if ui.checkbox(&mut on, "Watching").on_hover_text(hover).changed() {
        commands.push(Command::SetWatching(on));
    }
}

pub fn notices(ui: &mut egui::Ui, notices: &[Notice], commands: &mut Vec<Command>) {
    for (i, notice) in notices.iter().enumerate() {
        ui.horizontal(|ui| {
            if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                commands.push(Command::DismissNotice(i));
            }
            match notice.kind {
                NoticeKind::Info => ui.label(&notice.text),
                NoticeKind::Error => ui.colored_label(ui.visuals().error_fg_color, &notice.text),
            };
        });
    }
}
