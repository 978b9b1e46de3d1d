//! Measures the window's responsiveness on a real folder, headless (no GPU, no display):
//!
//! ```text
//! cargo run --release --bin gui_timing -- ../shared/corpora/rss-2023            # run it twice: the second run reopens the store
//! cargo run --release --bin gui_timing -- ../shared/corpora/rss-2023 --arrival  # + a new file of 1,000 articles arriving
//! ```
//!
//! It drives the real `PresswatchApp` through egui frames at 1280×800 (no painting: egui's pass
//! only, which is the UI's own work) with 9 terms watched, and reports: when the chart and the
//! entity list were first shown, counted from the process's start (a reopen when the folder's
//! store exists, else a first import); the time from adding a term to its line on the chart (and
//! the slowest frame meanwhile); the UI work per frame with 10 terms charted while the pointer
//! sweeps the chart; the time from clicking a point to its articles being listed; and the
//! process's memory. With `--arrival` it opens a folder of links to the folder's files (in a
//! temporary directory, with a store of its own), then writes a file of 1,000 articles into it
//! and reports the time until the chart shows them, found by the folder watch.
//!
//! Stores go to `PRESSWATCH_DATA_DIR` (or the platform's data directory) as in the window.
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

// The window's own allocator and memory settings (see main.rs), so the timings are the window's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let process_start = Instant::now();
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    let mut args = std::env::args_os().skip(1);
    let folder: PathBuf = args.next().map(PathBuf::from).context("usage: gui_timing FOLDER [--arrival]")?;
    let arrival = args.next().is_some_and(|a| a == "--arrival");
    let scratch = tempfile::tempdir()?;
    let opened = if arrival { linked_copy(&folder, scratch.path())? } else { folder.clone() };
    let mut settings =
        Settings { watchlist: Vec::new(), bucket: presswatch::core::timeline::Bucket::Day, ..Settings::default() };
    for t in &TERMS[..9] {
        settings.add_term(t);
    }
    let app = PresswatchApp::new(
        Some(&settings.to_json()),
        Open::Folder(opened.clone()),
        Arc::new(FixedDialogs { folder: None, save_to: None }),
    );
    let mut d = Driver { ctx: egui::Context::default(), app, time: 0.0, events: Vec::new() };
    let chart_shown = |a: &PresswatchApp| a.session.chart.as_ref().is_some_and(|c| c.trends.series.len() == 9);
    let (_, slowest) = d.until(Duration::from_secs(1800), chart_shown)?;
    let chart_at = process_start.elapsed();
    let entities_ready = |a: &PresswatchApp| a.index().is_some_and(|i| i.entity_table_if_ready().is_some());
    d.until(Duration::from_secs(600), entities_ready)?;
    let entities_at = process_start.elapsed();
    let index = d.app.index().context("no index")?.clone();
    println!(
        "{} articles ({} dated) of {}: chart with 9 terms shown {} after the process started, entity list ({} entities) {}; slowest frame meanwhile {}",
        index.article_count(),
        index.dated(),
        folder.display(),
        ms(chart_at),
        index.entity_table().rows.len(),
        ms(entities_at),
        ms(slowest)
    );
    // Whatever the background check finds first (a first import, or nothing to do).
    let (checked, _) = d.until(Duration::from_secs(1800), |a| !a.busy())?;
    println!("background check of the folder done {} later", ms(checked));

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

    click_busiest_point(&mut d)?;
    if arrival {
        arrive(&mut d, &opened)?;
    }
    println!("memory: {}", memory());
    Ok(())
}

/// Clicks the busiest point of the first series and times until its articles are listed.
fn click_busiest_point(d: &mut Driver) -> Result<()> {
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
    let (_, slowest) =
        d.until(Duration::from_secs(60), |a| a.session.selection.is_some() && a.session.rows_loading.is_none())?;
    let listed = started.elapsed();
    let rows = d.app.session.rows.len();
    d.frame();
    let drawn = started.elapsed();
    println!(
        "click a point → {rows} articles listed (expected {expected}): {}, {} with the next frame drawing the table; slowest frame meanwhile {}",
        ms(listed),
        ms(drawn),
        ms(slowest)
    );
    if rows != expected {
        bail!("the click listed {rows} articles, the chart says {expected}");
    }
    Ok(())
}

/// A folder in `scratch` whose files are links to `folder`'s, so a file can be added to it.
fn linked_copy(folder: &std::path::Path, scratch: &std::path::Path) -> Result<PathBuf> {
    let copy = scratch.join("folder");
    std::fs::create_dir_all(&copy)?;
    for entry in walkdir::WalkDir::new(folder).min_depth(1).max_depth(1) {
        let entry = entry?;
        let to = copy.join(entry.file_name());
        #[cfg(unix)]
        std::os::unix::fs::symlink(std::fs::canonicalize(entry.path())?, &to)?;
        #[cfg(not(unix))]
        std::fs::copy(entry.path(), &to)?;
    }
    Ok(copy)
}

/// Writes a file of 1,000 articles (stored texts, dated today) into the open folder and times
/// until the chart's totals show them.
fn arrive(d: &mut Driver, folder: &std::path::Path) -> Result<()> {
    let index = d.app.index().context("no index")?.clone();
    let before: u64 = index.day_totals.values().map(|t| t.articles).sum();
    let today = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut lines = String::new();
    for a in index.articles_in_order().into_iter().take(1000) {
        let a = index.article(a).context("article")?;
        let record = serde_json::json!({"title": a.title, "text": a.text, "published": today, "source": a.source});
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    // Written aside and renamed in, as a feed fetcher does, so it is never seen half-written.
    let part = folder.join(".arriving.jsonl");
    std::fs::write(&part, lines)?;
    let started = Instant::now();
    std::fs::rename(&part, folder.join("arrived.jsonl"))?;
    let totals = |a: &PresswatchApp| -> u64 {
        a.session.chart.as_ref().map_or(0, |c| c.trends.totals.iter().map(|t| t.articles).sum())
    };
    let (_, slowest) = d.until(Duration::from_secs(60), |a| totals(a) >= before + 1000)?;
    println!(
        "a new file of 1,000 articles → on the chart {} after it appeared in the folder (slowest frame meanwhile {})",
        ms(started.elapsed()),
        ms(slowest)
    );
    Ok(())
}

/// Resident memory now and at its peak (Linux).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).map_or("?".to_string(), |l| l[name.len()..].trim().to_string())
    };
    format!("resident {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
