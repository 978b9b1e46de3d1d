//! Markdown: YAML front matter for metadata, and the text with markup stripped (pulldown-cmark),
//! so `**Putin**` and `[Putin](…)` count like plain words.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::Draft;

pub fn parse_markdown(source: &str, file_stem: &str) -> Draft {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    match front_matter(source) {
        Some((fields, body)) => {
            let get = |keys: &[&str]| {
                keys.iter()
                    .find_map(|k| fields.iter().find(|(key, v)| key == k && !v.is_empty()))
                    .map(|(_, v)| v.clone())
            };
            let body_text = strip_markup(body);
            let title =
                get(&["title", "headline"]).or_else(|| first_line(&body_text)).unwrap_or_else(|| file_stem.to_string());
            Draft {
                text: crate::core::article::title_and_body(&title, &body_text, opens_with_heading(body)),
                title,
                source: get(&["source", "publisher", "site", "outlet", "author"]),
                url: get(&["url", "link", "canonical_url", "canonical"]),
                date_value: get(&DATE_KEYS),
                date_detail: DATE_KEYS
                    .iter()
                    .position(|k| fields.iter().any(|(key, v)| key == k && !v.is_empty()))
                    .map(|i| std::borrow::Cow::Borrowed(DATE_DETAILS[i])),
                ..Draft::default()
            }
        }
        None => {
            let text = strip_markup(source);
            Draft { title: first_line(&text).unwrap_or_else(|| file_stem.to_string()), text, ..Draft::default() }
        }
    }
}

/// Front-matter keys holding the date, by preference, and how `articles --json` names each.
const DATE_KEYS: [&str; 6] = ["date", "published", "publishdate", "pubdate", "date_published", "created"];
const DATE_DETAILS: [&str; 6] = [
    "front matter date",
    "front matter published",
    "front matter publishdate",
    "front matter pubdate",
    "front matter date_published",
    "front matter created",
];

fn first_line(text: &str) -> Option<String> {
    text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_string)
}

/// `---` YAML front matter: flat `key: value` pairs (quoted or not). Nested values and lists are
/// ignored: only scalar metadata matters here.
fn front_matter(source: &str) -> Option<(Vec<(String, String)>, &str)> {
    let rest = source.strip_prefix("---")?;
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    let mut fields = Vec::new();
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content == "---" || content == "..." {
            return Some((fields, &rest[offset..]));
        }
        if content.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        if let Some((key, value)) = content.split_once(':') {
            fields.push((key.trim().to_ascii_lowercase(), unquote(value.trim())));
        }
    }
    None
}

fn unquote(value: &str) -> String {
    if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        // YAML double-quoted scalars use JSON-compatible escapes in practice.
        return serde_json::from_str::<String>(value).unwrap_or_else(|_| value[1..value.len() - 1].to_string());
    }
    if value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'') {
        return value[1..value.len() - 1].replace("''", "'");
    }
    value.to_string()
}

/// Whether the first block of a Markdown text is a heading (`# Title`, or underlined with `===`).
fn opens_with_heading(markdown: &str) -> bool {
    Parser::new(markdown)
        .find_map(|event| match event {
            Event::Start(Tag::Heading { .. }) => Some(true),
            Event::Start(_) | Event::Text(_) | Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) | Event::Rule => {
                Some(false)
            }
            _ => None,
        })
        .unwrap_or(false)
}

/// Markdown to plain text: inline markup dropped, blocks separated by newlines, link targets and
/// HTML tags dropped, code kept as text.
pub fn strip_markup(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        if super::budget::exhausted() {
            break;
        }
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock | TagEnd::TableRow,
            ) => out.push('\n'),
            Event::Start(Tag::Paragraph | Tag::Heading { .. }) if !out.is_empty() && !out.ends_with("\n\n") => {
                out.push('\n')
            }
            Event::End(TagEnd::TableCell) => out.push('\t'),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_stripped_body() {
        let d = parse_markdown(
            "---\ntitle: \"Oreshnik \\\"duel\\\"\"\ndate: 2024-12-19\nsource: 'Meridian'\n---\n\n# Heading\n\nThe **Oreshnik** [missile](https://x.example).\n",
            "f",
        );
        assert_eq!(d.title, "Oreshnik \"duel\"");
        assert_eq!(d.source.as_deref(), Some("Meridian"));
        assert_eq!(d.date_value.as_deref(), Some("2024-12-19"));
        assert_eq!(d.text, "Oreshnik \"duel\"\nHeading\n\nThe Oreshnik missile.\n");
    }

    /// Regression: a plain first paragraph equal to the title was dropped like a heading, so
    /// an item saved as Markdown counted its headline once where the same item as JSON counted
    /// it twice.
    #[test]
    fn only_a_heading_that_repeats_the_title_is_dropped() {
        let heading = parse_markdown("---\ntitle: Kursk update\n---\n\n## Kursk update\n\nBody.\n", "f");
        assert_eq!(heading.text, "Kursk update\nBody.\n");
        let underlined = parse_markdown("---\ntitle: Kursk update\n---\nKursk update\n===\n\nBody.\n", "f");
        assert_eq!(underlined.text, "Kursk update\nBody.\n");
        let paragraph = parse_markdown("---\ntitle: Kursk update\n---\n\nKursk update\n\nBody.\n", "f");
        assert_eq!(paragraph.text, "Kursk update\nKursk update\n\nBody.\n");
    }

    #[test]
    fn without_front_matter_text_is_whole_stripped_file() {
        let d = parse_markdown("# Kursk update\n\n* one\n* two\n", "f");
        assert_eq!(d.title, "Kursk update");
        assert_eq!(d.text, "Kursk update\none\ntwo\n");
    }

    #[test]
    fn unterminated_front_matter_is_just_text() {
        let d = parse_markdown("---\ntitle: x\nno end", "f");
        assert!(d.text.contains("title: x"));
    }
}
