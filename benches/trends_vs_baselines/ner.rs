//! Entity recognition speed, beside the import figures (issue: at least 300,000 tokens per second
//! per core in release builds).
//!
//! Two measurements on all of Reuters-1987, read through presswatch's own import so the texts are
//! exactly what the app recognises:
//! - the recogniser alone on this thread (tokenising, sentence splitting, features, tagging):
//!   tokens per CPU-second of this thread, the per-core figure the target is about, with the
//!   tokenizer alone on the same texts as the baseline it cannot beat;
//! - `presswatch entities` end to end (import, recognition on every core, grouping) in a fresh
//!   process: wall time, CPU time and peak memory.

use std::path::Path;
use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};
use presswatch::core::entities::recognizer::{Recognizer, tokenize};
use presswatch::core::ingest::{self, ImportOptions, ImportProgress};

use super::{Settings, Tool, measure, summarise};

const MIN_TOKENS_PER_CORE_SECOND: f64 = 300_000.0;

/// Benchmarks recognition on `reuters`; returns whether the target was met.
pub(super) fn bench(reuters: &Path, settings: &Settings) -> Result<bool, String> {
    let imported = ingest::import(reuters, &ImportOptions::default(), &ImportProgress::default(), |a| a.text)
        .map_err(|e| e.to_string())?;
    let texts = imported.items;
    let recognizer = Recognizer::bundled();
    let _ = recognizer.recognize("Warm-up, so loading the model is not timed.");

    let mut tokens = 0;
    let tokenizer = thread_cpu(|| tokens = texts.iter().map(|t| tokenize::tokenize(t).len()).sum::<usize>())?;
    let mut spans = 0;
    let recognise = thread_cpu(|| spans = texts.iter().map(|t| recognizer.recognize(t).len()).sum::<usize>())?;

    let out = settings.data.join("out/reuters-1987");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let argv = vec![
        env!("CARGO_BIN_EXE_presswatch").to_string(),
        "entities".into(),
        reuters.display().to_string(),
        "--top".into(),
        "20".into(),
        "--no-store".into(),
    ];
    let tool = Tool { name: "presswatch entities", argv, stdout: out.join("entities.csv"), runs: settings.runs };
    let samples = (0..tool.runs).map(|_| measure(&tool)).collect::<Result<Vec<_>, _>>()?;
    let whole = summarise(&samples);

    let per_core = tokens as f64 / recognise.cpu.as_secs_f64();
    println!("\n## Entity recognition, reuters-1987 ({} articles, {tokens} tokens, {spans} entity spans)", texts.len());
    println!("{:<34} {:>9} {:>9} {:>22}", "", "wall", "CPU", "tokens per CPU-second");
    for (name, run) in [("tokenizer alone (baseline), 1 thread", &tokenizer), ("recogniser, 1 thread", &recognise)] {
        println!(
            "{name:<34} {:>8.2}s {:>8.2}s {:>22.0}",
            run.wall.as_secs_f64(),
            run.cpu.as_secs_f64(),
            tokens as f64 / run.cpu.as_secs_f64()
        );
    }
    println!(
        "{:<34} {:>8.2}s {:>8.2}s {:>22} ({} runs, best; peak RSS {:.0} MB; {:.0} tokens/s wall)",
        "presswatch entities, every core",
        whole.min.as_secs_f64(),
        whole.cpu.as_secs_f64(),
        "",
        whole.runs,
        whole.peak_bytes as f64 / 1e6,
        tokens as f64 / whole.min.as_secs_f64()
    );
    let pass = per_core >= MIN_TOKENS_PER_CORE_SECOND;
    println!(
        "{} recogniser ≥ {MIN_TOKENS_PER_CORE_SECOND:.0} tokens per second per core: {per_core:.0}",
        if pass { "PASS" } else { "FAIL" }
    );
    Ok(pass)
}

struct Timed {
    wall: Duration,
    cpu: Duration,
}

/// Runs `work` and returns its wall time and the CPU time this thread spent on it (steady when
/// other processes share the cores).
fn thread_cpu(work: impl FnOnce()) -> Result<Timed, String> {
    let cpu_now = || -> Result<Duration, String> {
        let usage = getrusage(UsageWho::RUSAGE_THREAD).map_err(|e| format!("getrusage failed: {e}"))?;
        let micros = |t: nix::sys::time::TimeVal| (t.tv_sec() * 1_000_000 + t.tv_usec()).max(0) as u64;
        Ok(Duration::from_micros(micros(usage.user_time()) + micros(usage.system_time())))
    };
    let (cpu_start, started) = (cpu_now()?, Instant::now());
    work();
    Ok(Timed { wall: started.elapsed(), cpu: cpu_now()? - cpu_start })
}
