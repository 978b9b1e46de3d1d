//! The window driven by egui_kittest through its accessible labels, on the bundled sample data:
//! the folder dialog is injected (no native window), and what the window shows is checked
//! against the core and the CLI. Snapshot images need a wgpu adapter (lavapipe from
//! `mesa-vulkan-drivers` is enough); without one those tests print a notice and skip.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use presswatch::app::commands::Command;
use presswatch::app::dialogs::FixedDialogs;
use presswatch::app::jobs::StorePlace;
use presswatch::app::settings::Settings;
use presswatch::app::{Open, PresswatchApp};
use presswatch::core::entities::EntityKind;
use presswatch::core::index::Index;
use presswatch::core::ingest::{self, ImportOptions};
use presswatch::core::query::Matcher;
use presswatch::core::timeline::Bucket;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

fn app(watchlist: &[&str], open: Open, save_to: Option<PathBuf>) -> PresswatchApp {
    let mut settings = Settings { watchlist: Vec::new(), ..Settings::default() };
    for t in watchlist {
        assert!(settings.add_term(t));
    }
    let dialogs = FixedDialogs { folder: Some(sample()), save_to };
    // In memory: tests never write into the user's data directory.
    PresswatchApp::new(Some(&settings.to_json()), open, Arc::new(dialogs)).with_stores(StorePlace::Memory)
}

fn harness<'a>(builder: egui_kittest::HarnessBuilder<PresswatchApp>, app: PresswatchApp) -> Harness<'a, PresswatchApp> {
    builder.with_size([1280.0, 800.0]).build_ui_state(|ui, app: &mut PresswatchApp| app.show(ui), app)
}

/// Steps frames until `done` holds and no job is running, giving the workers time.
fn wait(h: &mut Harness<'_, PresswatchApp>, what: &str, done: impl Fn(&PresswatchApp) -> bool) {
    let started = Instant::now();
    loop {
        h.step();
        if done(h.state()) && !h.state().busy() {
            h.step();
            h.step();
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn click_at(h: &mut Harness<'_, PresswatchApp>, pos: egui::Pos2) {
    let button = |pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    h.event(egui::Event::PointerMoved(pos));
    h.step();
    h.event(button(true));
    h.step();
    h.event(button(false));
    h.step();
    // Commands are applied at the end of a frame: the next one shows their effect.
    h.step();
}

fn core_index() -> Index {
    let options = ImportOptions { no_file_dates: true, ..ImportOptions::default() };
    Index::build(&sample(), &options, &Default::default()).unwrap()
}

#[test]
fn open_add_click_read_and_export_match_the_core_and_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("chart.csv");
    let mut h = harness(Harness::builder(), app(&[], Open::Nothing, Some(csv.clone())));

    // Open the sample data through the (injected) folder dialog.
    h.get_by_label("Open folder…").click();
    wait(&mut h, "the import", |a| a.index().is_some());
    let core = core_index();
    assert_eq!(h.state().index().unwrap().article_count(), core.article_count());

    // Add a term by typing it.
    h.get_by_label("New term").click();
    h.get_by_label("New term").type_text("Putin");
    h.step();
    h.get_by_label("Add").click();
    wait(&mut h, "the count", |a| a.session.chart.as_ref().is_some_and(|c| c.trends.series.len() == 1));

    // The chart's series are the core's trends for that term.
    let hits = core.count(&Matcher::parse(&["Putin"]).unwrap());
    let expected = core.trends(&[("Putin".to_string(), &hits[0])], Bucket::Week, None, None);
    let chart = &h.state().session.chart.as_ref().unwrap().trends;
    assert_eq!(chart, &expected);

    // Click the busiest period: its articles are listed.
    let (period, point) =
        expected.series[0].points.iter().enumerate().max_by_key(|(_, p)| (p.articles, p.mentions)).unwrap();
    assert!(point.articles > 0);
    let transform = h.state().session.plot_transform.unwrap();
    let pos = transform.position_from_point(&egui_plot::PlotPoint::new(
        presswatch::app::chart::x_of(expected.periods[period]),
        point.mentions as f64,
    ));
    click_at(&mut h, pos);
    wait(&mut h, "the rows", |a| a.session.rows_loading.is_none());
    let first = expected.periods[period];
    let last = expected.period_end(period).unwrap();
    // Article numbers differ between two stores of one folder: compare by id.
    let mut listed: Vec<_> =
        core.hits_between(&hits[0], first, last).into_iter().map(|(a, n)| (core.meta(a).unwrap(), n)).collect();
    listed.sort_by(|(x, _), (y, _)| (x.published, &x.id).cmp(&(y.published, &y.id)));
    listed.reverse(); // the list opens newest first
    let shown: Vec<_> = h.state().session.rows.iter().map(|r| (r.meta.clone(), r.mentions)).collect();
    assert_eq!(shown, listed);
    assert_eq!(listed.len() as u64, point.articles);

    // The list shows the first article; clicking it opens it with its mentions highlighted.
    let (meta, mentions) = listed[0].clone();
    // The list shows it first; the arrow key selects it (and would move on from there).
    h.get_all_by_label_contains(&meta.title.chars().take(20).collect::<String>()).next().unwrap();
    h.key_press(egui::Key::ArrowDown);
    wait(&mut h, "the article", |a| a.session.viewer.as_ref().is_some_and(|v| v.loaded.is_some()));
    // What the viewer shows is what the files hold.
    let text = ingest::load_article(&meta.id, &ImportOptions { no_file_dates: true, ..ImportOptions::default() })
        .unwrap()
        .text;
    let shown =
        h.state().session.viewer.as_ref().unwrap().loaded.as_ref().unwrap().as_ref().unwrap().article.text.clone();
    assert_eq!(shown, text);
    let highlighted = Matcher::parse(&["Putin"]).unwrap().mentions(&text).len();
    assert_eq!(highlighted as u32, mentions);
    h.get_by_label(&if highlighted == 1 { "1 mention".to_string() } else { format!("{highlighted} mentions") });
    h.get_by_label("Next").click();
    h.step();
    h.step();
    h.get_by_label(&format!("Mention 1 of {highlighted}"));

    // Export the CSV and compare it with the CLI's for the same term and bucket.
    h.get_by_label("Export").click();
    h.run_steps(2);
    h.get_by_label("Export chart data (CSV)…").click();
    wait(&mut h, "the export", |_| csv.exists());
    let data = tempfile::tempdir().unwrap();
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_presswatch"))
        .env("PRESSWATCH_DATA_DIR", data.path())
        .args(["trends"])
        .arg(sample())
        .args(["-t", "Putin", "--bucket", "week", "--no-file-dates"])
        .output()
        .unwrap();
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), String::from_utf8(cli.stdout).unwrap());
    h.get_by_label_contains("Chart data saved to");
}

#[test]
fn an_invalid_term_gets_an_inline_message_and_is_not_added() {
    let mut h = harness(Harness::builder(), app(&[], Open::Nothing, None));
    h.get_by_label("New term").click();
    h.get_by_label("New term").type_text("Putin*x");
    h.step();
    h.get_by_label("Add").click();
    h.step();
    h.get_by_label_contains("Invalid term");
    assert!(h.state().settings.watchlist.is_empty());
}

#[test]
fn a_query_is_shown_as_understood_and_charted_as_the_core_counts_it() {
    let mut h = harness(Harness::builder(), app(&[], Open::Folder(sample()), None));
    wait(&mut h, "the import", |a| a.index().is_some());
    h.get_by_label("New term").click();
    h.get_by_label("New term").type_text("Summit=putin trump -sport");
    h.step();
    h.get_by_label_contains("Query: putin AND trump AND NOT sport");
    h.get_by_label("Add").click();
    wait(&mut h, "the count", |a| a.session.chart.as_ref().is_some_and(|c| c.trends.series.len() == 1));
    let core = core_index();
    let query = presswatch::core::query::CompiledQuery::parse("Summit=putin trump -sport").unwrap();
    let hits = core.count_query(&query);
    let expected = core.trends(&[("Summit".to_string(), &hits)], Bucket::Week, None, None);
    assert_eq!(&h.state().session.chart.as_ref().unwrap().trends, &expected);

    // An invalid query is marked where it goes wrong, and not added.
    h.get_by_label("New term").click();
    h.get_by_label("New term").type_text("kursk NEAR/60 offensive");
    h.step();
    h.get_by_label_contains("^ NEAR/60: the distance may be at most 50 words");
    h.get_by_label("Add").click();
    h.step();
    h.get_by_label_contains("Invalid query");
    assert_eq!(h.state().settings.watchlist.len(), 1);
}

/// The tabs under the chart: sources with a filter that the chart follows, the entities
/// mentioned with the selection, and every counted mention in context, saved as CSV.
#[test]
fn the_selection_tabs_show_sources_company_and_context() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("mentions.csv");
    let mut h = harness(Harness::builder(), app(&["Putin"], Open::Folder(sample()), Some(csv.clone())));
    wait(&mut h, "the count", |a| a.session.chart.as_ref().is_some_and(|c| c.trends.series.len() == 1));
    let (first, last) = {
        let t = &h.state().session.chart.as_ref().unwrap().trends;
        let (i, _) = t.series[0].points.iter().enumerate().max_by_key(|(_, p)| p.mentions).unwrap();
        (t.periods[i], t.period_end(i).unwrap())
    };
    let period = h.state().session.chart.as_ref().unwrap().trends.periods.iter().position(|p| *p == first).unwrap();
    h.state_mut().apply(Command::SelectPoint { item: 0, period });
    wait(&mut h, "the rows", |a| a.session.rows_loading.is_none());
    let rows = h.state().session.rows.clone();
    let mentions: u32 = rows.iter().map(|r| r.mentions).sum();

    // Sources: every listed article under its outlet.
    h.get_by_label("Sources").click();
    wait(&mut h, "the sources", |a| matches!(a.session.tab_data.sources, Some((_, Some(_)))));
    let sources = match &h.state().session.tab_data.sources {
        Some((_, Some(s))) => s.clone(),
        _ => unreachable!(),
    };
    assert_eq!(sources.iter().map(|s| s.articles).sum::<u64>(), rows.len() as u64);
    assert_eq!(sources.iter().map(|s| s.mentions).sum::<u64>(), u64::from(mentions));
    // Keep the chart to the busiest outlet: its articles are what the period then counts.
    let busiest = sources[0].clone();
    let filter = presswatch::app::state::OutletFilter { only: true, outlets: [busiest.outlet.clone()].into() };
    h.state_mut().apply(Command::SetOutletFilter(Some(filter)));
    wait(&mut h, "the filtered chart", |a| a.session.filtered_totals.is_some() && !a.session.chart_dirty);
    let trends = &h.state().session.chart.as_ref().unwrap().trends;
    let at = trends.periods.iter().position(|p| *p == first).unwrap();
    let point = trends.series[0].points[at];
    assert_eq!((point.articles, point.mentions), (busiest.articles, busiest.mentions));
    wait(&mut h, "the filtered rows", |a| a.session.rows_loading.is_none());
    assert_eq!(h.state().session.rows.len() as u64, busiest.articles);
    h.state_mut().apply(Command::SetOutletFilter(None));
    wait(&mut h, "the whole chart", |a| a.session.filtered_totals.is_none() && a.session.rows_loading.is_none());

    // Mentioned with: the core's co-occurrence for these articles in this period.
    h.get_by_label("Mentioned with").click();
    wait(&mut h, "the entities", |a| matches!(a.session.tab_data.together, Some((_, Some(_)))));
    let core = core_index();
    let putin = core.count(&Matcher::parse(&["Putin"]).unwrap()).remove(0);
    let mut selection: Vec<u32> = core.hits_between(&putin, first, last).into_iter().map(|(a, _)| a).collect();
    selection.sort_unstable();
    let table = core.entity_table();
    let entities = table.entity_articles();
    let in_view = |a: u32| core.day(a).is_some_and(|d| d >= first && d <= last);
    let count = core.day_totals.range(first..=last).map(|(_, t)| t.articles).sum();
    let expected =
        presswatch::core::cooccur::cooccurring(&selection, &entities, in_view, count, None, Default::default());
    let shown = match &h.state().session.tab_data.together {
        Some((_, Some(rows))) => rows.iter().map(|e| (e.name.clone(), e.articles)).collect::<Vec<_>>(),
        _ => unreachable!(),
    };
    assert_eq!(shown, expected.iter().map(|e| (e.name.clone(), e.articles)).collect::<Vec<_>>());

    // In context: one line per counted mention, saved as CSV.
    h.get_by_label("In context").click();
    wait(&mut h, "the concordance", |a| matches!(a.session.tab_data.context, Some((_, Some(_)))));
    let lines = match &h.state().session.tab_data.context {
        Some((_, Some(lines))) => lines.clone(),
        _ => unreachable!(),
    };
    assert_eq!(lines.len() as u32, mentions);
    assert!(lines.iter().all(|l| l.line.keyword.eq_ignore_ascii_case("putin")));
    h.get_by_label("Export (CSV)…").click();
    wait(&mut h, "the export", |_| csv.exists());
    let written = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(written.lines().count(), lines.len() + 1);
    // A line opens its article at its mention.
    h.state_mut().apply(Command::OpenMention(0));
    wait(&mut h, "the article", |a| a.session.viewer.as_ref().is_some_and(|v| v.loaded.is_some()));
    let viewer = h.state().session.viewer.as_ref().unwrap();
    let loaded = viewer.loaded.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(loaded.current.map(|c| loaded.mentions[c].start), Some(lines[0].line.start));
}

/// Regression: the entity panel kept the first folder's entity count after another was opened.
#[test]
fn the_entity_count_follows_the_folder_that_is_open() {
    let mut h = harness(Harness::builder(), app(&[], Open::Folder(sample()), None));
    let entities_ready = |a: &PresswatchApp| a.index().is_some_and(|i| i.entity_table_if_ready().is_some());
    wait(&mut h, "the sample data", entities_ready);
    let shown = |a: &PresswatchApp| {
        let table = a.index().unwrap().entity_table();
        let kinds = [EntityKind::Person, EntityKind::Organization, EntityKind::Location];
        table.rows.iter().filter(|e| !e.hidden && kinds.contains(&e.kind)).count()
    };
    let first = shown(h.state());
    h.get_by_label(&format!("{first} entities"));
    let other = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    h.state_mut().apply(Command::OpenPath(other.clone()));
    wait(&mut h, "the other folder", |a| a.index().is_some_and(|i| i.root == other) && entities_ready(a));
    let second = shown(h.state());
    assert_ne!(first, second, "the two folders differ");
    h.get_by_label(&format!("{second} entities"));
}

#[test]
fn unreadable_settings_fall_back_to_defaults_with_a_notice() {
    let dialogs = Arc::new(FixedDialogs { folder: None, save_to: None });
    let app = PresswatchApp::new(Some("{ not json"), Open::Nothing, dialogs);
    let mut h = harness(Harness::builder(), app);
    h.step();
    h.get_by_label_contains("could not be read");
    assert_eq!(h.state().settings.watchlist.len(), Settings::default().watchlist.len());
}

/// A folder of its own with a store on disk: what arrives in it is read, charted and listed
/// as new, and reopening it shows the stored state at once, with what arrived since marked.
#[test]
fn a_watched_folder_shows_what_arrives_and_marks_it_new_on_the_next_visit() {
    let folder = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(sample().join("text/wire-copy")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, folder.path().join(path.file_name().unwrap())).unwrap();
    }
    let mut settings = Settings { watchlist: Vec::new(), ..Settings::default() };
    settings.add_term("Putin");
    let open = |settings: &Settings| {
        let dialogs = Arc::new(FixedDialogs { folder: None, save_to: None });
        PresswatchApp::new(Some(&settings.to_json()), Open::Folder(folder.path().to_path_buf()), dialogs)
            .with_stores(StorePlace::At(data.path().to_path_buf()))
    };
    let mut h = harness(Harness::builder(), open(&settings));
    wait(&mut h, "the first import", |a| a.index().is_some_and(|i| i.article_count() == 8));
    let mentions = |a: &PresswatchApp| a.session.counts.values().next().map_or(0, |c| c.mentions);
    let before = mentions(h.state());

    // A file arrives: the watch (or, failing that, Reload) brings it in.
    let record = r#"{"title": "Putin speaks", "text": "Putin and Putin again.", "published": "2025-02-20T10:00:00Z"}"#;
    std::fs::write(folder.path().join("arrived.jsonl"), format!("{record}\n{record}\n")).unwrap();
    if h.state().session.folder.as_ref().is_some_and(|f| f.watch.as_ref().is_none_or(|w| w.fallback.is_some())) {
        h.state_mut().apply(Command::Reload);
    }
    wait(&mut h, "the arrival", |a| a.index().is_some_and(|i| i.article_count() == 10));
    assert_eq!(mentions(h.state()), before + 6, "three mentions in each new article");
    h.get_by_label_contains("+2 articles");

    // Next visit: the stored state at once; what arrived after the previous visit is new.
    let mut saved = h.state().settings.clone();
    drop(h);
    let (_, visited) = saved.visits.iter_mut().find(|(f, _)| f == folder.path()).unwrap();
    // As if that visit had begun now, after the arrival.
    std::thread::sleep(Duration::from_millis(20));
    *visited = chrono::Utc::now();
    let last_visit = *visited;
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(folder.path().join("later.jsonl"), format!("{record}\n")).unwrap();
    let mut h = harness(Harness::builder(), open(&saved));
    wait(&mut h, "the reopen and its check", |a| a.index().is_some_and(|i| i.article_count() == 11));
    let index = h.state().index().unwrap().clone();
    assert_eq!(index.new_since(last_visit), 1, "only the later file was stored after that visit");
    h.get_by_label_contains("1 new since your last visit");
}

/// A wgpu renderer for snapshots, or `None` (with a notice) on a machine without an adapter.
fn renderer() -> Option<egui_kittest::wgpu::WgpuTestRenderer> {
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let renderer = std::panic::catch_unwind(egui_kittest::wgpu::WgpuTestRenderer::new).ok();
    std::panic::set_hook(quiet);
    if renderer.is_none() {
        eprintln!(
            "NOTICE: no wgpu adapter on this machine, snapshot test skipped \
             (install mesa-vulkan-drivers to run it)"
        );
    }
    renderer
}

#[test]
fn snapshot_main_screen_and_article() {
    let Some(renderer) = renderer() else {
        return;
    };
    let terms = Settings::default();
    let terms: Vec<&str> = terms.watchlist.iter().map(|w| w.query.as_str()).collect();
    // A relative path, so the status bar reads the same on every machine.
    let app = app(&terms, Open::Folder(PathBuf::from("sample-data")), None);
    let mut h = harness(Harness::builder().renderer(renderer), app);
    wait(&mut h, "the import and counts", |a| {
        a.session.chart.as_ref().is_some_and(|c| c.trends.series.len() == terms.len())
    });
    h.snapshot("main_screen");

    // Select Putin's busiest week and open its first article.
    let (pos, period) = {
        let chart = h.state().session.chart.as_ref().unwrap();
        let t = &chart.trends;
        let (i, p) = t.series[0].points.iter().enumerate().max_by_key(|(_, p)| p.mentions).unwrap();
        let at = h.state().session.plot_transform.unwrap().position_from_point(&egui_plot::PlotPoint::new(
            presswatch::app::chart::x_of(t.periods[i]),
            p.mentions as f64,
        ));
        (at, i)
    };
    click_at(&mut h, pos);
    wait(&mut h, "the rows", |a| a.session.rows_loading.is_none());
    assert!(!h.state().session.rows.is_empty(), "period {period} listed nothing");
    h.event(egui::Event::PointerMoved(egui::pos2(1.0, 1.0)));
    h.key_press(egui::Key::ArrowDown);
    wait(&mut h, "the article", |a| a.session.viewer.as_ref().is_some_and(|v| v.loaded.is_some()));
    h.snapshot("article_open");
}

#[test]
fn alerts_are_the_cores_marked_new_until_seen_and_select_their_period() {
    let mut h = harness(Harness::builder(), app(&["Putin", "Kursk"], Open::Folder(sample()), None));
    h.state_mut().apply(Command::SetBucket(Bucket::Day));
    wait(&mut h, "the alerts", |a| {
        a.session.chart.as_ref().is_some_and(|c| c.trends.series.len() == 2) && a.session.alerts.rows.is_some()
    });
    // The core's rule on the core's own series, over all dates, newest first.
    let core = core_index();
    let rule = presswatch::core::alerts::AlertSettings::default();
    let series: Vec<_> = ["Putin", "Kursk"]
        .iter()
        .map(|t| (t.to_string(), core.daily(&core.count(&Matcher::parse(&[t]).unwrap()).remove(0))))
        .collect();
    let trends = presswatch::core::timeline::Trends::build(Bucket::Day, None, None, &core.day_totals, &series);
    let mut expected: Vec<(String, chrono::NaiveDate, u64)> = presswatch::core::alerts::alerts(&trends, &rule)
        .into_iter()
        .map(|a| (series[a.series].0.clone(), a.period_start, a.count))
        .collect();
    let rows = h.state().session.alerts.rows.clone().unwrap();
    let mut shown: Vec<(String, chrono::NaiveDate, u64)> =
        rows.iter().map(|r| (r.label.clone(), r.period_start, r.count)).collect();
    shown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    assert!(!expected.is_empty(), "the sample data has spikes at daily resolution");
    assert_eq!(shown, expected);
    for r in &rows {
        assert!(!r.top.is_empty() && r.top.len() <= rule.top_articles, "{r:?}");
    }

    // All new on a first visit; leaving the tab marks them seen.
    let tab = format!("Alerts ({} new)", rows.len());
    h.get_by_label(&tab).click();
    h.run_steps(2);
    assert!(h.query_by_label("Mark all as seen").is_some());
    h.get_by_label("Articles").click_accesskit();
    h.run_steps(2);
    assert!(h.query_by_label(&tab).is_none());
    h.get_by_label("Alerts").click();
    h.run_steps(2);

    // Selecting an alert lists the articles of its item and period.
    h.state_mut().apply(Command::SelectAlert(0));
    wait(&mut h, "the alert's rows", |a| a.session.rows_loading.is_none());
    let selection = h.state().session.selection.clone().unwrap();
    assert_eq!((selection.first, selection.last), (rows[0].period_start, rows[0].period_end));
    assert_eq!(h.state().session.rows.len() as u64, rows[0].count, "the rule counts articles by default");
    // Raising the threshold past every count removes them all.
    let strict = presswatch::core::alerts::AlertSettings { min_count: 1_000_000, ..rule };
    h.state_mut().apply(Command::SetAlertRule(strict));
    wait(&mut h, "no alerts", |a| a.session.alerts.rows.as_ref().is_some_and(|r| r.is_empty()));
}

#[test]
fn each_story_once_counts_an_original_and_lists_its_copies() {
    let story = "The harbour authority approved a new container terminal on Tuesday after two years of \
        hearings, saying the expansion would double the port's capacity by the end of the decade. Opponents \
        had argued the dredging would damage the estuary's fisheries, and a local group said it would appeal \
        the decision in the regional court.";
    let other = "Fishermen at the old harbour said catches had fallen for a third year, blaming warmer water \
        and the closure of the northern grounds; the ministry promised a study of the stocks by autumn.";
    let dir = tempfile::tempdir().unwrap();
    let records = [
        ("Terminal approved", story.to_string(), "Wire Desk", "2024-03-05T09:00:00Z"),
        (
            "Port to double in size",
            format!("{story} Subscribe to our newsletter."),
            "Daily Ledger",
            "2024-03-05T11:00:00Z",
        ),
        ("New terminal", story.to_string(), "Valley Gazette", "2024-03-06T08:00:00Z"),
        ("Catches fall", other.to_string(), "Coast News", "2024-03-05T10:00:00Z"),
    ];
    let lines: Vec<String> = records
        .iter()
        .map(|(title, text, source, published)| {
            serde_json::json!({"title": title, "text": text, "source": source, "published": published}).to_string()
        })
        .collect();
    std::fs::write(dir.path().join("export.jsonl"), lines.join("\n")).unwrap();

    let mut h = harness(Harness::builder(), app(&["harbour"], Open::Folder(dir.path().to_path_buf()), None));
    h.state_mut().apply(Command::SetBucket(Bucket::Month));
    wait(&mut h, "the count", |a| a.session.chart.as_ref().is_some_and(|c| c.trends.series.len() == 1));
    let articles = |h: &Harness<'_, PresswatchApp>| {
        let t = &h.state().session.chart.as_ref().unwrap().trends;
        (t.series[0].points[0].articles, t.totals[0].articles)
    };
    assert_eq!(articles(&h), (4, 4));

    h.get_by_label("Each story once").click();
    wait(&mut h, "the copies", |a| a.session.copies.is_some() && !a.session.chart_dirty);
    assert_eq!(articles(&h), (2, 2), "two copies of one story are left out, of the item and of the totals");
    h.state_mut().apply(Command::SelectPoint { item: 0, period: 0 });
    wait(&mut h, "the rows", |a| a.session.rows_loading.is_none());
    let rows = &h.state().session.rows;
    assert_eq!(rows.len(), 2);
    let original = rows.iter().find(|r| r.meta.title == "Terminal approved").unwrap();
    let copies: Vec<&str> = original.copies.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(copies, ["Daily Ledger — Port to double in size", "Valley Gazette — New terminal"]);
    assert!(h.query_by_label("2 copies").is_some());

    h.get_by_label("Each story once").click();
    wait(&mut h, "every article", |a| a.session.filtered_totals.is_none() && a.session.rows_loading.is_none());
    assert_eq!(articles(&h), (4, 4));
    assert_eq!(h.state().session.rows.len(), 4);
}
