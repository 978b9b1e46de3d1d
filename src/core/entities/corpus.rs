//! Entities across a corpus: the recognition step that runs inside the parallel import, and the
//! table it fills, resolved into canonical entities once the import is done.
//!
//! Per form only the articles using it and their mention counts are kept, so applying a changed
//! alias file rebuilds the catalogue from counts without re-reading or re-tagging a single
//! article. The store fills the same table from its postings ([`CorpusEntities::from_forms`]).

use super::aliases::AliasFile;
use super::canonical::{ArticleEntities, EntityCatalog, FormKey, FormStats, FormTable, group_article};
use super::recognizer::Recognizer;
use crate::core::article::Article;
use crate::core::ingest::repeated::without_repeated;

/// Recognises and groups one article's entities. Pure: called on every core during an import.
/// The sentences its source repeats in many articles (`Article::repeated`: feed footers) are
/// left out; offsets still point into `article.text`.
pub fn recognize_article(article: &Article) -> ArticleEntities {
    let text = without_repeated(&article.text, &article.repeated);
    group_article(&text, &Recognizer::bundled().recognize(&text))
}

/// The entity side of an import.
#[derive(Clone, Debug, Default)]
pub struct CorpusEntities {
    pub forms: FormTable,
    /// Per form (indexed by `FormId`): `(article, mentions)` for the articles using it, by article.
    pub per_form: Vec<Vec<(u32, u32)>>,
    /// Articles added so far (the next article's number).
    articles: u32,
    pub catalog: EntityCatalog,
    /// Per entity (indexed like `catalog.entities()`): `(article, mentions)`, by article.
    pub hits: Vec<Vec<(u32, u32)>>,
}

impl CorpusEntities {
    /// Adds the next article's entities (call in import order: articles are numbered 0, 1, …).
    pub fn add(&mut self, article: &ArticleEntities) {
        for (form, n) in self.forms.add_article(article) {
            let i = form.0 as usize;
            if self.per_form.len() <= i {
                self.per_form.resize_with(i + 1, Vec::new);
            }
            self.per_form[i].push((self.articles, n));
        }
        self.articles += 1;
    }

    /// A corpus whose forms were counted elsewhere: `per_form[i]` lists the articles of
    /// `forms[i]`, by article number.
    pub fn from_forms(forms: Vec<(FormKey, FormStats)>, per_form: Vec<Vec<(u32, u32)>>) -> Self {
        Self { forms: FormTable::from(forms), per_form, ..Self::default() }
    }

    /// Groups the forms into canonical entities under the user's alias file and counts, per
    /// entity, the articles that mention it.
    pub fn resolve(&mut self, aliases: &AliasFile) {
        self.catalog = EntityCatalog::build(&self.forms, aliases);
        self.hits = self.catalog.form_hits(&self.per_form);
        self.catalog.recount_articles(&self.hits);
    }
}
