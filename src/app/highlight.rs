//! Which words of an article each watch item counted: what the viewer highlights and the
//! concordance lists. Terms and entities (by their name) go through the term rules, queries
//! through the query rules; nothing else decides what a mention is.

use crate::core::article::Article;
use crate::core::query::{CompiledQuery, Matcher, Mention, Term};

use super::settings::{WatchItem, WatchKind};

/// The mentions of `items` in `article`, sorted by position, each `term` being the item's index
/// in `items`; and the labels of items that could not be read, if any.
pub fn item_mentions(items: &[WatchItem], article: &Article) -> (Vec<Mention>, Vec<String>) {
    let mut terms = Vec::new();
    let mut term_items = Vec::new();
    let mut mentions = Vec::new();
    let mut unread = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let query = match item.kind {
            WatchKind::Term => item.query.clone(),
            // The recogniser's own spans are not kept: an entity is looked for by its name.
            WatchKind::Entity => item.query.replace(['=', '|', '*'], " "),
            WatchKind::Query => {
                match CompiledQuery::parse(&item.query) {
                    Ok(q) => {
                        let found = q.mentions(&article.text, article.source.as_deref()).unwrap_or_default();
                        mentions.extend(found.into_iter().map(|m| Mention { term: i, ..m }));
                    }
                    Err(_) => unread.push(item.label.clone()),
                }
                continue;
            }
        };
        match Term::parse(&query) {
            Ok(t) => {
                terms.push(t);
                term_items.push(i);
            }
            Err(_) => unread.push(item.label.clone()),
        }
    }
    match Matcher::new(terms) {
        Ok(m) => {
            mentions.extend(m.mentions(&article.text).into_iter().map(|x| Mention { term: term_items[x.term], ..x }))
        }
        Err(e) => unread.push(format!("({e})")),
    }
    mentions.sort();
    (mentions, unread)
}
