//! HTML pages: title, publication date, source and the main article text, with navigation,
//! scripts, footers and other boilerplate left out.
//!
//! Uses a real HTML parser (scraper/html5ever); never regexes over markup. The text extraction
//! lives in `html/extract.rs`; this file reads the page's metadata and puts the article together.
//! Decoding bytes to text happens before this module (see the encoding detection in the
//! importer): everything here works on `&str`.

mod extract;
mod flat;
mod patterns;

use chrono::{DateTime, FixedOffset, Utc};
use scraper::{ElementRef, Html};

use super::html_date::find_html_date_and_recheck;

/// What an HTML page yields before the importer applies the date fallbacks.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    /// The main text, paragraphs separated by blank lines.
    pub body: String,
    /// Whether the main text opens with a heading (`<h1>`…`<h6>`), usually the headline.
    pub body_opens_with_heading: bool,
    pub source: Option<String>,
    pub url: Option<String>,
    /// In the offset the page wrote it with (UTC when it named none).
    pub published: Option<DateTime<FixedOffset>>,
    /// The rule that found `published` (see [`super::html_date::HtmlDate::detail`]).
    pub date_detail: Option<String>,
    /// When a date passed over for lying in the future becomes plausible.
    pub date_recheck: Option<DateTime<Utc>>,
}

/// Parses a whole page. Fails only when the page holds neither a title nor any text.
pub fn parse_html(html: &str) -> Result<HtmlArticle, String> {
    let doc = super::html_bounds::parse_document(html)?;
    let meta = PageMeta::read(&doc);
    let extract::MainText { text: body, opens_with_heading: body_opens_with_heading } = main_text(&doc);
    let url = meta.url();
    let title = meta.title();
    if title.is_none() && body.is_empty() {
        return Err("HTML page has no title and no text".to_string());
    }
    let source = meta.site_name.clone().or_else(|| url.as_deref().and_then(domain));
    let (found, date_recheck) = find_html_date_and_recheck(&doc, url.as_deref());
    let published = found.as_ref().map(|d| d.local);
    let date_detail = found.map(|d| d.detail);
    Ok(HtmlArticle { title, body, body_opens_with_heading, source, url, published, date_detail, date_recheck })
}

/// Below this many visible characters a page's article counts as missing (see [`main_text`]).
const NEARLY_EMPTY: usize = 200;

/// The page's main text; when the page shows almost none, the text of its largest `<noscript>`
/// block. Pages that draw the article with a script (blog templates, lazy loaders) often repeat
/// it there for readers without one; the parser keeps that markup as raw text, so it is parsed
/// once more on its own.
fn main_text(doc: &Html) -> extract::MainText {
    let main = extract::main_text(doc.tree.root());
    if flat::visible_len(&main.text) >= NEARLY_EMPTY {
        return main;
    }
    let noscript = doc
        .root_element()
        .descendent_elements()
        .filter(|e| e.value().name() == "noscript")
        .map(|e| e.text().collect::<String>())
        .max_by_key(|t| t.len());
    let Some(fallback) = noscript.and_then(|markup| super::html_bounds::parse_document(&markup).ok()) else {
        return main;
    };
    let alternative = extract::main_text(fallback.tree.root());
    if flat::visible_len(&alternative.text) > flat::visible_len(&main.text).max(NEARLY_EMPTY) {
        alternative
    } else {
        main
    }
}

/// The metadata a page declares in its markup, read in one pass.
#[derive(Debug, Default)]
struct PageMeta {
    og_title: Option<String>,
    html_title: Option<String>,
    first_h1: Option<String>,
    site_name: Option<String>,
    application_name: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
}

impl PageMeta {
    fn read(doc: &Html) -> Self {
        let mut meta = PageMeta::default();
        for element in doc.root_element().descendent_elements() {
            let e = element.value();
            match e.name() {
                "meta" => {
                    let key = e.attr("property").or_else(|| e.attr("name")).unwrap_or("").trim().to_ascii_lowercase();
                    let content = e.attr("content").map(clean).filter(|c| !c.is_empty());
                    let slot = match key.as_str() {
                        "og:title" => &mut meta.og_title,
                        "og:site_name" => &mut meta.site_name,
                        "og:url" => &mut meta.og_url,
                        "application-name" => &mut meta.application_name,
                        _ => continue,
                    };
                    if slot.is_none() {
                        *slot = content;
                    }
                }
                "link" if meta.canonical.is_none() => {
                    let canonical = e
                        .attr("rel")
                        .is_some_and(|rel| rel.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("canonical")));
                    if canonical {
                        meta.canonical = e.attr("href").map(clean).filter(|h| !h.is_empty());
                    }
                }
                // An SVG's `<title>` is a tooltip, not the page's.
                "title" if meta.html_title.is_none() && !inside_svg(element) => {
                    meta.html_title = Some(clean(&element.text().collect::<String>())).filter(|t| !t.is_empty());
                }
                "h1" if meta.first_h1.is_none() => {
                    meta.first_h1 = Some(clean(&element.text().collect::<String>())).filter(|t| !t.is_empty());
                }
                _ => {}
            }
        }
        meta
    }

    /// The canonical address: `<link rel=canonical>`, else `og:url`; relative links are no use
    /// for naming the source, so an absolute `og:url` wins over a relative canonical link.
    fn url(&self) -> Option<String> {
        let absolute = |u: &&String| u.starts_with("http://") || u.starts_with("https://");
        self.canonical
            .iter()
            .find(absolute)
            .or_else(|| self.og_url.iter().find(absolute))
            .or(self.canonical.as_ref())
            .or(self.og_url.as_ref())
            .cloned()
    }

    fn title(&self) -> Option<String> {
        if let Some(t) = &self.og_title {
            return Some(t.clone());
        }
        if let Some(t) = &self.html_title {
            let mut names: Vec<String> = Vec::new();
            names.extend(self.site_name.iter().cloned());
            names.extend(self.application_name.iter().cloned());
            if let Some(d) = self.url().as_deref().and_then(domain) {
                names.push(d);
            }
            return Some(strip_site_suffix(t, &names));
        }
        self.first_h1.clone()
    }
}

fn inside_svg(element: ElementRef<'_>) -> bool {
    element.ancestors().any(|a| a.value().as_element().is_some_and(|e| e.name() == "svg"))
}

/// Whitespace collapsed, ends trimmed.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Host of an absolute URL without `www.`, lowercased.
fn domain(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((_, rest)) => rest,
        None => url.strip_prefix("//")?,
    };
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?; // user info
    let host = host.split(':').next()?; // port
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (host.contains('.') && !host.is_empty()).then_some(host)
}

/// Separators sites put between the headline and their own name.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ", " / "];

/// Drops a trailing " | Site Name" when it names the site (its `og:site_name`, application name
/// or domain), leaving headlines that merely contain a dash alone.
fn strip_site_suffix(title: &str, site_names: &[String]) -> String {
    let Some((cut, sep)) =
        TITLE_SEPARATORS.iter().filter_map(|s| title.rfind(s).map(|i| (i, *s))).max_by_key(|&(i, _)| i)
    else {
        return title.to_string();
    };
    let head = title[..cut].trim();
    let tail = title[cut + sep.len()..].trim();
    if head.is_empty() {
        return title.to_string();
    }
    let tail_key = name_key(tail);
    let is_site = site_names.iter().any(|name| {
        let key = name_key(name);
        // "example.com" also names the site "Example".
        let domain_key = name.split('.').next().map(name_key).unwrap_or_default();
        !tail_key.is_empty() && (tail_key == key || (name.contains('.') && tail_key == domain_key))
    });
    if is_site { head.to_string() } else { title.to_string() }
}

/// Letters and digits only, lowercased: "Die PARTEI Lübeck" and "die-partei lübeck" compare equal.
fn name_key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests;
