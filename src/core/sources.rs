//! Outlets: the readable name of an article's source. RSS exports and news APIs often give the
//! feed's URL as the source (`https://feeds.npr.org/1001/rss.xml`); people think in outlets
//! (`npr.org`). A source that is a URL becomes its registrable domain — the host without the
//! subdomains a site puts its feeds on, by the public-suffix list (`feeds.bbci.co.uk` →
//! `bbci.co.uk`, `feeds.a.dj.com` → `dj.com`); any other source stays as it is, trimmed. The raw
//! source is always kept beside it.
//!
//! Not done here: mapping domains to brand names (`bbci.co.uk` → "BBC"), which needs a table
//! nobody keeps current.

use std::borrow::Cow;

/// The outlet a source names: its registrable domain when it is a URL, else the source itself.
pub fn outlet(source: &str) -> Cow<'_, str> {
    let source = source.trim();
    match host(source).and_then(|h| registrable(&h)) {
        Some(domain) => Cow::Owned(domain),
        None => Cow::Borrowed(source),
    }
}

/// The host of a URL (`scheme://host…` or `//host…`), lower-cased.
fn host(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            rest
        }
        _ => url.strip_prefix("//")?,
    };
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// The registrable domain of a host (`rss.nytimes.com` → `nytimes.com`); a bare name or an IP
/// address stays as it is.
fn registrable(host: &str) -> Option<String> {
    if !host.contains('.') || host.parse::<std::net::IpAddr>().is_ok() {
        return Some(host.to_string());
    }
    let host = host.strip_prefix("www.").unwrap_or(host);
    Some(psl::domain_str(host).unwrap_or(host).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_urls_become_their_outlets() {
        for (source, expected) in [
            ("https://feeds.npr.org/1001/rss.xml", "npr.org"),
            ("http://feeds.bbci.co.uk/news/rss.xml", "bbci.co.uk"),
            ("https://feeds.a.dj.com/rss/RSSWorldNews.xml", "dj.com"),
            ("http://rss.cnn.com/rss/edition.rss", "cnn.com"),
            ("https://www.ft.com/world?format=rss", "ft.com"),
            ("https://feeds.washingtonpost.com/rss/world?itid=lk", "washingtonpost.com"),
            ("HTTPS://WWW.ABC.NET.AU/news/feed", "abc.net.au"),
            ("//example.org/feed", "example.org"),
            ("http://localhost:8080/feed", "localhost"),
            ("http://10.0.0.1/feed", "10.0.0.1"),
        ] {
            assert_eq!(outlet(source), expected, "{source}");
        }
    }

    #[test]
    fn names_stay_names() {
        for source in ["Capital Desk", " Reuters ", "BBC News", "news.example", "a://", "Mr. Smith: opinion"] {
            assert_eq!(outlet(source), source.trim());
        }
    }
}
