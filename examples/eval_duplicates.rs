//! Measures duplicate grouping: precision and recall of copy pairs on real articles mixed with
//! edited copies of them and with distinct articles on the same topics, and the time to group a
//! large folder.
//!
//! ```text
//! cargo run --release --example eval_duplicates -- [../shared/corpora]
//! ```
//!
//! The test set is made here, from Reuters-1987, and never saved:
//! - **Originals**: 1,000 articles of at least 80 words, drawn with a fixed seed from those with
//!   no near-twin in the corpus (another article within seven days with at least half its
//!   shingles in common, or holding 80 % of the shorter one's: reissues and corrections, which
//!   the labels below could not know about).
//! - **Copies**: one to three per original, published 0 to 72 hours after it, each with a random
//!   non-empty set of edits: headline rewritten (another article's headline), boilerplate
//!   added (a wire credit, copyright line or newsletter pitch, before or after), paragraphs
//!   dropped (up to a third, from the end or anywhere), paragraphs reordered, and light rewording
//!   (5 % of words replaced).
//! - **Distinct articles on the same topic**: per original, the corpus article sharing one of
//!   its Reuters topics whose shingles overlap it most (and is no twin of it), with its real date.
//!
//! A pair is a copy pair when both are the same original or its copies. Predicted pairs are the
//! pairs inside each group found. Reported per setting: precision, recall, and recall by edit.
//! Then every Reuters article and every rss-2023 article is grouped, timed: signatures (on every
//! core) and grouping, from texts in memory; the end-to-end command is `presswatch duplicates`.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use presswatch::core::duplicates::{Candidate, DuplicateGroups, DuplicateSettings, Signature};
use presswatch::core::ingest::{ImportOptions, ImportProgress, import};
use rayon::prelude::*;

const ORIGINALS: usize = 1000;
/// Where copies appear (invented names).
const OUTLETS: [&str; 4] = ["Daily Ledger", "Evening Courier", "Harbour Times", "Valley Gazette"];
const EDITS: [&str; 5] = ["headline", "boilerplate", "dropped", "reordered", "reworded"];

/// Invented here, not from any corpus.
const BOILERPLATE: [&str; 6] = [
    "(Reporting by our correspondents; Editing by the news desk) Our Standards: The Trust Principles.",
    "Copyright 1987 Daily Wire Services. All rights reserved. This material may not be published, broadcast, \
     rewritten or redistributed without permission.",
    "Sign up for our free morning newsletter to get the day's top business stories delivered to your inbox \
     before the markets open. Follow us on social media for breaking news.",
    "Related coverage: see our markets page for live prices, charts and analysis from our team of reporters.",
    "This story was produced by the wire desk and has not been edited by our staff. Views expressed are those \
     of the sources quoted.",
    "Advertisement. Story continues below. Click here to read more stories like this one from our archive.",
];

struct Doc {
    title: String,
    paragraphs: Vec<String>,
    published: Option<DateTime<Utc>>,
    topics: Vec<String>,
}

impl Doc {
    fn text(&self) -> String {
        format!("{}\n{}", self.title, self.paragraphs.join("\n"))
    }
}

fn main() -> ExitCode {
    let corpora = std::env::args().nth(1).unwrap_or_else(|| "../shared/corpora".into());
    let corpora = Path::new(&corpora);
    let reuters = match load_reuters(&corpora.join("reuters-1987")) {
        Ok(docs) => docs,
        Err(e) => {
            eprintln!("note: {e}; nothing to measure");
            return ExitCode::SUCCESS;
        }
    };
    quality(&reuters);
    timing("reuters-1987", &corpora.join("reuters-1987"));
    timing("rss-2023", &corpora.join("rss-2023"));
    ExitCode::SUCCESS
}

fn load_reuters(dir: &Path) -> Result<Vec<Doc>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut docs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
            let body = v["text"].as_str().unwrap_or_default();
            if body.split_whitespace().count() < 80 {
                continue;
            }
            docs.push(Doc {
                title: v["title"].as_str().unwrap_or_default().to_string(),
                paragraphs: body.split("\n    ").map(|p| p.replace('\n', " ")).collect(),
                published: v["published"].as_str().and_then(|p| DateTime::parse_from_rfc3339(p).ok()).map(|d| d.into()),
                topics: v["topics"]
                    .as_array()
                    .map(|t| t.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                    .unwrap_or_default(),
            });
        }
    }
    Ok(docs)
}

/// Exact shingle sets (the same shingles the signatures use, as sorted hashes).
fn exact_shingles(text: &str) -> Vec<String> {
    let words: Vec<String> = presswatch::core::query::words(text).map(|(s, e)| text[s..e].to_lowercase()).collect();
    let mut out: Vec<String> = words.windows(3).map(|w| w.join(" ")).collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn overlap(a: &[String], b: &[String]) -> (f64, f64) {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    let jaccard = if union == 0 { 0.0 } else { common as f64 / union as f64 };
    (jaccard, common as f64 / a.len().min(b.len()).max(1) as f64)
}

struct Item {
    text: String,
    source: &'static str,
    published: Option<DateTime<Utc>>,
    /// The story: the original's number, or a negative's own.
    story: usize,
    /// For copies, the edits made.
    edits: Vec<&'static str>,
}

fn quality(docs: &[Doc]) {
    let started = Instant::now();
    let sets: Vec<Vec<String>> = docs.par_iter().map(|d| exact_shingles(&d.text())).collect();
    // Near-twins in the corpus: within seven days, Jaccard >= 0.5 or containment >= 0.8.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| docs[i].published);
    let twins: HashSet<usize> = order
        .par_iter()
        .enumerate()
        .flat_map_iter(|(k, &i)| {
            let mut found = Vec::new();
            for &j in &order[k + 1..] {
                let (Some(a), Some(b)) = (docs[i].published, docs[j].published) else { continue };
                if b - a > Duration::days(7) {
                    break;
                }
                let (jac, con) = overlap(&sets[i], &sets[j]);
                if jac >= 0.5 || con >= 0.8 {
                    found.extend([i, j]);
                }
            }
            found
        })
        .collect();
    let pool: Vec<usize> = (0..docs.len()).filter(|i| !twins.contains(i)).collect();
    let mut rng = Rng(2024);
    let mut originals: Vec<usize> = Vec::new();
    let mut taken: HashSet<usize> = HashSet::new();
    while originals.len() < ORIGINALS.min(pool.len()) {
        let i = pool[rng.below(pool.len())];
        if taken.insert(i) {
            originals.push(i);
        }
    }
    let mut items: Vec<Item> = Vec::new();
    let mut negatives = 0;
    for (story, &o) in originals.iter().enumerate() {
        let doc = &docs[o];
        items.push(Item { text: doc.text(), source: "Reuters", published: doc.published, story, edits: Vec::new() });
        for _ in 0..1 + rng.below(3) {
            let (text, edits) = edit(doc, docs, &mut rng);
            let published = doc.published.map(|p| p + Duration::minutes(rng.below(72 * 60) as i64));
            // Syndicated: the copy appears at another outlet.
            items.push(Item { text, source: OUTLETS[rng.below(OUTLETS.len())], published, story, edits });
        }
        // The most similar distinct article on one of its topics.
        let best = pool
            .iter()
            .filter(|&&j| j != o && !taken.contains(&j) && docs[j].topics.iter().any(|t| doc.topics.contains(t)))
            .map(|&j| (overlap(&sets[o], &sets[j]).0, j))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, j)) = best {
            taken.insert(j);
            negatives += 1;
            items.push(Item {
                text: docs[j].text(),
                source: "Reuters",
                published: docs[j].published,
                story: ORIGINALS + j,
                edits: Vec::new(),
            });
        }
    }
    println!(
        "test set: {} originals (of {} Reuters articles of 80+ words, {} left out as near-twins), {} edited copies, \
         {negatives} distinct same-topic articles; made in {:.1} s",
        originals.len(),
        docs.len(),
        twins.len(),
        items.len() - originals.len() - negatives,
        started.elapsed().as_secs_f64()
    );
    let signatures: Vec<Option<Signature>> = items.par_iter().map(|i| Signature::of(&i.text)).collect();
    let defaults = DuplicateSettings::default();
    let mut settings = vec![("defaults".to_string(), defaults.clone())];
    settings.push(("no time window".into(), DuplicateSettings { max_days_apart: 100_000, ..defaults.clone() }));
    for min_jaccard in [0.4, 0.5, 0.6] {
        for min_containment in [0.7, 0.8, 0.9, 1.1] {
            let s = DuplicateSettings { min_jaccard, min_containment, ..defaults.clone() };
            if s != defaults {
                settings.push((format!("jaccard >= {min_jaccard}, containment >= {min_containment}"), s));
            }
        }
    }
    println!("\n{:<40} {:>9} {:>7} | recall by edit: {}", "settings", "precision", "recall", EDITS.join("/"));
    for (name, s) in &settings {
        let candidates: Vec<Candidate> = items
            .iter()
            .zip(&signatures)
            .enumerate()
            .map(|(n, (item, sig))| Candidate {
                article: n as u32,
                published: item.published,
                rank: n as u64,
                source: Some(item.source.to_lowercase()),
                signature: sig.clone(),
            })
            .collect();
        let groups = DuplicateGroups::build(candidates, s);
        let mut predicted: BTreeSet<(usize, usize)> = BTreeSet::new();
        for g in &groups.groups {
            let members: Vec<usize> =
                std::iter::once(g.original).chain(g.copies.iter().copied()).map(|a| a as usize).collect();
            for (k, &a) in members.iter().enumerate() {
                for &b in &members[k + 1..] {
                    predicted.insert((a.min(b), a.max(b)));
                }
            }
        }
        let mut truth: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut by_story: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (n, item) in items.iter().enumerate() {
            by_story.entry(item.story).or_default().push(n);
        }
        for members in by_story.values() {
            for (k, &a) in members.iter().enumerate() {
                for &b in &members[k + 1..] {
                    truth.insert((a, b));
                }
            }
        }
        let hits = predicted.intersection(&truth).count();
        let precision = hits as f64 / predicted.len().max(1) as f64;
        let recall = hits as f64 / truth.len().max(1) as f64;
        // Original–copy pairs, by the edits the copy had.
        let by_edit: Vec<String> = EDITS
            .iter()
            .map(|edit| {
                let (mut n, mut found) = (0, 0);
                for (c, item) in items.iter().enumerate().filter(|(_, i)| i.edits.contains(edit)) {
                    let original = by_story[&item.story][0];
                    n += 1;
                    found += usize::from(predicted.contains(&(original.min(c), original.max(c))));
                }
                format!("{:.1}", 100.0 * found as f64 / n.max(1) as f64)
            })
            .collect();
        println!("{name:<40} {:>9.4} {:>7.4} | {}", precision, recall, by_edit.join("/"));
        if name == "defaults" && std::env::var_os("PROBE").is_some() {
            let mut hist = [0usize; 11];
            let mut hist_all = [0usize; 11];
            for (c, item) in items.iter().enumerate().filter(|(_, i)| !i.edits.is_empty()) {
                let o = by_story[&item.story][0];
                let (jac, con) = overlap(&exact_shingles(&items[o].text), &exact_shingles(&item.text));
                hist_all[(jac * 10.0) as usize] += 1;
                if !predicted.contains(&(o.min(c), o.max(c))) {
                    hist[(jac * 10.0) as usize] += 1;
                    let (Some(a), Some(b)) = (&signatures[o], &signatures[c]) else {
                        println!("  no signature");
                        continue;
                    };
                    let ej = a.jaccard(b);
                    println!(
                        "  missed: exact J {jac:.2} C {con:.2} est J {ej:.2} C {:.2} edits {:?}",
                        a.containment(b, ej),
                        item.edits
                    );
                }
            }
            println!("  exact J deciles of copies: {hist_all:?}\n  of missed: {hist:?}");
        }
    }
}

/// A copy of `doc` with a random non-empty set of edits.
fn edit(doc: &Doc, docs: &[Doc], rng: &mut Rng) -> (String, Vec<&'static str>) {
    let mut chosen: Vec<&'static str> = Vec::new();
    while chosen.is_empty() {
        chosen = EDITS.iter().copied().filter(|_| rng.below(100) < 40).collect();
    }
    let mut title = doc.title.clone();
    let mut paragraphs = doc.paragraphs.clone();
    for &e in &chosen {
        match e {
            "headline" => title = docs[rng.below(docs.len())].title.clone(),
            "dropped" if paragraphs.len() > 1 => {
                let n = 1 + rng.below((paragraphs.len() / 3).max(1));
                if rng.below(2) == 0 {
                    paragraphs.truncate(paragraphs.len() - n);
                } else {
                    for _ in 0..n {
                        let at = rng.below(paragraphs.len());
                        paragraphs.remove(at);
                    }
                }
            }
            "reordered" if paragraphs.len() > 1 => {
                let from = rng.below(paragraphs.len());
                let moved = paragraphs.remove(from);
                let to = rng.below(paragraphs.len() + 1);
                paragraphs.insert(to, moved);
            }
            "reworded" => {
                for p in &mut paragraphs {
                    let mut words: Vec<String> = p.split(' ').map(String::from).collect();
                    for w in &mut words {
                        if rng.below(100) < 5 {
                            let other = &docs[rng.below(docs.len())].title;
                            *w = other.split(' ').next().unwrap_or("the").to_lowercase();
                        }
                    }
                    *p = words.join(" ");
                }
            }
            _ => {}
        }
    }
    if chosen.contains(&"boilerplate") {
        let text = BOILERPLATE[rng.below(BOILERPLATE.len())].to_string();
        if rng.below(2) == 0 {
            paragraphs.insert(0, text);
        } else {
            paragraphs.push(text);
        }
    }
    (format!("{title}\n{}", paragraphs.join("\n")), chosen)
}

/// Signatures and grouping of every article of `folder`, from texts in memory.
fn timing(name: &str, folder: &Path) {
    if !folder.exists() {
        println!("\n{name}: absent, not timed");
        return;
    }
    let started = Instant::now();
    let imported = match import(folder, &ImportOptions::default(), &ImportProgress::default(), |a| {
        (a.text, a.published, a.source)
    }) {
        Ok(i) => i,
        Err(e) => {
            println!("\n{name}: {e}");
            return;
        }
    };
    let read = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let candidates: Vec<Candidate> = imported
        .items
        .par_iter()
        .enumerate()
        .map(|(n, (text, published, source))| {
            Candidate::new(n as u32, published.map(|p| p.to_utc()), n as u64, source.as_deref(), text)
        })
        .collect();
    let signed = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let groups = DuplicateGroups::build(candidates, &DuplicateSettings::default());
    let grouped = started.elapsed().as_secs_f64();
    println!(
        "\n{name}: {} articles read in {read:.2} s; signatures {signed:.2} s, grouping {grouped:.2} s on {} threads: \
         {} groups, {} copies",
        imported.items.len(),
        rayon::current_num_threads(),
        groups.groups.len(),
        groups.copies()
    );
    if let Ok(j) = std::env::var("PROBE_J") {
        let j: f64 = j.parse().unwrap_or(0.4);
        let c: f64 = std::env::var("PROBE_C").ok().and_then(|c| c.parse().ok()).unwrap_or(0.7);
        let loose = DuplicateGroups::build(
            imported
                .items
                .par_iter()
                .enumerate()
                .map(|(n, (text, published, source))| {
                    Candidate::new(n as u32, published.map(|p| p.to_utc()), n as u64, source.as_deref(), text)
                })
                .collect(),
            &DuplicateSettings { min_jaccard: j, min_containment: c, ..DuplicateSettings::default() },
        );
        println!("  loose ({j}, {c}): {} groups, {} copies", loose.groups.len(), loose.copies());
        let mut shown = 0;
        let mut rng = Rng(5);
        let extra: Vec<(u32, u32)> = loose
            .groups
            .iter()
            .flat_map(|g| g.copies.iter().map(move |&c| (g.original, c)))
            .filter(|&(o, c)| groups.group_of(c).is_none() || groups.group_of(c) != groups.group_of(o))
            .collect();
        println!("  {} copies only in the loose grouping", extra.len());
        while shown < 25 && !extra.is_empty() {
            let (o, c) = extra[rng.below(extra.len())];
            let t = |a: u32| imported.items[a as usize].0.replace('\n', " | ").chars().take(160).collect::<String>();
            println!("  --\n  O {}\n  C {}", t(o), t(c));
            shown += 1;
        }
    }
    if std::env::var_os("SAMPLE").is_some() {
        let pairs: Vec<(u32, u32)> =
            groups.groups.iter().flat_map(|g| g.copies.iter().map(move |&c| (g.original, c))).collect();
        let mut rng = Rng(99);
        for _ in 0..40 {
            let (o, c) = pairs[rng.below(pairs.len())];
            let t = |a: u32| imported.items[a as usize].0.replace('\n', " | ").chars().take(150).collect::<String>();
            println!("  --\n  O {}\n  C {}", t(o), t(c));
        }
    }
    // A few groups to look at, spread over the list.
    let step = (groups.groups.len() / 8).max(1);
    for g in groups.groups.iter().step_by(step).take(8) {
        let title = |a: u32| {
            imported.items[a as usize].0.lines().next().unwrap_or_default().chars().take(70).collect::<String>()
        };
        println!("  {} + {} copies, e.g. {:?}", title(g.original), g.copies.len(), title(g.copies[0]));
    }
}

/// SplitMix64: a fixed seed, no crate needed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}
