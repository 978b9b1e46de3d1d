//! RSS 2.0 (and RSS 1.0/RDF) and Atom feeds: one article per `<item>` / `<entry>`.
//!
//! The channel or feed title becomes each article's source unless the item names its own.
//! Descriptions often hold escaped HTML; it is reduced to text like any other fragment.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

use super::Draft;
use super::fragment::fragment_text;

#[derive(Default)]
struct Item {
    title: Option<String>,
    link: Option<String>,
    summary: Option<String>,
    content: Option<String>,
    date: Option<String>,
    updated: Option<String>,
    /// The elements `date` and `updated` came from, for [`Draft::date_detail`].
    date_element: Option<&'static str>,
    updated_element: Option<&'static str>,
    source: Option<String>,
}

impl Item {
    fn into_draft(self, feed_title: Option<&str>) -> Draft {
        let title = self.title.map(|t| fragment_text(&t).into_owned()).unwrap_or_default();
        let raw_body = self.content.or(self.summary);
        let body = raw_body.as_deref().map(|b| fragment_text(b).into_owned()).unwrap_or_default();
        let heading = raw_body.as_deref().is_some_and(super::fragment::opens_with_heading);
        Draft {
            text: crate::core::article::title_and_body(&title, &body, heading),
            title,
            source: self.source.or_else(|| feed_title.map(str::to_string)),
            url: self.link,
            date_detail: if self.date.is_some() { self.date_element } else { self.updated_element }
                .map(std::borrow::Cow::Borrowed),
            date_value: self.date.or(self.updated),
            ..Draft::default()
        }
    }

    /// The field a child element of an item fills, by its local name.
    fn field(&mut self, name: &str) -> Option<&mut Option<String>> {
        Some(match name {
            "title" => &mut self.title,
            "link" => &mut self.link,
            "description" | "summary" => &mut self.summary,
            "encoded" | "content" => &mut self.content,
            "pubDate" | "published" | "date" | "issued" => &mut self.date,
            "updated" | "modified" => &mut self.updated,
            "source" => &mut self.source,
            _ => return None,
        })
    }
}

/// How `articles --json` names a feed's date element.
fn date_element(name: &str) -> Option<&'static str> {
    Some(match name {
        "pubDate" => "feed pubDate",
        "published" => "feed published",
        "date" => "feed dc:date",
        "issued" => "feed issued",
        "updated" => "feed updated",
        "modified" => "feed modified",
        _ => return None,
    })
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Parses a feed. Fails on malformed XML or when the document is not a feed.
pub fn parse_feed(xml: &str) -> Result<Vec<Draft>, String> {
    let mut reader = Reader::from_str(xml);
    let mut drafts = Vec::new();
    let mut feed_title: Option<String> = None;
    let mut root_seen = false;
    let mut item: Option<Item> = None;
    // The field being filled: its name and how deep we are inside it (nested XHTML content).
    let mut capture: Option<(String, usize, String)> = None;
    let mut in_feed_title = false;
    let mut depth = 0usize;
    loop {
        if super::budget::exhausted() {
            // Abandoned: the importer reports the file, whatever was read so far.
            break;
        }
        let event = reader.read_event().map_err(|e| format!("broken XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = local(e.name().as_ref()).to_string();
                if !root_seen {
                    if !matches!(name.as_str(), "rss" | "feed" | "RDF") {
                        return Err(format!("XML root <{}> is not an RSS or Atom feed", name));
                    }
                    root_seen = true;
                    continue;
                }
                if let Some((_, nested, buf)) = capture.as_mut() {
                    *nested += 1;
                    separate_blocks(buf, &name);
                } else if matches!(name.as_str(), "item" | "entry") {
                    item = Some(Item::default());
                } else if let Some(it) = item.as_mut() {
                    if name == "link"
                        && let Some(href) = link_href(&e)
                    {
                        it.link.get_or_insert(href);
                    }
                    if it.field(&name).is_some() {
                        capture = Some((name, 0, String::new()));
                    }
                } else if name == "title" && feed_title.is_none() && depth <= 3 {
                    in_feed_title = true;
                    capture = Some((name, 0, String::new()));
                }
            }
            Event::Empty(e) => {
                let name = local(e.name().as_ref()).to_string();
                if let (Some(it), "link", None) = (item.as_mut(), name.as_str(), capture.as_ref())
                    && let Some(href) = link_href(&e)
                {
                    it.link.get_or_insert(href);
                }
            }
            Event::Text(t) => {
                if let Some((_, _, buf)) = capture.as_mut() {
                    buf.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, _, buf)) = capture.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, buf)) = capture.as_mut() {
                    push_reference(buf, &r);
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let name = local(e.name().as_ref()).to_string();
                match capture.as_mut() {
                    Some((_, nested, buf)) if *nested > 0 => {
                        *nested -= 1;
                        separate_blocks(buf, &name);
                    }
                    Some(_) => {
                        if let Some((field, _, text)) = capture.take() {
                            let text = text.trim().to_string();
                            if in_feed_title {
                                in_feed_title = false;
                                feed_title = Some(fragment_text(&text).into_owned()).filter(|t| !t.is_empty());
                            } else if let Some(it) = item.as_mut()
                                && let Some(slot) = it.field(&field)
                                && slot.is_none()
                                && !text.is_empty()
                            {
                                *slot = Some(text);
                                match field.as_str() {
                                    "updated" | "modified" => it.updated_element = date_element(&field),
                                    _ => it.date_element = it.date_element.or(date_element(&field)),
                                }
                            }
                        }
                    }
                    None if matches!(name.as_str(), "item" | "entry") => {
                        if let Some(it) = item.take() {
                            drafts.push(it.into_draft(feed_title.as_deref()));
                        }
                    }
                    None => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err("XML holds no feed".to_string());
    }
    if depth != 0 {
        return Err("broken XML: the document ends inside an element".to_string());
    }
    Ok(drafts)
}

/// Inline XHTML content: block elements separate words, inline ones (`<b>`, `<a>`) do not.
fn separate_blocks(buf: &mut String, name: &str) {
    let block = super::fragment::is_block(name);
    if block && !buf.is_empty() && !buf.ends_with(char::is_whitespace) {
        buf.push('\n');
    }
}

fn link_href(e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    let mut href = None;
    let mut alternate = true;
    for attr in e.attributes().flatten() {
        let value = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?.into_owned();
        match local(attr.key.as_ref()) {
            "href" => href = Some(value),
            "rel" => alternate = value == "alternate",
            _ => {}
        }
    }
    href.filter(|_| alternate)
}

/// `&amp;`, `&#233;` and the other XML references; unknown (HTML) entities are kept as written so
/// the HTML fragment decoder can resolve them.
fn push_reference(buf: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        buf.push(c);
        return;
    }
    let name: &str = r;
    match quick_xml::escape::resolve_predefined_entity(name) {
        Some(s) => buf.push_str(s),
        None => {
            buf.push('&');
            buf.push_str(name);
            buf.push(';');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items() {
        let xml = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Meridian News</title>
            <item><title>Putin &amp; Trump</title><link>https://m.example/1</link>
            <description>&lt;p&gt;Lead &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;</description>
            <pubDate>Thu, 19 Dec 2024 12:00:00 GMT</pubDate></item>
            <item><title><![CDATA[Kursk <update>]]></title><description><![CDATA[<p>Text&nbsp;here</p>]]></description></item>
            </channel></rss>"#;
        let d = parse_feed(xml).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].title, "Putin & Trump");
        assert_eq!(d[0].text, "Putin & Trump\nLead bold");
        assert_eq!(d[0].source.as_deref(), Some("Meridian News"));
        assert_eq!(d[0].url.as_deref(), Some("https://m.example/1"));
        assert_eq!(d[0].date_value.as_deref(), Some("Thu, 19 Dec 2024 12:00:00 GMT"));
        assert_eq!(d[1].text, "Kursk\nText\u{a0}here");
    }

    #[test]
    fn atom_entries() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Baltic Wire</title>
            <entry><title>Oreshnik</title><link rel="alternate" href="https://b.example/o"/>
            <updated>2024-11-22T10:00:00Z</updated><published>2024-11-21T09:00:00+02:00</published>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First</p><p>second</p></div></content></entry></feed>"#;
        let d = parse_feed(xml).unwrap();
        assert_eq!(d[0].url.as_deref(), Some("https://b.example/o"));
        assert_eq!(d[0].date_value.as_deref(), Some("2024-11-21T09:00:00+02:00"));
        assert_eq!(d[0].text, "Oreshnik\nFirst\nsecond");
        assert_eq!(d[0].source.as_deref(), Some("Baltic Wire"));
    }

    #[test]
    fn broken_and_foreign_xml() {
        assert!(parse_feed("<rss><channel><item><title>x</title></channel>").is_err());
        assert!(parse_feed("<html><body/></html>").unwrap_err().contains("not an RSS"));
        assert!(parse_feed("<rss><channel><title>t</title>").is_err());
    }
}
