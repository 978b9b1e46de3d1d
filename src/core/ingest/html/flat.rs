//! A flat, pre-order copy of the parsed tree with per-element text statistics.
//!
//! Every element's subtree is the index range `i..end[i]`, so statistics are summed bottom-up in
//! one reverse pass and subtrees are skipped by jumping to `end[i]`: no walk ever nests inside
//! another, which keeps extraction linear in the size of the page. Iteration is explicit (no
//! recursion), so pathologically deep markup cannot overflow the stack.

use ego_tree::NodeRef;
use scraper::Node;

/// "No parent": the root of the flattened subtree.
pub(super) const NONE: usize = usize::MAX;

pub(super) struct Flat<'a> {
    pub nodes: Vec<NodeRef<'a, Node>>,
    pub parent: Vec<usize>,
    /// One past the last descendant.
    pub end: Vec<usize>,
}

impl<'a> Flat<'a> {
    /// Flattens `root` and everything below it.
    pub fn new(root: NodeRef<'a, Node>) -> Self {
        let mut nodes = Vec::new();
        let mut parent = Vec::new();
        // (node id, flat index) of the open ancestors of the node being visited.
        let mut open: Vec<(ego_tree::NodeId, usize)> = Vec::new();
        for node in root.descendants() {
            let parent_id = node.parent().map(|p| p.id());
            while let Some(&(id, _)) = open.last() {
                if Some(id) == parent_id {
                    break;
                }
                open.pop();
            }
            let index = nodes.len();
            parent.push(open.last().map_or(NONE, |&(_, i)| i));
            nodes.push(node);
            if node.has_children() {
                open.push((node.id(), index));
            }
        }
        let mut end: Vec<usize> = (1..=nodes.len()).collect();
        for i in (1..nodes.len()).rev() {
            let p = parent[i];
            if p != NONE && end[i] > end[p] {
                end[p] = end[i];
            }
        }
        Flat { nodes, parent, end }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Element name, or `None` for text, comments and the like.
    pub fn tag(&self, i: usize) -> Option<&'a str> {
        self.nodes[i].value().as_element().map(|e| e.name())
    }

    pub fn text(&self, i: usize) -> Option<&'a str> {
        match self.nodes[i].value() {
            Node::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Whether element `i` is a link a reader can follow: an `<a>` with an `href`. A named anchor
    /// (`<a name="section">`, a jump target) wraps ordinary text.
    pub fn is_link(&self, i: usize) -> bool {
        self.nodes[i].value().as_element().is_some_and(|e| e.name() == "a" && e.attr("href").is_some())
    }

    /// Direct children of `i`, in document order.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.end[i];
        let mut next = i + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let child = next;
            next = self.end[child];
            Some(child)
        })
    }

    pub fn is_ancestor(&self, ancestor: usize, i: usize) -> bool {
        ancestor <= i && i < self.end[ancestor]
    }
}

/// Visible characters of a text, whitespace not counted.
pub(super) fn visible_len(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Commas of the Latin, CJK and Arabic scripts: a weak sign of running prose.
pub(super) fn comma_count(text: &str) -> usize {
    text.chars().filter(|c| matches!(c, ',' | '，' | '、' | '،')).count()
}
