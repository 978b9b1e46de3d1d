//! Measures `find_html_date` against a folder of hand-dated pages.
//!
//! ```text
//! cargo run --release --no-default-features --example eval_dates -- DIR [--verbose] [--dump FILE]
//! ```
//!
//! `--dump FILE` writes every page's candidate dates (JSON Lines: page, expected day, headline
//! position, and per candidate its evidence, rule, local and UTC day and position), to study
//! how the choice between them could be made.
//!
//! DIR holds `NAME.html` (or `.htm`) with `NAME.date` beside it (`YYYY-MM-DD`, the expected
//! publication day) and optionally `NAME.url` (the page address, passed to the extractor). A
//! missing date counts as wrong. Accuracy is reported on the page's own day (at the offset it
//! wrote, what Presswatch charts) and on the UTC day, with the number of pages where the two
//! differ. Evaluation data is third-party and is
//! never committed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use presswatch::core::ingest::html_date::{choose, page_dates};
use scraper::Html;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let dump = args.iter().position(|a| a == "--dump").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let Some(dir) = args.iter().enumerate().find(|(i, a)| !a.starts_with('-') && (*i == 0 || args[i - 1] != "--dump"))
    else {
        eprintln!("usage: eval_dates DIR [--verbose] [--dump FILE]");
        return ExitCode::from(2);
    };
    match run(Path::new(dir.1), verbose, dump.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(dir: &Path, verbose: bool, dump: Option<&Path>) -> std::io::Result<()> {
    let mut dump = match dump {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => None,
    };
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html" || x == "htm"))
        .filter(|p| p.with_extension("date").exists())
        .collect();
    pages.sort();
    let (mut utc_ok, mut local_ok, mut missing, mut day_changed) = (0usize, 0usize, 0usize, 0usize);
    let mut by_source: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let started = Instant::now();
    for page in &pages {
        let expected = std::fs::read_to_string(page.with_extension("date"))?.trim().to_string();
        let url = std::fs::read_to_string(page.with_extension("url")).ok().map(|u| u.trim().to_string());
        let html = String::from_utf8_lossy(&std::fs::read(page)?).into_owned();
        let doc = Html::parse_document(&html);
        let name = page.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let page_dates = page_dates(&doc, url.as_deref(), chrono::Utc::now());
        if let Some(out) = dump.as_mut() {
            let candidates: Vec<serde_json::Value> = page_dates
                .candidates
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "evidence": format!("{:?}", c.evidence),
                        "detail": c.detail,
                        "local": c.local.date_naive().to_string(),
                        "utc": c.local.naive_utc().date().to_string(),
                        "offset": c.local.offset().local_minus_utc(),
                        "time": c.local.time().to_string(),
                        "utc_time": c.local.naive_utc().time().to_string(),
                        "pos": c.pos,
                    })
                })
                .collect();
            let line =
                serde_json::json!({"page": name, "expected": expected, "h1": page_dates.h1, "candidates": candidates});
            writeln!(out, "{line}")?;
        }
        let Some(found) = choose(&page_dates) else {
            missing += 1;
            println!("MISSING  {name}  expected {expected}");
            continue;
        };
        let utc_day = found.utc().date_naive().to_string();
        let local_day = found.local.date_naive().to_string();
        let source = format!("{:?}", found.source);
        let entry = by_source.entry(source.clone()).or_default();
        entry.0 += 1;
        if utc_day != local_day {
            day_changed += 1;
        }
        if local_day == expected {
            local_ok += 1;
        }
        if utc_day == expected {
            utc_ok += 1;
        }
        if local_day == expected {
            entry.1 += 1;
            if verbose {
                println!("ok       {name}  {local_day}  ({source}: {})", found.detail);
            }
        } else {
            println!(
                "WRONG    {name}  got {local_day} (UTC {utc_day}, {source}: {})  expected {expected}",
                found.detail
            );
        }
    }
    let n = pages.len().max(1);
    let pct = |k: usize| 100.0 * k as f64 / n as f64;
    println!();
    println!("pages: {}", pages.len());
    println!("accuracy (page's own day, as charted): {local_ok}/{} = {:.1}%", pages.len(), pct(local_ok));
    println!("accuracy (UTC day):                    {utc_ok}/{} = {:.1}%", pages.len(), pct(utc_ok));
    println!("pages whose day differs in UTC: {day_changed}");
    println!("missing: {missing}");
    for (source, (found, right)) in &by_source {
        println!("  {source:<12} used {found:>4}, right {right:>4}");
    }
    println!("time: {:.1} ms per page", started.elapsed().as_secs_f64() * 1000.0 / n as f64);
    Ok(())
}
