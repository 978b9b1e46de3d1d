//! JSON and JSON Lines: one article object, an array of them, a wrapper object holding an array
//! (NewsAPI's `articles`, `items`, `results` …), or one object per line.
//!
//! Field names are sniffed from common news schemas. Each record is deserialised into a typed
//! struct that ignores unknown fields, which keeps JSON Lines import fast.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use super::Draft;
use super::fragment::fragment_text;

/// The fields we look for, in order of preference within each group.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Record<'a> {
    #[serde(borrow)]
    title: Option<Text<'a>>,
    #[serde(borrow)]
    headline: Option<Text<'a>>,
    #[serde(borrow)]
    name: Option<Text<'a>>,

    #[serde(borrow)]
    text: Option<Text<'a>>,
    #[serde(borrow)]
    body: Option<Text<'a>>,
    #[serde(borrow)]
    content: Option<Text<'a>>,
    #[serde(borrow)]
    article: Option<Text<'a>>,
    #[serde(borrow)]
    full_text: Option<Text<'a>>,
    #[serde(borrow)]
    description: Option<Text<'a>>,
    #[serde(borrow)]
    summary: Option<Text<'a>>,
    #[serde(borrow)]
    lead: Option<Text<'a>>,
    #[serde(borrow)]
    #[serde(rename = "abstract")]
    abstract_: Option<Text<'a>>,

    #[serde(borrow)]
    published: Option<Text<'a>>,
    #[serde(borrow)]
    #[serde(rename = "publishedAt")]
    published_at: Option<Text<'a>>,
    #[serde(borrow)]
    published_at_snake: Option<Text<'a>>,
    #[serde(borrow)]
    date_published: Option<Text<'a>>,
    #[serde(borrow)]
    #[serde(rename = "datePublished")]
    date_published_camel: Option<Text<'a>>,
    #[serde(borrow)]
    #[serde(rename = "pubDate")]
    pub_date: Option<Text<'a>>,
    #[serde(borrow)]
    date: Option<Text<'a>>,
    #[serde(borrow)]
    datetime: Option<Text<'a>>,
    #[serde(borrow)]
    timestamp: Option<Text<'a>>,
    #[serde(borrow)]
    created_at: Option<Text<'a>>,

    #[serde(borrow)]
    source: Option<Text<'a>>,
    #[serde(borrow)]
    publisher: Option<Text<'a>>,
    #[serde(borrow)]
    outlet: Option<Text<'a>>,
    #[serde(borrow)]
    site: Option<Text<'a>>,
    #[serde(borrow)]
    site_name: Option<Text<'a>>,
    #[serde(borrow)]
    domain: Option<Text<'a>>,
    #[serde(borrow)]
    feed: Option<Text<'a>>,

    #[serde(borrow)]
    url: Option<Text<'a>>,
    #[serde(borrow)]
    link: Option<Text<'a>>,
}

/// A string-ish value: a JSON string, a number (Unix timestamps), or an object with a `name`
/// (NewsAPI's `source`). Anything else reads as absent rather than failing the article.
#[derive(Default)]
struct Text<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number or object with a name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text<'a>, E> {
                // Fractional Unix seconds: keep the whole seconds.
                Ok(Text(Some(Cow::Owned(format!("{}", v.trunc() as i64)))))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Text<'a>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text<'a>, A::Error> {
                let mut found = None;
                while let Some(key) = map.next_key::<String>()? {
                    if found.is_none() && matches!(key.as_str(), "name" | "title" | "#text" | "value") {
                        found = map.next_value::<Text<'a>>()?.0;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Text(found))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

fn pick<'r>(options: &[&'r Option<Text<'_>>]) -> Option<&'r str> {
    options.iter().find_map(|o| o.as_ref().and_then(|t| t.0.as_deref()).filter(|s| !s.trim().is_empty()))
}

fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_string)
}

impl Record<'_> {
    /// A record is an article when it has any title, body or date field, even an empty one: a
    /// wire record with only a date still counts in the totals (Reuters has 2,535 of those).
    fn is_article(&self) -> bool {
        [
            &self.title,
            &self.headline,
            &self.text,
            &self.body,
            &self.content,
            &self.article,
            &self.full_text,
            &self.description,
            &self.summary,
            &self.lead,
        ]
        .iter()
        .any(|f| f.as_ref().is_some_and(|t| t.0.is_some()))
            || self.date().is_some()
    }

    fn source(&self) -> Option<&str> {
        pick(&[&self.source, &self.publisher, &self.outlet, &self.site_name, &self.site, &self.domain, &self.feed])
    }

    fn url(&self) -> Option<&str> {
        pick(&[&self.url, &self.link])
    }

    fn date(&self) -> Option<&str> {
        pick(&[
            &self.published,
            &self.published_at,
            &self.published_at_snake,
            &self.date_published,
            &self.date_published_camel,
            &self.pub_date,
            &self.date,
            &self.datetime,
            &self.timestamp,
            &self.created_at,
        ])
    }

    fn into_metadata(self) -> Draft {
        Draft {
            source: owned(self.source()),
            url: owned(self.url()),
            date_value: owned(self.date()),
            ..Draft::default()
        }
    }

    fn into_draft(self) -> Draft {
        let title = pick(&[&self.title, &self.headline, &self.name]).map(fragment_text).unwrap_or_default();
        let body = pick(&[&self.text, &self.body, &self.content, &self.article, &self.full_text])
            .or_else(|| pick(&[&self.description, &self.summary, &self.lead, &self.abstract_]))
            .map(fragment_text)
            .unwrap_or_default();
        Draft {
            text: crate::core::article::title_and_body(&title, &body),
            title: title.into_owned(),
            source: owned(self.source()),
            url: owned(self.url()),
            date_value: owned(self.date()),
            ..Draft::default()
        }
    }
}

/// One JSON Lines record. `Ok(None)` for a valid object that holds no article fields.
pub fn parse_record(line: &str) -> Result<Option<Draft>, String> {
    let record: Record = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok(record.is_article().then(|| record.into_draft()))
}

/// A record's metadata only (date, source, URL), for records whose text is not needed.
pub fn parse_record_metadata(line: &str) -> Result<Option<Draft>, String> {
    let record: Record = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok(record.is_article().then(|| record.into_metadata()))
}

/// A whole `.json` file: an article, an array of articles, or a wrapper object holding an array.
/// The flag is true when the document is itself one article object (its id needs no index).
pub fn parse_json_document(text: &str) -> Result<(Vec<Draft>, bool), String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let records = article_values(&value).ok_or("JSON holds no article objects")?;
    let drafts: Vec<Draft> = records
        .iter()
        .filter_map(|v| Record::deserialize(*v).ok())
        .filter(Record::is_article)
        .map(Record::into_draft)
        .collect();
    if drafts.is_empty() {
        return Err("JSON holds no article objects".to_string());
    }
    let single_object = records.len() == 1 && std::ptr::eq(records[0], &value);
    Ok((drafts, single_object))
}

/// Finds the article objects: the value itself, its elements, or the largest array of objects
/// inside a wrapper (searched two levels deep, e.g. `{"response": {"docs": [...]}}`).
fn article_values(value: &Value) -> Option<Vec<&Value>> {
    match value {
        Value::Array(items) => Some(items.iter().filter(|v| v.is_object()).collect()),
        Value::Object(map) => {
            let looks_like_article = map
                .keys()
                .any(|k| matches!(k.as_str(), "title" | "headline" | "text" | "body" | "content" | "description"))
                && !map.values().any(is_object_array);
            if looks_like_article {
                return Some(vec![value]);
            }
            let nested = map.values().filter_map(|v| match v {
                Value::Array(_) if is_object_array(v) => article_values(v),
                Value::Object(inner) => inner.values().find(|v| is_object_array(v)).and_then(article_values),
                _ => None,
            });
            nested.max_by_key(Vec::len)
        }
        _ => None,
    }
}

fn is_object_array(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.first().is_some_and(Value::is_object))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsapi_wrapper() {
        let doc = r#"{"status":"ok","totalResults":2,"articles":[
            {"source":{"id":null,"name":"Capital Desk"},"title":"A","description":"<p>Lead &amp; more</p>","url":"https://x.example/a","publishedAt":"2025-02-12T18:40:00Z","content":null},
            {"source":{"name":"B"},"title":"B","content":"Body B","publishedAt":"2025-02-13T08:00:00Z"}]}"#;
        let d = parse_json_document(doc).unwrap().0;
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].source.as_deref(), Some("Capital Desk"));
        assert_eq!(d[0].text, "A\nLead & more");
        assert_eq!(d[0].date_value.as_deref(), Some("2025-02-12T18:40:00Z"));
        assert_eq!(d[1].text, "B\nBody B");
    }

    #[test]
    fn single_object_and_array_with_unix_time() {
        let d = parse_json_document(
            r#"{"headline":"H","body":"Text","date_published":"2024-12-20 10:00:00","publisher":"P"}"#,
        )
        .unwrap();
        assert!(d.1, "one article object");
        let d = d.0;
        assert_eq!((d[0].title.as_str(), d[0].source.as_deref()), ("H", Some("P")));
        let d = parse_json_document(r#"[{"title":"T","text":"x","published":1734566400},{"title":"U","published":"Fri, 20 Dec 2024 09:15:00 +0300"}]"#)
            .unwrap();
        assert!(!d.1, "an array is a collection");
        let d = d.0;
        assert_eq!(d[0].date_value.as_deref(), Some("1734566400"));
        assert_eq!(d[1].text, "U\n");
    }

    #[test]
    fn jsonl_record_and_errors() {
        let d = parse_record(r#"{"day_dir":"2023-01-01","source":"http://feeds.example/top","title":"T","description":"D","link":"https://l","date_published":"2023-01-01 23:02:37+00:00","language":"en","publisher":null}"#)
            .unwrap()
            .unwrap();
        assert_eq!(d.url.as_deref(), Some("https://l"));
        assert_eq!(d.source.as_deref(), Some("http://feeds.example/top"));
        assert!(parse_record("{\"title\": \"cut").is_err());
        assert!(parse_record(r#"{"id": 3}"#).unwrap().is_none());
        assert!(parse_json_document("[1, 2]").is_err());
        assert!(parse_json_document(r#"{"articles": [{"title": "Cut off"#).is_err());
    }
}
