//! File dialogs behind a trait, and the small windows that stand in for them.
//!
//! The app never calls rfd directly: it asks a [`FileDialogs`] on a worker thread, so tests inject
//! one that answers at once and never opens a native window. Where no native dialog exists
//! (no xdg-desktop-portal and no zenity), rfd answers `None` exactly as if the user had cancelled,
//! so after a `None` the window always offers a field to type or paste the path instead.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use crate::core::ingest::Skipped;

use super::commands::Command;
use super::jobs::Purpose;

/// Blocking file dialogs, called from worker threads only.
pub trait FileDialogs: Send + Sync {
    fn pick_folder(&self, start: Option<&Path>) -> Option<PathBuf>;
    fn save_file(&self, title: &str, file_name: &str, extension: &str) -> Option<PathBuf>;
}

/// rfd's asynchronous dialogs (the xdg portal on Linux), driven to completion on the worker.
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn pick_folder(&self, start: Option<&Path>) -> Option<PathBuf> {
        let mut dialog = rfd::AsyncFileDialog::new().set_title(Purpose::OpenFolder.title());
        if let Some(start) = start {
            dialog = dialog.set_directory(start);
        }
        block_on(dialog.pick_folder()).map(|h| h.path().to_path_buf())
    }

    fn save_file(&self, title: &str, file_name: &str, extension: &str) -> Option<PathBuf> {
        let dialog = rfd::AsyncFileDialog::new()
            .set_title(title)
            .set_file_name(file_name)
            .add_filter(extension.to_uppercase(), &[extension]);
        block_on(dialog.save_file()).map(|h| h.path().to_path_buf())
    }
}

/// Answers every dialog with fixed paths: for tests and scripted runs.
pub struct FixedDialogs {
    pub folder: Option<PathBuf>,
    pub save_to: Option<PathBuf>,
}

impl FileDialogs for FixedDialogs {
    fn pick_folder(&self, _start: Option<&Path>) -> Option<PathBuf> {
        self.folder.clone()
    }
    fn save_file(&self, _title: &str, _file_name: &str, _extension: &str) -> Option<PathBuf> {
        self.save_to.clone()
    }
}

/// Runs one future on the current (worker) thread; all rfd needs, without an async runtime.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

/// The "type or paste a path" window shown after a dialog returned nothing.
#[derive(Debug)]
pub struct PathPrompt {
    pub purpose: Purpose,
    pub text: String,
    /// Focus the field when the window opens, so the user can type or paste at once.
    pub focus: bool,
}

impl PathPrompt {
    /// Returns false when the window should close.
    pub fn show(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) -> bool {
        let mut open = true;
        let mut close = false;
        egui::Window::new(self.purpose.title())
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .open(&mut open)
            .show(ctx, |ui| {
                ui.label(
                    "No path was chosen. If no dialog appeared, this system has no file dialog \
                     (xdg-desktop-portal or zenity): type or paste the path here.",
                );
                let hint = match self.purpose {
                    Purpose::OpenFolder => "/path/to/articles",
                    Purpose::ExportCsv => "/path/to/chart.csv",
                    Purpose::ExportPng => "/path/to/chart.png",
                    Purpose::ExportContext => "/path/to/mentions.csv",
                };
                let edit = ui.add(egui::TextEdit::singleline(&mut self.text).hint_text(hint).desired_width(420.0));
                if std::mem::take(&mut self.focus) {
                    edit.request_focus();
                }
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    let ok = ui.button("OK").clicked();
                    if (ok || enter) && !self.text.trim().is_empty() {
                        let path = PathBuf::from(self.text.trim());
                        commands.push(match self.purpose {
                            Purpose::OpenFolder => Command::OpenPath(path),
                            Purpose::ExportCsv => Command::ExportCsv(path),
                            Purpose::ExportPng => Command::ExportPng(path),
                            Purpose::ExportContext => Command::ExportContext(path),
                        });
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        open && !close
    }
}

/// The list of files an import skipped, with reasons. Returns false when closed.
pub fn show_skipped(ctx: &egui::Context, skipped: &[Skipped]) -> bool {
    let mut open = true;
    egui::Window::new(format!("Skipped files ({})", skipped.len())).open(&mut open).default_size([640.0, 360.0]).show(
        ctx,
        |ui| {
            let row_height = ui.text_style_height(&egui::TextStyle::Body);
            egui::ScrollArea::both().auto_shrink(false).show_rows(ui, row_height, skipped.len(), |ui, rows| {
                for s in &skipped[rows] {
                    ui.horizontal(|ui| {
                        ui.strong(&s.reason);
                        ui.label(s.path.display().to_string());
                    });
                }
            });
        },
    );
    open
}
