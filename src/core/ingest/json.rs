//! JSON and JSON Lines: one article object, an array of them, a wrapper object holding an array
//! (NewsAPI's `articles`, `items`, `results` …), or one object per line.
//!
//! Field names are sniffed from common news schemas. Each record is read into a typed struct that
//! ignores unknown fields: by the flat reader (`flat_json`) when the record is a flat object, the
//! common case of news exports, else by serde, which also words the errors of broken records.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use super::Draft;
use super::flat_json;
use super::fragment::fragment_text;

/// The fields we look for, in order of preference within each group. [`FIELDS`] lists the same
/// names for the metadata-only reader ([`DateOnly`]).
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
    #[serde(rename = "published_at")]
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
type Text<'a> = Field<'a, true>;

/// Whether a title, body, source or URL field holds a value, by the same rules as [`Text`],
/// without copying escaped strings or formatting numbers.
type Present<'a> = Field<'a, false>;

/// [`Text`] when `KEEP`, else [`Present`]: one set of rules for both. Without `KEEP` a value that
/// would need a new string is kept as an empty one, which only says that there is a value.
#[derive(Default)]
struct Field<'a, const KEEP: bool>(Option<Cow<'a, str>>);

impl<'a, const KEEP: bool> Field<'a, KEEP> {
    fn owned(value: impl FnOnce() -> String) -> Self {
        Field(Some(if KEEP { Cow::Owned(value()) } else { Cow::Borrowed("") }))
    }
}

impl<'de: 'a, 'a, const KEEP: bool> Deserialize<'de> for Field<'a, KEEP> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a, const KEEP: bool>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a, const KEEP: bool> Visitor<'de> for V<'a, KEEP> {
            type Value = Field<'a, KEEP>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number or object with a name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Field(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Field::owned(|| v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Field::owned(|| v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Field::owned(|| v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Field::owned(|| v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                // Fractional Unix seconds: keep the whole seconds.
                Ok(Field::owned(|| format!("{}", v.trunc() as i64)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Field(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Field(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Field(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Field(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut found = None;
                while let Some(key) = map.next_key::<String>()? {
                    if found.is_none() && matches!(key.as_str(), "name" | "title" | "#text" | "value") {
                        found = map.next_value::<Field<'a, KEEP>>()?.0;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Field(found))
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

impl<'a> Record<'a> {
    /// The field at `i` in [`FIELDS`].
    fn slot(&mut self, i: usize) -> &mut Option<Text<'a>> {
        match i {
            0 => &mut self.title,
            1 => &mut self.headline,
            2 => &mut self.name,
            3 => &mut self.text,
            4 => &mut self.body,
            5 => &mut self.content,
            6 => &mut self.article,
            7 => &mut self.full_text,
            8 => &mut self.description,
            9 => &mut self.summary,
            10 => &mut self.lead,
            11 => &mut self.abstract_,
            12 => &mut self.published,
            13 => &mut self.published_at,
            14 => &mut self.published_at_snake,
            15 => &mut self.date_published,
            16 => &mut self.date_published_camel,
            17 => &mut self.pub_date,
            18 => &mut self.date,
            19 => &mut self.datetime,
            20 => &mut self.timestamp,
            21 => &mut self.created_at,
            22 => &mut self.source,
            23 => &mut self.publisher,
            24 => &mut self.outlet,
            25 => &mut self.site,
            26 => &mut self.site_name,
            27 => &mut self.domain,
            28 => &mut self.feed,
            29 => &mut self.url,
            _ => &mut self.link,
        }
    }

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

    fn date(&self) -> Option<&str> {
        self.date_field().map(|(_, value)| value)
    }

    /// The first non-blank date field: its rank (as [`Role::Date`] numbers them) and value.
    fn date_field(&self) -> Option<(u8, &str)> {
        let fields = [
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
        ];
        fields.iter().enumerate().find_map(|(rank, field)| Some((rank as u8, pick(&[field])?)))
    }

    fn source(&self) -> Option<&str> {
        pick(&[&self.source, &self.publisher, &self.outlet, &self.site_name, &self.site, &self.domain, &self.feed])
    }

    fn url(&self) -> Option<&str> {
        pick(&[&self.url, &self.link])
    }

    fn into_draft(self) -> Draft {
        let (title, text) = self.title_and_text();
        Draft {
            text,
            title: title.into_owned(),
            source: owned(self.source()),
            url: owned(self.url()),
            date_value: owned(self.date()),
            date_detail: self.date_field().map(|(rank, _)| date_detail(rank)),
            ..Draft::default()
        }
    }

    /// The draft's text and date only, for callers that count: no title, source or URL.
    fn into_text_draft(self) -> Draft {
        // The date parsed from the borrowed value, as for date-only records (same result).
        Draft {
            text: self.title_and_text().1,
            date: self.date().and_then(super::dates::parse_date_keep_offset),
            date_detail: self.date_field().map(|(rank, _)| date_detail(rank)),
            ..Draft::default()
        }
    }

    /// The title, and the text that is counted: the title, a newline, the body.
    fn title_and_text(&self) -> (Cow<'_, str>, String) {
        let title = pick(&[&self.title, &self.headline, &self.name]).map(fragment_text).unwrap_or_default();
        let raw_body = pick(&[&self.text, &self.body, &self.content, &self.article, &self.full_text])
            .or_else(|| pick(&[&self.description, &self.summary, &self.lead, &self.abstract_]));
        let body = raw_body.map(fragment_text).unwrap_or_default();
        let heading = raw_body.is_some_and(super::fragment::opens_with_heading);
        let text = crate::core::article::title_and_body(&title, &body, heading);
        (title, text)
    }
}

/// One JSON Lines record. `Ok(None)` for a valid object that holds no article fields.
pub fn parse_record(line: &str) -> Result<Option<Draft>, String> {
    let record = read_record(line)?;
    Ok(record.is_article().then(|| record.into_draft()))
}

/// [`parse_record`] for callers that only count: the draft has its text and date, but no title,
/// source or URL.
pub fn parse_record_text(line: &str) -> Result<Option<Draft>, String> {
    let record = read_record(line)?;
    Ok(record.is_article().then(|| record.into_text_draft()))
}

fn read_record(line: &str) -> Result<Record<'_>, String> {
    match flat_record(line) {
        Some(record) => Ok(record),
        None => parse_record_with_serde(line),
    }
}

/// A record by serde: the reader for lines the flat reader hands back, and for their errors.
fn with_serde<'a, T: Deserialize<'a>>(line: &'a str) -> Result<T, String> {
    require_object(line)?;
    serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))
}

fn parse_record_with_serde(line: &str) -> Result<Record<'_>, String> {
    with_serde(line)
}

/// Calls `field` with the [`FIELDS`] position and value of every known field of a flat line
/// (see [`flat_json`]); `None` when the line needs serde, also when it gives a known field twice
/// (serde's error) or `field` gives up.
fn read_known_fields<'a>(
    line: &'a str,
    mut field: impl FnMut(usize, flat_json::Value<'a>) -> Option<()>,
) -> Option<()> {
    let mut seen = 0u64;
    flat_json::read(line, |key, value| {
        let Some(i) = field_index(key) else { return Some(()) };
        if seen & (1 << i) != 0 {
            return None;
        }
        seen |= 1 << i;
        field(i, value)
    })
}

/// The [`Record`] serde would read from a flat line, or `None` when the line needs serde (see
/// [`read_known_fields`]; a number in a known field too, as serde formats those).
fn flat_record(line: &str) -> Option<Record<'_>> {
    let mut record = Record::default();
    read_known_fields(line, |i, value| {
        *record.slot(i) = match value {
            flat_json::Value::Str(s) => Some(Field(Some(Cow::Borrowed(s)))),
            flat_json::Value::Escaped(raw) => Some(Field(Some(Cow::Owned(flat_json::unescape(raw))))),
            flat_json::Value::Null => None,
            flat_json::Value::Bool => Some(Field(None)),
            flat_json::Value::Number => return None,
        };
        Some(())
    })?;
    Some(record)
}

/// A record must be a JSON object (serde would also read an array into the struct, by position).
fn require_object(line: &str) -> Result<(), String> {
    match line.trim_start().as_bytes().first() {
        Some(b'{') => Ok(()),
        _ => Err("not a JSON object".to_string()),
    }
}

/// A record's date only, for records whose text and other metadata are not needed: its other
/// values are checked and skipped, never unescaped or stored. Agrees with [`parse_record`] on
/// which lines are articles, which are errors, and each article's date.
pub fn parse_record_date(line: &str) -> Result<Option<Draft>, String> {
    let record = match flat_date_only(line) {
        Some(record) => record,
        None => date_only_with_serde(line)?,
    };
    Ok(record.into_draft())
}

fn date_only_with_serde(line: &str) -> Result<DateOnly<'_>, String> {
    with_serde(line)
}

/// [`DateOnly`] from a flat line, by the rules of its serde reader, or `None` when the line
/// needs serde (as for [`flat_record`]; numbers are only a problem in date fields).
fn flat_date_only(line: &str) -> Option<DateOnly<'_>> {
    let mut record = DateOnly { date: None, article_field: false };
    read_known_fields(line, |i, value| {
        let text = match value {
            flat_json::Value::Str(s) => Some(Cow::Borrowed(s)),
            flat_json::Value::Escaped(raw) => Some(match FIELDS[i].1 {
                Role::Date(_) => Cow::Owned(flat_json::unescape(raw)),
                // Only whether there is a value counts.
                _ => Cow::Borrowed(""),
            }),
            flat_json::Value::Null | flat_json::Value::Bool => None,
            flat_json::Value::Number => match FIELDS[i].1 {
                Role::Date(_) => return None,
                // serde keeps a number as a present value.
                _ => Some(Cow::Borrowed("")),
            },
        };
        match FIELDS[i].1 {
            Role::Article => record.article_field |= text.is_some(),
            Role::Date(rank) => {
                if let Some(value) = text.filter(|v| !v.trim().is_empty())
                    && record.date.as_ref().is_none_or(|(best, _)| rank < *best)
                {
                    record.date = Some((rank, value));
                }
            }
            Role::Other => {}
        }
        Some(())
    })?;
    Some(record)
}

/// How `articles --json` names the date field of each [`Role::Date`] rank.
const DATE_DETAILS: [&str; 10] = [
    "json published",
    "json publishedAt",
    "json published_at",
    "json date_published",
    "json datePublished",
    "json pubDate",
    "json date",
    "json datetime",
    "json timestamp",
    "json created_at",
];

fn date_detail(rank: u8) -> Cow<'static, str> {
    Cow::Borrowed(DATE_DETAILS.get(usize::from(rank)).copied().unwrap_or("json"))
}

/// What a field of [`Record`] counts for when only the date is read.
#[derive(Clone, Copy)]
enum Role {
    /// A title or body field: its presence makes the record an article.
    Article,
    /// A date field, by preference (0 first), as in [`Record::date`].
    Date(u8),
    Other,
}

/// Every field [`Record`] reads, by JSON name. A test checks it against the names serde's derive
/// gives the struct, both ways.
const FIELDS: [(&str, Role); 31] = [
    ("title", Role::Article),
    ("headline", Role::Article),
    ("name", Role::Other),
    ("text", Role::Article),
    ("body", Role::Article),
    ("content", Role::Article),
    ("article", Role::Article),
    ("full_text", Role::Article),
    ("description", Role::Article),
    ("summary", Role::Article),
    ("lead", Role::Article),
    ("abstract", Role::Other),
    ("published", Role::Date(0)),
    ("publishedAt", Role::Date(1)),
    ("published_at", Role::Date(2)),
    ("date_published", Role::Date(3)),
    ("datePublished", Role::Date(4)),
    ("pubDate", Role::Date(5)),
    ("date", Role::Date(6)),
    ("datetime", Role::Date(7)),
    ("timestamp", Role::Date(8)),
    ("created_at", Role::Date(9)),
    ("source", Role::Other),
    ("publisher", Role::Other),
    ("outlet", Role::Other),
    ("site", Role::Other),
    ("site_name", Role::Other),
    ("domain", Role::Other),
    ("feed", Role::Other),
    ("url", Role::Other),
    ("link", Role::Other),
];

/// The position of `key` in [`FIELDS`] (a `match` compiles to a few length and byte tests, where
/// searching the table compared every name).
fn field_index(key: &str) -> Option<usize> {
    Some(match key {
        "title" => 0,
        "headline" => 1,
        "name" => 2,
        "text" => 3,
        "body" => 4,
        "content" => 5,
        "article" => 6,
        "full_text" => 7,
        "description" => 8,
        "summary" => 9,
        "lead" => 10,
        "abstract" => 11,
        "published" => 12,
        "publishedAt" => 13,
        "published_at" => 14,
        "date_published" => 15,
        "datePublished" => 16,
        "pubDate" => 17,
        "date" => 18,
        "datetime" => 19,
        "timestamp" => 20,
        "created_at" => 21,
        "source" => 22,
        "publisher" => 23,
        "outlet" => 24,
        "site" => 25,
        "site_name" => 26,
        "domain" => 27,
        "feed" => 28,
        "url" => 29,
        "link" => 30,
        _ => return None,
    })
}

/// A record read for its date alone, field by field, without building [`Record`] (the hot path
/// of a counting import, where most records cannot mention a term).
struct DateOnly<'a> {
    /// The preferred non-blank date field: its rank and value.
    date: Option<(u8, Cow<'a, str>)>,
    /// Whether a title or body field holds a value.
    article_field: bool,
}

impl DateOnly<'_> {
    /// The draft of a date-only record: its date parsed here, from the borrowed value, rather
    /// than copied into `date_value` (one allocation per record saved); the result is the same.
    fn into_draft(self) -> Option<Draft> {
        (self.article_field || self.date.is_some()).then(|| Draft {
            date_detail: self.date.as_ref().map(|(rank, _)| date_detail(*rank)),
            date: self.date.and_then(|(_, d)| super::dates::parse_date_keep_offset(&d)),
            ..Draft::default()
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for DateOnly<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = DateOnly<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateOnly<'a>, A::Error> {
                let mut record = DateOnly { date: None, article_field: false };
                let mut seen = 0u64;
                while let Some(key) = map.next_key::<Text<'de>>()? {
                    let key = key.0.unwrap_or_default();
                    let Some(i) = field_index(&key) else {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    };
                    // As the derived Record does, a known field twice is an error.
                    if seen & (1 << i) != 0 {
                        return Err(de::Error::duplicate_field(FIELDS[i].0));
                    }
                    seen |= 1 << i;
                    match FIELDS[i].1 {
                        Role::Article => record.article_field |= map.next_value::<Present<'de>>()?.0.is_some(),
                        Role::Date(rank) => {
                            let value = map.next_value::<Text<'a>>()?.0.filter(|v| !v.trim().is_empty());
                            if let Some(value) = value
                                && record.date.as_ref().is_none_or(|(best, _)| rank < *best)
                            {
                                record.date = Some((rank, value));
                            }
                        }
                        Role::Other => {
                            map.next_value::<Present<'de>>()?;
                        }
                    }
                }
                Ok(record)
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
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
    fn date_only_reading_agrees_with_the_full_record() {
        let lines = [
            r#"{"title":"T","description":"D","date_published":"2023-01-01 23:02:37+00:00"}"#,
            r#"{"title":null,"date":"  ","pubDate":"Fri, 20 Dec 2024 09:15:00 +0300","published":""}"#,
            r#"{"date":"2024-12-19","published_at":"2024-12-18"}"#,
            r#"{"published":1734566400.5,"headline":{"id":null,"name":"H"}}"#,
            r#"{"source":{"name":"S"},"url":"u","language":"en"}"#,
            r#"{"body":["a"],"summary":true,"x":{"date":"2020-01-01"}}"#,
            r#"{"name":"only a name","abstract":"and an abstract"}"#,
            r#"{"text":"esc\"aped \u00e9","timestamp":"1734566400000"}"#,
            r#"{"title":"a","title":"b"}"#,
            r#"{"link":"a","link":"b","date":"2024-01-01"}"#,
            r#"{"other":1,"other":2,"date":"2024-01-01"}"#,
            r#"["T","2024-12-19"]"#,
            r#"{"title": "cut"#,
            r#"{"title":{"title":{"name":"deep"}}}"#,
            "  {}  ",
        ];
        for line in lines {
            // The date-only reading parses the date itself; the full one leaves it to `settle`.
            let full = parse_record(line)
                .map(|d| d.map(|d| d.date_value.as_deref().and_then(super::super::dates::parse_date_keep_offset)));
            let date_only = parse_record_date(line).map(|d| d.map(|d| d.date));
            assert_eq!(full.is_ok(), date_only.is_ok(), "{line}: {full:?} vs {date_only:?}");
            if let (Ok(a), Ok(b)) = (full, date_only) {
                assert_eq!(a, b, "{line}");
            }
        }
    }

    /// Both readings of a line by serde alone, to hold the flat reader to.
    fn with_serde(line: &str) -> (Result<Option<Draft>, String>, Result<Option<Draft>, String>) {
        (
            parse_record_with_serde(line).map(|r| r.is_article().then(|| r.into_draft())),
            date_only_with_serde(line).map(DateOnly::into_draft),
        )
    }

    /// The flat reader gives what serde gives: the same drafts, and an error exactly when serde
    /// has one (errors themselves always come from serde).
    pub(crate) fn assert_flat_agrees_with_serde(line: &str) {
        let (full, date_only) = with_serde(line);
        assert_eq!(parse_record(line), full, "{line}");
        assert_eq!(parse_record_date(line), date_only, "{line}");
    }

    #[test]
    fn flat_reading_agrees_with_serde() {
        let lines = [
            r#"{"day_dir": "2023-03-01", "source": "http://feeds.example/top", "title": "T", "description": "<p>D &amp; E</p>", "link": "https://l", "date_published": "2023-03-01 23:11:55+00:00", "language": "en-US", "publisher": null}"#,
            r#"{"title":null,"date":"  ","pubDate":"Fri, 20 Dec 2024 09:15:00 +0300","published":""}"#,
            r#"{"title":true,"text":false,"date":null,"x":[1,{"y":2}]}"#,
            r#"{"title":3,"date":"2024-01-01"}"#,
            r#"{"title":"T","date":1734566400}"#,
            r#"{"title":"T","other":-0.5e-3,"other":"again"}"#,
            r#"{"title":"T","title":"U"}"#,
            r#"{"title":"T","title":null}"#,
            r#"{"abstract":"only"}"#,
            r#"{"name":"N","summary":"S"}"#,
            r#"{"title":"T"} trailing"#,
            r#"{"title":"T""#,
            r#"{"title":"T" , "url" : "u" }"#,
            "{}",
            "[]",
            r#""title""#,
        ];
        for line in lines {
            assert_flat_agrees_with_serde(line);
        }
        for (name, _) in FIELDS {
            for value in [r#""v""#, r#"" ""#, "null", "true", "7"] {
                assert_flat_agrees_with_serde(&format!(r#"{{"{name}":{value},"title":"T"}}"#));
                assert_flat_agrees_with_serde(&format!(r#"{{"{name}":{value}}}"#));
            }
        }
    }

    fn json_key() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            4 => proptest::sample::select(FIELDS.iter().map(|(name, _)| format!("{name:?}")).collect::<Vec<_>>()),
            1 => Just(r#""day_dir""#.to_string()),
            1 => Just(r#""t\u0069tle""#.to_string()),
            1 => Just(r#""é""#.to_string()),
        ]
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            12 => "[a-zA-Z0-9 <>/&;:.,é☃-]{0,30}".prop_map(|s| format!("{s:?}")),
            1 => Just(r#""2024-12-19T10:00:00+03:00""#.to_string()),
            1 => Just(r#""say \"hi\" \u00e9\n""#.to_string()),
            2 => r#"([a-z <&]|\\["\\/bfnrtx]){0,8}"#.prop_map(|s| format!("\"{s}\"")),
            1 => Just("\"tab\tinside\"".to_string()),
            1 => proptest::sample::select(vec!["null", "true", "false", "0", "-12.5e3", "1734566400", "01", "1.", "nul"])
                .prop_map(str::to_string),
            1 => Just(r#"{"name": "N", "id": null}"#.to_string()),
            1 => Just("[1, \"a\"]".to_string()),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Random records, mostly flat and well formed, some not: the fast reader must read
        /// exactly what serde reads, and leave every doubtful line to serde.
        #[test]
        fn random_records_read_as_serde_reads_them(
            fields in proptest::collection::vec((json_key(), json_value(), " {0,2}", 0..40u8), 0..6),
            open in proptest::prop_oneof![12 => proptest::strategy::Just("{"), 1 => proptest::sample::select(vec![" {", "[", ""])],
            close in proptest::prop_oneof![12 => proptest::strategy::Just("}"), 1 => proptest::sample::select(vec!["} ", "}x", "", ",}"])],
        ) {
            let mut line = open.to_string();
            for (n, (key, value, space, noise)) in fields.iter().enumerate() {
                if n > 0 {
                    line.push_str(if *noise == 0 { " " } else { "," });
                }
                line.push_str(&format!("{space}{key}{space}:{space}{value}{space}"));
            }
            line.push_str(close);
            assert_flat_agrees_with_serde(&line);
        }
    }

    #[test]
    fn each_slot_is_its_listed_field() {
        for (i, (name, _)) in FIELDS.iter().enumerate() {
            let line = format!(r#"{{"{name}":"v"}}"#);
            let mut by_serde = parse_record_with_serde(&line).unwrap();
            let mut flat = flat_record(&line).unwrap();
            assert!(flat.slot(i).is_some(), "{name}");
            for j in 0..FIELDS.len() {
                assert_eq!(flat.slot(j).is_some(), by_serde.slot(j).is_some(), "{name}: slot {j}");
            }
        }
    }

    #[test]
    fn every_listed_field_is_a_field_of_the_record() {
        // The derived Record rejects a known field given twice and ignores unknown ones.
        for (name, _) in FIELDS {
            let line = format!(r#"{{"{name}":"a","{name}":"b"}}"#);
            assert!(parse_record(&line).is_err(), "{name} is not a Record field");
            assert!(parse_record_date(&line).is_err(), "{name}");
        }
        assert!(parse_record(r#"{"published_at":"2024-12-19"}"#).unwrap().is_some());
        for (i, (name, _)) in FIELDS.iter().enumerate() {
            assert_eq!(field_index(name), Some(i));
        }
        // And the other way: every field the derive gives Record is listed.
        let mut listed: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
        let mut derived = record_field_names().to_vec();
        listed.sort_unstable();
        derived.sort_unstable();
        assert_eq!(listed, derived);
    }

    /// The JSON names serde's derive gives [`Record`]: what it hands `deserialize_struct`.
    fn record_field_names() -> &'static [&'static str] {
        #[derive(Debug)]
        struct Fields(&'static [&'static str]);
        impl fmt::Display for Fields {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "{:?}", self.0)
            }
        }
        impl std::error::Error for Fields {}
        impl de::Error for Fields {
            fn custom<T: fmt::Display>(_: T) -> Self {
                Fields(&[])
            }
        }
        struct Capture;
        impl<'de> Deserializer<'de> for Capture {
            type Error = Fields;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Fields> {
                Err(Fields(&[]))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Fields> {
                Err(Fields(fields))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
                unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
            }
        }
        match Record::deserialize(Capture) {
            Err(Fields(fields)) => fields,
            Ok(_) => &[],
        }
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
