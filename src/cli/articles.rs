//! `presswatch articles`: one line (or JSON object) per imported article.

use std::io::Write;

use anyhow::{Context, Result};
use chrono::SecondsFormat;
use serde_json::json;

use super::{Input, import_with_progress, report_skipped};
use crate::core::article::Article;
use crate::core::entities::aliases::AliasFile;

fn rfc3339(a: &Article) -> Option<String> {
    a.published.map(|p| p.to_rfc3339_opts(SecondsFormat::Secs, true))
}

pub(super) fn articles(input: &Input, as_json: bool, with_text: bool) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut write_error = None;
    let line = |a: Article| -> String {
        if as_json {
            let mut v = json!({
                "id": a.id.to_string(),
                "path": a.id.path,
                "title": a.title,
                "source": a.source,
                "url": a.url,
                "published": rfc3339(&a),
                "date_source": a.date_source.as_str(),
                "date_detail": a.date_detail,
            });
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
                cell(a.source.as_deref().unwrap_or("")),
                cell(a.url.as_deref().unwrap_or("")),
                rfc3339(&a).unwrap_or_default(),
                a.date_source.as_str().to_string(),
            ]
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
            for article in index.articles_in_order() {
                if let Some(a) = index.article(article) {
                    write(line(a));
                }
            }
        }
        None => {
            import_with_progress(&input.path, &input.options(), line, |chunk| chunk.into_iter().for_each(&mut write))?;
        }
    }
    if let Some(e) = write_error {
        return Err(e).context("cannot write to standard output");
    }
    out.flush()?;
    Ok(())
}
