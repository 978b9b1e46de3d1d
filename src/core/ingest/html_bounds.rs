//! Parsing HTML in time and memory that grow linearly with its size, whatever the markup.
//!
//! html5ever follows the HTML standard, and some of the standard's steps cost as much as the
//! nesting is deep: "has an element in scope" walks the stack of open elements on almost every
//! tag, reconstructing the active formatting elements clones every formatting element that is
//! still active into each new text, and the tokenizer checks every attribute of a tag against
//! the ones before it. On hostile markup parsing becomes quadratic (40,000 nested `<div>`s took
//! 7.8 s; tags with distinct unclosed `<b id=…>`s make the tree grow with the square of the
//! input). Browsers bound the same things (Chrome nests at most 512 deep). So do we:
//!
//! - A start tag that would take the parser past [`MAX_OPEN`] open and active formatting
//!   elements is dropped (its contents stay, they just nest no deeper), as is a formatting tag
//!   past [`MAX_FORMATTING`]; the end tags of dropped tags are dropped with them. The parser's
//!   own counts are read from it, so well-formed and tag-soup pages alike are judged by what
//!   html5ever really holds.
//! - Tags keep their first [`MAX_ATTRIBUTES`] attributes ([`cap_attributes`], one linear pass
//!   over the text before it is tokenized).
//! - A page that makes more nodes than [`max_nodes`] allows for its size is a parser bomb: it is
//!   refused.
//! - Every token counts against the parse's time budget ([`super::budget`]); once it runs out
//!   the rest of the page is left unread.
//!
//! Real pages are far from every bound (the deepest of our 998 test pages nests about 40 deep),
//! and parse exactly as html5ever alone parses them.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use ego_tree::NodeId;
use html5ever::TokenizerResult;
use html5ever::interface::{Tracer, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use html5ever::tree_builder::TreeBuilder;
use html5ever::{LocalName, ParseOpts};
use rustc_hash::FxHashMap;
use scraper::{Html, HtmlTreeSink};

use super::budget;

/// Open elements plus active formatting elements the parser may hold before start tags are
/// dropped (Chrome's nesting limit).
pub const MAX_OPEN: usize = 512;
/// Formatting elements (`<b>`, `<a>`, `<font>` …) open or active before formatting start tags
/// are dropped: each text node may get a clone of every active one.
pub const MAX_FORMATTING: usize = 16;
/// Attributes a tag keeps.
pub const MAX_ATTRIBUTES: usize = 256;

/// Nodes a page of `bytes` bytes may make: dense real markup makes about one node per 10 bytes
/// and tag soup perhaps one per 4, while a parser bomb makes several per byte.
pub fn max_nodes(bytes: usize) -> usize {
    100_000 + bytes / 4
}

/// What a bounded parse did, for tests and for the importer's reasons.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseStats {
    /// Tokens the tokenizer produced before the parse ended.
    pub tokens: usize,
    /// The most open and active formatting elements the parser held at a start tag.
    pub max_open: usize,
    /// Start tags dropped for nesting too deep.
    pub dropped_tags: usize,
    /// Nodes in the finished tree.
    pub nodes: usize,
    /// Whether the page was left unread past [`max_nodes`].
    pub too_many_nodes: bool,
}

/// Parses a whole page within the bounds above. Fails on a parser bomb.
pub fn parse_document(html: &str) -> Result<Html, String> {
    let (doc, stats) = parse_document_with_stats(html);
    if stats.too_many_nodes {
        return Err(format!(
            "HTML markup that makes over {} elements from {} bytes (a parser bomb), not read",
            max_nodes(html.len()),
            html.len()
        ));
    }
    Ok(doc)
}

/// [`parse_document`], with what the parse did.
pub fn parse_document_with_stats(html: &str) -> (Html, ParseStats) {
    let text = cap_attributes(html);
    let opts = ParseOpts::default();
    let builder = TreeBuilder::new(HtmlTreeSink::new(Html::new_document()), opts.tree_builder);
    let sink = Bounded {
        builder,
        max_nodes: max_nodes(html.len()),
        halted: Cell::new(false),
        dropped: RefCell::new(FxHashMap::default()),
        last_held: Cell::new((0, 0)),
        starts_since: Cell::new(0),
        full: Cell::new(false),
        stats: Cell::new(ParseStats::default()),
    };
    let tokenizer = Tokenizer::new(sink, opts.tokenizer);
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&text));
    // A script's end makes the tokenizer return for the script to run; a halt does too.
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) && !tokenizer.sink.halted.get() {}
    tokenizer.end();
    let Bounded { builder, stats, .. } = tokenizer.sink;
    let doc = builder.sink.finish();
    let stats = ParseStats { nodes: doc.tree.values().len(), ..stats.get() };
    (doc, stats)
}

/// The tree builder behind a filter that keeps it within the bounds.
struct Bounded {
    builder: TreeBuilder<NodeId, HtmlTreeSink>,
    max_nodes: usize,
    /// Set when the page is left unread from here on (budget spent or too many nodes).
    halted: Cell<bool>,
    /// Start tags dropped, by name, whose end tags are still to come.
    dropped: RefCell<FxHashMap<LocalName, usize>>,
    /// What [`Bounded::held`] counted last, and the start tags passed on since.
    last_held: Cell<(usize, usize)>,
    starts_since: Cell<usize>,
    /// Held at the limit: start tags are dropped until an end tag reaches the parser (only an
    /// end tag can close anything while no start tag gets through).
    full: Cell<bool>,
    stats: Cell<ParseStats>,
}

impl Bounded {
    /// Open and active formatting elements the parser holds, and how many of them are
    /// formatting elements. Costs as many steps as it counts (at most about [`MAX_OPEN`]).
    fn held(&self) -> (usize, usize) {
        struct Count<'a> {
            tree: &'a ego_tree::Tree<scraper::Node>,
            all: Cell<usize>,
            formatting: Cell<usize>,
        }
        impl Tracer for Count<'_> {
            type Handle = NodeId;
            fn trace_handle(&self, node: &NodeId) {
                self.all.set(self.all.get() + 1);
                let name = self.tree.get(*node).and_then(|n| n.value().as_element()).map(|e| e.name());
                if name.is_some_and(is_formatting) {
                    self.formatting.set(self.formatting.get() + 1);
                }
            }
        }
        let html = self.builder.sink.0.borrow();
        let count = Count { tree: &html.tree, all: Cell::new(0), formatting: Cell::new(0) };
        self.builder.trace_handles(&count);
        (count.all.get(), count.formatting.get())
    }

    fn update(&self, change: impl FnOnce(&mut ParseStats)) {
        let mut stats = self.stats.get();
        change(&mut stats);
        self.stats.set(stats);
    }

    /// Whether the parse goes on: false once the budget is spent or the page made too many nodes.
    fn goes_on(&self) -> bool {
        if self.halted.get() {
            return false;
        }
        if budget::exhausted() {
            self.halted.set(true);
        } else if self.builder.sink.0.borrow().tree.values().len() > self.max_nodes {
            self.halted.set(true);
            self.update(|s| s.too_many_nodes = true);
        }
        !self.halted.get()
    }

    /// Whether a start tag is dropped for nesting too deep (counted and noted if so).
    fn drops_start(&self, name: &LocalName) -> bool {
        if is_void(name) {
            return false;
        }
        if !self.full.get() && !self.may_be_full(name) {
            self.starts_since.set(self.starts_since.get() + 1);
            return false;
        }
        if !self.full.get() {
            let (held, formatting) = self.held();
            self.last_held.set((held, formatting));
            self.starts_since.set(1);
            self.update(|s| s.max_open = s.max_open.max(held));
            if held < MAX_OPEN && !(formatting >= MAX_FORMATTING && is_formatting(name)) {
                return false;
            }
            // Formatting elements only block formatting tags: other tags may still nest.
            self.full.set(held >= MAX_OPEN);
        }
        *self.dropped.borrow_mut().entry(name.clone()).or_default() += 1;
        self.update(|s| s.dropped_tags += 1);
        true
    }

    /// Whether the parser may hold enough for `name` to be dropped, judged without counting:
    /// each start tag adds at most one open and one formatting element, and reopening the
    /// active formatting elements at most doubles those (so counting is needed only now and
    /// then, however deep the page).
    fn may_be_full(&self, name: &str) -> bool {
        let (held, formatting) = self.last_held.get();
        let starts = self.starts_since.get();
        2 * held + 3 * starts >= MAX_OPEN || (is_formatting(name) && 2 * (formatting + 2 * starts) >= MAX_FORMATTING)
    }

    /// Whether an end tag closes a start tag that was dropped.
    fn drops_end(&self, name: &LocalName) -> bool {
        match self.dropped.borrow_mut().get_mut(name) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

impl TokenSink for Bounded {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<NodeId> {
        self.update(|s| s.tokens += 1);
        if !self.goes_on() {
            // Only a tag token may end the tokenizer's run early; other tokens are passed over.
            return match token {
                Token::TagToken(_) => TokenSinkResult::Script(self.builder.sink.get_document()),
                _ => TokenSinkResult::Continue,
            };
        }
        if let Token::TagToken(tag) = &token {
            let dropped = match tag.kind {
                TagKind::StartTag => self.drops_start(&tag.name),
                TagKind::EndTag => self.drops_end(&tag.name),
            };
            if dropped {
                return TokenSinkResult::Continue;
            }
            if tag.kind == TagKind::EndTag {
                self.full.set(false);
            }
        }
        self.builder.process_token(token, line_number)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder.adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// The formatting elements of the HTML standard: the ones the parser reopens after they are
/// closed by a block.
fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b" | "big" | "code" | "em" | "font" | "i" | "nobr" | "s" | "small" | "strike" | "strong" | "tt" | "u"
    )
}

/// Elements that never hold content, so never stay open.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "image"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// The markup with every tag cut to its first [`MAX_ATTRIBUTES`] attributes, the way html5ever's
/// tokenizer would read them; unchanged (borrowed) when no tag has more, as on every real page.
///
/// A linear pass that finds tags as the HTML tokenizer does: comments, `<!…>` and `<?…>`
/// declarations, and the contents of elements the tokenizer reads as raw text (`<script>`,
/// `<style>`, `<textarea>` …) are passed over. Where it could misjudge (raw text that is not
/// raw in foreign content), the worst outcome is a cut in text that has more than
/// [`MAX_ATTRIBUTES`] attribute-like words between a `<` and a `>`.
pub fn cap_attributes(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    // Bytes of `html` already copied to `out`.
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + found;
        i = lt + 1;
        let (end_tag, name_at) = match b.get(lt + 1) {
            Some(b'!') if b[lt..].starts_with(b"<!--") => {
                i = memchr::memmem::find(&b[lt + 4..], b"-->").map_or(b.len(), |e| lt + 4 + e + 3);
                continue;
            }
            Some(b'!' | b'?') => {
                i = memchr::memchr(b'>', &b[lt + 1..]).map_or(b.len(), |e| lt + 1 + e + 1);
                continue;
            }
            Some(b'/') if b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) => (true, lt + 2),
            Some(c) if c.is_ascii_alphabetic() => (false, lt + 1),
            _ => continue,
        };
        let name_end = name_at + b[name_at..].iter().take_while(|&&c| !is_space(c) && c != b'/' && c != b'>').count();
        let tag = scan_attributes(b, name_end);
        if let Some(cut) = tag.cut {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..cut]);
            copied = tag.close;
        }
        i = tag.end;
        if !end_tag {
            let name = html[name_at..name_end].to_ascii_lowercase();
            if name == "plaintext" {
                break;
            }
            if matches!(
                name.as_str(),
                "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" | "textarea" | "title"
            ) {
                i = raw_text_end(b, i, name.as_bytes());
            }
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    }
}

/// The whitespace of HTML tags (carriage returns become line feeds before tokenizing).
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Where a tag's attributes end and what to cut.
struct TagEnd {
    /// Just past the tag's `>` (or the end of the text).
    end: usize,
    /// Where the tag's `>` or `/>` begins: the text copied after a cut resumes there.
    close: usize,
    /// Where the first attribute past the limit begins, if there is one.
    cut: Option<usize>,
}

/// Reads the attributes of the tag whose name ends at `i`, by the tokenizer's states (before,
/// in and after attribute name; before and in attribute value).
fn scan_attributes(b: &[u8], mut i: usize) -> TagEnd {
    let mut count = 0;
    let mut cut = None;
    loop {
        // Before an attribute name: spaces, and `/` that is not the tag's end.
        while i < b.len() && (is_space(b[i]) || (b[i] == b'/' && b.get(i + 1) != Some(&b'>'))) {
            i += 1;
        }
        match b.get(i) {
            None => return TagEnd { end: b.len(), close: b.len(), cut },
            Some(b'>') => return TagEnd { end: i + 1, close: i, cut },
            Some(b'/') => return TagEnd { end: i + 2, close: i, cut },
            Some(_) => {}
        }
        count += 1;
        if count > MAX_ATTRIBUTES && cut.is_none() {
            cut = Some(i);
        }
        // The name: its first character may be anything, even `=`.
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        match b.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                i = memchr::memchr(quote, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e + 1);
            }
            // A missing value: the tag ends here.
            Some(b'>') => {}
            _ => {
                while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

/// Just past the text of a raw-text element that starts at `i`: where its end tag begins.
fn raw_text_end(b: &[u8], mut i: usize, name: &[u8]) -> usize {
    while let Some(found) = memchr::memmem::find(&b[i..], b"</") {
        let at = i + found;
        let candidate = &b[at + 2..];
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name)
            && candidate.get(name.len()).is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            return at;
        }
        i = at + 2;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Depth of the deepest element of a tree.
    fn depth(doc: &Html) -> usize {
        doc.tree.root().descendants().map(|n| n.ancestors().count()).max().unwrap_or(0)
    }

    fn text(doc: &Html) -> String {
        doc.root_element().text().collect()
    }

    #[test]
    fn real_pages_parse_as_html5ever_alone_parses_them() {
        let page = "<!doctype html><html><head><title>T</title><script>if (a<b && c>d) x()</script></head>\
            <body><div class=x><p>One <b>two<i>three</b> four</i><p>five<table><tr><td>6</table>\
            <svg><path d='M0'/></svg><!-- c --></div></body></html>";
        let (bounded, stats) = parse_document_with_stats(page);
        assert_eq!(bounded.html(), Html::parse_document(page).html());
        assert_eq!(stats.dropped_tags, 0);
        assert!(matches!(cap_attributes(page), Cow::Borrowed(_)));
    }

    /// Regression: 40,000 nested `<div>`s took 7.8 s (quadratic); the parser now holds at most
    /// MAX_OPEN of them, so its scope checks cost at most that much per tag.
    #[test]
    fn deep_nesting_is_bounded_and_keeps_the_text() {
        for n in [2_000, 20_000] {
            let page = format!("<body>{}<p>deep text</p>{}<p>after</p>", "<div>".repeat(n), "</div>".repeat(n));
            let (doc, stats) = parse_document_with_stats(&page);
            assert!(stats.max_open <= MAX_OPEN + 1, "{stats:?}");
            assert!((n - MAX_OPEN..=n).contains(&stats.dropped_tags), "{stats:?}");
            assert!(depth(&doc) <= MAX_OPEN + 2);
            assert_eq!(text(&doc), "deep textafter");
            // Work linear in n: one node per kept tag.
            assert!(stats.nodes < MAX_OPEN + 10, "{stats:?}");
        }
    }

    /// Distinct unclosed formatting elements are cloned into every later text: the tree grew
    /// with the square of the input.
    #[test]
    fn formatting_elements_cannot_multiply() {
        for n in [1_000, 4_000] {
            let page: String = (0..n).map(|i| format!("<p><b id=a{i}>x</p>")).collect();
            let (doc, stats) = parse_document_with_stats(&page);
            assert!(stats.nodes <= (MAX_FORMATTING + 3) * n, "{n}: {stats:?}");
            assert_eq!(text(&doc).len(), n);
        }
    }

    #[test]
    fn parser_bombs_are_refused() {
        // Every one of these formatting elements (distinct, so not limited to three by the
        // standard) is cloned into each paragraph.
        let formatting: String = (0..8).map(|i| format!("<b id={i}>")).collect();
        let page = format!("<p>{formatting}</p>{}", "<div>x</div>".repeat(50_000));
        let (_, stats) = parse_document_with_stats(&page);
        assert!(stats.too_many_nodes, "{stats:?}");
        assert!(parse_document(&page).is_err());
        assert!(stats.nodes <= max_nodes(page.len()) + 2 * MAX_FORMATTING);
    }

    #[test]
    fn attributes_are_capped_where_the_tokenizer_reads_them() {
        let many: String = (0..1000).map(|i| format!(" a{i}='x>y'")).collect();
        let page = format!("<p{many}>text</p><script><p{many}></script><!--<p{many}>-->");
        let capped = cap_attributes(&page);
        let doc = Html::parse_document(&capped);
        let p = doc.root_element().descendent_elements().find(|e| e.value().name() == "p").unwrap();
        assert_eq!(p.value().attrs().count(), MAX_ATTRIBUTES);
        assert_eq!(p.text().collect::<String>(), "text");
        // The script and the comment are not tags: left alone.
        assert_eq!((page.matches(" a999=").count(), capped.matches(" a999=").count()), (3, 2));
        assert!(capped.contains(&format!("<script><p{many}></script>")));
    }

    #[test]
    fn a_spent_budget_stops_the_parse() {
        let page = "<p>x</p>".repeat(100_000);
        let ((_, stats), spent) =
            budget::within(Some(std::time::Duration::ZERO), None, || parse_document_with_stats(&page));
        assert!(spent.stopped.is_some());
        assert!(stats.tokens < 1_000, "{stats:?}");
    }
}
