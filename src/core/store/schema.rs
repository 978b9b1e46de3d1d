//! The store's tantivy schema: which fields a stored article and a stored file have, and the
//! conversions between them and Presswatch's own types. Nothing outside `core/store/` sees a
//! tantivy type.
//!
//! One tantivy index holds three kinds of documents, so that one commit changes all of them
//! together: an **article** (metadata, its text stored and indexed as our words with positions,
//! its entity forms as terms whose frequencies are mention counts), a **file** (the stamp that
//! tells whether the file changed, the format and the reasons anything in it was skipped), and a
//! **walk problem** (a folder or link the walk could not read). A file and its articles share the
//! `path` term, so deleting that term removes a file's whole contribution at once.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Offset, Utc};
use tantivy::schema::{
    BytesOptions, Field, INDEXED, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{TantivyDocument, Term};

use crate::core::article::{Article, ArticleId, DateSource, Format};
use crate::core::entities::EntityKind;
use crate::core::entities::canonical::ArticleEntities;
use crate::core::index::ArticleMeta;
use crate::core::ingest::{FileStamp, Skipped};

/// The name the word tokenizer is registered under.
pub const WORDS_TOKENIZER: &str = "presswatch_words";

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    Article = 0,
    File = 1,
    WalkProblem = 2,
}

/// The schema's fields, looked up once.
#[derive(Clone, Debug)]
pub struct Fields {
    pub kind: Field,
    /// The file's path relative to the folder, as raw bytes (paths need not be UTF-8).
    pub path: Field,
    /// Only on file documents: the same bytes, so a file's stamp can be replaced alone.
    pub file_key: Field,
    /// An article's record number in its file plus one; 0 for a single-article file.
    pub record: Field,
    pub format: Field,
    pub title: Field,
    pub source: Field,
    pub url: Field,
    /// Stored, and indexed as our words with frequencies and positions.
    pub text: Field,
    /// Nanoseconds since 1970, UTC; absent when undated.
    pub published: Field,
    /// The UTC offset the date was written with, in seconds east (the day is the calendar day
    /// there); absent when undated.
    pub offset: Field,
    pub date_source: Field,
    /// The rule or field that found the date (`Article::date_detail`); absent when undated.
    pub date_detail: Field,
    /// `Article::repeated`: byte ranges as little-endian `u32` pairs; absent when none.
    pub repeated: Field,
    /// When the update that stored the article ran (ns since 1970): what is new since a visit.
    pub added: Field,
    /// Words in the text's first line: where a query's `title:` field ends.
    pub title_words: Field,
    /// The source and its outlet (see `core::sources`), trimmed and lower-cased, as terms: a
    /// query's `source:` filter.
    pub source_key: Field,
    /// The outlet's name, as a fast column: sources by article without reading documents.
    pub outlet: Field,
    /// An article's entity forms as terms whose frequencies are mention counts: per form, one
    /// term per recognised type and one per surface spelling (see [`EntityTerm`]).
    pub entities: Field,
    // File documents.
    pub len: Field,
    pub modified: Field,
    pub hash: Field,
    /// When the stamp was taken (ns since 1970): a file modified just before that may change
    /// again without its time changing, so its hash is compared next time.
    pub checked: Field,
    /// When a date passed over for lying in the future becomes plausible (ns since 1970).
    pub recheck: Field,
    /// 1 when an article of the file is dated by the file's modification time.
    pub file_time: Field,
    /// On files a limit kept out (wholly or in part): the fingerprint of the limits then.
    pub limits: Field,
    pub articles: Field,
    /// Reasons, one value each (file and walk-problem documents).
    pub skipped: Field,
    /// 1 on documents that carry skipped reasons, so they can be listed without a full scan.
    pub has_skipped: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fast_u64 = || NumericOptions::default().set_fast().set_stored();
    let words = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions)
                .set_fieldnorms(false),
        )
        .set_stored();
    // Entity fields get pre-tokenized values; the tokenizer name is never used for them.
    let counted_terms = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false),
    );
    let fields = Fields {
        kind: b.add_u64_field("kind", NumericOptions::default().set_indexed().set_fast()),
        path: b.add_bytes_field("path", BytesOptions::default().set_indexed().set_fast().set_stored()),
        file_key: b.add_bytes_field("file_key", BytesOptions::default().set_indexed()),
        record: b.add_u64_field("record", fast_u64()),
        format: b.add_u64_field("format", fast_u64()),
        title: b.add_text_field("title", STORED),
        source: b.add_text_field("source", STORED),
        url: b.add_text_field("url", STORED),
        text: b.add_text_field("text", words),
        published: b.add_i64_field("published", NumericOptions::default().set_fast().set_stored()),
        offset: b.add_i64_field("offset", NumericOptions::default().set_fast().set_stored()),
        date_source: b.add_u64_field("date_source", fast_u64()),
        date_detail: b.add_text_field("date_detail", STORED),
        repeated: b.add_bytes_field("repeated", STORED),
        added: b.add_i64_field("added", NumericOptions::default().set_fast()),
        title_words: b.add_u64_field("title_words", NumericOptions::default().set_fast()),
        source_key: b.add_text_field(
            "source_key",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            ),
        ),
        outlet: b.add_text_field("outlet", TextOptions::default().set_fast("raw")),
        entities: b.add_text_field("entities", counted_terms),
        len: b.add_u64_field("len", fast_u64()),
        modified: b.add_i64_field("modified", NumericOptions::default().set_fast().set_stored()),
        hash: b.add_u64_field("hash", fast_u64()),
        checked: b.add_i64_field("checked", NumericOptions::default().set_fast()),
        recheck: b.add_i64_field("recheck", NumericOptions::default().set_fast()),
        file_time: b.add_u64_field("file_time", NumericOptions::default().set_fast()),
        limits: b.add_u64_field("limits", NumericOptions::default().set_fast()),
        articles: b.add_u64_field("articles", fast_u64()),
        skipped: b.add_text_field("skipped", STORED),
        has_skipped: b.add_u64_field("has_skipped", INDEXED),
    };
    (b.build(), fields)
}

/// A path relative to the folder, as the bytes the store keeps.
pub fn path_key(relative: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        relative.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        // Windows paths are UTF-16; the rare unpaired surrogate is replaced.
        relative.to_string_lossy().into_owned().into_bytes()
    }
}

/// The inverse of [`path_key`].
pub fn key_path(key: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(key))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(key).into_owned())
    }
}

impl Fields {
    pub fn kind_term(&self, kind: DocKind) -> Term {
        Term::from_field_u64(self.kind, kind as u64)
    }

    pub fn path_term(&self, key: &[u8]) -> Term {
        Term::from_field_bytes(self.path, key)
    }

    pub fn file_key_term(&self, key: &[u8]) -> Term {
        Term::from_field_bytes(self.file_key, key)
    }

    pub fn has_skipped_term(&self) -> Term {
        Term::from_field_u64(self.has_skipped, 1)
    }

    /// An article as a document. `key` is its file's [`path_key`].
    pub fn article_doc(
        &self,
        key: &[u8],
        article: &Article,
        entities: &ArticleEntities,
        added_ns: i64,
    ) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_u64(self.kind, DocKind::Article as u64);
        doc.add_i64(self.added, added_ns);
        doc.add_bytes(self.path, key);
        doc.add_u64(self.record, article.id.index.map_or(0, |i| u64::from(i) + 1));
        doc.add_u64(self.format, format_code(article.format));
        doc.add_text(self.title, &article.title);
        if let Some(source) = &article.source {
            doc.add_text(self.source, source);
            let outlet = crate::core::sources::outlet(source);
            for key in crate::core::query::syntax::source_keys(source) {
                doc.add_text(self.source_key, key);
            }
            doc.add_text(self.outlet, outlet);
        }
        doc.add_u64(self.title_words, crate::core::query::eval::title_words(&article.text) as u64);
        if let Some(url) = &article.url {
            doc.add_text(self.url, url);
        }
        doc.add_text(self.text, &article.text);
        if let Some(p) = article.published
            && let Some(ns) = p.timestamp_nanos_opt()
        {
            doc.add_i64(self.published, ns);
            doc.add_i64(self.offset, i64::from(p.offset().local_minus_utc()));
        }
        doc.add_u64(self.date_source, date_source_code(article.date_source));
        if let Some(detail) = &article.date_detail {
            doc.add_text(self.date_detail, detail);
        }
        if !article.repeated.is_empty() {
            let bytes: Vec<u8> =
                article.repeated.iter().flat_map(|&(s, e)| [s.to_le_bytes(), e.to_le_bytes()]).flatten().collect();
            doc.add_bytes(self.repeated, &bytes);
        }
        doc.add_pre_tokenized_text(self.entities, entity_terms(entities));
        doc
    }

    /// A file's stamp and outcome as a document.
    pub fn file_doc(&self, key: &[u8], file: &StoredFile) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_u64(self.kind, DocKind::File as u64);
        doc.add_bytes(self.path, key);
        doc.add_bytes(self.file_key, key);
        doc.add_u64(self.len, file.stamp.len);
        doc.add_i64(self.modified, file.stamp.modified_ns);
        doc.add_u64(self.hash, file.stamp.hash);
        doc.add_i64(self.checked, file.checked_ns);
        if let Some(at) = file.recheck_ns {
            doc.add_i64(self.recheck, at);
        }
        doc.add_u64(self.file_time, u64::from(file.file_time));
        if let Some(fingerprint) = file.limits {
            doc.add_u64(self.limits, fingerprint);
        }
        if let Some(format) = file.format {
            doc.add_u64(self.format, format_code(format));
        }
        doc.add_u64(self.articles, file.articles);
        self.add_skipped(&mut doc, &file.skipped);
        doc
    }

    /// Something the walk could not read, as a document.
    pub fn walk_problem_doc(&self, key: &[u8], reason: &str) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_u64(self.kind, DocKind::WalkProblem as u64);
        doc.add_bytes(self.path, key);
        self.add_skipped(&mut doc, std::slice::from_ref(&reason.to_string()));
        doc
    }

    fn add_skipped(&self, doc: &mut TantivyDocument, reasons: &[String]) {
        for reason in reasons {
            doc.add_text(self.skipped, reason);
        }
        if !reasons.is_empty() {
            doc.add_u64(self.has_skipped, 1);
        }
    }

    /// The stored article, its text included. `root` is the folder as the caller named it.
    pub fn article(&self, root: &Path, doc: &TantivyDocument) -> Option<Article> {
        let meta = self.article_meta(root, doc)?;
        Some(Article {
            id: meta.id,
            format: meta.format,
            title: meta.title,
            text: self.text_of(doc, self.text).unwrap_or_default(),
            source: meta.source,
            url: meta.url,
            published: meta.published,
            date_source: meta.date_source,
            date_detail: meta.date_detail,
            date_recheck: None,
            text_skipped: false,
            repeated: self.repeated_of(doc),
        })
    }

    /// The stored article's metadata. `root` is the folder as the caller named it.
    pub fn article_meta(&self, root: &Path, doc: &TantivyDocument) -> Option<ArticleMeta> {
        use tantivy::schema::Value;
        let key = doc.get_first(self.path)?.as_bytes()?;
        let path: std::sync::Arc<Path> = join(root, key).into();
        let record = doc.get_first(self.record).and_then(|v| v.as_u64()).unwrap_or(0);
        let id = match record {
            0 => ArticleId::single(path),
            n => ArticleId::nth(path, (n - 1) as usize),
        };
        let offset = doc.get_first(self.offset).and_then(|v| v.as_i64());
        let published = doc.get_first(self.published).and_then(|v| v.as_i64()).map(|ns| published_at(ns, offset));
        Some(ArticleMeta {
            id,
            format: format_from(doc.get_first(self.format).and_then(|v| v.as_u64()).unwrap_or(0)),
            title: self.text_of(doc, self.title).unwrap_or_default(),
            source: self.text_of(doc, self.source),
            url: self.text_of(doc, self.url),
            published,
            date_source: date_source_from(doc.get_first(self.date_source).and_then(|v| v.as_u64()).unwrap_or(4)),
            date_detail: self.text_of(doc, self.date_detail).map(std::borrow::Cow::Owned),
        })
    }

    /// The skipped reasons a file or walk-problem document carries, with the path they concern.
    pub fn skipped_of(&self, root: &Path, doc: &TantivyDocument) -> Vec<Skipped> {
        use tantivy::schema::Value;
        let Some(key) = doc.get_first(self.path).and_then(|v| v.as_bytes()) else { return Vec::new() };
        let path = join(root, key);
        doc.get_all(self.skipped)
            .filter_map(|v| v.as_str().map(str::to_string))
            .map(|reason| Skipped { path: path.clone(), reason })
            .collect()
    }

    fn repeated_of(&self, doc: &TantivyDocument) -> Vec<(u32, u32)> {
        use tantivy::schema::Value;
        let Some(bytes) = doc.get_first(self.repeated).and_then(|v| v.as_bytes()) else { return Vec::new() };
        let word = |c: &[u8]| c.try_into().map(u32::from_le_bytes).unwrap_or(0);
        bytes.chunks_exact(8).map(|pair| (word(&pair[..4]), word(&pair[4..]))).collect()
    }

    fn text_of(&self, doc: &TantivyDocument, field: Field) -> Option<String> {
        use tantivy::schema::Value;
        doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
    }
}

/// A stored publication time: nanoseconds since 1970 (UTC) in the offset it was written with.
pub fn published_at(ns: i64, offset_seconds: Option<i64>) -> DateTime<FixedOffset> {
    let offset =
        offset_seconds.and_then(|s| i32::try_from(s).ok()).and_then(FixedOffset::east_opt).unwrap_or_else(|| Utc.fix());
    DateTime::<Utc>::from_timestamp_nanos(ns).with_timezone(&offset)
}

/// The folder path joined with a stored relative path, as the walk would have produced it.
pub fn join(root: &Path, key: &[u8]) -> PathBuf {
    if key.is_empty() {
        // The folder is a single file.
        root.to_path_buf()
    } else {
        root.join(key_path(key))
    }
}

/// What the store keeps of one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredFile {
    pub stamp: FileStamp,
    pub checked_ns: i64,
    pub recheck_ns: Option<i64>,
    pub file_time: bool,
    /// The [`crate::core::ingest::Limits::fingerprint`] of the limits that kept the file, or
    /// records of it, out; `None` when none did.
    pub limits: Option<u64>,
    pub format: Option<Format>,
    pub articles: u64,
    pub skipped: Vec<String>,
}

pub fn format_code(format: Format) -> u64 {
    match format {
        Format::Text => 0,
        Format::Markdown => 1,
        Format::Html => 2,
        Format::Json => 3,
        Format::JsonLines => 4,
        Format::Feed => 5,
    }
}

pub fn format_from(code: u64) -> Format {
    match code {
        1 => Format::Markdown,
        2 => Format::Html,
        3 => Format::Json,
        4 => Format::JsonLines,
        5 => Format::Feed,
        _ => Format::Text,
    }
}

pub fn date_source_code(source: DateSource) -> u64 {
    match source {
        DateSource::Metadata => 0,
        DateSource::Filename => 1,
        DateSource::Text => 2,
        DateSource::FileTime => 3,
        DateSource::None => 4,
    }
}

pub fn date_source_from(code: u64) -> DateSource {
    match code {
        0 => DateSource::Metadata,
        1 => DateSource::Filename,
        2 => DateSource::Text,
        3 => DateSource::FileTime,
        _ => DateSource::None,
    }
}

/// One letter per entity type in the terms below.
pub fn kind_letter(kind: EntityKind) -> char {
    match kind {
        EntityKind::Person => 'P',
        EntityKind::Organization => 'O',
        EntityKind::Location => 'L',
        EntityKind::Misc => 'M',
    }
}

pub fn kind_from_letter(letter: u8) -> Option<EntityKind> {
    Some(match letter {
        b'P' => EntityKind::Person,
        b'O' => EntityKind::Organization,
        b'L' => EntityKind::Location,
        b'M' => EntityKind::Misc,
        _ => return None,
    })
}

/// One term of the `entities` field. Its text is the form's type letter, the name's length in
/// bytes as eight hex digits, the name, then `k` and the recognised type's letter, or `s` and a
/// surface spelling. Names and spellings may hold any character, and all terms of one form share
/// one prefix, so in the sorted term dictionary they come together, and forms come sorted by
/// type, name length and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityTerm<'a> {
    Kind { form: EntityKind, name: &'a str, recognised: EntityKind },
    Surface { form: EntityKind, name: &'a str, surface: &'a str },
}

impl<'a> EntityTerm<'a> {
    pub fn text(&self) -> String {
        let (form, name) = self.form();
        let mut s = format!("{}{:08x}{name}", kind_letter(form), name.len());
        match self {
            EntityTerm::Kind { recognised, .. } => {
                s.push('k');
                s.push(kind_letter(*recognised));
            }
            EntityTerm::Surface { surface, .. } => {
                s.push('s');
                s.push_str(surface);
            }
        }
        s
    }

    pub fn parse(term: &'a [u8]) -> Option<Self> {
        let form = kind_from_letter(*term.first()?)?;
        let len = usize::from_str_radix(std::str::from_utf8(term.get(1..9)?).ok()?, 16).ok()?;
        let name = std::str::from_utf8(term.get(9..9 + len)?).ok()?;
        let rest = term.get(9 + len + 1..)?;
        match term.get(9 + len)? {
            b'k' if rest.len() == 1 => Some(EntityTerm::Kind { form, name, recognised: kind_from_letter(rest[0])? }),
            b's' => Some(EntityTerm::Surface { form, name, surface: std::str::from_utf8(rest).ok()? }),
            _ => None,
        }
    }

    /// The form the term belongs to: its type and name.
    pub fn form(&self) -> (EntityKind, &'a str) {
        match *self {
            EntityTerm::Kind { form, name, .. } | EntityTerm::Surface { form, name, .. } => (form, name),
        }
    }
}

/// Tantivy drops longer terms; entity names never come near this.
const MAX_ENTITY_TERM: usize = 60_000;

/// An article's entity forms as tokens: a token repeated `n` times has frequency `n`.
fn entity_terms(entities: &ArticleEntities) -> PreTokenizedString {
    let mut tokens: Vec<Token> = Vec::new();
    let mut push = |term: EntityTerm<'_>, times: u64| {
        let text = term.text();
        if text.len() > MAX_ENTITY_TERM {
            return;
        }
        for _ in 0..times {
            let position = tokens.len();
            tokens.push(Token { offset_from: 0, offset_to: 0, position, text: text.clone(), position_length: 1 });
        }
    };
    for f in &entities.forms {
        for recognised in [EntityKind::Person, EntityKind::Organization, EntityKind::Location, EntityKind::Misc] {
            let n = f.kinds.get(recognised);
            if n > 0 {
                push(EntityTerm::Kind { form: f.kind, name: &f.name, recognised }, n);
            }
        }
        for surface in &f.surfaces {
            push(EntityTerm::Surface { form: f.kind, name: &f.name, surface: &surface.text }, surface.mentions);
        }
    }
    PreTokenizedString { text: String::new(), tokens }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_terms_read_back_whatever_the_names_hold() {
        for name in ["Vladimir Putin", "", "a\u{1f}b", "00000003xyz", "Ünïcode", "ks"] {
            let term = EntityTerm::Kind { form: EntityKind::Person, name, recognised: EntityKind::Location };
            assert_eq!(EntityTerm::parse(term.text().as_bytes()), Some(term));
            for surface in ["Putin", "", "x\u{1f}y", "kP"] {
                let term = EntityTerm::Surface { form: EntityKind::Misc, name, surface };
                assert_eq!(EntityTerm::parse(term.text().as_bytes()), Some(term));
            }
        }
        assert_eq!(EntityTerm::parse(b"X"), None);
        assert_eq!(EntityTerm::parse(b"P00000003abcq"), None);
        assert_eq!(EntityTerm::parse(b"P00000003abckPX"), None);
    }

    #[test]
    fn the_terms_of_one_form_sort_together() {
        let term = |name, tag: &str| {
            let t = if let Some(surface) = tag.strip_prefix('s') {
                EntityTerm::Surface { form: EntityKind::Person, name, surface }
            } else {
                EntityTerm::Kind { form: EntityKind::Person, name, recognised: EntityKind::Person }
            };
            t.text()
        };
        let mut terms = [term("Putin", "sPutin"), term("Putin Jr", "k"), term("Putin", "k"), term("Putin", "s!")];
        terms.sort();
        let names: Vec<_> = terms.iter().map(|t| EntityTerm::parse(t.as_bytes()).unwrap().form().1).collect();
        assert_eq!(names, ["Putin", "Putin", "Putin", "Putin Jr"]);
    }

    #[test]
    fn codes_round_trip() {
        for f in [Format::Text, Format::Markdown, Format::Html, Format::Json, Format::JsonLines, Format::Feed] {
            assert_eq!(format_from(format_code(f)), f);
        }
        for d in DateSource::ALL {
            assert_eq!(date_source_from(date_source_code(d)), d);
        }
    }

    #[test]
    fn paths_round_trip() {
        for p in ["a/b.txt", "ü/ä.json", ""] {
            assert_eq!(key_path(&path_key(Path::new(p))), PathBuf::from(p));
        }
    }
}
