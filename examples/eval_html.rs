//! Snippet benchmark for HTML main-text extraction, in the style of trafilatura's evaluation:
//! each page `NAME.html` has a `NAME.json` with `{"with": [...], "without": [...]}`. A "with"
//! snippet found in the extracted text is a true positive, missing a false negative; a "without"
//! snippet found is a false positive, absent a true negative.
//!
//! ```text
//! cargo run --release --no-default-features --example eval_html -- DIR [--verbose] [--time]
//! ```
//!
//! Prints precision, recall and F1 for `parse_html` and for the "all visible text" baseline, so
//! both are always measured on the same pages. `--time` also measures parsing speed per page.
//! The pages are third-party data and live outside the repository.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use presswatch::core::ingest::html::parse_html;
use scraper::{Html, Node};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fn_: usize,
    fp: usize,
    tn: usize,
}

impl Counts {
    fn add(&mut self, text: &str, expected: &Expected) -> Vec<String> {
        let text = normalise(text);
        let mut misses = Vec::new();
        for w in &expected.with {
            if text.contains(&normalise(w)) {
                self.tp += 1;
            } else {
                self.fn_ += 1;
                misses.push(format!("  missing: {w}"));
            }
        }
        for w in &expected.without {
            if text.contains(&normalise(w)) {
                self.fp += 1;
                misses.push(format!("  extra:   {w}"));
            } else {
                self.tn += 1;
            }
        }
        misses
    }

    fn report(&self, name: &str) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(self.tp, self.tp + self.fp);
        let recall = ratio(self.tp, self.tp + self.fn_);
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        let accuracy = ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_);
        println!(
            "{name:<22} precision {precision:.3}  recall {recall:.3}  F1 {f1:.3}  accuracy {accuracy:.3}  \
             (tp {} fn {} fp {} tn {})",
            self.tp, self.fn_, self.fp, self.tn
        );
    }
}

/// Whitespace collapsed so snippets match across line breaks, as the benchmark does.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The baseline: every text node of the body except scripts and styles, a space at each block
/// boundary so words of neighbouring blocks do not run together.
fn all_visible_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut out = String::new();
    for node in doc.tree.root().descendants() {
        match node.value() {
            Node::Text(t) => {
                let hidden = node.ancestors().any(|a| {
                    a.value().as_element().is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript" | "head"))
                });
                if !hidden {
                    out.push_str(t);
                }
            }
            Node::Element(e) if !matches!(e.name(), "a" | "span" | "b" | "i" | "em" | "strong" | "sup" | "sub") => {
                out.push(' ');
            }
            _ => {}
        }
    }
    out
}

fn pages(dir: &Path) -> Result<Vec<(PathBuf, Expected)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "html") {
            let json = path.with_extension("json");
            let Ok(raw) = std::fs::read_to_string(&json) else {
                continue;
            };
            let expected: Expected =
                serde_json::from_str(&raw).with_context(|| format!("bad snippets in {}", json.display()))?;
            out.push((path, expected));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.iter().find(|a| !a.starts_with("--")) else {
        bail!("usage: eval_html DIR [--verbose] [--time]");
    };
    let verbose = args.iter().any(|a| a == "--verbose");
    let time = args.iter().any(|a| a == "--time");
    let pages = pages(Path::new(dir))?;
    if pages.is_empty() {
        bail!("no NAME.html + NAME.json pairs in {dir}");
    }
    let mut ours = Counts::default();
    let mut baseline = Counts::default();
    for (path, expected) in &pages {
        let bytes = std::fs::read(path)?;
        let html = String::from_utf8_lossy(&bytes);
        let text = parse_html(&html).map(|a| a.body).unwrap_or_default();
        let before = ours;
        let misses = ours.add(&text, expected);
        baseline.add(&all_visible_text(&html), expected);
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if verbose || !misses.is_empty() {
            println!("{name}: +{} -{} fp {}", ours.tp - before.tp, ours.fn_ - before.fn_, ours.fp - before.fp);
            for m in misses {
                println!("{m}");
            }
        }
        if verbose {
            println!("----\n{text}\n----");
        }
    }
    println!("{} pages", pages.len());
    ours.report("presswatch");
    baseline.report("all visible text");
    if time {
        let htmls: Vec<String> = pages
            .iter()
            .filter_map(|(p, _)| std::fs::read(p).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect();
        let bytes: usize = htmls.iter().map(String::len).sum();
        let rounds = (20_000_000 / bytes.max(1)).clamp(1, 200);
        let start = Instant::now();
        for _ in 0..rounds {
            for h in &htmls {
                std::hint::black_box(parse_html(h).ok());
            }
        }
        let elapsed = start.elapsed();
        // The HTML parser alone, to tell its share from the extraction's.
        let parse_start = Instant::now();
        for _ in 0..rounds {
            for h in &htmls {
                std::hint::black_box(Html::parse_document(h));
            }
        }
        let parse_share = parse_start.elapsed().as_secs_f64() / elapsed.as_secs_f64();
        let per_page = elapsed.as_secs_f64() / (rounds * htmls.len()) as f64;
        let per_100k = elapsed.as_secs_f64() / (rounds * bytes) as f64 * 100_000.0;
        println!(
            "timing: {:.2} ms per page (mean size {} KB), {:.2} ms per 100 KB, {:.0}% of it in the HTML parser",
            per_page * 1e3,
            bytes / htmls.len() / 1000,
            per_100k * 1e3,
            parse_share * 100.0
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval_html: {e:#}");
            ExitCode::from(2)
        }
    }
}
