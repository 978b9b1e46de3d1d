//! "Export chart data (CSV)" and "Export chart image (PNG)".
//!
//! The CSV is the chart's own `Trends` (visible items, bucket, date range) written by the core's
//! CSV writer, the same one `presswatch trends` uses. The PNG is the chart as shown: a screenshot
//! of the window, cropped to the plot and encoded on a worker. Both are written atomically.

use std::path::PathBuf;
use std::sync::Arc;

use crate::core::export::{self, ExportError};

use super::PresswatchApp;
use super::jobs::JobEvent;

impl PresswatchApp {
    pub(super) fn export_csv(&mut self, path: PathBuf) {
        let Some(chart) = &self.session.chart else {
            self.session.error("Nothing to export yet: open a folder and add a term.");
            return;
        };
        let trends = chart.trends.clone();
        self.spawn("export-csv", move || {
            let result = export::write_atomically(&path, |w| export::write_trends(w, &trends))
                .map(|()| path)
                .map_err(|e| e.to_string());
            JobEvent::Saved { what: "Chart data", result }
        });
    }

    /// Sends the screenshot request once the frames showing a closed dialog have passed.
    pub(super) fn take_screenshot_when_due(&mut self, ctx: &egui::Context) {
        match self.screenshot_in {
            Some(0) => {
                self.screenshot_in = None;
                let (tx, ctx2) = self.jobs.sender();
                let pixels_per_point = ctx.pixels_per_point();
                self.pending_jobs += 1;
                ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(egui::ScreenshotCallback::new(move |image| {
                    let _ = tx.send(JobEvent::Screenshot(image, pixels_per_point));
                    ctx2.request_repaint();
                })));
            }
            Some(n) => {
                self.screenshot_in = Some(n - 1);
                ctx.request_repaint();
            }
            None => {}
        }
    }

    pub(super) fn screenshot_taken(&mut self, image: &Arc<egui::ColorImage>, pixels_per_point: f32) {
        let Some(path) = self.session.pending_png.take() else {
            return;
        };
        let Some(rect) = self.session.plot_rect else {
            self.session.error("No chart on screen to export: open a folder and add a term.");
            return;
        };
        // The screenshot is in physical pixels, the plot rectangle in points; `region` panics
        // outside the image, so clamp to it.
        let [w, h] = image.size;
        let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w as f32, h as f32) / pixels_per_point);
        let cropped = image.region(&rect.intersect(screen), Some(pixels_per_point));
        self.spawn("export-png", move || {
            let result = write_png(&path, &cropped).map(|()| path).map_err(|e| e.to_string());
            JobEvent::Saved { what: "Chart image", result }
        });
    }
}

fn write_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), ExportError> {
    use image::ImageEncoder;
    let [w, h] = image.size;
    let io = |e: image::ImageError| ExportError::Io { path: path.to_path_buf(), source: std::io::Error::other(e) };
    export::write_atomically(path, |out| {
        image::codecs::png::PngEncoder::new(out)
            .write_image(image.as_raw(), w as u32, h as u32, image::ExtendedColorType::Rgba8)
            .map_err(io)
    })
}
