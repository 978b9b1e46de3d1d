//! `presswatch entities`: the people, organisations and places of a folder, as a table or JSON,
//! or every mention per article (`--mentions --json`).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::json;

use rayon::prelude::*;

use super::{Input, import_with_progress, load_aliases, report_skipped};
use crate::core::article::Article;
use crate::core::entities::EntityKind;
use crate::core::entities::aliases::AliasFile;
use crate::core::entities::canonical::{ArticleEntities, Entity, EntityCatalog};
use crate::core::entities::corpus::{CorpusEntities, recognize_article};
use crate::core::export;

pub(super) struct EntitiesRequest<'a> {
    pub top: Option<usize>,
    pub kind: Option<EntityKind>,
    pub json: bool,
    pub mentions: bool,
    pub aliases: Option<&'a Path>,
    pub output: Option<&'a Path>,
}

/// One article's mentions as `--mentions` prints them: character offsets into the text.
struct ArticleMentions {
    id: String,
    path: String,
    mentions: Vec<CharMention>,
}

struct CharMention {
    start: usize,
    end: usize,
    text: String,
    kind: EntityKind,
    /// The article-local form, resolved to its canonical entity after the import.
    form_name: String,
    form_kind: EntityKind,
}

pub(super) fn entities(input: &Input, req: &EntitiesRequest<'_>) -> Result<()> {
    if req.mentions && !req.json {
        bail!("--mentions prints JSON Lines: add --json");
    }
    let aliases = load_aliases(req.aliases)?;
    let (catalog, per_article) = match input.stored_index(&aliases)? {
        Some(index) => {
            report_skipped(&index.report);
            // Mentions with their offsets are not stored: the recogniser runs again on the
            // stored texts, which gives what it gave at import.
            let per_article = if req.mentions {
                index
                    .articles_in_order()
                    .par_iter()
                    .filter_map(|&a| index.article(a))
                    .map(|a| article_mentions(&a, &recognize_article(&a)))
                    .collect()
            } else {
                Vec::new()
            };
            (index.catalog().clone(), per_article)
        }
        None => catalog_from_files(input, req, &aliases)?,
    };
    for name in catalog.unmatched_aliases() {
        eprintln!("presswatch: alias file entry {name:?} matched no entity in this folder");
    }
    let body = if req.mentions {
        mentions_json_lines(&per_article, &catalog)
    } else {
        let rows: Vec<&Entity> = catalog
            .visible()
            .filter(|e| req.kind.is_none_or(|k| e.kind == k))
            .take(req.top.unwrap_or(usize::MAX))
            .collect();
        if req.json { entity_json(&rows) } else { entity_csv(&rows)? }
    };
    match req.output {
        Some(path) => {
            export::write_atomically(path, |w| w.write_all(body.as_bytes()).map_err(|e| csv::Error::from(e).into()))
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("presswatch: wrote {}", path.display());
        }
        None => std::io::stdout().lock().write_all(body.as_bytes()).context("cannot write to standard output")?,
    }
    Ok(())
}

/// The entity catalogue of the files, read now, and with `--mentions` every article's mentions.
fn catalog_from_files(
    input: &Input,
    req: &EntitiesRequest<'_>,
    aliases: &AliasFile,
) -> Result<(EntityCatalog, Vec<ArticleMentions>)> {
    let mut corpus = CorpusEntities::default();
    let mut per_article: Vec<ArticleMentions> = Vec::new();
    import_with_progress(
        input.path.as_path(),
        &input.options(),
        |a| {
            let found = recognize_article(&a);
            let mentions = req.mentions.then(|| article_mentions(&a, &found));
            (found, mentions)
        },
        |chunk| {
            for (found, mentions) in chunk {
                corpus.add(&found);
                per_article.extend(mentions);
            }
        },
    )?;
    corpus.resolve(aliases);
    Ok((corpus.catalog, per_article))
}

fn article_mentions(a: &Article, found: &ArticleEntities) -> ArticleMentions {
    ArticleMentions {
        id: a.id.to_string(),
        path: a.id.path.display().to_string(),
        mentions: char_mentions(&a.text, found),
    }
}

/// Byte spans to character offsets (Unicode scalar values), in one pass over the text.
fn char_mentions(text: &str, found: &ArticleEntities) -> Vec<CharMention> {
    let mut bytes_to_chars = text.char_indices().map(|(b, _)| b).enumerate().peekable();
    let mut char_at = |byte: usize| -> usize {
        let mut last = text.chars().count();
        while let Some(&(c, b)) = bytes_to_chars.peek() {
            if b >= byte {
                last = c;
                break;
            }
            bytes_to_chars.next();
        }
        last
    };
    let mut out = Vec::with_capacity(found.mentions.len());
    for m in &found.mentions {
        let Some(form) = found.forms.get(m.form) else { continue };
        let start = char_at(m.span.start);
        let end = char_at(m.span.end);
        out.push(CharMention {
            start,
            end,
            text: text.get(m.span.start..m.span.end).unwrap_or_default().to_string(),
            kind: m.span.kind,
            form_name: form.name.clone(),
            form_kind: form.kind,
        });
    }
    out
}

fn mentions_json_lines(articles: &[ArticleMentions], catalog: &EntityCatalog) -> String {
    let mut out = String::new();
    for a in articles {
        let mentions: Vec<serde_json::Value> = a
            .mentions
            .iter()
            .filter_map(|m| {
                let entity = catalog.get(catalog.lookup(&m.form_name, m.form_kind)?)?;
                (!entity.hidden).then(|| {
                    json!({"start": m.start, "end": m.end, "text": m.text, "type": m.kind.as_str(), "entity": entity.name})
                })
            })
            .collect();
        out.push_str(&json!({"id": a.id, "path": a.path, "mentions": mentions}).to_string());
        out.push('\n');
    }
    out
}

fn entity_json(rows: &[&Entity]) -> String {
    let values: Vec<serde_json::Value> = rows
        .iter()
        .map(|e| {
            json!({
                "entity": e.name,
                "type": e.kind.as_str(),
                "mentions": e.mentions,
                "articles": e.articles,
                "aliases": e.aliases.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(),
                "alias_mentions": e.aliases.iter().map(|a| a.mentions).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut out = serde_json::Value::from(values).to_string();
    out.push('\n');
    out
}

fn entity_csv(rows: &[&Entity]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["entity", "type", "mentions", "articles", "aliases"])?;
    for e in rows {
        let aliases: Vec<String> = e.aliases.iter().map(|a| format!("{} ({})", a.text, a.mentions)).collect();
        w.write_record([
            export::spreadsheet_safe(&e.name).as_ref(),
            e.kind.as_str(),
            &e.mentions.to_string(),
            &e.articles.to_string(),
            export::spreadsheet_safe(&aliases.join("; ")).as_ref(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner().map_err(|e| e.into_error())?)?)
}
