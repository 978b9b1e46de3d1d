//! Entities across a corpus: the recognition step that runs inside the parallel import, and the
//! table it fills in import order, resolved into canonical entities once the import is done.
//!
//! Per article only `(form, mentions)` pairs are kept, so applying a changed alias file rebuilds
//! the catalogue from counts without re-reading or re-tagging a single article.

use super::aliases::AliasFile;
use super::canonical::{ArticleEntities, EntityCatalog, FormId, FormTable, group_article};
use super::recognizer::Recognizer;

/// Recognises and groups one article's entities. Pure: called on every core during an import.
pub fn recognize_article(text: &str) -> ArticleEntities {
    group_article(text, &Recognizer::bundled().recognize(text))
}

/// The entity side of an import.
#[derive(Clone, Debug, Default)]
pub struct CorpusEntities {
    pub forms: FormTable,
    /// Per article, in import order: its local forms and their mention counts.
    pub per_article: Vec<Vec<(FormId, u32)>>,
    pub catalog: EntityCatalog,
    /// Per entity (indexed like `catalog.entities()`): `(article position, mentions)`, by position.
    pub hits: Vec<Vec<(u32, u32)>>,
}

impl CorpusEntities {
    /// Adds the next article's entities (call in import order).
    pub fn add(&mut self, article: &ArticleEntities) {
        let forms = self.forms.add_article(article);
        self.per_article.push(forms);
    }

    /// Groups the forms into canonical entities under the user's alias file and counts, per
    /// entity, the articles that mention it.
    pub fn resolve(&mut self, aliases: &AliasFile) {
        self.catalog = EntityCatalog::build(&self.forms, aliases);
        self.hits = self.catalog.article_hits(self.per_article.iter().map(Vec::as_slice));
        self.catalog.recount_articles(&self.hits);
    }
}
