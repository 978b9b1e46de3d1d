//! Canonical entities on real news: the CoNLL-2003 gold spans (946 Reuters documents from 1996)
//! stand in for the recogniser, so this measures the grouping alone on text nobody here wrote.
//!
//! Reads `../shared/corpora/conll2003/eng.train` beside the checkout and skips with a message when
//! it is absent (a fresh clone has no `../shared`). `CONLL_SHOW=60 cargo test --test entities_conll
//! -- --nocapture` prints the top people to eyeball the grouping.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::PathBuf;

use presswatch::core::entities::aliases::AliasFile;
use presswatch::core::entities::canonical::{ArticleEntities, EntityCatalog, FormTable, group_article};
use presswatch::core::entities::{EntityKind, EntitySpan};
use rayon::prelude::*;

/// One document: its tokens joined by spaces, and the gold spans (IOB1) as byte offsets.
fn read_conll() -> Option<Vec<(String, Vec<EntitySpan>)>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/conll2003/eng.train");
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} is not available", path.display());
        return None;
    };
    let mut docs = Vec::new();
    let (mut text, mut spans) = (String::new(), Vec::new());
    let mut open: Option<EntitySpan> = None;
    for line in data.lines().chain(std::iter::once("-DOCSTART- -X- -X- O")) {
        let fields: Vec<&str> = line.split(' ').collect();
        let tag = fields.last().copied().unwrap_or("O");
        let kind = match tag.get(2..) {
            Some("PER") => Some(EntityKind::Person),
            Some("ORG") => Some(EntityKind::Organization),
            Some("LOC") => Some(EntityKind::Location),
            Some("MISC") => Some(EntityKind::Misc),
            _ => None,
        };
        let continues = open.is_some_and(|o| Some(o.kind) == kind && !tag.starts_with("B-"));
        if !continues {
            spans.extend(open.take());
        }
        if fields[0] == "-DOCSTART-" {
            if !text.is_empty() {
                docs.push((std::mem::take(&mut text), std::mem::take(&mut spans)));
            }
            continue;
        }
        if line.is_empty() {
            spans.extend(open.take());
            text.push('\n');
            continue;
        }
        if !text.is_empty() && !text.ends_with('\n') {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(fields[0]);
        match (&mut open, kind) {
            (Some(o), Some(_)) => o.end = text.len(),
            (None, Some(kind)) => open = Some(EntitySpan { start, end: text.len(), kind }),
            _ => {}
        }
    }
    Some(docs)
}

fn group_all(docs: &[(String, Vec<EntitySpan>)], threads: usize) -> Vec<ArticleEntities> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
    pool.install(|| docs.par_iter().map(|(text, spans)| group_article(text, spans)).collect())
}

fn catalog_of(articles: &[ArticleEntities]) -> (FormTable, EntityCatalog) {
    let mut table = FormTable::new();
    for article in articles {
        table.add_article(article);
    }
    let catalog = EntityCatalog::build(&table, &AliasFile::default());
    (table, catalog)
}

#[test]
fn conll_people_group_under_their_full_names_identically_on_any_thread_count() {
    let Some(docs) = read_conll() else { return };
    assert!(docs.len() > 900, "{} documents", docs.len());
    let one_thread = group_all(&docs, 1);
    assert_eq!(one_thread, group_all(&docs, 2), "per-article results depend on threads");
    let (table, catalog) = catalog_of(&one_thread);

    let shown = std::env::var("CONLL_SHOW").ok().and_then(|n| n.parse().ok()).unwrap_or(0);
    for e in catalog.visible().filter(|e| e.kind == EntityKind::Person).take(shown) {
        let forms: Vec<String> = e.aliases.iter().take(4).map(|a| format!("{} {}", a.text, a.mentions)).collect();
        eprintln!("{:>5} {:>4} {} {:<30} {}", e.mentions, e.articles, e.kind.as_str(), e.name, forms.join(", "));
    }
    eprintln!("{} forms, {} entities", table.len(), catalog.len());

    let entity = |query: &str| {
        let id = *catalog.find(query).first().unwrap_or_else(|| panic!("{query} not found"));
        catalog.get(id).unwrap()
    };
    // Reuters writes the full name once, then the surname. "Arafat" alone (in articles without
    // the full name too) joins "Yasser Arafat", the only full name ending so: all 47 gold mentions.
    let arafat = entity("Arafat");
    assert_eq!((arafat.name.as_str(), arafat.kind, arafat.mentions), ("Yasser Arafat", EntityKind::Person, 47));
    assert_eq!(catalog.lookup("Arafat", EntityKind::Person), Some(arafat.id));
    // "B. Yeltsin" is Boris. One "Naina Yeltsin" makes a lone "Yeltsin" strictly ambiguous, but
    // Boris has far over 90 % of the full-name mentions, so across the folder it joins him too;
    // Naina keeps her one mention.
    let boris = entity("Boris Yeltsin");
    assert!(boris.aliases.iter().any(|a| a.text == "B. Yeltsin"));
    assert!(boris.aliases.iter().any(|a| a.text == "Yeltsin" && a.mentions > 10));
    assert_eq!(catalog.lookup("Yeltsin", EntityKind::Person), Some(boris.id));
    assert_eq!(entity("Yeltsin").name, "Boris Yeltsin");
    assert_eq!(entity("Naina Yeltsin").mentions, 1);
    // Headline and dateline capitals do not win the display name.
    assert_eq!(entity("chicago").name, "Chicago");

    // Every mention is counted exactly once, in exactly one entity.
    let gold_mentions: usize = docs.iter().map(|(_, spans)| spans.len()).sum();
    let grouped: u64 = catalog.entities().iter().map(|e| e.mentions).sum();
    assert_eq!(grouped, gold_mentions as u64);
}

#[test]
fn conll_catalogue_does_not_depend_on_article_order() {
    let Some(docs) = read_conll() else { return };
    let articles = group_all(&docs, 2);
    let (_, forward) = catalog_of(&articles);
    let reversed: Vec<ArticleEntities> = articles.into_iter().rev().collect();
    let (_, backward) = catalog_of(&reversed);
    let names = |c: &EntityCatalog| -> Vec<(String, EntityKind, u64, u64)> {
        c.entities().iter().map(|e| (e.name.clone(), e.kind, e.mentions, e.articles)).collect()
    };
    assert_eq!(names(&forward), names(&backward));
}
