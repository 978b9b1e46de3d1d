//! The store against reading the files, in the same run (section `store`):
//!
//! - **first import**: `presswatch index` into an empty data directory, against the import the
//!   window made at every start before there was a store: `presswatch entities --no-store`
//!   (import, entity recognition on every core, grouping: the same work less the old word store,
//!   so the ratio is, if anything, against the store). Target: at most 1.5×.
//! - **unchanged folder**: `presswatch index` again. Target (rss-2023): under 1 s.
//! - **trends from the store** against `trends --no-store`, the same five terms; the two CSVs must
//!   be identical.
//! - the store's size next to the files'.
//!
//! The window's figures (reopen to chart, a new file to the chart, adding a term, memory) come
//! from `cargo run --release --bin gui_timing`, which drives the real window.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::{Measured, Settings, TERMS, Tool, measure, summarise};

const MAX_IMPORT_RATIO: f64 = 1.5;
const MAX_UNCHANGED_SECONDS: f64 = 1.0;

/// Benchmarks the store on `dir`; returns whether the targets were met. `unchanged_target`:
/// check the unchanged-folder target (set for rss-2023, the folder it is stated for).
pub(super) fn bench(title: &str, dir: &Path, s: &Settings, unchanged_target: bool) -> Result<bool, String> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("corpus").to_string();
    let out = s.data.join("out").join(format!("store-{name}"));
    let data = s.data.join("stores").join(&name);
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let presswatch = env!("CARGO_BIN_EXE_presswatch").to_string();
    let dir_arg = dir.display().to_string();
    let with_store = |args: &[&str]| -> Vec<String> {
        let mut argv = vec!["env".to_string(), format!("PRESSWATCH_DATA_DIR={}", data.display()), presswatch.clone()];
        argv.extend(args.iter().map(|a| a.to_string()));
        argv
    };
    let tool =
        |name: &'static str, argv: Vec<String>, file: &str| Tool { name, argv, stdout: out.join(file), runs: s.runs };
    let today = tool("entities --no-store", with_store(&["entities", &dir_arg, "--no-store"]), "entities.csv");
    let first = tool("index (first import)", with_store(&["index", &dir_arg]), "index-first.txt");
    let unchanged = tool("index (unchanged)", with_store(&["index", &dir_arg]), "index-again.txt");
    let mut trend_args = vec!["trends", &dir_arg, "--bucket", "day"];
    trend_args.extend(TERMS.iter().flat_map(|t| ["-t", *t]));
    let stored_trends = tool("trends (store)", with_store(&trend_args), "trends-store.csv");
    trend_args.push("--no-store");
    let file_trends = tool("trends --no-store", with_store(&trend_args), "trends-files.csv");

    let mut samples = vec![Vec::new(); 5];
    for round in 0..s.runs {
        eprintln!("  {title}: store round {}/{} …", round + 1, s.runs);
        if data.exists() {
            fs::remove_dir_all(&data).map_err(|e| format!("cannot remove {}: {e}", data.display()))?;
        }
        samples[0].push(measure(&today)?);
        samples[1].push(measure(&first)?);
        samples[2].push(measure(&unchanged)?);
        samples[3].push(measure(&stored_trends)?);
        samples[4].push(measure(&file_trends)?);
    }
    let m: Vec<Measured> = samples.iter().map(|s| summarise(s)).collect();
    let store_bytes = dir_bytes(&data);
    let file_bytes = dir_bytes(dir);

    let mut report = String::new();
    let _ = writeln!(report, "\n## store: {title}");
    let _ = writeln!(
        report,
        "files {:.0} MB; store {:.0} MB ({:.2}× the files)",
        file_bytes as f64 / 1e6,
        store_bytes as f64 / 1e6,
        store_bytes as f64 / file_bytes.max(1) as f64
    );
    let _ = writeln!(
        report,
        "{:<22} {:>9} {:>11} {:>8} {:>5} {:>10}",
        "command", "wall min", "wall median", "CPU", "runs", "peak RSS"
    );
    for (t, m) in [&today, &first, &unchanged, &stored_trends, &file_trends].iter().zip(&m) {
        let _ = writeln!(
            report,
            "{:<22} {:>8.2}s {:>10.2}s {:>7.2}s {:>5} {:>7.0} MB",
            t.name,
            m.min.as_secs_f64(),
            m.median.as_secs_f64(),
            m.cpu.as_secs_f64(),
            m.runs,
            m.peak_bytes as f64 / 1e6
        );
    }
    let mut checks: Vec<(bool, String)> = Vec::new();
    let ratio = m[1].min.as_secs_f64() / m[0].min.as_secs_f64();
    checks.push((
        ratio <= MAX_IMPORT_RATIO,
        format!("first import into the store ≤ {MAX_IMPORT_RATIO}× the import without one: {ratio:.2}×"),
    ));
    if unchanged_target {
        let secs = m[2].median.as_secs_f64();
        checks.push((
            secs < MAX_UNCHANGED_SECONDS,
            format!("index on an unchanged folder < {MAX_UNCHANGED_SECONDS} s: {secs:.3} s"),
        ));
    }
    let same = fs::read(&stored_trends.stdout).ok() == fs::read(&file_trends.stdout).ok();
    checks.push((same, "trends from the store equal trends from the files, byte for byte".to_string()));
    let speedup = m[4].min.as_secs_f64() / m[3].min.as_secs_f64();
    let _ = writeln!(report, "trends from the store: {speedup:.1}× faster than reading the files");
    for (pass, what) in &checks {
        let _ = writeln!(report, "{} {what}", if *pass { "PASS" } else { "FAIL" });
    }
    print!("{report}");
    Ok(checks.iter().all(|(pass, _)| *pass))
}

fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(fs::Metadata::is_file)
        .map(|m| m.len())
        .sum()
}
