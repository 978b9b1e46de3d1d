//! HTML pages: title, publication date, source and the main article text, with navigation,
//! scripts, footers and other boilerplate left out.
//!
//! Uses a real HTML parser (scraper/html5ever); never regexes over markup.

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html, Node, Selector};

use super::html_date::find_html_date;

/// What an HTML page yields before the importer applies the date fallbacks.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    /// The main text, paragraphs separated by blank lines.
    pub body: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
}

/// Parses a whole page. Fails only when the page holds neither a title nor any text.
pub fn parse_html(html: &str) -> Result<HtmlArticle, String> {
    let doc = Html::parse_document(html);
    let title = first_text(&doc, "title");
    let body = first_text(&doc, "body").unwrap_or_default();
    if title.is_none() && body.trim().is_empty() {
        return Err("HTML page has no title and no text".to_string());
    }
    let published = find_html_date(&doc, None);
    Ok(HtmlArticle {
        title,
        body,
        source: None,
        url: None,
        published,
    })
}

fn first_text(doc: &Html, css: &str) -> Option<String> {
    let selector = Selector::parse(css).ok()?;
    let element = doc.select(&selector).next()?;
    let text = visible_text(element);
    (!text.trim().is_empty()).then_some(text)
}

fn visible_text(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in element.descendants() {
        if let Node::Text(t) = node.value() {
            let skip = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript"))
            });
            if !skip {
                out.push_str(t);
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of an HTML fragment such as a feed or JSON description (`<p>Lead</p>`), entities decoded.
/// Plain strings without markup are returned unchanged without parsing.
pub fn fragment_to_text(fragment: &str) -> String {
    if !fragment.contains(['<', '&']) {
        return fragment.to_string();
    }
    let doc = Html::parse_fragment(fragment);
    let mut out = String::new();
    for node in doc.root_element().descendants() {
        if let Node::Text(t) = node.value() {
            out.push_str(t);
        } else if let Node::Element(e) = node.value()
            && matches!(e.name(), "p" | "br" | "div" | "li")
            && !out.ends_with(char::is_whitespace)
            && !out.is_empty()
        {
            out.push(' ');
        }
    }
    out.trim().to_string()
}
