//! Measures the recogniser's single-threaded speed on the Reuters-1987 corpus.
//!
//! ```text
//! cargo run --release --no-default-features --example ner_speed -- ../shared/corpora
//! ```
//!
//! Counts tokens with the recogniser's own tokenizer; the timed part is `recognize` alone
//! (tokenising, sentence splitting, features and tagging), on one thread. Prints wall-clock
//! throughput and, on Linux, throughput per second of CPU time the thread actually got (from
//! `/proc/thread-self/schedstat`), which is the per-core figure on a machine shared with other
//! work.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;

use presswatch::core::entities::recognizer::{Recognizer, tokenize};

#[derive(Parser)]
struct Args {
    /// The shared corpora folder (reads `reuters-1987/*.jsonl`).
    corpora: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let dir = args.corpora.join("reuters-1987");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut texts = Vec::new();
    for path in &files {
        let data = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        for line in data.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            texts.push(format!("{}\n\n{}", field("title"), field("text")));
        }
    }
    let tokens: usize = texts.iter().map(|t| tokenize::tokenize(t).len()).sum();
    let rec = Recognizer::bundled();
    let _ = rec.recognize("Warm-up so model loading is not timed.");
    let start = Instant::now();
    let cpu_start = thread_cpu_seconds();
    let mut spans = 0usize;
    for text in &texts {
        spans += rec.recognize(text).len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} articles, {tokens} tokens, {spans} entity spans in {secs:.2} s wall: {:.0} tokens/s on one thread",
        texts.len(),
        tokens as f64 / secs
    );
    if let (Some(a), Some(b)) = (cpu_start, thread_cpu_seconds()) {
        println!("{:.2} s of CPU time: {:.0} tokens per CPU-second", b - a, tokens as f64 / (b - a));
    }
    Ok(())
}

/// CPU time this thread has run, in seconds (Linux only).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
