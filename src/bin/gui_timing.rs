//! Measures the window's responsiveness on a real folder, headless (no GPU, no display):
//!
//! ```text
//! cargo run --release --bin gui_timing -- ../shared/corpora/rss-2023
//! ```
//!
//! It drives the real `PresswatchApp` through egui frames at 1280×800 (no painting: egui's pass
//! only, which is the UI's own work), imports the folder with 9 terms watched, then reports:
//! the UI work per frame with 10 terms charted while the pointer sweeps the chart (tooltips), the
//! time from adding a term to its line on the chart (and the slowest frame meanwhile), and the
//! time from clicking a point to its articles being listed.
//!
//! A binary rather than an example: examples link the dev-dependencies (egui_kittest with wgpu),
//! which would add a second large release build for a tool that needs none of them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use presswatch::app::commands::Command;
use presswatch::app::dialogs::FixedDialogs;
use presswatch::app::settings::Settings;
use presswatch::app::{Open, PresswatchApp};

const TERMS: [&str; 10] = [
    "Ukraine",
    "Russia*",
    "Biden",
    "China",
    "inflation",
    "Israel|Gaza",
    "election*",
    "climate",
    "Fed=Federal Reserve|Fed",
    "Musk",
];

struct Driver {
    ctx: egui::Context,
    app: PresswatchApp,
    time: f64,
    events: Vec<egui::Event>,
}

impl Driver {
    /// Runs one frame; returns (egui pass time, the app's own work), wall clock.
    fn frame(&mut self) -> (Duration, Duration) {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            time: Some(self.time),
            events: std::mem::take(&mut self.events),
            ..Default::default()
        };
        let started = Instant::now();
        let app = &mut self.app;
        let _ = self.ctx.run_ui(input, |ui| app.show(ui));
        (started.elapsed(), self.app.last_frame_work)
    }

    /// Frames at about 60 per second until `done` holds; returns the elapsed time and the
    /// slowest frame.
    fn until(&mut self, limit: Duration, mut done: impl FnMut(&PresswatchApp) -> bool) -> Result<(Duration, Duration)> {
        let started = Instant::now();
        let mut slowest = Duration::ZERO;
        while !done(&self.app) {
            if started.elapsed() > limit {
                bail!("gave up after {limit:?}");
            }
            let (pass, _) = self.frame();
            slowest = slowest.max(pass);
            std::thread::sleep(Duration::from_millis(16).saturating_sub(pass));
        }
        Ok((started.elapsed(), slowest))
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn summary(mut v: Vec<Duration>) -> String {
    v.sort();
    let pct = |p: f64| v[((v.len() - 1) as f64 * p) as usize];
    format!("median {}, p95 {}, max {} ({} frames)", ms(pct(0.5)), ms(pct(0.95)), ms(pct(1.0)), v.len())
}

fn main() -> Result<()> {
    let folder: PathBuf = std::env::args_os().nth(1).map(PathBuf::from).context("usage: gui_timing FOLDER")?;
    let mut settings =
        Settings { watchlist: Vec::new(), bucket: presswatch::core::timeline::Bucket::Day, ..Settings::default() };
    for t in &TERMS[..9] {
        settings.add_term(t);
    }
    let app = PresswatchApp::new(
        Some(&settings.to_json()),
        Open::Folder(folder.clone()),
        Arc::new(FixedDialogs { folder: None, save_to: None }),
    );
    let mut d = Driver { ctx: egui::Context::default(), app, time: 0.0, events: Vec::new() };
    let (import, slowest) = d.until(Duration::from_secs(1800), |a| a.index().is_some() && !a.busy())?;
    let index = d.app.index().context("no index")?.clone();
    println!(
        "imported {} articles ({} dated) from {} and counted 9 terms in {:.1} s; slowest frame meanwhile {}",
        index.article_count(),
        index.dated(),
        folder.display(),
        import.as_secs_f64(),
        ms(slowest)
    );

    d.app.apply(Command::AddTerm(TERMS[9].to_string()));
    let (added, slowest) =
        d.until(Duration::from_secs(60), |a| a.session.chart.as_ref().is_some_and(|c| c.trends.series.len() == 10))?;
    println!("add a 10th term → its line on the chart: {} (slowest frame meanwhile {})", ms(added), ms(slowest));

    // Steady state with 10 lines: the pointer sweeps across the plot, so tooltips are computed.
    for _ in 0..5 {
        d.frame();
    }
    let rect = d.app.session.plot_rect.context("no chart on screen")?;
    let (mut passes, mut works) = (Vec::new(), Vec::new());
    for i in 0..300 {
        let x = rect.left() + rect.width() * (i as f32 / 300.0);
        d.events.push(egui::Event::PointerMoved(egui::pos2(x, rect.center().y)));
        let (pass, work) = d.frame();
        passes.push(pass);
        works.push(work);
    }
    println!("frame, 10 terms charted, pointer over the chart (wall clock):");
    println!("  egui pass (layout + the app, no painting): {}", summary(passes));
    println!("  the app's own work within it:              {}", summary(works));

    // Click the busiest point of the first series and time until its articles are listed.
    let (pos, expected) = {
        let chart = d.app.session.chart.as_ref().context("no chart")?;
        let t = &chart.trends;
        let (i, p) = t.series[0].points.iter().enumerate().max_by_key(|(_, p)| p.articles).context("empty series")?;
        let transform = d.app.session.plot_transform.context("no plot transform")?;
        let metric = d.app.settings.metric;
        let at = transform.position_from_point(&egui_plot::PlotPoint::new(
            presswatch::app::chart::x_of(t.periods[i]),
            p.value(metric),
        ));
        (at, p.articles as usize)
    };
    let press = |pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    d.events.push(egui::Event::PointerMoved(pos));
    d.frame();
    d.events.push(press(true));
    d.frame();
    let started = Instant::now();
    d.events.push(press(false));
    d.frame();
    let listed = started.elapsed();
    let rows = d.app.session.rows.len();
    d.frame();
    let drawn = started.elapsed();
    println!(
        "click a point → {rows} articles listed (expected {expected}): {} in the click's frame, {} with the next frame drawing the table",
        ms(listed),
        ms(drawn)
    );
    if rows != expected {
        bail!("the click listed {rows} articles, the chart says {expected}");
    }
    Ok(())
}
