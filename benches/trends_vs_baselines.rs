//! `presswatch trends` against two baselines in the same run: ripgrep (`rg -c -i -w`) and a plain
//! Python script (`benches/baseline_trends.py`, json + re) computing the same CSV.
//!
//! Run with `cargo bench --no-default-features --bench trends_vs_baselines` (without
//! `--no-default-features` cargo builds the measured binary with the window as well; it measures
//! the same engine, only the build is slower). The targets are checked against the
//! baselines measured a moment earlier on the same machine, never against fixed times:
//! presswatch at most 2× ripgrep's wall time, at least 30× faster than Python, and under 1 GB
//! peak memory on the 1,000,000-article corpus. The Python CSV must equal presswatch's byte for
//! byte, so the comparison is between programs that did the same work.
//!
//! Inputs come from `../shared/corpora` beside the checkout (absent → a notice and exit 0) and are
//! prepared once under the target directory: the rss-2023 JSON Lines decompressed, and the scale
//! corpus from `../shared/tools/make-scale-corpus`. All three tools read the same plain files.
//!
//! Each measurement runs in a fresh copy of this binary (`--measure`) that spawns the command and
//! reads its peak resident set from `getrusage(RUSAGE_CHILDREN)`, so no other child's peak can
//! leak into it. Settings (environment): `PRESSWATCH_BENCH_N` articles in the scale corpus
//! (default 1000000), `PRESSWATCH_BENCH_RUNS` runs of presswatch and rg (default 3),
//! `PRESSWATCH_BENCH_PYTHON_RUNS` runs of Python (default 1: it takes minutes),
//! `PRESSWATCH_BENCH_SECTIONS` which parts to run (default `rss,scale,ner`).
//! The exit status is 1 when a target or the CSV comparison fails.
//!
//! The `ner` section measures entity recognition (tokens per second per core) on Reuters-1987
//! (see `trends_vs_baselines/ner.rs`); the `store` section the folder store against reading the
//! files, on both corpora (see `trends_vs_baselines/store.rs`). The trends sections read the
//! files (`--no-store`), as the baselines do. The `query` section times a Boolean/NEAR query from
//! the store and without one (see `trends_vs_baselines/query.rs`).

#[path = "trends_vs_baselines/ner.rs"]
mod ner;
#[path = "trends_vs_baselines/query.rs"]
mod query;
#[path = "trends_vs_baselines/store.rs"]
mod store;

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Single words that are frequent in 2023 news, so every tool does real matching work.
const TERMS: [&str; 5] = ["putin", "trump", "ukraine", "china", "biden"];
const DEFAULT_SCALE_N: usize = 1_000_000;
const MEMORY_LIMIT_BYTES: u64 = 1 << 30;
const MAX_RG_RATIO: f64 = 2.0;
const MIN_PYTHON_RATIO: f64 = 30.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--measure") {
        return measure_child(&args[1..]);
    }
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("trends_vs_baselines: a target or check FAILED (see above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("trends_vs_baselines: {e}");
            ExitCode::from(2)
        }
    }
}

struct Settings {
    sections: Vec<String>,
    scale_n: usize,
    runs: usize,
    python_runs: usize,
    python: PathBuf,
    manifest: PathBuf,
    data: PathBuf,
}

fn env_count(name: &str, default: usize) -> Result<usize, String> {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or(format!("{name}={v:?} is not a positive number")),
        Err(_) => Ok(default),
    }
}

/// Returns whether every target and check passed.
fn run() -> Result<bool, String> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../shared");
    let rss = shared.join("corpora/rss-2023/monthly");
    if !rss.is_dir() {
        println!("notice: {} is absent; nothing to benchmark (the corpora live beside the checkout)", rss.display());
        return Ok(true);
    }
    let sections =
        std::env::var("PRESSWATCH_BENCH_SECTIONS").unwrap_or_else(|_| "rss,scale,ner,store,query".to_string());
    let sections: Vec<String> = sections.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if let Some(unknown) = sections.iter().find(|s| !matches!(s.as_str(), "rss" | "scale" | "ner" | "store" | "query"))
    {
        return Err(format!(
            "PRESSWATCH_BENCH_SECTIONS: unknown section {unknown:?} (known: rss, scale, ner, store, query)"
        ));
    }
    let settings = Settings {
        sections,
        scale_n: env_count("PRESSWATCH_BENCH_N", DEFAULT_SCALE_N)?,
        runs: env_count("PRESSWATCH_BENCH_RUNS", 3)?,
        python_runs: env_count("PRESSWATCH_BENCH_PYTHON_RUNS", 1)?,
        // The real interpreter, not a version-manager shim that would add its own start-up time.
        python: PathBuf::from(
            capture(Command::new("python3").args(["-c", "import sys; print(sys.executable)"]))?.trim(),
        ),
        data: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data"),
        manifest,
    };
    let rg_version = capture(Command::new("rg").arg("--version"))
        .map_err(|e| format!("{e}; install ripgrep (e.g. apt-get install -y ripgrep)"))?;
    let py_version = capture(Command::new(&settings.python).arg("--version"))?;
    println!("presswatch trends vs baselines");
    println!("  presswatch: {}", env!("CARGO_BIN_EXE_presswatch"));
    println!("  ripgrep:    {}", rg_version.lines().next().unwrap_or("?"));
    println!("  python:     {} ({})", py_version.trim(), settings.python.display());
    println!("  terms:      {}", TERMS.join(", "));
    println!("  cores:      {}", std::thread::available_parallelism().map_or(0, |n| n.get()));
    println!("  runs:       best and median of {} (presswatch, rg), {} (python)", settings.runs, settings.python_runs);
    println!("  peak memory: ru_maxrss of the child via getrusage(RUSAGE_CHILDREN) (nix), max over runs");
    println!("  CPU:        user + system time of the fastest run (same getrusage)");
    println!("  load:       {} (1, 5, 15 min; timings are noisy when it exceeds the cores)", load_average());

    fs::create_dir_all(&settings.data).map_err(|e| format!("cannot create {}: {e}", settings.data.display()))?;
    let mut all_passed = true;

    let wants = |section: &str| settings.sections.iter().any(|s| s == section);
    let rss_dir = || prepare(&settings.data.join("rss-2023"), |dir| decompress_rss(&rss, dir));
    let scale_dir = || {
        let n = settings.scale_n;
        prepare(&settings.data.join(format!("scale-{n}")), |dir| {
            let tool = shared.join("tools/make-scale-corpus");
            eprintln!("preparing the {n}-article corpus with {} (a few minutes, once) …", tool.display());
            let status = Command::new(&settings.python)
                .arg(&tool)
                .arg(n.to_string())
                .arg(dir)
                .stdout(Stdio::null())
                .status()
                .map_err(|e| format!("cannot run {}: {e}", tool.display()))?;
            if status.success() { Ok(()) } else { Err(format!("{} failed ({status})", tool.display())) }
        })
    };
    if wants("rss") {
        all_passed &= bench_corpus("rss-2023 (real RSS items, decompressed)", &rss_dir()?, &settings, false)?;
    }
    if wants("scale") {
        let title = format!("scale corpus, {} articles", settings.scale_n);
        all_passed &= bench_corpus(&title, &scale_dir()?, &settings, true)?;
    }
    if wants("ner") {
        all_passed &= ner::bench(&shared.join("corpora/reuters-1987"), &settings)?;
    }
    if wants("store") {
        all_passed &= store::bench("rss-2023 (decompressed)", &rss_dir()?, &settings, true)?;
        let title = format!("scale corpus, {} articles", settings.scale_n);
        all_passed &= store::bench(&title, &scale_dir()?, &settings, false)?;
    }
    if wants("query") {
        let ms = Duration::from_millis;
        all_passed &= query::bench("rss-2023 (decompressed)", &rss_dir()?, &settings, ms(50))?;
        let title = format!("scale corpus, {} articles", settings.scale_n);
        all_passed &= query::bench(&title, &scale_dir()?, &settings, ms(200))?;
    }
    Ok(all_passed)
}

/// Makes `dir` with `fill` unless it already exists: filling happens in a `.partial` sibling that
/// is renamed at the end, so an interrupted preparation is never mistaken for a complete one.
fn prepare(dir: &Path, fill: impl FnOnce(&Path) -> Result<(), String>) -> Result<PathBuf, String> {
    if dir.is_dir() {
        return Ok(dir.to_path_buf());
    }
    let partial = dir.with_extension("partial");
    if partial.exists() {
        fs::remove_dir_all(&partial).map_err(|e| format!("cannot remove {}: {e}", partial.display()))?;
    }
    fs::create_dir_all(&partial).map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
    fill(&partial)?;
    fs::rename(&partial, dir).map_err(|e| format!("cannot rename {}: {e}", partial.display()))?;
    Ok(dir.to_path_buf())
}

fn decompress_rss(monthly: &Path, dir: &Path) -> Result<(), String> {
    let mut n = 0;
    for entry in fs::read_dir(monthly).map_err(|e| format!("cannot read {}: {e}", monthly.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".gz")) else {
            continue;
        };
        let io_err = |e: io::Error| format!("cannot decompress {}: {e}", path.display());
        let mut gz = flate2::read::MultiGzDecoder::new(File::open(&path).map_err(io_err)?);
        let mut out = File::create(dir.join(name)).map_err(io_err)?;
        io::copy(&mut gz, &mut out).map_err(io_err)?;
        n += 1;
    }
    if n == 0 { Err(format!("no .gz files in {}", monthly.display())) } else { Ok(()) }
}

/// One command under test and what it writes to stdout.
struct Tool {
    name: &'static str,
    argv: Vec<String>,
    stdout: PathBuf,
    runs: usize,
}

#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    /// User plus system time: steadier than wall time when others load the machine.
    cpu: Duration,
    peak_bytes: u64,
}

struct Measured {
    min: Duration,
    median: Duration,
    /// CPU time of the fastest run.
    cpu: Duration,
    peak_bytes: u64,
    runs: usize,
}

/// Benchmarks one folder; returns whether every check passed.
fn bench_corpus(title: &str, dir: &Path, s: &Settings, check_memory: bool) -> Result<bool, String> {
    let out = s.data.join("out").join(dir.file_name().and_then(|n| n.to_str()).unwrap_or("corpus"));
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let (files, bytes) = warm_page_cache(dir)?;
    let load_before = load_average();
    let dir_arg = dir.display().to_string();
    let pw_csv = out.join("presswatch.csv");
    let py_csv = out.join("python.csv");

    let mut presswatch =
        vec![env!("CARGO_BIN_EXE_presswatch").to_string(), "trends".into(), dir_arg.clone(), "--no-store".into()];
    presswatch.extend(TERMS.iter().flat_map(|t| ["-t".to_string(), t.to_string()]));
    presswatch.extend(["--bucket".into(), "day".into(), "-o".into(), pw_csv.display().to_string()]);
    let mut rg = vec!["rg".to_string(), "-c".into(), "-i".into(), "-w".into()];
    rg.extend(TERMS.iter().flat_map(|t| ["-e".to_string(), t.to_string()]));
    rg.push(dir_arg.clone());
    let mut python = vec![
        s.python.display().to_string(),
        s.manifest.join("benches/baseline_trends.py").display().to_string(),
        dir_arg,
    ];
    python.extend(TERMS.iter().map(|t| t.to_string()));
    let tools = [
        Tool { name: "presswatch trends", argv: presswatch, stdout: out.join("presswatch.stdout"), runs: s.runs },
        Tool { name: "rg -c -i -w", argv: rg, stdout: out.join("rg.txt"), runs: s.runs },
        Tool { name: "python json+re", argv: python, stdout: py_csv.clone(), runs: s.python_runs },
    ];

    // presswatch and rg take turns, so a burst of load from other users hits both alike.
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); tools.len()];
    for round in 0..s.runs.max(s.python_runs) {
        for (tool, got) in tools.iter().zip(&mut samples) {
            if round < tool.runs {
                eprintln!("  {title}: {} run {}/{} …", tool.name, round + 1, tool.runs);
                got.push(measure(tool)?);
            }
        }
    }
    let load_after = load_average();
    let measured: Vec<Measured> = samples.iter().map(|s| summarise(s)).collect();
    let (pw, rg, py) = (&measured[0], &measured[1], &measured[2]);

    let csv = fs::read(&pw_csv).map_err(|e| format!("cannot read {}: {e}", pw_csv.display()))?;
    let articles = dated_articles(&csv);
    let rg_lines: u64 = fs::read_to_string(&tools[1].stdout)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.rsplit(':').next()?.parse::<u64>().ok())
        .sum();

    let mut report = String::new();
    let _ = writeln!(report, "\n## {title}");
    let _ = writeln!(
        report,
        "{} files, {:.0} MB, {articles} dated articles; load average {load_before} before, {load_after} after",
        files,
        bytes as f64 / 1e6
    );
    let _ = writeln!(
        report,
        "{:<18} {:>9} {:>11} {:>8} {:>5} {:>10} {:>14} {:>13}",
        "tool", "wall min", "wall median", "CPU", "runs", "peak RSS", "vs presswatch", "articles/s"
    );
    for (tool, m) in tools.iter().zip(&measured) {
        let _ = writeln!(
            report,
            "{:<18} {:>8.2}s {:>10.2}s {:>7.2}s {:>5} {:>7.0} MB {:>13.2}× {:>13.0}",
            tool.name,
            m.min.as_secs_f64(),
            m.median.as_secs_f64(),
            m.cpu.as_secs_f64(),
            m.runs,
            m.peak_bytes as f64 / 1e6,
            m.min.as_secs_f64() / pw.min.as_secs_f64(),
            articles as f64 / m.min.as_secs_f64(),
        );
    }
    let mut checks: Vec<(bool, String)> = Vec::new();
    let rg_ratio = pw.min.as_secs_f64() / rg.min.as_secs_f64();
    checks.push((
        rg_ratio <= MAX_RG_RATIO,
        format!("presswatch ≤ {MAX_RG_RATIO}× ripgrep: {rg_ratio:.2}× ({rg_lines} matching lines found by rg)"),
    ));
    let py_ratio = py.min.as_secs_f64() / pw.min.as_secs_f64();
    checks.push((
        py_ratio >= MIN_PYTHON_RATIO,
        format!("presswatch ≥ {MIN_PYTHON_RATIO}× faster than Python: {py_ratio:.1}×"),
    ));
    if check_memory {
        checks.push((
            pw.peak_bytes < MEMORY_LIMIT_BYTES,
            format!("presswatch peak memory < 1 GB: {:.0} MB", pw.peak_bytes as f64 / 1e6),
        ));
    }
    let py_bytes = fs::read(&py_csv).map_err(|e| format!("cannot read {}: {e}", py_csv.display()))?;
    checks.push(compare_csv(&csv, &py_bytes));
    for (pass, what) in &checks {
        let _ = writeln!(report, "{} {what}", if *pass { "PASS" } else { "FAIL" });
    }
    print!("{report}");
    Ok(checks.iter().all(|(pass, _)| *pass))
}

/// Reads every file once, so the first timed tool does not pay for the disk alone.
fn warm_page_cache(dir: &Path) -> Result<(usize, u64), String> {
    let (mut files, mut bytes) = (0, 0);
    let mut buf = vec![0; 1 << 20];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let mut f = File::open(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            while let n @ 1.. = f.read(&mut buf).map_err(|e| e.to_string())? {
                bytes += n as u64;
            }
            files += 1;
        }
    }
    Ok((files, bytes))
}

/// Dated articles in a trends CSV: the day totals of the first term's rows.
fn dated_articles(csv: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(csv);
    let mut rows = text.lines().skip(1).map(|l| l.split(',').collect::<Vec<_>>());
    let Some(first) = rows.next() else { return 0 };
    let term = first[1].to_string();
    std::iter::once(first)
        .chain(rows)
        .take_while(|r| r.get(1) == Some(&term.as_str()))
        .filter_map(|r| r.get(4)?.parse::<u64>().ok())
        .sum()
}

/// Byte-for-byte equality, or the first differing rows and how many differ.
fn compare_csv(presswatch: &[u8], python: &[u8]) -> (bool, String) {
    if presswatch == python {
        let rows = presswatch.iter().filter(|b| **b == b'\n').count().saturating_sub(1);
        return (true, format!("Python CSV equals presswatch's byte for byte ({rows} rows)"));
    }
    let (a, b) = (String::from_utf8_lossy(presswatch), String::from_utf8_lossy(python));
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let differing: Vec<usize> = (0..a.len().max(b.len())).filter(|&i| a.get(i) != b.get(i)).collect();
    let mut msg = format!(
        "Python CSV differs from presswatch's: {} of {}/{} lines differ; first ones (presswatch | python):",
        differing.len(),
        a.len(),
        b.len()
    );
    for &i in differing.iter().take(8) {
        let _ = write!(
            msg,
            "\n       line {}: {} | {}",
            i + 1,
            a.get(i).unwrap_or(&"(none)"),
            b.get(i).unwrap_or(&"(none)")
        );
    }
    (false, msg)
}

fn summarise(samples: &[Sample]) -> Measured {
    let mut sorted = samples.to_vec();
    sorted.sort_by_key(|s| s.wall);
    Measured {
        min: sorted.first().map(|s| s.wall).unwrap_or_default(),
        median: sorted.get(sorted.len() / 2).map(|s| s.wall).unwrap_or_default(),
        cpu: sorted.first().map(|s| s.cpu).unwrap_or_default(),
        peak_bytes: samples.iter().map(|s| s.peak_bytes).max().unwrap_or(0),
        runs: samples.len(),
    }
}

/// Runs `tool` once under a fresh `--measure` copy of this binary.
fn measure(tool: &Tool) -> Result<Sample, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find this benchmark's binary: {e}"))?;
    let output = Command::new(me)
        .arg("--measure")
        .arg(&tool.stdout)
        .arg("--")
        .args(&tool.argv)
        .output()
        .map_err(|e| format!("cannot run the measuring wrapper: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<u64> = stdout.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    // rg exits 1 when nothing matched, which would make the comparison meaningless anyway.
    match (output.status.success(), fields.as_slice()) {
        (true, [wall_ns, cpu_us, peak_kib]) => Ok(Sample {
            wall: Duration::from_nanos(*wall_ns),
            cpu: Duration::from_micros(*cpu_us),
            peak_bytes: peak_kib * 1024,
        }),
        _ => Err(format!(
            "{} failed ({}): {}{}",
            tool.argv.join(" "),
            output.status,
            stdout.trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// `--measure STDOUT_FILE -- CMD ARGS…`: runs CMD with its stdout in STDOUT_FILE and prints
/// `WALL_NANOSECONDS CPU_MICROSECONDS PEAK_RSS_KIB`. This process has no other children, so
/// RUSAGE_CHILDREN's times are CMD's and its maximum resident set is CMD's own (or its largest
/// descendant's).
fn measure_child(args: &[String]) -> ExitCode {
    let [stdout_path, dashes, program, rest @ ..] = args else {
        eprintln!("usage: --measure STDOUT_FILE -- CMD [ARGS…]");
        return ExitCode::from(2);
    };
    if dashes != "--" {
        eprintln!("usage: --measure STDOUT_FILE -- CMD [ARGS…]");
        return ExitCode::from(2);
    }
    let stdout = match File::create(stdout_path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot create {stdout_path}: {e}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let status = Command::new(program).args(rest).stdout(stdout).status();
    let wall = started.elapsed();
    let status = match status {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot run {program}: {e}");
            return ExitCode::from(2);
        }
    };
    let usage = match nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN) {
        Ok(usage) => usage,
        Err(e) => {
            eprintln!("getrusage failed: {e}");
            return ExitCode::from(2);
        }
    };
    let micros = |t: nix::sys::time::TimeVal| t.tv_sec() * 1_000_000 + t.tv_usec();
    let cpu_us = micros(usage.user_time()) + micros(usage.system_time());
    // Linux reports ru_maxrss in KiB.
    println!("{} {cpu_us} {}", wall.as_nanos(), usage.max_rss());
    if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

fn capture(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if !out.status.success() {
        return Err(format!("{:?} failed: {}", cmd.get_program(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
