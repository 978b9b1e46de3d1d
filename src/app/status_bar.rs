//! The status bar (import progress with Cancel, or the folder's summary: articles, dated and
//! undated, skipped files, date range, import time) and the notice strip under the top bar.

use std::sync::atomic::Ordering;

use super::commands::Command;
use super::state::{Notice, NoticeKind, Session};

pub fn show(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if let Some(job) = &session.import {
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
        let total = index.articles.len();
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
        ui.separator();
        ui.label(format!("Imported in {:.2} s", index.report.elapsed.as_secs_f64()));
    });
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
