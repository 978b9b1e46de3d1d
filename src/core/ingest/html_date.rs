//! Finding an HTML page's publication date, in the spirit of the Python library htmldate's fast
//! mode: declared dates first (`<meta>` tags, JSON-LD, `<time>` and microdata), then the page's
//! address, then elements whose class says they hold a date near the headline, modification dates
//! as a last resort among declared ones, and finally a written date in the visible text around the
//! headline.
//!
//! One walk over the parsed tree collects every candidate with bounded work per element (element
//! text is read only up to a few hundred characters), so the cost is linear in the page size. The
//! visible-text fallback walks the tree a second time, only when nothing else was found.
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
    /// A modification date: the last resort among declared dates.
    Modified,
    /// A date in the address of the page's preview image (`og:image`).
    ImageUrl,
    /// A written date in the visible text around the headline.
    Text,
}

/// A publication date found on a page, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HtmlDate {
    /// The instant in the offset the page wrote it with (UTC when it named none).
    pub local: DateTime<FixedOffset>,
    pub source: HtmlDateSource,
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
    let mut found = Candidates::new(Utc::now());
    found.collect(doc);
    let recheck = std::rc::Rc::clone(&found.recheck);
    let date = found.choose(doc, url);
    (date, recheck.get())
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
        | "date"
        | "dc.date"
        | "dc:date"
        | "dc.date.issued"
        | "dc.date.published"
        | "dc.date.publication"
        | "dcterms.date"
        | "dcterms.issued"
        | "dcterms.created"
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
        | "publishdate_utc"
        | "citation_publication_date"
        | "citation_date"
        | "citation_online_date"
        | "cxenseparse:recs:publishtime"
        | "cxenseparse:publishtime"
        | "timestamp"
        | "rnews:datepublished"
        | "bt:pubdate"
        | "date_published"
        | "displaydate"
        | "doc_date"
        | "pdate"
        | "ptime"
        | "search_date"
        | "shareaholic:article_published_time"
        | "twt-published-at"
        | "vr:published_time"
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
        | "datepublishedutc" => Published,
        "datecreated"
        | "dc.created"
        | "dc.date.created"
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

struct Hint {
    pos: usize,
    strong: bool,
    at: Stamp,
}

/// Every candidate date on a page, gathered in one walk.
struct Candidates {
    now: DateTime<Utc>,
    /// The earliest moment a date rejected as lying in the future becomes plausible.
    /// (Shared, so it can still be read after `choose` consumed the candidates.)
    recheck: std::rc::Rc<std::cell::Cell<Option<DateTime<Utc>>>>,
    meta: Option<Stamp>,
    markup: Vec<(usize, Stamp)>,
    created: Option<Stamp>,
    modified: Option<Stamp>,
    hints: Vec<Hint>,
    h1: Option<usize>,
    canonical: Option<String>,
    og_url: Option<String>,
    og_image: Option<String>,
}

impl Candidates {
    fn new(now: DateTime<Utc>) -> Self {
        Self {
            now,
            recheck: std::rc::Rc::default(),
            meta: None,
            markup: Vec::new(),
            created: None,
            modified: None,
            hints: Vec::new(),
            h1: None,
            canonical: None,
            og_url: None,
            og_image: None,
        }
    }

    fn accept(&self, at: Stamp) -> Option<Stamp> {
        let utc = at.with_timezone(&Utc);
        if let Some(from) = super::dates::PlausibleDates::until(self.now).accepts_from(utc) {
            self.recheck.set(Some(self.recheck.get().map_or(from, |r| r.min(from))));
        }
        (utc.year() >= MIN_WEB_YEAR && plausible(utc, self.now)).then_some(at)
    }

    fn parse(&self, value: &str) -> Option<Stamp> {
        self.accept(parse_date_keep_offset(value)?)
    }

    /// Keeps the earliest: with several publication dates, the first publication is the one an
    /// article belongs to (later ones are republications or edits).
    fn keep_earliest(slot: &mut Option<Stamp>, at: Stamp) {
        if slot.is_none_or(|s| at < s) {
            *slot = Some(at);
        }
    }

    fn collect(&mut self, doc: &Html) {
        for (pos, node) in doc.root_element().descendants().enumerate() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let e = el.value();
            match e.name() {
                "meta" => self.meta_tag(e),
                "link" => {
                    if self.canonical.is_none() && e.attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) {
                        self.canonical = e.attr("href").map(str::to_owned);
                    }
                }
                "script" => {
                    if e.attr("type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) {
                        let text: String = el.text().collect();
                        self.json_ld(&text);
                    }
                }
                "style" | "noscript" | "template" | "svg" | "head" | "html" | "title" => {}
                name => {
                    if name == "h1" && self.h1.is_none() {
                        self.h1 = Some(pos);
                    }
                    self.element(el, pos);
                }
            }
        }
    }

    fn meta_tag(&mut self, e: &Element) {
        let Some(value) = e.attr("content").or_else(|| e.attr("datetime")).or_else(|| e.attr("value")) else {
            return;
        };
        let kind = ["property", "name", "itemprop", "http-equiv"]
            .iter()
            .filter_map(|a| e.attr(a))
            .filter_map(|k| meta_kind(&k.trim().to_ascii_lowercase()))
            .min();
        match kind {
            Some(MetaKind::Published) => {
                if let Some(at) = self.parse(value) {
                    Self::keep_earliest(&mut self.meta, at);
                }
            }
            Some(MetaKind::Created) => {
                if let Some(at) = self.parse(value) {
                    Self::keep_earliest(&mut self.created, at);
                }
            }
            Some(MetaKind::Modified) => {
                if let Some(at) = self.parse(value) {
                    Self::keep_earliest(&mut self.modified, at);
                }
            }
            Some(MetaKind::PageUrl) if self.og_url.is_none() => self.og_url = Some(value.to_owned()),
            Some(MetaKind::ImageUrl) if self.og_image.is_none() => {
                self.og_image = Some(value.to_owned());
            }
            Some(MetaKind::PageUrl | MetaKind::ImageUrl) => {}
            None => {}
        }
    }

    fn json_ld(&mut self, text: &str) {
        match serde_json::from_str::<Value>(text.trim()) {
            Ok(v) => self.json_value(&v, 0),
            // Hand-written JSON-LD is often invalid (raw newlines, trailing commas): fall back to
            // reading the first `"datePublished": "…"` pair.
            Err(_) => {
                if let Some(at) = json_string_after(text, "\"datePublished\"").and_then(|v| self.parse(v)) {
                    Self::keep_earliest(&mut self.meta, at);
                }
                if let Some(at) = json_string_after(text, "\"dateModified\"").and_then(|v| self.parse(v)) {
                    Self::keep_earliest(&mut self.modified, at);
                }
            }
        }
    }

    /// Walks JSON-LD. The article's own `datePublished` (an `…Article` or `…Posting` at the top,
    /// in `@graph` or one level down) counts as declared metadata; dates of other things (the web
    /// page, a video, items of a list) only as creation dates.
    fn json_value(&mut self, v: &Value, depth: usize) {
        if depth > 6 {
            return;
        }
        match v {
            Value::Array(items) => {
                for item in items.iter().take(64) {
                    self.json_value(item, depth);
                }
            }
            Value::Object(map) => {
                let article = map.get("@type").is_some_and(is_article_type);
                for (key, val) in map {
                    match key.as_str() {
                        "datePublished" => {
                            if let Some(at) = val.as_str().and_then(|s| self.parse(s)) {
                                if article && depth <= 1 {
                                    Self::keep_earliest(&mut self.meta, at);
                                } else {
                                    Self::keep_earliest(&mut self.created, at);
                                }
                            }
                        }
                        "dateCreated" | "uploadDate" => {
                            if let Some(at) = val.as_str().and_then(|s| self.parse(s)) {
                                Self::keep_earliest(&mut self.created, at);
                            }
                        }
                        "dateModified" if depth <= 1 => {
                            if let Some(at) = val.as_str().and_then(|s| self.parse(s)) {
                                Self::keep_earliest(&mut self.modified, at);
                            }
                        }
                        "@graph" => self.json_value(val, depth),
                        _ if val.is_object() || val.is_array() => self.json_value(val, depth + 1),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn element(&mut self, el: ElementRef<'_>, pos: usize) {
        let e = el.value();
        if let Some(prop) = e.attr("itemprop") {
            let prop = prop.to_ascii_lowercase();
            let slot = if prop.contains("datepublished") {
                Some(MetaKind::Published)
            } else if prop.contains("datecreated") {
                Some(MetaKind::Created)
            } else if prop.contains("datemodified") {
                Some(MetaKind::Modified)
            } else {
                None
            };
            if let Some(kind) = slot {
                if let Some(at) = self.element_date(el) {
                    match kind {
                        MetaKind::Published => self.markup.push((pos, at)),
                        MetaKind::Created => Self::keep_earliest(&mut self.created, at),
                        _ => Self::keep_earliest(&mut self.modified, at),
                    }
                }
                return;
            }
        }
        let label = class_and_id(e);
        if e.name() == "time" {
            let Some(at) = self.element_date(el) else {
                return;
            };
            let publish =
                e.attr("pubdate").is_some() || contains_any(&label, &["publish", "entry-date", "post-date", "pubdate"]);
            if publish {
                self.markup.push((pos, at));
            } else if contains_any(&label, &["updat", "modif"]) {
                Self::keep_earliest(&mut self.modified, at);
            } else if self.hints.len() < MAX_HINTS && !in_page_furniture(el) {
                self.hints.push(Hint { pos, strong: false, at });
            }
            return;
        }
        let Some(strong) = hint_strength(&label) else {
            return;
        };
        if self.hints.len() >= MAX_HINTS || in_page_furniture(el) {
            return;
        }
        if let Some(at) = self.element_date(el) {
            self.hints.push(Hint { pos, strong, at });
        }
    }

    /// The date an element holds: in a date attribute, else in its (short) text.
    fn element_date(&self, el: ElementRef<'_>) -> Option<Stamp> {
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
        if let Some(at) = ATTRS.iter().filter_map(|a| e.attr(a)).find_map(|v| self.parse(v)) {
            return Some(at);
        }
        let text = short_text(el, MAX_DATE_TEXT)?;
        full_dates(&text, 4).into_iter().find_map(|d| self.accept(midnight(d).fixed_offset()))
    }

    fn choose(self, doc: &Html, url: Option<&str>) -> Option<HtmlDate> {
        let found = |local, source| Some(HtmlDate { local, source });
        if let Some(at) = self.meta {
            return found(at, HtmlDateSource::Meta);
        }
        if let Some(at) = nearest(self.markup.iter().map(|(p, at)| (*p, false, *at)), self.h1) {
            return found(at, HtmlDateSource::Markup);
        }
        if let Some(at) = self.created {
            return found(at, HtmlDateSource::Created);
        }
        let from_url = |u: &str| date_from_url(u).and_then(|d| self.accept(midnight(d).fixed_offset()));
        let page_url = url
            .and_then(from_url)
            .or_else(|| self.canonical.as_deref().and_then(from_url))
            .or_else(|| self.og_url.as_deref().and_then(from_url));
        if let Some(at) = page_url {
            return found(at, HtmlDateSource::Url);
        }
        if let Some(at) = nearest(self.hints.iter().map(|h| (h.pos, h.strong, h.at)), self.h1) {
            return found(at, HtmlDateSource::DateElement);
        }
        if let Some(at) = self.modified {
            return found(at, HtmlDateSource::Modified);
        }
        if let Some(at) = self.og_image.as_deref().and_then(from_url) {
            return found(at, HtmlDateSource::ImageUrl);
        }
        text_near_headline(doc)
            .into_iter()
            .find_map(|d| self.accept(midnight(d).fixed_offset()))
            .and_then(|at| found(at, HtmlDateSource::Text))
    }
}

/// The candidate nearest the headline: a date printed right under (or above) the title belongs
/// to the article, while dates further away belong to teasers, comments or the site's header.
/// Dates after the headline are preferred, and so are elements whose class names a publication.
fn nearest(items: impl Iterator<Item = (usize, bool, Stamp)>, h1: Option<usize>) -> Option<Stamp> {
    items
        .min_by_key(|&(pos, strong, _)| {
            let distance = match h1 {
                Some(h) if pos >= h => pos - h,
                Some(h) => (h - pos).saturating_mul(2),
                None => pos,
            };
            distance.saturating_mul(if strong { 1 } else { 3 })
        })
        .map(|(_, _, at)| at)
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

/// Written dates in the visible text just after the first `<h1>` (then just before it); without
/// a headline, at the start of the body.
fn text_near_headline(doc: &Html) -> Vec<NaiveDate> {
    let mut text = String::new();
    let mut h1_at: Option<usize> = None;
    for node in doc.root_element().descendants() {
        match node.value() {
            Node::Element(e) if e.name() == "h1" && h1_at.is_none() => h1_at = Some(text.len()),
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
        let limit = h1_at.unwrap_or(0) + TEXT_AFTER_H1;
        if text.len() > limit && (h1_at.is_some() || text.len() > TEXT_AFTER_H1) {
            break;
        }
    }
    let h1 = h1_at.unwrap_or(0);
    let after = slice_chars(&text, h1, h1 + TEXT_AFTER_H1);
    let mut dates = full_dates(after, 8);
    if h1 > 0 {
        dates.extend(full_dates(slice_chars(&text, h1.saturating_sub(TEXT_BEFORE_H1), h1), 8).into_iter().rev());
    }
    dates
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
