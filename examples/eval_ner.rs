//! Scores the bundled named-entity model on a labelled CoNLL-2003 file, conlleval-style: a span
//! counts only if its boundaries and type are exact. PER/ORG/LOC together are the headline
//! figure; MISC is reported but left out of it.
//!
//! ```text
//! cargo run --release --no-default-features --example eval_ner -- ../shared/corpora/conll2003/eng.testa
//! ```
//!
//! Two figures: on the gold tokens and sentences (the usual CoNLL number), and on raw text
//! (tokens joined with spaces, one sentence per line, run through `Recognizer::recognize`, so
//! our own tokenizer and sentence splitter are part of what is measured). With `NER_DEBUG=1`
//! set, gold spans missed on raw text are listed on stderr with what was found near them.
//!
//! Each figure is also given for the all-caps sentences alone (letters, none lowercase: the
//! headlines and datelines such as `SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .`),
//! the case where real news titles (Reuters-1987) go wrong. Documents are still tagged whole, as
//! the recogniser normally sees them; only spans inside those sentences are scored, so the
//! subset shows how well the headline tagging uses the body. `NER_DEBUG=caps` lists the
//! subset's errors on gold tokens instead of the raw-text misses.

use std::ops::Range;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;

use presswatch::core::entities::EntityKind;
use presswatch::core::entities::recognizer::Recognizer;
use presswatch::core::entities::recognizer::conll::{self, Score};
use presswatch::core::entities::recognizer::features::is_all_caps;
use presswatch::core::entities::recognizer::labels::KINDS;

#[derive(Parser)]
struct Args {
    /// A CoNLL-2003 file such as `eng.testa`.
    file: PathBuf,
    /// Score this model file (as written by `train_ner --out`) instead of the bundled one.
    #[arg(long)]
    model: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let docs = conll::parse(&text);
    let rec = match &args.model {
        Some(path) => {
            let data = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            &Recognizer::from_gzip(&data).with_context(|| format!("loading {}", path.display()))?
        }
        None => Recognizer::bundled(),
    };
    let debug = std::env::var("NER_DEBUG").ok();
    let (mut tokens_score, mut tokens_caps) = (Score::default(), Score::default());
    let (mut raw_score, mut raw_caps) = (Score::default(), Score::default());
    let (mut caps_sentences, mut sentences) = (0, 0);
    for doc in &docs {
        let words = doc.word_refs();
        let caps: Vec<Range<usize>> =
            doc.sentences.iter().filter(|r| is_all_caps(&words[(*r).clone()])).cloned().collect();
        caps_sentences += caps.len();
        sentences += doc.sentences.len();
        let predicted = rec.tag_tokens(&words, &doc.sentences);
        tokens_score.add(&doc.spans, &predicted);
        let (gold_in, found_in) = (inside(&doc.spans, &caps), inside(&predicted, &caps));
        tokens_caps.add(&gold_in, &found_in);
        if debug.as_deref() == Some("caps") {
            let show = |r: &Range<usize>| words[r.clone()].join(" ");
            for (r, k) in gold_in.iter().filter(|g| !found_in.contains(g)) {
                eprintln!("MISS  {}:{} in [{}]", show(r), k.as_str(), show(enclosing(&caps, r)));
            }
            for (r, k) in found_in.iter().filter(|f| !gold_in.contains(f)) {
                eprintln!("WRONG {}:{} in [{}]", show(r), k.as_str(), show(enclosing(&caps, r)));
            }
        }

        // Raw text: byte spans compared with the gold spans' byte ranges.
        let mut raw = String::new();
        let mut offsets: Vec<Range<usize>> = Vec::with_capacity(words.len());
        let mut caps_bytes: Vec<Range<usize>> = Vec::with_capacity(caps.len());
        for sentence in &doc.sentences {
            let start = raw.len();
            for (k, w) in words[sentence.clone()].iter().enumerate() {
                if k > 0 {
                    raw.push(' ');
                }
                offsets.push(raw.len()..raw.len() + w.len());
                raw.push_str(w);
            }
            if caps.contains(sentence) {
                caps_bytes.push(start..raw.len());
            }
            raw.push('\n');
        }
        let gold: Vec<(Range<usize>, EntityKind)> =
            doc.spans.iter().map(|(r, k)| (offsets[r.start].start..offsets[r.end - 1].end, *k)).collect();
        let found: Vec<(Range<usize>, EntityKind)> =
            rec.recognize(&raw).into_iter().map(|s| (s.start..s.end, s.kind)).collect();
        if debug.as_deref().is_some_and(|d| d != "caps") {
            for g in &gold {
                if !found.contains(g) {
                    let near: Vec<String> = found
                        .iter()
                        .filter(|f| f.0.start < g.0.end + 5 && g.0.start < f.0.end + 5)
                        .map(|f| format!("{}:{}", &raw[f.0.clone()], f.1.as_str()))
                        .collect();
                    let ctx = &raw[g.0.start.saturating_sub(30)..(g.0.end + 30).min(raw.len())];
                    let ctx = ctx.replace('\n', " | ");
                    eprintln!("MISS {}:{} found {near:?} ctx [{ctx}]", &raw[g.0.clone()], g.1.as_str());
                }
            }
        }
        raw_score.add(&gold, &found);
        raw_caps.add(&inside(&gold, &caps_bytes), &inside(&found, &caps_bytes));
    }
    println!("{} documents, {} tokens", docs.len(), docs.iter().map(|d| d.words.len()).sum::<usize>());
    println!(
        "all-caps subset: {caps_sentences} of {sentences} sentences, {} gold PER/ORG/LOC spans (of {}), {} MISC",
        tokens_caps.headline().gold,
        tokens_score.headline().gold,
        tokens_caps.kinds[3].gold
    );
    for (title, score) in [
        ("gold tokens", &tokens_score),
        ("raw text", &raw_score),
        ("gold tokens, all-caps sentences only", &tokens_caps),
        ("raw text, all-caps sentences only", &raw_caps),
    ] {
        println!("\n{title}:");
        println!("{:<14} {:>9} {:>9} {:>9} {:>7}", "type", "precision", "recall", "F1", "gold");
        for (kind, c) in KINDS.iter().zip(&score.kinds) {
            println!("{:<14} {:>9.4} {:>9.4} {:>9.4} {:>7}", kind.as_str(), c.precision(), c.recall(), c.f1(), c.gold);
        }
        let h = score.headline();
        println!("{:<14} {:>9.4} {:>9.4} {:>9.4} {:>7}", "PER+ORG+LOC", h.precision(), h.recall(), h.f1(), h.gold);
    }
    Ok(())
}

/// The spans lying wholly inside one of `within` (sorted, disjoint ranges of the same unit).
fn inside(spans: &[(Range<usize>, EntityKind)], within: &[Range<usize>]) -> Vec<(Range<usize>, EntityKind)> {
    spans.iter().filter(|(r, _)| within.iter().any(|w| w.start <= r.start && r.end <= w.end)).cloned().collect()
}

/// The range of `within` holding `r` (`r` itself if none does).
fn enclosing<'a>(within: &'a [Range<usize>], r: &'a Range<usize>) -> &'a Range<usize> {
    within.iter().find(|w| w.start <= r.start && r.end <= w.end).unwrap_or(r)
}
