//! Prints the entities the bundled recogniser finds in a text file, one per line
//! (`start..end KIND text`), for eyeballing the tagger on real articles.
//!
//! ```text
//! cargo run --release --no-default-features --example ner_tag -- ../shared/seed-article.txt
//! ```

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;

use presswatch::core::entities::recognizer::Recognizer;

#[derive(Parser)]
struct Args {
    /// A UTF-8 text file.
    file: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let mut out = std::io::stdout().lock();
    for span in Recognizer::bundled().recognize(&text) {
        // A closed pipe (`| head`) ends the listing quietly.
        if writeln!(out, "{}..{} {} {}", span.start, span.end, span.kind.as_str(), &text[span.start..span.end]).is_err()
        {
            break;
        }
    }
    Ok(())
}
