//! Finding the article text of a page: drop chrome, pick the container that holds the article,
//! render its blocks as paragraphs.
//!
//! The approach follows readability and trafilatura: elements are first dropped by tag and by
//! class/id/role hints (see `patterns`), then the article container is taken from semantic markup
//! (`<article>`, `itemprop=articleBody`, `entry-content`…) when it holds most of the prose, or
//! else from readability-style scoring of text blocks (length, commas, link density). When
//! neither finds much, every visible paragraph of the body is kept: a missing article costs a
//! monitoring tool more than a little boilerplate.
//!
//! All statistics are computed in a fixed number of linear passes over the flattened tree.

use ego_tree::NodeRef;
use scraper::Node;

use super::flat::{Flat, NONE, comma_count, visible_len};
use super::patterns::{self, Hints};

/// Text blocks shorter than this (visible characters) do not count as paragraphs when scoring.
const MIN_PARAGRAPH: u32 = 25;
/// When honouring chrome-like names keeps less than this share of a page's prose, they are
/// ignored (see [`Strictness::Tags`]).
const LEFT_TOO_LITTLE: f32 = 0.2;
/// At most this many characters of prose between the headline and the article's container are
/// taken for its lead.
const LEAD_MAX: f32 = 1000.0;
/// How many of the best-scoring candidates are compared with the top one, how close their scores
/// must be, and how many of them must share an ancestor for it to become the article.
const TOP_CANDIDATES: usize = 5;
const RIVAL_SCORE: f32 = 0.75;
const MIN_RIVALS: usize = 3;
/// Below this many characters of prose a semantic container is not trusted on its own.
const MIN_ARTICLE: f32 = 100.0;

/// A page's main text.
#[derive(Debug, Default, PartialEq)]
pub(super) struct MainText {
    /// Paragraphs separated by blank lines.
    pub text: String,
    /// Whether the first paragraph is a heading (`<h1>`…`<h6>`).
    pub opens_with_heading: bool,
}

/// The main text below `root` (normally `<html>`).
pub(super) fn main_text(root: NodeRef<'_, Node>) -> MainText {
    let mut page = Page::analyse(root);
    let Some(body) = page.body() else {
        return MainText::default();
    };
    // Names that left almost none of the page's prose were the CMS's, not chrome's.
    let raw_prose = page.raw_text[body].saturating_sub(page.raw_link[body]) as f32;
    if page.prose(body) < LEFT_TOO_LITTLE * raw_prose {
        page.drop_chrome(Strictness::Tags);
    }
    let mut roots = page.choose_roots(body);
    roots.splice(0..0, page.lead_before(&roots));
    let mut main = page.render(&roots);
    // A container that yields a small part of the page's prose was probably the wrong one
    // (a teaser `<article>`, a lead block): fall back to all the visible paragraphs.
    let found = visible_len(&main.text) as f32;
    if roots != [body] && found < 500.0 && found < 0.25 * page.prose(body) {
        roots = vec![body];
        main = page.render(&roots);
    }
    if let Some(lead) = page.description_block(body)
        && page.keep_lead(lead, &mut roots)
    {
        main = page.render(&roots);
    }
    main
}

/// How readily names drop elements as chrome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strictness {
    /// Class and id names that usually mark chrome drop small elements.
    Names,
    /// Only tags, hidden markers and unmistakable names drop elements: for pages whose CMS or page
    /// builder gives chrome-like names (`elementor-widget`, `field--label-hidden`, `gallery`) to
    /// the blocks of the article itself, so that honouring them left almost nothing.
    Tags,
}

/// Per-element statistics. Kept counts leave out everything that was dropped.
struct Page<'a> {
    flat: Flat<'a>,
    hints: Vec<Hints>,
    /// Visible characters in the subtree, and those inside links, before anything is dropped.
    raw_text: Vec<u32>,
    raw_link: Vec<u32>,
    removed: Vec<bool>,
    /// Visible characters in the subtree.
    text: Vec<u32>,
    /// Visible characters inside links.
    link: Vec<u32>,
    /// Links with text.
    links: Vec<u32>,
    /// For block elements, the characters directly inside, not in nested blocks.
    inline_text: Vec<u32>,
    inline_link: Vec<u32>,
    inline_commas: Vec<u32>,
}

impl<'a> Page<'a> {
    fn analyse(root: NodeRef<'a, Node>) -> Self {
        let flat = Flat::new(root);
        let n = flat.len();
        let hints: Vec<Hints> =
            (0..n).map(|i| flat.nodes[i].value().as_element().map(patterns::hints).unwrap_or_default()).collect();

        // Pass 1, bottom-up: raw text and link sizes, tags that never hold text left out.
        let mut raw_text = vec![0u32; n];
        let mut raw_link = vec![0u32; n];
        for i in (0..n).rev() {
            if let Some(t) = flat.text(i) {
                // Script and style bodies are often most of a page's bytes: skip counting them.
                let p = flat.parent[i];
                let code = p != NONE && flat.tag(p).is_some_and(patterns::is_dropped_tag);
                raw_text[i] = if code { 0 } else { visible_len(t) as u32 };
            } else if let Some(tag) = flat.tag(i) {
                if patterns::is_dropped_tag(tag) {
                    raw_text[i] = 0;
                    raw_link[i] = 0;
                    continue;
                }
                if tag == "a" && flat.is_link(i) {
                    raw_link[i] = raw_text[i];
                }
            }
            let p = flat.parent[i];
            if p != NONE {
                raw_text[p] += raw_text[i];
                raw_link[p] += raw_link[i];
            }
        }
        let mut page = Page {
            hints,
            raw_text,
            raw_link,
            removed: vec![false; n],
            text: vec![0; n],
            link: vec![0; n],
            links: vec![0; n],
            inline_text: vec![0; n],
            inline_link: vec![0; n],
            inline_commas: vec![0; n],
            flat,
        };
        page.drop_chrome(Strictness::Names);
        page
    }

    /// Decides what is dropped (pass 2, top-down) and counts what is kept (pass 3, bottom-up).
    fn drop_chrome(&mut self, strictness: Strictness) {
        let n = self.flat.len();
        let page_text = self.raw_text.first().copied().unwrap_or(0) as f32;
        // Code and hidden subtrees are dropped whole; inside chrome dropped for its tag or names,
        // an element marked as the article body survives (CMSs do wrap articles in an `<aside>`
        // or in blocks named "teaser").
        let mut blocked = vec![false; n];
        for i in 0..n {
            let p = self.flat.parent[i];
            let Some(tag) = self.flat.tag(i) else {
                self.removed[i] = p != NONE && self.removed[p];
                continue;
            };
            let mut hints = self.hints[i];
            if strictness == Strictness::Tags {
                hints.weak = false;
            }
            let (text, link) = (self.raw_text[i] as f32, self.raw_link[i] as f32);
            if (p != NONE && blocked[p])
                || patterns::is_code_tag(tag)
                || (hints.hidden && is_chrome(tag, hints, text, link, page_text))
            {
                self.removed[i] = true;
                blocked[i] = true;
            } else if p != NONE && self.removed[p] {
                self.removed[i] = !hints.article_body;
            } else {
                self.removed[i] = is_chrome(tag, hints, text, link, page_text);
            }
        }

        for v in [&mut self.text, &mut self.link, &mut self.links, &mut self.inline_text, &mut self.inline_link] {
            v.fill(0);
        }
        self.inline_commas.fill(0);
        for i in (0..n).rev() {
            if self.removed[i] {
                continue;
            }
            let mut block = false;
            if let Some(t) = self.flat.text(i) {
                let len = visible_len(t) as u32;
                self.text[i] = len;
                self.inline_text[i] = len;
                self.inline_commas[i] = comma_count(t) as u32;
            } else if let Some(tag) = self.flat.tag(i) {
                if tag == "a" && self.flat.is_link(i) {
                    self.link[i] = self.text[i];
                    self.inline_link[i] = self.inline_text[i];
                    self.links[i] += u32::from(self.text[i] > 0);
                }
                block = patterns::is_block(tag);
            }
            let p = self.flat.parent[i];
            if p == NONE {
                continue;
            }
            self.text[p] += self.text[i];
            self.link[p] += self.link[i];
            self.links[p] += self.links[i];
            if !block {
                self.inline_text[p] += self.inline_text[i];
                self.inline_link[p] += self.inline_link[i];
                self.inline_commas[p] += self.inline_commas[i];
            }
        }
    }

    fn body(&self) -> Option<usize> {
        (0..self.flat.len()).find(|&i| self.flat.tag(i) == Some("body")).or((self.flat.len() > 0).then_some(0))
    }

    fn link_density(&self, i: usize) -> f32 {
        if self.text[i] == 0 { 0.0 } else { self.link[i] as f32 / self.text[i] as f32 }
    }

    /// Characters of prose: kept text that is not link text.
    fn prose(&self, i: usize) -> f32 {
        self.text[i].saturating_sub(self.link[i]) as f32
    }

    /// The element(s) whose text is the article, in document order.
    fn choose_roots(&self, body: usize) -> Vec<usize> {
        let scored = self.readability_roots(body);
        let scored_prose: f32 = scored.iter().map(|&i| self.prose(i)).sum();
        if let Some(semantic) = self.semantic_root(body) {
            let prose = self.prose(semantic);
            // Scoring may narrow a wide container (`<main>` with related posts and author boxes
            // in unmarked divs) to the part that holds nearly all its prose.
            let narrower = !scored.is_empty()
                && scored.iter().all(|&r| r != semantic && self.flat.is_ancestor(semantic, r))
                && scored_prose >= 0.8 * prose;
            if prose >= MIN_ARTICLE && prose >= 0.5 * scored_prose && !narrower {
                return vec![semantic];
            }
        }
        if scored.is_empty() { vec![body] } else { scored }
    }

    /// The best container marked up as the article: the one with the most prose, narrowed to a
    /// nested marked container that still holds nearly all of it (`<main>` → `<article>` →
    /// `itemprop=articleBody`).
    fn semantic_root(&self, body: usize) -> Option<usize> {
        let candidates: Vec<usize> = (body..self.flat.end[body])
            .filter(|&i| !self.removed[i])
            .filter(|&i| {
                let h = self.hints[i];
                h.article_body
                    || matches!(self.flat.tag(i), Some("article" | "main"))
                    || (h.positive
                        && self.flat.nodes[i].value().as_element().and_then(|e| e.attr("role")) == Some("main"))
            })
            .collect();
        let best = candidates.iter().copied().max_by(|&a, &b| self.prose(a).total_cmp(&self.prose(b)))?;
        let floor = 0.85 * self.prose(best);
        let mut chosen = best;
        for &c in &candidates {
            if c > chosen && self.flat.is_ancestor(chosen, c) && self.prose(c) >= floor {
                chosen = c;
            }
        }
        Some(chosen)
    }

    /// Readability-style choice: score text blocks, credit their ancestors, take the best
    /// container and the siblings that look like more of the same article.
    fn readability_roots(&self, body: usize) -> Vec<usize> {
        let end = self.flat.end[body];
        let mut score = vec![0f32; self.flat.len()];
        for i in body..end {
            if self.removed[i] || !self.flat.tag(i).is_some_and(patterns::is_block) {
                continue;
            }
            let len = self.inline_text[i];
            if len < MIN_PARAGRAPH || self.inline_link[i] * 2 > len {
                continue;
            }
            let s = 1.0 + self.inline_commas[i].min(20) as f32 + (len as f32 / 100.0).min(3.0);
            let mut node = i;
            for divisor in [1.0, 1.0, 2.0, 6.0, 9.0] {
                score[node] += s / divisor;
                node = self.flat.parent[node];
                if node == NONE || node < body {
                    break;
                }
            }
        }
        let final_score = |i: usize| -> f32 {
            if score[i] <= 0.0 {
                return 0.0;
            }
            let tag_bonus = match self.flat.tag(i) {
                Some("div" | "article" | "section" | "main") => 5.0,
                Some("pre" | "td" | "blockquote") => 3.0,
                Some("ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" | "address") => -3.0,
                Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th") => -5.0,
                _ => 0.0,
            };
            let h = self.hints[i];
            let class_bonus = if h.article_body {
                50.0
            } else if h.positive {
                25.0
            } else if h.weak {
                -25.0
            } else {
                0.0
            };
            (score[i] + tag_bonus + class_bonus).max(0.0) * (1.0 - self.link_density(i))
        };
        let mut ranked: Vec<(usize, f32)> =
            (body..end).filter(|&i| score[i] > 0.0).map(|i| (i, final_score(i))).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let Some(&(mut top, top_score)) = ranked.first() else {
            return Vec::new();
        };
        // An article cut into many blocks (a CMS's content elements) scores in each of them
        // alike: when several of the best candidates score nearly as well as the top one, their
        // common ancestor is the article (as Mozilla's Readability does).
        let rivals: Vec<usize> = ranked
            .iter()
            .skip(1)
            .take(TOP_CANDIDATES - 1)
            .filter(|&&(i, s)| {
                s >= RIVAL_SCORE * top_score && !self.flat.is_ancestor(top, i) && !self.flat.is_ancestor(i, top)
            })
            .map(|&(i, _)| i)
            .collect();
        if rivals.len() >= MIN_RIVALS {
            let mut ancestor = self.flat.parent[top];
            while ancestor != NONE && ancestor >= body {
                let inside = rivals.iter().filter(|&&r| self.flat.is_ancestor(ancestor, r)).count();
                if inside >= MIN_RIVALS {
                    top = ancestor;
                    break;
                }
                ancestor = self.flat.parent[ancestor];
            }
        }
        // A candidate that is its parent's only element stands for the parent, so that the
        // sibling check below sees the article's other blocks (as Mozilla's Readability does).
        while top != body {
            let parent = self.flat.parent[top];
            if parent == NONE || parent == body || self.kept_elements(parent) != 1 {
                break;
            }
            top = parent;
        }
        let parent = self.flat.parent[top];
        if parent == NONE || top == body {
            return vec![top];
        }
        let threshold = (0.2 * final_score(top)).max(10.0);
        self.flat
            .children(parent)
            .filter(|&c| !self.removed[c] && self.flat.tag(c).is_some())
            .filter(|&c| c == top || final_score(c) >= threshold || (self.text[c] > 80 && self.link_density(c) < 0.25))
            .collect()
    }

    /// How many kept elements are direct children of `i`.
    fn kept_elements(&self, i: usize) -> usize {
        self.flat.children(i).filter(|&c| !self.removed[c] && self.flat.tag(c).is_some()).count()
    }

    /// The article's lead when it stands apart from the chosen container: the kept blocks between
    /// the headline (the last `<h1>` before the container) and the container, as subtrees in
    /// document order. Empty when there is no such headline or when that stretch holds more
    /// prose than a lead (then it is something else: teasers, a sidebar).
    fn lead_before(&self, roots: &[usize]) -> Vec<usize> {
        let Some(&first) = roots.first() else { return Vec::new() };
        let Some(h1) = (0..first).rev().find(|&i| self.flat.tag(i) == Some("h1") && !self.flat.is_ancestor(i, first))
        else {
            return Vec::new();
        };
        let mut lead = Vec::new();
        let mut prose = 0;
        let mut i = self.flat.end[h1];
        while i < first {
            if self.flat.is_ancestor(i, first) {
                i += 1;
                continue;
            }
            if !self.removed[i] && self.text[i] > 0 {
                lead.push(i);
                prose += self.text[i].saturating_sub(self.link[i]);
            }
            i = self.flat.end[i];
        }
        if prose as f32 > LEAD_MAX { Vec::new() } else { lead }
    }

    /// The block that repeats the page's own summary (`<meta name=description>`, `og:description`):
    /// the article's lead or teaser, which themes often name or wrap like chrome (`teaser-text`,
    /// `<header class="intro">`). Found by one search over the visible text of the body, so
    /// linear; text inside code, hidden elements and unmistakable chrome does not count.
    fn description_block(&self, body: usize) -> Option<usize> {
        let keys: Vec<String> = self.descriptions().iter().filter_map(|d| description_key(d)).collect();
        if keys.is_empty() {
            return None;
        }
        let end = self.flat.end[body];
        // The body's visible characters, whitespace left out, and where each text node starts.
        let mut text = String::new();
        let mut starts: Vec<(usize, usize)> = Vec::new();
        let mut excluded = vec![false; end - body];
        for i in body..end {
            let p = self.flat.parent[i];
            let parent_excluded = p != NONE && p >= body && excluded[p - body];
            excluded[i - body] = parent_excluded || self.never_text(i);
            if excluded[i - body] {
                continue;
            }
            if let Some(t) = self.flat.text(i) {
                starts.push((text.len(), i));
                text.extend(t.chars().filter(|c| !c.is_whitespace()));
            }
        }
        let (offset, key) = keys.iter().find_map(|k| text.find(k.as_str()).map(|o| (o, k)))?;
        let node = starts[starts.partition_point(|&(s, _)| s <= offset).saturating_sub(1)].1;
        let mut block = self.flat.parent[node];
        while block != NONE && !self.flat.tag(block).is_some_and(patterns::is_block) {
            block = self.flat.parent[block];
        }
        // A lead is a block of its own, not the wrapper of the page or of the headline.
        let key_len = key.chars().count() as u32;
        let small = self.raw_text.get(block).is_some_and(|&t| t <= 3 * key_len + 400);
        (block != NONE && block > body && small && self.flat.tag(block) != Some("h1")).then_some(block)
    }

    /// The page's summaries from its `<meta>` tags, in the order they appear.
    fn descriptions(&self) -> Vec<&'a str> {
        (0..self.flat.len())
            .filter_map(|i| self.flat.nodes[i].value().as_element())
            .filter(|e| e.name() == "meta")
            .filter(|e| {
                let key = e.attr("name").or_else(|| e.attr("property")).unwrap_or("").trim();
                ["description", "og:description", "twitter:description"].iter().any(|k| key.eq_ignore_ascii_case(k))
            })
            .filter_map(|e| e.attr("content"))
            .collect()
    }

    /// Keeps `lead` (see [`Self::description_block`]) although names or tags dropped it: inside
    /// an article root it is rendered in place, elsewhere it becomes a root of its own.
    /// Returns false, changing nothing, when the lead holds the article already.
    fn keep_lead(&mut self, lead: usize, roots: &mut Vec<usize>) -> bool {
        if roots.iter().any(|&r| self.flat.is_ancestor(lead, r)) {
            return false; // It holds the article already.
        }
        if let Some(&root) = roots.iter().find(|&&r| self.flat.is_ancestor(r, lead)) {
            let mut a = self.flat.parent[lead];
            while a != NONE && a != root {
                self.removed[a] = false;
                a = self.flat.parent[a];
            }
        } else {
            roots.insert(roots.partition_point(|&r| r < lead), lead);
        }
        // Inside the lead, code, hidden elements and unmistakable chrome stay dropped.
        for i in lead..self.flat.end[lead] {
            let p = self.flat.parent[i];
            let parent_removed = i != lead && self.removed[p];
            self.removed[i] = parent_removed || self.never_text(i);
        }
        true
    }

    /// An element whose text never counts as a lead's, whatever is kept: code and dropped tags,
    /// hidden elements, unmistakable chrome.
    fn never_text(&self, i: usize) -> bool {
        self.flat.tag(i).is_some_and(|tag| {
            let h = self.hints[i];
            patterns::is_dropped_tag(tag) || h.hidden || h.hard
        })
    }

    fn render(&self, roots: &[usize]) -> MainText {
        let mut renderer = Renderer::new(&self.flat, &self.removed, Some(self));
        for &root in roots {
            renderer.run(root);
        }
        renderer.finish()
    }

    /// Link lists (menus, related articles, tag clouds) inside the chosen container.
    fn is_link_list(&self, i: usize) -> bool {
        let container = matches!(
            self.flat.tag(i),
            Some("ul" | "ol" | "dl" | "table" | "tbody" | "tr" | "div" | "section" | "header" | "form" | "span" | "p")
        );
        container && self.links[i] >= 2 && self.link_density(i) > 0.6
    }
}

/// The start of a page description to look for in the text: its first visible characters
/// (whitespace left out, a trailing ellipsis cut), or `None` when it is too short to identify a
/// block.
fn description_key(description: &str) -> Option<String> {
    const KEY_CHARS: usize = 60;
    const MIN_CHARS: usize = 30;
    let visible: String = description.chars().filter(|c| !c.is_whitespace()).collect();
    let visible = visible.trim_end_matches(['.', '…']);
    let key: String = visible.chars().take(KEY_CHARS).collect();
    (key.chars().count() >= MIN_CHARS).then_some(key)
}

/// Whether an element is page chrome, judged from its tag, its hints and how much of the page's
/// text it holds (`page` characters in all).
fn is_chrome(tag: &str, h: Hints, text: f32, link: f32, page: f32) -> bool {
    if patterns::is_dropped_tag(tag) {
        return true;
    }
    let share = if page > 0.0 { text / page } else { 0.0 };
    if h.hidden {
        return share < 0.5;
    }
    if matches!(tag, "html" | "body" | "main" | "article") || h.article_body {
        return false;
    }
    let low_links = text > 0.0 && link / text < 0.3;
    if h.hard {
        // A wrapper that holds most of the page's prose is the article, whatever its names say
        // (`social-scroll-past-this`, `sharing-container`); comments never are.
        return h.comments || !(share >= 0.5 && low_links);
    }
    if h.sidebar && !h.positive {
        return !(share >= 0.8 && low_links);
    }
    if h.weak || patterns::is_weak_tag(tag) {
        let big = (h.positive && share >= 0.25) || (share >= 0.5 && low_links);
        return !big;
    }
    false
}

/// Short lines that are controls or labels rather than text, in the languages most often seen.
/// Only whole lines are matched, so the same words inside a sentence are kept.
const BOILERPLATE_LINES: &[&str] = &[
    "advertisement",
    "advertising",
    "anzeige",
    "werbung",
    "publicité",
    "publicidad",
    "pubblicità",
    "reklama",
    "share",
    "share this",
    "share this article",
    "share on facebook",
    "share on twitter",
    "teilen",
    "artikel teilen",
    "partager",
    "compartir",
    "condividi",
    "tweet",
    "print",
    "drucken",
    "email",
    "e-mail",
    "facebook",
    "twitter",
    "whatsapp",
    "pinterest",
    "linkedin",
    "reddit",
    "read more",
    "weiterlesen",
    "mehr lesen",
    "lire la suite",
    "leer más",
    "continue reading",
    "skip to content",
    "skip to main content",
    "zum inhalt springen",
    "back to top",
    "nach oben",
    "top",
    "comments",
    "kommentare",
    "kommentieren",
    "leave a comment",
    "leave a reply",
    "related",
    "related articles",
    "more",
    "mehr",
    "menu",
    "menü",
    "close",
    "schließen",
    "loading...",
    "loading…",
];

/// Turns kept nodes into paragraphs.
struct Renderer<'r, 'a> {
    flat: &'r Flat<'a>,
    removed: &'r [bool],
    /// Statistics for dropping link lists; `None` renders everything kept.
    page: Option<&'r Page<'a>>,
    paragraphs: Vec<String>,
    buf: String,
    buf_link: usize,
    buf_has_time: bool,
    buf_heading: bool,
    /// Which paragraphs are headings, to drop headings left without text after them.
    headings: Vec<bool>,
}

impl<'r, 'a> Renderer<'r, 'a> {
    fn new(flat: &'r Flat<'a>, removed: &'r [bool], page: Option<&'r Page<'a>>) -> Self {
        Renderer {
            flat,
            removed,
            page,
            paragraphs: Vec::new(),
            buf: String::new(),
            buf_link: 0,
            buf_has_time: false,
            buf_heading: false,
            headings: Vec::new(),
        }
    }

    fn run(&mut self, root: usize) {
        self.flush();
        let end = self.flat.end[root];
        // End indices of the open blocks and of the open link, to flush or stop counting there.
        let mut open_blocks: Vec<usize> = Vec::new();
        let mut link_end = 0;
        let mut i = root;
        while i < end {
            while open_blocks.last().is_some_and(|&e| e <= i) {
                open_blocks.pop();
                self.flush();
            }
            if self.removed[i] {
                i = self.flat.end[i];
                continue;
            }
            if let Some(text) = self.flat.text(i) {
                self.buf.push_str(text);
                if i < link_end {
                    self.buf_link += visible_len(text);
                }
            } else if let Some(tag) = self.flat.tag(i) {
                if i != root && self.page.is_some_and(|p| p.is_link_list(i)) {
                    i = self.flat.end[i];
                    continue;
                }
                match tag {
                    "br" | "hr" => self.flush(),
                    "a" if link_end <= i && self.flat.is_link(i) => link_end = self.flat.end[i],
                    "time" => self.buf_has_time = true,
                    // Images and other void elements separate words the way a browser shows them.
                    "img" => self.buf.push(' '),
                    _ => {}
                }
                if patterns::is_block(tag) {
                    self.flush();
                    open_blocks.push(self.flat.end[i]);
                    self.buf_heading = matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                }
            }
            i += 1;
        }
        self.flush();
    }

    fn flush(&mut self) {
        let raw = std::mem::take(&mut self.buf);
        let link = std::mem::replace(&mut self.buf_link, 0);
        let has_time = std::mem::replace(&mut self.buf_has_time, false);
        let heading = std::mem::replace(&mut self.buf_heading, false);
        let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return;
        }
        if self.page.is_some() && is_boilerplate_line(&text, link, has_time) {
            return;
        }
        if self.paragraphs.last() != Some(&text) {
            // A label followed by a heading or by another label introduced something dropped.
            if self.page.is_some()
                && (heading || is_label(&text))
                && self.headings.last() == Some(&false)
                && self.paragraphs.last().is_some_and(|p| is_label(p))
            {
                self.paragraphs.pop();
                self.headings.pop();
            }
            self.paragraphs.push(text);
            self.headings.push(heading);
        }
    }

    fn finish(mut self) -> MainText {
        self.flush();
        // A heading or a short line ending in a colon with no text after it introduced something
        // that was dropped ("Related stories", "You might also like", "More on this topic:").
        if self.page.is_some() {
            while self.paragraphs.len() > 1
                && (self.headings.last() == Some(&true) || self.paragraphs.last().is_some_and(|p| is_label(p)))
            {
                self.headings.pop();
                self.paragraphs.pop();
            }
        }
        MainText { text: self.paragraphs.join("\n\n"), opens_with_heading: self.headings.first() == Some(&true) }
    }
}

/// A short line that announces what follows it ("Further reading:", "Contact:").
fn is_label(text: &str) -> bool {
    const LABEL_MAX: usize = 60;
    text.ends_with(':') && visible_len(text) <= LABEL_MAX
}

/// A block that is a link, a date line or a control label rather than text.
fn is_boilerplate_line(text: &str, link_chars: usize, has_time: bool) -> bool {
    let len = visible_len(text);
    if len == 0 {
        return true;
    }
    // Links spelled out as addresses are content (a petition, a source); other link-only blocks
    // are navigation.
    let spelled_out_url = text.starts_with("http") || text.starts_with("www.");
    if link_chars * 5 > len * 4 && !spelled_out_url {
        return true;
    }
    if (has_time && len < 100) || (len <= 50 && is_dateline(text)) {
        return true;
    }
    // A copyright notice ("© 2022, Example.com. This article is…"), in any language.
    if text.trim_start().starts_with('©') {
        return true;
    }
    if is_homoglyph_spam(text) {
        return true;
    }
    if len <= 40 {
        let lower = text.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if BOILERPLATE_LINES.contains(&lower.as_str()) {
            return true;
        }
    }
    false
}

/// Words spelled with Latin and Cyrillic look-alike letters mixed ("Аdvеrtіѕе"): a trick of ads
/// and spam to dodge filters, never in real prose of either script. Three such words make a block
/// an ad.
fn is_homoglyph_spam(text: &str) -> bool {
    let mixed = |w: &str| {
        w.chars().any(|c| c.is_ascii_alphabetic()) && w.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    };
    text.split_whitespace().filter(|w| mixed(w)).take(3).count() == 3
}

/// A short line that is a date and a few words around it ("24. März 2004, 19:49 | Genesis",
/// "05.11.2014 um 14:25 Uhr") rather than a sentence that mentions a date.
fn is_dateline(text: &str) -> bool {
    let sentence = text.trim_end().ends_with(['.', '!', '?']) && !text.trim_end().ends_with("Uhr.");
    text.split_whitespace().count() <= 6 && !sentence && has_date_or_time(text)
}

/// Whether a text holds a clock time (`19:49`) or a numeric date (`05.11.2014`, `2014-11-05`,
/// `11/5/14`): on a short line that marks a dateline or a byline, in any language.
fn has_date_or_time(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '.' | '/' | '-'))).any(|token| {
        let token = token.trim_matches(|c: char| !c.is_ascii_digit());
        let groups: Vec<&str> = token.split([':', '.', '/', '-']).collect();
        let digits =
            |g: &str, min: usize, max: usize| (min..=max).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit());
        match groups.as_slice() {
            [h, m] => token.contains(':') && digits(h, 1, 2) && digits(m, 2, 2),
            [a, b, c, ..] => digits(a, 1, 4) && digits(b, 1, 2) && digits(c, 2, 4) && !token.contains(':'),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copyright_notices_and_homoglyph_ads_are_boilerplate() {
        assert!(is_boilerplate_line("© 2022, Example News. This article is the property of Example News.", 0, false));
        assert!(is_boilerplate_line("Аdvеrtіѕе wіth thе most visited news site. Соntасt uѕ today.", 0, false));
        assert!(!is_boilerplate_line("Москва и Berlin подписали соглашение о сотрудничестве, сказал он.", 0, false));
        assert!(!is_boilerplate_line("The law (© symbols aside) protects authors for seventy years.", 0, false));
    }

    #[test]
    fn datelines_are_recognised() {
        assert!(has_date_or_time("24. März 2004, 19:49 | Genesis"));
        assert!(has_date_or_time("Posted 05.11.2014"));
        assert!(has_date_or_time("2014-11-05 by admin"));
        assert!(!has_date_or_time("Version 1.2 is out"));
        assert!(!has_date_or_time("Im Jahr 1990 gegründet"));
        assert!(is_dateline("05.11.2014 um 14:25 Uhr"));
        assert!(!is_dateline("Am 13.05.2014 trat das Gesetz in Kraft."));
        assert!(!is_dateline("Endstand nach Verlängerung 2:1"));
    }
}
