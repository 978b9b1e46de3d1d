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

use std::ops::Range;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;

use presswatch::core::entities::EntityKind;
use presswatch::core::entities::recognizer::Recognizer;
use presswatch::core::entities::recognizer::conll::{self, Score};
use presswatch::core::entities::recognizer::labels::KINDS;

#[derive(Parser)]
struct Args {
    /// A CoNLL-2003 file such as `eng.testa`.
    file: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let docs = conll::parse(&text);
    let rec = Recognizer::bundled();
    let mut tokens_score = Score::default();
    let mut raw_score = Score::default();
    for doc in &docs {
        let words = doc.word_refs();
        tokens_score.add(&doc.spans, &rec.tag_tokens(&words, &doc.sentences));

        // Raw text: byte spans compared with the gold spans' byte ranges.
        let mut raw = String::new();
        let mut offsets: Vec<Range<usize>> = Vec::with_capacity(words.len());
        for sentence in &doc.sentences {
            for (k, w) in words[sentence.clone()].iter().enumerate() {
                if k > 0 {
                    raw.push(' ');
                }
                offsets.push(raw.len()..raw.len() + w.len());
                raw.push_str(w);
            }
            raw.push('\n');
        }
        let gold: Vec<(Range<usize>, EntityKind)> =
            doc.spans.iter().map(|(r, k)| (offsets[r.start].start..offsets[r.end - 1].end, *k)).collect();
        let found: Vec<(Range<usize>, EntityKind)> =
            rec.recognize(&raw).into_iter().map(|s| (s.start..s.end, s.kind)).collect();
        if std::env::var_os("NER_DEBUG").is_some() {
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
    }
    println!("{} documents, {} tokens", docs.len(), docs.iter().map(|d| d.words.len()).sum::<usize>());
    for (title, score) in [("gold tokens", &tokens_score), ("raw text", &raw_score)] {
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
