//! The data model every other module speaks: an imported [`Article`], where it came from
//! ([`ArticleId`]) and where its date came from ([`DateSource`]).
//!
//! An `Article` is what one parser hands to the importer; it is deliberately plain data with no
//! knowledge of files, indexes or counting.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// A stable identity: the file, plus the position inside a multi-article file (JSON array, JSON
/// Lines, feed). Stable across re-imports as long as the file does not change. The articles of
/// one file share one path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ArticleId {
    pub path: Arc<Path>,
    /// `None` for single-article files, else the 0-based record number inside the file.
    pub index: Option<u32>,
}

impl ArticleId {
    pub fn single(path: impl Into<Arc<Path>>) -> Self {
        Self { path: path.into(), index: None }
    }

    pub fn nth(path: impl Into<Arc<Path>>, index: usize) -> Self {
        Self { path: path.into(), index: Some(u32::try_from(index).unwrap_or(u32::MAX)) }
    }
}

impl fmt::Display for ArticleId {
    /// `path` for single-article files, `path#N` for the N-th record of a multi-article file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            None => write!(f, "{}", self.path.display()),
            Some(i) => write!(f, "{}#{i}", self.path.display()),
        }
    }
}

/// Where an article's publication date was found, from most to least trustworthy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A header block, front matter, JSON field, HTML meta tag / JSON-LD / `<time>`, or feed date.
    Metadata,
    /// A date written in the file name, e.g. `2024-12-19-briefing.txt`.
    Filename,
    /// A dateline or the first full date near the top of the text.
    Text,
    /// The file's modification time: a guess, shown as uncertain.
    FileTime,
    /// No plausible date anywhere: the article counts in totals but sits on no time axis.
    #[default]
    None,
}

impl DateSource {
    pub const ALL: [DateSource; 5] = [Self::Metadata, Self::Filename, Self::Text, Self::FileTime, Self::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Metadata => "metadata",
            Self::Filename => "filename",
            Self::Text => "text",
            Self::FileTime => "file_time",
            Self::None => "none",
        }
    }

    /// A sentence for the article viewer explaining how far to trust the date.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Metadata => "from the file's metadata",
            Self::Filename => "from the file name",
            Self::Text => "found in the text",
            Self::FileTime => "file modification time (uncertain)",
            Self::None => "undated",
        }
    }
}

impl fmt::Display for DateSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The input formats the importer recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Json,
    JsonLines,
    Feed,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Json => "json",
            Self::JsonLines => "jsonl",
            Self::Feed => "feed",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One imported article.
///
/// `text` is what is counted and searched: for plain-text and Markdown files without a header
/// block the whole decoded text (Markdown markup stripped); for everything else the title, a
/// newline, then the body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    pub format: Format,
    pub title: String,
    pub text: String,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Publication time as the source wrote it, its UTC offset kept (UTC when it named none):
    /// the article's day is the calendar day at that offset. `None` when undated.
    pub published: Option<DateTime<FixedOffset>>,
    pub date_source: DateSource,
    /// The rule or field that found the date, for people: `meta article:published_time`,
    /// `json-ld datePublished`, `json publishedAt`, `url`, `text near title`, `file name` …
    /// `None` when undated.
    pub date_detail: Option<Cow<'static, str>>,
    /// When a date that was passed over for lying more than a day in the future becomes
    /// plausible: from then on the article may be dated differently, so a store reads its file
    /// again. `None` for almost every article.
    #[serde(default, skip_serializing)]
    pub date_recheck: Option<DateTime<Utc>>,
    /// Set when an import that only counts terms skipped decoding this article's text because
    /// it cannot mention them (see `ImportOptions::count_only`); `text` and `title` are empty.
    #[serde(default, skip_serializing)]
    pub text_skipped: bool,
    /// Byte ranges of `text` holding sentences its source repeats word for word in many
    /// articles (feed footers): counted, but left out of entity recognition (see
    /// `ingest::repeated`). Sorted, usually empty.
    #[serde(default, skip_serializing)]
    pub repeated: Vec<(u32, u32)>,
}

impl Article {
    pub fn path(&self) -> &Path {
        &self.id.path
    }
}

/// Joins a title and a body the way every structured format does: title, newline, body.
///
/// `opens_with_heading` says whether the body's first line is a heading (an HTML `<h1>`…`<h6>`,
/// a Markdown `# heading`). Such a heading that only repeats the title is dropped, so a
/// headline is not counted twice; a plain first line equal to the title is text like any other
/// and stays. The parsers say what a heading is, so the rule is the same in every format.
pub fn title_and_body(title: &str, body: &str, opens_with_heading: bool) -> String {
    let body = if opens_with_heading { strip_repeated_title(title, body) } else { body };
    let mut text = String::with_capacity(title.len() + 1 + body.len());
    text.push_str(title);
    text.push('\n');
    text.push_str(body);
    text
}

fn strip_repeated_title<'a>(title: &str, body: &'a str) -> &'a str {
    let trimmed = body.trim_start();
    let first_line = trimmed.lines().next().unwrap_or("");
    if !title.trim().is_empty() && first_line.trim() == title.trim() {
        trimmed[first_line.len()..].trim_start_matches(['\r', '\n'])
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_that_repeats_the_headline_is_not_counted_twice() {
        assert_eq!(title_and_body("Putin speaks", "Putin speaks\n\nBody.", true), "Putin speaks\nBody.");
        assert_eq!(
            title_and_body("Putin speaks", "Putin speaks at length.\nBody.", true),
            "Putin speaks\nPutin speaks at length.\nBody."
        );
        assert_eq!(title_and_body("", "Body", true), "\nBody");
    }

    /// Regression: a Markdown item whose first paragraph repeated its title counted the
    /// headline once, the same item as JSON twice. Only a heading is dropped, in every format.
    #[test]
    fn a_plain_first_line_that_equals_the_title_is_counted() {
        assert_eq!(
            title_and_body("Putin speaks", "Putin speaks\n\nBody.", false),
            "Putin speaks\nPutin speaks\n\nBody."
        );
    }
}
