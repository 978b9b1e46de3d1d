//! Trains the bundled named-entity model and writes `assets/ner/model.bin.gz`.
//!
//! ```text
//! cargo run --release --no-default-features --example train_ner -- ../shared/corpora
//! ```
//!
//! Reproducible: fixed seeds, no hash-map iteration order leaks into the output, so a rerun on the
//! same corpora writes the same bytes. Steps:
//!
//! 1. word clusters: spherical k-means over PPMI-weighted left/right context vectors (randomly
//!    projected) of frequent word forms in Reuters-1987, RSS-2023 and the CoNLL training text,
//!    then k-means over the centroids for two coarser levels (a cheap stand-in for Brown clusters);
//! 2. gazetteers: entity strings of CoNLL train (jack-knifed: a training document only sees
//!    names from the other folds, so the tagger does not learn to trust a list that contains
//!    the very sentence it is reading) and of WikiANN train + dev;
//! 3. an averaged perceptron over CoNLL-2003 `eng.train` (12 epochs), documents shuffled with a
//!    fixed seed.
//!
//! About a minute of CPU on two cores, nearly all of it the clusters (`--clusters-cache` keeps
//! them between runs while working on the tagger).
//!
//! `eng.testa` is only read with `--dev` (to print held-out F1 after each epoch) or `--add-dev`
//! (to train on it too; then the dev figures are no longer held out).

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use rayon::prelude::*;

use presswatch::core::entities::EntityKind;
use presswatch::core::entities::recognizer::conll::{self, LabelledDoc, Score};
use presswatch::core::entities::recognizer::features::{
    self, Clusters, Doc, Gazetteer, KeyMap, Resources, TABLE_BITS, digit_word_case, is_title_case, lower_key, word_key,
};
use presswatch::core::entities::recognizer::labels::{self, LABELS};
use presswatch::core::entities::recognizer::model::Model;
use presswatch::core::entities::recognizer::{Recognizer, best_allowed, tokenize};
use presswatch::core::ingest::fragment::fragment_text;

#[derive(Parser)]
struct Args {
    /// The shared corpora folder (holding conll2003/, wikiann-en/, reuters-1987/, rss-2023/).
    corpora: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/ner/model.bin.gz"))]
    out: PathBuf,
    #[arg(long, default_value_t = 12)]
    epochs: usize,
    /// Print held-out F1 on eng.testa after every epoch.
    #[arg(long)]
    dev: bool,
    /// Also train on eng.testa (dev figures are then no longer held out).
    #[arg(long)]
    add_dev: bool,
    /// Also train on WikiANN train sentences (Wikipedia style, no MISC). Off by default: measured
    /// on eng.testa it costs 4-5 points of F1 (0.866 against 0.911 at the time).
    #[arg(long)]
    wikiann: bool,
    /// Number of fine word clusters.
    #[arg(long, default_value_t = 1000)]
    clusters: usize,
    /// Skip the automatic gazetteer (names found by a first model in unlabelled news).
    #[arg(long)]
    no_auto_gazetteer: bool,
    /// Reuse word clusters saved here by an earlier run (or save them there), to iterate on the
    /// tagger without recomputing them. The cache is not checked against the corpora.
    #[arg(long)]
    clusters_cache: Option<PathBuf>,
}

const SEED: u64 = 0x5EED_2003;
const FOLDS: usize = 5;

/// Gazetteer lists (bits of [`Gazetteer::insert`]'s `source`).
const GAZ_CONLL: usize = 0; // + kind index: 0..4
const GAZ_WIKI: usize = 4; // + kind index: 4..7 (PER, ORG, LOC)
const GAZ_NAME_PART: usize = 7; // single tokens of WikiANN person names
const GAZ_AUTO: usize = 8; // + kind index: names the first model found in unlabelled news

fn main() -> Result<()> {
    let args = Args::parse();
    let t0 = Instant::now();
    let read = |p: &str| -> Result<String> {
        let path = args.corpora.join(p);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let mut train = conll::parse(&read("conll2003/eng.train")?);
    let dev = if args.dev || args.add_dev { conll::parse(&read("conll2003/eng.testa")?) } else { Vec::new() };
    let mut wiki = conll::parse(&read("wikiann-en/train")?);
    let wiki_dev = conll::parse(&read("wikiann-en/dev")?);
    eprintln!("read {} CoNLL train docs, {} WikiANN sentences", train.len(), wiki.len() + wiki_dev.len());

    let clusters = match &args.clusters_cache {
        Some(path) if path.exists() => {
            Model::from_bytes(&std::fs::read(path)?).context("reading the clusters cache")?.resources.clusters
        }
        cache => {
            let clusters = build_clusters(&args, &train)?;
            if let Some(path) = cache {
                let resources = Resources { clusters: clusters.clone(), ..Resources::default() };
                std::fs::write(path, Model::from_float(&[], resources).to_bytes())?;
            }
            clusters
        }
    };
    eprintln!("clusters ready after {:.0?}", t0.elapsed());
    // The lowercase-word table only steers decoding of all-caps lines in the shipped model. It is
    // kept out of the first model, which tags the news for the automatic gazetteer: there it
    // changed 2 of 25,631 phrases, which moved the retrained weights and dev F1 by -0.002, noise
    // that would hide what the rule itself does.
    let mut clusters = clusters;
    let lowercase_words = std::mem::take(&mut clusters.lowercase_words);

    // Gazetteers: WikiANN (external to CoNLL) for everyone; CoNLL train names jack-knifed by fold.
    let mut base = Gazetteer::default();
    for doc in wiki.iter().chain(&wiki_dev) {
        for (range, kind) in &doc.spans {
            let Some(words) = doc.words.get(range.clone()) else {
                continue;
            };
            if words.len() > 6 || !words.iter().any(|w| w.chars().any(char::is_uppercase)) {
                continue;
            }
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            if let Some(k) = kind_index(*kind).filter(|&k| k < 3) {
                base.insert(&refs, GAZ_WIKI + k);
            }
            if *kind == EntityKind::Person && refs.len() > 1 {
                for w in &refs {
                    if w.chars().count() > 1 {
                        base.insert(&[w], GAZ_NAME_PART);
                    }
                }
            }
        }
    }
    let mut training_docs: Vec<&LabelledDoc> = train.iter().collect();
    if args.add_dev {
        training_docs.extend(dev.iter());
    }
    let folds: Vec<Gazetteer> = (0..FOLDS)
        .map(|f| {
            let mut g = base.clone();
            for (d, doc) in training_docs.iter().enumerate() {
                if d % FOLDS != f {
                    add_conll_names(&mut g, doc);
                }
            }
            g
        })
        .collect();
    let mut full = base.clone();
    for doc in &training_docs {
        add_conll_names(&mut full, doc);
    }

    if args.wikiann {
        train.append(&mut wiki);
        training_docs = train.iter().collect();
        if args.add_dev {
            training_docs.extend(dev.iter());
        }
    }
    let mut folds = folds;
    let mut model = train_tagger(&args, &training_docs, &folds, full.clone(), &clusters, &dev, t0);
    if !args.no_auto_gazetteer {
        // Names the first model finds consistently in unlabelled news become one more list, and
        // the tagger is trained again with it.
        let texts = unlabelled_texts(&args.corpora)?;
        let auto = auto_gazetteer(&Recognizer::from_model(model), &texts);
        eprintln!("automatic gazetteer: {} phrases after {:.0?}", auto.len(), t0.elapsed());
        for g in folds.iter_mut().chain([&mut full]) {
            for (words, kind) in &auto {
                let refs: Vec<&str> = words.iter().map(String::as_str).collect();
                g.insert(&refs, GAZ_AUTO + kind);
            }
        }
        model = train_tagger(&args, &training_docs, &folds, full, &clusters, &dev, t0);
    }
    model.resources.clusters.lowercase_words = lowercase_words;
    if args.dev && !dev.is_empty() {
        let score = evaluate(&Recognizer::from_model(model.clone()), &dev);
        for (kind, c) in labels::KINDS.iter().zip(&score.kinds) {
            eprintln!("dev {:4} P {:.4} R {:.4} F1 {:.4}", kind.as_str(), c.precision(), c.recall(), c.f1());
        }
    }
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&model.to_bytes())?;
    let bytes = gz.finish()?;
    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!("wrote {} ({} bytes) after {:.0?}", args.out.display(), bytes.len(), t0.elapsed());
    Ok(())
}

/// Trains the tagger on `docs` (training document `d` sees gazetteer `folds[d % FOLDS]`) and
/// returns the model with the `full` gazetteer.
fn train_tagger(
    args: &Args,
    docs: &[&LabelledDoc],
    folds: &[Gazetteer],
    full: Gazetteer,
    clusters: &Clusters,
    dev: &[LabelledDoc],
    t0: Instant,
) -> Model {
    let prepared: Vec<(Doc, Vec<u8>)> = docs
        .par_iter()
        .enumerate()
        .map(|(d, doc)| {
            let gazetteer = &folds[d % FOLDS];
            (Doc::with_parts(&doc.word_refs(), &doc.sentences, gazetteer, clusters), gold_labels(doc))
        })
        .collect();
    let tokens: usize = prepared.iter().map(|(d, _)| d.len()).sum();
    eprintln!("{} training docs, {tokens} tokens, features ready after {:.0?}", prepared.len(), t0.elapsed());
    let resources = Resources { gazetteer: full, clusters: clusters.clone() };
    let mut perceptron = Perceptron::new();
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = Rng(SEED);
    for epoch in 1..=args.epochs {
        rng.shuffle(&mut order);
        let mut errors = 0usize;
        for &d in &order {
            let (doc, gold) = &prepared[d];
            features::decode(doc, |i, rows, allowed| {
                let predicted = perceptron.step(rows, allowed, gold.get(i).copied().unwrap_or(labels::O));
                errors += usize::from(Some(&predicted) != gold.get(i));
                predicted
            });
        }
        eprint!("epoch {epoch}: {errors} token errors, {:.0?}", t0.elapsed());
        if args.dev && !dev.is_empty() && (epoch % 2 == 0 || epoch == args.epochs) {
            let model = Model::from_float(&perceptron.averaged(), resources.clone());
            let score = evaluate(&Recognizer::from_model(model), dev);
            let h = score.headline();
            eprint!("  dev PER/ORG/LOC F1 {:.4} (P {:.4} R {:.4})", h.f1(), h.precision(), h.recall());
        }
        eprintln!();
    }
    Model::from_float(&perceptron.averaged(), resources)
}

/// Phrases the model tags in `texts` at least three times, with one kind at least 80% of the
/// time: (tokens, kind index).
fn auto_gazetteer(rec: &Recognizer, texts: &[String]) -> Vec<(Vec<String>, usize)> {
    let found: Vec<Vec<(String, usize)>> = texts
        .par_iter()
        .map(|text| {
            rec.recognize_untidied(text)
                .into_iter()
                .filter_map(|s| Some((text.get(s.start..s.end)?.to_string(), kind_index(s.kind)?)))
                .collect()
        })
        .collect();
    let mut counts: std::collections::BTreeMap<String, ([u32; 4], String)> = Default::default();
    for (surface, kind) in found.into_iter().flatten() {
        let entry = counts.entry(surface.to_lowercase()).or_insert_with(|| ([0; 4], surface));
        entry.0[kind] += 1;
    }
    counts
        .into_values()
        .filter_map(|(c, surface)| {
            let total: u32 = c.iter().sum();
            let (kind, &best) = c.iter().enumerate().max_by_key(|&(k, &n)| (n, 4 - k))?;
            let tokens = tokenize::tokenize(&surface);
            let words: Vec<String> = tokens.iter().map(|t| surface[t.start..t.end].to_string()).collect();
            // Clitics and punctuation inside a phrase are the first model's boundary mistakes.
            let clean = words.iter().all(|w| !tokenize::is_clitic(w) && w.chars().any(char::is_alphanumeric));
            (total >= 3 && best * 5 >= total * 4 && words.len() <= 6 && clean).then_some((words, kind))
        })
        .collect()
}

fn kind_index(kind: EntityKind) -> Option<usize> {
    labels::KINDS.iter().position(|&k| k == kind)
}

fn gold_labels(doc: &LabelledDoc) -> Vec<u8> {
    let spans: Vec<_> = doc.spans.iter().filter_map(|(r, k)| Some((r.clone(), kind_index(*k)?))).collect();
    labels::encode(doc.words.len(), &spans)
}

fn add_conll_names(g: &mut Gazetteer, doc: &LabelledDoc) {
    for (range, kind) in &doc.spans {
        if let (Some(words), Some(k)) = (doc.words.get(range.clone()), kind_index(*kind)) {
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            g.insert(&refs, GAZ_CONLL + k);
        }
    }
}

pub fn evaluate(rec: &Recognizer, docs: &[LabelledDoc]) -> Score {
    let mut score = Score::default();
    for doc in docs {
        let predicted = rec.tag_tokens(&doc.word_refs(), &doc.sentences);
        score.add(&doc.spans, &predicted);
    }
    score
}

/// Averaged perceptron with the usual lazy averaging: `total` accumulates each update times the
/// step it happened at, and the average is `w - total / steps`.
struct Perceptron {
    w: Vec<f32>,
    total: Vec<f64>,
    steps: f64,
}

impl Perceptron {
    fn new() -> Self {
        Perceptron { w: vec![0.0; LABELS << TABLE_BITS], total: vec![0.0; LABELS << TABLE_BITS], steps: 1.0 }
    }

    fn step(&mut self, rows: &[u32], allowed: u32, gold: u8) -> u8 {
        let mut scores = [0f32; LABELS];
        for &r in rows {
            let row = &self.w[r as usize * LABELS..][..LABELS];
            for (s, w) in scores.iter_mut().zip(row) {
                *s += w;
            }
        }
        let predicted = best_allowed(&scores, allowed);
        if predicted != gold {
            for &r in rows {
                let base = r as usize * LABELS;
                for (label, delta) in [(gold, 1.0f32), (predicted, -1.0)] {
                    let k = base + usize::from(label);
                    self.w[k] += delta;
                    self.total[k] += f64::from(delta) * self.steps;
                }
            }
        }
        self.steps += 1.0;
        predicted
    }

    fn averaged(&self) -> Vec<f32> {
        self.w.iter().zip(&self.total).map(|(&w, &t)| (f64::from(w) - t / self.steps) as f32).collect()
    }
}

/// splitmix64: tiny, seeded, identical everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn gaussian(&mut self) -> f32 {
        // Sum of uniforms: close enough to normal for a random projection.
        (0..4).map(|_| (self.next() >> 11) as f32 / (1u64 << 53) as f32).sum::<f32>() - 2.0
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Word clusters

/// Every text of the unlabelled corpora, one string per article or feed item.
fn unlabelled_texts(corpora: &Path) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["reuters-1987", "rss-2023/monthly"] {
        let d = corpora.join(dir);
        let entries = std::fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))?;
        for e in entries {
            files.push(e?.path());
        }
    }
    files.sort();
    for path in files {
        let name = path.to_string_lossy().to_string();
        let reader: Box<dyn BufRead> = if name.ends_with(".jsonl.gz") {
            Box::new(BufReader::new(GzDecoder::new(File::open(&path)?)))
        } else if name.ends_with(".jsonl") {
            Box::new(BufReader::new(File::open(&path)?))
        } else {
            continue;
        };
        for line in reader.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&line?) else {
                continue;
            };
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            let body = if v.get("description").is_some() {
                fragment_text(&field("description")).into_owned()
            } else {
                field("text")
            };
            texts.push(format!("{}\n\n{}", field("title"), body));
        }
    }
    Ok(texts)
}

fn build_clusters(args: &Args, train: &[LabelledDoc]) -> Result<Clusters> {
    const MIN_COUNT: u32 = 4;
    const MAX_VOCAB: usize = 60_000;
    const CONTEXTS: usize = 2_000;
    const DIMS: usize = 96;

    let texts = unlabelled_texts(&args.corpora)?;
    eprintln!("clusters: {} unlabelled texts", texts.len());
    // Token stream as (word form key, lowercase key, case) per sentence; case is 1 for a
    // capitalised and 2 for a lowercase word mid-sentence outside all-caps lines, else 0, plus
    // 4 when the line is in title case.
    let keys = |words: &[&str]| -> Vec<(u64, u64, u8)> {
        let caps = !words.iter().any(|w| w.chars().any(char::is_lowercase));
        let title = if is_title_case(words) { 4 } else { 0 };
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let case = match w.chars().next() {
                    Some(c) if i > 0 && !caps && c.is_uppercase() => 1,
                    Some(c) if i > 0 && !caps && c.is_lowercase() => 2,
                    _ => 0,
                };
                let digit_word = match digit_word_case(w) {
                    Some(upper) if i > 0 && !caps => 8 << u8::from(!upper),
                    _ => 0,
                };
                (word_key(w), lower_key(w), case | title | digit_word)
            })
            .collect()
    };
    let mut sentences: Vec<Vec<(u64, u64, u8)>> = texts
        .par_iter()
        .flat_map_iter(|text| {
            let tokens = tokenize::tokenize(text);
            tokenize::sentences(text, &tokens)
                .into_iter()
                .map(|r| keys(&tokens[r].iter().map(|t| &text[t.start..t.end]).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        })
        .collect();
    for doc in train {
        for r in &doc.sentences {
            sentences.push(keys(&doc.word_refs()[r.clone()]));
        }
    }
    // The feature table counts title-case lines as it always did (changing it moves the weights:
    // measured, the caps subset gained but sample-data names such as Kyiv changed type); the
    // decoding table leaves them out, so `says` and `makes` are known as lowercase words.
    let mut case_counts: KeyMap<[u32; 2]> = KeyMap::default();
    let mut sentence_case_counts: KeyMap<[u32; 2]> = KeyMap::default();
    for s in &sentences {
        for &(_, l, case) in s {
            if case & 3 > 0 {
                case_counts.entry(l).or_default()[usize::from((case & 3) - 1)] += 1;
            }
            // `4th` counts by its first letter here: headlines write `4TH QTR`.
            let upper = match case & 27 {
                1 | 8 => Some(0),
                2 | 16 => Some(1),
                _ => None,
            };
            if let Some(k) = upper.filter(|_| case & 4 == 0) {
                sentence_case_counts.entry(l).or_default()[k] += 1;
            }
        }
    }
    let lowercase_words: KeyMap<()> = sentence_case_counts
        .iter()
        .filter(|(_, c)| c[0] + c[1] >= 3 && f64::from(c[0]) / f64::from(c[0] + c[1]) < 0.05)
        .map(|(&k, _)| (k, ()))
        .collect();
    let case_prior: KeyMap<u8> = case_counts
        .iter()
        .filter(|(_, c)| c[0] + c[1] >= 3)
        .map(|(&k, c)| {
            let share = f64::from(c[0]) / f64::from(c[0] + c[1]);
            (
                k,
                if share >= 0.95 {
                    1
                } else if share >= 0.5 {
                    2
                } else if share >= 0.05 {
                    3
                } else {
                    4
                },
            )
        })
        .collect();
    drop(texts);
    let mut word_counts: KeyMap<u32> = KeyMap::default();
    let mut lower_counts: KeyMap<u32> = KeyMap::default();
    for s in &sentences {
        for &(w, l, _) in s {
            *word_counts.entry(w).or_default() += 1;
            *lower_counts.entry(l).or_default() += 1;
        }
    }
    let top = |counts: &KeyMap<u32>, n: usize, min: u32| -> Vec<u64> {
        let mut v: Vec<(u32, u64)> = counts.iter().filter(|&(_, &c)| c >= min).map(|(&k, &c)| (c, k)).collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v.truncate(n);
        v.into_iter().map(|(_, k)| k).collect()
    };
    let vocab = top(&word_counts, MAX_VOCAB, MIN_COUNT);
    let contexts = top(&lower_counts, CONTEXTS, 1);
    let vocab_id: KeyMap<u32> = vocab.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
    let ctx_id: KeyMap<u32> = contexts.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
    // Context features: left neighbour (0..CONTEXTS), right neighbour (CONTEXTS..2*CONTEXTS),
    // plus "rare word" and "sentence boundary" slots on each side.
    let slots = 2 * CONTEXTS + 4;
    let ctx_of = |l: Option<u64>, side: usize| -> u64 {
        let base = side * (CONTEXTS + 2);
        (match l {
            None => base + CONTEXTS + 1,
            Some(l) => base + ctx_id.get(&l).map_or(CONTEXTS, |&c| c as usize),
        }) as u64
    };
    let mut pairs: Vec<u64> = Vec::new();
    for s in &sentences {
        for (i, &(w, _, _)) in s.iter().enumerate() {
            let Some(&v) = vocab_id.get(&w) else { continue };
            let left = i.checked_sub(1).and_then(|j| s.get(j)).map(|p| p.1);
            let right = s.get(i + 1).map(|p| p.1);
            pairs.push(u64::from(v) << 20 | ctx_of(left, 0));
            pairs.push(u64::from(v) << 20 | ctx_of(right, 1));
        }
    }
    drop(sentences);
    pairs.par_sort_unstable();
    // Counts per (word, context), then PPMI.
    let mut triples: Vec<(u32, u32, f32)> = Vec::new();
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i;
        while j < pairs.len() && pairs[j] == pairs[i] {
            j += 1;
        }
        triples.push(((pairs[i] >> 20) as u32, (pairs[i] & 0xF_FFFF) as u32, (j - i) as f32));
        i = j;
    }
    drop(pairs);
    let mut word_tot = vec![0f64; vocab.len()];
    let mut ctx_tot = vec![0f64; slots];
    let mut total = 0f64;
    for &(w, c, n) in &triples {
        word_tot[w as usize] += f64::from(n);
        ctx_tot[c as usize] += f64::from(n);
        total += f64::from(n);
    }
    let mut rng = Rng(SEED ^ 1);
    let projection: Vec<f32> = (0..slots * DIMS).map(|_| rng.gaussian()).collect();
    let mut vectors = vec![0f32; vocab.len() * DIMS];
    for &(w, c, n) in &triples {
        // Context distribution smoothed with exponent 0.75, as in word2vec.
        let pmi = (f64::from(n) * total.powf(0.75) / (word_tot[w as usize] * ctx_tot[c as usize].powf(0.75))).ln();
        if pmi <= 0.0 {
            continue;
        }
        let v = &mut vectors[w as usize * DIMS..][..DIMS];
        for (x, p) in v.iter_mut().zip(&projection[c as usize * DIMS..][..DIMS]) {
            *x += pmi as f32 * p;
        }
    }
    normalise_rows(&mut vectors, DIMS);
    let (fine_of, fine_centroids) = kmeans(&vectors, DIMS, args.clusters, 15, &mut rng);
    let (mid_of, mid_centroids) = kmeans(&fine_centroids, DIMS, (args.clusters / 6).max(2), 20, &mut rng);
    let (coarse_of, _) = kmeans(&mid_centroids, DIMS, 16, 20, &mut rng);
    let words: KeyMap<u16> = vocab.iter().zip(&fine_of).map(|(&k, &f)| (k, f as u16)).collect();
    let parents = mid_of.iter().map(|&m| [m as u16, coarse_of[m] as u16]).collect();
    Ok(Clusters { words, parents, case_prior, lowercase_words })
}

fn normalise_rows(v: &mut [f32], dims: usize) {
    for row in v.chunks_exact_mut(dims) {
        let n = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        if n > 0.0 {
            row.iter_mut().for_each(|x| *x /= n);
        }
    }
}

/// Spherical k-means (cosine similarity) with a seeded start; returns assignments and centroids.
fn kmeans(points: &[f32], dims: usize, k: usize, iterations: usize, rng: &mut Rng) -> (Vec<usize>, Vec<f32>) {
    let n = points.len() / dims;
    let k = k.min(n).max(1);
    let mut picks: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut picks);
    let mut centroids: Vec<f32> = picks[..k].iter().flat_map(|&p| points[p * dims..][..dims].to_vec()).collect();
    let mut assign = vec![0usize; n];
    for _ in 0..iterations {
        assign = points
            .par_chunks_exact(dims)
            .map(|p| {
                let mut best = (0, f32::MIN);
                for (c, cent) in centroids.chunks_exact(dims).enumerate() {
                    let s: f32 = p.iter().zip(cent).map(|(a, b)| a * b).sum();
                    if s > best.1 {
                        best = (c, s);
                    }
                }
                best.0
            })
            .collect();
        let mut sums = vec![0f32; k * dims];
        for (p, &c) in points.chunks_exact(dims).zip(&assign) {
            for (s, x) in sums[c * dims..][..dims].iter_mut().zip(p) {
                *s += x;
            }
        }
        for (c, sum) in sums.chunks_exact(dims).enumerate() {
            if sum.iter().any(|&x| x != 0.0) {
                centroids[c * dims..][..dims].copy_from_slice(sum);
            }
        }
        normalise_rows(&mut centroids, dims);
    }
    (assign, centroids)
}
