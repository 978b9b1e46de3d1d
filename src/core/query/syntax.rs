//! The query language: Boolean, phrase, proximity and field search as analysts write it, parsed
//! into a tree, printed back the way it was understood, and rejected with the position of the
//! problem when it is not a query.
//!
//! ```text
//! query   := [Label '='] or
//! or      := and ('OR' and)*
//! and     := unary (['AND'] unary)*              adjacent clauses are ANDed
//! unary   := 'NOT' unary | '+' unary | '-' unary | near
//! near    := operand [('NEAR' | 'NEAR/n' | 'ONEAR' | 'ONEAR/n') operand]
//! operand := [field] atom
//! atom    := word | word* | "phrase" | "phrase word*" | '(' or ')'
//! field   := 'title:' | 'text:' | 'source:'
//! ```
//!
//! Operators are upper case only (`and` is a word). NOT binds tighter than AND, AND than OR, and
//! NEAR tighter than NOT. A bare token whose characters make several words (`U.S.`, `pro-Putin`)
//! is a phrase of them; words separated by spaces are separate clauses. Words follow the term
//! rules (letters and digits, Unicode lower case). This module only parses: what a query
//! matches and counts is [`super::eval`].

use std::fmt;

use super::terms::{WordPattern, lower_word_into, words};

/// The largest distance `NEAR/n` takes.
pub const MAX_NEAR: u32 = 50;
/// `NEAR` without a number.
pub const DEFAULT_NEAR: u32 = 5;

/// A parsed query: its label and its tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub label: String,
    pub root: Node,
}

/// Where a leaf must occur.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    #[default]
    Any,
    /// The text's first line.
    Title,
    /// Everything after the first line.
    Text,
}

/// A word, prefix or phrase: consecutive words, the last of which may be a prefix.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Leaf {
    pub words: Vec<WordPattern>,
    pub field: Field,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Leaf(Leaf),
    /// Articles whose source equals this (compared lower-cased, trimmed): a filter, never a mention.
    Source(String),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Near(Near),
}

/// `left NEAR/distance right`: occurrences at most `distance` words apart, not overlapping;
/// `ordered` (ONEAR): the left one first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Near {
    pub left: Vec<Leaf>,
    pub right: Vec<Leaf>,
    pub distance: u32,
    pub ordered: bool,
}

/// Why input is not a query, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (column {column})")]
pub struct QueryError {
    pub message: String,
    /// Byte offset into the input.
    pub offset: usize,
    /// 1-based, in characters: what a user counts.
    pub column: usize,
}

impl Query {
    /// Parses `[Label=]query`.
    pub fn parse(input: &str) -> Result<Query, QueryError> {
        let (label, body, body_offset) = split_label(input);
        let tokens = lex(body).map_err(|(message, offset)| error(input, body_offset + offset, message))?;
        let mut parser = Parser { tokens: &tokens, at: 0, end: body.len() };
        let root = parser.query().map_err(|(message, offset)| error(input, body_offset + offset, message))?;
        let label = match label {
            Some(l) => l.to_string(),
            None => input.trim().to_string(),
        };
        Ok(Query { label, root })
    }

    /// Whether input for the window's one entry field is meant as a query rather than a term:
    /// it holds a quote, a parenthesis, an operator, a field, or a token starting with `+`/`-`.
    /// Anything else keeps its meaning as a term (`Vladimir Putin` a phrase, `|` alternatives).
    pub fn looks_like_query(input: &str) -> bool {
        let (_, body, _) = split_label(input);
        body.contains(['"', '(', ')'])
            || body.split_whitespace().any(|t| {
                matches!(t, "AND" | "OR" | "NOT" | "NEAR" | "ONEAR")
                    || t.starts_with("NEAR/")
                    || t.starts_with("ONEAR/")
                    || t.starts_with(['+', '-'])
                    || ["title:", "text:", "source:"].iter().any(|f| t.starts_with(f))
            })
    }

    /// The leaves under `NOT` (or `-`) are negative; all others are positive.
    pub fn leaves(&self) -> Vec<&Leaf> {
        let mut out = Vec::new();
        self.root.each_leaf(&mut |leaf| out.push(leaf));
        out
    }
}

impl Node {
    fn each_leaf<'a>(&'a self, f: &mut impl FnMut(&'a Leaf)) {
        match self {
            Node::Leaf(leaf) => f(leaf),
            Node::Source(_) => {}
            Node::And(children) | Node::Or(children) => children.iter().for_each(|c| c.each_leaf(f)),
            Node::Not(child) => child.each_leaf(f),
            Node::Near(near) => near.left.iter().chain(&near.right).for_each(f),
        }
    }
}

/// `Label=query` when the text before the first `=` holds no quote or parenthesis.
fn split_label(input: &str) -> (Option<&str>, &str, usize) {
    if let Some(i) = input.find('=') {
        let label = input[..i].trim();
        if !label.is_empty() && !label.contains(['"', '(', ')']) {
            return (Some(label), &input[i + 1..], i + 1);
        }
    }
    (None, input, 0)
}

fn error(input: &str, offset: usize, message: String) -> QueryError {
    let offset = offset.min(input.len());
    let column = input[..offset].chars().count() + 1;
    QueryError { message, offset, column }
}

#[derive(Clone, Debug, PartialEq)]
enum Token<'a> {
    Open,
    Close,
    /// The text between the quotes.
    Quoted(&'a str),
    Bare(&'a str),
}

/// Tokens with their byte offsets.
fn lex(input: &str) -> Result<Vec<(Token<'_>, usize)>, (String, usize)> {
    let mut out = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                out.push((Token::Open, i));
                chars.next();
            }
            ')' => {
                out.push((Token::Close, i));
                chars.next();
            }
            '"' => {
                chars.next();
                let close = input[i + 1..].find('"').ok_or(("this quote is never closed".to_string(), i))?;
                out.push((Token::Quoted(&input[i + 1..i + 1 + close]), i));
                while chars.peek().is_some_and(|&(j, _)| j <= i + 1 + close) {
                    chars.next();
                }
            }
            _ => {
                let end = input[i..]
                    .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"'))
                    .map_or(input.len(), |e| i + e);
                out.push((Token::Bare(&input[i..end]), i));
                while chars.peek().is_some_and(|&(j, _)| j < end) {
                    chars.next();
                }
            }
        }
    }
    Ok(out)
}

type ParseResult<T> = Result<T, (String, usize)>;

struct Parser<'t, 'a> {
    tokens: &'t [(Token<'a>, usize)],
    at: usize,
    /// The input's length, where "the end" is.
    end: usize,
}

/// An operator keyword, if the token is one.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Keyword {
    And,
    Or,
    Not,
    Near { distance: u32, ordered: bool },
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<&(Token<'a>, usize)> {
        self.tokens.get(self.at)
    }

    fn offset(&self) -> usize {
        self.peek().map_or(self.end, |t| t.1)
    }

    fn keyword(&self) -> ParseResult<Option<Keyword>> {
        let Some((Token::Bare(text), at)) = self.peek() else { return Ok(None) };
        Ok(Some(match *text {
            "AND" => Keyword::And,
            "OR" => Keyword::Or,
            "NOT" => Keyword::Not,
            _ => {
                let (ordered, rest) = if let Some(rest) = text.strip_prefix("ONEAR") {
                    (true, rest)
                } else if let Some(rest) = text.strip_prefix("NEAR") {
                    (false, rest)
                } else {
                    return Ok(None);
                };
                let distance = match rest {
                    "" => DEFAULT_NEAR,
                    _ => {
                        let digits =
                            rest.strip_prefix('/').filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
                        let Some(digits) = digits else {
                            // "NEARBY" and the like are words.
                            if rest.starts_with('/') {
                                return Err((format!("{text}: write the distance as a number, e.g. NEAR/10"), *at));
                            }
                            return Ok(None);
                        };
                        let n: u64 = digits.parse().unwrap_or(u64::MAX);
                        if n > u64::from(MAX_NEAR) {
                            return Err((format!("{text}: the distance may be at most {MAX_NEAR} words"), *at));
                        }
                        n as u32
                    }
                };
                Keyword::Near { distance, ordered }
            }
        }))
    }

    fn query(&mut self) -> ParseResult<Node> {
        if self.tokens.is_empty() {
            return Err(("the query is empty".to_string(), 0));
        }
        let node = self.or()?;
        match self.peek() {
            None => Ok(node),
            Some((Token::Close, at)) => Err(("this ')' has no '(' before it".to_string(), *at)),
            Some((_, at)) => Err(("unexpected here".to_string(), *at)),
        }
    }

    fn or(&mut self) -> ParseResult<Node> {
        let mut children = vec![self.and()?];
        while self.keyword()? == Some(Keyword::Or) {
            let at = self.offset();
            self.at += 1;
            if self.clause_ends() {
                return Err(("OR needs something after it".to_string(), at));
            }
            children.push(self.and()?);
        }
        Ok(if children.len() == 1 { children.remove(0) } else { Node::Or(children) })
    }

    /// Whether no clause can start here: the end, a ')' or a binary operator.
    fn clause_ends(&self) -> bool {
        matches!(self.peek(), None | Some((Token::Close, _)))
            || matches!(self.keyword(), Ok(Some(Keyword::And | Keyword::Or | Keyword::Near { .. })))
    }

    fn and(&mut self) -> ParseResult<Node> {
        if self.clause_ends() {
            let what = match self.keyword() {
                Ok(Some(Keyword::And)) => "AND needs something before it",
                Ok(Some(Keyword::Or)) => "OR needs something before it",
                Ok(Some(Keyword::Near { .. })) => "NEAR needs a word, phrase or group on each side",
                _ if matches!(self.peek(), Some((Token::Close, _))) => "empty parentheses or a missing clause",
                _ => "something is missing here",
            };
            return Err((what.to_string(), self.offset()));
        }
        let mut children = vec![self.unary()?];
        loop {
            match self.keyword()? {
                Some(Keyword::And) => {
                    let at = self.offset();
                    self.at += 1;
                    if self.clause_ends() {
                        return Err(("AND needs something after it".to_string(), at));
                    }
                }
                Some(Keyword::Or | Keyword::Near { .. }) => break,
                Some(Keyword::Not) | None => {
                    if matches!(self.peek(), None | Some((Token::Close, _))) {
                        break;
                    }
                }
            }
            children.push(self.unary()?);
        }
        Ok(if children.len() == 1 { children.remove(0) } else { Node::And(children) })
    }

    fn unary(&mut self) -> ParseResult<Node> {
        if self.keyword()? == Some(Keyword::Not) {
            let at = self.offset();
            self.at += 1;
            if self.clause_ends() {
                return Err(("NOT needs something after it".to_string(), at));
            }
            return Ok(Node::Not(Box::new(self.unary()?)));
        }
        if let Some((Token::Bare(text), at)) = self.peek().cloned()
            && let Some(sign) = text.chars().next().filter(|c| matches!(c, '+' | '-'))
        {
            let rest = &text[1..];
            if rest.is_empty() {
                // "+ (a OR b)", "- word": the sign stands alone before the clause.
                self.at += 1;
                if self.clause_ends() || self.keyword()? == Some(Keyword::Not) {
                    return Err((format!("'{sign}' needs a word, phrase or group right after it"), at));
                }
            }
            let node = if rest.is_empty() { self.near()? } else { self.operand_text(rest, at + 1)? };
            if !rest.is_empty() {
                self.at += 1;
            }
            return Ok(if sign == '-' { Node::Not(Box::new(node)) } else { node });
        }
        self.near()
    }

    fn near(&mut self) -> ParseResult<Node> {
        let left_at = self.offset();
        let left = self.operand()?;
        let Some(Keyword::Near { distance, ordered }) = self.keyword()? else {
            return Ok(left);
        };
        let at = self.offset();
        self.at += 1;
        if self.clause_ends() || self.keyword()? == Some(Keyword::Not) {
            return Err(("NEAR needs a word, phrase or group on each side".to_string(), at));
        }
        let right_at = self.offset();
        let right = self.operand()?;
        let side = |node: Node, at: usize| -> ParseResult<Vec<Leaf>> {
            near_side(node).ok_or((
                "a side of NEAR must be a word, prefix, phrase or a parenthesised OR-group of them".to_string(),
                at,
            ))
        };
        let near = Near { left: side(left, left_at)?, right: side(right, right_at)?, distance, ordered };
        if matches!(self.keyword()?, Some(Keyword::Near { .. })) {
            return Err(("NEAR cannot be chained: group one side in parentheses".to_string(), self.offset()));
        }
        Ok(Node::Near(near))
    }

    /// A field-restricted or plain atom.
    fn operand(&mut self) -> ParseResult<Node> {
        match self.peek().cloned() {
            Some((Token::Bare(text), at)) => {
                let node = self.operand_text(text, at)?;
                self.at += 1;
                Ok(node)
            }
            _ => self.atom(Field::Any),
        }
    }

    /// An operand that starts with the bare token `text` (at `at`), which the caller consumes
    /// unless a field prefix made this parse a following token.
    fn operand_text(&mut self, text: &'a str, at: usize) -> ParseResult<Node> {
        if let Some((name, rest)) = text.split_once(':')
            && !name.is_empty()
            && name.chars().all(char::is_alphabetic)
        {
            let field = match name {
                "title" => Some(Field::Title),
                "text" => Some(Field::Text),
                "source" => None,
                _ => return Err((format!("unknown field '{name}:' (fields are title:, text: and source:)"), at)),
            };
            let rest_at = at + name.len() + 1;
            if rest.is_empty() {
                // The field applies to the next token: a phrase or a group.
                self.at += 1;
                let node = match field {
                    None => match self.peek().cloned() {
                        Some((Token::Quoted(name) | Token::Bare(name), _)) => {
                            self.at += 1;
                            Node::Source(source_key(name))
                        }
                        _ => return Err(("source: takes a name, e.g. source:\"Capital Desk\"".to_string(), rest_at)),
                    },
                    Some(field) => self.atom(field)?,
                };
                // The caller consumes one token more than this parse used.
                self.at -= 1;
                return Ok(node);
            }
            return match field {
                None => Ok(Node::Source(source_key(rest))),
                Some(field) => Ok(Node::Leaf(word_leaf(rest, rest_at, field)?)),
            };
        }
        Ok(Node::Leaf(word_leaf(text, at, Field::Any)?))
    }

    fn atom(&mut self, field: Field) -> ParseResult<Node> {
        match self.peek().cloned() {
            Some((Token::Quoted(text), at)) => {
                self.at += 1;
                Ok(Node::Leaf(phrase_leaf(text, at + 1, field)?))
            }
            Some((Token::Open, at)) => {
                self.at += 1;
                if matches!(self.peek(), Some((Token::Close, _))) {
                    return Err(("empty parentheses".to_string(), at));
                }
                if self.peek().is_none() {
                    return Err(("this '(' is never closed".to_string(), at));
                }
                let inner = self.or()?;
                match self.peek() {
                    Some((Token::Close, _)) => self.at += 1,
                    _ => return Err(("this '(' is never closed".to_string(), at)),
                }
                if field == Field::Any { Ok(inner) } else { restrict(inner, field).map_err(|m| (m, at)) }
            }
            Some((Token::Bare(text), at)) => {
                self.at += 1;
                Ok(Node::Leaf(word_leaf(text, at, field)?))
            }
            Some((Token::Close, at)) => Err(("this ')' has no '(' before it".to_string(), at)),
            None => Err(("something is missing at the end".to_string(), self.end)),
        }
    }
}

/// A source name as sources are compared: trimmed and lower-cased.
pub fn source_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The keys an article's source answers `source:` to: the source itself and its outlet
/// (`source:npr.org` finds articles whose source is `https://feeds.npr.org/1001/rss.xml`).
pub fn source_keys(source: &str) -> Vec<String> {
    let mut keys = vec![source_key(source), source_key(&crate::core::sources::outlet(source))];
    keys.dedup();
    keys
}

/// A bare token as a leaf: one word, a prefix, or the phrase of the words it splits into.
fn word_leaf(text: &str, at: usize, field: Field) -> ParseResult<Leaf> {
    let (body, prefix) = match text.strip_suffix('*') {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    if body.contains('*') || (prefix && body.ends_with(|c: char| !c.is_alphanumeric())) {
        return Err(("'*' may only end a word, as in sanction*".to_string(), at));
    }
    let words = pattern_words(body, prefix);
    if words.is_empty() {
        return Err((format!("'{text}' holds no word (words are letters and digits)"), at));
    }
    Ok(Leaf { words, field })
}

/// A quoted phrase as a leaf; its last word may end in `*`.
fn phrase_leaf(text: &str, at: usize, field: Field) -> ParseResult<Leaf> {
    let trimmed = text.trim_end();
    let (body, prefix) = match trimmed.strip_suffix('*') {
        Some(rest) if !rest.ends_with(|c: char| !c.is_alphanumeric()) => (rest, true),
        Some(_) => return Err(("'*' may only end the last word of a phrase".to_string(), at)),
        None => (trimmed, false),
    };
    if body.contains('*') {
        return Err(("'*' may only end the last word of a phrase".to_string(), at));
    }
    let words = pattern_words(body, prefix);
    if words.is_empty() {
        return Err(("this phrase holds no word (words are letters and digits)".to_string(), at));
    }
    Ok(Leaf { words, field })
}

fn pattern_words(text: &str, prefix: bool) -> Vec<WordPattern> {
    let mut lower = String::new();
    let mut out: Vec<WordPattern> = words(text)
        .map(|(s, e)| {
            lower_word_into(&text[s..e], &mut lower);
            WordPattern::Exact(lower.clone())
        })
        .collect();
    if prefix && let Some(WordPattern::Exact(last)) = out.pop() {
        out.push(WordPattern::Prefix(last));
    }
    out
}

/// Restricts every leaf of `node` to `field`.
fn restrict(node: Node, field: Field) -> Result<Node, String> {
    let leaf = |mut leaf: Leaf| -> Result<Leaf, String> {
        if leaf.field != Field::Any {
            return Err("title: and text: cannot be nested".to_string());
        }
        leaf.field = field;
        Ok(leaf)
    };
    Ok(match node {
        Node::Leaf(l) => Node::Leaf(leaf(l)?),
        Node::Source(s) => Node::Source(s),
        Node::And(c) => Node::And(c.into_iter().map(|n| restrict(n, field)).collect::<Result<_, _>>()?),
        Node::Or(c) => Node::Or(c.into_iter().map(|n| restrict(n, field)).collect::<Result<_, _>>()?),
        Node::Not(c) => Node::Not(Box::new(restrict(*c, field)?)),
        Node::Near(n) => Node::Near(Near {
            left: n.left.into_iter().map(leaf).collect::<Result<_, _>>()?,
            right: n.right.into_iter().map(leaf).collect::<Result<_, _>>()?,
            ..n
        }),
    })
}

/// The leaves a side of NEAR stands for, if it is one leaf or an OR of leaves.
fn near_side(node: Node) -> Option<Vec<Leaf>> {
    match node {
        Node::Leaf(leaf) => Some(vec![leaf]),
        Node::Or(children) => {
            children.into_iter().map(near_side).collect::<Option<Vec<_>>>().map(|v| v.into_iter().flatten().collect())
        }
        _ => None,
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Any => "",
            Field::Title => "title:",
            Field::Text => "text:",
        })
    }
}

impl fmt::Display for Leaf {
    /// `putin`, `sanction*`, `"vladimir putin"`, `title:"central bank*"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<String> = self
            .words
            .iter()
            .map(|w| match w {
                WordPattern::Exact(w) => w.clone(),
                WordPattern::Prefix(p) => format!("{p}*"),
            })
            .collect();
        if words.len() == 1 {
            write!(f, "{}{}", self.field, words[0])
        } else {
            write!(f, "{}\"{}\"", self.field, words.join(" "))
        }
    }
}

impl fmt::Display for Node {
    /// The query as it was understood, operators explicit: `putin AND (trump OR biden) AND NOT sport`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |leaves: &[Leaf]| -> String {
            let parts: Vec<String> = leaves.iter().map(ToString::to_string).collect();
            if parts.len() == 1 { parts[0].clone() } else { format!("({})", parts.join(" OR ")) }
        };
        match self {
            Node::Leaf(leaf) => write!(f, "{leaf}"),
            Node::Source(name) => write!(f, "source:\"{name}\""),
            Node::And(children) => {
                let parts: Vec<String> = children
                    .iter()
                    .map(|c| if matches!(c, Node::Or(_)) { format!("({c})") } else { c.to_string() })
                    .collect();
                f.write_str(&parts.join(" AND "))
            }
            Node::Or(children) => {
                let parts: Vec<String> = children.iter().map(ToString::to_string).collect();
                f.write_str(&parts.join(" OR "))
            }
            Node::Not(child) => match **child {
                Node::And(_) | Node::Or(_) => write!(f, "NOT ({child})"),
                _ => write!(f, "NOT {child}"),
            },
            Node::Near(near) => write!(
                f,
                "{} {}/{} {}",
                side(&near.left),
                if near.ordered { "ONEAR" } else { "NEAR" },
                near.distance,
                side(&near.right)
            ),
        }
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn understood(input: &str) -> String {
        Query::parse(input).unwrap_or_else(|e| panic!("{input}: {e}")).to_string()
    }

    fn column(input: &str) -> usize {
        match Query::parse(input) {
            Ok(q) => panic!("{input} parsed as {q}"),
            Err(e) => e.column,
        }
    }

    #[test]
    fn operators_precedence_and_the_default_and() {
        assert_eq!(understood("putin trump"), "putin AND trump");
        assert_eq!(understood("putin AND (trump OR biden) NOT sport"), "putin AND (trump OR biden) AND NOT sport");
        assert_eq!(understood("a OR b c"), "a OR b AND c");
        assert_eq!(understood("a b OR c"), "a AND b OR c");
        assert_eq!(understood("NOT a b"), "NOT a AND b");
        assert_eq!(understood("+putin -sport"), "putin AND NOT sport");
        assert_eq!(understood("-(a OR b) c"), "NOT (a OR b) AND c");
        assert_eq!(understood("putin and trump"), "putin AND and AND trump", "lower-case operators are words");
        assert_eq!(understood("NOT NOT a"), "NOT NOT a");
    }

    #[test]
    fn phrases_prefixes_and_tokens_that_split() {
        assert_eq!(understood("\"Vladimir Putin\""), "\"vladimir putin\"");
        assert_eq!(understood("\"central bank*\" sanction*"), "\"central bank*\" AND sanction*");
        assert_eq!(understood("U.S. pro-Putin"), "\"u s\" AND \"pro putin\"");
        assert_eq!(understood("ПУТИН"), "путин");
    }

    #[test]
    fn near_binds_tighter_than_not() {
        assert_eq!(understood("kursk NEAR/10 offensive"), "kursk NEAR/10 offensive");
        assert_eq!(understood("NOT kursk NEAR offensive"), "NOT kursk NEAR/5 offensive");
        assert_eq!(understood("(a OR \"b c\") ONEAR/3 d*"), "(a OR \"b c\") ONEAR/3 d*");
        assert_eq!(understood("x NEAR/0 y"), "x NEAR/0 y");
        assert_eq!(understood("NEARBY"), "nearby");
    }

    #[test]
    fn fields_restrict_every_leaf() {
        assert_eq!(understood("title:putin text:\"central bank\""), "title:putin AND text:\"central bank\"");
        assert_eq!(understood("title:(a OR b*)"), "title:a OR title:b*");
        assert_eq!(understood("source:\"Capital Desk\" putin"), "source:\"capital desk\" AND putin");
        assert_eq!(understood("source:Reuters"), "source:\"reuters\"");
        assert_eq!(understood("title:(a NEAR b)"), "title:a NEAR/5 title:b");
    }

    #[test]
    fn labels() {
        let q = Query::parse("Summit=putin AND trump").unwrap();
        assert_eq!((q.label.as_str(), q.to_string().as_str()), ("Summit", "putin AND trump"));
        assert_eq!(Query::parse("putin AND trump").unwrap().label, "putin AND trump");
        assert_eq!(Query::parse("\"a=b\"").unwrap().label, "\"a=b\"");
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(column(""), 1);
        assert_eq!(column("(putin"), 1);
        assert_eq!(column("putin)"), 6);
        assert_eq!(column("a \"b c"), 3);
        assert_eq!(column("a ()"), 3);
        assert_eq!(column("a NEAR"), 3);
        assert_eq!(column("NEAR b"), 1);
        assert_eq!(column("a NEAR/51 b"), 3);
        assert_eq!(column("a NEAR/x b"), 3);
        assert_eq!(column("a AND"), 3);
        assert_eq!(column("OR a"), 1);
        assert_eq!(column("author:x"), 1);
        assert_eq!(column("L=a AND"), 5);
        assert_eq!(column("(a AND b) NEAR c"), 1);
        assert_eq!(column("a NEAR b NEAR c"), 10);
        assert_eq!(column("pu*tin"), 1);
        assert_eq!(column("\"--\""), 2);
        assert_eq!(column("title:(text:a)"), 7);
        assert_eq!(column("source:(a)"), 8);
        assert_eq!(column("NOT"), 1);
        assert_eq!(column("é NOT"), 3, "columns count characters");
        assert!(Query::parse("a NEAR/51 b").unwrap_err().message.contains("at most 50"));
    }

    #[test]
    fn the_window_tells_queries_from_terms() {
        for term in ["Vladimir Putin", "Putin | Vladimir Putin", "Bank=central bank*", "Jean-Luc", "and or not"] {
            assert!(!Query::looks_like_query(term), "{term}");
        }
        for query in ["putin AND trump", "\"a b\"", "(a)", "-sport putin", "title:x", "a NEAR/3 b", "L=a OR b"] {
            assert!(Query::looks_like_query(query), "{query}");
        }
    }
}
