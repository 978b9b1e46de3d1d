//! Queries (section `query`), on both corpora:
//!
//! - **from the store**: one query of eight leaves with a NEAR, counted over every article from
//!   the store's postings, timed in this process with the index already open (what adding a
//!   query to the window costs). Targets: under 50 ms on rss-2023, under 200 ms on 1,000,000
//!   articles.
//! - **without a store**: `presswatch trends -q QUERY --no-store` against `rg -c -i -w` on the
//!   query's words (prefixes as `\w*`), in turns. Target: at most 2.5× ripgrep's wall time, as
//!   for terms.
//!
//! The store is the one the `store` section leaves under the benchmark's data directory (made
//! here when absent).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use presswatch::core::index::{Index, IndexOptions};
use presswatch::core::ingest::{ImportOptions, ImportProgress};
use presswatch::core::query::CompiledQuery;
use presswatch::core::store::{Store, StoreLocation};

use super::{Settings, Tool, measure, summarise};

/// Eight leaves, one NEAR, one NOT: a realistic monitoring query.
pub const QUERY: &str =
    "War=(ukraine OR kyiv OR zelensky*) AND (russia* NEAR/10 (offensive OR attack*)) AND NOT (sport OR football)";
/// The same words for ripgrep (a prefix as `\w*`).
const RG_WORDS: [&str; 8] =
    ["ukraine", "kyiv", r"zelensky\w*", r"russia\w*", "offensive", r"attack\w*", "sport", "football"];
const MAX_RG_RATIO: f64 = 2.5;

/// Benchmarks the query on `dir`; returns whether the targets were met.
pub(super) fn bench(title: &str, dir: &Path, s: &Settings, store_target: Duration) -> Result<bool, String> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("corpus").to_string();
    let data = s.data.join("stores").join(&name);
    let location = StoreLocation::in_data_dir(dir, &data).map_err(|e| e.to_string())?;
    let store = Store::open_at(dir, location).map_err(|e| e.to_string())?.store;
    if store.updated().is_none() {
        eprintln!("  {title}: making the store first …");
    }
    store.update(&ImportOptions::default(), &ImportProgress::default(), None).map_err(|e| e.to_string())?;
    let index = Index::open(&store, &IndexOptions::default()).map_err(|e| e.to_string())?;
    let query = CompiledQuery::parse(QUERY).map_err(|e| e.to_string())?;
    let mut times = Vec::new();
    let mut matched = 0;
    for _ in 0..s.runs.max(5) {
        let started = Instant::now();
        let hits = index.count_query(&query);
        times.push(started.elapsed());
        matched = hits.hits.len();
    }
    times.sort();
    let (best, median) = (times[0], times[times.len() / 2]);

    let out = s.data.join("out").join(format!("query-{name}"));
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let dir_arg = dir.display().to_string();
    let presswatch = vec![
        env!("CARGO_BIN_EXE_presswatch").to_string(),
        "trends".into(),
        dir_arg.clone(),
        "--no-store".into(),
        "-q".into(),
        QUERY.into(),
        "--bucket".into(),
        "day".into(),
    ];
    let mut rg = vec!["rg".to_string(), "-c".into(), "-i".into(), "-w".into()];
    rg.extend(RG_WORDS.iter().flat_map(|w| ["-e".to_string(), w.to_string()]));
    rg.push(dir_arg);
    let tools = [
        Tool { name: "trends -q --no-store", argv: presswatch, stdout: out.join("trends.csv"), runs: s.runs },
        Tool { name: "rg -c -i -w", argv: rg, stdout: out.join("rg.txt"), runs: s.runs },
    ];
    let mut samples = vec![Vec::new(); 2];
    for round in 0..s.runs {
        for (tool, got) in tools.iter().zip(&mut samples) {
            eprintln!("  {title}: {} run {}/{} …", tool.name, round + 1, s.runs);
            got.push(measure(tool)?);
        }
    }
    let (pw, rg) = (summarise(&samples[0]), summarise(&samples[1]));

    let mut report = String::new();
    let _ = writeln!(report, "\n## query: {title}");
    let _ = writeln!(report, "query: {QUERY}");
    let _ = writeln!(report, "understood as: {}", query.query);
    let _ = writeln!(
        report,
        "from the store, index open: best {:.1} ms, median {:.1} ms over {} runs; {matched} articles matched",
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3,
        times.len()
    );
    let _ = writeln!(
        report,
        "without a store: presswatch {:.2} s (CPU {:.2} s), rg {:.2} s (CPU {:.2} s), best of {}",
        pw.min.as_secs_f64(),
        pw.cpu.as_secs_f64(),
        rg.min.as_secs_f64(),
        rg.cpu.as_secs_f64(),
        pw.runs
    );
    let ratio = pw.min.as_secs_f64() / rg.min.as_secs_f64();
    let checks = [
        (
            median <= store_target,
            format!(
                "query from the store < {} ms: median {:.1} ms",
                store_target.as_millis(),
                median.as_secs_f64() * 1e3
            ),
        ),
        (ratio <= MAX_RG_RATIO, format!("trends -q without a store ≤ {MAX_RG_RATIO}× ripgrep: {ratio:.2}×")),
    ];
    for (pass, what) in &checks {
        let _ = writeln!(report, "{} {what}", if *pass { "PASS" } else { "FAIL" });
    }
    print!("{report}");
    Ok(checks.iter().all(|(pass, _)| *pass))
}
