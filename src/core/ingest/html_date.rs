//! Finding an HTML page's publication date. One walk gathers every piece of evidence a page
//! offers — declared dates (`<meta>` tags, JSON-LD, microdata), `<time>` and `<abbr>` elements,
//! elements whose class or id says they hold a date, the page's address, the publication date in
//! its scripts' data (data layers, app state), modification dates, the preview image's address,
//! and the dates written around the headline — then [`choose`] takes the most trustworthy, in the
//! spirit of the Python library htmldate's extensive mode.
//!
//! Each element is looked at with bounded work (element text is read only up to a few hundred
//! characters, scripts are searched for a fixed set of keys), so the cost is linear in the size
//! of the page.
//!
//! Only looks at the parsed document and its address; choosing between this and file-name or
//! file-time dates is the importer's job. Dates before 1995 (the web's infancy: they come from
//! zeroed timestamps and placeholder values) and dates more than a day in the future are ignored.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use memchr::memmem;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};
use serde_json::Value;

use super::dates::{full_dates, midnight, parse_date_keep_offset, plausible};

/// The earliest year a web page can plausibly have been published in.
const MIN_WEB_YEAR: i32 = 1995;
/// An element whose text is longer than this is a container, not a date line.
const MAX_DATE_TEXT: usize = 200;
/// Nodes an element holding a date may have: a date is a few words, perhaps in a few tags.
const MAX_DATE_NODES: usize = 64;
/// At most this many class-hinted elements are examined per page.
const MAX_HINTS: usize = 256;
/// How much visible text after (and before) the headline the text fallback reads.
const TEXT_AFTER_H1: usize = 2500;
const TEXT_BEFORE_H1: usize = 600;

/// Where on the page the date was found, from most to least trustworthy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HtmlDateSource {
    /// A `<meta>` publication tag, or the article's `datePublished` in JSON-LD.
    Meta,
    /// A `<time pubdate>` or an element marked `itemprop="datePublished"` in the body.
    Markup,
    /// A JSON-LD `datePublished` of something other than the article, or a creation date.
    Created,
    /// A date in the page's address (given, canonical or `og:url`).
    Url,
    /// A `<time>` element, or an element whose class or id says it holds a date
    /// (`published`, `entry-date`, `byline` …), the one nearest the headline.
    DateElement,
    /// The publication date in the data of the page's scripts (`"publish_date": "…"`).
    Script,
    /// A modification date: the last resort among declared dates.
    Modified,
    /// A date in the address of the page's preview image (`og:image`).
    ImageUrl,
    /// A written date in the visible text around the headline.
    Text,
}

/// A publication date found on a page, where, and by which rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HtmlDate {
    /// The instant in the offset the page wrote it with (UTC when it named none).
    pub local: DateTime<FixedOffset>,
    pub source: HtmlDateSource,
    /// The rule that found it, for people: `meta article:published_time`, `json-ld
    /// datePublished`, `url`, `text near title` …
    pub detail: String,
}

impl HtmlDate {
    pub fn utc(&self) -> DateTime<Utc> {
        self.local.with_timezone(&Utc)
    }
}

/// The publication date the page declares or shows, in UTC.
pub fn find_html_date(doc: &Html, url: Option<&str>) -> Option<DateTime<Utc>> {
    find_html_date_detailed(doc, url).map(|d| d.utc())
}

/// [`find_html_date`] with the page's own offset kept and the kind of evidence used.
pub fn find_html_date_detailed(doc: &Html, url: Option<&str>) -> Option<HtmlDate> {
    find_html_date_and_recheck(doc, url).0
}

/// [`find_html_date_detailed`], and when a date passed over for lying in the future becomes
/// plausible (after which the answer may change).
pub fn find_html_date_and_recheck(doc: &Html, url: Option<&str>) -> (Option<HtmlDate>, Option<DateTime<Utc>>) {
    let page = page_dates(doc, url, Utc::now());
    (choose(&page), page.recheck)
}

/// One piece of evidence for a page's date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub evidence: Evidence,
    /// The rule, as [`HtmlDate::detail`] names it.
    pub detail: String,
    pub local: DateTime<FixedOffset>,
    /// The element's position in document order (0 for the page's address).
    pub pos: usize,
}

/// What kind of evidence a [`Candidate`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// A `<meta>` publication tag; `generic` for names that say only "date" (`date`, `dc.date`).
    MetaPublished { generic: bool },
    /// A JSON-LD `datePublished`: of the page's article (an `…Article` or `…Posting` at the top
    /// of a script or its `@graph`), or of something else (the web page, a video, a list item).
    JsonLdPublished { article: bool },
    /// `itemprop="datePublished"` on a `<meta>` or on another element.
    ItempropPublished { meta: bool },
    /// A `<time pubdate>`, or a `<time>` whose class names a publication.
    TimePublished,
    /// A creation date (`dateCreated`, `dcterms.created` …).
    Created,
    /// The page's address (given, canonical or `og:url`).
    Url,
    /// A `<time>` or `<abbr>`, or an element whose class or id names a date; `strong` when the
    /// name says publication (`published`, `entry-date`, `byline` …).
    DateElement { strong: bool },
    /// A publication key in a script's data.
    Script,
    /// A modification date.
    Modified,
    /// The preview image's address.
    ImageUrl,
    /// A date written in the visible text, `distance` characters after (or before) the headline.
    Text { before: bool, distance: usize },
}

/// Everything a page says about its date.
#[derive(Clone, Debug, Default)]
pub struct PageDates {
    /// In document order within each kind.
    pub candidates: Vec<Candidate>,
    /// The position of the first `<h1>`.
    pub h1: Option<usize>,
    /// The earliest moment a date rejected as lying in the future becomes plausible.
    pub recheck: Option<DateTime<Utc>>,
}

/// Every candidate date of a page, gathered in one walk (plus one over the text around the
/// headline).
pub fn page_dates(doc: &Html, url: Option<&str>, now: DateTime<Utc>) -> PageDates {
    let mut walk = Walk { now, page: PageDates::default(), hints: 0, canonical: None, og_url: None, og_image: None };
    walk.collect(doc);
    walk.addresses(url);
    let h1 = walk.page.h1;
    for (date, before, distance) in text_near_headline(doc, h1) {
        if let Some(at) = walk.accept(midnight(date).fixed_offset()) {
            walk.push(Evidence::Text { before, distance }, "text near title", at, h1.unwrap_or(0));
        }
    }
    walk.page
}

/// A date written in a page address: `/2024/12/19/`, `/2020/jan/20/`, `2024-12-19`,
/// `-20241219-`, `-19-12-2024-`. Only the part after the host is read.
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let b = path.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let run_end = |mut i: usize| {
        while digit(i) {
            i += 1;
        }
        i
    };
    let num = |from: usize, to: usize| -> Option<u32> { path.get(from..to)?.parse().ok() };
    let is_sep = |c: Option<&u8>| matches!(c, Some(b'/' | b'-' | b'_' | b'.'));
    let mut i = 0;
    while i < b.len() {
        if !digit(i) || (i > 0 && digit(i - 1)) {
            i += 1;
            continue;
        }
        let end = run_end(i);
        let len = end - i;
        if len == 4 && is_sep(b.get(end)) {
            let year = num(i, end)?;
            // Month as digits or as an English name (`/2023/nov/8/`).
            let m_start = end + 1;
            let (month, m_end) = if digit(m_start) {
                let m_end = run_end(m_start);
                (num(m_start, m_end).filter(|_| m_end - m_start <= 2), m_end)
            } else {
                let m_end = m_start + b[m_start..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
                (path.get(m_start..m_end).and_then(english_month), m_end)
            };
            if let Some(month) = month
                && is_sep(b.get(m_end))
                && digit(m_end + 1)
            {
                let d_end = run_end(m_end + 1);
                if d_end - (m_end + 1) <= 2
                    && let Some(day) = calendar(year, month, num(m_end + 1, d_end)?)
                {
                    return Some(day);
                }
            }
        } else if len == 8 {
            if let Some(day) = calendar(num(i, i + 4)?, num(i + 4, i + 6)?, num(i + 6, end)?) {
                return Some(day);
            }
        } else if len == 2 && b.get(end) == Some(&b'-') && digit(end + 1) {
            // `-19-12-2024-` (day first, as French and Italian news addresses write it)
            let m_end = run_end(end + 1);
            if m_end - (end + 1) == 2 && b.get(m_end) == Some(&b'-') && run_end(m_end + 1) - (m_end + 1) == 4 {
                let y_end = m_end + 5;
                if let Some(day) = calendar(num(m_end + 1, y_end)?, num(end + 1, m_end)?, num(i, end)?) {
                    return Some(day);
                }
            }
        }
        i = end;
    }
    None
}

fn calendar(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    let y = i32::try_from(y).ok().filter(|y| (MIN_WEB_YEAR..=2100).contains(y))?;
    NaiveDate::from_ymd_opt(y, m, d)
}

fn english_month(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    if !(3..=9).contains(&word.len()) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let pos = NAMES.iter().position(|n| lower.starts_with(n))?;
    u32::try_from(pos + 1).ok()
}

type Stamp = DateTime<FixedOffset>;

/// What a `<meta>` tag's name says its content is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum MetaKind {
    Published,
    /// A publication date under a name that says only "date".
    Date,
    Created,
    Modified,
    PageUrl,
    ImageUrl,
}

fn meta_kind(key: &str) -> Option<MetaKind> {
    use MetaKind::*;
    let kind = match key {
        "article:published_time"
        | "article:published"
        | "article.published"
        | "article:published_date"
        | "og:published_time"
        | "og:article:published_time"
        | "article:post_date"
        | "datepublished"
        | "dc.date.issued"
        | "dc.date.published"
        | "dc.date.publication"
        | "dcterms.issued"
        | "dc.issued"
        | "sailthru.date"
        | "parsely-pub-date"
        | "pubdate"
        | "publishdate"
        | "publish-date"
        | "publish_date"
        | "published_date"
        | "published-date"
        | "published_time"
        | "publication_date"
        | "publication-date"
        | "publicationdate"
        | "publishdate_utc"
        | "citation_publication_date"
        | "citation_date"
        | "citation_online_date"
        | "cxenseparse:recs:publishtime"
        | "cxenseparse:publishtime"
        | "rnews:datepublished"
        | "bt:pubdate"
        | "date_published"
        | "displaydate"
        | "originalpublicationdate"
        | "original-publish-date"
        | "article_date_original"
        | "dc.date.available"
        | "prism.publicationdate"
        | "release_date"
        | "video:release_date"
        | "date.available"
        | "el:pubdate"
        | "content_publish_date"
        | "article:published_at"
        | "live_date"
        | "shareaholic:article_published_time"
        | "twt-published-at"
        | "vr:published_time"
        | "datepublishedutc" => Published,
        "date" | "dc.date" | "dc:date" | "dcterms.date" | "timestamp" | "doc_date" | "pdate" | "ptime"
        | "search_date" => Date,
        "datecreated"
        | "dc.created"
        | "dc.date.created"
        | "dcterms.created"
        | "created"
        | "content_create_date"
        | "article:created"
        | "create_date"
        | "dcterms.datecreated" => Created,
        "article:modified_time"
        | "article:modified"
        | "article:modified_date"
        | "og:updated_time"
        | "datemodified"
        | "lastmod"
        | "last-modified"
        | "last_modified"
        | "modified"
        | "dc.date.modified"
        | "dcterms.modified"
        | "article.updated"
        | "revised"
        | "updated_time"
        | "last_updated"
        | "lastupdate"
        | "article:updated_time"
        | "date.modified"
        | "eomportal-lastupdate"
        | "cxenseparse:recs:articlemodifiedtime"
        | "dateupdated" => Modified,
        "og:url" => PageUrl,
        "og:image" | "og:image:url" | "og:image:secure_url" | "twitter:image" => ImageUrl,
        _ => return None,
    };
    Some(kind)
}

/// Keys under which pages' scripts (data layers, analytics calls, serialised app state) hold
/// the publication date, compared without regard to case.
const SCRIPT_KEYS: &[&str] = &[
    "datepublished",
    "publishdate",
    "publish_date",
    "publishdatetime",
    "publishedat",
    "published_at",
    "publishedtime",
    "published_time",
    "publicationdate",
    "publication_date",
    "publication_time",
    "firstpublished",
    "first_published_at",
    "pubdate",
    "date_published",
    "articlepublishtime",
    "story_publish_date_time",
    "contentcreated",
    "createdate",
];

/// All [`SCRIPT_KEYS`] in one automaton; `None` only if it cannot be built, which fixed ASCII
/// keys never hit (scripts are then not searched rather than failing the import).
static SCRIPT_KEY_FINDER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(SCRIPT_KEYS).ok()
});

/// The walk over the tree that gathers candidates.
struct Walk {
    now: DateTime<Utc>,
    page: PageDates,
    /// Class-hinted elements examined so far.
    hints: usize,
    canonical: Option<String>,
    og_url: Option<String>,
    og_image: Option<String>,
}

impl Walk {
    fn accept(&mut self, at: Stamp) -> Option<Stamp> {
        let utc = at.with_timezone(&Utc);
        if let Some(from) = super::dates::PlausibleDates::until(self.now).accepts_from(utc) {
            self.page.recheck = Some(self.page.recheck.map_or(from, |r| r.min(from)));
        }
        (utc.year() >= MIN_WEB_YEAR && plausible(utc, self.now)).then_some(at)
    }

    fn parse(&mut self, value: &str) -> Option<Stamp> {
        let at = parse_date_keep_offset(value)?;
        self.accept(at)
    }

    fn push(&mut self, evidence: Evidence, detail: impl Into<String>, local: Stamp, pos: usize) {
        self.page.candidates.push(Candidate { evidence, detail: detail.into(), local, pos });
    }

    fn collect(&mut self, doc: &Html) {
        for (pos, node) in doc.root_element().descendants().enumerate() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let e = el.value();
            match e.name() {
                "meta" => self.meta_tag(e, pos),
                "link" => {
                    if self.canonical.is_none() && e.attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) {
                        self.canonical = e.attr("href").map(str::to_owned);
                    }
                }
                "script" => {
                    let text: String = el.text().collect();
                    if e.attr("type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) {
                        self.json_ld(&text, pos);
                    } else {
                        self.script(&text, pos);
                    }
                }
                "style" | "noscript" | "template" | "svg" | "head" | "html" | "title" => {}
                name => {
                    if name == "h1" && self.page.h1.is_none() {
                        self.page.h1 = Some(pos);
                    }
                    self.element(el, pos);
                }
            }
        }
    }

    /// The page's address, canonical address and preview image.
    fn addresses(&mut self, url: Option<&str>) {
        let addresses = [
            (url.map(str::to_owned), Evidence::Url, "url"),
            (self.canonical.take(), Evidence::Url, "canonical url"),
            (self.og_url.take(), Evidence::Url, "og:url"),
            (self.og_image.take(), Evidence::ImageUrl, "image url"),
        ];
        for (address, evidence, detail) in addresses {
            if let Some(at) = address.as_deref().and_then(date_from_url).and_then(|d| self.accept(midnight(d).into())) {
                self.push(evidence, detail, at, 0);
            }
        }
    }

    fn meta_tag(&mut self, e: &Element, pos: usize) {
        let Some(value) = e.attr("content").or_else(|| e.attr("datetime")).or_else(|| e.attr("value")) else {
            return;
        };
        let named = ["property", "name", "itemprop", "http-equiv"]
            .iter()
            .filter_map(|a| e.attr(a))
            .filter_map(|k| {
                let key = k.trim().to_ascii_lowercase();
                meta_kind(&key).map(|kind| (kind, key))
            })
            .min();
        let Some((kind, key)) = named else {
            return;
        };
        let itemprop = e.attr("itemprop").is_some_and(|p| p.trim().eq_ignore_ascii_case(&key));
        match kind {
            MetaKind::PageUrl => {
                if self.og_url.is_none() {
                    self.og_url = Some(value.to_owned());
                }
            }
            MetaKind::ImageUrl => {
                if self.og_image.is_none() {
                    self.og_image = Some(value.to_owned());
                }
            }
            _ => {
                let Some(at) = self.parse(value) else { return };
                let (evidence, detail) = match kind {
                    MetaKind::Published if itemprop => {
                        (Evidence::ItempropPublished { meta: true }, "itemprop datePublished".into())
                    }
                    MetaKind::Published => (Evidence::MetaPublished { generic: false }, format!("meta {key}")),
                    MetaKind::Date => (Evidence::MetaPublished { generic: true }, format!("meta {key}")),
                    MetaKind::Created => (Evidence::Created, format!("meta {key}")),
                    _ => (Evidence::Modified, format!("meta {key}")),
                };
                self.push(evidence, detail, at, pos);
            }
        }
    }

    fn json_ld(&mut self, text: &str, pos: usize) {
        match serde_json::from_str::<Value>(text.trim()) {
            Ok(v) => self.json_value(&v, 0, pos),
            // Hand-written JSON-LD is often invalid (raw newlines, trailing commas): fall back to
            // reading the first `"datePublished": "…"` pair.
            Err(_) => {
                if let Some(at) = json_string_after(text, "\"datePublished\"").and_then(|v| self.parse(v)) {
                    self.push(Evidence::JsonLdPublished { article: true }, "json-ld datePublished", at, pos);
                }
                if let Some(at) = json_string_after(text, "\"dateModified\"").and_then(|v| self.parse(v)) {
                    self.push(Evidence::Modified, "json-ld dateModified", at, pos);
                }
            }
        }
    }

    /// Walks JSON-LD. The article's own `datePublished` (an `…Article` or `…Posting` at the top,
    /// in `@graph` or one level down) is told apart from dates of other things (the web page, a
    /// video, items of a list).
    fn json_value(&mut self, v: &Value, depth: usize, pos: usize) {
        if depth > 6 {
            return;
        }
        match v {
            Value::Array(items) => {
                for item in items.iter().take(64) {
                    self.json_value(item, depth, pos);
                }
            }
            Value::Object(map) => {
                let article = map.get("@type").is_some_and(is_article_type) && depth <= 1;
                for (key, val) in map {
                    let date = |walk: &mut Self| val.as_str().and_then(|s| walk.parse(s));
                    match key.as_str() {
                        "datePublished" => {
                            if let Some(at) = date(self) {
                                self.push(Evidence::JsonLdPublished { article }, "json-ld datePublished", at, pos);
                            }
                        }
                        "dateCreated" | "uploadDate" => {
                            if let Some(at) = date(self) {
                                self.push(Evidence::Created, format!("json-ld {key}"), at, pos);
                            }
                        }
                        "dateModified" if depth <= 1 => {
                            if let Some(at) = date(self) {
                                self.push(Evidence::Modified, "json-ld dateModified", at, pos);
                            }
                        }
                        "@graph" => self.json_value(val, depth, pos),
                        _ if val.is_object() || val.is_array() => self.json_value(val, depth + 1, pos),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// The first value of each publication key in a script's data: `"publish_date":"…"`,
    /// `'Publish Date': '…'`, `push(["setContentCreated", "…"])`. One pass over the script.
    fn script(&mut self, text: &str, pos: usize) {
        let Some(keys) = SCRIPT_KEY_FINDER.as_ref() else { return };
        if text.len() < 12 {
            return;
        }
        let mut tries = [0u8; SCRIPT_KEYS.len()];
        let mut done = [false; SCRIPT_KEYS.len()];
        for m in keys.find_overlapping_iter(text) {
            let k = m.pattern().as_usize();
            if done[k] || tries[k] >= 4 {
                continue;
            }
            tries[k] += 1;
            // The key must be a whole name: not the tail of a longer one.
            let before = text.as_bytes()[..m.start()].last().copied();
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                continue;
            }
            if let Some(value) = script_value(&text[m.end()..])
                && let Some(stamp) = self.parse(value)
            {
                done[k] = true;
                self.push(Evidence::Script, format!("script {}", SCRIPT_KEYS[k]), stamp, pos);
            }
        }
    }

    fn element(&mut self, el: ElementRef<'_>, pos: usize) {
        let e = el.value();
        if let Some(prop) = e.attr("itemprop") {
            let prop = prop.to_ascii_lowercase();
            let kind = if prop.contains("datepublished") {
                Some((Evidence::ItempropPublished { meta: false }, "itemprop datePublished"))
            } else if prop.contains("datecreated") {
                Some((Evidence::Created, "itemprop dateCreated"))
            } else if prop.contains("datemodified") {
                Some((Evidence::Modified, "itemprop dateModified"))
            } else {
                None
            };
            if let Some((evidence, detail)) = kind {
                if let Some(at) = self.element_date(el) {
                    self.push(evidence, detail, at, pos);
                }
                return;
            }
        }
        let label = class_and_id(e);
        if matches!(e.name(), "time" | "abbr") {
            let Some(at) = self.element_date(el) else {
                return;
            };
            let publish =
                e.attr("pubdate").is_some() || contains_any(&label, &["publish", "entry-date", "post-date", "pubdate"]);
            let what = if e.name() == "time" { "time element" } else { "abbr element" };
            if publish {
                self.push(Evidence::TimePublished, format!("{what}, published"), at, pos);
            } else if contains_any(&label, &["updat", "modif"]) {
                self.push(Evidence::Modified, format!("{what}, updated"), at, pos);
            } else if self.hints < MAX_HINTS && !in_page_furniture(el) {
                self.hints += 1;
                self.push(Evidence::DateElement { strong: false }, what, at, pos);
            }
            return;
        }
        let Some(strong) = hint_strength(&label) else {
            // An element named for an update holds the modification date: the last resort when
            // the page says nothing else.
            if contains_any(&label, &["updat", "modif"]) && !contains_any(&label, &["comment", "related"]) {
                self.updated_element(el, pos);
            }
            return;
        };
        if self.hints >= MAX_HINTS || in_page_furniture(el) {
            return;
        }
        if let Some(at) = self.element_date(el) {
            self.hints += 1;
            self.push(Evidence::DateElement { strong }, "date element", at, pos);
        }
    }

    fn updated_element(&mut self, el: ElementRef<'_>, pos: usize) {
        if self.hints >= MAX_HINTS || in_page_furniture(el) {
            return;
        }
        if let Some(at) = self.element_date(el) {
            self.hints += 1;
            self.push(Evidence::Modified, "date element, updated", at, pos);
        }
    }

    /// The date an element holds: in a date attribute, else in its (short) text.
    fn element_date(&mut self, el: ElementRef<'_>) -> Option<Stamp> {
        const ATTRS: [&str; 12] = [
            "datetime",
            "content",
            "data-date-time",
            "data-datetime",
            "data-date",
            "data-published",
            "data-publish-date",
            "data-timestamp",
            "data-utime",
            "data-time",
            "value",
            "title",
        ];
        let e = el.value();
        let values: Vec<&str> = ATTRS.iter().filter_map(|a| e.attr(a)).collect();
        if let Some(at) = values.into_iter().find_map(|v| self.parse(v)) {
            return Some(at);
        }
        let text = short_text(el, MAX_DATE_TEXT)?;
        let dates = full_dates(&text, 4);
        if dates.is_empty() && text.split_whitespace().count() <= 6 {
            // A date line of its own may write the year with two digits (`Party, 30.10.23`).
            let date = two_digit_year_date(&text, self.now.date_naive())?;
            return self.accept(midnight(date).fixed_offset());
        }
        dates.into_iter().find_map(|d| self.accept(midnight(d).fixed_offset()))
    }
}

/// The quoted value after a script key: skips a closing quote, `:`, `=`, `,` and spaces, then
/// reads a `"…"` or `'…'` string of at most 40 characters.
fn script_value(after_key: &str) -> Option<&str> {
    let rest = after_key.trim_start_matches(['"', '\'', '\\']);
    let rest = rest.trim_start();
    let rest = rest.strip_prefix([':', '=', ','])?.trim_start();
    let rest = rest.trim_start_matches('\\');
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = &rest[1..];
    let end = value.find([quote, '\\'])?;
    (end <= 40).then(|| &value[..end])
}

/// A day written `D.M.YY` (`30.10.23`, `2.12.19`) and not part of a longer number: the century is
/// the one that puts it at most a year after `today`.
fn two_digit_year_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.')).find_map(|token| {
        let token = token.trim_matches('.');
        let parts: Vec<&str> = token.split('.').collect();
        let [d, m, y] = parts.as_slice() else { return None };
        let digits = |s: &str, max: usize| (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(d, 2) && digits(m, 2) && y.len() == 2 && digits(y, 2)) {
            return None;
        }
        let (d, m, y): (u32, u32, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
        let century = if 2000 + y <= today.year() + 1 { 2000 } else { 1900 };
        NaiveDate::from_ymd_opt(century + y, m, d)
    })
}

fn is_article_type(t: &Value) -> bool {
    let article =
        |s: &str| s.contains("Article") || s.contains("Posting") || matches!(s, "Report" | "Review" | "Recipe");
    match t {
        Value::String(s) => article(s),
        Value::Array(items) => items.iter().filter_map(Value::as_str).any(article),
        _ => false,
    }
}

/// The string value after `key` in possibly invalid JSON: `"key" : "value"`.
fn json_string_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let at = memmem::find(text.as_bytes(), key.as_bytes())? + key.len();
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(&rest[..end])
}

/// Class and id, lowercased, for keyword tests. Empty when the element has neither.
fn class_and_id(e: &Element) -> String {
    let mut s = String::new();
    for v in [e.attr("class"), e.attr("id")].into_iter().flatten() {
        s.push_str(&v.to_ascii_lowercase());
        s.push(' ');
    }
    s
}

fn contains_any(hay: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| hay.contains(n))
}

/// Whether a class/id marks a date: `Some(true)` for a publication date, `Some(false)` for a
/// generic date or byline, `None` for anything else (including update and comment dates).
fn hint_strength(label: &str) -> Option<bool> {
    if label.is_empty()
        || contains_any(label, &["updat", "modif", "comment", "related", "expir", "copyright", "calendar", "birth"])
    {
        return None;
    }
    if contains_any(
        label,
        &[
            "publish",
            "pubdate",
            "post-date",
            "postdate",
            "post_date",
            "entry-date",
            "article-date",
            "article__date",
            "story-date",
            "dateline",
            "posted-on",
            "posted_on",
            "byline",
            "date-posted",
        ],
    ) {
        return Some(true);
    }
    contains_any(label, &["date", "datum", "fecha", "time", "meta", "posted", "author", "info", "subline"])
        .then_some(false)
}

/// Navigation, footers and sidebars carry today's date, archives and teasers, not the article's.
fn in_page_furniture(el: ElementRef<'_>) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| matches!(a.value().name(), "nav" | "footer" | "aside"))
}

/// The element's text if it is at most `max` bytes, read without walking past the limit, nor
/// past [`MAX_DATE_NODES`] nodes: walking the whole subtree of every date-like element is
/// quadratic in nested ones.
fn short_text(el: ElementRef<'_>, max: usize) -> Option<String> {
    let mut out = String::new();
    for (seen, node) in el.descendants().enumerate() {
        if seen > MAX_DATE_NODES {
            return None;
        }
        let Node::Text(piece) = node.value() else { continue };
        if out.len() + piece.len() > max {
            return None;
        }
        out.push_str(piece);
    }
    let trimmed = out.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Written dates in the visible text after the first `<h1>` (up to [`TEXT_AFTER_H1`] bytes) and
/// before it (up to [`TEXT_BEFORE_H1`]), each with whether it lies before and its distance in
/// bytes from the headline's start; without a headline, from the start of the body.
///
/// `h1` is the headline's position in document order, as the walk found it: without it the
/// text before a headline further down would be taken for the top of the body.
fn text_near_headline(doc: &Html, h1: Option<usize>) -> Vec<(NaiveDate, bool, usize)> {
    let mut text = String::new();
    let mut h1_at: Option<usize> = None;
    for (pos, node) in doc.root_element().descendants().enumerate() {
        match node.value() {
            _ if Some(pos) == h1 => h1_at = Some(text.len()),
            Node::Text(t) => {
                let visible =
                    node.parent().and_then(|p| p.value().as_element().map(Element::name)).is_none_or(|name| {
                        !matches!(name, "script" | "style" | "noscript" | "template" | "title" | "option")
                    });
                if visible && !t.trim().is_empty() {
                    text.push_str(t);
                    text.push('\n');
                }
            }
            _ => {}
        }
        if text.len() > h1_at.unwrap_or(0) + TEXT_AFTER_H1 && (h1_at.is_some() || h1.is_none()) {
            break;
        }
    }
    let start = h1_at.unwrap_or(0);
    let mut dates: Vec<(NaiveDate, bool, usize)> = Vec::new();
    let after = slice_chars(&text, start, start + TEXT_AFTER_H1);
    dates.extend(dates_with_offsets(after, 8).into_iter().map(|(d, at)| (d, false, at)));
    if start > 0 {
        let from = start.saturating_sub(TEXT_BEFORE_H1);
        let before = slice_chars(&text, from, start);
        let len = before.len();
        dates.extend(dates_with_offsets(before, 8).into_iter().rev().map(|(d, at)| (d, true, len - at)));
    }
    dates
}

/// Up to `max` full dates in `text`, each with the byte offset of the line it starts on.
fn dates_with_offsets(text: &str, max: usize) -> Vec<(NaiveDate, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if out.len() >= max {
            break;
        }
        for date in full_dates(line, max - out.len()) {
            out.push((date, offset));
        }
        offset += line.len();
    }
    out
}

/// `text[from..to]`, both ends moved down to character boundaries and clamped to the text.
fn slice_chars(text: &str, from: usize, to: usize) -> &str {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    &text[floor(from)..floor(to)]
}

/// How far from the headline (in document positions) a date element or markup still belongs to
/// it when checking a declared date; teasers and comments lie further away.
const NEAR_HEADLINE: usize = 60;
/// How far (in bytes of visible text, before counting double) a written date still belongs to
/// the headline when checking a declared date.
const NEAR_HEADLINE_TEXT: usize = 600;

/// The publication date a page's evidence points to, by these rules, each tried only when the
/// ones before found nothing:
///
/// 1. **Declared**: `<meta>` publication tags, the JSON-LD `datePublished` of the page's article
///    (the first article object: later ones describe related articles or live-blog posts), and
///    `<meta itemprop="datePublished">`. When they disagree on the day, the ones the page itself
///    confirms — its address, or a date printed by the headline — are kept; of those the
///    earliest wins (later ones are republications or edits).
/// 2. **Markup** in the body: `itemprop="datePublished"`, `<time pubdate>` and elements named
///    as publication dates (`entry-date`, `published` …), the one nearest the headline: related
///    posts carry the same markup further down.
/// 3. Creation dates; 4. the page's address; 5. any date element, nearest the headline; 6. the
///    publication key of a script's data; 7. modification dates (only when nothing says when it
///    was published); 8. the preview image's address; 9. a written date near the headline, the
///    nearest (those before it count double the distance).
///
/// A declared, created or markup time written in UTC can fall on the day after (or before) the
/// one the page gives it: when the address or a date element right by the headline says the
/// day before and the UTC time is before noon (or the day after and the time is 14:00 or
/// later), the site's own day is taken, with the time unknown.
pub fn choose(page: &PageDates) -> Option<HtmlDate> {
    let (c, source) = pick(page)?;
    if matches!(source, HtmlDateSource::Meta | HtmlDateSource::Created | HtmlDateSource::Markup)
        && let Some(day) = own_day_across_midnight(page, c)
    {
        let detail = format!("{}, day from the page", c.detail);
        return Some(HtmlDate { local: midnight(day).fixed_offset(), source, detail });
    }
    Some(HtmlDate { local: c.local, source, detail: c.detail.clone() })
}

fn pick(page: &PageDates) -> Option<(&Candidate, HtmlDateSource)> {
    let first_article = page.candidates.iter().position(|c| c.evidence == Evidence::JsonLdPublished { article: true });
    let declared: Vec<&Candidate> = page
        .candidates
        .iter()
        .enumerate()
        .filter(|&(i, c)| match c.evidence {
            Evidence::MetaPublished { .. } | Evidence::ItempropPublished { meta: true } => true,
            Evidence::JsonLdPublished { article: true } => Some(i) == first_article,
            _ => false,
        })
        .map(|(_, c)| c)
        .collect();
    if let Some(first) = declared.first() {
        let agree = declared.iter().all(|c| c.local.date_naive() == first.local.date_naive());
        let own = if agree { Vec::new() } else { own_days(page) };
        let confirmed: Vec<&Candidate> =
            declared.iter().copied().filter(|c| own.contains(&c.local.date_naive())).collect();
        let pool = if confirmed.is_empty() { &declared } else { &confirmed };
        return pool.iter().copied().min_by_key(|c| c.local).map(|c| (c, HtmlDateSource::Meta));
    }
    // An element named as a publication date counts as markup right by the headline only: further
    // away it is as likely a teaser's.
    let markup = page.candidates.iter().filter(|c| match c.evidence {
        Evidence::ItempropPublished { meta: false } | Evidence::TimePublished => true,
        Evidence::DateElement { strong: true } => by_headline(c, page.h1),
        _ => false,
    });
    if let Some(c) = nearest(markup, page.h1, |_| 1) {
        return Some((c, HtmlDateSource::Markup));
    }
    let created = |e: &Evidence| matches!(e, Evidence::Created | Evidence::JsonLdPublished { article: false });
    if let Some(c) = of(page, created).min_by_key(|c| c.local) {
        return Some((c, HtmlDateSource::Created));
    }
    if let Some(c) = of(page, |e| *e == Evidence::Url).next() {
        return Some((c, HtmlDateSource::Url));
    }
    let weak_counts_triple = |e: &Evidence| if *e == (Evidence::DateElement { strong: false }) { 3 } else { 1 };
    if let Some(c) = nearest(of(page, |e| matches!(e, Evidence::DateElement { .. })), page.h1, weak_counts_triple) {
        return Some((c, HtmlDateSource::DateElement));
    }
    if let Some(c) = of(page, |e| *e == Evidence::Script).next() {
        return Some((c, HtmlDateSource::Script));
    }
    if let Some(c) = of(page, |e| *e == Evidence::Modified).min_by_key(|c| c.local) {
        return Some((c, HtmlDateSource::Modified));
    }
    if let Some(c) = of(page, |e| *e == Evidence::ImageUrl).next() {
        return Some((c, HtmlDateSource::ImageUrl));
    }
    of(page, |e| matches!(e, Evidence::Text { .. }))
        .min_by_key(|c| text_distance(&c.evidence))
        .map(|c| (c, HtmlDateSource::Text))
}

/// Whether an element lies by the headline: at most [`NEAR_HEADLINE`] positions after it, or half
/// that before it.
fn by_headline(c: &Candidate, h1: Option<usize>) -> bool {
    h1.is_some_and(|h1| c.pos + NEAR_HEADLINE / 2 > h1 && c.pos < h1 + NEAR_HEADLINE)
}

/// The days the page itself gives: its address, and the dates printed by the headline.
fn own_days(page: &PageDates) -> Vec<NaiveDate> {
    let own = |c: &Candidate| match c.evidence {
        Evidence::Text { .. } => text_distance(&c.evidence) < NEAR_HEADLINE_TEXT,
        Evidence::DateElement { .. } | Evidence::TimePublished | Evidence::ItempropPublished { meta: false } => {
            by_headline(c, page.h1)
        }
        Evidence::Url => true,
        _ => false,
    };
    page.candidates.iter().filter(|c| own(c)).map(|c| c.local.date_naive()).collect()
}

/// For a time written in UTC: the page's own day when it is the day before or after (see
/// [`choose`]).
fn own_day_across_midnight(page: &PageDates, c: &Candidate) -> Option<NaiveDate> {
    use chrono::Timelike;
    if c.local.offset().local_minus_utc() != 0 || c.local.time() == chrono::NaiveTime::MIN {
        return None;
    }
    let day = c.local.date_naive();
    let hour = c.local.hour();
    let firm = |o: &Candidate| match (o.evidence, page.h1) {
        (Evidence::Url, _) => true,
        (Evidence::DateElement { .. }, Some(h1)) => o.pos.abs_diff(h1) < 40,
        _ => false,
    };
    page.candidates.iter().filter(|o| firm(o)).map(|o| o.local.date_naive()).find(|&own| {
        let delta = (own - day).num_days();
        (delta == -1 && hour < 12) || (delta == 1 && hour >= 14)
    })
}

/// A written date's distance from the headline, dates before it counting double.
fn text_distance(e: &Evidence) -> usize {
    match *e {
        Evidence::Text { before: true, distance } => distance.saturating_mul(2),
        Evidence::Text { before: false, distance } => distance,
        _ => usize::MAX,
    }
}

/// The candidates whose evidence `keep` accepts, in the order they were found.
fn of<'p>(page: &'p PageDates, keep: impl Fn(&Evidence) -> bool + 'p) -> impl Iterator<Item = &'p Candidate> + 'p {
    page.candidates.iter().filter(move |c| keep(&c.evidence))
}

/// The candidate nearest the headline, its distance multiplied by `weight`: a date printed right
/// under (or above) the title belongs to the article, while dates further away belong to
/// teasers, comments or the site's header. Elements before the headline count double.
fn nearest<'c>(
    items: impl Iterator<Item = &'c Candidate>,
    h1: Option<usize>,
    weight: impl Fn(&Evidence) -> usize,
) -> Option<&'c Candidate> {
    items.min_by_key(|c| {
        let distance = match h1 {
            Some(h) if c.pos >= h => c.pos - h,
            Some(h) => (h - c.pos).saturating_mul(2),
            None => c.pos,
        };
        distance.saturating_mul(weight(&c.evidence))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(html: &str) -> Option<String> {
        day_at(html, None)
    }

    fn day_at(html: &str, url: Option<&str>) -> Option<String> {
        let doc = Html::parse_document(html);
        find_html_date(&doc, url).map(|d| d.format("%Y-%m-%d").to_string())
    }

    fn source(html: &str) -> Option<HtmlDateSource> {
        find_html_date_detailed(&Html::parse_document(html), None).map(|d| d.source)
    }

    #[test]
    fn meta_published_time() {
        let html = r#"<html><head><meta property="article:published_time" content="2017-09-01T10:00:00+00:00"></head><body></body></html>"#;
        assert_eq!(day(html).as_deref(), Some("2017-09-01"));
        assert_eq!(source(html), Some(HtmlDateSource::Meta));
    }

    #[test]
    fn published_beats_modified_and_earliest_publication_wins() {
        let html = r#"<head>
            <meta property="article:modified_time" content="2023-11-05T10:00:00Z">
            <meta name="date" content="2023-11-03">
            <meta itemprop="datePublished" content="2023-11-02T19:20:45+07:00">
            </head>"#;
        assert_eq!(day(html).as_deref(), Some("2023-11-02"));
    }

    #[test]
    fn modified_only_as_last_resort() {
        let html =
            r#"<head><meta property="og:updated_time" content="2023-11-05T10:00:00Z"></head><body><p>Text</p></body>"#;
        assert_eq!(day(html).as_deref(), Some("2023-11-05"));
        assert_eq!(source(html), Some(HtmlDateSource::Modified));
    }

    #[test]
    fn json_ld_graph() {
        let html = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","name":"x"},
            {"@type":"NewsArticle","datePublished":"2023-10-31T08:00:00+01:00","dateModified":"2023-11-01T08:00:00+01:00"}]}</script>"#;
        assert_eq!(day(html).as_deref(), Some("2023-10-31"));
    }

    #[test]
    fn broken_json_ld_still_read() {
        let html = "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"a\nb\",\"datePublished\": \"2023-10-30\",}</script>";
        assert_eq!(day(html).as_deref(), Some("2023-10-30"));
    }

    #[test]
    fn time_element_and_classes() {
        let html = r#"<body><nav><span class="date">Thursday, November 9, 2023</span></nav>
            <h1>Title</h1><div class="byline">By A. Writer | October 3, 2023</div>
            <div class="related"><span class="date">June 1, 2021</span></div></body>"#;
        assert_eq!(day(html).as_deref(), Some("2023-10-03"));
        let html = r#"<body><h1>T</h1><time class="entry-date published" datetime="2019-12-10T07:00:00+01:00">10. Dezember 2019</time>
            <time class="updated" datetime="2020-01-10T07:00:00+01:00"></time></body>"#;
        assert_eq!(day(html).as_deref(), Some("2019-12-10"));
        assert_eq!(source(html), Some(HtmlDateSource::Markup));
    }

    #[test]
    fn data_attribute_on_a_date_span() {
        let html = r#"<body><h2>제목</h2><span class="media_end_head_info_datestamp_time" data-date-time="2023-11-02 20:06:13">2023.11.02. 오후 8:06</span></body>"#;
        assert_eq!(day(html).as_deref(), Some("2023-11-02"));
    }

    #[test]
    fn url_dates() {
        let d = |u| date_from_url(u).map(|d| d.to_string());
        assert_eq!(d("https://www.salon.com/2023/11/09/why-is/").as_deref(), Some("2023-11-09"));
        assert_eq!(d("https://www.theguardian.com/education/2020/jan/20/thousands").as_deref(), Some("2020-01-20"));
        assert_eq!(d("https://www.yomiuri.co.jp/world/20231102-OYT1T50240/").as_deref(), Some("2023-11-02"));
        assert_eq!(d("http://www.xinhuanet.com/local/2020-02/19/c_1125597921.htm").as_deref(), Some("2020-02-19"));
        assert_eq!(
            d("https://www.leparisien.fr/meteo/tempete-ciaran-02-11-2023-XVZ4H2T3.php").as_deref(),
            Some("2023-11-02")
        );
        assert_eq!(d("https://www.dobszay.ch/2016-04-15/was-ist/").as_deref(), Some("2016-04-15"));
        assert_eq!(d("https://example.org/2020/02/"), None);
        assert_eq!(d("https://www.sohu.com/a/733320600_429139"), None);
        assert_eq!(d("https://20231102.example.org/x"), None);
        let page = r#"<head><link rel="canonical" href="https://www.denverpost.com/2023/11/08/colorado-high-school/"></head><body><p>x</p></body>"#;
        assert_eq!(day(page).as_deref(), Some("2023-11-08"));
        assert_eq!(day_at("<p>x</p>", Some("https://blog.example/2015/04/05/barcamp/")).as_deref(), Some("2015-04-05"));
    }

    #[test]
    fn written_date_under_the_headline() {
        let html = "<body><div>Menu</div><h1>Ein Titel</h1><p>Veröffentlicht am 3. Februar 2020 von Anna</p><p>Am 1. Mai 2019 war etwas.</p></body>";
        assert_eq!(day(html).as_deref(), Some("2020-02-03"));
        assert_eq!(source(html), Some(HtmlDateSource::Text));
    }

    /// Regression: the text window stopped after 2,500 characters when no headline had been
    /// seen yet, so a headline below a long menu never got its date.
    #[test]
    fn a_date_under_a_headline_below_a_long_menu_is_found() {
        let menu = "<li>Menüpunkt mit etwas Text</li>".repeat(150);
        let html = format!("<body><ul>{menu}</ul><h1>Das Hermelin</h1><p>01. November 2021 | Naturschutz</p></body>");
        assert_eq!(day(&html).as_deref(), Some("2021-11-01"));
    }

    #[test]
    fn a_date_line_may_write_the_year_with_two_digits() {
        let today = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(two_digit_year_date("Party, 30.10.23", today), NaiveDate::from_ymd_opt(2023, 10, 30));
        assert_eq!(two_digit_year_date("2.12.99", today), NaiveDate::from_ymd_opt(1999, 12, 2));
        assert_eq!(two_digit_year_date("Version 1.2.3", today), None);
        assert_eq!(two_digit_year_date("30.10.2023", today), None);
        assert_eq!(two_digit_year_date("31.02.23", today), None);
        let html = r#"<body><h1>Kostüme</h1><div class="date"> Party, 30.10.23 </div><p>Text</p></body>"#;
        assert_eq!(day(html).as_deref(), Some("2023-10-30"));
    }

    #[test]
    fn an_update_date_is_the_last_resort() {
        let html = r#"<body><h1>T</h1><span class="updated" title="2013-04-04T18:52:11+00:00"></span><p>x</p></body>"#;
        assert_eq!(source(html), Some(HtmlDateSource::Modified));
        assert_eq!(day(html).as_deref(), Some("2013-04-04"));
    }

    #[test]
    fn implausible_dates_are_skipped() {
        let html = r#"<head><meta name="date" content="1970-01-01T00:00:00Z"><meta name="pubdate" content="2999-01-01">
            <meta property="article:modified_time" content="2020-05-05"></head>"#;
        assert_eq!(day(html).as_deref(), Some("2020-05-05"));
        assert_eq!(day("<html><body><p>nothing</p></body></html>"), None);
    }

    #[test]
    fn offsets_convert_to_the_utc_day() {
        let html = r#"<meta property="article:published_time" content="2023-11-08T21:30:00-05:00">"#;
        assert_eq!(day(html).as_deref(), Some("2023-11-09"));
        let local =
            find_html_date_detailed(&Html::parse_document(html), None).map(|d| d.local.date_naive().to_string());
        assert_eq!(local.as_deref(), Some("2023-11-08"));
    }
}
