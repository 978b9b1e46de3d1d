//! `presswatch duplicates`: the stories published more than once (syndicated copies), each with
//! its original (the earliest article) and its copies, as readable groups or JSON.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::SecondsFormat;

use super::Input;
use crate::core::duplicates::{self, DuplicateGroups, DuplicateSettings};
use crate::core::entities::aliases::AliasFile;
use crate::core::index::{ArticleIdx, Index};

/// The index's copy groups under the default settings, with how long finding them took on
/// stderr (the same grouping `--dedup` uses).
pub(super) fn groups_of(index: &Index) -> DuplicateGroups {
    let started = Instant::now();
    let groups = duplicates::find(index, &DuplicateSettings::default());
    eprintln!(
        "presswatch: {} stories published more than once ({}) among {} articles, found in {:.1} s",
        groups.groups.len(),
        match groups.copies() {
            1 => "1 copy".to_string(),
            n => format!("{n} copies"),
        },
        index.article_count(),
        started.elapsed().as_secs_f64()
    );
    groups
}

/// A group as `--json` prints it (a struct, so the original comes first).
#[derive(serde::Serialize)]
struct JsonGroup {
    original: String,
    copies: Vec<String>,
}

pub(super) fn duplicates(input: &Input, as_json: bool) -> Result<()> {
    let index = input.index(&AliasFile::default())?;
    let groups = groups_of(&index);
    let id = |a: ArticleIdx| index.meta(a).map(|m| m.id.to_string()).unwrap_or_default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if as_json {
        let array: Vec<JsonGroup> = groups
            .groups
            .iter()
            .map(|g| JsonGroup { original: id(g.original), copies: g.copies.iter().map(|&c| id(c)).collect() })
            .collect();
        serde_json::to_writer_pretty(&mut out, &array).context("cannot write to standard output")?;
        writeln!(out)?;
    } else {
        // Per group: the original, then its copies indented, each with date, outlet and title.
        let line = |a: ArticleIdx| -> String {
            let Some(m) = index.meta(a) else { return String::new() };
            let published = m.published.map(|p| p.to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap_or_default();
            let outlet = m.outlet().unwrap_or_default().into_owned();
            format!("{}\t{published}\t{outlet}\t{}", m.id, m.title.replace(['\t', '\n', '\r'], " "))
        };
        for g in &groups.groups {
            writeln!(out, "{}", line(g.original)).context("cannot write to standard output")?;
            for &c in &g.copies {
                writeln!(out, "  copy: {}", line(c)).context("cannot write to standard output")?;
            }
        }
    }
    out.flush().context("cannot write to standard output")?;
    Ok(())
}
