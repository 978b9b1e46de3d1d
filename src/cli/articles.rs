//! `presswatch articles`: one line (or JSON object) per imported article; with `-q`, per article
//! the query matches, with its mentions.

use std::io::Write;

use anyhow::{Context, Result};
use chrono::SecondsFormat;
use serde_json::json;

use super::{Input, import_with_progress, report_skipped};
use crate::core::article::Article;
use crate::core::entities::aliases::AliasFile;
use crate::core::sources::outlet;

fn rfc3339(a: &Article) -> Option<String> {
    a.published.map(|p| p.to_rfc3339_opts(SecondsFormat::Secs, true))
}

pub(super) fn articles(input: &Input, query: Option<&str>, as_json: bool, with_text: bool) -> Result<()> {
    let query = query.map(super::compile_query).transpose()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut write_error = None;
    // With a query: the matching articles only, each with its mentions.
    let line = |a: Article, mentions: Option<u32>| -> String {
        if as_json {
            let mut v = json!({
                "id": a.id.to_string(),
                "path": a.id.path,
                "title": a.title,
                "source": a.source.as_deref().map(outlet),
                "source_raw": a.source,
                "url": a.url,
                "published": rfc3339(&a),
                "date_source": a.date_source.as_str(),
            });
            if let Some(n) = mentions {
                v["mentions"] = n.into();
            }
            if with_text {
                v["text"] = a.text.into();
            }
            v.to_string()
        } else {
            let cell = |s: &str| s.replace(['\t', '\n', '\r'], " ");
            [
                cell(&a.id.to_string()),
                cell(&a.id.path.display().to_string()),
                cell(&a.title),
                cell(&a.source.as_deref().map(outlet).unwrap_or_default()),
                cell(a.url.as_deref().unwrap_or("")),
                rfc3339(&a).unwrap_or_default(),
                a.date_source.as_str().to_string(),
            ]
            .into_iter()
            .chain(mentions.map(|n| n.to_string()))
            .collect::<Vec<_>>()
            .join("\t")
        }
    };
    let mut write = |l: String| {
        if write_error.is_none()
            && let Err(e) = writeln!(out, "{l}")
        {
            write_error = Some(e);
        }
    };
    match input.stored_index(&AliasFile::default())? {
        Some(index) => {
            report_skipped(&index.report);
            let matched: Option<std::collections::HashMap<u32, u32>> =
                query.as_ref().map(|q| index.count_query(q).hits.into_iter().collect());
            for article in index.articles_in_order() {
                let mentions = matched.as_ref().map(|m| m.get(&article).copied());
                if mentions == Some(None) {
                    continue;
                }
                if let Some(a) = index.article(article) {
                    write(line(a, mentions.flatten()));
                }
            }
        }
        None => {
            let each = |a: Article| -> Option<String> {
                match &query {
                    Some(q) => q.count_text(&a.text, a.source.as_deref()).map(|n| line(a, Some(n))),
                    None => Some(line(a, None)),
                }
            };
            import_with_progress(&input.path, &input.options(), each, |chunk| {
                chunk.into_iter().flatten().for_each(&mut write)
            })?;
        }
    }
    if let Some(e) = write_error {
        return Err(e).context("cannot write to standard output");
    }
    out.flush()?;
    Ok(())
}
