//! What an element's tag and attributes say about it, before any text is counted: page chrome
//! to drop, or a container that usually holds the article.
//!
//! Hints come from markup conventions (tag names, ARIA roles, class and id names as themes and
//! CMSs write them), not from the words of the page, so they work the same for every language.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use scraper::node::Element;

/// Tags whose whole subtree is never article text.
pub(super) fn is_dropped_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "svg"
            | "math"
            | "canvas"
            | "iframe"
            | "frame"
            | "frameset"
            | "object"
            | "embed"
            | "video"
            | "audio"
            | "picture"
            | "map"
            | "button"
            | "input"
            | "select"
            | "option"
            | "textarea"
            | "label"
            | "nav"
            | "footer"
            | "menu"
            | "dialog"
            | "figure"
            | "figcaption"
    )
}

/// Tags that are chrome when small (a site header, a search form, a sidebar) but may wrap the
/// whole page (ASP.NET puts everything in one `<form>`; some themes put the lead in `<header>`;
/// some CMSs wrap the article in an `<aside>`).
pub(super) fn is_weak_tag(tag: &str) -> bool {
    matches!(tag, "header" | "form" | "aside")
}

/// Tags holding code or embedded documents, never prose: nothing below them is ever text.
pub(super) fn is_code_tag(tag: &str) -> bool {
    matches!(tag, "script" | "style" | "noscript" | "template" | "head" | "svg" | "math" | "iframe" | "object")
}

/// Tags that start a new paragraph in the text.
pub(super) fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "blockquote"
            | "pre"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "address"
            | "center"
            | "body"
            | "html"
            | "header"
            | "form"
            | "fieldset"
            | "details"
            | "summary"
            | "hgroup"
    )
}

/// What the attributes of one element hint at.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(super) struct Hints {
    /// Hidden from readers (`hidden`, `aria-hidden`, `display:none`).
    pub hidden: bool,
    /// Class, id or role names that are almost never the article: comments, share bars, cookie
    /// notices, related-article lists, ads.
    pub hard: bool,
    /// Names of comment sections, which are never the article however much text they hold.
    pub comments: bool,
    /// Names that usually mark chrome (menus, headers, sidebars, bylines, dates) but that themes
    /// also put on big wrappers, so the caller weighs them against the element's size.
    pub weak: bool,
    /// Names that usually mark the content column (`content`, `article`, `entry`, `post`…).
    pub positive: bool,
    /// Names or attributes that mark the article body itself (`itemprop=articleBody`,
    /// `entry-content`, `story-body`…), a strong candidate for the main text.
    pub article_body: bool,
    /// A sidebar by name: beside the article, so it is kept only when it holds nearly all text.
    pub sidebar: bool,
}

/// Substrings of class/id names that almost never belong to the article text.
const HARD: &[&str] = &[
    "comment",
    "cookie",
    "consent",
    "gdpr",
    "newsletter",
    "breadcrumb",
    "related",
    "recommend",
    "social",
    "sharing",
    "share",
    "sharer",
    "subscribe",
    "signup",
    "sign-up",
    "popup",
    "modal",
    "advert",
    "sponsor",
    "outbrain",
    "taboola",
    "disqus",
    "author-bio",
    "authorbio",
    "about-author",
    "author-box",
    "sr-only",
    "screen-reader",
    "screenreader",
    "visually-hidden",
    "visuallyhidden",
    "most-read",
    "mostread",
    "most-popular",
    "more-stories",
    "read-next",
    "readnext",
    "pagination",
    "jump-to",
    "login",
];

/// Substrings of class/id names that usually mark chrome.
const WEAK_SUBSTRINGS: &[&str] = &[
    "footer",
    "header",
    "masthead",
    "sidebar",
    "navigation",
    "navbar",
    "menu",
    "widget",
    "banner",
    "promo",
    "byline",
    "dateline",
    "teaser",
    "toolbar",
    "ticker",
    "caption",
    "copyright",
    "breaking",
    // A paywall notice is small; a paywall container holding the article is not.
    "paywall",
    "hidden",
    "print",
    // Skip links are tiny, but the element they jump to often carries the same name
    // (`id="skiplink-inhalt"` on the whole article): weighed by size, not dropped.
    "skip-link",
    "skiplink",
    "skip-to",
];

/// Whole class/id words (after splitting on `-`, `_` and spaces) that usually mark chrome.
const WEAK_WORDS: &[&str] = &[
    "nav",
    "ad",
    "ads",
    "adv",
    "anzeige",
    "werbung",
    "meta",
    "tag",
    "tags",
    "date",
    "time",
    "author",
    "authors",
    "aside",
    "rail",
    "hide",
    "credit",
    "credits",
    "toc",
    "cta",
    "pager",
    "prev",
    "next",
    "prevpost",
    "nextpost",
    "postnav",
    "topbar",
    "subnav",
    "dropdown",
    "overlay",
    "search",
    "links",
    "follow",
    "more",
    "rating",
    "vote",
    "feedback",
    "logo",
    "branding",
    "sitemap",
    "legal",
    "imprint",
    "impressum",
    "keywords",
    "topics",
    "source",
    "info",
    "infobox",
    "tools",
    "utility",
    "actions",
    "options",
    "sticky",
    "noprint",
    "published",
    "updated",
    "timestamp",
    "posted",
    "category",
    "categories",
    "archive",
    "calendar",
    "tooltip",
    "lightbox",
    "gallery",
    "slider",
    "carousel",
    "video",
    "player",
    "audio",
    "podcast",
];

/// Whole words that usually mark the content column.
const POSITIVE_WORDS: &[&str] = &[
    "content", "article", "main", "entry", "post", "story", "text", "body", "blog", "artikel", "beitrag", "inhalt",
    "news", "column", "page", "single", "hentry", "prose", "richtext",
];

/// Substrings that mark the article body itself.
const ARTICLE_BODY: &[&str] = &[
    "articlebody",
    "article-body",
    "article__body",
    "article-content",
    "article__content",
    "article-text",
    "article__text",
    "articletext",
    "articlecontent",
    "entry-content",
    "entrycontent",
    "post-content",
    "postcontent",
    "post-body",
    "postbody",
    "post-entry",
    "post-text",
    "story-body",
    "storybody",
    "story-content",
    "story-text",
    "storytext",
    "body-text",
    "bodytext",
    "main-text",
    "maintext",
    "text-body",
    "news-text",
    "newstext",
    "news-body",
    "artikel-text",
    "article-main",
    "content-body",
    "rich-text",
    "richtext",
    "single-content",
    "blog-content",
    "blog-post-body",
    "paywall-content",
];

/// ARIA landmark roles of page chrome.
fn is_chrome_role(role: &str) -> bool {
    matches!(
        role,
        "navigation"
            | "banner"
            | "contentinfo"
            | "complementary"
            | "search"
            | "menu"
            | "menubar"
            | "dialog"
            | "alertdialog"
            | "toolbar"
            | "tablist"
    )
}

/// Reads the hints of one element's attributes.
pub(super) fn hints(element: &Element) -> Hints {
    let mut h = Hints::default();
    if element.attr("hidden").is_some()
        || element.attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        h.hidden = true;
    }
    if let Some(style) = element.attr("style") {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            h.hidden = true;
        }
    }
    if let Some(role) = element.attr("role") {
        let role = role.trim().to_ascii_lowercase();
        if is_chrome_role(&role) {
            h.hard = true;
        }
        if role == "main" || role == "article" {
            h.positive = true;
        }
    }
    if let Some(prop) = element.attr("itemprop") {
        let prop = prop.to_ascii_lowercase();
        if prop.contains("articlebody") || prop == "text" || prop == "reviewbody" {
            h.article_body = true;
            h.positive = true;
        }
    }

    let names = class_and_id(element);
    if names.is_empty() {
        return h;
    }
    // On a paragraph or a line, "bodytext" or "article-text" is a text style (TYPO3 puts it on
    // every `<p>`), not the container of the article.
    let styled_line = matches!(
        element.name(),
        "p" | "span" | "a" | "li" | "strong" | "em" | "b" | "i" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "td" | "th"
    );
    if let Some(matcher) = SUBSTRINGS.as_ref() {
        for m in matcher.find_overlapping_iter(&names) {
            match SubstringKind::of(m.pattern().as_usize()) {
                SubstringKind::Hard => {
                    h.hard = true;
                    h.comments |= HARD[m.pattern().as_usize()] == "comment" || HARD[m.pattern().as_usize()] == "disqus";
                }
                SubstringKind::Weak => {
                    h.weak = true;
                    h.sidebar |= WEAK_SUBSTRINGS[m.pattern().as_usize() - HARD.len()] == "sidebar";
                }
                SubstringKind::ArticleBody if !styled_line => {
                    h.article_body = true;
                    h.positive = true;
                }
                SubstringKind::ArticleBody => {}
            }
        }
    }
    for word in names.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        match WORDS.get(word) {
            Some(WordKind::Weak) => h.weak = true,
            Some(WordKind::Positive) if !styled_line => h.positive = true,
            Some(WordKind::Positive) | None => {}
        }
    }
    h
}

/// Which list a substring pattern came from; patterns are numbered HARD, then WEAK_SUBSTRINGS,
/// then ARTICLE_BODY.
enum SubstringKind {
    Hard,
    Weak,
    ArticleBody,
}

impl SubstringKind {
    fn of(pattern: usize) -> Self {
        if pattern < HARD.len() {
            SubstringKind::Hard
        } else if pattern < HARD.len() + WEAK_SUBSTRINGS.len() {
            SubstringKind::Weak
        } else {
            SubstringKind::ArticleBody
        }
    }
}

/// All substring patterns in one automaton: one scan of the names per element instead of one
/// per pattern. `None` only if the automaton cannot be built, which fixed ASCII patterns never
/// hit; the hints then fall back to words alone rather than failing the import.
static SUBSTRINGS: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(HARD.iter().chain(WEAK_SUBSTRINGS).chain(ARTICLE_BODY)).ok());

enum WordKind {
    Weak,
    Positive,
}

static WORDS: LazyLock<HashMap<&'static str, WordKind>> = LazyLock::new(|| {
    let weak = WEAK_WORDS.iter().map(|w| (*w, WordKind::Weak));
    // Positive words win where a word is on both lists.
    weak.chain(POSITIVE_WORDS.iter().map(|w| (*w, WordKind::Positive))).collect()
});

/// Class prefixes WordPress and similar CMSs use for the post's categories and tags.
const TAXONOMY_PREFIXES: &[&str] = &["category-", "tag-", "tags-", "postid-", "format-", "topic-"];

/// Class prefixes that flag the absence of a part (`no-share`, `without-sidebar`).
const NEGATION_PREFIXES: &[&str] = &["no-", "no_", "without-", "without_", "hide-", "disable-", "disabled-"];

/// The lowercased class and id names, space separated. WordPress-style taxonomy classes
/// (`category-social-media`, `tag-sharing`) describe the post's topic, not its role on the page,
/// and are left out so they cannot mark the article as chrome; so are classes that say an
/// element's label is hidden.
fn class_and_id(element: &Element) -> String {
    let mut names = String::new();
    if let Some(id) = element.attr("id") {
        names.push_str(id);
    }
    if let Some(class) = element.attr("class") {
        for c in class.split_whitespace() {
            let lower = c.to_ascii_lowercase();
            // Drupal's `field--label-hidden` says the field's label is hidden, not the field; a
            // `no-share` or `no_comments` flag says the element lacks that part, not that it is it.
            if TAXONOMY_PREFIXES.iter().any(|p| lower.starts_with(p))
                || lower.ends_with("label-hidden")
                || NEGATION_PREFIXES.iter().any(|p| lower.starts_with(p))
            {
                continue;
            }
            names.push(' ');
            names.push_str(c);
        }
    }
    names.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn hints_of(html: &str) -> Hints {
        let doc = Html::parse_fragment(html);
        let sel = Selector::parse("div").unwrap();
        let el = doc.select(&sel).next().unwrap();
        hints(el.value())
    }

    #[test]
    fn share_bar_and_cookie_notice_are_hard_chrome() {
        assert!(hints_of(r#"<div class="article-share-bar">x</div>"#).hard);
        assert!(hints_of(r#"<div id="cookie-notice">x</div>"#).hard);
        assert!(hints_of(r#"<div role="navigation">x</div>"#).hard);
    }

    #[test]
    fn short_words_match_whole_words_only() {
        assert!(hints_of(r#"<div class="ad-slot">x</div>"#).weak);
        assert!(!hints_of(r#"<div class="shadow-box loaded">x</div>"#).weak);
    }

    #[test]
    fn taxonomy_classes_do_not_mark_a_post_as_chrome() {
        let h = hints_of(r#"<div class="post type-post category-social-media tag-sharing">x</div>"#);
        assert!(!h.hard);
        assert!(h.positive);
    }

    #[test]
    fn classes_flagging_a_missing_part_are_not_that_part() {
        let h = hints_of(r#"<div class="no-share post hentry">x</div>"#);
        assert!(!h.hard);
        assert!(h.positive);
        assert!(!hints_of(r#"<div class="content without-sidebar">x</div>"#).weak);
        assert!(hints_of(r#"<div class="share-bar">x</div>"#).hard);
    }

    #[test]
    fn article_body_markers() {
        assert!(hints_of(r#"<div itemprop="articleBody">x</div>"#).article_body);
        assert!(hints_of(r#"<div class="entry-content clearfix">x</div>"#).article_body);
        assert!(hints_of(r#"<div style="display: none">x</div>"#).hidden);
    }
}
