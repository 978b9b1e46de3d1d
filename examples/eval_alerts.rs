//! Measures spike alerts: recall of injected bursts and false alerts per series-year, on
//! synthetic Poisson series and on real backgrounds (daily counts of common words in rss-2023),
//! for the default parameters and a grid of alternatives.
//!
//! ```text
//! cargo run --release --no-default-features --example eval_alerts -- [../shared/corpora/rss-2023]
//! ```
//!
//! - **False alerts**: every alert on a flat Poisson series is false. 40 series-years of 365 days
//!   (after a 14-day warm-up) per rate, for rates 0.2 to 100 a day; the worst rate is reported.
//! - **Recall**: a burst lifts one day to `lift` times its expected count (the mean of the 14
//!   days before it, as the detector computes it, when that is at least 2), every 30 days of a
//!   series, so bursts never sit in each other's baselines. A burst counts as found when an alert
//!   is raised on that very day (a day swallowed by the cool-down of an earlier alert is missed).
//! - **Real backgrounds**: per word, the daily number of rss-2023 articles holding it; bursts are
//!   injected the same way, starting at a different day per word so they fall on every weekday.
//!   The alerts on the untouched series are reported too: they include real news events, so they
//!   are not all false.
//!
//! Weekly (8-period baseline) and monthly (6-period) series are checked on synthetic data.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use presswatch::core::alerts::{AlertSettings, spikes};
use presswatch::core::ingest::{ImportOptions, ImportProgress, import_each};
use presswatch::core::query::{Matcher, Term};

/// Words with daily counts from a few to a few hundred in rss-2023.
const WORDS: &[&str] = &[
    "ukraine",
    "russia",
    "trump",
    "biden",
    "china",
    "israel",
    "police",
    "court",
    "election",
    "climate",
    "economy",
    "inflation",
    "bank",
    "war",
    "football",
    "president",
    "government",
    "minister",
    "killed",
    "says",
    "new",
    "year",
    "market",
    "prices",
    "oil",
    "strike",
    "health",
    "school",
    "fire",
    "storm",
    "ai",
    "energy",
];

fn main() -> ExitCode {
    let corpus = std::env::args().nth(1).unwrap_or_else(|| "../shared/corpora/rss-2023".into());
    let backgrounds = match real_backgrounds(Path::new(&corpus)) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("note: no real backgrounds ({e}); synthetic series only");
            Vec::new()
        }
    };
    let defaults = AlertSettings::default();
    println!("defaults: {defaults:?}\n");
    let mut grid = vec![("defaults".to_string(), defaults.clone())];
    for max_p_value in [1e-3, 1e-4, 1e-5] {
        for min_count in [3, 5] {
            for cooldown in [0, 3, 7] {
                let s = AlertSettings { max_p_value, min_count, cooldown, ..defaults.clone() };
                if s != defaults {
                    grid.push((format!("p<={max_p_value:e} min {min_count} cool-down {cooldown}"), s));
                }
            }
        }
    }
    println!(
        "{:<34} {:>9} {:>9} | recall synthetic 2x/3x/5x/10x | recall real 2x/3x/5x/10x | real alerts/yr",
        "settings", "false/yr", "(worst)"
    );
    for (name, settings) in &grid {
        let (mean_false, worst_false) = false_alerts(settings, 14, 365);
        let synthetic: Vec<f64> = LIFTS.iter().map(|&lift| synthetic_recall(settings, lift)).collect();
        let real: Vec<f64> = LIFTS.iter().map(|&lift| real_recall(settings, &backgrounds, lift)).collect();
        let real_alerts = if backgrounds.is_empty() {
            f64::NAN
        } else {
            let n: usize = backgrounds
                .iter()
                .map(|(_, c)| spikes(c, &vec![true; c.len()], settings.baseline_days, settings).len())
                .sum();
            n as f64 * 365.0 / backgrounds.iter().map(|(_, c)| c.len() - 14).sum::<usize>() as f64
        };
        println!(
            "{name:<34} {mean_false:>9.3} {worst_false:>9.3} | {:>29} | {:>24} | {real_alerts:>6.2}",
            percents(&synthetic),
            percents(&real)
        );
    }
    println!("\nweekly and monthly series (defaults), synthetic:");
    let (weekly_false, weekly_worst) = false_alerts(&defaults, defaults.baseline_weeks, 52);
    let (monthly_false, monthly_worst) = false_alerts(&defaults, defaults.baseline_months, 12);
    println!("  weeks:  {weekly_false:.3} false alerts per series-year (worst rate {weekly_worst:.3})");
    println!("  months: {monthly_false:.3} false alerts per series-year (worst rate {monthly_worst:.3})");
    if !backgrounds.is_empty() {
        println!("\nreal backgrounds: {} words, mean articles a day:", backgrounds.len());
        for (word, counts) in &backgrounds {
            let mean = counts.iter().sum::<u64>() as f64 / counts.len() as f64;
            let found = spikes(counts, &vec![true; counts.len()], 14, &defaults);
            let days: Vec<String> =
                found.iter().map(|s| format!("day {} ({} vs {:.1})", s.period + 1, s.count, s.expected)).collect();
            println!("  {word:<12} {mean:>7.1}  {} alerts  {}", found.len(), days.join(", "));
        }
    }
    ExitCode::SUCCESS
}

const LIFTS: [f64; 4] = [2.0, 3.0, 5.0, 10.0];
const RATES: [f64; 10] = [0.2, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0];

fn percents(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| if v.is_nan() { "-".into() } else { format!("{:.1}", v * 100.0) })
        .collect::<Vec<_>>()
        .join("/")
}

/// Mean and worst (over rates) alerts per series-year on flat Poisson series.
fn false_alerts(settings: &AlertSettings, baseline: usize, periods_per_year: usize) -> (f64, f64) {
    let mut rng = Rng(7);
    let years = 40;
    let per_rate: Vec<f64> = RATES
        .iter()
        .map(|&rate| {
            let n: usize = (0..years)
                .map(|_| {
                    let counts: Vec<u64> = (0..periods_per_year + baseline).map(|_| rng.poisson(rate)).collect();
                    spikes(&counts, &vec![true; counts.len()], baseline, settings).len()
                })
                .sum();
            n as f64 / years as f64
        })
        .collect();
    (per_rate.iter().sum::<f64>() / per_rate.len() as f64, per_rate.iter().copied().fold(0.0, f64::max))
}

/// Lifts every 30th day (from `first`) to `lift` times its baseline mean when that is at least 2;
/// returns how many bursts were injected and how many raised an alert on their day.
fn inject_and_detect(counts: &[u64], first: usize, lift: f64, settings: &AlertSettings) -> (usize, usize) {
    let baseline = settings.baseline_days;
    let mut counts = counts.to_vec();
    let mut at = Vec::new();
    for t in (first.max(baseline)..counts.len()).step_by(30) {
        let expected = counts[t - baseline..t].iter().sum::<u64>() as f64 / baseline as f64;
        if expected >= 2.0 {
            counts[t] = (lift * expected).round() as u64;
            at.push(t);
        }
    }
    let found = spikes(&counts, &vec![true; counts.len()], baseline, settings);
    (at.len(), at.iter().filter(|t| found.iter().any(|s| s.period == **t)).count())
}

fn synthetic_recall(settings: &AlertSettings, lift: f64) -> f64 {
    let mut rng = Rng(11);
    let (mut injected, mut found) = (0, 0);
    for &rate in &RATES[3..] {
        for year in 0..40 {
            let counts: Vec<u64> = (0..365 + 14).map(|_| rng.poisson(rate)).collect();
            let (i, f) = inject_and_detect(&counts, 20 + year % 30, lift, settings);
            injected += i;
            found += f;
        }
    }
    found as f64 / injected as f64
}

fn real_recall(settings: &AlertSettings, backgrounds: &[(String, Vec<u64>)], lift: f64) -> f64 {
    let (mut injected, mut found) = (0, 0);
    for (n, (_, counts)) in backgrounds.iter().enumerate() {
        let (i, f) = inject_and_detect(counts, 15 + n % 30, lift, settings);
        injected += i;
        found += f;
    }
    if injected == 0 { f64::NAN } else { found as f64 / injected as f64 }
}

/// Per word, the number of articles holding it on each day from the first to the last dated day.
fn real_backgrounds(corpus: &Path) -> Result<Vec<(String, Vec<u64>)>, String> {
    if !corpus.exists() {
        return Err(format!("{} is absent", corpus.display()));
    }
    let terms: Vec<Term> = WORDS.iter().map(|w| Term::parse(w).map_err(|e| e.to_string())).collect::<Result<_, _>>()?;
    let matcher = Matcher::new(terms).map_err(|e| e.to_string())?;
    let mut per_day: BTreeMap<NaiveDate, Vec<u64>> = BTreeMap::new();
    let progress = ImportProgress::default();
    import_each(
        corpus,
        &ImportOptions::default(),
        &progress,
        |a| (a.published.map(|p| p.date_naive()), matcher.count(&a.text)),
        |chunk| {
            for (day, counts) in chunk {
                let Some(day) = day else { continue };
                let row = per_day.entry(day).or_insert_with(|| vec![0; WORDS.len()]);
                for (r, n) in row.iter_mut().zip(counts) {
                    *r += u64::from(n > 0);
                }
            }
        },
    )
    .map_err(|e| e.to_string())?;
    // The calendar year holding most articles: a few items carry dates years off.
    let mut per_year: BTreeMap<i32, u64> = BTreeMap::new();
    for (day, row) in &per_day {
        *per_year.entry(day.year()).or_default() += row.iter().sum::<u64>();
    }
    let year = per_year.iter().max_by_key(|(_, n)| **n).map(|(y, _)| *y).ok_or("no dated articles")?;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or("bad year")?;
    let days: Vec<NaiveDate> = first.iter_days().take_while(|d| d.year() == year).collect();
    Ok(WORDS
        .iter()
        .enumerate()
        .map(|(i, w)| (w.to_string(), days.iter().map(|d| per_day.get(d).map_or(0, |row| row[i])).collect()))
        .collect())
}

/// SplitMix64 with a Poisson draw by inversion: a fixed seed, no crate needed.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn poisson(&mut self, rate: f64) -> u64 {
        let u = self.uniform();
        let mut p = (-rate).exp();
        let mut cumulative = p;
        let mut k = 0u64;
        while u > cumulative && k < 100_000 {
            k += 1;
            p *= rate / k as f64;
            cumulative += p;
        }
        k
    }
}
